"""How well a pair of edge filters measures the direction of an edge: Sobel against Scharr.
Used by lesson 02.

>>> from cnnlab.filters.kernels import scharr_x, sobel_x
>>> sobel, scharr = (abs(orientation_error(k(), angles=[30])[0]) for k in (sobel_x, scharr_x))
>>> bool(scharr < sobel)
True
"""

from __future__ import annotations

import numpy as np

from ..conv import conv2d
from ..i18n import tr
from ..validate import check_int
from .kernels import as_kernel2d


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
    kx = as_kernel2d("kernel_x", kernel_x)
    ky = kx.T if kernel_y is None else as_kernel2d("kernel_y", kernel_y)
    if kx.shape != ky.shape:
        raise ValueError(
            tr("kernel_x {shape_x} and kernel_y {shape_y} must have the same shape").format(
                shape_x=kx.shape, shape_y=ky.shape
            )
        )
    if not np.isfinite(wavelength) or wavelength <= 2:
        raise ValueError(
            tr(
                "wavelength must be > 2 pixels (the finest pattern a grid can hold), got {wavelength}"
            ).format(wavelength=wavelength)
        )
    size = check_int("size", size, max(kx.shape) + 2)
    angles = np.arange(0.0, 181.0, 5.0) if angles is None else np.asarray(angles, dtype=float)
    if angles.ndim != 1 or not np.all(np.isfinite(angles)):
        raise ValueError(
            tr("angles must be a 1D array of finite degrees, got {angles!r}").format(angles=angles)
        )
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
