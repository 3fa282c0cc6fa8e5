"""Pictures of hand-made features: an image with its colour histogram and HOG, and a codebook
of visual words. Used by lesson 01.

Every ``plot_*`` returns a new Figure made outside pyplot (see :mod:`cnnlab.drawing`).
"""

from __future__ import annotations

import matplotlib
import numpy as np

from ..drawing import figure
from ..i18n import tr


def plot_hand_made_features(image, hist, hog_picture, size: float = 3.0):
    """Three panels: the image, its colour histogram and its HOG picture.

    image: (H, W) or (H, W, 3) in [0, 1]; hist: (C, bins) from
    :func:`cnnlab.features.colour_histogram`; hog_picture: (H, W) from
    ``cnnlab.features.hog(..., visualize=True)``. Returns the Figure.
    """
    hist = np.asarray(hist, dtype=float)
    if hist.ndim != 2 or hist.shape[0] not in (1, 3):
        raise ValueError(
            tr("hist must be (1, bins) or (3, bins), got shape {shape}").format(shape=hist.shape)
        )
    image, hog_picture = np.asarray(image), np.asarray(hog_picture, dtype=float)
    fig = figure((3 * size + 0.6, size))
    axes = fig.subplots(1, 3)
    axes[0].imshow(image, cmap=None if image.ndim == 3 else "gray")
    axes[0].set_title(tr("image"), fontsize=9)
    draw_histogram(axes[1], hist)
    # HOG strokes are faint; stretch to the 99th percentile so the directions show.
    top = np.percentile(hog_picture, 99) or 1.0
    axes[2].imshow(np.clip(hog_picture / top, 0, 1), cmap="gray")
    axes[2].set_title(tr("HOG: edge directions per cell"), fontsize=9)
    for ax in (axes[0], axes[2]):
        ax.axis("off")
    fig.tight_layout()
    return fig


def draw_histogram(ax, hist):
    """A colour histogram as bars, one colour per channel, side by side in each bin.

    hist: (1, bins) grey or (3, bins) RGB fractions over [0, 1]. Returns the axes.
    """
    hist = np.asarray(hist, dtype=float)
    bins = hist.shape[1]
    centres = (np.arange(bins) + 0.5) / bins
    colours = ["0.3"] if hist.shape[0] == 1 else ["tab:red", "tab:green", "tab:blue"]
    names = [tr("grey")] if hist.shape[0] == 1 else [tr("red"), tr("green"), tr("blue")]
    width = 1 / bins / hist.shape[0]
    for c, (row, col, name) in enumerate(zip(hist, colours, names)):
        offset = (c - (hist.shape[0] - 1) / 2) * width
        ax.bar(centres + offset, row, width=width, color=col, label=name)
    ax.set_xlim(0, 1)
    ax.set_xlabel(tr("intensity"), fontsize=8)
    ax.set_ylabel(tr("fraction of pixels"), fontsize=8)
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=7, frameon=False)
    ax.set_title(tr("colour histogram ({n} numbers)").format(n=hist.size), fontsize=9)
    return ax


def plot_patches(patches, cols: int = 16, size: float = 0.5, title: str | None = None):
    """Small grey patches (K, p, p), e.g. visual words, tiled in one image with gaps.

    Each patch keeps its own grey levels (one colour scale for all). Returns the Figure.
    """
    patches = np.asarray(patches, dtype=float)
    if patches.ndim != 3 or len(patches) == 0:
        raise ValueError(
            tr("patches must be a non-empty (K, p, p) array, got shape {shape}").format(
                shape=patches.shape
            )
        )
    k, ph, pw = patches.shape
    cols = max(1, min(cols, k))
    rows = -(-k // cols)
    # Tile into one array (NaN gaps show as background) so drawing is one imshow, fast.
    canvas = np.full((rows * (ph + 1) - 1, cols * (pw + 1) - 1), np.nan)
    for i, p in enumerate(patches):
        r, c = divmod(i, cols)
        canvas[r * (ph + 1) : r * (ph + 1) + ph, c * (pw + 1) : c * (pw + 1) + pw] = p
    fig = figure((size * cols + 0.2, size * rows + (0.4 if title else 0.2)))
    ax = fig.subplots()
    cmap = matplotlib.colormaps["gray"].with_extremes(bad="white")
    ax.imshow(canvas, cmap=cmap, vmin=np.nanmin(patches), vmax=np.nanmax(patches))
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=9)
    fig.tight_layout()
    return fig
