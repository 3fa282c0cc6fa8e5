"""cnnlab.filters.plot: the pictures come from cnnlab's numbers, and bad settings give the
message instead of a plot."""

from __future__ import annotations

import matplotlib.figure
import numpy as np
import pytest

from cnnlab import data, filters
from cnnlab.filters import plot

from tests.figures import (
    conv_volume_standin,
    fake_edge_maps,
    fake_edge_photo,
    first_layer_filters_standin,
)

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
    x, w = conv_volume_standin()
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


def test_plot_learned_edges_labels_designed_learned_and_each_side():
    photo = fake_edge_photo()
    fig = plot.plot_learned_edges(photo, fake_edge_maps(), title="mine")
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[:4] == [
        "photo 20x30",
        "Sobel |g| (designed)",
        "Scharr |g| (designed)",
        "HED fused (learned)",
    ]
    assert titles[5:] == [
        "side 1 (RF 5 px)",
        "side 2 (RF 14 px)",
        "side 3 (RF 40 px)",
        "side 4 (RF 92 px)",
        "side 5 (RF 196 px)",
    ]
    assert fig.get_suptitle() == "mine"
    # the provenance is written on the picture itself
    note = " ".join(t.get_text() for t in fig.axes[4].texts)
    assert "fine-tuned" in note and "BSDS500" in note and "not" in note
    maps = fake_edge_maps()
    del maps["HED side 3"]
    with pytest.raises(ValueError, match="HED side 3"):
        plot.plot_learned_edges(photo, maps)


def test_plot_first_layer_filters_groups_every_filter_once():
    from cnnlab.filters import learned

    w = first_layer_filters_standin()  # three edges, one colour (green only), one flat
    fig = plot.plot_first_layer_filters(w, cols=2)
    headings = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert headings == [
        "3 mostly an oriented brightness ramp (an edge detector)",
        "1 mostly colour differences (opposing colours)",
        "1 neither (blobs, bars, mixtures)",
    ]
    tiles = [ax for ax in fig.axes if ax.images]
    assert len(tiles) == 5
    assert [ax.get_title() for ax in tiles] == ["0°", "0°", "0°", "67%", ""]
    # the default is VGG16's conv1_1: 64 tiles, 41 + 19 + 4 in the headings
    fig = plot.plot_first_layer_filters()
    assert len([ax for ax in fig.axes if ax.images]) == 64
    kinds = learned.filter_kinds(learned.first_layer_filters())
    assert fig.axes[0].texts[0].get_text().startswith(f"{(kinds['kind'] == 'edge').sum()} ")
