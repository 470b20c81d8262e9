"""npx.save / npx.load: MXNet's NDArray file format, read from MXNet-made fixtures and written
so that MXNet 1.9.1 reads it back (the parity tests at the end run the real MXNet when the
mxref venv exists)."""
from __future__ import annotations

import io
import json
import os
import pathlib
import struct
import subprocess

import numpy as onp
import pytest

import mxnp
from mxnp import _backend, np, npx
from mxnp._io import read_arrays, write_arrays
from mxnp.base import MXNetError, OpError
from tests import helpers

DATA = pathlib.Path(__file__).parent / "data" / "mxnet_files"
DTYPES = ["float32", "float64", "float16", "int8", "int32", "int64", "uint8", "bool"]
SHAPES = [(), (3,), (2, 3, 4), (0,), (2, 0, 3)]
MXREF = pathlib.Path.home() / ".cache" / "mxref-venv" / "bin" / "python"


def sample(dtype, shape, seed=0):
    """A NumPy array of ``dtype`` and ``shape`` with varied values (negatives where possible)."""
    x = onp.random.default_rng(seed).standard_normal(shape) * 50
    return (x > 0) if dtype == "bool" else x.astype(dtype)


def assert_same(got, want):
    """Same dtype, shape and bits (an exact check, NaN-safe)."""
    assert isinstance(got, np.ndarray)
    helpers.same(got, want, bits=True)


# ---- round trips ------------------------------------------------------------------------------
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("dtype", DTYPES)
def test_save_load_round_trip_every_dtype_and_shape(tmp_path, dtype, shape):
    want = sample(dtype, shape)
    npx.save(str(tmp_path / "a.nd"), np.array(want, dtype=want.dtype))
    got = npx.load(str(tmp_path / "a.nd"))
    assert isinstance(got, list) and len(got) == 1  # a single array comes back as a list
    assert_same(got[0], want)
    assert got[0].device == npx.cpu(0)


def test_save_load_list_keeps_order_and_dtypes(tmp_path):
    want = [sample(d, s, i) for i, (d, s) in enumerate(zip(DTYPES, SHAPES * 2))]
    npx.save(tmp_path / "l.nd", [np.array(w, dtype=w.dtype) for w in want])
    got = npx.load(tmp_path / "l.nd")
    assert isinstance(got, list) and len(got) == len(want)
    for g, w in zip(got, want):
        assert_same(g, w)


def test_save_load_dict_keeps_names_order_and_dtypes(tmp_path):
    want = {"dense0.weight": sample("float32", (2, 3)), "z": sample("int64", ()),
            "": sample("uint8", (0,)), "nomé": sample("bool", (4,))}
    npx.save(tmp_path / "d.nd", {k: np.array(v, dtype=v.dtype) for k, v in want.items()})
    got = npx.load(tmp_path / "d.nd")
    assert isinstance(got, dict) and list(got) == list(want)
    for k in want:
        assert_same(got[k], want[k])


def test_save_load_tuple_and_empty_containers(tmp_path):
    npx.save(tmp_path / "t.nd", (np.ones(2), np.zeros((), dtype="int32")))
    got = npx.load(tmp_path / "t.nd")
    assert_same(got[0], onp.ones(2, "float32"))
    assert_same(got[1], onp.zeros((), "int32"))
    for empty in ([], {}):  # MXNet: an empty dict has no names, so it loads as []
        npx.save(tmp_path / "e.nd", empty)
        assert npx.load(tmp_path / "e.nd") == []


def test_save_noncontiguous_and_recorded_arrays(tmp_path):
    x = np.arange(6).reshape(2, 3)
    x.attach_grad()
    npx.save(tmp_path / "n.nd", [x.T, x[:, ::2]])
    got = npx.load(tmp_path / "n.nd")
    assert_same(got[0], onp.arange(6, dtype="float32").reshape(2, 3).T)
    assert_same(got[1], onp.array([[0., 2.], [3., 5.]], dtype="float32"))
    got[0][0, 0] = 9  # loaded arrays own writable memory
    assert got[0].grad is None


def test_save_load_file_objects(tmp_path):
    buf = io.BytesIO()
    npx.save(buf, {"w": np.array([1.5, 2.5])})
    npx.save(tmp_path / "f.nd", {"w": np.array([1.5, 2.5])})
    assert buf.getvalue() == (tmp_path / "f.nd").read_bytes()
    buf.seek(0)
    assert_same(npx.load(buf)["w"], onp.array([1.5, 2.5], dtype="float32"))
    with open(tmp_path / "f.nd", "rb") as f:
        assert_same(npx.load(f)["w"], onp.array([1.5, 2.5], dtype="float32"))
        assert not f.closed  # the caller's file stays open

    class ReadOnly:  # no seek, no readinto: read whole
        def read(self):
            return (tmp_path / "f.nd").read_bytes()

    assert list(npx.load(ReadOnly())) == ["w"]


