"""A small YOLO-style detector in PyTorch: one forward pass gives an S x S grid of
(cell, anchor) predictions, trained on :mod:`cnnlab.detection.shapes` scenes.

Used by lesson 10 (object detection), sections 8 (training) and 9 (predictions and mAP).

The network's raw outputs ``t`` become the notes' label vector
``y = (pc, bx, by, bh, bw, c1..cC)`` (see :mod:`cnnlab.detection.anchors`) as in YOLOv2:

* ``pc = sigmoid(t_pc)``, the probability that the slot holds an object;
* ``bx = sigmoid(t_x)``, ``by = sigmoid(t_y)``: the midpoint stays inside its cell;
* ``bw = anchor_w * exp(t_w)``, ``bh = anchor_h * exp(t_h)`` (in cell units): each anchor
  predicts a size relative to its own shape, so it can specialise (tall, wide, small, ...);
* ``c = softmax(t_c)``, the class probabilities.

Decoding, thresholds, NMS and mAP are :mod:`cnnlab.detection`'s NumPy functions, applied to
``y``.
"""

from __future__ import annotations

import time

import numpy as np
import torch
from torch import nn
from tqdm.auto import tqdm

from ..i18n import tr
from ..nets import device
from ..validate import as_sizes, check_int
from .anchors import decode_predictions, encode_targets, yolo_detections
from .localization import BX, PC
from .metrics import mean_average_precision


def _conv_block(c_in: int, c_out: int) -> list:
    return [
        nn.Conv2d(c_in, c_out, 3, padding=1, bias=False),
        nn.BatchNorm2d(c_out),
        nn.LeakyReLU(0.1),
    ]


class TinyYolo(nn.Module):
    """conv-BN-LeakyReLU blocks and 2x2 max pools down to an S x S grid, then a 1x1 conv
    that outputs ``B * (5 + C)`` numbers per cell (one label vector per anchor).

    image_size: input height = width (a multiple of 8); the grid is ``image_size / 8``.
    anchors: (B, 2) anchor (width, height) in pixels. widths: channels of the 4 blocks.
    forward(x (N, 3, H, W)) -> raw outputs (N, S, S, B, 5 + C).
    """

    def __init__(
        self, anchors, num_classes: int = 3, image_size: int = 64, widths=(16, 32, 64, 64)
    ):
        super().__init__()
        self.image_size = check_int("image_size", image_size, 8)
        if self.image_size % 8:
            raise ValueError(
                tr("image_size must be a multiple of 8 (3 poolings), got {image_size}").format(
                    image_size=image_size
                )
            )
        self.num_classes = check_int("num_classes", num_classes, 1)
        a = as_sizes(anchors, "anchors")
        self.grid_size = self.image_size // 8
        self.register_buffer("anchors", torch.tensor(a, dtype=torch.float32))
        w1, w2, w3, w4 = widths
        self.features = nn.Sequential(
            *_conv_block(3, w1),
            nn.MaxPool2d(2),
            *_conv_block(w1, w2),
            nn.MaxPool2d(2),
            *_conv_block(w2, w3),
            nn.MaxPool2d(2),
            *_conv_block(w3, w4),
            *_conv_block(w4, w4),
        )
        self.head = nn.Conv2d(w4, len(a) * (5 + self.num_classes), 1)
        with torch.no_grad():  # start by saying "probably nothing here" (pc = 0.01): most
            # slots are empty, and a 50/50 start makes the first steps fight a flood of
            # false positives
            self.head.bias.view(len(a), 5 + self.num_classes)[:, 0] = -4.6

    @property
    def num_anchors(self) -> int:
        return len(self.anchors)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        t = self.head(self.features(x))  # (N, B*(5+C), S, S)
        n, _, s, _ = t.shape
        return t.view(n, self.num_anchors, 5 + self.num_classes, s, s).permute(0, 3, 4, 1, 2)

    def anchor_cells(self) -> torch.Tensor:
        """Anchors as (width, height) in cell units, shape (B, 2)."""
        return self.anchors / (self.image_size / self.grid_size)

    def to_labels(self, raw: torch.Tensor) -> torch.Tensor:
        """Raw outputs (N, S, S, B, 5 + C) -> label vectors (pc, bx, by, bh, bw, c1..cC)."""
        a = self.anchor_cells()
        return torch.cat(
            [
                torch.sigmoid(raw[..., :3]),  # pc, bx, by
                (a[:, 1] * torch.exp(raw[..., 3])).unsqueeze(-1),  # bh
                (a[:, 0] * torch.exp(raw[..., 4])).unsqueeze(-1),  # bw
                torch.softmax(raw[..., 5:], dim=-1),
            ],
            dim=-1,
        )

    @torch.no_grad()
    def predict(self, images, batch_size: int = 256) -> np.ndarray:
        """Label vectors for (N, 3, H, W) images: a NumPy array (N, S, S, B, 5 + C)."""
        self.eval()
        dev = next(self.parameters()).device
        x = torch.as_tensor(np.asarray(images), dtype=torch.float32)
        out = [
            self.to_labels(self(x[i : i + batch_size].to(dev))).cpu()
            for i in range(0, len(x), batch_size)
        ]
        return torch.cat(out).double().numpy()


