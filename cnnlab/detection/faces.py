"""Real faces for the face-detection part of lesson 10 (object detection, section 6): the
images, a pyramid level as P-Net sees it, P-Net slid one window at a time, and scoring the
faces found.

The detector itself is :func:`cnnlab.pretrained.detect_faces` (MTCNN, Zhang et al. 2016,
with the original authors' weights as facenet-pytorch 2.6.0 ships them); this module only
prepares what the lesson shows with it. Images, all offline:

* scikit-image's astronaut (:func:`cnnlab.data.image`), one face;
* matplotlib's sample photograph of Grace Hopper (:func:`grace_hopper`), one face;
* a mosaic of faces and non-faces from scikit-image's ``lfw_subset`` (:func:`lfw_mosaic`),
  25 x 25 grey crops upsampled so each face is about 48 px.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import torch
import torch.nn.functional as F

from ..i18n import tr
from ..validate import as_boxes, check_int

#: P-Net's window and the stride its one 2x2 pool slides it at.
WINDOW, STRIDE = 12, 2


def grace_hopper() -> np.ndarray:
    """Matplotlib's sample photograph of Grace Hopper: (600, 512, 3) floats in [0, 1]."""
    import matplotlib.cbook
    import matplotlib.image

    with matplotlib.cbook.get_sample_data("grace_hopper.jpg") as f:
        img = matplotlib.image.imread(f, format="jpg")
    return img.astype(np.float64) / 255.0


class Mosaic(NamedTuple):
    """A grid of tiles: image (H, W, 3) floats in [0, 1]; tiles (M, 4) xyxy, the picture
    part of each tile (without its margin); is_face (M,) bool: a face or a non-face crop."""

    image: np.ndarray
    tiles: np.ndarray
    is_face: np.ndarray


