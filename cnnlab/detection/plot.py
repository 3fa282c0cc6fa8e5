"""Pictures of object detection: boxes on images, IoU, non-max suppression, the YOLO grid,
sliding-window scores, region proposals.

Used by lesson 10 (object detection). Every ``plot_*`` returns a Figure made outside pyplot
(:func:`cnnlab.drawing.figure`); :func:`draw_boxes` draws into a given axes. The numbers
they show come from :mod:`cnnlab.detection`'s maths, never from the drawing code.
"""

from __future__ import annotations

import matplotlib.collections
import matplotlib.patches
import numpy as np

from .. import drawing
from ..i18n import Messages, tr
from ..validate import as_boxes, as_classes, as_sizes, as_vector, check_fraction
from .anchors import assign_anchors, encode_targets, shape_iou
from .boxes import box_area, intersection, iou
from .metrics import interpolated_precision
from .nms import non_max_suppression

#: One colour per shape class (ellipse, rectangle, triangle), bright on the dark scenes.
CLASS_COLOURS = ("#ffb000", "#3fd0ff", "#ff5ad2", "#9be36b", "#ff6b6b", "#c9a0ff")


def class_colour(c) -> str:
    """The colour of class ``c`` (an int; wraps around :data:`CLASS_COLOURS`)."""
    return CLASS_COLOURS[int(c) % len(CLASS_COLOURS)]


def draw_boxes(
    ax,
    boxes,
    classes=None,
    scores=None,
    *,
    names=None,
    color=None,
    ls="-",
    lw=1.6,
    fontsize=7,
    alpha=1.0,
    label=True,
):
    """Draw xyxy boxes on ``ax``: one colour per class (or ``color``), an optional label
    "name score" above each box.

    boxes: (N, 4) xyxy in pixels; classes: optional (N,) ints (``names[c]`` labels them);
    scores: optional (N,). Returns the list of N Rectangle patches.
    """
    b = as_boxes(boxes)
    cls = None if classes is None else as_classes(classes, len(b))
    sc = None if scores is None else as_vector(scores, "scores", len(b))
    patches = []
    # On an image panel the limits are set (draw_image): add_patch would still grow the
    # data limits box by box, a third of the NMS explorer's drawing time for nothing.
    fixed = not (ax.get_autoscalex_on() or ax.get_autoscaley_on())
    add = ax.add_artist if fixed else ax.add_patch
    for k, (x1, y1, x2, y2) in enumerate(b):
        c = None if cls is None else int(cls[k])
        col = color or (class_colour(c) if c is not None else "white")
        rect = matplotlib.patches.Rectangle(
            (x1, y1), x2 - x1, y2 - y1, fill=False, ec=col, lw=lw, ls=ls, alpha=alpha
        )
        add(rect)
        patches.append(rect)
        parts = []
        if label and c is not None:
            parts.append(names[c] if names is not None else str(c))
        if label and sc is not None:
            parts.append(f"{sc[k]:.2f}")
        if parts:
            ax.text(
                x1,
                y1 - 0.5,
                " ".join(parts),
                color="black",
                fontsize=fontsize,
                va="bottom",
                ha="left",
                alpha=alpha,
                clip_on=True,
                bbox={"fc": col, "ec": "none", "pad": 0.5, "alpha": 0.85 * alpha},
            )
    return patches


