"""cnnlab.arithmetic.plot: the convolution arithmetic picture states the size the reference
convolution produces, colours the cells it reads, and refuses impossible settings."""

import matplotlib.figure
import numpy as np
import pytest

from cnnlab import arith, conv
from cnnlab.arithmetic import plot

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
        fig = plot.plot_conv_arithmetic(n, f, p, s, d, position=position)
        assert isinstance(fig, matplotlib.figure.Figure)
        text = figure_text(fig)
        assert f"output {out}×{out}" in text
        assert text.count(f"+ 1 = {out}") == 1  # the substituted formula ends in the size
        assert f"({n} + 2·{p} − {d}·{f - 1} − 1)/{s}" in text


def test_picture_grid_colours_follow_the_setting():
    # 8x8, 3x3, stride 2: the window at the last output cell and the dropped last row
    fig = plot.plot_conv_arithmetic(8, 3, 0, 2, 1, position=8)
    img = fig.axes[0].images[0].get_array()
    tap, ignored = plot.CELL_COLOURS["tap"], plot.CELL_COLOURS["ignored"]
    assert np.allclose(img[4:7, 4:7], tap)
    assert np.allclose(img[7, :], ignored) and np.allclose(img[:, 7], ignored)
    assert "drops the last row and column" in figure_text(fig)
    # padding cells are coloured as padding, dilation gaps as gaps
    fig = plot.plot_conv_arithmetic(7, 3, 1, 1, 2, position=0)
    img = fig.axes[0].images[0].get_array()
    assert np.allclose(img[-1, -1], plot.CELL_COLOURS["padding"])
    assert np.allclose(img[0, 0], tap) and np.allclose(img[0, 1], plot.CELL_COLOURS["gap"])
    assert "dilation gap" in figure_text(fig)


def test_output_grid_marks_the_cells_done_and_the_current_one():
    img = plot.output_cells(3, 4)
    assert img.shape == (3, 3, 3)
    assert np.allclose(img[1, 1], plot.CELL_COLOURS["current"])
    assert np.allclose(img[0, :], plot.CELL_COLOURS["done"]) and np.allclose(
        img[1, 0], plot.CELL_COLOURS["done"]
    )
    assert np.allclose(img[2, 2], (1.0, 1.0, 1.0))


@pytest.mark.parametrize(
    "n, f, p, s, d", [(5, 7, 0, 1, 1), (3, 5, 0, 2, 1), (7, 3, 0, 1, 4), (2, 4, 0, 1, 1)]
)
def test_impossible_settings_raise_the_arith_message(n, f, p, s, d):
    with pytest.raises(ValueError) as expected:
        arith.conv_output_size(n, f, p, s, d)
    with pytest.raises(ValueError) as got:
        plot.plot_conv_arithmetic(n, f, p, s, d)
    assert str(got.value) == str(expected.value)
    assert "use padding >=" in str(got.value)


@pytest.mark.parametrize("position", [-1, 9, 2.5, True])
def test_position_outside_the_output_is_refused(position):
    with pytest.raises(ValueError, match="output position"):
        plot.plot_conv_arithmetic(7, 3, 0, 2, 1, position=position)


def test_pixel_usage_valid_vs_padded():
    fig = plot.plot_pixel_usage(6, 3, paddings=(0, 1))
    assert isinstance(fig, matplotlib.figure.Figure)
    text = figure_text(fig)
    assert "corner used 1×, centre 9×" in text and "corner used 4×" in text
    assert "output 4×4" in text and "output 6×6" in text
    with pytest.raises(ValueError):
        plot.plot_pixel_usage(6, 3, paddings=())


def test_pictures_are_made_outside_pyplot():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    plot.plot_conv_arithmetic(7, 3, 1, 2, 2, position=3)
    plot.plot_pixel_usage(5, 3)
    assert plt.get_fignums() == before


# ---------------------------------------------------------------------------------------
# transposed mode

from cnnlab import conv_transpose as ct  # noqa: E402

TRANSPOSED = [
    # n, f, p, s, output_padding
    (3, 3, 0, 2, 0),  # 3x3 -> 7x7
    (3, 3, 1, 2, 1),  # the "same"-style doubling 3 -> 6
    (4, 4, 1, 2, 0),  # 4 -> 8, even overlap
    (2, 2, 0, 3, 0),  # stride above the kernel: outputs no stamp reaches
    (4, 3, 3, 2, 1),  # p > f - 1: the stuffed input is cropped, not padded
    (1, 1, 0, 1, 0),  # the smallest
    (8, 5, 4, 4, 3),  # the largest the explorer allows
]


