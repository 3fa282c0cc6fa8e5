"""cnnlab.resnet.plot: gradient norms, training curves and the identity-fit picture."""

import matplotlib.figure
import numpy as np
import pytest

from cnnlab import drawing
from cnnlab.resnet import plot


def test_plots_draw_and_reject_empty_input():
    fig = plot.plot_gradient_norms({"a": np.array([1e-9, 1e-3, 1e-1])})
    assert fig.axes[0].get_yscale() == "log"
    h = {"train_loss": [2.3, 1.0], "train_acc": [0.1, 0.7]}
    fig2 = plot.plot_training_curves({"a": h, "b": h})
    assert len(fig2.axes) == 2 and len(fig2.axes[0].lines) == 2
    fig3 = plot.plot_identity_fit({"plain": np.array([0.3, 0.1]), "res": np.zeros(2)})
    assert len(fig3.axes[0].lines) == 2
    for f in (fig, fig2, fig3):
        assert isinstance(f, matplotlib.figure.Figure)
    for fn in (plot.plot_gradient_norms, plot.plot_training_curves, plot.plot_identity_fit):
        with pytest.raises(ValueError):
            fn({})
    with pytest.raises(ValueError, match="positive"):
        plot.plot_gradient_norms({"a": np.array([0.0, 1.0])})


def test_draw_gradient_norms_draws_into_the_given_axes():
    ax = drawing.figure((4, 3)).subplots()
    assert plot.draw_gradient_norms(ax, {"a": np.array([1e-3, 1e-1]), "b": np.ones(2)}) is ax
    assert len(ax.lines) == 2 and ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]
