"""Transfer learning from a backbone trained on natural images: HED's VGG16 (lesson 09, §3).

The weights (``cnnlab.pretrained.vgg16``) started from the ImageNet classifier and were
fine-tuned for edge detection on BSDS500 (HED); they are not the ImageNet classifier.

The task: scikit-image's ``lfw_subset`` (100 faces, then 100 non-face background patches,
25x25 grey), upsampled and made RGB by repeating the grey channel (:func:`faces_task`).
Three ways to use few labels, compared over training-set sizes and seeds by
:func:`vgg_experiment`:

* ``scratch``: :class:`~cnnlab.transfer.freezing.SmallCNN` from a random start, on the pixels;
* ``frozen conv4`` / ``frozen conv5``: VGG16 frozen up to conv4_3 / conv5_3, the map
  global-average-pooled to 512 numbers, and a new linear head (logistic regression);
* ``fine-tune conv5_3``: the top layer (conv5_3) trains too, from its pretrained weights
  (the whole top block, conv5_1..conv5_3, is ``TopBlockHead(layers=TOP_BLOCK)``: 3x the cost).

Everything frozen is computed **once** per image (:func:`backbone_features`) and reused by
every run, so a run trains only the head, or the top block and the head.
"""

from __future__ import annotations

import copy

import numpy as np
import torch
from torch import nn

from ..i18n import tr
from ..validate import check_int
from .experiment import subset_per_class
from .freezing import SmallCNN

VGG_STRATEGIES = ("scratch", "frozen conv4", "frozen conv5", "fine-tune conv5_3")
TOP_BLOCK = ("conv5_1", "relu5_1", "conv5_2", "relu5_2", "conv5_3", "relu5_3")
TOP_LAYER = ("conv5_3", "relu5_3")


def faces_task(size: int = 32, test_per_class: int = 40, seed: int = 0):
    """Faces vs non-faces from ``skimage.data.lfw_subset``, as RGB images of side ``size``.

    Returns ((x_train, y_train), (x_test, y_test)): x (N, size, size, 3) float32 in [0, 1]
    (the grey value repeated in R, G and B, since VGG16 takes colour), y (N,) with 1 = face.
    A seeded split puts ``test_per_class`` images of each class in the test set, the rest
    (100 - test_per_class per class) in the pool that training subsets are drawn from.
    """
    from skimage.data import lfw_subset
    from skimage.transform import resize

    size = check_int("size", size, 8)
    test_per_class = check_int("test_per_class", test_per_class, 1)
    if test_per_class >= 100:
        raise ValueError(
            tr("test_per_class must be 1..99 (100 images per class), got {test_per_class}").format(
                test_per_class=test_per_class
            )
        )
    grey = lfw_subset().astype(np.float32)
    grey = grey / 255.0 if grey.max() > 1 else grey
    big = np.stack([resize(g, (size, size), order=1, anti_aliasing=False) for g in grey])
    rgb = np.repeat(big[..., None], 3, axis=-1).astype(np.float32)
    y = np.r_[np.ones(100, int), np.zeros(100, int)]  # the first 100 are faces
    order = np.random.default_rng(seed).permutation(100)
    test = np.r_[order[:test_per_class], 100 + order[:test_per_class]]
    train = np.setdiff1d(np.arange(200), test)
    return (rgb[train], y[train]), (rgb[test], y[test])


def to_vgg_batch(images) -> torch.Tensor:
    """(N, H, W, 3) RGB in [0, 1] -> (N, 3, H, W) VGG16 input (BGR, 0-255, mean removed)."""
    from ..pretrained import preprocess

    return torch.cat([preprocess(im) for im in np.asarray(images)])


@torch.no_grad()
def backbone_features(images, dev=None, batch_size: int = 50) -> dict:
    """The frozen parts of VGG16, computed once: {"pool4": (N, 512, h, w) map that enters the
    top block, "conv5_2": (N, 512, h, w) map that enters conv5_3, "conv4": (N, 512) global
    average of relu4_3, "conv5": (N, 512) of relu5_3}; h = w = ceil(side / 16)."""
    from ..pretrained import vgg16

    dev = dev or torch.device("cpu")
    net = vgg16(device=dev)
    x = to_vgg_batch(images)
    out: dict = {"pool4": [], "conv5_2": [], "conv4": [], "conv5": []}
    for i in range(0, len(x), batch_size):
        h = x[i : i + batch_size].to(dev)
        for name, layer in net.named_children():
            h = layer(h)
            if name == "relu4_3":
                out["conv4"].append(h.mean((2, 3)).cpu())
            if name in ("pool4", "relu5_2"):
                out["pool4" if name == "pool4" else "conv5_2"].append(h.cpu())
        out["conv5"].append(h.mean((2, 3)).cpu())
    return {k: torch.cat(v) for k, v in out.items()}


