"""Drawing functions: pure functions that return matplotlib Figures, drawn from cnnlab's
own computations (never by hand), so pictures and numbers cannot drift apart.
"""

from __future__ import annotations

import matplotlib
import matplotlib.collections
import matplotlib.patches
import matplotlib.pyplot as plt
import numpy as np


def show_images(images, titles=None, cols: int | None = None, size: float = 2.6, cmap="gray"):
    """A row (or grid) of images with titles. images: list of (H, W) or (H, W, 3) arrays.

    Grey images are shown with their own colour range; returns the Figure.
    """
    images = list(images)
    if not images:
        raise ValueError("show_images needs at least one image")
    cols = cols or len(images)
    rows = -(-len(images) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(size * cols, size * rows), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for i, img in enumerate(images):
        ax = axes.flat[i]
        img = np.asarray(img)
        ax.imshow(img, cmap=None if img.ndim == 3 else cmap)
        if titles is not None:
            ax.set_title(titles[i], fontsize=9)
    fig.tight_layout()
    return fig


def draw_grid(
    ax,
    values,
    *,
    fmt="{:g}",
    cmap="Greys",
    highlight=None,
    color="tab:orange",
    fontsize=8,
    vmin=None,
    vmax=None,
    origin=(0, 0),
):
    """Draw a 2D array as a grid of cells with their numbers written in.

    highlight: optional (row, col, height, width) rectangle to outline (e.g. a kernel
    window). origin: (x, y) offset of the top-left cell, to place several grids on one axes.
    """
    values = np.asarray(values, dtype=float)
    if values.ndim != 2:
        raise ValueError(f"draw_grid needs a 2D array, got shape {values.shape}")
    h, w = values.shape
    ox, oy = origin
    im = ax.imshow(
        values,
        cmap=cmap,
        vmin=vmin,
        vmax=vmax,
        extent=(ox - 0.5, ox + w - 0.5, oy + h - 0.5, oy - 0.5),
    )
    # text colour from the cell's drawn colour, so numbers stay readable on any scale
    rgba = im.cmap(im.norm(values))
    dark = rgba[..., :3] @ np.array([0.299, 0.587, 0.114]) < 0.5
    if fmt and h * w <= 400:
        for r in range(h):
            for c in range(w):
                v = values[r, c]
                if np.isfinite(v):
                    ax.text(
                        ox + c,
                        oy + r,
                        fmt.format(v),
                        ha="center",
                        va="center",
                        fontsize=fontsize,
                        color="white" if dark[r, c] else "black",
                    )
    for k in range(w + 1):
        ax.plot([ox + k - 0.5] * 2, [oy - 0.5, oy + h - 0.5], color="0.6", lw=0.5)
    for k in range(h + 1):
        ax.plot([ox - 0.5, ox + w - 0.5], [oy + k - 0.5] * 2, color="0.6", lw=0.5)
    if highlight is not None:
        r, c, hh, ww = highlight
        ax.add_patch(
            matplotlib.patches.Rectangle(
                (ox + c - 0.5, oy + r - 0.5), ww, hh, fill=False, ec=color, lw=2.5
            )
        )
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


# --- lesson 04: receptive field ---


def _rf_box_patch(box, **kw):
    """A Rectangle outlining an inclusive (top, left, bottom, right) pixel box."""
    top, left, bottom, right = box
    return matplotlib.patches.Rectangle(
        (left - 0.5, top - 0.5), right - left + 1, bottom - top + 1, fill=False, **kw
    )


def receptive_field_growth(layers, input_size, *, numbers=True, size=2.3, fontsize=5):
    """One grid per layer: the input pixels one unit of that layer sees (centre unit).

    Each cell shows how many paths lead from that pixel to the unit (the gradient with
    all-ones weights, ``receptive.input_gradient``); empty cells cannot affect it. The
    formula's square (``receptive.receptive_box``) is outlined. Returns the Figure.
    """
    from . import receptive

    stack = receptive.parse_layers(layers)
    fig, axes = plt.subplots(1, len(stack), figsize=(size * len(stack), size + 0.35), squeeze=False)
    for i, ax in enumerate(axes[0]):
        sub = stack[: i + 1]
        counts = receptive.input_gradient(sub, input_size)
        top, left, bottom, right = receptive.receptive_box(sub, input_size)
        rf = receptive.formula_receptive_field(sub)[-1]
        draw_grid(
            ax,
            np.where(counts > 0, counts, np.nan),
            fmt="{:g}" if numbers else None,
            fontsize=fontsize,
            highlight=(top, left, bottom - top + 1, right - left + 1),
            # a single path still shows as light grey; equal counts (one layer) as mid grey
            vmin=-0.15 * counts.max(),
            vmax=counts.max() * (2 if counts[counts > 0].min() == counts.max() else 1),
        )
        ax.set_title(f"after layer {i + 1} ({sub[-1]}):\n{rf.size}x{rf.size}", fontsize=8)
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=0.82, wspace=0.08)
    return fig


def receptive_field_overlay(
    image, mask, box, *, title=None, ax=None, color="tab:orange", box_color="tab:blue"
):
    """An image with one unit's receptive field drawn on it.

    image: (H, W) or (H, W, 3) in [0, 1]; mask: (H, W) bool, the measured field (tinted);
    box: (top, left, bottom, right) from ``receptive.receptive_box`` (dashed outline; it
    may stick out of the image where the network padded). Returns the Figure.
    """
    image, mask = np.asarray(image), np.asarray(mask, dtype=bool)
    if image.shape[:2] != mask.shape:
        raise ValueError(f"image {image.shape[:2]} and mask {mask.shape} must have the same size")
    if ax is None:
        fig, ax = plt.subplots(figsize=(3.4, 3.4))
    else:
        fig = ax.figure
    h, w = mask.shape
    ax.imshow(image, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    tint = np.zeros((h, w, 4))
    tint[..., :3] = matplotlib.colors.to_rgb(color)
    tint[..., 3] = 0.5 * mask
    ax.imshow(tint, interpolation="nearest")
    ax.add_patch(_rf_box_patch(box, ec=box_color, lw=1.8, ls="--"))
    top, left, bottom, right = box
    margin = 2
    ax.set_xlim(min(-0.5, left - 0.5) - margin, max(w - 0.5, right + 0.5) + margin)
    ax.set_ylim(max(h - 0.5, bottom + 0.5) + margin, min(-0.5, top - 0.5) - margin)
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=9)
    return fig


def receptive_field_profile(erf, box, counts=None, *, title=None):
    """The effective receptive field: a heat map, and its middle row against the square.

    erf: (H, W) gradient magnitude scaled to [0, 1] (``receptive.effective_receptive_field``);
    counts: optional (H, W) path counts (all-ones weights) drawn on the profile too;
    box: the formula's (top, left, bottom, right). Returns the Figure.
    """
    erf = np.asarray(erf, dtype=float)
    fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(7.2, 3.0), gridspec_kw={"width_ratios": [1, 1.4]})
    ax0.imshow(erf, cmap="magma", vmin=0, vmax=1, interpolation="nearest")
    ax0.add_patch(_rf_box_patch(box, ec="tab:cyan", lw=1.5, ls="--"))
    ax0.set_xticks([])
    ax0.set_yticks([])
    ax0.set_title("mean |gradient|, random weights", fontsize=9)
    top, left, bottom, right = box
    cols = np.arange(erf.shape[1])
    profile = erf.sum(axis=0)  # summed over rows: smoother than one row of a noisy mean
    ax1.axvspan(left - 0.5, right + 0.5, color="tab:cyan", alpha=0.15, label="formula's square")
    ax1.plot(cols, profile / profile.max(), color="tab:red", lw=1.8, label="random weights")
    if counts is not None:
        c = np.asarray(counts, dtype=float).sum(axis=0)
        ax1.plot(cols, c / c.max(), color="0.3", lw=1.2, ls="--", label="all-ones weights (paths)")
    ax1.set_xlim(-0.5, erf.shape[1] - 0.5)
    ax1.set_ylim(0, 1.5)  # room for the legend above the curves
    ax1.set_yticks([0, 0.25, 0.5, 0.75, 1])
    ax1.set_xlabel("input column (gradient summed over rows)", fontsize=8)
    ax1.set_ylabel("relative gradient", fontsize=8)
    ax1.tick_params(labelsize=7)
    ax1.legend(fontsize=7, loc="upper left", frameon=False)
    if title:
        fig.suptitle(title, fontsize=10)
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.16, top=0.8 if title else 0.9, wspace=0.2)
    return fig


def receptive_field_view(
    n_layers=4, kernel=3, stride=1, dilation=1, pool=False, same=False, *, image=None, size=64
):
    """Draw function of the receptive-field widget: one unit's field over an image.

    The stack is ``receptive.make_stack(n_layers, kernel, stride, dilation, pool=pool,
    same=same)`` on a ``size`` x ``size`` input (``image`` if given, (size, size) grey in
    [0, 1]; else a plain grid). The measured field (gradient != 0) is tinted, the formula's
    square outlined, and the formula's numbers written beside. Settings where a feature map
    shrinks to nothing raise ValueError with cnnlab.arith's message. Returns the Figure.
    """
    from . import receptive

    stack = receptive.make_stack(n_layers, kernel, stride, dilation, pool=pool, same=same)
    shapes = receptive.feature_map_sizes(stack, size)  # raises on impossible settings
    rfs = receptive.formula_receptive_field(stack)
    box = receptive.receptive_box(stack, size)
    mask = receptive.empirical_receptive_field(stack, size)
    if image is None:
        image = np.full((size, size), 0.92)
        image[::8, :] = image[:, ::8] = 0.75
    elif np.asarray(image).shape[:2] != (size, size):
        raise ValueError(f"image must be {size}x{size}, got {np.asarray(image).shape}")
    fig = plt.figure(figsize=(6.4, 3.2))
    ax = fig.add_axes((0.01, 0.03, 0.47, 0.86))
    receptive_field_overlay(image, mask, box, ax=ax)
    last = rfs[-1]
    ax.set_title(f"one unit of the last layer sees {last.size}x{last.size} px", fontsize=9)
    k_eff = dilation * (kernel - 1) + 1
    stack_text = f"{n_layers} x conv {kernel}x{kernel} s{stride}" + (
        f" d{dilation}" if dilation > 1 else ""
    )
    stack_text += (" 'same'" if same else "") + (" + 2x2 maxpool" if pool else "")
    if stride == 1 and not pool:
        rule = f"RF = 1 + L(K'-1) = 1 + {n_layers}*{k_eff - 1} = {last.size}"
    else:
        rule = "RF += (K'-1) * jump;  jump *= stride"
    sizes = " ".join(str(r.size) for r in rfs)
    if len(sizes) > 34:  # keep the line short: first and last layers
        sizes = (
            " ".join(str(r.size) for r in rfs[:3])
            + " ... "
            + " ".join(str(r.size) for r in rfs[-3:])
        )
    lines = [
        stack_text,
        f"K' = d(K-1)+1 = {k_eff}",
        rule,
        f"size {last.size} px, jump {last.jump} px",
        f"last map {shapes[-1][0]}x{shapes[-1][1]}",
        f"RF per layer: {sizes}",
    ]
    holes = _rf_inside_holes(mask, box)
    if holes:
        lines += ["", f"{holes} px inside the square", "have no path to the unit"]
    lines += ["", "orange: measured (gradient != 0)", "dashed: the formula's square"]
    fig.text(0.51, 0.86, "\n".join(lines), va="top", ha="left", family="monospace", fontsize=7.5)
    return fig


def _rf_inside_holes(mask, box) -> int:
    """Pixels inside the box (and the image) that the measured field misses."""
    h, w = mask.shape
    top, left, bottom, right = box
    inside = mask[max(top, 0) : min(bottom, h - 1) + 1, max(left, 0) : min(right, w - 1) + 1]
    return int(inside.size - inside.sum())


# --- lesson 05: pooling and translation equivariance ---

_POOL_PAD_TEXT = {"max": "-∞", "min": "+∞", "avg": "0"}


def _figure(figsize):
    """A Figure outside pyplot: a notebook shows it once (as the cell's result, not again
    when pyplot flushes its open figures), and widgets need not close it."""
    return matplotlib.figure.Figure(figsize=figsize)


def _contrast_text(texts, values, lo, hi, origin=(0, 0)):
    """Recolour the numbers draw_grid wrote so they stay readable on a shared colour scale.

    draw_grid picks white or black from each grid's own range; with a shared vmin/vmax a
    cell's shade follows (v - lo) / (hi - lo) instead, so the text colour must too.
    """
    ox, oy = origin
    span = hi - lo if hi > lo else 1.0
    for t in texts:
        x, y = t.get_position()
        v = values[int(round(y - oy)), int(round(x - ox))]
        t.set_color("white" if (v - lo) / span > 0.5 else "black")


def pool_grid(x, kernel, stride, padding=0, mode="max"):
    """Pool one 2D grid with cnnlab.pool: mode ``"max"``, ``"avg"`` or ``"min"``.

    x: (H, W) -> (H_out, W_out). Min pooling is ``-max_pool(-x)`` (padding acts as +inf);
    average pooling counts padded zeros, as PyTorch does by default.
    """
    from .pool import avg_pool2d, max_pool2d

    if mode not in _POOL_PAD_TEXT:
        raise ValueError(f"pooling mode must be 'max', 'avg' or 'min', got {mode!r}")
    x4 = np.asarray(x, dtype=float)[None, None]
    if mode == "max":
        return max_pool2d(x4, kernel, stride, padding)[0, 0]
    if mode == "min":
        return -max_pool2d(-x4, kernel, stride, padding)[0, 0]
    return avg_pool2d(x4, kernel, stride, padding)[0, 0]


