"""Exercise checkers of convolution arithmetic: the learner's output-size function, the sizes
through a stack of layers, "same" padding, and the padding that halves an image. Used by
lesson 03.

The hints come from :func:`conv_size_slips`, the usual slips in
``floor((n + 2p - d(f-1) - 1)/s) + 1`` (forgot the padding, rounded up, forgot the + 1, ...),
each computed for the case at hand.
"""

from __future__ import annotations

import numpy as np

from ..arith import conv_output_size, effective_kernel, same_padding
from ..feedback import Feedback, diagnose, same
from ..i18n import tr


def conv_size_slips(n: int, f: int, p: int = 0, s: int = 1, d: int = 1) -> list:
    """The usual slips in ``floor((n + 2p - d(f-1) - 1)/s) + 1``: a list of (hint, value).

    value is what a learner making that slip computes for these settings (Python's //
    floors, so ``-(-a // s)`` is the ceiling). Slips that give the right answer here are
    kept; :func:`conv_size_mistakes` drops them.
    """
    span = effective_kernel(f, d)
    top = n + 2 * p - span
    return [
        (
            tr(
                "Did you forget the padding? Padding adds p pixels on BOTH sides, so n becomes "
                "n + 2p before the kernel slides."
            ),
            (n - span) // s + 1,
        ),
        (tr("Did you count the padding once? Use n + 2p, not n + p."), (n + p - span) // s + 1),
        (
            tr(
                "Did you round up? When the last window does not fit, its rows are dropped: "
                "take the floor of the division (// in Python), not the ceiling."
            ),
            -(-top // s) + 1,
        ),
        (
            tr(
                "Did you forget the + 1? A kernel that fits exactly once still gives one "
                "output: floor(...) + 1."
            ),
            top // s,
        ),
        (
            tr(
                "Did you forget the dilation? A kernel of size f with dilation d spans "
                "d(f-1) + 1 pixels, not f."
            ),
            (n + 2 * p - f) // s + 1,
        ),
        (tr("Did you forget the stride? Divide by s before adding 1."), top + 1),
        (
            tr(
                "Did you divide the + 1 too? It comes after the division: "
                "floor((n + 2p - d(f-1) - 1)/s) + 1."
            ),
            (top + 1) // s,
        ),
        (
            tr("Your size is not a whole number: take the floor of the division (// in Python)."),
            top / s + 1,
        ),
    ]


def conv_size_mistakes(n: int, f: int, p: int = 0, s: int = 1, d: int = 1) -> dict:
    """{hint: wrong value} for :func:`diagnose`, for one convolution's output size.

    Slips that give the right number are left out; slips that give the same wrong number
    are merged into one hint ("Did you forget the + 1? ... Or: ...").
    """
    right = (n + 2 * p - effective_kernel(f, d)) // s + 1  # the formula, never raising
    by_value: dict = {}
    for hint, value in conv_size_slips(n, f, p, s, d):
        if value != right:
            by_value.setdefault(value, []).append(hint)
    return {tr(" Or: ").join(hints): value for value, hints in by_value.items()}


def _size_feedback(answer, expected: int, mistakes: dict, what: str, generic: str) -> Feedback:
    """diagnose() for one size; the generic hint does not give the answer away."""
    if answer is None:
        return Feedback(False, tr("Replace None with your {what}.").format(what=what))
    fb = diagnose(answer, expected, mistakes, what=what)
    if fb.ok or fb.message in mistakes:
        return fb
    return Feedback(
        False,
        tr("Your {what} ({answer!r}) is not right yet. {generic}").format(
            what=what, answer=answer, generic=generic
        ),
    )


# Cases the learner's output_size function must get right: the notes' examples first, then
# strides that do not divide evenly, padding with stride, dilation, and everything at once.
OUTPUT_SIZE_CASES = [
    (6, 3, 0, 1, 1),
    (6, 3, 1, 1, 1),
    (7, 3, 0, 2, 1),
    (8, 3, 0, 2, 1),
    (9, 4, 0, 3, 1),
    (32, 5, 2, 1, 1),
    (32, 3, 1, 2, 1),
    (10, 3, 0, 1, 2),
    (15, 3, 1, 2, 3),
    (224, 7, 3, 2, 1),
    (13, 5, 2, 4, 2),
]


def output_size_function(fn) -> Feedback:
    """Exercise 03.1: check a learner's ``output_size(n, f, p=0, s=1, d=1)``.

    Calls ``fn(n, f, p, s, d)`` on :data:`OUTPUT_SIZE_CASES` (valid settings only) and
    compares with :func:`cnnlab.arith.conv_output_size`. On the first wrong case, the hint
    names the slip that explains the learner's results on every case, or else the slip
    that matches this case.
    """
    if not callable(fn):
        return Feedback(
            False, tr("Pass your function itself (output_size), got {fn!r}.").format(fn=fn)
        )
    got = []
    for case in OUTPUT_SIZE_CASES:
        try:
            got.append(fn(*case))
        except Exception as err:  # the learner's code: report, never crash the checker
            return Feedback(
                False,
                tr("output_size{case} raised {error}: {err}").format(
                    case=case, error=type(err).__name__, err=err
                ),
            )
    expected = [conv_output_size(*case) for case in OUTPUT_SIZE_CASES]
    if all(same(g, e, 0, 0) for g, e in zip(got, expected)):
        return Feedback(
            True,
            tr("Correct on all {k} cases, from 6x6 * 3x3 to dilated strided ones.").format(
                k=len(expected)
            ),
        )
    slips = [conv_size_slips(*case) for case in OUTPUT_SIZE_CASES]
    wrong = next(i for i, (g, e) in enumerate(zip(got, expected)) if not same(g, e, 0, 0))
    # Best guess: the one slip that reproduces every answer (right ones included).
    hint = next(
        (
            h
            for k, (h, _) in enumerate(slips[0])
            if all(same(g, case_slips[k][1], 0, 0) for g, case_slips in zip(got, slips))
        ),
        None,
    )
    if hint is None:  # else the slips that match the first wrong case
        case = conv_size_mistakes(*OUTPUT_SIZE_CASES[wrong])
        hint = next((h for h, v in case.items() if same(got[wrong], v, 0, 0)), None)
    n, f, p, s, d = OUTPUT_SIZE_CASES[wrong]
    where = tr(
        "For n={n}, f={f}, p={p}, s={s}, d={d} your function returned {got!r}, expected {want}."
    ).format(n=n, f=f, p=p, s=s, d=d, got=got[wrong], want=expected[wrong])
    return Feedback(
        False, where + (" " + hint if hint else " " + tr("Check the formula term by term."))
    )


# Exercise 03.2: the sizes after each layer of a small stack on a 28x28 input.
LAYER_STACK = [
    # (kernel f, padding p, stride s, dilation d)
    (5, 0, 1, 1),
    (3, 1, 2, 1),
    (3, 0, 1, 2),
    (3, 0, 2, 1),
]
LAYER_STACK_INPUT = 28


def layer_stack_sizes(sizes) -> Feedback:
    """Exercise 03.2: the output size after each layer of :data:`LAYER_STACK` on 28x28.

    ``sizes`` is a list of 4 ints. The first wrong layer is reported, with the slip that
    matches (computed from the learner's own previous size, so one early slip is not
    blamed again on every later layer).
    """
    if sizes is None:
        return Feedback(False, tr("Replace None with your list of 4 sizes, e.g. [24, ...]."))
    try:
        sizes = [s_ for s_ in sizes]
    except TypeError:
        return Feedback(
            False,
            tr("Give a list of {k} sizes, got {sizes!r}.").format(k=len(LAYER_STACK), sizes=sizes),
        )
    if len(sizes) != len(LAYER_STACK):
        return Feedback(
            False,
            tr("Give one size per layer: {k} numbers, got {got}.").format(
                k=len(LAYER_STACK), got=len(sizes)
            ),
        )
    n = LAYER_STACK_INPUT
    for i, ((f, p, s, d), got) in enumerate(zip(LAYER_STACK, sizes), start=1):
        expected = conv_output_size(n, f, p, s, d)
        if not same(got, expected, 0, 0):
            fb = _size_feedback(
                got,
                expected,
                conv_size_mistakes(n, f, p, s, d),
                tr("size"),
                tr("Apply floor((n + 2p - d(f-1) - 1)/s) + 1 to this layer's input."),
            )
            return Feedback(
                False,
                tr("Layer {i} (input {n}, f={f}, p={p}, s={s}, d={d}): {message}").format(
                    i=i, n=n, f=f, p=p, s=s, d=d, message=fb.message
                ),
            )
        n = expected
    return Feedback(
        True,
        tr("Correct: {formula}.").format(
            formula=f"{LAYER_STACK_INPUT} → " + " → ".join(map(str, sizes))
        ),
    )


def same_padding_f5(p) -> Feedback:
    """Exercise 03.3: the padding that keeps the size of a 5x5, stride-1 convolution."""
    mistakes = {
        tr(
            "That is the total padding f - 1 = 4: it is split between the two sides, p = (f - 1)/2."
        ): 4,
        tr("That is the kernel size. 'Same' needs n + 2p - f + 1 = n, so p = (f - 1)/2."): 5,
        tr("p = 0 is the 'valid' convolution: the output shrinks by f - 1 = 4."): 0,
        tr("(f + 1)/2 = 3 pads one pixel too many: the output grows by 2. Use (f - 1)/2."): 3,
        tr("Padding 1 suits a 3x3 kernel; a 5x5 one loses 2 pixels on each side."): 1,
    }
    return _size_feedback(
        p,
        same_padding(5),
        mistakes,
        tr("padding"),
        tr("Solve n + 2p - f + 1 = n for p with f = 5."),
    )


# Exercise 03.4: the padding that halves 32 -> 16 with a 3x3, stride-2 convolution.
HALVING = {"n": 32, "f": 3, "s": 2, "target": 16}


def padding_for_halving(p) -> Feedback:
    """Exercise 03.4: p such that a 3x3 stride-2 convolution maps 32x32 to 16x16 (p = 1)."""
    n, f, s, target = HALVING["n"], HALVING["f"], HALVING["s"], HALVING["target"]
    if p is None:
        return Feedback(False, tr("Replace None with your padding."))
    if isinstance(p, np.ndarray) and p.size == 1:
        p = p.item()  # np.array(1) or np.array([1]) is one number
    if isinstance(p, float) and p.is_integer():
        p = int(p)
    if isinstance(p, (bool, np.ndarray)) or not hasattr(p, "__index__") or p < 0:
        return Feedback(False, tr("The padding is a whole number >= 0, got {p!r}.").format(p=p))
    out = conv_output_size(n, f, int(p), s)
    formula = f"floor(({n} + 2·{p} - {f})/{s}) + 1 = {out}"
    if out == target:
        return Feedback(True, tr("Correct: {formula}.").format(formula=formula))
    if out < target:
        why = (
            tr("{formula}: the floor drops the last row, so the output is one short. Pad more.")
            if p == 0
            else tr("{formula}: too small, pad more.")
        ).format(formula=formula)
    else:
        why = tr("{formula}: too big, pad less.").format(formula=formula)
    return Feedback(
        False,
        tr("With p={p} the output is {out}x{out}, not {target}x{target}: {why}").format(
            p=p, out=out, target=target, why=why
        ),
    )
