"""Convolution in NumPy: the reference the course computes with.

Layouts follow PyTorch so results compare element by element:
``x`` is (N, C_in, *spatial), ``w`` is (C_out, C_in, *kernel), ``b`` is (C_out,).
Like PyTorch (and every deep-learning library) this is *cross-correlation*: the kernel
is not flipped. One N-dimensional core serves 1D, 2D and 3D.

How the fast version works (im2col): every output position needs the input patch under
the kernel. ``sliding_window_view`` exposes all patches as a view without copying; one
``matmul`` then multiplies every patch with every filter (deep inputs at stride 1 use shifted
products instead; see ``_correlate``).
``conv2d_naive`` computes the same thing with the plain loops of the definition.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .arith import CONV_FORMULA, as_tuple, effective_kernel


def conv2d(x, w, b=None, stride=1, padding=0, dilation=1):
    """2D convolution (cross-correlation), vectorised.

    x: (N, C_in, H, W); w: (C_out, C_in, KH, KW); b: (C_out,) or None.
    stride, padding, dilation: int or (h, w) pair.
    Returns (N, C_out, H_out, W_out) with
    ``H_out = floor((H + 2p - d(KH-1) - 1)/s) + 1``.

    >>> x = np.arange(36.0).reshape(1, 1, 6, 6); w = np.ones((1, 1, 3, 3))
    >>> conv2d(x, w).shape
    (1, 1, 4, 4)
    """
    return convnd(x, w, b, stride, padding, dilation, nd=2)


def conv1d(x, w, b=None, stride=1, padding=0, dilation=1):
    """1D convolution. x: (N, C_in, L); w: (C_out, C_in, K) -> (N, C_out, L_out)."""
    return convnd(x, w, b, stride, padding, dilation, nd=1)


def conv3d(x, w, b=None, stride=1, padding=0, dilation=1):
    """3D convolution. x: (N, C_in, D, H, W); w: (C_out, C_in, KD, KH, KW)
    -> (N, C_out, D_out, H_out, W_out)."""
    return convnd(x, w, b, stride, padding, dilation, nd=3)


def convnd(x, w, b=None, stride=1, padding=0, dilation=1, *, nd=2):
    """N-dimensional convolution: x (N, C_in, *S), w (C_out, C_in, *K) -> (N, C_out, *S_out)."""
    x, w, b, stride, padding, dilation = _check_conv_args(x, w, b, stride, padding, dilation, nd)
    xp = _pad(x, padding)
    out = _correlate(xp, w, stride, dilation)
    if b is not None:
        out += b.reshape((1, -1) + (1,) * nd)
    return out


def conv2d_backward(dout, x, w, stride=1, padding=0, dilation=1):
    """Gradients of ``conv2d`` with respect to its input, weights and bias.

    dout: (N, C_out, H_out, W_out), the upstream gradient dL/d(out).
    Returns (dx, dw, db) with shapes (N, C_in, H, W), (C_out, C_in, KH, KW), (C_out,).
    """
    return convnd_backward(dout, x, w, stride, padding, dilation, nd=2)


def conv1d_backward(dout, x, w, stride=1, padding=0, dilation=1):
    """Gradients of ``conv1d``: returns (dx, dw, db)."""
    return convnd_backward(dout, x, w, stride, padding, dilation, nd=1)


def conv3d_backward(dout, x, w, stride=1, padding=0, dilation=1):
    """Gradients of ``conv3d``: returns (dx, dw, db)."""
    return convnd_backward(dout, x, w, stride, padding, dilation, nd=3)


def convnd_backward(dout, x, w, stride=1, padding=0, dilation=1, *, nd=2):
    """Backward pass of ``convnd``.

    - db: sum of dout over the batch and every position.
    - dw: each weight met every input value under it once per output position, so
      dw = sum over positions of dout * patch (the same im2col product as forward).
    - dx: each input value fed every output whose window covered it: a "full"
      correlation of dout (spread out by the stride) with the flipped kernel, i.e. a
      transposed convolution, computed with the same core as the forward pass.
    """
    x, w, _, stride, padding, dilation = _check_conv_args(x, w, None, stride, padding, dilation, nd)
    dout = np.asarray(dout)
    xp = _pad(x, padding)
    expected = (x.shape[0], w.shape[0]) + tuple(
        (m - effective_kernel(k, d)) // s + 1
        for m, k, d, s in zip(xp.shape[2:], w.shape[2:], dilation, stride)
    )
    if dout.shape != expected:
        raise ValueError(f"dout must have the forward output's shape {expected}, got {dout.shape}")
    dout = dout.astype(np.result_type(dout, x), copy=False)
    spatial = tuple(range(2, 2 + nd))
    db = dout.sum(axis=(0,) + spatial)
    dw = _weight_grad(dout, xp, w.shape[2:], stride, dilation)

    # dx: spread dout by the stride, pad by the kernel span - 1, correlate with the
    # kernel flipped in space and with in/out channels swapped.
    spans = [effective_kernel(k, d) for k, d in zip(w.shape[2:], dilation)]
    n = dout.shape[0]
    spread = np.zeros(
        (n, w.shape[0]) + tuple((o - 1) * s + 1 for o, s in zip(dout.shape[2:], stride)),
        dtype=dout.dtype,
    )
    spread[(slice(None), slice(None)) + tuple(slice(None, None, s) for s in stride)] = dout
    w_flip = np.flip(w, axis=spatial).swapaxes(0, 1)
    dxp_core = _correlate(_pad(spread, [sp - 1 for sp in spans]), w_flip, (1,) * nd, dilation)
    # Rows the forward windows never reached (when the stride does not divide evenly) get 0.
    dxp = np.zeros(xp.shape, dtype=dxp_core.dtype)
    dxp[(slice(None), slice(None)) + tuple(slice(0, m) for m in dxp_core.shape[2:])] = dxp_core
    dx = dxp[
        (slice(None), slice(None)) + tuple(slice(p, p + m) for p, m in zip(padding, x.shape[2:]))
    ]
    return np.ascontiguousarray(dx), dw, db


def conv2d_naive(x, w, b=None, stride=1, padding=0, dilation=1):
    """The definition of 2D convolution as plain loops: slow, but every step is visible.

    Same arguments, shapes and result as ``conv2d``.
    """
    x, w, b, (sh, sw), (ph, pw), (dh, dw) = _check_conv_args(x, w, b, stride, padding, dilation, 2)
    n, c_in, h, wd = x.shape
    c_out, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    h_out = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    w_out = (wd + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((n, c_out, h_out, w_out), dtype=np.result_type(x, w))
    for i in range(n):  # every image
        for f in range(c_out):  # every filter
            for r in range(h_out):  # every output row
                for c in range(w_out):  # every output column
                    top, left = r * sh, c * sw  # where the window starts
                    patch = xp[
                        i,
                        :,
                        top : top + dh * (kh - 1) + 1 : dh,
                        left : left + dw * (kw - 1) + 1 : dw,
                    ]
                    out[i, f, r, c] = np.sum(patch * w[f])  # the dot product
                    if b is not None:
                        out[i, f, r, c] += b[f]
    return out


# ---------------------------------------------------------------------------------------
# the core shared by forward and backward


def _pad(x, padding):
    """Zero-pad every spatial axis of (N, C, *S) by ``padding[i]`` on both sides."""
    if not any(padding):
        return x
    return np.pad(x, [(0, 0), (0, 0)] + [(p, p) for p in padding])


def _windows(xp, kernel, stride, dilation):
    """All kernel-sized patches of a padded input, as a view.

    xp: (N, C, *S) -> (N, C, *S_out, *K), where [..., o, k] = xp[..., o*s + k*d].
    """
    nd = len(kernel)
    spans = [effective_kernel(k, d) for k, d in zip(kernel, dilation)]
    win = sliding_window_view(xp, spans, axis=tuple(range(2, 2 + nd)))
    index = (slice(None), slice(None))
    index += tuple(slice(None, None, s) for s in stride)
    index += tuple(slice(None, None, d) for d in dilation)
    return win[index]


def _correlate(xp, w, stride, dilation):
    """Cross-correlate an already padded input with w: (N, C_in, *S) -> (N, C_out, *S_out).

    Two ways to the same sum (tests compare both with PyTorch): im2col, one big patch
    matrix and one matrix product, is the faster; when that matrix would be huge, stride-1
    layers use shifted matrix products instead, which need no more memory than the input.
    """
    if _use_shifted(stride, _patch_bytes(xp, w.shape[2:], stride, dilation)):
        return _correlate_shifted(xp, w, dilation)
    return _correlate_im2col(xp, w, stride, dilation)


IM2COL_MAX_BYTES = 512 * 2**20  # above this the patch matrix costs more memory than it saves time


def _use_shifted(stride, patch_bytes):
    return patch_bytes > IM2COL_MAX_BYTES and all(s == 1 for s in stride)


def _patch_bytes(xp, kernel, stride, dilation):
    """Size of im2col's patch matrix: N * C_in * prod(K) * prod(S_out) values."""
    out = [(m - effective_kernel(k, d)) // s + 1
           for m, k, d, s in zip(xp.shape[2:], kernel, dilation, stride)]
    return xp.shape[0] * xp.shape[1] * int(np.prod(kernel)) * int(np.prod(out)) * xp.itemsize


