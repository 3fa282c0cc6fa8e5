"""Pictures of the segmentation lesson: a transposed convolution three ways, checkerboard
artefacts, label maps over images, per-class IoU and training curves.

Every ``plot_*`` returns a new Figure made outside pyplot (:func:`cnnlab.drawing.figure`).
The numbers come from the reference code (:mod:`cnnlab.conv_transpose`, :mod:`cnnlab.arith`,
:mod:`cnnlab.segmentation.metrics`), so the labels cannot drift from what is drawn: each
picture of a transposed convolution states its own n, f, s, p and output size, and the
convolution it is the transpose of.
"""

from __future__ import annotations

import matplotlib.colors
import matplotlib.patches
import matplotlib.ticker
import numpy as np

from .. import conv_transpose as ct
from ..arith import conv_output_size
from ..arithmetic.plot import TRANSPOSE_NAMES
from ..detection.plot import CLASS_COLOURS, draw_boxes
from ..drawing import draw_image, draw_values, figure, to_hwc
from ..i18n import tr
from ..validate import as_real_array, check_int
from .metrics import mean_iou
from .scenes import CLASS_NAMES
from .upsampling import overlap_counts, pattern_size

#: Cell colours of the zero-stuffing picture (the arithmetic explorer's padding colour).
STUFF_COLOURS = {
    "input": (1.0, 1.0, 1.0),
    "inserted": (1.0, 0.92, 0.72),  # the s - 1 zeros put between input pixels
    "padding": (0.78, 0.85, 0.96),  # the d(f-1) - p zeros around them
}


def _grid(name, a):
    arr = as_real_array(name, a)
    if arr.ndim != 2 or 0 in arr.shape:
        raise ValueError(
            tr("{name} must be a non-empty 2D array (one channel), got {shape}").format(
                name=name, shape=arr.shape
            )
        )
    return arr.astype(float)


def _inside(name, position, shape):
    """(row, col) of ``position``, or a ValueError if it is not a cell of ``shape``."""
    r, c = (check_int(name, v, 0) for v in position)
    if r >= shape[0] or c >= shape[1]:
        raise ValueError(
            tr("{name} must be inside the {h}×{w} output, got {position}").format(
                name=name, h=shape[0], w=shape[1], position=tuple(position)
            )
        )
    return r, c


def _transpose(x, w, stride, padding, output_padding, fn=ct.conv_transpose2d):
    """One-channel 2D transposed convolution through ``fn`` (any of the three ways)."""
    return fn(x[None, None], w[None, None], None, stride, padding, output_padding)[0, 0]


def describe_transpose(n_shape, f_shape, s: int, p: int, op: int) -> str:
    """A correct label, on two lines: the transposed convolution's settings and sizes, and
    the ordinary convolution it is the transpose of (the one that maps the output size back).

    >>> print(describe_transpose((2, 2), (3, 3), 2, 0, 0))
    transposed conv: input 2×2, kernel 3×3, s=2, p=0 → output 5×5
    (the transpose of the conv 5×5 → 2×2 with the same kernel, s, p)
    """
    out = [ct.conv_transpose_output_size(n, f, p, s, 1, op) for n, f in zip(n_shape, f_shape)]
    back = [conv_output_size(o, f, p, s) for o, f in zip(out, f_shape)]
    extra = f", output_padding={op}" if op else ""
    settings = tr(
        "transposed conv: input {n_h}×{n_w}, kernel {f_h}×{f_w}, s={s}, p={p}{extra}"
        " → output {h}×{w}"
    ).format(
        n_h=n_shape[0],
        n_w=n_shape[1],
        f_h=f_shape[0],
        f_w=f_shape[1],
        s=s,
        p=p,
        extra=extra,
        h=out[0],
        w=out[1],
    )
    partner = tr("(the transpose of the conv {h}×{w} → {b_h}×{b_w} with the same kernel, s, p)")
    return settings + "\n" + partner.format(h=out[0], w=out[1], b_h=back[0], b_w=back[1])


