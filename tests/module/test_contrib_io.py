"""mx.contrib.io.DataLoaderIter: a gluon DataLoader as a 1.x DataIter (MXNet 1.9.1's rules)."""
from __future__ import annotations

import numpy as onp

import mxnp as mx
from mxnp import gluon, np
from mxnp import ndarray as nd
from mxnp.contrib.io import DataLoaderIter


def test_batches_descriptions_and_the_padded_last_batch():
    ds = gluon.data.ArrayDataset(nd.arange(10).reshape((5, 2)), nd.arange(5))
    it = DataLoaderIter(gluon.data.DataLoader(ds, batch_size=2))
    assert it.batch_size == 2
    assert repr(it.provide_data) == "[DataDesc[data,(2, 2),float32,NCHW]]"
    assert repr(it.provide_label) == "[DataDesc[softmax_label,(2,),float32,NCHW]]"
    batches = list(it)
    assert [b.pad for b in batches] == [0, 0, 1] and all(b.index is None for b in batches)
    last = batches[-1]
    assert type(last.data[0]) is nd.NDArray and last.data[0].dtype is onp.float32
    assert last.data[0].asnumpy().tolist() == [[8, 9], [0, 0]]
    assert last.label[0].asnumpy().tolist() == [4, 0]
    assert list(it) == []  # exhausted until reset
    it.reset()
    assert next(it).data[0].asnumpy().tolist() == [[0, 1], [2, 3]]


def test_numpy_batches_cast_and_pad_and_feed_a_module():
    mx.npx.set_np()  # tests/conftest.py puts the switches back afterwards
    ds = gluon.data.ArrayDataset(np.arange(10).reshape(5, 2), np.arange(5))
    it = DataLoaderIter(gluon.data.DataLoader(ds, batch_size=2), dtype="float64")
    last = list(it)[-1]
    assert type(last.data[0]) is np.ndarray and last.data[0].dtype == onp.float64
    assert last.data[0].asnumpy().tolist() == [[8, 9], [0, 0]] and last.pad == 1
    mx.npx.reset_np()
    data = mx.sym.Variable("data")
    out = mx.sym.LinearRegressionOutput(mx.sym.FullyConnected(data, num_hidden=1), name="lro")
    ds = gluon.data.ArrayDataset(nd.ones((8, 3)), nd.ones((8, 1)))
    it = DataLoaderIter(gluon.data.DataLoader(ds, batch_size=4), label_name="lro_label")
    mod = mx.mod.Module(out, label_names=["lro_label"])
    mod.fit(it, num_epoch=2, optimizer_params={"learning_rate": 0.1})
    assert mod.get_outputs()[0].shape == (4, 1)
