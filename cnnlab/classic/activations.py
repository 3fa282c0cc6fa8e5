"""What the layers of a trained network respond to: activations at several depths, and the
input patches that excite one unit most.

A unit deep in a ConvNet sees only its receptive field (lesson 04); cutting that window
out of the images where the unit fires hardest shows what it has learned to detect:
small edges in the first layer, larger pieces of the object deeper in (Zeiler & Fergus's
"Visualizing and understanding convolutional networks", without the deconvnet). Used by
lesson 07; the windows come from ``tables.receptive_fields``.

>>> import numpy as np
>>> from cnnlab.arith import receptive_field
>>> rf = receptive_field([(3, 1, 1, 1)])[-1]           # one 3x3 'same' conv
>>> maps = np.zeros((2, 1, 4, 4)); maps[1, 0, 2, 3] = 5.0
>>> patches, scores, where = top_patches(maps, np.ones((2, 1, 4, 4)), rf, k=1)
>>> patches.shape, float(scores[0, 0]), where[0, 0].tolist()
((1, 1, 1, 3, 3), 5.0, [1, 2, 3])
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from ..i18n import tr
from ..validate import check_int


@torch.no_grad()
def feature_maps(model: nn.Module, x, names, batch_size: int = 256) -> dict:
    """Outputs of the named submodules of ``model`` for a batch of images.

    x: (N, C, H, W) array or tensor; names: submodule names as in
    ``model.named_modules()`` (e.g. "relu1", "pool2"). Returns {name: (N, C_l, H_l, W_l)
    NumPy array} in the order given. Runs in eval mode, in batches, on the model's device.
    """
    modules = dict(model.named_modules())
    names = list(names)
    unknown = [n for n in names if n not in modules]
    if unknown:
        raise ValueError(
            tr("the model has no submodule {name!r}; it has {names}").format(
                name=unknown[0], names=[n for n in modules if n]
            )
        )
    batch_size = check_int("batch_size", batch_size, 1)
    dev = next(model.parameters()).device
    x = torch.as_tensor(np.asarray(x, dtype=np.float32) if not torch.is_tensor(x) else x)
    if x.ndim != 4:
        raise ValueError(
            tr("x must be a batch (N, C, H, W), got shape {shape}").format(shape=tuple(x.shape))
        )
    store: dict = {n: [] for n in names}
    hooks = [
        modules[n].register_forward_hook(
            lambda _m, _i, out, n=n: store[n].append(out.detach().cpu().numpy())
        )
        for n in names
    ]
    was_training = model.training
    model.eval()
    try:
        for i in range(0, len(x), batch_size):
            model(x[i : i + batch_size].to(dev))
    finally:
        for h in hooks:
            h.remove()
        model.train(was_training)
    return {n: np.concatenate(store[n]) for n in names}


def top_patches(maps, images, rf, k: int = 8, units=None):
    """The input patches where each unit of one layer responds most, one per image.

    maps: (N, C, h, w) activations of the layer; images: (N, C_in, H, W) the inputs that
    produced them; rf: that layer's ``cnnlab.arith.LayerRF`` (size, jump, start), which
    says where unit (i, j) looks: a ``size`` x ``size`` window centred on input pixel
    ``start + jump * (i, j)``. units: channel indices (default all).

    For every unit (channel) and image, take the position of the largest activation; keep
    the ``k`` images where that maximum is largest and cut out the window there (parts
    outside the image are zero, like the padding the network saw).
    Returns (patches (U, k, C_in, size, size), scores (U, k), where (U, k, 3) as
    (image, i, j)), best first.
    """
    maps = np.asarray(maps)
    images = np.asarray(images)
    if maps.ndim != 4 or images.ndim != 4 or len(maps) != len(images):
        raise ValueError(
            tr(
                "maps must be (N, C, h, w) and images (N, C_in, H, W) with the same N, got "
                "{maps} and {images}"
            ).format(maps=maps.shape, images=images.shape)
        )
    k = check_int("k", k, 1)
    if k > len(maps):
        raise ValueError(
            tr("k={k} patches need at least {k} images, got {n}").format(k=k, n=len(maps))
        )
    units = range(maps.shape[1]) if units is None else units
    size, jump = rf.size, rf.jump
    corner0 = rf.start - (size - 1) / 2  # top-left input pixel of unit (0, 0)'s window
    if corner0 != int(corner0):
        raise ValueError(
            tr("the receptive field {rf} does not start on a whole pixel").format(rf=rf)
        )
    corner0 = int(corner0)
    n, _, h, w = maps.shape
    padded = np.pad(images, ((0, 0), (0, 0), (size, size), (size, size)))
    patches, scores, where = [], [], []
    for u in units:
        flat = maps[:, u].reshape(n, -1)
        pos = flat.argmax(axis=1)
        best = flat[np.arange(n), pos]
        order = np.argsort(-best, kind="stable")[:k]
        rows = []
        for img in order:
            i, j = divmod(int(pos[img]), w)
            top, left = corner0 + jump * i + size, corner0 + jump * j + size
            rows.append(padded[img, :, top : top + size, left : left + size])
            where.append((int(img), i, j))
        patches.append(np.stack(rows))
        scores.append(best[order])
    u_count = len(patches)
    return np.stack(patches), np.stack(scores), np.array(where).reshape(u_count, k, 3)


def strongest_units(maps, count: int) -> np.ndarray:
    """Indices of the ``count`` channels of maps (N, C, h, w) with the largest mean of their
    per-image maximum: the units that respond most often and most strongly, best first."""
    maps = np.asarray(maps)
    count = check_int("count", count, 1)
    score = maps.reshape(maps.shape[0], maps.shape[1], -1).max(axis=2).mean(axis=0)
    return np.argsort(-score, kind="stable")[: min(count, maps.shape[1])]
