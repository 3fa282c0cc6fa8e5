"""Exercise checkers of the segmentation lesson: a transposed convolution's output size, which
input pixels one of its outputs depends on, and the shapes a U-Net concatenates.

Each returns a :class:`cnnlab.feedback.Feedback`; a wrong answer gets the hint of the usual
slip it matches (computed for the case at hand), never the answer itself.
"""

from __future__ import annotations

import itertools

from ..arith import conv_transpose_output_size, effective_kernel
from ..conv_transpose import contributing_inputs
from ..feedback import Feedback, same
from ..i18n import Messages, tr
from .unet import skip_shapes

# ---------------------------------------------------------------------------------------
# Exercise 1: the learner's transposed_size(n, f, p=0, s=1, d=1, output_padding=0)

# (n, f, p, s, d, output_padding): the U-Net's 2x2/stride 2, a 3x3 at stride 2 with and
# without output padding, padding that crops, dilation, and everything at once.
TRANSPOSED_SIZE_CASES = [
    (3, 3, 0, 1, 1, 0),
    (16, 2, 0, 2, 1, 0),
    (3, 3, 0, 2, 1, 0),
    (3, 3, 1, 2, 1, 1),
    (4, 4, 1, 2, 1, 0),
    (5, 3, 2, 1, 1, 0),
    (4, 3, 1, 2, 2, 1),
    (7, 5, 2, 3, 1, 2),
    (2, 3, 0, 3, 1, 2),
]

FORMULA = "(n − 1)s − 2p + d(f − 1) + output_padding + 1"


def transposed_size_slips(n, f, p=0, s=1, d=1, output_padding=0) -> list:
    """The usual slips in ``(n - 1)s - 2p + d(f-1) + output_padding + 1``: (hint, value) pairs,
    value being what a learner making that slip computes for these settings."""
    op, span = output_padding, effective_kernel(f, d)  # span = d(f-1) + 1
    right = (n - 1) * s - 2 * p + span + op
    return [
        (
            tr(
                "That is the ordinary convolution's formula, floor((n + 2p − d(f−1) − 1)/s) "
                "+ 1: a transposed convolution goes the other way, from the small size back to "
                "the large one. Multiply by the stride instead of dividing."
            ),
            (n + 2 * p - span) // s + 1,
        ),
        (
            tr(
                "Did you forget output_padding? It adds that many rows (and columns) on the "
                "far side, to pick which of the s sizes a strided convolution maps to n you "
                "get back."
            ),
            right - op,
        ),
        (
            tr("Did you subtract the padding once? p rows are cropped from BOTH sides: − 2p."),
            right + p,
        ),
        (
            tr(
                "Did you add the padding? In a transposed convolution p is cropped from the "
                "output (it undoes the convolution's padding): subtract 2p."
            ),
            right + 4 * p,
        ),
        (
            tr("Did you forget the dilation? The kernel spans d(f − 1) + 1 outputs, not f."),
            right - span + f,
        ),
        (
            tr(
                "Did you use n·s? The n stamps start s apart, so the first and the last are "
                "(n − 1)s apart: (n − 1)s, then the kernel's span."
            ),
            right + s,
        ),
        (
            tr(
                "Did you forget the + 1? The kernel spans d(f − 1) + 1 outputs: "
                "(n − 1)s − 2p + d(f − 1) + output_padding + 1."
            ),
            right - 1,
        ),
        (
            tr(
                "Did you forget the stride? The input pixels' stamps start s outputs apart: "
                "(n − 1)s."
            ),
            right - (n - 1) * (s - 1),
        ),
    ]


def transposed_size_function(fn) -> Feedback:
    """Exercise 1: check ``fn(n, f, p, s, d, output_padding)`` against
    :func:`cnnlab.arith.conv_transpose_output_size` on :data:`TRANSPOSED_SIZE_CASES`.

    On a wrong answer the hint names the slip that explains every case (right ones too),
    or else the slip that matches the first wrong case.
    """
    if not callable(fn):
        return Feedback(
            False, tr("Pass your function itself (transposed_size), got {fn!r}.").format(fn=fn)
        )
    got = []
    for case in TRANSPOSED_SIZE_CASES:
        try:
            got.append(fn(*case))
        except Exception as err:  # the learner's code: report it, never crash the checker
            return Feedback(
                False,
                tr("transposed_size{case} raised {error}: {err}").format(
                    case=case, error=type(err).__name__, err=err
                ),
            )
    expected = [conv_transpose_output_size(*case) for case in TRANSPOSED_SIZE_CASES]
    wrong = [i for i, (g, e) in enumerate(zip(got, expected)) if not same(g, e, 0, 0)]
    if not wrong:
        return Feedback(
            True,
            tr(
                "Correct on all {k} cases, from the U-Net's 2x2 stride-2 upsampling to "
                "dilated, cropped ones with output padding."
            ).format(k=len(expected)),
        )
    slips = [transposed_size_slips(*case) for case in TRANSPOSED_SIZE_CASES]
    everywhere = [
        hint
        for k, (hint, _) in enumerate(slips[0])
        if all(same(g, case[k][1], 0, 0) for g, case in zip(got, slips))
    ]
    first = wrong[0]
    here = [h for h, v in slips[first] if v != expected[first] and same(got[first], v, 0, 0)]
    generic = tr("Check the formula term by term: {formula}.").format(formula=FORMULA)
    hint = (everywhere or here or [generic])[0]
    n, f, p, s, d, op = TRANSPOSED_SIZE_CASES[first]
    return Feedback(
        False,
        tr(
            "For n={n}, f={f}, p={p}, s={s}, d={d}, output_padding={op} your function "
            "returned {got!r}, expected {expected}. {hint}"
        ).format(
            n=n, f=f, p=p, s=s, d=d, op=op, got=got[first], expected=expected[first], hint=hint
        ),
    )


