"""Your own photo: read a picture file (a path, or the bytes of an upload), check it, resize it;
the upload button, and an explorer that draws any picture function on the uploaded photo.

Used by lessons 02 (the filter explorer, learned edges), 07 (VGG16's feature maps), 10
(face detection) and 12 (style transfer): each accepts a learner's own picture.

Pillow reads the file (PNG, JPEG, GIF, BMP, TIFF, WebP, ...). A phone photo's EXIF
orientation is applied, so it comes out the way up it was taken; transparent pixels are laid
on white; JPEGs are decoded at reduced size when that is enough (fast for 12-megapixel photos).

>>> import io, numpy as np
>>> from PIL import Image
>>> buf = io.BytesIO()
>>> Image.fromarray(np.zeros((40, 60, 3), np.uint8)).save(buf, format="PNG")
>>> load_photo(buf.getvalue(), size=30).shape
(20, 30, 3)
>>> load_photo(b"hello, I am text", size=30)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ValueError: could not read the uploaded file as a picture: it looks like a text file ...
"""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import ipywidgets as W
import numpy as np

from .explorer import explorer
from .i18n import tr
from .validate import check_flag, check_int

#: Smallest accepted side, before and after resizing, in pixels (VGG16 halves it 4 times).
MIN_SIDE = 16
#: Pillow modes that hold one grey channel (with or without alpha).
GREY_MODES = ("1", "L", "LA", "La", "I", "I;16", "I;16B", "I;16L", "I;16N", "F")


def _accepted() -> str:
    """What load_photo accepts, in words (for its messages), in the language of the moment."""
    return tr(
        "a path to a picture file (str or pathlib.Path), its bytes, or an ipywidgets.FileUpload "
        "value (a tuple of dicts with 'name' and 'content')"
    )


def _read_source(source) -> tuple[bytes, str]:
    """(the file's bytes, a name for messages) from a path, bytes or an upload's value."""
    if isinstance(source, (tuple, list)):  # FileUpload.value: one dict per file
        if not source:
            raise ValueError(
                tr("nothing uploaded yet: press the Upload button and choose a picture")
            )
        source = source[0]
    if isinstance(source, dict):
        if "content" not in source:
            raise ValueError(
                tr("source must be {accepted}; this dict has no 'content'").format(
                    accepted=_accepted()
                )
            )
        return bytes(source["content"]), repr(source.get("name", tr("the uploaded file")))
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), tr("the uploaded file")
    if isinstance(source, (str, os.PathLike)):
        path = Path(source).expanduser()
        if path.is_dir():
            raise ValueError(
                tr("{path!r} is a folder; give the path of a picture file in it").format(
                    path=str(path)
                )
            )
        if not path.is_file():
            raise ValueError(
                tr(
                    "no file at {path!r} (relative paths start in {cwd!r}); check the name, or "
                    "upload the picture instead"
                ).format(path=str(path), cwd=os.getcwd())
            )
        return path.read_bytes(), repr(str(path))
    raise ValueError(
        tr("source must be {accepted}, got {kind}").format(
            accepted=_accepted(), kind=type(source).__name__
        )
    )


def _not_a_picture(data: bytes, name: str) -> ValueError:
    """The message for bytes Pillow cannot read, saying what they look like instead."""
    if not data:
        return ValueError(
            tr("could not read {name} as a picture: it is empty (0 bytes)").format(name=name)
        )
    # a multi-byte character cut at byte 200 decodes as U+FFFD at the very end only
    text = data[:200].decode("utf-8", errors="replace").rstrip("\ufffd")
    if text and all(ch.isprintable() or ch in "\r\n\t" for ch in text):
        what = tr("it looks like a text file (it starts {start!r})").format(start=text[:40])
    else:
        what = tr(
            "its first bytes {start!r} are not those of a picture format Pillow knows"
        ).format(start=data[:8])
    return ValueError(
        tr(
            "could not read {name} as a picture: {what}; give a PNG, JPEG, GIF, BMP, TIFF or "
            "WebP image (a file renamed to .png is still what it was)"
        ).format(name=name, what=what)
    )


