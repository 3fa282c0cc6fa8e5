"""Exercise checkers of lesson 05: max pooling by hand, the output size of pooling,
which operations are translation equivariant, and max pooling's backward pass (written by
the learner, checked by gradient checks: :mod:`cnnlab.pooling.backward_check`, re-exported
here as ``max_pool_backward_function``).

Each checker returns a :class:`cnnlab.feedback.Feedback` that names the likely mistake.
"""

from __future__ import annotations

import numpy as np

from ..arith import conv_output_size
from ..feedback import Feedback, diagnose
from ..i18n import Messages, tr
from ..pool import avg_pool2d, max_pool2d
from .backward_check import MAX_POOL_BACKWARD_CASES, max_pool_backward_function

__all__ = [
    "POOLING_GRID",
    "EQUIVARIANCE_OPS",
    "MAX_POOL_BACKWARD_CASES",
    "max_pool_grid",
    "pool_output_shape",
    "equivariant_ops",
    "max_pool_backward_function",
]

#: Exercise grid of the max-pooling exercise: 2 channels of 4x4, (C, H, W).
POOLING_GRID = np.array(
    [
        [[1, 3, 2, 0], [4, 6, 5, 1], [0, 2, 9, 8], [3, 1, 7, 4]],
        [[5, 0, 1, 2], [2, 8, 0, 3], [6, 1, 4, 4], [0, 7, 2, 9]],
    ],
    dtype=float,
)

#: The operations of the equivariance exercise, by letter (in the language of the moment).
EQUIVARIANCE_OPS = Messages(
    lambda: {
        "a": tr("3x3 convolution, stride 1, circular padding"),
        "b": tr("3x3 convolution, stride 2, circular padding"),
        "c": tr("2x2 max pooling, stride 2"),
        "d": tr("3x3 max pooling, stride 1, circular padding"),
        "e": tr("ReLU on every pixel"),
        "f": tr("flatten, then a fully connected layer back to H x W"),
    }
)


def max_pool_grid(answer) -> Feedback:
    """Exercise 05.1: 2x2 max pooling with stride 2 of ``POOLING_GRID``, as (C, H_out, W_out)."""
    x = POOLING_GRID[None]
    try:
        a = np.asarray(answer, dtype=float) if answer is not None else None
    except (TypeError, ValueError):
        return Feedback(
            False,
            tr(
                "Your answer must be numbers in an array of shape (C, H_out, W_out), e.g. "
                "np.array([[[...], ...]]), got {answer!r}."
            ).format(answer=answer),
        )
    if a is not None and a.ndim == 4 and a.shape[0] == 1:
        a = a[0]  # a (1, C, H, W) batch is fine too
    expected = max_pool2d(x, 2)[0]
    stride_1 = max_pool2d(x, 2, stride=1)[0]
    average = avg_pool2d(x, 2)[0]
    minimum = -max_pool2d(-x, 2)[0]
    mistakes = {
        tr(
            "Your windows overlap: with stride 1 the 2x2 window moves one cell at a time "
            "(3x3 outputs). Here the stride equals the kernel, so the windows tile the grid."
        ): stride_1,
        tr("You took the average of each window; max pooling keeps its largest value."): average,
        tr("You took the smallest value of each window; max pooling keeps the largest."): minimum,
        tr("You added up each window; max pooling keeps its largest value."): 4 * average,
        tr(
            "You swapped rows and columns: out[c, i, j] is the max of rows 2i, 2i+1 and "
            "columns 2j, 2j+1 of channel c."
        ): expected.transpose(0, 2, 1),
        tr(
            "You pooled across the channels as well: pooling works on each channel "
            "separately, so the output keeps 2 channels, shape (2, 2, 2)."
        ): expected.max(axis=0),
    }
    if a is None:
        return Feedback(False, tr("Replace None with your (2, 2, 2) array."))
    if a.ndim == 3 and a.shape[0] == 1:
        a = a[0]  # one channel left: judged as pooled across channels, or as wrong
    return diagnose(a, expected, mistakes, what=tr("max-pooled grid"))


