"""Lazy submodules: ``package.name`` imports ``package/name.py`` on first use.

Importing torch, matplotlib or ipywidgets costs seconds, so ``import cnnlab`` and each topic
package load only their maths up front; pictures (``plot``), checkers (``check``) and widgets
(``widgets``) load when a lesson first touches them. A package opts in with one line::

    __getattr__ = lazy.submodules(__name__)
"""

from __future__ import annotations

import importlib
import importlib.util


def submodules(package: str):
    """A module-level ``__getattr__`` for ``package`` that imports its submodules on demand."""

    def __getattr__(name: str):
        if not name.startswith("_") and importlib.util.find_spec(f"{package}.{name}") is not None:
            return importlib.import_module(f".{name}", package)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
