"""Every figure of cnnlab's plot modules follows the chosen language.

Each public ``plot_*`` function of ``cnnlab/*/plot*.py``, ``cnnlab/drawing.py`` and
``cnnlab/diagrams.py`` is called the way the lessons call it (small inputs, cnnlab's own
generated data or data shipped in installed packages, tiny stand-ins for trained networks)
once in English and once with ``set_language("vi")``. In Vietnamese the figure must show
no English message of the catalogue (a title, axis label, legend entry, text or colour-bar
label that fully matches an English msgid, its ``{placeholders}`` standing for anything),
and at least one of its texts must differ from the English figure's, so the check cannot
pass on a figure that draws no text at all. Figures that legitimately have no text of their
own (only the caller's titles, numbers and shapes) are listed in ``NO_TEXT_OF_ITS_OWN`` and
must then be the same in both languages. The explorers' pictures are checked the same way.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import re

import matplotlib
import matplotlib.figure
import matplotlib.patches
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from cnnlab import (
    classic,
    conv,
    data,
    detection,
    diagrams,
    drawing,
    filters,
    i18n,
    lenet,
    pooling,
    receptive,
    resnet,
    style,
    tables,
)
from cnnlab.arithmetic import plot as arithmetic_plot
from cnnlab.classic import plot as classic_plot
from cnnlab.classic import pointwise
from cnnlab.detection import plot as detection_plot
from cnnlab.detection import plot_faces, plot_sliding, shapes, sliding
from cnnlab.features import plot as features_plot
from cnnlab.filters import plot as filters_plot
from cnnlab.generalizations import bursts, ecg, signals, volumes
from cnnlab.generalizations import plot as generalizations_plot
from cnnlab.lenet import plot as lenet_plot
from cnnlab.pooling import plot as pooling_plot
from cnnlab.receptive import plot as receptive_plot
from cnnlab.receptive import side_outputs
from cnnlab.resnet import plot as resnet_plot
from cnnlab.segmentation import per_class_iou
from cnnlab.segmentation import plot as segmentation_plot
from cnnlab.style import plot as style_plot
from cnnlab.transfer import plot as transfer_plot

from tests.figures import (
    cascade_standin,
    conv_volume_standin,
    fake_edge_maps,
    fake_edge_photo,
    figure_texts,
    first_layer_filters_standin,
    nms_standin,
    segmentation_standin,
    side_output_standins,
)
from tests.test_i18n import PLACEHOLDER, ROOT, catalogue

matplotlib.use("Agg")


# --- what a figure shows (tests/figures.py's figure_texts) ---------------------------------


def test_figure_texts_reads_every_kind_of_text():
    fig = drawing.figure((3, 3))
    fig.suptitle("sup")
    fig.text(0.1, 0.1, "fig text")
    ax = fig.subplots()
    image = ax.imshow(np.eye(2))
    ax.set_title("left", loc="left")
    ax.set_title("centre")
    ax.set_title("right", loc="right")
    ax.set(xlabel="x label", ylabel="y label")
    ax.plot([0, 1], label="line")
    ax.legend()
    ax.text(0, 0, "axes text")
    ax.annotate("note", (0, 0))
    ax.set_xticks([0, 1], ["tick a", "tick b"])
    fig.colorbar(image, ax=ax).set_label("colour bar")
    fig.legend(handles=[matplotlib.patches.Patch(label="figure legend")])
    texts = figure_texts(fig)
    for text in (
        "sup", "fig text", "left", "centre", "right", "x label", "y label", "line",
        "axes text", "note", "tick a", "tick b", "colour bar", "figure legend",
    ):  # fmt: skip
        assert text in texts, text


# --- English messages of the catalogue ------------------------------------------------------


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in PLACEHOLDER.sub("", text))


def _pattern(msgid: str) -> re.Pattern:
    """msgid as a regex: its text literally, every ``{...}`` placeholder standing for anything."""
    return re.compile(".+?".join(re.escape(part) for part in PLACEHOLDER.split(msgid)), re.DOTALL)


def _is_fragment(msgid: str) -> bool:
    """A message meant to be joined to others in one text (it starts or ends with a space or
    , ; :): it is looked for anywhere in a line, not only as the whole line."""
    return msgid != msgid.strip() or msgid[:1] in ",;:" or msgid[-1:] in ",;:"


@functools.cache
def english_messages() -> tuple[tuple[str, re.Pattern, bool], ...]:
    """(msgid, its pattern, whether it is a fragment) for every message of the Vietnamese
    catalogue that an English text could be told apart by: with at least 3 letters besides
    its placeholders (not "{a}: {b}", "in", "or"), and whose pattern does not match its
    translation (not "epoch" -> "epoch", nor a translation that keeps the English wording
    around the placeholders). A message left untranslated (empty msgstr) counts: gettext
    shows its English."""
    found = []
    for message in catalogue():
        msgid, msgstr = message.id, message.string
        if not msgid or not isinstance(msgid, str) or msgstr == msgid:
            continue
        if _letters(msgid) < 3:
            continue
        pattern = _pattern(msgid)
        if pattern.fullmatch(msgstr) or pattern.fullmatch(msgstr.strip()):
            continue
        found.append((msgid, pattern, _is_fragment(msgid)))
    return tuple(found)


@functools.cache
def english_in(text: str) -> str | None:
    """The English msgid ``text`` shows, or None: a msgid matching the whole text or one of
    its lines (a text may join several messages with newlines), or a fragment (see
    :func:`_is_fragment`) found anywhere in it."""
    candidates = {text, text.strip(), *(line.strip() for line in text.split("\n"))}
    candidates = {c for c in candidates if _letters(c) >= 3}
    for msgid, pattern, fragment in english_messages():
        for candidate in candidates:
            if pattern.fullmatch(candidate) or (fragment and pattern.search(candidate)):
                return msgid
    return None


def english_leftovers(texts) -> list[tuple[str, str]]:
    """(text, msgid) for every text that is an English message of the catalogue."""
    return [(t, m) for t in dict.fromkeys(texts) if (m := english_in(t)) is not None]


def test_the_matcher_knows_english_from_vietnamese():
    assert len(english_messages()) > 500
    assert english_in("output 4×4") == "output {h}×{w}"  # a placeholder stands for anything
    two_lines = "valid (p=0) → output 4×4\ncorner used 1×, centre 9×"  # one two-line message
    assert (
        english_in(two_lines) == "{kind} → output {h}×{w}\ncorner used {corner}×, centre {centre}×"
    )
    assert english_in("a title\ntraining loss") == "training loss"  # messages joined by "\n"
    assert english_in("training loss (mean of 25 steps)") != "training loss"  # a full match
    assert english_in("3 zero(s) between pixels, padded by 2") == "{n} zero(s) between pixels, "
    assert english_in("epoch") is None  # the same word in Vietnamese
    assert english_in("in 3") is None and english_in("0.50") is None  # too short, a number
    i18n.set_language("vi")
    assert english_in(i18n.tr("output {h}×{w}").format(h=4, w=4)) is None
    assert english_in(i18n.tr("training loss")) is None


# --- every plotting function, called as the lessons call it ---------------------------------


@functools.cache
def scenes3():
    return shapes.make_shapes(3, seed=1)


@functools.cache
def camera():
    return data.image("camera", size=48, gray=True)


@functools.cache
def ct():
    return volumes.ct_phantom(32)


SOBEL = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]], dtype=float)
X2 = np.array([[1.0, 2.0], [3.0, 4.0]])
W3 = np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0], [0.0, 1.0, 1.0]])
STEP = np.array([[10.0, 10, 10, 0, 0, 0]] * 6)
HISTORY = {"train_loss": [2.3, 1.0, 0.6], "train_acc": [0.1, 0.7, 0.8], "val_acc": [0.2, 0.6, 0.7]}


def _conv_volume():
    x, w = conv_volume_standin()
    return filters_plot.plot_conv_volume(x, w)


def _orientation_errors(wavelength):
    angles = np.arange(0, 181, 15.0)
    errors = {"sobel": filters.orientation_error(filters.sobel_x(), angles=angles)}
    return filters_plot.plot_orientation_errors(angles, errors, wavelength=wavelength)


def _reconstruction():
    img = np.random.default_rng(0).uniform(size=(10, 10))
    responses = np.random.default_rng(1).normal(size=(2, 8, 8))
    return filters_plot.plot_reconstruction(img, responses, img, np.geomspace(1, 1e-3, 5))


def _learned_edges():
    """HED's maps stood in for by random ones (no network), as tests/filters do."""
    return filters_plot.plot_learned_edges(fake_edge_photo(), fake_edge_maps())


