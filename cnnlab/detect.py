"""Object detection in NumPy: boxes, IoU, non-max suppression, anchors, YOLO targets, mAP.

Conventions used everywhere in cnnlab:

* A **box** is ``(x1, y1, x2, y2)`` in pixels: ``x`` to the right, ``y`` down, ``(x1, y1)``
  the top-left corner, ``(x2, y2)`` the bottom-right one, so ``x2 >= x1`` and ``y2 >= y1``.
  The other form, ``(cx, cy, w, h)`` (centre and size), is reached with :func:`box_convert`.
  An image of height H and width W covers ``[0, W] x [0, H]``.
* A **YOLO grid** cuts the image into S x S cells, each with B anchor boxes. The label of one
  (cell, anchor) slot is the notes' vector ``y = (pc, bx, by, bh, bw, c1, ..., cC)``:
  ``pc`` is 1 if an object's midpoint falls in the cell (and the object was given this
  anchor), ``(bx, by)`` is the midpoint relative to the cell's top-left corner in cell units
  (in [0, 1)), ``(bh, bw)`` the box height and width in cell units (may exceed 1), and
  ``c1..cC`` one-hot class scores. Targets are arrays of shape ``(S, S, B, 5 + C)``.

>>> float(iou([0, 0, 2, 2], [1, 1, 3, 3])[0, 0])   # overlap 1, union 4 + 4 - 1 = 7
0.14285714285714285
"""

from __future__ import annotations

import numbers
from typing import NamedTuple

import numpy as np

from .arith import check_int

#: Index of each entry of a YOLO label vector ``y = (pc, bx, by, bh, bw, c1, ..., cC)``.
PC, BX, BY, BH, BW = 0, 1, 2, 3, 4
FORMATS = ("xyxy", "cxcywh")


# --- input checks ---


