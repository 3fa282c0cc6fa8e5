"""Exercise checkers of lesson 06 (LeNet-5): three holes in its table, a fully connected
layer in place of conv2, which input sizes fit fc3, and the convolution's backward pass.

Each checker returns a ``cnnlab.feedback.Feedback``; a wrong answer is matched against the
slips people make (forgot the biases, the channels, the + 1, rounded the pooling up, forgot
the stride or the padding crop in a backward pass, ...). The backward-pass checker lives in
:mod:`cnnlab.lenet.backward_check` and is re-exported here as ``conv_backward_function``.
"""

from __future__ import annotations

import numpy as np

from ..feedback import Feedback, diagnose, same
from ..i18n import tr
from .backward_check import CONV_BACKWARD_CASES, conv_backward_function

__all__ = [
    "lenet_table",
    "fc_instead_of_conv",
    "lenet_flat_size",
    "conv_backward_function",
    "CONV_BACKWARD_CASES",
]


def _lenet_entry(answer, expected, slips, what: str, generic: str) -> Feedback:
    """One table entry: None asks for an answer, a known slip gets its hint, else generic."""
    if answer is None:
        return Feedback(False, tr("Fill in {what} (it is still None).").format(what=what))
    mistakes = {hint: value for value, hint in slips if np.shape(value) == np.shape(expected)}
    fb = diagnose(answer, expected, mistakes, what=what)
    if fb.ok or fb.message in mistakes:
        return fb
    if np.shape(answer) != np.shape(expected):
        return Feedback(False, tr("{what} should be {generic}").format(what=what, generic=generic))
    return Feedback(
        False, tr("{what} is not right yet: {generic}").format(what=what, generic=generic)
    )


def lenet_table_entries() -> tuple:
    """Exercise 06.1, entry by entry: (key, expected, [(a slip's value, its hint)], generic
    hint), in the language of the moment (the keys are the answer dict's, never translated)."""
    return (
        (
            "conv2 output",
            (10, 10, 16),
            [
                (
                    (10, 10, 6),
                    tr(
                        "A conv layer outputs one channel per filter: conv2 has 16 filters, so "
                        "n_C = 16 (the 6 input channels are summed inside each filter)."
                    ),
                ),
                (
                    (9, 9, 16),
                    tr("The size formula ends in + 1: (n + 2p - f)/s + 1 = (14 - 5)/1 + 1."),
                ),
                (
                    (14, 14, 16),
                    tr("Without padding a 5x5 conv shrinks the map: n - f + 1 = 14 - 5 + 1."),
                ),
                ((5, 5, 16), tr("That is after pool2; conv2's output comes before the pooling.")),
                ((28, 28, 16), tr("conv2 reads pool1's 14x14x6 output, not conv1's 28x28x6.")),
                (
                    (16, 10, 10),
                    tr("Write it in the table's order (n_H, n_W, n_C): channels last."),
                ),
                ((11, 11, 16), tr("No padding here (p = 0): (14 + 2*0 - 5)/1 + 1.")),
            ],
            tr(
                "a tuple (n_H, n_W, n_C): n = (n_prev + 2p - f)/s + 1 with n_prev = 14, and "
                "one channel per filter."
            ),
        ),
        (
            "conv2 parameters",
            2416,
            [
                (2400, tr("You forgot the biases: each of the 16 filters has one.")),
                (
                    416,
                    tr(
                        "A filter is as deep as its input: each is 5x5x6, not 5x5 (forgot the "
                        "channels)."
                    ),
                ),
                (
                    400,
                    tr(
                        "Two slips: each filter is 5x5x6 (the input has 6 channels) and has a bias."
                    ),
                ),
                (151, tr("That is one filter (5x5x6 + 1); there are 16.")),
                (2401, tr("Each filter has its own bias: 16 biases, not one.")),
                (2496, tr("A filter has one bias, not one per input channel.")),
                (0, tr("conv2 has learnable filters; only pooling has no parameters.")),
            ],
            tr("each of the 16 filters has 5x5x(input channels) weights and one bias."),
        ),
        (
            "fc3 parameters",
            48120,
            [
                (48000, tr("You forgot the biases: each of the 120 units has one.")),
                (
                    3120,
                    tr(
                        "pool2's output is 5x5x16: it flattens to 400 inputs, not 25 (forgot "
                        "the channels)."
                    ),
                ),
                (
                    3000,
                    tr(
                        "Two slips: the flattened input is 5x5x16 = 400 numbers, and each unit "
                        "has a bias."
                    ),
                ),
                (
                    192120,
                    tr("fc3 reads pool2's 5x5x16 output (400 numbers), not conv2's 10x10x16."),
                ),
                (401, tr("That is one unit (400 weights + a bias); fc3 has 120.")),
                (
                    120,
                    tr("Each unit has a weight for every one of its 400 inputs, not just a bias."),
                ),
                (48400, tr("A bias belongs to each unit (120), not to each input (400).")),
            ],
            tr(
                "every one of the 120 units has one weight per input (the flattened 5x5x16) "
                "and a bias."
            ),
        ),
    )


