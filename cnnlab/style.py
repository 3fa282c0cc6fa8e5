"""Neural style transfer: content cost, Gram matrices, style cost, and the optimisation
of the generated image (Gatys et al. 2015, as taught in the Deep Learning Specialization).

The costs exist twice: in NumPy (``gram_matrix``, ``content_cost``, ``layer_style_cost``,
``style_cost``), the readable definition, and in PyTorch (the same names with ``_torch``),
which ``style_transfer`` differentiates. Tests check the two agree.

Activations are ``(n_C, n_H, n_W)`` (one image, channels first) or ``(1, n_C, n_H, n_W)``.

Features come from a VGG-style network (``feature_net``). Pretrained ImageNet weights are
used only when a VGG checkpoint is already in the local torch hub cache (nothing is
downloaded); otherwise the network keeps **random weights**, which still capture texture
statistics (Ustyuzhaninov et al. 2016, "Texture synthesis using shallow convolutional
networks with random filters"; He, Wang & Hopcroft 2016, "A powerful generative model
using random weights for the deep image representation").
"""

from __future__ import annotations

import glob
import os

import numpy as np
import torch
from torch import nn

# VGG19's convolutional part, as in torchvision ("M" = 2x2 pooling); layer names as in the
# style-transfer literature: conv{block}_{index in block}
VGG19_CFG = (64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M",
             512, 512, 512, 512)
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
# defaults that work for both the ImageNet and the random network (tried in lesson 11)
STYLE_LAYERS = {"conv1_1": 0.25, "conv2_1": 0.25, "conv3_1": 0.25, "conv4_1": 0.25}
CONTENT_LAYER = "conv3_2"


# ----------------------------------------------------------------------------- NumPy
def _as_chw(a, name: str) -> np.ndarray:
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 4 and a.shape[0] == 1:
        a = a[0]
    if a.ndim != 3:
        raise ValueError(
            f"{name} must be activations of shape (n_C, n_H, n_W) or (1, n_C, n_H, n_W), "
            f"got shape {a.shape}"
        )
    return a


def gram_matrix(features) -> np.ndarray:
    """Gram ("style") matrix of one layer's activations.

    features: (n_C, n_H, n_W) or (1, n_C, n_H, n_W). Unroll to A of shape (n_C, n_H·n_W);
    returns G = A Aᵀ, shape (n_C, n_C): G[k, k'] = Σ_positions a_k · a_k', how much channels
    k and k' fire together (unnormalised, as in the notes).
    """
    a = _as_chw(features, "features")
    flat = a.reshape(a.shape[0], -1)
    return flat @ flat.T


def _check_same(a, b, names):
    if a.shape != b.shape:
        raise ValueError(f"{names[0]} and {names[1]} must have the same shape, got {a.shape} and {b.shape}")


def content_cost(a_C, a_G) -> float:
    """J_content = 1/(4·n_H·n_W·n_C) · Σ (a_C − a_G)², one layer's activations of the
    content image C and the generated image G, each (n_C, n_H, n_W) or (1, n_C, n_H, n_W)."""
    a_C, a_G = _as_chw(a_C, "a_C"), _as_chw(a_G, "a_G")
    _check_same(a_C, a_G, ("a_C", "a_G"))
    n_C, n_H, n_W = a_C.shape
    return float(np.sum((a_C - a_G) ** 2) / (4 * n_H * n_W * n_C))


def layer_style_cost(a_S, a_G) -> float:
    """One layer's style cost, J_style^[l] = 1/(2·n_H·n_W·n_C)² · Σ_{k,k'} (G_S − G_G)²,
    with G the Gram matrices of the style image's and the generated image's activations."""
    a_S, a_G = _as_chw(a_S, "a_S"), _as_chw(a_G, "a_G")
    _check_same(a_S, a_G, ("a_S", "a_G"))
    n_C, n_H, n_W = a_S.shape
    diff = gram_matrix(a_S) - gram_matrix(a_G)
    return float(np.sum(diff**2) / (2 * n_H * n_W * n_C) ** 2)


