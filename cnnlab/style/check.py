"""Exercise checkers of lesson 12 (neural style transfer): the Gram matrix by hand, the
content cost and the style cost of one layer, written by the learner. Each returns a
:class:`cnnlab.feedback.Feedback` naming the likely mistake.

>>> a = GRAM_ACTIVATIONS.reshape(2, -1)
>>> gram_by_hand(a @ a.T).ok
True
"""

from __future__ import annotations

import numpy as np

from ..feedback import Feedback, diagnose
from ..i18n import tr

# two channels over 2x2 positions: channel 0 is a "vertical stripe" detector, channel 1 an
# "orange tint" detector that fires where the stripe does
GRAM_ACTIVATIONS = np.array([[[1.0, 0.0], [2.0, 0.0]], [[3.0, 1.0], [1.0, 0.0]]])


def gram_by_hand(answer) -> Feedback:
    """Exercise 12.1: the Gram matrix G = A Aᵀ of ``GRAM_ACTIVATIONS`` (n_C=2, 2x2 positions),
    a 2x2 matrix."""
    if answer is None:
        return Feedback(False, tr("Replace None with your 2x2 Gram matrix."))
    a = GRAM_ACTIVATIONS.reshape(2, -1)
    expected = a @ a.T
    if np.asarray(answer, dtype=object).shape == (4, 4):
        return Feedback(
            False,
            tr(
                "Your matrix is 4x4: that is AᵀA, products between positions. The style "
                "matrix compares channels: with A unrolled to (n_C, n_H·n_W), G = A Aᵀ is "
                "n_C x n_C."
            ),
        )
    centred = a - a.mean(1, keepdims=True)
    slips = {
        tr(
            "You divided by the number of positions (4): the notes' Gram matrix is the plain "
            "sum over positions; the normalisation comes later, in the style cost."
        ): expected / 4,
        tr(
            "Only the diagonal is right: G[k, k'] for k ≠ k' is Σ a_k·a_k' over positions, "
            "how much the two channels fire together."
        ): np.diag(np.diag(expected)),
        tr(
            "You multiplied the channels' totals (Σ a_k)(Σ a_k'): multiply position by "
            "position first, then sum."
        ): np.outer(a.sum(1), a.sum(1)),
        tr(
            "You subtracted each channel's mean first (a covariance): the notes' Gram matrix "
            "uses the raw activations."
        ): centred @ centred.T,
    }
    fb = diagnose(answer, expected, slips, what=tr("Gram matrix"))
    if fb.ok:
        return Feedback(
            True,
            tr(
                "Correct: G = {G}. G[0, 1] = {g01:g} is large: the stripe and the tint occur "
                "together, a trait of this 'style'."
            ).format(G=expected.tolist(), g01=expected[0, 1]),
        )
    return fb


def _style_cost_variant(a_S, a_G, mistake=None) -> float:
    n_C, n_H, n_W = a_S.shape
    s, g = a_S.reshape(n_C, -1), a_G.reshape(n_C, -1)
    if mistake == "positions":
        gs, gg = s.T @ s, g.T @ g
    else:
        gs, gg = s @ s.T, g @ g.T
    sq = np.sum((gs - gg) ** 2)
    norm = {
        None: (2 * n_H * n_W * n_C) ** 2,
        "positions": (2 * n_H * n_W * n_C) ** 2,
        "unsquared": 2 * n_H * n_W * n_C,
        "content": 4 * n_H * n_W * n_C,
        "none": 1.0,
        "no2": (n_H * n_W * n_C) ** 2,
    }[mistake if mistake != "sqrt" else None]
    return float(np.sqrt(sq) / norm) if mistake == "sqrt" else float(sq / norm)


def layer_style_cost_function(fn) -> Feedback:
    """Exercise 12.3: ``fn(a_S, a_G)`` -> J_style^[l] = 1/(2·n_H·n_W·n_C)² Σ (G_S − G_G)²
    for (n_C, n_H, n_W) NumPy arrays."""
    rng = np.random.default_rng(11)
    hints = {
        "positions": tr(
            "You built AᵀA (positions x positions): the style matrix is A Aᵀ, channels x channels."
        ),
        "unsquared": tr("The normaliser is squared: 1/(2·n_H·n_W·n_C)², not 1/(2·n_H·n_W·n_C)."),
        "content": tr(
            "That is the content cost's normaliser 1/(4·n_H·n_W·n_C); the style cost uses "
            "1/(2·n_H·n_W·n_C)² (Gram entries are sums of products, so they scale twice as "
            "fast)."
        ),
        "none": tr("You left out the normaliser 1/(2·n_H·n_W·n_C)²."),
        "no2": tr("The normaliser is (2·n_H·n_W·n_C)² = 4·(n_H·n_W·n_C)²: you forgot the 2."),
        "sqrt": tr(
            "You took the Frobenius norm ‖G_S − G_G‖ itself; the cost sums the squares, "
            "without the square root."
        ),
    }
    for shape in [(3, 4, 5), (6, 2, 3)]:
        a_S, a_G = rng.random(shape), rng.random(shape)
        got = _call(fn, a_S, a_G, shape)
        if isinstance(got, Feedback):
            return got
        expected = _style_cost_variant(a_S, a_G)
        if np.isclose(got, expected, rtol=1e-6):
            continue
        for mistake, hint in hints.items():
            if np.isclose(got, _style_cost_variant(a_S, a_G, mistake), rtol=1e-6):
                return Feedback(False, hint)
        return Feedback(
            False,
            tr(
                "For activations of shape {shape} your function gave {got:.6g}, expected "
                "{expected:.6g}: unroll to (n_C, n_H·n_W), G = A Aᵀ, then sum the squared "
                "differences and divide by (2·n_H·n_W·n_C)²."
            ).format(shape=shape, got=got, expected=expected),
        )
    return Feedback(
        True, tr("Correct: your layer style cost matches the notes' formula on two shapes.")
    )


