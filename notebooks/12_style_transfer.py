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
# # 12 · Neural style transfer
#
# Take a photo, the **content** image $C$, and a picture whose look you like, the **style**
# image $S$. Neural style transfer paints a new image $G$ (for *generated*) that shows what
# $C$ shows, with the textures and colours of $S$.
#
# Nothing is trained here. A ConvNet is used as a fixed **measuring instrument**: its
# activations describe an image at several levels, from colours and edges to textures and
# parts. We write down a cost that is small when $G$'s activations "say the same thing" as
# $C$'s (content) and have the same texture statistics as $S$'s (style), then run gradient
# descent **on the pixels of $G$**:
#
# $$J(G) = \alpha\, J_\text{content}(C, G) + \beta\, J_\text{style}(S, G).$$
#
# This lesson builds the two costs, first in NumPy (the definition) and then in PyTorch (which
# differentiates them), and looks at what changes when $\alpha/\beta$ and the layers change.

# %%
# %matplotlib inline
import numpy as np
import torch

import cnnlab
from cnnlab import data, drawing, nets, style

np.set_printoptions(precision=4, suppress=True)
nets.seed_everything(0)
dev = cnnlab.device()
if dev.type == "cpu":
    # measured on the course's busy 2-core machine: the whole lesson ran in 26 s with one
    # thread and in 31 s with two (small convolutions scale poorly across busy cores)
    torch.set_num_threads(1)

# %% [markdown]
# ## 1. The images
#
# Everything ships with scikit-image, so the lesson runs offline: the cat `chelsea` is the
# content; the style is a stained microscope slide (`immunohistochemistry`): brown, striped
# cell walls on a pale blue, speckled background: a strong texture with a clear palette.
# Images are small (128 px on the long side) so a transfer takes seconds on a CPU.

# %%
content = data.image("chelsea", size=128)
style_img = style.style_image("immunohistochemistry", size=128)
print("content", content.shape, " style", style_img.shape)
drawing.plot_images([content, style_img], ["content C", "style S"], cols=2)

# %% [markdown]
# ## 2. The measuring instrument: a VGG-style network
#
# Gatys et al. (2015) used VGG19 trained on ImageNet. Its weights (≈ 550 MB) must be
# downloaded, which this course never does at run time. `style.feature_net("auto")` looks for
# them in the local torch hub cache (where torchvision puts them) and uses them **only if they
# are already there**. Otherwise it builds the same VGG19 layout with **random weights**, and
# says so in `net.source`. That is not a makeshift: random convolutional filters followed by
# ReLUs already turn an image into many channels whose co-occurrence statistics describe its
# texture (Ustyuzhaninov et al. 2016; He, Wang & Hopcroft 2016 do style transfer with a
# random-weight VGG). We use half the channels of VGG19 (32 … 256) to keep it fast on a CPU;
# average pooling instead of max pooling gives smoother gradients to the pixels, as Gatys et al.
# recommend. Every picture below is labelled with the network that made it.

# %%
net = style.feature_net("auto", width=0.5, seed=0).to(dev)
print("features from:", net.source)
layer_names = [n for n in net.names if n.startswith("conv")]
print(len(layer_names), "conv layers:", ", ".join(layer_names[:8]), "...")

# %% [markdown]
# ## 3. What a deep ConvNet computes at each layer
#
# Zeiler & Fergus (2013) asked of a trained network: *which image patches excite this unit
# most?* Units in layer 1 answer with an edge at some angle or a patch of colour; layer 2 with
# simple textures and shapes (stripes, circles); deeper layers with larger, more complex things
# (a dog's face, a wheel, text), because each layer sees a **larger patch** of the image (its
# receptive field, lesson 04) and combines the patterns found below it.
#
# Here are the feature maps of our network for the cat, the four most active channels at one
# layer of each block. The maps shrink by 2 at every pooling while the channels multiply: less
# *where*, more *what*.

# %%
x_content = torch.tensor(content, dtype=torch.float32).permute(2, 0, 1)[None].to(dev)
with torch.no_grad():
    feats = net(x_content, ["conv1_1", "conv2_1", "conv3_1", "conv4_1"])
