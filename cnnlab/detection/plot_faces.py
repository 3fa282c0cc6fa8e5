"""Pictures of a real face detector, MTCNN: the faces and their 5 landmarks, the image
pyramid, P-Net's map (the convolutional sliding window) and the boxes of each stage before
and after non-max suppression.

Used by lesson 10 (object detection), section 6. Every ``plot_*`` returns a Figure made
outside pyplot (:func:`cnnlab.drawing.figure`); the numbers come from
:func:`cnnlab.pretrained.detect_faces` and :mod:`cnnlab.detection.faces`, never from the
drawing code.
"""

from __future__ import annotations

import matplotlib.lines
import matplotlib.patches
import numpy as np

from .. import drawing
from ..i18n import tr
from ..validate import as_boxes, as_real_array, as_vector
from .faces import STRIDE, WINDOW, pyramid_level
from .plot import draw_boxes

#: The order of MTCNN's 5 landmarks (as seen in the image) and the colour each is drawn in.
#: The names are English; :func:`landmark_names` gives them in the language of the moment.
LANDMARKS = ("eye (image left)", "eye (image right)", "nose", "mouth (left)", "mouth (right)")
LANDMARK_COLOURS = ("#00e5ff", "#2979ff", "#ffea00", "#ff4081", "#d500f9")


def landmark_names() -> tuple[str, ...]:
    """The names of :data:`LANDMARKS`, in the language cnnlab speaks now (the figures' legend)."""
    return (
        tr("eye (image left)"),
        tr("eye (image right)"),
        tr("nose"),
        tr("mouth (left)"),
        tr("mouth (right)"),
    )


def _landmarks(landmarks, n: int) -> np.ndarray:
    """(n, 5, 2) landmark array, checked."""
    lm = as_real_array("landmarks", landmarks).astype(float)
    if lm.shape != (n, 5, 2):
        raise ValueError(
            tr(
                "landmarks must have shape ({n}, 5, 2) (x, y of 5 points per face), got {shape}"
            ).format(n=n, shape=lm.shape)
        )
    return lm


def draw_faces(ax, boxes, scores=None, landmarks=None, color="#39ff14", fontsize=7):
    """Draw face boxes (K, 4) xyxy with their scores (K,) and 5 landmarks (K, 5, 2) (x, y)
    on ``ax``, each landmark in its colour of :data:`LANDMARK_COLOURS`. Returns ``ax``."""
    b = as_boxes(boxes)
    s = None if scores is None else as_vector(scores, "scores", len(b))
    lw = max(1.0, 0.012 * float(np.median(b[:, 2] - b[:, 0]))) if len(b) else 1.0
    for k, box in enumerate(b):
        draw_boxes(ax, box, color=color, lw=min(lw, 2.5), label=False)
        if s is not None:
            ax.text(
                *box[:2],
                f"{s[k]:.3f}",
                color="black",
                fontsize=fontsize,
                va="bottom",
                bbox={"fc": color, "ec": "none", "pad": 0.6},
                clip_on=True,
            )
    if landmarks is not None:
        lm = _landmarks(landmarks, len(b))
        names = landmark_names()
        for p, colour in enumerate(LANDMARK_COLOURS):
            ax.scatter(
                lm[:, p, 0],
                lm[:, p, 1],
                s=14,
                c=colour,
                edgecolors="black",
                linewidths=0.5,
                zorder=5,
                label=names[p],
            )
    return ax


