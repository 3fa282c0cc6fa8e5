"""nbval runs one Vietnamese lesson for real (book/translation.py's EXECUTED), not all of them.

The other Vietnamese lessons are the English code with translated markdown, each already
executed in Vietnamese by `python book/translation.py build` (its stored outputs are its
own); tests/test_translation.py proves the code is the same and that every stored lesson
ran, so running them again would only double the test time.
"""

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "translation", Path(__file__).resolve().parents[2] / "book" / "translation.py"
)
_translation = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_translation)

collect_ignore_glob = ["*.py"] + [
    p.name for p in Path(__file__).parent.glob("[0-9][0-9]_*.ipynb") if p.stem != _translation.EXECUTED
]
