"""Plain and residual networks of equal depth, and the measurements lesson 08 makes on them.

A *plain* block is two 3x3 convolutions, ``relu(conv2(relu(conv1(x))))``; a *residual*
block adds its input back before the last ReLU, ``relu(f(x) + shortcut(x))`` with
``f = conv2(relu(conv1(x)))``. When the block changes the number of channels (or halves
height and width) the shortcut is either the *identity* (subsample, pad the new channels
with zeros: no parameters) or a *projection* (a strided 1x1 convolution: learned).
Nothing here uses batch normalisation, so the effect of the shortcuts is seen on its own.
"""

from __future__ import annotations

import numbers

import numpy as np
import torch
from torch import nn

from .arith import check_int

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
        if self.proj is not None:
            return self.proj(x)
        x = x[:, :, :: self.stride, :: self.stride]
        if self.c_out > self.c_in:  # zero channels: the identity on the old ones, no weights
            x = nn.functional.pad(x, (0, 0, 0, 0, 0, self.c_out - self.c_in))
        return x

    def forward(self, x):
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


def gradient_norms(model: nn.Module, x, y) -> np.ndarray:
    """Norm of the loss gradient with respect to each main-path layer's weights.

    x (N, C, H, W), y (N,) labels; one forward and backward pass of the mean cross-entropy
    on this batch, as the model is now (call it right after building the model to see the
    gradients at initialisation). Returns (depth(model),) float64, input layer first.
    The model's .grad fields are left cleared.
    """
    x = torch.as_tensor(np.asarray(x) if not torch.is_tensor(x) else x, dtype=torch.float32)
    y = torch.as_tensor(np.asarray(y) if not torch.is_tensor(y) else y).long()
    if x.ndim != 4 or len(x) != len(y):
        raise ValueError(
            f"need x (N, C, H, W) and y (N,), got {tuple(x.shape)} and {tuple(y.shape)}"
        )
    dev = next(model.parameters()).device
    model.zero_grad(set_to_none=True)
    model.train()
    loss = nn.functional.cross_entropy(model(x.to(dev)), y.to(dev))
    loss.backward()
    norms = np.array([m.weight.grad.norm().item() for _, m in weight_layers(model)])
    model.zero_grad(set_to_none=True)
    return norms


def fit_identity(
    block: nn.Module, x, steps: int = 100, lr: float = 1e-3, seed: int = 0
) -> np.ndarray:
    """Train ``block`` with Adam to output its input: minimise mean((block(x) - x)^2).

    x (N, C, H, W) non-negative (as after a ReLU, so the identity is reachable by a block
    that ends in a ReLU). Returns (steps + 1,) the error before each step and after the last.
    """
    steps = check_int("steps", steps, 0)
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real) or not lr > 0:
        raise ValueError(f"lr must be a number > 0, got {lr!r}")
    x = torch.as_tensor(np.asarray(x) if not torch.is_tensor(x) else x, dtype=torch.float32)
    if x.ndim != 4 or (x < 0).any():
        raise ValueError(f"x must be (N, C, H, W) and non-negative, got shape {tuple(x.shape)}")
    torch.manual_seed(seed)
    opt = torch.optim.Adam(block.parameters(), lr=lr)
    errors = []
    for i in range(steps + 1):
        loss = ((block(x) - x) ** 2).mean()
        errors.append(loss.item())
        if i < steps:
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
    return np.array(errors)
