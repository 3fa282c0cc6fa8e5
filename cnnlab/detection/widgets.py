"""Explorers of lesson 10 (object detection): IoU of two boxes, non-max suppression, and the
YOLO grid's targets; and kernel-free versions of the IoU and NMS explorers for the book.

Each explorer is controls plus a pure drawing function of :mod:`cnnlab.detection.plot`
(tested without a browser); an impossible setting shows its message in place of the picture.
Every control works from the keyboard in JupyterLab: sliders (arrow keys) and toggle buttons
(Tab, then Space), never a Dropdown, whose ArrowUp/ArrowDown JupyterLab takes to move between
cells. The ``*_scrubber`` functions draw a walk through the same settings once, when the
notebook runs, into a page that needs no kernel (:func:`cnnlab.frames.scrubber`).
"""

from __future__ import annotations

from functools import partial

import ipywidgets as W

from .. import frames
from ..explorer import explorer, float_slider, int_slider
from ..i18n import tr
from . import plot


def iou_explorer(box_a=(2, 2, 7, 6), size: int = 12) -> W.VBox:
    """Move and resize box B against a fixed box A (4,) xyxy on a size x size canvas; see the
    intersection, the union and the IoU (:func:`cnnlab.detection.plot.plot_iou`). B
    sticking out of the canvas shows a message instead."""
    controls = {
        "x": int_slider(tr("B: left x"), 4, 0, size - 1),
        "y": int_slider(tr("B: top y"), 3, 0, size - 1),
        "w": int_slider(tr("B: width"), 5, 1, size),
        "h": int_slider(tr("B: height"), 4, 1, size),
    }
    draw = partial(plot.plot_iou, box_a=box_a, size=size)
    return explorer(draw, controls, title=tr("Intersection over union: move and resize box B"))


def nms_explorer(image, boxes, scores, classes=None, names=None) -> W.VBox:
    """Non-max suppression on one image's candidate boxes: an IoU threshold, a score
    threshold and per-class or class-blind suppression
    (:func:`cnnlab.detection.plot.plot_nms`).

    image: (3, H, W) or (H, W, 3); boxes: (N, 4) xyxy; scores: (N,); classes: optional (N,).
    """
    controls = {
        "iou_threshold": float_slider(tr("IoU threshold"), 0.5, 0.0, 1.0, 0.05),
        "score_threshold": float_slider(tr("score threshold"), 0.3, 0.0, 1.0, 0.05),
        "per_class": W.ToggleButtons(
            options=[(tr("per class"), True), (tr("class-blind"), False)],
            value=True,
            description=tr("suppress"),
            style={"description_width": "initial", "button_width": "104px"},
        ),
    }

    def draw(iou_threshold, score_threshold, per_class):
        return plot.plot_nms(
            image, boxes, scores, classes, iou_threshold, score_threshold, per_class, names
        )

    return explorer(draw, controls, title=tr("Non-max suppression: which boxes survive?"))


def yolo_grid_explorer(scenes, names=None, anchors=None) -> W.VBox:
    """Pick a scene and a grid size S; see which cell is responsible for each object and
    its label vector (:func:`cnnlab.detection.plot.plot_yolo_grid`).

    scenes: a :class:`cnnlab.detection.shapes.Scenes`; anchors: optional (B, 2).
    """
    controls = {
        "index": int_slider(tr("scene"), 0, 0, len(scenes) - 1),
        "grid_size": int_slider(tr("grid S"), 3, 1, 8),
    }

    def draw(index, grid_size):
        return plot.plot_yolo_grid(
            scenes.images[index],
            scenes.boxes[index],
            scenes.classes[index],
            grid_size,
            anchors,
            names,
        )

    return explorer(draw, controls, title=tr("YOLO targets: one cell per object midpoint"))


