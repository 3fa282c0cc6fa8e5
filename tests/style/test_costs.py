"""cnnlab.style.costs: NumPy costs against hand computations and against their PyTorch twins."""

import numpy as np
import pytest
import torch

from cnnlab import style


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
    t_cost = style.style_cost_torch(
        [torch.tensor(f) for f in feats_s], [torch.tensor(f) for f in feats_g], w
    )
    assert np.isclose(np_cost, t_cost.item())
    by_name = style.style_cost({"x": a, "y": 2 * a}, {"x": b, "y": b + 1}, {"x": 0.3, "y": 0.7})
    assert np.isclose(by_name, np_cost)


def test_style_cost_gradient_matches_numeric():
    rng = np.random.default_rng(1)
    a_S = torch.tensor(rng.random((2, 3, 3)))
    a_G = torch.tensor(rng.random((2, 3, 3)), requires_grad=True)
    assert torch.autograd.gradcheck(lambda g: style.layer_style_cost_torch(a_S, g), (a_G,))


def test_shape_errors():
    # the other classes of bad input are in test_bad_input.py
    with pytest.raises(ValueError, match="shape"):
        style.gram_matrix(np.ones((4, 4)))
    with pytest.raises(ValueError, match="same shape"):
        style.content_cost(np.ones((2, 3, 3)), np.ones((2, 3, 4)))
    with pytest.raises(ValueError, match="one weight per layer"):
        style.style_cost([np.ones((1, 2, 2))], [np.ones((1, 2, 2))], [0.5, 0.5])
    with pytest.raises(ValueError, match="gram_S"):
        style.layer_style_cost_torch(None, torch.ones(2, 3, 3), torch.ones(3, 3))


def test_integer_activations_are_real_numbers():
    a = np.arange(8).reshape(2, 2, 2)  # ints of any width are accepted, as floats
    assert np.allclose(style.gram_matrix(a.astype(np.int8)), style.gram_matrix(a.astype(float)))
    t = torch.arange(8).reshape(2, 2, 2)
    assert torch.allclose(style.gram_matrix_torch(t), style.gram_matrix_torch(t.double()).float())
