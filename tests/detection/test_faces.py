"""cnnlab.detection.faces: the lesson's face images, a pyramid level, and P-Net slid one
window at a time against its one-pass map (the convolutional implementation of sliding
windows, on a real trained network)."""

import numpy as np
import pytest

from cnnlab import data, pretrained
from cnnlab.detection import faces
from cnnlab.pretrained import faces as pipeline


def test_grace_hopper_is_an_rgb_photo_in_0_1():
    img = faces.grace_hopper()
    assert img.shape == (600, 512, 3) and img.dtype == np.float64
    assert 0 <= img.min() and img.max() <= 1 and img.std() > 0.1


def test_lfw_mosaic_layout():
    m = faces.lfw_mosaic(faces=5, others=3, cols=4, tile=40, margin=6, seed=1)
    assert m.image.shape == (2 * 52, 4 * 52, 3)
    assert m.is_face.sum() == 5 and len(m.tiles) == 8
    np.testing.assert_array_equal(m.image[..., 0], m.image[..., 2])  # grey copied to RGB
    np.testing.assert_allclose(m.tiles[:, 2] - m.tiles[:, 0], 40)
    x1, y1 = m.tiles[0, :2].astype(int)
    assert m.image[y1 - 1, x1 - 1, 0] == 0.5  # the margin is mid grey
    for bad in (dict(faces=0, others=0), dict(faces=101), dict(tile=8), dict(cols=0)):
        with pytest.raises(ValueError):
            faces.lfw_mosaic(**bad)


def test_mtcnn_finds_the_mosaic_faces_and_not_the_others():
    m = faces.lfw_mosaic()
    boxes, _, _ = pretrained.detect_faces(m.image)
    found = faces.tiles_found(boxes, m.tiles)
    assert found[m.is_face].mean() >= 0.9
    assert not found[~m.is_face].any()


def test_tiles_found():
    tiles = [[0, 0, 10, 10], [10, 0, 20, 10]]
    assert faces.tiles_found([[2, 2, 6, 6]], tiles).tolist() == [True, False]
    assert faces.tiles_found(np.zeros((0, 4)), tiles).tolist() == [False, False]


def test_pyramid_level_is_what_pnet_sees():
    img = data.image("astronaut")
    level = faces.pyramid_level(img, 0.1075)
    assert level.shape == (56, 56, 3) and level.dtype == np.float32
    # P-Net on this level at scale 1 gives the pipeline's own map at scale 0.1075
    np.testing.assert_array_equal(pipeline.pnet_map(level, 1.0), pipeline.pnet_map(img, 0.1075))
    for bad in (0, 1.5, True, "0.5"):
        with pytest.raises(ValueError, match="scale"):
            faces.pyramid_level(img, bad)
    with pytest.raises(ValueError, match="smaller than"):
        faces.pyramid_level(img, 0.01)


@pytest.mark.parametrize("n", [12, 13, 20, 56, 57, 308])
def test_map_sizes(n):
    level = np.zeros((n, n + 1, 3), np.float32)
    assert pipeline.pnet_map(level, 1.0).shape == (
        faces.pnet_map_size(n),
        faces.pnet_map_size(n + 1),
    )
    assert faces.full_windows(n) == (n - 12) // 2 + 1
    assert faces.pnet_map_size(n) - faces.full_windows(n) == n % 2


def test_one_window_at_a_time_equals_one_pass():
    img = data.image("astronaut")
    for scale in (0.1075, 0.0762):  # even (56 px) and odd (39 px) levels
        level = faces.pyramid_level(img, scale)
        loop = faces.pnet_one_window_at_a_time(level)
        one_pass = pipeline.pnet_map(level, 1.0)
        r, c = loop.shape
        assert (r, c) == (faces.full_windows(level.shape[0]), faces.full_windows(level.shape[1]))
        np.testing.assert_allclose(one_pass[:r, :c], loop, atol=1e-5)