# ---------------------------------------------------------------------------------------
# Exercise 2: which input pixels does one output of a transposed convolution depend on?

#: A 4x4 input, 3x3 kernel, stride 2, padding 1 (a 7x7 output): output (row 3, column 4).
DEPENDS_EXERCISE = {"n": 4, "f": 3, "s": 2, "p": 1, "output": (3, 4)}


def _heard(o, *, n, f, s, p, width=None, clip=True):
    """Input positions i with 0 <= o + p - i*s <= width (default f - 1), in range if clip."""
    width = f - 1 if width is None else width
    lo, hi = (0, n) if clip else (-3 * n - f, 3 * n + f)
    return [i for i in range(lo, hi) if 0 <= o + p - i * s <= width]


#: The hints of exercise 2, by slip.
DEPENDS_HINTS = Messages(
    lambda: {
        "conv window": tr(
            "That is the window an ordinary convolution with stride s reads for this output. "
            "A transposed convolution goes the other way: input i stamps its kernel onto "
            "outputs i·s − p … i·s − p + f − 1; find the inputs whose stamp covers the output."
        ),
        "no padding": tr(
            "Did you forget the padding? p is cropped from the stamped canvas, so output o "
            "sits at o + p of the canvas: solve 0 ≤ o + p − i·s ≤ f − 1."
        ),
        "padding sign": tr(
            "The padding shifts the other way: output o is canvas position o + p, not o − p."
        ),
        "no stride": tr(
            "Did you forget the stride? Input i's stamp starts at i·s (then − p), not at i."
        ),
        "one too many": tr(
            "One too many: the kernel's taps are at offsets 0 … f − 1, so "
            "0 ≤ o + p − i·s ≤ f − 1 (f − 1, not f)."
        ),
        "outside": tr(
            "Some of these positions are outside the input: only inputs 0 … n − 1 exist."
        ),
        "swapped": tr("Row and column swapped? Give positions as (row, column)."),
        "empty": tr(
            "An empty set would mean no stamp reaches this output, but the stride here "
            "(≤ the kernel) leaves no gaps: some inputs' stamps do cover it."
        ),
    }
)


def depends_slips(n, f, s, p, output) -> list:
    """[(slip, set of (row, col) a learner making it gives)], keys of :data:`DEPENDS_HINTS`."""
    r, c = output

    def grid(rows, cols):
        return set(itertools.product(rows, cols))

    def both(**kw):  # the per-axis slip applied to rows and columns
        args = {"n": n, "f": f, "s": s, "p": p} | kw
        return grid(_heard(r, **args), _heard(c, **args))

    window = grid([r * s - p + j for j in range(f)], [c * s - p + j for j in range(f)])
    return [
        ("conv window", window),
        ("conv window", {rc for rc in window if all(0 <= v < n for v in rc)}),
        ("no padding", both(p=0)),
        ("padding sign", both(p=-p)),
        ("no stride", both(s=1)),
        ("one too many", both(width=f)),
        ("outside", both(clip=False)),
        ("swapped", {(b, a) for a, b in contributing_inputs(output, n, f, s, p)}),
        ("empty", set()),
    ]


def depends_mistakes(n, f, s, p, output) -> list:
    """[(hint, the wrong set of (row, col))] for the usual slips, for one output position
    (one entry per distinct wrong set; slips that give the right set are left out)."""
    right = contributing_inputs(output, n, f, s, p)
    mistakes, seen = [], [right]
    for slip, wrong in depends_slips(n, f, s, p, output):
        if wrong not in seen:  # the first slip that explains a set names it
            mistakes.append((DEPENDS_HINTS[slip], wrong))
            seen.append(wrong)
    return mistakes


def _as_positions(answer):
    """The learner's answer as a set of (row, col) int pairs, or None if it is not one."""
    try:
        out = set()
        for item in answer:
            pair = tuple(item)
            if len(pair) != 2 or not all(hasattr(v, "__index__") for v in pair):
                return None
            out.add((int(pair[0]), int(pair[1])))
        return out
    except TypeError:
        return None


