"""cnnlab.pool against torch.nn.functional, numerical gradient checks and error messages.

The sweeps include overlapping windows (stride < kernel), strides that do not divide the
input, rectangular kernels and padding, so a backward pass that only works for 2x2 windows
at stride 2, or that forgets the stride, fails here.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, note
from hypothesis import strategies as st

import cnnlab
from cnnlab import pool
from cnnlab.layers import numerical_gradient, rel_error

OURS = {"max": (pool.max_pool2d, pool.max_pool2d_backward), "avg": (pool.avg_pool2d, pool.avg_pool2d_backward)}  # fmt: skip
TORCH = {"max": F.max_pool2d, "avg": F.avg_pool2d}


def _pair_param(draw, lo, hi):
    """(as passed, per axis): an int, the same int as a pair, or two different values."""
    if draw(st.booleans()):
        v = draw(st.integers(lo, hi))
        return (v if draw(st.booleans()) else (v, v)), (v, v)
    values = (draw(st.integers(lo, hi)), draw(st.integers(lo, hi)))
    return values, values


@st.composite
def pool_cases(draw):
    """kernel_size, stride (None = kernel), padding (<= half the kernel, as PyTorch allows)
    and an input at least as large as one padded window."""
    kernel, k = _pair_param(draw, 1, 4)
    stride = None if draw(st.booleans()) else _pair_param(draw, 1, 4)[0]
    pads = tuple(draw(st.integers(0, kk // 2)) for kk in k)
    padding = pads[0] if pads[0] == pads[1] and draw(st.booleans()) else pads
    hw = tuple(
        draw(st.integers(max(1, kk - 2 * p), max(1, kk - 2 * p) + 6)) for kk, p in zip(k, pads)
    )
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 3)), *hw)
    return (
        dict(kernel_size=kernel, stride=stride, padding=padding),
        shape,
        draw(st.integers(0, 2**32 - 1)),
    )


def torch_pool(kind, x, kwargs, dout=None):
    xt = torch.tensor(x, requires_grad=True)
    out = TORCH[kind](xt, **kwargs)
    if dout is None:
        return out.detach().numpy()
    out.backward(torch.tensor(dout))
    return xt.grad.numpy()


@pytest.mark.parametrize("kind", ["max", "avg"])
@given(case=pool_cases())
def test_pool_forward_and_backward_match_torch(kind, case):
    kwargs, shape, seed = case
    note(f"{kind} {kwargs} x{shape}")
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)  # continuous values: no ties inside a window
    x0 = x.copy()
    forward, backward = OURS[kind]
    out = forward(x, **kwargs)
    expected = torch_pool(kind, x, kwargs)
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-12)
    dout = rng.standard_normal(out.shape)
    dx = backward(dout, x, **kwargs)
    assert dx.shape == x.shape
    np.testing.assert_allclose(dx, torch_pool(kind, x, kwargs, dout), rtol=1e-5, atol=1e-12)
    np.testing.assert_array_equal(x, x0)  # the input is not modified


@pytest.mark.parametrize("kind", ["max", "avg"])
def test_float32_in_float32_out_close_to_torch(kind):
    x = np.random.default_rng(3).standard_normal((2, 3, 9, 8)).astype(np.float32)
    kwargs = dict(kernel_size=3, stride=2, padding=1)
    forward, backward = OURS[kind]
    out = forward(x, **kwargs)
    dout = np.ones_like(out)
    dx = backward(dout, x, **kwargs)
    assert out.dtype == np.float32 and dx.dtype == np.float32
    np.testing.assert_allclose(out, torch_pool(kind, x, kwargs), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(dx, torch_pool(kind, x, kwargs, dout), rtol=1e-5, atol=1e-6)


# ---------------------------------------------------------------------------------------
# worked examples


def test_max_pool_2x2_worked_example():
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    np.testing.assert_array_equal(cnnlab.max_pool2d(x, 2)[0, 0], [[5, 7], [13, 15]])
    np.testing.assert_array_equal(cnnlab.avg_pool2d(x, 2)[0, 0], [[2.5, 4.5], [10.5, 12.5]])


def test_pooling_keeps_channels_and_stride_defaults_to_kernel():
    x = np.random.default_rng(0).standard_normal((2, 5, 9, 7))
    assert cnnlab.max_pool2d(x, 3).shape == (2, 5, 3, 2)
    np.testing.assert_array_equal(cnnlab.max_pool2d(x, 3), cnnlab.max_pool2d(x, 3, stride=3))
    assert cnnlab.avg_pool2d(x, (3, 2), stride=(2, 1)).shape == (2, 5, 4, 6)


def test_overlapping_max_pool_backward_adds_up_when_one_pixel_wins_twice():
    # kernel 3, stride 2: column 2 lies in both windows and holds the largest value
    x = np.array([[[[0.0, 1.0, 9.0, 2.0, 3.0]]]])
    dout = np.array([[[[1.0, 10.0]]]])
    dx = cnnlab.max_pool2d_backward(dout, x, (1, 3), stride=(1, 2))
    np.testing.assert_array_equal(dx[0, 0, 0], [0, 0, 11, 0, 0])


def test_avg_pool_padding_zeros_count_in_the_mean():
    x = np.ones((1, 1, 2, 2))
    out = cnnlab.avg_pool2d(x, 2, stride=1, padding=1)  # PyTorch's count_include_pad=True
    np.testing.assert_array_equal(
        out[0, 0], [[0.25, 0.5, 0.25], [0.5, 1.0, 0.5], [0.25, 0.5, 0.25]]
    )


def test_max_pool_padding_never_wins():
    x = -np.ones((1, 1, 3, 3))  # all negative: zero padding would win, -inf padding must not
    np.testing.assert_array_equal(
        cnnlab.max_pool2d(x, 3, stride=2, padding=1), -np.ones((1, 1, 2, 2))
    )


# ---------------------------------------------------------------------------------------
# numerical gradient check


# cnnlab.layers' centred-difference gradient and CS231n relative error, with f taking x
# (changed in place and restored) as argument.


def distinct_values(shape, seed):
    """Values at least 0.01 apart, so a step h = 1e-4 never changes which input is a max."""
    rng = np.random.default_rng(seed)
    return rng.permutation(int(np.prod(shape))).reshape(shape) * 0.01 - 1.0


GRAD_CASES = [
    ((2, 2, 7, 7), dict(kernel_size=3, stride=2)),  # overlapping windows
    ((1, 2, 9, 8), dict(kernel_size=3, stride=2, padding=1)),
    ((1, 3, 8, 7), dict(kernel_size=(3, 2), stride=(2, 1), padding=(1, 0))),
    ((2, 1, 10, 9), dict(kernel_size=4, stride=3, padding=2)),  # stride does not divide
    ((1, 2, 6, 6), dict(kernel_size=2)),  # the usual 2x2, stride 2
    ((1, 1, 7, 5), dict(kernel_size=2, stride=1)),
]


@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize("shape, kwargs", GRAD_CASES)
def test_pool_backward_numerical_gradient(kind, shape, kwargs):
    forward, backward = OURS[kind]
    x = distinct_values(shape, seed=sum(shape))
    dout = np.random.default_rng(1).standard_normal(forward(x, **kwargs).shape)
    analytic = backward(dout, x, **kwargs)
    numeric = numerical_gradient(lambda _: float(np.sum(forward(x, **kwargs) * dout)), x, h=1e-4)
    assert rel_error(analytic, numeric) < 1e-7


def _loop_max_pool_backward(dout, x, k, s, add=True):
    """Plain-loop max-pool backward without padding; with ``s=k`` or ``add=False`` it
    reproduces the classic mistakes (stride assumed equal to the kernel, overlapping
    windows overwriting instead of adding up)."""
    dx = np.zeros_like(x)
    n, c, ho, wo = dout.shape
    for i, j, r, q in np.ndindex(n, c, ho, wo):
        win = x[i, j, r * s : r * s + k, q * s : q * s + k]
        a, b = np.unravel_index(np.argmax(win), win.shape)
        if add:
            dx[i, j, r * s + a, q * s + b] += dout[i, j, r, q]
        else:
            dx[i, j, r * s + a, q * s + b] = dout[i, j, r, q]
    return dx


@pytest.mark.parametrize(
    "mistake, expect_pass",
    [
        (dict(), True),  # the correct loop version passes the same check
        (dict(s=3), False),  # forgets the stride (steps by the kernel)
        (dict(add=False), False),  # overlapping windows overwrite instead of adding
    ],
)
def test_gradient_check_catches_stride_and_overlap_mistakes(mistake, expect_pass):
    """The numerical check above is sharp enough to fail the usual wrong backward passes
    on a kernel 3, stride 2 pool."""
    x = distinct_values((2, 2, 10, 10), seed=5)  # 4x4 windows; with s=3 the last is cut
    dout = np.random.default_rng(2).standard_normal((2, 2, 4, 4))
    numeric = numerical_gradient(
        lambda _: float(np.sum(cnnlab.max_pool2d(x, 3, stride=2) * dout)), x, h=1e-4
    )
    args = dict(k=3, s=2) | mistake
    wrong = _loop_max_pool_backward(dout, x, **args)
    assert (rel_error(wrong, numeric) < 1e-7) == expect_pass


# ---------------------------------------------------------------------------------------
# error messages

X = np.ones((1, 2, 6, 6))


@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize(
    "args, kwargs, match",
    [
        ((np.ones((2, 6, 6)), 2), {}, r"_pool2d expects x of shape \(N, C, H, W\) \(4 dims\), got 3 dims.*x\[None\]"),
        ((np.ones((6, 6)), 2), {}, r"got 2 dims with shape \(6, 6\)"),
        ((np.ones((1, 0, 6, 6)), 2), {}, r"sizes must be positive, got x \(1, 0, 6, 6\)"),
        ((X.astype(bool), 2), {}, r"x must hold real numbers, got dtype bool"),
        ((X, 0), {}, r"kernel_size must be an integer >= 1, got 0"),
        ((X, 2.5), {}, r"kernel_size must be an integer >= 1, got 2.5"),
        ((X, True), {}, r"kernel_size must be an integer >= 1, got True"),
        ((X, (2, 2, 2)), {}, r"kernel_size must be one integer or 2 integers.*got \(2, 2, 2\)"),
        ((X, 2), dict(stride=0), r"stride must be an integer >= 1, got 0"),
        ((X, 2), dict(stride=1.5), r"stride must be an integer >= 1, got 1.5"),
        ((X, 2), dict(stride=(1, 2, 3)), r"stride must be one integer or 2 integers"),
        ((X, 2), dict(padding=-1), r"padding must be an integer >= 0, got -1"),
        ((X, 3), dict(padding=2), r"pool padding must be at most half the kernel size: got padding 2 for kernel 3; use padding <= 1"),
        ((X, (4, 2)), dict(padding=(1, 2)), r"got padding 2 for kernel 2; use padding <= 1"),
        ((X, 7), {}, r"axis 0 is not positive: input 6 padded by 0 is 6, smaller than the window 7; use a window <= 6"),
        ((X, (2, 9)), dict(padding=(0, 1)), r"axis 1 .*padded by 1 is 8.*window <= 8.*Formula"),
    ],
)  # fmt: skip
def test_bad_input_raises_value_error_saying_what_is_valid(kind, args, kwargs, match):
    forward, backward = OURS[kind]
    with pytest.raises(ValueError, match=match):
        forward(*args, **kwargs)
    with pytest.raises(ValueError, match=match):
        backward(np.ones((1, 2, 3, 3)), *args, **kwargs)


@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize(
    "dout_shape, kwargs, expected",
    [
        ((1, 2, 2, 2), dict(kernel_size=2), r"\(1, 2, 3, 3\), got \(1, 2, 2, 2\)"),
        ((1, 2, 3, 3), dict(kernel_size=3, stride=1), r"\(1, 2, 4, 4\), got \(1, 2, 3, 3\)"),
        ((2, 2, 3, 3), dict(kernel_size=2), r"\(1, 2, 3, 3\), got \(2, 2, 3, 3\)"),
    ],
)
def test_backward_rejects_dout_of_the_wrong_shape(kind, dout_shape, kwargs, expected):
    with pytest.raises(ValueError, match=r"dout must have the forward output's shape " + expected):
        OURS[kind][1](np.ones(dout_shape), X, **kwargs)