def test_write_read_arrays_names_for_gluon(tmp_path):
    arrays = [np.ones((2, 2)), np.zeros(3, dtype="int32")]
    write_arrays(tmp_path / "p.params", arrays, ["dense0.weight", "dense0.bias"])
    got, names = read_arrays(tmp_path / "p.params")
    assert names == ["dense0.weight", "dense0.bias"]
    assert_same(got[1], onp.zeros(3, "int32"))
    with pytest.raises(OpError, match="1 names for 2 arrays"):
        write_arrays(tmp_path / "q.params", arrays, ["a"])


# ---- files written by MXNet 1.9.1 (see data/mxnet_files/README.md) ---------------------------
def test_load_mxnet_single_and_list_dtypes():
    assert_same(npx.load(DATA / "single.nd")[0], onp.array([1.0, 2.0, 3.5], "float32"))
    got = npx.load(DATA / "list_dtypes.nd")
    want = [onp.array([0.5, -1.25, 3.0e38], "float32"), onp.array([[1.0e-300], [-2.5]]),
            onp.array([65504.0, -0.5, 0.0], "float16"), onp.array([-128, 127], "int8"),
            onp.array([-2147483648, 7], "int32"), onp.array(-9007199254740993, "int64"),
            onp.array([0, 255], "uint8"), onp.array([True, False, True])]
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert_same(g, w)


def test_load_mxnet_dict_shapes():
    got = npx.load(DATA / "dict_shapes.nd")
    assert list(got) == ["dense0.weight", "scalar", "empty", "empty1d", "nomé"]
    assert_same(got["dense0.weight"], onp.arange(24, dtype="float32").reshape(2, 3, 4))
    assert_same(got["scalar"], onp.array(7.0))
    assert_same(got["empty"], onp.zeros((2, 0, 3), "float32"))
    assert_same(got["empty1d"], onp.zeros(0, "int64"))
    assert_same(got["nomé"], onp.array([1, 2], "uint8"))
    assert npx.load(DATA / "empty_list.nd") == []


def test_load_mxnet_legacy_nd_save_files():
    got = npx.load(DATA / "legacy_list.nd")
    assert_same(got[0], onp.array([1.5, -2.0], "float32"))
    assert_same(got[1], onp.array([[3, 4, 5]], "int32"))
    got = npx.load(DATA / "legacy_dict.nd")
    assert list(got) == ["arg:dense0_weight", "aux:bn_moving_var"]
    assert_same(got["arg:dense0_weight"], onp.array([[0.25, -1.0]], "float32"))
    assert_same(got["aux:bn_moving_var"], onp.array([2.0]))


@pytest.mark.parametrize("name", ["single.nd", "list_dtypes.nd", "dict_shapes.nd",
                                  "empty_list.nd"])
def test_save_writes_the_same_bytes_as_mxnet(tmp_path, name):
    arrays, names = read_arrays(DATA / name)
    write_arrays(tmp_path / name, arrays, names)
    assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes()


def test_load_gpu_saved_array_goes_to_gpu_only_when_present():
    raw = bytearray((DATA / "single.nd").read_bytes())
    raw[0x2C] = 2  # the device type of array 0: gpu
    (got,) = npx.load(io.BytesIO(bytes(raw)))
    assert got.device == (npx.gpu(0) if _backend.num_gpus() > 0 else npx.cpu(0))
    assert_same(got, onp.array([1.0, 2.0, 3.5], "float32"))


@pytest.mark.skipif(not _backend.cupy_available(), reason="needs CuPy and a GPU")
def test_save_load_gpu_array(tmp_path):
    npx.save(tmp_path / "g.nd", np.arange(3, ctx=npx.gpu(0)))
    assert (tmp_path / "g.nd").read_bytes()[0x2C:0x34] == struct.pack("<ii", 2, 0)
    (got,) = npx.load(tmp_path / "g.nd")
    assert got.device == npx.gpu(0)
    assert_same(got, onp.arange(3, dtype="float32"))


