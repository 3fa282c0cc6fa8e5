"""cnnlab.style.style_transfer against a bare PyTorch loop of the same network and loss.

Both optimise the same generated image with Adam through the same VGG19-style feature
network (random weights: nothing is downloaded), with the same content layer, style layers
and Gram-matrix costs; the bare loop is what one would write by hand (slicing the
``nn.Sequential``, no checks, no history, no progress bar). They run interleaved in one
process, so the ratio is fair on a busy machine.

* CPU (always): 128 px, width ×0.5, a few steps; threads = torch's setting for this run.
* CUDA (when present): 512 px, full-width VGG19 layout, 300 steps, TF32 on. The anchor: a
  VGG19-feature Gram-loss step at 512 px took 5.2 ms on an H100 with TF32.

Writes its table into benchmarks/RESULTS.md and prints it.

    python benchmarks/bench_style.py [--repeats 5] [--steps 20] [--threads N]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import torch

from cnnlab import data, style

from results import write_section


def sync(dev):
    if dev.type == "cuda":
        torch.cuda.synchronize()


def bare_loop(net, content, style_img, steps, alpha=10.0, beta=400.0):
    """The hand-written loop: same maths as style_transfer, nothing else."""
    layers = [style.CONTENT_LAYER, *style.STYLE_LAYERS]
    with torch.no_grad():
        a_C = net(content, [style.CONTENT_LAYER])[style.CONTENT_LAYER]
        fs = net(style_img, list(style.STYLE_LAYERS))
        grams = {k: (v[0].flatten(1) @ v[0].flatten(1).T) for k, v in fs.items()}
    x = content.clone().requires_grad_(True)
    opt = torch.optim.Adam([x], lr=0.02)
    for _ in range(steps):
        opt.zero_grad(set_to_none=True)
        f = net(x.clamp(0, 1), layers)
        _, c, h, w = a_C.shape
        loss = alpha * ((f[style.CONTENT_LAYER] - a_C) ** 2).sum() / (4 * c * h * w)
        for k, lam in style.STYLE_LAYERS.items():
            a = f[k][0].flatten(1)
            n = a.shape[0] * a.shape[1]
            loss = loss + beta * lam * ((a @ a.T - grams[k]) ** 2).sum() / (2 * n) ** 2
        loss.backward()
        opt.step()
        with torch.no_grad():
            x.clamp_(0, 1)
    return x


def per_step(fn, steps, repeats, dev):
    fn()  # warm up: allocations, cuDNN algorithm choice
    times = []
    for _ in range(repeats):
        sync(dev)
        t = time.perf_counter()
        fn()
        sync(dev)
        times.append((time.perf_counter() - t) / steps)
    return statistics.median(times)


def bench(dev, size, width, steps, repeats):
    net = style.feature_net("random", width=width).to(dev)
    c = data.image("chelsea", size)
    s = style.style_image("immunohistochemistry", size)
    tc, ts = style.image_tensor(c, dev), style.image_tensor(s, dev)

    def ours():
        style.style_transfer(c, s, net=net, steps=steps, device=dev, progress=False)

    def bare():
        bare_loop(net, tc, ts, steps)

    res = {"cnnlab": [], "bare": []}
    for _ in range(repeats):  # interleave so load changes hit both alike
        res["cnnlab"].append(per_step(ours, steps, 1, dev))
        res["bare"].append(per_step(bare, steps, 1, dev))
    return {k: statistics.median(v) for k, v in res.items()}, c.shape


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--threads", type=int, default=None)
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    rows = []
    t, shape = bench(torch.device("cpu"), 128, 0.5, args.steps, args.repeats)
    cpu_note = (
        f"On the CPU a 150-step transfer at this size (as in lesson 12) takes about "
        f"{t['cnnlab'] * 150:.0f} s (target ≤ 60 s for 128–192 px)."
    )
    rows.append(
        f"| CPU ({torch.get_num_threads()} thread{'s' if torch.get_num_threads() > 1 else ''}) | {shape[0]}×{shape[1]} | ×0.5 | {args.steps} "
        f"| {t['cnnlab'] * 1e3:.1f} | {t['bare'] * 1e3:.1f} | {t['cnnlab'] / t['bare']:.2f} |"
    )
    if torch.cuda.is_available():
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
        dev = torch.device("cuda")
        t, shape = bench(dev, 512, 1.0, 300, max(3, args.repeats // 2))
        rows.append(
            f"| {torch.cuda.get_device_name()} (TF32) | {shape[0]}×{shape[1]} | ×1 | 300 "
            f"| {t['cnnlab'] * 1e3:.2f} | {t['bare'] * 1e3:.2f} | {t['cnnlab'] / t['bare']:.2f} |"
        )
        gpu_note = f"300 steps take {t['cnnlab'] * 300:.2f} s with cnnlab (target ≤ 3 s)."
    else:
        gpu_note = (
            "**GPU row not measured in this session** (no CUDA device); run this script on a "
            "GPU machine to add it (512 px, 300 steps, TF32; target ≤ 3 s for 300 steps)."
        )
    body = (
        "`cnnlab.style.style_transfer` (Adam, content conv3_2, style conv1_1…conv4_1, Gram "
        "costs with the notes' normalisation) against a bare PyTorch loop of the same "
        "network and loss; random-weight VGG19 layout (average pooling). Median time per "
        "optimisation step (forward + backward + Adam) over "
        f"{args.repeats} interleaved runs; cnnlab's time includes its one-off setup (the "
        "content and style features) spread over the steps. Content: chelsea; style: immunohistochemistry. "
        f"Machine: {platform.processor() or platform.machine()}, torch {torch.__version__}.\n\n"
        "| device | image | width | steps | cnnlab ms/step | bare ms/step | ratio |\n"
        "|---|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n\n"
        "Anchor: a VGG19-feature Gram-loss step at 512 px took 5.2 ms on an H100 with TF32.\n"
        f"{cpu_note}\n{gpu_note}\n"
    )
    write_section("Style transfer step: cnnlab vs bare PyTorch", body)
    print(body)


if __name__ == "__main__":
    main()
