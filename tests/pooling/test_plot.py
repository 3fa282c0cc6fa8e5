"""cnnlab.pooling.plot: the pooling picture, subsampling, equivariance and robustness plots."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from cnnlab import arith, conv, data, pooling
from cnnlab.pooling import plot

from tests.figures import figure_text

# plot_pooling


SETTINGS = [
    # kernel, stride, padding, mode, size
    (2, 2, 0, "max", 6),  # the usual: halves 6x6
    (2, 2, 0, "min", 7),  # the last row and column are never used
    (3, 2, 1, "avg", 7),  # padding counts as zeros in the mean
    (3, 1, 1, "max", 5),  # overlapping windows, same size
    (4, 1, 2, "max", 9),  # the biggest grid the widget allows
    (5, 5, 0, "avg", 5),  # one window
    (1, 1, 0, "max", 3),
]


@pytest.mark.parametrize("k, s, p, mode, n", SETTINGS)
def test_plot_pooling_states_the_computed_values(k, s, p, mode, n):
    x = np.random.default_rng(0).integers(0, 10, (n, n)).astype(float)
    out = pooling.pool_grid(x, k, s, p, mode)
    ho, wo = out.shape
    assert ho == arith.conv_output_size(n, k, p, s)
    for position in (0, ho * wo - 1):
        fig = plot.plot_pooling(k, s, p, mode, position=position, size=n)
        assert isinstance(fig, matplotlib.figure.Figure)
        title = fig._suptitle.get_text()
        i, j = divmod(position, wo)
        assert f"{n}×{n} → {ho}×{wo}" in title
        assert f"out[{i}, {j}] =" in title
        assert title.endswith(f"= {out[i, j]:.3g}")
        assert f"output {ho}×{wo}" in figure_text(fig)
        plt.close(fig)


def test_plot_pooling_lists_the_window_and_the_padding():
    x = np.arange(16.0).reshape(4, 4)
    title = plot.plot_pooling(2, 2, 0, "max", position=3, x=x)._suptitle.get_text()
    assert "out[1, 1] = max(10, 11, 14, 15) = 15" in title
    title = plot.plot_pooling(3, 2, 1, "max", position=0, x=x)._suptitle.get_text()
    assert "max(-∞, -∞, -∞, -∞, 0, 1, -∞, 4, 5) = 5" in title
    title = plot.plot_pooling(3, 2, 1, "avg", position=0, x=x)._suptitle.get_text()
    assert "mean(0, 0, 0, 0, 0, 1, 0, 4, 5) = 1.11" in title
    fig = plot.plot_pooling(3, 2, 1, "min", position=0, x=x)
    assert "+∞" in fig._suptitle.get_text() and "holds +∞" in figure_text(fig)


def test_plot_pooling_marks_cells_no_window_reaches():
    assert "no window reaches" in figure_text(plot.plot_pooling(2, 2, 0, "max", size=7))
    assert "no window reaches" not in figure_text(plot.plot_pooling(2, 2, 0, "max", size=6))


def test_plot_pooling_clamps_the_position():
    title = plot.plot_pooling(2, 2, 0, "max", position=80, size=6)._suptitle.get_text()
    assert "out[2, 2]" in title


def test_plot_pooling_outlines_the_current_window():
    fig = plot.plot_pooling(3, 2, 0, "max", position=4, size=7)  # output 3x3, cell (1, 1)
    rects = [
        p
        for p in fig.axes[0].patches
        if isinstance(p, matplotlib.patches.Rectangle) and p.get_edgecolor()[:3] != (0, 0, 0)
    ]
    window = [r for r in rects if r.get_width() == 3]
    assert window and window[0].get_xy() == (2 - 0.5, 2 - 0.5)


def test_numbers_stay_readable_on_the_shared_scale():
    # a 9 on the 0..9 scale is black: its number must be written in white
    x = np.full((4, 4), 1.0)
    x[0, 0] = 9
    fig = plot.plot_pooling(2, 2, 0, "max", x=x)
    nines = [t for t in fig.axes[0].texts if t.get_text() == "9"]
    ones = [t for t in fig.axes[0].texts if t.get_text() == "1"]
    assert nines and all(matplotlib.colors.same_color(t.get_color(), "white") for t in nines)
    assert ones and all(matplotlib.colors.same_color(t.get_color(), "black") for t in ones)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"kernel": 3, "padding": 2}, "at most half the kernel"),
        ({"kernel": 5, "size": 3}, "smaller than the window"),
        ({"mode": "median"}, "'max', 'avg' or 'min'"),
        ({"stride": 0}, "stride must be an integer >= 1"),
        ({"size": 0}, "size must be an integer >= 1"),
        ({"position": -1}, "position"),
        ({"x": np.zeros((2, 3, 3))}, "2D grid"),
    ],
)
def test_plot_pooling_rejects_impossible_settings(kwargs, match):
    with pytest.raises(ValueError, match=match):
        plot.plot_pooling(**kwargs)


def test_plot_pooling_is_fast_enough_to_drive_a_widget():
    import time

    plot.plot_pooling()  # warm up
    times = []
    for pos in range(7):
        t = time.perf_counter()
        plt.close(plot.plot_pooling(3, 2, 1, "avg", position=pos, size=9))
        times.append(time.perf_counter() - t)
    # the budget is 50 ms on an idle machine; this bound only catches a gross slowdown
    assert np.median(times) < 0.5


# plot_subsampling


def test_plot_subsampling_shows_the_notes_example():
    x = np.arange(49.0).reshape(7, 7)
    w = np.array([[1, 0, -1]] * 3, dtype=float)
    fig = plot.plot_subsampling(x, w, stride=2)
    assert len(fig.axes) == 3
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["input 7×7, kernel 3×3", "stride 1: 5×5", "stride 2: 3×3"]
    # the outlined cells of the stride-1 output are exactly the stride-2 output
    full = conv.conv2d(x[None, None], w[None, None])[0, 0]
    kept = [p.get_xy() for p in fig.axes[1].patches]
    assert len(kept) == 9 and (1.5, 1.5) in kept
    np.testing.assert_array_equal(
        conv.conv2d(x[None, None], w[None, None], stride=2)[0, 0], full[::2, ::2]
    )


def test_plot_subsampling_validates():
    with pytest.raises(ValueError, match="2D"):
        plot.plot_subsampling(np.zeros((1, 7, 7)), np.ones((3, 3)))
    with pytest.raises(ValueError, match="stride"):
        plot.plot_subsampling(np.zeros((7, 7)), np.ones((3, 3)), stride=0)


# plot_grids (the shared drawing.plot_grids the lesson shows its small grids with)


# plot_equivariance and plot_shift_robustness


@pytest.fixture(scope="module")
def camera():
    return data.image("camera", size=48, gray=True)


SOBEL = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]], dtype=float)[None, None]


def test_plot_equivariance_exact_case(camera):
    fig = plot.plot_equivariance(lambda t: pooling.circular_conv2d(t, SOBEL), camera, 3, 5)
    text = figure_text(fig)
    assert "F(x) moved (3, 5)" in text and "max 0% of range" in text


def test_plot_equivariance_zero_padding_with_crop(camera):
    def op(t):
        return conv.conv2d(t, SOBEL, padding=1)

    fig = plot.plot_equivariance(op, camera, 2, 3, mode="zero", crop=(3, 4))
    assert "inside the box:\nmax 0% of range" in figure_text(fig)
    fig = plot.plot_equivariance(op, camera, 2, 3, mode="zero")
    assert "max 0% of range" not in figure_text(fig)


def test_plot_equivariance_stride_breaks_it(camera):
    def op(t):
        return pooling.circular_conv2d(t, SOBEL, stride=2)

    text = figure_text(plot.plot_equivariance(op, camera, 0, 1, scale=2))
    assert "no exact shift exists" in text and "max 0% of range" not in text
    text = figure_text(plot.plot_equivariance(op, camera, 0, 2, scale=2))
    assert "F(x) moved (0, 1)" in text and "max 0% of range" in text


def test_plot_equivariance_validates(camera):
    with pytest.raises(ValueError, match="2D"):
        plot.plot_equivariance(lambda t: t, camera[None], 0, 1)
    with pytest.raises(ValueError, match="leaves nothing"):
        plot.plot_equivariance(lambda t: t, camera, 0, 1, crop=24)


def test_plot_shift_robustness(camera):
    r = pooling.shift_robustness(camera, SOBEL[0, 0], shifts=range(4))
    fig = plot.plot_shift_robustness(r)
    assert len(fig.axes) == 2
    assert all(len(ax.lines) == 3 for ax in fig.axes)
    text = figure_text(fig)
    assert "max pool 2×2" in text and "avg pool 2×2" in text and "no pooling" in text
    np.testing.assert_array_equal(fig.axes[1].lines[1].get_ydata(), r["max_kept"])
