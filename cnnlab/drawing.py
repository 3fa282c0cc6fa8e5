"""Drawing primitives shared by every lesson's pictures: figures, value grids, image panels.

The picture convention of the whole package (every topic's ``plot.py`` follows it):

* ``plot_*(...)`` makes a new picture and returns its :class:`matplotlib.figure.Figure`. The
  figure is made outside pyplot (:func:`figure`), so a notebook shows it once, as the cell's
  result, widgets need not close it, and nothing ever calls ``plt.show``.
* ``draw_*(ax, ...)`` draws into an ``Axes`` it is given and returns what it drew (the
  ``Axes``, or the artists a widget updates), so pictures compose.
* Computations never live in drawing code: a ``plot_*`` function calls the topic's maths
  (``cnnlab.conv``, ``cnnlab.detection.iou``, ...), so pictures and numbers cannot drift.

Used by lessons 01-12 through their topics' ``plot`` modules.
"""

from __future__ import annotations

import matplotlib
import matplotlib.collections
import matplotlib.figure
import matplotlib.patches
import matplotlib.pyplot  # noqa: F401  (see below)
import numpy as np

from .i18n import tr

# In a Jupyter kernel, loading pyplot activates the inline backend, which is what teaches
# IPython to show a Figure returned by a cell as an image: without it a learner who never
# imported pyplot would see "<Figure size 640x480 with 1 Axes>" instead of the picture.


def figure(figsize, dpi=None) -> matplotlib.figure.Figure:
    """A Figure outside pyplot: a notebook shows it once (as the cell's result, not again
    when pyplot flushes its open figures), and widgets need not close it.

    figsize: (width, height) in inches; dpi: dots per inch (matplotlib's default if None).
    """
    return matplotlib.figure.Figure(figsize=figsize, dpi=dpi)


