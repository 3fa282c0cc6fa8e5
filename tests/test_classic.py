"""cnnlab.classic and cnnlab.activations: the tables agree with PyTorch, layer by layer."""

import math

import numpy as np
import pytest
import torch
from torch import nn

from cnnlab import activations, arith, classic, lenet

SMALL = (
    classic.conv("conv1", 8, 5, p=2),
    classic.pool("pool1", 2),
    classic.conv("conv2", 16, 3, p=1),
    classic.pool("pool2", 2),
    classic.conv("conv3", 32, 3, p=1),
    classic.pool("pool3", 2),
    classic.fc("fc4", 10),
)


def meta(cls, *args, **kwargs):
    with torch.device("meta"):
        return cls(*args, **kwargs)


def hook_macs(model, input_shape):
    """Multiply-adds counted from PyTorch's own shapes: every Conv2d output number needs
    one multiplication per weight of its filter (C_in/groups x k x k); every Linear output
    one per input."""
    total = 0

    def count(mod, inp, out):
        nonlocal total
        if isinstance(mod, nn.Conv2d):
            total += out.numel() * math.prod(mod.weight.shape[1:])
        else:
            total += out.numel() * mod.in_features

    hooks = [
        m.register_forward_hook(count)
        for m in model.modules()
        if isinstance(m, (nn.Conv2d, nn.Linear))
    ]
    h, w, c = input_shape
    dev = next(model.parameters()).device
    with torch.no_grad():
        model(torch.zeros(1, c, h, w, device=dev))
    for hook in hooks:
        hook.remove()
    return total


# the well-known totals


@pytest.mark.parametrize(
    "spec, shape, params, macs, depth",
    [
        (lenet.LENET5, (32, 32, 1), 61_706, 416_520, 5),
        (classic.ALEXNET, classic.ALEXNET_INPUT, 62_378_344, 1_135_256_096, 8),
        (classic.ALEXNET_TWO_GPUS, classic.ALEXNET_INPUT, 60_965_224, 724_406_816, 8),
        (classic.VGG_16, classic.VGG_INPUT, 138_357_544, 15_470_264_320, 16),
        (classic.GOOGLENET, classic.GOOGLENET_INPUT, 6_998_552, 1_582_671_872, 22),
    ],
)
def test_totals(spec, shape, params, macs, depth):
    t = classic.totals(classic.layer_table(spec, shape))
    assert (t["params"], t["macs"], t["depth"]) == (params, macs, depth)


def test_alexnet_shapes_follow_the_lecture():
    rows = {r.name: r.shape for r in classic.layer_table(classic.ALEXNET, classic.ALEXNET_INPUT)}
    assert rows["conv1"] == (55, 55, 96)
    assert rows["pool1"] == (27, 27, 96)
    assert rows["pool2"] == (13, 13, 256)
    assert rows["pool5"] == (6, 6, 256)
    assert rows["fc6"] == (4096,)


def test_vgg_depths():
    for depth in classic.VGG_CONFIGS:
        rows = classic.layer_table(classic.vgg(depth), classic.VGG_INPUT)
        assert classic.totals(rows)["depth"] == depth
        assert rows[-4].shape == (7, 7, 512)  # pool5
    with pytest.raises(ValueError, match="VGG depth"):
        classic.vgg(17)


# the check against PyTorch, on the meta device and for real


@pytest.mark.parametrize("cls", [classic.AlexNet, classic.VGG16, classic.GoogLeNet])
def test_summary_on_meta(cls):
    model = meta(cls)
    text = classic.summary(model)
    total = sum(p.numel() for p in model.parameters())
    assert text.splitlines()[-1].startswith("PyTorch: sum(p.numel())")
    assert text.splitlines()[-1].endswith(f"{total:,}")
    rows = classic.layer_table(model.spec, model.input_shape)
    assert classic.totals(rows)["macs"] == hook_macs(model, model.input_shape)


def test_two_gpu_alexnet_uses_groups():
    model = meta(classic.AlexNet, two_gpus=True)
    assert model.conv2.groups == 2 and model.conv3.groups == 1
    classic.summary(model)
    rows = classic.layer_table(classic.ALEXNET_TWO_GPUS, classic.ALEXNET_INPUT)
    assert classic.totals(rows)["macs"] == hook_macs(model, classic.ALEXNET_INPUT)


def test_summary_of_lenet_from_lesson_06():
    text = classic.summary(lenet.LeNet5(), lenet.LENET5, (32, 32, 1))
    assert "61,706" in text
    rows = classic.layer_table(lenet.LENET5, (32, 32, 1))
    assert classic.totals(rows)["macs"] == hook_macs(lenet.LeNet5(), (32, 32, 1))


def test_real_forward_matches_the_table():
    torch.manual_seed(0)
    model = classic.Net(SMALL, (32, 32, 1))
    rows = classic.layer_table(SMALL, (32, 32, 1))
    out = model(torch.randn(2, 1, 32, 32))
    assert out.shape == (2, 10)
    assert classic.check_against_torch(rows, model) == classic.totals(rows)["params"] == 11_146
    assert classic.totals(rows)["macs"] == hook_macs(model, (32, 32, 1))


