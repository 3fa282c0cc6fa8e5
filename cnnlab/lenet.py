"""LeNet-5, twice: a NumPy reference built from ``cnnlab.layers`` and a PyTorch module.

The stack is LeCun's: conv -> pool -> conv -> pool -> FC -> FC -> softmax, with
5x5 kernels, 2x2 pooling and 6, 16, 120, 84, 10 channels/units::

    32x32x1 -conv1-> 28x28x6 -pool1-> 14x14x6 -conv2-> 10x10x16 -pool2-> 5x5x16
            -flatten-> 400 -fc3-> 120 -fc4-> 84 -fc5-> 10 (softmax)

By the course's convention a "layer" is a conv together with its pool (pooling has no
parameters), so conv1+pool1 is layer 1, conv2+pool2 layer 2, then fc3, fc4, fc5.

Both versions keep the 1998 shapes but use today's standard pieces: tanh (or ReLU) on
every conv and hidden FC, plain average (or max) pooling, every conv2 filter seeing all
6 channels, and a softmax output. (The original also had a trainable scale and bias in
each subsampling unit, a hand-made table that connected each conv2 filter to only some
of the 6 maps, and RBF output units.)

Parameters are a dict named like PyTorch's ``state_dict`` ("conv1.weight", "conv1.bias",
...), with PyTorch layouts, so weights copy between the two with ``params_from_torch``
and ``params_to_torch``.
"""

from __future__ import annotations

import math
import time
from typing import NamedTuple

import numpy as np
import torch
from threadpoolctl import threadpool_limits
from torch import nn
from tqdm.auto import tqdm

from . import layers as L
from .arith import check_int, conv_output_size, conv_params


class Layer(NamedTuple):
    """One layer of an architecture: kind "conv", "pool", "gap" (global average pool) or "fc".

    f, s, p: kernel (window) size, stride and padding (conv and pool); n_c: number of
    filters (conv) or units (fc); pooling keeps the channel count.
    """

    name: str
    kind: str
    f: int | None = None
    s: int | None = None
    p: int = 0
    n_c: int | None = None


LENET5 = (
    Layer("conv1", "conv", f=5, s=1, p=0, n_c=6),
    Layer("pool1", "pool", f=2, s=2),
    Layer("conv2", "conv", f=5, s=1, p=0, n_c=16),
    Layer("pool2", "pool", f=2, s=2),
    Layer("fc3", "fc", n_c=120),
    Layer("fc4", "fc", n_c=84),
    Layer("fc5", "fc", n_c=10),
)
"""LeNet-5 as a list of layers: the table, the NumPy net and the tests read it."""

LENET5_GAP = LENET5[:4] + (Layer("gap", "gap"),) + LENET5[4:]
"""LeNet-5 with a global average pool before the FC layers: accepts any input size."""

KINDS = ("conv", "pool", "gap", "fc")
ACTIVATIONS = {
    "tanh": (L.tanh_forward, L.tanh_backward),
    "relu": (L.relu_forward, L.relu_backward),
}
POOLS = {
    "avg": (L.avg_pool_forward, L.avg_pool_backward),
    "max": (L.max_pool_forward, L.max_pool_backward),
}


# ---------------------------------------------------------------------------------------
# the per-layer table: shapes and parameters from cnnlab.arith


class Row(NamedTuple):
    """One line of the table. shape is (n_H, n_W, n_C) for images, (n,) after flattening;
    layer is the layer number by the conv+pool convention (0 for the input)."""

    layer: int
    name: str
    f: int | None
    s: int | None
    p: int | None
    n_c: int
    shape: tuple
    activations: int
    params: int


