"""Hand-made image features: what computer vision used before ConvNets learned their own.

The traditional pipeline has two separate stages. A person designs a fixed recipe that
turns an image into a vector of numbers (a *feature*), from intuition about what should
matter: the colours present (``colour_histogram``), the directions of the edges (``hog``),
which small patterns occur and how often (``patch_codebook`` + ``bag_of_words``). Then a
classifier is trained on those vectors (``linear_classifier``). Only the second stage learns
from data; whatever the recipe throws away is lost for good. A ConvNet instead learns its
filters and its classifier together, end to end.

Used by lesson 01 (01_why_cnn). Modules: ``descriptors`` (colour_histogram, hog),
``visual_words`` (patch_codebook, bag_of_words), ``pipeline`` (feature_matrix,
linear_classifier), ``plot``, ``check``.
"""

from .. import lazy
from .descriptors import colour_histogram, hog
from .pipeline import feature_matrix, linear_classifier
from .visual_words import bag_of_words, patch_codebook

__all__ = [
    "colour_histogram",
    "hog",
    "feature_matrix",
    "patch_codebook",
    "bag_of_words",
    "linear_classifier",
]

__getattr__ = lazy.submodules(__name__)