class TopBlockHead(nn.Module):
    """VGG16's last ``layers`` (pretrained, trainable) + global average pool + a new linear
    head: (N, 512, h, w) maps (relu5_2's for TOP_LAYER, pool4's for TOP_BLOCK) -> (N, n_classes)."""

    def __init__(self, n_classes: int = 2, layers=TOP_LAYER):
        super().__init__()
        from ..pretrained import vgg16

        net = vgg16()
        self.top = nn.Sequential(*[copy.deepcopy(getattr(net, n)) for n in layers])
        self.top.requires_grad_(True)
        self.head = nn.Linear(512, n_classes)

    def forward(self, x):
        """(N, 512, h, w) -> (N, n_classes)."""
        return self.head(self.top(x).mean((2, 3)))


def make_model(strategy: str, n_classes: int = 2, seed: int = 0) -> nn.Module:
    """A fresh model for one strategy of ``VGG_STRATEGIES`` (head initialised from ``seed``)."""
    if strategy not in VGG_STRATEGIES:
        raise ValueError(
            tr("unknown strategy {strategy!r}; valid: {valid}").format(
                strategy=strategy, valid=list(VGG_STRATEGIES)
            )
        )
    torch.manual_seed(seed)
    if strategy == "scratch":
        return SmallCNN(n_classes, channels=3)
    if strategy == "fine-tune conv5_3":
        return TopBlockHead(n_classes)
    return nn.Linear(512, n_classes)


def train_full_batch(model, x, y, steps: int, lr: float, weight_decay: float = 0.0):
    """``steps`` Adam steps of cross-entropy on the whole (small) training set, on CPU."""
    opt = torch.optim.Adam(
        [p for p in model.parameters() if p.requires_grad], lr=lr, weight_decay=weight_decay
    )
    y = torch.as_tensor(y, dtype=torch.long)
    model.train()
    for _ in range(steps):
        opt.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    model.eval()
    return model


#: strategy -> (input key, Adam learning rate, steps); the fine-tuned top block moves slowly
SETTINGS = {
    "scratch": ("pixels", 3e-3, 40),
    "frozen conv4": ("conv4", 1e-2, 150),
    "frozen conv5": ("conv5", 1e-2, 150),
    "fine-tune conv5_3": ("conv5_2", 1e-4, 20),
}


def vgg_experiment(inputs_train, y_train, inputs_test, y_test, sizes=(5, 20, 50),
                   seeds=(0, 1, 2), strategies=VGG_STRATEGIES, settings=None) -> dict:
    """Test accuracy of every strategy, size (images per class) and seed.

    inputs_*: {"pixels": (N, 3, H, W) images, "conv4"/"conv5": (N, 512), "pool4": maps}
    (from :func:`backbone_features`; "pixels" only if "scratch" runs). ``settings`` overrides
    SETTINGS: {strategy: (input key, learning rate, steps)}. Fine-tuning starts from the head
    fitted on the frozen features (as "frozen conv5"), then trains conv5_3 and the head. The same seeded subset
    of the training pool serves every strategy. Returns {strategy: {size: [acc per seed]}}.
    """
    settings = {**SETTINGS, **(settings or {})}
    y_test = torch.as_tensor(y_test)
    idx = np.arange(len(y_train))
    acc: dict = {s: {n: [] for n in sizes} for s in strategies}
    for n in sizes:
        for seed in seeds:
            keep, _ = subset_per_class(idx, np.asarray(y_train), n, seed)
            for s in strategies:
                key, lr, steps = settings[s]
                model = make_model(s, len(np.unique(y_train)), seed)
                if isinstance(model, TopBlockHead):  # the usual recipe: fit the new head first
                    frozen = settings["frozen conv5"]
                    train_full_batch(model.head, inputs_train["conv5"][keep],
                                     np.asarray(y_train)[keep], frozen[2], frozen[1])
                train_full_batch(model, inputs_train[key][keep], np.asarray(y_train)[keep], steps, lr)
                with torch.no_grad():
                    pred = model(inputs_test[key]).argmax(1)
                acc[s][n].append(float((pred == y_test).float().mean()))
    return acc


def summary_table(acc: dict) -> str:
    """{strategy: {size: [accs]}} -> a text table: mean (min-max) per strategy and size."""
    sizes = list(next(iter(acc.values())))
    lines = [f"{tr('images per class'):18s}" + "".join(f"{n:>19d}" for n in sizes)]
    for s, by_n in acc.items():
        cells = "".join(f"{np.mean(a):>9.3f} ({min(a):.2f}-{max(a):.2f})" for a in by_n.values())
        lines.append(f"{s:18s}" + cells)
    return "\n".join(lines)
