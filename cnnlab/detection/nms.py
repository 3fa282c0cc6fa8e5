"""Non-max suppression: keep one box per object out of a detector's many overlapping ones.

Used by lesson 10 (object detection): the sliding-window, YOLO and R-CNN detectors and the
MTCNN face detector (:mod:`cnnlab.pretrained.faces`) all end with it.

>>> non_max_suppression([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]], [0.9, 0.8, 0.7])
array([0, 2])
"""

from __future__ import annotations

import numpy as np

from ..i18n import tr
from ..validate import as_boxes, as_classes, as_vector, check_fraction
from .boxes import iou

#: Boxes visited together, in score order: the greedy pass within a block uses the block's own
#: BLOCK x BLOCK IoU matrix.
BLOCK = 256
#: Boxes per spatial piece: the later boxes are grouped into pieces of nearby boxes, and a
#: kept box is compared only with the pieces its box touches.
PIECE = 1024


def _checked(boxes, scores, iou_threshold, classes):
    """The inputs of an NMS, checked: (boxes (N, 4), scores (N,), threshold, classes (N,))."""
    b = as_boxes(boxes)
    s = as_vector(scores, "scores", len(b))
    thr = check_fraction("iou_threshold", iou_threshold)
    if not np.isfinite(s).all():
        i = int(np.flatnonzero(~np.isfinite(s))[0])
        raise ValueError(
            tr(
                "scores contain NaN or infinite values (scores[{i}] = {value}): NMS ranks boxes by "
                "score, and a NaN has no rank"
            ).format(i=i, value=s[i])
        )
    c = as_classes(classes, len(b)) if classes is not None else np.zeros(len(b), np.int64)
    return b, s, thr, c


def _spatial_pieces(b: np.ndarray):
    """Split boxes (N, 4) into pieces of about PIECE nearby boxes: (list of index arrays,
    (P, 4) bounding box of each piece's boxes). Nearby = close along a Z-order curve through
    the box centres' ranks in x and in y (1024 steps each, interleaving their bits), which
    keeps most pieces compact whatever the range of the coordinates."""
    centre = b[:, :2] / 2 + b[:, 2:] / 2
    rank = np.argsort(np.argsort(centre, axis=0, kind="stable"), axis=0, kind="stable")
    q = rank * 1024 // len(b)  # (N, 2) in 0..1023
    code = np.zeros(len(b), dtype=np.int64)
    for bit in range(10):
        code |= ((q[:, 0] >> bit) & 1) << (2 * bit) | ((q[:, 1] >> bit) & 1) << (2 * bit + 1)
    pieces = np.array_split(np.argsort(code, kind="stable"), -(-len(b) // PIECE))
    extent = np.array([[*b[p, :2].min(axis=0), *b[p, 2:].max(axis=0)] for p in pieces])
    return pieces, extent


def _suppress_later(b, c, kept, start, thr, suppressed, pieces, extent):
    """Mark every box ranked ``start`` or later that a box of ``kept`` overlaps by more than
    ``thr`` (same class). A box can only suppress boxes it touches (IoU > thr >= 0 needs an
    overlap of positive area), so each piece is compared only with the kept boxes that touch
    its bounding box: a few small IoU matrices, never N x N."""
    touch = (
        (b[kept, None, 0] < extent[None, :, 2])
        & (b[kept, None, 2] > extent[None, :, 0])
        & (b[kept, None, 1] < extent[None, :, 3])
        & (b[kept, None, 3] > extent[None, :, 1])
    )  # (kept, pieces)
    for p in np.flatnonzero(touch.any(axis=0)):
        later = pieces[p][pieces[p] >= start]
        later = later[~suppressed[later]]
        if len(later):
            k = kept[touch[:, p]]
            hit = (iou(b[k], b[later]) > thr) & (c[k][:, None] == c[later][None, :])
            suppressed[later[hit.any(axis=0)]] = True


def non_max_suppression(boxes, scores, iou_threshold: float = 0.5, classes=None) -> np.ndarray:
    """Greedy non-max suppression: the indices of the boxes kept, highest score first.

    Repeat: keep the box with the highest remaining score, then discard every remaining box
    whose IoU with it is **greater than** ``iou_threshold`` (as torchvision.ops.nms does).

    boxes: (N, 4) xyxy; scores: (N,) finite; iou_threshold in [0, 1]. classes: optional (N,)
    class indices; then boxes only suppress boxes of their own class (per-class NMS, as
    torchvision.ops.batched_nms). Returns an int64 array (K,) of indices into ``boxes``,
    sorted by decreasing score (ties: the lower index first).

    Memory stays O(N): the boxes are visited in score order in blocks of :data:`BLOCK`;
    within a block the greedy pass uses the block's own IoU matrix, then the block's kept
    boxes suppress the later boxes they touch, piece by spatial piece. 60,000 boxes need a
    few MB, where one N x N IoU matrix would need 26.8 GiB. The result is the same as the
    plain algorithm's (:func:`nms_reference`), box for box.

    >>> non_max_suppression([[0, 0, 4, 4], [0, 0, 4, 4]], [0.5, 0.9], classes=[0, 1])
    array([1, 0])
    """
    b, s, thr, c = _checked(boxes, scores, iou_threshold, classes)
    order = np.argsort(-s, kind="stable")
    if thr >= 1 or len(b) == 0:  # no IoU exceeds 1: nothing is ever suppressed
        return order.astype(np.int64)
    b, c = b[order], c[order]  # from here on, position = rank by score
    pieces, extent = _spatial_pieces(b)
    suppressed = np.zeros(len(b), dtype=bool)
    keep = []
    for start in range(0, len(b), BLOCK):
        block = np.arange(start, min(start + BLOCK, len(b)))
        block = block[~suppressed[block]]  # the ones earlier blocks did not remove
        overlaps = (iou(b[block], b[block]) > thr) & (c[block][:, None] == c[block][None, :])
        alive = np.ones(len(block), dtype=bool)
        for k in range(len(block)):
            if alive[k]:  # kept: it removes the later boxes of the block it overlaps
                alive[k + 1 :] &= ~overlaps[k, k + 1 :]
        kept = block[alive]
        keep.extend(kept.tolist())
        if len(kept):
            _suppress_later(b, c, kept, start + BLOCK, thr, suppressed, pieces, extent)
    return order[np.asarray(keep, dtype=np.int64)]


def nms_reference(boxes, scores, iou_threshold: float = 0.5, classes=None) -> list[int]:
    """The same greedy algorithm written plainly, one pair of boxes at a time (for tests
    and for reading): keep the best remaining box, drop the ones that overlap it, repeat.

    boxes: (N, 4) xyxy; scores: (N,); classes: optional (N,). Returns a list of K indices,
    as :func:`non_max_suppression`.

    >>> nms_reference([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]], [0.9, 0.8, 0.7])
    [0, 2]
    """
    b, s, thr, c = _checked(boxes, scores, iou_threshold, classes)
    remaining = sorted(range(len(b)), key=lambda i: (-s[i], i))
    keep = []
    while remaining:
        best = remaining.pop(0)
        keep.append(best)
        remaining = [i for i in remaining if c[i] != c[best] or iou(b[best], b[i])[0, 0] <= thr]
    return keep
