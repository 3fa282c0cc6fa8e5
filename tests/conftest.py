"""Shared test settings.

Hypothesis runs derandomized (the same examples on every run and every machine), with no
per-example deadline (the first call into torch is slow) and few, small examples, so the
property tests are deterministic in CI and quick on two cores. ``HYPOTHESIS_PROFILE=thorough``
runs many more examples when hunting for a bug locally.
"""

import os
import sys

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "cnnlab",
    derandomize=True,
    deadline=None,
    max_examples=40,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough",
    parent=settings.get_profile("cnnlab"),
    derandomize=False,
    max_examples=300,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "cnnlab"))


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every matplotlib figure a test left open (only where pyplot is in use)."""
    yield
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


@pytest.fixture(autouse=True)
def _english_again():
    """cnnlab speaks English again after every test, whatever language the test chose (only
    where cnnlab.i18n is loaded)."""
    yield
    if "cnnlab.i18n" in sys.modules:
        sys.modules["cnnlab.i18n"].set_language("en")
