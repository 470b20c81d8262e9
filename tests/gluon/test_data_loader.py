"""gluon.data.DataLoader in one process: batch types, dtypes, last_batch, shuffle, errors."""
from __future__ import annotations

import numpy as onp
import pytest

import mxnp
from mxnp import np
from mxnp.gluon import data as gdata
from mxnp.gluon.data import DataLoader
from mxnp.gluon.data.dataloader import default_batchify_fn, default_mp_batchify_fn


def _ds():
    return gdata.ArrayDataset(np.arange(10).reshape(5, 2), np.array([0, 1, 0, 1, 1]))


def _describe(batch):
    if isinstance(batch, list):
        return [_describe(x) for x in batch]
    return (type(batch).__name__, str(batch.dtype), batch.shape)


def test_loader_batches_are_lists_of_arrays():
    batches = list(DataLoader(_ds(), batch_size=2))
    assert len(batches) == 3 and type(batches[0]) is list
    # MXNet 1.9.1 (mxref): float32 (2, 2) and float32 (2,) mx.np arrays on cpu(0)
    assert _describe(batches[0]) == [("ndarray", "float32", (2, 2)), ("ndarray", "float32", (2,))]
    assert all(str(b.ctx) == "cpu(0)" for b in batches[0])
    assert batches[2][0].tolist() == [[8.0, 9.0]]
    single = list(DataLoader(gdata.SimpleDataset([np.ones((2, 3), dtype="float16")] * 3), 2))
    assert _describe(single[0]) == ("ndarray", "float16", (2, 2, 3))


def test_default_batchify_keeps_numpy_dtypes():
    samples = [(onp.uint8(1), 2, 3.5, onp.array([1.0, 2.0]), np.array([1, 2], dtype="int32"))] * 3
    batch = next(iter(DataLoader(gdata.SimpleDataset(samples), batch_size=2)))
    # MXNet 1.9.1 (mxref): uint8, Python int -> int64, float -> float64, NumPy float64, int32
    assert _describe(batch) == [("ndarray", "uint8", (2,)), ("ndarray", "int64", (2,)),
                                ("ndarray", "float64", (2,)), ("ndarray", "float64", (2, 2)),
                                ("ndarray", "int32", (2, 2))]
    both = next(iter(DataLoader(gdata.ArrayDataset(onp.arange(6).reshape(3, 2), [1, 2, 3]), 2)))
    assert _describe(both) == [("ndarray", "int64", (2, 2)), ("ndarray", "int64", (2,))]


def test_default_batchify_nesting_and_lists():
    # MXNet 1.9.1 (mxref): tuples are transposed, lists become one array
    nested = default_batchify_fn([((1, 2.0), 3), ((4, 5.0), 6)])
    assert _describe(nested) == [[("ndarray", "int64", (2,)), ("ndarray", "float64", (2,))],
                                 ("ndarray", "int64", (2,))]
    assert nested[0][1].tolist() == [2.0, 5.0]
    lists = default_batchify_fn([[1, 2], [3, 4]])
    assert isinstance(lists, np.ndarray) and lists.tolist() == [[1, 2], [3, 4]]
    assert default_batchify_fn([np.array(1), np.array(2)]).dtype == onp.float32


def test_default_batchify_rejects_strings_and_objects():
    with pytest.raises(TypeError, match="str"):
        default_batchify_fn(["a", "b"])
    with pytest.raises(TypeError, match="object"):
        default_batchify_fn([{"a": 1}])


def test_mp_batchify_puts_arrays_in_shared_memory_context():
    batch = default_mp_batchify_fn([(np.ones(2), 1.5), (np.ones(2), 2.5)])
    # MXNet 1.9.1 (mxref): float32 and float64, both on cpu_shared(0)
    assert [(str(b.dtype), str(b.ctx)) for b in batch] == [("float32", "cpu_shared(0)"),
                                                          ("float64", "cpu_shared(0)")]


def test_pin_memory_and_raw_batchify():
    batch = next(iter(DataLoader(_ds(), batch_size=2, pin_memory=True)))
    assert [str(b.ctx) for b in batch] == ["cpu_pinned(0)", "cpu_pinned(0)"]
    raw = next(iter(DataLoader(_ds(), batch_size=3, batchify_fn=lambda s: s)))
    assert type(raw) is list and len(raw) == 3 and type(raw[0]) is tuple
    assert type(raw[0][1]) is onp.float32


