"""The costs of neural style transfer: content cost, Gram matrix, style cost (lesson 12).

The costs exist twice: in NumPy (``gram_matrix``, ``content_cost``, ``layer_style_cost``,
``style_cost``), the readable definition, and in PyTorch (the same names with ``_torch``),
which :func:`cnnlab.style.style_transfer` differentiates. Tests check the two agree.

Activations are ``(n_C, n_H, n_W)`` (one image, channels first) or ``(1, n_C, n_H, n_W)``.

>>> a = np.arange(8.0).reshape(2, 2, 2)  # n_C = 2 channels over 2x2 positions
>>> gram_matrix(a)
array([[ 14.,  38.],
       [ 38., 126.]])
>>> content_cost(a, a)
0.0
"""

from __future__ import annotations

import numpy as np
import torch


# ----------------------------------------------------------------------------- NumPy
def _as_chw(a, name: str) -> np.ndarray:
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 4 and a.shape[0] == 1:
        a = a[0]
    if a.ndim != 3:
        raise ValueError(
            f"{name} must be activations of shape (n_C, n_H, n_W) or (1, n_C, n_H, n_W), "
            f"got shape {a.shape}"
        )
    return a


def gram_matrix(features) -> np.ndarray:
    """Gram ("style") matrix of one layer's activations.

    features: (n_C, n_H, n_W) or (1, n_C, n_H, n_W). Unroll to A of shape (n_C, n_H·n_W);
    returns G = A Aᵀ, shape (n_C, n_C): G[k, k'] = Σ_positions a_k · a_k', how much channels
    k and k' fire together (unnormalised, as in the notes).
    """
    a = _as_chw(features, "features")
    flat = a.reshape(a.shape[0], -1)
    return flat @ flat.T


def _check_same(a, b, names):
    if a.shape != b.shape:
        raise ValueError(
            f"{names[0]} and {names[1]} must have the same shape, got {a.shape} and {b.shape}"
        )


def content_cost(a_C, a_G) -> float:
    """J_content = 1/(4·n_H·n_W·n_C) · Σ (a_C − a_G)², one layer's activations of the
    content image C and the generated image G, each (n_C, n_H, n_W) or (1, n_C, n_H, n_W).
    Returns a float."""
    a_C, a_G = _as_chw(a_C, "a_C"), _as_chw(a_G, "a_G")
    _check_same(a_C, a_G, ("a_C", "a_G"))
    n_C, n_H, n_W = a_C.shape
    return float(np.sum((a_C - a_G) ** 2) / (4 * n_H * n_W * n_C))


def layer_style_cost(a_S, a_G) -> float:
    """One layer's style cost, J_style^[l] = 1/(2·n_H·n_W·n_C)² · Σ_{k,k'} (G_S − G_G)²,
    with G the Gram matrices of the style image's and the generated image's activations.

    a_S, a_G: (n_C, n_H, n_W) or (1, n_C, n_H, n_W), the same shape. Returns a float.
    """
    a_S, a_G = _as_chw(a_S, "a_S"), _as_chw(a_G, "a_G")
    _check_same(a_S, a_G, ("a_S", "a_G"))
    n_C, n_H, n_W = a_S.shape
    diff = gram_matrix(a_S) - gram_matrix(a_G)
    return float(np.sum(diff**2) / (2 * n_H * n_W * n_C) ** 2)


def _weights_for(style_feats, gen_feats, weights) -> list[tuple]:
    """(a_S, a_G, λ) for every layer; a dict of weights may leave a layer out (λ = 0)."""
    if isinstance(style_feats, dict):
        keys = list(style_feats)
        if set(keys) != set(gen_feats):
            raise ValueError(
                "style and generated features name different layers: "
                f"{sorted(style_feats)} vs {sorted(gen_feats)}"
            )
        if weights is None:
            weights = {k: 1.0 / len(keys) for k in keys}
        if not isinstance(weights, dict) or set(weights) - set(keys):
            raise ValueError(
                f"layer_weights must be a dict over the layers {keys}, got {weights!r}"
            )
        return [(style_feats[k], gen_feats[k], float(weights.get(k, 0.0))) for k in keys]
    if len(style_feats) != len(gen_feats):
        raise ValueError(
            f"got {len(style_feats)} style layers but {len(gen_feats)} generated layers"
        )
    if weights is None:
        weights = [1.0 / len(style_feats)] * len(style_feats)
    if isinstance(weights, dict):
        raise ValueError(
            "layer_weights is a dict: pass the features as dicts by layer name too, "
            "or weights as a list"
        )
    if len(weights) != len(style_feats):
        raise ValueError(f"need one weight per layer ({len(style_feats)}), got {len(weights)}")
    return [(s, g, float(w)) for s, g, w in zip(style_feats, gen_feats, weights, strict=True)]


