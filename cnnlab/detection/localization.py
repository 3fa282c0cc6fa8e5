"""Classification with localization: the label vector ``y = (pc, bx, by, bh, bw, c1..cC)``
and its loss.

Used by lesson 10 (object detection), sections 1 (one object per image) and 4-8 (the same
vector in every YOLO grid slot, see :mod:`cnnlab.detection.anchors`).

``pc`` is 1 if there is an object, ``(bx, by)`` its midpoint, ``(bh, bw)`` its height and
width (as fractions of the image for one object; in cell units on a YOLO grid) and
``c1..cC`` the one-hot class. When ``pc = 0`` the rest is "don't care".

>>> round(localization_loss([0.2, 9, 9, 9, 9, 1, 1, 1], [0, 0, 0, 0, 0, 0, 0, 0]), 4)
0.04
"""

from __future__ import annotations

import numpy as np

from ..i18n import tr
from ..validate import as_real_array

#: Index of each entry of a label vector ``y = (pc, bx, by, bh, bw, c1, ..., cC)``.
PC, BX, BY, BH, BW = 0, 1, 2, 3, 4


def localization_loss(y_hat, y) -> np.ndarray:
    """The notes' squared-error loss for classification with localization, per example.

    y_hat, y: (N, K) label vectors ``(pc, bx, by, bh, bw, c1..cC)`` (or one (K,) vector).
    If ``y[pc] = 1``: the sum of squared errors over all K entries. If ``y[pc] = 0`` there
    is no object, so only ``(pc_hat - pc)^2`` counts: the box and class entries are "don't
    care". Returns (N,) losses (or a float for one vector).
    """
    yh = as_real_array("y_hat", y_hat).astype(float)
    yt = as_real_array("y", y).astype(float)
    if yh.shape != yt.shape:
        raise ValueError(
            tr("y_hat and y must have the same shape, got {shape_hat} and {shape_y}").format(
                shape_hat=yh.shape, shape_y=yt.shape
            )
        )
    single = yh.ndim == 1
    yh, yt = np.atleast_2d(yh), np.atleast_2d(yt)
    if yt.shape[1] < 6:
        raise ValueError(
            tr("label vectors need pc, 4 box numbers and >= 1 class, got {n}").format(n=yt.shape[1])
        )
    if not (np.isfinite(yh).all() and np.isfinite(yt).all()):
        raise ValueError(tr("y_hat and y must hold finite numbers, got NaN or infinite values"))
    if not np.all(np.isin(yt[:, PC], (0, 1))):
        raise ValueError(
            tr("y's pc must be 0 or 1, got {values}").format(values=yt[:, PC].tolist())
        )
    sq = (yh - yt) ** 2
    loss = np.where(yt[:, PC] == 1, sq.sum(axis=1), sq[:, PC])
    return float(loss[0]) if single else loss
