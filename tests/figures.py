"""What the plot tests read back from a matplotlib figure."""


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
