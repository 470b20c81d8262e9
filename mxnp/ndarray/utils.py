"""``mx.nd.save``/``mx.nd.load``: MXNet's NDArray file format through mxnp's reader and writer
(``mxnp/_io.py``); what is loaded comes back as ``NDArray``.
"""
from __future__ import annotations

import io

from .. import _io
from .._mode import is_np_shape
from .ndarray import to_nd

__all__ = ["load", "load_frombuffer", "save"]


def save(fname, data) -> None:
    """Save an NDArray, a list of them or a dict str -> NDArray to ``fname``.

    As MXNet, the arrays carry the legacy array magic unless numpy-shape mode is on
    (``npx.set_np()``): MXNet's legacy mode loads only such files.
    """
    _io.save_as(fname, data, "mx.nd.save", legacy=not is_np_shape())


def _as_nd(loaded):
    if isinstance(loaded, dict):
        return {k: to_nd(v) for k, v in loaded.items()}
    return to_nd(list(loaded))


def load(fname):
    """The arrays of an MXNet NDArray file: a list, or a dict when the file has names.

    As MXNet, arrays saved under numpy-shape semantics load only with it on (``npx.set_np()``
    or ``mx.np_shape(True)``) and legacy ones only with it off (MXNetError otherwise).
    """
    return _as_nd(_io.load(fname, "mx.nd.load", is_np_shape()))


def load_frombuffer(buf):
    """``load`` from the bytes of such a file."""
    if not isinstance(buf, (bytes, bytearray, memoryview)):
        raise TypeError(f"load_frombuffer: buf must be bytes, got {type(buf).__name__}")
    return _as_nd(_io.load(io.BytesIO(bytes(buf)), "mx.nd.load_frombuffer", is_np_shape()))