for name, a in feats.items():
    print(f"{name}: {tuple(a.shape[1:])}  receptive field {style.layer_receptive_field(name)} px")
style.plot.plot_layer_maps(feats, channels=5, title=f"feature maps ({net.source})")

# %% [markdown]
# And the patches of the cat that excite one unit most, at a shallow and a deeper layer:
# the patch size is that unit's receptive field (drawn at the same size here, so the 10 px
# patches look blocky). A shallow unit responds to a colour or an edge
# in a tiny window; a deep one to an arrangement over a large part of the face.

# %%
shallow = style.top_patches(net, content, "conv2_1", channel=3, k=4)
deep = style.top_patches(net, content, "conv4_1", channel=3, k=2)  # 68 px: only 2 fit apart
drawing.plot_images(
    [p for p, _ in shallow] + [p for p, _ in deep],
    [f"conv2_1, {p.shape[0]} px" for p, _ in shallow]
    + [f"conv4_1, {p.shape[0]} px" for p, _ in deep],
    cols=6,
    size=1.6,
)

# %% [markdown]
# ## 4. The content cost
#
# Pick one layer $l$, not too shallow (it would demand the exact pixels) and not too deep
# (it would only ask "there is a cat somewhere"). Let $a^{(C)}$ and $a^{(G)}$ be its
# activations for $C$ and $G$, each of shape $n_H \times n_W \times n_C$. If they are close,
# the two images have similar content:
#
# $$J_\text{content}(C, G) = \frac{1}{4\, n_H\, n_W\, n_C} \sum_{\text{all entries}}
#   \big(a^{(C)} - a^{(G)}\big)^2 .$$
#
# The factor in front only sets the scale (it keeps the cost comparable between layers of
# different sizes); $\alpha$ will set the balance with the style. `style.content_cost` (NumPy)
# and `style.content_cost_torch` agree; a flipped cat is further from the cat than a slightly
# blurred one:


# %%
# NBVAL_CHECK_OUTPUT
def layer_activation(img, layer=style.CONTENT_LAYER):
    x = torch.tensor(np.ascontiguousarray(img), dtype=torch.float32).permute(2, 0, 1)[None]
    with torch.no_grad():
        return net.to("cpu")(x, [layer])[layer]


a_C = layer_activation(content)
blurred = (content + np.roll(content, 1, axis=1)) / 2
for name, other in [("blurred cat", blurred), ("flipped cat", content[:, ::-1])]:
    a_G = layer_activation(other)
    j_np = style.content_cost(a_C.numpy(), a_G.numpy())
    j_torch = style.content_cost_torch(a_C, a_G).item()
    print(f"{name}: NumPy and PyTorch agree: {np.isclose(j_np, j_torch, rtol=1e-4)}")
print(
    "flipped is further:",
    style.content_cost(a_C, layer_activation(content[:, ::-1]))
    > style.content_cost(a_C, layer_activation(blurred)),
)

# %% [markdown]
# ## 5. The style cost: correlations between channels
#
# What is "style"? Take one layer and look at two of its channels: say channel $k$ fires on
# **vertical stripes** and channel $k'$ on an **orange tint**. If, all over the image, the
# stripes are where the orange is, the two channels are **highly correlated**: "stripy things
# are orange" is part of this image's style. If they fire in different places, they are
# uncorrelated. Style is *which textures occur together*, whatever their position: the sum
# over positions throws *where* away.
#
# Unroll the layer's activations to a matrix $A$ of shape $n_C \times (n_H n_W)$: one row per
# channel. The **Gram matrix** (style matrix) holds every pair's sum of products:
#
# $$G^{[l]}_{kk'} = \sum_{i=1}^{n_H} \sum_{j=1}^{n_W} a_{ijk}\, a_{ijk'}, \qquad
#   G^{[l]} = A A^\top \quad (n_C \times n_C).$$
#
# (It is called a correlation, though the means are not subtracted.) Compute it for $S$ and
# for $G$, and compare:
#
# $$J^{[l]}_\text{style}(S, G) = \frac{1}{(2\, n_H\, n_W\, n_C)^2} \sum_{k}\sum_{k'}
#   \big(G^{[l](S)}_{kk'} - G^{[l](G)}_{kk'}\big)^2 .$$
#
# One layer captures textures of one scale, so we add several layers with weights
# $\lambda^{[l]}$: $J_\text{style}(S, G) = \sum_l \lambda^{[l]} J^{[l]}_\text{style}(S, G)$.
# Here are the Gram matrices at `conv1_1` (32 channels) for the style and the content image:
# different patterns of co-occurrence.

