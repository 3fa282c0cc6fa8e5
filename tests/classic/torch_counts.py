"""What the lesson 07 tests share: the small digits network of the lesson and PyTorch's
own count of multiply-adds."""

import math

import torch
from torch import nn

from cnnlab import tables

SMALL = (
    tables.conv("conv1", 8, 5, p=2),
    tables.max_pool("pool1", 2),
    tables.conv("conv2", 16, 3, p=1),
    tables.max_pool("pool2", 2),
    tables.conv("conv3", 32, 3, p=1),
    tables.max_pool("pool3", 2),
    tables.fc("fc4", 10),
)


def meta(cls, *args, **kwargs):
    with torch.device("meta"):
        return cls(*args, **kwargs)


def hook_macs(model, input_shape):
    """Multiply-adds counted from PyTorch's own shapes: every Conv2d output number needs
    one multiplication per weight of its filter (C_in/groups x k x k); every Linear output
    one per input."""
    total = 0

    def count(mod, inp, out):
        nonlocal total
        if isinstance(mod, nn.Conv2d):
            total += out.numel() * math.prod(mod.weight.shape[1:])
        else:
            total += out.numel() * mod.in_features

    hooks = [
        m.register_forward_hook(count)
        for m in model.modules()
        if isinstance(m, (nn.Conv2d, nn.Linear))
    ]
    h, w, c = input_shape
    dev = next(model.parameters()).device
    with torch.no_grad():
        model(torch.zeros(1, c, h, w, device=dev))
    for hook in hooks:
        hook.remove()
    return total
