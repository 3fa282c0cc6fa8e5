"""Each jupytext source notebooks/NN_*.py and its committed .ipynb must hold the same cells,
and the .ipynb must be executed (Colab, GitHub and the book show its outputs)."""

from pathlib import Path

import jupytext
import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
SOURCES = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py"))


def test_there_are_lessons():
    assert SOURCES, "no notebooks/NN_*.py lessons found"


@pytest.mark.parametrize("src", SOURCES, ids=lambda p: p.stem)
def test_pair_in_sync(src):
    ipynb = src.with_suffix(".ipynb")
    assert ipynb.exists(), f"{src.name} has no paired {ipynb.name}: run jupytext --sync"
    from_py = jupytext.read(src)
    from_nb = nbformat.read(ipynb, as_version=4)
    a = [(c.cell_type, c.source.strip()) for c in from_py.cells]
    b = [(c.cell_type, c.source.strip()) for c in from_nb.cells]
    assert len(a) == len(b), f"{src.name}: {len(a)} cells in .py, {len(b)} in .ipynb; re-sync"
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        assert x == y, f"{src.name}: cell {i} differs between .py and .ipynb; re-sync and re-execute"


@pytest.mark.parametrize("src", SOURCES, ids=lambda p: p.stem)
def test_ipynb_is_executed(src):
    nb = nbformat.read(src.with_suffix(".ipynb"), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.execution_count for c in code), (
        f"{src.with_suffix('.ipynb').name} is not fully executed: run "
        "jupyter nbconvert --to notebook --execute --inplace on it"
    )
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors, f"{src.stem}: stored outputs contain an error"
