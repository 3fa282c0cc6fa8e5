"""LeNet-5 in NumPy: forward, backward and plain SGD on the layers of ``cnnlab.layers``.

The reference keeps the 1998 shapes but uses today's standard pieces: tanh (or ReLU) on
every conv and hidden FC, plain average (or max) pooling, every conv2 filter seeing all
6 channels, and a softmax output. (The original also had a trainable scale and bias in
each subsampling unit, a hand-made table that connected each conv2 filter to only some
of the 6 maps, and RBF output units.)

Parameters are a dict named like PyTorch's ``state_dict`` ("conv1.weight", "conv1.bias",
...), with PyTorch layouts, so weights copy to and from ``lenet.LeNet5`` (see
:mod:`cnnlab.lenet.model`). Any spec of ``tables.Layer`` rows works; the default is
``LENET5``. Used by lesson 06.

>>> params = init_params(seed=0)
>>> params["conv2.weight"].shape, forward(params, np.zeros((2, 1, 32, 32)))[0].shape
((16, 6, 5, 5), (2, 10))
"""

from __future__ import annotations

import math
import time

import numpy as np
from threadpoolctl import threadpool_limits
from tqdm.auto import tqdm

from .. import layers as L
from .. import tables
from ..i18n import tr
from .architecture import LENET5, LENET5_INPUT

ACTIVATIONS = {
    "tanh": (L.tanh_forward, L.tanh_backward),
    "relu": (L.relu_forward, L.relu_backward),
}
POOLS = {
    "avg": (L.avg_pool_forward, L.avg_pool_backward),
    "max": (L.max_pool_forward, L.max_pool_backward),
}


def check_choice(activation: str, pool: str | None = None) -> None:
    """Raise a ValueError unless ``activation`` is in :data:`ACTIVATIONS` and ``pool`` is
    None or in :data:`POOLS`."""
    if activation not in ACTIVATIONS:
        raise ValueError(
            tr("activation must be one of {choices}, got {activation!r}").format(
                choices=list(ACTIVATIONS), activation=activation
            )
        )
    if pool is not None and pool not in POOLS:
        raise ValueError(
            tr("pool must be one of {choices}, got {pool!r}").format(choices=list(POOLS), pool=pool)
        )


def init_params(seed: int = 0, spec=LENET5, input_shape=LENET5_INPUT, dtype=np.float32) -> dict:
    """Random weights for ``spec``: LeCun's normal init, std 1/sqrt(fan_in), zero biases.

    fan_in is the number of inputs one unit sees (f*f*n_c[l-1] for a conv), which keeps the
    pre-activations of a tanh net near unit variance. Returns {"conv1.weight": (6, 1, 5, 5),
    "conv1.bias": (6,), ..., "fc5.weight": (10, 84), "fc5.bias": (10,)}.
    """
    rng = np.random.default_rng(seed)
    rows = tables.layer_table(spec, input_shape)
    params = {}
    for layer, prev in zip(spec, rows):
        if layer.kind == "conv":
            shape = (layer.n_c, prev.shape[-1], layer.f, layer.f)
        elif layer.kind == "fc":
            shape = (layer.n_c, math.prod(prev.shape))
        else:
            continue
        fan_in = math.prod(shape[1:])
        weight = rng.standard_normal(shape) / math.sqrt(fan_in)
        params[f"{layer.name}.weight"] = weight.astype(dtype)
        params[f"{layer.name}.bias"] = np.zeros(shape[0], dtype=dtype)
    return params