def _call(fn, a, b, shape):
    """The learner's fn(a, b) as a float, or a Feedback saying what went wrong."""
    try:
        got = fn(a.copy(), b.copy())
    except Exception as e:  # the learner's code: report any error in words
        return Feedback(
            False,
            tr("Your function raised {error}: {err} (for shape {shape}).").format(
                error=type(e).__name__, err=e, shape=shape
            ),
        )
    if got is None:
        return Feedback(False, tr("Your function returned None: return the cost, one number."))
    try:
        return float(got)
    except (TypeError, ValueError):
        return Feedback(
            False,
            tr(
                "Your function returned {kind} of shape {shape}; the cost is one number (sum "
                "over every entry)."
            ).format(kind=type(got).__name__, shape=np.shape(got)),
        )


def _content_cost_variants(a_C, a_G) -> dict:
    """What the usual slips give for J_content, keyed by their hint."""
    n_C, n_H, n_W = a_C.shape
    norm = 4 * n_H * n_W * n_C
    c, g = a_C.reshape(n_C, -1), a_G.reshape(n_C, -1)
    gram_sq = np.sum((c @ c.T - g @ g.T) ** 2)
    return {
        tr(
            "You left out the normaliser: J_content = 1/(4·n_H·n_W·n_C) · Σ (a_C − a_G)²; "
            "without it the cost grows with the layer's size."
        ): np.sum((a_C - a_G) ** 2),
        tr(
            "You divided by n_H·n_W·n_C (the mean) but forgot the 4: the normaliser is "
            "1/(4·n_H·n_W·n_C)."
        ): np.sum((a_C - a_G) ** 2) / (n_H * n_W * n_C),
        tr(
            "You compared Gram matrices: that is the style cost. The content cost compares "
            "the activations themselves, position by position (a_C − a_G), so it keeps where "
            "things are."
        ): gram_sq / norm,
        tr(
            "You compared Gram matrices with the style normaliser: that is J_style^[l]. The "
            "content cost compares the activations a_C − a_G directly."
        ): gram_sq / norm**2 * 4,
        tr(
            "You squared the wrong thing: (Σ (a_C − a_G))² squares the total, so differences "
            "of opposite sign cancel; square each difference, then sum."
        ): np.sum(a_C - a_G) ** 2 / norm,
        tr(
            "You squared the wrong thing: Σ (a_C² − a_G²) is a difference of squares; square "
            "the difference of each entry, (a_C − a_G)², then sum."
        ): np.sum(a_C**2 - a_G**2) / norm,
        tr(
            "You forgot to square: sum the squared differences (a_C − a_G)², not the absolute ones."
        ): np.sum(np.abs(a_C - a_G)) / norm,
        tr(
            "You took the square root (a Euclidean distance): the content cost is the sum of "
            "squares itself, without the root."
        ): np.sqrt(np.sum((a_C - a_G) ** 2)) / norm,
    }


def content_cost_function(fn) -> Feedback:
    """Exercise 12.2: ``fn(a_C, a_G)`` -> J_content = 1/(4·n_H·n_W·n_C) · Σ (a_C − a_G)² for
    two (n_C, n_H, n_W) NumPy arrays (one layer's activations of the content and the generated
    image), checked on two shapes with every dimension different."""
    rng = np.random.default_rng(12)
    for shape in [(3, 4, 5), (7, 2, 6)]:
        a_C, a_G = rng.random(shape), rng.random(shape)
        got = _call(fn, a_C, a_G, shape)
        if isinstance(got, Feedback):
            return got
        n_C, n_H, n_W = shape
        expected = np.sum((a_C - a_G) ** 2) / (4 * n_H * n_W * n_C)
        if np.isclose(got, expected, rtol=1e-6):
            continue
        for hint, wrong in _content_cost_variants(a_C, a_G).items():
            if np.isclose(got, wrong, rtol=1e-6):
                return Feedback(False, hint)
        return Feedback(
            False,
            tr(
                "For activations of shape (n_C, n_H, n_W) = {shape} your function gave "
                "{got:.6g}, expected {expected:.6g}: square each difference a_C − a_G, sum "
                "over every entry, divide by 4·n_H·n_W·n_C."
            ).format(shape=shape, got=got, expected=expected),
        )
    return Feedback(
        True, tr("Correct: your content cost matches the notes' formula on two shapes.")
    )
