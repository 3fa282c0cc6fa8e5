"""Sliding-window detection, and its convolutional implementation.

Used by lesson 10 (object detection), sections 2 and 3, and by the R-CNN toys of section 10
(:mod:`cnnlab.detection.proposals` reuses the window classifier).

A small ConvNet is trained to classify closely cropped ``window x window`` patches as one of
the shapes of :mod:`cnnlab.detection.shapes` or "background". Sliding it over an image, one window at
a time, detects objects, but repeats almost all the work: neighbouring windows overlap. Turning
the fully connected layers into convolutions (:func:`convolutionalize`) gives a network that
computes the scores of **every** window in one pass, sharing the overlapping work.

The classifier follows the notes' example: a 14 x 14 x 3 input, CONV 5x5 (16 filters), 2x2
max pool, FC 400, FC 400, softmax over 4 outputs. Its max pool has stride 2, so the
convolutional version scores windows every 2 pixels.
"""

from __future__ import annotations

import time

import numpy as np
import torch
from torch import nn

from ..arith import conv_macs, conv_output_size
from ..i18n import tr
from ..validate import check_int
from . import shapes
from .boxes import image_hw

#: Class names of the window classifier: the shapes, then "background" (no object).
WINDOW_CLASSES = (*shapes.CLASSES, "background")
BACKGROUND = len(shapes.CLASSES)


class WindowClassifier(nn.Module):
    """The notes' classifier: 14x14x3 -> conv 5x5x16 -> max pool 2 -> FC 400 -> FC 400 -> 4.

    forward(x (N, 3, window, window)) -> logits (N, 4).
    """

    def __init__(
        self,
        window: int = 14,
        channels: int = 16,
        hidden: int = 400,
        num_classes: int = len(WINDOW_CLASSES),
    ):
        super().__init__()
        self.window = check_int("window", window, 6)
        if (self.window - 4) % 2:
            raise ValueError(
                tr("window - 4 must be even (5x5 conv, then 2x2 pool), got {window}").format(
                    window=window
                )
            )
        self.features = nn.Sequential(nn.Conv2d(3, channels, 5), nn.ReLU(), nn.MaxPool2d(2))
        side = (self.window - 4) // 2  # 14 -> 10 -> 5
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(channels * side * side, hidden),
            nn.ReLU(),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
            nn.Linear(hidden, num_classes),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.features(x))


def convolutionalize(model: WindowClassifier) -> nn.Sequential:
    """The same network with every FC layer turned into a convolution (same weights).

    FC 400 on a 5x5x16 volume = 400 filters of 5x5x16; the next FCs = 1x1 convolutions.
    On a window-sized input it outputs (N, 4, 1, 1), the classifier's logits; on a larger
    image, (N, 4, rows, cols): the logits of every window, at stride 2.
    """
    conv = model.features[0]
    fcs = [m for m in model.classifier if isinstance(m, nn.Linear)]
    side = (model.window - 4) // 2
    layers = list(model.features)
    for i, fc in enumerate(fcs):
        k = side if i == 0 else 1
        c_in = conv.out_channels if i == 0 else fcs[i - 1].out_features
        c = nn.Conv2d(c_in, fc.out_features, k)
        with torch.no_grad():
            # nn.Flatten orders a (C, H, W) volume channel by channel, row by row: the same
            # order as a conv weight's (C_in, K, K), so a reshape is all it takes
            c.weight.copy_(fc.weight.view(fc.out_features, c_in, k, k))
            c.bias.copy_(fc.bias)
        layers.append(c)
        if i < len(fcs) - 1:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers).eval()


def window_dataset(n: int, window: int = 14, seed: int = 0):
    """Closely cropped training patches for the window classifier.

    A quarter of the patches per class: an ellipse, rectangle or triangle filling most of the
    window (centre within 1.5 pixels of the window's, size 60-95% of the window), or
    background: empty, or a shape mostly outside the window (a window that only grazes an
    object must not claim it). Returns (x (n, 3, window, window) float32, y (n,) int64).
    """
    n = check_int("n", n, 1)
    w = check_int("window", window, 6)
    rng = np.random.default_rng(seed)
    x = np.empty((n, 3, w, w), dtype=np.float32)
    y = rng.integers(0, len(WINDOW_CLASSES), n)
    for i in range(n):
        img = shapes.background(rng, w)
        s = rng.uniform(0.6, 0.95) * w
        a = np.exp(rng.uniform(np.log(0.6), np.log(1 / 0.6)))
        bw, bh = min(s * np.sqrt(a), w), min(s / np.sqrt(a), w)
        cx, cy = w / 2 + rng.uniform(-1.5, 1.5, 2)
        kind = y[i]
        if kind == BACKGROUND:
            if rng.random() < 0.5:  # an object mostly out of view
                kind = rng.integers(len(shapes.CLASSES))
                off = rng.uniform(0.55, 0.9) * np.array([bw, bh]) * rng.choice([-1, 1], 2)
                off *= rng.permutation([1.0, rng.uniform(0, 1)])  # mostly along one axis
                cx, cy = cx + off[0], cy + off[1]
            else:
                kind = None
        if kind is not None:
            box = (cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2)
            img = shapes.paint(rng, img, shapes.CLASSES[kind], box)
        x[i] = np.moveaxis(np.clip(img, 0, 1), -1, 0)
    return x, y.astype(np.int64)


