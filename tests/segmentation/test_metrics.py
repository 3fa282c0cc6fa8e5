"""cnnlab.segmentation.metrics: pixel accuracy, the confusion matrix, per-class and mean IoU,
against hand-computed examples and scikit-learn on random labels."""

import numpy as np
import pytest
from sklearn.metrics import confusion_matrix as sk_confusion
from sklearn.metrics import jaccard_score

from cnnlab.segmentation import confusion_matrix, mean_iou, per_class_iou, pixel_accuracy

# A 3x4 scene by hand: 0 background, 1 and 2 two objects.
TRUTH = np.array([[0, 0, 1, 1], [0, 0, 1, 1], [0, 2, 2, 0]])
PRED = np.array([[0, 0, 0, 1], [0, 1, 1, 1], [0, 2, 0, 0]])


def test_hand_example():
    cm = confusion_matrix(PRED, TRUTH, 3)
    # rows: true class, columns: predicted class
    assert cm.tolist() == [[5, 1, 0], [1, 3, 0], [1, 0, 1]]
    assert pixel_accuracy(PRED, TRUTH) == pytest.approx(9 / 12)
    # background: 5 right, union 5 + 1 (true bg called 1) + 2 (called bg, not bg) = 8
    # class 1: 3 right, union 3 + 1 + 1 = 5; class 2: 1 right, union 1 + 1 = 2
    assert per_class_iou(PRED, TRUTH, 3) == pytest.approx([5 / 8, 3 / 5, 1 / 2])
    assert mean_iou(PRED, TRUTH, 3) == pytest.approx((5 / 8 + 3 / 5 + 1 / 2) / 3)


def test_perfect_and_all_background():
    assert pixel_accuracy(TRUTH, TRUTH) == 1.0
    assert per_class_iou(TRUTH, TRUTH, 3).tolist() == [1.0, 1.0, 1.0]
    # labelling everything background: pixel accuracy flatters it, IoU does not
    lazy = np.zeros_like(TRUTH)
    assert pixel_accuracy(lazy, TRUTH) == pytest.approx(6 / 12)
    assert per_class_iou(lazy, TRUTH, 3) == pytest.approx([0.5, 0.0, 0.0])
    assert mean_iou(lazy, TRUTH, 3) == pytest.approx(0.5 / 3)


def test_absent_classes_are_nan_and_left_out_of_the_mean():
    iou = per_class_iou(PRED, TRUTH, 5)  # classes 3 and 4 appear nowhere
    assert np.isnan(iou[3:]).all() and np.isfinite(iou[:3]).all()
    assert mean_iou(PRED, TRUTH, 5) == pytest.approx(mean_iou(PRED, TRUTH, 3))
    # a class predicted but absent from the truth is a real mistake: IoU 0, not NaN
    pred = PRED.copy()
    pred[0, 0] = 3
    assert per_class_iou(pred, TRUTH, 4)[3] == 0.0


@pytest.mark.parametrize("seed", range(5))
def test_against_scikit_learn_on_random_labels(seed):
    rng = np.random.default_rng(seed)
    n_classes = int(rng.integers(2, 6))
    truth = rng.integers(0, n_classes, size=(3, 7, 9))
    pred = np.where(rng.random(truth.shape) < 0.6, truth, rng.integers(0, n_classes, truth.shape))
    labels = list(range(n_classes))
    cm = confusion_matrix(pred, truth, n_classes)
    assert np.array_equal(cm, sk_confusion(truth.ravel(), pred.ravel(), labels=labels))
    assert cm.sum() == truth.size
    iou = per_class_iou(pred, truth, n_classes)
    expected = jaccard_score(truth.ravel(), pred.ravel(), labels=labels, average=None)
    assert iou == pytest.approx(expected)
    assert mean_iou(pred, truth, n_classes) == pytest.approx(expected.mean())
    assert pixel_accuracy(pred, truth) == pytest.approx((pred == truth).mean())


def test_works_on_any_shape_of_label_array():
    flat = confusion_matrix(PRED.ravel(), TRUTH.ravel(), 3)
    assert np.array_equal(flat, confusion_matrix(PRED[None], TRUTH[None], 3))


@pytest.mark.parametrize(
    "pred, target, n, match",
    [
        (PRED.astype(float), TRUTH, 3, "integer class labels"),
        (PRED == 1, TRUTH, 3, "integer class labels"),
        (PRED, TRUTH, 2, "labels in 0..1"),
        (PRED - 1, TRUTH, 3, "labels in 0..2"),
        (PRED[:, :3], TRUTH, 3, "same, non-empty shape"),
        (PRED[:0], TRUTH[:0], 3, "non-empty"),
        (PRED, TRUTH, 0, "n_classes"),
        (PRED, TRUTH, 2.0, "n_classes"),
    ],
)
def test_bad_inputs_are_refused(pred, target, n, match):
    with pytest.raises(ValueError, match=match):
        confusion_matrix(pred, target, n)
    with pytest.raises(ValueError, match=match):
        per_class_iou(pred, target, n)
    with pytest.raises(ValueError, match=match):
        mean_iou(pred, target, n)


def test_pixel_accuracy_refuses_mismatched_shapes():
    with pytest.raises(ValueError, match="same, non-empty shape"):
        pixel_accuracy(PRED, TRUTH.T)
    with pytest.raises(ValueError, match="same, non-empty shape"):
        pixel_accuracy([], [])
