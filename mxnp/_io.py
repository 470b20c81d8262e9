"""MXNet's binary NDArray file (``.params``, ``.nd``): ``npx.save`` and ``npx.load``.

The layout, as MXNet 1.9.1 writes it (read off hexdumps of its own files; all little-endian):

    uint64 0x112 (list magic) | uint64 reserved | uint64 number of arrays
    per array:  uint32 array magic | int32 storage type (0 = dense)
                int32 ndim | ndim x int64 dims
                int32 device type (1 cpu, 2 gpu, 3 cpu_pinned, 5 cpu_shared) | int32 device id
                int32 dtype flag | the elements in C order
    uint64 number of names (0 for a list) | per name: uint64 length | UTF-8 bytes

The array magic is 0xF993FACA under NumPy shape semantics (``npx.save``), where ndim 0 is a
scalar and a 0 dim is an empty axis, and 0xF993FAC9 for the legacy ``mx.nd.save``. A legacy
0-d array is read as written (device, dtype and one element follow its shape), although MXNet's
own reader takes legacy ndim 0 as "no array" and fails on the bytes after it.
Reading is plain ``struct``/``frombuffer`` parsing: nothing in a file is executed, and every size
is checked against the bytes left in the file before anything is allocated.
``write_arrays``/``read_arrays`` are the list-plus-names form that gluon's parameter files use.
"""
from __future__ import annotations

import io
import os
import struct
import tempfile

import numpy as onp

from . import _backend
from ._ndarray import ndarray
from ._ops.primitive import _wrap
from .base import MXNetError, OpError

LIST_MAGIC = 0x112
NP_MAGIC = 0xF993FACA  # npx.save: shapes may be 0-d or have zero-size axes
LEGACY_MAGIC = 0xF993FAC9  # mx.nd.save without set_np
# mshadow's type flags; MXNet 1.9.1 refuses 8-11 (int16 ... uint64) with "Unknown type enum"
_FLAG_TO_DTYPE = {0: "float32", 1: "float64", 2: "float16", 3: "uint8", 4: "int32",
                  5: "int8", 6: "int64", 7: "bool"}
_FLAG_TO_DTYPE = {flag: onp.dtype(name) for flag, name in _FLAG_TO_DTYPE.items()}
_DTYPE_TO_FLAG = {dtype: flag for flag, dtype in _FLAG_TO_DTYPE.items()}
_STORAGE = {1: "row_sparse", 2: "csr"}
_STORAGE_ID = {name: code for code, name in _STORAGE.items()}
_MAX_NDIM = 64  # NumPy's limit; a larger count can only come from a damaged file
_GPU = 2


# ---- the public API ---------------------------------------------------------------------------
def save(file, arr) -> None:
    """Save an ndarray, a list of ndarrays or a dict str -> ndarray in MXNet's format.

    Differs from MXNet: ``file`` may also be an ``os.PathLike`` or a binary file object, and a
    tuple is taken as a list.
    """
    save_as(file, arr, "npx.save", legacy=False)


def save_as(file, arr, api: str, legacy: bool) -> None:
    """``save`` for ``api``; ``legacy`` writes MXNet's legacy array magic (``mx.nd.save``
    outside numpy-shape mode), which MXNet's legacy mode requires to load a file."""
    if isinstance(arr, ndarray):
        arr = [arr]
    if isinstance(arr, dict):
        if not all(isinstance(k, str) and isinstance(v, ndarray) for k, v in arr.items()):
            raise TypeError(f"{api}: a dict must map str names to mxnp ndarrays")
        write_arrays(file, list(arr.values()), list(arr.keys()), api, legacy)
    elif isinstance(arr, (list, tuple)):
        if not all(isinstance(v, ndarray) for v in arr):
            raise TypeError(f"{api}: a list must hold only mxnp ndarrays")
        write_arrays(file, list(arr), None, api, legacy)
    else:
        raise ValueError(f"{api}: expected an ndarray, a list of ndarrays or a dict of "
                         f"str -> ndarray, got {type(arr).__name__}")


def load(file, api: str = "npx.load", np_shape: bool | None = None):
    """Load what ``save`` wrote: a list, or a dict when the file has names.

    Differs from MXNet: ``file`` may also be an ``os.PathLike`` or a binary file object, and
    files from the legacy ``mx.nd.save`` load too (MXNet's ``npx.load`` refuses them).
    ``api`` and ``np_shape`` are ``read_arrays``'s (``mx.nd.load`` passes its mode).
    """
    arrays, names = read_arrays(file, api, np_shape)
    return dict(zip(names, arrays)) if names else arrays


