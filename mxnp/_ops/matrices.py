"""Diagonals and triangles (diag, diagflat, diagonal, tril, triu), and grids (meshgrid, indices,
ix_, logspace).

diagonal is a gather at (i, i + k) positions and diag of a vector the matching scatter, so each
one's rule is the other. tril and triu are primitives: a projection is its own adjoint.
"""
from __future__ import annotations

import operator

import numpy as onp

from .. import _dtypes
from .._ndarray import ndarray
from ..base import OpError
from .checks import normalize_axis, require_array
from .creation import arange, array, linspace, zeros
from .creation import copy as _copy
from .indexing import _scatter, nonzero, raw_key
from .manipulation import broadcast_arrays, ravel
from .primitive import Primitive
from .shape import _transpose, reshape, stack


# ---- diagonals -------------------------------------------------------------------------------
def diagonal(a, offset=0, axis1=0, axis2=1):
    """A copy of the diagonal (NumPy's is a read-only view), as the last axis."""
    a = require_array("diagonal", a, None)
    if a.ndim < 2:
        raise OpError(f"diagonal: array must be at least 2-d, got shape {a.shape}")
    ax1, ax2 = normalize_axis(axis1, a.ndim, "diagonal"), normalize_axis(axis2, a.ndim, "diagonal")
    if ax1 == ax2:
        raise OpError(f"diagonal: axis1 and axis2 cannot be the same, got {axis1} and {axis2}")
    offset = operator.index(offset)
    order = [i for i in range(a.ndim) if i not in (ax1, ax2)] + [ax1, ax2]
    x = _transpose(a, axes=tuple(order), copy=False)  # a view: the gather below copies
    rows, cols = x.shape[-2:]
    length = max(0, min(rows, cols - offset) if offset >= 0 else min(rows + offset, cols))
    i, j = onp.arange(length) + max(-offset, 0), onp.arange(length) + max(offset, 0)
    return x[..., i, j]


def _diag_matrix(v, k):
    """The square matrix with the 1-D ``v`` on its k-th diagonal, zeros elsewhere."""
    n, k = v.shape[0], operator.index(k)
    size = n + abs(k)
    key = (onp.arange(n) + max(-k, 0), onp.arange(n) + max(k, 0))
    return _scatter(v, key=raw_key(key, v._device.xp), shape=(size, size))


def diag(v, k=0):
    """The k-th diagonal of a 2-D array, or a 2-D array with the 1-D ``v`` on it."""
    v = require_array("diag", v, None)
    if v.ndim == 1:
        return _diag_matrix(v, k)
    if v.ndim == 2:
        return diagonal(v, k)
    raise OpError(f"diag: input must be 1- or 2-d, got shape {v.shape}")


def diagflat(v, k=0):
    return _diag_matrix(ravel(require_array("diagflat", v, None)), k)


def _matrix_arg(name, m):
    if require_array(name, m, None).ndim == 0:
        raise OpError(f"{name}: input must be at least 1-d, got a 0-d array")
    return m


_tril = Primitive("tril", lambda xp, x, k=0: xp.tril(x, k),
                  (lambda g, ans, x, k=0: _tril(g, k=k),), keep=())
_triu = Primitive("triu", lambda xp, x, k=0: xp.triu(x, k),
                  (lambda g, ans, x, k=0: _triu(g, k=k),), keep=())


def tril(m, k=0):
    """The lower triangle (on and below diagonal k), zeros elsewhere; 1-D m is broadcast to a
    square matrix first, as in NumPy."""
    return _tril(_matrix_arg("tril", m), k=operator.index(k))


def triu(m, k=0):
    """The upper triangle; as tril. Differs from MXNet 1.9.1, which has no np.triu."""
    return _triu(_matrix_arg("triu", m), k=operator.index(k))


# ---- grids -----------------------------------------------------------------------------------
def meshgrid(*xi, copy=True, sparse=False, indexing="xy"):
    """Coordinate arrays, as a list (MXNet's form).

    Differs from MXNet 1.9.1, which has neither: ``sparse=True`` and ``copy=False`` work as
    in NumPy (copy=False gives read-only broadcast arrays).
    """
    if indexing not in ("xy", "ij"):
        raise OpError(f"meshgrid: valid values for `indexing` are 'xy' and 'ij', got {indexing!r}")
    n = len(xi)
    out = []
    for i, x in enumerate(xi):
        shape = [1] * n
        shape[1 - i if indexing == "xy" and n > 1 and i < 2 else i] = -1
        out.append(reshape(require_array("meshgrid", x, None), tuple(shape)))
    if sparse:
        return out
    out = broadcast_arrays(*out)
    return [_copy(o) for o in out] if copy else out



def indices(dimensions, dtype=None, sparse=False, ctx=None, device=None):
    """Differs from NumPy: int32 by default (MXNet's default); ``sparse`` as in NumPy."""
    dims = tuple(operator.index(d) for d in dimensions)
    dt = onp.dtype(onp.int32) if dtype is None else _dtypes.as_dtype(dtype, "indices")
    grids = [reshape(arange(d, dtype=dt, ctx=ctx, device=device),
                     (1,) * i + (d,) + (1,) * (len(dims) - i - 1)) for i, d in enumerate(dims)]
    if sparse:
        return tuple(grids)
    if not dims:
        return zeros((0,), dtype=dt, ctx=ctx, device=device)
    return stack(broadcast_arrays(*grids), axis=0)


def ix_(*args):
    """Open-mesh index arrays, as mxnp arrays (MXNet gives NumPy arrays for Python data)."""
    out = []
    for k, a in enumerate(args):
        if not isinstance(a, ndarray):
            raw = onp.asarray(a)
            a = array(raw.astype(onp.int64) if raw.size == 0 else raw)
        if a.ndim != 1:
            raise OpError(f"ix_: cross index must be 1 dimensional, got shape {a.shape}")
        if a.dtype == onp.bool_:
            a = nonzero(a)[0]
        out.append(reshape(a, (1,) * k + (a.size,) + (1,) * (len(args) - k - 1)))
    return tuple(out)


def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0, ctx=None,
             device=None):
    """``base ** linspace(start, stop)``, computed in float64; float32 by default (MXNet)."""
    if num < 0:
        raise OpError(f"logspace: number of samples, {num}, must be non-negative")
    dt = _dtypes.requested(dtype, "logspace")
    y = linspace(start, stop, num, endpoint=endpoint, dtype=onp.float64, axis=axis, ctx=ctx,
                 device=device)
    return (base ** y).astype(dt)
