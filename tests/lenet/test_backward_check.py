"""The conv backward-pass exercise (cnnlab.lenet.check.conv_backward_function): it accepts the
reference and a learner's loop solution, and rejects each typical mistake, written out here
as a learner would write it, with the hint that names it."""

import numpy as np
import pytest

import cnnlab
from cnnlab.lenet import backward_check, check


def windows_backward(
    dout,
    x,
    w,
    stride=1,
    padding=0,
    *,
    step=None,
    flip=False,
    crop="centre",
    db_axes=(0, 2, 3),
    dw_scale=1.0,
):
    """A learner's loop solution (course-4 "step by step" style), with switches for slips."""
    n, c_in, h, wd = x.shape
    c_out, _, kh, kw = w.shape
    step = stride if step is None else step
    p = padding
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    dxp, dw = np.zeros_like(xp), np.zeros_like(w)
    kernel = w[:, :, ::-1, ::-1] if flip else w
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            r, c = i * step, j * step
            for k in range(c_out):
                g = dout[:, k, i, j][:, None, None, None]  # (N, 1, 1, 1)
                dw[k] += (g * xp[:, :, r : r + kh, c : c + kw]).sum(axis=0)
                dxp[:, :, r : r + kh, c : c + kw] += g * kernel[k]
    dx = {"centre": dxp[:, :, p : p + h, p : p + wd], "corner": dxp[:, :, :h, :wd], "none": dxp}
    return dx[crop], dw * dw_scale, dout.sum(axis=db_axes)


def solution(dout, x, w, stride=1, padding=0):
    return windows_backward(dout, x, w, stride, padding)


def forgot_stride(dout, x, w, stride=1, padding=0):
    return windows_backward(dout, x, w, stride, padding, step=1)


def forgot_crop(dout, x, w, stride=1, padding=0):
    return windows_backward(dout, x, w, stride, padding, crop="none")


def cropped_the_corner(dout, x, w, stride=1, padding=0):
    return windows_backward(dout, x, w, stride, padding, crop="corner")


def flipped_kernel(dout, x, w, stride=1, padding=0):
    return windows_backward(dout, x, w, stride, padding, flip=True)


def db_over_positions_only(dout, x, w, stride=1, padding=0):
    return windows_backward(dout, x, w, stride, padding, db_axes=(2, 3))  # (N, C_out)


def db_over_batch_only(dout, x, w, stride=1, padding=0):
    return windows_backward(dout, x, w, stride, padding, db_axes=0)  # (C_out, H_out, W_out)


def db_of_first_image(dout, x, w, stride=1, padding=0):
    dx, dw, _ = solution(dout, x, w, stride, padding)
    return dx, dw, dout[0].sum(axis=(1, 2))


def db_as_mean(dout, x, w, stride=1, padding=0):
    dx, dw, _ = solution(dout, x, w, stride, padding)
    return dx, dw, dout.mean(axis=(0, 2, 3))


def dw_averaged(dout, x, w, stride=1, padding=0):
    return windows_backward(dout, x, w, stride, padding, dw_scale=1 / x.shape[0])


def forgot_padding_in_dw(dout, x, w, stride=1, padding=0):
    """Pads for dx but lets dw read the unpadded x (clipped windows): wrong only with padding."""
    dx, _, db = solution(dout, x, w, stride, padding)
    _, dw, _ = solution(dout, x, w, stride, 0) if padding == 0 else (None, None, None)
    if dw is None:
        dw = np.zeros_like(w)
        kh, kw = w.shape[2:]
        for i in range(dout.shape[2]):
            for j in range(dout.shape[3]):
                r, c = i * stride, j * stride
                patch = np.zeros((x.shape[0], x.shape[1], kh, kw))
                part = x[:, :, r : r + kh, c : c + kw]
                patch[:, :, : part.shape[2], : part.shape[3]] = part
                dw += np.tensordot(dout[:, :, i, j], patch, axes=(0, 0))
    return dx, dw, db


def stride_in_dx_only_vectorised(dout, x, w, stride=1, padding=0):
    """dx right, dw from windows one pixel apart, written without the checker's loops."""
    dx, _, db = solution(dout, x, w, stride, padding)
    _, dw, _ = forgot_stride(dout, x, w, stride, padding)
    return dx, dw, db


def right_only_at_stride_1(dout, x, w, stride=1, padding=0):
    """Matches no computed mistake: the sweep's pattern names the stride."""
    dx, dw, db = solution(dout, x, w, stride, padding)
    return (dx, dw, db) if stride == 1 else (dx + 1, dw, db)