# %%
a_S1 = layer_activation(style_img, "conv1_1")
a_C1 = layer_activation(content, "conv1_1")
style.plot.plot_grams(
    {
        "style image, conv1_1": style.gram_matrix(a_S1.numpy()),
        "content image, conv1_1": style.gram_matrix(a_C1.numpy()),
    }
)

# %%
# NBVAL_CHECK_OUTPUT
layers, lam = list(style.STYLE_LAYERS), list(style.STYLE_LAYERS.values())
# the top 85 x 128 of the style image (the cat's shape), its mirror image, and the cat
top = style_img[:85]
s_feats = [layer_activation(top, k) for k in layers]
mirror_feats = [layer_activation(top[:, ::-1], k) for k in layers]
cat_feats = [layer_activation(content, k) for k in layers]
j_mirror = style.style_cost([a.numpy() for a in s_feats], [a.numpy() for a in mirror_feats], lam)
j_cat = style.style_cost([a.numpy() for a in s_feats], [a.numpy() for a in cat_feats], lam)
j_torch = style.style_cost_torch(s_feats, cat_feats, lam).item()
print("NumPy and PyTorch agree:", np.isclose(j_cat, j_torch, rtol=1e-4))
print("the mirrored style image has (nearly) the same style:", j_mirror < j_cat / 100)

# %% [markdown]
# Mirroring moves every texture somewhere else but keeps them all: the Gram matrices, which
# sum over positions, hardly change (a cost hundreds of times smaller than the cat's), although
# as a *content* the mirror image is a different picture.

# %% [markdown]
# ## 6. Style transfer: gradient descent on the pixels
#
# `style.style_transfer(content, style, ...)` puts it together: compute $a^{(C)}$ once and the
# style Gram matrices once, start $G$ from the content image (starting from noise works too but
# needs more steps), and at every step compute $J(G)$, backpropagate to the pixels, let Adam
# (or `optimizer="lbfgs"`) move them, and keep them in $[0, 1]$. Defaults: content layer
# `conv3_2`, style layers `conv1_1 … conv4_1` with $\lambda = 1/4$ each, $\alpha = 10$,
# $\beta = 400$. (Gatys et al. and the Deep Learning Specialization use $\beta/\alpha$ from 4 to
# 1000 depending on the network: the balance depends on the scale of the activations, so it is
# a setting to try, not a constant.) Pixel optimisation also likes to add high-frequency colour
# noise that the network barely sees; a small **total variation** term `tv_weight` (the squared
# differences between neighbouring pixels, not part of the notes' $J$) damps it.

# %%
generated, hist = style.style_transfer(
    content, style_img, net=net, steps=150, lr=0.02, tv_weight=1.0, device=dev
)
drawing.plot_images(
    [content, style_img, generated],
    ["content", "style", f"generated, 150 Adam steps\n{net.source}"],
    cols=3,
)

# %%
style.plot.plot_cost_history(
    hist,
    alpha=10,
    beta=400,
    total_label="J(G) + TV",
    title="the style cost falls while the content cost rises from 0",
)

# %% [markdown]
# ## 7. The balance α/β, and which layers carry the style
#
# Three values of $\beta$ (with $\alpha = 10$), at 96 px and 80 steps to keep it quick. With
# the smallest $\beta$ the cat keeps more of its own colours (orange fur, green eyes), and the
# tug-of-war between the two costs leaves colour noise; as $\beta$ grows the style's pale blue
# background and its brown-and-blue outlines take over and the picture gets smoother. The cat
# stays recognisable throughout: we start from it and its content cost holds it in place.

