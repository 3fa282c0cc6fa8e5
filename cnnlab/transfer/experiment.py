"""The transfer experiment: every strategy of ``freezing.STRATEGIES`` on training sets of
several sizes, so the rule "little data -> freeze more" is measured. Used by lesson 09
(sections 3-5).
"""

from __future__ import annotations

import numpy as np
from tqdm.auto import tqdm

from .. import nets
from ..i18n import tr
from ..validate import check_int
from .freezing import STRATEGIES, SmallCNN, transfer_model


def subset_per_class(x, y, per_class: int, seed: int = 0):
    """The first ``per_class`` examples of every class after a seeded shuffle.

    x: (N, ...) array, y: (N,) labels. Returns (x_sub, y_sub), (K * per_class, ...) and
    (K * per_class,) for K classes, in their original order; raises ValueError if a class
    has fewer examples.
    """
    per_class = check_int("per_class", per_class, 1)
    y = np.asarray(y)
    order = np.random.default_rng(seed).permutation(len(y))
    keep = []
    for c in np.unique(y):
        idx = order[y[order] == c]
        if len(idx) < per_class:
            raise ValueError(
                tr("class {c} has {n} examples, fewer than per_class={per_class}").format(
                    c=c, n=len(idx), per_class=per_class
                )
            )
        keep.extend(idx[:per_class])
    keep = np.sort(np.array(keep))
    return x[keep], y[keep]


def transfer_experiment(
    pretrained: SmallCNN,
    train,
    test,
    sizes=(10, 30, 100),
    strategies=None,
    seeds=(0,),
    steps: int = 150,
    lr: float = 3e-3,
    batch_size: int = 32,
    progress: bool = True,
    per_seed: bool = False,
) -> dict:
    """Test accuracy of every transfer strategy for every training-set size.

    train, test: (x, y) of the new task, x (N, C, H, W) and y (N,); sizes: examples per class; strategies: names from
    STRATEGIES (default all). Each run makes about ``steps`` gradient steps (the same for
    every size, so a small set is not also trained less) on a seeded subset; the accuracy
    is averaged over ``seeds``. Returns {strategy: {size: mean test accuracy}}, or with
    ``per_seed`` {strategy: {size: [test accuracy of each seed]}} (to see the spread).
    """
    strategies = list(STRATEGIES) if strategies is None else list(strategies)
    for s in strategies:
        if s not in STRATEGIES:
            raise ValueError(
                tr("unknown strategy {strategy!r}; valid: {valid}").format(
                    strategy=s, valid=list(STRATEGIES)
                )
            )
    n_classes = len(np.unique(np.asarray(train[1])))
    runs = [(s, n, seed) for n in sizes for s in strategies for seed in seeds]
    acc: dict = {s: {n: [] for n in sizes} for s in strategies}
    for s, n, seed in tqdm(runs, desc=tr("transfer runs"), disable=not progress):
        xs, ys = subset_per_class(*train, n, seed)
        model = transfer_model(pretrained, n_classes, STRATEGIES[s], seed)
        epochs = max(1, round(steps / -(-len(ys) // batch_size)))
        nets.fit(
            model, (xs, ys), epochs=epochs, lr=lr, batch_size=batch_size, seed=seed, progress=False
        )
        acc[s][n].append(nets.evaluate(model, *test)[1])
    if per_seed:
        return {s: {n: [float(a) for a in v] for n, v in by_n.items()} for s, by_n in acc.items()}
    return {s: {n: float(np.mean(v)) for n, v in by_n.items()} for s, by_n in acc.items()}
