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


def test_plot_loss_curves_one_line_per_seed_and_rejects_short_curves():
    curves = {"a": [np.linspace(2, 1, 60), np.linspace(2, 0.5, 60)], "b": [np.ones(60)]}
    fig = plot.plot_loss_curves(curves, smooth=10)
    ax = fig.axes[0]
    assert len(ax.lines) == 3
    assert len(ax.lines[0].get_xdata()) == 51
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]
    with pytest.raises(ValueError, match="at least 10"):
        plot.plot_loss_curves({"a": [np.ones(5)]}, smooth=10)
    with pytest.raises(ValueError):
        plot.plot_loss_curves({})


def _texts(ax):
    return [t.get_text() for t in ax.texts]


def test_draw_block_reads_the_block_structure():
    from cnnlab import resnet

    ax = drawing.figure((4, 5)).subplots()
    block = resnet.Block(16, 32, 2, shortcut="projection", norm=True)
    plot.draw_block(ax, block, size=8)
    texts = _texts(ax)
    for name in ("conv1", "bn1", "relu1", "conv2", "bn2"):
        assert any(t.startswith(name + ":") for t in texts)
    assert "proj: 1x1 conv,\n16->32, stride 2" in texts
    assert "+" in texts and "32x4x4" in texts and "16x8x8" in texts
    ax2 = drawing.figure((4, 5)).subplots()
    plot.draw_block(ax2, resnet.Block(8, 8, residual=False), size=5)
    assert "+" not in _texts(ax2) and not any("shortcut" in t for t in _texts(ax2))
    ax3 = drawing.figure((4, 5)).subplots()
    plot.draw_block(ax3, resnet.Block(8, 16, 2), size=6)
    assert any("+8 zero channels" in t for t in _texts(ax3))


def test_plot_blocks_one_panel_per_block():
    from cnnlab import resnet

    fig = plot.plot_blocks(
        {"basic": resnet.Block(8, 8, norm=True), "b": resnet.Bottleneck(8, 2, 8)}
    )
    assert [ax.get_title() for ax in fig.axes] == ["basic", "b"]
    assert any(t.startswith("conv3: 1x1") for t in _texts(fig.axes[1]))
    assert plot.plot_block(resnet.Block(4, 4)).axes[0].get_title() == "residual block"
    with pytest.raises(ValueError):
        plot.plot_blocks({})
