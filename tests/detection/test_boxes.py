"""cnnlab.detection.boxes: box formats, areas, intersections and IoU on hand-made cases with
known answers, property tests, and bad input (the checks of cnnlab.validate about boxes)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnnlab import detection, validate

from tests.detection.strategies import boxes_strategy


def test_box_convert_known_values():
    np.testing.assert_allclose(
        detection.box_convert([10, 20, 30, 60], "xyxy", "cxcywh"), [20, 40, 20, 40]
    )
    np.testing.assert_allclose(
        detection.box_convert([[20, 40, 20, 40]], "cxcywh", "xyxy"), [[10, 20, 30, 60]]
    )
    assert detection.box_convert(np.zeros((0, 4)), "xyxy", "cxcywh").shape == (0, 4)


@given(boxes_strategy())
def test_box_convert_round_trip(b):
    back = detection.box_convert(detection.box_convert(b, "xyxy", "cxcywh"), "cxcywh", "xyxy")
    np.testing.assert_allclose(back, b, atol=1e-9)


def test_iou_hand_made():
    a = [0, 0, 4, 4]
    b = [[0, 0, 4, 4], [2, 0, 6, 4], [4, 4, 8, 8], [10, 10, 11, 11], [1, 1, 3, 3], [0, 0, 2, 2]]
    np.testing.assert_allclose(detection.iou(a, b), [[1, 8 / 24, 0, 0, 4 / 16, 4 / 16]])
    # two boxes apart along x AND y: the negative overlaps must not multiply to a positive
    assert detection.intersection([0, 0, 1, 1], [2, 2, 3, 3])[0, 0] == 0
    assert detection.iou([0, 0, 2, 2], [1, 1, 3, 3])[0, 0] == pytest.approx(1 / 7)


def test_iou_shapes_and_degenerate_boxes():
    assert detection.iou(
        np.zeros((3, 4)) + [0, 0, 1, 1], np.zeros((5, 4)) + [0, 0, 2, 2]
    ).shape == (
        3,
        5,
    )
    assert detection.iou(np.zeros((0, 4)), [[0, 0, 1, 1]]).shape == (0, 1)
    # boxes with no area: union 0, IoU defined as 0 (not NaN)
    assert detection.iou([1, 1, 1, 1], [1, 1, 1, 1])[0, 0] == 0
    assert detection.iou([1, 1, 1, 5], [0, 0, 2, 2])[0, 0] == 0


@given(boxes_strategy(), boxes_strategy())
def test_iou_properties(a, b):
    m = detection.iou(a, b)
    assert m.shape == (len(a), len(b))
    assert np.all((m >= 0) & (m <= 1))
    np.testing.assert_allclose(m, detection.iou(b, a).T)  # symmetric
    np.testing.assert_allclose(np.diag(detection.iou(a, a)), 1.0)  # 1 on identical boxes
    # the same boxes moved together and scaled together keep their IoU
    np.testing.assert_allclose(detection.iou(a * 3 + 7, b * 3 + 7), m, atol=1e-9)


@given(boxes_strategy(max_n=6), st.floats(0.1, 10))
def test_iou_is_one_only_for_identical_and_zero_when_apart(a, shift):
    far = a + np.array([200, 0, 200, 0]) + shift
    assert np.all(detection.iou(a, far) == 0)
    grown = a + np.array([0, 0, shift, 0])  # a wider box contains the original: IoU < 1
    assert np.all(np.diag(detection.iou(a, grown)) < 1)


def test_box_area():
    np.testing.assert_allclose(detection.box_area([[0, 0, 2, 3], [1, 1, 1, 4]]), [6, 0])


def test_image_hw():
    assert detection.image_hw(64) == (64, 64)
    assert detection.image_hw((48, 32)) == (48, 32)
    with pytest.raises(ValueError, match="image_size"):
        detection.image_hw((1, 2, 3))
    with pytest.raises(ValueError, match="image_size width must be an integer"):
        detection.image_hw((4, 0))


def test_validate_box_checks():
    assert validate.as_boxes([0, 0, 2, 3]).shape == (1, 4)
    assert validate.as_boxes([]).shape == (0, 4)
    assert validate.as_boxes([[1, 1, 0, 0]], fmt="cxcywh").shape == (1, 4)
    with pytest.raises(ValueError, match="box format"):
        validate.as_boxes([0, 0, 1, 1], fmt="xywh")
    assert validate.check_fraction("t", 1) == 1.0
    for bad in (True, 1.5, -0.1, "0.5"):
        with pytest.raises(ValueError, match=r"t must be a number in \[0, 1\]"):
            validate.check_fraction("t", bad)
    np.testing.assert_array_equal(validate.as_classes([0, 2.0], 2), [0, 2])
    np.testing.assert_array_equal(validate.as_sizes([3, 4], "wh"), [[3, 4]])
    with pytest.raises(ValueError, match=r"shape \(K, 2\)"):
        validate.as_sizes([[1, 2, 3]], "wh")
    with pytest.raises(ValueError, match="one number per box"):
        validate.as_vector([[1, 2]], "scores", 2)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: detection.iou([[5, 0, 1, 4]], [[0, 0, 1, 1]]), r"x2 >= x1.*width -4"),
        (lambda: detection.iou([[0, 5, 1, 4]], [[0, 0, 1, 1]]), r"y2 >= y1"),
        (lambda: detection.iou([[0, 0, 1]], [[0, 0, 1, 1]]), r"shape \(N, 4\)"),
        (lambda: detection.iou([[0, 0, np.nan, 1]], [[0, 0, 1, 1]]), "NaN"),
        (lambda: detection.box_convert([[1, 1, -2, 3]], "cxcywh", "xyxy"), "negative width"),
        (lambda: detection.box_convert([[1, 1, 2, 3]], "xywh", "xyxy"), "box format"),
        (lambda: detection.box_convert([[1, 1, 2, 3]], "xyxy", "corners"), "box format"),
    ],
)
def test_bad_input_gets_a_clear_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()
