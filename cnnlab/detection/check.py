"""Exercise checkers of lesson 10 (object detection): IoU by hand, a learner's NMS
function, a YOLO target by hand and average precision by hand.

Each checker returns a :class:`cnnlab.feedback.Feedback`; a wrong answer gets the hint of the
mistake it matches (the usual slips are computed, then compared with the answer).
"""

from __future__ import annotations

import numpy as np

from ..feedback import Feedback, diagnose
from ..i18n import Messages, tr
from .anchors import assign_anchors, encode_targets
from .boxes import box_area, intersection, iou
from .metrics import average_precision, interpolated_precision

#: Exercise 10.1: the two boxes (x1, y1, x2, y2) whose IoU is computed by hand.
IOU_BOX_A = (1, 1, 5, 4)
IOU_BOX_B = (3, 2, 8, 6)


def _one_number(answer, what: str) -> Feedback | None:
    if answer is None:
        return Feedback(False, tr("Replace None with your {what} (one number).").format(what=what))
    bad = tr("Give the {what} as one number, got {answer!r}.").format(what=what, answer=answer)
    if isinstance(answer, (bool, str, bytes)) or np.ndim(answer) != 0:
        return Feedback(False, bad)
    try:
        float(answer)
    except (TypeError, ValueError):
        return Feedback(False, bad)
    return None


def iou_by_hand(answer) -> Feedback:
    """Exercise 10.1: IoU of ``IOU_BOX_A`` and ``IOU_BOX_B`` (to 3 decimals)."""
    bad = _one_number(answer, "IoU")
    if bad is not None:
        return bad
    a, b = np.array(IOU_BOX_A, float), np.array(IOU_BOX_B, float)
    inter = float(intersection(a, b)[0, 0])
    area_a, area_b = float(box_area(a)[0]), float(box_area(b)[0])
    union = area_a + area_b - inter
    grow = np.array([0, 0, 1, 1])  # the "pixel count" convention: x2 - x1 + 1
    inter_px = float(intersection(a + grow, b + grow)[0, 0])
    ap, bp = float(box_area(a + grow)[0]), float(box_area(b + grow)[0])
    over_a, over_b, upside_down = inter / area_a, inter / area_b, union / inter
    mistakes = {
        tr(
            "You divided by area(A) + area(B): that counts the overlap twice. The union is "
            "area(A) + area(B) - intersection."
        ): inter / (area_a + area_b),
        tr(
            "You divided by the area of A alone; IoU divides by the area of the union of A and B."
        ): over_a,
        tr(
            "You divided by the area of B alone; IoU divides by the area of the union of A and B."
        ): over_b,
        tr(
            "That is union / intersection, upside down: IoU = intersection / union (at most 1)."
        ): upside_down,
        tr("That is the area of the intersection; now divide it by the area of the union."): inter,
        tr("That is the area of the union; IoU = intersection / union."): union,
        tr(
            "You counted pixels (width = x2 - x1 + 1); these are coordinates on a continuous "
            "plane, so the width is x2 - x1."
        ): inter_px / (ap + bp - inter_px),
    }
    expected = float(iou(a, b)[0, 0])
    fb = diagnose(float(answer), expected, mistakes, rtol=0, atol=6e-4, what="IoU")
    if fb.ok:
        return Feedback(
            True,
            tr("Correct: {formula}.").format(
                formula=f"{inter:g} / ({area_a:g} + {area_b:g} - {inter:g}) = {expected:.4f}"
            ),
        )
    if fb.message in mistakes:
        return fb
    return Feedback(
        False,
        tr(
            "{answer:g} is not the IoU yet. Find the overlap's corners first: max of the "
            "top-left corners, min of the bottom-right ones."
        ).format(answer=float(answer)),
    )


# Exercise 10.2: the cases a learner's NMS function is tried on, (boxes, scores, threshold).
NMS_CASES = (
    # a chain: B overlaps A and C, A and C hardly overlap. B goes; C stays (its only big
    # overlap is with B, which was already suppressed)
    ([[0, 0, 10, 10], [4, 0, 14, 10], [8, 0, 18, 10]], [0.9, 0.8, 0.7], 0.4),
    # the best box is not the first one
    ([[0, 0, 10, 10], [1, 1, 11, 11], [30, 30, 40, 40]], [0.6, 0.9, 0.5], 0.5),
    # IoU exactly at the threshold: only IoU > threshold suppresses
    ([[0, 0, 4, 4], [0, 0, 4, 2]], [0.9, 0.8], 0.5),
    # several objects with several detections each
    (
        [
            [10, 10, 30, 30],
            [12, 11, 31, 29],
            [9, 12, 28, 32],
            [50, 50, 70, 80],
            [52, 49, 71, 78],
            [29, 10, 49, 30],
            [51, 55, 69, 81],
            [0, 60, 10, 70],
        ],
        [0.95, 0.9, 0.6, 0.85, 0.8, 0.75, 0.3, 0.2],
        0.5,
    ),
    # nothing to suppress at threshold 1, everything but the best at threshold 0
    ([[0, 0, 4, 4], [1, 1, 5, 5], [2, 2, 6, 6]], [0.5, 0.7, 0.6], 1.0),
    ([[0, 0, 4, 4], [1, 1, 5, 5], [2, 2, 6, 6]], [0.5, 0.7, 0.6], 0.0),
)


