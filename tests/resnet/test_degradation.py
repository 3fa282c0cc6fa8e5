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


def test_degradation_data_shapes():
    x, y = resnet.degradation_data(canvas=10, copies=2)
    assert x.shape == (2 * 1347, 1, 10, 10) and x.dtype == torch.float32
    assert y.shape == (2 * 1347,) and y.dtype == torch.int64
    assert torch.equal(y[:1347], y[1347:])


def test_train_curves_are_reproducible_and_learn():
    x, y = torch.rand(64, 1, 6, 6), torch.randint(0, 3, (64,))
    curves = []
    for _ in range(2):
        torch.manual_seed(0)
        m = resnet.Net(2, True, width=4, norm=True, classes=3)
        curves.append(resnet.train_curves(m, x, y, steps=40, lr=0.05, batch_size=16, seed=1))
    assert curves[0].shape == (40,)
    assert np.array_equal(curves[0], curves[1])
    assert curves[0][-10:].mean() < curves[0][:10].mean()


def test_train_curves_takes_one_minibatch_per_step():
    seen = []

    class Probe(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = torch.nn.Linear(1, 2)

        def forward(self, x):
            seen.append(x[:, 0, 0, 0].clone())
            return self.lin(x[:, :, 0, 0])

    x = torch.arange(10, dtype=torch.float32).reshape(10, 1, 1, 1)
    resnet.train_curves(Probe(), x, torch.zeros(10, dtype=torch.long), steps=4, batch_size=4)
    assert [len(s) for s in seen] == [4, 4, 4, 4]
    first_pass = torch.cat(seen[:2])
    assert len(set(first_pass.tolist())) == 8  # without replacement within a pass


def test_final_loss_and_bad_inputs():
    assert resnet.final_loss(np.arange(10.0), last=4) == 7.5
    with pytest.raises(ValueError, match="at least 20"):
        resnet.final_loss(np.ones(5), last=20)
    with pytest.raises(ValueError, match="batch_size"):
        resnet.train_curves(resnet.Net(2, True), torch.ones(3, 1, 8, 8), torch.zeros(3), steps=1)
    with pytest.raises(ValueError, match="lr"):
        resnet.train_curves(resnet.Net(2, True), torch.ones(3, 1, 8, 8), torch.zeros(3), lr=-1)


def test_batch_norm_keeps_gradients_from_vanishing_in_a_deep_plain_net():
    torch.manual_seed(0)
    x, y = torch.rand(64, 1, 8, 8), torch.randint(0, 10, (64,))
    g = resnet.gradient_norms(resnet.Net(10, False, norm=True), x, y)
    assert g[0] / g[-1] > 1e-2


def test_compare_depths_trains_three_nets_per_seed():
    x, y = torch.rand(40, 1, 6, 6), torch.randint(0, 10, (40,))
    runs = resnet.compare_depths(
        x, y, shallow=2, deep=3, seeds=(0, 1), steps=3, width=2, batch_size=8, probe=16
    )
    labels = ["plain, 6 layers", "plain, 8 layers", "ResNet, 8 layers"]
    assert list(runs["curves"]) == labels
    assert all(len(v) == 2 and v[0].shape == (3,) for v in runs["curves"].values())
    assert runs["grads_init"]["plain, 8 layers"][0].shape == (8,)
    assert not np.array_equal(
        runs["curves"]["plain, 6 layers"][0], runs["curves"]["plain, 6 layers"][1]
    )
    with pytest.raises(ValueError, match="seeds"):
        resnet.compare_depths(x, y, seeds=())
