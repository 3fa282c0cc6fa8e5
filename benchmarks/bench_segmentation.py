"""The segmentation lesson's U-Net on the CPU: training time and held-out mean IoU, with and
without the skip connections.

The lesson's settings exactly: 2000 generated 32x32 scenes (seed 0) for training, 300 held-out
scenes (seed 1), UNet(width 16, depth 2), ``cnnlab.nets.fit`` for 8 epochs (Adam, lr 3e-3,
batches of 32, seed 0), scored with ``cnnlab.segmentation``'s metrics. Target (issue 14): mean
IoU >= 0.8 on the held-out scenes within 2 minutes on a 2-core CPU. Writes its table into
benchmarks/RESULTS.md and prints it.

    python benchmarks/bench_segmentation.py [--threads N] [--epochs 8] [--repeats 2]
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import torch

from cnnlab import nets, segmentation
from cnnlab.segmentation import unet

from results import write_section

TARGET_IOU, TARGET_SECONDS = 0.8, 120.0
CPU = torch.device("cpu")


def cpu_name() -> str:
    """The CPU's model name where Linux tells it."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def run(skips: bool, train, test, epochs: int, dev=CPU) -> dict:
    """Train one U-Net as the lesson does (on ``dev``) and score it on the held-out scenes."""
    nets.seed_everything(0)
    model = unet.UNet(3, 4, width=16, depth=2, skips=skips)
    cpu0 = time.process_time()
    history = nets.fit(
        model,
        train,
        test,
        epochs=epochs,
        lr=3e-3,
        batch_size=32,
        seed=0,
        dev=dev,
        progress=False,
    )
    cpu = time.process_time() - cpu0
    pred = unet.predict(model, test[0])
    return {
        "seconds": history["seconds"],
        "cpu": cpu,
        "pixel_accuracy": segmentation.pixel_accuracy(pred, test[1]),
        "per_class": segmentation.per_class_iou(pred, test[1], 4),
        "mean_iou": segmentation.mean_iou(pred, test[1], 4),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--threads",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="torch CPU threads (the target is for 2)",
    )
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument(
        "--repeats",
        type=int,
        default=2,
        help="trainings per network (same seeds, same result); the fastest counts",
    )
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    t0 = time.perf_counter()
    train = segmentation.make_segmentation(2000, seed=0)
    test = segmentation.make_segmentation(300, seed=1)
    data_seconds = time.perf_counter() - t0
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        f"Machine: {cpu_name()}, {os.cpu_count()} cores, load average {load:.1f} at the start; "
        f"PyTorch {torch.__version__} with {torch.get_num_threads()} threads, CPU. The lesson's "
        f"settings: 2000 training scenes (seed 0), 300 held-out (seed 1), UNet(width 16, "
        f"depth 2), `nets.fit` {args.epochs} epochs, Adam lr 3e-3, batch 32, seed 0 "
        f"(generating the data: {data_seconds:.1f} s, not counted). Each network trained "
        f"{max(args.repeats, 1)} times from the same seeds (same result); the fastest counts.",
        "",
        "| U-Net | training s (wall) | CPU s (all threads) | pixel accuracy | mean IoU | "
        "IoU background / ellipse / rectangle / triangle |",
        "|---|---:|---:|---:|---:|---|",
    ]
    results = {}
    for skips in (True, False):
        runs = [run(skips, train, test, args.epochs) for _ in range(max(args.repeats, 1))]
        r = results[skips] = min(runs, key=lambda v: v["seconds"])
        per_class = " / ".join(f"{v:.3f}" for v in r["per_class"])
        lines.append(
            f"| {'with skips' if skips else 'without skips'} | {r['seconds']:.1f} | "
            f"{r['cpu']:.1f} | {r['pixel_accuracy']:.4f} | {r['mean_iou']:.3f} | {per_class} |"
        )
        print(lines[-1], flush=True)
    best = results[True]
    met = best["mean_iou"] >= TARGET_IOU and best["seconds"] <= TARGET_SECONDS
    lines += [
        "",
        f"Target: mean IoU >= {TARGET_IOU} on the held-out scenes within "
        f"{TARGET_SECONDS:.0f} s of training on a 2-core CPU. This run (with skips): mean IoU "
        f"{best['mean_iou']:.3f} in {best['seconds']:.0f} s: **{'met' if met else 'missed'}**.",
        "Wall-clock times on a shared machine grow with its load (the OpenMP threads then also "
        "spin, which inflates the CPU time); rerun on an idle machine before trusting a time "
        "close to the target. The GPU row of the same training is in the GPU section "
        "(`bench_gpu.py`).",
    ]
    write_section("Segmentation: U-Net training time and mean IoU (CPU)", "\n".join(lines))


if __name__ == "__main__":
    main()
