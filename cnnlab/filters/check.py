"""Exercise checkers of convolution and filters: one Sobel output by hand, the convolution
loop, a horizontal-edge filter, and the parameters of a filter bank. Used by lesson 02.

Each checker returns a :class:`cnnlab.feedback.Feedback` that names the likely mistake.
"""

from __future__ import annotations

import numpy as np

from ..arith import conv_params
from ..conv import conv2d
from ..feedback import Feedback, diagnose
from ..i18n import tr
from .kernels import prewitt_x, prewitt_y, scharr_y, sobel_x, sobel_y

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
    """out[3, 1] of SOBEL_EXERCISE_IMAGE (6x6) cross-correlated with sobel_x: one number."""
    if answer is None:
        return Feedback(False, tr("Replace the placeholder None with your number."))
    r, c = SOBEL_EXERCISE_POSITION
    x = SOBEL_EXERCISE_IMAGE[None, None]

    def out(k):
        return conv2d(x, k[None, None])[0, 0]

    s, plain = out(sobel_x()), out(prewitt_x())
    mistakes = {
        tr(
            "Opposite sign: you flipped the kernel (that is the mathematicians' convolution). "
            "In deep learning the kernel slides as it is: multiply w[i, j] with the pixel at "
            "the same place in the window."
        ): out(np.flip(sobel_x()))[r, c],
        tr(
            "That is out[{c}, {r}]: the first index is the row (down), the second the column "
            "(across)."
        ).format(r=r, c=c): s[c, r],
        tr(
            "That is out[{r1}, {c1}]: output (r, c) uses the window whose top-left corner is "
            "input pixel (r, c), counting rows and columns from 0; the window is not centred "
            "on it."
        ).format(r1=r - 1, c1=c - 1): s[r - 1, c - 1],
        tr("Close: Sobel's middle row weighs 2, not 1 (you used the plain 1, 0, -1 rows)."): (
            plain[r, c]
        ),
        tr(
            "You used the transposed kernel (sobel_y, horizontal edges): sobel_x has the "
            "columns 1, 2, 1 / 0, 0, 0 / -1, -2, -1."
        ): out(sobel_y())[r, c],
    }
    return diagnose(answer, s[r, c], mistakes, what=tr("value of out[{r}, {c}]").format(r=r, c=c))


def conv2d_loop(fn) -> Feedback:
    """``fn(x, w, b)`` with x (C, H, W), w (C, KH, KW), b a number must return the
    (H-KH+1, W-KW+1) map ``sum(window * w) + b`` at every position, like cnnlab.conv2d.

    Tried on several shapes (rectangular images and kernels, 1 and 3 channels).
    """
    if fn is None:
        return Feedback(False, tr("Replace the placeholder None with your function."))
    if not callable(fn):
        return Feedback(
            False,
            tr("Pass the function itself (my_conv2d), not {kind}.").format(kind=type(fn).__name__),
        )
    rng = np.random.default_rng(2)
    cases = [((1, 6, 6), (1, 3, 3)), ((3, 7, 5), (3, 3, 3)), ((3, 6, 9), (3, 2, 4))]
    for x_shape, w_shape in cases:
        x = rng.integers(-4, 5, size=x_shape).astype(float)
        w = rng.integers(-3, 4, size=w_shape).astype(float)
        fb = _loop_case(fn, x, w, 1.5)
        if not fb.ok:
            return fb
    return Feedback(True, tr("Correct: your loops compute what cnnlab.conv2d computes."))


def _loop_case(fn, x, w, b) -> Feedback:
    """conv2d_loop on one case: x (C, H, W), w (C, KH, KW), b a number."""
    ref = conv2d(x[None], w[None], np.array([b]))[0, 0]
    where = tr(" (on x of shape {x}, w {w})").format(x=x.shape, w=w.shape)
    try:
        got = fn(x.copy(), w.copy(), b)
    except Exception as err:  # the learner's code: report any error, do not crash
        return Feedback(
            False,
            tr(
                "Your function raised {error}: {err}{where}. Check that the window "
                "x[:, r:r+KH, c:c+KW] stays inside the image."
            ).format(error=type(err).__name__, err=err, where=where),
        )
    if got is None:
        return Feedback(False, tr("Your function returned None: end it with `return out`."))
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return Feedback(
            False,
            tr("Return a NumPy array of numbers, got {kind}{where}.").format(
                kind=type(got).__name__, where=where
            ),
        )
    h, wd = ref.shape
    if got.shape == (wd, h) and h != wd:
        return Feedback(
            False,
            tr(
                "Rows and columns are swapped: expected shape (H-KH+1, W-KW+1) = {shape}, "
                "got {got}{where}."
            ).format(shape=ref.shape, got=got.shape, where=where),
        )
    if got.shape != ref.shape:
        return Feedback(
            False,
            tr(
                "Wrong output size{where}: a valid convolution gives (H-KH+1, W-KW+1) = "
                "{shape} (n - f + 1 on each side), got {got}. Check the ranges of your loops."
            ).format(where=where, shape=ref.shape, got=got.shape),
        )
    if np.allclose(got, 0):
        return Feedback(
            False,
            tr(
                "Your output is all zeros{where}: fill in the dot product of the window "
                "with w (plus b) in the inner loop."
            ).format(where=where),
        )
    return diagnose(got, ref, _loop_mistakes(x, w, b, where), what=tr("output"))


