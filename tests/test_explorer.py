"""cnnlab.explorer: the scaffolding of every widget (observers fire synchronously without a
browser: set a control's value and look at box.state)."""

from __future__ import annotations

import ipywidgets as W
import pytest

from cnnlab import drawing, explorer, i18n


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
    i18n.set_language("vi")
    yield
    i18n.set_language("en")


def test_the_in_place_message_speaks_the_chosen_language(vietnamese):
    box = build()
    box.controls["n"].value = 8
    assert "Không thể:" in box.children[2].value
