"""Pictures of the receptive field (lesson 04): path counts layer by layer, one unit's field
over an image, the effective field's profile, the explorer's view, and HED's side outputs
next to their receptive fields (:mod:`cnnlab.receptive.side_outputs`).

Every picture is drawn from ``cnnlab.receptive``'s own numbers (the gradients and the
formula), following the convention of :mod:`cnnlab.drawing`: ``plot_*`` returns a new
Figure, ``draw_*`` draws into a given Axes.
"""

from __future__ import annotations

import matplotlib.colors
import matplotlib.patches
import numpy as np

from ..arith import effective_kernel
from ..drawing import draw_grid, figure
from ..i18n import tr
from ..tables import describe
from .formula import formula_receptive_field, receptive_box
from .measured import empirical_receptive_field, input_gradient, missing_pixels
from .stacks import feature_map_sizes, make_stack, parse_layers


def _box_patch(box, **kw):
    """A Rectangle outlining an inclusive (top, left, bottom, right) pixel box."""
    top, left, bottom, right = box
    return matplotlib.patches.Rectangle(
        (left - 0.5, top - 0.5), right - left + 1, bottom - top + 1, fill=False, **kw
    )


def plot_receptive_field_growth(layers, input_size, *, numbers=True, size=2.3, fontsize=5):
    """One grid per layer: the input pixels one unit of that layer sees (centre unit).

    Each cell shows how many paths lead from that pixel to the unit (the gradient with
    all-ones weights, ``receptive.input_gradient``); empty cells cannot affect it. The
    formula's square (``receptive.receptive_box``) is outlined. layers: a stack (see
    ``receptive.stacks``); input_size: int or (H, W). Returns the Figure.
    """
    stack = parse_layers(layers)
    fig = figure((size * len(stack), size + 0.35))
    axes = fig.subplots(1, len(stack), squeeze=False)
    for i, ax in enumerate(axes[0]):
        sub = stack[: i + 1]
        counts = input_gradient(sub, input_size)
        top, left, bottom, right = receptive_box(sub, input_size)
        rf = formula_receptive_field(sub)[-1]
        draw_grid(
            ax,
            np.where(counts > 0, counts, np.nan),
            fmt="{:g}" if numbers else None,
            fontsize=fontsize,
            highlight=(top, left, bottom - top + 1, right - left + 1),
            # a single path still shows as light grey; equal counts (one layer) as mid grey
            vmin=-0.15 * counts.max(),
            vmax=counts.max() * (2 if counts[counts > 0].min() == counts.max() else 1),
        )
        title = tr("after layer {i} ({layer}):\n{size}x{size}")
        ax.set_title(title.format(i=i + 1, layer=describe(sub[-1]), size=rf.size), fontsize=8)
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=0.82, wspace=0.08)
    return fig


def draw_receptive_field_overlay(
    ax, image, mask, box, *, title=None, color="tab:orange", box_color="tab:blue"
):
    """Draw an image with one unit's receptive field on it into ``ax``; returns ``ax``.

    image: (H, W) or (H, W, 3) in [0, 1]; mask: (H, W) bool, the measured field (tinted);
    box: (top, left, bottom, right) from ``receptive.receptive_box`` (dashed outline; it
    may stick out of the image where the network padded).
    """
    image, mask = np.asarray(image), np.asarray(mask, dtype=bool)
    if image.shape[:2] != mask.shape:
        raise ValueError(
            tr("image {image} and mask {mask} must have the same size").format(
                image=image.shape[:2], mask=mask.shape
            )
        )
    h, w = mask.shape
    ax.imshow(image, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    tint = np.zeros((h, w, 4))
    tint[..., :3] = matplotlib.colors.to_rgb(color)
    tint[..., 3] = 0.5 * mask
    ax.imshow(tint, interpolation="nearest")
    ax.add_patch(_box_patch(box, ec=box_color, lw=1.8, ls="--"))
    top, left, bottom, right = box
    margin = 2
    ax.set_xlim(min(-0.5, left - 0.5) - margin, max(w - 0.5, right + 0.5) + margin)
    ax.set_ylim(max(h - 0.5, bottom + 0.5) + margin, min(-0.5, top - 0.5) - margin)
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=9)
    return ax


