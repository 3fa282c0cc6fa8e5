"""cnnlab.conv against torch.nn.functional: forward, backward, gradient checks and errors.

``cnnlab.conv`` computes with the strategies of ``cnnlab.conv_fast`` (``use_taps`` picks):
im2col (col2im for dx) by chunks of images, and a loop over kernel taps when one image's patch
matrix would exceed ``IM2COL_MAX_BYTES``; at stride 1 dx may instead be a correlation of dout
(``use_transposed``), and the patch matrix may be built from flat rows (``use_flat``). The
plain reference the lesson reads (``conv.correlate_im2col`` and its backward) is checked
against them and against PyTorch too. Every property test below runs under each, forced (``forced_path``,
including im2col with one image per chunk), and once with the automatic choice, so a change
of a threshold cannot leave one of them untested.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from unittest import mock

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, note
from hypothesis import strategies as st

import cnnlab
from cnnlab import conv, conv_fast
from cnnlab.layers import numerical_gradient, rel_error

FORWARD = {1: conv.conv1d, 2: conv.conv2d, 3: conv.conv3d}
BACKWARD = {1: conv.conv1d_backward, 2: conv.conv2d_backward, 3: conv.conv3d_backward}
TORCH = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
PATHS = ("auto", "im2col", "chunked", "transposed", "taps", "flat", "flat_chunked")
SHALLOW = st.integers(1, 4)
# mostly shallow, sometimes deep (>= 16 channels)
MIXED = st.sampled_from([1, 2, 3, 4, 16, 17])
DEEP = st.integers(16, 19)


@contextlib.contextmanager
def forced_path(path):
    """Make conv.py take one strategy wherever it can ("auto": its own choice).

    "im2col": patch matrices, dx by col2im; "chunked": the same, one image per chunk;
    "transposed": dx as a correlation of dout wherever the stride is 1; "taps": no
    patch matrices, a loop over kernel taps; "flat": flat rows wherever the stride is 1
    (forward, dw and dx), "flat_chunked" the same one image per chunk.
    """
    if path == "auto":
        yield
        return
    use_taps = path == "taps"

    def transposed(stride, c_in, c_out):
        return path == "transposed" and all(s == 1 for s in stride)

    def flat(stride, *shapes):
        return path.startswith("flat") and all(s == 1 for s in stride)

    with (
        mock.patch.object(conv_fast, "use_taps", lambda image_patch_bytes: use_taps),
        mock.patch.object(conv_fast, "use_transposed", transposed),
        mock.patch.object(conv_fast, "use_flat", flat),
        mock.patch.object(
            conv_fast, "CHUNK_BYTES", 1 if path == "chunked" else conv_fast.CHUNK_BYTES
        ),
        mock.patch.object(
            conv_fast,
            "FLAT_CHUNK_BYTES",
            1 if path == "flat_chunked" else conv_fast.FLAT_CHUNK_BYTES,
        ),
    ):
        yield


# ---------------------------------------------------------------------------------------
# hypothesis strategies


def _axis_param(draw, nd, lo, hi):
    """(as passed, per axis): one int for every axis, the same int as a tuple, or a tuple
    of different values, so both the int and the tuple forms are exercised."""
    if draw(st.booleans()):
        v = draw(st.integers(lo, hi))
        return (v if draw(st.booleans()) else (v,) * nd), (v,) * nd
    values = tuple(draw(st.integers(lo, hi)) for _ in range(nd))
    return values, values


@dataclass(frozen=True)
class ConvCase:
    nd: int
    x_shape: tuple
    w_shape: tuple
    stride: object  # as passed to both libraries: int or tuple
    padding: object
    dilation: object
    bias: bool
    seed: int
    groups: int = 1

    def arrays(self, dtype=np.float64):
        rng = np.random.default_rng(self.seed)
        x = rng.standard_normal(self.x_shape).astype(dtype)
        w = rng.standard_normal(self.w_shape).astype(dtype)
        b = rng.standard_normal(self.w_shape[0]).astype(dtype) if self.bias else None
        return x, w, b

    @property
    def kwargs(self):
        return dict(
            stride=self.stride, padding=self.padding, dilation=self.dilation, groups=self.groups
        )


@st.composite
def conv_cases(draw, nd=None, c_in=SHALLOW, c_out=SHALLOW, max_stride=3, grouped=True):
    """Any valid convolution: rectangular inputs and kernels, strides that do not divide
    evenly, dilation, padding, including kernels exactly as large as the padded input, and
    (unless grouped=False) grouped convolutions, depthwise included."""
    nd = draw(st.sampled_from((1, 2, 3))) if nd is None else nd
    kmax, extra = {1: (5, 8), 2: (4, 5), 3: (3, 3)}[nd]
    kernel = tuple(draw(st.integers(1, kmax)) for _ in range(nd))
    stride, _ = _axis_param(draw, nd, 1, max_stride)
    dilation, dil = _axis_param(draw, nd, 1, 2)
    padding, pad = _axis_param(draw, nd, 0, 2)
    sizes = []
    for k, d, p in zip(kernel, dil, pad):
        smallest = max(1, d * (k - 1) + 1 - 2 * p)
        sizes.append(draw(st.integers(smallest, smallest + extra)))
    n = draw(st.integers(1, 2))
    groups = draw(st.sampled_from((1, 1, 2, 3))) if grouped else 1
    ci, co = groups * draw(c_in), groups * draw(c_out)  # both divisible by groups
    if groups > 1 and draw(st.booleans()):
        ci = co = groups  # depthwise: one filter per channel
    return ConvCase(
        nd=nd,
        x_shape=(n, ci, *sizes),
        w_shape=(co, ci // groups, *kernel),
        stride=stride,
        padding=padding,
        dilation=dilation,
        bias=draw(st.booleans()),
        seed=draw(st.integers(0, 2**32 - 1)),
        groups=groups,
    )


def torch_reference(case, x, w, b, dout=None):
    """PyTorch's output and, given dout, its autograd gradients (dx, dw, db)."""
    xt = torch.tensor(x, requires_grad=True)
    wt = torch.tensor(w, requires_grad=True)
    bt = torch.tensor(b, requires_grad=True) if b is not None else None
    out = TORCH[case.nd](xt, wt, bt, **case.kwargs)
    if dout is None:
        return out.detach().numpy()
    out.backward(torch.tensor(dout))
    db = bt.grad.numpy() if bt is not None else dout.sum(axis=(0, *range(2, 2 + case.nd)))
    return out.detach().numpy(), xt.grad.numpy(), wt.grad.numpy(), db


