"""mx.sym's structure: names, arithmetic nodes, groups, listing, attributes, JSON (against JSON
written by MXNet 1.9.1, tests/data/symbol/) and shape/type inference (values from mxref)."""
import json
import pathlib

import numpy as onp
import pytest

import mxnp as mx
from mxnp import _mode
from mxnp import numpy as np
from mxnp import symbol as sym

DATA = pathlib.Path(__file__).parent.parent / "data" / "symbol"


@pytest.fixture(autouse=True)
def _fresh_names():
    with mx.name.NameManager():
        yield


def test_arithmetic_writes_mxnet_ops_and_names():
    a, b = sym.var("a"), sym.var("b")
    cases = [a - b, a * b, a / b, a + 1, a - 1, 1 - a, a * 2, 2 / a, a / 2, -a, a ** 2, a ** b,
             2 ** a]
    # MXNet 1.9.1 (mxref): names, then the op of each node
    assert [s.name for s in cases] == [
        "_minus0", "_mul0", "_div0", "_plusscalar0", "_minusscalar0", "_rminusscalar0",
        "_mulscalar0", "_rdivscalar0", "_divscalar0", "_mulscalar1", "_powerscalar0", "_power0",
        "_rpower_scalar0"]
    assert [s._outputs[0][0].op for s in cases] == [
        "elemwise_sub", "elemwise_mul", "elemwise_div", "_plus_scalar", "_minus_scalar",
        "_rminus_scalar", "_mul_scalar", "_rdiv_scalar", "_div_scalar", "_mul_scalar",
        "_power_scalar", "_power", "_rpower_scalar"]
    assert (-a).attr("scalar") == "-1.0" and (a + 1).attr("scalar") == "1"


def test_plus_json_matches_mxnet():
    a, b = sym.var("a"), sym.var("b")
    got = json.loads((a + b).tojson())
    # MXNet 1.9.1 (mxref), legacy mode
    assert got == {"nodes": [{"op": "null", "name": "a", "inputs": []},
                             {"op": "null", "name": "b", "inputs": []},
                             {"op": "elemwise_add", "name": "_plus0",
                              "inputs": [[0, 0, 0], [1, 0, 0]]}],
                   "arg_nodes": [0, 1], "node_row_ptr": [0, 1, 2, 3], "heads": [[2, 0, 0]],
                   "attrs": {"mxnet_version": ["int", 10901]}}
    _mode.set_np()
    assert json.loads((a + b).tojson())["attrs"]["is_np_shape"] == ["int", 1]


def test_layers_make_their_weights_and_list_them():
    x = sym.var("data")
    fc = sym.FullyConnected(data=x, num_hidden=10, name="fc1")
    act = sym.Activation(fc, act_type="relu")
    # MXNet 1.9.1 (mxref)
    assert (repr(fc), repr(act)) == ("<Symbol fc1>", "<Symbol activation0>")
    assert act.list_arguments() == ["data", "fc1_weight", "fc1_bias"]
    assert act.list_outputs() == ["activation0_output"]
    group = sym.Group([fc, act])
    assert repr(group) == "<Symbol group [fc1, activation0]>"
    assert group.list_outputs() == ["fc1_output", "activation0_output"]
    assert repr(act.get_internals()) == \
        "<Symbol group [data, fc1_weight, fc1_bias, fc1, activation0]>"
    assert repr(act.get_children()) == "<Symbol fc1>" and x.get_children() is None
    assert act.get_internals()["fc1_output"].name == "fc1"
    # a weight MXNet makes carries the layer's attributes
    assert act.attr_dict()["fc1_weight"] == {"num_hidden": "10"}
    assert sym.FullyConnected(x, num_hidden=3, no_bias=True, name="f").list_arguments() == \
        ["data", "f_weight"]


def test_batchnorm_aux_states_and_split_outputs():
    x = sym.var("a")
    conv = sym.Convolution(data=x, kernel=(3, 3), num_filter=8, no_bias=True)
    bn = sym.BatchNorm(conv, name="bn")
    # MXNet 1.9.1 (mxref)
    assert bn.list_arguments() == ["a", "convolution0_weight", "bn_gamma", "bn_beta"]
    assert bn.list_auxiliary_states() == ["bn_moving_mean", "bn_moving_var"]
    assert bn.list_inputs() == bn.list_arguments() + bn.list_auxiliary_states()
    assert bn.list_outputs() == ["bn_output"]
    assert bn.attr_dict()["bn_moving_var"] == {"__init__": '["one", {}]'}
    parts = sym.split(sym.var("b"), num_outputs=3, axis=1)
    assert parts.list_outputs() == ["split0_output0", "split0_output1", "split0_output2"]
    assert len(parts) == 3 and parts[1].list_outputs() == ["split0_output1"]
    assert repr(parts[1]) == "<Symbol split0>"


