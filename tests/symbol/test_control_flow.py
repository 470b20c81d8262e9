"""mx.sym.contrib's foreach / while_loop / cond (nodes holding their bodies as subgraphs) and
mx.nd.contrib's eager ones: values, gradients, JSON and shapes against MXNet 1.9.1 (mxref)."""
import numpy as onp
import pytest

import mxnp as mx
from mxnp import autograd, npx
from mxnp import ndarray as nd
from mxnp import symbol as sym
from mxnp.attribute import AttrScope


@pytest.fixture(autouse=True)
def _legacy_mode():
    npx.reset_np()
    with mx.name.NameManager():  # node names counted from 0 here, and not for later tests
        yield


def vals(a):
    return a.asnumpy().tolist()


# MXNet 1.9.1's tojson of the foreach below, byte for byte (the subgraph's layout and names)
FOREACH_JSON_NODE = '''    {
      "op": "_foreach", 
      "name": "_foreach0", 
      "attrs": {
        "in_data_locs": "[0]", 
        "in_state_locs": "[1]", 
        "num_args": "4", 
        "num_out_data": "1", 
        "num_outputs": "2", 
        "remain_locs": "[2]"
      }, 
      "inputs": [[0, 0, 0], [1, 0, 0], [2, 0, 0]], 
      "subgraphs": [
        {
          "nodes": [
            {
              "op": "null", 
              "name": "v0-0", 
              "attrs": {"__subgraph_name__": "foreach0"}, 
              "inputs": []
            }, '''


def _foreach_graph():
    v, s, f = sym.var("v0"), sym.var("v1"), sym.var("v2")
    out, st = sym.contrib.foreach(lambda x, st: (x * 2 + st[0] + f, [x + st[0]]), v, [s])
    return sym.Group([out] + st)


def test_foreach_writes_mxnets_graph_and_json():
    AttrScope._subgraph_names.clear()
    g = _foreach_graph()
    assert g.list_inputs() == ["v0", "v1", "v2"]
    assert g.list_outputs() == ["_foreach0_output0", "_foreach0_output1"]
    text = g.tojson()
    assert FOREACH_JSON_NODE in text
    assert '"heads": [[5, 0, 0], [6, 0, 0]]\n        }\n      ]\n    }' in text
    assert sym.load_json(text).tojson() == text


def test_foreach_runs_and_differentiates_as_the_eager_loop():
    g = _foreach_graph()
    x, s0, f = nd.arange(6).reshape((3, 2)), nd.ones(2), nd.array([1.0, 2.0])
    grads = {k: nd.zeros(a.shape) for k, a in (("v0", x), ("v1", s0), ("v2", f))}
    e = sym.load_json(g.tojson()).bind(mx.cpu(), {"v0": x, "v1": s0, "v2": f},
                                       args_grad=grads)
    outs = e.forward(is_train=True)
    heads = [nd.ones((3, 2)), nd.ones(2) * 3]
    e.backward(heads)
    leaves = [a.copy() for a in (x, s0, f)]
    for a in leaves:
        a.attach_grad()
    with autograd.record():
        out, st = nd.contrib.foreach(lambda xi, st: (xi * 2 + st[0] + leaves[2],
                                                     [xi + st[0]]), leaves[0], [leaves[1]])
    autograd.backward([out, st[0]], heads)
    assert vals(outs[0]) == vals(out) == [[2, 5], [6, 10], [12, 17]]
    assert vals(outs[1]) == vals(st[0]) == [7, 10]
    for name, leaf in zip(("v0", "v1", "v2"), leaves):
        assert vals(grads[name]) == vals(leaf.grad)


def test_while_loop_symbol_pads_to_max_iterations_with_gradients():
    i, x, w = sym.var("i"), sym.var("x"), sym.var("w")
    outs, final = sym.contrib.while_loop(lambda i, x: i < 3,
                                         lambda i, x: (x * w, (i + 1, x * w + x)), [i, x],
                                         max_iterations=5)
    g = sym.Group([outs] + final)
    assert g.list_inputs() == ["i", "x", "w"]
    grads = {"x": nd.zeros(2), "w": nd.zeros(2)}
    e = g.bind(mx.cpu(), {"i": nd.array([0]), "x": nd.array([1.0, 2.0]),
                          "w": nd.array([2.0, 3.0])}, args_grad=grads)
    o = e.forward(is_train=True)
    # MXNet 1.9.1 (mxref); its padding rows are uninitialized memory, mxnp's zeros
    assert o[0].shape == (5, 2) and vals(o[0])[:3] == [[2, 6], [6, 24], [18, 96]]
    assert vals(o[0])[3:] == [[0, 0], [0, 0]]
    assert vals(o[1]) == [3] and vals(o[2]) == [27, 128]
    e.backward([nd.ones((5, 2)), nd.ones(1), nd.ones(2)])
    assert vals(grads["x"]) == [53, 127] and vals(grads["w"]) == [54, 192]


def test_cond_symbol_picks_a_branch_and_differentiates_it():
    x, w = sym.var("x"), sym.var("w")
    c = sym.contrib.cond(x.sum() > 2, lambda: x * w, lambda: x - w)
    assert c.list_inputs() == ["x", "w"]
    got = []
    for xv in ([1.0, 2.0], [0.5, 0.5]):
        grads = {"x": nd.zeros(2), "w": nd.zeros(2)}
        e = c.bind(mx.cpu(), {"x": nd.array(xv), "w": nd.array([2.0, 3.0])}, args_grad=grads)
        got.append(vals(e.forward(is_train=True)[0]))
        e.backward([nd.ones(2)])
        got.append((vals(grads["x"]), vals(grads["w"])))
    assert got == [[2, 6], ([2, 3], [1, 2]), [-1.5, -2.5], ([1, 1], [-1, -1])]
    assert AttrScope._subgraph_names["cond_pred"] >= 1