def assert_torch_agrees(nd, x, w, kwargs, dout, ours, atol=1e-12):
    """ours = (out, dx, dw) of x and w (float64) equals PyTorch's out and autograd's dx, dw."""
    xt, wt = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    out_t = TORCH[nd](xt, wt, **kwargs)
    out_t.backward(torch.tensor(dout))
    for mine, theirs in zip(ours, (out_t.detach(), xt.grad, wt.grad), strict=True):
        np.testing.assert_allclose(mine, theirs.numpy(), rtol=1e-10, atol=atol)


def assert_close(ours, theirs, rtol=1e-5, atol=1e-10):
    assert ours.shape == theirs.shape, f"shape {ours.shape} != torch's {theirs.shape}"
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=atol)


# ---------------------------------------------------------------------------------------
# forward and backward against PyTorch


def _check_forward(case):
    note(repr(case))
    x, w, b = case.arrays()
    x0, w0 = x.copy(), w.copy()
    ours = FORWARD[case.nd](x, w, b, **case.kwargs)
    assert_close(ours, torch_reference(case, x, w, b))
    np.testing.assert_array_equal(x, x0)  # inputs are not modified
    np.testing.assert_array_equal(w, w0)


def _check_backward(case):
    note(repr(case))
    x, w, b = case.arrays()
    out_shape = torch_reference(case, x, w, b).shape
    dout = np.random.default_rng(case.seed + 1).standard_normal(out_shape)
    _, dx_t, dw_t, db_t = torch_reference(case, x, w, b, dout)
    dx, dw, db = BACKWARD[case.nd](dout, x, w, **case.kwargs)
    assert_close(dx, dx_t)
    assert_close(dw, dw_t)
    assert_close(db, db_t)


@pytest.mark.parametrize("path", PATHS)
@given(data=st.data())
def test_conv_forward_matches_torch(path, data):
    strategy = conv_cases(
        c_in=MIXED if path == "auto" else SHALLOW,
        c_out=MIXED if path == "auto" else SHALLOW,
        max_stride=1 if path.startswith("flat") else 3,  # flat rows are for stride 1 only
    )
    case = data.draw(strategy)
    with forced_path(path):
        _check_forward(case)


@pytest.mark.parametrize("path", PATHS)
@given(data=st.data())
def test_conv_backward_matches_torch_autograd(path, data):
    strategy = conv_cases(
        c_in=MIXED if path == "auto" else SHALLOW,
        c_out=MIXED if path == "auto" else SHALLOW,
        max_stride=1 if path.startswith("flat") else 3,  # flat rows are for stride 1 only
    )
    case = data.draw(strategy)
    with forced_path(path):
        _check_backward(case)


@given(case=conv_cases(c_in=DEEP, c_out=DEEP, max_stride=1))
def test_deep_stride1_conv_matches_torch(case):
    # the automatic choice on deep inputs at stride 1 (the ResNet-block case), for the
    # forward, dw (C_in deep) and dx (C_out deep); 1D, 2D, 3D, with dilation and padding
    _check_forward(case)
    _check_backward(case)


