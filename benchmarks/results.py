"""Write one benchmark's section of benchmarks/RESULTS.md, keeping the other sections."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")
HEADER = (
    "# Benchmark results\n\n"
    "Written by the scripts in this folder (`make bench`); each section is replaced when its "
    "script runs again. Times are medians; ratios compare side-by-side runs in one process.\n"
)


def write_section(title: str, body: str) -> None:
    """Replace (or add) the section called ``title`` in RESULTS.md."""
    text = RESULTS.read_text() if RESULTS.exists() else HEADER
    stamp = datetime.date.today().isoformat()
    start, end = f"<!-- begin: {title} -->", f"<!-- end: {title} -->"
    block = f"{start}\n## {title}\n\n_Measured {stamp}._\n\n{body}\n{end}"
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(text)