def plot_detections(
    images,
    detections=None,
    truths=None,
    titles=None,
    *,
    names=None,
    cols: int | None = None,
    size: float = 2.4,
    fontsize: int = 6,
):
    """A grid of images with boxes. images: N images (3, H, W) or (H, W, 3).

    detections: per image (boxes (K, 4), scores (K,), classes (K,)), drawn solid with
    labels; truths: per image (boxes (M, 4), classes (M,)), drawn dashed white (the answer);
    titles: N strings. Returns the Figure.
    """
    images = list(images)
    if not images:
        raise ValueError(tr("plot_detections needs at least one image"))
    for what, items in (("detections", detections), ("truths", truths), ("titles", titles)):
        if items is not None and len(items) != len(images):
            raise ValueError(
                tr("got {k} {what} for {n} images").format(k=len(items), what=what, n=len(images))
            )
    cols = cols or min(len(images), 5)
    rows = -(-len(images) // cols)
    fig = drawing.figure((size * cols, size * rows + 0.25 * (titles is not None) * rows))
    axes = fig.subplots(rows, cols, squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for i, img in enumerate(images):
        ax = axes.flat[i]
        drawing.draw_image(ax, img)
        ax.axis("on")
        if truths is not None:
            draw_boxes(ax, truths[i][0], color="white", ls=(0, (3, 2)), lw=1.0, label=False)
        if detections is not None:
            b, s, c = detections[i]
            draw_boxes(ax, b, c, s, names=names, fontsize=fontsize)
        if titles is not None:
            ax.set_title(titles[i], fontsize=8)
    fig.subplots_adjust(
        left=0.01,
        right=0.99,
        bottom=0.01,
        top=0.93 if titles else 0.99,
        wspace=0.05,
        hspace=0.2 if titles else 0.05,
    )
    return fig


def plot_localization(image, y, names=None, title=None):
    """One image (3, H, W) or (H, W, 3) and its localization label
    y = (pc, bx, by, bh, bw, c1..cC), shape (5 + C,), where (bx, by) is the midpoint and
    (bh, bw) the size **as fractions of the image** (the notes' convention for a single
    object: top-left (0, 0), bottom-right (1, 1)). Returns the Figure."""
    y = np.asarray(y, dtype=float)
    fig = drawing.figure((4.6, 2.6))
    ax, tx = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.1]})
    h, w = drawing.draw_image(ax, image)
    if y[0] == 1:
        cx, cy, bh, bw = y[1] * w, y[2] * h, y[3] * h, y[4] * w
        cls = int(np.argmax(y[5:]))
        draw_boxes(ax, [cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2], [cls], names=names)
        ax.plot(cx, cy, "o", color="white", ms=4, mec="black")
    tx.axis("off")
    labels = ["pc", "bx", "by", "bh", "bw"] + [f"c{k + 1}" for k in range(len(y) - 5)]
    lines = [
        f"{n:>3} = {'?' if (y[0] == 0 and k > 0) else f'{v:.2f}'}"
        for k, (n, v) in enumerate(zip(labels, y))
    ]
    tx.text(0.0, 0.5, "y =\n" + "\n".join(lines), family="monospace", fontsize=8, va="center")
    if title:
        ax.set_title(title, fontsize=9)
    fig.subplots_adjust(left=0.02, right=0.98, top=0.88, bottom=0.04, wspace=0.05)
    return fig


def plot_landmarks(images, landmarks, predicted=None, titles=None, size: float = 1.7):
    """Images with their landmarks: true points as white circles numbered 1, 2, ... (the
    order the label lists them in), predicted ones as coloured crosses joined to their
    true point. images: N images (3, H, W); landmarks, predicted: (N, L, 2) (x, y) in
    pixels. Returns the Figure."""
    images = list(images)
    marks = np.asarray(landmarks, dtype=float)
    fig = drawing.figure((size * len(images), size + (0.3 if titles else 0.05)))
    axes = np.atleast_1d(fig.subplots(1, len(images)))
    for i, ax in enumerate(axes):
        drawing.draw_image(ax, images[i])
        for k, (x, y) in enumerate(marks[i]):
            ax.plot(x, y, "o", mfc="none", mec="white", ms=6, mew=1.2)
            ax.text(x + 1.2, y - 1.2, str(k + 1), color="white", fontsize=7, weight="bold")
            if predicted is not None:
                px, py = np.asarray(predicted, float)[i, k]
                col = class_colour(k + 3)
                ax.plot([x, px], [y, py], color=col, lw=0.8)
                ax.plot(px, py, "x", color=col, ms=6, mew=1.8)
        if titles:
            ax.set_title(titles[i], fontsize=8)
    fig.subplots_adjust(
        left=0.01, right=0.99, bottom=0.01, top=0.86 if titles else 0.99, wspace=0.05
    )
    return fig


