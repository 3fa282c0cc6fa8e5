"""cnnlab.detection.anchors: shape IoU, anchor assignment and k-means anchors, YOLO targets
encoded and decoded (round trip), the YOLO output pipeline, and bad input."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cnnlab import detection

from tests.detection.strategies import boxes_strategy


def test_shape_iou():
    np.testing.assert_allclose(
        detection.shape_iou([[2, 2]], [[2, 2], [4, 4], [2, 8], [1, 4]]), [[1, 0.25, 0.25, 2 / 6]]
    )


def test_assign_anchors_by_midpoint_and_shape():
    anchors = [[10, 10], [4, 16], [16, 4]]  # square, tall, wide
    boxes = [[0, 0, 10, 10], [20, 2, 24, 18], [33, 40, 49, 44], [0, 0, 64, 64]]
    a = detection.assign_anchors(boxes, 4, 64, anchors)  # cells of 16 px
    assert a.row.tolist() == [0, 0, 2, 2] and a.col.tolist() == [0, 1, 2, 2]
    assert a.anchor.tolist() == [0, 1, 2, 0]
    assert a.kept.all()
    # a midpoint on a border goes to the cell below / to the right; the far edge to the last
    b = detection.assign_anchors([[8, 8, 24, 24], [60, 60, 64, 64], [62, 62, 66, 66]], 4, 64)
    assert (b.row.tolist(), b.col.tolist()) == ([1, 3, 3], [1, 3, 3])


def test_assign_anchors_collisions():
    # two same-shaped objects, midpoints in one cell: the better fitting one wins the slot
    boxes = [[0, 0, 10, 12], [1, 1, 11, 11]]
    a = detection.assign_anchors(boxes, 2, 64)
    assert a.kept.tolist() == [True, False]  # no anchors: first come, first served
    a = detection.assign_anchors(boxes, 2, 64, [[10, 10], [2, 20]])
    assert a.anchor.tolist() == [0, 0] and a.kept.tolist() == [False, True]
    # with a tall and a wide anchor, a tall and a wide object share the cell
    a = detection.assign_anchors([[0, 0, 4, 16], [0, 6, 16, 10]], 2, 64, [[4, 16], [16, 4]])
    assert a.anchor.tolist() == [0, 1] and a.kept.all()


def test_kmeans_finds_clusters_of_shapes():
    rng = np.random.default_rng(0)
    centres = np.array([[10, 10], [8, 30], [30, 8]])
    wh = np.concatenate([c * rng.uniform(0.95, 1.05, (50, 2)) for c in centres])
    anchors = detection.kmeans_anchors(wh, 3, seed=1)
    areas = anchors.prod(axis=1)
    assert np.all(np.diff(areas) >= 0)  # sorted by area
    found = sorted(map(tuple, np.round(anchors / 2) * 2))
    assert found == sorted(map(tuple, centres.astype(float)))
    assert detection.anchor_fit(wh, anchors) > 0.9
    assert detection.anchor_fit(wh, detection.kmeans_anchors(wh, 1)) < detection.anchor_fit(
        wh, anchors
    )
    np.testing.assert_array_equal(anchors, detection.kmeans_anchors(wh, 3, seed=1))


# --- YOLO targets ---


def test_encode_targets_the_notes_example():
    # 96x96 image, 3x3 grid of 32 px, a car box; midpoint (60, 80) -> row 2, col 1
    y = detection.encode_targets([[36, 68, 84, 92]], [1], 3, 96, 3)
    assert y.shape == (3, 3, 1, 8)
    np.testing.assert_allclose(y[2, 1, 0], [1, 0.875, 0.5, 0.75, 1.5, 0, 1, 0])
    assert y.sum() == pytest.approx(y[2, 1, 0].sum())  # every other slot is all zeros
    # grid 1: the localization label, fractions of the image
    np.testing.assert_allclose(
        detection.encode_targets([[36, 68, 84, 92]], [1], 1, 96, 3)[0, 0, 0],
        [1, 60 / 96, 80 / 96, 24 / 96, 48 / 96, 0, 1, 0],
    )
    # rectangular images (H 64, W 32): rows from y and the height, columns from x and the
    # width; the midpoint (15, 32) is on a row border and goes to the row below
    y = detection.encode_targets([[10, 30, 20, 34]], [0], 2, (64, 32), 1)
    np.testing.assert_allclose(y[1, 0, 0], [1, 15 / 16, 0, 4 / 32, 10 / 16, 1])


@given(st.data())
def test_encode_decode_round_trip(data):
    S = data.draw(st.integers(1, 8))
    size = data.draw(st.sampled_from([32, 64, 96]))
    b = data.draw(boxes_strategy(max_n=6, max_coord=size * 0.6, min_size=1.0))
    c = data.draw(arrays(np.int64, len(b), elements=st.integers(0, 2)))
    anchors = data.draw(st.sampled_from([None, [[8, 8], [4, 12], [12, 4]]]))
    y = detection.encode_targets(b, c, S, size, 3, anchors)
    a = detection.assign_anchors(b, S, size, anchors)
    slots = y[..., 0] == 1
    assert slots.sum() == a.kept.sum()
    assert np.all((y[slots][:, 1:3] >= 0) & (y[slots][:, 1:3] < 1 + 1e-9))
    boxes, scores, classes = detection.decode_predictions(y, size, 0.5)
    assert np.all(scores == 1)
    order = lambda u: np.lexsort(np.round(u, 6).T)  # noqa: E731
    kept = b[a.kept]
    np.testing.assert_allclose(boxes[order(boxes)], kept[order(kept)], atol=1e-9)
    assert sorted(classes.tolist()) == sorted(c[a.kept].tolist())


def test_sizes_are_in_cell_units_and_may_exceed_one():
    y = detection.encode_targets([[0, 0, 40, 10]], [0], 4, 64, 1)  # cells of 16 px
    slot = y[0, 1, 0]  # midpoint (20, 5)
    assert slot[detection.BW] == 40 / 16 > 1 and slot[detection.BH] == 10 / 16


def test_yolo_detections_threshold_and_per_class_nms():
    y = np.zeros((2, 2, 2, 7))  # S=2, B=2, C=2, on a 32x32 image
    y[0, 0, 0] = [0.9, 0.5, 0.5, 1, 1, 1, 0]  # box (0, 0, 16, 16), class 0
    y[0, 0, 1] = [0.8, 0.55, 0.5, 1, 1, 1, 0]  # the same object again, lower score
    y[0, 0, 1, 5:] = [0.0, 1.0]  # ... but class 1: not suppressed by class 0
    y[1, 1, 0] = [0.4, 0.5, 0.5, 1, 1, 0.5, 0.5]  # score 0.2: dropped by the threshold
    boxes, scores, classes = detection.yolo_detections(y, 32, 0.3, 0.5)
    np.testing.assert_allclose(scores, [0.9, 0.8])
    assert classes.tolist() == [0, 1]
    np.testing.assert_allclose(boxes[0], [0, 0, 16, 16])
    y[0, 0, 1, 5:] = [1.0, 0.0]  # same class: now it is a duplicate
    assert len(detection.yolo_detections(y, 32, 0.3, 0.5)[0]) == 1
    assert len(detection.decode_predictions(y, 32)[0]) == 8  # threshold 0 keeps every slot


# --- bad input ---


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: detection.decode_predictions(np.zeros((3, 3, 1, 8)), 64, 2.0), "score_threshold"),
        (lambda: detection.decode_predictions(np.zeros((3, 4, 1, 8)), 64), r"\(S, S, B, 5 \+ C\)"),
        (lambda: detection.encode_targets([[0, 0, 4, 4]], [3], 2, 8, 3), "num_classes"),
        (lambda: detection.encode_targets([[0, 0, 4, 4]], [0, 1], 2, 8, 3), "1 boxes"),
        (lambda: detection.assign_anchors([[70, 70, 80, 80]], 2, 64), "outside the 64x64 image"),
        (lambda: detection.assign_anchors([[0, 0, 4, 4]], 0, 64), "grid_size"),
        (lambda: detection.shape_iou([[0, 2]], [[1, 1]]), "> 0"),
        (lambda: detection.kmeans_anchors([[1, 1], [2, 2]], 3), "at least 3 boxes"),
    ],
)
def test_bad_input_gets_a_clear_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()
