"""benchmarks/bench_browser.py covers every explorer (no browser needed for this check)."""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_explorer_is_benchmarked_or_skipped_with_a_reason():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import bench_browser
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    defined = {
        m.group(1)
        for f in (ROOT / "cnnlab").glob("*/widgets.py")
        for m in re.finditer(r"^def ([a-z]\w*)_explorer\(", f.read_text(), re.M)
    }
    covered = set(bench_browser.EXPLORERS) | set(bench_browser.SKIPPED)
    assert defined == covered, f"missing: {defined - covered}; unknown: {covered - defined}"
    for setup, build in bench_browser.EXPLORERS.values():
        compile(setup + "\n" + build, "<bench cell>", "exec")
