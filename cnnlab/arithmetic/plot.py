"""Pictures of convolution arithmetic: one step of a padded, strided, dilated convolution with
its output-size formula, how often each input pixel is read, and (transposed mode) one output
of a transposed convolution as a convolution of the zero-stuffed input. Used by lessons 03
and 11 (segmentation: transposed convolutions).

Every ``plot_*`` returns a new Figure made outside pyplot (see :mod:`cnnlab.drawing`). The
sizes come from :func:`cnnlab.arith.conv_output_size` and the cells read from
:func:`cnnlab.arithmetic.window_counts`, so picture and formula cannot disagree.
"""

from __future__ import annotations

import matplotlib.patches
import numpy as np

from ..arith import conv_output_size, conv_transpose_output_size, effective_kernel
from ..conv_transpose import contributing_inputs, stuffed_input
from ..drawing import draw_cell_lines, figure
from ..i18n import Messages, tr
from .windows import dropped_rows, window_counts

# Cell colours of the arithmetic pictures. The whole grid is one RGB image, so a picture
# costs a handful of artists whatever its size (a widget redraws it on every slider move).
CELL_COLOURS = {
    "input": (1.0, 1.0, 1.0),
    "padding": (0.78, 0.85, 0.96),  # the zeros added around the image
    "ignored": (0.96, 0.80, 0.80),  # input pixels no window reads (past the floor, or gaps)
    "gap": (1.0, 0.92, 0.72),  # inside the dilated window but skipped
    "tap": (0.98, 0.55, 0.15),  # cells the kernel reads at this position
    "done": (1.0, 0.86, 0.68),  # output cells computed before this one
    "current": (0.98, 0.55, 0.15),
}

# Legend labels of the kinds of cell, in the language of the moment.
CELL_NAMES = Messages(
    lambda: {
        "tap": tr("read"),
        "gap": tr("dilation gap"),
        "padding": tr("padding (0)"),
        "ignored": tr("never read"),
    }
)


def size_formula(n: int, f: int, p: int, s: int, d: int) -> str:
    """The output-size formula with the numbers substituted and the floor made visible.

    >>> size_formula(7, 3, 0, 2, 1)
    'out = ⌊(n + 2p − d(f−1) − 1)/s⌋ + 1 = ⌊(7 + 2·0 − 1·2 − 1)/2⌋ + 1 = ⌊4/2⌋ + 1 = 3'
    """
    out = conv_output_size(n, f, p, s, d)
    top = n + 2 * p - effective_kernel(f, d)  # = n + 2p - d(f-1) - 1
    return (
        f"out = ⌊(n + 2p − d(f−1) − 1)/s⌋ + 1 = ⌊({n} + 2·{p} − {d}·{f - 1} − 1)/{s}⌋ + 1"
        f" = ⌊{top}/{s}⌋ + 1 = {out}"
    )


def check_position(position, out: int) -> int:
    """``position`` as an int in [0, out² − 1] (an output cell counted row by row), or a
    ValueError naming the valid range."""
    if isinstance(position, bool) or not hasattr(position, "__index__"):
        raise ValueError(
            tr("output position must be an integer, got {position!r}").format(position=position)
        )
    position = int(position)
    if not 0 <= position < out * out:
        raise ValueError(
            tr(
                "output position must be between 0 and out² − 1 = {last} (the output is "
                "{out}x{out}), got {position}"
            ).format(last=out * out - 1, out=out, position=position)
        )
    return position


def input_cells(n: int, f: int, p: int, s: int, d: int, position: int) -> np.ndarray:
    """Colours of the padded input with the window of output cell ``position`` on top.

    Returns an (n+2p, n+2p, 3) RGB array of :data:`CELL_COLOURS`: padding, image, pixels no
    window reads ("ignored"), and the window's taps and dilation gaps.
    """
    out = conv_output_size(n, f, p, s, d)
    span, size = effective_kernel(f, d), n + 2 * p
    row, col = divmod(position, out)
    r0, c0 = row * s, col * s  # top-left corner of the window, in padded coordinates
    inner = np.zeros((size, size), dtype=bool)
    inner[p : p + n, p : p + n] = True
    img = np.empty((size, size, 3))
    img[:] = CELL_COLOURS["padding"]
    img[inner] = CELL_COLOURS["input"]
    img[inner & (window_counts(n, f, p, s, d) == 0)] = CELL_COLOURS["ignored"]
    img[r0 : r0 + span, c0 : c0 + span] = CELL_COLOURS["gap"]
    img[r0 : r0 + span : d, c0 : c0 + span : d] = CELL_COLOURS["tap"]
    return img


