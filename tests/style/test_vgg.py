"""cnnlab.style.vgg: the feature network, its weights, receptive fields and top patches."""

import numpy as np
import pytest
import torch

from cnnlab import data, style


def test_bad_inputs():
    with pytest.raises(ValueError, match="weights"):
        style.feature_net("resnet")
    with pytest.raises(ValueError, match="unknown layers"):
        style.feature_net("random", width=0.125)(torch.zeros(1, 3, 8, 8), ["conv9_1"])
    with pytest.raises(ValueError, match="unknown layer"):
        style.layer_receptive_field("conv9_1")


def test_feature_net_offline_is_random_and_shapes():
    net = style.feature_net("random", width=0.125, seed=0)
    assert net.source.startswith("random weights")
    feats = net(torch.zeros(1, 3, 32, 32), ["conv1_1", "conv3_1", "conv4_2"])
    assert feats["conv1_1"].shape == (1, 8, 32, 32)
    assert feats["conv3_1"].shape == (1, 32, 8, 8)
    assert feats["conv4_2"].shape == (1, 64, 4, 4)
    again = style.feature_net("random", width=0.125, seed=0)
    assert torch.equal(net.features[0].weight, again.features[0].weight)


def test_find_weights_does_not_download(tmp_path, monkeypatch):
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path))
    assert style.find_vgg_weights() is None
    with pytest.raises(ValueError, match="hub cache"):
        style.feature_net("imagenet")
    assert style.feature_net("auto", width=0.125).source.startswith("random")


def test_find_weights_loads_cached_checkpoint(tmp_path, monkeypatch):
    (tmp_path / "checkpoints").mkdir()
    ref = style.VGGFeatures(width=1.0)
    state = {f"features.{k}": v for k, v in ref.features.state_dict().items()}
    torch.save(state, tmp_path / "checkpoints" / "vgg19-dcbb9e9d.pth")
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path))
    net = style.feature_net("auto")
    assert "ImageNet" in net.source
    assert torch.equal(net.features[0].weight, ref.features[0].weight)


def test_receptive_fields():
    assert [style.layer_receptive_field(f"conv{b}_1") for b in (1, 2, 3, 4)] == [3, 10, 24, 68]
    assert style.layer_receptive_field("relu1_2") == style.layer_receptive_field("conv1_2") == 5


def test_image_tensor():
    t = style.image_tensor(np.zeros((4, 5, 3)))
    assert t.shape == (1, 3, 4, 5) and t.dtype == torch.float32
    assert style.image_tensor(np.zeros((4, 5))).shape == (1, 3, 4, 5)  # grey: R = G = B
    with pytest.raises(ValueError, match="RGB"):
        style.image_tensor(np.zeros((4, 5, 2)))


def test_top_patches():
    net = style.feature_net("random", width=0.125)
    img = data.image("chelsea", 64)
    patches = style.top_patches(net, img, "conv2_1", channel=0, k=3)
    assert len(patches) == 3 and all(p.shape == (10, 10, 3) for p, _ in patches)
    assert patches[0][1] >= patches[1][1] >= patches[2][1]
    with pytest.raises(ValueError, match="channels"):
        style.top_patches(net, img, "conv2_1", channel=999)
