"""Filters: the named 3x3 kernels of image processing, and filters found by gradient descent.

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

from .arith import check_int
from .conv import conv2d, conv2d_backward

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
        raise ValueError(f"unknown kernel {name!r}; choose one of {', '.join(KERNELS)}")
    return KERNELS[name]()


# ---------------------------------------------------------------------------------------
# how well a pair of edge filters measures the direction of an edge


def orientation_error(kernel_x, kernel_y=None, angles=None, wavelength: float = 4.0, size=32):
    """Error, in degrees, of the edge direction a pair of derivative filters estimates.

    For each angle ``t`` a test image of straight parallel edges (a sine grating
    ``sin(2 pi (x cos t + y sin t) / wavelength)``, x to the right, y down) is filtered with
    ``kernel_x`` and ``kernel_y``; the direction of the gradient ``(g_x, g_y)`` is compared
    with ``t``. A filter pair that treats all directions alike gives 0 at every angle; real
    3x3 filters are off by a few degrees between the axes and the diagonals, more so for
    fine detail (small ``wavelength``).

    Parameters
    ----------
    kernel_x : (K, K) filter for vertical edges (positive where brighter on the left).
    kernel_y : (K, K) filter for horizontal edges; default ``kernel_x.T``.
    angles : 1D array of angles in degrees (default 0, 5, ..., 180).
    wavelength : period of the grating in pixels (> 2, the finest a pixel grid can show).
    size : side of the test image in pixels.

    Returns
    -------
    errors : (len(angles),) float array, estimated minus true direction in degrees,
        wrapped to [-90, 90).
    """
    kx = _as_kernel2d("kernel_x", kernel_x)
    ky = kx.T if kernel_y is None else _as_kernel2d("kernel_y", kernel_y)
    if kx.shape != ky.shape:
        raise ValueError(f"kernel_x {kx.shape} and kernel_y {ky.shape} must have the same shape")
    if not np.isfinite(wavelength) or wavelength <= 2:
        raise ValueError(
            f"wavelength must be > 2 pixels (the finest pattern a grid can hold), got {wavelength}"
        )
    size = check_int("size", size, max(kx.shape) + 2)
    angles = np.arange(0.0, 181.0, 5.0) if angles is None else np.asarray(angles, dtype=float)
    if angles.ndim != 1 or not np.all(np.isfinite(angles)):
        raise ValueError(f"angles must be a 1D array of finite degrees, got {angles!r}")
    t = np.deg2rad(angles)[:, None, None]
    rows, cols = np.mgrid[0:size, 0:size]
    gratings = np.sin(2 * np.pi * (cols * np.cos(t) + rows * np.sin(t)) / wavelength)
    g = conv2d(gratings[:, None], np.stack([kx, ky])[:, None])
    # The x/y kernels respond to brightness *decreasing* along x/y: negate for the gradient.
    gx, gy = -g[:, 0], -g[:, 1]
    # Direction of the dominant gradient over the image (edge orientation is defined mod
    # 180 degrees; the doubled-angle average ignores the sign flips of the grating).
    est = 0.5 * np.arctan2(np.sum(2 * gx * gy, axis=(1, 2)), np.sum(gx**2 - gy**2, axis=(1, 2)))
    err = np.rad2deg(est) - angles
    return (err + 90.0) % 180.0 - 90.0


# ---------------------------------------------------------------------------------------
# filters as parameters: learning one, and inverting a bank of them


def learn_filter(images, targets, kernel_size: int = 3, steps: int = 300, lr=0.1, seed: int = 0):
    """Find the filter that maps ``images`` to ``targets`` by plain gradient descent.

    Minimises the mean squared error ``L(w) = mean((conv2d(x, w) - t)^2)``, starting from
    random weights (normal, std ``1/sqrt(fan_in)``), with the update ``w <- w - lr dL/dw``
    and the gradient from ``cnnlab.conv2d_backward``. No bias.

    Parameters
    ----------
    images : (N, H, W) grey images, or (N, C_in, H, W).
    targets : (N, H', W') for grey images (one filter), or (N, C_out, H', W'); the valid
        outputs, ``H' = H - kernel_size + 1``.
    kernel_size : side K of the square filter to learn (a hyperparameter).
    steps : number of gradient-descent steps.
    lr : learning rate (step size). Too large and the loss grows instead of shrinking.
    seed : seed of the random initial filter.

    Returns
    -------
    kernel : (K, K) for grey images, else (C_out, C_in, K, K).
    losses : (steps + 1,) the loss before each step, and last, of the returned kernel.
    """
    x = _as_float("images", images)
    t = _as_float("targets", targets)
    grey = x.ndim == 3
    if grey:
        x = x[:, None]
        if t.ndim != 3:
            raise ValueError(
                f"for (N, H, W) images, targets must be (N, H', W'), got shape {t.shape}"
            )
        t = t[:, None]
    if x.ndim != 4 or t.ndim != 4:
        raise ValueError(
            "images must be (N, H, W) or (N, C_in, H, W) and targets (N, H', W') or "
            f"(N, C_out, H', W'), got {np.shape(images)} and {np.shape(targets)}"
        )
    k = check_int("kernel_size", kernel_size, 1)
    steps = check_int("steps", steps, 0)
    lr = _positive("lr", lr)
    n, c_in, h, w_ = x.shape
    if k > min(h, w_):
        raise ValueError(f"kernel_size {k} is larger than the images ({h}x{w_})")
    expected = (n, t.shape[1], h - k + 1, w_ - k + 1)
    if t.shape != expected:
        raise ValueError(
            f"targets must be the valid outputs of a {k}x{k} filter: shape {expected} "
            f"(H' = H - K + 1), got {t.shape}"
        )
    rng = np.random.default_rng(seed)
    w = rng.normal(0.0, 1.0 / np.sqrt(c_in * k * k), size=(t.shape[1], c_in, k, k))
    losses = np.empty(steps + 1)
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported below
        for i in range(steps + 1):
            err = conv2d(x, w) - t
            losses[i] = np.mean(err**2)
            if not np.isfinite(losses[i]):
                raise ValueError(
                    f"gradient descent diverged at step {i} (loss {losses[i]}): lr={lr} is too "
                    "large for these images; try a smaller lr (e.g. lr / 10) or standardise the "
                    "images (zero mean, unit variance)"
                )
            if i == steps:
                break
            _, dw, _ = conv2d_backward(2.0 * err / err.size, x, w)  # dL/dout = 2 err / M
            w -= lr * dw
    return (w[0, 0] if grey else w), losses


def reconstruct_from_responses(
    responses, filters, shape=None, steps: int = 500, lr=None, seed: int = 0
):
    """Recover an image from a filter bank's outputs by gradient descent on the image.

    Starts from uniform noise in [0, 1) and minimises
    ``L(x) = mean((conv2d(x, filters) - responses)^2)``, with ``dL/dx`` from
    ``cnnlab.conv2d_backward`` (valid convolution, stride 1, no padding). It recovers the
    image wherever the bank "sees" it: patterns every filter maps to 0 (for edge filters
    alone, flat brightness) stay as the noise left them.

    Parameters
    ----------
    responses : (C_out, H', W') the bank's outputs for one image.
    filters : (C_out, K, K) for a grey image, or (C_out, C_in, K, K).
    shape : shape of the image, (H, W) or (C_in, H, W); default and only valid value
        ``(H' + K - 1, W' + K - 1)`` (with C_in in front for 4D filters).
    steps : number of gradient-descent steps.
    lr : step size; default ``1 / L`` with ``L = 2 sum_(c,c') ||w_(c,c')||_1^2 / M`` a bound
        on the curvature of the loss (M = responses.size), a step that always lowers it.
    seed : seed of the starting noise.

    Returns
    -------
    image : (H, W) or (C_in, H, W).
    losses : (steps + 1,) the loss before each step and, last, of the returned image.
    """
    r = _as_float("responses", responses)
    w = _as_float("filters", filters)
    grey = w.ndim == 3
    if grey:
        w = w[:, None]
    if w.ndim != 4 or r.ndim != 3:
        raise ValueError(
            "filters must be (C_out, K, K) or (C_out, C_in, K, K) and responses "
            f"(C_out, H', W'), got {np.shape(filters)} and {np.shape(responses)}"
        )
    if r.shape[0] != w.shape[0]:
        raise ValueError(
            f"responses has {r.shape[0]} maps but there are {w.shape[0]} filters: one "
            "activation map per filter"
        )
    steps = check_int("steps", steps, 0)
    c_out, c_in, kh, kw = w.shape
    valid = (r.shape[1] + kh - 1, r.shape[2] + kw - 1)
    valid = valid if grey else (c_in,) + valid
    if shape is not None and tuple(shape) != valid:
        raise ValueError(
            f"shape {tuple(shape)} does not match the responses: a valid {kh}x{kw} "
            f"convolution of an image of shape {valid} gives {r.shape[1:]} (H' = H - K + 1)"
        )
    if lr is None:
        lr = r.size / (2.0 * np.sum(np.abs(w).sum(axis=(2, 3)) ** 2))
    lr = _positive("lr", lr)
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 1.0, size=(1, c_in) + valid[-2:])
    target = r[None]
    losses = np.empty(steps + 1)
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported below
        for i in range(steps + 1):
            err = conv2d(x, w) - target
            losses[i] = np.mean(err**2)
            if not np.isfinite(losses[i]):
                raise ValueError(
                    f"gradient descent diverged at step {i}: lr={lr} is too large; leave lr=None "
                    "for a safe step"
                )
            if i == steps:
                break
            dx, _, _ = conv2d_backward(2.0 * err / err.size, x, w)
            x -= lr * dx
    return (x[0, 0] if grey else x[0]), losses


# ---------------------------------------------------------------------------------------
# two linear convolutions are one


def combine_kernels(w1, w2) -> np.ndarray:
    """The single kernel that does what ``w1`` then ``w2`` do (stride 1, no padding).

    ``conv2d(conv2d(x, w1), w2) == conv2d(x, combine_kernels(w1, w2))``: each output sums
    ``w2[b] * w1[a] * x[i + a + b]``, so the combined weight at offset ``c`` is the sum of
    ``w1[a] w2[b]`` over ``a + b = c`` (the full, flipped-kernel convolution of the two
    kernels), summed over the middle channels.

    Parameters
    ----------
    w1 : (K1h, K1w) or (C1, C0, K1h, K1w), the first layer's filters.
    w2 : (K2h, K2w) or (C2, C1, K2h, K2w), the second layer's.

    Returns
    -------
    (K1h + K2h - 1, K1w + K2w - 1), or (C2, C0, K1h + K2h - 1, K1w + K2w - 1).

    >>> combine_kernels(np.ones((3, 3)), np.ones((3, 3)))[0]
    array([1., 2., 3., 2., 1.])
    """
    a = _as_float("w1", w1)
    b = _as_float("w2", w2)
    if a.ndim != b.ndim or a.ndim not in (2, 4):
        raise ValueError(
            "w1 and w2 must both be 2D kernels (K, K) or both 4D filter banks "
            f"(C_out, C_in, K, K), got shapes {a.shape} and {b.shape}"
        )
    grey = a.ndim == 2
    if grey:
        a, b = a[None, None], b[None, None]
    if b.shape[1] != a.shape[0]:
        raise ValueError(
            f"w2 expects C_in={b.shape[1]} channels but w1 makes {a.shape[0]} (w1 is "
            f"(C1, C0, K, K) = {a.shape}, w2 (C2, C1, K, K) = {b.shape})"
        )
    k2h, k2w = b.shape[2:]
    # Treat w1 as a batch of C0 images with C1 channels; correlating it, zero-padded by the
    # size of w2 minus one, with the flipped w2 gives the full convolution of the kernels.
    stacked = np.pad(a.transpose(1, 0, 2, 3), ((0, 0), (0, 0), (k2h - 1,) * 2, (k2w - 1,) * 2))
    out = conv2d(stacked, np.flip(b, axis=(2, 3)))  # (C0, C2, K1h+K2h-1, K1w+K2w-1)
    out = out.transpose(1, 0, 2, 3)
    return out[0, 0] if grey else np.ascontiguousarray(out)


def combine_biases(w2, b1, b2) -> np.ndarray:
    """Bias of the single layer equal to two stacked linear conv layers.

    ``conv2d(conv2d(x, w1, b1), w2, b2) == conv2d(x, combine_kernels(w1, w2),
    combine_biases(w2, b1, b2))``: the constant ``b1`` passes through ``w2`` as
    ``sum(w2) * b1``. w2: (C2, C1, K, K); b1: (C1,); b2: (C2,). Returns (C2,).
    """
    w2 = _as_float("w2", w2)
    b1 = _as_float("b1", b1)
    b2 = _as_float("b2", b2)
    if w2.ndim != 4 or b1.shape != (w2.shape[1],) or b2.shape != (w2.shape[0],):
        raise ValueError(
            "need w2 (C2, C1, K, K), b1 (C1,) and b2 (C2,), got "
            f"{w2.shape}, {b1.shape} and {b2.shape}"
        )
    return b2 + w2.sum(axis=(2, 3)) @ b1


# ---------------------------------------------------------------------------------------
# input checks


def _as_float(name, value) -> np.ndarray:
    arr = np.asarray(value)
    if not np.issubdtype(arr.dtype, np.number) or np.iscomplexobj(arr):
        raise ValueError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    if 0 in arr.shape:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    return arr.astype(np.float64)


def _as_kernel2d(name, value) -> np.ndarray:
    k = _as_float(name, value)
    if k.ndim != 2:
        raise ValueError(f"{name} must be a 2D (K, K) kernel, got shape {k.shape}")
    return k


def _positive(name, value) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a positive number, got {value!r}") from None
    if not np.isfinite(v) or v <= 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return v
