"""Pictures of convolution and filters: one step of the sliding dot product, a convolution
over a volume, activation maps, orientation errors, learning a filter, reconstruction, and
learned filters (HED's edge maps, VGG16's first-layer filters).

Every ``plot_*`` returns a new Figure made outside pyplot (see :mod:`cnnlab.drawing`),
drawn from cnnlab's own numbers (``cnnlab.conv2d``). Used by lesson 02, and by lesson 13
(``plot_conv_step`` on 1D signals).
"""

from __future__ import annotations

import numpy as np

from ..arith import conv_output_size
from ..conv import conv2d
from ..drawing import draw_values, figure
from ..i18n import tr
from ..validate import check_int


def plot_conv_step(x, w, row: int, col: int, b: float = 0.0):
    """One step of the sliding dot product: window, kernel, their product, the output.

    x: (H, W) image; w: (K, K) kernel; (row, col): the output position shown, with
    ``0 <= row <= H - K`` and ``0 <= col <= W - K``; b: bias added to every output.
    Returns a Figure with four number grids; the title writes out the sum.

    >>> fig = plot_conv_step(np.eye(4), np.ones((2, 2)), 1, 2)
    >>> fig.axes[0].get_title()
    'out[1, 2] = sum(window * w) = 1'
    """
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    if x.ndim != 2 or w.ndim != 2:
        raise ValueError(
            tr("x and w must be 2D (H, W) and (K, K), got {x} and {w}").format(x=x.shape, w=w.shape)
        )
    ho = conv_output_size(x.shape[0], w.shape[0])
    wo = conv_output_size(x.shape[1], w.shape[1])
    row, col = check_int("row", row, 0), check_int("col", col, 0)
    if row >= ho or col >= wo:
        raise ValueError(
            tr(
                "output position ({row}, {col}) is outside the {ho}x{wo} output "
                "(n - f + 1 = {n} - {f} + 1 rows); rows 0..{last_row}, columns 0..{last_col}"
            ).format(
                row=row,
                col=col,
                ho=ho,
                wo=wo,
                n=x.shape[0],
                f=w.shape[0],
                last_row=ho - 1,
                last_col=wo - 1,
            )
        )
    kh, kw = w.shape
    out = conv2d(x[None, None], w[None, None], np.array([b]))[0, 0]
    prod = x[row : row + kh, col : col + kw] * w
    grids = [
        (x, tr("image x"), dict(signed=bool(x.min() < 0), highlight=(row, col, kh, kw))),
        (w, tr("kernel w"), {}),
        (prod, tr("window * w"), {}),
        (out, tr("output"), dict(highlight=(row, col, 1, 1))),
    ]
    width = sum(g.shape[1] for g, _, _ in grids) + 2 * (len(grids) - 1)
    height = max(g.shape[0] for g, _, _ in grids)
    fig = figure((0.42 * width + 0.2, 0.42 * height + 0.8))
    ax = fig.subplots()
    draw_grid_row(ax, grids)
    bias = f" + {b:g}" if b else ""
    title = tr("out[{row}, {col}] = sum(window * w){bias} = {total:g}")
    ax.set_title(title.format(row=row, col=col, bias=bias, total=prod.sum() + b), fontsize=10)
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.9)
    return fig


def draw_grid_row(ax, grids, gap: int = 2):
    """Number grids side by side on one axes, ``gap`` cells apart, tops aligned, each with
    its title above it (one axes draws much faster than several).

    grids: list of (values (h, w), title, keyword arguments of :func:`cnnlab.drawing.draw_values`).
    Returns the axes.
    """
    width = sum(g.shape[1] for g, _, _ in grids) + gap * (len(grids) - 1)
    height = max(g.shape[0] for g, _, _ in grids)
    left = 0
    for values, title, kw in grids:
        draw_values(ax, values, origin=(left, 0), **kw)
        ax.text(left + values.shape[1] / 2 - 0.5, -0.8, title, ha="center", fontsize=9)
        left += values.shape[1] + gap
    ax.set_xlim(-0.6, width - 0.4)
    ax.set_ylim(height - 0.4, -1.4)
    ax.axis("off")
    return ax


