"""The burst-detection task of lesson 13: windows of real EEG, half with a burst added.

A burst is a short run of fast waves (:func:`burst`, shaped like the "spindles" of sleep
EEG). :func:`burst_dataset` adds bursts to windows of :func:`cnnlab.generalizations.eeg`,
so the right answer is known for every example; :func:`burst_score` is a hand-made
matched-filter detector to compare a 1D CNN with; :func:`best_threshold` and
:func:`accuracy_at` turn a score into a classifier.

>>> x, y, start = burst_dataset(4, "train", seed=0)
>>> x.shape, y.tolist(), start.tolist()  # start: where the burst begins, -1 without one
((4, 1, 64), [0, 0, 1, 1], [-1, -1, 26, 17])
"""

from __future__ import annotations

import numpy as np

from ..conv import conv1d
from ..i18n import tr
from ..validate import check_int
from .signals import eeg

#: Samples of the EEG kept for training / for testing the burst detector: alternating
#: blocks of 200, so both sets see the calm first half and the busier second half.
TRAIN_BLOCKS = ((0, 200), (400, 600))
TEST_BLOCKS = ((200, 400), (600, 800))


def burst(width: int = 32, period: float = 6.0, phase: float = 0.0) -> np.ndarray:
    """A short oscillation: a sine of ``period`` samples under a Hann window of ``width``.

    Shaped like an EEG "spindle" (a brief burst of faster waves); peak amplitude about 1.
    """
    width = check_int("width", width, 2)
    if not period > 0:
        raise ValueError(tr("period must be > 0 samples, got {period!r}").format(period=period))
    t = np.arange(width)
    return np.hanning(width) * np.sin(2 * np.pi * t / period + phase)


def burst_dataset(
    n: int,
    split: str = "train",
    *,
    length: int = 64,
    width: int = 32,
    amplitude=(1.0, 2.0),
    period=(5.0, 7.0),
    seed: int = 0,
):
    """Windows of real EEG, half of them with a burst added: a binary detection task.

    Each example is ``length`` consecutive samples of one EEG channel, taken from the
    split's blocks (``TRAIN_BLOCKS`` or ``TEST_BLOCKS``, so no test sample was seen in
    training), randomly reversed in time and sign (the background's statistics do not
    change, and there are more distinct windows). Examples with label 1 get a ``burst``
    of random period, phase and amplitude at a random position.

    Returns x (n, 1, length) float32, y (n,) int64 (1 = burst), start (n,) int64 (where
    the burst begins, -1 without one).
    """
    n = check_int("n", n, 1)
    length = check_int("length", length, 2)
    width = check_int("width", width, 2)
    if split not in ("train", "test"):
        raise ValueError(tr("split must be 'train' or 'test', got {split!r}").format(split=split))
    if width > length:
        raise ValueError(
            tr("the burst (width {width}) must fit in the window (length {length})").format(
                width=width, length=length
            )
        )
    blocks = TRAIN_BLOCKS if split == "train" else TEST_BLOCKS
    if length > min(hi - lo for lo, hi in blocks):
        raise ValueError(
            tr("length must be <= 200 (the EEG blocks' size), got {length}").format(length=length)
        )
    rng = np.random.default_rng(seed)
    signals = eeg()
    y = rng.permutation(np.arange(n) % 2).astype(np.int64)
    x = np.empty((n, 1, length), dtype=np.float32)
    start = np.full(n, -1, dtype=np.int64)
    for i in range(n):
        lo, hi = blocks[rng.integers(len(blocks))]
        s = rng.integers(lo, hi - length + 1)
        window = signals[rng.integers(len(signals)), s : s + length].copy()
        if rng.random() < 0.5:
            window = window[::-1]
        if rng.random() < 0.5:
            window = -window
        if y[i]:
            b = burst(width, rng.uniform(*period), rng.uniform(0, 2 * np.pi))
            start[i] = rng.integers(0, length - width + 1)
            window[start[i] : start[i] + width] += rng.uniform(*amplitude) * b
        x[i, 0] = window
    return x, y, start


def burst_score(x, period: float = 6.0, width: int = 32) -> np.ndarray:
    """A hand-made burst detector: the strongest response to a burst-shaped kernel pair.

    x: (N, 1, L) windows. Filters each window with a burst of the given period in sine and
    cosine phase (so the burst's phase does not matter), takes the envelope
    ``sqrt(a**2 + b**2)`` and returns its maximum over positions, (N,).
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 3 or x.shape[1] != 1:
        raise ValueError(tr("x must be (N, 1, L) windows, got shape {shape}").format(shape=x.shape))
    pair = np.stack([burst(width, period), burst(width, period, np.pi / 2)])[:, None]
    a, b = conv1d(x, pair).transpose(1, 0, 2)
    return np.sqrt(a**2 + b**2).max(axis=1)


def best_threshold(scores, labels):
    """The threshold on ``scores`` that best separates ``labels`` (1 when score > threshold).

    Returns (threshold, accuracy). Tries every midpoint between sorted scores.
    """
    scores = np.asarray(scores, dtype=float)
    labels = np.asarray(labels)
    if scores.shape != labels.shape or scores.ndim != 1 or scores.size == 0:
        raise ValueError(
            tr(
                "scores and labels must be 1D and the same length, got {scores} and {labels}"
            ).format(scores=scores.shape, labels=labels.shape)
        )
    order = np.argsort(scores, kind="stable")
    s, lab = scores[order], labels[order]
    # predicted 1 for everything above position k: count correct for every k at once
    ones_above = np.concatenate([[lab.sum()], lab.sum() - np.cumsum(lab)])
    zeros_below = np.concatenate([[0], np.cumsum(1 - lab)])
    correct = ones_above + zeros_below
    k = int(np.argmax(correct))
    edges = np.concatenate([[s[0] - 1], (s[:-1] + s[1:]) / 2, [s[-1] + 1]])
    return float(edges[k]), float(correct[k] / s.size)


def accuracy_at(scores, labels, threshold: float) -> float:
    """Fraction of examples where ``score > threshold`` matches the label."""
    scores, labels = np.asarray(scores, dtype=float), np.asarray(labels)
    return float(np.mean((scores > threshold) == labels))
