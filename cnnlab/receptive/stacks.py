"""Stacks of layers for the receptive field: how lesson 04 writes them, and their map sizes.

A stack is a list of layers, each one of

- ``(kernel, stride[, dilation[, padding]])`` -- a convolution, as in ``arith.receptive_field``
  (also written ``("conv", kernel, stride[, dilation[, padding]])``);
- ``("max", kernel[, stride[, padding]])`` or ``("avg", kernel[, stride[, padding]])`` -- a
  pooling layer; the stride defaults to the kernel, as in PyTorch.

:func:`parse_layers` turns it into ``cnnlab.tables.Layer`` rows (one channel each: the
receptive field does not depend on the number of channels), so the table of lesson 04 is
the same ``tables.layer_table`` as the networks of lessons 06 and 07. Used by lesson 04.

>>> [tables.describe(L) for L in make_stack(2, 3, pool=True)]
['conv 3x3 s1', 'maxpool 2x2 s2', 'conv 3x3 s1', 'maxpool 2x2 s2']
>>> feature_map_sizes([(3, 1), ("max", 2)], 8)
[(8, 8), (6, 6), (3, 3)]
"""

from __future__ import annotations

from collections.abc import Sequence

from .. import tables
from ..i18n import tr
from ..tables import Layer
from ..validate import as_hw, check_int

KINDS = tables.WINDOWS
"""The layer kinds of a stack: "conv", "max" (max pool) and "avg" (average pool)."""


def parse_layers(layers) -> list[Layer]:
    """Normalise a stack description (see the module docstring) to a list of ``tables.Layer``.

    Layer i is named "layer i" (counting from 1) and has one channel.

    >>> [tables.describe(L) for L in parse_layers([(3, 1), ("max", 2), (3, 1, 2, 2)])]
    ['conv 3x3 s1', 'maxpool 2x2 s2', 'conv 3x3 s1 d2 p2']
    """
    if isinstance(layers, (str, bytes)) or not isinstance(layers, Sequence) or not layers:
        raise ValueError(
            tr(
                "layers must be a non-empty list such as [(3, 1), (3, 1), ('max', 2)]: "
                "(kernel, stride[, dilation[, padding]]) for a conv, ('max' or 'avg', kernel"
                "[, stride[, padding]]) for a pool; got {layers!r}"
            ).format(layers=layers)
        )
    return [parse_layer(i, layer) for i, layer in enumerate(layers)]


def parse_layer(i: int, layer) -> Layer:
    """Layer ``i`` (from 0) of a stack description as a checked one-channel ``tables.Layer``."""
    if isinstance(layer, Layer):
        return tables.check_layer(layer)
    if isinstance(layer, (str, bytes)) or not isinstance(layer, Sequence) or not layer:
        raise ValueError(
            tr("layer {i} must be a tuple such as (3, 1) or ('max', 2), got {layer!r}").format(
                i=i + 1, layer=layer
            )
        )
    if isinstance(layer[0], str):
        kind, rest = layer[0], tuple(layer[1:])
        if kind not in KINDS:
            raise ValueError(
                tr("layer {name}: kind must be one of {kinds}, got {kind}").format(
                    name=i + 1, kinds=KINDS, kind=repr(kind)
                )
            )
    else:
        kind, rest = "conv", tuple(layer)
    name = tr("layer {i}").format(i=i + 1)  # shown in tables and in-place messages
    if kind == "conv":
        if not 1 <= len(rest) <= 4:
            raise ValueError(
                tr(
                    "layer {i} (conv) must be (kernel[, stride[, dilation[, padding]]]), "
                    "got {layer!r}"
                ).format(i=i + 1, layer=layer)
            )
        k, s, d, p = rest + (1, 1, 0)[len(rest) - 1 :]
        return tables.check_layer(tables.conv(name, 1, k, s, p, d=d))
    if not 1 <= len(rest) <= 3:
        raise ValueError(
            tr(
                "layer {i} ({kind}) must be ('{kind}', kernel[, stride[, padding]]), got {layer!r}"
            ).format(i=i + 1, kind=kind, layer=layer)
        )
    k = rest[0]
    s = rest[1] if len(rest) > 1 else k
    p = rest[2] if len(rest) > 2 else 0
    return tables.check_layer(Layer(name, kind, k, s, p))


def make_stack(
    n_layers: int,
    kernel: int,
    stride: int = 1,
    dilation: int = 1,
    *,
    pool: bool = False,
    same: bool = False,
) -> list[Layer]:
    """``n_layers`` equal conv layers, each followed by a 2x2 max pool if ``pool``.

    same: pad every conv by ``d(k-1)//2`` so that, at stride 1, it keeps the size
    (exactly for odd kernels). This is the stack the receptive-field widget draws.
    """
    n_layers = check_int(tr("number of layers"), n_layers, 1)
    kernel = check_int(tr("kernel size"), kernel, 1)
    stride = check_int("stride", stride, 1)
    dilation = check_int("dilation", dilation, 1)
    pad = dilation * (kernel - 1) // 2 if same else 0
    stack = [(kernel, stride, dilation, pad)]
    if pool:
        stack.append(("max", 2, 2))
    return parse_layers(stack * n_layers)


def feature_map_sizes(layers, input_size) -> list[tuple[int, int]]:
    """Spatial size of the input and of every layer's output: ``[(H, W), (H1, W1), ...]``.

    The output shapes of ``tables.layer_table`` on a one-channel input. Raises ValueError,
    naming the layer, when a feature map would shrink to nothing.
    """
    rows = tables.layer_table(parse_layers(layers), (*as_hw("input_size", input_size), 1))
    return [(r.shape[0], r.shape[1]) for r in rows]


def output_unit(unit, out_hw) -> tuple[int, int]:
    """The (row, col) output unit to follow in an (H, W) map; None: its centre."""
    h, w = out_hw
    if unit is None:
        return (h - 1) // 2, (w - 1) // 2
    if (
        not isinstance(unit, Sequence)
        or len(unit) != 2
        or not all(hasattr(u, "__index__") and not isinstance(u, bool) for u in unit)
    ):
        raise ValueError(
            tr("unit must be a (row, col) pair of ints, got {unit!r}").format(unit=unit)
        )
    r, c = int(unit[0]), int(unit[1])
    if not (0 <= r < h and 0 <= c < w):
        raise ValueError(
            tr(
                "unit {unit!r} is outside the last feature map, which is {h}x{w}: use "
                "0 <= row < {h} and 0 <= col < {w}"
            ).format(unit=unit, h=h, w=w)
        )
    return r, c