def test_variable_attributes():
    a = sym.var("a", shape=(2, 3), lr_mult=2.0, wd_mult=0.5, dtype="float32",
                init=mx.init.Normal(0.1), attr={"foo": "bar"})
    # MXNet 1.9.1 (mxref): the JSON node of this variable
    assert json.loads(a.tojson())["nodes"][0]["attrs"] == {
        "__dtype__": "0", "__init__": '["normal", {"sigma": 0.1}]', "__lr_mult__": "2.0",
        "__shape__": "(2, 3)", "__wd_mult__": "0.5", "foo": "bar"}
    assert a.attr("__shape__") == "(2, 3)" and a.attr("missing") is None
    a._set_attr(foo="baz")
    assert a.list_attr()["foo"] == "baz"
    with pytest.raises(ValueError, match="must be a string"):
        a._set_attr(foo=1)
    with pytest.raises(TypeError, match="mx.sym.var: expected a str"):
        sym.var(3)


def test_graph_built_here_is_mxnets_json_byte_for_byte():
    # the graph of make_fixtures.graph(), built with mxnp's mx.sym
    data = sym.var("data", shape=(2, 3, 8, 8), lr_mult=2.0, dtype="float32")
    conv = sym.Convolution(data, kernel=(3, 3), num_filter=4, no_bias=True, name="conv")
    bn = sym.BatchNorm(conv, fix_gamma=False, name="bn")
    act = sym.Activation(bn, act_type="relu", name="relu")
    parts = sym.split(act, num_outputs=2, axis=1, name="split")
    mixed = (parts[0] + parts[1]) * 2 - 1 / (parts[0] + 3) + parts[1] ** 2
    fc = sym.FullyConnected(mixed, num_hidden=5, name="fc")
    got = sym.Group([fc, sym.sigmoid(fc, name="sig"), bn]).tojson()
    assert got == (DATA / "graph-symbol.json").read_text()


@pytest.mark.parametrize("stem", ["graph", "resnet_np", "resnet_legacy", "lstm_np",
                                  "lstm_legacy", "dropnet_np", "dropnet_legacy"])
def test_mxnet_json_round_trips_byte_for_byte(stem, tmp_path):
    text = (DATA / f"{stem}-symbol.json").read_text()
    if json.loads(text)["attrs"].get("is_np_shape"):
        _mode.set_np()
    s = sym.load(str(DATA / f"{stem}-symbol.json"))
    assert s.tojson() == text
    s.save(str(tmp_path / "again.json"))
    assert sym.load_json((tmp_path / "again.json").read_text()).tojson() == text


def test_load_errors_name_the_problem(tmp_path):
    with pytest.raises(mx.MXNetError, match="not an MXNet symbol JSON"):
        sym.load_json('{"a": 1}')
    with pytest.raises(mx.MXNetError, match=r'^LocalFileSystem: Check failed: allow_null: '
                                            r':Open ".*missing.json": No such file or directory$'):
        sym.load(str(tmp_path / "missing.json"))  # MXNet 1.9.1's message (mxref)
    bad = {"nodes": [{"op": "relu", "name": "r", "inputs": [[3, 0, 0]]}], "heads": [[0, 0, 0]]}
    with pytest.raises(mx.MXNetError, match="not before it"):
        sym.load_json(json.dumps(bad))


def test_indexing_and_operator_errors():
    parts = sym.split(sym.var("x"), num_outputs=2)
    with pytest.raises(IndexError, match="out of range"):
        parts.__getitem__(2)
    with pytest.raises(ValueError, match="no output named"):
        parts["nope"]
    with pytest.raises(mx.MXNetError, match="group of 2"):
        sym.relu(parts)
    with pytest.raises(TypeError, match="unexpected keyword argument .bogus."):
        sym.FullyConnected(sym.var("x"), bogus=sym.var("y"), num_hidden=2)
    with pytest.raises(AttributeError, match="NoSuchOp"):
        sym.__getattr__("NoSuchOp")


