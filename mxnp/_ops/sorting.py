"""Sorting, searching and set ops: sort, argsort, partition, lexsort, searchsorted, unique,
isin and the *1d set functions.

``sort`` and ``partition`` are gathers through their arg-versions (``take_along_axis``), so
their gradient scatters back through the permutation, as MXNet's does. The rest return indices
(int64), masks or set values and are never recorded.
"""
from __future__ import annotations

from .. import _dtypes
from .._ndarray import ndarray
from ..base import OpError
from .checks import require_array
from .gather import take_along_axis
from .ordering import mxnet_order, stable_order
from .primitive import Primitive
from .shape import reshape

_KINDS = (None, "quicksort", "mergesort", "heapsort", "stable")


def _check_sort_args(name, kind, order, kinds=_KINDS):
    if order is not None:
        raise NotImplementedError(f"{name}: order= (sorting structured arrays by field) is not "
                                  "supported")
    if kind not in kinds:
        raise OpError(f"{name}: kind must be one of {kinds[1:]}, got {kind!r}")


def _int64(out):
    return out.astype(_dtypes.INDEX, copy=False)


def _argsort_forward(xp, a, axis, stable):
    if stable:
        return _int64(stable_order(xp, a, axis, True))
    return mxnet_order(xp, a, axis, a.shape[axis], is_ascend=True)


_argsort = Primitive("argsort", _argsort_forward)


def _sort_axis(name, a, axis):
    require_array(name, a)
    if axis is None:
        return reshape(a, (-1,)), -1
    if not -a.ndim <= axis < a.ndim:
        raise OpError(f"{name}: axis {axis} is out of bounds for array of dimension {a.ndim}")
    return a, axis % a.ndim


def argsort(a, axis=-1, kind=None, order=None, *, stable=None):
    """Ties (and NaN) in MXNet's order, whatever ``kind`` says (``_ops/ordering.py``);
    ``stable=True`` (NumPy 2's keyword, not MXNet's) keeps ties in their order."""
    _check_sort_args("argsort", kind, order)
    a, axis = _sort_axis("argsort", a, axis)
    return _argsort(a, axis=axis, stable=bool(stable))


def sort(a, axis=-1, kind=None, order=None, *, stable=None):
    """Gradient: the cotangent scattered back through the sorting permutation (MXNet's, as
    ``argsort``'s)."""
    _check_sort_args("sort", kind, order)
    a, axis = _sort_axis("sort", a, axis)
    return take_along_axis(a, _argsort(a, axis=axis, stable=bool(stable)), axis)


def msort(a):
    """``sort(a, axis=0)`` (NumPy 2 dropped the name; MXNet has it)."""
    return sort(a, axis=0)


def _argpartition_forward(xp, a, kth, axis):
    return _int64(xp.argpartition(a, kth, axis=axis))


_argpartition = Primitive("argpartition", _argpartition_forward)


def argpartition(a, kth, axis=-1, kind="introselect", order=None):
    _check_sort_args("argpartition", kind, order, (None, "introselect"))
    if axis is None:
        a, axis = reshape(a, (-1,)), -1
    return _argpartition(a, kth=kth, axis=axis)


def partition(a, kth, axis=-1, kind="introselect", order=None):
    """A gather through ``argpartition``: differentiable, unlike MXNet's NumPy fallback."""
    _check_sort_args("partition", kind, order, (None, "introselect"))
    if axis is None:
        a, axis = reshape(a, (-1,)), -1
    return take_along_axis(a, _argpartition(a, kth=kth, axis=axis), axis)


_lexsort = Primitive("lexsort", lambda xp, *keys, axis=-1: _int64(xp.lexsort(keys, axis=axis)))


def lexsort(keys, axis=-1):
    """Sorts by the last key first; ``keys`` is a sequence of arrays or one 2-D+ array."""
    if isinstance(keys, ndarray):
        if keys.ndim == 0:
            raise OpError("lexsort: need sequence of keys with len > 0 in lexsort")
        keys = [keys[i] for i in range(keys.shape[0])]
    if not isinstance(keys, (list, tuple)) or not keys:
        raise OpError("lexsort: need sequence of keys with len > 0 in lexsort")
    return _lexsort(*keys, axis=axis)


