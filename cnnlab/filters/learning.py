"""Filters as parameters: learning a filter by gradient descent, and recovering an image
from a filter bank's responses alone. Used by lesson 02.

Both minimise a mean squared error with the gradient from ``cnnlab.conv2d_backward``
(valid convolution, stride 1, no padding): over the weights (:func:`learn_filter`) or over
the image (:func:`reconstruct_from_responses`).
"""

from __future__ import annotations

import numpy as np

from ..conv import conv2d, conv2d_backward
from ..i18n import tr
from ..validate import check_int
from .kernels import as_real_array


def learn_filter(images, targets, kernel_size: int = 3, steps: int = 300, lr=0.1, seed: int = 0):
    """Find the filter that maps ``images`` to ``targets`` by plain gradient descent.

    Minimises the mean squared error ``L(w) = mean((conv2d(x, w) - t)^2)``, starting from
    random weights (normal, std ``1/sqrt(fan_in)``), with the update ``w <- w - lr dL/dw``
    and the gradient from ``cnnlab.conv2d_backward``. No bias.

    Parameters
    ----------
    images : (N, H, W) grey images, or (N, C_in, H, W).
    targets : (N, H', W') for grey images (one filter), or (N, C_out, H', W'); the valid
        outputs, ``H' = H - kernel_size + 1``.
    kernel_size : side K of the square filter to learn (a hyperparameter).
    steps : number of gradient-descent steps.
    lr : learning rate (step size). Too large and the loss grows instead of shrinking.
    seed : seed of the random initial filter.

    Returns
    -------
    kernel : (K, K) for grey images, else (C_out, C_in, K, K).
    losses : (steps + 1,) the loss before each step, and last, of the returned kernel.
    """
    x, t, grey = _images_and_targets(images, targets)
    k = check_int("kernel_size", kernel_size, 1)
    steps = check_int("steps", steps, 0)
    lr = _positive("lr", lr)
    n, c_in, h, w_ = x.shape
    if k > min(h, w_):
        raise ValueError(
            tr("kernel_size {k} is larger than the images ({h}x{w})").format(k=k, h=h, w=w_)
        )
    expected = (n, t.shape[1], h - k + 1, w_ - k + 1)
    if t.shape != expected:
        raise ValueError(
            tr(
                "targets must be the valid outputs of a {k}x{k} filter: shape {expected} "
                "(H' = H - K + 1), got {shape}"
            ).format(k=k, expected=expected, shape=t.shape)
        )
    rng = np.random.default_rng(seed)
    w = rng.normal(0.0, 1.0 / np.sqrt(c_in * k * k), size=(t.shape[1], c_in, k, k))
    losses = descend(
        x,
        w,
        t,
        "weights",
        steps,
        lr,
        tr(
            "gradient descent diverged at step {step} (loss {loss}): lr={lr} is too large for "
            "these images; try a smaller lr (e.g. lr / 10) or standardise the images (zero mean, "
            "unit variance)"
        ),
    )
    return (w[0, 0] if grey else w), losses


def _images_and_targets(images, targets):
    """learn_filter's data as 4D float arrays: (x (N, C_in, H, W), t (N, C_out, H', W'), grey)."""
    x = as_real_array("images", images)
    t = as_real_array("targets", targets)
    grey = x.ndim == 3
    if grey:
        x = x[:, None]
        if t.ndim != 3:
            raise ValueError(
                tr("for (N, H, W) images, targets must be (N, H', W'), got shape {shape}").format(
                    shape=t.shape
                )
            )
        t = t[:, None]
    if x.ndim != 4 or t.ndim != 4:
        raise ValueError(
            tr(
                "images must be (N, H, W) or (N, C_in, H, W) and targets (N, H', W') or "
                "(N, C_out, H', W'), got {images} and {targets}"
            ).format(images=np.shape(images), targets=np.shape(targets))
        )
    return x, t, grey


