"""cnnlab.filters.widgets: the explorers redraw when a control changes (observers fire
synchronously, no browser needed), every control is one the keyboard can drive in JupyterLab,
and an uploaded photo is used, or its problem shown in place."""

from __future__ import annotations

import ipywidgets as W
import numpy as np
import pytest

from cnnlab import filters
from cnnlab.filters import widgets

from tests.filters.test_plot import texts
from tests.test_own_photo import PICTURE, png_bytes, upload_value

#: Controls JupyterLab lets the keyboard drive: arrow keys on a slider handle, Tab + Space
#: on a button. A Dropdown is not one of them: JupyterLab takes its ArrowUp/ArrowDown.
KEYBOARD_CONTROLS = (W.IntSlider, W.FloatSlider, W.SelectionSlider, W.ToggleButtons, W.FileUpload)

PHOTO_PNG = png_bytes((PICTURE * 255).astype(np.uint8))


def test_conv_step_explorer_follows_its_sliders():
    box = widgets.conv_step_explorer()
    assert box.state["error"] is None
    assert "out[0, 0] = sum(window * w) = 0" in texts(box.state["figure"])
    box.controls["col"].value = 2
    assert "out[0, 2] = sum(window * w) = 30" in texts(box.state["figure"])
    box.controls["row"].value = 3
    assert "out[3, 2] = sum(window * w) = 30" in texts(box.state["figure"])
    assert box.controls["row"].max == 3 and box.controls["col"].max == 3
    # the drawing alone, for the kernel-free frames of the book
    assert "out[1, 1] = sum(window * w) = 30" in texts(box.draw(row=1, col=1))


def test_filter_explorer_follows_its_toggle_buttons():
    box = widgets.filter_explorer(images=("coins", "camera"), size=48)
    first = box.state["figure"]
    assert first is not None and box.state["error"] is None
    assert first.get_suptitle() == "sobel_x on coins"
    box.controls["kernel_name"].value = "laplacian"
    assert box.state["figure"] is not first
    assert box.state["figure"].get_suptitle() == "laplacian on coins"
    box.controls["image_name"].value = "camera"
    assert box.state["figure"].get_suptitle() == "laplacian on camera"
    assert set(box.controls["kernel_name"].options) == set(filters.KERNELS)
    assert [v for _, v in box.controls["image_name"].options] == ["coins", "camera", widgets.PHOTO]
    assert box.draw(kernel_name="identity", image_name="coins").get_suptitle() == (
        "identity on coins"
    )


@pytest.mark.parametrize(
    "build",
    [
        widgets.conv_step_explorer,
        lambda: widgets.filter_explorer(images=("coins",), size=32),
        lambda: widgets.learned_edges_explorer(images=("coffee",), size=48),
    ],
)
def test_every_control_can_be_driven_from_the_keyboard(build):
    box = build()
    for name, control in box.controls.items():
        assert isinstance(control, KEYBOARD_CONTROLS), (name, type(control).__name__)
        assert not isinstance(control, W.Dropdown), name


def test_filter_explorer_uses_an_uploaded_photo_and_explains_a_bad_one():
    box = widgets.filter_explorer(images=("coins",), size=48)
    box.controls["image_name"].value = widgets.PHOTO
    assert box.state["figure"] is None and "no photo yet" in box.state["error"]
    box.controls["photo"].value = upload_value(PHOTO_PNG)
    assert box.state["error"] is None
    fig = box.state["figure"]
    assert fig.get_suptitle() == "sobel_x on your photo"
    assert "image 32x48" in [ax.get_title() for ax in fig.axes]  # grey, longer side 48
    box.controls["photo"].value = upload_value(b"just some text\n", name="cat.png")
    assert box.state["figure"] is None
    assert "could not read 'cat.png' as a picture: it looks like a text file" in box.state["error"]
    box.controls["image_name"].value = "coins"  # the shipped images still work
    assert box.state["error"] is None


def test_an_upload_selects_your_photo_at_once():
    box = widgets.filter_explorer(images=("coins",), size=48)
    assert box.controls["image_name"].value == "coins"
    box.controls["photo"].value = upload_value(PHOTO_PNG)
    assert box.controls["image_name"].value == widgets.PHOTO
    assert box.state["figure"].get_suptitle() == "sobel_x on your photo"


def test_filter_explorer_takes_a_photo_path(tmp_path):
    path = tmp_path / "mine.png"
    path.write_bytes(PHOTO_PNG)
    box = widgets.filter_explorer(images=(), size=48, photo=path, upload=False)
    assert list(box.controls) == ["kernel_name", "image_name"]
    assert box.state["figure"].get_suptitle() == "sobel_x on your photo"
    (tmp_path / "fake.png").write_text("not a picture")
    with pytest.raises(ValueError, match="looks like a text file"):
        widgets.filter_explorer(images=(), photo=tmp_path / "fake.png")
    with pytest.raises(ValueError, match="at least one image"):
        widgets.filter_explorer(images=(), upload=False)


def test_learned_edges_explorer_on_a_photo_an_upload_and_a_grey_upload():
    box = widgets.learned_edges_explorer(images=("coffee",), size=48)
    assert box.state["error"] is None
    assert box.state["figure"].get_suptitle() == "Edges of coffee"
    box.controls["photo"].value = upload_value(PHOTO_PNG)
    assert box.controls["image_name"].value == widgets.PHOTO
    assert box.state["figure"].get_suptitle() == "Edges of your photo"
    grey = png_bytes((PICTURE[..., 0] * 255).astype(np.uint8))
    box.controls["photo"].value = upload_value(grey, name="grey.png")
    assert box.state["figure"] is None and "grey picture" in box.state["error"]
