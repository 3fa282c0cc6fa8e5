"""The notes' "1D and 3D generalizations" of convolution: 1D signals (EEG, a neuron's
membrane potential, 1D filters, a burst-detection task) and 3D volumes (a CT-like phantom,
3D edge filters). Used by lesson 13.

Modules: ``signals`` (recordings, 1D kernels, filtering), ``ecg`` (a synthetic ECG and a
matched filter that finds its beats), ``bursts`` (the EEG burst task),
``volumes`` (the CT phantom, 3D Sobel, slices), ``plot`` (pictures), ``check`` (exercise
checkers), ``widgets`` (explorers).
"""

from .. import lazy
from .bursts import (
    TEST_BLOCKS,
    TRAIN_BLOCKS,
    accuracy_at,
    best_threshold,
    burst,
    burst_dataset,
    burst_score,
)
from .ecg import ECG_RATE, detect_beats, match_beats, qrs_kernel, synthetic_ecg
from .signals import (
    EEG_CHANNELS,
    EEG_SECONDS,
    KERNELS,
    MEMBRANE_DT_MS,
    amplitude_response,
    centred_padding,
    derivative,
    derivative_of_gaussian,
    eeg,
    filter_signal,
    find_events,
    gaussian,
    kernel,
    membrane_potential,
    moving_average,
    second_derivative,
)
from .volumes import (
    AXES,
    HU,
    NODULE,
    VIEWS,
    ct_phantom,
    edge_magnitude,
    nodule_voxel,
    slice_of,
    sobel2d_bank,
    sobel3d,
    sobel3d_bank,
)

__all__ = [
    "ECG_RATE",
    "detect_beats",
    "match_beats",
    "qrs_kernel",
    "synthetic_ecg",
    "AXES",
    "EEG_CHANNELS",
    "EEG_SECONDS",
    "HU",
    "KERNELS",
    "MEMBRANE_DT_MS",
    "NODULE",
    "TEST_BLOCKS",
    "TRAIN_BLOCKS",
    "VIEWS",
    "accuracy_at",
    "amplitude_response",
    "best_threshold",
    "burst",
    "burst_dataset",
    "burst_score",
    "centred_padding",
    "ct_phantom",
    "derivative",
    "derivative_of_gaussian",
    "edge_magnitude",
    "eeg",
    "filter_signal",
    "find_events",
    "gaussian",
    "kernel",
    "membrane_potential",
    "moving_average",
    "nodule_voxel",
    "second_derivative",
    "slice_of",
    "sobel2d_bank",
    "sobel3d",
    "sobel3d_bank",
]

__getattr__ = lazy.submodules(__name__)
