"""1D signals: real physiological recordings and 1D filters (lesson 13).

Two recordings ship with matplotlib (``matplotlib.cbook.get_sample_data``), so they load
offline:

- ``eeg()``: 4 channels x 800 samples of an electroencephalogram (the brain's electrical
  activity at the scalp). matplotlib's own example labels the channels PG3, PG5, PG7, PG9
  and plots the 800 samples over 10 seconds; the values are standardised (mean 0, std 1).
- ``membrane_potential()``: 12,000 samples of a neuron's membrane potential in mV, one
  sample every 0.5 ms (6 s), with about 60 action potentials ("spikes").

Filters are 1D kernels for ``cnnlab.conv1d``, which, like PyTorch, computes a
cross-correlation: ``out[i] = sum_k w[k] * x[i + k]`` (the kernel is not flipped). The
burst-detection task built on the EEG is in :mod:`cnnlab.generalizations.bursts`.

>>> x = np.array([0.0, 1, 4, 9, 16])          # t**2
>>> filter_signal(x, derivative(), pad="valid")  # 2t at t = 1, 2, 3
array([2., 4., 6.])
"""

from __future__ import annotations

import numpy as np

from ..conv import conv1d
from ..i18n import Messages, tr
from ..validate import check_int

#: EEG channel names, as matplotlib's "MRI with EEG" example labels them.
EEG_CHANNELS = ("PG3", "PG5", "PG7", "PG9")
#: Duration matplotlib's example gives the 800 EEG samples (so 80 samples per second).
EEG_SECONDS = 10.0
#: Sampling interval of the membrane potential recording, in milliseconds.
MEMBRANE_DT_MS = 0.5


def _sample_path(name: str) -> str:
    from matplotlib import cbook

    return str(cbook.get_sample_data(name, asfileobj=False))


def eeg() -> np.ndarray:
    """The EEG recording shipped with matplotlib, as a (4, 800) float array (channels, time).

    Channels are ``EEG_CHANNELS``; each is standardised (mean 0, standard deviation 1).
    """
    data = np.fromfile(_sample_path("eeg.dat"), dtype=np.float64)
    return np.ascontiguousarray(data.reshape(800, 4).T)


def membrane_potential() -> np.ndarray:
    """A neuron's membrane potential in mV, (12000,) float array, one sample per 0.5 ms.

    The file stores volts / 10 as float32 (matplotlib's logo script multiplies by 1000 * 0.1).
    """
    raw = np.fromfile(_sample_path("membrane.dat"), dtype=np.float32)
    return raw.astype(np.float64) * 100.0


# --- kernels ------------------------------------------------------------------------------


def moving_average(width: int) -> np.ndarray:
    """Box kernel of ``width`` equal weights ``1/width``: the mean of each window."""
    width = check_int("width", width, 1)
    return np.full(width, 1.0 / width)


def gaussian(sigma: float, radius: int | None = None) -> np.ndarray:
    """Gaussian smoothing kernel, normalised to sum 1, of length ``2 * radius + 1``.

    radius defaults to ``ceil(3 * sigma)``, which keeps 99.7% of the bell.
    """
    if isinstance(sigma, bool) or not np.isscalar(sigma) or not sigma > 0:
        raise ValueError(tr("sigma must be a number > 0, got {sigma!r}").format(sigma=sigma))
    radius = int(np.ceil(3 * sigma)) if radius is None else check_int("radius", radius, 0)
    t = np.arange(-radius, radius + 1, dtype=float)
    w = np.exp(-0.5 * (t / sigma) ** 2)
    return w / w.sum()


def derivative() -> np.ndarray:
    """Centred difference ``[-1/2, 0, 1/2]``: ``out[i] = (x[i+1] - x[i-1]) / 2``.

    In units of the signal per sample. The order is for cross-correlation (cnnlab, PyTorch);
    a textbook convolution, which flips the kernel, would write it ``[1/2, 0, -1/2]``.
    """
    return np.array([-0.5, 0.0, 0.5])


def second_derivative() -> np.ndarray:
    """``[1, -2, 1]``: ``x[i-1] - 2 x[i] + x[i+1]``, the curvature (symmetric, so no flip issue)."""
    return np.array([1.0, -2.0, 1.0])


def derivative_of_gaussian(sigma: float, radius: int | None = None) -> np.ndarray:
    """Smoothing then differentiating, as one kernel of length ``2 * radius + 3``.

    Two filters in a row are one filter with a longer kernel: cross-correlating with g and
    then with d is cross-correlating with ``np.convolve(g, d)``, so
    ``filter_signal(filter_signal(x, g), d)`` equals ``filter_signal(x, derivative_of_gaussian(s))``
    away from the borders (g = ``gaussian(s)``, d = ``derivative()``).
    """
    return np.convolve(gaussian(sigma, radius), derivative())


