"""Translation equivariance, measured: shift operators and how far an operation is from
commuting with them. Used by lesson 05 (pooling, downsampling and translation equivariance).

An operation F is *translation equivariant* when shifting the input shifts the output
by the same amount: ``F(T(x)) = T(F(x))``. The feature a convolution detects does not
vanish when the object moves; it moves with it. This module makes the statement
checkable with numbers:

- ``shift`` is the translation T. Its ``"circular"`` mode (``np.roll``) loses nothing,
  so equivariance can hold *exactly*, everywhere; its ``"zero"`` mode is what a camera
  sees (content leaves on one side, blank enters on the other), so equality can only hold
  away from the borders.
- ``circular_conv2d`` is ``cnnlab.conv2d`` on a wrap-around padded input, the
  convolution that commutes with ``np.roll`` exactly.
- ``equivariance_error`` compares ``F(T(x))`` with ``T'(F(x))`` where T' shifts by
  ``shift / scale`` output pixels (an operation with total stride ``scale`` moves its
  output by 1 when its input moves by ``scale``), and says which cells were compared.
- ``closest_shift`` asks whether *any* shift of one output explains another: a stride-2
  layer fed a 1-pixel shift gives an output that no shift matches.
- ``equivariance_sides`` gathers both sides of the equation for one image, as
  ``plot.plot_equivariance`` shows them.

All arrays have their two spatial axes last: (H, W), (C, H, W) or (N, C, H, W).
"""

from __future__ import annotations

import numpy as np

from ..conv import conv2d
from ..i18n import tr
from ..validate import as_tuple, check_int

SHIFT_MODES = ("circular", "zero")


def shift(x, dy: int, dx: int, mode: str = "circular"):
    """Translate the last two axes of ``x`` by ``dy`` rows (down) and ``dx`` columns (right).

    mode ``"circular"``: what leaves one side comes back on the other (``np.roll``);
    nothing is lost, so shifts compose and undo exactly. mode ``"zero"``: what leaves is
    lost and the cells it vacates are 0, like a camera moved over a black background.
    Returns an array of the same shape.

    >>> shift(np.arange(4.0).reshape(1, 4), 0, 1)
    array([[3., 0., 1., 2.]])
    >>> shift(np.arange(4.0).reshape(1, 4), 0, 1, mode="zero")
    array([[0., 0., 1., 2.]])
    """
    x = np.asarray(x)
    if x.ndim < 2:
        raise ValueError(
            tr("shift needs an array with 2 spatial axes last, got shape {shape}").format(
                shape=x.shape
            )
        )
    dy, dx = _int("dy", dy), _int("dx", dx)
    if mode == "circular":
        return np.roll(x, (dy, dx), axis=(-2, -1))
    if mode != "zero":
        raise ValueError(
            tr("mode must be one of {modes}, got {mode!r}").format(modes=SHIFT_MODES, mode=mode)
        )
    out = np.zeros_like(x)
    h, w = x.shape[-2:]
    if abs(dy) >= h or abs(dx) >= w:
        return out  # everything moved out of view
    src = (..., _span(-dy, h), _span(-dx, w))
    dst = (..., _span(dy, h), _span(dx, w))
    out[dst] = x[src]
    return out


