"""The receptive-field explorer (cnnlab.receptive.widgets) follows every control and shows
cnnlab's message in place of an impossible picture."""

from cnnlab.receptive import widgets


def _title(box):
    return box.state["figure"].axes[0].get_title()


def _text(box):
    return box.state["figure"].texts[0].get_text()


def test_widget_reacts_to_every_control():
    box = widgets.receptive_field_explorer()
    c = box.controls
    assert box.state["error"] is None and "9x9" in _title(box)
    c["n_layers"].value = 2
    assert "5x5" in _title(box)
    c["kernel"].value = 5
    assert "9x9" in _title(box)
    c["dilation"].value = 2
    assert "17x17" in _title(box) and "have no path" in _text(box)
    c["dilation"].value = 1
    c["stride"].value = 2
    assert "13x13" in _title(box) and "jump 4 px" in _text(box)
    c["pool"].value = True
    assert "maxpool" in _text(box) and "jump 16 px" in _text(box)
    c["same"].value = True
    assert "'same'" in _text(box)
    # impossible: the maps shrink to nothing; the message replaces the figure
    c["n_layers"].value = 8
    assert box.state["figure"] is None and "cannot produce any output" in box.state["error"]
    c["n_layers"].value = 1
    assert box.state["error"] is None and box.state["figure"] is not None