def plot_faces(images, results, titles=None, truths=None, size: float = 3.2):
    """Images with the faces found in them: boxes, scores and the 5 landmarks.

    images: N images (H, W, 3); results: per image (boxes (K, 4), scores (K,), landmarks
    (K, 5, 2)) as :func:`cnnlab.pretrained.detect_faces` returns them; truths: optional per
    image (M, 4) boxes drawn dashed white (or None); titles: N strings. Returns the Figure.
    """
    images, results = list(images), list(results)
    if not images or len(results) != len(images):
        raise ValueError(
            tr("need one result per image, got {k} for {n} images").format(
                k=len(results), n=len(images)
            )
        )
    heights = [np.shape(img)[0] / np.shape(img)[1] for img in images]
    fig = drawing.figure((size * len(images), size * max(heights) + 0.7))
    axes = np.atleast_1d(fig.subplots(1, len(images)))
    for i, (ax, img, (b, s, lm)) in enumerate(zip(axes, images, results)):
        drawing.draw_image(ax, img)
        if truths is not None and truths[i] is not None:
            draw_boxes(ax, truths[i], color="white", ls=(0, (3, 2)), lw=1.0, label=False)
        draw_faces(ax, b, s, lm)
        if titles is not None:
            ax.set_title(titles[i], fontsize=8)
    handles = [
        matplotlib.lines.Line2D([], [], ls="", marker="o", mfc=c, mec="black", label=name)
        for name, c in zip(landmark_names(), LANDMARK_COLOURS)
    ]
    # five names in a row need ~6.5 inches; a narrower figure gets two rows of three
    ncol = 5 if fig.get_figwidth() >= 6.5 else 3
    fig.legend(handles=handles, loc="lower center", ncol=ncol, fontsize=7, frameon=False)
    fig.subplots_adjust(
        left=0.01, right=0.99, bottom=0.1 if ncol == 5 else 0.13, top=0.92, wspace=0.05
    )
    return fig


