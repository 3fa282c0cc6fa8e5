"""Exercise checkers: compare a learner's answer with the reference and name the mistake.

Each checker returns a :class:`Feedback`, which shows as a green tick or a red cross
with a hint in a notebook. The hints are found by computing the results of the usual
mistakes (forgot the padding, took the ceiling, flipped the kernel, ...) and seeing
which one the answer matches, as the Deep Learning Specialization's tests do.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Feedback:
    """Result of a check: ``ok`` and a message (the hint when not ok)."""

    ok: bool
    message: str

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        return ("✔ " if self.ok else "✘ ") + self.message

    def _repr_html_(self) -> str:
        colour = "#1a7f37" if self.ok else "#a40000"
        mark = "✔" if self.ok else "✘"
        return f'<div style="color:{colour}"><b>{mark}</b> {html.escape(self.message)}</div>'


def diagnose(
    answer, expected, mistakes: dict | None = None, *, rtol=1e-6, atol=1e-8, what: str = "answer"
) -> Feedback:
    """Compare ``answer`` with ``expected``; if wrong, name the first matching mistake.

    mistakes: {hint: value a learner would get by making that mistake}. Arrays are
    compared by shape first, then values (to rtol/atol).
    """
    if _same(answer, expected, rtol, atol):
        return Feedback(True, f"Correct {what}.")
    for hint, wrong in (mistakes or {}).items():
        if _same(answer, wrong, rtol, atol):
            return Feedback(False, hint)
    a, e = np.asarray(answer), np.asarray(expected)
    if a.shape != e.shape:
        return Feedback(False, f"Your {what} has shape {a.shape}, expected {e.shape}.")
    return Feedback(
        False, f"Your {what} is not right yet: expected {_short(expected)}, got {_short(answer)}."
    )


def _same(a, b, rtol, atol) -> bool:
    try:
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        return False
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def _short(x) -> str:
    arr = np.asarray(x)
    if arr.size <= 6:
        return (
            np.array2string(arr, precision=4)
            if arr.ndim
            else f"{arr.item():g}"
            if arr.dtype.kind in "fiu"
            else repr(x)
        )
    return f"an array of shape {arr.shape}"


# --- lesson 04: receptive field ---

#: The stack of exercise 2: five 3x3 convs, the middle one with stride 2.
RF_STRIDED_LAYERS = ((3, 1), (3, 1), (3, 2), (3, 1), (3, 1))

#: Stacks of (kernel, stride) that ``receptive_field_function`` tries a learner's function on.
RF_TEST_STACKS = (
    ((3, 1),) * 4,
    ((5, 1),),
    ((3, 1), (3, 2), (3, 1)),
    RF_STRIDED_LAYERS,
    ((2, 2), (2, 2), (2, 2)),
    ((7, 2), (3, 2), (3, 1), (3, 1)),
    ((1, 1), (3, 2), (1, 1), (3, 1)),
)

_RF_HINTS = {
    "nojump": "You forgot to multiply by the jump: after a stride-s layer neighbouring units "
    "are s input pixels apart, so every later layer adds (K-1) * jump pixels, where jump is "
    "the product of the strides of the layers before it.",
    "early": "You multiplied by a layer's own stride too early: a stride spreads out the "
    "layers *after* it. Per layer: first size += (K-1) * jump, then jump *= stride.",
    "finaljump": "You used the final jump for every layer: layers before the strided one "
    "still step 1 pixel; use the jump accumulated *before* each layer.",
    "noone": "Off by one (one too few): start from size 1, the unit's own pixel, then add "
    "(K-1) * jump per layer.",
    "extra": "Off by one (one too many): start from size 1 and add (K-1) * jump per layer.",
    "k": "Each layer adds K-1 (times the jump), not K: a window of K units reaches K-1 "
    "units beyond the one already counted.",
}


def _rf_variant(layers, mistake=None) -> int:
    """Receptive field of (kernel, stride) layers, computed right or with one mistake."""
    size, jump = 1, 1
    for k, s in layers:
        if mistake == "early":
            jump *= s
        step = k if mistake == "k" else k - 1
        size += step * (1 if mistake == "nojump" else jump)
        if mistake != "early":
            jump *= s
    if mistake == "finaljump":
        size = 1 + sum(k - 1 for k, _ in layers) * jump
    return size - (mistake == "noone") + (mistake == "extra")


def _rf_number(answer, what: str) -> Feedback | None:
    if answer is None:
        return Feedback(False, f"Replace None with your {what} (one whole number).")
    if isinstance(answer, bool) or np.ndim(answer) != 0:
        return Feedback(
            False, f"Give the {what} as one number (the side of the square), got {answer!r}."
        )
    return None


def receptive_field_stack(answer, n_layers: int = 5, kernel: int = 5) -> Feedback:
    """Exercise: receptive field of ``n_layers`` stride-1 convs of ``kernel`` x ``kernel``."""
    bad = _rf_number(answer, "receptive field size")
    if bad is not None:
        return bad
    L, K = n_layers, kernel
    mistakes = {
        "Off by one: you counted L(K-1), the pixels the layers add, but not the 1 pixel "
        "you start from: RF = 1 + L(K-1).": L * (K - 1),
        _RF_HINTS["k"]: 1 + L * K,
        "Each layer adds K-1, not K, and you start from 1 pixel: RF = 1 + L(K-1).": L * K,
        "Receptive fields grow by adding, not multiplying: each stride-1 layer adds K-1 "
        "pixels, RF = 1 + L(K-1).": K**L,
    }
    return diagnose(answer, 1 + L * (K - 1), mistakes, what="receptive field size")


def receptive_field_strided(answer, layers=RF_STRIDED_LAYERS) -> Feedback:
    """Exercise: receptive field of a (kernel, stride) stack with a stride-2 layer in it."""
    bad = _rf_number(answer, "receptive field size")
    if bad is not None:
        return bad
    layers = tuple(tuple(layer) for layer in layers)
    expected = _rf_variant(layers)
    mistakes = {}
    for m in ("nojump", "early", "finaljump", "noone", "extra", "k"):
        wrong = _rf_variant(layers, m)
        if wrong != expected:
            mistakes.setdefault(_RF_HINTS[m], wrong)
    return diagnose(answer, expected, mistakes, what="receptive field size")


def receptive_field_function(fn) -> Feedback:
    """Exercise: ``fn(layers)`` returns the receptive field of a list of (kernel, stride).

    Tried on every stack of ``RF_TEST_STACKS``; a wrong function is matched against the
    usual mistakes (no jump, stride applied too early, off by one, K instead of K-1).
    """
    if not callable(fn):
        return Feedback(False, f"Pass your function itself (no brackets), got {fn!r}.")
    got = []
    for layers in RF_TEST_STACKS:
        try:
            value = fn([tuple(layer) for layer in layers])
        except Exception as err:  # the learner's code: report whatever it raised
            return Feedback(
                False,
                f"Your function raised {type(err).__name__}: {err} for layers={list(layers)}.",
            )
        if value is None:
            return Feedback(
                False,
                f"Your function returned None for layers={list(layers)}: "
                "did you forget `return size`?",
            )
        got.append(value)
    want = [_rf_variant(layers) for layers in RF_TEST_STACKS]
    if _same(got, want, 0, 1e-9):
        return Feedback(True, f"Correct: right on all {len(want)} test stacks.")
    for m in ("nojump", "early", "finaljump", "noone", "extra", "k"):
        if _same(got, [_rf_variant(layers, m) for layers in RF_TEST_STACKS], 0, 1e-9):
            return Feedback(False, _RF_HINTS[m])
    for layers, g, w in zip(RF_TEST_STACKS, got, want):
        if not _same(g, w, 0, 1e-9):
            return Feedback(
                False,
                f"For layers={list(layers)} the receptive field is {w}, "
                f"your function returned {g!r}.",
            )
    return Feedback(False, "Your function's results are not right yet.")  # unreachable


# --- lesson 05: pooling and translation equivariance ---

#: Exercise grid of lesson 05: 2 channels of 4x4, (C, H, W).
POOLING_GRID = np.array(
    [
        [[1, 3, 2, 0], [4, 6, 5, 1], [0, 2, 9, 8], [3, 1, 7, 4]],
        [[5, 0, 1, 2], [2, 8, 0, 3], [6, 1, 4, 4], [0, 7, 2, 9]],
    ],
    dtype=float,
)

#: The operations of lesson 05's equivariance exercise, by letter.
EQUIVARIANCE_OPS = {
    "a": "3x3 convolution, stride 1, circular padding",
    "b": "3x3 convolution, stride 2, circular padding",
    "c": "2x2 max pooling, stride 2",
    "d": "3x3 max pooling, stride 1, circular padding",
    "e": "ReLU on every pixel",
    "f": "flatten, then a fully connected layer back to H x W",
}


def max_pool_grid(answer) -> Feedback:
    """Lesson 05: 2x2 max pooling with stride 2 of ``POOLING_GRID``, as (C, H_out, W_out)."""
    from .pool import avg_pool2d, max_pool2d

    x = POOLING_GRID[None]
    a = np.asarray(answer, dtype=float) if answer is not None else None
    if a is not None and a.ndim == 4 and a.shape[0] == 1:
        a = a[0]  # a (1, C, H, W) batch is fine too
    expected = max_pool2d(x, 2)[0]
    stride_1 = max_pool2d(x, 2, stride=1)[0]
    average = avg_pool2d(x, 2)[0]
    minimum = -max_pool2d(-x, 2)[0]
    mistakes = {
        "Your windows overlap: with stride 1 the 2x2 window moves one cell at a time "
        "(3x3 outputs). Here the stride equals the kernel, so the windows tile the grid.": stride_1,
        "You took the average of each window; max pooling keeps its largest value.": average,
        "You took the smallest value of each window; max pooling keeps the largest.": minimum,
        "You added up each window; max pooling keeps its largest value.": 4 * average,
        "You swapped rows and columns: out[c, i, j] is the max of rows 2i, 2i+1 and "
        "columns 2j, 2j+1 of channel c.": expected.transpose(0, 2, 1),
        "You pooled across the channels as well: pooling works on each channel separately, "
        "so the output keeps 2 channels, shape (2, 2, 2).": expected.max(axis=0),
    }
    if a is None:
        return Feedback(False, "Replace None with your (2, 2, 2) array.")
    if a.ndim == 3 and a.shape[0] == 1:
        a = a[0]  # one channel left: judged as pooled across channels, or as wrong
    return diagnose(a, expected, mistakes, what="max-pooled grid")


def pool_output_shape(answer) -> Feedback:
    """Lesson 05: shape (H, W, C) after 3x3 max pooling, stride 2, no padding, of 32x32x16."""
    from .arith import conv_output_size

    try:
        a = tuple(int(v) for v in answer)
    except (TypeError, ValueError):
        return Feedback(False, f"Give a tuple of three integers (H, W, C), got {answer!r}.")
    if len(a) != 3:
        return Feedback(False, f"Give three numbers (H, W, C), got {len(a)}: {a}.")
    n = conv_output_size(32, 3, p=0, s=2)
    if a == (n, n, 16):
        return Feedback(True, f"Correct: floor((32 - 3) / 2) + 1 = {n}, and the 16 channels stay.")
    if a[2] != 16:
        return Feedback(
            False,
            f"Pooling works on each channel separately, so the number of channels does not "
            f"change: C stays 16 (you wrote {a[2]}).",
        )
    hints = {
        16: "Too big by one: there is no padding and the formula rounds down, "
        "floor((32 - 3)/2) + 1 (a window that would stick out of the input is not used); "
        "halving 32 is only right for a 2x2 window.",
        14: "You forgot the + 1 in floor((n + 2p - f)/s) + 1: the first window counts too.",
        30: "That is stride 1; this pooling moves its window 2 cells at a time.",
        conv_output_size(
            32, 3, s=3
        ): "You used the kernel size as the stride; here the stride is 2.",
    }
    if a[0] != a[1]:
        return Feedback(False, "The input and the window are square, so H and W must be equal.")
    return Feedback(
        False,
        hints.get(
            a[0],
            f"H = W = {a[0]} is not right: use floor((n + 2p - f)/s) + 1 with n=32, f=3, p=0, s=2.",
        ),
    )


def equivariant_ops(answer) -> Feedback:
    """Lesson 05: which of ``EQUIVARIANCE_OPS`` satisfy F(T(x)) = T(F(x)) for a 1-pixel
    (circular) shift T. answer: letters as a string ("ade"), list or set."""
    if answer is None:
        return Feedback(False, "Replace None with the letters of the equivariant operations.")
    letters = answer if isinstance(answer, str) else "".join(str(v) for v in answer)
    chosen = {c.lower() for c in letters if c.isalpha()}
    if not chosen:
        return Feedback(False, "Choose at least one letter among a-f.")
    unknown = chosen - set(EQUIVARIANCE_OPS)
    if unknown:
        return Feedback(
            False, f"Unknown letters {sorted(unknown)}; choose among {sorted(EQUIVARIANCE_OPS)}."
        )
    if chosen == {"a", "d", "e"}:
        return Feedback(
            True,
            "Correct: stride-1 sliding windows (convolution, pooling) and pointwise functions "
            "commute with shifts; strides and fully connected layers do not.",
        )
    if chosen & {"b", "c"}:
        return Feedback(
            False,
            "A stride-2 layer (b, c) cannot move its output by half a cell: after a 1-pixel "
            "shift it samples a different grid, so F(T(x)) is not a shift of F(x). Only "
            "shifts by multiples of the stride are reproduced.",
        )
    if "f" in chosen:
        return Feedback(
            False,
            "A fully connected layer (f) has its own weight for every input position: moving "
            "the input changes which weight sees which pixel.",
        )
    if "e" not in chosen:
        return Feedback(
            False,
            "A pointwise function such as ReLU (e) commutes with any shift: "
            "relu(T(x)) = T(relu(x)).",
        )
    if "d" not in chosen:
        return Feedback(
            False,
            "Max pooling with stride 1 (d) slides its window like a convolution, so it is "
            "equivariant: it is the stride's subsampling that breaks equivariance.",
        )
    return Feedback(
        False,
        "A stride-1 convolution (a) is the translation-equivariant layer: the same "
        "weights are used at every position.",
    )


# --- lesson 02: convolution and filters ---

#: The 6x6 image of lesson 02's first exercise (compute one output of it with Sobel by hand).
SOBEL_EXERCISE_IMAGE = np.array(
    [
        [2, 9, 4, 7, 1, 3],
        [5, 1, 8, 2, 6, 0],
        [7, 3, 6, 9, 4, 8],
        [1, 6, 2, 5, 7, 2],
        [4, 8, 1, 1, 9, 5],
        [0, 2, 7, 6, 3, 4],
    ],
    dtype=float,
)
#: The output position asked for: out[3, 1] (row 3, column 1, counting from 0).
SOBEL_EXERCISE_POSITION = (3, 1)


def sobel_by_hand(answer) -> Feedback:
    """Lesson 02: out[3, 1] of SOBEL_EXERCISE_IMAGE (6x6) cross-correlated with sobel_x."""
    from .conv import conv2d
    from .filters import prewitt_x, sobel_x, sobel_y

    if answer is None:
        return Feedback(False, "Replace the placeholder None with your number.")
    r, c = SOBEL_EXERCISE_POSITION
    x = SOBEL_EXERCISE_IMAGE[None, None]

    def out(k):
        return conv2d(x, k[None, None])[0, 0]

    s, plain = out(sobel_x()), out(prewitt_x())
    mistakes = {
        "Opposite sign: you flipped the kernel (that is the mathematicians' convolution). "
        "In deep learning the kernel slides as it is: multiply w[i, j] with the pixel at "
        "the same place in the window.": out(np.flip(sobel_x()))[r, c],
        f"That is out[{c}, {r}]: the first index is the row (down), the second the column "
        "(across).": s[c, r],
        f"That is out[{r - 1}, {c - 1}]: output (r, c) uses the window whose top-left "
        "corner is input pixel (r, c), counting rows and columns from 0; the window is "
        "not centred on it.": s[r - 1, c - 1],
        "Close: Sobel's middle row weighs 2, not 1 (you used the plain 1, 0, -1 rows).": (
            plain[r, c]
        ),
        "You used the transposed kernel (sobel_y, horizontal edges): sobel_x has the "
        "columns 1, 2, 1 / 0, 0, 0 / -1, -2, -1.": out(sobel_y())[r, c],
    }
    return diagnose(answer, s[r, c], mistakes, what=f"value of out[{r}, {c}]")


def conv2d_loop(fn) -> Feedback:
    """Lesson 02: ``fn(x, w, b)`` with x (C, H, W), w (C, KH, KW), b a number must return
    the (H-KH+1, W-KW+1) map ``sum(window * w) + b`` at every position, like cnnlab.conv2d.

    Tried on several shapes (rectangular images and kernels, 1 and 3 channels).
    """
    from .conv import conv2d

    if fn is None:
        return Feedback(False, "Replace the placeholder None with your function.")
    if not callable(fn):
        return Feedback(False, f"Pass the function itself (my_conv2d), not {type(fn).__name__}.")
    rng = np.random.default_rng(2)
    cases = [((1, 6, 6), (1, 3, 3)), ((3, 7, 5), (3, 3, 3)), ((3, 6, 9), (3, 2, 4))]
    for x_shape, w_shape in cases:
        x = rng.integers(-4, 5, size=x_shape).astype(float)
        w = rng.integers(-3, 4, size=w_shape).astype(float)
        b = 1.5
        ref = conv2d(x[None], w[None], np.array([b]))[0, 0]
        where = f" (on x of shape {x_shape}, w {w_shape})"
        try:
            got = fn(x.copy(), w.copy(), b)
        except Exception as err:  # the learner's code: report any error, do not crash
            return Feedback(
                False,
                f"Your function raised {type(err).__name__}: {err}{where}. Check that the "
                "window x[:, r:r+KH, c:c+KW] stays inside the image.",
            )
        if got is None:
            return Feedback(False, "Your function returned None: end it with `return out`.")
        try:
            got = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            return Feedback(
                False, f"Return a NumPy array of numbers, got {type(got).__name__}{where}."
            )
        h, wd = ref.shape
        if got.shape == (wd, h) and h != wd:
            return Feedback(
                False,
                f"Rows and columns are swapped: expected shape (H-KH+1, W-KW+1) = {ref.shape}, "
                f"got {got.shape}{where}.",
            )
        if got.shape != ref.shape:
            return Feedback(
                False,
                f"Wrong output size{where}: a valid convolution gives (H-KH+1, W-KW+1) = "
                f"{ref.shape} (n - f + 1 on each side), got {got.shape}. Check the ranges "
                "of your loops.",
            )
        if np.allclose(got, 0):
            return Feedback(
                False,
                f"Your output is all zeros{where}: fill in the dot product of the window "
                "with w (plus b) in the inner loop.",
            )
        flipped = conv2d(x[None], np.flip(w, axis=(1, 2))[None], np.array([b]))[0, 0]
        first_channel = conv2d(x[None, :1], w[None, :1])[0, 0] + b
        averaged = conv2d(x[None], w[None])[0, 0] / w.size + b
        mistakes = {
            "You flipped the kernel (true convolution): deep-learning 'convolution' "
            "multiplies each window with w as it is, without flipping." + where: flipped,
            "Almost: you forgot to add the bias b." + where: ref - b,
            "You used only the first channel: the filter is as deep as the image, so sum "
            "the products over all channels." + where: first_channel,
            "Rows and columns are swapped: out[r, c] uses rows r..r+KH-1 and columns "
            "c..c+KW-1 of the image." + where: ref.T,
            "Sum the products, do not average them: out = sum(window * w) + b." + where: averaged,
        }
        fb = diagnose(got, ref, mistakes, what="output")
        if not fb.ok:
            return fb
    return Feedback(True, "Correct: your loops compute what cnnlab.conv2d computes.")


def horizontal_filter(kernel) -> Feedback:
    """Lesson 02: a 2D kernel that gives a positive response to a horizontal edge with the
    bright side on top, and 0 on flat regions and on vertical edges."""
    from .conv import conv2d
    from .filters import prewitt_y, scharr_y, sobel_y

    if kernel is None:
        return Feedback(False, "Replace the placeholder None with a 3x3 NumPy array.")
    try:
        k = np.asarray(kernel, dtype=float)
    except (TypeError, ValueError):
        return Feedback(
            False, "Give the kernel as a NumPy array of numbers: np.array([[...], ...])."
        )
    if k.ndim != 2 or min(k.shape) < 2 or max(k.shape) > 7:
        return Feedback(False, f"Give a 2D kernel such as 3x3, got shape {k.shape}.")
    scale = max(np.abs(k).sum(), 1e-12)
    n = 12

    def response(img):
        return conv2d(img[None, None], k[None, None])[0, 0] / scale

    flat = response(np.ones((n, n)))
    vertical = response(np.tile((np.arange(n) < n // 2).astype(float), (n, 1)))
    horizontal = response(np.tile((np.arange(n) < n // 2).astype(float)[:, None], (1, n)))
    tol = 1e-6
    if np.abs(flat).max() > tol:
        return Feedback(
            False,
            f"Your kernel responds to a flat grey area (weights sum to {k.sum():g}): an edge "
            "detector must give 0 where nothing changes, so its weights must sum to 0.",
        )
    if np.abs(vertical).max() > tol:
        if np.abs(horizontal).max() <= tol:
            return Feedback(
                False,
                "This kernel detects vertical edges (left-right changes), not horizontal "
                "ones: transpose it (kernel.T).",
            )
        return Feedback(
            False,
            "Your kernel also responds to vertical edges: make every column sum to 0, so a "
            "pattern that changes only from left to right gives 0.",
        )
    peak = horizontal.max() if abs(horizontal.max()) >= abs(horizontal.min()) else horizontal.min()
    if abs(peak) <= tol:
        return Feedback(False, "Your kernel gives 0 on a horizontal edge too: it detects nothing.")
    if peak < 0:
        return Feedback(
            False,
            "Right direction, wrong sign: it responds negatively to bright-above-dark. Put the "
            "positive weights in the top row (or multiply by -1).",
        )
    for name, ref in (("Prewitt", prewitt_y()), ("Sobel", sobel_y()), ("Scharr", scharr_y())):
        if k.shape == ref.shape and np.allclose(k / scale, ref / np.abs(ref).sum()):
            return Feedback(True, f"Correct: that is {name}'s horizontal-edge filter.")
    return Feedback(
        True,
        "Correct: flat areas and vertical edges give 0, bright-above-dark gives a positive response.",
    )


def filter_bank_params(answer) -> Feedback:
    """Lesson 02: learnable parameters of 16 filters of 5x5 on a 224x224 RGB image."""
    from .arith import conv_params

    if answer is None:
        return Feedback(False, "Replace the placeholder None with your number.")
    mistakes = {
        "You forgot the biases: one per filter.": 16 * 5 * 5 * 3,
        "Each filter is as deep as its input: 5x5x3 weights, not 5x5.": 16 * (5 * 5 + 1),
        "Each filter has its own bias, so 16 biases, not one for the layer.": 16 * 5 * 5 * 3 + 1,
        "That is one filter: there are 16.": 5 * 5 * 3 + 1,
        "The image size does not matter: the same filters slide over every position "
        "(weight sharing). You counted output values instead.": 220 * 220 * 16,
        "The image size does not matter: you counted multiplications (one per weight per "
        "output position), not parameters.": 220 * 220 * 16 * 5 * 5 * 3,
    }
    return diagnose(answer, conv_params(5, 3, 16), mistakes, what="parameter count")


# --- lesson 03: padding, stride, dilation ---


def conv_size_slips(n: int, f: int, p: int = 0, s: int = 1, d: int = 1) -> list:
    """The usual slips in ``floor((n + 2p - d(f-1) - 1)/s) + 1``: a list of (hint, value).

    value is what a learner making that slip computes for these settings (Python's //
    floors, so ``-(-a // s)`` is the ceiling). Slips that give the right answer here are
    kept; :func:`conv_size_mistakes` drops them.
    """
    span = d * (f - 1) + 1
    top = n + 2 * p - span
    return [
        (
            "Did you forget the padding? Padding adds p pixels on BOTH sides, so n becomes "
            "n + 2p before the kernel slides.",
            (n - span) // s + 1,
        ),
        ("Did you count the padding once? Use n + 2p, not n + p.", (n + p - span) // s + 1),
        (
            "Did you round up? When the last window does not fit, its rows are dropped: "
            "take the floor of the division (// in Python), not the ceiling.",
            -(-top // s) + 1,
        ),
        (
            "Did you forget the + 1? A kernel that fits exactly once still gives one "
            "output: floor(...) + 1.",
            top // s,
        ),
        (
            "Did you forget the dilation? A kernel of size f with dilation d spans "
            "d(f-1) + 1 pixels, not f.",
            (n + 2 * p - f) // s + 1,
        ),
        ("Did you forget the stride? Divide by s before adding 1.", top + 1),
        (
            "Did you divide the + 1 too? It comes after the division: "
            "floor((n + 2p - d(f-1) - 1)/s) + 1.",
            (top + 1) // s,
        ),
        (
            "Your size is not a whole number: take the floor of the division (// in Python).",
            top / s + 1,
        ),
    ]


def conv_size_mistakes(n: int, f: int, p: int = 0, s: int = 1, d: int = 1) -> dict:
    """{hint: wrong value} for :func:`diagnose`, for one convolution's output size.

    Slips that give the right number are left out; slips that give the same wrong number
    are merged into one hint ("Did you forget the + 1? ... Or: ...").
    """
    right = (n + 2 * p - d * (f - 1) - 1) // s + 1
    by_value: dict = {}
    for hint, value in conv_size_slips(n, f, p, s, d):
        if value != right:
            by_value.setdefault(value, []).append(hint)
    return {" Or: ".join(hints): value for value, hints in by_value.items()}


def _size_feedback(answer, expected: int, mistakes: dict, what: str, generic: str) -> Feedback:
    """diagnose() for one size; the generic hint does not give the answer away."""
    if answer is None:
        return Feedback(False, f"Replace None with your {what}.")
    fb = diagnose(answer, expected, mistakes, what=what)
    if fb.ok or fb.message in mistakes:
        return fb
    return Feedback(False, f"Your {what} ({answer!r}) is not right yet. {generic}")


# Cases the learner's output_size function must get right: the notes' examples first, then
# strides that do not divide evenly, padding with stride, dilation, and everything at once.
OUTPUT_SIZE_CASES = [
    (6, 3, 0, 1, 1),
    (6, 3, 1, 1, 1),
    (7, 3, 0, 2, 1),
    (8, 3, 0, 2, 1),
    (9, 4, 0, 3, 1),
    (32, 5, 2, 1, 1),
    (32, 3, 1, 2, 1),
    (10, 3, 0, 1, 2),
    (15, 3, 1, 2, 3),
    (224, 7, 3, 2, 1),
    (13, 5, 2, 4, 2),
]


def output_size_function(fn) -> Feedback:
    """Exercise 03.1: check a learner's ``output_size(n, f, p=0, s=1, d=1)``.

    Calls ``fn(n, f, p, s, d)`` on :data:`OUTPUT_SIZE_CASES` (valid settings only) and
    compares with :func:`cnnlab.arith.conv_output_size`. On the first wrong case, the hint
    names the slip that explains the learner's results on every case, or else the slip
    that matches this case.
    """
    from .arith import conv_output_size

    if not callable(fn):
        return Feedback(False, f"Pass your function itself (output_size), got {fn!r}.")
    got = []
    for case in OUTPUT_SIZE_CASES:
        try:
            got.append(fn(*case))
        except Exception as err:  # the learner's code: report, never crash the checker
            return Feedback(False, f"output_size{case} raised {type(err).__name__}: {err}")
    expected = [conv_output_size(*case) for case in OUTPUT_SIZE_CASES]
    if all(_same(g, e, 0, 0) for g, e in zip(got, expected)):
        return Feedback(
            True, f"Correct on all {len(expected)} cases, from 6x6 * 3x3 to dilated strided ones."
        )
    slips = [conv_size_slips(*case) for case in OUTPUT_SIZE_CASES]
    wrong = next(i for i, (g, e) in enumerate(zip(got, expected)) if not _same(g, e, 0, 0))
    # Best guess: the one slip that reproduces every answer (right ones included).
    hint = next(
        (
            h
            for k, (h, _) in enumerate(slips[0])
            if all(_same(g, case_slips[k][1], 0, 0) for g, case_slips in zip(got, slips))
        ),
        None,
    )
    if hint is None:  # else the slips that match the first wrong case
        case = conv_size_mistakes(*OUTPUT_SIZE_CASES[wrong])
        hint = next((h for h, v in case.items() if _same(got[wrong], v, 0, 0)), None)
    n, f, p, s, d = OUTPUT_SIZE_CASES[wrong]
    where = (
        f"For n={n}, f={f}, p={p}, s={s}, d={d} your function returned {got[wrong]!r}, "
        f"expected {expected[wrong]}."
    )
    return Feedback(False, where + (" " + hint if hint else " Check the formula term by term."))


# Exercise 03.2: the sizes after each layer of a small stack on a 28x28 input.
LAYER_STACK = [
    # (kernel f, padding p, stride s, dilation d)
    (5, 0, 1, 1),
    (3, 1, 2, 1),
    (3, 0, 1, 2),
    (3, 0, 2, 1),
]
LAYER_STACK_INPUT = 28


def layer_stack_sizes(sizes) -> Feedback:
    """Exercise 03.2: the output size after each layer of :data:`LAYER_STACK` on 28x28.

    ``sizes`` is a list of 4 ints. The first wrong layer is reported, with the slip that
    matches (computed from the learner's own previous size, so one early slip is not
    blamed again on every later layer).
    """
    from .arith import conv_output_size

    if sizes is None:
        return Feedback(False, "Replace None with your list of 4 sizes, e.g. [24, ...].")
    try:
        sizes = [s_ for s_ in sizes]
    except TypeError:
        return Feedback(False, f"Give a list of {len(LAYER_STACK)} sizes, got {sizes!r}.")
    if len(sizes) != len(LAYER_STACK):
        return Feedback(
            False, f"Give one size per layer: {len(LAYER_STACK)} numbers, got {len(sizes)}."
        )
    n = LAYER_STACK_INPUT
    for i, ((f, p, s, d), got) in enumerate(zip(LAYER_STACK, sizes), start=1):
        expected = conv_output_size(n, f, p, s, d)
        if not _same(got, expected, 0, 0):
            fb = _size_feedback(
                got,
                expected,
                conv_size_mistakes(n, f, p, s, d),
                "size",
                "Apply floor((n + 2p - d(f-1) - 1)/s) + 1 to this layer's input.",
            )
            return Feedback(
                False, f"Layer {i} (input {n}, f={f}, p={p}, s={s}, d={d}): {fb.message}"
            )
        n = expected
    return Feedback(True, f"Correct: {LAYER_STACK_INPUT} → " + " → ".join(map(str, sizes)) + ".")


def same_padding_f5(p) -> Feedback:
    """Exercise 03.3: the padding that keeps the size of a 5x5, stride-1 convolution."""
    from .arith import same_padding

    mistakes = {
        "That is the total padding f - 1 = 4: it is split between the two sides, p = (f - 1)/2.": 4,
        "That is the kernel size. 'Same' needs n + 2p - f + 1 = n, so p = (f - 1)/2.": 5,
        "p = 0 is the 'valid' convolution: the output shrinks by f - 1 = 4.": 0,
        "(f + 1)/2 = 3 pads one pixel too many: the output grows by 2. Use (f - 1)/2.": 3,
        "Padding 1 suits a 3x3 kernel; a 5x5 one loses 2 pixels on each side.": 1,
    }
    return _size_feedback(
        p, same_padding(5), mistakes, "padding", "Solve n + 2p - f + 1 = n for p with f = 5."
    )


# Exercise 03.4: the padding that halves 32 -> 16 with a 3x3, stride-2 convolution.
HALVING = {"n": 32, "f": 3, "s": 2, "target": 16}


def padding_for_halving(p) -> Feedback:
    """Exercise 03.4: p such that a 3x3 stride-2 convolution maps 32x32 to 16x16 (p = 1)."""
    from .arith import conv_output_size

    n, f, s, target = HALVING["n"], HALVING["f"], HALVING["s"], HALVING["target"]
    if p is None:
        return Feedback(False, "Replace None with your padding.")
    if isinstance(p, float) and p.is_integer():
        p = int(p)
    if isinstance(p, bool) or not hasattr(p, "__index__") or p < 0:
        return Feedback(False, f"The padding is a whole number >= 0, got {p!r}.")
    out = conv_output_size(n, f, int(p), s)
    if out == target:
        return Feedback(True, f"Correct: floor(({n} + 2·{p} - {f})/{s}) + 1 = {out}.")
    if out < target:
        why = (
            f"floor(({n} + 2·{p} - {f})/{s}) + 1 = {out}: the floor drops the last row, "
            "so the output is one short. Pad more."
            if p == 0
            else f"floor(({n} + 2·{p} - {f})/{s}) + 1 = {out}: too small, pad more."
        )
    else:
        why = f"floor(({n} + 2·{p} - {f})/{s}) + 1 = {out}: too big, pad less."
    return Feedback(False, f"With p={p} the output is {out}x{out}, not {target}x{target}: {why}")


# --- lesson 01: why CNN ---


def _why_cnn_feedback(answer, expected: int, slips: list, generic: str) -> Feedback:
    """diagnose() for one count. slips: [(wrong value, hint)]; a wrong answer that matches
    no slip gets the generic hint, not the answer."""
    if answer is None:
        return Feedback(False, "Replace None with your number.")
    mistakes = {hint: value for value, hint in slips if value != expected}
    fb = diagnose(answer, expected, mistakes, what="count")
    if fb.ok or fb.message in mistakes:
        return fb
    return Feedback(False, f"{answer!r} is not right yet. {generic}")


def fc_layer_params(answer, h: int = 32, w: int = 32, c: int = 3, units: int = 100) -> Feedback:
    """Exercise 01.1: learnable parameters of a fully connected layer from an h x w x c image
    (flattened) to ``units`` neurons: ``h*w*c*units + units``."""
    n_in = h * w * c
    slips = [
        (n_in * units, f"You forgot the biases: each of the {units} units has one."),
        (
            h * w * units + units,
            f"The image has {c} channels: it flattens to {h}x{w}x{c} = {n_in} inputs, "
            f"not {h * w}.",
        ),
        (
            h * w * units,
            f"Two slips: the image flattens to {h}x{w}x{c} = {n_in} inputs (the channels "
            "count), and each unit has a bias.",
        ),
        (n_in * units + 1, f"Each unit has its own bias: {units} biases, not one for the layer."),
        (n_in * units + n_in, "A bias belongs to each unit (each output), not to each input."),
        (n_in + 1, f"That is one unit's parameters: there are {units} units."),
        (
            n_in,
            f"That is the number of inputs; each of the {units} units has a weight for every "
            "one of them, plus a bias.",
        ),
    ]
    generic = (
        f"Each of the {units} units has one weight per input number and one bias: "
        "count the inputs (H x W x C) first."
    )
    return _why_cnn_feedback(answer, n_in * units + units, slips, generic)


def inputs_per_conv_output(answer, f: int = 5, c_in: int = 3, n: int = 32) -> Feedback:
    """Exercise 01.2: how many input numbers one output of an f x f conv on an n x n x c_in
    image depends on: ``f*f*c_in`` (sparsity of connections)."""
    from .arith import conv_output_size

    out = conv_output_size(n, f)
    slips = [
        (
            f * f,
            f"A filter is as deep as its input: it covers {f}x{f} pixels in all {c_in} channels.",
        ),
        (
            f * f * c_in + 1,
            "The bias is a parameter, not an input: count only the image numbers under "
            "the filter.",
        ),
        (
            n * n * c_in,
            "That is what a fully connected unit sees (the whole image); a conv output sees "
            "only the window under the filter.",
        ),
        (
            n * n,
            "That is the whole image (per channel), as a fully connected unit sees it; a conv "
            "output sees only the window under the filter.",
        ),
        (f * c_in, f"The window is {f}x{f} pixels: {f * f} per channel, not {f}."),
        (
            out * out,
            f"That is how many outputs there are ({out}x{out} positions), not how many inputs "
            "one output sees.",
        ),
    ]
    generic = (
        "One output value is one dot product of the filter with the window under it: "
        "count the numbers in that window."
    )
    return _why_cnn_feedback(answer, f * f * c_in, slips, generic)


def params_without_sharing(
    answer, n: int = 32, f: int = 5, c_in: int = 3, c_out: int = 6
) -> Feedback:
    """Exercise 01.3: parameters of a conv layer (c_out filters f x f on n x n x c_in, stride 1,
    no padding) if no weights were shared: every output value has its own f x f x c_in weights
    and its own bias, ``out*out*c_out*(f*f*c_in + 1)`` with ``out = n - f + 1``."""
    from .arith import conv_output_size, conv_params

    out = conv_output_size(n, f)
    per = f * f * c_in + 1
    outputs = out * out * c_out
    slips = [
        (
            conv_params(f, c_in, c_out),
            f"That is the shared count ({c_out} filters x {per}). Without sharing, every "
            "output position needs its own copy of the filter.",
        ),
        (
            outputs * (per - 1),
            f"Each output value also has its own bias: {f}x{f}x{c_in} + 1 = {per} parameters "
            "per output.",
        ),
        (
            n * n * c_out * per,
            f"A {f}x{f} filter fits {n} - {f} + 1 = {out} times across: {out}x{out} positions, "
            f"not {n}x{n}.",
        ),
        (
            out * out * per,
            f"Each of the {c_out} filters gives its own output map: {out}x{out}x{c_out} outputs.",
        ),
        (outputs * (f * f + 1), f"Each window is {f}x{f}x{c_in} (all channels), plus a bias."),
        (
            outputs * (n * n * c_in + 1),
            f"That is a fully connected layer (every output sees all {n * n * c_in} inputs); "
            f"here each output sees only its {f}x{f}x{c_in} window.",
        ),
    ]
    generic = (
        f"Count the outputs ({out}x{out}x{c_out}), then the parameters each output has on "
        f"its own (its {f}x{f}x{c_in} window plus a bias)."
    )
    return _why_cnn_feedback(answer, outputs * per, slips, generic)
