"""The degradation problem, measured: gradient norms per layer at initialisation (vanishing
gradients in a deep plain net, not in a ResNet of the same depth) and how hard it is for a
block to learn the identity. Used by lesson 08 (sections 2 and 3).
"""

from __future__ import annotations

import numbers

import numpy as np
import torch
from torch import nn

from ..validate import check_int
from .blocks import weight_layers


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
            f"need x (N, C, H, W) and y (N,), got {tuple(x.shape)} and {tuple(y.shape)}"
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
        raise ValueError(f"lr must be a number > 0, got {lr!r}")
    x = torch.as_tensor(np.asarray(x) if not torch.is_tensor(x) else x, dtype=torch.float32)
    if x.ndim != 4 or (x < 0).any():
        raise ValueError(f"x must be (N, C, H, W) and non-negative, got shape {tuple(x.shape)}")
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
