"""The classic ConvNets as data: the course's simple ConvNet, AlexNet, VGG and GoogLeNet as
tuples of ``tables`` rows.

The same tuple gives the per-layer table (``tables.layer_table``: output shape,
parameters, multiply-adds) and a PyTorch model (:mod:`cnnlab.classic.models`) whose
submodules carry the rows' names. Used by lesson 07 (LeNet-5 is ``cnnlab.lenet``).

>>> from cnnlab import tables
>>> rows = tables.layer_table(ALEXNET, ALEXNET_INPUT)
>>> rows[1].shape, rows[1].params     # conv1: 96 filters of 11x11x3, stride 4
((55, 55, 96), 34944)
"""

from __future__ import annotations

from ..i18n import tr
from ..tables import Inception, conv, fc, gap, max_pool

ALEXNET_INPUT = (227, 227, 3)
ALEXNET = (
    conv("conv1", 96, 11, s=4),
    max_pool("pool1", 3, 2),
    conv("conv2", 256, 5, p=2),
    max_pool("pool2", 3, 2),
    conv("conv3", 384, 3, p=1),
    conv("conv4", 384, 3, p=1),
    conv("conv5", 256, 3, p=1),
    max_pool("pool5", 3, 2),
    fc("fc6", 4096),
    fc("fc7", 4096),
    fc("fc8", 1000),
)
"""AlexNet (Krizhevsky, Sutskever, Hinton 2012) as the lecture draws it: 227x227x3 in,
overlapping 3x3/2 max pools, 1000 classes out. Local response normalisation (no
parameters, rarely used since) is left out."""

ALEXNET_TWO_GPUS = tuple(
    layer._replace(groups=2) if layer.name in ("conv2", "conv4", "conv5") else layer
    for layer in ALEXNET
)
"""AlexNet as trained on two GPUs: conv2, conv4 and conv5 only see the half of the
channels on their own GPU (groups=2), which is where the paper's '60 million' comes from."""

VGG_CONFIGS = {
    11: (64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"),
    13: (64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"),
    16: (64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"),
    19: (
        (64, 64, "M", 128, 128, "M")
        + (256,) * 4
        + ("M",)
        + (512,) * 4
        + ("M",)
        + (512,) * 4
        + ("M",)
    ),
}
"""Simonyan & Zisserman's configurations A, B, D, E: numbers are 3x3 'same' convs with that
many filters, "M" a 2x2 max pool with stride 2."""

VGG_INPUT = (224, 224, 3)


def vgg(depth: int = 16, n_classes: int = 1000) -> tuple:
    """The VGG-``depth`` rows: conv blocks of 3x3/1 'same' convs, 2x2/2 pools, 3 FC layers.

    Convs are named conv{block}_{i}, pools pool{block}; the FC layers fc6, fc7, fc8 (as
    in the paper's 16-layer count: 13 convs + 3 FC).
    """
    if depth not in VGG_CONFIGS:
        raise ValueError(
            tr("VGG depth must be one of {depths}, got {depth!r}").format(
                depths=sorted(VGG_CONFIGS), depth=depth
            )
        )
    rows, block, i = [], 1, 1
    for item in VGG_CONFIGS[depth]:
        if item == "M":
            rows.append(max_pool(f"pool{block}", 2, 2))
            block, i = block + 1, 1
        else:
            rows.append(conv(f"conv{block}_{i}", item, 3, p=1))
            i += 1
    return tuple(rows) + (fc("fc6", 4096), fc("fc7", 4096), fc("fc8", n_classes))


VGG_16 = vgg(16)
"""VGG-16's rows (the model class is ``classic.VGG16``)."""

INCEPTION_3A = Inception("inception3a", 64, 96, 128, 16, 32, 32)
"""GoogLeNet's first Inception module (on 28x28x192): the lecture's example."""

GOOGLENET_INPUT = (224, 224, 3)
GOOGLENET = (
    conv("conv1", 64, 7, s=2, p=3),
    max_pool("pool1", 3, 2, p=1),
    conv("conv2_reduce", 64, 1),
    conv("conv2", 192, 3, p=1),
    max_pool("pool2", 3, 2, p=1),
    INCEPTION_3A,
    Inception("inception3b", 128, 128, 192, 32, 96, 64),
    max_pool("pool3", 3, 2, p=1),
    Inception("inception4a", 192, 96, 208, 16, 48, 64),
    Inception("inception4b", 160, 112, 224, 24, 64, 64),
    Inception("inception4c", 128, 128, 256, 24, 64, 64),
    Inception("inception4d", 112, 144, 288, 32, 64, 64),
    Inception("inception4e", 256, 160, 320, 32, 128, 128),
    max_pool("pool4", 3, 2, p=1),
    Inception("inception5a", 256, 160, 320, 32, 128, 128),
    Inception("inception5b", 384, 192, 384, 48, 128, 128),
    gap("gap"),
    fc("fc", 1000),
)
"""GoogLeNet (Szegedy et al. 2014, table 1) without its two auxiliary training heads:
a stem of plain convs, nine Inception modules, global average pooling and one FC layer."""


SIMPLE_CONVNET_INPUT = (39, 39, 3)
SIMPLE_CONVNET = (
    conv("conv1", 10, 3),
    conv("conv2", 20, 5, s=2),
    conv("conv3", 40, 5, s=2),
    fc("softmax", 10),
)
"""The course-4 "simple ConvNet" example: 39x39x3 -> 37x37x10 (10 filters 3x3, stride 1)
-> 17x17x20 (20 filters 5x5, stride 2) -> 7x7x40 (40 filters 5x5, stride 2), flattened
to 1960 numbers for a logistic or softmax output. The lecture leaves the number of
classes open; 10 here."""
