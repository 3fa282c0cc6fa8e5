"""Max and average pooling in NumPy, forward and backward, PyTorch semantics.

x is (N, C, H, W); pooling works on every channel separately, so C is unchanged, and it
has no parameters to learn. ``stride`` defaults to ``kernel_size`` (non-overlapping
windows, the usual choice); ``padding`` pads with -inf for max pooling and with zeros
(counted in the average) for average pooling, as ``torch.nn.functional`` does.
Used by lessons 04-07 (receptive fields, pooling, LeNet-5, classic networks).
"""

from __future__ import annotations

import math

import numpy as np

from .arith import CONV_FORMULA
from .i18n import tr
from .validate import as_real_array, as_tuple, check_memory
from .windows import pad, tap_slices, unpad, windows

NO_DILATION = (1, 1)


def max_pool2d(x, kernel_size, stride=None, padding=0):
    """Max of every window. x: (N, C, H, W) -> (N, C, H_out, W_out).

    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> max_pool2d(x, 2)[0, 0]
    array([[ 5.,  7.],
           [13., 15.]])
    """
    x, k, s, p = _check_pool_args(x, kernel_size, stride, padding, "max")
    return windows(pad(x, p, -np.inf), k, s, NO_DILATION).max(axis=(-2, -1))


def avg_pool2d(x, kernel_size, stride=None, padding=0):
    """Mean of every window (padding zeros count). x: (N, C, H, W) -> (N, C, H_out, W_out)."""
    x, k, s, p = _check_pool_args(x, kernel_size, stride, padding, "avg")
    return windows(pad(x, p, 0.0), k, s, NO_DILATION).mean(axis=(-2, -1))


def max_pool2d_backward(dout, x, kernel_size, stride=None, padding=0):
    """Gradient of ``max_pool2d``: each window sends its dout to the input that was its max.

    dout: (N, C, H_out, W_out); returns dx: (N, C, H, W). Overlapping windows add up.
    """
    x, k, s, p = _check_pool_args(x, kernel_size, stride, padding, "max")
    xp = pad(x, p, -np.inf)
    win = windows(xp, k, s, NO_DILATION)  # (N, C, Ho, Wo, KH, KW)
    dout = _check_dout(dout, win.shape[:4])
    flat = win.reshape(win.shape[:4] + (-1,))
    winner = flat.argmax(axis=-1)  # first max in each window, as PyTorch picks
    dxp = np.zeros(xp.shape, dtype=np.result_type(dout, x))
    # tap t of every window (t counts taps row by row, as argmax does) read input slice sl
    for t, (_, sl) in enumerate(tap_slices(k, s, NO_DILATION, win.shape[2:4])):
        dxp[:, :, sl[0], sl[1]] += np.where(winner == t, dout, 0)
    return unpad(dxp, p)


def avg_pool2d_backward(dout, x, kernel_size, stride=None, padding=0):
    """Gradient of ``avg_pool2d``: each window shares its dout equally, dout / (KH*KW) each.

    dout: (N, C, H_out, W_out); returns dx: (N, C, H, W).
    """
    x, k, s, p = _check_pool_args(x, kernel_size, stride, padding, "avg")
    xp_shape = x.shape[:2] + (x.shape[2] + 2 * p[0], x.shape[3] + 2 * p[1])
    out_hw = tuple((m - kk) // ss + 1 for m, kk, ss in zip(xp_shape[2:], k, s))
    dout = _check_dout(dout, x.shape[:2] + out_hw)
    share = dout / (k[0] * k[1])
    dxp = np.zeros(xp_shape, dtype=np.result_type(share, x))
    for _, sl in tap_slices(k, s, NO_DILATION, out_hw):
        dxp[:, :, sl[0], sl[1]] += share
    return unpad(dxp, p)


def _check_dout(dout, expected):
    dout = as_real_array("dout", dout)
    if dout.shape != tuple(expected):
        raise ValueError(
            tr("dout must have the forward output's shape {shape}, got {got}").format(
                shape=tuple(expected), got=dout.shape
            )
        )
    return dout


def _check_pool_args(x, kernel_size, stride, padding, kind):
    x = as_real_array("x", x)
    if x.ndim != 4:
        hint = tr(" (add a batch axis with x[None])") if x.ndim == 3 else ""
        raise ValueError(
            tr(
                "{kind}_pool2d expects x of shape (N, C, H, W) (4 dims), got {ndim} dims with "
                "shape {shape}{hint}"
            ).format(kind=kind, ndim=x.ndim, shape=x.shape, hint=hint)
        )
    if 0 in x.shape:
        raise ValueError(tr("sizes must be positive, got x {shape}").format(shape=x.shape))
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    k = as_tuple("kernel_size", kernel_size, 2, 1)
    s = k if stride is None else as_tuple("stride", stride, 2, 1)
    p = as_tuple("padding", padding, 2, 0)
    for axis, (n, kk, pp) in enumerate(zip(x.shape[2:], k, p)):
        if 2 * pp > kk:
            # PyTorch's rule: a window may not lie wholly in the padding
            raise ValueError(
                tr(
                    "pool padding must be at most half the kernel size: got padding {p} for "
                    "kernel {k}; use padding <= {most}"
                ).format(p=pp, k=kk, most=kk // 2)
            )
        if kk > n + 2 * pp:
            raise ValueError(
                tr(
                    "pool output size along spatial axis {axis} is not positive: input {n} "
                    "padded by {p} is {padded}, smaller than the window {k}; use a window <= "
                    "{padded}. Formula: {formula} (d=1)"
                ).format(axis=axis, n=n, p=pp, padded=n + 2 * pp, k=kk, formula=CONV_FORMULA)
            )
    padded = x.shape[0] * x.shape[1] * math.prod(m + 2 * pp for m, pp in zip(x.shape[2:], p))
    # the padded copy, the output, and in the backward pass dx, its padded copy and a mask
    check_memory(
        lambda: f"{kind}_pool2d of x {x.shape} (kernel {k}, stride {s}, padding {p})",
        4 * padded * 8,
        lambda: tr("use a smaller input or batch"),
    )
    return x, k, s, p
