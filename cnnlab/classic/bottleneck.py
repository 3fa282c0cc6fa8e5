"""The 1x1 bottleneck: what a 1x1 conv in front of an f x f conv saves, counted and timed.

:func:`bottleneck_costs` counts multiplications and parameters with ``cnnlab.arith``;
:func:`plain_conv` and :func:`bottleneck_conv` are the two versions in PyTorch, and
:func:`time_forward` times them. Used by lesson 07 (the Inception module).

>>> costs = bottleneck_costs()            # the notes' 5x5 conv on 28x28x192
>>> costs["plain"][0], costs["reduce"][0] + costs["conv"][0]
(120422400, 12443648)
"""

from __future__ import annotations

import time

import numpy as np
import torch
from torch import nn

from ..arith import conv_macs, conv_params, same_padding
from ..validate import check_int


def plain_conv(c_in: int = 192, c_out: int = 32, f: int = 5) -> nn.Module:
    """One f x f 'same' conv (+ReLU): (N, c_in, H, W) -> (N, c_out, H, W)."""
    return nn.Sequential(nn.Conv2d(c_in, c_out, f, padding=(f - 1) // 2), nn.ReLU())


def bottleneck_conv(c_in: int = 192, mid: int = 16, c_out: int = 32, f: int = 5) -> nn.Module:
    """A 1x1 conv down to ``mid`` channels, then the f x f 'same' conv (ReLU after each):
    (N, c_in, H, W) -> (N, c_out, H, W)."""
    return nn.Sequential(
        nn.Conv2d(c_in, mid, 1),
        nn.ReLU(),
        nn.Conv2d(mid, c_out, f, padding=(f - 1) // 2),
        nn.ReLU(),
    )


def bottleneck_costs(n: int = 28, c_in: int = 192, c_out: int = 32, f: int = 5, mid: int = 16):
    """Multiplications and parameters of an f x f 'same' conv, plain and with a 1x1 bottleneck.

    Returns {"plain": (macs, params), "reduce": (macs, params), "conv": (macs, params)}:
    the plain conv c_in -> c_out on an n x n input, and the two parts of the bottleneck
    version (1x1: c_in -> mid; f x f: mid -> c_out). Raises ValueError for an even f (no
    'same' padding) and for sizes < 1.
    """
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
