"""Inputs for LeNet-5: the 8x8 scikit-learn digits brought to LeNet's 32x32, in NumPy.

Upsampling adds no information: it only spreads the same 64 pixels over more positions,
so the 5x5 filters see pieces of strokes at the size LeNet was built for. Used by lessons
06 and 07.

>>> upsample(np.ones((1, 1, 8, 8)), 32).shape
(1, 1, 32, 32)
"""

from __future__ import annotations

import numpy as np

from ..i18n import tr
from ..validate import check_int


def upsample(x, size: int = 32) -> np.ndarray:
    """Bilinear resize of a batch (N, C, h, w) to (N, C, size, size), in float32.

    The same numbers as ``torch.nn.functional.interpolate(x, size, mode="bilinear")``
    (pixel centres aligned, edges clamped), written as two small matrix products:
    out = A_h @ x @ A_w.T, where each row of A mixes the two nearest input pixels.
    """
    x = np.asarray(x, dtype=np.float32)
    if x.ndim != 4:
        raise ValueError(
            tr("upsample expects (N, C, h, w), got shape {shape}").format(shape=x.shape)
        )
    size = check_int("size", size, 1)
    a_h, a_w = interp_matrix(x.shape[2], size), interp_matrix(x.shape[3], size)
    return np.einsum("ih,nchw,jw->ncij", a_h, x, a_w).astype(np.float32)


def interp_matrix(n_in: int, n_out: int) -> np.ndarray:
    """(n_out, n_in) linear interpolation weights, half-pixel centres like PyTorch: row i
    mixes the two input pixels nearest to output pixel i (each row sums to 1)."""
    src = np.maximum((np.arange(n_out) + 0.5) * n_in / n_out - 0.5, 0.0)
    i0 = np.minimum(np.floor(src).astype(int), n_in - 1)
    i1 = np.minimum(i0 + 1, n_in - 1)
    frac = (src - i0).astype(np.float32)
    a = np.zeros((n_out, n_in), dtype=np.float32)
    np.add.at(a, (np.arange(n_out), i0), 1 - frac)
    np.add.at(a, (np.arange(n_out), i1), frac)
    return a
