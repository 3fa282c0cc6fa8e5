"""The 1x1 bottleneck (cnnlab.classic.bottleneck): the notes' numbers, counted and timed."""

import pytest
import torch
from torch import nn

from cnnlab import classic, tables

from tests.classic.torch_counts import hook_macs


def test_bottleneck_costs_are_the_notes_numbers():
    costs = classic.bottleneck_costs()
    assert costs["plain"] == (120_422_400, 153_632)
    assert costs["reduce"][0] + costs["conv"][0] == 12_443_648
    with pytest.raises(ValueError, match="odd kernel"):
        classic.bottleneck_costs(f=4)
    rows = tables.inception_table(classic.INCEPTION_3A, (28, 28, 192))
    branch5 = [r.macs for r in rows if r.name.startswith("branch5")]
    assert sum(branch5) == 12_443_648


def test_plain_and_bottleneck_modules():
    x = torch.randn(1, 192, 28, 28)
    plain, bottle = classic.plain_conv(), classic.bottleneck_conv()
    assert plain(x).shape == bottle(x).shape == (1, 32, 28, 28)
    assert sum(p.numel() for p in plain.parameters()) == 153_632
    assert sum(p.numel() for p in bottle.parameters()) == 15_920
    assert hook_macs(plain, (28, 28, 192)) == 120_422_400
    assert hook_macs(bottle, (28, 28, 192)) == 12_443_648


def test_time_forward():
    module = nn.Conv2d(3, 4, 3)
    module.train()
    t = classic.time_forward(module, torch.randn(1, 3, 8, 8), repeats=3, warmup=1)
    assert isinstance(t, float) and t > 0
    assert not module.training  # timed in eval mode
    with pytest.raises(ValueError, match="repeats"):
        classic.time_forward(module, torch.randn(1, 3, 8, 8), repeats=0)
