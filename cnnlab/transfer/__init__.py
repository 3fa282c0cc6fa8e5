"""Transfer learning, data augmentation, ensembling and multi-crop testing (lesson 09).

Modules: ``freezing`` (the small CNN, frozen blocks, new heads, ImageNet weights on disk),
``experiment`` (every strategy on several training-set sizes), ``vgg_features`` (HED's VGG16
as a frozen or fine-tuned backbone on faces vs non-faces), ``augmentation`` (flips,
crops, rotations, colour shifts, test-time crops), ``ensembling`` (averaged softmax
outputs), ``plot``, ``check``.
"""

from .. import lazy
from .augmentation import (
    affine,
    augmenter,
    color_shift,
    crops,
    hflip,
    random_crop,
    random_rotation,
    random_shear,
)
from .ensembling import accuracy, ensemble_proba, predict_proba
from .experiment import subset_per_class, transfer_experiment
from .freezing import (
    BLOCKS,
    STRATEGIES,
    SmallCNN,
    count_trainable,
    freeze,
    imagenet_weights,
    transfer_model,
)

__all__ = [
    "BLOCKS",
    "STRATEGIES",
    "SmallCNN",
    "count_trainable",
    "freeze",
    "transfer_model",
    "imagenet_weights",
    "subset_per_class",
    "transfer_experiment",
    "hflip",
    "random_crop",
    "color_shift",
    "affine",
    "random_rotation",
    "random_shear",
    "augmenter",
    "crops",
    "predict_proba",
    "ensemble_proba",
    "accuracy",
]

__getattr__ = lazy.submodules(__name__)
