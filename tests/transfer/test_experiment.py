"""cnnlab.transfer.experiment: subsets per class and the transfer experiment's results."""

import numpy as np
import pytest

from cnnlab import transfer


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
    res = transfer.transfer_experiment(
        transfer.SmallCNN(2),
        (x, y),
        (x, y),
        sizes=(2, 5),
        strategies=["scratch", "fine-tune all"],
        steps=2,
        progress=False,
    )
    assert set(res) == {"scratch", "fine-tune all"}
    assert all(set(v) == {2, 5} and all(0 <= a <= 1 for a in v.values()) for v in res.values())
    with pytest.raises(ValueError, match="unknown strategy"):
        transfer.transfer_experiment(transfer.SmallCNN(2), (x, y), (x, y), strategies=["x"])


def test_transfer_experiment_per_seed_lists_the_runs_behind_each_mean():
    rng = np.random.default_rng(0)
    x = rng.random((40, 1, 8, 8), dtype=np.float32)
    y = np.repeat(np.arange(2), 20)
    kwargs = dict(
        sizes=(3,), strategies=["freeze all but head"], seeds=(0, 1), steps=3, progress=False
    )
    pre = transfer.SmallCNN(2)
    runs = transfer.transfer_experiment(pre, (x, y), (x, y), per_seed=True, **kwargs)
    means = transfer.transfer_experiment(pre, (x, y), (x, y), **kwargs)
    accs = runs["freeze all but head"][3]
    assert len(accs) == 2
    assert means["freeze all but head"][3] == pytest.approx(np.mean(accs))
