"""cnnlab.style.style_transfer with the trained VGG16 (HED) against a bare PyTorch loop of the
same network and loss, and the lesson's main transfer timed end to end.

Both loops optimise the same generated image with Adam through VGG16's convolutions with
HED's weights (``cnnlab.style.feature_net("vgg16")``: ImageNet start, fine-tuned on BSDS500
edges; nothing is downloaded), with the same content layer (relu4_2), style layers
(relu1_1 … relu5_1, λ = 1/5) and the notes' Gram-matrix costs. The bare loop is what one
would write by hand (the network's children called in order, no checks, no history, no
progress bar). They run interleaved in one process, so the ratio is fair on a busy machine.

* CPU (always): the lesson's image size (chelsea at 192 px: 128×192), ``--steps`` Adam steps
  per run; and lesson 12's main transfer as it runs there (60 L-BFGS steps, 192 px), end to
  end, against its target of ≤ 60 s on a 2-core CPU. Threads: torch's setting for this run.
* CUDA: ``bench_gpu.py`` calls :func:`bench` at 512 px, 300 Adam steps, TF32 on (target
  ≤ 3 s for the 300 steps), with the other GPU rows.

Writes its table into benchmarks/RESULTS.md and prints it.

    python benchmarks/bench_style.py [--repeats 3] [--steps 10] [--threads N]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import torch

from cnnlab import data, style
from cnnlab.pretrained.vgg import BGR_MEAN

from results import write_section


def sync(dev):
    if dev.type == "cuda":
        torch.cuda.synchronize()


def bare_features(body, x, wanted):
    """The network by hand: RGB [0, 1] -> Caffe BGR input, then every child in order."""
    h = x.flip(1) * 255.0 - torch.tensor(BGR_MEAN, device=x.device).view(1, 3, 1, 1)
    out = {}
    for name, layer in body.named_children():
        h = layer(h)
        if name in wanted:
            out[name] = h
            if len(out) == len(wanted):
                break
    return out


def bare_loop(body, content, style_img, steps, alpha=10.0, beta=0.01):
    """The hand-written loop: same maths as style_transfer, nothing else."""
    c_layer, s_layers = style.CONTENT_LAYER, style.STYLE_LAYERS
    with torch.no_grad():
        a_C = bare_features(body, content, {c_layer})[c_layer]
        fs = bare_features(body, style_img, set(s_layers))
        grams = {k: (v[0].flatten(1) @ v[0].flatten(1).T) for k, v in fs.items()}
    x = content.clone().requires_grad_(True)
    opt = torch.optim.Adam([x], lr=0.02)
    for _ in range(steps):
        opt.zero_grad(set_to_none=True)
        f = bare_features(body, x.clamp(0, 1), {c_layer, *s_layers})
        _, c, h, w = a_C.shape
        loss = alpha * ((f[c_layer] - a_C) ** 2).sum() / (4 * c * h * w)
        for k, lam in s_layers.items():
            a = f[k][0].flatten(1)
            n = a.shape[0] * a.shape[1]
            loss = loss + beta * lam * ((a @ a.T - grams[k]) ** 2).sum() / (2 * n) ** 2
        loss.backward()
        opt.step()
        with torch.no_grad():
            x.clamp_(0, 1)
    return x


def timed(fn, dev) -> float:
    sync(dev)
    t = time.perf_counter()
    fn()
    sync(dev)
    return time.perf_counter() - t


def bench(dev, size, steps, repeats):
    """Median ms per Adam step of cnnlab and of the bare loop, interleaved."""
    net = style.feature_net("vgg16").to(dev)
    c = data.image("chelsea", size)
    # the style cropped to the content's shape: the bare loop needs no Gram rescaling
    s = style.style_image("immunohistochemistry", size)[: c.shape[0], : c.shape[1]]
    tc, ts = style.image_tensor(c, dev), style.image_tensor(s, dev)

    def ours():
        style.style_transfer(
            c, s, net=net, steps=steps, optimizer="adam", device=dev, progress=False
        )

    def bare():
        bare_loop(net.body, tc, ts, steps)

    ours(), bare()  # warm up: allocations, cuDNN algorithm choice
    res = {"cnnlab": [], "bare": []}
    for _ in range(repeats):  # interleave so load changes hit both alike
        res["cnnlab"].append(timed(ours, dev) / steps)
        res["bare"].append(timed(bare, dev) / steps)
    return {k: statistics.median(v) for k, v in res.items()}, c.shape, net


def lesson_transfer(net, repeats) -> float:
    """Median seconds of lesson 12's main transfer: 192 px, 60 L-BFGS steps (the defaults)."""
    c = data.image("chelsea", 192)
    s = style.style_image("immunohistochemistry", 192)
    dev = torch.device("cpu")
    return statistics.median(
        timed(lambda: style.style_transfer(c, s, net=net, device=dev, progress=False), dev)
        for _ in range(repeats)
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--threads", type=int, default=None)
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    threads = torch.get_num_threads()
    cpu = f"CPU ({threads} thread{'s' if threads > 1 else ''})"
    t, shape, net = bench(torch.device("cpu"), 192, args.steps, args.repeats)
    rows = [
        f"| {cpu} | trained VGG16 (HED) | {shape[0]}×{shape[1]} | Adam × {args.steps} "
        f"| {t['cnnlab'] * 1e3:.0f} | {t['bare'] * 1e3:.0f} | {t['cnnlab'] / t['bare']:.2f} |"
    ]
    lesson_s = lesson_transfer(net, args.repeats)
    gpu_note = (
        "The GPU row (512 px, 300 Adam steps, TF32; target ≤ 3 s for the 300 steps) is "
        "`bench_gpu.py`'s, in the GPU section."
    )
    body = (
        "`cnnlab.style.style_transfer` against a bare PyTorch loop of the same network and "
        "loss: VGG16's convolutions with HED's weights (ImageNet start, fine-tuned on BSDS500 "
        "edges), content relu4_2, style relu1_1…relu5_1 (λ = 1/5), the notes' Gram costs, "
        f"Adam. Median time per optimisation step (forward + backward + Adam) over "
        f"{args.repeats} interleaved runs; cnnlab's time includes its one-off setup (the "
        "content and style targets) spread over the steps; the two loops give the same image "
        "to 1e-6 (checked at 32 px, 5 steps). Content: chelsea; style: "
        "immunohistochemistry cropped to the content's "
        f"shape. Machine: {platform.processor() or platform.machine()}, "
        f"torch {torch.__version__}. (The earlier random-weight VGG19 row is gone with that "
        "network: the lesson's main path is the trained VGG16, and its random-weight contrast "
        "has the same layout, hence the same speed.)\n\n"
        "| device | network | image | steps | cnnlab ms/step | bare ms/step | ratio |\n"
        "|---|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n\n"
        f"Lesson 12's main transfer (chelsea at 192 px, 128×192, 60 L-BFGS steps, {cpu}): "
        f"{lesson_s:.0f} s, median of {args.repeats} (target ≤ 60 s on a 2-core CPU).\n"
        f"{gpu_note}\n"
    )
    write_section("Style transfer step: cnnlab vs bare PyTorch", body)
    print(body)


if __name__ == "__main__":
    main()
