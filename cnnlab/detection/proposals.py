"""Region proposals, the idea behind R-CNN: look only where something seems to be.

Used by lesson 10 (object detection), section 10 (R-CNN, Fast R-CNN, Faster R-CNN).

:func:`selective_search` is a small version of Uijlings et al.'s algorithm (the proposal
method R-CNN used): over-segment the image into blobs of similar colour (Felzenszwalb's
graph segmentation, from scikit-image), then merge the two most similar neighbouring regions
again and again until one region is left; every region met along the way, from the smallest
blob to the whole image, is a proposal (its bounding box).

:func:`rcnn_detect` classifies each proposal with a window classifier after cropping and
resizing it (R-CNN: one ConvNet pass per region); :func:`fast_rcnn_detect` runs the
convolutions once on the whole image and max-pools each region of the feature map to the
classifier's input size (Fast R-CNN's "RoI pooling").
"""

from __future__ import annotations

import numpy as np
import torch

from ..i18n import tr
from ..validate import as_boxes, check_fraction, check_int
from .boxes import box_convert, image_hw, iou
from .nms import non_max_suppression
from .shapes import CLASSES


def _region_stats(labels: np.ndarray, image: np.ndarray):
    """Per label: pixel count, colour sum and bounding box (x1, y1, x2, y2), inclusive-exclusive."""
    n = labels.max() + 1
    flat = labels.ravel()
    size = np.bincount(flat, minlength=n).astype(float)
    colour = np.stack([np.bincount(flat, image[..., c].ravel(), n) for c in range(3)], axis=1)
    ys, xs = np.indices(labels.shape)
    box = np.empty((n, 4))
    for k, (coords, fn) in enumerate(
        [(xs, np.minimum), (ys, np.minimum), (xs, np.maximum), (ys, np.maximum)]
    ):
        init = np.full(n, np.inf if fn is np.minimum else -np.inf)
        fn.at(init, flat, coords.ravel())
        box[:, k] = init
    box[:, 2:] += 1  # pixel j covers [j, j + 1]
    return size, colour, box


def _neighbours(labels: np.ndarray) -> set:
    pairs = set()
    for a, b in ((labels[:, :-1], labels[:, 1:]), (labels[:-1], labels[1:])):
        diff = a != b
        lo = np.minimum(a[diff], b[diff])
        hi = np.maximum(a[diff], b[diff])
        pairs.update(zip(lo.tolist(), hi.tolist()))
    return pairs


def selective_search(
    image, scale: float = 40, sigma: float = 0.6, min_size: int = 8, return_segments: bool = False
):
    """Region proposals by hierarchical grouping of an over-segmentation.

    image: (H, W, 3) floats in [0, 1]. scale, sigma, min_size: Felzenszwalb's segmentation
    (larger scale = larger initial blobs). Similarity of two neighbouring regions (each term
    in [0, 1], as in selective search): colour (1 - mean colour distance), size (merge small
    regions first) and fill (prefer pairs whose joint box they fill well).
    Returns proposal boxes (K, 4) xyxy, without duplicates, in the order they were found;
    with ``return_segments=True`` also the initial segmentation (H, W) ints.
    """
    from skimage.segmentation import felzenszwalb

    img = np.asarray(image, dtype=float)
    if img.ndim != 3 or img.shape[2] != 3:
        raise ValueError(tr("image must be (H, W, 3), got shape {shape}").format(shape=img.shape))
    labels = felzenszwalb(
        img, scale=scale, sigma=sigma, min_size=check_int("min_size", min_size, 1)
    )
    size, colour, box = _region_stats(labels, img)
    area = float(labels.size)
    size, colour, box = list(size), list(colour), list(box)
    pairs = _neighbours(labels)

    def similarity(i, j):
        c = 1 - np.abs(colour[i] / size[i] - colour[j] / size[j]).sum() / 3
        s = 1 - (size[i] + size[j]) / area
        joint = np.r_[np.minimum(box[i][:2], box[j][:2]), np.maximum(box[i][2:], box[j][2:])]
        f = 1 - ((joint[2] - joint[0]) * (joint[3] - joint[1]) - size[i] - size[j]) / area
        return c + s + f

    sims = {p: similarity(*p) for p in pairs}
    found = [b.copy() for b in box]
    while sims:
        i, j = max(sims, key=sims.get)
        k = len(size)  # the merged region gets a new label
        size.append(size[i] + size[j])
        colour.append(colour[i] + colour[j])
        box.append(np.r_[np.minimum(box[i][:2], box[j][:2]), np.maximum(box[i][2:], box[j][2:])])
        found.append(box[k].copy())
        touching = {a if b in (i, j) else b for a, b in sims if a in (i, j) or b in (i, j)}
        sims = {p: v for p, v in sims.items() if i not in p and j not in p}
        for n in touching - {i, j}:
            sims[(n, k)] = similarity(n, k)
    boxes = np.unique(np.array(found), axis=0, return_index=True)[1]
    out = np.array(found)[np.sort(boxes)]
    return (out, labels) if return_segments else out


