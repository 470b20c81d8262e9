"""Block names, name scopes, child registration, repr and collect_params (MXNet 1.9.1, mxref).

The test layers are named like MXNet's (Dense, Sequential), so names and reprs equal what
MXNet printed for nn.Dense / nn.Sequential in a fresh process.
"""
from __future__ import annotations

import pytest

from mxnp import gluon
from mxnp import numpy as np

from .test_block_support import (
    MLP,
    Dense,
    HybridSequential,
    Sequential,
    fresh_names,  # noqa: F401  (a fixture)
)

pytestmark = pytest.mark.usefixtures("fresh_names")


def _keys(block, select=None):
    return list(block.collect_params(select).keys())


def test_global_counter_per_hint_and_container_not_in_keys():
    net = Sequential()
    net.add(Dense(256), Dense(10))
    assert (net.name, net.prefix) == ("sequential0", "sequential0_")
    assert [c.name for c in net._children.values()] == ["dense0", "dense1"]
    assert [c.prefix for c in net._children.values()] == ["dense0_", "dense1_"]
    assert _keys(net) == ["dense0_weight", "dense0_bias", "dense1_weight", "dense1_bias"]
    net2 = Sequential()
    net2.add(Dense(3))
    assert net2.name == "sequential1" and _keys(net2) == ["dense2_weight", "dense2_bias"]
    assert HybridSequential().name == "hybridsequential0"


def test_custom_block_children_not_prefixed_without_name_scope():
    m = MLP()
    assert m.name == "mlp0" and _keys(m) == ["dense0_weight", "dense0_bias", "dense1_weight",
                                             "dense1_bias"]
    foo = MLP(prefix="foo_")
    assert (foo.name, foo.prefix) == ("foo", "foo_") and _keys(foo)[0] == "dense2_weight"


class MLP2(gluon.Block):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.hidden = Dense(256)
            self.output = Dense(10)


def test_name_scope_prefixes_children_and_restarts_counters():
    m = MLP2()
    assert m.name == "mlp20"
    assert _keys(m) == ["mlp20_dense0_weight", "mlp20_dense0_bias", "mlp20_dense1_weight",
                        "mlp20_dense1_bias"]
    assert m.hidden.name == "mlp20_dense0" and m.hidden.params.prefix == "mlp20_dense0_"
    assert Dense(1).name == "dense0"  # the global counter is untouched by the scope
    assert _keys(MLP2())[0] == "mlp21_dense0_weight"


def test_sequential_scope_and_explicit_prefixes():
    s = Sequential()
    with s.name_scope():
        s.add(Dense(2), Dense(3))
    assert _keys(s)[-1] == "sequential0_dense1_bias"
    m = Sequential(prefix="model_")
    with m.name_scope():
        m.add(Dense(2))
    assert m.name == "model" and _keys(m) == ["model_dense0_weight", "model_dense0_bias"]
    assert _keys(Dense(2, prefix="myd_")) == ["myd_weight", "myd_bias"]
    abc = Dense(2, prefix="abc")
    assert (abc.name, abc.prefix, _keys(abc)) == ("abc", "abc", ["abcweight", "abcbias"])
    assert Dense(1).name == "dense0"  # explicit prefixes and scoped children take no number


class Outer(gluon.Block):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.body = Sequential()
            self.body.add(Dense(2))
            self.head = Dense(1)


def test_nested_scopes_use_the_scope_that_was_open():
    o = Outer()
    assert _keys(o) == ["outer0_dense0_weight", "outer0_dense0_bias", "outer0_dense1_weight",
                        "outer0_dense1_bias"]
    assert Outer().name == "outer1"


class Scoped(gluon.Block):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.d = Dense(2)


def test_empty_prefix_opens_no_scope():
    e = Scoped(prefix="")
    assert (e.name, e.prefix, _keys(e)) == ("", "", ["dense0_weight", "dense0_bias"])
    assert _keys(Dense(2, prefix="")) == ["weight", "bias"]


def test_params_argument_shares_parameters():
    shared = Dense(3)
    d2 = Dense(3, params=shared.params)
    assert d2.name == "dense1" and d2.weight is shared.weight
    assert _keys(d2) == ["dense0_weight", "dense0_bias"]


def test_share_parameters_by_structural_name():
    a, b = MLP(in_units=2), MLP(in_units=2)
    b.share_parameters(a._collect_params_with_prefix())
    assert b.hidden.weight is a.hidden.weight and b.output.bias is a.output.bias
    assert b.collect_params()["dense0_weight"] is a.hidden.weight


def test_register_child_names_and_repr_quirk():
    class Reg(gluon.Block):
        def __init__(self):
            super().__init__()
            self.register_child(Dense(2))
            self.register_child(Dense(3), name="named")

    r = Reg()
    assert list(r._children) == ["0", "named"]
    assert _keys(r) == ["dense0_weight", "dense0_bias", "dense1_weight", "dense1_bias"]
    assert repr(r) == "Reg(\n\n)"  # MXNet lists only Blocks held as attributes


