"""Convolution in NumPy: the reference the course computes with.

Layouts follow PyTorch so results compare element by element:
``x`` is (N, C_in, *spatial), ``w`` is (C_out, C_in, *kernel), ``b`` is (C_out,).
Like PyTorch (and every deep-learning library) this is *cross-correlation*: the kernel
is not flipped. One N-dimensional core serves 1D, 2D and 3D.

How the fast version works (im2col): every output position needs the input patch under
the kernel. ``sliding_window_view`` exposes all patches as a view without copying; copying
them into the columns of one matrix lets one ``matmul`` multiply every patch with every
filter. The backward pass runs the same idea in reverse ("col2im"). See ``_correlate``.
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
    out = _correlate(x, w, stride, padding, dilation)
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
    - dx: each input value fed every output whose window covered it, through the weight
      that window used: w^T @ dout gives every patch's share (the reverse of im2col), and
      adding each share back where its patch came from ("col2im") sums them up.
    """
    x, w, _, stride, padding, dilation = _check_conv_args(x, w, None, stride, padding, dilation, nd)
    dout = np.asarray(dout)
    expected = (x.shape[0], w.shape[0]) + _out_shape(
        x.shape, w.shape[2:], stride, padding, dilation
    )
    if dout.shape != expected:
        raise ValueError(f"dout must have the forward output's shape {expected}, got {dout.shape}")
    dout = dout.astype(np.result_type(dout, x), copy=False)
    db = dout.sum(axis=(0,) + tuple(range(2, 2 + nd)))
    dw = _weight_grad(dout, x, w.shape[2:], stride, padding, dilation)
    dx = _input_grad(dout, w, x.shape, stride, padding, dilation)
    return dx, dw, db


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


def _tap_slices(kernel, stride, dilation, out_sp):
    """For every kernel tap, the part of the padded input it meets.

    Yields (tap index k, spatial slices): tap k of output position o reads input
    o*s + k*d, so over all outputs it reads the strided slice k*d, k*d + s, ...
    """
    for k_index in np.ndindex(*kernel):
        yield (
            k_index,
            tuple(
                slice(k * d, k * d + s * (o - 1) + 1, s)
                for k, d, s, o in zip(k_index, dilation, stride, out_sp)
            ),
        )


# im2col's patch matrix is built for a few images at a time: chunks that fit in the L3
# cache (32 MB on the benchmark machine) let the matrix product read the patches from cache
# instead of memory; 8 to 64 MB measured alike, within the benchmark's noise.
CHUNK_BYTES = 16 * 2**20
# Above this, one image's patch matrix costs more memory than it saves time: go tap by tap.
IM2COL_MAX_BYTES = 512 * 2**20


def _out_shape(x_shape, kernel, stride, padding, dilation):
    """Output spatial shape of a correlation of (N, C, *S) zero-padded by ``padding``."""
    return tuple(
        (m + 2 * p - effective_kernel(k, d)) // s + 1
        for m, k, s, p, d in zip(x_shape[2:], kernel, stride, padding, dilation)
    )


def _patch_shape(channels, kernel, out_sp):
    """Shape of one image's patches, channels first: (C, *K, *S_out)."""
    return (channels,) + tuple(kernel) + tuple(out_sp)


def _use_taps(image_patch_bytes):
    """True when even one image's patch matrix is too big: then loop over kernel taps."""
    return image_patch_bytes > IM2COL_MAX_BYTES


def _use_transposed(stride, c_in, c_out):
    """Take dx as a correlation of dout rather than by col2im?

    At stride 1 both do the same multiplications. The correlation's patch matrix holds
    C_out channels where col2im's holds C_in, and its matrix product has the longer inner
    dimension (C_out*prod(K), not C_out). Measured time of the correlation / col2im
    (32 images of 28x28, 3x3 kernels, 2 cores): 1.9 at C_in = C_out/4, 1.3 at C_out/2,
    0.88 at C_in = C_out, 0.65 at 2*C_out, 0.27 at 4*C_out. Hence C_in >= C_out.
    """
    return all(s == 1 for s in stride) and c_in >= c_out


