"""Scoring a detector: matching detections to true objects, precision and recall, average
precision and mean average precision (mAP, PASCAL VOC style).

Used by lesson 10 (object detection), section 9 and exercise 4, and by
:func:`cnnlab.detection.yolo.evaluate_map`.

A **prediction** for one image is ``(boxes (K, 4), scores (K,), classes (K,))``; a **truth**
is ``(boxes (M, 4), classes (M,))``; boxes are xyxy in pixels. Detections are matched
greedily, best score first: a detection is a true positive if its IoU with a still unmatched
true box of its class is ``>= iou_threshold`` (it takes the true box it overlaps most); a
second detection of the same object is a false positive.

>>> truth = (np.array([[0, 0, 10, 10]]), np.array([0]))
>>> detection_errors((np.array([[0, 0, 10, 10], [1, 0, 11, 10]]), [0.9, 0.8], [0, 0]), truth)
(1, 0)
"""

from __future__ import annotations

import numpy as np

from ..i18n import tr
from ..validate import (
    as_boxes,
    as_classes,
    as_real_array,
    as_vector,
    check_fraction,
    check_int,
)
from .boxes import iou


def _image_list(value, name: str, parts: str) -> list:
    """``value`` as a list with one entry per image, or a ValueError naming ``name``."""
    if value is None or isinstance(value, (str, bytes, dict)) or not hasattr(value, "__len__"):
        raise ValueError(
            tr("{name} must be a list with one {parts} per image, got {value!r}").format(
                name=name, parts=parts, value=value
            )
        )
    return list(value)


def _check_image_lists(predictions, ground_truths):
    """Check one image's (boxes, scores, classes) per prediction and (boxes, classes) per
    truth; scores must be finite (a NaN has no rank: the answer would depend on the order
    of the list). Returns the two lists of checked arrays."""
    predictions = _image_list(predictions, "predictions", "(boxes, scores, classes)")
    ground_truths = _image_list(ground_truths, "ground_truths", "(boxes, classes)")
    if len(predictions) != len(ground_truths):
        raise ValueError(
            tr("predictions cover {n_pred} images but ground_truths {n_true}").format(
                n_pred=len(predictions), n_true=len(ground_truths)
            )
        )
    preds, truths = [], []
    for i, (p, g) in enumerate(zip(predictions, ground_truths)):
        if not (isinstance(p, (tuple, list)) and len(p) == 3) or not (
            isinstance(g, (tuple, list)) and len(g) == 2
        ):
            raise ValueError(
                tr(
                    "image {i}: predictions must be (boxes, scores, classes) and ground truths "
                    "(boxes, classes), got {pred} and {truth}"
                ).format(i=i, pred=type(p).__name__, truth=type(g).__name__)
            )
        pb = as_boxes(p[0], tr("predicted boxes of image {i}").format(i=i))
        ps = as_vector(p[1], tr("scores of image {i}").format(i=i), len(pb))
        if not np.isfinite(ps).all():
            raise ValueError(
                tr(
                    "scores of image {i} contain NaN or infinite values, got {scores}: "
                    "detections are ranked by score, and a NaN has no rank"
                ).format(i=i, scores=ps.tolist())
            )
        pc = as_classes(p[2], len(pb), tr("predicted classes of image {i}").format(i=i))
        preds.append((pb, ps, pc))
        gb = as_boxes(g[0], tr("true boxes of image {i}").format(i=i))
        truths.append((gb, as_classes(g[1], len(gb), tr("true classes of image {i}").format(i=i))))
    return preds, truths


def _greedy_match(pb, ps, pc, tb, tc, thr):
    """The one greedy matching (checked arrays): (hit (K,) bool, found (M,) bool)."""
    hit = np.zeros(len(pb), dtype=bool)
    found = np.zeros(len(tb), dtype=bool)
    for k in np.argsort(-ps, kind="stable"):
        same = np.flatnonzero(tc == pc[k])
        if len(same):
            overlaps = iou(pb[k], tb[same])[0]
            j = int(overlaps.argmax())
            if overlaps[j] >= thr and not found[same[j]]:
                found[same[j]] = True
                hit[k] = True
    return hit, found


def match_detections(prediction, truth, iou_threshold: float = 0.5):
    """Match one image's detections to its true objects, best score first.

    prediction: (boxes (K, 4), scores (K,), classes (K,)); truth: (boxes (M, 4), classes (M,)).
    Returns (hit (K,) bool: the detection is a true positive, found (M,) bool: the object
    was detected). Each true object takes at most one detection, of its own class.

    >>> hit, found = match_detections(([[0, 0, 10, 10], [0, 0, 10, 10]], [0.8, 0.9], [0, 0]),
    ...                               ([[0, 0, 10, 10], [20, 20, 30, 30]], [0, 0]))
    >>> hit.tolist(), found.tolist()
    ([False, True], [True, False])
    """
    preds, truths = _check_image_lists([prediction], [truth])
    thr = check_fraction("iou_threshold", iou_threshold)
    return _greedy_match(*preds[0], *truths[0], thr)


