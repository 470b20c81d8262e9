"""norm and cond: composites of reductions, elementwise ops, svd and inv (gradients for free),
except the 2-norm of a whole array, one op as MXNet's CPU ``nrm2`` reducer rounds it.

At a zero vector the 2-norm's gradient is nan (0 / 0), as in MXNet.
"""
from __future__ import annotations

import numpy as onp

from ... import _dtypes, _native
from ...base import OpError
from ..checks import require_array
from ..elementwise import absolute, power, sign, sqrt
from ..primitive import KAHAN_MAX, Primitive
from ..reduction import max as _max
from ..reduction import min as _min
from ..reduction import sum as _sum
from ..shape import reshape, transpose
from .decomp import svd
from .ops import inv, matrices

_LIBM = _native.libm()  # the compiled loop of nrm2_host (mxnp/_libm.pyx), or None


def _vector_norm(x, ord, axis, keepdims):
    if ord is None or ord == 2:
        return sqrt(_sum(x * x, axis=axis, keepdims=keepdims))
    if isinstance(ord, str):
        raise OpError(f"norm: invalid norm order {ord!r} for vectors")
    if ord == onp.inf:
        return _max(absolute(x), axis=axis, keepdims=keepdims)
    if ord == -onp.inf:
        return _min(absolute(x), axis=axis, keepdims=keepdims)
    if ord == 0:  # the number of non-zeros: sign has a zero gradient, as MXNet's here
        return _sum(sign(absolute(x)), axis=axis, keepdims=keepdims)
    if ord == 1:
        return _sum(absolute(x), axis=axis, keepdims=keepdims)
    return power(_sum(power(absolute(x), ord), axis=axis, keepdims=keepdims), 1.0 / ord)


def _singular_values(x, row, col):
    """The singular values of the matrices spanned by axes ``row`` and ``col``."""
    rest = tuple(k for k in range(x.ndim) if k not in (row, col))
    return svd(transpose(x, rest + (row, col)), compute_uv=False)


def _matrix_norm(x, ord, row, col):
    """The norm over axes ``row``, ``col``, without keepdims."""
    if ord is None or ord == "fro":
        return sqrt(_sum(x * x, axis=(row, col)))
    if ord == "nuc":
        return _sum(_singular_values(x, row, col), axis=-1)
    if ord in (2, -2):
        pick = _max if ord == 2 else _min
        return pick(_singular_values(x, row, col), axis=-1)
    if ord in (1, -1):  # the largest (smallest) absolute column sum
        pick = _max if ord == 1 else _min
        return pick(_sum(absolute(x), axis=row), axis=col - (col > row))
    if ord in (onp.inf, -onp.inf):  # the largest (smallest) absolute row sum
        pick = _max if ord == onp.inf else _min
        return pick(_sum(absolute(x), axis=col), axis=row - (row > col))
    raise OpError(f"norm: invalid norm order {ord!r} for matrices")


def _axes(axis, ndim):
    axes = (axis,) if isinstance(axis, (int, onp.integer)) else tuple(axis)
    if len(axes) not in (1, 2):
        raise OpError(f"norm: axis must be an int or a pair of ints, got {axis!r}")
    if any(not -ndim <= k < ndim for k in axes):
        raise OpError(f"norm: axis {axis!r} out of bounds for an array of {ndim} dimensions")
    axes = tuple(k % ndim for k in axes)
    if len(axes) == 2 and axes[0] == axes[1]:
        raise OpError(f"norm: duplicate axes in {axis!r}")
    return axes


def nrm2_host(x):
    """The 2-norm of the flat NumPy array ``x`` as MXNet's CPU ``nrm2`` reducer rounds it, in
    ``x``'s dtype: one pass over the non-zero entries in order, keeping ``scale`` (the largest
    |x| so far) and ``total``, the sum of (|x| / scale)^2 (rescaled by (old / new scale)^2 when
    a larger entry comes); the norm is scale * sqrt(total). Between two new maxima the terms
    are added one after another, which ``add.accumulate`` does in the same order."""
    dt = x.dtype.type
    if _LIBM is not None and x.dtype.kind == "f" and x.dtype.itemsize in (4, 8):
        return dt(_LIBM.nrm2(onp.ascontiguousarray(x)))  # the same pass, compiled
    mags = onp.abs(x[x != 0])
    if mags.size == 0:
        return dt(0)
    if onp.isnan(mags).any():
        return dt(onp.nan)
    peaks = onp.maximum.accumulate(mags)
    starts = onp.flatnonzero(onp.concatenate(([True], mags[1:] > peaks[:-1])))
    total, scale = dt(0), dt(0)
    for start, stop in zip(starts, [*starts[1:], mags.size]):
        ratio = scale / mags[start]
        total, scale = dt(1) + total * ratio * ratio, mags[start]
        if stop > start + 1:
            terms = mags[start + 1:stop] / scale
            total = onp.add.accumulate(onp.concatenate(([total], terms * terms)))[-1]
    return scale * onp.sqrt(total)


def _nrm2_forward(xp, x):
    # MXNet's pass is sequential (a division per element): ~20x NumPy's time, so only arrays
    # of up to KAHAN_MAX / 4 elements take it (the last bit or two differ beyond)
    if xp is not onp or x.dtype.itemsize < 4 or x.size > KAHAN_MAX // 4:
        return xp.sqrt(xp.sum(x * x))
    return onp.asarray(nrm2_host(onp.ravel(x)))


# the 2-norm of a whole array as MXNet's CPU nrm2 reducer rounds it (a scaled sum of squares)
_nrm2 = Primitive("nrm2", _nrm2_forward, (lambda g, ans, x: g * x / ans,), keep=(0, "ans"))


def norm(x, ord=None, axis=None, keepdims=False):
    """Integer input gives float32 (MXNet: an integer result, which it warns is wrong)."""
    require_array("norm", x, "x")
    if ord in ("inf", "-inf"):  # MXNet takes the infinities spelled as strings too
        ord = float(ord)
    x = _dtypes.real_float_math(x)
    if axis is None:
        if ord is None:
            out = _nrm2(x) if x.size else sqrt(_sum(x * x))
            return reshape(out, (1,) * x.ndim) if keepdims else out
        if x.ndim not in (1, 2):
            raise OpError(f"norm: ord={ord!r} needs a 1-D or 2-D array or an axis, got shape "
                          f"{x.shape}")
        axis = tuple(range(x.ndim))
    axes = _axes(axis, x.ndim)
    if len(axes) == 1:
        return _vector_norm(x, ord, axes[0], keepdims)
    out = _matrix_norm(x, ord, *axes)
    if keepdims:
        out = reshape(out, tuple(1 if k in axes else n for k, n in enumerate(x.shape)))
    return out


def cond(x, p=None):
    """Composite of svd (p None, 2, -2) or of norm and inv (differentiable; MXNet's is not)."""
    matrices("cond", x, square=p not in (None, 2, -2), floats=False)
    x = _dtypes.lapack_float(x)  # MXNet hands integers to NumPy, which computes in float64
    if p is None or p == 2 or p == -2:
        s = svd(x, compute_uv=False)
        big, small = s[..., 0], s[..., -1]
        return big / small if p != -2 else small / big
    return norm(x, p, axis=(-2, -1)) * norm(inv(x), p, axis=(-2, -1))