def _first_layer_filters():
    """Five stand-in filters (VGG16's need its weights file): edges, colour, flat."""
    return filters_plot.plot_first_layer_filters(first_layer_filters_standin(), cols=2)


def _hand_made_features():
    from cnnlab import features

    img = data.image("chelsea", size=64)
    _, picture = features.hog(img, cell=8, visualize=True)
    return features_plot.plot_hand_made_features(img, features.colour_histogram(img), picture)


def _layer_costs():
    rows = tables.layer_table(classic.ALEXNET, classic.ALEXNET_INPUT)
    return classic_plot.plot_layer_costs({"AlexNet": rows})


def _pointwise_conv():
    rng = np.random.default_rng(0)
    x = rng.integers(-3, 4, size=(4, 4, 4)).astype(float)
    w = rng.integers(-2, 3, size=(2, 4)).astype(float)
    return classic_plot.plot_pointwise_conv(x, w, row=1, col=2)


def _pixel_functions():
    plane = pointwise.channel_plane(11)
    return classic_plot.plot_pixel_functions({"|c1 - c2|": np.abs(plane[0, 0] - plane[0, 1])})


def _top_patches():
    rng = np.random.default_rng(0)
    return classic_plot.plot_top_patches({"conv1": rng.random((2, 3, 3, 5, 5))}, stretch=False)


