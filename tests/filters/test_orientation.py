"""cnnlab.filters.orientation: how well a pair of edge filters measures an edge's direction."""

from __future__ import annotations

import numpy as np
import pytest

from cnnlab import filters


def test_orientation_error_ranks_prewitt_sobel_scharr():
    angles = np.arange(0, 181, 7.5)
    worst = {
        n: np.abs(filters.orientation_error(filters.kernel(n + "_x"), angles=angles)).max()
        for n in ("prewitt", "sobel", "scharr")
    }
    assert worst["scharr"] < 0.5 < worst["sobel"] < 4 < worst["prewitt"] < 9
    # exact along the axes and the diagonals, where the symmetry leaves no room for error
    err = filters.orientation_error(filters.sobel_x(), angles=[0, 45, 90, 135, 180])
    np.testing.assert_allclose(err, 0, atol=1e-9)


def test_orientation_error_of_a_rotated_pair_is_the_rotation():
    # sobel_y as the "x" filter and -sobel_x as the "y" one measure every direction turned
    # by 90 degrees; where Sobel itself is exact (multiples of 45), the error is +-90.
    err = filters.orientation_error(filters.sobel_y(), -filters.sobel_x(), angles=[0, 45, 90, 135])
    np.testing.assert_allclose(np.abs(err), 90, atol=1e-6)


def test_orientation_error_shrinks_for_coarser_stripes():
    fine = np.abs(filters.orientation_error(filters.sobel_x(), wavelength=3)).max()
    coarse = np.abs(filters.orientation_error(filters.sobel_x(), wavelength=8)).max()
    assert coarse < fine / 4


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(kernel_x=np.ones(3)), "2D"),
        (dict(kernel_x=np.ones((3, 3)), kernel_y=np.ones((5, 5))), "same shape"),
        (dict(kernel_x=np.ones((3, 3)), wavelength=2), "wavelength"),
        (dict(kernel_x=np.ones((3, 3)), size=4), "size"),
        (dict(kernel_x=np.ones((3, 3)), angles=[[0, 1]]), "1D"),
    ],
)
def test_orientation_error_rejects_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        filters.orientation_error(**kwargs)
