"""Pictures of lesson 07: where the classic networks spend their parameters and
multiplications, a 1x1 convolution at one pixel, the bottleneck's savings, the Inception
module, and what the layers of a trained network respond to.

Each ``plot_*`` returns a new Figure made outside pyplot (``cnnlab.drawing.figure``), drawn
from cnnlab's own numbers (``tables.layer_table``, ``tables.inception_table``,
``classic.bottleneck_costs``, ``cnnlab.conv2d``); ``draw_*`` draws into a given Axes.
"""

from __future__ import annotations

import matplotlib
import numpy as np

from ..conv import conv2d
from ..drawing import draw_grid, figure
from ..i18n import tr
from ..tables import inception_table
from ..validate import check_int
from .architectures import INCEPTION_3A
from .bottleneck import bottleneck_costs


def plot_layer_costs(tables: dict, width: float = 9.0):
    """Parameters and multiply-adds of every layer with weights, for several networks.

    tables: {network name: rows of ``cnnlab.tables.layer_table``}. One row of panels per
    network: bars of parameters (left) and multiply-adds (right) per layer, in millions,
    conv-like layers blue and FC layers orange; each panel's title gives the FC layers'
    share of the total. Returns the Figure.
    """
    if not tables:
        raise ValueError(tr("plot_layer_costs needs at least one table"))
    heavy = {name: [r for r in rows if r.params] for name, rows in tables.items()}
    counts = [len(v) for v in heavy.values()]
    fig = figure((width, 0.17 * sum(counts) + 0.75 * len(tables) + 0.2))
    axes = fig.subplots(len(tables), 2, gridspec_kw={"height_ratios": counts}, squeeze=False)
    texts = {  # per panel: the x axis and the title, one message each
        "params": (
            tr("parameters (millions)"),
            tr("{net}: {total:,.0f}M parameters, FC layers {share:.0%}"),
        ),
        "macs": (
            tr("multiply-adds (millions)"),
            tr("{net}: {total:,.0f}M multiply-adds, FC layers {share:.0%}"),
        ),
    }
    for (net, rows), ax_row in zip(heavy.items(), axes):
        colours = ["tab:orange" if r.kind == "fc" else "tab:blue" for r in rows]
        y = np.arange(len(rows))
        for ax, key in zip(ax_row, ("params", "macs")):
            values = np.array([getattr(r, key) for r in rows], dtype=float)
            ax.barh(y, values / 1e6, color=colours, height=0.75)
            ax.set_yticks(y, [r.name for r in rows], fontsize=7)
            ax.invert_yaxis()
            ax.tick_params(axis="x", labelsize=7)
            xlabel, title = texts[key]
            ax.set_xlabel(xlabel, fontsize=7)
            fc_share = values[[r.kind == "fc" for r in rows]].sum() / values.sum()
            ax.set_title(
                title.format(net=net, total=values.sum() / 1e6, share=fc_share), fontsize=8
            )
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
    fig.tight_layout(h_pad=0.6, w_pad=1.5)
    return fig


# ---------------------------------------------------------------------------------------
# the 1x1 convolution and the bottleneck


