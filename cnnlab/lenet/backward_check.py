"""Lesson 06's exercise "write the convolution's backward pass", checked by gradient checks.

The learner writes ``conv_backward(dout, x, w, stride=1, padding=0) -> (dx, dw, db)``, the
gradients of ``cnnlab.conv2d(x, w, b, stride, padding)``, with the signature and return of
``cnnlab.conv2d_backward``. :func:`conv_backward_function` runs it on a sweep of settings
(:data:`CONV_BACKWARD_CASES`: stride 1, 2 and 3, strides that do not divide the input
evenly, padding, rectangular inputs and kernels) and, for each, compares every gradient with

- a **gradient check**: centred differences of ``L = sum(conv2d(x, w, b) * dout)``
  (``cnnlab.layers.numerical_gradient``, float64), and
- the reference ``cnnlab.conv2d_backward``,

by relative error (``cnnlab.layers.rel_error``): below :data:`TOLERANCE` (1e-6) passes; a
correct backward pass gets about 1e-10, because the convolution is linear in x and in w, so
the differences are exact up to rounding.

A wrong answer is matched against the usual mistakes, each computed by the same loops with
one thing wrong (:func:`conv_backward_loops`): the stride forgotten, the padding not cropped
(or cropped at the wrong place), the kernel flipped in dx, db summed over the wrong axes.
Where no computed mistake matches, the pattern of the sweep still speaks: right at stride 1
and wrong at stride 2 means the stride; right without padding and wrong with it, the padding.
"""

from __future__ import annotations

import numpy as np

from ..conv import conv2d, conv2d_backward
from ..feedback import Feedback
from ..i18n import Messages, tr
from ..layers import numerical_gradient, rel_error

#: Relative error under which a gradient passes (a correct one gets ~1e-10 here).
TOLERANCE = 1e-6

#: The sweep: (N, C_in, H, W, C_out, KH, KW, stride, padding). Stride-1 and unpadded cases
#: come first, so a slip shows where it first matters; N != C_out everywhere, so a db summed
#: over the wrong axes cannot have the right shape by accident.
CONV_BACKWARD_CASES = (
    (2, 3, 5, 5, 4, 3, 3, 1, 0),
    (2, 2, 6, 7, 3, 3, 2, 1, 0),  # rectangular input and kernel
    (2, 2, 5, 5, 3, 3, 3, 1, 1),  # padding
    (2, 2, 8, 8, 3, 3, 3, 2, 0),  # stride 2 that does not divide evenly: (8-3)/2 = 2.5
    (2, 2, 7, 9, 3, 3, 3, 2, 1),  # stride and padding, rectangular
    (2, 1, 9, 8, 3, 4, 3, 3, 2),  # stride 3, padding 2, a 4x3 kernel
)

