"""The receptive field (lesson 04): by the formula, and measured by backpropagation.

Modules: ``stacks`` (how a stack of layers is written, its feature-map sizes), ``formula``
(size, jump and start per layer, the square one unit sees, the table), ``measured`` (the
empirical and effective receptive field, from gradients), ``side_outputs`` (HED's five side
outputs: their receptive fields against how coarse each looks; loads torch, so it is
imported on first use), ``plot``, ``check``, ``widgets``.
Lesson 07 uses the formula too ("why 3x3"); the layer table is ``cnnlab.tables``.

>>> from cnnlab import receptive
>>> receptive.receptive_box([(3, 1)] * 4, 13), receptive.stride1_size(4, 3)
((2, 2, 10, 10), 9)
"""

from .. import lazy
from ..tables import Layer
from .formula import (
    formula_receptive_field,
    layers_to_see,
    receptive_box,
    receptive_table,
    stride1_size,
)
from .measured import (
    effective_receptive_field,
    empirical_receptive_field,
    input_gradient,
    missing_pixels,
)
from .stacks import KINDS, feature_map_sizes, make_stack, output_unit, parse_layer, parse_layers

__all__ = [
    "KINDS",
    "Layer",
    "parse_layers",
    "parse_layer",
    "make_stack",
    "feature_map_sizes",
    "output_unit",
    "formula_receptive_field",
    "receptive_box",
    "stride1_size",
    "layers_to_see",
    "receptive_table",
    "input_gradient",
    "empirical_receptive_field",
    "effective_receptive_field",
    "missing_pixels",
]

__getattr__ = lazy.submodules(__name__)
