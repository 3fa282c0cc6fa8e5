"""Pictures of lesson 05: one pooling window at a time, strided convolution as subsampling,
both sides of the equivariance equation, and robustness to small shifts.

Every picture is computed by the topic's maths (``grids``, ``equivariance``, ``robustness``)
and ``cnnlab.conv``; ``plot_*`` functions return a new Figure (``drawing.figure``, outside
pyplot), ``draw_*`` functions draw into the axes they are given.
"""

from __future__ import annotations

import matplotlib.patches
import numpy as np

from ..conv import conv2d
from ..drawing import contrast_text, draw_grid, figure
from ..i18n import Messages, tr
from ..validate import as_tuple, check_int
from .equivariance import equivariance_sides
from .grids import covered, pool_grid, pooling_window

#: What each pooling type pads with, as the picture writes it.
PAD_TEXT = {"max": "-∞", "min": "+∞", "avg": "0"}
#: Each pooling mode's name in the picture's title, in cnnlab's language.
POOLING_NAMES = Messages(
    lambda: {"max": tr("max pooling"), "min": tr("min pooling"), "avg": tr("avg pooling")}
)
#: The digits of the pooling picture share one colour scale, 0 to 9.
DIGITS = (0, 9)


def plot_pooling(kernel=2, stride=2, padding=0, mode="max", position=0, size=6, x=None, seed=0):
    """Input grid with one pooling window outlined, and the output grid with its cell.

    x: (H, W) grid, or None for a ``size`` x ``size`` grid of digits 0-9 drawn with ``seed``.
    position: which output cell to explain, counted row by row (clamped to the last one).
    Padded cells are drawn empty and labelled with what the pooling pads with; input cells
    that no window reaches (the stride does not divide evenly) are hatched. Impossible
    settings raise the ValueError of cnnlab.pool. Returns the Figure.
    """
    if x is None:
        size = check_int("size", size, 1)
        x = np.random.default_rng(seed).integers(0, 10, (size, size)).astype(float)
    x = np.asarray(x, dtype=float)
    if x.ndim != 2:
        raise ValueError(tr("x must be a 2D grid (H, W), got shape {shape}").format(shape=x.shape))
    out = pool_grid(x, kernel, stride, padding, mode)  # validates every setting
    k, s, p = int(kernel), int(stride), int(padding)
    (h, w), (ho, wo) = x.shape, out.shape
    pos = min(check_int("position", position, 0), ho * wo - 1)
    i, j = divmod(pos, wo)

    fig = figure((7.2, 3.6))
    ax = fig.subplots()
    draw_pooling_input(ax, x, k, s, p, i, j)
    ox, oy = w + p + 1.5, -p + (h + 2 * p - ho) / 2
    draw_pooled_output(ax, out, (ox, oy), i, j)
    ax.set_xlim(-p - 0.6, ox + wo - 0.4)
    ax.set_ylim(max(h + p, oy + ho) - 0.4, min(-p, oy) - 1.6)
    ax.set_aspect("equal")
    ax.axis("off")
    unused = covered(h, k, s, p) < h or covered(w, k, s, p) < w
    pad = tr(", padding {p} (blue, holds {value})").format(p=p, value=PAD_TEXT[mode]) if p else ""
    ax.text(
        -p - 0.5,
        -p - 0.8,
        tr("input {h}×{w}").format(h=h, w=w)
        + pad
        + (tr(" (hatched: no window reaches)") if unused else ""),
        fontsize=9,
    )
    ax.text(ox - 0.5, oy - 0.8, tr("output {h}×{w}").format(h=ho, w=wo), fontsize=9)
    window = pooling_window(x, k, s, p, i, j)
    fig.suptitle(pooling_title(x.shape, out, window, k, s, mode, i, j), fontsize=10)
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.9)
    return fig


def pooling_title(shape, out, window, kernel, stride, mode, i, j) -> str:
    """The pooling picture's title: the setting, the sizes, and out[i, j] worked out.

    shape: (H, W) of the input; out: (H_out, W_out) pooled grid; window: the (k, k) values
    of output cell (i, j), NaN on padding (``grids.pooling_window``).
    """
    (h, w), (ho, wo) = shape, out.shape
    name = {"max": "max", "min": "min", "avg": "mean"}[mode]
    if window.size <= 9:
        vals = ", ".join(PAD_TEXT[mode] if np.isnan(v) else f"{v:g}" for v in window.ravel())
        expr = f"{name}({vals})"
    else:
        expr = tr("{name} of the {n} values").format(name=name, n=window.size)
    setting = tr("{pooling} {k}×{k}, stride {s}: {h}×{w} → {ho}×{wo}").format(
        pooling=POOLING_NAMES[mode], k=kernel, s=stride, h=h, w=w, ho=ho, wo=wo
    )
    return setting + f"    out[{i}, {j}] = {expr} = {out[i, j]:.3g}"


