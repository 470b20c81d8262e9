"""mx.name: NameManager restarts block names in its scope; Prefix prefixes them (MXNet 1.9.1)."""
from __future__ import annotations

import mxnp as mx
from mxnp.gluon import nn


def test_name_manager_restarts_counters_and_restores_them():
    outside = nn.Dense(2).name
    with mx.name.NameManager():
        assert nn.Dense(2).name == "dense0"   # MXNet 1.9.1 (mxref)
        assert nn.Dense(2).name == "dense1"
    after = nn.Dense(2).name
    assert int(after[len("dense"):]) == int(outside[len("dense"):]) + 1


def test_prefix_names_blocks_and_their_parameters():
    with mx.name.Prefix("mynet_"):
        d = nn.Dense(2)
    assert (d.name, d.prefix) == ("mynet_dense0", "mynet_dense0_")   # MXNet 1.9.1 (mxref)
    assert list(d.collect_params().keys()) == ["mynet_dense0_weight", "mynet_dense0_bias"]


def test_name_manager_get_keeps_a_given_name():
    manager = mx.name.NameManager()
    assert manager.get("given", "dense") == "given"
    assert [manager.get(None, "conv") for _ in range(2)] == ["conv0", "conv1"]
    assert mx.name.Prefix("p_").get(None, "x") == "p_x0"
