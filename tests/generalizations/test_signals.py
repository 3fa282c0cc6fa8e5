"""cnnlab.generalizations.signals: the shipped recordings, 1D kernels, filtering."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnlab.generalizations import signals

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
    # the numbers lesson 13 prints: noise makes the plain derivative cross its line
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


# amplitude_response


def test_amplitude_response_peaks_at_the_kernels_period():
    t = np.arange(24)
    w = np.stack([np.sin(2 * np.pi * t / p) * np.hanning(24) for p in (4, 8)])
    period, resp = signals.amplitude_response(w)
    assert period.shape == (128,) and resp.shape == (2, 128)
    assert np.all(np.diff(period) < 0)  # longest period first
    for r, p in zip(resp, (4, 8)):
        assert period[np.argmax(r)] == pytest.approx(p, rel=0.05)
    one = signals.amplitude_response(w[0])[1]
    np.testing.assert_allclose(one, resp[0])
    period, box = signals.amplitude_response(signals.moving_average(5))
    assert period[-1] == 2 and box[-1] == pytest.approx(0.2)  # (1 - 1 + 1 - 1 + 1) / 5
    assert box[0] == pytest.approx(1, abs=1e-3)  # slow waves pass: the weights sum to 1
    with pytest.raises(ValueError, match="w must be"):
        signals.amplitude_response(np.ones((2, 2, 3)))


def test_centred_padding():
    expected = {1: (0, 0), 2: (0, 1), 3: (1, 1), 4: (1, 2), 7: (3, 3)}
    assert {k: signals.centred_padding(k) for k in expected} == expected
    with pytest.raises(ValueError, match="kernel length"):
        signals.centred_padding(0)
