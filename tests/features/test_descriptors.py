"""cnnlab.features.descriptors: the colour histogram and HOG."""

import numpy as np
import pytest
from skimage.feature import hog as skimage_hog

from cnnlab import features
from cnnlab.data import image

# --- colour_histogram ---


def test_colour_histogram_matches_numpy_histogram():
    img = np.random.default_rng(0).random((20, 30, 3))
    hist = features.colour_histogram(img, bins=10)
    assert hist.shape == (3, 10)
    for c in range(3):
        ref, _ = np.histogram(img[..., c], bins=10, range=(0, 1))
        np.testing.assert_allclose(hist[c], ref / img[..., c].size)


def test_colour_histogram_grey_edges_and_sums():
    img = np.array([[0.0, 0.24, 0.25], [0.5, 0.99, 1.0]])
    hist = features.colour_histogram(img, bins=4)
    # 0 and 0.24 in bin 0; 0.25 starts bin 1; 1.0 goes in the last bin like np.histogram.
    np.testing.assert_allclose(hist, [[2 / 6, 1 / 6, 1 / 6, 2 / 6]])
    assert features.colour_histogram(image("coffee", size=64)).sum(axis=1) == pytest.approx(1)


def test_colour_histogram_ignores_where_pixels_are():
    img = image("chelsea", size=64)
    flat = img.reshape(-1, 3)
    scrambled = flat[np.random.default_rng(1).permutation(len(flat))].reshape(img.shape)
    np.testing.assert_allclose(features.colour_histogram(scrambled), features.colour_histogram(img))


@pytest.mark.parametrize(
    "bad, match",
    [
        (np.full((4, 4, 3), 255, dtype=np.uint8), r"\[0, 1\].*255"),
        (np.full((4, 4), -0.5), r"\[0, 1\]"),
        (np.full((4, 4), np.nan), "NaN"),
        (np.zeros((2, 4, 4, 3)), "one .* image.*feature_matrix"),
        (np.zeros((4, 4, 2)), "one .* image"),
        (np.zeros(5), "one .* image"),
    ],
)
def test_colour_histogram_rejects_bad_images(bad, match):
    with pytest.raises(ValueError, match=match):
        features.colour_histogram(bad)


def test_colour_histogram_rejects_bad_bins():
    with pytest.raises(ValueError, match="bins"):
        features.colour_histogram(np.zeros((4, 4)), bins=0)


# --- hog ---


@pytest.mark.parametrize(
    "shape, cell, block, orientations",
    [((8, 8), 2, 2, 9), ((8, 8), 4, 1, 9), ((32, 48), 8, 2, 9), ((30, 41), 4, 3, 6)],
)
def test_hog_length_formula_and_skimage(shape, cell, block, orientations):
    img = np.random.default_rng(2).random(shape)
    f = features.hog(img, orientations=orientations, cell=cell, block=block)
    bh, bw = shape[0] // cell - block + 1, shape[1] // cell - block + 1
    assert f.shape == (bh * bw * block * block * orientations,)
    ref = skimage_hog(
        img,
        orientations=orientations,
        pixels_per_cell=(cell, cell),
        cells_per_block=(block, block),
        block_norm="L2-Hys",
    )
    np.testing.assert_allclose(f, ref)


def test_hog_colour_image_and_picture():
    img = image("chelsea", size=96)
    f, picture = features.hog(img, cell=8, visualize=True)
    assert f.ndim == 1 and picture.shape == img.shape[:2]
    assert picture.max() > 0
    # Flat images have no gradients at all.
    assert not features.hog(np.full((16, 16), 0.5), cell=4).any()


def test_hog_sees_shape_not_just_colour():
    img = image("chelsea", size=64)
    flat = img.reshape(-1, 3)
    scrambled = flat[np.random.default_rng(3).permutation(len(flat))].reshape(img.shape)
    assert not np.allclose(features.hog(scrambled), features.hog(img))


def test_hog_rejects_images_too_small_for_a_block():
    with pytest.raises(ValueError, match=r"too small.*1x5 cells.*needs 2x2.*at least 8x8"):
        features.hog(np.zeros((7, 20)), cell=4, block=2)
    with pytest.raises(ValueError, match="cell"):
        features.hog(np.zeros((8, 8)), cell=0)