def plot_images(images, titles=None, cols: int | None = None, size: float = 2.6, cmap="gray"):
    """A row (or grid) of images with titles. images: list of (H, W) or (H, W, 3) arrays.

    Grey images are shown with their own colour range; returns the Figure.
    """
    images = list(images)
    if not images:
        raise ValueError(tr("plot_images needs at least one image"))
    cols = cols or len(images)
    rows = -(-len(images) // cols)
    fig = figure((size * cols, size * rows))
    axes = fig.subplots(rows, cols, squeeze=False)
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
        raise ValueError(
            tr("draw_grid needs a 2D array, got shape {shape}").format(shape=values.shape)
        )
    h, w = values.shape
    ox, oy = origin
    im = ax.imshow(
        values,
        cmap=cmap,
        vmin=vmin,
        vmax=vmax,
        extent=(ox - 0.5, ox + w - 0.5, oy + h - 0.5, oy - 0.5),
    )
    if fmt and h * w <= 400:
        _write_numbers(ax, values, im, fmt, fontsize, origin)
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


def _write_numbers(ax, values, im, fmt, fontsize, origin):
    """Each finite value as text on its cell, white on dark cells and black on light ones
    (the colour the image drew, so the numbers stay readable on any colour scale)."""
    ox, oy = origin
    rgba = im.cmap(im.norm(values))
    dark = rgba[..., :3] @ np.array([0.299, 0.587, 0.114]) < 0.5
    for (r, c), v in np.ndenumerate(values):
        if np.isfinite(v):
            ax.text(
                ox + c,
                oy + r,
                fmt.format(v),
                ha="center",
                va="center",
                fontsize=fontsize,
                color="white" if dark[r, c] else "black",
            )


def contrast_text(texts, values, lo, hi, origin=(0, 0)):
    """Recolour the numbers draw_grid wrote so they stay readable on a shared colour scale.

    draw_grid picks white or black from each grid's own range; with a shared vmin/vmax a
    cell's shade follows (v - lo) / (hi - lo) instead, so the text colour must too.
    """
    ox, oy = origin
    span = hi - lo if hi > lo else 1.0
    for t in texts:
        x, y = t.get_position()
        v = values[int(round(y - oy)), int(round(x - ox))]
        t.set_color("white" if (v - lo) / span > 0.5 else "black")


def draw_values(
    ax, values, *, signed=True, fmt="{:g}", highlight=None, lim=None, fontsize=8, origin=(0, 0)
):
    """Numbers in cells, fast: one image, two line collections and one text per cell.

    signed: pale red (positive) / blue (negative) around a white 0, black text; otherwise
    grey levels like the image itself (black = 0), text in the contrasting colour.
    origin: (x, y) of the top-left cell, to put several grids on one axes (one axes is
    much faster to draw than several).
    """
    values = np.asarray(values, dtype=float)
    h, w = values.shape
    ox, oy = origin
    lim = lim if lim is not None else max(np.abs(values).max(), 1e-12)
    extent = (ox - 0.5, ox + w - 0.5, oy + h - 0.5, oy - 0.5)
    if signed:
        # 1.8 x the range keeps the colours pale enough for black numbers on every cell
        ax.imshow(values, cmap="RdBu_r", vmin=-1.8 * lim, vmax=1.8 * lim, extent=extent)
    else:
        ax.imshow(values, cmap="gray", vmin=0, vmax=lim, extent=extent)
    ax.vlines(ox + np.arange(w + 1) - 0.5, oy - 0.5, oy + h - 0.5, color="0.6", lw=0.5)
    ax.hlines(oy + np.arange(h + 1) - 0.5, ox - 0.5, ox + w - 0.5, color="0.6", lw=0.5)
    if fmt:
        for (r, c), v in np.ndenumerate(values):
            colour = "black" if signed or v > lim / 2 else "white"
            label = fmt.format(v)
            if label.startswith("-") and not label.strip("-0.e+"):
                label = label[1:]  # tiny negatives round to "-0", "-0.000": print them as 0
            ax.text(
                ox + c, oy + r, label, ha="center", va="center", fontsize=fontsize, color=colour
            )
    if highlight is not None:
        r, c, hh, ww = highlight
        ax.add_patch(
            matplotlib.patches.Rectangle(
                (ox + c - 0.5, oy + r - 0.5), ww, hh, fill=False, ec="tab:orange", lw=2.5
            )
        )
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


def draw_cell_lines(ax, h, w, ox=0.0, color="0.55", lw=0.6):
    """Cell borders of an h x w grid as one LineCollection (one artist, fast)."""
    xs = ox + np.arange(w + 1) - 0.5
    ys = np.arange(h + 1) - 0.5
    segs = [((x, -0.5), (x, h - 0.5)) for x in xs] + [
        ((ox - 0.5, y), (ox + w - 0.5, y)) for y in ys
    ]
    ax.add_collection(matplotlib.collections.LineCollection(segs, colors=color, lw=lw))


def plot_grids(arrays, titles=None, fmt="{:g}", size=0.32, vmin=None, vmax=None):
    """A row of small grids with their numbers written in (``draw_grid`` on each).

    arrays: list of 2D arrays; they share one colour scale (``vmin``/``vmax`` or the range
    of them all) so equal numbers look equal across panels. Returns the Figure.
    """
    arrays = [np.asarray(a, dtype=float) for a in arrays]
    if not arrays or any(a.ndim != 2 for a in arrays):
        raise ValueError(
            tr("plot_grids needs a list of 2D arrays, got shapes {shapes}").format(
                shapes=[a.shape for a in arrays]
            )
        )
    if titles is not None and len(titles) != len(arrays):
        raise ValueError(
            tr("got {n_titles} titles for {n_arrays} arrays").format(
                n_titles=len(titles), n_arrays=len(arrays)
            )
        )
    lo = min(np.nanmin(a) for a in arrays) if vmin is None else vmin
    hi = max(np.nanmax(a) for a in arrays) if vmax is None else vmax
    # each panel as wide as its grid or its title (about 0.085 inch per character)
    widths = [
        max(size * (a.shape[1] + 1), 0.085 * len(titles[n]) if titles is not None else 0)
        for n, a in enumerate(arrays)
    ]
    height = max(a.shape[0] for a in arrays)
    fig = figure((sum(widths) + 0.3, size * height + 0.6))
    axes = fig.subplots(1, len(arrays), squeeze=False, gridspec_kw={"width_ratios": widths})
    for n, (ax, a) in enumerate(zip(axes[0], arrays)):
        draw_grid(ax, a, fmt=fmt, vmin=lo, vmax=hi, fontsize=7)
        contrast_text(ax.texts, a, lo, hi)
        ax.set_aspect("equal")
        ax.set_ylim(height - 0.5, -0.5)
        if titles is not None:
            ax.set_title(titles[n], fontsize=9)
        for side in ax.spines.values():
            side.set_visible(False)
    fig.tight_layout()
    return fig


def mosaic(maps, gap: int = 1, vmax=None):
    """(C, h, w) maps -> one (h, C*(w+gap)-gap) strip, each map scaled to [-1, 1] by vmax
    (default: its own largest |value|), NaN in the gaps so they show as background."""
    maps = np.asarray(maps, dtype=float)
    c, h, w = maps.shape
    strip = np.full((h, c * (w + gap) - gap), np.nan)
    for i, m in enumerate(maps):
        scale = vmax if vmax is not None else (np.abs(m).max() or 1.0)
        strip[:, i * (w + gap) : i * (w + gap) + w] = m / scale
    return strip


def to_hwc(image) -> np.ndarray:
    """(3, H, W) or (H, W, 3) or (H, W) image -> something imshow takes."""
    img = np.asarray(image)
    if img.ndim == 3 and img.shape[0] == 3 and img.shape[2] != 3:
        img = np.moveaxis(img, 0, -1)
    return np.clip(img, 0, 1) if img.dtype.kind == "f" else img


def draw_image(ax, image):
    """imshow with pixel (i, j) covering [j, j+1] x [i, i+1], the boxes' coordinates."""
    img = to_hwc(image)
    h, w = img.shape[:2]
    ax.imshow(
        img, extent=(0, w, h, 0), cmap=None if img.ndim == 3 else "gray", interpolation="nearest"
    )
    ax.set_xlim(0, w)
    ax.set_ylim(h, 0)
    ax.set_xticks([])
    ax.set_yticks([])
    return h, w
