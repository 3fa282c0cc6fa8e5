"""Thin ipywidgets front-ends: controls, an output area, and a pure drawing function.

Every explorer is built with :func:`explorer`: it reads the controls, calls
``draw(**values)`` (a pure function returning a matplotlib Figure, tested without a
browser) and shows the figure, or, when ``draw`` raises ValueError, the message in its
place. The last figure and message are kept on ``box.state`` so tests can assert on them.
"""

from __future__ import annotations

import html

import ipywidgets as W
import matplotlib.pyplot as plt
from IPython.display import display


def int_slider(description: str, value: int, lo: int, hi: int, step: int = 1) -> W.IntSlider:
    """An IntSlider that updates on release of the mouse as well as on keyboard moves."""
    return W.IntSlider(
        value=value,
        min=lo,
        max=hi,
        step=step,
        description=description,
        continuous_update=False,
        style={"description_width": "initial"},
    )


def explorer(draw, controls: dict, title: str | None = None) -> W.VBox:
    """Controls plus an output that redraws ``draw(**{name: control.value})`` on every change.

    draw: function of the control values returning a matplotlib Figure; ValueError messages
    are shown in place of the figure (class ``cnnlab-error``) instead of a traceback.
    Returns a VBox with ``.state = {"figure": Figure | None, "error": str | None}``,
    ``.controls`` (the dict given), ``.redraw()`` and ``.draw`` (for benchmarks).
    """
    out = W.Output()
    message = W.HTML()
    message.add_class("cnnlab-message")
    state = {"figure": None, "error": None}

    def redraw(*_):
        values = {name: c.value for name, c in controls.items()}
        if state["figure"] is not None:
            plt.close(state["figure"])
        try:
            fig = draw(**values)
        except ValueError as err:
            state["figure"], state["error"] = None, str(err)
            message.value = (
                '<div class="cnnlab-error" style="color:#a40000;background:#fff0f0;'
                'border:1px solid #e0a0a0;padding:8px;border-radius:4px;max-width:640px">'
                f"<b>Not possible:</b> {html.escape(str(err))}</div>"
            )
            out.clear_output(wait=True)
            return
        state["figure"], state["error"] = fig, None
        message.value = ""
        out.clear_output(wait=True)
        with out:
            display(fig)
        plt.close(fig)  # displayed as an image; keep matplotlib's figure count bounded

    for c in controls.values():
        c.observe(redraw, names="value")
    parts = [W.HTML(f"<b>{html.escape(title)}</b>")] if title else []
    box = W.VBox(
        parts
        + [W.HBox(list(controls.values()), layout=W.Layout(flex_flow="row wrap")), message, out]
    )
    box.state, box.controls, box.redraw, box.draw = state, controls, redraw, draw
    redraw()
    return box


# --- lesson 04: receptive field ---


def receptive_field_explorer(image=None, size: int = 64) -> W.VBox:
    """Sliders for a stack of equal conv layers; draws one unit's receptive field.

    Controls: number of layers, kernel size, stride, dilation, a 2x2 max pool after every
    conv, and 'same' padding. Draws ``cnnlab.plot.receptive_field_view`` over a small
    grey image (the cat's face, ``size`` x ``size``, loaded once); settings that shrink a
    feature map to nothing show cnnlab's message instead.
    """
    from functools import partial

    from . import plot

    if image is None:
        from . import data

        img = data.image("chelsea", size=round(size * 1.5), gray=True)
        left = (img.shape[1] - size) // 2
        image = img[:size, left : left + size]
    controls = {
        "n_layers": int_slider("layers L", 4, 1, 8),
        "kernel": int_slider("kernel K", 3, 1, 7),
        "stride": int_slider("stride s", 1, 1, 3),
        "dilation": int_slider("dilation d", 1, 1, 3),
        "pool": W.Checkbox(value=False, description="2x2 max pool after each conv"),
        "same": W.Checkbox(value=False, description="'same' padding"),
    }
    draw = partial(plot.receptive_field_view, image=image, size=size)
    return explorer(draw, controls, title="Receptive field of one unit of the last layer")


# --- lesson 05: pooling ---


