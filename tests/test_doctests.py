"""Every ``>>>`` example in cnnlab's docstrings runs and shows what it says.

The examples are documentation a learner reads (and copies), so they are tests too. Each
module is imported and its examples run with NumPy printing as the docstrings show it.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import numpy as np
import pytest

import cnnlab


def _modules():
    names = []
    for info in pkgutil.walk_packages(cnnlab.__path__, prefix="cnnlab."):
        names.append(info.name)
    return sorted(names)


MODULES = _modules()


def test_every_module_is_found():
    assert "cnnlab.conv" in MODULES and len(MODULES) > 20, MODULES


def test_there_are_examples_to_run():
    found = sum(
        len(t.examples)
        for name in MODULES
        for t in doctest.DocTestFinder().find(importlib.import_module(name))
    )
    assert found >= 30, f"only {found} doctest examples found in cnnlab"


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    with np.printoptions(legacy=False):
        result = doctest.testmod(
            module, extraglobs={"np": np}, optionflags=doctest.ELLIPSIS, verbose=False
        )
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed"
