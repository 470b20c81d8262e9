"""mx.name: NameManager restarts block names in its scope; Prefix prefixes them (MXNet 1.9.1)."""
from __future__ import annotations

import pytest

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


def test_class_level_current_scopes_are_per_thread():
    # MXNet 1.9.1: NameManager.current and Context.default_ctx are per-thread class
    # properties; a block scope names inside it with the block's prefix, even for a block
    # object nothing else holds
    import threading

    from mxnp.gluon import _naming
    from mxnp.name import NameManager

    class Holder:
        prefix, _empty_prefix = "spawned_", False

    seen = {}

    def run():
        with _naming._BlockScope(Holder()):
            seen["name"] = NameManager.current.get(None, "hello")
        with mx.cpu(10):
            started.set()
            go.wait()
            seen["ctx"] = mx.context.Context.default_ctx

    started, go = threading.Event(), threading.Event()
    saved = NameManager.current
    worker = threading.Thread(target=run)
    worker.start()
    started.wait(10)
    try:
        NameManager.current = NameManager()
        NameManager.current.get(None, "main")
        with pytest.warns(DeprecationWarning):
            mx.context.Context.default_ctx = mx.cpu(11)
        assert mx.context.current_context() == mx.cpu(11)
    finally:
        go.set()
        worker.join(10)
        NameManager.current = saved
        mx.test_utils.set_default_context(mx.cpu(0))
    assert seen == {"name": "spawned_hello0", "ctx": mx.cpu(10)}
    assert "main" not in NameManager.current._counter
    from mxnp.util import _NumpyArrayScope
    with mx.util.np_array(True) as scope:
        assert isinstance(scope, _NumpyArrayScope) and scope._is_np_array