# ---- writing ----------------------------------------------------------------------------------
def write_arrays(file, arrays: list, names: list | None = None, api: str = "npx.save",
                 legacy: bool = False) -> None:
    """Write ``arrays`` (and ``names``, one per array, or None) as an MXNet NDArray file.

    ``legacy``: the arrays carry MXNet's legacy magic (what MXNet writes outside numpy-shape
    mode, zero-size and 0-d arrays included, and all its legacy mode loads).
    """
    names = [] if names is None else list(names)
    if names and len(names) != len(arrays):
        raise OpError(f"{api}: {len(names)} names for {len(arrays)} arrays")
    labels = [repr(n) for n in names] or [str(i) for i in range(len(arrays))]
    flags = [_flag_of(a, label, api) for a, label in zip(arrays, labels)]  # check before opening
    encoded = [n.encode("utf-8") for n in names]

    def write(f):
        f.write(struct.pack("<QQQ", LIST_MAGIC, 0, len(arrays)))
        for a, flag in zip(arrays, flags):
            _write_array(f, a, flag, LEGACY_MAGIC if legacy else NP_MAGIC)
        f.write(struct.pack("<Q", len(encoded)))
        for n in encoded:
            f.write(struct.pack("<Q", len(n)) + n)
    if isinstance(file, (str, bytes, os.PathLike)):
        _replace_atomically(file, write, api)
    else:
        with _open(file, "wb", api) as f:
            write(f)


def _replace_atomically(file, write, api: str) -> None:
    """``write(f)`` into a new file beside ``file``, renamed over it only once complete, so a
    failed write (a full disk, a size limit) leaves the old file whole."""
    path = os.fsdecode(file)
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp",
                                   dir=folder)
    except (OSError, ValueError) as e:
        raise MXNetError(f"{api}: cannot open {path!r}: {getattr(e, 'strerror', None) or e}") \
            from e
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except BaseException as e:
        os.unlink(tmp)
        if isinstance(e, OSError):
            raise MXNetError(f"{api}: cannot write {path!r}: {e.strerror or e}") from e
        raise


