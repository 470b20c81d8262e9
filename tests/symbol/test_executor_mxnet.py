"""Symbol and Executor behaviour MXNet 1.9.1's own unit tests rely on (test_symbol.py,
test_executor.py), checked against what MXNet 1.9.1 does (mxref)."""
import re

import numpy as onp
import pytest

import mxnp as mx
from mxnp import symbol as sym
from mxnp.base import NotImplementedForSymbol
from mxnp.test_utils import check_consistency


@pytest.fixture(autouse=True)
def _fresh_names():
    with mx.name.NameManager():
        yield


def test_symbol_has_no_truth_value():
    with pytest.raises(NotImplementedForSymbol, match="no truth value"):
        bool(sym.var("x"))


def test_compose_names_the_head_node():
    net = sym.relu(sym.FullyConnected(name="fc3", num_hidden=10), name="r")
    composed = net(fc3_data=sym.var("data"), name="composed")
    assert composed.list_outputs() == ["composed_output"]
    assert composed.get_internals().list_outputs() == \
        ["data", "fc3_weight", "fc3_bias", "fc3_output", "composed_output"]
    assert net.list_outputs() == ["r_output"]  # the original graph keeps its names


def test_children_of_a_multi_output_node_are_listed_once():
    data = sym.var("data")
    assert sym.SliceChannel(data, num_outputs=3).get_children().list_outputs() == ["data"]
    assert (data + data).get_children().list_outputs() == ["data", "data"]


def _fc_exe(**grads):
    x = sym.var("x")
    y = sym.FullyConnected(x, num_hidden=2, name="fc")
    args = {"x": mx.nd.ones((2, 3)), "fc_weight": mx.nd.ones((2, 3)),
            "fc_bias": mx.nd.ones((2,))}
    return y.bind(mx.cpu(), args, args_grad=grads or None)


def test_outputs_exist_from_bind_and_forward_writes_into_them():
    exe = _fc_exe()
    out = exe.outputs[0]
    assert out.shape == (2, 2)
    exe.forward()
    assert exe.outputs[0] is out
    assert out.asnumpy().tolist() == [[4.0, 4.0], [4.0, 4.0]]


def test_backward_after_a_forward_that_did_not_record():
    exe = _fc_exe(x=mx.nd.zeros((2, 3)))  # only x has a gradient array: only x gets one
    exe.forward()
    exe.backward(mx.nd.ones((2, 2)))
    assert exe.grad_dict["x"].asnumpy().tolist() == [[2.0] * 3] * 2
    assert exe.grad_arrays[1:] == [None, None]


def test_backward_through_stop_gradient_gives_zeros():
    x, idx = sym.var("x"), sym.var("idx")
    z = sym.stop_gradient(sym.batch_take(x, idx))
    exe = z.simple_bind(mx.cpu(), x=(4, 3), idx=(4,), type_dict={"x": onp.float32,
                                                                 "idx": onp.int32})
    exe.arg_dict["x"][:] = 1
    exe.forward()
    exe.backward()
    assert not exe.grad_dict["x"].asnumpy().any()
    # without the stop, the gradient would have to pass batch_take, which has none in MXNet
    with pytest.raises(mx.MXNetError, match="batch_take.*non-differentiable"):
        sym.batch_take(x, idx).simple_bind(mx.cpu(), x=(4, 3), idx=(4,),
                                           type_dict={"x": onp.float32, "idx": onp.int32})


def test_simple_bind_takes_dtypes_from_type_inference():
    y = sym.FullyConnected(sym.var("x"), num_hidden=2, name="fc")
    exe = y.simple_bind(mx.cpu(), x=(3, 4), type_dict={"x": "float64"})
    assert [a.dtype for a in exe.arg_arrays] == [onp.float64] * 3
    assert exe.outputs[0].dtype == onp.float64


def test_reshape_shares_memory_with_the_original_executor():
    y = sym.FullyConnected(sym.var("x"), num_hidden=4, name="fc")
    exe = y.simple_bind(mx.cpu(), x=(5, 4), grad_req="null")
    exe.arg_arrays[0][:] = 1
    exe.arg_arrays[1][:] = mx.nd.ones((4, 4))
    exe.arg_arrays[2][:] = 0
    small = exe.reshape(x=(3, 4))
    assert small.arg_arrays[1] is exe.arg_arrays[1]
    small.forward()
    assert (small.outputs[0].asnumpy() == 4).all()
    assert (exe.outputs[0].asnumpy()[:3] == 4).all()  # the small output is the big one's start
    with pytest.raises(mx.MXNetError, match="allow_up_sizing"):
        exe.reshape(x=(6, 4))
    big = exe.reshape(allow_up_sizing=True, x=(6, 4))
    big.arg_arrays[0][:] = 0
    assert (exe.arg_arrays[0].asnumpy() == 1).all()
    assert (big.arg_arrays[1].asnumpy() == 1).all()


