"""Convolution in NumPy: the reference the course computes with (lessons 02-12).

Layouts follow PyTorch so results compare element by element:
``x`` is (N, C_in, *spatial), ``w`` is (C_out, C_in, *kernel), ``b`` is (C_out,).
Like PyTorch (and every deep-learning library) this is *cross-correlation*: the kernel
is not flipped. One N-dimensional core serves 1D, 2D and 3D.

Read this module top to bottom:

1. ``conv2d_naive``: the definition, as plain loops (every step visible, slow).
2. ``im2col`` / ``correlate_im2col``: every output position needs the input patch under the
   kernel. ``sliding_window_view`` exposes all patches as a view; copying them into the
   columns of one matrix lets one ``matmul`` multiply every patch with every filter.
3. ``col2im`` / ``correlate_im2col_backward``: the backward pass runs the same idea in
   reverse. dw is the same patch matrix times dout; dx sends every patch's share back to
   where the patch came from, and overlapping patches add up.

``conv2d``, ``conv2d_backward`` (and 1D/3D) check their arguments and then compute exactly
these sums with the speed strategies of ``cnnlab.conv_fast`` (chunks of images, tap loops,
a transposed dx), as CS231n keeps ``fast_layers.py`` beside ``layers.py``; tests compare the
three (loops, plain im2col, fast) with each other and with PyTorch.
"""

from __future__ import annotations

import numpy as np

from . import conv_fast
from .arith import CONV_FORMULA, conv_output_size, effective_kernel
from .i18n import tr
from .validate import as_real_array, as_tuple, check_int, check_memory
from .windows import out_shape, pad, tap_slices, windows


def conv2d(x, w, b=None, stride=1, padding=0, dilation=1, groups=1):
    """2D convolution (cross-correlation), vectorised.

    x: (N, C_in, H, W); w: (C_out, C_in / groups, KH, KW); b: (C_out,) or None.
    stride, padding, dilation: int or (h, w) pair. groups: the channels split into that
    many independent convolutions (``groups = C_in``: depthwise, one filter per channel).
    Returns (N, C_out, H_out, W_out) with
    ``H_out = floor((H + 2p - d(KH-1) - 1)/s) + 1``.

    >>> x = np.arange(36.0).reshape(1, 1, 6, 6); w = np.ones((1, 1, 3, 3))
    >>> conv2d(x, w).shape
    (1, 1, 4, 4)
    >>> conv2d(np.ones((1, 4, 5, 5)), np.ones((4, 1, 3, 3)), groups=4).shape  # depthwise
    (1, 4, 3, 3)
    """
    return convnd(x, w, b, stride, padding, dilation, groups, nd=2)


def conv1d(x, w, b=None, stride=1, padding=0, dilation=1, groups=1):
    """1D convolution. x: (N, C_in, L); w: (C_out, C_in / groups, K) -> (N, C_out, L_out)."""
    return convnd(x, w, b, stride, padding, dilation, groups, nd=1)


def conv3d(x, w, b=None, stride=1, padding=0, dilation=1, groups=1):
    """3D convolution. x: (N, C_in, D, H, W); w: (C_out, C_in / groups, KD, KH, KW)
    -> (N, C_out, D_out, H_out, W_out)."""
    return convnd(x, w, b, stride, padding, dilation, groups, nd=3)


def convnd(x, w, b=None, stride=1, padding=0, dilation=1, groups=1, *, nd=2):
    """N-dimensional convolution: x (N, C_in, *S), w (C_out, C_in / groups, *K)
    -> (N, C_out, *S_out)."""
    x, w, b, stride, padding, dilation = check_conv_args(
        x, w, b, stride, padding, dilation, nd, groups
    )
    out = conv_fast.grouped_correlate(x, w, groups, stride, padding, dilation)
    if b is not None:
        out += b.reshape((1, -1) + (1,) * nd)
    return out


def conv2d_backward(dout, x, w, stride=1, padding=0, dilation=1, groups=1):
    """Gradients of ``conv2d`` with respect to its input, weights and bias.

    dout: (N, C_out, H_out, W_out), the upstream gradient dL/d(out).
    Returns (dx, dw, db) with shapes (N, C_in, H, W), (C_out, C_in / groups, KH, KW), (C_out,).
    """
    return convnd_backward(dout, x, w, stride, padding, dilation, groups, nd=2)


