"""Depthwise-separable convolutions and MobileNet's blocks (cnnlab.classic.mobilenet): the
counts are the formulas', PyTorch's and cnnlab.conv2d's."""

import numpy as np
import pytest
import torch
from torch import nn

from cnnlab import conv, tables
from cnnlab.classic import mobilenet

from tests.classic.torch_counts import hook_macs


@pytest.mark.parametrize("n, c_in, c_out, f", [(28, 256, 256, 3), (56, 32, 64, 3), (7, 5, 9, 5)])
def test_costs_give_the_ratio_and_match_pytorch(n, c_in, c_out, f):
    costs = mobilenet.separable_costs(n, c_in, c_out, f)
    normal, dw, pw = costs["normal"], costs["depthwise"], costs["pointwise"]
    assert (dw[0] + pw[0]) / normal[0] == pytest.approx(mobilenet.separable_ratio(c_out, f))
    assert mobilenet.separable_ratio(c_out, f) == pytest.approx(1 / c_out + 1 / f**2)
    plain, separable = (
        mobilenet.normal_conv(c_in, c_out, f),
        mobilenet.separable_conv(c_in, c_out, f),
    )
    assert sum(p.numel() for p in plain.parameters()) == normal[1]
    assert sum(p.numel() for p in separable.depthwise.parameters()) == dw[1]
    assert sum(p.numel() for p in separable.pointwise.parameters()) == pw[1]
    assert hook_macs(plain, (n, n, c_in)) == normal[0]
    assert hook_macs(separable, (n, n, c_in)) == dw[0] + pw[0]


def test_the_separable_conv_is_cnnlab_conv2d_with_groups():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 4, 6, 6)).astype(np.float32)
    module = mobilenet.separable_conv(4, 3)
    wd = module.depthwise.weight.detach().numpy()
    wp = module.pointwise.weight.detach().numpy()
    depthwise = conv.conv2d(x, wd, padding=1, groups=4)
    # a depthwise conv is one small conv per channel
    per_channel = np.concatenate(
        [conv.conv2d(x[:, c : c + 1], wd[c : c + 1], padding=1) for c in range(4)], axis=1
    )
    np.testing.assert_allclose(depthwise, per_channel, rtol=1e-5, atol=1e-6)
    with torch.no_grad():
        ours = module(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(ours, conv.conv2d(depthwise, wp), rtol=1e-4, atol=1e-5)


def test_bad_sizes_are_refused():
    with pytest.raises(ValueError, match="odd kernel"):
        mobilenet.separable_costs(28, 8, 8, 4)
    with pytest.raises(ValueError, match="c_out"):
        mobilenet.separable_ratio(0)


def pytorch_v2_block(c_in, c_out, stride, t):
    """MobileNet v2's block written out with plain PyTorch layers, as torchvision does."""
    wide = c_in * t
    return nn.Sequential(
        nn.Conv2d(c_in, wide, 1, bias=False),
        nn.BatchNorm2d(wide),
        nn.ReLU6(),
        nn.Conv2d(wide, wide, 3, stride, 1, groups=wide, bias=False),
        nn.BatchNorm2d(wide),
        nn.ReLU6(),
        nn.Conv2d(wide, c_out, 1, bias=False),
        nn.BatchNorm2d(c_out),
    )


@pytest.mark.parametrize(
    "c_in, c_out, stride, t, shape",
    [
        (24, 24, 1, 6, (56, 56, 24)),
        (24, 32, 2, 6, (56, 56, 24)),
        (16, 16, 1, 3, (9, 11, 16)),
    ],
)
def test_v2_block_table_is_pytorchs(c_in, c_out, stride, t, shape):
    block = mobilenet.mobilenet_v2_block(c_in, c_out, stride, t)
    rows = mobilenet.block_table(block, shape)
    assert tables.check_against_torch(rows, block) == sum(p.numel() for p in block.parameters())
    reference = pytorch_v2_block(c_in, c_out, stride, t)
    assert sum(r.params for r in rows) == sum(p.numel() for p in reference.parameters())
    assert sum(r.macs for r in rows) == hook_macs(reference, shape) == hook_macs(block, shape)
    assert block.residual == (stride == 1 and c_in == c_out)
    x = torch.randn(2, c_in, shape[0], shape[1])
    block.eval()
    reference.eval()
    reference.load_state_dict(
        {k2: v for (k2, _), v in zip(reference.state_dict().items(), block.state_dict().values())}
    )
    with torch.no_grad():
        expected = reference(x) + (x if block.residual else 0)
        np.testing.assert_allclose(block(x).numpy(), expected.numpy(), rtol=1e-5, atol=1e-5)
    text = mobilenet.summary(block, shape)
    assert f"{sum(r.params for r in rows):,}" in text and "residual connection" in text


def test_v1_block_counts_and_the_paper():
    block = mobilenet.mobilenet_v1_block(32, 64)
    rows = {r.name: r for r in mobilenet.block_table(block, (112, 112, 32))}
    # MobileNet v1 (Howard et al. 2017), table 1-2: 3x3x32 depthwise, 1x1x32x64 pointwise
    assert rows["depthwise"].params == 3 * 3 * 32 and rows["pointwise"].params == 32 * 64
    assert rows["depthwise_bn"].params == 64 and rows["pointwise"].shape == (112, 112, 64)
    assert tables.check_against_torch(list(rows.values()), block) == 288 + 64 + 2048 + 128
    assert not block.residual
    assert "residual connection: no" in mobilenet.summary(block, (112, 112, 32))


def test_block_table_refuses_what_does_not_fit():
    block = mobilenet.mobilenet_v2_block(8, 8, 1, 2)
    with pytest.raises(ValueError, match="reads 8 channels"):
        mobilenet.block_table(block, (8, 8, 5))
    with pytest.raises(ValueError, match="input size"):
        mobilenet.block_table(block, (2, 0, 8))
    with pytest.raises(ValueError, match="stride"):
        mobilenet.mobilenet_v2_block(8, 8, 0)
