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
