"""Input checks shared by the whole package: integers, int-or-tuple arguments, fractions,
boxes and box sizes.

Each check returns the value in its canonical form or raises a ``ValueError`` that names the
argument, what was received and what would be valid, so a learner (or a widget showing the
message in place of its picture) can act on it. Used by every lesson's code.

>>> as_tuple("stride", 2, 2, 1)
(2, 2)
>>> as_boxes([0, 0, 2, 3]).shape
(1, 4)
"""

from __future__ import annotations

import numbers
import operator
from collections.abc import Callable, Sequence

import numpy as np

from .i18n import tr

#: The two box formats: corners ``(x1, y1, x2, y2)`` and centre-and-size ``(cx, cy, w, h)``.
FORMATS = ("xyxy", "cxcywh")


def check_int(name: str, value, minimum: int) -> int:
    """Return ``value`` as an int, or raise a ValueError naming ``name``.

    Accepts Python and NumPy integers (and bools are refused: ``True`` is not a size).
    """
    if type(value) is int and value >= minimum:  # the common case, checked first: conv2d
        return value  # calls this for every stride, padding and dilation
    if isinstance(value, bool) or not hasattr(value, "__index__"):
        raise ValueError(_not_int(name, minimum, repr(value)))
    try:
        value = operator.index(value)
    except TypeError:  # a NumPy array has __index__ but is not one integer
        raise ValueError(_not_int(name, minimum, repr(value))) from None
    if value < minimum:
        raise ValueError(_not_int(name, minimum, value))
    return value


def _not_int(name: str, minimum: int, value) -> str:
    """check_int's message, translated only when it is raised (a NumPy int that passes pays
    nothing for it)."""
    return tr("{name} must be an integer >= {minimum}, got {value}").format(
        name=name, minimum=minimum, value=value
    )


def as_tuple(name: str, value, ndim: int, minimum: int) -> tuple[int, ...]:
    """Normalise an int-or-sequence argument (stride, padding, ...) to ``ndim`` ints.

    ``as_tuple('stride', 2, 2, 1) == (2, 2)``; ``as_tuple('stride', (1, 2), 2, 1) == (1, 2)``.
    """
    if isinstance(value, Sequence) and not isinstance(value, str):
        if len(value) != ndim:
            raise ValueError(
                tr(
                    "{name} must be one integer or {ndim} integers (one per spatial "
                    "dimension), got {value}"
                ).format(name=name, ndim=ndim, value=repr(tuple(value)))
            )
        return tuple(check_int(name, v, minimum) for v in value)
    v = check_int(name, value, minimum)
    return (v,) * ndim


def as_hw(name: str, value) -> tuple[int, int]:
    """An int or (height, width) size as (H, W) positive ints, or a ValueError naming it.

    >>> as_hw("image_size", 32), as_hw("image_size", (24, 32))
    ((32, 32), (24, 32))
    """
    if isinstance(value, Sequence) and not isinstance(value, str):
        if len(value) != 2:
            raise ValueError(
                tr("{name} must be an int or (height, width), got {value!r}").format(
                    name=name, value=value
                )
            )
        return (
            check_int(tr("{name} height").format(name=name), value[0], 1),
            check_int(tr("{name} width").format(name=name), value[1], 1),
        )
    n = check_int(name, value, 1)
    return n, n


def check_fraction(name: str, value) -> float:
    """``value`` as a float in [0, 1], or a ValueError saying what was received.

    Python and NumPy ints and floats are accepted; bools (``True`` is not a threshold), NaN,
    strings, arrays and complex numbers are refused.
    """
    if (
        isinstance(value, (bool, np.bool_))
        or not isinstance(value, numbers.Real)
        or not 0 <= value <= 1  # also refuses NaN, for which every comparison is False
    ):
        raise ValueError(
            tr("{name} must be a number in [0, 1], got {value!r}").format(name=name, value=value)
        )
    return float(value)


