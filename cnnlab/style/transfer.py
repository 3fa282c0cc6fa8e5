"""Neural style transfer itself: gradient descent on the pixels of the generated image
(Gatys et al. 2015, as taught in the Deep Learning Specialization; lesson 12).

:func:`style_transfer` minimises J(G) = α·J_content(C, G) + β·J_style(S, G) over G, with the
costs of :mod:`cnnlab.style.costs` measured by a :func:`cnnlab.style.feature_net`. Its
parts: :func:`style_targets` (what G must match, computed once), :func:`transfer_cost` (J at
one step), :func:`total_variation` (an optional smoothness prior) and :func:`descend` (the
gradient steps on the pixels). The style images
that ship with scikit-image come from :func:`style_image`.
"""

from __future__ import annotations

import numpy as np
import torch

from .. import nets
from .costs import content_cost_torch, gram_matrix_torch, layer_style_cost_torch
from .vgg import VGGFeatures, feature_net, image_tensor

# defaults that work for both the ImageNet and the random network (tried in lesson 12)
STYLE_LAYERS = {"conv1_1": 0.25, "conv2_1": 0.25, "conv3_1": 0.25, "conv4_1": 0.25}
CONTENT_LAYER = "conv3_2"

STYLE_IMAGES = ("immunohistochemistry", "hubble_deep_field", "brick", "grass", "gravel")


def style_image(name: str = "immunohistochemistry", size: int | None = 128) -> np.ndarray:
    """A texture that ships with scikit-image, as (H, W, 3) floats in [0, 1].

    name: one of ``STYLE_IMAGES`` or of ``cnnlab.data.IMAGES``; the grey textures (brick,
    grass, gravel) are repeated over three channels. size: longer side in pixels (or None).
    """
    from skimage import data as skdata
    from skimage import transform

    from cnnlab import data

    if name in ("immunohistochemistry", "hubble_deep_field"):
        img = getattr(skdata, name)().astype(np.float64) / 255.0
        if size is not None:
            scale = size / max(img.shape[:2])
            shape = (round(img.shape[0] * scale), round(img.shape[1] * scale))
            img = transform.resize(img, shape, anti_aliasing=True)
    elif name in data.IMAGES:
        img = data.image(name, size)
    else:
        raise ValueError(
            f"unknown style image {name!r}; choose one of {', '.join(STYLE_IMAGES + data.IMAGES)}"
        )
    if img.ndim == 2:
        img = np.repeat(img[..., None], 3, axis=2)
    return np.clip(img, 0.0, 1.0)


def style_targets(net: VGGFeatures, content, style, content_layer: str, style_layers):
    """What the generated image must match, computed once before the optimisation.

    content, style: (1, 3, H, W) tensors (the style image may have another size);
    style_layers: the layer names (a dict's keys will do). Returns (a_C, grams_S): the
    content image's activations at ``content_layer``, (1, n_C, n_H, n_W), and {layer: the
    style image's Gram matrix (n_C, n_C)}. When the two images differ in size, each Gram
    matrix is rescaled to the generated image's number of positions (it sums over them).
    """
    with torch.no_grad():
        a_C = net(content, [content_layer])[content_layer]
        feats_S = net(style, list(style_layers))
        grams_S = {k: gram_matrix_torch(v[0]) for k, v in feats_S.items()}
        if style.shape[2:] != content.shape[2:]:
            feats_G = net(content, list(style_layers))
            grams_S = {
                k: g * (feats_G[k][0, 0].numel() / feats_S[k][0, 0].numel())
                for k, g in grams_S.items()
            }
    return a_C, grams_S


def total_variation(x: torch.Tensor) -> torch.Tensor:
    """Mean squared difference between vertically plus horizontally neighbouring pixels of
    (N, C, H, W) images, a 0-d tensor: a smoothness prior, not part of the notes' J(G), that
    removes the high-frequency colour noise pixel optimisation makes (Mahendran & Vedaldi
    2015; Johnson et al. 2016)."""
    return ((x[..., 1:, :] - x[..., :-1, :]) ** 2).mean() + ((x[..., 1:] - x[..., :-1]) ** 2).mean()


