"""Data that needs no network: images shipped with scikit-image, digits with scikit-learn,
and shapes cnnlab draws itself. Used by every lesson that needs a photo (01-05, 07, 09-12) or
digits (01, 06-09).

All images come back as float arrays in [0, 1]; colour images are (H, W, 3) like the
notes' H x W x C, and ``to_nchw`` turns them into PyTorch's (N, C, H, W).
"""

from __future__ import annotations

import numbers

import numpy as np

from .i18n import tr
from .validate import check_flag, check_int, check_memory

IMAGES = ("astronaut", "chelsea", "coffee", "camera", "coins", "brick", "grass", "gravel", "rocket")


def image(name: str = "chelsea", size: int | None = None, gray: bool = False) -> np.ndarray:
    """A sample image that ships with scikit-image, as floats in [0, 1].

    name: one of ``IMAGES``. size: if given, resize so the longer side is ``size`` pixels.
    Returns (H, W, 3) for colour images, (H, W) for grey ones or when ``gray=True``.
    """
    from skimage import color, data, transform

    if not isinstance(name, str) or name not in IMAGES:
        raise ValueError(
            tr("unknown image {name!r}; choose one of {images}").format(
                name=name, images=", ".join(IMAGES)
            )
        )
    gray = check_flag("gray", gray)
    if size is not None:
        size = check_int("size", size, 4)
        # the resized float image (H, W, 3) and the resize's own working copy
        check_memory(
            f"image({name!r}, size={size})", 2 * 3 * 8 * size**2, lambda: tr("use a smaller size")
        )
    img = getattr(data, name)()
    img = img.astype(np.float64) / (255.0 if img.dtype == np.uint8 else img.max())
    if img.ndim == 3 and img.shape[2] == 4:
        img = img[..., :3]
    if gray and img.ndim == 3:
        img = color.rgb2gray(img)
    if size is not None:
        scale = size / max(img.shape[:2])
        shape = (round(img.shape[0] * scale), round(img.shape[1] * scale))
        img = transform.resize(img, shape, anti_aliasing=True)
    return np.clip(img, 0.0, 1.0)


def to_nchw(img: np.ndarray) -> np.ndarray:
    """(H, W) or (H, W, C) image -> (1, C, H, W) batch, the layout cnnlab.conv and torch use."""
    img = np.asarray(img)
    if img.ndim == 2:
        return img[None, None]
    if img.ndim == 3:
        return np.moveaxis(img, -1, 0)[None]
    raise ValueError(
        tr("expected an (H, W) or (H, W, C) image, got shape {shape}").format(shape=img.shape)
    )


def digits(test_fraction: float = 0.25, seed: int = 0):
    """scikit-learn's 1797 handwritten 8x8 digits, split into train and test.

    Returns (x_train, y_train, x_test, y_test); x is (N, 1, 8, 8) float32 in [0, 1],
    y is int64 in 0..9. The split is stratified and fixed by ``seed``.
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    if not 0 < test_fraction < 1:
        raise ValueError(
            tr("test_fraction must be between 0 and 1, got {value}").format(value=test_fraction)
        )
    d = load_digits()
    x = (d.images / 16.0).astype(np.float32)[:, None]
    y = d.target.astype(np.int64)
    xtr, xte, ytr, yte = train_test_split(
        x, y, test_size=test_fraction, random_state=seed, stratify=y
    )
    return xtr, ytr, xte, yte


def scatter_digits(x, canvas: int = 16, noise: float = 0.2, copies: int = 1, seed: int = 0):
    """Harder digits: each 8x8 digit pasted at a random place on a noisy ``canvas`` square.

    x: (N, 1, 8, 8) digits as ``digits`` returns them. Returns (N * copies, 1, canvas,
    canvas) float32: ``copies`` versions of every digit (all of x, then all of x again at
    new places), each at a uniformly random offset, plus Gaussian noise of std ``noise``.
    Labels stay those of x repeated: ``np.tile(y, copies)``. Fixed by ``seed``.
    """
    x = np.asarray(x, dtype=np.float32)
    if x.ndim != 4 or x.shape[1] != 1:
        raise ValueError(
            tr("x must be (N, 1, H, W) digits, got shape {shape}").format(shape=x.shape)
        )
    h, w = x.shape[2:]
    canvas = check_int("canvas", canvas, max(h, w))
    copies = check_int("copies", copies, 1)
    if isinstance(noise, bool) or not isinstance(noise, numbers.Real) or not 0 <= noise < np.inf:
        raise ValueError(
            tr("noise is a standard deviation: a number >= 0, got {noise}").format(noise=noise)
        )
    rng = np.random.default_rng(seed)
    n = len(x)
    out = np.zeros((copies * n, 1, canvas, canvas), dtype=np.float32)
    rows = rng.integers(0, canvas - h + 1, copies * n)
    cols = rng.integers(0, canvas - w + 1, copies * n)
    for i, (r, c) in enumerate(zip(rows, cols)):
        out[i, 0, r : r + h, c : c + w] = x[i % n, 0]
    out += rng.normal(0.0, noise, out.shape).astype(np.float32)
    return out
