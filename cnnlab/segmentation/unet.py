"""A small U-Net in PyTorch: the fully convolutional network of the segmentation lesson.

The **contracting path** is the usual ConvNet: two 3x3 convolutions (with batch norm and
ReLU) per level, then a 2x2 max pool that halves the size and a doubling of the channels.
The **expanding path** climbs back: a 2x2 transposed convolution with stride 2 doubles the
size (and halves the channels), the feature map of the same level on the way down is
**concatenated** to it (the skip connection: fine detail the pooling threw away), and two
more 3x3 convolutions mix the two. A 1x1 convolution turns the last features into one score
per class for every pixel. Every layer is a convolution, so any image whose sides divide by
2**depth goes in and a same-sized label map comes out.
Used by the segmentation lesson.
"""

from __future__ import annotations

import torch
from torch import nn

from ..i18n import tr
from ..validate import check_flag, check_int


def double_conv(c_in: int, c_out: int) -> nn.Sequential:
    """Two 3x3 convolutions (padding 1: the size stays) with batch norm and ReLU."""
    return nn.Sequential(
        nn.Conv2d(c_in, c_out, 3, padding=1, bias=False),
        nn.BatchNorm2d(c_out),
        nn.ReLU(inplace=True),
        nn.Conv2d(c_out, c_out, 3, padding=1, bias=False),
        nn.BatchNorm2d(c_out),
        nn.ReLU(inplace=True),
    )


class UNet(nn.Module):
    """x (N, in_channels, H, W) -> per-pixel class scores (N, n_classes, H, W).

    width: channels of the first level (doubled at every level down); depth: number of
    poolings (H and W must divide by 2**depth); skips=False drops the concatenations (the
    expanding path then sees only the upsampled coarse features), for the comparison.
    """

    def __init__(
        self,
        in_channels: int = 3,
        n_classes: int = 4,
        width: int = 16,
        depth: int = 2,
        skips: bool = True,
    ):
        super().__init__()
        in_channels = check_int("in_channels", in_channels, 1)
        n_classes = check_int("n_classes", n_classes, 2)
        width, self.depth = check_int("width", width, 1), check_int("depth", depth, 1)
        self.skips = check_flag("skips", skips)
        chans = [width * 2**i for i in range(depth + 1)]  # e.g. 16, 32, 64
        self.down = nn.ModuleList(
            [double_conv(in_channels, chans[0])]
            + [double_conv(chans[i], chans[i + 1]) for i in range(depth)]
        )
        self.pool = nn.MaxPool2d(2)
        self.up = nn.ModuleList(
            [
                nn.ConvTranspose2d(chans[i + 1], chans[i], 2, stride=2)
                for i in reversed(range(depth))
            ]
        )
        merge = 2 if skips else 1  # concatenated skip: twice the channels
        self.merge = nn.ModuleList(
            [double_conv(merge * chans[i], chans[i]) for i in reversed(range(depth))]
        )
        self.head = nn.Conv2d(chans[0], n_classes, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        side = 2**self.depth
        if x.ndim != 4 or x.shape[2] % side or x.shape[3] % side:
            raise ValueError(
                tr(
                    "UNet of depth {depth} needs (N, C, H, W) with H and W divisible by "
                    "{side}, got shape {shape}"
                ).format(depth=self.depth, side=side, shape=tuple(x.shape))
            )
        levels = []
        for i, block in enumerate(self.down):
            x = block(x if i == 0 else self.pool(x))
            levels.append(x)
        x = levels.pop()  # the bottom of the U
        for up, merge in zip(self.up, self.merge):
            x = up(x)  # 2x2 transposed conv, stride 2: twice the size
            skip = levels.pop()
            x = merge(torch.cat([skip, x], dim=1) if self.skips else x)
        return self.head(x)


def skip_shapes(input_shape, width: int = 16, depth: int = 2) -> list:
    """(C, H, W) of every feature map the U-Net concatenates, top level first: for each
    level, (the skip from the contracting path, the upsampled map it is joined to,
    the concatenation). input_shape: (C, H, W) with H and W divisible by 2**depth.

    >>> skip_shapes((3, 32, 32), width=16, depth=2)[0]
    ((16, 32, 32), (16, 32, 32), (32, 32, 32))
    """
    try:
        shape = tuple(input_shape)
    except TypeError:
        shape = ()
    if isinstance(input_shape, (str, bytes)) or len(shape) != 3:
        raise ValueError(
            tr("input_shape must be (C, H, W), three integers, got {value!r}").format(
                value=input_shape
            )
        )
    entry = tr("input_shape entry")
    _, h, w = (check_int(entry, v, 1) for v in shape)
    width, depth = check_int("width", width, 1), check_int("depth", depth, 1)
    if h % 2**depth or w % 2**depth:
        raise ValueError(
            tr("H and W must divide by 2**depth = {side}, got {h} x {w}").format(
                side=2**depth, h=h, w=w
            )
        )
    out = []
    for i in range(depth):
        c = width * 2**i
        size = (h // 2**i, w // 2**i)
        out.append(((c,) + size, (c,) + size, (2 * c,) + size))
    return out


@torch.no_grad()
def predict(model: nn.Module, x, batch_size: int = 256):
    """Label maps (N, H, W) int64 NumPy of a segmentation model on images (N, C, H, W)."""
    dev = next(model.parameters()).device
    model.eval()
    x = torch.as_tensor(x, dtype=torch.float32)
    parts = [
        model(x[i : i + batch_size].to(dev)).argmax(1).cpu() for i in range(0, len(x), batch_size)
    ]
    return torch.cat(parts).numpy()


def traced_skip_shapes(model: UNet, input_shape) -> list:
    """What a U-Net really concatenates: run one zero image of ``input_shape`` (C, H, W)
    through ``model`` and record, with forward hooks, the same triples as
    :func:`skip_shapes` (skip, upsampled map, what the merge block receives), top level
    first. Without skips the merge block receives the upsampled map alone, and the first
    and last entries of each triple differ from :func:`skip_shapes`'s.
    """
    shapes: dict = {"down": [], "up": [], "merge": []}

    def keep(kind):
        def hook(_module, args, output=None):
            t = output if output is not None else args[0]
            shapes[kind].append(tuple(t.shape[1:]))

        return hook

    handles = [b.register_forward_hook(keep("down")) for b in model.down[:-1]]
    handles += [u.register_forward_hook(keep("up")) for u in model.up]
    handles += [m.register_forward_pre_hook(keep("merge")) for m in model.merge]
    was_training = model.training
    try:
        model.eval()
        with torch.no_grad():
            dev = next(model.parameters()).device
            model(torch.zeros((1,) + tuple(input_shape), device=dev))
    finally:
        for h in handles:
            h.remove()
        model.train(was_training)
    # the expanding path runs bottom-up: reverse it to list the top level first
    ups, merges = shapes["up"][::-1], shapes["merge"][::-1]
    return list(zip(shapes["down"], ups, merges))
