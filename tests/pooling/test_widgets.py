"""cnnlab.pooling.widgets: the pooling explorer follows its controls and shows messages."""

from cnnlab.pooling import widgets


def test_pooling_explorer_title_and_message_are_what_the_browser_test_reads():
    box = widgets.pooling_explorer()
    assert box.children[0].value == "<b>Pooling: one window per output cell</b>"
    box.controls["kernel"].value = 3
    box.controls["padding"].value = 2
    message = box.children[2].value
    assert 'class="cnnlab-error"' in message and "<b>Not possible:</b>" in message
    assert "padding" in message


def test_pooling_explorer_follows_its_controls():
    box = widgets.pooling_explorer()
    c = box.controls
    assert set(c) == {"kernel", "stride", "padding", "mode", "size", "position"}
    assert box.state["error"] is None
    title = lambda: box.state["figure"]._suptitle.get_text()  # noqa: E731
    assert title().startswith("max pooling 2×2, stride 2: 6×6 → 3×3")

    c["kernel"].value = 3
    assert "3×3, stride 2: 6×6 → 2×2" in title()
    c["stride"].value = 1
    assert "6×6 → 4×4" in title()
    c["padding"].value = 1
    assert "6×6 → 6×6" in title()
    c["mode"].value = "avg"
    assert title().startswith("avg pooling") and "mean(" in title()
    c["mode"].value = "min"
    assert title().startswith("min pooling")
    c["size"].value = 9
    assert "9×9 → 9×9" in title()
    c["position"].value = 10
    assert "out[1, 1]" in title()

    c["padding"].value = 2  # more than half of a 3-wide window: message in place
    assert box.state["figure"] is None
    assert "at most half the kernel" in box.state["error"]
    c["padding"].value = 0
    assert box.state["error"] is None and box.state["figure"] is not None
    c["kernel"].value = 5
    c["size"].value = 3  # a 5-wide window does not fit in 3 cells
    assert "smaller than the window" in box.state["error"]
    c["kernel"].value = 2
    assert box.state["error"] is None


def test_every_control_works_from_the_keyboard():
    """Sliders and toggle buttons only: JupyterLab takes a Dropdown's arrow keys."""
    import ipywidgets as W

    box = widgets.pooling_explorer()
    for name, control in box.controls.items():
        assert isinstance(control, (W.IntSlider, W.ToggleButtons)), name
    assert [label for label, _ in box.controls["mode"].options] == ["max", "average", "min"]
    assert [v for _, v in widgets.MODE_BUTTONS] == ["max", "avg", "min"]
