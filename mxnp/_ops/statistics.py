"""Statistics: var, std, average, ptp, cumulative sums and products, trace, diff, cov ...

Nearly all are composites of differentiable ops, so their gradients come for free (MXNet's
std/var gradient is all zeros, a bug we do not copy). Dtypes as MXNet: integer data keeps its
dtype in sums, differences and traces; float math on integers gives float32.
"""
from __future__ import annotations

import builtins

import numpy as onp

from .. import _dtypes
from .._ndarray import ndarray
from ..base import OpError
from .checks import reduction_axes, require_array
from .creation import astype, zeros
from .elementwise import absolute, mod, sqrt, where
from .primitive import Primitive, write_out
from .reduction import _axis, mean, prod, reduced_size, scan_products, sum
from .reduction import all as _all
from .reduction import any as _any
from .reduction import max as _max
from .reduction import min as _min
from .shape import broadcast_to, concatenate, reshape, swapaxes, transpose


def _float(name, a, dtype=None):
    """``a`` as the float dtype its statistics are computed in (ints: float32, as MXNet's mean)."""
    require_array(name, a)
    dt = _dtypes.float_result(a.dtype) if dtype is None else _dtypes.as_dtype(dtype, name)
    return a if a.dtype == dt else astype(a, dt)


def _int_dtype(dtype, name) -> bool:
    return dtype is not None and _dtypes.as_dtype(dtype, name).kind in "biu"


# ---- moments ---------------------------------------------------------------------------------
def var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    """Differs from MXNet: integer data gives float32 (MXNet truncates to the int dtype).
    An integer ``dtype`` asked for: the float variance truncated into it, as MXNet."""
    if _int_dtype(dtype, "var"):
        return write_out(astype(var(a, axis=axis, ddof=ddof, keepdims=keepdims), dtype), out)
    x = _float("var", a, dtype)
    axis = _axis(axis)
    d = x - mean(x, axis=axis, keepdims=True)
    n = builtins.max(reduced_size(x, axis, "var") - ddof, 0)
    return write_out(sum(d * d, axis=axis, keepdims=keepdims) / n, out)


def std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    """Differs from MXNet: integer data gives float32 (MXNet truncates to the int dtype).
    An integer ``dtype`` asked for: the float deviation truncated into it, as MXNet."""
    if _int_dtype(dtype, "std"):
        return write_out(astype(std(a, axis=axis, ddof=ddof, keepdims=keepdims), dtype), out)
    return write_out(sqrt(var(a, axis=axis, dtype=dtype, ddof=ddof, keepdims=keepdims)), out)


def average(a, axis=None, weights=None, returned=False, out=None, *, keepdims=False):
    """Differs from NumPy: integer data gives float32, and zero-sum weights give nan or inf
    instead of an error (checking them would read the data back)."""
    x = _float("average", a)
    axis = _axis(axis)
    # MXNet's sum of weights is one 0-d array unless the weights have a's shape (NumPy
    # broadcasts it to the shape of the average)
    if weights is None:
        avg = mean(x, axis=axis, keepdims=keepdims)
        scale = reduced_size(x, axis, "average") + zeros((), avg.dtype, ctx=avg.device)
    else:
        w = _weights_like("average", x, require_array("average", weights), axis)
        avg = sum(x * w, axis=axis, keepdims=keepdims) / sum(
            broadcast_to(w, x.shape), axis=axis, keepdims=keepdims)
        scale = sum(w, axis=axis if w.shape == x.shape else None, keepdims=keepdims)
    avg = write_out(avg, out)
    return [avg, scale] if returned else avg


def _weights_like(name, x, w, axis):
    """Weights shaped to broadcast against ``x`` (a 1-D weight runs along the one ``axis``)."""
    if w.shape == x.shape:
        return w
    if axis is None:
        raise TypeError(f"{name}: axis must be specified when shapes of a and weights differ")
    if w.ndim != 1 or not isinstance(axis, int):
        raise TypeError(f"{name}: 1D weights expected when shapes of a and weights differ")
    ax = reduction_axes(axis, x.ndim, name)[0]
    if w.shape[0] != x.shape[ax]:
        raise OpError(f"{name}: length of weights {w.shape[0]} differs from that of the "
                      f"specified axis {x.shape[ax]}")
    return reshape(w, (-1,) + (1,) * (x.ndim - 1 - ax))


def ptp(a, axis=None, out=None, keepdims=False):
    """Max minus min; through ``np``, a 0-d result is a NumPy scalar (as MXNet)."""
    axis = _axis(axis)
    return write_out(_max(a, axis=axis, keepdims=keepdims) - _min(a, axis=axis, keepdims=keepdims),
                out)


