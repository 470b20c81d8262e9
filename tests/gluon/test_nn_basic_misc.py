"""gluon.nn basic layers together: name hints, a hybridized stack of every layer, mixed
precision in BatchNorm, Embedding(sparse_grad=True)."""
from __future__ import annotations

import numpy as onp
import pytest

from mxnp import autograd
from mxnp import numpy as np
from mxnp.gluon import nn
from mxnp.testing import assert_allclose

HINTS = [  # MXNet 1.9.1 (mxref): class -> first name in a fresh process
    (lambda: nn.Sequential(), "sequential"), (lambda: nn.HybridSequential(), "hybridsequential"),
    (lambda: nn.Dense(2), "dense"), (lambda: nn.Dropout(0.1), "dropout"),
    (lambda: nn.BatchNorm(), "batchnorm"), (lambda: nn.BatchNormReLU(), "batchnormrelu"),
    (lambda: nn.Embedding(2, 2), "embedding"), (lambda: nn.Flatten(), "flatten"),
    (lambda: nn.InstanceNorm(), "instancenorm"), (lambda: nn.LayerNorm(), "layernorm"),
    (lambda: nn.GroupNorm(), "groupnorm"), (lambda: nn.Lambda("tanh"), "lambda"),
    (lambda: nn.HybridLambda("tanh"), "hybridlambda"), (lambda: nn.Activation("tanh"), "tanh"),
    (lambda: nn.LeakyReLU(0.1), "leakyrelu"), (lambda: nn.PReLU(), "prelu"),
    (lambda: nn.ELU(), "elu"), (lambda: nn.SELU(), "selu"), (lambda: nn.Swish(), "swish"),
    (lambda: nn.GELU(), "gelu"),
]


@pytest.mark.parametrize("make, hint", HINTS, ids=[h for _, h in HINTS])
def test_name_hint(make, hint):
    block = make()
    assert block.name[len(hint):].isdigit() and block.name.startswith(hint)
    assert block.prefix == block.name + "_"


def _every_layer():
    net = nn.HybridSequential()
    net.add(nn.Dense(12, activation="relu"), nn.BatchNorm(), nn.Dropout(0.2),
            nn.PReLU(), nn.LeakyReLU(0.1), nn.ELU(), nn.SELU(), nn.GELU(), nn.Swish(),
            nn.LayerNorm(), nn.HybridLambda(lambda F, x: F.np.reshape(x, (-1, 3, 4))),
            nn.InstanceNorm(scale=True), nn.GroupNorm(num_groups=3), nn.Flatten(),
            nn.Activation("softsign"), nn.Dense(2))
    return net


def test_every_layer_stacked_hybridized_gives_the_same_values_and_gradients():
    net = _every_layer()
    net.initialize()
    x = np.array(onp.random.default_rng(4).standard_normal((5, 7)).astype("float32"))
    eager = net(x)
    net.hybridize()
    assert_allclose(net(x), eager, rtol=1e-5, atol=1e-6)
    grads = []
    for hybrid in (False, True):
        net.hybridize(hybrid)
        np.random.seed(3)  # the same dropout mask both times
        with autograd.record():
            loss = (net(x) ** 2).sum()
        loss.backward()
        grads.append(net[0].weight.grad().asnumpy().copy())
    assert onp.abs(grads[0]).sum() > 0
    assert_allclose(grads[1], grads[0], rtol=1e-4, atol=1e-6)


def test_batchnorm_float16_data_keeps_float32_parameters():
    bn = nn.BatchNorm()
    bn.initialize()
    y = bn(np.ones((2, 3), dtype="float16"))
    # MXNet 1.9.1 (mxref): float16 output, float32 gamma
    assert y.dtype == onp.float16 and onp.dtype(bn.gamma.dtype) == onp.float32


