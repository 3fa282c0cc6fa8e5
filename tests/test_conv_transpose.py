"""cnnlab.conv_transpose against torch.nn.functional.conv_transpose{1,2,3}d, forward and
backward, and the three ways of seeing it (stamps, zero-stuffing, conv's input gradient)
against each other; its output-size formula in cnnlab.arith against the arrays."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given, note
from hypothesis import strategies as st

import cnnlab
from cnnlab import arith
from cnnlab import conv_transpose as ct
from cnnlab.layers import numerical_gradient, rel_error

TORCH = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
FORWARD = {1: ct.conv_transpose1d, 2: ct.conv_transpose2d, 3: ct.conv_transpose3d}
BACKWARD = {
    1: ct.conv_transpose1d_backward,
    2: ct.conv_transpose2d_backward,
    3: ct.conv_transpose3d_backward,
}


@dataclass
class Case:
    nd: int
    x_shape: tuple
    w_shape: tuple
    stride: tuple
    padding: tuple
    output_padding: tuple
    groups: int
    dilation: tuple
    bias: bool
    seed: int

    @property
    def args(self):
        return (self.stride, self.padding, self.output_padding, self.groups, self.dilation)

    def arrays(self):
        rng = np.random.default_rng(self.seed)
        x, w = rng.standard_normal(self.x_shape), rng.standard_normal(self.w_shape)
        b = rng.standard_normal(self.w_shape[1] * self.groups) if self.bias else None
        return x, w, b


@st.composite
def cases(draw, nd=None):
    """Any valid transposed convolution: strides above the kernel (gaps), output padding
    below max(stride, dilation), padding up to what the output allows, groups."""
    nd = draw(st.sampled_from((1, 2, 3))) if nd is None else nd
    kmax, nmax = {1: (4, 6), 2: (3, 4), 3: (2, 3)}[nd]
    groups = draw(st.sampled_from((1, 1, 2)))
    ci, co = groups * draw(st.integers(1, 3)), groups * draw(st.integers(1, 3))
    kernel, size, stride, dil, op, pad = [], [], [], [], [], []
    for _ in range(nd):
        k, n = draw(st.integers(1, kmax)), draw(st.integers(1, nmax))
        s, d = draw(st.integers(1, 3)), draw(st.integers(1, 2))
        o = draw(st.integers(0, max(s, d) - 1))
        full = (n - 1) * s + d * (k - 1) + 1 + o
        p = draw(st.integers(0, min(2, (full - 1) // 2)))
        (
            kernel.append(k),
            size.append(n),
            stride.append(s),
            dil.append(d),
            op.append(o),
            pad.append(p),
        )
    return Case(
        nd,
        (draw(st.integers(1, 2)), ci, *size),
        (ci, co // groups, *kernel),
        tuple(stride),
        tuple(pad),
        tuple(op),
        groups,
        tuple(dil),
        draw(st.booleans()),
        draw(st.integers(0, 2**32 - 1)),
    )


def torch_forward_backward(case, x, w, b, dout=None):
    xt, wt = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    bt = torch.tensor(b, requires_grad=True) if b is not None else None
    out = TORCH[case.nd](xt, wt, bt, *case.args)
    if dout is None:
        return out.detach().numpy()
    out.backward(torch.tensor(dout))
    return xt.grad.numpy(), wt.grad.numpy()


@given(case=cases())
def test_forward_matches_torch(case):
    note(repr(case))
    x, w, b = case.arrays()
    ours = FORWARD[case.nd](x, w, b, *case.args)
    theirs = torch_forward_backward(case, x, w, b)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-10)
    assert ours.shape[2:] == tuple(
        arith.conv_transpose_output_size(n, k, p, s, d, o)
        for n, k, p, s, d, o in zip(
            case.x_shape[2:],
            case.w_shape[2:],
            case.padding,
            case.stride,
            case.dilation,
            case.output_padding,
        )
    )


@given(case=cases())
def test_backward_matches_torch_autograd(case):
    note(repr(case))
    x, w, b = case.arrays()
    out = FORWARD[case.nd](x, w, b, *case.args)
    dout = np.random.default_rng(case.seed + 1).standard_normal(out.shape)
    dx, dw, db = BACKWARD[case.nd](dout, x, w, *case.args)
    dx_t, dw_t = torch_forward_backward(case, x, w, b, dout)
    np.testing.assert_allclose(dx, dx_t, rtol=1e-6, atol=1e-10)
    np.testing.assert_allclose(dw, dw_t, rtol=1e-6, atol=1e-10)
    np.testing.assert_allclose(db, dout.sum(axis=(0, *range(2, 2 + case.nd))))


@given(case=cases(nd=2))
def test_three_ways_give_the_same_numbers(case):
    """Stamping the kernel, zero-stuffing then convolving, and conv2d_backward's dx."""
    note(repr(case))
    x, w, b = case.arrays()
    ours = ct.conv_transpose2d(x, w, b, *case.args)
    np.testing.assert_allclose(ct.conv_transpose2d_naive(x, w, b, *case.args), ours, atol=1e-10)
    np.testing.assert_allclose(
        ct.conv_transpose_by_zero_stuffing(x, w, b, *case.args), ours, atol=1e-10
    )