def style_cost(style_feats, gen_feats, layer_weights=None) -> float:
    """J_style(S, G) = Σ_l λ^[l] · J_style^[l](S, G).

    style_feats, gen_feats: lists (or dicts by layer name) of activations, one per layer,
    each (n_C, n_H, n_W) or (1, n_C, n_H, n_W).
    layer_weights: the λ^[l], same length (or dict); default equal weights summing to 1.
    Returns a float.
    """
    triples = _weights_for(style_feats, gen_feats, layer_weights)
    return float(sum(w * layer_style_cost(s, g) for s, g, w in triples))


def total_cost(j_content: float, j_style: float, alpha: float = 10.0, beta: float = 40.0) -> float:
    """J(G) = α·J_content(C, G) + β·J_style(S, G), from the two costs (floats).

    >>> total_cost(1.0, 2.0, alpha=10, beta=40)
    90.0
    """
    return alpha * j_content + beta * j_style


# ----------------------------------------------------------------------------- PyTorch
def _t_chw(a: torch.Tensor, name: str) -> torch.Tensor:
    if a.dim() == 4 and a.shape[0] == 1:
        a = a[0]
    if a.dim() != 3:
        raise ValueError(
            f"{name} must be (n_C, n_H, n_W) or (1, n_C, n_H, n_W), got shape {tuple(a.shape)}"
        )
    return a


def gram_matrix_torch(features: torch.Tensor) -> torch.Tensor:
    """PyTorch twin of :func:`gram_matrix`: (n_C, n_H, n_W) or (1, n_C, n_H, n_W) ->
    (n_C, n_C), differentiable."""
    a = _t_chw(features, "features")
    flat = a.reshape(a.shape[0], -1)
    return flat @ flat.T


def content_cost_torch(a_C: torch.Tensor, a_G: torch.Tensor) -> torch.Tensor:
    """PyTorch twin of :func:`content_cost`: two (n_C, n_H, n_W) tensors -> a 0-d tensor."""
    a_C, a_G = _t_chw(a_C, "a_C"), _t_chw(a_G, "a_G")
    _check_same(a_C, a_G, ("a_C", "a_G"))
    n_C, n_H, n_W = a_C.shape
    return ((a_C - a_G) ** 2).sum() / (4 * n_H * n_W * n_C)


def layer_style_cost_torch(
    a_S: torch.Tensor | None, a_G: torch.Tensor, gram_S: torch.Tensor | None = None
) -> torch.Tensor:
    """PyTorch twin of :func:`layer_style_cost`: (n_C, n_H, n_W) tensors -> a 0-d tensor.

    Pass ``gram_S`` (n_C, n_C) to reuse a precomputed Gram matrix of the style image
    (``a_S`` is then ignored and may be None).
    """
    a_G = _t_chw(a_G, "a_G")
    n_C, n_H, n_W = a_G.shape
    if gram_S is None:
        a_S = _t_chw(a_S, "a_S")
        _check_same(a_S, a_G, ("a_S", "a_G"))
        gram_S = gram_matrix_torch(a_S)
    return ((gram_S - gram_matrix_torch(a_G)) ** 2).sum() / (2 * n_H * n_W * n_C) ** 2


def style_cost_torch(style_feats, gen_feats, layer_weights=None) -> torch.Tensor:
    """PyTorch twin of :func:`style_cost` (lists or dicts of tensors -> a 0-d tensor)."""
    triples = _weights_for(style_feats, gen_feats, layer_weights)
    return sum(w * layer_style_cost_torch(s, g) for s, g, w in triples)