def forward(params: dict, x, spec=LENET5, activation: str = "tanh", pool: str | None = None):
    """Scores (logits) of a batch. x: (N, C, H, W) -> (N, 10), plus the caches for ``backward``.

    Every conv and every FC but the last is followed by the activation; the last FC gives
    the class scores that the softmax turns into probabilities. pool: "avg" or "max" for
    every pooling row, or None for each row's own kind (LeNet-5's are "avg").
    """
    act_f = _activation(activation, pool)
    out, caches = np.asarray(x), []
    last_fc = max(i for i, layer in enumerate(spec) if layer.kind == "fc")
    for i, layer in enumerate(spec):
        if layer.kind == "conv":
            w, b = params[f"{layer.name}.weight"], params[f"{layer.name}.bias"]
            out, cache = L.conv_forward(out, w, b, layer.s, layer.p)
            caches.append(("conv", layer.name, cache))
        elif layer.kind in POOLS:
            kind = pool or layer.kind
            out, cache = POOLS[kind][0](out, layer.f, layer.s, layer.p)
            caches.append((kind, layer.name, cache))
        elif layer.kind == "gap":
            out, cache = L.global_avg_pool_forward(out)
            caches.append(("gap", layer.name, cache))
        else:
            out = _fully_connected(params, layer, out, caches, np.shape(x))
        if layer.kind == "conv" or (layer.kind == "fc" and i != last_fc):
            out, cache = act_f[0](out)
            caches.append(("act", layer.name, cache))
    return out, caches


def _fully_connected(params, layer, out, caches, input_shape):
    if out.ndim > 2:
        out, cache = L.flatten_forward(out)
        caches.append(("flatten", "flatten", cache))
    w, b = params[f"{layer.name}.weight"], params[f"{layer.name}.bias"]
    if out.shape[1] != w.shape[1]:
        raise ValueError(
            tr(
                "{layer} expects {expected} inputs but gets {got}: the "
                "input image has a different size from the one the weights were made "
                "for (input {size}); a fully connected layer fixes its input size"
            ).format(layer=layer.name, expected=w.shape[1], got=out.shape[1], size=input_shape[1:])
        )
    out, cache = L.affine_forward(out, w, b)
    caches.append(("fc", layer.name, cache))
    return out


def backward(dscores, caches, activation: str = "tanh") -> dict:
    """Backpropagation: the gradient of the loss for every parameter, from dL/d(scores).

    Walks the caches of ``forward`` in reverse, each layer turning the gradient of its
    output into the gradient of its input (and of its weights); each pool's cache says
    which pooling it was. Returns a dict shaped like the params. The input image's
    gradient is not needed, so conv1's is dropped.
    """
    act_f = _activation(activation)
    grads, d = {}, dscores
    first = min(i for i, (kind, _, _) in enumerate(caches) if kind in ("conv", "fc"))
    for i, (kind, name, cache) in reversed(list(enumerate(caches))):
        if kind == "act":
            d = act_f[1](d, cache)
        elif kind in POOLS:
            d = POOLS[kind][1](d, cache)
        elif kind == "gap":
            d = L.global_avg_pool_backward(d, cache)
        elif kind == "flatten":
            d = L.flatten_backward(d, cache)
        elif kind == "conv":
            d, grads[f"{name}.weight"], grads[f"{name}.bias"] = L.conv_backward(
                d, cache, input_grad=i != first
            )
        else:
            d, grads[f"{name}.weight"], grads[f"{name}.bias"] = L.affine_backward(d, cache)
    return grads


def loss_and_grads(params, x, y, spec=LENET5, activation="tanh", pool=None):
    """Mean softmax cross-entropy of a batch and its gradient for every parameter.

    x: (N, C, H, W), y: (N,) labels; returns (loss, grads) with grads shaped like params.
    """
    scores, caches = forward(params, x, spec, activation, pool)
    loss, dscores = L.softmax_cross_entropy(scores, y)
    return loss, backward(dscores, caches, activation)


def predict(params, x, spec=LENET5, activation="tanh", pool=None, batch_size=512) -> np.ndarray:
    """Predicted class of every image: the argmax of the scores. x: (N, C, H, W) -> (N,)."""
    x = np.asarray(x)
    return np.concatenate(
        [
            forward(params, x[i : i + batch_size], spec, activation, pool)[0].argmax(axis=1)
            for i in range(0, len(x), batch_size)
        ]
    )


