"""LeNet-5 in PyTorch: the same layers (and names) as ``LENET5`` and the NumPy reference.

Its ``state_dict`` uses the NumPy params' names and layouts ("conv1.weight", ...), so
:func:`params_from_torch` and :func:`params_to_torch` copy weights both ways, and the model
carries its spec (``model.spec``, ``model.input_shape``) for ``cnnlab.tables.summary``.
Used by lessons 06 and 07.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from ..arith import conv_output_size
from ..i18n import tr
from ..validate import check_int
from .architecture import lenet5
from .reference import check_choice


class LeNet5(nn.Module):
    """LeNet-5 in PyTorch: (N, in_channels, n, n) -> (N, n_classes) scores.

    input_size: side n of the square input (32 for LeNet); it fixes fc3's input count
    16 * m * m, where m is pool2's output side. global_pool=True replaces the flatten by a
    global average pool (16 numbers whatever the input size), so any input size >= 16 works.
    ``spec`` and ``input_shape`` are the rows (``lenet.lenet5(...)``) and the (n, n, C)
    input it was built for.
    """

    def __init__(
        self,
        activation: str = "tanh",
        pool: str = "avg",
        input_size: int = 32,
        in_channels: int = 1,
        n_classes: int = 10,
        global_pool: bool = False,
    ):
        super().__init__()
        check_choice(activation, pool)
        self.act = nn.Tanh() if activation == "tanh" else nn.ReLU()
        pool_cls = nn.AvgPool2d if pool == "avg" else nn.MaxPool2d
        self.conv1 = nn.Conv2d(in_channels, 6, kernel_size=5)
        self.pool1 = pool_cls(2, stride=2)
        self.conv2 = nn.Conv2d(6, 16, kernel_size=5)
        self.pool2 = pool_cls(2, stride=2)
        self.global_pool = global_pool
        if global_pool:
            self.gap = nn.AdaptiveAvgPool2d(1)
            flat = 16
        else:
            n = conv_output_size(input_size, 5)  # conv1
            n = conv_output_size(n, 2, s=2)  # pool1
            n = conv_output_size(n, 5)  # conv2
            n = conv_output_size(n, 2, s=2)  # pool2
            flat = 16 * n * n
        self.fc3 = nn.Linear(flat, 120)
        self.fc4 = nn.Linear(120, 84)
        self.fc5 = nn.Linear(84, n_classes)
        self.spec = lenet5(pool, global_pool, n_classes)
        self.input_shape = (input_size, input_size, in_channels)

    def forward(self, x):
        x = self.pool1(self.act(self.conv1(x)))
        x = self.pool2(self.act(self.conv2(x)))
        x = self.gap(x) if self.global_pool else x
        x = torch.flatten(x, 1)
        x = self.act(self.fc3(x))
        x = self.act(self.fc4(x))
        return self.fc5(x)  # scores; cross_entropy applies the softmax


def params_from_torch(model: nn.Module, dtype=np.float32) -> dict:
    """A PyTorch LeNet5's weights as a NumPy params dict (same names and layouts)."""
    return {k: v.detach().cpu().numpy().astype(dtype) for k, v in model.state_dict().items()}


def params_to_torch(params: dict, model: nn.Module) -> nn.Module:
    """Load a NumPy params dict into a PyTorch LeNet5 (in place); returns the model."""
    ref = next(model.parameters())
    state = {
        k: torch.as_tensor(np.asarray(v), dtype=ref.dtype, device=ref.device)
        for k, v in params.items()
    }
    model.load_state_dict(state)
    return model


@torch.no_grad()
def feature_maps(model: nn.Module, image) -> dict:
    """Activations of one image after every conv (+activation) and pool of a LeNet5.

    image: (C, H, W) or (1, C, H, W). Returns {"input": (C, H, W), "conv1": (6, 28, 28),
    "pool1": (6, 14, 14), "conv2": (16, 10, 10), "pool2": (16, 5, 5)} as NumPy arrays.
    """
    dev = next(model.parameters()).device
    x = torch.as_tensor(np.asarray(image, dtype=np.float32), device=dev)
    x = x[None] if x.ndim == 3 else x
    if x.ndim != 4 or len(x) != 1:
        raise ValueError(
            tr("feature_maps expects one image (C, H, W), got shape {shape}").format(
                shape=tuple(x.shape)
            )
        )
    model.eval()
    maps = {"input": x}
    maps["conv1"] = model.act(model.conv1(x))
    maps["pool1"] = model.pool1(maps["conv1"])
    maps["conv2"] = model.act(model.conv2(maps["pool1"]))
    maps["pool2"] = model.pool2(maps["conv2"])
    return {k: v[0].cpu().numpy() for k, v in maps.items()}


def random_resize(sizes=(24, 28, 32, 36, 40), seed: int = 0):
    """An ``augment`` function for ``cnnlab.nets.fit``: resizes each training batch
    (N, C, H, W) (bilinear) to (N, C, k, k), k drawn from ``sizes``, so a global-pooling net
    sees digits at several scales. Batches stay one size each: a batch is one tensor."""
    sizes = [check_int("size", s, 1) for s in sizes]
    if not sizes:
        raise ValueError(tr("random_resize needs at least one size"))
    gen = torch.Generator().manual_seed(seed)

    def augment(xb):
        k = sizes[int(torch.randint(len(sizes), (1,), generator=gen))]
        return nn.functional.interpolate(xb, size=(k, k), mode="bilinear")

    return augment
