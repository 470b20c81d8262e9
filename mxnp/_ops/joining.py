"""Joining and splitting: hstack, vstack, dstack, column_stack, array_split and the h/v/d splits,
insert, delete, append.

Composites of concatenate, split and gathers along an axis, whose rules give the gradients
(to ``values`` too, for insert and append).
"""
from __future__ import annotations

import operator

import numpy as onp

from .. import _dtypes
from .._ndarray import ndarray
from ..base import OpError
from .checks import normalize_axis, require_array
from .creation import array
from .manipulation import atleast_1d, atleast_2d, atleast_3d, moveaxis, named, ravel, take_along
from .shape import _sequence, broadcast_to, concatenate, split


# ---- stacking --------------------------------------------------------------------------------
def _join(name, arrays, axis, dtype=None, casting="same_kind"):
    if dtype is not None:
        dtype = onp.dtype(dtype)
        for a in arrays:
            if not onp.can_cast(a.dtype, dtype, casting):
                raise TypeError(f"{name}: cannot cast {a.dtype} to {dtype} under casting rule "
                                f"{casting!r}")
        arrays = [a.astype(dtype, copy=False) for a in arrays]
    with named(name):
        return concatenate(arrays, axis=axis)


def _listed(x):
    return x if isinstance(x, list) else [x]


def hstack(tup, *, dtype=None, casting="same_kind"):
    """Differs from MXNet: mixed dtypes promote as in concatenate (MXNet refuses them)."""
    arrays = _listed(atleast_1d(*_sequence("hstack", tup)))
    return _join("hstack", arrays, 0 if arrays[0].ndim == 1 else 1, dtype, casting)


def vstack(tup, *, dtype=None, casting="same_kind"):
    return _join("vstack", _listed(atleast_2d(*_sequence("vstack", tup))), 0, dtype, casting)


row_stack = vstack


def dstack(tup):
    return _join("dstack", _listed(atleast_3d(*_sequence("dstack", tup))), 2)


def column_stack(tup):
    """1-D arrays become columns; the others are joined along axis 1."""
    arrays = [a.reshape(-1, 1) if require_array("column_stack", a, None).ndim < 2 else a
              for a in _sequence("column_stack", tup)]
    return _join("column_stack", arrays, 1)


# ---- splitting -------------------------------------------------------------------------------
def array_split(ary, indices_or_sections, axis=0):
    """Like split, but ``n`` sections need not divide the axis: the first ones get one more."""
    ary = require_array("array_split", ary, None)
    n = ary.shape[normalize_axis(axis, ary.ndim, "array_split")]
    if isinstance(indices_or_sections, (int, onp.integer)):
        sections = int(indices_or_sections)
        if sections <= 0:
            raise OpError(f"array_split: number sections must be larger than 0, got {sections}")
        each, extra = divmod(n, sections)
        sizes = [each + 1] * extra + [each] * (sections - extra)
        indices_or_sections = tuple(onp.cumsum(sizes)[:-1].tolist())
    with named("array_split"):
        return split(ary, indices_or_sections, axis)


def _split_along(name, ary, indices_or_sections, axis, min_ndim):
    if require_array(name, ary, None).ndim < min_ndim:
        raise OpError(f"{name} only works on arrays of {min_ndim} or more dimensions")
    with named(name):
        return split(ary, indices_or_sections, axis)


def hsplit(ary, indices_or_sections):
    axis = 1 if require_array("hsplit", ary, None).ndim > 1 else 0
    return _split_along("hsplit", ary, indices_or_sections, axis, 1)


def vsplit(ary, indices_or_sections):
    return _split_along("vsplit", ary, indices_or_sections, 0, 2)


def dsplit(ary, indices_or_sections):
    return _split_along("dsplit", ary, indices_or_sections, 2, 3)


# ---- insert, delete, append ------------------------------------------------------------------
def _index_array(name, obj, n):
    """Integer positions from a slice, an int, a sequence, or an array (read to the host)."""
    if isinstance(obj, slice):
        return onp.arange(*obj.indices(n))
    if isinstance(obj, ndarray):
        obj = obj.asnumpy()  # the result's shape depends on the positions
    idx = onp.asarray(obj)
    if idx.size == 0 and not isinstance(obj, onp.ndarray):
        idx = idx.astype(onp.int64)  # an empty list holds no positions, not floats
    if not _dtypes.is_index(idx.dtype):
        raise TypeError(f"{name}: positions must be integers or booleans, got {idx.dtype}")
    if idx.ndim > 1:
        raise OpError(f"{name}: index array must be one dimensional or scalar, got shape "
                      f"{idx.shape}")
    return idx