def nms_variant(boxes, scores, threshold, mistake=None) -> list:
    """Greedy NMS, right (``mistake=None``) or with a typical mistake, as a list of indices:
    "index_order" (boxes taken in input order, not by score), "ascending" (lowest score
    first), "ge" (suppress at IoU >= threshold), "one_pass" (suppress a box if ANY
    higher-scoring box overlaps it, even one that was itself suppressed), "below" (suppress
    the boxes that overlap little)."""
    b, s = np.asarray(boxes, float), np.asarray(scores, float)
    if mistake == "index_order":
        order = list(range(len(b)))
    elif mistake == "ascending":
        order = sorted(range(len(b)), key=lambda i: (s[i], i))
    else:
        order = sorted(range(len(b)), key=lambda i: (-s[i], i))
    m = iou(b, b) if len(b) else np.zeros((0, 0))
    if mistake == "one_pass":
        return [i for k, i in enumerate(order) if not any(m[i, j] > threshold for j in order[:k])]
    keep, gone = [], set()
    for i in order:
        if i in gone:
            continue
        keep.append(i)
        for j in order:
            if j == i or j in gone or j in keep:
                continue
            hit = {"ge": m[i, j] >= threshold, "below": m[i, j] < threshold}.get(
                mistake, m[i, j] > threshold
            )
            if hit:
                gone.add(j)
    return keep


_NMS_HINTS = Messages(
    lambda: {
        "index_order": tr(
            "You visited the boxes in the order given. NMS first sorts them by score: "
            "the box kept at each step is the highest-scoring one left."
        ),
        "ascending": tr(
            "You started from the lowest score. NMS keeps the highest-scoring box first "
            "and suppresses the weaker boxes that overlap it."
        ),
        "ge": tr(
            "Boxes with IoU exactly equal to the threshold were suppressed. Suppress only "
            "IoU > threshold (as torchvision.ops.nms and cnnlab.detection do)."
        ),
        "one_pass": tr(
            "A box was suppressed by a box that had itself been suppressed. Only the boxes "
            "you KEEP suppress others: keep the best, remove its overlaps, then repeat with "
            "the best of what is left."
        ),
        "below": tr(
            "You removed the boxes that overlap little and kept the ones that overlap a lot: "
            "suppress when IoU > threshold (they are likely the same object)."
        ),
    }
)


def nms_function(fn) -> Feedback:
    """Exercise 10.2: check a learner's ``nms(boxes, scores, iou_threshold)`` that returns
    the indices kept, highest score first, on :data:`NMS_CASES`."""
    if not callable(fn):
        return Feedback(False, tr("Pass your function itself (nms), got {fn!r}.").format(fn=fn))
    got = []
    for k, (boxes, scores, thr) in enumerate(NMS_CASES):
        try:
            out = fn(np.array(boxes, float), np.array(scores, float), thr)
        except Exception as err:  # the learner's code: report, never crash the checker
            return Feedback(
                False,
                tr("nms on case {k} raised {error}: {err}").format(
                    k=k, error=type(err).__name__, err=err
                ),
            )
        if out is None:
            return Feedback(
                False, tr("Your function returned None: return the list of kept indices.")
            )
        arr = np.asarray(out)
        if arr.dtype == bool:
            return Feedback(
                False,
                tr("Return the indices of the kept boxes (e.g. [0, 2]), not a True/False mask."),
            )
        try:
            got.append([int(i) for i in arr.reshape(-1)])
        except (TypeError, ValueError):
            return Feedback(
                False, tr("Return a list of integer indices, got {out!r}.").format(out=out)
            )
    expected = [nms_variant(*case) for case in NMS_CASES]
    if got == expected:
        return Feedback(
            True,
            tr("Correct on all {k} cases, ties and chains included.").format(k=len(NMS_CASES)),
        )
    for mistake, hint in _NMS_HINTS.items():
        if got == [nms_variant(*case, mistake) for case in NMS_CASES]:
            return Feedback(False, hint)
    k = next(i for i, (g, e) in enumerate(zip(got, expected)) if g != e)
    boxes, scores, thr = NMS_CASES[k]
    if sorted(got[k]) == sorted(expected[k]):
        return Feedback(
            False,
            tr(
                "Case {k}: the right boxes, in the wrong order: return them highest score "
                "first ({expected}), not {got}."
            ).format(k=k, expected=expected[k], got=got[k]),
        )
    return Feedback(
        False,
        tr(
            "Case {k} (scores {scores}, threshold {thr}): your function kept {got}, "
            "expected {expected}."
        ).format(k=k, scores=scores, thr=thr, got=got[k], expected=expected[k]),
    )


