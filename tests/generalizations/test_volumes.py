"""cnnlab.generalizations.volumes: the CT phantom, 3D Sobel kernels, edge maps, slices."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnlab.generalizations import volumes

HU = volumes.HU


@pytest.fixture(scope="module")
def clean():
    return volumes.ct_phantom(64, noise=0)


def test_phantom_tissues_where_expected(clean):
    assert clean.shape == (64, 64, 64)
    assert set(np.unique(clean)) == set(HU.values())
    assert clean[0, 0, 0] == HU["air"] and clean[32, 32, 0] == HU["air"]  # outside the body
    assert clean[32, 32, 32] == HU["soft tissue"]  # the middle of the chest
    assert clean[nz_index(), 30, 45] == HU["lung"]  # the other lung, at the nodule's depth
    assert clean[volumes.nodule_voxel(64)] == HU["soft tissue"]
    assert clean[:, 44, 32].max() == HU["bone"]  # the spine, towards the back
    assert clean[32, 13, 32] == HU["fat"]  # the layer under the skin, at the front


def nz_index():
    return volumes.nodule_voxel(64)[0]


def test_nodule_is_surrounded_by_lung(clean):
    z, y, x = volumes.nodule_voxel(64)
    assert clean[z, y, x - 6] == HU["lung"] and clean[z, y, x + 6] == HU["lung"]
    assert clean[z - 6, y, x] == HU["lung"] and clean[z + 6, y, x] == HU["lung"]
    assert clean[z, y - 6, x] == HU["lung"] and clean[z, y + 6, x] == HU["lung"]


def test_lungs_end_inside_the_volume_and_the_spine_has_discs(clean):
    lung_slices = np.flatnonzero((clean == HU["lung"]).any(axis=(1, 2)))
    assert 0 < lung_slices.min() and lung_slices.max() < 63
    spine = clean[:, 44, 32]
    assert (spine == HU["bone"]).sum() > 32 and (spine == HU["soft tissue"]).sum() > 8


def test_phantom_noise_and_seed():
    a, b = volumes.ct_phantom(32, seed=1), volumes.ct_phantom(32, seed=1)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, volumes.ct_phantom(32, seed=2))
    residual = a - volumes.ct_phantom(32, noise=0)
    assert residual.std() == pytest.approx(20, rel=0.05)


@pytest.mark.parametrize(
    "kwargs, match",
    [({"size": 4}, "size must be an integer >= 8"), ({"noise": -1}, "noise must be a number")],
)
def test_phantom_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        volumes.ct_phantom(**kwargs)


@pytest.mark.parametrize("axis", [0, 1, 2])
def test_sobel3d_measures_growth_along_its_axis(axis):
    w = volumes.sobel3d(axis)
    assert w.shape == (3, 3, 3) and w.sum() == 0 and np.abs(w).sum() == 32
    np.testing.assert_array_equal(np.flip(w, axis), -w)  # antisymmetric along its axis
    for other in {0, 1, 2} - {axis}:
        np.testing.assert_array_equal(np.flip(w, other), w)  # symmetric along the others
    # on a ramp rising by 1 per voxel along `axis`, the response is 16 * 2 = 32
    grid = np.indices((6, 6, 6))[axis].astype(float)
    out = torch.nn.functional.conv3d(torch.tensor(grid)[None, None], torch.tensor(w)[None, None])
    np.testing.assert_allclose(out.numpy(), 32)


def test_sobel_banks():
    bank = volumes.sobel3d_bank()
    assert bank.shape == (3, 1, 3, 3, 3)
    for a in range(3):
        np.testing.assert_array_equal(bank[a, 0], volumes.sobel3d(a))
    flat = volumes.sobel2d_bank()
    assert flat.shape == (2, 1, 1, 3, 3)
    np.testing.assert_array_equal(flat[1, 0, 0], [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])  # x
    np.testing.assert_array_equal(flat[0, 0, 0], flat[1, 0, 0].T)  # y
    with pytest.raises(ValueError, match="axis must be"):
        volumes.sobel3d(3)


@pytest.mark.parametrize("weight", [None, "2d"])
def test_edge_magnitude_matches_torch_with_replicate_padding(weight):
    vol = volumes.ct_phantom(20, seed=3)
    w = volumes.sobel3d_bank() if weight is None else volumes.sobel2d_bank()
    ours = volumes.edge_magnitude(vol, None if weight is None else w)
    pads = []
    for k in reversed(w.shape[2:]):  # F.pad lists the last axis first
        pads += [(k - 1) // 2, k // 2]
    padded = F.pad(torch.tensor(vol)[None, None], pads, mode="replicate")
    resp = F.conv3d(padded, torch.tensor(w))[0].numpy()
    np.testing.assert_allclose(ours, np.sqrt((resp**2).sum(0)), rtol=1e-10, atol=1e-8)
    assert ours.shape == vol.shape


def test_edge_magnitude_has_no_border_edges():
    assert np.all(volumes.edge_magnitude(np.full((6, 7, 8), -1000.0)) == 0)


def test_edges_between_slices_only_in_3d(clean):
    # a boundary between slices (the nodule's top) shows in the 3D map, not in the 2D one
    z, y, x = volumes.nodule_voxel(64)
    top = z - int(volumes.NODULE[1] * 32)  # the nodule's first slice
    e3 = volumes.edge_magnitude(clean)
    e2 = volumes.edge_magnitude(clean, volumes.sobel2d_bank())
    assert e3[top - 1, y, x] > 1000 and e2[top - 1, y, x] == 0


@pytest.mark.parametrize(
    "args, match",
    [
        ((np.ones((4, 4)),), "volume must be"),
        ((np.ones((4, 4, 4)), np.ones((3, 3, 3))), "weight must be"),
    ],
)
def test_edge_magnitude_errors(args, match):
    with pytest.raises(ValueError, match=match):
        volumes.edge_magnitude(*args)


def test_slice_of():
    vol = np.arange(2 * 3 * 4).reshape(2, 3, 4)
    np.testing.assert_array_equal(volumes.slice_of(vol, 0, 1), vol[1])
    np.testing.assert_array_equal(volumes.slice_of(vol, 1, 2), vol[:, 2, :])
    np.testing.assert_array_equal(volumes.slice_of(vol, 2, 3), vol[:, :, 3])
    with pytest.raises(ValueError, match=r"axis 1 has 0\.\.2"):
        volumes.slice_of(vol, 1, 3)
    with pytest.raises(ValueError, match="axis must be"):
        volumes.slice_of(vol, 3, 0)
    with pytest.raises(ValueError, match="slice index"):
        volumes.slice_of(vol, 0, -1)