@given(case=conv_cases(max_stride=3, grouped=False))
def test_plain_im2col_reference_matches_torch(case):
    """The version the lesson reads (one patch matrix for the whole batch, col2im by taps)
    gives PyTorch's forward and gradients, 1D to 3D, with stride, padding and dilation."""
    note(repr(case))
    x, w, _ = case.arrays()
    x, w, _, stride, padding, dilation = conv.check_conv_args(
        x, w, None, case.kwargs["stride"], case.kwargs["padding"], case.kwargs["dilation"], case.nd
    )
    out = conv.correlate_im2col(x, w, stride, padding, dilation)
    dout = np.random.default_rng(case.seed + 1).standard_normal(out.shape)
    _, dx_t, dw_t, _ = torch_reference(case, x, w, None, dout)
    assert_close(out, torch_reference(case, x, w, None))
    dx, dw = conv.correlate_im2col_backward(dout, x, w, stride, padding, dilation)
    assert_close(dx, dx_t)
    assert_close(dw, dw_t)


def test_im2col_columns_are_the_patches():
    x = np.arange(2 * 3 * 4 * 5, dtype=float).reshape(2, 3, 4, 5)
    cols = conv.im2col(x, (2, 3), stride=(2, 1))
    assert cols.shape == (2, 3 * 2 * 3, 2 * 3)
    # column (row 1, col 2) of image 1 is the 3x2x3 patch starting at (2, 2)
    np.testing.assert_array_equal(cols[1, :, 1 * 3 + 2], x[1, :, 2:4, 2:5].ravel())


def test_col2im_adds_overlapping_patches():
    # every input value is counted once per window that covers it
    ones = conv.im2col(np.ones((1, 1, 4, 4)), (3, 3))
    counts = conv.col2im(ones, (1, 1, 4, 4), (3, 3))
    np.testing.assert_array_equal(
        counts[0, 0], [[1, 2, 2, 1], [2, 4, 4, 2], [2, 4, 4, 2], [1, 2, 2, 1]]
    )


@pytest.mark.parametrize("path", PATHS)
@given(case=conv_cases(nd=2, max_stride=2))
def test_conv2d_naive_matches_torch_and_conv2d(path, case):
    note(repr(case))
    x, w, b = case.arrays()
    naive = conv.conv2d_naive(x, w, b, **case.kwargs)
    assert_close(naive, torch_reference(case, x, w, b))
    with forced_path(path):
        assert_close(naive, conv.conv2d(x, w, b, **case.kwargs), atol=1e-12)


@pytest.mark.parametrize("path", ["im2col", "chunked", "taps"])
def test_forced_paths_really_take_that_path(path):
    """Guard for the tests above: forcing a path must reach it in the forward, the weight
    gradient and the input gradient (im2col builds patch matrices, taps never does)."""
    x = np.random.default_rng(0).standard_normal((3, 3, 7, 6))
    w = np.random.default_rng(1).standard_normal((4, 3, 3, 2))
    dout = np.ones((3, 4, 3, 3))
    calls = {"im2col": 0, "taps": 0}
    im2col, taps = conv_fast.im2col_into, conv_fast.correlate_taps

    def count(name, fn):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return fn(*args, **kwargs)

        return wrapper

    with (
        forced_path(path),
        mock.patch.object(conv_fast, "im2col_into", count("im2col", im2col)),
        mock.patch.object(conv_fast, "correlate_taps", count("taps", taps)),
    ):
        conv.conv2d(x, w, stride=2)
        conv.conv2d_backward(dout, x, w, stride=2)
    # im2col: forward and dw build patch matrices, 1 chunk each (3 when one image a chunk)
    expected = {"im2col": (2, 0), "chunked": (6, 0), "taps": (0, 1)}[path]
    assert (calls["im2col"], calls["taps"]) == expected, calls


def recording_chunks(sizes: list):
    """conv_fast.flat_patches that also appends, per call, the list of its chunks' sizes."""
    real = conv_fast.flat_patches

    def recorded(*args):
        sizes.append([])
        for batch, cols in real(*args):
            sizes[-1].append(batch.stop - batch.start)
            yield batch, cols

    return recorded


