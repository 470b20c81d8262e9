"""Gathers and index builders: take, take_along_axis, choose, compress, extract, select,
piecewise, argwhere, flatnonzero, unravel_index, the *_indices_from family, packbits.

Every differentiable gather here is ``getitem`` with an index array (or a composite of
``where``/``scatter``), so its gradient is indexing's scatter and second order comes free.
Index outputs are int64.
"""
from __future__ import annotations

import numpy as onp

from .. import _dtypes
from .._ndarray import ndarray
from ..base import OpError
from .checks import is_array, normalize_axis, require_array
from .creation import array, astype, full
from .elementwise import where
from .indexing import _scatter, getitem_prim, nonzero
from .primitive import Primitive, write_out
from .shape import broadcast_to, reshape, stack

_MODES = ("raise", "wrap", "clip")


def _xp(a: ndarray):
    return a._device.xp


def _as_array(name: str, a, like: ndarray = None) -> ndarray:
    """``a`` as an mxnp array: lists and numbers become arrays on ``like``'s device."""
    if is_array(a):
        return a
    if isinstance(a, (list, tuple, int, float, bool, onp.ndarray, onp.generic)):
        raw = onp.asarray(a)  # keep NumPy's dtype for index data: [0, 2] is int64
        return array(raw, ctx=None if like is None else like._device)
    return require_array(name, a, None)


# ---- index arithmetic (never recorded) -------------------------------------------------------
def _index_forward(negatives_wrap: bool):
    """int64 indices for an axis of size ``n``: floats truncate (MXNet), bools count as 0/1.

    Under 'raise', take wraps negative indices once (as NumPy does) and choose refuses them.
    """
    return lambda xp, idx, n, mode: _checked_index(xp, idx, n, mode, -n if negatives_wrap else 0)


def _checked_index(xp, idx, n, mode, low):
    if not _dtypes.is_real(idx.dtype):
        raise TypeError(f"indices must be integers, got dtype {idx.dtype}")
    idx = idx.astype(_dtypes.INDEX)
    if mode == "wrap":
        return idx % n if n else idx
    if mode == "clip":
        return xp.clip(idx, 0, max(n - 1, 0))
    bad = (idx < low) | (idx >= n)
    if bad.any():  # the one host read: MXNet checks its indices too
        raise IndexError(f"index {int(idx[bad][0])} is out of bounds for size {n}")
    return idx


# named after the public function, for its error messages; kept out of OPS (not the gather)
_take_index = Primitive("take", _index_forward(True), register=False)
_choose_index = Primitive("choose", _index_forward(False), register=False)


def _mode(name, mode):
    if mode not in _MODES:
        raise OpError(f"{name}: mode must be one of {_MODES}, got {mode!r}")
    return mode


def take(a, indices, axis=None, out=None, mode="raise"):
    """Differs from MXNet: 'raise' accepts negative indices as NumPy does; floats truncate."""
    _mode("take", mode)
    if axis is None:
        a, axis = reshape(a, (-1,)), 0
    axis = normalize_axis(axis, a.ndim, "take")
    if a.shape[axis] == 0 and mode != "raise":
        raise IndexError("take: cannot do a non-empty take from an empty axis")
    idx = _take_index(_as_array("take", indices, a), n=a.shape[axis], mode=mode)
    key = (slice(None),) * axis + (idx._data,)
    return write_out(getitem_prim(a, key=key), out)


def _grid(xp, shape, axis, idx):
    """The fancy key that picks ``idx`` along ``axis`` and everything along the other axes."""
    nd = len(shape)
    return tuple(idx if i == axis else
                 xp.arange(n, dtype=_dtypes.INDEX).reshape((-1,) + (1,) * (nd - 1 - i))
                 for i, n in enumerate(shape))


