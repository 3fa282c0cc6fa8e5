"""cnnlab.filters.stacking: two linear convolutions in a row are one."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnnlab import conv2d, filters


@given(
    c0=st.integers(1, 3),
    c1=st.integers(1, 3),
    c2=st.integers(1, 3),
    k1=st.tuples(st.integers(1, 4), st.integers(1, 4)),
    k2=st.tuples(st.integers(1, 4), st.integers(1, 4)),
    seed=st.integers(0, 2**16),
)
def test_combine_kernels_equals_two_convolutions(c0, c1, c2, k1, k2, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(2, c0, 9, 10))
    w1, b1 = rng.normal(size=(c1, c0) + k1), rng.normal(size=c1)
    w2, b2 = rng.normal(size=(c2, c1) + k2), rng.normal(size=c2)
    w = filters.combine_kernels(w1, w2)
    assert w.shape == (c2, c0, k1[0] + k2[0] - 1, k1[1] + k2[1] - 1)
    np.testing.assert_allclose(conv2d(conv2d(x, w1), w2), conv2d(x, w), atol=1e-10)
    b = filters.combine_biases(w2, b1, b2)
    np.testing.assert_allclose(conv2d(conv2d(x, w1, b1), w2, b2), conv2d(x, w, b), atol=1e-10)


def test_combine_kernels_2d_and_a_relu_breaks_it():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(1, 1, 12, 12))
    k1, k2 = filters.sobel_x(), filters.gaussian_blur()
    k = filters.combine_kernels(k1, k2)
    assert k.shape == (5, 5)
    np.testing.assert_allclose(
        conv2d(conv2d(x, k1[None, None]), k2[None, None]), conv2d(x, k[None, None]), atol=1e-12
    )
    with_relu = conv2d(np.maximum(conv2d(x, k1[None, None]), 0), k2[None, None])
    assert np.abs(with_relu - conv2d(x, k[None, None])).max() > 0.5
    # Smoothing then differentiating is differentiating the smoothed image: order is free.
    np.testing.assert_allclose(k, filters.combine_kernels(k2, k1), atol=1e-12)


def test_combine_kernels_rejects_mismatched_banks():
    with pytest.raises(ValueError, match="both be 2D"):
        filters.combine_kernels(np.ones((3, 3)), np.ones((1, 1, 3, 3)))
    with pytest.raises(ValueError, match="C_in=2"):
        filters.combine_kernels(np.ones((3, 1, 3, 3)), np.ones((1, 2, 3, 3)))
    with pytest.raises(ValueError, match="b1"):
        filters.combine_biases(np.ones((1, 2, 3, 3)), np.ones(3), np.ones(1))
    with pytest.raises(ValueError, match="real numbers"):
        filters.combine_kernels(np.array([["a"]]), np.ones((3, 3)))
