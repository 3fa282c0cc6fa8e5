"""The classic networks in PyTorch (cnnlab.classic.models): every row of their tables agrees with
PyTorch's own parameter count, output shape and multiply-adds."""

import pytest
import torch
from torch import nn

from cnnlab import classic, lenet, tables

from tests.classic.torch_counts import SMALL, hook_macs, meta


@pytest.mark.parametrize("cls", [classic.AlexNet, classic.VGG16, classic.GoogLeNet])
def test_summary_on_meta(cls):
    model = meta(cls)
    text = tables.summary(model)
    total = sum(p.numel() for p in model.parameters())
    assert text.splitlines()[-1].startswith("PyTorch: sum(p.numel())")
    assert text.splitlines()[-1].endswith(f"{total:,}")
    rows = tables.layer_table(model.spec, model.input_shape)
    assert tables.totals(rows)["macs"] == hook_macs(model, model.input_shape)


def test_two_gpu_alexnet_uses_groups():
    model = meta(classic.AlexNet, two_gpus=True)
    assert model.conv2.groups == 2 and model.conv3.groups == 1
    tables.summary(model)
    rows = tables.layer_table(classic.ALEXNET_TWO_GPUS, classic.ALEXNET_INPUT)
    assert tables.totals(rows)["macs"] == hook_macs(model, classic.ALEXNET_INPUT)


def test_summary_of_lenet_from_lesson_06():
    text = tables.summary(lenet.LeNet5(), lenet.LENET5, (32, 32, 1))
    assert "61,706" in text
    rows = tables.layer_table(lenet.LENET5, (32, 32, 1))
    assert tables.totals(rows)["macs"] == hook_macs(lenet.LeNet5(), (32, 32, 1))


def test_real_forward_matches_the_table():
    torch.manual_seed(0)
    model = classic.Net(SMALL, (32, 32, 1))
    rows = tables.layer_table(SMALL, (32, 32, 1))
    out = model(torch.randn(2, 1, 32, 32))
    assert out.shape == (2, 10)
    assert tables.check_against_torch(rows, model) == tables.totals(rows)["params"] == 11_146
    assert tables.totals(rows)["macs"] == hook_macs(model, (32, 32, 1))


def test_net_helpers_are_named():
    model = meta(classic.VGG16)
    names = [n for n, _ in model.named_children()]
    assert names[:3] == ["conv1_1", "relu1_1", "conv1_2"]
    assert names[-6:] == ["relu6", "drop7", "fc7", "relu7", "drop8", "fc8"]
    assert "flatten" in names
    g = meta(classic.GoogLeNet)
    assert [n for n, _ in g.named_children()][-4:] == ["gap", "fc_drop", "flatten", "fc"]
    assert len(classic.Net(SMALL, (32, 32, 1), dropout=0.5).spec) == len(SMALL)


def test_check_names_the_layer_that_differs():
    model = classic.Net(SMALL, (32, 32, 1))
    other = list(SMALL)
    other[2] = tables.conv("conv2", 16, 5, p=2)  # same shape, more weights
    with pytest.raises(ValueError, match="conv2: the formulas give"):
        tables.check_against_torch(tables.layer_table(other, (32, 32, 1)), model)
    renamed = [tables.conv("first", 8, 5, p=2)] + list(SMALL[1:])
    with pytest.raises(ValueError, match=r"no layer \(submodule\) named 'first'"):
        tables.check_against_torch(tables.layer_table(renamed, (32, 32, 1)), model)
    with pytest.raises(ValueError, match="spec and input_shape"):
        tables.summary(nn.Linear(3, 2))


@pytest.mark.parametrize(
    "bottleneck, channels, macs", [(True, 256, 128_049_152), (False, 416, 303_464_448)]
)
def test_inception_module(bottleneck, channels, macs):
    torch.manual_seed(0)
    module = classic.InceptionModule(192, classic.INCEPTION_3A, bottleneck=bottleneck)
    rows = tables.inception_table(classic.INCEPTION_3A, (28, 28, 192), bottleneck)
    assert rows[-1].shape == (28, 28, channels)
    assert tables.totals(rows)["macs"] == macs == hook_macs(module, (28, 28, 192))
    out = module(torch.randn(1, 192, 28, 28))
    assert out.shape == (1, channels, 28, 28)
    assert "concat" in tables.summary(module, classic.INCEPTION_3A, (28, 28, 192))


def test_inception_branches_in_order():
    # the concatenation order: 1x1, 3x3, 5x5, pool branch
    torch.manual_seed(0)
    module = classic.InceptionModule(8, tables.Inception("m", 2, 3, 4, 2, 5, 6))
    x = torch.randn(1, 8, 6, 6)
    out = module(x)
    assert out.shape == (1, 2 + 4 + 5 + 6, 6, 6)
    torch.testing.assert_close(out[:, 2:6], module.branch3(x))
    torch.testing.assert_close(out[:, 11:], module.branch_pool(x))