def _mode_for(path: str) -> int:
    """The permissions ``open(path, 'wb')`` would have left: the old file's, or the umask's
    (mkstemp makes its file private)."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)  # reading the umask means setting it; put it straight back
        os.umask(umask)
        return 0o666 & ~umask


def _flag_of(a, label, api) -> int:
    flag = _DTYPE_TO_FLAG.get(onp.dtype(a.dtype))
    if flag is None:
        kept = ", ".join(str(d) for d in _DTYPE_TO_FLAG)
        raise OpError(f"{api}: array {label} has dtype {onp.dtype(a.dtype)}, which MXNet's file format "
                      f"cannot hold (it holds {kept}); cast it with .astype() first")
    return flag


def _write_array(f, a: ndarray, flag: int, magic: int) -> None:
    dev = a.device
    stype = _STORAGE_ID.get(a.stype, 0)
    # a sparse array: its data's shape first, its aux arrays' (indptr and indices for csr,
    # indices for row_sparse; int64) types and shapes after the dtype, their values last
    parts = a._parts() if stype else (_backend.to_numpy(a._data),)
    aux = parts[:0:-1]  # MXNet's aux order: csr's indptr before its indices
    f.write(struct.pack("<Ii", magic, stype))
    if stype:
        f.write(_shape_bytes(parts[0].shape))
    f.write(_shape_bytes(a.shape))
    f.write(struct.pack("<iii", dev.device_typeid, dev.device_id, flag))
    for x in aux:
        f.write(struct.pack("<i", _DTYPE_TO_FLAG[onp.dtype(onp.int64)]) + _shape_bytes(x.shape))
    for x in (parts[0],) + aux:
        # '<' pins the byte order whatever the host's; C order is what the reader expects
        data = onp.ascontiguousarray(x, dtype=x.dtype.newbyteorder("<"))
        f.write(data.reshape(-1).view(onp.uint8))


def _shape_bytes(shape) -> bytes:
    return struct.pack(f"<i{len(shape)}q", len(shape), *shape)


# ---- reading ----------------------------------------------------------------------------------
def array_to_bytes(a: ndarray, legacy: bool) -> bytes:
    """One array in the per-array layout above (MXNet's ``MXNDArraySaveRawBytes``)."""
    f = io.BytesIO()
    _write_array(f, a, _flag_of(a, "0", "NDArray.__getstate__"),
                 LEGACY_MAGIC if legacy else NP_MAGIC)
    return f.getvalue()


def array_from_bytes(buf, api: str) -> ndarray:
    """The array that ``array_to_bytes`` wrote (any magic, any device tag)."""
    return _read_array(_Reader(io.BytesIO(bytes(buf)), api, "<bytes>"), 0)


def read_arrays(file, api: str = "npx.load", np_shape: bool | None = None) -> tuple[list, list]:
    """The arrays of an MXNet NDArray file, and its names ([] when it holds a plain list).

    ``np_shape`` (True/False): refuse arrays saved under the other shape semantics, as
    MXNet's ``mx.nd.load`` does; None takes both.
    """
    with _open(file, "rb", api) as f:
        r = _Reader(f, api, file)
        r.np_shape = np_shape
        magic, _reserved, count = r.unpack("<QQQ", "the file header")
        if magic != LIST_MAGIC:
            raise r.error(f"not an MXNet NDArray file: header magic {magic:#x}, expected "
                          f"{LIST_MAGIC:#x}")
        # every array takes at least 24 bytes, so a count beyond that is damage, not a big file
        r.check_count(count, 24, "arrays")
        arrays = [_read_array(r, i) for i in range(count)]
        (n_names,) = r.unpack("<Q", "the number of names")
        if n_names not in (0, count):
            raise r.error(f"{n_names} names for {count} arrays")
        names = [_read_name(r, i) for i in range(n_names)]
    return arrays, names


def _read_array(r: _Reader, i: int) -> ndarray:
    magic, stype = r.unpack("<Ii", f"the header of array {i}")
    if magic not in (NP_MAGIC, LEGACY_MAGIC):
        raise r.error(f"array {i} has magic {magic:#010x}, expected {NP_MAGIC:#x} (npx.save) "
                      f"or {LEGACY_MAGIC:#x} (mx.nd.save); files from MXNet before 1.0 "
                      "are not supported")
    if r.np_shape is not None and (magic == NP_MAGIC) != r.np_shape:
        raise r.error(_SEMANTICS_ERROR[r.np_shape])
    if stype not in (0, *_STORAGE):
        raise r.error(f"array {i} has unknown storage type {stype}")
    data_shape = _read_shape(r, i) if stype else None
    shape = _read_shape(r, i)
    dev_type, dev_id, flag = r.unpack("<iii", f"the device and dtype of array {i}")
    dtype = _FLAG_TO_DTYPE.get(flag)
    if dtype is None:
        hint = " (bfloat16 has no NumPy dtype)" if flag == 12 else ""
        raise r.error(f"array {i} has unknown dtype flag {flag}{hint}")
    if stype:
        aux = []
        for _ in range(2 if _STORAGE[stype] == "csr" else 1):
            (aux_flag,) = r.unpack("<i", f"the aux type of array {i}")
            aux.append((_FLAG_TO_DTYPE.get(aux_flag), _read_shape(r, i)))
        if any(t is None for t, _ in aux):
            raise r.error(f"array {i} has an unknown aux dtype flag")
        if _STORAGE[stype] == "csr":  # MXNet writes (0,) for a csr made by cast_storage
            data_shape = aux[1][1]
        parts = [_read_values(r, i, dtype, data_shape)]
        parts += [_read_values(r, i, t, s) for t, s in aux]
        from .ndarray import sparse  # the 1.x face sits above this module

        cls = sparse.CSRNDArray if _STORAGE[stype] == "csr" else sparse.RowSparseNDArray
        return sparse._new(cls, (parts[0], *parts[:0:-1]), shape, dtype, _backend.CPU0)
    raw = _read_values(r, i, dtype, shape)
    # MXNet loads into CPU memory and moves GPU-saved arrays back only when a GPU is present
    # (its CPU build gives cpu(0) for them, checked); pinned and shared memory load as cpu(0).
    # A file never makes us import CuPy: its GPU tag counts only where this process already
    # uses GPUs, and a negative id (MXNet's CPU) is the CPU.
    dev = _backend.CPU0
    if dev_type == _GPU and 0 <= dev_id < _backend.gpus_in_use():
        dev = _backend.gpu(dev_id)
    return _wrap(_backend.to_device(raw, dev), dev)


def _read_values(r: _Reader, i: int, dtype, shape) -> onp.ndarray:
    size = 1
    for d in shape:
        size *= d
    buf = r.take(size * dtype.itemsize, f"data for array {i}")
    try:
        raw = onp.frombuffer(buf, dtype=dtype.newbyteorder("<"))
        # the file is little-endian; hand back the native dtype itself (repr 'float32', as
        # MXNet shows, not the equal-but-spelled-out '<f4' that astype(copy=False) would keep)
        raw = raw.view(dtype) if raw.dtype.isnative else raw.astype(dtype)
        return raw.reshape(shape)
    except ValueError as e:  # e.g. a zero-size shape whose other dims overflow
        raise r.error(f"array {i} has an impossible shape {shape}: {e}") from None


def _read_shape(r: _Reader, i: int) -> tuple:
    (ndim,) = r.unpack("<i", f"the shape of array {i}")
    if not 0 <= ndim <= _MAX_NDIM:
        raise r.error(f"array {i} has ndim {ndim}; expected 0 to {_MAX_NDIM} (an unknown "
                      "shape cannot be loaded)")
    shape = r.unpack(f"<{ndim}q", f"the shape of array {i}")
    if any(d < 0 for d in shape):
        raise r.error(f"array {i} has shape {shape} with a negative (unknown) dimension")
    return shape


def _read_name(r: _Reader, i: int) -> str:
    (length,) = r.unpack("<Q", f"the length of name {i}")
    raw = r.take(length, f"name {i}")
    try:
        return bytes(raw).decode("utf-8")
    except UnicodeDecodeError as e:
        raise r.error(f"name {i} is not UTF-8 ({e.reason})") from None


_SEMANTICS_ERROR = {  # MXNet's words, by the np-shape mode of the reader
    False: "ndarray was saved in np shape semantics, must be loaded in the same semantics. "
           "Please turn on np shape semantics in Python using `with np_shape(True)` or "
           "decorator `use_np_shape` to scope the code of loading the ndarray.",
    True: "ndarray was not saved in np shape semantics, but being loaded in np shape "
          "semantics. Please turn off np shape semantics in Python using `with "
          "np_shape(False)` to scope the code of loading the ndarray."}


class _Reader:
    """Reads from a stream and refuses to read past its end, with errors naming the file."""

    np_shape = None  # the shape semantics arrays must have been saved under (None: any)

    def __init__(self, stream, api: str, file):
        self._stream, self._api = stream, api
        self._where = repr(os.fsdecode(file)) if isinstance(file, (str, bytes, os.PathLike)) \
            else "<file object>"
        start = stream.tell()
        self._left = stream.seek(0, io.SEEK_END) - start
        stream.seek(start)

    def error(self, message: str) -> MXNetError:
        return MXNetError(f"{self._api}: {self._where}: {message}")

    def check_count(self, count: int, min_bytes: int, what: str) -> None:
        if count * min_bytes > self._left:
            raise self.error(f"truncated or damaged: {count} {what} cannot fit in the "
                             f"{self._left} bytes left")

    def take(self, n: int, what: str) -> bytearray:
        """``n`` bytes, or a clear error when the file has fewer left (checked before
        allocating, so a damaged size field cannot ask for absurd memory)."""
        if n > self._left:
            raise self.error(f"truncated: expected {n} bytes of {what}, found {self._left}")
        buf = bytearray(n)
        got = self._stream.readinto(buf)
        if got != n:  # the file shrank while being read
            raise self.error(f"truncated: expected {n} bytes of {what}, found {got}")
        self._left -= n
        return buf

    def unpack(self, fmt: str, what: str) -> tuple:
        return struct.unpack(fmt, self.take(struct.calcsize(fmt), what))


def missing_file_message(path) -> str:
    """MXNet's message (from dmlc's LocalFileSystem) for reading a file that does not exist."""
    return (f'LocalFileSystem: Check failed: allow_null: :Open "{os.fsdecode(path)}": '
            "No such file or directory")


def _open(file, mode: str, api: str):
    """A binary stream on ``file``: opened from a path, or a file object wrapped unclosed."""
    if isinstance(file, (str, bytes, os.PathLike)):
        try:
            return open(file, mode)
        except FileNotFoundError as e:
            if "r" not in mode:
                raise MXNetError(f"{api}: cannot open {os.fspath(file)!r}: {e.strerror}") from e
            raise MXNetError(missing_file_message(file)) from e
        except OSError as e:
            raise MXNetError(f"{api}: cannot open {os.fspath(file)!r}: {e.strerror}") from e
        except ValueError as e:  # a NUL byte in the path
            raise OpError(f"{api}: cannot open {os.fspath(file)!r}: {e}") from e
    if isinstance(file, io.TextIOBase):  # else reading decodes the data as text and fails
        raise TypeError(f"{api}: the file object must be opened in binary mode "
                        f"('{mode}'), not text mode")
    needed = "write" if "w" in mode else "read"
    if not callable(getattr(file, needed, None)):
        raise TypeError(f"{api}: file must be a path or a binary file object, got "
                        f"{type(file).__name__}")
    if needed == "read" and not (callable(getattr(file, "seekable", None)) and file.seekable()
                                 and callable(getattr(file, "readinto", None))):
        data = file.read()  # the reader needs to know how many bytes are left
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"{api}: the file object must be opened in binary mode ('rb')")
        return io.BytesIO(data)
    return _Unclosed(file)


class _Unclosed:
    """The caller's file object, passed through a ``with`` without being closed."""

    def __init__(self, file):
        self._file = file

    def __enter__(self):
        return self._file

    def __exit__(self, *exc):
        return False


__all__ = ["array_from_bytes", "array_to_bytes", "load", "read_arrays", "save", "write_arrays"]
