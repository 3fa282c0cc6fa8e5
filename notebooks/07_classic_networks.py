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
# # 07 · Classic networks, 1×1 convolutions and Inception
#
# How do you choose the layers of a ConvNet? Much of what people know was learned by
# reading **case studies**: networks that won a benchmark, taken apart layer by layer.
# They are worth studying because an architecture that works well on one vision task
# usually works well on others too: the same backbones classify, detect and segment, and
# their ideas (conv-pool stacks, small kernels, 1×1 bottlenecks) turn up everywhere.
#
# This lesson takes apart the classic line, each network built as a `cnnlab` model:
#
# 1. **LeNet-5** (lesson 06), **AlexNet** and **VGG-16**, with a per-layer table of output
#    shape, parameters and multiply-adds that cnnlab computes from the notes' formulas and
#    checks against PyTorch's own count;
# 2. the **1×1 convolution** ("network in network"): a fully connected layer applied at
#    every pixel, which shrinks (or mixes) the channels;
# 3. the **Inception module** ("use them all"), what a 1×1 bottleneck saves, computed and
#    timed, and the Inception network (GoogLeNet) built from it;
# 4. **what the layers learn**: feature maps of a trained network at several depths, and
#    the input patches that excite its units most.

# %%
# %matplotlib inline
import numpy as np
import torch

import cnnlab
from cnnlab import classic, data, lenet, nets, tables

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
# LeNet-5 first, the `lenet.LeNet5` model of lesson 06:

# %%
# NBVAL_CHECK_OUTPUT
print(tables.summary(lenet.LeNet5()))

# %% [markdown]
# LeNet-5 (LeCun and colleagues, 1998) read 32×32 grey digits with two conv+pool stages
# and three FC layers; it used sigmoid/tanh activations and average pooling, as lesson 06
# did. The pattern it set is still the pattern of every network below: **height and width
# go down, channels go up**, then a few FC layers. Its paper is worth reading, sections
# II and III especially.
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

# %% [markdown]
# About 62 million parameters (about 240 MiB of float32 weights that the meta device never
# allocated), and one image costs about 1.1 billion multiply-adds. The
# first conv is the only one with a big stride (4): it brings 227×227 down to 55×55 at
# once, and the three max pools take it down to 6×6×256 = 9216 numbers for the FC layers.
#
# The original paper says "60 million parameters". The difference is history: the GPUs of
# the time had too little memory for the whole network, so it was split over **two GPUs**, and conv2, conv4 and conv5 only
# read the half of the channels on their own GPU (a *grouped* convolution, `groups=2`).
# Each of those filters is half as deep, so those layers have about half the weights:

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
# no parameters and later work found they help little, so they are left out here.)
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
# convolutions cheaper (the 1×1 bottleneck) matters.
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
# Going from 11 to 16 layers improved the accuracy, 19 hardly improved on 16, and plain
# networks much deeper than that got *worse*, on the training set too: not overfitting,
# but a network that gradient descent can no longer train well (vanishing gradients).
# Lesson 08's residual networks (ResNets) are the fix that let networks grow far deeper.
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

# %% [markdown]
# About 120 million multiplications for one 5×5 layer on one image. Putting a 1×1 conv
# with 16 filters in front, to shrink 192 channels to 16 before the expensive 5×5, cuts
# it to about 12.4 million, almost ten times fewer. The 1×1 layer is called a
# **bottleneck** after its shape: the representation is squeezed to few channels, then
# widened again. The parameter count falls by a similar factor. Shrinking like this does
# not hurt accuracy much, as long as the bottleneck is not made too narrow: that was the
# finding of the Inception work, and the reason it is used everywhere since.
#
# **Try it.** Change the bottleneck width, the kernel size and the number of output
# channels. A bottleneck as wide as the input (192) costs *more* than no bottleneck; an
# even kernel has no 'same' padding and shows the error instead.

# %% tags=["nbval-ignore-output"]
classic.widgets.bottleneck_explorer()

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
# ## 7. What do the layers learn?
#
# A trained network's first layer is easy to read: its filters are images. Deeper units
# combine earlier ones and are harder to read, but we can ask **which inputs make a unit
# fire**. Each unit sees only its receptive field; cutting that window out of the images
# where the unit responds most shows what it detects.
#
# A small network in VGG's style (conv, ReLU, 2×2 max pool, channels doubling) on the
# scikit-learn digits, upsampled to 32×32 (lesson 06):

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
# **Feature maps at several depths.** One test digit on its way through the network (the
# first 8 channels of each stage, every map drawn at the same size, white = strongest
# response in that map). Early maps are the digit with some edges or strokes emphasised;
# with depth the maps get coarser (32×32, 16×16, 8×8, 4×4) and less like the digit, more
# like a list of *which* features are present *roughly where*. Black maps are units that
# this digit does not excite at all.

