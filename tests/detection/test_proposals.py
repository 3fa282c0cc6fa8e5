"""cnnlab.detection.proposals: selective search finds the objects with few boxes; R-CNN and Fast R-CNN
toys agree where they should."""

import numpy as np
import pytest
import torch

from cnnlab import drawing, validate
from cnnlab.detection import proposals, shapes, sliding


@pytest.fixture(scope="module")
def scenes():
    return shapes.make_shapes(20, seed=2)


def test_selective_search_covers_the_objects(scenes):
    recalls, counts = [], []
    for img, boxes in zip(scenes.images, scenes.boxes):
        p, seg = proposals.selective_search(drawing.to_hwc(img), return_segments=True)
        assert seg.shape == (64, 64)
        assert np.all(p[:, :2] >= 0) and np.all(p[:, 2:] <= 64) and np.all(p[:, 2:] > p[:, :2])
        assert len(np.unique(p, axis=0)) == len(p)
        assert any(np.array_equal(b, [0, 0, 64, 64]) for b in p)  # the last merge: everything
        recalls.append(proposals.proposal_recall(p, boxes))
        counts.append(len(p))
    assert np.mean(recalls) >= 0.9
    assert np.mean(counts) < 150  # far fewer than exhaustive windows
    assert len(proposals.sliding_proposals(64)) > 1000


def test_proposal_recall_and_expand():
    t = np.array([[0, 0, 10, 10], [20, 20, 30, 30]])
    assert proposals.proposal_recall([[0, 0, 10, 10]], t) == 0.5
    assert proposals.proposal_recall(np.zeros((0, 4)), t) == 0.0
    assert proposals.proposal_recall([[0, 0, 1, 1]], np.zeros((0, 4))) == 1.0
    np.testing.assert_allclose(proposals.expand_boxes([[10, 10, 20, 30]], 2, 64), [[5, 0, 25, 40]])


def test_training_set_labels_by_iou(scenes):
    props = [proposals.selective_search(drawing.to_hwc(i)) for i in scenes.images[:5]]
    x, y = proposals.proposal_training_set(scenes.subset(slice(0, 5)), props, size=14)
    assert x.shape[1:] == (3, 14, 14) and len(x) == len(y)
    fg = (y < 3).sum()
    assert fg > 0 and (y == 3).sum() <= 3 * fg


def test_rcnn_and_fast_rcnn_agree_on_window_sized_regions():
    torch.manual_seed(0)
    model = sliding.WindowClassifier().eval()
    img = np.random.default_rng(0).random((3, 48, 48)).astype(np.float32)
    regions = sliding.windows(48, 14, 2)[::7]  # 14x14 windows at even positions
    (b1, s1, c1), n1 = proposals.rcnn_detect(
        model, img, regions, context=1.0, score_threshold=0.0, iou_threshold=1.0
    )
    (b2, s2, c2), n2 = proposals.fast_rcnn_detect(
        model, img, regions, context=1.0, score_threshold=0.0, iou_threshold=1.0
    )
    assert n1 == len(regions) and n2 == 1  # network passes
    # no resizing and no RoI-pooling approximation for such regions: identical scores
    np.testing.assert_allclose(np.sort(s1), np.sort(s2), atol=1e-5)
    assert len(b1) == len(regions)
    assert validate.as_boxes(b1).shape == (len(regions), 4)
