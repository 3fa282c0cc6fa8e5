"""Exercise checkers of lesson 07: VGG-16's fc6, the 3x3 branch of Inception 3a with and
without its bottleneck, the shape after Inception 3b, a 1x1 convolution written as a
matrix product, and the cost ratio of a depthwise-separable convolution.

Each checker returns a ``cnnlab.feedback.Feedback``; a wrong answer is matched against the
slips people make (forgot the biases, the wrong layer's shape, counted parameters instead
of multiplications, ...), and a wrong answer that matches none gets a hint, not the answer.
"""

from __future__ import annotations

import numpy as np

from ..arith import conv_macs, conv_params
from ..conv import conv2d
from ..feedback import Feedback, check_number, same
from ..i18n import tr


def vgg_fc6_params(answer) -> Feedback:
    """Exercise 07.1: learnable parameters of VGG-16's fc6, which reads pool5's 7x7x512
    output (flattened) into 4096 units: ``7*7*512*4096 + 4096``."""
    n_in, units = 7 * 7 * 512, 4096
    slips = [
        (
            n_in * units,
            tr("You forgot the biases: each of the {units} units has one.").format(units=units),
        ),
        (
            14 * 14 * 512 * units + units,
            tr("14x14x512 is conv5_3's output; pool5 halves it to 7x7x512 before fc6."),
        ),
        (
            512 * units + units,
            tr("fc6 reads every number of pool5's output: 7x7x512, not just the 512 channels."),
        ),
        (
            7 * 7 * units + units,
            tr("pool5's output has 512 channels: it flattens to 7x7x512 numbers, not 7x7."),
        ),
        (
            units * units + units,
            tr("That is fc7 (4096 -> 4096); fc6 reads the 7x7x512 pool5 output."),
        ),
        (
            224 * 224 * 3 * units + units,
            tr("fc6 does not see the image: it reads pool5's output, after 13 convs and 5 pools."),
        ),
        (
            n_in * units + n_in,
            tr("A bias belongs to each unit (4096 of them), not to each input."),
        ),
        (n_in + 1, tr("That is one unit's parameters: there are 4096 units.")),
    ]
    generic = tr(
        "Find the shape of pool5's output (224 halved five times, 512 channels), flatten it, "
        "then count one weight per (input, unit) pair plus one bias per unit."
    )
    return check_number(answer, n_in * units + units, slips, generic, tr("parameter count"))


def _branch3_costs(n=28, c_in=192, mid=96, c_out=128, f=3):
    plain = conv_macs(n, f, c_in, c_out)
    return plain, conv_macs(n, 1, c_in, mid) + conv_macs(n, f, mid, c_out)


def _plain_branch_slips(plain: int) -> list:
    """[(a slip's count, its hint)] for the plain 3x3 branch (exercise 07.2)."""
    outputs = 28 * 28 * 128
    return [
        (
            float(conv_macs(26, 3, 192, 128)),
            tr("The 3x3 conv uses 'same' padding: its output stays 28x28, not 26x26."),
        ),
        (
            float(28 * 28 * 128 * 9),
            tr("Each 3x3 filter is as deep as its input: 3x3xC_in weights."),
        ),
        (
            float(conv_params(3, 192, 128)),
            tr(
                "That is the parameter count; multiplications happen once per weight per "
                "output position (28x28 of them)."
            ),
        ),
        (
            float(plain + outputs),
            tr("Biases are added, not multiplied: leave them out of the count."),
        ),
    ]


def _bottleneck_branch_slips(plain: int, bottle: int) -> list:
    """[(a slip's count, its hint)] for the 3x3 branch with its 1x1 bottleneck (07.2)."""
    outputs = 28 * 28 * 128
    return [
        (
            float(conv_macs(28, 3, 96, 128)),
            tr("Add the 1x1 conv's own multiplications (28x28x96 outputs, 192 each)."),
        ),
        (
            float(conv_macs(28, 1, 192, 96)),
            tr("Add the 3x3 conv's multiplications, on the 96 reduced channels."),
        ),
        (
            float(conv_macs(28, 1, 192, 96) + plain),
            tr("After the 1x1 conv, the 3x3 filters read only its 96 channels, not 192."),
        ),
        (
            float(conv_params(1, 192, 96) + conv_params(3, 96, 128)),
            tr(
                "That is the parameter count; multiplications happen once per weight per "
                "output position (28x28 of them)."
            ),
        ),
        (
            float(bottle + outputs + 28 * 28 * 96),
            tr("Biases are added, not multiplied: leave them out of the count."),
        ),
    ]