HINTS = Messages(
    lambda: {
        "stride": tr(
            "Right at stride 1, wrong at stride {stride}: you forgot the stride. Output (i, "
            "j) was computed from the window that starts at row i*stride, column j*stride of "
            "the padded input, so its gradient goes back onto that window (for dx) and dw "
            "reads that window, not the one starting at (i, j)."
        ),
        "nocrop": tr(
            "dx has the padded input's shape {padded}, not x's {shape}: you forgot to crop "
            "the padding. The padded border is not part of x: crop the padded gradient back "
            "to x's size, dx_pad[:, :, p:p + H, p:p + W] with p = {padding}."
        ),
        "crop": tr(
            "dx is right on the padded grid but cropped at the wrong place: "
            "padding={padding} adds that many rows and columns on *each* side, so keep rows "
            "p to p + H and columns p to p + W of the padded gradient (p = {padding}), not "
            "its top-left corner."
        ),
        "padding": tr(
            "Right without padding, wrong with padding {padding}: check the padding. The "
            "forward pass read the zero-padded input; compute dx on the padded grid and crop "
            "{padding} rows and columns from each side, and let dw read the padded input."
        ),
        "flip": tr(
            "dx matches the one computed with the kernel flipped (w[:, :, ::-1, ::-1]). The "
            "forward pass is a cross-correlation with w as it is (cnnlab.conv2d does not "
            "flip), so each output sends dout[n, k, i, j] * w[k] back onto its own window, "
            "unflipped. (If you write dx as one correlation of the padded dout with the "
            "kernel, flip it exactly once.)"
        ),
        "db_shape": tr(
            "db has shape {got}; it needs one number per filter, shape ({c_out},): summing "
            "over the wrong axes. The bias k was added at every position of every image, so "
            "db[k] sums dout[:, k] over the batch (axis 0) and the output positions (axes 2 "
            "and 3)."
        ),
        "db_sum": tr(
            "db is not right: summing over the wrong axes? Bias k was added once at every "
            "output position of every image, so db[k] is the sum of dout[:, k] over the "
            "batch (axis 0) and the output positions (axes 2 and 3)."
        ),
        "db_batch": tr(
            "db only sums the first image: summing over the wrong axes. The bias was added "
            "to every image of the batch too: sum dout over axes (0, 2, 3)."
        ),
        "db_mean": tr(
            "db is the mean of dout, not its sum: the bias was added at every position, and "
            "each addition passes its gradient on, so the gradients add up (axes 0, 2, 3)."
        ),
        "dw_mean": tr(
            "dw is divided by the batch size: each image's gradient adds up; sum over the "
            "batch, do not average."
        ),
    }
)


def task() -> str:
    """What the learner's function must return, in the language of the moment."""
    return tr(
        "Return (dx, dw, db), the gradients of L = sum(conv2d(x, w, b, stride, padding) * "
        "dout): for x (N, C_in, H, W), w (C_out, C_in, KH, KW) and dout (N, C_out, H_out, "
        "W_out), dx is (N, C_in, H, W), dw (C_out, C_in, KH, KW) and db (C_out,)."
    )


def conv_backward_loops(dout, x, w, stride=1, padding=0, mistake=None):
    """The backward pass of ``conv2d`` as a loop over output positions, right or with one
    ``mistake`` ("stride", "nocrop", "crop", "flip"): what the checker compares against.

    dout (N, C_out, H_out, W_out), x (N, C_in, H, W), w (C_out, C_in, KH, KW) ->
    (dx, dw, db) shaped like x, w and (C_out,).
    """
    _, _, h, wd = x.shape
    kh, kw = w.shape[2:]
    p = padding
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    dxp, dw = np.zeros_like(xp), np.zeros_like(w)
    step = 1 if mistake == "stride" else stride
    w_dx = w[:, :, ::-1, ::-1] if mistake == "flip" else w
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            rows, cols = slice(i * step, i * step + kh), slice(j * step, j * step + kw)
            g = dout[:, :, i, j]  # (N, C_out): how much each output moves L
            dw += np.tensordot(g, xp[:, :, rows, cols], axes=(0, 0))
            dxp[:, :, rows, cols] += np.tensordot(g, w_dx, axes=(1, 0))
    if mistake == "nocrop":
        dx = dxp
    elif mistake == "crop":
        dx = dxp[:, :, :h, :wd]
    else:
        dx = dxp[:, :, p : p + h, p : p + wd]
    return dx, dw, dout.sum(axis=(0, 2, 3))


def case_arrays(case, seed: int = 0):
    """Seeded float64 (dout, x, w, b) for one case of :data:`CONV_BACKWARD_CASES`."""
    n, c_in, h, wd, c_out, kh, kw, stride, padding = case
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, c_in, h, wd))
    w = rng.normal(size=(c_out, c_in, kh, kw))
    b = rng.normal(size=c_out)
    out = conv2d(x, w, b, stride=stride, padding=padding)
    return rng.normal(size=out.shape), x, w, b


