"""cnnlab.segmentation.unet: the U-Net's output is a score per class for every pixel of any
image whose sides divide by 2**depth; skip_shapes says what the module really concatenates
(checked with forward hooks); skips=False really drops the concatenations."""

import numpy as np
import pytest
import torch

from cnnlab.segmentation import unet


@pytest.fixture(autouse=True)
def _seeded():
    torch.manual_seed(0)


@pytest.mark.parametrize(
    "depth, h, w", [(1, 2, 2), (1, 6, 10), (2, 8, 12), (2, 32, 32), (3, 16, 24), (3, 40, 8)]
)
@pytest.mark.parametrize("skips", [True, False])
def test_output_is_one_score_per_class_and_pixel(depth, h, w, skips):
    model = unet.UNet(in_channels=2, n_classes=5, width=4, depth=depth, skips=skips).eval()
    with torch.no_grad():
        out = model(torch.randn(3, 2, h, w))
    assert out.shape == (3, 5, h, w)
    labels = unet.predict(model, np.random.default_rng(0).random((3, 2, h, w)), batch_size=2)
    assert labels.shape == (3, h, w) and labels.dtype == np.int64
    assert labels.min() >= 0 and labels.max() < 5


@pytest.mark.parametrize(
    "depth, shape", [(2, (1, 3, 30, 32)), (2, (1, 3, 32, 6)), (3, (1, 3, 4, 8)), (1, (3, 8, 8))]
)
def test_sizes_not_divisible_by_2_to_the_depth_are_refused(depth, shape):
    model = unet.UNet(3, 4, width=4, depth=depth)
    with pytest.raises(ValueError, match=f"divisible by {2**depth}"):
        model(torch.zeros(shape))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"n_classes": 1}, "n_classes"),
        ({"width": 0}, "width"),
        ({"depth": 0}, "depth"),
        ({"in_channels": 2.5}, "in_channels"),
        ({"skips": "yes"}, "skips"),
    ],
)
def test_bad_constructor_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        unet.UNet(**kwargs)


def hooked_shapes(model, x):
    """The shapes of the contracting path's outputs, the transposed convolutions' outputs
    and the merge blocks' inputs, recorded by hooks written here (independent of
    unet.traced_skip_shapes)."""
    seen = {"down": [], "up": [], "merge": []}
    handles = [
        b.register_forward_hook(lambda m, a, o: seen["down"].append(tuple(o.shape[1:])))
        for b in model.down
    ]
    handles += [
        u.register_forward_hook(lambda m, a, o: seen["up"].append(tuple(o.shape[1:])))
        for u in model.up
    ]
    handles += [
        m.register_forward_pre_hook(lambda m, a: seen["merge"].append(tuple(a[0].shape[1:])))
        for m in model.merge
    ]
    with torch.no_grad():
        model.eval()(x)
    for h in handles:
        h.remove()
    return seen


@pytest.mark.parametrize(
    "shape, width, depth",
    [((3, 32, 32), 16, 2), ((1, 16, 24), 4, 3), ((3, 8, 40), 6, 1), ((2, 64, 32), 2, 4)],
)
def test_skip_shapes_are_what_the_module_concatenates(shape, width, depth):
    model = unet.UNet(shape[0], 4, width=width, depth=depth)
    predicted = unet.skip_shapes(shape, width=width, depth=depth)
    seen = hooked_shapes(model, torch.zeros((1,) + shape))
    assert len(predicted) == depth == len(seen["merge"])
    # the contracting path's levels, top first (the bottom level is not a skip)
    assert [skip for skip, _, _ in predicted] == seen["down"][:-1]
    # the expanding path runs from the bottom up
    assert [up for _, up, _ in predicted] == seen["up"][::-1]
    assert [cat for _, _, cat in predicted] == seen["merge"][::-1]
    assert unet.traced_skip_shapes(model, shape) == predicted
    for skip, up, cat in predicted:  # concatenation: channels add up, sizes agree
        assert cat == (skip[0] + up[0],) + skip[1:] and skip[1:] == up[1:]


