"""Pictures of lesson 09: test accuracy against training-set size, one line per transfer
strategy (the numbers of ``experiment.transfer_experiment``).

``plot_*`` functions return a new Figure made with ``drawing.figure`` (outside pyplot).
The lesson's image rows use the shared ``cnnlab.drawing.plot_images``.
"""

from __future__ import annotations

from ..drawing import figure
from ..i18n import tr


def plot_transfer_curves(results: dict, title=None, width: float = 6.0):
    """Test accuracy against training examples per class, one line per strategy.

    results: {strategy: {size: accuracy}}, as returned by
    cnnlab.transfer.transfer_experiment. Returns the Figure (``width`` inches wide).
    """
    if not results:
        raise ValueError(tr("plot_transfer_curves needs at least one strategy"))
    fig = figure((width, 0.62 * width))
    ax = fig.subplots()
    for name, by_size in results.items():
        sizes = sorted(by_size)
        ax.plot(
            sizes,
            [by_size[n] for n in sizes],
            marker="o",
            label=name,
            ls="--" if name == "scratch" else "-",
        )
    ax.set_xscale("log")
    ax.set_xticks(sizes)
    ax.set_xticklabels([str(n) for n in sizes])
    ax.set_xlabel(tr("training examples per class (log scale)"))
    ax.set_ylabel(tr("test accuracy"))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_title(title or tr("Transfer 0-4 -> 5-9: accuracy by training-set size"), fontsize=10)
    fig.tight_layout()
    return fig
