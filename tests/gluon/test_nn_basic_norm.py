"""gluon.nn normalisation layers: BatchNorm, BatchNormReLU, LayerNorm, InstanceNorm, GroupNorm.

Reprs, parameter attributes and BatchNorm's numbers were recorded from MXNet 1.9.1 (mxref);
InstanceNorm/GroupNorm values from its legacy mode (numpy mode cannot run them).
"""
from __future__ import annotations

import types

import numpy as onp
import pytest

from mxnp import autograd
from mxnp import numpy as np
from mxnp import numpy_extension as npx
from mxnp.gluon import nn
from mxnp.testing import assert_allclose, check_grads

F = types.SimpleNamespace(np=np, npx=npx)
RNG = onp.random.default_rng(7)


def _attrs(block):
    """(short name, shape, grad_req, init) of each parameter."""
    return [(k[len(block.prefix):], p.shape, p.grad_req, p.init)
            for k, p in block.collect_params().items()]


def _bn_repr(name="BatchNorm", axis=1, eps="1e-05", momentum=0.9, fix=False, chans=-1):
    return (f"{name}(axis={axis}, eps={eps}, momentum={momentum}, fix_gamma={fix}, "
            f"use_global_stats=False, in_channels={chans})")


# ---- BatchNorm ---------------------------------------------------------------------------------
def test_batchnorm_parameters_and_repr():
    bn = nn.BatchNorm(prefix="bn_")
    # MXNet 1.9.1 (mxref)
    assert _attrs(bn) == [("gamma", (-1,), "write", "ones"), ("beta", (-1,), "write", "zeros"),
                          ("running_mean", (-1,), "null", "zeros"),
                          ("running_var", (-1,), "null", "ones")]
    assert repr(bn) == _bn_repr()
    bn.initialize()
    bn(np.ones((2, 3, 4)))
    assert repr(bn) == _bn_repr(chans=3)
    assert [p.shape for p in bn.collect_params().values()] == [(3,)] * 4
    off = nn.BatchNorm(axis=-1, center=False, scale=False, in_channels=3)
    assert [p.grad_req for p in off.collect_params().values()] == ["null"] * 4
    assert repr(off) == _bn_repr(axis=-1, fix=True, chans=3)
    relu = nn.BatchNormReLU(momentum=0.5, epsilon=1e-3, scale=False)
    assert repr(relu) == _bn_repr("BatchNormReLU", eps="0.001", momentum=0.5, fix=True)


def test_batchnorm_axis_last_infers_channels():
    bn = nn.BatchNorm(axis=-1)
    bn.initialize()
    bn(np.ones((2, 3, 4)))
    assert bn.gamma.shape == (4,) and "in_channels=4" in repr(bn)


def test_batchnorm_on_input_without_the_channel_axis_fails_at_inference():
    bn = nn.BatchNorm()
    bn.initialize()
    # MXNet 1.9.1 (mxref): "Deferred initialization failed ... Channel axis out of range: 1"
    with pytest.raises(ValueError, match="^Deferred initialization failed because shape cannot "
                                         "be inferred.*axis 1 is out of range"):
        bn(np.array([1.0, 2.0, 4.0]))


X = onp.arange(12, dtype="float32").reshape(2, 3, 2)


def test_batchnorm_predict_mode_uses_running_stats():
    bn = nn.BatchNorm()
    bn.initialize()
    assert_allclose(bn(np.array(X)), X / onp.sqrt(1 + 1e-5), rtol=1e-6)
    assert_allclose(bn.running_mean.data(), [0, 0, 0])


def test_batchnorm_training_updates_running_stats_only_with_backward():
    bn = nn.BatchNorm()
    bn.initialize()
    with autograd.record():
        y = bn(np.array(X))
    # MXNet 1.9.1 (mxref): channel 0 holds 0,1,6,7: mean 3.5, biased var 9.25
    assert_allclose(y.asnumpy()[0, 0], [-1.1507924, -0.82199454], rtol=1e-5)
    assert_allclose(bn.running_mean.data(), [0, 0, 0])
    assert_allclose(bn.running_var.data(), [1, 1, 1])
    y.backward()
    assert_allclose(bn.running_mean.data(), [0.35, 0.55, 0.75], rtol=1e-6)
    assert_allclose(bn.running_var.data(), [1.825] * 3, rtol=1e-6)
    with autograd.record():
        y = bn(np.array(X))
    y.backward()
    assert_allclose(bn.running_mean.data(), [0.665, 1.045, 1.425], rtol=1e-6)
    assert_allclose(bn.running_var.data(), [2.5675] * 3, rtol=1e-6)


