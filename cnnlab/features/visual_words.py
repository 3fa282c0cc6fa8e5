"""The bag of visual words: a codebook of typical small patches found by k-means, and each
image as the histogram of the words it contains (positions thrown away). Used by lesson 01.

Images are grey batches (N, H, W) or (N, 1, H, W), floats, like ``cnnlab.data.digits``.

>>> import numpy as np
>>> book = np.stack([np.zeros((2, 2)), np.ones((2, 2))])   # a dark and a bright word
>>> bag_of_words(np.zeros((1, 3, 3)), book)                # 4 windows, all dark
array([[1., 0.]])
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..i18n import tr
from ..validate import check_int


def _grey_batch(images, name: str = "images") -> np.ndarray:
    """(N, H, W) or (N, 1, H, W) batch -> float (N, H, W)."""
    x = np.asarray(images, dtype=np.float64)
    if x.ndim == 4 and x.shape[1] == 1:
        x = x[:, 0]
    if x.ndim != 3:
        raise ValueError(
            tr("{name} must be grey images (N, H, W) or (N, 1, H, W), got shape {shape}").format(
                name=name, shape=x.shape
            )
        )
    if len(x) == 0:
        raise ValueError(tr("{name} is empty").format(name=name))
    return x


def _patches(x: np.ndarray, patch: int) -> np.ndarray:
    """All patch x patch windows (stride 1) of grey images (N, H, W) -> (N, P, patch*patch)."""
    n, h, w = x.shape
    if patch > min(h, w):
        raise ValueError(
            tr(
                "patch={patch} does not fit in {h}x{w} images; there are (H - patch + 1)"
                "(W - patch + 1) windows, so use patch <= {limit}"
            ).format(patch=patch, h=h, w=w, limit=min(h, w))
        )
    win = sliding_window_view(x, (patch, patch), axis=(1, 2))
    return win.reshape(n, -1, patch * patch)


def patch_codebook(images, patch: int = 4, words: int = 64, seed: int = 0) -> np.ndarray:
    """The 'visual words' of a bag-of-words model: typical small patches, found by k-means.

    Every ``patch`` x ``patch`` window of every image is a point in patch*patch dimensions;
    k-means groups them into ``words`` clusters and the cluster centres are the words. No
    labels are used: the vocabulary describes the images, not the classes.

    images: grey batch (N, H, W) or (N, 1, H, W). Returns (words, patch, patch), words sorted
    from dark to bright so pictures of the codebook read in order. Fixed by ``seed``.
    """
    from sklearn.cluster import KMeans

    x = _grey_batch(images)
    patch = check_int("patch", patch, 1)
    words = check_int("words", words, 1)
    pts = _patches(x, patch).reshape(-1, patch * patch)
    if words > len(pts):
        raise ValueError(
            tr("words={words} is more than the {n} patches to cluster").format(
                words=words, n=len(pts)
            )
        )
    centres = KMeans(n_clusters=words, n_init=1, random_state=seed).fit(pts).cluster_centers_
    centres = centres[np.argsort(centres.mean(axis=1), kind="stable")]
    return centres.reshape(words, patch, patch)


def bag_of_words(images, codebook) -> np.ndarray:
    """How often each visual word occurs in each image (positions are thrown away).

    Each window of each image is replaced by its nearest word (Euclidean distance), and the
    image becomes the histogram of its words, as a text becomes its word counts.

    images: grey batch (N, H, W) or (N, 1, H, W); codebook: (K, p, p) from ``patch_codebook``.
    Returns (N, K): fractions of the image's windows, each row sums to 1.
    """
    x = _grey_batch(images)
    book = np.asarray(codebook, dtype=np.float64)
    if book.ndim != 3 or book.shape[1] != book.shape[2] or len(book) == 0:
        raise ValueError(
            tr("codebook must be (K, p, p) patches, got shape {shape}").format(shape=book.shape)
        )
    k, p = book.shape[0], book.shape[1]
    pts = _patches(x, p)  # (N, P, p*p)
    flat = book.reshape(k, -1)
    # |a - b|^2 = |a|^2 - 2 a.b + |b|^2; |a|^2 is the same for every word, so it can be dropped.
    dist = (flat**2).sum(1) - 2 * pts @ flat.T  # (N, P, K)
    nearest = dist.argmin(axis=2)
    counts = np.stack([np.bincount(row, minlength=k) for row in nearest])
    return counts / pts.shape[1]
