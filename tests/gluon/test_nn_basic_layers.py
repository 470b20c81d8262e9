"""gluon.nn containers, Dense, Dropout, Embedding, Flatten, Lambda and HybridLambda.

Names, shapes, reprs and error texts were recorded from MXNet 1.9.1 (mxref); values are checked
against NumPy references written here; gradients with mxnp.testing.check_grads.
"""
from __future__ import annotations

import functools
import types
import warnings

import numpy as onp
import pytest

from mxnp import autograd
from mxnp import initializer as init
from mxnp import numpy as np
from mxnp import numpy_extension as npx
from mxnp.base import MXNetError
from mxnp.gluon import nn
from mxnp.testing import assert_allclose, check_grads

F = types.SimpleNamespace(np=np, npx=npx)  # what a HybridBlock hands hybrid_forward


def _keys(block):
    return [(k, p.shape) for k, p in block.collect_params().items()]


# ---- Sequential / HybridSequential ------------------------------------------------------------
def test_sequential_names_repr_before_and_after_forward():
    net = nn.Sequential(prefix="s_")
    with net.name_scope():
        net.add(nn.Dense(8, activation="relu"), nn.Dense(1))
    # MXNet 1.9.1 (mxref)
    assert repr(net) == ("Sequential(\n  (0): Dense(-1 -> 8, Activation(relu))\n"
                         "  (1): Dense(-1 -> 1, linear)\n)")
    assert _keys(net) == [("s_dense0_weight", (8, -1)), ("s_dense0_bias", (8,)),
                          ("s_dense1_weight", (1, -1)), ("s_dense1_bias", (1,))]
    net.initialize()
    assert net(np.ones((2, 4))).shape == (2, 1)
    assert repr(net) == ("Sequential(\n  (0): Dense(4 -> 8, Activation(relu))\n"
                         "  (1): Dense(8 -> 1, linear)\n)")


def test_hybridsequential_repr_nested_and_empty():
    class M(nn.HybridBlock):
        def __init__(self, **kw):
            super().__init__(**kw)
            with self.name_scope():
                self.body = nn.HybridSequential()
                self.body.add(nn.Dense(2), nn.HybridSequential())

    # MXNet 1.9.1 (mxref)
    assert repr(M()) == ("M(\n  (body): HybridSequential(\n    (0): Dense(-1 -> 2, linear)\n"
                         "    (1): HybridSequential(\n    \n    )\n  )\n)")
    assert repr(nn.Sequential()) == "Sequential(\n\n)"
    assert repr(nn.HybridSequential()) == "HybridSequential(\n\n)"


def test_hybridsequential_repr_after_forward():
    s = nn.HybridSequential()
    s.add(nn.Dense(4, activation="relu"), nn.BatchNorm(), nn.Dropout(0.5))
    s.initialize()
    s(np.ones((2, 3)))
    # MXNet 1.9.1 (mxref)
    assert repr(s) == (
        "HybridSequential(\n  (0): Dense(3 -> 4, Activation(relu))\n"
        "  (1): BatchNorm(axis=1, eps=1e-05, momentum=0.9, fix_gamma=False, "
        "use_global_stats=False, in_channels=4)\n  (2): Dropout(p = 0.5, axes=())\n)")


def test_sequential_len_iter_index_and_slices():
    a, b, c = nn.Dense(2), nn.Dense(3), nn.Dense(4)
    for cls in (nn.Sequential, nn.HybridSequential):
        net = cls(prefix="foo_")
        net.add(a, b)
        net.add(c)
        assert len(net) == 3 and list(net) == [a, b, c]
        assert net[0] is a and net[-1] is c
        tail = net[1:]
        assert type(tail) is cls and tail is not net
        assert list(tail) == [b, c] and tail.prefix == "foo_"  # MXNet reuses the prefix
        assert type(net[:1]) is cls and len(net[:1]) == 1
        with pytest.raises(IndexError):
            net[5]
        with pytest.raises(TypeError):
            net["a"]


def test_sequential_forward_chains_children_and_accepts_plain_callables():
    dense = nn.Dense(3, in_units=2)
    dense.initialize(init.One())
    net = nn.Sequential()
    net.add(dense, lambda x: x * 2)  # MXNet accepts a bare function here ...
    with pytest.raises(AttributeError, match="collect_params"):
        net.initialize()  # ... and then fails to collect its parameters (MXNet 1.9.1, mxref)
    out = net(np.array([[1.0, 2.0]]))
    assert_allclose(out, onp.full((1, 3), 6.0))
    assert repr(net).startswith("Sequential(\n  (0): Dense(2 -> 3, linear)\n  (1): <function")


