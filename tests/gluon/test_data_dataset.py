"""gluon.data datasets and samplers, against values recorded from MXNet 1.9.1."""
from __future__ import annotations

from pathlib import Path

import numpy as onp
import pytest

from mxnp import np
from mxnp.gluon import data as gdata

FILES = Path(__file__).resolve().parents[1] / "data" / "mxnet_files"


def _xy():
    return np.arange(10).reshape(5, 2), np.array([0, 1, 0, 1, 1])


def test_array_dataset_keeps_1d_arrays_as_numpy():
    x, y = _xy()
    ds = gdata.ArrayDataset(x, y)
    first = ds[0]
    # MXNet 1.9.1 (mxref): (array([0., 1.]) [mx.np], 0.0 [numpy.float32])
    assert type(first) is tuple and isinstance(first[0], np.ndarray)
    assert type(first[1]) is onp.float32 and first[1] == 0.0
    assert first[0].tolist() == [0.0, 1.0]
    sliced = ds[1:3]
    assert isinstance(sliced[0], np.ndarray) and sliced[0].shape == (2, 2)
    assert type(sliced[1]) is onp.ndarray and sliced[1].dtype == onp.float32
    assert len(ds) == 5 and ds[-1][1] == 1.0


def test_array_dataset_other_inputs_and_single_array():
    ds = gdata.ArrayDataset(onp.arange(6).reshape(3, 2), [1, 2, 3])
    # MXNet 1.9.1 (mxref): ds2[1] -> (array([2, 3]) [numpy int64], 1 [Python int])
    assert type(ds[1][0]) is onp.ndarray and ds[1][0].tolist() == [2, 3]
    assert type(ds[1][1]) is int
    one = gdata.ArrayDataset([7, 8])
    assert one[1] == 8  # one array: the element itself, not a tuple


def test_array_dataset_errors():
    with pytest.raises(AssertionError, match="Needs at least 1 arrays"):
        gdata.ArrayDataset()
    # MXNet 1.9.1 (mxref): its message numbers the second array as array[2]
    with pytest.raises(AssertionError, match=r"array\[0\] has length 2 while array\[2\] has 3"):
        gdata.ArrayDataset([1, 2], [1, 2, 3])


def test_simple_dataset_and_transforms_are_lazy():
    calls = []

    def double(x):
        calls.append(x)
        return x * 2

    lazy = gdata.SimpleDataset([1, 2, 3]).transform(double)
    # MXNet 1.9.1 (mxref): creation calls nothing, two accesses call fn twice
    assert calls == [] and type(lazy).__name__ == "_LazyTransformDataset"
    assert lazy[1] == 4 and lazy[1] == 4 and calls == [2, 2] and len(lazy) == 3
    eager = gdata.SimpleDataset([1, 2, 3]).transform(double, lazy=False)
    assert type(eager) is gdata.SimpleDataset and eager[2] == 6 and calls == [2, 2, 1, 2, 3]


def test_transform_first_and_tuple_transform():
    ds = gdata.ArrayDataset([1, 2], [3, 4])
    assert ds.transform_first(lambda x: x * 10)[1] == (20, 4)
    assert ds.transform(lambda x, y: (x, y, x + y))[1] == (2, 4, 6)
    assert gdata.ArrayDataset([1, 2]).transform_first(lambda x: x * 10)[1] == 20


def test_filter_shard_take_sample():
    ds = gdata.SimpleDataset(list(range(10)))
    odd = ds.filter(lambda x: x % 2)
    assert type(odd).__name__ == "_SampledDataset" and list(odd) == [1, 3, 5, 7, 9]
    # MXNet 1.9.1 (mxref): 10 into 3 shards -> sizes 4, 3, 3
    assert [len(ds.shard(3, i)) for i in range(3)] == [4, 3, 3]
    assert list(ds.shard(3, 1)) == [4, 5, 6] and list(ds.shard(3, 2)) == [7, 8, 9]
    with pytest.raises(AssertionError, match="Shard index of out bound: 3 out of 3"):
        ds.shard(3, 3)
    with pytest.raises(AssertionError, match="Index must be non-negative"):
        ds.shard(3, -1)
    assert list(ds.take(3)) == [0, 1, 2] and len(ds.take(None)) == 10 and len(ds.take(20)) == 10
    assert list(ds.sample(gdata.SequentialSampler(3, 2))) == [2, 3, 4]
    with pytest.raises(TypeError, match="Invalid sampler type"):
        ds.sample([3, 1])


def test_filter_sees_the_whole_sample():
    ds = gdata.ArrayDataset([5, 6, 7], [1, 0, 1])
    sampler = gdata.FilterSampler(lambda s: s[1] == 1, ds)
    assert list(sampler) == [0, 2] and len(sampler) == 2


def test_base_classes_are_abstract():
    for call in (lambda: gdata.Dataset()[0], lambda: len(gdata.Dataset()),
                 lambda: list(gdata.Sampler()), lambda: len(gdata.Sampler())):
        with pytest.raises(NotImplementedError):
            call()


def test_sequential_and_random_samplers():
    assert list(gdata.SequentialSampler(4)) == [0, 1, 2, 3]
    assert list(gdata.SequentialSampler(3, 2)) == [2, 3, 4]
    assert len(gdata.SequentialSampler(3, 2)) == 3
    onp.random.seed(0)
    sampler = gdata.RandomSampler(6)
    # MXNet 1.9.1 (mxref): after numpy.random.seed(0), two passes of RandomSampler(6)
    assert list(sampler) == [5, 2, 1, 3, 0, 4] and list(sampler) == [1, 3, 4, 0, 2, 5]
    assert len(sampler) == 6


@pytest.mark.parametrize("last_batch, epochs, length", [
    ("keep", [[[0, 1], [2, 3], [4]]], 3),
    ("discard", [[[0, 1], [2, 3]]], 2),
    ("rollover", [[[0, 1], [2, 3]], [[4, 0], [1, 2], [3, 4]]], 2),
])
def test_batch_sampler_last_batch(last_batch, epochs, length):
    sampler = gdata.BatchSampler(gdata.SequentialSampler(5), 2, last_batch)
    assert len(sampler) == length
    for expected in epochs:  # MXNet 1.9.1 (mxref), gluon-semantics §10.3
        assert list(sampler) == expected


def test_batch_sampler_invalid_last_batch_fails_when_used():
    sampler = gdata.BatchSampler(gdata.SequentialSampler(5), 2, "foo")
    message = "last_batch must be one of 'keep', 'discard', or 'rollover', but got foo"
    with pytest.raises(ValueError, match=message):
        list(sampler)
    with pytest.raises(ValueError, match=message):
        len(sampler)


def test_record_file_dataset_reads_mxnet_file():
    ds = gdata.RecordFileDataset(str(FILES / "records.rec"))
    assert len(ds) == 6 and ds.idx_file.endswith("records.idx")
    # MXNet 1.9.1 wrote them (tests/data/mxnet_files/make_recordio_fixture.py)
    assert ds[2] == b"" and ds[3] == b"\x0a\x23\xd7\xcexy"
    assert ds[0][24:] == b"first" and ds[-1][24:] == bytes(range(256))
    assert type(ds[0]) is bytes
