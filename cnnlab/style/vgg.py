"""The measuring instrument of style transfer: a VGG19-style feature network (lesson 12).

Features come from VGG19's convolutional layers (:class:`VGGFeatures`, built by
:func:`feature_net`). Pretrained ImageNet weights are used only when a VGG checkpoint is
already in the local torch hub cache (nothing is downloaded); otherwise the network keeps
**random weights**, which still capture texture statistics (Ustyuzhaninov et al. 2016,
"Texture synthesis using shallow convolutional networks with random filters"; He, Wang &
Hopcroft 2016, "A powerful generative model using random weights for the deep image
representation").

Also here: what one unit of the network sees, its receptive field
(:func:`layer_receptive_field`) and the image patches that excite it most
(:func:`top_patches`, after Zeiler & Fergus 2013).

>>> [layer_receptive_field(f"conv{block}_1") for block in (1, 2, 3, 4)]
[3, 10, 24, 68]
"""

from __future__ import annotations

import glob
import os

import numpy as np
import torch
from torch import nn

from ..arith import receptive_field

# VGG19's convolutional part, as in torchvision ("M" = 2x2 pooling); layer names as in the
# style-transfer literature: conv{block}_{index in block}
VGG19_CFG = (64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M",
             512, 512, 512, 512)  # fmt: skip
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


def layer_names(cfg=VGG19_CFG) -> list[str]:
    """Names of the modules of a VGG configuration, in order: ``conv1_1``, ``relu1_1``, ...,
    ``pool1``, ``conv2_1``, ... (one conv and one relu per number, one pool per "M")."""
    names, block, idx = [], 1, 0
    for v in cfg:
        if v == "M":
            names.append(f"pool{block}")
            block, idx = block + 1, 0
        else:
            idx += 1
            names += [f"conv{block}_{idx}", f"relu{block}_{idx}"]
    return names


def layer_receptive_field(layer: str) -> int:
    """Receptive field side, in input pixels, of one unit of VGG19's ``layer`` (e.g.
    ``"conv4_1"``): 3x3 convolutions (stride 1) and 2x2 poolings (stride 2) up to it, by
    :func:`cnnlab.arith.receptive_field`. Returns an int."""
    modules = [n for n in layer_names() if not n.startswith("relu")]  # a ReLU sees 1x1
    conv = layer.replace("relu", "conv")
    if not conv.startswith("conv") or conv not in modules:
        raise ValueError(
            f"unknown layer {layer!r}; choose from the conv layers "
            f"{[n for n in modules if n.startswith('conv')]}"
        )
    upto = modules[: modules.index(conv) + 1]
    # (kernel, stride, dilation, padding) of each 3x3 convolution, (kernel, stride) of a pool
    stack = [(3, 1, 1, 1) if n.startswith("conv") else (2, 2) for n in upto]
    return receptive_field(stack)[-1].size


class VGGFeatures(nn.Module):
    """VGG19's convolutional layers (torchvision's ``features`` indices, so a torchvision
    checkpoint loads as is), optionally narrower (``width`` scales every channel count) and
    with average pooling (smoother gradients for image optimisation, as Gatys et al. use).

    ``forward(x, layers)`` returns {name: activation} for the named layers (e.g.
    ``"conv4_1"``; the activation after its ReLU, (N, C, H', W')), running only as deep as
    needed. Input x: (N, 3, H, W) in [0, 1]; ImageNet normalisation is applied inside.
    """

    def __init__(self, width: float = 1.0, pool: str = "avg"):
        super().__init__()
        if pool not in ("avg", "max"):
            raise ValueError(f"pool must be 'avg' or 'max', got {pool!r}")
        cfg = [v if v == "M" else max(1, round(v * width)) for v in VGG19_CFG]
        layers, c_in = [], 3
        for v in cfg:
            if v == "M":
                layers.append(nn.AvgPool2d(2) if pool == "avg" else nn.MaxPool2d(2))
            else:
                layers += [nn.Conv2d(c_in, v, 3, padding=1), nn.ReLU()]
                c_in = v
        self.features = nn.Sequential(*layers)
        self.names = layer_names(cfg)
        self.source = "random weights"
        self.register_buffer("mean", torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(IMAGENET_STD).view(1, 3, 1, 1))

    def forward(self, x, layers):
        wanted = {n.replace("relu", "conv") for n in layers}
        bad = wanted - set(self.names)
        if bad:
            raise ValueError(
                f"unknown layers {sorted(bad)}; choose from the conv layers "
                f"{[n for n in self.names if n.startswith('conv')]}"
            )
        out, h = {}, (x - self.mean) / self.std
        for name, layer in zip(self.names, self.features, strict=True):
            h = layer(h)
            if name.startswith("relu") and name.replace("relu", "conv") in wanted:
                out[name.replace("relu", "conv")] = h
                if len(out) == len(wanted):
                    break
        return out


