"""Boxes and intersection over union: the geometry every part of object detection stands on.

Used by lesson 10 (object detection) and by every other module of :mod:`cnnlab.detection`.

Conventions used everywhere in cnnlab:

* A **box** is ``(x1, y1, x2, y2)`` in pixels: ``x`` to the right, ``y`` down, ``(x1, y1)``
  the top-left corner, ``(x2, y2)`` the bottom-right one, so ``x2 >= x1`` and ``y2 >= y1``.
  The other form, ``(cx, cy, w, h)`` (centre and size), is reached with :func:`box_convert`.
  An image of height H and width W covers ``[0, W] x [0, H]``; a pixel (i, j) covers
  ``[j, j + 1] x [i, i + 1]``.
* Boxes travel as (N, 4) float arrays; a single box ``(4,)`` counts as one row
  (:func:`cnnlab.validate.as_boxes` checks them).

>>> float(iou([0, 0, 2, 2], [1, 1, 3, 3])[0, 0])   # overlap 1, union 4 + 4 - 1 = 7
0.14285714285714285
"""

from __future__ import annotations

import numpy as np

from ..i18n import Messages, tr
from ..validate import FORMATS, as_boxes, as_hw


def image_hw(image_size) -> tuple[int, int]:
    """An image size given as one int (a square) or as (height, width), as (H, W) ints.

    >>> image_hw(64), image_hw((48, 32))
    ((64, 64), (48, 32))
    """
    return as_hw("image_size", image_size)


#: _finite's messages, keyed by what overflowed: "size" (a width or height), "corner" (a
#: corner computed from (cx, cy, w, h)) or "area".
_OVERFLOW = Messages(
    lambda: {
        "size": tr(
            "{name}[{i}] = {box}: its width or height is beyond the float range "
            "(about {fmax:.3g}); scale the coordinates down"
        ),
        "corner": tr(
            "{name}[{i}] = {box}: its corner (cx -/+ w/2, cy -/+ h/2) is beyond the float "
            "range (about {fmax:.3g}); scale the coordinates down"
        ),
        "area": tr(
            "{name}[{i}] = {box}: its area is beyond the float range (about {fmax:.3g}); "
            "scale the coordinates down"
        ),
    }
)


def _finite(values: np.ndarray, what: str, boxes: np.ndarray, name: str) -> np.ndarray:
    """``values`` (N, k) unchanged, or a ValueError naming the first box whose ``what`` (a
    key of ``_OVERFLOW``: "size", "corner" or "area") is beyond the float range (about
    1.8e308): an honest error instead of a silent inf."""
    bad = ~np.isfinite(values).all(axis=tuple(range(1, values.ndim)))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            _OVERFLOW[what].format(name=name, i=i, box=boxes[i].tolist(), fmax=np.finfo(float).max)
        )
    return values


def box_convert(boxes, in_fmt: str, out_fmt: str) -> np.ndarray:
    """Convert boxes between ``'xyxy'`` (corners) and ``'cxcywh'`` (centre and size).

    boxes: (N, 4) or (4,). Returns the same shape. ``cx = (x1 + x2)/2``, ``w = x2 - x1``.
    The midpoint is computed without overflow (``x1/2 + x2/2`` where ``x1 + x2`` would pass
    1.8e308); a size or corner beyond the float range raises ValueError.

    >>> box_convert([10, 20, 30, 60], "xyxy", "cxcywh")
    array([20., 40., 20., 40.])
    """
    b = as_boxes(boxes, fmt=in_fmt)
    single = np.ndim(boxes) == 1 and len(b) == 1  # one (4,) box in, one (4,) box out
    if out_fmt not in FORMATS:
        raise ValueError(
            tr("box format must be one of {formats}, got {fmt!r}").format(
                formats=FORMATS, fmt=out_fmt
            )
        )
    if in_fmt == out_fmt:
        out = b.copy()
    elif in_fmt == "xyxy":
        with np.errstate(over="ignore"):
            total = b[:, :2] + b[:, 2:]
            mid = np.where(np.isfinite(total), total / 2, b[:, :2] / 2 + b[:, 2:] / 2)
            size = _finite(b[:, 2:] - b[:, :2], "size", b, "boxes")
        out = np.concatenate([mid, size], axis=1)
    else:
        half = b[:, 2:] / 2
        with np.errstate(over="ignore"):
            corners = np.concatenate([b[:, :2] - half, b[:, :2] + half], axis=1)
        out = _finite(corners, "corner", b, "boxes")
    return out[0] if single else out


