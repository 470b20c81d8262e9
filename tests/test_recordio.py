"""mx.recordio: MXNet's RecordIO files, byte for byte, and the files the real MXNet wrote."""
from __future__ import annotations

import builtins
import pickle
import struct
from pathlib import Path

import numpy as onp
import pytest

from mxnp import recordio
from mxnp.base import MXNetError

FILES = Path(__file__).resolve().parent / "data" / "mxnet_files"
MAGIC = b"\x0a\x23\xd7\xce"

# The records tests/data/mxnet_files/make_recordio_fixture.py wrote with MXNet 1.9.1
FIXTURE = [
    (0, recordio.IRHeader(0, 3.5, 7, 0), b"first"),
    (5, recordio.IRHeader(0, [1.0, -2.5, 4.0], 8, 1), b"array label"),
    (2, None, b""),
    (9, None, MAGIC + b"xy"),
    (3, None, b"12345678" + MAGIC + b"zz" + MAGIC),
    (7, recordio.IRHeader(0, 0.0, 2**40, 0), bytes(range(256))),
]


def _write_fixture_records(idx, rec):
    writer = recordio.MXIndexedRecordIO(idx, rec, "w")
    for key, header, payload in FIXTURE:
        writer.write_idx(key, payload if header is None else recordio.pack(header, payload))
    writer.close()


def _read_all(path):
    reader = recordio.MXRecordIO(path, "r")
    out = []
    while (record := reader.read()) is not None:
        out.append(record)
    reader.close()
    return out


def test_recordio_writes_mxnet_files_byte_for_byte(tmp_path):
    _write_fixture_records(tmp_path / "r.idx", tmp_path / "r.rec")
    assert (tmp_path / "r.rec").read_bytes() == (FILES / "records.rec").read_bytes()
    assert (tmp_path / "r.idx").read_text() == (FILES / "records.idx").read_text()


def test_recordio_reads_the_mxnet_fixture_by_key():
    reader = recordio.MXIndexedRecordIO(FILES / "records.idx", FILES / "records.rec", "r")
    assert reader.keys == [0, 5, 2, 9, 3, 7]
    # MXNet 1.9.1 (mxref): the offsets in its index file
    assert reader.idx == {0: 0, 5: 40, 2: 96, 9: 104, 3: 124, 7: 156}
    for key, header, payload in reversed(FIXTURE):
        record = reader.read_idx(key)
        if header is None:
            assert record == payload
            continue
        got, body = recordio.unpack(record)
        assert body == payload
        assert (got.id, got.id2) == (header.id, header.id2)
        onp.testing.assert_array_equal(got.label, onp.float32(header.label))
    reader.close()


def test_recordio_sequential_read_then_none_then_reset():
    reader = recordio.MXRecordIO(FILES / "records.rec", "r")
    records = [reader.read() for _ in FIXTURE]
    assert records[2:5] == [b"", MAGIC + b"xy", b"12345678" + MAGIC + b"zz" + MAGIC]
    assert reader.read() is None
    reader.reset()
    assert reader.read() == records[0]


def test_recordio_splits_payloads_at_aligned_magic_as_mxnet(tmp_path):
    writer = recordio.MXRecordIO(tmp_path / "a.rec", "w")
    for payload in [b"hello", b"", b"abcd", MAGIC + b"xy", b"12345678" + MAGIC + b"zz"]:
        writer.write(payload)
    writer.close()
    # MXNet 1.9.1 (mxref): MXRecordIO('a.rec', 'w') with the same five writes
    assert (tmp_path / "a.rec").read_bytes().hex() == (
        "0a23d7ce0500000068656c6c6f0000000a23d7ce000000000a23d7ce04000000616263640a23d7ce"
        "000000200a23d7ce02000060787900000a23d7ce0800002031323334353637380a23d7ce02000060"
        "7a7a0000")


@pytest.mark.parametrize("payload", [b"x" * 7, MAGIC * 3, b"ab" + MAGIC + b"cd", MAGIC,
                                     bytes(range(256)) * 3 + MAGIC + b"\0"])
def test_recordio_round_trip(tmp_path, payload):
    writer = recordio.MXRecordIO(tmp_path / "a.rec", "w")
    writer.write(payload)
    writer.write(bytearray(b"next"))
    writer.close()
    assert _read_all(tmp_path / "a.rec") == [payload, b"next"]


def test_recordio_pack_matches_mxnet_bytes():
    # MXNet 1.9.1 (mxref): pack(IRHeader(0, 3.5, 7, 0), b'data'), and with label [1.0, 2.5]
    assert recordio.pack(recordio.IRHeader(0, 3.5, 7, 0), b"data").hex() == (
        "00000000000060400700000000000000000000000000000064617461")
    packed = recordio.pack(recordio.IRHeader(0, [1.0, 2.5], 7, 0), b"data")
    assert packed.hex() == ("0200000000000000070000000000000000000000000000000000803f00002040"
                            "64617461")
    header, body = recordio.unpack(packed)
    assert header.flag == 2 and body == b"data"
    assert header.label.dtype == onp.float32 and header.label.tolist() == [1.0, 2.5]


