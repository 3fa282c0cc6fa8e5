"""cnnlab.segmentation.plot: the pictures of a transposed convolution show the reference
code's numbers with correct labels; checkerboards, masks, IoU bars and curves state what
the maths says."""

import matplotlib.figure
import matplotlib.patches
import numpy as np
import pytest

from cnnlab import arith
from cnnlab import conv_transpose as ct
from cnnlab.segmentation import mean_iou, per_class_iou, plot, upsampling

from tests.figures import figure_text, segmentation_standin

X = np.array([[1.0, 2.0], [3.0, 4.0]])
W = np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0], [0.0, 1.0, 1.0]])


def grids(fig):
    """The value arrays drawn by draw_values, one per axes that has one."""
    return [ax.images[0].get_array().data for ax in fig.axes if ax.images]


def reference(x, w, s, p, op=0):
    return ct.conv_transpose2d(
        x[None, None], w[None, None], stride=s, padding=p, output_padding=op
    )[0, 0]


@pytest.mark.parametrize(
    "x, s, p, op",
    [(X, 2, 0, 0), (X, 2, 1, 1), (np.arange(6.0).reshape(2, 3), 1, 1, 0), (X[:1], 3, 0, 2)],
)
def test_stamps_add_up_to_the_transposed_convolution(x, s, p, op):
    fig = plot.plot_stamps(x, W, s, p, op)
    drawn = grids(fig)
    cropped = bool(p or op)
    top = 3 + cropped
    assert len(drawn) == top + x.size  # input, kernel, sum (, output), one panel per pixel
    assert np.array_equal(drawn[0], x) and np.array_equal(drawn[1], W)
    assert np.allclose(drawn[2], reference(x, W, s, 0))  # the uncropped canvas
    assert np.allclose(sum(drawn[top:]), drawn[2])  # the stamps sum to it
    if cropped:
        assert np.allclose(drawn[3], reference(x, W, s, p, op))
    text = figure_text(fig)
    out = arith.conv_transpose_output_size(x.shape[1], 3, p, s, 1, op)
    assert f"→ output {arith.conv_transpose_output_size(x.shape[0], 3, p, s, 1, op)}×{out}" in text
    assert f"x[0,1] = {x[0, 1]:g} stamps" in text and f"at (0, {s})" in text


def test_stamps_refuses_big_or_bad_inputs():
    with pytest.raises(ValueError, match="at most 12"):
        plot.plot_stamps(np.ones((4, 4)), W)
    with pytest.raises(ValueError, match="2D array"):
        plot.plot_stamps(np.ones((1, 2, 2)), W)
    with pytest.raises(ValueError, match="output_padding must be smaller"):
        plot.plot_stamps(X, W, stride=1, output_padding=1)


@pytest.mark.parametrize(
    "s, p, op, position",
    [(2, 0, 0, (1, 2)), (2, 1, 1, (3, 3)), (1, 0, 0, (0, 0)), (3, 3, 2, (0, 1))],
)
def test_zero_stuffing_shows_what_is_convolved(s, p, op, position):
    fig = plot.plot_zero_stuffing(X, W, s, p, op, position)
    stuffed = ct.stuffed_input(X[None, None], 3, s, p, op)[0, 0]
    ax_in, ax_k, ax_out = fig.axes
    numbers = np.array([float(t.get_text()) for t in ax_in.texts])
    assert np.allclose(numbers, stuffed.ravel())  # the numbers are the stuffed input's
    assert np.array_equal(ax_k.images[0].get_array().data, W[::-1, ::-1])
    out = ax_out.images[0].get_array().data
    assert np.allclose(out, reference(X, W, s, p, op))
    r, c = position
    window = [p_ for p_ in ax_in.patches if isinstance(p_, matplotlib.patches.Rectangle)][0]
    assert window.get_xy() == (c - 0.5, r - 0.5) and window.get_width() == 3
    assert f"out[{r},{c}] = Σ window·flipped = {out[r, c]:.3g}" in ax_out.get_title()
    # the cell colours: input pixels exactly where the stuffed input holds X's values (X has
    # no zeros; with p > f - 1 some are cropped away)
    cells = plot.stuffing_cells(X.shape, W.shape, s, p, op)
    is_input = np.all(np.isclose(cells, plot.STUFF_COLOURS["input"]), axis=-1)
    assert np.array_equal(is_input, stuffed != 0)


def test_zero_stuffing_says_padded_or_cropped_and_refuses_outside_positions():
    assert "padded by f−1−p = 2" in figure_text(plot.plot_zero_stuffing(X, W, 2, 0))
    assert "cropped by p−(f−1) = 1" in figure_text(plot.plot_zero_stuffing(X, W, 3, 3, 2))
    with pytest.raises(ValueError, match="inside the 5×5 output"):
        plot.plot_zero_stuffing(X, W, 2, 0, 0, (5, 0))


@pytest.mark.parametrize("s, p, op", [(2, 0, 0), (2, 1, 1), (3, 1, 2), (1, 1, 0)])
def test_three_ways_are_computed_and_agree(s, p, op):
    fig = plot.plot_three_ways(X, W, s, p, op)
    drawn = grids(fig)
    assert len(drawn) == 5
    for out in drawn[2:]:
        assert np.allclose(out, reference(X, W, s, p, op))
    text = figure_text(fig)
    assert "largest difference" in text
    assert "conv_transpose2d_naive" in text and "conv2d_backward's dx" in text


