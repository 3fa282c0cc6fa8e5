"""cnnlab.filters.learning: learning a filter, and recovering an image from its responses."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnlab import conv2d, conv2d_backward, data, filters


def _standardised_textures(size=48):
    out = []
    for name in ("grass", "gravel", "brick", "camera"):
        img = data.image(name, size=64, gray=True)[:size, :size]
        out.append((img - img.mean()) / img.std())
    return np.stack(out)


# ------------------------------------------------------------------ learning a filter


def test_learn_filter_recovers_sobel_from_image_edge_pairs():
    x = _standardised_textures()
    targets = conv2d(x[:, None], filters.sobel_x()[None, None])[:, 0]
    k, losses = filters.learn_filter(x, targets, kernel_size=3, steps=300, lr=0.1, seed=0)
    assert k.shape == (3, 3) and losses.shape == (301,)
    np.testing.assert_allclose(k, filters.sobel_x(), atol=1e-3)
    assert losses[-1] < 1e-6 * losses[0]
    assert np.all(np.diff(losses) <= 1e-12)  # a small enough step never goes uphill
    # deterministic: same seed, same result
    k2, _ = filters.learn_filter(x, targets, 3, 300, 0.1, 0)
    np.testing.assert_array_equal(k, k2)


def test_learn_filter_gradient_matches_torch_autograd():
    # learn_filter's first step is w0 - lr * dL/dw; recover dL/dw from it and compare.
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 9, 8))
    t = rng.normal(size=(2, 7, 6))
    w0, _ = filters.learn_filter(x, t, 3, steps=0, seed=5)
    w1, _ = filters.learn_filter(x, t, 3, steps=1, lr=1.0, seed=5)
    wt = torch.tensor(w0[None, None], requires_grad=True)
    loss = ((F.conv2d(torch.tensor(x[:, None]), wt) - torch.tensor(t[:, None])) ** 2).mean()
    loss.backward()
    np.testing.assert_allclose(w0 - w1, wt.grad.numpy()[0, 0], rtol=1e-10, atol=1e-12)


def test_learn_filter_handles_channels_and_several_filters():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 2, 12, 12))  # white noise: a well-conditioned problem
    w_true = rng.normal(size=(4, 2, 3, 3))
    t = conv2d(x, w_true)
    w, losses = filters.learn_filter(x, t, 3, steps=400, lr=0.3, seed=1)
    assert w.shape == (4, 2, 3, 3)
    np.testing.assert_allclose(w, w_true, atol=1e-4)


def test_learn_filter_says_what_went_wrong():
    x = np.zeros((2, 8, 8))
    with pytest.raises(ValueError, match=r"\(2, 1, 6, 6\)"):
        filters.learn_filter(x, np.zeros((2, 5, 5)), kernel_size=3)
    with pytest.raises(ValueError, match="targets must be"):
        filters.learn_filter(x, np.zeros((2, 1, 6, 6)), kernel_size=3)
    with pytest.raises(ValueError, match="larger than the images"):
        filters.learn_filter(x, np.zeros((2, 1, 1)), kernel_size=9)
    with pytest.raises(ValueError, match="lr"):
        filters.learn_filter(x, np.zeros((2, 6, 6)), lr=-1)
    big = _standardised_textures()
    targets = conv2d(big[:, None], filters.sobel_x()[None, None])[:, 0]
    with pytest.raises(ValueError, match="diverged"):
        filters.learn_filter(big, targets, steps=2000, lr=5.0)


# ------------------------------------------------------------------ reconstruction


def test_reconstruction_error_goes_down_and_recovers_the_image():
    img = data.image("camera", size=48, gray=True)
    bank = np.stack(
        [filters.sobel_x(), filters.sobel_y(), filters.laplacian(), filters.gaussian_blur()]
    )
    responses = conv2d(img[None, None], bank[:, None])[0]
    rec, losses = filters.reconstruct_from_responses(responses, bank, img.shape, steps=800)
    assert rec.shape == img.shape and losses.shape == (801,)
    assert np.all(np.diff(losses) <= 1e-15)  # the default step never goes uphill
    assert losses[-1] < 1e-3 * losses[0]
    # the noise it starts from is far from the image; the result is close to it
    start, _ = filters.reconstruct_from_responses(responses, bank, steps=0)
    assert np.abs(start - img).mean() > 0.2
    assert np.abs(rec[2:-2, 2:-2] - img[2:-2, 2:-2]).mean() < 0.01


def test_edge_filters_alone_cannot_see_flat_brightness():
    # Shifting the image's brightness changes no Sobel response: those responses cannot
    # tell the two apart, so neither can any reconstruction from them.
    img = data.image("camera", size=32, gray=True)
    bank = np.stack([filters.sobel_x(), filters.sobel_y()])
    r1 = conv2d(img[None, None], bank[:, None])
    r2 = conv2d(img[None, None] + 0.3, bank[:, None])
    np.testing.assert_allclose(r1, r2, atol=1e-12)


def test_reconstruction_of_a_colour_image_with_a_4d_bank():
    rng = np.random.default_rng(0)
    x = rng.uniform(size=(3, 10, 10))
    bank = rng.normal(size=(12, 3, 3, 3))  # more maps than unknowns per position
    r = conv2d(x[None], bank)[0]
    rec, losses = filters.reconstruct_from_responses(r, bank, steps=3000, seed=1)
    assert rec.shape == (3, 10, 10)
    assert losses[-1] < 1e-4 * losses[0]


def test_reconstruction_rejects_mismatched_input():
    bank = np.stack([filters.sobel_x(), filters.sobel_y()])
    with pytest.raises(ValueError, match="one activation map per filter"):
        filters.reconstruct_from_responses(np.zeros((3, 6, 6)), bank)
    with pytest.raises(ValueError, match=r"\(8, 8\)"):
        filters.reconstruct_from_responses(np.zeros((2, 6, 6)), bank, shape=(10, 10))
    with pytest.raises(ValueError, match="responses"):
        filters.reconstruct_from_responses(np.zeros((6, 6)), bank)
    with pytest.raises(ValueError, match="lr"):
        filters.reconstruct_from_responses(np.zeros((2, 6, 6)), bank, lr=0)
    with pytest.raises(ValueError, match="diverged"):
        filters.reconstruct_from_responses(
            conv2d(np.ones((1, 1, 8, 8)), bank[:, None])[0] + 1, bank, steps=500, lr=1e4
        )


def test_backward_is_what_learn_filter_uses():
    # Sanity link to the reference: the loss gradient learn_filter follows is conv2d_backward's.
    rng = np.random.default_rng(1)
    x, w = rng.normal(size=(1, 1, 6, 6)), rng.normal(size=(1, 1, 3, 3))
    t = rng.normal(size=(1, 1, 4, 4))
    err = conv2d(x, w) - t
    _, dw, _ = conv2d_backward(2 * err / err.size, x, w)
    eps = 1e-6
    w_plus = w.copy()
    w_plus[0, 0, 1, 2] += eps
    numeric = (np.mean((conv2d(x, w_plus) - t) ** 2) - np.mean(err**2)) / eps
    assert numeric == pytest.approx(dw[0, 0, 1, 2], rel=1e-4)