def test_accepts_the_reference_and_a_loop_solution():
    for fn in (cnnlab.conv2d_backward, solution, backward_check.conv_backward_loops):
        fb = check.conv_backward_function(fn)
        assert fb.ok, fb.message
        assert "largest relative error" in fb.message


@pytest.mark.parametrize(
    "fn,hint",
    [
        (forgot_stride, "you forgot the stride"),
        (stride_in_dx_only_vectorised, "you forgot the stride"),
        (forgot_crop, "you forgot to crop the padding"),
        (cropped_the_corner, "cropped at the wrong place"),
        (flipped_kernel, "kernel flipped"),
        (db_over_positions_only, "summing over the wrong axes"),
        (db_over_batch_only, "summing over the wrong axes"),
        (db_of_first_image, "only sums the first image"),
        (db_as_mean, "mean of dout, not its sum"),
        (dw_averaged, "divided by the batch size"),
        (forgot_padding_in_dw, "Right without padding"),
        (right_only_at_stride_1, "Right at stride 1, wrong at stride 2"),
    ],
)
def test_rejects_each_typical_mistake_with_its_hint(fn, hint):
    fb = check.conv_backward_function(fn)
    assert not fb.ok and hint in fb.message, fb.message


def test_the_wrong_gradient_reports_its_relative_error():
    fb = check.conv_backward_function(flipped_kernel)
    assert "relative error" in fb.message and "in dx" in fb.message and "1e-06" in fb.message


def test_the_stub_and_other_non_answers():
    def stub(dout, x, w, stride=1, padding=0):
        raise NotImplementedError

    fb = check.conv_backward_function(stub)
    assert not fb.ok and "not written yet" in fb.message and "(C_out,)" in fb.message
    assert "stride" not in check.conv_backward_function(stub).message.split("Return")[0]
    cases = [
        (3, "Pass your function"),
        (lambda dout, x, w, stride=1, padding=0: None, "returned None"),
        (lambda dout, x, w, stride=1, padding=0: (x, w), "tuple (dx, dw, db)"),
        (lambda dout, x, w, stride=1, padding=0: 1 / 0, "ZeroDivisionError"),
        (lambda dout, x, w, stride=1, padding=0: (x[:, :1], w, w[:, 0, 0, 0]), "shaped like x"),
        (lambda dout, x, w, stride=1, padding=0: (x, w[:1], w[:, 0, 0, 0]), "shaped like w"),
        (lambda dout, x, w, stride=1, padding=0: (x, w, "db"), "arrays of numbers"),
        (lambda dout, x, w, stride=1, padding=0: (x * 0, w * 0, w[:, 0, 0, 0] * 0), "Not right"),
    ]
    for fn, hint in cases:
        fb = check.conv_backward_function(fn)
        assert not fb.ok and hint in fb.message, (hint, fb.message)


def test_the_sweep_covers_what_the_exercise_promises():
    cases = backward_check.CONV_BACKWARD_CASES
    strides = {c[7] for c in cases}
    assert strides >= {1, 2, 3} and any(c[8] > 0 for c in cases)
    assert any(c[2] != c[3] for c in cases) and any(c[5] != c[6] for c in cases)
    # a stride that does not divide the padded input evenly: a row or column is never read
    assert any((c[2] + 2 * c[8] - c[5]) % c[7] for c in cases if c[7] > 1)
    assert all(c[0] != c[4] for c in cases)  # db's wrong axes cannot give the right shape
    assert cases[0][7] == 1 and cases[0][8] == 0


def test_gradient_check_agrees_with_the_reference():
    for case in backward_check.CONV_BACKWARD_CASES:
        dout, x, w, b = backward_check.case_arrays(case)
        numeric = backward_check.gradient_check(dout, x, w, b, case[7], case[8])
        exact = cnnlab.conv2d_backward(dout, x, w, stride=case[7], padding=case[8])
        for n, e in zip(numeric, exact):
            assert cnnlab.layers.rel_error(n, e) < 1e-8


def test_the_inputs_are_not_changed_for_the_next_checks():
    def scales_in_place(dout, x, w, stride=1, padding=0):
        out = cnnlab.conv2d_backward(dout, x, w, stride=stride, padding=padding)
        x *= 0
        return out

    assert check.conv_backward_function(scales_in_place).ok
