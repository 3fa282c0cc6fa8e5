"""The Vietnamese edition (notebooks/vi/) cannot drift from the English lessons.

Every English lesson has a Vietnamese one whose code cells are the English code cells, plus
one line that switches cnnlab's language; every English markdown cell has a translation that
records the hash of the English text it translates (book/translation.py), so an English edit
makes the translation stale and this test fails until it is updated; and the committed
Vietnamese .ipynb has exactly the cells book/translation.py builds from the Vietnamese .py and
the executed English .ipynb, and was then executed itself (its outputs are its own, with
cnnlab speaking Vietnamese in them).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import jupytext
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("translation", ROOT / "book" / "translation.py")
translation = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(translation)

LESSONS = translation.english_lessons()


def test_there_are_lessons():
    assert LESSONS


@pytest.mark.parametrize("english", LESSONS, ids=lambda p: p.stem)
def test_the_vietnamese_lesson_is_complete_and_in_step(english):
    found = translation.problems(english)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("english", LESSONS, ids=lambda p: p.stem)
def test_the_code_is_the_english_code_plus_one_line(english):
    vi = jupytext.read(translation.vi_path(english))
    en = jupytext.read(english)
    vi_code = [c.source for c in vi.cells if c.cell_type == "code"]
    en_code = [c.source for c in en.cells if c.cell_type == "code"]
    assert vi_code.count(translation.LANGUAGE_CELL) == 1
    vi_code.remove(translation.LANGUAGE_CELL)
    assert vi_code == en_code
    # the same cell metadata too (hide-cell tags of solutions, nbval markers)
    assert [
        c.metadata
        for c in vi.cells
        if c.cell_type == "code" and c.source != translation.LANGUAGE_CELL
    ] == [c.metadata for c in en.cells if c.cell_type == "code"]


@pytest.mark.parametrize("english", LESSONS, ids=lambda p: p.stem)
def test_the_vietnamese_ipynb_is_built_and_executed_in_vietnamese(english):
    """`build` writes the lesson's cells and executes it: the stored .ipynb has exactly the
    built cells, every code cell ran (in order), and cnnlab spoke Vietnamese while it ran:
    its own words in the outputs (checkers' feedback, for one) are Vietnamese, the English
    feedback "Correct" appears in no stored output."""
    built = translation.build_notebook(english)
    stored = nbformat.read(translation.vi_path(english).with_suffix(".ipynb"), as_version=4)
    run = "run `python book/translation.py build` (it executes the lesson) and commit notebooks/vi/"
    assert [(c.cell_type, c.source) for c in stored.cells] == [
        (c.cell_type, c.source) for c in built.cells
    ], run
    code = [c for c in stored.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1)), run
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors, f"{errors[0].ename}: {errors[0].evalue}"
    language = next(i for i, c in enumerate(code) if c.source == translation.LANGUAGE_CELL)
    assert language == 1, "the language cell comes right after the install cell"
    text = "\n".join(
        str(o.get("text", ""))
        + str(o.get("data", {}).get("text/plain", ""))
        + str(o.get("data", {}).get("text/html", ""))
        for c in code
        for o in c.outputs
    )
    assert "Correct" not in text, f"{english.stem}: English feedback in the Vietnamese outputs"


# a lesson's header (jupytext keeps cell metadata such as en= in a file that has one)
HEADER = LESSONS[0].read_text().split("\n# ---\n", 1)[0] + "\n# ---\n\n"


def test_a_changed_english_cell_makes_its_translation_stale(tmp_path, monkeypatch):
    english = tmp_path / "01_demo.py"
    english.write_text(
        HEADER
        + "# %% [markdown]\n# # Title here\n\n# %%\nx = 1\n\n# %% [markdown]\n# Some words to translate.\n"
    )
    monkeypatch.setattr(translation, "VI", tmp_path / "vi")
    vi = translation.start(english)
    text = (
        vi.read_text()
        .replace("# # Title here", "# # Tiêu đề")
        .replace("# Some words to translate.", "# Vài chữ đã dịch.")
    )
    vi.write_text(text)
    assert translation.problems(english) == []
    english.write_text(english.read_text().replace("Some words", "Other words"))
    (stale,) = translation.problems(english)
    assert (
        "cell 2 is stale" in stale
        and translation.english_hash("Other words to translate.") in stale
    )
    # update keeps the old translation (still stale) and brings a new English cell in English
    english.write_text(english.read_text() + "\n# %% [markdown]\n# A brand new paragraph here.\n")
    translation.update(english)
    found = translation.problems(english)
    assert any("cell 2 is stale" in p for p in found)
    assert any("cell 3 is not translated yet" in p for p in found)
    assert "Vài chữ đã dịch." in vi.read_text()


def test_changed_code_is_caught(tmp_path, monkeypatch):
    english = tmp_path / "01_demo.py"
    english.write_text(HEADER + "# %% [markdown]\n# # Title here\n\n# %%\nx = 1\n")
    monkeypatch.setattr(translation, "VI", tmp_path / "vi")
    vi = translation.start(english)
    vi.write_text(vi.read_text().replace("x = 1", "x = 2"))
    assert any("code cell" in p for p in translation.problems(english))


def test_the_landing_page_links_every_lesson_in_both_languages():
    """`make lab` opens notebooks/START_HERE.ipynb: it must be what the lessons say now."""
    stored = nbformat.read(translation.LANDING, as_version=4)
    assert stored == translation.landing_notebook(), "run `python book/translation.py landing`"
    text = "\n".join(c.source for c in stored.cells)
    for p in LESSONS:
        assert f"]({p.stem}.ipynb)" in text and f"](vi/{p.stem}.ipynb)" in text
        assert (p.parent / "vi" / f"{p.stem}.ipynb").exists()