def _count_nonzero_forward(xp, x, axis=None, keepdims=False):
    return xp.count_nonzero(x, axis=axis, keepdims=keepdims).astype(_dtypes.INDEX, copy=False)


_count_nonzero = Primitive("count_nonzero", _count_nonzero_forward)


def count_nonzero(a, axis=None, *, keepdims=False):
    """A Python int when counting the whole array (as MXNet and NumPy), else int64 counts."""
    result = _count_nonzero(require_array("count_nonzero", a), axis=_axis(axis), keepdims=keepdims)
    return int(result.item()) if axis is None and not keepdims else result


# ---- cumulative ------------------------------------------------------------------------------
def _cumsum_forward(xp, x, axis=None, dtype=None):
    if dtype is None:  # MXNet: integers keep their dtype, bools count in int64
        dtype = _dtypes.int64 if x.dtype == _dtypes.bool_ else x.dtype
    return xp.cumsum(x, axis=axis, dtype=dtype)


def _cumsum_vjp(g, ans, x, axis=None, dtype=None):
    # each input feeds every later output: the cotangent is g summed from the end backwards
    if axis is None:
        return reshape(_reversed(_cumsum(_reversed(g, 0), axis=0), 0), x.shape)
    return _reversed(_cumsum(_reversed(g, axis), axis=axis), axis)


_cumsum = Primitive("cumsum", _cumsum_forward, (_cumsum_vjp,), keep=())


def _reversed(x, axis):
    return x[(slice(None),) * (axis % x.ndim) + (slice(None, None, -1),)]


def _scan_axis(name, axis):
    if axis is not None and not isinstance(axis, (int, onp.integer)):  # a tuple, as NumPy
        raise TypeError(f"{name}: '{type(axis).__name__}' object cannot be interpreted as an "
                        "integer")


def cumsum(a, axis=None, dtype=None, out=None):
    require_array("cumsum", a)
    _scan_axis("cumsum", axis)
    if axis is not None:
        axis = reduction_axes(axis, a.ndim, "cumsum")[0]
    dtype = None if dtype is None else _dtypes.as_dtype(dtype, "cumsum")
    return write_out(_cumsum(a, axis=axis, dtype=dtype), out)


def cumprod(a, axis=None, dtype=None, out=None):
    """Composite of multiplies (log2(n) of them), so its gradient is right at zeros too."""
    x = require_array("cumprod", a)
    _scan_axis("cumprod", axis)
    if dtype is not None:
        x = astype(x, _dtypes.as_dtype(dtype, "cumprod"))
    elif x.dtype == _dtypes.bool_:
        x = astype(x, _dtypes.int64)
    if axis is None:
        return write_out(scan_products(reshape(x, (-1,))), out)
    axis = reduction_axes(axis, x.ndim, "cumprod")[0]
    last = x.ndim - 1
    return write_out(swapaxes(scan_products(swapaxes(x, axis, last)), axis, last), out)


# ---- diagonals and differences ---------------------------------------------------------------
def trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    """Sum along a diagonal; integer data keeps its dtype (MXNet)."""
    require_array("trace", a)
    if a.ndim < 2:
        raise OpError(f"trace: the input must have at least 2 dimensions, got {a.ndim}")
    ax1, ax2 = (reduction_axes(ax, a.ndim, "trace")[0] for ax in (axis1, axis2))
    if ax1 == ax2:
        raise OpError("trace: axis1 and axis2 cannot be the same")
    perm = tuple(i for i in range(a.ndim) if i not in (ax1, ax2)) + (ax1, ax2)
    moved = transpose(a, perm)
    rows, cols = _diagonal_indices(moved.shape[-2], moved.shape[-1], offset)
    return write_out(sum(moved[..., rows, cols], axis=-1,
                    dtype=None if dtype is None else _dtypes.as_dtype(dtype, "trace")), out)


def _diagonal_indices(n, m, offset):
    start_row, start_col = builtins.max(-offset, 0), builtins.max(offset, 0)
    k = builtins.max(builtins.min(n - start_row, m - start_col), 0)
    return onp.arange(start_row, start_row + k), onp.arange(start_col, start_col + k)


def diff(a, n=1, axis=-1, prepend=None, append=None):
    """Differs from MXNet: prepend/append work (MXNet 1.9.1 raises for them)."""
    require_array("diff", a)
    if n < 0:
        raise OpError(f"diff: order must be non-negative but got {n}")
    if a.ndim == 0:
        raise OpError("diff: requires input that is at least one dimensional")
    ax = reduction_axes(axis, a.ndim, "diff")[0]
    parts = [p for p in (_edge(prepend, a, ax), a, _edge(append, a, ax)) if p is not None]
    x = concatenate(parts, axis=ax) if len(parts) > 1 else a
    head = (slice(None),) * ax
    for _ in range(n):
        later, earlier = x[head + (slice(1, None),)], x[head + (slice(None, -1),)]
        x = (later != earlier) if x.dtype == _dtypes.bool_ else later - earlier
    return x