def _centred(ax, grid, frame, **kw):
    """draw_values of ``grid`` centred in a ``frame`` = (rows, cols) of cells, so panels
    of different sizes share one cell size."""
    h, w = grid.shape
    oy, ox = (frame[0] - h) / 2, (frame[1] - w) / 2
    draw_values(ax, grid, fmt="{:.3g}", fontsize=7, origin=(ox, oy), **kw)
    ax.set_xlim(-0.5, frame[1] - 0.5)
    ax.set_ylim(frame[0] - 0.5, -0.5)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def draw_stamp_panels(axes, x, stamps, kernel_shape, stride, lim):
    """One panel per input pixel: its stamp on the canvas, outlined, and what it is."""
    kh, kw = kernel_shape
    for ax, (r, c) in zip(axes, np.ndindex(x.shape)):
        _centred(
            ax, stamps[r, c], stamps.shape[2:], lim=lim, highlight=(r * stride, c * stride, kh, kw)
        )
        ax.set_title(
            tr("x[{r},{c}] = {v:g} stamps {v:g}·w\nat ({i}, {j})").format(
                r=r, c=c, v=x[r, c], i=r * stride, j=c * stride
            ),
            fontsize=7,
        )
    return axes


def plot_stamps(x, w, stride: int = 2, padding: int = 0, output_padding: int = 0):
    """Way 1: every input pixel stamps value × kernel at (r·s, c·s); the stamps add up.

    x: (H, W) input, w: (KH, KW) kernel (one channel each; small: one panel per pixel).
    Top row: the input, the kernel, the sum of the stamps on the uncropped canvas and (with
    padding or output padding) the output after cropping p from each side. Below: one
    panel per input pixel, its stamp outlined. All numbers are ``kernel_stamps`` and
    ``conv_transpose2d``'s. Returns the Figure.
    """
    x, w = _grid("x", x), _grid("w", w)
    if x.size > 12:
        raise ValueError(
            tr("plot_stamps draws one panel per input pixel: use at most 12, got {n}").format(
                n=x.size
            )
        )
    stamps = ct.kernel_stamps(x, w, stride)
    canvas = stamps.sum(axis=(0, 1))
    out = _transpose(x, w, stride, padding, output_padding)
    lim = max(np.abs(stamps).max(), np.abs(canvas).max(), 1e-12)
    top = [(tr("input x"), x), (tr("kernel w"), w), (tr("sum of the stamps"), canvas)]
    if padding or output_padding:
        extra = f", +{output_padding}" if output_padding else ""
        crop = tr("crop p={p}{extra} → output {h}×{w}").format(
            p=padding, extra=extra, h=out.shape[0], w=out.shape[1]
        )
        top.append((crop, out))
    cols = max(len(top), min(x.size, 4))
    rows = 1 + -(-x.size // cols)
    fig = figure((1.9 * cols, 1.85 * rows + 0.7))
    axes = fig.subplots(rows, cols, squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    frame = canvas.shape  # every panel as big as the canvas: cells of one size everywhere
    for ax, (title, grid) in zip(axes[0], top):
        _centred(ax, grid, frame, lim=lim)
        ax.set_title(title, fontsize=8)
    draw_stamp_panels(axes[1:].ravel(), x, stamps, w.shape, stride, lim)
    fig.suptitle(
        tr("1 · each input pixel stamps a scaled kernel; overlaps add up")
        + "\n"
        + describe_transpose(x.shape, w.shape, stride, padding, output_padding),
        fontsize=8,
    )
    fig.subplots_adjust(
        left=0.02,
        right=0.98,
        bottom=0.02,
        top=1 - 0.85 / (1.85 * rows + 0.7),
        wspace=0.15,
        hspace=0.45,
    )
    return fig


def stuffing_cells(n_shape, f_shape, stride, padding, output_padding):
    """(rows, cols, 3) colours of the zero-stuffed, padded input: input pixels, the zeros
    put between them and the padding (from :func:`cnnlab.conv_transpose.stuffed_input`
    applied to masks, so the picture is the array the convolution sees)."""
    inputs = (
        ct.stuffed_input(
            np.ones((1, 1) + tuple(n_shape)), f_shape, stride, padding, output_padding
        )[0, 0]
        > 0
    )
    span = tuple((n - 1) * stride + 1 for n in n_shape)  # the stuffed rectangle, unpadded
    inside = ct.stuffed_input(np.ones((1, 1) + span), f_shape, 1, padding, output_padding)[0, 0] > 0
    img = np.empty(inputs.shape + (3,))
    img[:] = STUFF_COLOURS["padding"]
    img[inside] = STUFF_COLOURS["inserted"]
    img[inputs] = STUFF_COLOURS["input"]
    return img


def draw_stuffed_grid(ax, grid, cells, corner, kernel_shape):
    """The stuffed input's numbers on its cell colours, the window at ``corner`` (row, col)
    outlined. Returns the axes."""
    h, w = grid.shape
    ax.imshow(cells, extent=(-0.5, w - 0.5, h - 0.5, -0.5), interpolation="nearest")
    ax.vlines(np.arange(w + 1) - 0.5, -0.5, h - 0.5, color="0.6", lw=0.5)
    ax.hlines(np.arange(h + 1) - 0.5, -0.5, w - 0.5, color="0.6", lw=0.5)
    for (i, j), v in np.ndenumerate(grid):
        colour = "black" if v else "0.55"  # zeros in grey: they only cost multiplications
        ax.text(j, i, f"{v:.3g}", ha="center", va="center", fontsize=6.5, color=colour)
    (r, c), (kh, kw) = corner, kernel_shape
    ax.add_patch(
        matplotlib.patches.Rectangle(
            (c - 0.5, r - 0.5), kw, kh, fill=False, ec="tab:orange", lw=2.5
        )
    )
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


def _stuffing_legend(fig):
    kinds = (
        ("input", TRANSPOSE_NAMES["input"]),
        ("inserted", TRANSPOSE_NAMES["gap"]),
        ("padding", TRANSPOSE_NAMES["padding"]),
    )
    handles = [
        matplotlib.patches.Patch(fc=STUFF_COLOURS[k], ec="0.5", label=label) for k, label in kinds
    ]
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=7, frameon=False)


def plot_zero_stuffing(
    x, w, stride: int = 2, padding: int = 0, output_padding: int = 0, position=(0, 0)
):
    """Way 2: zero-stuff the input, pad it, slide the flipped kernel over it (stride 1).

    Left: what ``conv_transpose_by_zero_stuffing`` convolves (``stuffed_input``): input
    pixels in white, the s − 1 zeros put between them in yellow, the f − 1 − p zeros of
    padding in blue, with the window of output ``position`` (row, col) outlined. Middle:
    the kernel flipped in both axes. Right: the output, ``position`` outlined. Returns the
    Figure.
    """
    x, w = _grid("x", x), _grid("w", w)
    out = _transpose(x, w, stride, padding, output_padding, ct.conv_transpose_by_zero_stuffing)
    r, c = _inside("position", position, out.shape)
    grid = ct.stuffed_input(x[None, None], w.shape, stride, padding, output_padding)[0, 0]
    flipped = ct.flipped_kernel(w[None, None])[0, 0]
    kh, kw = w.shape
    widths = [grid.shape[1] + 1, kw + 1, out.shape[1] + 1]
    fig = figure((0.36 * sum(widths) + 0.6, 0.36 * max(grid.shape[0], 4) + 1.3))
    axes = fig.subplots(1, 3, gridspec_kw={"width_ratios": widths})
    lim = max(np.abs(grid).max(), np.abs(flipped).max(), 1e-12)
    cells = stuffing_cells(x.shape, w.shape, stride, padding, output_padding)
    draw_stuffed_grid(axes[0], grid, cells, (r, c), w.shape)
    lead = kh - 1 - padding
    edge = (
        tr("padded by f−1−p = {lead}").format(lead=lead)
        if lead >= 0
        else tr("cropped by p−(f−1) = {lead}").format(lead=-lead)
    )
    far = tr(", +{op} far side").format(op=output_padding) if output_padding else ""
    axes[0].set_title(
        tr("stuffed: {n} zero(s) between pixels;").format(n=stride - 1) + "\n" + edge + far,
        fontsize=8,
    )
    draw_values(axes[1], flipped, lim=lim, fmt="{:.3g}", fontsize=7)
    axes[1].set_title(tr("kernel flipped\n(rows and columns)"), fontsize=8)
    total = float((grid[r : r + kh, c : c + kw] * flipped).sum())
    draw_values(
        axes[2],
        out,
        lim=max(np.abs(out).max(), 1e-12),
        fmt="{:.3g}",
        fontsize=7,
        highlight=(r, c, 1, 1),
    )
    axes[2].set_title(
        tr("output {h}×{w}\nout[{r},{c}] = Σ window·flipped = {total:.3g}").format(
            h=out.shape[0], w=out.shape[1], r=r, c=c, total=total
        ),
        fontsize=8,
    )
    for a in axes:
        a.set_aspect("equal")
        a.set_ylim(max(grid.shape[0], 4) - 0.5, -0.5)
        for side in a.spines.values():  # no frame around the empty rows below small grids
            side.set_visible(False)
    _stuffing_legend(fig)
    fig.suptitle(
        tr("2 · an ordinary stride-1 convolution of the zero-stuffed input")
        + "\n"
        + describe_transpose(x.shape, w.shape, stride, padding, output_padding),
        fontsize=8,
    )
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.1, top=0.66, wspace=0.2)
    return fig


