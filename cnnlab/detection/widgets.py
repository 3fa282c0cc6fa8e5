"""Explorers of lesson 10 (object detection): IoU of two boxes, non-max suppression, and the
YOLO grid's targets.

Each one is controls plus a pure drawing function of :mod:`cnnlab.detection.plot` (tested
without a browser); an impossible setting shows its message in place of the picture.
"""

from __future__ import annotations

from functools import partial

import ipywidgets as W

from ..explorer import explorer, float_slider, int_slider
from . import plot


def iou_explorer(box_a=(2, 2, 7, 6), size: int = 12) -> W.VBox:
    """Move and resize box B against a fixed box A (4,) xyxy on a size x size canvas; see the
    intersection, the union and the IoU (:func:`cnnlab.detection.plot.plot_iou`). B
    sticking out of the canvas shows a message instead."""
    controls = {
        "x": int_slider("B: left x", 4, 0, size - 1),
        "y": int_slider("B: top y", 3, 0, size - 1),
        "w": int_slider("B: width", 5, 1, size),
        "h": int_slider("B: height", 4, 1, size),
    }
    draw = partial(plot.plot_iou, box_a=box_a, size=size)
    return explorer(draw, controls, title="Intersection over union: move and resize box B")


def nms_explorer(image, boxes, scores, classes=None, names=None) -> W.VBox:
    """Non-max suppression on one image's candidate boxes: an IoU threshold, a score
    threshold and per-class or class-blind suppression
    (:func:`cnnlab.detection.plot.plot_nms`).

    image: (3, H, W) or (H, W, 3); boxes: (N, 4) xyxy; scores: (N,); classes: optional (N,).
    """
    controls = {
        "iou_threshold": float_slider("IoU threshold", 0.5, 0.0, 1.0, 0.05),
        "score_threshold": float_slider("score threshold", 0.3, 0.0, 1.0, 0.05),
        "per_class": W.Checkbox(value=True, description="per class"),
    }

    def draw(iou_threshold, score_threshold, per_class):
        return plot.plot_nms(
            image, boxes, scores, classes, iou_threshold, score_threshold, per_class, names
        )

    return explorer(draw, controls, title="Non-max suppression: which boxes survive?")


def yolo_grid_explorer(scenes, names=None, anchors=None) -> W.VBox:
    """Pick a scene and a grid size S; see which cell is responsible for each object and
    its label vector (:func:`cnnlab.detection.plot.plot_yolo_grid`).

    scenes: a :class:`cnnlab.detection.shapes.Scenes`; anchors: optional (B, 2).
    """
    controls = {
        "index": int_slider("scene", 0, 0, len(scenes) - 1),
        "grid_size": int_slider("grid S", 3, 1, 8),
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

    return explorer(draw, controls, title="YOLO targets: one cell per object midpoint")