def find_vgg_weights() -> str | None:
    """Path of a VGG19 ImageNet checkpoint already on this machine, or None.

    Tries ``import torchvision`` (its models download into the torch hub cache) and looks
    in the torch hub cache (``torch.hub.get_dir()/checkpoints``) for ``vgg19*.pth``.
    Never downloads anything.
    """
    dirs = [os.path.join(torch.hub.get_dir(), "checkpoints")]
    try:  # torchvision is optional: without it a cached checkpoint still loads
        import torchvision  # noqa: F401
    except ImportError:
        pass
    for d in dirs:
        hits = sorted(glob.glob(os.path.join(d, "vgg19*.pth")))
        if hits:
            return hits[0]
    return None


def _pretrained(path: str) -> VGGFeatures:
    net = VGGFeatures(width=1.0, pool="avg")
    state = torch.load(path, map_location="cpu", weights_only=True)
    prefix = "features."
    net.features.load_state_dict(
        {k[len(prefix) :]: v for k, v in state.items() if k.startswith(prefix)}
    )
    net.source = f"VGG19 ImageNet weights ({os.path.basename(path)})"
    return net


def _random(width: float, seed: int) -> VGGFeatures:
    g = torch.Generator().manual_seed(seed)
    net = VGGFeatures(width=width, pool="avg")
    for m in net.features:
        if isinstance(m, nn.Conv2d):  # He initialisation, biases zero
            fan_in = m.in_channels * 9
            with torch.no_grad():
                m.weight.copy_(torch.randn(m.weight.shape, generator=g) * (2.0 / fan_in) ** 0.5)
                m.bias.zero_()
    net.source = f"random weights (VGG19 layout, width ×{width:g}, seed {seed})"
    return net


def feature_net(weights: str = "auto", width: float = 0.5, seed: int = 0) -> VGGFeatures:
    """A VGG19-style feature extractor, frozen, in eval mode; ``net.source`` says which weights.

    weights: ``"auto"`` (ImageNet weights if :func:`find_vgg_weights` finds them, else random),
    ``"imagenet"`` (raise if not available locally) or ``"random"``.
    width: channel multiplier of the random network (1.0 = VGG19's 64…512 channels; the
    default 0.5 is four times cheaper, for CPUs). Random weights: He initialisation with
    ``seed``; biases zero.
    """
    if weights not in ("auto", "imagenet", "random"):
        raise ValueError(f"weights must be 'auto', 'imagenet' or 'random', got {weights!r}")
    path = find_vgg_weights() if weights != "random" else None
    if weights == "imagenet" and path is None:
        raise ValueError(
            "no VGG19 ImageNet checkpoint in the torch hub cache "
            f"({os.path.join(torch.hub.get_dir(), 'checkpoints')}); use weights='random' offline"
        )
    net = _pretrained(path) if path is not None else _random(width, seed)
    for p in net.parameters():
        p.requires_grad_(False)
    return net.eval()


def image_tensor(img, device=None) -> torch.Tensor:
    """An (H, W, 3) RGB image in [0, 1] (or a grey (H, W) one, repeated in R, G and B) as
    the (1, 3, H, W) float32 tensor the network takes, on ``device``."""
    img = np.asarray(img, dtype=np.float32)
    if img.ndim == 2:  # a grey image: the same picture in R, G and B
        img = np.repeat(img[..., None], 3, axis=2)
    if img.ndim != 3 or img.shape[2] != 3:
        raise ValueError(f"images must be (H, W, 3) RGB arrays in [0, 1], got shape {img.shape}")
    return torch.from_numpy(np.ascontiguousarray(img.transpose(2, 0, 1)))[None].to(device)


def top_patches(
    net: VGGFeatures, image, layer: str, channel: int, k: int = 4, patch: int | None = None
):
    """The k image patches that excite one unit (``channel`` of ``layer``) the most.

    image: (H, W, 3) in [0, 1]. patch: side of the square cut around each maximum, default
    the layer's receptive field side (:func:`layer_receptive_field`) capped at the image
    size. Returns a list of (patch, activation) with patch (side, side, 3), strongest first;
    patches that overlap one already taken by more than half a side are skipped.
    """
    x = image_tensor(image, next(net.parameters()).device)
    with torch.no_grad():
        a = net(x, [layer])[layer][0]
    if not 0 <= channel < a.shape[0]:
        raise ValueError(f"{layer} has channels 0..{a.shape[0] - 1}, got {channel}")
    img = np.asarray(image)
    H, W = img.shape[:2]
    side = min(patch or layer_receptive_field(layer), H, W)
    act = a[channel].cpu().numpy()
    stride = H / act.shape[0]
    out = []
    for flat in np.argsort(act.ravel())[::-1][: max(k * 8, k)]:
        r, c = np.unravel_index(flat, act.shape)
        cy, cx = int((r + 0.5) * stride), int((c + 0.5) * stride)
        y0, x0 = min(max(cy - side // 2, 0), H - side), min(max(cx - side // 2, 0), W - side)
        if any(abs(y0 - y) < side // 2 and abs(x0 - xx) < side // 2 for _, _, y, xx in out):
            continue  # skip near-duplicates of a patch already taken
        out.append((img[y0 : y0 + side, x0 : x0 + side], float(act[r, c]), y0, x0))
        if len(out) == k:
            break
    return [(p, v) for p, v, _, _ in out]