def draw_pooling(kernel=2, stride=2, padding=0, mode="max", position=0, size=6, x=None, seed=0):
    """Input grid with one pooling window outlined, and the output grid with its cell.

    x: (H, W) grid, or None for a ``size`` x ``size`` grid of digits 0-9 drawn with ``seed``.
    position: which output cell to explain, counted row by row (clamped to the last one).
    Padded cells are drawn empty and labelled with what the pooling pads with; input cells
    that no window reaches (the stride does not divide evenly) are hatched. Impossible
    settings raise the ValueError of cnnlab.pool. Returns the Figure.
    """
    from .arith import check_int

    if x is None:
        size = check_int("size", size, 1)
        x = np.random.default_rng(seed).integers(0, 10, (size, size)).astype(float)
    x = np.asarray(x, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"x must be a 2D grid (H, W), got shape {x.shape}")
    out = pool_grid(x, kernel, stride, padding, mode)  # validates every setting
    k, s, p = int(kernel), int(stride), int(padding)
    (h, w), (ho, wo) = x.shape, out.shape
    pos = min(check_int("position", position, 0), ho * wo - 1)
    i, j = divmod(pos, wo)

    xp = np.pad(x, p, constant_values=np.nan)
    fig = _figure((7.2, 3.6))
    ax = fig.subplots()
    small = xp.size <= 169  # numbers stay readable up to 13x13 cells
    n_text = len(ax.texts)
    draw_grid(
        ax,
        xp,
        fmt="{:g}" if small else None,
        vmin=0,
        vmax=9,
        origin=(-p, -p),
        highlight=(i * s, j * s, k, k),
        fontsize=8 if xp.size <= 100 else 7,
    )
    _contrast_text(ax.texts[n_text:], xp, 0, 9, origin=(-p, -p))
    if p:  # one tinted image for all padded cells: a text per cell would be slow
        ax.imshow(
            np.where(np.isnan(xp), 1.0, np.nan),
            cmap="Blues",
            vmin=0,
            vmax=5,
            extent=(-p - 0.5, w + p - 0.5, h + p - 0.5, -p - 0.5),
        )
    used_h, used_w = (ho - 1) * s + k - p, (wo - 1) * s + k - p  # first row/col no window reaches
    unused = False
    for r0, r1, c0, c1 in ((used_h, h, 0, w), (0, min(used_h, h), used_w, w)):
        if r1 > r0 and c1 > c0:
            unused = True
            ax.add_patch(
                matplotlib.patches.Rectangle(
                    (c0 - 0.5, r0 - 0.5),
                    c1 - c0,
                    r1 - r0,
                    fill=False,
                    hatch="///",
                    ec="tab:red",
                    lw=0,
                )
            )
    ox, oy = w + p + 1.5, -p + (h + 2 * p - ho) / 2
    n_text = len(ax.texts)
    draw_grid(
        ax,
        out,
        fmt="{:.3g}" if out.size <= 100 else None,
        vmin=0,
        vmax=9,
        origin=(ox, oy),
        highlight=(i, j, 1, 1),
        fontsize=8,
    )
    _contrast_text(ax.texts[n_text:], out, 0, 9, origin=(ox, oy))
    ax.set_xlim(-p - 0.6, ox + wo - 0.4)
    ax.set_ylim(max(h + p, oy + ho) - 0.4, min(-p, oy) - 1.6)
    ax.set_aspect("equal")
    ax.axis("off")
    pad = f", padding {p} (blue, holds {_POOL_PAD_TEXT[mode]})" if p else ""
    ax.text(
        -p - 0.5,
        -p - 0.8,
        f"input {h}×{w}{pad}" + (" (hatched: no window reaches)" if unused else ""),
        fontsize=9,
    )
    ax.text(ox - 0.5, oy - 0.8, f"output {ho}×{wo}", fontsize=9)

    win = xp[i * s : i * s + k, j * s : j * s + k]
    name = {"max": "max", "min": "min", "avg": "mean"}[mode]
    if win.size <= 9:
        vals = ", ".join(_POOL_PAD_TEXT[mode] if np.isnan(v) else f"{v:g}" for v in win.ravel())
        expr = f"{name}({vals})"
    else:
        expr = f"{name} of the {win.size} values"
    fig.suptitle(
        f"{mode} pooling {k}×{k}, stride {s}: {h}×{w} → {ho}×{wo}    "
        f"out[{i}, {j}] = {expr} = {out[i, j]:.3g}",
        fontsize=10,
    )
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.9)
    return fig


def draw_subsampling(x, w, stride=2):
    """Strided convolution as subsampling: input, stride-1 output, stride-``stride`` output.

    x: (H, W) input; w: (KH, KW) kernel (computed with cnnlab.conv2d, no padding). The
    stride-1 output's cells that the strided convolution keeps are outlined: a stride-s
    convolution computes exactly every s-th output of the stride-1 one. Returns the Figure.
    """
    from .arith import check_int
    from .conv import conv2d

    s = check_int("stride", stride, 1)
    x, w = np.asarray(x, dtype=float), np.asarray(w, dtype=float)
    if x.ndim != 2 or w.ndim != 2:
        raise ValueError(f"x and w must be 2D, got shapes {x.shape} and {w.shape}")
    full = conv2d(x[None, None], w[None, None])[0, 0]
    strided = conv2d(x[None, None], w[None, None], stride=s)[0, 0]
    kh, kw = w.shape
    fig = _figure((8.4, 3.0))
    axes = fig.subplots(
        1,
        3,
        gridspec_kw={"width_ratios": [x.shape[1], full.shape[1], full.shape[1]]},
    )
    lo, hi = full.min(), full.max()  # both outputs on one scale: same number, same grey
    draw_grid(axes[0], x, highlight=(0, 0, kh, kw))
    if x.shape[1] >= s + kw:  # the next window, one stride to the right
        axes[0].add_patch(
            matplotlib.patches.Rectangle(
                (s - 0.5, -0.5), kw, kh, fill=False, ec="tab:blue", lw=2, ls="--"
            )
        )
    draw_grid(axes[1], full, vmin=lo, vmax=hi)
    _contrast_text(axes[1].texts, full, lo, hi)
    for r in range(0, full.shape[0], s):
        for c in range(0, full.shape[1], s):
            axes[1].add_patch(
                matplotlib.patches.Rectangle(
                    (c - 0.5, r - 0.5), 1, 1, fill=False, ec="tab:orange", lw=2.5
                )
            )
    origin = ((full.shape[1] - strided.shape[1]) / 2, (full.shape[0] - strided.shape[0]) / 2)
    draw_grid(axes[2], strided, origin=origin, vmin=lo, vmax=hi)
    _contrast_text(axes[2].texts, strided, lo, hi, origin=origin)
    axes[2].set_xlim(-0.5, full.shape[1] - 0.5)
    axes[2].set_ylim(full.shape[0] - 0.5, -0.5)
    h, wd = x.shape
    axes[0].set_title(f"input {h}×{wd}, kernel {kh}×{kw}", fontsize=9)
    axes[1].set_title(f"stride 1: {full.shape[0]}×{full.shape[1]}", fontsize=9)
    axes[2].set_title(f"stride {s}: {strided.shape[0]}×{strided.shape[1]}", fontsize=9)
    for ax in axes:
        ax.set_aspect("equal")
        for side in ax.spines.values():
            side.set_visible(False)
    fig.tight_layout()
    return fig


def show_grids(arrays, titles=None, fmt="{:g}", size=0.32, vmin=None, vmax=None):
    """A row of small grids with their numbers written in (``draw_grid`` on each).

    arrays: list of 2D arrays; they share one colour scale (``vmin``/``vmax`` or the range
    of them all) so equal numbers look equal across panels. Returns the Figure.
    """
    arrays = [np.asarray(a, dtype=float) for a in arrays]
    if not arrays or any(a.ndim != 2 for a in arrays):
        raise ValueError(
            f"show_grids needs a list of 2D arrays, got shapes {[a.shape for a in arrays]}"
        )
    if titles is not None and len(titles) != len(arrays):
        raise ValueError(f"got {len(titles)} titles for {len(arrays)} arrays")
    lo = min(np.nanmin(a) for a in arrays) if vmin is None else vmin
    hi = max(np.nanmax(a) for a in arrays) if vmax is None else vmax
    # each panel as wide as its grid or its title (about 0.085 inch per character)
    widths = [
        max(size * (a.shape[1] + 1), 0.085 * len(titles[n]) if titles is not None else 0)
        for n, a in enumerate(arrays)
    ]
    height = max(a.shape[0] for a in arrays)
    fig = _figure((sum(widths) + 0.3, size * height + 0.6))
    axes = fig.subplots(1, len(arrays), squeeze=False, gridspec_kw={"width_ratios": widths})
    for n, (ax, a) in enumerate(zip(axes[0], arrays)):
        draw_grid(ax, a, fmt=fmt, vmin=lo, vmax=hi, fontsize=7)
        _contrast_text(ax.texts, a, lo, hi)
        ax.set_aspect("equal")
        ax.set_ylim(height - 0.5, -0.5)
        if titles is not None:
            ax.set_title(titles[n], fontsize=9)
        for side in ax.spines.values():
            side.set_visible(False)
    fig.tight_layout()
    return fig


def plot_equivariance(op, image, dy, dx, *, scale=1, mode="circular", crop=0, max_shift=2):
    """Both sides of F(T(x)) = T(F(x)) on one image, and where they differ.

    op: function of a (1, C, H, W) array returning (1, C', H', W') (channel 0 is shown);
    image: (H, W). T shifts the input by (dy, dx) with ``mode``; the output is shifted by
    (dy/scale, dx/scale). When the shift is not a multiple of ``scale`` no output shift
    exists, and the closest circular shift (within ``max_shift``) is shown instead. The
    last panel is |F(T(x)) - T'(F(x))|, with the ``crop`` border that is not compared
    greyed. Returns the Figure.
    """
    from .arith import as_tuple
    from .equivariance import closest_shift, shift

    x = np.asarray(image, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"image must be 2D (H, W), got shape {x.shape}")
    sy, sx = as_tuple("scale", scale, 2, 1)
    x4 = x[None, None]
    tx = shift(x4, dy, dx, mode)
    fx, ftx = np.asarray(op(x4))[0, 0], np.asarray(op(tx))[0, 0]
    if dy % sy == 0 and dx % sx == 0:
        u, v = dy // sy, dx // sx
        label = f"T(F(x)):\nF(x) moved ({u}, {v})"
    else:
        _, (u, v) = closest_shift(ftx, fx, max_shift, crop=crop)
        label = f"no exact shift exists;\nclosest: F(x) moved ({u}, {v})"
    tfx = shift(fx, u, v, mode)
    diff = np.abs(ftx - tfx)
    cy, cx = as_tuple("crop", crop, 2, 0)
    if 2 * cy >= diff.shape[0] or 2 * cx >= diff.shape[1]:
        raise ValueError(f"crop {crop} leaves nothing of a {diff.shape} output")
    err = float(diff[cy : diff.shape[0] - cy, cx : diff.shape[1] - cx].max())
    lo, hi = min(fx.min(), ftx.min()), max(fx.max(), ftx.max())
    fig = _figure((11, 2.7))
    axes = fig.subplots(1, 5)
    panels = [
        (x, "x", None),
        (tx[0, 0], f"T(x):\nx moved ({dy}, {dx})", None),
        (ftx, "F(T(x))", (lo, hi)),
        (tfx, label, (lo, hi)),
    ]
    for ax, (img, title, rng) in zip(axes, panels):
        ax.imshow(
            img,
            cmap="gray",
            vmin=None if rng is None else rng[0],
            vmax=None if rng is None else rng[1],
        )
        ax.set_title(title, fontsize=9)
    axes[4].imshow(diff, cmap="magma", vmin=0, vmax=max(hi - lo, 1e-12))
    if cy or cx:
        h, w = diff.shape
        axes[4].add_patch(
            matplotlib.patches.Rectangle(
                (cx - 0.5, cy - 0.5), w - 2 * cx, h - 2 * cy, fill=False, ec="tab:cyan", lw=1.5
            )
        )
    where = " inside the box" if (cy or cx) else ""
    rel = err / (hi - lo) if hi > lo else 0.0
    axes[4].set_title(f"|difference|{where}:\nmax {rel:.0%} of range", fontsize=9)
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    return fig


def plot_shift_robustness(result):
    """Curves of ``cnnlab.equivariance.shift_robustness``: change vs shift, per pooling.

    Left: correlation between the feature maps before and after the shift (1 = unchanged).
    Right: fraction of strong detections still there. Returns the Figure.
    """
    p = result.get("pool_size", "?")
    names = {"none": "no pooling", "max": f"max pool {p}×{p}", "avg": f"avg pool {p}×{p}"}
    styles = {"none": ("0.3", "o"), "max": ("tab:orange", "s"), "avg": ("tab:blue", "^")}
    fig = _figure((8.4, 3.0))
    axes = fig.subplots(1, 2)
    for kind in ("none", "max", "avg"):
        if f"{kind}_corr" not in result:
            continue
        colour, marker = styles[kind]
        for ax, key in zip(axes, ("corr", "kept")):
            ax.plot(
                result["shift"],
                result[f"{kind}_{key}"],
                marker=marker,
                color=colour,
                label=names[kind],
            )
    axes[0].set_ylabel("correlation with unshifted map")
    axes[1].set_ylabel("strong detections kept")
    for ax in axes:
        ax.set_xlabel("input shift (pixels)")
        ax.set_xticks(result["shift"])
        ax.set_ylim(-0.05, 1.05)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    return fig


# --- lesson 02: convolution and filters ---


def _value_grid(
    ax, values, *, signed=True, fmt="{:g}", highlight=None, lim=None, fontsize=8, origin=(0, 0)
):
    """Numbers in cells, fast: one image, two line collections and one text per cell.

    signed: pale red (positive) / blue (negative) around a white 0, black text; otherwise
    grey levels like the image itself (black = 0), text in the contrasting colour.
    origin: (x, y) of the top-left cell, to put several grids on one axes (one axes is
    much faster to draw than several).
    """
    values = np.asarray(values, dtype=float)
    h, w = values.shape
    ox, oy = origin
    lim = lim if lim is not None else max(np.abs(values).max(), 1e-12)
    extent = (ox - 0.5, ox + w - 0.5, oy + h - 0.5, oy - 0.5)
    if signed:
        # 1.8 x the range keeps the colours pale enough for black numbers on every cell
        ax.imshow(values, cmap="RdBu_r", vmin=-1.8 * lim, vmax=1.8 * lim, extent=extent)
    else:
        ax.imshow(values, cmap="gray", vmin=0, vmax=lim, extent=extent)
    ax.vlines(ox + np.arange(w + 1) - 0.5, oy - 0.5, oy + h - 0.5, color="0.6", lw=0.5)
    ax.hlines(oy + np.arange(h + 1) - 0.5, ox - 0.5, ox + w - 0.5, color="0.6", lw=0.5)
    if fmt:
        for (r, c), v in np.ndenumerate(values):
            colour = "black" if signed or v > lim / 2 else "white"
            label = fmt.format(v)
            if label.startswith("-") and not label.strip("-0.e+"):
                label = label[1:]  # tiny negatives round to "-0", "-0.000": print them as 0
            ax.text(
                ox + c, oy + r, label, ha="center", va="center", fontsize=fontsize, color=colour
            )
    if highlight is not None:
        r, c, hh, ww = highlight
        ax.add_patch(
            matplotlib.patches.Rectangle(
                (ox + c - 0.5, oy + r - 0.5), ww, hh, fill=False, ec="tab:orange", lw=2.5
            )
        )
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