def transposed_dependencies(answer) -> Feedback:
    """Exercise 2: the set of input (row, col) positions that output
    ``DEPENDS_EXERCISE["output"]`` of the transposed convolution in :data:`DEPENDS_EXERCISE`
    depends on."""
    if answer is None:
        return Feedback(False, tr("Replace None with your set of (row, col) input positions."))
    got = _as_positions(answer)
    if got is None:
        return Feedback(
            False,
            tr(
                "Give a set of (row, col) pairs of integers, e.g. {example}; got {answer!r}."
            ).format(example="{(0, 1), (2, 3)}", answer=answer),
        )
    ex = DEPENDS_EXERCISE
    right = contributing_inputs(ex["output"], ex["n"], ex["f"], ex["s"], ex["p"])
    if got == right:
        return Feedback(
            True,
            tr(
                "Correct: output {output} hears from {k} input pixels, {inputs}; each "
                "contributes its value times one kernel weight."
            ).format(output=ex["output"], k=len(right), inputs=sorted(right)),
        )
    for hint, wrong in depends_mistakes(ex["n"], ex["f"], ex["s"], ex["p"], ex["output"]):
        if got == wrong:
            return Feedback(False, hint)
    if got < right:
        return Feedback(False, tr("Part of the answer: some input pixels are missing."))
    if got > right:
        return Feedback(False, tr("Too many: some of these input pixels' stamps miss the output."))
    return Feedback(
        False,
        tr(
            "Not right yet. For each axis, find the inputs i with 0 ≤ o + p − i·s ≤ f − 1; "
            "the 2D answer is every (row, column) pair of the two lists."
        ),
    )


# ---------------------------------------------------------------------------------------
# Exercise 3: the shapes a U-Net concatenates

#: A U-Net of width 8 and depth 3 on 3 x 64 x 96 images.
SKIP_EXERCISE = {"input_shape": (3, 64, 96), "width": 8, "depth": 3}


def skip_mistakes(input_shape, width, depth) -> dict:
    """{hint: wrong list of (C, H, W)} for the usual slips in a U-Net's concatenated shapes."""
    triples = skip_shapes(input_shape, width, depth)
    right = [cat for _, _, cat in triples]
    _, h, w = input_shape
    return {
        tr(
            "Those are the skips alone (the contracting path's maps). The merge block "
            "receives the skip concatenated with the upsampled map: their channels add up."
        ): [skip for skip, _, _ in triples],
        tr("Top level first: the first entry is the full-size level, the last the deepest."): (
            right[::-1]
        ),
        tr(
            "The transposed convolution also halves the channels (2c → c) as it doubles the "
            "size, so the concatenation holds c + c channels, not c + 2c."
        ): [(skip[0] + 2 * skip[0],) + skip[1:] for skip, _, _ in triples],
        tr("Height and width swapped? Shapes are (C, H, W)."): [(c, b, a) for c, a, b in right],
        tr(
            "One halving too many: level i is 2**i times smaller than the input (level 0 is "
            "full size); the pooling happens after the skip is taken."
        ): [(c, hh // 2, ww // 2) for c, hh, ww in right],
        tr("The channels double at every level down (width, 2·width, 4·width, …)."): [
            (2 * width, h // 2**i, w // 2**i) for i in range(depth)
        ],
    }


def skip_concat_shapes(answer) -> Feedback:
    """Exercise 3: the (C, H, W) of every tensor the U-Net of :data:`SKIP_EXERCISE`
    concatenates, top level first (a list of ``depth`` triples)."""
    ex = SKIP_EXERCISE
    if answer is None:
        return Feedback(
            False,
            tr("Replace None with a list of {k} (C, H, W) triples.").format(k=ex["depth"]),
        )
    try:
        got = [tuple(int(v) for v in item) for item in answer]
    except (TypeError, ValueError):
        return Feedback(
            False,
            tr("Give a list of (C, H, W) triples of integers, got {answer!r}.").format(
                answer=answer
            ),
        )
    right = [cat for _, _, cat in skip_shapes(ex["input_shape"], ex["width"], ex["depth"])]
    if len(got) != len(right):
        return Feedback(
            False,
            tr("One concatenation per level: {k} triples, got {got}.").format(
                k=len(right), got=len(got)
            ),
        )
    if any(len(t) != 3 for t in got):
        return Feedback(False, tr("Each shape is (C, H, W): three numbers, no batch axis."))
    if got == right:
        return Feedback(
            True,
            tr("Correct: {formula}.").format(formula=" → ".join(str(t) for t in right)),
        )
    for hint, wrong in skip_mistakes(ex["input_shape"], ex["width"], ex["depth"]).items():
        if got == wrong:
            return Feedback(False, hint)
    bad = next(i for i, (g, r) in enumerate(zip(got, right)) if g != r)
    return Feedback(
        False,
        tr(
            "Level {i} is not right yet. Its skip has width·2^{i} channels at size "
            "(H/2^{i}, W/2^{i}); the upsampled map has the same shape."
        ).format(i=bad),
    )