def _correlate_im2col(xp, w, stride, dilation):
    """im2col: copy every patch into a column of one matrix, then one matrix product.

    (N, C_in, *S) -> (N, C_out, *S_out): w reshaped to (C_out, C_in*prod(K)) times the
    patch matrix of each image, which comes out already in PyTorch's channels-first layout.
    """
    cols, out_sp = _im2col(xp, w.shape[2:], stride, dilation)
    out = np.matmul(w.reshape(w.shape[0], -1), cols)  # (N, C_out, prod(S_out))
    return out.reshape((xp.shape[0], w.shape[0]) + out_sp)


def _im2col(xp, kernel, stride, dilation):
    """Patch matrix of each image: (N, C, *S) -> ((N, C*prod(K), prod(S_out)), S_out).

    Rows follow w's (C_in, *K) order; output positions are the innermost axis, so the
    copy reads whole rows of the image at a time.
    """
    nd = len(kernel)
    win = _windows(xp, kernel, stride, dilation)  # (N, C, *S_out, *K), a view
    out_sp = win.shape[2 : 2 + nd]
    order = (0, 1) + tuple(range(2 + nd, 2 + 2 * nd)) + tuple(range(2, 2 + nd))
    cols = win.transpose(order).reshape(xp.shape[0], -1, int(np.prod(out_sp)))  # the copy
    return cols, tuple(out_sp)