def plot_three_ways(x, w, stride: int = 2, padding: int = 0, output_padding: int = 0):
    """The three ways side by side, each computed by its own function: the stamps summed
    (``conv_transpose2d_naive``), the zero-stuffed input convolved with the flipped kernel
    (``conv_transpose_by_zero_stuffing``) and a convolution's input gradient
    (``conv_transpose_by_conv_backward``, i.e. ``conv2d_backward``'s dx). The title gives
    the largest difference between them. Returns the Figure."""
    x, w = _grid("x", x), _grid("w", w)
    ways = [
        (tr("1 · the stamps summed\n(conv_transpose2d_naive)"), ct.conv_transpose2d_naive),
        (
            tr("2 · stuffed ∗ flipped kernel\n(…_by_zero_stuffing)"),
            ct.conv_transpose_by_zero_stuffing,
        ),
        (
            tr("3 · conv2d_backward's dx\n(…_by_conv_backward)"),
            ct.conv_transpose_by_conv_backward,
        ),
    ]
    outs = [_transpose(x, w, stride, padding, output_padding, fn) for _, fn in ways]
    diff = max(float(np.abs(o - outs[0]).max()) for o in outs)
    panels = [(tr("input x"), x), (tr("kernel w"), w)] + [(t, o) for (t, _), o in zip(ways, outs)]
    frame = (max(g.shape[0] for _, g in panels), max(g.shape[1] for _, g in panels))
    fig = figure((2.05 * len(panels), 0.3 * frame[0] + 1.5))
    axes = fig.subplots(1, len(panels))
    lim = max(np.abs(outs[0]).max(), np.abs(x).max(), np.abs(w).max(), 1e-12)
    for ax, (title, grid) in zip(axes, panels):
        _centred(ax, grid, frame, lim=lim)
        ax.set_title(title, fontsize=7)
    fig.suptitle(
        describe_transpose(x.shape, w.shape, stride, padding, output_padding)
        + "\n"
        + tr("the three ways agree: largest difference {diff:.1e}").format(diff=diff),
        fontsize=8,
    )
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=0.62, wspace=0.12)
    return fig