def test_the_doctest_example_by_hand():
    assert unet.skip_shapes((3, 32, 32), 16, 2) == [
        ((16, 32, 32), (16, 32, 32), (32, 32, 32)),
        ((32, 16, 16), (32, 16, 16), (64, 16, 16)),
    ]


@pytest.mark.parametrize(
    "args, match",
    [
        (((3, 30, 32), 16, 2), "divide by 2\\*\\*depth = 4"),
        (((3, 32), 16, 2), "input_shape must be \\(C, H, W\\)"),
        ((32, 16, 2), "input_shape must be"),
        (((3, 32, 32), 0, 2), "width"),
        (((3, 32, 32), 16, 0), "depth"),
        (((3, 0, 32), 16, 1), "input_shape entry"),
    ],
)
def test_skip_shapes_refuses_bad_inputs(args, match):
    with pytest.raises(ValueError, match=match):
        unet.skip_shapes(*args)


def test_without_skips_nothing_is_concatenated(monkeypatch):
    calls = []
    real_cat = torch.cat

    def counting_cat(*a, **k):
        calls.append(1)
        return real_cat(*a, **k)

    monkeypatch.setattr(torch, "cat", counting_cat)
    x = torch.randn(2, 3, 16, 16)
    with torch.no_grad():
        unet.UNet(3, 4, width=4, depth=2, skips=True).eval()(x)
        assert len(calls) == 2  # one concatenation per level
        calls.clear()
        model = unet.UNet(3, 4, width=4, depth=2, skips=False).eval()
        model(x)
    assert calls == []
    seen = hooked_shapes(model, x)
    assert seen["merge"] == seen["up"]  # the merge blocks see the upsampled maps alone
    assert model.merge[0][0].in_channels == model.up[0].out_channels
    for _skip, up, cat in unet.traced_skip_shapes(model, (3, 16, 16)):
        assert cat == up


def test_without_skips_the_fine_features_reach_the_output_only_through_the_bottom():
    # Zero the top level's features on their way into the skip: with skips the output
    # changes; without, the top level only feeds the pooling, which we leave untouched.
    x = torch.randn(1, 3, 16, 16)
    for skips, changes in ((True, True), (False, False)):
        torch.manual_seed(0)
        model = unet.UNet(3, 4, width=4, depth=1, skips=skips).eval()
        with torch.no_grad():
            ref = model(x)
            top = model.down[0](x)
            bottom = model.down[1](model.pool(top))
            up = model.up[0](bottom)
            merged = model.merge[0](torch.cat([torch.zeros_like(top), up], 1) if skips else up)
            assert torch.allclose(
                model.head(model.merge[0](torch.cat([top, up], 1) if skips else up)), ref, atol=1e-6
            )
            assert (not torch.allclose(model.head(merged), ref, atol=1e-4)) == changes


def test_skips_add_parameters_only_in_the_merge_blocks():
    with_skips, without = unet.UNet(3, 4, 8, 2), unet.UNet(3, 4, 8, 2, skips=False)
    count = lambda m: sum(p.numel() for p in m.parameters())  # noqa: E731
    extra = count(with_skips) - count(without)
    # only the first 3x3 conv of each merge block sees twice the channels: c * c * 9 more
    assert extra == sum(c * c * 9 for c in (8, 16))
    assert [count(a) for a in with_skips.down] == [count(a) for a in without.down]


def test_predict_in_batches_is_the_argmax_of_one_pass():
    model = unet.UNet(3, 4, width=4, depth=2).eval()
    x = np.random.default_rng(1).random((5, 3, 8, 8)).astype(np.float32)
    assert np.array_equal(unet.predict(model, x, batch_size=2), unet.predict(model, x))
    with torch.no_grad():
        direct = model(torch.from_numpy(x)).argmax(1).numpy()
    assert np.array_equal(unet.predict(model, x), direct)