def lenet_table(answer: dict) -> Feedback:
    """Exercise 06.1: three holes in LeNet-5's table (32x32x1 input, conv 5x5 -> 6, pool 2,
    conv 5x5 -> 16, pool 2, FC 120, ...).

    answer: {"conv2 output": (n_H, n_W, n_C), "conv2 parameters": int,
    "fc3 parameters": int}; expected (10, 10, 16), 2416 and 48120.
    """
    keys = ("conv2 output", "conv2 parameters", "fc3 parameters")
    if not isinstance(answer, dict) or set(answer) != set(keys):
        return Feedback(
            False, tr("answer must be a dict with the keys {keys}").format(keys=list(keys))
        )
    for key, expected, slips, generic in lenet_table_entries():
        fb = _lenet_entry(answer[key], expected, slips, key, generic)
        if not fb.ok:
            return fb
    return Feedback(
        True, tr("Correct: conv2 gives 10x10x16 with 2,416 parameters, fc3 has 48,120.")
    )


def fc_instead_of_conv(answer) -> Feedback:
    """Exercise 06.2: parameters of a fully connected layer that maps pool1's output (14x14x6)
    to conv2's output size (10x10x16): ``1176 * 1600 + 1600 = 1,883,200`` (conv2: 2,416)."""
    n_in, n_out = 14 * 14 * 6, 10 * 10 * 16
    slips = [
        (n_in * n_out, tr("You forgot the biases: one per output unit (1,600).")),
        (
            2416,
            tr(
                "That is conv2 itself; a fully connected layer connects every input to every "
                "output, with no sharing."
            ),
        ),
        (
            14 * 14 * n_out + n_out,
            tr("The input has 6 channels: 14x14x6 = 1,176 inputs, not 196."),
        ),
        (n_in * 100 + 100, tr("The output has 16 channels: 10x10x16 = 1,600 outputs, not 100.")),
        (
            196 * 100 + 100,
            tr("Count the channels on both sides: 14x14x6 inputs, 10x10x16 outputs."),
        ),
        (
            n_in * n_out + n_in,
            tr("A bias belongs to each output unit (1,600), not to each input."),
        ),
        (
            n_in * n_out + 16,
            tr("Without sharing every output unit has its own bias: 1,600, not 16."),
        ),
        (
            1024 * 4704 + 4704,
            tr(
                "That is the FC version of conv1 (32x32x1 -> 28x28x6); this one replaces "
                "conv2 (14x14x6 -> 10x10x16)."
            ),
        ),
    ]
    if answer is None:
        return Feedback(False, tr("Replace None with your number."))
    mistakes = {hint: value for value, hint in slips}
    fb = diagnose(answer, n_in * n_out + n_out, mistakes, what=tr("count"))
    if fb.ok:
        return Feedback(True, tr("Correct: 1,883,200 parameters, about 780 times conv2's 2,416."))
    if fb.message in mistakes:
        return fb
    return Feedback(
        False,
        tr(
            "{answer!r} is not right yet: count the inputs (14x14x6) and outputs (10x10x16); "
            "every output has a weight for every input, plus a bias."
        ).format(answer=answer),
    )


def _lenet_flat(n: int, mistake: str | None = None) -> int:
    """Reference (and typical slips) for the length of LeNet-5's flattened pool2 output."""
    conv = (lambda m: m - 5) if mistake == "no +1" else (lambda m: m - 5 + 1)
    pool = (lambda m: -(-m // 2)) if mistake == "ceil" else (lambda m: m // 2)
    if mistake == "no pools":
        side = conv(conv(n))
    else:
        side = pool(conv(pool(conv(n))))
    return side * side * (1 if mistake == "no channels" else 6 if mistake == "6 channels" else 16)


def lenet_flat_size(fn) -> Feedback:
    """Exercise 06.3: ``fn(n)`` returns how many numbers pool2's output flattens to for an
    n x n input (what fc3 must accept): ``16 * m * m`` with
    ``m = floor((floor((n - 4) / 2) - 4) / 2)``. Tried on n = 16 ... 100, odd sizes included."""
    if not callable(fn):
        return Feedback(False, tr("Pass your function itself, e.g. lenet_flat_size(flat_size)."))
    hints = {
        "ceil": tr(
            "Pooling rounds down: a 2x2/stride-2 pool of an odd size n gives floor(n/2) "
            "(the last row or column is dropped). Try n = {n}."
        ),
        "no +1": tr("The conv size formula ends in + 1: n - f + 1. Try n = {n}."),
        "no channels": tr(
            "pool2 has 16 channels: the flattened length is 16 * m * m. Try n = {n}."
        ),
        "6 channels": tr("After conv2 there are 16 channels (its filters), not 6. Try n = {n}."),
        "no pools": tr("Each conv is followed by a 2x2 pool that halves the size. Try n = {n}."),
    }
    for n in (32, 28, 33, 35, 36, 40, 47, 64, 100, 16):
        expected = _lenet_flat(n)
        try:
            got = fn(n)
        except Exception as err:  # a learner's bug, shown as a hint rather than a traceback
            return Feedback(
                False,
                tr("flat_size({n}) raised {error}: {err}").format(
                    n=n, error=type(err).__name__, err=err
                ),
            )
        if got is None:
            return Feedback(
                False, tr("flat_size({n}) returned None: return the number.").format(n=n)
            )
        if same(got, expected, 0, 0):
            continue
        for mistake, hint in hints.items():
            if same(got, _lenet_flat(n, mistake), 0, 0):
                return Feedback(False, hint.format(n=n))
        return Feedback(
            False,
            tr("flat_size({n}) gave {got!r}, expected {expected}.").format(
                n=n, got=got, expected=expected
            ),
        )
    return Feedback(True, tr("Correct for every size tried (16 to 100, odd ones included)."))