def layer_table(spec=LENET5, input_shape=(32, 32, 1)) -> list[Row]:
    """Output shape and parameter count of every layer, by the notes' formulas.

    spec: sequence of :class:`Layer`; input_shape: (n_H, n_W, n_C) of one image.
    conv: ``n[l] = floor((n[l-1] + 2p[l] - f[l]) / s[l]) + 1``, ``n_c[l]`` filters of
    ``f x f x n_c[l-1]`` weights plus one bias each; pool: the same size formula, no
    parameters, channels kept; fc: ``inputs x units`` weights plus one bias per unit.
    Raises ValueError (from cnnlab.arith) when a layer does not fit its input.
    """
    h, w, c = (check_int("input size", v, 1) for v in input_shape)
    rows = [Row(0, "input", None, None, None, c, (h, w, c), h * w * c, 0)]
    shape, number = (h, w, c), 0
    for layer in spec:
        if layer.kind not in KINDS:
            raise ValueError(f"layer {layer.name}: kind must be one of {KINDS}, got {layer.kind!r}")
        if layer.kind in ("conv", "pool"):
            if len(shape) != 3:
                raise ValueError(f"{layer.name}: a {layer.kind} needs an image, got shape {shape}")
            h, w, c = shape
            n_c = layer.n_c if layer.kind == "conv" else c
            shape = (
                conv_output_size(h, layer.f, layer.p, layer.s),
                conv_output_size(w, layer.f, layer.p, layer.s),
                n_c,
            )
            params = conv_params(layer.f, c, n_c) if layer.kind == "conv" else 0
            number += layer.kind == "conv"  # conv starts a layer, its pool belongs to it
            rows.append(
                Row(
                    number,
                    layer.name,
                    layer.f,
                    layer.s,
                    layer.p,
                    n_c,
                    shape,
                    math.prod(shape),
                    params,
                )
            )
        elif layer.kind == "gap":
            shape = (shape[-1],)
            rows.append(Row(number, layer.name, None, None, None, shape[0], shape, shape[0], 0))
        else:
            n_in = math.prod(shape)  # a flatten first, if the input is still an image
            shape, number = (layer.n_c,), number + 1
            rows.append(
                Row(
                    number,
                    layer.name,
                    None,
                    None,
                    None,
                    layer.n_c,
                    shape,
                    layer.n_c,
                    n_in * layer.n_c + layer.n_c,
                )
            )
    return rows


def format_table(rows) -> str:
    """The table as text: l, layer, f[l], s[l], p[l], n_c[l], output shape, activations, parameters."""
    dash = "-"
    head = f"{'l':>2}  {'layer':<6} {'f':>2} {'s':>2} {'p':>2} {'n_c':>4}  {'output':<11} {'activations':>11} {'parameters':>10}"
    lines = [head, "-" * len(head)]
    for r in rows:
        shape = "x".join(str(v) for v in r.shape)
        lines.append(
            f"{r.layer:>2}  {r.name:<6} {r.f or dash:>2} {r.s or dash:>2} "
            f"{dash if r.p is None else r.p:>2} {r.n_c:>4}  {shape:<11} {r.activations:>11,} {r.params:>10,}"
        )
    lines.append("-" * len(head))
    width = len(head)
    lines.append(f"{'total parameters':<{width - 12}}{sum(r.params for r in rows):>12,}")
    return "\n".join(lines)


def summary(model: nn.Module | None = None, spec=LENET5, input_shape=(32, 32, 1)) -> str:
    """The per-layer table of ``spec``, checked against a PyTorch model when one is given.

    For every row, the model's submodule of the same name must have as many parameters
    (``p.numel()`` summed, PyTorch's own count) and give the same output shape in a
    forward pass (recorded with hooks); otherwise a ValueError says which layer differs.
    Returns the table as text, ending with PyTorch's total when a model was checked.
    """
    rows = layer_table(spec, input_shape)
    text = format_table(rows)
    if model is None:
        return text
    total = check_against_torch(rows, model)
    width = len(text.splitlines()[0])
    return text + f"\n{'PyTorch counts':<{width - 12}}{total:>12,}"


