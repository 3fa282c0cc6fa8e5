"""LeNet-5's NumPy training (lesson 06, ``cnnlab.lenet.train``) against the same training in
PyTorch on the CPU: same network (tanh, average pooling), same initial weights, same data
(the scikit-learn digits upsampled to 32×32, 1,347 images), same plain minibatch SGD (batch 32,
the lesson's step size), same shuffles. Target (issue 16): NumPy no slower than 3× PyTorch.

Both run in one process, in interleaved rounds (NumPy epoch, PyTorch epoch, ...), so a change
of load hits both alike; each side is timed per epoch and the best of the rounds is kept. One
thread each (NumPy's BLAS as ``lenet.train`` sets it, ``torch.set_num_threads(1)``), and a
second PyTorch row with every core, for reference. Writes its section of RESULTS.md.

    python benchmarks/bench_lenet.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
import torch
from bench_conv import cpu_name
from threadpoolctl import threadpool_limits

from cnnlab import lenet
from cnnlab.data import digits
from cnnlab.lenet.reference import sgd_epoch

from results import write_section

LR, BATCH = 0.08, 32
TARGET = 3.0


def data():
    x8, y, _, _ = digits()
    x = lenet.upsample(x8)
    return ((x - x.mean()) / x.std()).astype(np.float32), y


def numpy_epoch(params, x, y, order) -> float:
    t = time.perf_counter()
    with threadpool_limits(limits=1, user_api="blas"):
        sgd_epoch(params, x, y, order, LR, BATCH)
    return time.perf_counter() - t


def torch_epoch(model, opt, xt, yt, order) -> float:
    t = time.perf_counter()
    loss_fn = torch.nn.CrossEntropyLoss()
    for i in range(0, len(xt), BATCH):
        idx = torch.as_tensor(order[i : i + BATCH])
        opt.zero_grad(set_to_none=True)
        loss_fn(model(xt[idx]), yt[idx]).backward()
        opt.step()
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    x, y = data()
    xt, yt = torch.from_numpy(x), torch.from_numpy(y).long()
    params = lenet.init_params(seed=0)
    # one PyTorch model per row, each from the NumPy initial weights
    models = {k: lenet.params_to_torch(params, lenet.LeNet5()) for k in ("torch1", "torchN")}
    opts = {k: torch.optim.SGD(m.parameters(), lr=LR) for k, m in models.items()}
    rng = np.random.default_rng(0)
    threads = os.cpu_count() or 1
    best = {"numpy": np.inf, "torch1": np.inf, "torchN": np.inf}
    for _ in range(args.rounds):
        order = rng.permutation(len(x))
        best["numpy"] = min(best["numpy"], numpy_epoch(params, x, y, order))
        for key, n in (("torch1", 1), ("torchN", threads)):
            torch.set_num_threads(n)
            best[key] = min(best[key], torch_epoch(models[key], opts[key], xt, yt, order))
    # the same algorithm from the same weights: after identical epochs both nets agree
    # (up to float32 rounding, which can flip a prediction near a tie)
    with torch.no_grad():
        agree = int((lenet.predict(params, x) == models["torch1"](xt).argmax(1).numpy()).sum())
    ratio = best["numpy"] / best["torch1"]
    verdict = "meets" if ratio <= TARGET else "misses"
    load = os.getloadavg()[0]
    body = "\n".join(
        [
            f"One epoch of plain SGD on LeNet-5 (tanh, average pooling; {len(x):,} digits at "
            f"32×32, batch {BATCH}, lr {LR}), best of {args.rounds} interleaved rounds. "
            f"**CPU**: {cpu_name()}, {os.cpu_count()} cores, PyTorch {torch.__version__}; "
            f"load average (1 min) {load:.1f} at the end.",
            "",
            "| implementation | threads | seconds per epoch | NumPy / this | target | verdict |",
            "|---|---:|---:|---:|---|---|",
            f"| NumPy reference (`lenet.train`'s epoch) | 1 | {best['numpy']:.3f} | 1.00 | | |",
            f"| PyTorch (`lenet.LeNet5`, `torch.optim.SGD`) | 1 | {best['torch1']:.3f} | "
            f"{ratio:.2f} | NumPy ≤ {TARGET:g}× | {verdict} |",
            f"| PyTorch, every core | {threads} | {best['torchN']:.3f} | "
            f"{best['numpy'] / best['torchN']:.2f} | (reference) | |",
            "",
            "NumPy and the one-thread PyTorch model started from the same weights and saw the "
            f"same shuffles for the same epochs; afterwards they predict the same class for "
            f"{agree:,} of the {len(x):,} training digits.",
        ]
    )
    print(body)
    write_section("LeNet-5 training: NumPy reference vs PyTorch (CPU)", body + "\n")


if __name__ == "__main__":
    main()
