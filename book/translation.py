"""Keep the Vietnamese edition (notebooks/vi/) in step with the English lessons.

A Vietnamese lesson ``notebooks/vi/NN_name.py`` (jupytext percent, like the English one) holds
the English lesson's code cells unchanged, one extra line after the install cell that switches
cnnlab to Vietnamese (:data:`LANGUAGE_CELL`), and a translation of every markdown cell. Each
translated cell records which English text it translates: the first 12 hex digits of the
SHA-256 of the English cell, in the cell's header::

    # %% [markdown] en="3f1c0a9b7d2e"

When the English cell changes its hash changes, and ``check`` (and tests/test_translation.py)
names the cell as stale, the way a .po file marks an entry fuzzy. ``build`` writes the
Vietnamese .ipynb from the Vietnamese .py and the *executed English .ipynb* (its cell ids and
metadata), then executes it, so that its outputs are its own and cnnlab speaks Vietnamese in
them (checkers' feedback, progress bars, widget labels); the code being the English code,
its numbers are the English run's wherever the English lesson is reproducible.

    python book/translation.py start 03_padding_stride_dilation   # a skeleton to translate
    python book/translation.py update     # follow English edits (new cells come in English)
    python book/translation.py check      # what is untranslated, stale or out of step
    python book/translation.py build      # write notebooks/vi/*.ipynb
    python book/translation.py landing    # write notebooks/START_HERE.ipynb

``make lab`` opens notebooks/START_HERE.ipynb: the lessons in English and in Vietnamese, each
linked, with their titles taken from the lessons themselves.
"""

from __future__ import annotations

import argparse
import copy
import difflib
import hashlib
import re
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
VI = NOTEBOOKS / "vi"
LESSON = re.compile(r"^\d\d_.+\.py$")

#: The one code line the Vietnamese edition adds, as its own cell after the install cell.
LANGUAGE_CELL = 'import cnnlab; cnnlab.set_language("vi")  # cnnlab nói tiếng Việt'
LANGUAGE_CELL_ID = "vi-language"
#: The Vietnamese lesson that the test command also executes under nbval (running every
#: Vietnamese lesson there too would double the notebooks' share of CI for the same code).
EXECUTED = "03_padding_stride_dilation"


def english_hash(source: str) -> str:
    """The stamp a translation stores: 12 hex digits of SHA-256 of the stripped English text."""
    return hashlib.sha256(source.strip().encode("utf-8")).hexdigest()[:12]


def english_lessons() -> list[Path]:
    """notebooks/NN_*.py, in lesson order."""
    return sorted(p for p in NOTEBOOKS.glob("*.py") if LESSON.match(p.name))


def vi_path(english: Path) -> Path:
    return VI / english.name


def _is_language_cell(cell) -> bool:
    return cell.cell_type == "code" and cell.source.strip() == LANGUAGE_CELL