def test_infer_shape_fills_layer_parameters():
    data = sym.var("data")
    conv = sym.Convolution(data, kernel=(3, 3), num_filter=8, no_bias=True, name="c")
    bn = sym.BatchNorm(conv, name="bn")
    fc = sym.FullyConnected(sym.Flatten(bn), num_hidden=4, name="fc")
    # MXNet 1.9.1 (mxref)
    assert bn.infer_shape(data=(2, 3, 10, 10)) == (
        [(2, 3, 10, 10), (8, 3, 3, 3), (8,), (8,)], [(2, 8, 8, 8)], [(8,), (8,)])
    args, outs, _ = fc.infer_shape(data=(2, 3, 10, 10))
    assert dict(zip(fc.list_arguments(), args))["fc_weight"] == (4, 512)
    assert outs == [(2, 4)]
    x = sym.var("x")
    assert (x * 2 + 1).infer_shape(x=(3,)) == ([(3,)], [(3,)], [])
    assert sym.var("s", shape=(4, 5)).infer_shape() == ([(4, 5)], [(4, 5)], [])


def test_infer_shape_partial_and_unknown():
    x = sym.var("x")
    fc = sym.FullyConnected(x, num_hidden=4, no_bias=True, name="fc")
    # MXNet 1.9.1 (mxref), legacy shapes: () for unknown
    assert fc.infer_shape_partial() == ([(), ()], [()], [])
    with pytest.warns(UserWarning, match="Cannot decide shape"):
        assert fc.infer_shape() == (None, None, None)
    y = sym.var("y")
    both = sym.Group([fc, y * 2])
    assert both.infer_shape_partial(y=(3,)) == ([(), (), (3,)], [(), (3,)], [])


def test_infer_type():
    bn = sym.BatchNorm(sym.Convolution(sym.var("a"), kernel=(3, 3), num_filter=8,
                                       no_bias=True), name="bn")
    import numpy as onp
    # MXNet 1.9.1 (mxref)
    assert bn.infer_type(a="float32") == ([onp.float32] * 4, [onp.float32], [onp.float32] * 2)
    assert sym.var("d", dtype="float16").infer_type(d="float16")[1] == [onp.float16]


# MXNet 1.9.1 (mxref): the op each mx.sym function writes, and the node's name
MXNET_OP_NAMES = {
    "reshape": ("Reshape", "reshape0"), "flatten": ("Flatten", "flatten0"),
    "concat": ("Concat", "concat0"), "cast": ("Cast", "cast0"),
    "swapaxes": ("SwapAxis", "swapaxes0"), "stop_gradient": ("BlockGrad", "stop_gradient0"),
    "elemwise_add": ("elemwise_add", "elemwise_add0"),
    "broadcast_plus": ("broadcast_add", "broadcast_plus0"), "split": ("SliceChannel", "split0"),
    "sum_axis": ("sum", "sum_axis0"), "max_axis": ("max", "max_axis0"),
    "make_loss": ("make_loss", "make_loss0"), "Softmax": ("SoftmaxOutput", "softmax0"),
    "broadcast_minus": ("broadcast_sub", "broadcast_minus0"),
    "elemwise_sub": ("elemwise_sub", "elemwise_sub0"), "ElementWiseSum": ("add_n",
                                                                         "elementwisesum0"),
    "identity": ("_copy", "identity0"), "choose_element_0index": ("pick",
                                                                  "choose_element_0index0"),
    "SliceChannel": ("SliceChannel", "slicechannel0"), "BlockGrad": ("BlockGrad", "blockgrad0"),
}


@pytest.mark.parametrize("fn", sorted(MXNET_OP_NAMES))
def test_function_aliases_write_mxnets_op_and_name(fn):
    x, y = sym.var("x"), sym.var("y")
    two = {"elemwise_add", "broadcast_plus", "broadcast_minus", "elemwise_sub", "concat",
           "ElementWiseSum"}
    kwargs = {"reshape": {"shape": (2,)}, "cast": {"dtype": "float16"},
              "split": {"num_outputs": 2}, "SliceChannel": {"num_outputs": 2},
              "swapaxes": {"dim1": 0, "dim2": 1}, "choose_element_0index": {}}.get(fn, {})
    args = (x, y) if fn in two or fn == "choose_element_0index" else (x,)
    s = getattr(sym, fn)(*args, **kwargs)
    node = s._outputs[0][0]
    assert (node.op, node.name) == MXNET_OP_NAMES[fn]


