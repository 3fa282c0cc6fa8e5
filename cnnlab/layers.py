"""Network layers in NumPy, each a forward and a backward function (CS231n style).

Every ``X_forward(...)`` returns ``(out, cache)``; ``X_backward(dout, cache)`` takes the
upstream gradient dL/d(out) and the cache, and returns the gradients with respect to the
forward's inputs, in the same order (``dx`` or ``(dx, dw, db)``). Chaining them forward,
then backward in reverse order, is backpropagation through a whole network (see
``cnnlab.lenet``, lesson 06; lesson 07 reuses the conv-as-matrix view).

Layouts follow PyTorch so weights copy across unchanged: images ``(N, C, H, W)``, conv
weights ``(C_out, C_in, K, K)``, affine (fully connected) weights ``(M, D)`` with
``out = x @ w.T + b``, like ``torch.nn.Linear``.

>>> x = np.ones((2, 3))
>>> out, cache = affine_forward(x, np.ones((4, 3)), np.zeros(4))
>>> out.shape, affine_backward(np.ones((2, 4)), cache)[1].shape
((2, 4), (4, 3))
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .arith import effective_kernel
from .conv import conv2d, conv2d_backward
from .i18n import tr
from .pool import avg_pool2d, avg_pool2d_backward, max_pool2d, max_pool2d_backward
from .validate import as_real_array, as_tuple, check_int

# ---------------------------------------------------------------------------------------
# layers with parameters


def _checked_dout(dout, shape, layer):
    """dout as real numbers of the forward output's shape (``shape``; None: any), or a
    ValueError naming the layer."""
    dout = as_real_array("dout", dout)
    if shape is not None and dout.shape != tuple(shape):
        raise ValueError(
            tr("{layer}: dout must have the forward output's shape {expected}, got {got}").format(
                layer=layer, expected=tuple(shape), got=dout.shape
            )
        )
    return dout


def conv_forward(x, w, b, stride=1, padding=0):
    """Convolution layer (``cnnlab.conv2d``). x: (N, C_in, H, W); w: (C_out, C_in, K, K);
    b: (C_out,). Returns out (N, C_out, H_out, W_out) and the cache for ``conv_backward``."""
    out = conv2d(x, w, b, stride=stride, padding=padding)
    return out, (x, w, stride, padding)


def conv_backward(dout, cache, input_grad=True):
    """Gradients of ``conv_forward``: returns (dx, dw, db) shaped like x, w, b.

    input_grad=False skips dx (returned as None): a network's first layer needs no
    gradient for the image, and for it dx is the most expensive of the three.
    """
    x, w, stride, padding = cache
    if input_grad:  # conv2d_backward checks dout itself
        return conv2d_backward(dout, x, w, stride=stride, padding=padding)
    (sh, sw), (ph, pw) = as_tuple("stride", stride, 2, 1), as_tuple("padding", padding, 2, 0)
    dout = _checked_dout(dout, None, "conv_backward")
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw))) if ph or pw else x
    # every weight met the input under it at every output position: sum dout * patch
    win = sliding_window_view(xp, w.shape[2:], axis=(2, 3))[:, :, ::sh, ::sw]
    win = win[:, :, : dout.shape[2], : dout.shape[3]]
    dw = np.tensordot(dout, win, axes=([0, 2, 3], [0, 2, 3]))
    return None, dw.astype(np.result_type(dout, x), copy=False), dout.sum(axis=(0, 2, 3))


def affine_forward(x, w, b):
    """Fully connected layer: every output sees every input. x: (N, D); w: (M, D); b: (M,).

    Returns out = x @ w.T + b, shape (N, M), and the cache. Flatten images first
    (``flatten_forward``): this layer refuses 4D input so a forgotten flatten is loud.
    """
    x, w, b = as_real_array("x", x), as_real_array("w", w), as_real_array("b", b)
    if x.ndim != 2:
        raise ValueError(
            tr(
                "affine_forward expects x of shape (N, D), got {shape}; flatten images "
                "(N, C, H, W) to (N, C*H*W) first with flatten_forward"
            ).format(shape=x.shape)
        )
    if w.ndim != 2 or w.shape[1] != x.shape[1] or b.shape != (w.shape[0],):
        raise ValueError(
            tr(
                "affine_forward needs w (M, D) with D = x.shape[1] = {d} and b (M,), got w {w} "
                "and b {b}"
            ).format(d=x.shape[1], w=w.shape, b=b.shape)
        )
    return x @ w.T + b, (x, w)


def affine_backward(dout, cache):
    """Gradients of ``affine_forward``: returns (dx (N, D), dw (M, D), db (M,))."""
    x, w = cache
    dout = _checked_dout(dout, (x.shape[0], w.shape[0]), "affine_backward")
    return dout @ w, dout.T @ x, dout.sum(axis=0)


# ---------------------------------------------------------------------------------------
# layers without parameters


def max_pool_forward(x, kernel_size=2, stride=None, padding=0):
    """Max pooling (``cnnlab.max_pool2d``). x: (N, C, H, W) -> (N, C, H_out, W_out)."""
    return max_pool2d(x, kernel_size, stride, padding), (x, kernel_size, stride, padding)


def max_pool_backward(dout, cache):
    """Gradient of ``max_pool_forward``: dx (N, C, H, W); only each window's max gets dout."""
    return max_pool2d_backward(dout, *cache)


