"""A synthetic electrocardiogram and a 1D convolution that finds its heartbeats (lesson 13).

The notes' 1D example is an ECG (EKG): the heart's electrical activity, one beat after
another, each with the same shape (a small P wave, the sharp QRS complex, a T wave). No real
ECG ships inside the packages this course may use offline, so cnnlab **generates** one: each
beat is a sum of five Gaussian bumps at the P, Q, R, S and T positions (the shape models of
McSharry et al. 2003 use the same waves), beats come at a slightly varying rate, and baseline
wander and noise are added. It is labelled synthetic wherever it is shown. Because cnnlab
places every beat, the true beat times are known, so a detector can be scored exactly.

The detector is what a 1D ConvNet's first layer learns to be: a **matched filter**, one kernel
shaped like the QRS complex, slid along the signal with ``cnnlab.conv1d``; where the response
crosses a threshold, a beat. Weight sharing is the point: the same 0.1 s kernel finds the
spike wherever it is in the recording.

>>> x, beats = synthetic_ecg(seconds=5, seed=0)
>>> x.shape, len(beats) > 3
((1250,), True)
"""

from __future__ import annotations

import numbers

import numpy as np

from ..i18n import tr
from ..validate import check_int, check_positive
from .signals import filter_signal, find_events

#: Samples per second of the synthetic recording.
ECG_RATE = 250
#: Each wave of one beat: (name, time after the R peak in seconds, height in mV, width in s).
WAVES = (
    ("P", -0.20, 0.15, 0.025),
    ("Q", -0.03, -0.15, 0.010),
    ("R", 0.00, 1.20, 0.010),
    ("S", 0.03, -0.25, 0.010),
    ("T", 0.25, 0.30, 0.040),
)


def beat_shape(t) -> np.ndarray:
    """One beat's voltage (mV) at times ``t`` (s, relative to its R peak): the 5 waves."""
    t = np.asarray(t, dtype=float)
    return sum(h * np.exp(-0.5 * ((t - c) / w) ** 2) for _, c, h, w in WAVES)


def synthetic_ecg(seconds: float = 10, heart_rate: float = 72, noise: float = 0.05, seed: int = 0):
    """A synthetic one-lead ECG sampled at ``ECG_RATE`` Hz, and its true beat times.

    heart_rate: mean beats per minute (each interval varies by about 5%); noise: std of the
    added white noise in mV (a slow baseline wander of 0.1 mV is added too).
    Returns (x (seconds * ECG_RATE,) float in mV, beats (K,) int sample indices of the R peaks).
    """
    seconds, heart_rate = (
        check_positive("seconds", seconds),
        check_positive("heart_rate", heart_rate),
    )
    if isinstance(noise, bool) or not isinstance(noise, numbers.Real) or not 0 <= noise < np.inf:
        raise ValueError(
            tr("noise is a standard deviation: a number >= 0, got {noise!r}").format(noise=noise)
        )
    rng = np.random.default_rng(check_int("seed", seed, 0))
    n = int(round(seconds * ECG_RATE))
    t = np.arange(n) / ECG_RATE
    period = 60.0 / heart_rate
    peaks, at = [], 0.3 + rng.uniform(0, period)
    while at < seconds - 0.3:  # whole beats only, so every labelled beat is in the signal
        peaks.append(at)
        at += period * rng.normal(1.0, 0.05)
    x = np.zeros(n)
    for p in peaks:
        near = np.abs(t - p) < 0.45
        x[near] += beat_shape(t[near] - p)
    x += 0.1 * np.sin(2 * np.pi * 0.3 * t + rng.uniform(0, 2 * np.pi))  # breathing wander
    x += rng.normal(0, noise, n)
    return x, np.round(np.array(peaks) * ECG_RATE).astype(int)


def qrs_kernel(width: float = 0.1) -> np.ndarray:
    """The matched filter: the QRS part of one beat (``width`` s around R), minus its mean
    (so a flat or slowly wandering baseline gives 0) and scaled to unit norm. Shape (K,)."""
    k = int(round(check_positive("width", width) * ECG_RATE)) | 1  # odd: centred on the R peak
    t = (np.arange(k) - k // 2) / ECG_RATE
    w = beat_shape(t)
    w -= w.mean()
    return w / np.linalg.norm(w)


def detect_beats(x, threshold: float = 0.5, kernel=None):
    """R peaks of an ECG found by one 1D convolution: (response (L,), beats (K,) indices).

    The response is ``cnnlab.conv1d`` of x with the matched filter (same length, edge
    padding), normalised by its largest value; a beat is a rise through ``threshold``, then
    the response's maximum within the next 0.1 s; two beats are at least 0.25 s apart.
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 1 or x.size < ECG_RATE // 2:
        raise ValueError(
            tr("x must be a 1D recording of at least 0.5 s, got shape {shape}").format(
                shape=x.shape
            )
        )
    w = qrs_kernel() if kernel is None else np.asarray(kernel, dtype=float)
    response = filter_signal(x, w, pad="edge")
    response = response / max(float(np.abs(response).max()), 1e-12)
    rises = find_events(response, threshold, refractory=ECG_RATE // 4)
    window = ECG_RATE // 10
    beats = np.array([r + int(np.argmax(response[r : r + window])) for r in rises], dtype=int)
    return response, beats


def match_beats(found, truth, tolerance: int = ECG_RATE // 20):
    """(hits, misses, false alarms): found beats within ``tolerance`` samples (20 ms) of a
    true one, each true beat matched at most once."""
    found, truth = np.asarray(found, dtype=int), np.asarray(truth, dtype=int)
    unmatched, hits = list(truth), 0
    for f in found:
        close = [u for u in unmatched if abs(u - f) <= tolerance]
        if close:
            unmatched.remove(min(close, key=lambda u: abs(u - f)))
            hits += 1
    return hits, len(unmatched), len(found) - hits
