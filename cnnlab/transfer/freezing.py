"""Transfer learning: reuse a network trained on one task for another with few labels.
Used by lesson 09 (sections 1-3) and its exercises.

A small CNN (:class:`SmallCNN`) is pretrained on one task, its last layer (``head``) is
replaced by a fresh one for the new classes, and the first ``k`` conv blocks are frozen
(their weights get no gradient): :func:`transfer_model`. ``STRATEGIES`` names the choices
(from scratch, freeze all but the head, freeze fewer, fine-tune all) that
``experiment.transfer_experiment`` compares. The optional look-up of ImageNet weights
already on disk (:func:`imagenet_weights`) lives here too.
"""

from __future__ import annotations

import copy
import glob
import os

import torch
from torch import nn

from ..i18n import tr
from ..validate import check_int

BLOCKS = ("conv1", "conv2", "conv3")
#: strategy name -> number of conv blocks frozen (None: random initialisation, nothing reused)
STRATEGIES = {
    "scratch": None,
    "fine-tune all": 0,
    "freeze conv1": 1,
    "freeze conv1-2": 2,
    "freeze all but head": 3,
}


class SmallCNN(nn.Module):
    """Three 3x3 conv blocks and a linear head, for (N, C, H, W) images with H, W >= 8.

    For 8x8 digits: conv1: C->16, 8x8; conv2: 16->32 then 2x2 max pool, 4x4; conv3:
    32->32 then pool, 2x2; head: 128 -> n_classes (the softmax is inside the cross-entropy
    loss). Larger images end conv3 with a max over four regions of the map (its quarters
    when its side is even, e.g. 16x16 images), so the head always reads 2x2x32 = 128
    numbers.
    """

    def __init__(self, n_classes: int = 5, channels: int = 1):
        super().__init__()
        self.conv1 = nn.Sequential(nn.Conv2d(channels, 16, 3, padding=1), nn.ReLU())
        self.conv2 = nn.Sequential(nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.conv3 = nn.Sequential(
            nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.AdaptiveMaxPool2d(2)
        )
        self.head = nn.Linear(32 * 2 * 2, n_classes)

    def features(self, x):
        """The 128 numbers per image that the head reads: (N, C, H, W) -> (N, 128)."""
        return self.conv3(self.conv2(self.conv1(x))).flatten(1)

    def forward(self, x):
        """(N, C, H, W) images -> (N, n_classes) scores (before the softmax)."""
        return self.head(self.features(x))


def count_trainable(model: nn.Module) -> int:
    """Number of parameters of ``model`` that will be updated (``requires_grad`` True)."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def freeze(model: SmallCNN, n_frozen: int) -> SmallCNN:
    """Freeze the first ``n_frozen`` conv blocks of ``model`` (0..3), in place; returns it.

    Frozen weights keep ``requires_grad=False``, so backpropagation leaves them as they are;
    the head is always trainable.
    """
    n_frozen = check_int("n_frozen", n_frozen, 0)
    if n_frozen > len(BLOCKS):
        raise ValueError(
            tr("n_frozen must be 0..{n} (conv blocks), got {n_frozen}").format(
                n=len(BLOCKS), n_frozen=n_frozen
            )
        )
    for i, name in enumerate(BLOCKS):
        for p in getattr(model, name).parameters():
            p.requires_grad_(i >= n_frozen)
    for p in model.head.parameters():
        p.requires_grad_(True)
    return model


def transfer_model(pretrained: SmallCNN | None, n_classes: int, n_frozen: int | None, seed=0):
    """A model for the new task: a copy of ``pretrained`` with a fresh head of ``n_classes``
    outputs and its first ``n_frozen`` blocks frozen, or a random SmallCNN if ``n_frozen``
    is None (training from scratch)."""
    torch.manual_seed(seed)
    if n_frozen is None or pretrained is None:
        channels = pretrained.conv1[0].in_channels if pretrained is not None else 1
        return SmallCNN(n_classes, channels)
    model = copy.deepcopy(pretrained).cpu()
    model.head = nn.Linear(model.head.in_features, n_classes)  # drop the old softmax layer
    return freeze(model, n_frozen)


def imagenet_weights(arch: str = "resnet18", hub_dir: str | None = None):
    """Try to build a torchvision ImageNet-pretrained ``arch`` from weights already on disk.

    Never downloads: it imports torchvision (if installed) and looks for a checkpoint named
    ``arch-*.pth`` under ``torch.hub.get_dir()/checkpoints`` (or ``hub_dir``). Returns
    (model or None, message), the message saying what was found; the lesson goes on
    with its own pretrained network when the model is None.
    """
    try:
        import torchvision
    except ImportError:
        return None, tr("torchvision is not installed: ImageNet weights not available offline")
    folder = os.path.join(hub_dir or torch.hub.get_dir(), "checkpoints")
    files = sorted(glob.glob(os.path.join(folder, f"{arch}-*.pth")))
    if not files:
        return None, tr(
            "no {arch} checkpoint in {folder}: ImageNet weights not available offline"
        ).format(arch=arch, folder=folder)
    model = getattr(torchvision.models, arch)(weights=None)
    model.load_state_dict(torch.load(files[0], map_location="cpu", weights_only=True))
    return model, tr("loaded ImageNet weights for {arch} from {path}").format(
        arch=arch, path=files[0]
    )