def describe_case(case) -> str:
    n, c_in, h, wd, c_out, kh, kw, stride, padding = case
    return tr("x {x}, w {w}, stride={stride}, padding={padding}").format(
        x=(n, c_in, h, wd), w=(c_out, c_in, kh, kw), stride=stride, padding=padding
    )


def gradient_check(dout, x, w, b, stride, padding):
    """Centred-difference gradients (dx, dw, db) of ``sum(conv2d(x, w, b, ...) * dout)``.

    The loss is linear in each of x, w and b, so a large step (h = 1e-3) is exact up to
    rounding and keeps the rounding error small."""
    x, w, b = x.copy(), w.copy(), b.copy()

    def loss(x_, w_, b_):
        return conv2d(x_, w_, b_, stride=stride, padding=padding)

    return (
        numerical_gradient(lambda v: loss(v, w, b), x, dout, h=1e-3),
        numerical_gradient(lambda v: loss(x, v, b), w, dout, h=1e-3),
        numerical_gradient(lambda v: loss(x, w, v), b, dout, h=1e-3),
    )


NAMES = ("dx", "dw", "db")


def conv_backward_function(fn) -> Feedback:
    """Exercise 06.4: check ``fn(dout, x, w, stride=1, padding=0) -> (dx, dw, db)``, the
    backward pass of ``cnnlab.conv2d``, on every case of :data:`CONV_BACKWARD_CASES`.

    Each gradient must agree with a gradient check (centred differences) and with
    ``cnnlab.conv2d_backward`` to a relative error below :data:`TOLERANCE`. A wrong answer
    gets the hint of the mistake it matches (the stride, the padding crop, the kernel flip,
    db's sum); see the module docstring.
    """
    if not callable(fn):
        return Feedback(
            False, tr("Pass your function itself (no brackets), got {fn!r:.60}.").format(fn=fn)
        )
    failures, worst = [], 0.0
    for case in CONV_BACKWARD_CASES:
        dout, x, w, b = case_arrays(case)
        got = _call(fn, case, dout, x, w)
        if isinstance(got, Feedback):
            return got
        stride, padding = case[7], case[8]
        numeric = gradient_check(dout, x, w, b, stride, padding)
        reference = conv2d_backward(dout, x, w, stride=stride, padding=padding)
        errors = {
            name: max(rel_error(g, n), rel_error(g, r))
            for name, g, n, r in zip(NAMES, got, numeric, reference)
        }
        wrong = [name for name in NAMES if not errors[name] < TOLERANCE]  # NaN is wrong too
        if not wrong:
            worst = max(worst, *errors.values())
            continue
        named = _named_mistake(got, wrong, case, dout, x, w)
        if named is not None:
            return Feedback(False, f"{named} [{_errors_text(case, wrong, errors)}]")
        failures.append((case, wrong, errors))
    if failures:
        return _pattern_hint(failures)
    return Feedback(
        True,
        tr(
            "Correct: dx, dw and db pass the gradient check and match cnnlab.conv2d_backward "
            "in all {k} settings (strides 1 to 3, padding, rectangular shapes); largest "
            "relative error {worst:.0e}."
        ).format(k=len(CONV_BACKWARD_CASES), worst=worst),
    )


def _errors_text(case, wrong, errors) -> str:
    worst = max(errors[name] for name in wrong)
    return tr(
        "{case}: relative error {error:.1e} in {names}, should be below {tolerance:g}"
    ).format(case=describe_case(case), error=worst, names=", ".join(wrong), tolerance=TOLERANCE)


