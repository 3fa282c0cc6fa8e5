"""cnnlab.pooling.robustness: how much a feature map changes when the scene moves, with
and without pooling, on a real image."""

import numpy as np
import pytest

from cnnlab import conv, data
from cnnlab.pooling.robustness import POOLS, feature_map, shift_robustness


@pytest.fixture(scope="module")
def camera():
    return data.image("camera", size=128, gray=True)


SOBEL = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]], dtype=float)


def test_robustness_result_layout(camera):
    r = shift_robustness(camera, SOBEL, shifts=range(4), pool_size=2)
    assert set(r) == {
        "shift",
        "pool_size",
        "none_corr",
        "none_kept",
        "max_corr",
        "max_kept",
        "avg_corr",
        "avg_kept",
    }
    assert r["pool_size"] == 2
    np.testing.assert_array_equal(r["shift"], [0, 1, 2, 3])
    for key in r:
        if key.endswith(("_corr", "_kept")):
            assert r[key].shape == (4,)
            assert r[key][0] == pytest.approx(1.0)  # no shift, no change
            assert np.all(r[key] <= 1 + 1e-12)


def test_max_pooling_keeps_more_detections_than_no_pooling(camera):
    r = shift_robustness(camera, SOBEL, shifts=range(4), pool_size=2)
    assert r["max_kept"][1] > r["none_kept"][1] + 0.2
    assert r["max_corr"][1] > r["none_corr"][1]
    assert r["max_kept"][1] > r["avg_kept"][1]
    bigger = shift_robustness(camera, SOBEL, shifts=range(4), pool_size=4, pools=("max",))
    assert set(bigger) == {"shift", "pool_size", "max_corr", "max_kept"}
    assert bigger["max_kept"][2] > r["max_kept"][2]


def test_robustness_compares_real_translations(camera):
    # shifting the scene by d is comparing two crops d pixels apart: check one cell by hand
    r = shift_robustness(camera, SOBEL, shifts=[0, 2], pools=("none",))
    width = camera.shape[1] - 2
    a = np.maximum(conv.conv2d(camera[None, None, :, :width], SOBEL[None, None]), 0)[0, 0]
    b = np.maximum(conv.conv2d(camera[None, None, :, 2 : 2 + width], SOBEL[None, None]), 0)[0, 0]
    assert r["none_corr"][1] == pytest.approx(np.corrcoef(a.ravel(), b.ravel())[0, 1])


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"image": np.zeros((4, 4, 3))}, "2D grey image"),
        ({"kernel": np.zeros(3)}, "kernel must be 2D"),
        ({"shifts": []}, "at least one shift"),
        ({"shifts": [-1]}, "shift must be an integer >= 0"),
        ({"pools": ("median",)}, "subset"),
        ({"pool_size": 0}, "pool_size"),
        ({"image": np.zeros((8, 8)), "shifts": range(8)}, "too small"),
    ],
)
def test_robustness_validates(camera, kwargs, match):
    args = {"image": camera, "kernel": SOBEL, **kwargs}
    with pytest.raises(ValueError, match=match):
        shift_robustness(args.pop("image"), args.pop("kernel"), **args)


def test_feature_map_is_conv_relu_then_pool():
    x = np.random.default_rng(4).normal(size=(11, 11))
    fmap = np.maximum(conv.conv2d(x[None, None], SOBEL[None, None]), 0)[0, 0]  # 9x9
    np.testing.assert_array_equal(feature_map(x, SOBEL), fmap)
    by_hand = fmap.reshape(3, 3, 3, 3).max(axis=(1, 3))  # 3x3 windows, stride 3
    np.testing.assert_array_equal(feature_map(x, SOBEL, "max", 3), by_hand)
    assert feature_map(x, SOBEL, "avg", 2).shape == (4, 4)
    assert POOLS == ("none", "max", "avg")
