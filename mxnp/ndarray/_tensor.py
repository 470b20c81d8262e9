"""MXNet 1.x's elementwise and broadcasting operators (``broadcast_add``, ``elemwise_mul``, the
``_plus_scalar`` family of ``-symbol.json`` files) and the reductions, with the legacy rules: a
result keeps its first array operand's dtype (comparisons give 0/1, not bool), and a reduction
over every axis gives shape ``(1,)``.
"""
from __future__ import annotations

import math
import operator

import numpy as onp

from .. import autograd
from .. import numpy as np
from .._ndarray import ndarray
from .._ops import elementwise as _ew
from .._ops import math as _math
from .._ops.checks import reduction_axes
from ._define import legacy_op
from .ndarray import at_least_1d, int_power, legacy_scalar

_PAIR = ("lhs", "rhs")


def _keep_dtype(fn, lhs, rhs):
    """``fn(lhs, rhs)`` in the dtype of the first array operand (MXNet's legacy rule), a
    number taken as MXNet's scalar operators take it (``legacy_scalar``); two numbers give a
    Python number, as MXNet's ``mx.nd.power(0.9, 3)`` does."""
    if not isinstance(lhs, ndarray) and not isinstance(rhs, ndarray):
        return _ON_NUMBERS[fn](lhs, rhs)
    like = lhs if isinstance(lhs, ndarray) else rhs
    if like is lhs:
        rhs = legacy_scalar(like, rhs)
    else:
        lhs = legacy_scalar(like, lhs)
    out = int_power(lhs, rhs, like.dtype) \
        if fn is _ew.power and onp.dtype(like.dtype).kind in "iu" else None
    out = fn(lhs, rhs) if out is None else out
    return out if out.dtype == like.dtype else out.astype(like.dtype)


# what MXNet's Python functions compute when both operands are numbers (comparisons: 1 or 0)
_ON_NUMBERS = {
    _ew.add: operator.add, _ew.subtract: operator.sub, _ew.multiply: operator.mul,
    _ew.true_divide: operator.truediv, _ew.mod: operator.mod, _ew.power: operator.pow,
    _ew.maximum: lambda x, y: x if x > y else y,  # noqa: FURB136 (max/min: the reductions here)
    _ew.minimum: lambda x, y: x if x < y else y,  # noqa: FURB136
    _math.hypot: math.hypot,
    _ew.equal: lambda x, y: int(x == y), _ew.not_equal: lambda x, y: int(x != y),
    _ew.greater: lambda x, y: int(x > y), _ew.greater_equal: lambda x, y: int(x >= y),
    _ew.less: lambda x, y: int(x < y), _ew.less_equal: lambda x, y: int(x <= y),
    _ew.logical_and: lambda x, y: int(bool(x and y)),
    _ew.logical_or: lambda x, y: int(bool(x or y)),
    _ew.logical_xor: lambda x, y: int(bool(x) != bool(y)),
}


@legacy_op("broadcast_add", _PAIR, aliases=("broadcast_plus", "add"))
def broadcast_add(lhs, rhs):
    """lhs + rhs, broadcasting."""
    return _keep_dtype(_ew.add, lhs, rhs)


@legacy_op("broadcast_sub", _PAIR, aliases=("broadcast_minus", "subtract"))
def broadcast_sub(lhs, rhs):
    """lhs - rhs, broadcasting."""
    return _keep_dtype(_ew.subtract, lhs, rhs)


@legacy_op("broadcast_mul", _PAIR, aliases=("multiply",))
def broadcast_mul(lhs, rhs):
    """lhs * rhs, broadcasting."""
    return _keep_dtype(_ew.multiply, lhs, rhs)


@legacy_op("broadcast_div", _PAIR, aliases=("divide", "true_divide"))
def broadcast_div(lhs, rhs):
    """lhs / rhs, broadcasting (integer arrays divide with truncation)."""
    return _keep_dtype(_ew.true_divide, lhs, rhs)


@legacy_op("broadcast_mod", _PAIR, aliases=("_mod", "modulo"))
def broadcast_mod(lhs, rhs):
    """lhs % rhs, broadcasting."""
    return _keep_dtype(_ew.mod, lhs, rhs)


@legacy_op("broadcast_power", _PAIR, aliases=("_power", "_Power"))
def broadcast_power(lhs, rhs):
    """lhs ** rhs, broadcasting."""
    return _keep_dtype(_ew.power, lhs, rhs)


def power(base, exp):
    """base ** exp, either of them a number (MXNet's Python-level power)."""
    return broadcast_power(base, exp)


@legacy_op("broadcast_maximum", _PAIR, aliases=("maximum",))
def broadcast_maximum(lhs, rhs):
    """The larger of the two, broadcasting."""
    return _keep_dtype(_ew.maximum, lhs, rhs)


