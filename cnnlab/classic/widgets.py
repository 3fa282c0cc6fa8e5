"""The bottleneck explorer of lesson 07: what a 1x1 conv in front of an f x f conv saves.

Thin, as every explorer (``cnnlab.explorer``): the sliders feed
``classic.plot.plot_bottleneck_costs``, a pure function tested without a browser; an even
kernel (no 'same' padding) shows cnnlab's message in place of the picture.
"""

from __future__ import annotations

import ipywidgets as W

from ..explorer import explorer, int_slider
from .plot import plot_bottleneck_costs


def bottleneck_explorer() -> W.VBox:
    """Sliders for the 1x1 bottleneck in front of an f x f conv on 28x28x192: bottleneck
    channels, kernel size f and output channels. Draws
    ``classic.plot.plot_bottleneck_costs``; an even f (no 'same' padding) shows
    cnnlab.arith's message instead.
    """
    controls = {
        "bottleneck": int_slider("1x1 filters (bottleneck)", 16, 1, 192),
        "f": int_slider("kernel f", 5, 1, 7),
        "c_out": int_slider("output channels", 32, 8, 256, step=8),
    }
    return explorer(
        plot_bottleneck_costs,
        controls,
        title="Cost of an f x f conv on 28x28x192, with and without a 1x1 bottleneck",
    )
