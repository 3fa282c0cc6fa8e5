"""Pooling one 2D grid, window by window, as the pooling picture of lesson 05 explains it.

``pool_grid`` pools an (H, W) grid with max, average or min pooling (``cnnlab.pool`` does the
work); ``pooling_window`` is the window behind one output cell, padding included; and
``covered`` says how far along an axis the windows reach (a stride that does not divide
evenly leaves the last rows or columns unread). Used by lesson 05 and its pooling explorer.

>>> pool_grid(np.arange(16.0).reshape(4, 4), 2, 2)
array([[ 5.,  7.],
       [13., 15.]])
"""

from __future__ import annotations

import numpy as np

from ..arith import conv_output_size
from ..i18n import tr
from ..pool import avg_pool2d, max_pool2d
from ..validate import check_int

#: The pooling types: keep the largest value of each window, its mean, or its smallest.
POOL_MODES = ("max", "avg", "min")


def pool_grid(x, kernel, stride, padding=0, mode="max"):
    """Pool one 2D grid with cnnlab.pool: mode ``"max"``, ``"avg"`` or ``"min"``.

    x: (H, W) -> (H_out, W_out). Min pooling is ``-max_pool(-x)`` (padding acts as +inf);
    average pooling counts padded zeros, as PyTorch does by default. Impossible settings
    raise the ValueError of cnnlab.pool.

    >>> pool_grid([[1, 2], [3, 4]], 2, 2, mode="min")
    array([[1.]])
    """
    if mode not in POOL_MODES:
        raise ValueError(
            tr("pooling mode must be 'max', 'avg' or 'min', got {mode!r}").format(mode=mode)
        )
    x4 = np.asarray(x, dtype=float)[None, None]
    if mode == "max":
        return max_pool2d(x4, kernel, stride, padding)[0, 0]
    if mode == "min":
        return -max_pool2d(-x4, kernel, stride, padding)[0, 0]
    return avg_pool2d(x4, kernel, stride, padding)[0, 0]


def pooling_window(x, kernel: int, stride: int, padding: int, i: int, j: int):
    """The window that output cell (i, j) summarises: (kernel, kernel) values of the (H, W)
    grid ``x`` padded by ``padding``, with NaN where the window lies on the padding.

    >>> pooling_window(np.arange(16.0).reshape(4, 4), 3, 2, 1, 0, 0)
    array([[nan, nan, nan],
           [nan,  0.,  1.],
           [nan,  4.,  5.]])
    """
    k, s, p = check_int("kernel", kernel, 1), check_int("stride", stride, 1), int(padding)
    xp = np.pad(np.asarray(x, dtype=float), p, constant_values=np.nan)
    return xp[i * s : i * s + k, j * s : j * s + k]


def covered(n: int, kernel: int, stride: int, padding: int = 0) -> int:
    """Where the windows along an axis of ``n`` input cells stop: cells ``covered ..
    n-1`` lie past the end of the last window and are never seen.

    The last window starts at ``(n_out - 1) * stride - padding``; cells are left past its
    end when the stride does not divide ``n + 2p - f``. (A stride larger than the window
    also skips cells between windows; those are not counted here.)

    >>> covered(7, 2, 2), covered(6, 2, 2), covered(7, 3, 2, 1)
    (6, 6, 7)
    """
    n_out = conv_output_size(n, kernel, p=padding, s=stride)
    return min((n_out - 1) * stride + kernel - padding, n)