def sliding_proposals(
    image_size: int, sizes=(12, 18, 26), ratios=(0.5, 1.0, 2.0), stride: int = 4
) -> np.ndarray:
    """Every window of the given sizes and aspect ratios (w/h) every ``stride`` pixels:
    the exhaustive alternative to region proposals. Returns (K, 4) xyxy boxes."""
    n = check_int("image_size", image_size, 1)
    out = []
    for s in sizes:
        for r in ratios:
            w, h = s * np.sqrt(r), s / np.sqrt(r)
            if w > n or h > n:
                continue
            xs = np.arange(0, n - w + 1e-9, stride)
            ys = np.arange(0, n - h + 1e-9, stride)
            gx, gy = np.meshgrid(xs, ys)
            out.append(np.stack([gx.ravel(), gy.ravel(), gx.ravel() + w, gy.ravel() + h], 1))
    return np.concatenate(out) if out else np.zeros((0, 4))


def proposal_recall(proposals, true_boxes, iou_threshold: float = 0.5) -> float:
    """Fraction of the true boxes that some proposal overlaps with IoU >= ``iou_threshold``
    (an object no proposal covers can never be detected by R-CNN).

    proposals: (K, 4) xyxy; true_boxes: (M, 4). Returns a float in [0, 1] (1 if M = 0).
    """
    t = as_boxes(true_boxes, "true_boxes")
    if len(t) == 0:
        return 1.0
    p = as_boxes(proposals, "proposals")
    if len(p) == 0:
        return 0.0
    return float((iou(t, p).max(axis=1) >= check_fraction("iou_threshold", iou_threshold)).mean())


def expand_boxes(boxes, factor: float, image_size) -> np.ndarray:
    """Grow boxes about their centres by ``factor`` (context around the object, as R-CNN's
    16 pixels of padding), clipped to the image.

    boxes: (K, 4) xyxy; image_size: int or (H, W). Returns (K, 4).
    """
    h, w = image_hw(image_size)
    cx, cy, bw, bh = box_convert(as_boxes(boxes), "xyxy", "cxcywh").T
    out = box_convert(np.stack([cx, cy, bw * factor, bh * factor], 1), "cxcywh", "xyxy")
    return np.clip(out, 0, [w, h, w, h])


def _detections(
    probs: torch.Tensor,
    boxes: np.ndarray,
    background: int,
    score_threshold: float,
    iou_threshold: float,
):
    p = probs.double().numpy()
    obj = np.delete(p, background, axis=1)
    scores, classes = obj.max(axis=1), obj.argmax(axis=1)
    keep = scores >= score_threshold
    b, s, c = boxes[keep], scores[keep], classes[keep]
    k = non_max_suppression(b, s, iou_threshold, classes=c)
    return b[k], s[k], c[k]


@torch.no_grad()
def rcnn_detect(
    model,
    image,
    proposals,
    context: float = 1.3,
    score_threshold: float = 0.5,
    iou_threshold: float = 0.3,
):
    """R-CNN, the toy version: crop every proposal (with some context), resize it to the
    classifier's window, classify it; keep confident non-background ones, then NMS.

    model: a :class:`cnnlab.sliding.WindowClassifier` (background is its last class);
    image: (3, H, W). Returns (boxes, scores, classes) with the proposals' own boxes (the
    real R-CNN also regresses a box correction) and the number of network passes.
    """
    model.eval()
    boxes = as_boxes(proposals, "proposals")
    crops = crop_regions(image, boxes, model.window, context)
    probs = torch.softmax(model(crops), 1) if len(crops) else torch.zeros(0, 4)
    return _detections(probs, boxes, probs.shape[1] - 1, score_threshold, iou_threshold), len(crops)


