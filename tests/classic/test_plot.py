"""Lesson 07 pictures (cnnlab.classic.plot): the numbers drawn come from cnnlab's own."""

import numpy as np
import pytest

from cnnlab import classic, conv, tables
from cnnlab.classic import plot

from tests.figures import figure_text


def test_layer_costs_bars_are_the_table():
    rows = tables.layer_table(classic.ALEXNET, classic.ALEXNET_INPUT)
    fig = plot.plot_layer_costs({"AlexNet": rows})
    params_ax, macs_ax = fig.axes
    heavy = [r for r in rows if r.params]
    widths = [p.get_width() for p in params_ax.patches]
    np.testing.assert_allclose(widths, [r.params / 1e6 for r in heavy])
    np.testing.assert_allclose(
        [p.get_width() for p in macs_ax.patches], [r.macs / 1e6 for r in heavy]
    )
    assert "FC layers 94%" in params_ax.get_title()
    assert "FC layers 5%" in macs_ax.get_title()
    with pytest.raises(ValueError):
        plot.plot_layer_costs({})


def test_pointwise_conv_picture():
    rng = np.random.default_rng(0)
    x = rng.integers(-3, 4, (4, 4, 5)).astype(float)
    w = rng.integers(-2, 3, (3, 4)).astype(float)
    b = np.array([1.0, 0.0, -1.0])
    fig = plot.plot_pointwise_conv(x, w, b, row=2, col=4)
    text = figure_text(fig)
    assert "x[:, 2, 4]" in text and "W (3x4)" in text and "(4 -> 3)" in text
    out = w @ x[:, 2, 4] + b
    y = conv.conv2d(x[None], w[:, :, None, None])[0] + b[:, None, None]
    np.testing.assert_allclose(out, y[:, 2, 4])
    for v in out:
        assert f"{v:.0f}" in text
    with pytest.raises(ValueError, match="outside"):
        plot.plot_pointwise_conv(x, w, row=4, col=0)
    with pytest.raises(ValueError, match="same C_in"):
        plot.plot_pointwise_conv(x, w[:, :3])


def test_bottleneck_costs_picture():
    fig = plot.plot_bottleneck_costs()
    ax = fig.axes[0]
    widths = sorted(p.get_width() for p in ax.patches)
    np.testing.assert_allclose(widths, sorted([120.4224, 2.408448, 10.0352]), rtol=1e-6)
    text = figure_text(fig)
    assert "9.7x fewer" in text and "153,632" in text and "15,920" in text
    assert "MORE" in figure_text(plot.plot_bottleneck_costs(bottleneck=192))
    with pytest.raises(ValueError, match="odd kernel"):
        plot.plot_bottleneck_costs(f=4)


@pytest.mark.parametrize("bottleneck, total", [(True, "128.0M"), (False, "303.5M")])
def test_inception_diagram(bottleneck, total):
    fig = plot.plot_inception_module(classic.INCEPTION_3A, (28, 28, 192), bottleneck)
    text = figure_text(fig)
    assert f"total {total}" in text
    assert "5x5 conv, 32\n28x28x32" in text
    assert ("1x1 conv, 16" in text) == bottleneck
    shape = "28x28x256" if bottleneck else "28x28x416"
    assert shape in text


def test_top_patches_and_maps_pictures():
    rng = np.random.default_rng(0)
    fig = plot.plot_top_patches(
        {"a": rng.random((2, 3, 1, 5, 5)), "b": rng.random((2, 3, 3, 10, 10))}
    )
    assert len(fig.axes) == 2 and "2 units x top 3" in fig.axes[0].get_title()
    with pytest.raises(ValueError):
        plot.plot_top_patches({"a": rng.random((2, 3, 5, 5))})
    maps = {
        "input": rng.random((1, 8, 8)),
        "relu": rng.random((4, 4, 4)),
        "dead": np.zeros((2, 2, 2)),
    }
    fig = plot.plot_maps_by_depth(maps, channels=3)
    assert len(fig.axes) == 3
    assert "relu\n4x4x4" in [ax.get_ylabel() for ax in fig.axes]
    with pytest.raises(ValueError):
        plot.plot_maps_by_depth({"x": np.zeros((3, 3))})


def test_pictures_say_which_network_made_them():
    rng = np.random.default_rng(0)
    fig = plot.plot_top_patches({"a": rng.random((2, 3, 3, 5, 5))}, title="VGG16 (HED)")
    assert "VGG16 (HED)" in figure_text(fig)
    raw = rng.random((1, 1, 3, 4, 4)) * 0.5
    shown = plot.patch_canvas(raw, stretch=False)
    np.testing.assert_allclose(shown, np.moveaxis(raw[0, 0], 0, -1))  # photos as they are
    assert plot.patch_canvas(raw).max() == 1.0  # digits on their own contrast
    fig = plot.plot_maps_by_depth({"x": rng.random((2, 4, 4))}, title="digits network")
    assert "digits network" in figure_text(fig)


def test_pixel_functions_picture():
    v = np.linspace(-1, 1, 11)
    target = np.abs(v[None, :] - v[:, None])
    fig = plot.plot_pixel_functions({"target": target, "flat": np.full((11, 11), 0.6)}, title="t")
    assert len(fig.axes) == 2 and "target" in figure_text(fig) and "t" in figure_text(fig)
    images = [ax.images[0] for ax in fig.axes]
    assert images[0].get_clim() == images[1].get_clim() == (0.0, 2.0)  # one shared scale
    np.testing.assert_array_equal(images[0].get_array(), target)
    with pytest.raises(ValueError, match="square"):
        plot.plot_pixel_functions({"x": np.zeros((3, 4))})
    with pytest.raises(ValueError, match="at least one"):
        plot.plot_pixel_functions({})


def test_photo_maps_picture():
    rng = np.random.default_rng(0)
    photo = rng.random((16, 20, 3))
    maps = {"conv1": rng.random((4, 16, 20)), "conv3": rng.random((8, 4, 5))}
    fig = plot.plot_photo_maps(photo, maps, {"conv1": [0, 2], "conv3": [7, 1]}, title="VGG16")
    text = figure_text(fig)
    assert "VGG16" in text and "ch 7" in text and "ch 2" in text
    assert "conv3\n4x5x8" in [ax.get_ylabel() for ax in fig.axes]
    assert len(fig.axes) == 1 + 4
    shown = [ax.images[0].get_array() for ax in fig.axes[1:]]
    np.testing.assert_array_equal(shown[2], maps["conv3"][7])
    with pytest.raises(ValueError, match="same row labels"):
        plot.plot_photo_maps(photo, maps, {"conv1": [0]})