def _chunks(x, padding, patch_shape, dtype=None):
    """Split a batch into chunks of about CHUNK_BYTES of patches.

    x: (N, C, *S). Yields (slice of the batch, that chunk zero-padded (n_b, C, *S_padded),
    scratch memory for its patches (n_b, *patch_shape)). The padded copy and the scratch
    are reused from chunk to chunk: padding the whole batch up front, or a fresh large
    array for every chunk, cost page faults that took up to half the time in the benchmark.
    """
    n = x.shape[0]
    dtype = x.dtype if dtype is None else np.dtype(dtype)
    per_image = int(np.prod(patch_shape))
    step = min(n, max(1, CHUNK_BYTES // max(per_image * dtype.itemsize, 1)))
    scratch = np.empty(step * per_image, dtype=dtype)
    padded = None
    if any(padding):  # zero borders, written once; each chunk overwrites the inside
        padded = np.zeros(
            (step, x.shape[1]) + tuple(m + 2 * p for m, p in zip(x.shape[2:], padding)), x.dtype
        )
        inside = (slice(None), slice(None)) + tuple(
            slice(p, p + m) for p, m in zip(padding, x.shape[2:])
        )
    for i in range(0, n, step):
        batch = slice(i, min(i + step, n))
        nb = batch.stop - i
        if padded is None:
            xp = x[batch]
        else:
            xp = padded[:nb]
            xp[inside] = x[batch]
        yield batch, xp, scratch[: nb * per_image].reshape((nb,) + tuple(patch_shape))


def _correlate(x, w, stride, padding, dilation):
    """Cross-correlate x, zero-padded, with w: (N, C_in, *S) -> (N, C_out, *S_out).

    Two ways to the same sum (tests compare both with PyTorch): im2col, one patch matrix
    and one matrix product per chunk of images, is the faster; when one image's patch
    matrix would be huge, a loop over kernel taps needs no more memory than the input.
    """
    kernel = w.shape[2:]
    out_sp = _out_shape(x.shape, kernel, stride, padding, dilation)
    n, c_in, c_out = x.shape[0], x.shape[1], w.shape[0]
    dtype = np.result_type(x, w)
    shape = _patch_shape(c_in, kernel, out_sp)
    if _use_taps(int(np.prod(shape)) * x.itemsize):
        return _correlate_taps(_pad(x, padding), w, stride, dilation, out_sp)
    w_mat = w.reshape(c_out, -1).astype(dtype, copy=False)  # (C_out, C_in*prod(K))
    out = np.empty((n, c_out, int(np.prod(out_sp))), dtype=dtype)
    for batch, xp, scratch in _chunks(x, padding, shape):
        np.matmul(w_mat, _im2col(xp, kernel, stride, dilation, scratch), out=out[batch])
    return out.reshape((n, c_out) + out_sp)


def _im2col(xp, kernel, stride, dilation, out):
    """Patch matrix of each image: (N, C, *S) -> (N, C*prod(K), prod(S_out)).

    out: (N, C, *K, *S_out), the memory to copy the patches into. Rows follow w's
    (C_in, *K) order; output positions are the innermost axis, so the matrix product's
    result is already in PyTorch's channels-first layout and the copy reads whole rows
    of the image at a time.
    """
    nd = len(kernel)
    win = _windows(xp, kernel, stride, dilation)  # (N, C, *S_out, *K), a view
    order = (0, 1) + tuple(range(2 + nd, 2 + 2 * nd)) + tuple(range(2, 2 + nd))
    np.copyto(out, win.transpose(order))
    return out.reshape(xp.shape[0], xp.shape[1] * int(np.prod(kernel)), -1)


def _correlate_taps(xp, w, stride, dilation, out_sp):
    """Correlation as a sum over kernel taps: out += w[:, :, k] @ (inputs tap k meets)."""
    n, c_out = xp.shape[0], w.shape[0]
    out = np.zeros((n, c_out, int(np.prod(out_sp))), dtype=np.result_type(xp, w))
    for k, sl in _tap_slices(w.shape[2:], stride, dilation, out_sp):
        x_k = xp[(slice(None), slice(None)) + sl].reshape(n, xp.shape[1], -1)  # a copy
        out += np.matmul(w[(slice(None), slice(None)) + k], x_k)
    return out.reshape((n, c_out) + tuple(out_sp))


def _weight_grad(dout, x, kernel, stride, padding, dilation):
    """dL/dw: (C_out, C_in, *K) = sum over batch and positions of dout * input patch."""
    n, c_in, c_out = x.shape[0], x.shape[1], dout.shape[1]
    out_sp = dout.shape[2:]
    d_mat = dout.reshape(n, c_out, -1)  # (N, C_out, prod(S_out))
    dw = np.zeros((c_out, c_in) + tuple(kernel), dtype=np.result_type(dout, x))
    shape = _patch_shape(c_in, kernel, out_sp)
    if _use_taps(int(np.prod(shape)) * x.itemsize):
        xp = _pad(x, padding)
        d_rows = d_mat.transpose(1, 0, 2).reshape(c_out, -1)  # (C_out, N*P), copied once
        for k, sl in _tap_slices(kernel, stride, dilation, out_sp):
            x_k = xp[(slice(None), slice(None)) + sl].transpose(1, 0, *range(2, xp.ndim))
            dw[(slice(None), slice(None)) + k] = d_rows @ x_k.reshape(c_in, -1).T
        return dw
    dw_mat = dw.reshape(c_out, -1)  # a view: (C_out, C_in*prod(K))
    for batch, xp, scratch in _chunks(x, padding, shape):
        cols = _im2col(xp, kernel, stride, dilation, scratch)  # (n_b, C_in*prod(K), P)
        dw_mat += np.matmul(d_mat[batch], cols.transpose(0, 2, 1)).sum(axis=0)
    return dw


def _input_grad(dout, w, x_shape, stride, padding, dilation):
    """dL/dx: (N, C_in, *S).

    col2im: w^T @ dout gives, for every patch, what each of its values receives; adding
    each kernel tap's share back where that tap read from sums them (overlapping patches
    add up), and the padding's share is dropped. Like the forward, by chunk of images, or
    tap by tap when one image is huge. At stride 1 with C_in >= C_out the same sums are
    a forward correlation of dout (a "transposed convolution"), whose patch matrix is no
    bigger and whose matrix product is the faster shape (see ``_use_transposed``).
    """
    n, c_out = dout.shape[:2]
    c_in, kernel, out_sp = w.shape[1], w.shape[2:], dout.shape[2:]
    dtype = np.result_type(dout, w)
    spans = [effective_kernel(k, d) for k, d in zip(kernel, dilation)]
    shape = _patch_shape(c_in, kernel, out_sp)
    huge = _use_taps(int(np.prod(shape)) * np.dtype(dtype).itemsize)
    inside = (slice(None), slice(None)) + tuple(
        slice(p, p + m) for p, m in zip(padding, x_shape[2:])
    )
    if not huge and _use_transposed(stride, c_in, c_out):
        # correlate dout, padded by span - 1 - p, with the kernel flipped in space and its
        # in/out channels swapped: output position j is input position j (the -p skips
        # the gradient of x's own padding). If p > span - 1 on some axis that pad would be
        # negative: pad dout by span - 1 instead and crop p from each side of the result.
        w_flip = np.flip(w, axis=tuple(range(2, w.ndim))).swapaxes(0, 1)
        pad = [sp - 1 - p for sp, p in zip(spans, padding)]
        if min(pad) >= 0:
            return _correlate(dout, w_flip, stride, pad, dilation)
        full = _correlate(dout, w_flip, stride, [sp - 1 for sp in spans], dilation)
        return np.ascontiguousarray(full[inside])
    d_mat = dout.reshape(n, c_out, -1)  # (N, C_out, prod(S_out))
    padded_sp = tuple(m + 2 * p for m, p in zip(x_shape[2:], padding))
    taps = list(_tap_slices(kernel, stride, dilation, out_sp))
    if huge:
        dxp = np.zeros((n, c_in) + padded_sp, dtype=dtype)
        for k, sl in taps:
            share = np.matmul(w[(slice(None), slice(None)) + k].T, d_mat)  # (N, C_in, P)
            dxp[(slice(None), slice(None)) + sl] += share.reshape((n, c_in) + out_sp)
        return np.ascontiguousarray(dxp[inside])
    w_t = w.reshape(c_out, -1).T.astype(dtype, copy=False)  # (C_in*prod(K), C_out)
    dx = np.empty((n, c_in) + tuple(x_shape[2:]), dtype=dtype)
    dxp = None  # one chunk's padded gradient, reused
    for batch, _, scratch in _chunks(dout, (0,) * len(kernel), shape, dtype):
        nb = batch.stop - batch.start
        if dxp is None:
            dxp = np.empty((nb, c_in) + padded_sp, dtype=dtype)
        chunk = dxp[:nb]
        chunk.fill(0)
        # (n_b, C_in*prod(K), P): every patch's share, in im2col's layout
        np.matmul(w_t, d_mat[batch], out=scratch.reshape(nb, w_t.shape[0], -1))
        for k, sl in taps:
            chunk[(slice(None), slice(None)) + sl] += scratch[(slice(None), slice(None)) + k]
        dx[batch] = chunk[inside]
    return dx


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
