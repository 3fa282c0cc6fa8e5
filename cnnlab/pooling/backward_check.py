"""Lesson 05's exercise "write max pooling's backward pass", checked by gradient checks.

The learner writes ``max_pool_backward(dout, x, kernel_size, stride=None, padding=0) -> dx``,
the gradient of ``cnnlab.max_pool2d(x, kernel_size, stride, padding)``, with the signature
and return of ``cnnlab.max_pool2d_backward``. :func:`max_pool_backward_function` runs it on
a sweep of settings (:data:`MAX_POOL_BACKWARD_CASES`: the usual 2x2 windows with stride 2,
other windows with stride = kernel, strides that do not divide the input evenly,
overlapping windows, padding, rectangular inputs, and inputs with tied maxima) and compares
dx, by relative error (``cnnlab.layers.rel_error``, below :data:`TOLERANCE` passes), with

- the reference ``cnnlab.max_pool2d_backward``, in every setting, and
- a **gradient check** (centred differences of ``L = sum(max_pool2d(x) * dout)``,
  ``cnnlab.layers.numerical_gradient``) where it is well defined: the inputs without ties,
  whose values are all at least 0.1 apart, so a step h = 1e-3 never changes which input
  wins a window and the differences are exact up to rounding (~1e-11 for a right answer).

Ties: where several inputs of a window share the maximum, max pooling has no derivative;
the reference, like PyTorch on the CPU, sends the window's whole gradient to the **first**
maximum, counting the window's cells row by row (``argmax`` of the flattened window), and
so must the learner. A wrong answer is matched against the usual mistakes, each computed by
one loop with one thing wrong (:func:`max_pool_backward_loops`); where none matches, the
pattern of the sweep speaks (right without overlap and wrong with it: adding; right at
stride = kernel only: the stride; ...).
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from ..feedback import Feedback
from ..i18n import Messages, tr
from ..layers import numerical_gradient, rel_error
from ..pool import max_pool2d, max_pool2d_backward

#: Relative error under which dx passes (a right answer gets ~1e-11 or 0 here).
TOLERANCE = 1e-6

#: One setting of the sweep: x's shape (N, C, H, W), the pooling's kernel, stride (None:
#: the default, equal to the kernel) and padding, whether x has tied maxima, and what is new.
Case = namedtuple("Case", "shape kernel stride padding ties what")

#: The sweep, in the order a slip first shows: non-overlapping windows first, then uneven
#: strides, overlap, padding, and ties last (a "last maximum" slip is right until then).
MAX_POOL_BACKWARD_CASES = (
    Case((2, 3, 4, 6), 2, None, 0, False, "2x2 windows with the default stride (= kernel)"),
    Case((2, 2, 6, 9), 3, 3, 0, False, "3x3 windows with stride 3"),
    Case((2, 2, 7, 5), 2, 2, 0, False, "a stride that does not divide the input evenly"),
    Case((2, 2, 6, 5), 2, 2, 1, False, "padding 1 (windows side by side)"),
    Case((2, 2, 7, 7), 3, 2, 0, False, "overlapping windows (3x3, stride 2, as in AlexNet)"),
    Case((1, 2, 5, 7), 3, 1, 0, False, "overlapping windows with stride 1"),
    Case((2, 2, 5, 6), 3, 2, 1, False, "overlapping windows and padding 1"),
    Case((2, 1, 6, 7), 4, 3, 2, False, "4x4 windows, stride 3, padding 2"),
    Case((2, 2, 6, 6), 2, 2, 0, True, "tied maxima"),
    Case((2, 2, 7, 6), 3, 2, 1, True, "tied maxima in overlapping, padded windows"),
)

HINTS = Messages(
    lambda: {
        "assign": tr(
            "Right where the windows do not overlap, wrong where they do: you assign instead "
            "of adding. With stride {stride} < kernel {kernel} an input can be the maximum "
            "of several windows; it then receives the sum of their gradients, so accumulate "
            "(dx[...] += ...), never overwrite (dx[...] = ...)."
        ),
        "stride_kernel": tr(
            "Right when the stride equals the kernel, wrong with kernel {kernel} and stride "
            "{stride}: your windows move by the kernel size, not by the stride. Output (i, "
            "j) comes from the window whose top-left cell is row i*stride, column j*stride "
            "of the padded input."
        ),
        "stride_one": tr(
            "You forgot the stride: output (i, j) comes from the window starting at row "
            "i*stride, column j*stride of the padded input (here stride {stride}), not at "
            "(i, j)."
        ),
        "all_ties": tr(
            "Where several inputs of a window tie for the maximum, you give the gradient to "
            "every one of them (a mask x == max): the window's gradient is counted several "
            "times. The reference, like PyTorch, gives all of it to the first maximum, "
            "counting the window's cells row by row (np.argmax of the flattened window)."
        ),
        "share_ties": tr(
            "Where several inputs tie for the maximum you share the gradient among them. "
            "That is a valid subgradient, but the reference, like PyTorch, gives all of it "
            "to the first maximum, counting the window's cells row by row (np.argmax of the "
            "flattened window)."
        ),
        "last_max": tr(
            "Where several inputs tie for the maximum, you route the gradient to the last "
            "one; the reference routes it to the first, counting the window's cells row by "
            "row (np.argmax of the flattened window returns the first)."
        ),
        "top_left": tr(
            "The gradient goes to the wrong position: you send each window's gradient to its "
            "top-left cell. It belongs to the cell that held the window's maximum (np.argmax "
            "of the flattened window, then np.unravel_index for its row and column in the "
            "window)."
        ),
        "position": tr(
            "The gradient goes to the wrong position: dx adds up to the same total as dout "
            "(each window routes its whole gradient once), but not onto the window's "
            "maximum. Find it with np.argmax of the flattened window and "
            "np.unravel_index(index, (k, k)), then add the window's offset (row i*stride, "
            "column j*stride of the padded input)."
        ),
        "zero_pad": tr(
            "You padded x with zeros: where every real input of a window is negative, a "
            "padded 0 wins and the gradient disappears into the padding. Max pooling pads "
            "with -inf (np.pad(..., constant_values=-np.inf)), so a padded cell never wins."
        ),
        "nocrop": tr(
            "dx has the padded input's shape {padded}, not x's {shape}: you forgot the "
            "padding crop. The padded border is not part of x: return dx_pad[:, :, p:p + H, "
            "p:p + W] with p = {padding}."
        ),
        "crop": tr(
            "dx is right on the padded grid but cropped at the wrong place: "
            "padding={padding} adds that many rows and columns on each side, so keep rows p "
            "to p + H and columns p to p + W of the padded gradient (p = {padding}), not its "
            "top-left corner."
        ),
        "padding": tr(
            "Right without padding, wrong with padding {padding}: compute dx on the padded "
            "grid (x padded with -inf, as the forward pass read it) and crop {padding} rows "
            "and columns from each side."
        ),
        "stride_2x2": tr(
            "Right at 2x2 windows with stride 2, wrong elsewhere (here kernel {kernel}, "
            "stride {stride}): use kernel_size and stride as given. Output (i, j) comes from "
            "the kernel_size x kernel_size window whose top-left cell is row i*stride, "
            "column j*stride of the padded input."
        ),
        "stride_general": tr(
            "Windows move by the stride, not by the kernel: output (i, j) comes from the "
            "window whose top-left cell is row i*stride, column j*stride of the padded "
            "input, and H_out = (H + 2*padding - kernel_size) // stride + 1. Cutting x into "
            "kernel x kernel blocks (a reshape) works only when the stride equals the kernel."
        ),
        "lost": tr(
            "dx does not add up to the total of dout: each window sends its whole gradient "
            "dout[n, c, i, j] to exactly one input (its maximum), so dx.sum() must equal "
            "dout.sum(). Some gradient is lost (overwritten?) or counted twice."
        ),
        "ties": tr(
            "Right without ties, wrong where several inputs of a window tie for the maximum: "
            "the reference, like PyTorch, gives the window's whole gradient to the first "
            "maximum, counting the window's cells row by row (np.argmax of the flattened "
            "window), and nothing to the others."
        ),
        "overlap": tr(
            "Right where the windows do not overlap, wrong where they do (kernel {kernel}, "
            "stride {stride}). Two usual causes: assigning instead of adding (an input that "
            "is the maximum of several windows receives the sum of their gradients: dx[...] "
            "+= ...), or windows that move by the kernel instead of by the stride (output "
            "(i, j) reads the window at row i*stride, column j*stride of the padded input)."
        ),
        "stride_none": tr(
            "stride=None means the default: stride = kernel_size (windows side by side), as "
            "in cnnlab.max_pool2d. Start with `if stride is None: stride = kernel_size`."
        ),
    }
)


def task() -> str:
    """What the learner's function must return, in the language of the moment."""
    return tr(
        "Return dx, the gradient of L = sum(max_pool2d(x, kernel_size, stride, padding) * "
        "dout): for x (N, C, H, W) and dout (N, C, H_out, W_out), dx is shaped like x, "
        "(N, C, H, W)."
    )


