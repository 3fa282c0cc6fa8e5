"""cnnlab.filters.kernels: the named kernels and their sign convention."""

from __future__ import annotations

import numpy as np
import pytest

from cnnlab import conv2d, filters


def test_kernels_are_fresh_copies_with_the_course_sign_convention():
    k = filters.sobel_x()
    k[0, 0] = 99
    assert filters.sobel_x()[0, 0] == 1
    step = np.array([[10.0, 10, 10, 0, 0, 0]] * 6)  # bright left, dark right
    out = conv2d(step[None, None], filters.prewitt_x()[None, None])[0, 0]
    np.testing.assert_array_equal(out, np.tile([0.0, 30, 30, 0], (4, 1)))
    for name in ("prewitt", "sobel", "scharr"):
        kx, ky = filters.kernel(name + "_x"), filters.kernel(name + "_y")
        np.testing.assert_array_equal(ky, kx.T)
        assert kx.sum() == 0 and np.all(kx.sum(axis=1) == 0)  # flat and horizontal edges -> 0
        bright_top = step.T
        assert conv2d(bright_top[None, None], ky[None, None]).max() > 0
    assert filters.gaussian_blur().sum() == pytest.approx(1.0)
    assert filters.laplacian().sum() == 0
    np.testing.assert_array_equal(
        conv2d(step[None, None], filters.identity()[None, None])[0, 0], step[1:-1, 1:-1]
    )


def test_kernel_lookup_names_every_choice_when_unknown():
    assert set(filters.KERNELS) >= {"sobel_x", "sobel_y", "scharr_x", "scharr_y", "prewitt_x"}
    with pytest.raises(ValueError, match="sobel_x"):
        filters.kernel("sobel")


def test_kernel_checks_say_what_was_received():
    assert filters.as_kernel2d("w", [[1, 2], [3, 4]]).dtype == np.float64
    with pytest.raises(ValueError, match="w must be a 2D"):
        filters.as_kernel2d("w", np.ones(3))
    with pytest.raises(ValueError, match="must not be empty"):
        filters.as_real_array("x", np.zeros((0, 3)))
    with pytest.raises(ValueError, match="real numbers"):
        filters.as_real_array("x", np.ones(2) * 1j)