def _call(fn, case, dout, x, w):
    """The learner's three gradients as float arrays of the right shapes, or a Feedback."""
    stride, padding = case[7], case[8]
    try:  # copies: a function that pads or scales its inputs in place must not fool the check
        got = fn(dout.copy(), x.copy(), w.copy(), stride=stride, padding=padding)
    except NotImplementedError:
        return Feedback(
            False,
            tr("conv_backward is not written yet (NotImplementedError). {task}").format(
                task=task()
            ),
        )
    except Exception as err:  # the learner's code: report whatever it raised, with the case
        return Feedback(
            False,
            tr("Your function raised {error}: {err} (for {case}).").format(
                error=type(err).__name__, err=err, case=describe_case(case)
            ),
        )
    if got is None:
        return Feedback(False, tr("Your function returned None: end it with `return dx, dw, db`."))
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return Feedback(
            False,
            tr("Return the three gradients as a tuple (dx, dw, db), got {got!r:.80}.").format(
                got=got
            ),
        )
    try:
        got = tuple(np.asarray(g, dtype=np.float64) for g in got)
    except (TypeError, ValueError):
        return Feedback(False, tr("dx, dw and db must be NumPy arrays of numbers."))
    problem = _shape_problem(got, case, x, w)
    return got if problem is None else problem


def _shape_problem(got, case, x, w) -> Feedback | None:
    dx, dw, db = got
    p = case[8]
    padded = x.shape[:2] + (x.shape[2] + 2 * p, x.shape[3] + 2 * p)
    where = tr(" (for {case})").format(case=describe_case(case))
    if dx.shape != x.shape:
        if p and dx.shape == padded:
            return Feedback(False, HINTS["nocrop"].format(padded=padded, shape=x.shape, padding=p))
        return Feedback(
            False,
            tr("dx has shape {got}; it must be shaped like x, {shape}{where}.").format(
                got=dx.shape, shape=x.shape, where=where
            ),
        )
    if dw.shape != w.shape:
        return Feedback(
            False,
            tr("dw has shape {got}; it must be shaped like w, {shape}{where}.").format(
                got=dw.shape, shape=w.shape, where=where
            ),
        )
    if db.shape != (w.shape[0],):
        return Feedback(False, HINTS["db_shape"].format(got=db.shape, c_out=w.shape[0]))
    return None


def _named_mistake(got, wrong, case, dout, x, w) -> str | None:
    """The hint of the computed mistake that the wrong gradients match, if any."""
    stride, padding = case[7], case[8]
    close = {name: g for name, g in zip(NAMES, got)}
    for mistake in ("stride", "crop", "flip"):
        if (mistake == "stride" and stride == 1) or (mistake == "crop" and padding == 0):
            continue  # the same as the right answer here
        variant = dict(zip(NAMES, conv_backward_loops(dout, x, w, stride, padding, mistake)))
        if all(rel_error(close[name], variant[name]) < TOLERANCE for name in wrong):
            return HINTS[mistake].format(stride=stride, padding=padding)
    if "db" in wrong:
        for mistake, value in (
            ("db_batch", dout[0].sum(axis=(1, 2))),
            ("db_mean", dout.mean(axis=(0, 2, 3))),
        ):
            if rel_error(close["db"], value) < TOLERANCE:
                return HINTS[mistake]
        if wrong == ["db"]:
            return HINTS["db_sum"]
    if wrong == ["dw"]:
        dw = conv_backward_loops(dout, x, w, stride, padding)[1]
        if rel_error(close["dw"], dw / x.shape[0]) < TOLERANCE:
            return HINTS["dw_mean"]
    return None


def _pattern_hint(failures) -> Feedback:
    """No computed mistake matched: say what the failing settings have in common."""
    case, wrong, errors = failures[0]
    details = _errors_text(case, wrong, errors)
    if all(c[7] > 1 for c, _, _ in failures):
        return Feedback(False, f"{HINTS['stride'].format(stride=case[7])} [{details}]")
    if all(c[8] > 0 for c, _, _ in failures):
        return Feedback(False, f"{HINTS['padding'].format(padding=case[8])} [{details}]")
    return Feedback(
        False,
        tr(
            "Not right yet [{details}]. Go back to the forward pass: output (n, k, i, j) is "
            "the sum of w[k] times one window of the padded x, plus b[k]; each gradient "
            "collects, from every output, dout[n, k, i, j] times what that output was "
            "multiplied by."
        ).format(details=details),
    )
