"""Size arithmetic of convolutional layers: the notes' formulas as functions (lessons 01-13:
output sizes in 03, receptive fields in 04, parameters and multiply-adds in 01, 06 and 07).

Every function checks its input and, when a setting is impossible, raises a
``ValueError`` that names what was received, what would be valid and the formula
involved, so a learner (or a widget showing the message) can act on it.

>>> conv_output_size(6, 3)            # 6x6 * 3x3 -> 4x4
4
>>> conv_output_size(7, 3, s=2)       # the notes' strided example
3
>>> conv_params(3, 3, 10)             # ten 3x3x3 filters with biases
280
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

from .i18n import tr
from .validate import check_flag, check_int

CONV_FORMULA = "out = floor((n + 2p - d(f-1) - 1) / s) + 1"


def effective_kernel(f: int, d: int = 1) -> int:
    """Span of a kernel of size ``f`` with dilation ``d``: ``d(f-1) + 1``."""
    return d * (f - 1) + 1


def conv_output_size(n: int, f: int, p: int = 0, s: int = 1, d: int = 1) -> int:
    """Output length of a convolution or pooling along one dimension.

    ``floor((n + 2p - d(f-1) - 1) / s) + 1``; with ``d = 1`` this is the notes'
    ``floor((n + 2p - f) / s) + 1`` and, for ``p = 0, s = 1``, ``n - f + 1``.

    Parameters
    ----------
    n : input size (>= 1); f : kernel size (>= 1); p : padding on each side (>= 0);
    s : stride (>= 1); d : dilation (>= 1).

    >>> conv_output_size(6, 3, p=1)   # "same" padding keeps 6
    6
    """
    n = check_int(tr("input size n"), n, 1)
    f = check_int(tr("kernel size f"), f, 1)
    p = check_int(tr("padding p"), p, 0)
    s = check_int(tr("stride s"), s, 1)
    d = check_int(tr("dilation d"), d, 1)
    span = effective_kernel(f, d)
    padded = n + 2 * p
    if span > padded:
        dil = tr(" with dilation {d} spans {span}").format(d=d, span=span) if d > 1 else f" ({f})"
        raise ValueError(
            tr(
                "conv output size for n={n}, f={f}, p={p}, s={s}, d={d} is not positive: "
                "the kernel{dil} is larger than the padded input ({padded}); "
                "use padding >= {fix_p} or a kernel <= {max_f}. Formula: {formula}"
            ).format(
                n=n,
                f=f,
                p=p,
                s=s,
                d=d,
                dil=dil,
                padded=padded,
                fix_p=math.ceil((span - n) / 2),
                max_f=(padded - 1) // d + 1,
                formula=CONV_FORMULA,
            )
        )
    return (padded - span) // s + 1


TRANSPOSE_FORMULA = "out = (n - 1)s - 2p + d(f-1) + output_padding + 1"


def conv_transpose_output_size(
    n: int, f: int, p: int = 0, s: int = 1, d: int = 1, output_padding: int = 0
) -> int:
    """Output length of a transposed convolution along one dimension.

    ``(n - 1)s - 2p + d(f-1) + output_padding + 1``: the size of the input a convolution
    with the same f, p, s, d would map to n. Because that convolution floors, s input
    sizes map to the same n; ``output_padding`` (< s, or < d) picks which one.

    >>> conv_transpose_output_size(3, 3, s=2)        # 3 -> 7, and conv_output_size(7, 3, s=2) == 3
    7
    >>> conv_transpose_output_size(3, 3, s=2, output_padding=1)
    8
    """
    n = check_int(tr("input size n"), n, 1)
    f = check_int(tr("kernel size f"), f, 1)
    p = check_int(tr("padding p"), p, 0)
    s = check_int(tr("stride s"), s, 1)
    d = check_int(tr("dilation d"), d, 1)
    op = check_int(tr("output_padding"), output_padding, 0)
    if op >= max(s, d):
        raise ValueError(
            tr(
                "output_padding must be smaller than the stride ({s}) or the dilation ({d}), "
                "got {op}: it only chooses among the {k} input sizes a strided "
                "convolution maps to the same n; use output_padding <= {most}"
            ).format(s=s, d=d, op=op, k=max(s, d), most=max(s, d) - 1)
        )
    full = (n - 1) * s + effective_kernel(f, d) + op
    if full - 2 * p < 1:
        raise ValueError(
            tr(
                "transposed conv output size for n={n}, f={f}, p={p}, s={s}, d={d}, "
                "output_padding={op} is not positive: the padding crops {crop} from a "
                "result of {full}; use padding <= {most}. Formula: {formula}"
            ).format(
                n=n,
                f=f,
                p=p,
                s=s,
                d=d,
                op=op,
                crop=2 * p,
                full=full,
                most=(full - 1) // 2,
                formula=TRANSPOSE_FORMULA,
            )
        )
    return full - 2 * p


def same_padding(f: int, d: int = 1) -> int:
    """Padding that keeps the size unchanged at stride 1: ``p = d(f-1)/2``.

    Only possible when ``d(f-1)`` is even, which is why kernels are usually odd.

    >>> same_padding(3), same_padding(5), same_padding(3, d=2)
    (1, 2, 2)
    """
    f = check_int(tr("kernel size f"), f, 1)
    d = check_int(tr("dilation d"), d, 1)
    total = d * (f - 1)
    if total % 2:
        raise ValueError(
            tr(
                "no symmetric 'same' padding for f={f}, d={d}: it needs p = d(f-1)/2 = "
                "{total}/2, which is not an integer; use an odd kernel size (3, 5, 7, ...)"
            ).format(f=f, d=d, total=total)
        )
    return total // 2


class LayerRF(NamedTuple):
    """Receptive field after one layer, in input pixels.

    size: how many input pixels one unit sees; jump: distance in input pixels between
    neighbouring units (the product of the strides so far); start: input coordinate of
    the centre of the first unit's receptive field (pixel centres at 0, 1, 2, ...).
    """

    kernel: int
    stride: int
    dilation: int
    padding: int
    size: int
    jump: int
    start: float


def receptive_field(layers) -> list[LayerRF]:
    """Receptive field of every layer in a stack of conv/pool layers.

    ``layers`` is a sequence of ``(kernel, stride)``, ``(kernel, stride, dilation)``
    or ``(kernel, stride, dilation, padding)``. The recursion, with ``k' = d(k-1)+1``::

        size_l  = size_{l-1} + (k' - 1) * jump_{l-1}
        jump_l  = jump_{l-1} * stride
        start_l = start_{l-1} + ((k' - 1)/2 - padding) * jump_{l-1}

    starting from size 1, jump 1, start 0. For L stride-1 layers of kernel K this is
    ``1 + L(K-1)``.

    >>> receptive_field([(3, 1)] * 4)[-1].size
    9
    >>> [r.size for r in receptive_field([(3, 1), (2, 2), (3, 1)])]
    [3, 4, 8]
    """
    if isinstance(layers, (str, bytes)) or not isinstance(layers, Sequence) or not layers:
        raise ValueError(
            tr(
                "layers must be a non-empty list of (kernel, stride[, dilation[, padding]]) "
                "tuples, e.g. [(3, 1), (2, 2)], got {layers}"
            ).format(layers=repr(layers))
        )
    size, jump, start = 1, 1, 0.0
    out = []
    for i, layer in enumerate(layers):
        if not isinstance(layer, Sequence) or not 2 <= len(layer) <= 4:
            raise ValueError(
                tr("layer {i} must be (kernel, stride[, dilation[, padding]]), got {layer}").format(
                    i=i, layer=repr(layer)
                )
            )
        k = check_int(tr("layer {i} kernel").format(i=i), layer[0], 1)
        s = check_int(tr("layer {i} stride").format(i=i), layer[1], 1)
        d = check_int(tr("layer {i} dilation").format(i=i), layer[2], 1) if len(layer) > 2 else 1
        p = check_int(tr("layer {i} padding").format(i=i), layer[3], 0) if len(layer) > 3 else 0
        span = effective_kernel(k, d)
        start = start + ((span - 1) / 2 - p) * jump
        size = size + (span - 1) * jump
        jump = jump * s
        out.append(LayerRF(k, s, d, p, size, jump, start))
    return out


def conv_params(f, c_in: int, c_out: int, bias: bool = True) -> int:
    """Learnable parameters of a conv layer: ``c_out * (f_h * f_w * c_in + bias)``.

    ``f`` is an int (square kernel) or a tuple of kernel sizes of any length (1D, 3D).
    The count does not depend on the image size: that is weight sharing.

    >>> conv_params(3, 3, 10)
    280
    """
    ks = _kernel_tuple(f)
    c_in = check_int(tr("c_in"), c_in, 1)
    c_out = check_int(tr("c_out"), c_out, 1)
    bias = check_flag("bias", bias)
    return c_out * (math.prod(ks) * c_in + (1 if bias else 0))


def conv_macs(out_size, f, c_in: int, c_out: int) -> int:
    """Multiplications of a conv layer: one per weight per output position.

    ``out_size`` is the output's spatial size (int for square, or a tuple), so the count is
    ``prod(out_size) * c_out * prod(f) * c_in``.

    >>> conv_macs(28, 5, 192, 32)                         # the notes' ~120M
    120422400
    >>> conv_macs(28, 1, 192, 16) + conv_macs(28, 5, 16, 32)  # with a 1x1 bottleneck
    12443648
    """
    ks = _kernel_tuple(f)
    if isinstance(out_size, Sequence):
        outs = tuple(check_int(tr("out_size"), o, 1) for o in out_size)
    else:
        outs = (check_int(tr("out_size"), out_size, 1),) * len(ks)
    if len(outs) != len(ks):
        raise ValueError(
            tr("out_size {outs} and kernel {ks} must have the same number of dimensions").format(
                outs=outs, ks=ks
            )
        )
    return (
        math.prod(outs)
        * check_int(tr("c_out"), c_out, 1)
        * math.prod(ks)
        * check_int(tr("c_in"), c_in, 1)
    )


def _kernel_tuple(f) -> tuple[int, ...]:
    if isinstance(f, Sequence) and not isinstance(f, str):
        if not f:
            raise ValueError(tr("kernel size f must be an int or a non-empty tuple of ints"))
        return tuple(check_int(tr("kernel size f"), v, 1) for v in f)
    return (check_int(tr("kernel size f"), f, 1),) * 2