def _open(data: bytes, name: str, size):
    """Open and decode with Pillow, EXIF-rotated; JPEGs at the smallest size that is enough."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        img = Image.open(io.BytesIO(data))
        if size is not None:
            # JPEG only (a no-op otherwise): decode at 1/2, 1/4 or 1/8 of the size when the
            # result still has both sides >= size, which is enough for a longer side of size
            img.draft(img.mode, (size, size))
        img.load()
        return ImageOps.exif_transpose(img)
    except UnidentifiedImageError:
        raise _not_a_picture(data, name) from None
    except Image.DecompressionBombError as err:
        raise ValueError(
            tr("{name} is too large to open safely: {err}").format(name=name, err=err)
        ) from None
    except (OSError, SyntaxError, ValueError) as err:  # truncated or damaged files
        raise ValueError(
            tr("could not decode {name}: the file looks damaged ({err})").format(name=name, err=err)
        ) from None


def _divisor(img) -> float:
    """What maps the picture's values to [0, 1]: 255 for 8-bit modes, 65535 for 16-bit."""
    if img.mode.startswith("I;16"):
        return 65535.0
    if img.mode in ("I", "F"):
        top = float(np.asarray(img).max())
        return 1.0 if img.mode == "F" and top <= 1 else 255.0 if top <= 255 else 65535.0
    return 255.0


def _working_mode(img, name: str):
    """The picture in a mode Pillow can resize and that keeps what matters: grey high bit
    depths as 'I' or 'F', everything else as L, LA, RGB or RGBA."""
    mode = img.mode
    if mode.startswith("I;16"):
        target = "I"
    elif mode in ("L", "LA", "RGB", "RGBA", "I", "F"):
        return img
    elif "A" in img.getbands() or "transparency" in img.info:
        target = "RGBA"
    elif mode == "1":
        target = "L"
    else:
        target = "RGB"  # P, CMYK, YCbCr, ...
    try:
        return img.convert(target)
    except (ValueError, OSError) as err:
        raise ValueError(
            tr("could not convert {name} (Pillow mode {mode!r}) to {target}: {err}").format(
                name=name, mode=mode, target=target, err=err
            )
        ) from None


def _to_array(img, divisor: float, gray: bool) -> np.ndarray:
    """A picture in a working mode -> floats in [0, 1]: (H, W) grey or (H, W, 3) RGB, with
    transparent pixels laid on white."""
    from skimage.color import rgb2gray

    a = np.clip(np.asarray(img, dtype=np.float64) / divisor, 0.0, 1.0)
    if img.mode in ("L", "I", "F"):
        return a if gray else np.repeat(a[..., None], 3, axis=-1)
    if img.mode == "LA":
        a = a[..., :1] * a[..., 1:] + (1.0 - a[..., 1:])
        return a[..., 0] if gray else np.repeat(a, 3, axis=-1)
    rgb = a[..., :3]
    if img.mode == "RGBA":
        rgb = rgb * a[..., 3:] + (1.0 - a[..., 3:])
    return rgb2gray(rgb) if gray else rgb


def _check_side(h: int, w: int, min_side: int, name: str, when: str) -> None:
    if min(h, w) < min_side:
        raise ValueError(
            tr(
                "{name} is too small: {w}x{h} pixels {when}; the shorter side must be at least "
                "{min_side} pixels (a 3x3 filter needs room, VGG16 halves the picture 4 times)"
            ).format(name=name, w=w, h=h, when=when, min_side=min_side)
        )


