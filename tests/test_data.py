"""cnnlab.data: sample images, the digits split and the NCHW layout, all offline."""

from __future__ import annotations

import numpy as np
import pytest
from skimage import color
from skimage import data as skdata

import cnnlab
from cnnlab import data

SHAPES = {
    "astronaut": (512, 512, 3),
    "chelsea": (300, 451, 3),
    "coffee": (400, 600, 3),
    "camera": (512, 512),
    "coins": (303, 384),
    "brick": (512, 512),
    "grass": (512, 512),
    "gravel": (512, 512),
    "rocket": (427, 640, 3),
}


def test_every_listed_image_is_known():
    assert set(data.IMAGES) == set(SHAPES)


@pytest.mark.parametrize("name", data.IMAGES)
def test_image_shape_and_range(name):
    img = data.image(name)
    assert img.shape == SHAPES[name]
    assert img.dtype == np.float64
    assert 0.0 <= img.min() and img.max() <= 1.0
    # uint8 images are scaled by 255, not stretched to their own maximum
    np.testing.assert_allclose(img, getattr(skdata, name)() / 255.0)


@pytest.mark.parametrize("name", ["chelsea", "rocket"])
def test_gray_turns_colour_into_one_channel(name):
    img = data.image(name, gray=True)
    assert img.shape == SHAPES[name][:2]
    np.testing.assert_allclose(img, color.rgb2gray(data.image(name)))
    assert 0.0 <= img.min() and img.max() <= 1.0


def test_gray_leaves_grey_images_alone():
    np.testing.assert_array_equal(data.image("camera", gray=True), data.image("camera"))


@pytest.mark.parametrize(
    "name, size, expected",
    [
        ("chelsea", 64, (43, 64, 3)),  # the longer side becomes 64, the aspect is kept
        ("coins", 100, (79, 100)),
        ("camera", 32, (32, 32)),
        ("rocket", 4, (3, 4, 3)),
        ("chelsea", 128, (85, 128)),
    ],
)
def test_resize_keeps_aspect_and_range(name, size, expected):
    img = data.image(name, size=size, gray=len(expected) == 2 and len(SHAPES[name]) == 3)
    assert img.shape == expected
    assert 0.0 <= img.min() and img.max() <= 1.0


def test_resized_image_is_a_smoothed_version():
    small = data.image("camera", size=64)
    # anti-aliased resize: each pixel is close to the mean of its 8x8 block
    blocks = data.image("camera").reshape(64, 8, 64, 8).mean(axis=(1, 3))
    assert np.abs(small - blocks).mean() < 0.03


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (
            dict(name="lena"),
            r"unknown image 'lena'; choose one of astronaut, chelsea, coffee, camera",
        ),
        (dict(name="Chelsea"), r"unknown image 'Chelsea'; choose one of .*rocket"),
        (dict(name="chelsea", size=3), r"size must be an integer >= 4, got 3"),
        (dict(name="chelsea", size=0), r"size must be an integer >= 4, got 0"),
    ],
)
def test_image_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        data.image(**kwargs)


# ---------------------------------------------------------------------------------------
# to_nchw


def test_to_nchw_colour():
    img = np.random.default_rng(0).random((5, 7, 3))
    batch = data.to_nchw(img)
    assert batch.shape == (1, 3, 5, 7)
    for c in range(3):
        np.testing.assert_array_equal(batch[0, c], img[:, :, c])


def test_to_nchw_gray():
    img = np.random.default_rng(0).random((5, 7))
    batch = data.to_nchw(img)
    assert batch.shape == (1, 1, 5, 7)
    np.testing.assert_array_equal(batch[0, 0], img)


def test_to_nchw_feeds_conv2d():
    img = data.image("chelsea", size=32)
    out = cnnlab.conv2d(data.to_nchw(img), np.ones((2, 3, 3, 3)) / 27)
    assert out.shape == (1, 2, img.shape[0] - 2, img.shape[1] - 2)


