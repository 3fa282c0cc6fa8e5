"""cnnlab.detect: boxes, IoU, NMS, anchors, YOLO targets and mAP, on hand-made cases with
known answers, property tests, a brute-force NMS written here, and bad input."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cnnlab import detect

# --- strategies ---


def boxes_strategy(min_n=1, max_n=12, max_coord=50.0, min_size=0.5):
    """(N, 4) xyxy boxes with widths and heights >= min_size."""

    @st.composite
    def build(draw):
        n = draw(st.integers(min_n, max_n))
        coord = st.floats(0, max_coord, allow_nan=False)
        size = st.floats(min_size, max_coord / 2, allow_nan=False)
        xy = draw(arrays(np.float64, (n, 2), elements=coord))
        wh = draw(arrays(np.float64, (n, 2), elements=size))
        return np.concatenate([xy, xy + wh], axis=1)

    return build()


def scores_for(n):
    # distinct scores: with ties, the order of equal boxes is a convention, not a property
    return st.lists(st.integers(0, 10_000), min_size=n, max_size=n, unique=True).map(
        lambda v: np.array(v, float) / 10_000
    )


# --- a brute-force NMS, written independently of cnnlab.detect ---


def plain_iou(a, b):
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def brute_force_nms(boxes, scores, threshold, classes=None):
    classes = [0] * len(boxes) if classes is None else list(classes)
    order = sorted(range(len(boxes)), key=lambda i: -scores[i])
    keep = []
    for i in order:
        if all(
            classes[i] != classes[j] or plain_iou(boxes[i], boxes[j]) <= threshold for j in keep
        ):
            keep.append(i)
    return keep


# --- box_convert, box_area, intersection, iou ---


def test_box_convert_known_values():
    np.testing.assert_allclose(
        detect.box_convert([10, 20, 30, 60], "xyxy", "cxcywh"), [20, 40, 20, 40]
    )
    np.testing.assert_allclose(
        detect.box_convert([[20, 40, 20, 40]], "cxcywh", "xyxy"), [[10, 20, 30, 60]]
    )
    assert detect.box_convert(np.zeros((0, 4)), "xyxy", "cxcywh").shape == (0, 4)


@given(boxes_strategy())
def test_box_convert_round_trip(b):
    back = detect.box_convert(detect.box_convert(b, "xyxy", "cxcywh"), "cxcywh", "xyxy")
    np.testing.assert_allclose(back, b, atol=1e-9)


def test_iou_hand_made():
    a = [0, 0, 4, 4]
    b = [[0, 0, 4, 4], [2, 0, 6, 4], [4, 4, 8, 8], [10, 10, 11, 11], [1, 1, 3, 3], [0, 0, 2, 2]]
    np.testing.assert_allclose(detect.iou(a, b), [[1, 8 / 24, 0, 0, 4 / 16, 4 / 16]])
    # two boxes apart along x AND y: the negative overlaps must not multiply to a positive
    assert detect.intersection([0, 0, 1, 1], [2, 2, 3, 3])[0, 0] == 0
    assert detect.iou([0, 0, 2, 2], [1, 1, 3, 3])[0, 0] == pytest.approx(1 / 7)


def test_iou_shapes_and_degenerate_boxes():
    assert detect.iou(np.zeros((3, 4)) + [0, 0, 1, 1], np.zeros((5, 4)) + [0, 0, 2, 2]).shape == (
        3,
        5,
    )
    assert detect.iou(np.zeros((0, 4)), [[0, 0, 1, 1]]).shape == (0, 1)
    # boxes with no area: union 0, IoU defined as 0 (not NaN)
    assert detect.iou([1, 1, 1, 1], [1, 1, 1, 1])[0, 0] == 0
    assert detect.iou([1, 1, 1, 5], [0, 0, 2, 2])[0, 0] == 0


@given(boxes_strategy(), boxes_strategy())
def test_iou_properties(a, b):
    m = detect.iou(a, b)
    assert m.shape == (len(a), len(b))
    assert np.all((m >= 0) & (m <= 1))
    np.testing.assert_allclose(m, detect.iou(b, a).T)  # symmetric
    np.testing.assert_allclose(np.diag(detect.iou(a, a)), 1.0)  # 1 on identical boxes
    # the same boxes moved together and scaled together keep their IoU
    np.testing.assert_allclose(detect.iou(a * 3 + 7, b * 3 + 7), m, atol=1e-9)


@given(boxes_strategy(max_n=6), st.floats(0.1, 10))
def test_iou_is_one_only_for_identical_and_zero_when_apart(a, shift):
    far = a + np.array([200, 0, 200, 0]) + shift
    assert np.all(detect.iou(a, far) == 0)
    grown = a + np.array([0, 0, shift, 0])  # a wider box contains the original: IoU < 1
    assert np.all(np.diag(detect.iou(a, grown)) < 1)


def test_box_area():
    np.testing.assert_allclose(detect.box_area([[0, 0, 2, 3], [1, 1, 1, 4]]), [6, 0])


# --- non-max suppression ---


def test_nms_hand_made():
    boxes = [[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30], [0, 0, 10, 10]]
    assert detect.non_max_suppression(boxes, [0.9, 0.8, 0.7, 0.95]).tolist() == [3, 2]
    # IoU exactly at the threshold is kept (only > suppresses), as in torchvision
    two = [[0, 0, 4, 4], [0, 0, 4, 2]]
    assert detect.non_max_suppression(two, [0.9, 0.8], 0.5).tolist() == [0, 1]
    assert detect.non_max_suppression(two, [0.9, 0.8], 0.49).tolist() == [0]
    # a chain: B is suppressed by A, so it cannot suppress C
    chain = [[0, 0, 10, 10], [4, 0, 14, 10], [8, 0, 18, 10]]
    assert detect.non_max_suppression(chain, [0.9, 0.8, 0.7], 0.4).tolist() == [0, 2]
    assert detect.non_max_suppression(np.zeros((0, 4)), []).tolist() == []
    assert detect.non_max_suppression(boxes, [0.9, 0.8, 0.7, 0.95]).dtype == np.int64


def test_nms_thresholds_zero_and_one():
    boxes = [[0, 0, 4, 4], [1, 1, 5, 5], [10, 10, 12, 12]]
    scores = [0.5, 0.7, 0.6]
    assert detect.non_max_suppression(boxes, scores, 1.0).tolist() == [1, 2, 0]
    assert detect.non_max_suppression(boxes, scores, 0.0).tolist() == [1, 2]


def test_per_class_nms():
    boxes = [[0, 0, 10, 10], [1, 1, 11, 11], [0, 0, 10, 10]]
    scores = [0.9, 0.8, 0.7]
    assert detect.non_max_suppression(boxes, scores, 0.5).tolist() == [0]
    assert detect.non_max_suppression(boxes, scores, 0.5, classes=[0, 0, 1]).tolist() == [0, 2]


@given(st.data())
def test_nms_matches_brute_force(data):
    b = data.draw(boxes_strategy(max_n=15))
    s = data.draw(scores_for(len(b)))
    thr = data.draw(st.sampled_from([0.0, 0.1, 0.3, 0.5, 0.7, 1.0]))
    c = data.draw(arrays(np.int64, len(b), elements=st.integers(0, 2)))
    assert detect.non_max_suppression(b, s, thr).tolist() == brute_force_nms(b, s, thr)
    assert detect.non_max_suppression(b, s, thr, classes=c).tolist() == brute_force_nms(
        b, s, thr, c
    )
    assert detect.nms_reference(b, s, thr, classes=c) == brute_force_nms(b, s, thr, c)


@given(st.data())
def test_nms_properties(data):
    b = data.draw(boxes_strategy(max_n=15))
    s = data.draw(scores_for(len(b)))
    thr = data.draw(st.floats(0, 1))
    c = data.draw(arrays(np.int64, len(b), elements=st.integers(0, 2)))
    keep = detect.non_max_suppression(b, s, thr, classes=c)
    assert len(set(keep.tolist())) == len(keep)
    assert np.all(np.diff(s[keep]) <= 0)  # highest score first
    assert keep[0] == np.argmax(s)  # the best box always survives
    m = detect.iou(b, b)
    for i in keep:  # no two kept boxes of the same class overlap above the threshold
        for j in keep:
            if i != j and c[i] == c[j]:
                assert m[i, j] <= thr
    for j in set(range(len(b))) - set(keep.tolist()):  # each removed box has a reason
        assert any(c[i] == c[j] and s[i] > s[j] and m[i, j] > thr for i in keep)


def test_nms_matches_torchvision():
    """The one comparison with torchvision.ops.nms / batched_nms (skipped without it)."""
    tv = pytest.importorskip("torchvision")
    import torch

    rng = np.random.default_rng(0)
    for thr in (0.1, 0.3, 0.5, 0.7):
        xy = rng.uniform(0, 50, (60, 2))
        b = np.concatenate([xy, xy + rng.uniform(2, 20, (60, 2))], axis=1)
        s = rng.permutation(60) / 60.0
        c = rng.integers(0, 3, 60)
        ref = tv.ops.nms(torch.tensor(b), torch.tensor(s), thr).numpy()
        assert detect.non_max_suppression(b, s, thr).tolist() == ref.tolist()
        ref = tv.ops.batched_nms(torch.tensor(b), torch.tensor(s), torch.tensor(c), thr).numpy()
        assert detect.non_max_suppression(b, s, thr, classes=c).tolist() == ref.tolist()


# --- bad input ---


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: detect.iou([[5, 0, 1, 4]], [[0, 0, 1, 1]]), r"x2 >= x1.*width -4"),
        (lambda: detect.iou([[0, 5, 1, 4]], [[0, 0, 1, 1]]), r"y2 >= y1"),
        (lambda: detect.iou([[0, 0, 1]], [[0, 0, 1, 1]]), r"shape \(N, 4\)"),
        (lambda: detect.iou([[0, 0, np.nan, 1]], [[0, 0, 1, 1]]), "NaN"),
        (lambda: detect.box_convert([[1, 1, -2, 3]], "cxcywh", "xyxy"), "negative width"),
        (lambda: detect.box_convert([[1, 1, 2, 3]], "xywh", "xyxy"), "box format"),
        (lambda: detect.box_convert([[1, 1, 2, 3]], "xyxy", "corners"), "box format"),
        (lambda: detect.non_max_suppression([[0, 0, 1, 1]] * 2, [0.5]), "1 values but there are 2"),
        (
            lambda: detect.non_max_suppression([[0, 0, 1, 1]], [0.5], 1.5),
            r"iou_threshold.*\[0, 1\]",
        ),
        (lambda: detect.non_max_suppression([[0, 0, 1, 1]], [0.5], -0.1), r"\[0, 1\]"),
        (lambda: detect.non_max_suppression([[0, 0, 1, 1]], [np.nan]), "NaN"),
        (lambda: detect.non_max_suppression([[0, 0, 1, 1]], [0.5], classes=[0.5]), "whole numbers"),
        (lambda: detect.non_max_suppression([[0, 0, 1, 1]], [0.5], classes=[0, 1]), "1 boxes"),
        (lambda: detect.decode_predictions(np.zeros((3, 3, 1, 8)), 64, 2.0), "score_threshold"),
        (lambda: detect.decode_predictions(np.zeros((3, 4, 1, 8)), 64), r"\(S, S, B, 5 \+ C\)"),
        (lambda: detect.encode_targets([[0, 0, 4, 4]], [3], 2, 8, 3), "num_classes"),
        (lambda: detect.encode_targets([[0, 0, 4, 4]], [0, 1], 2, 8, 3), "1 boxes"),
        (lambda: detect.assign_anchors([[70, 70, 80, 80]], 2, 64), "outside the 64x64 image"),
        (lambda: detect.assign_anchors([[0, 0, 4, 4]], 0, 64), "grid_size"),
        (lambda: detect.shape_iou([[0, 2]], [[1, 1]]), "> 0"),
        (lambda: detect.kmeans_anchors([[1, 1], [2, 2]], 3), "at least 3 boxes"),
        (lambda: detect.localization_loss(np.zeros(8), np.zeros(7)), "same shape"),
        (lambda: detect.localization_loss(np.zeros(8), np.full(8, 0.5)), "0 or 1"),
        (lambda: detect.mean_average_precision([], [([[0, 0, 1, 1]], [0])]), "0 images"),
        (lambda: detect.mean_average_precision([([], [], [])], [([], [])]), "no objects"),
        (
            lambda: detect.mean_average_precision(
                [([[0, 0, 1, 1]], [0.5], [0])], [([[0, 0, 1, 1]], [0])], iou_threshold=2
            ),
            r"\[0, 1\]",
        ),
    ],
)
def test_bad_input_gets_a_clear_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# --- anchors ---


def test_shape_iou():
    np.testing.assert_allclose(
        detect.shape_iou([[2, 2]], [[2, 2], [4, 4], [2, 8], [1, 4]]), [[1, 0.25, 0.25, 2 / 6]]
    )


def test_assign_anchors_by_midpoint_and_shape():
    anchors = [[10, 10], [4, 16], [16, 4]]  # square, tall, wide
    boxes = [[0, 0, 10, 10], [20, 2, 24, 18], [33, 40, 49, 44], [0, 0, 64, 64]]
    a = detect.assign_anchors(boxes, 4, 64, anchors)  # cells of 16 px
    assert a.row.tolist() == [0, 0, 2, 2] and a.col.tolist() == [0, 1, 2, 2]
    assert a.anchor.tolist() == [0, 1, 2, 0]
    assert a.kept.all()
    # a midpoint on a border goes to the cell below / to the right; the far edge to the last
    b = detect.assign_anchors([[8, 8, 24, 24], [60, 60, 64, 64], [62, 62, 66, 66]], 4, 64)
    assert (b.row.tolist(), b.col.tolist()) == ([1, 3, 3], [1, 3, 3])


def test_assign_anchors_collisions():
    # two same-shaped objects, midpoints in one cell: the better fitting one wins the slot
    boxes = [[0, 0, 10, 12], [1, 1, 11, 11]]
    a = detect.assign_anchors(boxes, 2, 64)
    assert a.kept.tolist() == [True, False]  # no anchors: first come, first served
    a = detect.assign_anchors(boxes, 2, 64, [[10, 10], [2, 20]])
    assert a.anchor.tolist() == [0, 0] and a.kept.tolist() == [False, True]
    # with a tall and a wide anchor, a tall and a wide object share the cell
    a = detect.assign_anchors([[0, 0, 4, 16], [0, 6, 16, 10]], 2, 64, [[4, 16], [16, 4]])
    assert a.anchor.tolist() == [0, 1] and a.kept.all()


def test_kmeans_finds_clusters_of_shapes():
    rng = np.random.default_rng(0)
    centres = np.array([[10, 10], [8, 30], [30, 8]])
    wh = np.concatenate([c * rng.uniform(0.95, 1.05, (50, 2)) for c in centres])
    anchors = detect.kmeans_anchors(wh, 3, seed=1)
    areas = anchors.prod(axis=1)
    assert np.all(np.diff(areas) >= 0)  # sorted by area
    found = sorted(map(tuple, np.round(anchors / 2) * 2))
    assert found == sorted(map(tuple, centres.astype(float)))
    assert detect.anchor_fit(wh, anchors) > 0.9
    assert detect.anchor_fit(wh, detect.kmeans_anchors(wh, 1)) < detect.anchor_fit(wh, anchors)
    np.testing.assert_array_equal(anchors, detect.kmeans_anchors(wh, 3, seed=1))


# --- YOLO targets ---


def test_encode_targets_the_notes_example():
    # 96x96 image, 3x3 grid of 32 px, a car box; midpoint (60, 80) -> row 2, col 1
    y = detect.encode_targets([[36, 68, 84, 92]], [1], 3, 96, 3)
    assert y.shape == (3, 3, 1, 8)
    np.testing.assert_allclose(y[2, 1, 0], [1, 0.875, 0.5, 0.75, 1.5, 0, 1, 0])
    assert y.sum() == pytest.approx(y[2, 1, 0].sum())  # every other slot is all zeros
    # grid 1: the localization label, fractions of the image
    np.testing.assert_allclose(
        detect.encode_targets([[36, 68, 84, 92]], [1], 1, 96, 3)[0, 0, 0],
        [1, 60 / 96, 80 / 96, 24 / 96, 48 / 96, 0, 1, 0],
    )
    # rectangular images (H 64, W 32): rows from y and the height, columns from x and the
    # width; the midpoint (15, 32) is on a row border and goes to the row below
    y = detect.encode_targets([[10, 30, 20, 34]], [0], 2, (64, 32), 1)
    np.testing.assert_allclose(y[1, 0, 0], [1, 15 / 16, 0, 4 / 32, 10 / 16, 1])


@given(st.data())
def test_encode_decode_round_trip(data):
    S = data.draw(st.integers(1, 8))
    size = data.draw(st.sampled_from([32, 64, 96]))
    b = data.draw(boxes_strategy(max_n=6, max_coord=size * 0.6, min_size=1.0))
    c = data.draw(arrays(np.int64, len(b), elements=st.integers(0, 2)))
    anchors = data.draw(st.sampled_from([None, [[8, 8], [4, 12], [12, 4]]]))
    y = detect.encode_targets(b, c, S, size, 3, anchors)
    a = detect.assign_anchors(b, S, size, anchors)
    slots = y[..., 0] == 1
    assert slots.sum() == a.kept.sum()
    assert np.all((y[slots][:, 1:3] >= 0) & (y[slots][:, 1:3] < 1 + 1e-9))
    boxes, scores, classes = detect.decode_predictions(y, size, 0.5)
    assert np.all(scores == 1)
    order = lambda u: np.lexsort(np.round(u, 6).T)  # noqa: E731
    kept = b[a.kept]
    np.testing.assert_allclose(boxes[order(boxes)], kept[order(kept)], atol=1e-9)
    assert sorted(classes.tolist()) == sorted(c[a.kept].tolist())


def test_sizes_are_in_cell_units_and_may_exceed_one():
    y = detect.encode_targets([[0, 0, 40, 10]], [0], 4, 64, 1)  # cells of 16 px
    slot = y[0, 1, 0]  # midpoint (20, 5)
    assert slot[detect.BW] == 40 / 16 > 1 and slot[detect.BH] == 10 / 16


def test_yolo_detections_threshold_and_per_class_nms():
    y = np.zeros((2, 2, 2, 7))  # S=2, B=2, C=2, on a 32x32 image
    y[0, 0, 0] = [0.9, 0.5, 0.5, 1, 1, 1, 0]  # box (0, 0, 16, 16), class 0
    y[0, 0, 1] = [0.8, 0.55, 0.5, 1, 1, 1, 0]  # the same object again, lower score
    y[0, 0, 1, 5:] = [0.0, 1.0]  # ... but class 1: not suppressed by class 0
    y[1, 1, 0] = [0.4, 0.5, 0.5, 1, 1, 0.5, 0.5]  # score 0.2: dropped by the threshold
    boxes, scores, classes = detect.yolo_detections(y, 32, 0.3, 0.5)
    np.testing.assert_allclose(scores, [0.9, 0.8])
    assert classes.tolist() == [0, 1]
    np.testing.assert_allclose(boxes[0], [0, 0, 16, 16])
    y[0, 0, 1, 5:] = [1.0, 0.0]  # same class: now it is a duplicate
    assert len(detect.yolo_detections(y, 32, 0.3, 0.5)[0]) == 1
    assert len(detect.decode_predictions(y, 32)[0]) == 8  # threshold 0 keeps every slot


# --- localization loss ---


def test_localization_loss_ignores_the_box_without_object():
    y0 = np.zeros(8)
    wild = np.array([0.2, 5, -3, 9, 9, 1, 1, 1])
    assert detect.localization_loss(wild, y0) == pytest.approx(0.04)
    y1 = np.array([1, 0.5, 0.5, 0.2, 0.3, 0, 1, 0])
    assert detect.localization_loss(wild, y1) == pytest.approx(((wild - y1) ** 2).sum())
    batch = detect.localization_loss(np.stack([wild, wild]), np.stack([y0, y1]))
    np.testing.assert_allclose(batch, [0.04, ((wild - y1) ** 2).sum()])


# --- mean average precision ---

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
    assert detect.mean_average_precision(dets(boxes, scores), T) == pytest.approx(expected)


def test_map_classes_and_images():
    truth = [
        (np.array([[0, 0, 10, 10]]), np.array([0])),
        (np.array([[0, 0, 10, 10], [20, 20, 30, 30]]), np.array([1, 2])),
    ]
    preds = [
        (np.array([[0, 0, 10, 10]]), np.array([0.9]), np.array([1])),  # wrong class
        (np.array([[0, 0, 10, 10], [20, 20, 30, 30]]), np.array([0.8, 0.7]), np.array([1, 2])),
    ]
    m, per = detect.mean_average_precision(preds, truth, per_class=True)
    # class 0: never detected -> 0; class 1: FP (image 0) ranked above the TP -> 1/2;
    # class 2: perfect; class 3 has no true objects and is left out
    assert per == pytest.approx({0: 0.0, 1: 0.5, 2: 1.0})
    assert m == pytest.approx(0.5)
    # a detection in an image without objects of its class is a false positive
    extra = [
        preds[0],
        (np.r_[preds[1][0], [[50, 50, 60, 60]]], np.r_[preds[1][1], 0.95], np.r_[preds[1][2], 2]),
    ]
    assert detect.mean_average_precision(extra, truth, per_class=True)[1][2] == pytest.approx(0.5)


def test_average_precision_curve():
    # the notes-style case: wrong, right, right, wrong, right with 4 true objects
    hits = np.array([0, 1, 1, 0, 1])
    tp = np.cumsum(hits)
    p, r = tp / np.arange(1, 6), tp / 4
    assert detect.average_precision(p, r) == pytest.approx(0.25 * (2 / 3 + 2 / 3 + 3 / 5))
    assert detect.average_precision([], []) == 0.0
    p, r, n = detect.precision_recall(dets([[0, 0, 10, 10]], [0.9]), T, 0)
    assert (p.tolist(), r.tolist(), n) == ([1.0], [0.5], 2)


def test_detection_errors():
    truth = (np.array([[0, 0, 10, 10], [20, 20, 30, 30]]), np.array([0, 1]))
    pred = (
        np.array([[0, 0, 10, 10], [0, 0, 10, 10], [20, 20, 30, 30]]),
        np.array([0.9, 0.8, 0.7]),
        np.array([0, 0, 0]),
    )
    assert detect.detection_errors(pred, truth) == (2, 1)  # a duplicate and a wrong class
    assert detect.detection_errors((np.zeros((0, 4)), [], []), truth) == (0, 2)
