"""Ensembling and multi-crop at test time: average the softmax outputs of several networks,
or of one network on several views of each image. Used by lesson 09 (section 5).
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from ..i18n import tr


@torch.no_grad()
def predict_proba(model: nn.Module, x, views=None) -> np.ndarray:
    """Softmax probabilities (N, classes) of ``model`` on x (N, C, H, W), averaged over
    ``views``: a function x -> list of transformed (N, C, H, W) batches (e.g.
    ``augmentation.crops``, multi-crop testing), or None for x alone.
    """
    model.eval()
    dev = next(model.parameters()).device
    x = torch.as_tensor(np.asarray(x) if not torch.is_tensor(x) else x, dtype=torch.float32)
    batches = [x] if views is None else views(x)
    probs = [torch.softmax(model(b.to(dev)), 1).cpu() for b in batches]
    return torch.stack(probs).mean(0).numpy()


def ensemble_proba(models, x, views=None) -> np.ndarray:
    """Average of the members' softmax outputs on x (N, C, H, W): the ensemble's
    prediction, (N, classes). views: as in :func:`predict_proba`."""
    models = list(models)
    if not models:
        raise ValueError(tr("ensemble_proba needs at least one model"))
    return np.mean([predict_proba(m, x, views) for m in models], axis=0)


def accuracy(proba, y) -> float:
    """Fraction of rows of ``proba`` (N, classes) whose argmax equals y (N,)."""
    return float(np.mean(np.asarray(proba).argmax(1) == np.asarray(y)))