# ---- bad input to save ------------------------------------------------------------------------
def test_save_rejects_what_mxnet_rejects(tmp_path):
    path = tmp_path / "x.nd"
    with pytest.raises(ValueError, match="npx.save: expected an ndarray"):
        npx.save(path, onp.ones(2))
    with pytest.raises(TypeError, match="str names"):
        npx.save(path, {1: np.ones(2)})
    with pytest.raises(TypeError, match="str names"):
        npx.save(path, {"a": onp.ones(2)})
    with pytest.raises(TypeError, match="only mxnp ndarrays"):
        npx.save(path, [np.ones(2), [1.0]])
    with pytest.raises(OpError, match="array 'w' has dtype int16.*cast it"):
        npx.save(path, {"w": np.ones(2, dtype="int16")})
    assert not path.exists()  # checked before the file is opened
    with pytest.raises(TypeError, match="path or a binary file object"):
        npx.save(3.5, np.ones(2))
    with pytest.raises(MXNetError, match="npx.save: cannot open"):
        npx.save(tmp_path / "no" / "such" / "dir.nd", np.ones(2))


# ---- damaged files ----------------------------------------------------------------------------
def patched(path, offset, fmt, value) -> io.BytesIO:
    """The file at ``path`` (or the MXNet fixture so named) with one field overwritten."""
    raw = bytearray((DATA / path).read_bytes())
    struct.pack_into(fmt, raw, offset, value)
    return io.BytesIO(bytes(raw))


@pytest.mark.parametrize("name", ["list_dtypes.nd", "dict_shapes.nd"])
def test_load_truncated_file_at_every_length(tmp_path, name):
    raw = (DATA / name).read_bytes()
    path = tmp_path / name
    for n in range(len(raw)):
        path.write_bytes(raw[:n])
        with pytest.raises(MXNetError, match=rf"^npx.load: '{path}': truncated"):
            npx.load(path)


def test_load_truncated_data_names_the_array_and_sizes(tmp_path):
    raw = (DATA / "single.nd").read_bytes()
    (tmp_path / "t.nd").write_bytes(raw[:0x3C])  # 4 of array 0's 12 data bytes remain
    with pytest.raises(MXNetError, match="expected 12 bytes of data for array 0, found 4"):
        npx.load(tmp_path / "t.nd")


def test_load_wrong_magic(tmp_path):
    (tmp_path / "n.npy").write_bytes(b"\x93NUMPY" + bytes(40))
    with pytest.raises(MXNetError, match="not an MXNet NDArray file: header magic"):
        npx.load(tmp_path / "n.npy")
    with pytest.raises(MXNetError, match="array 0 has magic 0xf993fac8"):
        npx.load(patched("single.nd", 0x18, "<I", 0xF993FAC8))


@pytest.mark.parametrize("offset, fmt, value, message", [
    (0x24, "<q", 2**40, r"truncated: expected 4398046511104 bytes of data for array 0, found 20"),
    (0x24, "<q", 2**62, r"expected 18446744073709551616 bytes of data for array 0"),
    (0x24, "<q", -1, r"negative \(unknown\) dimension"),
    (0x20, "<i", 2**30, r"array 0 has ndim 1073741824"),
    (0x20, "<i", -1, r"array 0 has ndim -1"),
    (0x10, "<Q", 2**63, r"truncated or damaged: 9223372036854775808 arrays cannot fit"),
    (0x34, "<i", 32, r"unknown dtype flag 32"),
    (0x34, "<i", 12, r"unknown dtype flag 12 \(bfloat16"),
    (0x1C, "<i", 7, r"array 0 has unknown storage type 7"),
    (0x44, "<Q", 3, r"3 names for 1 arrays"),
])
def test_load_damaged_field_is_a_clear_error(offset, fmt, value, message):
    with pytest.raises(MXNetError, match=rf"^npx.load: <file object>: .*{message}"):
        npx.load(patched("single.nd", offset, fmt, value))


def test_load_damaged_names(tmp_path):
    npx.save(tmp_path / "d.nd", {"ab": np.ones(1)})
    end = len((tmp_path / "d.nd").read_bytes())
    with pytest.raises(MXNetError, match="expected 1099511627776 bytes of name 0, found 2"):
        npx.load(patched(tmp_path / "d.nd", end - 10, "<Q", 2**40))
    with pytest.raises(MXNetError, match="name 0 is not UTF-8"):
        npx.load(patched(tmp_path / "d.nd", end - 2, "<H", 0xFFFF))


def test_load_zero_size_shape_too_big_for_numpy():
    raw = bytearray((DATA / "dict_shapes.nd").read_bytes())
    # array 2 ("empty", shape (2, 0, 3)): its first dim becomes 2**62, still zero-size
    at = raw.index(struct.pack("<i3q", 3, 2, 0, 3))
    struct.pack_into("<q", raw, at + 4, 2**62)
    with pytest.raises(MXNetError, match="array 2 has an impossible shape"):
        npx.load(io.BytesIO(bytes(raw)))


