"""Convolution and filters: named edge filters, how well they measure directions, learning a
filter and recovering an image from its responses, why two linear convolutions are one, and
learned filters next to designed ones.

Used by lesson 02 (02_convolution_filters); lesson 13 reuses ``plot.plot_conv_step`` on 1D
signals. Modules: ``kernels`` (Prewitt, Sobel, Scharr, ...), ``orientation`` (edge-direction
error), ``learning`` (learn_filter, reconstruct_from_responses), ``stacking``
(combine_kernels), ``learned`` (HED's edges next to Sobel's; VGG16's first-layer filters
sorted into edges and colours), ``plot``,
``check``, ``widgets``; all but the first four load on first use.
"""

from .. import lazy
from .kernels import (
    KERNELS,
    as_kernel2d,
    as_real_array,
    gaussian_blur,
    identity,
    kernel,
    laplacian,
    prewitt_x,
    prewitt_y,
    scharr_x,
    scharr_y,
    sobel_x,
    sobel_y,
)
from .learning import learn_filter, reconstruct_from_responses
from .orientation import orientation_error
from .stacking import combine_biases, combine_kernels

__all__ = [
    "KERNELS",
    "kernel",
    "prewitt_x",
    "prewitt_y",
    "sobel_x",
    "sobel_y",
    "scharr_x",
    "scharr_y",
    "laplacian",
    "gaussian_blur",
    "identity",
    "as_real_array",
    "as_kernel2d",
    "orientation_error",
    "learn_filter",
    "reconstruct_from_responses",
    "combine_kernels",
    "combine_biases",
]

__getattr__ = lazy.submodules(__name__)