def inception_branch_macs(answer) -> Feedback:
    """Exercise 07.2: multiplications of Inception 3a's 3x3 branch on 28x28x192 ('same'
    3x3 conv with 128 filters), as a pair (plain, with the 1x1 bottleneck to 96 channels)."""
    plain, bottle = _branch3_costs()
    if answer is None:
        return Feedback(False, tr("Replace None with your pair (plain, with_bottleneck)."))
    try:
        pair = [float(v) for v in answer]
    except (TypeError, ValueError):
        return Feedback(
            False,
            tr("Give two numbers (plain, with_bottleneck), got {answer!r}.").format(answer=answer),
        )
    if len(pair) != 2:
        return Feedback(
            False,
            tr("Give two numbers (plain, with_bottleneck), got {answer!r}.").format(
                answer=len(pair)
            ),
        )
    if same(pair, [bottle, plain], 0, 0):
        return Feedback(False, tr("You swapped them: the plain 3x3 conv comes first."))
    checks = (
        (tr("Your plain count"), pair[0], float(plain), _plain_branch_slips(plain)),
        (
            tr("Your with the bottleneck count"),
            pair[1],
            float(bottle),
            _bottleneck_branch_slips(plain, bottle),
        ),
    )
    for what, got, expected, slips in checks:
        if not same(got, expected, 0, 0):
            hint = next((h for v, h in slips if same(got, v, 0, 0)), None)
            hint = hint or tr(
                "Count outputs (H x W x filters) times the weights in one filter "
                "(f x f x C_in), for each conv of the branch."
            )
            return Feedback(
                False,
                tr("{what} ({got:,.0f}) is not right: {hint}").format(
                    what=what, got=got, hint=hint
                ),
            )
    return Feedback(
        True,
        tr(
            "Correct: {plain:,} plain vs {bottle:,} with the bottleneck ({ratio:.2f}x fewer)."
        ).format(plain=plain, bottle=bottle, ratio=plain / bottle),
    )


#: Exercise 07.3: GoogLeNet's second module (3b), on the 28x28x256 output of 3a.
INCEPTION_3B = {
    "input": (28, 28, 256),
    "c1": 128,
    "c3_reduce": 128,
    "c3": 192,
    "c5_reduce": 32,
    "c5": 96,
    "pool_proj": 64,
}


def _3b_channel_slips(m: dict, c: int, c_out: int) -> list:
    """[(a slip's channel count, its hint)] for the output of Inception 3b (exercise 07.3)."""
    return [
        (
            m["c1"] + m["c3"] + m["c5"],
            tr("You left out the pooling branch: its 1x1 conv adds 64 channels."),
        ),
        (
            m["c1"] + m["c3"] + m["c5"] + c,
            tr(
                "In the module with bottlenecks, the pool branch ends with a 1x1 conv to 64 "
                "channels; only the naive module passes the 256 input channels through."
            ),
        ),
        (
            c_out + m["c3_reduce"] + m["c5_reduce"],
            tr(
                "The 1x1 reductions (128 and 32) feed the 3x3 and 5x5 convs; they are not part "
                "of the output. Only the last layer of each branch is stacked."
            ),
        ),
        (
            max(m["c1"], m["c3"], m["c5"], m["pool_proj"]),
            tr("The branches are stacked along the channels: add their channels."),
        ),
        (
            c,
            tr("The output channels are not the input's: add up the last layer of each branch."),
        ),
    ]


