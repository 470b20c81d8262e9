"""Reductions: sum, mean, prod, max, min, argmax, argmin, all, any.

Dtypes as MXNet: sums and products keep an integer dtype (bool sums give int64), means of
integers give float32, arg-reductions give int64.
"""
from __future__ import annotations

import builtins
import math

import numpy as onp

from .. import _dtypes, _native
from .checks import reduction_axes
from .creation import ones, ones_like
from .primitive import Primitive, Unit, compensated, write_out
from .shape import broadcast_to, concatenate, expand_dims, reshape, transpose


def _keep_reduced(g, x, axis, keepdims):
    """``g`` with the reduced axes put back as size-1 axes (so it broadcasts against x)."""
    if keepdims or x.ndim == 0:
        return g
    if axis is None:
        return reshape(g, (1,) * x.ndim)
    return expand_dims(g, reduction_axes(axis, x.ndim, "backward"))


# the wider type MXNet adds floats in before casting the sum to the dtype asked for
_HALF = onp.dtype("float16")
_SUM_ACCUMULATOR = {_HALF: _dtypes.float32, _dtypes.float32: _dtypes.float64}
_LIBM = _native.libm()


def kahan_sum(x, axis=None, keepdims=False, acc=None):
    """The sum of a host float array over ``axis`` as MXNet's CPU kernel adds it: in row-major
    order over the reduced axes, with Kahan's compensation, in ``acc`` (the array's dtype by
    default), bit for bit. None (NumPy's pairwise sum, the same value to the last bit or two)
    where mxnp/_libm is not built or the sum is long: each sum is one sequential chain, 16x
    slower per element than NumPy's; many sums side by side run 2-4x slower. Where a sum is not
    finite it is NumPy's (MXNet 1.9.1's compensation turns ``sum([1, inf, 1])`` into nan)."""
    if type(x) is not onp.ndarray or x.ndim == 0 or not compensated(x.size, 1):
        return None  # (the size alone rules it out: no look at the axes)
    acc = acc or x.dtype
    if axis is None:
        kept, m, order = (), x.size, None
    else:
        axes = reduction_axes(axis, x.ndim, "sum")
        kept = tuple(i for i in range(x.ndim) if i not in axes)
        m = math.prod(x.shape[i] for i in axes)
        order = axes + kept  # the reduced axes first: each row of the copy is one step
        order = None if order == tuple(range(x.ndim)) else order
    if not compensated(x.size, m):
        return None
    src = onp.ascontiguousarray(x if order is None else x.transpose(order), dtype=acc)
    shape = tuple(d if i in kept else 1 for i, d in enumerate(x.shape)) if keepdims else \
        tuple(x.shape[i] for i in kept)
    out = onp.empty(shape, acc)  # the result's own array (backward may adopt it)
    if not _LIBM.kahan_sum(out, src):
        with onp.errstate(all="ignore"):
            onp.add.reduce(src.reshape(m, -1), axis=0, out=out.reshape(-1))
    return out


def _sum_forward(xp, x, axis=None, keepdims=False, dtype=None, in_rows=False):
    """``in_rows``: float32 and float64 terms added one after another without compensation
    (the bias gradient of MXNet's MKLDNN FullyConnected; NumPy's sum over axis 0 does that)."""
    if dtype is None:  # MXNet: integers keep their dtype, bools count in int64
        dtype = _dtypes.int64 if x.dtype == _dtypes.bool_ else x.dtype
        if dtype != _HALF:
            exact = kahan_sum(x, axis, keepdims) if dtype.kind == "f" and not in_rows else None
            if exact is not None:
                return exact
            # NumPy's sum is add.reduce behind a Python wrapper (~4 us): call it directly
            add = onp.add.reduce if xp is onp else xp.sum
            return add(x, axis=axis, keepdims=keepdims, dtype=dtype)
        exact = kahan_sum(x, axis, keepdims, _dtypes.float32)  # float16: added in float32
        if exact is not None:
            return exact.astype(dtype)
    # a dtype asked for, or float16 data: MXNet adds in a type wide enough for the input (and
    # float16 in float32) and casts the result, where NumPy would add in dtype itself (float16
    # sums lose digits that way: MXNet's sum of 50 float16 values gives 41.9 where NumPy's 41.88)
    acc = xp.result_type(dtype, _SUM_ACCUMULATOR.get(x.dtype, x.dtype))
    return xp.sum(x, axis=axis, keepdims=keepdims, dtype=acc).astype(dtype, copy=False)


def _sum_vjp(g, ans, x, axis=None, keepdims=False, dtype=None, in_rows=False):
    if type(g) is Unit:  # ones stay ones: keep the saving for the products below
        return g.expand(x.shape)
    return broadcast_to(_keep_reduced(g, x, axis, keepdims), x.shape)


_sum = Primitive("sum", _sum_forward, (_sum_vjp,), keep=())


