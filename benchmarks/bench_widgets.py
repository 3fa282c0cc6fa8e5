"""How long one slider move takes: each explorer's pure drawing function, and drawing
plus rendering the PNG the notebook shows. Target (issue 3): median draw <= 50 ms.

For every explorer (NMS and the YOLO grid on lesson 10's generated scenes), every slider is
moved through up to six values (the others at their defaults); impossible settings
(ValueError) are skipped, as the widget shows a message there instead. Writes a table into benchmarks/RESULTS.md.

    python benchmarks/bench_widgets.py
"""

from __future__ import annotations

import importlib
import os
import statistics
import time

import ipywidgets as W
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from cnnlab import explorer  # noqa: E402

from results import write_section  # noqa: E402

# (topic package, explorer): each topic keeps its widgets in cnnlab/<topic>/widgets.py
EXPLORERS = [
    ("filters", "conv_step_explorer"),
    ("filters", "filter_explorer"),
    ("arithmetic", "conv_arithmetic_explorer"),
    ("arithmetic", "conv_transpose_explorer"),
    ("receptive", "receptive_field_explorer"),
    ("pooling", "pooling_explorer"),
    ("classic", "bottleneck_explorer"),
    ("detection", "iou_explorer"),
    ("detection", "nms_explorer"),
    ("detection", "yolo_grid_explorer"),
    ("generalizations", "signal_filter_explorer"),
    ("generalizations", "volume_slice_explorer"),
]


def build(topic, name):
    """The explorer as lesson 10 (NMS, YOLO grid: on generated scenes) or with its defaults."""
    widgets = importlib.import_module(f"cnnlab.{topic}.widgets")
    if name in ("nms_explorer", "yolo_grid_explorer"):
        from cnnlab.detection import shapes

        if name == "nms_explorer":  # the scene and candidates of the browser benchmark
            scene = shapes.make_shapes(1, min_objects=4, max_objects=4, seed=21)
            cand = shapes.noisy_detections(
                scene.boxes[0], scene.classes[0], per_object=5, spread=2.0, seed=0
            )
            return widgets.nms_explorer(scene.images[0], *cand, names=shapes.CLASSES)
        scenes = shapes.make_shapes(
            6, image_size=96, min_objects=3, max_objects=3, min_size=18, max_size=40, seed=107
        )
        return widgets.yolo_grid_explorer(scenes, shapes.CLASSES)
    return getattr(widgets, name)()


def settings(controls):
    """Yield control-value dicts: each slider swept through up to six values."""
    base = {k: c.value for k, c in controls.items()}
    yield dict(base)
    for name, c in controls.items():
        if isinstance(c, (W.IntSlider, W.FloatSlider)):
            values = np.linspace(c.min, c.max, 6)
            values = (
                sorted({int(round(v)) for v in values}) if isinstance(c, W.IntSlider) else values
            )
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
            with matplotlib.rc_context(explorer.FIXED_TITLES):  # as the explorer draws
                fig = box.draw(**values)
        except ValueError:
            skipped += 1
            continue
        t1 = time.perf_counter()
        explorer.png_bytes(fig)  # the PNG the explorer sends
        t2 = time.perf_counter()
        plt.close(fig)
        draw_ms.append((t1 - t) * 1e3)
        render_ms.append((t2 - t) * 1e3)
    return draw_ms, render_ms, skipped


def main():
    lines = [
        f"{os.cpu_count()} cores, matplotlib {matplotlib.__version__} (Agg). `draw` is the pure "
        "drawing function a slider move calls; `draw + PNG` adds rendering the image the "
        "notebook shows (`cnnlab.explorer.png_bytes`, titles placed as the explorer places "
        "them). Medians over every setting tried; the first call of each explorer "
        "(building it) is not counted.",
        "",
        "| explorer | settings | impossible (message shown) | median draw ms | max draw ms | median draw + PNG ms | ≤ 50 ms |",
        "|---|---:|---:|---:|---:|---:|:---:|",
    ]
    for topic, name in EXPLORERS:
        box = build(topic, name)
        plt.close("all")
        draw_ms, render_ms, skipped = measure(box)
        med = statistics.median(draw_ms)
        lines.append(
            f"| `{topic}.widgets.{name}` | {len(draw_ms)} | {skipped} | {med:.1f} | {max(draw_ms):.1f} | "
            f"{statistics.median(render_ms):.1f} | {'yes' if med <= 50 else 'NO'} |"
        )
        print(lines[-1], flush=True)
    lines += [
        "",
        "`nms_explorer` and `yolo_grid_explorer` are timed on lesson 10's generated scenes; "
        "the explorers' key-press-to-picture times in a real browser are in the JupyterLab "
        "section below.",
    ]
    write_section("Widgets: time per slider move", "\n".join(lines))


if __name__ == "__main__":
    main()