def _words(text: str) -> int:
    """How many words of prose a markdown cell holds (0 for a formula or an image alone)."""
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$|`[^`]*`|!\[[^\]]*\]\([^)]*\)|<[^>]+>", " ", text, flags=re.S)
    return len(re.findall(r"[A-Za-z]{3,}", text))


def with_language_cell(cells: list) -> list:
    """English cells → the Vietnamese edition's cell order (the language cell after the first
    code cell, which is the install cell)."""
    first_code = next(i for i, c in enumerate(cells) if c.cell_type == "code")
    lang = nbformat.v4.new_code_cell(LANGUAGE_CELL)
    lang.id = LANGUAGE_CELL_ID
    return cells[: first_code + 1] + [lang] + cells[first_code + 1 :]


def structure_problems(english: Path) -> list[str]:
    """What keeps the Vietnamese lesson from being built at all: missing file, the language
    cell missing or doubled, code that differs from the English, cells out of order."""
    vi = vi_path(english)
    if not vi.exists():
        return [f"{vi.relative_to(ROOT)} does not exist: run `python book/translation.py start {english.stem}`"]
    return _structure(vi, jupytext.read(english).cells, jupytext.read(vi).cells)


def _structure(vi: Path, en_cells: list, vi_cells: list) -> list[str]:
    out = []
    lang = [i for i, c in enumerate(vi_cells) if _is_language_cell(c)]
    if len(lang) != 1:
        out.append(f"{vi.name}: expected exactly one language cell {LANGUAGE_CELL!r}, found {len(lang)}")
    vi_rest = [c for c in vi_cells if not _is_language_cell(c)]
    en_code = [c.source.strip() for c in en_cells if c.cell_type == "code"]
    vi_code = [c.source.strip() for c in vi_rest if c.cell_type == "code"]
    if en_code != vi_code:
        for i, (a, b) in enumerate(zip(en_code, vi_code, strict=False)):
            if a != b:
                out.append(f"{vi.name}: code cell {i} differs from the English lesson (run `update`)")
                break
        else:
            out.append(f"{vi.name}: {len(vi_code)} code cells, the English lesson has {len(en_code)} (run `update`)")
    if [c.cell_type for c in en_cells] != [c.cell_type for c in vi_rest]:
        out.append(f"{vi.name}: the cells are not in the English lesson's order (run `update`)")
    return out


def problems(english: Path) -> list[str]:
    """Everything that keeps the Vietnamese lesson for ``english`` from being complete and in
    step: :func:`structure_problems`, then markdown untranslated, stale or unstamped."""
    vi = vi_path(english)
    if not vi.exists():
        return structure_problems(english)
    en_cells, vi_cells = jupytext.read(english).cells, jupytext.read(vi).cells
    out = _structure(vi, en_cells, vi_cells)
    if out:
        return out
    vi_rest = [c for c in vi_cells if not _is_language_cell(c)]
    for i, (e, v) in enumerate(zip(en_cells, vi_rest, strict=True)):
        if e.cell_type != "markdown":
            continue
        want = english_hash(e.source)
        got = v.metadata.get("en")
        first = e.source.strip().splitlines()[0][:70] if e.source.strip() else ""
        if got is None:
            out.append(f"{vi.name}: cell {i} has no en= stamp (English: {first!r})")
        elif got != want:
            out.append(
                f"{vi.name}: cell {i} is stale: the English changed since it was translated "
                f"(English now: {first!r}); update the text, then set en=\"{want}\""
            )
        elif v.source.strip() == e.source.strip() and _words(e.source) >= 3:
            out.append(f"{vi.name}: cell {i} is not translated yet (English: {first!r})")
    return out


def start(english: Path, force: bool = False) -> Path:
    """Write the skeleton notebooks/vi/NN.py: the English lesson, every markdown cell stamped
    with its hash (text still English, to be replaced), the language cell added."""
    vi = vi_path(english)
    if vi.exists() and not force:
        raise SystemExit(f"{vi} exists; use `update` to follow English changes")
    nb = jupytext.read(english)
    for c in nb.cells:
        if c.cell_type == "markdown":
            c.metadata["en"] = english_hash(c.source)
    nb.cells = with_language_cell(nb.cells)
    VI.mkdir(exist_ok=True)
    jupytext.write(nb, vi, fmt="py:percent")
    return vi


def update(english: Path) -> list[str]:
    """Bring notebooks/vi/NN.py in line with the English lesson: code cells replaced by the
    English ones; translations kept where their English cell is still there (matched by hash,
    in order); a changed cell keeps its old translation and old stamp (so `check` calls it
    stale); a new English cell comes in untranslated. Returns what it did."""
    vi = vi_path(english)
    en_nb = jupytext.read(english)
    vi_nb = jupytext.read(vi)
    en_md = [c for c in en_nb.cells if c.cell_type == "markdown"]
    vi_md = [c for c in vi_nb.cells if c.cell_type == "markdown"]
    a = [english_hash(c.source) for c in en_md]
    b = [c.metadata.get("en") for c in vi_md]
    new_md: list = [None] * len(en_md)
    log = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            for k in range(i2 - i1):
                new_md[i1 + k] = vi_md[j1 + k]
        elif op == "replace":
            # edited in place: keep the old translations in order (flagged stale by their
            # stamps); English cells beyond them are new
            for k in range(min(i2 - i1, j2 - j1)):
                new_md[i1 + k] = vi_md[j1 + k]
                log.append(f"{vi.name}: markdown cell {i1 + k} changed in English: stale")
    for k, c in enumerate(new_md):
        if c is None:
            fresh = copy.deepcopy(en_md[k])
            fresh.metadata["en"] = a[k]
            new_md[k] = fresh
            log.append(f"{vi.name}: markdown cell {k} is new in English: to translate")
    it = iter(new_md)
    cells = [next(it) if c.cell_type == "markdown" else c for c in en_nb.cells]
    vi_nb.cells = with_language_cell(cells)
    vi_nb.metadata = en_nb.metadata
    jupytext.write(vi_nb, vi, fmt="py:percent")
    return log


def build_notebook(english: Path) -> nbformat.NotebookNode:
    """The Vietnamese .ipynb: the executed English .ipynb (outputs, counts, widget state) with
    the Vietnamese markdown and the language cell. Refuses a lesson whose code is not the
    English code."""
    vi = vi_path(english)
    bad = structure_problems(english)
    if bad:
        raise SystemExit("\n".join(bad))
    en_nb = nbformat.read(english.with_suffix(".ipynb"), as_version=4)
    vi_cells = [c for c in jupytext.read(vi).cells if not _is_language_cell(c)]
    en_src = jupytext.read(english).cells
    if [c.cell_type for c in en_nb.cells] != [c.cell_type for c in en_src]:
        raise SystemExit(f"{english.with_suffix('.ipynb').name} is not in sync with its .py: run jupytext --sync")
    nb = copy.deepcopy(en_nb)
    for cell, v in zip(nb.cells, vi_cells, strict=True):
        if cell.cell_type == "markdown":
            cell.source = v.source
            cell.metadata["en"] = v.metadata.get("en")
    nb.cells = with_language_cell(nb.cells)
    return nb


def build(english: Path) -> Path:
    """Write the Vietnamese .ipynb and execute it (in Vietnamese), so its stored outputs
    are its own: cnnlab's messages in them are Vietnamese."""
    out = vi_path(english).with_suffix(".ipynb")
    nbformat.write(build_notebook(english), out)
    subprocess.run(
        [sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute", "--inplace",
         "--ExecutePreprocessor.record_timing=False", "--ExecutePreprocessor.timeout=900",
         out.name],
        cwd=out.parent, check=True,
    )
    return out


LANDING = NOTEBOOKS / "START_HERE.ipynb"


def _title(path: Path) -> str:
    """A lesson's title: its first markdown heading, without the leading '# '."""
    first = next(c for c in jupytext.read(path).cells if c.cell_type == "markdown")
    return first.source.strip().splitlines()[0].lstrip("# ").strip()


def landing_notebook() -> nbformat.NotebookNode:
    """notebooks/START_HERE.ipynb: where `make lab` opens, one list per language."""
    en = [f"- [{_title(p)}]({p.stem}.ipynb)" for p in english_lessons()]
    vi = [f"- [{_title(vi_path(p))}](vi/{p.stem}.ipynb)" for p in english_lessons() if vi_path(p).exists()]
    cells = [
        "# cnnlab: convolutional networks, interactively\n\n"
        "One lesson per notebook. Open one, then **Run → Run All Cells**; every picture is drawn "
        "by the code above it and the sliders redraw it. Lessons in English:\n\n" + "\n".join(en),
        "## Tiếng Việt\n\n"
        "Toàn bộ khóa học cũng có bằng tiếng Việt, trong thư mục `vi/`: cùng mã, cùng kết quả, "
        "lời giảng, gợi ý bài tập và nhãn của các widget đều bằng tiếng Việt. Các bài học:\n\n"
        + "\n".join(vi),
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for i, cell in enumerate(nb.cells):
        cell.id = f"start-{i}"
    return nb


def _select(names: list[str]) -> list[Path]:
    lessons = english_lessons()
    if not names:
        return lessons
    chosen = [p for p in lessons if any(p.stem.startswith(n) for n in names)]
    if not chosen:
        raise SystemExit(f"no lesson matches {names}; lessons: {[p.stem for p in lessons]}")
    return chosen


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=["start", "update", "check", "build", "landing"])
    ap.add_argument("lessons", nargs="*", help="lesson names or number prefixes (default: all)")
    args = ap.parse_args(argv)
    lessons = _select(args.lessons)
    if args.command == "landing":
        nbformat.write(landing_notebook(), LANDING)
        print(LANDING.relative_to(ROOT))
        return 0
    if args.command == "start":
        for p in lessons:
            print(start(p).relative_to(ROOT))
        return 0
    present = [p for p in lessons if vi_path(p).exists()] if not args.lessons else lessons
    if args.command == "update":
        for p in present:
            for line in update(p):
                print(line)
        return 0
    if args.command == "check":
        found = [line for p in lessons for line in problems(p)]
        print("\n".join(found) or "every Vietnamese lesson is complete and in step")
        return 1 if found else 0
    for p in present:
        print(build(p).relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
