"""Covariance, correlation coefficients and 1-D cross-correlation: composites, so all three
have gradients. ``cov`` and ``corrcoef`` compute in float64, as NumPy and MXNet do."""
from __future__ import annotations

import builtins

import numpy as onp

from .. import _dtypes
from .._ndarray import ndarray
from ..base import OpError
from .checks import require_array
from .creation import astype, zeros
from .elementwise import clip, floor, sqrt
from .linalg.products import dot
from .reduction import sum
from .shape import concatenate, reshape, squeeze, transpose
from .statistics import average


def _as_rows(name, m, rowvar, dtype):
    """``m`` as a 2-D (variables, observations) array in the working float dtype."""
    x = require_array(name, m)
    if x.ndim > 2:
        raise OpError(f"{name}: m has more than 2 dimensions")
    dt = onp.result_type(x.dtype, onp.float64) if dtype is None else _dtypes.as_dtype(dtype, name)
    x = x if x.dtype == dt else astype(x, dt)
    x = reshape(x, (1, -1)) if x.ndim < 2 else x
    return transpose(x) if not rowvar and x.shape[0] != 1 else x


def cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, *,
        dtype=None):
    """Differs from NumPy: weights are not checked to be non-negative (that reads the data)."""
    x = _as_rows("cov", m, rowvar, dtype)
    if y is not None:
        x = concatenate([x, _as_rows("cov", y, rowvar, x.dtype)], axis=0)
    if ddof is None:
        ddof = 0 if bias else 1
    w = _frequency_weights(x, fweights, aweights)
    avg, w_sum = average(x, axis=1, weights=w, returned=True)
    if w is None:
        fact = builtins.max(x.shape[1] - ddof, 0)
    elif ddof == 0:
        fact = w_sum
    elif aweights is None:
        fact = w_sum - ddof
    else:
        fact = w_sum - ddof * sum(w * aweights) / w_sum
    centred = x - reshape(avg, (-1, 1))
    weighted = centred if w is None else centred * w
    return squeeze(dot(centred, transpose(weighted)) / fact)


def _frequency_weights(x, fweights, aweights):
    """The product of the given observation weights (None when neither is given)."""
    w = None
    for name, given in (("fweights", fweights), ("aweights", aweights)):
        if given is None:
            continue
        require_array("cov", given)
        if given.ndim != 1 or given.shape[0] != x.shape[1]:
            raise OpError(f"cov: {name} must be 1-D with one weight per observation, got "
                          f"shape {given.shape} for {x.shape[1]} observations")
        # whole float weights pass, as in MXNet and NumPy (MXNet's np.array([1, 2]) is
        # float32); checking reads the data back, as MXNet does
        if name == "fweights" and given._data.dtype.kind not in "iub" and not bool(
                (given == floor(given)).all()):
            raise TypeError("cov: fweights must be integer")
        given = astype(given, x.dtype)
        w = given if w is None else w * given
    return w


def corrcoef(x, y=None, rowvar=True, *, dtype=None):
    """Pearson correlation coefficients, clipped to [-1, 1] as NumPy does."""
    c = cov(x, y, rowvar, dtype=dtype)
    if c.ndim == 0:
        return c / c
    n = c.shape[0]
    stddev = sqrt(c[onp.arange(n), onp.arange(n)])
    c = c / reshape(stddev, (-1, 1)) / reshape(stddev, (1, -1))
    return clip(c, -1.0, 1.0)


def correlate(a, v, mode="valid"):
    """``c[k] = sum_n a[n + k] * v[n]`` for 1-D arrays, as NumPy (real data)."""
    for arr in (a, v):
        if not isinstance(arr, ndarray) or arr.ndim != 1:
            raise OpError("correlate: a and v must be 1-D mxnp arrays")
    n, m = a.shape[0], v.shape[0]
    if n == 0 or m == 0:
        raise OpError(f"correlate: {'a' if n == 0 else 'v'} cannot be empty")
    if mode not in ("valid", "same", "full"):
        raise OpError(f"correlate: mode must be one of 'valid', 'same' or 'full', got {mode!r}")
    pad = zeros((m - 1,), a.dtype, ctx=a.device)
    padded = concatenate([pad, a, pad]) if m > 1 else a
    windows = onp.arange(n + m - 1)[:, None] + onp.arange(m)[None, :]
    full = dot(padded[windows], v)
    lo = builtins.min(n, m)
    # NumPy computes a shorter a as correlate(v, a) reversed: 'same' then leans the other way
    same = (lo - 1) // 2 if n >= m else lo - 1 - (lo - 1) // 2
    start = {"full": 0, "same": same, "valid": lo - 1}[mode]
    length = {"full": n + m - 1, "same": builtins.max(n, m), "valid": abs(n - m) + 1}[mode]
    return full[start:start + length]