def _weights_for(style_feats, gen_feats, layer_weights):
    if isinstance(style_feats, dict):
        keys = list(style_feats)
        if set(keys) != set(gen_feats):
            raise ValueError(f"style and generated features name different layers: {sorted(style_feats)} vs {sorted(gen_feats)}")
        if layer_weights is None:
            layer_weights = {k: 1.0 / len(keys) for k in keys}
        if not isinstance(layer_weights, dict) or set(layer_weights) - set(keys):
            raise ValueError(f"layer_weights must be a dict over the layers {keys}, got {layer_weights!r}")
        return [(style_feats[k], gen_feats[k], float(layer_weights.get(k, 0.0))) for k in keys]
    if len(style_feats) != len(gen_feats):
        raise ValueError(f"got {len(style_feats)} style layers but {len(gen_feats)} generated layers")
    if layer_weights is None:
        layer_weights = [1.0 / len(style_feats)] * len(style_feats)
    if isinstance(layer_weights, dict):
        raise ValueError("layer_weights is a dict: pass the features as dicts by layer name too, or weights as a list")
    if len(layer_weights) != len(style_feats):
        raise ValueError(f"need one weight per layer ({len(style_feats)}), got {len(layer_weights)}")
    return [(s, g, float(w)) for s, g, w in zip(style_feats, gen_feats, layer_weights, strict=True)]


def style_cost(style_feats, gen_feats, layer_weights=None) -> float:
    """J_style(S, G) = Σ_l λ^[l] · J_style^[l](S, G).

    style_feats, gen_feats: lists (or dicts by layer name) of activations, one per layer.
    layer_weights: the λ^[l], same length (or dict); default equal weights summing to 1.
    """
    return float(sum(w * layer_style_cost(s, g) for s, g, w in _weights_for(style_feats, gen_feats, layer_weights)))


def total_cost(j_content: float, j_style: float, alpha: float = 10.0, beta: float = 40.0) -> float:
    """J(G) = α·J_content(C, G) + β·J_style(S, G)."""
    return alpha * j_content + beta * j_style


# ----------------------------------------------------------------------------- PyTorch
def _t_chw(a: torch.Tensor, name: str) -> torch.Tensor:
    if a.dim() == 4 and a.shape[0] == 1:
        a = a[0]
    if a.dim() != 3:
        raise ValueError(f"{name} must be (n_C, n_H, n_W) or (1, n_C, n_H, n_W), got shape {tuple(a.shape)}")
    return a


def gram_matrix_torch(features: torch.Tensor) -> torch.Tensor:
    """PyTorch twin of :func:`gram_matrix`: (n_C, n_H, n_W) -> (n_C, n_C), differentiable."""
    a = _t_chw(features, "features")
    flat = a.reshape(a.shape[0], -1)
    return flat @ flat.T


def content_cost_torch(a_C: torch.Tensor, a_G: torch.Tensor) -> torch.Tensor:
    """PyTorch twin of :func:`content_cost` (a 0-d tensor)."""
    a_C, a_G = _t_chw(a_C, "a_C"), _t_chw(a_G, "a_G")
    _check_same(a_C, a_G, ("a_C", "a_G"))
    n_C, n_H, n_W = a_C.shape
    return ((a_C - a_G) ** 2).sum() / (4 * n_H * n_W * n_C)


def layer_style_cost_torch(a_S: torch.Tensor, a_G: torch.Tensor, gram_S: torch.Tensor | None = None):
    """PyTorch twin of :func:`layer_style_cost`; pass ``gram_S`` to reuse a precomputed Gram."""
    a_G = _t_chw(a_G, "a_G")
    n_C, n_H, n_W = a_G.shape
    if gram_S is None:
        a_S = _t_chw(a_S, "a_S")
        _check_same(a_S, a_G, ("a_S", "a_G"))
        gram_S = gram_matrix_torch(a_S)
    return ((gram_S - gram_matrix_torch(a_G)) ** 2).sum() / (2 * n_H * n_W * n_C) ** 2


def style_cost_torch(style_feats, gen_feats, layer_weights=None) -> torch.Tensor:
    """PyTorch twin of :func:`style_cost`."""
    return sum(w * layer_style_cost_torch(s, g) for s, g, w in _weights_for(style_feats, gen_feats, layer_weights))


# ----------------------------------------------------------------------------- network
def _layer_names(cfg):
    names, block, idx = [], 1, 0
    for v in cfg:
        if v == "M":
            names.append(f"pool{block}")
            block, idx = block + 1, 0
        else:
            idx += 1
            names += [f"conv{block}_{idx}", f"relu{block}_{idx}"]
    return names


