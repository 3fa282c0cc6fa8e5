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


# exercise 3: a residual block's forward pass


def reference(x, layers):
    f = layers.bn2(layers.conv2(torch.relu(layers.bn1(layers.conv1(x)))))
    shortcut = x if layers.proj is None else layers.proj(x)
    return torch.relu(f + shortcut)


def test_residual_forward_reference_is_accepted():
    fb = check.residual_block_function(reference)
    assert fb.ok, fb.message


def test_checking_blocks_have_non_trivial_norms_in_eval_mode():
    for block in check.checking_blocks():
        assert not block.training
        assert not torch.allclose(block.bn1.running_var, torch.ones_like(block.bn1.running_var))


def _f(x, L):
    return L.bn2(L.conv2(torch.relu(L.bn1(L.conv1(x)))))


def _s(x, L):
    return x if L.proj is None else L.proj(x)


def _padded(x, L):
    f = _f(x, L)
    if L.proj is None:
        return torch.relu(f + x)
    sub = x[:, :, ::2, ::2]
    return torch.relu(f + torch.nn.functional.pad(sub, (0, 0, 0, 0, 0, f.shape[1] - x.shape[1])))


MISTAKES = [
    (lambda x, L: torch.relu(_f(x, L)), "forgot the shortcut"),
    (lambda x, L: _f(x, L) + _s(x, L), "last ReLU is missing"),
    (lambda x, L: torch.relu(_f(x, L)) + _s(x, L), "after the last ReLU"),
    (
        lambda x, L: torch.relu(L.bn2(L.conv2(torch.relu(L.bn1(L.conv1(x)))) + _s(x, L))),
        "before the second batch norm",
    ),
    (
        lambda x, L: torch.relu(L.bn2(L.conv2(L.bn1(L.conv1(x)))) + _s(x, L)),
        "ReLU between its two convolutions",
    ),
    (
        lambda x, L: torch.relu(L.bn2(L.conv2(L.bn1(torch.relu(L.conv1(x))))) + _s(x, L)),
        "ReLU before the batch norm",
    ),
    (lambda x, L: torch.relu(_f(x, L) + x), "projection is missing"),
    (lambda x, L: torch.relu(_f(x, L) + L.proj(x)), "layers.proj is None"),
    (_padded, "not the zero-padded input"),
    (lambda x, L: L(x), "call its layers one by one"),
    (lambda x, L: torch.relu(_f(x, L))[:, :, ::2], "shape"),
    (lambda x, L: 2 * reference(x, L), "not one of the usual slips"),
    (lambda x, L: reference(x, L).numpy(), "Return a tensor"),
    (lambda x, L: 1 / 0, "ZeroDivisionError"),
    (lambda x, L: None, "returns None"),
]


@pytest.mark.parametrize("fn, hint", MISTAKES)
def test_residual_forward_names_the_mistake(fn, hint):
    fb = check.residual_block_function(fn)
    assert not fb.ok
    assert hint in fb.message, fb.message


def test_residual_forward_wrong_type():
    assert "Pass your function itself" in check.residual_block_function(None).message
