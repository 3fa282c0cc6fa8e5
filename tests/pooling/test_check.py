"""cnnlab.pooling.check: the pooling checkers accept the reference answers and name the
typical mistakes."""

import numpy as np
import pytest

from cnnlab import pool, pooling
from cnnlab.pooling import check

X = check.POOLING_GRID[None]  # (1, 2, 4, 4)
REFERENCE_POOL = pool.max_pool2d(X, 2)[0]


# exercise 1: max pooling of the 2-channel grid


def test_reference_pool_by_hand():
    # each channel on its own, windows rows/cols {0,1} and {2,3}
    expected = np.array([[[6, 5], [3, 9]], [[8, 3], [7, 9]]], dtype=float)
    np.testing.assert_array_equal(REFERENCE_POOL, expected)


@pytest.mark.parametrize(
    "answer",
    [REFERENCE_POOL, REFERENCE_POOL[None], REFERENCE_POOL.tolist(), REFERENCE_POOL.astype(int)],
)
def test_max_pool_grid_accepts_the_reference(answer):
    assert check.max_pool_grid(answer).ok


@pytest.mark.parametrize(
    "answer, hint",
    [
        (pool.max_pool2d(X, 2, stride=1)[0], "stride 1"),
        (pool.avg_pool2d(X, 2)[0], "average"),
        (-pool.max_pool2d(-X, 2)[0], "smallest"),
        (4 * pool.avg_pool2d(X, 2)[0], "added up"),
        (REFERENCE_POOL.transpose(0, 2, 1), "swapped rows and columns"),
        (REFERENCE_POOL.max(axis=0), "each channel separately"),
        (REFERENCE_POOL.max(axis=0, keepdims=True), "each channel separately"),
        (None, "Replace None"),
    ],
)
def test_max_pool_grid_names_the_mistake(answer, hint):
    feedback = check.max_pool_grid(answer)
    assert not feedback.ok
    assert hint in feedback.message


def test_max_pool_grid_other_wrong_answers():
    wrong = REFERENCE_POOL.copy()
    wrong[1, 1, 1] = 0
    feedback = check.max_pool_grid(wrong)
    assert not feedback.ok and "not right yet" in feedback.message
    assert not check.max_pool_grid(np.zeros((3, 3))).ok


# exercise 2: output shape of 3x3 / stride 2 pooling of 32x32x16


@pytest.mark.parametrize("answer", [(15, 15, 16), [15, 15, 16], np.array([15, 15, 16])])
def test_pool_output_shape_accepts_the_reference(answer):
    assert check.pool_output_shape(answer).ok


@pytest.mark.parametrize(
    "answer, hint",
    [
        ((16, 16, 16), "rounds down"),
        ((14, 14, 16), "+ 1"),
        ((30, 30, 16), "stride 1"),
        ((10, 10, 16), "kernel size as the stride"),
        ((15, 15, 1), "number of channels does not change"),
        ((15, 15, 8), "number of channels does not change"),
        ((15, 16, 16), "must be equal"),
        ((13, 13, 16), "floor((n + 2p - f)/s) + 1"),
        ((15, 15), "three numbers"),
        (None, "three integers"),
        ("15x15x16", "three integers"),
    ],
)
def test_pool_output_shape_names_the_mistake(answer, hint):
    feedback = check.pool_output_shape(answer)
    assert not feedback.ok
    assert hint in feedback.message


# exercise 3: which operations are equivariant


def exercise_ops():
    k3 = np.random.default_rng(2).normal(size=(1, 1, 3, 3))
    dense = np.random.default_rng(3).normal(size=(64, 64))
    return {
        "a": lambda t: pooling.circular_conv2d(t, k3),
        "b": lambda t: pooling.circular_conv2d(t, k3, stride=2),
        "c": lambda t: pool.max_pool2d(t, 2),
        "d": lambda t: pool.max_pool2d(pooling.wrap_pad(t, 3), 3, stride=1),
        "e": lambda t: np.maximum(t, 0),
        "f": lambda t: (dense @ t.reshape(-1)).reshape(t.shape),
    }


def test_reference_ops_answer_is_what_the_numbers_say():
    x = np.random.default_rng(1).normal(size=(1, 1, 8, 8))
    ops = exercise_ops()
    assert set(ops) == set(check.EQUIVARIANCE_OPS)
    measured = "".join(k for k, op in ops.items() if pooling.equivariance_error(op, x, 0, 1) < 1e-9)
    assert measured == "ade"
    assert check.equivariant_ops(measured).ok


@pytest.mark.parametrize("answer", ["ade", "ADE", "a, d, e", ["a", "d", "e"], {"e", "d", "a"}])
def test_equivariant_ops_accepts_the_reference(answer):
    assert check.equivariant_ops(answer).ok


@pytest.mark.parametrize(
    "answer, hint",
    [
        ("abde", "stride-2"),
        ("acde", "stride-2"),
        ("abcdef", "stride-2"),
        ("adef", "fully connected"),
        ("ad", "ReLU"),
        ("ae", "stride 1 (d)"),
        ("de", "stride-1 convolution (a)"),
        ("", "at least one"),
        (None, "Replace None"),
        ("axz", "Unknown letters"),
    ],
)
def test_equivariant_ops_names_the_mistake(answer, hint):
    feedback = check.equivariant_ops(answer)
    assert not feedback.ok
    assert hint in feedback.message


def test_odd_answers_get_a_hint_not_a_crash():
    from cnnlab.pooling import check as pooling_check

    fb = pooling_check.equivariant_ops(5)
    assert not fb.ok and "as a string" in fb.message
    fb = pooling_check.max_pool_grid("abc")
    assert not fb.ok and "(C, H_out, W_out)" in fb.message
