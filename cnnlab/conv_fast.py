"""The fast strategies behind ``cnnlab.conv``: the same sums, organised for speed.

``cnnlab.conv`` is the lesson (the definition, im2col, col2im, read top to bottom); this
module is what ``cnnlab.conv2d`` and friends actually run, as CS231n keeps ``fast_layers.py``
beside ``layers.py``. Tests compare every strategy here with the plain reference and with
PyTorch (``tests/test_conv.py``). Four ideas, each measured on the benchmark machine
(``benchmarks/RESULTS.md``):

* **chunks**: im2col's patch matrix is built for a few images at a time, in reused scratch
  memory, so it fits in cache and costs no page faults;
* **taps**: when even one image's patch matrix would be huge, loop over kernel taps instead
  (no more memory than the input);
* **transposed dx**: at stride 1 with C_in >= C_out, dL/dx is a forward correlation of dout
  with the flipped kernel, the faster shape of matrix product;
* **flat rows**: at stride 1 each row of an image's patch matrix can be one contiguous run
  of the flattened padded image, if the matrix also keeps the few columns that fall between
  two output rows (computed, then dropped): the copy is whole runs instead of short rows.

All inputs are already checked and normalised by ``cnnlab.conv`` (stride, padding and
dilation are tuples, arrays are floating). Used by lessons 02-12 through ``cnnlab.conv``.
"""

from __future__ import annotations

import math

import numpy as np

from .arith import effective_kernel
from .windows import out_shape, pad, tap_slices, windows

# im2col's patch matrix is built for a few images at a time: chunks that fit in the L3
# cache (32 MB on the benchmark machine) let the matrix product read the patches from cache
# instead of memory; 8 to 64 MB measured alike, within the benchmark's noise.
CHUNK_BYTES = 16 * 2**20
# Above this, one image's patch matrix costs more memory than it saves time: go tap by tap.
IM2COL_MAX_BYTES = 512 * 2**20
# Flat rows' chunks are sized for the L2 cache (2 MB a core on the benchmark machine): for
# 64x3x32x32 * 6x3x5x5, 0.25 and 1 MB chunks took 1.3 and 1.2 ms, 4 MB 1.7 ms, 16 MB 2.5 ms.
FLAT_CHUNK_BYTES = 2**20
# Flat rows compute the columns between output rows too: at most this many per output.
# Measured flat rows / im2col time, 32 images, 2 cores: 0.70 forward and 0.81 backward for
# 6x14x14 * 16x6x5x5 (1.36 columns per output), 0.57 and 0.71 for 3x12x12 * 4x3x7x7 (1.83):
# short rows copy so slowly that even nearly twice the multiplications pay.
FLAT_MAX_COLUMNS = 2.0