#: Kernels by name, for the filter explorer: ``name -> function of an odd width >= 3``
#: (the derivative kernels have fixed length 3).
KERNELS = {
    "moving average": lambda width: moving_average(width),
    "gaussian": lambda width: gaussian(width / 6, radius=(width - 1) // 2),
    "derivative": lambda width: derivative(),
    "second derivative": lambda width: second_derivative(),
    "derivative of gaussian": lambda width: derivative_of_gaussian(
        width / 6, radius=(width - 3) // 2
    ),
}


def kernel(name: str, width: int = 9) -> np.ndarray:
    """A 1D kernel from ``KERNELS`` by name; ``width`` sets the smoothing kernels' length."""
    if name not in KERNELS:
        raise ValueError(
            tr("unknown kernel {name!r}; choose one of {names}").format(
                name=name, names=list(KERNELS)
            )
        )
    width = check_int("width", width, 3)
    return KERNELS[name](width)


# --- filtering ---------------------------------------------------------------------------


def centred_padding(k: int) -> tuple[int, int]:
    """Samples to pad (left, right) so a kernel of length ``k`` keeps a signal's length and
    each output sits under the input sample at the kernel's centre; for an even k the extra
    sample goes on the right.

    >>> centred_padding(3), centred_padding(4)
    ((1, 1), (1, 2))
    """
    k = check_int(tr("kernel length k"), k, 1)
    return (k - 1) // 2, k // 2


#: The paddings :func:`filter_signal` accepts, as a learner reads them (their values stay the
#: names the code uses).
PAD_NAMES = Messages(lambda: {"edge": tr("edge"), "zeros": tr("zeros"), "valid": tr("valid")})


def filter_signal(x, w, pad: str = "edge") -> np.ndarray:
    """Cross-correlate a signal with a 1D kernel, with ``cnnlab.conv1d``.

    x: (L,) one signal or (C, L) several, each filtered on its own; w: (K,) kernel.
    pad: ``"edge"`` repeats the first and last sample (no false jump at the borders),
    ``"zeros"`` pads with zeros as a CNN layer does, ``"valid"`` does not pad.
    Returns an array of x's shape (``"edge"``, ``"zeros"``) or of length ``L - K + 1``
    (``"valid"``). For an even K the extra padded sample goes on the right.
    """
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    if x.ndim not in (1, 2) or x.shape[-1] == 0:
        raise ValueError(
            tr("x must be a signal (L,) or signals (C, L), got shape {shape}").format(shape=x.shape)
        )
    if w.ndim != 1 or w.size == 0:
        raise ValueError(tr("w must be a 1D kernel (K,), got shape {shape}").format(shape=w.shape))
    if pad not in ("edge", "zeros", "valid"):
        raise ValueError(tr("pad must be 'edge', 'zeros' or 'valid', got {pad!r}").format(pad=pad))
    rows = x.reshape(-1, 1, x.shape[-1])  # every signal its own batch item: (C, 1, L)
    if pad != "valid":
        left, right = centred_padding(w.size)
        mode = "edge" if pad == "edge" else "constant"
        rows = np.pad(rows, ((0, 0), (0, 0), (left, right)), mode=mode)
    elif w.size > x.shape[-1]:
        raise ValueError(
            tr(
                "kernel of length {k} is longer than the signal ({length}): a 'valid' filter "
                "gives L - K + 1 = {n} samples; pad, or use a shorter kernel"
            ).format(k=w.size, length=x.shape[-1], n=x.shape[-1] - w.size + 1)
        )
    out = conv1d(rows, w[None, None])[:, 0]
    return out[0] if x.ndim == 1 else out


def find_events(score, threshold: float, refractory: int = 1) -> np.ndarray:
    """Indices where ``score`` rises through ``threshold`` (from below to at-or-above).

    refractory: after an event, ignore crossings in the next ``refractory - 1`` samples
    (a noisy rise can cross the line several times). Returns an int array of indices.
    """
    score = np.asarray(score, dtype=float)
    if score.ndim != 1:
        raise ValueError(tr("score must be 1D, got shape {shape}").format(shape=score.shape))
    refractory = check_int("refractory", refractory, 1)
    up = np.flatnonzero((score[1:] >= threshold) & (score[:-1] < threshold)) + 1
    kept: list[int] = []
    for i in up:
        if not kept or i - kept[-1] >= refractory:
            kept.append(int(i))
    return np.array(kept, dtype=int)


def amplitude_response(w, n_fft: int = 256):
    """What 1D kernels let through: the size of their response to a wave of each period.

    w: (K,) one kernel or (C, K) several. Returns (period, response): the periods in samples
    per cycle, (n_fft // 2,), longest first, and ``|DFT|`` of each kernel zero-padded to
    ``n_fft`` samples at those periods, (C, n_fft // 2) (or (n_fft // 2,) for one kernel).
    A kernel tuned to a rhythm peaks at that rhythm's period.
    """
    w = np.asarray(w, dtype=float)
    if w.ndim not in (1, 2) or w.shape[-1] == 0:
        raise ValueError(
            tr("w must be a kernel (K,) or kernels (C, K), got shape {shape}").format(shape=w.shape)
        )
    n_fft = check_int("n_fft", n_fft, max(2, w.shape[-1]))
    freq = np.fft.rfftfreq(n_fft)[1:]  # cycles per sample, without the constant term
    response = np.abs(np.fft.rfft(w, n=n_fft, axis=-1))[..., 1:]
    return 1 / freq, response
