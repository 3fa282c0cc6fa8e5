"""What pooling saves: the cost of the convolution that follows it, on the map as it is and
on the pooled map, counted (multiply-adds) and timed. Used by lesson 05 (section 2).

>>> cost = next_conv_cost(size=16, c_in=4, c_out=8, repeats=1)
>>> cost["unpooled"]["macs"] // cost["pooled"]["macs"]
4
"""

from __future__ import annotations

import time

import numpy as np
import torch
import torch.nn.functional as F

from ..arith import conv_macs, conv_output_size
from ..i18n import tr
from ..validate import check_int


@torch.no_grad()
def best_seconds(fn, repeats: int = 5, warmup: int = 1) -> float:
    """Shortest wall-clock seconds of ``fn()`` over ``repeats`` runs, after ``warmup`` runs
    (the first call allocates memory and picks kernels). Other programs on the machine only
    ever add time, so the shortest run is the least disturbed (as ``timeit`` advises);
    timings still vary from run to run and machine to machine."""
    repeats = check_int("repeats", repeats, 1)
    for _ in range(check_int("warmup", warmup, 0)):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.min(times))


def next_conv_cost(size=224, c_in=64, c_out=128, kernel=3, pool=2, repeats=5, threads=1, seed=0):
    """The next conv layer's cost without and with ``pool`` x ``pool`` max pooling before it.

    A seeded (1, c_in, size, size) feature map goes, in PyTorch on the CPU, either straight
    into a ``kernel`` x ``kernel`` convolution from c_in to c_out channels (padding
    kernel // 2, so an odd kernel keeps the size of the map it gets), or first through
    ``max_pool2d(pool)`` (stride = pool). The defaults are VGG-16's first pooling: 224x224x64
    pooled to 112x112x64 before a 3x3 conv to 128 channels. Returns ``{"unpooled": {...},
    "pooled": {...}}``, each with ``"size"`` (side of the map the convolution gets),
    ``"macs"`` (its multiply-adds, ``cnnlab.arith.conv_macs``) and ``"seconds"`` (the
    convolution's best wall time over ``repeats`` runs, on ``threads`` CPU threads, restored
    afterwards); "pooled" also has ``"pool_seconds"``, the pooling's own time. Timings vary
    from run to run and machine to machine; the counts do not.
    """
    size, c_in, c_out = (check_int(n, v, 1) for n, v in
                         (("size", size), ("c_in", c_in), ("c_out", c_out)))  # fmt: skip
    kernel, pool = check_int("kernel", kernel, 1), check_int("pool", pool, 1)
    if pool > size:
        raise ValueError(
            tr("pool must be at most size ({size}) to leave a map, got pool={pool}").format(
                size=size, pool=pool
            )
        )
    pooled_size = conv_output_size(size, pool, s=pool)
    gen = torch.Generator().manual_seed(seed)
    fmap = torch.rand(1, c_in, size, size, generator=gen)
    weight = torch.randn(c_out, c_in, kernel, kernel, generator=gen) / (c_in * kernel**2) ** 0.5
    small = F.max_pool2d(fmap, pool)

    def conv(t):
        return lambda: F.conv2d(t, weight, padding=kernel // 2)

    before = torch.get_num_threads()
    torch.set_num_threads(check_int("threads", threads, 1))
    try:
        result = {}
        for name, t, n in (("unpooled", fmap, size), ("pooled", small, pooled_size)):
            n_out = conv_output_size(n, kernel, p=kernel // 2)
            result[name] = {
                "size": n,
                "macs": conv_macs(n_out, kernel, c_in, c_out),
                "seconds": best_seconds(conv(t), repeats),
            }
        result["pooled"]["pool_seconds"] = best_seconds(lambda: F.max_pool2d(fmap, pool), repeats)
    finally:
        torch.set_num_threads(before)
    return result
