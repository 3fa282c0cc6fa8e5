"""The empirical receptive field (cnnlab.receptive.measured) against the formula, an
independent path-counting reference and PyTorch autograd."""

from collections import Counter

import numpy as np
import pytest
import torch
from hypothesis import assume, given
from hypothesis import strategies as st
from torch import nn

from cnnlab import arith, receptive

# ---------------------------------------------------------------------------------------
# stacks to sweep


@st.composite
def layer_specs(draw):
    kind = draw(st.sampled_from(["conv", "conv", "max", "avg"]))
    k = draw(st.integers(1, 4))
    s = draw(st.integers(1, 3))
    if kind == "conv":
        return (k, s, draw(st.integers(1, 2)), draw(st.integers(0, 2)))
    return (kind, k, s, draw(st.integers(0, k // 2)))


@st.composite
def stacks(draw):
    """A stack, an input size it fits, and one unit of its last feature map."""
    layers = draw(st.lists(layer_specs(), min_size=1, max_size=4))
    size = (draw(st.integers(6, 28)), draw(st.integers(6, 28)))
    try:
        out = receptive.feature_map_sizes(layers, size)[-1]
    except ValueError:
        assume(False)
    unit = (draw(st.integers(0, out[0] - 1)), draw(st.integers(0, out[1] - 1)))
    return layers, size, unit


def reference_counts_1d(layers, n, u):
    """Paths from every input position to output position ``u``, along one axis.

    Walks the windows down the stack with plain integer arithmetic: position q of a layer
    reads q*stride - padding + j*dilation of its input, for j < kernel, where that index
    is inside the input (padding reads zeros, which lead nowhere).
    """
    stack = receptive.parse_layers(layers)
    sizes = [n]
    for L in stack:
        sizes.append(arith.conv_output_size(sizes[-1], L.f, L.p, L.s, L.d))
    counts = Counter({u: 1})
    for L, n_in in zip(reversed(stack), reversed(sizes[:-1])):
        below = Counter()
        for q, c in counts.items():
            for j in range(L.f):
                p = q * L.s - L.p + j * L.d
                if 0 <= p < n_in:
                    below[p] += c
        counts = below
    out = np.zeros(n)
    for p, c in counts.items():
        out[p] = c
    return out


# ---------------------------------------------------------------------------------------
# the empirical field against the formula


def test_notes_example_four_3x3_layers_see_9x9():
    mask = receptive.empirical_receptive_field([(3, 1)] * 4, 15)
    rows, cols = np.nonzero(mask)
    assert mask.sum() == 81
    assert (rows.min(), rows.max(), cols.min(), cols.max()) == (3, 11, 3, 11)
    assert receptive.receptive_box([(3, 1)] * 4, 15) == (3, 3, 11, 11)
    assert receptive.stride1_size(4, 3) == 9


@pytest.mark.parametrize("n_layers", [1, 2, 3, 5])
@pytest.mark.parametrize("kernel", [1, 2, 3, 5])
def test_stride1_stacks_follow_one_plus_L_times_K_minus_1(n_layers, kernel):
    stack = [(kernel, 1)] * n_layers
    mask = receptive.empirical_receptive_field(stack, 40)
    side = 1 + n_layers * (kernel - 1)
    assert mask.sum() == side * side
    assert receptive.formula_receptive_field(stack)[-1].size == side


@given(stacks())
def test_gradient_counts_paths_exactly(case):
    """input_gradient with all-ones weights = the number of paths, from plain index sums."""
    layers, (h, w), (r, c) = case
    counts = receptive.input_gradient(layers, (h, w), (r, c))
    expected = np.outer(reference_counts_1d(layers, h, r), reference_counts_1d(layers, w, c))
    np.testing.assert_array_equal(counts, expected)


@given(stacks())
def test_extent_matches_formula(case):
    """The measured field lies in the formula's square; when the square is inside the
    image its bounding box is exactly the square, and without dilation or strides larger
    than the kernel there are no holes in it."""
    layers, (h, w), unit = case
    mask = receptive.empirical_receptive_field(layers, (h, w), unit)
    top, left, bottom, right = receptive.receptive_box(layers, (h, w), unit)
    rows, cols = np.nonzero(mask)
    inside = top >= 0 and left >= 0 and bottom < h and right < w
    if not rows.size:  # a unit whose windows read only padding sees no pixel at all
        assert not inside
        return
    assert rows.min() >= max(top, 0) and rows.max() <= min(bottom, h - 1)
    assert cols.min() >= max(left, 0) and cols.max() <= min(right, w - 1)
    if inside:  # then no window reached the padding anywhere in the stack
        assert (rows.min(), cols.min(), rows.max(), cols.max()) == (top, left, bottom, right)
        stack = receptive.parse_layers(layers)
        if all(L.d == 1 and L.s <= L.f for L in stack):
            assert mask[top : bottom + 1, left : right + 1].all()
            assert mask.sum() == (bottom - top + 1) * (right - left + 1)


def test_a_unit_that_reads_only_padding_sees_nothing():
    stack = [(1, 1, 1, 2)]  # a 1x1 conv with padding 2: the border units read zeros
    assert not receptive.empirical_receptive_field(stack, 6, unit=(0, 3)).any()
    assert receptive.receptive_box(stack, 6, unit=(0, 3)) == (-2, 1, -2, 1)


def test_vgg_like_stack_centre_unit():
    vgg = [(3, 1, 1, 1), (3, 1, 1, 1), ("max", 2)] * 2 + [(3, 1, 1, 1)] * 3 + [("max", 2)]
    rfs = receptive.formula_receptive_field(vgg)
    assert [r.size for r in rfs] == [3, 5, 6, 10, 14, 16, 24, 32, 40, 44]
    assert [r.jump for r in rfs][-1] == 8
    mask = receptive.empirical_receptive_field(vgg, 64)
    box = receptive.receptive_box(vgg, 64)
    assert box == (6, 6, 49, 49)
    assert mask.sum() == 44 * 44 and mask[6:50, 6:50].all()


def test_dilation_leaves_holes_but_keeps_the_extent():
    stack = [(3, 1, 2), (3, 1, 2)]  # every offset is even: a checkerboard of holes
    mask = receptive.empirical_receptive_field(stack, 15)
    assert receptive.receptive_box(stack, 15) == (3, 3, 11, 11)
    assert mask.sum() == 25 and mask[3:12:2, 3:12:2].all()
    assert receptive.missing_pixels(mask, (3, 3, 11, 11)) == 81 - 25


def test_padding_square_sticks_out_of_the_image_at_the_corner():
    stack = [(3, 1, 1, 1)] * 3
    box = receptive.receptive_box(stack, 10, unit=(0, 0))
    assert box == (-3, -3, 3, 3)
    mask = receptive.empirical_receptive_field(stack, 10, unit=(0, 0))
    assert mask.sum() == 16 and mask[:4, :4].all()


# ---------------------------------------------------------------------------------------
# against PyTorch autograd


def torch_stack(layers, kernels=None, sum_pools=False):
    """The same stack in PyTorch, one channel, no bias. kernels: one (K, K) per conv
    (all ones if None); sum_pools: every pool becomes a window sum (as weights='ones')."""
    mods, ks = [], iter(kernels) if kernels is not None else None
    for L in receptive.parse_layers(layers):
        if L.kind == "conv":
            conv = nn.Conv2d(1, 1, L.f, L.s, L.p, L.d, bias=False, dtype=torch.float64)
            with torch.no_grad():
                k = np.ones((L.f, L.f)) if ks is None else next(ks)
                conv.weight.copy_(torch.as_tensor(k, dtype=torch.float64)[None, None])
            mods.append(conv)
        elif L.kind == "avg" or sum_pools:
            mods.append(nn.AvgPool2d(L.f, L.s, L.p))
            if sum_pools:
                mods.append(_Scale(L.f**2))
        else:
            mods.append(nn.MaxPool2d(L.f, L.s, L.p))
    return nn.Sequential(*mods).double()


class _Scale(nn.Module):
    def __init__(self, factor):
        super().__init__()
        self.factor = factor

    def forward(self, x):
        return x * self.factor


def torch_input_gradient(model, x, unit):
    xt = torch.as_tensor(x, dtype=torch.float64)[None, None].requires_grad_(True)
    model(xt)[0, 0, unit[0], unit[1]].backward()
    return xt.grad[0, 0].numpy()


@given(stacks(), st.integers(0, 2**31 - 1))
def test_random_weights_match_torch_autograd(case, seed):
    layers, size, unit = case
    rng = np.random.default_rng(seed)
    stack = receptive.parse_layers(layers)
    kernels = [rng.standard_normal((L.f, L.f)) for L in stack if L.kind == "conv"]
    x = rng.standard_normal(size)
    ours = receptive.input_gradient(layers, size, unit, weights=kernels, x=x)
    theirs = torch_input_gradient(torch_stack(layers, kernels), x, unit)
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)


@given(stacks())
def test_ones_weights_match_torch_and_max_pool_stays_inside(case):
    layers, size, unit = case
    x = np.random.default_rng(0).standard_normal(size)
    counts = receptive.input_gradient(layers, size, unit)
    theirs = torch_input_gradient(torch_stack(layers, sum_pools=True), x, unit)
    np.testing.assert_allclose(counts, theirs, rtol=1e-9, atol=1e-9)
    # A real max pool sends the gradient to one winner per window: always inside the field.
    routed = torch_input_gradient(torch_stack(layers), x, unit)
    assert not np.any((routed != 0) & ~receptive.empirical_receptive_field(layers, size, unit))


# ---------------------------------------------------------------------------------------
# effective field, holes, errors


def test_effective_field_peaks_in_the_middle():
    stack = [(3, 1)] * 6
    erf = receptive.effective_receptive_field(stack, 25, draws=64, seed=0)
    mask = receptive.empirical_receptive_field(stack, 25)
    assert erf.max() == 1.0 and np.all(erf[~mask] == 0)
    peak = np.unravel_index(np.argmax(erf), erf.shape)
    assert abs(peak[0] - 12) <= 2 and abs(peak[1] - 12) <= 2
    inner, ring = erf[9:16, 9:16].mean(), erf[mask].mean()
    assert inner > 2 * erf[6:19, 6][mask[6:19, 6]].mean() and inner > ring


@pytest.mark.parametrize(
    "layers, size, unit, match",
    [
        ([(3, 1)] * 4, 8, None, "layer 4 .* feature map"),
        ([(3, 2)] * 3, 8, None, "is not positive"),
        ([(3, 1)], 8, (6, 0), "outside the last feature map"),
        ([("min", 2)], 8, None, "kind must be one of"),
        ([("max", 2, 2, 2)], 8, None, "at most half the kernel"),
        ([], 8, None, "non-empty"),
        ([(3, 0)], 8, None, "stride"),
        ([(3, 1)], 0, None, "input_size"),
    ],
)
def test_bad_input_raises_with_a_message(layers, size, unit, match):
    with pytest.raises(ValueError, match=match):
        receptive.empirical_receptive_field(layers, size, unit)


def test_weights_must_fit_the_stack():
    with pytest.raises(ValueError, match="one \\(K, K\\) kernel per conv"):
        receptive.input_gradient([(3, 1), (3, 1)], 9, weights=[np.ones((3, 3))])
    with pytest.raises(ValueError, match="weights must be"):
        receptive.input_gradient([(3, 1)], 9, weights="zeros")
