"""Explorers of convolution and filters: slide a kernel over a small image one step at a
time, pick a named filter to see its activation map on a photo (or on your own), and see a
trained edge detector's maps on a photo (or on your own). Used by lesson 02.

Each explorer is a thin :func:`cnnlab.explorer.explorer` around a ``plot_*`` function of
:mod:`cnnlab.filters.plot`. Every control works from the keyboard in JupyterLab: sliders
(arrow keys on the focused handle) and toggle buttons (Tab to a button, Space or Enter to
pick it), never a Dropdown, whose arrow keys JupyterLab takes to move between cells. An
upload button adds "your photo", read by :func:`cnnlab.own_photo.load_photo`; a file
that cannot be used shows the reason in place of the picture.
"""

from __future__ import annotations

import hashlib

import ipywidgets as W
import numpy as np

from ..arith import conv_output_size
from ..data import image
from ..explorer import explorer, int_slider
from ..i18n import tr
from ..own_photo import PhotoCache, load_photo, photo_upload
from .kernels import KERNELS, kernel, prewitt_x
from .plot import plot_activation_map, plot_conv_step

#: The name of the learner's own picture among an explorer's images (the toggle's value; its
#: label is translated, see :func:`image_options`).
PHOTO = "your photo"


def conv_step_explorer(x=None, w=None) -> W.VBox:
    """Slide a kernel over a small image and watch one dot product at a time.

    x: (H, W) image, default the course's 6x6 step (10 on the left, 0 on the right);
    w: (K, K) kernel, default the vertical-edge filter (1, 0, -1). Sliders pick the output
    position; the drawing is :func:`cnnlab.filters.plot.plot_conv_step`.
    """
    x = np.array([[10.0, 10, 10, 0, 0, 0]] * 6) if x is None else np.asarray(x, dtype=float)
    w = prewitt_x() if w is None else np.asarray(w, dtype=float)
    if x.ndim != 2 or w.ndim != 2:
        raise ValueError(
            tr("x and w must be 2D (H, W) and (K, K), got {x} and {w}").format(x=x.shape, w=w.shape)
        )
    ho = conv_output_size(x.shape[0], w.shape[0])
    wo = conv_output_size(x.shape[1], w.shape[1])
    controls = {
        "row": int_slider(tr("output row"), 0, 0, ho - 1),
        "col": int_slider(tr("output column"), 0, 0, wo - 1),
    }
    return explorer(
        lambda row, col: plot_conv_step(x, w, row, col),
        controls,
        title=tr("The sliding dot product: move the window"),
    )


def toggle(description: str, options, value=None) -> W.ToggleButtons:
    """Toggle buttons: one focusable button per option (keyboard: Tab, then Space/Enter).

    options: values, or (label, value) pairs; value: the one selected (default the first)."""
    options = list(options)
    first = options[0][1] if isinstance(options[0], tuple) else options[0]
    return W.ToggleButtons(
        options=options,
        value=first if value is None else value,
        description=description,
        style={"description_width": "initial", "button_width": "auto"},
    )


def _image_label(name: str) -> str:
    """An image's name as an explorer shows it: "your photo" in the language of the moment
    for :data:`PHOTO`, any other name as it is."""
    return tr("your photo") if name == PHOTO else name


def image_options(names) -> list[tuple[str, str]]:
    """(label, value) pairs of an explorer's image toggle: the images by name, and "your
    photo" labelled in the language of the moment (its value stays :data:`PHOTO`)."""
    return [(_image_label(name), name) for name in names]


def _pick_photo_on_upload(controls: dict) -> None:
    """After an upload, select "your photo" so the new picture shows at once."""

    def select(change):
        if change["new"] and controls["image_name"].value != PHOTO:
            controls["image_name"].value = PHOTO

    controls["photo"].observe(select, names="value")