def inception_output_shape(answer) -> Feedback:
    """Exercise 07.3: the (H, W, C) output of Inception 3b (:data:`INCEPTION_3B`):
    every branch keeps 28x28, the channels of the four branches are stacked."""
    m = INCEPTION_3B
    h, w, c = m["input"]
    c_out = m["c1"] + m["c3"] + m["c5"] + m["pool_proj"]
    if answer is None:
        return Feedback(False, tr("Replace None with your (H, W, C) tuple."))
    try:
        got = tuple(int(v) for v in answer)
    except (TypeError, ValueError):
        return Feedback(
            False, tr("Give three integers (H, W, C), got {answer!r}.").format(answer=answer)
        )
    if len(got) != 3:
        return Feedback(False, tr("Give three numbers (H, W, C), got {k}.").format(k=len(got)))
    if got == (c_out, h, w):
        return Feedback(False, tr("Give the shape as (H, W, C), channels last, as in the notes."))
    if got[:2] != (h, w):
        return Feedback(
            False,
            tr(
                "Every branch keeps the height and width ('same' padding, stride-1 pooling), "
                "so the branches can be stacked: H and W do not change."
            ),
        )
    slips = _3b_channel_slips(m, c, c_out)
    hint = next((t for v, t in slips if got[2] == v), None)
    if got[2] == c_out:
        return Feedback(
            True,
            tr("Correct: {shape} = {sum} channels.").format(
                shape=f"{h}x{w}x{c_out}",
                sum=f"{m['c1']} + {m['c3']} + {m['c5']} + {m['pool_proj']}",
            ),
        )
    return Feedback(
        False,
        hint
        or tr("Not right yet: add the channels of the last layer of each of the four branches."),
    )


def _pointwise_slips(x, w, b, expected) -> dict:
    """{hint: what a slipped pointwise_conv(x, w, b) returns} (exercise 07.4)."""
    mistakes = {
        tr("you forgot the bias b (one per output channel)."): expected - b[None, :, None, None],
        tr("the output should be channels first (N, C_out, H, W); yours has the channels last."): (
            expected.transpose(0, 2, 3, 1)
        ),
        tr("the sum runs over the input channels at one pixel, not over the pixels."): (
            np.einsum("oc,nchw->no", w, x) + b
        ),
    }
    if w.shape[0] == w.shape[1]:
        mistakes[
            tr("you used w transposed: w[o, c] is the weight from input channel c to output o.")
        ] = conv2d(x, w.T[:, :, None, None]) + b[None, :, None, None]
    return mistakes


def pointwise_conv_function(fn) -> Feedback:
    """Exercise 07.4: check a learner's ``pointwise_conv(x, w, b)``: x (N, C_in, H, W),
    w (C_out, C_in), b (C_out,) -> (N, C_out, H, W), the 1x1 convolution."""
    if not callable(fn):
        return Feedback(
            False, tr("Pass your function itself (pointwise_conv), got {fn!r}.").format(fn=fn)
        )
    rng = np.random.default_rng(7)
    # a square case first (C_in = C_out), where a transposed w runs but gives wrong values
    cases = [(3, 4, 5, 2, 4), (1, 3, 4, 4, 2), (2, 5, 3, 6, 4), (1, 6, 1, 7, 1)]
    for n, c_in, h, wd, c_out in cases:
        x = rng.normal(size=(n, c_in, h, wd))
        w = rng.normal(size=(c_out, c_in))
        b = rng.normal(size=c_out)
        expected = conv2d(x, w[:, :, None, None]) + b[None, :, None, None]
        try:
            got = np.asarray(fn(x, w, b), dtype=float)
        except Exception as err:  # the learner's code: report, never crash the checker
            return Feedback(
                False,
                tr("pointwise_conv on x {x}, w {w} raised {error}: {err}").format(
                    x=x.shape, w=w.shape, error=type(err).__name__, err=err
                ),
            )
        where = tr("For x of shape {x} and w of shape {w}: ").format(x=x.shape, w=w.shape)
        if got.shape == expected.shape and np.allclose(got, expected):
            continue
        mistakes = _pointwise_slips(x, w, b, expected)
        for hint, wrong in mistakes.items():
            if got.shape == wrong.shape and np.allclose(got, wrong):
                return Feedback(False, where + hint)
        if got.shape != expected.shape:
            return Feedback(
                False,
                where
                + tr("the output should have shape {shape}, got {got}.").format(
                    shape=expected.shape, got=got.shape
                ),
            )
        return Feedback(
            False,
            where
            + tr(
                "the values are not right yet: out[n, o, i, j] = sum over c of "
                "w[o, c] * x[n, c, i, j], plus b[o]."
            ),
        )
    return Feedback(
        True,
        tr("Correct on all {k} cases: a 1x1 conv is w @ x at every pixel, plus b.").format(
            k=len(cases)
        ),
    )


