"""cnnlab.transfer.plot: the transfer curves figure."""

import matplotlib.figure
import pytest

from cnnlab.transfer import plot


def test_transfer_curves_one_line_per_strategy():
    res = {"scratch": {5: 0.9, 20: 0.95}, "fine-tune all": {5: 0.85, 20: 0.96}}
    fig = plot.plot_transfer_curves(res)
    ax = fig.axes[0]
    assert len(ax.lines) == 2
    assert ax.lines[0].get_linestyle() == "--"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(res)
    assert isinstance(fig, matplotlib.figure.Figure)


def test_transfer_curves_rejects_empty():
    with pytest.raises(ValueError):
        plot.plot_transfer_curves({})
