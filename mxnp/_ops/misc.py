"""Window functions, dtype queries, reading text files, functions applied along axes, and the
financial functions that NumPy removed.
"""
from __future__ import annotations

import builtins
import bz2
import gzip
import operator
import os

import numpy as onp

from .. import _dtypes
from .._ndarray import ndarray
from ..base import OpError
from .creation import _make, array
from .polynomial import as_arrays
from .shape import expand_dims, reshape, split, stack, transpose


# ---- windows: MXNet makes them float32 unless told otherwise --------------------------------
def _window(name, coeffs, M, dtype, ctx, device) -> ndarray:
    try:
        M = operator.index(M)
    except TypeError as e:
        raise TypeError(f"{name}: M must be an integer, got {type(M).__name__}") from e
    dt = onp.dtype(onp.float32 if dtype is None else dtype)
    if dt == onp.float32:
        return _make(name, lambda xp: _cosine_sum32(xp, M, *coeffs), ctx, device)
    return _make(name, lambda xp: getattr(xp, name)(M).astype(dt, copy=False), ctx, device)


def _cosine_sum32(xp, m, a0, a1, a2):
    """a0 - a1 cos(2 pi i / (m-1)) + a2 cos(4 pi i / (m-1)) in float32 arithmetic, as MXNet's
    kernel computes it (NumPy computes in float64: 0.75 where MXNet has 0.74999994)."""
    if m < 2:
        return xp.ones(builtins.max(m, 0), dtype=onp.float32)
    i, f32 = xp.arange(m, dtype=onp.float32), onp.float32
    out = f32(a0) - f32(a1) * _cos32(xp, f32(2 * onp.pi) * i / f32(m - 1))
    return out + f32(a2) * _cos32(xp, f32(4 * onp.pi) * i / f32(m - 1)) if a2 else out


def _cos32(xp, t):
    # cosf, near enough: the float64 cosine rounded (see elementwise._float_math)
    return xp.cos(t.astype(onp.float64)).astype(onp.float32)


def blackman(M, dtype=None, ctx=None, device=None) -> ndarray:
    """Differs from NumPy: float32 unless ``dtype`` says otherwise (MXNet's default)."""
    return _window("blackman", (0.42, 0.5, 0.08), M, dtype, ctx, device)


def hamming(M, dtype=None, ctx=None, device=None) -> ndarray:
    """Differs from NumPy: float32 unless ``dtype`` says otherwise (MXNet's default)."""
    return _window("hamming", (0.54, 0.46, 0.0), M, dtype, ctx, device)


def hanning(M, dtype=None, ctx=None, device=None) -> ndarray:
    """Differs from NumPy: float32 unless ``dtype`` says otherwise (MXNet's default)."""
    return _window("hanning", (0.5, 0.5, 0.0), M, dtype, ctx, device)


# ---- dtype queries: NumPy dtypes, as MXNet (which re-exports NumPy's functions) -------------
def _dtype_query(name, fn, *args):
    try:
        return fn(*args)
    except (TypeError, ValueError) as e:
        raise type(e)(f"{name}: {e}") from e


def result_type(*arrays_and_dtypes) -> onp.dtype:
    """Differs from MXNet 1.9.1: mxnp arrays count by their dtype (MXNet raises TypeError)."""
    args = [a.dtype if isinstance(a, ndarray) else a for a in arrays_and_dtypes]
    return _dtype_query("result_type", onp.result_type, *args)


def promote_types(type1, type2) -> onp.dtype:
    return _dtype_query("promote_types", onp.promote_types, type1, type2)


def min_scalar_type(a) -> onp.dtype:
    """Differs from MXNet 1.9.1: mxnp arrays are accepted (MXNet raises TypeError)."""
    if isinstance(a, ndarray):
        if a.ndim:  # NumPy looks at the value of 0-d arrays only
            return a.dtype
        a = a.asnumpy()
    return _dtype_query("min_scalar_type", onp.min_scalar_type, a)


# ---- genfromtxt --------------------------------------------------------------------------
def _open_local(fname, encoding):
    """A local file (``.gz``/``.bz2`` decompressed); unlike NumPy's, never a URL."""
    path = os.fsdecode(fname)
    opener = {".gz": gzip.open, ".bz2": bz2.open}.get(os.path.splitext(path)[1], open)
    return opener(path, "rt", encoding=encoding)


def _read_table(fname, encoding, **kwargs) -> onp.ndarray:
    if isinstance(fname, (str, bytes, os.PathLike)):
        with _open_local(fname, encoding) as f:
            return onp.genfromtxt(f, encoding=encoding, **kwargs)
    return onp.genfromtxt(fname, encoding=encoding, **kwargs)  # file object or list of lines


