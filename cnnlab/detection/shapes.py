"""A synthetic detection dataset: coloured shapes on a noisy background, with exact boxes.

Used by lesson 10 (object detection): the scenes every detector of the lesson is trained
and tested on, the landmark images and the fake detections of the NMS section.

Every image holds a few ellipses, rectangles and triangles of random colour, size, aspect
ratio and position, drawn in turn (a later shape may hide part of an earlier one). Because
cnnlab draws them, every box and class is known exactly, nothing is downloaded, and a
different ``seed`` gives a new, equally valid dataset: a held-out test set is just another
seed.

Boxes are (x1, y1, x2, y2) in pixels (see :mod:`cnnlab.detection.boxes`); a pixel (i, j)
covers ``[j, j + 1] x [i, i + 1]`` and is painted when its centre lies inside the shape.
Images are (N, 3, H, W), the PyTorch layout (``cnnlab.drawing.to_hwc`` turns one into the
(H, W, 3) that matplotlib and scikit-image take).

>>> scenes = make_shapes(2, image_size=32, seed=0)
>>> scenes.images.shape, scenes.images.dtype
((2, 3, 32, 32), dtype('float32'))
"""

from __future__ import annotations

import colorsys
from typing import NamedTuple

import numpy as np

from ..i18n import tr
from ..validate import as_boxes, as_classes, check_int
from .boxes import box_convert, iou

#: Class names, by class index (the notes' c1, c2, c3).
CLASSES = ("ellipse", "rectangle", "triangle")


class Scenes(NamedTuple):
    """A detection dataset. images: (N, 3, H, W) float32 in [0, 1]; boxes: N arrays (K_i, 4)
    xyxy in pixels; classes: N int64 arrays (K_i,) indexing :data:`CLASSES`."""

    images: np.ndarray
    boxes: list
    classes: list

    def __len__(self) -> int:
        return len(self.images)

    def subset(self, index) -> Scenes:
        """The scenes at ``index`` (a slice or a list of positions)."""
        idx = range(len(self))[index] if isinstance(index, slice) else list(index)
        return Scenes(
            self.images[list(idx)], [self.boxes[i] for i in idx], [self.classes[i] for i in idx]
        )


def shape_mask(kind: str, box, height: int, width: int) -> np.ndarray:
    """(H, W) bool mask of the pixels whose centres lie in the shape that fills ``box``.

    ellipse: the ellipse inscribed in the box; rectangle: the box; triangle: apex at the
    top middle, base along the bottom edge (so the box is the triangle's exact bounding box).
    """
    x1, y1, x2, y2 = (float(v) for v in box)
    if x2 <= x1 or y2 <= y1:
        raise ValueError(
            tr("the box of a shape needs x2 > x1 and y2 > y1, got {box}").format(box=list(box))
        )
    ys, xs = np.mgrid[0:height, 0:width] + 0.5  # pixel centres
    u = (xs - x1) / (x2 - x1)  # 0..1 across the box
    v = (ys - y1) / (y2 - y1)  # 0..1 down the box
    inside = (u >= 0) & (u <= 1) & (v >= 0) & (v <= 1)
    if kind == "rectangle":
        return inside
    if kind == "ellipse":
        return (2 * u - 1) ** 2 + (2 * v - 1) ** 2 <= 1
    if kind == "triangle":
        return inside & (np.abs(2 * u - 1) <= v)  # half-width grows from 0 at the apex
    raise ValueError(
        tr("kind must be one of {kinds}, got {kind!r}").format(kinds=CLASSES, kind=kind)
    )


def _random_colour(rng, lo: float, hi: float) -> np.ndarray:
    """A saturated colour of random hue whose brightness (HSV value) is in [lo, hi]."""
    return np.array(colorsys.hsv_to_rgb(rng.random(), rng.uniform(0.5, 1.0), rng.uniform(lo, hi)))


def background(rng, size: int) -> np.ndarray:
    """A dark (size, size, 3) background: one random colour, a gentle gradient, pixel noise."""
    base = _random_colour(rng, 0.05, 0.35)
    ramp = np.linspace(-0.06, 0.06, size)
    grad = ramp[:, None] if rng.random() < 0.5 else ramp[None, :]
    img = base[None, None, :] + grad[..., None] + rng.normal(0, 0.03, (size, size, 3))
    return img


def paint(rng, img: np.ndarray, kind: str, box) -> np.ndarray:
    """Paint a shape of a random bright colour filling ``box`` onto ``img`` (H, W, 3), in place.

    A little noise in the colour, so a shape is not one flat value. Returns ``img``.
    """
    mask = shape_mask(kind, box, img.shape[0], img.shape[1])
    colour = _random_colour(rng, 0.6, 1.0)
    img[mask] = colour * (1 + rng.normal(0, 0.04, (int(mask.sum()), 1)))
    return img


