"""cnnlab.transfer: freezing, transfer models, subsets, experiments, ensembles."""

import numpy as np
import pytest
import torch

from cnnlab import augment, nets, transfer


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


def test_subset_per_class():
    x, y = np.arange(30), np.repeat(np.arange(3), 10)
    xs, ys = transfer.subset_per_class(x, y, 4, seed=1)
    assert np.bincount(ys).tolist() == [4, 4, 4]
    assert np.array_equal(y[xs], ys)
    with pytest.raises(ValueError, match="fewer"):
        transfer.subset_per_class(x, y, 11)


def test_transfer_experiment_shape():
    rng = np.random.default_rng(0)
    x = rng.random((40, 1, 8, 8), dtype=np.float32)
    y = np.repeat(np.arange(2), 20)
    res = transfer.transfer_experiment(transfer.SmallCNN(2), (x, y), (x, y), sizes=(2, 5),
                                       strategies=["scratch", "fine-tune all"], steps=2,
                                       progress=False)
    assert set(res) == {"scratch", "fine-tune all"}
    assert all(set(v) == {2, 5} and all(0 <= a <= 1 for a in v.values()) for v in res.values())
    with pytest.raises(ValueError, match="unknown strategy"):
        transfer.transfer_experiment(transfer.SmallCNN(2), (x, y), (x, y), strategies=["x"])


def test_transfer_experiment_per_seed_lists_the_runs_behind_each_mean():
    rng = np.random.default_rng(0)
    x = rng.random((40, 1, 8, 8), dtype=np.float32)
    y = np.repeat(np.arange(2), 20)
    kwargs = dict(sizes=(3,), strategies=["freeze all but head"], seeds=(0, 1), steps=3,
                  progress=False)
    pre = transfer.SmallCNN(2)
    runs = transfer.transfer_experiment(pre, (x, y), (x, y), per_seed=True, **kwargs)
    means = transfer.transfer_experiment(pre, (x, y), (x, y), **kwargs)
    accs = runs["freeze all but head"][3]
    assert len(accs) == 2
    assert means["freeze all but head"][3] == pytest.approx(np.mean(accs))


def test_ensemble_and_multicrop_probabilities():
    models = [transfer.SmallCNN(4) for _ in range(3)]
    x = torch.rand(6, 1, 8, 8)
    p = transfer.ensemble_proba(models, x, augment.crops)
    assert p.shape == (6, 4) and np.allclose(p.sum(1), 1, atol=1e-5)
    one = transfer.predict_proba(models[0], x)
    assert np.allclose(transfer.ensemble_proba(models[:1], x), one)
    assert transfer.accuracy(np.eye(3), [0, 1, 1]) == pytest.approx(2 / 3)
    with pytest.raises(ValueError):
        transfer.ensemble_proba([], x)


def test_imagenet_weights_offline(tmp_path):
    model, message = transfer.imagenet_weights("resnet18", hub_dir=str(tmp_path))
    assert model is None and "not available offline" in message


@pytest.mark.parametrize("size", [8, 12, 16])
def test_small_cnn_head_reads_128_numbers_at_any_size(size):
    m = transfer.SmallCNN(5)
    assert m.features(torch.zeros(2, 1, size, size)).shape == (2, 128)
    assert m(torch.zeros(2, 1, size, size)).shape == (2, 5)
