"""Non-max suppression: keep one box per object out of a detector's many overlapping ones.

Used by lesson 10 (object detection): the sliding-window, YOLO and R-CNN detectors all end
with it.

>>> non_max_suppression([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]], [0.9, 0.8, 0.7])
array([0, 2])
"""

from __future__ import annotations

import numpy as np

from ..validate import as_boxes, as_classes, as_vector, check_fraction
from .boxes import iou


def non_max_suppression(boxes, scores, iou_threshold: float = 0.5, classes=None) -> np.ndarray:
    """Greedy non-max suppression: the indices of the boxes kept, highest score first.

    Repeat: keep the box with the highest remaining score, then discard every remaining box
    whose IoU with it is **greater than** ``iou_threshold`` (as torchvision.ops.nms does).

    boxes: (N, 4) xyxy; scores: (N,); iou_threshold in [0, 1]. classes: optional (N,) class
    indices; then boxes only suppress boxes of their own class (per-class NMS, as
    torchvision.ops.batched_nms). Returns an int64 array (K,) of indices into ``boxes``,
    sorted by decreasing score (ties: the lower index first).

    >>> non_max_suppression([[0, 0, 4, 4], [0, 0, 4, 4]], [0.5, 0.9], classes=[0, 1])
    array([1, 0])
    """
    b = as_boxes(boxes)
    s = as_vector(scores, "scores", len(b))
    thr = check_fraction("iou_threshold", iou_threshold)
    if not np.isfinite(s).all():
        raise ValueError("scores contain NaN or infinite values")
    if len(b) == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(-s, kind="stable")
    overlaps = iou(b, b) > thr  # one vectorised (N, N) comparison, then a cheap greedy pass
    if classes is not None:
        c = as_classes(classes, len(b))
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
    and for reading): keep the best remaining box, drop the ones that overlap it, repeat.

    boxes: (N, 4) xyxy; scores: (N,); classes: optional (N,). Returns a list of K indices,
    as :func:`non_max_suppression`.

    >>> nms_reference([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]], [0.9, 0.8, 0.7])
    [0, 2]
    """
    b = as_boxes(boxes)
    s = as_vector(scores, "scores", len(b))
    c = as_classes(classes, len(b)) if classes is not None else np.zeros(len(b), np.int64)
    remaining = sorted(range(len(b)), key=lambda i: (-s[i], i))
    keep = []
    while remaining:
        best = remaining.pop(0)
        keep.append(best)
        remaining = [
            i for i in remaining if c[i] != c[best] or iou(b[best], b[i])[0, 0] <= iou_threshold
        ]
    return keep