def test_debug_str_counts_no_gradient_memory_behind_stop_gradient():
    data = sym.var("data")
    for _ in range(3):
        data = data * data

    def total(s, **kw):
        text = s.simple_bind(mx.cpu(), data=(10, 3, 128, 128), **kw).debug_str()
        return int(re.search(r"Total (\d+) MB allocated", text).group(1))

    with_grad = total(data)
    assert with_grad > total(sym.stop_gradient(data))
    assert total(data, grad_req="null") == total(sym.stop_gradient(data))


def test_check_consistency_compares_runs():
    x = sym.var("data")
    a, b = sym.sum(x, axis=1, name="s"), x.sum(axis=1)
    ref = check_consistency([a, b], [{"ctx": mx.cpu(), "data": (3, 4)}] * 2)
    assert ref["s_output"].shape == (3,)
    wrong = sym.sum(x, axis=0, name="s")
    with pytest.raises(AssertionError):
        check_consistency([a, wrong], [{"ctx": mx.cpu(), "data": (4, 4)}] * 2)
    mixed = [{"ctx": mx.cpu(), "data": (3, 4), "type_dict": {"data": onp.float64}},
             {"ctx": mx.cpu(), "data": (3, 4), "type_dict": {"data": onp.float32}}]
    check_consistency(a, mixed)


def test_comparisons_and_binary_functions_make_mxnet_nodes():
    a = sym.var("a")
    same = a
    # node names recorded from MXNet 1.9.1
    assert [s.name for s in (a == 1, a != 0, a > 1, a >= 1, a < 1, a <= 1, 1 < a, a == same)] == \
        ["_equal_scalar0", "_not_equal_scalar0", "_greater_scalar0", "_greater_equal_scalar0",
         "_lesser_scalar0", "_lesser_equal_scalar0", "_greater_scalar1", "_equal0"]
    fns = (sym.pow, sym.power, sym.maximum, sym.minimum, sym.hypot)
    assert [f(a, 2).name for f in fns] == ["_powerscalar0", "_powerscalar1", "_maximumscalar0",
                                           "_minimumscalar0", "_hypotscalar0"]
    assert [f(2, a).name for f in fns] == ["_rpowerscalar0", "_rpowerscalar1", "_maximumscalar1",
                                           "_minimumscalar1", "_hypotscalar1"]
    assert [f(a, a).name for f in fns] == ["_power0", "_power1", "_maximum0", "_minimum0",
                                           "_hypot0"]
    assert (sym.pow(2, 3), sym.maximum(2, 3)) == (8, 3)
    x = mx.nd.array([0.0, 3.0])
    assert (2 - (a != 0)).eval(a=x)[0].asnumpy().tolist() == [2.0, 1.0]
    assert sym.pow(2, a).eval(a=x)[0].asnumpy().tolist() == [1.0, 8.0]
    assert sym.hypot(4, a).eval(a=x)[0].asnumpy().tolist() == [4.0, 5.0]
    assert sym.minimum(a, 1).eval(a=x)[0].asnumpy().tolist() == [0.0, 1.0]
    with pytest.raises(TypeError, match="mx.sym.power: expected Symbols or numbers"):
        sym.power("2", a)
    assert {a: 1}[a] == 1  # still usable as a key


def test_softmax_output_with_probability_labels():
    x = mx.nd.array([[1.0, 6.0, 4.0, 2.0]])
    label = mx.nd.array([[0.1, 0.2, 0.3, 0.4]])
    x.attach_grad()
    with mx.autograd.record():
        y = mx.nd.SoftmaxOutput(x, label, grad_scale=2)
    y.backward()
    # recorded from MXNet 1.9.1: (softmax - label) * grad_scale
    onp.testing.assert_allclose(y.asnumpy(), [[0.00580663, 0.86178, 0.11662924, 0.01578405]],
                                rtol=1e-5)
    onp.testing.assert_allclose(x.grad.asnumpy(), [[-0.18838675, 1.32356, -0.36674154,
                                                    -0.7684319]], rtol=1e-5)


