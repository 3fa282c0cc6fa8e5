"""What the plot tests read back from a matplotlib figure, and the stand-in inputs several
plot tests draw (no network, nothing downloaded)."""

import functools

import numpy as np


def figure_text(fig) -> str:
    """Every string drawn on a figure, one per line: figure texts and legends, and for each
    axes its texts, title, y tick labels and legend."""
    texts = [t.get_text() for t in fig.texts]
    for legend in fig.legends:
        texts += [t.get_text() for t in legend.get_texts()]
    for ax in fig.axes:
        texts += [t.get_text() for t in ax.texts] + [ax.get_title()]
        texts += [t.get_text() for t in ax.get_yticklabels()]
        if ax.get_legend() is not None:
            texts += [t.get_text() for t in ax.get_legend().get_texts()]
    return "\n".join(texts)


def _tick_labels(axis) -> list[str]:
    """The axis's tick labels: the ones the code wrote (``set_xticks(ticks, labels)``), and
    numbers, which no message matches."""
    return [t.get_text() for t in axis.get_ticklabels()]


def _legend_texts(legend) -> list[str]:
    if legend is None:
        return []
    return [t.get_text() for t in legend.get_texts()] + [legend.get_title().get_text()]


def figure_texts(fig) -> list[str]:
    """Every text a Figure shows: figure texts (the suptitle among them), figure legends,
    and for each axes (colour bars are axes too) its three titles, x and y labels, texts
    and annotations, legend and tick labels; sub-figures likewise."""
    texts = [fig.get_suptitle()] + [t.get_text() for t in fig.texts]
    for legend in fig.legends:
        texts += _legend_texts(legend)
    for sub in fig.subfigs:
        texts += figure_texts(sub)
    for ax in fig.axes:
        texts += [ax.get_title(loc=loc) for loc in ("left", "center", "right")]
        texts += [ax.get_xlabel(), ax.get_ylabel()]
        texts += [t.get_text() for t in ax.texts]
        texts += _legend_texts(ax.get_legend())
        texts += _tick_labels(ax.xaxis) + _tick_labels(ax.yaxis)
    return [t for t in texts if t.strip()]


def side_output_standins(size: int = 64):
    """A grey disk and five blurred rings standing in for HED's image and side outputs:
    ((size, size, 3) image, five (size, size) maps, ring width 1..5 px)."""
    yy, xx = np.mgrid[:size, :size]
    d = np.hypot(yy - size / 2, xx - size / 2)
    gray = np.where(d < 20, 0.8, 0.2)
    sides = [np.exp(-((d - 20) ** 2) / (2 * s**2)) for s in (1, 2, 3, 4, 5)]
    return np.repeat(gray[..., None], 3, axis=2), sides


def cascade_standin() -> dict:
    """MTCNN's stages as ``detection.faces`` reports them, made up: 9 -> 4 P-Net boxes,
    3 -> 2 R-Net, 1 -> 1 O-Net (each an (n, 4) box array and n scores)."""

    def stage(n):
        xy = np.arange(n)[:, None] * 2.0
        return np.concatenate([xy, xy, xy + 5, xy + 5], axis=1), np.ones(n)

    return {
        "pnet": {"before_nms": stage(9), "after_nms": stage(4)},
        "rnet": {"before_nms": stage(3), "after_nms": stage(2)},
        "onet": {"before_nms": stage(1), "after_nms": stage(1)},
    }


def conv_volume_standin():
    """A 3-channel 6x6 input (an edge in channel 0, a constant in channel 1) and a 3x3x3
    filter with a Prewitt x in channel 0: what plot_conv_volume's tests draw."""
    from cnnlab import filters

    x = np.zeros((3, 6, 6))
    x[0, :, :3] = 10
    x[1] = 5
    w = np.zeros((3, 3, 3))
    w[0] = filters.prewitt_x()
    return x, w


@functools.cache
def nms_standin():
    """The scene NMS is shown on (lesson 10's: one image, 4 shapes, seed 21) and its noisy
    candidates (5 per object, seed 0): (scene, (boxes, scores, classes)). Cached: treat
    both as read-only."""
    from cnnlab.detection import shapes

    scene = shapes.make_shapes(1, min_objects=4, max_objects=4, seed=21)
    candidates = shapes.noisy_detections(scene.boxes[0], scene.classes[0], per_object=5, seed=0)
    return scene, candidates


def fake_edge_maps(h=20, w=30):
    """A dict shaped like learned.compare_edges' (no network needed), new on every call."""
    from cnnlab.filters.learned import EDGE_MAPS

    rng = np.random.default_rng(0)
    return {name: rng.uniform(size=(h, w)) for name in EDGE_MAPS}


def fake_edge_photo(h=20, w=30):
    """The random (h, w, 3) photo drawn beside :func:`fake_edge_maps`."""
    return np.random.default_rng(1).uniform(size=(h, w, 3))


def first_layer_filters_standin():
    """Five stand-in first-layer filters, (5, 3, 3, 3) (VGG16's need its weights file):
    three edges, one colour, one flat."""
    from cnnlab import filters

    w = np.zeros((5, 3, 3, 3))
    w[:3] = -filters.prewitt_x()  # three edges, gradient left-right
    w[3, 1] = 1.0  # green only: colour
    w[4] = 1.0  # flat: other
    return w


@functools.cache
def segmentation_standin():
    """Three 32x32 shape scenes (seed 2) and three generated segmentation images with their
    label maps (seed 2): (scenes, images, labels). Cached: treat them as read-only."""
    from cnnlab.detection import shapes
    from cnnlab.segmentation import make_segmentation

    scenes = shapes.make_shapes(
        3, image_size=32, min_objects=1, max_objects=3, min_size=8, max_size=20, seed=2
    )
    images, labels = make_segmentation(3, seed=2)
    return scenes, images, labels