def plot_receptive_field_overlay(image, mask, box, *, title=None, **colors):
    """An image with one unit's receptive field drawn on it (see
    :func:`draw_receptive_field_overlay`); returns the Figure."""
    fig = figure((3.4, 3.4))
    draw_receptive_field_overlay(fig.subplots(), image, mask, box, title=title, **colors)
    return fig


def plot_receptive_fields(layers, image, units, size: float = 3.7):
    """Side by side, the receptive field of several units of the last layer over an image.

    layers: a stack; image: (H, W) in [0, 1], the stack's input; units: (row, col) units of
    the last feature map. Each panel tints the measured field
    (``receptive.empirical_receptive_field``) and outlines the formula's square
    (``receptive.receptive_box``). Returns the Figure.
    """
    units = list(units)
    if not units:
        raise ValueError(tr("plot_receptive_fields needs at least one (row, col) unit"))
    hw = np.asarray(image).shape[:2]
    side = formula_receptive_field(layers)[-1].size
    fig = figure((size * len(units), size))
    for ax, unit in zip(fig.subplots(1, len(units), squeeze=False)[0], units):
        mask = empirical_receptive_field(layers, hw, unit)
        box = receptive_box(layers, hw, unit)
        title = tr("unit {unit}: {side}x{side} field").format(unit=tuple(unit), side=side)
        draw_receptive_field_overlay(ax, image, mask, box, title=title)
    fig.tight_layout()
    return fig


def plot_receptive_field_profile(erf, box, counts=None, *, title=None):
    """The effective receptive field: a heat map, and its middle row against the square.

    erf: (H, W) gradient magnitude scaled to [0, 1] (``receptive.effective_receptive_field``);
    counts: optional (H, W) path counts (all-ones weights) drawn on the profile too;
    box: the formula's (top, left, bottom, right). Returns the Figure.
    """
    erf = np.asarray(erf, dtype=float)
    fig = figure((7.2, 3.0))
    ax0, ax1 = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.4]})
    ax0.imshow(erf, cmap="magma", vmin=0, vmax=1, interpolation="nearest")
    ax0.add_patch(_box_patch(box, ec="tab:cyan", lw=1.5, ls="--"))
    ax0.set_xticks([])
    ax0.set_yticks([])
    ax0.set_title(tr("mean |gradient|, random weights"), fontsize=9)
    top, left, bottom, right = box
    cols = np.arange(erf.shape[1])
    profile = erf.sum(axis=0)  # summed over rows: smoother than one row of a noisy mean
    ax1.axvspan(left - 0.5, right + 0.5, color="tab:cyan", alpha=0.15, label=tr("formula's square"))
    ax1.plot(cols, profile / profile.max(), color="tab:red", lw=1.8, label=tr("random weights"))
    if counts is not None:
        c = np.asarray(counts, dtype=float).sum(axis=0)
        ax1.plot(
            cols, c / c.max(), color="0.3", lw=1.2, ls="--", label=tr("all-ones weights (paths)")
        )
    ax1.set_xlim(-0.5, erf.shape[1] - 0.5)
    ax1.set_ylim(0, 1.5)  # room for the legend above the curves
    ax1.set_yticks([0, 0.25, 0.5, 0.75, 1])
    ax1.set_xlabel(tr("input column (gradient summed over rows)"), fontsize=8)
    ax1.set_ylabel(tr("relative gradient"), fontsize=8)
    ax1.tick_params(labelsize=7)
    ax1.legend(fontsize=7, loc="upper left", frameon=False)
    if title:
        fig.suptitle(title, fontsize=10)
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.16, top=0.8 if title else 0.9, wspace=0.2)
    return fig