def test_load_missing_file_and_bad_arguments(tmp_path):
    # MXNet 1.9.1 (mxref) for npx.load and mx.nd.load of a missing file
    missing = r'^LocalFileSystem: Check failed: allow_null: :Open ".*missing.nd": No such file'
    with pytest.raises(MXNetError, match=missing):
        npx.load(tmp_path / "missing.nd")
    with pytest.raises(MXNetError, match=missing):
        mxnp.nd.load(str(tmp_path / "missing.nd"))
    with pytest.raises(TypeError, match="path or a binary file object"):
        npx.load(42)
    with open(DATA / "single.nd", encoding="latin-1") as text:
        with pytest.raises(TypeError, match="binary mode"):
            npx.load(_NoSeek(text))


class _NoSeek:
    def __init__(self, f):
        self.read = f.read


# ---- parity with the real MXNet 1.9.1 (needs the mxref venv) ---------------------------------
MX_SCRIPT = r"""
import json, sys
import numpy as onp
from mxnet import np, npx
npx.set_np()
mode, folder, cases = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
def enc(a):
    a = a.asnumpy()
    return [str(a.dtype), list(a.shape), a.tobytes().hex()]
def dec(item):
    dtype, shape, data = item
    x = onp.zeros(shape, dtype) if 0 in shape else onp.frombuffer(bytes.fromhex(data), dtype)
    return np.array(x.reshape(shape), dtype=dtype)
out = {}
for case, (kind, items) in cases.items():
    path = folder + "/" + case + ".nd"
    if mode == "write":
        arrs = [dec(i[1:]) for i in items]
        npx.save(path, arrs[0] if kind == "single" else
                 dict(zip([i[0] for i in items], arrs)) if kind == "dict" else arrs)
    else:
        got = npx.load(path)
        out[case] = ([[k] + enc(v) for k, v in got.items()] if isinstance(got, dict)
                     else [[None] + enc(v) for v in got])
print(json.dumps(out))
"""


def parity_cases() -> dict:
    """case -> (kind, [[name, dtype, shape, hex bytes], ...]) for every dtype and shape."""
    def item(name, dtype, shape, seed):
        x = sample(dtype, shape, seed)
        return [name, dtype, list(shape), x.tobytes().hex()]
    cases = {f"single_{d}": ("single", [item(None, d, (2, 3, 4), 1)]) for d in DTYPES}
    cases["list_shapes"] = ("list", [item(None, d, s, i) for i, (d, s)
                                     in enumerate(zip(DTYPES, SHAPES * 2))])
    cases["dict_all"] = ("dict", [item(f"p{i}.{d}.{j}", d, s, i) for i, d in enumerate(DTYPES)
                                  for j, s in enumerate(SHAPES)])
    return cases


def run_mxnet(mode, folder, cases) -> dict:
    done = subprocess.run([str(MXREF), "-c", MX_SCRIPT, mode, str(folder), json.dumps(cases)],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "MXNET_ENGINE_TYPE": "NaiveEngine"})
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


needs_mxref = pytest.mark.skipif(not MXREF.exists(), reason=f"the real MXNet 1.9.1 venv ({MXREF}, "
                                 "built by /work/shared/tools/mxref) is not installed here")


@needs_mxref
def test_mxnet_loads_what_mxnp_saves(tmp_path):
    cases = parity_cases()
    for case, (kind, items) in cases.items():
        arrs = [np.array(onp.frombuffer(bytes.fromhex(h), d).reshape(s), dtype=d)
                for _, d, s, h in items]
        npx.save(tmp_path / f"{case}.nd", arrs[0] if kind == "single" else
                 dict(zip([i[0] for i in items], arrs)) if kind == "dict" else arrs)
    assert run_mxnet("read", tmp_path, cases) == {case: items for case, (_, items)
                                                  in cases.items()}


@needs_mxref
def test_mxnp_loads_what_mxnet_saves(tmp_path):
    cases = parity_cases()
    run_mxnet("write", tmp_path, cases)
    for case, (kind, items) in cases.items():
        got = npx.load(tmp_path / f"{case}.nd")
        pairs = got.items() if kind == "dict" else [(None, g) for g in got]
        assert [[k, str(g.dtype), list(g.shape), g.asnumpy().tobytes().hex()]
                for k, g in pairs] == items
