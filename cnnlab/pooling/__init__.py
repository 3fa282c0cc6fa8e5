"""Pooling, downsampling and translation equivariance (lesson 05).

Modules: ``grids`` (pooling one 2D grid, window by window), ``equivariance`` (shifts and
F(T(x)) = T(F(x)), measured), ``robustness`` (how pooling tolerates small shifts), ``speed``
(what the smaller map saves the next conv layer, counted and timed), ``plot``, ``check``
(with ``backward_check``, the checker of the learner's max-pooling backward pass),
``widgets``. The pooling layers themselves are ``cnnlab.pool``.

>>> from cnnlab import pooling
>>> pooling.shift([[1, 2, 3]], 0, 1)
array([[3, 1, 2]])
"""

from .. import lazy
from .equivariance import (
    SHIFT_MODES,
    circular_conv2d,
    closest_shift,
    equivariance_error,
    equivariance_sides,
    shift,
    shifted_outputs,
    wrap_pad,
)
from .grids import POOL_MODES, covered, pool_grid, pooling_window
from .robustness import POOLS, feature_map, shift_robustness

__all__ = [
    "SHIFT_MODES",
    "shift",
    "wrap_pad",
    "circular_conv2d",
    "shifted_outputs",
    "equivariance_error",
    "closest_shift",
    "equivariance_sides",
    "POOL_MODES",
    "pool_grid",
    "pooling_window",
    "covered",
    "POOLS",
    "feature_map",
    "shift_robustness",
]

__getattr__ = lazy.submodules(__name__)
