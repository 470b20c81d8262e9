"""mx.init: InitDesc, the Initializer protocol, the registry, dumps(), errors, custom subclasses."""
from __future__ import annotations

import json
import re
import warnings

import numpy as onp
import pytest

import mxnp as mx
from mxnp import np
from mxnp import initializer as init

# MXNet 1.9.1 (mxref): sorted(mx.registry._REGISTRY[mx.init.Initializer])
REGISTERED = ["bilinear", "constant", "fusedrnn", "lstmbias", "msraprelu", "normal", "one",
              "ones", "orthogonal", "uniform", "xavier", "zero", "zeros"]
CLASS_OF = {"zeros": "Zero", "zero": "Zero", "ones": "One", "one": "One", "uniform": "Uniform",
            "normal": "Normal", "xavier": "Xavier", "msraprelu": "MSRAPrelu",
            "orthogonal": "Orthogonal", "bilinear": "Bilinear", "lstmbias": "LSTMBias"}
DEFAULT_MSG = ('Unknown initialization pattern for {}. Default initialization is now limited to '
               '"weight", "bias", "gamma" (1.0), and "beta" (0.0).Please use '
               'mx.sym.Variable(init=mx.init.*) to set initialization pattern')


def test_mx_init_is_the_initializer_module():
    assert mx.init is mx.initializer is init
    assert mx.init.Xavier is init.Xavier


def test_initdesc_is_a_str_with_attrs_and_global_init():
    # MXNet 1.9.1 (mxref): ('dense0_weight', InitDesc, {}, None, "'dense0_weight'")
    d = init.InitDesc("dense0_weight")
    assert isinstance(d, str) and d == "dense0_weight" and repr(d) == "'dense0_weight'"
    assert d.attrs == {} and d.global_init is None
    one = init.One()
    d = init.InitDesc("w", attrs={"a": 1}, global_init=one)
    assert d.attrs == {"a": 1} and d.global_init is one


def test_registry_holds_mxnets_names():
    assert sorted(init._REGISTRY) == REGISTERED


@pytest.mark.parametrize("name", sorted(CLASS_OF))
def test_create_by_every_registered_name(name):
    for spelled in (name, name.upper(), name.capitalize()):
        assert type(init.create(spelled)).__name__ == CLASS_OF[name]


def test_create_constant_and_fusedrnn_take_arguments():
    assert init.create("constant", 3).value == 3
    fused = init.create("FusedRNN", None, 4, 1, "lstm")
    assert isinstance(fused, init.FusedRNN)


def test_create_returns_instances_as_they_are():
    x = init.Xavier()
    assert init.create(x) is x
    mixed = init.Mixed([".*"], [init.One()])  # gluon accepts Mixed here (MXNet 1.9.1 does not)
    assert init.create(mixed) is mixed


@pytest.mark.parametrize("spec", [
    '["uniform", {"scale": 3}]', '{"initializer": "uniform", "scale": 3}',
    {"initializer": "uniform", "scale": 3}])
def test_create_from_json_and_dicts(spec):
    # MXNet 1.9.1 (mxref): each gives '["uniform", {"scale": 3}]'
    assert init.create(spec).dumps() == '["uniform", {"scale": 3}]'


def test_create_with_keywords():
    assert init.create(initializer="normal", sigma=2).dumps() == '["normal", {"sigma": 2}]'
    assert init.create("Xavier", magnitude=2).dumps() == \
        '["xavier", {"rnd_type": "uniform", "factor_type": "avg", "magnitude": 2}]'


@pytest.mark.parametrize("args, message", [
    (("foo",), "foo is not registered. Please register with initializer.register first"),
    ((init.One(), 3), "initializer is already an instance. Additional arguments are invalid"),
    ((3,), "initializer must be of string type"),
])
def test_create_errors(args, message):
    # MXNet 1.9.1 (mxref)
    with pytest.raises(AssertionError, match=re.escape(message)):
        init.create(*args)


