"""Layer tables: one way to describe a network's layers, one per-layer table for every model.

A network is a tuple of rows, each a :class:`Layer` (a convolution, a max or average pool, a
global average pool or a fully connected layer) or an :class:`Inception` (a whole Inception
module). :func:`layer_table` turns it, with the notes' formulas from ``cnnlab.arith``, into one
:class:`Row` per layer: output shape, activations, parameters, multiply-adds, depth and the
receptive field of one unit. :func:`format_table` prints the columns a lesson shows
(:data:`SHAPES`, :data:`COSTS`, :data:`FIELDS`) and :func:`summary` checks every row against
a PyTorch model's own count and shapes (:func:`check_against_torch`).

Used by lesson 04 (receptive-field stacks, ``cnnlab.receptive``), lesson 06 (LeNet-5,
``cnnlab.lenet``) and lesson 07 (AlexNet, VGG-16, GoogLeNet, ``cnnlab.classic``).

>>> rows = layer_table((conv("conv1", 6, 5), avg_pool("pool1", 2)), (32, 32, 1))
>>> [r.shape for r in rows], rows[1].params, rows[2].rf.size
([(32, 32, 1), (28, 28, 6), (14, 14, 6)], 156, 6)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

from .arith import LayerRF, conv_macs, conv_output_size, conv_params, receptive_field
from .i18n import tr
from .validate import check_int

KINDS = ("conv", "max", "avg", "gap", "fc")
"""Layer kinds: convolution, max pool, average pool, global average pool, fully connected."""

WINDOWS = ("conv", "max", "avg")
"""The kinds that slide a window (kernel f, stride s, padding p, dilation d) over an image."""


class Layer(NamedTuple):
    """One layer of a network: kind is one of :data:`KINDS`.

    f, s, p, d: kernel (window) size, stride, padding and dilation of a conv or pool;
    n_c: number of filters (conv) or units (fc), pools keep the channel count; groups: a
    conv with ``groups = g`` splits its channels into g groups and each filter sees only the
    c_in/g channels of its group (AlexNet's two-GPU layers). Build rows with :func:`conv`,
    :func:`max_pool`, :func:`avg_pool`, :func:`gap` and :func:`fc`.
    """

    name: str
    kind: str
    f: int | None = None
    s: int | None = None
    p: int = 0
    n_c: int | None = None
    groups: int = 1
    d: int = 1


class Inception(NamedTuple):
    """One Inception module: four branches side by side, outputs stacked along channels.

    c1: 1x1 convs; c3_reduce -> c3: 1x1 bottleneck then 3x3 convs; c5_reduce -> c5: 1x1
    bottleneck then 5x5 convs; pool_proj: 3x3 max pool (stride 1) then 1x1 convs. All keep
    H x W ('same' padding), so the output has c1 + c3 + c5 + pool_proj channels.
    """

    name: str
    c1: int
    c3_reduce: int
    c3: int
    c5_reduce: int
    c5: int
    pool_proj: int


def conv(name: str, n_c: int, f: int, s: int = 1, p: int = 0, groups: int = 1, d: int = 1):
    """A conv row: ``n_c`` filters of ``f x f``, stride ``s``, padding ``p``, dilation ``d``."""
    return Layer(name, "conv", f, s, p, n_c, groups, d)


def max_pool(name: str, f: int = 2, s: int | None = None, p: int = 0) -> Layer:
    """A max-pool row (the stride defaults to the window, as in PyTorch)."""
    return Layer(name, "max", f, s if s is not None else f, p)


def avg_pool(name: str, f: int = 2, s: int | None = None, p: int = 0) -> Layer:
    """An average-pool row (the stride defaults to the window, as in PyTorch)."""
    return Layer(name, "avg", f, s if s is not None else f, p)


def fc(name: str, n: int) -> Layer:
    """A fully connected row with ``n`` units (a flatten comes first if needed)."""
    return Layer(name, "fc", n_c=n)


def gap(name: str = "gap") -> Layer:
    """A global average pool row: (H, W, C) -> (C,), whatever H and W."""
    return Layer(name, "gap")


def describe(layer) -> str:
    """A short description of a layer (or a :class:`Row`) such as ``conv 3x3 s1 d2 p2``.

    >>> describe(max_pool("pool1", 2)), describe(conv("c", 8, 3, d=2, p=2))
    ('maxpool 2x2 s2', 'conv 3x3 s1 d2 p2')
    """
    if layer.kind == "gap":
        return "global avg pool"
    if layer.kind == "fc":
        return f"fc {layer.n_c}" if isinstance(layer, Layer) else "fc"
    if layer.kind not in WINDOWS:
        return layer.kind
    k = f"{layer.f}x{layer.f}"
    text = f"conv {k}" if layer.kind == "conv" else f"{layer.kind}pool {k}"
    text += f" s{layer.s}"
    if layer.d and layer.d > 1:
        text += f" d{layer.d}"
    if layer.p:
        text += f" p{layer.p}"
    return text


def check_layer(layer: Layer) -> Layer:
    """``layer`` with its numbers checked (and made plain ints), or a ValueError naming it.

    Kernels, strides and dilations must be >= 1, paddings >= 0; a pool's padding may be at
    most half its window (PyTorch's rule: no window may lie wholly in the padding); convs
    need filters that their groups divide, fully connected layers units.
    """
    name = layer.name
    if layer.kind not in KINDS:
        raise ValueError(
            tr("layer {name}: kind must be one of {kinds}, got {kind}").format(
                name=name, kinds=KINDS, kind=repr(layer.kind)
            )
        )
    if layer.kind in WINDOWS:
        layer = layer._replace(
            f=check_int(f"{name} kernel", layer.f, 1),
            s=check_int(f"{name} stride", layer.s, 1),
            p=check_int(f"{name} padding", layer.p, 0),
            d=check_int(f"{name} dilation", layer.d, 1),
        )
        if layer.kind != "conv" and 2 * layer.p > layer.f:
            raise ValueError(
                tr(
                    "{name}: pool padding must be at most half the kernel size, got padding "
                    "{p} for kernel {f}; use padding <= {most}"
                ).format(name=name, p=layer.p, f=layer.f, most=layer.f // 2)
            )
    if layer.kind == "conv":
        layer = layer._replace(
            n_c=check_int(f"{name} filters", layer.n_c, 1),
            groups=check_int(f"{name} groups", layer.groups, 1),
        )
    elif layer.kind == "fc":
        layer = layer._replace(n_c=check_int(f"{name} units", layer.n_c, 1))
    return layer


# ---------------------------------------------------------------------------------------
# the per-layer table


class Row(NamedTuple):
    """One line of a layer table, for one image.

    shape: (H, W, C) for images, (n,) for vectors; activations: the numbers in that output;
    params: learnable numbers; macs: multiply-adds to compute the output (convs and FC
    layers; pooling multiplies nothing); depth: how many layers with weights this row puts
    on the longest input-to-output path; layer: the depths summed up to here (lesson 06's
    convention: a pool belongs to the conv before it, the input is layer 0); rf: the
    receptive field of one unit of the output (``arith.LayerRF``, in input pixels), None
    after the first row that is not a conv or pool (its units see everything).
    f, s, p, d: the window of a conv or pool row, None for the others.
    """

    name: str
    kind: str
    f: int | None
    s: int | None
    p: int | None
    d: int | None
    shape: tuple
    activations: int
    params: int
    macs: int
    depth: int
    layer: int
    rf: LayerRF | None


def _row(name, kind, shape, params=0, macs=0, depth=0, layer=0, window=(None,) * 4, rf=None):
    return Row(name, kind, *window, shape, math.prod(shape), params, macs, depth, layer, rf)


INPUT_RF = LayerRF(kernel=1, stride=1, dilation=1, padding=0, size=1, jump=1, start=0.0)
"""The receptive field of an input pixel: itself (where the recursion starts)."""


def input_row(input_shape) -> Row:
    """The table's first row: the (H, W, C) input, which has no parameters."""
    shape = tuple(check_int("input size", v, 1) for v in input_shape)
    if len(shape) != 3:
        raise ValueError(
            tr("input_shape must be (H, W, C), got {shape}").format(shape=repr(tuple(input_shape)))
        )
    return _row("input", "input", shape, rf=INPUT_RF)


def layer_table(spec, input_shape) -> list[Row]:
    """Output shape, parameters and multiply-adds of every row of ``spec`` for one image.

    spec: sequence of :class:`Layer` and :class:`Inception`; input_shape: (H, W, C). The
    formulas, all from ``cnnlab.arith``::

        conv: n_out = floor((n + 2p - d(f-1) - 1)/s) + 1,  params = n_c (f*f*c_in/g + 1),
              MACs = n_out^2 * n_c * f*f*c_in/g
        pool: same n_out, channels kept, no parameters, no multiplications
        fc:   params = n_in * n + n,  MACs = n_in * n  (a flatten first if needed)

    and the receptive field of the leading conv and pool rows by ``arith.receptive_field``.
    Returns a list of :class:`Row`, the input first. Raises ValueError when a layer does
    not fit its input, naming the layer (with ``cnnlab.arith``'s message).
    """
    rows = [input_row(input_shape)]
    for layer in spec:
        if isinstance(layer, Inception):
            rows.append(_inception_row(layer, rows[-1]))
        else:
            rows.append(_layer_row(check_layer(layer), rows[-1]))
    fields = _leading_fields(spec)  # rows 1 .. len(fields): the plain conv/pool stack
    return [rows[0]] + [
        r._replace(rf=fields[i]) if i < len(fields) else r for i, r in enumerate(rows[1:])
    ]


def _layer_row(layer: Layer, prev: Row) -> Row:
    kind, shape = layer.kind, prev.shape
    if kind in WINDOWS + ("gap",) and len(shape) != 3:
        raise ValueError(
            tr("{name}: a {kind} layer needs an image, got shape {shape}").format(
                name=layer.name, kind=kind, shape=shape
            )
        )
    if kind == "conv":
        shape, params, macs = conv_costs(layer, shape)
        depth = 1
    elif kind in WINDOWS:
        shape, params, macs, depth = (*window_output(layer, shape), shape[2]), 0, 0, 0
    elif kind == "gap":
        shape, params, macs, depth = (shape[2],), 0, 0, 0
    else:
        n_in, n = math.prod(shape), layer.n_c
        shape, params, macs, depth = (n,), n_in * n + n, n_in * n, 1
    window = (layer.f, layer.s, layer.p, layer.d) if kind in WINDOWS else (None,) * 4
    return _row(layer.name, kind, shape, params, macs, depth, prev.layer + depth, window)


def window_output(layer: Layer, shape) -> tuple[int, int]:
    """(H_out, W_out) of a conv or pool on an (H, W, C) input: ``arith.conv_output_size``
    along each axis; a ValueError names the layer when nothing would be left."""
    h, w = shape[0], shape[1]
    try:
        return tuple(conv_output_size(n, layer.f, layer.p, layer.s, layer.d) for n in (h, w))
    except ValueError as err:
        raise ValueError(
            tr(
                "{layer} ({kind}) gets a {h}x{w} feature map and cannot produce any output: {err}"
            ).format(layer=layer.name, kind=describe(layer), h=h, w=w, err=err)
        ) from None


def conv_costs(layer: Layer, shape) -> tuple[tuple, int, int]:
    """Output shape (H, W, n_c), parameters and multiply-adds of a conv on (H, W, c_in)."""
    c_in, n_c, g = shape[2], layer.n_c, layer.groups
    if c_in % g or n_c % g:
        raise ValueError(
            tr(
                "{name}: groups={g} must divide both the input channels ({c_in}) and the "
                "filters ({n_c})"
            ).format(name=layer.name, g=g, c_in=c_in, n_c=n_c)
        )
    out = window_output(layer, shape)
    # each group is its own small conv: c_in/g channels in, n_c/g filters out
    params = g * conv_params(layer.f, c_in // g, n_c // g)
    macs = g * conv_macs(out, layer.f, c_in // g, n_c // g)
    return (*out, n_c), params, macs


def _inception_row(module: Inception, prev: Row) -> Row:
    if len(prev.shape) != 3:
        raise ValueError(
            tr("{name}: an Inception module needs an image, got {shape}").format(
                name=module.name, shape=prev.shape
            )
        )
    sub = inception_table(module, prev.shape)
    shape = sub[-1].shape
    params, macs = sum(r.params for r in sub), sum(r.macs for r in sub)
    depth = 2  # the 1x1 reduce then the 3x3 or 5x5: two layers deep
    return _row(module.name, "inception", shape, params, macs, depth, prev.layer + depth)


def inception_table(module: Inception, input_shape, bottleneck: bool = True) -> list[Row]:
    """The rows inside one Inception module on an (H, W, C) input, and its concatenation.

    Rows are named like the submodules of ``classic.InceptionModule`` ("branch3.reduce",
    "branch3.conv", ...). With ``bottleneck=False`` the naive module: the 3x3 and 5x5
    convs read all C input channels and the pool branch passes its C channels through
    unchanged (no 1x1 anywhere but branch1). The last row, "concat", has the output shape
    (H, W, sum of the branches' channels) and no parameters.
    """
    h, w, c = input_row(input_shape).shape
    m = module
    if bottleneck:
        branches = [
            [conv("branch1.conv", m.c1, 1)],
            [conv("branch3.reduce", m.c3_reduce, 1), conv("branch3.conv", m.c3, 3, p=1)],
            [conv("branch5.reduce", m.c5_reduce, 1), conv("branch5.conv", m.c5, 5, p=2)],
            [max_pool("branch_pool.pool", 3, 1, 1), conv("branch_pool.proj", m.pool_proj, 1)],
        ]
    else:
        branches = [
            [conv("branch1.conv", m.c1, 1)],
            [conv("branch3.conv", m.c3, 3, p=1)],
            [conv("branch5.conv", m.c5, 5, p=2)],
            [max_pool("branch_pool.pool", 3, 1, 1)],
        ]
    rows, ends = [], []
    start = input_row((h, w, c))
    for branch in branches:
        prev = start
        for layer in branch:
            prev = _layer_row(check_layer(layer), prev)
            rows.append(prev)
        ends.append(prev)
    out = (h, w, sum(r.shape[2] for r in ends))
    depth = max(r.layer for r in ends)
    rows.append(_row("concat", "concat", out, layer=depth))
    return rows


def totals(rows) -> dict:
    """{"params", "macs", "depth"} summed over the rows of a table."""
    return {
        "params": sum(r.params for r in rows),
        "macs": sum(r.macs for r in rows),
        "depth": sum(r.depth for r in rows),
    }


def receptive_fields(spec) -> dict:
    """{row name: ``arith.LayerRF``} for the leading conv and pool rows of ``spec``.

    Uses ``cnnlab.arith.receptive_field`` with each row's kernel, stride, dilation and
    padding; the first FC, global pool or Inception row ends the stack (its units see
    everything). Raises ValueError when the spec does not start with a conv or pool row.
    """
    prefix = _leading_windows(spec)
    if not prefix:
        raise ValueError(tr("the spec must start with conv or pool rows to have receptive fields"))
    return {L.name: rf for L, rf in zip(prefix, _leading_fields(prefix))}


def _leading_windows(spec) -> list[Layer]:
    prefix = []
    for layer in spec:
        if isinstance(layer, Inception) or layer.kind not in WINDOWS:
            break
        prefix.append(check_layer(layer))
    return prefix


def _leading_fields(spec) -> list[LayerRF]:
    prefix = _leading_windows(spec)
    return receptive_field([(L.f, L.s, L.d, L.p) for L in prefix]) if prefix else []


# ---------------------------------------------------------------------------------------
# the table as text


class Column(NamedTuple):
    """One column of a printed table: its title, width and alignment ("<" or ">"), the
    spaces before it, and ``value(row, i)`` (i: the row's number, 0 for the input), printed
    with the format spec ``fmt`` ("," for thousands separators, "g") when it is a number."""

    title: str
    width: int
    align: str
    gap: int
    value: Callable
    fmt: str = ""

    def cell(self, text) -> str:
        spec = f"{self.align}{self.width}" + ("" if isinstance(text, str) else self.fmt)
        return " " * self.gap + format(text, spec)


class Layout(NamedTuple):
    """What a printed table shows: its columns; the label of the totals line under the
    columns titled in ``sums`` (None: no totals line); and the label of the line with
    PyTorch's own parameter count (when a model was checked)."""

    columns: tuple
    total: str | None = None
    sums: tuple = ()
    torch: str = "PyTorch: sum(p.numel())"

    def without(self, title: str) -> Layout:
        """The same layout without the column titled ``title``."""
        return self._replace(columns=tuple(c for c in self.columns if c.title != title))


def _dash(v):
    return "-" if v is None else v


def _shape(r: Row) -> str:
    return "x".join(str(v) for v in r.shape)


def _rf(key):
    return lambda r, i: "-" if r.rf is None else getattr(r.rf, key)


SHAPES = Layout(
    columns=(
        Column("l", 2, ">", 0, lambda r, i: r.layer),
        Column("layer", 6, "<", 2, lambda r, i: r.name),
        Column("f", 2, ">", 1, lambda r, i: _dash(r.f)),
        Column("s", 2, ">", 1, lambda r, i: _dash(r.s)),
        Column("p", 2, ">", 1, lambda r, i: _dash(r.p)),
        Column("n_c", 4, ">", 1, lambda r, i: r.shape[-1]),
        Column("output", 11, "<", 2, lambda r, i: _shape(r)),
        Column("activations", 11, ">", 1, lambda r, i: r.activations, ","),
        Column("parameters", 10, ">", 1, lambda r, i: r.params, ","),
    ),
    total="total parameters",
    sums=("parameters",),
    torch="PyTorch counts",
)
"""Lesson 06's table: layer number l, f, s, p, n_c, output shape, activations, parameters."""

COSTS = Layout(
    columns=(
        Column("layer", 17, "<", 0, lambda r, i: r.name),
        Column("f", 3, ">", 0, lambda r, i: _dash(r.f)),
        Column("s", 3, ">", 0, lambda r, i: _dash(r.s)),
        Column("p", 3, ">", 0, lambda r, i: _dash(r.p)),
        Column("output", 13, "<", 2, lambda r, i: _shape(r)),
        Column("activations", 12, ">", 0, lambda r, i: r.activations, ","),
        Column("parameters", 13, ">", 0, lambda r, i: r.params, ","),
        Column("mult-adds", 16, ">", 0, lambda r, i: r.macs, ","),
    ),
    total="total",
    sums=("parameters", "mult-adds"),
)
"""Lesson 07's table: f, s, p, output shape, activations, parameters and multiply-adds."""

FIELDS = Layout(
    columns=(
        Column("layer", 20, "<", 0, lambda r, i: "input" if i == 0 else f"{i:>2} {describe(r)}"),
        Column("output", 9, ">", 0, lambda r, i: f"{r.shape[0]}x{r.shape[1]}"),
        Column("RF size", 9, ">", 0, _rf("size")),
        Column("jump", 6, ">", 0, _rf("jump")),
        Column("start", 7, ">", 0, _rf("start"), "g"),
    ),
)
"""Lesson 04's table: every layer's output size and receptive field (size, jump, start)."""


def format_table(rows, layout: Layout = COSTS, torch_params: int | None = None) -> str:
    """The rows as text in the columns of ``layout``, with totals and PyTorch's count.

    rows: from :func:`layer_table` (the input row first, or left out); torch_params: the
    parameter count PyTorch gives (from :func:`check_against_torch`), printed under the
    first summed column.
    """
    first = 0 if rows and rows[0].kind == "input" else 1
    head = "".join(c.cell(c.title) for c in layout.columns)
    lines = [head, "-" * len(head)]
    for i, r in enumerate(rows, start=first):
        lines.append("".join(c.cell(c.value(r, i)) for c in layout.columns))
    if layout.total is not None:
        summed = [c for c in layout.columns if c.title in layout.sums]
        offset = sum(c.gap + c.width for c in layout.columns[: layout.columns.index(summed[0])])
        t = totals(rows)
        values = {"parameters": t["params"], "mult-adds": t["macs"]}
        sums = "".join(f"{values[c.title]:>{c.gap + c.width},}" for c in summed)
        lines += ["-" * len(head), f"{layout.total:<{offset}}" + sums]
        if torch_params is not None:
            width = summed[0].gap + summed[0].width
            lines.append(f"{layout.torch:<{offset}}{torch_params:>{width},}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# the table, checked against PyTorch


def module_table(module: Inception, input_shape, bottleneck: bool = True) -> list[Row]:
    """The table of one Inception module on its own: the input row, then its rows."""
    return [input_row(input_shape)] + inception_table(module, input_shape, bottleneck)


def summary(model=None, spec=None, input_shape=None, *, layout: Layout = COSTS) -> str:
    """The per-layer table of a spec, checked against a PyTorch model when one is given.

    spec and input_shape default to the model's own (``model.spec``, ``model.input_shape``:
    cnnlab's models carry them); give them for other models, or for a single Inception
    module (``summary(InceptionModule(192), INCEPTION_3A, (28, 28, 192))``). Every row is
    checked with :func:`check_against_torch`; a row that differs raises ValueError. Returns
    the table in the columns of ``layout``, ending with PyTorch's total when a model was
    checked.
    """
    spec = spec if spec is not None else getattr(model, "spec", None)
    input_shape = input_shape if input_shape is not None else getattr(model, "input_shape", None)
    if spec is None or input_shape is None:
        raise ValueError(
            tr(
                "give the spec and input_shape of a model that does not carry its own "
                "(cnnlab's models have .spec and .input_shape)"
            )
        )
    if isinstance(spec, Inception):
        rows = module_table(spec, input_shape, getattr(model, "bottleneck", True))
    else:
        rows = layer_table(spec, input_shape)
    total = None if model is None else check_against_torch(rows, model)
    return format_table(rows, layout, total)


def check_against_torch(rows, model) -> int:
    """Check every row of a layer table against the model's submodule of the same name.

    The parameter count must equal PyTorch's ``sum(p.numel())`` for that submodule, and
    the output shape the one a forward pass gives (recorded with hooks; run on the model's
    own device, so a model on the ``meta`` device is checked without computing anything).
    Raises ValueError naming the first row that differs; returns PyTorch's total count,
    which must equal the table's.
    """
    modules = dict(model.named_modules())
    missing = [r.name for r in rows[1:] if r.name not in modules and r.kind != "concat"]
    if missing:
        raise ValueError(
            tr("the model has no layer (submodule) named {name}; it has {names}").format(
                name=repr(missing[0]), names=[name for name, _ in model.named_children()]
            )
        )
    shapes = torch_shapes(rows, model)
    for r in rows[1:]:
        n = sum(p.numel() for p in modules[r.name].parameters()) if r.name in modules else 0
        # PyTorch is channels-first: (C, H, W) for images, (n,) for vectors
        torch_shape = (r.shape[2], r.shape[0], r.shape[1]) if len(r.shape) == 3 else r.shape
        got = shapes.get(r.name)
        if n != r.params or got is None or _squeeze(got) != _squeeze(torch_shape):
            raise ValueError(
                tr(
                    "{name}: the formulas give {params} parameters and output {shape}; PyTorch "
                    "has {n} parameters and output {got}"
                ).format(
                    name=r.name, params=f"{r.params:,}", shape=torch_shape, n=f"{n:,}", got=got
                )
            )
    total = sum(p.numel() for p in model.parameters())
    table = sum(r.params for r in rows)
    if total != table:
        raise ValueError(
            tr("PyTorch counts {total} parameters in all, the table {table}").format(
                total=f"{total:,}", table=f"{table:,}"
            )
        )
    return total


def torch_shapes(rows, model) -> dict:
    """{row name: output shape without the batch} of the model's submodules named like the
    rows, from one forward pass on a zero image of the table's input (on the model's own
    device); "concat" is the model's output (an Inception module's last row)."""
    import torch

    modules = dict(model.named_modules())
    shapes: dict = {}
    hooks = [
        modules[r.name].register_forward_hook(
            lambda _m, _i, out, name=r.name: shapes.__setitem__(name, tuple(out.shape[1:]))
        )
        for r in rows[1:]
        if r.name in modules
    ]
    h, w, c = rows[0].shape
    try:
        dev = next(model.parameters()).device
        with torch.no_grad():
            out = model(torch.zeros(1, c, h, w, device=dev))
    except RuntimeError as err:
        raise ValueError(
            tr("the model cannot run a {h}x{w}x{c} input: {err}").format(h=h, w=w, c=c, err=err)
        ) from None
    finally:
        for hook in hooks:
            hook.remove()
    shapes.setdefault("concat", tuple(out.shape[1:]))  # an Inception module's last row
    return shapes


def _squeeze(shape):
    # a global pool gives (C, 1, 1) in PyTorch, (C,) in the table: same numbers
    return tuple(v for v in shape if v != 1)
