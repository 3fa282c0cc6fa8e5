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
        False,
        f"Your {what} is not right yet: you gave {_short(answer)}, which matches none of the "
        "usual slips; go back over the formula step by step.",
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


# --- lesson 06: LeNet-5 ---


def _lenet_entry(answer, expected, slips, what: str, generic: str) -> Feedback:
    """One table entry: None asks for an answer, a known slip gets its hint, else generic."""
    if answer is None:
        return Feedback(False, f"Fill in {what} (it is still None).")
    mistakes = {hint: value for value, hint in slips if np.shape(value) == np.shape(expected)}
    fb = diagnose(answer, expected, mistakes, what=what)
    if fb.ok or fb.message in mistakes:
        return fb
    if np.shape(answer) != np.shape(expected):
        return Feedback(False, f"{what} should be {generic}")
    return Feedback(False, f"{what} is not right yet: {generic}")


def lenet_table(answer: dict) -> Feedback:
    """Exercise 06.1: three holes in LeNet-5's table (32x32x1 input, conv 5x5 -> 6, pool 2,
    conv 5x5 -> 16, pool 2, FC 120, ...).

    answer: {"conv2 output": (n_H, n_W, n_C), "conv2 parameters": int,
    "fc3 parameters": int}; expected (10, 10, 16), 2416 and 48120.
    """
    keys = ("conv2 output", "conv2 parameters", "fc3 parameters")
    if not isinstance(answer, dict) or set(answer) != set(keys):
        return Feedback(False, f"answer must be a dict with the keys {list(keys)}")
    checks = [
        (
            "conv2 output",
            (10, 10, 16),
            [
                (
                    (10, 10, 6),
                    "A conv layer outputs one channel per filter: conv2 has 16 "
                    "filters, so n_C = 16 (the 6 input channels are summed inside each filter).",
                ),
                ((9, 9, 16), "The size formula ends in + 1: (n + 2p - f)/s + 1 = (14 - 5)/1 + 1."),
                (
                    (14, 14, 16),
                    "Without padding a 5x5 conv shrinks the map: n - f + 1 = 14 - 5 + 1.",
                ),
                ((5, 5, 16), "That is after pool2; conv2's output comes before the pooling."),
                ((28, 28, 16), "conv2 reads pool1's 14x14x6 output, not conv1's 28x28x6."),
                ((16, 10, 10), "Write it in the table's order (n_H, n_W, n_C): channels last."),
                ((11, 11, 16), "No padding here (p = 0): (14 + 2*0 - 5)/1 + 1."),
            ],
            "a tuple (n_H, n_W, n_C): n = (n_prev + 2p - f)/s + 1 with n_prev = 14, and one "
            "channel per filter.",
        ),
        (
            "conv2 parameters",
            2416,
            [
                (2400, "You forgot the biases: each of the 16 filters has one."),
                (
                    416,
                    "A filter is as deep as its input: each is 5x5x6, not 5x5 (forgot the "
                    "channels).",
                ),
                (400, "Two slips: each filter is 5x5x6 (the input has 6 channels) and has a bias."),
                (151, "That is one filter (5x5x6 + 1); there are 16."),
                (2401, "Each filter has its own bias: 16 biases, not one."),
                (2496, "A filter has one bias, not one per input channel."),
                (0, "conv2 has learnable filters; only pooling has no parameters."),
            ],
            "each of the 16 filters has 5x5x(input channels) weights and one bias.",
        ),
        (
            "fc3 parameters",
            48120,
            [
                (48000, "You forgot the biases: each of the 120 units has one."),
                (
                    3120,
                    "pool2's output is 5x5x16: it flattens to 400 inputs, not 25 (forgot the "
                    "channels).",
                ),
                (
                    3000,
                    "Two slips: the flattened input is 5x5x16 = 400 numbers, and each unit has a "
                    "bias.",
                ),
                (192120, "fc3 reads pool2's 5x5x16 output (400 numbers), not conv2's 10x10x16."),
                (401, "That is one unit (400 weights + a bias); fc3 has 120."),
                (120, "Each unit has a weight for every one of its 400 inputs, not just a bias."),
                (48400, "A bias belongs to each unit (120), not to each input (400)."),
            ],
            "every one of the 120 units has one weight per input (the flattened 5x5x16) and a bias.",
        ),
    ]
    for key, expected, slips, generic in checks:
        fb = _lenet_entry(answer[key], expected, slips, key, generic)
        if not fb.ok:
            return fb
    return Feedback(True, "Correct: conv2 gives 10x10x16 with 2,416 parameters, fc3 has 48,120.")


def fc_instead_of_conv(answer) -> Feedback:
    """Exercise 06.2: parameters of a fully connected layer that maps pool1's output (14x14x6)
    to conv2's output size (10x10x16): ``1176 * 1600 + 1600 = 1,883,200`` (conv2: 2,416)."""
    n_in, n_out = 14 * 14 * 6, 10 * 10 * 16
    slips = [
        (n_in * n_out, "You forgot the biases: one per output unit (1,600)."),
        (
            2416,
            "That is conv2 itself; a fully connected layer connects every input to every "
            "output, with no sharing.",
        ),
        (14 * 14 * n_out + n_out, "The input has 6 channels: 14x14x6 = 1,176 inputs, not 196."),
        (n_in * 100 + 100, "The output has 16 channels: 10x10x16 = 1,600 outputs, not 100."),
        (196 * 100 + 100, "Count the channels on both sides: 14x14x6 inputs, 10x10x16 outputs."),
        (n_in * n_out + n_in, "A bias belongs to each output unit (1,600), not to each input."),
        (n_in * n_out + 16, "Without sharing every output unit has its own bias: 1,600, not 16."),
        (
            1024 * 4704 + 4704,
            "That is the FC version of conv1 (32x32x1 -> 28x28x6); this one "
            "replaces conv2 (14x14x6 -> 10x10x16).",
        ),
    ]
    if answer is None:
        return Feedback(False, "Replace None with your number.")
    mistakes = {hint: value for value, hint in slips}
    fb = diagnose(answer, n_in * n_out + n_out, mistakes, what="count")
    if fb.ok:
        return Feedback(True, "Correct: 1,883,200 parameters, about 780 times conv2's 2,416.")
    if fb.message in mistakes:
        return fb
    return Feedback(
        False,
        f"{answer!r} is not right yet: count the inputs (14x14x6) and outputs (10x10x16); every "
        "output has a weight for every input, plus a bias.",
    )


