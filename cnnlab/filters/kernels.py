"""The named 3x3 kernels of image processing (Prewitt, Sobel, Scharr, Laplacian, blur), and
the checks that turn an argument into a kernel. Used by lesson 02.

Sign convention (the course's): an ``*_x`` kernel responds positively where the image is
brighter on the left than on the right (a *vertical* edge), a ``*_y`` kernel where it is
brighter on top (a *horizontal* edge); ``*_y`` is the transpose of ``*_x``. Kernels are
applied by cross-correlation, as ``cnnlab.conv2d`` and PyTorch do.

>>> x = np.array([[10, 10, 10, 0, 0, 0]] * 6, dtype=float)   # bright left, dark right
>>> from cnnlab import conv2d
>>> conv2d(x[None, None], prewitt_x()[None, None])[0, 0, 0]
array([ 0., 30., 30.,  0.])

Every kernel function returns a fresh float array, so changing it changes nothing here.
"""

from __future__ import annotations

import numpy as np

from ..i18n import tr

# ---------------------------------------------------------------------------------------
# named kernels


def prewitt_x() -> np.ndarray:
    """The plain vertical-edge filter, rows ``(1, 0, -1)`` three times (Prewitt). (3, 3).

    The notes' first edge detector: left column minus right column, every row weighted alike.
    """
    return np.array([[1, 0, -1], [1, 0, -1], [1, 0, -1]], dtype=float)


def prewitt_y() -> np.ndarray:
    """Horizontal-edge Prewitt filter, ``prewitt_x().T``: top row minus bottom row. (3, 3)."""
    return prewitt_x().T.copy()


def sobel_x() -> np.ndarray:
    """Sobel vertical-edge filter: ``(1, 2, 1)^T (1, 0, -1)``, centre row weighted 2. (3, 3).

    A smoothing ``(1, 2, 1)`` down the edge times a difference ``(1, 0, -1)`` across it.
    """
    return np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]], dtype=float)


def sobel_y() -> np.ndarray:
    """Sobel horizontal-edge filter, ``sobel_x().T``. (3, 3)."""
    return sobel_x().T.copy()


def scharr_x() -> np.ndarray:
    """Scharr vertical-edge filter: rows ``(3, 0, -3), (10, 0, -10), (3, 0, -3)``. (3, 3).

    The weights were chosen (Scharr, 2000) so that the pair (scharr_x, scharr_y) estimates
    the direction of an edge almost equally well at every angle; see ``orientation_error``.
    """
    return np.array([[3, 0, -3], [10, 0, -10], [3, 0, -3]], dtype=float)


def scharr_y() -> np.ndarray:
    """Scharr horizontal-edge filter, ``scharr_x().T``. (3, 3)."""
    return scharr_x().T.copy()


def laplacian() -> np.ndarray:
    """4-neighbour Laplacian ``[[0, 1, 0], [1, -4, 1], [0, 1, 0]]``: responds to spots and
    fine texture, not to flat areas or straight ramps. (3, 3)."""
    return np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=float)


def gaussian_blur() -> np.ndarray:
    """3x3 binomial blur ``(1, 2, 1)^T (1, 2, 1) / 16``: a weighted local average. (3, 3)."""
    return np.outer([1.0, 2.0, 1.0], [1.0, 2.0, 1.0]) / 16.0


def identity() -> np.ndarray:
    """The filter that copies its input: 1 in the centre, 0 elsewhere. (3, 3)."""
    k = np.zeros((3, 3))
    k[1, 1] = 1.0
    return k


KERNELS = {
    "prewitt_x": prewitt_x,
    "prewitt_y": prewitt_y,
    "sobel_x": sobel_x,
    "sobel_y": sobel_y,
    "scharr_x": scharr_x,
    "scharr_y": scharr_y,
    "laplacian": laplacian,
    "gaussian_blur": gaussian_blur,
    "identity": identity,
}
"""Name -> function returning the (3, 3) kernel; ``kernel(name)`` looks one up."""


def kernel(name: str) -> np.ndarray:
    """The named (3, 3) kernel, e.g. ``kernel('sobel_x')``; names are the keys of KERNELS."""
    if name not in KERNELS:
        raise ValueError(
            tr("unknown kernel {name!r}; choose one of {names}").format(
                name=name, names=", ".join(KERNELS)
            )
        )
    return KERNELS[name]()


# ---------------------------------------------------------------------------------------
# input checks (used by every filter function of this package)


def as_real_array(name: str, value) -> np.ndarray:
    """``value`` as a non-empty float64 array of real numbers (any shape), or a ValueError
    naming ``name``."""
    arr = np.asarray(value)
    if not np.issubdtype(arr.dtype, np.number) or np.iscomplexobj(arr):
        raise ValueError(
            tr("{name} must hold real numbers, got dtype {dtype}").format(
                name=name, dtype=arr.dtype
            )
        )
    if 0 in arr.shape:
        raise ValueError(
            tr("{name} must not be empty, got shape {shape}").format(name=name, shape=arr.shape)
        )
    return arr.astype(np.float64)


def as_kernel2d(name: str, value) -> np.ndarray:
    """``value`` as a float (K, K') kernel, or a ValueError naming ``name``."""
    k = as_real_array(name, value)
    if k.ndim != 2:
        raise ValueError(
            tr("{name} must be a 2D (K, K) kernel, got shape {shape}").format(
                name=name, shape=k.shape
            )
        )
    return k
