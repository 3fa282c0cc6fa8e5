"""Upsampling with transposed convolutions: how evenly the stamps cover the output
(checkerboard artefacts) and bilinear upsampling as a transposed convolution with a fixed
kernel (what HED does to its side outputs). Used by the segmentation lesson.

>>> overlap_counts(3, k=3, s=2)[0].tolist()           # k = 3, s = 2: 1 and 2 alternate
[1.0, 1.0, 2.0, 1.0, 2.0, 1.0, 1.0]
>>> bilinear_kernel(2)[0].tolist()
[0.0625, 0.1875, 0.1875, 0.0625]
"""

from __future__ import annotations

import numpy as np

from ..conv_transpose import conv_transpose2d
from ..i18n import tr
from ..validate import as_real_array, check_int


def overlap_counts(n: int, k: int, s: int, p: int = 0, op: int = 0) -> np.ndarray:
    """How many stamps land on each output pixel when an n×n input is transposed-convolved
    with a k×k kernel at stride s, padding p, output padding op: ``conv_transpose2d`` of
    ones with a kernel of ones. Returns (out, out) floats."""
    n, k = check_int("n", n, 1), check_int("k", k, 1)
    ones = np.ones((1, 1, n, n))
    return conv_transpose2d(ones, np.ones((1, 1, k, k)), stride=s, padding=p, output_padding=op)[
        0, 0
    ]


def pattern_size(flat) -> float:
    """(max − min) / mean of an upsampled flat image, two pixels in from each side (where
    the border's missing stamps do not count): 0 for a perfectly flat output."""
    inner = as_real_array("flat", flat)[2:-2, 2:-2]
    if inner.size == 0:
        raise ValueError(
            tr("flat must be at least 5×5 to have an inside, got {shape}").format(
                shape=np.shape(flat)
            )
        )
    return float((inner.max() - inner.min()) / inner.mean())


def mean_pattern_size(
    k: int, s: int, p: int = 0, op: int = 0, n: int = 6, trials: int = 200, seed: int = 0
) -> float:
    """The average :func:`pattern_size` of a flat n×n input upsampled through ``trials``
    random k×k kernels with weights uniform in [0.5, 1.5]: how strong a checkerboard an
    untrained (or loosely trained) kernel leaves, on average, for these settings."""
    rng = np.random.default_rng(seed)
    flat = np.ones((1, 1, n, n))
    sizes = [
        pattern_size(
            conv_transpose2d(
                flat, rng.uniform(0.5, 1.5, (1, 1, k, k)), stride=s, padding=p, output_padding=op
            )[0, 0]
        )
        for _ in range(check_int("trials", trials, 1))
    ]
    return float(np.mean(sizes))


def bilinear_kernel(factor: int) -> np.ndarray:
    """(2·factor, 2·factor) weights of bilinear upsampling by ``factor`` as a transposed
    convolution (stride factor): the outer product of the tent 1 − |t − c| / factor sampled
    at the output pixels' centres."""
    factor = check_int("factor", factor, 1)
    t = np.arange(2 * factor) + 0.5
    tent = 1 - np.abs(t - factor) / factor
    return np.outer(tent, tent)


def bilinear_upsample(x, factor: int) -> np.ndarray:
    """Bilinear upsampling of (N, C, H, W) by an even ``factor`` (or 1) as a transposed
    convolution, every channel on its own (groups = C): the input's border pixels repeated
    once, then stride factor, kernel :func:`bilinear_kernel`, padding 3·factor/2.

    Matches ``torch.nn.functional.interpolate(x, scale_factor=factor, mode="bilinear",
    align_corners=False)``, which also repeats the border. Returns (N, C, H·f, W·f).
    """
    x = as_real_array("x", x)
    factor = check_int("factor", factor, 1)
    if x.ndim != 4:
        raise ValueError(tr("x must be (N, C, H, W), got shape {shape}").format(shape=x.shape))
    if factor % 2 and factor != 1:
        raise ValueError(
            tr("factor must be even (or 1) for a whole padding, got {factor}").format(factor=factor)
        )
    if factor == 1:
        return x.astype(float)
    c = x.shape[1]
    w = np.broadcast_to(bilinear_kernel(factor), (c, 1, 2 * factor, 2 * factor))
    edged = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)), mode="edge")
    return conv_transpose2d(edged, w, stride=factor, padding=3 * factor // 2, groups=c)
