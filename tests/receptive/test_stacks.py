"""How lesson 04 writes a stack (cnnlab.receptive.stacks): parsing, the explorer's stack and
the feature-map sizes."""

import pytest

from cnnlab import receptive, tables


def test_parse_layers():
    stack = receptive.parse_layers([(3, 1), ("max", 2), ("conv", 5, 2, 2, 1), ("avg", 3, 1, 1)])
    assert [L.kind for L in stack] == ["conv", "max", "conv", "avg"]
    assert [(L.f, L.s, L.d, L.p) for L in stack] == [
        (3, 1, 1, 0),
        (2, 2, 1, 0),
        (5, 2, 2, 1),
        (3, 1, 1, 1),
    ]
    assert all(isinstance(L, receptive.Layer) and L.n_c in (None, 1) for L in stack)
    assert receptive.parse_layers(stack) == stack  # already parsed: unchanged


def test_make_stack():
    stack = receptive.make_stack(2, 5, 2, 2, pool=True, same=True)
    assert [tables.describe(L) for L in stack] == ["conv 5x5 s2 d2 p4", "maxpool 2x2 s2"] * 2


def test_feature_map_sizes():
    assert receptive.feature_map_sizes([(3, 1), ("max", 2)], (9, 12)) == [(9, 12), (7, 10), (3, 5)]
    assert receptive.feature_map_sizes([(3, 2, 1, 1)] * 7, 224)[-1] == (2, 2)
    with pytest.raises(ValueError, match="input_size must be an int or"):
        receptive.feature_map_sizes([(3, 1)], (9, 9, 9))