def test_foreach_infers_the_bodys_parameter_shapes():
    d, h, wt = sym.var("d"), sym.var("h"), sym.var("wt")
    o, st = sym.contrib.foreach(
        lambda xi, st: (sym.FullyConnected(xi, weight=wt, num_hidden=3, no_bias=True) + st[0],
                        [st[0] * 2]), d, [h])
    g = sym.Group([o] + st)
    want = ([(4, 2, 5), (2, 3), (3, 5)], [(4, 2, 3), (2, 3)], [])
    assert g.infer_shape(d=(4, 2, 5), h=(2, 3)) == want
    assert g.infer_shape_partial(d=(4, 2, 5)) == want  # as MXNet: the state from the body


def test_eager_while_loop_follows_mxnet():
    # None outputs, a single loop var given and returned bare, rows padded to max_iterations
    outs, final = nd.contrib.while_loop(lambda i: i < 3, lambda i: (None, [i + 1]),
                                        [nd.array([0])], max_iterations=10)
    assert outs == [] and isinstance(final, list) and vals(final[0]) == [3]
    outs, final = nd.contrib.while_loop(lambda i: i < 3, lambda i: ([i * 2, [i]], (i + 1,)),
                                        (nd.array([0]),), max_iterations=4)
    assert isinstance(outs, list) and outs[0].shape == (4, 1) and vals(outs[1][0])[:3] == \
        [[0], [1], [2]]
    with pytest.raises(ValueError, match="max_iterations should be specified"):
        nd.contrib.while_loop(lambda i: i < 3, lambda i: (None, [i + 1]), [nd.array([0])])
    with pytest.raises(ValueError, match="length of loop_vars should be consistent"):
        nd.contrib.while_loop(lambda i: i < 3, lambda i: (None, [i + 1, i]), [nd.array([0])],
                              5)
    with pytest.raises(ValueError, match="not a scalar"):
        nd.contrib.cond(nd.array([1, 2]), lambda: 1, lambda: 2)


def test_eager_foreach_keeps_nesting():
    o, s = nd.contrib.foreach(lambda x, s: ([x, [x * 2]], (s[0] + x,)), nd.arange(3),
                              (nd.zeros(1),))
    assert vals(o[0]) == [[0], [1], [2]] and vals(o[1][0]) == [[0], [2], [4]]
    assert isinstance(s, tuple) and vals(s[0]) == [3]
    o, s = nd.contrib.foreach(lambda x, s: ([], s), [nd.arange(3), nd.arange(3)], nd.zeros(1))
    assert o == [] and vals(s) == [0]


def test_hybridized_1x_block_runs_the_control_flow():
    class Loop(mx.gluon.HybridBlock):
        def hybrid_forward(self, F, i, s):
            return F.contrib.while_loop(lambda i, s: i <= 5, lambda i, s: (None, (i + 1, s + i)),
                                        [i, s], max_iterations=10, name="loop")

    for hybridize in (False, True):
        net = Loop()
        if hybridize:
            net.hybridize()
        _, (i, s) = net(nd.array([1], dtype="int64"), nd.array([0], dtype="int64"))
        assert vals(i) == [6] and vals(s) == [15]


def test_bodies_carry_dtypes_as_mxnet():
    d, st = sym.var("d"), sym.var("st")
    o, ns = sym.contrib.foreach(lambda x, st: (x * 2, [st[0] + 1]), d, [st])
    g = sym.Group([o] + ns)
    want = ([onp.float32, onp.int32], [onp.float32, onp.int32], [])  # MXNet 1.9.1
    assert g.infer_type(d="float32", st="int32") == want
    e = g.simple_bind(mx.cpu(), d=(3, 2), st=(2,), type_dict={"d": "float32", "st": "int32"})
    assert [a.dtype for a in e.forward()] == [onp.float32, onp.int32]
    x = sym.var("x")
    c = sym.contrib.cond(x.sum() > 1, lambda: x * 2, lambda: x)
    assert c.infer_type(x="float16") == ([onp.float16], [onp.float16], [])


def test_cond_and_while_loop_nodes_hold_mxnets_attributes():
    import json
    v, f = sym.var("v0"), sym.var("v2")
    node = json.loads(sym.contrib.cond(v.sum() < 0.5, lambda: v * f, lambda: v - 1).tojson())
    cond = node["nodes"][-1]
    assert cond["op"] == "_cond" and len(cond["subgraphs"]) == 3
    assert cond["attrs"] == {"cond_input_locs": "[0]", "else_input_locs": "[1]",  # MXNet 1.9.1
                             "num_args": "6", "num_outputs": "1", "then_input_locs": "[1, 2]"}
    pred = cond["subgraphs"][0]["nodes"]
    assert [(n["op"], n["name"]) for n in pred] == [("null", "_lesser_scalar0_output"),
                                                   ("_copy", "identity0")]
    i, x = sym.var("i"), sym.var("x")
    outs, final = sym.contrib.while_loop(lambda i, x: i < 3, lambda i, x: (x * f, (i + 1, x)),
                                         [i, x], max_iterations=5)
    loop = json.loads(sym.Group([outs] + final).tojson())["nodes"][-1]
    assert loop["op"] == "_while_loop" and loop["attrs"] == {  # MXNet 1.9.1
        "cond_input_locs": "[0]", "func_input_locs": "[1, 2, 0]", "func_var_locs": "[2, 0]",
        "max_iterations": "5", "num_args": "5", "num_out_data": "1", "num_outputs": "3"}
    assert sym.load_json(sym.Group([outs] + final).tojson()).list_inputs() == ["i", "x", "v2"]
