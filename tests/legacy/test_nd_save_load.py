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


@pytest.mark.parametrize("name", ["nd_save.nd", "nd_save_legacy.nd"])
def test_load_dict_written_by_mxnet(name):
    got = nd.load(str(DATA / name))
    assert list(got) == list(WANT)
    for key, want in WANT.items():
        _same(got[key], want)


def test_load_list_and_buffer_written_by_mxnet():
    got = nd.load(DATA / "nd_save_list.nd")
    assert isinstance(got, list) and len(got) == 2
    _same(got[0], WANT["weight"])
    _same(got[1], WANT["index"])
    again = nd.load_frombuffer((DATA / "nd_save_list.nd").read_bytes())
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
    for name in ("ours.nd", "np.nd"):
        back = nd.load(str(tmp_path / name))
        for key, want in WANT.items():
            _same(back[key], want)


def test_legacy_save_keeps_the_numpy_shape_magic_for_what_only_it_can_hold(tmp_path):
    # nd.zeros refuses a 0 size outside np_shape (as MXNet); an array of a NumPy one does not
    nd.save(str(tmp_path / "f.nd"), [nd.array([1.0]), nd.array(onp.zeros((0, 2)))])
    raw = (tmp_path / "f.nd").read_bytes()
    assert raw.count(struct.pack("<I", 0xF993FAC9)) == 1
    assert raw.count(struct.pack("<I", 0xF993FACA)) == 1
    back = nd.load(str(tmp_path / "f.nd"))
    assert back[1].shape == (0, 2) and back[0].asnumpy().tolist() == [1.0]


def test_round_trip_single_array_and_list():
    buf = io.BytesIO()
    nd.save(buf, nd.array([1, 2]))
    _same(nd.load_frombuffer(buf.getvalue())[0], onp.array([1, 2], dtype="float32"))
    with pytest.raises((TypeError, ValueError)):
        nd.save(io.BytesIO(), {"a": [1, 2]})