@torch.no_grad()
def fast_rcnn_detect(
    model,
    image,
    proposals,
    context: float = 1.3,
    score_threshold: float = 0.5,
    iou_threshold: float = 0.3,
):
    """Fast R-CNN, the toy version: the convolution runs **once** on the whole image; each
    proposal's region of the feature map is max-pooled to the classifier head's input size
    (RoI pooling), then the FC layers classify it. Returns as :func:`rcnn_detect`."""
    model.eval()
    img = torch.as_tensor(np.asarray(image), dtype=torch.float32)
    fmap = model.features(img[None])[0]  # (C, h, w): conv 5x5 (no padding), then pool 2
    side = (model.window - 4) // 2
    boxes = as_boxes(proposals, "proposals")
    pooled = []
    for x1, y1, x2, y2 in expand_boxes(boxes, context, img.shape[-2:]):
        # image -> feature map coordinates: a feature at (i, j) sees pixels 2i .. 2i + 5
        fx1, fy1 = int(np.floor(x1 / 2)), int(np.floor(y1 / 2))
        fx2 = min(max(int(np.ceil((x2 - 4) / 2)), fx1 + 1), fmap.shape[2])
        fy2 = min(max(int(np.ceil((y2 - 4) / 2)), fy1 + 1), fmap.shape[1])
        fx1, fy1 = min(fx1, fx2 - 1), min(fy1, fy2 - 1)
        region = fmap[:, fy1:fy2, fx1:fx2]
        pooled.append(torch.nn.functional.adaptive_max_pool2d(region, side))
    probs = torch.softmax(model.classifier(torch.stack(pooled)), 1) if pooled else torch.zeros(0, 4)
    return _detections(probs, boxes, probs.shape[1] - 1, score_threshold, iou_threshold), 1


def crop_regions(image, boxes, size: int, context: float = 1.3) -> torch.Tensor:
    """Each box of ``image`` (3, H, W), grown by ``context``, cropped and resized
    (bilinear) to ``size`` x ``size``: the "warped regions" R-CNN feeds its ConvNet.
    Returns (K, 3, size, size)."""
    img = torch.as_tensor(np.asarray(image), dtype=torch.float32)
    crops = []
    for x1, y1, x2, y2 in expand_boxes(boxes, context, img.shape[-2:]):
        x1, y1 = int(np.floor(x1)), int(np.floor(y1))
        x2, y2 = max(int(np.ceil(x2)), x1 + 1), max(int(np.ceil(y2)), y1 + 1)
        crops.append(
            torch.nn.functional.interpolate(
                img[None, :, y1:y2, x1:x2], size=(size, size), mode="bilinear", align_corners=False
            )[0]
        )
    return torch.stack(crops) if crops else torch.zeros(0, img.shape[0], size, size)


def proposal_training_set(
    scenes,
    proposal_lists,
    size: int = 14,
    context: float = 1.3,
    fg_iou: float = 0.5,
    bg_iou: float = 0.3,
    seed: int = 0,
):
    """R-CNN's training data: warped proposals labelled by their overlap with the truth.

    A proposal with IoU >= ``fg_iou`` with a true box takes that box's class; one with
    IoU < ``bg_iou`` with every true box is background (the last class); the ones in
    between are left out (neither clearly right nor clearly wrong). Background crops are
    subsampled to three times the number of object crops. Returns (x (N, 3, size, size)
    float32, y (N,) int64), shuffled.
    """
    rng = np.random.default_rng(seed)
    xs, ys = [], []
    for img, boxes, classes, props in zip(
        scenes.images, scenes.boxes, scenes.classes, proposal_lists
    ):
        p = as_boxes(props, "proposals")
        if len(p) == 0:
            continue
        if len(boxes):
            overlap = iou(p, boxes)
            best, which = overlap.max(axis=1), overlap.argmax(axis=1)
        else:
            best, which = np.zeros(len(p)), np.zeros(len(p), dtype=int)
        label = np.where(
            best >= fg_iou, np.asarray(classes)[which] if len(boxes) else 0, len(CLASSES)
        )
        use = (best >= fg_iou) | (best < bg_iou)
        xs.append(crop_regions(img, p[use], size, context).numpy())
        ys.append(label[use])
    x, y = np.concatenate(xs), np.concatenate(ys).astype(np.int64)
    fg = np.flatnonzero(y != len(CLASSES))
    bg = np.flatnonzero(y == len(CLASSES))
    bg = rng.choice(bg, size=min(len(bg), 3 * len(fg)), replace=False)
    order = rng.permutation(np.concatenate([fg, bg]))
    return x[order].astype(np.float32), y[order]
