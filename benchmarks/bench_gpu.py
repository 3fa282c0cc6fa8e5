"""The GPU rows: the lessons' real trainings and optimisations, timed on a CUDA device.

One short, prepared run for a session that is lent a GPU (about 2 minutes on one; the
others take the CPU rows from their own benchmarks):

* ``nets.fit``: lesson 11's U-Net with its skips, the segmentation benchmark's settings
  (2000 generated scenes, 8 epochs, Adam, batch 32): training seconds and held-out mean IoU.
* the detector: lesson 10's TinyYolo (2000 scenes, seed 1; three k-means anchors; 15 epochs
  of ``yolo.train_detector``): training seconds and mAP@0.5 on the 300 held-out scenes.
* style transfer: ``bench_style.bench`` at 512 px, 300 Adam steps, TF32 on; target: the
  300 steps in at most 3 s.

Each row is preceded by an untimed warm-up (CUDA's start, cuDNN's choice of algorithms).
Without a CUDA device the script says so in RESULTS.md and measures nothing, unless asked
for the CPU (``--device cpu``, with ``--quick`` for a seconds-long check of the code path,
which is what tests/test_bench_gpu.py runs).

    python benchmarks/bench_gpu.py [--device cuda|cpu] [--quick] [--no-write]
"""

from __future__ import annotations

import argparse
import platform

import bench_segmentation
import bench_style
import torch

from cnnlab import detection, nets, segmentation
from cnnlab.detection import shapes, yolo

from results import write_section

TITLE = "GPU rows: the lessons' trainings and style transfer on a CUDA device"
STYLE_TARGET_S = 3.0

# The lessons' settings, and the quick check's (a code path, not a measurement)
FULL = {
    "scenes": 2000,
    "held_out": 300,
    "unet_epochs": 8,
    "yolo_epochs": 15,
    "px": 512,
    "steps": 300,
}
#: Lesson 10 trains the detector with Adam at lr 3e-3, batches of 32, seed 0 (no progress bar)
TRAINING = {"lr": 3e-3, "batch_size": 32, "seed": 0, "progress": False}
QUICK = {"scenes": 64, "held_out": 16, "unet_epochs": 1, "yolo_epochs": 1, "px": 48, "steps": 3}


def unet_row(dev: torch.device, s: dict) -> dict:
    """Lesson 11's U-Net trained by ``nets.fit`` on ``dev`` (``bench_segmentation.run``, the
    CPU row's own code): training seconds and held-out mean IoU."""
    train = segmentation.make_segmentation(s["scenes"], seed=0)
    test = segmentation.make_segmentation(s["held_out"], seed=1)
    bench_segmentation.run(True, (train[0][:64], train[1][:64]), test, 1, dev)  # warm-up
    r = bench_segmentation.run(True, train, test, s["unet_epochs"], dev)
    return {"seconds": r["seconds"], "score": r["mean_iou"]}


def detector_row(dev: torch.device, s: dict) -> dict:
    """Lesson 10's TinyYolo trained by ``yolo.train_detector`` on ``dev``: seconds and mAP@0.5."""
    train = shapes.make_shapes(s["scenes"], seed=1)
    test = shapes.make_shapes(s["held_out"], seed=2)
    anchors = detection.kmeans_anchors(shapes.box_sizes(train), 3, seed=0)

    def train_once(epochs, scenes):
        nets.seed_everything(0)
        model = yolo.TinyYolo(anchors, num_classes=3, image_size=64)

        def train():
            yolo.train_detector(model, scenes, epochs=epochs, dev=dev, **TRAINING)

        return model, bench_style.timed(train, dev)

    train_once(1, shapes.make_shapes(64, seed=3))  # warm-up
    model, seconds = train_once(s["yolo_epochs"], train)
    return {"seconds": seconds, "score": float(yolo.evaluate_map(model, test))}


def style_row(dev: torch.device, s: dict) -> dict:
    """``bench_style.bench`` (a warm-up included): seconds for all the steps, TF32 on CUDA."""
    if dev.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    t, shape, _ = bench_style.bench(dev, s["px"], s["steps"], 3)
    return {"seconds": t["cnnlab"] * s["steps"], "bare": t["bare"] * s["steps"], "shape": shape}


def device_name(dev: torch.device) -> str:
    if dev.type == "cuda":
        return torch.cuda.get_device_name(dev)
    return f"CPU ({platform.processor() or platform.machine()}, {torch.get_num_threads()} threads)"


def table(dev: torch.device, s: dict, quick: bool) -> str:
    """Measure the three rows on ``dev`` and return the section's text."""
    seg, det, sty = unet_row(dev, s), detector_row(dev, s), style_row(dev, s)
    met = sty["seconds"] <= STYLE_TARGET_S
    verdict = (
        "(a code-path check, not a measurement)" if quick else f"**{'met' if met else 'missed'}**"
    )
    h, w = sty["shape"][:2]
    rows = [
        f"| `nets.fit`: lesson 11's U-Net (skips), {s['scenes']} scenes, "
        f"{s['unet_epochs']} epochs | {seg['seconds']:.1f} | held-out mean IoU "
        f"{seg['score']:.3f} | none set |",
        f"| the detector: lesson 10's TinyYolo, {s['scenes']} scenes, {s['yolo_epochs']} "
        f"epochs | {det['seconds']:.1f} | held-out mAP@0.5 {det['score']:.3f} | none set |",
        f"| style transfer: VGG16 (HED), {h}×{w}, Adam × {s['steps']}"
        f"{', TF32' if dev.type == 'cuda' else ''} | {sty['seconds']:.2f} | bare PyTorch loop "
        f"{sty['bare']:.2f} s | ≤ {STYLE_TARGET_S:.0f} s: {verdict} |",
    ]
    return (
        f"Device: {device_name(dev)}; PyTorch {torch.__version__}"
        f"{', CUDA ' + torch.version.cuda if dev.type == 'cuda' else ''}. Each row's time is "
        "one run after an untimed warm-up, taken once the device has finished (the U-Net's is "
        "`nets.fit`'s own clock, as in the CPU row).\n\n"
        "| what | seconds | result | target |\n|---|---:|---|---|\n" + "\n".join(rows) + "\n"
    )


def main(argv=None) -> str:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--device",
        choices=["cuda", "cpu"],
        default=None,
        help="default: cuda when torch finds one, else nothing is measured",
    )
    ap.add_argument("--quick", action="store_true", help="tiny sizes: checks the code path")
    ap.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md")
    args = ap.parse_args(argv)
    if args.device == "cuda" and not torch.cuda.is_available():
        ap.error("--device cuda: torch finds no CUDA device here")
    name = args.device or ("cuda" if torch.cuda.is_available() else None)
    if name is None:
        body = (
            f"**Not measured.** torch {torch.__version__} finds no CUDA device on this machine "
            f"({platform.machine()}, {torch.get_num_threads()} CPU threads), and no GPU was "
            "lent to this run. On a CUDA machine, `python benchmarks/bench_gpu.py` adds the "
            "rows: lesson 11's U-Net and lesson 10's detector trained as the lessons train "
            "them, and style transfer at 512 px × 300 Adam steps (target ≤ 3 s). The CPU "
            "times of the same runs are in the segmentation, lessons and style sections.\n"
        )
    else:
        body = table(torch.device(name), QUICK if args.quick else FULL, args.quick)
    print(body)
    if not args.no_write and not args.quick:
        write_section(TITLE, body)
    return body


if __name__ == "__main__":
    main()
