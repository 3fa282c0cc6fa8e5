"""HED: structure, the side outputs' wiring, and edges where a picture has one."""

import numpy as np
import pytest
import torch

from cnnlab.pretrained import activations, edges, hed, preprocess


@pytest.fixture(scope="module")
def model():
    return hed()


def step_image(size=64, step=32):
    """Left part dark, right part bright: one vertical edge between columns step-1 and step."""
    img = np.full((size, size, 3), 0.2)
    img[:, step:] = 0.8
    return img


def test_structure_and_mode(model):
    channels = (64, 128, 256, 512, 512)
    for i, c in enumerate(channels, start=1):
        assert getattr(model, f"dsn{i}").weight.shape == (1, c, 1, 1)
    assert model.fuse.weight.shape == (1, 5, 1, 1)
    assert not any(m.training for m in model.modules())
    assert not any(p.requires_grad for p in model.parameters())


def test_outputs_are_probabilities_at_the_input_size():
    fused, sides = edges(np.random.default_rng(0).random((37, 50, 3)))  # odd sizes: ceil pools
    assert fused.shape == (37, 50) and fused.dtype == np.float32
    assert len(sides) == 5 and all(s.shape == (37, 50) for s in sides)
    assert all(0 <= a.min() and a.max() <= 1 for a in [fused, *sides])


@pytest.mark.parametrize("step", [32, 21])
def test_fused_map_peaks_on_a_step_edge(step):
    fused, sides = edges(step_image(step=step))
    interior = slice(8, -8)  # away from the image border, which HED also marks faintly
    column = fused[interior].mean(axis=0)
    assert abs(int(column[interior].argmax()) + 8 - (step - 0.5)) <= 2
    assert column.max() > 0.5  # a confident edge
    assert abs(int(sides[0][interior].mean(axis=0)[interior].argmax()) + 8 - (step - 0.5)) <= 2
    flat, _ = edges(np.full((64, 64, 3), 0.5))
    assert flat[interior, interior].max() < 0.2  # no edge, no answer


def test_side_outputs_are_the_1x1_convs_on_vgg_features(model):
    img = np.random.default_rng(1).random((32, 32, 3))
    _, sides = edges(img, model)
    feats = activations(model.vgg, img, layers=("relu1_2", "relu2_2"))
    side1 = torch.sigmoid(model.dsn1(feats["relu1_2"]))[0, 0].numpy()
    np.testing.assert_allclose(sides[0], side1, atol=1e-5)
    side2 = torch.sigmoid(model.dsn2(feats["relu2_2"]))  # (1, 1, 16, 16) before upsampling
    assert sides[1].shape == (32, 32)
    np.testing.assert_allclose(sides[1][::2, ::2].mean(), side2.mean().item(), atol=0.05)


def test_model_on_a_tensor_matches_edges(model):
    img = np.random.default_rng(2).random((24, 24, 3))
    with torch.no_grad():
        fused_t, _ = model(preprocess(img))
    np.testing.assert_allclose(fused_t[0, 0].numpy(), edges(img, model)[0], atol=1e-6)


def test_grey_images_are_refused_with_the_conversion():
    with pytest.raises(ValueError, match=r"np\.stack\(\[image\] \* 3, axis=-1\)"):
        edges(np.zeros((16, 16)))
