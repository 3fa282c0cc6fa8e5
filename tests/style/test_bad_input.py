"""Bad input to the style costs and the transfer (issue 15): each class of input gets a clear
ValueError naming the argument, what was received and what is valid, never a silently wrong
number (a NaN, a negative cost, a complex or object result)."""

import numpy as np
import pytest
import torch

from cnnlab import style

GOOD = np.ones((2, 3, 3))
COSTS = {  # every NumPy cost, called with one bad argument and good others
    "gram_matrix": lambda bad: style.gram_matrix(bad),
    "content_cost": lambda bad: style.content_cost(GOOD, bad),
    "layer_style_cost": lambda bad: style.layer_style_cost(bad, GOOD),
    "style_cost": lambda bad: style.style_cost([GOOD], [bad]),
}


@pytest.mark.parametrize("name", COSTS)
@pytest.mark.parametrize(
    "bad, words",
    [
        (np.ones((2, 3, 3), dtype=bool), "booleans"),
        (np.ones((2, 3, 3), dtype=complex), "complex"),
        (np.full((2, 3, 3), "1"), "strings"),
        (np.full((2, 3, 3), None), "Python objects"),
        ("activations", "real numbers"),
        (None, "real numbers"),
    ],
)
def test_wrong_dtype_is_refused(name, bad, words):
    with pytest.raises(ValueError, match=words):
        COSTS[name](bad)


@pytest.mark.parametrize("dtype", [torch.bool, torch.complex64])
def test_wrong_dtype_is_refused_by_the_torch_twins(dtype):
    bad = torch.ones(2, 3, 3, dtype=dtype)
    for fn in (style.gram_matrix_torch, lambda a: style.content_cost_torch(bad, a)):
        with pytest.raises(ValueError, match="real numbers"):
            fn(bad)
    with pytest.raises(ValueError, match="torch tensor"):
        style.gram_matrix_torch(np.ones((2, 3, 3)))


@pytest.mark.parametrize("shape", [(0, 3, 3), (2, 0, 3), (2, 3, 0), (1, 0, 3, 3)])
def test_zero_size_layer_is_an_error_not_nan(shape):
    empty = np.ones(shape)
    for fn in COSTS.values():
        with pytest.raises(ValueError, match="no entries"):
            fn(empty)
    with pytest.raises(ValueError, match="no entries"):
        style.layer_style_cost_torch(torch.ones(shape), torch.ones(shape))
    with pytest.raises(ValueError, match="no entries"):
        style.content_cost_torch(torch.ones(shape), torch.ones(shape))


def test_no_layers_is_an_error_not_a_division_by_zero():
    for fn in (style.style_cost, style.style_cost_torch):
        with pytest.raises(ValueError, match="style_feats is empty"):
            fn([], [])
        with pytest.raises(ValueError, match="style_feats is empty"):
            fn({}, {})


def test_nan_and_inf_activations_are_refused():
    for value in (np.nan, np.inf):
        bad = GOOD.copy()
        bad[0, 0, 0] = value
        for fn in COSTS.values():
            with pytest.raises(ValueError, match="NaN or infinite"):
                fn(bad)


@pytest.mark.parametrize("weight", [-0.5, np.nan, np.inf, True, "0.5", None, 1j])
def test_bad_layer_weights_are_refused(weight):
    with pytest.raises(ValueError, match=r"layer_weights"):
        style.style_cost([GOOD, GOOD], [GOOD, 2 * GOOD], [0.5, weight])
    with pytest.raises(ValueError, match=r"layer_weights\['b'\]"):
        style.style_cost({"a": GOOD, "b": GOOD}, {"a": GOOD, "b": GOOD}, {"a": 1.0, "b": weight})
    with pytest.raises(ValueError, match=r"style_layers\['relu1_1'\]"):
        style.style_transfer(
            np.zeros((8, 8, 3)), np.zeros((8, 8, 3)), style_layers={"relu1_1": weight}
        )


@pytest.mark.parametrize("name", ["alpha", "beta", "tv_weight"])
@pytest.mark.parametrize("value", [-1.0, np.nan, np.inf, False, "1"])
def test_bad_cost_weights_are_refused(name, value):
    with pytest.raises(ValueError, match=f"{name} must be a finite number >= 0"):
        style.style_transfer(np.zeros((8, 8, 3)), np.zeros((8, 8, 3)), **{name: value})
    if name != "tv_weight":
        with pytest.raises(ValueError, match=name):
            style.total_cost(1.0, 1.0, **{name: value})


def test_a_bare_array_instead_of_a_list_is_named():
    with pytest.raises(
        ValueError, match=r"style_feats must be a list.*single ndarray of shape \(2, 3, 3\)"
    ):
        style.style_cost(GOOD, [GOOD])
    with pytest.raises(ValueError, match=r"gen_feats must be a list.*single Tensor"):
        style.style_cost_torch([torch.ones(2, 3, 3)], torch.ones(2, 3, 3))


def test_a_dict_where_a_list_is_expected_is_named():
    with pytest.raises(
        ValueError, match="gen_feats must be a list too.*got gen_feats of type dict"
    ):
        style.style_cost([GOOD], {"relu1_1": GOOD})
    with pytest.raises(ValueError, match="gen_feats must be one too.*type list"):
        style.style_cost({"relu1_1": GOOD}, [GOOD])
    with pytest.raises(ValueError, match="layer_weights is a dict"):
        style.style_cost([GOOD], [GOOD], {"relu1_1": 1.0})
    with pytest.raises(ValueError, match="name different layers"):
        style.style_cost({"a": GOOD}, {"b": GOOD})
    with pytest.raises(ValueError, match="style_feats must be a list.*got int"):
        style.style_cost(3, [GOOD])
    with pytest.raises(ValueError, match="style_layers must be a dict.*got list"):
        style.style_transfer(np.zeros((8, 8, 3)), np.zeros((8, 8, 3)), style_layers=["relu1_1"])


def test_bad_images_are_refused_with_their_name():
    good = np.zeros((8, 8, 3))
    with pytest.raises(ValueError, match="content.*grey"):
        style.style_transfer(np.zeros((8, 8)), good, net=style.feature_net("random"))
    with pytest.raises(ValueError, match="style.*dtype bool"):
        style.style_transfer(good, np.zeros((8, 8, 3), bool), net=style.feature_net("random"))
