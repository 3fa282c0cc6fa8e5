"""MTCNN's three networks, P-Net, R-Net and O-Net, as small torch modules with trained weights.

Used by the object-detection lesson's face detector (:mod:`cnnlab.pretrained.faces`), where
they show a cascade: a tiny fully convolutional net slides over every position and scale, and
two bigger nets re-judge the few windows that survive.

Weights: facenet-pytorch 2.6.0's ``pnet.pt``, ``rnet.pt``, ``onet.pt``, the original MTCNN
(Zhang, Zhang, Li & Qiao, 2016; faces from WIDER FACE, landmarks from CelebA) converted to
PyTorch. Layer names below match the keys of those state dicts.

Every network takes (N, 3, H, W) RGB normalised by :func:`normalize` ((pixel - 127.5) / 128)
and answers, per window: the probability that it is a face, and four offsets that move the
window's corners onto the face, in units of the window's width and height (box regression).

- P-Net (proposal): 12x12 input, three 3x3 convs and a 1x1 "classifier". Fully convolutional,
  so on a bigger image it scores every 12x12 window at stride 2 in one pass.
- R-Net (refine): 24x24 crops, convs then a dense layer of 128.
- O-Net (output): 48x48 crops, convs then a dense layer of 256; also five landmarks (eyes,
  nose, mouth corners) as fractions of the window.

>>> import torch
>>> pnet, rnet, onet = mtcnn()
>>> prob, offsets = pnet(torch.zeros(1, 3, 12, 12))
>>> tuple(prob.shape), tuple(offsets.shape)   # one 12x12 window -> one answer
((1, 1, 1), (1, 4, 1, 1))
"""

from __future__ import annotations

import functools

import torch
from torch import nn

from .files import mtcnn_state_dict


def normalize(images: torch.Tensor) -> torch.Tensor:
    """(N, 3, H, W) RGB in [0, 1] -> the networks' input, (pixel - 127.5) / 128 in about [-1, 1]."""
    return (images * 255.0 - 127.5) * 0.0078125


def _flatten_like_caffe(x: torch.Tensor) -> torch.Tensor:
    # The dense layers' weights expect the feature map flattened width first, then height,
    # then channel: the original was trained in Caffe from MATLAB, which stores arrays
    # column-major. PyTorch's usual (C, H, W) flatten runs without error but reads the weights
    # in the wrong order: on scikit-image's astronaut it "finds" 35 faces instead of one.
    return x.permute(0, 3, 2, 1).flatten(1)


class PNet(nn.Module):
    """Proposal network: (N, 3, H, W) -> (face prob (N, H', W'), offsets (N, 4, H', W')).

    On a 12x12 input the convs shrink it 12 -> 10 -> 5 (pool) -> 3 -> 1: one window, one answer,
    and the 1x1 convs conv4_1 / conv4_2 are the fully connected classifier and regressor
    written as convolutions. On an H x W image the same weights give an H' x W' map,
    H' = ceil((H - 2) / 2) - 4: the 12x12 window slid with stride 2 (the pool's stride),
    sharing all the arithmetic of overlapping windows.
    """

    def __init__(self):
        super().__init__()
        self.conv1, self.prelu1 = nn.Conv2d(3, 10, 3), nn.PReLU(10)
        self.pool1 = nn.MaxPool2d(2, 2, ceil_mode=True)  # Caffe pools round up
        self.conv2, self.prelu2 = nn.Conv2d(10, 16, 3), nn.PReLU(16)
        self.conv3, self.prelu3 = nn.Conv2d(16, 32, 3), nn.PReLU(32)
        self.conv4_1 = nn.Conv2d(32, 2, 1)  # face / not face, per window
        self.conv4_2 = nn.Conv2d(32, 4, 1)  # corner offsets, per window

    def forward(self, x):
        x = self.pool1(self.prelu1(self.conv1(x)))
        x = self.prelu3(self.conv3(self.prelu2(self.conv2(x))))
        prob = torch.softmax(self.conv4_1(x), dim=1)[:, 1]  # channel 1 is "face"
        return prob, self.conv4_2(x)


