"""cnnlab.style.vgg: the VGG16 feature network (trained and random), its input conversion,
receptive fields, and that torchvision is never needed."""

import subprocess
import sys

import numpy as np
import pytest
import torch

from cnnlab import data, pretrained, style


@pytest.fixture(scope="module")
def net():
    return style.feature_net("vgg16")


def test_trained_net_is_hed_vgg16_and_frozen(net):
    assert "HED" in net.source and "BSDS500" in net.source
    assert net.short == style.SHORT["vgg16"]
    assert not net.training
    assert not any(p.requires_grad for p in net.parameters())
    assert net.names[-1] == "relu5_1"  # stops where the style layers end
    ref = pretrained.vgg16()
    assert torch.equal(net.body.conv3_1.weight, ref.conv3_1.weight)


def test_forward_matches_pretrained_activations(net):
    img = data.image("astronaut", 32)
    ours = net(style.image_tensor(img), ["relu1_1", "relu4_2"])
    ref = pretrained.activations(None, img, ["relu1_1", "relu4_2"])
    for k in ours:
        torch.testing.assert_close(ours[k], ref[k], rtol=1e-4, atol=1e-3)
    assert ours["relu4_2"].shape == (1, 512, 4, 4)


def test_gradients_reach_the_pixels(net):
    x = style.image_tensor(data.image("chelsea", 24)).requires_grad_(True)
    net(x, ["relu2_1"])["relu2_1"].square().mean().backward()
    assert x.grad is not None and x.grad.abs().sum() > 0


def test_random_net_same_layout_seeded():
    a, b = style.feature_net("random", seed=3), style.feature_net("random", seed=3)
    assert "random" in a.source and "seed 3" in a.source
    assert torch.equal(a.body.conv1_1.weight, b.body.conv1_1.weight)
    assert a.names == style.feature_net("vgg16").names
    w = a.body.conv2_1.weight
    assert abs(w.std().item() - (2 / (64 * 9)) ** 0.5) < 0.002  # He initialisation
    assert torch.count_nonzero(a.body.conv2_1.bias) == 0


def test_bad_inputs(net):
    with pytest.raises(ValueError, match="weights must be one of"):
        style.feature_net("resnet")
    with pytest.raises(ValueError, match="layers must be names"):
        net(torch.zeros(1, 3, 8, 8), ["conv9_1"])
    with pytest.raises(ValueError, match="RGB"):
        net(torch.zeros(1, 1, 8, 8), ["relu1_1"])
    with pytest.raises(ValueError, match="unknown layer"):
        style.layer_receptive_field("conv9_1")


def test_receptive_fields():
    rfs = [style.layer_receptive_field(f"relu{b}_1") for b in (1, 2, 3, 4, 5)]
    assert rfs == [3, 10, 24, 60, 132]
    assert style.layer_receptive_field("relu1_2") == style.layer_receptive_field("conv1_2") == 5
    assert style.layer_receptive_field("relu4_2") == 76


def test_image_tensor():
    t = style.image_tensor(np.zeros((4, 5, 3)))
    assert t.shape == (1, 3, 4, 5) and t.dtype == torch.float32
    assert style.image_tensor(np.full((4, 5, 3), 255, np.uint8)).max() == 1.0
    with pytest.raises(ValueError, match="grey"):
        style.image_tensor(np.zeros((4, 5)))
    with pytest.raises(ValueError, match="content"):
        style.image_tensor(np.zeros((4, 5, 2)), name="content")


def test_torchvision_is_never_imported():
    code = (
        "import sys; sys.modules['torchvision'] = None\n"  # any import of it would fail
        "from cnnlab import style\n"
        "net = style.feature_net('random')\n"
        "import cnnlab.style.transfer, cnnlab.style.plot, cnnlab.style.check\n"
        "print('torchvision' in sys.modules and sys.modules['torchvision'] is not None)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
