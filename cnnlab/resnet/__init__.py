"""ResNet (lesson 08): plain and residual networks of the same depth, batch norm, vanishing
gradients and the degradation problem, identity and projection shortcuts, the bottleneck
block and its cost.

Modules: ``blocks`` (plain, residual and bottleneck blocks, the networks built from them),
``costs`` (a block's parameters and multiplications, layer by layer), ``degradation``
(gradient norms per layer, learning the identity, training-loss curves), ``plot``,
``check``.
"""

from .. import lazy
from .blocks import (
    SHORTCUTS,
    Block,
    BlockLayers,
    Bottleneck,
    Net,
    Residual,
    block_layers,
    depth,
    stage_sizes,
    weight_layers,
)
from .costs import LayerCost, block_costs, describe_layer, totals
from .degradation import (
    compare_depths,
    degradation_data,
    final_loss,
    fit_identity,
    gradient_norms,
    train_curves,
)

__all__ = [
    "SHORTCUTS",
    "Block",
    "BlockLayers",
    "block_layers",
    "Bottleneck",
    "Net",
    "Residual",
    "depth",
    "stage_sizes",
    "weight_layers",
    "LayerCost",
    "block_costs",
    "describe_layer",
    "totals",
    "gradient_norms",
    "fit_identity",
    "degradation_data",
    "train_curves",
    "final_loss",
    "compare_depths",
]

__getattr__ = lazy.submodules(__name__)
