"""Hypothesis strategies shared by the detection tests: random boxes and distinct scores."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays


def boxes_strategy(min_n=1, max_n=12, max_coord=50.0, min_size=0.5):
    """(N, 4) xyxy boxes with widths and heights >= min_size."""

    @st.composite
    def build(draw):
        n = draw(st.integers(min_n, max_n))
        coord = st.floats(0, max_coord, allow_nan=False)
        size = st.floats(min_size, max_coord / 2, allow_nan=False)
        xy = draw(arrays(np.float64, (n, 2), elements=coord))
        wh = draw(arrays(np.float64, (n, 2), elements=size))
        return np.concatenate([xy, xy + wh], axis=1)

    return build()


def scores_for(n):
    # distinct scores: with ties, the order of equal boxes is a convention, not a property
    return st.lists(st.integers(0, 10_000), min_size=n, max_size=n, unique=True).map(
        lambda v: np.array(v, float) / 10_000
    )
