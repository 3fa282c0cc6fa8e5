"""cnnlab.detection.localization: the loss ignores the box and class without an object."""

import numpy as np
import pytest

from cnnlab import detection


def test_localization_loss_ignores_the_box_without_object():
    y0 = np.zeros(8)
    wild = np.array([0.2, 5, -3, 9, 9, 1, 1, 1])
    assert detection.localization_loss(wild, y0) == pytest.approx(0.04)
    y1 = np.array([1, 0.5, 0.5, 0.2, 0.3, 0, 1, 0])
    assert detection.localization_loss(wild, y1) == pytest.approx(((wild - y1) ** 2).sum())
    batch = detection.localization_loss(np.stack([wild, wild]), np.stack([y0, y1]))
    np.testing.assert_allclose(batch, [0.04, ((wild - y1) ** 2).sum()])


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: detection.localization_loss(np.zeros(8), np.zeros(7)), "same shape"),
        (lambda: detection.localization_loss(np.zeros(8), np.full(8, 0.5)), "0 or 1"),
    ],
)
def test_bad_input_gets_a_clear_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()