def iou_frames(box_a=(2, 2, 7, 6), size: int = 12) -> list[dict]:
    """The walk of :func:`iou_scrubber`: box B (5 x 4) slides right across box A until they
    no longer touch (the IoU falls from 1 to 0, past 0.5), then B grows and shrinks in place;
    the last frame sticks out of the canvas and shows the message. Keyword dicts of
    :func:`cnnlab.detection.plot.plot_iou`."""
    x1, y1 = int(box_a[0]), int(box_a[1])
    walk = [dict(x=x, y=y1, w=5, h=4) for x in range(x1, x1 + 6)]
    walk += [dict(x=x1, y=y1, w=w, h=h) for w, h in ((7, 6), (9, 8), (3, 2), (5, 2))]
    walk.append(dict(x=size - 2, y=y1, w=5, h=4))
    return [dict(f, box_a=box_a, size=size) for f in walk]


def iou_scrubber(box_a=(2, 2, 7, 6), size: int = 12):
    """The IoU explorer without a kernel: :func:`iou_frames` pre-drawn into one HTML player
    (:func:`cnnlab.frames.scrubber`), for the book. Returns an ``IPython.display.HTML``."""
    walk = iou_frames(box_a, size)
    labels = [f"B = ({f['x']}, {f['y']}, {f['x'] + f['w']}, {f['y'] + f['h']})" for f in walk]
    return frames.scrubber(plot.plot_iou, walk, labels)


def nms_frames(iou_thresholds=(0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0), score_thresholds=(0.5, 0.8)):
    """The walk of :func:`nms_scrubber`, as keyword dicts of
    :func:`cnnlab.detection.plot.plot_nms` (without the image and boxes): the IoU
    threshold from strict to lax, per class then class-blind, then higher score thresholds."""
    walk = [dict(iou_threshold=t, score_threshold=0.3, per_class=True) for t in iou_thresholds]
    walk += [dict(iou_threshold=t, score_threshold=0.3, per_class=False) for t in (0.1, 0.3, 0.5)]
    walk += [dict(iou_threshold=0.5, score_threshold=s, per_class=True) for s in score_thresholds]
    return walk


def nms_scrubber(image, boxes, scores, classes=None, names=None, walk=None, dpi: int = 72):
    """The NMS explorer without a kernel: the settings of ``walk`` (default
    :func:`nms_frames`) pre-drawn into one HTML player (:func:`cnnlab.frames.scrubber`), for
    the book. image, boxes, scores, classes, names: as :func:`nms_explorer`; dpi: of the
    frames (fewer dots, a lighter page)."""
    walk = nms_frames() if walk is None else list(walk)

    def draw(iou_threshold, score_threshold, per_class):
        return plot.plot_nms(
            image, boxes, scores, classes, iou_threshold, score_threshold, per_class, names
        )

    labels = [
        tr("IoU threshold {iou:.2f}, score threshold {score:.2f}, {suppress}").format(
            iou=f["iou_threshold"],
            score=f["score_threshold"],
            suppress=tr("per class") if f["per_class"] else tr("class-blind"),
        )
        for f in walk
    ]
    return frames.scrubber(draw, walk, labels, dpi=dpi)


def face_detector_explorer(photo=None, size: int = 512, min_size: int = 20) -> W.VBox:
    """MTCNN on your own photo: an upload button, then the faces found (boxes, scores and
    the 5 landmarks, drawn by ``detection.plot_faces.plot_faces``). photo: a path or bytes
    shown until something is uploaded; size: the photo's longer side after resizing (faces
    smaller than ``min_size`` pixels at that size are not looked for).
    """
    from ..own_photo import photo_explorer
    from ..pretrained import detect_faces
    from .plot_faces import plot_faces

    def draw(picture):
        found = detect_faces(picture, min_size=min_size)
        title = tr("your photo: {n} face(s)").format(n=len(found[0]))
        return plot_faces([picture], [found[:3]], titles=[title], size=5)

    return photo_explorer(
        draw, size=size, photo=photo, title=tr("Face detection (MTCNN), on your photo")
    )