def pooling_explorer(size: int = 6) -> W.VBox:
    """Pooling on a small grid of digits: kernel, stride, padding, type (max/average/min)
    and which output cell to explain. Draws ``cnnlab.plot.draw_pooling``; impossible
    settings (window larger than the padded input, padding over half the kernel) show
    cnnlab.pool's message in place of the picture.
    """
    from . import plot

    controls = {
        "kernel": int_slider("kernel", 2, 1, 5),
        "stride": int_slider("stride", 2, 1, 5),
        "padding": int_slider("padding", 0, 0, 2),
        "mode": W.Dropdown(
            options=[("max", "max"), ("average", "avg"), ("min", "min")],
            value="max",
            description="type",
            layout=W.Layout(width="170px"),
        ),
        "size": int_slider("input size", size, 3, 9),
        "position": int_slider("output cell", 0, 0, 80),
    }
    return explorer(plot.draw_pooling, controls, title="Pooling: one window per output cell")


# --- lesson 02: convolution and filters ---


def conv_step_explorer(x=None, w=None) -> W.VBox:
    """Slide a kernel over a small image and watch one dot product at a time.

    x: (H, W) image, default the course's 6x6 step (10 on the left, 0 on the right);
    w: (K, K) kernel, default the vertical-edge filter (1, 0, -1). Sliders pick the output
    position; the drawing is cnnlab.plot.draw_conv_step.
    """
    import numpy as np

    from .arith import conv_output_size
    from .filters import prewitt_x
    from .plot import draw_conv_step

    x = np.array([[10.0, 10, 10, 0, 0, 0]] * 6) if x is None else np.asarray(x, dtype=float)
    w = prewitt_x() if w is None else np.asarray(w, dtype=float)
    if x.ndim != 2 or w.ndim != 2:
        raise ValueError(f"x and w must be 2D (H, W) and (K, K), got {x.shape} and {w.shape}")
    ho = conv_output_size(x.shape[0], w.shape[0])
    wo = conv_output_size(x.shape[1], w.shape[1])
    controls = {
        "row": int_slider("output row", 0, 0, ho - 1),
        "col": int_slider("output column", 0, 0, wo - 1),
    }
    return explorer(
        lambda row, col: draw_conv_step(x, w, row, col),
        controls,
        title="The sliding dot product: move the window",
    )


def filter_explorer(images=("camera", "coins", "brick", "chelsea"), size: int = 128) -> W.VBox:
    """Pick a named 3x3 filter and a grey image; see the activation map it produces.

    images: names from cnnlab.data.IMAGES (loaded once, grey, longer side ``size``).
    Filters are cnnlab.filters.KERNELS; the drawing is cnnlab.plot.draw_activation_map.
    """
    from .data import image
    from .filters import KERNELS, kernel
    from .plot import draw_activation_map

    pictures = {name: image(name, size=size, gray=True) for name in images}
    controls = {
        "kernel_name": W.Dropdown(options=list(KERNELS), value="sobel_x", description="filter"),
        "image_name": W.Dropdown(options=list(pictures), description="image"),
    }

    def draw(kernel_name, image_name):
        return draw_activation_map(pictures[image_name], kernel(kernel_name), title=kernel_name)

    return explorer(draw, controls, title="One filter, one activation map")


# --- lesson 03: padding, stride, dilation (the convolution arithmetic explorer) ---