@pytest.mark.parametrize("made, text", [  # MXNet 1.9.1 (mxref)
    (init.Xavier(), '["xavier", {"rnd_type": "uniform", "factor_type": "avg", "magnitude": 3}]'),
    (init.Uniform(), '["uniform", {"scale": 0.07}]'),
    (init.Normal(), '["normal", {"sigma": 0.01}]'),
    (init.MSRAPrelu(), '["msraprelu", {"factor_type": "avg", "slope": 0.25}]'),
    (init.Orthogonal(), '["orthogonal", {"scale": 1.414, "rand_type": "uniform"}]'),
    (init.One(), '["one", {}]'), (init.Zero(), '["zero", {}]'),
    (init.Constant(2), '["constant", {"value": 2}]'),
    (init.Bilinear(), '["bilinear", {}]'), (init.LSTMBias(), '["lstmbias", {"forget_bias": 1.0}]'),
    (init.Xavier("gaussian", "in", 2),
     '["xavier", {"rnd_type": "gaussian", "factor_type": "in", "magnitude": 2}]'),
    (init.Uniform(1), '["uniform", {"scale": 1}]'),
    (init.LSTMBias(forget_bias=2), '["lstmbias", {"forget_bias": 2}]'),
    (init.Orthogonal(scale=1.0, rand_type="normal"),
     '["orthogonal", {"scale": 1.0, "rand_type": "normal"}]'),
    (init.MSRAPrelu("in", 0.1), '["msraprelu", {"factor_type": "in", "slope": 0.1}]'),
    (init.Constant(np.array([1.0, 2.0])), '["constant", {"value": [1.0, 2.0]}]'),
    (init.Initializer(a=1), '["initializer", {"a": 1}]'),
    (init.FusedRNN(init.Uniform(), 4, 1, "lstm"),
     '["fusedrnn", {"init": "[\\"uniform\\", {\\"scale\\": 0.07}]", "num_hidden": 4, '
     '"num_layers": 1, "mode": "lstm", "bidirectional": false, "forget_bias": 1.0}]'),
    (init.FusedRNN(None, 4, 1, "lstm"),
     '["fusedrnn", {"init": null, "num_hidden": 4, "num_layers": 1, "mode": "lstm", '
     '"bidirectional": false, "forget_bias": 1.0}]'),
])
def test_dumps_text(made, text):
    assert made.dumps() == text


def test_constant_list_dumps():
    # MXNet 1.9.1 raises AttributeError ('list' object has no attribute 'asnumpy')
    assert init.Constant([[1, 2]]).dumps() == '["constant", {"value": [[1, 2]]}]'


@pytest.mark.parametrize("made", [init.Xavier("gaussian", "out", 2), init.Uniform(0.3),
                                  init.Constant(np.array([1.0, 2.0])), init.LSTMBias(2.0),
                                  init.FusedRNN("uniform", 4, 1, "gru")])
def test_dumps_round_trips_through_create(made):
    again = init.create(made.dumps())
    assert type(again) is type(made) and again.dumps() == made.dumps()


def test_equality_by_class_and_arguments_and_unhashable():
    # MXNet 1.9.1 (mxref): (True, False, False, False); hash -> TypeError
    assert init.Uniform() == init.Uniform(0.07)
    assert init.Uniform() != init.Uniform(0.1)
    assert init.Uniform() != 3 and init.Zero() != init.One()
    with pytest.raises(TypeError, match="unhashable"):
        hash(init.Uniform())


def test_repr_is_the_default_object_repr():
    text = repr(init.Xavier())
    assert re.fullmatch(r"<mxnp\.initializer\.Xavier object at 0x[0-9a-f]+>", text)
    assert str(init.Uniform()).startswith("<mxnp.initializer.Uniform object at 0x")


