"""cnnlab.features.check: the parameter-counting checkers accept the reference answer and
name the typical mistakes."""

import pytest

from cnnlab.features import check

# Reference answers, computed by hand from the definitions (not with the checkers' code).
FC_32x32x3_TO_100 = 32 * 32 * 3 * 100 + 100  # 307,300
CONV_5x5x3_INPUTS = 75
UNSHARED_6x5x5x3 = 28 * 28 * 6 * 76  # 357,504


def test_fc_layer_params_accepts_reference():
    assert check.fc_layer_params(FC_32x32x3_TO_100).ok
    assert check.fc_layer_params(307300.0).ok
    # Other layer sizes: 28x28 grey digits to 10 units.
    assert check.fc_layer_params(28 * 28 * 10 + 10, h=28, w=28, c=1, units=10).ok


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (307_200, "forgot the biases"),
        (102_500, "3 channels"),
        (102_400, "Two slips"),
        (307_201, "own bias"),
        (310_272, "not to each input"),
        (3_073, "one unit"),
        (3_072, "number of inputs"),
    ],
)
def test_fc_layer_params_names_the_mistake(wrong, hint):
    fb = check.fc_layer_params(wrong)
    assert not fb.ok
    assert hint in fb.message


def test_fc_layer_params_placeholder_and_unknown_answers():
    assert "Replace None" in check.fc_layer_params(None).message
    fb = check.fc_layer_params(12345)
    assert not fb.ok and "count the inputs" in fb.message
    assert "307300" not in fb.message.replace(",", "")  # the hint does not give it away


def test_inputs_per_conv_output_accepts_reference():
    assert check.inputs_per_conv_output(CONV_5x5x3_INPUTS).ok
    assert check.inputs_per_conv_output(3 * 3 * 16, f=3, c_in=16).ok
    # Grey image: "forgot the channels" gives the right number and must not be flagged.
    assert check.inputs_per_conv_output(9, f=3, c_in=1).ok


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (25, "as deep as its input"),
        (76, "bias is a parameter"),
        (3072, "fully connected unit"),
        (1024, "whole image"),
        (15, "5x5 pixels"),
        (784, "how many outputs"),
    ],
)
def test_inputs_per_conv_output_names_the_mistake(wrong, hint):
    fb = check.inputs_per_conv_output(wrong)
    assert not fb.ok
    assert hint in fb.message


def test_inputs_per_conv_output_unknown_answer():
    fb = check.inputs_per_conv_output(50)
    assert not fb.ok and "window" in fb.message and "75" not in fb.message
    assert "Replace None" in check.inputs_per_conv_output(None).message


def test_params_without_sharing_accepts_reference():
    assert check.params_without_sharing(UNSHARED_6x5x5x3).ok
    # 8x8 grey image, 4 filters of 3x3: 6x6x4 outputs x 10 parameters each.
    assert check.params_without_sharing(6 * 6 * 4 * 10, n=8, f=3, c_in=1, c_out=4).ok


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (456, "shared count"),
        (28 * 28 * 6 * 75, "own bias"),
        (32 * 32 * 6 * 76, "28x28 positions, not 32x32"),
        (28 * 28 * 76, "own output map"),
        (28 * 28 * 6 * 26, "all channels"),
        (28 * 28 * 6 * 3073, "fully connected layer"),
    ],
)
def test_params_without_sharing_names_the_mistake(wrong, hint):
    fb = check.params_without_sharing(wrong)
    assert not fb.ok
    assert hint in fb.message


def test_params_without_sharing_unknown_answer():
    fb = check.params_without_sharing(1000)
    assert not fb.ok and "28x28x6" in fb.message and "357" not in fb.message
    assert "Replace None" in check.params_without_sharing(None).message


def test_feedback_shows_in_notebooks():
    assert check.fc_layer_params(FC_32x32x3_TO_100)._repr_html_().count("✔") == 1
    assert "✘" in repr(check.fc_layer_params(1))