@given(case=cases(nd=2))
def test_it_is_the_gradient_of_a_convolution(case):
    """conv_transpose2d(x, w) is conv2d_backward's dx for the conv that maps the output's
    size back to x's, with the same w, stride, padding, dilation and groups. (With an
    output_padding of stride or more, allowed when the dilation is larger, that conv would
    give more than x's size: the property holds for output_padding < stride.)"""
    assume(all(o < s for o, s in zip(case.output_padding, case.stride)))
    note(repr(case))
    x, w, _ = case.arrays()
    out = ct.conv_transpose2d(x, w, None, *case.args)
    dx, _, _ = cnnlab.conv2d_backward(
        x,
        np.zeros((x.shape[0],) + out.shape[1:]),
        w,
        stride=case.stride,
        padding=case.padding,
        dilation=case.dilation,
        groups=case.groups,
    )
    np.testing.assert_allclose(dx, out, atol=1e-10)


def test_zero_stuffing_and_the_stamp_picture():
    x = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    np.testing.assert_array_equal(ct.zero_stuff(x, 2)[0, 0], [[1, 0, 2], [0, 0, 0], [3, 0, 4]])
    out = ct.conv_transpose2d(x, np.ones((1, 1, 2, 2)), stride=2)[0, 0]
    # stride = kernel: the stamps tile the output without overlap
    np.testing.assert_array_equal(out, [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]])


def test_stride_above_the_kernel_leaves_gaps_and_overlap_makes_a_checkerboard():
    ones = np.ones((1, 1, 4, 4))
    gaps = ct.conv_transpose2d(ones, np.ones((1, 1, 2, 2)), stride=3)[0, 0]
    assert (gaps == 0).any()  # rows and columns no stamp reaches
    uneven = ct.conv_transpose2d(ones, np.ones((1, 1, 3, 3)), stride=2)[0, 0]
    assert set(np.unique(uneven)) == {1.0, 2.0, 4.0}  # the checkerboard of overlaps


def test_numerical_gradient_of_the_weights():
    rng = np.random.default_rng(5)
    x, w = rng.standard_normal((2, 2, 3, 3)), rng.standard_normal((2, 3, 3, 2))
    kw = dict(stride=2, padding=1, output_padding=1)
    dout = rng.standard_normal(ct.conv_transpose2d(x, w, **kw).shape)
    _, dw, _ = ct.conv_transpose2d_backward(dout, x, w, **kw)
    num = numerical_gradient(lambda w_: ct.conv_transpose2d(x, w_, **kw), w, dout)
    assert rel_error(dw, num) < 1e-7


