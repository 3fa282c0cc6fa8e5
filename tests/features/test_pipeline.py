"""cnnlab.features.pipeline: features of a batch, a linear classifier on them, and the
lesson's measured claim (HOG and bag of words work on digits, a grey histogram barely)."""

import numpy as np
import pytest

from cnnlab import features
from cnnlab.data import digits


@pytest.fixture(scope="module")
def digit_split():
    return digits()


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
