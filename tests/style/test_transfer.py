"""cnnlab.style.transfer: the optimisation lowers J(G); style images; option checks."""

import numpy as np
import pytest
import torch

from cnnlab import data, style


def test_bad_options():
    with pytest.raises(ValueError, match="optimizer"):
        style.style_transfer(np.zeros((8, 8, 3)), np.zeros((8, 8, 3)), optimizer="sgd")


@pytest.mark.parametrize("optimizer", ["adam", "lbfgs"])
def test_style_transfer_lowers_the_cost(optimizer):
    torch.set_num_threads(1)
    c = data.image("chelsea", 32)
    s = style.style_image("immunohistochemistry", 40)  # another size than the content
    net = style.feature_net("random", width=0.125)
    img, hist = style.style_transfer(
        c, s, net=net, steps=15, optimizer=optimizer, device="cpu", progress=False
    )
    assert img.shape == c.shape and img.min() >= 0 and img.max() <= 1
    assert set(hist) == {"total", "content", "style"} and len(hist["total"]) == 15
    assert hist["style"][-1] < hist["style"][0]
    assert hist["total"][-1] < hist["total"][0]


def test_transfer_cost_is_the_sum_of_its_parts():
    net = style.feature_net("random", width=0.125)
    c = style.image_tensor(data.image("chelsea", 32))
    s = style.image_tensor(style.style_image("brick", 32))
    a_C, grams = style.style_targets(net, c, s, style.CONTENT_LAYER, style.STYLE_LAYERS)
    assert set(grams) == set(style.STYLE_LAYERS)
    kw = {"content_layer": style.CONTENT_LAYER, "style_layers": style.STYLE_LAYERS}
    j, jc, js = style.transfer_cost(net, c, a_C, grams, alpha=10, beta=400, **kw)
    assert jc.item() == 0  # G = C: nothing to pay for the content
    assert j.item() == pytest.approx(400 * js.item())
    j_tv, _, _ = style.transfer_cost(net, c, a_C, grams, alpha=10, beta=400, tv_weight=2, **kw)
    assert j_tv.item() == pytest.approx(j.item() + 2 * style.total_variation(c).item())
    assert style.total_variation(torch.ones(1, 3, 4, 4)).item() == 0


def test_style_image_grey_is_three_channels():
    assert style.style_image("brick", 32).shape == (32, 32, 3)
    with pytest.raises(ValueError, match="unknown style image"):
        style.style_image("mona_lisa")
