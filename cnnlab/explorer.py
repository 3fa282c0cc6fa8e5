"""The scaffolding of every explorer widget: controls, a picture, and a message in place.

An explorer (each topic's ``widgets.py``) is built with :func:`explorer`: it reads the
controls, calls ``draw(**values)`` (a pure function returning a matplotlib Figure, tested
without a browser) and shows the figure, or, when ``draw`` raises ValueError, the message in
its place. The last figure and message are kept on ``box.state`` so tests can assert on them.
Used by the explorers of lessons 02-05, 07, 10, 11 and 13.

Why an ``ipywidgets.Image`` updated in place and not an ``Output`` widget with ``display``
(measured in a real browser, benchmarks/bench_browser.py): the inline display crops every
PNG tightly (about 40% dearer than a plain ``savefig``), and after each picture the ``Output``
widget sends its whole content back to the kernel, which stays busy with it before it can
take the next slider move. An Image gets the PNG bytes and nothing comes back.
"""

from __future__ import annotations

import gc
import html
import io

import ipywidgets as W
import matplotlib

from .i18n import tr

# Axes titles at a fixed height above each panel. Left automatic, matplotlib lifts a title
# over any tick labels along the top, and to find them it lays out every tick of the axes,
# even of an axes drawn without any: 13 of the filter explorer's 54 ms per picture. No
# explorer has ticks along the top, so the pictures come out the same pixel for pixel
# (tests/test_explorer.py checks the twelve that draw from their controls alone, at their
# first setting).
FIXED_TITLES = {"axes.titley": 1.0}


def int_slider(description: str, value: int, lo: int, hi: int, step: int = 1) -> W.IntSlider:
    """An IntSlider that updates on release of the mouse as well as on keyboard moves."""
    return _slider(W.IntSlider, description, value, lo, hi, step)


def explorer(draw, controls: dict, title: str | None = None) -> W.VBox:
    """Controls plus a picture that redraws ``draw(**{name: control.value})`` on every change.

    draw: function of the control values returning a matplotlib Figure; ValueError messages
    are shown in place of the figure (class ``cnnlab-error``) instead of a traceback.
    Returns a VBox with ``.state = {"figure": Figure | None, "error": str | None}``,
    ``.controls`` (the dict given), ``.redraw()``, ``.draw`` (for benchmarks) and
    ``.picture`` (the ``Image`` widget, CSS class ``cnnlab-picture``).
    """
    picture = W.Image(format="png")
    picture.add_class("cnnlab-picture")
    message = W.HTML()
    message.add_class("cnnlab-message")
    state = {"figure": None, "error": None}

    def redraw(*_):
        values = {name: c.value for name, c in controls.items()}
        try:
            with matplotlib.rc_context(FIXED_TITLES):
                fig = draw(**values)
        except ValueError as err:
            state["figure"], state["error"] = None, str(err)
            not_possible = tr("Not possible:")
            message.value = (
                '<div class="cnnlab-error" style="color:#a40000;background:#fff0f0;'
                'border:1px solid #e0a0a0;padding:8px;border-radius:4px;max-width:640px">'
                f"<b>{html.escape(not_possible)}</b> {html.escape(str(err))}</div>"
            )
            # emptied, not only hidden: the next picture may be the same PNG as the last,
            # and an unchanged value would not be sent again
            picture.value, picture.layout.display = b"", "none"
            return
        state["figure"], state["error"] = fig, None
        message.value = ""
        picture.value = png_bytes(fig)
        picture.layout.display = None

    for c in controls.values():
        c.observe(redraw, names="value")
    parts = [W.HTML(f"<b>{html.escape(title)}</b>")] if title else []
    box = W.VBox(
        parts
        + [W.HBox(list(controls.values()), layout=W.Layout(flex_flow="row wrap")), message, picture]
    )
    box.state, box.controls, box.redraw, box.draw = state, controls, redraw, draw
    box.picture = picture
    redraw()
    # Everything made so far (the lesson's data, the modules, this widget) lives as long as
    # the kernel: move it out of the garbage collector's sight, so a full collection during a
    # slider move walks only what that move made (measured: 250-300 ms pauses without).
    gc.freeze()
    return box


def png_bytes(fig) -> bytes:
    """The figure as PNG bytes at its own size and dpi (no tight cropping: the figures lay
    themselves out)."""
    buf = io.BytesIO()
    # zlib level 1, not 6: a third less time on photo-like figures (filter explorer: 45 ->
    # 31 ms) for PNGs about 15% larger, which the loopback to the browser does not feel
    fig.savefig(buf, format="png", pil_kwargs={"compress_level": 1})
    return buf.getvalue()


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
