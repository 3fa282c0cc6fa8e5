"""cnnlab.resnet.check: the ResNet checkers accept the reference answers and name the
typical mistakes."""

import pytest
import torch

from cnnlab import resnet
from cnnlab.resnet import check

# exercise 1: the projection shortcut's weights


def test_projection_reference_matches_pytorch():
    block = resnet.Block(16, 32, stride=2, shortcut="projection")
    n = sum(p.numel() for p in block.proj.parameters())
    assert n == 16 * 32
    assert check.projection_shortcut_params(n).ok
    assert check.projection_shortcut_params(512.0).ok


@pytest.mark.parametrize(
    "answer, hint",
    [
        (0, "identity shortcut"),
        (16 * 32 + 32, "no bias"),
        (9 * 16 * 32, "not 3x3"),
        (9 * 16 * 32 + 32, "without bias"),
        (32 * 32, "16 channels, not 32"),
        (16 * 16, "not 16"),
        (48, "multiply, don't add"),
        (128, "does not change the number of weights"),
        (None, "Replace None"),
        (7, "not right yet"),
    ],
)
def test_projection_names_the_mistake(answer, hint):
    fb = check.projection_shortcut_params(answer)
    assert not fb.ok
    assert hint in fb.message


def test_projection_generic_hint_does_not_give_the_answer_away():
    assert "512" not in check.projection_shortcut_params(7).message


# exercise 2: make a residual block the identity


def _block(**kw):
    torch.manual_seed(1)
    return resnet.Block(16, 16, **kw)


def test_identity_reference_is_accepted():
    block = _block()
    with torch.no_grad():
        block.conv2.weight.zero_()
        block.conv2.bias.zero_()
    assert check.residual_identity(block).ok


def test_identity_zero_init_block_is_accepted():
    assert check.residual_identity(_block(zero_init=True)).ok


def test_identity_untouched_block_is_rejected():
    fb = check.residual_identity(_block())
    assert not fb.ok and "which layer" in fb.message


def test_identity_bias_left_names_it():
    block = _block()
    with torch.no_grad():
        block.conv2.weight.zero_()
        block.conv2.bias.fill_(0.1)
    fb = check.residual_identity(block)
    assert not fb.ok and "bias still adds a constant" in fb.message


def test_identity_zeroing_conv1_names_it():
    block = _block()
    with torch.no_grad():
        block.conv1.weight.zero_()
        block.conv1.bias.fill_(0.1)
    fb = check.residual_identity(block)
    assert not fb.ok and "Zeroing conv1 is not enough" in fb.message


def test_identity_plain_block_names_it():
    block = _block(residual=False, zero_init=True)
    fb = check.residual_identity(block)
    assert not fb.ok and "plain block" in fb.message


def test_identity_wrong_type():
    assert "Pass the cnnlab.resnet.Block" in check.residual_identity(None).message


# exercise 3: the vanishing factor


def test_vanishing_reference():
    assert check.vanishing_factor(0.5**20).ok
    assert check.vanishing_factor(9.537e-7).ok


@pytest.mark.parametrize(
    "answer, hint",
    [
        (10, "not 0.5 * 20"),
        (0.5**19, "all 20 layers"),
        (0.5**21, "not 21"),
        (20**0.5, "not 20 ** 0.5"),
        (1.5**20, "residual block's factor"),
        (1 - 0.5**20, "how much is lost"),
        (None, "Replace None"),
        (0.3, "not right yet"),
    ],
)
def test_vanishing_names_the_mistake(answer, hint):
    fb = check.vanishing_factor(answer)
    assert not fb.ok
    assert hint in fb.message
