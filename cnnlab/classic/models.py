"""The classic ConvNets in PyTorch, built from their rows: one named submodule per row.

:class:`Net` turns any spec of ``tables`` rows into an ``nn.Sequential`` whose submodules
carry the rows' names, so ``tables.summary`` can check every row against PyTorch's own
parameter count and output shape. Build the big ones on PyTorch's ``meta`` device
(``with torch.device("meta"): VGG16()``): the parameters then have shapes but no memory,
and a forward pass computes only shapes. Used by lesson 07.
"""

from __future__ import annotations

import math
from collections import OrderedDict

import torch
from torch import nn

from ..i18n import tr
from ..tables import Inception, layer_table
from ..validate import check_int
from .architectures import (
    ALEXNET,
    ALEXNET_INPUT,
    ALEXNET_TWO_GPUS,
    GOOGLENET,
    GOOGLENET_INPUT,
    INCEPTION_3A,
    VGG_16,
    VGG_INPUT,
)


def helper_name(helper: str, name: str) -> str:
    """The name of a parameter-free helper after row ``name``: conv1_1 -> relu1_1,
    fc6 -> relu6 / drop6 (the names people use), anything else -> name_helper."""
    for prefix in ("conv", "fc"):
        if name.startswith(prefix) and name[len(prefix) :][:1].isdigit():
            return helper + name[len(prefix) :]
    return f"{name}_{helper}"


class InceptionModule(nn.Module):
    """An Inception module in PyTorch: the branches of ``tables.Inception``, ReLU after every
    conv, outputs concatenated along channels. (N, c_in, H, W) -> (N, C_out, H, W).

    bottleneck=False builds the naive module ("use them all" without 1x1 reductions): 3x3
    and 5x5 convs on all c_in channels and a bare 3x3 max pool, whose c_in channels join
    the output.
    """

    def __init__(self, c_in: int, spec: Inception = INCEPTION_3A, bottleneck: bool = True):
        super().__init__()
        c_in = check_int("c_in", c_in, 1)
        relu = nn.ReLU

        def seq(*named):
            return nn.Sequential(OrderedDict(named))

        self.bottleneck = bottleneck
        self.branch1 = seq(("conv", nn.Conv2d(c_in, spec.c1, 1)), ("relu", relu()))
        if bottleneck:
            self.branch3 = seq(
                ("reduce", nn.Conv2d(c_in, spec.c3_reduce, 1)),
                ("relu_reduce", relu()),
                ("conv", nn.Conv2d(spec.c3_reduce, spec.c3, 3, padding=1)),
                ("relu", relu()),
            )
            self.branch5 = seq(
                ("reduce", nn.Conv2d(c_in, spec.c5_reduce, 1)),
                ("relu_reduce", relu()),
                ("conv", nn.Conv2d(spec.c5_reduce, spec.c5, 5, padding=2)),
                ("relu", relu()),
            )
            self.branch_pool = seq(
                ("pool", nn.MaxPool2d(3, stride=1, padding=1)),
                ("proj", nn.Conv2d(c_in, spec.pool_proj, 1)),
                ("relu", relu()),
            )
        else:
            self.branch3 = seq(("conv", nn.Conv2d(c_in, spec.c3, 3, padding=1)), ("relu", relu()))
            self.branch5 = seq(("conv", nn.Conv2d(c_in, spec.c5, 5, padding=2)), ("relu", relu()))
            self.branch_pool = seq(("pool", nn.MaxPool2d(3, stride=1, padding=1)))

    def forward(self, x):
        branches = (self.branch1, self.branch3, self.branch5, self.branch_pool)
        return torch.cat([b(x) for b in branches], dim=1)


def _kind(layer) -> str:
    return "inception" if isinstance(layer, Inception) else layer.kind


def row_module(layer, c_in: int) -> nn.Module:
    """The PyTorch module of one row (not an FC row) reading ``c_in`` channels: Conv2d,
    MaxPool2d ("max"), AvgPool2d ("avg"), AdaptiveAvgPool2d(1) ("gap") or an
    :class:`InceptionModule`."""
    kind = _kind(layer)
    if kind == "inception":
        return InceptionModule(c_in, layer)
    if kind == "conv":
        return nn.Conv2d(c_in, layer.n_c, layer.f, layer.s, layer.p, layer.d, layer.groups)
    if kind == "max":
        return nn.MaxPool2d(layer.f, layer.s, layer.p)
    if kind == "avg":
        return nn.AvgPool2d(layer.f, layer.s, layer.p)
    if kind == "gap":
        return nn.AdaptiveAvgPool2d(1)
    raise ValueError(
        tr("{name}: no single module for a {kind!r} row").format(name=layer.name, kind=kind)
    )


class Net(nn.Sequential):
    """A PyTorch model built from a spec: one named submodule per row, plus parameter-free
    helpers (ReLU after every conv and hidden FC, named relu*; a flatten before the first
    FC; with ``dropout > 0``, dropout before every FC that reads a vector, as in AlexNet,
    VGG and GoogLeNet). (N, C, H, W) images of ``input_shape`` (H, W, C) -> (N, outputs).

    ``net.spec`` and ``net.input_shape`` keep what it was built from, for
    ``tables.summary``. "max" rows are max pools, "avg" rows average pools, "gap" rows
    global average pools.
    """

    def __init__(self, spec, input_shape, dropout: float = 0.0):
        rows = layer_table(spec, input_shape)  # validates every layer first
        last_fc = max((i for i, r in enumerate(spec) if _kind(r) == "fc"), default=None)
        mods = []
        for i, (layer, prev) in enumerate(zip(spec, rows)):
            kind = _kind(layer)
            if kind != "fc":
                mods.append((layer.name, row_module(layer, prev.shape[-1])))
            else:
                if len(prev.shape) > 1:
                    mods.append(("flatten", nn.Flatten()))
                elif dropout:  # before every FC that reads a vector (an FC's or a global pool's)
                    mods.append((helper_name("drop", layer.name), nn.Dropout(dropout)))
                if i and _kind(spec[i - 1]) == "gap":
                    mods.append(("flatten", nn.Flatten()))
                mods.append((layer.name, nn.Linear(math.prod(prev.shape), layer.n_c)))
            if kind == "conv" or (kind == "fc" and i != last_fc):
                mods.append((helper_name("relu", layer.name), nn.ReLU()))
        super().__init__(OrderedDict(mods))
        self.spec, self.input_shape = tuple(spec), tuple(input_shape)


class AlexNet(Net):
    """AlexNet (``ALEXNET``) for 227x227x3 images; two_gpus=True uses the grouped convs
    of the original two-GPU training (``ALEXNET_TWO_GPUS``)."""

    def __init__(self, two_gpus: bool = False, dropout: float = 0.5):
        super().__init__(ALEXNET_TWO_GPUS if two_gpus else ALEXNET, ALEXNET_INPUT, dropout)


class VGG16(Net):
    """VGG-16 (``VGG_16``) for 224x224x3 images: 13 convs 3x3 'same', 5 pools, 3 FC."""

    def __init__(self, dropout: float = 0.5):
        super().__init__(VGG_16, VGG_INPUT, dropout)


class GoogLeNet(Net):
    """GoogLeNet (``GOOGLENET``) for 224x224x3 images, without the auxiliary heads."""

    def __init__(self, dropout: float = 0.4):
        super().__init__(GOOGLENET, GOOGLENET_INPUT, dropout)