def test_attributes_bind_by_position_and_fluent_methods():
    x = sym.var("x")
    r = sym.Reshape(x, (2, 3))  # MXNet's functions take the attributes positionally too
    assert r.attr("shape") == "(2, 3)"
    fc = sym.FullyConnected(x, None, None, 4)
    assert fc.attr("num_hidden") == "4" and fc.list_arguments() == [
        "x", "fullyconnected0_weight", "fullyconnected0_bias"]
    value = np.arange(6, dtype="float32")
    outs = sym.Group([x.reshape((2, 3)).sum(axis=1), x.astype("float16"), x.relu(),
                      x.expand_dims(axis=0).transpose()]).eval(x=value)
    want = [value.asnumpy().reshape(2, 3).sum(1), value.asnumpy().astype("float16"),
            value.asnumpy(), value.asnumpy()[None].T]
    for got, w in zip(outs, want):
        assert got.dtype == w.dtype
        onp.testing.assert_array_equal(got.asnumpy(), w)
    with pytest.raises(AttributeError, match="no attribute 'shape'"):
        x.shape  # noqa: B018 - MXNet's symbols have no shape either
    with pytest.raises(TypeError, match=r"\['shape'\] are not inputs"):
        sym.Reshape(x, shape=sym.var("s"))


def test_infer_shape_under_numpy_shape_semantics():
    _mode.set_np()
    x = sym.var("x")
    fc = sym.FullyConnected(x, num_hidden=4, no_bias=True, name="fc")
    # MXNet 1.9.1 (mxref, npx.set_np()): None for unknown, 0 a real size
    assert fc.infer_shape_partial() == ([None, None], [None], [])
    assert fc.infer_shape_partial(x=(2, 3)) == ([(2, 3), (4, 3)], [(2, 4)], [])
    assert (x * 2).infer_shape_partial(x=(3, 0)) == ([(3, 0)], [(3, 0)], [])
    with pytest.warns(UserWarning) as caught:
        assert fc.infer_shape() == (None, None, None)
    assert str(caught[0].message).endswith(
        "Consider providing them as input:\n\tx: None\n\tfc_weight: None")


def test_load_older_json_layouts():
    # MXNet before 1.0 kept operator attributes under "param" (or "attr") and wrote
    # two-element entries; such files still load
    old = {"nodes": [{"op": "null", "name": "data", "inputs": []},
                     {"op": "null", "name": "fc_weight", "param": {}, "inputs": []},
                     {"op": "FullyConnected", "name": "fc",
                      "param": {"num_hidden": "2", "no_bias": "True"},
                      "inputs": [[0, 0], [1, 0]]},
                     {"op": "Activation", "name": "act", "attr": {"act_type": "relu"},
                      "inputs": [[2, 0]]}],
           "arg_nodes": [0, 1], "heads": [[3, 0]]}
    s = sym.load_json(json.dumps(old))
    assert s.list_arguments() == ["data", "fc_weight"]
    x, w = np.array([[1.0, -2.0]]), np.array([[1.0, 1.0], [-1.0, 0.0]])
    onp.testing.assert_array_equal(s.eval(data=x, fc_weight=w)[0].asnumpy(), [[0.0, 0.0]])
    onp.testing.assert_array_equal(s.eval(data=-x, fc_weight=w)[0].asnumpy(), [[1.0, 1.0]])


def test_output_names_of_multi_output_operators():
    x = sym.var("x")
    # MXNet 1.9.1 (mxref), legacy mode
    assert sym.BatchNorm(x, output_mean_var=True, name="bn").list_outputs() == [
        "bn_output", "bn_mean", "bn_var"]
    assert sym.RNN(x, sym.var("p"), sym.var("s"), sym.var("c"), state_size=4, num_layers=1,
                   mode="lstm", state_outputs=True, name="r").list_outputs() == [
        "r_output", "r_state_output", "r_statecell_output"]
    assert sym.RNN(x, sym.var("p"), sym.var("s"), state_size=4, num_layers=1, mode="gru",
                   state_outputs=True, name="g").list_outputs() == ["g_output",
                                                                    "g_state_output"]
    assert sym.LayerNorm(x, output_mean_var=True, name="ln").list_outputs() == [
        "ln_output", "ln_mean", "ln_std"]
    assert sym.Dropout(x, name="d").list_outputs() == ["d_output"]
    assert sym.SoftmaxOutput(x, name="so").list_arguments() == ["x", "so_label"]
    assert sym.LeakyReLU(x, act_type="prelu", name="pr").list_arguments() == ["x", "pr_gamma"]
    assert sym.Embedding(x, input_dim=3, output_dim=2, name="e").list_arguments() == [
        "x", "e_weight"]


