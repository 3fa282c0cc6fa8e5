"""Depthwise-separable convolutions and MobileNet's blocks: what splitting a conv in two saves.

A normal f x f conv from c_in to c_out channels mixes space and channels at once. A
**depthwise-separable** conv does it in two steps: a *depthwise* f x f conv (one filter per
input channel, ``groups = c_in``: ``cnnlab.conv2d(x, w, groups=c_in)``), then a *pointwise*
1x1 conv that mixes the channels. Per output position the multiplications are::

    normal:     f*f * c_in * c_out
    separable:  f*f * c_in  +  c_in * c_out       ratio = 1/c_out + 1/f^2

(:func:`separable_costs`, :func:`separable_ratio`). MobileNet v1 (Howard et al. 2017) is a
stack of such pairs (:func:`v1_block`); MobileNet v2 (Sandler et al. 2018) wraps the
depthwise conv in an inverted bottleneck: a 1x1 *expansion* to t*c_in channels, the
depthwise 3x3, a linear 1x1 *projection* to c_out, and a residual addition when the shapes
allow (:func:`v2_block`). :class:`Block` builds either as a PyTorch model, and
:func:`block_table` gives its per-layer parameters and multiply-adds from ``cnnlab.tables``
(whose convs honour ``groups``), checked against PyTorch by :func:`summary`. Used by lesson
07 and ``benchmarks/bench_depthwise.py``.

>>> costs = separable_costs(28, 256, 256, 3)
>>> costs["normal"][0], costs["depthwise"][0] + costs["pointwise"][0]
(462422016, 53186560)
>>> round(separable_ratio(256, 3), 4)
0.115
"""

from __future__ import annotations

from collections import OrderedDict

from torch import nn

from ..arith import conv_macs, conv_params, same_padding
from ..i18n import tr
from ..tables import Row, check_against_torch, conv, format_table, layer_table
from ..validate import check_int


def separable_costs(n: int = 28, c_in: int = 256, c_out: int = 256, f: int = 3) -> dict:
    """Multiplications and weights of an f x f conv from c_in to c_out channels with an
    n x n output, normal and depthwise-separable (for a 'same' conv n is also the input's
    size; the course's 6x6x3 example with 3x3 filters and no padding has n = 4).

    Returns {"normal": (macs, weights), "depthwise": (macs, weights), "pointwise": (macs,
    weights)}, biases not counted (MobileNet's convs have none: batch norm follows them).
    Raises ValueError for an even f (no 'same' padding) and sizes < 1.
    """
    n = check_int("n", n, 1)
    c_in, c_out = check_int("c_in", c_in, 1), check_int("c_out", c_out, 1)
    same_padding(f)  # raises for even kernels
    return {
        "normal": (conv_macs(n, f, c_in, c_out), conv_params(f, c_in, c_out, bias=False)),
        # the depthwise conv: c_in filters of f x f x 1, each on its own channel
        "depthwise": (conv_macs(n, f, 1, c_in), conv_params(f, 1, c_in, bias=False)),
        "pointwise": (conv_macs(n, 1, c_in, c_out), conv_params(1, c_in, c_out, bias=False)),
    }


def separable_ratio(c_out: int, f: int = 3) -> float:
    """Multiplications of a depthwise-separable conv over a normal one: 1/c_out + 1/f^2.

    c_out: the output channels (the normal conv's filters, the pointwise conv's filters);
    f: the kernel size. The input channels and the image size cancel out.

    >>> separable_ratio(64, 3) == 1 / 64 + 1 / 9
    True
    """
    c_out, f = check_int("c_out", c_out, 1), check_int("f", f, 1)
    return 1 / c_out + 1 / f**2


def normal_conv(c_in: int, c_out: int, f: int = 3) -> nn.Module:
    """A normal f x f 'same' conv without bias: (N, c_in, H, W) -> (N, c_out, H, W)."""
    return nn.Conv2d(c_in, c_out, f, padding=same_padding(f), bias=False)


def separable_conv(c_in: int, c_out: int, f: int = 3) -> nn.Module:
    """Depthwise f x f ('same', groups=c_in) then pointwise 1x1, no biases:
    (N, c_in, H, W) -> (N, c_out, H, W)."""
    return nn.Sequential(
        OrderedDict(
            depthwise=nn.Conv2d(c_in, c_in, f, padding=same_padding(f), groups=c_in, bias=False),
            pointwise=nn.Conv2d(c_in, c_out, 1, bias=False),
        )
    )


# ---------------------------------------------------------------------------------------
# MobileNet's blocks


def v1_block(c_in: int, c_out: int, stride: int = 1) -> tuple:
    """MobileNet v1's block as ``tables`` rows: a depthwise 3x3 (stride ``stride``, groups
    = c_in) then a pointwise 1x1 to c_out (each followed by batch norm and ReLU in
    :class:`Block`)."""
    c_in = check_int("c_in", c_in, 1)
    return (
        conv("depthwise", c_in, 3, s=check_int("stride", stride, 1), p=1, groups=c_in),
        conv("pointwise", check_int("c_out", c_out, 1), 1),
    )