def overlap_title(n: int, k: int, s: int, p: int, op: int) -> str:
    """What :func:`overlap_counts` shows, in words: the sizes, and the stamp counts inside
    (two pixels in from each side, away from the border's missing stamps).

    >>> print(overlap_title(5, 3, 2, 1, 1))
    k=3, s=2, p=1, output_padding=1: 5×5 → 10×10
    s does not divide k: inside, 1 or 2 or 4 stamps
    """
    counts = overlap_counts(n, k, s, p, op)
    values = sorted({int(v) for v in counts[2:-2, 2:-2].ravel()})
    head = f"k={k}, s={s}, p={p}" + (f", output_padding={op}" if op else "")
    head += f": {n}×{n} → {counts.shape[0]}×{counts.shape[1]}\n"
    head += (tr("s divides k:") if k % s == 0 else tr("s does not divide k:")) + " "
    if len(values) == 1:
        each = (
            tr("inside, every pixel gets {n} stamp")
            if values[0] == 1
            else tr("inside, every pixel gets {n} stamps")
        )
        return head + each.format(n=values[0])
    counts = (" " + tr("or") + " ").join(map(str, values))
    return head + tr("inside, {counts} stamps").format(counts=counts)


def plot_checkerboard(
    settings=((3, 2, 1, 1), (4, 2, 1, 0), (2, 2, 0, 0)), n: int = 5, seed: int = 0
):
    """Checkerboard artefacts: why a kernel the stride does not divide leaves a pattern.

    settings: (kernel k, stride s, padding p, output_padding) per column. Top row: how many
    stamps land on each output pixel of a flat n×n input (kernel of ones): uneven where s
    does not divide k. Bottom row: the same flat input through one random positive kernel
    (one generator, seeded, drawing a kernel per column), shown as output / its mean, with
    :func:`cnnlab.segmentation.upsampling.pattern_size`. Returns the Figure.
    """
    n = check_int("n", n, 2)
    rng = np.random.default_rng(seed)
    fig = figure((3.4 * len(settings), 6.6))
    axes = fig.subplots(2, len(settings), squeeze=False)
    for col, (k, s, p, op) in enumerate(settings):
        counts = overlap_counts(n, k, s, p, op)
        w = rng.uniform(0.5, 1.5, (k, k))
        flat = ct.conv_transpose2d(
            np.ones((1, 1, n, n)), w[None, None], stride=s, padding=p, output_padding=op
        )[0, 0]
        draw_values(
            axes[0, col], counts, signed=False, lim=counts.max() * 1.3, fmt="{:.0f}", fontsize=6
        )
        axes[0, col].set_title(overlap_title(n, k, s, p, op), fontsize=8)
        ax = axes[1, col]
        ax.imshow(
            flat / flat[2:-2, 2:-2].mean(), cmap="gray", vmin=0, vmax=2, interpolation="nearest"
        )
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(
            tr(
                "one random kernel, weights in [0.5, 1.5]:\n"
                "pattern inside (max − min)/mean = {size:.2f}"
            ).format(size=pattern_size(flat)),
            fontsize=8,
        )
    fig.suptitle(
        tr(
            "a flat input upsampled. Top: stamps per output pixel (a kernel of ones). "
            "Bottom: output / its mean (black 0, white 2)"
        ),
        fontsize=9,
    )
    fig.subplots_adjust(left=0.04, right=0.96, bottom=0.02, top=0.88, wspace=0.2, hspace=0.3)
    return fig


