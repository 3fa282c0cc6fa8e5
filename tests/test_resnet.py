"""cnnlab.resnet: plain and residual networks of equal depth, shortcuts, gradient norms."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from cnnlab import plot, resnet


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


def test_gradient_norms_vanish_in_the_deep_plain_net_not_in_the_resnet():
    torch.manual_seed(0)
    x, y = torch.rand(64, 1, 8, 8), torch.randint(0, 10, (64,))
    plain, res = resnet.Net(10, False), resnet.Net(10, True)
    g_plain, g_res = resnet.gradient_norms(plain, x, y), resnet.gradient_norms(res, x, y)
    assert g_plain.shape == g_res.shape == (22,)
    assert g_plain[0] / g_plain[-1] < 1e-6
    assert g_res[0] / g_res[-1] > 1e-2
    assert all(p.grad is None for p in res.parameters())


def test_gradient_norms_match_autograd_by_hand():
    torch.manual_seed(0)
    m = resnet.Net(2, True)
    x, y = torch.rand(4, 1, 8, 8), torch.tensor([0, 1, 2, 3])
    g = resnet.gradient_norms(m, x.numpy(), y.numpy())
    torch.nn.functional.cross_entropy(m(x), y).backward()
    assert np.isclose(g[0], m.stem.weight.grad.norm().item())
    assert np.isclose(g[-1], m.head.weight.grad.norm().item())


def test_fit_identity_reduces_the_plain_blocks_error_and_keeps_zero():
    torch.manual_seed(0)
    x = torch.rand(8, 4, 5, 5)
    e_plain = resnet.fit_identity(resnet.Block(4, 4, residual=False), x, steps=30)
    e_res = resnet.fit_identity(resnet.Block(4, 4, zero_init=True), x, steps=30)
    assert e_plain.shape == e_res.shape == (31,)
    assert e_plain[-1] < e_plain[0]
    assert (e_res == 0).all()


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


def test_bad_inputs_raise():
    with pytest.raises(ValueError, match="blocks"):
        resnet.Net(1, True)
    with pytest.raises(ValueError, match="non-negative"):
        resnet.fit_identity(resnet.Block(2, 2), -torch.ones(1, 2, 3, 3))
    with pytest.raises(ValueError, match="lr"):
        resnet.fit_identity(resnet.Block(2, 2), torch.ones(1, 2, 3, 3), lr=0)
    with pytest.raises(ValueError, match="need x"):
        resnet.gradient_norms(resnet.Net(2, True), torch.ones(3, 8, 8), torch.zeros(3))


def test_plots_draw_and_reject_empty_input():
    fig = plot.plot_gradient_norms({"a": np.array([1e-9, 1e-3, 1e-1])})
    assert fig.axes[0].get_yscale() == "log"
    h = {"train_loss": [2.3, 1.0], "train_acc": [0.1, 0.7]}
    fig2 = plot.plot_training_curves({"a": h, "b": h})
    assert len(fig2.axes) == 2 and len(fig2.axes[0].lines) == 2
    fig3 = plot.plot_identity_fit({"plain": np.array([0.3, 0.1]), "res": np.zeros(2)})
    assert len(fig3.axes[0].lines) == 2
    for f in (fig, fig2, fig3):
        plt.close(f)
    for fn in (plot.plot_gradient_norms, plot.plot_training_curves, plot.plot_identity_fit):
        with pytest.raises(ValueError):
            fn({})
    with pytest.raises(ValueError, match="positive"):
        plot.plot_gradient_norms({"a": np.array([0.0, 1.0])})
