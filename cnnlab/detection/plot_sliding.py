"""Pictures of the convolutional implementation of sliding windows: fully connected layers
drawn next to the convolutions that replace them, with every volume's shape measured by
running the networks.

Used by lesson 10 (object detection), section 5. :func:`plot_fc_as_conv` returns a Figure
made outside pyplot (:func:`cnnlab.drawing.figure`).
"""

from __future__ import annotations

import matplotlib.patches
import numpy as np
import torch
from torch import nn

from .. import drawing
from ..i18n import tr
from ..validate import check_int

#: Colours: convolutions and pools that both versions share, and the FC part and the
#: convolutions that replace it (the same colour, to pair them).
SHARED, FC = "#9ecae1", "#fdae6b"


def layer_shapes(layers, input_shape) -> list[tuple[str, tuple[int, ...], bool]]:
    """Run ``layers`` (a sequence of torch modules) on a zero input of ``input_shape``
    (C, H, W) and list (what the layer is, the output shape without the batch, whether it
    is the FC part or its replacement). ReLUs keep the shape and are left out.

    >>> from cnnlab.detection.sliding import WindowClassifier
    >>> m = WindowClassifier()
    >>> [s for _, s, _ in layer_shapes([*m.features, *m.classifier], (3, 14, 14))]
    [(3, 14, 14), (16, 10, 10), (16, 5, 5), (400,), (400,), (4,)]
    """
    x = torch.zeros(1, *input_shape)
    out = [(tr("input"), tuple(input_shape), False)]
    seen_fc = False
    with torch.no_grad():
        for layer in layers:
            x = layer(x)
            if isinstance(layer, nn.Conv2d):
                k = layer.kernel_size[0]
                fc_part = seen_fc or layer.out_channels > 16  # past the feature extractor
                seen_fc |= fc_part
                what = (
                    tr("conv {k}×{k}").format(k=k)
                    + "\n"
                    + tr("{n} filters").format(n=layer.out_channels)
                )
            elif isinstance(layer, nn.MaxPool2d):
                what, fc_part = tr("max pool {k}").format(k=layer.kernel_size), False
            elif isinstance(layer, nn.Linear):
                what, fc_part, seen_fc = f"FC {layer.out_features}", True, True
            else:
                continue
            out.append((what, tuple(x.shape[1:]), fc_part))
    return out


def _draw_volume(ax, x: float, y: float, shape, colour) -> float:
    """A volume (C, H, W) as a square of side ~ sqrt(H) with a shadow for its depth, or a
    vector (C,) as a thin bar, centred on height y, its shape written below. Returns the
    width used."""
    if len(shape) == 3:
        c, h, w = shape
        side = 0.35 + 1.1 * np.sqrt(h / 16)
        depth = min(0.1 + 0.06 * np.log2(c), 0.6 * side)  # more channels, a deeper box
        x0, y0 = x, y - side / 2
        back = matplotlib.patches.Rectangle(
            (x0 + depth, y0 + depth), side, side, fc=colour, ec="0.3", lw=0.6, alpha=0.55
        )
        ax.add_patch(back)
        for cx, cy in ((x0, y0 + side), (x0 + side, y0 + side), (x0 + side, y0)):
            ax.plot([cx, cx + depth], [cy, cy + depth], color="0.3", lw=0.6)
        ax.add_patch(
            matplotlib.patches.Rectangle((x0, y0), side, side, fc=colour, ec="0.2", lw=0.8)
        )
        ax.text(
            x + side / 2, y - side / 2 - 0.12, f"{h}×{w}×{c}", ha="center", va="top", fontsize=7
        )
        return side + depth
    (c,) = shape
    height = 0.3 + 0.5 * np.log10(c)
    ax.add_patch(
        matplotlib.patches.Rectangle((x, y - height / 2), 0.14, height, fc=colour, ec="0.2", lw=0.8)
    )
    ax.text(x + 0.07, y - height / 2 - 0.12, f"{c}", ha="center", va="top", fontsize=7)
    return 0.14


def plot_fc_as_conv(classifier, conv_net, image_size: int = 16):
    """The window classifier and its convolutional version, volume by volume.

    Row 1: ``classifier`` (a :class:`cnnlab.detection.sliding.WindowClassifier`) on one
    window: conv, pool, then FC layers on a flattened vector. Row 2: ``conv_net``
    (:func:`cnnlab.detection.sliding.convolutionalize`) on the same window: the FC layers
    are now a conv over the whole 5x5x16 volume and 1x1 convs, giving 1x1x4, the same 4
    numbers. Row 3: ``conv_net`` on an ``image_size`` image: every volume grows, and the
    output holds one answer per window. Shapes are measured by running the networks;
    orange marks the FC layers and the convolutions that replace them. Returns the Figure.
    """
    window = classifier.window
    image_size = check_int("image_size", image_size, window)
    rows = [
        (
            tr("classifier on one {window}×{window}×3 window").format(window=window),
            [*classifier.features, *classifier.classifier],
            window,
        ),
        (
            tr("the same weights as convolutions, on one {window}×{window}×3 window").format(
                window=window
            ),
            list(conv_net),
            window,
        ),
        (
            tr("the same convolutions on a {size}×{size}×3 image: one answer per window").format(
                size=image_size
            ),
            list(conv_net),
            image_size,
        ),
    ]
    fig = drawing.figure((10.5, 5.6))
    ax = fig.subplots()
    right = 0.0
    for r, (title, layers, size) in enumerate(rows):
        y = -2.7 * r
        ax.text(-0.1, y + 1.35, title, fontsize=8.5, weight="bold", ha="left")
        shapes = layer_shapes(layers, (3, size, size))
        x = 0.0
        for k, (_, shape, fc_part) in enumerate(shapes):
            colour = FC if fc_part else SHARED if k else "0.85"
            width = _draw_volume(ax, x, y, shape, colour)
            if k + 1 < len(shapes):
                what, _, next_fc = shapes[k + 1]
                ax.annotate(
                    "",
                    xy=(x + width + 0.75, y),
                    xytext=(x + width + 0.1, y),
                    arrowprops={"arrowstyle": "->", "lw": 0.8},
                )
                ax.text(
                    x + width + 0.42,
                    y + 0.12,
                    what,
                    ha="center",
                    va="bottom",
                    fontsize=6.5,
                    color="#a63603" if next_fc else "0.15",
                )
            x += width + 0.85
        right = max(right, x)
    ax.set_xlim(-0.2, max(right, 12.0))
    ax.set_ylim(-2.7 * (len(rows) - 1) - 1.3, 1.6)
    ax.set_aspect("equal")
    ax.axis("off")
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.99)
    return fig
