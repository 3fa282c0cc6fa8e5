"""cnnlab.pooling.check.max_pool_backward_function: the checker of lesson 05's "write max
pooling's backward pass" accepts right answers and names each typical mistake.

Every wrong answer below is written the way a learner would write it, not taken from the
checker's own variants, so the test shows the hints fire on real code.
"""

import numpy as np
import pytest
import torch

import cnnlab
from cnnlab.pooling import backward_check, check


def padded(x, p, value=-np.inf):
    return np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)), constant_values=value)


def good(dout, x, kernel_size, stride=None, padding=0):
    """A learner's right answer: loop over the outputs, add dout at the first maximum."""
    k, p = kernel_size, padding
    s = k if stride is None else stride
    n, c, h, w = x.shape
    xp = padded(x, p)
    dxp = np.zeros_like(xp)
    for b in range(n):
        for ch in range(c):
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    win = xp[b, ch, i * s : i * s + k, j * s : j * s + k]
                    a, e = np.unravel_index(np.argmax(win), win.shape)
                    dxp[b, ch, i * s + a, j * s + e] += dout[b, ch, i, j]
    return dxp[:, :, p : p + h, p : p + w]


def vectorised(dout, x, kernel_size, stride=None, padding=0):
    """Another right answer: one tap of every window at a time (no loop over outputs)."""
    k, p = kernel_size, padding
    s = k if stride is None else stride
    n, c, h, w = x.shape
    xp = padded(x, p)
    ho, wo = dout.shape[2:]
    taps = [xp[:, :, a : a + s * (ho - 1) + 1 : s, e : e + s * (wo - 1) + 1 : s]
            for a in range(k) for e in range(k)]  # fmt: skip
    winner = np.argmax(np.stack(taps, axis=-1), axis=-1)  # first max, row by row
    dxp = np.zeros_like(xp)
    for t in range(k * k):
        a, e = divmod(t, k)
        dxp[:, :, a : a + s * (ho - 1) + 1 : s, e : e + s * (wo - 1) + 1 : s] += np.where(
            winner == t, dout, 0.0
        )
    return dxp[:, :, p : p + h, p : p + w]


def loops(route, pad_value=-np.inf, step=None, assign=False, crop="right"):
    """A learner's loop with one choice made differently: ``route(win)`` gives the weights
    of the window's cells, ``step`` overrides the stride, ``assign`` writes instead of adds."""

    def backward(dout, x, kernel_size, stride=None, padding=0):
        k, p = kernel_size, padding
        s = k if stride is None else stride
        st = {"kernel": k, "one": 1}.get(step, s)
        n, c, h, w = x.shape
        xp = padded(x, p, pad_value)
        dxp = np.zeros_like(xp)
        for b in range(n):
            for ch in range(c):
                for i in range(dout.shape[2]):
                    for j in range(dout.shape[3]):
                        rows, cols = slice(i * st, i * st + k), slice(j * st, j * st + k)
                        win = xp[b, ch, rows, cols]
                        if win.size == 0:
                            continue
                        if assign:
                            dxp[b, ch, rows, cols] = route(win) * dout[b, ch, i, j]
                        else:
                            dxp[b, ch, rows, cols] += route(win) * dout[b, ch, i, j]
        if crop == "none":
            return dxp
        if crop == "corner":
            return dxp[:, :, :h, :w]
        return dxp[:, :, p : p + h, p : p + w]

    return backward


def first_max(win):
    mask = np.zeros_like(win)
    mask[np.unravel_index(np.argmax(win), win.shape)] = 1
    return mask


def every_max(win):
    return (win == win.max()).astype(float)  # the mask of CS231n's first attempt


def shared_max(win):
    return every_max(win) / every_max(win).sum()


def last_max(win):
    flat = win.ravel()
    mask = np.zeros(flat.size)
    mask[flat.size - 1 - np.argmax(flat[::-1])] = 1
    return mask.reshape(win.shape)


def top_left(win):
    mask = np.zeros_like(win)
    mask[0, 0] = 1
    return mask


def swapped(win):
    """unravel_index written by hand with rows and columns swapped."""
    mask = np.zeros_like(win)
    r, c = divmod(int(np.argmax(win)), win.shape[1])
    mask[c % win.shape[0], r % win.shape[1]] = 1
    return mask


