"""Pictures of neural style transfer (lesson 12): a network's feature maps, Gram matrices.

``plot_*`` functions return a new :class:`matplotlib.figure.Figure` (outside pyplot, see
:mod:`cnnlab.drawing`); ``draw_*(ax, ...)`` draw into an axes they are given.
"""

from __future__ import annotations

import numpy as np

from ..drawing import figure
from ..i18n import tr


def plot_layer_maps(feats: dict, channels: int = 4, size: float = 1.4, title: str | None = None):
    """Grid of feature maps: one row per layer ({name: (1, C, H, W) tensor or array}),
    the ``channels`` most active channels of that layer (largest mean), each in its own
    colour scale. Returns the Figure."""
    if not feats:
        raise ValueError(
            tr("feats is empty: give {shape}").format(shape="{layer name: activations}")
        )
    if channels < 1:
        raise ValueError(
            tr("channels must be at least 1, got {channels}").format(channels=channels)
        )
    shapes = [np.shape(a)[-2:] for a in feats.values()]
    aspect = max(h / w for h, w in shapes)  # rows as tall as the maps, not square
    fig = figure((size * channels, size * aspect * len(feats) + 0.4))
    axes = fig.subplots(len(feats), channels, squeeze=False)
    for row, (name, a) in zip(axes, feats.items(), strict=True):
        a = np.asarray(a.detach().cpu() if hasattr(a, "detach") else a)[0]
        top = np.argsort(a.mean(axis=(1, 2)))[::-1][:channels]
        for ax, k in zip(row, top, strict=False):
            ax.imshow(a[k], cmap="viridis")
            ax.set_xticks([])
            ax.set_yticks([])
        for ax in row[len(top) :]:
            ax.axis("off")
        row[0].set_ylabel(f"{name}\n{a.shape[1]}×{a.shape[2]}", fontsize=8)
    if title:
        fig.suptitle(title, fontsize=9)
    return fig


def draw_gram(ax, gram, title: str | None = None):
    """Heat map of a Gram matrix (n_C, n_C) into ``ax``, with its colour bar: entry (k, k')
    = how much channels k and k' fire together. ``title`` defaults to "Gram matrix" (in the
    language of the moment). Returns the AxesImage."""
    g = np.asarray(gram)
    if g.ndim != 2 or g.shape[0] != g.shape[1]:
        raise ValueError(
            tr("a Gram matrix is square (n_C, n_C), got shape {shape}").format(shape=g.shape)
        )
    im = ax.imshow(g, cmap="magma")
    ax.set_title(tr("Gram matrix") if title is None else title, fontsize=9)
    ax.set_xlabel(tr("channel k'"), fontsize=8)
    ax.set_ylabel(tr("channel k"), fontsize=8)
    ax.figure.colorbar(im, ax=ax, fraction=0.046)
    return im


def plot_grams(grams: dict, size: float = 3.75):
    """Gram matrices side by side, {title: (n_C, n_C) array}, each with its own colour
    scale (:func:`draw_gram`). Returns the Figure."""
    if not grams:
        raise ValueError(tr("grams is empty: give {shape}").format(shape="{title: Gram matrix}"))
    fig = figure((size * len(grams), 2.8))
    fig.set_layout_engine("constrained")
    axes = fig.subplots(1, len(grams), squeeze=False)[0]
    for ax, (title, g) in zip(axes, grams.items(), strict=True):
        draw_gram(ax, g, title)
    return fig


def plot_gram(gram, title: str | None = None):
    """Heat map of one Gram matrix (n_C, n_C) (:func:`draw_gram`, whose title "Gram matrix"
    is the default). Returns the Figure."""
    fig = figure((2.6, 2.4))
    draw_gram(fig.subplots(), gram, title)
    return fig


def plot_cost_history(
    history: dict,
    alpha: float = 10.0,
    beta: float = 400.0,
    *,
    total_label: str = "J(G)",
    title: str | None = None,
):
    """The costs at every step of a style transfer, on a log scale: α·J_content, β·J_style
    and the total J(G).

    history: the dict of lists ``content``, ``style``, ``total`` (one value per step) that
    :func:`cnnlab.style.style_transfer` returns; alpha, beta: the weights it ran with;
    total_label: the total's legend (say "J(G) + TV" when a total variation term was on);
    title: by default "the costs during the optimisation". Returns the Figure.
    """
    missing = {"content", "style", "total"} - set(history)
    if missing:
        raise ValueError(
            tr("history needs the lists 'content', 'style', 'total'; no {missing}").format(
                missing=sorted(missing)
            )
        )
    if title is None:
        title = tr("the costs during the optimisation")
    fig = figure((5, 2.6))
    ax = fig.subplots()
    ax.semilogy(np.array(history["content"]) * alpha, label="α·J_content")
    ax.semilogy(np.array(history["style"]) * beta, label="β·J_style")
    ax.semilogy(history["total"], label=total_label)
    ax.set_xlabel(tr("step"))
    ax.legend(fontsize=8)
    ax.set_title(title, fontsize=9)
    return fig


def plot_generated(images, titles, made_with, cols: int | None = None, size: float = 2.6):
    """Pictures made by style transfer, each labelled with the network that made it.

    images: list of (H, W, 3) arrays in [0, 1]; titles: one per image. made_with: one label
    for all (a network's ``source``: written once above the grid) or a list, one per image
    (a network's ``short`` label, or "" for an input image: added under that image's title).
    Returns the Figure.
    """
    images, titles = list(images), list(titles)
    if not images or len(titles) != len(images):
        raise ValueError(
            tr(
                "give one title per image (and at least one image), got {n_images} images and "
                "{n_titles} titles"
            ).format(n_images=len(images), n_titles=len(titles))
        )
    per_image = not isinstance(made_with, str)
    if per_image and len(made_with) != len(images):
        raise ValueError(
            tr("made_with must be one label or one per image ({n}), got {got}").format(
                n=len(images), got=len(made_with)
            )
        )
    if per_image:
        titles = [f"{t}\n{m}" if m else t for t, m in zip(titles, made_with, strict=True)]
    cols = cols or len(images)
    rows = -(-len(images) // cols)
    fig = figure((size * cols, size * rows * 0.8 + 0.5))
    axes = fig.subplots(rows, cols, squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, img, title in zip(axes.flat, images, titles, strict=False):
        ax.imshow(np.clip(np.asarray(img), 0, 1))
        ax.set_title(title, fontsize=8)
    if not per_image:
        fig.suptitle(tr("made with: {source}").format(source=made_with), fontsize=9)
    fig.tight_layout()
    return fig
