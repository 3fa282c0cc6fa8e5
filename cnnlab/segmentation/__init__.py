"""Semantic segmentation: a class for every pixel, with transposed convolutions and U-Net.

The segmentation lesson (after object detection). Modules:
``scenes`` (the detection lesson's shapes with a label for every pixel), ``unet`` (a small
U-Net: contracting path, expanding path with transposed convolutions, skip connections by
concatenation), ``metrics`` (pixel accuracy, per-class IoU, mean IoU), ``upsampling``
(checkerboard artefacts, bilinear upsampling as a transposed convolution), ``plot`` (the
three pictures of a transposed convolution, checkerboards, masks over images, IoU bars,
training curves), ``check`` (exercises).
The transposed convolution itself is core: ``cnnlab.conv_transpose``.
"""

from .. import lazy
from .metrics import confusion_matrix, mean_iou, per_class_iou, pixel_accuracy
from .scenes import CLASS_NAMES, label_map, make_segmentation

__all__ = [
    "CLASS_NAMES",
    "label_map",
    "make_segmentation",
    "confusion_matrix",
    "pixel_accuracy",
    "per_class_iou",
    "mean_iou",
]

__getattr__ = lazy.submodules(__name__)
