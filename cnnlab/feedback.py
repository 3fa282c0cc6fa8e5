"""The core of every exercise checker: :class:`Feedback` and :func:`diagnose`.

A checker (each topic's ``check.py``) compares a learner's answer with the reference and,
when it is wrong, names the mistake: it computes what the usual slips would give (forgot the
padding, took the ceiling, flipped the kernel, ...) and says which one the answer matches, as
the Deep Learning Specialization's tests do. A :class:`Feedback` shows as a green tick or a
red cross with the hint in a notebook. Used by the exercises of lessons 01-12.

>>> diagnose(4, 4).ok
True
>>> diagnose(5, 4, {"You forgot the padding.": 5}).message
'You forgot the padding.'
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np

from .i18n import tr


@dataclass(frozen=True)
class Feedback:
    """Result of a check: ``ok`` and a message (the hint when not ok)."""

    ok: bool
    message: str

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        return ("✔ " if self.ok else "✘ ") + self.message

    def _repr_html_(self) -> str:
        colour = "#1a7f37" if self.ok else "#a40000"
        mark = "✔" if self.ok else "✘"
        return f'<div style="color:{colour}"><b>{mark}</b> {html.escape(self.message)}</div>'


def diagnose(
    answer, expected, mistakes: dict | None = None, *, rtol=1e-6, atol=1e-8, what: str = "answer"
) -> Feedback:
    """Compare ``answer`` with ``expected``; if wrong, name the first matching mistake.

    mistakes: {hint: value a learner would get by making that mistake}. Arrays are
    compared by shape first, then values (to rtol/atol).
    """
    if same(answer, expected, rtol, atol):
        return Feedback(True, tr("Correct {what}.").format(what=what))
    for hint, wrong in (mistakes or {}).items():
        if same(answer, wrong, rtol, atol):
            return Feedback(False, hint)
    a, e = np.asarray(answer), np.asarray(expected)
    if a.shape != e.shape:
        return Feedback(
            False,
            tr("Your {what} has shape {got}, expected {shape}.").format(
                what=what, got=a.shape, shape=e.shape
            ),
        )
    return Feedback(
        False,
        tr(
            "Your {what} is not right yet: you gave {answer}, which matches none of the "
            "usual slips; go back over the formula step by step."
        ).format(what=what, answer=short(answer)),
    )


def same(a, b, rtol, atol) -> bool:
    try:
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        return False
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def short(x) -> str:
    arr = np.asarray(x)
    if arr.size <= 6:
        return (
            np.array2string(arr, precision=4)
            if arr.ndim
            else f"{arr.item():g}"
            if arr.dtype.kind in "fiu"
            else repr(x)
        )
    return tr("an array of shape {shape}").format(shape=arr.shape)


def check_number(
    answer, expected, slips: list, generic: str, what: str = "number", *, rtol=1e-6, atol=1e-8
) -> Feedback:
    """``diagnose`` for an exercise whose answer is one number.

    slips: [(the value a mistake gives, the hint that names it)], first match wins (a slip
    equal to the right answer is ignored). A wrong answer that matches no slip gets
    ``generic``, a hint that does not give the answer away. ``None`` (the exercise's
    placeholder, not yet replaced) gets a reminder.

    >>> check_number(270, 280, [(270, "Each filter has a bias too.")], "Count again.").message
    'Each filter has a bias too.'
    """
    if answer is None:
        return Feedback(False, tr("Replace None with your {what}.").format(what=what))
    mistakes: dict = {}
    for value, hint in slips:
        if value != expected and hint not in mistakes:
            mistakes[hint] = value
    fb = diagnose(answer, expected, mistakes, rtol=rtol, atol=atol, what=what)
    if fb.ok or fb.message in mistakes:
        return fb
    return Feedback(
        False, tr("{answer} is not right yet. {hint}").format(answer=repr(answer), hint=generic)
    )
