"""How long one slider move takes: each explorer's pure drawing function, and drawing
plus rendering the PNG the notebook shows. Target (issue 3): median draw <= 50 ms.

For every explorer that needs no data argument, every slider is moved through up to six
values (the others at their defaults); impossible settings (ValueError) are skipped, as the
widget shows a message there instead. Writes a table into benchmarks/RESULTS.md.

    python benchmarks/bench_widgets.py
"""

from __future__ import annotations

import importlib
import io
import os
import statistics
import time

import ipywidgets as W
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from results import write_section  # noqa: E402

# (topic package, explorer): each topic keeps its widgets in cnnlab/<topic>/widgets.py
EXPLORERS = [
    ("filters", "conv_step_explorer"),
    ("filters", "filter_explorer"),
    ("arithmetic", "conv_arithmetic_explorer"),
    ("receptive", "receptive_field_explorer"),
    ("pooling", "pooling_explorer"),
    ("classic", "bottleneck_explorer"),
    ("detection", "iou_explorer"),
    ("generalizations", "signal_filter_explorer"),
    ("generalizations", "volume_slice_explorer"),
]


def settings(controls):
    """Yield control-value dicts: each slider swept through up to six values."""
    base = {k: c.value for k, c in controls.items()}
    yield dict(base)
    for name, c in controls.items():
        if isinstance(c, (W.IntSlider, W.FloatSlider)):
            values = np.linspace(c.min, c.max, 6)
            values = sorted({int(round(v)) for v in values}) if isinstance(c, W.IntSlider) else values
        elif isinstance(c, (W.Dropdown, W.ToggleButtons, W.RadioButtons, W.SelectionSlider)):
            values = [o[1] if isinstance(o, tuple) else o for o in c.options]
        elif isinstance(c, W.Checkbox):
            values = [False, True]
        else:
            continue
        for v in values:
            yield {**base, name: v}


def measure(box):
    draw_ms, render_ms, skipped = [], [], 0
    for values in settings(box.controls):
        t = time.perf_counter()
        try:
            fig = box.draw(**values)
        except ValueError:
            skipped += 1
            continue
        t1 = time.perf_counter()
        fig.savefig(io.BytesIO(), format="png")
        t2 = time.perf_counter()
        plt.close(fig)
        draw_ms.append((t1 - t) * 1e3)
        render_ms.append((t2 - t) * 1e3)
    return draw_ms, render_ms, skipped


def main():
    lines = [
        f"{os.cpu_count()} cores, matplotlib {matplotlib.__version__} (Agg). `draw` is the pure "
        "drawing function a slider move calls; `draw + PNG` adds rendering the image the "
        "notebook shows. Medians over every setting tried; the first call of each explorer "
        "(building it) is not counted.",
        "",
        "| explorer | settings | impossible (message shown) | median draw ms | max draw ms | median draw + PNG ms | ≤ 50 ms |",
        "|---|---:|---:|---:|---:|---:|:---:|",
    ]
    for topic, name in EXPLORERS:
        box = getattr(importlib.import_module(f"cnnlab.{topic}.widgets"), name)()
        plt.close("all")
        draw_ms, render_ms, skipped = measure(box)
        med = statistics.median(draw_ms)
        lines.append(
            f"| `{topic}.widgets.{name}` | {len(draw_ms)} | {skipped} | {med:.1f} | {max(draw_ms):.1f} | "
            f"{statistics.median(render_ms):.1f} | {'yes' if med <= 50 else 'NO'} |"
        )
        print(lines[-1], flush=True)
    lines += ["", "`nms_explorer` and `yolo_grid_explorer` take a trained detector's data and are not timed here."]
    write_section("Widgets: time per slider move", "\n".join(lines))


if __name__ == "__main__":
    main()
