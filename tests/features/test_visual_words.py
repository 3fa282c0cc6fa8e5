"""cnnlab.features.visual_words: the codebook of visual words and the bag of words."""

import numpy as np
import pytest

from cnnlab import features
from cnnlab.data import digits


@pytest.fixture(scope="module")
def digit_split():
    return digits()


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
