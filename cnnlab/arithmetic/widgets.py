"""The convolution-arithmetic explorers: sliders for input size, kernel, padding, stride and
dilation (or, in transposed mode, output padding), a walk through the output cells, and the
output size written out. Used by lesson 03 (convolutions) and lesson 11 (transposed mode).

Thin :func:`cnnlab.explorer.explorer` wrappers around
:func:`cnnlab.arithmetic.plot.plot_conv_arithmetic` and
:func:`cnnlab.arithmetic.plot.plot_conv_transpose_arithmetic`; a JupyterLab browser test reads
their ``.cnnlab-output-size`` text and their in-place error message. Every control is a
slider or a button, so the keyboard drives them all (arrow keys on a focused slider).
"""

from __future__ import annotations

import ipywidgets as W

from ..arith import conv_output_size, conv_transpose_output_size
from ..explorer import explorer, int_slider
from ..i18n import tr
from .plot import plot_conv_arithmetic, plot_conv_transpose_arithmetic

#: The settings sliders of each mode, in the order the size text reads them.
CONV_NAMES = ("n", "f", "p", "s", "d")
TRANSPOSE_NAMES = ("n", "f", "p", "s", "output_padding")


def conv_arithmetic_explorer(
    n: int = 7, f: int = 3, p: int = 0, s: int = 2, d: int = 1, position: int = 0, max_n: int = 16
) -> W.VBox:
    """Sliders for n, f, p, s, d and the output cell, drawing
    :func:`cnnlab.arithmetic.plot.plot_conv_arithmetic`.

    A Play button walks the output cell through every position, row by row. When the
    settings change, the output-cell slider's range follows the new output size (the cell
    is clamped into it); impossible settings show the cnnlab.arith message in place of the
    picture and keep the slider as it was until the settings are possible again.
    Returns the :func:`explorer` VBox, with ``.play`` (the Play widget) and ``.size_text``
    (the output size as text) added.
    """
    controls = {
        "n": int_slider(tr("input n"), n, 1, max_n),
        "f": int_slider(tr("kernel f"), f, 1, 7),
        "p": int_slider(tr("padding p"), p, 0, 4),
        "s": int_slider(tr("stride s"), s, 1, 4),
        "d": int_slider(tr("dilation d"), d, 1, 4),
    }
    return _with_cell_walk(
        plot_conv_arithmetic,
        controls,
        position,
        _last_cell,
        output_size_text,
        CONV_NAMES,
        tr("Convolution arithmetic: size, padding, stride, dilation"),
    )


def _with_cell_walk(draw, controls, position, last_cell, size_text, names, title) -> W.VBox:
    """What both arithmetic explorers add to their settings' sliders: the output-cell
    slider and its Play button (kept inside the output by ``last_cell(controls)``), the
    output size line (``size_text(*values of names)``) and the explorer drawing ``draw``."""
    try:
        top = last_cell(controls)
    except ValueError:
        top = 0
    controls["position"] = int_slider(tr("output cell"), min(position, top), 0, top)
    play = W.Play(value=controls["position"].value, min=0, max=top, interval=700, step=1)
    play.description = tr("play")
    W.link((play, "value"), (controls["position"], "value"))
    _follow_output_size(controls, play, last_cell, names)
    # the size line observes after fit_position and before the explorer's redraw
    size = _size_label(controls, size_text, names)
    box = explorer(draw, controls, title=title)
    *head, message, out = box.children
    walk = W.HBox([W.Label(tr("walk through the output cells:")), play])
    box.children = (*head, walk, size, message, out)
    box.play, box.size_text = play, size
    return box


def output_size_text(n: int, f: int, p: int, s: int, d: int) -> str:
    """The explorer's output-size line (HTML): the formula with the numbers substituted and
    the size in bold, or "output size: not possible" for impossible settings.

    >>> output_size_text(7, 3, 0, 2, 1)
    'output size = ⌊(7 + 2·0 − 1·(3−1) − 1)/2⌋ + 1 = <b>3</b>, so the output is 3×3'
    """
    try:
        o = conv_output_size(n, f, p, s, d)
    except ValueError:
        return tr("output size: not possible")
    return tr("output size = {formula} = <b>{o}</b>, so the output is {o}×{o}").format(
        formula=f"⌊({n} + 2·{p} − {d}·({f}−1) − 1)/{s}⌋ + 1", o=o
    )


