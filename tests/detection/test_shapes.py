"""cnnlab.detection.shapes: the synthetic detection dataset is reproducible and its boxes are exact."""

import numpy as np
import pytest

from cnnlab import detection
from cnnlab.detection import shapes


def test_make_shapes_is_reproducible_and_well_formed():
    a = shapes.make_shapes(20, seed=3)
    b = shapes.make_shapes(20, seed=3)
    np.testing.assert_array_equal(a.images, b.images)
    assert a.images.shape == (20, 3, 64, 64) and a.images.dtype == np.float32
    assert a.images.min() >= 0 and a.images.max() <= 1
    assert len(a) == 20 and len(a.boxes) == len(a.classes) == 20
    for boxes, classes in zip(a.boxes, a.classes):
        assert 1 <= len(boxes) <= 4 and len(boxes) == len(classes)
        assert np.all(boxes[:, :2] >= 0) and np.all(boxes[:, 2:] <= 64)
        assert np.all(boxes[:, 2:] > boxes[:, :2])
        assert set(classes.tolist()) <= {0, 1, 2}
        if len(boxes) > 1:  # overlaps, but limited
            m = detection.iou(boxes, boxes)
            assert m[np.triu_indices(len(boxes), 1)].max() <= 0.25 + 1e-12
    assert not np.array_equal(a.images, shapes.make_shapes(20, seed=4).images)
    sub = a.subset([3, 5])
    assert len(sub) == 2 and np.array_equal(sub.boxes[1], a.boxes[5])


def test_sizes_and_aspect_ratios_vary():
    wh = shapes.box_sizes(shapes.make_shapes(200, seed=0))
    assert wh.min() >= 10 / np.sqrt(2) - 1e-9 and wh.max() <= 30 * np.sqrt(2) + 1e-9
    ratio = wh[:, 0] / wh[:, 1]
    assert ratio.min() < 0.6 and ratio.max() > 1.6


@pytest.mark.parametrize("kind", shapes.CLASSES)
def test_each_box_is_the_tight_box_of_its_shape(kind):
    box = (10.3, 12.7, 40.6, 30.2)
    mask = shapes.shape_mask(kind, box, 64, 64)
    rows, cols = np.flatnonzero(mask.any(1)), np.flatnonzero(mask.any(0))
    # painted pixels j cover [j, j + 1]: the box is within one pixel of the painted extent
    assert abs(cols[0] - box[0]) <= 1 and abs(cols[-1] + 1 - box[2]) <= 1
    assert abs(rows[0] - box[1]) <= 1 and abs(rows[-1] + 1 - box[3]) <= 1


def test_shapes_differ():
    masks = {k: shapes.shape_mask(k, (0, 0, 20, 20), 20, 20) for k in shapes.CLASSES}
    area = {k: m.mean() for k, m in masks.items()}
    assert area["rectangle"] == 1
    assert area["ellipse"] == pytest.approx(np.pi / 4, abs=0.03)
    assert area["triangle"] == pytest.approx(0.5, abs=0.05)


def test_make_landmarks_orders_the_corners():
    x, marks = shapes.make_landmarks(10, seed=0)
    assert x.shape == (10, 3, 32, 32) and marks.shape == (10, 3, 2)
    apex, left, right = marks[:, 0], marks[:, 1], marks[:, 2]
    assert np.all(apex[:, 1] < left[:, 1]) and np.all(left[:, 1] == right[:, 1])
    assert np.all(left[:, 0] < apex[:, 0]) and np.all(apex[:, 0] < right[:, 0])


def test_noisy_detections():
    boxes = np.array([[10, 10, 30, 30], [40, 5, 50, 25]])
    b, s, c = shapes.noisy_detections(boxes, [2, 0], per_object=4, seed=1)
    assert b.shape == (8, 4) and s.shape == (8,) and c.tolist() == [2] * 4 + [0] * 4
    assert np.all(b[:, 2:] > b[:, :2])
    assert s[0] == s[:4].max() and s[4] == s[4:].max()  # the closest box scores highest


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"n_images": 0}, "n_images"),
        ({"n_images": 2, "min_size": 0}, "min_size"),
        ({"n_images": 2, "max_size": 70}, "smaller than image_size"),
        ({"n_images": 2, "min_objects": 3, "max_objects": 2}, "max_objects"),
    ],
)
def test_bad_settings(kwargs, match):
    with pytest.raises(ValueError, match=match):
        shapes.make_shapes(**kwargs)
    with pytest.raises(ValueError, match="kind"):
        shapes.shape_mask("star", (0, 0, 4, 4), 8, 8)
