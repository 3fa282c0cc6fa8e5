"""benchmarks/bench_gpu.py, the prepared GPU run: its code path works (on the CPU, tiny sizes),
and without a CUDA device it measures nothing and says so."""

import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench_gpu():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import bench_gpu
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return bench_gpu


def test_quick_cpu_run_fills_every_row_and_leaves_results_alone(bench_gpu, monkeypatch):
    written = []
    monkeypatch.setattr(bench_gpu, "write_section", lambda *a: written.append(a))
    text = bench_gpu.main(["--device", "cpu", "--quick"])
    rows = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    assert [r.split("|")[1].strip().split(":")[0] for r in rows[1:]] == [
        "`nets.fit`",
        "the detector",
        "style transfer",
    ]
    for row in rows[1:]:
        seconds = float(row.split("|")[2])
        assert 0 < seconds < 60, row
    assert "code-path check" in rows[3]
    assert written == []


def test_without_cuda_nothing_is_measured_and_results_say_so(bench_gpu, monkeypatch):
    written = []
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(bench_gpu, "write_section", lambda *a: written.append(a))
    monkeypatch.setattr(bench_gpu, "table", lambda *a: pytest.fail("measured without a GPU"))
    bench_gpu.main([])
    ((title, body),) = written
    assert title == bench_gpu.TITLE and body.startswith("**Not measured.**")
    with pytest.raises(SystemExit):
        bench_gpu.main(["--device", "cuda"])
