"""cnnlab.explorer: the scaffolding of every widget (observers fire synchronously without a
browser: set a control's value and look at box.state)."""

from __future__ import annotations

import re

import ipywidgets as W
import pytest

from cnnlab import drawing, explorer, i18n

from tests.figures import nms_standin


def draw(n, kind):
    if n > 5:
        raise ValueError(f"n must be at most 5, got {n}")
    fig = drawing.figure((2, 2))
    fig.subplots().set_title(f"{kind} {n}")
    return fig


def build():
    return explorer.explorer(
        draw,
        {"n": explorer.int_slider("n", 2, 1, 9), "kind": explorer.choice(["a", "b"], "a", "kind")},
        title="Test explorer",
    )


def test_redraws_on_every_change_and_shows_errors_in_place():
    box = build()
    assert box.state["figure"].axes[0].get_title() == "a 2" and box.state["error"] is None
    box.controls["kind"].value = "b"
    assert box.state["figure"].axes[0].get_title() == "b 2"
    box.controls["n"].value = 7
    assert box.state["figure"] is None and box.state["error"] == "n must be at most 5, got 7"
    message = box.children[2]
    assert "cnnlab-error" in message.value and "Not possible:" in message.value
    box.controls["n"].value = 3
    assert box.state["error"] is None and message.value == ""


def test_controls_are_keyboard_friendly():
    box = build()
    assert isinstance(box.controls["kind"], W.ToggleButtons)  # not a Dropdown
    assert not box.controls["n"].continuous_update  # one redraw per release or key step
    assert explorer.float_slider("x", 0.5, 0, 1, 0.1).readout_format == ".2f"


@pytest.fixture
def vietnamese():
    """cnnlab speaks Vietnamese for the test (tests/conftest.py switches back afterwards)."""
    i18n.set_language("vi")


def test_the_in_place_message_speaks_the_chosen_language(vietnamese):
    box = build()
    box.controls["n"].value = 8
    assert "Không thể:" in box.children[2].value


def _nms_explorer():
    from cnnlab.detection import shapes, widgets

    scene, cand = nms_standin()
    return widgets.nms_explorer(scene.images[0], *cand, names=shapes.CLASSES)


def _yolo_explorer():
    from cnnlab.detection import shapes, widgets

    return widgets.yolo_grid_explorer(shapes.make_shapes(2, image_size=64, seed=1), shapes.CLASSES)


def _explorer(topic, name, **kwargs):
    import importlib

    return lambda: getattr(importlib.import_module(f"cnnlab.{topic}.widgets"), name)(**kwargs)


EVERY_EXPLORER = {  # every explorer that draws from controls alone (or from generated data)
    "conv_step": _explorer("filters", "conv_step_explorer"),
    "filter": _explorer("filters", "filter_explorer", upload=False),
    "conv_arithmetic": _explorer("arithmetic", "conv_arithmetic_explorer"),
    "conv_transpose": _explorer("arithmetic", "conv_transpose_explorer"),
    "receptive_field": _explorer("receptive", "receptive_field_explorer"),
    "pooling": _explorer("pooling", "pooling_explorer"),
    "bottleneck": _explorer("classic", "bottleneck_explorer"),
    "iou": _explorer("detection", "iou_explorer"),
    "nms": _nms_explorer,
    "yolo_grid": _yolo_explorer,
    "signal_filter": _explorer("generalizations", "signal_filter_explorer"),
    "volume_slice": _explorer("generalizations", "volume_slice_explorer"),
}


@pytest.mark.parametrize("name", list(EVERY_EXPLORER))
def test_fixed_title_positions_change_no_pixel(name):
    """Explorers draw with FIXED_TITLES (faster); the picture must be the one matplotlib's
    automatic title placement gives, pixel for pixel."""
    import io

    import numpy as np
    from PIL import Image

    box = EVERY_EXPLORER[name]()
    assert box.state["error"] is None, box.state["error"]
    values = {k: c.value for k, c in box.controls.items()}
    auto = explorer.png_bytes(box.draw(**values))  # outside the explorer: automatic titles
    assert not matplotlib_rc_is(explorer.FIXED_TITLES)
    pixels = [
        np.asarray(Image.open(io.BytesIO(b)).convert("RGB")) for b in (box.picture.value, auto)
    ]
    assert pixels[0].shape == pixels[1].shape
    assert np.array_equal(pixels[0], pixels[1])


def matplotlib_rc_is(params):
    import matplotlib

    return all(matplotlib.rcParams[k] == v for k, v in params.items())


ENGLISH = re.compile(r"\b(must|got|cannot|layer|use|should|larger|smaller|outside)\b")


def _one_control_at_a_time(controls):
    """Settings that move one control through its values (or up to 8 slider values), the
    others at their first setting."""
    base = {k: c.value for k, c in controls.items()}
    for name, c in controls.items():
        if isinstance(c, (W.IntSlider, W.FloatSlider)):
            step = max((c.max - c.min) / 7, c.step)
            values = [c.min + i * step for i in range(8) if c.min + i * step <= c.max]
            values = [int(round(v)) if isinstance(c, W.IntSlider) else v for v in values]
            values.append(c.max)
        elif getattr(c, "options", None):
            values = [o[1] if isinstance(o, tuple) else o for o in c.options]
        else:
            continue
        for v in values:
            yield {**base, name: v}


@pytest.mark.parametrize("name", list(EVERY_EXPLORER))
def test_in_place_messages_speak_vietnamese(vietnamese, name):
    """Every message an explorer shows in place of its picture, over its settings, is
    cnnlab's Vietnamese, not an English message left unmarked (the receptive-field
    explorer's layer names were, until this test)."""
    box = EVERY_EXPLORER[name]()
    messages = set()
    for values in _one_control_at_a_time(box.controls):
        try:
            box.draw(**values)
        except ValueError as err:
            messages.add(str(err))
    english = [m for m in messages if ENGLISH.search(m)]
    assert not english, english[:3]
