"""cnnlab.detection.plot: the pictures of IoU, NMS, the YOLO grid, detections, landmarks,
anchors, precision-recall curves, sliding windows and proposals state what the maths says."""

import matplotlib.figure
import matplotlib.patches
import numpy as np
import pytest

from cnnlab import detection, drawing
from cnnlab.detection import plot, shapes

from tests.figures import cascade_standin, figure_text, nms_standin


def rectangles(ax):
    return [p for p in ax.patches if isinstance(p, matplotlib.patches.Rectangle)]


SCENE, CAND = nms_standin()


@pytest.mark.parametrize(
    "x, y, w, h", [(4, 3, 5, 4), (2, 2, 5, 4), (8, 8, 3, 3), (0, 0, 12, 12), (5, 2, 5, 4)]
)
def test_plot_iou_states_the_computed_value(x, y, w, h):
    fig = plot.plot_iou(x, y, w, h)
    value = detection.iou([2, 2, 7, 6], [x, y, x + w, y + h])[0, 0]
    title = fig.axes[0].get_title()
    assert f"= {value:.3f}" in title
    assert ("correct" in title) == (value >= 0.5)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"w": 0}, "width and a height > 0"),
        ({"x": 10, "w": 5}, "sticks out"),
        ({"y": -1}, "sticks out"),
    ],
)
def test_plot_iou_rejects_impossible_boxes(kwargs, match):
    with pytest.raises(ValueError, match=match):
        plot.plot_iou(**kwargs)


def test_plot_nms_counts_and_styles():
    b, s, c = CAND
    fig = plot.plot_nms(SCENE.images[0], b, s, c, 0.5, 0.3, True, shapes.CLASSES)
    keep = detection.non_max_suppression(b[s >= 0.3], s[s >= 0.3], 0.5, classes=c[s >= 0.3])
    before, after = fig.axes
    assert f"before: {(s >= 0.3).sum()} boxes" in before.get_title()
    assert f"{len(keep)} kept, {(s >= 0.3).sum() - len(keep)} suppressed" in after.get_title()
    solid = [r for r in rectangles(after) if r.get_linestyle() == "-"]
    assert len(solid) == len(keep)
    # class-blind suppression can only keep fewer boxes
    fig2 = plot.plot_nms(SCENE.images[0], b, s, c, 0.1, 0.3, False)
    assert "per class" not in fig2.axes[1].get_title()
    with pytest.raises(ValueError, match="iou_threshold"):
        plot.plot_nms(SCENE.images[0], b, s, c, 1.5)
    with pytest.raises(ValueError, match="score_threshold"):
        plot.plot_nms(SCENE.images[0], b, s, c, 0.5, -0.2)


def test_plot_yolo_grid_writes_the_targets():
    sc = shapes.make_shapes(
        1, image_size=96, min_objects=3, max_objects=3, min_size=18, max_size=40, seed=107
    )
    fig = plot.plot_yolo_grid(sc.images[0], sc.boxes[0], sc.classes[0], 3, names=shapes.CLASSES)
    text = figure_text(fig)
    assert "grid 3x3, cells 32x32 px, target 3x3x1x8" in text
    y = detection.encode_targets(sc.boxes[0], sc.classes[0], 3, 96, 3)
    a = detection.assign_anchors(sc.boxes[0], 3, 96)
    for r, c in zip(a.row, a.col):
        assert f"cell ({r}, {c})" in text
        assert f"y = (1, {y[r, c, 0, 1]:.2f}".rstrip("0") in text
    # two objects in one cell: one is lost, and the picture says so
    fig = plot.plot_yolo_grid(np.zeros((64, 64, 3)), [[0, 0, 10, 10], [1, 1, 11, 11]], [0, 1], 2)
    assert "LOST" in figure_text(fig)


