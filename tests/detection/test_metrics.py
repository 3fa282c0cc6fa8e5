"""cnnlab.detection.metrics: greedy matching, precision and recall, average precision and
mAP on hand-made cases with known answers, and bad input."""

import numpy as np
import pytest

from cnnlab import detection

T = [(np.array([[0, 0, 10, 10], [20, 20, 30, 30]]), np.array([0, 0]))]


def dets(boxes, scores, classes=None):
    classes = [0] * len(scores) if classes is None else classes
    return [(np.array(boxes, float).reshape(-1, 4), np.array(scores, float), np.array(classes))]


@pytest.mark.parametrize(
    "boxes, scores, expected",
    [
        ([[0, 0, 10, 10], [20, 20, 30, 30]], [0.9, 0.8], 1.0),  # perfect
        ([[0, 0, 10, 10]], [0.9], 0.5),  # half the objects found
        ([], [], 0.0),  # nothing found
        ([[40, 40, 50, 50], [0, 0, 10, 10], [20, 20, 30, 30]], [0.9, 0.8, 0.7], 2 / 3),
        ([[0, 0, 10, 10], [40, 40, 50, 50], [20, 20, 30, 30]], [0.9, 0.8, 0.7], 0.5 + 0.5 * 2 / 3),
        ([[0, 0, 10, 10], [20, 20, 30, 30], [40, 40, 50, 50]], [0.9, 0.8, 0.7], 1.0),  # FP last
        ([[0, 0, 10, 10], [0, 0, 10, 10]], [0.9, 0.8], 0.5),  # a duplicate is a false positive
        ([[0, 0, 10, 10], [1, 0, 11, 10], [20, 20, 30, 30]], [0.9, 0.8, 0.7], 0.5 + 0.5 * 2 / 3),
        # IoU exactly 0.5 counts as a hit, just below does not
        ([[0, 0, 10, 5], [20, 20, 30, 30]], [0.9, 0.8], 1.0),
        ([[0, 0, 10, 4.9], [20, 20, 30, 30]], [0.9, 0.8], 0.5 * 1 / 2),
    ],
)
def test_map_hand_made(boxes, scores, expected):
    assert detection.mean_average_precision(dets(boxes, scores), T) == pytest.approx(expected)


def test_map_classes_and_images():
    truth = [
        (np.array([[0, 0, 10, 10]]), np.array([0])),
        (np.array([[0, 0, 10, 10], [20, 20, 30, 30]]), np.array([1, 2])),
    ]
    preds = [
        (np.array([[0, 0, 10, 10]]), np.array([0.9]), np.array([1])),  # wrong class
        (np.array([[0, 0, 10, 10], [20, 20, 30, 30]]), np.array([0.8, 0.7]), np.array([1, 2])),
    ]
    m, per = detection.mean_average_precision(preds, truth, per_class=True)
    # class 0: never detected -> 0; class 1: FP (image 0) ranked above the TP -> 1/2;
    # class 2: perfect; class 3 has no true objects and is left out
    assert per == pytest.approx({0: 0.0, 1: 0.5, 2: 1.0})
    assert m == pytest.approx(0.5)
    # a detection in an image without objects of its class is a false positive
    extra = [
        preds[0],
        (np.r_[preds[1][0], [[50, 50, 60, 60]]], np.r_[preds[1][1], 0.95], np.r_[preds[1][2], 2]),
    ]
    assert detection.mean_average_precision(extra, truth, per_class=True)[1][2] == pytest.approx(
        0.5
    )


def test_average_precision_curve():
    # the notes-style case: wrong, right, right, wrong, right with 4 true objects
    hits = np.array([0, 1, 1, 0, 1])
    tp = np.cumsum(hits)
    p, r = tp / np.arange(1, 6), tp / 4
    assert detection.average_precision(p, r) == pytest.approx(0.25 * (2 / 3 + 2 / 3 + 3 / 5))
    assert detection.average_precision([], []) == 0.0
    p, r, n = detection.precision_recall(dets([[0, 0, 10, 10]], [0.9]), T, 0)
    assert (p.tolist(), r.tolist(), n) == ([1.0], [0.5], 2)


def test_detection_errors():
    truth = (np.array([[0, 0, 10, 10], [20, 20, 30, 30]]), np.array([0, 1]))
    pred = (
        np.array([[0, 0, 10, 10], [0, 0, 10, 10], [20, 20, 30, 30]]),
        np.array([0.9, 0.8, 0.7]),
        np.array([0, 0, 0]),
    )
    assert detection.detection_errors(pred, truth) == (2, 1)  # a duplicate and a wrong class
    assert detection.detection_errors((np.zeros((0, 4)), [], []), truth) == (0, 2)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: detection.mean_average_precision([], [([[0, 0, 1, 1]], [0])]), "0 images"),
        (lambda: detection.mean_average_precision([([], [], [])], [([], [])]), "no objects"),
        (
            lambda: detection.mean_average_precision(
                [([[0, 0, 1, 1]], [0.5], [0])], [([[0, 0, 1, 1]], [0])], iou_threshold=2
            ),
            r"\[0, 1\]",
        ),
    ],
)
def test_bad_input_gets_a_clear_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_match_detections_is_the_matching_of_precision_recall():
    truth = (np.array([[0, 0, 10, 10], [20, 20, 30, 30], [0, 0, 10, 10]]), np.array([0, 0, 1]))
    pred = (
        np.array([[0, 0, 10, 10], [1, 0, 11, 10], [20, 20, 30, 30], [0, 0, 10, 10]]),
        np.array([0.7, 0.9, 0.8, 0.6]),
        np.array([0, 0, 0, 1]),
    )
    hit, found = detection.match_detections(pred, truth)
    # best score first: the shifted box (IoU 0.82) takes object 0, the exact one comes too late
    assert hit.tolist() == [False, True, True, True] and found.all()
    p, r, n = detection.precision_recall([pred], [truth], 0)
    np.testing.assert_allclose(p, [1, 1, 2 / 3])  # class 0 in score order: hit, hit, duplicate
    np.testing.assert_allclose(r, [0.5, 1, 1])
    assert n == 2
    assert detection.detection_errors(pred, truth) == (1, 0)
    with pytest.raises(ValueError, match=r"iou_threshold.*\[0, 1\]"):
        detection.match_detections(pred, truth, 1.5)


def test_interpolated_precision_is_the_best_precision_to_the_right():
    np.testing.assert_allclose(
        detection.interpolated_precision([0.5, 1, 0.2, 0.4]), [1, 1, 0.4, 0.4]
    )
    assert detection.interpolated_precision([]).shape == (0,)
