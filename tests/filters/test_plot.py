"""cnnlab.filters.plot: the pictures come from cnnlab's numbers, and bad settings give the
message instead of a plot."""

from __future__ import annotations

import matplotlib.figure
import numpy as np
import pytest

from cnnlab import data, filters
from cnnlab.filters import plot

STEP = np.array([[10.0, 10, 10, 0, 0, 0]] * 6)


def texts(fig):
    """Every text and title on the figure's axes."""
    return [t.get_text() for ax in fig.axes for t in ax.texts] + [ax.get_title() for ax in fig.axes]


def test_plot_conv_step_writes_the_sum_and_every_output():
    fig = plot.plot_conv_step(STEP, filters.prewitt_x(), 0, 1)
    assert isinstance(fig, matplotlib.figure.Figure)
    assert "out[0, 1] = sum(window * w) = 30" in texts(fig)
    # 36 image cells + 9 kernel + 9 products + 16 outputs, none printed as "-0"
    cells = [
        t
        for t in fig.axes[0].texts
        if t.get_text() not in ("image x", "kernel w", "window * w", "output")
    ]
    assert len(cells) == 36 + 9 + 9 + 16
    assert "-0" not in [t.get_text() for t in cells]
    assert sorted(t.get_text() for t in cells[-16:]) == sorted(["0", "30", "30", "0"] * 4)
    fig = plot.plot_conv_step(STEP, filters.prewitt_x(), 3, 3, b=-5)
    assert "out[3, 3] = sum(window * w) + -5 = -5" in texts(fig)


@pytest.mark.parametrize(
    "args, match",
    [
        ((STEP, filters.prewitt_x(), 4, 0), "outside the 4x4 output"),
        ((STEP, filters.prewitt_x(), 0, -1), "col"),
        ((STEP, np.ones((7, 7)), 0, 0), "larger than the padded input"),
        ((STEP[None], filters.prewitt_x(), 0, 0), "2D"),
    ],
)
def test_plot_conv_step_rejects_impossible_positions(args, match):
    with pytest.raises(ValueError, match=match):
        plot.plot_conv_step(*args)


def test_plot_conv_volume_sums_the_channel_maps():
    x = np.zeros((3, 6, 6))
    x[0, :, :3] = 10
    x[1] = 5
    w = np.zeros((3, 3, 3))
    w[0] = filters.prewitt_x()
    fig = plot.plot_conv_volume(x, w)
    titles = [ax.get_title() for ax in fig.axes]
    assert "sum over channels\n= activation map" in titles
    assert [ax.get_ylabel() for ax in fig.axes if ax.get_ylabel()] == ["R", "G", "B"]
    total = fig.axes[-1]
    assert sorted(t.get_text() for t in total.texts) == sorted(["0", "30", "30", "0"] * 4)
    with pytest.raises(ValueError, match="as deep as its"):
        plot.plot_conv_volume(x, w[:2])


def test_line_plots_and_reconstruction_figure():
    angles = np.arange(0, 181, 15.0)
    errs = {"sobel": filters.orientation_error(filters.sobel_x(), angles=angles)}
    fig = plot.plot_orientation_errors(angles, errs, wavelength=4)
    assert "worst" in fig.axes[0].get_legend().get_texts()[0].get_text()
    with pytest.raises(ValueError, match="shape"):
        plot.plot_orientation_errors(angles, {"x": np.zeros(3)})
    fig = plot.plot_filter_learning(np.geomspace(1, 1e-6, 20), filters.sobel_x(), filters.sobel_x())
    assert [ax.get_title() for ax in fig.axes] == ["loss", "learned", "true"]
    img = np.random.default_rng(0).uniform(size=(10, 10))
    resp = np.random.default_rng(1).normal(size=(2, 8, 8))
    fig = plot.plot_reconstruction(img, resp, img, np.geomspace(1, 1e-3, 5), ["a", "b"])
    assert "response: a" in [ax.get_title() for ax in fig.axes]
    with pytest.raises(ValueError, match="same shape|one shape"):
        plot.plot_reconstruction(img, resp, img[:5], [1.0])


def test_plot_activation_map_shapes_and_errors():
    img = data.image("coins", size=64, gray=True)
    fig = plot.plot_activation_map(img, filters.sobel_y(), title="sobel_y")
    titles = [ax.get_title() for ax in fig.axes]
    assert f"activation map {img.shape[0] - 2}x{img.shape[1] - 2}" in titles
    with pytest.raises(ValueError, match="grey"):
        plot.plot_activation_map(np.zeros((8, 8, 3)), filters.sobel_x())


def test_pictures_are_made_outside_pyplot():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    plot.plot_conv_step(STEP, filters.prewitt_x(), 0, 1)
    plot.plot_activation_map(np.zeros((8, 8)), filters.sobel_x())
    assert plt.get_fignums() == before