def check_positive(name: str, value) -> float:
    """``value`` as a float in (0, inf), or a ValueError naming ``name``.

    Python and NumPy ints and floats (any ``numbers.Real``) are accepted; bools, zero,
    negative numbers, infinity, NaN, strings, arrays and complex numbers are refused.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 < value < np.inf:
        raise ValueError(
            tr("{name} must be a number > 0, got {value!r}").format(name=name, value=value)
        )
    return float(value)


def as_boxes(boxes, name: str = "boxes", fmt: str = "xyxy") -> np.ndarray:
    """Check and return boxes as a float (N, 4) array (a single box (4,) becomes (1, 4)).

    boxes: real numbers (ints or floats; not bools, complex numbers, strings or None), shape
    (N, 4), (4,), or empty ((0,) or (0, 4): no boxes). A (3, 0) array is not "no boxes" but
    three boxes with no coordinates, and is refused. xyxy: each box must have ``x2 >= x1``
    and ``y2 >= y1``; cxcywh: ``w, h >= 0``. Coordinates must be finite.
    """
    if fmt not in FORMATS:
        raise ValueError(
            tr("box format must be one of {formats}, got {fmt!r}").format(formats=FORMATS, fmt=fmt)
        )
    b = as_real_array(name, boxes).astype(float, copy=False)
    if b.ndim == 1 and b.shape[0] == 4:
        b = b[None]
    if b.shape in ((0,), (0, 4)):
        return b.reshape(0, 4)
    if b.ndim != 2 or b.shape[1] != 4:
        raise ValueError(
            tr(
                "{name} must have shape (N, 4) (one row (x1, y1, x2, y2) per box; (0, 4) or [] "
                "for no boxes), got {shape}"
            ).format(name=name, shape=b.shape)
        )
    if not np.isfinite(b).all():
        raise ValueError(tr("{name} contain NaN or infinite coordinates").format(name=name))
    if fmt == "xyxy":
        bad = np.flatnonzero((b[:, 2] < b[:, 0]) | (b[:, 3] < b[:, 1]))
        if bad.size:
            i = bad[0]
            raise ValueError(
                tr(
                    "{name}[{i}] = {box} is not (x1, y1, x2, y2) with x2 >= x1 and y2 >= y1 "
                    "(width {w:g}, height {h:g}); for (cx, cy, w, h) boxes use "
                    "box_convert(boxes, 'cxcywh', 'xyxy')"
                ).format(
                    name=name, i=i, box=b[i].tolist(), w=b[i, 2] - b[i, 0], h=b[i, 3] - b[i, 1]
                )
            )
    else:
        bad = np.flatnonzero((b[:, 2] < 0) | (b[:, 3] < 0))
        if bad.size:
            i = bad[0]
            raise ValueError(
                tr(
                    "{name}[{i}] = {box} has a negative width or height: (cx, cy, w, h) needs "
                    "w >= 0 and h >= 0"
                ).format(name=name, i=i, box=b[i].tolist())
            )
    return b


def as_vector(values, name: str, n: int, dtype=float) -> np.ndarray:
    """One real number per box: ``values`` as a (n,) array of ``dtype``, or a ValueError.

    values: ints or floats (not bools, complex numbers, strings or None), shape (n,) (a
    single number counts as (1,)). dtype: the result's dtype (None keeps the input's).
    """
    v = as_real_array(name, values)
    if v.ndim > 1:
        raise ValueError(
            tr("{name} must be one number per box (shape ({n},)), got shape {shape}").format(
                name=name, n=n, shape=v.shape
            )
        )
    v = v.reshape(-1)
    if v.shape[0] != n:
        raise ValueError(
            tr("{name} has {k} values but there are {n} boxes; give exactly one per box").format(
                name=name, k=v.shape[0], n=n
            )
        )
    return v if dtype is None else v.astype(dtype, copy=False)


#: Class ids are stored as int64: a float id must be whole and below 2**63 to convert exactly
#: (1e19 and 2e19 would otherwise both become the same int64, and two classes would merge).
_INT64_LIMIT = 2.0**63


def as_classes(classes, n: int, name: str = "classes") -> np.ndarray:
    """One class index per box: ``classes`` as an int64 (n,) array of whole numbers >= 0.

    Integer arrays are taken as they are (uint64 ids must fit in int64); floats must be
    exactly whole and below 2**63 (``2.0`` is class 2; ``0.5`` and ``1e19`` are refused).
    Bools, strings, complex numbers and None are refused with a message naming ``name``.
    """
    c = as_vector(classes, name, n, dtype=None)
    if c.dtype.kind == "f":
        bad = ~np.isfinite(c) | (c != np.floor(c)) | (np.abs(c) >= _INT64_LIMIT)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(
                tr(
                    "{name} must be whole numbers >= 0 (class indices) that fit in int64, got "
                    "{name}[{i}] = {value!r}"
                ).format(name=name, i=i, value=float(c[i]))
            )
    elif c.dtype.kind == "u" and c.size and c.max() > np.iinfo(np.int64).max:
        raise ValueError(
            tr("{name} must be class indices that fit in int64, got {value}").format(
                name=name, value=c.max()
            )
        )
    if c.size and c.min() < 0:
        raise ValueError(
            tr("{name} must be whole numbers >= 0 (class indices), got {values}").format(
                name=name, values=c.tolist()
            )
        )
    return c.astype(np.int64)


def as_sizes(wh, name: str) -> np.ndarray:
    """(width, height) pairs as a float (K, 2) array (one pair (2,) becomes (1, 2)), all > 0
    and finite; real numbers only (not bools, complex numbers, strings or None)."""
    w = as_real_array(name, wh).astype(float, copy=False)
    if w.ndim == 1 and w.shape[0] == 2:
        w = w[None]
    if w.ndim != 2 or w.shape[1] != 2:
        raise ValueError(
            tr("{name} must be (width, height) pairs of shape (K, 2), got {shape}").format(
                name=name, shape=w.shape
            )
        )
    if not np.isfinite(w).all() or np.any(w <= 0):
        raise ValueError(
            tr("{name} must have widths and heights > 0, got {values}").format(
                name=name, values=w.tolist()
            )
        )
    return w


def check_flag(name: str, value) -> bool:
    """``value`` as a bool, or a ValueError: a flag is ``True`` or ``False``, not a truthy
    string (``bias='no'`` would otherwise count a bias)."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise ValueError(
        tr("{name} must be True or False, got {value}").format(name=name, value=repr(value))
    )