def conv1d_backward(dout, x, w, stride=1, padding=0, dilation=1, groups=1):
    """Gradients of ``conv1d``: returns (dx, dw, db)."""
    return convnd_backward(dout, x, w, stride, padding, dilation, groups, nd=1)


def conv3d_backward(dout, x, w, stride=1, padding=0, dilation=1, groups=1):
    """Gradients of ``conv3d``: returns (dx, dw, db)."""
    return convnd_backward(dout, x, w, stride, padding, dilation, groups, nd=3)


def convnd_backward(dout, x, w, stride=1, padding=0, dilation=1, groups=1, *, nd=2):
    """Backward pass of ``convnd``.

    - db: sum of dout over the batch and every position.
    - dw: each weight met every input value under it once per output position, so
      dw = sum over positions of dout * patch (the same im2col product as forward).
    - dx: each input value fed every output whose window covered it, through the weight
      that window used: w^T @ dout gives every patch's share (the reverse of im2col), and
      adding each share back where its patch came from ("col2im") sums them up.
    With groups, each group of channels is its own convolution, so each has its own
    gradients, side by side.
    """
    x, w, _, stride, padding, dilation = check_conv_args(
        x, w, None, stride, padding, dilation, nd, groups
    )
    dout = as_real_array("dout", dout)
    expected = (x.shape[0], w.shape[0]) + out_shape(
        x.shape[2:], w.shape[2:], stride, padding, dilation
    )
    if dout.shape != expected:
        raise ValueError(
            tr("dout must have the forward output's shape {expected}, got {got}").format(
                expected=expected, got=dout.shape
            )
        )
    dout = dout.astype(np.result_type(dout, x), copy=False)
    db = dout.sum(axis=(0,) + tuple(range(2, 2 + nd)))
    # the same sums as correlate_im2col_backward below, organised for speed (conv_fast)
    dx, dw = conv_fast.grouped_backward(dout, x, w, groups, stride, padding, dilation)
    return dx, dw, db