def draw_conv_step(x, w, row: int, col: int, b: float = 0.0):
    """One step of the sliding dot product: window, kernel, their product, the output.

    x: (H, W) image; w: (K, K) kernel; (row, col): the output position shown, with
    ``0 <= row <= H - K`` and ``0 <= col <= W - K``; b: bias added to every output.
    Returns a Figure with four number grids; the title writes out the sum.
    """
    from .arith import check_int, conv_output_size
    from .conv import conv2d

    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    if x.ndim != 2 or w.ndim != 2:
        raise ValueError(f"x and w must be 2D (H, W) and (K, K), got {x.shape} and {w.shape}")
    ho = conv_output_size(x.shape[0], w.shape[0])
    wo = conv_output_size(x.shape[1], w.shape[1])
    row, col = check_int("row", row, 0), check_int("col", col, 0)
    if row >= ho or col >= wo:
        raise ValueError(
            f"output position ({row}, {col}) is outside the {ho}x{wo} output "
            f"(n - f + 1 = {x.shape[0]} - {w.shape[0]} + 1 rows); rows 0..{ho - 1}, "
            f"columns 0..{wo - 1}"
        )
    kh, kw = w.shape
    out = conv2d(x[None, None], w[None, None], np.array([b]))[0, 0]
    prod = x[row : row + kh, col : col + kw] * w
    # Four grids side by side on one axes, 2 cells apart, tops aligned.
    grids = [
        (x, "image x", dict(signed=bool(x.min() < 0), highlight=(row, col, kh, kw))),
        (w, "kernel w", {}),
        (prod, "window * w", {}),
        (out, "output", dict(highlight=(row, col, 1, 1))),
    ]
    width = sum(g.shape[1] for g, _, _ in grids) + 2 * (len(grids) - 1)
    height = max(g.shape[0] for g, _, _ in grids)
    fig, ax = plt.subplots(figsize=(0.42 * width + 0.2, 0.42 * height + 0.8))
    left = 0
    for values, title, kw_ in grids:
        _value_grid(ax, values, origin=(left, 0), **kw_)
        ax.text(left + values.shape[1] / 2 - 0.5, -0.8, title, ha="center", fontsize=9)
        left += values.shape[1] + 2
    ax.set_xlim(-0.6, width - 0.4)
    ax.set_ylim(height - 0.4, -1.4)
    ax.axis("off")
    bias = f" + {b:g}" if b else ""
    ax.set_title(f"out[{row}, {col}] = sum(window * w){bias} = {prod.sum() + b:g}", fontsize=10)
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.9)
    return fig


