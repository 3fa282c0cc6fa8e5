"""cnnlab.segmentation.upsampling: stamp counts, pattern sizes, and bilinear upsampling as a
transposed convolution (against torch.nn.functional.interpolate)."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnlab.segmentation import upsampling


def test_overlap_counts_by_hand():
    # 1D along a row: k=3, s=2 on 3 inputs -> 7 outputs, stamps at 0..2, 2..4, 4..6
    assert upsampling.overlap_counts(3, 3, 2)[3].tolist() == [1, 1, 2, 1, 2, 1, 1]
    assert upsampling.overlap_counts(3, 3, 2)[2].tolist() == [2, 2, 4, 2, 4, 2, 2]
    assert np.all(upsampling.overlap_counts(4, 2, 2) == 1)  # stride = kernel: a tiling
    inner = upsampling.overlap_counts(6, 4, 2, 1)[2:-2, 2:-2]
    assert np.all(inner == 4)  # s divides k: even inside


def test_pattern_size():
    assert upsampling.pattern_size(np.ones((6, 6))) == 0
    flat = np.ones((6, 6))
    flat[2, 2] = 3.0
    assert upsampling.pattern_size(flat) == pytest.approx(2 / (1 + 2 / 4))
    with pytest.raises(ValueError, match="at least 5×5"):
        upsampling.pattern_size(np.ones((4, 4)))


def test_uneven_overlap_leaves_the_largest_patterns_on_average():
    uneven = upsampling.mean_pattern_size(3, 2, 1, 1, trials=50)
    even = upsampling.mean_pattern_size(4, 2, 1, 0, trials=50)
    assert uneven > 2 * even
    assert upsampling.mean_pattern_size(3, 2, 1, 1, trials=50) == uneven  # seeded


def test_bilinear_kernel():
    k = upsampling.bilinear_kernel(2)
    assert k[0].tolist() == [1 / 16, 3 / 16, 3 / 16, 1 / 16]
    for f in (1, 2, 4, 8):
        k = upsampling.bilinear_kernel(f)
        assert k.shape == (2 * f, 2 * f) and k.sum() == pytest.approx(f * f)


@pytest.mark.parametrize("factor", [1, 2, 4, 8, 16])
def test_bilinear_upsample_is_torchs_interpolate(factor):
    x = np.random.default_rng(factor).random((2, 3, 5, 7))
    ours = upsampling.bilinear_upsample(x, factor)
    theirs = F.interpolate(
        torch.from_numpy(x), scale_factor=factor, mode="bilinear", align_corners=False
    ).numpy()
    assert ours.shape == (2, 3, 5 * factor, 7 * factor)
    np.testing.assert_allclose(ours, theirs, atol=1e-12)


def test_bilinear_upsample_refuses_bad_inputs():
    with pytest.raises(ValueError, match="even"):
        upsampling.bilinear_upsample(np.ones((1, 1, 3, 3)), 3)
    with pytest.raises(ValueError, match="\\(N, C, H, W\\)"):
        upsampling.bilinear_upsample(np.ones((3, 3)), 2)
    with pytest.raises(ValueError, match="factor"):
        upsampling.bilinear_upsample(np.ones((1, 1, 3, 3)), 0)
