"""Exercise checkers of lesson 08: the projection shortcut's weights, a residual block made
the identity, and how fast gradients vanish in a plain net.

Each checker returns a :class:`cnnlab.feedback.Feedback` that names the likely mistake.
"""

from __future__ import annotations

import torch

from ..feedback import Feedback, check_number
from .blocks import Block


def projection_shortcut_params(answer) -> Feedback:
    """Exercise 08.1: learnable parameters of the projection shortcut of a residual block
    from 16 to 32 channels (a 1x1 convolution with stride 2 and no bias): ``16 * 32``."""
    c_in, c_out = 16, 32
    slips = [
        (
            0,
            "0 is the identity shortcut (zero padding, nothing learned); the projection is a 1x1 conv.",
        ),
        (c_in * c_out + c_out, "The projection has no bias (bias=False): count only its weights."),
        (
            9 * c_in * c_out,
            "The projection is a 1x1 convolution, not 3x3: one weight per (in, out) pair.",
        ),
        (
            9 * c_in * c_out + c_out,
            "The projection is a 1x1 convolution without bias, not a 3x3 conv.",
        ),
        (c_out * c_out, "It reads the block's input, which has 16 channels, not 32."),
        (c_in * c_in, "It outputs 32 channels (the block's output), not 16."),
        (c_in + c_out, "Each of the 32 filters is 1x1x16: 16 weights each, multiply, don't add."),
        (c_in * c_out // 4, "The stride skips pixels; it does not change the number of weights."),
    ]
    generic = (
        "A 1x1 conv from C_in to C_out channels has one weight per (input channel, output "
        "channel) pair; the stride changes the output size, not the weights."
    )
    return check_number(answer, c_in * c_out, slips, generic, "parameter count")


def residual_identity(block) -> Feedback:
    """Exercise 08.2: ``block`` (a cnnlab.resnet.Block with 16 channels, residual) must
    compute exactly the identity on non-negative inputs (set f's last conv to zero)."""
    if not isinstance(block, Block):
        return Feedback(False, f"Pass the cnnlab.resnet.Block itself, got {type(block).__name__}.")
    if not block.residual:
        return Feedback(
            False,
            "That is a plain block: with no shortcut, zeroing f gives relu(0) = 0, not x. "
            "Use the residual block.",
        )
    gen = torch.Generator().manual_seed(8)
    x = torch.rand(4, block.c_in, 6, 6, generator=gen)
    with torch.no_grad():
        out = block(x)
        w2, b2 = block.conv2.weight, block.conv2.bias
        if out.shape == x.shape and torch.allclose(out, x, atol=1e-6):
            return Feedback(True, "Correct: f(x) = 0, so the block outputs relu(0 + x) = x.")
        if (w2 == 0).all() and b2 is not None and (b2 != 0).any():
            return Feedback(
                False, "conv2's weights are zero but its bias still adds a constant: zero it too."
            )
        if (block.conv1.weight == 0).all() and not (w2 == 0).all():
            return Feedback(
                False,
                "Zeroing conv1 is not enough: conv2 still turns relu(conv1's bias) into a "
                "non-zero f. Zero the last conv of f (conv2), weights and bias.",
            )
    return Feedback(
        False,
        "The block does not give back its input yet. h(x) = relu(f(x) + x) with "
        "f(x) = conv2(relu(conv1(x))): which layer's parameters make f exactly 0?",
    )


def vanishing_factor(answer) -> Feedback:
    """Exercise 08.3: a gradient that shrinks by 0.5 in each of 20 plain layers on its way
    back reaches the first layer multiplied by ``0.5 ** 20``."""
    slips = [
        (0.5 * 20, "The factors multiply, one per layer: 0.5 times 0.5 times ..., not 0.5 * 20."),
        (0.5**19, "Count again: the gradient passes through all 20 layers."),
        (0.5**21, "Count again: the gradient passes through 20 layers, not 21."),
        (20**0.5, "The factor is 0.5 per layer raised to the number of layers, not 20 ** 0.5."),
        (1.5**20, "That is (1 + 0.5) per layer, a residual block's factor; the plain net has 0.5."),
        (1 - 0.5**20, "That is how much is lost; the question asks for what is left."),
    ]
    generic = "Each layer multiplies the gradient by 0.5; what is the product over 20 layers?"
    return check_number(answer, 0.5**20, slips, generic, "factor", rtol=1e-3, atol=0)
