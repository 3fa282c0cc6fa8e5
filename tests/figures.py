"""What the plot tests read back from a matplotlib figure, and the stand-in inputs several
plot tests draw (no network, nothing downloaded)."""

import numpy as np


def figure_text(fig) -> str:
    """Every string drawn on a figure, one per line: figure texts and legends, and for each
    axes its texts, title, y tick labels and legend."""
    texts = [t.get_text() for t in fig.texts]
    for legend in fig.legends:
        texts += [t.get_text() for t in legend.get_texts()]
    for ax in fig.axes:
        texts += [t.get_text() for t in ax.texts] + [ax.get_title()]
        texts += [t.get_text() for t in ax.get_yticklabels()]
        if ax.get_legend() is not None:
            texts += [t.get_text() for t in ax.get_legend().get_texts()]
    return "\n".join(texts)


def side_output_standins(size: int = 64):
    """A grey disk and five blurred rings standing in for HED's image and side outputs:
    ((size, size, 3) image, five (size, size) maps, ring width 1..5 px)."""
    yy, xx = np.mgrid[:size, :size]
    d = np.hypot(yy - size / 2, xx - size / 2)
    gray = np.where(d < 20, 0.8, 0.2)
    sides = [np.exp(-((d - 20) ** 2) / (2 * s**2)) for s in (1, 2, 3, 4, 5)]
    return np.repeat(gray[..., None], 3, axis=2), sides


def cascade_standin() -> dict:
    """MTCNN's stages as ``detection.faces`` reports them, made up: 9 -> 4 P-Net boxes,
    3 -> 2 R-Net, 1 -> 1 O-Net (each an (n, 4) box array and n scores)."""

    def stage(n):
        xy = np.arange(n)[:, None] * 2.0
        return np.concatenate([xy, xy, xy + 5, xy + 5], axis=1), np.ones(n)

    return {
        "pnet": {"before_nms": stage(9), "after_nms": stage(4)},
        "rnet": {"before_nms": stage(3), "after_nms": stage(2)},
        "onet": {"before_nms": stage(1), "after_nms": stage(1)},
    }


def conv_volume_standin():
    """A 3-channel 6x6 input (an edge in channel 0, a constant in channel 1) and a 3x3x3
    filter with a Prewitt x in channel 0: what plot_conv_volume's tests draw."""
    from cnnlab import filters

    x = np.zeros((3, 6, 6))
    x[0, :, :3] = 10
    x[1] = 5
    w = np.zeros((3, 3, 3))
    w[0] = filters.prewitt_x()
    return x, w