def take_along_axis(arr, indices, axis):
    """Differs from MXNet: recorded, with a scatter-add gradient (MXNet falls back to NumPy)."""
    if not isinstance(indices, ndarray) or not _dtypes.is_integer(indices.dtype):
        raise IndexError("take_along_axis: `indices` must be an integer array")
    if axis is None:
        if indices.ndim != 1:
            raise OpError("take_along_axis: when axis=None, `indices` must be 1-D")
        arr, axis = reshape(arr, (-1,)), 0
    if indices.ndim != arr.ndim:
        raise OpError(f"take_along_axis: `indices` ({indices.ndim}-D) and `arr` ({arr.ndim}-D) "
                      "must have the same number of dimensions")
    axis = normalize_axis(axis, arr.ndim, "take_along_axis")
    return getitem_prim(arr, key=_grid(_xp(arr), arr.shape, axis, indices._data))


def choose(a, choices, out=None, mode="raise"):
    """Differentiable with respect to the choices."""
    _mode("choose", mode)
    a = _as_array("choose", a)
    if not _dtypes.is_index(a.dtype):
        raise TypeError(f"choose: the index array must be of integer dtype, got {a.dtype}")
    if isinstance(choices, ndarray):
        choices = [choices[i] for i in range(choices.shape[0])]
    if not choices:
        raise OpError("choose: choices must not be empty")
    choices = [c if isinstance(c, ndarray) else full((), c, ctx=a._device) for c in choices]
    try:
        shape = onp.broadcast_shapes(a.shape, *(c.shape for c in choices))
    except ValueError as e:
        raise OpError(f"choose: {e}") from e
    stacked = stack([broadcast_to(c, shape) for c in choices])
    idx = _choose_index(broadcast_to(a, shape), n=len(choices), mode=mode)
    key = (idx._data,) + _grid(_xp(a), shape, -1, None)
    return write_out(getitem_prim(stacked, key=key), out)


def compress(condition, a, axis=None, out=None):
    """``take(a, nonzero(condition)[0], axis)``, as NumPy computes it."""
    cond = _as_array("compress", condition, a)
    if cond.ndim != 1:
        raise OpError("compress: condition must be a 1-D array")
    return write_out(take(a, nonzero(cond)[0], axis=axis), out)


def extract(condition, arr):
    """The elements of ``arr`` where ``condition`` is nonzero, flattened."""
    cond = _as_array("extract", condition, arr)
    return take(reshape(arr, (-1,)), nonzero(reshape(cond, (-1,)))[0])


def select(condlist, choicelist, default=0):
    """The first true condition's choice per element (composite of ``where``)."""
    if len(condlist) != len(choicelist):
        raise OpError("select: list of cases must be same length as list of conditions")
    if not condlist:
        raise OpError("select: select with an empty condition list is not possible")
    for i, c in enumerate(condlist):
        if not isinstance(c, ndarray) or c.dtype != onp.bool_:
            raise TypeError(f"select: invalid entry {i} in condlist: should be boolean ndarray")
    result = default
    for cond, choice in zip(condlist[::-1], choicelist[::-1]):
        result = where(cond, choice, result)
    return result if isinstance(result, ndarray) else full((), result)


def piecewise(x, condlist, funclist, *args, **kw):
    """Differentiable: each function sees ``x[cond]``; its values are scattered back."""
    if isinstance(condlist, ndarray) and condlist.dtype == onp.bool_ and (
            condlist.ndim == 0 or condlist.shape == x.shape):
        condlist = [condlist]
    condlist = [_as_array("piecewise", c, x) for c in condlist]
    if len(funclist) not in (len(condlist), len(condlist) + 1):
        raise OpError(f"piecewise: with {len(condlist)} condition(s), either {len(condlist)} or "
                      f"{len(condlist) + 1} functions are expected")
    shape = x.shape
    if x.ndim == 0:  # nonzero refuses 0-d input
        x, condlist = reshape(x, (1,)), [reshape(c, (1,)) for c in condlist]
    conds = [broadcast_to(c.astype(bool), x.shape) for c in condlist]
    if len(funclist) == len(conds) + 1:  # the "otherwise" function
        conds.append(~_any_of(conds))
    y = full(x.shape, 0, dtype=x.dtype, ctx=x._device)
    for cond, func in zip(conds, funclist):
        if callable(func):
            key = tuple(i._data for i in nonzero(cond))
            vals = _as_array("piecewise", func(getitem_prim(x, key=key), *args, **kw), x)
            vals = _scatter(broadcast_to(vals, key[0].shape), key=key, shape=x.shape)
        else:
            vals = func
        y = where(cond, vals, y)
    if y.dtype != x.dtype:  # NumPy writes into zeros of x's dtype
        y = astype(y, x.dtype)
    return reshape(y, shape)


