"""Lesson 02's explorers in real JupyterLab (headless Chromium via Playwright), driven from the
keyboard only, and fed a photo through the upload button.

A small notebook holding the three explorers (the lesson's own cells, with smaller pictures)
is served by JupyterLab on 127.0.0.1. The checks: Tab to a toggle button and Space (or
Enter) picks a filter or an image; arrow keys on a slider move the window; Space on the
upload button opens the file chooser, and a PNG chosen there becomes "your photo"; a text
file named .png shows load_photo's message in place of the picture. Skipped when Chromium cannot be had (see tests/test_book.py).
"""

from __future__ import annotations

import nbformat
import numpy as np
import pytest

from tests.labserver import jupyterlab
from tests.test_book import _ensure_chromium
from tests.test_lab_browser import SHOTS, _image, _press, _settled, browser  # noqa: F401
from tests.test_own_photo import PICTURE, png_bytes

CELLS = [
    "%matplotlib inline\nfrom cnnlab import filters",
    "filters.widgets.conv_step_explorer()",
    "filters.widgets.filter_explorer(images=('camera', 'coins'), size=64)",
    "filters.widgets.learned_edges_explorer(images=('coffee',), size=64)",
]


@pytest.fixture(scope="module")
def lab02(tmp_path_factory):
    """JupyterLab over a notebook with lesson 02's explorers: yields (url, tmp folder)."""
    _ensure_chromium()
    tmp = tmp_path_factory.mktemp("lab02")
    work = tmp / "nb"
    work.mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, work / "explorers02.ipynb")
    with jupyterlab(work, tmp, timeout=60) as (base, token):
        yield f"{base}/lab/tree/explorers02.ipynb?token={token}&reset", tmp


@pytest.fixture(scope="module")
def page(browser, lab02):  # noqa: F811 (browser is the fixture imported above)
    url, _ = lab02
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url, timeout=60_000)
    page.wait_for_function("() => window.jupyterapp && document.querySelector('.jp-Notebook')", timeout=60_000)  # fmt: skip
    page.wait_for_selector("#jp-main-statusbar >> text=Idle", timeout=60_000)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(
        "() => document.querySelectorAll('.jupyter-widgets img.cnnlab-picture').length >= 3",
        timeout=180_000,
    )
    yield page
    page.close()


def _box(page, title):
    box = page.locator(".jupyter-widgets.widget-vbox", has=page.get_by_text(title, exact=True)).last
    box.scroll_into_view_if_needed()
    box.locator("img.cnnlab-picture").first.wait_for(timeout=30_000)
    return box


def _toggle(box, label):
    return box.locator(".widget-toggle-button", has_text=label).first


def _upload(page, box, path):
    """Choose ``path`` with the upload button, from the keyboard: focus it, press Space."""
    with page.expect_file_chooser(timeout=10_000) as chooser:
        box.locator(".widget-upload").first.focus()
        page.keyboard.press("Space")
    chooser.value.set_files(str(path))


def test_conv_step_explorer_moves_with_the_arrow_keys(page):
    box = _box(page, "The sliding dot product: move the window")
    src = _image(box)
    _press(page, box, "output column", times=2)
    assert _settled(page, box, src)


def test_filter_explorer_from_the_keyboard_only(page):
    box = _box(page, "One filter, one activation map")
    src = _image(box)
    _toggle(box, "sobel_x").focus()  # the selected filter
    for _ in range(5):  # sobel_x -> sobel_y, scharr_x, scharr_y, laplacian, gaussian_blur
        page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "gaussian_blur", f"Tab moved focus to {focused!r}"
    page.keyboard.press("Space")
    src = _settled(page, box, src)
    assert "mod-active" in _toggle(box, "gaussian_blur").get_attribute("class")
    _toggle(box, "coins").focus()
    page.keyboard.press("Enter")
    assert _settled(page, box, src)
    assert "mod-active" in _toggle(box, "coins").get_attribute("class")
    box.screenshot(path=str(SHOTS / "lab_02_filter_keyboard.png"))


def test_filter_explorer_takes_an_uploaded_photo_and_explains_a_bad_file(page, lab02):
    _, tmp = lab02
    box = _box(page, "One filter, one activation map")
    src = _image(box)
    photo = tmp / "mine.png"
    photo.write_bytes(png_bytes((PICTURE * 255).astype(np.uint8)))
    _upload(page, box, photo)
    src = _settled(page, box, src)
    assert "mod-active" in _toggle(box, "your photo").get_attribute("class")
    fake = tmp / "holiday.png"
    fake.write_text("Dear diary, today we went to the sea.")
    _upload(page, box, fake)
    assert _settled(page, box, src) == ""
    assert "looks like a text file" in box.locator(".cnnlab-error").inner_text()


def test_learned_edges_explorer_takes_an_uploaded_photo(page, lab02):
    _, tmp = lab02
    box = _box(page, "Designed and learned edges, on any photo")
    src = _image(box)
    photo = tmp / "mine_colour.png"
    photo.write_bytes(png_bytes((PICTURE * 255).astype(np.uint8)))
    _upload(page, box, photo)
    assert _settled(page, box, src, timeout=40)
    assert "mod-active" in _toggle(box, "your photo").get_attribute("class")
    box.screenshot(path=str(SHOTS / "lab_02_learned_upload.png"))
