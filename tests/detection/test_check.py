"""cnnlab.detection.check: the object detection checkers accept the reference answers and name the typical mistakes."""

import numpy as np
import pytest

from cnnlab import detection
from cnnlab.detection import check

# exercise 1: IoU by hand


@pytest.mark.parametrize("answer", [1 / 7, 0.143, 0.1429, np.float32(1 / 7)])
def test_iou_by_hand_accepts(answer):
    assert check.iou_by_hand(answer).ok


@pytest.mark.parametrize(
    "answer, hint",
    [
        (4 / 32, "counts the overlap twice"),
        (4 / 12, "area of A alone"),
        (4 / 20, "area of B alone"),
        (7.0, "upside down"),
        (4, "area of the intersection"),
        (28, "area of the union"),
        (9 / 41, "counted pixels"),
        (0.5, "not the IoU yet"),
        (None, "Replace None"),
        ("0.14", "one number"),
        ([0.14], "one number"),
    ],
)
def test_iou_by_hand_names_the_mistake(answer, hint):
    fb = check.iou_by_hand(answer)
    assert not fb.ok and hint in fb.message


# exercise 2: an NMS function


def reference_nms(boxes, scores, threshold):
    return detection.non_max_suppression(boxes, scores, threshold)


def test_nms_function_accepts_the_reference_and_lists():
    assert check.nms_function(reference_nms).ok
    assert check.nms_function(lambda b, s, t: reference_nms(b, s, t).tolist()).ok


@pytest.mark.parametrize(
    "mistake, hint",
    [
        ("index_order", "in the order given"),
        ("ascending", "started from the lowest score"),
        ("ge", "exactly equal to the threshold"),
        ("one_pass", "had itself been suppressed"),
        ("below", "overlap little"),
    ],
)
def test_nms_function_names_the_mistake(mistake, hint):
    fb = check.nms_function(lambda b, s, t: check.nms_variant(b, s, t, mistake))
    assert not fb.ok and hint in fb.message


def test_nms_function_other_failures():
    assert "function itself" in check.nms_function(None).message
    assert "returned None" in check.nms_function(lambda b, s, t: None).message
    assert (
        "not a True/False mask"
        in check.nms_function(
            lambda b, s, t: np.isin(np.arange(len(b)), reference_nms(b, s, t))
        ).message
    )
    assert "raised ZeroDivisionError" in check.nms_function(lambda b, s, t: 1 / 0).message
    wrong_order = check.nms_function(lambda b, s, t: sorted(reference_nms(b, s, t).tolist()))
    assert not wrong_order.ok and "wrong order" in wrong_order.message
    fb = check.nms_function(lambda b, s, t: [0])
    assert not fb.ok and "expected" in fb.message


# exercise 3: a YOLO target

CELL, Y = (2, 1), [1, 0.875, 0.5, 0.75, 1.5, 0, 1, 0]


@pytest.mark.parametrize("cell, y", [(CELL, Y), ([2, 1], np.array(Y)), ((2.0, 1.0), Y)])
def test_yolo_target_accepts(cell, y):
    assert check.yolo_target(cell, y).ok


@pytest.mark.parametrize(
    "cell, y, hint",
    [
        ((1, 2), Y, "swapped"),
        ((0, 0), Y, "not the one holding the midpoint"),
        (CELL, [0] + Y[1:], "pc is 1"),
        (CELL, [1, 60 / 96, 80 / 96] + Y[3:], "relative to the whole image"),
        (CELL, [1, 28, 16] + Y[3:], "in pixels"),
        (CELL, [1, 36 / 32 - 1, 68 / 32 - 2] + Y[3:], "top-left corner"),
        (CELL, [1, 0.5, 0.875] + Y[3:], "bx and by are swapped"),
        (CELL, Y[:3] + [1.5, 0.75] + Y[5:], "bh and bw are swapped"),
        (CELL, Y[:3] + [0.25, 0.5] + Y[5:], "can exceed 1"),
        (CELL, Y[:3] + [24, 48] + Y[5:], "divide by the cell size"),
        (CELL, Y[:5] + [1, 0, 0], "one-hot"),
        (CELL, Y[:5], "8 entries"),
        (None, Y, "Replace both"),
        ("ab", Y, "two integers"),
    ],
)
def test_yolo_target_names_the_mistake(cell, y, hint):
    fb = check.yolo_target(cell, y)
    assert not fb.ok and hint in fb.message


# exercise 4: AP by hand


@pytest.mark.parametrize("answer", [0.25 * (2 / 3 + 2 / 3 + 3 / 5), 0.483, 0.4833])
def test_ap_by_hand_accepts(answer):
    assert check.ap_by_hand(answer).ok


@pytest.mark.parametrize(
    "answer, hint",
    [
        (0.25 * (0.5 + 2 / 3 + 0.6), "raw precision at each new recall"),
        ((2 / 3 + 2 / 3 + 0.6) / 3, "objects you found"),
        ((0.5 + 2 / 3 + 0.6) / 3, "raw precision over the 3 objects"),
        (0.6, "precision of the whole list"),
        (0.75, "final recall"),
        ((6 * 2 / 3 + 2 * 0.6) / 11, "11-point"),
        (0.2 * (2 / 3 + 2 / 3 + 0.6), "not the number of detections"),
        (0.9, "not right yet"),
        (None, "Replace None"),
    ],
)
def test_ap_by_hand_names_the_mistake(answer, hint):
    fb = check.ap_by_hand(answer)
    assert not fb.ok and hint in fb.message