def draw_overlap(ax, box_a, box_b, size: int):
    """Draw boxes A (blue) and B (red), each (4,) xyxy, on a size x size canvas in ``ax``,
    with a unit grid and their intersection shaded. Returns ``ax``."""
    a, b = as_boxes(box_a, "box_a")[0], as_boxes(box_b, "box_b")[0]
    # one collection for the whole grid: a Line2D per line made each slider move slow
    ticks = np.arange(size + 1)
    grid = [[(k, 0), (k, size)] for k in ticks] + [[(0, k), (size, k)] for k in ticks]
    ax.add_collection(matplotlib.collections.LineCollection(grid, colors="0.9", lw=0.5, zorder=0))
    draw_boxes(ax, a, color="tab:blue", lw=2, label=False)
    draw_boxes(ax, b, color="tab:red", lw=2, label=False)
    ax.text(a[0] + 0.15, a[1] + 0.15, "A", color="tab:blue", va="top", fontsize=10, weight="bold")
    ax.text(
        b[2] - 0.15,
        b[3] - 0.15,
        "B",
        color="tab:red",
        ha="right",
        va="bottom",
        fontsize=10,
        weight="bold",
    )
    lo, hi = np.maximum(a[:2], b[:2]), np.minimum(a[2:], b[2:])
    if np.all(hi > lo):
        ax.add_patch(
            matplotlib.patches.Rectangle(
                lo, *(hi - lo), fc="tab:purple", alpha=0.45, ec="none", hatch="///"
            )
        )
    ax.set_xlim(0, size)
    ax.set_ylim(size, 0)
    ax.set_aspect("equal")
    ax.tick_params(labelsize=7)
    return ax


def plot_iou(
    x: float = 4, y: float = 3, w: float = 5, h: float = 4, box_a=(2, 2, 7, 6), size: int = 12
):
    """Two boxes on a size x size canvas: A = ``box_a`` (4,) fixed, B = (x, y, x + w, y + h).
    Shades the intersection, outlines the union and writes
    IoU = area(A ∩ B) / area(A ∪ B).

    Returns the Figure; a width or height <= 0, or B outside the canvas, raises ValueError.
    """
    if w <= 0 or h <= 0:
        raise ValueError(
            tr("box B needs a width and a height > 0, got w={w}, h={h}").format(w=w, h=h)
        )
    b = np.array([x, y, x + w, y + h], dtype=float)
    if b[0] < 0 or b[1] < 0 or b[2] > size or b[3] > size:
        raise ValueError(
            tr(
                "box B = {box} sticks out of the {size}x{size} canvas: keep x + w <= {size} "
                "and y + h <= {size}"
            ).format(box=b.tolist(), size=size)
        )
    a = as_boxes(box_a)[0]
    inter = float(intersection(a, b)[0, 0])
    area_a, area_b = float(box_area(a)[0]), float(box_area(b)[0])
    value = float(iou(a, b)[0, 0])
    fig = drawing.figure((3.4, 3.6))
    ax = draw_overlap(fig.subplots(), a, b, size)
    union = area_a + area_b - inter
    verdict = tr("correct (≥ 0.5)") if value >= 0.5 else tr("not a match (< 0.5)")
    ax.set_title(
        f"∩ = {inter:g}, ∪ = {area_a:g} + {area_b:g} − {inter:g} = {union:g}\n"
        f"IoU = {inter:g} / {union:g} = {value:.3f}: {verdict}",
        fontsize=8.5,
    )
    fig.subplots_adjust(left=0.1, right=0.97, bottom=0.06, top=0.86)  # tight_layout costs a render
    return fig


