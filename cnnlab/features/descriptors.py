"""Hand-made image descriptors: the colour histogram and the histogram of oriented gradients
(HOG), fixed recipes that turn one image into a vector of numbers. Used by lesson 01.

Images follow ``cnnlab.data``: floats in [0, 1], one image (H, W) or (H, W, C).

>>> import numpy as np
>>> colour_histogram(np.zeros((4, 4, 3)), bins=2)
array([[1., 0.],
       [1., 0.],
       [1., 0.]])
"""

from __future__ import annotations

import numpy as np

from ..i18n import tr
from ..validate import check_int


def _check_image(image, name: str = "image") -> np.ndarray:
    """One image as float (H, W) or (H, W, C) with values in [0, 1], else ValueError."""
    img = np.asarray(image)
    if img.ndim not in (2, 3) or (img.ndim == 3 and img.shape[2] not in (1, 3)):
        raise ValueError(
            tr(
                "{name} must be one (H, W) grey or (H, W, 3) colour image, got shape {shape}; "
                "for a batch use feature_matrix(images, fn)"
            ).format(name=name, shape=img.shape)
        )
    if img.dtype.kind not in "fiub":
        raise ValueError(
            tr("{name} must hold numbers, got dtype {dtype}").format(name=name, dtype=img.dtype)
        )
    img = img.astype(np.float64)
    if not np.isfinite(img).all():
        raise ValueError(tr("{name} contains NaN or infinite values").format(name=name))
    if img.size and (img.min() < 0 or img.max() > 1):
        raise ValueError(
            tr(
                "{name} values must lie in [0, 1], got [{low:g}, {high:g}]; "
                "cnnlab.data.image returns such floats (divide uint8 images by 255)"
            ).format(name=name, low=img.min(), high=img.max())
        )
    if img.ndim == 3 and img.shape[2] == 1:
        img = img[..., 0]
    return img


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
        raise ValueError(tr("image has no pixels, shape {shape}").format(shape=img.shape))
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
            tr(
                "image {h}x{w} is too small for HOG with cell={cell}, block={block}: it has "
                "{rows}x{cols} cells (H // cell, W // cell) and a block needs "
                "{block}x{block}; use an image of at least {side}x{side} pixels, "
                "a smaller cell or a smaller block"
            ).format(
                h=h, w=w, cell=cell, block=block, rows=h // cell, cols=w // cell, side=cell * block
            )
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