# %%
stages = ["relu1", "pool1", "relu2", "pool2", "relu3", "pool3"]
maps_one = classic.feature_maps(small, x_test[:1], stages)
classic.plot.plot_maps_by_depth({"input": x_test[0], **{k: v[0] for k, v in maps_one.items()}})

# %% [markdown]
# **What excites a unit.** The receptive fields of the three conv layers, from
# `cnnlab.arith.receptive_field` (lesson 04): the size of the window one unit sees, and
# the jump between neighbouring units, in input pixels.

# %%
# NBVAL_CHECK_OUTPUT
rfs = tables.receptive_fields(SMALL)
for name in ("conv1", "conv2", "conv3"):
    print(
        f"{name}: sees {rfs[name].size}x{rfs[name].size} input pixels, units {rfs[name].jump} px apart"
    )

# %% [markdown]
# For six strongly responding units of each conv layer (rows), the six test images where
# the unit fires hardest, cut to its receptive field around the position of the strongest
# response (each patch on its own contrast; the earlier patches are smaller, so they are
# drawn magnified):

# %%
maps_all = classic.feature_maps(small, x_test, ["relu1", "relu2", "relu3"])
patches = {}
for conv_name, relu in [("conv1", "relu1"), ("conv2", "relu2"), ("conv3", "relu3")]:
    units = classic.strongest_units(maps_all[relu], 6)
    best, _, _ = classic.top_patches(maps_all[relu], x_test, rfs[conv_name], k=6, units=units)
    patches[f"{conv_name} (RF {rfs[conv_name].size})"] = best
classic.plot.plot_top_patches(patches)

# %% [markdown]
# * **conv1** units see 5×5 pixels: each responds to a simple local pattern, an edge of a
#   stroke at one orientation, the end of a bar, a bright blob.
# * **conv2** units see 10×10: longer strokes, edges with a direction, corners.
# * **conv3** units see 20×20, most of the digit: curves, loops and junctions, pieces that
#   begin to say which digit it is.
#
# The same happens, on a larger scale, in the big networks of this lesson: visualisations
# of a trained AlexNet-like network (Zeiler and Fergus, 2013) found oriented edges and
# colour-opponent blobs (red against green, blue against yellow) in layer 1, corners and
# edge-colour combinations in layer 2, textures and patterns such as meshes and text in
# layer 3, and parts of objects or whole objects (dog faces, bird legs, keyboards) in
# layers 4 and 5, each layer's units seeing a larger piece of the image than the last.
#
# ## Summary
#
# * Case studies are worth reading: a design that works for one vision task usually
#   works for others. The classic line shows one pattern (H and W down, C up, FC layers
#   at the end) growing: **LeNet-5** (tanh, average pools), **AlexNet** (ReLU, max pools,
#   much bigger), **VGG-16** (only 3×3 convs and 2×2 pools, deeper).
# * Per layer: output $\lfloor (n+2p-f)/s\rfloor+1$, parameters $n_C(f^2 n_{C,\text{prev}}+1)$,
#   multiply-adds $n_{out}^2\, n_C f^2 n_{C,\text{prev}}$. Parameters sit in the FC layers,
#   compute in the convolutions.
# * A **1×1 convolution** is a fully connected layer from $C_{in}$ to $C_{out}$ applied at
#   every pixel: it shrinks (or mixes) the channels as pooling shrinks height and width,
#   and adds a non-linearity.
# * The **Inception module** runs 1×1, 3×3, 5×5 convs and max pooling side by side and
#   concatenates them. **1×1 bottlenecks** make it affordable: the 5×5 layer on 28×28×192
#   drops from about 120M to about 12.4M multiplications. **GoogLeNet** stacks nine such
#   modules.
# * Early layers detect edges and simple patterns; deeper layers, seeing larger windows,
#   respond to larger structures.

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

# %% tags=["hide-input"] jupyter={"source_hidden": true}
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

# %% tags=["hide-input"] jupyter={"source_hidden": true}
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

# %% tags=["hide-input"] jupyter={"source_hidden": true}
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


# %% tags=["hide-input"] jupyter={"source_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: out[n, o, i, j] = sum_c w[o, c] x[n, c, i, j] + b[o].
def pointwise_conv(x, w, b):
    return np.einsum("oc,nchw->nohw", w, x) + b[None, :, None, None]


classic.check.pointwise_conv_function(pointwise_conv)