def plot_nms(
    image,
    boxes,
    scores,
    classes=None,
    iou_threshold: float = 0.5,
    score_threshold: float = 0.3,
    per_class: bool = True,
    names=None,
):
    """Non-max suppression on one image, before and after.

    image: (3, H, W) or (H, W, 3); boxes: (N, 4) xyxy; scores: (N,); classes: optional (N,).
    Left: every box scoring >= score_threshold. Right: the boxes NMS keeps (solid, with
    their scores) and the ones it suppresses (thin dashed). Returns the Figure; thresholds
    outside [0, 1] raise ValueError.
    """
    check_fraction("iou_threshold", iou_threshold)
    check_fraction("score_threshold", score_threshold)
    b = as_boxes(boxes)
    s = as_vector(scores, "scores", len(b))
    c = np.zeros(len(b), dtype=int) if classes is None else as_classes(classes, len(b))
    cand = np.flatnonzero(s >= score_threshold)
    keep = cand[
        non_max_suppression(b[cand], s[cand], iou_threshold, classes=c[cand] if per_class else None)
    ]
    gone = np.setdiff1d(cand, keep)
    fig = drawing.figure((5.6, 3.1))
    axes = fig.subplots(1, 2)
    for ax in axes:
        drawing.draw_image(ax, image)
    draw_boxes(axes[0], b[cand], c[cand], None, names=names, lw=1.0, label=False)
    draw_boxes(
        axes[1], b[gone], c[gone], None, names=names, lw=0.8, ls=(0, (2, 2)), alpha=0.6, label=False
    )
    draw_boxes(axes[1], b[keep], c[keep], s[keep], names=names, lw=1.8, fontsize=6)
    axes[0].set_title(
        tr("before: {n} boxes with score ≥ {thr:.2f}").format(n=len(cand), thr=score_threshold),
        fontsize=8,
    )
    if per_class:
        after = tr("after NMS (IoU > {iou:.2f} suppressed, per class):")
    else:
        after = tr("after NMS (IoU > {iou:.2f} suppressed):")
    axes[1].set_title(
        after.format(iou=iou_threshold)
        + "\n"
        + tr("{kept} kept, {gone} suppressed (dashed)").format(kept=len(keep), gone=len(gone)),
        fontsize=8,
    )
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.86, wspace=0.04)
    return fig


def draw_yolo_cells(ax, boxes, classes, assignment, grid_size: int, image_size):
    """Draw a YOLO grid over an image panel ``ax``: the S x S cell borders, the boxes, each
    object's midpoint and the cell responsible for it (shaded in the object's colour).

    boxes: (N, 4) xyxy; classes: (N,) ints; assignment: the :class:`Assignment` of the N
    objects (:func:`cnnlab.detection.assign_anchors`); image_size: (H, W). Returns ``ax``.
    """
    h, w = image_size
    b = as_boxes(boxes)
    c = as_classes(classes, len(b))
    ch, cw = h / grid_size, w / grid_size
    for k in range(1, grid_size):
        ax.axhline(k * ch, color="white", lw=0.7, alpha=0.8)
        ax.axvline(k * cw, color="white", lw=0.7, alpha=0.8)
    draw_boxes(ax, b, c, lw=1.2, label=False)
    for i in range(len(b)):
        r, col = int(assignment.row[i]), int(assignment.col[i])
        colour = class_colour(c[i])
        ax.add_patch(
            matplotlib.patches.Rectangle(
                (col * cw, r * ch), cw, ch, fc=colour, alpha=0.15, ec="none"
            )
        )
        ax.add_patch(
            matplotlib.patches.Rectangle((col * cw, r * ch), cw, ch, fill=False, ec=colour, lw=2)
        )
        mx, my = (b[i, 0] + b[i, 2]) / 2, (b[i, 1] + b[i, 3]) / 2
        ax.plot(mx, my, "o", color=colour, mec="black", ms=5)
    return ax


def _label_lines(target, classes, assignment, names, with_anchors: bool) -> list[str]:
    """The text beside the YOLO grid, one entry per object: its slot and its vector."""
    lines = []
    for i, c in enumerate(as_classes(classes, len(assignment.row))):
        r, col, an = int(assignment.row[i]), int(assignment.col[i]), int(assignment.anchor[i])
        name = names[c] if names is not None else tr("class {c}").format(c=c)
        if with_anchors:
            where = tr("cell ({row}, {col}), anchor {anchor}").format(row=r, col=col, anchor=an)
        else:
            where = tr("cell ({row}, {col})").format(row=r, col=col)
        if assignment.kept[i]:
            vec = ", ".join(f"{t:.2f}".rstrip("0").rstrip(".") for t in target[r, col, an])
            lines.append(f"{name}: {where}\n   y = ({vec})")
        else:
            lines.append(f"{name}: {where}\n   " + tr("LOST: slot taken by another object"))
    return lines


