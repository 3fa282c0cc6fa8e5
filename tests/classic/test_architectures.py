"""The classic networks' rows (cnnlab.classic.architectures): the well-known totals and shapes."""

import pytest

from cnnlab import classic, lenet, tables


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
    t = tables.totals(tables.layer_table(spec, shape))
    assert (t["params"], t["macs"], t["depth"]) == (params, macs, depth)


def test_alexnet_shapes_follow_the_lecture():
    rows = {r.name: r.shape for r in tables.layer_table(classic.ALEXNET, classic.ALEXNET_INPUT)}
    assert rows["conv1"] == (55, 55, 96)
    assert rows["pool1"] == (27, 27, 96)
    assert rows["pool2"] == (13, 13, 256)
    assert rows["pool5"] == (6, 6, 256)
    assert rows["fc6"] == (4096,)


def test_vgg_depths():
    for depth in classic.VGG_CONFIGS:
        rows = tables.layer_table(classic.vgg(depth), classic.VGG_INPUT)
        assert tables.totals(rows)["depth"] == depth
        assert rows[-4].shape == (7, 7, 512)  # pool5
    with pytest.raises(ValueError, match="VGG depth"):
        classic.vgg(17)
