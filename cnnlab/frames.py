"""Pre-computed frames: explorers that work without a kernel, for the published book.

A slider widget needs a running kernel; a static page (the book, nbviewer, GitHub) has none.
:func:`scrubber` draws each setting once, when the notebook runs, and inlines the frames into
one self-contained HTML player. Used by the kernel-free versions of the lessons' explorers.
"""

from __future__ import annotations

import base64
import html as html_mod
import io
import json
import uuid

import matplotlib.pyplot as plt

from .i18n import tr


def scrubber(draw, frames, labels=None, interval_ms: int = 700, dpi: int = 72):
    """Pre-render ``draw(**frame)`` for every frame into one self-contained HTML scrubber.

    A slider widget needs a running kernel; a static page (the book, nbviewer, GitHub) has
    none. This draws each setting once, now, and returns an ``IPython.display.HTML`` with the
    PNG frames inlined, a range slider, a play button and the frame's label. Frames that raise
    ValueError show their message instead of a picture, as the live widget does.

    draw: pure function returning a Figure; frames: list of keyword dicts; labels: one
    string per frame (default: the keyword values).
    """
    from IPython.display import HTML

    frames = list(frames)
    if not frames:
        raise ValueError(tr("scrubber needs at least one frame (a dict of draw's arguments)"))
    if labels is None:
        labels = [", ".join(f"{k}={v}" for k, v in f.items()) for f in frames]
    if len(labels) != len(frames):
        raise ValueError(
            tr("got {n_labels} labels for {n_frames} frames").format(
                n_labels=len(labels), n_frames=len(frames)
            )
        )
    images, texts = render_frames(draw, frames, labels, dpi)
    return HTML(scrubber_html(images, texts, interval_ms))


def render_frames(draw, frames, labels, dpi: int = 72):
    """(PNG data URLs, labels): ``draw(**frame)`` for every frame; a frame whose draw raises
    ValueError gets an empty image and its message in the label, as the live widget shows."""
    images, texts = [], []
    for frame, label in zip(frames, labels):
        try:
            fig = draw(**frame)
        except ValueError as err:
            images.append("")
            texts.append(tr("{label}: not possible: {error}").format(label=label, error=err))
            continue
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi)
        plt.close(fig)
        images.append("data:image/png;base64," + base64.b64encode(buf.getvalue()).decode())
        texts.append(label)
    return images, texts


def scrubber_html(images, texts, interval_ms: int = 700) -> str:
    """One self-contained HTML player: a range slider, a play button, the frame's label."""
    uid = "cnnlab-scrub-" + uuid.uuid4().hex[:8]
    first = html_mod.escape(texts[0])
    page = f"""
<div class="cnnlab-scrubber" id="{uid}">
  <div><button type="button">▶ play</button>
  <input type="range" min="0" max="{len(images) - 1}" value="0" step="1" style="width:60%">
  <span class="cnnlab-scrubber-label">{first}</span></div>
  <img src="{images[0]}" alt="{first}" style="max-width:100%">
</div>
<script>
(function() {{
  var root = document.getElementById("{uid}");
  var imgs = {json.dumps(images)}, texts = {json.dumps(texts)};
  var range = root.querySelector("input"), img = root.querySelector("img"),
      label = root.querySelector(".cnnlab-scrubber-label"), button = root.querySelector("button"),
      timer = null;
  function show(i) {{
    range.value = i; label.textContent = texts[i];
    img.src = imgs[i]; img.alt = texts[i]; img.style.display = imgs[i] ? "" : "none";
  }}
  range.addEventListener("input", function() {{ show(+range.value); }});
  button.addEventListener("click", function() {{
    if (timer) {{ clearInterval(timer); timer = null; button.textContent = "▶ play"; return; }}
    button.textContent = "⏸ pause";
    timer = setInterval(function() {{ show((+range.value + 1) % imgs.length); }}, {interval_ms});
  }});
}})();
</script>"""
    return page