def label_colours(n_classes: int = len(CLASS_NAMES)):
    """(n_classes, 4) RGBA: the background transparent, class 1 + c in the detection
    lesson's colour of shape class c."""
    rgba = np.zeros((n_classes, 4))
    for label in range(1, n_classes):
        rgba[label] = matplotlib.colors.to_rgba(CLASS_COLOURS[(label - 1) % len(CLASS_COLOURS)])
    return rgba


def draw_labels(ax, image, labels, alpha: float = 0.85):
    """The label map over a dimmed grey copy of the image (so the class colours are not
    mixed with the shapes' own colours), the background left clear. Returns the axes."""
    labels = np.asarray(labels)
    img = to_hwc(image)
    grey = img.mean(axis=-1) if img.ndim == 3 else img
    h, w = draw_image(
        ax, np.repeat((0.25 + 0.5 * grey)[..., None], 3, axis=-1)
    )  # RGB: no rescaling
    if labels.shape != (h, w):
        raise ValueError(
            tr("labels must be (H, W) = {expected} like the image, got {shape}").format(
                expected=(h, w), shape=labels.shape
            )
        )
    rgba = label_colours(max(int(labels.max()) + 1, len(CLASS_NAMES)))[labels]
    rgba[..., 3] *= alpha
    ax.imshow(rgba, extent=(0, w, h, 0), interpolation="nearest")
    return ax


