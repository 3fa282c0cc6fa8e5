"""How long each lesson takes to "Run All", as a learner runs it: a fresh kernel per lesson,
every cell executed in order (nbclient, what JupyterLab's Run All amounts to), one lesson at a
time, on this machine's CPU. Writes the table and each target's verdict to RESULTS.md.

Targets (issue 16): every lesson ≤ 90 s, except the lessons that optimise a real network
(object detection, segmentation, style transfer: ≤ 180 s, said at the top of the lesson);
the whole course ≤ 12 minutes.

    python benchmarks/bench_lessons.py [--only 03 07]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from results import write_section

ROOT = Path(__file__).resolve().parents[1]
LONG = ("10_", "11_", "12_")  # they optimise a real network and may take up to 3 minutes
LIMIT_S, LONG_LIMIT_S, COURSE_LIMIT_S = 90, 180, 12 * 60


def run_all(path: Path) -> float:
    """Seconds to execute every cell of the lesson in a fresh kernel (its folder as cwd)."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=None, help="lesson numbers, e.g. 03 07")
    args = parser.parse_args(argv)
    lessons = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if args.only:
        lessons = [p for p in lessons if p.name[:2] in args.only]
    rows, total = [], 0.0
    for path in lessons:
        seconds = run_all(path)
        total += seconds
        limit = LONG_LIMIT_S if path.name.startswith(LONG) else LIMIT_S
        verdict = "met" if seconds <= limit else "**missed**"
        rows.append(f"| {path.stem} | {seconds:.0f} | ≤ {limit} | {verdict} |")
        print(rows[-1], flush=True)
    course = "met" if total <= COURSE_LIMIT_S else "**missed**"
    body = "\n".join(
        [
            f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            "CPU only (no GPU). Each lesson executed in a fresh kernel with nbclient, one "
            "after the other (the whole of JupyterLab's Run All, kernel start included).",
            "",
            "| lesson | Run All (s) | target (s) | verdict |",
            "|---|---:|---:|:---:|",
            *rows,
            "",
            f"Whole course: {total / 60:.1f} minutes (target ≤ 12 minutes: {course})."
            + ("" if not args.only else " (Only the lessons named were run.)"),
        ]
    )
    write_section("Lessons: Run All time on the CPU", body)


if __name__ == "__main__":
    main()