def transfer_cost(
    net: VGGFeatures,
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
    style_layers: {layer: λ^[l]}. Differentiable with respect to x."""
    layers = list(dict.fromkeys([content_layer, *style_layers]))
    feats = net(x.clamp(0, 1), layers)
    jc = content_cost_torch(a_C, feats[content_layer])
    js = sum(
        w * layer_style_cost_torch(None, feats[k], grams_S[k]) for k, w in style_layers.items()
    )
    j = alpha * jc + beta * js
    if tv_weight:
        j = j + tv_weight * total_variation(x)
    return j, jc, js


def _check_options(optimizer: str, init: str, steps: int) -> None:
    if optimizer not in ("adam", "lbfgs"):
        raise ValueError(f"optimizer must be 'adam' or 'lbfgs', got {optimizer!r}")
    if init not in ("content", "noise"):
        raise ValueError(f"init must be 'content' or 'noise', got {init!r}")
    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps}")


def style_transfer(
    content,
    style,
    *,
    alpha: float = 10.0,
    beta: float = 400.0,
    content_layer: str = CONTENT_LAYER,
    style_layers: dict | None = None,
    steps: int = 200,
    lr: float = 0.02,
    optimizer: str = "adam",
    net: VGGFeatures | None = None,
    init: str = "content",
    tv_weight: float = 0.0,
    seed: int = 0,
    device=None,
    progress: bool = True,
):
    """Optimise a generated image G to minimise J(G) = α·J_content(C, G) + β·J_style(S, G).

    content, style: (H, W, 3) floats in [0, 1] (the style image may have another size).
    content_layer: the layer whose activations G must match; style_layers: {layer: λ},
    default :data:`STYLE_LAYERS`. optimizer: ``"adam"`` (``lr`` is its step size in pixel
    units) or ``"lbfgs"`` (``steps`` counts its iterations). init: start G from the
    ``"content"`` image or from ``"noise"``. tv_weight: adds tv_weight ×
    :func:`total_variation` of G. net: a :func:`feature_net` (default: ``"auto"``).

    Returns (image, history): G as (H, W, 3) floats in [0, 1], and a dict of lists
    ``total``, ``content``, ``style`` (J, J_content, J_style at every step).
    """
    _check_options(optimizer, init, steps)
    dev = torch.device(device) if device is not None else nets.device()
    net = (net if net is not None else feature_net("auto")).to(dev)
    style_layers = dict(STYLE_LAYERS if style_layers is None else style_layers)
    c, s = image_tensor(content, dev), image_tensor(style, dev)
    a_C, grams_S = style_targets(net, c, s, content_layer, style_layers)
    torch.manual_seed(seed)
    x = (c.clone() if init == "content" else torch.rand_like(c)).requires_grad_(True)

    weights = {"alpha": alpha, "beta": beta, "tv_weight": tv_weight}
    layers = {"content_layer": content_layer, "style_layers": style_layers}

    def cost(x):
        return transfer_cost(net, x, a_C, grams_S, **layers, **weights)

    hist = descend(cost, x, steps=steps, lr=lr, optimizer=optimizer, progress=progress)
    out = x.detach()[0].permute(1, 2, 0).cpu().numpy().astype(np.float64)
    return np.clip(out, 0, 1), hist


def descend(cost, x: torch.Tensor, *, steps: int, lr: float, optimizer: str, progress: bool):
    """Gradient descent on the pixels: ``steps`` steps of Adam (step size ``lr``) or L-BFGS
    on x (1, 3, H, W), in place, clamping x to [0, 1] after each. cost: x -> (J, J_content,
    J_style) 0-d tensors, as :func:`transfer_cost` gives. Returns the history, a dict of
    lists ``total``, ``content``, ``style``, one value per step."""
    from tqdm.auto import tqdm

    if optimizer == "adam":
        opt = torch.optim.Adam([x], lr=lr)
    elif optimizer == "lbfgs":
        opt = torch.optim.LBFGS([x], lr=1, max_iter=1)
    else:
        raise ValueError(f"optimizer must be 'adam' or 'lbfgs', got {optimizer!r}")
    hist = {"total": [], "content": [], "style": []}

    def closure():
        opt.zero_grad(set_to_none=True)
        j, jc, js = cost(x)
        j.backward()
        closure.last = (j.detach(), jc.detach(), js.detach())
        return j

    for _ in tqdm(range(steps), desc="style transfer", disable=not progress, leave=False):
        opt.step(closure)
        with torch.no_grad():
            x.clamp_(0, 1)
        for key, v in zip(("total", "content", "style"), closure.last, strict=True):
            hist[key].append(float(v))
    return hist
