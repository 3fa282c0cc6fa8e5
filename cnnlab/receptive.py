"""The receptive field, measured: which input pixels can change one output unit.

``cnnlab.arith.receptive_field`` gives the formula (size, jump, start per layer). This
module measures the same thing the way you would on any network: put a gradient of 1 on
one output unit, backpropagate it to the input with cnnlab's NumPy backward passes, and
see which input pixels received a non-zero gradient. Those pixels are the unit's
receptive field; the formula's square is its outline.

A stack is a list of layers, each one of

- ``(kernel, stride[, dilation[, padding]])`` -- a convolution, as in ``arith.receptive_field``
  (also written ``("conv", kernel, stride[, dilation[, padding]])``);
- ``("max", kernel[, stride[, padding]])`` or ``("avg", kernel[, stride[, padding]])`` -- a
  pooling layer; the stride defaults to the kernel, as in PyTorch.

Every layer has one channel and a square kernel: the receptive field does not depend on
the number of channels.

>>> stack = [(3, 1)] * 4                     # the notes' four 3x3 layers
>>> mask = empirical_receptive_field(stack, 13)
>>> int(mask.sum()), receptive_box(stack, 13)
(81, (2, 2, 10, 10))
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from .arith import LayerRF, check_int, conv_output_size
from .arith import receptive_field as _arith_receptive_field
from .conv import conv2d, conv2d_backward
from .pool import avg_pool2d, avg_pool2d_backward, max_pool2d, max_pool2d_backward

KINDS = ("conv", "max", "avg")


class Layer(NamedTuple):
    """One layer of a stack, normalised: kind is 'conv', 'max' or 'avg'."""

    kind: str
    kernel: int
    stride: int
    dilation: int
    padding: int

    def __str__(self) -> str:
        k = f"{self.kernel}x{self.kernel}"
        text = f"conv {k}" if self.kind == "conv" else f"{self.kind}pool {k}"
        text += f" s{self.stride}"
        if self.dilation > 1:
            text += f" d{self.dilation}"
        if self.padding:
            text += f" p{self.padding}"
        return text


def parse_layers(layers) -> list[Layer]:
    """Normalise a stack description (see the module docstring) to a list of :class:`Layer`.

    >>> parse_layers([(3, 1), ("max", 2)])
    [Layer(kind='conv', kernel=3, stride=1, dilation=1, padding=0), Layer(kind='max', kernel=2, stride=2, dilation=1, padding=0)]
    """
    if isinstance(layers, (str, bytes)) or not isinstance(layers, Sequence) or not layers:
        raise ValueError(
            "layers must be a non-empty list such as [(3, 1), (3, 1), ('max', 2)]: "
            "(kernel, stride[, dilation[, padding]]) for a conv, ('max' or 'avg', kernel"
            f"[, stride[, padding]]) for a pool; got {layers!r}"
        )
    return [_parse_layer(i, layer) for i, layer in enumerate(layers)]


def _parse_layer(i: int, layer) -> Layer:
    if isinstance(layer, Layer):
        return layer
    if isinstance(layer, (str, bytes)) or not isinstance(layer, Sequence) or not layer:
        raise ValueError(
            f"layer {i + 1} must be a tuple such as (3, 1) or ('max', 2), got {layer!r}"
        )
    if isinstance(layer[0], str):
        kind, rest = layer[0], tuple(layer[1:])
        if kind not in KINDS:
            raise ValueError(f"layer {i + 1}: kind must be one of {KINDS}, got {kind!r}")
    else:
        kind, rest = "conv", tuple(layer)
    name = f"layer {i + 1} ({kind})"
    if kind == "conv":
        if not 1 <= len(rest) <= 4:
            raise ValueError(
                f"{name} must be (kernel[, stride[, dilation[, padding]]]), got {layer!r}"
            )
        k, s, d, p = rest + (1, 1, 0)[len(rest) - 1 :]
    else:
        if not 1 <= len(rest) <= 3:
            raise ValueError(
                f"{name} must be ('{kind}', kernel[, stride[, padding]]), got {layer!r}"
            )
        k = rest[0]
        s = rest[1] if len(rest) > 1 else k
        d, p = 1, rest[2] if len(rest) > 2 else 0
    k = check_int(f"{name} kernel", k, 1)
    s = check_int(f"{name} stride", s, 1)
    d = check_int(f"{name} dilation", d, 1)
    p = check_int(f"{name} padding", p, 0)
    if kind != "conv" and 2 * p > k:
        # PyTorch's rule, as in cnnlab.pool: a window may not lie wholly in the padding
        raise ValueError(
            f"{name}: pool padding must be at most half the kernel size, got padding {p} "
            f"for kernel {k}; use padding <= {k // 2}"
        )
    return Layer(kind, k, s, d, p)


def formula_receptive_field(layers) -> list[LayerRF]:
    """The formula's size, jump and start after every layer (pools count like convs).

    Wraps ``arith.receptive_field``, which sees a pool as a conv with the same kernel,
    stride and padding: for the receptive field, only the window matters.

    >>> [r.size for r in formula_receptive_field([(3, 1), (3, 1), ("max", 2), (3, 1)])]
    [3, 5, 6, 10]
    """
    return _arith_receptive_field(
        [(L.kernel, L.stride, L.dilation, L.padding) for L in parse_layers(layers)]
    )


def feature_map_sizes(layers, input_size) -> list[tuple[int, int]]:
    """Spatial size of the input and of every layer's output: ``[(H, W), (H1, W1), ...]``.

    Raises ValueError, naming the layer, when a feature map would shrink to nothing.
    """
    stack = parse_layers(layers)
    h, w = _size_pair(input_size)
    sizes = [(h, w)]
    for i, L in enumerate(stack):
        try:
            h = conv_output_size(h, L.kernel, L.padding, L.stride, L.dilation)
            w = conv_output_size(w, L.kernel, L.padding, L.stride, L.dilation)
        except ValueError as err:
            raise ValueError(
                f"layer {i + 1} ({L}) gets a {sizes[-1][0]}x{sizes[-1][1]} feature map and "
                f"cannot produce any output: {err}"
            ) from None
        sizes.append((h, w))
    return sizes


def _size_pair(input_size) -> tuple[int, int]:
    if isinstance(input_size, Sequence) and not isinstance(input_size, str):
        if len(input_size) != 2:
            raise ValueError(f"input_size must be an int or (H, W), got {input_size!r}")
        return check_int("input height", input_size[0], 1), check_int(
            "input width", input_size[1], 1
        )
    n = check_int("input_size", input_size, 1)
    return n, n


def _unit(unit, out_hw) -> tuple[int, int]:
    """The output unit to follow; by default the centre of the last feature map."""
    h, w = out_hw
    if unit is None:
        return (h - 1) // 2, (w - 1) // 2
    if (
        not isinstance(unit, Sequence)
        or len(unit) != 2
        or not all(hasattr(u, "__index__") and not isinstance(u, bool) for u in unit)
    ):
        raise ValueError(f"unit must be a (row, col) pair of ints, got {unit!r}")
    r, c = int(unit[0]), int(unit[1])
    if not (0 <= r < h and 0 <= c < w):
        raise ValueError(
            f"unit {unit!r} is outside the last feature map, which is {h}x{w}: use "
            f"0 <= row < {h} and 0 <= col < {w}"
        )
    return r, c


def receptive_box(layers, input_size, unit=None) -> tuple[int, int, int, int]:
    """The formula's square for one output unit: ``(top, left, bottom, right)``, inclusive.

    The centre of unit ``i`` is ``start + jump * i`` and the square is ``size`` wide, so
    it spans ``centre - (size-1)/2 ... centre + (size-1)/2``. Where padding was used the
    square may stick out of the image (negative or >= H): those pixels were zeros.
    """
    sizes = feature_map_sizes(layers, input_size)
    r, c = _unit(unit, sizes[-1])
    last = formula_receptive_field(layers)[-1]
    half = (last.size - 1) / 2
    top = int(round(last.start + last.jump * r - half))
    left = int(round(last.start + last.jump * c - half))
    return top, left, top + last.size - 1, left + last.size - 1


def input_gradient(layers, input_size, unit=None, *, weights="ones", x=None, seed=0):
    """Gradient of one output unit with respect to every input pixel, by backpropagation.

    A gradient of 1 is put on ``unit`` of the last feature map (by default its centre)
    and sent back through the stack with ``cnnlab.conv.conv2d_backward`` and the pooling
    backward passes.

    weights:
      - ``"ones"``: every kernel is all ones and every pool is replaced by its window sum,
        so nothing can cancel and the gradient of a pixel counts the paths from it to the
        unit. Max pooling would send the gradient to the one input that won, which depends
        on the image; every input of the window *can* win, so for the extent we use the
        window.
      - ``"random"``: standard-normal kernels from ``numpy.random.default_rng(seed)``; a
        forward pass on ``x`` (random if None) decides which input wins each max pool.
      - a list of (K, K) arrays, one per conv layer, with the real pools as for "random".

    x: optional (H, W) input, used only to route max pooling. Returns (H, W) float64.
    """
    stack = parse_layers(layers)
    sizes = feature_map_sizes(stack, input_size)
    r, c = _unit(unit, sizes[-1])
    dout = np.zeros((1, 1) + sizes[-1])
    dout[0, 0, r, c] = 1.0
    if isinstance(weights, str) and weights == "ones":
        for L, (h, w) in zip(reversed(stack), reversed(sizes[:-1])):
            dout = _backward_ones(L, dout, (h, w))
        return dout[0, 0]
    kernels, x = _weights_and_input(stack, sizes[0], weights, x, seed)
    # forward pass, keeping every layer's input for the backward pass
    inputs, a, ks = [], x[None, None], iter(kernels)
    layer_kernels = []
    for L in stack:
        inputs.append(a)
        k = next(ks) if L.kind == "conv" else None
        layer_kernels.append(k)
        a = _forward(L, a, k)
    for L, a_in, k in zip(reversed(stack), reversed(inputs), reversed(layer_kernels)):
        dout = _backward(L, dout, a_in, k)
    return dout[0, 0]


def _weights_and_input(stack, hw, weights, x, seed):
    rng = np.random.default_rng(seed)
    n_conv = sum(L.kind == "conv" for L in stack)
    if isinstance(weights, str):
        if weights != "random":
            raise ValueError(
                f"weights must be 'ones', 'random' or a list of (K, K) kernels, got {weights!r}"
            )
        kernels = [rng.standard_normal((L.kernel, L.kernel)) for L in stack if L.kind == "conv"]
    else:
        kernels = [np.asarray(k, dtype=float) for k in weights]
        convs = [L for L in stack if L.kind == "conv"]
        if len(kernels) != n_conv or any(
            k.shape != (L.kernel, L.kernel) for k, L in zip(kernels, convs)
        ):
            raise ValueError(
                f"weights must hold one (K, K) kernel per conv layer: expected shapes "
                f"{[(L.kernel, L.kernel) for L in convs]}, got {[k.shape for k in kernels]}"
            )
    if x is None:
        x = rng.standard_normal(hw)
    x = np.asarray(x, dtype=float)
    if x.shape != hw:
        raise ValueError(f"x must be the (H, W) input of shape {hw}, got {x.shape}")
    return kernels, x


def _forward(L: Layer, a, k):
    if L.kind == "conv":
        return conv2d(a, k[None, None], None, L.stride, L.padding, L.dilation)
    pool = max_pool2d if L.kind == "max" else avg_pool2d
    return pool(a, L.kernel, L.stride, L.padding)


def _backward(L: Layer, dout, a_in, k):
    if L.kind == "conv":
        return conv2d_backward(dout, a_in, k[None, None], L.stride, L.padding, L.dilation)[0]
    back = max_pool2d_backward if L.kind == "max" else avg_pool2d_backward
    return back(dout, a_in, L.kernel, L.stride, L.padding)


def _backward_ones(L: Layer, dout, hw):
    x = np.zeros((1, 1) + hw)  # the backward pass needs only the input's shape here
    if L.kind == "conv":
        ones = np.ones((1, 1, L.kernel, L.kernel))
        return conv2d_backward(dout, x, ones, L.stride, L.padding, L.dilation)[0]
    # a window sum: the average's gradient times the window area, so counts stay integers
    return avg_pool2d_backward(dout * L.kernel**2, x, L.kernel, L.stride, L.padding)


def empirical_receptive_field(layers, input_size, unit=None) -> np.ndarray:
    """The input pixels whose gradient is non-zero for one output unit: an (H, W) bool mask.

    Measured by backpropagation (``input_gradient(..., weights="ones")``), not by the
    formula. Its bounding box is the formula's square (``receptive_box``) cut to the
    image; inside, dilation or a stride larger than the kernel can leave holes.
    """
    return input_gradient(layers, input_size, unit, weights="ones") > 0


def effective_receptive_field(layers, input_size, unit=None, *, draws=16, seed=0):
    """Mean gradient magnitude over ``draws`` random networks, scaled to a maximum of 1.

    Every pixel of the receptive field *can* affect the unit, but the centre pixels reach
    it along many more paths than the edge ones, so in practice the gradient is
    concentrated in the middle (Luo et al., 2016). Returns (H, W) float64 in [0, 1].
    """
    draws = check_int("draws", draws, 1)
    total = 0.0
    for i in range(draws):
        total = total + np.abs(
            input_gradient(layers, input_size, unit, weights="random", seed=seed + i)
        )
    return total / total.max()


def layers_to_see(target: int, block, max_layers: int = 10_000) -> list[LayerRF]:
    """Repeat ``block`` (one layer or a list of layers) until the receptive field is at
    least ``target`` pixels; return the formula's values for every layer of that stack.

    ``len(result)`` is the number of layers needed and ``result[-1].size`` the field.

    >>> len(layers_to_see(224, (3, 1)))              # 3x3 convs, stride 1
    112
    """
    target = check_int("target", target, 1)
    block = parse_layers([block] if _is_single_layer(block) else block)
    if all(L.kernel == 1 for L in block) and target > 1:
        raise ValueError(f"a block of 1x1 layers never grows the receptive field, got {block}")
    stack: list[Layer] = []
    while len(stack) < max_layers:
        stack.extend(block)
        rfs = formula_receptive_field(stack)
        for n, r in enumerate(rfs, start=1):
            if r.size >= target:
                return rfs[:n]
    raise ValueError(f"no receptive field of {target} pixels within {max_layers} layers")


def _is_single_layer(block) -> bool:
    return isinstance(block, Layer) or (
        isinstance(block, Sequence) and bool(block) and not isinstance(block[0], Sequence)
    )


def receptive_table(layers, input_size=None) -> str:
    """A text table of every layer: output size (if ``input_size`` is given), receptive
    field size, jump and start, as the recursion computes them."""
    stack = parse_layers(layers)
    rfs = formula_receptive_field(stack)
    sizes = feature_map_sizes(stack, input_size) if input_size is not None else None
    head = f"{'layer':<20}" + (f"{'output':>9}" if sizes else "")
    head += f"{'RF size':>9}{'jump':>6}{'start':>7}"
    lines = [head, "-" * len(head)]
    if sizes:
        lines.append(f"{'input':<20}{_hw(sizes[0]):>9}{1:>9}{1:>6}{0:>7g}")
    for i, (L, r) in enumerate(zip(stack, rfs)):
        row = f"{i + 1:>2} {str(L):<17}" + (f"{_hw(sizes[i + 1]):>9}" if sizes else "")
        lines.append(row + f"{r.size:>9}{r.jump:>6}{r.start:>7g}")
    return "\n".join(lines)


def _hw(hw) -> str:
    return f"{hw[0]}x{hw[1]}"


def stride1_size(n_layers: int, kernel: int) -> int:
    """``1 + L(K-1)``: receptive field of ``L`` stride-1 layers of a ``K x K`` kernel."""
    n_layers = check_int("number of layers L", n_layers, 0)
    kernel = check_int("kernel size K", kernel, 1)
    return 1 + n_layers * (kernel - 1)


def make_stack(
    n_layers: int,
    kernel: int,
    stride: int = 1,
    dilation: int = 1,
    *,
    pool: bool = False,
    same: bool = False,
) -> list[Layer]:
    """``n_layers`` equal conv layers, each followed by a 2x2 max pool if ``pool``.

    same: pad every conv by ``d(k-1)//2`` so that, at stride 1, it keeps the size
    (exactly for odd kernels). This is the stack the receptive-field widget draws.

    >>> [str(L) for L in make_stack(2, 3, pool=True)]
    ['conv 3x3 s1', 'maxpool 2x2 s2', 'conv 3x3 s1', 'maxpool 2x2 s2']
    """
    n_layers = check_int("number of layers", n_layers, 1)
    kernel = check_int("kernel size", kernel, 1)
    stride = check_int("stride", stride, 1)
    dilation = check_int("dilation", dilation, 1)
    pad = dilation * (kernel - 1) // 2 if same else 0
    stack = []
    for _ in range(n_layers):
        stack.append(Layer("conv", kernel, stride, dilation, pad))
        if pool:
            stack.append(Layer("max", 2, 2, 1, 0))
    return stack


__all__ = [
    "Layer",
    "parse_layers",
    "formula_receptive_field",
    "feature_map_sizes",
    "receptive_box",
    "input_gradient",
    "empirical_receptive_field",
    "effective_receptive_field",
    "layers_to_see",
    "receptive_table",
    "stride1_size",
    "make_stack",
]
