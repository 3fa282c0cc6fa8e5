"""cnnlab.transfer.ensembling: ensemble and multi-crop probabilities, accuracy."""

import numpy as np
import pytest
import torch

from cnnlab import transfer


def test_ensemble_and_multicrop_probabilities():
    models = [transfer.SmallCNN(4) for _ in range(3)]
    x = torch.rand(6, 1, 8, 8)
    p = transfer.ensemble_proba(models, x, transfer.crops)
    assert p.shape == (6, 4) and np.allclose(p.sum(1), 1, atol=1e-5)
    one = transfer.predict_proba(models[0], x)
    assert np.allclose(transfer.ensemble_proba(models[:1], x), one)
    assert transfer.accuracy(np.eye(3), [0, 1, 1]) == pytest.approx(2 / 3)
    with pytest.raises(ValueError):
        transfer.ensemble_proba([], x)
