"""cnnlab.detection.widgets: the IoU, NMS and YOLO grid explorers follow their controls, and
their drawing functions are fast enough for a slider."""

import matplotlib.pyplot as plt
import numpy as np

from cnnlab.detection import plot, shapes, widgets

from tests.figures import figure_text, nms_standin

SCENE, CAND = nms_standin()


def test_iou_explorer_follows_its_controls():
    box = widgets.iou_explorer()
    c = box.controls
    assert set(c) == {"x", "y", "w", "h"} and box.state["error"] is None
    title = lambda: box.state["figure"].axes[0].get_title()  # noqa: E731
    assert "= 0.290" in title()
    c["x"].value, c["y"].value = 2, 2
    c["w"].value, c["h"].value = 5, 4
    assert "= 1.000" in title() and "correct" in title()
    c["x"].value = 9  # 9 + 5 > 12: message in place of the picture
    assert box.state["figure"] is None and "sticks out" in box.state["error"]
    c["w"].value = 3
    assert box.state["error"] is None and "= 0.000" in title()


def test_nms_explorer_follows_its_controls():
    box = widgets.nms_explorer(SCENE.images[0], *CAND, names=shapes.CLASSES)
    c = box.controls
    after = lambda: box.state["figure"].axes[1].get_title()  # noqa: E731
    first = after()
    c["iou_threshold"].value = 1.0
    assert "20 kept, 0 suppressed" in after()
    c["iou_threshold"].value = 0.5
    assert after() == first
    c["score_threshold"].value = 1.0
    assert "0 kept" in after()
    c["score_threshold"].value = 0.3
    c["per_class"].value = False
    assert "per class" not in after()


def test_yolo_grid_explorer_follows_its_controls():
    sc = shapes.make_shapes(3, image_size=96, min_size=18, max_size=40, seed=107)
    box = widgets.yolo_grid_explorer(sc, shapes.CLASSES)
    text = lambda: figure_text(box.state["figure"])  # noqa: E731
    assert "grid 3x3" in text()
    box.controls["grid_size"].value = 1
    assert "grid 1x1, cells 96x96 px" in text()
    box.controls["index"].value = 2
    assert text().count("cell (0, 0)") == len(sc.boxes[2])


def test_drawing_is_fast_enough_for_widgets():
    import time

    b, s, c = CAND
    calls = [
        lambda: plot.plot_iou(3, 3, 4, 5),
        lambda: plot.plot_nms(SCENE.images[0], b, s, c, 0.4),
        lambda: plot.plot_yolo_grid(SCENE.images[0], SCENE.boxes[0], SCENE.classes[0], 4),
    ]
    for call in calls:
        call()
        times = []
        for _ in range(3):
            t = time.perf_counter()
            plt.close(call())
            times.append(time.perf_counter() - t)
        # the budget is 50 ms on an idle machine; this bound only catches a gross slowdown
        assert np.median(times) < 0.5


def test_every_control_is_a_slider_or_toggle_buttons():
    """Keyboard use in JupyterLab: a Dropdown's ArrowUp/ArrowDown move between cells."""
    import ipywidgets as W

    boxes = [
        widgets.iou_explorer(),
        widgets.nms_explorer(SCENE.images[0], *CAND, names=shapes.CLASSES),
        widgets.yolo_grid_explorer(shapes.make_shapes(2, seed=0), shapes.CLASSES),
    ]
    for box in boxes:
        for control in box.controls.values():
            assert isinstance(control, (W.IntSlider, W.FloatSlider, W.ToggleButtons)), control
    per_class = boxes[1].controls["per_class"]
    assert [v for _, v in per_class.options] == [True, False]


def test_iou_scrubber_holds_every_frame_and_the_message():
    walk = widgets.iou_frames()
    html = widgets.iou_scrubber().data
    # every frame but the last (a message) once, and the first again in the <img> shown first
    assert html.count("data:image/png;base64,") == len(walk)
    assert "sticks out" in html and f'max="{len(walk) - 1}"' in html
    first = plot.plot_iou(**walk[0])
    assert "= 1.000" in first.axes[0].get_title()  # B starts on A
    last_touching = [f for f in walk if f["x"] < 7 and f["w"] == 5][-1]
    assert "0.000" not in plot.plot_iou(**last_touching).axes[0].get_title()


def test_nms_scrubber_walks_the_thresholds():
    walk = widgets.nms_frames()
    assert {f["per_class"] for f in walk} == {True, False}
    html = widgets.nms_scrubber(SCENE.images[0], *CAND, names=shapes.CLASSES).data
    assert html.count("data:image/png;base64,") == len(walk) + 1  # the first one shown twice
    assert "class-blind" in html and "IoU threshold 1.00" in html
    short = widgets.nms_scrubber(SCENE.images[0], *CAND, walk=walk[:2], dpi=40).data
    assert short.count("data:image/png;base64,") == 3 and len(short) < len(html) / 4
