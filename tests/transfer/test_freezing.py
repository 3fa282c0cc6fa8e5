"""cnnlab.transfer.freezing: the small CNN, freezing, transfer models, ImageNet weights."""

import pytest
import torch

from cnnlab import nets, transfer


def test_small_cnn_shapes_and_parameter_count():
    m = transfer.SmallCNN(5)
    assert m(torch.zeros(2, 1, 8, 8)).shape == (2, 5)
    assert m.features(torch.zeros(2, 1, 8, 8)).shape == (2, 128)
    conv = (9 * 16 + 16) + (16 * 9 * 32 + 32) + (32 * 9 * 32 + 32)
    assert transfer.count_trainable(m) == conv + 128 * 5 + 5


@pytest.mark.parametrize("k, frozen", [(0, ()), (1, ("conv1",)), (3, transfer.BLOCKS)])
def test_freeze_sets_requires_grad(k, frozen):
    m = transfer.freeze(transfer.SmallCNN(5), k)
    for name, p in m.named_parameters():
        assert p.requires_grad == (name.split(".")[0] not in frozen)


def test_freeze_rejects_bad_counts():
    with pytest.raises(ValueError, match="n_frozen"):
        transfer.freeze(transfer.SmallCNN(5), 4)
    with pytest.raises(ValueError):
        transfer.freeze(transfer.SmallCNN(5), -1)


def test_transfer_model_copies_weights_and_replaces_head():
    pre = transfer.SmallCNN(5)
    m = transfer.transfer_model(pre, 3, 3)
    assert m.head.out_features == 3
    assert torch.equal(m.conv1[0].weight, pre.conv1[0].weight)
    assert m.conv1[0].weight is not pre.conv1[0].weight
    assert transfer.count_trainable(m) == 128 * 3 + 3
    scratch = transfer.transfer_model(pre, 3, None)
    assert not torch.equal(scratch.conv1[0].weight, pre.conv1[0].weight)


def test_frozen_layers_do_not_change_in_training():
    pre = transfer.SmallCNN(5)
    m = transfer.transfer_model(pre, 5, 2)
    x, y = torch.rand(20, 1, 8, 8), torch.arange(20) % 5
    nets.fit(m, (x, y), epochs=2, progress=False)
    assert torch.equal(m.conv2[0].weight, pre.conv2[0].weight)
    assert not torch.equal(m.conv3[0].weight, pre.conv3[0].weight)


def test_imagenet_weights_offline(tmp_path):
    model, message = transfer.imagenet_weights("resnet18", hub_dir=str(tmp_path))
    assert model is None and "not available offline" in message


@pytest.mark.parametrize("size", [8, 12, 16])
def test_small_cnn_head_reads_128_numbers_at_any_size(size):
    m = transfer.SmallCNN(5)
    assert m.features(torch.zeros(2, 1, size, size)).shape == (2, 128)
    assert m(torch.zeros(2, 1, size, size)).shape == (2, 5)
