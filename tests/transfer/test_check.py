"""cnnlab.transfer.check: the transfer checkers accept the reference answers and name the
typical mistakes."""

import pytest
import torch

from cnnlab import transfer
from cnnlab.transfer import check


def test_trainable_reference():
    assert check.head_only_trainable(128 * 5 + 5).ok
    assert transfer.count_trainable(transfer.transfer_model(transfer.SmallCNN(5), 5, 3)) == 645


@pytest.mark.parametrize(
    "answer, hint",
    [
        (640, "forgot the biases"),
        (1290, "5 outputs"),
        (645 + 160 + 4640 + 9248, "whole network"),
        (160 + 4640 + 9248, "frozen conv weights"),
        (165, "32 channels x 2 x 2"),
        (0, "never frozen"),
        (None, "Replace None"),
        (7, "not right yet"),
    ],
)
def test_trainable_names_the_mistake(answer, hint):
    fb = check.head_only_trainable(answer)
    assert not fb.ok and hint in fb.message


def _ref(model):
    for name, p in model.named_parameters():
        p.requires_grad_(name.startswith("head."))
    return model


def _all_frozen(model):
    for p in model.parameters():
        p.requires_grad_(False)


def _head_weight_only(model):
    _ref(model)
    model.head.bias.requires_grad_(False)


def _conv1_only(model):
    for p in model.conv1.parameters():
        p.requires_grad_(False)


def _reinit(model):
    _ref(model)
    with torch.no_grad():
        model.conv1[0].weight.zero_()


def test_freeze_reference():
    assert check.freeze_function(_ref).ok
    assert check.freeze_function(lambda m: transfer.freeze(m, 3)).ok


@pytest.mark.parametrize(
    "fn, hint",
    [
        (lambda m: m, "Nothing is frozen"),
        (_all_frozen, "head is frozen too"),
        (_head_weight_only, "Part of the head"),
        (_conv1_only, "Some conv parameters"),
        (_reinit, "must not change the weights"),
        (_ref(transfer.SmallCNN(5)), "no parentheses"),
    ],
)
def test_freeze_names_the_mistake(fn, hint):
    fb = check.freeze_function(fn)
    assert not fb.ok and hint in fb.message


def test_mirror_reference():
    assert check.mirror_function(lambda x: x.flip(-1)).ok
    assert check.mirror_function(lambda x: torch.flip(x, dims=[3])).ok


@pytest.mark.parametrize(
    "fn, hint",
    [
        (lambda x: x.flip(2), "top and bottom"),
        (lambda x: x.flip(1), "colour channels"),
        (lambda x: x.flip(0), "order of the images"),
        (lambda x: x.flip(2, 3), "180"),
        (lambda x: x, "unchanged"),
        (lambda x: x.transpose(2, 3), "must keep"),
        (lambda x: x.roll(1, -1), "Not a left-right mirror"),
        (lambda x: 1 / 0, "raised ZeroDivisionError"),
        ("x", "no parentheses"),
    ],
)
def test_mirror_names_the_mistake(fn, hint):
    fb = check.mirror_function(fn)
    assert not fb.ok and hint in fb.message
