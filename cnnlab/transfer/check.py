"""Exercise checkers of lesson 09: what still trains after freezing, a freezing function,
and a left-right mirror.

Each checker returns a :class:`cnnlab.feedback.Feedback` that names the likely mistake.
"""

from __future__ import annotations

import torch

from ..feedback import Feedback, check_number
from .freezing import SmallCNN


def head_only_trainable(answer) -> Feedback:
    """Exercise 09.1: trainable parameters of transfer.SmallCNN for the 5 new classes with
    every conv block frozen: only the new head, 128 inputs -> 5 units: ``128*5 + 5``."""
    n_in, units = 32 * 2 * 2, 5
    conv = (1 * 9 * 16 + 16) + (16 * 9 * 32 + 32) + (32 * 9 * 32 + 32)
    slips = [
        (n_in * units, "You forgot the biases: each of the 5 new units has one."),
        (n_in * 10 + 10, "The new head has 5 outputs (digits 5-9), not 10."),
        (
            conv + n_in * units + units,
            "That is the whole network: the frozen conv blocks do not count.",
        ),
        (conv, "Those are the frozen conv weights; count the ones that still train."),
        (32 * units + units, "The head reads every number of conv3's output: 32 channels x 2 x 2."),
        (0, "The new head is never frozen: it has to learn the new classes."),
    ]
    generic = (
        "Only the head trains: find how many numbers it reads (conv3's output, flattened), "
        "then count one weight per (input, output) pair plus one bias per output."
    )
    return check_number(answer, n_in * units + units, slips, generic, "parameter count")


def freeze_function(freeze_all_but_head) -> Feedback:
    """Exercise 09.2: ``freeze_all_but_head(model)`` must leave only ``model.head`` trainable
    (weight and bias) on a transfer.SmallCNN, and keep the weights unchanged."""
    if not callable(freeze_all_but_head) or isinstance(freeze_all_but_head, torch.nn.Module):
        return Feedback(False, "Pass your function itself (no parentheses).")

    torch.manual_seed(0)
    model = SmallCNN(5)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    out = freeze_all_but_head(model)
    model = out if isinstance(out, SmallCNN) else model
    body = [p.requires_grad for n, p in model.named_parameters() if not n.startswith("head")]
    head = {n: p.requires_grad for n, p in model.named_parameters() if n.startswith("head")}
    if any(not torch.equal(before[k], v) for k, v in model.state_dict().items()):
        return Feedback(False, "Freezing must not change the weights, only whether they train.")
    if all(body) and all(head.values()):
        return Feedback(False, "Nothing is frozen: set requires_grad to False on the conv blocks.")
    if not any(head.values()):
        return Feedback(False, "The head is frozen too: then nothing can learn the new classes.")
    if not all(head.values()):
        frozen = [n for n, v in head.items() if not v]
        return Feedback(
            False, f"Part of the head is frozen ({frozen}): both weight and bias train."
        )
    if any(body):
        return Feedback(
            False, "Some conv parameters still train: freeze every block before the head."
        )
    return Feedback(True, "Correct: only the head's 645 parameters will train.")


def mirror_function(mirror) -> Feedback:
    """Exercise 09.3: ``mirror(x)`` flips a (N, C, H, W) torch batch left-right."""
    if not callable(mirror):
        return Feedback(False, "Pass your function itself (no parentheses).")
    x = torch.arange(2 * 3 * 4 * 5, dtype=torch.float32).reshape(2, 3, 4, 5)
    try:
        got = mirror(x.clone())
    except Exception as e:  # the learner's code: report, don't crash the notebook
        return Feedback(False, f"Your function raised {type(e).__name__}: {e}")
    got = torch.as_tensor(got)
    if got.shape != x.shape:
        return Feedback(
            False, f"The output has shape {tuple(got.shape)}; it must keep {tuple(x.shape)}."
        )
    wrong = {
        "That flips top and bottom (axis H): a mirror swaps left and right (axis W, the last).": x.flip(
            2
        ),
        "That reverses the colour channels (RGB -> BGR), not the columns.": x.flip(1),
        "That reverses the order of the images in the batch, not their columns.": x.flip(0),
        "That flips both axes (a 180° rotation): flip only the last axis, W.": x.flip(2, 3),
        "Your function returns the batch unchanged.": x,
    }
    if torch.equal(got, x.flip(3)):
        return Feedback(True, "Correct: column j of the output is column W-1-j of the input.")
    for hint, w in wrong.items():
        if torch.equal(got, w):
            return Feedback(False, hint)
    return Feedback(False, "Not a left-right mirror yet: output[..., j] must be x[..., W-1-j].")