@pytest.mark.parametrize("last_batch, length, epochs", [
    ("keep", 3, [[[0, 1], [0, 1], [1]]]),
    ("discard", 2, [[[0, 1], [0, 1]]]),
    # MXNet 1.9.1 (mxref): the leftover sample opens the next epoch
    ("rollover", 2, [[[0, 1], [0, 1]], [[1, 0], [1, 0], [1, 1]], [[0, 1], [0, 1]]]),
])
def test_loader_last_batch(last_batch, length, epochs):
    loader = DataLoader(_ds(), batch_size=2, last_batch=last_batch)
    assert len(loader) == length
    for expected in epochs:
        assert [b[1].tolist() for b in loader] == expected


def test_loader_invalid_last_batch_fails_on_use():
    loader = DataLoader(_ds(), batch_size=2, last_batch="foo")  # accepted, as in MXNet
    with pytest.raises(ValueError, match="but got foo"):
        list(loader)
    with pytest.raises(ValueError, match="but got foo"):
        len(loader)


def test_shuffle_follows_numpy_global_seed():
    def epoch():
        return [b.tolist() for b in DataLoader(gdata.SimpleDataset(list(range(7))), 3,
                                               shuffle=True)]

    onp.random.seed(3)
    # MXNet 1.9.1 (mxref): numpy.random.seed(3), then two loaders of 7 samples, batch 3
    assert epoch() + epoch() == [[4, 6, 5], [3, 1, 0], [2], [6, 4, 1], [2, 3, 5], [0]]
    onp.random.seed(0)
    labels = [b[1].tolist() for b in DataLoader(
        gdata.ArrayDataset(np.arange(6), np.arange(6)), batch_size=4, shuffle=True)]
    assert labels == [[5.0, 2.0, 1.0, 3.0], [0.0, 4.0]]


def test_shuffle_draws_a_new_order_each_epoch():
    loader = DataLoader(gdata.SimpleDataset(list(range(50))), 50, shuffle=True)
    first, second = (next(iter(loader)).tolist() for _ in range(2))
    assert sorted(first) == list(range(50)) and first != second


def test_loader_argument_errors():
    with pytest.raises(ValueError, match="batch_size must be specified unless batch_sampler"):
        DataLoader(_ds())
    with pytest.raises(ValueError, match="shuffle must not be specified if sampler"):
        DataLoader(_ds(), 2, shuffle=True, sampler=gdata.SequentialSampler(5))
    with pytest.raises(ValueError, match="must not be specified if batch_sampler"):
        DataLoader(_ds(), 2, batch_sampler=gdata.BatchSampler(gdata.SequentialSampler(5), 2))
    with pytest.raises(AssertionError, match="timeout must be positive"):
        DataLoader(_ds(), 2, timeout=0)


def test_batch_sampler_and_sampler_arguments():
    sampler = gdata.BatchSampler(gdata.SequentialSampler(3, 2), 2)
    loader = DataLoader(_ds(), batch_sampler=sampler)
    assert len(loader) == 2 and [b[1].tolist() for b in loader] == [[0.0, 1.0], [1.0]]
    picked = DataLoader(_ds(), batch_size=5, sampler=gdata.FilterSampler(lambda s: s[1] == 1,
                                                                         _ds()))
    assert next(iter(picked))[0][:, 0].tolist() == [2.0, 6.0, 8.0]


def test_transforms_run_at_batch_time():
    ds = _ds().transform_first(lambda x: x * 2)
    batch = next(iter(DataLoader(ds, batch_size=2)))
    assert batch[0].tolist() == [[0.0, 2.0], [4.0, 6.0]]


def test_auto_reload_prefetches_and_refresh_clean():
    calls = []
    ds = gdata.SimpleDataset([1, 2, 3]).transform(lambda x: calls.append(x) or x)
    loader = DataLoader(ds, batch_size=3, auto_reload=True)
    assert [b.tolist() for b in loader] == [[1, 2, 3]]
    loader.clean()
    assert [b.tolist() for b in loader] == [[1, 2, 3]]
    assert len(calls) == 6


def test_gluon_data_is_reachable_from_mxnp():
    assert mxnp.gluon.data.DataLoader is DataLoader
    assert mxnp.gluon.data.dataloader.default_batchify_fn is default_batchify_fn
