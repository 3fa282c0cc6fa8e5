"""What a block costs, layer by layer, read from the block itself: parameters and
multiplications of every convolution on its main path and shortcut (``cnnlab.arith``'s
formulas), and the batch norms' parameters. Used by lesson 08 (the bottleneck block against
a basic block) and by ``cnnlab.resnet.plot.plot_blocks`` (the labels of its boxes).

>>> from cnnlab import resnet
>>> rows = block_costs(resnet.Bottleneck(256, 64, 256), 56)
>>> [(r.name, r.params) for r in rows if r.kind == "conv"]
[('conv1', 16384), ('conv2', 36864), ('conv3', 16384)]
"""

from __future__ import annotations

from typing import NamedTuple

from torch import nn

from .. import arith
from ..i18n import tr
from ..validate import check_int
from .blocks import Residual


class LayerCost(NamedTuple):
    """One layer of a block: where it is ("main" or "shortcut"), its name in the block, its
    kind ("conv", "bn", "relu"), a short description, its output (C, H, W), its learnable
    parameters and its multiplications (convolutions only; 0 for the others)."""

    path: str
    name: str
    kind: str
    text: str
    shape: tuple[int, int, int]
    params: int
    macs: int


def describe_layer(module: nn.Module) -> tuple[str, str]:
    """(kind, short text) of a layer, from its own attributes: ``("conv", "3x3 conv,
    16->32, stride 2")``, ``("bn", "batch norm, 32 channels")``, ``("relu", "ReLU")``; the
    text in the language cnnlab speaks (it labels the boxes of ``plot_blocks``)."""
    if isinstance(module, nn.Conv2d):
        kh, kw = module.kernel_size
        sizes = {"kh": kh, "kw": kw, "c_in": module.in_channels, "c_out": module.out_channels}
        if module.stride[0] != 1:
            text = tr("{kh}x{kw} conv, {c_in}->{c_out}, stride {stride}")
            return "conv", text.format(stride=module.stride[0], **sizes)
        return "conv", tr("{kh}x{kw} conv, {c_in}->{c_out}").format(**sizes)
    if isinstance(module, nn.BatchNorm2d):
        return "bn", tr("batch norm, {n} channels").format(n=module.num_features)
    if isinstance(module, nn.ReLU):
        return "relu", "ReLU"
    raise ValueError(tr("no description for a {kind} layer").format(kind=type(module).__name__))


def path_costs(path: str, layers, c: int, size: tuple[int, int]) -> list[LayerCost]:
    """LayerCost rows of ``layers`` ([(name, module)], applied in order) to an input of
    ``c`` channels and spatial ``size`` (H, W)."""
    rows = []
    h, w = size
    for name, m in layers:
        kind, text = describe_layer(m)
        params = sum(p.numel() for p in m.parameters())
        macs = 0
        if kind == "conv":
            (kh, kw), (sh, sw), (ph, pw) = m.kernel_size, m.stride, m.padding
            h = arith.conv_output_size(h, kh, ph, sh)
            w = arith.conv_output_size(w, kw, pw, sw)
            c = m.out_channels
            bias = m.bias is not None
            params = arith.conv_params((kh, kw), m.in_channels, c, bias=bias)
            macs = arith.conv_macs((h, w), (kh, kw), m.in_channels, c)
        rows.append(LayerCost(path, name, kind, text, (c, h, w), params, macs))
    return rows


def block_costs(block: Residual, size) -> list[LayerCost]:
    """LayerCost rows of a block's main path, then of its projection shortcut if it has
    one, for an input of spatial size ``size`` (int or (H, W)) with ``block.c_in``
    channels. Sum ``params`` to get the block's parameter count (PyTorch's count of
    ``block.parameters()``), ``macs`` to get its multiplications (the convolutions';
    a batch norm adds one multiplication per output number, a ReLU none)."""
    if not isinstance(block, Residual):
        raise ValueError(
            tr("block must be a cnnlab.resnet block, got {kind}").format(kind=type(block).__name__)
        )
    if isinstance(size, int) and not isinstance(size, bool):
        size = (size, size)
    if not isinstance(size, tuple) or len(size) != 2:
        raise ValueError(
            tr("size must be an int or an (H, W) pair, got {size!r}").format(size=size)
        )
    size = tuple(check_int("size", s, 1) for s in size)
    rows = path_costs("main", block.main.named_children(), block.c_in, size)
    if block.proj is not None:
        rows += path_costs("shortcut", [("proj", block.proj)], block.c_in, size)
    return rows


def totals(rows) -> tuple[int, int]:
    """(parameters, multiplications) summed over LayerCost rows."""
    return sum(r.params for r in rows), sum(r.macs for r in rows)
