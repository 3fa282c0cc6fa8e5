"""Face detection with MTCNN, written out step by step so a lesson can draw every stage.

Used by the object-detection lesson: a real trained detector that shows, in one pipeline,
sliding windows done as a convolution ("FC layers as convolutions"), an image pyramid for
scale, box regression, a cascade of ever more careful classifiers and non-max suppression.

The pipeline (Zhang et al., 2016), for an (H, W, 3) image:

1. Pyramid: faces must be about 12 px for P-Net, so the image is resized by 12 / min_size (a
   face of min_size px becomes 12 px), then again by 0.709 (each step halves the area) until
   its short side drops below 12: :func:`pyramid_scales`.
2. P-Net on each scale: one pass of a fully convolutional net scores every 12x12 window at
   stride 2 (:func:`pnet_map`). Windows above ``thresholds[0]`` become boxes in the original
   image, moved by P-Net's box regression; NMS within each scale, then across scales.
3. Each survivor is made square and cropped, resized to 24x24 and judged by R-Net: a new
   face probability (``thresholds[1]``) and a finer regression; NMS again.
4. The same at 48x48 with O-Net (``thresholds[2]``), which also places 5 landmarks.

NMS is cnnlab's own :func:`cnnlab.detection.non_max_suppression` unless ``nms=`` is given.
Boxes are (x1, y1, x2, y2) in pixels of the input image, x2/y2 exclusive and not clipped to
the image (a face cut by the border gets a box that runs past it).

Weights: facenet-pytorch's MTCNN (see :mod:`cnnlab.pretrained.mtcnn`).

>>> import numpy as np
>>> boxes, scores, landmarks = detect_faces(np.full((64, 64, 3), 0.5))
>>> boxes.shape, scores.shape, landmarks.shape     # a flat grey image has no face
((0, 4), (0,), (0, 5, 2))
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F

from ..i18n import tr
from .images import as_rgb
from .mtcnn import mtcnn, normalize, shared

CELL, STRIDE = 12, 2  # P-Net's window and the stride it slides at (its one 2x2 pool)
FACTOR = 0.709  # pyramid step: 0.709^2 ~ 1/2, each level has half the pixels of the last
NMS_IOU = {"pnet_scale": 0.5, "pnet": 0.7, "rnet": 0.7, "onet": 0.7}


def _check_pixels(name: str, value) -> None:
    """Refuse ``value`` unless it is a Python or NumPy int >= 1 (bools are refused)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(
            tr("{name} must be a positive integer (pixels), got {value!r}").format(
                name=name, value=value
            )
        )


def pyramid_scales(h: int, w: int, min_size: int = 20, factor: float = FACTOR) -> list[float]:
    """The scales P-Net runs at so that faces from min_size px up to the whole image are found.

    The first scale makes a min_size face 12 px; each next one is ``factor`` times smaller;
    the last keeps the image's short side >= 12 px. Empty when the image is smaller than
    min_size (no face that size fits).

    >>> [round(s, 3) for s in pyramid_scales(60, 80, min_size=20)]
    [0.6, 0.425, 0.302, 0.214]
    """
    for name, v in (("h", h), ("w", w), ("min_size", min_size)):
        _check_pixels(name, v)
    if not 0 < factor < 1:
        raise ValueError(
            tr("factor must be in (0, 1), the shrink per pyramid level, got {factor!r}").format(
                factor=factor
            )
        )
    scales, scale = [], CELL / min_size
    while min(h, w) * scale >= CELL:
        scales.append(scale)
        scale *= factor
    return scales


def _tensor(rgb: np.ndarray, device) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(rgb.transpose(2, 0, 1)))[None].to(device)


