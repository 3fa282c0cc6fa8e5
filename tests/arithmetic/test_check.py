"""cnnlab.arithmetic.check: the output-size checkers accept the reference answers and name
the typical mistakes."""

import math

import pytest

from cnnlab import arith
from cnnlab.arithmetic import check


def reference(n, f, p=0, s=1, d=1):
    return (n + 2 * p - d * (f - 1) - 1) // s + 1


# the slips the hints are computed from


def test_reference_matches_arith_on_every_case():
    for case in check.OUTPUT_SIZE_CASES:
        assert reference(*case) == arith.conv_output_size(*case)


def test_mistakes_never_contain_the_right_answer_and_merge_collisions():
    for case in check.OUTPUT_SIZE_CASES:
        mistakes = check.conv_size_mistakes(*case)
        values = list(mistakes.values())
        assert reference(*case) not in values
        assert len(values) == len(set(values))
    # 24 -> 3x3, p=1, s=2: forgetting the padding and forgetting the +1 both give 11
    merged = {v: h for h, v in check.conv_size_mistakes(24, 3, 1, 2).items()}
    assert "padding" in merged[11] and "+ 1" in merged[11]


# exercise 1: the learner's output_size function


def correct(n, f, p=0, s=1, d=1):
    return (n + 2 * p - d * (f - 1) - 1) // s + 1


@pytest.mark.parametrize(
    "fn, hint",
    [
        (lambda n, f, p=0, s=1, d=1: n - f + 1, "forget the padding"),  # the stub
        (lambda n, f, p=0, s=1, d=1: (n - d * (f - 1) - 1) // s + 1, "forget the padding"),
        (lambda n, f, p=0, s=1, d=1: (n + p - d * (f - 1) - 1) // s + 1, "n + p"),
        (lambda n, f, p=0, s=1, d=1: math.ceil((n + 2 * p - d * (f - 1) - 1) / s) + 1, "round up"),
        (lambda n, f, p=0, s=1, d=1: (n + 2 * p - d * (f - 1) - 1) // s, "forget the + 1"),
        (lambda n, f, p=0, s=1, d=1: (n + 2 * p - f) // s + 1, "forget the dilation"),
        (lambda n, f, p=0, s=1, d=1: n + 2 * p - d * (f - 1), "forget the stride"),
        (lambda n, f, p=0, s=1, d=1: (n + 2 * p - d * (f - 1) - 1) / s + 1, "whole number"),
        (lambda n, f, p=0, s=1, d=1: (n + 2 * p - d * (f - 1)) // s, "divide the + 1"),
    ],
)
def test_function_names_the_slip(fn, hint):
    fb = check.output_size_function(fn)
    assert not fb.ok and hint in fb.message, fb.message
    assert "your function returned" in fb.message


def test_function_accepts_the_reference_and_arith():
    assert check.output_size_function(correct).ok
    assert check.output_size_function(arith.conv_output_size).ok
    # int(...) of a float division is a floor for positive numbers: accepted
    assert check.output_size_function(
        lambda n, f, p, s, d: int((n + 2 * p - d * (f - 1) - 1) / s) + 1
    ).ok


def test_function_reports_errors_and_non_functions():
    assert "raised ZeroDivisionError" in check.output_size_function(lambda *a: 1 / 0).message
    assert "Pass your function" in check.output_size_function(None).message
    fb = check.output_size_function(lambda n, f, p=0, s=1, d=1: 7)
    assert not fb.ok and "Check the formula" in fb.message


# exercise 2: sizes through a stack of layers


def test_stack_reference():
    n, sizes = check.LAYER_STACK_INPUT, []
    for f, p, s, d in check.LAYER_STACK:
        n = reference(n, f, p, s, d)
        sizes.append(n)
    assert sizes == [24, 12, 8, 3]
    assert check.layer_stack_sizes(sizes).ok
    assert check.layer_stack_sizes((24, 12, 8, 3)).ok


@pytest.mark.parametrize(
    "sizes, hint",
    [
        ([23, 11, 7, 3], "Layer 1"),
        ([23, 11, 7, 3], "+ 1"),
        ([24, 11, 7, 3], "Layer 2"),
        ([24, 11, 7, 3], "padding"),
        ([24, 13, 9, 4], "round up"),
        ([24, 12, 10, 4], "dilation"),
        ([24, 12, 8, 4], "Layer 4"),
        ([24, 12, 8, 4], "round up"),
        ([24, 12, 8, 3.5], "whole number"),
        ([24, 12, 8, 6], "stride"),
        ([24, 12, 8, 1], "not right yet"),
        (None, "Replace None"),
        ([24, 12], "one size per layer"),
        (5, "Give a list"),
    ],
)
def test_stack_names_the_mistake(sizes, hint):
    fb = check.layer_stack_sizes(sizes)
    assert not fb.ok and hint in fb.message, fb.message


def test_stack_generic_hint_does_not_give_the_answer_away():
    fb = check.layer_stack_sizes([24, 12, 8, 1])
    assert "3" not in fb.message.split(":", 1)[1]


# exercise 3: 'same' padding for a 5x5 kernel


def test_same_padding_accepts_the_reference():
    assert check.same_padding_f5(arith.same_padding(5)).ok
    assert check.same_padding_f5(2).ok and check.same_padding_f5(2.0).ok


@pytest.mark.parametrize(
    "p, hint",
    [
        (4, "total padding"),
        (5, "kernel size"),
        (0, "valid"),
        (3, "one pixel too many"),
        (1, "3x3"),
        (None, "Replace None"),
        (2.5, "not right yet"),
    ],
)
def test_same_padding_names_the_mistake(p, hint):
    fb = check.same_padding_f5(p)
    assert not fb.ok and hint in fb.message, fb.message


# exercise 4: the padding that halves 32 -> 16 at stride 2


def test_halving_accepts_the_reference():
    h = check.HALVING
    p = next(p for p in range(5) if reference(h["n"], h["f"], p, h["s"]) == h["target"])
    assert p == 1 and check.padding_for_halving(p).ok and check.padding_for_halving(1.0).ok


@pytest.mark.parametrize(
    "p, hint",
    [
        (0, "15x15"),
        (0, "floor drops the last row"),
        (2, "17x17"),
        (3, "pad less"),
        (None, "Replace None"),
        (-1, "whole number"),
        (0.5, "whole number"),
        ("1", "whole number"),
    ],
)
def test_halving_names_the_mistake(p, hint):
    fb = check.padding_for_halving(p)
    assert not fb.ok and hint in fb.message, fb.message


def test_padding_for_halving_takes_a_one_number_array_and_refuses_a_longer_one():
    import numpy as np

    from cnnlab.arithmetic import check as arithmetic_check

    assert arithmetic_check.padding_for_halving(np.array(1)).ok
    fb = arithmetic_check.padding_for_halving(np.array([1, 2]))
    assert not fb.ok and "whole number" in fb.message
