"""cnnlab.validate and the core's answers to bad input: wrong dtypes, truthy flags, sizes
that are not integers, and calls too large for memory (refused before allocating)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest

import cnnlab
from cnnlab import data, layers, validate

X = np.ones((1, 1, 5, 5))
W = np.ones((1, 1, 3, 3))
DOUT = np.ones((1, 1, 3, 3))

NOT_REAL = {
    "complex": DOUT + 1j,
    "bool": DOUT.astype(bool),
    "object of None": np.full(DOUT.shape, None),
    "strings": DOUT.astype(str),
    "None": None,
    "a string": "1",
}


@pytest.mark.parametrize("kind", NOT_REAL)
@pytest.mark.parametrize(
    "call",
    [
        lambda d: cnnlab.conv2d_backward(d, X, W),
        lambda d: cnnlab.max_pool2d_backward(d, X, 3, 1),
        lambda d: cnnlab.avg_pool2d_backward(d, X, 3, 1),
        lambda d: layers.relu_backward(d, DOUT > 0),
        lambda d: layers.tanh_backward(d, DOUT),
        lambda d: layers.affine_backward(d, (np.ones((1, 9)), np.ones((3, 3 * 3)))),
        lambda d: layers.flatten_backward(d, (1, 1, 3, 3)),
        lambda d: layers.conv_backward(d, (X, W, 1, 0), input_grad=False),
    ],
    ids=["conv", "max_pool", "avg_pool", "relu", "tanh", "affine", "flatten", "conv_dw_only"],
)
def test_backward_passes_refuse_a_dout_that_is_not_real_numbers(call, kind):
    with pytest.raises(ValueError, match=r"dout must (hold|be an array of) real numbers"):
        call(NOT_REAL[kind])


@pytest.mark.parametrize("dtype", [np.int8, np.int64, np.uint16, np.float16, np.float32])
def test_backward_passes_accept_any_real_dtype(dtype):
    dx, dw, db = cnnlab.conv2d_backward(DOUT.astype(dtype), X, W)
    np.testing.assert_allclose(dw, np.full((1, 1, 3, 3), 9.0))
    assert np.isfinite(cnnlab.max_pool2d_backward(DOUT.astype(dtype), X, 3, 1)).all()


def test_backward_refuses_a_dout_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"relu_backward: dout must have the forward output's"):
        layers.relu_backward(np.ones((2, 2)), DOUT > 0)
    with pytest.raises(ValueError, match=r"affine_backward: dout must have .* \(1, 3\)"):
        layers.affine_backward(np.ones((1, 4)), (np.ones((1, 9)), np.ones((3, 9))))


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: cnnlab.conv_params(3, 3, 10, bias="no"), r"bias must be True or False, got 'no'"),
        (lambda: cnnlab.conv_params(3, 3, 10, bias=1), r"bias must be True or False, got 1"),
        (lambda: data.image("chelsea", gray="no"), r"gray must be True or False, got 'no'"),
        (lambda: data.image("chelsea", 4.5), r"size must be an integer >= 4, got 4.5"),
        (lambda: data.image("chelsea", "16"), r"size must be an integer >= 4, got '16'"),
        (lambda: data.image("chelsea", float("nan")), r"size must be an integer >= 4, got nan"),
        (lambda: data.image("chelsea", float("inf")), r"size must be an integer >= 4, got inf"),
        (lambda: data.image(None), r"unknown image None; choose one of"),
        (
            lambda: layers.softmax_cross_entropy(np.ones((2, 3)), np.array([0.0, 1.0])),
            r"labels y must be integers",
        ),
        (
            lambda: layers.affine_forward(np.ones((1, 2)) + 1j, np.ones((1, 2)), np.ones(1)),
            r"x must hold real numbers",
        ),
    ],
)
def test_flags_sizes_and_labels_get_clear_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_flags_accept_numpy_bools_and_sizes_numpy_ints():
    assert cnnlab.conv_params(3, 3, 10, bias=np.bool_(False)) == 270
    assert data.image("chelsea", np.int64(16)).shape == (11, 16, 3)


def test_as_real_array_names_what_it_got():
    with pytest.raises(
        ValueError, match=r"x must hold real numbers, got dtype complex128 \(complex numbers\)"
    ):
        validate.as_real_array("x", [1j])
    with pytest.raises(ValueError, match=r"rectangular nested list"):
        validate.as_real_array("x", [[1, 2], [3]])
    assert validate.as_real_array("x", [1, 2]).dtype.kind == "i"


def test_check_memory_refuses_above_the_limit_and_says_what_to_change(monkeypatch):
    validate.check_memory("a call", 1000, "use less")  # fine
    monkeypatch.setattr(validate, "MEMORY_LIMIT_BYTES", 999)
    with pytest.raises(validate.TooLargeError, match=r"a call would need about .* MiB .* use less"):
        validate.check_memory("a call", 1000, "use less")
    with pytest.raises(validate.TooLargeError, match=r"^a lazy call would need"):
        validate.check_memory(lambda: "a lazy call", 1000, "use less")
    validate.check_memory(lambda: 1 / 0, 10, "use less")  # fits: the text is never written
    assert issubclass(validate.TooLargeError, ValueError)  # widgets show it in place


def test_the_memory_limit_is_read_at_call_time(monkeypatch):
    monkeypatch.setattr(validate, "MEMORY_LIMIT_BYTES", 10_000)
    with pytest.raises(validate.TooLargeError, match="conv2d of x"):
        cnnlab.conv2d(np.ones((1, 1, 64, 64)), np.ones((1, 1, 3, 3)))


HUGE_CALLS = {
    "conv2d on a broadcast 1x1x100000x100000 view": (
        "cnnlab.conv2d(np.broadcast_to(np.ones(1), (1, 1, 100000, 100000)), np.ones((1, 1, 3, 3)))"
    ),
    "conv2d with padding 50000 on a 1x1 image": (
        "cnnlab.conv2d(np.ones((1, 1, 1, 1)), np.ones((1, 1, 1, 1)), padding=50000)"
    ),
    "conv2d_backward on a broadcast view": (
        "x = np.broadcast_to(np.ones(1), (1, 1, 100000, 100000));"
        "cnnlab.conv2d_backward(np.broadcast_to(np.ones(1), (1, 1, 99998, 99998)), x, np.ones((1, 1, 3, 3)))"
    ),
    "max_pool2d on a huge view": (
        "cnnlab.max_pool2d(np.broadcast_to(np.ones(1), (1, 1, 200000, 200000)), 2)"
    ),
    "avg_pool2d_backward on a huge view": (
        "x = np.broadcast_to(np.ones(1), (1, 1, 200000, 200000));"
        "cnnlab.avg_pool2d_backward(np.broadcast_to(np.ones(1), (1, 1, 100000, 100000)), x, 2)"
    ),
    "image of a million pixels a side": "cnnlab.data.image('chelsea', 10**6)",
}


@pytest.mark.parametrize("name", HUGE_CALLS)
def test_huge_calls_are_refused_before_allocating(name):
    """In a child process whose address space is capped at 3 GiB: a call that tried to
    allocate would die with MemoryError (or be killed); the guard refuses it first."""
    code = textwrap.dedent(
        f"""
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))
        import numpy as np
        import cnnlab, cnnlab.data
        from cnnlab.validate import TooLargeError
        try:
            {HUGE_CALLS[name]}
        except TooLargeError as err:
            print("refused:", err)
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "refused:" in proc.stdout and "MEMORY_LIMIT_BYTES" in proc.stdout, proc.stdout


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: validate.as_tuple("stride", (1, 2, 3), 2, 1), r"stride must be one integer or 2 integers \(one per spatial dimension\), got \(1, 2, 3\)"),
        (lambda: validate.as_tuple("stride", 1.5, 2, 1), r"stride must be an integer >= 1, got 1.5"),
        (lambda: validate.check_int("epochs", None, 1), r"epochs must be an integer >= 1, got None"),
        (lambda: validate.check_int("epochs", True, 1), r"epochs must be an integer >= 1, got True"),
    ],
)  # fmt: skip
def test_integer_checks_say_what_is_valid(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_as_tuple_forms():
    assert validate.as_tuple("stride", 2, 2, 1) == (2, 2)
    assert validate.as_tuple("stride", (1, 2), 2, 1) == (1, 2)
    assert validate.as_tuple("stride", [3], 1, 1) == (3,)
    assert validate.as_tuple("padding", np.int64(0), 3, 0) == (0, 0, 0)
    assert (
        validate.check_int("n", np.int16(4), 1) == 4
        and type(validate.check_int("n", np.int16(4), 1)) is int
    )