def test_plot_detections_and_friends():
    sc = shapes.make_shapes(3, seed=1)
    dets = [(b, np.full(len(b), 0.9), c) for b, c in zip(sc.boxes, sc.classes)]
    fig = plot.plot_detections(
        sc.images,
        dets,
        list(zip(sc.boxes, sc.classes)),
        titles=["a", "b", "c"],
        names=shapes.CLASSES,
    )
    assert "rectangle 0.90" in figure_text(fig) or "ellipse 0.90" in figure_text(fig)
    n = sum(len(b) for b in sc.boxes)
    assert sum(len(rectangles(ax)) for ax in fig.axes) == 2 * n
    with pytest.raises(ValueError, match="2 detections for 3 images"):
        plot.plot_detections(sc.images, dets[:2])
    y = detection.encode_targets(sc.boxes[0][:1], sc.classes[0][:1], 1, 64, 3)[0, 0, 0]
    assert "pc = 1.00" in figure_text(plot.plot_localization(sc.images[0], y, shapes.CLASSES))
    assert "bx = ?" in figure_text(plot.plot_localization(sc.images[0], np.zeros(8)))
    x, marks = shapes.make_landmarks(3)
    assert len(plot.plot_landmarks(x, marks, marks + 1).axes) == 3
    wh = shapes.box_sizes(sc)
    plot.plot_anchors(wh, detection.kmeans_anchors(wh, 2))
    p, r, _ = detection.precision_recall(dets, list(zip(sc.boxes, sc.classes)), 0)
    assert "AP = 1.000" in figure_text(plot.plot_precision_recall({"ellipse": (p, r, 1.0)}))
    hist = {"terms": [{"object": 2.0, "total": 3.0}, {"object": 1.0, "total": 1.5}]}
    assert len(plot.plot_detector_history(hist).axes[0].lines) == 2
    with pytest.raises(ValueError, match="terms"):
        plot.plot_detector_history({"loss": [1.0]})
    scores = np.random.default_rng(0).dirichlet(np.ones(4), (5, 5))
    fig = plot.plot_window_scores(sc.images[0], scores, 14, 2, ("a", "b", "c", "bg"))
    assert "P(bg)" in figure_text(fig)
    fig = plot.plot_proposals(
        drawing.to_hwc(sc.images[0]), [[0, 0, 5, 5]], np.zeros((64, 64), int), sc.boxes[0]
    )
    assert "1 initial regions" in figure_text(fig)


def test_every_picture_is_a_figure_outside_pyplot():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    b, s, c = CAND
    figs = [
        plot.plot_iou(),
        plot.plot_nms(SCENE.images[0], b, s, c),
        plot.plot_yolo_grid(SCENE.images[0], SCENE.boxes[0], SCENE.classes[0]),
        plot.plot_detections(SCENE.images, [CAND]),
    ]
    assert all(isinstance(f, matplotlib.figure.Figure) for f in figs)
    assert plt.get_fignums() == before


def test_draw_functions_draw_into_the_given_axes():
    fig = drawing.figure((3, 3))
    ax = fig.subplots()
    patches = plot.draw_boxes(ax, [[0, 0, 4, 4], [1, 1, 3, 5]], [0, 1], [0.9, 0.5])
    assert len(patches) == 2 and "1 0.50" in figure_text(fig)
    assert plot.draw_overlap(ax, [0, 0, 4, 4], [2, 2, 6, 6], 8) is ax
    a = detection.assign_anchors(SCENE.boxes[0], 4, 64)
    assert plot.draw_yolo_cells(ax, SCENE.boxes[0], SCENE.classes[0], a, 4, (64, 64)) is ax


# --- the face detector's pictures (plot_faces) and FC layers as convolutions (plot_sliding) ---


