"""Neural style transfer: content cost, Gram matrices, style cost, the VGG16 network that
measures them, and the optimisation of the generated image. Used by lesson 12.

Modules: ``costs`` (the costs, NumPy and PyTorch, and the checks of their inputs), ``vgg``
(the feature network: trained VGG16 from HED, or the same layout with random weights as a
contrast; receptive fields), ``transfer`` (the optimisation loop, content reconstructions,
each layer's share of the style cost, style images), ``plot`` (pictures), ``check``
(exercise checkers).
"""

from .. import lazy
from .costs import (
    check_weight,
    checked_layer_weights,
    content_cost,
    content_cost_torch,
    gram_matrix,
    gram_matrix_torch,
    layer_style_cost,
    layer_style_cost_torch,
    style_cost,
    style_cost_torch,
    total_cost,
)
from .transfer import (
    CONTENT_LAYER,
    STYLE_IMAGES,
    STYLE_LAYERS,
    content_reconstruction,
    descend,
    layer_style_costs,
    style_image,
    style_targets,
    style_transfer,
    total_variation,
    transfer_cost,
)
from .vgg import SHORT, WEIGHTS, FeatureNet, feature_net, image_tensor, layer_receptive_field

__all__ = [
    "CONTENT_LAYER",
    "STYLE_IMAGES",
    "SHORT",
    "STYLE_LAYERS",
    "WEIGHTS",
    "FeatureNet",
    "check_weight",
    "checked_layer_weights",
    "content_cost",
    "content_cost_torch",
    "content_reconstruction",
    "descend",
    "feature_net",
    "gram_matrix",
    "gram_matrix_torch",
    "image_tensor",
    "layer_receptive_field",
    "layer_style_cost",
    "layer_style_cost_torch",
    "layer_style_costs",
    "style_cost",
    "style_cost_torch",
    "style_image",
    "style_targets",
    "style_transfer",
    "total_cost",
    "total_variation",
    "transfer_cost",
]

__getattr__ = lazy.submodules(__name__)
