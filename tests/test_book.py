"""The course site: built offline from notebooks/, then looked at in a real browser.

The book is built into a temporary folder (book/build.py, as `make book` does: the English
site and the Vietnamese one in its vi/, once per test session, shared with test_book_vi.py),
served from 127.0.0.1 on a free port, and opened in headless Debian Chromium driven by
Playwright. Every request a page makes is recorded: the site must work with no internet, so
nothing may leave 127.0.0.1. Screenshots of the landing page and a lesson go to $BOOK_SHOTS (default
/tmp/book_shots) for a person to look at.
"""

from __future__ import annotations

import fcntl
import functools
import http.server
import importlib.util
import json
import os
import re
import shutil
import subprocess
import threading
import warnings
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path(os.environ.get("BOOK_SHOTS", "/tmp/book_shots"))
TIMEOUT_MS = 30_000  # generous: the machine may be busy


def _load_build():
    spec = importlib.util.spec_from_file_location("book_build", ROOT / "book" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


book_build = _load_build()
# CNNLAB_BOOK_NOTEBOOKS=DIR builds the book from another lesson folder (to try the book alone).
NOTEBOOKS = Path(os.environ.get("CNNLAB_BOOK_NOTEBOOKS", ROOT / "notebooks"))


def _widget_models(nb: Path) -> set[str]:
    """The model names (IntSliderModel, OutputModel, ...) in a notebook's saved widget state."""
    meta = json.loads(nb.read_text(encoding="utf-8")).get("metadata", {})
    state = meta.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    return {m.get("model_name", "") for m in state.get("state", {}).values()}


def _has_widget_views(nb: Path) -> bool:
    """Whether any cell output shows a widget (saved state alone, e.g. of a progress bar that
    removed itself, puts nothing on the page)."""
    cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    key = "application/vnd.jupyter.widget-view+json"
    return any(key in o.get("data", {}) for c in cells for o in c.get("outputs", []))


def _has_png(nb: Path) -> bool:
    cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    return any("image/png" in o.get("data", {}) for c in cells for o in c.get("outputs", []))


def _has_tag(nb: Path, tag: str) -> bool:
    cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    return any(tag in c.get("metadata", {}).get("tags", []) for c in cells)


def _has_math(nb: Path) -> bool:
    cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    return any(c["cell_type"] == "markdown" and "$" in "".join(c["source"]) for c in cells)


def _page(nb: Path) -> str:
    return f"notebooks/{nb.stem}.html"


# --- fixtures: the site, a server, a browser -----------------------------------------------


def _ensure_chromium() -> None:
    """Install Debian's chromium when it is missing and we can (root with apt-get); else skip."""
    if Path(CHROMIUM).exists():
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        pytest.skip(f"{CHROMIUM} is not installed and cannot be (needs root and apt-get)")
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            pytest.skip(
                f"{CHROMIUM} is not installed and `{' '.join(cmd)}` failed: {done.stderr[-400:]}"
            )


def build_once(tmp_path_factory) -> Path:
    """Build the book (both languages) once per test session: the modules that look at it
    (test_book.py, test_book_vi.py) and the xdist workers share one build, made by whoever
    comes first, under a lock; returns the HTML folder."""
    assert book_build.lessons(NOTEBOOKS), f"no lessons NN_*.ipynb in {NOTEBOOKS} to build from"
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the session's folder, above each worker's own
    out, html = root / "book", root / "book" / "_build" / "html"
    done = out / "built"
    with open(root / "book.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            book_build.build(out=out, notebooks=NOTEBOOKS, quiet=True)
            done.write_text(str(NOTEBOOKS))
    assert (html / "index.html").exists() and (html / "vi" / "index.html").exists()
    return html


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_once(tmp_path_factory)


@pytest.fixture(scope="module")
def lessons(site) -> list[Path]:
    """The lesson notebooks as they were built (the staged copies: notebooks/ may change
    while the test runs, when someone re-executes a lesson)."""
    return book_build.lessons(site.parent / "src" / "notebooks")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def base_url(site):
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    _ensure_chromium()
    from playwright.sync_api import sync_playwright  # dev extras; its browsers are not used

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page recording every request (``page.requests``) and every failed one
    (``page.failures``: no answer, or an HTTP error status)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    requests: list[str] = []
    failures: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    context.on("requestfailed", lambda r: failures.append(f"{r.url} ({r.failure})"))
    context.on("response", lambda r: r.status >= 400 and failures.append(f"{r.url} ({r.status})"))
    pg = context.new_page()
    pg.requests, pg.failures = requests, failures
    try:
        yield pg
    finally:
        context.close()


def _open(page, url: str) -> None:
    """Load a page and let its scripts (MathJax, widgets) make their requests."""
    from playwright.sync_api import TimeoutError

    page.goto(url, wait_until="load")
    try:  # on a busy machine the network may not settle in time; the checks wait themselves
        page.wait_for_load_state("networkidle", timeout=10_000)
    except TimeoutError:
        pass


def _shot(page, name: str, full_page: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=full_page)


def _assert_served_locally(page) -> None:
    """Nothing left 127.0.0.1 (data: and blob: URLs stay in the page) and nothing failed."""
    outside = [
        u
        for u in page.requests
        if urlparse(u).scheme not in {"data", "blob"} and urlparse(u).hostname != "127.0.0.1"
    ]
    assert not outside, f"requests outside 127.0.0.1: {outside}"
    # net::ERR_ABORTED is the browser cancelling a request because the page moved on (a
    # click on the language switch while MathJax still fetched its fonts), not a file that
    # could not be served: a missing one answers 404 (``failures`` has those) and a blocked
    # one fails with ERR_FAILED or ERR_BLOCKED_BY_CLIENT.
    failed = [f for f in page.failures if "/favicon.ico" not in f and "net::ERR_ABORTED" not in f]
    assert not failed, f"requests that failed: {failed}"


# --- the checks ----------------------------------------------------------------------------


def test_every_lesson_is_in_the_table_of_contents_and_reachable(page, base_url, lessons):
    _open(page, base_url)  # index.html redirects to the landing page
    assert page.url.endswith("/intro.html"), page.url
    _shot(page, "landing.png", full_page=True)
    assert page.locator("h1").first.inner_text().startswith("cnnlab")

    sidebar = page.locator("nav.bd-docs-nav a.reference.internal")
    hrefs = {a.get_attribute("href") for a in sidebar.all()}
    missing = [_page(nb) for nb in lessons if _page(nb) not in hrefs]
    assert not missing, f"lessons not in the sidebar table of contents: {missing}"

    for nb in lessons:  # follow the sidebar from page to page, as a reader would
        page.locator(f"nav.bd-docs-nav a[href$='{nb.stem}.html']").click()
        page.wait_for_load_state("load")
        assert page.url.endswith(_page(nb)), page.url
        assert page.locator("main h1").count() >= 1, f"{nb.name}: page has no title"
        assert page.locator(".cell").count() > 0, f"{nb.name}: no notebook cells on the page"
    _assert_served_locally(page)


def test_a_lesson_shows_its_plots(page, base_url, lessons):
    with_plot = [nb for nb in lessons if _has_png(nb)]
    assert with_plot, "no lesson has a stored plot (image/png output)"
    _open(page, base_url + _page(with_plot[0]))
    img = page.locator(".cell_output img").first
    img.scroll_into_view_if_needed()
    assert img.is_visible()
    assert img.evaluate("i => i.complete && i.naturalWidth > 0"), "the plot did not load"
    _assert_served_locally(page)


def test_a_lesson_has_typeset_math_and_launch_and_download_buttons(page, base_url, lessons):
    with_math = [nb for nb in lessons if _has_math(nb)]
    assert with_math, "no lesson has LaTeX math ($...$)"
    nb = with_math[0]
    _open(page, base_url + _page(nb))
    # MathJax 3 typesets into <mjx-container> elements, here from the site's own copy.
    math = page.locator("mjx-container").first
    math.wait_for(state="attached")
    assert any("/_static/mathjax/" in u for u in page.requests)

    # Binder, Colab and JupyterHub open the notebook at its path in the repository that
    # book/_config.yml names (the one setting; tests/test_launch.py checks the install cell).
    repo = yaml.safe_load((ROOT / "book" / "_config.yml").read_text())["repository"]
    owner_name = "/".join(repo["url"].rstrip("/").split("/")[-2:])
    links = [a.get_attribute("href") for a in page.locator(".dropdown-launch-buttons a").all()]
    for host in ("mybinder.org", "colab.research.google.com", "/hub/user-redirect/git-pull"):
        assert any(
            host in h and f"notebooks/{nb.name}" in h and owner_name in unquote(h) for h in links
        ), (host, owner_name, links)
    downloads = [
        a.get_attribute("href") for a in page.locator(".dropdown-download-buttons a").all()
    ]
    ipynb = [h for h in downloads if h.endswith(f"/{nb.name}")]
    assert ipynb, f"no download of {nb.name}: {downloads}"
    got = page.request.get(urljoin(page.url, ipynb[0]))
    assert got.ok and json.loads(got.body())["cells"], "the downloaded notebook is not the lesson"

    math.scroll_into_view_if_needed()
    _shot(page, "lesson.png")
    _assert_served_locally(page)


def test_solutions_are_collapsed_input_and_output(page, base_url, lessons):
    tagged = [nb for nb in lessons if _has_tag(nb, "hide-cell")]
    assert tagged, "no lesson has a solution cell tagged hide-cell"
    _open(page, base_url + _page(tagged[0]))
    cell = page.locator(".cell.tag_hide-cell").first
    assert cell.count() == 1
    assert not cell.locator("details").first.evaluate("d => d.open")
    assert not cell.locator(".cell_input").first.is_visible()
    outputs = cell.locator(".cell_output")
    assert outputs.count() == 0 or not outputs.first.is_visible()  # the answer is hidden too
    cell.locator("summary").first.click()
    assert cell.locator(".cell_input").first.is_visible()
    _assert_served_locally(page)


def test_saved_widgets_render_offline(page, base_url, lessons):
    # The widget manager and require.js are served by the site itself.
    for js in ("_static/widgets/require.js", "_static/widgets/embed-amd.js"):
        assert page.request.get(base_url + js).ok, f"{js} is not served by the site"
    with_state = [nb for nb in lessons if _widget_models(nb) and _has_widget_views(nb)]
    with_slider = [
        nb for nb in with_state if {"IntSliderModel", "FloatSliderModel"} & _widget_models(nb)
    ]
    # Lessons executed by nbconvert save their widget state (sliders, and tqdm's progress bars
    # too), and only pages with saved state load the widget scripts; while no lesson has a
    # slider, the slider check has nothing to look at.
    if not with_slider:
        pytest.skip("no lesson notebook has a slider in its saved widget state yet")
    for nb in with_state:
        _open(page, base_url + _page(nb))
        loaded = [u for u in page.requests if "/_static/widgets/" in u]
        assert any("embed-amd.js" in u for u in loaded) and any("require.js" in u for u in loaded)
        # Views are rendered from the saved state. A finished tqdm bar with leave=False is saved
        # hidden, so pages with progress bars alone need their views attached, not visible.
        page.locator(".jupyter-widgets").first.wait_for(state="attached")
        if nb in with_slider:
            slider = page.locator(".jupyter-widgets .noUi-handle").first
            slider.wait_for(state="visible")
            # The explorer's Output widget replays the figure saved with the widget state.
            page.locator(".jupyter-widgets img.cnnlab-picture").first.wait_for(state="visible")
            if nb == with_slider[0]:
                slider.scroll_into_view_if_needed()
                _shot(page, "widget.png")
        # A view whose model is missing from the saved state says so in place of the widget.
        assert page.get_by_text("Error displaying widget").count() == 0, nb.name
    _assert_served_locally(page)


def test_pages_do_not_show_nbval_markers(site, lessons):
    """`# NBVAL_CHECK_OUTPUT` is for the tests; the book's copies of the lessons drop it."""
    sources = book_build.lessons(NOTEBOOKS)
    assert any("# NBVAL_CHECK_OUTPUT" in nb.read_text(encoding="utf-8") for nb in sources)
    for nb in lessons:
        assert "NBVAL_" not in nb.read_text(encoding="utf-8"), nb.name  # the staged copy
        page = site / "notebooks" / f"{nb.stem}.html"
        assert "NBVAL_" not in page.read_text(encoding="utf-8"), page.name


def test_the_generated_toc_lists_every_lesson(site, lessons):
    toc = (site.parent / "src" / "_toc.yml").read_text()
    assert re.search(r"^root: intro$", toc, re.M)
    for nb in lessons:
        assert re.search(rf"^\s+- file: notebooks/{re.escape(nb.stem)}$", toc, re.M), nb.name


# Every lesson with a live explorer also has its kernel-free version on the page (issue 16).
KERNEL_FREE = [
    "02_convolution_filters",
    "03_padding_stride_dilation",
    "04_receptive_field",
    "05_pooling_equivariance",
    "07_classic_networks",
    "10_object_detection",
    "11_segmentation",
    "13_conv_1d_3d",
]


@pytest.mark.parametrize("stem", KERNEL_FREE)
def test_every_explorer_works_without_a_kernel(page, base_url, lessons, stem):
    """Each pre-computed scrubber on the lesson's page moves on a static page: its slider
    changes the picture's label (and the picture, unless that frame shows a message)."""
    lesson = next((nb for nb in lessons if nb.stem == stem), None)
    assert lesson is not None, f"{stem} is not in the book"
    _open(page, f"{base_url}/{_page(lesson)}")
    scrubbers = page.locator(".cnnlab-scrubber")
    assert scrubbers.count() >= 1, f"{stem} has no kernel-free explorer"
    for k in range(scrubbers.count()):
        scrub = scrubbers.nth(k)
        scrub.scroll_into_view_if_needed()
        img, label = scrub.locator("img"), scrub.locator(".cnnlab-scrubber-label")
        slider = scrub.locator("input[type=range]")
        first_src, first_label = img.get_attribute("src"), label.inner_text()
        assert first_src.startswith("data:image/png"), f"{stem} scrubber {k}: no first frame"
        last = slider.get_attribute("max")
        assert int(last) >= 1, f"{stem} scrubber {k} has a single frame"
        slider.fill(last)
        assert label.inner_text() != first_label, f"{stem} scrubber {k} did not move"
        src = img.get_attribute("src")
        assert src != first_src or "not possible" in label.inner_text()
    _shot(page, f"scrubber_{stem[:2]}.png")
    _assert_served_locally(page)


# --- the glossary and the map of the notes (book/glossary.md, book/intro.md, README.md) -----

GLOSSARY = ROOT / "book" / "glossary.md"
INTRO = ROOT / "book" / "intro.md"
README = ROOT / "README.md"
NOTES_MAP = "## The notes, and where each point is taught"
# The terms issue 13 names, and those a learner meets in the lessons (issue 17's bilingual
# glossary): each must be the English term of a row (matched in lower case, × as x).
GLOSSARY_TERMS = [
    t.strip()
    for t in (
        "activation map, adam, anchor box, augmentation, average pooling, batch, "
        "batch norm, bce, binary cross-entropy, bias, bottleneck, bounding box, "
        "channel, col2im, convolution, cross-correlation, cross-entropy, "
        "depthwise-separable convolution, dilation, downsampling, edge detection, "
        "ensembling, epoch, equivariance, feature map, filter, kernel, fine-tuning, "
        "fully connected layer, global average pooling, gram matrix, "
        "gradient descent, hog, hyperparameter, im2col, iou, l-bfgs, landmark, "
        "learning rate, leaky relu, logistic regression, map, max pooling, "
        "multi-crop, non-max suppression, one-cycle schedule, overfitting, padding, "
        "valid, same, parameter, prelu, receptive field, region proposal, "
        "residual block, relu, semantic segmentation, sigmoid, skip connection, "
        "sliding window, softmax, stride, style cost, content cost, svm, tanh, "
        "total variation, transfer learning, transposed convolution, u-net, "
        "vanishing gradient, weight decay, weight sharing, yolo, 1x1 convolution"
    ).split(",")
]
LESSON_REF = re.compile(r"\b(\d\d)(?: §(\d+))?")


def _table_rows(text: str) -> list[list[str]]:
    """The body rows of the markdown pipe tables in text, as lists of stripped cells (header
    rows, the line before a |---| separator, are left out)."""
    lines = text.splitlines()
    rows = []
    for i, line in enumerate(lines):
        if not line.startswith("|") or re.match(r"^\|[-| :]+\|$", line):
            continue
        if i + 1 < len(lines) and re.match(r"^\|[-| :]+\|$", lines[i + 1]):
            continue  # a header
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def _plain(cell: str) -> str:
    """A cell without its HTML anchor, in lower case, × written x."""
    return re.sub(r"<[^>]+>", "", cell).lower().replace("×", "x").strip()


def _section(text: str, heading: str) -> str:
    """The text from a ``## heading`` to the next heading of that level."""
    start = text.index(heading + "\n")
    end = text.find("\n## ", start + len(heading))
    return text[start : end if end >= 0 else len(text)]


def _lesson_sources() -> dict[str, Path]:
    """Lesson number ("01") -> its jupytext source."""
    return {p.name[:2]: p for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py"))}


def _headings(source: Path, level: str) -> list[str]:
    """The markdown headings of a jupytext lesson at one level ("##" or "###")."""
    prefix = f"# {level} "
    return [
        line[len(prefix) :].strip()
        for line in source.read_text(encoding="utf-8").splitlines()
        if line.startswith(prefix)
    ]


def test_the_toc_lists_the_glossary_right_after_the_landing_page(tmp_path):
    pages = ["notebooks/01_why_cnn", "notebooks/02_convolution_filters"]
    toc = yaml.safe_load(book_build.toc_yaml(pages))
    assert toc["root"] == "intro"
    files = [ch["file"] for part in toc["parts"] for ch in part["chapters"]]
    assert files == ["glossary", *pages]
    # With no lessons yet, the glossary is still there.
    empty = yaml.safe_load(book_build.toc_yaml([]))
    assert [ch["file"] for part in empty["parts"] for ch in part["chapters"]] == ["glossary"]
    # The staged tree holds the page and the generated toc names it.
    static = tmp_path / "static"
    (static / "widgets").mkdir(parents=True)
    book_build.stage(tmp_path / "src", NOTEBOOKS, static)
    assert (tmp_path / "src" / "glossary.md").read_text() == GLOSSARY.read_text()
    staged = yaml.safe_load((tmp_path / "src" / "_toc.yml").read_text())
    assert staged["parts"][0]["chapters"][0]["file"] == "glossary"


def test_every_glossary_row_has_four_cells_and_one_term_per_concept():
    rows = _table_rows(GLOSSARY.read_text(encoding="utf-8"))
    assert len(rows) >= len(GLOSSARY_TERMS)
    for row in rows:
        assert len(row) == 4 and all(_plain(c) for c in row), row
    english = [_plain(r[0]) for r in rows]
    vietnamese = [r[1].rstrip(" †‡").lower() for r in rows]
    for name, column in (("English", english), ("Vietnamese", vietnamese)):
        twice = sorted({t for t in column if column.count(t) > 1})
        assert not twice, f"{name} terms listed twice: {twice}"
    # One anchor per row, term-<slug of the English term>, so pages can link to a term.
    anchors = [re.match(r'<span id="(term-[a-z0-9-]+)"></span>', r[0]) for r in rows]
    assert all(anchors), [r[0] for r, a in zip(rows, anchors) if not a]
    ids = [a.group(1) for a in anchors]
    assert len(set(ids)) == len(ids)
    assert "term-im2col" in ids and "term-receptive-field" in ids


def _term_names(cell: str) -> set[str]:
    """The names an English cell gives its term: "padding (valid / same)" gives padding,
    valid and same; "filter / kernel" gives filter and kernel."""
    text = _plain(cell)
    base, _, inner = text.partition(" (")
    names = set()
    for part in (base, inner.rstrip(")")):
        names.update(n.strip() for n in re.split(r" / |, ", part) if n.strip())
    return names


def test_the_glossary_has_every_term_a_learner_meets():
    rows = _table_rows(GLOSSARY.read_text(encoding="utf-8"))
    names = set().union(*(_term_names(r[0]) for r in rows))
    missing = [t for t in GLOSSARY_TERMS if t not in names]
    assert not missing, f"terms missing from the glossary: {missing}"


def test_the_glossary_names_lessons_and_sections_that_exist():
    sources = _lesson_sources()
    for row in _table_rows(GLOSSARY.read_text(encoding="utf-8")):
        for lesson, section in LESSON_REF.findall(row[3]):
            assert 1 <= int(lesson) <= 13, (row[0], lesson)
            if lesson not in sources:
                continue  # a lesson being written (the map's check warns about it)
            if section:
                numbered = [h.split(".")[0] for h in _headings(sources[lesson], "##")]
                assert section in numbered, f"{row[0]}: lesson {lesson} has no section {section}"


def test_the_notes_map_is_the_same_in_the_readme_and_on_the_landing_page():
    readme = README.read_text(encoding="utf-8")
    intro = INTRO.read_text(encoding="utf-8")
    # The README's section comes right after "## The course".
    headings = re.findall(r"^## .+$", readme, re.M)
    assert headings[headings.index("## The course") + 1] == NOTES_MAP
    tables = [_table_rows(_section(text, NOTES_MAP)) for text in (readme, intro)]
    assert tables[0] == tables[1], "the README and book/intro.md map the notes differently"
    rows = tables[0]
    assert all(all(cell for cell in row) for row in rows)
    # Every numbered section of the Vietnamese lecture, in order, then the four weeks.
    lecture = [r[0].split(" ")[0].rstrip(".,") for r in rows if len(r) == 2]
    assert [n for n in lecture if "." in n or n.isdigit()][:1] == ["1"]
    for number in ("1", "2", "3", "3.2", "4", "5", "6", "6.2", "7"):
        assert number in lecture, f"the lecture's section {number} is not in the map"
    weeks = [r[0] for r in rows if len(r) == 3]
    assert weeks == sorted(weeks) and set(weeks) == {"1", "2", "3", "4"}


def test_the_notes_map_names_sections_that_exist():
    """Every "§k Title" of the map is heading "## k. Title" of the lesson it follows (and
    "› Sub" a "### Sub" of it); every link to a lesson names its notebook."""
    sources = _lesson_sources()
    link = re.compile(r"\[(\d\d) [^\]]+\]\(notebooks/([^)]+)\.ipynb\)")
    for row in _table_rows(_section(INTRO.read_text(encoding="utf-8"), NOTES_MAP)):
        cell = row[-1]
        parts = link.split(cell)  # text, number, stem, refs, number, stem, refs, ...
        if len(parts) == 1:
            assert cell.startswith("not covered"), row
            continue
        for number, stem, refs in zip(parts[1::3], parts[2::3], parts[3::3]):
            if number not in sources:
                warnings.warn(
                    f"the map links lesson {number} ({stem}), not written yet", stacklevel=1
                )
                continue
            assert sources[number].stem == stem, f"lesson {number} is {sources[number].stem}"
            sections = _headings(sources[number], "##")
            for ref in re.findall(r"§(\d+) ([^;]+)", refs):
                title, *sub = [t.strip() for t in ref[1].split(" › ")]
                assert f"{ref[0]}. {title}" in sections, (number, ref, sections)
                for s in sub:
                    assert s in _headings(sources[number], "###"), (number, s)


def test_the_glossary_page_renders_its_table(page, base_url):
    rows = _table_rows(GLOSSARY.read_text(encoding="utf-8"))
    # In the sidebar of the landing page, the glossary comes first, before the lessons.
    _open(page, base_url)
    sidebar = page.locator("nav.bd-docs-nav a.reference.internal")
    assert sidebar.first.get_attribute("href") == "glossary.html"
    sidebar.first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/glossary.html"), page.url
    assert page.locator("main h1").first.inner_text().startswith("Glossary")
    table = page.locator("main table").first
    headers = [h.inner_text().strip() for h in table.locator("thead th").all()]
    assert headers == ["English", "Tiếng Việt", "Meaning", "Lesson"], headers
    assert table.locator("tbody tr").count() == len(rows)
    row = table.locator("tbody tr", has=page.locator("#term-receptive-field"))
    assert row.count() == 1 and "vùng tiếp nhận" in row.inner_text()
    assert row.locator("td").count() == 4
    row.scroll_into_view_if_needed()
    _shot(page, "glossary.png")
    _assert_served_locally(page)
