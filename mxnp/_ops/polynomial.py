"""Polynomials on coefficient arrays (highest power first), as NumPy's ``poly*`` functions.

MXNet 1.9.1 runs all of these but ``polyval`` through NumPy (its fallback), so NumPy's result
dtypes are the specification here: an int and a float32 polynomial add to float64. Most are
composites of our ops and so have gradients; ``roots``, ``polyfit`` and ``poly`` of a matrix
go through NumPy's (or CuPy's) own routines and have none. Where NumPy's output shape depends
on the data (leading zeros trimmed by ``polymul`` and ``polydiv``), the count is read on the
host: one small sync, which that shape makes unavoidable.
"""
from __future__ import annotations

import operator

import numpy as onp

from .. import _dtypes
from .._ndarray import ndarray
from ..base import OpError
from .checks import is_array
from .creation import arange, array, astype, ones, zeros, zeros_like
from .linalg.products import matmul
from .primitive import Primitive
from .shape import concatenate, reshape, stack


def as_arrays(name: str, *args) -> list:
    """mxnp arrays for the arguments, all on the device of the first mxnp array among them.

    Lists, numbers and NumPy arrays become arrays of NumPy's dtype (float64 for ``[1., 2.]``),
    as in MXNet, whose NumPy fallback reads them with NumPy.
    """
    device = next((a._device for a in args if is_array(a)), None)
    out = []
    for a in args:
        if not is_array(a):
            raw = onp.asarray(a)
            if not _dtypes.is_real(raw.dtype):
                raise TypeError(f"{name}: expected an mxnp ndarray or numeric data, got "
                                f"{type(a).__name__} of dtype {raw.dtype}")
            a = array(raw, ctx=device)  # None: the current device
        out.append(a)
    return out


def _vector(name: str, a: ndarray, what: str = "input") -> ndarray:
    """``a`` as a 1-D array (NumPy's atleast_1d); more dimensions are an error."""
    if a.ndim == 0:
        return reshape(a, (1,))
    if a.ndim != 1:
        raise OpError(f"{name}: {what} must be a 1-D array of coefficients, got shape {a.shape}")
    return a


def _common(name: str, a1, a2) -> tuple:
    """Two 1-D coefficient arrays cast to NumPy's result dtype for them."""
    a1, a2 = (_vector(name, a) for a in as_arrays(name, a1, a2))
    rt = onp.result_type(a1.dtype, a2.dtype)
    return astype(a1, rt, copy=False), astype(a2, rt, copy=False)


def _pad_front(a: ndarray, n: int) -> ndarray:
    if n <= 0:
        return a
    return concatenate([zeros((n,), dtype=a.dtype, ctx=a._device), a])


def _leading_zeros(a: ndarray, atol: float = 0.0) -> int:
    """How many leading coefficients are zero (|c| <= atol), keeping at least one (host read)."""
    small = onp.abs(a.asnumpy()) <= atol
    lead = int(onp.argmin(small)) if not small.all() else a.shape[0]
    return min(lead, a.shape[0] - 1)


def polyval(p, x):
    """Differs from MXNet: mixed dtypes and non-array arguments follow NumPy (MXNet raises)."""
    p, x = as_arrays("polyval", p, x)
    if p.ndim != 1:
        raise OpError(f"polyval: p has to be a 1-D array, got shape {p.shape}")
    rt = onp.result_type(p.dtype, x.dtype)
    p, x = astype(p, rt, copy=False), astype(x, rt, copy=False)
    y = zeros_like(x)
    for i in range(p.shape[0]):  # Horner's rule, as NumPy: stabler than summing powers
        y = y * x + p[i]
    return y


def vander(x, N=None, increasing=False):
    x = as_arrays("vander", x)[0]
    if x.ndim != 1:
        raise OpError(f"vander: x must be a one-dimensional array, got shape {x.shape}")
    n = x.shape[0] if N is None else operator.index(N)
    if n < 0:
        raise OpError(f"vander: N must be non-negative, got {n}")
    # NumPy's dtype: promote_types(x.dtype, int), so float32 gives float64
    x = astype(x, onp.promote_types(x.dtype, onp.int64), copy=False)
    if n == 0:
        return zeros((x.shape[0], 0), dtype=x.dtype, ctx=x._device)
    cols = [ones(x.shape, dtype=x.dtype, ctx=x._device)]
    for _ in range(1, n):  # repeated products, not x ** k: exact for ints, and d x^0 = 0 at 0
        cols.append(cols[-1] * x)
    return stack(cols if increasing else cols[::-1], axis=1)


def polyadd(a1, a2):
    a1, a2 = _common("polyadd", a1, a2)
    n = a2.shape[0] - a1.shape[0]
    return _pad_front(a1, n) + _pad_front(a2, -n)


def polysub(a1, a2):
    a1, a2 = _common("polysub", a1, a2)
    n = a2.shape[0] - a1.shape[0]
    return _pad_front(a1, n) - _pad_front(a2, -n)


def _trimmed(a: ndarray) -> ndarray:
    """NumPy's poly1d(a): leading zeros dropped, an empty polynomial read as [0]."""
    if a.shape[0] == 0:
        return zeros((1,), dtype=a.dtype, ctx=a._device)
    lead = _leading_zeros(a)
    return a[lead:] if lead else a