def encode_dataset(scenes, grid_size: int, anchors, num_classes: int = 3) -> np.ndarray:
    """YOLO targets of every scene: (N, S, S, B, 5 + C), by
    :func:`cnnlab.detection.anchors.encode_targets`. scenes: a ``shapes.Scenes`` of N images;
    anchors: (B, 2) (w, h) in pixels."""
    size = scenes.images.shape[-2:]
    return np.stack(
        [
            encode_targets(b, c, grid_size, tuple(size), num_classes, anchors)
            for b, c in zip(scenes.boxes, scenes.classes)
        ]
    )


def yolo_loss(
    raw: torch.Tensor,
    target: torch.Tensor,
    anchor_cells: torch.Tensor,
    lambda_coord: float = 5.0,
    lambda_noobj: float = 0.5,
) -> dict:
    """The detector's loss, summed over slots and averaged over images.

    raw: (N, S, S, B, 5 + C) network outputs; target: the same shape, from
    :func:`encode_dataset`; anchor_cells: (B, 2) anchor (w, h) in cell units.
    Terms (as returned in the dict, with "total"):

    * "object": binary cross-entropy of pc on slots with an object;
    * "no_object": the same on empty slots, weighted by ``lambda_noobj`` (most slots are
      empty: unweighted, they would teach the network to always say "nothing here");
    * "box": squared errors of bx, by and of log(bw), log(bh) (errors relative to the size:
      2 pixels matter more on a small box), weighted by ``lambda_coord``, **only where
      pc = 1**: an empty slot has no box to learn, as in the localization loss;
    * "class": cross-entropy of the class, only where pc = 1.
    """
    obj = target[..., PC] > 0.5
    n = raw.shape[0]
    bce = nn.functional.binary_cross_entropy_with_logits
    pc_loss = bce(raw[..., 0], target[..., 0], reduction="none")
    terms = {"object": pc_loss[obj].sum() / n, "no_object": lambda_noobj * pc_loss[~obj].sum() / n}
    r, t = raw[obj], target[obj]  # (K, 5 + C): the slots that hold an object
    a = anchor_cells.expand(obj.shape + (2,))[obj]  # (K, 2) the anchor of each of those slots
    xy = ((torch.sigmoid(r[:, 1:3]) - t[:, 1:3]) ** 2).sum()
    log_h, log_w = torch.log(t[:, 3] / a[:, 1]), torch.log(t[:, 4] / a[:, 0])
    wh = ((r[:, 3] - log_h) ** 2 + (r[:, 4] - log_w) ** 2).sum()
    terms["box"] = lambda_coord * (xy + wh) / n
    cls = t[:, 5:].argmax(dim=1)
    terms["class"] = nn.functional.cross_entropy(r[:, 5:], cls, reduction="sum") / n
    terms["total"] = sum(terms.values())
    return terms


def flip_horizontal(x: torch.Tensor, target: torch.Tensor):
    """Mirror images (N, 3, H, W) and their targets (N, S, S, B, 5 + C) left to right.

    The grid's columns reverse and bx becomes 1 - bx; heights, widths and classes stay
    (a mirrored ellipse, rectangle or upright triangle is the same kind of shape).
    """
    x = x.flip(-1)
    target = target.flip(2).clone()
    obj = target[..., PC] > 0.5
    target[..., BX] = torch.where(obj, 1 - target[..., BX], target[..., BX])
    return x, target


