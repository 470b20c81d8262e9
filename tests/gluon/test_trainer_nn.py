"""gluon.Trainer driving gluon.nn networks the way d2l's training loops do."""
from __future__ import annotations

import numpy as onp
import pytest

from mxnp import autograd, gluon, init, np

nn = gluon.nn


def synthetic(n=256, seed=0):
    rng = onp.random.RandomState(seed)
    x = rng.normal(size=(n, 2)).astype("float32")
    y = x @ onp.array([2.0, -3.4], dtype="float32") + 4.2
    return np.array(x), np.array(y.reshape(-1, 1))


def test_linear_regression_with_deferred_init_as_in_d2l():
    x, y = synthetic()
    net = nn.Sequential()
    net.add(nn.Dense(1))
    net.initialize(init.Normal(sigma=0.01))
    # created while the Dense weight is still deferred (shape (1, -1))
    tr = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.03})
    loss = gluon.loss.L2Loss()
    for _ in range(3):
        for i in range(0, 256, 4):
            with autograd.record():
                l_batch = loss(net(x[i:i + 4]), y[i:i + 4])
            l_batch.backward()
            tr.step(4)
    onp.testing.assert_allclose(net[0].weight.data().asnumpy(), [[2.0, -3.4]], atol=0.05)
    onp.testing.assert_allclose(net[0].bias.data().asnumpy(), [4.2], atol=0.05)


@pytest.mark.parametrize("name, params", [("sgd", {"learning_rate": 0.1, "momentum": 0.9}),
                                          ("adam", {"learning_rate": 0.01}),
                                          ("rmsprop", {"learning_rate": 0.01}),
                                          ("adagrad", {"learning_rate": 0.5}),
                                          ("nag", {"learning_rate": 0.1, "momentum": 0.9}),
                                          ("adamw", {"learning_rate": 0.01, "wd": 1e-4})])
def test_mlp_loss_goes_down(name, params):
    x, y = synthetic(seed=1)
    net = nn.Sequential()
    net.add(nn.Dense(16, activation="relu"), nn.Dense(1))
    net.initialize(init.Xavier())
    tr = gluon.Trainer(net.collect_params(), name, params)
    loss = gluon.loss.L2Loss()
    first = last = None
    for _ in range(60):
        with autograd.record():
            value = loss(net(x), y)
        value.backward()
        tr.step(x.shape[0])
        last = value.mean().item()
        first = last if first is None else first
    assert last < first / 10
