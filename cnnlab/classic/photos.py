"""What a trained VGG16 responds to on natural photographs: its receptive fields, its feature
maps, and the photo patches that excite its units most.

The network is ``cnnlab.pretrained.vgg16``: VGG16's 13 convolutions from HED, which started
from the ImageNet classifier's weights and was then fine-tuned for edge detection on BSDS500.
It is not the ImageNet classifier, and its deeper layers may have moved toward edges.

* :data:`PHOTOS` and :func:`photo`: colour photographs that ship with scikit-image and
  matplotlib (nothing downloads);
* :func:`vgg_fields`: every layer's receptive field, ``cnnlab.arith.receptive_field`` on
  ``pretrained.VGG16_LAYERS`` with VGG's paddings (1 for the 3x3 convs, 0 for the pools);
* :func:`photo_maps`: the activations of chosen layers on each photo;
* :func:`top_patches_in_photos`: for chosen units, the photo windows (the unit's receptive
  field) where it fires hardest, at most one per region of a photo, so the patches come
  from many places (``classic.top_patches`` does the same for a batch of small images);
* :func:`edge_strength_at`: HED's edge probability where those windows are centred, to see
  how much the deep units have moved toward edges.

Used by lesson 07.

>>> fields = vgg_fields()
>>> [fields[n].size for n in ("conv1_2", "conv3_3", "conv5_3")]
[5, 40, 196]
"""

from __future__ import annotations

import numpy as np

from ..arith import receptive_field
from ..i18n import tr
from ..validate import check_int

PHOTOS = ("astronaut", "chelsea", "coffee", "rocket", "motorcycle", "grace_hopper")
"""Colour photographs shipped with scikit-image (astronaut, chelsea the cat, coffee, rocket,
the left view of stereo_motorcycle) and matplotlib (grace_hopper.jpg)."""


def photo(name: str, size: int = 320) -> np.ndarray:
    """One of :data:`PHOTOS` as an (H, W, 3) float image in [0, 1], its longer side
    ``size`` pixels (anti-aliased resize)."""
    from skimage import data, transform

    if name not in PHOTOS:
        raise ValueError(
            tr("unknown photo {name!r}; choose one of {names}").format(
                name=name, names=", ".join(PHOTOS)
            )
        )
    size = check_int("size", size, 16)
    if name == "motorcycle":
        img = data.stereo_motorcycle()[0]
    elif name == "grace_hopper":
        import matplotlib.cbook
        import matplotlib.image

        with matplotlib.cbook.get_sample_data("grace_hopper.jpg") as f:
            img = matplotlib.image.imread(f, format="jpg")
    else:
        img = getattr(data, name)()
    img = img[..., :3].astype(np.float64) / 255.0
    scale = size / max(img.shape[:2])
    shape = (round(img.shape[0] * scale), round(img.shape[1] * scale))
    return np.clip(transform.resize(img, shape, anti_aliasing=True), 0, 1).astype(np.float32)


def vgg_fields() -> dict:
    """{layer name: ``arith.LayerRF``} for every conv, ReLU and pool of VGG16.

    ``cnnlab.arith.receptive_field`` on ``pretrained.VGG16_LAYERS`` with VGG's paddings: 1
    for every 3x3 conv ('same'), 0 for the 2x2 stride-2 pools. A ReLU sees what its conv
    sees (reluB_L has convB_L's field).
    """
    from ..pretrained import VGG16_LAYERS

    stack = [(k, s, 1, 1 if name.startswith("conv") else 0) for name, k, s in VGG16_LAYERS]
    fields = {}
    for (name, _, _), rf in zip(VGG16_LAYERS, receptive_field(stack)):
        fields[name] = rf
        if name.startswith("conv"):
            fields[name.replace("conv", "relu")] = rf
    return fields


def photo_maps(photos, layers, model=None) -> list[dict]:
    """The activations of VGG16 at ``layers`` for each photo, one photo at a time.

    photos: list of (H, W, 3) RGB images in [0, 1] (sizes may differ); layers: names of
    ``pretrained.vgg16``'s children ("relu1_2", "relu3_3", ...); model: a ``vgg16()`` or
    None for the shared one. Returns one {layer: (C, H_l, W_l) float32 array} per photo.
    """
    from ..pretrained import activations

    out = []
    for img in photos:
        acts = activations(model, img, tuple(layers))
        out.append({name: a[0].detach().cpu().numpy() for name, a in acts.items()})
    return out


def strongest_channels(maps, count: int) -> np.ndarray:
    """Indices of the ``count`` channels with the largest mean over photos of their maximum.

    maps: list of (C, H, W) arrays (one per photo, sizes may differ) of one layer. Returns
    the channel indices, strongest first.
    """
    count = check_int("count", count, 1)
    score = np.mean([m.reshape(m.shape[0], -1).max(axis=1) for m in maps], axis=0)
    return np.argsort(-score, kind="stable")[:count]