def test_recordio_pack_scalar_label_resets_flag():
    # MXNet 1.9.1 (mxref): unpack(pack(IRHeader(2, 5, 7, 0), b'x')) -> flag 0, label 5.0
    header, body = recordio.unpack(recordio.pack(recordio.IRHeader(2, 5, 7, 0), b"x"))
    assert header == (0, 5.0, 7, 0) and body == b"x"
    assert recordio.IRHeader._fields == ("flag", "label", "id", "id2")


def test_recordio_errors(tmp_path):
    with pytest.raises(ValueError, match="Invalid flag q"):
        recordio.MXRecordIO(tmp_path / "x.rec", "q")
    with pytest.raises(MXNetError, match="nonexist.rec"):
        recordio.MXRecordIO(tmp_path / "nonexist.rec", "r")
    writer = recordio.MXRecordIO(tmp_path / "w.rec", "w")
    with pytest.raises(TypeError, match="bytes"):
        writer.write("text")
    with pytest.raises(AssertionError):
        writer.read()
    writer.close()
    writer.close()  # closing twice is allowed
    reader = recordio.MXIndexedRecordIO(FILES / "records.idx", FILES / "records.rec", "r")
    with pytest.raises(KeyError):
        reader.read_idx(99)
    with pytest.raises(AssertionError):
        reader.write(b"x")


def test_recordio_damaged_files_raise(tmp_path):
    good = (FILES / "records.rec").read_bytes()
    (tmp_path / "short.rec").write_bytes(good[:30])
    with pytest.raises(MXNetError, match="truncated"):
        _read_all(tmp_path / "short.rec")
    (tmp_path / "bad.rec").write_bytes(b"\0" * 8 + good)
    with pytest.raises(MXNetError, match="bad magic"):
        _read_all(tmp_path / "bad.rec")
    (tmp_path / "bad.idx").write_text("0 0\n")
    with pytest.raises(MXNetError, match="line 1"):
        recordio.MXIndexedRecordIO(tmp_path / "bad.idx", FILES / "records.rec", "r")


def test_recordio_pickled_reader_reopens_by_path():
    reader = recordio.MXIndexedRecordIO(FILES / "records.idx", FILES / "records.rec", "r")
    copy = pickle.loads(pickle.dumps(reader))
    assert copy.keys == reader.keys and copy.read_idx(9) == MAGIC + b"xy"
    assert reader.read_idx(2) == b""  # the original stays open


def test_recordio_string_keys(tmp_path):
    writer = recordio.MXIndexedRecordIO(tmp_path / "s.idx", tmp_path / "s.rec", "w", str)
    writer.write_idx("b", b"B")
    assert writer.tell() == 12
    writer.write_idx("a", b"AA")
    writer.close()
    reader = recordio.MXIndexedRecordIO(tmp_path / "s.idx", tmp_path / "s.rec", "r", str)
    assert reader.keys == ["b", "a"] and reader.read_idx("a") == b"AA"


def test_recordio_image_codec_missing_is_a_clear_import_error(monkeypatch):
    real_import = builtins.__import__

    def no_codecs(name, *args, **kwargs):
        if name in ("cv2", "PIL"):
            raise ImportError(f"no {name}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_codecs)
    with pytest.raises(ImportError, match="pillow"):
        recordio.pack_img(recordio.IRHeader(0, 1.0, 0, 0), onp.zeros((2, 2, 3), onp.uint8))
    with pytest.raises(ImportError, match="opencv"):
        recordio.unpack_img(struct.pack("IfQQ", 0, 0, 0, 0))


def test_recordio_png_image_round_trip_keeps_bgr_pixels():
    if _no_cv2():
        pytest.importorskip("PIL")
    img = onp.arange(4 * 5 * 3, dtype=onp.uint8).reshape(4, 5, 3)
    packed = recordio.pack_img(recordio.IRHeader(0, 2.0, 3, 0), img, img_fmt=".png")
    header, back = recordio.unpack_img(packed)
    assert header == (0, 2.0, 3, 0)
    onp.testing.assert_array_equal(back, img)
    _, gray = recordio.unpack_img(recordio.pack_img(header, img[:, :, 0], img_fmt=".png"))
    onp.testing.assert_array_equal(gray, img[:, :, 0])


def _no_cv2() -> bool:
    try:
        import cv2  # noqa: F401
    except ImportError:
        return True
    return False


def test_missing_files_give_mxnet_messages(tmp_path):
    # MXNet 1.9.1 (mxref): dmlc's LocalFileSystem messages for a record file that is not there
    import mxnp as mx

    missing = str(tmp_path / "nope.rec")
    with pytest.raises(MXNetError, match=r'^LocalFileSystem: Check failed: allow_null: :Open ".*'
                                         r'nope.rec": No such file or directory$'):
        recordio.MXRecordIO(missing, "r")
    with pytest.raises(MXNetError, match=r"^LocalFileSystem.GetPathInfo: .*nope.rec error: No "
                                         r"such file or directory$"):
        mx.io.ImageRecordIter(path_imgrec=missing, data_shape=(3, 4, 4), batch_size=1)
