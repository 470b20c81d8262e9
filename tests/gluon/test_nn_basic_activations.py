"""gluon.nn activation layers: Activation, LeakyReLU, PReLU, ELU, SELU, Swish, GELU."""
from __future__ import annotations

import math
import types

import numpy as onp
import pytest

from mxnp import autograd
from mxnp import initializer as init
from mxnp import numpy as np
from mxnp import numpy_extension as npx
from mxnp.gluon import nn
from mxnp.testing import assert_allclose, check_grads

F = types.SimpleNamespace(np=np, npx=npx)
# away from 0, where the piecewise activations have their kink
XG = np.array(onp.random.default_rng(5).uniform(0.2, 2, (3, 4))
              * onp.array([1, -1, 1, -1]))


def _erf(v):
    return onp.vectorize(math.erf)(v)


REFERENCE = {  # NumPy references, by activation name
    "relu": lambda v: onp.maximum(v, 0),
    "sigmoid": lambda v: 1 / (1 + onp.exp(-v)),
    "tanh": onp.tanh,
    "softrelu": lambda v: onp.log1p(onp.exp(v)),
    "softsign": lambda v: v / (1 + onp.abs(v)),
}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_activation_values_repr_name_and_gradient(name):
    act = nn.Activation(name)
    assert repr(act) == f"Activation({name})"  # MXNet 1.9.1 (mxref)
    assert act.name.startswith(name)  # the name hint is the activation's name (relu0 ...)
    x = onp.array([-1.0, 0.0, 2.0], dtype="float32")
    assert_allclose(act(np.array(x)), REFERENCE[name](x), rtol=1e-6, atol=1e-7)
    check_grads(lambda x: act.hybrid_forward(F, x), XG)


def test_activation_recorded_values():
    x = np.array([-1.0, 0.0, 2.0])
    # MXNet 1.9.1 (mxref)
    assert_allclose(nn.Activation("softrelu")(x), [0.31326175, 0.69314724, 2.1269279], rtol=1e-6)
    assert_allclose(nn.Activation("sigmoid")(x), [0.26894143, 0.5, 0.8807971], rtol=1e-6)


def test_softsign_gradient_rounds_as_mxnet():
    # MXNet 1.9.1 (mxref): the gradient is g / sqr(1 + |x|) in float32, in both faces
    x = np.array([-10., -3.5, -0.3, 0., 0.25, 7.])
    x.attach_grad()
    with autograd.record():
        y = npx.activation(x, act_type="softsign")
    y.backward(np.array([1., 1., 0.5, 1., 2., 1.]))
    assert y.tolist() == [-0.9090909361839294, -0.7777777910232544, -0.23076924681663513,
                          0.0, 0.20000000298023224, 0.875]
    want = [0.00826446246355772, 0.04938271641731262, 0.2958580255508423, 1.0,
            1.2799999713897705, 0.015625]
    assert x.grad.tolist() == want
    from mxnp import ndarray as nd
    xn = nd.array([-10., -3.5, -0.3, 0., 0.25, 7.])
    xn.attach_grad()
    with autograd.record():
        yn = nd.softsign(xn)
    yn.backward(nd.array([1., 1., 0.5, 1., 2., 1.]))
    assert xn.grad.asnumpy().tolist() == want


def test_activation_unknown_name_fails_at_call_time():
    act = nn.Activation("gelu")
    assert repr(act) == "Activation(gelu)"
    with pytest.raises(ValueError, match="gelu"):
        act(np.ones(2))


def test_leakyrelu():
    lr = nn.LeakyReLU(0.1)
    assert repr(lr) == "LeakyReLU(0.1)" and lr.name.startswith("leakyrelu")
    assert_allclose(lr(np.array([-1.0, 2.0])), [-0.1, 2.0], rtol=1e-6)  # MXNet 1.9.1 (mxref)
    check_grads(lambda x: lr.hybrid_forward(F, x), XG)
    with pytest.raises(AssertionError, match="Slope coefficient for LeakyReLU must be no less "
                                             "than 0."):
        nn.LeakyReLU(-1)


def test_prelu_parameter_repr_values_and_gradients():
    p = nn.PReLU(prefix="p_")
    assert [(k, v.shape) for k, v in p.collect_params().items()] == [("p_alpha", (1,))]
    assert isinstance(p.alpha.init, init.Constant)
    assert p.alpha.init.dumps() == '["constant", {"value": 0.25}]'  # MXNet 1.9.1 (mxref)
    assert repr(p) == "PReLU(\n\n)" and nn.PReLU().name.startswith("prelu")
    p.initialize()
    assert_allclose(p(np.array([-1.0, 2.0])), [-0.25, 2.0])
    p3 = nn.PReLU(in_channels=3)
    p3.initialize()
    x = onp.array([[-1.0, 2.0, -3.0], [1, -1, -1]], dtype="float32")
    with autograd.record():
        y = p3(np.array(x))
    y.backward()
    assert_allclose(y, [[-0.25, 2.0, -0.75], [1.0, -0.25, -0.25]])  # MXNet 1.9.1 (mxref)
    assert_allclose(p3.alpha.grad(), onp.minimum(x, 0).sum(0))
    alpha = np.array([0.3, 0.1, 0.7])
    check_grads(lambda x, a: p3.hybrid_forward(F, x, a), XG[:, :3], alpha)


def test_elu_selu_gelu_swish_values():
    x = np.array([-1.0, 2.0])
    # MXNet 1.9.1 (mxref)
    assert_allclose(nn.ELU()(x), [-0.6321205, 2.0], rtol=1e-6)
    assert_allclose(nn.ELU(alpha=2.0)(np.array([-1.0])), [-1.264241], rtol=1e-6)
    assert_allclose(nn.SELU()(x), [-1.1113307, 2.101402], rtol=1e-6)
    assert_allclose(nn.GELU()(np.array([-1.0, 0.5, 2.0])),
                    [-0.15865527, 0.3457312, 1.9544998], rtol=1e-6)
    assert_allclose(nn.Swish()(x), [-0.26894143, 1.761594], rtol=1e-6)
    assert_allclose(nn.Swish(beta=2.0)(np.array([-1.0])), [-0.11920292], rtol=1e-6)


def test_elu_selu_gelu_swish_against_numpy_and_gradients():
    v = XG.asnumpy()
    sig = lambda t: 1 / (1 + onp.exp(-t))  # noqa: E731
    cases = {
        nn.ELU(alpha=1.5): onp.where(v > 0, v, 1.5 * onp.expm1(v)),
        nn.SELU(): 1.0507009873554805 * onp.where(v > 0, v, 1.6732632423543772 * onp.expm1(v)),
        nn.GELU(): 0.5 * v * (1 + _erf(v / math.sqrt(2))),
        nn.Swish(beta=0.5): v * sig(0.5 * v),
    }
    for layer, ref in cases.items():
        assert repr(layer) == f"{type(layer).__name__}(\n\n)"  # MXNet 1.9.1 (mxref)
        assert_allclose(layer(XG), ref, rtol=1e-6, err_msg=type(layer).__name__)
        check_grads(lambda x: layer.hybrid_forward(F, x), XG)