def _flat_channels_last(xp, max_offset):
    """(N, C, *S) -> (N*prod(S) + max_offset, C): every position a row, zero rows at the end.

    In this layout, moving the kernel by offset (i, j) is moving by i*W + j rows, so the
    input "shifted under kernel tap (i, j)" is a contiguous slice of rows, not a copy.
    """
    c = xp.shape[1]
    flat = np.zeros((xp.size // c + max_offset, c), dtype=xp.dtype)
    flat[: xp.size // c] = np.moveaxis(xp, 1, -1).reshape(-1, c)
    return flat


def _taps(kernel, dilation, spatial):
    """Yield (kernel index, row offset in the flat layout) for every kernel tap."""
    row_strides = [int(np.prod(spatial[i + 1 :])) for i in range(len(spatial))]
    for k_index in np.ndindex(*kernel):
        yield k_index, sum(k * d * r for k, d, r in zip(k_index, dilation, row_strides))


def _correlate_shifted(xp, w, dilation):
    """Stride-1 correlation as a sum over kernel taps of (rows of x) @ (tap's weights).

    Outputs are computed at every input position (those past the valid edge are garbage
    and cut away at the end): a few percent of extra work that buys copy-free slices.
    """
    n, c_in, *spatial = xp.shape
    kernel = w.shape[2:]
    spans = [effective_kernel(k, d) for k, d in zip(kernel, dilation)]
    out_sp = [s - sp + 1 for s, sp in zip(spatial, spans)]
    taps = list(_taps(kernel, dilation, spatial))
    rows = n * int(np.prod(spatial))
    x_flat = _flat_channels_last(xp, max(off for _, off in taps))
    out = np.zeros((rows, w.shape[0]), dtype=np.result_type(xp, w))
    for k_index, off in taps:
        out += x_flat[off : off + rows] @ w[(slice(None), slice(None)) + k_index].T
    out = out.reshape([n] + spatial + [w.shape[0]])
    out = out[(slice(None),) + tuple(slice(0, o) for o in out_sp)]
    return np.ascontiguousarray(np.moveaxis(out, -1, 1))


def _weight_grad(dout, xp, kernel, stride, dilation):
    """dL/dw: (C_out, C_in, *K) = sum over batch and positions of dout * input patch."""
    if not _use_shifted(stride, _patch_bytes(xp, kernel, stride, dilation)):
        cols, _ = _im2col(xp, kernel, stride, dilation)  # (N, C_in*prod(K), prod(S_out))
        d_mat = dout.reshape(dout.shape[0], dout.shape[1], -1)  # (N, C_out, prod(S_out))
        dw = np.matmul(d_mat, cols.transpose(0, 2, 1)).sum(axis=0)
        return dw.reshape((dout.shape[1], xp.shape[1]) + tuple(kernel))
    # Same layout trick as _correlate_shifted: one product per kernel tap.
    n, c_in, *spatial = xp.shape
    taps = list(_taps(kernel, dilation, spatial))
    rows = n * int(np.prod(spatial))
    x_flat = _flat_channels_last(xp, max(off for _, off in taps))
    d_full = np.zeros([n] + spatial + [dout.shape[1]], dtype=dout.dtype)
    d_full[(slice(None),) + tuple(slice(0, o) for o in dout.shape[2:])] = np.moveaxis(dout, 1, -1)
    d_flat = d_full.reshape(rows, -1)  # (rows, C_out), zero where no output exists
    dw = np.empty((dout.shape[1], c_in) + tuple(kernel), dtype=np.result_type(dout, xp))
    for k_index, off in taps:
        dw[(slice(None), slice(None)) + k_index] = d_flat.T @ x_flat[off : off + rows]
    return dw


def _check_conv_args(x, w, b, stride, padding, dilation, nd):
    """Validate and normalise conv arguments; raise ValueError with an actionable message."""
    x = np.asarray(x)
    w = np.asarray(w)
    names = {1: "(N, C, L)", 2: "(N, C, H, W)", 3: "(N, C, D, H, W)"}
    wnames = {1: "(C_out, C_in, K)", 2: "(C_out, C_in, KH, KW)", 3: "(C_out, C_in, KD, KH, KW)"}
    if x.ndim != nd + 2:
        hint = " (add a batch axis with x[None])" if x.ndim == nd + 1 else ""
        raise ValueError(
            f"conv{nd}d expects x of shape {names.get(nd, 'N, C, ...')} ({nd + 2} dims), "
            f"got {x.ndim} dims with shape {x.shape}{hint}"
        )
    if w.ndim != nd + 2:
        raise ValueError(
            f"conv{nd}d expects w of shape {wnames.get(nd, 'C_out, C_in, ...')} "
            f"({nd + 2} dims), got {w.ndim} dims with shape {w.shape}"
        )
    for name, arr in (("x", x), ("w", w)):
        if not np.issubdtype(arr.dtype, np.number) or np.iscomplexobj(arr):
            raise ValueError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    if 0 in x.shape or 0 in w.shape:
        raise ValueError(f"sizes must be positive, got x {x.shape} and w {w.shape}")
    if w.shape[1] != x.shape[1]:
        raise ValueError(
            f"channel mismatch: x has C_in={x.shape[1]} channels but w expects "
            f"{w.shape[1]} (w is (C_out, C_in, ...) = {w.shape}); a filter must be as "
            "deep as its input"
        )
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    if not np.issubdtype(w.dtype, np.floating):
        w = w.astype(np.float64)
    if b is not None:
        b = np.asarray(b)
        if b.shape != (w.shape[0],):
            raise ValueError(
                f"bias must have shape (C_out,) = ({w.shape[0]},), one per filter, got {b.shape}"
            )
        if not np.issubdtype(b.dtype, np.number) or np.iscomplexobj(b):
            raise ValueError(f"bias must hold real numbers, got dtype {b.dtype}")
    stride = as_tuple("stride", stride, nd, 1)
    padding = as_tuple("padding", padding, nd, 0)
    dilation = as_tuple("dilation", dilation, nd, 1)
    for axis, (n, k, p, d) in enumerate(zip(x.shape[2:], w.shape[2:], padding, dilation)):
        span = effective_kernel(k, d)
        if span > n + 2 * p:
            raise ValueError(
                f"conv output size along spatial axis {axis} is not positive: input {n} "
                f"padded by {p} is {n + 2 * p}, smaller than the kernel span "
                f"d(f-1)+1 = {span} (f={k}, d={d}); use padding >= "
                f"{-(-(span - n) // 2)} or a smaller kernel/dilation. Formula: {CONV_FORMULA}"
            )
    return x, w, b, stride, padding, dilation
