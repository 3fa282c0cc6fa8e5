"""cnnlab.detection.nms: non-max suppression on hand-made cases, against a brute-force NMS
written here, property tests, and bad input. (No comparison with torchvision: the course must
never install it, so a test that needs it could never run.)"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cnnlab import detection

from tests.detection.strategies import boxes_strategy, scores_for

# --- a brute-force NMS, written independently of cnnlab.detection ---


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


def test_nms_hand_made():
    boxes = [[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30], [0, 0, 10, 10]]
    assert detection.non_max_suppression(boxes, [0.9, 0.8, 0.7, 0.95]).tolist() == [3, 2]
    # IoU exactly at the threshold is kept (only > suppresses), as in torchvision
    two = [[0, 0, 4, 4], [0, 0, 4, 2]]
    assert detection.non_max_suppression(two, [0.9, 0.8], 0.5).tolist() == [0, 1]
    assert detection.non_max_suppression(two, [0.9, 0.8], 0.49).tolist() == [0]
    # a chain: B is suppressed by A, so it cannot suppress C
    chain = [[0, 0, 10, 10], [4, 0, 14, 10], [8, 0, 18, 10]]
    assert detection.non_max_suppression(chain, [0.9, 0.8, 0.7], 0.4).tolist() == [0, 2]
    assert detection.non_max_suppression(np.zeros((0, 4)), []).tolist() == []
    assert detection.non_max_suppression(boxes, [0.9, 0.8, 0.7, 0.95]).dtype == np.int64


def test_nms_thresholds_zero_and_one():
    boxes = [[0, 0, 4, 4], [1, 1, 5, 5], [10, 10, 12, 12]]
    scores = [0.5, 0.7, 0.6]
    assert detection.non_max_suppression(boxes, scores, 1.0).tolist() == [1, 2, 0]
    assert detection.non_max_suppression(boxes, scores, 0.0).tolist() == [1, 2]


def test_per_class_nms():
    boxes = [[0, 0, 10, 10], [1, 1, 11, 11], [0, 0, 10, 10]]
    scores = [0.9, 0.8, 0.7]
    assert detection.non_max_suppression(boxes, scores, 0.5).tolist() == [0]
    assert detection.non_max_suppression(boxes, scores, 0.5, classes=[0, 0, 1]).tolist() == [0, 2]


@given(st.data())
def test_nms_matches_brute_force(data):
    b = data.draw(boxes_strategy(max_n=15))
    s = data.draw(scores_for(len(b)))
    thr = data.draw(st.sampled_from([0.0, 0.1, 0.3, 0.5, 0.7, 1.0]))
    c = data.draw(arrays(np.int64, len(b), elements=st.integers(0, 2)))
    assert detection.non_max_suppression(b, s, thr).tolist() == brute_force_nms(b, s, thr)
    assert detection.non_max_suppression(b, s, thr, classes=c).tolist() == brute_force_nms(
        b, s, thr, c
    )
    assert detection.nms_reference(b, s, thr, classes=c) == brute_force_nms(b, s, thr, c)


@given(st.data())
def test_nms_properties(data):
    b = data.draw(boxes_strategy(max_n=15))
    s = data.draw(scores_for(len(b)))
    thr = data.draw(st.floats(0, 1))
    c = data.draw(arrays(np.int64, len(b), elements=st.integers(0, 2)))
    keep = detection.non_max_suppression(b, s, thr, classes=c)
    assert len(set(keep.tolist())) == len(keep)
    assert np.all(np.diff(s[keep]) <= 0)  # highest score first
    assert keep[0] == np.argmax(s)  # the best box always survives
    m = detection.iou(b, b)
    for i in keep:  # no two kept boxes of the same class overlap above the threshold
        for j in keep:
            if i != j and c[i] == c[j]:
                assert m[i, j] <= thr
    for j in set(range(len(b))) - set(keep.tolist()):  # each removed box has a reason
        assert any(c[i] == c[j] and s[i] > s[j] and m[i, j] > thr for i in keep)


# --- bad input ---


@pytest.mark.parametrize(
    "call, match",
    [
        (
            lambda: detection.non_max_suppression([[0, 0, 1, 1]] * 2, [0.5]),
            "1 values but there are 2",
        ),
        (
            lambda: detection.non_max_suppression([[0, 0, 1, 1]], [0.5], 1.5),
            r"iou_threshold.*\[0, 1\]",
        ),
        (lambda: detection.non_max_suppression([[0, 0, 1, 1]], [0.5], -0.1), r"\[0, 1\]"),
        (lambda: detection.non_max_suppression([[0, 0, 1, 1]], [np.nan]), "NaN"),
        (
            lambda: detection.non_max_suppression([[0, 0, 1, 1]], [0.5], classes=[0.5]),
            "whole numbers",
        ),
        (lambda: detection.non_max_suppression([[0, 0, 1, 1]], [0.5], classes=[0, 1]), "1 boxes"),
    ],
)
def test_bad_input_gets_a_clear_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# --- the O(N)-memory NMS gives the same answer as the N x N version it replaced ---


def nms_with_full_matrix(boxes, scores, threshold, classes=None):
    """The previous implementation, kept here as the reference: one (N, N) IoU matrix, then
    a greedy pass (fine for hundreds of boxes, 26.8 GiB for 60,000)."""
    b, s = np.asarray(boxes, float), np.asarray(scores, float)
    if len(b) == 0:
        return []
    overlaps = detection.iou(b, b) > threshold
    if classes is not None:
        c = np.asarray(classes)
        overlaps &= c[:, None] == c[None, :]
    suppressed = np.zeros(len(b), dtype=bool)
    keep = []
    for i in np.argsort(-s, kind="stable"):
        if not suppressed[i]:
            keep.append(int(i))
            suppressed |= overlaps[i]
    return keep


def random_case(rng, n):
    xy = rng.uniform(0, 200, (n, 2))
    wh = rng.uniform(0, 60, (n, 2))
    if rng.random() < 0.3:  # whole pixels: exact ties of IoU and of score
        xy, wh = np.round(xy), np.round(wh)
    b = np.concatenate([xy, xy + wh], axis=1)
    s = rng.integers(0, 20, n) / 20 if rng.random() < 0.5 else rng.random(n)
    return b, s


def test_nms_matches_the_full_matrix_version_on_random_inputs():
    rng = np.random.default_rng(0)
    for _ in range(25):
        b, s = random_case(rng, int(rng.integers(0, 1300)))  # several blocks and pieces
        thr = float(rng.choice([0.0, 0.1, 0.3, 0.5, 0.7, 0.95, 1.0]))
        c = rng.integers(0, 3, len(b))
        assert detection.non_max_suppression(b, s, thr).tolist() == nms_with_full_matrix(b, s, thr)
        assert detection.non_max_suppression(b, s, thr, classes=c).tolist() == nms_with_full_matrix(
            b, s, thr, c
        )


@given(st.data())
def test_nms_with_tiny_blocks_and_pieces_matches_brute_force(data):
    """Blocks of 3 boxes and pieces of 5: every boundary case of the blocked pass is met on
    a handful of boxes."""
    from cnnlab.detection import nms

    b = data.draw(boxes_strategy(max_n=25))
    s = data.draw(scores_for(len(b)))
    thr = data.draw(st.sampled_from([0.0, 0.2, 0.5, 0.8]))
    c = data.draw(arrays(np.int64, len(b), elements=st.integers(0, 1)))
    saved = nms.BLOCK, nms.PIECE
    nms.BLOCK, nms.PIECE = 3, 5
    try:
        got = detection.non_max_suppression(b, s, thr, classes=c).tolist()
    finally:
        nms.BLOCK, nms.PIECE = saved
    assert got == brute_force_nms(b, s, thr, c)
