"""cnnlab.resnet.costs: a block's parameters and multiplications, against PyTorch's own
count and against multiplications counted from the shapes PyTorch produces."""

import pytest
import torch
from torch import nn

from cnnlab import resnet


def macs_by_hooks(block, size):
    """Multiplications of every Conv2d, from the output shapes of a real forward pass."""
    total = []

    def hook(m, inp, out):
        kh, kw = m.kernel_size
        total.append(out.numel() * kh * kw * m.in_channels // m.groups)

    handles = [m.register_forward_hook(hook) for m in block.modules() if isinstance(m, nn.Conv2d)]
    with torch.no_grad():
        block.eval()(torch.zeros(1, block.c_in, size, size))
    for h in handles:
        h.remove()
    return sum(total)


@pytest.mark.parametrize(
    "block, size",
    [
        (resnet.Block(16, 16, norm=True), 8),
        (resnet.Block(16, 32, 2, shortcut="projection", norm=True), 9),
        (resnet.Block(8, 8), 5),
        (resnet.Bottleneck(256, 64, 256), 14),
        (resnet.Bottleneck(64, 32, 128, stride=2), 7),
    ],
)
def test_costs_match_pytorch(block, size):
    rows = resnet.block_costs(block, size)
    params, macs = resnet.totals(rows)
    assert params == sum(p.numel() for p in block.parameters())
    assert macs == macs_by_hooks(block, size)
    with torch.no_grad():
        out = block.eval()(torch.zeros(1, block.c_in, size, size))
    assert rows[[r.path for r in rows].index("main") + len(block.main) - 1].shape == out.shape[1:]


def test_bottleneck_is_cheaper_than_a_basic_block_of_the_same_input_and_output():
    basic = resnet.totals(resnet.block_costs(resnet.Block(256, 256, norm=True), 56))
    bottle = resnet.totals(resnet.block_costs(resnet.Bottleneck(256, 64, 256), 56))
    # the three convolutions: 256*64 + 9*64*64 + 64*256 weights against 2 * 9*256*256
    assert bottle[0] == 256 * 64 + 9 * 64 * 64 + 64 * 256 + 2 * (64 + 64 + 256)
    assert basic[0] == 2 * 9 * 256 * 256 + 2 * (256 + 256)
    assert basic[1] == 56 * 56 * 2 * 9 * 256 * 256
    assert basic[1] / bottle[1] > 16


def test_describe_layer_and_bad_input():
    assert resnet.describe_layer(nn.Conv2d(3, 8, 3, stride=2)) == (
        "conv",
        "3x3 conv, 3->8, stride 2",
    )
    assert resnet.describe_layer(nn.BatchNorm2d(4)) == ("bn", "batch norm, 4 channels")
    with pytest.raises(ValueError, match="no description"):
        resnet.describe_layer(nn.Linear(2, 2))
    with pytest.raises(ValueError, match="cnnlab.resnet block"):
        resnet.block_costs(nn.Conv2d(1, 1, 1), 4)
    with pytest.raises(ValueError, match="size"):
        resnet.block_costs(resnet.Block(2, 2), (4, 4, 4))
    with pytest.raises(ValueError, match="size"):
        resnet.block_costs(resnet.Block(2, 2), 0)
