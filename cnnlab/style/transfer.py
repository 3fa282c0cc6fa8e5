"""Neural style transfer itself: gradient descent on the pixels of the generated image
(Gatys et al. 2015, as taught in the Deep Learning Specialization; lesson 12).

:func:`style_transfer` minimises J(G) = α·J_content(C, G) + β·J_style(S, G) over G, with the
costs of :mod:`cnnlab.style.costs` measured by a :func:`cnnlab.style.feature_net` (the
trained VGG16 by default). Its parts: :func:`style_targets` (what G must match, computed
once), :func:`transfer_cost` (J at one step), :func:`total_variation` (an optional
smoothness term) and :func:`descend` (the L-BFGS or Adam steps on the pixels).
:func:`layer_style_costs` gives each layer's share of the style cost;
:func:`content_reconstruction` shows what one layer keeps of an image. The style images that
ship with scikit-image come from :func:`style_image`.
"""

from __future__ import annotations

import numpy as np
import torch

from .. import nets
from ..i18n import tr
from ..validate import check_int
from .costs import (
    check_weight,
    checked_layer_weights,
    content_cost_torch,
    gram_matrix_torch,
    layer_style_cost_torch,
)
from .vgg import FeatureNet, feature_net, image_tensor

#: Gatys et al.'s style layers (the first of each block, after its ReLU), equal weights λ.
STYLE_LAYERS = {"relu1_1": 0.2, "relu2_1": 0.2, "relu3_1": 0.2, "relu4_1": 0.2, "relu5_1": 0.2}
#: Gatys et al.'s content layer.
CONTENT_LAYER = "relu4_2"
#: Textures that ship with scikit-image, usable as style images.
STYLE_IMAGES = ("immunohistochemistry", "hubble_deep_field", "brick", "grass", "gravel")
OPTIMIZERS = ("lbfgs", "adam")


def style_image(name: str = "immunohistochemistry", size: int | None = 128) -> np.ndarray:
    """A texture that ships with scikit-image, as (H, W, 3) floats in [0, 1].

    name: one of ``STYLE_IMAGES`` or of ``cnnlab.data.IMAGES``; the grey textures (brick,
    grass, gravel) are repeated over three channels (a choice made here, visibly: the network
    was trained on colour photographs). size: longer side in pixels (an integer >= 4), or None.
    """
    from skimage import data as skdata
    from skimage import transform

    from cnnlab import data

    if name in ("immunohistochemistry", "hubble_deep_field"):
        img = getattr(skdata, name)().astype(np.float64) / 255.0
        if size is not None:
            size = check_int("size", size, 4)
            scale = size / max(img.shape[:2])
            shape = (round(img.shape[0] * scale), round(img.shape[1] * scale))
            img = transform.resize(img, shape, anti_aliasing=True)
    elif isinstance(name, str) and name in data.IMAGES:
        img = data.image(name, size)
    else:
        raise ValueError(
            tr("unknown style image {name!r}; choose one of {names}").format(
                name=name, names=", ".join(STYLE_IMAGES + data.IMAGES)
            )
        )
    if img.ndim == 2:
        img = np.repeat(img[..., None], 3, axis=2)
    return np.clip(img, 0.0, 1.0)


def style_targets(net: FeatureNet, content, style, content_layer: str, style_layers):
    """What the generated image must match, computed once before the optimisation.

    content, style: (1, 3, H, W) tensors (the style image may have another size);
    style_layers: the layer names (a dict's keys will do). Returns (a_C, grams_S): the
    content image's activations at ``content_layer``, (1, n_C, n_H, n_W), and {layer: the
    style image's Gram matrix (n_C, n_C)}. When the two images differ in size, each Gram
    matrix is rescaled to the generated image's number of positions (it sums over them).
    """
    with torch.no_grad():
        a_C = net(content, [content_layer])[content_layer]
        if not style_layers:
            return a_C, {}
        feats_S = net(style, list(style_layers))
        grams_S = {k: gram_matrix_torch(v[0]) for k, v in feats_S.items()}
        if style.shape[2:] != content.shape[2:]:
            feats_G = net(content, list(style_layers))
            grams_S = {
                k: g * (feats_G[k][0, 0].numel() / feats_S[k][0, 0].numel())
                for k, g in grams_S.items()
            }
    return a_C, grams_S