def plot_pointwise_conv(x, w, b=None, row: int = 0, col: int = 0):
    """A 1x1 convolution as a fully connected layer applied at one pixel.

    x: (C_in, H, W) input; w: (C_out, C_in) weights (a 1x1 conv's (C_out, C_in, 1, 1)
    squeezed); b: (C_out,) biases (default zeros). Draws the input channels with pixel
    (row, col) outlined, that pixel's C_in numbers as a column, the weight matrix, and
    the C_out outputs ``w @ x[:, row, col] + b``, which land at the same pixel of every
    output channel (``cnnlab.conv2d`` computes them). Returns the Figure.
    """
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    if x.ndim != 3 or w.ndim != 2 or w.shape[1] != x.shape[0]:
        raise ValueError(
            tr(
                "x must be (C_in, H, W) and w (C_out, C_in) with the same C_in, got {x_shape} "
                "and {w_shape}"
            ).format(x_shape=x.shape, w_shape=w.shape)
        )
    c_in, h, wd = x.shape
    c_out = w.shape[0]
    b = np.zeros(c_out) if b is None else np.asarray(b, dtype=float)
    row, col = check_int("row", row, 0), check_int("col", col, 0)
    if row >= h or col >= wd:
        raise ValueError(
            tr("pixel ({row}, {col}) is outside the {h}x{w} image").format(
                row=row, col=col, h=h, w=wd
            )
        )
    y = conv2d(x[None], w[:, :, None, None])[0] + b[:, None, None]
    cell = 0.3  # inches per grid cell
    rows_n = max(c_in, c_out)
    fig = figure((cell * (2 * wd + c_in + 4) + 1.6, cell * rows_n * (h + 0.8) + 0.7))
    gs = fig.add_gridspec(
        rows_n, 5, width_ratios=[wd, 1.3, c_in + 0.6, 1.3, wd], wspace=0.5, hspace=0.35
    )
    lim_x = max(np.abs(x).max(), 1e-12)
    lim_y = max(np.abs(y).max(), 1e-12)
    # the channels, centred against each other: inputs left, outputs right
    draw_channels(fig, gs, 0, (rows_n - c_in) // 2, x, (row, col), lim_x, tr("in"), labelpad=14)
    draw_channels(fig, gs, 4, (rows_n - c_out) // 2, y, (row, col), lim_y, tr("out"), labelpad=16)
    middle = [
        (1, x[:, row, col][:, None], "RdBu_r", lim_x, f"x[:, {row}, {col}]"),
        (2, w, "PuOr_r", max(np.abs(w).max(), 1e-12), f"W ({c_out}x{c_in})"),
        (3, y[:, row, col][:, None], "RdBu_r", lim_y, "W x + b"),
    ]
    for column, values, cmap, lim, title in middle:
        ax = fig.add_subplot(gs[:, column])
        draw_grid(ax, values, fmt="{:.0f}", cmap=cmap, vmin=-lim, vmax=lim, fontsize=7)
        ax.set_title(title, fontsize=8)
    fig.suptitle(
        tr(
            "1x1 convolution = the same fully connected layer ({c_in} -> {c_out}) at every pixel"
        ).format(c_in=c_in, c_out=c_out),
        fontsize=9,
    )
    return fig


def draw_channels(fig, gs, column, first, maps, pixel, lim, label, labelpad=14):
    """Draw every (H, W) map of ``maps`` (C, H, W) in one column of the gridspec ``gs``,
    from grid row ``first`` down, with ``pixel`` (row, col) outlined and its numbers
    written in; the axes are labelled "{label} i". Returns the list of Axes."""
    axes = []
    for i, m in enumerate(maps):
        ax = fig.add_subplot(gs[first + i, column])
        draw_grid(
            ax,
            m,
            fmt="{:.0f}",
            cmap="RdBu_r",
            vmin=-lim,
            vmax=lim,
            fontsize=6,
            highlight=(*pixel, 1, 1),
        )
        ax.set_ylabel(f"{label} {i}", rotation=0, labelpad=labelpad, fontsize=8)
        axes.append(ax)
    return axes


def plot_bottleneck_costs(
    bottleneck: int = 16, f: int = 5, c_out: int = 32, n: int = 28, c_in: int = 192
):
    """Multiplications of an f x f 'same' conv on n x n x c_in, plain and with a 1x1
    bottleneck of ``bottleneck`` channels first (``cnnlab.classic.bottleneck_costs``).

    Two horizontal bars in millions of multiply-adds: the plain conv, and the 1x1 part
    plus the f x f part stacked; the title gives the ratio and both parameter counts.
    An even f raises ValueError (no 'same' padding). Returns the Figure.
    """
    costs = bottleneck_costs(n, c_in, c_out, f, bottleneck)
    plain, reduce, conv = (np.array(costs[k], dtype=float) for k in ("plain", "reduce", "conv"))
    fig = figure((7.0, 2.5))
    ax = fig.subplots()
    ax.barh(1, plain[0] / 1e6, color="tab:red", height=0.6)
    ax.barh(
        0,
        reduce[0] / 1e6,
        color="tab:green",
        height=0.6,
        label=tr("1x1 conv, {n} filters").format(n=bottleneck),
    )
    ax.barh(
        0,
        conv[0] / 1e6,
        left=reduce[0] / 1e6,
        color="tab:blue",
        height=0.6,
        label=tr("{f}x{f} conv, {n} filters").format(f=f, n=c_out),
    )
    top = max(plain[0], reduce[0] + conv[0]) / 1e6
    for yv, v in ((1, plain[0]), (0, reduce[0] + conv[0])):
        ax.text(v / 1e6 + top * 0.01, yv, f"{v / 1e6:,.1f}M", va="center", fontsize=8)
    ax.set_xlim(0, top * 1.18)
    ax.set_yticks(
        [0, 1],
        [
            tr("1x1 bottleneck\n{c_in}->{mid}->{c_out}").format(
                c_in=c_in, mid=bottleneck, c_out=c_out
            ),
            tr("plain {f}x{f}\n{c_in}->{c_out}").format(f=f, c_in=c_in, c_out=c_out),
        ],
        fontsize=8,
    )
    ax.set_xlabel(
        tr("multiply-adds for one {n}x{n}x{c_in} input (millions)").format(n=n, c_in=c_in),
        fontsize=8,
    )
    ax.tick_params(axis="x", labelsize=7)
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=2, frameon=False)
    ratio = plain[0] / (reduce[0] + conv[0])
    if ratio >= 1:
        title = tr(
            "bottleneck: {ratio:.1f}x fewer multiplications; parameters {plain:,.0f} plain "
            "vs {bottle:,.0f}"
        )
    else:
        more = tr(
            "bottleneck: {ratio:.2f}x MORE multiplications; parameters {plain:,.0f} plain "
            "vs {bottle:,.0f}"
        )
        title, ratio = more, 1 / ratio
    ax.set_title(title.format(ratio=ratio, plain=plain[1], bottle=reduce[1] + conv[1]), fontsize=9)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.subplots_adjust(left=0.17, right=0.97, bottom=0.33, top=0.89)  # no tight_layout: fast
    return fig


# ---------------------------------------------------------------------------------------
# the Inception module

INCEPTION_BRANCHES = (
    ("branch1.conv",),
    ("branch3.reduce", "branch3.conv"),
    ("branch5.reduce", "branch5.conv"),
    ("branch_pool.pool", "branch_pool.proj"),
)
"""The rows of ``tables.inception_table`` in each of the diagram's four columns."""

_BOX = {"boxstyle": "round,pad=0.3", "lw": 0.8}
_ARROW = {"arrowstyle": "->", "lw": 0.7, "color": "0.4"}
_KERNEL_COLOURS = {1: "#cfe8cf", 3: "#cfe0f5", 5: "#f5dcc0"}
_INPUT_XY, _CONCAT_XY = (4.2, 3.9), (4.2, 0.4)


def _shape_text(r) -> str:
    return "x".join(map(str, r.shape))


def plot_inception_module(module=None, input_shape=(28, 28, 192), bottleneck: bool = True):
    """The Inception module as a diagram drawn from ``cnnlab.tables.inception_table``:
    the input, the four branches (each box: the layer and its output shape), the
    concatenation, and each branch's multiply-adds. module: a ``tables.Inception``
    (default ``classic.INCEPTION_3A``); input_shape: (H, W, C). Returns the Figure.
    """
    module = module or INCEPTION_3A
    rows = {r.name: r for r in inception_table(module, input_shape, bottleneck)}
    h, w, c = input_shape
    fig = figure((8.4, 3.3))
    ax = fig.subplots()
    ax.set_xlim(0, 8.4)
    ax.set_ylim(0.15, 4.15)
    ax.axis("off")
    ax.text(
        *_INPUT_XY,
        tr("input {h}x{w}x{c}").format(h=h, w=w, c=c),
        ha="center",
        va="center",
        fontsize=8,
        bbox={**_BOX, "fc": "0.92"},
    )
    for x, names in zip((1.05, 3.15, 5.25, 7.35), INCEPTION_BRANCHES):
        draw_inception_branch(ax, x, [rows[n] for n in names if n in rows])
    total = sum(r.macs for r in rows.values())
    ax.text(
        *_CONCAT_XY,
        tr("concatenate channels: {shape}   (total {total:,.1f}M mult-adds)").format(
            shape=_shape_text(rows["concat"]), total=total / 1e6
        ),
        ha="center",
        va="center",
        fontsize=8,
        bbox={**_BOX, "fc": "0.92"},
    )
    if bottleneck:
        title = tr("Inception module (with 1x1 bottlenecks)")
    else:
        title = tr("Inception module (naive: no 1x1 bottlenecks)")
    ax.set_title(title, fontsize=9)
    return fig


def draw_inception_branch(ax, x: float, rows) -> None:
    """Draw one branch of the Inception diagram at x: an arrow from the input, a box per
    row (the layer and its output shape, top to bottom), the branch's multiply-adds and
    an arrow to the concatenation. rows: one or two rows of ``tables.inception_table``."""
    levels = [2.55] if len(rows) == 1 else [3.0, 2.1]
    ax.annotate("", (x, levels[0] + 0.28), (_INPUT_XY[0], 3.72), arrowprops=_ARROW)
    for y, r in zip(levels, rows):
        if r.kind == "max":
            label = tr("max pool 3x3, s=1\n{shape}").format(shape=_shape_text(r))
            colour = "0.85"
        else:
            label = tr("{f}x{f} conv, {c}\n{shape}").format(
                f=r.f, c=r.shape[2], shape=_shape_text(r)
            )
            colour = _KERNEL_COLOURS[r.f]
        ax.text(x, y, label, ha="center", va="center", fontsize=7.5, bbox={**_BOX, "fc": colour})
    if len(rows) == 2:
        ax.annotate("", (x, levels[1] + 0.26), (x, levels[0] - 0.26), arrowprops=_ARROW)
    macs = sum(r.macs for r in rows)
    ax.text(
        x,
        1.55,
        tr("{macs:,.1f}M mult-adds").format(macs=macs / 1e6),
        ha="center",
        va="center",
        fontsize=7,
        color="0.3",
    )
    ax.annotate("", (_CONCAT_XY[0], 0.62), (x, 1.4), arrowprops=_ARROW)


# ---------------------------------------------------------------------------------------
# what the layers learn


def patch_canvas(p, stretch: bool = True) -> np.ndarray:
    """(U, k, C, s, s) patches -> one (U*(s+gap)-gap, k*(s+gap)-gap, C) canvas: a row per
    unit, its k patches side by side, NaN in the gaps; with ``stretch`` each patch on its own
    contrast (scaled to [0, 1]), otherwise as they are (photo patches already in [0, 1])."""
    u, k, c, s, _ = p.shape
    gap = max(1, s // 6)
    canvas = np.full((u * (s + gap) - gap, k * (s + gap) - gap, c), np.nan)
    for i in range(u):
        for j in range(k):
            patch = np.moveaxis(p[i, j], 0, -1)
            lo, hi = patch.min(), patch.max()  # each patch on its own contrast
            if stretch:
                patch = (patch - lo) / (hi - lo) if hi > lo else patch * 0
            canvas[i * (s + gap) : i * (s + gap) + s, j * (s + gap) : j * (s + gap) + s] = patch
    return canvas


def plot_top_patches(
    patches: dict, scale: float = 0.09, title: str | None = None, stretch: bool = True
):
    """For each layer, the input patches that excite its units most.

    patches: {layer label: (U, k, C, s, s) array from ``cnnlab.classic.top_patches``}
    (C = 1 grey or 3 colour). One panel per layer, one row per unit, its k best patches
    side by side; the panels show patches of different sizes at the same height, so the
    smaller (earlier) receptive fields look magnified. title: a line above the panels
    (say which network made them); stretch: each patch on its own contrast (digits), or
    shown as it is (photos, False). Returns the Figure.
    """
    if not patches:
        raise ValueError(tr("plot_top_patches needs at least one layer"))
    canvases, titles = [], []
    for name, p in patches.items():
        p = np.asarray(p, dtype=float)
        if p.ndim != 5 or p.shape[2] not in (1, 3):
            raise ValueError(
                tr("{name}: patches must be (U, k, 1 or 3, s, s), got {shape}").format(
                    name=name, shape=p.shape
                )
            )
        canvases.append(patch_canvas(p, stretch))
        titles.append(
            tr("{name}: {units} units x top {k}\n{s}x{s} pixel windows").format(
                name=name, units=p.shape[0], k=p.shape[1], s=p.shape[3]
            )
        )
    widths = [cv.shape[1] / cv.shape[0] for cv in canvases]
    height, head = 3.0, 0.6 + (0.3 if title else 0.0)
    fig = figure((height * sum(widths) + 0.4 * len(canvases), height + head))
    axes = fig.subplots(1, len(canvases), gridspec_kw={"width_ratios": widths}, squeeze=False)
    for ax, cv, panel in zip(axes[0], canvases, titles):
        rgb = cv if cv.shape[2] == 3 else np.repeat(cv, 3, axis=2)
        rgb = np.where(np.isnan(rgb), 1.0, rgb)  # gaps white
        ax.imshow(rgb, interpolation="nearest")
        ax.set_title(panel, fontsize=8)
        ax.axis("off")
    if title:
        fig.suptitle(title, fontsize=9, y=1 - 0.06 / (height + head))
    fig.subplots_adjust(
        left=0.01, right=0.99, bottom=0.01, top=1 - (head - 0.1) / (height + head), wspace=0.08
    )
    return fig


def depth_strip(m, side: int, cols: int) -> np.ndarray:
    """The first ``cols`` maps of m (C, H, W), each scaled to [0, 1] (black 0 or its most
    negative value, white its largest) and blown up to side x side, in one strip with NaN
    gaps: (side, cols*(side+gap)-gap)."""
    gap = max(1, side // 10)
    strip = np.full((side, cols * (side + gap) - gap), np.nan)
    for i in range(min(cols, m.shape[0])):
        lo, hi = min(m[i].min(), 0.0), m[i].max()
        scaled = (m[i] - lo) / (hi - lo) if hi > lo else np.zeros_like(m[i])
        big = np.kron(scaled, np.ones((side // m.shape[1], side // m.shape[2])))
        strip[: big.shape[0], i * (side + gap) : i * (side + gap) + big.shape[1]] = big
    return strip


def plot_maps_by_depth(maps: dict, channels: int = 8, size: float = 0.8, title=None):
    """Feature maps of one image at several depths, every map drawn at the same size.

    maps: {stage label: (C, H, W) array}; the first ``channels`` channels of each stage
    are shown in one row, each map blown up (nearest neighbour) to the largest map's
    size, so a 4x4 map shows as 4x4 big blocks. Each map has its own grey scale: black 0
    (or its most negative value) to white its largest value; an all-zero map (a unit
    that did not fire) stays black. title: a line above (which network). Returns the Figure.
    """
    if not maps:
        raise ValueError(tr("plot_maps_by_depth needs at least one stage"))
    arrays = {k: np.asarray(v, dtype=float) for k, v in maps.items()}
    for k, v in arrays.items():
        if v.ndim != 3:
            raise ValueError(
                tr("stage {name!r} must be (C, H, W), got shape {shape}").format(
                    name=k, shape=v.shape
                )
            )
    side = max(max(v.shape[1], v.shape[2]) for v in arrays.values())
    cols = min(channels, max(v.shape[0] for v in arrays.values()))
    head = 0.3 if title else 0.0
    fig = figure((size * cols + 1.3, size * len(arrays) + 0.2 + head))
    axes = fig.subplots(len(arrays), 1, squeeze=False)
    cmap = matplotlib.colormaps["gray"].with_extremes(bad="white")
    for ax, (name, m) in zip(axes[:, 0], arrays.items()):
        ax.imshow(depth_strip(m, side, cols), cmap=cmap, vmin=0, vmax=1, interpolation="nearest")
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
        shape = f"{m.shape[1]}x{m.shape[2]}x{m.shape[0]}"
        ax.set_ylabel(f"{name}\n{shape}", rotation=0, ha="right", va="center", fontsize=8)
    height = size * len(arrays) + 0.2 + head
    if title:
        fig.suptitle(title, fontsize=9, y=1 - 0.04 / height)
    fig.subplots_adjust(
        left=1.2 / (size * cols + 1.3), right=0.99, top=1 - (0.1 + head) / height, bottom=0.02
    )
    return fig


def plot_pixel_functions(surfaces: dict, lo: float = -1.0, hi: float = 1.0, title=None):
    """Per-pixel functions of two channels, drawn over the (c1, c2) plane.

    surfaces: {panel title: (S, S) array}, the output of a 1x1 model applied to
    ``classic.pointwise.channel_plane(S)`` (pixel (i, j): c1 = j-th, c2 = i-th value from
    ``lo`` to ``hi``). All panels share one colour scale, with contour lines. Returns the
    Figure.
    """
    if not surfaces:
        raise ValueError(tr("plot_pixel_functions needs at least one surface"))
    arrays = {k: np.asarray(v, dtype=float) for k, v in surfaces.items()}
    for k, v in arrays.items():
        if v.ndim != 2 or v.shape[0] != v.shape[1]:
            raise ValueError(
                tr("surface {name!r} must be a square (S, S) array, got {shape}").format(
                    name=k, shape=v.shape
                )
            )
    vmin = min(v.min() for v in arrays.values())
    vmax = max(v.max() for v in arrays.values())
    head = 0.35 if title else 0.0
    fig = figure((2.45 * len(arrays) + 0.2, 2.75 + head))
    axes = fig.subplots(1, len(arrays), squeeze=False)[0]
    levels = np.linspace(vmin, vmax, 9)
    for ax, (name, v) in zip(axes, arrays.items()):
        extent = (lo, hi, lo, hi)
        ax.imshow(v, origin="lower", extent=extent, cmap="viridis", vmin=vmin, vmax=vmax)
        grid = np.linspace(lo, hi, v.shape[0])
        if v.max() - v.min() > 1e-6 * max(1.0, abs(vmax)):
            ax.contour(grid, grid, v, levels=levels, colors="white", linewidths=0.5)
        ax.set_title(name, fontsize=8)
        ax.set_xlabel(tr("channel 1 at a pixel"), fontsize=7)
        ax.tick_params(labelsize=6)
    axes[0].set_ylabel(tr("channel 2 at the pixel"), fontsize=7)
    if title:
        fig.suptitle(title, fontsize=9)
    fig.subplots_adjust(
        left=0.07, right=0.99, bottom=0.16, top=1 - (0.35 + head) / (2.75 + head), wspace=0.3
    )
    return fig


def plot_photo_maps(photo, maps: dict, channels: dict, title=None, size: float = 1.15):
    """A photo and the feature maps of chosen channels at several depths of a network.

    photo: (H, W, 3) in [0, 1]; maps: {row label: (C, H_l, W_l) activations of one layer};
    channels: {row label: channel indices to show}. Each map is on its own grey scale,
    black 0 to white its largest value (an all-zero map stays black), drawn at the same
    size as the others whatever its resolution, so the deeper, coarser maps look blocky.
    Returns the Figure.
    """
    if not maps or set(maps) != set(channels):
        raise ValueError(tr("maps and channels need the same row labels, at least one"))
    cols = max(len(c) for c in channels.values())
    rows = len(maps)
    aspect = photo.shape[0] / photo.shape[1]
    head = 0.35 if title else 0.1
    fig = figure((size * (cols + 2.5) + 0.9, 1.3 * size * aspect * rows + head + 0.15))
    gs = fig.add_gridspec(
        rows, cols + 2, width_ratios=[2.2, 0.3] + [1] * cols, wspace=0.06, hspace=0.25
    )
    ax = fig.add_subplot(gs[:, 0])
    ax.imshow(photo)
    ax.axis("off")
    channel_title = tr("ch {ch}")
    for r, (label, m) in enumerate(maps.items()):
        m = np.asarray(m, dtype=float)
        for c, ch in enumerate(channels[label]):
            ax = fig.add_subplot(gs[r, c + 2])
            hi = m[ch].max()
            ax.imshow(m[ch], cmap="gray", vmin=0, vmax=hi if hi > 0 else 1, interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_title(channel_title.format(ch=ch), fontsize=6, pad=2)
            if c == 0:
                shape = f"{m.shape[1]}x{m.shape[2]}x{m.shape[0]}"
                ax.set_ylabel(f"{label}\n{shape}", fontsize=7)
    if title:
        fig.suptitle(title, fontsize=9)
    height = 1.3 * size * aspect * rows + head + 0.15
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=1 - head / height)
    return fig
