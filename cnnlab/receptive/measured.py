"""The receptive field, measured: which input pixels can change one output unit.

``cnnlab.arith.receptive_field`` gives the formula (size, jump, start per layer). This
module measures the same thing the way you would on any network: put a gradient of 1 on
one output unit, backpropagate it to the input with cnnlab's NumPy backward passes, and
see which input pixels received a non-zero gradient. Those pixels are the unit's
receptive field; the formula's square (:func:`~cnnlab.receptive.formula.receptive_box`) is
its outline. Stacks are written as in :mod:`cnnlab.receptive.stacks`. Used by lesson 04.

>>> stack = [(3, 1)] * 4                     # the notes' four 3x3 layers
>>> mask = empirical_receptive_field(stack, 13)
>>> int(mask.sum()), missing_pixels(mask, (2, 2, 10, 10))
(81, 0)
"""

from __future__ import annotations

import numpy as np

from ..conv import conv2d, conv2d_backward
from ..i18n import tr
from ..pool import avg_pool2d, avg_pool2d_backward, max_pool2d, max_pool2d_backward
from ..tables import Layer
from ..validate import check_int
from .stacks import feature_map_sizes, output_unit, parse_layers


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
    r, c = output_unit(unit, sizes[-1])
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
    convs = [L for L in stack if L.kind == "conv"]
    if isinstance(weights, str):
        if weights != "random":
            raise ValueError(
                tr(
                    "weights must be 'ones', 'random' or a list of (K, K) kernels, got {weights!r}"
                ).format(weights=weights)
            )
        kernels = [rng.standard_normal((L.f, L.f)) for L in convs]
    else:
        kernels = [np.asarray(k, dtype=float) for k in weights]
        if len(kernels) != len(convs) or any(k.shape != (L.f, L.f) for k, L in zip(kernels, convs)):
            raise ValueError(
                tr(
                    "weights must hold one (K, K) kernel per conv layer: expected shapes "
                    "{expected}, got {shapes}"
                ).format(expected=[(L.f, L.f) for L in convs], shapes=[k.shape for k in kernels])
            )
    if x is None:
        x = rng.standard_normal(hw)
    x = np.asarray(x, dtype=float)
    if x.shape != hw:
        raise ValueError(
            tr("x must be the (H, W) input of shape {hw}, got {shape}").format(hw=hw, shape=x.shape)
        )
    return kernels, x


def _forward(L: Layer, a, k):
    if L.kind == "conv":
        return conv2d(a, k[None, None], None, L.s, L.p, L.d)
    pool = max_pool2d if L.kind == "max" else avg_pool2d
    return pool(a, L.f, L.s, L.p)


def _backward(L: Layer, dout, a_in, k):
    if L.kind == "conv":
        return conv2d_backward(dout, a_in, k[None, None], L.s, L.p, L.d)[0]
    back = max_pool2d_backward if L.kind == "max" else avg_pool2d_backward
    return back(dout, a_in, L.f, L.s, L.p)


def _backward_ones(L: Layer, dout, hw):
    x = np.zeros((1, 1) + hw)  # the backward pass needs only the input's shape here
    if L.kind == "conv":
        ones = np.ones((1, 1, L.f, L.f))
        return conv2d_backward(dout, x, ones, L.s, L.p, L.d)[0]
    # a window sum: the average's gradient times the window area, so counts stay integers
    return avg_pool2d_backward(dout * L.f**2, x, L.f, L.s, L.p)


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


def missing_pixels(mask, box) -> int:
    """Pixels inside the formula's square (and the image) that the measured field misses.

    mask: (H, W) bool, from :func:`empirical_receptive_field`; box: (top, left, bottom,
    right), inclusive, from ``receptive_box``. Non-zero means holes (dilation, or strides
    larger than the kernel).
    """
    mask = np.asarray(mask, dtype=bool)
    h, w = mask.shape
    top, left, bottom, right = box
    inside = mask[max(top, 0) : min(bottom, h - 1) + 1, max(left, 0) : min(right, w - 1) + 1]
    return int(inside.size - inside.sum())
