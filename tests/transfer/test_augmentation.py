"""cnnlab.transfer.augmentation: shapes kept, randomness seeded, each transform as it says."""

import pytest
import torch

from cnnlab import nets, transfer
from cnnlab.transfer import augmentation


def _batch(n=4, c=3, h=6, w=6):
    return torch.arange(n * c * h * w, dtype=torch.float32).reshape(n, c, h, w) / (n * c * h * w)


def test_hflip_all_or_none():
    x = _batch()
    assert torch.equal(augmentation.hflip(x, p=1.0), x.flip(-1))
    assert torch.equal(augmentation.hflip(x, p=0.0), x)


def test_hflip_is_seeded_and_per_image():
    x = _batch(n=64)
    a = augmentation.hflip(x, 0.5, torch.Generator().manual_seed(3))
    b = augmentation.hflip(x, 0.5, torch.Generator().manual_seed(3))
    assert torch.equal(a, b)
    flipped = [torch.equal(a[i], x[i].flip(-1)) for i in range(64)]
    assert 10 < sum(flipped) < 54


def test_random_crop_is_a_shift_of_the_image():
    x = _batch(n=8)
    out = augmentation.random_crop(x, pad=1, generator=torch.Generator().manual_seed(0))
    assert out.shape == x.shape
    padded = torch.nn.functional.pad(x, (1, 1, 1, 1))
    for i in range(8):
        windows = [padded[i, :, r : r + 6, c : c + 6] for r in range(3) for c in range(3)]
        assert any(torch.equal(out[i], win) for win in windows)
    assert torch.equal(augmentation.random_crop(x, pad=0), x)


def test_color_shift_adds_one_offset_per_channel():
    x = torch.full((2, 3, 4, 4), 0.5)
    out = augmentation.color_shift(x, 0.2, torch.Generator().manual_seed(0))
    per_channel = out - x
    assert torch.allclose(per_channel, per_channel[:, :, :1, :1].expand_as(per_channel))
    assert per_channel.abs().max() <= 0.2 + 1e-6
    assert augmentation.color_shift(x + 0.6, 0.2).max() <= 1.0


def test_affine_identity_and_quarter_turn():
    x = torch.rand(1, 1, 8, 8)
    assert torch.allclose(augmentation.affine(x, 0.0, 0.0), x, atol=1e-5)
    # +90 degrees is anticlockwise on screen: what was the right column is now the top row
    assert torch.allclose(augmentation.affine(x, 90.0), torch.rot90(x, 1, (2, 3)), atol=1e-5)


def test_random_rotation_and_shear_keep_shape():
    x = _batch()
    assert augmentation.random_rotation(x, 10.0).shape == x.shape
    assert augmentation.random_shear(x, 0.2).shape == x.shape


def test_augmenter_is_reproducible_and_works_in_fit():
    x = _batch(n=16, c=1, h=8, w=8)
    a = augmentation.augmenter(flip=0.5, crop=1, color=0.1, degrees=10, shear=0.1, seed=2)
    b = augmentation.augmenter(flip=0.5, crop=1, color=0.1, degrees=10, shear=0.1, seed=2)
    assert torch.equal(a(x), b(x))
    y = torch.arange(16) % 5
    h = nets.fit(transfer.SmallCNN(5), (x, y), epochs=2, progress=False, augment=a)
    assert len(h["train_loss"]) == 2


def test_augmenter_clip_off_keeps_values_outside_0_1():
    x = torch.full((4, 1, 6, 6), -0.5)  # e.g. the dark side of noisy images
    assert augmentation.augmenter(color=0.1, seed=0)(x).min() >= 0.0
    kept = augmentation.augmenter(color=0.1, seed=0, clip=False)(x)
    assert kept.max() < 0.0 and (kept - x).abs().max() <= 0.1 + 1e-6


def test_crops_count_and_centre_first():
    x = _batch()
    c5 = augmentation.crops(x, pad=1)
    assert len(c5) == 5 and torch.equal(c5[0], x)
    c10 = augmentation.crops(x, pad=1, flip=True)
    assert len(c10) == 10 and torch.equal(c10[5], x.flip(-1))


@pytest.mark.parametrize(
    "call",
    [
        lambda: augmentation.hflip(torch.zeros(3, 4, 4)),
        lambda: augmentation.hflip(torch.zeros(1, 1, 4, 4), p=1.5),
        lambda: augmentation.random_crop(torch.zeros(1, 1, 4, 4), pad=-1),
        lambda: augmentation.color_shift(torch.zeros(1, 1, 4, 4), strength=-0.1),
        lambda: augmentation.random_rotation(torch.zeros(1, 1, 4, 4), max_degrees=200),
        lambda: augmentation.random_shear(torch.zeros(1, 1, 4, 4), max_shear=2),
        lambda: augmentation.crops(torch.zeros(1, 1, 4, 4), pad=0),
        lambda: augmentation.random_crop([[1.0]], pad=1),
    ],
)
def test_bad_input_raises(call):
    with pytest.raises(ValueError):
        call()