def check_against_torch(rows, model: nn.Module) -> int:
    """Check every row of a layer table against the model's submodule of the same name.

    The parameter count must equal PyTorch's ``sum(p.numel())`` for that submodule, and
    the output shape the one a forward pass gives (recorded with hooks; run on the model's
    own device, so a model on the ``meta`` device is checked without computing anything).
    Raises ValueError naming the first row that differs; returns PyTorch's total count,
    which must equal the table's. (Lesson 07's classic networks are checked the same way.)
    """
    modules = dict(model.named_modules())
    missing = [
        r.name for r in rows[1:] if r.name not in modules and getattr(r, "kind", "") != "concat"
    ]
    if missing:
        raise ValueError(
            f"the model has no layer (submodule) named {missing[0]!r}; "
            f"it has {[name for name, _ in model.named_children()]}"
        )
    shapes: dict = {}
    hooks = [
        modules[r.name].register_forward_hook(
            lambda _m, _i, out, name=r.name: shapes.__setitem__(name, tuple(out.shape[1:]))
        )
        for r in rows[1:]
        if r.name in modules
    ]
    h, w, c = rows[0].shape
    try:
        dev = next(model.parameters()).device
        with torch.no_grad():
            out = model(torch.zeros(1, c, h, w, device=dev))
    except RuntimeError as err:
        raise ValueError(f"the model cannot run a {h}x{w}x{c} input: {err}") from None
    finally:
        for hook in hooks:
            hook.remove()
    shapes.setdefault("concat", tuple(out.shape[1:]))  # an Inception module's last row
    for r in rows[1:]:
        n = sum(p.numel() for p in modules[r.name].parameters()) if r.name in modules else 0
        # PyTorch is channels-first: (C, H, W) for images, (n,) for vectors
        torch_shape = (r.shape[2], r.shape[0], r.shape[1]) if len(r.shape) == 3 else r.shape
        got = shapes.get(r.name)
        if n != r.params or got is None or _squeeze(got) != _squeeze(torch_shape):
            raise ValueError(
                f"{r.name}: the formulas give {r.params:,} parameters and output "
                f"{torch_shape}; PyTorch has {n:,} parameters and output {got}"
            )
    total = sum(p.numel() for p in model.parameters())
    table = sum(r.params for r in rows)
    if total != table:
        raise ValueError(f"PyTorch counts {total:,} parameters in all, the table {table:,}")
    return total


def _squeeze(shape):
    # a global pool gives (C, 1, 1) in PyTorch, (C,) in the table: same numbers
    return tuple(v for v in shape if v != 1)


# ---------------------------------------------------------------------------------------
# inputs: the 8x8 scikit-learn digits brought to LeNet's 32x32


def upsample(x, size: int = 32) -> np.ndarray:
    """Bilinear resize of a batch (N, C, h, w) to (N, C, size, size), in float32.

    The same numbers as ``torch.nn.functional.interpolate(x, size, mode="bilinear")``
    (pixel centres aligned, edges clamped), written as two small matrix products:
    out = A_h @ x @ A_w.T, where each row of A mixes the two nearest input pixels.
    Upsampling adds no information: it only spreads the same pixels over more positions.
    """
    x = np.asarray(x, dtype=np.float32)
    if x.ndim != 4:
        raise ValueError(f"upsample expects (N, C, h, w), got shape {x.shape}")
    size = check_int("size", size, 1)
    a_h, a_w = _interp_matrix(x.shape[2], size), _interp_matrix(x.shape[3], size)
    return np.einsum("ih,nchw,jw->ncij", a_h, x, a_w).astype(np.float32)


def _interp_matrix(n_in: int, n_out: int) -> np.ndarray:
    """(n_out, n_in) linear interpolation weights, half-pixel centres like PyTorch."""
    src = np.maximum((np.arange(n_out) + 0.5) * n_in / n_out - 0.5, 0.0)
    i0 = np.minimum(np.floor(src).astype(int), n_in - 1)
    i1 = np.minimum(i0 + 1, n_in - 1)
    frac = (src - i0).astype(np.float32)
    a = np.zeros((n_out, n_in), dtype=np.float32)
    np.add.at(a, (np.arange(n_out), i0), 1 - frac)
    np.add.at(a, (np.arange(n_out), i1), frac)
    return a


