"""The receptive field by the formula: size, jump and start per layer, and where it lies.

``cnnlab.arith.receptive_field`` is the recursion (pools count like convs: for the
receptive field only the window matters); this module applies it to lesson 04's stacks
(:mod:`cnnlab.receptive.stacks`): the square one output unit sees, how many layers a
block needs to see a whole image, and the per-layer table (``tables.layer_table`` in the
columns of ``tables.FIELDS``). Used by lesson 04 (and lesson 07's "why 3x3").

>>> [r.size for r in formula_receptive_field([(3, 1), (3, 1), ("max", 2), (3, 1)])]
[3, 5, 6, 10]
>>> len(layers_to_see(224, (3, 1)))              # 3x3 convs, stride 1
112
"""

from __future__ import annotations

from collections.abc import Sequence

from .. import tables
from ..arith import LayerRF
from ..arith import receptive_field as arith_receptive_field
from ..i18n import tr
from ..tables import Layer
from ..validate import as_hw, check_int
from .stacks import output_unit, parse_layers


def formula_receptive_field(layers) -> list[LayerRF]:
    """The formula's size, jump and start after every layer of a stack (pools count like
    convs): ``arith.receptive_field`` with each layer's kernel, stride, dilation, padding."""
    return arith_receptive_field([(L.f, L.s, L.d, L.p) for L in parse_layers(layers)])


def receptive_box(layers, input_size, unit=None) -> tuple[int, int, int, int]:
    """The formula's square for one output unit: ``(top, left, bottom, right)``, inclusive.

    The centre of unit ``i`` is ``start + jump * i`` and the square is ``size`` wide, so
    it spans ``centre - (size-1)/2 ... centre + (size-1)/2``. Where padding was used the
    square may stick out of the image (negative or >= H): those pixels were zeros.
    unit: (row, col) of the last feature map, by default its centre.
    """
    rows = tables.layer_table(parse_layers(layers), (*as_hw("input_size", input_size), 1))
    r, c = output_unit(unit, rows[-1].shape[:2])
    last = rows[-1].rf
    half = (last.size - 1) / 2
    top = int(round(last.start + last.jump * r - half))
    left = int(round(last.start + last.jump * c - half))
    return top, left, top + last.size - 1, left + last.size - 1


def stride1_size(n_layers: int, kernel: int) -> int:
    """``1 + L(K-1)``: receptive field of ``L`` stride-1 layers of a ``K x K`` kernel."""
    n_layers = check_int(tr("number of layers L"), n_layers, 0)
    kernel = check_int(tr("kernel size K"), kernel, 1)
    return 1 + n_layers * (kernel - 1)


def layers_to_see(target: int, block, max_layers: int = 10_000) -> list[LayerRF]:
    """Repeat ``block`` (one layer or a list of layers) until the receptive field is at
    least ``target`` pixels; return the formula's values for every layer of that stack.

    ``len(result)`` is the number of layers needed and ``result[-1].size`` the field.
    """
    target = check_int("target", target, 1)
    block = parse_layers([block] if _is_single_layer(block) else block)
    if all(L.f == 1 for L in block) and target > 1:
        raise ValueError(
            tr("a block of 1x1 layers never grows the receptive field, got {layers}").format(
                layers=[tables.describe(L) for L in block]
            )
        )
    stack: list[Layer] = []
    while len(stack) < max_layers:
        stack.extend(block)
        rfs = formula_receptive_field(stack)
        for n, r in enumerate(rfs, start=1):
            if r.size >= target:
                return rfs[:n]
    raise ValueError(
        tr("no receptive field of {target} pixels within {max_layers} layers").format(
            target=target, max_layers=max_layers
        )
    )


def _is_single_layer(block) -> bool:
    return isinstance(block, Layer) or (
        isinstance(block, Sequence) and bool(block) and not isinstance(block[0], Sequence)
    )


def receptive_table(layers, input_size=None) -> str:
    """A text table of every layer: output size (if ``input_size`` is given), receptive
    field size, jump and start, as the recursion computes them.

    The rows are ``tables.layer_table``'s on a one-channel input, printed in the columns of
    ``tables.FIELDS``; without ``input_size`` the input row and the output column are left
    out (the receptive field does not depend on the input size).
    """
    stack = parse_layers(layers)
    if input_size is None:
        # any input the stack fits gives the same fields: one as wide as the last one
        side = formula_receptive_field(stack)[-1].size
        rows = tables.layer_table(stack, (side, side, 1))[1:]
        return tables.format_table(rows, tables.FIELDS.without("output"))
    rows = tables.layer_table(stack, (*as_hw("input_size", input_size), 1))
    return tables.format_table(rows, tables.FIELDS)