def test_batchnorm_moving_stats_round_as_mxnet():
    # MXNet 1.9.1 (mxref), exactly: momentum and 1 - momentum are float32 numbers (0.9 gives
    # the batch a 0.100000024 share), in float32 and float64 parameters alike
    data = np.arange(16).reshape(2, 2, 2, 2).astype("float32")
    bn = nn.BatchNorm()
    bn.initialize()
    for _ in range(3):
        with autograd.record():
            loss = np.abs(bn(data))
        loss.backward()
    assert bn.running_mean.data().tolist() == [1.4905002117156982, 2.574500560760498]
    assert bn.running_var.data().tolist() == [5.403750896453857, 5.403750896453857]
    bn = nn.BatchNorm(momentum=0.7, in_channels=2)
    bn.initialize()
    bn.cast("float64")
    with autograd.record():
        loss = np.abs(bn(data.astype("float64")))
    loss.backward()
    assert bn.running_mean.data().tolist() == [1.6500000655651093, 2.850000113248825]
    assert bn.running_var.data().tolist() == [5.8750001937150955, 5.8750001937150955]


def test_batchnorm_predict_inside_record_and_global_stats():
    for bn, scope in ((nn.BatchNorm(), lambda: autograd.record(train_mode=False)),
                      (nn.BatchNorm(use_global_stats=True), autograd.record)):
        bn.initialize()
        with scope():
            y = bn(np.array(X))
        y.backward()
        assert_allclose(y, X / onp.sqrt(1 + 1e-5), rtol=1e-6)
        assert_allclose(bn.running_mean.data(), [0, 0, 0])


def test_batchnorm_momentum_and_batch_of_one():
    bn = nn.BatchNorm(momentum=0.5)
    bn.initialize()
    with autograd.record():
        y = bn(np.array([[1.0, 2.0]]))
    y.backward()
    # MXNet 1.9.1 (mxref) with momentum 0.9: mean [0.1, 0.2], var [0.9, 0.9]; here 0.5
    assert_allclose(y, [[0.0, 0.0]])
    assert_allclose(bn.running_mean.data(), [0.5, 1.0])
    assert_allclose(bn.running_var.data(), [0.5, 0.5])


def test_batchnorm_parameter_gradients_recorded_values():
    bn = nn.BatchNorm()
    bn.initialize()
    with autograd.record():
        out = (bn(np.array(X)) * np.array(X)).sum()
    out.backward()
    # MXNet 1.9.1 (mxref)
    assert_allclose(bn.gamma.grad(), [12.16552] * 3, rtol=1e-5)
    assert_allclose(bn.beta.grad(), [14.0, 22.0, 30.0])


def test_batchnorm_scale_false_ignores_gamma():
    bn = nn.BatchNorm(scale=False)
    bn.initialize()
    bn.gamma.set_data(np.array([5.0, 5.0]))
    with autograd.record():
        y = bn(np.array([[1.0, -2.0], [3.0, -4.0]]))
    # MXNet 1.9.1 (mxref)
    assert_allclose(y, [[-0.999995, 0.999995], [0.999995, -0.999995]], rtol=1e-6)


def test_batchnorm_gradients_in_training_and_predict_mode():
    x = np.array(RNG.standard_normal((4, 3, 2)))
    gamma, beta = np.array(RNG.standard_normal(3)), np.array(RNG.standard_normal(3))
    mean, var = np.array(RNG.standard_normal(3)), np.array(RNG.uniform(0.5, 2, 3))
    bn = nn.BatchNorm()

    def train(x, g, b):
        with autograd.train_mode():  # batch statistics (the running ones are copies)
            return bn.hybrid_forward(F, x, g, b, mean.copy(), var.copy())

    def predict(x, g, b):
        with autograd.predict_mode():  # check_grads records, which would mean training
            return bn.hybrid_forward(F, x, g, b, mean, var)

    check_grads(train, x, gamma, beta)
    check_grads(predict, x, gamma, beta)


