"""cnnlab.signals: the shipped recordings, 1D kernels, filtering and the burst task."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnlab import signals

# the recordings


def test_eeg_is_four_standardised_channels():
    eeg = signals.eeg()
    assert eeg.shape == (4, 800) and eeg.dtype == np.float64
    assert len(signals.EEG_CHANNELS) == 4
    np.testing.assert_allclose(eeg.mean(axis=1), 0, atol=1e-3)
    np.testing.assert_allclose(eeg.std(axis=1), 1, atol=3e-3)
    assert eeg.flags["C_CONTIGUOUS"]


def test_membrane_potential_is_in_millivolts():
    v = signals.membrane_potential()
    assert v.shape == (12000,) and v.dtype == np.float64
    assert -70 < v[:100].mean() < -65  # resting potential before the current is switched on
    assert -70 < v.min() and v.max() < 10  # spikes peak near 0 mV


def test_membrane_spike_counts():
    # the numbers lesson 12 prints: noise makes the plain derivative cross its line
    # more often than there are spikes; the derivative of a Gaussian does not
    v, dt = signals.membrane_potential(), signals.MEMBRANE_DT_MS
    spikes = signals.find_events(v, -20.0)
    dog = signals.find_events(signals.filter_signal(v, signals.derivative_of_gaussian(1.0)) / dt, 5)
    raw = signals.find_events(signals.filter_signal(v, signals.derivative()) / dt, 5)
    assert len(spikes) == len(dog) == 57
    assert len(raw) > 57
    # every spike's upstroke comes a few samples before it crosses -20 mV
    assert np.all((spikes - dog >= 0) & (spikes - dog < 10))


# kernels


@pytest.mark.parametrize("width", [1, 2, 5, 9])
def test_moving_average(width):
    w = signals.moving_average(width)
    assert w.shape == (width,)
    np.testing.assert_allclose(w, 1 / width)


@pytest.mark.parametrize("sigma", [0.5, 1.0, 2.5])
def test_gaussian_is_a_normalised_symmetric_bell(sigma):
    w = signals.gaussian(sigma)
    assert w.size == 2 * int(np.ceil(3 * sigma)) + 1
    np.testing.assert_allclose(w.sum(), 1)
    np.testing.assert_allclose(w, w[::-1])
    assert np.argmax(w) == w.size // 2
    assert signals.gaussian(sigma, radius=1).shape == (3,)


def test_derivative_kernels_on_polynomials():
    t = np.arange(12.0)
    ramp = signals.filter_signal(3 * t + 1, signals.derivative(), pad="valid")
    np.testing.assert_allclose(ramp, 3)
    curve = signals.filter_signal(t**2, signals.second_derivative(), pad="valid")
    np.testing.assert_allclose(curve, 2)
    # the derivative of a constant is 0, wherever the kernel sits
    assert signals.derivative().sum() == 0 and signals.second_derivative().sum() == 0


@pytest.mark.parametrize("sigma", [0.7, 1.0, 2.0])
def test_derivative_of_gaussian_is_the_two_filters_in_one(sigma):
    x = np.random.default_rng(0).normal(size=300)
    two = signals.filter_signal(
        signals.filter_signal(x, signals.gaussian(sigma), pad="valid"),
        signals.derivative(),
        pad="valid",
    )
    one = signals.filter_signal(x, signals.derivative_of_gaussian(sigma), pad="valid")
    np.testing.assert_allclose(one, two, atol=1e-12)
    w = signals.derivative_of_gaussian(sigma, radius=2)
    assert w.shape == (7,)
    np.testing.assert_allclose(w, -w[::-1])  # antisymmetric, like the derivative


@pytest.mark.parametrize("name", list(signals.KERNELS))
@pytest.mark.parametrize("width", [3, 5, 9, 41])
def test_named_kernels(name, width):
    w = signals.kernel(name, width)
    assert w.ndim == 1
    if "derivative" in name and name != "derivative of gaussian":
        assert w.size == 3
    else:
        assert w.size == width
    if name in ("moving average", "gaussian"):
        np.testing.assert_allclose(w.sum(), 1)
    else:
        np.testing.assert_allclose(w.sum(), 0, atol=1e-12)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: signals.kernel("sharpen"), "unknown kernel 'sharpen'"),
        (lambda: signals.kernel("gaussian", 1), "width must be an integer >= 3"),
        (lambda: signals.moving_average(0), "width must be an integer >= 1"),
        (lambda: signals.gaussian(0), "sigma must be a number > 0"),
        (lambda: signals.gaussian(-1.0), "sigma must be a number > 0"),
    ],
)
def test_kernel_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# filter_signal


@pytest.mark.parametrize("k", [1, 2, 3, 4, 7])
def test_filter_signal_matches_torch(k):
    rng = np.random.default_rng(k)
    x, w = rng.normal(size=50), rng.normal(size=k)
    valid = signals.filter_signal(x, w, pad="valid")
    expected = F.conv1d(torch.tensor(x)[None, None], torch.tensor(w)[None, None])[0, 0]
    np.testing.assert_allclose(valid, expected.numpy(), atol=1e-12)
    # zero padding: (k-1)//2 on the left, k//2 on the right
    left, right = (k - 1) // 2, k // 2
    padded = F.conv1d(
        F.pad(torch.tensor(x)[None, None], (left, right)), torch.tensor(w)[None, None]
    )
    np.testing.assert_allclose(signals.filter_signal(x, w, pad="zeros"), padded[0, 0].numpy())
    edge = F.pad(torch.tensor(x)[None, None], (left, right), mode="replicate")
    expected_edge = F.conv1d(edge, torch.tensor(w)[None, None])[0, 0].numpy()
    np.testing.assert_allclose(signals.filter_signal(x, w, pad="edge"), expected_edge)


def test_filter_signal_filters_each_channel_on_its_own():
    x = np.random.default_rng(1).normal(size=(4, 60))
    w = signals.gaussian(1.5)
    out = signals.filter_signal(x, w)
    assert out.shape == x.shape
    for c in range(4):
        np.testing.assert_allclose(out[c], signals.filter_signal(x[c], w))


def test_edge_padding_has_no_false_edge_at_the_borders():
    x = np.full(30, -67.0)
    assert np.all(signals.filter_signal(x, signals.derivative(), pad="edge") == 0)
    zeros = signals.filter_signal(x, signals.derivative(), pad="zeros")
    assert zeros[0] == pytest.approx(-33.5) and zeros[-1] == pytest.approx(33.5)


@pytest.mark.parametrize(
    "args, kwargs, match",
    [
        ((np.ones((2, 3, 4)), [1.0]), {}, "x must be a signal"),
        ((np.ones(5), np.ones((2, 2))), {}, "w must be a 1D kernel"),
        ((np.ones(5), [1.0]), {"pad": "reflect"}, "pad must be"),
        ((np.ones(5), np.ones(7)), {"pad": "valid"}, "longer than the signal"),
    ],
)
def test_filter_signal_errors(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        signals.filter_signal(*args, **kwargs)


# find_events


def test_find_events_rising_crossings_only():
    score = np.array([0, 2, 0, 3, 3, 0, 0, 5, 1.0])
    np.testing.assert_array_equal(signals.find_events(score, 2), [1, 3, 7])
    np.testing.assert_array_equal(signals.find_events(score, 2, refractory=3), [1, 7])
    np.testing.assert_array_equal(signals.find_events(score, 10), [])
    # a signal that starts above the threshold has not crossed it
    np.testing.assert_array_equal(signals.find_events([5.0, 5, 0, 5], 2), [3])
    with pytest.raises(ValueError, match="score must be 1D"):
        signals.find_events(np.ones((2, 2)), 0)


# the burst task


def test_burst_shape():
    b = signals.burst(32, 6.0)
    assert b.shape == (32,)
    assert 0.8 < np.abs(b).max() <= 1  # the samples need not hit the crest
    assert b[0] == 0 and b[-1] == pytest.approx(0)  # the Hann window closes it
    # its strongest frequency is 1/period
    spectrum = np.abs(np.fft.rfft(b, n=600))
    assert np.fft.rfftfreq(600)[np.argmax(spectrum)] == pytest.approx(1 / 6, abs=0.01)
    with pytest.raises(ValueError, match="period"):
        signals.burst(32, 0)


def test_burst_dataset_shapes_labels_and_determinism():
    x, y, start = signals.burst_dataset(101, "train", seed=3)
    assert x.shape == (101, 1, 64) and x.dtype == np.float32
    assert y.dtype == np.int64 and start.dtype == np.int64
    assert abs(int(y.sum()) - 50) <= 1
    np.testing.assert_array_equal(y == 1, start >= 0)
    assert start.max() <= 64 - 32
    x2, y2, s2 = signals.burst_dataset(101, "train", seed=3)
    np.testing.assert_array_equal(x, x2)
    assert not np.array_equal(x, signals.burst_dataset(101, "train", seed=4)[0])


@pytest.mark.parametrize("split", ["train", "test"])
def test_burst_dataset_backgrounds_come_from_their_blocks(split):
    eeg = signals.eeg()
    blocks = signals.TRAIN_BLOCKS if split == "train" else signals.TEST_BLOCKS
    allowed = np.zeros(800, bool)
    for lo, hi in blocks:
        allowed[lo:hi] = True
    x, y, start = signals.burst_dataset(30, split, length=40, width=10, seed=0)
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
    train = {s for lo, hi in signals.TRAIN_BLOCKS for s in range(lo, hi)}
    test = {s for lo, hi in signals.TEST_BLOCKS for s in range(lo, hi)}
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
        signals.burst_dataset(4, **kwargs)


def test_burst_score_finds_the_burst():
    x = np.zeros((2, 1, 64))
    x[1, 0, 10:42] = signals.burst(32, 6.0, phase=1.0)  # any phase
    s = signals.burst_score(x)
    assert s.shape == (2,) and s[0] == 0 and s[1] > 5
    with pytest.raises(ValueError, match=r"\(N, 1, L\)"):
        signals.burst_score(np.zeros((2, 64)))


def test_best_threshold_is_the_best_and_consistent():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 2, 300)
    scores = rng.normal(size=300) + 1.5 * labels
    t, acc = signals.best_threshold(scores, labels)
    assert acc == pytest.approx(signals.accuracy_at(scores, labels, t))
    brute = max(signals.accuracy_at(scores, labels, c) for c in np.concatenate([scores, [-99]]))
    assert acc == pytest.approx(brute)
    assert signals.best_threshold([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]) == (0.5, 1.0)
    with pytest.raises(ValueError, match="same length"):
        signals.best_threshold([1.0, 2.0], [1])
