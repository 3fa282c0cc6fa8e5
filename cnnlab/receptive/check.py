"""Exercise checkers of lesson 04 (the receptive field): one stack of stride-1 layers, a
stack with a stride-2 layer in it, and the recursion written as a function.

Each checker returns a ``cnnlab.feedback.Feedback``; a wrong answer is matched against the
usual slips (no jump, the stride applied too early, off by one, K instead of K-1), computed
by one reference recursion that can make each slip.
"""

from __future__ import annotations

import numpy as np

from ..feedback import Feedback, diagnose, same
from ..i18n import Messages, tr

#: The stack of exercise 2: five 3x3 convs, the middle one with stride 2.
RF_STRIDED_LAYERS = ((3, 1), (3, 1), (3, 2), (3, 1), (3, 1))

#: Stacks of (kernel, stride) that ``receptive_field_function`` tries a learner's function on.
RF_TEST_STACKS = (
    ((3, 1),) * 4,
    ((5, 1),),
    ((3, 1), (3, 2), (3, 1)),
    RF_STRIDED_LAYERS,
    ((2, 2), (2, 2), (2, 2)),
    ((7, 2), (3, 2), (3, 1), (3, 1)),
    ((1, 1), (3, 2), (1, 1), (3, 1)),
)

_RF_HINTS = Messages(
    lambda: {
        "nojump": tr(
            "You forgot to multiply by the jump: after a stride-s layer neighbouring units "
            "are s input pixels apart, so every later layer adds (K-1) * jump pixels, where "
            "jump is the product of the strides of the layers before it."
        ),
        "early": tr(
            "You multiplied by a layer's own stride too early: a stride spreads out the "
            "layers *after* it. Per layer: first size += (K-1) * jump, then jump *= stride."
        ),
        "finaljump": tr(
            "You used the final jump for every layer: layers before the strided one "
            "still step 1 pixel; use the jump accumulated *before* each layer."
        ),
        "noone": tr(
            "Off by one (one too few): start from size 1, the unit's own pixel, then add "
            "(K-1) * jump per layer."
        ),
        "extra": tr("Off by one (one too many): start from size 1 and add (K-1) * jump per layer."),
        "k": tr(
            "Each layer adds K-1 (times the jump), not K: a window of K units reaches K-1 "
            "units beyond the one already counted."
        ),
    }
)


def _rf_variant(layers, mistake=None) -> int:
    """Receptive field of (kernel, stride) layers, computed right or with one mistake."""
    size, jump = 1, 1
    for k, s in layers:
        if mistake == "early":
            jump *= s
        step = k if mistake == "k" else k - 1
        size += step * (1 if mistake == "nojump" else jump)
        if mistake != "early":
            jump *= s
    if mistake == "finaljump":
        size = 1 + sum(k - 1 for k, _ in layers) * jump
    return size - (mistake == "noone") + (mistake == "extra")


def _rf_number(answer, what: str) -> Feedback | None:
    if answer is None:
        return Feedback(
            False, tr("Replace None with your {what} (one whole number).").format(what=what)
        )
    if isinstance(answer, bool) or np.ndim(answer) != 0:
        return Feedback(
            False,
            tr("Give the {what} as one number (the side of the square), got {answer!r}.").format(
                what=what, answer=answer
            ),
        )
    return None


def receptive_field_stack(answer, n_layers: int = 5, kernel: int = 5) -> Feedback:
    """Exercise: receptive field of ``n_layers`` stride-1 convs of ``kernel`` x ``kernel``."""
    what = tr("receptive field size")
    bad = _rf_number(answer, what)
    if bad is not None:
        return bad
    L, K = n_layers, kernel
    mistakes = {
        tr(
            "Off by one: you counted L(K-1), the pixels the layers add, but not the 1 pixel "
            "you start from: RF = 1 + L(K-1)."
        ): L * (K - 1),
        _RF_HINTS["k"]: 1 + L * K,
        tr("Each layer adds K-1, not K, and you start from 1 pixel: RF = 1 + L(K-1)."): L * K,
        tr(
            "Receptive fields grow by adding, not multiplying: each stride-1 layer adds K-1 "
            "pixels, RF = 1 + L(K-1)."
        ): K**L,
    }
    return diagnose(answer, 1 + L * (K - 1), mistakes, what=what)


def receptive_field_strided(answer, layers=RF_STRIDED_LAYERS) -> Feedback:
    """Exercise: receptive field of a (kernel, stride) stack with a stride-2 layer in it."""
    what = tr("receptive field size")
    bad = _rf_number(answer, what)
    if bad is not None:
        return bad
    layers = tuple(tuple(layer) for layer in layers)
    expected = _rf_variant(layers)
    mistakes = {}
    for m in ("nojump", "early", "finaljump", "noone", "extra", "k"):
        wrong = _rf_variant(layers, m)
        if wrong != expected:
            mistakes.setdefault(_RF_HINTS[m], wrong)
    return diagnose(answer, expected, mistakes, what=what)


def receptive_field_function(fn) -> Feedback:
    """Exercise: ``fn(layers)`` returns the receptive field of a list of (kernel, stride).

    Tried on every stack of ``RF_TEST_STACKS``; a wrong function is matched against the
    usual mistakes (no jump, stride applied too early, off by one, K instead of K-1).
    """
    if not callable(fn):
        return Feedback(
            False, tr("Pass your function itself (no brackets), got {fn!r}.").format(fn=fn)
        )
    got = []
    for layers in RF_TEST_STACKS:
        try:
            value = fn([tuple(layer) for layer in layers])
        except NotImplementedError:
            return Feedback(
                False,
                tr(
                    "rf_size is not written yet (NotImplementedError). It takes a list of "
                    "(kernel, stride) pairs, first layer first, and returns one int: the side, "
                    "in input pixels, of the receptive field of one unit of the last layer."
                ),
            )
        except Exception as err:  # the learner's code: report whatever it raised
            return Feedback(
                False,
                tr("Your function raised {error}: {err} for layers={layers}.").format(
                    error=type(err).__name__, err=err, layers=list(layers)
                ),
            )
        if value is None:
            return Feedback(
                False,
                tr(
                    "Your function returned None for layers={layers}: did you forget `return size`?"
                ).format(layers=list(layers)),
            )
        got.append(value)
    want = [_rf_variant(layers) for layers in RF_TEST_STACKS]
    if same(got, want, 0, 1e-9):
        return Feedback(True, tr("Correct: right on all {k} test stacks.").format(k=len(want)))
    for m in ("nojump", "early", "finaljump", "noone", "extra", "k"):
        if same(got, [_rf_variant(layers, m) for layers in RF_TEST_STACKS], 0, 1e-9):
            return Feedback(False, _RF_HINTS[m])
    for layers, g, w in zip(RF_TEST_STACKS, got, want):
        if not same(g, w, 0, 1e-9):
            return Feedback(
                False,
                tr(
                    "For layers={layers} the receptive field is {w}, your function returned {g!r}."
                ).format(layers=list(layers), w=w, g=g),
            )
    return Feedback(False, tr("Your function's results are not right yet."))  # unreachable
