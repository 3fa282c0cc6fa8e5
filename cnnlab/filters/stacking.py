"""Two linear convolutions in a row are one convolution: the combined kernel and bias.
Used by lesson 02 (why a ConvNet needs a non-linearity between its layers).

>>> combine_kernels(np.ones((3, 3)), np.ones((3, 3)))[0]
array([1., 2., 3., 2., 1.])
"""

from __future__ import annotations

import numpy as np

from ..conv import conv2d
from ..i18n import tr
from .kernels import as_real_array


def combine_kernels(w1, w2) -> np.ndarray:
    """The single kernel that does what ``w1`` then ``w2`` do (stride 1, no padding).

    ``conv2d(conv2d(x, w1), w2) == conv2d(x, combine_kernels(w1, w2))``: each output sums
    ``w2[b] * w1[a] * x[i + a + b]``, so the combined weight at offset ``c`` is the sum of
    ``w1[a] w2[b]`` over ``a + b = c`` (the full, flipped-kernel convolution of the two
    kernels), summed over the middle channels.

    Parameters
    ----------
    w1 : (K1h, K1w) or (C1, C0, K1h, K1w), the first layer's filters.
    w2 : (K2h, K2w) or (C2, C1, K2h, K2w), the second layer's.

    Returns
    -------
    (K1h + K2h - 1, K1w + K2w - 1), or (C2, C0, K1h + K2h - 1, K1w + K2w - 1).

    >>> combine_kernels(np.ones((3, 3)), np.ones((3, 3)))[0]
    array([1., 2., 3., 2., 1.])
    """
    a = as_real_array("w1", w1)
    b = as_real_array("w2", w2)
    if a.ndim != b.ndim or a.ndim not in (2, 4):
        raise ValueError(
            tr(
                "w1 and w2 must both be 2D kernels (K, K) or both 4D filter banks "
                "(C_out, C_in, K, K), got shapes {shape1} and {shape2}"
            ).format(shape1=a.shape, shape2=b.shape)
        )
    grey = a.ndim == 2
    if grey:
        a, b = a[None, None], b[None, None]
    if b.shape[1] != a.shape[0]:
        raise ValueError(
            tr(
                "w2 expects C_in={c_in} channels but w1 makes {c_out} (w1 is "
                "(C1, C0, K, K) = {shape1}, w2 (C2, C1, K, K) = {shape2})"
            ).format(c_in=b.shape[1], c_out=a.shape[0], shape1=a.shape, shape2=b.shape)
        )
    k2h, k2w = b.shape[2:]
    # Treat w1 as a batch of C0 images with C1 channels; correlating it, zero-padded by the
    # size of w2 minus one, with the flipped w2 gives the full convolution of the kernels.
    stacked = np.pad(a.transpose(1, 0, 2, 3), ((0, 0), (0, 0), (k2h - 1,) * 2, (k2w - 1,) * 2))
    out = conv2d(stacked, np.flip(b, axis=(2, 3)))  # (C0, C2, K1h+K2h-1, K1w+K2w-1)
    out = out.transpose(1, 0, 2, 3)
    return out[0, 0] if grey else np.ascontiguousarray(out)


def combine_biases(w2, b1, b2) -> np.ndarray:
    """Bias of the single layer equal to two stacked linear conv layers.

    ``conv2d(conv2d(x, w1, b1), w2, b2) == conv2d(x, combine_kernels(w1, w2),
    combine_biases(w2, b1, b2))``: the constant ``b1`` passes through ``w2`` as
    ``sum(w2) * b1``. w2: (C2, C1, K, K); b1: (C1,); b2: (C2,). Returns (C2,).
    """
    w2 = as_real_array("w2", w2)
    b1 = as_real_array("b1", b1)
    b2 = as_real_array("b2", b2)
    if w2.ndim != 4 or b1.shape != (w2.shape[1],) or b2.shape != (w2.shape[0],):
        raise ValueError(
            tr("need w2 (C2, C1, K, K), b1 (C1,) and b2 (C2,), got {w2}, {b1} and {b2}").format(
                w2=w2.shape, b1=b1.shape, b2=b2.shape
            )
        )
    return b2 + w2.sum(axis=(2, 3)) @ b1
