"""MXNet 1.x's creation functions: float32 unless a dtype is given, ``ctx`` before ``dtype``."""
from __future__ import annotations

import numpy as onp

from .. import numpy as np
from .._mode import is_np_shape
from .._ndarray import ndarray
from .._ops.creation import zeros_like as _ops_zeros_like
from .._ops.primitive import Primitive
from ..base import MXNetError
from . import sparse
from ._define import legacy_op
from .ndarray import NDArray, to_nd

_F32 = "float32"


def _shape(shape):
    return (shape,) if isinstance(shape, (int, onp.integer)) else tuple(shape)


def array(source_array, ctx=None, dtype=None) -> NDArray:
    """A new NDArray from ``source_array``: float32 unless ``dtype`` is given or the source is
    itself an mxnp array (whose dtype it keeps), as MXNet 1.x.
    """
    if isinstance(source_array, sparse.BaseSparseNDArray) or sparse._is_scipy(source_array):
        return sparse.array(source_array, ctx=ctx, dtype=dtype)
    if dtype is None:
        dtype = source_array.dtype if isinstance(source_array, ndarray) else _F32
    if isinstance(source_array, ndarray):
        out = source_array.astype(dtype, copy=True)
        return to_nd(out.as_in_ctx(ctx) if ctx is not None else out, (source_array,))
    try:
        host = onp.asarray(source_array, dtype=dtype)
    except OverflowError:  # NumPy 2 refuses ints out of the dtype's range; MXNet's wrap
        host = onp.asarray(source_array).astype(dtype)
    return to_nd(np.array(host, dtype=dtype, ctx=ctx))


@legacy_op("_zeros", inputs=())
def _zeros(shape, ctx=None, dtype=None, stype=None, **kwargs):
    """The _zeros operator (a graph's node may carry unknown sizes until inference)."""
    return np.zeros(_shape(shape), dtype=dtype or _F32, ctx=ctx)


@legacy_op("_ones", inputs=())
def _ones(shape, ctx=None, dtype=None, **kwargs):
    """The _ones operator."""
    return np.ones(_shape(shape), dtype=dtype or _F32, ctx=ctx)


def _complete(op: str, shape) -> None:
    """MXNet 1.x's refusal, outside np_shape, of a shape with () or a 0 size, which mean
    "unknown" there: its imperative _zeros/_ones fail to infer it."""
    shape = _shape(shape)
    if not is_np_shape() and (not shape or 0 in shape):
        raise MXNetError(f"Operator {op} inferring shapes failed: shape {shape} has an unknown "
                         "size (() or 0 mean unknown outside np_shape; use mx.np_shape())")


def zeros(shape, ctx=None, dtype=None, stype=None, **kwargs) -> NDArray:
    """An array of zeros (float32 by default); () and 0 sizes need np_shape, as MXNet 1.x."""
    if stype not in (None, "default"):
        return sparse.zeros(stype, shape, ctx=ctx, dtype=dtype)
    _complete("_zeros", shape)
    return _zeros(shape, ctx=ctx, dtype=dtype, stype=stype, **kwargs)


def ones(shape, ctx=None, dtype=None, **kwargs) -> NDArray:
    """An array of ones (float32 by default); () and 0 sizes need np_shape, as MXNet 1.x."""
    _complete("_ones", shape)
    return _ones(shape, ctx=ctx, dtype=dtype, **kwargs)


@legacy_op("_full", inputs=())
def full(shape, val=0.0, ctx=None, dtype=None, out=None, value=None):
    """An array filled with ``val`` (float32 by default; ``value`` is the symbol files' name)."""
    return np.full(_shape(shape), val if value is None else value, dtype=dtype or _F32, ctx=ctx)


def empty(shape, ctx=None, dtype=None, stype=None) -> NDArray:
    """An uninitialised array (float32 by default); zeros for sparse ``stype``."""
    if stype not in (None, "default"):
        return sparse.empty(stype, shape, ctx=ctx, dtype=dtype)
    return to_nd(np.empty(_shape(shape), dtype=dtype or _F32, ctx=ctx))


@legacy_op("_arange", inputs=())
def arange(start, stop=None, step=1.0, repeat=1, infer_range=None, ctx=None, dtype=_F32):
    """Evenly spaced values in [start, stop), each repeated ``repeat`` times (float32)."""
    out = np.arange(start, stop, step, dtype=dtype or _F32, ctx=ctx)
    return np.repeat(out, int(repeat)) if repeat != 1 else out


@legacy_op("_eye", inputs=())
def eye(N, M=0, k=0, ctx=None, dtype=_F32, **kwargs):
    """An N x M array with ones on the k-th diagonal (M=0: square)."""
    return np.eye(N, M or None, k, dtype=dtype or _F32, ctx=ctx)


@legacy_op("_linspace", inputs=())
def linspace(start, stop, num, endpoint=True, ctx=None, dtype=_F32):
    """``num`` evenly spaced values from start to stop (float32)."""
    return np.linspace(start, stop, num, endpoint=endpoint, dtype=dtype or _F32, ctx=ctx)


# MXNet's zeros_like/ones_like have a zero gradient: recorded, a backward through them gives
# the input zeros (not "not in a computational graph")
_zeros_like = Primitive("zeros_like", lambda xp, x: xp.zeros_like(x),
                        (lambda g, ans, x: _ops_zeros_like(x),), register=False)
_ones_like = Primitive("ones_like", lambda xp, x: xp.ones_like(x),
                       (lambda g, ans, x: _ops_zeros_like(x),), register=False)


@legacy_op("zeros_like")
def zeros_like(data):
    """Zeros of ``data``'s shape and dtype."""
    return _zeros_like(data)


@legacy_op("ones_like")
def ones_like(data):
    """Ones of ``data``'s shape and dtype."""
    return _ones_like(data)