@pytest.mark.parametrize("path, chunks", [("flat", 1), ("flat_chunked", 3)])
def test_forced_flat_rows_really_take_them(path, chunks):
    """Guard for the property tests: forced flat rows reach the flat forward, dw and dx,
    by chunks of one image for "flat_chunked", and never build a windowed patch matrix."""
    x = np.random.default_rng(0).standard_normal((3, 3, 7, 6))
    w = np.random.default_rng(1).standard_normal((4, 3, 3, 2))
    calls, chunk_sizes = [], []
    with contextlib.ExitStack() as stack:
        stack.enter_context(forced_path(path))
        for name in ("correlate_flat", "weight_grad_flat", "input_grad_flat"):
            real = getattr(conv_fast, name)
            fake = lambda *a, _n=name, _r=real: calls.append(_n) or _r(*a)  # noqa: E731
            stack.enter_context(mock.patch.object(conv_fast, name, fake))
        stack.enter_context(
            mock.patch.object(conv_fast, "flat_patches", recording_chunks(chunk_sizes))
        )
        stack.enter_context(
            mock.patch.object(conv_fast, "im2col_into", lambda *a: calls.append("im2col"))
        )
        out = conv.conv2d(x, w, padding=1)
        dx, dw, _ = conv.conv2d_backward(np.ones(out.shape), x, w, padding=1)
    assert calls == ["correlate_flat", "weight_grad_flat", "input_grad_flat"], calls
    assert [len(c) for c in chunk_sizes] == [chunks, chunks]  # forward, dw; dx chunks itself
    np.testing.assert_allclose(out, conv.conv2d_naive(x, w, padding=1), atol=1e-12)


@pytest.mark.parametrize("path, dx_patch_matrices", [("im2col", 0), ("transposed", 1)])
def test_transposed_dx_builds_a_patch_matrix_of_dout(path, dx_patch_matrices):
    """At stride 1 "transposed" takes dx as a correlation (one more im2col, of dout's
    C_out = 4 channels); col2im multiplies first and builds none."""
    x = np.random.default_rng(0).standard_normal((2, 3, 7, 6))
    w = np.random.default_rng(1).standard_normal((4, 3, 3, 2))
    dout = np.ones((2, 4, 5, 5))
    channels = []
    real = conv_fast.im2col_into
    with (
        forced_path(path),
        mock.patch.object(
            conv_fast, "im2col_into", lambda *a: channels.append(a[0].shape[1]) or real(*a)
        ),
    ):
        conv.conv2d_backward(dout, x, w)
    assert channels == [3] + [4] * dx_patch_matrices


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(
    "nd, x_shape, w_shape, kwargs",
    [
        (2, (2, 3, 9, 7), (5, 3, 3, 2), dict(stride=2, padding=1)),
        (2, (1, 16, 8, 8), (16, 16, 3, 3), dict(padding=2, dilation=2)),
        (1, (2, 4, 20), (3, 4, 5), dict(stride=3, padding=2, dilation=2)),
        (3, (1, 2, 5, 6, 4), (3, 2, 3, 2, 2), dict(stride=(1, 2, 1), padding=(1, 0, 1))),
    ],
)
def test_float32_in_float32_out_close_to_torch(path, nd, x_shape, w_shape, kwargs):
    rng = np.random.default_rng(7)
    x = rng.standard_normal(x_shape).astype(np.float32)
    w = rng.standard_normal(w_shape).astype(np.float32)
    b = rng.standard_normal(w_shape[0]).astype(np.float32)
    with forced_path(path):
        out = FORWARD[nd](x, w, b, **kwargs)
        dout = rng.standard_normal(out.shape).astype(np.float32)
        grads = BACKWARD[nd](dout, x, w, **kwargs)
    assert out.dtype == np.float32 and all(g.dtype == np.float32 for g in grads)
    xt, wt, bt = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    out_t = TORCH[nd](xt, wt, bt, **kwargs)
    out_t.backward(torch.tensor(dout))
    for ours, theirs in zip((out, *grads), (out_t, xt.grad, wt.grad, bt.grad)):
        np.testing.assert_allclose(ours, theirs.detach().numpy(), rtol=1e-4, atol=1e-4)


# ---------------------------------------------------------------------------------------
# small cases worked by hand


def test_worked_example_sums_each_window():
    x = np.arange(36.0).reshape(1, 1, 6, 6)
    out = cnnlab.conv2d(x, np.ones((1, 1, 3, 3)))
    assert out.shape == (1, 1, 4, 4)
    # window at (r, c) sums rows r..r+2, cols c..c+2 of arange: 9 * centre value
    centres = np.arange(36.0).reshape(6, 6)[1:5, 1:5]
    np.testing.assert_array_equal(out[0, 0], 9 * centres)


def test_is_cross_correlation_not_flipped():
    x = np.random.default_rng(0).standard_normal((1, 1, 5, 5))
    top_left = np.zeros((1, 1, 2, 2))
    top_left[0, 0, 0, 0] = 1.0  # picks the window's first pixel: no kernel flip
    np.testing.assert_array_equal(cnnlab.conv2d(x, top_left)[0, 0], x[0, 0, :4, :4])
    np.testing.assert_array_equal(cnnlab.conv2d_naive(x, top_left)[0, 0], x[0, 0, :4, :4])


