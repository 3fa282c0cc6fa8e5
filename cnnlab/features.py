"""Hand-made image features: what computer vision used before ConvNets learned their own.

The traditional pipeline has two separate stages. A person designs a fixed recipe that
turns an image into a vector of numbers (a *feature*), from intuition about what should
matter: the colours present (``colour_histogram``), the directions of the edges (``hog``),
which small patterns occur and how often (``patch_codebook`` + ``bag_of_words``). Then a
classifier is trained on those vectors (``linear_classifier``). Only the second stage learns
from data; whatever the recipe throws away is lost for good. A ConvNet instead learns its
filters and its classifier together, end to end.

Images follow ``cnnlab.data``: floats in [0, 1], one image (H, W) or (H, W, C); batches
(N, H, W) or (N, C, H, W) like ``cnnlab.data.digits``.

>>> import numpy as np
>>> colour_histogram(np.zeros((4, 4, 3)), bins=2)
array([[1., 0.],
       [1., 0.],
       [1., 0.]])
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .arith import check_int


def _check_image(image, name: str = "image") -> np.ndarray:
    """One image as float (H, W) or (H, W, C) with values in [0, 1], else ValueError."""
    img = np.asarray(image)
    if img.ndim not in (2, 3) or (img.ndim == 3 and img.shape[2] not in (1, 3)):
        raise ValueError(
            f"{name} must be one (H, W) grey or (H, W, 3) colour image, got shape {img.shape}; "
            "for a batch use feature_matrix(images, fn)"
        )
    if img.dtype.kind not in "fiub":
        raise ValueError(f"{name} must hold numbers, got dtype {img.dtype}")
    img = img.astype(np.float64)
    if not np.isfinite(img).all():
        raise ValueError(f"{name} contains NaN or infinite values")
    if img.size and (img.min() < 0 or img.max() > 1):
        raise ValueError(
            f"{name} values must lie in [0, 1], got [{img.min():g}, {img.max():g}]; "
            "cnnlab.data.image returns such floats (divide uint8 images by 255)"
        )
    if img.ndim == 3 and img.shape[2] == 1:
        img = img[..., 0]
    return img


def _grey_batch(images, name: str = "images") -> np.ndarray:
    """(N, H, W) or (N, 1, H, W) batch -> float (N, H, W)."""
    x = np.asarray(images, dtype=np.float64)
    if x.ndim == 4 and x.shape[1] == 1:
        x = x[:, 0]
    if x.ndim != 3:
        raise ValueError(
            f"{name} must be grey images (N, H, W) or (N, 1, H, W), got shape {x.shape}"
        )
    if len(x) == 0:
        raise ValueError(f"{name} is empty")
    return x


def colour_histogram(image, bins: int = 8) -> np.ndarray:
    """How much of each intensity there is in each colour channel.

    image: (H, W) or (H, W, 3), floats in [0, 1]. bins: number of equal-width bins over [0, 1].
    Returns (C, bins) with C = 1 for grey images; each row sums to 1 (a fraction of the pixels).
    ``.ravel()`` gives the feature vector of length C * bins.

    The histogram keeps *which* colours occur and drops *where*: shuffling the pixels leaves
    it unchanged, so it can tell a sunset from a forest but not a 6 from a 9.

    >>> colour_histogram(np.array([[0.0, 0.2], [0.7, 1.0]]), bins=2)
    array([[0.5, 0.5]])
    """
    img = _check_image(image)
    bins = check_int("bins", bins, 1)
    channels = img[..., None] if img.ndim == 2 else img
    pixels = channels.reshape(-1, channels.shape[-1])
    if len(pixels) == 0:
        raise ValueError(f"image has no pixels, shape {img.shape}")
    # Bin index floor(v * bins), with v = 1 put in the last bin (np.histogram does the same).
    idx = np.minimum((pixels * bins).astype(np.int64), bins - 1)
    hist = np.stack([np.bincount(idx[:, c], minlength=bins) for c in range(idx.shape[1])])
    return hist / len(pixels)


def hog(image, orientations: int = 9, cell: int = 8, block: int = 2, visualize: bool = False):
    """Histogram of Oriented Gradients (Dalal and Triggs, 2005), via scikit-image.

    The recipe: compute each pixel's gradient (edge direction and strength); split the image
    into ``cell`` x ``cell`` pixel cells and, in each, add the strengths into a histogram of
    ``orientations`` direction bins over 0-180 degrees; normalise the histograms over
    overlapping blocks of ``block`` x ``block`` cells, so the feature ignores lighting and
    contrast. Colour images use, at each pixel, the channel with the strongest gradient.

    image: (H, W) or (H, W, 3), floats in [0, 1].
    Returns a 1D feature vector of length ``b_h * b_w * block**2 * orientations`` where
    ``b_h = H // cell - block + 1`` (and b_w likewise); with ``visualize=True`` returns
    ``(features, picture)``, picture an (H, W) drawing of each cell's dominant directions.

    >>> hog(np.zeros((8, 8)), cell=2, block=2).shape    # 3 x 3 blocks of 2 x 2 cells x 9
    (324,)
    """
    from skimage.feature import hog as _skimage_hog

    img = _check_image(image)
    orientations = check_int("orientations", orientations, 1)
    cell = check_int("cell", cell, 1)
    block = check_int("block", block, 1)
    h, w = img.shape[:2]
    if h // cell < block or w // cell < block:
        raise ValueError(
            f"image {h}x{w} is too small for HOG with cell={cell}, block={block}: it has "
            f"{h // cell}x{w // cell} cells (H // cell, W // cell) and a block needs "
            f"{block}x{block}; use an image of at least {cell * block}x{cell * block} pixels, "
            "a smaller cell or a smaller block"
        )
    return _skimage_hog(
        img,
        orientations=orientations,
        pixels_per_cell=(cell, cell),
        cells_per_block=(block, block),
        block_norm="L2-Hys",
        visualize=visualize,
        channel_axis=-1 if img.ndim == 3 else None,
    )


def feature_matrix(images, fn, **kwargs) -> np.ndarray:
    """Apply a one-image feature ``fn`` (e.g. ``hog``) to every image of a batch.

    images: (N, H, W) or (N, C, H, W) with C in {1, 3} (the layout of ``cnnlab.data.digits``).
    Returns (N, D): row i is ``np.ravel(fn(image_i, **kwargs))``, image_i as (H, W) or (H, W, 3).

    >>> feature_matrix(np.zeros((5, 1, 8, 8)), colour_histogram, bins=4).shape
    (5, 4)
    """
    x = np.asarray(images)
    if x.ndim == 4:
        x = np.moveaxis(x, 1, -1)  # (N, C, H, W) -> (N, H, W, C); fn wants one H x W x C image
    elif x.ndim != 3:
        raise ValueError(
            f"images must be a batch (N, H, W) or (N, C, H, W), got shape {np.shape(images)}"
        )
    if len(x) == 0:
        raise ValueError("images is empty")
    return np.stack([np.ravel(fn(img, **kwargs)) for img in x]).astype(np.float64)


def _patches(x: np.ndarray, patch: int) -> np.ndarray:
    """All patch x patch windows (stride 1) of grey images (N, H, W) -> (N, P, patch*patch)."""
    n, h, w = x.shape
    if patch > min(h, w):
        raise ValueError(
            f"patch={patch} does not fit in {h}x{w} images; there are (H - patch + 1)"
            f"(W - patch + 1) windows, so use patch <= {min(h, w)}"
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
        raise ValueError(f"words={words} is more than the {len(pts)} patches to cluster")
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
        raise ValueError(f"codebook must be (K, p, p) patches, got shape {book.shape}")
    k, p = book.shape[0], book.shape[1]
    pts = _patches(x, p)  # (N, P, p*p)
    flat = book.reshape(k, -1)
    # |a - b|^2 = |a|^2 - 2 a.b + |b|^2; |a|^2 is the same for every word, so it can be dropped.
    dist = (flat**2).sum(1) - 2 * pts @ flat.T  # (N, P, K)
    nearest = dist.argmin(axis=2)
    counts = np.stack([np.bincount(row, minlength=k) for row in nearest])
    return counts / pts.shape[1]


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
        raise ValueError(f"features must be (N, D), got shape {f.shape}; use feature_matrix")
    if y.shape != (len(f),):
        raise ValueError(f"labels must be (N,) = ({len(f)},), got shape {y.shape}")
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000)).fit(f, y)
