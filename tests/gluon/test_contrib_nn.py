"""gluon.contrib.nn: Concurrent, HybridConcurrent, Identity, SyncBatchNorm."""
from __future__ import annotations

import numpy as onp
import pytest

from mxnp import autograd, gluon
from mxnp import numpy as np
from mxnp.gluon import nn
from mxnp.gluon.contrib import nn as cnn


def test_reprs_are_mxnets():
    # MXNet 1.9.1 (mxref)
    assert repr(cnn.SyncBatchNorm(in_channels=4, num_devices=2, prefix="sbn_")) == (
        "SyncBatchNorm(eps=1e-05, momentum=0.9, fix_gamma=False, use_global_stats=False, "
        "ndev=2, key='sbn_', in_channels=4)")
    for block in (cnn.HybridConcurrent(axis=1), cnn.Concurrent(), cnn.Identity()):
        assert repr(block) == f"{type(block).__name__}(\n\n)"
    assert cnn.SyncBatchNorm()._ndev == 1  # no GPU here: one device


@pytest.mark.parametrize("make, hybridize", [(cnn.Concurrent, False),
                                             (cnn.HybridConcurrent, False),
                                             (cnn.HybridConcurrent, True)])
def test_concurrent_joins_each_childs_output_along_axis(make, hybridize):
    block = make(axis=1)
    block.add(nn.Dense(2, use_bias=False, in_units=4), nn.Dense(3, use_bias=False, in_units=4),
              cnn.Identity())
    block.initialize()
    if hybridize:
        block.hybridize()
    x = np.array(onp.arange(8.0).reshape(2, 4), dtype="float32")
    w = [child.weight.data().asnumpy() for child in list(block._children.values())[:2]]
    want = onp.concatenate([x.asnumpy() @ w[0].T, x.asnumpy() @ w[1].T, x.asnumpy()], axis=1)
    onp.testing.assert_allclose(block(x).asnumpy(), want, rtol=1e-6)


def test_sync_batchnorm_on_one_device_is_batchnorm():
    x = np.array(onp.random.default_rng(0).standard_normal((6, 3, 4)).astype("float32"))
    outs, grads, stats = [], [], []
    for layer in (nn.BatchNorm(in_channels=3), cnn.SyncBatchNorm(in_channels=3, num_devices=1)):
        layer.initialize()
        xi = x.copy()
        xi.attach_grad()
        with autograd.record():
            y = layer(xi)
            (y * y).sum().backward()
        outs.append(y.asnumpy())
        grads.append(xi.grad.asnumpy())
        stats.append(layer.running_mean.data().asnumpy())
    for a, b in (outs, grads, stats):
        onp.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    assert isinstance(cnn.SyncBatchNorm(), gluon.HybridBlock)
