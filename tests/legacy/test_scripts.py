"""MXNet 1.x scripts as tutorials wrote them (mx.nd, attach_grad, autograd.record, in-place
parameter updates, the fused sgd update, nd.save/load of parameters) run unchanged and train."""
from __future__ import annotations

import numpy as onp

import mxnp as mx
from mxnp import autograd
from mxnp import ndarray as nd


def test_linear_regression_from_scratch():
    mx.random.seed(1)
    true_w, true_b = nd.array([2, -3.4]), 4.2
    features = nd.random.normal(scale=1, shape=(200, 2))
    labels = nd.dot(features, true_w) + true_b
    labels += nd.random.normal(scale=0.01, shape=labels.shape)
    w = nd.random.normal(scale=0.01, shape=(2, 1))
    b = nd.zeros(shape=(1,))
    for param in (w, b):
        param.attach_grad()
    for _ in range(30):
        for i in range(0, 200, 20):
            x, y = features[i:i + 20], labels[i:i + 20]
            with autograd.record():
                loss = (nd.dot(x, w) + b - y.reshape((-1, 1))) ** 2 / 2
            loss.backward()
            for param in (w, b):
                param[:] = param - 0.03 * param.grad / 20
    onp.testing.assert_allclose(w.asnumpy().ravel(), [2, -3.4], atol=0.02)
    onp.testing.assert_allclose(b.asnumpy(), [4.2], atol=0.02)
    assert type(w.grad) is nd.NDArray


def test_mlp_with_legacy_operators_and_fused_updates(tmp_path):
    mx.random.seed(2)
    x = nd.random.uniform(-1, 1, shape=(64, 4))
    y = (x.sum(axis=1) > 0).astype("float32")
    params = {"w1": nd.random.normal(scale=0.5, shape=(16, 4)), "b1": nd.zeros(16),
              "w2": nd.random.normal(scale=0.5, shape=(2, 16)), "b2": nd.zeros(2)}
    moms = {k: nd.zeros(v.shape) for k, v in params.items()}
    for p in params.values():
        p.attach_grad()

    def forward(data):
        h = nd.Activation(nd.FullyConnected(data, params["w1"], params["b1"], num_hidden=16),
                          act_type="relu")
        return nd.FullyConnected(h, params["w2"], params["b2"], num_hidden=2)

    first = None
    for _ in range(60):
        with autograd.record():
            out = nd.SoftmaxOutput(forward(x), y, normalization="batch")
        out.backward()
        loss = -nd.pick(nd.log(out), y).mean().asscalar()
        first = loss if first is None else first
        for k, p in params.items():
            nd.sgd_mom_update(p, p.grad, moms[k], lr=0.5, momentum=0.9, out=p)
    assert loss < 0.5 * first
    accuracy = (nd.argmax(forward(x), axis=1) == y).mean().asscalar()
    assert accuracy > 0.9
    nd.save(str(tmp_path / "mlp.params"), params)
    loaded = nd.load(str(tmp_path / "mlp.params"))
    assert sorted(loaded) == sorted(params)
    for k, p in params.items():
        onp.testing.assert_array_equal(loaded[k].asnumpy(), p.asnumpy())