def _photo_maps():
    rng = np.random.default_rng(0)
    maps = {"relu1_2": rng.random((4, 16, 20)), "relu3_3": rng.random((8, 4, 5))}
    return classic_plot.plot_photo_maps(
        rng.random((16, 20, 3)), maps, {"relu1_2": [0, 2], "relu3_3": [7, 1]}
    )


def _maps_by_depth():
    rng = np.random.default_rng(0)
    maps = {"x": rng.random((1, 8, 8)), "relu1": rng.random((4, 4, 4))}
    return classic_plot.plot_maps_by_depth(maps, channels=3)


def _detections():
    sc = scenes3()
    dets = [(b, np.full(len(b), 0.9), c) for b, c in zip(sc.boxes, sc.classes)]
    return detection_plot.plot_detections(
        sc.images, dets, list(zip(sc.boxes, sc.classes)), names=shapes.CLASSES
    )


def _localization():
    sc = scenes3()
    y = detection.encode_targets(sc.boxes[0][:1], sc.classes[0][:1], 1, 64, 3)[0, 0, 0]
    return detection_plot.plot_localization(sc.images[0], y, ("A", "B", "C"))  # the caller's names


def _landmarks():
    x, marks = shapes.make_landmarks(3)
    return detection_plot.plot_landmarks(x, marks, marks + 1)


def _yolo_grid(anchors=None, lost=False):
    if lost:  # two objects in one cell: one is lost
        boxes, classes = [[0, 0, 10, 10], [1, 1, 11, 11]], [0, 1]
        return detection_plot.plot_yolo_grid(np.zeros((64, 64, 3)), boxes, classes, 2)
    sc = shapes.make_shapes(
        1, image_size=96, min_objects=3, max_objects=3, min_size=18, max_size=40, seed=107
    )
    return detection_plot.plot_yolo_grid(
        sc.images[0], sc.boxes[0], sc.classes[0], 3, anchors=anchors, names=shapes.CLASSES
    )


def _window_scores():
    scores = np.random.default_rng(0).dirichlet(np.ones(4), (5, 5))
    return detection_plot.plot_window_scores(
        scenes3().images[0], scores, 14, 2, sliding.WINDOW_CLASSES
    )


def _anchors():
    wh = shapes.box_sizes(scenes3())
    return detection_plot.plot_anchors(wh, detection.kmeans_anchors(wh, 2))


def _precision_recall():
    sc = scenes3()
    dets = [(b, np.full(len(b), 0.9), c) for b, c in zip(sc.boxes, sc.classes)]
    p, r, _ = detection.precision_recall(dets, list(zip(sc.boxes, sc.classes)), 0)
    return detection_plot.plot_precision_recall({"ellipse": (p, r, 1.0)})


def _detector_history():
    terms = [{"object": 2.0, "total": 3.0}, {"object": 1.0, "total": 1.5}]
    return detection_plot.plot_detector_history({"terms": terms})


def _proposals():
    sc = scenes3()
    return detection_plot.plot_proposals(
        drawing.to_hwc(sc.images[0]), [[0, 0, 5, 5]], np.zeros((64, 64), int), sc.boxes[0]
    )


def _faces():
    img = np.full((60, 80, 3), 0.5)
    boxes = np.array([[10, 10, 30, 34], [40, 5, 70, 40]])
    marks = np.random.default_rng(0).uniform(10, 40, (2, 5, 2))
    return plot_faces.plot_faces([img], [(boxes, [0.99, 0.9], marks)], truths=[boxes[:1]])


def _pyramid():
    from cnnlab.pretrained.faces import pyramid_scales

    scene, _ = nms_standin()
    return plot_faces.plot_pyramid(drawing.to_hwc(scene.images[0]), pyramid_scales(64, 64, 20))


def _nms(**kwargs):
    scene, candidates = nms_standin()
    return detection_plot.plot_nms(scene.images[0], *candidates, **kwargs)


def _pnet_map():
    prob = np.zeros((5, 7))
    prob[2, 3], prob[0, 0] = 0.95, 0.7
    return plot_faces.plot_pnet_map(np.zeros((20, 24, 3)), prob, threshold=0.6)


def _cascade():
    stages = cascade_standin()
    return plot_faces.plot_cascade(np.zeros((30, 30, 3)), stages)


def _fc_as_conv():
    torch.manual_seed(0)
    model = sliding.WindowClassifier()  # untrained: the picture shows shapes, not weights
    return plot_sliding.plot_fc_as_conv(model, sliding.convolutionalize(model), image_size=16)


def _ecg_beats():
    x, truth = ecg.synthetic_ecg(seconds=6, seed=0)
    response, found = ecg.detect_beats(x)
    return generalizations_plot.plot_ecg_beats(
        x, response, found, truth, rate=ecg.ECG_RATE, threshold=0.5, seconds=4
    )