def assign_winner(dout, x, kernel_size, stride=None, padding=0):
    """Assigns dout to the window's winner instead of adding it."""
    k, p = kernel_size, padding
    s = k if stride is None else stride
    n, c, h, w = x.shape
    xp = padded(x, p)
    dxp = np.zeros_like(xp)
    for b in range(n):
        for ch in range(c):
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    win = xp[b, ch, i * s : i * s + k, j * s : j * s + k]
                    a, e = np.unravel_index(np.argmax(win), win.shape)
                    dxp[b, ch, i * s + a, j * s + e] = dout[b, ch, i, j]
    return dxp[:, :, p : p + h, p : p + w]


def blocks(dout, x, kernel_size, stride=None, padding=0):
    """The reshape trick: cut the padded input into kernel x kernel blocks (stride = kernel)."""
    k, p = kernel_size, padding
    xp = padded(x, p)
    n, c, hp, wp = xp.shape
    ho, wo = hp // k, wp // k
    win = xp[:, :, : ho * k, : wo * k].reshape(n, c, ho, k, wo, k)
    mask = win == win.max(axis=(3, 5), keepdims=True)
    dxp = np.zeros_like(xp)
    dxp[:, :, : ho * k, : wo * k] = (mask * dout[:, :, :, None, :, None]).reshape(
        n, c, ho * k, wo * k
    )
    return dxp[:, :, p : p + x.shape[2], p : p + x.shape[3]]


def two_by_two(dout, x, kernel_size, stride=None, padding=0):
    """Written for the usual 2x2 windows with stride 2 only."""
    return good(dout, x, 2, 2, padding)


def stride_none_unhandled(dout, x, kernel_size, stride=None, padding=0):
    s = stride  # None when the caller relies on the default
    rows = dout.shape[2] * s  # noqa: F841 (raises first)
    return good(dout, x, kernel_size, s, padding)


def stub(dout, x, kernel_size, stride=None, padding=0):
    raise NotImplementedError


# --------------------------------------------------------------------------- right answers


@pytest.mark.parametrize("fn", [cnnlab.max_pool2d_backward, good, vectorised])
def test_accepts_right_answers(fn):
    feedback = check.max_pool_backward_function(fn)
    assert feedback.ok, feedback.message
    assert "all 10 settings" in feedback.message


def test_accepts_the_checkers_own_loop():
    def right(dout, x, kernel_size, stride=None, padding=0):
        return backward_check.max_pool_backward_loops(dout, x, kernel_size, stride, padding)

    assert check.max_pool_backward_function(right).ok


def test_input_changed_in_place_does_not_fool_the_check():
    def scribbles(dout, x, kernel_size, stride=None, padding=0):
        dx = good(dout, x, kernel_size, stride, padding)
        x[...] = 0.0
        dout[...] = 0.0
        return dx

    assert check.max_pool_backward_function(scribbles).ok


# ------------------------------------------------------------------------ typical mistakes

MISTAKES = [
    (assign_winner, "you assign instead of adding"),
    (loops(first_max, assign=True), "you assign instead of adding"),
    (loops(every_max, assign=True), "you assign instead of adding"),  # CS231n-style mask
    (loops(first_max, step="kernel"), "move by the kernel size, not by the stride"),
    (blocks, "Cutting x into kernel x kernel blocks"),
    (two_by_two, "Right at 2x2 windows with stride 2, wrong elsewhere"),
    (loops(first_max, step="one"), "You forgot the stride"),
    (loops(every_max), "you give the gradient to every one of them"),
    (loops(shared_max), "you share the gradient among them"),
    (loops(last_max), "you route the gradient to the last one"),
    (loops(top_left), "its top-left cell"),
    (loops(swapped), "The gradient goes to the wrong position"),
    (loops(first_max, pad_value=0.0), "You padded x with zeros"),
    (loops(first_max, crop="none"), "you forgot the padding crop"),
    (loops(first_max, crop="corner"), "cropped at the wrong place"),
    (stride_none_unhandled, "stride=None means the default"),
    (stub, "not written yet (NotImplementedError)"),
    (lambda dout, x, kernel_size, stride=None, padding=0: None, "returned None"),
    (lambda dout, x, kernel_size, stride=None, padding=0: dout, "dx has dout's shape"),
    (lambda dout, x, kernel_size, stride=None, padding=0: (x, x, x), "a tuple of 3 items"),
    (lambda dout, x, kernel_size: good(dout, x, kernel_size), "unexpected keyword argument"),
]