def avg_pool_forward(x, kernel_size=2, stride=None, padding=0):
    """Average pooling (``cnnlab.avg_pool2d``). x: (N, C, H, W) -> (N, C, H_out, W_out)."""
    return avg_pool2d(x, kernel_size, stride, padding), (x, kernel_size, stride, padding)


def avg_pool_backward(dout, cache):
    """Gradient of ``avg_pool_forward``: dx (N, C, H, W); a window shares dout equally."""
    return avg_pool2d_backward(dout, *cache)


def global_avg_pool_forward(x):
    """Global average pooling: the mean of each channel over all positions.

    x: (N, C, H, W) -> (N, C), whatever H and W are: this is what lets a network end in
    fully connected layers and still accept images of any size.
    """
    x = as_real_array("x", x)
    if x.ndim != 4:
        raise ValueError(
            tr("global_avg_pool_forward expects (N, C, H, W), got shape {shape}").format(
                shape=x.shape
            )
        )
    return x.mean(axis=(2, 3)), x.shape


def global_avg_pool_backward(dout, cache):
    """Gradient of ``global_avg_pool_forward``: each position gets dout / (H*W)."""
    n, c, h, w = cache
    dout = _checked_dout(dout, (n, c), "global_avg_pool_backward")
    return np.broadcast_to((dout / (h * w))[:, :, None, None], cache).copy()


def relu_forward(x):
    """ReLU, max(0, x), elementwise. Returns out (same shape) and the cache."""
    x = as_real_array("x", x)
    return np.maximum(x, 0), x > 0


def relu_backward(dout, cache):
    """Gradient of ReLU: dout where the input was positive, 0 elsewhere."""
    return _checked_dout(dout, cache.shape, "relu_backward") * cache


def tanh_forward(x):
    """tanh, elementwise: LeNet-5's squashing function (outputs in (-1, 1))."""
    out = np.tanh(as_real_array("x", x))
    return out, out


def tanh_backward(dout, cache):
    """Gradient of tanh: dout * (1 - tanh(x)^2), from the cached output."""
    return _checked_dout(dout, cache.shape, "tanh_backward") * (1 - cache * cache)


def flatten_forward(x):
    """(N, C, H, W) (or any (N, ...)) -> (N, C*H*W), in C, H, W order like torch.flatten(x, 1)."""
    x = as_real_array("x", x)
    if x.ndim < 2:
        raise ValueError(
            tr("flatten_forward expects a batch (N, ...), got shape {shape}").format(shape=x.shape)
        )
    return x.reshape(x.shape[0], -1), x.shape


def flatten_backward(dout, cache):
    """Gradient of flatten: the same numbers, put back in the input's shape."""
    return _checked_dout(dout, (cache[0], int(np.prod(cache[1:]))), "flatten_backward").reshape(
        cache
    )


# ---------------------------------------------------------------------------------------
# loss


