"""Drawing functions: pure functions that return matplotlib Figures, drawn from cnnlab's
own computations (never by hand), so pictures and numbers cannot drift apart.
"""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np


def show_images(images, titles=None, cols: int | None = None, size: float = 2.6, cmap="gray"):
    """A row (or grid) of images with titles. images: list of (H, W) or (H, W, 3) arrays.

    Grey images are shown with their own colour range; returns the Figure.
    """
    images = list(images)
    if not images:
        raise ValueError("show_images needs at least one image")
    cols = cols or len(images)
    rows = -(-len(images) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(size * cols, size * rows), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for i, img in enumerate(images):
        ax = axes.flat[i]
        img = np.asarray(img)
        ax.imshow(img, cmap=None if img.ndim == 3 else cmap)
        if titles is not None:
            ax.set_title(titles[i], fontsize=9)
    fig.tight_layout()
    return fig


def draw_grid(
    ax,
    values,
    *,
    fmt="{:g}",
    cmap="Greys",
    highlight=None,
    color="tab:orange",
    fontsize=8,
    vmin=None,
    vmax=None,
    origin=(0, 0),
):
    """Draw a 2D array as a grid of cells with their numbers written in.

    highlight: optional (row, col, height, width) rectangle to outline (e.g. a kernel
    window). origin: (x, y) offset of the top-left cell, to place several grids on one axes.
    """
    values = np.asarray(values, dtype=float)
    if values.ndim != 2:
        raise ValueError(f"draw_grid needs a 2D array, got shape {values.shape}")
    h, w = values.shape
    ox, oy = origin
    ax.imshow(
        values,
        cmap=cmap,
        vmin=vmin,
        vmax=vmax,
        extent=(ox - 0.5, ox + w - 0.5, oy + h - 0.5, oy - 0.5),
    )
    lo, hi = (np.nanmin(values), np.nanmax(values)) if values.size else (0, 1)
    mid = (lo + hi) / 2
    if fmt and h * w <= 400:
        for r in range(h):
            for c in range(w):
                v = values[r, c]
                if np.isfinite(v):
                    ax.text(
                        ox + c,
                        oy + r,
                        fmt.format(v),
                        ha="center",
                        va="center",
                        fontsize=fontsize,
                        color="white" if (cmap == "Greys") == (v > mid) else "black",
                    )
    for k in range(w + 1):
        ax.plot([ox + k - 0.5] * 2, [oy - 0.5, oy + h - 0.5], color="0.6", lw=0.5)
    for k in range(h + 1):
        ax.plot([ox - 0.5, ox + w - 0.5], [oy + k - 0.5] * 2, color="0.6", lw=0.5)
    if highlight is not None:
        r, c, hh, ww = highlight
        ax.add_patch(
            matplotlib.patches.Rectangle(
                (ox + c - 0.5, oy + r - 0.5), ww, hh, fill=False, ec=color, lw=2.5
            )
        )
    ax.set_xticks([])
    ax.set_yticks([])
    return ax