def case_what(case) -> str:
    """What is new in ``case`` (its ``what``), in the language of the moment."""
    return tr(case.what)  # the English texts are marked in _case_whats


def _case_whats():
    # never called: marks every Case.what of MAX_POOL_BACKWARD_CASES for Babel
    return (
        tr("2x2 windows with the default stride (= kernel)"),
        tr("3x3 windows with stride 3"),
        tr("a stride that does not divide the input evenly"),
        tr("padding 1 (windows side by side)"),
        tr("overlapping windows (3x3, stride 2, as in AlexNet)"),
        tr("overlapping windows with stride 1"),
        tr("overlapping windows and padding 1"),
        tr("4x4 windows, stride 3, padding 2"),
        tr("tied maxima"),
        tr("tied maxima in overlapping, padded windows"),
    )


MISTAKES = ("assign", "assign_window", "stride_kernel", "stride_one", "all_ties",
            "share_ties", "last_max", "top_left", "zero_pad", "crop")  # fmt: skip


def max_pool_backward_loops(dout, x, kernel_size, stride=None, padding=0, mistake=None):
    """The backward pass of ``max_pool2d`` as a loop over output positions, right or with
    one ``mistake`` (one of :data:`MISTAKES`): what the checker compares against.

    dout (N, C, H_out, W_out), x (N, C, H, W); kernel_size, stride, padding: ints.
    Returns dx (N, C, H, W), or the padded (N, C, H + 2p, W + 2p) for mistake "nocrop".
    """
    k, p = kernel_size, padding
    s = k if stride is None else stride
    step = {"stride_kernel": k, "stride_one": 1}.get(mistake, s)
    fill = 0.0 if mistake == "zero_pad" else -np.inf
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)), constant_values=fill)
    dxp = np.zeros(xp.shape)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            rows, cols = slice(i * step, i * step + k), slice(j * step, j * step + k)
            win = xp[:, :, rows, cols]  # (N, C, k, k), smaller where a wrong step overruns
            if win.size == 0:
                continue
            g = dout[:, :, i, j][:, :, None, None]
            mask = winner_mask(win, mistake)
            if mistake == "assign_window":  # the whole window overwritten, zeros included
                dxp[:, :, rows, cols] = mask * g
            elif mistake == "assign":  # only the winner overwritten
                dxp[:, :, rows, cols] = np.where(mask > 0, g, dxp[:, :, rows, cols])
            else:
                dxp[:, :, rows, cols] += mask * g
    h, w = x.shape[2:]
    if mistake == "nocrop":
        return dxp
    if mistake == "crop":
        return dxp[:, :, :h, :w]
    return dxp[:, :, p : p + h, p : p + w]