def test_net_helpers_are_named():
    model = meta(classic.VGG16)
    names = [n for n, _ in model.named_children()]
    assert names[:3] == ["conv1_1", "relu1_1", "conv1_2"]
    assert names[-6:] == ["relu6", "drop7", "fc7", "relu7", "drop8", "fc8"]
    assert "flatten" in names
    g = meta(classic.GoogLeNet)
    assert [n for n, _ in g.named_children()][-4:] == ["gap", "fc_drop", "flatten", "fc"]
    assert len(classic.Net(SMALL, (32, 32, 1), dropout=0.5).spec) == len(SMALL)


def test_check_names_the_layer_that_differs():
    model = classic.Net(SMALL, (32, 32, 1))
    other = list(SMALL)
    other[2] = classic.conv("conv2", 16, 5, p=2)  # same shape, more weights
    with pytest.raises(ValueError, match="conv2: the formulas give"):
        classic.check_against_torch(classic.layer_table(other, (32, 32, 1)), model)
    renamed = [classic.conv("first", 8, 5, p=2)] + list(SMALL[1:])
    with pytest.raises(ValueError, match=r"no layer \(submodule\) named 'first'"):
        classic.check_against_torch(classic.layer_table(renamed, (32, 32, 1)), model)
    with pytest.raises(ValueError, match="spec and input_shape"):
        classic.summary(nn.Linear(3, 2))


@pytest.mark.parametrize(
    "spec, shape, match",
    [
        ((classic.conv("c", 8, 9),), (5, 5, 1), "larger than the padded input"),
        ((classic.conv("c", 8, 3, groups=3),), (8, 8, 4), "groups=3 must divide"),
        ((classic.fc("f", 10), classic.conv("c", 4, 3)), (8, 8, 1), "needs an image"),
        ((classic.Layer("x", "dense", n_c=3),), (8, 8, 1), "kind must be one of"),
        ((classic.conv("c", 8, 3),), (0, 8, 1), "input size must be"),
    ],
)
def test_layer_table_rejects_impossible_layers(spec, shape, match):
    with pytest.raises(ValueError, match=match):
        classic.layer_table(spec, shape)


# the Inception module


@pytest.mark.parametrize(
    "bottleneck, channels, macs", [(True, 256, 128_049_152), (False, 416, 303_464_448)]
)
def test_inception_module(bottleneck, channels, macs):
    torch.manual_seed(0)
    module = classic.InceptionModule(192, classic.INCEPTION_3A, bottleneck=bottleneck)
    rows = classic.inception_table(classic.INCEPTION_3A, (28, 28, 192), bottleneck)
    assert rows[-1].shape == (28, 28, channels)
    assert classic.totals(rows)["macs"] == macs == hook_macs(module, (28, 28, 192))
    out = module(torch.randn(1, 192, 28, 28))
    assert out.shape == (1, channels, 28, 28)
    assert "concat" in classic.summary(module, classic.INCEPTION_3A, (28, 28, 192))


def test_inception_branches_in_order():
    # the concatenation order: 1x1, 3x3, 5x5, pool branch
    torch.manual_seed(0)
    module = classic.InceptionModule(8, classic.Inception("m", 2, 3, 4, 2, 5, 6))
    x = torch.randn(1, 8, 6, 6)
    out = module(x)
    assert out.shape == (1, 2 + 4 + 5 + 6, 6, 6)
    torch.testing.assert_close(out[:, 2:6], module.branch3(x))
    torch.testing.assert_close(out[:, 11:], module.branch_pool(x))


def test_bottleneck_costs_are_the_notes_numbers():
    costs = classic.bottleneck_costs()
    assert costs["plain"] == (120_422_400, 153_632)
    assert costs["reduce"][0] + costs["conv"][0] == 12_443_648
    with pytest.raises(ValueError, match="odd kernel"):
        classic.bottleneck_costs(f=4)
    rows = classic.inception_table(classic.INCEPTION_3A, (28, 28, 192))
    branch5 = [r.macs for r in rows if r.name.startswith("branch5")]
    assert sum(branch5) == 12_443_648


def test_plain_and_bottleneck_modules():
    x = torch.randn(1, 192, 28, 28)
    plain, bottle = classic.plain_conv(), classic.bottleneck_conv()
    assert plain(x).shape == bottle(x).shape == (1, 32, 28, 28)
    assert sum(p.numel() for p in plain.parameters()) == 153_632
    assert sum(p.numel() for p in bottle.parameters()) == 15_920
    assert hook_macs(plain, (28, 28, 192)) == 120_422_400
    assert hook_macs(bottle, (28, 28, 192)) == 12_443_648