def softmax(scores):
    """Row-wise softmax of (N, K) scores (shifted by the row max so exp cannot overflow)."""
    z = scores - scores.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def softmax_cross_entropy(scores, y):
    """Softmax + cross-entropy loss, averaged over the batch, and its gradient.

    scores: (N, K) class scores (logits); y: (N,) integer labels in 0..K-1.
    Returns (loss, dscores) with loss = mean_i -log softmax(scores_i)[y_i] and
    dscores = (softmax(scores) - onehot(y)) / N, shape (N, K).
    """
    scores = as_real_array("scores", scores)
    y = as_real_array("y", y)
    if y.dtype.kind not in "iu":
        raise ValueError(
            tr("labels y must be integers (class indices), got dtype {dtype}").format(dtype=y.dtype)
        )
    if scores.ndim != 2 or y.shape != (scores.shape[0],):
        raise ValueError(
            tr("softmax_cross_entropy needs scores (N, K) and labels (N,), got {s} and {y}").format(
                s=scores.shape, y=y.shape
            )
        )
    if y.size and (y.min() < 0 or y.max() >= scores.shape[1]):
        raise ValueError(
            tr("labels must be in 0..{top}, got {lo}..{hi}").format(
                top=scores.shape[1] - 1, lo=y.min(), hi=y.max()
            )
        )
    n = scores.shape[0]
    z = scores - scores.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    loss = -log_p[np.arange(n), y].mean()
    dscores = np.exp(log_p)
    dscores[np.arange(n), y] -= 1
    return float(loss), (dscores / n).astype(scores.dtype, copy=False)


# ---------------------------------------------------------------------------------------
# checking gradients, and what a convolution is as a fully connected layer


def numerical_gradient(f, x, dout=None, h=1e-5):
    """Centred-difference gradient of ``sum(f(x) * dout)`` with respect to ``x``.

    f: function of the array x (changed in place and restored), returning an array or a
    scalar; dout: upstream gradient shaped like f(x) (default: ones). Use float64 and
    small arrays: it costs two calls of f per element of x.
    """
    x = np.asarray(x)
    if x.dtype != np.float64:
        raise ValueError(
            tr("numerical_gradient needs a float64 array to be accurate, got {dtype}").format(
                dtype=x.dtype
            )
        )
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        plus = np.asarray(f(x), dtype=np.float64)
        x[i] = old - h
        minus = np.asarray(f(x), dtype=np.float64)
        x[i] = old
        d = np.ones_like(plus) if dout is None else dout
        grad[i] = np.sum((plus - minus) * d) / (2 * h)
    return grad


def rel_error(a, b) -> float:
    """Largest relative error max |a - b| / max(|a| + |b|, 1e-8): ~1e-7 or less means equal."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(tr("shapes differ: {a} and {b}").format(a=a.shape, b=b.shape))
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-8)))


def conv_as_matrix(w, input_size, stride=1, padding=0):
    """The fully connected weight matrix that computes the same thing as a conv layer.

    w: (C_out, C_in, K, K); input_size: n (square n x n input). Returns M of shape
    (C_out*n_out*n_out, C_in*n*n) with ``conv2d(x, w).reshape(N, -1) == x.reshape(N, -1) @ M.T``
    (no bias). Most of M is zero (sparsity of connections) and its nonzeros are the
    C_out*C_in*K*K weights repeated at every position (parameter sharing).
    Found by pushing every one-pixel image through the convolution.
    """
    w = np.asarray(w)
    if w.ndim != 4:
        raise ValueError(
            tr("w must be (C_out, C_in, K, K), got shape {shape}").format(shape=w.shape)
        )
    n = check_int("input_size", input_size, 1)
    c_in = w.shape[1]
    if effective_kernel(w.shape[2]) > n + 2 * check_int("padding", padding, 0):
        raise ValueError(
            tr("kernel {k} is larger than the padded input {size}").format(
                k=w.shape[2], size=n + 2 * padding
            )
        )
    impulses = np.eye(c_in * n * n, dtype=w.dtype).reshape(-1, c_in, n, n)
    return conv2d(impulses, w, stride=stride, padding=padding).reshape(c_in * n * n, -1).T
