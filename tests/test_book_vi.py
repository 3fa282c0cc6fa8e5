"""The Vietnamese site (book/_build/html/vi/) next to the English one, and the switch between.

The same build as tests/test_book.py (one per test session, see ``build_once``), the same
server and headless Chromium. What is checked:

- every Vietnamese lesson is in the Vietnamese table of contents and reachable from it, and
  every English lesson has its Vietnamese page;
- on every page of both sites the language switch leads to the matching page of the other
  (lesson <-> same lesson, landing <-> landing, glossary <-> glossary), and back, from
  http:// and from file://;
- no Vietnamese page falls back to English: ``lang="vi"``, the lesson's headings are the
  Vietnamese notebook's, and no paragraph of the English page is on the Vietnamese one (this
  fails, naming the paragraphs, while a lesson is not fully translated);
- the launch and download buttons open the Vietnamese notebook;
- the map of the notes on the Vietnamese landing page matches the English one;
- diacritics are drawn with the site's own webfont, fetched from the site, with every request
  to anywhere else blocked, in headless Chromium (DevTools says which font drew the text).
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
import yaml
from bs4 import BeautifulSoup

from tests import test_book
from tests.test_book import (
    INTRO,
    NOTEBOOKS,
    NOTES_MAP,
    ROOT,
    _assert_served_locally,
    _lesson_sources,
    _open,
    _section,
    _shot,
    _table_rows,
    book_build,
)

# The English tests' fixtures: the one build of both sites, its server, the browser, a page.
site, base_url, browser, page = (
    test_book.site,
    test_book.base_url,
    test_book.browser,
    test_book.page,
)

VI_INTRO = ROOT / "book" / "vi" / "intro.md"
VI_GLOSSARY = ROOT / "book" / "vi" / "glossary.md"
VI_NOTES_MAP = "## Ghi chú bài giảng, và mỗi ý được dạy ở đâu"
# The Vietnamese lessons there are when the tests are collected (one test each).
VI_LESSONS = [nb.stem for nb in book_build.VI.lessons(NOTEBOOKS)]
# Letters only Vietnamese uses (with a, e, o, u and their tone marks), for the font checks.
DIACRITICS = "ăâđêôơư ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ ĂÂĐÊÔƠƯ"


@pytest.fixture(scope="module")
def vi_lessons(site) -> list[Path]:
    """The Vietnamese lessons as they were built (the staged copies)."""
    return book_build.lessons(site.parent / "src-vi" / "notebooks" / "vi")


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _vi_page(stem: str) -> str:
    return f"vi/notebooks/vi/{stem}.html"


def _matching(rel: str) -> str:
    """The page of the other site that a page's switch must lead to (paths from the site
    root): notebooks/NN.html <-> vi/notebooks/vi/NN.html; intro, glossary, search and
    genindex to the same page; a page with no match to the other landing page."""
    if rel.startswith("vi/"):
        inner = rel[len("vi/") :]
        if inner.startswith("notebooks/vi/"):
            return "notebooks/" + inner[len("notebooks/vi/") :]
        return inner
    if rel.startswith("notebooks/"):
        return "vi/notebooks/vi/" + rel[len("notebooks/") :]
    return "vi/" + rel


def _site_pages(site: Path) -> list[str]:
    """Every HTML page of both sites (paths from the site root), not the redirect index.html."""
    pages = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel.split("/")[-1] == "index.html" or "/_static/" in f"/{rel}" or "_sources" in rel:
            continue
        pages.append(rel)
    return pages


def _switch_href(soup: BeautifulSoup, rel: str) -> tuple[str, str]:
    """The one language switch of a page: (its target as a path from the site root, hreflang)."""
    links = soup.select("a.cnnlab-language-switch")
    assert len(links) == 1, f"{rel}: {len(links)} language switches"
    href = links[0]["href"]
    assert not urlparse(href).scheme and not href.startswith("/"), f"{rel}: not relative: {href}"
    return posixpath.normpath(posixpath.join(posixpath.dirname(rel), href)), links[0]["hreflang"]


# --- the built pages, read as files --------------------------------------------------------


def test_both_sites_are_built_by_one_build(site):
    for rel, lang in (("intro.html", "en"), ("vi/intro.html", "vi"), ("vi/glossary.html", "vi")):
        html = _soup(site / rel).html
        assert html["lang"] == lang, (rel, html.get("lang"))
    # index.html of each site redirects to its landing page.
    assert "intro.html" in (site / "vi" / "index.html").read_text(encoding="utf-8")
    # The Vietnamese edition is set in book/vi/_config.yml over book/_config.yml: the
    # repository (the launch links' one setting) is not repeated there.
    overlay = yaml.safe_load((ROOT / "book" / "vi" / "_config.yml").read_text(encoding="utf-8"))
    assert "repository" not in overlay and "launch_buttons" not in overlay
    staged = [
        yaml.safe_load((site.parent / d / "_config.yml").read_text()) for d in ("src", "src-vi")
    ]
    assert staged[0]["repository"] == staged[1]["repository"]
    assert staged[1]["sphinx"]["config"]["language"] == "vi"


def test_the_vietnamese_toc_lists_every_vietnamese_lesson(site, vi_lessons):
    toc = yaml.safe_load((site.parent / "src-vi" / "_toc.yml").read_text(encoding="utf-8"))
    assert toc["root"] == "intro"
    assert [part["caption"] for part in toc["parts"]] == list(book_build.VI.captions)
    files = [ch["file"] for part in toc["parts"] for ch in part["chapters"]]
    assert files == ["glossary", *(f"notebooks/vi/{nb.stem}" for nb in vi_lessons)]


def test_every_english_lesson_has_its_vietnamese_page(site):
    english = book_build.lessons(site.parent / "src" / "notebooks")
    missing = [nb.name for nb in english if not (site / _vi_page(nb.stem)).exists()]
    assert not missing, (
        f"English lessons with no Vietnamese page (no notebooks/vi/<name>.ipynb; "
        f"`python book/translation.py build` writes it): {missing}"
    )


def test_every_page_switches_to_the_matching_page_and_back(site):
    pages = _site_pages(site)
    assert "vi/intro.html" in pages and "intro.html" in pages and "vi/glossary.html" in pages
    wrong = []
    for rel in pages:
        target, lang = _switch_href(_soup(site / rel), rel)
        assert lang == ("en" if rel.startswith("vi/") else "vi"), (rel, lang)
        want = _matching(rel)
        if not (site / want).exists():  # no match (an English lesson not translated yet)
            want = "intro.html" if rel.startswith("vi/") else "vi/intro.html"
        if target != want:
            wrong.append(f"{rel} -> {target} (want {want})")
            continue
        back, _ = _switch_href(_soup(site / target), target)
        if _matching(target) == rel and back != rel:
            wrong.append(f"{rel} -> {target} -> {back}")
    assert not wrong, "language switches that go to the wrong page:\n" + "\n".join(wrong)


ENGLISH_GLUE = set(
    "a an the of to in on at by for from with and or but not is are was were be been it its "
    "this that these those we you our your there here which what when how why each".split()
)
NOT_PROSE = ["div.cell", "code", "pre", "span.math", "div.math", "a.headerlink", "script", "style"]


def _prose(soup: BeautifulSoup, tables: bool = True) -> set[str]:
    """The paragraphs, list items, headings (and table cells) of a page's article that come
    from markdown (not from code cells), without code and math, whitespace normalised; only
    those with at least three words of three letters or more."""
    article = soup.select_one("article.bd-article")
    for sel in NOT_PROSE + ([] if tables else ["table"]):
        for el in article.select(sel):
            el.decompose()
    tags = ["p", "li", "h1", "h2", "h3", "h4", "dt", "dd", "caption"] + (
        ["td", "th"] if tables else []
    )
    out = set()
    for el in article.find_all(tags):
        text = re.sub(r"\s+", " ", el.get_text(" ")).strip()
        words = re.findall(r"[A-Za-z]+", text)
        # English prose, not a diagram or a list of names ("conv → pool → … → softmax"):
        # three words or more, one of them a word English sentences are made of.
        if len([w for w in words if len(w) >= 3]) >= 3 and ENGLISH_GLUE & {
            w.lower() for w in words
        }:
            out.add(text)
    return out


def _no_english(site: Path, english: str, vietnamese: str, tables: bool = True) -> None:
    en, vi = _prose(_soup(site / english), tables), _prose(_soup(site / vietnamese), tables)
    left = sorted(en & vi)
    assert not left, (
        f"{vietnamese} still shows {len(left)} paragraphs of {english} in English, e.g.:\n  "
        + "\n  ".join(t[:100] for t in left[:5])
    )


@pytest.mark.parametrize("stem", VI_LESSONS)
def test_no_vietnamese_lesson_page_shows_english_text(site, stem):
    """Only passes once the lesson is translated: names the English paragraphs left."""
    path = site / _vi_page(stem)
    assert path.exists(), f"{stem} has no Vietnamese page"
    assert _soup(path).html["lang"] == "vi"
    _no_english(site, f"notebooks/{stem}.html", _vi_page(stem))


def test_the_vietnamese_landing_page_and_glossary_are_in_vietnamese(site):
    _no_english(site, "intro.html", "vi/intro.html")
    # The glossary's rows are the bilingual table of the English glossary (their definitions
    # are in English by design); its title and introduction are Vietnamese.
    _no_english(site, "glossary.html", "vi/glossary.html", tables=False)
    h1 = _soup(site / "vi" / "glossary.html").select_one("main h1").get_text(" ").strip()
    assert h1.startswith("Bảng thuật ngữ"), h1
    sidebar = _soup(site / "vi" / "intro.html").select("nav.bd-docs-nav p.caption")
    assert [c.get_text(strip=True) for c in sidebar] == list(book_build.VI.captions)


def _notebook_headings(nb: Path) -> list[str]:
    """The markdown headings (#, ##, ###) of a notebook, as the page shows their text."""
    heads = []
    for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        fenced = False
        for line in "".join(cell["source"]).splitlines():
            if line.lstrip().startswith(("```", "~~~")):
                fenced = not fenced
            m = None if fenced else re.match(r"^#{1,3} (.+)$", line)
            if m:
                heads.append(m.group(1))
    return [_heading_text(h) for h in heads]


def _heading_text(text: str) -> str:
    """Markdown heading -> its text on the page: no math, code marks, emphasis or links."""
    text = re.sub(r"\$[^$]+\$", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"`([^`]*)`", r"\1", text).replace("**", "").replace("*", "")
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("stem", VI_LESSONS)
def test_a_vietnamese_lesson_page_has_the_vietnamese_notebooks_headings(site, vi_lessons, stem):
    nb = next((p for p in vi_lessons if p.stem == stem), None)
    assert nb is not None, f"{stem} was not built"
    soup = _soup(site / _vi_page(stem))
    article = soup.select_one("article.bd-article")
    for sel in ("div.cell", "a.headerlink", "span.math"):
        for el in article.select(sel):
            el.decompose()
    shown = [
        re.sub(r"\s+", " ", h.get_text(" ")).strip() for h in article.find_all(["h1", "h2", "h3"])
    ]
    shown = [re.sub(r"\s+([,.:;?!)])", r"\1", re.sub(r"\(\s+", "(", h)) for h in shown]
    want = [
        re.sub(r"\s+([,.:;?!)])", r"\1", re.sub(r"\(\s+", "(", h)) for h in _notebook_headings(nb)
    ]
    assert shown == want, f"{stem}: the page's headings are not the Vietnamese notebook's"


def test_vietnamese_launch_and_download_buttons_open_the_vietnamese_notebook(site, vi_lessons):
    repo = yaml.safe_load((ROOT / "book" / "_config.yml").read_text())["repository"]
    owner_name = "/".join(repo["url"].rstrip("/").split("/")[-2:])
    nb = vi_lessons[0]
    rel = _vi_page(nb.stem)
    soup = _soup(site / rel)
    links = [a["href"] for a in soup.select(".dropdown-launch-buttons a")]
    for host in ("mybinder.org", "colab.research.google.com", "/hub/user-redirect/git-pull"):
        assert any(
            host in unquote(h)
            and f"notebooks/vi/{nb.name}" in unquote(h)
            and owner_name in unquote(h)
            for h in links
        ), (host, links)
    downloads = [a["href"] for a in soup.select(".dropdown-download-buttons a")]
    ipynb = [h for h in downloads if h.endswith(f"/{nb.name}")]
    assert ipynb, downloads
    got = site / posixpath.normpath(posixpath.join(posixpath.dirname(rel), ipynb[0]))
    cells = json.loads(got.read_text(encoding="utf-8"))["cells"]
    # The Vietnamese edition's own code line (book/translation.py's language cell).
    assert any('set_language("vi")' in "".join(c["source"]) for c in cells), (
        "not the Vietnamese notebook"
    )


def test_the_english_landing_page_says_there_is_a_vietnamese_edition(site):
    note = _soup(site / "intro.html").select_one('article p[lang="vi"]')
    assert note is not None and "tiếng Việt" in note.get_text()
    assert note.select_one('a[href="vi/intro.html"]') is not None
    back = _soup(site / "vi" / "intro.html").select_one(
        'article p[lang="en"] a[href="../intro.html"]'
    )
    assert back is not None


# --- the Vietnamese landing page's map of the notes (book/vi/intro.md) ---------------------

LINK = re.compile(r"\[(\d\d) [^\]]+\]\(notebooks/(?:vi/)?([^)]+)\.ipynb\)")


def _map_refs(cell: str, numbers: dict[str, dict[str, str]] | None = None) -> list[tuple]:
    """The (lesson, section) references of a map cell, in order. The Vietnamese map writes
    "§4" or "§4.2"; the English one "§4 Title" or "§4 Title › Sub": with numbers (lesson ->
    heading text -> key) the English titles become the same keys."""
    parts = LINK.split(cell)
    refs = []
    for number, stem, text in zip(parts[1::3], parts[2::3], parts[3::3], strict=True):
        if numbers is None:
            keys = [m.group(0)[1:] for m in re.finditer(r"§\d+[a-z]?(?:\.\d+)?", text)]
        else:
            keys = []
            for num, title in re.findall(r"§(\d+[a-z]?) ([^;]+)", text):
                title = title.strip()
                keys.append(num if " › " not in title else numbers[stem][title])
        refs.append((number, stem, tuple(keys)))
    return refs


def test_the_vietnamese_map_of_the_notes_matches_the_english_one():
    en_rows = _table_rows(_section(INTRO.read_text(encoding="utf-8"), NOTES_MAP))
    vi_rows = _table_rows(_section(VI_INTRO.read_text(encoding="utf-8"), VI_NOTES_MAP))
    assert len(vi_rows) == len(en_rows)
    # English "§6 Title › Sub" -> "6.k": the k-th ### of section 6 of the English lesson.
    numbers = {}
    for src in _lesson_sources().values():
        numbers[src.stem] = {}
        sub_titles = book_build.section_titles(src.with_suffix(".ipynb"))
        for key, title in sub_titles.items():
            numbers[src.stem][title] = key
    for en, vi in zip(en_rows, vi_rows, strict=True):
        assert len(en) == len(vi), (en, vi)
        if len(en) == 3:
            assert en[0] == vi[0], "the weeks differ"
        else:  # the lecture's own section numbers
            assert en[0].split(" ")[0] == vi[0].split(" ")[0], (en[0], vi[0])
        if en[-1].startswith("not covered"):
            assert vi[-1].startswith("chưa có"), vi
            continue
        assert _map_refs(vi[-1]) == _map_refs(en[-1], numbers), (en[-1], vi[-1])
        assert "notebooks/vi/" in vi[-1], vi[-1]


def test_every_section_the_vietnamese_map_names_exists(site):
    """The staged page spells each §k out from the Vietnamese lesson; none is left bare."""
    vi_nbs = {nb.stem: nb for nb in book_build.VI.lessons(NOTEBOOKS)}
    titles = {stem: book_build.section_titles(nb) for stem, nb in vi_nbs.items()}
    _, unresolved = book_build.expand_section_refs(VI_INTRO.read_text(encoding="utf-8"), titles)
    assert not unresolved, f"the map names sections the Vietnamese lessons lack: {unresolved}"
    staged = (site.parent / "src-vi" / "intro.md").read_text(encoding="utf-8")
    assert not re.search(r"§\d+[a-z]?(?:\.\d+)?\s*(;|\||$)", staged, re.M), "a reference left bare"


def test_the_vietnamese_glossary_has_every_row_of_the_english_one(site):
    en = _table_rows((ROOT / "book" / "glossary.md").read_text(encoding="utf-8"))
    vi = _table_rows((site.parent / "src-vi" / "glossary.md").read_text(encoding="utf-8"))
    assert vi == en
    table = _soup(site / "vi" / "glossary.html").select_one("main table")
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headers[:2] == ["English", "Tiếng Việt"] and len(headers) == 4, headers
    assert len(table.select("tbody tr")) == len(en)
    assert table.select_one("#term-receptive-field") is not None


def test_expand_section_refs_writes_out_the_titles():
    titles = {"04_x": {"1": "Một tầng", "2": "Hai", "2.1": "Hai › Con"}}
    text = "| a | [04 X](notebooks/vi/04_x.ipynb): §1; §2.1; §9 | b §1 |\n"
    out, unresolved = book_build.expand_section_refs(text, titles)
    assert out == "| a | [04 X](notebooks/vi/04_x.ipynb): §1 Một tầng; §2 Hai › Con; §9 | b §1 |\n"
    assert unresolved == ["04_x §9"]
    out, _ = book_build.expand_section_refs(
        text, titles, fallback={"04_x": "../notebooks/04_x.html"}
    )
    assert (
        '<a href="../notebooks/04_x.html" hreflang="en">04 X</a> (bản tiếng Anh): §1 Một tầng'
        in out
    )


# --- in the browser ------------------------------------------------------------------------


def test_every_vietnamese_lesson_is_reachable_from_the_vietnamese_toc(page, base_url, vi_lessons):
    # Following the links needs the pages, not their pictures, math and widgets (the English
    # tests and the font test below load those): left out, it takes half the time.
    heavy = re.compile(r"\.(png|jpe?g|gif|svg|woff2?|ttf)$|/_static/(mathjax|widgets)/")
    page.route(heavy, lambda route: route.abort())
    _open(page, base_url + "vi/")  # vi/index.html redirects to the Vietnamese landing page
    assert page.url.endswith("/vi/intro.html"), page.url
    assert page.locator("html").get_attribute("lang") == "vi"
    hrefs = {
        a.get_attribute("href") for a in page.locator("nav.bd-docs-nav a.reference.internal").all()
    }
    missing = [nb.stem for nb in vi_lessons if f"notebooks/vi/{nb.stem}.html" not in hrefs]
    assert not missing, f"Vietnamese lessons not in the sidebar: {missing}"
    for nb in vi_lessons:
        page.locator(f"nav.bd-docs-nav a[href$='{nb.stem}.html']").click()
        page.wait_for_load_state("domcontentloaded")
        assert page.url.endswith(_vi_page(nb.stem)), page.url
        assert page.locator("main h1").count() >= 1 and page.locator(".cell").count() > 0, nb.name
    outside = [u for u in page.requests if urlparse(u).hostname not in {"127.0.0.1", None}]
    assert not outside, f"requests outside 127.0.0.1: {outside}"
    failed = [f for f in page.failures if not heavy.search(f.split(" (")[0])]
    assert not failed, f"requests that failed: {failed}"


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_clicking_the_switch_goes_to_the_same_page_in_the_other_language(
    page, base_url, site, scheme
):
    root = base_url if scheme == "http" else site.as_uri() + "/"
    stem = VI_LESSONS[0] if VI_LESSONS else None
    trips = [("vi/intro.html", "intro.html"), ("glossary.html", "vi/glossary.html")]
    if stem:
        trips.append((_vi_page(stem), f"notebooks/{stem}.html"))
    for start, other in trips:
        page.goto(urljoin(root, start), wait_until="domcontentloaded")
        for here, there in ((start, other), (other, start)):
            switch = page.locator("a.cnnlab-language-switch")
            assert switch.count() == 1 and switch.is_visible(), here
            switch.click()
            page.wait_for_url(urljoin(root, there), wait_until="domcontentloaded")
            lang = "vi" if there.startswith("vi/") else "en"
            assert page.locator("html").get_attribute("lang") == lang, there
    if scheme == "http":
        _assert_served_locally(page)


def _fonts_used(page, selector: str) -> list[dict]:
    """The fonts Chromium drew the text of an element with (its own text, not its children's;
    DevTools' CSS.getPlatformFontsForNode): [{familyName, isCustomFont, glyphCount}], where
    isCustomFont means a webfont, not a font of the system."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        assert node, f"no {selector} on the page"
        return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        cdp.detach()


# Marks, on a Vietnamese lesson, a paragraph whose own text has Vietnamese letters and the
# comment of the code cell that switches cnnlab to Vietnamese ("# cnnlab nói tiếng Việt").
MARK_VIETNAMESE = """() => {
  const own = (el) => [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.data).join("");
  const p = [...document.querySelectorAll("main p")].find((el) => /[ăâđêôơư]/.test(own(el)));
  if (p) p.id = "vi-paragraph";
  const c = [...document.querySelectorAll(".cell_input pre span")].find((el) => own(el).includes("tiếng Việt"));
  if (c) c.id = "vi-code";
}"""


def test_diacritics_render_in_the_sites_own_font(page, base_url, vi_lessons):
    # Only the site answers: anything else would be a CDN or a font service.
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if urlparse(route.request.url).hostname == "127.0.0.1"
            else route.abort("blockedbyclient")
        ),
    )
    nb = next((p for p in vi_lessons if p.stem == "03_padding_stride_dilation"), vi_lessons[0])
    _open(page, base_url + _vi_page(nb.stem))
    page.evaluate("document.fonts.ready.then(() => true)")
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert family.startswith('"Noto Sans Variable"'), family
    mono = page.evaluate("getComputedStyle(document.querySelector('.cell_input pre')).fontFamily")
    assert mono.startswith('"Noto Sans Mono Variable"'), mono
    for face in ("Noto Sans Variable", "Noto Sans Mono Variable"):
        # Loads the faces that cover these letters, then says whether they all have them.
        assert page.evaluate(
            'async ([f, t]) => { await document.fonts.load(`16px "${f}"`, t);'
            ' return document.fonts.check(`16px "${f}"`, t); }',
            [face, DIACRITICS],
        ), face
    fetched = [u for u in page.requests if "/_static/fonts/" in u and u.endswith(".woff2")]
    assert any("noto-sans-vietnamese-wght-normal.woff2" in u for u in fetched), fetched
    assert all(u.startswith(base_url) for u in fetched)
    # The title, a paragraph and the code cell that switches cnnlab to Vietnamese: every glyph
    # of them, diacritics included, drawn with the webfont, none with a system fallback.
    page.evaluate(MARK_VIETNAMESE)
    for selector, name in (
        ("article.bd-article h1", "Noto Sans"),
        ("#vi-paragraph", "Noto Sans"),
        ("#vi-code", "Noto Sans Mono"),
    ):
        fonts = _fonts_used(page, selector)
        assert fonts, selector
        assert all(f["isCustomFont"] and f["familyName"] == name for f in fonts), (selector, fonts)
    page.locator("article.bd-article h1").first.scroll_into_view_if_needed()
    _shot(page, "vi_lesson.png")
    _assert_served_locally(page)


@pytest.mark.parametrize("stem", VI_LESSONS)
def test_a_hidden_solution_is_shown_by_a_vietnamese_toggle(site, stem):
    """myst-nb's toggle of a hidden cell says what it does in Vietnamese on the Vietnamese
    site (book/vi/_config.yml), in English on the English one."""
    vi = site.joinpath(_vi_page(stem)).read_text(encoding="utf-8")
    en = site.joinpath(f"notebooks/{stem}.html").read_text(encoding="utf-8")
    assert "Show code cell" not in vi
    assert vi.count("Hiện nội dung ô mã") == en.count("Show code cell content") > 0
