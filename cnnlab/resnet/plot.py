"""Pictures of lesson 08: gradient norms per layer, training curves of several networks, the
error of a block learning the identity, per-step training losses of the degradation
experiment, and blocks drawn from their own structure (main path, shortcut, addition).

``plot_*`` functions return a new Figure (``drawing.figure``, outside pyplot); ``draw_*``
functions draw into the axes they are given. The numbers come from ``cnnlab.resnet``
(``gradient_norms``, ``fit_identity``) and ``cnnlab.nets.fit``.
"""

from __future__ import annotations

import matplotlib.patches
import numpy as np

from ..drawing import figure
from ..i18n import tr
from ..validate import check_int
from .costs import block_costs


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
        raise ValueError(
            tr("norms must hold at least one {entry} entry").format(entry="{label: array}")
        )
    for label, g in norms.items():
        g = np.asarray(g, dtype=float)
        if g.ndim != 1 or (g <= 0).any():
            raise ValueError(
                tr("{label}: need a 1-D array of positive norms, got {g!r}").format(
                    label=label, g=g
                )
            )
        ax.semilogy(np.arange(1, len(g) + 1), g, marker="o", ms=3, label=label)
    ax.set_xlabel(tr("layer (1 = next to the input)"))
    ax.set_ylabel(tr("gradient norm at initialisation"))
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8)
    return ax


def plot_training_curves(histories: dict):
    """Training loss and training accuracy per epoch, one line per network.

    histories: {label: history dict from cnnlab.nets.fit}, each with ``"train_loss"`` and
    ``"train_acc"`` lists of one number per epoch. Returns the Figure (two axes).
    """
    if not histories:
        raise ValueError(
            tr("histories must hold at least one {entry} entry").format(entry="{label: history}")
        )
    fig = figure((8.4, 3.2))
    ax_l, ax_a = fig.subplots(1, 2)
    for label, h in histories.items():
        epochs = np.arange(1, len(h["train_loss"]) + 1)
        ax_l.plot(epochs, h["train_loss"], marker="o", ms=3, label=label)
        ax_a.plot(epochs, h["train_acc"], marker="o", ms=3, label=label)
    loss, acc = tr("training loss"), tr("training accuracy")
    ax_l.set(xlabel=tr("epoch"), ylabel=loss, title=loss)
    ax_a.set(xlabel=tr("epoch"), ylabel=acc, title=acc, ylim=(0, 1.02))
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
        raise ValueError(
            tr("errors must hold at least one {entry} entry").format(entry="{label: array}")
        )
    fig = figure((5.6, 3.0))
    ax = fig.subplots()
    for label, e in errors.items():
        e = np.asarray(e, dtype=float)
        if e.ndim != 1 or (e < 0).any():
            raise ValueError(
                tr("{label}: need a 1-D array of errors >= 0, got {e!r}").format(label=label, e=e)
            )
        ax.plot(e, lw=2, label=label)
    ax.set(
        xlabel=tr("training step"),
        ylabel=tr("mean squared error"),
        title=tr("learning the identity"),
    )
    ax.set_ylim(bottom=-0.01)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_loss_curves(curves: dict, smooth: int = 25, title: str | None = None):
    """Training loss per step of several networks, each over several seeds.

    curves: {label: list of (steps,) per-step losses, one per seed}
    (cnnlab.resnet.train_curves). Each curve is drawn as a moving average over ``smooth``
    steps (a single minibatch's loss is noisy), one colour per label, one line per seed.
    Returns the Figure.
    """
    if not curves:
        raise ValueError(
            tr("curves must hold at least one {entry} entry").format(entry="{label: [curve, ...]}")
        )
    smooth = check_int("smooth", smooth, 1)
    fig = figure((6.4, 3.6))
    ax = fig.subplots()
    for i, (label, runs) in enumerate(curves.items()):
        for j, c in enumerate(runs):
            c = np.asarray(c, dtype=float)
            if c.ndim != 1 or len(c) < smooth:
                raise ValueError(
                    tr("{label}: need 1-D curves of at least {smooth} steps").format(
                        label=label, smooth=smooth
                    )
                )
            avg = np.convolve(c, np.ones(smooth) / smooth, mode="valid")
            steps = np.arange(smooth, len(c) + 1)
            ax.plot(steps, avg, color=f"C{i}", lw=1.6, label=label if j == 0 else None)
    ax.set(
        xlabel=tr("training step"),
        ylabel=tr("training loss (mean of {smooth} steps)").format(smooth=smooth),
    )
    seeds = max(len(r) for r in curves.values())
    ax.set_title(title or tr("training loss, {seeds} seeds each").format(seeds=seeds))
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


KIND_COLOURS = {"conv": "#9ecae1", "bn": "#fdd0a2", "relu": "#c7e9c0"}


def draw_box(ax, xy, text, colour, width=5.6, height=0.56):
    """A rounded box of ``width`` x ``height`` centred at ``xy`` with ``text`` in it."""
    x, y = xy
    ax.add_patch(
        matplotlib.patches.FancyBboxPatch(
            (x - width / 2, y - height / 2),
            width,
            height,
            boxstyle="round,pad=0.04",
            facecolor=colour,
            edgecolor="0.3",
            lw=0.8,
            zorder=3,  # above the shortcut's line, which may run through a box
        )
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=7, zorder=4)