def random_flips(x: torch.Tensor, target: torch.Tensor, generator: torch.Generator):
    """Mirror each image of a batch (N, 3, H, W) and its target (N, S, S, B, 5 + C) with
    probability 1/2 (:func:`flip_horizontal`); the others are returned unchanged (copies)."""
    mirror = torch.rand(len(x), generator=generator) < 0.5
    xf, yf = flip_horizontal(x[mirror], target[mirror])
    x, target = x.clone(), target.clone()
    x[mirror], target[mirror] = xf, yf
    return x, target


def train_epoch(model: TinyYolo, x, y, opt, sched, generator, batch_size: int, flip, dev) -> dict:
    """One pass over images x (N, 3, H, W) and targets y (N, S, S, B, 5 + C) in random
    batches, one optimizer and scheduler step each. Returns the mean of each loss term."""
    model.train()
    anchors = model.anchor_cells()
    sums: dict = {}
    for idx in torch.randperm(len(x), generator=generator).split(batch_size):
        xb, yb = x[idx], y[idx]
        if flip:
            xb, yb = random_flips(xb, yb, generator)
        terms = yolo_loss(model(xb.to(dev)), yb.to(dev), anchors)
        opt.zero_grad(set_to_none=True)
        terms["total"].backward()
        opt.step()
        sched.step()
        for k, v in terms.items():
            sums[k] = sums.get(k, 0.0) + v.item() * len(idx)
    return {k: v / len(x) for k, v in sums.items()}


def train_detector(
    model: TinyYolo,
    scenes,
    *,
    epochs: int = 20,
    lr: float = 3e-3,
    batch_size: int = 32,
    seed: int = 0,
    flip: bool = True,
    dev=None,
    progress: bool = True,
) -> dict:
    """Train ``model`` on ``scenes`` with Adam and :func:`yolo_loss`; a one-cycle (cosine)
    learning rate schedule.

    scenes: a ``shapes.Scenes`` of N (3, H, W) images. flip: mirror a random half of each
    batch (data augmentation). Returns the history: {"loss": per-epoch mean total loss,
    "terms": per-epoch dict of the loss terms, "cpu_seconds": process CPU time,
    "wall_seconds", "device"}.
    """
    epochs = check_int("epochs", epochs, 1)
    batch_size = check_int("batch_size", batch_size, 1)
    dev = dev or device(verbose=False)
    model.to(dev)
    x = torch.as_tensor(scenes.images, dtype=torch.float32)
    y = torch.as_tensor(
        encode_dataset(scenes, model.grid_size, model.anchors.cpu().numpy(), model.num_classes),
        dtype=torch.float32,
    )
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    steps = epochs * -(-len(x) // batch_size)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps, pct_start=0.15)
    history: dict = {"loss": [], "terms": []}
    cpu0, wall0 = time.process_time(), time.perf_counter()
    bar = tqdm(range(epochs), desc=tr("training the detector"), disable=not progress, leave=True)
    for _ in bar:
        epoch = train_epoch(model, x, y, opt, sched, gen, batch_size, flip, dev)
        history["terms"].append(epoch)
        history["loss"].append(epoch["total"])
        bar.set_postfix(loss=f"{epoch['total']:.3f}", box=f"{epoch['box']:.3f}")
    history["cpu_seconds"] = time.process_time() - cpu0
    history["wall_seconds"] = time.perf_counter() - wall0
    history["device"] = str(dev)
    return history


def detect_scenes(
    model: TinyYolo, images, score_threshold: float = 0.5, iou_threshold: float | None = 0.5
) -> list:
    """Detections for each image: a list of (boxes (K, 4), scores (K,), classes (K,)).

    iou_threshold=None skips non-max suppression (every slot above the score threshold).
    """
    y = model.predict(images)
    size = tuple(np.asarray(images).shape[-2:])
    if iou_threshold is None:
        return [decode_predictions(yi, size, score_threshold) for yi in y]
    return [yolo_detections(yi, size, score_threshold, iou_threshold) for yi in y]


def evaluate_map(
    model: TinyYolo,
    scenes,
    score_threshold: float = 0.05,
    iou_threshold: float = 0.5,
    per_class: bool = False,
):
    """mAP@0.5 of ``model`` on ``scenes`` (a low score threshold: mAP wants the whole
    precision-recall curve, from confident to doubtful detections)."""
    preds = detect_scenes(model, scenes.images, score_threshold, iou_threshold)
    truths = list(zip(scenes.boxes, scenes.classes))
    return mean_average_precision(preds, truths, 0.5, model.num_classes, per_class)
