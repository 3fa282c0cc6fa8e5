"""Classic ConvNets (lesson 07): the course's simple ConvNet, AlexNet, VGG-16, 1x1
convolutions, the Inception module and GoogLeNet, depthwise-separable convolutions and
MobileNet's blocks, and what the layers of a trained network learn.

Modules: ``architectures`` (the networks as ``tables`` rows), ``models`` (the same rows as
PyTorch models: ``Net``, ``AlexNet``, ``VGG16``, ``GoogLeNet``, ``InceptionModule``),
``bottleneck`` (what a 1x1 conv in front saves, counted and timed), ``pointwise`` (a 1x1
conv + ReLU computes what no linear 1x1 map can), ``mobilenet`` (depthwise-separable
convs, MobileNet v1/v2 blocks and their tables), ``activations`` (feature maps and top
patches of a small digit network), ``photos`` (VGG16's receptive fields, feature maps and
top patches on photographs), ``plot``, ``check``, ``widgets``. The per-layer tables are
``cnnlab.tables`` (``tables.summary(classic.VGG16())``); the architecture drawings
``cnnlab.diagrams.plot_architecture``.

>>> from cnnlab import classic, tables
>>> tables.totals(tables.layer_table(classic.VGG_16, classic.VGG_INPUT))["depth"]
16
"""

from .. import lazy
from .activations import feature_maps, strongest_units, top_patches
from .architectures import (
    ALEXNET,
    ALEXNET_INPUT,
    ALEXNET_TWO_GPUS,
    GOOGLENET,
    GOOGLENET_INPUT,
    INCEPTION_3A,
    SIMPLE_CONVNET,
    SIMPLE_CONVNET_INPUT,
    VGG_16,
    VGG_CONFIGS,
    VGG_INPUT,
    vgg,
)
from .bottleneck import bottleneck_conv, bottleneck_costs, plain_conv, time_forward
from .mobilenet import (
    mobilenet_v1_block,
    mobilenet_v2_block,
    separable_conv,
    separable_costs,
    separable_ratio,
)
from .models import VGG16, AlexNet, GoogLeNet, InceptionModule, Net, helper_name, row_module

__all__ = [
    "ALEXNET",
    "ALEXNET_INPUT",
    "ALEXNET_TWO_GPUS",
    "SIMPLE_CONVNET",
    "SIMPLE_CONVNET_INPUT",
    "VGG_CONFIGS",
    "VGG_INPUT",
    "VGG_16",
    "vgg",
    "INCEPTION_3A",
    "GOOGLENET",
    "GOOGLENET_INPUT",
    "Net",
    "AlexNet",
    "VGG16",
    "GoogLeNet",
    "InceptionModule",
    "helper_name",
    "row_module",
    "plain_conv",
    "bottleneck_conv",
    "bottleneck_costs",
    "time_forward",
    "feature_maps",
    "top_patches",
    "strongest_units",
    "separable_costs",
    "separable_ratio",
    "separable_conv",
    "mobilenet_v1_block",
    "mobilenet_v2_block",
]

__getattr__ = lazy.submodules(__name__)