def _burst_examples():
    x, y, start = bursts.burst_dataset(8, "test", seed=2)
    return generalizations_plot.plot_burst_examples(x, y, start, proba=np.linspace(0, 1, 8))


def _kernels_1d():
    t = np.arange(12)
    w = np.stack([np.sin(2 * np.pi * t / p) * np.hanning(12) for p in (4, 8)])[:, None]
    return generalizations_plot.plot_kernels_1d(w, band=(5, 7))


def _volume_slice():
    return generalizations_plot.plot_volume_slice(ct(), volumes.edge_magnitude(ct()), "coronal", 7)


def _feature_maps():
    torch.manual_seed(0)
    x = np.random.default_rng(1).normal(size=(1, 32, 32))
    return lenet_plot.plot_feature_maps(lenet.feature_maps(lenet.LeNet5(), x))


def _equivariance(kind):
    if kind == "exact":
        return pooling_plot.plot_equivariance(
            lambda t: pooling.circular_conv2d(t, SOBEL[None, None]), camera(), 3, 5
        )
    if kind == "crop":
        return pooling_plot.plot_equivariance(
            lambda t: conv.conv2d(t, SOBEL[None, None], padding=1),
            camera(),
            2,
            3,
            mode="zero",
            crop=(3, 4),
        )
    return pooling_plot.plot_equivariance(
        lambda t: pooling.circular_conv2d(t, SOBEL[None, None], stride=2), camera(), 0, 1, scale=2
    )


def _shift_robustness():
    return pooling_plot.plot_shift_robustness(
        pooling.shift_robustness(camera(), SOBEL, shifts=range(4))
    )


def _receptive_field_overlay():
    stack = [(3, 1)] * 3
    img = np.linspace(0, 1, 144).reshape(12, 12)
    mask = receptive.empirical_receptive_field(stack, 12)
    return receptive_plot.plot_receptive_field_overlay(
        img, mask, receptive.receptive_box(stack, 12)
    )


def _receptive_fields():
    vgg = [(3, 1, 1, 1), (3, 1, 1, 1), ("max", 2)] * 2 + [(3, 1, 1, 1)] * 3 + [("max", 2)]
    img = np.linspace(0, 1, 64 * 64).reshape(64, 64)
    return receptive_plot.plot_receptive_fields(vgg, img, [(3, 4), (0, 0)])


def _receptive_field_profile():
    stack = [(3, 1)] * 3
    erf = receptive.effective_receptive_field(stack, 12, draws=4, seed=0)
    return receptive_plot.plot_receptive_field_profile(
        erf, receptive.receptive_box(stack, 12), counts=receptive.input_gradient(stack, 12)
    )


def _side_outputs():
    image, sides = side_output_standins()
    return receptive_plot.plot_side_outputs(image, sides, side_outputs.side_output_fields())


def _side_coarseness():
    image, sides = side_output_standins()
    rows = side_outputs.side_output_coarseness(image, sides, radius=16)
    return receptive_plot.plot_side_coarseness(rows)


def _blocks(kind):
    torch.manual_seed(0)
    if kind == "plain and residual":
        blocks = {"A": resnet.Block(16, 16, residual=False), "B": resnet.Block(16, 16)}
    elif kind == "shortcuts":
        blocks = {
            "A": resnet.Block(16, 32, stride=2, shortcut="identity"),
            "B": resnet.Block(16, 32, stride=2, shortcut="projection"),
        }
    else:
        blocks = {"A": resnet.Block(8, 8, norm=True), "B": resnet.Bottleneck(8, 2, 8)}
    return resnet_plot.plot_blocks(blocks, size=8)


def _boxes_vs_labels():
    found, images, labels = segmentation_standin()
    return segmentation_plot.plot_boxes_vs_labels(
        images[0], found.boxes[0], found.classes[0], labels[0]
    )


def _masks():
    _, images, labels = segmentation_standin()
    pred = labels.copy()
    pred[:, :4] = 0
    return segmentation_plot.plot_masks(images, {"A": labels, "B": pred})


def _class_iou():
    _, _, labels = segmentation_standin()
    ious = {"A": per_class_iou(labels, labels, 4), "B": np.array([0.9, 0.5, np.nan, 0.7])}
    return segmentation_plot.plot_class_iou(ious)


def _layer_maps():
    net = style.feature_net("random")
    with torch.no_grad():
        feats = net(torch.zeros(1, 3, 16, 24), ["relu1_1", "relu2_1"])
    return style_plot.plot_layer_maps(feats, channels=3)


def _cost_history():
    hist = {"content": [0.0, 1.0, 2.0], "style": [3.0, 2.0, 1.0], "total": [1200, 810, 420]}
    return style_plot.plot_cost_history(hist, alpha=10, beta=400)