def test_reassigning_block_attribute():
    class M(gluon.Block):
        def __init__(self):
            super().__init__()
            self.d = Dense(2)

    m = M()
    with pytest.raises(TypeError) as e:
        m.d = 3
    # MXNet 1.9.1 (mxref); the missing space before "is" is MXNet's
    assert str(e.value) == ("Changing attribute type for d from <class "
                            f"'{Dense.__module__}.Dense'> to <class 'int'>is not allowed.")
    m.d = Dense(4)
    assert repr(m) == "M(\n  (d): Dense(-1 -> 4, linear)\n)" and _keys(m)[0] == "dense1_weight"


def test_unregistered_container_warns():
    class ListChildren(gluon.Block):
        def __init__(self):
            super().__init__()
            self.layers = [Dense(3)]

    b = ListChildren()
    text = ('"ListChildren.layers" is an unregistered container with Blocks. Note that Blocks '
            "inside the list, tuple or dict will not be registered automatically. Make sure to "
            "register them using register_child() or switching to "
            "nn.Sequential/nn.HybridSequential instead. ")
    for call in (b.collect_params, b.initialize):
        with pytest.warns(UserWarning) as rec:
            call()
        assert str(rec[0].message) == text
    with pytest.warns(UserWarning):
        assert _keys(b) == []


def test_hybrid_block_refuses_plain_block_children():
    h = HybridSequential()
    for call in (lambda: setattr(h, "e", gluon.Block()), lambda: h.register_child(gluon.Block())):
        with pytest.raises(ValueError) as e:
            call()
        assert str(e.value) == ("Children of HybridBlock must also be HybridBlock, but Block(\n\n)"
                                " has type <class 'mxnp.gluon.block.Block'>. If you are using "
                                "Sequential, please try HybridSequential instead.")


def test_repr_nested_indentation_and_empty():
    class M(gluon.Block):
        def __init__(self):
            super().__init__()
            self.a = 3
            self.net = Sequential()
            self.net.add(Dense(4), Dense(2))
            self.d = Dense(3)

    # MXNet 1.9.1 (mxref) with nn.Sequential
    assert repr(M()) == ("M(\n  (net): Sequential(\n    (0): Dense(-1 -> 4, linear)\n"
                         "    (1): Dense(-1 -> 2, linear)\n  )\n  (d): Dense(-1 -> 3, linear)\n)")
    assert repr(gluon.HybridBlock()) == "HybridBlock(\n\n)"
    assert gluon.Block().name == "block0" and gluon.Block().prefix == "block1_"


def test_collect_params_select_matches_at_start():
    net = Sequential()
    net.add(Dense(2), Dense(3))
    assert _keys(net, ".*weight") == ["dense0_weight", "dense1_weight"]
    assert _keys(net, ".*weight|.*bias") == _keys(net)
    assert _keys(net, "dense0") == ["dense0_weight", "dense0_bias"]
    assert _keys(net, "weight") == []


def test_shared_layer_appears_once_first_appearance_order():
    shared = Dense(8)
    net = Sequential()
    net.add(Dense(8), shared, Dense(8, params=shared.params), Dense(10))
    assert _keys(net) == ["dense1_weight", "dense1_bias", "dense0_weight", "dense0_bias",
                          "dense3_weight", "dense3_bias"]


def test_apply_is_post_order_and_returns_self():
    net = Sequential()
    net.add(Dense(2), Dense(3))
    seen = []
    assert net.apply(lambda b: seen.append(b.name)) is net
    assert seen == ["dense0", "dense1", "sequential0"]


def test_cast_reaches_children_and_blocks_have_no_zero_grad():
    net = Sequential()
    net.add(Dense(2, in_units=2))
    net.initialize()
    net.cast("float16")
    assert net._children["0"].weight.data().dtype == "float16"
    assert not hasattr(net, "zero_grad")


def test_call_takes_positional_arguments_only():
    d = Dense(2, in_units=2)
    d.initialize()
    with pytest.raises(TypeError, match=r"__call__\(\) got an unexpected keyword argument 'sc'"):
        d(np.ones((1, 2)), sc=3)


def test_forward_hooks_and_detach():
    d = Dense(2, in_units=2)
    d.initialize()
    hits = []
    h1 = d.register_forward_pre_hook(lambda b, i: hits.append(("pre", type(i), len(i))))
    h2 = d.register_forward_hook(lambda b, i, o: hits.append(("post", type(o).__name__)))
    d(np.ones((1, 2)))
    h1.detach()
    d(np.ones((1, 2)))
    h2.detach()
    h2.detach()
    d(np.ones((1, 2)))
    assert hits == [("pre", tuple, 1), ("post", "ndarray"), ("post", "ndarray")]
    with d.register_forward_hook(lambda *a: hits.append("ctx")):
        d(np.ones((1, 2)))
    d(np.ones((1, 2)))
    assert hits[-1] == "ctx" and len(hits) == 4


def test_register_op_hook_explains():
    with pytest.raises(NotImplementedError, match="register_forward_hook"):
        Dense(2).register_op_hook(print)
