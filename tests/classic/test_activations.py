"""What the layers learn (cnnlab.classic.activations): feature maps, and the input patches that
excite a unit, cut to its receptive field."""

import numpy as np
import pytest
import torch
from torch import nn

from cnnlab import arith, classic, tables

from tests.classic.torch_counts import SMALL


def test_receptive_fields():
    rfs = tables.receptive_fields(SMALL)
    assert list(rfs) == ["conv1", "pool1", "conv2", "pool2", "conv3", "pool3"]
    assert [rfs[n].size for n in ("conv1", "conv2", "conv3")] == [5, 10, 20]
    assert (
        rfs["conv3"]
        == arith.receptive_field(
            [(5, 1, 1, 2), (2, 2, 1, 0), (3, 1, 1, 1), (2, 2, 1, 0), (3, 1, 1, 1)]
        )[-1]
    )
    with pytest.raises(ValueError, match="must start with conv"):
        tables.receptive_fields((tables.fc("f", 3),))


def test_feature_maps_shapes_and_errors():
    torch.manual_seed(0)
    model = classic.Net(SMALL, (32, 32, 1))
    x = np.random.default_rng(0).random((5, 1, 32, 32)).astype(np.float32)
    maps = classic.feature_maps(model, x, ["relu1", "pool2", "relu3"], batch_size=2)
    assert [m.shape for m in maps.values()] == [(5, 8, 32, 32), (5, 16, 8, 8), (5, 32, 8, 8)]
    assert (maps["relu1"] >= 0).all()
    with pytest.raises(ValueError, match="no submodule 'relu9'"):
        classic.feature_maps(model, x, ["relu9"])
    with pytest.raises(ValueError, match="batch"):
        classic.feature_maps(model, x[0], ["relu1"])


def test_top_patches_cut_the_receptive_field():
    # one 3x3 'same' conv that sums its window: the unit fires most where the bright
    # square is, and its patch is the 3x3 window centred there
    rf = arith.receptive_field([(3, 1, 1, 1)])[-1]
    images = np.zeros((3, 1, 6, 6))
    images[0, 0, 1:3, 1:3] = 1.0  # partly seen
    images[1, 0, 2:5, 2:5] = 2.0  # a full 3x3 square centred at (3, 3): the best
    images[2, 0, 0, 0] = 0.5  # a corner: its window reaches into the padding
    conv = nn.Conv2d(1, 1, 3, padding=1, bias=False)
    with torch.no_grad():
        conv.weight.fill_(1.0)
        maps = conv(torch.from_numpy(images).float()).numpy()
    patches, scores, where = classic.top_patches(maps, images, rf, k=3)
    assert patches.shape == (1, 3, 1, 3, 3)
    assert list(where[0, :, 0]) == [1, 0, 2]
    assert tuple(where[0, 0, 1:]) == (3, 3)
    np.testing.assert_array_equal(patches[0, 0, 0], np.full((3, 3), 2.0))
    assert np.all(np.diff(scores[0]) <= 0)
    # the corner patch: zeros where the window leaves the image
    i, j = where[0, 2, 1:]
    expected = np.pad(images[2, 0], 1)[i : i + 3, j : j + 3]
    np.testing.assert_array_equal(patches[0, 2, 0], expected)


def test_top_patches_with_strides_match_the_image():
    # through conv-pool-conv, the patch of a unit is where its receptive field lies
    torch.manual_seed(0)
    model = classic.Net(SMALL, (32, 32, 1))
    x = np.random.default_rng(1).random((4, 1, 32, 32)).astype(np.float32)
    maps = classic.feature_maps(model, x, ["relu2"])["relu2"]
    rf = tables.receptive_fields(SMALL)["conv2"]
    patches, _, where = classic.top_patches(maps, x, rf, k=2, units=[0, 3])
    assert patches.shape == (2, 2, 1, rf.size, rf.size)
    for u in range(2):
        for r in range(2):
            img, i, j = where[u, r]
            top = int(rf.start - (rf.size - 1) / 2) + rf.jump * i
            left = int(rf.start - (rf.size - 1) / 2) + rf.jump * j
            padded = np.pad(x[img, 0], rf.size)
            crop = padded[top + rf.size : top + 2 * rf.size, left + rf.size : left + 2 * rf.size]
            np.testing.assert_array_equal(patches[u, r, 0], crop)


def test_top_patches_errors_and_strongest_units():
    rf = arith.receptive_field([(3, 1)])[-1]
    with pytest.raises(ValueError, match="need at least"):
        classic.top_patches(np.zeros((2, 1, 4, 4)), np.zeros((2, 1, 6, 6)), rf, k=3)
    with pytest.raises(ValueError, match="same N"):
        classic.top_patches(np.zeros((2, 1, 4, 4)), np.zeros((3, 1, 6, 6)), rf, k=1)
    maps = np.zeros((2, 3, 2, 2))
    maps[:, 2] = 5.0
    maps[0, 0, 0, 0] = 1.0
    assert list(classic.strongest_units(maps, 2)) == [2, 0]
