"""The bottleneck explorer of lesson 07: what a 1x1 conv in front of an f x f conv saves.

Thin, as every explorer (``cnnlab.explorer``): the sliders feed
``classic.plot.plot_bottleneck_costs``, a pure function tested without a browser; an even
kernel (no 'same' padding) shows cnnlab's message in place of the picture.
"""

from __future__ import annotations

import ipywidgets as W

from ..explorer import explorer, int_slider
from ..i18n import tr
from .plot import plot_bottleneck_costs


def bottleneck_explorer() -> W.VBox:
    """Sliders for the 1x1 bottleneck in front of an f x f conv on 28x28x192: bottleneck
    channels, kernel size f and output channels. Draws
    ``classic.plot.plot_bottleneck_costs``; an even f (no 'same' padding) shows
    cnnlab.arith's message instead.
    """
    controls = {
        "bottleneck": int_slider(tr("1x1 filters (bottleneck)"), 16, 1, 192),
        "f": int_slider(tr("kernel f"), 5, 1, 7),
        "c_out": int_slider(tr("output channels"), 32, 8, 256, step=8),
    }
    return explorer(
        plot_bottleneck_costs,
        controls,
        title=tr("Cost of an f x f conv on 28x28x192, with and without a 1x1 bottleneck"),
    )


def feature_maps_explorer(
    photo=None, size: int = 224, layers=("relu1_2", "relu3_3", "relu5_3"), channels: int = 5
) -> W.VBox:
    """VGG16's feature maps on your own photo: an upload button, then the maps of the
    ``channels`` strongest channels at each of ``layers`` (lesson 07 §8's picture, drawn by
    ``classic.plot.plot_photo_maps``). photo: a path or bytes shown until something is
    uploaded. size: the photo's longer side (one forward pass, about a second on a CPU at
    224 px). The network is VGG16 from HED (ImageNet start, fine-tuned on BSDS500 edges).
    """
    from ..own_photo import photo_explorer
    from ..validate import check_int
    from .photos import photo_maps, strongest_channels
    from .plot import plot_photo_maps

    channels = check_int("channels", channels, 1)
    layers = tuple(layers)

    def draw(picture):
        (maps,) = photo_maps([picture], layers)
        units = {name: strongest_channels([maps[name]], channels) for name in layers}
        return plot_photo_maps(
            picture,
            maps,
            units,
            title=tr("your photo: VGG16 from HED (ImageNet start, fine-tuned on BSDS500 edges)"),
        )

    return photo_explorer(
        draw, size=size, photo=photo, title=tr("VGG16's feature maps, on your photo")
    )