def draw_pooling_input(ax, x, kernel: int, stride: int, padding: int, i: int, j: int):
    """The (H, W) input grid padded by ``padding``, with the window of output cell (i, j)
    outlined, padded cells tinted blue and cells no window reaches hatched. Returns ax."""
    k, s, p = kernel, stride, padding
    h, w = x.shape
    xp = np.pad(x, p, constant_values=np.nan)
    n_text = len(ax.texts)
    draw_grid(
        ax,
        xp,
        fmt="{:g}" if xp.size <= 169 else None,  # numbers stay readable up to 13x13 cells
        vmin=DIGITS[0],
        vmax=DIGITS[1],
        origin=(-p, -p),
        highlight=(i * s, j * s, k, k),
        fontsize=8 if xp.size <= 100 else 7,
    )
    contrast_text(ax.texts[n_text:], xp, *DIGITS, origin=(-p, -p))
    if p:  # one tinted image for all padded cells: a text per cell would be slow
        ax.imshow(
            np.where(np.isnan(xp), 1.0, np.nan),
            cmap="Blues",
            vmin=0,
            vmax=5,
            extent=(-p - 0.5, w + p - 0.5, h + p - 0.5, -p - 0.5),
        )
    used_h, used_w = covered(h, k, s, p), covered(w, k, s, p)  # first row/col no window reaches
    for r0, r1, c0, c1 in ((used_h, h, 0, w), (0, used_h, used_w, w)):
        if r1 > r0 and c1 > c0:
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
    return ax


def draw_pooled_output(ax, out, origin, i: int, j: int):
    """The (H_out, W_out) pooled grid at ``origin`` (x, y), on the digits' 0-9 scale, with
    cell (i, j) outlined. Returns ax."""
    n_text = len(ax.texts)
    draw_grid(
        ax,
        out,
        fmt="{:.3g}" if out.size <= 100 else None,
        vmin=DIGITS[0],
        vmax=DIGITS[1],
        origin=origin,
        highlight=(i, j, 1, 1),
        fontsize=8,
    )
    contrast_text(ax.texts[n_text:], out, *DIGITS, origin=origin)
    return ax


def plot_subsampling(x, w, stride=2):
    """Strided convolution as subsampling: input, stride-1 output, stride-``stride`` output.

    x: (H, W) input; w: (KH, KW) kernel (computed with cnnlab.conv2d, no padding). The
    stride-1 output's cells that the strided convolution keeps are outlined: a stride-s
    convolution computes exactly every s-th output of the stride-1 one. Returns the Figure.
    """
    s = check_int("stride", stride, 1)
    x, w = np.asarray(x, dtype=float), np.asarray(w, dtype=float)
    if x.ndim != 2 or w.ndim != 2:
        raise ValueError(
            tr("x and w must be 2D, got shapes {x} and {w}").format(x=x.shape, w=w.shape)
        )
    full = conv2d(x[None, None], w[None, None])[0, 0]
    strided = conv2d(x[None, None], w[None, None], stride=s)[0, 0]
    (h, wd), (kh, kw) = x.shape, w.shape
    fig = figure((8.4, 3.0))
    axes = fig.subplots(
        1,
        3,
        gridspec_kw={"width_ratios": [x.shape[1], full.shape[1], full.shape[1]]},
    )
    lo, hi = full.min(), full.max()  # both outputs on one scale: same number, same grey
    draw_strided_windows(axes[0], x, w.shape, s)
    draw_kept_outputs(axes[1], full, s, lo, hi)
    origin = ((full.shape[1] - strided.shape[1]) / 2, (full.shape[0] - strided.shape[0]) / 2)
    draw_grid(axes[2], strided, origin=origin, vmin=lo, vmax=hi)
    contrast_text(axes[2].texts, strided, lo, hi, origin=origin)
    axes[2].set_xlim(-0.5, full.shape[1] - 0.5)
    axes[2].set_ylim(full.shape[0] - 0.5, -0.5)
    axes[0].set_title(
        tr("input {h}×{w}, kernel {kh}×{kw}").format(h=h, w=wd, kh=kh, kw=kw), fontsize=9
    )
    stride_title = tr("stride {s}: {h}×{w}")
    axes[1].set_title(stride_title.format(s=1, h=full.shape[0], w=full.shape[1]), fontsize=9)
    axes[2].set_title(stride_title.format(s=s, h=strided.shape[0], w=strided.shape[1]), fontsize=9)
    for ax in axes:
        ax.set_aspect("equal")
        for side in ax.spines.values():
            side.set_visible(False)
    fig.tight_layout()
    return fig


def draw_strided_windows(ax, x, kernel_shape, stride: int):
    """The (H, W) input with the first kernel window (solid orange) and, if it fits, the
    next one ``stride`` cells to the right (dashed blue). Returns ax."""
    kh, kw = kernel_shape
    draw_grid(ax, x, highlight=(0, 0, kh, kw))
    if x.shape[1] >= stride + kw:  # the next window, one stride to the right
        ax.add_patch(
            matplotlib.patches.Rectangle(
                (stride - 0.5, -0.5), kw, kh, fill=False, ec="tab:blue", lw=2, ls="--"
            )
        )
    return ax


