"""The receptive-field explorer of lesson 04: sliders for a stack of equal conv layers.

Thin, as every explorer (``cnnlab.explorer``): the controls feed
``receptive.plot.plot_receptive_field_view``, a pure function tested without a browser;
impossible settings show cnnlab's message in place of the picture.
"""

from __future__ import annotations

from functools import partial

import ipywidgets as W

from ..explorer import explorer, int_slider
from ..i18n import tr
from .plot import plot_receptive_field_view


def receptive_field_explorer(image=None, size: int = 64) -> W.VBox:
    """Sliders for a stack of equal conv layers; draws one unit's receptive field.

    Controls: number of layers, kernel size, stride, dilation, a 2x2 max pool after every
    conv, and 'same' padding. Draws ``receptive.plot.plot_receptive_field_view`` over a
    small grey image (image: (size, size) in [0, 1]; default the cat's face, loaded once);
    settings that shrink a feature map to nothing show cnnlab's message instead.
    """
    if image is None:
        from .. import data

        img = data.image("chelsea", size=round(size * 1.5), gray=True)
        left = (img.shape[1] - size) // 2
        image = img[:size, left : left + size]
    controls = {
        "n_layers": int_slider(tr("layers L"), 4, 1, 8),
        "kernel": int_slider(tr("kernel K"), 3, 1, 7),
        "stride": int_slider(tr("stride s"), 1, 1, 3),
        "dilation": int_slider(tr("dilation d"), 1, 1, 3),
        "pool": W.Checkbox(value=False, description=tr("2x2 max pool after each conv")),
        "same": W.Checkbox(value=False, description=tr("'same' padding")),
    }
    draw = partial(plot_receptive_field_view, image=image, size=size)
    return explorer(draw, controls, title=tr("Receptive field of one unit of the last layer"))
