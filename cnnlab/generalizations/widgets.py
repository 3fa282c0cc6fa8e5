"""Explorers of lesson 13: a 1D kernel sliding along a recording, a CT volume slice by slice.

Each builds its controls with :func:`cnnlab.explorer.explorer` and draws with a pure
function of :mod:`cnnlab.generalizations.plot`.
"""

from __future__ import annotations

import ipywidgets as W

from ..explorer import choice, explorer, int_slider
from . import signals
from .plot import plot_signal_filter, plot_volume_slice
from .volumes import VIEWS, ct_phantom, edge_magnitude, sobel2d_bank


def signal_filter_explorer() -> W.VBox:
    """Filter a real recording with a 1D kernel: pick the signal, kernel, width, padding.

    Signals: the four EEG channels and the membrane potential; kernels:
    ``generalizations.KERNELS`` (width sets the smoothing kernels' length). Draws
    :func:`cnnlab.generalizations.plot.plot_signal_filter`.
    """
    eeg = signals.eeg()
    recordings = {
        name: (eeg[i], 1.0, "sample", "EEG") for i, name in enumerate(signals.EEG_CHANNELS)
    }
    recordings["membrane potential"] = (
        signals.membrane_potential(),
        signals.MEMBRANE_DT_MS,
        "ms",
        "mV",
    )
    controls = {
        "signal": choice(list(recordings), "PG3", "signal"),
        "kernel_name": choice(list(signals.KERNELS), "moving average", "kernel"),
        "width": int_slider("width", 9, 3, 41, step=2),
        "pad": choice(["edge", "zeros", "valid"], "edge", "padding"),
    }

    def draw(signal, kernel_name, width, pad):
        x, dt, unit, ylabel = recordings[signal]
        return plot_signal_filter(
            x,
            signals.kernel(kernel_name, width),
            pad=pad,
            dt=dt,
            unit=unit,
            ylabel=ylabel,
            title=f"{signal}, {kernel_name}",
        )

    return explorer(draw, controls, title="A 1D kernel sliding along a recording")


def volume_slice_explorer(size: int = 64) -> W.VBox:
    """Walk through the CT phantom slice by slice, with its 3D or per-slice 2D edge map.

    Controls: view (axial, coronal, sagittal), slice index, and the edge filter (3D Sobel
    3x3x3 or 2D Sobel 1x3x3 on each axial slice). Both edge maps are computed once and
    drawn on one grey scale, so they compare. Draws
    :func:`cnnlab.generalizations.plot.plot_volume_slice`.
    """
    volume = ct_phantom(size)
    maps = {
        "3D Sobel, 3x3x3": edge_magnitude(volume),
        # the 2D kernels weigh 4 times less (no smoothing across slices): rescale to compare
        "2D Sobel per slice, 1x3x3": 4 * edge_magnitude(volume, sobel2d_bank()),
    }
    top = max(float(m.max()) for m in maps.values())
    controls = {
        "view": choice(list(VIEWS), "coronal", "view"),
        "index": int_slider("slice", size // 2, 0, size - 1),
        "edges": choice(list(maps), next(iter(maps)), "edges"),
    }

    def draw(view, index, edges):
        return plot_volume_slice(
            volume, maps[edges], view, index, edge_max=top, edge_label=edges.split(",")[0]
        )

    return explorer(draw, controls, title="A CT volume, slice by slice")