#: Exercise 10.3: a 96x96 image, a 3x3 grid, one car (class c2 of pedestrian, car, motorcycle).
YOLO_EXERCISE = {
    "image_size": 96,
    "grid_size": 3,
    "box": (36, 68, 84, 92),
    "class": 1,
    "names": ("pedestrian", "car", "motorcycle"),
}


def _close(u, w) -> bool:
    return bool(np.allclose(u, w, atol=2e-3))


def _cell_hint(r: int, c: int, row: int, col: int, cs: float) -> Feedback | None:
    """None if (r, c) is the cell (row, col) holding the midpoint, else the hint."""
    if (r, c) == (row, col):
        return None
    if (r, c) == (col, row):
        return Feedback(
            False,
            tr(
                "Row and column are swapped: the row counts cells downwards (from y), the "
                "column across (from x)."
            ),
        )
    return Feedback(
        False,
        tr(
            "Cell ({r}, {c}) is not the one holding the midpoint. The midpoint is "
            "((x1 + x2)/2, (y1 + y2)/2); its column is floor(x / {cs:g}), its row "
            "floor(y / {cs:g}), counting from 0."
        ).format(r=r, c=c, cs=cs),
    )


def _midpoint_hint(v, t, box, row: int, col: int, n: int, cs: float) -> Feedback | None:
    """None if the answer's (bx, by) = v[1:3] match the target t's, else the hint."""
    if _close(v[1:3], t[1:3]):
        return None
    mx, my = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    wrong = {
        tr(
            "bx, by are relative to the whole image; measure them from the cell's top-left "
            "corner, in cell units (0 to 1)."
        ): (mx / n, my / n),
        tr("bx, by are in pixels; divide by the cell size ({cs:g} px).").format(cs=cs): (
            mx - col * cs,
            my - row * cs,
        ),
        tr("You used the box's top-left corner; bx, by locate the MIDPOINT of the box."): (
            box[0] / cs - col,
            box[1] / cs - row,
        ),
        tr("bx and by are swapped: bx goes across (x), by down (y)."): (t[2], t[1]),
    }
    hint = next(
        (h for h, w in wrong.items() if _close(v[1:3], w)),
        tr(
            "bx, by are the midpoint's position inside the cell, in cell units: "
            "(x / {cs:g} - col, y / {cs:g} - row)."
        ).format(cs=cs),
    )
    return Feedback(False, hint)


def _size_hint(v, t, box, n: int, cs: float) -> Feedback | None:
    """None if the answer's (bh, bw) = v[3:5] match the target t's, else the hint."""
    if _close(v[3:5], t[3:5]):
        return None
    h, w = box[3] - box[1], box[2] - box[0]
    wrong = {
        tr("bh and bw are swapped: the vector lists the height (bh) before the width (bw)."): (
            t[4],
            t[3],
        ),
        tr(
            "bh, bw are relative to the whole image; the notes measure them in cells (so they "
            "can exceed 1 when the box is bigger than a cell)."
        ): (h / n, w / n),
        tr("bh, bw are in pixels; divide by the cell size ({cs:g} px).").format(cs=cs): (h, w),
    }
    hint = next(
        (hh for hh, ww in wrong.items() if _close(v[3:5], ww)),
        tr("bh, bw are the box's height and width in cell units (pixels / {cs:g}).").format(cs=cs),
    )
    return Feedback(False, hint)