class VGGFeatures(nn.Module):
    """VGG19's convolutional layers (torchvision's ``features`` indices, so a torchvision
    checkpoint loads as is), optionally narrower (``width`` scales every channel count) and
    with average pooling (smoother gradients for image optimisation, as Gatys et al. use).

    ``forward(x, layers)`` returns {name: activation} for the named layers (e.g.
    ``"conv4_1"``; the activation after its ReLU), running only as deep as needed.
    Input: (N, 3, H, W) in [0, 1]; ImageNet normalisation is applied inside.
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
        self.names = _layer_names(cfg)
        self.source = "random weights"
        self.register_buffer("mean", torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(IMAGENET_STD).view(1, 3, 1, 1))

    def forward(self, x, layers):
        wanted = {n.replace("relu", "conv") for n in layers}
        bad = wanted - set(self.names)
        if bad:
            raise ValueError(f"unknown layers {sorted(bad)}; choose from the conv layers {[n for n in self.names if n.startswith('conv')]}")
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
    if path is not None:
        net = VGGFeatures(width=1.0, pool="avg")
        state = torch.load(path, map_location="cpu", weights_only=True)
        net.features.load_state_dict({k[len("features."):]: v for k, v in state.items() if k.startswith("features.")})
        net.source = f"VGG19 ImageNet weights ({os.path.basename(path)})"
    else:
        g = torch.Generator().manual_seed(seed)
        net = VGGFeatures(width=width, pool="avg")
        for m in net.features:
            if isinstance(m, nn.Conv2d):
                fan_in = m.in_channels * 9
                with torch.no_grad():
                    m.weight.copy_(torch.randn(m.weight.shape, generator=g) * (2.0 / fan_in) ** 0.5)
                    m.bias.zero_()
        net.source = f"random weights (VGG19 layout, width ×{width:g}, seed {seed})"
    for p in net.parameters():
        p.requires_grad_(False)
    return net.eval()


# ----------------------------------------------------------------------------- optimisation
STYLE_IMAGES = ("immunohistochemistry", "hubble_deep_field", "brick", "grass", "gravel")


def style_image(name: str = "immunohistochemistry", size: int | None = 128) -> np.ndarray:
    """A texture that ships with scikit-image, as (H, W, 3) floats in [0, 1].

    name: one of ``STYLE_IMAGES`` or of ``cnnlab.data.IMAGES``; the grey textures (brick,
    grass, gravel) are repeated over three channels. size: longer side in pixels (or None).
    """
    from skimage import data as skdata
    from skimage import transform

    from cnnlab import data

    if name in ("immunohistochemistry", "hubble_deep_field"):
        img = getattr(skdata, name)().astype(np.float64) / 255.0
        if size is not None:
            scale = size / max(img.shape[:2])
            shape = (round(img.shape[0] * scale), round(img.shape[1] * scale))
            img = transform.resize(img, shape, anti_aliasing=True)
    elif name in data.IMAGES:
        img = data.image(name, size)
    else:
        raise ValueError(f"unknown style image {name!r}; choose one of {', '.join(STYLE_IMAGES + data.IMAGES)}")
    if img.ndim == 2:
        img = np.repeat(img[..., None], 3, axis=2)
    return np.clip(img, 0.0, 1.0)


def _to_tensor(img, device):
    img = np.asarray(img, dtype=np.float32)
    if img.ndim == 2:  # a grey image: the same picture in R, G and B
        img = np.repeat(img[..., None], 3, axis=2)
    if img.ndim != 3 or img.shape[2] != 3:
        raise ValueError(f"images must be (H, W, 3) RGB arrays in [0, 1], got shape {img.shape}")
    return torch.from_numpy(np.ascontiguousarray(img.transpose(2, 0, 1)))[None].to(device)


def style_transfer(
    content,
    style,
    *,
    alpha: float = 10.0,
    beta: float = 400.0,
    content_layer: str = CONTENT_LAYER,
    style_layers: dict | None = None,
    steps: int = 200,
    lr: float = 0.02,
    optimizer: str = "adam",
    net: VGGFeatures | None = None,
    init: str = "content",
    tv_weight: float = 0.0,
    seed: int = 0,
    device=None,
    progress: bool = True,
):
    """Optimise a generated image G to minimise J(G) = α·J_content(C, G) + β·J_style(S, G).

    content, style: (H, W, 3) floats in [0, 1] (the style image may have another size).
    content_layer: the layer whose activations G must match; style_layers: {layer: λ},
    default :data:`STYLE_LAYERS`. optimizer: ``"adam"`` (``lr`` is its step size in pixel
    units) or ``"lbfgs"`` (``steps`` counts its iterations). init: start G from the
    ``"content"`` image or from ``"noise"``. tv_weight: adds tv_weight × the mean squared
    difference between neighbouring pixels (total variation), a smoothness prior that is not
    part of the notes' J(G) but removes the high-frequency colour noise pixel optimisation
    makes (Mahendran & Vedaldi 2015; Johnson et al. 2016). net: a :func:`feature_net` (default: random).

    Returns (image, history): G as (H, W, 3) floats in [0, 1], and a dict of lists
    ``total``, ``content``, ``style`` (J, J_content, J_style at every step).
    """
    from tqdm.auto import tqdm

    from cnnlab.nets import device as pick_device

    if optimizer not in ("adam", "lbfgs"):
        raise ValueError(f"optimizer must be 'adam' or 'lbfgs', got {optimizer!r}")
    if init not in ("content", "noise"):
        raise ValueError(f"init must be 'content' or 'noise', got {init!r}")
    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps}")
    dev = torch.device(device) if device is not None else pick_device()
    net = (net if net is not None else feature_net("auto")).to(dev)
    style_layers = dict(STYLE_LAYERS if style_layers is None else style_layers)
    c, s = _to_tensor(content, dev), _to_tensor(style, dev)
    with torch.no_grad():
        a_C = net(c, [content_layer])[content_layer]
        feats_S = net(s, list(style_layers))
        grams_S = {k: gram_matrix_torch(v[0]) for k, v in feats_S.items()}
        if s.shape[2:] != c.shape[2:]:
            # a Gram matrix sums over positions: rescale to the generated image's count
            feats_G = net(c, list(style_layers))
            grams_S = {
                k: g * (feats_G[k][0, 0].numel() / feats_S[k][0, 0].numel()) for k, g in grams_S.items()
            }
    torch.manual_seed(seed)
    g0 = c.clone() if init == "content" else torch.rand_like(c)
    x = g0.requires_grad_(True)
    opt = torch.optim.Adam([x], lr=lr) if optimizer == "adam" else torch.optim.LBFGS([x], lr=1, max_iter=1)
    layers = list(dict.fromkeys([content_layer, *style_layers]))
    hist = {"total": [], "content": [], "style": []}

    def closure():
        opt.zero_grad(set_to_none=True)
        feats = net(x.clamp(0, 1), layers)
        jc = content_cost_torch(a_C, feats[content_layer])
        js = sum(w * layer_style_cost_torch(None, feats[k], grams_S[k]) for k, w in style_layers.items())
        j = alpha * jc + beta * js
        if tv_weight:
            j = j + tv_weight * (((x[..., 1:, :] - x[..., :-1, :]) ** 2).mean() + ((x[..., 1:] - x[..., :-1]) ** 2).mean())
        j.backward()
        closure.last = (j.detach(), jc.detach(), js.detach())
        return j

    for _ in tqdm(range(steps), desc="style transfer", disable=not progress, leave=False):
        opt.step(closure)
        with torch.no_grad():
            x.clamp_(0, 1)
        for key, v in zip(("total", "content", "style"), closure.last, strict=True):
            hist[key].append(float(v))
    out = x.detach()[0].permute(1, 2, 0).cpu().numpy().astype(np.float64)
    return np.clip(out, 0, 1), hist


def top_patches(net: VGGFeatures, image, layer: str, channel: int, k: int = 4, patch: int | None = None):
    """The k image patches that excite one unit (``channel`` of ``layer``) the most.

    image: (H, W, 3) in [0, 1]. patch: side of the square cut around each maximum, default
    the layer's receptive field side capped at the image size (each 2x2 pooling doubles the
    stride). Returns a list of (patch, activation) with patch (patch, patch, 3), strongest first.
    """
    x = _to_tensor(image, next(net.parameters()).device)
    with torch.no_grad():
        a = net(x, [layer])[layer][0]
    if not 0 <= channel < a.shape[0]:
        raise ValueError(f"{layer} has channels 0..{a.shape[0] - 1}, got {channel}")
    img = np.asarray(image)
    H, W = img.shape[:2]
    block, idx = (int(v) for v in layer[4:].split("_"))
    rf = _vgg_rf(block, idx)
    side = min(patch or rf, H, W)
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


def _vgg_rf(block: int, idx: int) -> int:
    """Receptive field side of VGG19's conv{block}_{idx} (3x3 convs, 2x2 pools)."""
    rf, jump = 1, 1
    for b in range(1, block + 1):
        n = (2 if b <= 2 else 4) if b < block else idx
        rf += n * 2 * jump
        if b < block:
            rf += jump  # 2x2 pooling, stride 2
            jump *= 2
    return rf