def workspace_bytes(x_shape, w_shape, stride, padding, dilation, itemsize=8):
    """About how many bytes a forward and backward pass allocate, before they do.

    The padded input, the output (or dx), one chunk's patch matrix (or, tap by tap, one
    tap's copy of the input) and dx's padded buffer, and at stride 1 what flat rows add (up
    to FLAT_MAX_COLUMNS times the columns, and dout spread over them); a broadcast view of x
    counts at its full size, since the padded copy and the patches are real memory.
    """
    n, c_in, c_out, kernel = x_shape[0], x_shape[1], w_shape[0], w_shape[2:]
    out_sp = out_shape(x_shape[2:], kernel, stride, padding, dilation)
    padded = n * c_in * math.prod(_padded(x_shape, padding))
    out = n * max(c_out, c_in) * math.prod(out_sp)
    per_image = c_in * math.prod(kernel) * math.prod(out_sp)
    flat = FLAT_MAX_COLUMNS if max(stride) == 1 else 0
    if use_taps(per_image * itemsize):
        scratch = n * max(c_in, c_out) * math.prod(out_sp)
    else:
        scratch = min(n * per_image, max(per_image, CHUNK_BYTES // itemsize)) * max(flat, 1)
    spread = flat * n * c_out * math.prod(out_sp)  # flat rows' dout, in dw and dx
    return int(2 * padded + out + scratch + spread) * itemsize


def patch_shape(channels, kernel, out_sp):
    """Shape of one image's patches, channels first: (C, *K, *S_out)."""
    return (channels,) + tuple(kernel) + tuple(out_sp)


def use_taps(image_patch_bytes):
    """True when even one image's patch matrix is too big: then loop over kernel taps."""
    return image_patch_bytes > IM2COL_MAX_BYTES


def use_transposed(stride, c_in, c_out):
    """Take dx as a correlation of dout rather than by col2im?

    At stride 1 both do the same multiplications. The correlation's patch matrix holds
    C_out channels where col2im's holds C_in, and its matrix product has the longer inner
    dimension (C_out*prod(K), not C_out). Measured time of the correlation / col2im
    (32 images of 28x28, 3x3 kernels, 2 cores): 1.9 at C_in = C_out/4, 1.3 at C_out/2,
    0.88 at C_in = C_out, 0.65 at 2*C_out, 0.27 at 4*C_out. Hence C_in >= C_out.
    """
    return all(s == 1 for s in stride) and c_in >= c_out


def flat_columns(out_sp, padded_sp):
    """Flat rows' columns: (L, flat strides). Output position o is column sum(o_i * st_i) of
    the flattened padded image, st_i = prod(padded_sp[i+1:]); L runs to the last output."""
    st, step, length = [], 1, 1
    for o, m in zip(reversed(out_sp), reversed(padded_sp)):  # a plain loop: called per conv
        st.append(step)
        length += (o - 1) * step
        step *= m
    return length, tuple(reversed(st))


def use_flat(stride, c_in, kernel, c_out, out_sp, padded_sp):
    """Take the patch matrix as flat rows (see the module's docstring)?

    Only at stride 1; only when the columns, L of them with those between output rows,
    number at most FLAT_MAX_COLUMNS times the outputs (in 1-D there are none between); and
    only when the result, which is gathered from those columns afterwards, is smaller than
    the patch matrix
    (C_out <= C_in*prod(K)): for 1x3x256x256 * 64x3x3x3 gathering 64 output channels made
    it 1.7 times slower.
    """
    if max(stride) != 1 or c_out > c_in * math.prod(kernel):
        return False
    return flat_columns(out_sp, padded_sp)[0] <= FLAT_MAX_COLUMNS * math.prod(out_sp)


def flat_step(n, rows, length, itemsize):
    """Images per chunk of flat rows: about FLAT_CHUNK_BYTES of patches, at least one."""
    return min(n, max(1, FLAT_CHUNK_BYTES // max(rows * length * itemsize, 1)))


def _view(a, shape, strides, writeable=False):
    """A view of the contiguous array ``a`` with these byte strides, read-only unless asked:
    what ``as_strided`` builds, in a third of its time (a few microseconds a call, which
    matter when a learner convolves one small image at a time)."""
    v = np.ndarray(shape, a.dtype, buffer=a, strides=strides)
    v.flags.writeable = writeable
    return v


def flat_patches(x, padding, kernel, dilation, length, st, step, dtype=None):
    """The patch matrix as flat rows, a chunk of ``step`` images at a time.

    x: (N, C, *S). Yields (slice of the batch, the chunk's patches (n_b, C*prod(K), L), in
    scratch memory reused from chunk to chunk, of ``dtype``, x's by default): row (c, j) is
    the run of the chunk's flattened padded image c starting at off_j = sum(j_i * d_i * st_i),
    the input tap j meets at every column. The overlapping view of those runs is built once
    and sliced per chunk (building it cost more than copying a LeNet image's patches); with
    padding, one chunk's zero-padded copy is reused, its borders written once.
    """
    n, c = x.shape[:2]
    padded = any(padding)
    if padded:
        src = np.zeros((step, c) + _padded(x.shape, padding), x.dtype)
        inside = _inside(x.shape, padding)
    else:
        src = np.ascontiguousarray(x)
    item = src.itemsize
    runs = _view(
        src,
        (src.shape[0], c) + tuple(kernel) + (length,),
        src.strides[:2] + tuple(t * d * item for t, d in zip(st, dilation)) + (item,),
    )  # neighbouring rows overlap
    scratch = np.empty((step,) + runs.shape[1:], dtype=x.dtype if dtype is None else dtype)
    rows = c * math.prod(kernel)
    for i in range(0, n, step):
        batch = slice(i, min(i + step, n))
        nb = batch.stop - i
        if padded:
            src[:nb][inside] = x[batch]
        np.copyto(scratch[:nb], runs[:nb] if padded else runs[batch])
        yield batch, scratch[:nb].reshape(nb, rows, length)


def flat_outputs(r, out_sp, st, writeable=False):
    """The output positions among flat columns: contiguous (n_b, C, L) -> a view
    (n_b, C, *S_out); st: the flat strides (``flat_columns``)."""
    strides = r.strides[:2] + tuple(t * r.itemsize for t in st)
    return _view(r, r.shape[:2] + tuple(out_sp), strides, writeable)


def correlate_flat(x, w, padding, dilation, out_sp):
    """``correlate`` at stride 1 by flat rows, a chunk of images at a time."""
    n, c_in, c_out, kernel = x.shape[0], x.shape[1], w.shape[0], w.shape[2:]
    length, st = flat_columns(out_sp, _padded(x.shape, padding))
    dtype = np.result_type(x, w)
    rows = c_in * math.prod(kernel)
    w_mat = w.reshape(c_out, -1).astype(dtype, copy=False)
    step = flat_step(n, rows, length, x.itemsize)
    res = np.empty((step, c_out, length), dtype=dtype)
    found = flat_outputs(res, out_sp, st)  # (step, C_out, *S_out), a view of res
    out = np.empty((n, c_out) + tuple(out_sp), dtype=dtype)
    for batch, cols in flat_patches(x, padding, kernel, dilation, length, st, step):
        nb = batch.stop - batch.start
        np.matmul(w_mat, cols, out=res[:nb])
        out[batch] = found[:nb]
    return out


def flat_dout(dout, length, st):
    """dout spread over flat columns, zero between output rows: (N, C_out, L)."""
    d = np.zeros(dout.shape[:2] + (length,), dtype=dout.dtype)
    flat_outputs(d, dout.shape[2:], st, writeable=True)[...] = dout
    return d


def weight_grad_flat(dout, x, kernel, padding, dilation):
    """``weight_grad`` at stride 1 by flat rows: dw = sum over images of dout @ patches^T."""
    n, c_in, c_out = x.shape[0], x.shape[1], dout.shape[1]
    length, st = flat_columns(dout.shape[2:], _padded(x.shape, padding))
    dtype = np.result_type(dout, x)
    d = flat_dout(dout.astype(dtype, copy=False), length, st)
    rows = c_in * math.prod(kernel)
    step = flat_step(n, rows, length, np.dtype(dtype).itemsize)
    dw = np.zeros((c_out, rows), dtype=dtype)
    for batch, cols in flat_patches(x, padding, kernel, dilation, length, st, step, dtype):
        dw += np.matmul(d[batch], cols.transpose(0, 2, 1)).sum(axis=0)
    return dw.reshape((c_out, c_in) + tuple(kernel))


def input_grad_flat(dout, w, x_shape, padding, dilation):
    """dL/dx at stride 1 by flat rows: w^T @ dout gives each patch row's share, and row
    (c, j) goes back to the run it was copied from (the columns between output rows carry
    zeros, so with finite weights what they add, even past a row's end, is nothing)."""
    n, c_out = dout.shape[:2]
    c_in, kernel = w.shape[1], w.shape[2:]
    padded_sp = _padded(x_shape, padding)
    length, st = flat_columns(dout.shape[2:], padded_sp)
    dtype = np.result_type(dout, w)
    d = flat_dout(dout, length, st)
    w_t = w.reshape(c_out, -1).T.astype(dtype, copy=False)  # (C_in*prod(K), C_out)
    offsets = [sum(j * dl * t for j, dl, t in zip(jj, dilation, st)) for jj in np.ndindex(*kernel)]
    rows = c_in * len(offsets)
    step = flat_step(n, rows, length, np.dtype(dtype).itemsize)
    share = np.empty((step, rows, length), dtype=dtype)
    dxf = np.empty((step, c_in, math.prod(padded_sp)), dtype=dtype)
    dx = np.empty((n, c_in) + tuple(x_shape[2:]), dtype=dtype)
    inside = _inside(x_shape, padding)
    for i in range(0, n, step):
        nb = min(step, n - i)
        s, g = share[:nb], dxf[:nb]
        np.matmul(w_t, d[i : i + nb], out=s)
        s = s.reshape(nb, c_in, len(offsets), length)
        g.fill(0)
        for k, off in enumerate(offsets):
            g[:, :, off : off + length] += s[:, :, k]
        dx[i : i + nb] = g.reshape((nb, c_in) + padded_sp)[inside]
    return dx


def chunks(x, padding, shape, dtype=None):
    """Split a batch into chunks of about CHUNK_BYTES of patches.

    x: (N, C, *S); shape: one image's patch shape. Yields (slice of the batch, that chunk
    zero-padded (n_b, C, *S_padded), scratch memory for its patches (n_b, *shape)). The
    padded copy and the scratch are reused from chunk to chunk: padding the whole batch up
    front, or a fresh large array for every chunk, cost page faults that took up to half the
    time in the benchmark.
    """
    n = x.shape[0]
    dtype = x.dtype if dtype is None else np.dtype(dtype)
    per_image = math.prod(shape)
    step = min(n, max(1, CHUNK_BYTES // max(per_image * dtype.itemsize, 1)))
    scratch = np.empty(step * per_image, dtype=dtype)
    padded = None
    if any(padding):  # zero borders, written once; each chunk overwrites the inside
        padded = np.zeros((step, x.shape[1]) + _padded(x.shape, padding), x.dtype)
        inside = _inside(x.shape, padding)
    for i in range(0, n, step):
        batch = slice(i, min(i + step, n))
        nb = batch.stop - i
        if padded is None:
            xp = x[batch]
        else:
            xp = padded[:nb]
            xp[inside] = x[batch]
        yield batch, xp, scratch[: nb * per_image].reshape((nb,) + tuple(shape))


def im2col_into(xp, kernel, stride, dilation, out):
    """Patch matrix of each image, written into ``out``: (N, C, *S) -> (N, C*prod(K), prod(S_out)).

    out: (N, C, *K, *S_out), the memory to copy the patches into. Rows follow w's
    (C_in, *K) order; output positions are the innermost axis, so the matrix product's
    result is already in PyTorch's channels-first layout and the copy reads whole rows
    of the image at a time.
    """
    nd = len(kernel)
    win = windows(xp, kernel, stride, dilation)  # (N, C, *S_out, *K), a view
    order = (0, 1) + tuple(range(2 + nd, 2 + 2 * nd)) + tuple(range(2, 2 + nd))
    np.copyto(out, win.transpose(order))
    return out.reshape(xp.shape[0], xp.shape[1] * math.prod(kernel), -1)


def correlate(x, w, stride, padding, dilation):
    """Cross-correlate x, zero-padded, with w: (N, C_in, *S) -> (N, C_out, *S_out).

    im2col by chunks of images (one patch matrix and one matrix product per chunk), at
    stride 1 mostly from flat rows (``use_flat``), or, when one image's patch matrix would be
    huge, a loop over kernel taps.
    """
    kernel = w.shape[2:]
    out_sp = out_shape(x.shape[2:], kernel, stride, padding, dilation)
    n, c_in, c_out = x.shape[0], x.shape[1], w.shape[0]
    shape = patch_shape(c_in, kernel, out_sp)
    if use_taps(math.prod(shape) * x.itemsize):
        return correlate_taps(pad(x, padding), w, stride, dilation, out_sp)
    if use_flat(stride, c_in, kernel, c_out, out_sp, _padded(x.shape, padding)):
        return correlate_flat(x, w, padding, dilation, out_sp)
    dtype = np.result_type(x, w)
    w_mat = w.reshape(c_out, -1).astype(dtype, copy=False)  # (C_out, C_in*prod(K))
    out = np.empty((n, c_out, math.prod(out_sp)), dtype=dtype)
    for batch, xp, scratch in chunks(x, padding, shape):
        np.matmul(w_mat, im2col_into(xp, kernel, stride, dilation, scratch), out=out[batch])
    return out.reshape((n, c_out) + out_sp)


def correlate_taps(xp, w, stride, dilation, out_sp):
    """Correlation as a sum over kernel taps: out += w[:, :, j] @ (inputs tap j meets)."""
    n, c_out = xp.shape[0], w.shape[0]
    out = np.zeros((n, c_out, math.prod(out_sp)), dtype=np.result_type(xp, w))
    for j, sl in tap_slices(w.shape[2:], stride, dilation, out_sp):
        x_j = xp[(slice(None), slice(None)) + sl].reshape(n, xp.shape[1], -1)  # a copy
        out += np.matmul(w[(slice(None), slice(None)) + j], x_j)
    return out.reshape((n, c_out) + tuple(out_sp))


def weight_grad(dout, x, kernel, stride, padding, dilation):
    """dL/dw: (C_out, C_in, *K) = sum over batch and positions of dout * input patch."""
    n, c_in, c_out = x.shape[0], x.shape[1], dout.shape[1]
    out_sp = dout.shape[2:]
    d_mat = dout.reshape(n, c_out, -1)  # (N, C_out, prod(S_out))
    dw = np.zeros((c_out, c_in) + tuple(kernel), dtype=np.result_type(dout, x))
    shape = patch_shape(c_in, kernel, out_sp)
    if use_taps(math.prod(shape) * x.itemsize):
        xp = pad(x, padding)
        d_rows = d_mat.transpose(1, 0, 2).reshape(c_out, -1)  # (C_out, N*P), copied once
        for j, sl in tap_slices(kernel, stride, dilation, out_sp):
            x_j = xp[(slice(None), slice(None)) + sl].transpose(1, 0, *range(2, xp.ndim))
            dw[(slice(None), slice(None)) + j] = d_rows @ x_j.reshape(c_in, -1).T
        return dw
    if use_flat(stride, c_in, kernel, c_out, out_sp, _padded(x.shape, padding)):
        # the zero columns between output rows meet input pixels too, and 0 * inf is nan:
        # a dw that is not finite is worked out again the exact way, im2col's (which warns
        # where NumPy would; this attempt's nan warnings would be false alarms)
        with np.errstate(invalid="ignore"):
            dw_flat = weight_grad_flat(dout, x, kernel, padding, dilation)
        if np.isfinite(dw_flat).all():
            return dw_flat
    dw_mat = dw.reshape(c_out, -1)  # a view: (C_out, C_in*prod(K))
    for batch, xp, scratch in chunks(x, padding, shape):
        cols = im2col_into(xp, kernel, stride, dilation, scratch)  # (n_b, C_in*prod(K), P)
        dw_mat += np.matmul(d_mat[batch], cols.transpose(0, 2, 1)).sum(axis=0)
    return dw


def input_grad(dout, w, x_shape, stride, padding, dilation):
    """dL/dx: (N, C_in, *S), by the fastest of four ways to the same sums.

    col2im by chunks (the default), tap by tap when one image is huge, at stride 1 with
    C_in >= C_out a forward correlation of dout (a "transposed convolution", see
    ``use_transposed``), or else at stride 1 col2im by flat rows (``use_flat``; only with
    finite weights, since the zero columns between output rows meet the weights: 0 * inf
    is nan).
    """
    c_in, c_out, kernel = w.shape[1], w.shape[0], w.shape[2:]
    dtype = np.result_type(dout, w)
    shape = patch_shape(c_in, kernel, dout.shape[2:])
    if use_taps(math.prod(shape) * np.dtype(dtype).itemsize):
        return input_grad_taps(dout, w, x_shape, stride, padding, dilation)
    if use_transposed(stride, c_in, c_out):
        return input_grad_transposed(dout, w, x_shape, padding, dilation)
    flat = use_flat(stride, c_in, kernel, c_out, dout.shape[2:], _padded(x_shape, padding))
    if flat and np.isfinite(w).all():
        return input_grad_flat(dout, w, x_shape, padding, dilation)
    return input_grad_col2im(dout, w, x_shape, stride, padding, dilation)


def _padded(x_shape, padding):
    """Spatial shape of the zero-padded input."""
    if not any(padding):
        return tuple(x_shape[2:])
    return tuple(m + 2 * p for m, p in zip(x_shape[2:], padding))


def _inside(x_shape, padding):
    """Index of the unpadded input inside its padded copy."""
    return (slice(None), slice(None)) + tuple(slice(p, p + m) for p, m in zip(padding, x_shape[2:]))


def input_grad_transposed(dout, w, x_shape, padding, dilation):
    """dL/dx at stride 1 as a correlation of dout with the kernel flipped in space and its
    in/out channels swapped.

    dout padded by span - 1 - p: output position j is input position j (the -p skips the
    gradient of x's own padding). If p > span - 1 on some axis that pad would be negative:
    pad dout by span - 1 instead and crop p from each side of the result.
    """
    spans = [effective_kernel(k, d) for k, d in zip(w.shape[2:], dilation)]
    stride = (1,) * len(spans)
    w_flip = np.flip(w, axis=tuple(range(2, w.ndim))).swapaxes(0, 1)
    lead = [sp - 1 - p for sp, p in zip(spans, padding)]
    if min(lead) >= 0:
        return correlate(dout, w_flip, stride, lead, dilation)
    full = correlate(dout, w_flip, stride, [sp - 1 for sp in spans], dilation)
    return np.ascontiguousarray(full[_inside(x_shape, padding)])


def input_grad_taps(dout, w, x_shape, stride, padding, dilation):
    """dL/dx tap by tap: each tap's share w[:, :, j]^T @ dout goes back where it read from."""
    n, c_out = dout.shape[:2]
    c_in, out_sp = w.shape[1], dout.shape[2:]
    d_mat = dout.reshape(n, c_out, -1)  # (N, C_out, prod(S_out))
    padded_sp = _padded(x_shape, padding)
    dxp = np.zeros((n, c_in) + padded_sp, dtype=np.result_type(dout, w))
    for j, sl in tap_slices(w.shape[2:], stride, dilation, out_sp):
        share = np.matmul(w[(slice(None), slice(None)) + j].T, d_mat)  # (N, C_in, P)
        dxp[(slice(None), slice(None)) + sl] += share.reshape((n, c_in) + out_sp)
    return np.ascontiguousarray(dxp[_inside(x_shape, padding)])


def input_grad_col2im(dout, w, x_shape, stride, padding, dilation):
    """dL/dx by col2im, a chunk of images at a time.

    w^T @ dout gives, for every patch, what each of its values receives; adding each kernel
    tap's share back where that tap read from sums them (overlapping patches add up), and
    the padding's share is dropped.
    """
    n, c_out = dout.shape[:2]
    c_in, kernel, out_sp = w.shape[1], w.shape[2:], dout.shape[2:]
    dtype = np.result_type(dout, w)
    d_mat = dout.reshape(n, c_out, -1)  # (N, C_out, prod(S_out))
    padded_sp = _padded(x_shape, padding)
    taps = list(tap_slices(kernel, stride, dilation, out_sp))
    inside = _inside(x_shape, padding)
    w_t = w.reshape(c_out, -1).T.astype(dtype, copy=False)  # (C_in*prod(K), C_out)
    dx = np.empty((n, c_in) + tuple(x_shape[2:]), dtype=dtype)
    dxp = None  # one chunk's padded gradient, reused
    shape = patch_shape(c_in, kernel, out_sp)
    for batch, _, scratch in chunks(dout, (0,) * len(kernel), shape, dtype):
        nb = batch.stop - batch.start
        if dxp is None:
            dxp = np.empty((nb, c_in) + padded_sp, dtype=dtype)
        chunk = dxp[:nb]
        chunk.fill(0)
        # (n_b, C_in*prod(K), P): every patch's share, in im2col's layout
        np.matmul(w_t, d_mat[batch], out=scratch.reshape(nb, w_t.shape[0], -1))
        for j, sl in taps:
            chunk[(slice(None), slice(None)) + sl] += scratch[(slice(None), slice(None)) + j]
        dx[batch] = chunk[inside]
    return dx


def _group_slices(groups, c_in, c_out):
    """(input channels, output channels) of each group, as slices."""
    gi, go = c_in // groups, c_out // groups
    return [(slice(g * gi, (g + 1) * gi), slice(g * go, (g + 1) * go)) for g in range(groups)]


def grouped_correlate(x, w, groups, stride, padding, dilation):
    """``correlate`` with the channels split into ``groups`` independent convolutions:
    x (N, C_in, *S), w (C_out, C_in / groups, *K) -> (N, C_out, *S_out)."""
    if groups == 1:
        return correlate(x, w, stride, padding, dilation)
    parts = [
        correlate(x[:, ci], w[co], stride, padding, dilation)
        for ci, co in _group_slices(groups, x.shape[1], w.shape[0])
    ]
    return np.concatenate(parts, axis=1)


def grouped_weight_grad(dout, x, kernel, groups, stride, padding, dilation):
    """dL/dw of ``grouped_correlate``: (C_out, C_in / groups, *K), each group's side by side."""
    if groups == 1:
        return weight_grad(dout, x, kernel, stride, padding, dilation)
    parts = [
        weight_grad(dout[:, co], x[:, ci], kernel, stride, padding, dilation)
        for ci, co in _group_slices(groups, x.shape[1], dout.shape[1])
    ]
    return np.concatenate(parts, axis=0)


def grouped_input_grad(dout, w, x_shape, groups, stride, padding, dilation):
    """dL/dx of ``grouped_correlate``: (N, C_in, *S), each group's side by side."""
    if groups == 1:
        return input_grad(dout, w, x_shape, stride, padding, dilation)
    shape = (x_shape[0], x_shape[1] // groups) + tuple(x_shape[2:])
    parts = [
        input_grad(dout[:, co], w[co], shape, stride, padding, dilation)
        for _, co in _group_slices(groups, x_shape[1], w.shape[0])
    ]
    return np.concatenate(parts, axis=1)


def grouped_backward(dout, x, w, groups, stride, padding, dilation):
    """(dx, dw) of ``grouped_correlate``."""
    dw = grouped_weight_grad(dout, x, w.shape[2:], groups, stride, padding, dilation)
    return grouped_input_grad(dout, w, x.shape, groups, stride, padding, dilation), dw