def test_integer_inputs_give_float_results():
    x = np.arange(16).reshape(1, 1, 4, 4)
    w = np.ones((2, 1, 2, 2), dtype=int)
    out = cnnlab.conv2d(x, w, b=[1, 2])
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, cnnlab.conv2d(x.astype(float), w.astype(float), b=[1, 2]))


def test_bias_adds_one_value_per_filter():
    x = np.zeros((1, 2, 4, 4))
    out = cnnlab.conv2d(x, np.ones((3, 2, 3, 3)), b=np.array([1.0, -2.0, 0.5]))
    np.testing.assert_array_equal(out[0, :, 0, 0], [1.0, -2.0, 0.5])


def test_dx_is_zero_where_no_window_reached():
    # 8 wide, kernel 3, stride 3: windows cover columns 0..5; 6 and 7 feed no output
    x = np.ones((1, 1, 1, 8))
    w = np.ones((1, 1, 1, 3))
    dx, _, _ = conv.conv2d_backward(np.ones((1, 1, 1, 2)), x, w, stride=3)
    np.testing.assert_array_equal(dx[0, 0, 0], [1, 1, 1, 1, 1, 1, 0, 0])


# ---------------------------------------------------------------------------------------
# numerical gradient check (centred differences), as in CS231n


# cnnlab.layers' centred-difference gradient and CS231n relative error, with f taking x
# (changed in place and restored) as argument.


@pytest.mark.parametrize(
    "x_shape, w_shape, kwargs",
    [
        ((2, 3, 7, 8), (4, 3, 3, 3), dict(stride=2, padding=1)),  # overlapping, stride 2
        ((1, 2, 8, 7), (3, 2, 3, 2), dict(stride=(3, 2), padding=(0, 1))),  # uneven stride
        ((2, 2, 9, 9), (2, 2, 3, 3), dict(stride=2, padding=2, dilation=2)),
        ((1, 3, 6, 10), (2, 3, 2, 3), dict(stride=(1, 3), dilation=(2, 1))),
        ((1, 16, 6, 6), (16, 16, 3, 3), dict(padding=1, dilation=(1, 2))),  # deep, stride 1
    ],
)
def test_conv2d_backward_numerical_gradient(x_shape, w_shape, kwargs):
    rng = np.random.default_rng(sum(x_shape) + sum(w_shape))
    x = rng.standard_normal(x_shape)
    w = rng.standard_normal(w_shape)
    b = rng.standard_normal(w_shape[0])
    dout = rng.standard_normal(cnnlab.conv2d(x, w, b, **kwargs).shape)

    def loss():
        return float(np.sum(cnnlab.conv2d(x, w, b, **kwargs) * dout))

    dx, dw, db = cnnlab.conv2d_backward(dout, x, w, **kwargs)
    # the loss is linear in each argument, so a large step has no truncation error
    for name, analytic, param in (("dx", dx, x), ("dw", dw, w), ("db", db, b)):
        numeric = numerical_gradient(lambda _: loss(), param, h=1e-3)
        assert rel_error(analytic, numeric) < 1e-7, name


# ---------------------------------------------------------------------------------------
# error messages: ValueError naming what was received and what is valid

