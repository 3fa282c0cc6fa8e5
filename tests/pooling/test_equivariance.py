"""cnnlab.pooling.equivariance: shift operators and the measurements lesson 05 relies on."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnlab import conv, pool, pooling
from cnnlab.pooling.equivariance import (
    circular_conv2d,
    closest_shift,
    equivariance_error,
    equivariance_sides,
    shift,
    shifted_outputs,
    wrap_pad,
)

RNG = np.random.default_rng(0)
X = RNG.normal(size=(2, 3, 10, 12))
W = RNG.normal(size=(4, 3, 3, 3))


# shift


@pytest.mark.parametrize("dy, dx", [(0, 0), (1, 0), (0, -3), (4, 7), (-11, 25)])
def test_circular_shift_is_roll_and_undoes(dy, dx):
    moved = shift(X, dy, dx)
    np.testing.assert_array_equal(moved, np.roll(X, (dy, dx), axis=(2, 3)))
    np.testing.assert_array_equal(shift(moved, -dy, -dx), X)


def test_zero_shift_moves_content_and_fills_zeros():
    x = np.arange(1.0, 13.0).reshape(3, 4)
    y = shift(x, 1, -2, mode="zero")
    expected = np.array([[0, 0, 0, 0], [3, 4, 0, 0], [7, 8, 0, 0]], dtype=float)
    np.testing.assert_array_equal(y, expected)
    # definition: y[i, j] = x[i - dy, j - dx] where that exists, else 0
    for dy, dx in [(2, 3), (-1, 1), (0, -4), (3, 0), (-5, 9)]:
        y = shift(x, dy, dx, mode="zero")
        for i in range(3):
            for j in range(4):
                inside = 0 <= i - dy < 3 and 0 <= j - dx < 4
                assert y[i, j] == (x[i - dy, j - dx] if inside else 0)


def test_shift_keeps_leading_axes_and_dtype():
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    for mode in ("circular", "zero"):
        y = shift(x, 1, 1, mode=mode)
        assert y.shape == x.shape and y.dtype == x.dtype


@pytest.mark.parametrize(
    "args, match",
    [
        ((np.zeros(5), 1, 0), "2 spatial axes"),
        ((np.zeros((3, 3)), 1.5, 0), "integer number of pixels"),
        ((np.zeros((3, 3)), True, 0), "integer number of pixels"),
    ],
)
def test_shift_rejects_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        shift(*args)


def test_shift_rejects_unknown_mode():
    with pytest.raises(ValueError, match="circular"):
        shift(np.zeros((3, 3)), 1, 0, mode="reflect")


# circular convolution


@pytest.mark.parametrize("k, stride", [(3, 1), (5, 1), (2, 1), (4, 1), (3, 2), (3, 3)])
def test_circular_conv_shape_and_torch(k, stride):
    w = RNG.normal(size=(4, 3, k, k))
    y = circular_conv2d(X, w, stride=stride)
    assert y.shape == (2, 4, -(-10 // stride), -(-12 // stride))
    # torch: pad circularly (left/top (k-1)//2, right/bottom k//2), then a valid convolution
    lo, hi = (k - 1) // 2, k // 2
    xt = F.pad(torch.tensor(X), (lo, hi, lo, hi), mode="circular")
    ref = F.conv2d(xt, torch.tensor(w), stride=stride).numpy()
    np.testing.assert_allclose(y, ref, atol=1e-10)


def test_circular_conv_equals_zero_padded_conv_inside():
    y = circular_conv2d(X, W)
    z = conv.conv2d(X, W, padding=1)
    np.testing.assert_allclose(y[..., 1:-1, 1:-1], z[..., 1:-1, 1:-1], atol=1e-12)
    assert not np.allclose(y, z)  # the borders differ: wrap-around versus zeros


def test_wrap_pad():
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    p = wrap_pad(x, 3)
    assert p.shape == (1, 1, 6, 6)
    np.testing.assert_array_equal(p[0, 0, 0, 1:-1], x[0, 0, -1])  # top row = last row
    assert wrap_pad(x, (2, 4)).shape == (1, 1, 5, 7)
    with pytest.raises(ValueError, match="N, C, H, W"):
        wrap_pad(x[0], 3)
    with pytest.raises(ValueError, match="kernel_size"):
        wrap_pad(x, 0)


# equivariance_error and shifted_outputs


@pytest.mark.parametrize("dy, dx", [(0, 1), (1, 0), (3, -2), (-5, 7), (10, 12)])
def test_stride1_circular_ops_are_exactly_equivariant(dy, dx):
    ops = [
        lambda t: circular_conv2d(t, W),
        lambda t: np.maximum(circular_conv2d(t, W), 0),  # conv + ReLU
        lambda t: pool.max_pool2d(wrap_pad(t, 3), 3, stride=1),
        lambda t: pool.avg_pool2d(wrap_pad(t, 2), 2, stride=1),
    ]
    for op in ops:
        assert equivariance_error(op, X, dy, dx) < 1e-12


def test_zero_padded_conv_is_equivariant_only_away_from_the_borders():
    def op(t):
        return conv.conv2d(t, W, padding=1)

    for dy, dx in [(2, 3), (-1, 4), (0, -2)]:
        assert equivariance_error(op, X, dy, dx, mode="zero") > 0.1
        crop = (abs(dy) + 1, abs(dx) + 1)
        assert equivariance_error(op, X, dy, dx, mode="zero", crop=crop) < 1e-12


@pytest.mark.parametrize(
    "op",
    [
        lambda t: circular_conv2d(t, W, stride=2),
        lambda t: pool.max_pool2d(t, 2),
        lambda t: pool.avg_pool2d(circular_conv2d(t, W), 2),
    ],
)
def test_stride2_is_equivariant_to_even_shifts_only(op):
    for d in (2, 4, -2):
        assert equivariance_error(op, X, d, 0, scale=2) < 1e-12
        assert equivariance_error(op, X, 0, d, scale=2) < 1e-12
    with pytest.raises(ValueError, match="multiples of the stride"):
        shifted_outputs(op, X, 0, 1, scale=2)
    # a 1-pixel shift: no output shift explains it
    fx = op(X)
    err, _ = closest_shift(op(shift(X, 0, 1)), fx, max_shift=3)
    assert err > 0.1 * np.ptp(fx)


def test_equivariance_error_catches_a_non_equivariant_op():
    dense = RNG.normal(size=(120, 120))

    def fc(t):
        return (t.reshape(-1, 120) @ dense).reshape(t.shape)

    assert equivariance_error(fc, X, 0, 1) > 0.1


def test_equivariance_error_rejects_too_much_crop():
    with pytest.raises(ValueError, match="leaves nothing"):
        equivariance_error(lambda t: t, X, 0, 1, crop=5)
    assert equivariance_error(lambda t: t, X, 0, 1, crop=4) == 0


# closest_shift


def test_closest_shift_finds_the_shift():
    a = RNG.normal(size=(6, 7))
    for u, v in [(0, 0), (1, -2), (-2, 2)]:
        err, found = closest_shift(shift(a, u, v), a)
        assert err == 0 and found == (u, v)


def test_closest_shift_prefers_no_move_on_ties():
    err, found = closest_shift(np.ones((4, 4)), np.ones((4, 4)))
    assert err == 0 and found == (0, 0)


def test_closest_shift_validates():
    with pytest.raises(ValueError, match="same shape"):
        closest_shift(np.zeros((3, 3)), np.zeros((3, 4)))
    with pytest.raises(ValueError, match="max_shift"):
        closest_shift(np.zeros((3, 3)), np.zeros((3, 3)), max_shift=-1)


# equivariance_sides: what plot_equivariance shows


def test_equivariance_sides_exact_shift_of_a_circular_conv():
    x = RNG.normal(size=(9, 10))

    def op(t):
        return circular_conv2d(t, W[:1, :1])

    sides = equivariance_sides(op, x, 3, -2)
    assert sides["exact"] and sides["output_shift"] == (3, -2)
    np.testing.assert_array_equal(sides["shifted_input"], shift(x, 3, -2))
    np.testing.assert_allclose(sides["f_of_shifted"], sides["shifted_f"], atol=1e-12)
    np.testing.assert_allclose(sides["f"], op(x[None, None])[0, 0])
    assert sides["error"] < 1e-12 and sides["difference"].shape == (9, 10)


def test_equivariance_sides_without_an_exact_shift():
    x = RNG.normal(size=(8, 8))

    def op(t):
        return circular_conv2d(t, W[:1, :1], stride=2)

    sides = equivariance_sides(op, x, 0, 1, scale=2)
    assert not sides["exact"]
    err, found = closest_shift(sides["f_of_shifted"], sides["f"])
    assert sides["output_shift"] == found and sides["error"] == pytest.approx(err)
    with pytest.raises(ValueError, match="2D"):
        equivariance_sides(op, x[None], 0, 1)


def test_module_exports():
    assert pooling.SHIFT_MODES == ("circular", "zero")
    assert pooling.equivariance_error is equivariance_error
    assert pooling.shift_robustness is pooling.robustness.shift_robustness