@pytest.mark.parametrize("n, f, p, s, op", TRANSPOSED)
def test_transposed_picture_states_the_size_of_the_reference(n, f, p, s, op):
    out = arith.conv_transpose_output_size(n, f, p, s, 1, op)
    y = ct.conv_transpose2d(
        np.zeros((1, 1, n, n)), np.ones((1, 1, f, f)), stride=s, padding=p, output_padding=op
    )
    assert y.shape[2:] == (out, out)
    for position in (0, out * out - 1):
        fig = plot.plot_conv_transpose_arithmetic(n, f, p, s, op, position=position)
        text = figure_text(fig)
        assert f"output {out}×{out}" in text
        assert f"+ 1 = {out}" in text and f"({n} − 1)·{s} − 2·{p}" in text
        grid = fig.axes[0].images[0].get_array()
        stuffed = ct.stuffed_input(np.ones((1, 1, n, n)), f, s, p, op)
        assert grid.shape[:2] == stuffed.shape[2:]  # the grid is what the convolution sees
        assert grid.shape[0] - f + 1 == out


@pytest.mark.parametrize("n, f, p, s, op", TRANSPOSED)
def test_transposed_window_marks_exactly_the_inputs_the_output_depends_on(n, f, p, s, op):
    out = arith.conv_transpose_output_size(n, f, p, s, 1, op)
    x = np.arange(1.0, n * n + 1).reshape(1, 1, n, n)  # input pixel k holds k + 1
    grid = ct.stuffed_input(x, f, s, p, op)[0, 0]
    for position in range(0, out * out, max(1, out * out // 7)):
        img = plot.transpose_cells(n, f, p, s, op, position)
        taps = np.all(np.isclose(img, plot.CELL_COLOURS["tap"]), axis=-1)
        marked = {divmod(int(v) - 1, n) for v in grid[taps]}
        row, col = divmod(position, out)
        assert marked == ct.contributing_inputs((row, col), n, f, s, p, 1, op)
        fig = plot.plot_conv_transpose_arithmetic(n, f, p, s, op, position)
        text = figure_text(fig)
        assert f"output ({row}, {col}) depends on input" in text
        if not marked:
            assert "no stamp reaches it" in text


def test_transposed_cells_colour_inputs_zeros_and_padding():
    img = plot.transpose_cells(3, 3, 0, 2, 0, position=24)  # the centre of the 7x7 output
    colours = plot.CELL_COLOURS
    assert img.shape == (9, 9, 3)
    assert np.allclose(img[0, 0], colours["padding"]) and np.allclose(img[1, 8], colours["padding"])
    assert np.allclose(img[2, 3], colours["gap"])  # between input pixels 0 and 1
    assert np.allclose(img[2, 2], colours["input"])
    assert np.allclose(img[4, 4], colours["tap"])  # input (1, 1) under the centre window
    assert "padded by f − 1 − p = 2" in figure_text(plot.plot_conv_transpose_arithmetic(3, 3, 0, 2))
    assert "cropped by p − (f − 1) = 1" in figure_text(
        plot.plot_conv_transpose_arithmetic(4, 3, 3, 2, 1)
    )


@pytest.mark.parametrize(
    "n, f, p, s, op, match",
    [
        (3, 3, 0, 2, 2, "output_padding must be smaller"),
        (3, 3, 0, 1, 1, "output_padding"),
        (1, 1, 1, 1, 0, "not positive"),
        (2, 3, 4, 1, 0, "use padding <="),
    ],
)
def test_transposed_impossible_settings_raise_the_arith_message(n, f, p, s, op, match):
    with pytest.raises(ValueError) as expected:
        arith.conv_transpose_output_size(n, f, p, s, 1, op)
    with pytest.raises(ValueError, match=match) as got:
        plot.plot_conv_transpose_arithmetic(n, f, p, s, op)
    assert str(got.value) == str(expected.value)


@pytest.mark.parametrize("position", [-1, 49, 1.5, True])
def test_transposed_position_outside_the_output_is_refused(position):
    with pytest.raises(ValueError, match="output position"):
        plot.plot_conv_transpose_arithmetic(3, 3, 0, 2, 0, position=position)


def test_transposed_picture_is_made_outside_pyplot():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    plot.plot_conv_transpose_arithmetic(3, 3, 1, 2, 1, position=5)
    assert plt.get_fignums() == before
