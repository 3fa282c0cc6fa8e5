"""The costs of neural style transfer: content cost, Gram matrix, style cost (lesson 12).

The costs exist twice: in NumPy (``gram_matrix``, ``content_cost``, ``layer_style_cost``,
``style_cost``), the readable definition, and in PyTorch (the same names with ``_torch``),
which :func:`cnnlab.style.style_transfer` differentiates. Tests check the two agree.

Activations are ``(n_C, n_H, n_W)`` (one image, channels first) or ``(1, n_C, n_H, n_W)``,
real numbers (ints or floats; bools, complex numbers, strings and None are refused), with at
least one entry: an empty layer has no average to take, and would give 0/0 = NaN.

>>> a = np.arange(8.0).reshape(2, 2, 2)  # n_C = 2 channels over 2x2 positions
>>> gram_matrix(a)
array([[ 14.,  38.],
       [ 38., 126.]])
>>> content_cost(a, a)
0.0
"""

from __future__ import annotations

import numbers

import numpy as np
import torch

from ..i18n import tr
from ..validate import as_real_array

SHAPES = "(n_C, n_H, n_W) or (1, n_C, n_H, n_W)"


# ----------------------------------------------------------------------------- checks
def check_weight(name: str, value, positive: bool = False) -> float:
    """A cost weight (α, β, a layer's λ, a step size) as a float: a finite real number >= 0
    (> 0 with ``positive``). Bools, NaN, infinities, strings and None are refused: a negative
    or NaN weight would make the cost negative or NaN without any error."""
    ok = isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))
    if ok:
        ok = bool(np.isfinite(value)) and (value > 0 if positive else value >= 0)
    if not ok:
        bound = "> 0" if positive else ">= 0"
        raise ValueError(
            tr("{name} must be a finite number {bound}, got {value}").format(
                name=name, bound=bound, value=repr(value)
            )
        )
    return float(value)


def checked_layer_weights(style_layers, name: str = "style_layers") -> dict:
    """{layer name: λ^[l]} checked: a dict of layer names to finite weights >= 0."""
    if not isinstance(style_layers, dict):
        raise ValueError(
            tr(
                "{name} must be a dict from layer names to weights λ, e.g. {example}, got {kind}"
            ).format(
                name=name,
                example="{'relu1_1': 0.5, 'relu2_1': 0.5}",
                kind=type(style_layers).__name__,
            )
        )
    return {k: check_weight(f"{name}[{k!r}]", w) for k, w in style_layers.items()}


def _check_size(shape, name: str) -> None:
    if 0 in shape:
        raise ValueError(
            tr(
                "{name} has no entries (shape {shape}): a layer needs at least one channel and "
                "one position, otherwise its cost is 0/0"
            ).format(name=name, shape=shape)
        )


def _as_chw(a, name: str) -> np.ndarray:
    a = as_real_array(name, a).astype(np.float64, copy=False)
    if a.ndim == 4 and a.shape[0] == 1:
        a = a[0]
    if a.ndim != 3:
        raise ValueError(
            tr("{name} must be activations of shape {shapes}, got shape {shape}").format(
                name=name, shapes=SHAPES, shape=a.shape
            )
        )
    _check_size(a.shape, name)
    if not np.isfinite(a).all():
        raise ValueError(tr("{name} contains NaN or infinite values").format(name=name))
    return a


def _check_same(a, b, names):
    if a.shape != b.shape:
        raise ValueError(
            tr("{a} and {b} must have the same shape, got {sa} and {sb}").format(
                a=names[0], b=names[1], sa=tuple(a.shape), sb=tuple(b.shape)
            )
        )


# ----------------------------------------------------------------------------- NumPy
def gram_matrix(features) -> np.ndarray:
    """Gram ("style") matrix of one layer's activations.

    features: (n_C, n_H, n_W) or (1, n_C, n_H, n_W). Unroll to A of shape (n_C, n_H·n_W);
    returns G = A Aᵀ, shape (n_C, n_C): G[k, k'] = Σ_positions a_k · a_k', how much channels
    k and k' fire together (unnormalised, as in the notes).
    """
    a = _as_chw(features, "features")
    flat = a.reshape(a.shape[0], -1)
    return flat @ flat.T


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


def _layer_list(feats, name: str) -> None:
    """Refuse what is not a list (or tuple) of per-layer activations, saying what came."""
    if isinstance(feats, (np.ndarray, torch.Tensor)):
        raise ValueError(
            tr(
                "{name} must be a list of activations, one {shapes} array per style layer; got "
                "a single {kind} of shape {shape} (for one layer, pass [{name}])"
            ).format(name=name, shapes=SHAPES, kind=type(feats).__name__, shape=tuple(feats.shape))
        )
    if not isinstance(feats, (list, tuple)):
        raise ValueError(
            tr(
                "{name} must be a list of activations, one {shapes} array per style layer (or "
                "a dict by layer name, with the other features a dict too); got {kind}"
            ).format(name=name, shapes=SHAPES, kind=type(feats).__name__)
        )
    if not feats:
        raise ValueError(
            tr("{name} is empty: give one activation per style layer (at least one layer)").format(
                name=name
            )
        )


