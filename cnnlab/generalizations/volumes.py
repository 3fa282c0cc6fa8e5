"""3D volumes: a generated CT-like body scan and 3D edge filters for ``cnnlab.conv3d``
(lesson 13).

A CT (computed tomography) scan is a 3D array of X-ray attenuation values in Hounsfield
units (HU): air is -1000, water 0, soft tissue a few tens, bone several hundred. No real
scan ships with the course's packages, so ``ct_phantom`` builds one from simple shapes, in
the spirit of the Shepp-Logan phantom used to test CT reconstruction: a chest with fat,
soft tissue, two lungs, a spine of separate vertebrae, and one small nodule in a
lung, the kind of thing a radiologist looks for.

Axes are (z, y, x) = (D, H, W): z runs from head to feet (one axial slice per z), y from
the front of the body to the back, x from side to side.

>>> vol = ct_phantom(32)
>>> vol.shape
(32, 32, 32)
"""

from __future__ import annotations

import numpy as np

from ..conv import conv3d
from ..i18n import tr
from ..validate import check_int
from .signals import centred_padding

#: Hounsfield units of the phantom's tissues.
HU = {"air": -1000.0, "lung": -850.0, "fat": -100.0, "soft tissue": 40.0, "bone": 700.0}

#: Where the nodule sits, in normalised coordinates (z, y, x) in [-1, 1], and its radius.
NODULE = ((0.25, -0.05, -0.42), 0.1)

AXES = ("z (axial slices)", "y (front to back)", "x (side to side)")
VIEWS = ("axial", "coronal", "sagittal")  # the slice you see when you fix z, y or x


def ct_phantom(size: int = 64, noise: float = 20.0, seed: int = 0) -> np.ndarray:
    """A CT-like chest volume of shape (size, size, size) in Hounsfield units.

    noise: standard deviation of the Gaussian noise added (real CT: about 10-30 HU).
    Shapes, in coordinates that run from -1 to 1 along each axis: the body is an elliptic
    cylinder along z (a fat layer around soft tissue); the two lungs are
    ellipsoids that end inside the volume (so they have tops and bottoms); the spine is a
    column of bone disks separated by soft discs; the nodule (``NODULE``) is a ball of
    soft tissue inside the left-hand lung.
    """
    size = check_int("size", size, 8)
    if isinstance(noise, bool) or not np.isscalar(noise) or noise < 0:
        raise ValueError(tr("noise must be a number >= 0 (HU), got {noise!r}").format(noise=noise))
    c = (np.arange(size) + 0.5) / size * 2 - 1  # voxel centres in (-1, 1)
    z, y, x = np.meshgrid(c, c, c, indexing="ij")

    def ellipsoid(cz, cy, cx, rz, ry, rx):
        return ((z - cz) / rz) ** 2 + ((y - cy) / ry) ** 2 + ((x - cx) / rx) ** 2 <= 1

    vol = np.full((size,) * 3, HU["air"])
    body = (y / 0.62) ** 2 + (x / 0.88) ** 2 <= 1
    inner = (y / 0.55) ** 2 + (x / 0.80) ** 2 <= 1
    vol[body] = HU["fat"]
    vol[inner] = HU["soft tissue"]
    for side in (-1, 1):
        vol[ellipsoid(-0.05, -0.05, 0.4 * side, 0.75, 0.36, 0.25)] = HU["lung"]
    column = ((y - 0.4) / 0.1) ** 2 + (x / 0.1) ** 2 <= 1
    vertebrae = np.mod(z + 1, 0.25) < 0.18  # bone, then a soft disc, repeating down z
    vol[column & vertebrae] = HU["bone"]
    (nz, ny, nx), r = NODULE
    vol[ellipsoid(nz, ny, nx, r, r, r)] = HU["soft tissue"]
    if noise:
        vol = vol + np.random.default_rng(seed).normal(0.0, noise, vol.shape)
    return vol