@pytest.mark.parametrize(
    "n, f, s, p, op",
    [
        ((2, 2), (3, 3), 2, 0, 0),
        ((2, 3), (3, 3), 2, 1, 1),
        ((4, 4), (4, 4), 2, 1, 0),
        ((3, 1), (2, 1), 3, 0, 2),
    ],
)
def test_labels_state_the_real_sizes_and_the_partner_convolution(n, f, s, p, op):
    text = plot.describe_transpose(n, f, s, p, op)
    y = ct.conv_transpose2d(
        np.zeros((1, 1) + n), np.zeros((1, 1) + f), stride=s, padding=p, output_padding=op
    )
    h, w = y.shape[2:]
    assert f"input {n[0]}×{n[1]}, kernel {f[0]}×{f[1]}, s={s}, p={p}" in text
    assert f"→ output {h}×{w}" in text
    # the partner: a convolution with the same kernel, s, p maps the output back to n
    back = (arith.conv_output_size(h, f[0], p, s), arith.conv_output_size(w, f[1], p, s))
    assert back == n and f"the conv {h}×{w} → {n[0]}×{n[1]}" in text
    assert ("output_padding" in text) == bool(op)


def test_checkerboard_titles_follow_the_overlap_counts():
    fig = plot.plot_checkerboard(n=5, seed=0)
    text = figure_text(fig)
    assert "k=3, s=2, p=1, output_padding=1: 5×5 → 10×10" in text
    assert "s does not divide k: inside, 1 or 2 or 4 stamps" in text
    assert "s divides k: inside, every pixel gets 4 stamps" in text
    assert "s divides k: inside, every pixel gets 1 stamp\n" in text + "\n"
    top = grids(fig)[:3]
    assert np.array_equal(top[0], upsampling.overlap_counts(5, 3, 2, 1, 1))
    assert np.array_equal(top[1], upsampling.overlap_counts(5, 4, 2, 1, 0))
    # the pattern sizes written are those of the drawn outputs
    rng = np.random.default_rng(0)
    for (k, s, p, op), ax in zip(((3, 2, 1, 1), (4, 2, 1, 0), (2, 2, 0, 0)), fig.axes[3:]):
        w = rng.uniform(0.5, 1.5, (k, k))
        flat = reference(np.ones((5, 5)), w, s, p, op)
        assert f"= {upsampling.pattern_size(flat):.2f}" in ax.get_title()
        assert np.allclose(ax.images[0].get_array().data, flat / flat[2:-2, 2:-2].mean())


SCENES, IMAGES, LABELS = segmentation_standin()


def test_boxes_vs_labels_one_box_per_object():
    fig = plot.plot_boxes_vs_labels(IMAGES[0], SCENES.boxes[0], SCENES.classes[0], LABELS[0])
    boxes = [p for p in fig.axes[0].patches if isinstance(p, matplotlib.patches.Rectangle)]
    assert len(boxes) == len(SCENES.boxes[0])
    assert "a class per pixel" in figure_text(fig)


def test_draw_labels_colours_each_class_and_leaves_the_background_clear():
    fig = matplotlib.figure.Figure()
    ax = fig.subplots()
    plot.draw_labels(ax, IMAGES[0], LABELS[0])
    overlay = ax.images[1].get_array()
    colours = plot.label_colours()
    for label in range(4):
        where = LABELS[0] == label
        if where.any():
            assert np.allclose(overlay[where][:, :3], colours[label][:3])
    assert np.all(overlay[LABELS[0] == 0][:, 3] == 0)
    with pytest.raises(ValueError, match="like the image"):
        plot.draw_labels(ax, IMAGES[0], LABELS[0][:5])


def test_masks_rows_and_per_image_scores():
    pred = LABELS.copy()
    pred[:, :4] = 0
    fig = plot.plot_masks(IMAGES, {"truth": LABELS, "prediction": pred})
    assert len(fig.axes) == 3 * 3
    titles = [ax.get_title() for ax in fig.axes[6:]]
    assert titles == [f"mean IoU {mean_iou(pred[j], LABELS[j], 4):.2f}" for j in range(3)]
    assert [ax.get_ylabel() for ax in fig.axes[::3]] == ["image", "truth", "prediction"]
    with pytest.raises(ValueError, match="2 maps for 3 images"):
        plot.plot_masks(IMAGES, {"truth": LABELS[:2]})
    with pytest.raises(ValueError, match="at least one"):
        plot.plot_masks(IMAGES, {})


def test_class_iou_bars_and_means():
    a = per_class_iou(LABELS, LABELS, 4)
    b = np.array([0.9, 0.5, np.nan, 0.7])
    fig = plot.plot_class_iou({"with skips": a, "without": b})
    ax = fig.axes[0]
    bars = [p for p in ax.patches if isinstance(p, matplotlib.patches.Rectangle)]
    assert len(bars) == 8
    text = figure_text(fig)
    assert "with skips: mean IoU 1.000" in text and "without: mean IoU 0.700" in text
    assert text.count("0.50") == 1 and "nan" not in text
    with pytest.raises(ValueError, match="one value per class"):
        plot.plot_class_iou({"x": [0.5, 0.5]})
    with pytest.raises(ValueError, match="at least one"):
        plot.plot_class_iou({})


def test_training_curves():
    h = {"train_loss": [1.0, 0.5, 0.25], "val_acc": [0.8, 0.9, 0.95]}
    fig = plot.plot_training_curves({"a": h, "b": {"train_loss": [1.0, 0.6]}})
    loss, acc = fig.axes
    assert len(loss.lines) == 2 and len(acc.lines) == 1
    assert list(acc.lines[0].get_ydata()) == h["val_acc"]
    with pytest.raises(ValueError, match="no train_loss"):
        plot.plot_training_curves({"a": {}})


def test_pictures_are_made_outside_pyplot():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    plot.plot_stamps(X, W)
    plot.plot_zero_stuffing(X, W)
    plot.plot_three_ways(X, W)
    plot.plot_checkerboard()
    plot.plot_masks(IMAGES, {"truth": LABELS})
    assert plt.get_fignums() == before
