"""The classic-networks checkers (cnnlab.classic.check) accept the reference answers and name the typical mistakes."""

import numpy as np
import pytest

from cnnlab import arith, classic, conv, tables
from cnnlab.classic import check

# exercise 1: VGG-16's fc6


def test_fc6_reference_matches_the_table():
    rows = tables.layer_table(classic.VGG_16, classic.VGG_INPUT)
    fc6 = next(r for r in rows if r.name == "fc6")
    assert fc6.params == 7 * 7 * 512 * 4096 + 4096
    assert check.vgg_fc6_params(fc6.params).ok
    assert check.vgg_fc6_params(float(fc6.params)).ok


@pytest.mark.parametrize(
    "answer, hint",
    [
        (7 * 7 * 512 * 4096, "forgot the biases"),
        (14 * 14 * 512 * 4096 + 4096, "pool5 halves it"),
        (512 * 4096 + 4096, "not just the 512 channels"),
        (7 * 7 * 4096 + 4096, "512 channels"),
        (4096 * 4096 + 4096, "That is fc7"),
        (224 * 224 * 3 * 4096 + 4096, "does not see the image"),
        (7 * 7 * 512 * 4097, "not to each input"),
        (7 * 7 * 512 + 1, "one unit's parameters"),
        (None, "Replace None"),
        (123, "not right yet"),
    ],
)
def test_fc6_names_the_mistake(answer, hint):
    feedback = check.vgg_fc6_params(answer)
    assert not feedback.ok
    assert hint in feedback.message


def test_fc6_generic_hint_does_not_give_the_answer_away():
    assert f"{102_764_544}" not in check.vgg_fc6_params(5).message
    assert "102,764,544" not in check.vgg_fc6_params(5).message


# exercise 2: the 3x3 branch, plain and with its bottleneck

PLAIN = arith.conv_macs(28, 3, 192, 128)
BOTTLE = arith.conv_macs(28, 1, 192, 96) + arith.conv_macs(28, 3, 96, 128)


def test_branch_reference_matches_the_inception_table():
    rows = tables.inception_table(classic.INCEPTION_3A, (28, 28, 192))
    assert BOTTLE == sum(r.macs for r in rows if r.name.startswith("branch3"))
    naive = tables.inception_table(classic.INCEPTION_3A, (28, 28, 192), bottleneck=False)
    assert PLAIN == next(r.macs for r in naive if r.name == "branch3.conv")


@pytest.mark.parametrize(
    "answer", [(PLAIN, BOTTLE), [PLAIN, BOTTLE], np.array([PLAIN, BOTTLE]), (PLAIN * 1.0, BOTTLE)]
)
def test_branch_accepts_the_reference(answer):
    feedback = check.inception_branch_macs(answer)
    assert feedback.ok, feedback.message


@pytest.mark.parametrize(
    "answer, hint",
    [
        ((BOTTLE, PLAIN), "swapped"),
        ((arith.conv_macs(26, 3, 192, 128), BOTTLE), "'same' padding"),
        ((28 * 28 * 128 * 9, BOTTLE), "as deep as its input"),
        ((arith.conv_params(3, 192, 128), BOTTLE), "parameter count"),
        ((PLAIN + 28 * 28 * 128, BOTTLE), "Biases"),
        ((PLAIN, arith.conv_macs(28, 3, 96, 128)), "1x1 conv's own"),
        ((PLAIN, arith.conv_macs(28, 1, 192, 96)), "Add the 3x3 conv's"),
        ((PLAIN, arith.conv_macs(28, 1, 192, 96) + PLAIN), "only its 96 channels"),
        ((PLAIN, arith.conv_params(1, 192, 96) + arith.conv_params(3, 96, 128)), "parameter count"),
        ((PLAIN, 7), "Count outputs"),
        ((PLAIN,), "two numbers"),
        ("lots", "two numbers"),
        (None, "Replace None"),
    ],
)
def test_branch_names_the_mistake(answer, hint):
    feedback = check.inception_branch_macs(answer)
    assert not feedback.ok
    assert hint in feedback.message


def test_branch_reports_which_count_is_wrong():
    assert "plain" in check.inception_branch_macs((PLAIN + 1, BOTTLE)).message
    assert "with the bottleneck" in check.inception_branch_macs((PLAIN, BOTTLE + 1)).message


# exercise 3: the shape after Inception 3b


