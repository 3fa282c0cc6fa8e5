"""cnnlab.own_photo.load_photo: a learner's own picture file, read, resized and checked,
with a clear message for what cannot be used. Every file here is generated into tmp_path."""

from __future__ import annotations

import datetime
import io

import matplotlib.figure
import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

from cnnlab.own_photo import load_photo

RNG = np.random.default_rng(0)
PICTURE = RNG.uniform(size=(60, 90, 3))  # (H, W, 3) floats in [0, 1]


def upload_value(data: bytes, name: str = "me.png"):
    """What ipywidgets.FileUpload.value holds after one file was chosen."""
    entry = {
        "name": name,
        "type": "image/png",
        "size": len(data),
        "content": memoryview(data),
        "last_modified": datetime.datetime(2024, 1, 1),
    }
    return (entry,)


def png_bytes(array, **save) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(array).save(buf, format=save.pop("format", "PNG"), **save)
    return buf.getvalue()


def test_a_png_written_by_matplotlib_reads_back_resized(tmp_path):
    path = tmp_path / "mine.png"
    plt.imsave(path, PICTURE)  # matplotlib writes RGBA, fully opaque
    full = load_photo(path, size=None)
    assert full.shape == (60, 90, 3) and full.dtype == np.float64
    assert np.abs(full - PICTURE).max() < 1 / 255 + 1e-9  # 8 bits per channel
    small = load_photo(str(path), size=45)
    assert small.shape == (30, 45, 3)
    assert 0 <= small.min() and small.max() <= 1
    assert load_photo(path, size=180).shape == (120, 180, 3)  # small pictures grow
    grey = load_photo(path, size=45, gray=True)
    assert grey.shape == (30, 45)


def test_bytes_and_the_upload_widget_value_give_the_same_picture(tmp_path):
    data = png_bytes((PICTURE * 255).astype(np.uint8))
    (tmp_path / "a.png").write_bytes(data)
    from_path = load_photo(tmp_path / "a.png", size=64)
    assert np.array_equal(load_photo(data, size=64), from_path)
    assert np.array_equal(load_photo(bytearray(data), size=64), from_path)
    assert np.array_equal(load_photo(upload_value(data), size=64), from_path)
    assert np.array_equal(load_photo(upload_value(data)[0], size=64), from_path)


def test_a_text_file_pretending_to_be_png_gets_the_clear_message(tmp_path):
    fake = tmp_path / "holiday.png"
    fake.write_text("these are my notes, not a picture\n")
    with pytest.raises(ValueError, match="could not read '.*holiday.png' as a picture") as err:
        load_photo(fake)
    message = str(err.value)
    assert "looks like a text file" in message and "these are my notes" in message
    assert "PNG, JPEG" in message
    with pytest.raises(ValueError, match="'notes.png' as a picture: it looks like a text"):
        load_photo(upload_value(b"hello\n", name="notes.png"))
    with pytest.raises(ValueError, match="not those of a picture format"):
        load_photo(b"\x00\x01\x02\x03binary junk" * 4)
    with pytest.raises(ValueError, match="empty"):
        load_photo(b"")