def _resize(x: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    # antialias: shrinking without it aliases fine texture into fake edges
    return F.interpolate(x, size=size, mode="bilinear", align_corners=False, antialias=True)


def _pnet_raw(x: torch.Tensor, scale: float, pnet):
    """P-Net on x (1, 3, H, W) resized by ``scale``: prob (H', W') and offsets (4, H', W')."""
    h, w = x.shape[-2:]
    scaled = _resize(x, (math.ceil(h * scale), math.ceil(w * scale)))
    with torch.no_grad():
        prob, offsets = pnet(normalize(scaled))
    return prob[0].cpu().numpy(), offsets[0].cpu().numpy()


def pnet_map(image, scale: float, *, pnet=None) -> np.ndarray:
    """P-Net's face probability for every 12x12 window of the image resized by ``scale``.

    Returns an (H', W') map: entry (i, j) scores the window whose top-left corner is at
    (x, y) = (2j, 2i) in the resized image, i.e. (2j / scale, 2i / scale) and 12 / scale px wide
    in the original: :func:`windows_from_map` turns it into boxes.

    >>> pnet_map(np.zeros((30, 40, 3)), scale=1.0).shape
    (10, 15)
    """
    pnet = shared()[0] if pnet is None else pnet
    x = _tensor(as_rgb(image), next(pnet.parameters()).device)
    return _pnet_raw(x, float(scale), pnet)[0]


def windows_from_map(prob, offsets, scale: float, threshold: float):
    """The windows of a P-Net map above ``threshold`` as boxes in the original image.

    prob: (H', W'); offsets: (4, H', W'). Cell (i, j) is the 12x12 window at (2j, 2i) in the
    image resized by ``scale``: dividing by the scale maps it back. Returns
    (boxes (K, 4) of the windows themselves, scores (K,), offsets (K, 4)).
    """
    rows, cols = np.nonzero(prob >= threshold)
    x1, y1 = STRIDE * cols / scale, STRIDE * rows / scale
    side = CELL / scale
    boxes = np.stack([x1, y1, x1 + side, y1 + side], axis=1).reshape(-1, 4)
    return boxes, prob[rows, cols], offsets[:, rows, cols].T.reshape(-1, 4)


def apply_regression(boxes, offsets) -> np.ndarray:
    """Move each corner by its offset times the box's width or height (box regression).

    boxes, offsets: (K, 4). x1' = x1 + dx1 * w, y1' = y1 + dy1 * h, and the same for x2, y2.

    >>> apply_regression(np.array([[0.0, 0, 10, 20]]), np.array([[0.1, 0.1, -0.1, 0.0]]))
    array([[ 1.,  2.,  9., 20.]])
    """
    boxes = np.asarray(boxes, dtype=float)
    size = np.concatenate([boxes[:, 2:] - boxes[:, :2]] * 2, axis=1)  # (w, h, w, h)
    return boxes + np.asarray(offsets, dtype=float) * size


def square(boxes) -> np.ndarray:
    """Each box grown to a square of side max(w, h) around its centre (the nets see squares).

    >>> square(np.array([[0.0, 0, 10, 20]]))
    array([[-5.,  0., 15., 20.]])
    """
    boxes = np.asarray(boxes, dtype=float)
    centre = (boxes[:, :2] + boxes[:, 2:]) / 2
    half = (boxes[:, 2:] - boxes[:, :2]).max(axis=1, keepdims=True) / 2
    return np.concatenate([centre - half, centre + half], axis=1)


def crops(x: torch.Tensor, boxes, size: int) -> torch.Tensor:
    """Cut each box out of image tensor x (1, 3, H, W) and resize it to size x size.

    Parts of a box outside the image are black (zeros), as in the original MTCNN, so the crop
    keeps the box's geometry and the regression offsets still refer to the whole box.
    Returns (K, 3, size, size).
    """
    _, _, h, w = x.shape
    out = []
    for x1, y1, x2, y2 in np.round(np.asarray(boxes)).astype(int):
        patch = x.new_zeros((1, 3, max(y2 - y1, 1), max(x2 - x1, 1)))
        sx1, sy1, sx2, sy2 = max(x1, 0), max(y1, 0), min(x2, w), min(y2, h)
        if sx2 > sx1 and sy2 > sy1:
            patch[..., sy1 - y1 : sy2 - y1, sx1 - x1 : sx2 - x1] = x[..., sy1:sy2, sx1:sx2]
        out.append(_resize(patch, (size, size)))
    return torch.cat(out) if out else x.new_zeros((0, 3, size, size))


def _valid(boxes) -> np.ndarray:
    # regression can, rarely, push a corner past the opposite one: such a box is no box
    return (boxes[:, 2] > boxes[:, 0]) & (boxes[:, 3] > boxes[:, 1])


def _check_args(min_size, thresholds, nms):
    _check_pixels("min_size", min_size)
    try:
        t = tuple(float(v) for v in thresholds)
    except (TypeError, ValueError):
        t = ()
    if len(t) != 3 or not all(0 <= v <= 1 for v in t):
        raise ValueError(
            tr(
                "thresholds must be three probabilities in [0, 1] (P-Net, R-Net, O-Net), "
                "e.g. (0.6, 0.7, 0.7), got {thresholds!r}"
            ).format(thresholds=thresholds)
        )
    if nms is not None and not callable(nms):
        raise ValueError(
            tr(
                "nms must be None or a function nms(boxes, scores, iou_threshold) -> kept indices, "
                "like cnnlab.detection.non_max_suppression; got {nms!r}"
            ).format(nms=nms)
        )
    return t


def detect_faces(
    image,
    min_size: int = 20,
    thresholds=(0.6, 0.7, 0.7),
    nms=None,
    *,
    factor: float = FACTOR,
    return_stages: bool = False,
    device=None,
):
    """Find faces with MTCNN: boxes, confidences and 5 landmarks per face.

    image: (H, W, 3) RGB, floats in [0, 1] or uint8 (grey images are refused: see
    :func:`cnnlab.pretrained.images.as_rgb`). min_size: smallest face to look for, in pixels
    (smaller means more pyramid levels and a slower search). thresholds: the face probability
    each of P-Net, R-Net, O-Net requires. nms: ``nms(boxes, scores, iou_threshold) -> indices
    kept``; default :func:`cnnlab.detection.non_max_suppression`. factor: pyramid step.
    device: where to run the networks (``cnnlab.nets.device()``); default CPU.

    Returns ``(boxes, scores, landmarks)``: boxes (K, 4) float (x1, y1, x2, y2) in pixels,
    scores (K,) O-Net's face probability, highest first, landmarks (K, 5, 2) as (x, y):
    the eye on the image's left, the other eye, the nose, the mouth's left and right corners.
    Nothing found gives shapes (0, 4), (0,), (0, 5, 2).

    With ``return_stages=True`` a fourth value, a dict for drawing the cascade:
    ``stages["scales"]`` the pyramid, and for each of "pnet", "rnet", "onet":
    ``stages[name]["before_nms"]`` and ``["after_nms"]``, each (boxes (N, 4), scores (N,)):
    the boxes that passed the net's threshold (after its regression) and those NMS kept.
    """
    rgb = as_rgb(image)
    t_p, t_r, t_o = _check_args(min_size, thresholds, nms)
    if nms is None:
        from cnnlab.detection import non_max_suppression as nms  # lazy: detection is a peer
    pnet, rnet, onet = shared() if device is None else mtcnn(device)
    x = _tensor(rgb, next(pnet.parameters()).device)
    scales = pyramid_scales(rgb.shape[0], rgb.shape[1], min_size, factor)

    def keep(boxes, scores, iou):  # NMS with whichever function the caller chose
        if len(boxes) == 0:
            return np.zeros(0, dtype=np.int64)
        return np.asarray(nms(boxes, scores, iou), dtype=np.int64).reshape(-1)

    boxes, scores, found = pnet_stage(x, scales, pnet, t_p, keep)
    stages = {
        "scales": scales,
        "pnet": {"before_nms": _concat(found), "after_nms": (boxes, scores)},
    }

    # Stage 2: R-Net re-judges each survivor, squared and resized to 24x24.
    boxes, scores, _ = _refine(x, square(boxes), rnet, 24, t_r)
    k = keep(boxes, scores, NMS_IOU["rnet"])
    stages["rnet"] = {"before_nms": (boxes, scores), "after_nms": (boxes[k], scores[k])}

    # Stage 3: O-Net at 48x48 gives the final score, box and the 5 landmarks.
    boxes, scores, landmarks = _refine(x, square(boxes[k]), onet, 48, t_o)
    k = keep(boxes, scores, NMS_IOU["onet"])
    stages["onet"] = {"before_nms": (boxes, scores), "after_nms": (boxes[k], scores[k])}

    order = k[np.argsort(-scores[k], kind="stable")]
    result = boxes[order], scores[order], landmarks[order]
    return (*result, stages) if return_stages else result


def pnet_stage(x, scales, pnet, threshold, keep):
    """Stage 1 of MTCNN: P-Net slides its 12x12 window (stride 2) over every pyramid level.

    x: the (1, 3, H, W) input tensor; keep(boxes, scores, iou) -> indices kept (the NMS).
    Returns (boxes (K, 4), scores (K,)) after NMS within each scale and across scales, and
    the per-scale (boxes, scores) before any NMS.
    """
    found, per_scale = [], []
    for scale in scales:
        prob, offsets = _pnet_raw(x, scale, pnet)
        b, s, o = windows_from_map(prob, offsets, scale, threshold)
        b = apply_regression(b, o)
        b, s = b[_valid(b)], s[_valid(b)]
        found.append((b, s))
        k = keep(b, s, NMS_IOU["pnet_scale"])  # one face, found by neighbouring windows
        per_scale.append((b[k], s[k]))
    boxes, scores = _concat(per_scale)
    k = keep(boxes, scores, NMS_IOU["pnet"])  # one face, found at neighbouring scales
    return boxes[k], scores[k], found


def _concat(pairs):
    """[(boxes (N_i, 4), scores (N_i,)), ...] -> one (boxes, scores); empty gives (0, 4), (0,)."""
    boxes = np.concatenate([b for b, _ in pairs] + [np.zeros((0, 4))])
    return boxes, np.concatenate([s for _, s in pairs] + [np.zeros(0)])


def _refine(x, boxes, net, size: int, threshold: float):
    """R-Net or O-Net on size x size crops of ``boxes``: the boxes that pass ``threshold``.

    Returns (boxes (K, 4) moved by the net's regression, scores (K,), landmarks (K, 5, 2)),
    the landmarks zero for R-Net, which has none.
    """
    if len(boxes) == 0:
        return np.zeros((0, 4)), np.zeros(0), np.zeros((0, 5, 2))
    with torch.no_grad():
        out = [v.cpu().numpy().astype(float) for v in net(normalize(crops(x, boxes, size)))]
    passed = out[0] >= threshold
    shown, scores, offsets = boxes[passed], out[0][passed], out[1][passed]
    landmarks = np.zeros((len(shown), 5, 2))
    if len(out) == 3:  # O-Net: 5 x's then 5 y's, fractions of the box it was shown
        fractions = out[2][passed].reshape(-1, 2, 5).transpose(0, 2, 1)  # (K, 5, (x, y))
        landmarks = shown[:, None, :2] + fractions * (shown[:, None, 2:] - shown[:, None, :2])
    boxes = apply_regression(shown, offsets)
    ok = _valid(boxes)
    return boxes[ok], scores[ok], landmarks[ok]
