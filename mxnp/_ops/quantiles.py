"""Quantiles: quantile, percentile, median and their nan-skipping forms.

A non-differentiable step finds, for each slice, which two sorted elements a quantile lies
between and the weight between them; the result interpolates the gathered elements, so the
gradient flows to exactly those (MXNet 1.9.1 gives an all-zero gradient, a bug).
"""
from __future__ import annotations

import builtins

import numpy as onp

from .. import _dtypes
from .._ndarray import ndarray
from ..base import OpError
from .checks import reduction_axes, require_array
from .creation import array, astype
from .elementwise import where
from .primitive import Primitive, write_out
from .shape import reshape, transpose

_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")


def _plan_forward(xp, x, q, method="linear", skipnan=False):
    """For (M, n) data and Q quantiles: flat indices of the lower and upper neighbours into
    ``x.ravel()``, and the weight of the upper one, each of shape (Q, M)."""
    m, n = x.shape
    order = xp.argsort(x, axis=-1)  # NaNs sort last
    valid = ~xp.isnan(x) if _dtypes.is_float(x.dtype) else xp.ones(x.shape, bool)
    count = valid.sum(axis=-1) if skipnan else xp.full((m,), n)
    pos = q.astype(onp.float64)[:, None] * (count - 1)[None, :]
    lo = xp.floor(pos)
    if method == "nearest":  # MXNet's own ops round a half up; the nan* ones (NumPy) to even
        lo = xp.around(pos) if skipnan else xp.floor(pos + 0.5)
    elif method == "higher":
        lo = xp.ceil(pos)
    weight = pos - lo
    if method in ("lower", "higher", "nearest"):
        weight = xp.zeros_like(pos)
    elif method == "midpoint":
        weight = xp.where(weight > 0, 0.5, 0.0)
    last = xp.maximum(count - 1, 0)[None, :]  # the last non-NaN element when skipping
    lo = xp.clip(lo, 0, n - 1).astype(_dtypes.INDEX)
    hi = xp.minimum(lo + 1, last)
    # an empty slice (all NaN, skipped) gives nan; NaN data gives nan unless skipped
    bad = (count == 0) if skipnan else ~valid.all(axis=-1)
    weight = xp.where(bad[None, :], xp.nan, weight)
    rows = xp.arange(m)[None, :]
    flat = lambda k: rows * n + order[rows, k]  # noqa: E731
    return flat(lo), flat(hi), weight


_plan = Primitive("quantile_plan", _plan_forward)


def _quantiles(name, a, q, axis, method, keepdims, skipnan, scale, dtype=None):
    """The quantiles ``q / scale`` of ``a`` along ``axis``, of shape q.shape + reduced shape,
    computed in ``dtype`` (default: the float dtype of ``a``)."""
    require_array(name, a, None)
    if method not in _METHODS:
        raise OpError(f"{name}: interpolation must be one of {_METHODS}, got {method!r}")
    qs = _fractions(name, a, q, scale)
    axes = reduction_axes(axis, a.ndim, name)
    kept = tuple(i for i in range(a.ndim) if i not in axes)
    n = 1
    for i in axes:
        n *= a.shape[i]
    if n == 0:
        raise OpError(f"{name}: cannot take a quantile of an empty slice")
    dt = dtype or _dtypes.float_result(a.dtype)
    x = reshape(transpose(a if a.dtype == dt else astype(a, dt), kept + axes), (-1, n))
    lo, hi, w = _plan(x, reshape(qs, (-1,)), method=method, skipnan=skipnan)
    flat = reshape(x, (-1,))
    below, above = flat[lo], flat[hi]
    w = astype(w, dt)
    step = above - below  # as NumPy's lerp: from the nearer end, for exact endpoints
    result = where(w >= 0.5, above - step * (1 - w), below + step * w)
    shape = tuple(1 if i in axes else s for i, s in enumerate(a.shape)) if keepdims else \
        tuple(a.shape[i] for i in kept)
    return reshape(result, qs.shape + shape)


def _fractions(name, a, q, scale):
    """``q / scale`` as an array on ``a``'s device; host values are range-checked here."""
    if isinstance(q, ndarray):  # checking device values would read them back: not done
        return q / scale if scale != 1 else q
    values = onp.asarray(q, dtype=onp.float64) / scale
    if values.size and not ((values >= 0) & (values <= 1)).all():
        what = "Percentiles must be in the range [0, 100]" if scale == 100 else \
            "Quantiles must be in the range [0, 1]"
        raise OpError(f"{name}: {what}")
    return array(values, dtype=values.dtype, ctx=a.device)


def _method(interpolation, method):
    return builtins.next((m for m in (method, interpolation) if m is not None), "linear")


def quantile(a, q, axis=None, out=None, overwrite_input=None, interpolation=None,
             keepdims=False, *, method=None):
    """``interpolation=`` (MXNet) and ``method=`` (NumPy 2) both name the method; MXNet's five
    (linear, lower, higher, midpoint, nearest) are supported."""
    result = _quantiles("quantile", a, q, axis, _method(interpolation, method), keepdims,
                        False, 1)
    return write_out(result, out)


def percentile(a, q, axis=None, out=None, overwrite_input=None, interpolation=None,
               keepdims=False, *, method=None):
    """``quantile`` with q in percent."""
    result = _quantiles("percentile", a, q, axis, _method(interpolation, method), keepdims,
                        False, 100)
    return write_out(result, out)


def median(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    """Not in MXNet 1.9.1's np; as NumPy's."""
    return write_out(_quantiles("median", a, 0.5, axis, "linear", keepdims, False, 1), out)


# MXNet answers nanquantile and nanpercentile with NumPy 1.x, whose float64 ``q`` makes the
# result float64 whatever the data's dtype (its own quantile and percentile keep the dtype)
_NUMPY1_Q = onp.dtype(onp.float64)


def nanquantile(a, q, axis=None, out=None, overwrite_input=False, method=None,
                keepdims=False, *, interpolation=None):
    """``quantile`` ignoring NaNs; an all-NaN slice gives nan. float64, as in MXNet."""
    result = _quantiles("nanquantile", a, q, axis, _method(interpolation, method), keepdims,
                        True, 1, _NUMPY1_Q)
    return write_out(result, out)


def nanpercentile(a, q, axis=None, out=None, overwrite_input=False, method=None,
                  keepdims=False, *, interpolation=None):
    """``percentile`` ignoring NaNs; an all-NaN slice gives nan. float64, as in MXNet."""
    result = _quantiles("nanpercentile", a, q, axis, _method(interpolation, method), keepdims,
                        True, 100, _NUMPY1_Q)
    return write_out(result, out)


def nanmedian(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    """``median`` ignoring NaNs; an all-NaN slice gives nan."""
    return write_out(_quantiles("nanmedian", a, 0.5, axis, "linear", keepdims, True, 1), out)