def test_call_composes_a_copy():
    data = sym.var("data")
    fc = sym.FullyConnected(data, num_hidden=3, name="fc")
    pre = sym.Activation(sym.var("x"), act_type="relu", name="pre")
    composed = fc(data=pre)
    # MXNet 1.9.1 (mxref)
    assert composed.list_arguments() == ["x", "fc_weight", "fc_bias"]
    assert fc.list_arguments() == ["data", "fc_weight", "fc_bias"] and composed.name == "fc"
    with pytest.raises(mx.MXNetError, match="only supports keyword arguments"):
        fc(pre)
    x, w, b = np.random.uniform(-1, 1, size=(2, 4)), np.ones((3, 4)), np.zeros(3)
    got = composed.eval(x=x, fc_weight=w, fc_bias=b)[0].asnumpy()
    onp.testing.assert_allclose(got, onp.maximum(x.asnumpy(), 0) @ onp.ones((4, 3)), rtol=1e-6)
    with pytest.raises(TypeError, match="single-output Symbol"):
        fc(data=sym.Group([pre, pre]))


def test_namespace_lists_operators_and_var_checks_stype():
    names = dir(sym)
    assert {"FullyConnected", "Convolution", "var", "Group", "_npi_add"} <= set(names)
    assert json.loads(sym.var("v", stype="csr").tojson())["nodes"][0]["attrs"] == {
        "__storage_type__": "2"}
    with pytest.raises(ValueError, match="stype must be"):
        sym.var("v", stype="dense")


def test_split_v2_by_sections_and_by_indices():
    # MXNet 1.9.1 (mxref): one _split_v2 node; the indices start with 0
    x = mx.sym.var("x")
    parts = mx.sym.split_v2(x, (1, 3), axis=1)
    assert parts.list_outputs() == ["_split_v20_output0", "_split_v20_output1",
                                    "_split_v20_output2"]
    attrs = parts.attr_dict()["_split_v20"]
    assert (attrs["sections"], attrs["axis"]) == ("0", "1")
    data = onp.arange(12.0).reshape(2, 6)
    got = parts.eval(x=mx.nd.array(data))
    want = onp.split(data, [1, 3], axis=1)
    assert [g.asnumpy().tolist() for g in got] == [w.tolist() for w in want]
    halves = mx.sym.split_v2(x, 2, axis=0, squeeze_axis=True).eval(x=mx.nd.array(data))
    assert [h.shape for h in halves] == [(6,), (6,)]
    with pytest.raises(ValueError, match="int or tuple"):
        mx.sym.split_v2(x, [1, 3])


def test_softmax_takes_a_length_input_with_use_length():
    # MXNet 1.9.1 (mxref): arguments ['d', 'l'] with use_length; ['d'] without
    s = mx.sym.softmax(mx.sym.var("d"), mx.sym.var("l"), use_length=True, axis=1)
    assert s.list_arguments() == ["d", "l"]
    assert mx.sym.softmax(mx.sym.var("d")).list_arguments() == ["d"]
    out = s.eval(d=mx.nd.ones((2, 3)), l=mx.nd.array([1, 2], dtype="int32"))[0]
    assert out.asnumpy().tolist() == [[1.0, 0.0, 0.0], [0.5, 0.5, 0.0]]


def test_simple_bind_ignores_keywords_that_are_not_shapes_and_ones_takes_an_int_shape():
    # MXNet 1.9.1 (mxref): (2, 4), (2, 3) and [1 1 1]
    take = mx.sym.take(mx.sym.var("a"), mx.sym.var("i"))
    exe = take.simple_bind(mx.cpu(), a=(3, 4), i=(2,), axis=0, mode="clip")
    assert exe.outputs[0].shape == (2, 4)
    exe = mx.sym.relu(mx.sym.var("x")).simple_bind(mx.cpu(), x=(2, 3), force_rebind=True)
    assert exe.outputs[0].shape == (2, 3)
    out = mx.sym.ones(shape=3, dtype="int32").bind(mx.cpu(), args={}).forward()[0]
    assert out.asnumpy().tolist() == [1, 1, 1]


def test_an_explicit_none_that_is_not_the_default_stays_an_attribute():
    # MXNet 1.9.1 (mxref): sort(axis=None) writes axis "None" and sorts the flattened array
    s = mx.sym.sort(mx.sym.var("a"), axis=None)
    assert s.attr_dict() == {"sort0": {"axis": "None"}}
    assert mx.sym.sort(mx.sym.var("a")).attr_dict() == {}
    out = s.eval(a=mx.nd.array([[3, 1], [2, 0]]))[0]
    assert out.asnumpy().tolist() == [0.0, 1.0, 2.0, 3.0]


