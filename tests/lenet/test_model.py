"""The PyTorch LeNet-5 (cnnlab.lenet.model): checked against its table, layer by layer;
its feature maps and the resizing augmentation."""

import numpy as np
import pytest
import torch
from torch import nn

from cnnlab import lenet, tables

VARIANTS = [("tanh", "avg"), ("relu", "max")]


def _batch(n=4, size=32, seed=0):
    return np.random.default_rng(seed).normal(size=(n, 1, size, size))


def test_summary_checks_pytorch():
    text = tables.summary(lenet.LeNet5(), layout=tables.SHAPES)
    assert text.count("61,706") == 2 and "PyTorch counts" in text
    assert "5x5x16" in text and "PyTorch" not in tables.summary(
        spec=lenet.LENET5, input_shape=lenet.LENET5_INPUT, layout=tables.SHAPES
    )
    for size in (32, 40, 24):
        text = tables.summary(
            lenet.LeNet5(global_pool=True), lenet.LENET5_GAP, (size, size, 1), layout=tables.SHAPES
        )
        assert text.count("15,626") == 2
    for act, pool in VARIANTS:
        tables.summary(lenet.LeNet5(act, pool), layout=tables.SHAPES)


def test_summary_catches_a_wrong_model():
    model = lenet.LeNet5()
    model.conv1 = nn.Conv2d(1, 6, 5, bias=False)  # 150 parameters, not 156
    with pytest.raises(ValueError, match="conv1: the formulas give 156"):
        tables.summary(model, layout=tables.SHAPES)
    with pytest.raises(ValueError, match="cannot run a 40x40x1 input"):
        tables.summary(lenet.LeNet5(), input_shape=(40, 40, 1))
    with pytest.raises(ValueError, match=r"no layer \(submodule\) named 'gap'"):
        tables.summary(lenet.LeNet5(), lenet.LENET5_GAP)


def test_model_carries_its_spec():
    assert lenet.LeNet5().spec == lenet.LENET5 and lenet.LeNet5().input_shape == (32, 32, 1)
    assert lenet.LeNet5(global_pool=True).spec == lenet.LENET5_GAP
    model = lenet.LeNet5(pool="max", input_size=28, in_channels=3, n_classes=5)
    assert model.spec == lenet.lenet5("max", n_classes=5) and model.input_shape == (28, 28, 3)
    assert "PyTorch counts" in tables.summary(model, layout=tables.SHAPES)


def test_weights_round_trip():
    params = lenet.init_params(seed=6)
    model = lenet.params_to_torch(params, lenet.LeNet5())
    back = lenet.params_from_torch(model)
    assert all(np.array_equal(params[k], back[k]) for k in params)


def test_feature_maps_shapes():
    maps = lenet.feature_maps(lenet.LeNet5(), _batch(1)[0])
    assert {k: v.shape for k, v in maps.items()} == {
        "input": (1, 32, 32), "conv1": (6, 28, 28), "pool1": (6, 14, 14),
        "conv2": (16, 10, 10), "pool2": (16, 5, 5),
    }  # fmt: skip
    with pytest.raises(ValueError, match="one image"):
        lenet.feature_maps(lenet.LeNet5(), _batch(2))


def test_random_resize_draws_sizes_deterministically():
    xb = torch.zeros(2, 1, 32, 32)
    aug1, aug2 = lenet.random_resize((24, 40), seed=3), lenet.random_resize((24, 40), seed=3)
    s1 = [aug1(xb).shape[-1] for _ in range(20)]
    s2 = [aug2(xb).shape[-1] for _ in range(20)]
    assert s1 == s2 and set(s1) == {24, 40}
    with pytest.raises(ValueError):
        lenet.random_resize(())
