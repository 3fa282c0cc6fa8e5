"""cnnlab.arith: the notes' formulas checked against the shapes and gradients the NumPy
layers actually produce, the notes' worked numbers, and the error messages."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given
from hypothesis import strategies as st

import cnnlab
from cnnlab import arith

# ---------------------------------------------------------------------------------------
# conv_output_size against the shapes conv2d and max_pool2d return


def test_conv_output_size_matches_conv2d_over_a_sweep():
    checked = 0
    for n, f, p, s, d in itertools.product(range(1, 9), range(1, 5), range(3), range(1, 4), (1, 2)):
        x = np.zeros((1, 1, n, n + 1))
        w = np.zeros((1, 1, f, f))
        if d * (f - 1) + 1 > n + 2 * p:  # impossible: both refuse it
            with pytest.raises(ValueError, match="not positive"):
                arith.conv_output_size(n, f, p, s, d)
            with pytest.raises(ValueError, match="not positive"):
                cnnlab.conv2d(x, w, stride=s, padding=p, dilation=d)
            continue
        out = cnnlab.conv2d(x, w, stride=s, padding=p, dilation=d)
        assert out.shape[2:] == (
            arith.conv_output_size(n, f, p, s, d),
            arith.conv_output_size(n + 1, f, p, s, d),
        ), (n, f, p, s, d)
        checked += 1
    assert checked > 400  # most settings are possible ones


def test_conv_output_size_matches_max_pool2d_over_a_sweep():
    for n, f, s in itertools.product(range(1, 10), range(1, 6), range(1, 5)):
        for p in range(f // 2 + 1):  # pooling allows padding up to half the window
            x = np.zeros((1, 1, n, n))
            if f > n + 2 * p:
                with pytest.raises(ValueError, match="not positive"):
                    cnnlab.max_pool2d(x, f, s, p)
                continue
            expected = arith.conv_output_size(n, f, p, s)
            assert cnnlab.max_pool2d(x, f, s, p).shape[2:] == (expected, expected)
            assert cnnlab.avg_pool2d(x, f, s, p).shape[2:] == (expected, expected)


@given(
    n=st.integers(1, 40),
    f=st.integers(1, 7),
    p=st.integers(0, 4),
    s=st.integers(1, 5),
    d=st.integers(1, 4),
)
def test_conv_output_size_matches_torch(n, f, p, s, d):
    assume(d * (f - 1) + 1 <= n + 2 * p)
    out = F.conv1d(torch.zeros(1, 1, n), torch.zeros(1, 1, f), stride=s, padding=p, dilation=d)
    assert arith.conv_output_size(n, f, p, s, d) == out.shape[-1]


def test_notes_examples():
    assert arith.conv_output_size(6, 3) == 4  # 6x6 * 3x3 -> 4x4
    assert arith.conv_output_size(7, 3, s=2) == 3  # stride 2: 3x3 instead of 5x5
    assert arith.conv_output_size(7, 3) == 5
    assert arith.conv_output_size(6, 3, p=1) == 6  # "same"
    assert arith.conv_output_size(5, 3, p=1, s=2) == 3  # floor((5 + 2 - 3)/2) + 1
    assert arith.conv_output_size(8, 3, p=1, s=3) == 3  # stride that does not divide


def test_numpy_integers_are_accepted():
    assert arith.conv_output_size(np.int64(6), np.int32(3), p=np.uint8(1)) == 6


# ---------------------------------------------------------------------------------------
# same_padding


@pytest.mark.parametrize(
    "f, d, p", [(1, 1, 0), (3, 1, 1), (5, 1, 2), (7, 1, 3), (3, 2, 2), (2, 2, 1), (5, 3, 6)]
)
def test_same_padding_values(f, d, p):
    assert arith.same_padding(f, d) == p


@pytest.mark.parametrize("n", [1, 4, 7, 10])
@pytest.mark.parametrize("f, d", [(1, 1), (3, 1), (5, 1), (3, 2), (3, 3), (2, 2)])
def test_same_padding_keeps_the_size(n, f, d):
    p = arith.same_padding(f, d)
    if d * (f - 1) + 1 > n + 2 * p:  # never: p is half the span, the input is >= 1
        pytest.fail("same padding too small")
    out = cnnlab.conv2d(np.zeros((1, 1, n, n)), np.zeros((1, 1, f, f)), padding=p, dilation=d)
    assert out.shape[2:] == (n, n) == (arith.conv_output_size(n, f, p, 1, d),) * 2


@pytest.mark.parametrize("f, d", [(2, 1), (4, 1), (4, 3)])
def test_same_padding_refuses_even_spans(f, d):
    with pytest.raises(
        ValueError, match=rf"no symmetric 'same' padding for f={f}, d={d}.*odd kernel"
    ):
        arith.same_padding(f, d)


# ---------------------------------------------------------------------------------------
# receptive field: formula, the notes' example, and the field measured by backpropagation


@pytest.mark.parametrize("layers", range(1, 6))
@pytest.mark.parametrize("k", [1, 2, 3, 5, 7])
def test_stride1_stack_grows_by_k_minus_1_per_layer(layers, k):
    rf = arith.receptive_field([(k, 1)] * layers)
    assert [r.size for r in rf] == [1 + i * (k - 1) for i in range(1, layers + 1)]
    assert all(r.jump == 1 for r in rf)


def test_notes_four_3x3_layers_see_9x9():
    assert arith.receptive_field([(3, 1)] * 4)[-1].size == 9 == 1 + 4 * (3 - 1)


def test_receptive_field_sizes_jumps_and_starts_by_hand():
    rf = arith.receptive_field([(3, 1), (2, 2), (3, 1)])
    assert [r.size for r in rf] == [3, 4, 8]
    assert [r.jump for r in rf] == [1, 2, 2]
    assert [r.start for r in rf] == [1.0, 1.5, 3.5]
    # padding moves the first unit's centre back; dilation widens the kernel to d(k-1)+1
    (r,) = arith.receptive_field([(3, 2, 2, 1)])
    assert (r.kernel, r.stride, r.dilation, r.padding) == (3, 2, 2, 1)
    assert (r.size, r.jump, r.start) == (5, 2, 1.0)


# A layer: ("conv" | "pool", kernel, stride, dilation, padding). Pooling windows have the
# same geometry as convolutions, so arith treats them alike.
MIXED_STACK = [
    ("conv", 3, 1, 1, 1),
    ("pool", 2, 2, 1, 0),
    ("conv", 3, 1, 2, 2),  # dilated
    ("conv", 3, 2, 1, 1),  # strided and padded
    ("pool", 3, 2, 1, 1),  # overlapping pool with padding
    ("conv", 1, 1, 1, 0),
]


def empirical_field(stack, n, unit, pool_backward="avg"):
    """Input rows that reach output unit (unit, unit) of the stack, by backpropagation.

    A one-hot gradient at that unit goes back through cnnlab's own backward passes, with
    all-ones weights so nothing cancels. Max pooling sends a gradient only to the winner of
    each window, not to the whole field, so by default pooling layers go back through
    avg_pool2d_backward (the same windows); ``pool_backward="max"`` uses
    max_pool2d_backward on a random input, whose gradient must stay inside the field.
    Returns (first, last) input rows with a non-zero gradient and the output size.
    """
    x = np.random.default_rng(n).random((1, 1, n, n)) + 0.5
    inputs = []
    for kind, k, s, d, p in stack:  # forward: the input each layer sees
        inputs.append(x)
        if kind == "conv":
            x = cnnlab.conv2d(x, np.ones((1, 1, k, k)), stride=s, padding=p, dilation=d)
        else:
            x = cnnlab.max_pool2d(x, k, s, p)
    g = np.zeros_like(x)
    g[0, 0, unit, unit] = 1.0
    for (kind, k, s, d, p), x_in in zip(reversed(stack), reversed(inputs)):
        if kind == "conv":
            g, _, _ = cnnlab.conv2d_backward(g, x_in, np.ones((1, 1, k, k)), s, p, d)
        elif pool_backward == "max":
            g = cnnlab.max_pool2d_backward(g, x_in, k, s, p)
        else:
            g = cnnlab.avg_pool2d_backward(g, x_in, k, s, p)
    rows = np.flatnonzero(np.abs(g[0, 0]).sum(axis=1))
    cols = np.flatnonzero(np.abs(g[0, 0]).sum(axis=0))
    if pool_backward == "avg":
        assert np.array_equal(rows, cols)  # square stack: the same along both axes
    return rows[0], rows[-1], x.shape[-1]


def _interior_unit(rf):
    """The first output unit whose whole field lies inside the input, at least 1 from the edge
    (padding puts the fields of the first units partly outside)."""
    return max(0, math.ceil(((rf.size - 1) / 2 + 1 - rf.start) / rf.jump))


def _check_against_backprop(stack, n):
    rf = arith.receptive_field([(k, s, d, p) for _, k, s, d, p in stack])[-1]
    u = _interior_unit(rf)
    for unit in (u, u + 1):  # two neighbouring units: the second is one jump further
        first, last, out_size = empirical_field(stack, n, unit)
        why = f"{stack}: unit {unit} reaches input rows {first}..{last}; formula {rf}"
        assert unit < out_size, why
        assert last <= n - 2, "field touches the border: use a larger input; " + why
        assert last - first + 1 == rf.size, why
        assert (first + last) / 2 == rf.start + unit * rf.jump, why
        # through max pooling the gradient reaches only winners, all inside the field
        first_max, last_max, _ = empirical_field(stack, n, unit, pool_backward="max")
        assert first <= first_max <= last_max <= last, why


def test_receptive_field_matches_backpropagation_for_a_mixed_stack():
    # every prefix of the stack, the whole stack last
    for depth in range(1, len(MIXED_STACK) + 1):
        _check_against_backprop(MIXED_STACK[:depth], n=64)


@st.composite
def stacks(draw):
    layers = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["conv", "pool"]))
        k = draw(st.integers(1, 4))
        s = draw(st.integers(1, 3))
        d = draw(st.integers(1, 3)) if kind == "conv" else 1
        p = draw(st.integers(0, 2 if kind == "conv" else k // 2))
        layers.append((kind, k, s, d, p))
    return layers


@given(stack=stacks())
def test_receptive_field_matches_backpropagation_for_random_stacks(stack):
    rf = arith.receptive_field([(k, s, d, p) for _, k, s, d, p in stack])[-1]
    # an input wide enough for both checked units to have their whole field inside it
    last = rf.start + (_interior_unit(rf) + 1) * rf.jump + (rf.size - 1) / 2
    n = math.ceil(last) + 2 + rf.jump
    _check_against_backprop(stack, n)


def test_receptive_field_rows_are_namedtuples():
    (r,) = arith.receptive_field([(5, 1)])
    assert r._fields == ("kernel", "stride", "dilation", "padding", "size", "jump", "start")
    assert r == arith.LayerRF(5, 1, 1, 0, 5, 1, 2.0)


# ---------------------------------------------------------------------------------------
# parameters and multiplications


def test_conv_params_notes_example():
    assert cnnlab.conv_params(3, 3, 10) == 280  # ten 3x3x3 filters, one bias each
    assert cnnlab.conv_params(3, 3, 10, bias=False) == 270
    assert cnnlab.conv_params((3, 3), 3, 10) == 280
    assert cnnlab.conv_params((5,), 2, 4) == 4 * (5 * 2 + 1)  # 1D
    assert cnnlab.conv_params((3, 3, 3), 2, 4) == 4 * (27 * 2 + 1)  # 3D


@pytest.mark.parametrize("f, c_in, c_out", [(3, 3, 10), ((3, 5), 4, 7), (1, 192, 16), (5, 16, 32)])
def test_conv_params_counts_torch_parameters(f, c_in, c_out):
    layer = torch.nn.Conv2d(c_in, c_out, f)
    assert cnnlab.conv_params(f, c_in, c_out) == sum(p.numel() for p in layer.parameters())


def test_conv_params_does_not_depend_on_image_size():
    # weight sharing: the same 280 numbers slide over any image
    w = np.ones((10, 3, 3, 3))
    for n in (8, 32):
        assert cnnlab.conv2d(np.ones((1, 3, n, n)), w, b=np.zeros(10)).shape[1] == 10
    assert w.size + 10 == cnnlab.conv_params(3, 3, 10)


def test_conv_macs_inception_numbers():
    assert cnnlab.conv_macs(28, 5, 192, 32) == 120_422_400  # the notes' ~120M
    bottleneck = cnnlab.conv_macs(28, 1, 192, 16) + cnnlab.conv_macs(28, 5, 16, 32)
    assert bottleneck == 12_443_648  # ~12.4M, about ten times fewer
    assert cnnlab.conv_macs((28, 28), (5, 5), 192, 32) == 120_422_400
    assert cnnlab.conv_macs((10,), (3,), 2, 4) == 10 * 4 * 3 * 2


def test_conv_macs_counts_the_multiplications_conv2d_does():
    # one multiplication per weight per output position
    h_out = arith.conv_output_size(9, 3, 1, 2)
    assert cnnlab.conv_macs(h_out, 3, 4, 5) == h_out * h_out * 5 * 3 * 3 * 4


# ---------------------------------------------------------------------------------------
# error messages


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: arith.conv_output_size(7, 9), r"n=7, f=9, p=0, s=1, d=1 is not positive: the kernel \(9\) is larger than the padded input \(7\); use padding >= 1 or a kernel <= 7\. Formula: out = floor"),
        (lambda: arith.conv_output_size(4, 3, d=2), r"kernel with dilation 2 spans 5 is larger than the padded input \(4\); use padding >= 1 or a kernel <= 2"),
        (lambda: arith.conv_output_size(3, 8, p=1), r"padded input \(5\); use padding >= 3 or a kernel <= 5"),
        (lambda: arith.conv_output_size(0, 3), r"input size n must be an integer >= 1, got 0"),
        (lambda: arith.conv_output_size(5, 0), r"kernel size f must be an integer >= 1, got 0"),
        (lambda: arith.conv_output_size(5, 3, p=-1), r"padding p must be an integer >= 0, got -1"),
        (lambda: arith.conv_output_size(5, 3, s=0), r"stride s must be an integer >= 1, got 0"),
        (lambda: arith.conv_output_size(5, 3, s=1.5), r"stride s must be an integer >= 1, got 1.5"),
        (lambda: arith.conv_output_size(5, 3, s=True), r"stride s must be an integer >= 1, got True"),
        (lambda: arith.conv_output_size(5, 3, d=0), r"dilation d must be an integer >= 1, got 0"),
        (lambda: arith.conv_output_size("5", 3), r"input size n must be an integer >= 1, got '5'"),
        (lambda: arith.conv_output_size(5, np.array([3, 3])), r"kernel size f must be an integer >= 1, got array"),
        (lambda: arith.same_padding(0), r"kernel size f must be an integer >= 1, got 0"),
        (lambda: arith.same_padding(3, d=0.5), r"dilation d must be an integer >= 1, got 0.5"),
        (lambda: arith.receptive_field([]), r"layers must be a non-empty list of \(kernel, stride.*e\.g\. \[\(3, 1\), \(2, 2\)\], got \[\]"),
        (lambda: arith.receptive_field("3,1"), r"layers must be a non-empty list.*got '3,1'"),
        (lambda: arith.receptive_field(None), r"layers must be a non-empty list.*got None"),
        (lambda: arith.receptive_field((3, 1)), r"layer 0 must be \(kernel, stride\[, dilation\[, padding\]\]\), got 3"),
        (lambda: arith.receptive_field([(3, 1), (3,)]), r"layer 1 must be .*got \(3,\)"),
        (lambda: arith.receptive_field([(3, 1, 1, 0, 9)]), r"layer 0 must be .*got \(3, 1, 1, 0, 9\)"),
        (lambda: arith.receptive_field([(0, 1)]), r"layer 0 kernel must be an integer >= 1, got 0"),
        (lambda: arith.receptive_field([(3, 1), (3, 0)]), r"layer 1 stride must be an integer >= 1, got 0"),
        (lambda: arith.receptive_field([(3, 1, 0)]), r"layer 0 dilation must be an integer >= 1, got 0"),
        (lambda: arith.receptive_field([(3, 1, 1, -1)]), r"layer 0 padding must be an integer >= 0, got -1"),
        (lambda: arith.receptive_field([(3.5, 1)]), r"layer 0 kernel must be an integer >= 1, got 3.5"),
        (lambda: arith.conv_params(0, 3, 10), r"kernel size f must be an integer >= 1, got 0"),
        (lambda: arith.conv_params((), 3, 10), r"kernel size f must be an int or a non-empty tuple of ints"),
        (lambda: arith.conv_params(3, 0, 10), r"c_in must be an integer >= 1, got 0"),
        (lambda: arith.conv_params(3, 3, 2.5), r"c_out must be an integer >= 1, got 2.5"),
        (lambda: arith.conv_macs(0, 3, 3, 3), r"out_size must be an integer >= 1, got 0"),
        (lambda: arith.conv_macs((28, 28, 28), 5, 3, 3), r"out_size \(28, 28, 28\) and kernel \(5, 5\) must have the same number of dimensions"),
        (lambda: arith.conv_macs(28, 5, 3, 0), r"c_out must be an integer >= 1, got 0"),
    ],
)  # fmt: skip
def test_bad_input_raises_value_error_saying_what_is_valid(call, match):
    with pytest.raises(ValueError, match=match):
        call()