def draw_conv_volume(x, w, names=None):
    """Convolution over a volume: each channel's slice, its product map, and their sum.

    x: (C, H, W) image (channels first, as in cnnlab.conv); w: (C, K, K), one filter as deep
    as the input. Row c shows input channel c, kernel slice c and ``conv(x[c], w[c])``; the
    last column is the sum over channels, the (H-K+1, W-K+1) activation map.
    names: labels of the channels (default R, G, B for three).
    """
    from .conv import conv2d

    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    if x.ndim != 3 or w.ndim != 3 or x.shape[0] != w.shape[0]:
        raise ValueError(
            "x must be (C, H, W) and w (C, K, K) with the same C (a filter is as deep as its "
            f"input), got {x.shape} and {w.shape}"
        )
    c = x.shape[0]
    names = list(names) if names is not None else None
    names = names or (["R", "G", "B"] if c == 3 else [f"ch {i}" for i in range(c)])
    # (C, H', W'): what each channel's slice of the filter sees on its own
    parts = np.stack([conv2d(x[i][None, None], w[i][None, None])[0, 0] for i in range(c)])
    total = parts.sum(axis=0)
    fig = plt.figure(figsize=(8.4, 2.0 * c))
    gs = fig.add_gridspec(
        c, 4, width_ratios=[x.shape[2], w.shape[2], parts.shape[2], parts.shape[2]]
    )
    lim = max(np.abs(parts).max(), np.abs(total).max(), 1e-12)
    wlim = max(np.abs(w).max(), 1e-12)
    xlim = max(np.abs(x).max(), 1e-12)
    for i in range(c):
        ax = fig.add_subplot(gs[i, 0])
        _value_grid(ax, x[i], signed=bool(x.min() < 0), lim=xlim)
        ax.set_ylabel(names[i], rotation=0, labelpad=12, fontsize=10)
        _value_grid(fig.add_subplot(gs[i, 1]), w[i], lim=wlim)
        _value_grid(fig.add_subplot(gs[i, 2]), parts[i], lim=lim)
        if i == 0:
            for j, t in enumerate(["input channel", "kernel slice", "channel's map"]):
                fig.axes[j].set_title(t, fontsize=9)
    ax = fig.add_subplot(gs[c // 2, 3])
    _value_grid(ax, total, lim=lim)
    ax.set_title("sum over channels\n= activation map", fontsize=9)
    fig.subplots_adjust(left=0.05, right=0.98, bottom=0.03, top=0.9, wspace=0.25, hspace=0.25)
    return fig


def plot_orientation_errors(angles, errors: dict, wavelength=None):
    """Edge-direction error against edge angle, one line per filter pair.

    angles: (A,) degrees; errors: {name: (A,) errors in degrees} (from
    cnnlab.filters.orientation_error). The legend gives each pair's worst error.
    """
    angles = np.asarray(angles, dtype=float)
    if not errors:
        raise ValueError("errors must map at least one filter name to its errors")
    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    for name, err in errors.items():
        err = np.asarray(err, dtype=float)
        if err.shape != angles.shape:
            raise ValueError(f"errors[{name!r}] has shape {err.shape}, angles {angles.shape}")
        ax.plot(angles, err, marker="o", ms=3, label=f"{name} (worst {np.abs(err).max():.2f}°)")
    ax.axhline(0, color="0.5", lw=0.8)
    ax.set_xlabel("true edge direction (degrees)")
    ax.set_ylabel("estimated - true (degrees)")
    ax.set_xticks(np.arange(0, angles.max() + 1, 45))
    title = "How well each filter pair measures an edge's direction"
    if wavelength is not None:
        title += f" (stripes {wavelength:g} px apart)"
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=len(errors))
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def plot_filter_learning(losses, learned, true, names=("learned", "true")):
    """Loss curve of learning a filter, and the learned kernel next to the true one.

    losses: (steps + 1,) mean squared errors; learned, true: (K, K) kernels.
    """
    losses = np.asarray(losses, dtype=float)
    learned = np.asarray(learned, dtype=float)
    true = np.asarray(true, dtype=float)
    if losses.ndim != 1 or learned.shape != true.shape or learned.ndim != 2:
        raise ValueError(
            f"need 1D losses and two (K, K) kernels of one shape, got {losses.shape}, "
            f"{learned.shape} and {true.shape}"
        )
    fig = plt.figure(figsize=(9.6, 3.0))
    gs = fig.add_gridspec(1, 3, width_ratios=[1.6, 1, 1])
    ax = fig.add_subplot(gs[0])
    ax.semilogy(np.arange(len(losses)), losses)
    ax.set_xlabel("gradient-descent step")
    ax.set_ylabel("mean squared error")
    ax.set_title("loss", fontsize=9)
    ax.grid(alpha=0.3)
    lim = max(np.abs(true).max(), np.abs(learned).max(), 1e-12)
    for j, (k, name) in enumerate(zip((learned, true), names)):
        a = fig.add_subplot(gs[j + 1])
        _value_grid(a, k, fmt="{:.3f}", lim=lim)
        a.set_title(name, fontsize=9)
    fig.tight_layout()
    return fig


def plot_reconstruction(original, responses, reconstruction, losses, names=None):
    """The trick question answered: an image, its filter responses, and the image
    recovered from the responses alone, with the loss going down.

    original, reconstruction: (H, W); responses: (C_out, H', W'); losses: (steps + 1,).
    names: titles of the responses (default 'filter i').
    """
    original = np.asarray(original, dtype=float)
    reconstruction = np.asarray(reconstruction, dtype=float)
    responses = np.asarray(responses, dtype=float)
    if original.ndim != 2 or original.shape != reconstruction.shape or responses.ndim != 3:
        raise ValueError(
            "need original and reconstruction (H, W) of one shape and responses "
            f"(C_out, H', W'), got {original.shape}, {reconstruction.shape}, {responses.shape}"
        )
    n = responses.shape[0]
    names = names or [f"filter {i}" for i in range(n)]
    cols = max(n, 3)
    fig = plt.figure(figsize=(2.2 * cols, 4.6))
    gs = fig.add_gridspec(2, cols, height_ratios=[1, 1.1])
    for i in range(n):
        ax = fig.add_subplot(gs[0, i])
        lim = max(np.abs(responses[i]).max(), 1e-12)
        if responses[i].min() >= 0:
            ax.imshow(responses[i], cmap="gray", vmin=0, vmax=lim)
        else:
            ax.imshow(responses[i], cmap="RdBu_r", vmin=-lim, vmax=lim)
        ax.set_title(f"response: {names[i]}", fontsize=8)
        ax.axis("off")
    for j, (img, title) in enumerate(
        [(original, "original"), (reconstruction, "reconstructed from\nthe responses")]
    ):
        ax = fig.add_subplot(gs[1, j])
        ax.imshow(img, cmap="gray", vmin=0, vmax=1)
        ax.set_title(title, fontsize=8)
        ax.axis("off")
    ax = fig.add_subplot(gs[1, 2:])
    ax.semilogy(np.asarray(losses, dtype=float))
    ax.set_xlabel("gradient-descent step", fontsize=8)
    ax.set_title("||conv(x_hat) - conv(x)||² / M", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def draw_activation_map(image, kernel, title=None):
    """A grey image, a kernel and the activation map ``conv2d(image, kernel)``.

    image: (H, W); kernel: (K, K). Positive responses red, negative blue, 0 white.
    """
    from .conv import conv2d

    image = np.asarray(image, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    if image.ndim != 2 or kernel.ndim != 2:
        raise ValueError(
            f"image must be (H, W) (grey) and kernel (K, K), got {image.shape} and {kernel.shape}"
        )
    act = conv2d(image[None, None], kernel[None, None])[0, 0]
    fig = plt.figure(figsize=(7.6, 2.8))
    gs = fig.add_gridspec(1, 3, width_ratios=[1, 0.55, 1])
    ax = fig.add_subplot(gs[0])
    ax.imshow(image, cmap="gray", vmin=0, vmax=1)
    ax.set_title(f"image {image.shape[0]}x{image.shape[1]}", fontsize=9)
    ax.axis("off")
    ax = fig.add_subplot(gs[1])
    _value_grid(ax, kernel, fmt="{:.3g}")
    ax.set_title("kernel", fontsize=9)
    ax = fig.add_subplot(gs[2])
    lim = max(np.abs(act).max(), 1e-12)
    ax.imshow(act, cmap="RdBu_r", vmin=-lim, vmax=lim)
    ax.set_title(f"activation map {act.shape[0]}x{act.shape[1]}", fontsize=9)
    ax.axis("off")
    if title:
        fig.suptitle(title, fontsize=10)
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=0.86, wspace=0.1)
    return fig


# --- lesson 03: padding, stride, dilation (the convolution arithmetic explorer) ---

# Cell colours of the arithmetic pictures. The whole grid is one RGB image, so a picture
# costs a handful of artists whatever its size (a widget redraws it on every slider move).
ARITH_COLOURS = {
    "input": (1.0, 1.0, 1.0),
    "padding": (0.78, 0.85, 0.96),  # the zeros added around the image
    "ignored": (0.96, 0.80, 0.80),  # input pixels no window reads (past the floor, or gaps)
    "gap": (1.0, 0.92, 0.72),  # inside the dilated window but skipped
    "tap": (0.98, 0.55, 0.15),  # cells the kernel reads at this position
    "done": (1.0, 0.86, 0.68),  # output cells computed before this one
    "current": (0.98, 0.55, 0.15),
}


def window_counts(n: int, f: int, p: int = 0, s: int = 1, d: int = 1):
    """How many output positions read each cell of the padded input.

    Returns an int array of shape (n + 2p, n + 2p); the original image is
    ``counts[p:p+n, p:p+n]``. A cell with count 0 is never read (it lies past the last
    window that fits, or in a dilation gap of every window). Square input and kernel;
    the 2D count is the outer product of the 1D counts, one per axis.

    >>> window_counts(4, 3)          # valid 3x3 on 4x4: corners feed 1 output, centre 4
    array([[1, 2, 2, 1],
           [2, 4, 4, 2],
           [2, 4, 4, 2],
           [1, 2, 2, 1]])
    """
    from .arith import conv_output_size, effective_kernel

    out = conv_output_size(n, f, p, s, d)  # validates and raises the arith message
    span = effective_kernel(f, d)
    line = np.zeros(n + 2 * p, dtype=int)
    for o in range(out):
        line[o * s : o * s + span : d] += 1
    return np.outer(line, line)


def _grid_lines(ax, h, w, ox=0.0, color="0.55", lw=0.6):
    """Cell borders of an h x w grid as one LineCollection (one artist, fast)."""
    xs = ox + np.arange(w + 1) - 0.5
    ys = np.arange(h + 1) - 0.5
    segs = [((x, -0.5), (x, h - 0.5)) for x in xs] + [
        ((ox - 0.5, y), (ox + w - 0.5, y)) for y in ys
    ]
    ax.add_collection(matplotlib.collections.LineCollection(segs, colors=color, lw=lw))


def _arith_formula(n, f, p, s, d, out):
    """The output-size formula with the numbers substituted and the floor made visible."""
    top = n + 2 * p - d * (f - 1) - 1
    return (
        f"out = ⌊(n + 2p − d(f−1) − 1)/s⌋ + 1 = ⌊({n} + 2·{p} − {d}·{f - 1} − 1)/{s}⌋ + 1"
        f" = ⌊{top}/{s}⌋ + 1 = {out}"
    )


def conv_arithmetic(n: int = 7, f: int = 3, p: int = 0, s: int = 1, d: int = 1, position: int = 0):
    """Picture of one convolution step: padded input, kernel window, output, formula.

    n: input size (n x n); f: kernel size; p: zero padding on each side; s: stride;
    d: dilation; position: which output cell, counted row by row from 0 to out² − 1.

    Left, the (n+2p) x (n+2p) padded input: padding in blue (its zeros written in on
    small grids), the kernel's window at ``position`` (orange cells are read, pale ones
    are dilation gaps, the outline is the span d(f-1)+1), and in red the input pixels
    that no window ever reads. Right, the out x out output, the current cell in orange
    and the cells already computed in pale orange. Top, the size formula with the numbers
    substituted. Returns a matplotlib Figure that is not registered with pyplot.
    Impossible settings raise the ValueError of :func:`cnnlab.arith.conv_output_size`.

    >>> fig = conv_arithmetic(7, 3, p=0, s=2)       # the notes' 7x7 * 3x3, stride 2 -> 3x3
    """
    from matplotlib.figure import Figure

    from .arith import conv_output_size, effective_kernel

    out = conv_output_size(n, f, p, s, d)  # raises the arith message when impossible
    if isinstance(position, bool) or not hasattr(position, "__index__"):
        raise ValueError(f"output position must be an integer, got {position!r}")
    position = int(position)
    if not 0 <= position < out * out:
        raise ValueError(
            f"output position must be between 0 and out² − 1 = {out * out - 1} "
            f"(the output is {out}x{out}), got {position}"
        )
    span = effective_kernel(f, d)
    size = n + 2 * p
    row, col = divmod(position, out)
    r0, c0 = row * s, col * s  # top-left corner of the window, in padded coordinates

    # Each grid is one RGB image: base colours first, then the window on top.
    inner = np.zeros((size, size), dtype=bool)
    inner[p : p + n, p : p + n] = True
    ignored = inner & (window_counts(n, f, p, s, d) == 0)
    img = np.empty((size, size, 3))
    img[:] = ARITH_COLOURS["padding"]
    img[inner] = ARITH_COLOURS["input"]
    img[ignored] = ARITH_COLOURS["ignored"]
    img[r0 : r0 + span, c0 : c0 + span] = ARITH_COLOURS["gap"]
    img[r0 : r0 + span : d, c0 : c0 + span : d] = ARITH_COLOURS["tap"]
    oimg = np.ones((out * out, 3))
    oimg[:position] = ARITH_COLOURS["done"]
    oimg[position] = ARITH_COLOURS["current"]

    # Both grids on one axes, so cells have the same size; the output sits on the right.
    ox = size + max(2.0, 0.25 * size)
    fig = Figure(figsize=(7.2, 4.3), dpi=80)
    ax = fig.add_axes((0.02, 0.1, 0.96, 0.7))
    ax.imshow(img, extent=(-0.5, size - 0.5, size - 0.5, -0.5), interpolation="nearest")
    ax.imshow(
        oimg.reshape(out, out, 3),
        extent=(ox - 0.5, ox + out - 0.5, out - 0.5, -0.5),
        interpolation="nearest",
    )
    _grid_lines(ax, size, size)
    _grid_lines(ax, out, out, ox=ox)
    boxes = [((p, p), n, "0.15", 1.6)] if p else []  # the real image inside its padding
    boxes += [((r0, c0), span, "#b34700", 2.2), ((row, ox + col), 1, "#b34700", 2.2)]
    for (r, c), w, colour, lw in boxes:
        ax.add_patch(
            matplotlib.patches.Rectangle((c - 0.5, r - 0.5), w, w, fill=False, ec=colour, lw=lw)
        )
    ax.annotate(  # from the window to the output cell it computes
        "",
        xy=(ox + col - 0.5, row),
        xytext=(c0 + span - 0.5, r0 + (span - 1) / 2),
        arrowprops=dict(arrowstyle="->", color="#b34700", lw=1.2, shrinkA=2, shrinkB=2),
    )
    if p and size <= 14:  # padding is zeros: write them where they are readable
        rr, cc = np.nonzero(~inner)
        # One scatter of "0" markers instead of a text per cell: text is slow to draw.
        ax.scatter(cc, rr, marker="$0$", s=28, c="0.3", linewidths=0)
    name = f"padded input {size}×{size}" if p else f"input {n}×{n}"
    name += f", window {span}×{span}" if d > 1 else ""
    ax.text((size - 1) / 2, -0.9, name, ha="center", va="bottom", fontsize=10)
    ax.text(ox + (out - 1) / 2, -0.9, f"output {out}×{out}", ha="center", va="bottom", fontsize=10)
    # Tiny grids would fill the figure with giant cells: show at least 16 x 8 cells' room.
    width, height = ox + out, size
    mx, my = max(0.0, (16 - width) / 2), max(0.0, (8 - height) / 2)
    ax.set_xlim(-0.6 - mx, width - 0.4 + mx)
    ax.set_ylim(height - 0.4 + my, -0.6 - my)
    ax.set_aspect("equal")
    ax.axis("off")

    fig.text(0.5, 0.975, _arith_formula(n, f, p, s, d, out), ha="center", va="top", fontsize=11)
    dropped = (size - span) % s - p  # input rows past the last window that fits
    if dropped > 0:
        rows = "row and column" if dropped == 1 else f"{dropped} rows and columns"
        note = f"the floor drops the last {rows} of the input (red: never read)"
        fig.text(0.5, 0.91, note, ha="center", va="top", fontsize=9, color="#a40000")
    # A short legend with only the kinds of cell that appear (text is costly to draw).
    keys = ["tap"] + ["gap"] * (d > 1) + ["padding"] * (p > 0) + ["ignored"] * bool(ignored.any())
    names = {
        "tap": "read",
        "gap": "dilation gap",
        "padding": "padding (0)",
        "ignored": "never read",
    }
    handles = [
        matplotlib.patches.Patch(fc=ARITH_COLOURS[k], ec="0.5", label=names[k]) for k in keys
    ]
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=9, frameon=False)
    return fig


def pixel_usage(n: int = 6, f: int = 3, paddings=(0, 1), s: int = 1, d: int = 1):
    """Heatmaps of how many outputs read each input pixel, one panel per padding.

    For each p in ``paddings`` draws ``window_counts(n, f, p, s, d)`` over the n x n image
    itself (the padding holds no information, so it is left out). Without padding the
    corners feed a single output while the centre feeds up to f² of them; padding evens
    this out. The panels share one colour scale. Returns a Figure.
    """
    from matplotlib.figure import Figure

    from .arith import conv_output_size

    paddings = list(paddings)
    if not paddings:
        raise ValueError("pixel_usage needs at least one padding, e.g. paddings=(0, 1)")
    maps = [window_counts(n, f, p, s, d)[p : p + n, p : p + n] for p in paddings]
    top = max(int(m.max()) for m in maps)
    fig = Figure(figsize=(2.9 * len(maps), 3.3), dpi=80)
    axes = fig.subplots(1, len(maps), squeeze=False)[0]
    for ax, p, m in zip(axes, paddings, maps):
        ax.imshow(m, cmap="Oranges", vmin=0, vmax=top * 1.15, interpolation="nearest")
        _grid_lines(ax, n, n, color="0.75", lw=0.5)
        if n <= 12:
            for (r, c), v in np.ndenumerate(m):
                colour = "white" if v > 0.6 * top else "black"
                ax.text(c, r, str(v), ha="center", va="center", fontsize=8, color=colour)
        ax.set_xticks([])
        ax.set_yticks([])
        out = conv_output_size(n, f, p, s, d)
        kind = "valid (p=0)" if p == 0 else f"padded, p={p}"
        ax.set_title(
            f"{kind} → output {out}×{out}\ncorner used {m[0, 0]}×, centre {m[n // 2, n // 2]}×",
            fontsize=9,
        )
    fig.subplots_adjust(left=0.03, right=0.97, bottom=0.03, top=0.84, wspace=0.12)
    return fig


# --- lesson 01: why CNN (hand-made features) ---


def draw_hand_made_features(image, hist, hog_picture, size: float = 3.0):
    """Three panels: the image, its colour histogram and its HOG picture.

    image: (H, W) or (H, W, 3) in [0, 1]; hist: (C, bins) from
    ``cnnlab.features.colour_histogram``; hog_picture: (H, W) from
    ``cnnlab.features.hog(..., visualize=True)``. Returns the Figure.
    """
    hist = np.asarray(hist, dtype=float)
    if hist.ndim != 2 or hist.shape[0] not in (1, 3):
        raise ValueError(f"hist must be (1, bins) or (3, bins), got shape {hist.shape}")
    image, hog_picture = np.asarray(image), np.asarray(hog_picture, dtype=float)
    fig, axes = plt.subplots(1, 3, figsize=(3 * size + 0.6, size))
    axes[0].imshow(image, cmap=None if image.ndim == 3 else "gray")
    axes[0].set_title("image", fontsize=9)
    bins = hist.shape[1]
    centres = (np.arange(bins) + 0.5) / bins
    colours = ["0.3"] if hist.shape[0] == 1 else ["tab:red", "tab:green", "tab:blue"]
    names = ["grey"] if hist.shape[0] == 1 else ["red", "green", "blue"]
    width = 1 / bins / hist.shape[0]
    for c, (row, col, name) in enumerate(zip(hist, colours, names)):
        offset = (c - (hist.shape[0] - 1) / 2) * width
        axes[1].bar(centres + offset, row, width=width, color=col, label=name)
    axes[1].set_xlim(0, 1)
    axes[1].set_xlabel("intensity", fontsize=8)
    axes[1].set_ylabel("fraction of pixels", fontsize=8)
    axes[1].tick_params(labelsize=7)
    axes[1].legend(fontsize=7, frameon=False)
    axes[1].set_title(f"colour histogram ({hist.size} numbers)", fontsize=9)
    # HOG strokes are faint; stretch to the 99th percentile so the directions show.
    top = np.percentile(hog_picture, 99) or 1.0
    axes[2].imshow(np.clip(hog_picture / top, 0, 1), cmap="gray")
    axes[2].set_title("HOG: edge directions per cell", fontsize=9)
    for ax in (axes[0], axes[2]):
        ax.axis("off")
    fig.tight_layout()
    return fig


def draw_patches(patches, cols: int = 16, size: float = 0.5, title: str | None = None):
    """Small grey patches (K, p, p), e.g. visual words, tiled in one image with gaps.

    Each patch keeps its own grey levels (one colour scale for all). Returns the Figure.
    """
    patches = np.asarray(patches, dtype=float)
    if patches.ndim != 3 or len(patches) == 0:
        raise ValueError(f"patches must be a non-empty (K, p, p) array, got shape {patches.shape}")
    k, ph, pw = patches.shape
    cols = max(1, min(cols, k))
    rows = -(-k // cols)
    # Tile into one array (NaN gaps show as background) so drawing is one imshow, fast.
    canvas = np.full((rows * (ph + 1) - 1, cols * (pw + 1) - 1), np.nan)
    for i, p in enumerate(patches):
        r, c = divmod(i, cols)
        canvas[r * (ph + 1) : r * (ph + 1) + ph, c * (pw + 1) : c * (pw + 1) + pw] = p
    fig, ax = plt.subplots(figsize=(size * cols + 0.2, size * rows + (0.4 if title else 0.2)))
    cmap = plt.get_cmap("gray").with_extremes(bad="white")
    ax.imshow(canvas, cmap=cmap, vmin=np.nanmin(patches), vmax=np.nanmax(patches))
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=9)
    fig.tight_layout()
    return fig


# --- lesson 06: LeNet-5 ---


def _mosaic(maps, gap: int = 1, vmax=None):
    """(C, h, w) maps -> one (h, C*(w+gap)-gap) strip, each map scaled to [-1, 1] by vmax
    (default: its own largest |value|), NaN in the gaps so they show as background."""
    maps = np.asarray(maps, dtype=float)
    c, h, w = maps.shape
    strip = np.full((h, c * (w + gap) - gap), np.nan)
    for i, m in enumerate(maps):
        scale = vmax if vmax is not None else (np.abs(m).max() or 1.0)
        strip[:, i * (w + gap) : i * (w + gap) + w] = m / scale
    return strip


def plot_filters(w, title: str | None = None, size: float | None = None):
    """Every 5x5 (or KxK) slice of a conv layer's weights w (C_out, C_in, K, K).

    Column j is filter j; row i its slice for input channel i (one row when C_in = 1).
    Each filter is shown on its own symmetric colour scale: red positive, blue negative,
    white zero. size: inches per weight (default 0.12, or 0.08 for many input channels).
    Returns the Figure.
    """
    w = np.asarray(w, dtype=float)
    if w.ndim != 4:
        raise ValueError(f"plot_filters expects w of shape (C_out, C_in, K, K), got {w.shape}")
    c_out, c_in, k, _ = w.shape
    scale = np.abs(w).reshape(c_out, -1).max(axis=1)
    scale[scale == 0] = 1.0
    rows = [_mosaic(w[:, i] / scale[:, None, None], vmax=1.0) for i in range(c_in)]
    pad = np.full((1, rows[0].shape[1]), np.nan)
    grid = np.vstack([r if i == 0 else np.vstack([pad, r]) for i, r in enumerate(rows)])
    px = size if size is not None else (0.08 if c_in > 1 else 0.12)  # inches per weight
    fig, ax = plt.subplots(figsize=(max(2.5, px * grid.shape[1] + 0.8), px * grid.shape[0] + 0.8))
    cmap = matplotlib.colormaps["RdBu_r"].with_extremes(bad="white")
    ax.imshow(grid, cmap=cmap, vmin=-1, vmax=1, interpolation="nearest")
    ax.set_xticks(
        [j * (k + 1) + (k - 1) / 2 for j in range(c_out)],
        [str(j) for j in range(c_out)],
        fontsize=7,
    )
    ax.set_yticks([i * (k + 1) + (k - 1) / 2 for i in range(c_in)] if c_in > 1 else [])
    ax.set_yticklabels([f"in {i}" for i in range(c_in)] if c_in > 1 else [], fontsize=7)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.set_xlabel("filter (output channel)", fontsize=8)
    if c_in > 1:
        ax.set_ylabel("input channel", fontsize=8)
    if title:
        ax.set_title(title, fontsize=9)
    return fig


def plot_feature_maps(maps: dict, width: float = 7.5):
    """One row per stage of a network: every channel of the activations of one image.

    maps: {stage name: (C, H, W) array}, e.g. from ``cnnlab.lenet.feature_maps``. Each
    row's label gives the stage's shape as H x W x C. Activations are drawn on one
    symmetric grey scale per stage (black negative, white positive). Returns the Figure.
    """
    if not maps:
        raise ValueError("plot_feature_maps needs at least one stage")
    strips, labels = [], []
    for name, m in maps.items():
        m = np.asarray(m, dtype=float)
        if m.ndim != 3:
            raise ValueError(f"stage {name!r} must be (C, H, W), got shape {m.shape}")
        strips.append(_mosaic(m, vmax=np.abs(m).max() or 1.0))
        labels.append(f"{name}\n{m.shape[1]}x{m.shape[2]}x{m.shape[0]}")
    longest = max(s.shape[1] for s in strips)
    heights = [s.shape[0] / longest * width for s in strips]
    fig, axes = plt.subplots(
        len(strips),
        1,
        figsize=(width + 1.2, sum(heights) + 0.12 * len(strips) + 0.1),
        gridspec_kw={"height_ratios": heights},
        squeeze=False,
    )
    for ax, strip, label in zip(axes[:, 0], strips, labels):
        ax.imshow(
            strip,
            cmap="gray",
            vmin=-1,
            vmax=1,
            interpolation="nearest",
            extent=(0, strip.shape[1] / longest, strip.shape[0] / longest, 0),
        )
        ax.set_xlim(0, 1)
        ax.set_xticks([])
        ax.set_yticks([])
        for side in ax.spines.values():
            side.set_visible(False)
        ax.set_ylabel(label, rotation=0, ha="right", va="center", fontsize=8)
    fig.subplots_adjust(left=0.14, right=0.99, top=0.98, bottom=0.02, hspace=0.15)
    return fig


def plot_conv_matrix(n: int = 6, f: int = 3):
    """A 1-channel f x f convolution on an n x n image, drawn as the fully connected weight
    matrix that computes the same outputs (one row per output, one column per input).

    Each cell is coloured by which of the f*f kernel weights it holds, white when it holds
    none: most cells are empty (sparsity of connections) and the same f*f colours repeat on
    every row (parameter sharing). Returns the Figure.
    """
    from .arith import conv_output_size
    from .layers import conv_as_matrix

    n_out = conv_output_size(n, f)  # raises a ValueError that explains when f > n
    taps = np.arange(1, f * f + 1, dtype=float).reshape(1, 1, f, f)
    m = conv_as_matrix(taps, n)
    m[m == 0] = np.nan
    fig, ax = plt.subplots(
        figsize=(min(9.0, 0.17 * n * n + 1), min(6.0, 0.17 * n_out * n_out + 0.9))
    )
    cmap = matplotlib.colormaps["tab10" if f * f <= 10 else "tab20"].resampled(f * f)
    cmap = cmap.with_extremes(bad="white")
    ax.imshow(m, cmap=cmap, vmin=0.5, vmax=f * f + 0.5, interpolation="nearest")
    ax.set_xticks(np.arange(m.shape[1] + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(m.shape[0] + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="0.85", lw=0.4)
    ax.tick_params(which="both", length=0)
    nnz = n_out * n_out * f * f
    ax.set_title(
        f"{f}x{f} conv on {n}x{n} as a {n_out * n_out}x{n * n} FC matrix:\n"
        f"{nnz} of {m.size} weights nonzero ({nnz / m.size:.0%}), only {f * f} distinct",
        fontsize=9,
    )
    ax.set_xlabel(f"input pixel (row-major, {n * n})", fontsize=8)
    ax.set_ylabel(f"output ({n_out * n_out})", fontsize=8)
    ax.set_xticks([])
    ax.set_yticks([])
    return fig


def plot_histories(histories: dict, key: str = "val_acc", ylabel: str = "test accuracy"):
    """One curve per training run: ``histories`` maps a label to a history dict (from
    ``cnnlab.nets.fit`` or ``cnnlab.lenet.train``); plots ``history[key]`` per epoch."""
    if not histories:
        raise ValueError("plot_histories needs at least one history")
    fig, ax = plt.subplots(figsize=(5.5, 3.2))
    for label, h in histories.items():
        if key not in h or not len(h[key]):
            raise ValueError(f"history {label!r} has no {key!r} values; keys: {sorted(h)}")
        ax.plot(np.arange(1, len(h[key]) + 1), h[key], marker="o", ms=3, label=label)
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


# --- lesson 10: object detection ---

#: One colour per shape class (ellipse, rectangle, triangle), bright on the dark scenes.
CLASS_COLOURS = ("#ffb000", "#3fd0ff", "#ff5ad2", "#9be36b", "#ff6b6b", "#c9a0ff")


def _class_colour(c) -> str:
    return CLASS_COLOURS[int(c) % len(CLASS_COLOURS)]


def _hwc(image) -> np.ndarray:
    """(3, H, W) or (H, W, 3) or (H, W) image -> something imshow takes."""
    img = np.asarray(image)
    if img.ndim == 3 and img.shape[0] == 3 and img.shape[2] != 3:
        img = np.moveaxis(img, 0, -1)
    return np.clip(img, 0, 1) if img.dtype.kind == "f" else img


def _show_image(ax, image):
    """imshow with pixel (i, j) covering [j, j+1] x [i, i+1], the boxes' coordinates."""
    img = _hwc(image)
    h, w = img.shape[:2]
    ax.imshow(img, extent=(0, w, h, 0), cmap=None if img.ndim == 3 else "gray",
              interpolation="nearest")
    ax.set_xlim(0, w)
    ax.set_ylim(h, 0)
    ax.set_xticks([])
    ax.set_yticks([])
    return h, w


def draw_boxes(ax, boxes, classes=None, scores=None, *, names=None, color=None, ls="-",
               lw=1.6, fontsize=7, alpha=1.0, label=True):
    """Draw xyxy boxes on ``ax``: one colour per class (or ``color``), an optional label
    "name score" above each box. Returns the list of Rectangle patches."""
    from .detect import as_boxes

    b = as_boxes(boxes)
    patches = []
    for k, (x1, y1, x2, y2) in enumerate(b):
        c = None if classes is None else int(np.asarray(classes)[k])
        col = color or (_class_colour(c) if c is not None else "white")
        rect = matplotlib.patches.Rectangle((x1, y1), x2 - x1, y2 - y1, fill=False, ec=col,
                                            lw=lw, ls=ls, alpha=alpha)
        ax.add_patch(rect)
        patches.append(rect)
        parts = []
        if label and c is not None:
            parts.append(names[c] if names is not None else str(c))
        if label and scores is not None:
            parts.append(f"{float(np.asarray(scores)[k]):.2f}")
        if parts:
            ax.text(x1, y1 - 0.5, " ".join(parts), color="black", fontsize=fontsize,
                    va="bottom", ha="left", alpha=alpha, clip_on=True,
                    bbox={"fc": col, "ec": "none", "pad": 0.5, "alpha": 0.85 * alpha})
    return patches


def show_detections(images, detections=None, truths=None, titles=None, *, names=None,
                    cols: int | None = None, size: float = 2.4, fontsize: int = 6):
    """A grid of images with boxes. detections: per image (boxes, scores, classes), drawn
    solid with labels; truths: per image (boxes, classes), drawn dashed white (the answer).
    Returns the Figure."""
    images = list(images)
    if not images:
        raise ValueError("show_detections needs at least one image")
    for what, items in (("detections", detections), ("truths", truths), ("titles", titles)):
        if items is not None and len(items) != len(images):
            raise ValueError(f"got {len(items)} {what} for {len(images)} images")
    cols = cols or min(len(images), 5)
    rows = -(-len(images) // cols)
    fig = _figure((size * cols, size * rows + 0.25 * (titles is not None) * rows))
    axes = fig.subplots(rows, cols, squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for i, img in enumerate(images):
        ax = axes.flat[i]
        _show_image(ax, img)
        ax.axis("on")
        if truths is not None:
            draw_boxes(ax, truths[i][0], color="white", ls=(0, (3, 2)), lw=1.0, label=False)
        if detections is not None:
            b, s, c = detections[i]
            draw_boxes(ax, b, c, s, names=names, fontsize=fontsize)
        if titles is not None:
            ax.set_title(titles[i], fontsize=8)
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.93 if titles else 0.99,
                        wspace=0.05, hspace=0.2 if titles else 0.05)
    return fig


def draw_localization(image, y, names=None, title=None):
    """One image and its localization label y = (pc, bx, by, bh, bw, c1..cC), where (bx, by)
    is the midpoint and (bh, bw) the size **as fractions of the image** (the notes'
    convention for a single object: top-left (0, 0), bottom-right (1, 1))."""
    y = np.asarray(y, dtype=float)
    fig = _figure((4.6, 2.6))
    ax, tx = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.1]})
    h, w = _show_image(ax, image)
    if y[0] == 1:
        cx, cy, bh, bw = y[1] * w, y[2] * h, y[3] * h, y[4] * w
        cls = int(np.argmax(y[5:]))
        draw_boxes(ax, [cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2], [cls],
                   names=names)
        ax.plot(cx, cy, "o", color="white", ms=4, mec="black")
    tx.axis("off")
    labels = ["pc", "bx", "by", "bh", "bw"] + [f"c{k + 1}" for k in range(len(y) - 5)]
    lines = [f"{n:>3} = {'?' if (y[0] == 0 and k > 0) else f'{v:.2f}'}"
             for k, (n, v) in enumerate(zip(labels, y))]
    tx.text(0.0, 0.5, "y =\n" + "\n".join(lines), family="monospace", fontsize=8, va="center")
    if title:
        ax.set_title(title, fontsize=9)
    fig.subplots_adjust(left=0.02, right=0.98, top=0.88, bottom=0.04, wspace=0.05)
    return fig


def draw_landmarks(images, landmarks, predicted=None, titles=None, size: float = 1.7):
    """Images with their landmarks: true points as white circles numbered 1, 2, ... (the
    order the label lists them in), predicted ones as coloured crosses joined to their
    true point. landmarks, predicted: (N, L, 2) (x, y) in pixels."""
    images = list(images)
    marks = np.asarray(landmarks, dtype=float)
    fig = _figure((size * len(images), size + (0.3 if titles else 0.05)))
    axes = np.atleast_1d(fig.subplots(1, len(images)))
    for i, ax in enumerate(axes):
        _show_image(ax, images[i])
        for k, (x, y) in enumerate(marks[i]):
            ax.plot(x, y, "o", mfc="none", mec="white", ms=6, mew=1.2)
            ax.text(x + 1.2, y - 1.2, str(k + 1), color="white", fontsize=7, weight="bold")
            if predicted is not None:
                px, py = np.asarray(predicted, float)[i, k]
                col = _class_colour(k + 3)
                ax.plot([x, px], [y, py], color=col, lw=0.8)
                ax.plot(px, py, "x", color=col, ms=6, mew=1.8)
        if titles:
            ax.set_title(titles[i], fontsize=8)
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.86 if titles else 0.99,
                        wspace=0.05)
    return fig


