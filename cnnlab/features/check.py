"""Exercise checkers of why CNNs: the parameters of a fully connected layer, the inputs one
convolution output sees, and a convolution's parameters without weight sharing. Used by
lesson 01.

Each checker returns a :class:`cnnlab.feedback.Feedback` that names the likely mistake; a
wrong answer that matches no known slip gets a hint that does not give the answer away.
"""

from __future__ import annotations

from ..arith import conv_output_size, conv_params
from ..feedback import Feedback, check_number
from ..i18n import tr


def fc_layer_params(answer, h: int = 32, w: int = 32, c: int = 3, units: int = 100) -> Feedback:
    """Exercise 01.1: learnable parameters of a fully connected layer from an h x w x c image
    (flattened) to ``units`` neurons: ``h*w*c*units + units``."""
    n_in = h * w * c
    slips = [
        (
            n_in * units,
            tr("You forgot the biases: each of the {units} units has one.").format(units=units),
        ),
        (
            h * w * units + units,
            tr(
                "The image has {c} channels: it flattens to {h}x{w}x{c} = {n_in} inputs, not {hw}."
            ).format(c=c, h=h, w=w, n_in=n_in, hw=h * w),
        ),
        (
            h * w * units,
            tr(
                "Two slips: the image flattens to {h}x{w}x{c} = {n_in} inputs (the channels "
                "count), and each unit has a bias."
            ).format(h=h, w=w, c=c, n_in=n_in),
        ),
        (
            n_in * units + 1,
            tr("Each unit has its own bias: {units} biases, not one for the layer.").format(
                units=units
            ),
        ),
        (
            n_in * units + n_in,
            tr("A bias belongs to each unit (each output), not to each input."),
        ),
        (
            n_in + 1,
            tr("That is one unit's parameters: there are {units} units.").format(units=units),
        ),
        (
            n_in,
            tr(
                "That is the number of inputs; each of the {units} units has a weight for "
                "every one of them, plus a bias."
            ).format(units=units),
        ),
    ]
    generic = tr(
        "Each of the {units} units has one weight per input number and one bias: "
        "count the inputs (H x W x C) first."
    ).format(units=units)
    return check_number(answer, n_in * units + units, slips, generic, tr("count"))


def inputs_per_conv_output(answer, f: int = 5, c_in: int = 3, n: int = 32) -> Feedback:
    """Exercise 01.2: how many input numbers one output of an f x f conv on an n x n x c_in
    image depends on: ``f*f*c_in`` (sparsity of connections)."""
    out = conv_output_size(n, f)
    slips = [
        (
            f * f,
            tr(
                "A filter is as deep as its input: it covers {f}x{f} pixels in all {c_in} channels."
            ).format(f=f, c_in=c_in),
        ),
        (
            f * f * c_in + 1,
            tr(
                "The bias is a parameter, not an input: count only the image numbers under "
                "the filter."
            ),
        ),
        (
            n * n * c_in,
            tr(
                "That is what a fully connected unit sees (the whole image); a conv output "
                "sees only the window under the filter."
            ),
        ),
        (
            n * n,
            tr(
                "That is the whole image (per channel), as a fully connected unit sees it; a "
                "conv output sees only the window under the filter."
            ),
        ),
        (
            f * c_in,
            tr("The window is {f}x{f} pixels: {ff} per channel, not {f}.").format(f=f, ff=f * f),
        ),
        (
            out * out,
            tr(
                "That is how many outputs there are ({out}x{out} positions), not how many "
                "inputs one output sees."
            ).format(out=out),
        ),
    ]
    generic = tr(
        "One output value is one dot product of the filter with the window under it: "
        "count the numbers in that window."
    )
    return check_number(answer, f * f * c_in, slips, generic, tr("count"))


def params_without_sharing(
    answer, n: int = 32, f: int = 5, c_in: int = 3, c_out: int = 6
) -> Feedback:
    """Exercise 01.3: parameters of a conv layer (c_out filters f x f on n x n x c_in, stride 1,
    no padding) if no weights were shared: every output value has its own f x f x c_in weights
    and its own bias, ``out*out*c_out*(f*f*c_in + 1)`` with ``out = n - f + 1``."""
    out = conv_output_size(n, f)
    per = f * f * c_in + 1
    outputs = out * out * c_out
    slips = [
        (
            conv_params(f, c_in, c_out),
            tr(
                "That is the shared count ({c_out} filters x {per}). Without sharing, every "
                "output position needs its own copy of the filter."
            ).format(c_out=c_out, per=per),
        ),
        (
            outputs * (per - 1),
            tr(
                "Each output value also has its own bias: {f}x{f}x{c_in} + 1 = {per} "
                "parameters per output."
            ).format(f=f, c_in=c_in, per=per),
        ),
        (
            n * n * c_out * per,
            tr(
                "A {f}x{f} filter fits {n} - {f} + 1 = {out} times across: {out}x{out} "
                "positions, not {n}x{n}."
            ).format(f=f, n=n, out=out),
        ),
        (
            out * out * per,
            tr(
                "Each of the {c_out} filters gives its own output map: {out}x{out}x{c_out} outputs."
            ).format(c_out=c_out, out=out),
        ),
        (
            outputs * (f * f + 1),
            tr("Each window is {f}x{f}x{c_in} (all channels), plus a bias.").format(f=f, c_in=c_in),
        ),
        (
            outputs * (n * n * c_in + 1),
            tr(
                "That is a fully connected layer (every output sees all {inputs} inputs); "
                "here each output sees only its {f}x{f}x{c_in} window."
            ).format(inputs=n * n * c_in, f=f, c_in=c_in),
        ),
    ]
    generic = tr(
        "Count the outputs ({out}x{out}x{c_out}), then the parameters each output has on "
        "its own (its {f}x{f}x{c_in} window plus a bias)."
    ).format(out=out, c_out=c_out, f=f, c_in=c_in)
    return check_number(answer, outputs * per, slips, generic, tr("count"))