def test_hybridsequential_rejects_non_hybrid_children():
    net = nn.HybridSequential()
    with pytest.raises(ValueError, match="Children of HybridBlock must also be HybridBlock, but "
                                         r"Lambda\(<lambda>\) has type"):
        net.add(nn.Lambda(lambda x: x))


def test_sequential_hybridize_warns_when_all_children_are_hybrid():
    net = nn.Sequential(prefix="seqw_")
    net.add(nn.Dense(2))
    with pytest.warns(UserWarning, match="All children of this Sequential layer 'seqw_' are "
                                         "HybridBlocks. Consider using HybridSequential"):
        net.hybridize()
    mixed = nn.Sequential()
    mixed.add(nn.Dense(2), nn.Lambda(lambda x: x))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mixed.hybridize()


def test_hybridsequential_hybridized_gives_the_same_values():
    net = nn.HybridSequential()
    net.add(nn.Dense(3, activation="tanh"), nn.Dense(2))
    net.initialize()
    x = np.array(onp.random.default_rng(0).standard_normal((4, 5)).astype("float32"))
    before = net(x)
    net.hybridize()
    assert_allclose(net(x), before, rtol=1e-6)


# ---- Dense -------------------------------------------------------------------------------------
def test_dense_parameters_names_shapes_init():
    d = nn.Dense(3, prefix="d_")
    assert _keys(d) == [("d_weight", (3, -1)), ("d_bias", (3,))]
    assert d.weight.init is None and d.bias.init == "zeros"
    assert onp.dtype(d.weight.dtype) == onp.float32
    nb = nn.Dense(3, use_bias=False, dtype="float64", prefix="nb_")
    assert nb.bias is None and _keys(nb) == [("nb_weight", (3, -1))]
    assert onp.dtype(nb.weight.dtype) == onp.float64
    assert repr(nn.Dense(3, in_units=2)) == "Dense(2 -> 3, linear)"  # MXNet 1.9.1 (mxref)
    assert repr(nn.Dense(3, activation="tanh", in_units=2)) == "Dense(2 -> 3, Activation(tanh))"


def test_dense_activation_child_is_named_after_its_parent():
    d = nn.Dense(3, activation="relu", prefix="dd_")
    # MXNet 1.9.1 (mxref): Dense 'dense2' owns act 'dense2_relu' with prefix 'dense2_relu_'
    assert d.act.name == "dd_relu" and d.act.prefix == "dd_relu_"


def test_dense_flatten_and_not_flatten_shapes_and_values():
    x = onp.random.default_rng(1).standard_normal((2, 3, 4)).astype("float32")
    d = nn.Dense(5)
    d.initialize()
    y = d(np.array(x))
    assert y.shape == (2, 5) and d.weight.shape == (5, 12)
    w, b = d.weight.data().asnumpy(), d.bias.data().asnumpy()
    assert_allclose(y, x.reshape(2, 12) @ w.T + b, rtol=1e-5, atol=1e-6)
    d2 = nn.Dense(5, flatten=False, activation="relu", bias_initializer=init.Constant(0.5))
    d2.initialize()
    y2 = d2(np.array(x))
    assert y2.shape == (2, 3, 5) and d2.weight.shape == (5, 4)
    w2 = d2.weight.data().asnumpy()
    assert_allclose(y2, onp.maximum(x @ w2.T + 0.5, 0), rtol=1e-5, atol=1e-6)


def test_dense_one_d_input_is_a_batch_of_single_features():
    d = nn.Dense(2)
    d.initialize()
    assert d(np.ones((3,))).shape == (3, 2) and d.weight.shape == (2, 1)
    last = nn.Dense(2, flatten=False)
    last.initialize()
    # MXNet 1.9.1 (mxref): without flatten a 1-D input is one sample of 3 features
    assert last(np.ones((3,))).shape == (2,) and repr(last) == "Dense(3 -> 2, linear)"


