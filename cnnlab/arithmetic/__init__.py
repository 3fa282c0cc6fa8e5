"""Convolution arithmetic: padding, stride and dilation, where the windows fall, and the
output-size explorer.

Used by lesson 03 (03_padding_stride_dilation). The formulas themselves (output size,
"same" padding, effective kernel) are :mod:`cnnlab.arith`'s. Modules: ``windows``
(window_counts, dropped_rows), ``plot``, ``check``, ``widgets``.
"""

from .. import lazy
from .windows import dropped_rows, window_counts

__all__ = ["window_counts", "dropped_rows"]

__getattr__ = lazy.submodules(__name__)