def precision_recall(predictions, ground_truths, cls: int, iou_threshold: float = 0.5):
    """Precision and recall of one class as detections are accepted from the best score down.

    predictions: one (boxes, scores, classes) per image; ground_truths: one (boxes, classes)
    per image. Detections are matched as in :func:`match_detections`, within their image.
    Returns (precision (K,), recall (K,), n_true) over the K detections of class ``cls``,
    sorted by decreasing score (ties keep the order of the images and detections).
    """
    thr = check_fraction("iou_threshold", iou_threshold)
    cls = check_int("cls", cls, 0)
    preds, truths = _check_image_lists(predictions, ground_truths)
    return _precision_recall(preds, truths, cls, thr)


def _precision_recall(preds, truths, cls: int, thr: float):
    """:func:`precision_recall` on lists already checked by ``_check_image_lists``, for class
    ``cls`` (an int >= 0) at IoU threshold ``thr`` (a float in [0, 1])."""
    scores, hits, n_true = [np.zeros(0)], [np.zeros(0, dtype=bool)], 0
    for (pb, ps, pc), (tb, tc) in zip(preds, truths):
        mine, theirs = pc == cls, tc == cls
        hits.append(_greedy_match(pb[mine], ps[mine], pc[mine], tb[theirs], tc[theirs], thr)[0])
        scores.append(ps[mine])
        n_true += int(theirs.sum())
    order = np.argsort(-np.concatenate(scores), kind="stable")
    cum_tp = np.cumsum(np.concatenate(hits)[order].astype(float))
    precision = cum_tp / np.arange(1, len(order) + 1)
    recall = cum_tp / n_true if n_true else np.zeros(len(order))
    return precision, recall, n_true


def _curve(values, name: str) -> np.ndarray:
    """A precision or recall curve (K,) of finite numbers in [0, 1], or a ValueError."""
    v = as_real_array(name, values).astype(float).reshape(-1)
    if not (np.isfinite(v) & (v >= 0) & (v <= 1)).all():
        raise ValueError(
            tr("{name} must be numbers in [0, 1] (one per rank), got {values}").format(
                name=name, values=v.tolist()
            )
        )
    return v


def interpolated_precision(precision) -> np.ndarray:
    """The precision curve made monotone: at each rank, the best precision at that recall
    or beyond (what VOC's average precision integrates). precision: (K,); returns (K,).

    >>> interpolated_precision([0.0, 0.5, 2 / 3, 0.5, 0.6]).round(3)
    array([0.667, 0.667, 0.667, 0.6  , 0.6  ])
    """
    p = _curve(precision, "precision")
    return np.maximum.accumulate(p[::-1])[::-1]


def average_precision(precision, recall) -> float:
    """Area under the precision-recall curve, VOC style (all points, since VOC 2010).

    precision, recall: (K,), as :func:`precision_recall` returns them. The curve is first
    made monotone (:func:`interpolated_precision`); then the area is summed over the recall
    steps. Returns a float in [0, 1].

    >>> average_precision([0.0, 0.5, 2 / 3, 0.5, 0.6], [0.0, 0.25, 0.5, 0.5, 0.75])
    0.4833333333333333
    """
    p, r = _curve(precision, "precision"), _curve(recall, "recall")
    if len(p) != len(r):
        raise ValueError(
            tr("precision has {n_p} values but recall {n_r}; give one of each per rank").format(
                n_p=len(p), n_r=len(r)
            )
        )
    p = interpolated_precision(np.concatenate([[0.0], p, [0.0]]))
    r = np.concatenate([[0.0], r, [1.0]])
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
    true objects but no detection has AP 0. Returns a float; with ``per_class=True``
    ``(mAP, {class: AP})``.
    """
    thr = check_fraction("iou_threshold", iou_threshold)
    preds, truths = _check_image_lists(predictions, ground_truths)
    present = sorted({int(c) for _, gc in truths for c in gc})
    if num_classes is not None:
        C = check_int("num_classes", num_classes, 1)
        if present and present[-1] >= C:
            raise ValueError(
                tr("true classes must be < num_classes = {num_classes}, got {value}").format(
                    num_classes=C, value=present[-1]
                )
            )
    if not present:
        raise ValueError(tr("the ground truth has no objects: average precision is undefined"))
    aps = {}
    for c in present:
        prec, rec, _ = _precision_recall(preds, truths, c, thr)
        aps[c] = average_precision(prec, rec) if len(prec) else 0.0
    m = float(np.mean(list(aps.values())))
    return (m, aps) if per_class else m


def detection_errors(prediction, truth, iou_threshold: float = 0.5) -> tuple[int, int]:
    """(false positives, missed objects) of one image's detections, matched as in
    :func:`match_detections`.

    prediction: (boxes (K, 4), scores (K,), classes (K,)); truth: (boxes (M, 4), classes (M,)).
    """
    hit, found = match_detections(prediction, truth, iou_threshold)
    return int((~hit).sum()), int((~found).sum())
