"""Lesson 12's explorer: style transfer on your own photo, with a style chosen by buttons.

Thin, as every explorer: :func:`cnnlab.own_photo.photo_explorer` with style buttons, feeding
:func:`cnnlab.style.style_transfer`; a file that cannot be used shows its message in place of
the picture. Every transfer runs in the kernel when the photo or the style changes (as long
as one of lesson 12's 128 px transfers: 5-7 s each on a quiet 2-core CPU).
"""

from __future__ import annotations

import ipywidgets as W

from ..explorer import choice
from ..i18n import tr
from ..own_photo import photo_explorer
from ..validate import check_int


def style_transfer_explorer(
    photo=None,
    styles=("immunohistochemistry", "brick", "gravel", "hubble_deep_field"),
    size: int = 128,
    steps: int = 40,
    net=None,
    device=None,
) -> W.VBox:
    """Your photo in a shipped style: an upload button, style buttons, then content, style
    and the generated image (``style.plot.plot_generated``, labelled with the network).

    photo: a path or bytes shown until something is uploaded. styles: names for
    :func:`cnnlab.style.style_image`. size, steps: the transfer's image size and L-BFGS
    steps (the lesson's section 11 settings). net: a ``style.feature_net`` (default: VGG16
    from HED), device: where it runs (default: ``cnnlab.device()``).
    """
    from .plot import plot_generated
    from .transfer import style_image, style_transfer
    from .vgg import feature_net

    size = check_int("size", size, 16)
    steps = check_int("steps", steps, 1)
    styles = list(styles)
    if not styles:
        raise ValueError(tr("style_transfer_explorer needs at least one style name"))
    if device is None:
        from ..nets import device as best_device

        device = best_device(verbose=False)
    net = (net or feature_net("vgg16")).to(device)
    textures = {name: style_image(name, size) for name in styles}  # a bad name fails now
    made = {}

    def draw(content, style_name):
        key = (content.tobytes(), style_name)
        if key not in made:  # each (photo, style) pair is optimised once
            made[key] = style_transfer(
                content, textures[style_name], steps=steps, net=net, device=device, progress=False
            )[0]
        return plot_generated(
            [content, textures[style_name], made[key]],
            [
                tr("your photo"),
                style_name,
                tr("your photo in {style}").format(style=style_name),
            ],
            net.source,
            size=2.4,
        )

    return photo_explorer(
        draw,
        size=size,
        photo=photo,
        title=tr("Style transfer, on your photo"),
        controls={"style_name": choice(styles, styles[0], tr("style"))},
    )