def draw_iou(x: float = 4, y: float = 3, w: float = 5, h: float = 4, box_a=(2, 2, 7, 6),
             size: int = 12):
    """Two boxes on a size x size canvas: A fixed, B = (x, y, x + w, y + h). Shades the
    intersection, outlines the union and writes IoU = area(A ∩ B) / area(A ∪ B).

    Returns the Figure; a width or height <= 0, or B outside the canvas, raises ValueError.
    """
    from .detect import as_boxes, box_area, intersection, iou

    if w <= 0 or h <= 0:
        raise ValueError(f"box B needs a width and a height > 0, got w={w}, h={h}")
    b = np.array([x, y, x + w, y + h], dtype=float)
    if b[0] < 0 or b[1] < 0 or b[2] > size or b[3] > size:
        raise ValueError(
            f"box B = {b.tolist()} sticks out of the {size}x{size} canvas: keep x + w <= {size} "
            f"and y + h <= {size}"
        )
    a = as_boxes(box_a)[0]
    inter = float(intersection(a, b)[0, 0])
    area_a, area_b = float(box_area(a)[0]), float(box_area(b)[0])
    value = float(iou(a, b)[0, 0])
    fig = _figure((3.4, 3.6))
    ax = fig.subplots()
    # one collection for the whole grid: a Line2D per line made each slider move slow
    ticks = np.arange(size + 1)
    grid = [[(k, 0), (k, size)] for k in ticks] + [[(0, k), (size, k)] for k in ticks]
    ax.add_collection(matplotlib.collections.LineCollection(grid, colors="0.9", lw=0.5, zorder=0))
    draw_boxes(ax, a, color="tab:blue", lw=2, label=False)
    draw_boxes(ax, b, color="tab:red", lw=2, label=False)
    ax.text(a[0] + 0.15, a[1] + 0.15, "A", color="tab:blue", va="top", fontsize=10, weight="bold")
    ax.text(b[2] - 0.15, b[3] - 0.15, "B", color="tab:red", ha="right", va="bottom",
            fontsize=10, weight="bold")
    if inter > 0:
        lo, hi = np.maximum(a[:2], b[:2]), np.minimum(a[2:], b[2:])
        ax.add_patch(matplotlib.patches.Rectangle(lo, *(hi - lo), fc="tab:purple", alpha=0.45,
                                                  ec="none", hatch="///"))
    ax.set_xlim(0, size)
    ax.set_ylim(size, 0)
    ax.set_aspect("equal")
    ax.tick_params(labelsize=7)
    union = area_a + area_b - inter
    verdict = "correct (≥ 0.5)" if value >= 0.5 else "not a match (< 0.5)"
    ax.set_title(
        f"∩ = {inter:g}, ∪ = {area_a:g} + {area_b:g} − {inter:g} = {union:g}\n"
        f"IoU = {inter:g} / {union:g} = {value:.3f}: {verdict}",
        fontsize=8.5,
    )
    fig.subplots_adjust(left=0.1, right=0.97, bottom=0.06, top=0.86)  # tight_layout costs a render
    return fig


def draw_nms(image, boxes, scores, classes=None, iou_threshold: float = 0.5,
             score_threshold: float = 0.3, per_class: bool = True, names=None):
    """Non-max suppression on one image, before and after.

    Left: every box scoring >= score_threshold. Right: the boxes NMS keeps (solid, with
    their scores) and the ones it suppresses (thin dashed). Returns the Figure; thresholds
    outside [0, 1] raise ValueError.
    """
    from .detect import as_boxes, check_fraction, non_max_suppression

    check_fraction("iou_threshold", iou_threshold)
    check_fraction("score_threshold", score_threshold)
    b = as_boxes(boxes)
    s = np.asarray(scores, dtype=float)
    c = np.zeros(len(b), dtype=int) if classes is None else np.asarray(classes, dtype=int)
    cand = np.flatnonzero(s >= score_threshold)
    keep = cand[non_max_suppression(b[cand], s[cand], iou_threshold,
                                    classes=c[cand] if per_class else None)]
    gone = np.setdiff1d(cand, keep)
    fig = _figure((5.6, 3.1))
    axes = fig.subplots(1, 2)
    for ax in axes:
        _show_image(ax, image)
    draw_boxes(axes[0], b[cand], c[cand], None, names=names, lw=1.0, label=False)
    draw_boxes(axes[1], b[gone], c[gone], None, names=names, lw=0.8, ls=(0, (2, 2)),
               alpha=0.6, label=False)
    draw_boxes(axes[1], b[keep], c[keep], s[keep], names=names, lw=1.8, fontsize=6)
    axes[0].set_title(f"before: {len(cand)} boxes with score ≥ {score_threshold:.2f}",
                      fontsize=8)
    axes[1].set_title(f"after NMS (IoU > {iou_threshold:.2f} suppressed"
                      f"{', per class' if per_class else ''}):\n{len(keep)} kept, "
                      f"{len(gone)} suppressed (dashed)", fontsize=8)
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.86, wspace=0.04)
    return fig


def draw_yolo_grid(image, boxes, classes, grid_size: int = 3, anchors=None, names=None,
                   num_classes: int = 3):
    """The YOLO target of one image: the S x S grid, each object's midpoint and the cell
    responsible for it (shaded), and the label vector of that cell written beside.

    Returns the Figure. The vectors come from :func:`cnnlab.detect.encode_targets`.
    """
    from .detect import as_boxes, assign_anchors, encode_targets

    img = _hwc(image)
    h, w = img.shape[:2]
    b = as_boxes(boxes)
    c = np.asarray(classes, dtype=int)
    target = encode_targets(b, c, grid_size, (h, w), num_classes, anchors)
    a = assign_anchors(b, grid_size, (h, w), anchors)
    fig = _figure((6.4, 3.3))
    ax, tx = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.05]})
    _show_image(ax, img)
    ch, cw = h / grid_size, w / grid_size
    for k in range(1, grid_size):
        ax.axhline(k * ch, color="white", lw=0.7, alpha=0.8)
        ax.axvline(k * cw, color="white", lw=0.7, alpha=0.8)
    draw_boxes(ax, b, c, names=names, lw=1.2, label=False)
    lines = [f"grid {grid_size}x{grid_size}, cells {cw:.3g}x{ch:.3g} px, target "
             f"{target.shape[0]}x{target.shape[1]}x{target.shape[2]}x{target.shape[3]}",
             "y = (pc, bx, by, bh, bw, c1..c3)"]
    for i in range(len(b)):
        r, col, an = int(a.row[i]), int(a.col[i]), int(a.anchor[i])
        colour = _class_colour(c[i])
        ax.add_patch(matplotlib.patches.Rectangle((col * cw, r * ch), cw, ch, fc=colour,
                                                  alpha=0.15, ec="none"))
        ax.add_patch(matplotlib.patches.Rectangle((col * cw, r * ch), cw, ch, fill=False,
                                                  ec=colour, lw=2))
        mx, my = (b[i, 0] + b[i, 2]) / 2, (b[i, 1] + b[i, 3]) / 2
        ax.plot(mx, my, "o", color=colour, mec="black", ms=5)
        name = names[c[i]] if names is not None else f"class {c[i]}"
        where = f"cell ({r}, {col})" + (f", anchor {an}" if anchors is not None else "")
        if a.kept[i]:
            v = target[r, col, an]
            vec = ", ".join(f"{t:.2f}".rstrip("0").rstrip(".") for t in v)
            lines.append(f"{name}: {where}\n   y = ({vec})")
        else:
            lines.append(f"{name}: {where}\n   LOST: slot taken by another object")
    tx.axis("off")
    tx.text(0, 1, "\n".join(lines), va="top", fontsize=7.5, family="monospace")
    fig.subplots_adjust(left=0.01, right=0.99, top=0.98, bottom=0.02, wspace=0.04)
    return fig