def inside_units(rf, shape) -> tuple[range, range]:
    """The rows and columns of map units whose whole receptive field lies inside an image
    of ``shape`` (H, W, ...): no padding in their window."""
    corner = rf.start - (rf.size - 1) / 2

    def axis(n):
        first = max(0, int(np.ceil(-corner / rf.jump)))
        last = int(np.floor((n - rf.size - corner) / rf.jump))
        return range(first, last + 1)

    return axis(shape[0]), axis(shape[1])


def region_maxima(m, cells: int, rows=None, cols=None):
    """The largest value of each ``cells`` x ``cells`` block of the map m (h, w), and where.

    rows, cols: ranges of map rows and columns to search (default all). Returns (values
    (B,), positions (B, 2) as (i, j) in the map), one per block, row-major (the last
    blocks may be smaller)."""
    rows = range(m.shape[0]) if rows is None else rows
    cols = range(m.shape[1]) if cols is None else cols
    values, where = [], []
    for top in range(rows.start, rows.stop, cells):
        for left in range(cols.start, cols.stop, cells):
            block = m[top : min(top + cells, rows.stop), left : min(left + cells, cols.stop)]
            i, j = np.unravel_index(int(block.argmax()), block.shape)
            values.append(block[i, j])
            where.append((top + i, left + j))
    return np.array(values), np.array(where).reshape(-1, 2)


def cut_window(image, rf, i: int, j: int) -> np.ndarray:
    """The receptive field of map unit (i, j) cut out of image (H, W, 3) -> (3, s, s),
    zeros where the window leaves the image (the padding the network saw there)."""
    size = rf.size
    corner = rf.start - (size - 1) / 2  # top-left input pixel of unit (0, 0)'s window
    top, left = int(round(corner + rf.jump * i)), int(round(corner + rf.jump * j))
    padded = np.pad(image, ((size, size), (size, size), (0, 0)))
    patch = padded[top + size : top + 2 * size, left + size : left + 2 * size]
    return np.moveaxis(patch, -1, 0)


def top_patches_in_photos(maps, photos, rf, units, k: int = 6, region: int = 64, inside=True):
    """The photo windows where each chosen unit of one layer fires hardest.

    maps: list of (C, h, w) activations of the layer, one per photo; photos: the (H, W, 3)
    images that produced them; rf: the layer's ``arith.LayerRF`` (:func:`vgg_fields`);
    units: channel indices; region: each photo is cut into blocks of ``region`` x
    ``region`` input pixels (``region / jump`` map cells) and each block offers its
    strongest position once, so two patches never come from the same place; inside: only
    units whose whole window lies in the photo (a window that crosses the border would
    show the zero padding, and the padding's edge, as part of the pattern).

    Returns (patches (U, k, 3, s, s), scores (U, k), where (U, k, 3) as (photo, i, j) in
    the map), best first; s is the receptive field's size.
    """
    if len(maps) != len(photos) or not maps:
        raise ValueError(
            tr("need one map per photo, got {n_maps} maps and {n_photos} photos").format(
                n_maps=len(maps), n_photos=len(photos)
            )
        )
    k = check_int("k", k, 1)
    cells = max(1, check_int("region", region, 1) // rf.jump)
    patches, scores, where = [], [], []
    for u in units:
        cand = []
        for p, (m, img) in enumerate(zip(maps, photos)):
            span = inside_units(rf, img.shape) if inside else (None, None)
            if inside and (not span[0] or not span[1]):
                continue  # the window is larger than this photo
            cand += [(v, p, i, j) for v, (i, j) in zip(*region_maxima(m[u], cells, *span))]
        if len(cand) < k:
            raise ValueError(
                tr(
                    "only {n} places to take a {size}x{size} window from for k={k}; use larger "
                    "photos, a smaller region or a smaller k"
                ).format(n=len(cand), size=rf.size, k=k)
            )
        cand.sort(key=lambda c: -c[0])
        best = cand[:k]
        patches.append([cut_window(photos[p], rf, i, j) for _, p, i, j in best])
        scores.append([v for v, *_ in best])
        where.append([(p, i, j) for _, p, i, j in best])
    return np.array(patches), np.array(scores), np.array(where)


def window_centre(rf, i: int, j: int) -> tuple[float, float]:
    """The input pixel (row, col) at the centre of map unit (i, j)'s receptive field."""
    return rf.start + rf.jump * i, rf.start + rf.jump * j


def edge_strength_at(edge_maps, rf, where) -> np.ndarray:
    """HED's edge probability at the centre of each top patch.

    edge_maps: list of (H, W) edge maps in [0, 1], one per photo (``pretrained.edges``);
    where: (..., 3) array of (photo, i, j) from :func:`top_patches_in_photos`. Returns the
    edge probability at each window's centre pixel, shape ``where.shape[:-1]``.
    """
    where = np.asarray(where)
    flat = []
    for p, i, j in where.reshape(-1, 3):
        r, c = window_centre(rf, int(i), int(j))
        e = edge_maps[int(p)]
        flat.append(e[min(int(r), e.shape[0] - 1), min(int(c), e.shape[1] - 1)])
    return np.array(flat).reshape(where.shape[:-1])
