"""cnnlab.filters.check: the convolution checkers accept the reference answers and name the
typical mistakes."""

from __future__ import annotations

import numpy as np
import pytest

from cnnlab import conv2d, filters
from cnnlab.filters import check

# exercise 1: one output of the 6x6 image with Sobel, by hand


def test_sobel_by_hand_reference_is_the_window_sum():
    r, c = check.SOBEL_EXERCISE_POSITION
    window = check.SOBEL_EXERCISE_IMAGE[r : r + 3, c : c + 3]
    value = float(np.sum(window * filters.sobel_x()))
    assert value == 11
    assert check.sobel_by_hand(value).ok
    assert check.sobel_by_hand(np.int64(11)).ok


@pytest.mark.parametrize(
    "answer, hint",
    [
        (-11, "flipped the kernel"),
        (7, "That is out[1, 3]"),
        (2, "not centred"),
        (4, "middle row weighs 2"),
        (-7, "transposed kernel"),
        (None, "Replace the placeholder None"),
        (5, "none of the usual slips"),
    ],
)
def test_sobel_by_hand_names_the_mistake(answer, hint):
    fb = check.sobel_by_hand(answer)
    assert not fb.ok and hint in fb.message


# exercise 2: the inner loop of conv2d


def reference_loop(x, w, b):
    _, h, wd = x.shape
    _, kh, kw = w.shape
    out = np.zeros((h - kh + 1, wd - kw + 1))
    for r in range(h - kh + 1):
        for c in range(wd - kw + 1):
            out[r, c] = np.sum(x[:, r : r + kh, c : c + kw] * w) + b
    return out


def test_conv2d_loop_accepts_the_reference_and_a_vectorised_answer():
    assert check.conv2d_loop(reference_loop).ok
    assert check.conv2d_loop(lambda x, w, b: conv2d(x[None], w[None], np.array([b]))[0, 0]).ok


def _short_loop(x, w, b):
    _, h, wd = x.shape
    _, kh, kw = w.shape
    out = np.zeros((h - kh, wd - kw))  # n - f instead of n - f + 1
    for r in range(h - kh):
        for c in range(wd - kw):
            out[r, c] = np.sum(x[:, r : r + kh, c : c + kw] * w) + b
    return out


def _raises(x, w, b):
    return x[:, 100, 100]


def _stub(x, w, b):
    return np.zeros((x.shape[1] - w.shape[1] + 1, x.shape[2] - w.shape[2] + 1))


@pytest.mark.parametrize(
    "fn, hint",
    [
        (lambda x, w, b: reference_loop(x, w[:, ::-1, ::-1], b), "flipped the kernel"),
        (lambda x, w, b: reference_loop(x, w, 0.0), "forgot to add the bias"),
        (lambda x, w, b: reference_loop(x[:1], w[:1], b), "only the first channel"),
        (lambda x, w, b: reference_loop(x, w / w.size, b), "do not average"),
        (lambda x, w, b: reference_loop(x, w, b).T, "Rows and columns are swapped"),
        (_short_loop, "Wrong output size"),
        (_raises, "raised IndexError"),
        (_stub, "all zeros"),
        (lambda x, w, b: None, "returned None"),
        (lambda x, w, b: "text", "NumPy array of numbers"),
        (None, "Replace the placeholder None"),
        (42, "Pass the function itself"),
    ],
)
def test_conv2d_loop_names_the_mistake(fn, hint):
    fb = check.conv2d_loop(fn)
    assert not fb.ok and hint in fb.message, fb.message


def test_conv2d_loop_catches_errors_that_only_show_on_rectangles():
    # Square 6x6 with a 3x3 kernel passes; the 6x9 image with a 2x4 kernel does not.
    def square_only(x, w, b):
        _, h, _ = x.shape
        _, k, _ = w.shape
        n = h - k + 1
        out = np.zeros((n, n))
        for r in range(n):
            for c in range(n):
                out[r, c] = np.sum(x[:, r : r + k, c : c + k] * w) + b
        return out

    fb = check.conv2d_loop(square_only)
    assert not fb.ok and "(3, 7, 5)" in fb.message


# exercise 3: a horizontal-edge filter


@pytest.mark.parametrize(
    "kernel, name",
    [
        (filters.sobel_y(), "Sobel"),
        (filters.prewitt_y(), "Prewitt"),
        (filters.scharr_y() / 2, "Scharr"),
    ],
)
def test_horizontal_filter_accepts_and_names_the_classics(kernel, name):
    fb = check.horizontal_filter(kernel)
    assert fb.ok and name in fb.message


def test_horizontal_filter_accepts_any_correct_kernel():
    assert check.horizontal_filter([[1, 1], [-1, -1]]).ok
    assert check.horizontal_filter(np.array([[0, 1, 0], [0, 0, 0], [0, -1, 0]])).ok


@pytest.mark.parametrize(
    "kernel, hint",
    [
        (filters.sobel_x(), "transpose it"),
        (-filters.sobel_y(), "wrong sign"),
        (np.ones((3, 3)), "weights must sum to 0"),
        (filters.sobel_x() + filters.sobel_y(), "also responds to vertical edges"),
        (np.zeros((3, 3)), "detects nothing"),
        (np.array([1, 0, -1]), "2D kernel"),
        ("sobel_y", "array of numbers"),
        (None, "Replace the placeholder None"),
    ],
)
def test_horizontal_filter_names_the_mistake(kernel, hint):
    fb = check.horizontal_filter(kernel)
    assert not fb.ok and hint in fb.message, fb.message


# exercise 4: parameters of a layer


def test_filter_bank_params_reference():
    assert check.filter_bank_params(16 * (5 * 5 * 3 + 1)).ok


@pytest.mark.parametrize(
    "answer, hint",
    [
        (1200, "forgot the biases"),
        (416, "as deep as its input"),
        (1201, "16 biases"),
        (76, "one filter"),
        (774400, "counted output values"),
        (58080000, "counted multiplications"),
        (None, "Replace the placeholder None"),
        (1000, "none of the usual slips"),
    ],
)
def test_filter_bank_params_names_the_mistake(answer, hint):
    fb = check.filter_bank_params(answer)
    assert not fb.ok and hint in fb.message


def test_generic_hint_does_not_give_the_answer_away():
    from cnnlab.feedback import diagnose

    fb = diagnose(5, 11, {"forgot the bias": 10})
    assert not fb.ok and "11" not in fb.message and "5" in fb.message