# ---------------------------------------------------------------------------------------
# the NumPy reference


def init_params(seed: int = 0, spec=LENET5, input_shape=(32, 32, 1), dtype=np.float32) -> dict:
    """Random weights for ``spec``: LeCun's normal init, std 1/sqrt(fan_in), zero biases.

    fan_in is the number of inputs one unit sees (f*f*n_c[l-1] for a conv), which keeps the
    pre-activations of a tanh net near unit variance. Returns {"conv1.weight": (6, 1, 5, 5),
    "conv1.bias": (6,), ..., "fc5.weight": (10, 84), "fc5.bias": (10,)}.
    """
    rng = np.random.default_rng(seed)
    rows = layer_table(spec, input_shape)
    params = {}
    for layer, prev in zip(spec, rows):
        if layer.kind == "conv":
            shape = (layer.n_c, prev.shape[-1], layer.f, layer.f)
        elif layer.kind == "fc":
            shape = (layer.n_c, math.prod(prev.shape))
        else:
            continue
        fan_in = math.prod(shape[1:])
        params[f"{layer.name}.weight"] = (rng.standard_normal(shape) / math.sqrt(fan_in)).astype(
            dtype
        )
        params[f"{layer.name}.bias"] = np.zeros(shape[0], dtype=dtype)
    return params


def forward(params: dict, x, spec=LENET5, activation: str = "tanh", pool: str = "avg"):
    """Scores (logits) of a batch. x: (N, C, H, W) -> (N, 10), plus the caches for ``backward``.

    Every conv and every FC but the last is followed by the activation; the last FC gives
    the class scores that the softmax turns into probabilities.
    """
    act_f, pool_f = _choose(activation, pool)
    out, caches = np.asarray(x), []
    last_fc = max(i for i, layer in enumerate(spec) if layer.kind == "fc")
    for i, layer in enumerate(spec):
        if layer.kind == "conv":
            w, b = params[f"{layer.name}.weight"], params[f"{layer.name}.bias"]
            out, cache = L.conv_forward(out, w, b, layer.s, layer.p)
            caches.append(("conv", layer.name, cache))
        elif layer.kind == "pool":
            out, cache = pool_f[0](out, layer.f, layer.s, layer.p)
            caches.append(("pool", layer.name, cache))
        elif layer.kind == "gap":
            out, cache = L.global_avg_pool_forward(out)
            caches.append(("gap", layer.name, cache))
        else:
            if out.ndim > 2:
                out, cache = L.flatten_forward(out)
                caches.append(("flatten", "flatten", cache))
            w, b = params[f"{layer.name}.weight"], params[f"{layer.name}.bias"]
            if out.shape[1] != w.shape[1]:
                raise ValueError(
                    f"{layer.name} expects {w.shape[1]} inputs but gets {out.shape[1]}: the "
                    f"input image has a different size from the one the weights were made "
                    f"for (input {np.shape(x)[1:]}); a fully connected layer fixes its input size"
                )
            out, cache = L.affine_forward(out, w, b)
            caches.append(("fc", layer.name, cache))
        if layer.kind == "conv" or (layer.kind == "fc" and i != last_fc):
            out, cache = act_f[0](out)
            caches.append(("act", layer.name, cache))
    return out, caches


def backward(dscores, caches, activation: str = "tanh", pool: str = "avg") -> dict:
    """Backpropagation: the gradient of the loss for every parameter, from dL/d(scores).

    Walks the caches of ``forward`` in reverse, each layer turning the gradient of its
    output into the gradient of its input (and of its weights). Returns a dict shaped
    like the params. The input image's gradient is not needed, so conv1's is dropped.
    """
    act_f, pool_f = _choose(activation, pool)
    grads, d = {}, dscores
    first = min(i for i, (kind, _, _) in enumerate(caches) if kind in ("conv", "fc"))
    for i, (kind, name, cache) in reversed(list(enumerate(caches))):
        if kind == "act":
            d = act_f[1](d, cache)
        elif kind == "pool":
            d = pool_f[1](d, cache)
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


