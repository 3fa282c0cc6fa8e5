"""The scaffolding of every explorer widget: controls, an output, and a message in place.

An explorer (each topic's ``widgets.py``) is built with :func:`explorer`: it reads the
controls, calls ``draw(**values)`` (a pure function returning a matplotlib Figure, tested
without a browser) and shows the figure, or, when ``draw`` raises ValueError, the message in
its place. The last figure and message are kept on ``box.state`` so tests can assert on them.
Used by the explorers of lessons 02-05, 07, 10 and 12.
"""

from __future__ import annotations

import html

import ipywidgets as W
import matplotlib.pyplot as plt
from IPython.display import display

from .i18n import tr


def int_slider(description: str, value: int, lo: int, hi: int, step: int = 1) -> W.IntSlider:
    """An IntSlider that updates on release of the mouse as well as on keyboard moves."""
    return _slider(W.IntSlider, description, value, lo, hi, step)


def explorer(draw, controls: dict, title: str | None = None) -> W.VBox:
    """Controls plus an output that redraws ``draw(**{name: control.value})`` on every change.

    draw: function of the control values returning a matplotlib Figure; ValueError messages
    are shown in place of the figure (class ``cnnlab-error``) instead of a traceback.
    Returns a VBox with ``.state = {"figure": Figure | None, "error": str | None}``,
    ``.controls`` (the dict given), ``.redraw()`` and ``.draw`` (for benchmarks).
    """
    out = W.Output()
    message = W.HTML()
    message.add_class("cnnlab-message")
    state = {"figure": None, "error": None}

    def redraw(*_):
        values = {name: c.value for name, c in controls.items()}
        if state["figure"] is not None:
            plt.close(state["figure"])
        try:
            fig = draw(**values)
        except ValueError as err:
            state["figure"], state["error"] = None, str(err)
            not_possible = tr("Not possible:")
            message.value = (
                '<div class="cnnlab-error" style="color:#a40000;background:#fff0f0;'
                'border:1px solid #e0a0a0;padding:8px;border-radius:4px;max-width:640px">'
                f"<b>{html.escape(not_possible)}</b> {html.escape(str(err))}</div>"
            )
            out.clear_output(wait=True)
            return
        state["figure"], state["error"] = fig, None
        message.value = ""
        out.clear_output(wait=True)
        with out:
            display(fig)
        plt.close(fig)  # displayed as an image; keep matplotlib's figure count bounded

    for c in controls.values():
        c.observe(redraw, names="value")
    parts = [W.HTML(f"<b>{html.escape(title)}</b>")] if title else []
    box = W.VBox(
        parts
        + [W.HBox(list(controls.values()), layout=W.Layout(flex_flow="row wrap")), message, out]
    )
    box.state, box.controls, box.redraw, box.draw = state, controls, redraw, draw
    redraw()
    return box


def float_slider(
    description: str, value: float, lo: float, hi: float, step: float
) -> W.FloatSlider:
    """A FloatSlider that updates on release of the mouse as well as on keyboard moves."""
    return _slider(W.FloatSlider, description, value, lo, hi, step, readout_format=".2f")


def choice(options, value, description: str) -> W.ToggleButtons:
    """One of a few named options, as toggle buttons: unlike a Dropdown, whose arrow keys
    JupyterLab takes for moving between cells, Tab and Space/Enter reach and pick each one."""
    return W.ToggleButtons(
        options=list(options),
        value=value,
        description=description,
        style={"description_width": "initial", "button_width": "auto"},
    )


def _slider(kind, description, value, lo, hi, step, **extra):
    # continuous_update=False: one redraw when the mouse is released, not one per pixel
    # dragged (a keyboard step still redraws at once)
    return kind(
        value=value,
        min=lo,
        max=hi,
        step=step,
        description=description,
        continuous_update=False,
        style={"description_width": "initial"},
        **extra,
    )