@pytest.mark.parametrize("shape", [(5,), (1, 3, 5, 5), ()])
def test_to_nchw_errors(shape):
    with pytest.raises(ValueError, match=rf"expected an \(H, W\) or \(H, W, C\) image, got shape {re_shape(shape)}"):  # fmt: skip
        data.to_nchw(np.zeros(shape))


def re_shape(shape):
    return str(tuple(shape)).replace("(", r"\(").replace(")", r"\)")


# ---------------------------------------------------------------------------------------
# digits


def test_digits_split_shapes_and_dtypes():
    xtr, ytr, xte, yte = data.digits()
    assert xtr.shape == (1347, 1, 8, 8) and xte.shape == (450, 1, 8, 8)
    assert ytr.shape == (1347,) and yte.shape == (450,)
    assert xtr.dtype == np.float32 and xte.dtype == np.float32
    assert ytr.dtype == np.int64 and yte.dtype == np.int64
    assert xtr.min() == 0.0 and xtr.max() == 1.0 and xte.max() <= 1.0


def test_digits_split_is_a_stratified_partition():
    from sklearn.datasets import load_digits

    xtr, ytr, xte, yte = data.digits(test_fraction=0.2)
    everything = load_digits()
    assert len(ytr) + len(yte) == len(everything.target)
    np.testing.assert_array_equal(
        np.bincount(ytr, minlength=10) + np.bincount(yte, minlength=10),
        np.bincount(everything.target),
    )
    # every class is in both parts, in about the same share
    share = np.bincount(yte, minlength=10) / np.bincount(everything.target)
    assert np.all(np.abs(share - 0.2) < 0.02)
    # the images are the dataset's, scaled from 0..16 to 0..1, with their labels
    first = np.flatnonzero((everything.images / 16.0 == xtr[0, 0]).all(axis=(1, 2)))
    assert ytr[0] in everything.target[first]


def test_digits_split_is_fixed_by_the_seed():
    a, b, c = data.digits(seed=0), data.digits(seed=0), data.digits(seed=1)
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)
    assert not np.array_equal(a[1], c[1])


@pytest.mark.parametrize("fraction", [0, 1, 1.5, -0.1])
def test_digits_rejects_bad_fraction(fraction):
    with pytest.raises(ValueError, match=rf"test_fraction must be between 0 and 1, got {fraction}"):
        data.digits(test_fraction=fraction)


def test_scatter_digits_places_every_digit_whole_on_the_canvas():
    x = np.random.default_rng(0).random((5, 1, 8, 8)).astype(np.float32) + 1.0  # all > 0
    out = data.scatter_digits(x, canvas=16, noise=0.0, copies=3, seed=1)
    assert out.shape == (15, 1, 16, 16) and out.dtype == np.float32
    offsets = set()
    for i, im in enumerate(out[:, 0]):
        rows, cols = np.nonzero(im)
        r, c = rows.min(), cols.min()
        assert rows.max() - r == 7 and cols.max() - c == 7  # the whole digit, nothing else
        np.testing.assert_array_equal(im[r : r + 8, c : c + 8], x[i % 5, 0])
        offsets.add((r, c))
    assert len(offsets) > 5  # places differ
    np.testing.assert_array_equal(out, data.scatter_digits(x, 16, 0.0, 3, seed=1))


def test_scatter_digits_noise_has_the_asked_spread():
    x = np.zeros((200, 1, 8, 8), dtype=np.float32)
    out = data.scatter_digits(x, canvas=12, noise=0.3, seed=0)
    assert abs(out.std() - 0.3) < 0.01 and abs(out.mean()) < 0.01


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(x=np.zeros((2, 8, 8))), r"\(N, 1, H, W\)"),
        (dict(canvas=6), "canvas must be an integer >= 8"),
        (dict(copies=0), "copies must be an integer >= 1"),
        (dict(noise=-0.1), "noise is a standard deviation"),
        (dict(noise="lots"), "noise is a standard deviation"),
    ],
)
def test_scatter_digits_errors(kwargs, match):
    args = dict(x=np.zeros((2, 1, 8, 8))) | kwargs
    with pytest.raises(ValueError, match=match):
        data.scatter_digits(**args)
