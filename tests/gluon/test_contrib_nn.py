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
    with pytest.warns(UserWarning, match="Caution using SyncBatchNorm"):  # as MXNet
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
    assert isinstance(cnn.SyncBatchNorm(num_devices=1), gluon.HybridBlock)


def _shuffle_reference(x, factors):
    """y[n, c, s1*f1 + i1, ...] = x[n, c*F + flat(i1, ...), s1, ...] for F = prod(factors)."""
    n, cf, *sizes = x.shape
    c = cf // int(onp.prod(factors))
    y = onp.zeros((n, c, *[s * f for s, f in zip(sizes, factors)]), x.dtype)
    for idx in onp.ndindex(*factors):
        flat = onp.ravel_multi_index(idx, factors)
        where = tuple(slice(i, None, f) for i, f in zip(idx, factors))
        y[(slice(None), slice(None), *where)] = x[:, flat::int(onp.prod(factors))][:, :c]
    return y


@pytest.mark.parametrize("make, factors, shape", [
    (lambda: cnn.PixelShuffle1D(3), (3,), (2, 6, 5)),
    (lambda: cnn.PixelShuffle2D((2, 3)), (2, 3), (2, 12, 3, 4)),
    (lambda: cnn.PixelShuffle2D(2), (2, 2), (1, 8, 2, 3)),
    (lambda: cnn.PixelShuffle3D((2, 1, 3)), (2, 1, 3), (1, 12, 2, 3, 2))])
@pytest.mark.parametrize("hybridize", [False, True])
def test_pixel_shuffle_matches_reference(make, factors, shape, hybridize):
    block = make()
    if hybridize:
        block.hybridize()
    x = onp.arange(onp.prod(shape), dtype="float32").reshape(shape)
    onp.testing.assert_array_equal(block(np.array(x)).asnumpy(), _shuffle_reference(x, factors))


def test_pixel_shuffle_reprs_are_mxnets():
    # MXNet 1.9.1 (mxref)
    assert repr(cnn.PixelShuffle1D(2)) == "PixelShuffle1D(2)"
    assert repr(cnn.PixelShuffle2D(2)) == "PixelShuffle2D((2, 2))"
    assert repr(cnn.PixelShuffle3D((1, 2, 2))) == "PixelShuffle3D((1, 2, 2))"
    with pytest.raises(AssertionError, match="wrong length 3"):
        cnn.PixelShuffle2D((1, 2, 3))


def test_sparse_embedding_rows_and_gradient():
    layer = cnn.SparseEmbedding(5, 3, prefix="emb_")
    assert repr(layer) == "SparseEmbedding(5 -> 3, float32)"
    assert list(layer.collect_params()) == ["emb_weight"]
    weight = onp.arange(15.0, dtype="float32").reshape(5, 3)
    layer.initialize()
    layer.weight.set_data(np.array(weight))
    x = np.array([1, 1, 4])
    with autograd.record():
        y = layer(x)
    y.backward()
    onp.testing.assert_array_equal(y.asnumpy(), weight[[1, 1, 4]])
    # each row's gradient counts its lookups (dense here; row_sparse in MXNet)
    onp.testing.assert_array_equal(layer.weight.grad().asnumpy()[:, 0], [0, 2, 0, 0, 1])


def test_pixel_shuffle_on_symbols_is_mxnets_graph():
    from mxnp import npx, sym

    npx.reset_np()  # MXNet 1.9.1 (mxref), 1.x switches: output name, node count, shape
    for block, shape, name, nodes, out in (
            (cnn.PixelShuffle1D(2), (1, 4, 3), "reshape1", 4, (1, 2, 6)),
            (cnn.PixelShuffle2D((2, 3)), (1, 12, 2, 3), "reshape2", 5, (1, 2, 4, 9)),
            (cnn.PixelShuffle3D(2), (1, 16, 2, 3, 4), "reshape5", 10, (1, 2, 4, 6, 8))):
        graph = block(sym.var("data"))
        assert graph.list_outputs() == [f"{block.prefix}{name}_output"]
        assert len(graph.get_internals().list_outputs()) == nodes
        assert graph.infer_shape(data=shape)[1] == [out]
        x = onp.arange(onp.prod(shape), dtype="float32").reshape(shape)
        onp.testing.assert_array_equal(
            graph.eval(data=np.array(x).as_nd_ndarray())[0].asnumpy(),
            _shuffle_reference(x, block._factors if hasattr(block, "_factors") else (2,)))