def yolo_target(cell, y) -> Feedback:
    """Exercise 10.3: the cell (row, col) responsible for ``YOLO_EXERCISE``'s box and its
    label vector y = (pc, bx, by, bh, bw, c1, c2, c3), 8 numbers."""
    ex = YOLO_EXERCISE
    n, S, box = ex["image_size"], ex["grid_size"], np.array(ex["box"], float)
    if cell is None or y is None:
        return Feedback(
            False,
            tr("Replace both Nones: cell = (row, col) and y = [pc, bx, by, bh, bw, c1, c2, c3]."),
        )
    try:
        r, c = (int(v) for v in cell)
    except (TypeError, ValueError):
        return Feedback(
            False, tr("cell must be two integers (row, col), got {cell!r}.").format(cell=cell)
        )
    a = assign_anchors(box, S, n)
    row, col = int(a.row[0]), int(a.col[0])
    cs = n / S
    bad = _cell_hint(r, c, row, col, cs)
    if bad is not None:
        return bad
    try:
        v = np.asarray(y, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        return Feedback(False, tr("y must be 8 numbers, got {y!r}.").format(y=y))
    if v.shape[0] != 8:
        return Feedback(
            False,
            tr("y has 8 entries (pc, bx, by, bh, bw, c1, c2, c3), got {k}.").format(k=v.shape[0]),
        )
    t = encode_targets(box, [ex["class"]], S, n, 3)[row, col, 0]
    if not _close(v[0], 1):
        return Feedback(False, tr("pc is 1: there is an object in this cell."))
    # (a wrong Feedback is falsy: test for None, never chain these with ``or``)
    for bad in (_midpoint_hint(v, t, box, row, col, n, cs), _size_hint(v, t, box, n, cs)):
        if bad is not None:
            return bad
    if not _close(v[5:], t[5:]):
        return Feedback(
            False,
            tr("The classes are one-hot: c1, c2, c3 = 0, 1, 0 for a car (the second class)."),
        )
    return Feedback(
        True,
        tr(
            "Correct: cell ({row}, {col}), y = ({y}). bw = 1.5 > 1: the car is wider than a cell."
        ).format(row=row, col=col, y=", ".join(f"{x:g}" for x in t)),
    )


#: Exercise 10.4: detections of one class ranked by score (True = matches an unmatched object
#: with IoU >= 0.5), and how many true objects there are.
AP_EXERCISE = {"ranked_hits": (False, True, True, False, True), "n_true": 4}


def ap_by_hand(answer) -> Feedback:
    """Exercise 10.4: the VOC (all-point) average precision of ``AP_EXERCISE``."""
    bad = _one_number(answer, tr("average precision"))
    if bad is not None:
        return bad
    hits = np.array(AP_EXERCISE["ranked_hits"], float)
    n_true = AP_EXERCISE["n_true"]
    tp = np.cumsum(hits)
    precision = tp / np.arange(1, len(hits) + 1)
    recall = tp / n_true
    expected = average_precision(precision, recall)
    env = interpolated_precision(precision)
    eleven = np.mean(
        [env[recall >= r].max() if np.any(recall >= r) else 0.0 for r in np.linspace(0, 1, 11)]
    )
    mistakes = {
        tr(
            "You summed the raw precision at each new recall. Interpolate first: at each "
            "recall level use the BEST precision reached at that recall or beyond (the curve "
            "is made monotone)."
        ): float(np.sum(precision * hits) / n_true),
        tr(
            "You averaged the precision over the objects you found (3); AP divides by all "
            "true objects (4): an object never found adds nothing."
        ): float(np.sum(env * hits) / hits.sum()),
        tr(
            "You averaged the raw precision over the 3 objects found. Divide by all 4 true "
            "objects, and at each recall use the best precision reached at that recall or "
            "beyond (interpolation)."
        ): float(np.sum(precision * hits) / hits.sum()),
        tr(
            "That is the precision of the whole list (3 right out of 5); AP sums precision "
            "over the recall steps."
        ): float(precision[-1]),
        tr(
            "That is the final recall (3 of 4 objects found); AP is the area under the "
            "precision-recall curve."
        ): float(recall[-1]),
        tr(
            "That is the 11-point AP of VOC 2007 (precision sampled at recall 0, 0.1, ..., 1). "
            "Here use the all-point version: sum over the recall steps."
        ): float(eleven),
        tr(
            "Recall divides by the number of true objects (4), not the number of detections (5)."
        ): float(np.sum(env * hits) / len(hits)),
    }
    fb = diagnose(float(answer), expected, mistakes, rtol=0, atol=6e-4, what="AP")
    if fb.ok:
        return Feedback(
            True,
            tr("Correct: {formula}.").format(
                formula=f"AP = 0.25 x 2/3 + 0.25 x 2/3 + 0.25 x 3/5 = {expected:.4f}"
            ),
        )
    if fb.message in mistakes:
        return fb
    return Feedback(
        False,
        tr(
            "{answer:g} is not right yet. List precision and recall after each detection, "
            "make precision monotone (best to the right), and add precision x recall step at "
            "each true positive."
        ).format(answer=float(answer)),
    )
