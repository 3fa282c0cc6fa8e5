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


def _crop_flip(x, pad, generator, same_for_batch=False, flip_dim=-1, p=0.5):
    n, c, h, w = x.shape
    padded = torch.nn.functional.pad(x, (pad, pad, pad, pad))
    out = torch.empty_like(x)
    i, j = torch.randint(0, 2 * pad + 1, (2,), generator=generator).tolist()
    coin = torch.rand(1, generator=generator) < p
    for k in range(n):
        if not same_for_batch:
            i, j = torch.randint(0, 2 * pad + 1, (2,), generator=generator).tolist()
            coin = torch.rand(1, generator=generator) < p
        out[k] = padded[k, :, i : i + h, j : j + w]
        if coin:
            out[k] = out[k].flip(flip_dim)
    return out


def test_crop_flip_accepts_reference_and_names_mistakes():
    from cnnlab.transfer import check as ch

    assert ch.crop_flip_function(_crop_flip).ok
    cases = {
        "same crop and flip": lambda x, p, g: _crop_flip(x, p, g, same_for_batch=True),
        "top-bottom": lambda x, p, g: _crop_flip(x, p, g, flip_dim=-2),
        "Nothing is ever mirrored": lambda x, p, g: _crop_flip(x, p, g, p=0.0),
        "Every image is mirrored": lambda x, p, g: _crop_flip(x, p, g, p=1.1),
        "same place": lambda x, p, g: torch.where(torch.rand(len(x), 1, 1, 1, generator=g) < 0.5,
                                                  x, x.flip(-1)),
        "Output shape": lambda x, p, g: torch.nn.functional.pad(x, (p, p, p, p)),
        "raised": lambda x, p, g: 1 / 0,
        "itself": None,
    }
    for hint, fn in cases.items():
        fb = ch.crop_flip_function(fn)
        assert not fb.ok and hint in fb.message, (hint, fb.message)


@pytest.mark.parametrize(
    "mirror, said",
    [(lambda x: None, "returned None"), (lambda x: "flipped", "must return a tensor")],
)
def test_a_mirror_that_returns_no_tensor_gets_a_hint_not_a_crash(mirror, said):
    fb = check.mirror_function(mirror)
    assert not fb.ok and said in fb.message
