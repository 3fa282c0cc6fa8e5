"""A 1x1 convolution adds non-linearity: a per-pixel function no linear 1x1 map computes.

A 1x1 conv alone is a linear map of each pixel's channels (plus a bias), so stacking two of
them is still one linear map. With a ReLU between them, ``1x1 conv -> ReLU -> 1x1 conv`` is
a small fully connected network applied at every pixel, and can compute non-linear
functions of the channels, such as ``|c1 - c2|`` (which is ``relu(c1 - c2) + relu(c2 - c1)``:
two hidden units suffice). :func:`abs_difference_task` makes such a task, :func:`fit`
trains a model on it, :func:`best_linear_mse` gives the best any linear 1x1 conv can do
(least squares, no training involved), and :func:`channel_plane` turns the (c1, c2) plane
into a 2-channel image so a picture can show each model's per-pixel function. Used by
lesson 07.

>>> x, y = abs_difference_task(n=2, size=4, seed=0)
>>> x.shape, y.shape, bool((y == abs(x[:, :1] - x[:, 1:])).all())
((2, 2, 4, 4), (2, 1, 4, 4), True)
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from ..i18n import tr
from ..validate import check_int


def abs_difference_task(n: int = 16, size: int = 16, seed: int = 0):
    """Random 2-channel images and the per-pixel target ``|c1 - c2|``.

    Returns x (n, 2, size, size), channels uniform in [-1, 1], and y (n, 1, size, size) =
    |x[:, 0] - x[:, 1]|, as float32 NumPy arrays. Each pixel is one example: the target
    depends on that pixel's two channels only, which is what a 1x1 conv can see.
    """
    n, size = check_int("n", n, 1), check_int("size", size, 1)
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=(n, 2, size, size)).astype(np.float32)
    return x, np.abs(x[:, :1] - x[:, 1:])


def linear_1x1(c_in: int = 2, c_out: int = 1) -> nn.Module:
    """One 1x1 conv: a linear map (plus bias) of each pixel's channels."""
    return nn.Conv2d(c_in, c_out, 1)


def two_linear_1x1(c_in: int = 2, hidden: int = 8, c_out: int = 1) -> nn.Module:
    """Two 1x1 convs with nothing between them: still one linear map per pixel."""
    return nn.Sequential(nn.Conv2d(c_in, hidden, 1), nn.Conv2d(hidden, c_out, 1))


def relu_1x1(c_in: int = 2, hidden: int = 8, c_out: int = 1) -> nn.Module:
    """1x1 conv -> ReLU -> 1x1 conv: a fully connected network with one hidden layer of
    ``hidden`` units, applied at every pixel."""
    return nn.Sequential(nn.Conv2d(c_in, hidden, 1), nn.ReLU(), nn.Conv2d(hidden, c_out, 1))


def fit(model: nn.Module, x, y, steps: int = 600, lr: float = 0.02, seed: int = 0) -> list:
    """Train ``model`` on (x, y) by full-batch Adam on the mean squared error, from weights
    drawn with ``seed``. Returns the loss after every step (a list of floats); the model is
    left trained."""
    steps = check_int("steps", steps, 1)
    torch.manual_seed(seed)
    for p in model.parameters():  # same initial weights for a given seed, whatever ran before
        nn.init.uniform_(p, -0.5, 0.5)
    xt, yt = torch.as_tensor(x), torch.as_tensor(y)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = torch.mean((model(xt) - yt) ** 2)
        loss.backward()
        opt.step()
        losses.append(float(loss.detach()))
    return losses


def mse(model: nn.Module, x, y) -> float:
    """Mean squared error of ``model`` on (x, y), without gradients."""
    with torch.no_grad():
        return float(torch.mean((model(torch.as_tensor(x)) - torch.as_tensor(y)) ** 2))


def best_linear_mse(x, y) -> tuple[np.ndarray, float]:
    """The best any linear 1x1 conv can do: least squares of y on the channels and a 1.

    x: (N, C, H, W), y: (N, 1, H, W). Returns (coefficients (C + 1,): the C weights then
    the bias, mean squared error). Every pixel is one equation; no training is involved, so
    a trained linear 1x1 conv can only come close to this error, never beat it.
    """
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if x.ndim != 4 or y.shape != (x.shape[0], 1, *x.shape[2:]):
        raise ValueError(
            tr("x must be (N, C, H, W) and y (N, 1, H, W), got {x}, {y}").format(
                x=x.shape, y=y.shape
            )
        )
    a = np.moveaxis(x, 1, -1).reshape(-1, x.shape[1])
    a = np.hstack([a, np.ones((len(a), 1))])
    coef, *_ = np.linalg.lstsq(a, y.reshape(-1), rcond=None)
    return coef, float(np.mean((a @ coef - y.reshape(-1)) ** 2))


def channel_plane(steps: int = 101, lo: float = -1.0, hi: float = 1.0) -> np.ndarray:
    """The (c1, c2) plane as one 2-channel image: (1, 2, steps, steps) float32 with pixel
    (i, j) holding c1 = the j-th value and c2 = the i-th value from ``lo`` to ``hi``, so a
    1x1 model applied to it draws its per-pixel function as an image."""
    steps = check_int("steps", steps, 2)
    v = np.linspace(lo, hi, steps, dtype=np.float32)
    c1, c2 = np.meshgrid(v, v)
    return np.stack([c1, c2])[None]
