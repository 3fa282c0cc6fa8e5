"""VGG16 on photographs (cnnlab.classic.photos): receptive fields from cnnlab.arith, maps of
the pretrained network, and windows cut where the units fire."""

import numpy as np
import pytest

from cnnlab import arith, pretrained
from cnnlab.classic import photos


def test_photos_are_colour_and_sized():
    for name in photos.PHOTOS:
        img = photos.photo(name, 64)
        assert img.ndim == 3 and img.shape[2] == 3 and max(img.shape[:2]) == 64
        assert img.dtype == np.float32 and 0 <= img.min() and img.max() <= 1
    with pytest.raises(ValueError, match="unknown photo"):
        photos.photo("lena")


def test_fields_are_arith_on_vggs_layers():
    fields = photos.vgg_fields()
    assert {
        n: fields[n].size
        for n in ("conv1_1", "conv1_2", "pool1", "conv2_2", "conv3_3", "conv4_3", "conv5_3")
    } == {
        "conv1_1": 3,
        "conv1_2": 5,
        "pool1": 6,
        "conv2_2": 14,
        "conv3_3": 40,
        "conv4_3": 92,
        "conv5_3": 196,
    }
    assert fields["relu4_3"] == fields["conv4_3"] and fields["conv5_3"].jump == 16
    direct = arith.receptive_field([(3, 1, 1, 1)] * 2 + [(2, 2, 1, 0)] + [(3, 1, 1, 1)] * 2)
    assert fields["conv2_2"] == direct[-1]


def test_windows_are_where_the_units_look():
    rf = photos.vgg_fields()["conv2_2"]
    image = np.random.default_rng(0).uniform(size=(40, 50, 3)).astype(np.float32)
    rows, cols = photos.inside_units(rf, image.shape)
    for i, j in [(rows[0], cols[0]), (rows[-1], cols[-1]), (5, 7)]:
        patch = photos.cut_window(image, rf, i, j)
        top = int(rf.start + rf.jump * i - (rf.size - 1) / 2)
        left = int(rf.start + rf.jump * j - (rf.size - 1) / 2)
        np.testing.assert_array_equal(
            patch, np.moveaxis(image[top : top + 14, left : left + 14], -1, 0)
        )
    assert photos.cut_window(image, rf, 0, 0)[:, 0, 0].sum() == 0  # padding outside
    # one unit further would leave the image
    assert rf.start + rf.jump * (rows[-1] + 1) + (rf.size - 1) / 2 > image.shape[0] - 1


def test_top_patches_find_a_planted_maximum():
    rf = arith.receptive_field([(3, 1, 1, 1)])[-1]
    photos_ = [np.zeros((8, 8, 3), np.float32), np.zeros((8, 8, 3), np.float32)]
    photos_[1][4:7, 2:5] = 1.0
    maps = [np.zeros((2, 8, 8)), np.zeros((2, 8, 8))]
    maps[1][1, 5, 3] = 9.0
    maps[0][1, 2, 2] = 1.0
    patches, scores, where = photos.top_patches_in_photos(maps, photos_, rf, [1], k=2, region=4)
    assert where[0, 0].tolist() == [1, 5, 3] and scores[0, 0] == 9.0
    np.testing.assert_array_equal(patches[0, 0], np.ones((3, 3, 3)))
    assert where[0, 1].tolist() == [0, 2, 2]
    with pytest.raises(ValueError, match="places"):
        photos.top_patches_in_photos(maps, photos_, rf, [1], k=40, region=4)
    with pytest.raises(ValueError, match="one map per photo"):
        photos.top_patches_in_photos(maps[:1], photos_, rf, [1])


def test_maps_and_edges_of_the_pretrained_network():
    imgs = [photos.photo("chelsea", 96), photos.photo("coffee", 80)]
    maps = photos.photo_maps(imgs, ("relu1_2", "relu3_3"))
    assert maps[0]["relu1_2"].shape == (64, *imgs[0].shape[:2])
    assert maps[1]["relu3_3"].shape[0] == 256 and (maps[1]["relu3_3"] >= 0).all()
    units = photos.strongest_channels([m["relu3_3"] for m in maps], 3)
    assert len(set(units.tolist())) == 3
    rf = photos.vgg_fields()["relu3_3"]
    _, scores, where = photos.top_patches_in_photos(
        [m["relu3_3"] for m in maps], imgs, rf, units, k=2, region=16
    )
    assert (np.diff(scores, axis=1) <= 0).all()  # best first
    edges = [pretrained.edges(img)[0] for img in imgs]
    strength = photos.edge_strength_at(edges, rf, where)
    assert strength.shape == (3, 2) and ((0 <= strength) & (strength <= 1)).all()