def _values(arr, values):
    """``values`` as an array of ``arr``'s dtype on its device (a cast stays on the tape)."""
    if isinstance(values, ndarray):
        return values.astype(arr.dtype, copy=False)
    return array(onp.asarray(values), dtype=arr.dtype, ctx=arr.ctx)


def _flat_axis(name, arr, axis):
    if axis is None:
        return ravel(arr), 0
    return arr, normalize_axis(axis, arr.ndim, name)


def insert(arr, obj, values, axis=None):
    """Differs from MXNet: lists and boolean masks are accepted as ``obj`` (NumPy)."""
    arr, axis = _flat_axis("insert", require_array("insert", arr, None), axis)
    n, values = arr.shape[axis], _values(arr, values)
    idx = _index_array("insert", obj, n)
    if idx.dtype == bool:
        idx = onp.flatnonzero(idx)
    if idx.size == 1:  # one position takes a block of values (NumPy's own rule)
        index = int(idx.reshape(-1)[0])
        if not -n <= index <= n:
            raise IndexError(f"insert: index {index} is out of bounds for axis {axis} with "
                             f"size {n}")
        values = values.reshape((1,) * (arr.ndim - values.ndim) + values.shape)
        if idx.ndim == 0:  # a scalar position inserts values[i] as slice i along `axis`
            values = moveaxis(values, 0, axis)
        count = values.shape[axis]
        positions = onp.arange(count) + (index + n if index < 0 else index)
    else:
        if ((idx < -n) | (idx > n)).any():
            raise IndexError(f"insert: index {idx} is out of bounds for axis {axis} with "
                             f"size {n}")
        positions = onp.where(idx < 0, idx + n, idx)
        count = positions.size
        positions[onp.argsort(positions, kind="stable")] += onp.arange(count)
    target = arr.shape[:axis] + (count,) + arr.shape[axis + 1:]
    with named("insert"):
        joined = concatenate([arr, broadcast_to(values, target)], axis=axis)
    source = onp.empty(n + count, onp.int64)  # output position -> position in `joined`
    source[positions] = n + onp.arange(count)
    kept = onp.ones(n + count, bool)
    kept[positions] = False
    source[kept] = onp.arange(n)
    return take_along(joined, source, axis)


def delete(arr, obj, axis=None):
    """Positions in an ndarray outside [0, n) are skipped, as MXNet (an int or a list out of
    range raises). Differs from MXNet: lists are accepted, and a boolean mask deletes where it
    is True."""
    arr, axis = _flat_axis("delete", require_array("delete", arr, None), axis)
    n = arr.shape[axis]
    if isinstance(obj, ndarray) and obj._data.dtype.kind == "f":  # MXNet's delete reads float
        obj = obj.astype("int64")  # positions as integers (insert refuses them)
    idx = _index_array("delete", obj, n)
    if idx.dtype == bool:
        if idx.shape != (n,):
            raise OpError(f"delete: boolean mask must be one dimensional and match the axis "
                          f"length of {n}, got shape {idx.shape}")
        keep = ~idx
    else:
        if isinstance(obj, ndarray):  # MXNet skips positions outside [0, n), negative ones too
            idx = idx[(idx >= 0) & (idx < n)]
        elif ((idx < -n) | (idx >= n)).any():
            raise IndexError(f"delete: index {idx} is out of bounds for axis {axis} with "
                             f"size {n}")
        keep = onp.ones(n, bool)
        keep[idx] = False
    return take_along(arr, onp.flatnonzero(keep), axis)


def append(arr, values, axis=None):
    """``values`` joined after ``arr`` (both flattened when ``axis`` is None)."""
    arr = require_array("append", arr, None)
    if not isinstance(values, ndarray):
        values = array(onp.asarray(values), ctx=arr.ctx)
    if axis is None:
        arr, values, axis = ravel(arr), ravel(values), 0
    with named("append"):
        return concatenate([arr, values], axis=operator.index(axis))

