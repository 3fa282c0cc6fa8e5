"""Pictures of lesson 08: gradient norms per layer, training curves of several networks, and
the error of a block learning the identity.

``plot_*`` functions return a new Figure (``drawing.figure``, outside pyplot); ``draw_*``
functions draw into the axes they are given. The numbers come from ``cnnlab.resnet``
(``gradient_norms``, ``fit_identity``) and ``cnnlab.nets.fit``.
"""

from __future__ import annotations

import numpy as np

from ..drawing import figure


def plot_gradient_norms(norms: dict):
    """Per-layer gradient norms (log scale), one line per network.

    norms: {label: (L,) array of positive norms}, input layer first
    (cnnlab.resnet.gradient_norms). Returns the Figure.
    """
    fig = figure((6.4, 3.4))
    draw_gradient_norms(fig.subplots(), norms)
    fig.tight_layout()
    return fig


def draw_gradient_norms(ax, norms: dict):
    """Draw ``plot_gradient_norms``'s lines into ``ax``: layer 1..L against each (L,) array
    of ``norms`` ({label: array}), on a log scale. Returns ax."""
    if not norms:
        raise ValueError("norms must hold at least one {label: array} entry")
    for label, g in norms.items():
        g = np.asarray(g, dtype=float)
        if g.ndim != 1 or (g <= 0).any():
            raise ValueError(f"{label}: need a 1-D array of positive norms, got {g!r}")
        ax.semilogy(np.arange(1, len(g) + 1), g, marker="o", ms=3, label=label)
    ax.set_xlabel("layer (1 = next to the input)")
    ax.set_ylabel("gradient norm at initialisation")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8)
    return ax


def plot_training_curves(histories: dict):
    """Training loss and training accuracy per epoch, one line per network.

    histories: {label: history dict from cnnlab.nets.fit}, each with ``"train_loss"`` and
    ``"train_acc"`` lists of one number per epoch. Returns the Figure (two axes).
    """
    if not histories:
        raise ValueError("histories must hold at least one {label: history} entry")
    fig = figure((8.4, 3.2))
    ax_l, ax_a = fig.subplots(1, 2)
    for label, h in histories.items():
        epochs = np.arange(1, len(h["train_loss"]) + 1)
        ax_l.plot(epochs, h["train_loss"], marker="o", ms=3, label=label)
        ax_a.plot(epochs, h["train_acc"], marker="o", ms=3, label=label)
    ax_l.set(xlabel="epoch", ylabel="training loss", title="training loss")
    ax_a.set(xlabel="epoch", ylabel="training accuracy", title="training accuracy", ylim=(0, 1.02))
    for ax in (ax_l, ax_a):
        ax.grid(True, alpha=0.3)
    ax_a.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_identity_fit(errors: dict):
    """Mean squared error of fitting the identity, per training step (linear scale, so
    an error of exactly 0 sits on the axis).

    errors: {label: (steps + 1,) array of errors >= 0} from cnnlab.resnet.fit_identity.
    Returns the Figure.
    """
    if not errors:
        raise ValueError("errors must hold at least one {label: array} entry")
    fig = figure((5.6, 3.0))
    ax = fig.subplots()
    for label, e in errors.items():
        e = np.asarray(e, dtype=float)
        if e.ndim != 1 or (e < 0).any():
            raise ValueError(f"{label}: need a 1-D array of errors >= 0, got {e!r}")
        ax.plot(e, lw=2, label=label)
    ax.set(xlabel="training step", ylabel="mean squared error", title="learning the identity")
    ax.set_ylim(bottom=-0.01)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
