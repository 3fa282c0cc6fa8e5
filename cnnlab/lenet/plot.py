"""Pictures of lesson 06 (LeNet-5): learned filters, the feature maps of one image, a
convolution drawn as its fully connected weight matrix, and training curves.

Each ``plot_*`` returns a new Figure made outside pyplot (``cnnlab.drawing.figure``), from
cnnlab's own numbers (``layers.conv_as_matrix``, ``lenet.feature_maps``, ...).
"""

from __future__ import annotations

import matplotlib
import matplotlib.ticker
import numpy as np

from ..arith import conv_output_size
from ..drawing import figure, mosaic
from ..i18n import tr
from ..layers import conv_as_matrix


def plot_filters(w, title: str | None = None, size: float | None = None):
    """Every 5x5 (or KxK) slice of a conv layer's weights w (C_out, C_in, K, K).

    Column j is filter j; row i its slice for input channel i (one row when C_in = 1).
    Each filter is shown on its own symmetric colour scale: red positive, blue negative,
    white zero. size: inches per weight (default 0.12, or 0.08 for many input channels).
    Returns the Figure.
    """
    w = np.asarray(w, dtype=float)
    if w.ndim != 4:
        raise ValueError(
            tr("plot_filters expects w of shape (C_out, C_in, K, K), got {shape}").format(
                shape=w.shape
            )
        )
    c_out, c_in, k, _ = w.shape
    scale = np.abs(w).reshape(c_out, -1).max(axis=1)
    scale[scale == 0] = 1.0
    rows = [mosaic(w[:, i] / scale[:, None, None], vmax=1.0) for i in range(c_in)]
    pad = np.full((1, rows[0].shape[1]), np.nan)
    grid = np.vstack([r if i == 0 else np.vstack([pad, r]) for i, r in enumerate(rows)])
    px = size if size is not None else (0.08 if c_in > 1 else 0.12)  # inches per weight
    fig = figure((max(2.5, px * grid.shape[1] + 0.8), px * grid.shape[0] + 0.8))
    ax = fig.subplots()
    cmap = matplotlib.colormaps["RdBu_r"].with_extremes(bad="white")
    ax.imshow(grid, cmap=cmap, vmin=-1, vmax=1, interpolation="nearest")
    ax.set_xticks(
        [j * (k + 1) + (k - 1) / 2 for j in range(c_out)],
        [str(j) for j in range(c_out)],
        fontsize=7,
    )
    ax.set_yticks([i * (k + 1) + (k - 1) / 2 for i in range(c_in)] if c_in > 1 else [])
    ax.set_yticklabels(
        [tr("in {i}").format(i=i) for i in range(c_in)] if c_in > 1 else [], fontsize=7
    )
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.set_xlabel(tr("filter (output channel)"), fontsize=8)
    if c_in > 1:
        ax.set_ylabel(tr("input channel"), fontsize=8)
    if title:
        ax.set_title(title, fontsize=9)
    return fig


def plot_feature_maps(maps: dict, width: float = 7.5):
    """One row per stage of a network: every channel of the activations of one image.

    maps: {stage name: (C, H, W) array}, e.g. from ``cnnlab.lenet.feature_maps``. Each
    row's label gives the stage's shape as H x W x C. Activations are drawn on one
    symmetric grey scale per stage (black negative, white positive). Returns the Figure.
    """
    if not maps:
        raise ValueError(tr("plot_feature_maps needs at least one stage"))
    strips, labels = [], []
    for name, m in maps.items():
        m = np.asarray(m, dtype=float)
        if m.ndim != 3:
            raise ValueError(
                tr("stage {name!r} must be (C, H, W), got shape {shape}").format(
                    name=name, shape=m.shape
                )
            )
        strips.append(mosaic(m, vmax=np.abs(m).max() or 1.0))
        shown = tr("input") if name == "input" else name  # feature_maps' key for the image
        labels.append(f"{shown}\n{m.shape[1]}x{m.shape[2]}x{m.shape[0]}")
    longest = max(s.shape[1] for s in strips)
    heights = [s.shape[0] / longest * width for s in strips]
    fig = figure((width + 1.2, sum(heights) + 0.12 * len(strips) + 0.1))
    axes = fig.subplots(len(strips), 1, gridspec_kw={"height_ratios": heights}, squeeze=False)
    for ax, strip, label in zip(axes[:, 0], strips, labels):
        ax.imshow(
            strip,
            cmap="gray",
            vmin=-1,
            vmax=1,
            interpolation="nearest",
            extent=(0, strip.shape[1] / longest, strip.shape[0] / longest, 0),
        )
        ax.set_xlim(0, 1)
        ax.set_xticks([])
        ax.set_yticks([])
        for side in ax.spines.values():
            side.set_visible(False)
        ax.set_ylabel(label, rotation=0, ha="right", va="center", fontsize=8)
    fig.subplots_adjust(left=0.14, right=0.99, top=0.98, bottom=0.02, hspace=0.15)
    return fig