def plot_receptive_field_view(
    n_layers=4, kernel=3, stride=1, dilation=1, pool=False, same=False, *, image=None, size=64
):
    """Draw function of the receptive-field widget: one unit's field over an image.

    The stack is ``receptive.make_stack(n_layers, kernel, stride, dilation, pool=pool,
    same=same)`` on a ``size`` x ``size`` input (``image`` if given, (size, size) grey in
    [0, 1]; else a plain grid). The measured field (gradient != 0) is tinted, the formula's
    square outlined, and the formula's numbers written beside (:func:`view_notes`).
    Settings where a feature map shrinks to nothing raise ValueError with cnnlab.arith's
    message. Returns the Figure.
    """
    stack = make_stack(n_layers, kernel, stride, dilation, pool=pool, same=same)
    feature_map_sizes(stack, size)  # raises on impossible settings, before any drawing
    box = receptive_box(stack, size)
    mask = empirical_receptive_field(stack, size)
    if image is None:
        image = np.full((size, size), 0.92)
        image[::8, :] = image[:, ::8] = 0.75
    elif np.asarray(image).shape[:2] != (size, size):
        raise ValueError(
            tr("image must be {size}x{size}, got {shape}").format(
                size=size, shape=np.asarray(image).shape
            )
        )
    fig = figure((6.4, 3.2))
    ax = fig.add_axes((0.01, 0.03, 0.47, 0.86))
    draw_receptive_field_overlay(ax, image, mask, box)
    last = formula_receptive_field(stack)[-1]
    sees = tr("one unit of the last layer sees {size}x{size} px").format(size=last.size)
    ax.set_title(sees, fontsize=9)
    lines = view_notes(n_layers, kernel, stride, dilation, pool, same, size=size)
    holes = missing_pixels(mask, box)
    if holes:
        no_path = tr("{holes} px inside the square\nhave no path to the unit").format(holes=holes)
        lines += ["", no_path]
    lines += ["", tr("orange: measured (gradient != 0)"), tr("dashed: the formula's square")]
    fig.text(0.51, 0.86, "\n".join(lines), va="top", ha="left", family="monospace", fontsize=7.5)
    return fig


def view_notes(n_layers, kernel, stride, dilation, pool, same, *, size=64) -> list[str]:
    """The formula's numbers the explorer writes beside its picture, one line each: the
    stack, the dilated kernel K', the rule used, size and jump, the last map's size and the
    field after every layer."""
    stack = make_stack(n_layers, kernel, stride, dilation, pool=pool, same=same)
    shapes = feature_map_sizes(stack, size)
    rfs = formula_receptive_field(stack)
    last = rfs[-1]
    k_eff = effective_kernel(kernel, dilation)
    stack_text = f"{n_layers} x conv {kernel}x{kernel} s{stride}" + (
        f" d{dilation}" if dilation > 1 else ""
    )
    stack_text += (" 'same'" if same else "") + (" + 2x2 maxpool" if pool else "")
    if stride == 1 and not pool:
        rule = f"RF = 1 + L(K'-1) = 1 + {n_layers}*{k_eff - 1} = {last.size}"
    else:
        rule = "RF += (K'-1) * jump;  jump *= stride"
    sizes = " ".join(str(r.size) for r in rfs)
    if len(sizes) > 34:  # keep the line short: first and last layers
        sizes = (
            " ".join(str(r.size) for r in rfs[:3])
            + " ... "
            + " ".join(str(r.size) for r in rfs[-3:])
        )
    return [
        stack_text,
        f"K' = d(K-1)+1 = {k_eff}",
        rule,
        tr("size {size} px, jump {jump} px").format(size=last.size, jump=last.jump),
        tr("last map {h}x{w}").format(h=shapes[-1][0], w=shapes[-1][1]),
        tr("RF per layer: {sizes}").format(sizes=sizes),
    ]