def genfromtxt(fname, dtype=float, comments="#", delimiter=None, skip_header=0, skip_footer=0,
               converters=None, missing_values=None, filling_values=None, usecols=None,
               autostrip=False, unpack=None, invalid_raise=True, max_rows=None, encoding=None,
               *, ndmin=0, ctx=None, device=None):
    """Differs from NumPy: numeric data only (no names, masks or structured dtypes); a file
    name is read from local disk only."""
    kwargs = dict(dtype=dtype, comments=comments, delimiter=delimiter, skip_header=skip_header,
                  skip_footer=skip_footer, converters=converters, missing_values=missing_values,
                  filling_values=filling_values, usecols=usecols, autostrip=autostrip,
                  invalid_raise=invalid_raise, max_rows=max_rows, ndmin=ndmin)
    try:
        data = _read_table(fname, encoding, **kwargs)
    except OSError as e:  # a missing file stays FileNotFoundError, with the function named
        raise type(e)(f"genfromtxt: cannot read {fname!r}: {e}") from e
    except (ValueError, TypeError, UnicodeDecodeError, EOFError) as e:
        raise OpError(f"genfromtxt: cannot read {fname!r}: {e}") from e
    if not _dtypes.is_real(data.dtype):
        raise TypeError(f"genfromtxt: the data read as {data.dtype}; only numeric data fits "
                        "an mxnp array (choose a numeric dtype or usecols)")
    result = array(data, ctx=ctx, device=device)
    return transpose(result) if unpack else result


# ---- functions applied along axes --------------------------------------------------------
def _as_result(name, res) -> ndarray:
    return res if isinstance(res, ndarray) else as_arrays(name, res)[0]


def apply_along_axis(func1d, axis, arr, *args, **kwargs):
    """Differs from MXNet: func1d gets mxnp 1-D arrays (MXNet hands it NumPy arrays), so a
    func1d made of np functions is differentiated through."""
    arr = as_arrays("apply_along_axis", arr)[0]
    if arr.ndim == 0:
        raise OpError("apply_along_axis: arr must have at least one dimension")
    axis = operator.index(axis)
    if not -arr.ndim <= axis < arr.ndim:
        raise OpError(f"apply_along_axis: axis {axis} is out of bounds for an array of "
                      f"dimension {arr.ndim}")
    axis %= arr.ndim
    order = [i for i in range(arr.ndim) if i != axis] + [axis]
    moved = transpose(arr, order)
    outer, length = moved.shape[:-1], moved.shape[-1]
    count = int(onp.prod(outer, dtype=onp.int64))
    if count == 0:
        raise OpError("apply_along_axis: cannot apply when any iteration dimension is 0 "
                      f"(array shape {arr.shape})")
    # one split (one node) rather than one getitem per row: the backward is a single concat
    rows = split(reshape(moved, (count, length)), count) if count > 1 else [moved]
    results = [_as_result("apply_along_axis",
                          func1d(reshape(r, (length,)), *args, **kwargs)) for r in rows]
    shapes = {r.shape for r in results}
    if len(shapes) != 1:
        raise OpError(f"apply_along_axis: func1d returned arrays of different shapes {shapes}")
    res_shape = results[0].shape
    out = reshape(stack(results), outer + res_shape)
    # NumPy puts the axes of func1d's result where `axis` was
    lead, nres = len(outer), len(res_shape)
    perm = list(range(axis)) + list(range(lead, lead + nres)) + list(range(axis, lead))
    return transpose(out, perm) if perm != list(range(len(perm))) else out


def apply_over_axes(func, a, axes):
    """``func(a, axis)`` axis after axis; a result that lost the axis gets it back as size 1.

    Differs from MXNet 1.9.1, where this raises an AssertionError for any input (a bug).
    """
    val = as_arrays("apply_over_axes", a)[0]
    ndim = val.ndim
    for axis in ([axes] if isinstance(axes, (int, onp.integer)) else axes):
        axis = axis + ndim if axis < 0 else axis
        res = _as_result("apply_over_axes", func(val, axis))
        if res.ndim != val.ndim:
            res = expand_dims(res, axis)
            if res.ndim != val.ndim:
                raise OpError("apply_over_axes: function is not returning an array of the "
                              f"correct shape (got {res.shape} for input {val.shape})")
        val = res
    return val


# ---- financial functions: gone from NumPy 1.20 (NEP 32); MXNet 1.9.1 raises for each -----
def _removed(name) -> RuntimeError:
    return RuntimeError(f"{name}: removed from NumPy in version 1.20 (NEP 32), and MXNet 1.9.1 "
                        "raises too; the numpy_financial package has it")


def mirr(values, finance_rate, reinvest_rate):
    raise _removed("mirr")


def npv(rate, values):
    raise _removed("npv")


def ppmt(rate, per, nper, pv, fv=0, when="end"):
    raise _removed("ppmt")


def pv(rate, nper, pmt, fv=0, when="end"):
    raise _removed("pv")


def rate(nper, pmt, pv, fv, when="end", guess=None, tol=None, maxiter=100):
    raise _removed("rate")