def draw_window_scores(image, scores, window: int, stride: int, names, detections=None,
                       truths=None):
    """Sliding-window results: the image (with one window outlined, or the detections and
    true boxes) and one map per class of the probability each window gets (rows x cols)."""
    scores = np.asarray(scores)
    n = scores.shape[-1]
    fig = _figure((2.1 * (n + 1), 2.4))
    axes = fig.subplots(1, n + 1)
    _show_image(axes[0], image)
    if truths is not None:
        draw_boxes(axes[0], truths, color="white", ls=(0, (3, 2)), lw=1.0, label=False)
    if detections is not None:
        draw_boxes(axes[0], detections[0], detections[2], detections[1], names=names,
                   fontsize=5, lw=1.2)
    else:
        draw_boxes(axes[0], [0, 0, window, window], color="white", label=False)
        axes[0].set_title(f"window {window}x{window}, stride {stride}", fontsize=8)
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
    to (highest IoU), with the anchors as big markers and their shapes drawn to scale."""
    from .detect import shape_iou

    wh, anchors = np.asarray(wh, float), np.asarray(anchors, float)
    nearest = shape_iou(wh, anchors).argmax(axis=1)
    fig = _figure((7.0, 3.2))
    ax, ax2 = fig.subplots(1, 2)
    for k in range(len(anchors)):
        m = nearest == k
        ax.scatter(wh[m, 0], wh[m, 1], s=4, alpha=0.4, color=_class_colour(k + 3))
        ax.plot(*anchors[k], "X", color=_class_colour(k + 3), mec="black", ms=10)
        ax2.add_patch(matplotlib.patches.Rectangle(-anchors[k] / 2, *anchors[k], fill=False,
                                                   ec=_class_colour(k + 3), lw=2))
    ax.set_xlabel("box width (px)", fontsize=8)
    ax.set_ylabel("box height (px)", fontsize=8)
    ax.set_aspect("equal")
    ax.tick_params(labelsize=7)
    ax.set_title(title or "objects, coloured by nearest anchor", fontsize=8)
    lim = np.abs(anchors).max() * 0.6
    ax2.set_xlim(-lim, lim)
    ax2.set_ylim(lim, -lim)
    ax2.set_aspect("equal")
    ax2.tick_params(labelsize=7)
    ax2.set_title("the anchors' shapes (px)", fontsize=8)
    fig.tight_layout()
    return fig


def plot_precision_recall(curves: dict, title=None):
    """Precision-recall curves. curves: {label: (precision, recall, ap)}; the shaded area
    under each monotone (interpolated) curve is its average precision."""
    fig = _figure((4.2, 3.2))
    ax = fig.subplots()
    for k, (label, (p, r, ap)) in enumerate(curves.items()):
        p, r = np.asarray(p, float), np.asarray(r, float)
        env = np.maximum.accumulate(np.r_[p, 0][::-1])[::-1][:-1]  # best precision to the right
        col = _class_colour(k)
        ax.plot(r, p, ".", color=col, ms=3, alpha=0.6)
        ax.step(np.r_[0, r], np.r_[env[:1], env], where="pre", color=col,
                label=f"{label}: AP = {ap:.3f}")
        ax.fill_between(np.r_[0, r], np.r_[env[:1], env], step="pre", color=col, alpha=0.1)
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("recall (found / all true objects)", fontsize=8)
    ax.set_ylabel("precision (right / all detections)", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=7, loc="lower left")
    ax.grid(alpha=0.3)
    if title:
        ax.set_title(title, fontsize=9)
    fig.tight_layout()
    return fig


def plot_detector_history(history: dict):
    """The detector's loss terms per epoch (log scale), from cnnlab.yolo.train_detector."""
    terms = history.get("terms")
    if not terms:
        raise ValueError("history has no 'terms': pass the dict train_detector returned")
    fig = _figure((4.6, 3.0))
    ax = fig.subplots()
    epochs = np.arange(1, len(terms) + 1)
    for name in terms[0]:
        ax.plot(epochs, [t[name] for t in terms], marker="o", ms=2.5, label=name,
                lw=2.2 if name == "total" else 1.2, color="black" if name == "total" else None)
    ax.set_yscale("log")
    ax.set_xlabel("epoch", fontsize=8)
    ax.set_ylabel("loss per image", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=7, ncol=2)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def draw_proposals(image, proposals, segments=None, truths=None, title=None):
    """Region proposals: the initial segmentation (if given), then every proposal box over
    the image, with the true boxes dashed white."""
    panels = 2 if segments is not None else 1
    fig = _figure((2.8 * panels, 3.0))
    axes = np.atleast_1d(fig.subplots(1, panels))
    if segments is not None:
        seg = np.asarray(segments)
        axes[0].imshow(seg % 20, cmap="tab20", extent=(0, seg.shape[1], seg.shape[0], 0),
                       interpolation="nearest")
        axes[0].set_xticks([])
        axes[0].set_yticks([])
        axes[0].set_title(f"{len(np.unique(seg))} initial regions", fontsize=8)
    ax = axes[-1]
    _show_image(ax, image)
    draw_boxes(ax, proposals, color="#ffe14d", lw=0.6, alpha=0.7, label=False)
    if truths is not None:
        draw_boxes(ax, truths, color="white", ls=(0, (3, 2)), lw=1.3, label=False)
    ax.set_title(title or f"{len(np.asarray(proposals))} proposals", fontsize=8)
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.9, wspace=0.05)
    return fig


# --- lesson 07: classic networks, 1x1 convolutions, Inception ---


def plot_layer_costs(tables: dict, width: float = 9.0):
    """Parameters and multiply-adds of every layer with weights, for several networks.

    tables: {network name: rows of ``cnnlab.classic.layer_table``}. One row of panels per
    network: bars of parameters (left) and multiply-adds (right) per layer, in millions,
    conv-like layers blue and FC layers orange; each panel's title gives the FC layers'
    share of the total. Returns the Figure.
    """
    if not tables:
        raise ValueError("plot_layer_costs needs at least one table")
    heavy = {name: [r for r in rows if r.params] for name, rows in tables.items()}
    counts = [len(v) for v in heavy.values()]
    fig, axes = plt.subplots(
        len(tables),
        2,
        figsize=(width, 0.17 * sum(counts) + 0.75 * len(tables) + 0.2),
        gridspec_kw={"height_ratios": counts},
        squeeze=False,
    )
    for (net, rows), ax_row in zip(heavy.items(), axes):
        colours = ["tab:orange" if r.kind == "fc" else "tab:blue" for r in rows]
        y = np.arange(len(rows))
        for ax, key, what in zip(ax_row, ("params", "macs"), ("parameters", "multiply-adds")):
            values = np.array([getattr(r, key) for r in rows], dtype=float)
            ax.barh(y, values / 1e6, color=colours, height=0.75)
            ax.set_yticks(y, [r.name for r in rows], fontsize=7)
            ax.invert_yaxis()
            ax.tick_params(axis="x", labelsize=7)
            ax.set_xlabel(f"{what} (millions)", fontsize=7)
            fc_share = values[[r.kind == "fc" for r in rows]].sum() / values.sum()
            ax.set_title(
                f"{net}: {values.sum() / 1e6:,.0f}M {what}, FC layers {fc_share:.0%}",
                fontsize=8,
            )
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
    fig.tight_layout(h_pad=0.6, w_pad=1.5)
    return fig