def _generated(per_image):
    imgs = [np.zeros((4, 6, 3)), np.ones((4, 6, 3)), np.full((4, 6, 3), 0.5)]
    made_with = ["", "VGG16", "VGG16"] if per_image else "VGG16"
    return style_plot.plot_generated(imgs, ["C", "S", "G"], made_with)


#: case id -> a call drawing one figure. The id names the function drawn,
#: "<module under cnnlab>.<function>", then [what this call shows] when there are several.
CASES = {
    # lesson 01: hand-made features
    "features.plot.plot_hand_made_features": _hand_made_features,
    "features.plot.plot_patches": lambda: features_plot.plot_patches(
        np.random.default_rng(7).random((10, 4, 4)), cols=4
    ),
    # lesson 02: convolution and filters
    "filters.plot.plot_conv_step": lambda: filters_plot.plot_conv_step(
        STEP, filters.prewitt_x(), 0, 1
    ),
    "filters.plot.plot_conv_volume": _conv_volume,
    "filters.plot.plot_orientation_errors": lambda: _orientation_errors(4),
    "filters.plot.plot_orientation_errors[no wavelength]": lambda: _orientation_errors(None),
    "filters.plot.plot_filter_learning": lambda: filters_plot.plot_filter_learning(
        np.geomspace(1, 1e-6, 20), filters.sobel_x(), filters.sobel_x()
    ),
    "filters.plot.plot_reconstruction": _reconstruction,
    "filters.plot.plot_activation_map": lambda: filters_plot.plot_activation_map(
        camera(), filters.sobel_y()
    ),
    "filters.plot.plot_learned_edges": _learned_edges,
    "filters.plot.plot_first_layer_filters": _first_layer_filters,
    # lesson 03: padding, stride, dilation
    "arithmetic.plot.plot_pixel_usage": lambda: arithmetic_plot.plot_pixel_usage(
        6, 3, paddings=(0, 1)
    ),
    "arithmetic.plot.plot_conv_arithmetic[padded]": lambda: arithmetic_plot.plot_conv_arithmetic(
        6, 3, p=1, s=1, position=0
    ),
    "arithmetic.plot.plot_conv_arithmetic[stride]": lambda: arithmetic_plot.plot_conv_arithmetic(
        7, 3, p=0, s=2, position=4
    ),
    "arithmetic.plot.plot_conv_arithmetic[floor drops 1]": lambda: (
        arithmetic_plot.plot_conv_arithmetic(8, 3, p=0, s=2, position=8)
    ),
    "arithmetic.plot.plot_conv_arithmetic[floor drops 2]": lambda: (
        arithmetic_plot.plot_conv_arithmetic(10, 3, p=0, s=4, position=0)
    ),
    "arithmetic.plot.plot_conv_arithmetic[dilation]": lambda: arithmetic_plot.plot_conv_arithmetic(
        9, 3, p=0, s=1, d=2, position=6
    ),
    "arithmetic.plot.plot_conv_transpose_arithmetic": lambda: (
        arithmetic_plot.plot_conv_transpose_arithmetic(3, 3, p=0, s=2)
    ),
    "arithmetic.plot.plot_conv_transpose_arithmetic[cropped]": lambda: (
        arithmetic_plot.plot_conv_transpose_arithmetic(4, 3, p=3, s=2, output_padding=1)
    ),
    "arithmetic.plot.plot_conv_transpose_arithmetic[no stamp]": lambda: (
        arithmetic_plot.plot_conv_transpose_arithmetic(2, 2, p=0, s=3, position=2)
    ),
    "arithmetic.plot.plot_conv_transpose_arithmetic[many inputs]": lambda: (
        arithmetic_plot.plot_conv_transpose_arithmetic(8, 5, p=4, s=1, position=5)
    ),
    # lesson 04: receptive field
    "receptive.plot.plot_receptive_field_growth": lambda: (
        receptive_plot.plot_receptive_field_growth([(3, 1)] * 4, 11)
    ),
    "receptive.plot.plot_receptive_field_overlay": _receptive_field_overlay,
    "receptive.plot.plot_receptive_fields": _receptive_fields,
    "receptive.plot.plot_receptive_field_profile": _receptive_field_profile,
    "receptive.plot.plot_receptive_field_view": lambda: receptive_plot.plot_receptive_field_view(),
    "receptive.plot.plot_receptive_field_view[dilation holes]": lambda: (
        receptive_plot.plot_receptive_field_view(2, 3, 1, 3)
    ),
    "receptive.plot.plot_side_outputs": _side_outputs,
    "receptive.plot.plot_side_coarseness": _side_coarseness,
    # lesson 05: pooling and equivariance
    "pooling.plot.plot_pooling": lambda: pooling_plot.plot_pooling(2, 2, 0, "max", size=7),
    "pooling.plot.plot_pooling[padded]": lambda: pooling_plot.plot_pooling(3, 2, 1, "min", size=5),
    "pooling.plot.plot_pooling[avg, many values]": lambda: pooling_plot.plot_pooling(
        4, 1, 2, "avg", size=9
    ),
    "pooling.plot.plot_subsampling": lambda: pooling_plot.plot_subsampling(
        np.arange(49.0).reshape(7, 7), np.array([[1, 0, -1]] * 3, dtype=float), stride=2
    ),
    "pooling.plot.plot_equivariance": lambda: _equivariance("exact"),
    "pooling.plot.plot_equivariance[crop]": lambda: _equivariance("crop"),
    "pooling.plot.plot_equivariance[no exact shift]": lambda: _equivariance("stride"),
    "pooling.plot.plot_shift_robustness": _shift_robustness,
    "drawing.plot_grids": lambda: drawing.plot_grids(
        [np.arange(16.0).reshape(4, 4), np.ones((2, 2))], ["A", "B"]
    ),
    "drawing.plot_images": lambda: drawing.plot_images([camera(), camera()], ["A", "B"]),
    # lesson 06: LeNet-5
    "diagrams.plot_architecture": lambda: diagrams.plot_architecture(
        lenet.LENET5, lenet.LENET5_INPUT
    ),
    "lenet.plot.plot_conv_matrix": lambda: lenet_plot.plot_conv_matrix(n=6, f=3),
    "lenet.plot.plot_histories": lambda: lenet_plot.plot_histories({"A": HISTORY, "B": HISTORY}),
    "lenet.plot.plot_filters": lambda: lenet_plot.plot_filters(
        np.random.default_rng(0).normal(size=(16, 6, 5, 5))
    ),
    "lenet.plot.plot_feature_maps": _feature_maps,
    # lesson 07: classic networks
    "classic.plot.plot_layer_costs": _layer_costs,
    "classic.plot.plot_pointwise_conv": _pointwise_conv,
    "classic.plot.plot_bottleneck_costs": lambda: classic_plot.plot_bottleneck_costs(),
    "classic.plot.plot_bottleneck_costs[more]": lambda: classic_plot.plot_bottleneck_costs(
        bottleneck=192
    ),
    "classic.plot.plot_pixel_functions": _pixel_functions,
    "classic.plot.plot_inception_module": lambda: classic_plot.plot_inception_module(
        classic.INCEPTION_3A, (28, 28, 192)
    ),
    "classic.plot.plot_inception_module[naive]": lambda: classic_plot.plot_inception_module(
        classic.INCEPTION_3A, (28, 28, 192), bottleneck=False
    ),
    "classic.plot.plot_photo_maps": _photo_maps,
    "classic.plot.plot_top_patches": _top_patches,
    "classic.plot.plot_maps_by_depth": _maps_by_depth,
    # lesson 08: ResNet
    "resnet.plot.plot_blocks": lambda: _blocks("plain and residual"),
    "resnet.plot.plot_blocks[shortcuts]": lambda: _blocks("shortcuts"),
    "resnet.plot.plot_blocks[bottleneck]": lambda: _blocks("bottleneck"),
    "resnet.plot.plot_block": lambda: resnet_plot.plot_block(resnet.Block(4, 4)),
    "resnet.plot.plot_identity_fit": lambda: resnet_plot.plot_identity_fit(
        {"A": np.array([0.3, 0.1]), "B": np.zeros(2)}
    ),
    "resnet.plot.plot_gradient_norms": lambda: resnet_plot.plot_gradient_norms(
        {"A": np.array([1e-9, 1e-3, 1e-1])}
    ),
    "resnet.plot.plot_training_curves": lambda: resnet_plot.plot_training_curves(
        {"A": HISTORY, "B": HISTORY}
    ),
    "resnet.plot.plot_loss_curves": lambda: resnet_plot.plot_loss_curves(
        {"A": [np.linspace(2, 1, 60), np.linspace(2, 0.5, 60)], "B": [np.ones(60)]}, smooth=10
    ),
    # lesson 09: transfer learning
    "transfer.plot.plot_transfer_curves": lambda: transfer_plot.plot_transfer_curves(
        {"scratch": {5: 0.9, 20: 0.95}, "fine-tune all": {5: 0.85, 20: 0.96}}
    ),
    # lesson 10: object detection
    "detection.plot.plot_localization": _localization,
    "detection.plot.plot_landmarks": _landmarks,
    "detection.plot.plot_iou": lambda: detection_plot.plot_iou(),
    "detection.plot.plot_iou[no match]": lambda: detection_plot.plot_iou(8, 8, 3, 3),
    "detection.plot.plot_nms": lambda: _nms(
        iou_threshold=0.5, score_threshold=0.3, names=shapes.CLASSES
    ),
    "detection.plot.plot_nms[class-blind]": lambda: _nms(per_class=False),
    "detection.plot.plot_window_scores": _window_scores,
    "detection.plot.plot_yolo_grid": _yolo_grid,
    "detection.plot.plot_yolo_grid[anchors]": lambda: _yolo_grid(
        anchors=np.array([[20.0, 20.0], [30.0, 15.0]])
    ),
    "detection.plot.plot_yolo_grid[lost, no names]": lambda: _yolo_grid(lost=True),
    "detection.plot.plot_anchors": _anchors,
    "detection.plot.plot_detector_history": _detector_history,
    "detection.plot.plot_detections": _detections,
    "detection.plot.plot_precision_recall": _precision_recall,
    "detection.plot.plot_proposals": _proposals,
    "detection.plot_sliding.plot_fc_as_conv": _fc_as_conv,
    "detection.plot_faces.plot_faces": _faces,
    "detection.plot_faces.plot_pyramid": _pyramid,
    "detection.plot_faces.plot_pnet_map": _pnet_map,
    "detection.plot_faces.plot_cascade": _cascade,
    # lesson 11: segmentation
    "segmentation.plot.plot_boxes_vs_labels": _boxes_vs_labels,
    "segmentation.plot.plot_stamps": lambda: segmentation_plot.plot_stamps(X2, W3, stride=2),
    "segmentation.plot.plot_stamps[cropped]": lambda: segmentation_plot.plot_stamps(
        X2, W3, stride=2, padding=1, output_padding=1
    ),
    "segmentation.plot.plot_zero_stuffing": lambda: segmentation_plot.plot_zero_stuffing(
        X2, W3, stride=2, position=(1, 2)
    ),
    "segmentation.plot.plot_zero_stuffing[cropped]": lambda: segmentation_plot.plot_zero_stuffing(
        X2, W3, 3, 3, 2, (0, 1)
    ),
    "segmentation.plot.plot_three_ways": lambda: segmentation_plot.plot_three_ways(
        X2, W3, stride=2
    ),
    "segmentation.plot.plot_checkerboard": lambda: segmentation_plot.plot_checkerboard(
        settings=((3, 2, 1, 1), (4, 2, 1, 0), (2, 2, 0, 0)), n=5, seed=0
    ),
    "segmentation.plot.plot_class_iou": _class_iou,
    "segmentation.plot.plot_training_curves": lambda: segmentation_plot.plot_training_curves(
        {"A": HISTORY, "B": {"train_loss": [1.0, 0.6]}}
    ),
    "segmentation.plot.plot_masks": _masks,
    # lesson 12: style transfer
    "style.plot.plot_layer_maps": _layer_maps,
    "style.plot.plot_grams": lambda: style_plot.plot_grams({"A": np.eye(2), "B": 2 * np.eye(2)}),
    "style.plot.plot_gram": lambda: style_plot.plot_gram(np.eye(3)),
    "style.plot.plot_cost_history": _cost_history,
    "style.plot.plot_generated": lambda: _generated(per_image=False),
    "style.plot.plot_generated[per image]": lambda: _generated(per_image=True),
    # lesson 13: 1D and 3D
    "filters.plot.plot_conv_step[1D]": lambda: filters_plot.plot_conv_step(
        np.arange(8.0)[None], np.array([[-0.5, 0.0, 0.5]]), 0, 2
    ),
    "generalizations.plot.plot_signals": lambda: generalizations_plot.plot_signals(
        signals.eeg(), signals.EEG_CHANNELS, spans=[(0, 100)]
    ),
    "generalizations.plot.plot_signal_filter": lambda: generalizations_plot.plot_signal_filter(
        signals.eeg()[0], signals.gaussian(2.0), window=(0, 200)
    ),
    "generalizations.plot.plot_signal_filter[valid]": lambda: (
        generalizations_plot.plot_signal_filter(np.arange(40.0), signals.derivative(), pad="valid")
    ),
    "generalizations.plot.plot_ecg_beats": _ecg_beats,
    "generalizations.plot.plot_burst_examples": _burst_examples,
    "generalizations.plot.plot_kernels_1d": _kernels_1d,
    "generalizations.plot.plot_volume_views": lambda: generalizations_plot.plot_volume_views(
        {"CT": ct()}, (20, 15, 16), ranges={"CT": (-1000, 800)}
    ),
    "generalizations.plot.plot_volume_slice": _volume_slice,
}

