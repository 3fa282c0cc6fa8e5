"""cnnlab.generalizations.check: the checkers accept the reference answers and name the
typical mistakes."""

import numpy as np
import pytest
import torch
from torch import nn

from cnnlab import arith
from cnnlab.generalizations import check, signals

# exercise 1: output shape of Conv1d(4, 16, 15, stride=4, padding=7) on (4, 800)

E1 = check.CONV1D_EXERCISE


def test_reference_shape_is_what_pytorch_gives():
    conv = nn.Conv1d(
        E1["c_in"], E1["c_out"], E1["kernel"], stride=E1["stride"], padding=E1["padding"]
    )
    shape = tuple(conv(torch.zeros(E1["c_in"], E1["length"])).shape)
    assert shape == (16, 200)
    assert arith.conv_output_size(800, 15, 7, 4) == 200
    assert check.conv1d_output_shape(shape).ok


@pytest.mark.parametrize("answer", [(16, 200), [16, 200], np.array([16, 200]), (16.0, 200.0)])
def test_conv1d_output_shape_accepts_the_reference(answer):
    assert check.conv1d_output_shape(answer).ok


@pytest.mark.parametrize(
    "answer, hint",
    [
        ((4, 200), "one channel per filter"),
        ((200, 16), "channels first"),
        ((16, 201), "rounds down"),
        ((16, 199), "+ 1"),
        ((16, 197), "left out the padding"),
        ((16, 800), "stride 1"),
        ((1, 16, 200), "batch axis"),
        ((16, 5), "not right yet"),
        ((16,), "two numbers"),
        (None, "tuple of two integers"),
        ("16x200", "tuple of two integers"),
        (200, "tuple of two integers"),
    ],
)
def test_conv1d_output_shape_names_the_mistake(answer, hint):
    feedback = check.conv1d_output_shape(answer)
    assert not feedback.ok
    assert hint in feedback.message


# exercise 2: parameters of Conv3d(8, 16, 3)

E2 = check.CONV3D_EXERCISE


def test_reference_params_is_what_pytorch_counts():
    conv = nn.Conv3d(E2["c_in"], E2["c_out"], E2["kernel"])
    count = sum(p.numel() for p in conv.parameters())
    assert count == arith.conv_params(E2["kernel"], E2["c_in"], E2["c_out"]) == 3472
    assert check.conv3d_params(count).ok
    assert check.conv3d_params(np.int64(3472)).ok
    assert check.conv3d_params(3472.0).ok


@pytest.mark.parametrize(
    "answer, hint",
    [
        (3456, "forgot the biases"),
        (448, "as deep as its input"),
        (432, "Two slips"),
        (1168, "not 9"),
        (3457, "its own bias"),
        (3584, "one bias, not one per input channel"),
        (217, "one filter"),
        (3472 * 64**3, "not right yet"),
        (None, "Replace None"),
    ],
)
def test_conv3d_params_names_the_mistake(answer, hint):
    feedback = check.conv3d_params(answer)
    assert not feedback.ok
    assert hint in feedback.message


# exercise 3: the derivative kernel


def test_reference_kernel_computes_the_derivative():
    t = np.linspace(0, 6, 61)
    x = np.sin(t)
    w = np.array([-0.5, 0.0, 0.5])
    step = t[1] - t[0]
    derivative = signals.filter_signal(x, w, pad="valid") / step
    np.testing.assert_allclose(derivative, np.cos(t[1:-1]), atol=2e-3)
    assert check.derivative_kernel(w).ok


@pytest.mark.parametrize(
    "answer", [[-0.5, 0, 0.5], np.array([-0.5, 0.0, 0.5]), signals.derivative(), [[[-0.5, 0, 0.5]]]]
)
def test_derivative_kernel_accepts_the_reference(answer):
    assert check.derivative_kernel(answer).ok


@pytest.mark.parametrize(
    "answer, hint",
    [
        ([0.5, 0, -0.5], "flipped"),
        ([-1, 0, 1], "Twice the derivative"),
        ([1, 0, -1], "Two slips"),
        ([1, -2, 1], "second derivative"),
        ([-1, 2, -1], "negative second derivative"),
        ([1 / 3, 1 / 3, 1 / 3], "smooths"),
        ([0, -1, 1], "forward difference"),
        ([-1, 1, 0], "backward difference"),
        ([1, 1, 1], "sum to 3"),
        ([-0.25, 0, 0.25], "Try it on x = t"),
        ([-0.5, 0.5], "got 2"),
        (None, "Replace None"),
        ("abc", "three numbers"),
    ],
)
def test_derivative_kernel_names_the_mistake(answer, hint):
    feedback = check.derivative_kernel(answer)
    assert not feedback.ok
    assert hint in feedback.message