def unwrap(p, discont=None, axis=-1, period=6.283185307179586):
    """Phases with jumps larger than ``discont`` replaced by their ``period`` complements."""
    half = period / 2
    discont = half if discont is None else builtins.max(discont, half)
    ax = reduction_axes(axis, p.ndim, "unwrap")[0]
    dd = diff(p, axis=ax)
    ddmod = mod(dd + half, period) - half
    ddmod = where((ddmod == -half) & (dd > 0), half, ddmod)  # +half jumps stay +half
    correct = where(absolute(dd) < discont, 0.0, ddmod - dd)
    first = zeros(p.shape[:ax] + (1,) + p.shape[ax + 1:], correct.dtype, ctx=p.device)
    return p + concatenate([first, cumsum(correct, axis=ax)], axis=ax)


def _edge(value, a, ax):
    """``prepend``/``append`` as an array to concatenate along ``ax`` (scalars broadcast)."""
    if value is None:
        return None
    if not isinstance(value, ndarray):
        return zeros(a.shape[:ax] + (1,) + a.shape[ax + 1:], a.dtype, ctx=a.device) + value
    if value.ndim == 0:
        return broadcast_to(value, a.shape[:ax] + (1,) + a.shape[ax + 1:])
    return value if value.dtype == a.dtype else astype(value, a.dtype)


def ediff1d(ary, to_end=None, to_begin=None):
    """Differences of the flattened array, with optional values put before and after."""
    flat = reshape(require_array("ediff1d", ary), (-1,))
    parts = [diff(flat)]
    if to_begin is not None:
        parts.insert(0, reshape(_edge(to_begin, flat[:0], 0), (-1,)))
    if to_end is not None:
        parts.append(reshape(_edge(to_end, flat[:0], 0), (-1,)))
    return concatenate(parts) if len(parts) > 1 else parts[0]


def trapz(y, x=None, dx=1.0, axis=-1):
    """The trapezoidal rule along ``axis`` (NumPy 2 calls it ``trapezoid``)."""
    require_array("trapz", y)
    ax = reduction_axes(axis, y.ndim, "trapz")[0]
    head = (slice(None),) * ax
    if x is not None:
        dx = diff(x) if x.ndim == 1 else diff(x, axis=ax)
        if x.ndim == 1 and y.ndim > 1:
            dx = reshape(dx, (-1,) + (1,) * (y.ndim - 1 - ax))
    pairs = y[head + (slice(1, None),)] + y[head + (slice(None, -1),)]
    return sum(dx * pairs / 2.0, axis=ax)


# ---- aliases MXNet keeps (NumPy 2 removed them) ----------------------------------------------
def product(a, axis=None, dtype=None, out=None, keepdims=False, initial=None):
    """``prod`` under its old name."""
    return prod(a, axis=axis, dtype=dtype, out=out, keepdims=keepdims, initial=initial)


def sometrue(a, axis=None, out=None, keepdims=False):
    """``any`` under its old name."""
    return _any(a, axis=axis, out=out, keepdims=keepdims)


def alltrue(a, axis=None, out=None, keepdims=False):
    """``all`` under its old name; through ``np``, a 0-d result is a NumPy bool (as MXNet)."""
    return _all(a, axis=axis, out=out, keepdims=keepdims)


# ---- comparing whole arrays ------------------------------------------------------------------
def _isclose_forward(xp, a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    return xp.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)


_isclose = Primitive("isclose", _isclose_forward)


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Elementwise ``|a - b| <= atol + rtol * |b|``, as a bool array."""
    return _isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """A Python bool, as MXNet gives (it reads the answer back from the device)."""
    return bool(_all(_isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)).item())


def array_equal(a1, a2, equal_nan=False):
    """A Python bool: same shape and same elements."""
    if require_array("array_equal", a1).shape != require_array("array_equal", a2).shape:
        return False
    same = a1 == a2
    if equal_nan:
        same = same | ((a1 != a1) & (a2 != a2))
    return bool(_all(same).item())


def array_equiv(a1, a2):
    """A Python bool: the arrays broadcast together and agree everywhere."""
    try:
        onp.broadcast_shapes(require_array("array_equiv", a1).shape,
                             require_array("array_equiv", a2).shape)
    except ValueError:
        return False
    return bool(_all(a1 == a2).item())
