"""ResNet (lesson 08): plain and residual networks of the same depth, vanishing gradients,
identity and projection shortcuts.

Modules: ``blocks`` (plain and residual blocks, the networks built from them),
``degradation`` (gradient norms per layer, learning the identity), ``plot``, ``check``.
"""

from .. import lazy
from .blocks import SHORTCUTS, Block, Net, depth, weight_layers
from .degradation import fit_identity, gradient_norms

__all__ = [
    "SHORTCUTS",
    "Block",
    "Net",
    "depth",
    "weight_layers",
    "gradient_norms",
    "fit_identity",
]

__getattr__ = lazy.submodules(__name__)