def v2_block(c_in: int, c_out: int, stride: int = 1, expansion: int = 6) -> tuple:
    """MobileNet v2's inverted bottleneck as ``tables`` rows: 1x1 expansion to
    ``expansion * c_in`` channels, depthwise 3x3 (stride ``stride``), 1x1 projection to
    c_out. (With expansion 1 the expansion conv is left out, as in the paper's first
    block.)"""
    c_in, c_out = check_int("c_in", c_in, 1), check_int("c_out", c_out, 1)
    wide = c_in * check_int("expansion", expansion, 1)
    rows = (conv("expand", wide, 1),) if expansion > 1 else ()
    return rows + (
        conv("depthwise", wide, 3, s=check_int("stride", stride, 1), p=1, groups=wide),
        conv("project", c_out, 1),
    )


class Block(nn.Sequential):
    """A MobileNet block in PyTorch, built from its conv rows (:func:`v1_block`,
    :func:`v2_block`): each conv (no bias) is followed by ``{name}_bn`` (BatchNorm2d) and,
    except for the rows named in ``linear``, ``{name}_relu`` (ReLU6 in v2, ReLU in v1).
    With ``residual=True`` the input is added to the output ((N, C, H, W) -> same shape;
    only possible when the block keeps the shape).

    ``block.convs`` keeps the rows, for :func:`block_table`.
    """

    def __init__(self, convs, c_in: int, linear=(), relu=nn.ReLU, residual: bool = False):
        mods, c = [], check_int("c_in", c_in, 1)
        for r in convs:
            mods.append((r.name, nn.Conv2d(c, r.n_c, r.f, r.s, r.p, groups=r.groups, bias=False)))
            mods.append((f"{r.name}_bn", nn.BatchNorm2d(r.n_c)))
            if r.name not in linear:
                mods.append((f"{r.name}_relu", relu()))
            c = r.n_c
        super().__init__(OrderedDict(mods))
        self.convs, self.residual, self.c_in = tuple(convs), residual, c_in

    def forward(self, x):
        y = super().forward(x)
        return x + y if self.residual else y


def mobilenet_v1_block(c_in: int = 32, c_out: int = 64, stride: int = 1) -> Block:
    """MobileNet v1's depthwise-separable block (depthwise 3x3, BN, ReLU; pointwise 1x1, BN,
    ReLU). The default is the network's first block: 112x112x32 -> 112x112x64."""
    return Block(v1_block(c_in, c_out, stride), c_in)


def mobilenet_v2_block(c_in: int = 24, c_out: int = 24, stride: int = 1, expansion: int = 6):
    """MobileNet v2's inverted residual block: expansion 1x1 (BN, ReLU6), depthwise 3x3 (BN,
    ReLU6), projection 1x1 (BN, no activation: a *linear* bottleneck), plus the input when
    stride is 1 and c_in == c_out. The default is the paper's 56x56x24 -> 56x56x24 block."""
    rows = v2_block(c_in, c_out, stride, expansion)
    residual = stride == 1 and c_in == c_out
    return Block(rows, c_in, linear=("project",), relu=nn.ReLU6, residual=residual)


def block_table(block: Block, input_shape) -> list[Row]:
    """The per-layer table of a :class:`Block` on an (H, W, C) input.

    The conv rows come from ``tables.layer_table`` (which counts a conv with ``groups = g``
    as g small convs), without their biases (the block's convs have none); after each one
    a ``{name}_bn`` row: batch norm keeps the shape and learns 2 numbers per channel (a
    scale and a shift). Its multiply-adds are counted as 0, as the MobileNet papers do:
    at inference the scale and shift fold into the conv before it.
    """
    rows = layer_table(block.convs, input_shape)
    if rows[0].shape[2] != block.c_in:
        raise ValueError(
            tr(
                "the block reads {c_in} channels, got an input of shape {shape} (H, W, C); "
                "give C = {c_in}"
            ).format(c_in=block.c_in, shape=tuple(input_shape))
        )
    out = [rows[0]]
    for r in rows[1:]:
        c = r.shape[-1]
        out.append(r._replace(params=r.params - c))
        bn = {"f": None, "s": None, "p": None, "d": None, "params": 2 * c, "macs": 0, "depth": 0}
        out.append(r._replace(name=f"{r.name}_bn", kind="bn", **bn))
    return out


def summary(block: Block, input_shape) -> str:
    """:func:`block_table` as text (``tables.COSTS`` columns), every row checked against the
    PyTorch block's own parameter count and output shape (``tables.check_against_torch``),
    with PyTorch's total and whether the block adds its input."""
    rows = block_table(block, input_shape)
    total = check_against_torch(rows, block)
    if block.residual:
        line = tr("residual connection: yes: output = input + block(input)")
    else:
        line = tr("residual connection: no")
    return format_table(rows, torch_params=total) + "\n" + line
