"""Transfer learning: reuse a network trained on one task for another with few labels.

A small CNN (:class:`SmallCNN`) is pretrained on one task, its last layer (``head``) is
replaced by a fresh one for the new classes, and the first ``k`` conv blocks are frozen
(their weights get no gradient). :func:`transfer_experiment` trains every strategy (from
scratch, freeze all but the head, freeze fewer, fine-tune all) on training sets of several
sizes, so the rule "little data -> freeze more" is measured. Ensembles and multi-crop
prediction at test time live here too, as does the optional look-up of ImageNet weights.
"""

from __future__ import annotations

import copy
import glob
import os

import numpy as np
import torch
from torch import nn
from tqdm.auto import tqdm

from . import nets
from .arith import check_int

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
        return self.head(self.features(x))


def count_trainable(model: nn.Module) -> int:
    """Number of parameters that will be updated (``requires_grad`` True)."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def freeze(model: SmallCNN, n_frozen: int) -> SmallCNN:
    """Freeze the first ``n_frozen`` conv blocks of ``model`` (0..3), in place; returns it.

    Frozen weights keep ``requires_grad=False``, so backpropagation leaves them as they are;
    the head is always trainable.
    """
    n_frozen = check_int("n_frozen", n_frozen, 0)
    if n_frozen > len(BLOCKS):
        raise ValueError(f"n_frozen must be 0..{len(BLOCKS)} (conv blocks), got {n_frozen}")
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


def subset_per_class(x, y, per_class: int, seed: int = 0):
    """The first ``per_class`` examples of every class after a seeded shuffle.

    Returns (x_sub, y_sub); raises ValueError if a class has fewer examples.
    """
    per_class = check_int("per_class", per_class, 1)
    y = np.asarray(y)
    order = np.random.default_rng(seed).permutation(len(y))
    keep = []
    for c in np.unique(y):
        idx = order[y[order] == c]
        if len(idx) < per_class:
            raise ValueError(f"class {c} has {len(idx)} examples, fewer than per_class={per_class}")
        keep.extend(idx[:per_class])
    keep = np.sort(np.array(keep))
    return x[keep], y[keep]


def transfer_experiment(
    pretrained: SmallCNN,
    train,
    test,
    sizes=(10, 30, 100),
    strategies=None,
    seeds=(0,),
    steps: int = 150,
    lr: float = 3e-3,
    batch_size: int = 32,
    progress: bool = True,
    per_seed: bool = False,
) -> dict:
    """Test accuracy of every transfer strategy for every training-set size.

    train, test: (x, y) of the new task; sizes: examples per class; strategies: names from
    STRATEGIES (default all). Each run makes about ``steps`` gradient steps (the same for
    every size, so a small set is not also trained less) on a seeded subset; the accuracy
    is averaged over ``seeds``. Returns {strategy: {size: mean test accuracy}}, or with
    ``per_seed`` {strategy: {size: [test accuracy of each seed]}} (to see the spread).
    """
    strategies = list(STRATEGIES) if strategies is None else list(strategies)
    for s in strategies:
        if s not in STRATEGIES:
            raise ValueError(f"unknown strategy {s!r}; valid: {list(STRATEGIES)}")
    n_classes = len(np.unique(np.asarray(train[1])))
    runs = [(s, n, seed) for n in sizes for s in strategies for seed in seeds]
    acc: dict = {s: {n: [] for n in sizes} for s in strategies}
    for s, n, seed in tqdm(runs, desc="transfer runs", disable=not progress):
        xs, ys = subset_per_class(*train, n, seed)
        model = transfer_model(pretrained, n_classes, STRATEGIES[s], seed)
        epochs = max(1, round(steps / -(-len(ys) // batch_size)))
        nets.fit(model, (xs, ys), epochs=epochs, lr=lr, batch_size=batch_size, seed=seed,
                 progress=False)
        acc[s][n].append(nets.evaluate(model, *test)[1])
    if per_seed:
        return {s: {n: [float(a) for a in v] for n, v in by_n.items()} for s, by_n in acc.items()}
    return {s: {n: float(np.mean(v)) for n, v in by_n.items()} for s, by_n in acc.items()}


@torch.no_grad()
def predict_proba(model: nn.Module, x, views=None) -> np.ndarray:
    """Softmax probabilities (N, classes) of ``model`` on x, averaged over ``views``:
    a function x -> list of transformed batches (e.g. ``augment.crops``), or None for x alone.
    """
    model.eval()
    dev = next(model.parameters()).device
    x = torch.as_tensor(np.asarray(x) if not torch.is_tensor(x) else x, dtype=torch.float32)
    batches = [x] if views is None else views(x)
    probs = [torch.softmax(model(b.to(dev)), 1).cpu() for b in batches]
    return torch.stack(probs).mean(0).numpy()


def ensemble_proba(models, x, views=None) -> np.ndarray:
    """Average of the members' softmax outputs (N, classes): the ensemble's prediction."""
    models = list(models)
    if not models:
        raise ValueError("ensemble_proba needs at least one model")
    return np.mean([predict_proba(m, x, views) for m in models], axis=0)


def accuracy(proba, y) -> float:
    """Fraction of rows of ``proba`` (N, classes) whose argmax equals y (N,)."""
    return float(np.mean(np.asarray(proba).argmax(1) == np.asarray(y)))


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
        return None, "torchvision is not installed: ImageNet weights not available offline"
    folder = os.path.join(hub_dir or torch.hub.get_dir(), "checkpoints")
    files = sorted(glob.glob(os.path.join(folder, f"{arch}-*.pth")))
    if not files:
        return None, f"no {arch} checkpoint in {folder}: ImageNet weights not available offline"
    model = getattr(torchvision.models, arch)(weights=None)
    model.load_state_dict(torch.load(files[0], map_location="cpu", weights_only=True))
    return model, f"loaded ImageNet weights for {arch} from {files[0]}"
