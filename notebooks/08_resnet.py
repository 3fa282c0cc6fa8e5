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
# # 08 · ResNet: why very deep plain networks fail, and how a shortcut fixes it
#
# VGG (lesson 07) suggested a simple rule: **deeper is better**. Push the rule further and
# it breaks. A *plain* network (layers simply stacked) that is much deeper than VGG does
# not just stop improving: it gets **worse**, and worse on the **training set** as well
# as on the test set. That is not overfitting (an overfitting network does *well* on its
# training data); it is a network that gradient descent cannot train any more. This is
# called the **degradation problem**, and the usual explanation is **vanishing
# gradients**: the gradient that reaches the early layers is too small to move them.
#
# Residual networks (**ResNets**, He and colleagues, 2015) add a shortcut around every
# pair of layers, and with it networks of more than 100 layers train well. In this lesson
#
# 1. we build a plain network and a ResNet of **exactly the same depth** (`cnnlab.resnet`);
# 2. see why a residual block $h(x) = f(x) + x$ finds the identity easy and a plain block
#    does not, with a tiny experiment;
# 3. **measure the gradient** that reaches each layer at initialisation;
# 4. train a shallow plain net, a deep plain net and a deep ResNet side by side on real
#    digits and compare their training curves;
# 5. compare **identity** and **projection** shortcuts.
#
# Everything runs offline, in well under a minute on a 2-core CPU.

# %%
# %matplotlib inline
import numpy as np
import torch

import cnnlab
from cnnlab import data, nets, resnet

np.set_printoptions(precision=4, suppress=True)
nets.seed_everything(0)
dev = cnnlab.device(verbose=False)
if dev.type == "cpu":
    # One thread: on a shared 2-core machine a second thread mostly waits, and one thread
    # also adds numbers in the same order every run, so the numbers repeat exactly.
    torch.set_num_threads(1)
dev = cnnlab.device()  # and say which one

# %% [markdown]
# ## 1. A plain network and a ResNet of the same depth
#
# Both networks are made of **blocks** of two 3×3 'same' convolutions with ReLUs. A plain
# block computes
#
# $$h(x) = \operatorname{relu}\big(f(x)\big), \qquad f(x) = W_2 * \operatorname{relu}(W_1 * x + b_1) + b_2 ,$$
#
# and a **residual block** adds its input back before the last ReLU:
#
# $$h(x) = \operatorname{relu}\big(f(x) + x\big).$$
#
# The extra path that carries $x$ around the two convolutions is the **shortcut** (or
# skip connection). It costs nothing: no weights, one addition. `resnet.Net(blocks,
# residual)` stacks a 3×3 stem conv, `blocks` blocks in two stages (16 channels, then 32
# channels at half the height and width), global average pooling and one linear layer.
# With 10 blocks that is 1 + 20 + 1 = 22 layers with weights, and plain and residual
# versions have exactly the same weights:


# %%
# NBVAL_CHECK_OUTPUT
def count(model):
    return sum(p.numel() for p in model.parameters())


torch.manual_seed(0)
shallow = resnet.Net(2, residual=False)
plain = resnet.Net(10, residual=False)
res = resnet.Net(10, residual=True)
for name, m in [("plain, shallow", shallow), ("plain, deep", plain), ("ResNet, deep", res)]:
    print(f"{name:<15} {resnet.depth(m):2d} layers with weights, {count(m):6,} parameters")

# %% [markdown]
# The data are scikit-learn's 1797 handwritten 8×8 digits (lesson 06), 1347 for training
# and 450 for testing. Small, but real, and it keeps the experiment fast.

# %%
# NBVAL_CHECK_OUTPUT
x_train, y_train, x_test, y_test = data.digits()
print(x_train.shape, x_test.shape)

# %% [markdown]
# ## 2. Why the identity is easy for a residual block
#
# A good deep network should at least be able to do what a shallower one does: if the
# extra layers just passed their input through unchanged (the **identity**), the deep
# network would compute the shallow one's function and be no worse. So the extra
# layers only need to learn the identity. For a plain block that is a real task: the
# weights must be tuned so that $\operatorname{relu}(W_2 * \operatorname{relu}(W_1 * x))$
# gives back $x$, and at initialisation they are random. For a residual block it is the
# easiest thing there is: it only needs $f(x) = 0$, for example $W_2 = 0, b_2 = 0$, and
# then
#
# $$h(x) = \operatorname{relu}(0 + x) = x \quad \text{for } x \ge 0,$$
#
# which holds for every input of a block inside the network, since it comes out of a
# ReLU. Weights near 0 are where training starts anyway (initial weights are small), and
# weight decay pulls them back there. So a residual block **starts close to the identity**
# and learns only what it should add to it, the *residual* $f(x) = h(x) - x$.
#
# The tiny experiment: a residual block whose last conv starts at zero is exactly the
# identity before any training; a plain block at PyTorch's usual initialisation has to
# learn it. Both are trained with Adam to output their input (non-negative random
# 16-channel maps) for 200 steps:

# %%
# NBVAL_CHECK_OUTPUT
torch.manual_seed(0)
x_id = torch.rand(32, 16, 8, 8)
res_block = resnet.Block(16, 16, residual=True, zero_init=True)
plain_block = resnet.Block(16, 16, residual=False)
with torch.no_grad():
    print(
        "residual block at initialisation is exactly the identity:",
        torch.equal(res_block(x_id), x_id),
    )
err_res = resnet.fit_identity(res_block, x_id, steps=200)
err_plain = resnet.fit_identity(plain_block, x_id, steps=200)
print(f"residual block, error after 0 and 200 steps: {err_res[0]:.3f}, {err_res[-1]:.3f}")
print(f"plain block,    error after 0 and 200 steps: {err_plain[0]:.2f}, {err_plain[-1]:.2f}")

# %%
resnet.plot.plot_identity_fit(
    {"plain block": err_plain, "residual block, f's last conv at 0": err_res}
)

# %% [markdown]
# The residual block has error 0 from the first step to the last (the gradient of a zero
# error is zero, so training leaves it alone). After 200 steps the plain block has cut
# its error from 0.30 to 0.05, but still has not learned to copy its input: even the
# identity has to be learned by a plain block.
#
# ## 3. Vanishing gradients, measured
#
# Backpropagation multiplies the gradient by one factor per layer on its way back from
# the loss to the input (the chain rule). If those factors are smaller than 1, the
# product shrinks **exponentially** with depth, and the early layers receive almost no
# gradient: they barely learn. A residual block's derivative is
#
# $$\frac{\partial h}{\partial x} = \frac{\partial f}{\partial x} + I$$
#
# (where the ReLU passes): the $+I$ from the shortcut carries the gradient **straight back**
# to the earlier layers, however small $\partial f / \partial x$ is.
#
# `resnet.gradient_norms(model, x, y)` runs one forward and backward pass of the
# cross-entropy on a batch and returns the norm of the gradient of each layer's weights,
# input layer first. Right after construction, so this is the gradient **at
# initialisation** (PyTorch's default initialisation, no normalisation layers). The
# projection-shortcut ResNet of section 5 is drawn too:

# %%
torch.manual_seed(0)
res_proj = resnet.Net(10, residual=True, shortcut="projection")
xb, yb = x_train[:256], y_train[:256]
norms = {
    "plain, 6 layers": resnet.gradient_norms(shallow, xb, yb),
    "plain, 22 layers": resnet.gradient_norms(plain, xb, yb),
    "ResNet, 22 layers (identity)": resnet.gradient_norms(res, xb, yb),
    "ResNet, 22 layers (projection)": resnet.gradient_norms(res_proj, xb, yb),
}
resnet.plot.plot_gradient_norms(norms)

# %%
for name, g in norms.items():
    print(f"{name:<31} layer 1: {g[0]:.0e}  last layer: {g[-1]:.0e}  ratio {g[0] / g[-1]:.0e}")

# %%
# NBVAL_CHECK_OUTPUT
ratio_plain = norms["plain, 22 layers"][0] / norms["plain, 22 layers"][-1]
ratio_res = norms["ResNet, 22 layers (identity)"][0] / norms["ResNet, 22 layers (identity)"][-1]
print(
    "plain, 22 layers: layer 1 gets less than a millionth of the last layer's gradient:",
    ratio_plain < 1e-6,
)
print("ResNet, 22 layers: layer 1 gets more than a hundredth of it:", ratio_res > 1e-2)

# %% [markdown]
# On the log scale the deep plain network's gradient falls along a straight line, the
# signature of a roughly constant factor per layer: by layer 1 it has shrunk to a few
# billionths of the last layer's gradient (the ratio printed above). The 6-layer plain network loses much
# less simply because it has fewer layers to lose it in. In the ResNet of the same depth
# the gradient stays within about one order of magnitude of the last layer's all the way
# down (ratios of order $10^{-1}$, with either kind of shortcut): the shortcuts carry it
# back.
#
# (Normalisation layers such as batch normalisation, and careful initialisation, reduce the
# vanishing in plain networks, but the degradation problem still shows at larger
# depths; ResNets are also used *with* batch normalisation. Here they are left out so the
# effect of the shortcut is seen alone.)
#
# ## 4. Training side by side
#
# Now train all three with the same recipe: Adam, learning rate $10^{-3}$, batches of
# 128, 12 epochs, same seed. `nets.fit` shows a progress bar per network.

# %%
histories = {}
for name, model in [
    ("plain, 6 layers", shallow),
    ("plain, 22 layers", plain),
    ("ResNet, 22 layers", res),
]:
    histories[name] = nets.fit(
        model,
        (x_train, y_train),
        val=(x_test, y_test),
        epochs=12,
        lr=1e-3,
        batch_size=128,
        seed=0,
        dev=dev,
    )

# %%
resnet.plot.plot_training_curves(histories)

# %%
for name, h in histories.items():
    print(
        f"{name:<18} training loss {h['train_loss'][-1]:.2f}, training accuracy "
        f"{h['train_acc'][-1]:.1%}, test accuracy {h['val_acc'][-1]:.1%}"
    )