def test_dense_rejects_inputs_that_do_not_fit_in_units():
    d = nn.Dense(2, in_units=3)
    d.initialize()
    with pytest.raises(MXNetError, match=r"fully_connected: weight of shape \(2, 3\) does not "
                                         r"fit data of shape \(4, 5\)"):
        d(np.ones((4, 5)))  # MXNet 1.9.1: MXNetError "Shape inconsistent ..."


def test_dense_gradients_float64():
    rng = onp.random.default_rng(2)
    x, w, b = (np.array(rng.standard_normal(s)) for s in ((3, 2, 2), (4, 4), (4,)))
    d = nn.Dense(4, activation="tanh", dtype="float64")
    check_grads(lambda x, w, b: d.hybrid_forward(F, x, w, b), x, w, b)
    nb = nn.Dense(4, flatten=False, use_bias=False, dtype="float64")
    check_grads(lambda x, w: nb.hybrid_forward(F, x, w), x, np.array(rng.standard_normal((4, 2))))


def test_dense_backward_fills_parameter_gradients():
    d = nn.Dense(2, in_units=3)
    d.initialize(init.One())
    x = onp.arange(6, dtype="float32").reshape(2, 3)
    with autograd.record():
        y = d(np.array(x))
    y.backward()
    assert_allclose(d.weight.grad(), onp.tile(x.sum(0), (2, 1)))
    assert_allclose(d.bias.grad(), [2.0, 2.0])


# ---- Dropout -----------------------------------------------------------------------------------
def test_dropout_repr():
    # MXNet 1.9.1 (mxref)
    assert repr(nn.Dropout(0.5)) == "Dropout(p = 0.5, axes=())"
    assert repr(nn.Dropout(0.2, axes=(1,))) == "Dropout(p = 0.2, axes=(1,))"
    assert repr(nn.Dropout(1)) == "Dropout(p = 1, axes=())"


def test_dropout_is_the_identity_outside_training():
    x = np.ones((2, 8))
    d = nn.Dropout(0.5)
    y = d(x)
    assert_allclose(y, x.asnumpy()) and y is not x
    with autograd.record(train_mode=False):
        assert_allclose(d(x), x.asnumpy())
    with autograd.record():
        assert_allclose(nn.Dropout(0.0)(x), x.asnumpy())


def test_dropout_drops_and_rescales_in_training():
    x = np.ones((100, 100))
    d = nn.Dropout(0.3)
    with autograd.record():
        y = d(x).asnumpy()
    assert_allclose(onp.unique(y), [0.0, 1 / 0.7], rtol=1e-6)
    assert 0.25 < (y == 0).mean() < 0.35
    with autograd.train_mode():
        assert (d(x).asnumpy() == 0).any()


def test_dropout_gradient_is_the_mask():
    x = np.ones((4, 6))
    x.attach_grad()
    with autograd.record():
        y = nn.Dropout(0.5)(x)
    y.backward()
    assert_allclose(x.grad, y.asnumpy())


def test_dropout_axes_share_the_mask():
    with autograd.record():
        y = nn.Dropout(0.5, axes=(1,))(np.ones((50, 3))).asnumpy()
    assert (y == y[:, :1]).all() and set(onp.unique(y)) <= {0.0, 2.0}


def test_dropout_rate_one_gives_nan_in_training_as_mxnet():
    x = np.ones((2, 3))
    x.attach_grad()
    with autograd.record():
        y = nn.Dropout(1.0)(x)
    y.backward()
    # MXNet 1.9.1 (mxref): output and gradient all NaN (0/0 scaling)
    assert onp.isnan(y.asnumpy()).all() and onp.isnan(x.grad.asnumpy()).all()
    assert_allclose(nn.Dropout(1.0)(x), onp.ones((2, 3)))


# ---- Embedding ---------------------------------------------------------------------------------
def test_embedding_parameters_and_repr():
    e = nn.Embedding(10, 4, prefix="e_")
    assert _keys(e) == [("e_weight", (10, 4))] and e.weight.init is None
    assert repr(e) == "Embedding(10 -> 4, float32)"  # MXNet 1.9.1 (mxref)
    assert repr(nn.Embedding(5, 3, dtype="float64")) == "Embedding(5 -> 3, float64)"