def test_damaged_too_small_and_too_thin_pictures_are_refused():
    data = png_bytes((PICTURE * 255).astype(np.uint8))
    with pytest.raises(ValueError, match="damaged"):
        load_photo(data[: len(data) // 2])
    with pytest.raises(ValueError, match=r"too small: 10x8 pixels as read.*at least 16"):
        load_photo(png_bytes(np.zeros((8, 10, 3), np.uint8)))
    # 20 x 800 is fine as read, but 2 pixels high once the longer side is 64
    with pytest.raises(ValueError, match="after resizing to a longer side of 64"):
        load_photo(png_bytes(np.zeros((20, 800, 3), np.uint8)), size=64)
    assert load_photo(png_bytes(np.zeros((8, 10, 3), np.uint8)), min_side=4).shape == (205, 256, 3)


def test_channels_grey_rgba_palette_and_16_bit(tmp_path):
    grey8 = (PICTURE[..., 0] * 255).astype(np.uint8)
    with pytest.raises(ValueError, match=r"grey picture \(1 channel.*np.stack"):
        load_photo(png_bytes(grey8))  # colour was asked for: the networks take RGB
    assert load_photo(png_bytes(grey8), gray=True).shape == (171, 256)
    # transparent pixels are laid on white
    rgba = np.zeros((20, 20, 4), np.uint8)
    rgba[:, :10] = (255, 0, 0, 255)  # opaque red on the left, fully transparent on the right
    out = load_photo(png_bytes(rgba), size=None)
    assert np.allclose(out[:, :10], (1, 0, 0)) and np.allclose(out[:, 10:], 1)
    palette = Image.fromarray((PICTURE * 255).astype(np.uint8)).convert("P")
    buf = io.BytesIO()
    palette.save(buf, format="GIF")
    assert load_photo(buf.getvalue(), size=45).shape == (30, 45, 3)
    path = tmp_path / "deep.png"
    Image.fromarray((PICTURE[..., 0] * 65535).astype(np.uint16)).save(path)
    deep = load_photo(path, size=None, gray=True)
    assert np.abs(deep - PICTURE[..., 0]).max() < 1e-4  # 16 bits kept, scaled to [0, 1]


def test_jpeg_from_a_phone_is_turned_upright_and_decoded_small():
    big = np.zeros((600, 900, 3), np.uint8)
    big[:300] = (200, 40, 40)  # red top half
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 degrees clockwise to view"
    data = png_bytes(big, format="JPEG", quality=95, exif=exif.tobytes())
    out = load_photo(data, size=90)
    assert out.shape == (90, 60, 3)  # portrait now
    # after turning clockwise, the red half is on the right
    assert out[:, -5:, 0].mean() > 0.7 and out[:, :5, 0].mean() < 0.1
    plain = png_bytes(big, format="JPEG", quality=95)
    assert load_photo(plain, size=90).shape == (60, 90, 3)


@pytest.mark.parametrize(
    "source, kwargs, match",
    [
        ("/no/such/picture.jpg", {}, "no file at '/no/such/picture.jpg'"),
        (3, {}, "source must be a path"),
        ((), {}, "nothing uploaded yet"),
        ({"name": "x.png"}, {}, "no 'content'"),
        (b"", {"size": 0}, "size must be an integer >= 16"),
        (b"", {"gray": "yes"}, "gray must be True or False"),
    ],
)
def test_bad_arguments_name_what_was_wrong(source, kwargs, match):
    with pytest.raises(ValueError, match=match):
        load_photo(source, **kwargs)


def test_a_folder_is_not_a_picture(tmp_path):
    with pytest.raises(ValueError, match="is a folder"):
        load_photo(tmp_path)


# --- the upload button and photo_explorer ---------------------------------------------------


def test_photo_explorer_says_what_to_do_until_a_photo_comes_then_draws_it():
    from cnnlab.own_photo import photo_explorer

    seen = []

    def draw(picture):
        seen.append(picture.shape)
        fig = matplotlib.figure.Figure()
        fig.subplots().imshow(picture)
        return fig

    box = photo_explorer(draw, size=45, title="test")
    assert box.state["figure"] is None and "no photo yet" in box.state["error"]
    assert box.picture.layout.display == "none"
    box.controls["photo"].value = upload_value(png_bytes((PICTURE * 255).astype(np.uint8)))
    assert box.state["error"] is None and seen == [(30, 45, 3)]
    assert bytes(box.picture.value).startswith(b"\x89PNG")  # the Image widget holds the drawing
    assert box.picture.layout.display is None
    # a file that is not a picture: the reason, in place
    box.controls["photo"].value = upload_value(b"Dear diary", name="holiday.png")
    assert "holiday.png" in box.state["error"] and "text file" in box.state["error"]


def test_photo_explorer_starts_from_a_path_and_refuses_a_bad_one_at_once(tmp_path):
    from cnnlab.own_photo import photo_explorer

    path = tmp_path / "mine.png"
    Image.fromarray((PICTURE * 255).astype(np.uint8)).save(path)
    box = photo_explorer(lambda p: matplotlib.figure.Figure(), size=30, title="t", photo=path)
    assert box.state["error"] is None
    with pytest.raises(ValueError, match="no file at"):
        photo_explorer(lambda p: None, size=30, title="t", photo=tmp_path / "missing.png")
    with pytest.raises(ValueError, match="size must be an integer >= 16"):
        photo_explorer(lambda p: None, size=8, title="t")


@pytest.fixture(scope="module")
def photo_file(tmp_path_factory):
    """A generated colour photo file (a smooth gradient with a disc), 96x128."""
    y, x = np.mgrid[0:96, 0:128] / 128
    rgb = np.stack([x, y, 0.5 + 0 * x], axis=-1)
    rgb[(x - 0.5) ** 2 + (y - 0.4) ** 2 < 0.04] = (0.9, 0.2, 0.1)
    path = tmp_path_factory.mktemp("photo") / "photo.png"
    Image.fromarray((rgb * 255).astype(np.uint8)).save(path)
    return path


def test_feature_maps_explorer_draws_three_depths_of_vgg16(photo_file):
    from cnnlab.classic.widgets import feature_maps_explorer

    box = feature_maps_explorer(photo=photo_file, size=64)
    assert box.state["error"] is None
    text = " ".join(t.get_text() for ax in box.state["figure"].axes for t in ax.texts) + " ".join(
        ax.get_ylabel() + ax.get_title() for ax in box.state["figure"].axes
    )
    assert all(layer in text for layer in ("relu1_2", "relu3_3", "relu5_3"))
    assert "no photo yet" in feature_maps_explorer(size=64).state["error"]


def test_face_detector_explorer_finds_no_face_in_a_gradient(photo_file):
    from cnnlab.detection.widgets import face_detector_explorer

    box = face_detector_explorer(photo=photo_file, size=128)
    assert box.state["error"] is None
    assert box.state["figure"].axes[0].get_title() == "your photo: 0 face(s)"


def test_style_transfer_explorer_follows_the_style_buttons(photo_file):
    from cnnlab.style.widgets import style_transfer_explorer

    box = style_transfer_explorer(photo=photo_file, styles=("brick", "gravel"), size=32, steps=2)
    assert box.state["error"] is None
    titles = [ax.get_title() for ax in box.state["figure"].axes]
    assert any("your photo in brick" in t for t in titles)
    box.controls["style_name"].value = "gravel"
    assert any("your photo in gravel" in ax.get_title() for ax in box.state["figure"].axes)
    with pytest.raises(ValueError):
        style_transfer_explorer(styles=("no such texture",), size=32, steps=2)
