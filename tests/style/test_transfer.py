"""cnnlab.style.transfer: the optimisation lowers J(G); content reconstructions; each
layer's share of the style cost; style images; option checks."""

import numpy as np
import pytest
import torch

from cnnlab import data, style


@pytest.fixture(scope="module")
def net():
    torch.set_num_threads(1)
    return style.feature_net("vgg16")


def test_bad_options():
    c = np.zeros((8, 8, 3))
    with pytest.raises(ValueError, match="optimizer"):
        style.style_transfer(c, c, optimizer="sgd")
    with pytest.raises(ValueError, match="init"):
        style.style_transfer(c, c, init="zeros")
    with pytest.raises(ValueError, match="steps"):
        style.style_transfer(c, c, steps=0)
    with pytest.raises(ValueError, match="steps"):
        style.style_transfer(c, c, steps=2.5)
    with pytest.raises(ValueError, match="lr"):
        style.style_transfer(c, c, lr=0)


@pytest.mark.parametrize("optimizer", ["lbfgs", "adam"])
def test_style_transfer_lowers_the_cost(net, optimizer):
    c = data.image("chelsea", 32)
    s = style.style_image("immunohistochemistry", 40)  # another size than the content
    img, hist = style.style_transfer(
        c, s, net=net, steps=12, optimizer=optimizer, device="cpu", progress=False
    )
    assert img.shape == c.shape and img.min() >= 0 and img.max() <= 1
    assert set(hist) == {"total", "content", "style"} and len(hist["total"]) == 12
    assert hist["style"][-1] < hist["style"][0]
    assert hist["total"][-1] < hist["total"][0]


def test_transfer_is_deterministic_and_noise_start_is_seeded(net):
    c, s = data.image("coffee", 24), style.style_image("brick", 24)
    kw = {"net": net, "steps": 3, "device": "cpu", "progress": False, "init": "noise"}
    a, _ = style.style_transfer(c, s, seed=1, **kw)
    b, _ = style.style_transfer(c, s, seed=1, **kw)
    d, _ = style.style_transfer(c, s, seed=2, **kw)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, d)


def test_transfer_cost_is_the_sum_of_its_parts(net):
    c = style.image_tensor(data.image("chelsea", 32))
    s = style.image_tensor(style.style_image("brick", 32))
    a_C, grams = style.style_targets(net, c, s, style.CONTENT_LAYER, style.STYLE_LAYERS)
    assert set(grams) == set(style.STYLE_LAYERS)
    kw = {"content_layer": style.CONTENT_LAYER, "style_layers": style.STYLE_LAYERS}
    j, jc, js = style.transfer_cost(net, c, a_C, grams, alpha=10, beta=0.01, **kw)
    assert jc.item() == 0  # G = C: nothing to pay for the content
    assert j.item() == pytest.approx(0.01 * js.item())
    j_tv, _, _ = style.transfer_cost(net, c, a_C, grams, alpha=10, beta=0.01, tv_weight=2, **kw)
    assert j_tv.item() == pytest.approx(j.item() + 2 * style.total_variation(c).item())
    assert style.total_variation(torch.ones(1, 3, 4, 4)).item() == 0
    # no style layers: J_style is 0, J is the content part alone
    j0, _, js0 = style.transfer_cost(
        net, c, a_C, {}, content_layer=style.CONTENT_LAYER, style_layers={}, alpha=1, beta=1
    )
    assert js0.item() == 0 and j0.item() == 0


def test_layer_style_costs_match_the_transfer_start(net):
    c, s = data.image("chelsea", 32), style.style_image("immunohistochemistry", 32)
    per = style.layer_style_costs(net, c, s)
    assert list(per) == list(style.STYLE_LAYERS)
    _, hist = style.style_transfer(c, s, net=net, steps=1, device="cpu", progress=False)
    expected = sum(style.STYLE_LAYERS[k] * v for k, v in per.items())
    assert hist["style"][0] == pytest.approx(expected, rel=1e-4)


def test_content_reconstruction_shallow_is_closer_than_deep(net):
    img = data.image("chelsea", 32)
    shallow, h = style.content_reconstruction(img, "relu1_2", steps=40, net=net, device="cpu")
    deep, _ = style.content_reconstruction(img, "relu4_2", steps=40, net=net, device="cpu")
    assert shallow.shape == img.shape and h["content"][-1] < h["content"][0]
    assert np.abs(shallow - img).mean() < np.abs(deep - img).mean()
    assert set(h["style"]) == {0.0}


def test_style_image_grey_is_three_channels():
    assert style.style_image("brick", 32).shape == (32, 32, 3)
    assert style.style_image("hubble_deep_field", 40).shape[2] == 3
    with pytest.raises(ValueError, match="unknown style image"):
        style.style_image("mona_lisa")
    with pytest.raises(ValueError, match="size"):
        style.style_image("immunohistochemistry", 4.5)
