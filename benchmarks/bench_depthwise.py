"""Depthwise-separable (depthwise 3×3 + pointwise 1×1) against a normal 3×3 conv, in PyTorch.

The multiplications fall to 1/n_c + 1/f² of the normal conv's (lesson 07,
``cnnlab.classic.separable_ratio``); this measures how much of that the clock sees, on the
shapes of MobileNet v1's layers, on the CPU (and on the GPU when there is one). Both run side
by side in one process, in interleaved rounds, so a change of load hits both alike. Writes its
table into benchmarks/RESULTS.md (between this benchmark's markers) and prints it.

    python benchmarks/bench_depthwise.py [--repeats 10] [--rounds 5] [--batch 8]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import torch
from bench_conv import cpu_name

from cnnlab import nets
from cnnlab.classic import mobilenet

from results import write_section

#: (n, c_in, c_out): MobileNet v1's depthwise-separable layers at 224 px input, one per size
CASES = [(112, 32, 64), (56, 128, 128), (28, 256, 256), (14, 512, 512), (7, 1024, 1024)]
#: the multiplications left, separable / normal, for each case: 1/c_out + 1/9
CUT = [f"{mobilenet.separable_ratio(c_out, 3):.3f}" for _, _, c_out in CASES]


@torch.no_grad()
def median_time(module, x, repeats: int) -> float:
    sync = torch.cuda.synchronize if x.device.type == "cuda" else (lambda: None)
    module(x)  # warm up: allocations and kernel choice are not the steady state
    sync()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        module(x)
        sync()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def bench_case(n, c_in, c_out, batch, dev, repeats, rounds):
    torch.manual_seed(0)
    x = torch.randn(batch, c_in, n, n, device=dev)
    modules = {
        "normal": mobilenet.normal_conv(c_in, c_out).to(dev).eval(),
        "separable": mobilenet.separable_conv(c_in, c_out).to(dev).eval(),
    }
    best = {name: float("inf") for name in modules}
    for _ in range(rounds):
        for name, module in modules.items():
            best[name] = min(best[name], median_time(module, x, repeats))
    costs = mobilenet.separable_costs(n, c_in, c_out, 3)
    macs = {
        "normal": batch * costs["normal"][0],
        "separable": batch * (costs["depthwise"][0] + costs["pointwise"][0]),
    }
    return best, macs


def table(dev, args) -> tuple[list[str], list[tuple]]:
    """The table's lines and, per case, (time ratio, normal GFLOP/s, separable GFLOP/s)."""
    found = []
    lines = [
        "| layer (n×n, c_in → c_out) | normal ms | separable ms | multiplications "
        "separable/normal | time separable/normal | normal GFLOP/s | separable GFLOP/s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for n, c_in, c_out in CASES:
        t, macs = bench_case(n, c_in, c_out, args.batch, dev, args.repeats, args.rounds)
        lines.append(
            f"| {n}×{n}, {c_in} → {c_out} | {t['normal'] * 1e3:.2f} | "
            f"{t['separable'] * 1e3:.2f} | {macs['separable'] / macs['normal']:.3f} | "
            f"{t['separable'] / t['normal']:.3f} | "
            f"{2 * macs['normal'] / t['normal'] / 1e9:.1f} | "
            f"{2 * macs['separable'] / t['separable'] / 1e9:.1f} |"
        )
        print(lines[-1], flush=True)
        found.append(
            (
                t["separable"] / t["normal"],
                2 * macs["normal"] / t["normal"] / 1e9,
                2 * macs["separable"] / t["separable"] / 1e9,
            )
        )
    return lines, found


def verdict(where: str, found) -> str:
    """What this run's rows say, in one sentence built from them."""
    slower = sum(r >= 1 for r, _, _ in found)
    low = all(sep < normal for _, normal, sep in found)
    text = (
        f"{where}: the time was {min(r for r, _, _ in found):.2f}–"
        f"{max(r for r, _, _ in found):.2f} of the normal conv's while the multiplications "
        f"fell to {min(CUT)}–{max(CUT)}"
    )
    if slower:
        text += f"; in {slower} of {len(found)} layers the separable pair was not faster at all"
    if low:
        text += (
            ". The separable pair's GFLOP/s are below the normal conv's in every row: a depthwise conv "
            "does only 9 multiply-adds per number it reads and writes, so memory traffic rather "
            "than arithmetic limits it"
        )
    return text + "."


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10, help="timed calls per block")
    parser.add_argument("--rounds", type=int, default=5, help="blocks per module")
    parser.add_argument("--batch", type=int, default=8, help="images per forward pass")
    args = parser.parse_args()
    torch.set_num_threads(os.cpu_count() or 1)
    lines = [
        f"Forward passes (no autograd), batch {args.batch}, float32, 3×3 'same' convs without "
        "bias; separable = depthwise 3×3 (groups = c_in) then pointwise 1×1 "
        "(`cnnlab.classic.mobilenet`). Each time is the best of "
        f"{args.rounds} interleaved rounds, each round the median of {args.repeats} calls "
        "after a warm-up. GFLOP/s counts 2 FLOPs per multiply-add.",
        "",
        f"**CPU**: {cpu_name()}, {os.cpu_count()} cores, PyTorch {torch.__version__} with "
        f"{torch.get_num_threads()} threads.",
        "",
    ]
    cpu_lines, cpu = table(torch.device("cpu"), args)
    lines += cpu_lines
    verdicts = [verdict("CPU", cpu)]
    dev = nets.device()
    if dev.type == "cuda":
        gpu_lines, gpu = table(dev, args)
        lines += ["", f"**GPU**: {torch.cuda.get_device_name(dev)}.", "", *gpu_lines]
        verdicts.append(verdict("GPU", gpu))
    else:
        lines += ["", "No GPU on this machine: CPU rows only."]
    lines += [
        "",
        "The multiplications fall to 1/c_out + 1/9 of the normal conv's. " + " ".join(verdicts),
        "",
        "On a shared virtual machine the times of one row can move by tens of percent (or "
        "more) between runs; repeat the run before trusting a single ratio.",
    ]
    write_section("Depthwise-separable vs normal 3×3 conv (PyTorch)", "\n".join(lines))


if __name__ == "__main__":
    main()
