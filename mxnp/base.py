"""Errors and the small type helpers shared with MXNet code that uses them."""
from __future__ import annotations

import ctypes
import os
import platform

import numpy as onp


class MXNetError(RuntimeError):
    """The error MXNet raises from its engine; code written for MXNet catches this name."""


class OpError(MXNetError, ValueError):
    """Bad input to an op (shapes, axes, values). Caught as MXNetError or as ValueError."""


class OpTypeError(MXNetError, TypeError):
    """Inputs of the wrong dtype for an op. Caught as MXNetError (MXNet's type) or as
    TypeError."""


class NotImplementedForSymbol(MXNetError):
    """A value read from an array inside a hybridized block's first (traced) call, as MXNet
    raises for its symbols: the replayed program could not follow value-dependent Python."""


class MissingFileError(MXNetError, FileNotFoundError):
    """A file an op must read is absent. Caught as MXNetError (MXNet's type) or as
    FileNotFoundError."""


# the Python type groups MXNet's code (and its tests) test values against
integer_types = (int, onp.int32, onp.int64)
numeric_types = (float, int, onp.generic)
string_types = (str,)
mx_real_t = onp.float32  # MXNet's default real type
# what MXNet's C callbacks (the executor monitor) pass for an array; NDArray(handle) reads it
NDArrayHandle = ctypes.c_void_p


def py_str(x) -> str:
    """``x`` as text: bytes are decoded as UTF-8, anything else is returned as it is."""
    return x.decode("utf-8") if isinstance(x, bytes) else x


def data_dir_default() -> str:
    """The data folder MXNet uses when ``MXNET_HOME`` is unset: ``%APPDATA%\\mxnet`` on
    Windows, else ``~/.mxnet``."""
    if platform.system() == "Windows":
        return os.path.join(os.environ.get("APPDATA"), "mxnet")
    return os.path.join(os.path.expanduser("~"), ".mxnet")


def data_dir() -> str:
    """The folder for downloaded models, data sets and embeddings: ``$MXNET_HOME``, else
    ``data_dir_default()``; read at each call."""
    return os.getenv("MXNET_HOME", data_dir_default())


def _as_list(obj) -> list:
    """``obj`` itself when it is a list or tuple (as a list), else ``[obj]``."""
    return list(obj) if isinstance(obj, (list, tuple)) else [obj]


__all__ = ["MXNetError", "MissingFileError", "NDArrayHandle", "NotImplementedForSymbol", "OpError",
           "data_dir", "data_dir_default", "integer_types", "mx_real_t", "numeric_types", "py_str",
           "string_types"]