def output_cells(out: int, position: int) -> np.ndarray:
    """Colours of the out x out output: cells before ``position`` done, ``position`` current.

    Returns an (out, out, 3) RGB array of :data:`CELL_COLOURS`.
    """
    img = np.ones((out * out, 3))
    img[:position] = CELL_COLOURS["done"]
    img[position] = CELL_COLOURS["current"]
    return img.reshape(out, out, 3)


def draw_conv_arithmetic(ax, n: int, f: int, p: int, s: int, d: int, position: int):
    """Draw the padded input and the output side by side on ``ax`` (one axes, so cells have
    the same size), the window of output cell ``position`` and an arrow to that cell.

    Returns the axes.
    """
    out = conv_output_size(n, f, p, s, d)
    position = check_position(position, out)
    span, size = effective_kernel(f, d), n + 2 * p
    row, col = divmod(position, out)
    r0, c0 = row * s, col * s
    ox = size + max(2.0, 0.25 * size)  # the output sits on the right
    ax.imshow(
        input_cells(n, f, p, s, d, position),
        extent=(-0.5, size - 0.5, size - 0.5, -0.5),
        interpolation="nearest",
    )
    ax.imshow(
        output_cells(out, position),
        extent=(ox - 0.5, ox + out - 0.5, out - 0.5, -0.5),
        interpolation="nearest",
    )
    draw_cell_lines(ax, size, size)
    draw_cell_lines(ax, out, out, ox=ox)
    draw_window(ax, n, p, span, (r0, c0), (row, ox + col))
    if p and size <= 14:  # padding is zeros: write them where they are readable
        pad = np.ones((size, size), dtype=bool)
        pad[p : p + n, p : p + n] = False
        rr, cc = np.nonzero(pad)
        # One scatter of "0" markers instead of a text per cell: text is slow to draw.
        ax.scatter(cc, rr, marker="$0$", s=28, c="0.3", linewidths=0)
    if p:
        name = tr("padded input {h}×{w}").format(h=size, w=size)
    else:
        name = tr("input {h}×{w}").format(h=n, w=n)
    name += tr(", window {h}×{w}").format(h=span, w=span) if d > 1 else ""
    ax.text((size - 1) / 2, -0.9, name, ha="center", va="bottom", fontsize=10)
    output = tr("output {h}×{w}").format(h=out, w=out)
    ax.text(ox + (out - 1) / 2, -0.9, output, ha="center", va="bottom", fontsize=10)
    # Tiny grids would fill the figure with giant cells: show at least 16 x 8 cells' room.
    width, height = ox + out, size
    mx, my = max(0.0, (16 - width) / 2), max(0.0, (8 - height) / 2)
    ax.set_xlim(-0.6 - mx, width - 0.4 + mx)
    ax.set_ylim(height - 0.4 + my, -0.6 - my)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def draw_window(ax, n: int, p: int, span: int, corner, cell):
    """Outline the real image inside its padding, the window (span x span cells, top-left at
    ``corner`` = (row, col)) and the output ``cell`` = (row, x) it computes, with an arrow
    from one to the other. Returns the axes."""
    (r0, c0), (row, x) = corner, cell
    boxes = [((p, p), n, "0.15", 1.6)] if p else []
    boxes += [((r0, c0), span, "#b34700", 2.2), ((row, x), 1, "#b34700", 2.2)]
    for (r, c), w, colour, lw in boxes:
        ax.add_patch(
            matplotlib.patches.Rectangle((c - 0.5, r - 0.5), w, w, fill=False, ec=colour, lw=lw)
        )
    ax.annotate(  # from the window to the output cell it computes
        "",
        xy=(x - 0.5, row),
        xytext=(c0 + span - 0.5, r0 + (span - 1) / 2),
        arrowprops=dict(arrowstyle="->", color="#b34700", lw=1.2, shrinkA=2, shrinkB=2),
    )
    return ax