X = np.ones((1, 3, 5, 5))
W = np.ones((2, 3, 3, 3))


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: cnnlab.conv2d(np.ones((3, 5, 5)), W), r"\(N, C, H, W\) \(4 dims\), got 3 dims.*x\[None\]"),
        (lambda: cnnlab.conv2d(np.ones((5, 5)), W), r"got 2 dims with shape \(5, 5\)"),
        (lambda: cnnlab.conv2d(X, np.ones((3, 3, 3))), r"w of shape \(C_out, C_in, KH, KW\).*got 3 dims"),
        (lambda: conv.conv1d(np.ones((3, 8)), np.ones((1, 3, 2))), r"\(N, C, L\) \(3 dims\), got 2 dims"),
        (lambda: cnnlab.conv3d(X, np.ones((1, 3, 2, 2, 2))), r"\(N, C, D, H, W\) \(5 dims\), got 4"),
        (lambda: cnnlab.conv2d(X, np.ones((2, 4, 3, 3))), r"channel mismatch: x has C_in=3 .*w expects 4"),
        (lambda: cnnlab.conv2d(np.ones((0, 3, 5, 5)), W), r"sizes must be positive, got x \(0, 3, 5, 5\)"),
        (lambda: cnnlab.conv2d(X, np.ones((0, 3, 3, 3))), r"sizes must be positive"),
        (lambda: cnnlab.conv2d(X, np.ones((2, 3, 7, 3))), r"axis 0 is not positive: input 5 padded by 0 is 5.*span d\(f-1\)\+1 = 7.*padding >= 1"),
        (lambda: cnnlab.conv2d(X, W, dilation=3), r"kernel span d\(f-1\)\+1 = 7 \(f=3, d=3\)"),
        (lambda: cnnlab.conv2d(X, np.ones((2, 3, 3, 9)), padding=1), r"axis 1 .* padded by 1 is 7.*padding >= 2.*Formula"),
        (lambda: cnnlab.conv2d(X, W, b=np.ones(3)), r"bias must have shape \(C_out,\) = \(2,\).*got \(3,\)"),
        (lambda: cnnlab.conv2d(X, W, b=np.ones((2, 1))), r"bias must have shape .*got \(2, 1\)"),
        (lambda: cnnlab.conv2d(X, W, b=np.array(["a", "b"])), r"b(ias)? must hold real numbers, got dtype <U1"),
        (lambda: cnnlab.conv2d(X, W, stride=1.5), r"stride must be an integer >= 1, got 1.5"),
        (lambda: cnnlab.conv2d(X, W, stride=True), r"stride must be an integer >= 1, got True"),
        (lambda: cnnlab.conv2d(X, W, stride=0), r"stride must be an integer >= 1, got 0"),
        (lambda: cnnlab.conv2d(X, W, stride=(1, 2, 3)), r"stride must be one integer or 2 integers.*got \(1, 2, 3\)"),
        (lambda: cnnlab.conv2d(X, W, stride="2"), r"stride must be an integer >= 1, got '2'"),
        (lambda: cnnlab.conv2d(X, W, stride=np.array([1, 2])), r"stride must be an integer >= 1, got array"),
        (lambda: cnnlab.conv2d(X, W, padding=-1), r"padding must be an integer >= 0, got -1"),
        (lambda: cnnlab.conv2d(X, W, padding=(1, 0.5)), r"padding must be an integer >= 0, got 0.5"),
        (lambda: cnnlab.conv2d(X, W, dilation=0), r"dilation must be an integer >= 1, got 0"),
        (lambda: conv.conv1d(np.ones((1, 1, 9)), np.ones((1, 1, 3)), stride=(1, 1)), r"stride must be one integer or 1 integers"),
        (lambda: cnnlab.conv2d(X.astype(bool), W), r"x must hold real numbers, got dtype bool"),
        (lambda: cnnlab.conv2d(X + 1j, W), r"x must hold real numbers, got dtype complex128"),
        (lambda: cnnlab.conv2d(X, W.astype(str)), r"w must hold real numbers"),
        (lambda: cnnlab.conv2d_naive(X, np.ones((2, 4, 3, 3))), r"channel mismatch"),
        (lambda: cnnlab.conv2d_naive(X, W, stride=(2, 0)), r"stride must be an integer >= 1, got 0"),
        (lambda: cnnlab.conv2d_backward(np.ones((1, 2, 4, 4)), X, W), r"dout must have the forward output's shape \(1, 2, 3, 3\), got \(1, 2, 4, 4\)"),
        (lambda: cnnlab.conv2d_backward(np.ones((1, 2, 3, 3)), X, W, stride=2), r"shape \(1, 2, 2, 2\), got \(1, 2, 3, 3\)"),
        (lambda: conv.conv1d_backward(np.ones((1, 1, 3)), np.ones((1, 1, 5)), np.ones((1, 1, 2))), r"shape \(1, 1, 4\), got \(1, 1, 3\)"),
        (lambda: conv.conv3d_backward(np.ones((1, 1, 2, 2, 2)), np.ones((1, 3, 3, 3)), np.ones((1, 1, 2, 2, 2))), r"conv3d expects x"),
        (lambda: cnnlab.conv2d_backward(np.ones((1, 2, 3, 3)), X, np.ones((2, 1, 3, 3))), r"channel mismatch"),
    ],
)  # fmt: skip
def test_bad_input_raises_value_error_saying_what_is_valid(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_strategy_follows_the_patch_matrix_size(monkeypatch):
    """Above IM2COL_MAX_BYTES per image the automatic choice goes tap by tap, at any stride;
    above CHUNK_BYTES it builds patch matrices for fewer images at a time."""
    x = np.random.default_rng(0).standard_normal((4, 2, 6, 6))
    w = np.random.default_rng(1).standard_normal((3, 2, 3, 3))
    monkeypatch.setattr(conv_fast, "FLAT_MAX_COLUMNS", 0)  # no flat rows: see the test below
    taps, im2col = [], []
    real_taps, real_im2col = conv_fast.correlate_taps, conv_fast.im2col_into
    monkeypatch.setattr(conv_fast, "correlate_taps", lambda *a: taps.append(1) or real_taps(*a))
    monkeypatch.setattr(
        conv_fast, "im2col_into", lambda *a: im2col.append(a[0].shape[0]) or real_im2col(*a)
    )
    conv.conv2d(x, w)
    assert not taps and im2col == [4]  # small: one patch matrix for the whole batch
    image_bytes = 2 * 9 * 4 * 4 * 8  # C_in * prod(K) * prod(S_out) * float64
    monkeypatch.setattr(conv_fast, "CHUNK_BYTES", 2 * image_bytes)
    im2col.clear()
    assert np.allclose(conv.conv2d(x, w), conv.conv2d_naive(x, w))
    assert im2col == [2, 2]
    monkeypatch.setattr(conv_fast, "IM2COL_MAX_BYTES", 2 * 9 * 2 * 2 * 8 - 1)  # below stride 2's
    im2col.clear()
    for stride in (1, 2):
        out = conv.conv2d(x, w, stride=stride)
        assert np.allclose(out, conv.conv2d_naive(x, w, stride=stride))
    assert len(taps) == 2 and not im2col


@pytest.mark.parametrize(
    "x_shape, w_shape, kwargs, flat",
    [
        ((64, 3, 32, 32), (6, 3, 5, 5), {}, True),  # LeNet's first layer
        ((2, 6, 14, 14), (16, 6, 5, 5), {}, True),  # its second
        ((2, 4, 50), (8, 4, 7), dict(padding=3, dilation=2), True),  # 1-D: no extra columns
        ((2, 8, 16, 16), (4, 8, 3, 3), dict(padding=1), True),  # dx: transposed, then flat
        ((2, 3, 32, 32), (6, 3, 5, 5), dict(stride=2), False),
        ((1, 3, 64, 64), (64, 3, 3, 3), dict(padding=1), False),  # C_out > C_in*prod(K)
        ((2, 3, 12, 12), (4, 3, 7, 7), {}, True),  # columns: 12*5+6 = 66 <= 2*36 outputs
        ((2, 3, 10, 10), (4, 3, 7, 7), {}, False),  # 10*3+4 = 34 > 2*16
    ],
)
def test_automatic_choice_of_flat_rows(monkeypatch, x_shape, w_shape, kwargs, flat):
    """Flat rows at stride 1 when few columns fall between output rows and the output is
    smaller than the patch matrix; forward, dw and dx all take them, and agree with torch."""
    calls = []
    for name in ("correlate_flat", "weight_grad_flat", "input_grad_flat"):
        real = getattr(conv_fast, name)
        monkeypatch.setattr(
            conv_fast, name, lambda *a, _n=name, _r=real: calls.append(_n) or _r(*a)
        )
    nd = len(x_shape) - 2
    rng = np.random.default_rng(5)
    x, w = rng.standard_normal(x_shape), rng.standard_normal(w_shape)
    out = FORWARD[nd](x, w, **kwargs)
    dout = rng.standard_normal(out.shape)
    dx, dw, _ = BACKWARD[nd](dout, x, w, **kwargs)
    c_in, c_out = x_shape[1], w_shape[0]
    expected = ["correlate_flat", "weight_grad_flat"]
    if c_in < c_out:  # dx by flat col2im; otherwise the transposed correlation, flat too
        expected.append("input_grad_flat")
    else:
        expected.append("correlate_flat")
    assert calls == (expected if flat else []), calls
    assert_torch_agrees(nd, x, w, kwargs, dout, (out, dx, dw), atol=1e-10)


@pytest.mark.parametrize(
    "x_shape, w_shape, padding",
    [
        ((3, 2, 6, 5), (2, 2, 1, 2), (3, 0)),  # p > span - 1 on one axis: the crop branch
        ((3, 2, 6, 5), (2, 2, 3, 3), (1, 2)),  # p <= span - 1: dout padded directly
    ],
)
def test_transposed_dx_with_any_padding_matches_torch(x_shape, w_shape, padding):
    rng = np.random.default_rng(3)
    x, w = rng.standard_normal(x_shape), rng.standard_normal(w_shape)
    xt, wt = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    out = F.conv2d(xt, wt, padding=padding)
    dout = rng.standard_normal(tuple(out.shape))
    out.backward(torch.tensor(dout))
    with forced_path("transposed"):
        dx, dw, _ = conv.conv2d_backward(dout, x, w, padding=padding)
    np.testing.assert_allclose(dx, xt.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dw, wt.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("nd", [1, 2])
def test_uneven_last_chunk(monkeypatch, nd):
    """5 images, 2 per chunk: the last chunk holds 1, and the padded copy, the patch scratch
    and dx's padded buffer are used through shorter views."""
    rng = np.random.default_rng(4)
    spatial = (7, 6)[:nd]
    x = rng.standard_normal((5, 2) + spatial)
    w = rng.standard_normal((3, 2) + (3,) * nd)
    kwargs = dict(stride=2, padding=1)  # stride 2: dx by col2im, by chunks too
    out_sp = tuple((m + 2 - 3) // 2 + 1 for m in spatial)
    monkeypatch.setattr(conv_fast, "CHUNK_BYTES", 2 * 2 * 3**nd * int(np.prod(out_sp)) * 8)
    sizes = []
    real = conv_fast.im2col_into
    monkeypatch.setattr(
        conv_fast, "im2col_into", lambda *a: sizes.append(a[0].shape[0]) or real(*a)
    )
    out = FORWARD[nd](x, w, **kwargs)
    dout = rng.standard_normal(out.shape)
    dx, dw, db = BACKWARD[nd](dout, x, w, **kwargs)
    assert sizes == [2, 2, 1] * 2  # forward, then dw
    assert_torch_agrees(nd, x, w, kwargs, dout, (out, dx, dw))


@pytest.mark.parametrize(
    "x_shape, w_shape, groups, match",
    [
        ((1, 6, 5, 5), (4, 3, 3, 3), 4, r"groups=4 must divide both C_in=6 and C_out=4"),
        ((1, 6, 5, 5), (4, 6, 3, 3), 2, r"C_in/groups = 6/2 = 3"),
        ((1, 6, 5, 5), (6, 1, 3, 3), 0, r"groups must be an integer >= 1, got 0"),
        ((1, 6, 5, 5), (6, 1, 3, 3), 1.5, r"groups must be an integer >= 1, got 1.5"),
    ],
)
def test_groups_that_do_not_fit_say_why(x_shape, w_shape, groups, match):
    with pytest.raises(ValueError, match=match):
        cnnlab.conv2d(np.ones(x_shape), np.ones(w_shape), groups=groups)


def test_depthwise_is_one_filter_per_channel():
    x = np.random.default_rng(0).standard_normal((2, 3, 6, 6))
    w = np.random.default_rng(1).standard_normal((3, 1, 3, 3))
    out = cnnlab.conv2d(x, w, groups=3)
    for c in range(3):  # channel c only ever meets filter c
        np.testing.assert_allclose(out[:, c : c + 1], cnnlab.conv2d(x[:, c : c + 1], w[c : c + 1]))


@pytest.mark.parametrize("path", ["auto", "flat"])
@pytest.mark.filterwarnings("ignore:invalid value encountered in matmul:RuntimeWarning")
def test_non_finite_values_stay_where_they_belong(path):
    """Flat rows multiply the zero columns between output rows by input pixels and by the
    weights, and 0 * inf is nan: an inf must still reach only the gradients PyTorch gives
    it (here x's inf sits where only tap (0, 1) reads it, and w's inf is channel 1's tap
    (0, 0), which never meets column 2)."""
    x = np.arange(9.0).reshape(1, 1, 3, 3)
    x[0, 0, 0, 2] = np.inf
    w = np.ones((2, 1, 1, 2))
    w[1, 0, 0, 0] = np.inf
    dout = np.ones((1, 2, 3, 2))
    with forced_path(path):
        dx, dw, _ = conv.conv2d_backward(dout, x, w)
    xt, wt = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    F.conv2d(xt, wt).backward(torch.tensor(dout))
    np.testing.assert_allclose(dw, wt.grad.numpy())  # dw[:, :, 0, 0] finite, [..., 1] inf
    np.testing.assert_allclose(dx, xt.grad.numpy())  # column 2 of dx finite
    assert np.isfinite(dw[:, :, 0, 0]).all() and np.isfinite(dx[0, 0, :, 2]).all()


@pytest.mark.parametrize("nd", [1, 2])
def test_uneven_last_chunk_of_flat_rows(monkeypatch, nd):
    """5 images, 2 per chunk of flat rows: the last chunk holds 1 and reuses the padded
    copy, the patches and the results through shorter views."""
    rng = np.random.default_rng(6)
    spatial = (7, 6)[:nd]
    x = rng.standard_normal((5, 2) + spatial)
    w = rng.standard_normal((3, 2) + (3,) * nd)
    padded = tuple(m + 2 for m in spatial)
    length = conv_fast.flat_columns(spatial, padded)[0]  # 'same' output: the input's shape
    monkeypatch.setattr(conv_fast, "FLAT_CHUNK_BYTES", 2 * 2 * 3**nd * length * 8)
    chunks = []
    monkeypatch.setattr(conv_fast, "flat_patches", recording_chunks(chunks))
    with forced_path("flat"):  # dx by flat col2im, in chunks of 2 as well
        out = FORWARD[nd](x, w, padding=1)
        dout = rng.standard_normal(out.shape)
        dx, dw, _ = BACKWARD[nd](dout, x, w, padding=1)
    assert chunks == [[2, 2, 1]] * 2  # forward, dw
    assert_torch_agrees(nd, x, w, dict(padding=1), dout, (out, dx, dw))
