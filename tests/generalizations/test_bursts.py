"""cnnlab.generalizations.bursts: the EEG burst-detection task and its baselines."""

import numpy as np
import pytest

from cnnlab.generalizations import bursts, signals


def test_burst_shape():
    b = bursts.burst(32, 6.0)
    assert b.shape == (32,)
    assert 0.8 < np.abs(b).max() <= 1  # the samples need not hit the crest
    assert b[0] == 0 and b[-1] == pytest.approx(0)  # the Hann window closes it
    # its strongest frequency is 1/period
    spectrum = np.abs(np.fft.rfft(b, n=600))
    assert np.fft.rfftfreq(600)[np.argmax(spectrum)] == pytest.approx(1 / 6, abs=0.01)
    with pytest.raises(ValueError, match="period"):
        bursts.burst(32, 0)


def test_burst_dataset_shapes_labels_and_determinism():
    x, y, start = bursts.burst_dataset(101, "train", seed=3)
    assert x.shape == (101, 1, 64) and x.dtype == np.float32
    assert y.dtype == np.int64 and start.dtype == np.int64
    assert abs(int(y.sum()) - 50) <= 1
    np.testing.assert_array_equal(y == 1, start >= 0)
    assert start.max() <= 64 - 32
    x2, y2, s2 = bursts.burst_dataset(101, "train", seed=3)
    np.testing.assert_array_equal(x, x2)
    assert not np.array_equal(x, bursts.burst_dataset(101, "train", seed=4)[0])


@pytest.mark.parametrize("split", ["train", "test"])
def test_burst_dataset_backgrounds_come_from_their_blocks(split):
    eeg = signals.eeg()
    blocks = bursts.TRAIN_BLOCKS if split == "train" else bursts.TEST_BLOCKS
    allowed = np.zeros(800, bool)
    for lo, hi in blocks:
        allowed[lo:hi] = True
    x, y, start = bursts.burst_dataset(30, split, length=40, width=10, seed=0)
    for i in range(len(x)):
        if y[i]:
            continue  # a burst was added: only the windows without one are pure EEG
        window = x[i, 0].astype(float)
        found = False
        for c in range(4):
            for cand in (window, window[::-1], -window, -window[::-1]):
                hits = np.flatnonzero(
                    np.all(
                        np.isclose(
                            np.lib.stride_tricks.sliding_window_view(eeg[c], 40), cand, atol=1e-5
                        ),
                        axis=1,
                    )
                )
                found |= any(allowed[h : h + 40].all() for h in hits)
        assert found, f"example {i} is not a window of the {split} blocks"


def test_burst_dataset_splits_do_not_overlap():
    train = {s for lo, hi in bursts.TRAIN_BLOCKS for s in range(lo, hi)}
    test = {s for lo, hi in bursts.TEST_BLOCKS for s in range(lo, hi)}
    assert not train & test and train | test == set(range(800))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"split": "val"}, "split must be"),
        ({"width": 80}, "must fit in the window"),
        ({"length": 250, "width": 32}, "length must be <= 200"),
    ],
)
def test_burst_dataset_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        bursts.burst_dataset(4, **kwargs)


def test_burst_score_finds_the_burst():
    x = np.zeros((2, 1, 64))
    x[1, 0, 10:42] = bursts.burst(32, 6.0, phase=1.0)  # any phase
    s = bursts.burst_score(x)
    assert s.shape == (2,) and s[0] == 0 and s[1] > 5
    with pytest.raises(ValueError, match=r"\(N, 1, L\)"):
        bursts.burst_score(np.zeros((2, 64)))


def test_best_threshold_is_the_best_and_consistent():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 2, 300)
    scores = rng.normal(size=300) + 1.5 * labels
    t, acc = bursts.best_threshold(scores, labels)
    assert acc == pytest.approx(bursts.accuracy_at(scores, labels, t))
    brute = max(bursts.accuracy_at(scores, labels, c) for c in np.concatenate([scores, [-99]]))
    assert acc == pytest.approx(brute)
    assert bursts.best_threshold([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]) == (0.5, 1.0)
    with pytest.raises(ValueError, match="same length"):
        bursts.best_threshold([1.0, 2.0], [1])