def _any_of(conds):
    out = conds[0]
    for c in conds[1:]:
        out = out | c
    return out


# ---- index builders (never recorded) ---------------------------------------------------------
def _int64(out):
    return out.astype(_dtypes.INDEX, copy=False)


_argwhere = Primitive("argwhere", lambda xp, a: _int64(xp.argwhere(a)))
_flatnonzero = Primitive("flatnonzero", lambda xp, a: _int64(xp.flatnonzero(a)))


def argwhere(a):
    return _argwhere(a)


def flatnonzero(a):
    return _flatnonzero(a)


def _unravel_forward(xp, indices, shape, order):
    if not _dtypes.is_integer(indices.dtype):
        raise TypeError("only int indices permitted")
    return tuple(_int64(i) for i in xp.unravel_index(indices, shape, order=order))


_unravel_index = Primitive("unravel_index", _unravel_forward)


def unravel_index(indices, shape, order="C"):
    """Differs from NumPy: a scalar index gives 0-d int64 arrays, not NumPy scalars."""
    shape = (shape,) if isinstance(shape, (int, onp.integer)) else tuple(shape)
    return tuple(_unravel_index(_as_array("unravel_index", indices), shape=shape, order=order))


def _diag_forward(xp, arr):
    if arr.ndim < 2 or len(set(arr.shape)) != 1:
        raise ValueError("input array must be at least 2-d and have all dimensions equal")
    i = xp.arange(arr.shape[0], dtype=_dtypes.INDEX)
    return (i,) * arr.ndim


def _triangle_forward(lower):
    def forward(xp, arr, k=0):
        if arr.ndim != 2:
            raise ValueError("input array must be 2-d")
        rows, cols = arr.shape
        ij = (xp.tril_indices if lower else xp.triu_indices)(rows, k, cols)
        return tuple(_int64(i) for i in ij)
    return forward


_diag_indices_from = Primitive("diag_indices_from", _diag_forward)
_tril_indices_from = Primitive("tril_indices_from", _triangle_forward(True))
_triu_indices_from = Primitive("triu_indices_from", _triangle_forward(False))


def diag_indices_from(arr):
    return tuple(_diag_indices_from(arr))


def tril_indices_from(arr, k=0):
    return tuple(_tril_indices_from(arr, k=k))


def triu_indices_from(arr, k=0):
    return tuple(_triu_indices_from(arr, k=k))


def _packbits_forward(xp, a, axis=None, bitorder="big"):
    if not _dtypes.is_index(a.dtype):
        raise TypeError("Expected an input array of integer or boolean data type")
    return xp.packbits(a, axis=axis, bitorder=bitorder)


def _unpackbits_forward(xp, a, axis=None, count=None, bitorder="big"):
    if a.dtype != onp.uint8:
        raise TypeError(f"Expected an input array of unsigned byte data type, got {a.dtype}")
    return xp.unpackbits(a, axis=axis, count=count, bitorder=bitorder)


_packbits = Primitive("packbits", _packbits_forward)
_unpackbits = Primitive("unpackbits", _unpackbits_forward)


def packbits(a, /, axis=None, bitorder="big"):
    return _packbits(a, axis=axis, bitorder=bitorder)


def unpackbits(a, /, axis=None, count=None, bitorder="big"):
    return _unpackbits(a, axis=axis, count=count, bitorder=bitorder)
