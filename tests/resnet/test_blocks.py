"""cnnlab.resnet.blocks: plain and residual blocks and networks of equal depth, shortcuts."""

import pytest
import torch

from cnnlab import resnet


@pytest.fixture(autouse=True)
def _one_thread():
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


def count(m):
    return sum(p.numel() for p in m.parameters())


@pytest.mark.parametrize("blocks", [2, 3, 10])
def test_plain_and_residual_have_same_depth_and_weights(blocks):
    plain, res = resnet.Net(blocks, False), resnet.Net(blocks, True)
    assert resnet.depth(plain) == resnet.depth(res) == 2 * blocks + 2
    assert count(plain) == count(res)
    out = res(torch.rand(5, 1, 8, 8))
    assert out.shape == (5, 10)


def test_projection_adds_one_1x1_conv_per_shape_change():
    res, proj = resnet.Net(6, True), resnet.Net(6, True, shortcut="projection")
    assert resnet.depth(proj) == resnet.depth(res)  # projections are not main-path layers
    assert count(proj) - count(res) == 16 * 32


def test_identity_shortcut_subsamples_and_zero_pads():
    block = resnet.Block(2, 4, stride=2, shortcut="identity")
    x = torch.arange(2 * 4 * 4, dtype=torch.float32).reshape(1, 2, 4, 4)
    s = block.shortcut(x)
    assert s.shape == (1, 4, 2, 2)
    assert torch.equal(s[:, :2], x[:, :, ::2, ::2])
    assert torch.equal(s[:, 2:], torch.zeros(1, 2, 2, 2))


def test_zero_init_residual_block_is_the_identity_plain_is_not():
    torch.manual_seed(0)
    x = torch.rand(3, 8, 5, 5)
    with torch.no_grad():
        assert torch.equal(resnet.Block(8, 8, residual=True, zero_init=True)(x), x)
        assert torch.equal(
            resnet.Block(8, 8, residual=False, zero_init=True)(x), torch.zeros_like(x)
        )


def test_residual_block_matches_its_formula():
    torch.manual_seed(0)
    block = resnet.Block(3, 3)
    x = torch.randn(2, 3, 6, 6)
    with torch.no_grad():
        f = block.conv2(torch.relu(block.conv1(x)))
        assert torch.allclose(block(x), torch.relu(f + x))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(c_in=4, c_out=4, shortcut="skip"), "shortcut must be one of"),
        (dict(c_in=8, c_out=4), "can only add channels"),
        (dict(c_in=0, c_out=4), "c_in"),
        (dict(c_in=4, c_out=4, stride=0), "stride"),
    ],
)
def test_block_rejects_bad_settings(kwargs, match):
    with pytest.raises(ValueError, match=match):
        resnet.Block(**kwargs)


def test_net_needs_two_blocks():
    with pytest.raises(ValueError, match="blocks"):
        resnet.Net(1, True)
