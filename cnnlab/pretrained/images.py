"""Checking the images given to the pretrained networks (VGG16, HED, MTCNN; lessons 02, 04,
07, 09-12).

Every network here was trained on colour photographs, so the one accepted form is an RGB image
of shape (H, W, 3): floats in [0, 1] (what ``cnnlab.data.image`` returns) or uint8 in 0..255
(what a PNG or JPEG reader returns). Anything else is refused with a message that says what was
received and how to convert it, including grey (H, W) images: silently copying the grey channel
three times would hide that the network sees a different kind of picture from the one it was
trained on, so the learner makes that choice explicitly (the message gives the one-liner).

>>> import numpy as np
>>> as_rgb(np.zeros((4, 5, 3), np.uint8)).shape
(4, 5, 3)
>>> as_rgb(np.zeros((4, 5)))  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ValueError: expected an RGB image of shape (H, W, 3), got a grey image of shape (4, 5); ...
"""

from __future__ import annotations

import numpy as np

from ..i18n import tr


def _valid() -> str:
    """The one accepted form, in words (for the messages), in the language of the moment."""
    return tr("an RGB image of shape (H, W, 3), floats in [0, 1] or uint8 in 0..255")


def as_rgb(image, name: str = "image") -> np.ndarray:
    """Check ``image`` and return it as a float32 (H, W, 3) array in [0, 1].

    Accepts (H, W, 3) floats in [0, 1] or uint8 (divided by 255). Raises ValueError for grey
    (H, W) images, RGBA, channels-first (3, H, W), other dtypes, NaN/inf, or floats outside
    [0, 1] (most often a 0..255 image stored as floats), each with the fix in the message.
    """
    if not isinstance(image, np.ndarray):
        try:
            image = np.asarray(image)
        except (TypeError, ValueError):
            raise ValueError(
                tr("{name} must be {valid}, got {kind}").format(
                    name=name, valid=_valid(), kind=type(image).__name__
                )
            ) from None
    shape = image.shape
    if image.ndim == 2:
        raise ValueError(
            tr(
                "expected an RGB image of shape (H, W, 3), got a grey image of shape {shape}; "
                "the networks were trained on colour photographs: make it RGB with "
                "np.stack([image] * 3, axis=-1) (or skimage.color.gray2rgb(image)) if you mean to"
            ).format(shape=shape)
        )
    if image.ndim == 3 and shape[-1] == 4:
        raise ValueError(
            tr(
                "{name} has 4 channels (RGBA), shape {shape}; drop the alpha channel with "
                "image[..., :3]"
            ).format(name=name, shape=shape)
        )
    if image.ndim == 3 and shape[0] == 3 and shape[-1] != 3:
        raise ValueError(
            tr(
                "{name} looks channels-first, shape {shape}; these functions take (H, W, 3): "
                "use np.moveaxis(image, 0, -1)"
            ).format(name=name, shape=shape)
        )
    if image.ndim != 3 or shape[-1] != 3:
        raise ValueError(
            tr("{name} must be {valid}, got shape {shape}").format(
                name=name, valid=_valid(), shape=shape
            )
        )
    if shape[0] < 1 or shape[1] < 1:
        raise ValueError(
            tr("{name} is empty, shape {shape}; expected {valid}").format(
                name=name, shape=shape, valid=_valid()
            )
        )
    if image.dtype == np.uint8:
        return image.astype(np.float32) / 255.0
    if image.dtype == bool or not np.issubdtype(image.dtype, np.floating):
        raise ValueError(
            tr(
                "{name} has dtype {dtype}; expected {valid}; convert integers in 0..255 "
                "with image.astype(np.uint8), or floats with image / 255"
            ).format(name=name, dtype=image.dtype, valid=_valid())
        )
    if not np.isfinite(image).all():
        raise ValueError(
            tr("{name} contains NaN or infinite values; expected {valid}").format(
                name=name, valid=_valid()
            )
        )
    lo, hi = float(image.min()), float(image.max())
    if lo < 0 or hi > 1:
        hint = tr(" (it looks like 0..255: divide by 255)") if hi > 1.5 else ""
        raise ValueError(
            tr(
                "{name} values must be in [0, 1] for a float image, got min {lo:.4g}, "
                "max {hi:.4g}{hint}"
            ).format(name=name, lo=lo, hi=hi, hint=hint)
        )
    return image.astype(np.float32)