def as_real_array(name: str, value) -> np.ndarray:
    """``value`` as a NumPy array of real numbers (ints or floats of any width), or a
    ValueError saying what was received.

    Refused: None, strings, bools (True is not a number here), complex numbers and object
    arrays, all of which NumPy would otherwise carry through arithmetic silently.
    """
    if value is None or isinstance(value, (str, bytes)):
        raise ValueError(
            tr("{name} must be an array of real numbers, got {value!r}").format(
                name=name, value=value
            )
        )
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):  # ragged nested lists
        raise ValueError(
            tr(
                "{name} must be an array of real numbers (a rectangular nested list or an "
                "ndarray), got {kind}"
            ).format(name=name, kind=type(value).__name__)
        ) from None
    if arr.dtype.kind not in "iuf":
        kind = {
            "b": tr("booleans"),
            "c": tr("complex numbers"),
            "O": tr("Python objects"),
            "U": tr("strings"),
            "S": tr("bytes"),
        }.get(arr.dtype.kind, tr("not numbers"))
        raise ValueError(
            tr(
                "{name} must hold real numbers, got dtype {dtype} ({kind}); give ints or floats"
            ).format(name=name, dtype=arr.dtype, kind=kind)
        )
    return arr


#: Largest working memory one call may ask for, in bytes. A call that would need more
#: raises :class:`TooLargeError` before allocating anything, so a learner's kernel is never
#: killed by the operating system's out-of-memory killer. Raise it on a big machine:
#: ``cnnlab.validate.MEMORY_LIMIT_BYTES = 16 * 2**30``.
MEMORY_LIMIT_BYTES = 4 * 2**30


class TooLargeError(ValueError):
    """A call would need more memory than ``MEMORY_LIMIT_BYTES`` (a ValueError, so widgets
    show its message in place of the picture like any other impossible setting)."""


def check_memory(what, nbytes: float, advice: str | Callable[[], str]) -> None:
    """Refuse a call that would need more than ``MEMORY_LIMIT_BYTES`` of working memory.

    what: the call (``"conv2d on x (1, 1, 100000, 100000)"``), or a function that writes it
    (formatting shapes costs a microsecond the calls that fit need not pay); nbytes: its
    estimate; advice: what to change (a smaller input, padding, size ...), or a function that
    returns it (``lambda: tr("use a smaller input")``, translated only when it is raised).
    """
    limit = MEMORY_LIMIT_BYTES
    if nbytes > limit:
        what = what() if callable(what) else what
        advice = advice() if callable(advice) else advice
        raise TooLargeError(
            tr(
                "{what} would need about {need} of memory, more than the limit of {limit} "
                "(cnnlab.validate.MEMORY_LIMIT_BYTES); {advice}"
            ).format(what=what, need=_gib(nbytes), limit=_gib(limit), advice=advice)
        )


def _gib(nbytes: float) -> str:
    return f"{nbytes / 2**30:.3g} GiB" if nbytes >= 2**28 else f"{nbytes / 2**20:.3g} MiB"
