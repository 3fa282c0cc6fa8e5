"""The receptive field by the formula (cnnlab.receptive.formula): how many layers a block
needs, the square of one unit, and the per-layer table."""

import pytest

from cnnlab import arith, receptive


def test_formula_is_arith_recursion_with_pools_as_windows():
    stack = [(3, 1), (3, 1), ("max", 2), (3, 1, 2, 1), ("avg", 3, 2, 1)]
    expected = arith.receptive_field([(3, 1), (3, 1), (2, 2), (3, 1, 2, 1), (3, 2, 1, 1)])
    assert receptive.formula_receptive_field(stack) == expected
    assert [r.size for r in receptive.formula_receptive_field(stack)[:4]] == [3, 5, 6, 14]


def test_stride1_size():
    assert receptive.stride1_size(4, 3) == 9 and receptive.stride1_size(0, 7) == 1
    with pytest.raises(ValueError, match="kernel size K"):
        receptive.stride1_size(3, 0)


def test_layers_to_see_224_pixels():
    assert len(receptive.layers_to_see(224, (3, 1))) == 112
    assert receptive.layers_to_see(224, (3, 1))[-1].size == 225
    assert len(receptive.layers_to_see(224, (3, 2))) == 7
    vgg = receptive.layers_to_see(224, [(3, 1), (3, 1), ("max", 2)])
    assert len(vgg) == 17 and vgg[-1].size == 284
    with pytest.raises(ValueError, match="never grows"):
        receptive.layers_to_see(10, (1, 1))


def test_table_lists_every_layer():
    text = receptive.receptive_table([(3, 1), ("max", 2), (3, 1, 2, 2)], 32)
    lines = text.splitlines()
    assert len(lines) == 2 + 1 + 3
    assert "maxpool 2x2 s2" in text and "conv 3x3 s1 d2 p2" in text
    assert lines[-1].split()[-3:] == ["12", "2", "1.5"]


def test_table_without_an_input_size_leaves_out_the_output_column():
    text = receptive.receptive_table([(3, 1), ("max", 2), (3, 1, 2, 2)])
    lines = text.splitlines()
    assert len(lines) == 2 + 3 and "output" not in lines[0] and "input" not in text
    assert lines[2].startswith(" 1 conv 3x3 s1")
    assert lines[-1].split()[-3:] == ["12", "2", "1.5"]
