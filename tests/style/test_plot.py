"""cnnlab.style.plot: feature maps, Gram matrices, cost curves, labelled results."""

import matplotlib.figure
import numpy as np
import pytest
import torch

from cnnlab import style
from cnnlab.style import plot


def test_plot_layer_maps():
    net = style.feature_net("random")
    with torch.no_grad():
        feats = net(torch.zeros(1, 3, 16, 24), ["relu1_1", "relu2_1"])
    fig = plot.plot_layer_maps(feats, channels=3)
    assert isinstance(fig, matplotlib.figure.Figure)
    assert len(fig.axes) == 6
    with pytest.raises(ValueError, match="empty"):
        plot.plot_layer_maps({})


def test_plot_gram():
    fig = plot.plot_gram(np.eye(3))
    assert isinstance(fig, matplotlib.figure.Figure)
    np.testing.assert_array_equal(fig.axes[0].images[0].get_array(), np.eye(3))
    with pytest.raises(ValueError, match="square"):
        plot.plot_gram(np.ones((2, 3)))
    fig = plot.plot_grams({"a": np.eye(2), "b": 2 * np.eye(2)})
    assert [ax.get_title() for ax in fig.axes[:2]] == ["a", "b"]
    assert len(fig.axes) == 4  # each with its colour bar
    with pytest.raises(ValueError, match="empty"):
        plot.plot_grams({})


def test_plot_cost_history():
    hist = {"content": [0.0, 1.0, 2.0], "style": [3.0, 2.0, 1.0], "total": [1200, 810, 420]}
    fig = plot.plot_cost_history(hist, alpha=10, beta=400, total_label="J(G) + TV", title="t")
    ax = fig.axes[0]
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [0, 10, 20])  # α·J_content
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [1200, 800, 400])  # β·J_style
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "α·J_content",
        "β·J_style",
        "J(G) + TV",
    ]
    assert ax.get_title() == "t"
    with pytest.raises(ValueError, match="history needs"):
        plot.plot_cost_history({"total": [1.0]})


def test_plot_generated_labels_every_picture_with_its_network():
    imgs = [np.zeros((4, 6, 3)), np.ones((4, 6, 3)), np.full((4, 6, 3), 0.5)]
    fig = plot.plot_generated(imgs, ["a", "b", "c"], "VGG16 from HED")
    assert fig._suptitle.get_text() == "made with: VGG16 from HED"
    assert [ax.get_title() for ax in fig.axes] == ["a", "b", "c"]
    np.testing.assert_array_equal(fig.axes[2].images[0].get_array(), imgs[2])
    fig = plot.plot_generated(imgs, ["style", "x", "y"], ["", "trained", "random"], cols=2)
    titles = [ax.get_title() for ax in fig.axes if ax.images]
    assert titles == ["style", "x\ntrained", "y\nrandom"]
    assert fig._suptitle is None
    assert len(fig.axes) == 4  # a 2x2 grid, the last one empty
    with pytest.raises(ValueError, match="one title per image"):
        plot.plot_generated(imgs, ["a"], "net")
    with pytest.raises(ValueError, match="made_with"):
        plot.plot_generated(imgs, ["a", "b", "c"], ["x"])