#: Exercise 07.5: a 3x3 'same' conv from 32 to 64 channels on 56x56, made depthwise-separable.
SEPARABLE = {"n": 56, "c_in": 32, "c_out": 64, "f": 3}


def _separable_slips(c_in: int, c_out: int, f: int) -> list:
    """[(a slip's ratio, its hint)] for the depthwise-separable cost ratio (exercise 07.5)."""
    right = 1 / c_out + 1 / f**2
    return [
        (
            1 / c_out,
            tr(
                "That is the depthwise part alone: you forgot the pointwise 1x1 conv, which "
                "mixes the {c_in} channels into {c_out} (n*n*{c_in}*{c_out} multiplications)."
            ).format(c_in=c_in, c_out=c_out),
        ),
        (
            1 / f**2,
            tr(
                "That is the pointwise part alone: add the depthwise conv's own "
                "multiplications (n*n*{f}*{f}*{c_in})."
            ).format(f=f, c_in=c_in),
        ),
        (
            1 / c_in + 1 / f**2,
            tr(
                "You used the input's channels ({c_in}): in pointwise / normal the input "
                "channels cancel, and what remains is the number of filters, the output's "
                "{c_out}."
            ).format(c_in=c_in, c_out=c_out),
        ),
        (
            1 / c_out + 1 / f,
            tr(
                "The kernel term is 1/f^2: the normal conv has f x f = {ff} weights per input "
                "channel and output, the pointwise conv none of them."
            ).format(ff=f * f),
        ),
        (
            1 / c_out**2 + 1 / f**2,
            tr(
                "The channel term is 1/n_c, not squared: the pointwise conv keeps one factor "
                "of the output channels."
            ),
        ),
        (
            1 / c_out**2 + 1 / f,
            tr(
                "You squared the channel term and not the kernel's: count the weights of one "
                "depthwise filter (f x f) and of one pointwise filter again."
            ),
        ),
        (
            1 / right,
            tr("That is normal / separable (how many times cheaper); give separable / normal."),
        ),
    ]


def separable_cost_ratio(answer) -> Feedback:
    """Exercise 07.5: multiplications of a depthwise 3x3 + pointwise 1x1 conv divided by
    those of the normal 3x3 conv it replaces (:data:`SEPARABLE`): 1/64 + 1/9."""
    c_in, c_out, f, n = SEPARABLE["c_in"], SEPARABLE["c_out"], SEPARABLE["f"], SEPARABLE["n"]
    expected = 1 / c_out + 1 / f**2
    if answer is None:
        return Feedback(False, tr("Replace None with your ratio (a number below 1)."))
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return Feedback(
            False,
            tr("Give one number, the ratio separable / normal; got {answer!r}.").format(
                answer=answer
            ),
        )
    if not np.isfinite(value):
        return Feedback(False, tr("Give a finite number, got {value}.").format(value=value))
    # the nearest of the right answer and the slips, within three significant digits
    # (1/9 and 1/64^2 + 1/9 are only 0.2% apart)
    candidates = [(expected, None)] + _separable_slips(c_in, c_out, f)
    nearest, hint = min(candidates, key=lambda c: abs(value - c[0]) / c[0])
    if abs(value - nearest) <= 5e-3 * nearest:
        if hint is None:
            return Feedback(
                True,
                tr(
                    "Correct: 1/{c_out} + 1/{f}^2 = {ratio:.4f}, about {times:.1f}x fewer "
                    "multiplications; the image size and the input channels cancel out."
                ).format(c_out=c_out, f=f, ratio=expected, times=1 / expected),
            )
        return Feedback(False, tr("{value:g} is not right: {hint}").format(value=value, hint=hint))
    if value > 1000:
        return Feedback(
            False,
            tr(
                "That looks like a count of multiplications: divide the separable conv's count "
                "by the normal conv's to get the ratio."
            ),
        )
    return Feedback(
        False,
        tr(
            "{value:g} is not right yet. Count each part for one {n}x{n} output: depthwise "
            "n*n*f*f*{c_in}, pointwise n*n*{c_in}*{c_out}, normal n*n*f*f*{c_in}*{c_out}; "
            "then divide."
        ).format(value=value, n=n, c_in=c_in, c_out=c_out),
    )
