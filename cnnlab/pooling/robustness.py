"""Robustness to small shifts: how much a feature map changes, at fixed positions, when the
scene moves by a few pixels, with and without pooling. Used by lesson 05 (section 5).

Equivariance (``equivariance.py``) asks whether the output *moves with* the input; this
asks what a next layer sees *change* when it does not re-align anything, which is what
pooling was introduced to reduce.
"""

from __future__ import annotations

import numpy as np

from ..conv import conv2d
from ..i18n import tr
from ..pool import avg_pool2d, max_pool2d
from ..validate import check_int

#: The poolings ``shift_robustness`` compares: none, max pooling, average pooling.
POOLS = ("none", "max", "avg")


def shift_robustness(image, kernel, shifts=range(6), *, pool_size=2, pools=POOLS):
    """How much a feature map changes, at fixed positions, when the scene moves sideways.

    For each shift d, two windows of ``image`` are cut, the second ``d`` pixels to the right
    of the first: a true translation (nothing wraps, nothing is padded; the content at the
    edges really changes). Both go through ``relu(conv2d(., kernel))``, then no pooling,
    ``pool_size`` max pooling or average pooling (stride = pool_size). The two maps are
    compared cell by cell *without* re-aligning them: what a next layer would see change.

    image: (H, W) grey image; kernel: (KH, KW) one feature detector.
    Returns a dict: ``"shift"`` (array of d), ``"pool_size"`` and, for every pooling in ``pools``,
    ``"<pool>_corr"`` (Pearson correlation of the two maps, 1 = unchanged) and
    ``"<pool>_kept"`` (of the cells holding a strong detection, above half the map's
    largest value, the fraction that still hold one after the shift).
    """
    img, k, shifts, p = _check_args(image, kernel, shifts, pool_size, pools)
    width = img.shape[1] - max(shifts)
    result = {"shift": np.array(shifts), "pool_size": p}
    for kind in pools:
        base = feature_map(img[:, :width], k, kind, p)
        top = base.max() if base.max() > 0 else 1.0
        strong = base > 0.5 * top
        corr, kept = [], []
        for d in shifts:
            moved = feature_map(img[:, d : d + width], k, kind, p)
            corr.append(_corr(base, moved))
            kept.append(float((moved[strong] > 0.5 * top).mean()) if strong.any() else 1.0)
        result[f"{kind}_corr"] = np.array(corr)
        result[f"{kind}_kept"] = np.array(kept)
    return result


def feature_map(image, kernel, pool: str = "none", pool_size: int = 2):
    """``relu(conv2d(image, kernel))``, then no pooling, max or average pooling of
    ``pool_size`` (stride = pool_size). image: (H, W); kernel: (KH, KW) -> 2D map.

    >>> feature_map(np.eye(4), np.ones((1, 1)), "max", 2)
    array([[1., 0.],
           [0., 1.]])
    """
    fmap = np.maximum(conv2d(image[None, None], kernel[None, None]), 0.0)
    if pool == "max":
        fmap = max_pool2d(fmap, pool_size)
    elif pool == "avg":
        fmap = avg_pool2d(fmap, pool_size)
    return fmap[0, 0]


def _check_args(image, kernel, shifts, pool_size, pools):
    img = np.asarray(image, dtype=float)
    if img.ndim != 2:
        raise ValueError(
            tr("image must be a 2D grey image (H, W), got shape {shape}").format(shape=img.shape)
        )
    k = np.asarray(kernel, dtype=float)
    if k.ndim != 2:
        raise ValueError(tr("kernel must be 2D (KH, KW), got shape {shape}").format(shape=k.shape))
    shifts = [check_int("shift", d, 0) for d in shifts]
    if not shifts:
        raise ValueError(tr("shifts must list at least one shift, e.g. range(6)"))
    p = check_int("pool_size", pool_size, 1)
    if not set(pools) <= set(POOLS) or not pools:
        raise ValueError(
            tr("pools must be a non-empty subset of {valid}, got {pools!r}").format(
                valid=sorted(POOLS), pools=pools
            )
        )
    if img.shape[1] - max(shifts) < k.shape[1] + p:
        raise ValueError(
            tr(
                "image width {width} is too small for shifts up to {shift} "
                "with a {kw}-wide kernel and pool {pool}"
            ).format(width=img.shape[1], shift=max(shifts), kw=k.shape[1], pool=p)
        )
    return img, k, shifts, p


def _corr(a, b) -> float:
    a, b = a.ravel() - a.mean(), b.ravel() - b.mean()
    den = np.sqrt((a * a).sum() * (b * b).sum())
    return float((a * b).sum() / den) if den > 0 else float(np.array_equal(a, b))