def nodule_voxel(size: int = 64) -> tuple[int, int, int]:
    """Index (z, y, x) of the voxel at the nodule's centre in ``ct_phantom(size)``."""
    size = check_int("size", size, 8)
    return tuple(int(np.floor((v + 1) / 2 * size)) for v in NODULE[0])


def sobel3d(axis: int) -> np.ndarray:
    """3D Sobel kernel (3, 3, 3) for the change along ``axis`` (0 = z, 1 = y, 2 = x).

    The centred difference ``[-1, 0, 1]`` along ``axis`` times the smoothing ``[1, 2, 1]``
    along the other two (an outer product): positive where values grow along the axis.
    Written for cross-correlation, like cnnlab.conv3d and PyTorch.
    """
    if axis not in (0, 1, 2):
        raise ValueError(tr("axis must be 0 (z), 1 (y) or 2 (x), got {axis!r}").format(axis=axis))
    d, s = np.array([-1.0, 0.0, 1.0]), np.array([1.0, 2.0, 1.0])
    parts = [d if a == axis else s for a in range(3)]
    return np.einsum("i,j,k->ijk", *parts)


def sobel3d_bank() -> np.ndarray:
    """The three 3D Sobel kernels as one conv3d weight, (3, 1, 3, 3, 3): out channels z, y, x."""
    return np.stack([sobel3d(a) for a in range(3)])[:, None]


def sobel2d_bank() -> np.ndarray:
    """2D Sobel for y and x on every slice, as a conv3d weight (2, 1, 1, 3, 3).

    A kernel of depth 1 never looks at the neighbouring slices: a 3D convolution with it is
    a 2D convolution applied to each axial slice on its own.
    """
    # the middle z-slice of the 3D kernel is the 2D Sobel times the z smoothing weight 2
    return np.stack([sobel3d(a)[1:2] / 2 for a in (1, 2)])[:, None]


def edge_magnitude(volume, weight=None) -> np.ndarray:
    """Edge strength ``sqrt(sum of squared responses)`` of a (D, H, W) volume, same shape.

    weight: conv3d weight (C, 1, KD, KH, KW) of derivative kernels, default
    ``sobel3d_bank()``. The volume is padded by repeating its border voxels, so the
    borders show no false edge (zero padding would be a jump from -1000 HU to 0).
    """
    volume = np.asarray(volume, dtype=float)
    if volume.ndim != 3:
        raise ValueError(
            tr("volume must be (D, H, W), got shape {shape}").format(shape=volume.shape)
        )
    weight = sobel3d_bank() if weight is None else np.asarray(weight, dtype=float)
    if weight.ndim != 5 or weight.shape[1] != 1:
        raise ValueError(
            tr("weight must be (C, 1, KD, KH, KW), got shape {shape}").format(shape=weight.shape)
        )
    pads = [centred_padding(k) for k in weight.shape[2:]]
    padded = np.pad(volume, pads, mode="edge")[None, None]
    responses = conv3d(padded, weight)[0]
    return np.sqrt((responses**2).sum(axis=0))


def slice_of(volume, axis: int, index: int) -> np.ndarray:
    """The 2D slice of a (D, H, W) volume at ``index`` along ``axis``, oriented for display.

    axis 0: axial (y down, x across); 1: coronal (z down, x across); 2: sagittal (z down,
    y across). Raises ValueError naming the valid range.
    """
    volume = np.asarray(volume)
    if volume.ndim != 3:
        raise ValueError(
            tr("volume must be (D, H, W), got shape {shape}").format(shape=volume.shape)
        )
    if axis not in (0, 1, 2):
        raise ValueError(tr("axis must be 0, 1 or 2, got {axis!r}").format(axis=axis))
    n = volume.shape[axis]
    index = check_int(tr("slice index"), index, 0)
    if index >= n:
        raise ValueError(
            tr("slice index {index} is outside the volume: axis {axis} has 0..{last}").format(
                index=index, axis=axis, last=n - 1
            )
        )
    return np.take(volume, index, axis=axis)
