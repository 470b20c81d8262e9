"""``mx.registry``: MXNet 1.9.1's per-base-class registries, which the initializers and metrics
use; expected values and messages read off MXNet 1.9.1 (``/work/shared/tools/mxref``)."""
from __future__ import annotations

import inspect
import warnings

import pytest

import mxnp as mx
from mxnp import registry


class _Base:
    pass


def test_register_alias_create_and_their_messages():
    class Thing(_Base):
        pass

    class Other(_Base):
        pass

    register = registry.get_register_func(_Base, "thing")
    create = registry.get_create_func(_Base, "thing")
    assert register(_Base) is _Base and register(Thing) is Thing
    assert registry.get_registry(_Base) == {"_base": _Base, "thing": Thing}
    assert type(create("THING")) is Thing and type(create(thing="thing")) is Thing
    assert type(create('["thing", {}]')) is Thing and type(create({"thing": "thing"})) is Thing
    instance = Thing()
    assert create(instance) is instance
    with pytest.raises(AssertionError, match="^thing is already an instance. Additional "
                                             "arguments are invalid$"):
        create(instance, 1)
    with pytest.raises(AssertionError, match="^nope is not registered. Please register with "
                                             "thing.register first$"):
        create("nope")
    with pytest.raises(AssertionError, match="^thing must be of string type$"):
        create(5)
    with pytest.raises(AssertionError, match="^Can only register subclass of _Base$"):
        register(int)
    with pytest.raises(KeyError, match="thing"):
        create()
    registry.get_alias_func(_Base, "thing")("x1", "X2")(Other)
    assert sorted(registry.get_registry(_Base)) == ["_base", "thing", "x1", "x2"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        register(Other, "thing")
    assert [str(w.message) for w in caught] == [
        f"\x1b[91mNew thing {Other.__module__}.Other registered with name "
        f"thing isoverriding existing thing {Thing.__module__}.Thing\x1b[0m"]
    assert registry.get_registry(int) == {}


def test_initializers_and_metrics_live_in_it():
    # MXNet's names (other tests may have registered more by now)
    assert {"bilinear", "constant", "fusedrnn", "lstmbias", "msraprelu", "normal", "one", "ones",
            "orthogonal", "uniform", "xavier", "zero", "zeros"} <= \
        set(registry.get_registry(mx.init.Initializer))
    assert {"acc", "accuracy", "caffe", "ce", "composite", "compositeevalmetric", "crossentropy",
            "custommetric", "f1", "loss", "mae", "mcc", "mse", "negativeloglikelihood",
            "nll_loss", "pcc", "pearsoncorrelation", "pearsonr", "perplexity", "rmse",
            "top_k_acc", "top_k_accuracy", "topkaccuracy", "torch"} <= \
        set(registry.get_registry(mx.metric.EvalMetric))
    assert registry.get_registry(mx.init.Initializer) == mx.init._REGISTRY
    assert registry.get_registry(mx.optimizer.Optimizer) == {}  # MXNet: a registry of its own
    assert type(mx.init.create('["xavier", {"magnitude": 2}]')) is mx.init.Xavier
    assert type(mx.metric.create("acc")) is mx.metric.Accuracy


def test_a_metric_overriding_another_warns_as_mxnet():
    class Acc(mx.metric.Accuracy):
        pass

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        mx.metric.register(Acc, "acc")
    try:
        message = str(caught[0].message)
        assert message.startswith("\x1b[91mNew metric ") and message.endswith(
            "registered with name acc isoverriding existing metric mxnp.metric.Accuracy\x1b[0m")
    finally:
        mx.metric.register(mx.metric.Accuracy, "acc")


def test_signatures_are_mxnets():
    assert str(inspect.signature(registry.get_create_func)) == "(base_class, nickname)"
    assert str(inspect.signature(mx.init.register)) == "(klass)"
    assert str(inspect.signature(mx.metric.register)) == "(klass, name=None)"
    assert str(inspect.signature(mx.init.alias)) == "(*aliases)"
    assert mx.registry is registry