def layer_style_costs(net: FeatureNet, image, style, layers=tuple(STYLE_LAYERS)) -> dict:
    """J_style^[l](S, G) of every layer for a fixed image G (before any λ): how much each
    layer would contribute to the style cost, e.g. at the start of a transfer (G = C).

    image, style: (H, W, 3) RGB in [0, 1] or uint8 (any sizes, as in :func:`style_targets`).
    Returns {layer: float}.
    """
    dev = next(net.parameters()).device
    g, s = image_tensor(image, dev), image_tensor(style, dev, "style")
    _, grams_S = style_targets(net, g, s, list(layers)[0], list(layers))
    with torch.no_grad():
        feats = net(g, list(layers))
        return {k: layer_style_cost_torch(None, feats[k], grams_S[k]).item() for k in layers}


def total_variation(x: torch.Tensor) -> torch.Tensor:
    """Mean squared difference between vertically plus horizontally neighbouring pixels of
    (N, C, H, W) images, a 0-d tensor: a smoothness prior, not part of the notes' J(G), that
    removes the high-frequency colour noise pixel optimisation makes (Mahendran & Vedaldi
    2015; Johnson et al. 2016)."""
    return ((x[..., 1:, :] - x[..., :-1, :]) ** 2).mean() + ((x[..., 1:] - x[..., :-1]) ** 2).mean()


def transfer_cost(
    net: FeatureNet,
    x: torch.Tensor,
    a_C: torch.Tensor,
    grams_S: dict,
    *,
    content_layer: str,
    style_layers: dict,
    alpha: float,
    beta: float,
    tv_weight: float = 0.0,
):
    """The cost of the generated image x (1, 3, H, W) against the targets of
    :func:`style_targets`: returns (J, J_content, J_style), 0-d tensors, with
    J = α·J_content + β·Σ_l λ^[l]·J_style^[l] (+ tv_weight × :func:`total_variation`).
    style_layers: {layer: λ^[l]} (may be empty: J_style is then 0). Differentiable with
    respect to x."""
    layers = list(dict.fromkeys([content_layer, *style_layers]))
    feats = net(x.clamp(0, 1), layers)
    jc = content_cost_torch(a_C, feats[content_layer])
    js = jc.new_zeros(())
    for k, w in style_layers.items():
        js = js + w * layer_style_cost_torch(None, feats[k], grams_S[k])
    j = alpha * jc + beta * js
    if tv_weight:
        j = j + tv_weight * total_variation(x)
    return j, jc, js


def _check_options(optimizer, init, steps, lr) -> int:
    if optimizer not in OPTIMIZERS:
        raise ValueError(
            tr("optimizer must be one of {optimizers}, got {optimizer!r}").format(
                optimizers=OPTIMIZERS, optimizer=optimizer
            )
        )
    if init not in ("content", "noise"):
        raise ValueError(tr("init must be 'content' or 'noise', got {init!r}").format(init=init))
    check_weight("lr", lr, positive=True)
    return check_int("steps", steps, 1)


def style_transfer(
    content,
    style,
    *,
    alpha: float = 10.0,
    beta: float = 0.01,
    content_layer: str = CONTENT_LAYER,
    style_layers: dict | None = None,
    steps: int = 60,
    optimizer: str = "lbfgs",
    lr: float = 0.02,
    net: FeatureNet | None = None,
    init: str = "content",
    tv_weight: float = 0.0,
    seed: int = 0,
    device=None,
    progress: bool = True,
):
    """Optimise a generated image G to minimise J(G) = α·J_content(C, G) + β·J_style(S, G).

    content, style: (H, W, 3) RGB, floats in [0, 1] or uint8 (the style image may have
    another size). content_layer: the layer whose activations G must match; style_layers:
    {layer: λ^[l] >= 0}, default :data:`STYLE_LAYERS`. alpha, beta, tv_weight: finite and
    >= 0. optimizer: ``"lbfgs"`` (``steps`` counts its iterations, one cost evaluation
    each) or ``"adam"`` (``lr`` is its step size in pixel units). init: start G from the
    ``"content"`` image or from ``"noise"`` (uniform in [0, 1], seeded). tv_weight: adds
    tv_weight × :func:`total_variation` of G. net: a :func:`feature_net` (default: the
    trained VGG16). The defaults (α = 10, β = 0.01, 60 L-BFGS steps) were chosen in lesson 12
    for that network.

    Returns (image, history): G as (H, W, 3) floats in [0, 1], and a dict of lists
    ``total``, ``content``, ``style`` (J, J_content, J_style at every step).
    """
    steps = _check_options(optimizer, init, steps, lr)
    weights = {
        name: check_weight(name, v)
        for name, v in (("alpha", alpha), ("beta", beta), ("tv_weight", tv_weight))
    }
    style_layers = checked_layer_weights(STYLE_LAYERS if style_layers is None else style_layers)
    dev = torch.device(device) if device is not None else nets.device()
    net = (net if net is not None else feature_net("vgg16")).to(dev)
    c, s = image_tensor(content, dev, "content"), image_tensor(style, dev, "style")
    a_C, grams_S = style_targets(net, c, s, content_layer, style_layers)
    x = _start(c, init, seed)
    layers = {"content_layer": content_layer, "style_layers": style_layers}

    def cost(x):
        return transfer_cost(net, x, a_C, grams_S, **layers, **weights)

    hist = descend(cost, x, steps=steps, lr=lr, optimizer=optimizer, progress=progress)
    return _to_image(x), hist


