"""Learned filters next to designed ones: a trained edge detector (HED) against Sobel and
Scharr, and the 64 first-layer filters of a trained VGG16 sorted into the kinds the notes name
(oriented edges, opposing colours). Used by lesson 02.

The trained network is HED's VGG16 (:mod:`cnnlab.pretrained`): it started from the ImageNet
classifier's weights and was fine-tuned for edge detection on BSDS500 (human-drawn outlines of
500 photos). It is not the ImageNet classifier. Its filters were learned by backpropagation,
like the single filter of :func:`cnnlab.filters.learn_filter`, only all at once.

>>> import numpy as np
>>> w = np.zeros((2, 3, 3, 3))
>>> w[0] = np.array([[1.0, 0, -1]] * 3)         # the same ramp in R, G and B: an edge
>>> w[1, 1], w[1, 0] = 1.0, -1.0                # green minus red: a colour filter
>>> kinds = filter_kinds(w)
>>> kinds["kind"].tolist(), kinds["ramp"].round(2).tolist(), kinds["colour"].round(2).tolist()
(['edge', 'colour'], [1.0, 0.0], [0.0, 1.0])
"""

from __future__ import annotations

import numpy as np

from ..conv import conv2d
from ..i18n import tr
from .kernels import kernel

#: The edge maps :func:`compare_edges` returns, in order: two designed, then HED's six.
EDGE_MAPS = ("Sobel", "Scharr", "HED fused", *(f"HED side {i}" for i in range(1, 6)))


def first_layer_filters() -> np.ndarray:
    """VGG16's 64 conv1_1 filters (HED's VGG16), input channels in R, G, B order.

    Returns (64, 3, 3, 3) float64: (filter, channel R/G/B, row, column). The weights file
    stores the channels as B, G, R because the network takes Caffe-style BGR input; this
    reorders them so channel 0 is red, as in every picture of the course.
    """
    from ..pretrained.files import hed_arrays

    return np.asarray(hed_arrays()["conv1_1.weight"][:, ::-1], dtype=np.float64)


def _ramps(k: int) -> np.ndarray:
    """The two unit-norm linear ramps on a k x k grid: (2, k, k), left-to-right and top-down.

    For k = 3 they are ``-prewitt_x`` and ``-prewitt_y`` scaled to norm 1.
    """
    c = np.arange(k) - (k - 1) / 2
    ramp_x = np.tile(c, (k, 1))
    ramps = np.stack([ramp_x, ramp_x.T])
    return ramps / np.linalg.norm(ramp_x)


def filter_kinds(w, threshold: float = 0.5) -> dict:
    """Split each colour filter's weight into brightness ramp, other brightness, and colour.

    w: (N, 3, K, K) filters on RGB images. Each filter's squared weights (its "energy") are
    split exactly into three parts that add up to 1:

    - ``colour``: the energy of the filter minus its channel mean, i.e. the part that answers
      only to *differences* between R, G and B (0 for a filter equal in all channels);
    - ``ramp``: the energy of the channel mean's projection on the two linear ramps (a rotated
      Prewitt filter): the part that answers to an oriented brightness gradient;
    - ``other``: the rest of the brightness part (blobs, bars, the plain mean).

    ``angle`` (degrees in [0, 180)) is the orientation of the ramp's gradient, measured
    anticlockwise from the x axis with rows counted downwards and taken modulo 180 (a filter
    and its negative share it): 0 for a change from left to right (a vertical edge), 90 for
    a change from top to bottom (a horizontal edge). ``kind`` is "edge" where ramp >
    threshold, "colour" where colour > threshold, else "other". Returns a dict of (N,) arrays.
    """
    w = np.asarray(w, dtype=np.float64)
    if w.ndim != 4 or w.shape[1] != 3 or w.shape[2] != w.shape[3]:
        raise ValueError(
            tr("w must be (N, 3, K, K) filters on RGB images, got shape {shape}").format(
                shape=w.shape
            )
        )
    if not 0 < threshold < 1:
        raise ValueError(
            tr("threshold must be in (0, 1), got {threshold}").format(threshold=threshold)
        )
    energy = np.maximum((w**2).sum(axis=(1, 2, 3)), 1e-300)
    mean = w.mean(axis=1)  # (N, K, K): what the filter does to brightness
    colour = ((w - mean[:, None]) ** 2).sum(axis=(1, 2, 3)) / energy
    gx, gy = np.einsum("nij,rij->rn", mean, _ramps(w.shape[2]))
    ramp = 3 * (gx**2 + gy**2) / energy  # mean is shared by 3 channels: 3x its energy
    kind = np.where(ramp > threshold, "edge", np.where(colour > threshold, "colour", "other"))
    return {
        "colour": colour,
        "ramp": ramp,
        "other": np.clip(1 - colour - ramp, 0, 1),
        "angle": np.degrees(np.arctan2(-gy, gx)) % 180,  # rows grow downwards
        "kind": kind,
    }