def load_photo(source, size: int | None = 256, gray: bool = False, min_side: int = MIN_SIDE):
    """A picture file as a float image in [0, 1], resized and checked, ready for the lessons.

    source: a path (str or pathlib.Path) to a picture file; or its bytes (bytes, bytearray,
    memoryview); or an ``ipywidgets.FileUpload``'s ``value`` (a tuple of dicts with 'name' and
    'content'; the first file is used) or one of its dicts.
    size: the longer side after resizing, up or down, in pixels (as ``cnnlab.data.image``);
    None keeps the picture's own size. gray: return the grey (H, W) image (luminance, as
    ``skimage.color.rgb2gray``); otherwise (H, W, 3) RGB. min_side: the smallest shorter side
    accepted, before and after resizing.

    Returns float64 (H, W, 3) or (H, W) with values in [0, 1].
    Raises ValueError with what went wrong and what to do: no such file, not a picture (a
    text file named .png, say), a damaged file, a picture that is too small or too thin, or a
    grey picture where colour is needed (``gray=False``: the trained networks take RGB).
    """
    gray = check_flag("gray", gray)
    min_side = check_int("min_side", min_side, 1)
    if size is not None:
        size = check_int("size", size, min_side)
    data, name = _read_source(source)
    img = _open(data, name, size)
    w, h = img.size
    _check_side(h, w, min_side, name, tr("as read"))
    if not gray and img.mode in GREY_MODES:
        raise ValueError(
            tr(
                "{name} is a grey picture (1 channel, Pillow mode {mode!r}); this needs a "
                "colour (RGB) photo, as the trained networks were trained on colour "
                "photographs. Choose a colour picture, or load it with gray=True and make 3 "
                "equal channels yourself: np.stack([g] * 3, axis=-1)"
            ).format(name=name, mode=img.mode)
        )
    divisor = _divisor(img)
    img = _working_mode(img, name)
    if size is not None:
        from PIL import Image

        scale = size / max(w, h)
        new = (max(1, round(w * scale)), max(1, round(h * scale)))
        when = tr("after resizing to a longer side of {size}").format(size=size)
        _check_side(new[1], new[0], min_side, name, when)
        if new != (w, h):
            img = img.resize(new, Image.Resampling.LANCZOS, reducing_gap=3.0)
    return _to_array(img, divisor, gray)


# --- in a notebook: the upload button, decoded uploads, an explorer around them ------------


def photo_upload() -> W.FileUpload:
    """The upload button for the learner's own picture (one image file)."""
    return W.FileUpload(
        accept="image/*",
        multiple=False,
        description=tr("Upload your photo"),
        layout=W.Layout(width="auto"),  # the default width cuts the label short
    )


class PhotoCache:
    """Decoded uploads, so a redraw never decodes the same file twice.

    ``photo(upload_value, size, gray)`` returns :func:`load_photo`'s array, keyed by the
    file's content; ValueErrors (not a picture, too small, ...) pass through to the explorer,
    which shows them in place.
    """

    def __init__(self):
        self.arrays = {}

    def photo(self, upload_value, size: int, gray: bool) -> np.ndarray:
        if not upload_value:
            raise ValueError(
                tr(
                    "no photo yet: press 'Upload your photo' and choose a picture file (PNG, "
                    "JPEG, ...), or pass photo='path/to/picture.jpg' when you build the explorer"
                )
            )
        entry = upload_value[0]
        key = (hashlib.sha1(bytes(entry["content"])).hexdigest(), size, gray)
        if key not in self.arrays:
            self.arrays[key] = load_photo(entry, size=size, gray=gray)
        return self.arrays[key]


def photo_explorer(
    draw, *, size: int, title: str, photo=None, gray: bool = False, controls: dict | None = None
) -> W.VBox:
    """An upload button above a picture: ``draw(picture, **values)`` on the learner's photo.

    draw: function of one (H, W, 3) picture in [0, 1] (``(H, W)`` if gray) and of the values
    of ``controls`` (other widgets, by keyword) returning a Figure; it may be slow (a
    network's forward pass): it runs once per upload or control change. size: the picture's
    longer side in pixels after :func:`load_photo`. photo: a path or bytes shown until
    something is uploaded (read now, so a bad path fails at once). Until there is a picture,
    and for a file that cannot be used, the reason is shown in place of the picture. Returns
    the :func:`cnnlab.explorer.explorer` VBox (``.controls["photo"]`` is the FileUpload).
    """
    size = check_int("size", size, MIN_SIDE)
    given = None if photo is None else load_photo(photo, size=size, gray=gray)
    uploads = PhotoCache()

    def picture(photo=(), **values):
        if not photo and given is not None:
            return draw(given, **values)
        return draw(uploads.photo(photo, size, gray), **values)

    return explorer(picture, {**(controls or {}), "photo": photo_upload()}, title=title)
