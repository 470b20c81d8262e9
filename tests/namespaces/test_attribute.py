"""mx.AttrScope: attributes given to the Symbols made inside a ``with`` block, stored and shown
as MXNet 1.9.1 does (the JSON in tests/data/symbol/attr_scope_*.json is MXNet's)."""
import pathlib
import threading

import pytest

import mxnp as mx

DATA = pathlib.Path(__file__).parent.parent / "data" / "symbol"


@pytest.fixture(autouse=True)
def _fresh_names():
    with mx.name.NameManager():
        yield


def _graph():
    with mx.AttrScope(ctx_group="dev1", lr_mult="0.1"):
        data = mx.sym.var("data")
        fc = mx.sym.FullyConnected(data, num_hidden=4, name="fc1")
    with mx.AttrScope(ctx_group="dev2"):
        out = mx.sym.Activation(fc, act_type="relu", name="act")
        w = mx.sym.var("w", attr={"ctx_group": "mine"}, lr_mult=2)
    return data, fc, out, w, out + w


def test_scope_attributes_in_the_json_are_mxnets():
    *_, out = _graph()
    # the weight and bias made for fc1 get the scope's attributes too; _plus0, made outside
    # any scope, gets none
    assert out.tojson() == (DATA / "attr_scope_fc.json").read_text()
    with mx.AttrScope(ctx_group="a"):
        bn = mx.sym.BatchNorm(mx.sym.var("x"), name="bn")
    assert bn.tojson() == (DATA / "attr_scope_batchnorm.json").read_text().rstrip("\n")


def test_list_attr_shows_hidden_keys_under_both_names():
    data, fc, out, w, total = _graph()
    # MXNet 1.9.1 (mxref)
    assert data.list_attr() == {"__lr_mult__": "0.1", "lr_mult": "0.1",
                                "__ctx_group__": "dev1", "ctx_group": "dev1"}
    assert fc.list_attr() == {"num_hidden": "4", "__lr_mult__": "0.1", "lr_mult": "0.1",
                              "__ctx_group__": "dev1", "ctx_group": "dev1"}
    assert out.list_attr() == {"act_type": "relu", "__ctx_group__": "dev2", "ctx_group": "dev2"}
    assert w.list_attr() == {"__lr_mult__": "2", "lr_mult": "2", "__ctx_group__": "mine",
                             "ctx_group": "mine"}
    assert (data.attr("ctx_group"), data.attr("__ctx_group__"), fc.attr("lr_mult")) == \
        ("dev1", "dev1", "0.1")
    assert total.attr_dict()["fc1_bias"] == fc.list_attr()
    assert total.list_attr() == {}


def test_other_keys_are_kept_as_given():
    c = mx.sym.var("c", lr_mult=2, wd_mult=3,
                   attr={"__foo__": "x", "bar": "y", "force_mirroring": "True"})
    # MXNet 1.9.1 (mxref)
    assert c.list_attr() == {"__wd_mult__": "3", "wd_mult": "3", "__lr_mult__": "2",
                             "lr_mult": "2", "__force_mirroring__": "True",
                             "force_mirroring": "True", "bar": "y", "__foo__": "x"}
    assert (c.attr("foo"), c.attr("bar"), c.attr("lr_mult")) == (None, "y", "2")
    c._set_attr(ctx_group="q")
    assert c.attr("ctx_group") == "q" and c.list_attr()["__ctx_group__"] == "q"
    with mx.AttrScope(__group__="g", ctx_group="a"):
        d = mx.sym.FullyConnected(c, num_hidden=2, name="fc")
        g = c * 2
    assert d.list_attr() == {"num_hidden": "2", "__ctx_group__": "a", "ctx_group": "a",
                             "__group__": "g"}
    assert g.list_attr() == {"scalar": "2", "__ctx_group__": "a", "ctx_group": "a",
                             "__group__": "g"}
    assert (d.attr("group"), d.attr("__group__")) == (None, "g")


def test_scopes_nest_and_given_attributes_win():
    with mx.AttrScope(a="1"):
        with mx.AttrScope(b="2"):
            v = mx.sym.var("v")
        u = mx.sym.var("u", attr={"a": "3"})
    assert (v.list_attr(), u.list_attr()) == ({"a": "1", "b": "2"}, {"a": "3"})
    with mx.AttrScope(lr_mult="0.5"):
        p = mx.sym.var("p", lr_mult=2)
        q = mx.sym.var("q", attr={"lr_mult": "3"})
    assert (p.attr("lr_mult"), q.attr("lr_mult")) == ("2", "3")
    assert mx.sym.var("r").list_attr() == {}  # the scope ended


def test_attr_scope_get_and_names():
    scope = mx.AttrScope(a="1")
    assert (scope.get(None), scope.get({"b": "2"})) == ({"a": "1"}, {"a": "1", "b": "2"})
    assert mx.attribute.AttrScope is mx.AttrScope
    with pytest.warns(DeprecationWarning, match="AttrScope.current has been deprecated"):
        assert isinstance(mx.AttrScope.current, mx.AttrScope)


def test_attr_scope_is_per_thread():
    seen = []
    with mx.AttrScope(ctx_group="main"):
        thread = threading.Thread(target=lambda: seen.append(mx.sym.var("t").list_attr()))
        thread.start()
        thread.join()
    assert seen == [{}]


def test_attr_scope_bad_input():
    with pytest.raises(ValueError, match="AttrScope: attribute 'a' must be a string, got int"):
        mx.AttrScope(a=1)
    with pytest.raises(ValueError, match="var: the value of attribute 'a' must be a string"):
        mx.sym.var("x", attr={"a": 1})
    with pytest.raises(TypeError, match="attr must be a dict"):
        mx.sym.var("x", attr=[("a", "1")])