def check_fraction(name: str, value) -> float:
    """``value`` as a float in [0, 1], or a ValueError saying what was received."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value <= 1:
        raise ValueError(f"{name} must be a number in [0, 1], got {value!r}")
    return float(value)


def as_boxes(boxes, name: str = "boxes", fmt: str = "xyxy") -> np.ndarray:
    """Check and return boxes as a float (N, 4) array (a single box (4,) becomes (1, 4)).

    xyxy: each box must have ``x2 >= x1`` and ``y2 >= y1``; cxcywh: ``w, h >= 0``.
    """
    if fmt not in FORMATS:
        raise ValueError(f"box format must be one of {FORMATS}, got {fmt!r}")
    try:
        b = np.asarray(boxes, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers of shape (N, 4), got {boxes!r}") from None
    if b.ndim == 1 and b.shape[0] == 4:
        b = b[None]
    if b.size == 0:
        return b.reshape(0, 4)
    if b.ndim != 2 or b.shape[1] != 4:
        raise ValueError(f"{name} must have shape (N, 4), got {b.shape}")
    if not np.isfinite(b).all():
        raise ValueError(f"{name} contain NaN or infinite coordinates")
    if fmt == "xyxy":
        bad = np.flatnonzero((b[:, 2] < b[:, 0]) | (b[:, 3] < b[:, 1]))
        if bad.size:
            i = bad[0]
            raise ValueError(
                f"{name}[{i}] = {b[i].tolist()} is not (x1, y1, x2, y2) with x2 >= x1 and "
                f"y2 >= y1 (width {b[i, 2] - b[i, 0]:g}, height {b[i, 3] - b[i, 1]:g}); "
                "for (cx, cy, w, h) boxes use box_convert(boxes, 'cxcywh', 'xyxy')"
            )
    else:
        bad = np.flatnonzero((b[:, 2] < 0) | (b[:, 3] < 0))
        if bad.size:
            i = bad[0]
            raise ValueError(
                f"{name}[{i}] = {b[i].tolist()} has a negative width or height: "
                "(cx, cy, w, h) needs w >= 0 and h >= 0"
            )
    return b


def _as_vector(values, name: str, n: int, dtype=float) -> np.ndarray:
    """One number per box: ``values`` as a (n,) array, or a ValueError."""
    if np.ndim(values) > 1:
        raise ValueError(
            f"{name} must be one number per box (shape ({n},)), got shape {np.shape(values)}"
        )
    v = np.asarray(values, dtype=dtype).reshape(-1)
    if v.shape[0] != n:
        raise ValueError(
            f"{name} has {v.shape[0]} values but there are {n} boxes; give exactly one per box"
        )
    return v


def _as_classes(classes, n: int, name: str = "classes") -> np.ndarray:
    c = _as_vector(classes, name, n, dtype=float)
    if c.size and (np.any(c < 0) or np.any(c != np.round(c))):
        raise ValueError(f"{name} must be whole numbers >= 0 (class indices), got {c.tolist()}")
    return c.astype(np.int64)


# --- boxes and IoU ---


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
    """Areas of (N, 4) xyxy boxes: ``(x2 - x1) * (y2 - y1)``, shape (N,)."""
    b = as_boxes(boxes)
    return (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])


def intersection(boxes_a, boxes_b) -> np.ndarray:
    """(A, B) areas of the overlap of every box of ``boxes_a`` with every box of ``boxes_b``."""
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
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    union = area_a[:, None] + area_b[None, :] - inter
    out = np.zeros_like(inter)
    np.divide(inter, union, out=out, where=union > 0)
    return np.clip(out, 0.0, 1.0)  # rounding can push identical boxes to 1 + 1e-16


# --- non-max suppression ---


def non_max_suppression(boxes, scores, iou_threshold: float = 0.5, classes=None) -> np.ndarray:
    """Greedy non-max suppression: the indices of the boxes kept, highest score first.

    Repeat: keep the box with the highest remaining score, then discard every remaining box
    whose IoU with it is **greater than** ``iou_threshold`` (as torchvision.ops.nms does).

    boxes: (N, 4) xyxy; scores: (N,); iou_threshold in [0, 1]. classes: optional (N,) class
    indices; then boxes only suppress boxes of their own class (per-class NMS, as
    torchvision.ops.batched_nms). Returns an int64 array of indices into ``boxes``, sorted
    by decreasing score (ties: the lower index first).

    >>> non_max_suppression([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]], [0.9, 0.8, 0.7])
    array([0, 2])
    """
    b = as_boxes(boxes)
    s = _as_vector(scores, "scores", len(b))
    thr = check_fraction("iou_threshold", iou_threshold)
    if not np.isfinite(s).all():
        raise ValueError("scores contain NaN or infinite values")
    if len(b) == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(-s, kind="stable")
    overlaps = iou(b, b) > thr  # one vectorised (N, N) comparison, then a cheap greedy pass
    if classes is not None:
        c = _as_classes(classes, len(b))
        overlaps &= c[:, None] == c[None, :]
    suppressed = np.zeros(len(b), dtype=bool)
    keep = []
    for i in order:
        if suppressed[i]:
            continue
        keep.append(i)
        suppressed |= overlaps[i]
    return np.asarray(keep, dtype=np.int64)


def nms_reference(boxes, scores, iou_threshold: float = 0.5, classes=None) -> list[int]:
    """The same greedy algorithm written plainly, one pair of boxes at a time (for tests
    and for reading): keep the best remaining box, drop the ones that overlap it, repeat."""
    b = as_boxes(boxes)
    s = _as_vector(scores, "scores", len(b))
    c = _as_classes(classes, len(b)) if classes is not None else np.zeros(len(b), np.int64)
    remaining = sorted(range(len(b)), key=lambda i: (-s[i], i))
    keep = []
    while remaining:
        best = remaining.pop(0)
        keep.append(best)
        remaining = [
            i for i in remaining if c[i] != c[best] or iou(b[best], b[i])[0, 0] <= iou_threshold
        ]
    return keep


# --- anchor boxes ---


def _as_sizes(wh, name: str) -> np.ndarray:
    w = np.asarray(wh, dtype=float)
    if w.ndim == 1 and w.shape[0] == 2:
        w = w[None]
    if w.ndim != 2 or w.shape[1] != 2:
        raise ValueError(f"{name} must be (width, height) pairs of shape (K, 2), got {w.shape}")
    if not np.isfinite(w).all() or np.any(w <= 0):
        raise ValueError(f"{name} must have widths and heights > 0, got {w.tolist()}")
    return w


def shape_iou(wh_a, wh_b) -> np.ndarray:
    """IoU of box *shapes*: boxes of sizes (w, h) placed on the same centre, shape (A, B).

    This is how an object is matched to an anchor (only the shapes matter, since the cell is
    already chosen by the midpoint) and the similarity k-means uses to choose anchors:
    ``min(w_a, w_b) min(h_a, h_b) / (w_a h_a + w_b h_b - min(w_a, w_b) min(h_a, h_b))``.
    """
    a, b = _as_sizes(wh_a, "wh_a"), _as_sizes(wh_b, "wh_b")
    inter = np.minimum(a[:, None, 0], b[None, :, 0]) * np.minimum(a[:, None, 1], b[None, :, 1])
    union = (a[:, 0] * a[:, 1])[:, None] + (b[:, 0] * b[:, 1])[None, :] - inter
    return inter / union


class Assignment(NamedTuple):
    """Where each object goes in a YOLO grid (one entry per object).

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


