"""Bad and unusual input across cnnlab.detection, one class of input at a time (issue 15):
wrong dtypes, None, empty and degenerate shapes, the float range, class ids that are not
exact integers, NaN scores, and NMS on 60,000 boxes under a memory limit.

Each bad input must get a ValueError that names the argument; each unusual but valid input
(huge or tiny boxes, integer dtypes of any width) must get the right answer."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from cnnlab import detection
from cnnlab.detection import shapes, yolo

BOX = [[0, 0, 4, 4]]
TRUTH = [(np.array([[0, 0, 4, 4]]), np.array([0]))]


def pred(boxes=BOX, scores=(0.9,), classes=(0,)):
    return [(boxes, scores, classes)]


# --- dtypes: real numbers only (no bools, complex numbers, numeric strings, objects) ---

NOT_REAL = {
    "complex": ([[0, 0, 4 + 1j, 4]], "complex"),
    "bool": ([[False, False, True, True]], "booleans"),
    "numeric strings": ([["0", "0", "4", "4"]], "strings"),
    "objects": (np.array([[0, 0, 4, None]], dtype=object), "Python objects"),
}


@pytest.mark.parametrize("kind", NOT_REAL)
@pytest.mark.parametrize(
    "call, name",
    [
        (lambda b: detection.iou(b, BOX), "boxes_a"),
        (lambda b: detection.iou(BOX, b), "boxes_b"),
        (lambda b: detection.intersection(b, BOX), "boxes_a"),
        (lambda b: detection.box_area(b), "boxes"),
        (lambda b: detection.box_convert(b, "xyxy", "cxcywh"), "boxes"),
        (lambda b: detection.non_max_suppression(b, [0.9]), "boxes"),
        (lambda b: detection.nms_reference(b, [0.9]), "boxes"),
        (lambda b: detection.assign_anchors(b, 2, 8), "boxes"),
        (lambda b: detection.encode_targets(b, [0], 2, 8, 3), "boxes"),
        (lambda b: detection.mean_average_precision(pred(boxes=b), TRUTH), "predicted boxes"),
        (lambda b: detection.mean_average_precision(pred(), [(b, [0])]), "true boxes"),
        (lambda b: detection.match_detections(pred(boxes=b)[0], TRUTH[0]), "predicted boxes"),
    ],
)
def test_boxes_must_be_real_numbers(call, name, kind):
    boxes, what = NOT_REAL[kind]
    with pytest.raises(ValueError, match=rf"{name}.*(real numbers|{what})"):
        call(boxes)


@pytest.mark.parametrize(
    "scores, what",
    [([0.9 + 0.5j], "complex"), ([True], "booleans"), (["0.9"], "strings"), (None, "real")],
)
def test_scores_must_be_real_numbers(scores, what):
    with pytest.raises(ValueError, match=f"scores.*{what}"):
        detection.non_max_suppression(BOX, scores)
    with pytest.raises(ValueError, match=f"scores of image 0.*{what}"):
        detection.mean_average_precision(pred(scores=scores), TRUTH)
    with pytest.raises(ValueError, match=f"scores.*{what}"):
        detection.plot.plot_nms(np.zeros((8, 8, 3)), BOX, scores)


@pytest.mark.parametrize(
    "classes, what",
    [([1j], "complex"), ([True], "booleans"), (["0"], "strings"), (["car"], "strings")],
)
def test_classes_must_be_real_numbers(classes, what):
    with pytest.raises(ValueError, match=f"classes.*{what}"):
        detection.non_max_suppression(BOX, [0.9], classes=classes)
    with pytest.raises(ValueError, match=f"predicted classes of image 0.*{what}"):
        detection.mean_average_precision(pred(classes=classes), TRUTH)
    with pytest.raises(ValueError, match=f"classes.*{what}"):
        detection.encode_targets(BOX, classes, 2, 8, 3)


def test_other_arrays_must_be_real_numbers():
    y = np.zeros(8)
    with pytest.raises(ValueError, match="y_hat.*complex"):
        detection.localization_loss(y + 1j, y)
    with pytest.raises(ValueError, match="y .*booleans"):
        detection.localization_loss(y, y.astype(bool))
    with pytest.raises(ValueError, match="wh.*complex"):
        detection.kmeans_anchors([[1 + 1j, 2]], 1)
    with pytest.raises(ValueError, match="anchors.*strings"):
        detection.assign_anchors(BOX, 2, 8, [["4", "4"]])
    with pytest.raises(ValueError, match="y .*strings"):
        detection.decode_predictions(np.full((2, 2, 1, 8), "0"), 8)
    with pytest.raises(ValueError, match="precision.*complex"):
        detection.average_precision([1j], [0.5])
    with pytest.raises(ValueError, match=r"precision must be numbers in \[0, 1\]"):
        detection.average_precision([np.nan], [0.5])


def test_integer_and_narrow_float_dtypes_are_accepted():
    for dtype in (np.int8, np.uint16, np.int64, np.float16, np.float32):
        b = np.array([[0, 0, 4, 4], [2, 0, 6, 4]], dtype=dtype)
        np.testing.assert_allclose(detection.iou(b, b)[0], [1, 1 / 3], rtol=1e-6)
        assert detection.non_max_suppression(b, np.array([2, 1], dtype=dtype)).tolist() == [0, 1]
    assert detection.non_max_suppression(BOX, [1], classes=np.array([3], np.uint8)).tolist() == [0]


def test_flags_and_thresholds_are_not_truthy_values():
    for bad in (True, np.True_, "0.5", np.nan, 1.5, [0.5], None):
        with pytest.raises(ValueError, match=r"iou_threshold must be a number in \[0, 1\]"):
            detection.non_max_suppression(BOX, [0.9], bad)
        with pytest.raises(ValueError, match=r"iou_threshold must be a number in \[0, 1\]"):
            detection.mean_average_precision(pred(), TRUTH, bad)
    assert detection.non_max_suppression(BOX, [0.9], np.float32(0.5)).tolist() == [0]


# --- None and wrong containers where a list or array is expected ---


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: detection.mean_average_precision(None, TRUTH), "predictions must be a list"),
        (lambda: detection.mean_average_precision(pred(), None), "ground_truths must be a list"),
        (lambda: detection.mean_average_precision(3, TRUTH), "predictions must be a list"),
        (lambda: detection.mean_average_precision("abc", TRUTH), "predictions must be a list"),
        (
            lambda: detection.mean_average_precision({"a": 1}, TRUTH),
            "predictions must be a list",
        ),
        (lambda: detection.precision_recall(None, TRUTH, 0), "predictions must be a list"),
        (lambda: detection.match_detections(None, TRUTH[0]), "image 0: predictions must be"),
        (lambda: detection.mean_average_precision([None], TRUTH), "image 0: predictions must"),
        (lambda: detection.precision_recall(pred(), TRUTH, "car"), "cls must be an integer"),
        (lambda: detection.iou(None, BOX), "boxes_a must be an array of real numbers"),
        (lambda: detection.non_max_suppression(BOX, None), "scores must be an array"),
        (lambda: detection.non_max_suppression(BOX, [0.9], classes="0"), "classes must be"),
        (lambda: detection.box_convert(None, "xyxy", "cxcywh"), "boxes must be an array"),
        (lambda: detection.shape_iou(None, [[1, 1]]), "wh_a must be an array"),
        (lambda: detection.localization_loss(None, np.zeros(8)), "y_hat must be an array"),
        (lambda: detection.iou([[0, 0, 4], [0, 0]], BOX), "boxes_a must be an array"),
    ],
)
def test_none_and_wrong_containers_get_a_message_naming_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# --- empty and degenerate shapes ---


def test_no_boxes_is_an_empty_list_or_a_0_by_4_array():
    for empty in ([], np.zeros((0, 4)), np.zeros(0, dtype=np.int32)):
        assert detection.iou(empty, BOX).shape == (0, 1)
        assert detection.non_max_suppression(empty, []).tolist() == []
        assert detection.box_convert(empty, "xyxy", "cxcywh").shape == (0, 4)


@pytest.mark.parametrize("shape", [(3, 0), (0, 3), (1, 0), (0, 0), (2, 4, 0), (4, 3)])
def test_boxes_with_the_wrong_empty_shape_are_an_error(shape):
    with pytest.raises(ValueError, match=rf"boxes.*shape \(N, 4\).*got \({shape[0]}"):
        detection.non_max_suppression(np.zeros(shape), np.zeros(shape[0]))
    with pytest.raises(ValueError, match=r"boxes_a must have shape \(N, 4\)"):
        detection.iou(np.zeros(shape), BOX)


def test_a_class_with_no_detection_and_images_with_nothing():
    empty = (np.zeros((0, 4)), np.zeros(0), np.zeros(0, int))
    assert detection.mean_average_precision([empty], TRUTH) == 0.0
    with pytest.raises(ValueError, match="no objects"):
        detection.mean_average_precision([empty], [(np.zeros((0, 4)), [])])


# --- the float range: huge and tiny boxes ---


@pytest.mark.parametrize("size", [1e-300, 1e-200, 1e-100, 1.0, 1e100, 1e200, 1e300])
def test_iou_holds_over_the_float_range(size):
    b = np.array([[0, 0, 1, 1], [0.5, 0, 1.5, 1], [0, 0, 1, 0.25], [3, 3, 4, 4]]) * size
    expected = detection.iou(b / size, b / size)  # the same boxes at size 1
    np.testing.assert_allclose(detection.iou(b, b), expected, rtol=1e-12)
    np.testing.assert_allclose(np.diag(detection.iou(b, b)), 1.0)
    assert detection.non_max_suppression(b, [0.9, 0.8, 0.7, 0.6], 0.3).tolist() == [0, 2, 3]


def test_iou_of_boxes_wider_than_the_float_range():
    huge = [[-1e308, 0, 1e308, 1], [0, 0, 1e308, 1]]
    np.testing.assert_allclose(detection.iou(huge, huge), [[1, 0.5], [0.5, 1]])


def test_iou_on_a_mix_of_huge_and_tiny_boxes():
    mix = np.array([[0, 0, 1e200, 1e200], [0, 0, 1e-200, 1e-200], [0, 0, 1e200, 1e-200]])
    m = detection.iou(mix, mix)
    np.testing.assert_allclose(np.diag(m), 1.0)
    assert np.all((m >= 0) & (m <= 1)) and np.isfinite(m).all()


def test_box_convert_holds_over_the_float_range():
    big = np.array([1e308, 1e308, 1e308, 1e308])
    np.testing.assert_array_equal(
        detection.box_convert(big, "xyxy", "cxcywh"), [1e308, 1e308, 0, 0]
    )
    np.testing.assert_allclose(
        detection.box_convert([0, 0, 1.7e308, 1e308], "xyxy", "cxcywh"),
        [0.85e308, 0.5e308, 1.7e308, 1e308],
    )
    tiny = np.array([1e-310, 3e-310, 5e-310, 7e-310])
    back = detection.box_convert(detection.box_convert(tiny, "xyxy", "cxcywh"), "cxcywh", "xyxy")
    np.testing.assert_allclose(back, tiny, rtol=1e-5)


@pytest.mark.parametrize(
    "call",
    [
        lambda: detection.box_convert([-1e308, 0, 1e308, 1], "xyxy", "cxcywh"),
        lambda: detection.box_convert([1.5e308, 0, 1e308, 1], "cxcywh", "xyxy"),
        lambda: detection.box_area([[0, 0, 1e200, 1e200]]),
        lambda: detection.intersection([0, 0, 1e200, 1e200], [0, 0, 1e200, 1e200]),
    ],
)
def test_results_beyond_the_float_range_are_refused_not_inf(call):
    with pytest.raises(ValueError, match="beyond the float range"):
        call()


# --- class ids must be exact integers within int64 ---


def test_class_ids_that_are_not_exact_int64_are_refused():
    two = [[0, 0, 4, 4], [0, 0, 4, 4]]
    for bad in ([1e19, 2e19], [2.0**63, 0], [0.5, 1], [np.inf, 0], [np.nan, 0], [-1, 0]):
        with pytest.raises(ValueError, match="classes must be whole numbers >= 0"):
            detection.non_max_suppression(two, [0.9, 0.8], classes=bad)
        with pytest.raises(ValueError, match="classes of image 0 must be whole numbers"):
            detection.mean_average_precision([(two, [0.9, 0.8], bad)], TRUTH)
    with pytest.raises(ValueError, match="fit in int64"):
        detection.non_max_suppression(
            two, [0.9, 0.8], classes=np.array([2**64 - 1, 0], dtype=np.uint64)
        )
    # whole floats within int64 are class ids; distinct ids never merge
    big = [2.0**62, 2.0**62 + 2**10]
    assert detection.non_max_suppression(two, [0.9, 0.8], classes=big).tolist() == [0, 1]
    assert detection.non_max_suppression(two, [0.9, 0.8], classes=[2.0, 2]).tolist() == [0]


# --- NaN scores: refused by NMS and by mAP alike ---


def test_nan_and_infinite_scores_are_refused_everywhere():
    two = [[0, 0, 4, 4], [10, 10, 14, 14]]
    for bad in ([np.nan, 0.5], [0.5, np.inf]):
        with pytest.raises(ValueError, match="NaN or infinite"):
            detection.non_max_suppression(two, bad)
        with pytest.raises(ValueError, match="NaN or infinite"):
            detection.nms_reference(two, bad)
        with pytest.raises(ValueError, match="scores of image 0 contain NaN"):
            detection.mean_average_precision([(two, bad, [0, 0])], TRUTH)
        with pytest.raises(ValueError, match="scores of image 0 contain NaN"):
            detection.precision_recall([(two, bad, [0, 0])], TRUTH, 0)
    with pytest.raises(ValueError, match="finite"):
        detection.decode_predictions(np.full((2, 2, 1, 8), np.nan), 8)


def test_the_yolo_pipeline_still_runs_on_checked_input():
    scenes = shapes.make_shapes(2, seed=0)
    model = yolo.TinyYolo([[12, 12], [20, 20]], num_classes=3, image_size=64)
    dets = yolo.detect_scenes(model, scenes.images, score_threshold=0.0)
    assert len(dets) == 2 and all(len(d) == 3 for d in dets)
    truths = list(zip(scenes.boxes, scenes.classes))
    assert 0 <= detection.mean_average_precision(dets, truths) <= 1


# --- NMS on 60,000 boxes under a memory limit (a regression cannot take the run down) ---

MEMORY_SCRIPT = textwrap.dedent(
    """
    import resource, sys
    limit = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    import numpy as np
    from cnnlab.detection import non_max_suppression
    try:  # the limit bites: one N x N float matrix would not fit
        np.ones((60_000, 60_000))
        print("limit not enforced")
    except MemoryError:
        pass
    rng = np.random.default_rng(0)
    xy = rng.uniform(0, 2000, (60_000, 2))
    boxes = np.concatenate([xy, xy + rng.uniform(5, 50, (60_000, 2))], axis=1)
    keep = non_max_suppression(boxes, rng.random(60_000), 0.5)
    print("kept", len(keep))
    """
)


def test_nms_on_60000_boxes_fits_in_one_gib():
    """An N x N IoU matrix of 60,000 boxes needs 26.8 GiB; run under a 1 GiB address-space
    limit in a subprocess, so a regression fails this test instead of killing the run."""
    env = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}

    out = subprocess.run(
        [sys.executable, "-c", MEMORY_SCRIPT, str(2**30)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **env},
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "limit not enforced" not in out.stdout
    kept = int(out.stdout.split("kept")[1])
    assert 40_000 < kept < 60_000  # most random small boxes do not overlap much


@pytest.mark.parametrize("size", [1e-200, 1.0, 1e200])
def test_shape_iou_holds_over_the_float_range(size):
    wh = np.array([[2.0, 2], [4, 4], [2, 8]])
    np.testing.assert_allclose(
        detection.shape_iou(wh * size, wh * size), detection.shape_iou(wh, wh)
    )
