"""Sliding windows: the indexing that convolution and pooling share.

A kernel of size ``k`` with stride ``s`` and dilation ``d`` puts output position ``o`` over
the padded input positions ``o*s + j*d`` for ``j = 0 .. k-1``. Everything here is that one
rule, as NumPy views and slices, for any number of spatial axes. Used by ``cnnlab.conv``,
``cnnlab.conv_fast`` and ``cnnlab.pool`` (lessons 02-06 and 12).

>>> x = np.arange(5.0).reshape(1, 1, 5)
>>> windows(x, (3,), (2,), (1,))[0, 0]          # two windows of 3, two apart
array([[0., 1., 2.],
       [2., 3., 4.]])
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .arith import effective_kernel


def pad(x, padding, value=0.0):
    """Pad every spatial axis of (N, C, *S) by ``padding[i]`` on both sides with ``value``."""
    if not any(padding):
        return x
    return np.pad(x, [(0, 0), (0, 0)] + [(p, p) for p in padding], constant_values=value)


def unpad(xp, padding):
    """Undo :func:`pad`: (N, C, *S_padded) -> a contiguous (N, C, *S)."""
    inside = tuple(slice(p, m - p) for p, m in zip(padding, xp.shape[2:]))
    return np.ascontiguousarray(xp[(slice(None), slice(None)) + inside])


def out_shape(spatial, kernel, stride, padding, dilation):
    """Output spatial shape of a window sliding over ``spatial`` zero-padded by ``padding``:
    ``floor((n + 2p - d(k-1) - 1) / s) + 1`` per axis."""
    return tuple(
        (m + 2 * p - effective_kernel(k, d)) // s + 1
        for m, k, s, p, d in zip(spatial, kernel, stride, padding, dilation)
    )


def windows(xp, kernel, stride, dilation):
    """Every kernel-sized window of a padded input, as a view (no copy).

    xp: (N, C, *S) -> (N, C, *S_out, *K), where ``[..., o, j] = xp[..., o*s + j*d]``: moving
    one output position steps s elements of the input, one kernel tap steps d.
    """
    spatial = xp.strides[2:]
    out_sp = out_shape(xp.shape[2:], kernel, stride, (0,) * len(kernel), dilation)
    strides = (
        xp.strides[:2]
        + tuple(st * s for st, s in zip(spatial, stride))
        + tuple(st * d for st, d in zip(spatial, dilation))
    )
    # as_strided rather than sliding_window_view: the same view, built in a fifth of the
    # time, which matters for the small images learners convolve one call at a time
    return as_strided(xp, xp.shape[:2] + out_sp + tuple(kernel), strides, writeable=False)


def tap_slices(kernel, stride, dilation, out_sp):
    """For every kernel tap, the part of the padded input it meets.

    Yields (tap index j, spatial slices): tap j of output position o reads input
    o*s + j*d, so over all outputs it reads the strided slice j*d, j*d + s, ...
    """
    for j_index in np.ndindex(*kernel):
        yield (
            j_index,
            tuple(
                slice(j * d, j * d + s * (o - 1) + 1, s)
                for j, d, s, o in zip(j_index, dilation, stride, out_sp)
            ),
        )
