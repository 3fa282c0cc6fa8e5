"""Explorers of lesson 13: a 1D kernel sliding along a recording, a CT volume slice by slice.

Each builds its controls with :func:`cnnlab.explorer.explorer` and draws with a pure
function of :mod:`cnnlab.generalizations.plot`.
"""

from __future__ import annotations

import ipywidgets as W

from ..explorer import choice, explorer, int_slider
from ..i18n import tr
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
    recordings = {name: (eeg[i], 1.0, None, "EEG") for i, name in enumerate(signals.EEG_CHANNELS)}
    recordings["membrane potential"] = (
        signals.membrane_potential(),
        signals.MEMBRANE_DT_MS,
        "ms",
        "mV",
    )
    shown = {  # what the buttons say; their values stay the names the code uses
        "membrane potential": tr("membrane potential"),
        "moving average": tr("moving average"),
        "gaussian": tr("gaussian"),
        "derivative": tr("derivative"),
        "second derivative": tr("second derivative"),
        "derivative of gaussian": tr("derivative of gaussian"),
        **signals.PAD_NAMES,
    }
    controls = {
        "signal": choice(_labelled(recordings, shown), "PG3", tr("signal")),
        "kernel_name": choice(_labelled(signals.KERNELS, shown), "moving average", tr("kernel")),
        "width": int_slider(tr("width"), 9, 3, 41, step=2),
        "pad": choice(_labelled(["edge", "zeros", "valid"], shown), "edge", tr("padding")),
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
            title=f"{shown.get(signal, signal)}, {shown.get(kernel_name, kernel_name)}",
        )

    return explorer(draw, controls, title=tr("A 1D kernel sliding along a recording"))


def _labelled(values, shown: dict) -> list[tuple[str, str]]:
    """(label, value) pairs for toggle buttons: ``shown[value]`` where there is one."""
    return [(shown.get(v, v), v) for v in values]


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
    shown = {
        "axial": tr("axial"),
        "coronal": tr("coronal"),
        "sagittal": tr("sagittal"),
        "3D Sobel, 3x3x3": tr("3D Sobel, 3x3x3"),
        "2D Sobel per slice, 1x3x3": tr("2D Sobel per slice, 1x3x3"),
    }
    controls = {
        "view": choice(_labelled(VIEWS, shown), "coronal", tr("view")),
        "index": int_slider(tr("slice"), size // 2, 0, size - 1),
        "edges": choice(_labelled(maps, shown), next(iter(maps)), tr("edges")),
    }

    def draw(view, index, edges):
        return plot_volume_slice(
            volume, maps[edges], view, index, edge_max=top, edge_label=shown[edges].split(",")[0]
        )

    return explorer(draw, controls, title=tr("A CT volume, slice by slice"))
