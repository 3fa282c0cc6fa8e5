"""LeNet-5 (lesson 06): a classic ConvNet built twice, in NumPy on ``cnnlab.layers`` and in
PyTorch, computing the same function.

Modules: ``architecture`` (LeNet-5's rows, ``LENET5``), ``inputs`` (8x8 digits to 32x32),
``reference`` (the NumPy net: forward, backward, SGD), ``model`` (the PyTorch ``LeNet5``,
weight copying, feature maps), ``plot``, ``check`` (with ``backward_check``: the exercise
that has the learner write the convolution's backward pass, checked by gradient checks). Its per-layer table is
``cnnlab.tables`` (``tables.summary(lenet.LeNet5(), layout=tables.SHAPES)``).

>>> from cnnlab import lenet
>>> [layer.name for layer in lenet.LENET5]
['conv1', 'pool1', 'conv2', 'pool2', 'fc3', 'fc4', 'fc5']
"""

from .. import lazy
from .architecture import LENET5, LENET5_GAP, LENET5_INPUT, lenet5
from .inputs import interp_matrix, upsample
from .model import LeNet5, feature_maps, params_from_torch, params_to_torch, random_resize
from .reference import (
    ACTIVATIONS,
    POOLS,
    backward,
    check_choice,
    forward,
    init_params,
    loss_and_grads,
    predict,
    sgd_epoch,
    train,
)

__all__ = [
    "LENET5",
    "LENET5_GAP",
    "LENET5_INPUT",
    "lenet5",
    "upsample",
    "interp_matrix",
    "ACTIVATIONS",
    "POOLS",
    "check_choice",
    "init_params",
    "forward",
    "backward",
    "loss_and_grads",
    "predict",
    "train",
    "sgd_epoch",
    "LeNet5",
    "params_from_torch",
    "params_to_torch",
    "feature_maps",
    "random_resize",
]

__getattr__ = lazy.submodules(__name__)