def random_scene(
    rng,
    image_size: int = 64,
    n_objects: int = 3,
    min_size: float = 10,
    max_size: float = 30,
    max_overlap: float = 0.25,
):
    """One image with ``n_objects`` shapes (fewer if they could not be placed).

    Sizes: the side ``s`` is uniform in [min_size, max_size], the aspect ratio log-uniform
    in [1/2, 2] (width ``s*sqrt(a)``, height ``s/sqrt(a)``, clipped to the image). Positions:
    uniform, rejected if the IoU with an earlier box exceeds ``max_overlap``.
    Returns (image (H, W, 3) float in [0, 1], boxes (K, 4), classes (K,)).
    """
    n = check_int("image_size", image_size, 8)
    img = background(rng, n)
    boxes, classes = [], []
    for _ in range(check_int("n_objects", n_objects, 0)):
        for _attempt in range(30):
            s = rng.uniform(min_size, max_size)
            a = np.exp(rng.uniform(np.log(0.5), np.log(2.0)))
            w, h = min(s * np.sqrt(a), n - 1), min(s / np.sqrt(a), n - 1)
            x1, y1 = rng.uniform(0, n - w), rng.uniform(0, n - h)
            box = np.array([x1, y1, x1 + w, y1 + h])
            if not boxes or iou(box, np.array(boxes)).max() <= max_overlap:
                break
        else:
            continue  # no room left for this one
        cls = int(rng.integers(len(CLASSES)))
        img = paint(rng, img, CLASSES[cls], box)
        boxes.append(box)
        classes.append(cls)
    img = np.clip(img, 0, 1)
    return img, np.array(boxes).reshape(-1, 4), np.array(classes, dtype=np.int64)


def make_shapes(
    n_images: int,
    image_size: int = 64,
    min_objects: int = 1,
    max_objects: int = 4,
    min_size: float = 10,
    max_size: float = 30,
    max_overlap: float = 0.25,
    seed: int = 0,
) -> Scenes:
    """``n_images`` random scenes (see :func:`random_scene`), each with between
    ``min_objects`` and ``max_objects`` shapes. Returns :class:`Scenes`; the same seed
    always gives the same data."""
    n_images = check_int("n_images", n_images, 1)
    lo = check_int("min_objects", min_objects, 0)
    hi = check_int("max_objects", max_objects, lo)
    if not 0 < min_size <= max_size:
        raise ValueError(
            tr("need 0 < min_size <= max_size, got {min_size} and {max_size}").format(
                min_size=min_size, max_size=max_size
            )
        )
    if max_size >= image_size:
        raise ValueError(
            tr("max_size ({max_size}) must be smaller than image_size ({image_size})").format(
                max_size=max_size, image_size=image_size
            )
        )
    rng = np.random.default_rng(seed)
    images, boxes, classes = [], [], []
    for _ in range(n_images):
        k = int(rng.integers(lo, hi + 1))
        img, b, c = random_scene(rng, image_size, k, min_size, max_size, max_overlap)
        images.append(np.moveaxis(img, -1, 0))
        boxes.append(b)
        classes.append(c)
    return Scenes(np.stack(images).astype(np.float32), boxes, classes)


def box_sizes(scenes: Scenes) -> np.ndarray:
    """(M, 2) widths and heights of all the M objects in ``scenes`` (for choosing anchors)."""
    b = np.concatenate([bx for bx in scenes.boxes if len(bx)] or [np.zeros((0, 4))])
    return box_convert(b, "xyxy", "cxcywh")[:, 2:]


def make_landmarks(n_images: int, image_size: int = 32, seed: int = 0):
    """Images of one upright triangle each, with its 3 corners as landmarks.

    Returns (images (N, 3, H, W) float32, landmarks (N, 3, 2) as (x, y) pixels), the corners
    always in the same order: apex, bottom-left, bottom-right. A landmark detector learns
    "the k-th output is the k-th corner", which only makes sense if every label lists the
    corners in the same order.
    """
    n_images = check_int("n_images", n_images, 1)
    n = check_int("image_size", image_size, 8)
    rng = np.random.default_rng(seed)
    images = np.empty((n_images, 3, n, n), dtype=np.float32)
    marks = np.empty((n_images, 3, 2))
    for i in range(n_images):
        img = background(rng, n)
        w, h = rng.uniform(0.35, 0.8, 2) * n
        x1, y1 = rng.uniform(0, n - w), rng.uniform(0, n - h)
        img = paint(rng, img, "triangle", (x1, y1, x1 + w, y1 + h))
        images[i] = np.moveaxis(np.clip(img, 0, 1), -1, 0)
        marks[i] = [(x1 + w / 2, y1), (x1, y1 + h), (x1 + w, y1 + h)]
    return images, marks


def noisy_detections(boxes, classes, per_object: int = 5, spread: float = 2.0, seed: int = 0):
    """Fake detector output for teaching non-max suppression: ``per_object`` boxes around
    each true box (corners moved by Gaussian noise of ``spread`` pixels), the first one
    closest with the highest score. boxes: (N, 4) xyxy; classes: (N,).
    Returns (boxes (K, 4), scores (K,), classes (K,)) with K = N * per_object."""
    b = as_boxes(boxes)
    rng = np.random.default_rng(seed)
    out, scores, cls = [], [], []
    for box, c in zip(b, as_classes(classes, len(b))):
        for k in range(check_int("per_object", per_object, 1)):
            noise = rng.normal(0, spread * (0.3 if k == 0 else 1.0), 4)
            j = box + noise
            j[2:] = np.maximum(j[2:], j[:2] + 1)  # keep x2 > x1, y2 > y1
            out.append(j)
            scores.append(rng.uniform(0.85, 0.98) if k == 0 else rng.uniform(0.3, 0.85))
            cls.append(c)
    return np.array(out).reshape(-1, 4), np.array(scores), np.array(cls, dtype=np.int64)