def filter_tiles(w) -> np.ndarray:
    """Filters (N, 3, K, K) -> RGB tiles (N, K, K, 3) in [0, 1] for display, 0 at mid-grey.

    Each filter is scaled by its own largest |weight|: tile = 0.5 + w / (2 max|w|), so a
    positive weight on red shows as more red, a negative one as less (towards cyan).
    """
    w = np.asarray(w, dtype=np.float64)
    if w.ndim != 4 or w.shape[1] != 3:
        raise ValueError(
            tr("w must be (N, 3, K, K) filters on RGB images, got shape {shape}").format(
                shape=w.shape
            )
        )
    scale = np.maximum(np.abs(w).max(axis=(1, 2, 3), keepdims=True), 1e-12)
    return (0.5 + w / (2 * scale)).transpose(0, 2, 3, 1)


def edge_strength(gray, name: str = "sobel") -> np.ndarray:
    """Edge strength sqrt(g_x^2 + g_y^2) of a grey image with a named filter pair, scaled to
    a maximum of 1.

    gray: (H, W) floats; name: "prewitt", "sobel" or "scharr". The image is padded by 1 with
    copies of its border pixels (not zeros, which would draw a false edge around a bright
    picture), so the (H, W) map lines up with the image.
    """
    gray = np.asarray(gray, dtype=np.float64)
    if gray.ndim != 2:
        raise ValueError(
            tr("gray must be an (H, W) grey image, got shape {shape}").format(shape=gray.shape)
        )
    if name not in ("prewitt", "sobel", "scharr"):
        raise ValueError(
            tr("name must be 'prewitt', 'sobel' or 'scharr', got {name!r}").format(name=name)
        )
    bank = np.stack([kernel(name + "_x"), kernel(name + "_y")])[:, None]  # (2, 1, 3, 3)
    padded = np.pad(gray, 1, mode="edge")
    gx, gy = conv2d(padded[None, None], bank)[0]
    strength = np.hypot(gx, gy)
    return strength / max(strength.max(), 1e-12)


def compare_edges(image, model=None) -> dict:
    """Designed and learned edge maps of one RGB photo, all (H, W) in [0, 1].

    image: (H, W, 3) RGB, floats in [0, 1] or uint8. Returns ``{name: map}`` with the names
    of :data:`EDGE_MAPS`: Sobel's and Scharr's edge strength on the grey image (scaled to a
    maximum of 1), then HED's fused edge probability and its five side outputs (side 1 after
    conv1_2, the shallowest, ..., side 5 after conv5_3). model: a ``cnnlab.pretrained.hed()``
    model, or None for the shared CPU one.
    """
    from skimage.color import rgb2gray

    from ..pretrained import edges
    from ..pretrained.images import as_rgb

    rgb = as_rgb(image)
    gray = rgb2gray(rgb.astype(np.float64))
    fused, sides = edges(rgb, model=model)
    maps = [edge_strength(gray, "sobel"), edge_strength(gray, "scharr"), fused, *sides]
    return dict(zip(EDGE_MAPS, maps))


def side_receptive_fields() -> dict:
    """The receptive field (pixels) of each HED side output: {"HED side 1": 5, ...}.

    Side b reads the last convolution of VGG16's block b; its field comes from
    :func:`cnnlab.arith.receptive_field` on VGG16's stack of 3x3 convs and 2x2 pools.
    """
    from ..arith import receptive_field
    from ..pretrained.hed import SIDE_LAYERS
    from ..pretrained.vgg import VGG16_LAYERS

    sizes = receptive_field([(k, s) for _, k, s in VGG16_LAYERS])
    by_name = {name: r.size for (name, _, _), r in zip(VGG16_LAYERS, sizes)}
    return {
        f"HED side {i}": by_name[layer.replace("relu", "conv")]
        for i, layer in enumerate(SIDE_LAYERS, start=1)
    }