@legacy_op("broadcast_minimum", _PAIR, aliases=("minimum",))
def broadcast_minimum(lhs, rhs):
    """The smaller of the two, broadcasting."""
    return _keep_dtype(_ew.minimum, lhs, rhs)


@legacy_op("broadcast_hypot", _PAIR)
def broadcast_hypot(lhs, rhs):
    """sqrt(lhs**2 + rhs**2), broadcasting."""
    return _keep_dtype(_math.hypot, lhs, rhs)


def _elementwise(op_name, fn, doc, aliases=()):
    """The element-wise twin of a broadcasting operator: the same arithmetic, an operator of
    its own for MXNet's sparse storage rules (sparse.storage_type), which differ."""
    def op(lhs, rhs):
        return _keep_dtype(fn, lhs, rhs)

    op.__name__ = op.__qualname__ = op_name
    op.__doc__ = doc
    return legacy_op(op_name, _PAIR, aliases=aliases)(op)


elemwise_add = _elementwise("elemwise_add", _ew.add, "lhs + rhs.",
                           ("_plus", "_Plus", "_add", "_grad_add"))
elemwise_sub = _elementwise("elemwise_sub", _ew.subtract, "lhs - rhs.",
                            ("_minus", "_Minus", "_sub"))
elemwise_mul = _elementwise("elemwise_mul", _ew.multiply, "lhs * rhs.", ("_mul", "_Mul"))
elemwise_div = _elementwise("elemwise_div", _ew.true_divide,
                            "lhs / rhs (integer arrays divide with truncation).", ("_div", "_Div"))
_maximum = _elementwise("_maximum", _ew.maximum, "The larger of the two, element-wise.")
_minimum = _elementwise("_minimum", _ew.minimum, "The smaller of the two, element-wise.")
_hypot = _elementwise("_hypot", _math.hypot, "sqrt(lhs**2 + rhs**2), element-wise.")


@legacy_op("broadcast_equal", _PAIR, aliases=("_equal", "equal"))
def broadcast_equal(lhs, rhs):
    """1 where lhs == rhs, else 0, in lhs's dtype."""
    return _keep_dtype(_ew.equal, lhs, rhs)


@legacy_op("broadcast_not_equal", _PAIR, aliases=("_not_equal", "not_equal"))
def broadcast_not_equal(lhs, rhs):
    """1 where lhs != rhs, else 0, in lhs's dtype."""
    return _keep_dtype(_ew.not_equal, lhs, rhs)


@legacy_op("broadcast_greater", _PAIR, aliases=("_greater", "greater"))
def broadcast_greater(lhs, rhs):
    """1 where lhs > rhs, else 0, in lhs's dtype."""
    return _keep_dtype(_ew.greater, lhs, rhs)


@legacy_op("broadcast_greater_equal", _PAIR, aliases=("_greater_equal", "greater_equal"))
def broadcast_greater_equal(lhs, rhs):
    """1 where lhs >= rhs, else 0, in lhs's dtype."""
    return _keep_dtype(_ew.greater_equal, lhs, rhs)


@legacy_op("broadcast_lesser", _PAIR, aliases=("_lesser", "lesser"))
def broadcast_lesser(lhs, rhs):
    """1 where lhs < rhs, else 0, in lhs's dtype."""
    return _keep_dtype(_ew.less, lhs, rhs)


@legacy_op("broadcast_lesser_equal", _PAIR, aliases=("_lesser_equal", "lesser_equal"))
def broadcast_lesser_equal(lhs, rhs):
    """1 where lhs <= rhs, else 0, in lhs's dtype."""
    return _keep_dtype(_ew.less_equal, lhs, rhs)


@legacy_op("broadcast_logical_and", _PAIR, aliases=("_logical_and", "logical_and"))
def broadcast_logical_and(lhs, rhs):
    """1 where both are non-zero, else 0, in lhs's dtype."""
    return _keep_dtype(_ew.logical_and, lhs, rhs)


@legacy_op("broadcast_logical_or", _PAIR, aliases=("_logical_or", "logical_or"))
def broadcast_logical_or(lhs, rhs):
    """1 where either is non-zero, else 0, in lhs's dtype."""
    return _keep_dtype(_ew.logical_or, lhs, rhs)


@legacy_op("broadcast_logical_xor", _PAIR, aliases=("_logical_xor", "logical_xor"))
def broadcast_logical_xor(lhs, rhs):
    """1 where exactly one is non-zero, else 0, in lhs's dtype."""
    return _keep_dtype(_ew.logical_xor, lhs, rhs)


