"""mx.nd.save / mx.nd.load: files written by the real MXNet 1.9.1 (tests/data/legacy_nd, see its
README) load as NDArrays with the right values, and our files round-trip."""
from __future__ import annotations

import io
import pathlib
import struct

import numpy as onp
import pytest

from mxnp import ndarray as nd

DATA = pathlib.Path(__file__).resolve().parent.parent / "data" / "legacy_nd"
WANT = {
    "weight": onp.array([[1.5, -2.0, 0.25], [3.0, 4.0, -0.5]], dtype="float32"),
    "index": onp.array([3, 1, 2], dtype="int32"),
    "half": onp.array([0.5, 1.5], dtype="float16"),
    "scalar": onp.array([7.0], dtype="float64"),
}


def _same(got, want):
    assert type(got) is nd.NDArray and got.dtype == want.dtype
    onp.testing.assert_array_equal(got.asnumpy(), want)


def test_load_dict_written_by_mxnet():
    got = nd.load(str(DATA / "nd_save.nd"))
    assert list(got) == list(WANT)
    for name, want in WANT.items():
        _same(got[name], want)


def test_load_list_and_buffer_written_by_mxnet():
    got = nd.load(DATA / "nd_save_list.nd")
    assert isinstance(got, list) and len(got) == 2
    _same(got[0], WANT["weight"])
    _same(got[1], WANT["index"])
    again = nd.load_frombuffer((DATA / "nd_save_list.nd").read_bytes())
    _same(again[1], WANT["index"])
    with pytest.raises(TypeError, match="load_frombuffer"):
        nd.load_frombuffer("not bytes")


def test_save_matches_mxnet_bytes_but_the_array_magic(tmp_path):
    arrays = {k: nd.array(v, dtype=v.dtype) for k, v in WANT.items()}
    nd.save(str(tmp_path / "ours.nd"), arrays)
    ours = (tmp_path / "ours.nd").read_bytes()
    theirs = (DATA / "nd_save.nd").read_bytes()
    legacy, numpy_shape = struct.pack("<I", 0xF993FAC9), struct.pack("<I", 0xF993FACA)
    assert ours == theirs.replace(legacy, numpy_shape)
    back = nd.load(str(tmp_path / "ours.nd"))
    for name, want in WANT.items():
        _same(back[name], want)


def test_round_trip_single_array_and_list():
    buf = io.BytesIO()
    nd.save(buf, nd.array([1, 2]))
    _same(nd.load_frombuffer(buf.getvalue())[0], onp.array([1, 2], dtype="float32"))
    with pytest.raises((TypeError, ValueError)):
        nd.save(io.BytesIO(), {"a": [1, 2]})
