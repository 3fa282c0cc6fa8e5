"""cnnlab: the package behind an interactive course on convolutional networks.

The package is laid out like the course. The reference core and the shared bases sit at the
top; each topic of the course is one subpackage holding that topic's maths, its pictures
(``plot``), its exercise checkers (``check``) and its widgets (``widgets``).

The core (NumPy reference and PyTorch path), used by every lesson:

==================  ==========================================================================
``arith``           the notes' formulas: output size, same padding, receptive field, params, MACs
``conv``            convolution in NumPy, read top to bottom: loops, im2col, col2im, backward
``conv_fast``       the speed strategies ``conv`` runs (chunks, tap loop, transposed dx)
``conv_transpose``  transposed convolution (upsampling), three ways, forward and backward
``pool``            max and average pooling, forward and backward
``windows``         the sliding-window indexing conv and pool share
``layers``          CS231n-style layers: ``X_forward -> (out, cache)``, ``X_backward(dout, cache)``
``tables``          one layer-spec type and one table builder for every model
``nets``            the PyTorch path: ``device()``, ``seed_everything``, ``fit``, ``evaluate``
``data``            offline data: scikit-image photos, scikit-learn digits
==================  ==========================================================================

The shared bases: ``validate`` (input checks with messages that say what is valid),
``drawing`` (figures, value grids, image panels; the picture convention below), ``feedback``
(``Feedback`` and ``diagnose``, the core of every checker), ``explorer`` (controls + output +
in-place message, the scaffolding of every widget), ``frames`` (kernel-free explorers for
the book), ``lazy`` (submodules that load on first use), ``i18n`` (English or Vietnamese:
``cnnlab.set_language("vi")``), ``own_photo`` (a learner's own picture: read, checked,
uploaded, explored).

The topics, one subpackage each, in the order of the course:

======  ===========================================================  ====================
lesson  topic                                                        subpackage
======  ===========================================================  ====================
01      why CNNs: hand-made features vs learned ones                 ``features``
02      convolution and filters                                      ``filters``
03      padding, stride, dilation: the arithmetic explorer           ``arithmetic``
04      receptive field                                              ``receptive``
05      pooling and translation equivariance                         ``pooling``
06      LeNet-5 in NumPy and PyTorch                                 ``lenet``
07      classic networks, 1x1 convolutions, Inception                ``classic``
08      ResNet: residual blocks, shortcuts, degradation              ``resnet``
09      transfer learning and data augmentation                      ``transfer``
10      object detection: IoU, NMS, anchors, YOLO, mAP, faces         ``detection``
11      segmentation: transposed convolution, U-Net                  ``segmentation``
12      neural style transfer                                        ``style``
13      1D and 3D convolution (the notes' "generalizations")         ``generalizations``
======  ===========================================================  ====================

A lesson imports its topic: ``from cnnlab import detection`` gives ``detection.iou``,
``detection.plot.plot_nms``, ``detection.check.iou_by_hand`` and
``detection.widgets.nms_explorer``. Submodules load on first use, so ``import cnnlab`` is
quick and needs neither torch nor matplotlib.

Pictures follow one rule: ``plot_*(...)`` returns a new :class:`matplotlib.figure.Figure`
made outside pyplot (a notebook shows it as the cell's result; nothing calls ``plt.show``),
and ``draw_*(ax, ...)`` draws into an axes it is given.

>>> import cnnlab
>>> cnnlab.conv_output_size(7, 3, s=2)
3
>>> cnnlab.receptive_field([(3, 1)] * 4)[-1].size
9
"""

from . import arith, conv, conv_transpose, lazy, pool
from .arith import (
    conv_macs,
    conv_output_size,
    conv_params,
    conv_transpose_output_size,
    receptive_field,
    same_padding,
)
from .conv import (
    conv1d,
    conv1d_backward,
    conv2d,
    conv2d_backward,
    conv2d_naive,
    conv3d,
    conv3d_backward,
)
from .conv_transpose import (
    conv_transpose1d,
    conv_transpose2d,
    conv_transpose2d_backward,
    conv_transpose3d,
)
from .pool import avg_pool2d, avg_pool2d_backward, max_pool2d, max_pool2d_backward

__version__ = "0.1.0"

__all__ = [
    "arith",
    "conv",
    "pool",
    "device",
    "set_language",
    "conv_output_size",
    "same_padding",
    "receptive_field",
    "conv_params",
    "conv_macs",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv2d_naive",
    "conv1d_backward",
    "conv2d_backward",
    "conv3d_backward",
    "conv_transpose",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "conv_transpose2d_backward",
    "conv_transpose_output_size",
    "max_pool2d",
    "avg_pool2d",
    "max_pool2d_backward",
    "avg_pool2d_backward",
]


def set_language(language: str) -> None:
    """Make cnnlab speak "en" (English, the default) or "vi" (Vietnamese): hints, widget
    labels, messages (see cnnlab.i18n). The environment variable CNNLAB_LANG does the same."""
    from .i18n import set_language as _set

    _set(language)


def device(verbose: bool = True):
    """The best torch device here: CUDA, then Apple's MPS, then the CPU (see nets.device)."""
    from .nets import device as _device

    return _device(verbose=verbose)


# cnnlab.nets, cnnlab.detection, ...: importing torch or matplotlib costs seconds, so the
# submodules and topic packages load on first use rather than with ``import cnnlab``.
__getattr__ = lazy.submodules(__name__)