def test_operator_keywords_lr_mult_and_ctx_group_become_node_attributes():
    data = sym.var("data")
    bias = sym.var("fc1_bias", lr_mult=1.0)
    fc1 = sym.FullyConnected(data=data, bias=bias, name="fc1", num_hidden=10, lr_mult=0)
    fc2 = sym.FullyConnected(data=fc1, name="fc2", num_hidden=10, wd_mult=0.5)
    # MXNet 1.9.1 (mxref): the made variables copy the node's attributes, the passed one not
    assert fc2.attr_dict() == {
        "fc1_weight": {"num_hidden": "10", "__lr_mult__": "0", "lr_mult": "0"},
        "fc1_bias": {"__lr_mult__": "1.0", "lr_mult": "1.0"},
        "fc1": {"num_hidden": "10", "__lr_mult__": "0", "lr_mult": "0"},
        "fc2_weight": {"num_hidden": "10", "__wd_mult__": "0.5", "wd_mult": "0.5"},
        "fc2_bias": {"num_hidden": "10", "__wd_mult__": "0.5", "wd_mult": "0.5"},
        "fc2": {"num_hidden": "10", "__wd_mult__": "0.5", "wd_mult": "0.5"}}
    assert sym.Concat(data, data, ctx_group="dev1", name="c").list_attr() == {
        "num_args": "2", "__ctx_group__": "dev1", "ctx_group": "dev1"}
    with pytest.raises(mx.base.MXNetError, match="setting variable attributes with "
                                                 "bias_lr_mult is deprecated"):
        sym.FullyConnected(data, num_hidden=3, bias_lr_mult=0)


def test_operators_give_their_input_variables_an_initializer():
    data = sym.var("data")
    # MXNet 1.9.1 (mxref): PReLU's gamma starts at 0.25, passed or made, unless it has one
    assert sym.LeakyReLU(data=data, act_type="prelu", name="p").attr_dict()["p_gamma"] == {
        "act_type": "prelu", "__init__": '["Constant", {"value": 0.25}]'}
    gamma = sym.var("g")
    sym.LeakyReLU(data=data, gamma=gamma, act_type="prelu")
    assert gamma.list_attr() == {"__init__": '["Constant", {"value": 0.25}]'}
    one = sym.var("g1", init=mx.init.One())
    sym.LeakyReLU(data=data, gamma=one, act_type="prelu")
    assert one.list_attr() == {"__init__": '["one", {}]'}
    mean = sym.var("mm")
    sym.BatchNorm(data=data, moving_mean=mean)
    assert mean.list_attr() == {"__init__": '["zero", {}]'}
    assert "gamma" not in sym.LeakyReLU(data=data, act_type="leaky").list_arguments()


def test_internal_elemwise_names_and_creation_dtypes_are_mxnets():
    # MXNet 1.9.1 (mxref): _internal._plus writes elemwise_add (its alias), _mul elemwise_mul;
    # sym.zeros/ones/full write dtype float32 when none is given, full its value as a float
    x, y = mx.sym.Variable("x"), mx.sym.Variable("y")
    for op, name in (("_plus", "elemwise_add"), ("_Plus", "elemwise_add"), ("_mul", "elemwise_mul"),
                     ("_minus", "elemwise_sub"), ("_div", "elemwise_div")):
        node = json.loads(getattr(mx.sym._internal, op)(x, y).tojson())["nodes"][-1]
        assert node["op"] == name
    assert mx.sym.zeros((2, 3)).list_attr() == {"dtype": "float32", "shape": "(2, 3)"}
    assert mx.sym.ones(3).list_attr() == {"dtype": "float32", "shape": "3"}
    assert mx.sym.full((2,), 3).list_attr() == {"dtype": "float32", "shape": "(2,)",
                                                "value": "3.0"}


