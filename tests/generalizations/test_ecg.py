"""cnnlab.generalizations.ecg: the synthetic ECG and the matched-filter beat detector."""

from __future__ import annotations

import numpy as np
import pytest

from cnnlab.generalizations import ecg


def test_synthetic_ecg_has_beats_where_it_says():
    x, beats = ecg.synthetic_ecg(seconds=20, heart_rate=60, noise=0.0, seed=1)
    assert x.shape == (20 * ecg.ECG_RATE,)
    assert 17 <= len(beats) <= 21  # about one a second, whole beats only
    # the R wave is the tallest point around each labelled beat
    for b in beats:
        window = x[b - 10 : b + 11]
        assert np.argmax(window) == 10
    intervals = np.diff(beats) / ecg.ECG_RATE
    assert 0.8 < intervals.mean() < 1.2 and intervals.std() > 0  # it varies, as hearts do


def test_same_seed_same_recording():
    a, ba = ecg.synthetic_ecg(seed=3)
    b, bb = ecg.synthetic_ecg(seed=3)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(ba, bb)


def test_the_matched_filter_ignores_a_flat_or_wandering_baseline():
    w = ecg.qrs_kernel()
    assert w.size % 2 == 1 and abs(w.sum()) < 1e-9 and np.isclose(np.linalg.norm(w), 1)


@pytest.mark.parametrize("noise, rate", [(0.05, 72), (0.15, 100), (0.05, 50)])
def test_detect_beats_finds_every_beat(noise, rate):
    x, truth = ecg.synthetic_ecg(seconds=30, heart_rate=rate, noise=noise, seed=2)
    response, found = ecg.detect_beats(x)
    assert response.shape == x.shape and response.max() == pytest.approx(1.0)
    hits, misses, false_alarms = ecg.match_beats(found, truth)
    assert misses == 0 and false_alarms == 0 and hits == len(truth)


def test_match_beats_counts_each_true_beat_once():
    assert ecg.match_beats([100, 101, 300], [100, 200]) == (1, 1, 2)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: ecg.synthetic_ecg(seconds=0), r"seconds must be a number > 0, got 0"),
        (lambda: ecg.synthetic_ecg(heart_rate="72"), r"heart_rate must be a number > 0"),
        (lambda: ecg.synthetic_ecg(noise=-1), r"noise is a standard deviation"),
        (lambda: ecg.synthetic_ecg(seed=1.5), r"seed must be an integer >= 0"),
        (lambda: ecg.detect_beats(np.zeros((2, 500))), r"x must be a 1D recording"),
        (lambda: ecg.qrs_kernel(width=True), r"width must be a number > 0"),
    ],
)
def test_bad_input_says_what_is_valid(call, match):
    with pytest.raises(ValueError, match=match):
        call()