def test_attributes_from_numpy_numbers_and_explicit_none():
    # as MXNet 1.9.1 writes them: plain numbers, and "None" for a required attribute set to None
    b = sym.broadcast_axis(sym.var("x"), axis=(onp.int64(0),), size=(onp.int64(5),))
    assert b.list_attr() == {"axis": "(0,)", "size": "(5,)"}
    s = sym.slice_axis(sym.var("x"), axis=1, begin=-2, end=None)
    assert s.list_attr() == {"axis": "1", "begin": "-2", "end": "None"}
    x = mx.nd.arange(6).reshape((2, 3))
    assert s.eval(x=x)[0].asnumpy().tolist() == [[1.0, 2.0], [4.0, 5.0]]
    assert b.eval(x=mx.nd.ones((1, 2)))[0].shape == (5, 2)


def test_operator_namespaces_of_mx_sym():
    a, b = sym.var("a"), sym.var("b")
    gemm = sym.linalg.gemm2(a, b, name="g")
    assert '"op": "_linalg_gemm2"' in gemm.tojson()
    x = mx.nd.array([[1.0, 2.0], [3.0, 4.0]])
    assert gemm.eval(a=x, b=x)[0].asnumpy().tolist() == [[7.0, 10.0], [15.0, 22.0]]
    assert sym.random.uniform(shape=(2, 3)).eval()[0].shape == (2, 3)
    assert sym.contrib.isnan(a).eval(a=mx.nd.array([onp.nan, 1]))[0].asnumpy().tolist() == \
        [1.0, 0.0]
    ctc = sym.contrib.ctc_loss(a, b, name="c")  # (MXNet 1.9.1 lists its output as c_output0)
    assert ctc.list_arguments() == ["a", "b"] and '"op": "CTCLoss"' in ctc.tojson()
    assert sym.ctc_loss(a, b, use_data_lengths=True).list_arguments() == \
        ["a", "b", "ctc_loss0_data_lengths"]
    with pytest.raises(AttributeError, match="mxnp.symbol.linalg' has no attribute 'nope'"):
        sym.linalg.nope  # noqa: B018


def _staged_mlp():
    """fc1 under ctx_group 'stage1', fc2 and a BatchNorm under 'stage2'; 'data' in none."""
    data = sym.var("data")
    with mx.AttrScope(ctx_group="stage1"):
        fc1 = sym.FullyConnected(data, name="fc1", num_hidden=4)
    with mx.AttrScope(ctx_group="stage2"):
        out = sym.BatchNorm(sym.FullyConnected(fc1, name="fc2", num_hidden=3), name="bn")
    return out


def test_simple_bind_places_arrays_by_ctx_group():
    # contexts as MXNet 1.9.1 gives them (mxref): a variable of a group in group2ctx on that
    # group's context, its gradient and auxiliary arrays too, the rest on the bind's context;
    # the output on the context of its node's group
    net = _staged_mlp()
    ex = net.simple_bind(mx.cpu(0), group2ctx={"stage1": mx.cpu(1), "stage2": mx.cpu(2)},
                         data=(2, 5))
    want = {"data": 0, "fc1_weight": 1, "fc1_bias": 1, "fc2_weight": 2, "fc2_bias": 2,
            "bn_gamma": 2, "bn_beta": 2}
    assert {n: a.context.device_id for n, a in ex.arg_dict.items()} == want
    assert {n: a.context.device_id for n, a in ex.grad_dict.items()} == want
    assert [a.context for a in ex.aux_arrays] == [mx.cpu(2), mx.cpu(2)]
    ex.forward(is_train=True)
    assert ex.outputs[0].context == mx.cpu(2)
    # without group2ctx everything stays on the bind's context
    ex = net.simple_bind(mx.cpu(0), data=(2, 5))
    assert {a.context for a in ex.arg_arrays + ex.aux_arrays + ex.outputs} == {mx.cpu(0)}


def test_bind_places_outputs_by_ctx_group():
    # MXNet 1.9.1 (mxref): exp under ctx_group 'g1', then a plus of no group: the plus runs
    # where its first placed input runs, so the output lies on cpu(5)
    a, c = sym.var("a"), sym.var("c")
    with mx.AttrScope(ctx_group="g1"):
        b = sym.exp(a, name="e")
    ex = (b + c).bind(mx.cpu(0), {"a": mx.nd.ones(2), "c": mx.nd.ones(2)},
                      group2ctx={"g1": mx.cpu(5)})
    ex.forward()
    assert ex.outputs[0].context == mx.cpu(5)
    onp.testing.assert_allclose(ex.outputs[0].asnumpy(), [onp.e + 1] * 2, rtol=1e-6)
    # a group the graph uses that group2ctx does not assign is an error, as in MXNet
    with pytest.raises(mx.MXNetError, match="ctx_group 'g1'"):
        (b + c).bind(mx.cpu(0), {"a": mx.nd.ones(2), "c": mx.nd.ones(2)},
                     group2ctx={"other": mx.cpu(1)})
