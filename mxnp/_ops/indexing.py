"""Indexing: ``x[key]`` with MXNet's view/copy rule, its scatter VJP, assignment, nonzero.

MXNet returns a view for basic indexing that keeps the data contiguous (``x[1]``, ``x[1:3]``,
``x[None]``, ``x[...]``) and new memory for everything else (``x[:, 1]``, ``x[::2]``, fancy and
boolean indexing).
"""
from __future__ import annotations

import numpy as onp

from .. import _backend, _dtypes
from .._ndarray import ndarray
from ..base import OpError
from .primitive import Primitive

_BASIC = (int, slice, type(None), type(Ellipsis), onp.integer)


def _index_part(part, xp):
    """One component of a key in raw form: ints, slices, None, ... and integer/bool arrays."""
    if isinstance(part, _BASIC) and not isinstance(part, bool):
        return part
    if isinstance(part, ndarray):
        part = part._data
        if part.ndim == 0 and _dtypes.is_truncated_index(part.dtype):
            # MXNet reads a 0-d number array as an integer: x[np.array(1)] is row 1, a view
            return int(part)
    elif isinstance(part, (list, tuple, range, bool, onp.bool_)):
        # a tuple or range inside the key (``x[(0, 2),]``, D2L's ``w[range(c), range(c)]``)
        # is an index array, as a list is
        part = onp.asarray(part, dtype=_dtypes.INDEX if isinstance(part, range) else None)
    elif isinstance(part, onp.ndarray) and xp is not onp:
        part = xp.asarray(part)
    if not hasattr(part, "dtype"):
        raise ValueError(f"NDArray does not support slicing with key {part} of type "
                         f"{type(part)}.")
    if _dtypes.is_real_float(part.dtype):  # MXNet accepts float index arrays and truncates them
        part = part.astype(_dtypes.INDEX)
    elif not _dtypes.is_index(part.dtype):
        raise ValueError(f"NDArray does not support slicing with an index array of dtype "
                         f"{part.dtype}.")
    return part


def raw_key(key, xp):
    """The key in the backend's terms."""
    if type(key) is int:  # the common key: one row (a data set's sample)
        return key
    if isinstance(key, tuple):
        return tuple(_index_part(k, xp) for k in key)
    return _index_part(key, xp)


def _is_basic(key) -> bool:
    if type(key) is int:
        return True
    parts = key if isinstance(key, tuple) else (key,)
    return all(isinstance(k, _BASIC) for k in parts)


def _getitem_forward(xp, x, key):
    out = x[key]
    if not isinstance(out, xp.ndarray):  # a full integer index: keep a 0-d view into x
        out = x[(key if isinstance(key, tuple) else (key,)) + (Ellipsis,)]
    if _is_basic(key) and not out.flags.c_contiguous:
        out = out.copy()  # MXNet's view is only for contiguous results
    return out


def _getitem_vjp(g, ans, x, key):
    return _scatter(g, key=key, shape=x.shape)


getitem_prim = Primitive("getitem", _getitem_forward, (_getitem_vjp,))


def _scatter_forward(xp, g, key, shape):
    """Zeros of ``shape`` with ``g`` added at ``key`` (repeated indices accumulate)."""
    out = xp.zeros(shape, g.dtype)
    if _is_basic(key):
        out[key] = g
    else:
        _backend.scatter_add(xp, out, key, g)
    return out


_scatter = Primitive("scatter", _scatter_forward,
                     (lambda g, ans, x, key, shape: getitem_prim(g, key=key),))


def getitem(x: ndarray, key) -> ndarray:
    device = x._device
    out = getitem_prim(x, key=raw_key(key, device.xp))
    if device is not device.result and out._data.flags.c_contiguous and \
            onp.may_share_memory(out._data, x._data):
        out._device = device  # a view stays in pinned/shared memory, as MXNet's
    return out


def selects_all(key, shape) -> bool:
    """Whether ``key`` is a basic index taking all of an array of ``shape`` in order (full
    slices and at most one Ellipsis: ``:``, ``...``, ``()``, ``0:n``)."""
    key = key if type(key) is tuple else (key,)
    if not all(type(k) is slice or k is Ellipsis for k in key):
        return False
    ellipses = [i for i, k in enumerate(key) if k is Ellipsis]
    if len(ellipses) > 1 or len(key) - len(ellipses) > len(shape):
        return False
    if ellipses:  # the slices after it stand for the last axes
        after = len(key) - ellipses[0] - 1
        dims = list(shape[:ellipses[0]]) + list(shape[len(shape) - after:] if after else [])
    else:
        dims = list(shape[:len(key)])
    slices = [k for k in key if k is not Ellipsis]
    return all(k.indices(d) == (0, d, 1) for k, d in zip(slices, dims))


def assign(x: ndarray, key, value) -> None:
    """``x[key] = value`` on the raw buffer; value is cast to x's dtype and broadcast."""
    xp = x._device.xp
    rk = raw_key(key, xp)
    if isinstance(value, ndarray):
        value = value._data if value._device is x._device else _backend.to_device(
            value._data, x._device)
    elif isinstance(value, (list, tuple)):
        value = onp.asarray(value)
    elif isinstance(value, (int, float)) and x._data.dtype.kind in "iu":
        # a number out of the integer dtype's range wraps as C casts it (MXNet: `u8[0] = -2.7`
        # is 254); NumPy 2 refuses it
        value = onp.asarray(value).astype(x.dtype)
    try:
        x._data[rk] = value
    except ValueError as e:
        trimmed = _without_extra_leading_ones(value, x._data[rk].ndim)
        if trimmed is not None:
            try:
                x._data[rk] = trimmed
                return
            except ValueError:
                pass
        raise OpError(f"__setitem__: {e} (array shape {x.shape})") from e


def _without_extra_leading_ones(value, ndim):
    """``value`` without the leading size-1 axes that pass the target's rank ``ndim``, or None
    where there are none. MXNet trims them before broadcasting, so ``a[2] = b`` takes a (1, 1)
    ``b`` (D2L's multistep predictions do this); NumPy 2 refuses a sized array for one element.
    """
    shape = onp.shape(value)
    lead = 0
    while len(shape) - lead > ndim and shape[lead] == 1:
        lead += 1
    return value.reshape(shape[lead:]) if lead else None


def _nonzero_forward(xp, x):
    # a 0-d array counts as one element (MXNet, and NumPy before 2.1, which refuses it)
    x = x.reshape(-1) if x.ndim == 0 else x
    return tuple(i.astype(_dtypes.INDEX, copy=False) for i in xp.nonzero(x))


_nonzero = Primitive("nonzero", _nonzero_forward)


def nonzero(a):
    """A tuple of int64 index arrays, one per dimension."""
    return tuple(_nonzero(a))

