"""Data augmentation on (N, C, H, W) torch batches: flips, crops, colour shifts, rotations,
and the fixed crops of multi-crop testing. Used by lesson 09 (sections 4 and 5).

Each function draws its random numbers from a ``torch.Generator`` on the CPU (so a seed
gives the same batch on any device) and returns a new tensor of the same shape.
:func:`augmenter` chains them into one callable, usable as ``cnnlab.nets.fit(augment=...)``:
the batch is transformed afresh every time the network sees it, in parallel with training.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from ..i18n import tr
from ..validate import check_fraction, check_int


def _check_batch(x) -> torch.Tensor:
    if not torch.is_tensor(x) or x.ndim != 4:
        shape = tuple(x.shape) if hasattr(x, "shape") else type(x).__name__
        raise ValueError(
            tr("x must be a (N, C, H, W) torch tensor, got {shape}").format(shape=shape)
        )
    return x


def _gen(generator) -> torch.Generator:
    return generator if generator is not None else torch.Generator().manual_seed(0)


def hflip(x, p: float = 0.5, generator=None) -> torch.Tensor:
    """Mirror each image left-right with probability p. x: (N, C, H, W) -> same shape."""
    x, p = _check_batch(x), check_fraction("p", p)
    flip = (torch.rand(len(x), generator=_gen(generator)) < p).to(x.device)
    return torch.where(flip[:, None, None, None], x.flip(-1), x)


def random_crop(x, pad: int = 1, generator=None, mode: str = "constant") -> torch.Tensor:
    """Pad each side by ``pad`` pixels, then cut an H x W window at a random offset.

    x: (N, C, H, W) -> (N, C, H, W). It shifts every image by up to ``pad`` pixels in
    each direction (zeros fill in with mode="constant"; "replicate" copies the border).
    """
    x = _check_batch(x)
    pad = check_int("pad", pad, 0)
    if pad == 0:
        return x.clone()
    n, _, h, w = x.shape
    padded = F.pad(x, (pad, pad, pad, pad), mode=mode)
    gen = _gen(generator)
    dy = torch.randint(0, 2 * pad + 1, (n,), generator=gen)
    dx = torch.randint(0, 2 * pad + 1, (n,), generator=gen)
    rows = (dy[:, None] + torch.arange(h)).to(x.device)  # (N, H)
    cols = (dx[:, None] + torch.arange(w)).to(x.device)  # (N, W)
    idx = torch.arange(n, device=x.device)[:, None, None]
    # padded[n, :, rows[n, i], cols[n, j]] for every n, i, j
    out = padded.permute(0, 2, 3, 1)[idx, rows[:, :, None], cols[:, None, :]]
    return out.permute(0, 3, 1, 2).contiguous()


def color_shift(x, strength: float = 0.1, generator=None, clip: bool = True) -> torch.Tensor:
    """Add a random offset in [-strength, strength] to each channel of each image.

    On RGB this tints the image (more red, less blue, ...), as a different light would;
    on a grey image it brightens or darkens it. Values are clipped to [0, 1] by default.
    x: (N, C, H, W) -> same shape.
    """
    x = _check_batch(x)
    if isinstance(strength, bool) or not isinstance(strength, (int, float)) or strength < 0:
        raise ValueError(
            tr("strength must be a number >= 0, got {strength!r}").format(strength=strength)
        )
    n, c = x.shape[:2]
    shift = (torch.rand(n, c, 1, 1, generator=_gen(generator)) * 2 - 1) * strength
    out = x + shift.to(x.device, x.dtype)
    return out.clamp(0, 1) if clip else out


def affine(x, degrees=0.0, shear=0.0) -> torch.Tensor:
    """Rotate each image by ``degrees`` (anticlockwise) and shear it by ``shear`` (the
    horizontal shift per unit of height) about its centre; areas that come in are zero.

    degrees, shear: numbers or (N,) tensors, one per image. x: (N, C, H, W) -> same shape.
    (Coordinates are normalised per axis, so the rotation is exact for square images.)
    """
    x = _check_batch(x)
    n = len(x)
    # minus: image rows grow downwards, so this makes positive angles anticlockwise on screen
    t = torch.as_tensor(degrees, dtype=torch.float32).expand(n) * (-math.pi / 180)
    s = torch.as_tensor(shear, dtype=torch.float32).expand(n)
    cos, sin = torch.cos(t), torch.sin(t)
    # affine_grid maps output coordinates to input ones: rotation R(-t) then the shear
    theta = torch.zeros(n, 2, 3)
    theta[:, 0, 0], theta[:, 0, 1] = cos, sin + s * cos
    theta[:, 1, 0], theta[:, 1, 1] = -sin, cos - s * sin
    theta = theta.to(x.device, x.dtype)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)


def random_rotation(x, max_degrees: float = 10.0, generator=None) -> torch.Tensor:
    """Rotate each image by a random angle in [-max_degrees, max_degrees].
    x: (N, C, H, W) -> same shape."""
    x = _check_batch(x)
    if not isinstance(max_degrees, (int, float)) or not 0 <= max_degrees <= 180:
        raise ValueError(
            tr("max_degrees must be in [0, 180], got {max_degrees!r}").format(
                max_degrees=max_degrees
            )
        )
    angles = (torch.rand(len(x), generator=_gen(generator)) * 2 - 1) * max_degrees
    return affine(x, angles)


def random_shear(x, max_shear: float = 0.2, generator=None) -> torch.Tensor:
    """Shear each image by a random factor in [-max_shear, max_shear].
    x: (N, C, H, W) -> same shape."""
    x = _check_batch(x)
    if not isinstance(max_shear, (int, float)) or not 0 <= max_shear <= 1:
        raise ValueError(
            tr("max_shear must be in [0, 1], got {max_shear!r}").format(max_shear=max_shear)
        )
    s = (torch.rand(len(x), generator=_gen(generator)) * 2 - 1) * max_shear
    return affine(x, 0.0, s)


def augmenter(
    *,
    flip: float = 0.0,
    crop: int = 0,
    color: float = 0.0,
    degrees: float = 0.0,
    shear: float = 0.0,
    seed: int = 0,
    clip: bool = True,
):
    """One callable, (N, C, H, W) batch -> augmented batch of the same shape, that applies, in order: a left-right flip with
    probability ``flip``, a random crop after padding by ``crop`` pixels, a random
    rotation up to ``degrees``, a shear up to ``shear`` and a colour shift up to ``color``
    (clipped to [0, 1] if ``clip``; turn it off for data outside that range, such as
    noisy images). Settings of 0 are skipped. It keeps its own generator seeded by ``seed``, so a training
    run with ``fit(..., augment=augmenter(...))`` is reproducible.
    """
    check_fraction("flip", flip)
    check_int("crop", crop, 0)
    gen = torch.Generator().manual_seed(seed)

    def augment(x):
        if flip:
            x = hflip(x, flip, gen)
        if crop:
            x = random_crop(x, crop, gen)
        if degrees:
            x = random_rotation(x, degrees, gen)
        if shear:
            x = random_shear(x, shear, gen)
        if color:
            x = color_shift(x, color, gen, clip=clip)
        return x

    return augment


def crops(x, pad: int = 1, flip: bool = False) -> list[torch.Tensor]:
    """The fixed test-time crops of a batch: the centre and the four corner shifts of the
    image padded by ``pad`` (5 crops), plus their mirror images if ``flip`` (10-crop).

    x: (N, C, H, W) -> list of (N, C, H, W) tensors, the untouched batch first.
    """
    x = _check_batch(x)
    pad = check_int("pad", pad, 1)
    h, w = x.shape[-2:]
    padded = F.pad(x, (pad, pad, pad, pad))
    offsets = [(pad, pad), (0, 0), (0, 2 * pad), (2 * pad, 0), (2 * pad, 2 * pad)]
    out = [padded[:, :, r : r + h, c : c + w] for r, c in offsets]
    if flip:
        out += [v.flip(-1) for v in out]
    return out