def _image_choice(images, size: int, gray: bool, photo, upload: bool, none_given: str):
    """The image controls the filter and learned-edges explorers share: shipped images,
    your photo (given now, or uploaded later) and the upload button.

    Returns (controls, pick): controls holds "image_name" (and "photo", the upload, when
    ``upload``); ``pick(image_name, photo=())`` is the (H, W) or (H, W, 3) picture to draw.
    none_given: the message when there would be nothing to choose from.
    """
    pictures = {name: image(name, size=size, gray=gray) for name in images}
    if photo is not None:
        pictures[PHOTO] = load_photo(photo, size=size, gray=gray)
    names = list(pictures) + ([PHOTO] if upload and PHOTO not in pictures else [])
    if not names:
        raise ValueError(none_given)
    controls = {
        "image_name": toggle(
            tr("image"), image_options(names), PHOTO if photo is not None else None
        )
    }
    if upload:
        controls["photo"] = photo_upload()
        _pick_photo_on_upload(controls)
    uploads = PhotoCache()

    def pick(image_name, photo=()):
        if image_name == PHOTO and (photo or PHOTO not in pictures):
            return uploads.photo(photo, size, gray=gray)
        return pictures[image_name]

    return controls, pick


def filter_explorer(
    images=("camera", "coins", "brick", "chelsea"), size: int = 128, photo=None, upload=True
) -> W.VBox:
    """Pick a named 3x3 filter and a grey image; see the activation map it produces.

    images: names from cnnlab.data.IMAGES (loaded once, grey, longer side ``size``).
    photo: your own picture as a path or bytes (read now by :func:`load_photo`, grey, longer
    side ``size``; a picture that cannot be used raises its ValueError here); it appears as
    "your photo". upload: add an upload button; an uploaded picture replaces ``photo``.
    Filters are cnnlab.filters.KERNELS; the drawing is
    :func:`cnnlab.filters.plot.plot_activation_map`. Returns the explorer; its ``.draw``
    takes ``kernel_name, image_name`` (and the upload's value as ``photo``).
    """
    choice, pick = _image_choice(
        images,
        size,
        True,
        photo,
        upload,
        tr("filter_explorer needs at least one image, a photo or upload=True"),
    )
    controls = {"kernel_name": toggle(tr("filter"), KERNELS, "sobel_x"), **choice}

    def draw(kernel_name, image_name, photo=()):
        picture = pick(image_name, photo)
        shown = _image_label(image_name)
        title = tr("{kernel} on {image}").format(kernel=kernel_name, image=shown)
        return plot_activation_map(picture, kernel(kernel_name), title=title)

    return explorer(draw, controls, title=tr("One filter, one activation map"))


def learned_edges_explorer(
    images=("astronaut", "chelsea", "coffee"), size: int = 256, photo=None, upload=True
) -> W.VBox:
    """A trained edge detector (HED) next to Sobel and Scharr, on a photo or on your own.

    images: names of colour images from cnnlab.data.IMAGES (longer side ``size``). photo:
    your own colour picture as a path or bytes (read now by :func:`load_photo`; it must be
    RGB). upload: add an upload button. HED's maps are computed once per picture (under a
    second at 256 px on one CPU core) and kept. The drawing is
    :func:`cnnlab.filters.plot.plot_learned_edges`; the network is HED's VGG16 (started from
    ImageNet weights, fine-tuned for edges on BSDS500; not the ImageNet classifier).
    """
    from .learned import compare_edges
    from .plot import plot_learned_edges

    controls, pick = _image_choice(
        images,
        size,
        False,
        photo,
        upload,
        tr("learned_edges_explorer needs an image, a photo or upload=True"),
    )
    maps = {}

    def draw(image_name, photo=()):
        picture = pick(image_name, photo)
        key = hashlib.sha1(picture.tobytes()).hexdigest()  # a new upload is a new picture
        if key not in maps:
            maps[key] = compare_edges(picture)
        # 72 dpi keeps the picture near 300 kB: nbclient (nbconvert, nbval) stalls for its
        # whole cell timeout when an Output widget receives a picture of about 400 kB or more
        shown = _image_label(image_name)
        title = tr("Edges of {image}").format(image=shown)
        return plot_learned_edges(picture, maps[key], title=title, dpi=72)

    return explorer(draw, controls, title=tr("Designed and learned edges, on any photo"))