def _image_hw(image_size) -> tuple[int, int]:
    if isinstance(image_size, (tuple, list)):
        if len(image_size) != 2:
            raise ValueError(f"image_size must be an int or (height, width), got {image_size!r}")
        return check_int("image height", image_size[0], 1), check_int(
            "image width", image_size[1], 1
        )
    n = check_int("image_size", image_size, 1)
    return n, n


def assign_anchors(boxes, grid_size: int, image_size, anchors=None) -> Assignment:
    """Assign each object to a (grid cell, anchor) slot: the cell by its midpoint, the anchor
    by the IoU of shapes.

    boxes: (N, 4) xyxy in pixels; grid_size: S; image_size: int or (H, W);
    anchors: (B, 2) anchor (width, height) in pixels, or None for one slot per cell (B = 1).
    A midpoint exactly on a cell border belongs to the cell below / to the right; midpoints
    on the image's far border go to the last cell.
    """
    b = as_boxes(boxes)
    S = check_int("grid_size", grid_size, 1)
    H, W = _image_hw(image_size)
    cx, cy = (b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2
    if np.any((cx < 0) | (cx > W) | (cy < 0) | (cy > H)):
        i = np.flatnonzero((cx < 0) | (cx > W) | (cy < 0) | (cy > H))[0]
        raise ValueError(
            f"boxes[{i}] has its midpoint ({cx[i]:g}, {cy[i]:g}) outside the {W}x{H} image"
        )
    col = np.minimum((cx / (W / S)).astype(np.int64), S - 1)
    row = np.minimum((cy / (H / S)).astype(np.int64), S - 1)
    if anchors is None or len(b) == 0:
        anchor = np.zeros(len(b), dtype=np.int64)
        fit = np.ones(len(b))
    else:
        wh = np.stack([b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]], axis=1)
        if np.any(wh <= 0):
            raise ValueError("objects assigned to anchors need a width and height > 0")
        ious = shape_iou(wh, anchors)
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
    """
    w = _as_sizes(wh, "wh")
    k = check_int("k", k, 1)
    if k > len(w):
        raise ValueError(f"k = {k} anchors need at least {k} boxes, got {len(w)}")
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
    """Mean, over boxes, of the best IoU between a box's shape and any anchor (1 = perfect)."""
    return float(shape_iou(wh, anchors).max(axis=1).mean())


# --- YOLO targets ---


def encode_targets(boxes, classes, grid_size: int, image_size, num_classes: int, anchors=None):
    """The YOLO training target of one image: an (S, S, B, 5 + C) array.

    boxes: (N, 4) xyxy in pixels; classes: (N,) ints in [0, C); anchors: (B, 2) (w, h) in
    pixels or None (B = 1). Slot [row, col, a] holds ``(pc, bx, by, bh, bw, c1..cC)`` for
    the object assigned there (see :func:`assign_anchors`), zeros elsewhere: when pc = 0 the
    rest is "don't care", and the loss ignores it.
    """
    b = as_boxes(boxes)
    c = _as_classes(classes, len(b))
    C = check_int("num_classes", num_classes, 1)
    if c.size and c.max() >= C:
        raise ValueError(f"classes must be < num_classes = {C}, got {c.max()}")
    S = check_int("grid_size", grid_size, 1)
    H, W = _image_hw(image_size)
    B = 1 if anchors is None else len(_as_sizes(anchors, "anchors"))
    y = np.zeros((S, S, B, 5 + C))
    a = assign_anchors(b, S, (H, W), anchors)
    cell_w, cell_h = W / S, H / S
    for i in np.flatnonzero(a.kept):
        x1, y1, x2, y2 = b[i]
        slot = y[a.row[i], a.col[i], a.anchor[i]]
        slot[PC] = 1.0
        slot[BX] = (x1 + x2) / 2 / cell_w - a.col[i]  # in [0, 1): where in the cell
        slot[BY] = (y1 + y2) / 2 / cell_h - a.row[i]
        slot[BH] = (y2 - y1) / cell_h  # in cell units: can exceed 1
        slot[BW] = (x2 - x1) / cell_w
        slot[5 + c[i]] = 1.0
    return y


