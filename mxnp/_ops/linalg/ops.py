"""np.linalg on square matrices (inv, det, slogdet, solve, cholesky) and composites of them.

Every function takes stacks of matrices (``(..., M, M)``). MXNet computes these in float32 or
float64 only: other dtypes raise TypeError at the call, except where MXNet falls back to NumPy
(solve, matrix_power, multi_dot accept integers as NumPy does).
"""
from __future__ import annotations

import operator

import numpy as onp

from ... import _dtypes
from ..._ndarray import ndarray
from ...base import OpError
from ..checks import require_array
from ..creation import arange, copy, eye
from ..elementwise import greater_equal, multiply
from ..primitive import Primitive, write_out
from ..shape import _same_dtype, broadcast_to, expand_dims, reshape, swapaxes, transpose
from .products import matmul, tensordot

_LAPACK = (_dtypes.float32, _dtypes.float64)


# ---- checks (at the call, naming the function) -----------------------------------------------
def _floats(name: str, a: ndarray) -> None:
    if a.dtype not in _LAPACK:
        raise TypeError(f"{name}: only float32 and float64 inputs are supported, got {a.dtype}")


def matrices(name: str, a, square: bool = True, floats: bool = True) -> ndarray:
    """``a`` checked to be a stack of (square) matrices, of a LAPACK dtype if ``floats``."""
    require_array(name, a)
    if floats:
        _floats(name, a)
    if a.ndim < 2:
        raise OpError(f"{name}: expected an array of at least 2 dimensions, got shape {a.shape}")
    if square and a.shape[-1] != a.shape[-2]:
        raise OpError(f"{name}: the last two dimensions must be equal (square matrices), got "
                      f"shape {a.shape}")
    return a


def as_lapack(xp, a):
    """Raw input in a dtype LAPACK takes: integers become float64, as NumPy does."""
    return _dtypes.lapack_float(a)


# ---- helpers for rules (our ops, so that rules can be differentiated again) ------------------
def mT(x: ndarray) -> ndarray:
    """``x`` with its last two axes swapped."""
    return swapaxes(x, -1, -2)


def as_matrix(x: ndarray) -> ndarray:
    """A stack of scalars as a stack of 1x1 matrices (broadcasts against matrices)."""
    return reshape(x, x.shape + (1, 1))


def lower_mask(n: int, like: ndarray, diagonal: float = 1.0) -> ndarray:
    """An ``n x n`` constant: ones below the diagonal, ``diagonal`` on it, zeros above."""
    r = arange(n, ctx=like.device)
    low = greater_equal(reshape(r, (n, 1)), r).astype(like.dtype)
    return low if diagonal == 1.0 else low - (1.0 - diagonal) * eye(n, dtype=like.dtype,
                                                                     ctx=like.device)


# ---- inv, det, slogdet ------------------------------------------------------------------------
def _inv_vjp(g, ans, a):
    # d(A^-1) = -A^-1 dA A^-1, so Abar = -A^-T g A^-T
    t = mT(ans)
    return -matmul(t, matmul(g, t))


_inv = Primitive("inv", lambda xp, a: xp.linalg.inv(a), (_inv_vjp,), keep=("ans",))


def inv(a):
    return _inv(matrices("inv", a))


def _det_vjp(g, ans, a):
    # Jacobi's formula: d det A = det A tr(A^-1 dA), so Abar = g det A A^-T
    return as_matrix(g * ans) * mT(inv(a))


_det = Primitive("det", lambda xp, a: xp.linalg.det(a), (_det_vjp,), keep=(0, "ans"))


def det(a):
    return _det(matrices("det", a))


def _slogdet_vjp(g, ans, a):
    # d log|det A| = tr(A^-1 dA); the sign is piecewise constant (no gradient)
    return as_matrix(g[1]) * mT(inv(a))


_slogdet = Primitive("slogdet", lambda xp, a: tuple(xp.linalg.slogdet(a)), (_slogdet_vjp,),
                     keep=(0,))


def slogdet(a):
    """Returns ``[sign, logabsdet]`` (a list, as MXNet does)."""
    return _slogdet(matrices("slogdet", a))


# ---- solve ------------------------------------------------------------------------------------
def _solve_forward(xp, a, b, vector):
    a, b = _same_dtype(xp, (as_lapack(xp, a), as_lapack(xp, b)))  # int32 with float32: float64
    if vector:
        return xp.linalg.solve(a, b[..., None])[..., 0]
    return xp.linalg.solve(a, b)


def _solve_vjp(g, ans, a, b, vector):
    # x = A^-1 b: bbar = A^-T g and Abar = -bbar x^T
    gb = _solve(mT(a), g, vector=vector)
    if vector:
        return -(expand_dims(gb, -1) * expand_dims(ans, -2)), gb
    return -matmul(gb, mT(ans)), gb


_solve = Primitive("solve", _solve_forward, vjp_all=_solve_vjp)


def solve(a, b):
    """``b`` is a stack of vectors when it has one dimension less than ``a`` (MXNet and NumPy
    1.x; NumPy 2 treats it as a stack of matrices unless it is 1-D)."""
    matrices("solve", a, floats=False)
    require_array("solve", b, "b")
    vector = b.ndim == 1 or b.ndim == a.ndim - 1
    if b.ndim == 0 or b.shape[-1 if vector else -2] != a.shape[-1]:
        raise OpError(f"solve: b of shape {b.shape} does not match a of shape {a.shape}")
    return _solve(a, b, vector=vector)


