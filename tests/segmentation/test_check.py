"""cnnlab.segmentation.check: each checker accepts the reference answer and rejects each
typical mistake with the hint that names it."""

import pytest

from cnnlab import arith
from cnnlab import conv_transpose as ct
from cnnlab.segmentation import check, unet

# ---------------------------------------------------------------------------------------
# exercise 1: transposed_size(n, f, p, s, d, output_padding)


def reference(n, f, p=0, s=1, d=1, output_padding=0):
    return (n - 1) * s - 2 * p + d * (f - 1) + output_padding + 1


SLIPS = {
    "ordinary convolution's formula": lambda n, f, p=0, s=1, d=1, op=0: (
        (n + 2 * p - d * (f - 1) - 1) // s + 1
    ),
    "forget output_padding": lambda n, f, p=0, s=1, d=1, op=0: (
        (n - 1) * s - 2 * p + d * (f - 1) + 1
    ),
    "subtract the padding once": lambda n, f, p=0, s=1, d=1, op=0: (
        (n - 1) * s - p + d * (f - 1) + op + 1
    ),
    "add the padding": lambda n, f, p=0, s=1, d=1, op=0: (n - 1) * s + 2 * p + d * (f - 1) + op + 1,
    "forget the dilation": lambda n, f, p=0, s=1, d=1, op=0: (n - 1) * s - 2 * p + f + op,
    "use n·s": lambda n, f, p=0, s=1, d=1, op=0: n * s - 2 * p + d * (f - 1) + op + 1,
    "forget the + 1": lambda n, f, p=0, s=1, d=1, op=0: (n - 1) * s - 2 * p + d * (f - 1) + op,
    "forget the stride": lambda n, f, p=0, s=1, d=1, op=0: (n - 1) - 2 * p + d * (f - 1) + op + 1,
}


def test_the_cases_are_valid_and_the_reference_passes():
    for case in check.TRANSPOSED_SIZE_CASES:
        out = arith.conv_transpose_output_size(*case)
        assert out == reference(*case)
        n, f, p, s, d, _ = case  # a convolution with the same settings maps it back to n
        assert arith.conv_output_size(out, f, p, s, d) == n
    fb = check.transposed_size_function(reference)
    assert fb.ok and "all 9 cases" in fb.message


@pytest.mark.parametrize("slip", SLIPS)
def test_each_slip_gets_its_hint(slip):
    fb = check.transposed_size_function(SLIPS[slip])
    assert not fb.ok
    assert f"Did you {slip}" in fb.message or slip in fb.message
    assert "expected" in fb.message


def test_every_slip_is_caught_by_some_case():
    # no slip agrees with the reference on every case (else the checker could not see it)
    for slip, fn in SLIPS.items():
        assert any(fn(*c) != reference(*c) for c in check.TRANSPOSED_SIZE_CASES), slip


def test_unrecognised_and_broken_functions():
    fb = check.transposed_size_function(lambda *a: 42)
    assert not fb.ok and "term by term" in fb.message
    fb = check.transposed_size_function(lambda n, f: n)  # too few parameters
    assert not fb.ok and "raised TypeError" in fb.message
    assert not check.transposed_size_function(7).ok


# ---------------------------------------------------------------------------------------
# exercise 2: the inputs an output depends on

EX = check.DEPENDS_EXERCISE


def test_dependencies_reference_and_forms_of_the_answer():
    right = ct.contributing_inputs(EX["output"], EX["n"], EX["f"], EX["s"], EX["p"])
    assert right == {(1, 2), (2, 2)}
    for answer in (right, sorted(right), [[1, 2], [2, 2]], tuple(right)):
        assert check.transposed_dependencies(answer).ok


@pytest.mark.parametrize(
    "answer, hint",
    [
        ({(r, c) for r in (5, 6, 7) for c in (7, 8, 9)}, "ordinary convolution"),
        (set(), "ordinary convolution"),  # that window lies outside the 4x4 input
        ({(1, 1), (1, 2)}, "forget the padding"),
        ({(0, 1), (1, 1)}, "not o − p"),
        ({(2, 3), (3, 3)}, "forget the stride"),
        ({(1, 1), (1, 2), (2, 1), (2, 2)}, "One too many"),
        ({(2, 1), (2, 2)}, "swapped"),
        ({(1, 2)}, "missing"),
        ({(1, 2), (2, 2), (3, 2)}, "Too many"),
        ({(0, 0)}, "Not right yet"),
    ],
)
def test_dependencies_mistakes_get_their_hints(answer, hint):
    fb = check.transposed_dependencies(answer)
    assert not fb.ok and hint in fb.message
    assert "(1, 2)" not in fb.message  # the hint never gives the answer away


@pytest.mark.parametrize("answer", [None, 5, {(1, 2, 3)}, {(1.5, 2)}, "12"])
def test_dependencies_malformed_answers(answer):
    fb = check.transposed_dependencies(answer)
    assert not fb.ok and ("Replace None" in fb.message or "(row, col) pairs" in fb.message)


def test_dependency_mistakes_never_include_the_right_set_and_differ():
    for output in [(0, 0), (3, 4), (6, 6), (2, 5)]:
        right = ct.contributing_inputs(output, 4, 3, 2, 1)
        wrong = [w for _, w in check.depends_mistakes(4, 3, 2, 1, output)]
        assert right not in wrong and len(wrong) == len({frozenset(w) for w in wrong})


# ---------------------------------------------------------------------------------------
# exercise 3: the U-Net's concatenations

SKIP = check.SKIP_EXERCISE


def test_skip_reference_is_what_the_module_concatenates():
    model = unet.UNet(SKIP["input_shape"][0], 4, SKIP["width"], SKIP["depth"])
    traced = [cat for _, _, cat in unet.traced_skip_shapes(model, SKIP["input_shape"])]
    assert traced == [(16, 64, 96), (32, 32, 48), (64, 16, 24)]
    assert check.skip_concat_shapes(traced).ok
    assert check.skip_concat_shapes([list(t) for t in traced]).ok


@pytest.mark.parametrize(
    "answer, hint",
    [
        ([(8, 64, 96), (16, 32, 48), (32, 16, 24)], "skips alone"),
        ([(64, 16, 24), (32, 32, 48), (16, 64, 96)], "Top level first"),
        ([(24, 64, 96), (48, 32, 48), (96, 16, 24)], "halves the channels"),
        ([(16, 96, 64), (32, 48, 32), (64, 24, 16)], "swapped"),
        ([(16, 32, 48), (32, 16, 24), (64, 8, 12)], "One halving too many"),
        ([(16, 64, 96), (16, 32, 48), (16, 16, 24)], "double at every level"),
        ([(16, 64, 96), (32, 32, 48), (64, 16, 25)], "Level 2 is not right"),
        ([(16, 64, 96), (32, 32, 48)], "3 triples, got 2"),
        ([(1, 16, 64, 96), (1, 32, 32, 48), (1, 64, 16, 24)], "no batch axis"),
        (None, "Replace None"),
        ([1, 2, 3], "triples of integers"),
    ],
)
def test_skip_mistakes_get_their_hints(answer, hint):
    fb = check.skip_concat_shapes(answer)
    assert not fb.ok and hint in fb.message