def plot_conv_matrix(n: int = 6, f: int = 3):
    """A 1-channel f x f convolution on an n x n image, drawn as the fully connected weight
    matrix that computes the same outputs (one row per output, one column per input).

    Each cell is coloured by which of the f*f kernel weights it holds, white when it holds
    none: most cells are empty (sparsity of connections) and the same f*f colours repeat on
    every row (parameter sharing). The matrix is ``layers.conv_as_matrix``'s, for a kernel
    whose weights are 1 ... f*f. Returns the Figure.
    """
    n_out = conv_output_size(n, f)  # raises a ValueError that explains when f > n
    taps = np.arange(1, f * f + 1, dtype=float).reshape(1, 1, f, f)
    m = conv_as_matrix(taps, n)
    m[m == 0] = np.nan
    fig = figure((min(9.0, 0.17 * n * n + 1), min(6.0, 0.17 * n_out * n_out + 0.9)))
    ax = fig.subplots()
    cmap = matplotlib.colormaps["tab10" if f * f <= 10 else "tab20"].resampled(f * f)
    cmap = cmap.with_extremes(bad="white")
    ax.imshow(m, cmap=cmap, vmin=0.5, vmax=f * f + 0.5, interpolation="nearest")
    ax.set_xticks(np.arange(m.shape[1] + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(m.shape[0] + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="0.85", lw=0.4)
    ax.tick_params(which="both", length=0)
    nnz = n_out * n_out * f * f
    ax.set_title(
        tr(
            "{f}x{f} conv on {n}x{n} as a {rows}x{cols} FC matrix:\n"
            "{nnz} of {total} weights nonzero ({share:.0%}), only {distinct} distinct"
        ).format(
            f=f,
            n=n,
            rows=n_out * n_out,
            cols=n * n,
            nnz=nnz,
            total=m.size,
            share=nnz / m.size,
            distinct=f * f,
        ),
        fontsize=9,
    )
    ax.set_xlabel(tr("input pixel (row-major, {count})").format(count=n * n), fontsize=8)
    ax.set_ylabel(tr("output ({count})").format(count=n_out * n_out), fontsize=8)
    ax.set_xticks([])
    ax.set_yticks([])
    return fig


def plot_histories(histories: dict, key: str = "val_acc", ylabel: str | None = None):
    """One curve per training run: ``histories`` maps a label to a history dict (from
    ``cnnlab.nets.fit`` or ``cnnlab.lenet.train``); plots ``history[key]`` per epoch.
    ylabel: the y axis's label (default "test accuracy"). Returns the Figure."""
    if not histories:
        raise ValueError(tr("plot_histories needs at least one history"))
    fig = figure((5.5, 3.2))
    ax = fig.subplots()
    for label, h in histories.items():
        if key not in h or not len(h[key]):
            raise ValueError(
                tr("history {label!r} has no {key!r} values; keys: {keys}").format(
                    label=label, key=key, keys=sorted(h)
                )
            )
        ax.plot(np.arange(1, len(h[key]) + 1), h[key], marker="o", ms=3, label=label)
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_xlabel(tr("epoch"))
    ax.set_ylabel(tr("test accuracy") if ylabel is None else ylabel)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