def windows(image_size, window: int, stride: int) -> np.ndarray:
    """Every window position as an xyxy box, row by row: (rows * cols, 4).

    image_size: int or (H, W); rows = conv_output_size(H, window, s=stride), cols likewise.

    >>> windows(16, 14, 2)[:, :2]
    array([[0., 0.],
           [2., 0.],
           [0., 2.],
           [2., 2.]])
    """
    h, w = image_hw(image_size)
    rows = conv_output_size(h, window, s=stride)
    cols = conv_output_size(w, window, s=stride)
    ys, xs = np.mgrid[0:rows, 0:cols] * stride
    tl = np.stack([xs.ravel(), ys.ravel()], axis=1).astype(float)
    return np.concatenate([tl, tl + window], axis=1)


@torch.no_grad()
def sliding_window_scores(
    model: WindowClassifier, image, stride: int = 2, batch_size: int = 1
) -> np.ndarray:
    """Class probabilities of every window, the plain way: crop each window and classify it.

    image: (3, H, W). batch_size=1 runs the network once per window, as the algorithm is
    usually first described; a larger batch only groups the same crops.
    Returns (rows, cols, classes) softmax probabilities.
    """
    model.eval()
    img = torch.as_tensor(np.asarray(image), dtype=torch.float32)
    k, s = model.window, check_int("stride", stride, 1)
    h, w = img.shape[-2:]
    boxes = windows((h, w), k, s).astype(int)
    crops = torch.stack([img[:, y1:y2, x1:x2] for x1, y1, x2, y2 in boxes])
    out = torch.cat(
        [
            torch.softmax(model(crops[i : i + batch_size]), 1)
            for i in range(0, len(crops), check_int("batch_size", batch_size, 1))
        ]
    )
    rows, cols = conv_output_size(h, k, s=s), conv_output_size(w, k, s=s)
    return out.view(rows, cols, -1).double().numpy()


@torch.no_grad()
def convolutional_scores(conv_model: nn.Sequential, image) -> np.ndarray:
    """Class probabilities of every window (stride 2) in one pass of the convolutionalized
    network. image: (3, H, W). Returns (rows, cols, classes)."""
    img = torch.as_tensor(np.asarray(image), dtype=torch.float32)[None]
    return torch.softmax(conv_model(img)[0], 0).permute(1, 2, 0).double().numpy()


def window_detections(scores, window: int, stride: int = 2, threshold: float = 0.5):
    """Windows whose best non-background class beats ``threshold``: (boxes, scores, classes).

    scores: (rows, cols, classes) with background last. Returns (boxes (K, 4) xyxy,
    scores (K,), classes (K,)). Boxes are the windows themselves: the sliding-window
    detector can only be as precise as its window grid.
    """
    scores = np.asarray(scores)
    rows, cols, _ = scores.shape
    boxes = windows((stride * (rows - 1) + window, stride * (cols - 1) + window), window, stride)
    obj = scores[..., :BACKGROUND].reshape(rows * cols, -1)
    best, cls = obj.max(axis=1), obj.argmax(axis=1)
    keep = best > threshold
    return boxes[keep], best[keep], cls[keep]


def classifier_macs(
    window: int = 14, channels: int = 16, hidden: int = 400, classes: int = 4
) -> int:
    """Multiplications of one pass of :class:`WindowClassifier` on one window."""
    side = (window - 4) // 2
    return (
        conv_macs(window - 4, 5, 3, channels)
        + side * side * channels * hidden
        + hidden * hidden
        + hidden * classes
    )


def convolutional_macs(
    image_size: int, window: int = 14, channels: int = 16, hidden: int = 400, classes: int = 4
) -> int:
    """Multiplications of one pass of the convolutionalized classifier on a square image."""
    side = (window - 4) // 2
    conv_out = conv_output_size(image_size, 5)
    pooled = conv_output_size(conv_out, 2, s=2)
    n = conv_output_size(pooled, side)  # windows per row
    return (
        conv_macs(conv_out, 5, 3, channels)
        + conv_macs(n, side, channels, hidden)
        + conv_macs(n, 1, hidden, hidden)
        + conv_macs(n, 1, hidden, classes)
    )


def time_it(fn, repeat: int = 3) -> float:
    """Best wall time of ``repeat`` calls of ``fn()``, in seconds (the best is the least
    disturbed by whatever else the machine is doing)."""
    best = float("inf")
    for _ in range(check_int("repeat", repeat, 1)):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def network_macs(model: nn.Module, input_shape) -> int:
    """Multiplications of one forward pass of ``model`` on one input of ``input_shape``
    (C, H, W), counting every Conv2d and Linear layer (one per weight per output position)."""
    total = 0

    def count(module, inputs, output):
        nonlocal total
        if isinstance(module, nn.Conv2d):
            total += output[0].numel() * module.weight[0].numel()
        elif isinstance(module, nn.Linear):
            total += output[0].numel() * module.in_features

    hooks = [
        m.register_forward_hook(count)
        for m in model.modules()
        if isinstance(m, (nn.Conv2d, nn.Linear))
    ]
    try:
        with torch.no_grad():
            was = model.training
            model.eval()
            dev = next(model.parameters()).device  # a model trained on a GPU stays there
            model(torch.zeros(1, *input_shape, device=dev))
            model.train(was)
    finally:
        for h in hooks:
            h.remove()
    return total
