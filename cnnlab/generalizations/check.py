"""Exercise checkers of lesson 13 (convolution in 1D and 3D): the output shape of a Conv1d,
the parameters of a Conv3d, and the derivative kernel. Each returns a
:class:`cnnlab.feedback.Feedback` naming the likely mistake.

>>> conv1d_output_shape((16, 200)).ok, conv3d_params(3472).ok
(True, True)
"""

from __future__ import annotations

import numpy as np

from ..feedback import Feedback, diagnose, same
from ..i18n import tr

#: Exercise 12.1: ``nn.Conv1d(4, 16, kernel_size=15, stride=4, padding=7)`` on the EEG
#: recording, 4 channels x 800 samples.
CONV1D_EXERCISE = {"c_in": 4, "length": 800, "c_out": 16, "kernel": 15, "stride": 4, "padding": 7}

#: Exercise 12.2: ``nn.Conv3d(8, 16, kernel_size=3)`` on a volume with 8 channels.
CONV3D_EXERCISE = {"c_in": 8, "c_out": 16, "kernel": (3, 3, 3)}


def conv1d_output_shape(answer) -> Feedback:
    """Exercise 12.1: output shape (C_out, L_out) of ``CONV1D_EXERCISE``: (16, 200),
    with ``L_out = floor((L + 2p - f)/s) + 1``."""
    e = CONV1D_EXERCISE
    n, f, p, s, c_in, c_out = (
        e[k] for k in ("length", "kernel", "padding", "stride", "c_in", "c_out")
    )
    if answer is None or isinstance(answer, (str, bytes)) or np.ndim(answer) != 1:
        return Feedback(False, tr("Give the shape as a tuple of two integers (C_out, L_out)."))
    answer = tuple(np.asarray(answer).tolist())
    length = (n + 2 * p - f) // s + 1
    expected = (c_out, length)
    if len(answer) == 3 and answer[0] == 1 and same(answer[1:], expected, 0, 0):
        return Feedback(
            False, tr("Right numbers, but leave out the batch axis: give (C_out, L_out).")
        )
    if len(answer) != 2:
        return Feedback(
            False,
            tr("Give two numbers (C_out, L_out), got {k}: {answer!r}.").format(
                k=len(answer), answer=answer
            ),
        )
    formula = f"floor(({n} + 2·{p} - {f})/{s}) + 1"
    slips = {
        tr(
            "Right length, but a Conv1d outputs one channel per filter: {c_out}, not the "
            "input's {c_in}."
        ).format(c_out=c_out, c_in=c_in): (c_in, length),
        tr("Write it as (C_out, L_out): channels first, as PyTorch does."): (length, c_out),
        tr("The formula rounds down: {formula} = {length}, not the ceiling.").format(
            formula=formula, length=length
        ): (
            c_out,
            -(-(n + 2 * p - f) // s) + 1,
        ),
        tr(
            "One short: check the + 1 at the end of floor((L + 2p - f)/s) + 1, and that the "
            "padding is added at both ends (2p = {p2})."
        ).format(p2=2 * p): (c_out, length - 1),
        tr("You left out the padding: with p = {p} the padded signal is {padded} long.").format(
            p=p, padded=n + 2 * p
        ): (
            c_out,
            (n - f) // s + 1,
        ),
        tr(
            "That is the length at stride 1 (this padding keeps all {n} samples); stride {s} "
            "keeps one output in {s}."
        ).format(n=n, s=s): (c_out, n + 2 * p - f + 1),
    }
    fb = diagnose(answer, expected, slips, rtol=0, atol=0, what=tr("shape"))
    if fb.ok:
        return Feedback(
            True,
            tr("Correct: {formula} = {length} samples, {c_out} channels.").format(
                formula=formula, length=length, c_out=c_out
            ),
        )
    if fb.message in slips:
        return fb
    return Feedback(
        False,
        tr(
            "{answer!r} is not right yet: one channel per filter, and along time "
            "L_out = floor((L + 2p - f)/s) + 1."
        ).format(answer=answer),
    )


def conv3d_params(answer) -> Feedback:
    """Exercise 12.2: learnable parameters of ``CONV3D_EXERCISE``:
    ``c_out * (f_d * f_h * f_w * c_in + 1) = 16 * (27 * 8 + 1) = 3472``."""
    e = CONV3D_EXERCISE
    c_in, c_out = e["c_in"], e["c_out"]
    k = int(np.prod(e["kernel"]))
    expected = c_out * (k * c_in + 1)
    if answer is None:
        return Feedback(False, tr("Replace None with your number."))
    slips = {
        tr("You forgot the biases: each of the {c_out} filters has one.").format(c_out=c_out): c_out
        * k
        * c_in,
        tr(
            "A filter is as deep as its input: each is 3x3x3x{c_in} (the {c_in} input "
            "channels), not 3x3x3."
        ).format(c_in=c_in): c_out * (k + 1),
        tr("Two slips: each filter spans all {c_in} input channels, and has a bias.").format(
            c_in=c_in
        ): c_out * k,
        tr(
            "A 3D kernel 3x3x3 has 27 weights per input channel, not 9 (that is a 2D 3x3 kernel)."
        ): c_out * (9 * c_in + 1),
        tr("Each filter has its own bias: {c_out} biases, not one.").format(c_out=c_out): (
            c_out * k * c_in + 1
        ),
        tr("A filter has one bias, not one per input channel."): c_out * (k * c_in + c_in),
        tr("That is one filter (3x3x3x{c_in} + 1); there are {c_out}.").format(
            c_in=c_in, c_out=c_out
        ): k * c_in + 1,
    }
    fb = diagnose(answer, expected, slips, rtol=0, atol=0, what=tr("count"))
    if fb.ok:
        return Feedback(
            True,
            tr(
                "Correct: {c_out} · (27 · {c_in} + 1) = {expected}, whatever the volume's size."
            ).format(c_out=c_out, c_in=c_in, expected=expected),
        )
    if fb.message in slips:
        return fb
    return Feedback(
        False,
        tr(
            "{answer!r} is not right yet: count one filter (its weights span 3x3x3 voxels in "
            "all {c_in} input channels, plus a bias), then multiply by the number of filters. "
            "The volume's size does not enter."
        ).format(answer=answer, c_in=c_in),
    )


def derivative_kernel(answer) -> Feedback:
    """Exercise 12.3: a length-3 kernel ``w`` such that
    ``generalizations.filter_signal(x, w)`` is the centred derivative
    ``(x[i+1] - x[i-1]) / 2``: ``[-1/2, 0, 1/2]`` (not flipped)."""
    if answer is None:
        return Feedback(False, tr("Replace None with your kernel, three numbers."))
    try:
        w = np.asarray(answer, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        return Feedback(
            False, tr("Give the kernel as three numbers, got {answer!r}.").format(answer=answer)
        )
    if w.size != 3:
        return Feedback(
            False,
            tr("The kernel has 3 numbers (w[0], w[1], w[2]), got {k}.").format(k=w.size),
        )
    expected = np.array([-0.5, 0.0, 0.5])
    slips = {
        tr(
            "That kernel computes minus the derivative: it is flipped. cnnlab.conv1d, like "
            "PyTorch, does not flip the kernel: out[i] = w[0]·x[i-1] + w[1]·x[i] + "
            "w[2]·x[i+1]. (A textbook convolution flips it, hence the [1, 0, -1] you may "
            "have seen.)"
        ): -expected,
        tr(
            "Twice the derivative: x[i+1] and x[i-1] are 2 samples apart, so divide the "
            "difference by 2."
        ): 2 * expected,
        tr(
            "Two slips: the kernel is flipped (conv1d does not flip: w[2] multiplies x[i+1]) "
            "and the difference must be divided by the 2 samples between x[i-1] and x[i+1]."
        ): (-2 * expected),
        tr("That is the second derivative (the curvature), x[i-1] - 2x[i] + x[i+1]."): [1, -2, 1],
        tr(
            "That is the negative second derivative; the first derivative is antisymmetric "
            "(w[0] = -w[2])."
        ): [-1, 2, -1],
        tr(
            "That kernel averages (its weights sum to 1): it smooths. A derivative kernel "
            "sums to 0, so a constant signal gives 0."
        ): np.full(3, 1 / 3),
        tr(
            "That is the forward difference x[i+1] - x[i]: a derivative, but half a sample "
            "to the right. The centred one uses both neighbours."
        ): [0, -1, 1],
        tr(
            "That is the backward difference x[i] - x[i-1]: a derivative, but half a sample "
            "to the left. The centred one uses both neighbours."
        ): [-1, 1, 0],
    }
    fb = diagnose(w, expected, slips, what=tr("kernel"))
    if fb.ok:
        return Feedback(True, tr("Correct: [-1/2, 0, 1/2] gives (x[i+1] - x[i-1]) / 2."))
    if fb.message in slips:
        return fb
    if abs(w.sum()) > 1e-9:
        return Feedback(
            False,
            tr(
                "Your kernel's weights sum to {total:g}: on a constant signal it gives "
                "{total:g} × the constant, but a constant's derivative is 0."
            ).format(total=w.sum()),
        )
    return Feedback(
        False,
        tr(
            "Not yet: out[i] = w[0]·x[i-1] + w[1]·x[i] + w[2]·x[i+1] should equal "
            "(x[i+1] - x[i-1]) / 2. Try it on x = t (a ramp): the answer must be 1 everywhere."
        ),
    )