def test_time_forward():
    module = nn.Conv2d(3, 4, 3)
    module.train()
    t = classic.time_forward(module, torch.randn(1, 3, 8, 8), repeats=3, warmup=1)
    assert isinstance(t, float) and t > 0
    assert not module.training  # timed in eval mode
    with pytest.raises(ValueError, match="repeats"):
        classic.time_forward(module, torch.randn(1, 3, 8, 8), repeats=0)


def test_receptive_fields():
    rfs = classic.receptive_fields(SMALL)
    assert list(rfs) == ["conv1", "pool1", "conv2", "pool2", "conv3", "pool3"]
    assert [rfs[n].size for n in ("conv1", "conv2", "conv3")] == [5, 10, 20]
    assert (
        rfs["conv3"]
        == arith.receptive_field(
            [(5, 1, 1, 2), (2, 2, 1, 0), (3, 1, 1, 1), (2, 2, 1, 0), (3, 1, 1, 1)]
        )[-1]
    )
    with pytest.raises(ValueError, match="must start with conv"):
        classic.receptive_fields((classic.fc("f", 3),))


# activations: feature maps and top patches


def test_feature_maps_shapes_and_errors():
    torch.manual_seed(0)
    model = classic.Net(SMALL, (32, 32, 1))
    x = np.random.default_rng(0).random((5, 1, 32, 32)).astype(np.float32)
    maps = activations.feature_maps(model, x, ["relu1", "pool2", "relu3"], batch_size=2)
    assert [m.shape for m in maps.values()] == [(5, 8, 32, 32), (5, 16, 8, 8), (5, 32, 8, 8)]
    assert (maps["relu1"] >= 0).all()
    with pytest.raises(ValueError, match="no submodule 'relu9'"):
        activations.feature_maps(model, x, ["relu9"])
    with pytest.raises(ValueError, match="batch"):
        activations.feature_maps(model, x[0], ["relu1"])


def test_top_patches_cut_the_receptive_field():
    # one 3x3 'same' conv that sums its window: the unit fires most where the bright
    # square is, and its patch is the 3x3 window centred there
    rf = arith.receptive_field([(3, 1, 1, 1)])[-1]
    images = np.zeros((3, 1, 6, 6))
    images[0, 0, 1:3, 1:3] = 1.0  # partly seen
    images[1, 0, 2:5, 2:5] = 2.0  # a full 3x3 square centred at (3, 3): the best
    images[2, 0, 0, 0] = 0.5  # a corner: its window reaches into the padding
    conv = nn.Conv2d(1, 1, 3, padding=1, bias=False)
    with torch.no_grad():
        conv.weight.fill_(1.0)
        maps = conv(torch.from_numpy(images).float()).numpy()
    patches, scores, where = activations.top_patches(maps, images, rf, k=3)
    assert patches.shape == (1, 3, 1, 3, 3)
    assert list(where[0, :, 0]) == [1, 0, 2]
    assert tuple(where[0, 0, 1:]) == (3, 3)
    np.testing.assert_array_equal(patches[0, 0, 0], np.full((3, 3), 2.0))
    assert np.all(np.diff(scores[0]) <= 0)
    # the corner patch: zeros where the window leaves the image
    i, j = where[0, 2, 1:]
    expected = np.pad(images[2, 0], 1)[i : i + 3, j : j + 3]
    np.testing.assert_array_equal(patches[0, 2, 0], expected)


def test_top_patches_with_strides_match_the_image():
    # through conv-pool-conv, the patch of a unit is where its receptive field lies
    torch.manual_seed(0)
    model = classic.Net(SMALL, (32, 32, 1))
    x = np.random.default_rng(1).random((4, 1, 32, 32)).astype(np.float32)
    maps = activations.feature_maps(model, x, ["relu2"])["relu2"]
    rf = classic.receptive_fields(SMALL)["conv2"]
    patches, _, where = activations.top_patches(maps, x, rf, k=2, units=[0, 3])
    assert patches.shape == (2, 2, 1, rf.size, rf.size)
    for u in range(2):
        for r in range(2):
            img, i, j = where[u, r]
            top = int(rf.start - (rf.size - 1) / 2) + rf.jump * i
            left = int(rf.start - (rf.size - 1) / 2) + rf.jump * j
            padded = np.pad(x[img, 0], rf.size)
            crop = padded[top + rf.size : top + 2 * rf.size, left + rf.size : left + 2 * rf.size]
            np.testing.assert_array_equal(patches[u, r, 0], crop)


def test_top_patches_errors_and_strongest_units():
    rf = arith.receptive_field([(3, 1)])[-1]
    with pytest.raises(ValueError, match="need at least"):
        activations.top_patches(np.zeros((2, 1, 4, 4)), np.zeros((2, 1, 6, 6)), rf, k=3)
    with pytest.raises(ValueError, match="same N"):
        activations.top_patches(np.zeros((2, 1, 4, 4)), np.zeros((3, 1, 6, 6)), rf, k=1)
    maps = np.zeros((2, 3, 2, 2))
    maps[:, 2] = 5.0
    maps[0, 0, 0, 0] = 1.0
    assert list(activations.strongest_units(maps, 2)) == [2, 0]
