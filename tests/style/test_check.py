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


def _content(a_C, a_G, norm=lambda c, h, w: 4 * h * w * c):
    n_C, n_H, n_W = a_C.shape
    return np.sum((a_C - a_G) ** 2) / norm(n_C, n_H, n_W)


def test_content_cost_function():
    assert check.content_cost_function(style.content_cost).ok
    assert check.content_cost_function(_content).ok

    def gram(x):
        return x.reshape(x.shape[0], -1) @ x.reshape(x.shape[0], -1).T

    def norm(x):
        return 4 * np.prod(x.shape)

    cases = {
        "left out the normaliser": lambda c, g: np.sum((c - g) ** 2),
        "forgot the 4": lambda c, g: _content(c, g, lambda n_c, h, w: h * w * n_c),
        "compared Gram matrices: that is the style cost": lambda c, g: (
            np.sum((gram(c) - gram(g)) ** 2) / norm(c)
        ),
        "J_style^[l]": style.layer_style_cost,
        "squared the wrong thing: (Σ": lambda c, g: np.sum(c - g) ** 2 / norm(c),
        "difference of squares": lambda c, g: np.sum(c**2 - g**2) / norm(c),
        "forgot to square": lambda c, g: np.sum(np.abs(c - g)) / norm(c),
        "square root": lambda c, g: np.sqrt(np.sum((c - g) ** 2)) / norm(c),
    }
    for words, fn in cases.items():
        fb = check.content_cost_function(fn)
        assert not fb.ok and words in fb.message, (words, fb.message)
    assert "returned None" in check.content_cost_function(lambda c, g: None).message
    assert "one number" in check.content_cost_function(lambda c, g: c - g).message
    assert "raised" in check.content_cost_function(lambda c, g: c.nope).message
    # n_H and n_W swapped or n_C taken from the wrong axis: no named slip, but refused
    fb = check.content_cost_function(lambda c, g: np.sum((c - g) ** 2) / (4 * c.shape[1] ** 3))
    assert not fb.ok and "expected" in fb.message


def test_layer_style_cost_stub_returning_none():
    assert "returned None" in check.layer_style_cost_function(lambda s, g: None).message
