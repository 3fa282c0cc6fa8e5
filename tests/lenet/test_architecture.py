"""LeNet-5's rows (cnnlab.lenet.architecture): their table is the 1998 network's."""

import pytest

from cnnlab import lenet, tables


def test_table_is_lenet5():
    rows = tables.layer_table(lenet.LENET5, lenet.LENET5_INPUT)
    assert [r.name for r in rows] == [
        "input", "conv1", "pool1", "conv2", "pool2", "fc3", "fc4", "fc5",
    ]  # fmt: skip
    assert [r.shape for r in rows] == [
        (32, 32, 1), (28, 28, 6), (14, 14, 6), (10, 10, 16), (5, 5, 16), (120,), (84,), (10,),
    ]  # fmt: skip
    assert [r.params for r in rows] == [0, 156, 0, 2416, 0, 48120, 10164, 850]
    assert [r.layer for r in rows] == [0, 1, 1, 2, 2, 3, 4, 5]  # conv + pool = one layer
    assert sum(r.params for r in rows) == 61706
    assert [r.activations for r in rows][:5] == [1024, 4704, 1176, 1600, 400]


def test_table_other_input_sizes():
    rows = tables.layer_table(lenet.LENET5, (28, 28, 1))
    assert rows[4].shape == (4, 4, 16) and rows[5].params == 256 * 120 + 120
    rgb = tables.layer_table(lenet.LENET5, (32, 32, 3))
    assert rgb[1].params == 6 * (5 * 5 * 3 + 1)
    gap32 = tables.layer_table(lenet.LENET5_GAP, (32, 32, 1))
    gap40 = tables.layer_table(lenet.LENET5_GAP, (40, 40, 1))
    assert sum(r.params for r in gap32) == sum(r.params for r in gap40) == 15626
    with pytest.raises(ValueError, match="not positive"):
        tables.layer_table(lenet.LENET5, (12, 12, 1))
    with pytest.raises(ValueError, match="kind must be one of"):
        tables.layer_table((tables.Layer("x", "dense", n_c=3),), lenet.LENET5_INPUT)


def test_lenet5_variants():
    assert lenet.lenet5() == lenet.LENET5
    assert [layer.kind for layer in lenet.LENET5] == [
        "conv",
        "avg",
        "conv",
        "avg",
        "fc",
        "fc",
        "fc",
    ]
    assert [layer.kind for layer in lenet.lenet5("max")][1::2][:2] == ["max", "max"]
    assert lenet.LENET5_GAP[4] == tables.gap("gap")
    assert lenet.lenet5(n_classes=26)[-1] == tables.fc("fc5", 26)
    with pytest.raises(ValueError, match="pool must be one of"):
        lenet.lenet5("min")
