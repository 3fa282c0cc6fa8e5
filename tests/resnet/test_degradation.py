"""cnnlab.resnet.degradation: gradient norms per layer, learning the identity."""

import numpy as np
import pytest
import torch

from cnnlab import resnet


@pytest.fixture(autouse=True)
def _one_thread():
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


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


def test_bad_inputs_raise():
    with pytest.raises(ValueError, match="non-negative"):
        resnet.fit_identity(resnet.Block(2, 2), -torch.ones(1, 2, 3, 3))
    with pytest.raises(ValueError, match="lr"):
        resnet.fit_identity(resnet.Block(2, 2), torch.ones(1, 2, 3, 3), lr=0)
    with pytest.raises(ValueError, match="need x"):
        resnet.gradient_norms(resnet.Net(2, True), torch.ones(3, 8, 8), torch.zeros(3))
