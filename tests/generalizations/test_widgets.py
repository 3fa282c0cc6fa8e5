"""cnnlab.generalizations.widgets: the signal-filter and volume-slice explorers redraw."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

from cnnlab.generalizations import signals, widgets  # noqa: E402


def test_signal_filter_explorer_redraws():
    box = widgets.signal_filter_explorer()
    c = box.controls
    assert box.state["error"] is None
    first = box.state["figure"]
    np.testing.assert_allclose(
        first.axes[2].lines[0].get_ydata(),
        signals.filter_signal(signals.eeg()[0], signals.moving_average(9)),
    )
    c["width"].value = 21
    assert box.state["figure"] is not first
    assert box.state["figure"].axes[0].get_title() == "kernel w, K = 21"
    c["kernel_name"].value = "derivative"
    assert box.state["figure"].axes[0].get_title() == "kernel w, K = 3"
    c["signal"].value = "membrane potential"
    assert box.state["figure"].axes[2].get_xlabel() == "ms"
    c["pad"].value = "valid"
    assert "12000 → 11998 samples" in box.state["figure"].axes[1].get_title()
    assert box.state["error"] is None


def test_volume_slice_explorer_redraws():
    box = widgets.volume_slice_explorer(size=24)
    c = box.controls
    assert c["index"].max == 23 and box.state["error"] is None
    assert "coronal, y = 12" in box.state["figure"].axes[0].get_title()
    c["view"].value = "sagittal"
    c["index"].value = 3
    assert "sagittal, x = 3" in box.state["figure"].axes[0].get_title()
    clim = box.state["figure"].axes[1].images[0].get_clim()
    c["edges"].value = "2D Sobel per slice, 1x3x3"
    assert box.state["figure"].axes[1].get_title().startswith("2D Sobel per slice")
    assert box.state["figure"].axes[1].images[0].get_clim() == clim  # one shared scale
