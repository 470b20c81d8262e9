"""mx.nd views (reshape and the ``inplace=True`` methods), ``from_numpy``'s shared memory, and
the bytes of ``mx.nd.save``/``__getstate__`` with MXNet 1.9.1's shape-semantics checks. The
expected values and bytes were recorded from MXNet 1.9.1 (mxref)."""
import struct

import numpy as onp
import pytest

import mxnp as mx
from mxnp.base import MXNetError


def test_reshape_and_inplace_methods_are_views():
    t = mx.nd.arange(6).reshape(2, 3)
    r = t.reshape((3, 2))
    e = t.expand_dims(1, inplace=True)
    s = e.squeeze(inplace=True)
    f = t.flatten(inplace=True)
    copy = t.expand_dims(1)
    t[0] = -1
    want = [-1, -1, -1, 3, 4, 5]
    assert (e.shape, s.shape, f.shape, r.shape) == ((2, 1, 3), (2, 3), (2, 3), (3, 2))
    for view in (r, e, s, f):
        assert view.asnumpy().ravel().tolist() == want
    assert copy.asnumpy().ravel().tolist() == [0, 1, 2, 3, 4, 5]
    r[2] = 9  # and back: a write to the view shows in the array
    assert t.asnumpy().ravel().tolist() == [-1, -1, -1, 3, 9, 9]


def test_squeeze_leaves_one_axis():
    assert mx.nd.squeeze(mx.nd.ones((1, 1))).shape == (1,)
    assert mx.nd.ones((1, 1)).squeeze(inplace=True).shape == (1,)
    with mx.np_shape(True):  # the legacy operator keeps it there too
        assert mx.nd.squeeze(mx.nd.ones((1, 1))).shape == (1,)
    assert mx.nd.ones((2, 1, 3)).squeeze(axis=1).shape == (2, 3)


def test_moveaxis_takes_any_sequence():
    assert mx.nd.moveaxis(mx.nd.zeros((1, 2, 3)), range(3), [2, 0, 1]).shape == (2, 3, 1)
    with pytest.raises(ValueError):
        mx.nd.moveaxis(mx.nd.zeros((1, 2, 3)), 3, 0)


def test_basic_indexing_slice_is_contiguous():
    c = mx.nd.NDArray._basic_indexing_slice_is_contiguous
    got = [c((slice(None), slice(1, 3)), (3, 4)), c((slice(1, 2), slice(1, 3)), (3, 4)),
           c((slice(None, None, 2), slice(None)), (3, 4)), c((slice(0, 0), slice(None)), (3, 4))]
    assert got == [False, True, False, True]


def test_from_numpy_shares_memory_and_locks_the_source():
    a = onp.arange(6, dtype="float32").reshape(2, 3)
    m = mx.nd.from_numpy(a)
    assert not a.flags.writeable and m.dtype == onp.float32
    m[0, 0] = 100
    assert a[0, 0] == 100
    m2 = mx.nd.from_numpy(a)  # again, now that the source is read-only
    m2[1, 1] = 7
    assert a[1, 1] == 7 and m[1, 1].asscalar() == 7
    with pytest.raises(ValueError, match="c-contiguous"):
        mx.nd.from_numpy(a.T)
    b = onp.ones(3, dtype="int64")
    assert mx.nd.from_numpy(b, zero_copy=False).dtype == onp.int64 and b.flags.writeable


def test_getstate_bytes_and_setstate_of_a_gpu_array():
    assert bytes(mx.nd.arange(6).__getstate__()["handle"]).hex() == (
        "c9fa93f900000000010000000600000000000000010000000000000000000000"
        "000000000000803f0000004000004040000080400000a040")
    with mx.np_shape(True):
        assert bytes(mx.nd.arange(2).__getstate__()["handle"]).hex() == (
            "cafa93f900000000010000000200000000000000010000000000000000000000"
            "000000000000803f")
    y = mx.nd.zeros((1,))
    gpu = struct.pack("<Iiiqiii2f", 0xF993FAC9, 0, 1, 2, 2, 0, 0, 1.0, 2.0)
    y.__setstate__({"handle": bytearray(gpu)})
    assert y.asnumpy().tolist() == [1.0, 2.0] and y.context == mx.cpu(0)


def test_legacy_save_bytes_and_shape_semantics_checks(tmp_path):
    legacy, numpy_shape = str(tmp_path / "legacy"), str(tmp_path / "np")
    mx.nd.save(legacy, [mx.nd.array(onp.ones((2, 0))), mx.nd.array(onp.array(3.0))])
    assert open(legacy, "rb").read().hex() == (
        "120100000000000000000000000000000200000000000000c9fa93f900000000020000000200000000"
        "0000000000000000000000010000000000000000000000c9fa93f900000000000000000100000000"
        "0000000000000000004040" "0000000000000000")
    with mx.np_shape(True):
        mx.nd.save(numpy_shape, [mx.nd.ones((2, 3))])
        assert [a.shape for a in mx.nd.load(numpy_shape)] == [(2, 3)]
        with pytest.raises(MXNetError, match="not saved in np shape semantics"):
            mx.nd.load(legacy)
    with pytest.raises(MXNetError, match="saved in np shape semantics, must be loaded"):
        mx.nd.load(numpy_shape)
    with pytest.raises(MXNetError, match="must be loaded in the same semantics"):
        mx.nd.load_frombuffer(open(numpy_shape, "rb").read())
    assert mx.nd.load(legacy)[0].shape == (2, 0)
    assert mx.npx.load(numpy_shape)[0].shape == (2, 3)  # npx.load takes both (differences.md)
