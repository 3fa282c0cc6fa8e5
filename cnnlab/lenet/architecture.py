"""LeNet-5's layers as data: the rows that the table, the NumPy net and the PyTorch model read.

The stack is LeCun's: conv -> pool -> conv -> pool -> FC -> FC -> softmax, with
5x5 kernels, 2x2 pooling and 6, 16, 120, 84, 10 channels/units::

    32x32x1 -conv1-> 28x28x6 -pool1-> 14x14x6 -conv2-> 10x10x16 -pool2-> 5x5x16
            -flatten-> 400 -fc3-> 120 -fc4-> 84 -fc5-> 10 (softmax)

By the course's convention a "layer" is a conv together with its pool (pooling has no
parameters), so conv1+pool1 is layer 1, conv2+pool2 layer 2, then fc3, fc4, fc5: the
``layer`` column of ``cnnlab.tables``. Used by lessons 06 and 07.

>>> from cnnlab import tables
>>> [r.params for r in tables.layer_table(LENET5, LENET5_INPUT)]
[0, 156, 0, 2416, 0, 48120, 10164, 850]
"""

from __future__ import annotations

from .. import tables
from ..i18n import tr

LENET5_INPUT = (32, 32, 1)
"""LeNet-5's input: one 32x32 grey image, (H, W, C)."""


def lenet5(pool: str = "avg", global_pool: bool = False, n_classes: int = 10) -> tuple:
    """LeNet-5's rows (``tables.Layer``): pools of kind ``pool`` ("avg" as in 1998, or
    "max"); with ``global_pool`` a global average pool ("gap") before the FC layers, so
    any input size works; ``n_classes`` units in fc5."""
    if pool not in ("avg", "max"):
        raise ValueError(
            tr("pool must be one of {choices}, got {pool!r}").format(
                choices=["avg", "max"], pool=pool
            )
        )
    pool_row = tables.avg_pool if pool == "avg" else tables.max_pool
    convs = (
        tables.conv("conv1", 6, 5),
        pool_row("pool1", 2),
        tables.conv("conv2", 16, 5),
        pool_row("pool2", 2),
    )
    head = (tables.fc("fc3", 120), tables.fc("fc4", 84), tables.fc("fc5", n_classes))
    return convs + ((tables.gap("gap"),) if global_pool else ()) + head


LENET5 = lenet5()
"""LeNet-5 as a tuple of layers: the table, the NumPy net and the tests read it."""

LENET5_GAP = lenet5(global_pool=True)
"""LeNet-5 with a global average pool before the FC layers: accepts any input size."""