def test_initdesc_without_init_attribute_picks_the_rule_by_name_suffix():
    # MXNet 1.9.1 (mxref): called directly, the name's suffix picks the rule
    arr = np.full((200,), 5.0)
    init.Uniform(1.0)(init.InitDesc("foo_bias"), arr)
    assert arr.asnumpy().tolist() == [0.0] * 200
    init.Constant(0.5)(init.InitDesc("bn_gamma"), arr)
    assert arr.asnumpy().tolist() == [1.0] * 200
    init.Constant(0.5)(init.InitDesc("q_max"), arr[:2])
    init.Constant(0.5)(init.InitDesc("q_min"), arr[2:4])
    assert arr.asnumpy()[:4].tolist() == [1.0, 1.0, 0.0, 0.0]
    with pytest.raises(ValueError, match="Unknown initialization pattern for running_var"):
        init.One()(init.InitDesc("running_var"), arr)


def test_gluon_gives_the_weight_rule_whatever_the_name():
    # MXNet 1.9.1 (mxref): gluon names the initializer in the desc's __init__ attribute
    from mxnp import gluon

    p = gluon.Parameter("foo_bias", shape=(200,))
    p.initialize(init.Uniform(1.0))
    assert p.data().asnumpy().std() > 0.4
    p = gluon.Parameter("foo", shape=(2,))
    p.initialize(init.Constant(3.0))
    assert p.data().asnumpy().tolist() == [3.0, 3.0]


def test_initdesc_attrs_init_picks_the_rule():
    # MXNet 1.9.1 (mxref): Zero()(InitDesc('fc_gamma', {'__init__': Constant(3).dumps()})) -> 3s
    arr = np.zeros((2, 3))
    desc = init.InitDesc("fc_gamma", attrs={"__init__": '["constant", {"value": 3}]'})
    init.Zero()(desc, arr)
    assert arr.asnumpy().tolist() == [[3.0] * 3] * 2
    init.One()(init.InitDesc("fc_foo", attrs={"__init__": "zeros"}), arr)
    assert arr.asnumpy().tolist() == [[0.0] * 3] * 2


def test_call_sets_global_init_when_missing():
    one = init.One()
    desc = init.InitDesc("fc_weight")
    one(desc, np.zeros((1,)))
    assert desc.global_init is one


@pytest.mark.parametrize("name, expected", [  # MXNet 1.9.1 (mxref), legacy mode
    ("fc_bias", [0.0, 0.0]), ("fc_gamma", [1.0, 1.0]), ("fc_beta", [0.0, 0.0]),
    ("fc_weight", [7.0, 7.0]), ("bn_moving_var", [1.0, 1.0]), ("bn_moving_mean", [0.0, 0.0]),
    ("fc_max", [1.0, 1.0]), ("fc_min", [0.0, 0.0])])
def test_plain_string_name_uses_suffix_rules(name, expected):
    arr = np.full((2,), 5.0)
    with pytest.warns(DeprecationWarning, match=re.escape(
            "Calling initializer with init(str, NDArray) has been deprecated.please use "
            "init(mx.init.InitDesc(...), NDArray) instead.")):
        init.Constant(7)(name, arr)
    assert arr.asnumpy().tolist() == expected


def test_plain_string_special_prefixes():
    # MXNet 1.9.1 (mxref): upsampling* -> bilinear, stn_loc*_bias -> [1 0 0 0 1 0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        up = np.zeros((1, 1, 4, 4))
        init.Zero()("upsampling_weight", up)
        loc = np.zeros((6,))
        init.One()("stn_loc_bias", loc)
        with pytest.raises(AssertionError):
            init.One()("stn_loc_bias", np.zeros((5,)))
        with pytest.raises(ValueError, match=re.escape(DEFAULT_MSG.format("fc_foo"))):
            init.One()("fc_foo", np.zeros((2,)))
        with pytest.raises(TypeError, match="name must be string"):
            init.One()(3, np.zeros((2,)))
        with pytest.raises(TypeError, match="arr must be NDArray"):
            init.One()("w", onp.zeros((2,)))
    assert up.asnumpy()[0, 0, 0].tolist() == [0.0625, 0.1875, 0.1875, 0.0625]
    assert loc.asnumpy().tolist() == [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]