# ---- cholesky ---------------------------------------------------------------------------------
def _cholesky_vjp(g, ans, a):
    # A = L L^T (Murray 2016): Abar = sym(L^-T Phi(L^T Lbar) L^-1), Phi = the lower triangle
    # with its diagonal halved; symmetric because only symmetric A are meaningful inputs
    n = a.shape[-1]
    linv = inv(ans)
    phi = matmul(mT(ans), g) * lower_mask(n, g, diagonal=0.5)
    s = matmul(mT(linv), matmul(phi, linv))
    return 0.5 * (s + mT(s))


_cholesky = Primitive("cholesky", lambda xp, a: xp.linalg.cholesky(a), (_cholesky_vjp,),
                      keep=("ans",))


def cholesky(a):
    return _cholesky(matrices("cholesky", a))


# ---- composites: their gradients come from matmul, inv, solve, reshape -----------------------
def matrix_power(a, n):
    matrices("matrix_power", a, floats=False)
    try:
        n = operator.index(n)
    except TypeError as e:
        raise TypeError(f"matrix_power: exponent must be an integer, got {n!r}") from e
    if n == 0:
        return copy(broadcast_to(eye(a.shape[-1], dtype=a.dtype, ctx=a.device), a.shape))
    if n < 0:
        a = inv(_dtypes.lapack_float(a))
        n = -n
    result, base = None, a
    while n:  # binary powering: a^n from the squares a, a^2, a^4 ...
        if n & 1:
            result = base if result is None else matmul(result, base)
        n >>= 1
        if n:
            base = matmul(base, base)
    return copy(result) if result is a else result


def _chain_order(shapes) -> list:
    """``split[i][j]``: where the cheapest product of matrices i..j splits (dynamic programming)."""
    n = len(shapes)
    dims = [shapes[0][0]] + [s[1] for s in shapes]
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j] = onp.inf
            for k in range(i, j):
                c = cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1]
                if c < cost[i][j]:
                    cost[i][j], split[i][j] = c, k
    return split


def _chain(arrays, split, i, j):
    if i == j:
        return arrays[i]
    k = split[i][j]
    return matmul(_chain(arrays, split, i, k), _chain(arrays, split, k + 1, j))


def multi_dot(arrays, *, out=None):
    arrays = [require_array("multi_dot", a, "arrays") for a in arrays]
    if len(arrays) < 2:
        raise OpError("multi_dot: expected at least two arrays")
    first, last = arrays[0].ndim == 1, arrays[-1].ndim == 1
    if first:
        arrays[0] = reshape(arrays[0], (1, -1))
    if last:
        arrays[-1] = reshape(arrays[-1], (-1, 1))
    for a in arrays:
        if a.ndim != 2:
            raise OpError(f"multi_dot: expected 2-D arrays (1-D at the ends), got shape "
                          f"{a.shape}")
    result = _chain(arrays, _chain_order([a.shape for a in arrays]), 0, len(arrays) - 1)
    shape = result.shape[first:result.ndim - last]
    return write_out(result if shape == result.shape else reshape(result, shape), out)


def tensorinv(a, ind=2):
    require_array("tensorinv", a)
    if ind <= 0:
        raise OpError(f"tensorinv: ind must be a positive integer, got {ind}")
    rows, cols = a.shape[:ind], a.shape[ind:]
    if onp.prod(rows, dtype=int) != onp.prod(cols, dtype=int):
        raise OpError(f"tensorinv: a of shape {a.shape} is not 'square' for ind={ind}")
    return reshape(inv(reshape(a, (-1, int(onp.prod(cols, dtype=int))))), cols + rows)


def tensorsolve(a, b, axes=None):
    require_array("tensorsolve", a)
    require_array("tensorsolve", b, "b")
    if axes is not None:  # the named axes of a move to the end, in that order
        order = [k for k in range(a.ndim) if k not in [x % a.ndim for x in axes]]
        a = transpose(a, tuple(order) + tuple(x % a.ndim for x in axes))
    shape = a.shape[-(a.ndim - b.ndim):]  # NumPy's: all of a's axes when b has as many
    size = int(onp.prod(shape, dtype=int))
    if a.size != size * size or b.size != size:
        raise OpError(f"tensorsolve: a of shape {a.shape} and b of shape {b.shape} do not "
                      "satisfy prod(a.shape[b.ndim:]) == prod(a.shape[:b.ndim]) == b.size")
    return reshape(solve(reshape(a, (size, size)), reshape(b, (size,))), shape)


# ---- inner, vdot (composites of tensordot) ---------------------------------------------------
def inner(a, b):
    require_array("inner", a)
    require_array("inner", b, "b")
    if a.ndim == 0 or b.ndim == 0:
        return multiply(a, b)
    if a.shape[-1] != b.shape[-1]:
        raise OpError(f"inner: last dimensions differ: shapes {a.shape} and {b.shape}")
    return tensordot(a, b, axes=((a.ndim - 1,), (b.ndim - 1,)))


def vdot(a, b):
    require_array("vdot", a)
    require_array("vdot", b, "b")
    if a.size != b.size:
        raise OpError(f"vdot: inputs of {a.size} and {b.size} elements")
    return tensordot(reshape(a, (-1,)), reshape(b, (-1,)), axes=1)