def reconstruct_from_responses(
    responses, filters, shape=None, steps: int = 500, lr=None, seed: int = 0
):
    """Recover an image from a filter bank's outputs by gradient descent on the image.

    Starts from uniform noise in [0, 1) and minimises
    ``L(x) = mean((conv2d(x, filters) - responses)^2)``, with ``dL/dx`` from
    ``cnnlab.conv2d_backward`` (valid convolution, stride 1, no padding). It recovers the
    image wherever the bank "sees" it: patterns every filter maps to 0 (for edge filters
    alone, flat brightness) stay as the noise left them.

    Parameters
    ----------
    responses : (C_out, H', W') the bank's outputs for one image.
    filters : (C_out, K, K) for a grey image, or (C_out, C_in, K, K).
    shape : shape of the image, (H, W) or (C_in, H, W); default and only valid value
        ``(H' + K - 1, W' + K - 1)`` (with C_in in front for 4D filters).
    steps : number of gradient-descent steps.
    lr : step size; default ``1 / L`` with ``L = 2 sum_(c,c') ||w_(c,c')||_1^2 / M`` a bound
        on the curvature of the loss (M = responses.size), a step that always lowers it.
    seed : seed of the starting noise.

    Returns
    -------
    image : (H, W) or (C_in, H, W).
    losses : (steps + 1,) the loss before each step and, last, of the returned image.
    """
    r, w, grey = _responses_and_bank(responses, filters)
    steps = check_int("steps", steps, 0)
    valid = _image_shape(r, w, grey, shape)
    if lr is None:
        lr = r.size / (2.0 * np.sum(np.abs(w).sum(axis=(2, 3)) ** 2))
    lr = _positive("lr", lr)
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 1.0, size=(1, w.shape[1]) + valid[-2:])
    losses = descend(
        x,
        w,
        r[None],
        "image",
        steps,
        lr,
        tr(
            "gradient descent diverged at step {step}: lr={lr} is too large; leave lr=None "
            "for a safe step"
        ),
    )
    return (x[0, 0] if grey else x[0]), losses


def _responses_and_bank(responses, filters):
    """reconstruct_from_responses' data: (r (C_out, H', W'), w (C_out, C_in, K, K), grey)."""
    r = as_real_array("responses", responses)
    w = as_real_array("filters", filters)
    grey = w.ndim == 3
    if grey:
        w = w[:, None]
    if w.ndim != 4 or r.ndim != 3:
        raise ValueError(
            tr(
                "filters must be (C_out, K, K) or (C_out, C_in, K, K) and responses "
                "(C_out, H', W'), got {filters} and {responses}"
            ).format(filters=np.shape(filters), responses=np.shape(responses))
        )
    if r.shape[0] != w.shape[0]:
        raise ValueError(
            tr(
                "responses has {maps} maps but there are {filters} filters: one "
                "activation map per filter"
            ).format(maps=r.shape[0], filters=w.shape[0])
        )
    return r, w, grey


def _image_shape(r, w, grey: bool, shape=None) -> tuple:
    """The only image shape whose valid convolution with w (C_out, C_in, K, K) gives r
    (C_out, H', W'): (H, W) if grey else (C_in, H, W); a given ``shape`` must equal it."""
    c_out, c_in, kh, kw = w.shape
    valid = (r.shape[1] + kh - 1, r.shape[2] + kw - 1)
    valid = valid if grey else (c_in,) + valid
    if shape is not None and tuple(shape) != valid:
        raise ValueError(
            tr(
                "shape {shape} does not match the responses: a valid {kh}x{kw} "
                "convolution of an image of shape {valid} gives {out} (H' = H - K + 1)"
            ).format(shape=tuple(shape), kh=kh, kw=kw, valid=valid, out=r.shape[1:])
        )
    return valid


def descend(x, w, target, wrt: str, steps: int, lr: float, diverged: str) -> np.ndarray:
    """Plain gradient descent on ``L = mean((conv2d(x, w) - target)^2)``, in place.

    x: (N, C_in, H, W); w: (C_out, C_in, K, K); target: (N, C_out, H', W'), the valid
    outputs. wrt: ``"weights"`` updates ``w <- w - lr dL/dw``, ``"image"`` updates
    ``x <- x - lr dL/dx`` (gradients from ``cnnlab.conv2d_backward``, dL/dout = 2 err / M).
    diverged: the message when the loss stops being finite, formatted with ``step``,
    ``loss`` and ``lr``. Returns the (steps + 1,) losses: before each step and, last, after
    the final one.
    """
    if wrt not in ("weights", "image"):
        raise ValueError(tr("wrt must be 'weights' or 'image', got {wrt!r}").format(wrt=wrt))
    losses = np.empty(steps + 1)
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported below
        for i in range(steps + 1):
            err = conv2d(x, w) - target
            losses[i] = np.mean(err**2)
            if not np.isfinite(losses[i]):
                raise ValueError(diverged.format(step=i, loss=losses[i], lr=lr))
            if i == steps:
                break
            dx, dw, _ = conv2d_backward(2.0 * err / err.size, x, w)
            if wrt == "weights":
                w -= lr * dw
            else:
                x -= lr * dx
    return losses


def _positive(name, value) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(
            tr("{name} must be a positive number, got {value!r}").format(name=name, value=value)
        ) from None
    if not np.isfinite(v) or v <= 0:
        raise ValueError(
            tr("{name} must be a positive number, got {value!r}").format(name=name, value=value)
        )
    return v