def plot_conv_volume(x, w, names=None):
    """Convolution over a volume: each channel's slice, its product map, and their sum.

    x: (C, H, W) image (channels first, as in cnnlab.conv); w: (C, K, K), one filter as deep
    as the input. Row c shows input channel c, kernel slice c and ``conv(x[c], w[c])``; the
    last column is the sum over channels, the (H-K+1, W-K+1) activation map.
    names: labels of the channels (default R, G, B for three). Returns the Figure.
    """
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    if x.ndim != 3 or w.ndim != 3 or x.shape[0] != w.shape[0]:
        raise ValueError(
            tr(
                "x must be (C, H, W) and w (C, K, K) with the same C (a filter is as deep as its "
                "input), got {x} and {w}"
            ).format(x=x.shape, w=w.shape)
        )
    c = x.shape[0]
    names = list(names) if names is not None else None
    names = names or (["R", "G", "B"] if c == 3 else [tr("ch {ch}").format(ch=i) for i in range(c)])
    # (C, H', W'): what each channel's slice of the filter sees on its own
    parts = np.stack([conv2d(x[i][None, None], w[i][None, None])[0, 0] for i in range(c)])
    total = parts.sum(axis=0)
    fig = figure((8.4, 2.0 * c))
    gs = fig.add_gridspec(
        c, 4, width_ratios=[x.shape[2], w.shape[2], parts.shape[2], parts.shape[2]]
    )
    lim = max(np.abs(parts).max(), np.abs(total).max(), 1e-12)
    wlim = max(np.abs(w).max(), 1e-12)
    xlim = max(np.abs(x).max(), 1e-12)
    for i in range(c):
        ax = fig.add_subplot(gs[i, 0])
        draw_values(ax, x[i], signed=bool(x.min() < 0), lim=xlim)
        ax.set_ylabel(names[i], rotation=0, labelpad=12, fontsize=10)
        draw_values(fig.add_subplot(gs[i, 1]), w[i], lim=wlim)
        draw_values(fig.add_subplot(gs[i, 2]), parts[i], lim=lim)
        if i == 0:
            titles = [tr("input channel"), tr("kernel slice"), tr("channel's map")]
            for j, t in enumerate(titles):
                fig.axes[j].set_title(t, fontsize=9)
    ax = fig.add_subplot(gs[c // 2, 3])
    draw_values(ax, total, lim=lim)
    ax.set_title(tr("sum over channels\n= activation map"), fontsize=9)
    fig.subplots_adjust(left=0.05, right=0.98, bottom=0.03, top=0.9, wspace=0.25, hspace=0.25)
    return fig


def plot_orientation_errors(angles, errors: dict, wavelength=None):
    """Edge-direction error against edge angle, one line per filter pair.

    angles: (A,) degrees; errors: {name: (A,) errors in degrees} (from
    :func:`cnnlab.filters.orientation_error`). The legend gives each pair's worst error.
    Returns the Figure.
    """
    angles = np.asarray(angles, dtype=float)
    if not errors:
        raise ValueError(tr("errors must map at least one filter name to its errors"))
    fig = figure((6.4, 3.2))
    ax = fig.subplots()
    for name, err in errors.items():
        err = np.asarray(err, dtype=float)
        if err.shape != angles.shape:
            raise ValueError(
                tr("errors[{name!r}] has shape {shape}, angles {angles}").format(
                    name=name, shape=err.shape, angles=angles.shape
                )
            )
        ax.plot(
            angles,
            err,
            marker="o",
            ms=3,
            label=tr("{name} (worst {worst:.2f}°)").format(name=name, worst=np.abs(err).max()),
        )
    ax.axhline(0, color="0.5", lw=0.8)
    ax.set_xlabel(tr("true edge direction (degrees)"))
    ax.set_ylabel(tr("estimated - true (degrees)"))
    ax.set_xticks(np.arange(0, angles.max() + 1, 45))
    if wavelength is None:
        title = tr("How well each filter pair measures an edge's direction")
    else:
        title = tr(
            "How well each filter pair measures an edge's direction (stripes {wavelength:g} px apart)"
        ).format(wavelength=wavelength)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=len(errors))
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def plot_filter_learning(losses, learned, true, names=None):
    """Loss curve of learning a filter, and the learned kernel next to the true one.

    losses: (steps + 1,) mean squared errors; learned, true: (K, K) kernels; names: the two
    kernels' titles (default "learned" and "true", in the language of the moment).
    Returns the Figure.
    """
    losses = np.asarray(losses, dtype=float)
    learned = np.asarray(learned, dtype=float)
    true = np.asarray(true, dtype=float)
    if losses.ndim != 1 or learned.shape != true.shape or learned.ndim != 2:
        raise ValueError(
            tr(
                "need 1D losses and two (K, K) kernels of one shape, got {losses}, {learned} and "
                "{true}"
            ).format(losses=losses.shape, learned=learned.shape, true=true.shape)
        )
    names = (tr("learned"), tr("true")) if names is None else names
    fig = figure((9.6, 3.0))
    gs = fig.add_gridspec(1, 3, width_ratios=[1.6, 1, 1])
    ax = fig.add_subplot(gs[0])
    ax.semilogy(np.arange(len(losses)), losses)
    ax.set_xlabel(tr("gradient-descent step"))
    ax.set_ylabel(tr("mean squared error"))
    ax.set_title(tr("loss"), fontsize=9)
    ax.grid(alpha=0.3)
    lim = max(np.abs(true).max(), np.abs(learned).max(), 1e-12)
    for j, (k, name) in enumerate(zip((learned, true), names)):
        a = fig.add_subplot(gs[j + 1])
        draw_values(a, k, fmt="{:.3f}", lim=lim)
        a.set_title(name, fontsize=9)
    fig.tight_layout()
    return fig


def plot_reconstruction(original, responses, reconstruction, losses, names=None):
    """The trick question answered: an image, its filter responses, and the image
    recovered from the responses alone, with the loss going down.

    original, reconstruction: (H, W); responses: (C_out, H', W'); losses: (steps + 1,).
    names: titles of the responses (default 'filter i'). Returns the Figure.
    """
    original = np.asarray(original, dtype=float)
    reconstruction = np.asarray(reconstruction, dtype=float)
    responses = np.asarray(responses, dtype=float)
    if original.ndim != 2 or original.shape != reconstruction.shape or responses.ndim != 3:
        raise ValueError(
            tr(
                "need original and reconstruction (H, W) of one shape and responses "
                "(C_out, H', W'), got {original}, {reconstruction}, {responses}"
            ).format(
                original=original.shape,
                reconstruction=reconstruction.shape,
                responses=responses.shape,
            )
        )
    n = responses.shape[0]
    names = names or [tr("filter {i}").format(i=i) for i in range(n)]
    cols = max(n, 3)
    fig = figure((2.2 * cols, 4.6))
    gs = fig.add_gridspec(2, cols, height_ratios=[1, 1.1])
    for i in range(n):
        ax = fig.add_subplot(gs[0, i])
        lim = max(np.abs(responses[i]).max(), 1e-12)
        if responses[i].min() >= 0:
            ax.imshow(responses[i], cmap="gray", vmin=0, vmax=lim)
        else:
            ax.imshow(responses[i], cmap="RdBu_r", vmin=-lim, vmax=lim)
        ax.set_title(tr("response: {name}").format(name=names[i]), fontsize=8)
        ax.axis("off")
    for j, (img, title) in enumerate(
        [(original, tr("original")), (reconstruction, tr("reconstructed from\nthe responses"))]
    ):
        ax = fig.add_subplot(gs[1, j])
        ax.imshow(img, cmap="gray", vmin=0, vmax=1)
        ax.set_title(title, fontsize=8)
        ax.axis("off")
    ax = fig.add_subplot(gs[1, 2:])
    ax.semilogy(np.asarray(losses, dtype=float))
    ax.set_xlabel(tr("gradient-descent step"), fontsize=8)
    ax.set_title("||conv(x_hat) - conv(x)||² / M", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def plot_activation_map(image, kernel, title=None):
    """A grey image, a kernel and the activation map ``conv2d(image, kernel)``.

    image: (H, W); kernel: (K, K). Positive responses red, negative blue, 0 white; the map
    is (H-K+1, W-K+1). Returns the Figure (``title`` as its suptitle).
    """
    image = np.asarray(image, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    if image.ndim != 2 or kernel.ndim != 2:
        raise ValueError(
            tr("image must be (H, W) (grey) and kernel (K, K), got {image} and {kernel}").format(
                image=image.shape, kernel=kernel.shape
            )
        )
    act = conv2d(image[None, None], kernel[None, None])[0, 0]
    fig = figure((7.6, 2.8))
    gs = fig.add_gridspec(1, 3, width_ratios=[1, 0.55, 1])
    ax = fig.add_subplot(gs[0])
    ax.imshow(image, cmap="gray", vmin=0, vmax=1)
    ax.set_title(tr("image {h}x{w}").format(h=image.shape[0], w=image.shape[1]), fontsize=9)
    ax.axis("off")
    ax = fig.add_subplot(gs[1])
    draw_values(ax, kernel, fmt="{:.3g}")
    ax.set_title(tr("kernel"), fontsize=9)
    ax = fig.add_subplot(gs[2])
    lim = max(np.abs(act).max(), 1e-12)
    ax.imshow(act, cmap="RdBu_r", vmin=-lim, vmax=lim)
    ax.set_title(tr("activation map {h}x{w}").format(h=act.shape[0], w=act.shape[1]), fontsize=9)
    ax.axis("off")
    if title:
        fig.suptitle(title, fontsize=10)
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=0.86, wspace=0.1)
    return fig


def plot_learned_edges(image, maps=None, title=None, dpi=80):
    """A photo, two designed edge detectors and a learned one (HED) with its five side outputs.

    image: (H, W, 3) RGB in [0, 1] (or uint8). maps: the dict of
    :func:`cnnlab.filters.learned.compare_edges` (computed here when None). Top row: the
    photo, Sobel and Scharr edge strength (designed), HED's fused map (learned); bottom row:
    HED's side outputs 1 (shallow) to 5 (deep), each titled with its receptive field. White is
    a strong edge. dpi: the figure's resolution; 80 keeps the ten photo-sized panels near
    400 kB as a PNG (the explorer uses 72, so each redraw sends less). Returns the Figure
    (``title`` as its suptitle).
    """
    from .learned import EDGE_MAPS, compare_edges, side_receptive_fields

    maps = compare_edges(image) if maps is None else maps
    missing = [name for name in EDGE_MAPS if name not in maps]
    if missing:
        raise ValueError(
            tr("maps lacks {missing}; pass the dict of learned.compare_edges(image)").format(
                missing=missing
            )
        )
    h, w = maps["Sobel"].shape
    fig = figure((11.0, 2.2 * 2 * h / w + 0.9), dpi=dpi)
    axes = fig.subplots(2, 5)
    fields = side_receptive_fields()
    top = [
        (image, tr("photo {h}x{w}").format(h=h, w=w)),
        (maps["Sobel"], tr("Sobel |g| (designed)")),
        (maps["Scharr"], tr("Scharr |g| (designed)")),
        (maps["HED fused"], tr("HED fused (learned)")),
    ]
    side = tr("side {side} (RF {size} px)")  # the maps are "HED side 1" ... "HED side 5"
    bottom = [
        (maps[n], side.format(side=n.removeprefix("HED side "), size=fields[n]))
        for n in EDGE_MAPS[3:]
    ]
    for ax, (picture, name) in zip([*axes[0, :4], *axes[1]], top + bottom):
        picture = np.asarray(picture)
        if picture.ndim == 3:
            ax.imshow(np.clip(picture, 0, 1) if picture.dtype.kind == "f" else picture)
        else:
            ax.imshow(picture, cmap="gray", vmin=0, vmax=1)
        ax.set_title(name, fontsize=8.5)
    for ax in axes.flat:
        ax.axis("off")
    axes[0, 4].text(
        0.02, 0.5,
        tr("HED: VGG16 from ImageNet\nweights, fine-tuned for\nedges on BSDS500 (not\n"
           "the ImageNet classifier).\nSide b reads the last\nconv of block b."),
        fontsize=8, va="center", transform=axes[0, 4].transAxes,
    )  # fmt: skip
    if title:
        fig.suptitle(title, fontsize=10)
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.86 if title else 0.93,
                        wspace=0.05, hspace=0.18)  # fmt: skip
    return fig


def plot_first_layer_filters(w=None, kinds=None, cols: int = 8):
    """The first layer's filters as small RGB tiles, grouped by kind (edge, colour, other).

    w: (N, 3, K, K) filters on RGB images, default VGG16's conv1_1 (HED's VGG16, from
    :func:`cnnlab.filters.learned.first_layer_filters`); kinds: the dict of
    :func:`cnnlab.filters.learned.filter_kinds` (computed when None). Each tile is scaled by
    its own largest |weight| with 0 at mid-grey (:func:`cnnlab.filters.learned.filter_tiles`).
    Edge filters are sorted by the orientation of their ramp (the tile's title, in degrees
    modulo 180: 0 = a change from left to right, 90 = from top to bottom), colour filters by
    their colour share (the title, in percent). Returns the Figure.
    """
    from .learned import filter_kinds, filter_tiles, first_layer_filters

    w = first_layer_filters() if w is None else np.asarray(w, dtype=float)
    kinds = filter_kinds(w) if kinds is None else kinds
    tiles = filter_tiles(w)
    groups = [
        (
            "edge",
            tr("{n} mostly an oriented brightness ramp (an edge detector)"),
            "angle",
            "{:.0f}°",
        ),
        ("colour", tr("{n} mostly colour differences (opposing colours)"), "colour", "{:.0%}"),
        ("other", tr("{n} neither (blobs, bars, mixtures)"), "other", ""),
    ]
    rows = []  # a heading (str) or a row of (index, label) tiles
    for kind, heading, key, fmt in groups:
        idx = np.flatnonzero(kinds["kind"] == kind)
        idx = idx[np.argsort(kinds[key][idx])]
        labels = [fmt.format(kinds[key][i]) for i in idx]
        rows.append(heading.format(n=len(idx)))
        rows += [
            list(zip(idx[s : s + cols], labels[s : s + cols])) for s in range(0, len(idx), cols)
        ]
    ratios = [0.32 if isinstance(r, str) else 1.0 for r in rows]
    fig = figure((0.95 * cols, 0.98 * sum(ratios) + 0.2))
    gs = fig.add_gridspec(len(rows), cols, height_ratios=ratios, hspace=0.45, wspace=0.15)
    for r, row in enumerate(rows):
        if isinstance(row, str):
            ax = fig.add_subplot(gs[r, :])
            ax.text(0, 0.2, row, fontsize=9, weight="bold", transform=ax.transAxes)
            ax.axis("off")
            continue
        for c, (i, label) in enumerate(row):
            ax = fig.add_subplot(gs[r, c])
            ax.imshow(tiles[i], interpolation="nearest")
            ax.set_title(label, fontsize=7, pad=2)
            ax.set_xticks([])
            ax.set_yticks([])
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.01, top=0.99)
    return fig