def arrow(ax, start, end, label=None):
    """An arrow from ``start`` to ``end``, ``label`` (a shape) written to its left."""
    ax.annotate("", end, start, arrowprops=dict(arrowstyle="->", color="0.3", lw=0.9))
    if label:
        ax.text(
            start[0] - 0.12,
            (start[1] + end[1]) / 2,
            label,
            ha="right",
            va="center",
            fontsize=7,
            color="0.35",
        )


def shape_text(shape) -> str:
    return "x".join(str(v) for v in shape)


def draw_block(ax, block, size: int = 8, title: str | None = None):
    """Draw a block of ``cnnlab.resnet`` from its own structure: the input, every layer of
    ``block.main`` in order (named as in the block), the shortcut (the ``proj`` layer, or
    the identity), the addition and the last ReLU, with the (C, H, W) shape on every
    arrow for an input of ``size`` x ``size`` pixels (``cnnlab.resnet.costs``). Returns ax."""
    rows = block_costs(block, size)
    main = [r for r in rows if r.path == "main"]
    proj = [r for r in rows if r.path == "shortcut"]
    shape_in = (block.c_in, size, size)
    draw_box(ax, (0, 0), tr("input x"), "0.9")
    prev, prev_shape = (0, -0.3), shape_in
    for i, r in enumerate(main, start=1):
        arrow(ax, prev, (0, -i * 1.0 + 0.3), shape_text(prev_shape))
        draw_box(ax, (0, -i * 1.0), f"{r.name}: {r.text}", KIND_COLOURS[r.kind])
        prev, prev_shape = (0, -i * 1.0 - 0.3), r.shape
    y_add = -(len(main) + 1) * 1.0
    if block.residual:
        arrow(ax, prev, (0, y_add + 0.22), shape_text(prev_shape))
        ax.add_patch(
            matplotlib.patches.Circle((0, y_add), 0.22, facecolor="white", edgecolor="0.2", lw=1.0)
        )
        ax.text(0, y_add, "+", ha="center", va="center", fontsize=12)
        draw_shortcut(ax, block, proj, y_add)
        prev, y_relu = (0, y_add - 0.22), y_add - 1.0
    else:
        y_relu = y_add
    arrow(ax, prev, (0, y_relu + 0.3), None if block.residual else shape_text(prev_shape))
    draw_box(
        ax,
        (0, y_relu),
        tr("ReLU (after the addition)") if block.residual else "ReLU",
        KIND_COLOURS["relu"],
    )
    arrow(ax, (0, y_relu - 0.3), (0, y_relu - 0.9), shape_text(main[-1].shape))
    ax.text(0, y_relu - 1.05, tr("output"), ha="center", va="center", fontsize=8)
    ax.set_xlim(-3.6, 8.6)
    ax.set_ylim(y_relu - 1.3, 0.5)
    ax.axis("off")
    ax.set_title(title or _block_title(block), fontsize=9)
    return ax


def _block_title(block) -> str:
    """The default title of a drawn block: "residual block" or "plain block"."""
    return tr("residual block") if block.residual else tr("plain block")


def draw_shortcut(ax, block, proj, y_add):
    """The shortcut: from the input down the right-hand side into the addition, through
    the 1x1 projection box (``proj``: its LayerCost rows) when the block has one, else
    labelled as the identity."""
    x_side = 5.2
    ax.plot([2.85, x_side, x_side], [0.0, 0.0, y_add], color="0.3", lw=0.9)
    ax.annotate(
        "", (0.22, y_add), (x_side, y_add), arrowprops=dict(arrowstyle="->", color="0.3", lw=0.9)
    )
    y_mid = y_add / 2
    if proj:
        text = proj[0].text.replace(", ", ",\n", 1)
        draw_box(ax, (x_side, y_mid), f"proj: {text}", KIND_COLOURS["conv"], 3.4, 0.9)
        ax.text(
            x_side,
            y_mid + 0.55,
            tr("shortcut (projection)"),
            ha="center",
            va="bottom",
            fontsize=7.5,
        )
        return
    if block.c_out != block.c_in or block.stride != 1:
        text = tr("shortcut: identity\n(subsampled by {stride},\n+{zeros} zero channels)")
        text = text.format(stride=block.stride, zeros=block.c_out - block.c_in)
    else:
        text = tr("shortcut: identity\n(x itself)")
    ax.text(x_side + 0.15, y_mid, text, ha="left", va="center", fontsize=7.5)


def plot_blocks(blocks: dict, size: int = 8):
    """Several blocks side by side (``draw_block``), e.g. {"plain": b1, "residual": b2}.
    Returns the Figure."""
    if not blocks:
        raise ValueError(
            tr("blocks must hold at least one {entry} entry").format(entry="{title: block}")
        )
    tallest = max(len(b.main) for b in blocks.values()) + 3
    fig = figure((4.6 * len(blocks), 0.42 * tallest + 0.6))
    axes = np.atleast_1d(fig.subplots(1, len(blocks)))
    for ax, (title, block) in zip(axes, blocks.items()):
        draw_block(ax, block, size, title)
    fig.tight_layout()
    return fig


def plot_block(block, size: int = 8, title: str | None = None):
    """One block drawn from its own structure (``draw_block``). Returns the Figure."""
    return plot_blocks({title or _block_title(block): block}, size)