def test_plot_faces_draws_each_box_and_landmark():
    from cnnlab.detection import plot_faces

    img = np.full((60, 80, 3), 0.5)
    boxes = np.array([[10, 10, 30, 34], [40, 5, 70, 40]])
    marks = np.random.default_rng(0).uniform(10, 40, (2, 5, 2))
    fig = plot_faces.plot_faces(
        [img, img],
        [(boxes, [0.99, 0.9], marks), (boxes[:0], [], marks[:0])],
        titles=["two", "none"],
        truths=[None, boxes[:1]],
    )
    ax = fig.axes[0]
    assert len(rectangles(ax)) == 2
    points = np.concatenate([c.get_offsets() for c in ax.collections])
    assert len(points) == 10
    np.testing.assert_allclose(np.sort(points, axis=0), np.sort(marks.reshape(-1, 2), axis=0))
    assert "0.990" in figure_text(fig) and "nose" in figure_text(fig)
    assert len(rectangles(fig.axes[1])) == 1  # only the dashed truth
    with pytest.raises(ValueError, match="landmarks must have shape"):
        plot_faces.plot_faces([img], [(boxes, [0.9, 0.8], marks[:, :4])])
    with pytest.raises(ValueError, match="one result per image"):
        plot_faces.plot_faces([img], [])


def test_plot_pyramid_draws_each_level_and_a_window():
    from cnnlab.detection import plot_faces
    from cnnlab.pretrained.faces import pyramid_scales

    img = drawing.to_hwc(SCENE.images[0])
    scales = pyramid_scales(64, 64, 20)
    fig = plot_faces.plot_pyramid(img, scales)
    ax = fig.axes[0]
    assert len(ax.images) == len(scales)
    windows = rectangles(ax)
    assert len(windows) == len(scales) and all(w.get_width() == 12 for w in windows)
    assert f"{len(scales)} levels" in ax.get_title()
    with pytest.raises(ValueError, match="scales is empty"):
        plot_faces.plot_pyramid(img, [])


def test_plot_pnet_map_marks_the_best_window():
    from cnnlab.detection import plot_faces

    prob = np.zeros((5, 7))
    prob[2, 3], prob[0, 0] = 0.95, 0.7
    fig = plot_faces.plot_pnet_map(np.zeros((20, 24, 3)), prob, threshold=0.6)
    left, right = fig.axes[0], fig.axes[1]
    best = [r for r in rectangles(left) if r.get_edgecolor()[:3] == (1.0, 0.0, 0.0)]
    assert [(b.get_x(), b.get_y(), b.get_width()) for b in best] == [(6, 4, 12)]
    assert len(rectangles(right)) == 3  # two cells >= 0.6, and the best again in red
    assert "0.950" in right.get_title() and "7×5" in right.get_title()
    with pytest.raises(ValueError, match="2-D map"):
        plot_faces.plot_pnet_map(np.zeros((20, 24, 3)), np.zeros(5))


def test_plot_cascade_counts_the_boxes_of_each_stage():
    from cnnlab.detection import plot_faces

    stages = cascade_standin()
    fig = plot_faces.plot_cascade(np.zeros((30, 30, 3)), stages)
    counts = [len(rectangles(ax)) for ax in fig.axes]
    assert counts == [9, 4, 3, 2, 1]
    assert "1 box" in fig.axes[4].get_title() and "9 boxes" in fig.axes[0].get_title()


def test_plot_fc_as_conv_shapes_come_from_the_networks():
    from cnnlab.detection import plot_sliding, sliding

    model = sliding.WindowClassifier()
    conv = sliding.convolutionalize(model)
    text = figure_text(plot_sliding.plot_fc_as_conv(model, conv, image_size=16))
    for label in ("FC 400", "FC 4", "conv 5×5\n400 filters", "1×1×400", "1×1×4", "2×2×4", "6×6×16"):
        assert label in text, label
    shapes_ = [s for _, s, _ in plot_sliding.layer_shapes(list(conv), (3, 28, 28))]
    assert shapes_[-1] == (4, 8, 8)
    with pytest.raises(ValueError, match="image_size"):
        plot_sliding.plot_fc_as_conv(model, conv, image_size=10)
