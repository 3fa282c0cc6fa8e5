"""Exercise checkers of lesson 09: what still trains after freezing, a freezing function,
and a random crop + mirror augmentation.

Each checker returns a :class:`cnnlab.feedback.Feedback` that names the likely mistake.
"""

from __future__ import annotations

import torch

from ..feedback import Feedback, check_number
from ..i18n import tr
from .freezing import SmallCNN


def head_only_trainable(answer) -> Feedback:
    """Exercise 09.1: trainable parameters of transfer.SmallCNN for the 5 new classes with
    every conv block frozen: only the new head, 128 inputs -> 5 units: ``128*5 + 5``."""
    n_in, units = 32 * 2 * 2, 5
    conv = (1 * 9 * 16 + 16) + (16 * 9 * 32 + 32) + (32 * 9 * 32 + 32)
    slips = [
        (n_in * units, tr("You forgot the biases: each of the 5 new units has one.")),
        (n_in * 10 + 10, tr("The new head has 5 outputs (digits 5-9), not 10.")),
        (
            conv + n_in * units + units,
            tr("That is the whole network: the frozen conv blocks do not count."),
        ),
        (conv, tr("Those are the frozen conv weights; count the ones that still train.")),
        (
            32 * units + units,
            tr("The head reads every number of conv3's output: 32 channels x 2 x 2."),
        ),
        (0, tr("The new head is never frozen: it has to learn the new classes.")),
    ]
    generic = tr(
        "Only the head trains: find how many numbers it reads (conv3's output, flattened), "
        "then count one weight per (input, output) pair plus one bias per output."
    )
    return check_number(answer, n_in * units + units, slips, generic, tr("parameter count"))


def freeze_function(freeze_all_but_head) -> Feedback:
    """Exercise 09.2: ``freeze_all_but_head(model)`` must leave only ``model.head`` trainable
    (weight and bias) on a transfer.SmallCNN, and keep the weights unchanged."""
    if not callable(freeze_all_but_head) or isinstance(freeze_all_but_head, torch.nn.Module):
        return Feedback(False, tr("Pass your function itself (no parentheses)."))

    torch.manual_seed(0)
    model = SmallCNN(5)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    out = freeze_all_but_head(model)
    model = out if isinstance(out, SmallCNN) else model
    body = [p.requires_grad for n, p in model.named_parameters() if not n.startswith("head")]
    head = {n: p.requires_grad for n, p in model.named_parameters() if n.startswith("head")}
    if any(not torch.equal(before[k], v) for k, v in model.state_dict().items()):
        return Feedback(
            False, tr("Freezing must not change the weights, only whether they train.")
        )
    if all(body) and all(head.values()):
        return Feedback(
            False, tr("Nothing is frozen: set requires_grad to False on the conv blocks.")
        )
    if not any(head.values()):
        return Feedback(
            False, tr("The head is frozen too: then nothing can learn the new classes.")
        )
    if not all(head.values()):
        frozen = [n for n, v in head.items() if not v]
        return Feedback(
            False,
            tr("Part of the head is frozen ({frozen}): both weight and bias train.").format(
                frozen=frozen
            ),
        )
    if any(body):
        return Feedback(
            False, tr("Some conv parameters still train: freeze every block before the head.")
        )
    return Feedback(True, tr("Correct: only the head's 645 parameters will train."))


def mirror_function(mirror) -> Feedback:
    """Exercise 09.3: ``mirror(x)`` flips a (N, C, H, W) torch batch left-right."""
    if not callable(mirror):
        return Feedback(False, tr("Pass your function itself (no parentheses)."))
    x = torch.arange(2 * 3 * 4 * 5, dtype=torch.float32).reshape(2, 3, 4, 5)
    try:
        got = mirror(x.clone())
    except Exception as e:  # the learner's code: report, don't crash the notebook
        return Feedback(
            False,
            tr("Your function raised {error}: {err}").format(error=type(e).__name__, err=e),
        )
    if got is None:
        return Feedback(
            False, tr("Your function returned None: end it with `return` and the flipped batch.")
        )
    try:
        got = torch.as_tensor(got)
    except (TypeError, ValueError, RuntimeError):
        return Feedback(
            False,
            tr("Your function must return a tensor (or array) like its input, got {kind}.").format(
                kind=type(got).__name__
            ),
        )
    if got.shape != x.shape:
        return Feedback(
            False,
            tr("The output has shape {got}; it must keep {shape}.").format(
                got=tuple(got.shape), shape=tuple(x.shape)
            ),
        )
    wrong = {
        tr(
            "That flips top and bottom (axis H): a mirror swaps left and right (axis W, the "
            "last)."
        ): x.flip(2),
        tr("That reverses the colour channels (RGB -> BGR), not the columns."): x.flip(1),
        tr("That reverses the order of the images in the batch, not their columns."): x.flip(0),
        tr("That flips both axes (a 180° rotation): flip only the last axis, W."): x.flip(2, 3),
        tr("Your function returns the batch unchanged."): x,
    }
    if torch.equal(got, x.flip(3)):
        return Feedback(
            True, tr("Correct: column j of the output is column W-1-j of the input.")
        )
    for hint, w in wrong.items():
        if torch.equal(got, w):
            return Feedback(False, hint)
    return Feedback(
        False, tr("Not a left-right mirror yet: output[..., j] must be x[..., W-1-j].")
    )


