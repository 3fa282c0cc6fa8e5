"""cnnlab.generalizations.plot: signals, filters, learned kernels, volume slices."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from cnnlab.generalizations import bursts, plot, signals, volumes  # noqa: E402


def titles(fig):
    return [ax.get_title() for ax in fig.axes] + [t.get_text() for t in fig.texts]


def test_plot_signals_one_axes_per_channel():
    eeg = signals.eeg()
    fig = plot.plot_signals(eeg, signals.EEG_CHANNELS, dt=0.0125, unit="seconds", spans=[(0, 5)])
    assert len(fig.axes) == 4
    assert [ax.get_ylabel() for ax in fig.axes] == list(signals.EEG_CHANNELS)
    x = fig.axes[0].lines[0].get_xdata()
    assert x[-1] == pytest.approx(799 * 0.0125)
    with pytest.raises(ValueError, match="one length"):
        plot.plot_signals([np.ones(3), np.ones(4)])
    with pytest.raises(ValueError, match="labels"):
        plot.plot_signals(eeg, ["a"])


@pytest.mark.parametrize("pad, length", [("edge", 100), ("zeros", 100), ("valid", 94)])
def test_plot_signal_filter_draws_the_filtered_signal(pad, length):
    x = np.random.default_rng(0).normal(size=100)
    w = signals.gaussian(1.0)  # 7 taps
    fig = plot.plot_signal_filter(x, w, pad=pad, title="test")
    kernel_ax, in_ax, out_ax = fig.axes
    expected = signals.filter_signal(x, w, pad=pad)
    line = out_ax.lines[0]
    np.testing.assert_allclose(line.get_ydata(), expected)
    # 'valid' outputs sit under the samples they are centred on
    assert line.get_xdata()[0] == (3 if pad == "valid" else 0)
    assert f"L = 100 → {length} samples, padding: {pad}" in in_ax.get_title()
    assert kernel_ax.get_title() == "kernel w, K = 7"
    assert len(kernel_ax.texts) == 7  # the weights are written


def test_plot_signal_filter_window_and_errors():
    v = signals.membrane_potential()
    fig = plot.plot_signal_filter(v, signals.derivative(), dt=0.5, unit="ms", window=(100, 300))
    xs = fig.axes[2].lines[0].get_xdata()
    assert xs[0] == 50 and xs[-1] == 149.5
    with pytest.raises(ValueError, match="window must be"):
        plot.plot_signal_filter(v, signals.derivative(), window=(300, 100))
    with pytest.raises(ValueError, match="pad must be"):
        plot.plot_signal_filter(v, signals.derivative(), pad="wrap")


def test_plot_burst_examples_shades_the_bursts():
    x, y, start = bursts.burst_dataset(8, "test", seed=2)
    fig = plot.plot_burst_examples(x, y, start, proba=np.linspace(0, 1, 8))
    for ax, label, s in zip(fig.axes, y, start):
        assert ax.get_title().startswith("burst" if label else "no burst")
        assert len(ax.patches) == (1 if s >= 0 else 0)
    assert "p(burst) = 1.00" in fig.axes[7].get_title()
    with pytest.raises(ValueError, match=r"\(N, 1, L\)"):
        plot.plot_burst_examples(x[:, 0], y, start)


def test_plot_kernels_1d_peaks_at_the_kernels_period():
    t = np.arange(12)
    w = np.stack([np.sin(2 * np.pi * t / p) * np.hanning(12) for p in (4, 8)])[:, None]
    fig = plot.plot_kernels_1d(w, band=(5, 7), title="k")
    response_ax = fig.axes[-1]
    for line, period in zip(response_ax.lines, (4, 8)):
        peak = line.get_xdata()[np.argmax(line.get_ydata())]
        assert peak == pytest.approx(period, rel=0.15)
    assert len(fig.axes) == 3
    with pytest.raises(ValueError, match=r"\(C_out, 1, K\)"):
        plot.plot_kernels_1d(np.ones((2, 2, 3, 3)))


@pytest.fixture(scope="module")
def ct():
    return volumes.ct_phantom(32)


def test_plot_volume_views(ct):
    edges = volumes.edge_magnitude(ct)
    fig = plot.plot_volume_views(
        {"CT": ct, "edges": edges}, (20, 15, 16), ranges={"CT": (-1000, 800)}
    )
    assert len(fig.axes) == 6
    assert fig.axes[0].get_title() == "axial, z = 20"
    assert fig.axes[4].get_title() == "coronal, y = 15"
    np.testing.assert_array_equal(fig.axes[5].images[0].get_array(), edges[:, :, 16])
    assert fig.axes[0].images[0].get_clim() == (-1000, 800)
    with pytest.raises(ValueError, match="center must be a voxel"):
        plot.plot_volume_views({"CT": ct}, (40, 0, 0))
    with pytest.raises(ValueError, match="share one shape"):
        plot.plot_volume_views({"a": ct, "b": ct[1:]}, (0, 0, 0))


@pytest.mark.parametrize("view, axis", [("axial", 0), ("coronal", 1), ("sagittal", 2)])
def test_plot_volume_slice(ct, view, axis):
    edges = volumes.edge_magnitude(ct)
    fig = plot.plot_volume_slice(ct, edges, view, 7, edge_max=123.0)
    left, right = fig.axes
    np.testing.assert_array_equal(left.images[0].get_array(), np.take(ct, 7, axis=axis))
    np.testing.assert_array_equal(right.images[0].get_array(), np.take(edges, 7, axis=axis))
    assert right.images[0].get_clim() == (0.0, 123.0)
    assert f"{view}, {'zyx'[axis]} = 7" in left.get_title()


def test_plot_volume_slice_errors(ct):
    with pytest.raises(ValueError, match="axis 0 has 0..31"):
        plot.plot_volume_slice(ct, ct, "axial", 32)
    with pytest.raises(ValueError, match="view must be"):
        plot.plot_volume_slice(ct, ct, "frontal", 0)
    with pytest.raises(ValueError, match="one shape"):
        plot.plot_volume_slice(ct, ct[1:], "axial", 0)


def test_pictures_are_figures_outside_pyplot(ct):
    import matplotlib.figure
    import matplotlib.pyplot as plt

    plt.close("all")
    figs = [
        plot.plot_signals(signals.eeg()[:2]),
        plot.plot_signal_filter(np.arange(20.0), signals.derivative()),
        plot.plot_kernels_1d(np.ones((2, 1, 5))),
        plot.plot_volume_slice(ct, ct, "axial", 3),
    ]
    assert all(isinstance(f, matplotlib.figure.Figure) for f in figs)
    assert plt.get_fignums() == []  # a notebook shows each once, as the cell's result


def test_plot_ecg_beats_labels_the_recording_synthetic():
    from cnnlab.generalizations import ecg
    from cnnlab.generalizations import plot as gplot

    x, truth = ecg.synthetic_ecg(seconds=6, seed=0)
    response, found = ecg.detect_beats(x)
    fig = gplot.plot_ecg_beats(x, response, found, truth, rate=ecg.ECG_RATE, threshold=0.5, seconds=4)
    top, bottom = fig.axes
    assert "synthetic" in top.get_title(loc="left")
    marks = {line.get_label(): line for line in top.lines}
    assert len(marks["true beat"].get_xdata()) == (truth < 4 * ecg.ECG_RATE).sum()
    assert bottom.lines[1].get_ydata()[0] == 0.5  # the threshold line
