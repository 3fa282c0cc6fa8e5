"""Plain and residual blocks, and networks of equal depth built from them. Used by lesson 08
(ResNet) and its exercises.

A *plain* block is two 3x3 convolutions, ``relu(conv2(relu(conv1(x))))``; a *residual*
block adds its input back before the last ReLU, ``relu(f(x) + shortcut(x))`` with
``f = conv2(relu(conv1(x)))``. When the block changes the number of channels (or halves
height and width) the shortcut is either the *identity* (subsample, pad the new channels
with zeros: no parameters) or a *projection* (a strided 1x1 convolution: learned).
Nothing here uses batch normalisation, so the effect of the shortcuts is seen on its own.
"""

from __future__ import annotations

import torch
from torch import nn

from ..validate import check_int

SHORTCUTS = ("identity", "projection")


class Block(nn.Module):
    """Two 3x3 'same' convolutions with ReLUs, with or without a shortcut.

    Input (N, c_in, H, W) -> output (N, c_out, H/stride, W/stride).
    residual: add the shortcut before the last ReLU. shortcut: "identity" (zero-padded
    channels, no parameters) or "projection" (1x1 conv, stride ``stride``, no bias); it only
    matters when c_in != c_out or stride != 1. zero_init: start the second conv at zero, so
    a residual block starts as exactly the identity on non-negative inputs.
    """

    def __init__(self, c_in, c_out, stride=1, residual=True, shortcut="identity", zero_init=False):
        super().__init__()
        c_in, c_out = check_int("c_in", c_in, 1), check_int("c_out", c_out, 1)
        stride = check_int("stride", stride, 1)
        if shortcut not in SHORTCUTS:
            raise ValueError(f"shortcut must be one of {SHORTCUTS}, got {shortcut!r}")
        if residual and shortcut == "identity" and c_out < c_in:
            raise ValueError(
                f"an identity shortcut can only add channels (zero padding), got c_in={c_in} > "
                f"c_out={c_out}; use shortcut='projection'"
            )
        self.residual, self.stride, self.c_in, self.c_out = residual, stride, c_in, c_out
        self.conv1 = nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, padding=1)
        if zero_init:
            nn.init.zeros_(self.conv2.weight)
            nn.init.zeros_(self.conv2.bias)
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
        """(N, c_in, H, W) -> (N, c_out, ceil(H/stride), ceil(W/stride)):
        ``relu(f(x) + shortcut(x))``, or ``relu(f(x))`` for a plain block."""
        f = self.conv2(torch.relu(self.conv1(x)))
        return torch.relu(f + self.shortcut(x)) if self.residual else torch.relu(f)


class Net(nn.Module):
    """A stem conv, ``blocks`` blocks in two stages (widths ``width`` and ``2*width``, the
    second starting with stride 2), global average pooling and a linear classifier.

    Depth in layers with weights: ``2 * blocks + 2`` (stem, 2 convs per block, the linear
    layer); projection shortcuts are not counted. Input (N, c_in, H, W) -> (N, classes).
    """

    def __init__(
        self,
        blocks: int,
        residual: bool,
        *,
        width: int = 16,
        shortcut: str = "identity",
        c_in: int = 1,
        classes: int = 10,
    ):
        super().__init__()
        blocks = check_int("blocks", blocks, 2)
        width = check_int("width", width, 1)
        self.stem = nn.Conv2d(c_in, width, 3, padding=1)
        half = blocks // 2
        layers = [Block(width, width, 1, residual, shortcut) for _ in range(half)]
        layers.append(Block(width, 2 * width, 2, residual, shortcut))
        layers += [
            Block(2 * width, 2 * width, 1, residual, shortcut) for _ in range(blocks - half - 1)
        ]
        self.blocks = nn.Sequential(*layers)
        self.head = nn.Linear(2 * width, classes)

    def forward(self, x):
        """(N, c_in, H, W) images -> (N, classes) scores (before the softmax)."""
        x = self.blocks(torch.relu(self.stem(x)))
        return self.head(x.mean(dim=(2, 3)))


def depth(model: nn.Module) -> int:
    """Layers with weights on the main path: convolutions and linear layers, not the 1x1
    projection shortcuts."""
    return len(weight_layers(model))


def weight_layers(model: nn.Module) -> list[tuple[str, nn.Module]]:
    """(name, module) of every Conv2d/Linear on the main path, input to output."""
    return [
        (name, m)
        for name, m in model.named_modules()
        if isinstance(m, (nn.Conv2d, nn.Linear)) and not name.endswith("proj")
    ]