def _dict_triples(style_feats, gen_feats, weights) -> list[tuple]:
    if not isinstance(gen_feats, dict):
        raise ValueError(
            tr(
                "style_feats is a dict by layer name, so gen_feats must be one too (or give both "
                "as lists); got gen_feats of type {kind}"
            ).format(kind=type(gen_feats).__name__)
        )
    keys = list(style_feats)
    if not keys:
        raise ValueError(tr("style_feats is empty: give one activation per style layer"))
    if set(keys) != set(gen_feats):
        raise ValueError(
            tr("style_feats and gen_feats name different layers: {s} vs {g}").format(
                s=sorted(map(str, style_feats)), g=sorted(map(str, gen_feats))
            )
        )
    if weights is None:
        weights = {k: 1.0 / len(keys) for k in keys}
    if not isinstance(weights, dict) or set(weights) - set(keys):
        raise ValueError(
            tr("layer_weights must be None or a dict over the layers {keys}, got {weights}").format(
                keys=keys, weights=repr(weights)
            )
        )
    return [
        (style_feats[k], gen_feats[k], check_weight(f"layer_weights[{k!r}]", weights.get(k, 0.0)))
        for k in keys
    ]


def _weights_for(style_feats, gen_feats, weights) -> list[tuple]:
    """(a_S, a_G, λ) for every layer; a dict of weights may leave a layer out (λ = 0)."""
    if isinstance(style_feats, dict):
        return _dict_triples(style_feats, gen_feats, weights)
    _layer_list(style_feats, "style_feats")
    if isinstance(gen_feats, dict):
        raise ValueError(
            tr(
                "style_feats is a list, so gen_feats must be a list too (or give both as dicts "
                "by layer name); got gen_feats of type dict"
            )
        )
    _layer_list(gen_feats, "gen_feats")
    if len(style_feats) != len(gen_feats):
        raise ValueError(
            tr("got {s} style layers but {g} generated layers").format(
                s=len(style_feats), g=len(gen_feats)
            )
        )
    n = len(style_feats)
    if weights is None:
        weights = [1.0 / n] * n
    if isinstance(weights, dict):
        raise ValueError(
            tr(
                "layer_weights is a dict: pass the features as dicts by layer name too, "
                "or the weights as a list"
            )
        )
    if isinstance(weights, np.ndarray):
        weights = list(as_real_array("layer_weights", weights).reshape(-1))
    if not isinstance(weights, (list, tuple)):
        raise ValueError(
            tr("layer_weights must be None or a list of {n} weights >= 0, got {weights}").format(
                n=n, weights=repr(weights)
            )
        )
    if len(weights) != n:
        raise ValueError(
            tr("need one weight per layer ({n}), got {got}").format(n=n, got=len(weights))
        )
    lam = [check_weight(f"layer_weights[{i}]", w) for i, w in enumerate(weights)]
    return list(zip(style_feats, gen_feats, lam, strict=True))


def style_cost(style_feats, gen_feats, layer_weights=None) -> float:
    """J_style(S, G) = Σ_l λ^[l] · J_style^[l](S, G).

    style_feats, gen_feats: non-empty lists (or both dicts by layer name) of activations, one
    per layer, each (n_C, n_H, n_W) or (1, n_C, n_H, n_W).
    layer_weights: the λ^[l] >= 0, same length (or dict); default equal weights summing to 1.
    Returns a float.
    """
    triples = _weights_for(style_feats, gen_feats, layer_weights)
    return float(sum(w * layer_style_cost(s, g) for s, g, w in triples))


def total_cost(j_content: float, j_style: float, alpha: float = 10.0, beta: float = 40.0) -> float:
    """J(G) = α·J_content(C, G) + β·J_style(S, G), from the two costs (floats; α, β >= 0).

    >>> total_cost(1.0, 2.0, alpha=10, beta=40)
    90.0
    """
    return check_weight("alpha", alpha) * j_content + check_weight("beta", beta) * j_style


# ----------------------------------------------------------------------------- PyTorch
def _t_chw(a, name: str) -> torch.Tensor:
    if not isinstance(a, torch.Tensor):
        raise ValueError(
            tr("{name} must be a torch tensor of shape {shapes}, got {kind}").format(
                name=name, shapes=SHAPES, kind=type(a).__name__
            )
        )
    if a.dtype == torch.bool or a.is_complex():
        raise ValueError(
            tr("{name} must hold real numbers, got dtype {dtype}; give ints or floats").format(
                name=name, dtype=a.dtype
            )
        )
    if not a.is_floating_point():
        a = a.to(torch.get_default_dtype())
    if a.dim() == 4 and a.shape[0] == 1:
        a = a[0]
    if a.dim() != 3:
        raise ValueError(
            tr("{name} must be {shapes}, got shape {shape}").format(
                name=name, shapes=SHAPES, shape=tuple(a.shape)
            )
        )
    _check_size(tuple(a.shape), name)
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
    elif tuple(gram_S.shape) != (n_C, n_C):
        raise ValueError(
            tr("gram_S must be ({c}, {c}) for a_G's {c} channels, got {shape}").format(
                c=n_C, shape=tuple(gram_S.shape)
            )
        )
    return ((gram_S - gram_matrix_torch(a_G)) ** 2).sum() / (2 * n_H * n_W * n_C) ** 2


def style_cost_torch(style_feats, gen_feats, layer_weights=None) -> torch.Tensor:
    """PyTorch twin of :func:`style_cost` (lists or dicts of tensors -> a 0-d tensor)."""
    triples = _weights_for(style_feats, gen_feats, layer_weights)
    return sum(w * layer_style_cost_torch(s, g) for s, g, w in triples)
