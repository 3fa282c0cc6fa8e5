"""cnnlab.detection.sliding: FC layers turned into convolutions give the same scores as the window
loop, and the multiplication counts match a count taken by hooks."""

import numpy as np
import pytest
import torch

from cnnlab import arith, nets
from cnnlab.detection import sliding


@pytest.fixture(scope="module")
def model():
    torch.manual_seed(0)
    return sliding.WindowClassifier().eval()


def test_convolutionalize_keeps_the_classifier(model):
    conv = sliding.convolutionalize(model)
    x = torch.rand(5, 3, 14, 14)
    with torch.no_grad():
        torch.testing.assert_close(conv(x)[:, :, 0, 0], model(x), rtol=1e-5, atol=1e-5)
    for n, side in ((14, 1), (16, 2), (28, 8), (48, 18)):
        assert conv(torch.zeros(1, 3, n, n)).shape == (1, 4, side, side)


@pytest.mark.parametrize("h, w", [(48, 48), (20, 34)])
def test_one_pass_equals_the_window_loop(model, h, w):
    img = np.random.default_rng(1).random((3, h, w)).astype(np.float32)
    loop = sliding.sliding_window_scores(model, img, stride=2)
    batched = sliding.sliding_window_scores(model, img, stride=2, batch_size=64)
    conv = sliding.convolutional_scores(sliding.convolutionalize(model), img)
    rows, cols = arith.conv_output_size(h, 14, s=2), arith.conv_output_size(w, 14, s=2)
    assert loop.shape == conv.shape == (rows, cols, 4)
    assert np.abs(loop - conv).max() < 1e-5
    assert np.abs(loop - batched).max() < 1e-5
    np.testing.assert_allclose(loop.sum(-1), 1, atol=1e-6)


def test_windows_and_detections():
    w = sliding.windows(20, 14, 2)
    assert w.shape == (16, 4)
    np.testing.assert_array_equal(w[0], [0, 0, 14, 14])
    np.testing.assert_array_equal(w[-1], [6, 6, 20, 20])
    scores = np.zeros((4, 4, 4))
    scores[..., 3] = 1  # background everywhere ...
    scores[1, 2] = [0.1, 0.0, 0.8, 0.1]  # ... but a triangle in window (1, 2)
    b, s, c = sliding.window_detections(scores, 14, 2, 0.5)
    np.testing.assert_array_equal(b, [[4, 2, 18, 16]])
    assert s.tolist() == [0.8] and c.tolist() == [2]


def test_multiplication_counts_match_the_hooks(model):
    assert sliding.network_macs(model, (3, 14, 14)) == sliding.classifier_macs()
    conv = sliding.convolutionalize(model)
    for n in (14, 28, 48, 64):
        assert sliding.network_macs(conv, (3, n, n)) == sliding.convolutional_macs(n)
    # the shared convolution: one per image instead of one per window
    n_win = arith.conv_output_size(48, 14, s=2) ** 2
    assert sliding.convolutional_macs(48) < n_win * sliding.classifier_macs()


def test_window_dataset_and_a_quick_fit():
    x, y = sliding.window_dataset(400, seed=0)
    assert x.shape == (400, 3, 14, 14) and x.dtype == np.float32
    assert set(np.unique(y)) == {0, 1, 2, 3}
    assert np.array_equal(x, sliding.window_dataset(400, seed=0)[0])
    nets.seed_everything(0)
    m = sliding.WindowClassifier()
    h = nets.fit(m, (x, y), epochs=3, lr=1e-3, batch_size=32, progress=False, dev="cpu")
    assert h["train_acc"][-1] > 0.5  # well above chance (0.25) after a few seconds


def test_bad_settings():
    with pytest.raises(ValueError, match="even"):
        sliding.WindowClassifier(window=13)
    with pytest.raises(ValueError, match="stride"):
        sliding.sliding_window_scores(sliding.WindowClassifier(), np.zeros((3, 20, 20)), stride=0)
    with pytest.raises(ValueError, match="kernel"):
        sliding.windows(10, 14, 2)
