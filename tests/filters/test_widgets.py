"""cnnlab.filters.widgets: the explorers redraw when a control changes (observers fire
synchronously, no browser needed)."""

from __future__ import annotations

from cnnlab import filters
from cnnlab.filters import widgets

from tests.filters.test_plot import texts


def test_conv_step_explorer_follows_its_sliders():
    box = widgets.conv_step_explorer()
    assert box.state["error"] is None
    assert "out[0, 0] = sum(window * w) = 0" in texts(box.state["figure"])
    box.controls["col"].value = 2
    assert "out[0, 2] = sum(window * w) = 30" in texts(box.state["figure"])
    box.controls["row"].value = 3
    assert "out[3, 2] = sum(window * w) = 30" in texts(box.state["figure"])
    assert box.controls["row"].max == 3 and box.controls["col"].max == 3


def test_filter_explorer_follows_its_dropdowns():
    box = widgets.filter_explorer(images=("coins", "camera"), size=48)
    first = box.state["figure"]
    assert first is not None and box.state["error"] is None
    assert first.get_suptitle() == "sobel_x"
    box.controls["kernel_name"].value = "laplacian"
    assert box.state["figure"] is not first
    assert box.state["figure"].get_suptitle() == "laplacian"
    box.controls["image_name"].value = "camera"
    assert box.state["figure"].get_suptitle() == "laplacian"
    assert set(box.controls["kernel_name"].options) == set(filters.KERNELS)
