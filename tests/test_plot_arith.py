"""Lesson 03: the convolution arithmetic picture and its explorer widget."""

import matplotlib
import numpy as np
import pytest

from cnnlab import arith, conv, plot, widgets

from tests.figures import figure_text

SETTINGS = [
    # n, f, p, s, d
    (7, 3, 0, 2, 1),  # the notes' 7x7 * 3x3, stride 2 -> 3x3
    (6, 3, 1, 1, 1),  # 6x6 padded to 8x8 -> 6x6
    (8, 3, 0, 2, 1),  # the window does not fit: the last row and column are dropped
    (7, 3, 1, 2, 2),  # dilation
    (16, 5, 2, 3, 2),  # a large grid (no numbers written)
    (1, 1, 0, 1, 1),  # the smallest
]


@pytest.mark.parametrize("n, f, p, s, d", SETTINGS)
def test_picture_states_the_output_size(n, f, p, s, d):
    out = arith.conv_output_size(n, f, p, s, d)
    # the size the picture claims is the shape the reference convolution produces
    y = conv.conv2d(np.zeros((1, 1, n, n)), np.ones((1, 1, f, f)), stride=s, padding=p, dilation=d)
    assert y.shape[2:] == (out, out)
    for position in (0, out * out - 1):
        fig = plot.conv_arithmetic(n, f, p, s, d, position=position)
        assert isinstance(fig, matplotlib.figure.Figure)
        text = figure_text(fig)
        assert f"output {out}×{out}" in text
        assert text.count(f"+ 1 = {out}") == 1  # the substituted formula ends in the size
        assert f"({n} + 2·{p} − {d}·{f - 1} − 1)/{s}" in text


def test_picture_grid_colours_follow_the_setting():
    # 8x8, 3x3, stride 2: the window at the last output cell and the dropped last row
    fig = plot.conv_arithmetic(8, 3, 0, 2, 1, position=8)
    img = fig.axes[0].images[0].get_array()
    tap, ignored = plot.ARITH_COLOURS["tap"], plot.ARITH_COLOURS["ignored"]
    assert np.allclose(img[4:7, 4:7], tap)
    assert np.allclose(img[7, :], ignored) and np.allclose(img[:, 7], ignored)
    assert "drops the last row and column" in figure_text(fig)
    # padding cells are coloured as padding, dilation gaps as gaps
    fig = plot.conv_arithmetic(7, 3, 1, 1, 2, position=0)
    img = fig.axes[0].images[0].get_array()
    assert np.allclose(img[-1, -1], plot.ARITH_COLOURS["padding"])
    assert np.allclose(img[0, 0], tap) and np.allclose(img[0, 1], plot.ARITH_COLOURS["gap"])
    assert "dilation gap" in figure_text(fig)


@pytest.mark.parametrize(
    "n, f, p, s, d", [(5, 7, 0, 1, 1), (3, 5, 0, 2, 1), (7, 3, 0, 1, 4), (2, 4, 0, 1, 1)]
)
def test_impossible_settings_raise_the_arith_message(n, f, p, s, d):
    with pytest.raises(ValueError) as expected:
        arith.conv_output_size(n, f, p, s, d)
    with pytest.raises(ValueError) as got:
        plot.conv_arithmetic(n, f, p, s, d)
    assert str(got.value) == str(expected.value)
    assert "use padding >=" in str(got.value)


@pytest.mark.parametrize("position", [-1, 9, 2.5, True])
def test_position_outside_the_output_is_refused(position):
    with pytest.raises(ValueError, match="output position"):
        plot.conv_arithmetic(7, 3, 0, 2, 1, position=position)


@pytest.mark.parametrize("n, f, p, s, d", SETTINGS + [(9, 4, 0, 3, 1), (10, 3, 2, 2, 3)])
def test_window_counts_agree_with_the_convolution(n, f, p, s, d):
    # how often each input pixel is read = the gradient of sum(output) for a kernel of ones
    counts = plot.window_counts(n, f, p, s, d)
    assert counts.shape == (n + 2 * p, n + 2 * p)
    x, w = np.zeros((1, 1, n, n)), np.ones((1, 1, f, f))
    y = conv.conv2d(x, w, stride=s, padding=p, dilation=d)
    dx, _, _ = conv.conv2d_backward(np.ones_like(y), x, w, stride=s, padding=p, dilation=d)
    assert np.array_equal(counts[p : p + n, p : p + n], dx[0, 0])
    out = y.shape[-1]
    assert counts.sum() == out * out * f * f  # each output reads f*f cells


def test_pixel_usage_valid_vs_padded():
    fig = plot.pixel_usage(6, 3, paddings=(0, 1))
    text = figure_text(fig)
    assert "corner used 1×, centre 9×" in text and "corner used 4×" in text
    assert "output 4×4" in text and "output 6×6" in text
    with pytest.raises(ValueError):
        plot.pixel_usage(6, 3, paddings=())


# --- the widget: observers fire synchronously, no browser needed


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
    assert np.allclose(img[1, 2], plot.ARITH_COLOURS["current"])


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
    from cnnlab import widgets

    box = widgets.conv_arithmetic_explorer(n=7, f=3, p=0, s=2, d=1)
    assert "= <b>3</b>" in box.size_text.value
    box.controls["p"].value = 1  # floor((7 + 2 - 2 - 1)/2) + 1 = 4
    assert "= <b>4</b>" in box.size_text.value
    box.controls["f"].value, box.controls["d"].value = 7, 3  # span 19 > 9: impossible
    assert "not possible" in box.size_text.value and box.state["error"]
    box.controls["d"].value = 1
    assert "= <b>2</b>" in box.size_text.value and box.state["error"] is None


def test_scrubber_prerenders_every_frame_and_shows_messages():
    from cnnlab import plot

    frames = [dict(n=7, f=3, p=0, s=2, d=1, position=i) for i in range(3)]
    frames.append(dict(n=3, f=5, p=0, s=1, d=1, position=0))  # impossible
    html = plot.scrubber(plot.conv_arithmetic, frames).data
    import re

    pngs = set(re.findall(r"data:image/png;base64,[A-Za-z0-9+/=]+", html))
    assert len(pngs) == 3  # distinct pictures; the first is also the initial <img>
    assert 'max="3"' in html and "not possible" in html and "padding" in html
    with pytest.raises(ValueError, match="at least one frame"):
        plot.scrubber(plot.conv_arithmetic, [])
    with pytest.raises(ValueError, match="2 labels for 1 frames"):
        plot.scrubber(plot.conv_arithmetic, frames[:1], labels=["a", "b"])
