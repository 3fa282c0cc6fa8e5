"""The traditional two-stage pipeline: a fixed feature for every image of a batch, then a
trained linear classifier on those vectors. Used by lesson 01.

Only the second stage learns from data; whatever the recipe throws away is lost for good.
"""

from __future__ import annotations

import numpy as np

from ..i18n import tr


def feature_matrix(images, fn, **kwargs) -> np.ndarray:
    """Apply a one-image feature ``fn`` (e.g. ``hog``) to every image of a batch.

    images: (N, H, W) or (N, C, H, W) with C in {1, 3} (the layout of ``cnnlab.data.digits``).
    Returns (N, D): row i is ``np.ravel(fn(image_i, **kwargs))``, image_i as (H, W) or (H, W, 3).

    >>> from cnnlab.features import colour_histogram
    >>> feature_matrix(np.zeros((5, 1, 8, 8)), colour_histogram, bins=4).shape
    (5, 4)
    """
    x = np.asarray(images)
    if x.ndim == 4:
        x = np.moveaxis(x, 1, -1)  # (N, C, H, W) -> (N, H, W, C); fn wants one H x W x C image
    elif x.ndim != 3:
        raise ValueError(
            tr("images must be a batch (N, H, W) or (N, C, H, W), got shape {shape}").format(
                shape=np.shape(images)
            )
        )
    if len(x) == 0:
        raise ValueError(tr("{name} is empty").format(name="images"))
    return np.stack([np.ravel(fn(img, **kwargs)) for img in x]).astype(np.float64)


def linear_classifier(features, labels):
    """The 'trained classifier' half of the traditional pipeline: logistic regression.

    features: (N, D) fixed feature vectors; labels: (N,) ints. Each feature is standardised
    (zero mean, unit variance on the training set) first. Returns the fitted scikit-learn
    pipeline: ``.predict(f)``, ``.score(f, y)`` gives accuracy. Deterministic (L-BFGS).
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    f = np.asarray(features, dtype=np.float64)
    y = np.asarray(labels)
    if f.ndim != 2:
        raise ValueError(
            tr("features must be (N, D), got shape {shape}; use feature_matrix").format(
                shape=f.shape
            )
        )
    if y.shape != (len(f),):
        raise ValueError(
            tr("labels must be (N,) = ({n},), got shape {shape}").format(n=len(f), shape=y.shape)
        )
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000)).fit(f, y)
