"""mx.nd.save / mx.nd.load: files written by the real MXNet 1.9.1 (tests/data/legacy_nd, see its
README) load as NDArrays with the right values, and our files round-trip."""
from __future__ import annotations

import io
import pathlib
import struct

import numpy as onp
import pytest

from mxnp import ndarray as nd
from mxnp import np_shape as mx_np_shape
from mxnp.base import MXNetError

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


@pytest.mark.parametrize("name,np_shape", [("nd_save.nd", True), ("nd_save_legacy.nd", False)])
def test_load_dict_written_by_mxnet(name, np_shape):
    # as MXNet, a file loads only under the shape semantics it was saved with
    with mx_np_shape(np_shape):
        got = nd.load(str(DATA / name))
    assert list(got) == list(WANT)
    for key, want in WANT.items():
        _same(got[key], want)
    with mx_np_shape(not np_shape), pytest.raises(MXNetError, match="np shape semantics"):
        nd.load(str(DATA / name))


def test_load_list_and_buffer_written_by_mxnet():
    with mx_np_shape(True):  # written in numpy mode
        got = nd.load(DATA / "nd_save_list.nd")
        again = nd.load_frombuffer((DATA / "nd_save_list.nd").read_bytes())
    assert isinstance(got, list) and len(got) == 2
    _same(got[0], WANT["weight"])
    _same(got[1], WANT["index"])
    _same(again[1], WANT["index"])
    with pytest.raises(TypeError, match="load_frombuffer"):
        nd.load_frombuffer("not bytes")


def test_save_matches_mxnet_bytes_in_both_modes(tmp_path):
    # outside numpy-shape mode MXNet writes (and its legacy mode only loads) the legacy array
    # magic: the file is byte for byte the one MXNet wrote; under set_np it writes the
    # numpy-shape magic, as MXNet in numpy mode does
    from mxnp import npx

    arrays = {k: nd.array(v, dtype=v.dtype) for k, v in WANT.items()}
    nd.save(str(tmp_path / "ours.nd"), arrays)
    assert (tmp_path / "ours.nd").read_bytes() == (DATA / "nd_save_legacy.nd").read_bytes()
    npx.set_np()
    try:
        nd.save(str(tmp_path / "np.nd"), arrays)
    finally:
        npx.reset_np()
    assert (tmp_path / "np.nd").read_bytes() == (DATA / "nd_save.nd").read_bytes()
    for name, np_shape in (("ours.nd", False), ("np.nd", True)):
        with mx_np_shape(np_shape):
            back = nd.load(str(tmp_path / name))
        for key, want in WANT.items():
            _same(back[key], want)


def test_legacy_save_writes_the_legacy_magic_for_zero_size_arrays_too(tmp_path):
    # as MXNet 1.9.1 (checked): its legacy mode loads the (0, 2) array back
    # nd.zeros refuses a 0 size outside np_shape (as MXNet); an array of a NumPy one does not
    nd.save(str(tmp_path / "f.nd"), [nd.array([1.0]), nd.array(onp.zeros((0, 2)))])
    raw = (tmp_path / "f.nd").read_bytes()
    assert raw.count(struct.pack("<I", 0xF993FAC9)) == 2
    assert raw.count(struct.pack("<I", 0xF993FACA)) == 0
    back = nd.load(str(tmp_path / "f.nd"))
    assert back[1].shape == (0, 2) and back[0].asnumpy().tolist() == [1.0]


def test_round_trip_single_array_and_list():
    buf = io.BytesIO()
    nd.save(buf, nd.array([1, 2]))
    _same(nd.load_frombuffer(buf.getvalue())[0], onp.array([1, 2], dtype="float32"))
    with pytest.raises((TypeError, ValueError)):
        nd.save(io.BytesIO(), {"a": [1, 2]})
