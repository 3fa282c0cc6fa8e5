"""cnnlab.style: NumPy costs against hand computations and against their PyTorch twins."""

import numpy as np
import pytest
import torch

from cnnlab import data, style


def test_gram_small_by_hand():
    a = np.arange(8.0).reshape(2, 2, 2)  # n_C=2 channels, 2x2 positions
    flat = a.reshape(2, 4)
    assert np.allclose(style.gram_matrix(a), flat @ flat.T)
    assert np.allclose(style.gram_matrix(a[None]), style.gram_matrix(a))
    assert style.gram_matrix(a)[0, 1] == 0 * 4 + 1 * 5 + 2 * 6 + 3 * 7


def test_costs_by_hand():
    a_C, a_G = np.ones((3, 2, 4)), np.zeros((3, 2, 4))
    assert style.content_cost(a_C, a_G) == pytest.approx(24 / (4 * 24))
    # G_S = 8·ones(3, 3), G_G = 0: sum of squares 9·64, normaliser (2·24)²
    assert style.layer_style_cost(a_C, a_G) == pytest.approx(9 * 64 / (2 * 24) ** 2)
    assert style.layer_style_cost(a_C, a_C) == 0.0
    assert style.total_cost(1.0, 2.0, 10, 40) == 90.0


@pytest.mark.parametrize("shape", [(3, 4, 5), (1, 8, 3, 7), (16, 1, 1)])
def test_numpy_and_torch_agree(shape):
    rng = np.random.default_rng(0)
    a, b = rng.random(shape), rng.random(shape)
    ta, tb = torch.tensor(a), torch.tensor(b)
    assert np.allclose(style.gram_matrix(a), style.gram_matrix_torch(ta).numpy())
    assert np.isclose(style.content_cost(a, b), style.content_cost_torch(ta, tb).item())
    assert np.isclose(style.layer_style_cost(a, b), style.layer_style_cost_torch(ta, tb).item())
    feats_s = [a, a * 2]
    feats_g = [b, b + 1]
    w = [0.3, 0.7]
    np_cost = style.style_cost(feats_s, feats_g, w)
    t_cost = style.style_cost_torch([torch.tensor(f) for f in feats_s], [torch.tensor(f) for f in feats_g], w)
    assert np.isclose(np_cost, t_cost.item())
    by_name = style.style_cost({"x": a, "y": 2 * a}, {"x": b, "y": b + 1}, {"x": 0.3, "y": 0.7})
    assert np.isclose(by_name, np_cost)


def test_style_cost_gradient_matches_numeric():
    rng = np.random.default_rng(1)
    a_S = torch.tensor(rng.random((2, 3, 3)))
    a_G = torch.tensor(rng.random((2, 3, 3)), requires_grad=True)
    assert torch.autograd.gradcheck(lambda g: style.layer_style_cost_torch(a_S, g), (a_G,))


def test_bad_inputs():
    with pytest.raises(ValueError, match="shape"):
        style.gram_matrix(np.ones((4, 4)))
    with pytest.raises(ValueError, match="same shape"):
        style.content_cost(np.ones((2, 3, 3)), np.ones((2, 3, 4)))
    with pytest.raises(ValueError, match="one weight per layer"):
        style.style_cost([np.ones((1, 2, 2))], [np.ones((1, 2, 2))], [0.5, 0.5])
    with pytest.raises(ValueError, match="weights"):
        style.feature_net("resnet")
    with pytest.raises(ValueError, match="unknown layers"):
        style.feature_net("random", width=0.125)(torch.zeros(1, 3, 8, 8), ["conv9_1"])
    with pytest.raises(ValueError, match="optimizer"):
        style.style_transfer(np.zeros((8, 8, 3)), np.zeros((8, 8, 3)), optimizer="sgd")


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


@pytest.mark.parametrize("optimizer", ["adam", "lbfgs"])
def test_style_transfer_lowers_the_cost(optimizer):
    torch.set_num_threads(1)
    c = data.image("chelsea", 32)
    s = style.style_image("immunohistochemistry", 40)  # another size than the content
    net = style.feature_net("random", width=0.125)
    img, hist = style.style_transfer(c, s, net=net, steps=15, optimizer=optimizer, device="cpu", progress=False)
    assert img.shape == c.shape and img.min() >= 0 and img.max() <= 1
    assert set(hist) == {"total", "content", "style"} and len(hist["total"]) == 15
    assert hist["style"][-1] < hist["style"][0]
    assert hist["total"][-1] < hist["total"][0]


def test_style_image_grey_is_three_channels():
    assert style.style_image("brick", 32).shape == (32, 32, 3)
    with pytest.raises(ValueError, match="unknown style image"):
        style.style_image("mona_lisa")


def test_top_patches_and_plots():
    import matplotlib.pyplot as plt

    from cnnlab import plot

    net = style.feature_net("random", width=0.125)
    img = data.image("chelsea", 64)
    patches = style.top_patches(net, img, "conv2_1", channel=0, k=3)
    assert len(patches) == 3 and all(p.shape == (10, 10, 3) for p, _ in patches)
    assert patches[0][1] >= patches[1][1] >= patches[2][1]
    assert [style._vgg_rf(*b) for b in [(1, 1), (2, 1), (3, 1), (4, 1)]] == [3, 10, 24, 68]
    with pytest.raises(ValueError, match="channels"):
        style.top_patches(net, img, "conv2_1", channel=999)
    with torch.no_grad():
        feats = net(torch.zeros(1, 3, 16, 24), ["conv1_1", "conv2_1"])
    fig = plot.plot_layer_maps(feats, channels=3)
    assert len(fig.axes) == 6
    plt.close(fig)
    fig = plot.plot_gram(np.eye(3))
    plt.close(fig)
    with pytest.raises(ValueError, match="square"):
        plot.plot_gram(np.ones((2, 3)))
    with pytest.raises(ValueError, match="empty"):
        plot.plot_layer_maps({})
