"""How good a segmentation is: pixel accuracy, per-class IoU and mean IoU.

Pixel accuracy counts the pixels labelled right; it flatters a model that labels everything
background when most pixels are background. The IoU of a class is its predicted region's
overlap with the true one divided by their union (the detection lesson's IoU, for pixel sets
instead of boxes); mean IoU averages it over the classes, so every class counts the same.
Used by the segmentation lesson.

>>> y = np.array([[0, 0, 1, 1]]); p = np.array([[0, 1, 1, 1]])
>>> float(pixel_accuracy(p, y)), per_class_iou(p, y, 2).round(3).tolist()
(0.75, [0.5, 0.667])
"""

from __future__ import annotations

import numpy as np

from ..i18n import tr
from ..validate import check_int


def _labels(name, value, n_classes):
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):
        raise ValueError(
            tr("{name} must be an array of integer class labels, got {value!r}").format(
                name=name, value=value
            )
        ) from None
    if arr.dtype.kind not in "iu":  # floats (scores?) and booleans (a mask?) are not labels
        if arr.dtype.kind == "f":
            message = tr(
                "{name} must hold integer class labels, got dtype {dtype} (take the argmax "
                "over the class axis first)"
            )
        else:
            message = tr("{name} must hold integer class labels, got dtype {dtype}")
        raise ValueError(message.format(name=name, dtype=arr.dtype))
    if arr.size and (arr.min() < 0 or arr.max() >= n_classes):
        raise ValueError(
            tr("{name} must be labels in 0..{top}, got {low}..{high}").format(
                name=name, top=n_classes - 1, low=arr.min(), high=arr.max()
            )
        )
    return arr


def _same_shape(pred: np.ndarray, target: np.ndarray) -> None:
    """Refuse ``pred`` and ``target`` (arrays) unless they have the same, non-empty shape."""
    if pred.shape != target.shape or pred.size == 0:
        raise ValueError(
            tr("pred {pred} and target {target} must be the same, non-empty shape").format(
                pred=pred.shape, target=target.shape
            )
        )


def confusion_matrix(pred, target, n_classes: int) -> np.ndarray:
    """(n_classes, n_classes) counts: entry [t, p] = pixels of true class t predicted p.

    pred, target: integer label arrays of the same shape, e.g. (N, H, W).
    """
    n_classes = check_int("n_classes", n_classes, 1)
    pred, target = _labels("pred", pred, n_classes), _labels("target", target, n_classes)
    _same_shape(pred, target)
    index = target.ravel().astype(np.int64) * n_classes + pred.ravel()
    return np.bincount(index, minlength=n_classes**2).reshape(n_classes, n_classes)


def pixel_accuracy(pred, target) -> float:
    """Fraction of pixels whose predicted label is the true one."""
    pred, target = np.asarray(pred), np.asarray(target)
    _same_shape(pred, target)
    return float((pred == target).mean())


def per_class_iou(pred, target, n_classes: int) -> np.ndarray:
    """(n_classes,) IoU of each class's predicted and true pixel sets; NaN for a class that
    is in neither (no evidence either way)."""
    cm = confusion_matrix(pred, target, n_classes)
    inter = np.diag(cm).astype(float)
    union = cm.sum(0) + cm.sum(1) - np.diag(cm)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(union > 0, inter / np.maximum(union, 1), np.nan)


def mean_iou(pred, target, n_classes: int) -> float:
    """Mean of ``per_class_iou`` over the classes present in pred or target."""
    return float(np.nanmean(per_class_iou(pred, target, n_classes)))