class RNet(nn.Module):
    """Refine network: (N, 3, 24, 24) crops -> (face prob (N,), offsets (N, 4)).

    24 -> 22 -> 11 (pool 3/2) -> 9 -> 4 (pool 3/2) -> 3 (2x2 conv): a 3x3x64 = 576 feature,
    then dense4 (576 -> 128). A dense layer on a 3x3 map is a 3x3 convolution whose kernel
    covers its whole input (see :func:`dense_as_conv`).
    """

    def __init__(self):
        super().__init__()
        self.conv1, self.prelu1 = nn.Conv2d(3, 28, 3), nn.PReLU(28)
        self.pool1 = nn.MaxPool2d(3, 2, ceil_mode=True)
        self.conv2, self.prelu2 = nn.Conv2d(28, 48, 3), nn.PReLU(48)
        self.pool2 = nn.MaxPool2d(3, 2, ceil_mode=True)
        self.conv3, self.prelu3 = nn.Conv2d(48, 64, 2), nn.PReLU(64)
        self.dense4, self.prelu4 = nn.Linear(576, 128), nn.PReLU(128)
        self.dense5_1 = nn.Linear(128, 2)
        self.dense5_2 = nn.Linear(128, 4)

    def features(self, x):
        """The (N, 64, 3, 3) map the dense layer reads."""
        x = self.pool1(self.prelu1(self.conv1(x)))
        x = self.pool2(self.prelu2(self.conv2(x)))
        return self.prelu3(self.conv3(x))

    def forward(self, x):
        x = self.prelu4(self.dense4(_flatten_like_caffe(self.features(x))))
        return torch.softmax(self.dense5_1(x), dim=1)[:, 1], self.dense5_2(x)


class ONet(nn.Module):
    """Output network: (N, 3, 48, 48) -> (face prob (N,), offsets (N, 4), landmarks (N, 10)).

    48 -> 46 -> 23 -> 21 -> 10 -> 8 -> 4 -> 3 (2x2 conv): 3x3x128 = 1152 features, dense 256.
    Landmarks: the x of the 5 points (left eye, right eye, nose, left and right mouth corner,
    as seen in the image) then their y, each a fraction of the window's width or height.
    """

    def __init__(self):
        super().__init__()
        self.conv1, self.prelu1 = nn.Conv2d(3, 32, 3), nn.PReLU(32)
        self.pool1 = nn.MaxPool2d(3, 2, ceil_mode=True)
        self.conv2, self.prelu2 = nn.Conv2d(32, 64, 3), nn.PReLU(64)
        self.pool2 = nn.MaxPool2d(3, 2, ceil_mode=True)
        self.conv3, self.prelu3 = nn.Conv2d(64, 64, 3), nn.PReLU(64)
        self.pool3 = nn.MaxPool2d(2, 2, ceil_mode=True)
        self.conv4, self.prelu4 = nn.Conv2d(64, 128, 2), nn.PReLU(128)
        self.dense5, self.prelu5 = nn.Linear(1152, 256), nn.PReLU(256)
        self.dense6_1 = nn.Linear(256, 2)
        self.dense6_2 = nn.Linear(256, 4)
        self.dense6_3 = nn.Linear(256, 10)

    def forward(self, x):
        x = self.pool1(self.prelu1(self.conv1(x)))
        x = self.pool2(self.prelu2(self.conv2(x)))
        x = self.pool3(self.prelu3(self.conv3(x)))
        x = self.prelu4(self.conv4(x))
        x = self.prelu5(self.dense5(_flatten_like_caffe(x)))
        return torch.softmax(self.dense6_1(x), dim=1)[:, 1], self.dense6_2(x), self.dense6_3(x)


def _load(net: nn.Module, name: str, device) -> nn.Module:
    net.load_state_dict(mtcnn_state_dict(name))  # strict: every key must match a layer here
    net.eval().requires_grad_(False)
    return net.to(device) if device is not None else net


def mtcnn(device=None) -> tuple[PNet, RNet, ONet]:
    """MTCNN's trained (P-Net, R-Net, O-Net), in eval mode with gradients off.

    device: where to put them (``cnnlab.nets.device()`` for a GPU); default CPU.
    """
    return (
        _load(PNet(), "pnet", device),
        _load(RNet(), "rnet", device),
        _load(ONet(), "onet", device),
    )


@functools.lru_cache(maxsize=1)
def shared() -> tuple[PNet, RNet, ONet]:
    """One CPU copy of :func:`mtcnn` per process, for functions called again and again."""
    return mtcnn()


def dense_as_conv(dense: nn.Linear, channels: int, size: int) -> nn.Conv2d:
    """A dense layer reading a (channels, size, size) map, rewritten as a size x size conv.

    The conv's kernel covers the whole map, so on that map it gives one output per unit, equal
    to the dense layer's; on a bigger map it slides, scoring every window at once (the point of
    P-Net). The (W, H, C) flatten order of these Caffe weights is undone here.

    >>> import torch
    >>> _, rnet, _ = mtcnn()
    >>> conv = dense_as_conv(rnet.dense4, 64, 3)
    >>> f = rnet.features(torch.rand(2, 3, 24, 24))
    >>> torch.allclose(conv(f).flatten(1), rnet.dense4(_flatten_like_caffe(f)), atol=1e-5)
    True
    """
    conv = nn.Conv2d(channels, dense.out_features, size).to(dense.weight.device)
    with torch.no_grad():
        w = dense.weight.reshape(dense.out_features, size, size, channels)  # (out, W, H, C)
        conv.weight.copy_(w.permute(0, 3, 2, 1))  # -> (out, C, H, W)
        conv.bias.copy_(dense.bias)
    return conv.requires_grad_(False)
