"""The explorers in real JupyterLab, in headless Chromium driven by Playwright.

Starts JupyterLab on 127.0.0.1 with a token (no outside calls), opens copies of lessons 03,
04 and 05 (and of the Vietnamese lesson 03, and a one-cell notebook with lesson 11's
transposed-convolution explorer, whose lesson trains a U-Net first), runs every cell, moves
sliders with the keyboard and checks that the picture and the shown numbers change, and that
an impossible setting shows cnnlab's message instead of the picture. Server and browser are
always stopped.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import nbformat
import pytest

from cnnlab import i18n

from tests.labserver import jupyterlab
from tests.test_book import CHROMIUM, CHROMIUM_ARGS, _ensure_chromium

ROOT = Path(__file__).resolve().parents[1]
SHOTS = Path(os.environ.get("CNNLAB_SHOTS", "/tmp/cnnlab_shots"))
SHOTS.mkdir(parents=True, exist_ok=True)
LESSONS = {
    "03": "03_padding_stride_dilation.ipynb",
    "04": "04_receptive_field.ipynb",
    "05": "05_pooling_equivariance.ipynb",
}
OTHERS = {"vi03": "vi_03_padding_stride_dilation.ipynb", "transposed": "transposed.ipynb"}
# Lesson 11's explorer cell, alone (its lesson trains a U-Net before it)
TRANSPOSED_CELL = (
    "from cnnlab import arithmetic\n"
    "arithmetic.widgets.conv_transpose_explorer(n=3, f=3, p=0, s=2, output_padding=0)"
)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server over copies of the lessons: yields (base_url, token)."""
    _ensure_chromium()
    tmp = tmp_path_factory.mktemp("lab")
    work = tmp / "nb"
    work.mkdir()
    for name in LESSONS.values():
        shutil.copy(ROOT / "notebooks" / name, work / name)
    shutil.copy(ROOT / "notebooks" / "vi" / LESSONS["03"], work / OTHERS["vi03"])
    nbformat.write(
        nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_code_cell(TRANSPOSED_CELL)],
            # a kernel named up front, or JupyterLab asks which one to start
            metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        ),
        work / OTHERS["transposed"],
    )
    with jupyterlab(work, tmp, timeout=60) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def _open_and_run(browser, lab, lesson):
    base, token = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    outside = []
    # data: and blob: URLs are made in the page itself (an Image widget shows its PNG as a blob)
    local = (base, "data:", f"blob:{base}")
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(local) else None)
    name = {**LESSONS, **OTHERS}[lesson]
    page.goto(f"{base}/lab/tree/{name}?token={token}&reset", timeout=60_000)
    page.wait_for_function("() => window.jupyterapp && document.querySelector('.jp-Notebook')", timeout=60_000)
    page.wait_for_selector("#jp-main-statusbar >> text=Idle", timeout=60_000)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    # every cell done: no cell still shows the busy prompt [*]
    page.wait_for_function(
        "() => { const p = [...document.querySelectorAll('.jp-InputArea-prompt')];"
        " return p.length > 0 && p.every(e => /\\[\\d+\\]/.test(e.textContent) || e.textContent.trim() === '' || e.textContent.trim() === '[ ]:'); }",
        timeout=180_000,
    )
    return page, outside


def _widget(page, title):
    box = page.locator(".jupyter-widgets.widget-vbox", has=page.get_by_text(title, exact=False)).last
    box.scroll_into_view_if_needed()
    box.locator("img.cnnlab-picture").first.wait_for(timeout=30_000)
    return box


def _image(box) -> str:
    img = box.locator("img.cnnlab-picture")
    return img.first.get_attribute("src") if img.count() else ""


def _press(page, box, label, key="ArrowRight", times=1):
    handle = box.locator(".widget-slider", has=page.get_by_text(label, exact=True)).locator(".noUi-handle")
    handle.focus()
    for _ in range(times):
        page.keyboard.press(key)
        page.wait_for_timeout(150)


def _settled(page, box, previous_src, timeout=20.0):
    """Wait for the drawing to change and then stay put for ~1 s (a move updates the
    readout before the plot). Returns the new image src, or '' when a message shows."""
    deadline, last, since = time.time() + timeout, None, time.time()
    while time.time() < deadline:
        src = _image(box)
        err = box.locator(".cnnlab-error").count()
        state = "" if err else src
        if state != last:
            last, since = state, time.time()
        elif state != previous_src and time.time() - since > 1.0:
            return state
        page.wait_for_timeout(200)
    raise AssertionError("the widget's drawing did not change after moving a slider")


