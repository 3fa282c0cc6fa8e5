"""cnnlab.pooling.speed: the next conv layer's cost on the pooled and the unpooled map."""

import pytest
import torch

from cnnlab import arith
from cnnlab.pooling import speed


def test_counts_follow_the_formula_and_pooling_divides_them_by_pool_squared():
    cost = speed.next_conv_cost(size=20, c_in=3, c_out=5, kernel=3, pool=2, repeats=1)
    assert cost["unpooled"]["size"] == 20 and cost["pooled"]["size"] == 10
    assert cost["unpooled"]["macs"] == arith.conv_macs(20, 3, 3, 5) == 20 * 20 * 5 * 9 * 3
    assert cost["pooled"]["macs"] == arith.conv_macs(10, 3, 3, 5)
    assert cost["unpooled"]["macs"] == 4 * cost["pooled"]["macs"]
    for part in ("unpooled", "pooled"):
        assert cost[part]["seconds"] > 0
    assert cost["pooled"]["pool_seconds"] > 0


def test_uneven_sizes_round_down_as_pooling_does():
    cost = speed.next_conv_cost(size=15, c_in=2, c_out=2, kernel=3, pool=3, repeats=1)
    assert cost["pooled"]["size"] == 5
    assert cost["unpooled"]["macs"] == 9 * cost["pooled"]["macs"]


def test_threads_are_restored():
    before = torch.get_num_threads()
    speed.next_conv_cost(size=8, c_in=1, c_out=1, repeats=1, threads=1)
    assert torch.get_num_threads() == before


def test_best_seconds_runs_warmup_and_repeats():
    calls = []
    assert speed.best_seconds(lambda: calls.append(1), repeats=3, warmup=2) >= 0
    assert len(calls) == 5


@pytest.mark.parametrize(
    "kwargs, name",
    [({"size": 0}, "size"), ({"pool": 0}, "pool"), ({"repeats": 0}, "repeats"),
     ({"threads": 0}, "threads"), ({"size": 2, "pool": 3}, "pool must be at most size")],
)  # fmt: skip
def test_bad_settings_raise_value_errors(kwargs, name):
    with pytest.raises(ValueError, match=name):
        speed.next_conv_cost(**{"size": 8, "c_in": 1, "c_out": 1, **kwargs})
