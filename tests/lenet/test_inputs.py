"""Inputs for LeNet-5 (cnnlab.lenet.inputs): upsampling matches PyTorch's interpolate."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnlab import lenet


@pytest.mark.parametrize("size", [32, 24, 40, 12, 8, 5])
def test_upsample_matches_torch_interpolate(size):
    x = np.random.default_rng(1).random((3, 2, 8, 8)).astype(np.float32)
    ref = F.interpolate(torch.tensor(x), size=(size, size), mode="bilinear", align_corners=False)
    out = lenet.upsample(x, size)
    assert out.dtype == np.float32 and out.shape == (3, 2, size, size)
    np.testing.assert_allclose(out, ref.numpy(), atol=1e-6)


def test_upsample_errors():
    with pytest.raises(ValueError, match="N, C, h, w"):
        lenet.upsample(np.ones((8, 8)))
    with pytest.raises(ValueError, match="size"):
        lenet.upsample(np.ones((1, 1, 8, 8)), 0)


def test_interp_matrix_rows_sum_to_one():
    a = lenet.interp_matrix(8, 32)
    assert a.shape == (32, 8) and np.allclose(a.sum(axis=1), 1)
