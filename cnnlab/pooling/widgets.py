"""The pooling explorer of lesson 05: one pooling window at a time, under the learner's
control. The picture is ``plot.plot_pooling``, tested without a browser; the widget itself
is tested in JupyterLab (tests/test_lab_browser.py reads its title and error message).

Every control works from the keyboard in JupyterLab: sliders (arrow keys on the focused
handle) and toggle buttons for the pooling type (Tab to a button, Space or Enter to pick
it), never a Dropdown, whose arrow keys JupyterLab takes to move between cells. The
kernel-free version for the book is ``cnnlab.frames.scrubber(plot.plot_pooling, ...)``.
"""

from __future__ import annotations

import ipywidgets as W

from ..explorer import explorer, int_slider
from ..i18n import tr
from . import plot

#: The pooling types as the explorer's buttons name them, and the value each one gives.
MODE_BUTTONS = (("max", "max"), ("average", "avg"), ("min", "min"))


def pooling_explorer(size: int = 6) -> W.VBox:
    """Pooling on a small grid of digits: kernel, stride, padding, type (max/average/min)
    and which output cell to explain. Draws ``cnnlab.pooling.plot.plot_pooling``; impossible
    settings (window larger than the padded input, padding over half the kernel) show
    cnnlab.pool's message in place of the picture.
    """
    controls = {
        "kernel": int_slider(tr("kernel"), 2, 1, 5),
        "stride": int_slider(tr("stride"), 2, 1, 5),
        "padding": int_slider(tr("padding"), 0, 0, 2),
        "mode": W.ToggleButtons(
            options=mode_buttons(),
            value="max",
            description=tr("type"),
            style={"description_width": "initial", "button_width": "auto"},
        ),
        "size": int_slider(tr("input size"), size, 3, 9),
        "position": int_slider(tr("output cell"), 0, 0, 80),
    }
    return explorer(plot.plot_pooling, controls, title=tr("Pooling: one window per output cell"))


def mode_buttons() -> list[tuple[str, str]]:
    """:data:`MODE_BUTTONS` with their labels in the language of the moment."""
    shown = {"max": tr("max"), "average": tr("average"), "min": tr("min")}
    return [(shown[label], value) for label, value in MODE_BUTTONS]