def polymul(a1, a2):
    """The product's coefficients: a Toeplitz matrix of ``a2`` times ``a1`` (a convolution)."""
    a1, a2 = (_trimmed(a) for a in _common("polymul", a1, a2))
    n1, n2 = a1.shape[0], a2.shape[0]
    k = onp.arange(n1 + n2 - 1)[:, None] - onp.arange(n1)  # row k, column j reads a2[k - j]
    k = onp.where((k >= 0) & (k < n2), k, n2)  # outside a2: the zero appended below
    toeplitz = concatenate([a2, zeros((1,), dtype=a2.dtype, ctx=a2._device)])[k]
    return matmul(toeplitz, a1)


def _float(a: ndarray) -> ndarray:
    """NumPy's ``a + 0.0``: integers and bools become float64, floats keep their dtype."""
    return a if a._data.dtype.kind in "fc" else astype(a, onp.float64)


def polydiv(u, v):
    """Quotient and remainder by long division, as NumPy (leading remainder zeros trimmed)."""
    u, v = (_float(_vector("polydiv", a)) for a in as_arrays("polydiv", u, v))
    rt = onp.result_type(u.dtype, v.dtype)
    u, v = astype(u, rt, copy=False), astype(v, rt, copy=False)
    m, n = u.shape[0] - 1, v.shape[0] - 1
    if n < 0 or m < 0:
        raise OpError("polydiv: u and v must not be empty")
    scale = 1.0 / v[0]
    r, q = u, []
    for k in range(m - n + 1):
        d = scale * r[k]
        q.append(d)
        parts = [r[:k], r[k:k + n + 1] - d * v, r[k + n + 1:]]
        r = concatenate([part for part in parts if part.shape[0]])
    q = stack(q) if q else zeros((1,), dtype=rt, ctx=u._device)
    # NumPy drops leading remainder terms within allclose(.., 0, rtol=1e-14) of zero
    return q, r[_leading_zeros(r, atol=1e-8):]


def polyint(p, m=1, k=None):
    """Differs from NumPy: p's gradient flows, and k's when k is an mxnp array."""
    m = operator.index(m)
    if m < 0:
        raise OpError(f"polyint: order of integral must be positive (see polyder), got {m}")
    p = as_arrays("polyint", p)[0]
    if m == 0:
        return p
    p = _vector("polyint", p, "p")
    k = _vector("polyint", _float(as_arrays("polyint", 0.0 if k is None else k, p)[0]), "k")
    if k.shape[0] == 1 and m > 1:
        k = concatenate([k] * m)
    if k.shape[0] < m:
        raise OpError(f"polyint: k must be a scalar or a rank-1 array of length 1 or >= m={m}, "
                      f"got length {k.shape[0]}")
    for i in range(m):  # each pass divides by the new powers and appends the constant k[i]
        powers = arange(p.shape[0], 0, -1, dtype=onp.float64, ctx=p._device)
        p = concatenate([astype(p, onp.result_type(p.dtype, onp.float64), copy=False) / powers,
                         k[i:i + 1]])
    return p


def _roots_forward(xp, p):
    if p.ndim != 1:
        raise ValueError(f"input must be a rank-1 array, got shape {p.shape}")
    out = xp.roots(p)
    if out.dtype.kind == "c":  # MXNet holds no complex numbers; it raises here too
        raise ValueError("the roots are complex, and mxnp arrays are real")
    return out


_roots = Primitive("roots", _roots_forward)


def roots(p):
    """Differs from NumPy: complex roots raise an error (MXNet raises too)."""
    return _roots(as_arrays("roots", p)[0])


_poly_matrix = Primitive("poly", lambda xp, a: xp.poly(a))


def poly(seq_of_zeros):
    """Differs from NumPy: a matrix argument has no gradient."""
    a = as_arrays("poly", seq_of_zeros)[0]
    if a.ndim == 2 and a.shape[0] == a.shape[1] and a.shape[0]:
        return _poly_matrix(a)  # the characteristic polynomial, from the eigenvalues
    if a.ndim != 1:
        raise OpError(f"poly: input must be 1d or non-empty square 2d array, got shape "
                      f"{a.shape}")
    if a.shape[0] == 0:
        return 1.0  # NumPy's and MXNet's answer for no zeros: a Python float
    dt = onp.dtype(onp.float32 if a.dtype == onp.float32 else onp.float64)  # mintypecode
    a = astype(a, dt, copy=False)
    c = ones((1,), dtype=dt, ctx=a._device)
    zero = zeros((1,), dtype=dt, ctx=a._device)
    for i in range(a.shape[0]):  # times (x - z): x c(x) - z c(x), coefficient by coefficient
        c = concatenate([c, zero]) - a[i] * concatenate([zero, c])
    return c


def _polyfit_forward(xp, x, y, w, deg, rcond, full, cov):
    return xp.polyfit(x, y, deg, rcond=rcond, full=full, w=w, cov=cov)


_polyfit = Primitive("polyfit", _polyfit_forward)


def polyfit(x, y, deg, rcond=None, full=False, w=None, cov=False):
    """Least squares fit. No gradient. ``full=True`` gives rank and rcond as NumPy scalars."""
    x, y = as_arrays("polyfit", x, y)
    w = None if w is None else as_arrays("polyfit", w, x)[0]
    out = _polyfit(x, y, w, deg=operator.index(deg), rcond=rcond, full=full, cov=cov)
    if not full:
        return tuple(out) if cov else out
    coef, residuals, rank, sv, rc = out  # MXNet passes NumPy's scalars through unwrapped
    return coef, residuals, onp.int32(rank.item()), sv, onp.float64(rc.item())