# ---- the scalar forms that -symbol.json files name (x op scalar, or scalar op x: "_r") -------
def _scalar_op(name, fn, reflect=False):
    def op(data, scalar=1.0, is_int=None):
        return _keep_dtype(fn, scalar, data) if reflect else _keep_dtype(fn, data, scalar)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"MXNet's {name}: ``{'scalar op data' if reflect else 'data op scalar'}``."
    return op


_SCALAR_OPS = {
    "_plus_scalar": (_ew.add, False), "_minus_scalar": (_ew.subtract, False),
    "_rminus_scalar": (_ew.subtract, True), "_mul_scalar": (_ew.multiply, False),
    "_div_scalar": (_ew.true_divide, False), "_rdiv_scalar": (_ew.true_divide, True),
    "_mod_scalar": (_ew.mod, False), "_rmod_scalar": (_ew.mod, True),
    "_power_scalar": (_ew.power, False), "_rpower_scalar": (_ew.power, True),
    "_maximum_scalar": (_ew.maximum, False), "_minimum_scalar": (_ew.minimum, False),
    "_hypot_scalar": (_math.hypot, False), "_equal_scalar": (_ew.equal, False),
    "_not_equal_scalar": (_ew.not_equal, False), "_greater_scalar": (_ew.greater, False),
    "_greater_equal_scalar": (_ew.greater_equal, False), "_lesser_scalar": (_ew.less, False),
    "_lesser_equal_scalar": (_ew.less_equal, False),
    "_logical_and_scalar": (_ew.logical_and, False), "_logical_or_scalar": (_ew.logical_or, False),
    "_logical_xor_scalar": (_ew.logical_xor, False),
}
for _name, (_fn, _reflect) in _SCALAR_OPS.items():
    legacy_op(_name)(_scalar_op(_name, _fn, _reflect))


# ---- reductions -----------------------------------------------------------------------------
def _axes(data, axis, exclude, name):
    """The reduced axes: all for None or (), the complement of ``axis`` with ``exclude``."""
    if axis is None or axis == ():
        return None
    axes = reduction_axes(axis, data.ndim, name)
    if exclude:
        axes = tuple(a for a in range(data.ndim) if a not in axes)
    return axes


# MXNet 1.x's reductions accumulate in the input's own dtype (no MXNET_SAFE_ACCUMULATION): for
# each result, one pass over the reduced elements in row-major order. The cases where NumPy's
# wider arithmetic gives other numbers are computed that way here, on host arrays: bool (sum,
# mean and max are "any", prod and min "all"), an integer mean (the wrapped sum, divided with C's
# truncation), float16 sums (Kahan-compensated in float16) and products (each step rounded), and
# the 2-norm of integers (the nrm2 reducer's integer divisions). Long float16 chains (over
# _SEQ_MAX terms, each a NumPy step) keep the float32-accumulated value.
_SEQ_MAX = 1 << 13
_ALL = ("prod", "nanprod", "min")


def _rows(raw, axes):
    """``raw`` as (results, terms) rows, the reduced axes last in their order."""
    axes = tuple(range(raw.ndim)) if axes is None else axes
    kept = [a for a in range(raw.ndim) if a not in axes]
    out_shape = tuple(raw.shape[a] for a in kept)
    rows = raw.transpose(kept + list(axes)).reshape(math.prod(out_shape), -1)
    return rows, out_shape


def _c_div(a, b):
    """C's integer division (truncating toward zero), elementwise; 0 where b is 0."""
    with onp.errstate(all="ignore"):
        q = onp.abs(a) // onp.where(b == 0, 1, onp.abs(b))
    return onp.where((a < 0) != (b < 0), -q, q)


def _nrm2_int(rows, dt):
    """MXNet's nrm2 reducer on integers: scale = max |x| so far, ssq = 1 + ssq * (scale / |x|)^2
    at a new maximum, else ssq + (|x| / scale)^2, each division an integer one and each store
    wrapped to the dtype; the norm is scale * sqrtf(ssq), truncated."""
    wide = rows.astype(onp.int64)
    ssq = onp.zeros(rows.shape[0], onp.int64)
    scale = onp.zeros(rows.shape[0], onp.int64)
    for k in range(rows.shape[1]):
        mag = onp.abs(wide[:, k]).astype(dt).astype(onp.int64)  # int8's |-128| stays -128
        new = (mag != 0) & (scale < mag)
        rest = (mag != 0) & ~new
        q_new, q_rest = _c_div(scale, mag), _c_div(mag, scale)
        ssq = onp.where(new, 1 + ssq * q_new * q_new, onp.where(rest, ssq + q_rest * q_rest, ssq))
        ssq = ssq.astype(dt).astype(onp.int64)
        scale = onp.where(new, mag, scale)
    root = onp.sqrt(ssq.astype(onp.float32))
    return (scale * root).astype(onp.int64).astype(dt)


