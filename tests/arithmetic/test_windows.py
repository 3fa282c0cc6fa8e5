"""cnnlab.arithmetic.windows: how often each input cell is read, checked against the
reference convolution's gradient, and the rows the floor drops."""

import numpy as np
import pytest

from cnnlab import arithmetic, conv

SETTINGS = [
    # n, f, p, s, d
    (7, 3, 0, 2, 1),
    (6, 3, 1, 1, 1),
    (8, 3, 0, 2, 1),
    (7, 3, 1, 2, 2),
    (16, 5, 2, 3, 2),
    (1, 1, 0, 1, 1),
    (9, 4, 0, 3, 1),
    (10, 3, 2, 2, 3),
]


@pytest.mark.parametrize("n, f, p, s, d", SETTINGS)
def test_window_counts_agree_with_the_convolution(n, f, p, s, d):
    # how often each input pixel is read = the gradient of sum(output) for a kernel of ones
    counts = arithmetic.window_counts(n, f, p, s, d)
    assert counts.shape == (n + 2 * p, n + 2 * p)
    x, w = np.zeros((1, 1, n, n)), np.ones((1, 1, f, f))
    y = conv.conv2d(x, w, stride=s, padding=p, dilation=d)
    dx, _, _ = conv.conv2d_backward(np.ones_like(y), x, w, stride=s, padding=p, dilation=d)
    assert np.array_equal(counts[p : p + n, p : p + n], dx[0, 0])
    out = y.shape[-1]
    assert counts.sum() == out * out * f * f  # each output reads f*f cells


@pytest.mark.parametrize("n, f, p, s, d", SETTINGS)
def test_dropped_rows_are_the_trailing_rows_nobody_reads(n, f, p, s, d):
    image = arithmetic.window_counts(n, f, p, s, d)[p : p + n, p : p + n]
    read = np.flatnonzero(image.sum(axis=1))
    unread_at_the_end = n - 1 - read[-1]
    if d == 1:
        assert arithmetic.dropped_rows(n, f, p, s, d) == unread_at_the_end
    else:  # with dilation the last rows may also fall in the gaps of the last window
        assert arithmetic.dropped_rows(n, f, p, s, d) <= unread_at_the_end


def test_impossible_settings_raise():
    with pytest.raises(ValueError, match="use padding >="):
        arithmetic.window_counts(3, 5)
    with pytest.raises(ValueError, match="use padding >="):
        arithmetic.dropped_rows(3, 5)