def plot_pointwise_conv(x, w, b=None, row: int = 0, col: int = 0):
    """A 1x1 convolution as a fully connected layer applied at one pixel.

    x: (C_in, H, W) input; w: (C_out, C_in) weights (a 1x1 conv's (C_out, C_in, 1, 1)
    squeezed); b: (C_out,) biases (default zeros). Draws the input channels with pixel
    (row, col) outlined, that pixel's C_in numbers as a column, the weight matrix, and
    the C_out outputs ``w @ x[:, row, col] + b``, which land at the same pixel of every
    output channel. Returns the Figure.
    """
    from .arith import check_int
    from .conv import conv2d

    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    if x.ndim != 3 or w.ndim != 2 or w.shape[1] != x.shape[0]:
        raise ValueError(
            f"x must be (C_in, H, W) and w (C_out, C_in) with the same C_in, got {x.shape} "
            f"and {w.shape}"
        )
    c_in, h, wd = x.shape
    c_out = w.shape[0]
    b = np.zeros(c_out) if b is None else np.asarray(b, dtype=float)
    row, col = check_int("row", row, 0), check_int("col", col, 0)
    if row >= h or col >= wd:
        raise ValueError(f"pixel ({row}, {col}) is outside the {h}x{wd} image")
    y = conv2d(x[None], w[:, :, None, None])[0] + b[:, None, None]
    vec = x[:, row, col][:, None]
    out = y[:, row, col][:, None]
    cell = 0.3  # inches per grid cell
    rows_n = max(c_in, c_out)
    fig = plt.figure(figsize=(cell * (2 * wd + c_in + 4) + 1.6, cell * rows_n * (h + 0.8) + 0.7))
    gs = fig.add_gridspec(
        max(c_in, c_out), 5, width_ratios=[wd, 1.3, c_in + 0.6, 1.3, wd], wspace=0.5, hspace=0.35
    )
    lim_x = max(np.abs(x).max(), 1e-12)
    lim_y = max(np.abs(y).max(), 1e-12)
    for i in range(c_in):
        ax = fig.add_subplot(gs[(rows_n - c_in) // 2 + i, 0])
        draw_grid(
            ax,
            x[i],
            fmt="{:.0f}",
            cmap="RdBu_r",
            vmin=-lim_x,
            vmax=lim_x,
            fontsize=6,
            highlight=(row, col, 1, 1),
        )
        ax.set_ylabel(f"in {i}", rotation=0, labelpad=14, fontsize=8)
    first = (rows_n - c_out) // 2  # centre the outputs against the inputs
    for i in range(c_out):
        ax = fig.add_subplot(gs[first + i, 4])
        draw_grid(
            ax,
            y[i],
            fmt="{:.0f}",
            cmap="RdBu_r",
            vmin=-lim_y,
            vmax=lim_y,
            fontsize=6,
            highlight=(row, col, 1, 1),
        )
        ax.set_ylabel(f"out {i}", rotation=0, labelpad=16, fontsize=8)
    ax = fig.add_subplot(gs[:, 1])
    draw_grid(ax, vec, fmt="{:.0f}", cmap="RdBu_r", vmin=-lim_x, vmax=lim_x, fontsize=7)
    ax.set_title(f"x[:, {row}, {col}]", fontsize=8)
    ax = fig.add_subplot(gs[:, 2])
    lim_w = max(np.abs(w).max(), 1e-12)
    draw_grid(ax, w, fmt="{:.0f}", cmap="PuOr_r", vmin=-lim_w, vmax=lim_w, fontsize=7)
    ax.set_title(f"W ({c_out}x{c_in})", fontsize=8)
    ax = fig.add_subplot(gs[:, 3])
    draw_grid(ax, out, fmt="{:.0f}", cmap="RdBu_r", vmin=-lim_y, vmax=lim_y, fontsize=7)
    ax.set_title("W x + b", fontsize=8)
    fig.suptitle(
        f"1x1 convolution = the same fully connected layer ({c_in} -> {c_out}) at every pixel",
        fontsize=9,
    )
    return fig


def plot_bottleneck_costs(
    bottleneck: int = 16, f: int = 5, c_out: int = 32, n: int = 28, c_in: int = 192
):
    """Multiplications of an f x f 'same' conv on n x n x c_in, plain and with a 1x1
    bottleneck of ``bottleneck`` channels first (``cnnlab.classic.bottleneck_costs``).

    Two horizontal bars in millions of multiply-adds: the plain conv, and the 1x1 part
    plus the f x f part stacked; the title gives the ratio and both parameter counts.
    An even f raises ValueError (no 'same' padding). Returns the Figure.
    """
    from .classic import bottleneck_costs

    costs = bottleneck_costs(n, c_in, c_out, f, bottleneck)
    plain, reduce, conv = (np.array(costs[k], dtype=float) for k in ("plain", "reduce", "conv"))
    fig, ax = plt.subplots(figsize=(7.0, 2.5))
    ax.barh(1, plain[0] / 1e6, color="tab:red", height=0.6)
    ax.barh(
        0, reduce[0] / 1e6, color="tab:green", height=0.6, label=f"1x1 conv, {bottleneck} filters"
    )
    ax.barh(
        0,
        conv[0] / 1e6,
        left=reduce[0] / 1e6,
        color="tab:blue",
        height=0.6,
        label=f"{f}x{f} conv, {c_out} filters",
    )
    top = max(plain[0], reduce[0] + conv[0]) / 1e6
    for yv, v in ((1, plain[0]), (0, reduce[0] + conv[0])):
        ax.text(v / 1e6 + top * 0.01, yv, f"{v / 1e6:,.1f}M", va="center", fontsize=8)
    ax.set_xlim(0, top * 1.18)
    ax.set_yticks(
        [0, 1],
        [f"1x1 bottleneck\n{c_in}->{bottleneck}->{c_out}", f"plain {f}x{f}\n{c_in}->{c_out}"],
        fontsize=8,
    )
    ax.set_xlabel(f"multiply-adds for one {n}x{n}x{c_in} input (millions)", fontsize=8)
    ax.tick_params(axis="x", labelsize=7)
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=2, frameon=False)
    ratio = plain[0] / (reduce[0] + conv[0])
    verdict = f"{ratio:.1f}x fewer" if ratio >= 1 else f"{1 / ratio:.2f}x MORE"
    ax.set_title(
        f"bottleneck: {verdict} multiplications; parameters {plain[1]:,.0f} plain "
        f"vs {reduce[1] + conv[1]:,.0f}",
        fontsize=9,
    )
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.subplots_adjust(left=0.17, right=0.97, bottom=0.33, top=0.89)  # no tight_layout: fast
    return fig


def plot_inception_module(module=None, input_shape=(28, 28, 192), bottleneck: bool = True):
    """The Inception module as a diagram drawn from ``cnnlab.classic.inception_table``:
    the input, the four branches (each box: the layer and its output shape), the
    concatenation, and each branch's multiply-adds. Returns the Figure.
    """
    from .classic import INCEPTION_3A, inception_table

    module = module or INCEPTION_3A
    rows = {r.name: r for r in inception_table(module, input_shape, bottleneck)}
    h, w, c = input_shape

    def shape(r):
        return "x".join(map(str, r.shape))

    branches = [
        ["branch1.conv"],
        ["branch3.reduce", "branch3.conv"],
        ["branch5.reduce", "branch5.conv"],
        ["branch_pool.pool", "branch_pool.proj"],
    ]
    branches = [[n for n in b if n in rows] for b in branches]
    fig, ax = plt.subplots(figsize=(8.4, 3.3))
    ax.set_xlim(0, 8.4)
    ax.set_ylim(0.15, 4.15)
    ax.axis("off")
    box = {"boxstyle": "round,pad=0.3", "lw": 0.8}
    colours = {1: "#cfe8cf", 3: "#cfe0f5", 5: "#f5dcc0"}

    def label(r):
        if r.kind == "pool":
            return f"max pool 3x3, s=1\n{shape(r)}"
        return f"{r.f}x{r.f} conv, {r.shape[2]}\n{shape(r)}"

    ax.text(
        4.2,
        3.9,
        f"input {h}x{w}x{c}",
        ha="center",
        va="center",
        fontsize=8,
        bbox={**box, "fc": "0.92"},
    )
    xs = [1.05, 3.15, 5.25, 7.35]
    ys = {1: [2.55], 2: [3.0, 2.1]}
    for x, names in zip(xs, branches):
        levels = ys[1] if len(names) == 1 else ys[2]
        ax.annotate(
            "",
            (x, levels[0] + 0.28),
            (4.2, 3.72),
            arrowprops={"arrowstyle": "->", "lw": 0.7, "color": "0.4"},
        )
        for y, name in zip(levels, names):
            r = rows[name]
            colour = "0.85" if r.kind == "pool" else colours[r.f]
            ax.text(
                x, y, label(r), ha="center", va="center", fontsize=7.5, bbox={**box, "fc": colour}
            )
        if len(names) == 2:
            ax.annotate(
                "",
                (x, levels[1] + 0.26),
                (x, levels[0] - 0.26),
                arrowprops={"arrowstyle": "->", "lw": 0.7, "color": "0.4"},
            )
        macs = sum(rows[n].macs for n in names)
        ax.text(
            x,
            1.55,
            f"{macs / 1e6:,.1f}M mult-adds",
            ha="center",
            va="center",
            fontsize=7,
            color="0.3",
        )
        ax.annotate(
            "", (4.2, 0.62), (x, 1.4), arrowprops={"arrowstyle": "->", "lw": 0.7, "color": "0.4"}
        )
    out = rows["concat"]
    total = sum(r.macs for r in rows.values())
    ax.text(
        4.2,
        0.4,
        f"concatenate channels: {shape(out)}   (total {total / 1e6:,.1f}M mult-adds)",
        ha="center",
        va="center",
        fontsize=8,
        bbox={**box, "fc": "0.92"},
    )
    kind = "with 1x1 bottlenecks" if bottleneck else "naive: no 1x1 bottlenecks"
    ax.set_title(f"Inception module ({kind})", fontsize=9)
    return fig


def plot_top_patches(patches: dict, scale: float = 0.09):
    """For each layer, the input patches that excite its units most.

    patches: {layer label: (U, k, C, s, s) array from ``cnnlab.activations.top_patches``}
    (C = 1 grey or 3 colour). One panel per layer, one row per unit, its k best patches
    side by side; the panels show patches of different sizes at the same height, so the
    smaller (earlier) receptive fields look magnified. Returns the Figure.
    """
    if not patches:
        raise ValueError("plot_top_patches needs at least one layer")
    canvases, titles = [], []
    for name, p in patches.items():
        p = np.asarray(p, dtype=float)
        if p.ndim != 5 or p.shape[2] not in (1, 3):
            raise ValueError(f"{name}: patches must be (U, k, 1 or 3, s, s), got {p.shape}")
        u, k, c, s, _ = p.shape
        gap = max(1, s // 6)
        canvas = np.full((u * (s + gap) - gap, k * (s + gap) - gap, c), np.nan)
        for i in range(u):
            for j in range(k):
                patch = np.moveaxis(p[i, j], 0, -1)
                lo, hi = patch.min(), patch.max()  # each patch on its own contrast
                patch = (patch - lo) / (hi - lo) if hi > lo else patch * 0
                canvas[i * (s + gap) : i * (s + gap) + s, j * (s + gap) : j * (s + gap) + s] = patch
        canvases.append(canvas)
        titles.append(f"{name}: {u} units x top {k}\n{s}x{s} pixel windows")
    widths = [cv.shape[1] / cv.shape[0] for cv in canvases]
    height = 3.0
    fig, axes = plt.subplots(
        1,
        len(canvases),
        figsize=(height * sum(widths) + 0.4 * len(canvases), height + 0.6),
        gridspec_kw={"width_ratios": widths},
        squeeze=False,
    )
    for ax, cv, title in zip(axes[0], canvases, titles):
        rgb = cv if cv.shape[2] == 3 else np.repeat(cv, 3, axis=2)
        rgb = np.where(np.isnan(rgb), 1.0, rgb)  # gaps white
        ax.imshow(rgb, interpolation="nearest")
        ax.set_title(title, fontsize=8)
        ax.axis("off")
    fig.subplots_adjust(
        left=0.01, right=0.99, bottom=0.01, top=1 - 0.5 / (height + 0.6), wspace=0.08
    )
    return fig


def plot_maps_by_depth(maps: dict, channels: int = 8, size: float = 0.8):
    """Feature maps of one image at several depths, every map drawn at the same size.

    maps: {stage label: (C, H, W) array}; the first ``channels`` channels of each stage
    are shown in one row, each map blown up (nearest neighbour) to the largest map's
    size, so a 4x4 map shows as 4x4 big blocks. Each map has its own grey scale: black 0
    (or its most negative value) to white its largest value; an all-zero map (a unit
    that did not fire) stays black. Returns the Figure.
    """
    if not maps:
        raise ValueError("plot_maps_by_depth needs at least one stage")
    arrays = {k: np.asarray(v, dtype=float) for k, v in maps.items()}
    for k, v in arrays.items():
        if v.ndim != 3:
            raise ValueError(f"stage {k!r} must be (C, H, W), got shape {v.shape}")
    side = max(max(v.shape[1], v.shape[2]) for v in arrays.values())
    cols = min(channels, max(v.shape[0] for v in arrays.values()))
    gap = max(1, side // 10)
    fig, axes = plt.subplots(
        len(arrays), 1, figsize=(size * cols + 1.3, size * len(arrays) + 0.2), squeeze=False
    )
    for ax, (name, m) in zip(axes[:, 0], arrays.items()):
        strip = np.full((side, cols * (side + gap) - gap), np.nan)
        for i in range(min(cols, m.shape[0])):
            lo, hi = min(m[i].min(), 0.0), m[i].max()
            scaled = (m[i] - lo) / (hi - lo) if hi > lo else np.zeros_like(m[i])
            rep = (side // m.shape[1], side // m.shape[2])
            big = np.kron(scaled, np.ones(rep))
            strip[: big.shape[0], i * (side + gap) : i * (side + gap) + big.shape[1]] = big
        cmap = plt.get_cmap("gray").with_extremes(bad="white")
        ax.imshow(strip, cmap=cmap, vmin=0, vmax=1, interpolation="nearest")
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
        shape = f"{m.shape[1]}x{m.shape[2]}x{m.shape[0]}"
        ax.set_ylabel(f"{name}\n{shape}", rotation=0, ha="right", va="center", fontsize=8)
    fig.subplots_adjust(left=1.2 / (size * cols + 1.3), right=0.99, top=0.98, bottom=0.02)
    return fig


# --- lesson 12: 1D and 3D convolution ---


def _time_axis(n: int, dt: float, start: int = 0):
    return (start + np.arange(n)) * dt


def plot_signals(
    signals,
    labels=None,
    *,
    dt: float = 1.0,
    unit: str = "sample",
    spans=None,
    title=None,
    height: float = 0.9,
    width: float = 8.0,
):
    """Stacked traces on a shared time axis, one axes per signal.

    signals: (C, L) array or a list of 1D arrays of equal length; labels: one per signal;
    dt: time per sample, so the x axis reads in ``unit``; spans: (start, stop) sample
    ranges to shade on every trace (e.g. a split into blocks, or where an event is).
    Returns the Figure.
    """
    rows = [np.asarray(s, dtype=float) for s in signals]
    if not rows or any(r.ndim != 1 or r.size != rows[0].size for r in rows):
        raise ValueError(
            f"signals must be 1D arrays of one length, got shapes {[r.shape for r in rows]}"
        )
    if labels is not None and len(labels) != len(rows):
        raise ValueError(f"got {len(labels)} labels for {len(rows)} signals")
    fig = _figure((width, height * len(rows) + 0.6))
    axes = fig.subplots(len(rows), 1, sharex=True, squeeze=False)[:, 0]
    t = _time_axis(rows[0].size, dt)
    for i, (ax, r) in enumerate(zip(axes, rows)):
        ax.plot(t, r, lw=0.7, color="tab:blue")
        for lo, hi in spans or ():
            ax.axvspan(lo * dt, hi * dt, color="tab:orange", alpha=0.15, lw=0)
        if labels is not None:
            ax.set_ylabel(labels[i], rotation=0, ha="right", va="center", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.margins(x=0)
    axes[-1].set_xlabel(unit, fontsize=8)
    if title:
        axes[0].set_title(title, fontsize=9)
    fig.subplots_adjust(
        left=0.1,
        right=0.99,
        top=1 - 0.35 / fig.get_figheight(),
        bottom=0.45 / fig.get_figheight(),
        hspace=0.15,
    )
    return fig


def draw_signal_filter(
    x,
    w,
    *,
    pad: str = "edge",
    dt: float = 1.0,
    unit: str = "sample",
    ylabel: str = "",
    out_label: str = "output",
    window=None,
    title=None,
):
    """A 1D signal, a kernel, and the filtered signal ``signals.filter_signal(x, w, pad)``.

    x: (L,) signal; w: (K,) kernel (its numbers are written when K <= 7); window:
    optional (start, stop) range of samples to show (the whole signal is filtered, so the
    borders behave as they do for the full signal). With ``pad="valid"`` the output is
    K - 1 samples shorter and is drawn under the input samples it is centred on.
    Returns the Figure.
    """
    from .signals import filter_signal

    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    y = filter_signal(x, w, pad=pad)  # validates x, w and pad
    offset = (w.size - 1) // 2 if pad == "valid" else 0
    lo, hi = (0, x.size) if window is None else window
    if not 0 <= lo < hi <= x.size:
        raise ValueError(
            f"window must be (start, stop) with 0 <= start < stop <= {x.size}, got {window!r}"
        )
    fig = _figure((8.0, 3.0))
    grid = fig.add_gridspec(2, 2, width_ratios=(1, 4.2), wspace=0.25, hspace=0.12)
    axk = fig.add_subplot(grid[:, 0])
    axx = fig.add_subplot(grid[0, 1])
    axy = fig.add_subplot(grid[1, 1], sharex=axx)
    k = np.arange(w.size) - (w.size - 1) // 2
    axk.axhline(0, color="0.6", lw=0.6)
    axk.vlines(k, 0, w, color="tab:orange", lw=2)
    axk.plot(k, w, "o", color="tab:orange", ms=3)
    if w.size <= 7:
        for kk, v in zip(k, w):
            axk.annotate(
                f"{v:.2g}",
                (kk, v),
                xytext=(0, 5 if v >= 0 else -10),
                textcoords="offset points",
                ha="center",
                fontsize=6,
            )
    axk.set_title(f"kernel w, K = {w.size}", fontsize=8)
    axk.set_xlabel("k (offset from centre)", fontsize=7)
    axk.margins(x=0.25, y=0.25)
    axk.tick_params(labelsize=7)
    t = _time_axis(x.size, dt)
    axx.plot(t[lo:hi], x[lo:hi], lw=0.8, color="tab:blue")
    axx.set_ylabel(ylabel or "input x", fontsize=8)
    ty = _time_axis(y.size, dt, start=offset)
    keep = (ty >= lo * dt) & (ty < hi * dt)
    axy.plot(ty[keep], y[keep], lw=0.8, color="tab:green")
    axy.set_ylabel(out_label, fontsize=8)
    axy.set_xlabel(unit, fontsize=8)
    axx.tick_params(labelbottom=False, labelsize=7)
    axy.tick_params(labelsize=7)
    axx.set_xlim(lo * dt, (hi - 1) * dt)
    lengths = f"L = {x.size} → {y.size} samples, padding: {pad}"
    axx.set_title(f"{title}  ({lengths})" if title else lengths, fontsize=8)
    fig.subplots_adjust(left=0.08, right=0.99, top=0.9, bottom=0.16)
    return fig


def plot_burst_examples(x, y, start, *, width: int = 32, proba=None, cols: int = 4, rows: int = 2):
    """The first ``rows * cols`` windows of a burst-detection set, the burst shaded.

    x: (N, 1, L); y: (N,) labels; start: (N,) burst starts (-1 for none), as returned by
    ``signals.burst_dataset``; proba: optional (N,) predicted probability of a burst,
    written in each title. Returns the Figure.
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 3 or x.shape[1] != 1:
        raise ValueError(f"x must be (N, 1, L) windows, got shape {x.shape}")
    n = min(rows * cols, len(x))
    fig = _figure((2.0 * cols, 1.3 * rows + 0.2))
    axes = fig.subplots(rows, cols, sharey=True, squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.set_xticks([])
        ax.tick_params(labelsize=6)
        if i >= n:
            ax.axis("off")
            continue
        ax.plot(x[i, 0], lw=0.8, color="tab:blue")
        if start[i] >= 0:
            ax.axvspan(start[i], start[i] + width - 1, color="tab:orange", alpha=0.25, lw=0)
        label = "burst" if y[i] else "no burst"
        if proba is not None:
            label += f", p(burst) = {proba[i]:.2f}"
        ax.set_title(label, fontsize=7)
        ax.margins(x=0)
    fig.subplots_adjust(left=0.05, right=0.99, top=0.9, bottom=0.04, hspace=0.35, wspace=0.08)
    return fig


def plot_kernels_1d(w, band=None, title=None):
    """Learned 1D kernels and what they let through.

    w: (C_out, 1, K) weights of a first Conv1d layer. Top: each kernel. Bottom: each
    kernel's amplitude response ``|DFT|`` against the period it responds to (in samples),
    so a kernel tuned to a rhythm peaks at that rhythm's period. band: optional
    (shortest, longest) period to shade. Returns the Figure.
    """
    w = np.asarray(w, dtype=float)
    if w.ndim != 3 or w.shape[1] != 1:
        raise ValueError(f"w must be (C_out, 1, K), got shape {w.shape}")
    c = w.shape[0]
    fig = _figure((max(6.0, 0.95 * c), 3.4))
    grid = fig.add_gridspec(2, c, height_ratios=(1, 1.5), hspace=0.55, wspace=0.1)
    for i in range(c):
        ax = fig.add_subplot(grid[0, i])
        ax.axhline(0, color="0.7", lw=0.5)
        ax.plot(w[i, 0], "o-", ms=2, lw=1, color=f"C{i % 10}")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(f"kernel {i}", fontsize=7)
    ax = fig.add_subplot(grid[1, :])
    n_fft = 256
    freq = np.fft.rfftfreq(n_fft)[1:]
    resp = np.abs(np.fft.rfft(w[:, 0], n=n_fft, axis=1))[:, 1:]
    period = 1 / freq
    for i in range(c):
        ax.plot(period, resp[i], lw=1, color=f"C{i % 10}")
    if band is not None:
        ax.axvspan(*band, color="tab:orange", alpha=0.2, lw=0, label="the bursts' periods")
        ax.legend(fontsize=7, loc="upper right")
    ax.set_xscale("log")
    ax.set_xlim(2, 64)
    ticks = [2, 3, 4, 5, 6, 8, 12, 16, 32, 64]
    ax.set_xticks(ticks, [str(t) for t in ticks])
    ax.minorticks_off()
    ax.set_xlabel("period (samples per cycle)", fontsize=8)
    ax.set_ylabel("|response|", fontsize=8)
    ax.tick_params(labelsize=7)
    if title:
        fig.suptitle(title, fontsize=9)
    fig.subplots_adjust(left=0.07, right=0.99, top=0.86 if title else 0.92, bottom=0.14)
    return fig


def _volume_view(ax, volume, axis, index, center, vmin, vmax, cmap="gray"):
    from .volumes import VIEWS, slice_of

    ax.imshow(
        slice_of(volume, axis, index), cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest"
    )
    if center is not None:
        # where the other two views cut this one
        others = [a for a in range(3) if a != axis]
        ax.axhline(center[others[0]], color="tab:orange", lw=0.6, ls=":")
        ax.axvline(center[others[1]], color="tab:orange", lw=0.6, ls=":")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(f"{VIEWS[axis]}, {'zyx'[axis]} = {index}", fontsize=8)


def plot_volume_views(volumes: dict, center, *, ranges=None, size: float = 2.2):
    """Three orthogonal slices through ``center`` of each volume: axial, coronal, sagittal.

    volumes: {row label: (D, H, W) array}, all the same shape; center: voxel (z, y, x)
    the slices pass through (dotted lines show where the other two views cut);
    ranges: {row label: (vmin, vmax)} grey scales, default each volume's own range.
    Returns the Figure.
    """
    arrays = {k: np.asarray(v, dtype=float) for k, v in volumes.items()}
    if not arrays or any(v.ndim != 3 for v in arrays.values()):
        raise ValueError("volumes must be a non-empty dict of (D, H, W) arrays")
    shape = next(iter(arrays.values())).shape
    if any(v.shape != shape for v in arrays.values()):
        raise ValueError(f"volumes must share one shape, got {[v.shape for v in arrays.values()]}")
    center = tuple(int(c) for c in center)
    if len(center) != 3 or not all(0 <= c < n for c, n in zip(center, shape)):
        raise ValueError(f"center must be a voxel (z, y, x) inside {shape}, got {center}")
    fig = _figure((3 * size + 1.1, size * len(arrays) + 0.1))
    axes = fig.subplots(len(arrays), 3, squeeze=False)
    for row, (name, v) in zip(axes, arrays.items()):
        lo, hi = (ranges or {}).get(name, (v.min(), v.max()))
        for axis in range(3):
            _volume_view(row[axis], v, axis, center[axis], center, lo, hi)
        row[0].set_ylabel(name, fontsize=8)
    fig.subplots_adjust(
        left=1.0 / fig.get_figwidth(), right=0.99, top=0.93, bottom=0.01, wspace=0.05, hspace=0.2
    )
    return fig


def draw_volume_slice(
    volume,
    edges,
    view: str = "axial",
    index: int = 0,
    *,
    vmin: float = -1000.0,
    vmax: float = 800.0,
    edge_max=None,
    edge_label: str = "edge strength",
):
    """One slice of a volume and the same slice of its edge map, side by side.

    volume, edges: (D, H, W) arrays; view: "axial", "coronal" or "sagittal" (fix z, y or
    x); index: which slice (0 .. size - 1, else ValueError naming the range).
    edge_max: top of the edge map's grey scale (default its largest value, so two edge
    maps drawn with one edge_max compare). Returns the Figure.
    """
    from .volumes import VIEWS

    if view not in VIEWS:
        raise ValueError(f"view must be one of {VIEWS}, got {view!r}")
    volume, edges = np.asarray(volume, dtype=float), np.asarray(edges, dtype=float)
    if volume.shape != edges.shape:
        raise ValueError(f"volume {volume.shape} and edges {edges.shape} must have one shape")
    axis = VIEWS.index(view)
    fig = _figure((6.0, 3.2))
    ax0, ax1 = fig.subplots(1, 2)
    _volume_view(ax0, volume, axis, index, None, vmin, vmax)
    top = float(edges.max()) if edge_max is None else edge_max
    _volume_view(ax1, edges, axis, index, None, 0.0, top or 1.0, cmap="magma")
    ax0.set_title(f"CT, {ax0.get_title()} (HU {vmin:g} to {vmax:g})", fontsize=8)
    ax1.set_title(f"{edge_label}, {ax1.get_title()}", fontsize=8)
    fig.subplots_adjust(left=0.01, right=0.99, top=0.9, bottom=0.02, wspace=0.04)
    return fig


# --- lesson 08: ResNet, gradient norms and training curves ---


def plot_gradient_norms(norms: dict, ax=None):
    """Per-layer gradient norms (log scale), one line per network.

    norms: {label: (L,) array}, input layer first (cnnlab.resnet.gradient_norms).
    Returns the Figure.
    """
    import matplotlib.pyplot as plt

    if not norms:
        raise ValueError("norms must hold at least one {label: array} entry")
    fig, ax = (plt.subplots(figsize=(6.4, 3.4)) if ax is None else (ax.figure, ax))
    for label, g in norms.items():
        g = np.asarray(g, dtype=float)
        if g.ndim != 1 or (g <= 0).any():
            raise ValueError(f"{label}: need a 1-D array of positive norms, got {g!r}")
        ax.semilogy(np.arange(1, len(g) + 1), g, marker="o", ms=3, label=label)
    ax.set_xlabel("layer (1 = next to the input)")
    ax.set_ylabel("gradient norm at initialisation")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_training_curves(histories: dict):
    """Training loss and training accuracy per epoch, one line per network.

    histories: {label: history dict from cnnlab.nets.fit}. Returns the Figure.
    """
    import matplotlib.pyplot as plt

    if not histories:
        raise ValueError("histories must hold at least one {label: history} entry")
    fig, (ax_l, ax_a) = plt.subplots(1, 2, figsize=(8.4, 3.2))
    for label, h in histories.items():
        epochs = np.arange(1, len(h["train_loss"]) + 1)
        ax_l.plot(epochs, h["train_loss"], marker="o", ms=3, label=label)
        ax_a.plot(epochs, h["train_acc"], marker="o", ms=3, label=label)
    ax_l.set(xlabel="epoch", ylabel="training loss", title="training loss")
    ax_a.set(xlabel="epoch", ylabel="training accuracy", title="training accuracy", ylim=(0, 1.02))
    for ax in (ax_l, ax_a):
        ax.grid(True, alpha=0.3)
    ax_a.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_identity_fit(errors: dict):
    """Mean squared error of fitting the identity, per training step (linear scale, so
    an error of exactly 0 sits on the axis).

    errors: {label: (steps + 1,) array} from cnnlab.resnet.fit_identity. Returns the Figure.
    """
    import matplotlib.pyplot as plt

    if not errors:
        raise ValueError("errors must hold at least one {label: array} entry")
    fig, ax = plt.subplots(figsize=(5.6, 3.0))
    for label, e in errors.items():
        e = np.asarray(e, dtype=float)
        if e.ndim != 1 or (e < 0).any():
            raise ValueError(f"{label}: need a 1-D array of errors >= 0, got {e!r}")
        ax.plot(e, lw=2, label=label)
    ax.set(xlabel="training step", ylabel="mean squared error", title="learning the identity")
    ax.set_ylim(bottom=-0.01)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


# --- lesson 11: neural style transfer ---
def plot_layer_maps(feats: dict, channels: int = 4, size: float = 1.4, title: str | None = None):
    """Grid of feature maps: one row per layer ({name: (1, C, H, W) tensor or array}),
    the ``channels`` most active channels of that layer (largest mean), each in its own
    colour scale. Returns the Figure."""
    import matplotlib.pyplot as plt

    if not feats:
        raise ValueError("feats is empty: give {layer name: activations}")
    if channels < 1:
        raise ValueError(f"channels must be at least 1, got {channels}")
    shapes = [np.shape(a)[-2:] for a in feats.values()]
    aspect = max(h / w for h, w in shapes)  # rows as tall as the maps, not square
    fig, axes = plt.subplots(
        len(feats), channels, figsize=(size * channels, size * aspect * len(feats) + 0.4), squeeze=False
    )
    for row, (name, a) in zip(axes, feats.items(), strict=True):
        a = np.asarray(a.detach().cpu() if hasattr(a, "detach") else a)[0]
        top = np.argsort(a.mean(axis=(1, 2)))[::-1][:channels]
        for ax, k in zip(row, top, strict=False):
            ax.imshow(a[k], cmap="viridis")
            ax.set_xticks([])
            ax.set_yticks([])
        for ax in row[len(top):]:
            ax.axis("off")
        row[0].set_ylabel(f"{name}\n{a.shape[1]}×{a.shape[2]}", fontsize=8)
    if title:
        fig.suptitle(title, fontsize=9)
    return fig


def plot_gram(gram, title: str = "Gram matrix", ax=None):
    """Heat map of a Gram matrix (n_C, n_C): entry (k, k') = how much channels k and k' fire
    together. Returns the Figure."""
    import matplotlib.pyplot as plt

    g = np.asarray(gram)
    if g.ndim != 2 or g.shape[0] != g.shape[1]:
        raise ValueError(f"a Gram matrix is square (n_C, n_C), got shape {g.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=(2.6, 2.4))
    im = ax.imshow(g, cmap="magma")
    ax.set_title(title, fontsize=9)
    ax.set_xlabel("channel k'", fontsize=8)
    ax.set_ylabel("channel k", fontsize=8)
    ax.figure.colorbar(im, ax=ax, fraction=0.046)
    return ax.figure


# --- lesson 09: transfer learning and data augmentation ---


def plot_transfer_curves(results: dict, title=None, width: float = 6.0):
    """Test accuracy against training examples per class, one line per strategy.

    results: {strategy: {size: accuracy}}, as returned by cnnlab.transfer.transfer_experiment.
    """
    if not results:
        raise ValueError("plot_transfer_curves needs at least one strategy")
    fig, ax = plt.subplots(figsize=(width, 0.62 * width))
    for name, by_size in results.items():
        sizes = sorted(by_size)
        ax.plot(sizes, [by_size[n] for n in sizes], marker="o", label=name,
                ls="--" if name == "scratch" else "-")
    ax.set_xscale("log")
    ax.set_xticks(sizes)
    ax.set_xticklabels([str(n) for n in sizes])
    ax.set_xlabel("training examples per class (log scale)")
    ax.set_ylabel("test accuracy")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_title(title or "Transfer 0-4 -> 5-9: accuracy by training-set size", fontsize=10)
    fig.tight_layout()
    return fig


# --- pre-computed frames: explorers that work without a kernel (the published book) ---


def scrubber(draw, frames, labels=None, interval_ms: int = 700, dpi: int = 72):
    """Pre-render ``draw(**frame)`` for every frame into one self-contained HTML scrubber.

    A slider widget needs a running kernel; a static page (the book, nbviewer, GitHub) has
    none. This draws each setting once, now, and returns an ``IPython.display.HTML`` with the
    PNG frames inlined, a range slider, a play button and the frame's label. Frames that raise
    ValueError show their message instead of a picture, as the live widget does.

    draw: pure function returning a Figure; frames: list of keyword dicts; labels: one
    string per frame (default: the keyword values).
    """
    import base64
    import html as html_mod
    import io
    import json
    import uuid

    from IPython.display import HTML

    frames = list(frames)
    if not frames:
        raise ValueError("scrubber needs at least one frame (a dict of draw's arguments)")
    if labels is None:
        labels = [", ".join(f"{k}={v}" for k, v in f.items()) for f in frames]
    if len(labels) != len(frames):
        raise ValueError(f"got {len(labels)} labels for {len(frames)} frames")
    images, texts = [], []
    for frame, label in zip(frames, labels):
        try:
            fig = draw(**frame)
        except ValueError as err:
            images.append("")
            texts.append(f"{label}: not possible: {err}")
            continue
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi)
        plt.close(fig)
        images.append("data:image/png;base64," + base64.b64encode(buf.getvalue()).decode())
        texts.append(label)
    uid = "cnnlab-scrub-" + uuid.uuid4().hex[:8]
    first = html_mod.escape(texts[0])
    page = f"""
<div class="cnnlab-scrubber" id="{uid}">
  <div><button type="button">▶ play</button>
  <input type="range" min="0" max="{len(frames) - 1}" value="0" step="1" style="width:60%">
  <span class="cnnlab-scrubber-label">{first}</span></div>
  <img src="{images[0]}" alt="{first}" style="max-width:100%">
</div>
<script>
(function() {{
  var root = document.getElementById("{uid}");
  var imgs = {json.dumps(images)}, texts = {json.dumps(texts)};
  var range = root.querySelector("input"), img = root.querySelector("img"),
      label = root.querySelector(".cnnlab-scrubber-label"), button = root.querySelector("button"),
      timer = null;
  function show(i) {{
    range.value = i; label.textContent = texts[i];
    img.src = imgs[i]; img.alt = texts[i]; img.style.display = imgs[i] ? "" : "none";
  }}
  range.addEventListener("input", function() {{ show(+range.value); }});
  button.addEventListener("click", function() {{
    if (timer) {{ clearInterval(timer); timer = null; button.textContent = "▶ play"; return; }}
    button.textContent = "⏸ pause";
    timer = setInterval(function() {{ show((+range.value + 1) % imgs.length); }}, {interval_ms});
  }});
}})();
</script>"""
    return HTML(page)
