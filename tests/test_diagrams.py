"""Architecture drawings (cnnlab.diagrams): every label is the layer table's own shape."""

import matplotlib.figure
import pytest

from cnnlab import classic, diagrams, lenet, tables

from tests.figures import figure_text


def drawn(fig, gid):
    return [t.get_text() for t in fig.axes[0].texts if t.get_gid() == gid]


def table_shapes(spec, input_shape):
    """The table's shapes as text, with the flatten an FC layer does before it."""
    rows = tables.layer_table(spec, input_shape)
    shapes = []
    for prev, r in zip([None] + rows[:-1], rows):
        if r.kind == "fc" and len(prev.shape) == 3:
            shapes.append(str(prev.activations))
        shapes.append("x".join(map(str, r.shape)))
    return shapes


@pytest.mark.parametrize(
    "spec, input_shape",
    [
        (lenet.LENET5, (32, 32, 1)),
        (classic.VGG_16, classic.VGG_INPUT),
        (classic.ALEXNET, classic.ALEXNET_INPUT),
    ],
)
def test_labels_are_the_tables_shapes(spec, input_shape):
    fig = diagrams.plot_architecture(spec, input_shape)
    assert isinstance(fig, matplotlib.figure.Figure)
    assert drawn(fig, "shape") == table_shapes(spec, input_shape)
    rows = tables.layer_table(spec, input_shape)
    layers = drawn(fig, "layer")
    assert len(layers) == len(drawn(fig, "shape"))
    # the layer labels are the table's descriptions (FC rows with their unit count)
    described = [tables.describe(r) for r in rows[1:] if r.kind != "fc"]
    assert [t for t in layers if not t.startswith(("fc", "flatten", "input"))] == described
    assert f"{tables.totals(rows)['params']:,} parameters" in figure_text(fig)


def test_lenet_by_hand_and_vgg_sizes():
    shapes = drawn(diagrams.plot_architecture(lenet.LENET5, (32, 32, 1)), "shape")
    assert shapes == [
        "32x32x1",
        "28x28x6",
        "14x14x6",
        "10x10x16",
        "5x5x16",
        "400",
        "120",
        "84",
        "10",
    ]
    vgg = drawn(diagrams.plot_architecture(classic.VGG_16, classic.VGG_INPUT), "shape")
    assert (
        vgg[0] == "224x224x3" and "7x7x512" in vgg and vgg[-4:] == ["25088", "4096", "4096", "1000"]
    )


def test_boxes_shrink_with_the_maps_and_grow_with_the_channels():
    boxes = diagrams.architecture_boxes(classic.VGG_16, classic.VGG_INPUT)
    sizes = {b.shape: diagrams.box_size(b.dims) for b in boxes}
    assert sizes["224x224x64"].height > sizes["112x112x128"].height > sizes["7x7x512"].height
    assert sizes["224x224x3"].thickness < sizes["224x224x64"].thickness
    assert sizes["4096"].depth == 0  # a vector is a flat column


def test_a_plain_list_and_a_title():
    spec = [tables.conv("c1", 8, 3, p=1), tables.max_pool("p1", 2), tables.fc("out", 3)]
    fig = diagrams.plot_architecture(spec, (16, 16, 3), title="tiny")
    assert drawn(fig, "shape") == ["16x16x3", "16x16x8", "8x8x8", "512", "3"]
    assert "tiny" in figure_text(fig)
    inception = diagrams.plot_architecture(classic.GOOGLENET, classic.GOOGLENET_INPUT)
    assert "28x28x256" in drawn(inception, "shape")


@pytest.mark.parametrize(
    "spec, shape, match",
    [
        ([], (8, 8, 1), "at least one layer"),
        ("conv", (8, 8, 1), "sequence of cnnlab.tables rows"),
        (classic.VGG_16[0], (8, 8, 1), "single row .conv1_1.: pass \\[row\\]"),
        ([("conv", 3)], (8, 8, 1), "spec item 0 must be"),
        ([tables.conv("c1", 4, 9)], (8, 8, 1), "c1 .* cannot produce any output"),
        (lenet.LENET5, (32, 32), r"input_shape must be \(H, W, C\)"),
        (lenet.LENET5, (32, 0, 1), "input size"),
    ],
)
def test_bad_input_gets_a_clear_message(spec, shape, match):
    with pytest.raises(ValueError, match=match):
        diagrams.plot_architecture(spec, shape)
