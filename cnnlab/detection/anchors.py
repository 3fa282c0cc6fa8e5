"""The YOLO grid and anchor boxes: which (cell, anchor) slot holds each object, how anchors
are chosen (k-means on box shapes), and the targets a YOLO network learns.

Used by lesson 10 (object detection), sections 4 (the grid), 7 (anchors), 8 (training
targets) and 9 (decoding a prediction).

A **YOLO grid** cuts the image into S x S cells, each with B anchor boxes. The label of one
(cell, anchor) slot is the notes' vector ``y = (pc, bx, by, bh, bw, c1, ..., cC)``
(:mod:`cnnlab.detection.localization`): ``pc`` is 1 if an object's midpoint falls in the
cell (and the object was given this anchor), ``(bx, by)`` is the midpoint relative to the
cell's top-left corner in cell units (in [0, 1)), ``(bh, bw)`` the box height and width in
cell units (may exceed 1), and ``c1..cC`` one-hot class scores. Targets are arrays of shape
``(S, S, B, 5 + C)``.

>>> encode_targets([[36, 68, 84, 92]], [1], grid_size=3, image_size=96, num_classes=3)[2, 1, 0]
array([1.   , 0.875, 0.5  , 0.75 , 1.5  , 0.   , 1.   , 0.   ])
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..i18n import tr
from ..validate import as_boxes, as_classes, as_real_array, as_sizes, check_fraction, check_int
from .boxes import box_convert, image_hw
from .localization import BH, BW, BX, BY, PC
from .nms import non_max_suppression


def shape_iou(wh_a, wh_b) -> np.ndarray:
    """IoU of box *shapes*: boxes of sizes (w, h) placed on the same centre.

    wh_a: (A, 2), wh_b: (B, 2) (width, height) pairs. Returns (A, B).
    This is how an object is matched to an anchor (only the shapes matter, since the cell is
    already chosen by the midpoint) and the similarity k-means uses to choose anchors:
    ``min(w_a, w_b) min(h_a, h_b) / (w_a h_a + w_b h_b - min(w_a, w_b) min(h_a, h_b))``.

    >>> shape_iou([2, 2], [[2, 2], [4, 4]])
    array([[1.  , 0.25]])
    """
    a, b = as_sizes(wh_a, "wh_a"), as_sizes(wh_b, "wh_b")
    # as in cnnlab.detection.iou: widths and heights divided by a power of two near the
    # pair's larger one, so no area overflows or underflows (and ordinary sizes keep their bits)
    ex = np.frexp(np.maximum(a[:, None, 0], b[None, :, 0]))[1]
    ey = np.frexp(np.maximum(a[:, None, 1], b[None, :, 1]))[1]
    wa, ha = np.ldexp(a[:, None, 0], -ex), np.ldexp(a[:, None, 1], -ey)
    wb, hb = np.ldexp(b[None, :, 0], -ex), np.ldexp(b[None, :, 1], -ey)
    with np.errstate(under="ignore"):
        inter = np.minimum(wa, wb) * np.minimum(ha, hb)
        union = wa * ha + wb * hb - inter
    return inter / union


class Assignment(NamedTuple):
    """Where each object goes in a YOLO grid (one entry per object, each an (N,) array).

    row, col: the grid cell holding the object's midpoint; anchor: the anchor whose shape
    has the highest IoU with the object's; anchor_iou: that IoU; kept: False for an object
    that lost its (cell, anchor) slot to another object (the grid can hold one object per
    slot, and the one whose shape fits the anchor better wins).
    """

    row: np.ndarray
    col: np.ndarray
    anchor: np.ndarray
    anchor_iou: np.ndarray
    kept: np.ndarray


def assign_anchors(boxes, grid_size: int, image_size, anchors=None) -> Assignment:
    """Assign each object to a (grid cell, anchor) slot: the cell by its midpoint, the anchor
    by the IoU of shapes.

    boxes: (N, 4) xyxy in pixels; grid_size: S; image_size: int or (H, W);
    anchors: (B, 2) anchor (width, height) in pixels, or None for one slot per cell (B = 1).
    A midpoint exactly on a cell border belongs to the cell below / to the right; midpoints
    on the image's far border go to the last cell. Returns an :class:`Assignment` of (N,)
    arrays.

    >>> a = assign_anchors([[0, 0, 10, 10], [20, 2, 24, 18]], 4, 64, [[10, 10], [4, 16]])
    >>> a.col.tolist(), a.anchor.tolist()
    ([0, 1], [0, 1])
    """
    b = as_boxes(boxes)
    S = check_int("grid_size", grid_size, 1)
    H, W = image_hw(image_size)
    cx, cy = (b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2
    if np.any((cx < 0) | (cx > W) | (cy < 0) | (cy > H)):
        i = np.flatnonzero((cx < 0) | (cx > W) | (cy < 0) | (cy > H))[0]
        raise ValueError(
            tr("boxes[{i}] has its midpoint ({cx:g}, {cy:g}) outside the {w}x{h} image").format(
                i=i, cx=cx[i], cy=cy[i], w=W, h=H
            )
        )
    col = np.minimum((cx / (W / S)).astype(np.int64), S - 1)
    row = np.minimum((cy / (H / S)).astype(np.int64), S - 1)
    if anchors is None or len(b) == 0:
        anchor = np.zeros(len(b), dtype=np.int64)
        fit = np.ones(len(b))
    else:
        wh = box_convert(b, "xyxy", "cxcywh")[:, 2:]
        if np.any(wh <= 0):
            raise ValueError(tr("objects assigned to anchors need a width and height > 0"))
        ious = shape_iou(wh, as_sizes(anchors, "anchors"))
        anchor = ious.argmax(axis=1)
        fit = ious[np.arange(len(b)), anchor]
    kept = np.ones(len(b), dtype=bool)
    # one object per slot: visit objects from best to worst anchor fit, first come first served
    taken = set()
    for i in np.argsort(-fit, kind="stable"):
        slot = (row[i], col[i], anchor[i])
        if slot in taken:
            kept[i] = False
        taken.add(slot)
    return Assignment(row, col, anchor, fit, kept)


def kmeans_anchors(wh, k: int, *, iters: int = 100, seed: int = 0) -> np.ndarray:
    """Choose ``k`` anchor shapes by k-means on box sizes with distance ``1 - IoU``.

    wh: (N, 2) box (width, height) of the training objects. Euclidean k-means would let big
    boxes dominate (a 5-pixel error matters little on a 100-pixel box, a lot on a 10-pixel
    one); 1 - IoU treats all sizes alike. Each centre is the median of its cluster (robust,
    as in YOLOv2's analysis). Returns (k, 2) anchors sorted by area.

    >>> kmeans_anchors([[10, 10], [11, 10], [4, 20], [4, 21]], 2)
    array([[ 4. , 20.5],
           [10.5, 10. ]])
    """
    w = as_sizes(wh, "wh")
    k = check_int("k", k, 1)
    if k > len(w):
        raise ValueError(
            tr("k = {k} anchors need at least {k} boxes, got {n}").format(k=k, n=len(w))
        )
    iters = check_int("iters", iters, 1)
    rng = np.random.default_rng(seed)
    centres = w[rng.choice(len(w), size=k, replace=False)]
    for _ in range(iters):
        nearest = shape_iou(w, centres).argmax(axis=1)  # max IoU = min distance 1 - IoU
        new = np.array(
            [
                np.median(w[nearest == j], axis=0) if np.any(nearest == j) else centres[j]
                for j in range(k)
            ]
        )
        if np.allclose(new, centres):
            break
        centres = new
    return centres[np.argsort(centres[:, 0] * centres[:, 1], kind="stable")]


def anchor_fit(wh, anchors) -> float:
    """Mean, over boxes, of the best IoU between a box's shape and any anchor (1 = perfect).

    wh: (N, 2) box (width, height); anchors: (B, 2). Returns a float in [0, 1].

    >>> anchor_fit([[2, 2], [4, 4]], [[2, 2]])
    0.625
    """
    return float(shape_iou(wh, anchors).max(axis=1).mean())


def encode_targets(boxes, classes, grid_size: int, image_size, num_classes: int, anchors=None):
    """The YOLO training target of one image: an (S, S, B, 5 + C) array.

    boxes: (N, 4) xyxy in pixels; classes: (N,) ints in [0, C); image_size: int or (H, W);
    anchors: (B, 2) (w, h) in pixels or None (B = 1). Slot [row, col, a] holds
    ``(pc, bx, by, bh, bw, c1..cC)`` for the object assigned there (see
    :func:`assign_anchors`), zeros elsewhere: when pc = 0 the rest is "don't care", and the
    loss ignores it.
    """
    b = as_boxes(boxes)
    c = as_classes(classes, len(b))
    C = check_int("num_classes", num_classes, 1)
    if c.size and c.max() >= C:
        raise ValueError(
            tr("classes must be < num_classes = {num_classes}, got {value}").format(
                num_classes=C, value=c.max()
            )
        )
    S = check_int("grid_size", grid_size, 1)
    H, W = image_hw(image_size)
    B = 1 if anchors is None else len(as_sizes(anchors, "anchors"))
    y = np.zeros((S, S, B, 5 + C))
    a = assign_anchors(b, S, (H, W), anchors)
    cell_w, cell_h = W / S, H / S
    cxcywh = box_convert(b, "xyxy", "cxcywh")
    for i in np.flatnonzero(a.kept):
        cx, cy, w, h = cxcywh[i]
        slot = y[a.row[i], a.col[i], a.anchor[i]]
        slot[PC] = 1.0
        slot[BX] = cx / cell_w - a.col[i]  # in [0, 1): where in the cell
        slot[BY] = cy / cell_h - a.row[i]
        slot[BH] = h / cell_h  # in cell units: can exceed 1
        slot[BW] = w / cell_w
        slot[5 + c[i]] = 1.0
    return y


def _as_grid(y) -> np.ndarray:
    """A YOLO output or target as an (S, S, B, 5 + C) float array ((S, S, 5 + C) means one
    slot per cell, B = 1), or a ValueError naming the shape received."""
    y = as_real_array("y", y).astype(float)
    if y.ndim == 3:
        y = y[:, :, None]  # (S, S, 5 + C): one slot per cell
    if y.ndim != 4 or y.shape[0] != y.shape[1] or y.shape[3] < 6:
        raise ValueError(
            tr(
                "a YOLO output must have shape (S, S, B, 5 + C) or (S, S, 5 + C) with C >= 1, "
                "got {shape}"
            ).format(shape=y.shape)
        )
    if not np.isfinite(y).all():
        raise ValueError(tr("a YOLO output must hold finite numbers, got NaN or infinite values"))
    return y


def decode_predictions(y, image_size, score_threshold: float = 0.0):
    """Turn an (S, S, B, 5 + C) YOLO output (or target) into boxes in pixels.

    Each slot gives one box; its score is ``pc * max(c1..cC)`` (the probability that the slot
    holds an object of its best class), its class the argmax. Slots scoring below
    ``score_threshold`` are dropped. Returns (boxes (K, 4) xyxy, scores (K,), classes (K,)),
    in slot order (row, col, anchor).
    """
    y = _as_grid(y)
    thr = check_fraction("score_threshold", score_threshold)
    S, _, B, _ = y.shape
    H, W = image_hw(image_size)
    cell_w, cell_h = W / S, H / S
    rows, cols = np.meshgrid(np.arange(S), np.arange(S), indexing="ij")
    cx = (cols[..., None] + y[..., BX]) * cell_w
    cy = (rows[..., None] + y[..., BY]) * cell_h
    w, h = y[..., BW] * cell_w, y[..., BH] * cell_h
    boxes = np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=-1).reshape(-1, 4)
    cls = y[..., 5:].argmax(axis=-1).reshape(-1)
    scores = (y[..., PC] * y[..., 5:].max(axis=-1)).reshape(-1)
    keep = scores >= thr if thr > 0 else np.ones(len(scores), dtype=bool)
    return boxes[keep], scores[keep], cls[keep]


def yolo_detections(y, image_size, score_threshold: float = 0.5, iou_threshold: float = 0.5):
    """The YOLO output pipeline: decode, drop low scores, then non-max suppression per class.

    y: (S, S, B, 5 + C). Returns (boxes (K, 4), scores (K,), classes (K,)), highest score
    first.
    """
    boxes, scores, cls = decode_predictions(y, image_size, score_threshold)
    keep = non_max_suppression(boxes, scores, iou_threshold, classes=cls)
    return boxes[keep], scores[keep], cls[keep]
