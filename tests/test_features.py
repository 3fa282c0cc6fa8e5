"""cnnlab.features: hand-made image features, and the lesson 01 drawings of them."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from skimage.feature import hog as skimage_hog  # noqa: E402

from cnnlab import features, plot  # noqa: E402
from cnnlab.data import digits, image  # noqa: E402


@pytest.fixture(scope="module")
def digit_split():
    return digits()


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


# --- feature_matrix ---


def test_feature_matrix_layouts():
    rng = np.random.default_rng(4)
    grey = rng.random((5, 1, 8, 8))
    assert features.feature_matrix(grey, features.hog, cell=4, block=1).shape == (5, 36)
    assert features.feature_matrix(grey[:, 0], features.colour_histogram).shape == (5, 8)
    colour = rng.random((3, 3, 8, 8))
    m = features.feature_matrix(colour, features.colour_histogram, bins=4)
    assert m.shape == (3, 12)
    np.testing.assert_allclose(
        m[1], features.colour_histogram(np.moveaxis(colour[1], 0, -1), bins=4).ravel()
    )


def test_feature_matrix_rejects_single_image():
    with pytest.raises(ValueError, match="batch"):
        features.feature_matrix(np.zeros((8, 8)), features.colour_histogram)


# --- bag of visual words ---


def test_patch_codebook_shape_order_and_seed(digit_split):
    x = digit_split[0][:200]
    book = features.patch_codebook(x, patch=3, words=16, seed=0)
    assert book.shape == (16, 3, 3)
    means = book.reshape(16, -1).mean(axis=1)
    assert np.all(np.diff(means) >= 0)  # dark to bright
    np.testing.assert_array_equal(book, features.patch_codebook(x, patch=3, words=16, seed=0))


def test_patch_codebook_rejects_impossible_settings():
    x = np.zeros((2, 1, 4, 4))
    with pytest.raises(ValueError, match="patch=5 does not fit in 4x4"):
        features.patch_codebook(x, patch=5)
    with pytest.raises(ValueError, match="more than the 8 patches"):
        features.patch_codebook(x, patch=3, words=9)
    with pytest.raises(ValueError, match="grey images"):
        features.patch_codebook(np.zeros((2, 3, 4, 4)))


def test_bag_of_words_matches_brute_force():
    rng = np.random.default_rng(5)
    x = rng.random((4, 6, 7))
    book = rng.random((5, 3, 3))
    bow = features.bag_of_words(x, book)
    assert bow.shape == (4, 5)
    np.testing.assert_allclose(bow.sum(axis=1), 1)
    for n in range(4):
        counts = np.zeros(5)
        for r in range(6 - 2):
            for c in range(7 - 2):
                window = x[n, r : r + 3, c : c + 3]
                counts[np.argmin([np.sum((window - w) ** 2) for w in book])] += 1
        np.testing.assert_allclose(bow[n], counts / counts.sum())


def test_bag_of_words_ignores_positions():
    # A bright dot anywhere away from the border gives the same word counts.
    book = np.stack([np.zeros((3, 3)), np.pad([[1.0]], 1)])  # blank, and a centred dot
    a, b = np.zeros((1, 9, 9)), np.zeros((1, 9, 9))
    a[0, 3, 3], b[0, 5, 6] = 1, 1
    np.testing.assert_allclose(features.bag_of_words(a, book), features.bag_of_words(b, book))


def test_bag_of_words_rejects_bad_codebook():
    with pytest.raises(ValueError, match=r"\(K, p, p\)"):
        features.bag_of_words(np.zeros((1, 8, 8)), np.zeros((4, 3, 2)))


# --- linear_classifier and the lesson's measured claim ---


def test_linear_classifier_separable_data():
    rng = np.random.default_rng(6)
    f = np.concatenate([rng.normal(-3, 1, (50, 2)), rng.normal(3, 1, (50, 2))])
    y = np.repeat([0, 1], 50)
    assert features.linear_classifier(f, y).score(f, y) == 1.0
    with pytest.raises(ValueError, match=r"labels must be \(N,\)"):
        features.linear_classifier(f, y[:10])
    with pytest.raises(ValueError, match=r"\(N, D\)"):
        features.linear_classifier(f[:, 0], y)


def test_hand_made_features_on_digits(digit_split):
    """The lesson's table: HOG and bag of words work, a grey histogram barely does."""
    xtr, ytr, xte, yte = digit_split
    hog_acc = features.linear_classifier(
        features.feature_matrix(xtr, features.hog, cell=2, block=2), ytr
    ).score(features.feature_matrix(xte, features.hog, cell=2, block=2), yte)
    hist_acc = features.linear_classifier(
        features.feature_matrix(xtr, features.colour_histogram, bins=16), ytr
    ).score(features.feature_matrix(xte, features.colour_histogram, bins=16), yte)
    book = features.patch_codebook(xtr, patch=4, words=64, seed=0)
    bow_acc = features.linear_classifier(features.bag_of_words(xtr, book), ytr).score(
        features.bag_of_words(xte, book), yte
    )
    assert hog_acc > 0.9 and bow_acc > 0.9
    assert hist_acc < 0.5


# --- drawings ---


def test_draw_hand_made_features():
    img = image("chelsea", size=64)
    _, picture = features.hog(img, cell=8, visualize=True)
    fig = plot.draw_hand_made_features(img, features.colour_histogram(img), picture)
    assert len(fig.axes) == 3
    assert "24 numbers" in fig.axes[1].get_title()
    plt.close(fig)
    grey = image("camera", size=32)
    fig = plot.draw_hand_made_features(grey, features.colour_histogram(grey), grey)
    plt.close(fig)
    with pytest.raises(ValueError, match="hist must be"):
        plot.draw_hand_made_features(img, np.zeros(8), picture)


def test_draw_patches():
    fig = plot.draw_patches(np.random.default_rng(7).random((10, 4, 4)), cols=4, title="words")
    ax = fig.axes[0]
    shown = ax.images[0].get_array()
    assert shown.shape == (3 * 5 - 1, 4 * 5 - 1)  # 3 rows x 4 columns of 4x4 with 1px gaps
    plt.close(fig)
    with pytest.raises(ValueError, match="patches must be"):
        plot.draw_patches(np.zeros((4, 4)))
