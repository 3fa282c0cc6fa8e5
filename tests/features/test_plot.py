"""cnnlab.features.plot: the pictures of hand-made features."""

import matplotlib.figure
import numpy as np
import pytest

from cnnlab import features
from cnnlab.data import image
from cnnlab.features import plot


def test_plot_hand_made_features():
    img = image("chelsea", size=64)
    _, picture = features.hog(img, cell=8, visualize=True)
    fig = plot.plot_hand_made_features(img, features.colour_histogram(img), picture)
    assert len(fig.axes) == 3
    assert "24 numbers" in fig.axes[1].get_title()
    grey = image("camera", size=32)
    fig = plot.plot_hand_made_features(grey, features.colour_histogram(grey), grey)
    assert isinstance(fig, matplotlib.figure.Figure)
    assert [t.get_text() for t in fig.axes[1].get_legend().get_texts()] == ["grey"]
    with pytest.raises(ValueError, match="hist must be"):
        plot.plot_hand_made_features(img, np.zeros(8), picture)


def test_plot_patches():
    fig = plot.plot_patches(np.random.default_rng(7).random((10, 4, 4)), cols=4, title="words")
    ax = fig.axes[0]
    shown = ax.images[0].get_array()
    assert shown.shape == (3 * 5 - 1, 4 * 5 - 1)  # 3 rows x 4 columns of 4x4 with 1px gaps
    with pytest.raises(ValueError, match="patches must be"):
        plot.plot_patches(np.zeros((4, 4)))
