"""Drawing functions: pure functions that return matplotlib Figures, drawn from cnnlab's
own computations (never by hand), so pictures and numbers cannot drift apart.
"""

from __future__ import annotations

import matplotlib
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
            label = fmt.format(v + 0.0)  # + 0.0 turns -0.0 into 0.0: no "-0" cells
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
    ax.legend(fontsize=8, loc="upper right")
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
    cmap = plt.get_cmap("gray").copy()
    cmap.set_bad("white")
    ax.imshow(canvas, cmap=cmap, vmin=np.nanmin(patches), vmax=np.nanmax(patches))
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=9)
    fig.tight_layout()
    return fig
