"""Explorers of convolution and filters: slide a kernel over a small image one step at a
time, and pick a named filter to see its activation map on a photo. Used by lesson 02.

Each explorer is a thin :func:`cnnlab.explorer.explorer` around a ``plot_*`` function of
:mod:`cnnlab.filters.plot`.
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np

from ..arith import conv_output_size
from ..data import image
from ..explorer import explorer, int_slider
from .kernels import KERNELS, kernel, prewitt_x
from .plot import plot_activation_map, plot_conv_step


def conv_step_explorer(x=None, w=None) -> W.VBox:
    """Slide a kernel over a small image and watch one dot product at a time.

    x: (H, W) image, default the course's 6x6 step (10 on the left, 0 on the right);
    w: (K, K) kernel, default the vertical-edge filter (1, 0, -1). Sliders pick the output
    position; the drawing is :func:`cnnlab.filters.plot.plot_conv_step`.
    """
    x = np.array([[10.0, 10, 10, 0, 0, 0]] * 6) if x is None else np.asarray(x, dtype=float)
    w = prewitt_x() if w is None else np.asarray(w, dtype=float)
    if x.ndim != 2 or w.ndim != 2:
        raise ValueError(f"x and w must be 2D (H, W) and (K, K), got {x.shape} and {w.shape}")
    ho = conv_output_size(x.shape[0], w.shape[0])
    wo = conv_output_size(x.shape[1], w.shape[1])
    controls = {
        "row": int_slider("output row", 0, 0, ho - 1),
        "col": int_slider("output column", 0, 0, wo - 1),
    }
    return explorer(
        lambda row, col: plot_conv_step(x, w, row, col),
        controls,
        title="The sliding dot product: move the window",
    )


def filter_explorer(images=("camera", "coins", "brick", "chelsea"), size: int = 128) -> W.VBox:
    """Pick a named 3x3 filter and a grey image; see the activation map it produces.

    images: names from cnnlab.data.IMAGES (loaded once, grey, longer side ``size``).
    Filters are cnnlab.filters.KERNELS; the drawing is
    :func:`cnnlab.filters.plot.plot_activation_map`.
    """
    pictures = {name: image(name, size=size, gray=True) for name in images}
    controls = {
        "kernel_name": W.Dropdown(options=list(KERNELS), value="sobel_x", description="filter"),
        "image_name": W.Dropdown(options=list(pictures), description="image"),
    }

    def draw(kernel_name, image_name):
        return plot_activation_map(pictures[image_name], kernel(kernel_name), title=kernel_name)

    return explorer(draw, controls, title="One filter, one activation map")
