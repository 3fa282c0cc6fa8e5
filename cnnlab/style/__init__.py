"""Neural style transfer: content cost, Gram matrices, style cost, the VGG network that
measures them, and the optimisation of the generated image. Used by lesson 12.

Modules: ``costs`` (the costs, NumPy and PyTorch), ``vgg`` (the feature network, receptive
fields, top patches), ``transfer`` (the optimisation loop, style images), ``plot``
(pictures), ``check`` (exercise checkers).
"""

from .. import lazy
from .costs import (
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
    descend,
    style_image,
    style_targets,
    style_transfer,
    total_variation,
    transfer_cost,
)
from .vgg import (
    IMAGENET_MEAN,
    IMAGENET_STD,
    VGG19_CFG,
    VGGFeatures,
    feature_net,
    find_vgg_weights,
    image_tensor,
    layer_names,
    layer_receptive_field,
    top_patches,
)

__all__ = [
    "CONTENT_LAYER",
    "IMAGENET_MEAN",
    "IMAGENET_STD",
    "STYLE_IMAGES",
    "STYLE_LAYERS",
    "VGG19_CFG",
    "VGGFeatures",
    "content_cost",
    "content_cost_torch",
    "descend",
    "feature_net",
    "find_vgg_weights",
    "gram_matrix",
    "gram_matrix_torch",
    "image_tensor",
    "layer_names",
    "layer_receptive_field",
    "layer_style_cost",
    "layer_style_cost_torch",
    "style_cost",
    "style_cost_torch",
    "style_image",
    "style_targets",
    "style_transfer",
    "top_patches",
    "total_cost",
    "total_variation",
    "transfer_cost",
]

__getattr__ = lazy.submodules(__name__)
