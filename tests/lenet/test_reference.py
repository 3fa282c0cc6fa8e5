"""The NumPy LeNet-5 (cnnlab.lenet.reference) against the PyTorch one: same scores, same
gradients; and plain SGD training."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnlab import layers, lenet
from cnnlab.data import digits

VARIANTS = [("tanh", "avg"), ("relu", "max")]


def _batch(n=4, size=32, seed=0):
    return np.random.default_rng(seed).normal(size=(n, 1, size, size))


def test_init_params_match_torch_layout():
    params = lenet.init_params(seed=0)
    state = lenet.LeNet5().state_dict()
    assert list(params) == list(state)
    for k, v in params.items():
        assert v.shape == tuple(state[k].shape) and v.dtype == np.float32
    again = lenet.init_params(seed=0)
    assert all(np.array_equal(params[k], again[k]) for k in params)
    assert not np.array_equal(params["fc3.weight"], lenet.init_params(seed=1)["fc3.weight"])
    # LeCun init: std 1/sqrt(fan_in)
    assert params["fc3.weight"].std() == pytest.approx(1 / np.sqrt(400), rel=0.05)


@pytest.mark.parametrize("act,pool", VARIANTS)
def test_numpy_forward_equals_pytorch(act, pool):
    torch.manual_seed(0)
    model = lenet.LeNet5(act, pool).eval()
    params = lenet.params_from_torch(model)
    x = _batch(8).astype(np.float32)
    scores, _ = lenet.forward(params, x, activation=act, pool=pool)
    with torch.no_grad():
        ref = model(torch.tensor(x)).numpy()
    assert scores.shape == (8, 10) and scores.dtype == np.float32
    np.testing.assert_allclose(scores, ref, atol=1e-5)


@pytest.mark.parametrize("size", [32, 40, 24])
def test_gap_forward_equals_pytorch_at_any_size(size):
    torch.manual_seed(1)
    model = lenet.LeNet5(global_pool=True).eval()
    params = lenet.params_from_torch(model)
    x = _batch(3, size).astype(np.float32)
    scores, _ = lenet.forward(params, x, spec=lenet.LENET5_GAP)
    with torch.no_grad():
        np.testing.assert_allclose(scores, model(torch.tensor(x)).numpy(), atol=1e-5)


@pytest.mark.parametrize(
    "act,pool,spec,size",
    [("tanh", "avg", lenet.LENET5, 32), ("relu", "max", lenet.LENET5, 32)]
    + [("tanh", "avg", lenet.LENET5_GAP, 36)],
)
def test_backward_equals_torch_autograd(act, pool, spec, size):
    torch.manual_seed(2)
    model = lenet.LeNet5(act, pool, input_size=32, global_pool=spec is lenet.LENET5_GAP).double()
    params = lenet.params_from_torch(model, dtype=np.float64)
    x, y = _batch(5, size, seed=3), np.array([0, 3, 9, 3, 1])
    loss, grads = lenet.loss_and_grads(params, x, y, spec, act, pool)
    ref = F.cross_entropy(model(torch.tensor(x)), torch.tensor(y))
    ref.backward()
    assert loss == pytest.approx(ref.item(), abs=1e-12)
    assert set(grads) == set(params)
    for name, p in model.named_parameters():
        np.testing.assert_allclose(grads[name], p.grad.numpy(), atol=1e-10, err_msg=name)


def test_backward_against_numerical_gradient():
    params = {k: v.astype(np.float64) for k, v in lenet.init_params(seed=4).items()}
    x, y = _batch(2, seed=5), np.array([2, 7])
    _, grads = lenet.loss_and_grads(params, x, y)

    def loss(p):
        return layers.softmax_cross_entropy(lenet.forward(p, x)[0], y)[0]

    for name in ("conv1.weight", "conv2.bias", "fc4.bias"):
        num = layers.numerical_gradient(
            lambda w, name=name: loss({**params, name: w}), params[name]
        )
        assert layers.rel_error(num, grads[name]) < 1e-6, name


def test_forward_refuses_other_sizes_and_bad_names():
    params = lenet.init_params()
    with pytest.raises(ValueError, match="fc3 expects 400 inputs but gets 784"):
        lenet.forward(params, _batch(1, 40))
    with pytest.raises(ValueError, match="activation must be one of"):
        lenet.forward(params, _batch(1), activation="sigmoid")
    with pytest.raises(ValueError, match="pool must be one of"):
        lenet.LeNet5(pool="min")


# ------------------------------------------------------------------ training


@pytest.fixture(scope="module")
def small_digits():
    xtr, ytr, xte, yte = digits()
    up = lenet.upsample(xtr[:400])
    mean, std = up.mean(), up.std()
    return (up - mean) / std, ytr[:400], (lenet.upsample(xte[:200]) - mean) / std, yte[:200]


def test_numpy_training_learns(small_digits):
    xtr, ytr, xte, yte = small_digits
    params = lenet.init_params(seed=0)
    before = {k: v.copy() for k, v in params.items()}
    trained, hist = lenet.train(
        params, (xtr, ytr), (xte, yte), epochs=3, lr=0.08, lr_decay=0.8, progress=False
    )
    assert all(np.array_equal(params[k], before[k]) for k in params)  # input untouched
    assert set(hist) == {"train_loss", "train_acc", "val_acc", "seconds"}
    assert len(hist["val_acc"]) == 3 and hist["train_loss"][-1] < hist["train_loss"][0]
    acc = np.mean(lenet.predict(trained, xte) == yte)
    assert acc == hist["val_acc"][-1] and acc > 0.7  # chance is 0.1
    assert all(v.dtype == np.float32 for v in trained.values())
    again, _ = lenet.train(params, (xtr, ytr), epochs=3, lr=0.08, lr_decay=0.8, progress=False)
    assert all(np.array_equal(again[k], trained[k]) for k in params)  # deterministic


def test_train_rejects_bad_arguments(small_digits):
    xtr, ytr, _, _ = small_digits
    params = lenet.init_params()
    for kwargs in ({"epochs": 0}, {"lr": 0}, {"batch_size": 0}, {"lr_decay": 1.5}):
        with pytest.raises(ValueError):
            lenet.train(params, (xtr, ytr), progress=False, **kwargs)
    with pytest.raises(ValueError, match="same length"):
        lenet.train(params, (xtr, ytr[:-1]), progress=False)


def test_predict_batches(small_digits):
    xtr, _, _, _ = small_digits
    params = lenet.init_params()
    p = lenet.predict(params, xtr[:70], batch_size=32)
    assert p.shape == (70,) and np.array_equal(p, lenet.forward(params, xtr[:70])[0].argmax(1))