def plot_side_outputs(image, sides, fields, *, size: float = 2.2):
    """A photo and HED's five side outputs, each titled with its layer, receptive field and
    jump, with a dashed square of the receptive field's size at the centre of the map.

    image: (H, W, 3) in [0, 1]; sides: five (H, W) edge probabilities
    (``pretrained.edges(image)[1]``); fields: the five ``side_outputs.SideField``
    (``side_outputs.side_output_fields()``). Dark: edge. Returns the Figure.
    """
    sides, fields = list(sides), list(fields)
    if len(sides) != len(fields) or not sides:
        raise ValueError(
            tr("give one field per side output, got {maps} maps and {fields} fields").format(
                maps=len(sides), fields=len(fields)
            )
        )
    h, w = np.asarray(image).shape[:2]
    fig = figure((size * (len(sides) + 1), size + 0.55))
    axes = fig.subplots(1, len(sides) + 1)
    axes[0].imshow(image)
    axes[0].set_title(tr("input (HED's VGG16:\nImageNet, then BSDS500 edges)"), fontsize=8)
    for ax, side, f in zip(axes[1:], sides, fields):
        if np.shape(side) != (h, w):
            raise ValueError(
                tr("side {side} has shape {shape}, the image is {image}").format(
                    side=f.side, shape=np.shape(side), image=(h, w)
                )
            )
        ax.imshow(side, cmap="gray_r", vmin=0, vmax=1)
        top, left = (h - f.size) // 2, (w - f.size) // 2
        box = (top, left, top + f.size - 1, left + f.size - 1)
        ax.add_patch(_box_patch(box, ec="tab:orange", lw=1.4, ls="--"))
        ax.set_xlim(-0.5, w - 0.5)
        ax.set_ylim(h - 0.5, -0.5)
        title = tr("side {side} ({layer})\nRF {size} px, jump {jump}")
        ax.set_title(title.format(side=f.side, layer=f.layer, size=f.size, jump=f.jump), fontsize=8)
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    fig.subplots_adjust(left=0.005, right=0.995, bottom=0.02, top=0.8, wspace=0.05)
    return fig


def plot_side_coarseness(rows, *, title=None):
    """How coarse each side output looks, against its receptive field.

    rows: ``side_outputs.side_output_coarseness(...)``. Left: each side output's mean
    response across the photo's edges (offset along the edge normal, px), its half-height
    width marked. Right: that width against the receptive field size (log-log), with the
    lines width = RF and width = jump for comparison. Returns the Figure.
    """
    rows = list(rows)
    if not rows:
        raise ValueError(tr("plot_side_coarseness needs at least one side output"))
    fig = figure((8.4, 3.2))
    ax0, ax1 = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.3, 1]})
    colors = matplotlib.colormaps["viridis"](np.linspace(0, 0.9, len(rows)))
    for r, c in zip(rows, colors):
        radius = (len(r.profile) - 1) // 2
        t = np.arange(-radius, radius + 1)
        label = tr("side {side}: {width:.1f} px").format(side=r.field.side, width=r.width)
        ax0.plot(t, r.profile, color=c, lw=1.6, label=label)
        low = r.profile.min()
        ax0.hlines(low + (r.profile.max() - low) / 2, -r.width / 2, r.width / 2, color=c, lw=3)
    ax0.set_xlabel(tr("offset across the edge (px)"), fontsize=8)
    ax0.set_ylabel(tr("mean edge probability"), fontsize=8)
    ax0.set_title(tr("response across the photo's edges (bar: half-height width)"), fontsize=9)
    ax0.legend(fontsize=7, frameon=False)
    sizes = np.array([r.field.size for r in rows], float)
    jumps = np.array([r.field.jump for r in rows], float)
    widths = np.array([r.width for r in rows])
    ax1.plot(sizes, sizes, color="0.6", ls="--", lw=1, label=tr("width = RF"))
    ax1.plot(sizes, jumps, color="0.3", ls=":", lw=1.2, label=tr("width = jump"))
    ax1.scatter(sizes, widths, c=colors, s=40, zorder=3, label=tr("measured width"))
    for r, x, y in zip(rows, sizes, widths):
        ax1.annotate(
            f"{r.field.side}", (x, y), textcoords="offset points", xytext=(4, 4), fontsize=7
        )
    ax1.set_xscale("log")
    ax1.set_yscale("log")
    ax1.set_xlabel(tr("receptive field (px)"), fontsize=8)
    ax1.set_ylabel(tr("edge width (px)"), fontsize=8)
    ax1.set_title(tr("width against receptive field"), fontsize=9)
    ax1.legend(fontsize=7, frameon=False, loc="upper left")
    for ax in (ax0, ax1):
        ax.tick_params(labelsize=7)
    if title:
        fig.suptitle(title, fontsize=10)
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.15, top=0.8 if title else 0.88, wspace=0.28)
    return fig
