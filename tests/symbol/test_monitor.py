"""Executor.set_monitor_callback and mx.monitor.Monitor: the names MXNet 1.9.1's executor
monitor gives (recorded from it with MXNET_SUBGRAPH_BACKEND=NONE), arrays passed as handles
that NDArray(handle) reads, the monitor kept across a Module's reshape, Monitor in fit."""
import ctypes
import logging

import numpy as onp
import pytest

import mxnp as mx
from mxnp import npx
from mxnp.base import NDArrayHandle, py_str


@pytest.fixture(autouse=True)
def _legacy_mode():
    npx.reset_np()


def _names(sym, monitor_all):
    seen = []
    exe = sym.simple_bind(ctx=mx.cpu(), grad_req="null")
    exe.set_monitor_callback(lambda name, arr: seen.append(py_str(name)), monitor_all)
    exe.forward()
    return seen


def test_monitor_names_are_mxnets():
    d = mx.sym.Variable("data", shape=(2, 3, 4, 4))
    conv = mx.sym.Convolution(d, kernel=(2, 2), num_filter=1, name="conv")
    assert _names(conv, False) == ["conv_output"]
    assert _names(conv, True) == ["data", "conv_data", "conv_weight", "conv_weight", "conv_bias",
                                  "conv_bias", "conv_output"]
    assert _names(mx.sym.Activation(d, act_type="relu", name="act"), True) == [
        "data", "act_input0", "act_output"]
    assert _names(mx.sym.concat(d, d, dim=0, name="cc"), True) == [
        "data", "cc_arg0", "data", "cc_arg1", "cc_output"]
    with mx.name.NameManager():  # automatic names count from 0 again
        doubled = d * 2
    assert _names(doubled, True) == ["data", "_mulscalar0_input0", "_mulscalar0_output"]
    assert _names(mx.sym.elemwise_add(d, d, name="p"), True) == [
        "data", "p_lhs", "data", "p_rhs", "p_output"]
    assert _names(mx.sym.SliceChannel(d, num_outputs=3, name="sc"), False) == [
        "sc_output0", "sc_output1", "sc_output2"]
    take = mx.sym.take(mx.sym.Variable("a", shape=(3,)), mx.sym.Variable("i", shape=(2,)),
                       name="tk")
    assert _names(take, True) == ["a", "tk_a", "i", "tk_indices", "tk_output"]


def test_the_callback_gets_a_handle_of_the_array():
    got = {}

    def callback(name, handle):
        got[py_str(name)] = mx.nd.NDArray(ctypes.cast(handle, NDArrayHandle),
                                          writable=False).asnumpy()
    x = mx.sym.Variable("x")
    exe = (mx.sym.exp(x, name="e") + 1).bind(mx.cpu(), {"x": mx.nd.array([0.0, 1.0])})
    exe.set_monitor_callback(callback, monitor_all=True)
    exe.forward()
    onp.testing.assert_allclose(got["e_output"], onp.exp([0.0, 1.0]), rtol=1e-6)
    onp.testing.assert_array_equal(got["e_input0"], [0.0, 1.0])
    assert sorted(got) == ["_plusscalar0_input0", "_plusscalar0_output", "e_input0",
                           "e_output", "x"]
    with pytest.raises(mx.MXNetError):
        mx.nd.NDArray(ctypes.c_void_p(1))


def test_a_modules_reshape_keeps_the_monitor():
    seen = set()
    d = mx.sym.Variable("data")
    mod = mx.mod.Module(mx.sym.Convolution(d, kernel=(1, 1), num_filter=1, name="conv"),
                        label_names=None)
    mod.bind(for_training=False, data_shapes=[("data", (1, 3, 5, 5))])
    mod.init_params()
    mod._exec_group.execs[0].set_monitor_callback(lambda n, a: seen.add(py_str(n)), True)
    mod.forward(mx.io.DataBatch([mx.nd.ones((1, 3, 5, 7))]), is_train=False)
    assert seen == {"data", "conv_data", "conv_weight", "conv_bias", "conv_output"}


def test_monitor_in_fit_logs_every_interval(caplog):
    fc = mx.sym.FullyConnected(mx.sym.Variable("data"), num_hidden=3, name="fc")
    mod = mx.mod.Module(mx.sym.SoftmaxOutput(fc, name="softmax"))
    it = mx.io.NDArrayIter(onp.random.rand(8, 4), onp.array([0, 1, 2, 0, 1, 2, 0, 1]),
                           batch_size=4)
    # MXNet also reports its backward nodes (fc_backward_output0 ...); mxnp does not
    mon = mx.monitor.Monitor(2, pattern="(?!.*backward).*(weight|output)$", sort=True)
    with caplog.at_level(logging.INFO):
        mod.fit(it, num_epoch=1, monitor=mon)
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Batch:")]
    assert [line.split()[1:3] for line in lines] == [
        ["1", "fc_output"], ["1", "fc_weight"], ["1", "softmax_output"]]
    mon.tic()  # the third batch: collected again; toc adds the matching arguments
    assert [(step, name) for step, name, _ in mon.toc()] == [(3, "fc_weight")]
    assert mon.toc() == []
