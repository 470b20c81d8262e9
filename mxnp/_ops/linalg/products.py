"""Products: dot, matmul, tensordot, outer, with their VJPs."""
from __future__ import annotations

import builtins

import numpy as onp

from ...base import OpError
from ..checks import require_array
from ..primitive import Primitive, write_out
from ..shape import _reshape, _same_dtype, _transpose


def _mT(x):
    """``x`` with its last two axes swapped (a view: only used inside VJPs)."""
    axes = tuple(range(x.ndim - 2)) + (x.ndim - 1, x.ndim - 2)
    return _transpose(x, axes=axes, copy=False)


def _expand(x, axis):
    shape = list(x.shape)
    shape.insert(axis % (x.ndim + 1), 1)
    return _reshape(x, shape=tuple(shape), copy=False)


def _drop(x, axis):
    shape = list(x.shape)
    del shape[axis]
    return _reshape(x, shape=tuple(shape), copy=False)


# ---- tensordot --------------------------------------------------------------------------------
def tensordot_axes(axes, a_ndim: int, b_ndim: int):
    """NumPy's ``axes`` argument as two tuples of non-negative axes, pairwise contracted."""
    if isinstance(axes, (int, onp.integer)):
        if axes < 0 or axes > builtins.min(a_ndim, b_ndim):
            raise OpError(f"tensordot: axes={axes} does not fit inputs of {a_ndim} and "
                          f"{b_ndim} dimensions")
        return tuple(range(a_ndim - axes, a_ndim)), tuple(range(axes))
    ax_a, ax_b = axes
    ax_a = (ax_a,) if isinstance(ax_a, (int, onp.integer)) else tuple(ax_a)
    ax_b = (ax_b,) if isinstance(ax_b, (int, onp.integer)) else tuple(ax_b)
    if len(ax_a) != len(ax_b):
        raise OpError(f"tensordot: axes {ax_a} and {ax_b} differ in length")
    for ax, ndim in ((ax_a, a_ndim), (ax_b, b_ndim)):
        if builtins.any(not -ndim <= a < ndim for a in ax):  # else `%` below would wrap them
            raise OpError(f"tensordot: axes {ax} out of bounds for an input of {ndim} "
                          "dimensions")
    return tuple(a % a_ndim for a in ax_a), tuple(b % b_ndim for b in ax_b)


def _free(axes, ndim):
    return tuple(i for i in range(ndim) if i not in axes)


def _tensordot_vjp_a(g, ans, a, b, axes):
    ax_a, ax_b = axes
    free_a, free_b = _free(ax_a, a.ndim), _free(ax_b, b.ndim)
    # b's contracted axes come out in b's order; map them back to the a axes they pair with
    paired = tuple(ax_a[k] for k in onp.argsort(ax_b))
    out = _tensordot(g, b, axes=(tuple(range(len(free_a), g.ndim)), free_b))
    return _transpose(out, axes=tuple(onp.argsort(free_a + paired)), copy=False)


def _tensordot_vjp_b(g, ans, a, b, axes):
    ax_a, ax_b = axes
    free_a, free_b = _free(ax_a, a.ndim), _free(ax_b, b.ndim)
    paired = tuple(ax_b[k] for k in onp.argsort(ax_a))
    out = _tensordot(a, g, axes=(free_a, tuple(range(len(free_a)))))
    return _transpose(out, axes=tuple(onp.argsort(paired + free_b)), copy=False)


def _tensordot_forward(xp, a, b, axes):
    a, b = _same_dtype(xp, (a, b))
    return xp.tensordot(a, b, axes=axes)


_tensordot = Primitive("tensordot", _tensordot_forward, (_tensordot_vjp_a, _tensordot_vjp_b))


def _arrays(name, a, b) -> None:
    """MXNet refuses anything but arrays here (NumPy would take scalars and lists)."""
    for arg, x in (("a", a), ("b", b)):
        require_array(name, x, f"argument {arg}")