def test_batchnormrelu_applies_relu():
    bn = nn.BatchNormReLU()
    bn.initialize()
    x = onp.array([[1.0, -2.0], [3.0, -4.0]], dtype="float32")
    assert_allclose(bn(np.array(x)), onp.maximum(x / onp.sqrt(1 + 1e-5), 0), rtol=1e-6)


def test_batchnorm_cast_keeps_float32_for_float16():
    bn = nn.BatchNorm(in_channels=2)
    bn.initialize()
    bn.cast("float16")
    assert onp.dtype(bn.gamma.dtype) == onp.float32  # MXNet 1.9.1 (mxref)
    bn.cast("float64")
    assert onp.dtype(bn.running_var.dtype) == onp.float64
    assert bn(np.ones((2, 2), dtype="float64")).dtype == onp.float64


# ---- LayerNorm ---------------------------------------------------------------------------------
def test_layernorm_parameters_repr_and_values():
    ln = nn.LayerNorm(prefix="ln_")
    assert _attrs(ln) == [("gamma", (-1,), "write", "ones"), ("beta", (-1,), "write", "zeros")]
    assert repr(ln) == ("LayerNorm(eps=1e-05, axis=-1, center=True, scale=True, "
                        "in_channels=-1)")  # MXNet 1.9.1 (mxref)
    ln.initialize()
    y = ln(np.array([[1.0, 2, 3], [2, 4, 9]]))
    # MXNet 1.9.1 (mxref)
    assert_allclose(y, [[-1.2247356, 0, 1.2247356], [-1.0190487, -0.3396829, 1.3587316]],
                    rtol=1e-5, atol=1e-6)
    assert repr(ln).endswith("in_channels=3)")
    ln0 = nn.LayerNorm()
    ln0.initialize()
    # MXNet 1.9.1 (mxref): a 1-D input is one row
    assert_allclose(ln0(np.array([1.0, 2.0, 4.0])), [-1.0690414, -0.26726028, 1.3363018],
                    rtol=1e-5)
    ln1 = nn.LayerNorm(axis=1)
    ln1.initialize()
    ln1(np.ones((2, 3, 4)))
    assert ln1.gamma.shape == (3,)


def test_layernorm_gradients():
    x = np.array(RNG.standard_normal((2, 3, 4)))
    g, b = np.array(RNG.standard_normal(3)), np.array(RNG.standard_normal(3))
    ln = nn.LayerNorm(axis=1)
    check_grads(lambda x, g, b: ln.hybrid_forward(F, x, g, b), x, g, b)


# ---- InstanceNorm ------------------------------------------------------------------------------
XI = onp.arange(24, dtype="float32").reshape(2, 4, 3) ** 1.5


def _instance_norm(x, g, b, axis=1, eps=1e-5):
    x = onp.swapaxes(x, 1, axis)
    axes = tuple(range(2, x.ndim))
    shape = (1, -1) + (1,) * (x.ndim - 2)
    y = (x - x.mean(axes, keepdims=True)) / onp.sqrt(x.var(axes, keepdims=True) + eps)
    return onp.swapaxes(y * g.reshape(shape) + b.reshape(shape), 1, axis)


def test_instancenorm_parameters_and_repr():
    inn = nn.InstanceNorm(prefix="in_")
    # MXNet 1.9.1 (mxref): gamma takes no gradient unless scale=True
    assert _attrs(inn) == [("gamma", (-1,), "null", "ones"), ("beta", (-1,), "write", "zeros")]
    assert repr(inn) == ("InstanceNorm(eps=1e-05, axis=1, center=True, scale=False, "
                         "in_channels=-1)")
    inn.initialize()
    inn(np.array(XI))
    assert repr(inn).endswith("in_channels=4)")
    inn2 = nn.InstanceNorm(axis=2)
    inn2.initialize()
    assert inn2(np.array(XI)).shape == (2, 4, 3) and inn2.gamma.shape == (3,)


