"""Transposed convolution in NumPy: the upsampling layer of segmentation networks (U-Net).

Layouts follow ``torch.nn.functional.conv_transpose2d``: ``x`` is (N, C_in, *S),
``w`` is (C_in, C_out / groups, *K) (note: input channels first), ``b`` is (C_out,). The
output size is ``(n - 1)s - 2p + d(f-1) + output_padding + 1`` per axis
(``cnnlab.arith.conv_transpose_output_size``).

One operation, three ways to see it, all computed here and tested equal (and against
PyTorch):

1. ``conv_transpose2d_naive``: each input pixel **stamps** a copy of the kernel, scaled by
   its value, onto the output at stride s; overlapping stamps add up; p is cropped off each
   side at the end (``kernel_stamps`` gives the stamps one by one, for pictures).
2. ``conv_transpose_by_zero_stuffing``: put s - 1 zeros between the input's pixels, pad by
   d(f-1) - p (``stuffed_input``), and run an ordinary stride-1 convolution with the kernel
   flipped in space and its in/out channels swapped (``flipped_kernel``).
3. ``conv_transpose_by_conv_backward``: the gradient of a convolution with respect to its
   input. A convolution with the same w, s, p, d maps an output-sized image to an
   input-sized one; its transpose maps back, which is exactly ``conv2d_backward``'s dx.
   That is where the name comes from, and why it "undoes" the size, not the values.
   ``conv_transpose2d`` (what the course computes with) is this, with fast kernels.

``contributing_inputs`` lists the input pixels one output depends on.

Used by the segmentation lesson and the arithmetic explorer's transposed mode.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from . import conv_fast
from .arith import conv_transpose_output_size, effective_kernel
from .conv import check_rank, conv2d, convnd, convnd_backward
from .i18n import tr
from .validate import as_real_array, as_tuple, check_int, check_memory


def conv_transpose2d(x, w, b=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """2D transposed convolution. x: (N, C_in, H, W); w: (C_in, C_out / groups, KH, KW);
    b: (C_out,) or None. Returns (N, C_out, H_out, W_out) with
    ``H_out = (H - 1)s - 2p + d(KH-1) + output_padding + 1``.

    Arguments in PyTorch's order (``output_padding`` before ``groups`` and ``dilation``).

    >>> conv_transpose2d(np.ones((1, 1, 2, 2)), np.ones((1, 1, 3, 3)), stride=2)[0, 0]
    array([[1., 1., 2., 1., 1.],
           [1., 1., 2., 1., 1.],
           [2., 2., 4., 2., 2.],
           [1., 1., 2., 1., 1.],
           [1., 1., 2., 1., 1.]])
    """
    return conv_transposend(x, w, b, stride, padding, output_padding, groups, dilation, nd=2)


def conv_transpose1d(x, w, b=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """1D transposed convolution. x: (N, C_in, L); w: (C_in, C_out / groups, K)
    -> (N, C_out, L_out)."""
    return conv_transposend(x, w, b, stride, padding, output_padding, groups, dilation, nd=1)


def conv_transpose3d(x, w, b=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """3D transposed convolution. x: (N, C_in, D, H, W); w: (C_in, C_out / groups, *K)
    -> (N, C_out, D_out, H_out, W_out)."""
    return conv_transposend(x, w, b, stride, padding, output_padding, groups, dilation, nd=3)


def conv_transposend(
    x, w, b=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1, *, nd=2
):
    """N-dimensional transposed convolution (see ``conv_transpose2d``)."""
    x, w, b, stride, padding, output_padding, dilation = check_transpose_args(
        x, w, b, stride, padding, output_padding, groups, dilation, nd
    )
    full = _full_shape(x, w, groups, stride, dilation)
    # dx of the stride-s convolution of a full-size (unpadded) image, then p cropped off
    out_full = conv_fast.grouped_input_grad(x, w, full, groups, stride, (0,) * nd, dilation)
    out = _crop(out_full, padding, _out_spatial(x, w, stride, padding, output_padding, dilation))
    if b is not None:
        out += b.reshape((1, -1) + (1,) * nd)
    return out


def conv_transpose2d_backward(
    dout, x, w, stride=1, padding=0, output_padding=0, groups=1, dilation=1
):
    """Gradients of ``conv_transpose2d``: returns (dx, dw, db) shaped like x, w and (C_out,).

    The transpose of a transpose is the convolution itself: dx is the ordinary convolution
    of dout with w, and dw is a convolution's weight gradient with the roles of input and
    upstream gradient exchanged.
    """
    return conv_transposend_backward(
        dout, x, w, stride, padding, output_padding, groups, dilation, nd=2
    )


def conv_transpose1d_backward(
    dout, x, w, stride=1, padding=0, output_padding=0, groups=1, dilation=1
):
    """Gradients of ``conv_transpose1d``: returns (dx, dw, db)."""
    return conv_transposend_backward(
        dout, x, w, stride, padding, output_padding, groups, dilation, nd=1
    )


def conv_transpose3d_backward(
    dout, x, w, stride=1, padding=0, output_padding=0, groups=1, dilation=1
):
    """Gradients of ``conv_transpose3d``: returns (dx, dw, db)."""
    return conv_transposend_backward(
        dout, x, w, stride, padding, output_padding, groups, dilation, nd=3
    )


def conv_transposend_backward(
    dout, x, w, stride=1, padding=0, output_padding=0, groups=1, dilation=1, *, nd=2
):
    """Backward pass of ``conv_transposend``: (dx, dw, db)."""
    x, w, _, stride, padding, output_padding, dilation = check_transpose_args(
        x, w, None, stride, padding, output_padding, groups, dilation, nd
    )
    out_sp = _out_spatial(x, w, stride, padding, output_padding, dilation)
    dout = as_real_array("dout", dout)
    expected = (x.shape[0], w.shape[1] * groups) + out_sp
    if dout.shape != expected:
        raise ValueError(
            tr("dout must have the forward output's shape {expected}, got {got}").format(
                expected=expected, got=dout.shape
            )
        )
    dout = dout.astype(np.result_type(dout, x), copy=False)
    full = _full_shape(x, w, groups, stride, dilation)
    d_full = _uncrop(dout, padding, full)  # the gradient of the crop: zeros where cropped
    zero = (0,) * nd
    dx = conv_fast.grouped_correlate(d_full, w, groups, stride, zero, dilation)
    dw = conv_fast.grouped_weight_grad(x, d_full, w.shape[2:], groups, stride, zero, dilation)
    return dx, dw, dout.sum(axis=(0,) + tuple(range(2, 2 + nd)))


# ---------------------------------------------------------------------------------------
# the two other ways to the same numbers, for the lesson


def conv_transpose2d_naive(
    x, w, b=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1
):
    """The definition as loops: every input pixel stamps ``value * kernel`` onto the output.

    Same arguments, shapes and result as ``conv_transpose2d``. The stamp of input (r, c)
    lands with its top-left corner at (r*s, c*s) of an uncropped canvas, kernel taps d apart;
    stamps that overlap add up; finally p rows and columns are cropped from each side.
    """
    x, w, b, (sh, sw), padding, output_padding, (dh, dw) = check_transpose_args(
        x, w, b, stride, padding, output_padding, groups, dilation, 2
    )
    n, c_in, h, wd = x.shape
    _, c_group, kh, kw = w.shape  # each input channel feeds c_group outputs of its group
    full = _full_shape(x, w, groups, (sh, sw), (dh, dw))
    canvas = np.zeros(full, dtype=np.result_type(x, w))
    span_h, span_w = effective_kernel(kh, dh), effective_kernel(kw, dw)
    for i in range(n):  # every image
        for c in range(c_in):  # every input channel
            group = c // (c_in // groups)
            outs = slice(group * c_group, (group + 1) * c_group)  # the channels it feeds
            for r in range(h):  # every input pixel ...
                for col in range(wd):
                    top, left = r * sh, col * sw  # ... stamps its scaled kernel here
                    canvas[i, outs, top : top + span_h : dh, left : left + span_w : dw] += (
                        x[i, c, r, col] * w[c]
                    )
    out = _crop(canvas, padding, _out_spatial(x, w, (sh, sw), padding, output_padding, (dh, dw)))
    if b is not None:
        out += b.reshape(1, -1, 1, 1)
    return out


def kernel_stamps(x, w, stride=1, dilation=1):
    """The stamp of every input pixel, each on its own uncropped canvas: what
    ``conv_transpose2d_naive`` adds up, one term at a time, for pictures.

    x: (H, W) one channel; w: (KH, KW). Returns (H, W, H_full, W_full) with
    ``stamps[r, c]`` = ``x[r, c] * w`` placed with its top-left corner at (r·s, c·s);
    their sum is ``conv_transpose2d`` with no padding. Computed by ``conv_transpose2d``
    itself on a copy of x that keeps only pixel (r, c).

    >>> kernel_stamps(np.array([[1.0, 2.0]]), np.ones((1, 2)), stride=2)[0, 1]
    array([[0., 0., 2., 2.]])
    """
    x, w = as_real_array("x", x), as_real_array("w", w)
    if x.ndim != 2 or w.ndim != 2:
        raise ValueError(
            tr("kernel_stamps takes a 2D x and a 2D w, got {x} and {w}").format(
                x=x.shape, w=w.shape
            )
        )
    one = np.zeros_like(x, dtype=float)
    rows = []
    for r in range(x.shape[0]):
        row = []
        for c in range(x.shape[1]):
            one[:] = 0
            one[r, c] = x[r, c]
            row.append(
                conv_transpose2d(one[None, None], w[None, None], stride=stride, dilation=dilation)[
                    0, 0
                ]
            )
        rows.append(row)
    return np.array(rows)


def zero_stuff(x, stride):
    """Put ``stride - 1`` zeros between neighbouring values along every spatial axis.

    x: (N, C, *S) -> (N, C, *((S - 1) * stride + 1)).

    >>> zero_stuff(np.array([[[1.0, 2.0, 3.0]]]), 2)[0, 0]
    array([1., 0., 2., 0., 3.])
    """
    x = np.asarray(x)
    nd = x.ndim - 2
    stride = as_tuple("stride", stride, nd, 1)
    out = np.zeros(
        x.shape[:2] + tuple((m - 1) * s + 1 for m, s in zip(x.shape[2:], stride)), dtype=x.dtype
    )
    out[(slice(None), slice(None)) + tuple(slice(None, None, s) for s in stride)] = x
    return out


def stuffed_input(x, kernel_size, stride=1, padding=0, output_padding=0, dilation=1):
    """What ``conv_transpose_by_zero_stuffing`` convolves: x with s - 1 zeros between its
    pixels, padded by d(f-1) - p on each side and output_padding more on the far side
    (where d(f-1) - p is negative, cropped instead).

    x: (N, C, *S); kernel_size and the rest: int or one per spatial axis.
    Returns (N, C, *((S - 1)s + 1 + 2(d(f-1) - p) + output_padding)).

    >>> stuffed_input(np.ones((1, 1, 2)), 3, stride=2)[0, 0]   # 2 zeros, 1 0 1, 2 zeros
    array([0., 0., 1., 0., 1., 0., 0.])
    """
    x = np.asarray(x)
    nd = x.ndim - 2
    f = as_tuple("kernel_size", kernel_size, nd, 1)
    stride, padding = as_tuple("stride", stride, nd, 1), as_tuple("padding", padding, nd, 0)
    output_padding = as_tuple("output_padding", output_padding, nd, 0)
    dilation = as_tuple("dilation", dilation, nd, 1)
    stuffed = zero_stuff(x, stride)
    lead = [effective_kernel(k, d) - 1 - p for k, d, p in zip(f, dilation, padding)]
    tail = [lo + op for lo, op in zip(lead, output_padding)]
    # pad where lead/tail are positive, crop where negative
    grow = [(max(lo, 0), max(hi, 0)) for lo, hi in zip(lead, tail)]
    stuffed = np.pad(stuffed, [(0, 0), (0, 0)] + grow)
    cut = tuple(
        slice(max(-lo, 0), stuffed.shape[2 + i] - max(-hi, 0))
        for i, (lo, hi) in enumerate(zip(lead, tail))
    )
    return stuffed[(slice(None), slice(None)) + cut]


def flipped_kernel(w, groups=1):
    """A transposed conv's weight (C_in, C_out/g, *K) as the ordinary convolution's weight
    of the zero-stuffing way: (C_out, C_in/g, *K), flipped in space, channels swapped per
    group."""
    w = np.asarray(w)
    per = w.shape[0] // groups
    return np.concatenate(
        [
            np.flip(w[g * per : (g + 1) * per], axis=tuple(range(2, w.ndim))).swapaxes(0, 1)
            for g in range(groups)
        ],
        axis=0,
    )


def conv_transpose_by_zero_stuffing(
    x, w, b=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1
):
    """Transposed convolution as an ordinary convolution (any number of spatial axes).

    Zero-stuff x by the stride, pad each side by d(f-1) - p (and the far side by
    output_padding more): :func:`stuffed_input`; then convolve at stride 1 with the kernel
    flipped in space and its channel axes swapped: :func:`flipped_kernel`. Same result as
    ``conv_transpose2d``; this is how some libraries implement it, and why it costs more
    (most of the multiplications meet the stuffed zeros).
    """
    nd = np.ndim(x) - 2
    x, w, b, stride, padding, output_padding, dilation = check_transpose_args(
        x, w, b, stride, padding, output_padding, groups, dilation, nd
    )
    stuffed = stuffed_input(x, w.shape[2:], stride, padding, output_padding, dilation)
    conv = conv2d if nd == 2 else (lambda *a, **k: convnd(*a, **k, nd=nd))
    return conv(
        stuffed, flipped_kernel(w, groups), b, stride=1, padding=0, dilation=dilation, groups=groups
    )


def conv_transpose_by_conv_backward(
    x, w, b=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1
):
    """Transposed convolution as a convolution's input gradient (any number of spatial axes).

    The convolution with the same w, s, p, d maps an image of the transposed output's size
    to x's size; feed x to its backward pass as the upstream gradient and its dx is the
    transposed convolution. Needs output_padding < stride (else that convolution would not
    map the output's size back to x's). Same result as ``conv_transpose2d``.
    """
    nd = np.ndim(x) - 2
    x, w, b, stride, padding, output_padding, dilation = check_transpose_args(
        x, w, b, stride, padding, output_padding, groups, dilation, nd
    )
    if any(op >= s for op, s in zip(output_padding, stride)):
        raise ValueError(
            tr(
                "output_padding {output_padding} must be smaller than the stride {stride} here: "
                "the convolution would not map the output's size back to the input's"
            ).format(output_padding=output_padding, stride=stride)
        )
    out_sp = _out_spatial(x, w, stride, padding, output_padding, dilation)
    image = np.zeros((x.shape[0], w.shape[1] * groups) + out_sp, dtype=x.dtype)
    dx, _, _ = convnd_backward(x, image, w, stride, padding, dilation, groups, nd=nd)
    if b is not None:
        dx += b.reshape((1, -1) + (1,) * nd)
    return dx


def contributing_inputs(position, n, f, s=1, p=0, d=1, output_padding=0) -> set:
    """The input positions whose stamps reach output ``position`` of a transposed conv.

    position: an int (1D) or a tuple (row, col, ...); n, f, s, p, d, output_padding: input
    size, kernel, stride, padding, dilation, output padding, each an int or one per axis. Input i stamps its kernel at
    i·s + j·d (j = 0..f-1) of the uncropped output, so output o (at o + p there) hears from
    every i with ``o + p - i·s`` a multiple of d between 0 and d(f-1). Returns a set of ints
    (1D) or of tuples, the product of the per-axis sets (empty where stride gaps leave a
    pixel no stamp reaches).

    >>> sorted(contributing_inputs(3, n=4, f=3, s=2, p=1))   # o + p = 4 = 1·2 + 2 = 2·2 + 0
    [1, 2]
    >>> sorted(contributing_inputs((3, 4), n=4, f=3, s=2, p=1))
    [(1, 2), (2, 2)]
    """
    one = not isinstance(position, (tuple, list))
    pos = (position,) if one else tuple(position)
    nd = len(pos)
    sizes = [
        as_tuple(name, v, nd, lo)
        for name, v, lo in (
            ("input size n", n, 1),
            ("kernel size f", f, 1),
            ("stride s", s, 1),
            ("padding p", p, 0),
            ("dilation d", d, 1),
            ("output_padding", output_padding, 0),
        )
    ]
    per_axis = []
    for o, ni, fi, si, pi, di, op in zip(pos, *sizes):
        out = conv_transpose_output_size(ni, fi, pi, si, di, op)
        o = check_int("output position", o, 0)
        if o >= out:
            raise ValueError(
                tr("output position {o} is outside the output of size {out}").format(o=o, out=out)
            )
        per_axis.append(
            [
                i
                for i in range(ni)
                if 0 <= o + pi - i * si <= di * (fi - 1) and (o + pi - i * si) % di == 0
            ]
        )
    if one:
        return set(per_axis[0])
    return set(itertools.product(*per_axis))


# ---------------------------------------------------------------------------------------
# shapes and checks


def _out_spatial(x, w, stride, padding, output_padding, dilation):
    return tuple(
        conv_transpose_output_size(m, k, p, s, d, op)
        for m, k, p, s, d, op in zip(
            x.shape[2:], w.shape[2:], padding, stride, dilation, output_padding
        )
    )


def _full_shape(x, w, groups, stride, dilation):
    """(N, C_out, *full): the uncropped output, (n - 1)s + d(f-1) + 1 per axis."""
    full = tuple(
        (m - 1) * s + effective_kernel(k, d)
        for m, k, s, d in zip(x.shape[2:], w.shape[2:], stride, dilation)
    )
    return (x.shape[0], w.shape[1] * groups) + full


def _crop(full, padding, out_sp):
    """Crop p from the start of each axis and keep out_sp (zeros past the end: the rows
    output_padding adds beyond every stamp)."""
    out = np.zeros(full.shape[:2] + tuple(out_sp), dtype=full.dtype)
    src = tuple(slice(p, min(p + o, m)) for p, o, m in zip(padding, out_sp, full.shape[2:]))
    dst = tuple(slice(0, s.stop - s.start) for s in src)
    out[(slice(None), slice(None)) + dst] = full[(slice(None), slice(None)) + src]
    return out


def _uncrop(dout, padding, full_shape):
    """The gradient of ``_crop``: dout placed back into the uncropped frame."""
    d_full = np.zeros(full_shape, dtype=dout.dtype)
    src = tuple(slice(0, min(o, m - p)) for p, o, m in zip(padding, dout.shape[2:], full_shape[2:]))
    dst = tuple(slice(p, p + s.stop) for p, s in zip(padding, src))
    d_full[(slice(None), slice(None)) + dst] = dout[(slice(None), slice(None)) + src]
    return d_full


def check_transpose_args(x, w, b, stride, padding, output_padding, groups, dilation, nd):
    """Validate and normalise transposed-conv arguments; ValueError with an actionable message."""
    x, w = as_real_array("x", x), as_real_array("w", w)
    for name, arr, layout in (("x", x, "(N, C_in, *S)"), ("w", w, "(C_in, C_out/groups, *K)")):
        check_rank(f"conv_transpose{nd}d", name, arr, nd, layout)
    if 0 in x.shape or 0 in w.shape:
        raise ValueError(
            tr("sizes must be positive, got x {x} and w {w}").format(x=x.shape, w=w.shape)
        )
    groups = check_int("groups", groups, 1)
    if w.shape[0] != x.shape[1]:
        raise ValueError(
            tr(
                "channel mismatch: x has C_in={c_in} channels but w is (C_in, C_out/groups, ...) "
                "= {shape}, for {w_in} input channels (a transposed conv's weight lists input "
                "channels first, unlike conv2d's)"
            ).format(c_in=x.shape[1], shape=w.shape, w_in=w.shape[0])
        )
    if x.shape[1] % groups:
        raise ValueError(
            tr("groups={groups} must divide C_in={c_in}").format(groups=groups, c_in=x.shape[1])
        )
    x = x if x.dtype.kind == "f" else x.astype(np.float64)
    w = w if w.dtype.kind == "f" else w.astype(np.float64)
    if b is not None:
        b = as_real_array("bias", b)
        if b.shape != (w.shape[1] * groups,):
            raise ValueError(
                tr(
                    "bias must have shape (C_out,) = ({c_out},), one per output channel, got {got}"
                ).format(c_out=w.shape[1] * groups, got=b.shape)
            )
    stride = as_tuple("stride", stride, nd, 1)
    padding = as_tuple("padding", padding, nd, 0)
    output_padding = as_tuple("output_padding", output_padding, nd, 0)
    dilation = as_tuple("dilation", dilation, nd, 1)
    out_sp = _out_spatial(x, w, stride, padding, output_padding, dilation)  # raises if invalid
    full = _full_shape(x, w, groups, stride, dilation)
    check_memory(
        lambda: f"conv_transpose{nd}d of x {x.shape} with w {w.shape}",
        8 * (3 * math.prod(full) + x.size * math.prod(w.shape[2:]) + math.prod(out_sp)),
        lambda: tr("use a smaller input, batch or number of channels"),
    )
    return x, w, b, stride, padding, output_padding, dilation