def train(
    params,
    train_data,
    val=None,
    *,
    epochs: int = 10,
    lr: float = 0.05,
    lr_decay: float = 1.0,
    batch_size: int = 32,
    spec=LENET5,
    activation: str = "tanh",
    pool: str | None = None,
    seed: int = 0,
    progress: bool = True,
    blas_threads: int = 1,
):
    """Plain minibatch SGD: for every shuffled batch, w <- w - lr * dL/dw.

    lr is multiplied by lr_decay after every epoch (1.0: constant), so late steps, which
    only fine-tune, stop kicking the weights around.

    params: from ``init_params`` (not changed: training works on a copy); train_data and
    val: (x, y) with x (N, C, H, W) float32 and y (N,) labels. Returns (params, history),
    history like ``cnnlab.nets.fit``'s: per-epoch "train_loss", "train_acc" (during the
    epoch), "val_acc" when val is given, and "seconds".
    """
    params = {k: v.copy() for k, v in params.items()}
    x, y = _training_data(params, train_data, epochs, lr, lr_decay, batch_size)
    rng = np.random.default_rng(seed)
    history = {"train_loss": [], "train_acc": [], "val_acc": []}
    start = time.perf_counter()
    bar = tqdm(range(epochs), desc=tr("NumPy LeNet-5"), disable=not progress)
    net = {"spec": spec, "activation": activation, "pool": pool}
    # The matrices here are small: a second BLAS thread gains nothing on an idle 2-core
    # machine and makes training 3-10x slower when other programs share the cores.
    with threadpool_limits(limits=blas_threads, user_api="blas"):
        for _ in bar:
            loss, acc = sgd_epoch(params, x, y, rng.permutation(len(x)), lr, batch_size, **net)
            history["train_loss"].append(loss)
            history["train_acc"].append(acc)
            shown = {"loss": f"{loss:.3f}"}
            if val is not None:
                pred = predict(params, val[0], **net)
                history["val_acc"].append(float(np.mean(pred == np.asarray(val[1]))))
                shown["val_acc"] = f"{history['val_acc'][-1]:.3f}"
            bar.set_postfix(shown)
            lr *= lr_decay
    history["seconds"] = time.perf_counter() - start
    return params, history


def _training_data(params, train_data, epochs, lr, lr_decay, batch_size):
    """Check train's settings; return (x, y) with x in the params' dtype."""
    if epochs < 1 or batch_size < 1 or lr <= 0 or not 0 < lr_decay <= 1:
        raise ValueError(
            tr(
                "epochs and batch_size must be >= 1, lr > 0 and 0 < lr_decay <= 1, got "
                "epochs={epochs}, batch_size={batch_size}, lr={lr}, lr_decay={lr_decay}"
            ).format(epochs=epochs, batch_size=batch_size, lr=lr, lr_decay=lr_decay)
        )
    x, y = np.asarray(train_data[0]), np.asarray(train_data[1])
    if len(x) != len(y):
        raise ValueError(
            tr("x and y must have the same length, got {n_x} and {n_y}").format(
                n_x=len(x), n_y=len(y)
            )
        )
    return x.astype(next(iter(params.values())).dtype, copy=False), y


def sgd_epoch(params, x, y, order, lr, batch_size, spec=LENET5, activation="tanh", pool=None):
    """One pass of plain SGD over the batches of ``x[order]``, updating ``params`` in place.

    Returns (mean training loss, training accuracy) measured on the batches as they went.
    """
    loss_sum, correct = 0.0, 0
    for i in range(0, len(x), batch_size):
        idx = order[i : i + batch_size]
        scores, caches = forward(params, x[idx], spec, activation, pool)
        loss, dscores = L.softmax_cross_entropy(scores, y[idx])
        grads = backward(dscores, caches, activation)
        for k in params:
            params[k] -= lr * grads[k]  # the whole of plain SGD
        loss_sum += loss * len(idx)
        correct += int((scores.argmax(axis=1) == y[idx]).sum())
    return loss_sum / len(x), correct / len(x)


def _activation(activation, pool=None):
    check_choice(activation, pool)
    return ACTIVATIONS[activation]