def test_instancenorm_values_match_mxnet_legacy():
    inn = nn.InstanceNorm(scale=True, in_channels=4)
    inn.initialize()
    g4, b4 = onp.array([1.5, -0.5, 2, 3]), onp.array([0.25, 2.0, 1, -1])
    inn.gamma.set_data(np.array(g4, dtype="float32"))
    inn.beta.set_data(np.array(b4, dtype="float32"))
    y = inn(np.array(XI))
    # MXNet 1.9.1 (mxref, legacy mode nd.InstanceNorm)
    assert_allclose(y.asnumpy()[0, :, 0], [-1.3845458, 2.5991344, -1.4197495, -4.6432047],
                    rtol=1e-5)
    assert_allclose(y, _instance_norm(XI, g4, b4), rtol=1e-4, atol=1e-5)
    inn_last = nn.InstanceNorm(axis=-1, in_channels=3)
    inn_last.initialize()
    assert_allclose(inn_last(np.array(XI)), _instance_norm(XI, onp.ones(3), onp.zeros(3), -1),
                    rtol=1e-4, atol=1e-5)


def test_instancenorm_gradients():
    x = np.array(RNG.standard_normal((2, 3, 4)))
    g, b = np.array(RNG.standard_normal(3)), np.array(RNG.standard_normal(3))
    check_grads(lambda x, g, b: nn.InstanceNorm().hybrid_forward(F, x, g, b), x, g, b)
    x4 = np.array(RNG.standard_normal((2, 2, 3, 2)))
    g4, b4 = np.array(RNG.standard_normal(3)), np.array(RNG.standard_normal(3))
    check_grads(lambda x, g, b: nn.InstanceNorm(axis=2).hybrid_forward(F, x, g, b), x4, g4, b4)


# ---- GroupNorm ---------------------------------------------------------------------------------
def test_groupnorm_parameters_and_repr():
    gn = nn.GroupNorm(num_groups=2, prefix="gn_")
    # MXNet 1.9.1 (mxref): one gamma/beta per group, shape known at construction
    assert _attrs(gn) == [("gamma", (2,), "write", "ones"), ("beta", (2,), "write", "zeros")]
    assert repr(nn.GroupNorm()) == "GroupNorm(eps=1e-05, num_groups=1, center=True, scale=True)"
    assert repr(gn) == "GroupNorm(eps=1e-05, num_groups=2, center=True, scale=True)"


def test_groupnorm_values_match_mxnet_legacy():
    gn = nn.GroupNorm(num_groups=2)
    gn.initialize()
    gn.gamma.set_data(np.array([1.5, -0.5]))
    gn.beta.set_data(np.array([0.25, 2.0]))
    y = gn(np.array(XI))
    # MXNet 1.9.1 (mxref, legacy mode nd.GroupNorm)
    assert_allclose(y.asnumpy()[0], [[-1.5466856, -1.1644788, -0.46564138],
                                     [0.43931937, 1.5109692, 2.7265167],
                                     [2.7017715, 2.4452963, 2.1697812],
                                     [1.8764607, 1.5663569, 1.2403332]], rtol=1e-5)
    grouped = XI.reshape(2, 2, 6)
    ref = (grouped - grouped.mean(2, keepdims=True)) / onp.sqrt(grouped.var(2, keepdims=True)
                                                                + 1e-5)
    ref = ref * onp.array([1.5, -0.5])[:, None] + onp.array([0.25, 2.0])[:, None]
    assert_allclose(y, ref.reshape(XI.shape), rtol=1e-4, atol=1e-5)


def test_groupnorm_gradients_and_indivisible_channels():
    gn = nn.GroupNorm(num_groups=2)
    x = np.array(RNG.standard_normal((2, 4, 3)))
    g, b = np.array(RNG.standard_normal(2)), np.array(RNG.standard_normal(2))
    check_grads(lambda x, g, b: gn.hybrid_forward(F, x, g, b), x, g, b)
    with pytest.raises(ValueError, match="GroupNorm"):
        gn.hybrid_forward(F, np.ones((2, 3, 2)), g, b)