def conv_arithmetic_explorer(
    n: int = 7, f: int = 3, p: int = 0, s: int = 2, d: int = 1, position: int = 0, max_n: int = 16
) -> W.VBox:
    """Sliders for n, f, p, s, d and the output cell, drawing :func:`cnnlab.plot.conv_arithmetic`.

    A Play button walks the output cell through every position, row by row. When the
    settings change, the output-cell slider's range follows the new output size (the cell
    is clamped into it); impossible settings show the cnnlab.arith message in place of the
    picture and keep the slider as it was until the settings are possible again.
    Returns the :func:`explorer` VBox, with ``.play`` (the Play widget) added.
    """
    from .arith import conv_output_size
    from .plot import conv_arithmetic

    def last_cell(values):
        o = conv_output_size(values["n"], values["f"], values["p"], values["s"], values["d"])
        return o * o - 1

    controls = {
        "n": int_slider("input n", n, 1, max_n),
        "f": int_slider("kernel f", f, 1, 7),
        "p": int_slider("padding p", p, 0, 4),
        "s": int_slider("stride s", s, 1, 4),
        "d": int_slider("dilation d", d, 1, 4),
    }
    try:
        top = last_cell({k: c.value for k, c in controls.items()})
    except ValueError:
        top = 0
    controls["position"] = int_slider("output cell", min(position, top), 0, top)
    play = W.Play(value=controls["position"].value, min=0, max=top, interval=700, step=1)
    play.description = "play"
    W.link((play, "value"), (controls["position"], "value"))

    def fit_position(_):
        # Runs before the explorer's redraw (observers fire in the order they were added),
        # so the redraw already sees a position inside the new output.
        try:
            new_top = last_cell({k: c.value for k, c in controls.items()})
        except ValueError:
            return  # the redraw shows the message; keep the range until settings are possible
        pos = controls["position"]
        if pos.value > new_top:
            pos.value = new_top
        play.max = pos.max = new_top

    # The output size as text beside the picture, for screen readers and browser tests.
    size_text = W.HTML()
    size_text.add_class("cnnlab-output-size")

    def show_size(_=None):
        v = {k: c.value for k, c in controls.items()}
        try:
            o = conv_output_size(v["n"], v["f"], v["p"], v["s"], v["d"])
        except ValueError:
            size_text.value = "output size: not possible"
            return
        size_text.value = (
            f"output size = ⌊({v['n']} + 2·{v['p']} − {v['d']}·({v['f']}−1) − 1)/{v['s']}⌋ + 1"
            f" = <b>{o}</b>, so the output is {o}×{o}"
        )

    for name in ("n", "f", "p", "s", "d"):
        controls[name].observe(fit_position, names="value")
        controls[name].observe(show_size, names="value")
    show_size()
    box = explorer(
        conv_arithmetic, controls, title="Convolution arithmetic: size, padding, stride, dilation"
    )
    *head, message, out = box.children
    walk = W.HBox([W.Label("walk through the output cells:"), play])
    box.children = (*head, walk, size_text, message, out)
    box.play, box.size_text = play, size_text
    return box


# --- lesson 10: object detection ---


def float_slider(description: str, value: float, lo: float, hi: float, step: float) -> W.FloatSlider:
    """A FloatSlider that updates on release of the mouse as well as on keyboard moves."""
    return W.FloatSlider(
        value=value,
        min=lo,
        max=hi,
        step=step,
        description=description,
        continuous_update=False,
        readout_format=".2f",
        style={"description_width": "initial"},
    )


def iou_explorer(box_a=(2, 2, 7, 6), size: int = 12) -> W.VBox:
    """Move and resize box B against a fixed box A; see the intersection, the union and the
    IoU (``cnnlab.plot.draw_iou``). B sticking out of the canvas shows a message instead."""
    from functools import partial

    from . import plot

    controls = {
        "x": int_slider("B: left x", 4, 0, size - 1),
        "y": int_slider("B: top y", 3, 0, size - 1),
        "w": int_slider("B: width", 5, 1, size),
        "h": int_slider("B: height", 4, 1, size),
    }
    draw = partial(plot.draw_iou, box_a=box_a, size=size)
    return explorer(draw, controls, title="Intersection over union: move and resize box B")


def nms_explorer(image, boxes, scores, classes=None, names=None) -> W.VBox:
    """Non-max suppression on one image's candidate boxes: an IoU threshold, a score
    threshold and per-class or class-blind suppression (``cnnlab.plot.draw_nms``)."""
    from . import plot

    controls = {
        "iou_threshold": float_slider("IoU threshold", 0.5, 0.0, 1.0, 0.05),
        "score_threshold": float_slider("score threshold", 0.3, 0.0, 1.0, 0.05),
        "per_class": W.Checkbox(value=True, description="per class"),
    }

    def draw(iou_threshold, score_threshold, per_class):
        return plot.draw_nms(image, boxes, scores, classes, iou_threshold, score_threshold,
                             per_class, names)

    return explorer(draw, controls, title="Non-max suppression: which boxes survive?")