def test_embedding_lookup_clips_and_truncates_indices():
    e = nn.Embedding(5, 3)
    e.initialize()
    w = e.weight.data().asnumpy()
    # MXNet 1.9.1 (mxref): 7 -> row 4, -1 -> row 0, 1.7 -> row 1
    assert_allclose(e(np.array([7, -1, 1.7])), w[[4, 0, 1]])
    assert e(np.array([[1, 2], [3, 4]], dtype="int32")).shape == (2, 2, 3)


def test_embedding_gradient_accumulates_repeated_indices():
    e = nn.Embedding(4, 3)
    e.initialize()
    with autograd.record():
        y = e(np.array([0, 0, 1])).sum()
    y.backward()
    assert_allclose(e.weight.grad(), [[2, 2, 2], [1, 1, 1], [0, 0, 0], [0, 0, 0]])
    e64 = nn.Embedding(4, 3, dtype="float64")
    idx = np.array([3, 1, 1])
    w = np.array(onp.random.default_rng(3).standard_normal((4, 3)))
    check_grads(lambda w: e64.hybrid_forward(F, idx, w), w)


# ---- Flatten -----------------------------------------------------------------------------------
def test_flatten_shapes_repr_and_gradient():
    f = nn.Flatten()
    assert repr(f) == "Flatten"  # MXNet 1.9.1 (mxref)
    assert f(np.ones((2, 3, 4))).shape == (2, 12) and f(np.ones((2,))).shape == (2, 1)
    x = onp.arange(24.0).reshape(2, 3, 4)
    assert_allclose(f(np.array(x)), x.reshape(2, 12))
    check_grads(lambda x: f.hybrid_forward(F, x), np.array(x))


# ---- Lambda / HybridLambda ---------------------------------------------------------------------
def test_lambda_with_callable_and_with_a_function_name():
    x = np.array([-1.0, 0.5, 2.0])
    lam = nn.Lambda(lambda x: x * 2)
    assert repr(lam) == "Lambda(<lambda>)"  # MXNet 1.9.1 (mxref)
    assert_allclose(lam(x), [-2.0, 1.0, 4.0])
    assert repr(nn.Lambda("tanh")) == "Lambda(tanh)"
    assert_allclose(nn.Lambda("tanh")(x), onp.tanh([-1.0, 0.5, 2.0]), rtol=1e-6)
    assert_allclose(nn.Lambda("relu")(x), [0.0, 0.5, 2.0])  # an npx name
    doubled = nn.Lambda(functools.partial(np.multiply, 2.0))
    assert repr(doubled) == "Lambda(partial)"  # MXNet's repr raises here (no __name__)
    assert_allclose(doubled(x), [-2.0, 1.0, 4.0])


def test_lambda_errors():
    # MXNet 1.9.1 (mxref)
    with pytest.raises(AssertionError, match="Function name foo is not found in ndarray."):
        nn.Lambda("foo")
    with pytest.raises(ValueError, match="Unrecognized function in lambda: 5 of type "
                                         "<class 'int'>"):
        nn.Lambda(5)
    with pytest.raises(AssertionError, match="Function name foo is not found in "
                                             "symbol/ndarray."):
        nn.HybridLambda("foo")


def test_hybridlambda_callable_string_and_hybridized():
    x = np.array([1.0])
    hl = nn.HybridLambda(lambda F, x: F.np.tanh(x))
    assert repr(hl) == "HybridLambda(<lambda>)"
    assert_allclose(hl(x), [0.7615942], rtol=1e-6)  # MXNet 1.9.1 (mxref)
    hl.hybridize()
    assert_allclose(hl(x), [0.7615942], rtol=1e-6)
    named = nn.HybridLambda("tanh")
    assert repr(named) == "HybridLambda(tanh)"  # MXNet 1.9.1 (mxref)
    assert_allclose(named(x), [0.7615942], rtol=1e-6)
    two = nn.HybridLambda(lambda F, x, y: x * y)
    assert_allclose(two(np.array([2.0]), np.array([3.0])), [6.0])


def test_lambda_layers_pass_gradients():
    x = np.array([0.5, -1.0])
    x.attach_grad()
    with autograd.record():
        y = nn.HybridLambda("tanh")(x) + nn.Lambda(lambda v: v * v)(x)
    y.backward()
    assert_allclose(x.grad, 1 - onp.tanh([0.5, -1.0]) ** 2 + 2 * onp.array([0.5, -1.0]),
                    rtol=1e-6)