# %%
c96, s96 = data.image("chelsea", 96), style.style_image("immunohistochemistry", 96)
ratios = [40, 400, 4000]
by_beta = [
    style.style_transfer(
        c96, s96, beta=b, net=net, steps=80, tv_weight=1.0, device=dev, progress=False
    )[0]
    for b in ratios
]
drawing.plot_images(by_beta, [f"β = {b}, α = 10" for b in ratios], cols=3)

# %% [markdown]
# Which layers define the style matters as much. With only `conv1_1` (receptive field 3 px)
# the style is a colour palette: the cat turns pale with blue and orange outlines, its texture
# untouched. With only `conv4_1` (68 px) nothing pins down the colours pixel by pixel, and with
# random weights the deep Gram matrices are a loose constraint: the colours drift into noise
# (a pretrained VGG does better here). Using all four layers matches the statistics at every
# scale, from palette to strokes.

# %%
choices = {
    "conv1_1 only": {"conv1_1": 1.0},
    "conv4_1 only": {"conv4_1": 1.0},
    "conv1_1 … conv4_1": style.STYLE_LAYERS,
}
by_layers = [
    style.style_transfer(
        c96,
        s96,
        beta=1000,
        style_layers=sl,
        net=net,
        steps=80,
        tv_weight=1.0,
        device=dev,
        progress=False,
    )[0]
    for sl in choices.values()
]
print("all pictures in this lesson:", net.source)
drawing.plot_images(by_layers, list(choices), cols=3)

# %% [markdown]
# ## Exercises
#
# ### 11.1 A Gram matrix by hand
#
# A layer has two channels over 2 × 2 positions, `style.check.GRAM_ACTIVATIONS`: channel 0 a
# "vertical stripe" detector, channel 1 an "orange tint" detector. Write down its Gram matrix
# (a 2 × 2 list of numbers) without calling `style.gram_matrix`.

# %%
print(style.check.GRAM_ACTIVATIONS)
my_gram = None  # e.g. [[a, b], [c, d]]
style.check.gram_by_hand(my_gram)

# %% tags=["hide-input"] jupyter={"source_hidden": true}
# Solution: unroll to (n_C, n_H·n_W) = (2, 4), then G = A Aᵀ
A = style.check.GRAM_ACTIVATIONS.reshape(2, 4)  # [[1, 0, 2, 0], [3, 1, 1, 0]]
gram_solution = A @ A.T  # [[1+4, 3+2], [3+2, 9+1+1]]
style.check.gram_by_hand(gram_solution)

# %% [markdown]
# ### 11.2 The style cost of one layer
#
# Complete `my_layer_style_cost(a_S, a_G)` for NumPy activations of shape
# $(n_C, n_H, n_W)$: unroll, Gram matrices, then
# $\frac{1}{(2 n_H n_W n_C)^2}\sum (G^{(S)} - G^{(G)})^2$. The stub forgets the normaliser.


# %%
def my_layer_style_cost(a_S, a_G):
    n_C, n_H, n_W = a_S.shape
    A_S, A_G = a_S.reshape(n_C, -1), a_G.reshape(n_C, -1)
    return np.sum((A_S @ A_S.T - A_G @ A_G.T) ** 2)  # TODO: the normalisation


style.check.layer_style_cost_function(my_layer_style_cost)


# %% tags=["hide-input"] jupyter={"source_hidden": true}
# Solution
def layer_style_cost_solution(a_S, a_G):
    n_C, n_H, n_W = a_S.shape
    A_S, A_G = a_S.reshape(n_C, -1), a_G.reshape(n_C, -1)
    return np.sum((A_S @ A_S.T - A_G @ A_G.T) ** 2) / (2 * n_H * n_W * n_C) ** 2


style.check.layer_style_cost_function(layer_style_cost_solution)

# %% [markdown]
# ### 11.3 Try it (no checker)
#
# Change the content to `"astronaut"` or `"coffee"`, the style to `"hubble_deep_field"` or
# `"gravel"`, start from `init="noise"`, or switch to `optimizer="lbfgs"` with 40 steps, and
# look at the result. Which layers would you use to copy only the palette?