def plot_yolo_grid(
    image, boxes, classes, grid_size: int = 3, anchors=None, names=None, num_classes: int = 3
):
    """The YOLO target of one image: the S x S grid, each object's midpoint and the cell
    responsible for it (shaded), and the label vector of that cell written beside.

    image: (3, H, W) or (H, W, 3); boxes: (N, 4) xyxy; classes: (N,); anchors: optional
    (B, 2). Returns the Figure. The vectors come from
    :func:`cnnlab.detection.encode_targets`.
    """
    img = drawing.to_hwc(image)
    h, w = img.shape[:2]
    b = as_boxes(boxes)
    c = as_classes(classes, len(b))
    target = encode_targets(b, c, grid_size, (h, w), num_classes, anchors)
    a = assign_anchors(b, grid_size, (h, w), anchors)
    fig = drawing.figure((6.4, 3.3))
    ax, tx = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.05]})
    drawing.draw_image(ax, img)
    draw_yolo_cells(ax, b, c, a, grid_size, (h, w))
    lines = [
        tr("grid {s}x{s}, cells {cw:.3g}x{ch:.3g} px, target {shape}").format(
            s=grid_size,
            cw=w / grid_size,
            ch=h / grid_size,
            shape="x".join(str(n) for n in target.shape[:4]),
        ),
        "y = (pc, bx, by, bh, bw, c1..c3)",
    ] + _label_lines(target, c, a, names, anchors is not None)
    tx.axis("off")
    tx.text(0, 1, "\n".join(lines), va="top", fontsize=7.5, family="monospace")
    fig.subplots_adjust(left=0.01, right=0.99, top=0.98, bottom=0.02, wspace=0.04)
    return fig


def plot_window_scores(
    image, scores, window: int, stride: int, names, detections=None, truths=None
):
    """Sliding-window results: the image (with one window outlined, or the detections and
    true boxes) and one map per class of the probability each window gets.

    image: (3, H, W); scores: (rows, cols, classes); names: one per class; detections:
    optional (boxes (K, 4), scores (K,), classes (K,)); truths: optional (M, 4) boxes.
    Returns the Figure.
    """
    scores = np.asarray(scores)
    n = scores.shape[-1]
    fig = drawing.figure((2.1 * (n + 1), 2.4))
    axes = fig.subplots(1, n + 1)
    drawing.draw_image(axes[0], image)
    if truths is not None:
        draw_boxes(axes[0], truths, color="white", ls=(0, (3, 2)), lw=1.0, label=False)
    if detections is not None:
        draw_boxes(
            axes[0], detections[0], detections[2], detections[1], names=names, fontsize=5, lw=1.2
        )
    else:
        draw_boxes(axes[0], [0, 0, window, window], color="white", label=False)
        axes[0].set_title(
            tr("window {window}x{window}, stride {stride}").format(window=window, stride=stride),
            fontsize=8,
        )
    for k in range(n):
        ax = axes[k + 1]
        ax.imshow(scores[..., k], vmin=0, vmax=1, cmap="magma")
        ax.set_title(f"P({names[k]})", fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=0.86, wspace=0.06)
    return fig


def plot_anchors(wh, anchors, title=None):
    """Box sizes of a dataset (width vs height), coloured by the anchor each one is nearest
    to (highest IoU), with the anchors as big markers and their shapes drawn to scale.

    wh: (N, 2) box (width, height) in pixels; anchors: (B, 2). Returns the Figure.
    """
    wh, anchors = as_sizes(wh, "wh"), as_sizes(anchors, "anchors")
    nearest = shape_iou(wh, anchors).argmax(axis=1)
    fig = drawing.figure((7.0, 3.2))
    ax, ax2 = fig.subplots(1, 2)
    for k in range(len(anchors)):
        m = nearest == k
        ax.scatter(wh[m, 0], wh[m, 1], s=4, alpha=0.4, color=class_colour(k + 3))
        ax.plot(*anchors[k], "X", color=class_colour(k + 3), mec="black", ms=10)
        ax2.add_patch(
            matplotlib.patches.Rectangle(
                -anchors[k] / 2, *anchors[k], fill=False, ec=class_colour(k + 3), lw=2
            )
        )
    ax.set_xlabel(tr("box width (px)"), fontsize=8)
    ax.set_ylabel(tr("box height (px)"), fontsize=8)
    ax.set_aspect("equal")
    ax.tick_params(labelsize=7)
    ax.set_title(title or tr("objects, coloured by nearest anchor"), fontsize=8)
    lim = np.abs(anchors).max() * 0.6
    ax2.set_xlim(-lim, lim)
    ax2.set_ylim(lim, -lim)
    ax2.set_aspect("equal")
    ax2.tick_params(labelsize=7)
    ax2.set_title(tr("the anchors' shapes (px)"), fontsize=8)
    fig.tight_layout()
    return fig


