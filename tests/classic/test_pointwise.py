"""A 1x1 conv + ReLU + 1x1 conv computes |c1 - c2| per pixel; no linear 1x1 map can."""

import numpy as np
import pytest
import torch

from cnnlab import conv
from cnnlab.classic import pointwise as pw


def test_the_task_is_per_pixel():
    x, y = pw.abs_difference_task(n=3, size=5, seed=1)
    assert x.dtype == np.float32 and x.shape == (3, 2, 5, 5) and y.shape == (3, 1, 5, 5)
    assert x.min() >= -1 and x.max() <= 1
    np.testing.assert_array_equal(y, np.abs(x[:, :1] - x[:, 1:]))
    with pytest.raises(ValueError, match="size"):
        pw.abs_difference_task(size=0)


def test_best_linear_fit_is_least_squares_and_a_constant():
    x, y = pw.abs_difference_task(n=16, size=16, seed=0)
    coef, err = pw.best_linear_mse(x, y)
    # for channels uniform on [-1, 1], the best linear fit of |c1 - c2| is its mean 2/3,
    # with error Var|c1 - c2| = 2/9
    np.testing.assert_allclose(coef, [0, 0, 2 / 3], atol=0.03)
    assert err == pytest.approx(2 / 9, rel=0.03)
    # a linear 1x1 conv with those coefficients gives exactly that error
    w = coef[:2].reshape(1, 2, 1, 1)
    pred = conv.conv2d(x.astype(float), w) + coef[2]
    assert np.mean((pred - y) ** 2) == pytest.approx(err)
    with pytest.raises(ValueError, match="y"):
        pw.best_linear_mse(x, y[:, 0])


def test_relu_between_two_1x1_convs_learns_what_linear_maps_cannot():
    torch.set_num_threads(1)
    x, y = pw.abs_difference_task(n=8, size=16, seed=0)
    x_test, y_test = pw.abs_difference_task(n=4, size=16, seed=1)
    _, best_linear = pw.best_linear_mse(x, y)
    for make in (pw.linear_1x1, pw.two_linear_1x1):
        model = make()
        losses = pw.fit(model, x, y, steps=300)
        assert len(losses) == 300
        assert losses[-1] >= best_linear - 1e-6  # no linear map beats least squares
    model = pw.relu_1x1()
    pw.fit(model, x, y, steps=300)
    assert pw.mse(model, x_test, y_test) < 0.01 * best_linear


def test_the_channel_plane():
    plane = pw.channel_plane(5)
    assert plane.shape == (1, 2, 5, 5)
    np.testing.assert_allclose(plane[0, 0, 0], np.linspace(-1, 1, 5))  # c1 along a row
    np.testing.assert_allclose(plane[0, 1, :, 0], np.linspace(-1, 1, 5))  # c2 down a column
    with pytest.raises(ValueError, match="steps"):
        pw.channel_plane(1)
