"""gluon.Trainer with a parameter copy on two contexts (cpu(0), cpu(1)), against MXNet 1.9.1
(gluon-semantics §6.3 and mxref), and on a network built from gluon.nn when it is there."""
from __future__ import annotations

import numpy as onp
import pytest

import mxnp as mx
from mxnp import autograd, gluon, init, np

from .test_trainer import Affine

CTXS = [mx.cpu(0), mx.cpu(1)]
X = np.array([[1.0, 2.0], [3.0, 4.0]])


def make_net():
    net = Affine()
    net.initialize(ctx=CTXS)
    return net


def backward_per_context(net, scale=True):
    """Row i of X on context i; with ``scale`` row i's loss is multiplied by i + 1."""
    with autograd.record():
        losses = [net(X[i:i + 1].as_in_ctx(c)).sum() * ((i + 1) if scale else 1)
                  for i, c in enumerate(CTXS)]
    for loss in losses:
        loss.backward()


def weights(net):
    return [d.asnumpy() for d in net.weight.list_data()]


def test_device_kvstore_sums_gradients_over_contexts():
    net = make_net()
    tr = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
    backward_per_context(net, scale=False)           # per-context grads [1, 2] and [3, 4]
    tr.step(2)
    # MXNet 1.9.1 (gluon-semantics §6.3): both copies see the summed gradient
    for w in weights(net):
        onp.testing.assert_allclose(w, [[0.8, 0.7]], rtol=1e-6)
    assert tr._update_on_kvstore is True


def test_kvstore_none_updates_each_copy_with_its_own_gradient():
    net = make_net()
    tr = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1}, kvstore=None)
    backward_per_context(net, scale=False)
    tr.step(2)
    # MXNet 1.9.1 (gluon-semantics §6.3)
    onp.testing.assert_allclose(weights(net)[0], [[0.95, 0.9]], rtol=1e-6)
    onp.testing.assert_allclose(weights(net)[1], [[0.85, 0.8]], rtol=1e-6)


@pytest.mark.parametrize("kwargs, grads_after, update_on_kvstore", [
    ({}, [[[1.0, 2.0]], [[6.0, 8.0]]], True),
    ({"update_on_kvstore": False}, [[[7.0, 10.0]], [[7.0, 10.0]]], False),
    ({"kvstore": "local"}, [[[1.0, 2.0]], [[6.0, 8.0]]], True),
])
def test_adam_on_two_contexts_matches_mxnet(kwargs, grads_after, update_on_kvstore):
    net = make_net()
    net.weight.set_data(np.ones((1, 2)))
    tr = gluon.Trainer(net.collect_params(), "adam", {"learning_rate": 0.1}, **kwargs)
    for _ in range(2):
        backward_per_context(net)
        tr.step(2)
    # MXNet 1.9.1 (mxref): the gradients stay per context when the kvstore updates
    for w in weights(net):
        onp.testing.assert_allclose(w, [[0.7999987602233887, 0.7999987602233887]], rtol=1e-6)
    assert [g.tolist() for g in net.weight.list_grad()] == grads_after
    assert tr._update_on_kvstore is update_on_kvstore and tr.optimizer.num_update == 2


def test_update_counts_are_kept_per_device_without_a_shared_update():
    net = make_net()
    tr = gluon.Trainer(net.collect_params(), "adam", {"learning_rate": 0.1}, kvstore=None)
    for _ in range(2):
        backward_per_context(net)
        tr.step(2)
    # MXNet 1.9.1 (mxref)
    assert tr.optimizer._all_index_update_counts == {0: {0: 2, 1: 2}, 1: {0: 2, 1: 2}}


def test_allreduce_grads_with_a_shared_update_is_an_assertion_error():
    net = make_net()
    tr = gluon.Trainer(net.collect_params(), "sgd")
    backward_per_context(net)
    with pytest.raises(AssertionError, match=r"allreduce_grads\(\) when parameters are "
                                             "updated on kvstore is not supported"):
        tr.allreduce_grads()
    with pytest.raises(AssertionError, match=r"update\(\) when parameters"):
        tr.update(2)


def test_allreduce_grads_then_update_without_a_shared_update():
    net = make_net()
    tr = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1},
                       update_on_kvstore=False)
    backward_per_context(net, scale=False)
    tr.allreduce_grads()
    assert [g.tolist() for g in net.weight.list_grad()] == [[[4.0, 6.0]], [[4.0, 6.0]]]
    tr.update(2)
    for w in weights(net):
        onp.testing.assert_allclose(w, [[0.8, 0.7]], rtol=1e-6)


def test_stale_gradient_on_two_contexts_names_the_context():
    net = make_net()
    tr = gluon.Trainer(net.collect_params(), "sgd")
    backward_per_context(net)
    tr.step(2)
    with pytest.raises(UserWarning, match="on context cpu"):
        tr.step(2)


def test_parameters_on_different_contexts_are_rejected():
    net = Affine()
    net.weight.initialize(ctx=CTXS)
    net.bias.initialize(ctx=mx.cpu(0))
    with pytest.raises(AssertionError, match="All Parameters must be initialized on the same "
                                             "set of contexts"):
        gluon.Trainer(net.collect_params(), "sgd")


def test_trainer_trains_a_dense_network():
    nn = gluon.nn
    if not hasattr(nn, "Dense"):
        pytest.skip("gluon.nn.Dense is not wired yet")
    net = nn.Dense(1, in_units=2)
    net.initialize(init.One())
    tr = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
    with autograd.record():
        loss = net(X).sum()
    loss.backward()
    tr.step(2)
    # MXNet 1.9.1 (gluon-semantics §6.2)
    onp.testing.assert_allclose(net.weight.data().asnumpy(), [[0.8, 0.7]], rtol=1e-6)
    assert [p.name for p in tr._params] == sorted(net.collect_params().keys())


def test_trainer_fits_a_line():
    net = Affine()
    net.initialize(init.Zero())
    tr = gluon.Trainer(net.collect_params(), "adam", {"learning_rate": 0.1})
    x = np.array(onp.random.RandomState(0).uniform(-1, 1, (64, 2)).astype("float32"))
    y = np.dot(x, np.array([[2.0], [-3.0]])) + 0.5
    for _ in range(300):
        with autograd.record():
            loss = ((net(x) - y) ** 2).mean()
        loss.backward()
        tr.step(1)
    onp.testing.assert_allclose(net.weight.data().asnumpy(), [[2.0, -3.0]], atol=1e-2)
    onp.testing.assert_allclose(net.bias.data().asnumpy(), [0.5], atol=1e-2)
