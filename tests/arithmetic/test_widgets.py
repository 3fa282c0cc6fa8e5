"""cnnlab.arithmetic.widgets: the convolution arithmetic explorer (observers fire
synchronously, no browser needed)."""

import numpy as np
import pytest

from cnnlab import arith
from cnnlab.arithmetic import plot, widgets

from tests.figures import figure_text


def build(**kw):
    box = widgets.conv_arithmetic_explorer(**kw)
    return box, box.controls, box.state


def test_widget_draws_and_each_slider_redraws():
    box, c, state = build()
    assert state["error"] is None and "output 3×3" in figure_text(state["figure"])
    assert c["position"].max == 8
    for name, value, size in [("n", 9, 4), ("f", 5, 3), ("p", 2, 5), ("s", 1, 9), ("d", 2, 5)]:
        before = state["figure"]
        c[name].value = value
        assert state["error"] is None and state["figure"] is not before
        assert f"output {size}×{size}" in figure_text(state["figure"])
        assert c["position"].max == size * size - 1 == box.play.max
    c["position"].value = 7
    text = figure_text(state["figure"])
    assert "output 5×5" in text
    img = state["figure"].axes[0].images[1].get_array()  # the output grid
    assert np.allclose(img[1, 2], plot.CELL_COLOURS["current"])


def test_widget_clamps_the_position_when_the_output_shrinks():
    box, c, state = build(n=8, f=3, p=0, s=1, d=1)
    c["position"].value = 35  # last cell of the 6x6 output
    c["s"].value = 2  # output 3x3
    assert c["position"].max == 8 and c["position"].value == 8 and box.play.value == 8
    assert state["error"] is None
    box.play.value = 4  # the Play button drives the position
    assert c["position"].value == 4


def test_widget_impossible_then_possible_again():
    box, c, state = build(n=7, f=3, p=0, s=1, d=1)
    c["position"].value = 24
    c["f"].value = 7  # 7x7 kernel on 7x7: one output
    assert c["position"].max == 0 and c["position"].value == 0
    c["n"].value = 4  # impossible: kernel 7 > 4
    assert state["figure"] is None
    assert state["error"] == str(pytest.raises(ValueError, arith.conv_output_size, 4, 7).value)
    assert "Not possible" in box.children[-2].value
    c["d"].value = 2  # still impossible, the position slider keeps its range
    assert state["figure"] is None and c["position"].max == 0
    c["d"].value = 1
    c["p"].value = 3  # possible again: 4 + 6 = 10 -> 4x4
    assert state["error"] is None and "output 4×4" in figure_text(state["figure"])
    assert c["position"].max == 15 == box.play.max
    c["position"].value = 15
    assert state["error"] is None


def test_widget_starting_from_impossible_settings_recovers():
    box, c, state = build(n=3, f=5, p=0)
    assert state["figure"] is None and "kernel" in state["error"]
    c["p"].value = 1
    assert state["error"] is None and c["position"].max == 0
    c["n"].value = 6  # floor((6 + 2 - 5)/2) + 1 = 2
    assert c["position"].max == 3 and "output 2×2" in figure_text(state["figure"])


def test_explorer_writes_the_output_size_beside_the_picture():
    box = widgets.conv_arithmetic_explorer(n=7, f=3, p=0, s=2, d=1)
    assert "cnnlab-output-size" in box.size_text._dom_classes
    assert "= <b>3</b>" in box.size_text.value
    box.controls["p"].value = 1  # floor((7 + 2 - 2 - 1)/2) + 1 = 4
    assert "= <b>4</b>" in box.size_text.value
    box.controls["f"].value, box.controls["d"].value = 7, 3  # span 19 > 9: impossible
    assert "not possible" in box.size_text.value and box.state["error"]
    box.controls["d"].value = 1
    assert "= <b>2</b>" in box.size_text.value and box.state["error"] is None


def test_explorer_layout_and_title():
    box = widgets.conv_arithmetic_explorer()
    title, sliders, walk, size_text, message, out = box.children
    assert title.value == "<b>Convolution arithmetic: size, padding, stride, dilation</b>"
    assert size_text is box.size_text and walk.children[1] is box.play
    assert "cnnlab-message" in message._dom_classes


# ---------------------------------------------------------------------------------------
# transposed mode


def build_transposed(**kw):
    box = widgets.conv_transpose_explorer(**kw)
    return box, box.controls, box.state


def test_transposed_widget_draws_and_each_slider_redraws():
    box, c, state = build_transposed()
    assert state["error"] is None and "output 7×7" in figure_text(state["figure"])
    assert c["position"].max == 48 == box.play.max
    # n, f, p, s, output padding in turn: 4 -> 9, f 4 -> 10, p 1 -> 8, s 1 -> 5, op needs s > 1
    for name, value, size in [
        ("n", 4, 9),
        ("f", 4, 10),
        ("p", 1, 8),
        ("s", 3, 11),
        ("output_padding", 2, 13),
    ]:
        before = state["figure"]
        c[name].value = value
        assert state["error"] is None and state["figure"] is not before
        assert f"output {size}×{size}" in figure_text(state["figure"])
        assert c["position"].max == size * size - 1 == box.play.max
        assert f"<b>{size}</b>" in box.size_text.value
    c["position"].value = 14  # row 1, column 1 of the 13x13 output
    assert "output (1, 1) depends on input" in figure_text(state["figure"])


def test_transposed_widget_clamps_and_shows_impossible_settings_in_place():
    box, c, state = build_transposed(n=3, f=3, p=0, s=2, output_padding=1)
    c["position"].value = 63  # last cell of 8x8
    c["output_padding"].value = 0  # 7x7: the position is clamped
    assert c["position"].value == 48 and box.play.value == 48 and state["error"] is None
    c["s"].value = 1  # output padding 0 < 1: still possible, 5x5
    assert c["position"].max == 24
    c["output_padding"].value = 1  # not below the stride: impossible
    expected = pytest.raises(ValueError, arith.conv_transpose_output_size, 3, 3, 0, 1, 1, 1)
    assert state["figure"] is None and state["error"] == str(expected.value)
    assert "Not possible" in box.children[-2].value and "not possible" in box.size_text.value
    assert c["position"].max == 24  # kept until the settings are possible again
    c["s"].value = 2
    assert state["error"] is None and "output 8×8" in figure_text(state["figure"])
    assert c["position"].max == 63


def test_transposed_widget_starting_from_impossible_settings_recovers():
    box, c, state = build_transposed(n=1, f=1, p=1, s=1)
    assert state["figure"] is None and "not positive" in state["error"]
    c["p"].value = 0
    assert state["error"] is None and c["position"].max == 0


def test_transposed_explorer_layout():
    box = widgets.conv_transpose_explorer()
    title, sliders, walk, size_text, message, out = box.children
    assert "Transposed convolution arithmetic" in title.value
    assert size_text is box.size_text and walk.children[1] is box.play
    assert "cnnlab-output-size" in size_text._dom_classes
    assert "cnnlab-message" in message._dom_classes
    # every control is a slider or a button: each works from the keyboard
    assert all(type(s).__name__ == "IntSlider" for s in sliders.children)
