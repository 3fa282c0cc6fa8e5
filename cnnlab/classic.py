"""Classic ConvNets as data: AlexNet, VGG, the Inception module and GoogLeNet.

An architecture is a tuple of rows (:class:`Layer` for conv, pool, global pool and FC;
:class:`Inception` for a whole Inception module). The same tuple gives

* a per-layer table (:func:`layer_table`): output shape, parameters and multiply-adds,
  computed with ``cnnlab.arith`` from the notes' formulas, and
* a PyTorch model (:class:`Net`, :class:`AlexNet`, :class:`VGG16`, :class:`GoogLeNet`)
  whose submodules carry the rows' names, so :func:`summary` can check every row against
  PyTorch's own parameter count and output shape.

Build the big ones on PyTorch's ``meta`` device (``with torch.device("meta"): VGG16()``):
the parameters then have shapes but no memory, and a forward pass computes only shapes.

LeNet-5 lives in :mod:`cnnlab.lenet`; ``lenet.LENET5`` and ``lenet.LeNet5`` work here too.

>>> rows = layer_table(ALEXNET, ALEXNET_INPUT)
>>> rows[1].shape, rows[1].params     # conv1: 96 filters of 11x11x3, stride 4
((55, 55, 96), 34944)
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from typing import NamedTuple

import numpy as np
import torch
from torch import nn

from .arith import check_int, conv_macs, conv_output_size, conv_params, receptive_field
from .lenet import check_against_torch  # noqa: F401  (part of this module's API too)


class Layer(NamedTuple):
    """One layer: kind "conv", "pool" (max), "avgpool", "gap" (global average pool) or "fc".

    The fields of ``cnnlab.lenet.Layer`` plus ``groups``: f, s, p are the kernel (window)
    size, stride and padding; n_c the number of filters (conv) or units (fc). With
    ``groups = g`` a conv splits its input and output channels into g groups and each
    filter sees only the c_in/g channels of its group (AlexNet's two-GPU layers).
    """

    name: str
    kind: str
    f: int | None = None
    s: int | None = None
    p: int = 0
    n_c: int | None = None
    groups: int = 1


class Inception(NamedTuple):
    """One Inception module: four branches side by side, outputs stacked along channels.

    c1: 1x1 convs; c3_reduce -> c3: 1x1 bottleneck then 3x3 convs; c5_reduce -> c5: 1x1
    bottleneck then 5x5 convs; pool_proj: 3x3 max pool (stride 1) then 1x1 convs. All keep
    H x W ('same' padding), so the output has c1 + c3 + c5 + pool_proj channels.
    """

    name: str
    c1: int
    c3_reduce: int
    c3: int
    c5_reduce: int
    c5: int
    pool_proj: int


def conv(name: str, n_c: int, f: int, s: int = 1, p: int = 0, groups: int = 1) -> Layer:
    """A conv row: ``n_c`` filters of ``f x f``, stride ``s``, padding ``p``."""
    return Layer(name, "conv", f, s, p, n_c, groups)


def pool(name: str, f: int = 2, s: int | None = None, p: int = 0) -> Layer:
    """A max-pool row (stride defaults to the window, as in PyTorch)."""
    return Layer(name, "pool", f, s if s is not None else f, p)


def fc(name: str, n: int) -> Layer:
    """A fully connected row with ``n`` units (a flatten comes first if needed)."""
    return Layer(name, "fc", n_c=n)


def gap(name: str = "gap") -> Layer:
    """A global average pool row: (H, W, C) -> (C,), whatever H and W."""
    return Layer(name, "gap")


# ---------------------------------------------------------------------------------------
# the architectures

ALEXNET_INPUT = (227, 227, 3)
ALEXNET = (
    conv("conv1", 96, 11, s=4),
    pool("pool1", 3, 2),
    conv("conv2", 256, 5, p=2),
    pool("pool2", 3, 2),
    conv("conv3", 384, 3, p=1),
    conv("conv4", 384, 3, p=1),
    conv("conv5", 256, 3, p=1),
    pool("pool5", 3, 2),
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
        raise ValueError(f"VGG depth must be one of {sorted(VGG_CONFIGS)}, got {depth!r}")
    rows, block, i = [], 1, 1
    for item in VGG_CONFIGS[depth]:
        if item == "M":
            rows.append(pool(f"pool{block}", 2, 2))
            block, i = block + 1, 1
        else:
            rows.append(conv(f"conv{block}_{i}", item, 3, p=1))
            i += 1
    return tuple(rows) + (fc("fc6", 4096), fc("fc7", 4096), fc("fc8", n_classes))


VGG_16 = vgg(16)
"""VGG-16's rows (the model class is :class:`VGG16`)."""

INCEPTION_3A = Inception("inception3a", 64, 96, 128, 16, 32, 32)
"""GoogLeNet's first Inception module (on 28x28x192): the lecture's example."""

GOOGLENET_INPUT = (224, 224, 3)
GOOGLENET = (
    conv("conv1", 64, 7, s=2, p=3),
    pool("pool1", 3, 2, p=1),
    conv("conv2_reduce", 64, 1),
    conv("conv2", 192, 3, p=1),
    pool("pool2", 3, 2, p=1),
    INCEPTION_3A,
    Inception("inception3b", 128, 128, 192, 32, 96, 64),
    pool("pool3", 3, 2, p=1),
    Inception("inception4a", 192, 96, 208, 16, 48, 64),
    Inception("inception4b", 160, 112, 224, 24, 64, 64),
    Inception("inception4c", 128, 128, 256, 24, 64, 64),
    Inception("inception4d", 112, 144, 288, 32, 64, 64),
    Inception("inception4e", 256, 160, 320, 32, 128, 128),
    pool("pool4", 3, 2, p=1),
    Inception("inception5a", 256, 160, 320, 32, 128, 128),
    Inception("inception5b", 384, 192, 384, 48, 128, 128),
    gap("gap"),
    fc("fc", 1000),
)
"""GoogLeNet (Szegedy et al. 2014, table 1) without its two auxiliary training heads:
a stem of plain convs, nine Inception modules, global average pooling and one FC layer."""


# ---------------------------------------------------------------------------------------
# the per-layer table


class Row(NamedTuple):
    """One line of the table. shape: (H, W, C) for images, (n,) for vectors; activations:
    the numbers in that output; params: learnable numbers; macs: multiply-adds to compute
    the output of one image (convs and FC layers; pooling multiplies nothing); depth: how
    many layers with weights this row puts on the longest input-to-output path."""

    name: str
    kind: str
    f: int | None
    s: int | None
    p: int | None
    shape: tuple
    activations: int
    params: int
    macs: int
    depth: int


KINDS = ("conv", "pool", "avgpool", "gap", "fc")


def layer_table(spec, input_shape) -> list[Row]:
    """Output shape, parameters and multiply-adds of every row of ``spec`` for one image.

    spec: sequence of :class:`Layer` (or ``cnnlab.lenet.Layer``) and :class:`Inception`;
    input_shape: (H, W, C). The formulas, all from ``cnnlab.arith``::

        conv: n_out = floor((n + 2p - f)/s) + 1,  params = n_c (f*f*c_in/g + 1),
              MACs = n_out^2 * n_c * f*f*c_in/g
        pool: same n_out, channels kept, no parameters, no multiplications
        fc:   params = n_in * n + n,  MACs = n_in * n  (a flatten first if needed)

    Returns a list of :class:`Row`, the input first. Raises ValueError when a layer does
    not fit its input (with ``cnnlab.arith``'s message).
    """
    h, w, c = (check_int("input size", v, 1) for v in input_shape)
    rows = [Row("input", "input", None, None, None, (h, w, c), h * w * c, 0, 0, 0)]
    shape = (h, w, c)
    for layer in spec:
        if isinstance(layer, Inception):
            sub = inception_table(layer, shape)
            shape = sub[-1].shape
            rows.append(
                Row(
                    layer.name,
                    "inception",
                    None,
                    None,
                    None,
                    shape,
                    math.prod(shape),
                    sum(r.params for r in sub),
                    sum(r.macs for r in sub),
                    2,  # the 1x1 reduce then the 3x3 or 5x5: two layers deep
                )
            )
            continue
        kind = layer.kind
        if kind not in KINDS:
            raise ValueError(f"layer {layer.name}: kind must be one of {KINDS}, got {kind!r}")
        if kind in ("conv", "pool", "avgpool", "gap") and len(shape) != 3:
            raise ValueError(f"{layer.name}: a {kind} layer needs an image, got shape {shape}")
        if kind == "conv":
            shape, params, macs = _conv_row(layer, shape)
            depth = 1
        elif kind in ("pool", "avgpool"):
            n_h = conv_output_size(shape[0], layer.f, layer.p, layer.s)
            n_w = conv_output_size(shape[1], layer.f, layer.p, layer.s)
            shape, params, macs, depth = (n_h, n_w, shape[2]), 0, 0, 0
        elif kind == "gap":
            shape, params, macs, depth = (shape[2],), 0, 0, 0
        else:
            n_in = math.prod(shape)
            n = check_int(f"{layer.name} units", layer.n_c, 1)
            shape, params, macs, depth = (n,), n_in * n + n, n_in * n, 1
        f, s, p = (
            (layer.f, layer.s, layer.p) if kind in ("conv", "pool", "avgpool") else (None,) * 3
        )
        rows.append(Row(layer.name, kind, f, s, p, shape, math.prod(shape), params, macs, depth))
    return rows


def _conv_row(layer, shape):
    h, w, c_in = shape
    n_c = check_int(f"{layer.name} filters", layer.n_c, 1)
    g = check_int(f"{layer.name} groups", getattr(layer, "groups", 1), 1)
    if c_in % g or n_c % g:
        raise ValueError(
            f"{layer.name}: groups={g} must divide both the input channels ({c_in}) and "
            f"the filters ({n_c})"
        )
    out = (
        conv_output_size(h, layer.f, layer.p, layer.s),
        conv_output_size(w, layer.f, layer.p, layer.s),
    )
    # each group is its own small conv: c_in/g channels in, n_c/g filters out
    params = g * conv_params(layer.f, c_in // g, n_c // g)
    macs = g * conv_macs(out, layer.f, c_in // g, n_c // g)
    return (*out, n_c), params, macs


def inception_table(module: Inception, input_shape, bottleneck: bool = True) -> list[Row]:
    """The rows inside one Inception module on an (H, W, C) input, and its concatenation.

    Rows are named like the submodules of :class:`InceptionModule` ("branch3.reduce",
    "branch3.conv", ...). With ``bottleneck=False`` the naive module: the 3x3 and 5x5
    convs read all C input channels and the pool branch passes its C channels through
    unchanged (no 1x1 anywhere but branch1). The last row, "concat", has the output shape
    (H, W, sum of the branches' channels) and no parameters.
    """
    h, w, c = (check_int("input size", v, 1) for v in input_shape)
    convs = [("branch1.conv", 1, c, module.c1)]
    if bottleneck:
        convs += [
            ("branch3.reduce", 1, c, module.c3_reduce),
            ("branch3.conv", 3, module.c3_reduce, module.c3),
            ("branch5.reduce", 1, c, module.c5_reduce),
            ("branch5.conv", 5, module.c5_reduce, module.c5),
        ]
    else:
        convs += [("branch3.conv", 3, c, module.c3), ("branch5.conv", 5, c, module.c5)]
    rows = []
    for name, f, c_in, c_out in convs:
        layer = conv(name, c_out, f, p=(f - 1) // 2)
        shape, params, macs = _conv_row(layer, (h, w, c_in))
        rows.append(Row(name, "conv", f, 1, layer.p, shape, math.prod(shape), params, macs, 1))
    rows.append(Row("branch_pool.pool", "pool", 3, 1, 1, (h, w, c), h * w * c, 0, 0, 0))
    if bottleneck:
        shape, params, macs = _conv_row(conv("proj", module.pool_proj, 1), (h, w, c))
        rows.append(
            Row("branch_pool.proj", "conv", 1, 1, 0, shape, math.prod(shape), params, macs, 1)
        )
    ends = [r for r in rows if r.name.endswith((".conv", ".proj"))]
    ends += [] if bottleneck else [rows[-1]]  # the naive pool branch ends with the pool
    out = (h, w, sum(r.shape[2] for r in ends))
    rows.append(Row("concat", "concat", None, None, None, out, math.prod(out), 0, 0, 0))
    return rows


def totals(rows) -> dict:
    """{"params", "macs", "depth"} summed over the rows of a table."""
    return {
        "params": sum(r.params for r in rows),
        "macs": sum(r.macs for r in rows),
        "depth": sum(r.depth for r in rows),
    }


def format_table(rows, torch_params: int | None = None) -> str:
    """The table as text: name, f/s/p, output shape, activations, parameters, multiply-adds."""
    dash = "-"
    head = (
        f"{'layer':<17}{'f':>3}{'s':>3}{'p':>3}  {'output':<13}{'activations':>12}"
        f"{'parameters':>13}{'mult-adds':>16}"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        fsp = "".join(f"{dash if v is None else v:>3}" for v in (r.f, r.s, r.p))
        shape = "x".join(str(v) for v in r.shape)
        lines.append(
            f"{r.name:<17}{fsp}  {shape:<13}{r.activations:>12,}{r.params:>13,}{r.macs:>16,}"
        )
    t = totals(rows)
    lines += ["-" * len(head), f"{'total':<51}{t['params']:>13,}{t['macs']:>16,}"]
    if torch_params is not None:
        lines.append(f"{'PyTorch: sum(p.numel())':<51}{torch_params:>13,}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# the PyTorch models


def _helper_name(helper: str, name: str) -> str:
    # conv1_1 -> relu1_1, fc6 -> relu6 / drop6: the names people use for these layers
    for prefix in ("conv", "fc"):
        if name.startswith(prefix) and name[len(prefix) :][:1].isdigit():
            return helper + name[len(prefix) :]
    return f"{name}_{helper}"


class InceptionModule(nn.Module):
    """An Inception module in PyTorch: the branches of :class:`Inception`, ReLU after every
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


class Net(nn.Sequential):
    """A PyTorch model built from a spec: one named submodule per row, plus parameter-free
    helpers (ReLU after every conv and hidden FC, named relu*; a flatten before the first
    FC; with ``dropout > 0``, dropout before every FC that reads a vector, as in AlexNet,
    VGG and GoogLeNet).

    ``net.spec`` and ``net.input_shape`` keep what it was built from, for :func:`summary`.
    Pools are max pools, "avgpool" rows average pools, "gap" rows global average pools.
    """

    def __init__(self, spec, input_shape, dropout: float = 0.0):
        rows = layer_table(spec, input_shape)  # validates every layer first
        last_fc = max((i for i, r in enumerate(spec) if _kind(r) == "fc"), default=None)
        mods = []
        for i, (layer, prev) in enumerate(zip(spec, rows)):
            c_in = prev.shape[-1]
            kind = _kind(layer)
            if kind == "inception":
                mods.append((layer.name, InceptionModule(c_in, layer)))
                continue
            if kind == "conv":
                mods.append(
                    (
                        layer.name,
                        nn.Conv2d(
                            c_in,
                            layer.n_c,
                            layer.f,
                            layer.s,
                            layer.p,
                            groups=getattr(layer, "groups", 1),
                        ),
                    )
                )
            elif kind == "pool":
                mods.append((layer.name, nn.MaxPool2d(layer.f, layer.s, layer.p)))
            elif kind == "avgpool":
                mods.append((layer.name, nn.AvgPool2d(layer.f, layer.s, layer.p)))
            elif kind == "gap":
                mods.append((layer.name, nn.AdaptiveAvgPool2d(1)))
            else:
                if len(prev.shape) > 1:
                    mods.append(("flatten", nn.Flatten()))
                elif dropout:  # before every FC that reads a vector (an FC's or a global pool's)
                    mods.append((_helper_name("drop", layer.name), nn.Dropout(dropout)))
                if i and _kind(spec[i - 1]) == "gap":
                    mods.append(("flatten", nn.Flatten()))
                mods.append((layer.name, nn.Linear(math.prod(prev.shape), layer.n_c)))
            if kind == "conv" or (kind == "fc" and i != last_fc):
                mods.append((_helper_name("relu", layer.name), nn.ReLU()))
        super().__init__(OrderedDict(mods))
        self.spec, self.input_shape = tuple(spec), tuple(input_shape)


def _kind(layer) -> str:
    return "inception" if isinstance(layer, Inception) else layer.kind


class AlexNet(Net):
    """AlexNet (:data:`ALEXNET`) for 227x227x3 images; two_gpus=True uses the grouped convs
    of the original two-GPU training (:data:`ALEXNET_TWO_GPUS`)."""

    def __init__(self, two_gpus: bool = False, dropout: float = 0.5):
        super().__init__(ALEXNET_TWO_GPUS if two_gpus else ALEXNET, ALEXNET_INPUT, dropout)


class VGG16(Net):
    """VGG-16 (:data:`VGG_16`) for 224x224x3 images: 13 convs 3x3 'same', 5 pools, 3 FC."""

    def __init__(self, dropout: float = 0.5):
        super().__init__(VGG_16, VGG_INPUT, dropout)


class GoogLeNet(Net):
    """GoogLeNet (:data:`GOOGLENET`) for 224x224x3 images, without the auxiliary heads."""

    def __init__(self, dropout: float = 0.4):
        super().__init__(GOOGLENET, GOOGLENET_INPUT, dropout)


# ---------------------------------------------------------------------------------------
# the summary, checked against PyTorch (lenet.check_against_torch)


def summary(model: nn.Module, spec=None, input_shape=None) -> str:
    """The per-layer table of a model, checked against PyTorch (see :func:`check_against_torch`).

    spec and input_shape default to the model's own (``Net.spec``, ``Net.input_shape``);
    give them for other models, e.g. ``summary(lenet.LeNet5(), lenet.LENET5, (32, 32, 1))``
    or ``summary(InceptionModule(192), INCEPTION_3A, (28, 28, 192))`` (a single module).
    """
    spec = spec if spec is not None else getattr(model, "spec", None)
    input_shape = input_shape if input_shape is not None else getattr(model, "input_shape", None)
    if spec is None or input_shape is None:
        raise ValueError("give the spec and input_shape of a model that is not a classic.Net")
    if isinstance(spec, Inception):
        shape = tuple(input_shape)
        rows = [Row("input", "input", None, None, None, shape, math.prod(shape), 0, 0, 0)]
        rows += inception_table(spec, shape, getattr(model, "bottleneck", True))
    else:
        rows = layer_table(spec, input_shape)
    total = check_against_torch(rows, model)
    return format_table(rows, total)


# ---------------------------------------------------------------------------------------
# receptive fields and the 1x1 bottleneck


def receptive_fields(spec) -> dict:
    """{row name: cnnlab.arith.LayerRF} for the conv and pool rows of a plain stack.

    Uses ``cnnlab.arith.receptive_field`` with each row's kernel, stride and padding (FC,
    global pool and Inception rows end the stack: their units see everything).
    """
    names, layers = [], []
    for layer in spec:
        if _kind(layer) not in ("conv", "pool", "avgpool"):
            break
        names.append(layer.name)
        layers.append((layer.f, layer.s, 1, layer.p))
    if not layers:
        raise ValueError("the spec must start with conv or pool rows to have receptive fields")
    return dict(zip(names, receptive_field(layers)))


def plain_conv(c_in: int = 192, c_out: int = 32, f: int = 5) -> nn.Module:
    """One f x f 'same' conv (+ReLU): (N, c_in, H, W) -> (N, c_out, H, W)."""
    return nn.Sequential(nn.Conv2d(c_in, c_out, f, padding=(f - 1) // 2), nn.ReLU())


def bottleneck_conv(c_in: int = 192, mid: int = 16, c_out: int = 32, f: int = 5) -> nn.Module:
    """A 1x1 conv down to ``mid`` channels, then the f x f 'same' conv (ReLU after each)."""
    return nn.Sequential(
        nn.Conv2d(c_in, mid, 1),
        nn.ReLU(),
        nn.Conv2d(mid, c_out, f, padding=(f - 1) // 2),
        nn.ReLU(),
    )


def bottleneck_costs(n: int = 28, c_in: int = 192, c_out: int = 32, f: int = 5, mid: int = 16):
    """Multiplications and parameters of an f x f 'same' conv, plain and with a 1x1 bottleneck.

    Returns {"plain": (macs, params), "reduce": (macs, params), "conv": (macs, params)}:
    the plain conv c_in -> c_out, and the two parts of the bottleneck version
    (1x1: c_in -> mid; f x f: mid -> c_out). Raises ValueError for an even f (no 'same'
    padding) and for sizes < 1.
    """
    from .arith import same_padding

    n = check_int("n", n, 1)
    same_padding(f)  # raises for even kernels: 'same' needs p = (f-1)/2
    return {
        "plain": (conv_macs(n, f, c_in, c_out), conv_params(f, c_in, c_out)),
        "reduce": (conv_macs(n, 1, c_in, mid), conv_params(1, c_in, mid)),
        "conv": (conv_macs(n, f, mid, c_out), conv_params(f, mid, c_out)),
    }


@torch.no_grad()
def time_forward(module: nn.Module, x, repeats: int = 20, warmup: int = 3) -> float:
    """Median wall-clock seconds of one forward pass of ``module`` on ``x`` (no autograd).

    Runs ``warmup`` passes first (the first call allocates and picks kernels) and waits
    for the GPU before reading the clock. The median resists the odd slow run when other
    programs share the processor, but timings still vary from run to run.
    """
    repeats = check_int("repeats", repeats, 1)
    module.eval()
    dev = x.device
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)
    for _ in range(warmup):
        module(x)
    sync()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        module(x)
        sync()
        times.append(time.perf_counter() - start)
    return float(np.median(times))
