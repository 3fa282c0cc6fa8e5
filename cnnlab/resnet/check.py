"""Exercise checkers of lesson 08: the projection shortcut's weights, a residual block made
the identity, and a residual block's forward pass written by the learner.

Each checker returns a :class:`cnnlab.feedback.Feedback` that names the likely mistake.
"""

from __future__ import annotations

import torch
from torch import nn

from ..feedback import Feedback, check_number
from ..i18n import tr
from .blocks import Block, block_layers


def projection_shortcut_params(answer) -> Feedback:
    """Exercise 08.1: learnable parameters of the projection shortcut of a residual block
    from 16 to 32 channels (a 1x1 convolution with stride 2 and no bias): ``16 * 32``."""
    c_in, c_out = 16, 32
    slips = [
        (
            0,
            tr(
                "0 is the identity shortcut (zero padding, nothing learned); the projection is "
                "a 1x1 conv."
            ),
        ),
        (
            c_in * c_out + c_out,
            tr("The projection has no bias (bias=False): count only its weights."),
        ),
        (
            9 * c_in * c_out,
            tr("The projection is a 1x1 convolution, not 3x3: one weight per (in, out) pair."),
        ),
        (
            9 * c_in * c_out + c_out,
            tr("The projection is a 1x1 convolution without bias, not a 3x3 conv."),
        ),
        (c_out * c_out, tr("It reads the block's input, which has 16 channels, not 32.")),
        (c_in * c_in, tr("It outputs 32 channels (the block's output), not 16.")),
        (
            c_in + c_out,
            tr("Each of the 32 filters is 1x1x16: 16 weights each, multiply, don't add."),
        ),
        (
            c_in * c_out // 4,
            tr("The stride skips pixels; it does not change the number of weights."),
        ),
    ]
    generic = tr(
        "A 1x1 conv from C_in to C_out channels has one weight per (input channel, output "
        "channel) pair; the stride changes the output size, not the weights."
    )
    return check_number(answer, c_in * c_out, slips, generic, tr("parameter count"))


def residual_identity(block) -> Feedback:
    """Exercise 08.2: ``block`` (a cnnlab.resnet.Block with 16 channels, residual) must
    compute exactly the identity on non-negative inputs (set f's last conv to zero)."""
    if not isinstance(block, Block):
        return Feedback(
            False,
            tr("Pass the cnnlab.resnet.Block itself, got {kind}.").format(
                kind=type(block).__name__
            ),
        )
    if not block.residual:
        return Feedback(
            False,
            tr(
                "That is a plain block: with no shortcut, zeroing f gives relu(0) = 0, not x. "
                "Use the residual block."
            ),
        )
    gen = torch.Generator().manual_seed(8)
    x = torch.rand(4, block.c_in, 6, 6, generator=gen)
    with torch.no_grad():
        out = block(x)
        w2, b2 = block.conv2.weight, block.conv2.bias
        if out.shape == x.shape and torch.allclose(out, x, atol=1e-6):
            return Feedback(True, tr("Correct: f(x) = 0, so the block outputs relu(0 + x) = x."))
        if (w2 == 0).all() and b2 is not None and (b2 != 0).any():
            return Feedback(
                False,
                tr("conv2's weights are zero but its bias still adds a constant: zero it too."),
            )
        if (block.conv1.weight == 0).all() and not (w2 == 0).all():
            return Feedback(
                False,
                tr(
                    "Zeroing conv1 is not enough: conv2 still turns relu(conv1's bias) into a "
                    "non-zero f. Zero the last conv of f (conv2), weights and bias."
                ),
            )
    return Feedback(
        False,
        tr(
            "The block does not give back its input yet. h(x) = relu(f(x) + x) with "
            "f(x) = conv2(relu(conv1(x))): which layer's parameters make f exactly 0?"
        ),
    )


def checking_blocks() -> list[Block]:
    """The blocks exercise 08.3 is checked on, in eval mode: 16 -> 16 channels (identity
    shortcut) and 16 -> 32 channels with stride 2 (projection shortcut). Their batch norms
    get random gamma, beta and running statistics, so that a norm is not the identity and
    every misplaced step changes the output."""
    gen = torch.Generator().manual_seed(83)
    blocks = []
    for c_out, stride, shortcut in [(16, 1, "identity"), (32, 2, "projection")]:
        torch.manual_seed(8 + c_out)
        block = Block(16, c_out, stride, shortcut=shortcut, norm=True).eval()
        with torch.no_grad():
            for bn in (block.bn1, block.bn2):
                bn.weight.copy_(0.5 + torch.rand(c_out, generator=gen))
                bn.bias.copy_(0.5 * torch.randn(c_out, generator=gen))
                bn.running_mean.copy_(0.3 * torch.randn(c_out, generator=gen))
                bn.running_var.copy_(0.5 + 1.5 * torch.rand(c_out, generator=gen))
        blocks.append(block)
    return blocks