def winner_mask(win, mistake=None):
    """Weights (N, C, kh, kw) with which each cell of the windows ``win`` takes the window's
    gradient: 1 at the first maximum (row by row), or as ``mistake`` would have it."""
    n, c, kh, kw = win.shape
    flat = win.reshape(n, c, kh * kw)
    if mistake in ("all_ties", "share_ties"):
        ties = (flat == flat.max(axis=-1, keepdims=True)).astype(float)
        if mistake == "share_ties":
            ties /= ties.sum(axis=-1, keepdims=True)
        return ties.reshape(win.shape)
    if mistake == "last_max":
        index = kh * kw - 1 - flat[..., ::-1].argmax(axis=-1)
    elif mistake == "top_left":
        index = np.zeros((n, c), dtype=int)
    else:
        index = flat.argmax(axis=-1)
    return (np.arange(kh * kw) == index[..., None]).astype(float).reshape(win.shape)


def case_arrays(case, seed: int = 0):
    """Seeded float64 (dout, x) for one :class:`Case`. Without ties, x holds distinct
    values 0.1 apart, negative and positive; with ties, x holds only -1, 0 and 1."""
    rng = np.random.default_rng(seed)
    size = int(np.prod(case.shape))
    if case.ties:
        x = rng.integers(-1, 2, size=case.shape).astype(float)
    else:
        x = (rng.permutation(size) - size // 2).reshape(case.shape) * 0.1
    out = max_pool2d(x, case.kernel, case.stride, case.padding)
    return rng.normal(size=out.shape), x


def describe_case(case) -> str:
    stride = f"stride={case.stride}" if case.stride is not None else "stride=None (= kernel)"
    return tr("x {shape}, kernel_size={kernel}, {stride}, padding={padding}").format(
        shape=case.shape, kernel=case.kernel, stride=stride, padding=case.padding
    )


def case_errors(got, case, dout, x) -> float:
    """Relative error of ``got`` against the reference and, without ties, the gradient check."""
    reference = max_pool2d_backward(dout, x, case.kernel, case.stride, case.padding)
    error = rel_error(got, reference)
    if not case.ties:  # values 0.1 apart: a step of 1e-3 never changes a window's winner

        def forward(v):
            return max_pool2d(v, case.kernel, case.stride, case.padding)

        numeric = numerical_gradient(forward, x.copy(), dout, h=1e-3)
        error = max(error, rel_error(got, numeric))
    return error


def max_pool_backward_function(fn) -> Feedback:
    """Exercise 05.4: check ``fn(dout, x, kernel_size, stride=None, padding=0) -> dx``, the
    backward pass of ``cnnlab.max_pool2d``, on every case of :data:`MAX_POOL_BACKWARD_CASES`.

    dx must agree with ``cnnlab.max_pool2d_backward`` and, where x has no ties, with a
    gradient check, to a relative error below :data:`TOLERANCE`. A wrong answer gets the hint
    of the mistake it matches (assigning instead of adding, a stride equal to the kernel
    only, every tied maximum getting the gradient, the padding crop, the wrong position);
    see the module docstring.
    """
    if not callable(fn):
        return Feedback(
            False, tr("Pass your function itself (no brackets), got {fn!r:.60}.").format(fn=fn)
        )
    failures, worst, passed = [], 0.0, 0
    for case in MAX_POOL_BACKWARD_CASES:
        dout, x = case_arrays(case)
        got = call_learner(fn, case, dout, x, 0 if failures else passed)
        if isinstance(got, Feedback):
            if failures:  # an earlier wrong setting says more than a later crash
                hint = pattern_hint(failures)
                return Feedback(
                    False,
                    tr("{hint} Later: {message}").format(hint=hint.message, message=got.message),
                )
            return got
        error = case_errors(got, case, dout, x)
        if error < TOLERANCE:  # NaN fails too
            worst, passed = max(worst, error), passed + 1
            continue
        named = named_mistake(got, case, dout, x)
        if named is not None:
            return Feedback(False, f"{named} [{errors_text(case, error)}]")
        failures.append((case, error, got, dout))
    if failures:
        return pattern_hint(failures)
    return Feedback(
        True,
        tr(
            "Correct: dx matches cnnlab.max_pool2d_backward in all {k} settings (overlapping "
            "windows, uneven strides, padding, rectangular inputs, ties) and passes the "
            "gradient check where there are no ties; largest relative error {worst:.0e}."
        ).format(k=len(MAX_POOL_BACKWARD_CASES), worst=worst),
    )


def errors_text(case, error) -> str:
    return tr("{case}: relative error {error:.1e}, should be below {tolerance:g}").format(
        case=describe_case(case), error=error, tolerance=TOLERANCE
    )


def stride_of(case) -> int:
    return case.kernel if case.stride is None else case.stride


def call_learner(fn, case, dout, x, passed: int):
    """The learner's dx for one case as a float64 array of x's shape, or a Feedback."""
    try:  # copies: a function that changes its inputs in place must not fool the check
        if case.stride is None:
            got = fn(dout.copy(), x.copy(), case.kernel)  # the defaults stride=None, padding=0
        else:
            got = fn(dout.copy(), x.copy(), case.kernel, stride=case.stride, padding=case.padding)
    except NotImplementedError:
        return Feedback(
            False,
            tr("max_pool_backward is not written yet (NotImplementedError). {task}").format(
                task=task()
            ),
        )
    except Exception as err:  # the learner's code: report whatever it raised, with the case
        return raised_feedback(err, case, passed)
    if got is None:
        return Feedback(False, tr("Your function returned None: end it with `return dx`."))
    if isinstance(got, (tuple, list)) and len(got) != x.shape[0]:
        return Feedback(
            False,
            tr("Return dx alone, one array shaped like x, got a {kind} of {k} items.").format(
                kind=type(got).__name__, k=len(got)
            ),
        )
    try:
        got = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return Feedback(False, tr("dx must be a NumPy array of numbers."))
    problem = shape_problem(got, case, x, dout)
    return got if problem is None else problem


def raised_feedback(err, case, passed: int) -> Feedback:
    """What the learner's exception says about the setting where it happened."""
    if passed:
        message = tr(
            "Your function raised {error}: {err} (for {case}; the {passed} settings before it "
            "passed, this is the first with {what})."
        ).format(
            error=type(err).__name__,
            err=err,
            case=describe_case(case),
            passed=passed,
            what=case_what(case),
        )
    else:
        message = tr("Your function raised {error}: {err} (for {case}).").format(
            error=type(err).__name__, err=err, case=describe_case(case)
        )
    s, k, p = stride_of(case), case.kernel, case.padding
    uneven = any((n + 2 * p - k) % s for n in case.shape[2:])
    if case.stride is None and isinstance(err, TypeError) and "NoneType" in str(err):
        message += " " + HINTS["stride_none"]
    elif passed and s != k:
        message += " " + HINTS["stride_general"]
    elif passed and uneven:
        message += " " + tr(
            "Here the stride does not divide the (padded) input evenly: the forward pass "
            "drops the last rows or columns no window reaches (their gradient is 0), so x "
            "cannot be cut into whole windows by a reshape; loop over the output positions."
        )
    return Feedback(False, message)


def shape_problem(dx, case, x, dout) -> Feedback | None:
    if dx.shape == x.shape:
        return None
    p = case.padding
    padded = x.shape[:2] + (x.shape[2] + 2 * p, x.shape[3] + 2 * p)
    if p and dx.shape == padded:
        return Feedback(False, HINTS["nocrop"].format(padded=padded, shape=x.shape, padding=p))
    if dx.shape == dout.shape:
        return Feedback(
            False,
            tr(
                "dx has dout's shape {got}; it must be shaped like x, {shape}: every input "
                "gets a gradient (0 where it was no window's maximum)."
            ).format(got=dout.shape, shape=x.shape),
        )
    return Feedback(
        False,
        tr("dx has shape {got}; it must be shaped like x, {shape} (for {case}).").format(
            got=dx.shape, shape=x.shape, case=describe_case(case)
        ),
    )


def named_mistake(got, case, dout, x) -> str | None:
    """The hint of the computed mistake that ``got`` matches in this case, if any."""
    reference = max_pool2d_backward(dout, x, case.kernel, case.stride, case.padding)
    values = {"kernel": case.kernel, "stride": stride_of(case), "padding": case.padding}
    for mistake in MISTAKES:
        variant = max_pool_backward_loops(dout, x, case.kernel, case.stride, case.padding, mistake)
        if rel_error(variant, reference) < TOLERANCE:
            continue  # the same as the right answer in this setting
        if rel_error(got, variant) < TOLERANCE:
            return HINTS["assign" if mistake == "assign_window" else mistake].format(**values)
    return None


def pattern_hint(failures) -> Feedback:
    """No computed mistake matched: say what the failing settings have in common."""
    case, error, got, dout = failures[0]
    details = errors_text(case, error)
    values = {"kernel": case.kernel, "stride": stride_of(case), "padding": case.padding}
    cases = [c for c, *_ in failures]
    if all(stride_of(c) < c.kernel for c in cases):
        key = "overlap"
    elif all((c.kernel, stride_of(c)) != (2, 2) for c in cases):
        key = "stride_2x2"
    elif all(c.ties for c in cases):
        key = "ties"
    elif all(c.padding for c in cases):
        key = "padding"
    elif np.isclose(got.sum(), dout.sum(), rtol=1e-9, atol=1e-9):
        key = "position"
    else:
        key = "lost"
    return Feedback(False, f"{HINTS[key].format(**values)} [{details}]")