def _searchsorted_forward(xp, a, v, sorter=None, side="left"):
    if a.ndim != 1:
        raise ValueError(f"a must be 1-D, got {a.ndim}-D")
    if sorter is not None and not _dtypes.is_integer(sorter.dtype):
        raise TypeError("sorter must only contain integers")
    return _int64(xp.asarray(xp.searchsorted(a, v, side=side, sorter=sorter)))


_searchsorted = Primitive("searchsorted", _searchsorted_forward)


def searchsorted(a, v, side="left", sorter=None):
    """Through ``np``, a scalar ``v`` gives a NumPy int64, as NumPy and MXNet."""
    if side not in ("left", "right"):
        raise OpError(f"searchsorted: side must be 'left' or 'right', got {side!r}")
    return _searchsorted(*((a, v) if sorter is None else (a, v, sorter)), side=side)


def _unique_forward(xp, ar, return_index, return_inverse, return_counts, axis, equal_nan):
    out = xp.unique(ar, return_index=return_index, return_inverse=return_inverse,
                    return_counts=return_counts, axis=axis, equal_nan=equal_nan)
    if not isinstance(out, tuple):
        return out
    values, *rest = out
    rest = [_int64(r) for r in rest]
    if return_inverse and axis is None:  # MXNet 1.9.1 (NumPy 1.x): a flat inverse
        i = 1 if return_index else 0
        rest[i] = rest[i].reshape(-1)
    return (values, *rest)


_unique = Primitive("unique", _unique_forward)


def unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None, *,
           equal_nan=True):
    """Differs from NumPy 2: with axis=None the inverse is flat (MXNet, NumPy 1.x)."""
    out = _unique(ar, return_index=bool(return_index), return_inverse=bool(return_inverse),
                  return_counts=bool(return_counts), axis=axis, equal_nan=equal_nan)
    return tuple(out) if isinstance(out, list) else out


# ---- set membership and the *1d set functions ------------------------------------------------
def _isin_forward(xp, element, test_elements, assume_unique=False, invert=False, kind=None):
    return xp.isin(element, test_elements, assume_unique=assume_unique, invert=invert, kind=kind)


_isin = Primitive("isin", _isin_forward)


def isin(element, test_elements, assume_unique=False, invert=False, *, kind=None):
    return _isin(element, test_elements, assume_unique=assume_unique, invert=invert, kind=kind)


def in1d(ar1, ar2, assume_unique=False, invert=False, *, kind=None):
    """``isin(ar1, ar2).ravel()`` (NumPy 2 dropped the name; MXNet has it)."""
    return reshape(isin(ar1, ar2, assume_unique, invert, kind=kind), (-1,))


def _intersect_forward(xp, ar1, ar2, assume_unique=False, return_indices=False):
    out = xp.intersect1d(ar1, ar2, assume_unique=assume_unique, return_indices=return_indices)
    return (out[0], _int64(out[1]), _int64(out[2])) if return_indices else out


_intersect1d = Primitive("intersect1d", _intersect_forward)
_setdiff1d = Primitive("setdiff1d", lambda xp, ar1, ar2, assume_unique=False: xp.setdiff1d(
    ar1, ar2, assume_unique=assume_unique))
_setxor1d = Primitive("setxor1d", lambda xp, ar1, ar2, assume_unique=False: xp.setxor1d(
    ar1, ar2, assume_unique=assume_unique))
_union1d = Primitive("union1d", lambda xp, ar1, ar2: xp.union1d(ar1, ar2))


def intersect1d(ar1, ar2, assume_unique=False, return_indices=False):
    out = _intersect1d(ar1, ar2, assume_unique=assume_unique,
                       return_indices=bool(return_indices))
    return tuple(out) if isinstance(out, list) else out


def setdiff1d(ar1, ar2, assume_unique=False):
    return _setdiff1d(ar1, ar2, assume_unique=assume_unique)


def setxor1d(ar1, ar2, assume_unique=False):
    return _setxor1d(ar1, ar2, assume_unique=assume_unique)


def union1d(ar1, ar2):
    return _union1d(ar1, ar2)
