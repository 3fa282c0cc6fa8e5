"""The receptive-field checkers (cnnlab.receptive.check) accept the reference answers and name the typical mistakes."""

import pytest

from cnnlab import arith
from cnnlab.receptive import check


def reference_rf(layers):
    size, jump = 1, 1
    for kernel, stride in layers:
        size += (kernel - 1) * jump
        jump *= stride
    return size


def test_reference_matches_arith():
    for layers in check.RF_TEST_STACKS:
        assert reference_rf(layers) == arith.receptive_field(list(layers))[-1].size


# exercise 1: L layers of K x K


@pytest.mark.parametrize("L, K", [(5, 5), (4, 3), (3, 7)])
def test_stack_accepts_the_reference(L, K):
    assert check.receptive_field_stack(1 + L * (K - 1), L, K).ok


@pytest.mark.parametrize(
    "answer, hint",
    [
        (20, "Off by one"),
        (26, "not K"),
        (25, "K-1, not K"),
        (3125, "adding, not multiplying"),
        (None, "Replace None"),
        ((21, 21), "one number"),
        (7, "none of the usual slips"),
    ],
)
def test_stack_names_the_mistake(answer, hint):
    fb = check.receptive_field_stack(answer)
    assert not fb.ok and hint in fb.message


# exercise 2: a stride-2 layer in the middle


def test_strided_accepts_the_reference():
    assert check.receptive_field_strided(15).ok
    assert check.receptive_field_strided(reference_rf(check.RF_STRIDED_LAYERS)).ok
    other = [(5, 2), (3, 1), (3, 1)]
    assert check.receptive_field_strided(13, other).ok


@pytest.mark.parametrize(
    "answer, hint",
    [
        (11, "forgot to multiply by the jump"),
        (17, "too early"),
        (21, "final jump"),
        (14, "Off by one (one too few)"),
        (16, "Off by one (one too many)"),
        (22, "not K"),
        (None, "Replace None"),
        (13, "none of the usual slips"),
    ],
)
def test_strided_names_the_mistake(answer, hint):
    fb = check.receptive_field_strided(answer)
    assert not fb.ok and hint in fb.message


# exercise 3: the recursion as a function


def test_function_accepts_the_reference():
    assert check.receptive_field_function(reference_rf).ok


def _no_jump(layers):
    return 1 + sum(k - 1 for k, _ in layers)


def _early(layers):
    size, jump = 1, 1
    for k, s in layers:
        jump *= s
        size += (k - 1) * jump
    return size


def _no_one(layers):
    return reference_rf(layers) - 1


def _with_k(layers):
    size, jump = 1, 1
    for k, s in layers:
        size += k * jump
        jump *= s
    return size


def _stride1_only(layers):
    return 1 + len(layers) * (layers[0][0] - 1)


def _crash(layers):
    return layers[10]


@pytest.mark.parametrize(
    "fn, hint",
    [
        (_no_jump, "forgot to multiply by the jump"),
        (_early, "too early"),
        (_no_one, "one too few"),
        (_with_k, "not K"),
        (_stride1_only, "the receptive field is"),
        (_crash, "raised IndexError"),
        (lambda layers: None, "forget `return"),
        (42, "Pass your function"),
    ],
)
def test_function_names_the_mistake(fn, hint):
    fb = check.receptive_field_function(fn)
    assert not fb.ok and hint in fb.message


def test_the_stub_states_the_task_not_the_method():
    def rf_size(layers):
        raise NotImplementedError

    fb = check.receptive_field_function(rf_size)
    assert not fb.ok and "not written yet" in fb.message and "(kernel, stride)" in fb.message
    # no step of the recursion in the stub's message: it is what the learner works out
    for step in ("jump", "K-1", "(K - 1)", "multiply", "product"):
        assert step not in fb.message, step