#: Cases (a function, or one call of it) whose figures have no text of their own: what they
#: write is the caller's (titles, labels, class names) or numbers and shapes, the same in
#: every language.
NO_TEXT_OF_ITS_OWN = {
    "drawing.plot_images": "only the caller's titles",
    "drawing.plot_grids": "only the caller's titles and the numbers",
    "features.plot.plot_patches": "only the caller's title",
    "classic.plot.plot_maps_by_depth": "only the caller's stage labels, shapes and title",
    "detection.plot.plot_detections": "only the caller's titles, class names and scores",
    "detection.plot.plot_localization": "only the label vector (pc, bx, ...: notation)",
    "detection.plot.plot_landmarks": "only the landmarks' numbers and the caller's titles",
    "receptive.plot.plot_receptive_field_overlay": "only the caller's title",
    "style.plot.plot_layer_maps": "only the layer names (VGG's relu1_1, ...) and shapes",
    "style.plot.plot_generated[per image]": "only the caller's titles and network labels",
}

#: Public plotting functions not drawn here, with the reason (a new function must be drawn
#: above or listed here: see test_every_plotting_function_is_drawn_or_excused).
NOT_DRAWN: dict[str, str] = {}

#: English leftovers found by this test: case id -> what is left (marked xfail, strict).
LEFTOVERS: dict[str, str] = {}


