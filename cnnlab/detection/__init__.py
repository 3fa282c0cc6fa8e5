"""Object detection: boxes and IoU, non-max suppression, the YOLO grid and anchor boxes,
mAP, sliding windows and region proposals. Used by lesson 10 (10_object_detection).

Modules: ``boxes`` (IoU), ``nms``, ``localization`` (the label vector and its loss),
``anchors`` (YOLO grid, anchors, targets), ``metrics`` (mAP), ``shapes`` (the generated
scenes), ``yolo``, ``sliding`` and ``proposals`` (the PyTorch detectors), ``faces`` (the
real photographs and P-Net checks for the MTCNN face detector of
:mod:`cnnlab.pretrained.faces`), ``plot`` (pictures), ``plot_sliding`` (FC layers as
convolutions), ``plot_faces`` (the face detector's stages), ``check`` (exercise checkers)
and ``widgets`` (explorers and their kernel-free versions).

The NumPy maths is imported here (``detection.iou(...)``); the PyTorch detectors, the scenes
and the pictures load on first use (``detection.yolo.TinyYolo``, ``detection.plot``).

>>> from cnnlab import detection
>>> detection.non_max_suppression([[0, 0, 4, 4], [0, 0, 4, 3]], [0.9, 0.8]).tolist()
[0]
"""

from .. import lazy
from .anchors import (
    Assignment,
    anchor_fit,
    assign_anchors,
    decode_predictions,
    encode_targets,
    kmeans_anchors,
    shape_iou,
    yolo_detections,
)
from .boxes import box_area, box_convert, image_hw, intersection, iou
from .localization import BH, BW, BX, BY, PC, localization_loss
from .metrics import (
    average_precision,
    detection_errors,
    interpolated_precision,
    match_detections,
    mean_average_precision,
    precision_recall,
)
from .nms import nms_reference, non_max_suppression

__all__ = [
    "PC",
    "BX",
    "BY",
    "BH",
    "BW",
    "Assignment",
    "anchor_fit",
    "assign_anchors",
    "average_precision",
    "box_area",
    "box_convert",
    "decode_predictions",
    "detection_errors",
    "encode_targets",
    "image_hw",
    "interpolated_precision",
    "intersection",
    "iou",
    "kmeans_anchors",
    "localization_loss",
    "match_detections",
    "mean_average_precision",
    "nms_reference",
    "non_max_suppression",
    "precision_recall",
    "shape_iou",
    "yolo_detections",
]

__getattr__ = lazy.submodules(__name__)