def loss_and_grads(params, x, y, spec=LENET5, activation="tanh", pool="avg"):
    """Mean softmax cross-entropy of a batch and its gradient for every parameter."""
    scores, caches = forward(params, x, spec, activation, pool)
    loss, dscores = L.softmax_cross_entropy(scores, y)
    return loss, backward(dscores, caches, activation, pool)


def predict(params, x, spec=LENET5, activation="tanh", pool="avg", batch_size=512) -> np.ndarray:
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
    pool: str = "avg",
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
    if epochs < 1 or batch_size < 1 or lr <= 0 or not 0 < lr_decay <= 1:
        raise ValueError(
            f"epochs and batch_size must be >= 1, lr > 0 and 0 < lr_decay <= 1, got "
            f"epochs={epochs}, batch_size={batch_size}, lr={lr}, lr_decay={lr_decay}"
        )
    params = {k: v.copy() for k, v in params.items()}
    x, y = np.asarray(train_data[0]), np.asarray(train_data[1])
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same length, got {len(x)} and {len(y)}")
    x = x.astype(next(iter(params.values())).dtype, copy=False)
    rng = np.random.default_rng(seed)
    history = {"train_loss": [], "train_acc": [], "val_acc": []}
    start = time.perf_counter()
    bar = tqdm(range(epochs), desc="NumPy LeNet-5", disable=not progress)
    # The matrices here are small: a second BLAS thread gains nothing on an idle 2-core
    # machine and makes training 3-10x slower when other programs share the cores.
    with threadpool_limits(limits=blas_threads, user_api="blas"):
        for _ in bar:
            order = rng.permutation(len(x))
            loss_sum, correct = 0.0, 0
            for i in range(0, len(x), batch_size):
                idx = order[i : i + batch_size]
                scores, caches = forward(params, x[idx], spec, activation, pool)
                loss, dscores = L.softmax_cross_entropy(scores, y[idx])
                grads = backward(dscores, caches, activation, pool)
                for k in params:
                    params[k] -= lr * grads[k]  # the whole of plain SGD
                loss_sum += loss * len(idx)
                correct += int((scores.argmax(axis=1) == y[idx]).sum())
            history["train_loss"].append(loss_sum / len(x))
            history["train_acc"].append(correct / len(x))
            shown = {"loss": f"{history['train_loss'][-1]:.3f}"}
            if val is not None:
                pred = predict(params, val[0], spec, activation, pool)
                history["val_acc"].append(float(np.mean(pred == np.asarray(val[1]))))
                shown["val_acc"] = f"{history['val_acc'][-1]:.3f}"
            bar.set_postfix(shown)
            lr *= lr_decay
    history["seconds"] = time.perf_counter() - start
    return params, history


def _choose(activation, pool):
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {list(ACTIVATIONS)}, got {activation!r}")
    if pool not in POOLS:
        raise ValueError(f"pool must be one of {list(POOLS)}, got {pool!r}")
    return ACTIVATIONS[activation], POOLS[pool]


# ---------------------------------------------------------------------------------------
# the PyTorch path


