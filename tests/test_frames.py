"""cnnlab.frames: the kernel-free scrubber pre-renders every frame and shows messages."""

import re

import pytest

from cnnlab import frames
from cnnlab.arithmetic.plot import plot_conv_arithmetic


def test_scrubber_prerenders_every_frame_and_shows_messages():
    settings = [dict(n=7, f=3, p=0, s=2, d=1, position=i) for i in range(3)]
    settings.append(dict(n=3, f=5, p=0, s=1, d=1, position=0))  # impossible
    html = frames.scrubber(plot_conv_arithmetic, settings).data
    pngs = set(re.findall(r"data:image/png;base64,[A-Za-z0-9+/=]+", html))
    assert len(pngs) == 3  # distinct pictures; the first is also the initial <img>
    assert 'max="3"' in html and "not possible" in html and "padding" in html
    with pytest.raises(ValueError, match="at least one frame"):
        frames.scrubber(plot_conv_arithmetic, [])
    with pytest.raises(ValueError, match="2 labels for 1 frames"):
        frames.scrubber(plot_conv_arithmetic, settings[:1], labels=["a", "b"])