def reduced_size(x, axis, name: str = "mean") -> int:
    """How many elements a reduction over ``axis`` combines into each result."""
    if axis is None:
        return x.size
    n = 1
    for a in reduction_axes(axis, x.ndim, name):
        n *= x.shape[a] if x.ndim else 1  # a 0-d array's axis 0 (MXNet): its one element
    return n


def _mean_forward(xp, x, axis=None, keepdims=False, dtype=None):
    dtype = _dtypes.float_result(x.dtype) if dtype is None else dtype
    n = reduced_size(x, axis)
    if onp.dtype(dtype).kind in "biu":  # an integer (or bool) mean, as MXNet: the sum in the
        # input's dtype for float data (the requested one for integer data), divided, then
        # truncated into ``dtype``; an empty mean is 0 (MXNet; nan has no integer value)
        acc = x.dtype if x.dtype.kind == "f" else \
            (dtype if onp.dtype(dtype).kind in "iu" else _dtypes.int64)
        total = xp.sum(x, axis=axis, keepdims=keepdims, dtype=acc)
        if n == 0:
            return xp.zeros(total.shape, dtype)
        return (total / n).astype(dtype)
    if x.size == 0 or n == 0:  # NumPy: nan with a warning; keep it quiet
        return xp.full(xp.sum(x, axis=axis, keepdims=keepdims).shape, xp.nan, dtype)
    if dtype == _HALF:  # MXNet: the sum in float32, rounded to float16, divided in float16
        total = kahan_sum(x, axis, keepdims, _dtypes.float32)
        if total is None:
            total = xp.sum(x, axis=axis, keepdims=keepdims, dtype=_dtypes.float32)
        return total.astype(_HALF) / _HALF.type(n)
    if x.dtype == _HALF:  # a wider dtype asked for: the sum in it (NumPy's mean), as MXNet
        return xp.mean(x, axis=axis, keepdims=keepdims, dtype=dtype)
    if xp is not onp:
        return xp.mean(x, axis=axis, keepdims=keepdims, dtype=dtype)
    if n == 1 and x.ndim and axis is not None:  # axes of size 1 (a loss's per-sample mean):
        # each mean is its one element, exactly; the result's shape without a reduction (~10 us)
        axes = reduction_axes(axis, x.ndim, "mean")
        shape = tuple(1 if i in axes else d for i, d in enumerate(x.shape)) if keepdims else \
            tuple(d for i, d in enumerate(x.shape) if i not in axes)
        return x.astype(dtype).reshape(shape)
    total = kahan_sum(x, axis, keepdims) if dtype == x.dtype else None  # MXNet's sum / n
    if total is None:
        # NumPy's mean without its Python wrapper (~6 us): the same sum, divided the same way
        total = onp.add.reduce(x, axis=axis, dtype=dtype, keepdims=keepdims)
    if type(total) is onp.ndarray:
        return onp.true_divide(total, n, out=total, casting="unsafe")
    return total.dtype.type(total / n)


def _mean_vjp(g, ans, x, axis=None, keepdims=False, dtype=None):
    if g.dtype != x.dtype and x._data.dtype.kind == "f":  # divide in the input's precision, as MXNet
        g = g.astype(x.dtype)
    gx = broadcast_to(_keep_reduced(g, x, axis, keepdims), x.shape)
    n = reduced_size(x, axis)
    # a mean over axes of size 1 (a loss's per-sample mean): nothing to divide
    return gx if n == 1 else gx / n


_mean = Primitive("mean", _mean_forward, (_mean_vjp,), keep=())


def _prod_forward(xp, x, axis=None, keepdims=False, dtype=None):
    if dtype is not None and x.dtype.kind == "f" and onp.dtype(dtype).kind in "biu":
        # MXNet multiplies float data in its own dtype and truncates the product into dtype
        return xp.prod(x, axis=axis, keepdims=keepdims).astype(dtype)
    if dtype is None:
        dtype = _dtypes.int64 if x.dtype == _dtypes.bool_ else x.dtype
        if dtype == _HALF:  # MXNet multiplies float16 in float32 and rounds the result
            return xp.prod(x, axis=axis, keepdims=keepdims, dtype=_dtypes.float32).astype(_HALF)
    return xp.prod(x, axis=axis, keepdims=keepdims, dtype=dtype)


def _prod_vjp(g, ans, x, axis=None, keepdims=False, dtype=None):
    # d prod / d x_i is the product of the others. Dividing prod by x_i fails at zeros, so the
    # exclusive products are built from multiplies only: right at zeros, and at every order.
    return _keep_reduced(g, x, axis, keepdims) * _exclusive_products(x, axis)


_prod = Primitive("prod", _prod_forward, (_prod_vjp,), keep=(0,))


def _exclusive_products(x, axis):
    """For each element, the product of the others in its reduced slice (no division)."""
    if x.ndim == 0:
        return ones_like(x)
    axes = reduction_axes(axis, x.ndim, "prod")
    perm = tuple(a for a in range(x.ndim) if a not in axes) + axes
    moved = transpose(x, perm)
    flat = reshape(moved, moved.shape[:x.ndim - len(axes)] + (-1,))
    left = _shift_in_ones(scan_products(flat), 1)
    right = _shift_in_ones(scan_products(flat[..., ::-1]), 1)[..., ::-1]
    return transpose(reshape(left * right, moved.shape), tuple(onp.argsort(perm)))


