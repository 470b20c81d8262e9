"""Executors: eval, bind and simple_bind run a graph on mxnp's operators; forward against NumPy,
backward against mxnp's eager autograd and central differences."""
import numpy as onp
import pytest

import mxnp as mx
from mxnp import autograd, npx
from mxnp import numpy as np
from mxnp import symbol as sym
from mxnp.ndarray import NDArray
from mxnp.symbol.executor import evaluate
from mxnp.testing import check_grads


@pytest.fixture(autouse=True)
def _fresh_names():
    with mx.name.NameManager():
        yield


def _mlp():
    data = sym.var("data")
    fc = sym.FullyConnected(data, num_hidden=4, name="fc")
    return sym.Activation(fc * 0.5 + 1, act_type="tanh", name="out")


def _numpy_mlp(x, w, b):
    return onp.tanh((x @ w.T + b) * 0.5 + 1)


def test_eval_matches_numpy():
    a, b = sym.var("a"), sym.var("b")
    x, y = np.random.uniform(1, 2, size=(2, 3)), np.random.uniform(1, 2, size=(2, 3))
    outs = sym.Group([a * b - a / b, 2 ** a, (a + 1) ** 2]).eval(a=x, b=y)
    xn, yn = x.asnumpy(), y.asnumpy()
    assert all(type(o) is NDArray for o in outs) and type(x) is np.ndarray
    for got, want in zip(outs, [xn * yn - xn / yn, 2 ** xn, (xn + 1) ** 2]):
        onp.testing.assert_allclose(got.asnumpy(), want, rtol=1e-6)
    with pytest.raises(mx.MXNetError, match="no array given for the input 'b'"):
        (a + b).eval(a=x)
    with pytest.raises(TypeError, match="must be an mxnp array"):
        (a + 1).eval(a=[1, 2])


def test_simple_bind_forward_backward_match_eager_autograd():
    out = _mlp()
    ex = out.simple_bind(mx.cpu(), data=(3, 5))
    assert {k: v.shape for k, v in ex.arg_dict.items()} == {
        "data": (3, 5), "fc_weight": (4, 5), "fc_bias": (4,)}
    x, w, b = (np.random.uniform(-1, 1, size=s) for s in [(3, 5), (4, 5), (4,)])
    ex.copy_params_from({"fc_weight": w, "fc_bias": b})
    head = np.random.uniform(-1, 1, size=(3, 4))
    y = ex.forward(is_train=True, data=x)[0]
    ex.backward(head)
    onp.testing.assert_allclose(y.asnumpy(), _numpy_mlp(x.asnumpy(), w.asnumpy(),
                                                         b.asnumpy()), rtol=1e-5)
    for a in (x, w, b):
        a.attach_grad()
    with autograd.record():
        eager = np.tanh(npx.fully_connected(x, w, b, num_hidden=4) * 0.5 + 1)
    eager.backward(head)
    for name, a in zip(["data", "fc_weight", "fc_bias"], (x, w, b)):
        onp.testing.assert_allclose(ex.grad_dict[name].asnumpy(), a.grad.asnumpy(), rtol=1e-5)
    assert list(ex.output_dict) == ["out_output"]
    # MXNet's executors hold and give legacy mx.nd arrays
    assert all(type(a) is NDArray for a in ex.arg_arrays + ex.grad_arrays + ex.outputs)