def _lenet_flat(n: int, mistake: str | None = None) -> int:
    """Reference (and typical slips) for the length of LeNet-5's flattened pool2 output."""
    conv = (lambda m: m - 5) if mistake == "no +1" else (lambda m: m - 5 + 1)
    pool = (lambda m: -(-m // 2)) if mistake == "ceil" else (lambda m: m // 2)
    if mistake == "no pools":
        side = conv(conv(n))
    else:
        side = pool(conv(pool(conv(n))))
    return side * side * (1 if mistake == "no channels" else 6 if mistake == "6 channels" else 16)


def lenet_flat_size(fn) -> Feedback:
    """Exercise 06.3: ``fn(n)`` returns how many numbers pool2's output flattens to for an
    n x n input (what fc3 must accept): ``16 * m * m`` with
    ``m = floor((floor((n - 4) / 2) - 4) / 2)``. Tried on n = 16 ... 100, odd sizes included."""
    if not callable(fn):
        return Feedback(False, "Pass your function itself, e.g. lenet_flat_size(flat_size).")
    hints = {
        "ceil": "Pooling rounds down: a 2x2/stride-2 pool of an odd size n gives floor(n/2) "
        "(the last row or column is dropped). Try n = {n}.",
        "no +1": "The conv size formula ends in + 1: n - f + 1. Try n = {n}.",
        "no channels": "pool2 has 16 channels: the flattened length is 16 * m * m. Try n = {n}.",
        "6 channels": "After conv2 there are 16 channels (its filters), not 6. Try n = {n}.",
        "no pools": "Each conv is followed by a 2x2 pool that halves the size. Try n = {n}.",
    }
    for n in (32, 28, 33, 35, 36, 40, 47, 64, 100, 16):
        expected = _lenet_flat(n)
        try:
            got = fn(n)
        except Exception as err:  # a learner's bug, shown as a hint rather than a traceback
            return Feedback(False, f"flat_size({n}) raised {type(err).__name__}: {err}")
        if got is None:
            return Feedback(False, f"flat_size({n}) returned None: return the number.")
        if _same(got, expected, 0, 0):
            continue
        for mistake, hint in hints.items():
            if _same(got, _lenet_flat(n, mistake), 0, 0):
                return Feedback(False, hint.format(n=n))
        return Feedback(False, f"flat_size({n}) gave {got!r}, expected {expected}.")
    return Feedback(True, "Correct for every size tried (16 to 100, odd ones included).")


# --- lesson 10: object detection ---

#: Exercise 10.1: the two boxes (x1, y1, x2, y2) whose IoU is computed by hand.
IOU_BOX_A = (1, 1, 5, 4)
IOU_BOX_B = (3, 2, 8, 6)


def _one_number(answer, what: str) -> Feedback | None:
    if answer is None:
        return Feedback(False, f"Replace None with your {what} (one number).")
    if isinstance(answer, (bool, str, bytes)) or np.ndim(answer) != 0:
        return Feedback(False, f"Give the {what} as one number, got {answer!r}.")
    try:
        float(answer)
    except (TypeError, ValueError):
        return Feedback(False, f"Give the {what} as one number, got {answer!r}.")
    return None


def iou_by_hand(answer) -> Feedback:
    """Exercise 10.1: IoU of ``IOU_BOX_A`` and ``IOU_BOX_B`` (to 3 decimals)."""
    from .detect import box_area, intersection, iou

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
    mistakes = {
        "You divided by area(A) + area(B): that counts the overlap twice. The union is "
        "area(A) + area(B) - intersection.": inter / (area_a + area_b),
        "You divided by the area of A alone; IoU divides by the area of the union of A and B.":
        inter / area_a,
        "You divided by the area of B alone; IoU divides by the area of the union of A and B.":
        inter / area_b,
        "That is union / intersection, upside down: IoU = intersection / union (at most 1).":
        union / inter,
        "That is the area of the intersection; now divide it by the area of the union.": inter,
        "That is the area of the union; IoU = intersection / union.": union,
        "You counted pixels (width = x2 - x1 + 1); these are coordinates on a continuous "
        "plane, so the width is x2 - x1.": inter_px / (ap + bp - inter_px),
    }
    expected = float(iou(a, b)[0, 0])
    fb = diagnose(float(answer), expected, mistakes, rtol=0, atol=6e-4, what="IoU")
    if fb.ok:
        return Feedback(True, f"Correct: {inter:g} / ({area_a:g} + {area_b:g} - {inter:g}) = "
                              f"{expected:.4f}.")
    if fb.message in mistakes:
        return fb
    return Feedback(False, f"{float(answer):g} is not the IoU yet. Find the overlap's corners "
                           "first: max of the top-left corners, min of the bottom-right ones.")


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
        [[10, 10, 30, 30], [12, 11, 31, 29], [9, 12, 28, 32], [50, 50, 70, 80], [52, 49, 71, 78],
         [29, 10, 49, 30], [51, 55, 69, 81], [0, 60, 10, 70]],
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
    from .detect import iou

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
                mistake, m[i, j] > threshold)
            if hit:
                gone.add(j)
    return keep


_NMS_HINTS = {
    "index_order": "You visited the boxes in the order given. NMS first sorts them by score: "
    "the box kept at each step is the highest-scoring one left.",
    "ascending": "You started from the lowest score. NMS keeps the highest-scoring box first "
    "and suppresses the weaker boxes that overlap it.",
    "ge": "Boxes with IoU exactly equal to the threshold were suppressed. Suppress only "
    "IoU > threshold (as torchvision.ops.nms and cnnlab.detect do).",
    "one_pass": "A box was suppressed by a box that had itself been suppressed. Only the boxes "
    "you KEEP suppress others: keep the best, remove its overlaps, then repeat with the "
    "best of what is left.",
    "below": "You removed the boxes that overlap little and kept the ones that overlap a lot: "
    "suppress when IoU > threshold (they are likely the same object).",
}


def nms_function(fn) -> Feedback:
    """Exercise 10.2: check a learner's ``nms(boxes, scores, iou_threshold)`` that returns
    the indices kept, highest score first, on :data:`NMS_CASES`."""
    if not callable(fn):
        return Feedback(False, f"Pass your function itself (nms), got {fn!r}.")
    got = []
    for k, (boxes, scores, thr) in enumerate(NMS_CASES):
        try:
            out = fn(np.array(boxes, float), np.array(scores, float), thr)
        except Exception as err:  # the learner's code: report, never crash the checker
            return Feedback(False, f"nms on case {k} raised {type(err).__name__}: {err}")
        if out is None:
            return Feedback(False, "Your function returned None: return the list of kept indices.")
        arr = np.asarray(out)
        if arr.dtype == bool:
            return Feedback(False, "Return the indices of the kept boxes (e.g. [0, 2]), not a "
                                   "True/False mask.")
        try:
            got.append([int(i) for i in arr.reshape(-1)])
        except (TypeError, ValueError):
            return Feedback(False, f"Return a list of integer indices, got {out!r}.")
    expected = [nms_variant(*case) for case in NMS_CASES]
    if got == expected:
        return Feedback(True, f"Correct on all {len(NMS_CASES)} cases, ties and chains included.")
    for mistake, hint in _NMS_HINTS.items():
        if got == [nms_variant(*case, mistake) for case in NMS_CASES]:
            return Feedback(False, hint)
    k = next(i for i, (g, e) in enumerate(zip(got, expected)) if g != e)
    boxes, scores, thr = NMS_CASES[k]
    if sorted(got[k]) == sorted(expected[k]):
        return Feedback(False, f"Case {k}: the right boxes, in the wrong order: return them "
                               f"highest score first ({expected[k]}), not {got[k]}.")
    return Feedback(False, f"Case {k} (scores {scores}, threshold {thr}): your function kept "
                           f"{got[k]}, expected {expected[k]}.")


#: Exercise 10.3: a 96x96 image, a 3x3 grid, one car (class c2 of pedestrian, car, motorcycle).
YOLO_EXERCISE = {"image_size": 96, "grid_size": 3, "box": (36, 68, 84, 92), "class": 1,
                 "names": ("pedestrian", "car", "motorcycle")}


def yolo_target(cell, y) -> Feedback:
    """Exercise 10.3: the cell (row, col) responsible for ``YOLO_EXERCISE``'s box and its
    label vector y = (pc, bx, by, bh, bw, c1, c2, c3)."""
    from .detect import assign_anchors, encode_targets

    ex = YOLO_EXERCISE
    n, S, box = ex["image_size"], ex["grid_size"], np.array(ex["box"], float)
    if cell is None or y is None:
        return Feedback(False, "Replace both Nones: cell = (row, col) and y = [pc, bx, by, bh, "
                               "bw, c1, c2, c3].")
    try:
        r, c = (int(v) for v in cell)
    except (TypeError, ValueError):
        return Feedback(False, f"cell must be two integers (row, col), got {cell!r}.")
    a = assign_anchors(box, S, n)
    row, col = int(a.row[0]), int(a.col[0])
    cs = n / S
    mx, my = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    if (r, c) != (row, col):
        if (r, c) == (col, row):
            return Feedback(False, "Row and column are swapped: the row counts cells downwards "
                                   "(from y), the column across (from x).")
        return Feedback(False, f"Cell ({r}, {c}) is not the one holding the midpoint. The midpoint "
                               f"is ((x1 + x2)/2, (y1 + y2)/2); its column is floor(x / {cs:g}), "
                               f"its row floor(y / {cs:g}), counting from 0.")
    try:
        v = np.asarray(y, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        return Feedback(False, f"y must be 8 numbers, got {y!r}.")
    if v.shape[0] != 8:
        return Feedback(False, f"y has 8 entries (pc, bx, by, bh, bw, c1, c2, c3), got {v.shape[0]}.")
    t = encode_targets(box, [ex["class"]], S, n, 3)[row, col, 0]
    close = lambda u, w: np.allclose(u, w, atol=2e-3)  # noqa: E731
    if not close(v[0], 1):
        return Feedback(False, "pc is 1: there is an object in this cell.")
    if not close(v[1:3], t[1:3]):
        wrong = {
            "bx, by are relative to the whole image; measure them from the cell's top-left "
            "corner, in cell units (0 to 1).": (mx / n, my / n),
            f"bx, by are in pixels; divide by the cell size ({cs:g} px).": (mx - col * cs, my - row * cs),
            "You used the box's top-left corner; bx, by locate the MIDPOINT of the box.":
            (box[0] / cs - col, box[1] / cs - row),
            "bx and by are swapped: bx goes across (x), by down (y).": (t[2], t[1]),
        }
        hint = next((h for h, w in wrong.items() if close(v[1:3], w)),
                    "bx, by are the midpoint's position inside the cell, in cell units: "
                    f"(x / {cs:g} - col, y / {cs:g} - row).")
        return Feedback(False, hint)
    if not close(v[3:5], t[3:5]):
        h, w = box[3] - box[1], box[2] - box[0]
        wrong = {
            "bh and bw are swapped: the vector lists the height (bh) before the width (bw).":
            (t[4], t[3]),
            "bh, bw are relative to the whole image; the notes measure them in cells (so they "
            "can exceed 1 when the box is bigger than a cell).": (h / n, w / n),
            f"bh, bw are in pixels; divide by the cell size ({cs:g} px).": (h, w),
        }
        hint = next((hh for hh, ww in wrong.items() if close(v[3:5], ww)),
                    f"bh, bw are the box's height and width in cell units (pixels / {cs:g}).")
        return Feedback(False, hint)
    if not close(v[5:], t[5:]):
        return Feedback(False, "The classes are one-hot: c1, c2, c3 = 0, 1, 0 for a car "
                               "(the second class).")
    return Feedback(True, f"Correct: cell ({row}, {col}), y = ({', '.join(f'{x:g}' for x in t)}). "
                          "bw = 1.5 > 1: the car is wider than a cell.")


#: Exercise 10.4: detections of one class ranked by score (True = matches an unmatched object
#: with IoU >= 0.5), and how many true objects there are.
AP_EXERCISE = {"ranked_hits": (False, True, True, False, True), "n_true": 4}


def ap_by_hand(answer) -> Feedback:
    """Exercise 10.4: the VOC (all-point) average precision of ``AP_EXERCISE``."""
    from .detect import average_precision

    bad = _one_number(answer, "average precision")
    if bad is not None:
        return bad
    hits = np.array(AP_EXERCISE["ranked_hits"], float)
    n_true = AP_EXERCISE["n_true"]
    tp = np.cumsum(hits)
    precision = tp / np.arange(1, len(hits) + 1)
    recall = tp / n_true
    expected = average_precision(precision, recall)
    env = np.maximum.accumulate(precision[::-1])[::-1]
    eleven = np.mean([env[recall >= r].max() if np.any(recall >= r) else 0.0
                      for r in np.linspace(0, 1, 11)])
    mistakes = {
        "You summed the raw precision at each new recall. Interpolate first: at each recall "
        "level use the BEST precision reached at that recall or beyond (the curve is made "
        "monotone).": float(np.sum(precision * hits) / n_true),
        "You averaged the precision over the objects you found (3); AP divides by all true "
        "objects (4): an object never found adds nothing.": float(
            np.sum(env * hits) / hits.sum()),
        "You averaged the raw precision over the 3 objects found. Divide by all 4 true "
        "objects, and at each recall use the best precision reached at that recall or "
        "beyond (interpolation).": float(np.sum(precision * hits) / hits.sum()),
        "That is the precision of the whole list (3 right out of 5); AP sums precision over "
        "the recall steps.": float(precision[-1]),
        "That is the final recall (3 of 4 objects found); AP is the area under the "
        "precision-recall curve.": float(recall[-1]),
        "That is the 11-point AP of VOC 2007 (precision sampled at recall 0, 0.1, ..., 1). "
        "Here use the all-point version: sum over the recall steps.": float(eleven),
        "Recall divides by the number of true objects (4), not the number of detections (5).":
        float(np.sum(env * hits) / len(hits)),
    }
    fb = diagnose(float(answer), expected, mistakes, rtol=0, atol=6e-4, what="AP")
    if fb.ok:
        return Feedback(True, f"Correct: AP = 0.25 x 2/3 + 0.25 x 2/3 + 0.25 x 3/5 = {expected:.4f}.")
    if fb.message in mistakes:
        return fb
    return Feedback(False, f"{float(answer):g} is not right yet. List precision and recall "
                           "after each detection, make precision monotone (best to the right), "
                           "and add precision x recall step at each true positive.")


# --- lesson 07: classic networks, 1x1 convolutions, Inception ---


def _count_feedback(answer, expected: int, slips: list, generic: str, what: str) -> Feedback:
    """diagnose() for one count. slips: [(wrong value, hint)], first match wins; a wrong
    answer that matches no slip gets the generic hint, not the answer."""
    if answer is None:
        return Feedback(False, f"Replace None with your {what}.")
    mistakes = {}
    for value, hint in slips:
        if value != expected and hint not in mistakes:
            mistakes[hint] = value
    fb = diagnose(answer, expected, mistakes, what=what)
    if fb.ok or fb.message in mistakes:
        return fb
    return Feedback(False, f"{answer!r} is not right yet. {generic}")


def vgg_fc6_params(answer) -> Feedback:
    """Exercise 07.1: learnable parameters of VGG-16's fc6, which reads pool5's 7x7x512
    output (flattened) into 4096 units: ``7*7*512*4096 + 4096``."""
    n_in, units = 7 * 7 * 512, 4096
    slips = [
        (n_in * units, f"You forgot the biases: each of the {units} units has one."),
        (
            14 * 14 * 512 * units + units,
            "14x14x512 is conv5_3's output; pool5 halves it to 7x7x512 before fc6.",
        ),
        (
            512 * units + units,
            "fc6 reads every number of pool5's output: 7x7x512, not just the 512 channels.",
        ),
        (
            7 * 7 * units + units,
            "pool5's output has 512 channels: it flattens to 7x7x512 numbers, not 7x7.",
        ),
        (units * units + units, "That is fc7 (4096 -> 4096); fc6 reads the 7x7x512 pool5 output."),
        (
            224 * 224 * 3 * units + units,
            "fc6 does not see the image: it reads pool5's output, after 13 convs and 5 pools.",
        ),
        (n_in * units + n_in, "A bias belongs to each unit (4096 of them), not to each input."),
        (n_in + 1, "That is one unit's parameters: there are 4096 units."),
    ]
    generic = (
        "Find the shape of pool5's output (224 halved five times, 512 channels), flatten it, "
        "then count one weight per (input, unit) pair plus one bias per unit."
    )
    return _count_feedback(answer, n_in * units + units, slips, generic, "parameter count")


def _branch3_costs(n=28, c_in=192, mid=96, c_out=128, f=3):
    from .arith import conv_macs

    plain = conv_macs(n, f, c_in, c_out)
    return plain, conv_macs(n, 1, c_in, mid) + conv_macs(n, f, mid, c_out)


def inception_branch_macs(answer) -> Feedback:
    """Exercise 07.2: multiplications of Inception 3a's 3x3 branch on 28x28x192 ('same'
    3x3 conv with 128 filters), as a pair (plain, with the 1x1 bottleneck to 96 channels)."""
    from .arith import conv_macs, conv_params

    plain, bottle = _branch3_costs()
    if answer is None:
        return Feedback(False, "Replace None with your pair (plain, with_bottleneck).")
    try:
        pair = [float(v) for v in answer]
    except (TypeError, ValueError):
        return Feedback(False, f"Give two numbers (plain, with_bottleneck), got {answer!r}.")
    if len(pair) != 2:
        return Feedback(False, f"Give two numbers (plain, with_bottleneck), got {len(pair)}.")
    if _same(pair, [bottle, plain], 0, 0):
        return Feedback(False, "You swapped them: the plain 3x3 conv comes first.")
    outputs = 28 * 28 * 128
    common = [
        (
            float(conv_macs(26, 3, 192, 128)),
            "The 3x3 conv uses 'same' padding: its output stays 28x28, not 26x26.",
        ),
        (float(28 * 28 * 128 * 9), "Each 3x3 filter is as deep as its input: 3x3xC_in weights."),
        (
            float(conv_params(3, 192, 128)),
            "That is the parameter count; multiplications happen once per weight per output "
            "position (28x28 of them).",
        ),
    ]
    checks = (
        (
            "plain",
            pair[0],
            float(plain),
            common
            + [
                (
                    float(plain + outputs),
                    "Biases are added, not multiplied: leave them out of the count.",
                )
            ],
        ),
        (
            "with the bottleneck",
            pair[1],
            float(bottle),
            [
                (
                    float(conv_macs(28, 3, 96, 128)),
                    "Add the 1x1 conv's own multiplications (28x28x96 outputs, 192 each).",
                ),
                (
                    float(conv_macs(28, 1, 192, 96)),
                    "Add the 3x3 conv's multiplications, on the 96 reduced channels.",
                ),
                (
                    float(conv_macs(28, 1, 192, 96) + plain),
                    "After the 1x1 conv, the 3x3 filters read only its 96 channels, not 192.",
                ),
                (
                    float(conv_params(1, 192, 96) + conv_params(3, 96, 128)),
                    "That is the parameter count; multiplications happen once per weight per "
                    "output position (28x28 of them).",
                ),
                (
                    float(bottle + outputs + 28 * 28 * 96),
                    "Biases are added, not multiplied: leave them out of the count.",
                ),
            ],
        ),
    )
    for what, got, expected, slips in checks:
        if not _same(got, expected, 0, 0):
            hint = next((h for v, h in slips if _same(got, v, 0, 0)), None)
            hint = hint or (
                "Count outputs (H x W x filters) times the weights in one filter "
                "(f x f x C_in), for each conv of the branch."
            )
            return Feedback(False, f"Your {what} count ({got:,.0f}) is not right: {hint}")
    return Feedback(
        True,
        f"Correct: {plain:,} plain vs {bottle:,} with the bottleneck "
        f"({plain / bottle:.2f}x fewer).",
    )


#: Exercise 07.3: GoogLeNet's second module (3b), on the 28x28x256 output of 3a.
INCEPTION_3B = {
    "input": (28, 28, 256),
    "c1": 128,
    "c3_reduce": 128,
    "c3": 192,
    "c5_reduce": 32,
    "c5": 96,
    "pool_proj": 64,
}


def inception_output_shape(answer) -> Feedback:
    """Exercise 07.3: the (H, W, C) output of Inception 3b (:data:`INCEPTION_3B`):
    every branch keeps 28x28, the channels of the four branches are stacked."""
    m = INCEPTION_3B
    h, w, c = m["input"]
    c_out = m["c1"] + m["c3"] + m["c5"] + m["pool_proj"]
    if answer is None:
        return Feedback(False, "Replace None with your (H, W, C) tuple.")
    try:
        got = tuple(int(v) for v in answer)
    except (TypeError, ValueError):
        return Feedback(False, f"Give three integers (H, W, C), got {answer!r}.")
    if len(got) != 3:
        return Feedback(False, f"Give three numbers (H, W, C), got {len(got)}.")
    if got == (c_out, h, w):
        return Feedback(False, "Give the shape as (H, W, C), channels last, as in the notes.")
    if got[:2] != (h, w):
        return Feedback(
            False,
            "Every branch keeps the height and width ('same' padding, stride-1 pooling), so "
            "the branches can be stacked: H and W do not change.",
        )
    slips = [
        (
            m["c1"] + m["c3"] + m["c5"],
            "You left out the pooling branch: its 1x1 conv adds 64 channels.",
        ),
        (
            m["c1"] + m["c3"] + m["c5"] + c,
            "In the module with bottlenecks, the pool branch ends with a 1x1 conv to 64 "
            "channels; only the naive module passes the 256 input channels through.",
        ),
        (
            c_out + m["c3_reduce"] + m["c5_reduce"],
            "The 1x1 reductions (128 and 32) feed the 3x3 and 5x5 convs; they are not part "
            "of the output. Only the last layer of each branch is stacked.",
        ),
        (
            max(m["c1"], m["c3"], m["c5"], m["pool_proj"]),
            "The branches are stacked along the channels: add their channels.",
        ),
        (c, "The output channels are not the input's: add up the last layer of each branch."),
    ]
    hint = next((t for v, t in slips if got[2] == v), None)
    if got[2] == c_out:
        return Feedback(
            True,
            f"Correct: {h}x{w}x{c_out} = {m['c1']} + {m['c3']} + {m['c5']} + {m['pool_proj']} channels.",
        )
    return Feedback(
        False,
        hint or "Not right yet: add the channels of the last layer of each of the four branches.",
    )


def pointwise_conv_function(fn) -> Feedback:
    """Exercise 07.4: check a learner's ``pointwise_conv(x, w, b)``: x (N, C_in, H, W),
    w (C_out, C_in), b (C_out,) -> (N, C_out, H, W), the 1x1 convolution."""
    from .conv import conv2d

    if not callable(fn):
        return Feedback(False, f"Pass your function itself (pointwise_conv), got {fn!r}.")
    rng = np.random.default_rng(7)
    # a square case first (C_in = C_out), where a transposed w runs but gives wrong values
    cases = [(3, 4, 5, 2, 4), (1, 3, 4, 4, 2), (2, 5, 3, 6, 4), (1, 6, 1, 7, 1)]
    for n, c_in, h, wd, c_out in cases:
        x = rng.normal(size=(n, c_in, h, wd))
        w = rng.normal(size=(c_out, c_in))
        b = rng.normal(size=c_out)
        expected = conv2d(x, w[:, :, None, None]) + b[None, :, None, None]
        try:
            got = np.asarray(fn(x, w, b), dtype=float)
        except Exception as err:  # the learner's code: report, never crash the checker
            return Feedback(
                False,
                f"pointwise_conv on x {x.shape}, w {w.shape} raised {type(err).__name__}: {err}",
            )
        where = f"For x of shape {x.shape} and w of shape {w.shape}: "
        if got.shape == expected.shape and np.allclose(got, expected):
            continue
        mistakes = {
            "you forgot the bias b (one per output channel).": expected - b[None, :, None, None],
            "the output should be channels first (N, C_out, H, W); yours has the channels last.": expected.transpose(
                0, 2, 3, 1
            ),
            "the sum runs over the input channels at one pixel, not over the pixels.": (
                np.einsum("oc,nchw->no", w, x) + b
            ),
        }
        if c_in == c_out:
            mistakes[
                "you used w transposed: w[o, c] is the weight from input channel c to output o."
            ] = conv2d(x, w.T[:, :, None, None]) + b[None, :, None, None]
        for hint, wrong in mistakes.items():
            if got.shape == wrong.shape and np.allclose(got, wrong):
                return Feedback(False, where + hint)
        if got.shape != expected.shape:
            return Feedback(
                False, where + f"the output should have shape {expected.shape}, got {got.shape}."
            )
        return Feedback(
            False,
            where + "the values are not right yet: out[n, o, i, j] = sum over c of "
            "w[o, c] * x[n, c, i, j], plus b[o].",
        )
    return Feedback(
        True, f"Correct on all {len(cases)} cases: a 1x1 conv is w @ x at every pixel, plus b."
    )


# --- lesson 12: 1D and 3D convolution ---

#: Exercise 12.1: ``nn.Conv1d(4, 16, kernel_size=15, stride=4, padding=7)`` on the EEG
#: recording, 4 channels x 800 samples.
CONV1D_EXERCISE = {"c_in": 4, "length": 800, "c_out": 16, "kernel": 15, "stride": 4, "padding": 7}

#: Exercise 12.2: ``nn.Conv3d(8, 16, kernel_size=3)`` on a volume with 8 channels.
CONV3D_EXERCISE = {"c_in": 8, "c_out": 16, "kernel": (3, 3, 3)}


def conv1d_output_shape(answer) -> Feedback:
    """Exercise 12.1: output shape (C_out, L_out) of ``CONV1D_EXERCISE``: (16, 200),
    with ``L_out = floor((L + 2p - f)/s) + 1``."""
    e = CONV1D_EXERCISE
    n, f, p, s, c_in, c_out = (
        e[k] for k in ("length", "kernel", "padding", "stride", "c_in", "c_out")
    )
    if answer is None or isinstance(answer, (str, bytes)) or np.ndim(answer) != 1:
        return Feedback(False, "Give the shape as a tuple of two integers (C_out, L_out).")
    answer = tuple(np.asarray(answer).tolist())
    length = (n + 2 * p - f) // s + 1
    expected = (c_out, length)
    if len(answer) == 3 and answer[0] == 1 and _same(answer[1:], expected, 0, 0):
        return Feedback(False, "Right numbers, but leave out the batch axis: give (C_out, L_out).")
    if len(answer) != 2:
        return Feedback(False, f"Give two numbers (C_out, L_out), got {len(answer)}: {answer!r}.")
    formula = f"floor(({n} + 2·{p} - {f})/{s}) + 1"
    slips = {
        f"Right length, but a Conv1d outputs one channel per filter: {c_out}, not the input's "
        f"{c_in}.": (c_in, length),
        "Write it as (C_out, L_out): channels first, as PyTorch does.": (length, c_out),
        f"The formula rounds down: {formula} = {length}, not the ceiling.": (
            c_out,
            -(-(n + 2 * p - f) // s) + 1,
        ),
        f"One short: check the + 1 at the end of floor((L + 2p - f)/s) + 1, and that the "
        f"padding is added at both ends (2p = {2 * p}).": (c_out, length - 1),
        f"You left out the padding: with p = {p} the padded signal is {n + 2 * p} long.": (
            c_out,
            (n - f) // s + 1,
        ),
        f"That is the length at stride 1 (this padding keeps all {n} samples); stride {s} "
        f"keeps one output in {s}.": (c_out, n + 2 * p - f + 1),
    }
    fb = diagnose(answer, expected, slips, rtol=0, atol=0, what="shape")
    if fb.ok:
        return Feedback(True, f"Correct: {formula} = {length} samples, {c_out} channels.")
    if fb.message in slips:
        return fb
    return Feedback(
        False,
        f"{answer!r} is not right yet: one channel per filter, and along time "
        "L_out = floor((L + 2p - f)/s) + 1.",
    )


def conv3d_params(answer) -> Feedback:
    """Exercise 12.2: learnable parameters of ``CONV3D_EXERCISE``:
    ``c_out * (f_d * f_h * f_w * c_in + 1) = 16 * (27 * 8 + 1) = 3472``."""
    e = CONV3D_EXERCISE
    c_in, c_out = e["c_in"], e["c_out"]
    k = int(np.prod(e["kernel"]))
    expected = c_out * (k * c_in + 1)
    if answer is None:
        return Feedback(False, "Replace None with your number.")
    slips = {
        f"You forgot the biases: each of the {c_out} filters has one.": c_out * k * c_in,
        f"A filter is as deep as its input: each is 3x3x3x{c_in} (the {c_in} input channels), "
        "not 3x3x3.": c_out * (k + 1),
        f"Two slips: each filter spans all {c_in} input channels, and has a bias.": c_out * k,
        "A 3D kernel 3x3x3 has 27 weights per input channel, not 9 (that is a 2D 3x3 "
        "kernel).": c_out * (9 * c_in + 1),
        f"Each filter has its own bias: {c_out} biases, not one.": c_out * k * c_in + 1,
        "A filter has one bias, not one per input channel.": c_out * (k * c_in + c_in),
        f"That is one filter (3x3x3x{c_in} + 1); there are {c_out}.": k * c_in + 1,
    }
    fb = diagnose(answer, expected, slips, rtol=0, atol=0, what="count")
    if fb.ok:
        return Feedback(
            True, f"Correct: {c_out} · (27 · {c_in} + 1) = {expected}, whatever the volume's size."
        )
    if fb.message in slips:
        return fb
    return Feedback(
        False,
        f"{answer!r} is not right yet: count one filter (its weights span 3x3x3 voxels in all "
        f"{c_in} input channels, plus a bias), then multiply by the number of filters. "
        "The volume's size does not enter.",
    )


def derivative_kernel(answer) -> Feedback:
    """Exercise 12.3: a length-3 kernel ``w`` such that ``signals.filter_signal(x, w)`` is
    the centred derivative ``(x[i+1] - x[i-1]) / 2``: ``[-1/2, 0, 1/2]`` (not flipped)."""
    if answer is None:
        return Feedback(False, "Replace None with your kernel, three numbers.")
    try:
        w = np.asarray(answer, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        return Feedback(False, f"Give the kernel as three numbers, got {answer!r}.")
    if w.size != 3:
        return Feedback(False, f"The kernel has 3 numbers (w[0], w[1], w[2]), got {w.size}.")
    expected = np.array([-0.5, 0.0, 0.5])
    slips = {
        "That kernel computes minus the derivative: it is flipped. cnnlab.conv1d, like "
        "PyTorch, does not flip the kernel: out[i] = w[0]·x[i-1] + w[1]·x[i] + w[2]·x[i+1]. "
        "(A textbook convolution flips it, hence the [1, 0, -1] you may have seen.)": -expected,
        "Twice the derivative: x[i+1] and x[i-1] are 2 samples apart, so divide the "
        "difference by 2.": 2 * expected,
        "Two slips: the kernel is flipped (conv1d does not flip: w[2] multiplies x[i+1]) "
        "and the difference must be divided by the 2 samples between x[i-1] and x[i+1].": (
            -2 * expected
        ),
        "That is the second derivative (the curvature), x[i-1] - 2x[i] + x[i+1].": [1, -2, 1],
        "That is the negative second derivative; the first derivative is antisymmetric "
        "(w[0] = -w[2]).": [-1, 2, -1],
        "That kernel averages (its weights sum to 1): it smooths. A derivative kernel "
        "sums to 0, so a constant signal gives 0.": np.full(3, 1 / 3),
        "That is the forward difference x[i+1] - x[i]: a derivative, but half a sample "
        "to the right. The centred one uses both neighbours.": [0, -1, 1],
        "That is the backward difference x[i] - x[i-1]: a derivative, but half a sample "
        "to the left. The centred one uses both neighbours.": [-1, 1, 0],
    }
    fb = diagnose(w, expected, slips, what="kernel")
    if fb.ok:
        return Feedback(True, "Correct: [-1/2, 0, 1/2] gives (x[i+1] - x[i-1]) / 2.")
    if fb.message in slips:
        return fb
    if abs(w.sum()) > 1e-9:
        return Feedback(
            False,
            f"Your kernel's weights sum to {w.sum():g}: on a constant signal it gives "
            f"{w.sum():g} × the constant, but a constant's derivative is 0.",
        )
    return Feedback(
        False,
        "Not yet: out[i] = w[0]·x[i-1] + w[1]·x[i] + w[2]·x[i+1] should equal "
        "(x[i+1] - x[i-1]) / 2. Try it on x = t (a ramp): the answer must be 1 everywhere.",
    )


# --- lesson 08: ResNet ---


def projection_shortcut_params(answer) -> Feedback:
    """Exercise 08.1: learnable parameters of the projection shortcut of a residual block
    from 16 to 32 channels (a 1x1 convolution with stride 2 and no bias): ``16 * 32``."""
    c_in, c_out = 16, 32
    if answer is None:
        return Feedback(False, "Replace None with your parameter count.")
    slips = [
        (0, "0 is the identity shortcut (zero padding, nothing learned); the projection is a 1x1 conv."),
        (c_in * c_out + c_out, "The projection has no bias (bias=False): count only its weights."),
        (9 * c_in * c_out, "The projection is a 1x1 convolution, not 3x3: one weight per (in, out) pair."),
        (9 * c_in * c_out + c_out, "The projection is a 1x1 convolution without bias, not a 3x3 conv."),
        (c_out * c_out, "It reads the block's input, which has 16 channels, not 32."),
        (c_in * c_in, "It outputs 32 channels (the block's output), not 16."),
        (c_in + c_out, "Each of the 32 filters is 1x1x16: 16 weights each, multiply, don't add."),
        (c_in * c_out // 4, "The stride skips pixels; it does not change the number of weights."),
    ]
    generic = (
        "A 1x1 conv from C_in to C_out channels has one weight per (input channel, output "
        "channel) pair; the stride changes the output size, not the weights."
    )
    return _count_feedback(answer, c_in * c_out, slips, generic, "parameter count")


def residual_identity(block) -> Feedback:
    """Exercise 08.2: ``block`` (a cnnlab.resnet.Block with 16 channels, residual) must
    compute exactly the identity on non-negative inputs (set f's last conv to zero)."""
    import torch

    from .resnet import Block

    if not isinstance(block, Block):
        return Feedback(False, f"Pass the cnnlab.resnet.Block itself, got {type(block).__name__}.")
    if not block.residual:
        return Feedback(
            False,
            "That is a plain block: with no shortcut, zeroing f gives relu(0) = 0, not x. "
            "Use the residual block.",
        )
    gen = torch.Generator().manual_seed(8)
    x = torch.rand(4, block.c_in, 6, 6, generator=gen)
    with torch.no_grad():
        out = block(x)
        w2, b2 = block.conv2.weight, block.conv2.bias
        if out.shape == x.shape and torch.allclose(out, x, atol=1e-6):
            return Feedback(True, "Correct: f(x) = 0, so the block outputs relu(0 + x) = x.")
        if (w2 == 0).all() and b2 is not None and (b2 != 0).any():
            return Feedback(
                False, "conv2's weights are zero but its bias still adds a constant: zero it too."
            )
        if (block.conv1.weight == 0).all() and not (w2 == 0).all():
            return Feedback(
                False,
                "Zeroing conv1 is not enough: conv2 still turns relu(conv1's bias) into a "
                "non-zero f. Zero the last conv of f (conv2), weights and bias.",
            )
    return Feedback(
        False,
        "The block does not give back its input yet. h(x) = relu(f(x) + x) with "
        "f(x) = conv2(relu(conv1(x))): which layer's parameters make f exactly 0?",
    )


def vanishing_factor(answer) -> Feedback:
    """Exercise 08.3: a gradient that shrinks by 0.5 in each of 20 plain layers on its way
    back reaches the first layer multiplied by ``0.5 ** 20``."""
    if answer is None:
        return Feedback(False, "Replace None with your factor.")
    slips = [
        (0.5 * 20, "The factors multiply, one per layer: 0.5 times 0.5 times ..., not 0.5 * 20."),
        (0.5**19, "Count again: the gradient passes through all 20 layers."),
        (0.5**21, "Count again: the gradient passes through 20 layers, not 21."),
        (20**0.5, "The factor is 0.5 per layer raised to the number of layers, not 20 ** 0.5."),
        (1.5**20, "That is (1 + 0.5) per layer, a residual block's factor; the plain net has 0.5."),
        (1 - 0.5**20, "That is how much is lost; the question asks for what is left."),
    ]
    expected = 0.5**20
    mistakes = {hint: v for v, hint in slips}
    fb = diagnose(answer, expected, mistakes, rtol=1e-3, atol=0, what="factor")
    if fb.ok or fb.message in mistakes:
        return fb
    return Feedback(
        False,
        f"{answer!r} is not right yet. Each layer multiplies the gradient by 0.5; "
        "what is the product over 20 layers?",
    )


# --- lesson 11: neural style transfer ---
# two channels over 2x2 positions: channel 0 is a "vertical stripe" detector, channel 1 an
# "orange tint" detector that fires where the stripe does
GRAM_ACTIVATIONS = np.array([[[1.0, 0.0], [2.0, 0.0]], [[3.0, 1.0], [1.0, 0.0]]])


def gram_by_hand(answer) -> Feedback:
    """Exercise 11.1: the Gram matrix G = A Aᵀ of ``GRAM_ACTIVATIONS`` (n_C=2, 2x2 positions),
    a 2x2 matrix."""
    if answer is None:
        return Feedback(False, "Replace None with your 2x2 Gram matrix.")
    a = GRAM_ACTIVATIONS.reshape(2, -1)
    expected = a @ a.T
    if np.asarray(answer, dtype=object).shape == (4, 4):
        return Feedback(
            False,
            "Your matrix is 4x4: that is AᵀA, products between positions. The style matrix "
            "compares channels: with A unrolled to (n_C, n_H·n_W), G = A Aᵀ is n_C x n_C.",
        )
    slips = {
        "You divided by the number of positions (4): the notes' Gram matrix is the plain sum "
        "over positions; the normalisation comes later, in the style cost.": expected / 4,
        "Only the diagonal is right: G[k, k'] for k ≠ k' is Σ a_k·a_k' over positions, how "
        "much the two channels fire together.": np.diag(np.diag(expected)),
        "You multiplied the channels' totals (Σ a_k)(Σ a_k'): multiply position by position "
        "first, then sum.": np.outer(a.sum(1), a.sum(1)),
        "You subtracted each channel's mean first (a covariance): the notes' Gram matrix uses "
        "the raw activations.": (a - a.mean(1, keepdims=True)) @ (a - a.mean(1, keepdims=True)).T,
    }
    fb = diagnose(answer, expected, slips, what="Gram matrix")
    if fb.ok:
        return Feedback(
            True,
            f"Correct: G = {expected.tolist()}. G[0, 1] = {expected[0, 1]:g} is large: the stripe "
            "and the tint occur together, a trait of this 'style'.",
        )
    return fb


def _style_cost_variant(a_S, a_G, mistake=None) -> float:
    n_C, n_H, n_W = a_S.shape
    s, g = a_S.reshape(n_C, -1), a_G.reshape(n_C, -1)
    if mistake == "positions":
        gs, gg = s.T @ s, g.T @ g
    else:
        gs, gg = s @ s.T, g @ g.T
    sq = np.sum((gs - gg) ** 2)
    norm = {
        None: (2 * n_H * n_W * n_C) ** 2,
        "positions": (2 * n_H * n_W * n_C) ** 2,
        "unsquared": 2 * n_H * n_W * n_C,
        "content": 4 * n_H * n_W * n_C,
        "none": 1.0,
        "no2": (n_H * n_W * n_C) ** 2,
    }[mistake if mistake != "sqrt" else None]
    return float(np.sqrt(sq) / norm) if mistake == "sqrt" else float(sq / norm)


def layer_style_cost_function(fn) -> Feedback:
    """Exercise 11.2: ``fn(a_S, a_G)`` -> J_style^[l] = 1/(2·n_H·n_W·n_C)² Σ (G_S − G_G)²
    for (n_C, n_H, n_W) NumPy arrays."""
    rng = np.random.default_rng(11)
    hints = {
        "positions": "You built AᵀA (positions x positions): the style matrix is A Aᵀ, "
        "channels x channels.",
        "unsquared": "The normaliser is squared: 1/(2·n_H·n_W·n_C)², not 1/(2·n_H·n_W·n_C).",
        "content": "That is the content cost's normaliser 1/(4·n_H·n_W·n_C); the style cost "
        "uses 1/(2·n_H·n_W·n_C)² (Gram entries are sums of products, so they scale twice as fast).",
        "none": "You left out the normaliser 1/(2·n_H·n_W·n_C)².",
        "no2": "The normaliser is (2·n_H·n_W·n_C)² = 4·(n_H·n_W·n_C)²: you forgot the 2.",
        "sqrt": "You took the Frobenius norm ‖G_S − G_G‖ itself; the cost sums the squares, "
        "without the square root.",
    }
    for shape in [(3, 4, 5), (6, 2, 3)]:
        a_S, a_G = rng.random(shape), rng.random(shape)
        try:
            got = float(fn(a_S.copy(), a_G.copy()))
        except Exception as e:  # the learner's code: report any error in words
            return Feedback(False, f"Your function raised {type(e).__name__}: {e} (for shape {shape}).")
        expected = _style_cost_variant(a_S, a_G)
        if np.isclose(got, expected, rtol=1e-6):
            continue
        for mistake, hint in hints.items():
            if np.isclose(got, _style_cost_variant(a_S, a_G, mistake), rtol=1e-6):
                return Feedback(False, hint)
        return Feedback(
            False,
            f"For activations of shape {shape} your function gave {got:.6g}, expected "
            f"{expected:.6g}: unroll to (n_C, n_H·n_W), G = A Aᵀ, then sum the squared "
            "differences and divide by (2·n_H·n_W·n_C)².",
        )
    return Feedback(True, "Correct: your layer style cost matches the notes' formula on two shapes.")


# --- lesson 09: transfer learning and data augmentation ---


def head_only_trainable(answer) -> Feedback:
    """Exercise 09.1: trainable parameters of transfer.SmallCNN for the 5 new classes with
    every conv block frozen: only the new head, 128 inputs -> 5 units: ``128*5 + 5``."""
    n_in, units = 32 * 2 * 2, 5
    conv = (1 * 9 * 16 + 16) + (16 * 9 * 32 + 32) + (32 * 9 * 32 + 32)
    slips = [
        (n_in * units, "You forgot the biases: each of the 5 new units has one."),
        (n_in * 10 + 10, "The new head has 5 outputs (digits 5-9), not 10."),
        (conv + n_in * units + units, "That is the whole network: the frozen conv blocks do not count."),
        (conv, "Those are the frozen conv weights; count the ones that still train."),
        (32 * units + units, "The head reads every number of conv3's output: 32 channels x 2 x 2."),
        (0, "The new head is never frozen: it has to learn the new classes."),
    ]
    generic = (
        "Only the head trains: find how many numbers it reads (conv3's output, flattened), "
        "then count one weight per (input, output) pair plus one bias per output."
    )
    return _count_feedback(answer, n_in * units + units, slips, generic, "parameter count")


def freeze_function(freeze_all_but_head) -> Feedback:
    """Exercise 09.2: ``freeze_all_but_head(model)`` must leave only ``model.head`` trainable
    (weight and bias) on a transfer.SmallCNN, and keep the weights unchanged."""
    import torch

    if not callable(freeze_all_but_head) or isinstance(freeze_all_but_head, torch.nn.Module):
        return Feedback(False, "Pass your function itself (no parentheses).")

    from .transfer import SmallCNN

    torch.manual_seed(0)
    model = SmallCNN(5)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    out = freeze_all_but_head(model)
    model = out if isinstance(out, SmallCNN) else model
    body = [p.requires_grad for n, p in model.named_parameters() if not n.startswith("head")]
    head = {n: p.requires_grad for n, p in model.named_parameters() if n.startswith("head")}
    if any(not torch.equal(before[k], v) for k, v in model.state_dict().items()):
        return Feedback(False, "Freezing must not change the weights, only whether they train.")
    if all(body) and all(head.values()):
        return Feedback(False, "Nothing is frozen: set requires_grad to False on the conv blocks.")
    if not any(head.values()):
        return Feedback(False, "The head is frozen too: then nothing can learn the new classes.")
    if not all(head.values()):
        frozen = [n for n, v in head.items() if not v]
        return Feedback(False, f"Part of the head is frozen ({frozen}): both weight and bias train.")
    if any(body):
        return Feedback(False, "Some conv parameters still train: freeze every block before the head.")
    return Feedback(True, "Correct: only the head's 645 parameters will train.")


def mirror_function(mirror) -> Feedback:
    """Exercise 09.3: ``mirror(x)`` flips a (N, C, H, W) torch batch left-right."""
    if not callable(mirror):
        return Feedback(False, "Pass your function itself (no parentheses).")
    import torch

    x = torch.arange(2 * 3 * 4 * 5, dtype=torch.float32).reshape(2, 3, 4, 5)
    try:
        got = mirror(x.clone())
    except Exception as e:  # the learner's code: report, don't crash the notebook
        return Feedback(False, f"Your function raised {type(e).__name__}: {e}")
    got = torch.as_tensor(got)
    if got.shape != x.shape:
        return Feedback(False, f"The output has shape {tuple(got.shape)}; it must keep {tuple(x.shape)}.")
    wrong = {
        "That flips top and bottom (axis H): a mirror swaps left and right (axis W, the last).": x.flip(2),
        "That reverses the colour channels (RGB -> BGR), not the columns.": x.flip(1),
        "That reverses the order of the images in the batch, not their columns.": x.flip(0),
        "That flips both axes (a 180° rotation): flip only the last axis, W.": x.flip(2, 3),
        "Your function returns the batch unchanged.": x,
    }
    if torch.equal(got, x.flip(3)):
        return Feedback(True, "Correct: column j of the output is column W-1-j of the input.")
    for hint, w in wrong.items():
        if torch.equal(got, w):
            return Feedback(False, hint)
    return Feedback(False, "Not a left-right mirror yet: output[..., j] must be x[..., W-1-j].")