def lfw_mosaic(
    faces: int = 12, others: int = 4, cols: int = 4, tile: int = 48, margin: int = 8, seed=0
) -> Mosaic:
    """A mosaic of ``faces`` face crops and ``others`` non-face crops of scikit-image's
    ``lfw_subset`` (its first 100 crops are faces, the last 100 are not), in random order.

    Each 25 x 25 crop is upsampled (bilinear) to ``tile`` px, so a face is about that size,
    and framed by ``margin`` px of mid grey. The crops are grey: the grey value is copied to
    R, G and B, a choice made here on purpose (MTCNN was trained on colour photographs).
    Returns a :class:`Mosaic`.
    """
    from skimage import data, transform

    faces, others = check_int("faces", faces, 0), check_int("others", others, 0)
    cols, tile = check_int("cols", cols, 1), check_int("tile", tile, 12)
    margin = check_int("margin", margin, 0)
    if not (0 < faces + others and faces <= 100 and others <= 100):
        raise ValueError(
            tr("need 1 to 200 crops (at most 100 of each), got {faces} + {others}").format(
                faces=faces, others=others
            )
        )
    crops = data.lfw_subset()
    rng = np.random.default_rng(seed)
    picks = np.concatenate(
        [rng.choice(100, faces, replace=False), 100 + rng.choice(100, others, replace=False)]
    )
    picks = picks[rng.permutation(len(picks))]
    rows, cell = -(-len(picks) // cols), tile + 2 * margin
    image = np.full((rows * cell, cols * cell), 0.5)
    tiles = []
    for k, i in enumerate(picks):
        y, x = (k // cols) * cell + margin, (k % cols) * cell + margin
        image[y : y + tile, x : x + tile] = transform.resize(crops[i], (tile, tile), order=1)
        tiles.append([x, y, x + tile, y + tile])
    rgb = np.repeat(np.clip(image, 0, 1)[..., None], 3, axis=2)
    return Mosaic(rgb, np.array(tiles, dtype=float), picks < 100)


def tiles_found(boxes, tiles) -> np.ndarray:
    """For each tile (M, 4), whether the centre of some box (K, 4) lies inside it: (M,) bool.

    A face found in a tile of the mosaic is a box centred on that tile (the face detector's
    boxes are tighter or looser than the crop, so IoU with the tile would judge the crop, not
    the detection).
    """
    b, t = as_boxes(boxes), as_boxes(tiles, "tiles")
    cx, cy = (b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2
    inside = (
        (cx[None] >= t[:, :1])
        & (cx[None] < t[:, 2:3])
        & (cy[None] >= t[:, 1:2])
        & (cy[None] < t[:, 3:])
    )
    return inside.any(axis=1)


def pyramid_level(image, scale: float) -> np.ndarray:
    """``image`` (H, W, 3) resized by ``scale`` as the face detector resizes it (bilinear
    with antialiasing, to ceil(H * scale) x ceil(W * scale)): what P-Net sees at that level.

    Returns (h, w, 3) float32 in [0, 1].
    """
    img = np.asarray(image, dtype=np.float32)
    if img.ndim != 3 or img.shape[2] != 3:
        raise ValueError(tr("image must be (H, W, 3), got shape {shape}").format(shape=img.shape))
    if isinstance(scale, bool) or not (isinstance(scale, (int, float)) and 0 < scale <= 1):
        raise ValueError(tr("scale must be a number in (0, 1], got {scale!r}").format(scale=scale))
    h, w = math.ceil(img.shape[0] * scale), math.ceil(img.shape[1] * scale)
    if min(h, w) < WINDOW:
        raise ValueError(
            tr(
                "at scale {scale} the image is {h}x{w}, smaller than P-Net's {window}x{window} "
                "window"
            ).format(scale=scale, h=h, w=w, window=WINDOW)
        )
    x = torch.from_numpy(np.ascontiguousarray(img.transpose(2, 0, 1)))[None]
    out = F.interpolate(x, size=(h, w), mode="bilinear", align_corners=False, antialias=True)
    return out[0].numpy().transpose(1, 2, 0).clip(0, 1)


def pnet_map_size(n: int) -> int:
    """Rows (or columns) of P-Net's map on an n-pixel side, layer by layer: conv 3x3
    (n - 2), max pool 2 with stride 2 rounding up as Caffe does (ceil((n - 2) / 2)), then two
    more 3x3 convs (- 4). For even n that is ``(n - 12) / 2 + 1``, the number of 12 x 12
    windows at stride 2 (the notes' output-size formula); for odd n the rounded-up pool adds
    one more window at the far edge, hanging 1 px over it.

    >>> pnet_map_size(12), pnet_map_size(56), pnet_map_size(57)
    (1, 23, 24)
    """
    n = check_int("n", n, WINDOW)
    return -(-(n - 2) // 2) - 4


def full_windows(n: int) -> int:
    """12 x 12 windows at stride 2 that fit inside an n-pixel side: ``(n - 12) // 2 + 1``.

    >>> full_windows(56), full_windows(57)
    (23, 23)
    """
    return (check_int("n", n, WINDOW) - WINDOW) // STRIDE + 1


@torch.no_grad()
def pnet_one_window_at_a_time(level, pnet=None) -> np.ndarray:
    """P-Net's face probability of every 12 x 12 window at stride 2 of ``level`` (h, w, 3),
    each window cut out and classified on its own: the sliding-window loop that one pass of
    the fully convolutional P-Net replaces (:func:`cnnlab.pretrained.faces.pnet_map`).

    Returns the (rows, cols) map of the windows inside the image, rows = :func:`full_windows`
    (h); P-Net's own map has one more row (column) when h (w) is odd (:func:`pnet_map_size`).
    """
    from ..pretrained.mtcnn import normalize, shared

    pnet = shared()[0] if pnet is None else pnet
    img = np.asarray(level, dtype=np.float32)
    rows, cols = full_windows(img.shape[0]), full_windows(img.shape[1])
    x = torch.from_numpy(np.ascontiguousarray(img.transpose(2, 0, 1)))
    crops = torch.stack(
        [
            x[:, STRIDE * i : STRIDE * i + WINDOW, STRIDE * j : STRIDE * j + WINDOW]
            for i in range(rows)
            for j in range(cols)
        ]
    )
    prob, _ = pnet(normalize(crops))  # one 12 x 12 window in, one 1 x 1 answer out
    return prob.reshape(rows, cols).numpy()
