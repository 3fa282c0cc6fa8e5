"""LeNet-5 pictures (cnnlab.lenet.plot): filters, feature maps, the conv-as-FC matrix, histories."""

import numpy as np
import pytest

from cnnlab import lenet
from cnnlab.lenet import plot


def _image_data(fig):
    return [im.get_array() for ax in fig.axes for im in ax.get_images()]


def test_plot_filters_layout_and_scale():
    w = np.random.default_rng(0).normal(size=(16, 6, 5, 5))
    fig = plot.plot_filters(w, title="conv2")
    (grid,) = _image_data(fig)
    assert grid.shape == (6 * 6 - 1, 16 * 6 - 1)  # 6 rows of 5 + gaps, 16 columns of 5 + gaps
    assert np.nanmax(np.abs(grid)) == pytest.approx(1.0)  # each filter on its own scale
    # filter 3's slice for input channel 2 sits at rows 12..16, columns 18..22
    np.testing.assert_allclose(grid[12:17, 18:23], w[3, 2] / np.abs(w[3]).max())
    fig = plot.plot_filters(np.zeros((6, 1, 5, 5)))  # all-zero filters do not divide by 0
    assert np.nanmax(np.abs(_image_data(fig)[0])) == 0
    with pytest.raises(ValueError, match="C_out, C_in, K, K"):
        plot.plot_filters(np.ones((6, 5, 5)))


def test_plot_feature_maps_rows():
    maps = lenet.feature_maps(lenet.LeNet5(), np.random.default_rng(1).normal(size=(1, 32, 32)))
    fig = plot.plot_feature_maps(maps)
    strips = _image_data(fig)
    assert [s.shape for s in strips] == [
        (32, 32), (28, 6 * 29 - 1), (14, 6 * 15 - 1), (10, 16 * 11 - 1), (5, 16 * 6 - 1),
    ]  # fmt: skip
    labels = [ax.get_ylabel() for ax in fig.axes]
    assert labels[1] == "conv1\n28x28x6" and labels[4] == "pool2\n5x5x16"
    with pytest.raises(ValueError, match="C, H, W"):
        plot.plot_feature_maps({"x": np.ones((4, 4))})
    with pytest.raises(ValueError, match="at least one"):
        plot.plot_feature_maps({})


def test_plot_conv_matrix_shows_sharing_and_sparsity():
    fig = plot.plot_conv_matrix(6, 3)
    (m,) = _image_data(fig)
    assert m.shape == (16, 36)
    filled = ~np.ma.getmaskarray(m) & np.isfinite(np.ma.filled(m, np.nan))
    assert filled.sum() == 16 * 9
    for row in np.ma.filled(m, np.nan):
        assert sorted(row[np.isfinite(row)]) == list(range(1, 10))  # the same 9 weights
    assert "144 of 576" in fig.axes[0].get_title()
    with pytest.raises(ValueError, match="kernel"):
        plot.plot_conv_matrix(3, 5)


def test_plot_histories():
    fig = plot.plot_histories({"a": {"val_acc": [0.5, 0.9]}, "b": {"val_acc": [0.6, 0.8, 0.95]}})
    lines = fig.axes[0].get_lines()
    assert [list(line.get_xdata()) for line in lines] == [[1, 2], [1, 2, 3]]
    with pytest.raises(ValueError, match="no 'val_acc'"):
        plot.plot_histories({"a": {"train_loss": [1.0]}})
    with pytest.raises(ValueError, match="at least one"):
        plot.plot_histories({})