def test_creation_and_random_nodes_named_as_mxnet():
    # MXNet 1.9.1 (mxref): the nodes these functions make and what they evaluate to
    nodes = [json.loads(s.tojson())["nodes"][-1] for s in (
        mx.sym.eye(3, k=1), mx.sym.linspace(0, 1, 5), mx.sym.random.randn(2, 3, loc=1),
        mx.sym.random.shuffle(mx.sym.var("x")), mx.sym.random.multinomial(mx.sym.var("p"),
                                                                          shape=2))]
    assert [(n["op"], n.get("attrs")) for n in nodes] == [
        ("_eye", {"M": "0", "N": "3", "dtype": "float32", "k": "1"}),
        ("_linspace", {"dtype": "float32", "endpoint": "True", "num": "5", "start": "0",
                       "stop": "1"}),
        ("_random_normal", {"loc": "1", "scale": "1", "shape": "(2, 3)"}),
        ("_shuffle", None),
        ("_sample_multinomial", {"dtype": "int32", "get_prob": "True", "shape": "2"})]
    assert mx.sym.eye(3, k=1).eval(mx.cpu())[0].asnumpy().tolist() == \
        onp.eye(3, k=1).tolist()
    assert mx.sym.linspace(0, 1, 5).eval(mx.cpu())[0].asnumpy().tolist() == \
        [0, 0.25, 0.5, 0.75, 1]
    draws = mx.sym.random.multinomial(mx.sym.var("p"), shape=2)
    assert len(draws.list_outputs()) == 2
    assert [a.shape for a in draws.eval(mx.cpu(), p=mx.nd.array([[0.5, 0.5]]))] == \
        [(1, 2), (1, 2)]


@pytest.mark.parametrize("kwargs,row_ptr", [
    ({"kernel": (2, 2)}, [0, 1, 3]),
    ({"kernel": (2, 2), "layout": "NCHW"}, [0, 1, 3]),
    ({"kernel": (2, 2), "layout": "NHWC"}, [0, 1, 2]),
    ({"kernel": (2,), "layout": "NWC"}, [0, 1, 2]),
    ({"kernel": (2, 2, 2), "layout": "NDHWC"}, [0, 1, 2]),
    ({"kernel": (2, 2), "pool_type": "avg"}, [0, 1, 2]),
])
def test_max_pooling_keeps_a_workspace_output_in_channels_first_layouts(kwargs, row_ptr):
    # MXNet 1.9.1 (mxref, its MKL-DNN CPU build): only max pooling in a channels-first layout
    # counts MKL-DNN's workspace as a second output in the JSON's node_row_ptr
    node = sym.Pooling(sym.var("x"), **kwargs)
    assert json.loads(node.tojson())["node_row_ptr"] == row_ptr


def _two_inputs(op, **kwargs):
    return lambda: op(sym.var("x"), sym.var("y"), **kwargs)


@pytest.mark.parametrize("make,row_ptr,outputs", [
    (lambda: sym.LRN(sym.var("x"), nsize=3, name="n"), [0, 1, 3], ["n_output"]),
    (lambda: sym.BatchNorm_v1(sym.var("x"), output_mean_var=True, name="n"),
     [0, 1, 2, 3, 4, 5, 8], ["n_output", "n_mean", "n_var"]),
    (lambda: sym.contrib.BatchNormWithReLU(sym.var("x"), name="n"), [0, 1, 2, 3, 4, 5, 9],
     ["n_output"]),
    (_two_inputs(sym.BilinearSampler, name="n"), [0, 1, 2, 4], ["n_output"]),
    (_two_inputs(sym.Correlation, name="n"), [0, 1, 2, 5], ["n_output"]),
    (lambda: sym.GridGenerator(sym.var("x"), transform_type="affine", target_shape=(2, 2),
                               name="n"), [0, 1, 3], ["n_output"]),
    (_two_inputs(sym.ROIPooling, pooled_size=(2, 2), spatial_scale=1.0, name="n"),
     [0, 1, 2, 4], ["n_output"]),
    (_two_inputs(sym.SpatialTransformer, target_shape=(2, 2), transform_type="affine",
                 sampler_type="bilinear", name="n"), [0, 1, 2, 5], ["n_output"]),
    (lambda: sym.contrib.Proposal(sym.var("x"), sym.var("y"), sym.var("z"), name="n"),
     [0, 1, 2, 3, 5], ["n_output"]),
    (lambda: sym.contrib.box_nms(sym.var("x"), name="n"), [0, 1, 3], ["n_output0"]),
    (lambda: sym.sort(sym.var("x"), name="n"), [0, 1, 3], ["n_output0"]),
    (lambda: sym.linalg.slogdet(sym.var("x"), name="n"), [0, 1, 5], ["n_output0", "n_output1"]),
    (lambda: sym.linalg.det(sym.var("x"), name="n"), [0, 1, 4], ["n_output0"]),
    (lambda: sym.L2Normalization(sym.var("x"), name="n"), [0, 1, 3], ["n_output"]),
    (lambda: sym.make_loss(sym.var("x"), name="n"), [0, 1, 2], ["n_loss"]),
])
def test_operators_keep_mxnets_hidden_outputs(make, row_ptr, outputs):
    # MXNet 1.9.1 (mxref): these nodes keep outputs a Symbol does not show (workspaces, masks,
    # indices), counted in node_row_ptr; those naming none number the one they show
    node = make()
    assert json.loads(node.tojson())["node_row_ptr"] == row_ptr
    assert node.list_outputs() == outputs