def _views(x, pad: int):
    """Every (pad-zero-padded crop, maybe mirrored) view of one (C, H, W) image: (K, C, H, W)."""
    c, h, w = x.shape
    padded = torch.nn.functional.pad(x, (pad, pad, pad, pad))
    crops = [padded[:, i : i + h, j : j + w] for i in range(2 * pad + 1) for j in range(2 * pad + 1)]
    return torch.stack(crops), torch.stack([v.flip(-1) for v in crops])


def crop_flip_function(random_crop_flip) -> Feedback:
    """Exercise 09.3: ``random_crop_flip(x, pad, generator)`` on a (N, C, H, W) batch: each
    image, zero-padded by ``pad``, cut back to H x W at its own random offset, and mirrored
    left-right with probability 1/2 (its own coin). Checked by properties over many calls."""
    if not callable(random_crop_flip):
        return Feedback(False, tr("Pass your function itself (no parentheses)."))
    torch.manual_seed(0)
    x, pad = torch.rand(16, 2, 5, 6) + 0.5, 2  # > 0 everywhere, so zero borders show
    gen = torch.Generator().manual_seed(0)
    kinds, offsets, in_batch = set(), set(), []
    for _ in range(12):
        try:
            got = torch.as_tensor(random_crop_flip(x.clone(), pad, gen))
        except Exception as e:  # the learner's code: report, don't crash the notebook
            return Feedback(
                False,
                tr("Your function raised {error}: {err}").format(error=type(e).__name__, err=e),
            )
        if got.shape != x.shape:
            return Feedback(
                False,
                tr("Output shape {got}: pad, then cut back to {shape} (the input's H x W).").format(
                    got=tuple(got.shape), shape=tuple(x.shape)
                ),
            )
        seen = []
        for i in range(len(x)):
            plain, flipped = _views(x[i], pad)
            hit = [(k, "plain") for k in range(len(plain)) if torch.equal(got[i], plain[k])]
            hit += [(k, "flip") for k in range(len(flipped)) if torch.equal(got[i], flipped[k])]
            if not hit:
                if any(torch.equal(got[i], v) for v in _views(x[i].flip(-2), pad)[0]):
                    return Feedback(
                        False, tr("That flips top-bottom (axis H): mirror the last axis, W.")
                    )
                return Feedback(
                    False,
                    tr(
                        "Image {i} is not a crop of the zero-padded image (mirrored or not): "
                        "pad with zeros, cut an H x W window."
                    ).format(i=i),
                )
            seen.append(hit[0])
        kinds |= {k for _, k in seen}
        offsets |= {o for o, _ in seen}
        in_batch.append(len(set(seen)) > 1)
    if kinds == {"plain"}:
        return Feedback(
            False, tr("Nothing is ever mirrored: flip each image with probability 1/2.")
        )
    if kinds == {"flip"}:
        return Feedback(
            False, tr("Every image is mirrored: flip each one only with probability 1/2.")
        )
    if len(offsets) == 1:
        return Feedback(
            False,
            tr(
                "The crop is always at the same place: draw a random offset in 0..2*pad "
                "(torch.randint with the generator)."
            ),
        )
    if not any(in_batch):
        return Feedback(
            False,
            tr(
                "All images of a batch get the same crop and flip: draw an offset and a coin "
                "for each image."
            ),
        )
    return Feedback(
        True, tr("Correct: each image gets its own random crop and its own coin.")
    )
