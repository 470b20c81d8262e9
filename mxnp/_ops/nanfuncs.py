"""Reductions and scans that skip NaNs: composites of ``where`` with the plain op, so the
differentiable ones have gradients (NaN positions get zero)."""
from __future__ import annotations

import numpy as onp

from .. import _dtypes
from .checks import require_array
from .elementwise import where
from .primitive import Primitive, write_out
from .reduction import _axis, prod
from .reduction import all as _all
from .reduction import max as _max
from .reduction import min as _min
from .statistics import cumprod, cumsum


def _filled(name, a, value):
    """``a`` with NaNs replaced by ``value`` (integer and bool data have none)."""
    require_array(name, a, None)
    return where(a != a, value, a) if _dtypes.is_float(a.dtype) else a


def _wide_int(a, dtype):
    """MXNet runs these through NumPy, which counts small integers and bools in int64
    (unsigned ones in uint64), where mxnp's prod and cumsum keep the input's dtype."""
    if dtype is None and _dtypes.is_index(a.dtype) and onp.dtype(a.dtype).itemsize < 8:
        return onp.uint64 if _dtypes.kind(a.dtype) == "u" else onp.int64
    return dtype


def nanprod(a, axis=None, dtype=None, out=None, keepdims=False, initial=None):
    """``prod`` with NaNs counted as one."""
    x = _filled("nanprod", a, 1)
    return prod(x, axis=axis, dtype=_wide_int(x, dtype), out=out, keepdims=keepdims,
                initial=initial)


def nancumsum(a, axis=None, dtype=None, out=None):
    """``cumsum`` with NaNs counted as zero."""
    x = _filled("nancumsum", a, 0)
    return cumsum(x, axis=axis, dtype=_wide_int(x, dtype), out=out)


def nancumprod(a, axis=None, dtype=None, out=None):
    """``cumprod`` with NaNs counted as one."""
    x = _filled("nancumprod", a, 1)
    return cumprod(x, axis=axis, dtype=_wide_int(x, dtype), out=out)


def _nan_extreme(name, reduce, fill, a, axis, out, keepdims):
    x = _filled(name, a, fill)
    axis = _axis(axis)
    result = reduce(x, axis=axis, keepdims=keepdims)
    if x is not a:  # an all-NaN slice gives nan (NumPy also warns)
        result = where(_all(a != a, axis=axis, keepdims=keepdims), onp.nan, result)
    return write_out(result, out)


def nanmax(a, axis=None, out=None, keepdims=False):
    """The maximum ignoring NaNs; through ``np``, a 0-d result is a NumPy scalar (as MXNet)."""
    return _nan_extreme("nanmax", _max, -onp.inf, a, axis, out, keepdims)


def nanmin(a, axis=None, out=None, keepdims=False):
    """The minimum ignoring NaNs; through ``np``, a 0-d result is a NumPy scalar (as MXNet)."""
    return _nan_extreme("nanmin", _min, onp.inf, a, axis, out, keepdims)


def _nanarg_forward(fn):
    def forward(xp, x, axis=None, keepdims=False):
        return fn(xp)(x, axis=axis, keepdims=keepdims).astype(_dtypes.INDEX, copy=False)
    return forward


# NumPy raises ValueError for an all-NaN slice; the Primitive restates it as an OpError
_nanargmax = Primitive("nanargmax", _nanarg_forward(lambda xp: xp.nanargmax))
_nanargmin = Primitive("nanargmin", _nanarg_forward(lambda xp: xp.nanargmin))


def nanargmax(a, axis=None, out=None, *, keepdims=False):
    """int64 indices ignoring NaNs; through ``np``, a 0-d result is a NumPy int64."""
    return write_out(_nanargmax(a, axis=axis, keepdims=keepdims), out)


def nanargmin(a, axis=None, out=None, *, keepdims=False):
    """int64 indices ignoring NaNs; through ``np``, a 0-d result is a NumPy int64."""
    return write_out(_nanargmin(a, axis=axis, keepdims=keepdims), out)