def test_embedding_sparse_grad_trains_with_a_dense_gradient():
    e = nn.Embedding(5, 3, sparse_grad=True)
    assert repr(e) == "Embedding(5 -> 3, float32)"
    e.initialize()
    with autograd.record():
        y = e(np.array([4, 4])).sum()
    y.backward()
    assert_allclose(e.weight.grad().asnumpy()[4], [2.0, 2.0, 2.0])
    assert_allclose(e.weight.grad().asnumpy()[:4], onp.zeros((4, 3)))


def test_hybridize_reaches_every_child_and_activation():
    net = nn.Sequential()
    inner = nn.HybridSequential()
    inner.add(nn.Dense(3, activation="relu"), nn.BatchNorm())
    net.add(inner, nn.Lambda(lambda x: x))
    net.hybridize()
    assert inner._active and inner[0]._active and inner[0].act._active and inner[1]._active
    net.hybridize(False)
    assert not inner[0].act._active


def test_save_and_load_parameters_keep_running_statistics(tmp_path):
    def build():
        net = nn.HybridSequential()
        net.add(nn.Dense(3, in_units=2), nn.BatchNorm(in_channels=3), nn.PReLU())
        return net

    net = build()
    net.initialize()
    with autograd.record():
        y = net(np.array([[1.0, 2.0], [3.0, -1.0]]))
    y.backward()
    net.save_parameters(str(tmp_path / "net.params"))
    other = build()
    other.load_parameters(str(tmp_path / "net.params"))
    for (k, p), q in zip(net.collect_params().items(), other.collect_params().values()):
        assert_allclose(q.data(), p.data().asnumpy(), err_msg=k)
    assert onp.abs(other[1].running_mean.data().asnumpy()).sum() > 0


def test_parameter_dict_reprs_show_each_layers_dtypes():
    # MXNet 1.9.1 (mxref): layers that pass no dtype print NumPy's raw default class
    assert str(nn.BatchNorm(prefix="bn_").collect_params()) == (
        "bn_ (\n"
        "  Parameter bn_gamma (shape=(-1,), dtype=<class 'numpy.float32'>)\n"
        "  Parameter bn_beta (shape=(-1,), dtype=<class 'numpy.float32'>)\n"
        "  Parameter bn_running_mean (shape=(-1,), dtype=<class 'numpy.float32'>)\n"
        "  Parameter bn_running_var (shape=(-1,), dtype=<class 'numpy.float32'>)\n)")
    assert str(nn.Dense(2, prefix="d_").params) == (
        "d_ (\n  Parameter d_weight (shape=(2, -1), dtype=float32)\n"
        "  Parameter d_bias (shape=(2,), dtype=float32)\n)")
    assert repr(nn.PReLU(prefix="p_").alpha) == (
        "Parameter p_alpha (shape=(1,), dtype=<class 'numpy.float32'>)")
    assert repr(nn.Embedding(3, 2, dtype="float64", prefix="e_").weight) == (
        "Parameter e_weight (shape=(3, 2), dtype=float64)")


def test_dense_shares_parameters_through_params():
    net = nn.Sequential()
    shared = nn.Dense(8, activation="relu", prefix="shared_")
    net.add(nn.Dense(8, activation="relu", prefix="first_"), shared,
            nn.Dense(8, activation="relu", params=shared.params, prefix="tied_"),
            nn.Dense(10, prefix="out_"))
    net.initialize()
    x = np.random.uniform(size=(2, 20))
    with autograd.record():
        y = net(x).sum()
    y.backward()
    # MXNet 1.9.1 (mxref): the tied layer adds no parameters of its own (d2l's sharing example)
    assert list(net.collect_params().keys()) == ["first_weight", "first_bias", "shared_weight",
                                                 "shared_bias", "out_weight", "out_bias"]
    assert net[2].weight is net[1].weight and net[2].act.name == "tied_relu"
    h = net[0](x)
    assert_allclose(net[2](h), net[1](h))  # the same weights
    assert onp.abs(net[1].weight.grad().asnumpy()).sum() > 0