def test_every_listed_operator_function_can_be_made():
    # found by sweeping dir(mx.sym): _npi_stack/_npi_concatenate take num_args themselves and
    # building their signature raised "duplicate parameter name"
    broken = []
    for name in dir(sym):
        try:
            getattr(sym, name)
        except Exception as err:  # noqa: BLE001 - collect every failure for the message
            broken.append(f"{name}: {type(err).__name__}: {err}")
    assert broken == []


def test_random_functions_sample_from_symbol_parameters():
    # MXNet 1.9.1 (mxref): Symbol parameters make _sample_<name> nodes over them (exponential
    # through a _rdivscalar node for 1/scale), numbers _random_<name> nodes; mixing raises
    a, b = sym.var("a"), sym.var("b")
    node = sym.random.uniform(a, b, shape=(2,))
    assert node.get_internals().list_outputs() == ["a", "b", "_sample_uniform0_output"]
    assert json.loads(node.tojson())["nodes"][-1]["attrs"] == {"shape": "(2,)"}
    assert sym.random.exponential(a).get_internals().list_outputs() == [
        "a", "_rdivscalar0_output", "_sample_exponential0_output"]
    assert sym.random.poisson(a).get_internals().list_outputs() == ["a", "_sample_poisson0_output"]
    node = sym.random.exponential(scale=2, shape=(3,))
    assert json.loads(node.tojson())["nodes"][-1]["attrs"] == {"lam": "0.5", "shape": "(3,)"}
    with pytest.raises(AssertionError, match="must all have the same type"):
        sym.random.uniform(a, 1)
    with pytest.raises(ValueError, match="either Symbol or numbers"):
        sym.random.normal("x")
    assert "gamma" in dir(sym.random) and "gemm2" in dir(sym.linalg)
    assert {"box_nms", "quadratic", "ctc_loss"} <= set(dir(sym.contrib))


def test_a_node_made_without_a_required_parameter_is_refused_as_mxnet_refuses_it():
    # MXNet 1.9.1 (mxref): the Symbol is refused as it is made, naming the alphabetically first
    # missing parameter, its type and the given attributes
    with pytest.raises(mx.MXNetError, match=r'^Required parameter kernel of Shape\(tuple\) is not '
                       r'presented, in operator Convolution\(name="", num_filter="2"\)$'):
        sym.Convolution(sym.var("x"), num_filter=2, name="n")
    with pytest.raises(mx.MXNetError, match=r'parameter a_max of float .* clip\(name=""\)'):
        sym.clip(sym.var("x"))
    with pytest.raises(mx.MXNetError, match=r'parameter end of .* slice\(name="", begin="\(1,\)"'):
        sym.crop(sym.var("x"), begin=(1,))
    # a node without it that comes from a file is named at inference (no bare KeyError)
    graph = json.loads(sym.Convolution(sym.var("x"), kernel=(3, 3), num_filter=2).tojson())
    del graph["nodes"][-1]["attrs"]["kernel"]
    node = sym.load_json(json.dumps(graph))
    with pytest.raises(mx.MXNetError, match="Convolution .*'convolution0'.* 'kernel'"):
        node.infer_shape(x=(1, 3, 5, 5))


def test_the_generated_operator_modules_hold_the_public_operators():
    # MXNet 1.9.1 (mxref): mx.nd.op / mx.sym.op hold the very functions mx.nd / mx.sym import
    # from them, public ones only
    assert mx.nd.op.Convolution is mx.nd.Convolution
    assert sym.op.FullyConnected is sym.FullyConnected
    assert not hasattr(mx.nd.op, "_plus_scalar") and not hasattr(mx.nd.op, "NDArray")
    assert "relu" in dir(mx.nd.op) and "relu" in dir(sym.op)
    onp.testing.assert_array_equal(mx.nd.op.relu(mx.nd.array([-1, 2])).asnumpy(), [0, 2])