def _loop_mistakes(x, w, b, where: str) -> dict:
    """{hint: what a convolution loop with that slip returns} for x (C, H, W), w (C, KH, KW)."""
    ref = conv2d(x[None], w[None], np.array([b]))[0, 0]
    flipped = conv2d(x[None], np.flip(w, axis=(1, 2))[None], np.array([b]))[0, 0]
    first_channel = conv2d(x[None, :1], w[None, :1])[0, 0] + b
    averaged = conv2d(x[None], w[None])[0, 0] / w.size + b
    return {
        tr(
            "You flipped the kernel (true convolution): deep-learning 'convolution' "
            "multiplies each window with w as it is, without flipping."
        )
        + where: flipped,
        tr("Almost: you forgot to add the bias b.") + where: ref - b,
        tr(
            "You used only the first channel: the filter is as deep as the image, so sum "
            "the products over all channels."
        )
        + where: first_channel,
        tr(
            "Rows and columns are swapped: out[r, c] uses rows r..r+KH-1 and columns "
            "c..c+KW-1 of the image."
        )
        + where: ref.T,
        tr("Sum the products, do not average them: out = sum(window * w) + b.") + where: averaged,
    }


def horizontal_filter(kernel) -> Feedback:
    """A 2D kernel (K, K') that gives a positive response to a horizontal edge with the
    bright side on top, and 0 on flat regions and on vertical edges."""
    if kernel is None:
        return Feedback(False, tr("Replace the placeholder None with a 3x3 NumPy array."))
    try:
        k = np.asarray(kernel, dtype=float)
    except (TypeError, ValueError):
        return Feedback(
            False, tr("Give the kernel as a NumPy array of numbers: np.array([[...], ...]).")
        )
    if k.ndim != 2 or min(k.shape) < 2 or max(k.shape) > 7:
        return Feedback(
            False, tr("Give a 2D kernel such as 3x3, got shape {shape}.").format(shape=k.shape)
        )
    flat, vertical, horizontal = _edge_responses(k)
    tol = 1e-6
    if np.abs(flat).max() > tol:
        return Feedback(
            False,
            tr(
                "Your kernel responds to a flat grey area (weights sum to {total:g}): an edge "
                "detector must give 0 where nothing changes, so its weights must sum to 0."
            ).format(total=k.sum()),
        )
    if np.abs(vertical).max() > tol:
        if np.abs(horizontal).max() <= tol:
            return Feedback(
                False,
                tr(
                    "This kernel detects vertical edges (left-right changes), not horizontal "
                    "ones: transpose it (kernel.T)."
                ),
            )
        return Feedback(
            False,
            tr(
                "Your kernel also responds to vertical edges: make every column sum to 0, so "
                "a pattern that changes only from left to right gives 0."
            ),
        )
    peak = horizontal.max() if abs(horizontal.max()) >= abs(horizontal.min()) else horizontal.min()
    if abs(peak) <= tol:
        return Feedback(
            False, tr("Your kernel gives 0 on a horizontal edge too: it detects nothing.")
        )
    if peak < 0:
        return Feedback(
            False,
            tr(
                "Right direction, wrong sign: it responds negatively to bright-above-dark. Put "
                "the positive weights in the top row (or multiply by -1)."
            ),
        )
    return _named_horizontal(k)


def _edge_responses(k, n: int = 12):
    """Responses of kernel k (K, K') to three n x n test images: flat grey, a vertical edge
    (bright left) and a horizontal edge (bright top), each divided by ``sum(|k|)``.

    Returns three (n-K+1, n-K'+1) arrays: (flat, vertical, horizontal).
    """
    k = np.asarray(k, dtype=float)
    scale = max(np.abs(k).sum(), 1e-12)

    def response(img):
        return conv2d(img[None, None], k[None, None])[0, 0] / scale

    step = (np.arange(n) < n // 2).astype(float)
    return (
        response(np.ones((n, n))),
        response(np.tile(step, (n, 1))),
        response(np.tile(step[:, None], (1, n))),
    )


def _named_horizontal(k) -> Feedback:
    """The success message of horizontal_filter, naming the textbook filter k is (if any)."""
    scale = max(np.abs(k).sum(), 1e-12)
    for name, ref in (("Prewitt", prewitt_y()), ("Sobel", sobel_y()), ("Scharr", scharr_y())):
        if k.shape == ref.shape and np.allclose(k / scale, ref / np.abs(ref).sum()):
            return Feedback(
                True, tr("Correct: that is {name}'s horizontal-edge filter.").format(name=name)
            )
    return Feedback(
        True,
        tr(
            "Correct: flat areas and vertical edges give 0, bright-above-dark gives a positive "
            "response."
        ),
    )


def filter_bank_params(answer) -> Feedback:
    """Learnable parameters of 16 filters of 5x5 on a 224x224 RGB image: one number."""
    if answer is None:
        return Feedback(False, tr("Replace the placeholder None with your number."))
    mistakes = {
        tr("You forgot the biases: one per filter."): 16 * 5 * 5 * 3,
        tr("Each filter is as deep as its input: 5x5x3 weights, not 5x5."): 16 * (5 * 5 + 1),
        tr("Each filter has its own bias, so 16 biases, not one for the layer."): (
            16 * 5 * 5 * 3 + 1
        ),
        tr("That is one filter: there are 16."): 5 * 5 * 3 + 1,
        tr(
            "The image size does not matter: the same filters slide over every position "
            "(weight sharing). You counted output values instead."
        ): 220 * 220 * 16,
        tr(
            "The image size does not matter: you counted multiplications (one per weight per "
            "output position), not parameters."
        ): 220 * 220 * 16 * 5 * 5 * 3,
    }
    return diagnose(answer, conv_params(5, 3, 16), mistakes, what=tr("parameter count"))
