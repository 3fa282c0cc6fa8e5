"""cnnlab.drawing: the shared picture primitives and the picture convention (a plot_*
function returns a Figure made outside pyplot)."""

from __future__ import annotations

import matplotlib.figure
import matplotlib.pyplot as plt
import numpy as np
import pytest

from cnnlab import drawing


def test_figure_is_outside_pyplot():
    before = plt.get_fignums()
    fig = drawing.figure((3, 2), dpi=50)
    assert isinstance(fig, matplotlib.figure.Figure)
    assert plt.get_fignums() == before  # not registered: a notebook shows it once
    assert tuple(fig.get_size_inches()) == (3, 2) and fig.dpi == 50


def test_plot_images_grid_and_titles():
    fig = drawing.plot_images([np.zeros((4, 4)), np.ones((4, 4, 3)), np.eye(4)], ["a", "b", "c"], cols=2)
    assert len(fig.axes) == 4  # a 2x2 grid, the last cell empty
    assert [ax.get_title() for ax in fig.axes[:3]] == ["a", "b", "c"]
    with pytest.raises(ValueError, match="at least one image"):
        drawing.plot_images([])


def test_draw_grid_writes_every_number_readably():
    ax = drawing.figure((3, 3)).subplots()
    drawing.draw_grid(ax, np.arange(9.0).reshape(3, 3))
    texts = sorted(ax.texts, key=lambda t: float(t.get_text()))
    assert [t.get_text() for t in texts] == [str(v) for v in range(9)]
    assert texts[0].get_color() == "black" and texts[-1].get_color() == "white"  # Greys: 8 is dark
    with pytest.raises(ValueError, match="2D array"):
        drawing.draw_grid(ax, np.zeros(3))


def test_draw_values_prints_tiny_negatives_as_zero():
    ax = drawing.figure((3, 3)).subplots()
    drawing.draw_values(ax, np.array([[-1e-12, 1.0]]), fmt="{:.2f}")
    assert [t.get_text() for t in ax.texts] == ["0.00", "1.00"]


def test_mosaic_and_to_hwc():
    strip = drawing.mosaic(np.ones((3, 2, 2)), gap=1)
    assert strip.shape == (2, 3 * 3 - 1) and np.isnan(strip[:, 2]).all()
    assert drawing.to_hwc(np.zeros((3, 5, 7))).shape == (5, 7, 3)
    assert drawing.to_hwc(np.full((4, 4), 2.0)).max() == 1.0  # floats clipped to [0, 1]


def test_plot_grids():
    fig = drawing.plot_grids([np.eye(3), np.ones((2, 4))], ["a", "b"])
    assert [ax.get_title() for ax in fig.axes] == ["a", "b"]
    assert len(fig.axes[0].texts) == 9 and len(fig.axes[1].texts) == 8
    with pytest.raises(ValueError, match="2D arrays"):
        drawing.plot_grids([np.zeros(3)])
    with pytest.raises(ValueError, match="2D arrays"):
        drawing.plot_grids([])
    with pytest.raises(ValueError, match="titles"):
        drawing.plot_grids([np.eye(2)], ["a", "b"])