def plot_pyramid(image, scales, levels: int | None = None):
    """The image pyramid P-Net runs on: each level drawn at its true size in pixels, side by
    side, with P-Net's 12 x 12 window (red) drawn to the same scale on each. The window is
    fixed; on a smaller level it covers more of the face.

    image: (H, W, 3); scales: the pyramid (:func:`cnnlab.pretrained.faces.pyramid_scales`);
    levels: how many to draw (default all). Returns the Figure.
    """
    scales = [float(s) for s in scales][:levels]
    if not scales:
        raise ValueError(tr("scales is empty: the image is smaller than the smallest face"))
    pics = [pyramid_level(image, s) for s in scales]
    widths = [p.shape[1] for p in pics]
    gap = max(4, widths[0] // 25)
    total, height = sum(widths) + gap * (len(pics) - 1), pics[0].shape[0]
    top = 0.22 * height  # room for the labels above the levels
    width_in = 11.0
    fig = drawing.figure((width_in, width_in * (height + top) / total + 0.35))
    ax = fig.subplots()
    x = 0
    for k, (s, p) in enumerate(zip(scales, pics)):
        h, w = p.shape[:2]
        ax.imshow(p, extent=(x, x + w, height, height - h), interpolation="nearest")
        ax.add_patch(
            matplotlib.patches.Rectangle(
                (x + 1, height - h + 1), WINDOW, WINDOW, fill=False, ec="red", lw=1.2
            )
        )
        label = f"×{s:.3g}\n{w}×{h}" if w >= 0.06 * total or k == 0 else f"{w}"
        ax.text(x, height - h - 0.01 * height, label, fontsize=6.5, va="bottom")
        x += w + gap
    ax.set_xlim(-1, total + 1)
    ax.set_ylim(height + 1, -top)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(
        tr(
            "image pyramid, {n} levels (scale, size in px); red: P-Net's "
            "{window}×{window} window, drawn to scale"
        ).format(n=len(scales), window=WINDOW),
        fontsize=8,
    )
    fig.subplots_adjust(left=0.005, right=0.995, bottom=0.01, top=0.9)
    return fig


def plot_pnet_map(level, prob, threshold: float = 0.6):
    """P-Net on one pyramid level: the level (h, w, 3) with the best window and a few of
    its stride-2 neighbours outlined, and the face-probability map (rows, cols), one pixel
    per 12 x 12 window, with the windows above ``threshold`` outlined.

    Returns the Figure.
    """
    p = as_real_array("prob", prob).astype(float)
    if p.ndim != 2:
        raise ValueError(
            tr("prob must be a 2-D map (rows, cols), got shape {shape}").format(shape=p.shape)
        )
    i, j = np.unravel_index(int(np.argmax(p)), p.shape)
    fig = drawing.figure((6.4, 3.3))
    ax, mx = fig.subplots(1, 2)
    drawing.draw_image(ax, level)
    for di, dj in ((0, 1), (1, 0), (0, 0)):  # two neighbours, then the best on top
        y, x = STRIDE * (i + di), STRIDE * (j + dj)
        best = di == dj == 0
        ax.add_patch(
            matplotlib.patches.Rectangle(
                (x, y),
                WINDOW,
                WINDOW,
                fill=False,
                ec="red" if best else "yellow",
                lw=1.5 if best else 0.8,
                ls="-" if best else "--",
            )
        )
    h, w = np.shape(level)[:2]
    ax.set_title(
        tr("pyramid level {w}×{h}: {window}×{window} windows, stride {stride}").format(
            w=w, h=h, window=WINDOW, stride=STRIDE
        ),
        fontsize=8,
    )
    im = mx.imshow(p, vmin=0, vmax=1, cmap="magma", extent=(0, p.shape[1], p.shape[0], 0))
    for r, c in zip(*np.nonzero(p >= threshold)):
        mx.add_patch(matplotlib.patches.Rectangle((c, r), 1, 1, fill=False, ec="cyan", lw=0.6))
    mx.add_patch(matplotlib.patches.Rectangle((j, i), 1, 1, fill=False, ec="red", lw=1.5))
    mx.set_title(
        tr("P-Net's map {cols}×{rows}: P(face) per window").format(cols=p.shape[1], rows=p.shape[0])
        + "\n"
        + tr("(cyan: ≥ {threshold:g}; red: the best, {best:.3f})").format(
            threshold=threshold, best=p[i, j]
        ),
        fontsize=8,
    )
    mx.set_xticks([])
    mx.set_yticks([])
    fig.colorbar(im, ax=mx, fraction=0.046, pad=0.03).ax.tick_params(labelsize=6)
    fig.subplots_adjust(left=0.01, right=0.93, bottom=0.02, top=0.86, wspace=0.08)
    return fig


def plot_cascade(image, stages: dict):
    """The boxes of each MTCNN stage on ``image``, before and after non-max suppression.

    stages: the dict :func:`cnnlab.pretrained.detect_faces` returns with
    ``return_stages=True``. Five panels: P-Net's windows above its threshold (all pyramid
    levels), after NMS, what R-Net keeps, after NMS, and O-Net's final faces. Returns the
    Figure.
    """
    panels = [
        (tr("P-Net, before NMS"), stages["pnet"]["before_nms"], 0.4),
        (tr("P-Net, after NMS"), stages["pnet"]["after_nms"], 0.6),
        (tr("R-Net, before NMS"), stages["rnet"]["before_nms"], 0.8),
        (tr("R-Net, after NMS"), stages["rnet"]["after_nms"], 1.0),
        (tr("O-Net: the faces"), stages["onet"]["after_nms"], 1.6),
    ]
    h, w = np.shape(image)[:2]
    fig = drawing.figure((11.0, 11.0 / 5 * h / w + 0.5))
    axes = fig.subplots(1, len(panels))
    for ax, (name, (b, _), lw) in zip(axes, panels):
        drawing.draw_image(ax, image)
        draw_boxes(ax, b, color="#39ff14", lw=lw, alpha=0.7 if len(b) > 20 else 1.0, label=False)
        count = tr("{n} boxes") if len(b) != 1 else tr("{n} box")
        ax.set_title(f"{name}:\n" + count.format(n=len(b)), fontsize=8)
    fig.subplots_adjust(left=0.005, right=0.995, bottom=0.01, top=0.86, wspace=0.03)
    return fig
