"""cnnlab.tables: one layer type, one per-layer table for every model (receptive-field
stacks, LeNet-5, the classic networks), printed in each lesson's columns."""

import pytest

from cnnlab import arith, classic, lenet, receptive, tables

LENET_TABLE = """\
 l  layer   f  s  p  n_c  output      activations parameters
------------------------------------------------------------
 0  input   -  -  -    1  32x32x1           1,024          0
 1  conv1   5  1  0    6  28x28x6           4,704        156
 1  pool1   2  2  0    6  14x14x6           1,176          0
 2  conv2   5  1  0   16  10x10x16          1,600      2,416
 2  pool2   2  2  0   16  5x5x16              400          0
 3  fc3     -  -  -  120  120                 120     48,120
 4  fc4     -  -  -   84  84                   84     10,164
 5  fc5     -  -  -   10  10                   10        850
------------------------------------------------------------
total parameters                                      61,706"""

FIELD_TABLE = """\
layer                  output  RF size  jump  start
---------------------------------------------------
input                   32x32        1     1      0
 1 conv 3x3 s1          30x30        3     1      1
 2 maxpool 2x2 s2       15x15        4     2    1.5
 3 conv 3x3 s1 d2 p2    15x15       12     2    1.5"""


def test_the_three_layouts():
    rows = tables.layer_table(lenet.LENET5, lenet.LENET5_INPUT)
    assert tables.format_table(rows, tables.SHAPES) == LENET_TABLE
    costs = tables.format_table(rows, tables.COSTS, torch_params=61_706).splitlines()
    head = costs[0]
    assert head.split() == "layer f s p output activations parameters mult-adds".split()
    # the totals sit under their columns
    assert costs[-2].startswith("total") and costs[-2].endswith("61,706         416,520")
    assert len(costs[-2]) == len(head) and costs[-1].endswith("61,706")
    assert costs[-1].index("61,706") == costs[-2].index("61,706")
    stack = receptive.parse_layers([(3, 1), ("max", 2), (3, 1, 2, 2)])
    assert tables.format_table(tables.layer_table(stack, (32, 32, 1)), tables.FIELDS) == FIELD_TABLE


def test_rows_carry_shape_costs_depth_and_receptive_field():
    rows = tables.layer_table(lenet.LENET5, lenet.LENET5_INPUT)
    assert [r.layer for r in rows] == [0, 1, 1, 2, 2, 3, 4, 5]
    assert [r.depth for r in rows] == [0, 1, 0, 1, 0, 1, 1, 1]
    assert [r.macs for r in rows][1:4] == [117_600, 0, 240_000]
    assert rows[0].rf == tables.INPUT_RF and rows[4].rf.size == 16 and rows[5].rf is None
    assert [r.rf for r in rows[1:5]] == arith.receptive_field([(5, 1), (2, 2), (5, 1), (2, 2)])
    assert tables.receptive_fields(lenet.LENET5)["pool2"] == rows[4].rf


def test_inception_rows():
    rows = tables.inception_table(classic.INCEPTION_3A, (28, 28, 192))
    assert [r.name for r in rows] == [
        "branch1.conv", "branch3.reduce", "branch3.conv", "branch5.reduce", "branch5.conv",
        "branch_pool.pool", "branch_pool.proj", "concat",
    ]  # fmt: skip
    assert rows[-1].shape == (28, 28, 256) and rows[-1].layer == 2
    naive = tables.inception_table(classic.INCEPTION_3A, (28, 28, 192), bottleneck=False)
    assert [r.name for r in naive][-2:] == ["branch_pool.pool", "concat"]
    assert naive[-1].shape == (28, 28, 64 + 128 + 32 + 192)
    google = {r.name: r for r in tables.layer_table(classic.GOOGLENET, classic.GOOGLENET_INPUT)}
    assert google["inception3a"].kind == "inception" and google["inception3a"].depth == 2
    assert google["inception3a"].params == tables.totals(rows)["params"]


def test_describe_and_constructors():
    assert tables.describe(tables.conv("c", 8, 3, s=2, p=1)) == "conv 3x3 s2 p1"
    assert tables.describe(tables.avg_pool("a", 3, 1, 1)) == "avgpool 3x3 s1 p1"
    assert tables.describe(tables.gap()) == "global avg pool"
    assert tables.describe(tables.fc("f", 10)) == "fc 10"
    assert tables.max_pool("m", 3) == tables.Layer("m", "max", 3, 3, 0)
    assert tables.KINDS == ("conv", "max", "avg", "gap", "fc")


@pytest.mark.parametrize(
    "spec, shape, match",
    [
        ((tables.conv("c", 8, 9),), (5, 5, 1), "larger than the padded input"),
        ((tables.conv("c", 8, 3, groups=3),), (8, 8, 4), "groups=3 must divide"),
        ((tables.fc("f", 10), tables.conv("c", 4, 3)), (8, 8, 1), "needs an image"),
        ((tables.Layer("x", "dense", n_c=3),), (8, 8, 1), "kind must be one of"),
        ((tables.conv("c", 8, 3),), (0, 8, 1), "input size must be"),
        ((tables.conv("c", 8, 3),), (8, 8), "must be \\(H, W, C\\)"),
        ((tables.max_pool("m", 2, 2, 2),), (8, 8, 1), "at most half the kernel"),
        ((tables.conv("c", 0, 3),), (8, 8, 1), "c filters"),
        (
            (tables.conv("c", 4, 3, s=2),) * 3,
            (8, 8, 1),
            "c \\(conv 3x3 s2\\) gets a 1x1 feature map",
        ),
    ],
)
def test_layer_table_rejects_impossible_layers(spec, shape, match):
    with pytest.raises(ValueError, match=match):
        tables.layer_table(spec, shape)


def test_summary_needs_a_spec():
    with pytest.raises(ValueError, match="spec and input_shape"):
        tables.summary()
    text = tables.summary(spec=lenet.LENET5, input_shape=(32, 32, 1), layout=tables.SHAPES)
    assert text == LENET_TABLE
    with pytest.raises(ValueError, match="must start with conv"):
        tables.receptive_fields((tables.fc("f", 3),))
