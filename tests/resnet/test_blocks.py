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


def test_norm_block_is_conv_bn_relu_conv_bn_and_its_formula():
    torch.manual_seed(0)
    block = resnet.Block(4, 8, stride=2, shortcut="projection", norm=True)
    assert list(block.main._modules) == ["conv1", "bn1", "relu1", "conv2", "bn2"]
    assert block.conv1.bias is None and block.conv2.bias is None  # bn's beta does that job
    x = torch.randn(3, 4, 6, 6)
    with torch.no_grad():
        f = block.bn2(block.conv2(torch.relu(block.bn1(block.conv1(x)))))
        assert torch.allclose(block(x), torch.relu(f + block.proj(x)))


def test_plain_block_without_norm_has_no_bn_layers():
    block = resnet.Block(4, 4, residual=False)
    assert getattr(block, "bn1", None) is None
    assert list(block.main._modules) == ["conv1", "relu1", "conv2"]
    with pytest.raises(AttributeError):
        block.conv3  # noqa: B018


def test_zero_init_with_norm_zeroes_the_last_batch_norm():
    torch.manual_seed(0)
    block = resnet.Block(8, 8, norm=True, zero_init=True).eval()
    x = torch.rand(2, 8, 5, 5)
    with torch.no_grad():
        assert torch.equal(block(x), x)


@pytest.mark.parametrize("blocks, stages", [(3, 2), (9, 3), (15, 2), (10, 2)])
def test_net_with_norm_and_stages(blocks, stages):
    net = resnet.Net(blocks, True, width=4, stages=stages, norm=True)
    assert resnet.depth(net) == 2 * blocks + 2
    sizes = resnet.stage_sizes(blocks, stages)
    assert sum(sizes) == blocks and max(sizes) - min(sizes) <= 1
    assert net.head.in_features == 4 * 2 ** (stages - 1)
    assert net(torch.rand(2, 1, 12, 12)).shape == (2, 10)
    assert sum(isinstance(m, torch.nn.BatchNorm2d) for m in net.modules()) == 2 * blocks + 1


def test_default_net_keeps_its_two_stage_layout():
    net = resnet.Net(3, False)
    assert [b.c_out for b in net.blocks] == [16, 32, 32]
    assert [b.stride for b in net.blocks] == [1, 2, 1]


def test_bottleneck_shapes_and_layers():
    torch.manual_seed(0)
    b = resnet.Bottleneck(64, 16, 64)
    assert list(b.main._modules) == [
        "conv1",
        "bn1",
        "relu1",
        "conv2",
        "bn2",
        "relu2",
        "conv3",
        "bn3",
    ]
    assert b.proj is None and b.conv1.kernel_size == (1, 1) and b.conv2.kernel_size == (3, 3)
    x = torch.randn(2, 64, 7, 7)
    assert b(x).shape == x.shape
    down = resnet.Bottleneck(64, 32, 128, stride=2)
    assert down.proj is not None and down(x).shape == (2, 128, 4, 4)
    with torch.no_grad():
        f = down.main(x)
        assert torch.allclose(down(x), torch.relu(f + down.proj(x)))


def test_block_layers_gives_the_layers_and_rejects_blocks_without_norm():
    block = resnet.Block(4, 4, norm=True)
    layers = resnet.block_layers(block)
    assert layers.conv1 is block.conv1 and layers.bn2 is block.bn2 and layers.proj is None
    assert not callable(layers)
    with pytest.raises(ValueError, match="norm=True"):
        resnet.block_layers(resnet.Block(4, 4))


def test_stage_sizes_and_bad_stages():
    assert resnet.stage_sizes(7, 3) == [2, 2, 3]
    with pytest.raises(ValueError, match="blocks"):
        resnet.Net(2, True, stages=3)
    with pytest.raises(ValueError, match="norm"):
        resnet.Block(2, 2, norm="yes")
