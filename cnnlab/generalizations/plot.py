"""Pictures of convolution in 1D and 3D (lesson 13): recordings, a 1D filter at work, the
burst-detection examples, learned 1D kernels, and slices through a volume.

``plot_*`` functions return a new :class:`matplotlib.figure.Figure` (outside pyplot, see
:mod:`cnnlab.drawing`); ``draw_*(ax, ...)`` draw into an axes they are given.
"""

from __future__ import annotations

import numpy as np

from ..drawing import figure
from .signals import amplitude_response, filter_signal
from .volumes import VIEWS, slice_of


def _time_axis(n: int, dt: float, start: int = 0):
    return (start + np.arange(n)) * dt


# --- 1D signals ---------------------------------------------------------------------------


def plot_signals(
    signals,
    labels=None,
    *,
    dt: float = 1.0,
    unit: str = "sample",
    spans=None,
    title=None,
    height: float = 0.9,
    width: float = 8.0,
):
    """Stacked traces on a shared time axis, one axes per signal.

    signals: (C, L) array or a list of 1D arrays of equal length; labels: one per signal;
    dt: time per sample, so the x axis reads in ``unit``; spans: (start, stop) sample
    ranges to shade on every trace (e.g. a split into blocks, or where an event is).
    Returns the Figure.
    """
    rows = [np.asarray(s, dtype=float) for s in signals]
    if not rows or any(r.ndim != 1 or r.size != rows[0].size for r in rows):
        raise ValueError(
            f"signals must be 1D arrays of one length, got shapes {[r.shape for r in rows]}"
        )
    if labels is not None and len(labels) != len(rows):
        raise ValueError(f"got {len(labels)} labels for {len(rows)} signals")
    fig = figure((width, height * len(rows) + 0.6))
    axes = fig.subplots(len(rows), 1, sharex=True, squeeze=False)[:, 0]
    t = _time_axis(rows[0].size, dt)
    for i, (ax, r) in enumerate(zip(axes, rows)):
        ax.plot(t, r, lw=0.7, color="tab:blue")
        for lo, hi in spans or ():
            ax.axvspan(lo * dt, hi * dt, color="tab:orange", alpha=0.15, lw=0)
        if labels is not None:
            ax.set_ylabel(labels[i], rotation=0, ha="right", va="center", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.margins(x=0)
    axes[-1].set_xlabel(unit, fontsize=8)
    if title:
        axes[0].set_title(title, fontsize=9)
    height = fig.get_figheight()
    fig.subplots_adjust(
        left=0.1, right=0.99, top=1 - 0.35 / height, bottom=0.45 / height, hspace=0.15
    )
    return fig


def draw_kernel_1d(ax, w):
    """A 1D kernel w (K,) as stems over its offsets from the centre, its numbers written
    when K <= 7. Returns the axes."""
    w = np.asarray(w, dtype=float)
    k = np.arange(w.size) - (w.size - 1) // 2
    ax.axhline(0, color="0.6", lw=0.6)
    ax.vlines(k, 0, w, color="tab:orange", lw=2)
    ax.plot(k, w, "o", color="tab:orange", ms=3)
    if w.size <= 7:
        for kk, v in zip(k, w):
            ax.annotate(
                f"{v:.2g}",
                (kk, v),
                xytext=(0, 5 if v >= 0 else -10),
                textcoords="offset points",
                ha="center",
                fontsize=6,
            )
    ax.set_title(f"kernel w, K = {w.size}", fontsize=8)
    ax.set_xlabel("k (offset from centre)", fontsize=7)
    ax.margins(x=0.25, y=0.25)
    ax.tick_params(labelsize=7)
    return ax


def plot_signal_filter(
    x,
    w,
    *,
    pad: str = "edge",
    dt: float = 1.0,
    unit: str = "sample",
    ylabel: str = "",
    out_label: str = "output",
    window=None,
    title=None,
):
    """A 1D signal, a kernel, and the filtered signal ``generalizations.filter_signal(x, w,
    pad)``.

    x: (L,) signal; w: (K,) kernel (its numbers are written when K <= 7); window:
    optional (start, stop) range of samples to show (the whole signal is filtered, so the
    borders behave as they do for the full signal). With ``pad="valid"`` the output is
    K - 1 samples shorter and is drawn under the input samples it is centred on.
    Returns the Figure.
    """
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    y = filter_signal(x, w, pad=pad)  # validates x, w and pad
    offset = (w.size - 1) // 2 if pad == "valid" else 0
    lo, hi = (0, x.size) if window is None else window
    if not 0 <= lo < hi <= x.size:
        raise ValueError(
            f"window must be (start, stop) with 0 <= start < stop <= {x.size}, got {window!r}"
        )
    fig = figure((8.0, 3.0))
    grid = fig.add_gridspec(2, 2, width_ratios=(1, 4.2), wspace=0.25, hspace=0.12)
    draw_kernel_1d(fig.add_subplot(grid[:, 0]), w)
    axx = fig.add_subplot(grid[0, 1])
    axy = fig.add_subplot(grid[1, 1], sharex=axx)
    t = _time_axis(x.size, dt)
    axx.plot(t[lo:hi], x[lo:hi], lw=0.8, color="tab:blue")
    axx.set_ylabel(ylabel or "input x", fontsize=8)
    ty = _time_axis(y.size, dt, start=offset)
    keep = (ty >= lo * dt) & (ty < hi * dt)
    axy.plot(ty[keep], y[keep], lw=0.8, color="tab:green")
    axy.set_ylabel(out_label, fontsize=8)
    axy.set_xlabel(unit, fontsize=8)
    axx.tick_params(labelbottom=False, labelsize=7)
    axy.tick_params(labelsize=7)
    axx.set_xlim(lo * dt, (hi - 1) * dt)
    lengths = f"L = {x.size} → {y.size} samples, padding: {pad}"
    axx.set_title(f"{title}  ({lengths})" if title else lengths, fontsize=8)
    fig.subplots_adjust(left=0.08, right=0.99, top=0.9, bottom=0.16)
    return fig


# --- the burst-detection task -------------------------------------------------------------


def plot_burst_examples(x, y, start, *, width: int = 32, proba=None, cols: int = 4, rows: int = 2):
    """The first ``rows * cols`` windows of a burst-detection set, the burst shaded.

    x: (N, 1, L); y: (N,) labels; start: (N,) burst starts (-1 for none), as returned by
    ``generalizations.burst_dataset``; proba: optional (N,) predicted probability of a
    burst, written in each title. Returns the Figure.
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 3 or x.shape[1] != 1:
        raise ValueError(f"x must be (N, 1, L) windows, got shape {x.shape}")
    n = min(rows * cols, len(x))
    fig = figure((2.0 * cols, 1.3 * rows + 0.2))
    axes = fig.subplots(rows, cols, sharey=True, squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.set_xticks([])
        ax.tick_params(labelsize=6)
        if i >= n:
            ax.axis("off")
            continue
        ax.plot(x[i, 0], lw=0.8, color="tab:blue")
        if start[i] >= 0:
            ax.axvspan(start[i], start[i] + width - 1, color="tab:orange", alpha=0.25, lw=0)
        label = "burst" if y[i] else "no burst"
        if proba is not None:
            label += f", p(burst) = {proba[i]:.2f}"
        ax.set_title(label, fontsize=7)
        ax.margins(x=0)
    fig.subplots_adjust(left=0.05, right=0.99, top=0.9, bottom=0.04, hspace=0.35, wspace=0.08)
    return fig


def draw_amplitude_response(ax, w, band=None):
    """Each 1D kernel's amplitude response (:func:`generalizations.amplitude_response`)
    against the period it responds to, on a log axis of 2 to 64 samples per cycle.

    w: (C, K) kernels, kernel i drawn in colour ``C{i}``; band: optional (shortest,
    longest) period to shade. Returns the axes.
    """
    period, resp = amplitude_response(w)
    for i, r in enumerate(resp):
        ax.plot(period, r, lw=1, color=f"C{i % 10}")
    if band is not None:
        ax.axvspan(*band, color="tab:orange", alpha=0.2, lw=0, label="the bursts' periods")
        ax.legend(fontsize=7, loc="upper right")
    ax.set_xscale("log")
    ax.set_xlim(2, 64)
    ticks = [2, 3, 4, 5, 6, 8, 12, 16, 32, 64]
    ax.set_xticks(ticks, [str(t) for t in ticks])
    ax.minorticks_off()
    ax.set_xlabel("period (samples per cycle)", fontsize=8)
    ax.set_ylabel("|response|", fontsize=8)
    ax.tick_params(labelsize=7)
    return ax


def plot_kernels_1d(w, band=None, title=None):
    """Learned 1D kernels and what they let through.

    w: (C_out, 1, K) weights of a first Conv1d layer. Top: each kernel. Bottom: each
    kernel's amplitude response ``|DFT|`` against the period it responds to (in samples),
    so a kernel tuned to a rhythm peaks at that rhythm's period. band: optional
    (shortest, longest) period to shade. Returns the Figure.
    """
    w = np.asarray(w, dtype=float)
    if w.ndim != 3 or w.shape[1] != 1:
        raise ValueError(f"w must be (C_out, 1, K), got shape {w.shape}")
    c = w.shape[0]
    fig = figure((max(6.0, 0.95 * c), 3.4))
    grid = fig.add_gridspec(2, c, height_ratios=(1, 1.5), hspace=0.55, wspace=0.1)
    for i in range(c):
        ax = fig.add_subplot(grid[0, i])
        ax.axhline(0, color="0.7", lw=0.5)
        ax.plot(w[i, 0], "o-", ms=2, lw=1, color=f"C{i % 10}")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(f"kernel {i}", fontsize=7)
    draw_amplitude_response(fig.add_subplot(grid[1, :]), w[:, 0], band)
    if title:
        fig.suptitle(title, fontsize=9)
    fig.subplots_adjust(left=0.07, right=0.99, top=0.86 if title else 0.92, bottom=0.14)
    return fig


# --- 3D volumes ---------------------------------------------------------------------------


def draw_slice(ax, volume, axis, index, center=None, vmin=None, vmax=None, cmap="gray"):
    """The slice of a (D, H, W) volume at ``index`` along ``axis`` (0 axial, 1 coronal,
    2 sagittal; :func:`generalizations.slice_of`), titled with its view and position.

    center: optional voxel (z, y, x): dotted lines mark where the other two views through
    it cut this one. vmin, vmax: the grey scale. Returns the AxesImage.
    """
    im = ax.imshow(
        slice_of(volume, axis, index), cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest"
    )
    if center is not None:
        others = [a for a in range(3) if a != axis]
        ax.axhline(center[others[0]], color="tab:orange", lw=0.6, ls=":")
        ax.axvline(center[others[1]], color="tab:orange", lw=0.6, ls=":")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(f"{VIEWS[axis]}, {'zyx'[axis]} = {index}", fontsize=8)
    return im


def plot_volume_views(volumes: dict, center, *, ranges=None, size: float = 2.2):
    """Three orthogonal slices through ``center`` of each volume: axial, coronal, sagittal.

    volumes: {row label: (D, H, W) array}, all the same shape; center: voxel (z, y, x)
    the slices pass through (dotted lines show where the other two views cut);
    ranges: {row label: (vmin, vmax)} grey scales, default each volume's own range.
    Returns the Figure.
    """
    arrays = {k: np.asarray(v, dtype=float) for k, v in volumes.items()}
    if not arrays or any(v.ndim != 3 for v in arrays.values()):
        raise ValueError("volumes must be a non-empty dict of (D, H, W) arrays")
    shape = next(iter(arrays.values())).shape
    if any(v.shape != shape for v in arrays.values()):
        raise ValueError(f"volumes must share one shape, got {[v.shape for v in arrays.values()]}")
    center = tuple(int(c) for c in center)
    if len(center) != 3 or not all(0 <= c < n for c, n in zip(center, shape)):
        raise ValueError(f"center must be a voxel (z, y, x) inside {shape}, got {center}")
    fig = figure((3 * size + 1.1, size * len(arrays) + 0.1))
    axes = fig.subplots(len(arrays), 3, squeeze=False)
    for row, (name, v) in zip(axes, arrays.items()):
        lo, hi = (ranges or {}).get(name, (v.min(), v.max()))
        for axis in range(3):
            draw_slice(row[axis], v, axis, center[axis], center, lo, hi)
        row[0].set_ylabel(name, fontsize=8)
    fig.subplots_adjust(
        left=1.0 / fig.get_figwidth(), right=0.99, top=0.93, bottom=0.01, wspace=0.05, hspace=0.2
    )
    return fig


def plot_volume_slice(
    volume,
    edges,
    view: str = "axial",
    index: int = 0,
    *,
    vmin: float = -1000.0,
    vmax: float = 800.0,
    edge_max=None,
    edge_label: str = "edge strength",
):
    """One slice of a volume and the same slice of its edge map, side by side.

    volume, edges: (D, H, W) arrays; view: "axial", "coronal" or "sagittal" (fix z, y or
    x); index: which slice (0 .. size - 1, else ValueError naming the range).
    edge_max: top of the edge map's grey scale (default its largest value, so two edge
    maps drawn with one edge_max compare). Returns the Figure.
    """
    if view not in VIEWS:
        raise ValueError(f"view must be one of {VIEWS}, got {view!r}")
    volume, edges = np.asarray(volume, dtype=float), np.asarray(edges, dtype=float)
    if volume.shape != edges.shape:
        raise ValueError(f"volume {volume.shape} and edges {edges.shape} must have one shape")
    axis = VIEWS.index(view)
    fig = figure((6.0, 3.2))
    ax0, ax1 = fig.subplots(1, 2)
    draw_slice(ax0, volume, axis, index, None, vmin, vmax)
    top = float(edges.max()) if edge_max is None else edge_max
    draw_slice(ax1, edges, axis, index, None, 0.0, top or 1.0, cmap="magma")
    ax0.set_title(f"CT, {ax0.get_title()} (HU {vmin:g} to {vmax:g})", fontsize=8)
    ax1.set_title(f"{edge_label}, {ax1.get_title()}", fontsize=8)
    fig.subplots_adjust(left=0.01, right=0.99, top=0.9, bottom=0.02, wspace=0.04)
    return fig
