"""HED's side outputs against their receptive fields (cnnlab.receptive.side_outputs): the
fields from the formula, the edge normals, the profiles and their widths on maps whose width
is known, and the real HED on a drawn disk."""

import numpy as np
import pytest

from cnnlab.arith import receptive_field
from cnnlab.receptive import side_outputs as so


def disk(size=96, radius=30):
    """A bright disk on a dark ground (grey (H, W)) and each pixel's distance from its centre."""
    yy, xx = np.mgrid[:size, :size]
    d = np.hypot(yy - size / 2 + 0.3, xx - size / 2 - 0.2)
    return np.where(d < radius, 0.8, 0.2), d


def ridge(d, radius, sigma):
    """An edge map with a Gaussian ridge of width ``sigma`` on the circle of ``radius``."""
    return np.exp(-((d - radius) ** 2) / (2 * sigma**2))


def test_fields_are_the_formula_on_vgg16_up_to_each_side_layer():
    fields = so.side_output_fields()
    assert [f.layer for f in fields] == ["conv1_2", "conv2_2", "conv3_3", "conv4_3", "conv5_3"]
    assert [(f.size, f.jump) for f in fields] == [(5, 1), (14, 2), (40, 4), (92, 8), (196, 16)]
    # the same numbers from the recursion written out on VGG16's block structure
    stack = [(3, 1)] * 2 + [(2, 2)] + [(3, 1)] * 2 + [(2, 2)] + [(3, 1)] * 3
    assert receptive_field(stack)[-1].size == fields[2].size


def test_profile_width_of_known_peaks():
    assert so.profile_width([0, 0, 1, 2, 1, 0, 0]) == 2.0
    t = np.arange(-20, 21)
    for sigma in (1.5, 3.0, 6.0):
        gauss = 0.3 + 0.5 * np.exp(-(t**2) / (2 * sigma**2))  # a baseline does not count
        assert so.profile_width(gauss) == pytest.approx(
            2 * np.sqrt(2 * np.log(2)) * sigma, rel=0.03
        )


@pytest.mark.parametrize(
    "profile,match",
    [
        ([1, 1, 1, 1], "flat"),
        ([0, 1, 2, 3, 2], "wider window"),
        ([[0, 1, 0]], "1D"),
        ([0, 1], "1D"),
    ],
)
def test_profile_width_refuses(profile, match):
    with pytest.raises(ValueError, match=match):
        so.profile_width(profile)


def test_edge_normals_on_a_disk_point_along_the_radius():
    gray, d = disk()
    points, normals = so.edge_normals(gray, margin=5)
    assert len(points) > 50
    centre = np.array([48 - 0.3, 48 + 0.2])
    assert np.all(np.abs(np.hypot(*(points - centre).T) - 30) < 1.5)  # on the circle
    radial = (points - centre) / np.hypot(*(points - centre).T)[:, None]
    assert np.allclose(np.hypot(*normals.T), 1)
    assert np.all(np.abs(np.sum(radial * normals, axis=1)) > 0.95)  # across the edge
    half, _ = so.edge_normals(gray, keep=0.5)
    assert len(half) < len(so.edge_normals(gray, keep=1.0)[0])


def test_edge_normals_refuse_bad_input():
    with pytest.raises(ValueError, match="no edge"):
        so.edge_normals(np.zeros((32, 32)))
    with pytest.raises(ValueError, match=r"\(H, W\)"):
        so.edge_normals(np.zeros((32, 32, 3)))
    with pytest.raises(ValueError, match="keep"):
        so.edge_normals(disk()[0], keep=0)
    with pytest.raises(ValueError, match="sigma"):
        so.edge_normals(disk()[0], sigma=0)


def test_profiles_across_a_ridge_measure_its_width():
    gray, d = disk()
    points, normals = so.edge_normals(gray, margin=12)
    for sigma in (1.5, 4.0):
        profiles = so.edge_profiles(ridge(d, 30, sigma), points, normals, radius=12)
        assert profiles.shape == (len(points), 25)
        width = so.profile_width(profiles.mean(axis=0))
        assert width == pytest.approx(2.355 * sigma, abs=0.6)
    with pytest.raises(ValueError, match=r"\(M, 2\)"):
        so.edge_profiles(d, points, normals[:3])


def test_coarseness_of_given_side_maps_grows_with_their_width():
    gray, d = disk(96, 30)
    image = np.repeat(gray[..., None], 3, axis=2)
    sigmas = (1.0, 2.0, 3.0, 4.0, 5.0)
    rows = so.side_output_coarseness(image, [ridge(d, 30, s) for s in sigmas], radius=16)
    assert [r.field.side for r in rows] == [1, 2, 3, 4, 5]
    widths = [r.width for r in rows]
    assert widths == sorted(widths) and widths[-1] == pytest.approx(2.355 * 5, abs=0.8)
    assert all(r.profile.shape == (33,) for r in rows)
    with pytest.raises(ValueError, match="5 maps"):
        so.side_output_coarseness(image, [d] * 4)
    with pytest.raises(ValueError, match="RGB"):
        so.side_output_coarseness(gray)


def test_hed_side_outputs_get_coarser_with_depth_but_stay_far_below_their_fields():
    gray, _ = disk(128, 40)
    rows = so.side_output_coarseness(np.repeat(gray[..., None], 3, axis=2), radius=20)
    widths = [r.width for r in rows]
    assert all(b >= a - 0.1 for a, b in zip(widths, widths[1:])), widths
    assert widths[-1] > 2.5 * widths[0], widths
    assert all(r.width < r.field.size / 4 for r in rows[2:]), widths
