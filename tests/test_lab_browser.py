"""The explorers in real JupyterLab, in headless Chromium driven by Playwright.

Starts JupyterLab on 127.0.0.1 with a token (no outside calls), opens copies of lessons 03,
04 and 05, runs every cell, moves sliders with the keyboard and checks that the picture and
the shown numbers change, and that an impossible setting shows cnnlab's message instead of
the picture. Server and browser are always stopped.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

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


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server over copies of the lessons: yields (base_url, token)."""
    _ensure_chromium()
    tmp = tmp_path_factory.mktemp("lab")
    work = tmp / "nb"
    work.mkdir()
    for name in LESSONS.values():
        shutil.copy(ROOT / "notebooks" / name, work / name)
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
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) and not r.url.startswith("data:") else None)
    page.goto(f"{base}/lab/tree/{LESSONS[lesson]}?token={token}&reset", timeout=60_000)
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
    box.locator(".widget-output img").first.wait_for(timeout=30_000)
    return box


def _image(box) -> str:
    img = box.locator(".widget-output img")
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
