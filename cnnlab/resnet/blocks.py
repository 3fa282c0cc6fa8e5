"""Plain and residual blocks, the bottleneck block, and networks of equal depth built from
them. Used by lesson 08 (ResNet) and its exercises.

Every block keeps its **main path** ``f`` as an ``nn.Sequential`` called ``main`` (the
layers in the order the input meets them) and its shortcut, when it has a learned one, as
``proj``; ``forward`` is ``relu(f(x) + shortcut(x))`` for a residual block and
``relu(f(x))`` for a plain one. The drawings of ``cnnlab.resnet.plot`` and the cost table
of ``cnnlab.resnet.costs`` read these two attributes, so they cannot drift from the code.

* :class:`Block` (the *basic* block): two 3x3 'same' convolutions, a ReLU between them,
  optionally a batch norm after each convolution (``norm=True``, as in He et al. 2015).
* :class:`Bottleneck`: 1x1 (shrink the channels) -> 3x3 -> 1x1 (expand them back), a
  batch norm after each, ReLUs after the first two.

When a block changes the number of channels (or halves height and width) the shortcut is
either the *identity* (subsample, pad the new channels with zeros: no parameters) or a
*projection* (a strided 1x1 convolution: learned).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import NamedTuple

import torch
from torch import nn

from ..i18n import tr
from ..validate import check_flag, check_int

SHORTCUTS = ("identity", "projection")


class Residual(nn.Module):
    """What every block here shares: a main path ``main``, a shortcut, the addition.

    Subclasses build ``self.main`` (an ``nn.Sequential``) and call :meth:`set_shortcut`.
    Input (N, c_in, H, W) -> output (N, c_out, ceil(H/stride), ceil(W/stride)).
    """

    def set_shortcut(self, c_in, c_out, stride, residual, shortcut):
        if shortcut not in SHORTCUTS:
            raise ValueError(
                tr("shortcut must be one of {shortcuts}, got {shortcut!r}").format(
                    shortcuts=SHORTCUTS, shortcut=shortcut
                )
            )
        if residual and shortcut == "identity" and c_out < c_in:
            raise ValueError(
                tr(
                    "an identity shortcut can only add channels (zero padding), got c_in={c_in} > "
                    "c_out={c_out}; use shortcut='projection'"
                ).format(c_in=c_in, c_out=c_out)
            )
        self.residual, self.stride, self.c_in, self.c_out = residual, stride, c_in, c_out
        changes = stride != 1 or c_in != c_out
        self.proj = (
            nn.Conv2d(c_in, c_out, 1, stride=stride, bias=False)
            if residual and shortcut == "projection" and changes
            else None
        )

    def shortcut(self, x):
        """The path around f: (N, c_in, H, W) -> (N, c_out, ceil(H/stride), ceil(W/stride)),
        by the 1x1 projection, or by subsampling and zero channels (the identity)."""
        if self.proj is not None:
            return self.proj(x)
        x = x[:, :, :: self.stride, :: self.stride]
        if self.c_out > self.c_in:  # zero channels: the identity on the old ones, no weights
            x = nn.functional.pad(x, (0, 0, 0, 0, 0, self.c_out - self.c_in))
        return x

    def forward(self, x):
        """``relu(f(x) + shortcut(x))``, or ``relu(f(x))`` for a plain block."""
        f = self.main(x)
        return torch.relu(f + self.shortcut(x)) if self.residual else torch.relu(f)

    def __getattr__(self, name):
        # block.conv1, block.bn2, ...: the layers of the main path by their own names
        try:
            return super().__getattr__(name)
        except AttributeError:
            main = self._modules.get("main")
            if main is not None and name in main._modules:
                return main._modules[name]
            raise


def conv_bn(name, c_in, c_out, f, stride, norm, layers):
    """Append ``name`` (an f x f conv, 'same' padding) and, with ``norm``, its batch norm
    (``bn`` + the conv's number) to the OrderedDict ``layers``. A conv followed by a batch
    norm has no bias: the norm's beta does that job."""
    layers[name] = nn.Conv2d(c_in, c_out, f, stride=stride, padding=f // 2, bias=not norm)
    if norm:
        layers["bn" + name[len("conv") :]] = nn.BatchNorm2d(c_out)


class Block(Residual):
    """The basic block: two 3x3 'same' convolutions with ReLUs, with or without a shortcut.

    Input (N, c_in, H, W) -> output (N, c_out, H/stride, W/stride).
    residual: add the shortcut before the last ReLU. shortcut: "identity" (zero-padded
    channels, no parameters) or "projection" (1x1 conv, stride ``stride``, no bias); it only
    matters when c_in != c_out or stride != 1. norm: a batch norm after each convolution
    (``main`` = conv1, bn1, relu1, conv2, bn2). zero_init: start the last layer of the main
    path at zero, so a residual block starts as exactly the identity on non-negative inputs.
    """

    def __init__(
        self,
        c_in,
        c_out,
        stride=1,
        residual=True,
        shortcut="identity",
        zero_init=False,
        norm=False,
    ):
        super().__init__()
        c_in, c_out = check_int("c_in", c_in, 1), check_int("c_out", c_out, 1)
        stride = check_int("stride", stride, 1)
        norm = check_flag("norm", norm)
        layers: OrderedDict = OrderedDict()
        conv_bn("conv1", c_in, c_out, 3, stride, norm, layers)
        layers["relu1"] = nn.ReLU()
        conv_bn("conv2", c_out, c_out, 3, 1, norm, layers)
        self.main = nn.Sequential(layers)
        if zero_init:
            last = self.main[-1]
            nn.init.zeros_(last.weight)
            nn.init.zeros_(last.bias)
        self.set_shortcut(c_in, c_out, stride, residual, shortcut)


class Bottleneck(Residual):
    """The bottleneck block of ResNet-50/101/152: 1x1 conv (c_in -> mid), 3x3 conv (mid ->
    mid, stride ``stride``), 1x1 conv (mid -> c_out), a batch norm after each, ReLUs after
    the first two, then the shortcut is added and a last ReLU applied.

    Input (N, c_in, H, W) -> output (N, c_out, H/stride, W/stride). The 3x3 conv, the
    expensive one, works on ``mid`` channels only (ResNet-50: mid = c_out / 4).
    """

    def __init__(self, c_in, mid, c_out, stride=1, residual=True, shortcut="projection"):
        super().__init__()
        c_in, mid = check_int("c_in", c_in, 1), check_int("mid", mid, 1)
        c_out, stride = check_int("c_out", c_out, 1), check_int("stride", stride, 1)
        layers: OrderedDict = OrderedDict()
        conv_bn("conv1", c_in, mid, 1, 1, True, layers)
        layers["relu1"] = nn.ReLU()
        conv_bn("conv2", mid, mid, 3, stride, True, layers)
        layers["relu2"] = nn.ReLU()
        conv_bn("conv3", mid, c_out, 1, 1, True, layers)
        self.main = nn.Sequential(layers)
        self.set_shortcut(c_in, c_out, stride, residual, shortcut)


class Net(nn.Module):
    """A stem conv, ``blocks`` basic blocks in ``stages`` stages (widths ``width``,
    ``2*width``, ``4*width``, ...; every stage after the first starts with stride 2, halving
    height and width), global average pooling (the mean of each channel over all positions)
    and a linear classifier. The blocks are shared out evenly, any remainder going to the
    last stages: ``Net(10)`` has 5 + 5, ``Net(9, stages=3)`` 3 + 3 + 3 (He et al.'s CIFAR
    family is ``Net(3 * n, stages=3)``: depth 6n + 2).

    Depth in layers with weights: ``2 * blocks + 2`` (stem, 2 convs per block, the linear
    layer); projection shortcuts and batch norms are not counted. norm: a batch norm after
    every convolution (the stem's too). zero_init: every block's last layer starts at zero
    (``Block``'s zero_init), so a residual net starts with every block the identity.
    Input (N, c_in, H, W) -> (N, classes).
    """

    def __init__(
        self,
        blocks: int,
        residual: bool,
        *,
        width: int = 16,
        stages: int = 2,
        shortcut: str = "identity",
        norm: bool = False,
        zero_init: bool = False,
        c_in: int = 1,
        classes: int = 10,
    ):
        super().__init__()
        stages = check_int("stages", stages, 1)
        blocks = check_int("blocks", blocks, max(2, stages))
        width = check_int("width", width, 1)
        norm = check_flag("norm", norm)
        self.stem = nn.Conv2d(c_in, width, 3, padding=1, bias=not norm)
        self.stem_norm = nn.BatchNorm2d(width) if norm else nn.Identity()
        kw = dict(residual=residual, shortcut=shortcut, norm=norm, zero_init=zero_init)
        layers, c = [], width
        for i, n in enumerate(stage_sizes(blocks, stages)):
            for j in range(n):
                stride = 2 if i > 0 and j == 0 else 1
                layers.append(Block(c, width * 2**i, stride, **kw))
                c = width * 2**i
        self.blocks = nn.Sequential(*layers)
        self.head = nn.Linear(c, classes)

    def forward(self, x):
        """(N, c_in, H, W) images -> (N, classes) scores (before the softmax)."""
        x = self.blocks(torch.relu(self.stem_norm(self.stem(x))))
        return self.head(x.mean(dim=(2, 3)))


def stage_sizes(blocks: int, stages: int) -> list[int]:
    """Blocks per stage, shared out evenly, the remainder going to the last stages.

    >>> stage_sizes(10, 2), stage_sizes(3, 2), stage_sizes(15, 3)
    ([5, 5], [1, 2], [5, 5, 5])
    """
    q, r = divmod(blocks, stages)
    return [q + (1 if i >= stages - r else 0) for i in range(stages)]


class BlockLayers(NamedTuple):
    """The layers of a basic block with batch norm, by name, for a forward pass written by
    hand (lesson 08, exercise 3). proj is the 1x1 projection, or None when the shortcut is
    the block's input itself. Not callable: the point is to call the layers."""

    conv1: nn.Conv2d
    bn1: nn.BatchNorm2d
    conv2: nn.Conv2d
    bn2: nn.BatchNorm2d
    proj: nn.Conv2d | None


def block_layers(block: Block) -> BlockLayers:
    """The layers of ``block`` (a ``Block`` built with ``norm=True``) as a BlockLayers."""
    if not isinstance(block, Block) or getattr(block, "bn1", None) is None:
        raise ValueError(
            tr(
                "block must be a cnnlab.resnet.Block built with norm=True, got {block!r:.60}"
            ).format(block=block)
        )
    return BlockLayers(block.conv1, block.bn1, block.conv2, block.bn2, block.proj)


def depth(model: nn.Module) -> int:
    """Layers with weights on the main path: convolutions and linear layers, not the 1x1
    projection shortcuts (nor the batch norms)."""
    return len(weight_layers(model))


def weight_layers(model: nn.Module) -> list[tuple[str, nn.Module]]:
    """(name, module) of every Conv2d/Linear on the main path, input to output."""
    return [
        (name, m)
        for name, m in model.named_modules()
        if isinstance(m, (nn.Conv2d, nn.Linear)) and not name.endswith("proj")
    ]
