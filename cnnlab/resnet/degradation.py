"""Vanishing gradients and the degradation problem, measured. Used by lesson 08.

* ``gradient_norms``: the gradient norm of each layer's weights (vanishing gradients in a
  deep plain net without normalisation; healthy ones with batch norm or shortcuts);
* ``fit_identity``: how hard it is for a block to learn the identity;
* ``degradation_data``, ``train_curves``, ``final_loss``, ``compare_depths``: He et al.'s (2015) degradation
  experiment on a small scale: plain nets with batch norm of two depths and a ResNet of the
  deeper depth, trained for the same number of steps, compared by their training loss.
"""

from __future__ import annotations

import numbers

import numpy as np
import torch
from torch import nn

from ..i18n import tr
from ..validate import check_int
from .blocks import Net, weight_layers


def gradient_norms(model: nn.Module, x, y) -> np.ndarray:
    """Norm of the loss gradient with respect to each main-path layer's weights.

    x (N, C, H, W), y (N,) labels; one forward and backward pass of the mean cross-entropy
    on this batch, as the model is now (call it right after building the model to see the
    gradients at initialisation). Returns (depth(model),) float64, input layer first.
    The model's .grad fields are left cleared.
    """
    x = torch.as_tensor(np.asarray(x) if not torch.is_tensor(x) else x, dtype=torch.float32)
    y = torch.as_tensor(np.asarray(y) if not torch.is_tensor(y) else y).long()
    if x.ndim != 4 or len(x) != len(y):
        raise ValueError(
            tr("need x (N, C, H, W) and y (N,), got {x} and {y}").format(
                x=tuple(x.shape), y=tuple(y.shape)
            )
        )
    dev = next(model.parameters()).device
    model.zero_grad(set_to_none=True)
    model.train()
    loss = nn.functional.cross_entropy(model(x.to(dev)), y.to(dev))
    loss.backward()
    norms = np.array([m.weight.grad.norm().item() for _, m in weight_layers(model)])
    model.zero_grad(set_to_none=True)
    return norms


def fit_identity(
    block: nn.Module, x, steps: int = 100, lr: float = 1e-3, seed: int = 0
) -> np.ndarray:
    """Train ``block`` with Adam to output its input: minimise mean((block(x) - x)^2).

    x (N, C, H, W) non-negative (as after a ReLU, so the identity is reachable by a block
    that ends in a ReLU). Returns (steps + 1,) the error before each step and after the last.
    """
    steps = check_int("steps", steps, 0)
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real) or not lr > 0:
        raise ValueError(tr("lr must be a number > 0, got {lr!r}").format(lr=lr))
    x = torch.as_tensor(np.asarray(x) if not torch.is_tensor(x) else x, dtype=torch.float32)
    if x.ndim != 4 or (x < 0).any():
        raise ValueError(
            tr("x must be (N, C, H, W) and non-negative, got shape {shape}").format(
                shape=tuple(x.shape)
            )
        )
    torch.manual_seed(seed)
    opt = torch.optim.Adam(block.parameters(), lr=lr)
    errors = []
    for i in range(steps + 1):
        loss = ((block(x) - x) ** 2).mean()
        errors.append(loss.item())
        if i < steps:
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
    return np.array(errors)


def degradation_data(canvas: int = 12, noise: float = 0.3, copies: int = 4, seed: int = 0):
    """The training set of the degradation experiment: scikit-learn's 1347 training digits,
    each pasted ``copies`` times at random places on a noisy ``canvas`` square
    (``cnnlab.data.scatter_digits``). A task the networks cannot learn by heart in a few
    hundred steps, so their training losses differ.

    Returns x (copies * 1347, 1, canvas, canvas) float32 and y (copies * 1347,) int64 tensors.
    """
    from ..data import digits, scatter_digits

    x, y, _, _ = digits()
    x = scatter_digits(x, canvas=canvas, noise=noise, copies=copies, seed=seed)
    return torch.from_numpy(x), torch.from_numpy(np.tile(y, copies))


