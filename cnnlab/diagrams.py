"""Architecture drawings: a network's activations as a left-to-right stack of boxes.

:func:`plot_architecture` draws any spec of ``cnnlab.tables`` rows (LeNet-5's
``lenet.LENET5``, ``classic.ALEXNET``, ``classic.VGG_16``, a plain list of
``tables.conv`` / ``tables.max_pool`` / ``tables.fc`` rows ...): one box per activation, the
input first, each sized by its shape and labelled with that shape and the layer that made
it. Every number comes from ``tables.layer_table``, so the drawing cannot drift from the
table printed next to it (hand-drawn architecture figures do drift).

Sizes are log-scaled, so a 224x224x3 image and a 7x7x512 map both fit on one page:

* an image (H, W, C) is a block whose height grows with log2(H), whose slanted depth grows
  with log2(W) and whose thickness grows with log2(C);
* a vector (n,) (a fully connected layer's output, or the flatten before one) is a thin
  column whose height grows with log2(n).

Used by lessons 06 and 07 (LeNet-5, AlexNet, VGG-16, the course-4 "simple ConvNet") and by
any lesson that wants to show a stack of layers.

>>> from cnnlab import lenet
>>> [b.shape for b in architecture_boxes(lenet.LENET5, (32, 32, 1))][:3]
['32x32x1', '28x28x6', '14x14x6']
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import matplotlib.patches

from .drawing import figure
from .i18n import tr
from .tables import Inception, Layer, describe, layer_table

COLOURS = {
    "input": "0.85",
    "conv": "#9ecae1",
    "max": "#fc9272",
    "avg": "#fdd0a2",
    "gap": "#bcbddc",
    "inception": "#c7e9c0",
    "flatten": "0.93",
    "fc": "#a1d99b",
}
"""Face colour of each kind of box (the layer that made the activation)."""


class Box(NamedTuple):
    """One box of an architecture drawing: the activation after one row of the table.

    name: the row's name ("input", "conv1", ..., or "flatten"); kind: the row's kind
    ("input", "conv", "max", "avg", "gap", "inception", "fc") or "flatten" (the reshape an
    FC layer does first when it reads an image, drawn as its own box); shape: the shape as
    text ("55x55x96", "4096"); layer: what made it ("conv 11x11 s4", "maxpool 3x3 s2",
    "fc", ...); dims: the shape as numbers, (H, W, C) or (n,).
    """

    name: str
    kind: str
    shape: str
    layer: str
    dims: tuple


def check_spec(spec) -> list:
    """``spec`` as a list of ``tables.Layer`` / ``tables.Inception`` rows, or a ValueError
    saying what was received and what a spec is."""
    if isinstance(spec, (str, bytes)) or not isinstance(spec, Sequence):
        raise ValueError(
            tr(
                "spec must be a sequence of cnnlab.tables rows (tables.conv(...), "
                "tables.max_pool(...), tables.fc(...), ...), got {kind}: {spec!r:.80}"
            ).format(kind=type(spec).__name__, spec=spec)
        )
    if isinstance(spec, (Layer, Inception)):
        raise ValueError(
            tr("spec must be a sequence of rows, got the single row {name!r}: pass [row]").format(
                name=spec.name
            )
        )
    rows = list(spec)
    if not rows:
        raise ValueError(tr("spec must hold at least one layer, got an empty sequence"))
    for i, row in enumerate(rows):
        if not isinstance(row, (Layer, Inception)):
            raise ValueError(
                tr(
                    "spec item {i} must be a cnnlab.tables.Layer or Inception (made with "
                    "tables.conv, tables.max_pool, tables.fc, ...), got {row!r:.80}"
                ).format(i=i, row=row)
            )
    return rows


def _shape_text(dims) -> str:
    return "x".join(str(v) for v in dims)


def architecture_boxes(spec, input_shape) -> list[Box]:
    """The boxes :func:`plot_architecture` draws, from ``tables.layer_table(spec, input_shape)``.

    One box per row of the table (the input first), plus a "flatten" box before an FC row
    that reads an image (its n = H*W*C numbers, what the FC layer multiplies). Raises
    ValueError for a spec that is not a sequence of rows or a layer that does not fit its
    input (``tables``' message, naming the layer).
    """
    rows = layer_table(check_spec(spec), input_shape)
    boxes = []
    for prev, row in zip([None] + rows[:-1], rows):
        if row.kind == "fc" and len(prev.shape) == 3:
            n = (prev.activations,)
            boxes.append(Box("flatten", "flatten", _shape_text(n), "flatten", n))
        layer = tr("input") if row.kind == "input" else describe(row)
        if row.kind == "fc":
            layer = f"fc {row.shape[0]}"
        boxes.append(Box(row.name, row.kind, _shape_text(row.shape), layer, tuple(row.shape)))
    return boxes


class Size(NamedTuple):
    """A box's size in drawing units: front height, thickness (x) and slanted depth."""

    height: float
    thickness: float
    depth: float


def box_size(dims) -> Size:
    """Log-scaled size of the box for an activation of shape (H, W, C) or (n,).

    height = 0.5 + 0.42 log2(H), depth = 0.3 (0.5 + 0.42 log2(W)) (drawn slanted),
    thickness = 0.1 + 0.09 log2(C); a vector is a column of height 0.5 + 0.33 log2(n),
    0.12 thick, with no depth.

    >>> box_size((224, 224, 3)).height > box_size((7, 7, 512)).height
    True
    """
    if len(dims) == 3:
        h, w, c = dims
        return Size(
            0.5 + 0.42 * math.log2(h),
            0.1 + 0.09 * math.log2(c) if c > 1 else 0.1,
            0.3 * (0.5 + 0.42 * math.log2(w)),
        )
    (n,) = dims
    return Size(0.5 + 0.33 * math.log2(max(n, 1)), 0.12, 0.0)


def draw_box(ax, x: float, size: Size, colour) -> None:
    """A block at x, centred on y = 0: its front face and, for images, the slanted top and
    side that show its width (a parallel projection, up and to the right)."""
    h, t, d = size
    dx, dy = d * 0.7, d * 0.7  # slant at 45 degrees
    y0 = -h / 2
    style = {"fc": colour, "ec": "0.25", "lw": 0.6}
    ax.add_patch(matplotlib.patches.Rectangle((x, y0), t, h, **style))
    if d:
        top = [(x, y0 + h), (x + t, y0 + h), (x + t + dx, y0 + h + dy), (x + dx, y0 + h + dy)]
        side = [(x + t, y0), (x + t + dx, y0 + dy), (x + t + dx, y0 + h + dy), (x + t, y0 + h)]
        ax.add_patch(matplotlib.patches.Polygon(top, closed=True, **style, alpha=0.8))
        ax.add_patch(matplotlib.patches.Polygon(side, closed=True, **style, alpha=0.6))


def plot_architecture(spec, input_shape, title=None):
    """A network drawn as a left-to-right stack of boxes, one per activation.

    spec: a sequence of ``cnnlab.tables`` rows (``tables.Layer``, ``tables.Inception``):
    ``lenet.LENET5``, ``classic.ALEXNET``, ``classic.VGG_16``, or your own list;
    input_shape: (H, W, C). Every box is an activation of ``tables.layer_table(spec,
    input_shape)`` (plus the flatten an FC layer does first, :func:`architecture_boxes`),
    sized by its shape on a log scale (:func:`box_size`), coloured by the layer that made
    it (:data:`COLOURS`) and labelled under it with its shape and that layer.
    title: the figure's title (default: the number of layers with weights and of
    parameters). Returns the Figure. Raises ValueError for a bad spec or input shape, or a
    layer that does not fit its input, with ``tables``' message naming the layer.
    """
    rows = layer_table(check_spec(spec), input_shape)
    boxes = architecture_boxes(spec, input_shape)
    sizes = [box_size(b.dims) for b in boxes]
    # columns wide enough for the box and for its two rotated lines of label
    pitches = [max(s.thickness + 0.7 * s.depth, 0.5) + 0.3 for s in sizes]
    xs = [sum(pitches[:i]) for i in range(len(boxes))]
    x_max = sum(pitches) - 0.3
    top = max(s.height / 2 + 0.7 * s.depth for s in sizes)
    low = max(s.height for s in sizes) / 2
    scale = min(0.5, 15.0 / (x_max + 0.6))  # inches per unit: wide networks shrink
    chars = max(max(len(b.shape), len(b.layer)) for b in boxes)
    label = 0.3 + chars * 0.075 / scale  # rotated text, about 0.075 inch per character
    y_lo, y_hi = -low - label, top + 0.2
    head = 0.35  # inches for the title
    fig = figure((scale * (x_max + 0.6), scale * (y_hi - y_lo) + head))
    ax = fig.add_axes((0, 0, 1, 1 - head / (scale * (y_hi - y_lo) + head)))
    for b, s, x0 in zip(boxes, sizes, xs):
        draw_box(ax, x0, s, COLOURS[b.kind])
        centre = x0 + s.thickness / 2
        ax.text(
            centre - 0.02,
            -low - 0.2,
            b.shape,
            rotation=90,
            ha="right",
            va="top",
            fontsize=7,
            gid="shape",
            fontweight="bold",
        )
        ax.text(
            centre + 0.02,
            -low - 0.2,
            b.layer,
            rotation=90,
            ha="left",
            va="top",
            fontsize=6.5,
            color="0.3",
            gid="layer",
        )
    ax.set_xlim(-0.3, x_max + 0.3)
    ax.set_ylim(y_lo, y_hi)
    ax.axis("off")
    depth = sum(r.depth for r in rows)
    params = sum(r.params for r in rows)
    fig.suptitle(
        title
        or tr("{depth} layers with weights, {params:,} parameters").format(
            depth=depth, params=params
        ),
        fontsize=9,
        y=1 - 0.05 / (scale * (y_hi - y_lo) + head),
    )
    return fig