def test_bind_grad_req_add_null_and_errors():
    out = _mlp()
    args = {"data": np.ones((2, 5)), "fc_weight": np.ones((4, 5)) * 0.1,
            "fc_bias": np.zeros((4,))}
    grads = {k: np.zeros_like(v) for k, v in args.items()}
    ex = out.bind(mx.cpu(), args, args_grad=grads,
                  grad_req={"data": "null", "fc_weight": "add", "fc_bias": "write"})
    assert ex.grad_dict["data"] is None
    for _ in range(2):
        ex.forward(is_train=True)
        ex.backward()
    once = out.bind(mx.cpu(), args, args_grad={k: np.zeros_like(v) for k, v in args.items()})
    once.forward(is_train=True)
    once.backward()
    onp.testing.assert_allclose(grads["fc_weight"].asnumpy(),
                                2 * once.grad_dict["fc_weight"].asnumpy(), rtol=1e-6)
    onp.testing.assert_allclose(grads["fc_bias"].asnumpy(),
                                once.grad_dict["fc_bias"].asnumpy(), rtol=1e-6)
    unbound = out.bind(mx.cpu(), args)  # no gradient arrays: backward does nothing (MXNet)
    unbound.backward()
    assert unbound.grad_arrays == [None, None, None]
    with pytest.raises(mx.MXNetError, match="no array for"):
        out.bind(mx.cpu(), {"data": args["data"]})
    with pytest.raises(ValueError, match="grad_req must be one of"):
        out.bind(mx.cpu(), args, grad_req="sometimes")
    with pytest.raises(mx.MXNetError, match="unknown argument"):
        ex.forward(bogus=np.ones(1))


def test_batchnorm_executor_uses_aux_states():
    data = sym.var("data")
    bn = sym.BatchNorm(data, fix_gamma=False, name="bn")
    ex = bn.simple_bind(mx.cpu(), data=(4, 3))
    ex.aux_dict["bn_moving_mean"][...] = np.array([1.0, 2.0, 3.0])
    ex.aux_dict["bn_moving_var"][...] = np.array([4.0, 1.0, 0.25])
    ex.arg_dict["bn_gamma"][...] = 1
    x = np.random.uniform(size=(4, 3))
    y = ex.forward(is_train=False, data=x)[0].asnumpy()
    want = (x.asnumpy() - [1.0, 2.0, 3.0]) / onp.sqrt(onp.array([4.0, 1.0, 0.25]) + 1e-3)
    onp.testing.assert_allclose(y, want, rtol=1e-4)
    y = ex.forward(is_train=True, data=x)[0].asnumpy()
    xn = x.asnumpy()
    want = (xn - xn.mean(0)) / onp.sqrt(xn.var(0) + 1e-3)
    onp.testing.assert_allclose(y, want, rtol=1e-4, atol=1e-5)


def test_graph_gradients_agree_with_central_differences():
    data, other = sym.var("data"), sym.var("other")
    conv = sym.Convolution(data, kernel=(2, 2), num_filter=3, name="conv")
    pooled = sym.Pooling(sym.relu(conv) + 1, kernel=(2, 2), pool_type="avg", name="pool")
    out = sym.FullyConnected(sym.Flatten(pooled), num_hidden=2, name="fc") * other
    names = out.list_arguments()
    shapes = dict(zip(names, out.infer_shape(data=(2, 1, 5, 5), other=(2, 2))[0]))
    arrays = [np.random.uniform(-1, 1, size=shapes[n]) for n in names]

    def f(*values):
        return evaluate(out._outputs, dict(zip(names, values)))[0]

    check_grads(f, *arrays, order=1)


def test_creation_symbols_evaluate_as_mxnet():
    s = sym.Group([sym.zeros((2, 3)), sym.ones((2,), dtype="int32"), sym.full((2,), 3.5),
                   sym.arange(0, 5, 2)])
    # MXNet 1.9.1 (mxref), legacy mode
    assert s.list_outputs() == ["_zeros0_output", "_ones0_output", "_full0_output",
                                "_arange0_output"]
    got = [o.asnumpy() for o in s.eval()]
    want = [onp.zeros((2, 3), "float32"), onp.ones(2, "int32"), onp.full(2, 3.5, "float32"),
            onp.arange(0, 5, 2, dtype="float32")]
    for g, w in zip(got, want):
        assert g.dtype == w.dtype
        onp.testing.assert_array_equal(g, w)