# %%
# NBVAL_CHECK_OUTPUT
acc = {name: h["train_acc"][-1] for name, h in histories.items()}
loss = {name: h["train_loss"][-1] for name, h in histories.items()}
print(
    "deep plain net is still near chance (training accuracy < 20%):", acc["plain, 22 layers"] < 0.2
)
print(
    "deep plain net trains worse than the shallow one:",
    loss["plain, 22 layers"] > loss["plain, 6 layers"],
)
print(
    "ResNet of the same depth trains best (lowest training loss):",
    loss["ResNet, 22 layers"] == min(loss.values()),
)

# %% [markdown]
# This is the degradation problem on a small scale. The 22-layer plain network is a
# superset of the 6-layer one (its extra layers *could* learn the identity), yet after 12
# epochs its **training** loss has hardly moved from $\ln 10 \approx 2.30$, the loss of a
# uniform guess, and its accuracy is at chance, while the shallow net learns. More layers
# made it worse on the data it trains on, so this is not overfitting. The ResNet of the
# same depth, with the same number of weights, trains fastest of the three.
#
# Doing well on the training set is the first step: a network that cannot fit its
# training data will not do well on test data either (compare the test accuracies
# above). Residual networks made that first step possible at depths of 50, 101 and 152
# layers (ResNet-152 won ImageNet 2015), and in experiments with more than 1000.
#
# ## 5. Identity and projection shortcuts
#
# $f(x) + x$ needs $f(x)$ and $x$ to have the same shape. Inside a stage they do ('same'
# convolutions). At the start of a stage the block halves height and width (stride 2) and
# doubles the channels (16 → 32), so the shortcut must change $x$'s shape too. Two
# choices, both from the ResNet paper:
#
# * **identity shortcut**: take every second pixel and pad the new channels with zeros:
#   no parameters, and the old channels still pass straight through;
# * **projection shortcut**: $h(x) = f(x) + W_s x$ with $W_s$ a learned 1×1 convolution of
#   stride 2 (lesson 07's 1×1 conv): a few more weights, and the shortcut can mix channels.
#
# (Some ResNets use projections on every shortcut; the paper found that helps a little
# and costs more, so the usual choice is the identity wherever the shapes match.)

# %%
# NBVAL_CHECK_OUTPUT
down_id = resnet.Block(16, 32, stride=2, shortcut="identity")
down_proj = resnet.Block(16, 32, stride=2, shortcut="projection")
with torch.no_grad():
    x_down = torch.rand(1, 16, 8, 8)
    print("output shapes:", tuple(down_id(x_down).shape), tuple(down_proj(x_down).shape))
print(
    "identity shortcut parameters:  ",
    count(down_id) - count(resnet.Block(16, 32, 2, residual=False)),
)
print("projection shortcut parameters:", count(down_proj.proj))
print(
    f"whole 22-layer ResNet: {count(res):,} parameters with identity shortcuts, "
    f"{count(res_proj):,} with projections"
)

# %% [markdown]
# Only the one block that changes the shape has a projection, so it adds few weights
# here. In the gradient plot of section 3 both kinds of shortcut carried the gradient
# back equally well.
#
# ## Exercises
#
# ### Exercise 1: the projection's weights
#
# How many learnable parameters does the projection shortcut of the block from 16 to 32
# channels have (a 1×1 convolution with stride 2 and no bias)? Count it by hand; the cell
# above has PyTorch's count once you are done.

# %%
answer_1 = None  # your number
resnet.check.projection_shortcut_params(answer_1)

# %% tags=["hide-input"] jupyter={"source_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: one 1x1 weight per (input channel, output channel) pair; no bias.
answer_1 = 16 * 32
resnet.check.projection_shortcut_params(answer_1)

# %% [markdown]
# ### Exercise 2: make a residual block the identity
#
# `block` below is a residual block at its random initialisation. Change its parameters
# (inside `torch.no_grad()`, e.g. `block.conv1.weight.zero_()`) so that it computes
# **exactly** the identity on non-negative inputs. The block has `conv1`, `conv2`, and
# each has `.weight` and `.bias`.

# %%
torch.manual_seed(1)
block = resnet.Block(16, 16, residual=True)
with torch.no_grad():
    pass  # your change
resnet.check.residual_identity(block)

# %% tags=["hide-input"] jupyter={"source_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: f(x) = conv2(relu(conv1(x))) is 0 when the last conv's weights and bias are.
torch.manual_seed(1)
block = resnet.Block(16, 16, residual=True)
with torch.no_grad():
    block.conv2.weight.zero_()
    block.conv2.bias.zero_()
resnet.check.residual_identity(block)

# %% [markdown]
# ### Exercise 3: how fast gradients vanish
#
# Suppose that on the way back each of 20 plain layers multiplies the gradient by 0.5.
# By what factor has the gradient been multiplied when it reaches the first layer?

# %%
answer_3 = None  # your number
resnet.check.vanishing_factor(answer_3)

# %% tags=["hide-input"] jupyter={"source_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: one factor of 0.5 per layer, 20 layers: about one millionth.
answer_3 = 0.5**20
print(answer_3)
resnet.check.vanishing_factor(answer_3)