def _params() -> list:
    marks = {case: [pytest.mark.xfail(strict=True, reason=why)] for case, why in LEFTOVERS.items()}
    return [pytest.param(case, marks=marks.get(case, []), id=case) for case in CASES]


def function_of(case: str) -> str:
    """The plotting function a case draws: its id without the [variant]."""
    return case.split("[")[0]


def _resolve(key: str):
    module, name = key.rsplit(".", 1)
    return importlib.import_module(f"cnnlab.{module}"), name


def drawn_texts(build, language: str) -> list[str]:
    """The texts of the figure ``build()`` draws with cnnlab speaking ``language``."""
    i18n.set_language(language)
    try:
        fig = build()
        assert isinstance(fig, matplotlib.figure.Figure), type(fig)
        return figure_texts(fig)
    finally:
        i18n.set_language("en")
        plt.close("all")


@pytest.mark.parametrize("case", _params())
def test_figure_speaks_vietnamese(case, monkeypatch):
    module, name = _resolve(function_of(case))
    function, calls = getattr(module, name), []

    def counted(*args, **kwargs):
        calls.append(name)
        return function(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    english = drawn_texts(CASES[case], "en")
    assert calls, f"case {case!r} does not call {function_of(case)}"
    vietnamese = drawn_texts(CASES[case], "vi")
    leftovers = english_leftovers(vietnamese)
    assert not leftovers, "English left in the Vietnamese figure (text, msgid): " + "; ".join(
        f"{t!r} ({m!r})" for t, m in leftovers
    )
    if case in NO_TEXT_OF_ITS_OWN or function_of(case) in NO_TEXT_OF_ITS_OWN:
        assert vietnamese == english, f"{case} writes text of its own: not NO_TEXT_OF_ITS_OWN"
    else:
        assert set(vietnamese) - set(english), f"nothing in the figure changed: {english}"


# --- no function forgotten ----------------------------------------------------------------


def plot_modules() -> list[str]:
    """Every plot module, as a module name under cnnlab: cnnlab/*/plot*.py, drawing, diagrams."""
    package = ROOT / "cnnlab"
    paths = sorted(package.glob("*/plot*.py")) + [package / "drawing.py", package / "diagrams.py"]
    return [".".join(p.relative_to(package).with_suffix("").parts) for p in paths]


def plotting_functions() -> set[str]:
    """The names, as "<module>.<function>", of the public plot_* functions of the plot modules."""
    found = set()
    for name in plot_modules():
        module = importlib.import_module(f"cnnlab.{name}")
        for fn_name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn_name.startswith("plot_") and fn.__module__ == module.__name__:
                found.add(f"{name}.{fn_name}")
    return found


def test_every_plotting_function_is_drawn_or_excused():
    functions = plotting_functions()
    assert len(functions) > 80 and "arithmetic.plot.plot_conv_arithmetic" in functions
    drawn = {function_of(case) for case in CASES}
    forgotten = sorted(functions - drawn - set(NOT_DRAWN))
    assert not forgotten, (
        f"draw these in CASES, or list them in NOT_DRAWN with a reason: {forgotten}"
    )
    assert not drawn - functions, f"not plotting functions: {sorted(drawn - functions)}"
    assert not drawn & set(NOT_DRAWN), "drawn and NOT_DRAWN both"
    assert all(reason.strip() for reason in NOT_DRAWN.values())
    assert set(NOT_DRAWN) <= functions, "NOT_DRAWN names a function that does not exist"
    assert set(NO_TEXT_OF_ITS_OWN) <= drawn | set(CASES) and set(LEFTOVERS) <= set(CASES)


# --- the explorers' pictures ----------------------------------------------------------------


def _explorers():
    from tests.test_explorer import EVERY_EXPLORER

    return EVERY_EXPLORER


@pytest.mark.parametrize("name", list(_explorers()))
def test_explorer_picture_speaks_vietnamese(name):
    """The picture an explorer shows when it opens (its pure draw function at the default
    settings) follows the language it was built in."""

    def first_picture():
        box = _explorers()[name]()
        assert box.state["error"] is None, box.state["error"]
        return box.state["figure"]

    english = drawn_texts(first_picture, "en")
    vietnamese = drawn_texts(first_picture, "vi")
    assert not english_leftovers(vietnamese), english_leftovers(vietnamese)
    assert set(vietnamese) - set(english), english