def scan_products(x):
    """Inclusive products along the last axis by log2(n) shifted multiplies (Hillis-Steele).

    Made of multiplies, so its gradient holds at zeros; the cost is n log n, not n.
    """
    step = 1
    while step < x.shape[-1]:
        x = x * _shift_in_ones(x, step)
        step *= 2
    return x


def _shift_in_ones(x, step):
    """``x`` moved ``step`` places along the last axis, ones coming in at the front."""
    if x.shape[-1] == 0:
        return x
    step = builtins.min(step, x.shape[-1])
    front = ones(x.shape[:-1] + (step,), dtype=x.dtype, ctx=x.device)
    return concatenate([front, x[..., :x.shape[-1] - step]], axis=-1)


def _extreme_vjp(g, ans, x, axis=None, keepdims=False):
    # every element equal to the extreme gets the full gradient (MXNet's rule for ties)
    hit = x == _keep_reduced(ans, x, axis, keepdims)
    return _keep_reduced(g, x, axis, keepdims) * hit


def _check_nonempty(name, x, axis):
    if x.size == 0 and (axis is None or x.ndim == 0 or
                        builtins.any(x.shape[a] == 0 for a in reduction_axes(axis, x.ndim, name))):
        raise ValueError(f"zero-size array to reduction operation {name} which has no "
                         "identity")


def _max_forward(xp, x, axis=None, keepdims=False):
    _check_nonempty("max", x, axis)
    return xp.max(x, axis=axis, keepdims=keepdims)


def _min_forward(xp, x, axis=None, keepdims=False):
    _check_nonempty("min", x, axis)
    return xp.min(x, axis=axis, keepdims=keepdims)


_max = Primitive("max", _max_forward, (_extreme_vjp,))
_min = Primitive("min", _min_forward, (_extreme_vjp,))


def _arg_forward(fn, name):
    def forward(xp, x, axis=None, keepdims=False):
        _check_nonempty(name, x, axis)
        return fn(xp, x, axis=axis, keepdims=keepdims).astype(_dtypes.INDEX, copy=False)
    return forward


_argmax = Primitive("argmax", _arg_forward(lambda xp, x, **kw: xp.argmax(x, **kw), "argmax"))
_argmin = Primitive("argmin", _arg_forward(lambda xp, x, **kw: xp.argmin(x, **kw), "argmin"))
_all = Primitive("all", lambda xp, x, axis=None, keepdims=False: xp.all(x, axis, keepdims=keepdims))
_any = Primitive("any", lambda xp, x, axis=None, keepdims=False: xp.any(x, axis, keepdims=keepdims))


def _axis(axis, a=None):
    axis = tuple(axis) if isinstance(axis, list) else axis
    if type(axis) is tuple and getattr(a, "ndim", 1) == 0 and axis in ((0,), (-1,)):
        return None  # a 0-d array's axis 0 as a tuple, as MXNet takes it (and NumPy an int)
    return axis


def sum(a, axis=None, dtype=None, out=None, keepdims=False, initial=None):  # noqa: A001
    result = _sum(a, axis=_axis(axis, a), keepdims=keepdims,
                  dtype=None if dtype is None else _dtypes.as_dtype(dtype, "sum"))
    return write_out(result if initial is None else result + initial, out)


def mean(a, axis=None, dtype=None, out=None, keepdims=False):
    return write_out(_mean(a, axis=_axis(axis, a), keepdims=keepdims,
                      dtype=None if dtype is None else _dtypes.as_dtype(dtype, "mean")), out)


def prod(a, axis=None, dtype=None, out=None, keepdims=False, initial=None):
    result = _prod(a, axis=_axis(axis, a), keepdims=keepdims,
                   dtype=None if dtype is None else _dtypes.as_dtype(dtype, "prod"))
    return write_out(result if initial is None else result * initial, out)


def max(a, axis=None, out=None, keepdims=False):  # noqa: A001
    return write_out(_max(a, axis=_axis(axis, a), keepdims=keepdims), out)


def min(a, axis=None, out=None, keepdims=False):  # noqa: A001
    return write_out(_min(a, axis=_axis(axis, a), keepdims=keepdims), out)


amax, amin = max, min


def argmax(a, axis=None, out=None, keepdims=False):
    return write_out(_argmax(a, axis=axis, keepdims=keepdims), out)


def argmin(a, axis=None, out=None, keepdims=False):
    return write_out(_argmin(a, axis=axis, keepdims=keepdims), out)


def all(a, axis=None, out=None, keepdims=False):  # noqa: A001
    return write_out(_all(a, axis=_axis(axis, a), keepdims=keepdims), out)


def any(a, axis=None, out=None, keepdims=False):  # noqa: A001
    return write_out(_any(a, axis=_axis(axis, a), keepdims=keepdims), out)
