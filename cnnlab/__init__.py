"""cnnlab: the helper package of an interactive course on convolutional networks.

NumPy reference (``arith``, ``conv``, ``pool``) imports fast and needs no PyTorch;
the PyTorch path (``nets``) is imported on first use, so ``cnnlab.device()`` works
without importing torch up front.
"""

from . import arith, conv, pool
from .arith import conv_macs, conv_output_size, conv_params, receptive_field, same_padding
from .conv import conv1d, conv2d, conv2d_backward, conv2d_naive, conv3d
from .pool import avg_pool2d, avg_pool2d_backward, max_pool2d, max_pool2d_backward

__version__ = "0.1.0"

__all__ = [
    "arith",
    "conv",
    "pool",
    "device",
    "conv_output_size",
    "same_padding",
    "receptive_field",
    "conv_params",
    "conv_macs",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv2d_naive",
    "conv2d_backward",
    "max_pool2d",
    "avg_pool2d",
    "max_pool2d_backward",
    "avg_pool2d_backward",
]


def device(verbose: bool = True):
    """The best torch device here: CUDA, then Apple's MPS, then the CPU (see nets.device)."""
    from .nets import device as _device

    return _device(verbose=verbose)


def __getattr__(name):
    # Lazy submodules (cnnlab.nets, cnnlab.plot, ...): importing torch or matplotlib costs
    # seconds, so they load on first use rather than with ``import cnnlab``.
    import importlib
    import importlib.util

    if not name.startswith("_") and importlib.util.find_spec(f"{__name__}.{name}") is not None:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'cnnlab' has no attribute {name!r}")