def draw_kept_outputs(ax, full, stride: int, lo, hi):
    """The (H_out, W_out) stride-1 output on the scale lo..hi, with every ``stride``-th row
    and column outlined: the cells a stride-``stride`` convolution computes. Returns ax."""
    draw_grid(ax, full, vmin=lo, vmax=hi)
    contrast_text(ax.texts, full, lo, hi)
    for r in range(0, full.shape[0], stride):
        for c in range(0, full.shape[1], stride):
            ax.add_patch(
                matplotlib.patches.Rectangle(
                    (c - 0.5, r - 0.5), 1, 1, fill=False, ec="tab:orange", lw=2.5
                )
            )
    return ax


def plot_equivariance(op, image, dy, dx, *, scale=1, mode="circular", crop=0, max_shift=2):
    """Both sides of F(T(x)) = T(F(x)) on one image, and where they differ.

    op: function of a (1, C, H, W) array returning (1, C', H', W') (channel 0 is shown);
    image: (H, W). T shifts the input by (dy, dx) with ``mode``; the output is shifted by
    (dy/scale, dx/scale). When the shift is not a multiple of ``scale`` no output shift
    exists, and the closest circular shift (within ``max_shift``) is shown instead. The
    last panel is |F(T(x)) - T'(F(x))|, with the ``crop`` border that is not compared
    greyed. Returns the Figure.
    """
    sides = equivariance_sides(
        op, image, dy, dx, scale=scale, mode=mode, crop=crop, max_shift=max_shift
    )
    fx, ftx = sides["f"], sides["f_of_shifted"]
    u, v = sides["output_shift"]
    if sides["exact"]:
        label = tr("T(F(x)):\nF(x) moved ({u}, {v})").format(u=u, v=v)
    else:
        label = tr("no exact shift exists;\nclosest: F(x) moved ({u}, {v})").format(u=u, v=v)
    lo, hi = min(fx.min(), ftx.min()), max(fx.max(), ftx.max())
    fig = figure((11, 2.7))
    axes = fig.subplots(1, 5)
    panels = [
        (np.asarray(image, dtype=float), "x", None),
        (sides["shifted_input"], tr("T(x):\nx moved ({dy}, {dx})").format(dy=dy, dx=dx), None),
        (ftx, "F(T(x))", (lo, hi)),
        (sides["shifted_f"], label, (lo, hi)),
    ]
    for ax, (img, title, rng) in zip(axes, panels):
        ax.imshow(
            img,
            cmap="gray",
            vmin=None if rng is None else rng[0],
            vmax=None if rng is None else rng[1],
        )
        ax.set_title(title, fontsize=9)
    draw_difference(axes[4], sides["difference"], sides["error"], crop, hi - lo)
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    return fig


def draw_difference(ax, diff, error: float, crop, value_range: float):
    """|F(T(x)) - T'(F(x))| as an (H', W') heat map on 0..value_range, the compared cells
    boxed when a ``crop`` border is left out, titled with ``error`` as a share of the
    range. Returns ax."""
    cy, cx = as_tuple("crop", crop, 2, 0)
    ax.imshow(diff, cmap="magma", vmin=0, vmax=max(value_range, 1e-12))
    if cy or cx:
        h, w = diff.shape
        ax.add_patch(
            matplotlib.patches.Rectangle(
                (cx - 0.5, cy - 0.5), w - 2 * cx, h - 2 * cy, fill=False, ec="tab:cyan", lw=1.5
            )
        )
    rel = error / value_range if value_range > 0 else 0.0
    if cy or cx:
        title = tr("|difference| inside the box:\nmax {rel:.0%} of range")
    else:
        title = tr("|difference|:\nmax {rel:.0%} of range")
    ax.set_title(title.format(rel=rel), fontsize=9)
    return ax


def plot_shift_robustness(result):
    """Curves of ``cnnlab.pooling.shift_robustness``: change vs shift, per pooling.

    Left: correlation between the feature maps before and after the shift (1 = unchanged).
    Right: fraction of strong detections still there. Returns the Figure.
    """
    p = result.get("pool_size", "?")
    names = {
        "none": tr("no pooling"),
        "max": tr("max pool {p}×{p}").format(p=p),
        "avg": tr("avg pool {p}×{p}").format(p=p),
    }
    styles = {"none": ("0.3", "o"), "max": ("tab:orange", "s"), "avg": ("tab:blue", "^")}
    fig = figure((8.4, 3.0))
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
    axes[0].set_ylabel(tr("correlation with unshifted map"))
    axes[1].set_ylabel(tr("strong detections kept"))
    for ax in axes:
        ax.set_xlabel(tr("input shift (pixels)"))
        ax.set_xticks(result["shift"])
        ax.set_ylim(-0.05, 1.05)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    return fig