def block_slips(x, layers) -> dict:
    """{hint: output} of the usual mistakes in a residual block's forward pass."""
    r = torch.relu(layers.bn1(layers.conv1(x)))
    c2 = layers.conv2(r)
    f = layers.bn2(c2)
    s = x if layers.proj is None else layers.proj(x)
    no_relu = layers.bn2(layers.conv2(layers.bn1(layers.conv1(x))))
    slips = {
        tr(
            "You forgot the shortcut: the block must add its input (or the projection of it) "
            "to f before the last ReLU."
        ): torch.relu(f),
        tr("The last ReLU is missing: a residual block outputs relu(f(x) + shortcut(x))."): f + s,
        tr(
            "You added the shortcut after the last ReLU: add first, then apply the ReLU, "
            "relu(f(x) + shortcut(x))."
        ): torch.relu(f) + s,
        tr(
            "You added the shortcut before the second batch norm: f ends with bn2, so the "
            "addition comes after bn2(conv2(...))."
        ): torch.relu(layers.bn2(c2 + s)),
        tr(
            "f needs a ReLU between its two convolutions: relu(bn1(conv1(x))) goes into conv2."
        ): torch.relu(no_relu + s),
        tr("You applied the ReLU before the batch norm: conv1, then bn1, then the ReLU."): (
            torch.relu(layers.bn2(layers.conv2(layers.bn1(torch.relu(layers.conv1(x))))) + s)
        ),
    }
    if layers.proj is not None:
        sub = x[:, :, ::2, ::2]
        padded = nn.functional.pad(sub, (0, 0, 0, 0, 0, f.shape[1] - x.shape[1]))
        slips[
            tr(
                "This block has a learned projection (layers.proj is not None): the shortcut "
                "is layers.proj(x), not the zero-padded input."
            )
        ] = torch.relu(f + padded)
    return slips


def error_hint(err: Exception, layers) -> str:
    """The hint for an exception raised by the learner's forward pass."""
    msg = str(err)
    if isinstance(err, TypeError) and "NoneType" in msg:
        return tr(
            "layers.proj is None for a block whose shape does not change: then the "
            "shortcut is x itself. Use layers.proj(x) only when layers.proj is not None."
        )
    if isinstance(err, TypeError) and "not callable" in msg:
        return tr(
            "layers is not the block: call its layers one by one (layers.conv1(x), "
            "layers.bn1(...), ...) to write the forward pass yourself."
        )
    if isinstance(err, RuntimeError) and layers.proj is not None and "size" in msg:
        return tr(
            "f(x) and x have different shapes in this block (16 -> 32 channels, stride 2): "
            "the projection is missing; the shortcut is layers.proj(x) when it is not None."
        )
    return tr("Your function raised {error}: {err}").format(error=type(err).__name__, err=msg[:200])


def residual_block_function(fn) -> Feedback:
    """Exercise 08.3: ``fn(x, layers)`` must compute a basic residual block with batch norm,
    ``relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))``, the shortcut being
    ``layers.proj(x)`` when ``layers.proj`` is not None and x itself otherwise.

    x (N, C_in, H, W); layers a ``cnnlab.resnet.BlockLayers``; returns (N, C_out, H/s, W/s).
    Checked against ``Block.forward`` on two blocks (``checking_blocks``) to a relative
    error of 1e-5; a wrong answer gets the hint of the mistake it matches."""
    if not callable(fn):
        return Feedback(
            False, tr("Pass your function itself, got {kind}.").format(kind=type(fn).__name__)
        )
    gen = torch.Generator().manual_seed(3)
    for block in checking_blocks():
        layers = block_layers(block)
        x = torch.randn(4, 16, 8, 8, generator=gen)
        with torch.no_grad():
            expected = block(x)
            try:
                out = fn(x, layers)
            except Exception as err:  # the learner's code: any error becomes a hint
                return Feedback(False, error_hint(err, layers))
            if out is None:
                return Feedback(False, tr("Your function returns None: return the block's output."))
            if not torch.is_tensor(out):
                return Feedback(
                    False, tr("Return a tensor, got {kind}.").format(kind=type(out).__name__)
                )
            if out.shape != expected.shape:
                return Feedback(
                    False,
                    tr(
                        "Your output has shape {got}, expected {shape} for a block from 16 to "
                        "{c_out} channels with stride {stride}."
                    ).format(
                        got=tuple(out.shape),
                        shape=tuple(expected.shape),
                        c_out=block.c_out,
                        stride=block.stride,
                    ),
                )
            if close(out, expected):
                continue
            for hint, wrong in block_slips(x, layers).items():
                if close(out, wrong):
                    return Feedback(False, hint)
        return Feedback(
            False,
            tr(
                "Not right yet, and not one of the usual slips: f is conv1, bn1, ReLU, conv2, "
                "bn2; then add the shortcut, then a last ReLU."
            ),
        )
    return Feedback(
        True,
        tr("Correct: relu(f(x) + shortcut(x)), with the projection where the shape changes."),
    )


def close(a, b, rtol=1e-5) -> bool:
    """True when tensors a and b agree to a relative error of ``rtol``."""
    return bool((a - b).norm() <= rtol * max(b.norm().item(), 1e-12))