@pytest.mark.parametrize("make, shape, error, message", [  # MXNet 1.9.1 (mxref)
    (lambda: init.Xavier(factor_type="foo"), (3, 4), ValueError, "Incorrect factor type"),
    (lambda: init.Xavier(rnd_type="foo"), (3, 4), ValueError, "Unknown random type"),
    (init.Xavier, (3,), ValueError,
     "Xavier initializer cannot be applied to vector dense0_bias. It requires at least 2D."),
    (init.Initializer, (2,), NotImplementedError, "Must override it"),
])
def test_weight_rule_errors(make, shape, error, message):
    with pytest.raises(error, match=re.escape(message)):
        make()(init.InitDesc("dense0_bias", {"__init__": make()}), np.zeros(shape))


def test_custom_subclass_gets_name_and_array():
    seen = []

    class MyInit(init.Initializer):
        def _init_weight(self, name, data):
            seen.append((name, type(name).__name__, data.shape, type(data).__name__))
            data[:] = np.random.uniform(-10, 10, data.shape)
            data *= np.abs(data) >= 5

    arr = np.zeros((8, 4))
    MyInit()(init.InitDesc("dense3_weight"), arr)
    # MXNet 1.9.1 printed: Init dense3_weight (8, 4), name an InitDesc, data an ndarray
    assert seen == [("dense3_weight", "InitDesc", (8, 4), "ndarray")]
    values = onp.abs(arr.asnumpy())
    assert ((values == 0) | (values >= 5)).all() and (values >= 5).any()


def test_custom_subclass_without_weight_rule():
    class Lazy(init.Initializer):
        pass

    with pytest.raises(NotImplementedError, match="Must override it"):
        Lazy()(init.InitDesc("fc_weight"), np.zeros((2,)))


def test_register_and_create_a_custom_initializer():
    @init.register
    class SevenInit(init.Initializer):
        def _init_weight(self, name, arr):
            arr[:] = 7

    try:
        arr = np.zeros((2,))
        init.create("seveninit")(init.InitDesc("x_weight"), arr)
        assert arr.asnumpy().tolist() == [7.0, 7.0]
        assert init.create("SevenInit").dumps() == '["seveninit", {}]'
    finally:
        del init._REGISTRY["seveninit"]


def test_alias_registers_extra_names():
    @init.alias("eights", "eight_")
    class Eight(init.Initializer):
        def _init_weight(self, name, arr):
            arr[:] = 8

    try:
        assert type(init.create("EIGHTS")) is Eight and type(init.create("eight_")) is Eight
    finally:
        del init._REGISTRY["eights"], init._REGISTRY["eight_"]


def test_register_refuses_non_initializers_and_warns_on_override():
    with pytest.raises(AssertionError, match="Can only register subclass of Initializer"):
        init.register(type("Foo", (), {}))
    original = init._REGISTRY["uniform"]
    try:
        with pytest.warns(UserWarning) as record:
            init.register(type("Uniform", (init.Initializer,), {"__module__": "builtins"}))
        # MXNet 1.9.1 (mxref), colour codes included
        assert str(record[0].message) == (
            "\x1b[91mNew initializer builtins.Uniform registered with name uniform is"
            "overriding existing initializer mxnp.initializer.Uniform\x1b[0m")
    finally:
        init._REGISTRY["uniform"] = original


def test_set_verbosity_logs_each_array(caplog):
    arr = np.full((4,), 2.0)
    with caplog.at_level("INFO"):
        init.One().set_verbosity(True)(init.InitDesc("dense0_weight"), arr)
        made = init.Zero().set_verbosity(True, print_func=lambda a: "custom")
        made(init.InitDesc("b_weight"), arr)
    assert "Initialized dense0_weight as weight: 1.0" in caplog.text
    assert "Initialized b_weight as weight: custom" in caplog.text
    one = init.One()
    assert one.set_verbosity() is one


def test_json_of_dumps_is_name_and_kwargs():
    name, kwargs = json.loads(init.Xavier(magnitude=2.5).dumps())
    assert name == "xavier" and kwargs["magnitude"] == 2.5