def plot_precision_recall(curves: dict, title=None):
    """Precision-recall curves. curves: {label: (precision (K,), recall (K,), ap)}; the
    shaded area under each monotone (interpolated) curve is its average precision.
    Returns the Figure."""
    fig = drawing.figure((4.2, 3.2))
    ax = fig.subplots()
    for k, (label, (p, r, ap)) in enumerate(curves.items()):
        p, r = np.asarray(p, float), np.asarray(r, float)
        env = interpolated_precision(p)  # best precision to the right
        col = class_colour(k)
        ax.plot(r, p, ".", color=col, ms=3, alpha=0.6)
        ax.step(
            np.r_[0, r],
            np.r_[env[:1], env],
            where="pre",
            color=col,
            label=f"{label}: AP = {ap:.3f}",
        )
        ax.fill_between(np.r_[0, r], np.r_[env[:1], env], step="pre", color=col, alpha=0.1)
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel(tr("recall (found / all true objects)"), fontsize=8)
    ax.set_ylabel(tr("precision (right / all detections)"), fontsize=8)
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=7, loc="lower left")
    ax.grid(alpha=0.3)
    if title:
        ax.set_title(title, fontsize=9)
    fig.tight_layout()
    return fig


#: A loss term's key (``yolo_loss``'s) as the legend shows it, in cnnlab's language.
TERM_LABELS = Messages(
    lambda: {
        "object": tr("object"),
        "no_object": tr("no object"),
        "box": tr("box"),
        "class": tr("class"),
        "total": tr("total"),
    }
)


def plot_detector_history(history: dict):
    """The detector's loss terms per epoch (log scale). history: the dict
    :func:`cnnlab.detection.yolo.train_detector` returns. Returns the Figure."""
    terms = history.get("terms")
    if not terms:
        raise ValueError(tr("history has no 'terms': pass the dict train_detector returned"))
    fig = drawing.figure((4.6, 3.0))
    ax = fig.subplots()
    epochs = np.arange(1, len(terms) + 1)
    for name in terms[0]:
        ax.plot(
            epochs,
            [t[name] for t in terms],
            marker="o",
            ms=2.5,
            label=TERM_LABELS.get(name, name),
            lw=2.2 if name == "total" else 1.2,
            color="black" if name == "total" else None,
        )
    ax.set_yscale("log")
    ax.set_xlabel(tr("epoch"), fontsize=8)
    ax.set_ylabel(tr("loss per image"), fontsize=8)
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=7, ncol=2)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def plot_proposals(image, proposals, segments=None, truths=None, title=None):
    """Region proposals: the initial segmentation (if given), then every proposal box over
    the image, with the true boxes dashed white.

    image: (H, W, 3) or (3, H, W); proposals: (K, 4) xyxy; segments: optional (H, W) region
    labels; truths: optional (M, 4). Returns the Figure.
    """
    panels = 2 if segments is not None else 1
    fig = drawing.figure((2.8 * panels, 3.0))
    axes = np.atleast_1d(fig.subplots(1, panels))
    if segments is not None:
        seg = np.asarray(segments)
        axes[0].imshow(
            seg % 20,
            cmap="tab20",
            extent=(0, seg.shape[1], seg.shape[0], 0),
            interpolation="nearest",
        )
        axes[0].set_xticks([])
        axes[0].set_yticks([])
        axes[0].set_title(tr("{n} initial regions").format(n=len(np.unique(seg))), fontsize=8)
    ax = axes[-1]
    drawing.draw_image(ax, image)
    draw_boxes(ax, proposals, color="#ffe14d", lw=0.6, alpha=0.7, label=False)
    if truths is not None:
        draw_boxes(ax, truths, color="white", ls=(0, (3, 2)), lw=1.3, label=False)
    ax.set_title(title or tr("{n} proposals").format(n=len(np.asarray(proposals))), fontsize=8)
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.9, wspace=0.05)
    return fig
