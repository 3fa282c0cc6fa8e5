"""Where the windows of a convolution fall: how many output positions read each input cell,
and how many rows the floor of the output-size formula drops. Used by lesson 03.

The output-size formulas themselves are :mod:`cnnlab.arith`'s; these functions count what
those formulas leave implicit, from the same settings ``(n, f, p, s, d)``: input size,
kernel size, padding on each side, stride and dilation, square input and kernel.

>>> window_counts(3, 2)[0]        # valid 2x2 on 3x3: the corner feeds 1 output, an edge 2
array([1, 2, 1])
>>> dropped_rows(8, 3, s=2)       # 8x8, 3x3, stride 2: the last row is never read
1
"""

from __future__ import annotations

import numpy as np

from ..arith import conv_output_size, effective_kernel


def window_counts(n: int, f: int, p: int = 0, s: int = 1, d: int = 1) -> np.ndarray:
    """How many output positions read each cell of the padded input.

    Returns an int array of shape (n + 2p, n + 2p); the original image is
    ``counts[p:p+n, p:p+n]``. A cell with count 0 is never read (it lies past the last
    window that fits, or in a dilation gap of every window). Square input and kernel;
    the 2D count is the outer product of the 1D counts, one per axis. Impossible settings
    raise the ValueError of :func:`cnnlab.arith.conv_output_size`.

    >>> window_counts(4, 3)          # valid 3x3 on 4x4: corners feed 1 output, centre 4
    array([[1, 2, 2, 1],
           [2, 4, 4, 2],
           [2, 4, 4, 2],
           [1, 2, 2, 1]])
    """
    out = conv_output_size(n, f, p, s, d)  # validates and raises the arith message
    span = effective_kernel(f, d)
    line = np.zeros(n + 2 * p, dtype=int)
    for o in range(out):
        line[o * s : o * s + span : d] += 1
    return np.outer(line, line)


def dropped_rows(n: int, f: int, p: int = 0, s: int = 1, d: int = 1) -> int:
    """Rows (and columns) of the image itself that lie past the last window that fits.

    The floor in ``floor((n + 2p - d(f-1) - 1)/s) + 1`` drops ``(n + 2p - d(f-1) - 1) mod s``
    trailing rows of the padded input; those beyond the p rows of padding are image rows
    no output ever reads. Returns an int >= 0 (0 when every row is read or only padding is
    dropped). Impossible settings raise the ValueError of :func:`cnnlab.arith.conv_output_size`.

    >>> dropped_rows(7, 3, s=2), dropped_rows(8, 3, p=1, s=2)
    (0, 0)
    """
    conv_output_size(n, f, p, s, d)  # validates and raises the arith message
    return max(0, (n + 2 * p - effective_kernel(f, d)) % s - p)