def content_reconstruction(
    image,
    layer: str,
    *,
    steps: int = 60,
    tv_weight: float = 0.0,
    net: FeatureNet | None = None,
    seed: int = 0,
    device=None,
    progress: bool = False,
):
    """What one layer keeps of an image: start from noise and minimise only
    J_content(image, G) at ``layer`` (L-BFGS, ``steps`` iterations), as Gatys et al. and
    Mahendran & Vedaldi (2015) do. A shallow layer gives the image back almost pixel for
    pixel; a deep one keeps the arrangement and lets the exact pixels go.

    image: (H, W, 3) RGB in [0, 1] or uint8. Returns (G, history) as :func:`style_transfer`
    does (``history["style"]`` is all zeros).
    """
    steps = check_int("steps", steps, 1)
    tv_weight = check_weight("tv_weight", tv_weight)
    dev = torch.device(device) if device is not None else nets.device()
    net = (net if net is not None else feature_net("vgg16")).to(dev)
    target = image_tensor(image, dev)
    with torch.no_grad():
        a_C = net(target, [layer])[layer]
    x = _start(target, "noise", seed)

    def cost(x):
        return transfer_cost(
            net,
            x,
            a_C,
            {},
            content_layer=layer,
            style_layers={},
            alpha=1.0,
            beta=0.0,
            tv_weight=tv_weight,
        )

    hist = descend(cost, x, steps=steps, lr=0.02, optimizer="lbfgs", progress=progress)
    return _to_image(x), hist


def _start(c: torch.Tensor, init: str, seed: int) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)  # its own generator: the global RNG is left alone
    x = c.clone() if init == "content" else torch.rand(c.shape, generator=g).to(c.device)
    return x.requires_grad_(True)


def _to_image(x: torch.Tensor) -> np.ndarray:
    return np.clip(x.detach()[0].permute(1, 2, 0).cpu().numpy().astype(np.float64), 0, 1)


def descend(cost, x: torch.Tensor, *, steps: int, lr: float, optimizer: str, progress: bool):
    """Gradient descent on the pixels: ``steps`` steps of L-BFGS or Adam (step size ``lr``)
    on x (1, 3, H, W), in place, clamping x to [0, 1] after each. cost: x -> (J, J_content,
    J_style) 0-d tensors, as :func:`transfer_cost` gives. Returns the history, a dict of
    lists ``total``, ``content``, ``style``, one value per step.

    L-BFGS (limited-memory Broyden–Fletcher–Goldfarb–Shanno) keeps the last few steps and
    gradient changes and uses them to estimate the cost's curvature, so each step is scaled
    like a Newton step without ever forming the Hessian; torch runs one iteration (one cost
    evaluation) per step here, keeping its memory from step to step.
    """
    from tqdm.auto import tqdm

    if optimizer == "adam":
        opt = torch.optim.Adam([x], lr=lr)
    elif optimizer == "lbfgs":
        opt = torch.optim.LBFGS([x], lr=1, max_iter=1)
    else:
        raise ValueError(
            tr("optimizer must be one of {optimizers}, got {optimizer!r}").format(
                optimizers=OPTIMIZERS, optimizer=optimizer
            )
        )
    hist = {"total": [], "content": [], "style": []}

    def closure():
        opt.zero_grad(set_to_none=True)
        j, jc, js = cost(x)
        j.backward()
        closure.last = (j.detach(), jc.detach(), js.detach())
        return j

    for _ in tqdm(range(steps), desc=tr("style transfer"), disable=not progress, leave=False):
        opt.step(closure)
        with torch.no_grad():
            x.clamp_(0, 1)
        for key, v in zip(("total", "content", "style"), closure.last, strict=True):
            hist[key].append(float(v))
    return hist