def pool_output_shape(answer) -> Feedback:
    """Exercise 05.2: shape (H, W, C) after 3x3 max pooling, stride 2, no padding, of 32x32x16."""
    try:
        a = tuple(int(v) for v in answer)
    except (TypeError, ValueError):
        return Feedback(
            False,
            tr("Give a tuple of three integers (H, W, C), got {answer!r}.").format(answer=answer),
        )
    if len(a) != 3:
        return Feedback(
            False, tr("Give three numbers (H, W, C), got {k}: {a}.").format(k=len(a), a=a)
        )
    n = conv_output_size(32, 3, p=0, s=2)
    if a == (n, n, 16):
        return Feedback(
            True,
            tr("Correct: floor((32 - 3) / 2) + 1 = {n}, and the 16 channels stay.").format(n=n),
        )
    if a[2] != 16:
        return Feedback(
            False,
            tr(
                "Pooling works on each channel separately, so the number of channels does not "
                "change: C stays 16 (you wrote {c})."
            ).format(c=a[2]),
        )
    hints = {
        16: tr(
            "Too big by one: there is no padding and the formula rounds down, "
            "floor((32 - 3)/2) + 1 (a window that would stick out of the input is not used); "
            "halving 32 is only right for a 2x2 window."
        ),
        14: tr("You forgot the + 1 in floor((n + 2p - f)/s) + 1: the first window counts too."),
        30: tr("That is stride 1; this pooling moves its window 2 cells at a time."),
        conv_output_size(32, 3, s=3): tr(
            "You used the kernel size as the stride; here the stride is 2."
        ),
    }
    if a[0] != a[1]:
        return Feedback(False, tr("The input and the window are square, so H and W must be equal."))
    return Feedback(
        False,
        hints.get(
            a[0],
            tr(
                "H = W = {h} is not right: use floor((n + 2p - f)/s) + 1 with n=32, f=3, p=0, s=2."
            ).format(h=a[0]),
        ),
    )


def equivariant_ops(answer) -> Feedback:
    """Exercise 05.3: which of ``EQUIVARIANCE_OPS`` satisfy F(T(x)) = T(F(x)) for a 1-pixel
    (circular) shift T. answer: letters as a string ("ade"), list or set."""
    if answer is None:
        return Feedback(False, tr("Replace None with the letters of the equivariant operations."))
    if not isinstance(answer, str) and not isinstance(answer, (list, tuple, set, frozenset)):
        return Feedback(
            False,
            tr('Give the letters as a string ("ade") or a list (["a", "d", "e"]), got {answer!r}.').format(
                answer=answer
            ),
        )
    letters = answer if isinstance(answer, str) else "".join(str(v) for v in answer)
    chosen = {c.lower() for c in letters if c.isalpha()}
    if not chosen:
        return Feedback(False, tr("Choose at least one letter among a-f."))
    unknown = chosen - set(EQUIVARIANCE_OPS)
    if unknown:
        return Feedback(
            False,
            tr("Unknown letters {unknown}; choose among {letters}.").format(
                unknown=sorted(unknown), letters=sorted(EQUIVARIANCE_OPS)
            ),
        )
    if chosen == {"a", "d", "e"}:
        return Feedback(
            True,
            tr(
                "Correct: stride-1 sliding windows (convolution, pooling) and pointwise "
                "functions commute with shifts; strides and fully connected layers do not."
            ),
        )
    if chosen & {"b", "c"}:
        return Feedback(
            False,
            tr(
                "A stride-2 layer (b, c) cannot move its output by half a cell: after a "
                "1-pixel shift it samples a different grid, so F(T(x)) is not a shift of "
                "F(x). Only shifts by multiples of the stride are reproduced."
            ),
        )
    if "f" in chosen:
        return Feedback(
            False,
            tr(
                "A fully connected layer (f) has its own weight for every input position: "
                "moving the input changes which weight sees which pixel."
            ),
        )
    if "e" not in chosen:
        return Feedback(
            False,
            tr(
                "A pointwise function such as ReLU (e) commutes with any shift: "
                "relu(T(x)) = T(relu(x))."
            ),
        )
    if "d" not in chosen:
        return Feedback(
            False,
            tr(
                "Max pooling with stride 1 (d) slides its window like a convolution, so it is "
                "equivariant: it is the stride's subsampling that breaks equivariance."
            ),
        )
    return Feedback(
        False,
        tr(
            "A stride-1 convolution (a) is the translation-equivariant layer: the same "
            "weights are used at every position."
        ),
    )