@pytest.mark.parametrize("fn, hint", MISTAKES)
def test_rejects_each_typical_mistake_with_its_hint(fn, hint):
    feedback = check.max_pool_backward_function(fn)
    assert not feedback.ok
    assert hint in feedback.message, feedback.message


def test_rejects_something_that_is_not_a_function():
    feedback = check.max_pool_backward_function(np.zeros((2, 3, 4, 6)))
    assert not feedback.ok and "no brackets" in feedback.message


def test_a_wrong_answer_names_the_setting_and_the_tolerance():
    message = check.max_pool_backward_function(assign_winner).message
    assert "x (2, 2, 7, 7), kernel_size=3, stride=2, padding=0" in message
    assert "should be below 1e-06" in message


def test_unexplained_overlap_errors_get_the_overlap_hint():
    def doubles_overlaps(dout, x, kernel_size, stride=None, padding=0):
        dx = good(dout, x, kernel_size, stride, padding)
        s = kernel_size if stride is None else stride
        return dx * (2.0 if s < kernel_size else 1.0)

    message = check.max_pool_backward_function(doubles_overlaps).message
    assert "Right where the windows do not overlap, wrong where they do" in message


def test_gradient_lost_or_duplicated_is_said():
    def halves(dout, x, kernel_size, stride=None, padding=0):
        return 0.5 * good(dout, x, kernel_size, stride, padding)

    assert (
        "does not add up to the total of dout" in check.max_pool_backward_function(halves).message
    )


# ---------------------------------------------------------------------------- the sweep


def test_the_sweep_covers_what_the_exercise_promises():
    cases = backward_check.MAX_POOL_BACKWARD_CASES
    stride = backward_check.stride_of
    assert cases[0].stride is None and cases[0].kernel == 2  # the default stride
    assert any(stride(c) == c.kernel != 2 for c in cases)  # stride = kernel, not 2
    assert any(stride(c) < c.kernel for c in cases)  # overlapping windows
    assert any((h - c.kernel + 2 * c.padding) % stride(c) for c in cases for h in c.shape[2:])
    assert any(c.padding and stride(c) == c.kernel for c in cases)
    assert any(c.padding and stride(c) < c.kernel for c in cases)
    assert all(c.shape[2] != c.shape[3] for c in cases if c.stride is None)  # rectangular
    assert sum(c.ties for c in cases) >= 2 and not any(c.ties for c in cases[:-2])


def test_inputs_are_what_the_gradient_check_needs():
    for case in backward_check.MAX_POOL_BACKWARD_CASES:
        _, x = backward_check.case_arrays(case)
        values = np.sort(x.ravel())
        if case.ties:
            assert np.any(np.diff(values) == 0)
        else:  # distinct and 0.1 apart: a step of 1e-3 never changes a window's winner
            assert np.diff(values).min() > 0.099 and values[0] < 0 < values[-1]


@pytest.mark.parametrize("mistake", backward_check.MISTAKES)
def test_every_computed_mistake_shows_somewhere_in_the_sweep(mistake):
    def differs(case):
        dout, x = backward_check.case_arrays(case)
        args = (dout, x, case.kernel, case.stride, case.padding)
        right = cnnlab.max_pool2d_backward(*args)
        return not np.allclose(backward_check.max_pool_backward_loops(*args, mistake), right)

    assert any(differs(c) for c in backward_check.MAX_POOL_BACKWARD_CASES)


@pytest.mark.parametrize("case", backward_check.MAX_POOL_BACKWARD_CASES, ids=str)
def test_reference_routes_ties_to_the_first_maximum_as_pytorch_does(case):
    dout, x = backward_check.case_arrays(case)
    xt = torch.tensor(x, requires_grad=True)
    out = torch.nn.functional.max_pool2d(xt, case.kernel, case.stride, case.padding)
    (out * torch.tensor(dout)).sum().backward()
    ours = cnnlab.max_pool2d_backward(dout, x, case.kernel, case.stride, case.padding)
    np.testing.assert_allclose(ours, xt.grad.numpy(), atol=1e-12)
