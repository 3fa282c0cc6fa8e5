"""The bottleneck explorer (cnnlab.classic.widgets) follows its sliders and shows cnnlab's
message for an even kernel."""

import matplotlib.figure

from cnnlab import arith
from cnnlab.classic import widgets

from tests.figures import figure_text


def test_bottleneck_explorer_follows_its_sliders():
    box = widgets.bottleneck_explorer()
    assert isinstance(box.state["figure"], matplotlib.figure.Figure)
    assert "9.7x fewer" in box.state["figure"].axes[0].get_title()
    box.controls["bottleneck"].value = 32
    ratio = arith.conv_macs(28, 5, 192, 32) / (
        arith.conv_macs(28, 1, 192, 32) + arith.conv_macs(28, 5, 32, 32)
    )
    assert f"{ratio:.1f}x fewer" in box.state["figure"].axes[0].get_title()
    box.controls["f"].value = 4
    assert box.state["figure"] is None and "odd kernel" in box.state["error"]
    box.controls["f"].value = 3
    box.controls["c_out"].value = 64
    assert box.state["error"] is None
    assert "3x3 conv, 64 filters" in figure_text(box.state["figure"])


def test_every_control_is_a_slider_the_keyboard_can_move():
    import ipywidgets as W

    box = widgets.bottleneck_explorer()
    assert all(isinstance(c, W.IntSlider) for c in box.controls.values())  # no Dropdown


def test_the_kernel_free_explorer_has_every_frame():
    from cnnlab import frames
    from cnnlab.classic import plot

    walk = [dict(bottleneck=b, f=5, c_out=32) for b in (4, 16, 192)]
    walk += [dict(bottleneck=16, f=4, c_out=32)]
    page = frames.scrubber(plot.plot_bottleneck_costs, walk).data
    # three pictures (the even kernel has none), the first also shown before any move
    assert page.count("data:image/png;base64,") == 3 + 1
    assert "bottleneck=16, f=4, c_out=32: not possible" in page and "odd kernel" in page
    assert 'type="range"' in page and 'max="3"' in page