def plot_conv_arithmetic(
    n: int = 7, f: int = 3, p: int = 0, s: int = 1, d: int = 1, position: int = 0
):
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

    >>> fig = plot_conv_arithmetic(7, 3, p=0, s=2)   # the notes' 7x7 * 3x3, stride 2 -> 3x3
    """
    out = conv_output_size(n, f, p, s, d)  # raises the arith message when impossible
    position = check_position(position, out)
    fig = figure((7.2, 4.3), dpi=80)
    draw_conv_arithmetic(fig.add_axes((0.02, 0.1, 0.96, 0.7)), n, f, p, s, d, position)
    fig.text(0.5, 0.975, size_formula(n, f, p, s, d), ha="center", va="top", fontsize=11)
    dropped = dropped_rows(n, f, p, s, d)
    if dropped:
        if dropped == 1:
            note = tr("the floor drops the last row and column of the input (red: never read)")
        else:
            note = tr(
                "the floor drops the last {n} rows and columns of the input (red: never read)"
            ).format(n=dropped)
        fig.text(0.5, 0.91, note, ha="center", va="top", fontsize=9, color="#a40000")
    # A short legend with only the kinds of cell that appear (text is costly to draw).
    ignored = bool((window_counts(n, f, p, s, d)[p : p + n, p : p + n] == 0).any())
    keys = ["tap"] + ["gap"] * (d > 1) + ["padding"] * (p > 0) + ["ignored"] * ignored
    handles = [
        matplotlib.patches.Patch(fc=CELL_COLOURS[k], ec="0.5", label=CELL_NAMES[k]) for k in keys
    ]
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=9, frameon=False)
    return fig


def plot_pixel_usage(n: int = 6, f: int = 3, paddings=(0, 1), s: int = 1, d: int = 1):
    """Heatmaps of how many outputs read each input pixel, one panel per padding.

    For each p in ``paddings`` draws ``window_counts(n, f, p, s, d)`` over the n x n image
    itself (the padding holds no information, so it is left out). Without padding the
    corners feed a single output while the centre feeds up to f² of them; padding evens
    this out. The panels share one colour scale. Returns a Figure.
    """
    paddings = list(paddings)
    if not paddings:
        raise ValueError(tr("plot_pixel_usage needs at least one padding, e.g. paddings=(0, 1)"))
    maps = [window_counts(n, f, p, s, d)[p : p + n, p : p + n] for p in paddings]
    top = max(int(m.max()) for m in maps)
    fig = figure((2.9 * len(maps), 3.3), dpi=80)
    axes = fig.subplots(1, len(maps), squeeze=False)[0]
    for ax, p, m in zip(axes, paddings, maps):
        ax.imshow(m, cmap="Oranges", vmin=0, vmax=top * 1.15, interpolation="nearest")
        draw_cell_lines(ax, n, n, color="0.75", lw=0.5)
        if n <= 12:
            for (r, c), v in np.ndenumerate(m):
                colour = "white" if v > 0.6 * top else "black"
                ax.text(c, r, str(v), ha="center", va="center", fontsize=8, color=colour)
        ax.set_xticks([])
        ax.set_yticks([])
        out = conv_output_size(n, f, p, s, d)
        kind = tr("valid (p=0)") if p == 0 else tr("padded, p={p}").format(p=p)
        ax.set_title(
            tr("{kind} → output {h}×{w}\ncorner used {corner}×, centre {centre}×").format(
                kind=kind, h=out, w=out, corner=m[0, 0], centre=m[n // 2, n // 2]
            ),
            fontsize=9,
        )
    fig.subplots_adjust(left=0.03, right=0.97, bottom=0.03, top=0.84, wspace=0.12)
    return fig


# ---------------------------------------------------------------------------------------
# transposed mode: the zero-stuffed, padded input a transposed convolution slides over


def transpose_formula(n: int, f: int, p: int, s: int, output_padding: int = 0) -> str:
    """The transposed output-size formula with the numbers substituted.

    >>> transpose_formula(3, 3, 0, 2)
    'out = (n − 1)s − 2p + (f − 1) + output_padding + 1 = (3 − 1)·2 − 2·0 + 2 + 0 + 1 = 7'
    """
    out = conv_transpose_output_size(n, f, p, s, 1, output_padding)
    return (
        f"out = (n − 1)s − 2p + (f − 1) + output_padding + 1 = ({n} − 1)·{s} − 2·{p} + "
        f"{f - 1} + {output_padding} + 1 = {out}"
    )


def transpose_cells(n: int, f: int, p: int, s: int, output_padding: int, position: int):
    """Colours of the zero-stuffed, padded input with the window of output cell ``position``.

    The grid is :func:`cnnlab.conv_transpose.stuffed_input` (what the stride-1 convolution
    with the flipped kernel slides over): input pixels white, the s − 1 zeros between them
    in ``CELL_COLOURS["gap"]``, the f − 1 − p zeros around them as padding; inside the
    window, the input pixels (those the output depends on) are ``CELL_COLOURS["tap"]``.
    Returns an (m, m, 3) RGB array.
    """
    out = conv_transpose_output_size(n, f, p, s, 1, output_padding)
    position = check_position(position, out)
    args = (f, s, p, output_padding)
    inputs = stuffed_input(np.ones((1, 1, n, n)), *args)[0, 0] > 0
    span = (n - 1) * s + 1  # the stuffed rectangle before padding
    inside = stuffed_input(np.ones((1, 1, span, span)), f, 1, p, output_padding)[0, 0] > 0
    img = np.empty(inputs.shape + (3,))
    img[:] = CELL_COLOURS["padding"]
    img[inside] = CELL_COLOURS["gap"]
    img[inputs] = CELL_COLOURS["input"]
    row, col = divmod(position, out)
    window = np.zeros(inputs.shape, dtype=bool)
    window[row : row + f, col : col + f] = True
    img[window & inputs] = CELL_COLOURS["tap"]
    return img


def draw_stuffed_outline(ax, n: int, f: int, p: int, s: int, size: int):
    """Dash the stuffed input inside the padded grid: it starts f − 1 − p cells in (before
    the grid when that is negative: cropped)."""
    lead = f - 1 - p
    lo, hi = max(lead, 0), min(lead + (n - 1) * s, size - 1)
    ax.add_patch(
        matplotlib.patches.Rectangle(
            (lo - 0.5, lo - 0.5),
            hi - lo + 1,
            hi - lo + 1,
            fill=False,
            ec="0.15",
            lw=1.2,
            ls=(0, (3, 2)),
        )
    )


def draw_conv_transpose_arithmetic(ax, n, f, p, s, output_padding, position):
    """Draw the stuffed input and the output side by side on ``ax``, the window of output
    cell ``position`` and an arrow to that cell. Returns the axes."""
    out = conv_transpose_output_size(n, f, p, s, 1, output_padding)
    position = check_position(position, out)
    img = transpose_cells(n, f, p, s, output_padding, position)
    size = img.shape[0]
    row, col = divmod(position, out)
    ox = size + max(2.0, 0.25 * size)
    ax.imshow(img, extent=(-0.5, size - 0.5, size - 0.5, -0.5), interpolation="nearest")
    ax.imshow(
        output_cells(out, position),
        extent=(ox - 0.5, ox + out - 0.5, out - 0.5, -0.5),
        interpolation="nearest",
    )
    draw_cell_lines(ax, size, size)
    draw_cell_lines(ax, out, out, ox=ox)
    draw_stuffed_outline(ax, n, f, p, s, size)
    draw_window(ax, n, 0, f, (row, col), (row, ox + col))
    if size <= 16:  # zeros written in where they are readable (one scatter: fast)
        real = np.isclose(img, CELL_COLOURS["input"]) | np.isclose(img, CELL_COLOURS["tap"])
        rr, cc = np.nonzero(~np.all(real, axis=-1))
        ax.scatter(cc, rr, marker="$0$", s=22, c="0.35", linewidths=0)
    name = tr("stuffed + padded input {h}×{w}").format(h=size, w=size)
    ax.text((size - 1) / 2, -0.9, name, ha="center", va="bottom", fontsize=10)
    output = tr("output {h}×{w}").format(h=out, w=out)
    ax.text(ox + (out - 1) / 2, -0.9, output, ha="center", va="bottom", fontsize=10)
    width, height = ox + out, size
    mx, my = max(0.0, (16 - width) / 2), max(0.0, (8 - height) / 2)
    ax.set_xlim(-0.6 - mx, width - 0.4 + mx)
    ax.set_ylim(height - 0.4 + my, -0.6 - my)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def stuffing_note(n: int, f: int, p: int, s: int, output_padding: int = 0) -> str:
    """How the transposed picture's grid was made, in words.

    >>> stuffing_note(3, 3, 0, 2)
    '1 zero(s) between pixels, padded by f − 1 − p = 2; then a stride-1 conv with the flipped kernel'
    """
    lead = f - 1 - p
    if s > 1:
        how = tr("{n} zero(s) between pixels, ").format(n=s - 1)
    else:
        how = tr("no zeros between pixels, ")
    if lead >= 0:
        how += tr("padded by f − 1 − p = {lead}").format(lead=lead)
    else:
        how += tr("cropped by p − (f − 1) = {crop}").format(crop=-lead)
    if output_padding:
        how += tr(" (+{output_padding} far side)").format(output_padding=output_padding)
    return how + tr("; then a stride-1 conv with the flipped kernel")


def dependency_note(n, f, p, s, output_padding, row, col) -> str:
    """Which input pixels output (row, col) depends on, in words (from
    :func:`cnnlab.conv_transpose.contributing_inputs`)."""
    heard = sorted(contributing_inputs((row, col), n, f, s, p, 1, output_padding))
    if not heard:
        message = tr("output ({row}, {col}) depends on input nothing: no stamp reaches it")
        return message.format(row=row, col=col)
    if len(heard) > 6:
        message = tr("output ({row}, {col}) depends on input {n} input pixels")
        return message.format(row=row, col=col, n=len(heard))
    message = tr("output ({row}, {col}) depends on input {inputs}")
    return message.format(row=row, col=col, inputs=", ".join(map(str, heard)))


#: Legend labels of the transposed picture's cells, in the language of the moment.
TRANSPOSE_NAMES = Messages(
    lambda: {
        "input": tr("input pixel"),
        "tap": tr("read (an input it depends on)"),
        "gap": tr("inserted zero"),
        "padding": tr("padding zero"),
    }
)


def plot_conv_transpose_arithmetic(
    n: int = 3, f: int = 3, p: int = 0, s: int = 2, output_padding: int = 0, position: int = 0
):
    """Picture of one output cell of a transposed convolution, computed as a convolution.

    n: input size (n x n); f: kernel; p: padding (cropped from the result); s: stride;
    output_padding: extra rows and columns on the far side (< s); position: which output
    cell, row by row from 0 to out² − 1.

    Left, the grid the zero-stuffing way convolves (stride 1, flipped kernel): the input's
    pixels (white) with s − 1 zeros between them (yellow), padded by f − 1 − p zeros (blue;
    a negative amount crops instead), the dashed outline the stuffed input; the window of
    output cell ``position``, its input pixels in orange: the inputs that output depends
    on. Right, the output. Top, the size formula with the numbers substituted.
    Impossible settings raise the ValueError of
    :func:`cnnlab.arith.conv_transpose_output_size`. Returns a Figure.

    >>> fig = plot_conv_transpose_arithmetic(3, 3, p=0, s=2)   # 3x3 -> 7x7
    """
    out = conv_transpose_output_size(n, f, p, s, 1, output_padding)  # the arith message
    position = check_position(position, out)
    row, col = divmod(position, out)
    fig = figure((7.2, 4.5), dpi=80)
    ax = fig.add_axes((0.02, 0.1, 0.96, 0.66))
    draw_conv_transpose_arithmetic(ax, n, f, p, s, output_padding, position)
    lines = [
        (0.975, transpose_formula(n, f, p, s, output_padding), 10, "black"),
        (0.915, stuffing_note(n, f, p, s, output_padding), 9, "black"),
        (0.86, dependency_note(n, f, p, s, output_padding, row, col), 9, "#b34700"),
    ]
    for y, text, size, colour in lines:
        fig.text(0.5, y, text, ha="center", va="top", fontsize=size, color=colour)
    handles = [
        matplotlib.patches.Patch(fc=CELL_COLOURS[k], ec="0.5", label=label)
        for k, label in TRANSPOSE_NAMES.items()
    ]
    fig.legend(handles=handles, loc="lower center", ncol=4, fontsize=8, frameon=False)
    return fig