def test_3b_reference_matches_googlenet():
    rows = tables.layer_table(classic.GOOGLENET, classic.GOOGLENET_INPUT)
    shape = next(r.shape for r in rows if r.name == "inception3b")
    prev = next(r.shape for r in rows if r.name == "inception3a")
    assert prev == check.INCEPTION_3B["input"]
    assert check.inception_output_shape(shape).ok
    assert check.inception_output_shape(list(shape)).ok
    assert check.inception_output_shape(np.array(shape)).ok


@pytest.mark.parametrize(
    "answer, hint",
    [
        ((28, 28, 416), "left out the pooling branch"),
        ((28, 28, 672), "only the naive module"),
        ((28, 28, 640), "reductions"),
        ((28, 28, 192), "add their channels"),
        ((28, 28, 256), "not the input's"),
        ((14, 14, 480), "height and width"),
        ((480, 28, 28), "channels last"),
        ((28, 28, 500), "Not right yet"),
        ((28, 28), "three numbers"),
        ("28x28x480", "three integers"),
        (None, "Replace None"),
    ],
)
def test_3b_names_the_mistake(answer, hint):
    feedback = check.inception_output_shape(answer)
    assert not feedback.ok
    assert hint in feedback.message


# exercise 4: a 1x1 convolution as a matrix product


def reference(x, w, b):
    return np.einsum("oc,nchw->nohw", w, x) + b[None, :, None, None]


def test_pointwise_accepts_the_reference_and_other_ways():
    assert check.pointwise_conv_function(reference).ok

    def with_matmul(x, w, b):
        return np.moveaxis(np.moveaxis(x, 1, -1) @ w.T + b, -1, 1)

    def with_conv(x, w, b):
        return conv.conv2d(x, w[:, :, None, None]) + b[None, :, None, None]

    assert check.pointwise_conv_function(with_matmul).ok
    assert check.pointwise_conv_function(with_conv).ok


@pytest.mark.parametrize(
    "fn, hint",
    [
        (lambda x, w, b: np.einsum("oc,nchw->nohw", w, x), "forgot the bias"),
        (lambda x, w, b: np.moveaxis(reference(x, w, b), 1, -1), "channels last"),
        (lambda x, w, b: np.einsum("oc,nchw->no", w, x) + b, "not over the pixels"),
        (lambda x, w, b: np.einsum("co,nchw->nohw", w, x) + b[None, :, None, None], "transposed"),
        (lambda x, w, b: x, "values are not right yet"),
        (lambda x, w, b: reference(x, w, b)[:, :, :1], "should have shape"),
        (lambda x, w, b: 1 / 0, "raised ZeroDivisionError"),
        (None, "Pass your function"),
    ],
)
def test_pointwise_names_the_mistake(fn, hint):
    feedback = check.pointwise_conv_function(fn)
    assert not feedback.ok
    assert hint in feedback.message


# exercise 5: the cost ratio of a depthwise-separable conv


def test_separable_ratio_reference_is_the_counts():
    s = check.SEPARABLE
    costs = classic.separable_costs(s["n"], s["c_in"], s["c_out"], s["f"])
    ratio = (costs["depthwise"][0] + costs["pointwise"][0]) / costs["normal"][0]
    assert check.separable_cost_ratio(ratio).ok
    assert check.separable_cost_ratio(classic.separable_ratio(s["c_out"], s["f"])).ok
    assert check.separable_cost_ratio(round(ratio, 3)).ok  # three significant digits


@pytest.mark.parametrize(
    "answer, hint",
    [
        (1 / 64, "forgot the pointwise"),
        (1 / 9, "pointwise part alone"),
        (1 / 32 + 1 / 9, "input's channels"),
        (1 / 64 + 1 / 3, "kernel term is 1/f^2"),
        (1 / 64**2 + 1 / 9, "not squared"),
        (1 / 64**2 + 1 / 3, "squared the channel term and not the kernel"),
        (1 / (1 / 64 + 1 / 9), "normal / separable"),
        (56 * 56 * (9 * 32 + 32 * 64), "count of multiplications"),
        (0.5, "not right yet"),
        (None, "Replace None"),
        ("a lot", "Give one number"),
    ],
)
def test_separable_ratio_names_the_mistake(answer, hint):
    feedback = check.separable_cost_ratio(answer)
    assert not feedback.ok
    assert hint in feedback.message
    assert "0.1267" not in feedback.message  # a wrong answer never gets the answer
