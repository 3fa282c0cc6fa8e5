"""MTCNN: the three networks, the pyramid, P-Net's sliding window, and whole detections on
real photographs checked against a box labelled by hand."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from matplotlib import cbook
from skimage import data

from cnnlab.detection import iou, non_max_suppression
from cnnlab.pretrained import detect_faces, mtcnn
from cnnlab.pretrained.faces import (
    apply_regression,
    pnet_map,
    pyramid_scales,
    square,
    windows_from_map,
)

# Labelled by hand on skimage.data.astronaut() (512 x 512, used at full size: detection takes
# well under a second): cheek to cheek, hairline to chin. Checked by drawing it on the image.
ASTRONAUT_FACE = (173, 72, 268, 180)


@pytest.fixture(scope="module")
def astronaut():
    return data.astronaut()


@pytest.fixture(scope="module")
def astronaut_result(astronaut):
    return detect_faces(astronaut, return_stages=True)


def test_networks_load_in_eval_mode():
    pnet, rnet, onet = mtcnn()
    assert pnet.conv1.weight.shape == (10, 3, 3, 3) and pnet.conv4_1.weight.shape == (2, 32, 1, 1)
    assert rnet.dense4.weight.shape == (128, 576) and onet.dense5.weight.shape == (256, 1152)
    assert onet.dense6_3.weight.shape == (10, 256)  # 5 landmarks, x and y
    for net in (pnet, rnet, onet):
        assert not net.training and not any(p.requires_grad for p in net.parameters())
    with torch.no_grad():
        prob, offsets = pnet(torch.zeros(1, 3, 12, 12))  # one 12x12 window -> one answer
        assert prob.shape == (1, 1, 1) and offsets.shape == (1, 4, 1, 1)
        prob, offsets = pnet(torch.zeros(1, 3, 40, 30))  # slides at stride 2
        assert prob.shape == (1, 15, 10)
        p, b, lm = onet(torch.zeros(3, 3, 48, 48))
        assert p.shape == (3,) and b.shape == (3, 4) and lm.shape == (3, 10)


def test_pyramid_makes_min_size_faces_12_px():
    scales = pyramid_scales(100, 200, min_size=24)
    assert scales[0] == pytest.approx(0.5)
    np.testing.assert_allclose(np.diff(np.log(scales)), np.log(0.709))
    assert 100 * scales[-1] >= 12 > 100 * scales[-1] * 0.709
    assert pyramid_scales(19, 300, min_size=20) == []
    with pytest.raises(ValueError, match="min_size"):
        pyramid_scales(100, 100, min_size=0)


def test_pnet_map_is_a_sliding_window_at_stride_2(astronaut):
    from skimage.transform import resize

    face = resize(astronaut[60:180, 170:270], (30, 25), anti_aliasing=True)  # face ~ 20 px
    prob = pnet_map(face, scale=1.0)
    assert prob.shape == (10, 8)  # ceil((30 - 2) / 2) - 4 by ceil((25 - 2) / 2) - 4
    assert prob.max() > 0.9
    # every cell is P-Net on one 12x12 window at stride 2: the convolution shares the work
    for i, j in [np.unravel_index(prob.argmax(), prob.shape), (0, 0), (9, 6)]:
        window = face[2 * i : 2 * i + 12, 2 * j : 2 * j + 12]
        assert pnet_map(window, scale=1.0).shape == (1, 1)
        np.testing.assert_allclose(pnet_map(window, scale=1.0)[0, 0], prob[i, j], atol=1e-5)
    boxes, scores, offsets = windows_from_map(prob, np.zeros((4, 10, 8)), scale=0.5, threshold=0.0)
    assert boxes.shape == (80, 4) and offsets.shape == (80, 4)
    np.testing.assert_allclose(boxes[1], [4, 0, 28, 24])  # cell (0, 1): x = 2 / 0.5, side 24


def test_regression_and_squaring():
    b = apply_regression([[10.0, 10, 30, 50]], [[0.5, 0.0, 0.0, -0.25]])
    np.testing.assert_allclose(b, [[20, 10, 30, 40]])
    s = square(b)
    np.testing.assert_allclose(s, [[10, 10, 40, 40]])


def test_finds_the_astronaut_face_with_its_landmarks(astronaut_result):
    boxes, scores, landmarks, _ = astronaut_result
    assert boxes.shape == (1, 4) and scores.shape == (1,) and landmarks.shape == (1, 5, 2)
    assert scores[0] > 0.95
    assert iou(boxes, ASTRONAUT_FACE)[0, 0] >= 0.5
    x1, y1, x2, y2 = ASTRONAUT_FACE
    pts = landmarks[0]
    assert ((pts[:, 0] > x1) & (pts[:, 0] < x2) & (pts[:, 1] > y1) & (pts[:, 1] < y2)).all()
    eye_l, eye_r, nose, mouth_l, mouth_r = pts
    assert eye_l[0] < nose[0] < eye_r[0] and mouth_l[0] < mouth_r[0]
    assert max(eye_l[1], eye_r[1]) < nose[1] < min(mouth_l[1], mouth_r[1])


def test_stages_show_the_cascade_thinning_out(astronaut_result, astronaut):
    boxes, scores, _, stages = astronaut_result
    assert stages["scales"] == pyramid_scales(512, 512, 20)
    counts = []
    for name in ("pnet", "rnet", "onet"):
        (bb, sb), (ba, sa) = stages[name]["before_nms"], stages[name]["after_nms"]
        assert bb.shape == (len(sb), 4) and ba.shape == (len(sa), 4) and len(ba) <= len(bb)
        counts.append(len(bb))
    assert counts[0] > 50 > counts[1] >= counts[2] >= 1  # many windows, few faces
    np.testing.assert_allclose(np.sort(stages["onet"]["after_nms"][1])[::-1], scores)
    # uint8 and float inputs are the same image
    b2, s2, _ = detect_faces(astronaut / 255.0)
    np.testing.assert_allclose(b2, boxes, atol=0.5)


def test_finds_grace_hopper():
    with cbook.get_sample_data("grace_hopper.jpg") as f:
        img = plt.imread(f, format="jpg")  # (600, 512, 3) uint8
    boxes, scores, landmarks = detect_faces(img)
    assert len(boxes) >= 1 and scores[0] > 0.9
    x1, y1, x2, y2 = boxes[0]
    assert 100 < x1 < x2 < 420 and 50 < y1 < y2 < 400  # her face, not the flag or the medals
    assert (landmarks[0, :, 0] > x1).all() and (landmarks[0, :, 0] < x2).all()


def test_no_face_in_flat_grey_or_too_small_images():
    for img in (np.full((120, 160, 3), 0.5), np.zeros((15, 300, 3), np.uint8)):
        boxes, scores, landmarks = detect_faces(img, min_size=20)
        assert boxes.shape == (0, 4) and scores.shape == (0,) and landmarks.shape == (0, 5, 2)


def test_custom_nms_is_used(astronaut):
    calls = []

    def spy(boxes, scores, iou_threshold=0.5, classes=None):
        calls.append((len(boxes), iou_threshold))
        return non_max_suppression(boxes, scores, iou_threshold)

    boxes, _, _ = detect_faces(astronaut, nms=spy)
    assert len(calls) >= 3 and any(t == 0.7 for _, t in calls)
    assert len(boxes) == 1
    nothing, _, _ = detect_faces(astronaut, nms=lambda b, s, t: np.zeros(0, dtype=int))
    assert nothing.shape == (0, 4)  # an NMS that keeps nothing leaves nothing


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"image": np.zeros((64, 64))}, r"grey image.*np\.stack"),
        ({"image": np.zeros((64, 64, 4))}, "RGBA"),
        ({"image": np.full((64, 64, 3), 255.0)}, "divide by 255"),
        ({"image": np.zeros((64, 64, 3), np.int32)}, "dtype int32"),
        ({"min_size": 0}, "min_size must be a positive integer"),
        ({"min_size": 12.5}, "min_size must be a positive integer"),
        ({"thresholds": (0.6, 0.7)}, "three probabilities"),
        ({"thresholds": (0.6, 1.7, 0.7)}, "three probabilities"),
        ({"nms": "greedy"}, "nms must be None or a function"),
    ],
)
def test_bad_arguments_are_refused(kwargs, message):
    kwargs = {"image": np.zeros((64, 64, 3)), **kwargs}
    with pytest.raises(ValueError, match=message):
        detect_faces(**kwargs)