def _exact_host(name, data, axes, keepdims):
    """The reduction ``name`` as MXNet's kernel computes it in the input dtype (see above), or
    None where NumPy's value is MXNet's (or the array is not on the host, or on the tape)."""
    raw = data._data
    dt = raw.dtype
    if type(raw) is not onp.ndarray or raw.size == 0 or dt.kind not in "biuf" or \
            (dt.kind == "f" and (dt.itemsize != 2 or autograd.is_recording())):
        return None
    if dt.kind == "f" and name not in ("sum", "nansum", "mean", "prod", "nanprod"):
        return None
    if dt.kind in "iu" and name not in ("mean", "norm2"):
        return None
    rows, out_shape = _rows(raw, axes)
    if dt.kind == "b":
        out = rows.all(axis=1) if name in _ALL else rows.any(axis=1)
    elif dt.kind == "f":
        if rows.shape[1] > _SEQ_MAX:
            return None
        rows = onp.where(onp.isnan(rows), onp.float16(name == "nanprod"), rows) \
            if name.startswith("nan") else rows
        with onp.errstate(all="ignore"):
            if name in _ALL:
                out = onp.ones(rows.shape[0], dt)
                for k in range(rows.shape[1]):
                    out = out * rows[:, k]
            else:  # mshadow's sum reducer: Kahan's compensation, each step in float16
                out, res = onp.zeros(rows.shape[0], dt), onp.zeros(rows.shape[0], dt)
                for k in range(rows.shape[1]):
                    y = rows[:, k] - res
                    t = out + y
                    res = (t - out) - y
                    out = t
                if name == "mean":
                    out = out / dt.type(rows.shape[1])
    elif name == "mean":
        total = rows.sum(axis=1, dtype=onp.int64).astype(dt).astype(onp.int64)
        n = onp.asarray(rows.shape[1]).astype(dt).astype(onp.int64)
        out = _c_div(total, n).astype(dt)
    else:
        out = _nrm2_int(rows, dt)
    out = out.reshape(out_shape)
    if keepdims:
        kept = tuple(range(raw.ndim)) if axes is None else axes
        out = out.reshape(tuple(1 if a in kept else d for a, d in enumerate(raw.shape)))
    return at_least_1d(np.array(out, dtype=dt, ctx=data.ctx))


def _reduce(fn, name, data, axis, keepdims, exclude):
    axes = _axes(data, axis, exclude, name)
    exact = _exact_host(name, data, axes, keepdims) if fn is not None else None
    if exact is not None:
        return exact
    out = fn(data, axis=axes, keepdims=keepdims)
    if out.dtype != data.dtype and onp.dtype(data.dtype).kind != "b":  # legacy: an int mean stays int
        out = out.astype(data.dtype)
    return at_least_1d(out)  # legacy: a full reduction is (1,)


@legacy_op("sum", aliases=("sum_axis",))
def sum(data, axis=None, keepdims=False, exclude=False):
    """Sum over ``axis`` (all axes: shape (1,)); ``exclude`` reduces the other axes."""
    return _reduce(np.sum, "sum", data, axis, keepdims, exclude)


@legacy_op("mean")
def mean(data, axis=None, keepdims=False, exclude=False):
    """Mean over ``axis`` (all axes: shape (1,)); ``exclude`` reduces the other axes."""
    return _reduce(np.mean, "mean", data, axis, keepdims, exclude)


@legacy_op("prod")
def prod(data, axis=None, keepdims=False, exclude=False):
    """Product over ``axis`` (all axes: shape (1,)); ``exclude`` reduces the other axes."""
    return _reduce(np.prod, "prod", data, axis, keepdims, exclude)


@legacy_op("max", aliases=("max_axis",))
def max(data, axis=None, keepdims=False, exclude=False):
    """Maximum over ``axis`` (all axes: shape (1,)); ``exclude`` reduces the other axes."""
    return _reduce(np.max, "max", data, axis, keepdims, exclude)


@legacy_op("min", aliases=("min_axis",))
def min(data, axis=None, keepdims=False, exclude=False):
    """Minimum over ``axis`` (all axes: shape (1,)); ``exclude`` reduces the other axes."""
    return _reduce(np.min, "min", data, axis, keepdims, exclude)


@legacy_op("nansum")
def nansum(data, axis=None, keepdims=False, exclude=False):
    """Sum treating NaN as 0."""
    if onp.dtype(data.dtype).kind == "f":
        data = np.where(np.isnan(data), 0, data)
    return _reduce(np.sum, "nansum", data, axis, keepdims, exclude)


@legacy_op("nanprod")
def nanprod(data, axis=None, keepdims=False, exclude=False):
    """Product treating NaN as 1."""
    return _reduce(np.nanprod, "nanprod", data, axis, keepdims, exclude)
