"""Lesson 04 pictures (cnnlab.receptive.plot): what they draw is receptive's own numbers."""

import matplotlib.figure
import numpy as np
import pytest

from cnnlab import receptive
from cnnlab.receptive import plot


def test_pictures_are_drawn():
    fig = plot.plot_receptive_field_growth([(3, 1)] * 4, 11)
    assert len(fig.axes) == 4 and "9x9" in fig.axes[-1].get_title()
    stack = [(3, 1)] * 3
    box = receptive.receptive_box(stack, 12)
    img = np.linspace(0, 1, 144).reshape(12, 12)
    fig = plot.plot_receptive_field_overlay(
        img, receptive.empirical_receptive_field(stack, 12), box
    )
    assert len(fig.axes) == 1 and len(fig.axes[0].patches) == 1
    erf = receptive.effective_receptive_field(stack, 12, draws=4)
    fig = plot.plot_receptive_field_profile(erf, box, counts=receptive.input_gradient(stack, 12))
    assert len(fig.axes) == 2
    with pytest.raises(ValueError, match="same size"):
        plot.plot_receptive_field_overlay(img, np.ones((5, 5), bool), box)


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"n_layers": 8, "kernel": 7, "stride": 1, "dilation": 3, "same": True},
        {"n_layers": 3, "kernel": 3, "stride": 2, "pool": True, "same": True},
        {"n_layers": 1, "kernel": 1},
    ],
)
def test_view_draws_the_formula_values(settings):
    fig = plot.plot_receptive_field_view(**settings)
    stack = receptive.make_stack(
        settings.get("n_layers", 4),
        settings.get("kernel", 3),
        settings.get("stride", 1),
        settings.get("dilation", 1),
        pool=settings.get("pool", False),
        same=settings.get("same", False),
    )
    rf = receptive.formula_receptive_field(stack)[-1]
    assert f"sees {rf.size}x{rf.size} px" in fig.axes[0].get_title()
    assert f"jump {rf.jump} px" in fig.texts[0].get_text()


def test_view_impossible_settings_raise_the_arith_message():
    with pytest.raises(ValueError, match="cannot produce any output.*Formula"):
        plot.plot_receptive_field_view(n_layers=8, kernel=3, stride=2)
    with pytest.raises(ValueError, match="64x64"):
        plot.plot_receptive_field_view(image=np.zeros((10, 10)))


def test_pictures_are_figures_outside_pyplot():
    import matplotlib.pyplot as plt

    fig = plot.plot_receptive_field_view()
    assert isinstance(fig, matplotlib.figure.Figure) and not plt.get_fignums()


def test_fields_of_several_units():
    vgg = [(3, 1, 1, 1), (3, 1, 1, 1), ("max", 2)] * 2 + [(3, 1, 1, 1)] * 3 + [("max", 2)]
    img = np.linspace(0, 1, 64 * 64).reshape(64, 64)
    fig = plot.plot_receptive_fields(vgg, img, [(3, 4), (0, 0)])
    assert [ax.get_title() for ax in fig.axes] == [
        "unit (3, 4): 44x44 field",
        "unit (0, 0): 44x44 field",
    ]
    assert all(len(ax.patches) == 1 for ax in fig.axes)
    with pytest.raises(ValueError, match="at least one"):
        plot.plot_receptive_fields(vgg, img, [])