def _as_grid(y) -> np.ndarray:
    y = np.asarray(y, dtype=float)
    if y.ndim == 3:
        y = y[:, :, None]  # (S, S, 5 + C): one slot per cell
    if y.ndim != 4 or y.shape[0] != y.shape[1] or y.shape[3] < 6:
        raise ValueError(
            f"a YOLO output must have shape (S, S, B, 5 + C) or (S, S, 5 + C) with C >= 1, "
            f"got {y.shape}"
        )
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
    H, W = _image_hw(image_size)
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

    Returns (boxes (K, 4), scores (K,), classes (K,)), highest score first.
    """
    boxes, scores, cls = decode_predictions(y, image_size, score_threshold)
    keep = non_max_suppression(boxes, scores, iou_threshold, classes=cls)
    return boxes[keep], scores[keep], cls[keep]


# --- classification with localization ---


def localization_loss(y_hat, y) -> np.ndarray:
    """The notes' squared-error loss for classification with localization, per example.

    y_hat, y: (N, K) label vectors ``(pc, bx, by, bh, bw, c1..cC)`` (or one (K,) vector).
    If ``y[pc] = 1``: the sum of squared errors over all K entries. If ``y[pc] = 0`` there
    is no object, so only ``(pc_hat - pc)^2`` counts: the box and class entries are "don't
    care". Returns (N,) losses (or a float for one vector).
    """
    yh, yt = np.asarray(y_hat, dtype=float), np.asarray(y, dtype=float)
    if yh.shape != yt.shape:
        raise ValueError(f"y_hat and y must have the same shape, got {yh.shape} and {yt.shape}")
    single = yh.ndim == 1
    yh, yt = np.atleast_2d(yh), np.atleast_2d(yt)
    if yt.shape[1] < 6:
        raise ValueError(f"label vectors need pc, 4 box numbers and >= 1 class, got {yt.shape[1]}")
    if not np.all(np.isin(yt[:, PC], (0, 1))):
        raise ValueError(f"y's pc must be 0 or 1, got {yt[:, PC].tolist()}")
    sq = (yh - yt) ** 2
    loss = np.where(yt[:, PC] == 1, sq.sum(axis=1), sq[:, PC])
    return float(loss[0]) if single else loss


# --- mean average precision ---


def _check_image_lists(predictions, ground_truths):
    if len(predictions) != len(ground_truths):
        raise ValueError(
            f"predictions cover {len(predictions)} images but ground_truths {len(ground_truths)}"
        )
    preds, truths = [], []
    for i, (p, g) in enumerate(zip(predictions, ground_truths)):
        if len(p) != 3 or len(g) != 2:
            raise ValueError(
                f"image {i}: predictions must be (boxes, scores, classes) and ground truths "
                "(boxes, classes)"
            )
        pb = as_boxes(p[0], f"predicted boxes of image {i}")
        preds.append(
            (
                pb,
                _as_vector(p[1], f"scores of image {i}", len(pb)),
                _as_classes(p[2], len(pb), f"predicted classes of image {i}"),
            )
        )
        gb = as_boxes(g[0], f"true boxes of image {i}")
        truths.append((gb, _as_classes(g[1], len(gb), f"true classes of image {i}")))
    return preds, truths


def precision_recall(predictions, ground_truths, cls: int, iou_threshold: float = 0.5):
    """Precision and recall of one class as detections are accepted from the best score down.

    predictions: one (boxes, scores, classes) per image; ground_truths: one (boxes, classes)
    per image. A detection is a true positive if its IoU with a still unmatched true box of
    its class in its image is >= ``iou_threshold`` (it takes the true box it overlaps most);
    a second detection of the same object is a false positive.
    Returns (precision (K,), recall (K,), n_true) over the K detections of class ``cls``.
    """
    thr = check_fraction("iou_threshold", iou_threshold)
    preds, truths = _check_image_lists(predictions, ground_truths)
    dets = [
        (s, img, box)
        for img, (pb, ps, pc) in enumerate(preds)
        for box, s, c in zip(pb, ps, pc)
        if c == cls
    ]
    gts = [g[0][g[1] == cls] for g in truths]
    n_true = sum(len(g) for g in gts)
    matched = [np.zeros(len(g), dtype=bool) for g in gts]
    order = sorted(range(len(dets)), key=lambda k: -dets[k][0])  # stable: ties keep order
    tp = np.zeros(len(dets))
    for rank, k in enumerate(order):
        _, img, box = dets[k]
        if len(gts[img]):
            overlaps = iou(box, gts[img])[0]
            j = int(overlaps.argmax())
            if overlaps[j] >= thr and not matched[img][j]:
                matched[img][j] = True
                tp[rank] = 1
    cum_tp = np.cumsum(tp)
    precision = cum_tp / np.arange(1, len(dets) + 1)
    recall = cum_tp / n_true if n_true else np.zeros(len(dets))
    return precision, recall, n_true


def average_precision(precision, recall) -> float:
    """Area under the precision-recall curve, VOC style (all points, since VOC 2010).

    The curve is first made monotone: the precision at recall r becomes the best precision
    at any recall >= r. Then the area is summed over the recall steps.
    """
    p = np.concatenate([[0.0], np.asarray(precision, float), [0.0]])
    r = np.concatenate([[0.0], np.asarray(recall, float), [1.0]])
    p = np.maximum.accumulate(p[::-1])[::-1]
    step = np.flatnonzero(r[1:] != r[:-1])
    return float(np.sum((r[step + 1] - r[step]) * p[step + 1]))


def mean_average_precision(
    predictions,
    ground_truths,
    iou_threshold: float = 0.5,
    num_classes: int | None = None,
    per_class: bool = False,
):
    """mAP: the average precision of each class, averaged over the classes (VOC style).

    predictions: list, one (boxes (K, 4), scores (K,), classes (K,)) per image;
    ground_truths: list, one (boxes (M, 4), classes (M,)) per image; boxes xyxy.
    Classes with no true object anywhere are left out of the mean (as in VOC); a class with
    true objects but no detection has AP 0. With ``per_class=True`` returns
    ``(mAP, {class: AP})``.
    """
    check_fraction("iou_threshold", iou_threshold)
    preds, truths = _check_image_lists(predictions, ground_truths)
    present = sorted({int(c) for _, gc in truths for c in gc})
    if num_classes is not None:
        C = check_int("num_classes", num_classes, 1)
        if present and present[-1] >= C:
            raise ValueError(f"true classes must be < num_classes = {C}, got {present[-1]}")
    if not present:
        raise ValueError("the ground truth has no objects: average precision is undefined")
    aps = {}
    for c in present:
        prec, rec, _ = precision_recall(predictions, ground_truths, c, iou_threshold)
        aps[c] = average_precision(prec, rec) if len(prec) else 0.0
    m = float(np.mean(list(aps.values())))
    return (m, aps) if per_class else m


def detection_errors(prediction, truth, iou_threshold: float = 0.5) -> tuple[int, int]:
    """(false positives, missed objects) of one image's detections, matched as in
    :func:`precision_recall` (best score first; one detection per true object, same class).

    prediction: (boxes, scores, classes); truth: (boxes, classes).
    """
    preds, truths = _check_image_lists([prediction], [truth])
    (pb, ps, pc), (tb, tc) = preds[0], truths[0]
    thr = check_fraction("iou_threshold", iou_threshold)
    matched = np.zeros(len(tb), dtype=bool)
    false_pos = 0
    for k in np.argsort(-ps, kind="stable"):
        same = np.flatnonzero(tc == pc[k])
        if len(same):
            overlaps = iou(pb[k], tb[same])[0]
            j = int(overlaps.argmax())
            if overlaps[j] >= thr and not matched[same[j]]:
                matched[same[j]] = True
                continue
        false_pos += 1
    return false_pos, int((~matched).sum())