def train_curves(
    model: nn.Module,
    x,
    y,
    steps: int = 300,
    lr: float = 0.05,
    batch_size: int = 64,
    seed: int = 0,
) -> np.ndarray:
    """Train ``model`` with SGD (momentum 0.9, fixed learning rate ``lr``) on minibatches of
    (x, y) for ``steps`` steps; return the training loss (mean cross-entropy of the
    minibatch, before its update) at every step.

    x (N, C, H, W), y (N,) labels, on the CPU. Minibatches are drawn without replacement,
    reshuffled each pass, in an order fixed by ``seed``. Returns (steps,) float64.
    """
    steps, batch_size = check_int("steps", steps, 1), check_int("batch_size", batch_size, 1)
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real) or not lr > 0:
        raise ValueError(tr("lr must be a number > 0, got {lr!r}").format(lr=lr))
    x = torch.as_tensor(x, dtype=torch.float32)
    y = torch.as_tensor(y).long()
    if x.ndim != 4 or len(x) != len(y) or len(x) < batch_size:
        raise ValueError(
            tr(
                "need x (N, C, H, W) and y (N,) with N >= batch_size={batch_size}, got {x} and {y}"
            ).format(batch_size=batch_size, x=tuple(x.shape), y=tuple(y.shape))
        )
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    model.train()
    losses, order, at = [], torch.randperm(len(x), generator=gen), 0
    for _ in range(steps):
        if at + batch_size > len(x):  # a new pass over the data
            order, at = torch.randperm(len(x), generator=gen), 0
        idx = order[at : at + batch_size]
        at += batch_size
        loss = nn.functional.cross_entropy(model(x[idx]), y[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return np.array(losses)


def final_loss(curve, last: int = 50) -> float:
    """The training loss a run ended at: the mean of the last ``last`` per-step losses of a
    ``train_curves`` curve (one minibatch's loss is noisy; their mean is not)."""
    curve = np.asarray(curve, dtype=float)
    last = check_int("last", last, 1)
    if curve.ndim != 1 or len(curve) < last:
        raise ValueError(
            tr("need a 1-D curve of at least {last} losses, got shape {shape}").format(
                last=last, shape=curve.shape
            )
        )
    return float(curve[-last:].mean())


def compare_depths(
    x,
    y,
    shallow: int = 3,
    deep: int = 15,
    seeds=(0, 1),
    steps: int = 300,
    width: int = 16,
    lr: float = 0.05,
    batch_size: int = 64,
    probe: int = 256,
) -> dict:
    """He et al.'s comparison on a small scale: for every seed, a plain net of ``shallow``
    blocks, a plain net of ``deep`` blocks and a ResNet of ``deep`` blocks (``Net`` with
    batch norm, same width, identity shortcuts), each built with ``torch.manual_seed(seed)``
    and trained by ``train_curves`` for ``steps`` steps with the same recipe.

    x (N, C, H, W), y (N,): the training set (``degradation_data``). The gradient norms
    per layer (``gradient_norms``) are measured on its first ``probe`` images before and
    after training. Returns {"curves", "grads_init", "grads_end"}, each
    {label: [one array per seed]}, the labels being "plain, L layers" and
    "ResNet, L layers" (L = 2 * blocks + 2).
    """
    shallow, deep = check_int("shallow", shallow, 2), check_int("deep", deep, 2)
    seeds = [check_int("seed", s, 0) for s in seeds]
    if not seeds:
        raise ValueError(tr("seeds must hold at least one seed"))
    nets = [(shallow, False), (deep, False), (deep, True)]
    out: dict = {"curves": {}, "grads_init": {}, "grads_end": {}}
    xp, yp = x[:probe], y[:probe]
    for seed in seeds:
        for blocks, residual in nets:
            label = f"{'ResNet' if residual else 'plain'}, {2 * blocks + 2} layers"
            torch.manual_seed(seed)
            model = Net(blocks, residual, width=width, norm=True, c_in=x.shape[1])
            out["grads_init"].setdefault(label, []).append(gradient_norms(model, xp, yp))
            curve = train_curves(model, x, y, steps, lr, batch_size, seed)
            out["curves"].setdefault(label, []).append(curve)
            out["grads_end"].setdefault(label, []).append(gradient_norms(model, xp, yp))
    return out
