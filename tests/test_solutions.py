"""Every exercise's solution is hidden, its answer included: in JupyterLab the cell is
collapsed (source and outputs), in the book it sits behind one toggle (Jupyter Book's
``hide-cell`` tag). A solution cell is a code cell with a ``# Solution`` comment among its
first lines (after any nbval marker), or one tagged to be hidden."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) + sorted(
    (ROOT / "notebooks").glob("vi/[0-9][0-9]_*.ipynb")
)


def _is_solution(cell):
    head = [line.strip() for line in cell.source.strip().splitlines()[:3]]
    tags = set(cell.metadata.get("tags", []))
    return any(line.startswith("# Solution") for line in head) or bool(
        tags & {"hide-input", "hide-cell", "hide-output"}
    )


def solution_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and _is_solution(c)]


def test_lessons_have_solutions():
    assert sum(len(solution_cells(nbformat.read(p, as_version=4))) for p in NOTEBOOKS) >= 30


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_solution_hides_its_input_and_its_output(path):
    nb = nbformat.read(path, as_version=4)
    for cell in solution_cells(nb):
        first = cell.source.strip().splitlines()[0]
        tags = cell.metadata.get("tags", [])
        assert "hide-cell" in tags, f"{path.name}: '{first}' is not tagged hide-cell (book)"
        hidden = cell.metadata.get("jupyter", {})
        assert hidden.get("source_hidden") and hidden.get("outputs_hidden"), (
            f"{path.name}: '{first}' shows its source or its output in JupyterLab"
        )
