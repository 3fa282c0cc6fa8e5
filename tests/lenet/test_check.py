"""LeNet-5 checkers (cnnlab.lenet.check) accept the reference and name the typical mistakes."""

import math

import pytest

from cnnlab import lenet, tables
from cnnlab.lenet import check

GOOD = {"conv2 output": (10, 10, 16), "conv2 parameters": 2416, "fc3 parameters": 48120}


def test_lenet_table_accepts_reference_from_the_table():
    rows = {r.name: r for r in tables.layer_table(lenet.LENET5, lenet.LENET5_INPUT)}
    answer = {
        "conv2 output": rows["conv2"].shape,
        "conv2 parameters": rows["conv2"].params,
        "fc3 parameters": rows["fc3"].params,
    }
    assert answer == GOOD
    assert check.lenet_table(answer).ok
    assert check.lenet_table({**GOOD, "conv2 output": [10, 10, 16]}).ok  # a list is fine


@pytest.mark.parametrize(
    "key,wrong,hint",
    [
        ("conv2 output", (10, 10, 6), "one channel per filter"),
        ("conv2 output", (9, 9, 16), "+ 1"),
        ("conv2 output", (14, 14, 16), "shrinks"),
        ("conv2 output", (5, 5, 16), "after pool2"),
        ("conv2 output", (16, 10, 10), "channels last"),
        ("conv2 output", (10, 10), "should be a tuple"),
        ("conv2 output", None, "still None"),
        ("conv2 parameters", 2400, "forgot the biases"),
        ("conv2 parameters", 416, "forgot the channels"),
        ("conv2 parameters", 151, "one filter"),
        ("conv2 parameters", 0, "only pooling has no parameters"),
        ("conv2 parameters", 1234, "5x5x(input channels)"),
        ("fc3 parameters", 48000, "forgot the biases"),
        ("fc3 parameters", 3120, "forgot the channels"),
        ("fc3 parameters", 192120, "not conv2's"),
        ("fc3 parameters", 48400, "not to each input"),
        ("fc3 parameters", "48120?", "not right yet"),
    ],
)
def test_lenet_table_hints(key, wrong, hint):
    fb = check.lenet_table({**GOOD, key: wrong})
    assert not fb.ok and hint in fb.message


def test_lenet_table_needs_the_keys():
    fb = check.lenet_table({"conv2": 1})
    assert not fb.ok and "keys" in fb.message
    assert not check.lenet_table(None).ok


def test_fc_instead_of_conv():
    reference = (14 * 14 * 6) * (10 * 10 * 16) + 10 * 10 * 16
    assert reference == 1_883_200 and check.fc_instead_of_conv(reference).ok
    cases = {
        1_881_600: "forgot the biases",
        2416: "conv2 itself",
        14 * 14 * 1600 + 1600: "6 channels",
        1176 * 100 + 100: "16 channels",
        1176 * 1600 + 1176: "not to each input",
        1024 * 4704 + 4704: "conv1",
        None: "Replace None",
        12345: "not right yet",
    }
    for wrong, hint in cases.items():
        fb = check.fc_instead_of_conv(wrong)
        assert not fb.ok and hint in fb.message, (wrong, fb.message)


def _reference(n):
    m = (((n - 4) // 2) - 4) // 2
    return 16 * m * m


def test_lenet_flat_size_accepts_reference():
    assert check.lenet_flat_size(_reference).ok
    # the table's own arithmetic is a correct answer too
    assert check.lenet_flat_size(
        lambda n: math.prod(tables.layer_table(lenet.LENET5, (n, n, 1))[4].shape)
    ).ok


@pytest.mark.parametrize(
    "fn,hint",
    [
        (lambda n: 16 * math.ceil((math.ceil((n - 4) / 2) - 4) / 2) ** 2, "rounds down"),
        (lambda n: _reference(n) // 16, "16 channels: the flattened"),
        (lambda n: 6 * ((((n - 4) // 2) - 4) // 2) ** 2, "not 6"),
        (lambda n: 16 * ((((n - 5) // 2) - 5) // 2) ** 2, "+ 1"),
        (lambda n: 16 * (n - 8) ** 2, "halves"),
        (lambda n: 400, "expected 256"),  # right only at 32 to 35
        (lambda n: None, "returned None"),
        (lambda n: 1 / 0, "ZeroDivisionError"),
        (3, "Pass your function"),
    ],
)
def test_lenet_flat_size_hints(fn, hint):
    fb = check.lenet_flat_size(fn)
    assert not fb.ok and hint in fb.message, fb.message