def conv2d_naive(x, w, b=None, stride=1, padding=0, dilation=1, groups=1):
    """The definition of 2D convolution as plain loops: slow, but every step is visible.

    Same arguments, shapes and result as ``conv2d``.
    """
    x, w, b, (sh, sw), (ph, pw), (dh, dw) = check_conv_args(
        x, w, b, stride, padding, dilation, 2, groups
    )
    n, c_in, h, wd = x.shape
    c_out, c_group, kh, kw = w.shape  # each filter sees c_group = C_in / groups channels
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    h_out, w_out = conv_output_size(h, kh, ph, sh, dh), conv_output_size(wd, kw, pw, sw, dw)
    span_h, span_w = effective_kernel(kh, dh), effective_kernel(kw, dw)
    out = np.zeros((n, c_out, h_out, w_out), dtype=np.result_type(x, w))
    for i in range(n):  # every image
        for f in range(c_out):  # every filter
            first = (f // (c_out // groups)) * c_group  # the first channel of f's group
            for r in range(h_out):  # every output row
                for c in range(w_out):  # every output column
                    top, left = r * sh, c * sw  # where the window starts
                    patch = xp[
                        i,
                        first : first + c_group,
                        top : top + span_h : dh,
                        left : left + span_w : dw,
                    ]
                    out[i, f, r, c] = np.sum(patch * w[f])  # the dot product
                    if b is not None:
                        out[i, f, r, c] += b[f]
    return out


def im2col(xp, kernel, stride=1, dilation=1):
    """The patch matrix of each image: (N, C, *S) -> (N, C*prod(K), prod(S_out)).

    xp: the input, already padded; kernel: the kernel's spatial shape K. Column ``o`` of
    image ``i`` holds the patch that output position ``o`` sees, in w's (C_in, *K) order, so
    ``w.reshape(C_out, -1) @ im2col(...)`` is the convolution of every image at once.

    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> im2col(x, (3, 3)).shape                     # 9 values per patch, 2x2 patches
    (1, 9, 4)
    """
    nd = len(kernel)
    stride, dilation = as_tuple("stride", stride, nd, 1), as_tuple("dilation", dilation, nd, 1)
    win = windows(xp, kernel, stride, dilation)  # (N, C, *S_out, *K), a view
    order = (0, 1) + tuple(range(2 + nd, 2 + 2 * nd)) + tuple(range(2, 2 + nd))
    return win.transpose(order).reshape(xp.shape[0], xp.shape[1] * int(np.prod(kernel)), -1)


def col2im(cols, x_shape, kernel, stride=1, padding=0, dilation=1):
    """The reverse of im2col: add every patch's values back where the patch came from.

    cols: (N, C*prod(K), prod(S_out)); x_shape: (N, C, *S), the unpadded input's shape.
    Returns (N, C, *S): overlapping patches add up, and the padding's share is dropped.
    """
    nd = len(kernel)
    stride, dilation = as_tuple("stride", stride, nd, 1), as_tuple("dilation", dilation, nd, 1)
    padding = as_tuple("padding", padding, nd, 0)
    n, c = x_shape[:2]
    out_sp = out_shape(x_shape[2:], kernel, stride, padding, dilation)
    patches = cols.reshape((n, c) + tuple(kernel) + out_sp)
    xp = np.zeros((n, c) + tuple(m + 2 * p for m, p in zip(x_shape[2:], padding)), cols.dtype)
    for j, sl in tap_slices(kernel, stride, dilation, out_sp):  # one kernel tap at a time
        xp[(slice(None), slice(None)) + sl] += patches[(slice(None), slice(None)) + j]
    inside = tuple(slice(p, p + m) for p, m in zip(padding, x_shape[2:]))
    return xp[(slice(None), slice(None)) + inside]


def correlate_im2col(x, w, stride, padding, dilation):
    """Cross-correlation as one matrix product: (N, C_in, *S) -> (N, C_out, *S_out).

    The plain im2col version (the whole batch's patch matrix at once); ``conv2d`` computes
    the same with conv_fast. Arguments as ``check_conv_args`` returns them.
    """
    cols = im2col(pad(x, padding), w.shape[2:], stride, dilation)  # (N, C_in*prod(K), P)
    out = w.reshape(w.shape[0], -1) @ cols  # (C_out, C_in*prod(K)) @ -> (N, C_out, P)
    return out.reshape(
        x.shape[:1] + w.shape[:1] + out_shape(x.shape[2:], w.shape[2:], stride, padding, dilation)
    )


def correlate_im2col_backward(dout, x, w, stride, padding, dilation):
    """Gradients of ``correlate_im2col``: returns (dx, dw) of shapes x.shape and w.shape.

    dw: every weight met the input under it once per output position, so
    ``dw = sum over images of dout @ patches^T``. dx: ``w^T @ dout`` is what each value of
    each patch receives; col2im adds the shares back where the patches came from.
    """
    n, c_out = dout.shape[:2]
    d_mat = dout.reshape(n, c_out, -1)  # (N, C_out, P)
    cols = im2col(pad(x, padding), w.shape[2:], stride, dilation)  # (N, C_in*prod(K), P)
    dw = (d_mat @ cols.transpose(0, 2, 1)).sum(axis=0).reshape(w.shape)
    shares = w.reshape(c_out, -1).T @ d_mat  # (N, C_in*prod(K), P)
    dx = col2im(shares, x.shape, w.shape[2:], stride, padding, dilation)
    return dx, dw


def check_conv_args(x, w, b, stride, padding, dilation, nd, groups=1):
    """Validate and normalise conv arguments; raise ValueError with an actionable message.

    Returns (x, w, b, stride, padding, dilation): floating arrays and per-axis tuples.
    """
    x, w = as_real_array("x", x), as_real_array("w", w)
    _check_layouts(x, w, nd)
    _check_channels(x, w, check_int("groups", groups, 1))
    x = x if x.dtype.kind == "f" else x.astype(np.float64)  # ints become floats
    w = w if w.dtype.kind == "f" else w.astype(np.float64)
    if b is not None:
        b = as_real_array("bias", b)
        if b.shape != (w.shape[0],):
            raise ValueError(
                tr("bias must have shape (C_out,) = ({c_out},), one per filter, got {got}").format(
                    c_out=w.shape[0], got=b.shape
                )
            )
    stride = as_tuple("stride", stride, nd, 1)
    padding = as_tuple("padding", padding, nd, 0)
    dilation = as_tuple("dilation", dilation, nd, 1)
    _check_spans(x.shape[2:], w.shape[2:], padding, dilation)
    check_memory(
        lambda: f"conv{nd}d of x {x.shape} with w {w.shape} (padding {padding})",
        conv_fast.workspace_bytes(x.shape, w.shape, stride, padding, dilation, 8),
        lambda: tr("use a smaller input, batch, padding or number of filters"),
    )
    return x, w, b, stride, padding, dilation


def _check_layouts(x, w, nd):
    """x is (N, C, *S) and w (C_out, C_in/groups, *K) with nd spatial axes, none empty."""
    layouts = {
        "x": {1: "(N, C, L)", 2: "(N, C, H, W)", 3: "(N, C, D, H, W)"},
        "w": {1: "(C_out, C_in, K)", 2: "(C_out, C_in, KH, KW)", 3: "(C_out, C_in, KD, KH, KW)"},
    }
    for name, arr in (("x", x), ("w", w)):
        check_rank(f"conv{nd}d", name, arr, nd, layouts[name].get(nd, "(...)"))
    if 0 in x.shape or 0 in w.shape:
        raise ValueError(
            tr("sizes must be positive, got x {x} and w {w}").format(x=x.shape, w=w.shape)
        )


def check_rank(op: str, name: str, arr, nd: int, layout: str) -> None:
    """``arr`` has the nd + 2 axes of ``layout``, or a ValueError naming ``op`` and ``name``
    (with a hint when x only lacks its batch axis). Used by conv and conv_transpose."""
    if arr.ndim != nd + 2:
        batch = name == "x" and arr.ndim == nd + 1
        hint = tr(" (add a batch axis with x[None])") if batch else ""
        raise ValueError(
            tr(
                "{op} expects {name} of shape {layout} ({dims} dims), got {ndim} dims with "
                "shape {shape}{hint}"
            ).format(
                op=op,
                name=name,
                layout=layout,
                dims=nd + 2,
                ndim=arr.ndim,
                shape=arr.shape,
                hint=hint,
            )
        )


def _check_channels(x, w, groups):
    """Each of the groups convolves C_in/groups channels into C_out/groups."""
    if x.shape[1] % groups or w.shape[0] % groups:
        raise ValueError(
            tr(
                "groups={groups} must divide both C_in={c_in} and C_out={c_out}: each group "
                "convolves C_in/groups channels into C_out/groups"
            ).format(groups=groups, c_in=x.shape[1], c_out=w.shape[0])
        )
    if w.shape[1] * groups != x.shape[1]:
        per = (
            f"C_in/groups = {x.shape[1]}/{groups} = {x.shape[1] // groups}"
            if groups > 1
            else f"C_in={x.shape[1]}"
        )
        raise ValueError(
            tr(
                "channel mismatch: x has C_in={c_in} channels but w expects {expects} (w is "
                "(C_out, C_in/groups, ...) = {shape}, groups={groups}); a filter must be as "
                "deep as the channels it sees: {per}"
            ).format(c_in=x.shape[1], expects=w.shape[1], shape=w.shape, groups=groups, per=per)
        )


def _check_spans(spatial, kernel, padding, dilation):
    """The kernel's span fits in the padded input along every axis."""
    for axis, (n, k, p, d) in enumerate(zip(spatial, kernel, padding, dilation)):
        span = effective_kernel(k, d)
        if span > n + 2 * p:
            raise ValueError(
                tr(
                    "conv output size along spatial axis {axis} is not positive: input {n} "
                    "padded by {p} is {padded}, smaller than the kernel span d(f-1)+1 = {span} "
                    "(f={f}, d={d}); use padding >= {need} or a smaller kernel/dilation. "
                    "Formula: {formula}"
                ).format(
                    axis=axis,
                    n=n,
                    p=p,
                    padded=n + 2 * p,
                    span=span,
                    f=k,
                    d=d,
                    need=-(-(span - n) // 2),
                    formula=CONV_FORMULA,
                )
            )