def _follow_output_size(controls, play, last_cell, names) -> None:
    """Keep the output-cell slider and the Play button inside the output when the settings
    (the controls in ``names``) change: their range follows out² − 1 (``last_cell``) and
    the cell is clamped into it."""

    def fit_position(_):
        # Runs before the explorer's redraw (observers fire in the order they were added),
        # so the redraw already sees a position inside the new output.
        try:
            new_top = last_cell(controls)
        except ValueError:
            return  # the redraw shows the message; keep the range until settings are possible
        pos = controls["position"]
        if pos.value > new_top:
            pos.value = new_top
        play.max = pos.max = new_top

    for name in names:
        controls[name].observe(fit_position, names="value")


def _size_label(controls, text, names) -> W.HTML:
    """The output size as text beside the picture (class ``cnnlab-output-size``), for screen
    readers and browser tests; ``text(*values of names)`` follows the sliders."""
    size_text = W.HTML()
    size_text.add_class("cnnlab-output-size")

    def show_size(_=None):
        size_text.value = text(*(controls[k].value for k in names))

    for name in names:
        controls[name].observe(show_size, names="value")
    show_size()
    return size_text


def _last_cell(controls) -> int:
    """Index of the last output cell, out² − 1, for the controls' current settings."""
    v = {k: c.value for k, c in controls.items()}
    o = conv_output_size(v["n"], v["f"], v["p"], v["s"], v["d"])
    return o * o - 1


def conv_transpose_explorer(
    n: int = 3,
    f: int = 3,
    p: int = 0,
    s: int = 2,
    output_padding: int = 0,
    position: int = 0,
    max_n: int = 8,
) -> W.VBox:
    """Transposed mode: sliders for n, f, p, s, output padding and the output cell, drawing
    :func:`cnnlab.arithmetic.plot.plot_conv_transpose_arithmetic` (the zero-stuffed, padded
    input, the flipped kernel's window and the output).

    Behaves as :func:`conv_arithmetic_explorer`: a Play button walks the output cells, the
    output-cell slider follows the output size, impossible settings (output padding not
    below the stride, padding that crops everything) show the cnnlab.arith message in place.
    Returns the :func:`explorer` VBox with ``.play`` and ``.size_text``.
    """
    controls = {
        "n": int_slider(tr("input n"), n, 1, max_n),
        "f": int_slider(tr("kernel f"), f, 1, 5),
        "p": int_slider(tr("padding p"), p, 0, 4),
        "s": int_slider(tr("stride s"), s, 1, 4),
        "output_padding": int_slider(tr("output padding"), output_padding, 0, 3),
    }
    return _with_cell_walk(
        plot_conv_transpose_arithmetic,
        controls,
        position,
        _last_transposed_cell,
        transposed_size_text,
        TRANSPOSE_NAMES,
        tr("Transposed convolution arithmetic: size, stride, padding, output padding"),
    )


def transposed_size_text(n: int, f: int, p: int, s: int, output_padding: int) -> str:
    """The transposed explorer's output-size line (HTML), or "output size: not possible".

    >>> transposed_size_text(3, 3, 0, 2, 0)
    'output size = (3 − 1)·2 − 2·0 + (3 − 1) + 0 + 1 = <b>7</b>, so the output is 7×7'
    """
    try:
        o = conv_transpose_output_size(n, f, p, s, 1, output_padding)
    except ValueError:
        return tr("output size: not possible")
    return tr("output size = {formula} = <b>{o}</b>, so the output is {o}×{o}").format(
        formula=f"({n} − 1)·{s} − 2·{p} + ({f} − 1) + {output_padding} + 1", o=o
    )


def _last_transposed_cell(controls) -> int:
    v = {k: c.value for k, c in controls.items()}
    o = conv_transpose_output_size(v["n"], v["f"], v["p"], v["s"], 1, v["output_padding"])
    return o * o - 1