def tensordot(a, b, axes=2):
    _arrays("tensordot", a, b)
    return _tensordot(a, b, axes=tensordot_axes(axes, a.ndim, b.ndim))


# ---- dot ----------------------------------------------------------------------------------------
def _dot_axes(a, b):
    return (a.ndim - 1,), (builtins.max(b.ndim - 2, 0),)


# For two matrices the rules use dot with transposed operands (ta, tb: BLAS reads a transpose
# in place), which keeps a backward pass free of transpose ops and is closed under
# differentiation: C = op(A) op(B) gives dA and dB as such products again.
def _dot_vjp_a(g, ans, a, b, ta=False, tb=False):
    if a.ndim == 0 or b.ndim == 0:
        return g * b
    if b.ndim == 1:
        if a.ndim == 1:
            return g * b
        return _expand(b, -1) * g if ta else _expand(g, -1) * b  # outer(b, g) or outer(g, b)
    if a.ndim <= 2 and b.ndim == 2:
        if ta:  # C = A^T op(B): dA = op(B) dC^T
            return _dot(b, g, ta=tb, tb=True)
        return _dot(g, b, tb=not tb)  # dA = dC op(B)^T
    return _tensordot_vjp_a(g, ans, a, b, _dot_axes(a, b))


def _dot_vjp_b(g, ans, a, b, ta=False, tb=False):
    if a.ndim == 0 or b.ndim == 0:
        return g * a
    if a.ndim == 1 and b.ndim == 1:
        return g * a
    if a.ndim == 1 and b.ndim == 2:
        return _expand(g, -1) * a if tb else _expand(a, -1) * g  # outer(g, a) or outer(a, g)
    if a.ndim == 2 and b.ndim <= 2:  # with b.ndim >= 3, a's free axis comes first in g
        if tb:  # C = op(A) B^T: dB = dC^T op(A)
            return _dot(g, a, ta=True, tb=ta)
        return _dot(a, g, ta=not ta)  # dB = op(A)^T dC
    return _tensordot_vjp_b(g, ans, a, b, _dot_axes(a, b))


def _dot_forward(xp, a, b, ta=False, tb=False):
    a, b = _same_dtype(xp, (a, b))
    return xp.dot(a.T if ta else a, b.T if tb else b)


_dot = Primitive("dot", _dot_forward, (_dot_vjp_a, _dot_vjp_b))


def dot(a, b, out=None):
    _arrays("dot", a, b)
    return write_out(_dot(a, b), out)


# ---- matmul -------------------------------------------------------------------------------------
def _matmul_vjp_a(g, ans, a, b):
    if b.ndim == 1:
        return _expand(g, -1) * b if a.ndim > 1 else g * b
    if a.ndim == 1:
        return _drop(matmul(_expand(g, -2), _mT(b)), -2)
    return matmul(g, _mT(b))


def _matmul_vjp_b(g, ans, a, b):
    if a.ndim == 1:
        return _expand(a, -1) * _expand(g, -2) if b.ndim > 1 else g * a
    if b.ndim == 1:
        return _drop(matmul(_mT(a), _expand(g, -1)), -1)
    return matmul(_mT(a), g)


def _matmul_forward(xp, a, b):
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError("input operand does not have enough dimensions (0-d inputs are not "
                         "allowed; use multiply)")
    a, b = _same_dtype(xp, (a, b))
    return xp.matmul(a, b)


_matmul = Primitive("matmul", _matmul_forward, (_matmul_vjp_a, _matmul_vjp_b))


def matmul(a, b, out=None):
    _arrays("matmul", a, b)
    return write_out(_matmul(a, b), out)


def outer(a, b):
    """Composite: a column times a row (its gradient comes from multiply and reshape)."""
    return _reshape(a, shape=(-1, 1), copy=False) * _reshape(b, shape=(1, -1), copy=False)