def yolo_grid_explorer(scenes, names=None, anchors=None) -> W.VBox:
    """Pick a scene and a grid size S; see which cell is responsible for each object and
    its label vector (``cnnlab.plot.draw_yolo_grid``). scenes: a ``cnnlab.shapes.Scenes``."""
    from . import plot

    controls = {
        "index": int_slider("scene", 0, 0, len(scenes) - 1),
        "grid_size": int_slider("grid S", 3, 1, 8),
    }

    def draw(index, grid_size):
        return plot.draw_yolo_grid(scenes.images[index], scenes.boxes[index],
                                   scenes.classes[index], grid_size, anchors, names)

    return explorer(draw, controls, title="YOLO targets: one cell per object midpoint")


# --- lesson 07: classic networks, 1x1 convolutions, Inception ---


def bottleneck_explorer() -> W.VBox:
    """Sliders for the 1x1 bottleneck in front of an f x f conv on 28x28x192: bottleneck
    channels, kernel size f and output channels. Draws ``cnnlab.plot.plot_bottleneck_costs``;
    an even f (no 'same' padding) shows cnnlab.arith's message instead.
    """
    from . import plot

    controls = {
        "bottleneck": int_slider("1x1 filters (bottleneck)", 16, 1, 192),
        "f": int_slider("kernel f", 5, 1, 7),
        "c_out": int_slider("output channels", 32, 8, 256, step=8),
    }
    return explorer(
        plot.plot_bottleneck_costs,
        controls,
        title="Cost of an f x f conv on 28x28x192, with and without a 1x1 bottleneck",
    )


# --- lesson 12: 1D and 3D convolution ---


def signal_filter_explorer() -> W.VBox:
    """Filter a real recording with a 1D kernel: pick the signal, kernel, width, padding.

    Signals: the four EEG channels and the membrane potential (cnnlab.signals); kernels:
    cnnlab.signals.KERNELS (width sets the smoothing kernels' length). Draws
    cnnlab.plot.draw_signal_filter.
    """
    from . import signals
    from .plot import draw_signal_filter

    eeg = signals.eeg()
    recordings = {
        name: (eeg[i], 1.0, "sample", "EEG") for i, name in enumerate(signals.EEG_CHANNELS)
    }
    recordings["membrane potential"] = (
        signals.membrane_potential(),
        signals.MEMBRANE_DT_MS,
        "ms",
        "mV",
    )
    controls = {
        "signal": W.Dropdown(options=list(recordings), value="PG3", description="signal"),
        "kernel_name": W.Dropdown(
            options=list(signals.KERNELS), value="moving average", description="kernel"
        ),
        "width": int_slider("width", 9, 3, 41, step=2),
        "pad": W.Dropdown(options=["edge", "zeros", "valid"], value="edge", description="padding"),
    }

    def draw(signal, kernel_name, width, pad):
        x, dt, unit, ylabel = recordings[signal]
        return draw_signal_filter(
            x,
            signals.kernel(kernel_name, width),
            pad=pad,
            dt=dt,
            unit=unit,
            ylabel=ylabel,
            title=f"{signal}, {kernel_name}",
        )

    return explorer(draw, controls, title="A 1D kernel sliding along a recording")


def volume_slice_explorer(size: int = 64) -> W.VBox:
    """Walk through the CT phantom slice by slice, with its 3D or per-slice 2D edge map.

    Controls: view (axial, coronal, sagittal), slice index, and the edge filter (3D Sobel
    3x3x3 or 2D Sobel 1x3x3 on each axial slice). Both edge maps are computed once and
    drawn on one grey scale, so they compare. Draws cnnlab.plot.draw_volume_slice.
    """
    from .plot import draw_volume_slice
    from .volumes import VIEWS, ct_phantom, edge_magnitude, sobel2d_bank

    volume = ct_phantom(size)
    maps = {
        "3D Sobel, 3x3x3": edge_magnitude(volume),
        # the 2D kernels weigh 4 times less (no smoothing across slices): rescale to compare
        "2D Sobel per slice, 1x3x3": 4 * edge_magnitude(volume, sobel2d_bank()),
    }
    top = max(float(m.max()) for m in maps.values())
    controls = {
        "view": W.Dropdown(options=list(VIEWS), value="coronal", description="view"),
        "index": int_slider("slice", size // 2, 0, size - 1),
        "edges": W.Dropdown(options=list(maps), description="edges"),
    }

    def draw(view, index, edges):
        return draw_volume_slice(
            volume, maps[edges], view, index, edge_max=top, edge_label=edges.split(",")[0]
        )

    return explorer(draw, controls, title="A CT volume, slice by slice")