class LeNet5(nn.Module):
    """LeNet-5 in PyTorch, the same layers (and names) as ``LENET5`` and the NumPy net.

    input_size: side of the square input (32 for LeNet); it fixes fc3's input count
    16 * n * n, where n is pool2's output side. global_pool=True replaces the flatten by a
    global average pool (16 numbers whatever the input size), so any input size >= 16 works.
    """

    def __init__(
        self,
        activation: str = "tanh",
        pool: str = "avg",
        input_size: int = 32,
        in_channels: int = 1,
        n_classes: int = 10,
        global_pool: bool = False,
    ):
        super().__init__()
        _choose(activation, pool)
        self.act = nn.Tanh() if activation == "tanh" else nn.ReLU()
        pool_cls = nn.AvgPool2d if pool == "avg" else nn.MaxPool2d
        self.conv1 = nn.Conv2d(in_channels, 6, kernel_size=5)
        self.pool1 = pool_cls(2, stride=2)
        self.conv2 = nn.Conv2d(6, 16, kernel_size=5)
        self.pool2 = pool_cls(2, stride=2)
        self.global_pool = global_pool
        if global_pool:
            self.gap = nn.AdaptiveAvgPool2d(1)
            flat = 16
        else:
            n = conv_output_size(input_size, 5)  # conv1
            n = conv_output_size(n, 2, s=2)  # pool1
            n = conv_output_size(n, 5)  # conv2
            n = conv_output_size(n, 2, s=2)  # pool2
            flat = 16 * n * n
        self.fc3 = nn.Linear(flat, 120)
        self.fc4 = nn.Linear(120, 84)
        self.fc5 = nn.Linear(84, n_classes)

    def forward(self, x):
        x = self.pool1(self.act(self.conv1(x)))
        x = self.pool2(self.act(self.conv2(x)))
        x = self.gap(x) if self.global_pool else x
        x = torch.flatten(x, 1)
        x = self.act(self.fc3(x))
        x = self.act(self.fc4(x))
        return self.fc5(x)  # scores; cross_entropy applies the softmax


def params_from_torch(model: nn.Module, dtype=np.float32) -> dict:
    """A PyTorch LeNet5's weights as a NumPy params dict (same names and layouts)."""
    return {k: v.detach().cpu().numpy().astype(dtype) for k, v in model.state_dict().items()}


def params_to_torch(params: dict, model: nn.Module) -> nn.Module:
    """Load a NumPy params dict into a PyTorch LeNet5 (in place); returns the model."""
    ref = next(model.parameters())
    state = {
        k: torch.as_tensor(np.asarray(v), dtype=ref.dtype, device=ref.device)
        for k, v in params.items()
    }
    model.load_state_dict(state)
    return model


@torch.no_grad()
def feature_maps(model: nn.Module, image) -> dict:
    """Activations of one image after every conv (+activation) and pool of a LeNet5.

    image: (C, H, W) or (1, C, H, W). Returns {"input": (C, H, W), "conv1": (6, 28, 28),
    "pool1": (6, 14, 14), "conv2": (16, 10, 10), "pool2": (16, 5, 5)} as NumPy arrays.
    """
    dev = next(model.parameters()).device
    x = torch.as_tensor(np.asarray(image, dtype=np.float32), device=dev)
    x = x[None] if x.ndim == 3 else x
    if x.ndim != 4 or len(x) != 1:
        raise ValueError(f"feature_maps expects one image (C, H, W), got shape {tuple(x.shape)}")
    model.eval()
    maps = {"input": x}
    maps["conv1"] = model.act(model.conv1(x))
    maps["pool1"] = model.pool1(maps["conv1"])
    maps["conv2"] = model.act(model.conv2(maps["pool1"]))
    maps["pool2"] = model.pool2(maps["conv2"])
    return {k: v[0].cpu().numpy() for k, v in maps.items()}


def random_resize(sizes=(24, 28, 32, 36, 40), seed: int = 0):
    """An ``augment`` function for ``cnnlab.nets.fit``: resizes each training batch
    (bilinear) to a size drawn from ``sizes``, so a global-pooling net sees digits at
    several scales. Batches stay one size each: a batch is one tensor."""
    sizes = [check_int("size", s, 1) for s in sizes]
    if not sizes:
        raise ValueError("random_resize needs at least one size")
    gen = torch.Generator().manual_seed(seed)

    def augment(xb):
        k = sizes[int(torch.randint(len(sizes), (1,), generator=gen))]
        return nn.functional.interpolate(xb, size=(k, k), mode="bilinear")

    return augment
