"""cnnlab.style.check: the checkers accept the reference and name the usual mistakes."""

import numpy as np

from cnnlab import style
from cnnlab.style import check


def test_gram_by_hand():
    a = check.GRAM_ACTIVATIONS.reshape(2, -1)
    assert check.gram_by_hand(a @ a.T).ok
    assert check.gram_by_hand(style.gram_matrix(check.GRAM_ACTIVATIONS)).ok
    assert not check.gram_by_hand(None).ok
    assert "AᵀA" in check.gram_by_hand(a.T @ a).message
    assert "number of positions" in check.gram_by_hand(a @ a.T / 4).message
    assert "diagonal" in check.gram_by_hand(np.diag(np.diag(a @ a.T))).message
    assert (
        "raw activations"
        in check.gram_by_hand(
            (a - a.mean(1, keepdims=True)) @ (a - a.mean(1, keepdims=True)).T
        ).message
    )


def _cost(a_S, a_G, norm, gram=lambda x: x @ x.T, sqrt=False):
    n_C, n_H, n_W = a_S.shape
    s, g = a_S.reshape(n_C, -1), a_G.reshape(n_C, -1)
    sq = np.sum((gram(s) - gram(g)) ** 2)
    return (np.sqrt(sq) if sqrt else sq) / norm(n_C, n_H, n_W)


def test_layer_style_cost_function():
    assert check.layer_style_cost_function(style.layer_style_cost).ok
    cases = {
        "squared": lambda s, g: _cost(s, g, lambda c, h, w: 2 * h * w * c),
        "content cost's": lambda s, g: _cost(s, g, lambda c, h, w: 4 * h * w * c),
        "left out": lambda s, g: _cost(s, g, lambda c, h, w: 1),
        "forgot the 2": lambda s, g: _cost(s, g, lambda c, h, w: (h * w * c) ** 2),
        "Frobenius": lambda s, g: _cost(s, g, lambda c, h, w: (2 * h * w * c) ** 2, sqrt=True),
        "AᵀA": lambda s, g: _cost(
            s, g, lambda c, h, w: (2 * h * w * c) ** 2, gram=lambda x: x.T @ x
        ),
    }
    for words, fn in cases.items():
        fb = check.layer_style_cost_function(fn)
        assert not fb.ok and words in fb.message, (words, fb.message)
    assert "raised" in check.layer_style_cost_function(lambda s, g: s.nope).message
    assert "expected" in check.layer_style_cost_function(lambda s, g: 1.0).message
