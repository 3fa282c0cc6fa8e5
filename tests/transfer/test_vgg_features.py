"""cnnlab.transfer.vgg_features on tiny settings (lesson 09's VGG16 transfer experiment)."""

import numpy as np
import pytest
import torch

from cnnlab.transfer import vgg_features as V


@pytest.fixture(scope="module")
def tiny():
    (xtr, ytr), (xte, yte) = V.faces_task(size=16, test_per_class=5)
    ftr, fte = V.backbone_features(xtr), V.backbone_features(xte)
    px = lambda x: torch.tensor(x).permute(0, 3, 1, 2).contiguous()  # noqa: E731
    ftr["pixels"], fte["pixels"] = px(xtr), px(xte)
    return ftr, ytr, fte, yte


def test_faces_task_shapes_and_labels():
    (xtr, ytr), (xte, yte) = V.faces_task(size=20, test_per_class=10)
    assert xtr.shape == (180, 20, 20, 3) and xte.shape == (20, 20, 20, 3)
    assert np.allclose(xtr[..., 0], xtr[..., 2]) and xtr.min() >= 0 and xtr.max() <= 1
    assert (ytr == 1).sum() == 90 and (yte == 1).sum() == 10
    with pytest.raises(ValueError, match="test_per_class"):
        V.faces_task(test_per_class=100)


def test_backbone_features_shapes(tiny):
    ftr = tiny[0]
    assert ftr["conv4"].shape == (190, 512) and ftr["conv5"].shape == (190, 512)
    assert ftr["pool4"].shape == (190, 512, 1, 1) and ftr["conv5_2"].shape == (190, 512, 1, 1)


def test_top_layer_with_pretrained_weights_reproduces_conv5(tiny):
    ftr = tiny[0]
    model = V.TopBlockHead(2)
    with torch.no_grad():
        assert torch.allclose(model.top(ftr["conv5_2"][:4]).mean((2, 3)), ftr["conv5"][:4], atol=1e-4)
    assert all(p.requires_grad for p in model.parameters())


def test_experiment_runs_and_is_deterministic(tiny):
    fast = {"scratch": ("pixels", 3e-3, 3), "fine-tune conv5_3": ("conv5_2", 1e-4, 2)}
    a = V.vgg_experiment(*tiny, sizes=(2,), seeds=(0, 1), settings=fast)
    b = V.vgg_experiment(*tiny, sizes=(2,), seeds=(0, 1), settings=fast)
    assert a == b and set(a) == set(V.VGG_STRATEGIES)
    assert all(0 <= v <= 1 for s in a.values() for v in s[2])
    assert "frozen conv4" in V.summary_table(a)


def test_make_model_rejects_unknown_strategy():
    with pytest.raises(ValueError, match="unknown strategy"):
        V.make_model("freeze everything")
