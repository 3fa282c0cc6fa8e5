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

from ..validate import FORMATS, as_boxes, check_int


def image_hw(image_size) -> tuple[int, int]:
    """An image size given as one int (a square) or as (height, width), as (H, W) ints.

    >>> image_hw(64), image_hw((48, 32))
    ((64, 64), (48, 32))
    """
    if isinstance(image_size, (tuple, list)):
        if len(image_size) != 2:
            raise ValueError(f"image_size must be an int or (height, width), got {image_size!r}")
        return check_int("image height", image_size[0], 1), check_int(
            "image width", image_size[1], 1
        )
    n = check_int("image_size", image_size, 1)
    return n, n


def box_convert(boxes, in_fmt: str, out_fmt: str) -> np.ndarray:
    """Convert boxes between ``'xyxy'`` (corners) and ``'cxcywh'`` (centre and size).

    boxes: (N, 4) or (4,). Returns the same shape. ``cx = (x1 + x2)/2``, ``w = x2 - x1``.

    >>> box_convert([10, 20, 30, 60], "xyxy", "cxcywh")
    array([20., 40., 20., 40.])
    """
    single = np.ndim(boxes) == 1
    b = as_boxes(boxes, fmt=in_fmt)
    if out_fmt not in FORMATS:
        raise ValueError(f"box format must be one of {FORMATS}, got {out_fmt!r}")
    if in_fmt == out_fmt:
        out = b.copy()
    elif in_fmt == "xyxy":
        out = np.stack(
            [
                (b[:, 0] + b[:, 2]) / 2,
                (b[:, 1] + b[:, 3]) / 2,
                b[:, 2] - b[:, 0],
                b[:, 3] - b[:, 1],
            ],
            axis=1,
        )
    else:
        half_w, half_h = b[:, 2] / 2, b[:, 3] / 2
        out = np.stack(
            [b[:, 0] - half_w, b[:, 1] - half_h, b[:, 0] + half_w, b[:, 1] + half_h], axis=1
        )
    return out[0] if single else out


def box_area(boxes) -> np.ndarray:
    """Areas of (N, 4) xyxy boxes: ``(x2 - x1) * (y2 - y1)``, shape (N,).

    >>> box_area([[0, 0, 2, 3], [1, 1, 1, 4]])
    array([6., 0.])
    """
    b = as_boxes(boxes)
    return (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])


def intersection(boxes_a, boxes_b) -> np.ndarray:
    """Areas of the overlap of every box of ``boxes_a`` (A, 4) with every box of
    ``boxes_b`` (B, 4), xyxy: shape (A, B).

    >>> intersection([0, 0, 2, 2], [[1, 1, 3, 3], [2, 2, 3, 3]])
    array([[1., 0.]])
    """
    a, b = as_boxes(boxes_a, "boxes_a"), as_boxes(boxes_b, "boxes_b")
    # the overlap of two boxes is a box: the larger top-left corner, the smaller bottom-right
    left = np.maximum(a[:, None, 0], b[None, :, 0])
    top = np.maximum(a[:, None, 1], b[None, :, 1])
    right = np.minimum(a[:, None, 2], b[None, :, 2])
    bottom = np.minimum(a[:, None, 3], b[None, :, 3])
    # no overlap gives a negative width or height: clamp at 0, or two negatives make a positive
    return np.clip(right - left, 0, None) * np.clip(bottom - top, 0, None)


def iou(boxes_a, boxes_b) -> np.ndarray:
    """Intersection over union of every box in ``boxes_a`` with every box in ``boxes_b``.

    boxes_a: (A, 4), boxes_b: (B, 4), xyxy (a single (4,) box counts as one row).
    Returns (A, B) values in [0, 1]: ``area(a ∩ b) / (area(a) + area(b) - area(a ∩ b))``.
    Two boxes with no area at all (a union of 0) have IoU 0.

    >>> iou([0, 0, 4, 4], [[0, 0, 4, 4], [2, 0, 6, 4], [10, 10, 11, 11]]).round(4)
    array([[1.    , 0.3333, 0.    ]])
    """
    a, b = as_boxes(boxes_a, "boxes_a"), as_boxes(boxes_b, "boxes_b")
    inter = intersection(a, b)
    union = box_area(a)[:, None] + box_area(b)[None, :] - inter
    out = np.zeros_like(inter)
    np.divide(inter, union, out=out, where=union > 0)
    return np.clip(out, 0.0, 1.0)  # rounding can push identical boxes to 1 + 1e-16
