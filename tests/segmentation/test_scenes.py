"""cnnlab.segmentation.scenes: every pixel's label is the class of the shape painted on top
of it (later shapes win), the background is 0, and bad inputs are refused."""

import numpy as np
import pytest

from cnnlab.detection import shapes
from cnnlab.segmentation import CLASS_NAMES, label_map, make_segmentation


def test_class_names_are_the_background_then_the_shapes():
    assert CLASS_NAMES == ("background",) + tuple(shapes.CLASSES)


def test_shapes_and_types_and_determinism():
    x, y = make_segmentation(5, image_size=24, min_size=6, max_size=12, seed=3)
    assert x.shape == (5, 3, 24, 24) and x.dtype == np.float32
    assert y.shape == (5, 24, 24) and y.dtype == np.int64
    assert 0 <= y.min() and y.max() <= 3
    x2, y2 = make_segmentation(5, image_size=24, min_size=6, max_size=12, seed=3)
    assert np.array_equal(x, x2) and np.array_equal(y, y2)
    _, y3 = make_segmentation(5, image_size=24, min_size=6, max_size=12, seed=4)
    assert not np.array_equal(y, y3)  # another seed is another dataset


def test_labels_agree_with_the_painted_pixels(monkeypatch):
    # Record, for every scene, which pixels each call of shapes.paint changed and with which
    # shape: the labels must be exactly "the class of the last shape painted there".
    painted = []
    real_background, real_paint = shapes.background, shapes.paint

    def background(rng, size):
        painted.append(np.zeros((size, size), dtype=np.int64))  # a new scene starts
        return real_background(rng, size)

    def paint(rng, img, kind, box):
        before = img.copy()
        out = real_paint(rng, img, kind, box)
        changed = np.any(out != before, axis=-1)
        painted[-1][changed] = 1 + shapes.CLASSES.index(kind)
        return out

    monkeypatch.setattr(shapes, "background", background)
    monkeypatch.setattr(shapes, "paint", paint)
    _, y = make_segmentation(30, seed=0)
    assert len(painted) == 30
    assert np.array_equal(np.stack(painted), y)
    assert (y > 0).mean() > 0.1 and len(np.unique(y)) == 4  # the scenes do hold every class


def test_labels_are_the_shapes_of_the_scene_in_painting_order():
    scenes = shapes.make_shapes(
        10, image_size=32, min_objects=2, max_objects=3, min_size=8, max_size=20, seed=7
    )
    _, y = make_segmentation(10, image_size=32, min_objects=2, max_objects=3, seed=7)
    for boxes, classes, labels in zip(scenes.boxes, scenes.classes, y):
        expected = np.zeros((32, 32), dtype=np.int64)
        for box, c in zip(boxes, classes):
            expected[shapes.shape_mask(shapes.CLASSES[c], box, 32, 32)] = 1 + c
        assert np.array_equal(labels, expected)
        assert set(np.unique(labels)) <= {0} | {1 + int(c) for c in classes}


def test_later_shapes_win_where_shapes_overlap():
    boxes = [[2, 2, 10, 10], [6, 6, 14, 14]]  # an ellipse, then a rectangle over part of it
    labels = label_map(boxes, [0, 1], 16, 16)
    assert labels[7, 7] == 2  # inside both: the rectangle, painted last
    assert labels[3, 3] == 1  # only the ellipse
    assert labels[0, 0] == 0 and labels[15, 15] == 0
    swapped = label_map(boxes[::-1], [1, 0], 16, 16)
    assert swapped[7, 7] == 1  # the ellipse now on top
    assert swapped[13, 13] == 2  # the rectangle where the ellipse does not reach
    # a rectangle's label covers exactly the pixels whose centres are inside its box
    alone = label_map([[2, 2, 10, 10]], [1], 16, 16)
    assert (alone == 2).sum() == 64 and set(np.unique(alone)) == {0, 2}


def test_an_empty_scene_is_all_background():
    assert not label_map(np.zeros((0, 4)), [], 5, 7).any()
    assert label_map(np.zeros((0, 4)), [], 5, 7).shape == (5, 7)


@pytest.mark.parametrize(
    "args, match",
    [
        (([[0, 0, 4, 4]], [3], 8, 8), "class 3"),
        (([[0, 0, 4, 4]], [0, 1], 8, 8), "classes"),
        (([[0, 0, 4, 4]], [0], 0, 8), "height"),
        (([[0, 0, 4, 4]], [0], 8, 2.5), "width"),
        (([[4, 4, 0, 0]], [0], 8, 8), "x2"),
    ],
)
def test_label_map_refuses_bad_inputs(args, match):
    with pytest.raises(ValueError, match=match):
        label_map(*args)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"n_images": 0}, "n_images"),
        ({"n_images": 2, "max_size": 40}, "max_size"),
        ({"n_images": 2, "min_objects": 3, "max_objects": 2}, "max_objects"),
    ],
)
def test_make_segmentation_refuses_bad_inputs(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_segmentation(**kwargs)
