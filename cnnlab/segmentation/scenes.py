"""A segmentation task cnnlab generates: the detection lesson's shapes, labelled per pixel.

Every scene of ``cnnlab.detection.shapes`` is drawn shape by shape, later shapes over
earlier ones; painting the class indices in the same order gives the exact label of every
pixel: 0 for the background, 1 + the shape's class for ellipse, rectangle and triangle. A
different seed is a new, equally valid dataset, so a held-out test set is another seed.
Used by the segmentation lesson.

>>> x, y = make_segmentation(2, image_size=32, seed=0)
>>> x.shape, y.shape, sorted(set(np.unique(y)) - {0}) != []
((2, 3, 32, 32), (2, 32, 32), True)
"""

from __future__ import annotations

import numpy as np

from ..detection.shapes import CLASSES, make_shapes, shape_mask
from ..i18n import tr
from ..validate import as_boxes, as_classes, check_int

#: Label names, by label index: the background, then the shape classes.
CLASS_NAMES = ("background",) + tuple(CLASSES)


def label_map(boxes, classes, height: int, width: int) -> np.ndarray:
    """(H, W) int64 labels of one scene: 0 background, 1 + class where a shape is on top.

    boxes: (K, 4) xyxy in the order the shapes were painted; classes: (K,) class indices.
    """
    boxes = as_boxes(boxes)
    classes = as_classes(classes, len(boxes))
    height, width = check_int("height", height, 1), check_int("width", width, 1)
    labels = np.zeros((height, width), dtype=np.int64)
    for box, cls in zip(boxes, classes):  # in painting order: the later shape wins
        if cls >= len(CLASSES):
            raise ValueError(
                tr("class {cls} is not one of the {n} shape classes").format(
                    cls=cls, n=len(CLASSES)
                )
            )
        labels[shape_mask(CLASSES[cls], box, height, width)] = 1 + cls
    return labels


def make_segmentation(
    n_images: int,
    image_size: int = 32,
    min_objects: int = 1,
    max_objects: int = 3,
    min_size: float = 8,
    max_size: float = 20,
    seed: int = 0,
):
    """``n_images`` scenes and their label maps.

    Returns (x (N, 3, H, W) float32 in [0, 1], y (N, H, W) int64 in 0..3); the same seed
    always gives the same data. Sizes as ``cnnlab.detection.shapes.make_shapes``.
    """
    scenes = make_shapes(
        n_images, image_size, min_objects, max_objects, min_size, max_size, seed=seed
    )
    h, w = scenes.images.shape[2:]
    y = np.stack([label_map(b, c, h, w) for b, c in zip(scenes.boxes, scenes.classes)])
    return scenes.images, y