def _sides(b: np.ndarray, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Widths and heights (N,) of checked xyxy boxes (N, 4), or a ValueError if a side is
    longer than the float range."""
    with np.errstate(over="ignore"):
        wh = _finite(b[:, 2:] - b[:, :2], "size", b, name)
    return wh[:, 0], wh[:, 1]


def box_area(boxes) -> np.ndarray:
    """Areas of (N, 4) xyxy boxes: ``(x2 - x1) * (y2 - y1)``, shape (N,).

    An area beyond the float range (a 1e200 x 1e200 box) raises ValueError; one below the
    smallest float (a 1e-200 x 1e-200 box) rounds to 0, as any product does.

    >>> box_area([[0, 0, 2, 3], [1, 1, 1, 4]])
    array([6., 0.])
    """
    b = as_boxes(boxes)
    w, h = _sides(b, "boxes")
    with np.errstate(over="ignore"):
        return _finite((w * h)[:, None], "area", b, "boxes")[:, 0]


def _overlaps(a: np.ndarray, b: np.ndarray):
    """Width and height of the overlap of every box of ``a`` (A, 4) with every box of
    ``b`` (B, 4), both (A, B), 0 where they do not overlap."""
    # the overlap of two boxes is a box: the larger top-left corner, the smaller bottom-right
    left = np.maximum(a[:, None, 0], b[None, :, 0])
    top = np.maximum(a[:, None, 1], b[None, :, 1])
    right = np.minimum(a[:, None, 2], b[None, :, 2])
    bottom = np.minimum(a[:, None, 3], b[None, :, 3])
    # no overlap gives a negative width or height: clamp at 0, or two negatives make a positive
    return np.clip(right - left, 0, None), np.clip(bottom - top, 0, None)


def intersection(boxes_a, boxes_b) -> np.ndarray:
    """Areas of the overlap of every box of ``boxes_a`` (A, 4) with every box of
    ``boxes_b`` (B, 4), xyxy: shape (A, B). An area beyond the float range raises ValueError.

    >>> intersection([0, 0, 2, 2], [[1, 1, 3, 3], [2, 2, 3, 3]])
    array([[1., 0.]])
    """
    a, b = as_boxes(boxes_a, "boxes_a"), as_boxes(boxes_b, "boxes_b")
    _sides(a, "boxes_a"), _sides(b, "boxes_b")  # a side beyond the float range: say which box
    iw, ih = _overlaps(a, b)
    with np.errstate(over="ignore"):
        inter = iw * ih
    if not np.isfinite(inter).all():
        i, j = np.argwhere(~np.isfinite(inter))[0]
        raise ValueError(
            tr(
                "the overlap of boxes_a[{i}] = {box_a} and boxes_b[{j}] = {box_b} has an area "
                "beyond the float range (about {fmax:.3g}); scale the coordinates down"
            ).format(i=i, box_a=a[i].tolist(), j=j, box_b=b[j].tolist(), fmax=np.finfo(float).max)
        )
    return inter


def iou(boxes_a, boxes_b) -> np.ndarray:
    """Intersection over union of every box in ``boxes_a`` with every box in ``boxes_b``.

    boxes_a: (A, 4), boxes_b: (B, 4), xyxy (a single (4,) box counts as one row).
    Returns (A, B) values in [0, 1]: ``area(a ∩ b) / (area(a) + area(b) - area(a ∩ b))``.
    Two boxes with no area at all (a union of 0) have IoU 0.

    IoU does not change when the x axis, or the y axis, is stretched, so each pair's widths
    are divided by a power of two near the larger of its two widths (and the heights likewise)
    before any area is formed: the areas stay near 1 and neither overflow (boxes 1e200 wide)
    nor underflow (1e-200 wide). Dividing by a power of two is exact, so ordinary boxes get
    the same bits as the textbook formula. A box whose side itself passes 1.8e308 (from
    -1e308 to 1e308) is handled by first dividing every coordinate by 4 (IoU is unchanged).

    >>> iou([0, 0, 4, 4], [[0, 0, 4, 4], [2, 0, 6, 4], [10, 10, 11, 11]]).round(4)
    array([[1.    , 0.3333, 0.    ]])
    """
    a, b = as_boxes(boxes_a, "boxes_a"), as_boxes(boxes_b, "boxes_b")
    with np.errstate(over="ignore"):
        spans_too_far = not (
            np.isfinite(a[:, 2:] - a[:, :2]).all() and np.isfinite(b[:, 2:] - b[:, :2]).all()
        )
    if spans_too_far:  # a box from -1e308 to 1e308: a quarter of every coordinate, same IoU
        a, b = a / 4, b / 4
    (wa, ha), (wb, hb) = _sides(a, "boxes_a"), _sides(b, "boxes_b")
    iw, ih = _overlaps(a, b)
    # per pair, the exponent e of the larger side (2**(e-1) <= side < 2**e; 0 for side 0)
    ex = np.frexp(np.maximum(wa[:, None], wb[None, :]))[1]
    ey = np.frexp(np.maximum(ha[:, None], hb[None, :]))[1]
    with np.errstate(under="ignore"):  # a side far below its partner's may round to 0: fine
        inter = np.ldexp(iw, -ex) * np.ldexp(ih, -ey)
        area_a = np.ldexp(wa[:, None], -ex) * np.ldexp(ha[:, None], -ey)
        area_b = np.ldexp(wb[None, :], -ex) * np.ldexp(hb[None, :], -ey)
    union = area_a + area_b - inter
    out = np.zeros_like(inter)
    np.divide(inter, union, out=out, where=union > 0)
    return np.clip(out, 0.0, 1.0)  # rounding can push identical boxes to 1 + 1e-16