@pytest.mark.parametrize(
    "call, match",
    [
        (
            lambda: ct.conv_transpose2d(np.ones((1, 2, 3, 3)), np.ones((3, 1, 2, 2))),
            r"channel mismatch: x has C_in=2 .* input channels first",
        ),
        (
            lambda: ct.conv_transpose2d(np.ones((2, 3, 3)), np.ones((2, 1, 2, 2))),
            r"add a batch axis",
        ),
        (
            lambda: ct.conv_transpose2d(
                np.ones((1, 1, 3, 3)), np.ones((1, 1, 3, 3)), stride=2, output_padding=2
            ),
            r"output_padding must be smaller than the stride \(2\)",
        ),
        (
            lambda: ct.conv_transpose2d(np.ones((1, 1, 1, 1)), np.ones((1, 1, 1, 1)), padding=1),
            r"is not positive: the padding crops 2",
        ),
        (
            lambda: ct.conv_transpose2d(np.ones((1, 3, 3, 3)), np.ones((3, 1, 2, 2)), groups=2),
            r"groups=2 must divide C_in=3",
        ),
        (
            lambda: ct.conv_transpose2d(np.ones((1, 1, 3, 3)) + 1j, np.ones((1, 1, 2, 2))),
            r"x must hold real numbers",
        ),
        (
            lambda: ct.conv_transpose2d(np.ones((1, 1, 3, 3)), np.ones((1, 2, 2, 2)), b=np.ones(3)),
            r"bias must have shape \(C_out,\) = \(2,\)",
        ),
        (
            lambda: ct.conv_transpose2d_backward(
                np.ones((1, 1, 3, 3)), np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2))
            ),
            r"dout must have the forward output's shape \(1, 1, 4, 4\)",
        ),
        (
            lambda: ct.conv_transpose2d(np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2)), stride=0),
            r"stride must be an integer >= 1",
        ),
    ],
)
def test_bad_input_says_what_is_valid(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_output_size_formula_errors():
    assert arith.conv_transpose_output_size(4, 4, p=1, s=2) == 8  # the U-Net doubling
    with pytest.raises(ValueError, match=r"output_padding must be smaller"):
        arith.conv_transpose_output_size(3, 3, s=2, output_padding=2)
    with pytest.raises(ValueError, match=r"input size n must be an integer >= 1, got 0"):
        arith.conv_transpose_output_size(0, 3)


# ---------------------------------------------------------------------------------------
# which inputs an output hears from


@pytest.mark.parametrize(
    "n, f, s, p, d, op",
    [
        (4, 3, 2, 1, 1, 0),
        (3, 3, 2, 0, 1, 1),
        (5, 2, 3, 0, 1, 2),
        (4, 4, 2, 1, 1, 0),
        (3, 3, 1, 2, 2, 1),
        (2, 1, 3, 0, 1, 0),
        (5, 3, 2, 2, 1, 1),
    ],
)
def test_contributing_inputs_are_where_the_gradient_is_nonzero(n, f, s, p, d, op):
    # with a positive kernel, output o depends on input i exactly when d out[o] / d x[i] != 0
    x, w = np.ones((1, 1, n, n)), np.ones((1, 1, f, f))
    out = ct.conv_transpose2d(x, w, stride=s, padding=p, output_padding=op, dilation=d)
    for position in np.ndindex(out.shape[2:]):
        dout = np.zeros_like(out)
        dout[(0, 0) + position] = 1.0
        dx, _, _ = ct.conv_transpose2d_backward(dout, x, w, s, p, op, 1, d)
        expected = {tuple(int(v) for v in rc) for rc in zip(*np.nonzero(dx[0, 0]))}
        assert ct.contributing_inputs(position, n, f, s, p, d, op) == expected
        assert len(expected) == out[(0, 0) + position]  # the stamps summed at that pixel


def test_contributing_inputs_1d_and_errors():
    assert ct.contributing_inputs(0, n=3, f=1, s=2) == {0}
    assert ct.contributing_inputs(1, n=3, f=1, s=2) == set()  # a stride gap
    with pytest.raises(ValueError, match="outside the output of size 7"):
        ct.contributing_inputs(7, n=3, f=3, s=2)
    with pytest.raises(ValueError, match="output position"):
        ct.contributing_inputs(-1, n=3, f=3, s=2)
    with pytest.raises(ValueError, match="output_padding must be smaller"):
        ct.contributing_inputs(0, n=3, f=3, s=2, output_padding=2)
    with pytest.raises(ValueError, match="stride"):
        ct.contributing_inputs((0, 0), n=3, f=3, s=(1, 2, 3))


@given(case=cases())
def test_the_named_ways_agree_in_every_dimension(case):
    """conv_transpose_by_zero_stuffing and conv_transpose_by_conv_backward, the functions the
    segmentation lesson and its pictures call, in 1D, 2D and 3D."""
    note(repr(case))
    x, w, b = case.arrays()
    ours = FORWARD[case.nd](x, w, b, *case.args)
    np.testing.assert_allclose(
        ct.conv_transpose_by_zero_stuffing(x, w, b, *case.args), ours, atol=1e-10
    )
    stuffed = ct.stuffed_input(
        x, case.w_shape[2:], case.stride, case.padding, case.output_padding, case.dilation
    )
    assert stuffed.shape[2:] == tuple(
        o + arith.effective_kernel(k, d) - 1
        for o, k, d in zip(ours.shape[2:], case.w_shape[2:], case.dilation)
    )
    if all(o < s for o, s in zip(case.output_padding, case.stride)):
        np.testing.assert_allclose(
            ct.conv_transpose_by_conv_backward(x, w, b, *case.args), ours, atol=1e-10
        )
    else:
        with pytest.raises(ValueError, match="smaller than the stride"):
            ct.conv_transpose_by_conv_backward(x, w, b, *case.args)
