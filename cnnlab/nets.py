"""The PyTorch path: device choice, seeding and one training loop the lessons share.

Runs unchanged on a CUDA GPU, Apple's MPS or the CPU, on torch 2.11 and newer.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence

import numpy as np
import torch
from torch import nn
from tqdm.auto import tqdm

from .i18n import tr
from .validate import check_int, check_positive

_ANNOUNCED: set[str] = set()


def device(verbose: bool = True) -> torch.device:
    """Pick the fastest device present: CUDA, then MPS, then CPU, and say which once.

    >>> device(verbose=False).type in {"cuda", "mps", "cpu"}
    True
    """
    if torch.cuda.is_available():
        dev, why = (
            torch.device("cuda"),
            tr("CUDA GPU: {name}").format(name=torch.cuda.get_device_name(0)),
        )
    elif getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        dev, why = torch.device("mps"), tr("Apple GPU (MPS)")
    else:
        dev, why = (
            torch.device("cpu"),
            tr("CPU, {n} threads (no GPU found)").format(n=torch.get_num_threads()),
        )
    if verbose and why not in _ANNOUNCED:
        _ANNOUNCED.add(why)
        print(tr("cnnlab: using {device}").format(device=why))
    return dev


def seed_everything(seed: int = 0) -> None:
    """Seed Python, NumPy and PyTorch (CPU and GPU) so a lesson gives the same numbers."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def as_tensors(x, y, dtype=torch.float32):
    """NumPy arrays (or tensors) -> (float inputs, int64 labels) tensors on the CPU."""
    x = torch.as_tensor(np.asarray(x) if not torch.is_tensor(x) else x, dtype=dtype)
    y = torch.as_tensor(np.asarray(y) if not torch.is_tensor(y) else y).long()
    if len(x) != len(y):
        raise ValueError(
            tr("x and y must have the same length, got {n_x} and {n_y}").format(
                n_x=len(x), n_y=len(y)
            )
        )
    return x, y


def _batches(x, y, batch_size, shuffle, generator):
    n = len(x)
    order = torch.randperm(n, generator=generator) if shuffle else torch.arange(n)
    for i in range(0, n, batch_size):
        idx = order[i : i + batch_size]
        yield x[idx], y[idx]


@torch.no_grad()
def evaluate(model: nn.Module, x, y, batch_size: int = 512, dev=None) -> tuple[float, float]:
    """Mean cross-entropy loss and accuracy of ``model`` on (x, y), per label (per image, or
    per pixel when y is (N, H, W)). Returns (loss, accuracy)."""
    dev = dev or next(model.parameters()).device
    x, y = as_tensors(x, y)
    model.eval()
    loss_sum, correct = 0.0, 0
    for xb, yb in _batches(x, y, batch_size, False, None):
        xb, yb = xb.to(dev), yb.to(dev)
        logits = model(xb)
        loss_sum += nn.functional.cross_entropy(logits, yb, reduction="sum").item()
        correct += (logits.argmax(1) == yb).sum().item()
    # per label: one per image for a classifier, one per pixel for a segmentation net
    return loss_sum / y.numel(), correct / y.numel()


def fit(
    model: nn.Module,
    train,
    val=None,
    *,
    epochs: int = 10,
    lr: float = 1e-3,
    batch_size: int = 64,
    optimizer: str = "adam",
    weight_decay: float = 0.0,
    seed: int = 0,
    dev=None,
    progress: bool = True,
    augment=None,
) -> dict:
    """Train a classifier with cross-entropy; return its history.

    train, val: (x, y) pairs of arrays or tensors, x (N, C, H, W) float, y (N,) int labels,
    or y (N, H, W) for a segmentation network whose logits are (N, classes, H, W): then the
    loss and accuracy are per pixel.
    optimizer: "adam" or "sgd" (momentum 0.9). augment: optional function applied to each
    training batch tensor (on the device) before the forward pass.
    Returns {"train_loss", "train_acc", "val_loss", "val_acc"}: one value per epoch
    (val_* only when val is given), plus "seconds" and "device".
    """
    epochs = check_int("epochs", epochs, 1)
    batch_size = check_int("batch_size", batch_size, 1)
    _check_fit_data(train, val, lr)
    dev = dev or device(verbose=False)
    x, y = as_tensors(*train)
    model.to(dev)
    opt = _optimizer(model, optimizer, lr, weight_decay)
    gen = torch.Generator().manual_seed(seed)
    history: dict = {"train_loss": [], "train_acc": [], "val_loss": [], "val_acc": []}
    start = time.perf_counter()
    bar = tqdm(range(epochs), desc=tr("training"), disable=not progress, leave=True)
    for _ in bar:
        loss, acc = train_epoch(model, opt, x, y, batch_size, gen, dev, augment)
        history["train_loss"].append(loss)
        history["train_acc"].append(acc)
        shown = {"loss": f"{loss:.3f}"}
        if val is not None:
            vl, va = evaluate(model, *val, dev=dev)
            history["val_loss"].append(vl)
            history["val_acc"].append(va)
            shown["val_acc"] = f"{va:.3f}"
        bar.set_postfix(shown)
    history["seconds"] = time.perf_counter() - start
    history["device"] = str(dev)
    return history


def train_epoch(model, opt, x, y, batch_size, generator, dev, augment=None):
    """One pass over (x, y) in shuffled mini-batches; returns (mean loss, accuracy), per label
    (per image, or per pixel for (N, H, W) labels)."""
    model.train()
    loss_sum, correct = 0.0, 0
    for xb, yb in _batches(x, y, batch_size, True, generator):
        xb, yb = xb.to(dev), yb.to(dev)
        if augment is not None:
            xb = augment(xb)
        logits = model(xb)
        loss = nn.functional.cross_entropy(logits, yb)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        loss_sum += loss.item() * yb.numel()
        correct += (logits.argmax(1) == yb).sum().item()
    return loss_sum / y.numel(), correct / y.numel()


def _check_fit_data(train, val, lr):
    """train and val are (x, y) pairs of equal lengths (checked before training, not after
    the first epoch); lr is a positive number."""
    check_positive("lr", lr)
    for name, pair in (("train", train), ("val", val)):
        if name == "val" and pair is None:
            continue
        if not isinstance(pair, Sequence) or isinstance(pair, (str, bytes)) or len(pair) != 2:
            raise ValueError(
                tr("{name} must be an (x, y) pair of arrays, got {kind}").format(
                    name=name, kind=type(pair).__name__
                )
            )
        if len(pair[0]) != len(pair[1]):
            raise ValueError(
                tr("{name}: x and y must have the same length, got {n_x} and {n_y}").format(
                    name=name, n_x=len(pair[0]), n_y=len(pair[1])
                )
            )


def _optimizer(model, name, lr, weight_decay):
    """Adam, or SGD with momentum 0.9, over the model's parameters."""
    if name == "adam":
        return torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    if name == "sgd":
        return torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, weight_decay=weight_decay)
    raise ValueError(tr("optimizer must be 'adam' or 'sgd', got {name!r}").format(name=name))
