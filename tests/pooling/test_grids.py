"""cnnlab.pooling.grids: pooling one 2D grid, the window behind a cell, how far windows reach."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnlab import arith
from cnnlab.pooling.grids import covered, pool_grid, pooling_window

GRID = np.random.default_rng(3).integers(0, 10, (7, 7)).astype(float)


@pytest.mark.parametrize(
    "k, s, p", [(2, 2, 0), (3, 2, 1), (3, 1, 1), (2, 3, 0), (4, 2, 2), (1, 1, 0), (3, 3, 0)]
)
def test_pool_grid_matches_torch(k, s, p):
    xt = torch.tensor(GRID)[None, None]
    mx = F.max_pool2d(xt, k, s, p)[0, 0].numpy()
    av = F.avg_pool2d(xt, k, s, p)[0, 0].numpy()
    mn = -F.max_pool2d(-xt, k, s, p)[0, 0].numpy()
    np.testing.assert_allclose(pool_grid(GRID, k, s, p, "max"), mx)
    np.testing.assert_allclose(pool_grid(GRID, k, s, p, "avg"), av)
    np.testing.assert_allclose(pool_grid(GRID, k, s, p, "min"), mn)
    n_out = arith.conv_output_size(7, k, p, s)
    assert pool_grid(GRID, k, s, p).shape == (n_out, n_out)


def test_pool_grid_rejects_an_unknown_mode():
    with pytest.raises(ValueError, match="'max', 'avg' or 'min'"):
        pool_grid(GRID, 2, 2, mode="median")


@pytest.mark.parametrize(
    "k, s, p", [(2, 2, 0), (3, 2, 1), (3, 1, 1), (2, 3, 0), (4, 2, 2), (3, 3, 0)]
)
def test_pooling_window_is_what_each_output_summarises(k, s, p):
    out = pool_grid(GRID, k, s, p, "max")
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            win = pooling_window(GRID, k, s, p, i, j)
            assert win.shape == (k, k)
            assert np.nanmax(win) == out[i, j]


@pytest.mark.parametrize("n", range(3, 10))
@pytest.mark.parametrize("k, s, p", [(2, 2, 0), (3, 2, 1), (3, 1, 1), (2, 3, 0), (4, 2, 2)])
def test_covered_ends_where_the_last_window_ends(n, k, s, p):
    if n + 2 * p < k:
        return
    n_out = arith.conv_output_size(n, k, p, s)
    read = np.zeros(n + 2 * p, bool)
    for o in range(n_out):
        read[o * s : o * s + k] = True
    read = read[p : p + n]
    # cells past the last one read are never seen (gaps between windows, when the
    # stride exceeds the kernel, are not counted here)
    assert covered(n, k, s, p) == int(np.flatnonzero(read)[-1]) + 1
