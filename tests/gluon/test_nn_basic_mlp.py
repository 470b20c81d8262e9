"""A 2-layer MLP of gluon.nn layers learns separable data with autograd and hand-written SGD."""
from __future__ import annotations

import numpy as onp

from mxnp import autograd
from mxnp import numpy as np
from mxnp import numpy_extension as npx
from mxnp.gluon import nn


def _blobs(n, rng):
    """Three Gaussian blobs in 4-D, far apart: linearly separable."""
    centres = onp.array([[3, 0, 0, 0], [0, 3, 0, 0], [0, 0, 3, 3]], dtype="float32")
    labels = rng.integers(0, 3, n)
    points = centres[labels] + rng.standard_normal((n, 4)).astype("float32") * 0.6
    return np.array(points), np.array(labels, dtype="int32")


def test_two_layer_mlp_trains_to_high_accuracy():
    rng = onp.random.default_rng(0)
    x, y = _blobs(600, rng)
    net = nn.HybridSequential()
    net.add(nn.Dense(16, activation="relu"), nn.Dropout(0.1), nn.Dense(3))
    net.initialize()
    params = list(net.collect_params().values())

    def full_loss():
        return -npx.pick(npx.log_softmax(net(x)), y).mean().item()

    start_loss = full_loss()
    for epoch in range(30):
        for start in range(0, 600, 50):
            xb, yb = x[start:start + 50], y[start:start + 50]
            with autograd.record():
                loss = -npx.pick(npx.log_softmax(net(xb)), yb).mean()
            loss.backward()
            for p in params:  # plain SGD, outside the tape
                p.data()[:] = p.data() - 0.5 * p.grad()
    accuracy = (net(x).argmax(axis=1) == y.astype("int64")).mean().item()
    assert accuracy > 0.95
    assert full_loss() < 0.1 * start_loss
    assert net[0].weight.shape == (16, 4)