def _legend(fig, names, **kw):
    colours = label_colours(len(names))
    handles = [
        matplotlib.patches.Patch(fc=colours[i], ec="0.4", label=name)
        for i, name in enumerate(names)
        if i > 0
    ]
    clear = tr("{name} (clear)").format(name=names[0])
    handles.insert(0, matplotlib.patches.Patch(fc="none", ec="0.4", label=clear))
    fig.legend(handles=handles, ncol=len(handles), fontsize=7, frameon=False, **kw)


def class_names() -> tuple[str, ...]:
    """:data:`CLASS_NAMES` as the figures show them, in the language cnnlab speaks now."""
    # must follow CLASS_NAMES, name for name
    return (tr("background"), tr("ellipse"), tr("rectangle"), tr("triangle"))


def plot_boxes_vs_labels(image, boxes, classes, labels, names=None):
    """Detection against segmentation on one scene: its boxes (one per object) and its
    label map (one class per pixel). names: the classes' names, background first (default:
    :func:`class_names`). Returns the Figure."""
    names = class_names() if names is None else names
    fig = figure((5.4, 3.0))
    ax1, ax2 = fig.subplots(1, 2)
    draw_image(ax1, image)
    draw_boxes(ax1, boxes, classes, names=names[1:])
    ax1.set_title(tr("detection: a box and a class per object"), fontsize=8)
    draw_labels(ax2, image, labels)
    ax2.set_title(tr("segmentation: a class per pixel"), fontsize=8)
    _legend(fig, names, loc="lower center")
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.1, top=0.9, wspace=0.06)
    return fig


def plot_masks(images, labels: dict, names=None, size: float = 1.6):
    """Label maps over images: one column per image, one row per entry of ``labels``.

    images: (N, 3, H, W) or a list of images; labels: {row name: (N, H, W) label maps}, the
    first entry the truth; every other row's titles give that image's mean IoU against it.
    names: the classes' names, background first (default: :func:`class_names`). Returns
    the Figure.
    """
    names = class_names() if names is None else names
    images = list(images)
    rows = list(labels.items())
    if not images or not rows:
        raise ValueError(tr("plot_masks needs at least one image and one label map"))
    for name, maps in rows:
        if len(maps) != len(images):
            raise ValueError(
                tr("labels[{name!r}] has {n_maps} maps for {n_images} images").format(
                    name=name, n_maps=len(maps), n_images=len(images)
                )
            )
    truth = np.asarray(rows[0][1])
    fig = figure((size * len(images) + 1.0, size * (len(rows) + 1) + 0.5))
    axes = fig.subplots(len(rows) + 1, len(images), squeeze=False)
    for j, img in enumerate(images):
        draw_image(axes[0, j], img)
        for i, (_, maps) in enumerate(rows, start=1):
            draw_labels(axes[i, j], img, maps[j])
            if i > 1:
                score = mean_iou(np.asarray(maps[j]), truth[j], len(names))
                axes[i, j].set_title(tr("mean IoU {score:.2f}").format(score=score), fontsize=7)
    for i, name in enumerate([tr("image")] + [n for n, _ in rows]):
        axes[i, 0].set_ylabel(name, fontsize=8)
    _legend(fig, names, loc="lower center")
    fig.subplots_adjust(left=0.08, right=0.99, bottom=0.07, top=0.97, wspace=0.05, hspace=0.3)
    return fig


