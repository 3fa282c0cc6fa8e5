"""Lesson 04 pictures (cnnlab.receptive.plot): what they draw is receptive's own numbers."""

import matplotlib.figure
import numpy as np
import pytest

from cnnlab import receptive
from cnnlab.receptive import plot

from tests.figures import side_output_standins


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


def test_side_outputs_are_titled_with_their_receptive_fields():
    from cnnlab.receptive import side_outputs

    image, sides = side_output_standins()
    fields = side_outputs.side_output_fields()
    fig = plot.plot_side_outputs(image, sides, fields)
    titles = [ax.get_title() for ax in fig.axes]
    assert "BSDS500" in titles[0] and "ImageNet" in titles[0]  # provenance on the picture
    assert titles[1:] == [
        f"side {f.side} ({f.layer})\nRF {f.size} px, jump {f.jump}" for f in fields
    ]
    # the dashed square is the field's size, centred, even when it overflows a small map
    widths = [ax.patches[0].get_width() for ax in fig.axes[1:]]
    assert widths == [f.size for f in fields]
    with pytest.raises(ValueError, match="one field per side"):
        plot.plot_side_outputs(image, sides[:4], fields)
    with pytest.raises(ValueError, match="side 1 has shape"):
        plot.plot_side_outputs(image, [np.zeros((3, 3))] + sides[1:], fields)


def test_side_coarseness_plots_the_measured_widths():
    from cnnlab.receptive import side_outputs

    image, sides = side_output_standins()
    rows = side_outputs.side_output_coarseness(image, sides, radius=16)
    fig = plot.plot_side_coarseness(rows, title="disk")
    left, right = fig.axes
    labels = [t.get_text() for t in left.get_legend().get_texts()]
    assert labels == [f"side {r.field.side}: {r.width:.1f} px" for r in rows]
    points = right.collections[0].get_offsets()
    assert np.allclose(points, [(r.field.size, r.width) for r in rows])
    assert right.get_xscale() == "log" and fig.texts[0].get_text() == "disk"
    with pytest.raises(ValueError, match="at least one"):
        plot.plot_side_coarseness([])
