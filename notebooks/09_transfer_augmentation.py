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
# This lesson measures each of these on a task small enough to run on a laptop CPU:
# pretrain a small CNN on plenty of handwritten digits **0–4**, transfer it to digits
# **5–9** with few labels, and compare how much of it to freeze; then augmentation,
# ensembles and multi-crop testing on the same task.

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
history = nets.fit(pretrained, source_train, val=source_test, epochs=15, lr=3e-3,
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
# (five different random subsets and initialisations); in brackets, the lowest and highest
# of the five. "scratch" is the same network from a random initialisation.

# %%
sizes = (5, 20, 100)
strategies = ["scratch", "freeze all but head", "freeze conv1-2", "fine-tune all"]
runs = transfer.transfer_experiment(pretrained, target_train, target_test, sizes=sizes,
                                    strategies=strategies, seeds=(0, 1, 2, 3, 4), steps=150,
                                    per_seed=True)
results = {s: {n: float(np.mean(accs)) for n, accs in by_size.items()}
           for s, by_size in runs.items()}
print(f"{'images per class':20s}" + "".join(f"{n:>20d}" for n in sizes))
for name, by_size in runs.items():
    print(f"{name:20s}" + "".join(f"{np.mean(a):>8.3f} ({min(a):.2f}-{max(a):.2f})"
                                  for a in by_size.values()))
for n in sizes:
    print(f"best with {n:3d} images per class: {max(strategies, key=lambda s: results[s][n])}")

# %%
transfer.plot.plot_transfer_curves(results)

# %% [markdown]
# What the numbers show:
#
# * **5 images per class:** reusing the pretrained network is worth a lot. Every transfer
#   strategy beats training from scratch by at least 12 points (0.311 for scratch,
#   0.436 to 0.480 for the others). Freezing all but the head is the best of them:
#   645 parameters can be fitted from 25 images, while fine-tuning all 14,693 on so few
#   pulls the features towards those 25 images. Its lead over fine-tuning is small
#   (0.480 against 0.436), smaller than the spread between seeds, which is why we
#   average five runs and do not trust any single one.
# * **20 per class:** the frozen extractor has fallen behind (0.644). Freezing only
#   conv1–2 or fine-tuning everything do better, and the two are close (0.684 and 0.692).
# * **100 per class:** fine-tuning everything is best (0.875). The frozen extractor is now
#   worse even than training from scratch (0.755 against 0.819): features learned on 0–4
#   are not quite the ones 5–9 need, and only training can change them.
#
# That is the notes' rule of thumb, measured: with little data freeze more, with more data
# freeze less, and with a lot use the pretrained weights only as the starting point. The
# check below tests the comparisons at the two ends.

# %%
# NBVAL_CHECK_OUTPUT
small, big = min(sizes), max(sizes)
print(f"{small}/class: every transfer strategy beats scratch:",
      all(results[s][small] > results["scratch"][small] for s in strategies[1:]))
print(f"{small}/class: freeze all but head beats fine-tune all:",
      results["freeze all but head"][small] > results["fine-tune all"][small])
print(f"{big}/class: fine-tune all beats freeze all but head:",
      results["fine-tune all"][big] > results["freeze all but head"][big])

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
        nets.fit(model, (xs, ys), epochs=300, lr=3e-3, batch_size=32, seed=seed, augment=fn)
        aug_acc[name].append(nets.evaluate(model, *target_test)[1])
for name, accs in aug_acc.items():
    print(f"{name:16s} test accuracy, mean of 3 seeds: {np.mean(accs):.3f}  {np.round(accs, 3)}")

# %% [markdown]
# Augmentation helps in every run, not only on average: 0.32 → 0.47, 0.24 → 0.39 and
# 0.26 → 0.41 for the three seeds. Here the digits land anywhere on the canvas, and
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
    nets.fit(model, (xs, ys), epochs=300, lr=3e-3, batch_size=32, seed=seed, progress=False,
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
# The ensemble beats its average member (checked above; 0.446 against 0.429): averaging
# five networks' outputs cancels some of their separate mistakes. Multi-crop raised the
# accuracy too, of the single networks (0.429 → 0.450) and of the ensemble
# (0.446 → 0.509), but we ran it on one training set only, so we do not check that it
# always helps. Both cost forward
# passes at test time: here 5 crops × 5 networks = 25 per image.
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

# %% tags=["hide-input"] jupyter={"source_hidden": true}
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


# %% tags=["hide-input"] jupyter={"source_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: switch the gradient off for every parameter whose name is not head.*
def freeze_all_but_head(model):
    for name, p in model.named_parameters():
        p.requires_grad_(name.startswith("head."))
    return model


transfer.check.freeze_function(freeze_all_but_head)


# %% [markdown]
# ### Exercise 3: a mirror
#
# Write `mirror(x)` that flips a (N, C, H, W) torch batch left-right, the augmentation
# that `transfer.hflip` applies with probability p.


# %%
def mirror(x):
    return x  # replace with your code


transfer.check.mirror_function(mirror)


# %% tags=["hide-input"] jupyter={"source_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: reverse the last axis (W), so column j becomes column W-1-j.
def mirror(x):
    return x.flip(-1)


transfer.check.mirror_function(mirror)

# %% [markdown]
# ## Summary
#
# * Start from open-source code and pretrained weights; replace the last layer with your
#   own classes.
# * Freeze more with few labels, fewer with more, and fine-tune everything (pretrained
#   weights as the initialisation) with many. Measured here: with 5 images per class the
#   frozen extractor did best and every transfer beat training from scratch; with 100 per
#   class fine-tuning everything did best and the frozen extractor did worst.
# * Augmentation (mirror, crop, rotate, shear, colour shift) adds label-preserving
#   variety. Shifts and small rotations helped every run on digits placed anywhere on the
#   canvas; pick transformations that match the variety of your real images.
# * Ensembles and multi-crop buy a little accuracy for many more forward passes.
