"""cnnlab.nets: device choice, seeding, the shared training loop and evaluation (CPU here)."""

from __future__ import annotations

import random
import time

import numpy as np
import pytest
import torch
from torch import nn

import cnnlab
from cnnlab import data, nets

ON_GPU = torch.cuda.is_available()
ON_MPS = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()


@pytest.fixture(autouse=True, scope="module")
def one_torch_thread():
    """Train with one thread: on a busy 2-core machine (CI runs two test workers) PyTorch's
    threads wait on each other and a tiny CNN trains 10-20 times slower than with one."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def digits_slice():
    """A small, fixed slice of the 8x8 digits: 600 to train on, 300 to validate."""
    xtr, ytr, xte, yte = data.digits(seed=0)
    return (xtr[:600], ytr[:600]), (xte[:300], yte[:300])


def tiny_cnn():
    return nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(8 * 4 * 4, 10),
    )


# ---------------------------------------------------------------------------------------
# device


def test_device_is_cpu_here_and_says_so_once(monkeypatch, capsys):
    monkeypatch.setattr(nets, "_ANNOUNCED", set())  # as in a fresh kernel
    first = cnnlab.device()
    second = cnnlab.device()
    printed = capsys.readouterr().out
    assert first == second
    assert printed.count("cnnlab: using") == 1, printed
    if ON_GPU:
        assert first.type == "cuda" and "CUDA GPU" in printed
    elif ON_MPS:
        assert first.type == "mps"
    else:
        assert first == torch.device("cpu")
        assert "cnnlab: using CPU" in printed and "no GPU found" in printed


def test_device_verbose_false_prints_nothing(monkeypatch, capsys):
    monkeypatch.setattr(nets, "_ANNOUNCED", set())
    dev = nets.device(verbose=False)
    assert capsys.readouterr().out == ""
    assert dev.type in {"cuda", "mps", "cpu"}
    # saying nothing does not use up the one announcement
    cnnlab.device()
    assert capsys.readouterr().out.startswith("cnnlab: using")


# ---------------------------------------------------------------------------------------
# seeding


def _draws():
    return random.random(), float(np.random.rand()), torch.rand(3).tolist()


def test_seed_everything_repeats_python_numpy_and_torch():
    nets.seed_everything(123)
    a = _draws()
    nets.seed_everything(123)
    b = _draws()
    nets.seed_everything(124)
    c = _draws()
    assert a == b
    assert a[0] != c[0] and a[1] != c[1] and a[2] != c[2]


def test_seed_everything_makes_model_initialisation_repeat():
    nets.seed_everything(0)
    w1 = tiny_cnn()[0].weight.detach().clone()
    nets.seed_everything(0)
    w2 = tiny_cnn()[0].weight.detach().clone()
    assert torch.equal(w1, w2)


# ---------------------------------------------------------------------------------------
# fit and evaluate


def test_fit_learns_digits_above_chance_quickly(digits_slice):
    train, val = digits_slice
    nets.seed_everything(0)
    model = tiny_cnn()
    start, cpu_start = time.perf_counter(), time.process_time()
    history = nets.fit(model, train, val=val, epochs=3, lr=1e-2, batch_size=32, progress=False)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    assert set(history) == {"train_loss", "train_acc", "val_loss", "val_acc", "seconds", "device"}
    for key in ("train_loss", "train_acc", "val_loss", "val_acc"):
        assert len(history[key]) == 3, key
    assert history["device"] == str(nets.device(verbose=False))
    assert 0 < history["seconds"] <= elapsed
    assert history["train_loss"][-1] < history["train_loss"][0]
    # chance is 10%: a tiny CNN gets far above it in three short epochs
    assert history["val_acc"][-1] > 0.6, history
    assert history["train_acc"][-1] > 0.6, history
    assert cpu < 10  # CPU seconds (about 0.5 here), which other processes' load cannot inflate
    # evaluate on the same data gives the last epoch's validation numbers
    loss, acc = nets.evaluate(model, *val)
    assert acc == pytest.approx(history["val_acc"][-1])
    assert loss == pytest.approx(history["val_loss"][-1], rel=1e-5)


def test_fit_is_deterministic_with_a_seed(digits_slice):
    train, val = digits_slice
    runs = []
    for _ in range(2):
        nets.seed_everything(1)
        h = nets.fit(tiny_cnn(), train, val=val, epochs=2, batch_size=64, seed=3, progress=False)
        runs.append({k: v for k, v in h.items() if k != "seconds"})
    assert runs[0] == runs[1]


def test_fit_without_val_sgd_and_augment(digits_slice):
    train, _ = digits_slice
    calls = []

    def flip(xb):  # augment gets each training batch, on the device
        calls.append(xb.shape)
        return torch.flip(xb, dims=[3])

    nets.seed_everything(0)
    h = nets.fit(tiny_cnn(), train, epochs=2, lr=0.05, batch_size=100, optimizer="sgd", augment=flip, progress=False)  # fmt: skip
    assert h["val_loss"] == [] and h["val_acc"] == []
    assert len(h["train_loss"]) == 2
    assert len(calls) == 2 * 6 and calls[0] == (100, 1, 8, 8)
    assert all(np.isfinite(h["train_loss"]))


def test_fit_accepts_tensors_and_last_partial_batch():
    nets.seed_everything(0)
    x = torch.randn(10, 1, 8, 8)
    y = torch.arange(10) % 10
    h = nets.fit(tiny_cnn(), (x, y), val=(x, y), epochs=1, batch_size=4, progress=False)
    assert 0.0 <= h["train_acc"][0] <= 1.0 and 0.0 <= h["val_acc"][0] <= 1.0


def test_progress_bar_only_when_asked(digits_slice, capsys):
    train, _ = digits_slice
    nets.fit(tiny_cnn(), train, epochs=1, progress=False)
    assert "training" not in capsys.readouterr().err
    nets.fit(tiny_cnn(), train, epochs=1, progress=True)
    assert "training" in capsys.readouterr().err


def test_evaluate_counts_correct_predictions():
    class Constant(nn.Module):
        """Always predicts class 3."""

        def __init__(self):
            super().__init__()
            self.bias = nn.Parameter(torch.zeros(10))

        def forward(self, x):
            return self.bias.expand(len(x), 10) + 5.0 * (torch.arange(10) == 3)

    y = np.array([3, 3, 1, 3, 0, 3, 3, 2])
    x = np.zeros((8, 1, 8, 8), dtype=np.float32)
    loss, acc = nets.evaluate(Constant(), x, y, batch_size=3)  # several batches, last partial
    assert acc == pytest.approx(5 / 8)
    logits = torch.zeros(10) + 5.0 * (torch.arange(10) == 3)
    expected = nn.functional.cross_entropy(logits.expand(8, 10), torch.tensor(y)).item()
    assert loss == pytest.approx(expected)


# ---------------------------------------------------------------------------------------
# error messages


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(epochs=0), r"epochs must be an integer >= 1, got 0"),
        (dict(epochs=2.5), r"epochs must be an integer >= 1, got 2.5"),
        (dict(epochs="3"), r"epochs must be an integer >= 1, got '3'"),
        (dict(batch_size=0), r"batch_size must be an integer >= 1, got 0"),
        (dict(batch_size=1.5), r"batch_size must be an integer >= 1, got 1.5"),
        (dict(lr=0), r"lr must be a number > 0, got 0"),
        (dict(lr=-0.1), r"lr must be a number > 0, got -0.1"),
        (dict(lr="fast"), r"lr must be a number > 0, got 'fast'"),
        (dict(lr=float("nan")), r"lr must be a number > 0, got nan"),
        (dict(optimizer="rmsprop"), r"optimizer must be 'adam' or 'sgd', got 'rmsprop'"),
        (dict(val=(np.zeros((4, 1, 8, 8)), np.zeros(3))), r"val: x and y must have the same length, got 4 and 3"),
        (dict(val=np.zeros((4, 1, 8, 8))), r"val must be an \(x, y\) pair of arrays, got ndarray"),
    ],
)  # fmt: skip
def test_fit_rejects_bad_arguments(kwargs, match):
    x, y = np.zeros((6, 1, 8, 8), np.float32), np.zeros(6, np.int64)
    with pytest.raises(ValueError, match=match):
        nets.fit(tiny_cnn(), (x, y), progress=False, **kwargs)


@pytest.mark.parametrize(
    "train, match",
    [
        ((np.zeros((6, 1, 8, 8)), np.zeros(5)), r"train: x and y must have the same length, got 6 and 5"),
        ((np.zeros((6, 1, 8, 8)),), r"train must be an \(x, y\) pair of arrays, got tuple"),
        (None, r"train must be an \(x, y\) pair of arrays, got NoneType"),
    ],
)  # fmt: skip
def test_fit_rejects_bad_training_data(train, match):
    with pytest.raises(ValueError, match=match):
        nets.fit(tiny_cnn(), train, progress=False)


def test_evaluate_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match=r"x and y must have the same length, got 4 and 2"):
        nets.evaluate(tiny_cnn(), np.zeros((4, 1, 8, 8)), np.zeros(2))


# Runs only on the GPU machine: the whole loop on CUDA.
@pytest.mark.skipif(not ON_GPU, reason="needs a CUDA GPU")
def test_fit_runs_on_cuda(digits_slice):
    train, val = digits_slice
    nets.seed_everything(0)
    model = tiny_cnn()
    h = nets.fit(model, train, val=val, epochs=3, lr=1e-2, batch_size=32, progress=False)
    assert h["device"].startswith("cuda")
    assert next(model.parameters()).is_cuda
    assert h["val_acc"][-1] > 0.6