def plot_class_iou(ious: dict, names=None):
    """Per-class IoU bars, one group per class, one bar per model.

    ious: {model name: (n_classes,) per-class IoU} (NaN bars are left out); the legend
    gives each model's mean IoU; names: the classes' names (default: :func:`class_names`).
    Returns the Figure.
    """
    names = class_names() if names is None else names
    if not ious:
        raise ValueError(tr("plot_class_iou needs at least one model's per-class IoU"))
    fig = figure((5.6, 3.0))
    ax = fig.subplots()
    width = 0.8 / len(ious)
    for k, (model, iou) in enumerate(ious.items()):
        iou = np.asarray(iou, dtype=float)
        if iou.shape != (len(names),):
            message = tr("ious[{model!r}] must have one value per class ({n}), got shape {shape}")
            raise ValueError(message.format(model=model, n=len(names), shape=iou.shape))
        xs = np.arange(len(names)) + (k - (len(ious) - 1) / 2) * width
        label = tr("{model}: mean IoU {iou:.3f}").format(model=model, iou=np.nanmean(iou))
        bars = ax.bar(xs, np.nan_to_num(iou), width, label=label)
        for bar, v in zip(bars, iou):
            if np.isfinite(v):
                ax.text(
                    bar.get_x() + bar.get_width() / 2,
                    v + 0.01,
                    f"{v:.2f}",
                    ha="center",
                    va="bottom",
                    fontsize=7,
                )
    ax.set_xticks(np.arange(len(names)), names, fontsize=8)
    ax.set_ylim(0, 1.12)
    ax.set_ylabel(tr("IoU on held-out images"), fontsize=8)
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=7, loc="lower left")
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return fig


def plot_training_curves(histories: dict):
    """Training loss and held-out pixel accuracy per epoch, one line per model.

    histories: {model name: the dict :func:`cnnlab.nets.fit` returns}. Returns the Figure.
    """
    if not histories:
        raise ValueError(tr("plot_training_curves needs at least one history"))
    fig = figure((7.0, 2.8))
    ax_loss, ax_acc = fig.subplots(1, 2)
    for name, h in histories.items():
        if not h.get("train_loss"):
            raise ValueError(
                tr("histories[{name!r}] has no train_loss: pass what nets.fit returned").format(
                    name=name
                )
            )
        epochs = np.arange(1, len(h["train_loss"]) + 1)
        ax_loss.plot(epochs, h["train_loss"], marker="o", ms=3, label=name)
        if h.get("val_acc"):
            ax_acc.plot(epochs, h["val_acc"], marker="o", ms=3, label=name)
    ax_loss.set_yscale("log")
    # plain numbers at 1, 2, 5 x 10^k instead of powers of ten on the log axis
    ax_loss.yaxis.set_major_locator(matplotlib.ticker.LogLocator(subs=(1.0, 2.0, 5.0)))
    ax_loss.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:.2g}"))
    ax_loss.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax_loss.set_title(tr("training loss (cross-entropy per pixel)"), fontsize=8)
    ax_acc.set_title(tr("held-out pixel accuracy"), fontsize=8)
    for ax in (ax_loss, ax_acc):
        ax.set_xlabel(tr("epoch"), fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    return fig