def wrap_pad(x, kernel_size):
    """Pad (N, C, H, W) by wrapping around, so a stride-1 window of ``kernel_size`` keeps H, W.

    Top/left get ``(k-1)//2`` cells and bottom/right the rest, the same split
    ``circular_conv2d`` uses. Any stride-1 operation on the result is exactly
    equivariant under ``shift(..., mode="circular")``.
    """
    x = _check_nchw(x, "wrap_pad")
    kh, kw = as_tuple("kernel_size", kernel_size, 2, 1)
    pads = ((0, 0), (0, 0), ((kh - 1) // 2, kh // 2), ((kw - 1) // 2, kw // 2))
    return np.pad(x, pads, mode="wrap")


def circular_conv2d(x, w, b=None, stride=1):
    """Convolution on a torus: ``conv2d(wrap_pad(x, K), w, b, stride)``.

    x: (N, C_in, H, W); w: (C_out, C_in, KH, KW) -> (N, C_out, ceil(H/s), ceil(W/s)).
    With stride 1, ``circular_conv2d(shift(x, a, b)) == shift(circular_conv2d(x), a, b)``
    holds to rounding error for every shift: no border breaks the symmetry.
    """
    x = _check_nchw(x, "circular_conv2d")
    w = np.asarray(w)
    if w.ndim != 4:
        raise ValueError(
            tr("w must be (C_out, C_in, KH, KW), got shape {shape}").format(shape=w.shape)
        )
    return conv2d(wrap_pad(x, w.shape[2:]), w, b, stride=stride)


def shifted_outputs(op, x, dy: int, dx: int, *, scale=1, mode: str = "circular"):
    """The two sides of the equivariance equation: ``(op(T(x)), T'(op(x)))``.

    T shifts by (dy, dx) input pixels; T' shifts the output by (dy/scale, dx/scale), where
    ``scale`` is the op's total stride (int or (sy, sx)). Both use ``mode``. The shift
    must be a multiple of the scale, or there is no output shift to compare with (use
    ``closest_shift`` to show that none fits).
    """
    sy, sx = as_tuple("scale", scale, 2, 1)
    dy, dx = _int("dy", dy), _int("dx", dx)
    if dy % sy or dx % sx:
        raise ValueError(
            tr(
                "a shift of ({dy}, {dx}) input pixels is not a whole number of output pixels "
                "for an op of stride ({sy}, {sx}): the output would move by ({oy:g}, "
                "{ox:g}); use shifts that are multiples of the stride, or closest_shift"
            ).format(dy=dy, dx=dx, sy=sy, sx=sx, oy=dy / sy, ox=dx / sx)
        )
    x = np.asarray(x)
    left = np.asarray(op(shift(x, dy, dx, mode)))
    right = shift(np.asarray(op(x)), dy // sy, dx // sx, mode)
    return left, right


def equivariance_error(op, x, dy: int, dx: int, *, scale=1, mode: str = "circular", crop=0):
    """Largest ``|op(T(x)) - T'(op(x))|`` over the compared output cells.

    Compared cells: every cell when ``crop=0`` (right for circular shifts and ops), else
    all but ``crop`` cells along every border (use it for ``mode="zero"``, where the
    strip the shift pulled in and the zero padding differ). See ``shifted_outputs``.

    >>> x = np.random.default_rng(0).normal(size=(1, 1, 8, 8))
    >>> w = np.random.default_rng(1).normal(size=(1, 1, 3, 3))
    >>> equivariance_error(lambda t: circular_conv2d(t, w), x, 2, -3) < 1e-12
    True
    """
    left, right = shifted_outputs(op, x, dy, dx, scale=scale, mode=mode)
    return _max_abs(_crop(left, crop), _crop(right, crop))


def closest_shift(a, b, max_shift: int = 2, *, crop=0):
    """The circular shift of ``b`` closest to ``a``: ``(error, (u, v))``.

    error: ``min over |u|, |v| <= max_shift of max |a - shift(b, u, v)|`` (cells within
    ``crop`` of a border ignored). An error near 0 means ``a`` is just ``b`` moved by
    (u, v); a large one means no shift explains the difference, as when a stride-2 layer
    sees its input move by one pixel.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(
            tr("a and b must have the same shape, got {shape_a} and {shape_b}").format(
                shape_a=a.shape, shape_b=b.shape
            )
        )
    m = check_int("max_shift", max_shift, 0)
    best = (np.inf, (0, 0))
    for u in range(-m, m + 1):
        for v in range(-m, m + 1):
            err = _max_abs(_crop(a, crop), _crop(shift(b, u, v), crop))
            # ties go to the smallest move, so "no change" wins over a spurious shift
            if err < best[0] - 1e-12 or (
                abs(err - best[0]) <= 1e-12 and abs(u) + abs(v) < sum(map(abs, best[1]))
            ):
                best = (err, (u, v))
    return best


def equivariance_sides(
    op, image, dy: int, dx: int, *, scale=1, mode="circular", crop=0, max_shift: int = 2
) -> dict:
    """Both sides of ``F(T(x)) = T'(F(x))`` for one (H, W) image, and where they differ.

    op: function of a (1, C, H, W) array returning (1, C', H', W') (channel 0 is kept).
    T shifts the image by (dy, dx) with ``mode``; T' shifts the output by
    (dy/scale, dx/scale). When the shift is not a multiple of ``scale`` no output shift
    exists, and the closest circular shift of F(x) (within ``max_shift``) stands in.
    Returns a dict of (H, W) ``"shifted_input"`` T(x); (H', W') ``"f_of_shifted"`` F(T(x)),
    ``"f"`` F(x), ``"shifted_f"`` T'(F(x)) and ``"difference"`` |F(T(x)) - T'(F(x))|;
    ``"output_shift"`` (u, v); ``"exact"`` (whether (u, v) is dy/scale, dx/scale) and
    ``"error"``, the largest difference outside the ``crop`` border.

    >>> x = np.arange(16.0).reshape(4, 4)
    >>> sides = equivariance_sides(lambda t: 2 * t, x, 1, 2)
    >>> sides["output_shift"], sides["exact"], sides["error"]
    ((1, 2), True, 0.0)
    """
    x = np.asarray(image, dtype=float)
    if x.ndim != 2:
        raise ValueError(tr("image must be 2D (H, W), got shape {shape}").format(shape=x.shape))
    sy, sx = as_tuple("scale", scale, 2, 1)
    tx = shift(x[None, None], dy, dx, mode)
    fx, ftx = np.asarray(op(x[None, None]))[0, 0], np.asarray(op(tx))[0, 0]
    exact = dy % sy == 0 and dx % sx == 0
    if exact:
        u, v = dy // sy, dx // sx
    else:
        _, (u, v) = closest_shift(ftx, fx, max_shift, crop=crop)
    tfx = shift(fx, u, v, mode)
    return {
        "shifted_input": tx[0, 0],
        "f": fx,
        "f_of_shifted": ftx,
        "shifted_f": tfx,
        "difference": np.abs(ftx - tfx),
        "output_shift": (u, v),
        "exact": exact,
        "error": _max_abs(_crop(ftx, crop), _crop(tfx, crop)),
    }


def _span(d, n):
    """Slice of length n - |d| starting at max(d, 0): where shifted content lands."""
    return slice(max(d, 0), n + min(d, 0))


def _crop(a, crop):
    cy, cx = as_tuple("crop", crop, 2, 0)
    h, w = a.shape[-2:]
    if 2 * cy >= h or 2 * cx >= w:
        raise ValueError(
            tr(
                "crop ({cy}, {cx}) from every border leaves nothing of a {h}x{w} output; "
                "use crop < {limit}"
            ).format(cy=cy, cx=cx, h=h, w=w, limit=min((h + 1) // 2, (w + 1) // 2))
        )
    return a[..., cy : h - cy, cx : w - cx]


def _max_abs(a, b) -> float:
    if a.shape != b.shape:
        raise ValueError(
            tr(
                "the two sides have different shapes {shape_a} and {shape_b}: the op must keep "
                "a shifted input the same size"
            ).format(shape_a=a.shape, shape_b=b.shape)
        )
    return float(np.max(np.abs(a - b))) if a.size else 0.0


def _int(name, v) -> int:
    if isinstance(v, bool) or not hasattr(v, "__index__"):
        raise ValueError(
            tr("{name} must be an integer number of pixels, got {value!r}").format(
                name=name, value=v
            )
        )
    return int(v)


def _check_nchw(x, fname):
    x = np.asarray(x)
    if x.ndim != 4:
        raise ValueError(
            tr("{fname} expects x of shape (N, C, H, W), got shape {shape}").format(
                fname=fname, shape=x.shape
            )
        )
    return x