def test_arithmetic_explorer_in_jupyterlab(browser, lab):
    from playwright.sync_api import expect

    page, outside = _open_and_run(browser, lab, "03")
    try:
        box = _widget(page, "Convolution arithmetic")
        size = box.locator(".cnnlab-output-size")
        expect(size).to_contain_text("= 3", timeout=30_000)  # n=7, f=3, p=0, s=2
        src = _image(box)
        _press(page, box, "padding p")  # p=1: floor((7+2-2-1)/2)+1 = 4
        src = _settled(page, box, src)
        expect(size).to_contain_text("= 4")
        assert src
        _press(page, box, "stride s", "ArrowLeft")  # s=1: 7+2-2-1+1 = 7
        src = _settled(page, box, src)
        expect(size).to_contain_text("= 7")
        _press(page, box, "kernel f", times=2)  # f=5: 7+2-4-1+1 = 5
        src = _settled(page, box, src)
        expect(size).to_contain_text("= 5")
        box.screenshot(path=str(SHOTS / "lab_03_moved.png"))  # to look at, not compared
        _press(page, box, "dilation d", times=2)  # d=3: span 13 > 9, impossible
        assert _settled(page, box, src) == ""
        message = box.locator(".cnnlab-error").inner_text()
        assert "not positive" in message and "padding" in message
        expect(size).to_contain_text("not possible")
        assert not page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count()
        assert not outside, f"requests left 127.0.0.1: {outside[:5]}"
    finally:
        page.close()


def test_receptive_field_explorer_in_jupyterlab(browser, lab):
    page, _ = _open_and_run(browser, lab, "04")
    try:
        box = _widget(page, "Receptive field of one unit")
        src = _image(box)
        _press(page, box, "layers L")
        src = _settled(page, box, src)
        _press(page, box, "kernel K", times=4)  # 5 layers of 7x7
        src = _settled(page, box, src)
        box.get_by_text("2x2 max pool after each conv").click()  # 64 -> 58 -> 29 -> ... -> nothing
        assert _settled(page, box, src) == ""
        assert "not positive" in box.locator(".cnnlab-error").inner_text()
    finally:
        page.close()


def test_pooling_explorer_in_jupyterlab(browser, lab):
    page, _ = _open_and_run(browser, lab, "05")
    try:
        box = _widget(page, "Pooling: one window per output cell")
        src = _image(box)
        _press(page, box, "kernel")  # 3x3 windows, stride 2: overlapping
        src = _settled(page, box, src)
        _press(page, box, "padding", times=2)  # padding 2 > 3 // 2
        assert _settled(page, box, src) == ""
        assert "padding" in box.locator(".cnnlab-error").inner_text()
    finally:
        page.close()


def test_transposed_explorer_in_jupyterlab(browser, lab):
    from playwright.sync_api import expect

    page, _ = _open_and_run(browser, lab, "transposed")
    try:
        box = _widget(page, "Transposed convolution arithmetic")
        size = box.locator(".cnnlab-output-size")
        expect(size).to_contain_text("= 7", timeout=30_000)  # (3-1)*2 - 0 + 2 + 0 + 1
        src = _image(box)
        _press(page, box, "output padding")  # 8: output padding picks the larger size
        src = _settled(page, box, src)
        expect(size).to_contain_text("= 8")
        _press(page, box, "padding p")  # 8 - 2 = 6
        src = _settled(page, box, src)
        expect(size).to_contain_text("= 6")
        box.screenshot(path=str(SHOTS / "lab_transposed_moved.png"))
        _press(page, box, "stride s", "ArrowLeft")  # s=1: output padding 1 is not below it
        assert _settled(page, box, src) == ""
        assert "output_padding must be smaller than the stride" in box.locator(".cnnlab-error").inner_text()
        expect(size).to_contain_text("not possible")
    finally:
        page.close()


def _vi(message: str) -> str:
    """What cnnlab shows for ``message`` in Vietnamese."""
    i18n.set_language("vi")
    try:
        return i18n.tr(message)
    finally:
        i18n.set_language("en")


def test_the_vietnamese_lesson_speaks_vietnamese_in_jupyterlab(browser, lab):
    """The Vietnamese lesson 03: its explorer's labels and its in-place message are cnnlab's
    Vietnamese ones (the notebook's only code difference is the set_language line)."""
    page, _ = _open_and_run(browser, lab, "vi03")
    try:
        box = _widget(page, _vi("Convolution arithmetic: size, padding, stride, dilation"))
        label = _vi("padding p")
        assert label != "padding p", "the catalogue has no Vietnamese for the padding slider"
        src = _image(box)
        _press(page, box, _vi("dilation d"), times=3)  # d=4: span 9 > 7, impossible
        assert _settled(page, box, src) == ""
        message = box.locator(".cnnlab-error").inner_text()
        assert _vi("Not possible:") in message and _vi("Not possible:") != "Not possible:"
        box.screenshot(path=str(SHOTS / "lab_vi_03_message.png"))
        expect_label = box.locator(".widget-slider", has=page.get_by_text(label, exact=True))
        assert expect_label.count() == 1
    finally:
        page.close()
