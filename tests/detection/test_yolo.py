"""cnnlab.detection.yolo: the detector's shapes, its output transform, the loss (no box or class loss
where there is no object), flipping, and a short training run that learns."""

import numpy as np
import pytest
import torch

from cnnlab import detection
from cnnlab.detection import shapes, yolo

ANCHORS = np.array([[13.5, 13.5], [19.5, 27.5], [28.0, 20.0]])


@pytest.fixture(scope="module")
def tiny():
    return shapes.make_shapes(48, seed=5)


def test_model_shapes_and_prior():
    torch.manual_seed(0)
    m = yolo.TinyYolo(ANCHORS)
    assert m.grid_size == 8 and m.num_anchors == 3
    raw = m(torch.rand(2, 3, 64, 64))
    assert raw.shape == (2, 8, 8, 3, 8)
    y = m.to_labels(raw)
    assert y.shape == raw.shape
    assert torch.all((y[..., :3] > 0) & (y[..., :3] < 1))  # pc, bx, by: sigmoids
    assert torch.all(y[..., 3:5] > 0)  # sizes: exponentials
    torch.testing.assert_close(y[..., 5:].sum(-1), torch.ones(2, 8, 8, 3))
    # an untrained network starts by saying "probably nothing here"
    assert y[..., 0].mean() < 0.05
    # anchors in cell units; exp(0) gives back the anchor's own size
    torch.testing.assert_close(m.anchor_cells(), torch.tensor(ANCHORS / 8, dtype=torch.float32))
    zero = m.to_labels(torch.zeros(1, 8, 8, 3, 8))
    torch.testing.assert_close(zero[0, 0, 0, :, 4], torch.tensor(ANCHORS[:, 0] / 8).float())
    torch.testing.assert_close(zero[0, 0, 0, :, 3], torch.tensor(ANCHORS[:, 1] / 8).float())
    pred = m.predict(np.zeros((3, 3, 64, 64), np.float32))
    assert pred.shape == (3, 8, 8, 3, 8) and pred.dtype == np.float64


def test_model_rejects_bad_settings():
    with pytest.raises(ValueError, match="multiple of 8"):
        yolo.TinyYolo(ANCHORS, image_size=60)
    with pytest.raises(ValueError, match="anchors"):
        yolo.TinyYolo([[0, 3]])


def test_encode_dataset(tiny):
    t = yolo.encode_dataset(tiny, 8, ANCHORS)
    assert t.shape == (48, 8, 8, 3, 8)
    n_obj = sum(len(b) for b in tiny.boxes)
    lost = sum(int((~detection.assign_anchors(b, 8, 64, ANCHORS).kept).sum()) for b in tiny.boxes)
    assert t[..., 0].sum() == n_obj - lost


def _raw_for(target, anchor_cells):
    """The raw outputs that decode exactly to ``target`` (large logits for pc and class)."""
    raw = torch.zeros_like(target)
    obj = target[..., 0] > 0.5
    raw[..., 0] = torch.where(obj, 20.0, -20.0)
    raw[..., 1:3] = torch.logit(target[..., 1:3].clamp(1e-6, 1 - 1e-6))
    a = anchor_cells.expand(target.shape[:-1] + (2,))
    raw[..., 3] = torch.where(obj, torch.log(target[..., 3].clamp(min=1e-6) / a[..., 1]), 0.0)
    raw[..., 4] = torch.where(obj, torch.log(target[..., 4].clamp(min=1e-6) / a[..., 0]), 0.0)
    raw[..., 5:] = 20.0 * target[..., 5:]
    return raw


def test_loss_is_zero_for_a_perfect_prediction_and_ignores_empty_slots(tiny):
    m = yolo.TinyYolo(ANCHORS)
    target = torch.tensor(yolo.encode_dataset(tiny.subset(slice(0, 4)), 8, ANCHORS)).float()
    anchors = m.anchor_cells()
    raw = _raw_for(target, anchors)
    terms = yolo.yolo_loss(raw, target, anchors)
    assert set(terms) == {"object", "no_object", "box", "class", "total"}
    assert terms["total"].item() < 1e-5
    # anything on empty slots' box and class outputs changes nothing ("don't care")
    noisy = raw.clone()
    empty = target[..., 0] < 0.5
    noisy[..., 1:][empty] = torch.randn(int(empty.sum()), 7) * 10
    assert yolo.yolo_loss(noisy, target, anchors)["total"].item() < 1e-5
    # ... but a wrong box where there IS an object costs, and so does a wrong pc
    worse = raw.clone()
    worse[..., 4][~empty] += 1.0
    assert yolo.yolo_loss(worse, target, anchors)["box"].item() > 1
    worse = raw.clone()
    worse[..., 0][empty] = 5.0
    assert yolo.yolo_loss(worse, target, anchors)["no_object"].item() > 1


def test_flip_matches_encoding_the_mirrored_boxes(tiny):
    sub = tiny.subset(slice(0, 6))
    x = torch.tensor(sub.images)
    t = torch.tensor(yolo.encode_dataset(sub, 8, ANCHORS))
    xf, tf = yolo.flip_horizontal(x, t)
    torch.testing.assert_close(xf, x.flip(-1))
    for i in range(6):
        b = sub.boxes[i]
        mirrored = np.stack([64 - b[:, 2], b[:, 1], 64 - b[:, 0], b[:, 3]], axis=1)
        got = detection.decode_predictions(tf[i].numpy(), 64, 0.5)[0]
        # compare as sets of boxes (slot order changes with the mirror)
        key = lambda u: u[np.lexsort(np.round(u, 6).T)]  # noqa: E731
        kept = detection.assign_anchors(mirrored, 8, 64, ANCHORS).kept
        np.testing.assert_allclose(key(got), key(mirrored[kept]), atol=1e-5)


def test_training_learns_and_is_reproducible(tiny):
    def run():
        torch.manual_seed(0)
        m = yolo.TinyYolo(ANCHORS, widths=(8, 8, 16, 16))
        h = yolo.train_detector(
            m,
            tiny,
            epochs=3,
            lr=3e-3,
            batch_size=16,
            seed=0,
            dev=torch.device("cpu"),
            progress=False,
        )
        return m, h

    m, h = run()
    assert len(h["loss"]) == 3 and h["loss"][-1] < h["loss"][0]
    assert set(h["terms"][0]) == {"object", "no_object", "box", "class", "total"}
    assert h["cpu_seconds"] > 0 and h["wall_seconds"] > 0 and h["device"] == "cpu"
    _, h2 = run()
    np.testing.assert_allclose(h2["loss"], h["loss"], rtol=1e-6)
    dets = yolo.detect_scenes(m, tiny.images[:4], score_threshold=0.05)
    raw = yolo.detect_scenes(m, tiny.images[:4], score_threshold=0.05, iou_threshold=None)
    assert len(dets) == 4 and all(len(d) == 3 for d in dets)
    assert all(len(a[0]) <= len(b[0]) for a, b in zip(dets, raw))  # NMS only removes
    value = yolo.evaluate_map(m, tiny.subset(slice(0, 8)))
    assert 0 <= value <= 1
