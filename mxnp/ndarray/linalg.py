"""``mx.nd.linalg``: MXNet 1.x's batched BLAS/LAPACK operators (on the last two axes), as
composites of ``np.linalg`` and ``np`` ops, so each has its gradient. The ``linalg_*``
operators of ``mx.nd`` are these same functions.
"""
from __future__ import annotations

import math

import numpy as onp

from .. import numpy as np
from ..base import MXNetError
from ._define import legacy_op
from .ndarray import at_least_1d

__all__ = [
    "det",
    "extractdiag",
    "extracttrian",
    "gelqf",
    "gemm",
    "gemm2",
    "inverse",
    "makediag",
    "maketrian",
    "potrf",
    "potri",
    "slogdet",
    "sumlogdiag",
    "syevd",
    "syrk",
    "trmm",
    "trsm",
]


def _t(a, flag=True):
    return np.swapaxes(a, -1, -2) if flag else a


def _last_two(a, axis):
    """``a`` with its row axis ``axis`` moved next to the last (gemm's ``axis``)."""
    return a if axis in (-2, a.ndim - 2) else np.moveaxis(a, axis, -2)


def _rows_back(a, axis):
    """The inverse of ``_last_two``."""
    return a if axis in (-2, a.ndim - 2) else np.moveaxis(a, -2, axis)


def _shown(shape) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


def _check_mult_shapes(op, arrays, transpose_a, transpose_b, axis) -> None:
    """MXNet's shape inference for gemm/gemm2 (``LaMatrixMultMacOpShape``): inputs of one
    rank >= 2, equal but for the row axis ``axis`` and the last; inner dimensions that agree;
    gemm's ``C`` of exactly the product's shape. Raises MXNetError with MXNet's messages."""
    ndim = arrays[0].ndim
    if ndim < 2 or any(x.ndim != ndim for x in arrays):
        raise MXNetError(f"Operator {op} inferring shapes failed.")
    a, b = arrays[0].shape, arrays[1].shape
    row = axis + ndim if axis < 0 else axis
    for i in range(ndim - 1):
        if i != row and a[i] != b[i]:
            raise MXNetError(f"Check failed: (*in_attrs)[0][i] == (*in_attrs)[1][i] ({a[i]} vs. "
                             f"{b[i]}) : Shapes of inputs 0, 1 must be the same, except on "
                             "row/col axis")
    inner_a = a[row] if transpose_a else a[-1]
    inner_b = b[-1] if transpose_b else b[row]
    if inner_a != inner_b:
        raise MXNetError("Check failed: (transpose_a ? (*in_attrs)[0][axis] : (*in_attrs)[0]"
                         "[ndim-1]) == (transpose_b ? (*in_attrs)[1][ndim-1] : (*in_attrs)[1]"
                         f"[axis]) ({inner_a} vs. {inner_b}) : Incompatible matrix dimensions "
                         "for multiplication")
    out = list(a)
    out[row] = a[-1] if transpose_a else a[row]
    out[-1] = b[row] if transpose_b else b[-1]
    if len(arrays) == 3 and tuple(arrays[2].shape) != tuple(out):
        raise MXNetError(f"Shape inconsistent, Provided = {_shown(arrays[2].shape)}, inferred "
                         f"shape={_shown(out)}")


@legacy_op("_linalg_gemm", ("A", "B", "C"), aliases=("linalg_gemm",))
def gemm(A, B, C, transpose_a=False, transpose_b=False, alpha=1.0, beta=1.0, axis=-2):
    """alpha * op(A) @ op(B) + beta * C; the matrices' rows lie along ``axis``, their
    columns along the last axis."""
    _check_mult_shapes("_linalg_gemm", (A, B, C), transpose_a, transpose_b, axis)
    A, B, C = (_last_two(x, axis) for x in (A, B, C))
    out = alpha * np.matmul(_t(A, transpose_a), _t(B, transpose_b)) + beta * C
    return _rows_back(out, axis)


@legacy_op("_linalg_gemm2", ("A", "B"), aliases=("linalg_gemm2",))
def gemm2(A, B, transpose_a=False, transpose_b=False, alpha=1.0, axis=-2):
    """alpha * op(A) @ op(B); the matrices' rows lie along ``axis``, their columns along the
    last axis."""
    _check_mult_shapes("_linalg_gemm2", (A, B), transpose_a, transpose_b, axis)
    A, B = _last_two(A, axis), _last_two(B, axis)
    return _rows_back(alpha * np.matmul(_t(A, transpose_a), _t(B, transpose_b)), axis)



@legacy_op("_linalg_potrf", ("A",), aliases=("linalg_potrf",))
def potrf(A, lower=True):
    """The Cholesky factor of a symmetric positive-definite A: L with A = L L^T, or with
    ``lower=False`` the upper U = L^T (A = U^T U)."""
    factor = np.linalg.cholesky(A)
    return factor if lower else _t(factor)


@legacy_op("_linalg_potri", ("A",), aliases=("linalg_potri",))
def potri(A, lower=True):
    """(L L^T)^-1 from the Cholesky factor L, or (U^T U)^-1 from U with ``lower=False``."""
    return np.linalg.inv(np.matmul(A, _t(A)) if lower else np.matmul(_t(A), A))


def _tri(A, lower):
    return np.tril(A) if lower else np.triu(A)


@legacy_op("_linalg_trsm", ("A", "B"), aliases=("linalg_trsm",))
def trsm(A, B, transpose=False, rightside=False, lower=True, alpha=1.0):
    """X solving op(A) X = alpha B (or X op(A) = alpha B with ``rightside``), A triangular."""
    a = _t(_tri(A, lower), transpose)
    if rightside:  # X a = alpha B  <=>  a^T X^T = alpha B^T
        return _t(np.linalg.solve(_t(a), _t(alpha * B)))
    return np.linalg.solve(a, alpha * B)


@legacy_op("_linalg_trmm", ("A", "B"), aliases=("linalg_trmm",))
def trmm(A, B, transpose=False, rightside=False, lower=True, alpha=1.0):
    """alpha op(A) B (or alpha B op(A) with ``rightside``), A triangular."""
    a = _t(_tri(A, lower), transpose)
    return alpha * (np.matmul(B, a) if rightside else np.matmul(a, B))


@legacy_op("_linalg_syrk", ("A",), aliases=("linalg_syrk",))
def syrk(A, transpose=False, alpha=1.0):
    """alpha A A^T (or alpha A^T A with ``transpose``)."""
    return alpha * (np.matmul(_t(A), A) if transpose else np.matmul(A, _t(A)))


@legacy_op("_linalg_gelqf", ("A",), aliases=("linalg_gelqf",), num_outputs=2)
def gelqf(A):
    """[Q, L] with A = L Q, Q's rows orthonormal and L lower triangular (via QR of A^T)."""
    q, r = np.linalg.qr(_t(A))
    return [_t(q), _t(r)]


@legacy_op("_linalg_syevd", ("A",), aliases=("linalg_syevd",), num_outputs=2)
def syevd(A):
    """[U, lam]: the eigenvectors as U's rows and the ascending eigenvalues of symmetric A."""
    lam, vecs = np.linalg.eigh(A)
    return [_t(vecs), lam]


@legacy_op("_linalg_sumlogdiag", ("A",), aliases=("linalg_sumlogdiag",))
def sumlogdiag(A):
    """The sum of the logs of the diagonal (one matrix: shape (1,))."""
    out = np.sum(np.log(np.diagonal(A, axis1=-2, axis2=-1)), axis=-1)
    return at_least_1d(out)


@legacy_op("_linalg_extractdiag", ("A",), aliases=("linalg_extractdiag",))
def extractdiag(A, offset=0):
    """The ``offset`` diagonal of each matrix."""
    return np.diagonal(A, offset, axis1=-2, axis2=-1)


@legacy_op("_linalg_makediag", ("A",), aliases=("linalg_makediag",))
def makediag(A, offset=0):
    """Square matrices with ``A``'s last axis on the ``offset`` diagonal."""
    n = A.shape[-1] + abs(offset)
    eye = np.eye(n, k=offset, dtype=A.dtype, ctx=A.context)
    cols = onp.arange(A.shape[-1]) + max(offset, 0)
    select = np.array(onp.eye(n, dtype=A.dtype)[cols], ctx=A.context)  # (m, n)
    return np.expand_dims(np.matmul(A, select), -2) * eye


def _trian_select(n, offset, lower, dtype, ctx):
    """A constant (m, n, n) 0/1 tensor: entry k marks the k-th packed position (MXNet's order:
    row-major, except the upper triangle at offset 0, which runs column by column).
    """
    if offset > 0:
        rows, cols = onp.triu_indices(n, offset)
    elif offset < 0 or lower:
        rows, cols = onp.tril_indices(n, offset)
    else:
        cols, rows = onp.tril_indices(n)
    sel = onp.zeros((len(rows), n, n), dtype=dtype)
    sel[onp.arange(len(rows)), rows, cols] = 1
    return np.array(sel, ctx=ctx)


@legacy_op("_linalg_extracttrian", ("A",), aliases=("linalg_extracttrian",))
def extracttrian(A, offset=0, lower=True):
    """The triangle at ``offset`` packed into a vector."""
    sel = _trian_select(A.shape[-1], offset, lower, A.dtype, A.context)
    return np.tensordot(A, sel, axes=([-2, -1], [1, 2]))


@legacy_op("_linalg_maketrian", ("A",), aliases=("linalg_maketrian",))
def maketrian(A, offset=0, lower=True):
    """The inverse of extracttrian: packed vectors to triangular matrices."""
    m = A.shape[-1]
    n = (math.isqrt(8 * m + 1) - 1) // 2 + abs(offset)
    sel = _trian_select(n, offset, lower, A.dtype, A.context)
    return np.tensordot(A, sel, axes=1)


@legacy_op("_linalg_det", ("A",), aliases=("linalg_det",))
def det(A):
    """The determinant of each matrix."""
    return np.linalg.det(A)


@legacy_op("_linalg_inverse", ("A",), aliases=("linalg_inverse",))
def inverse(A):
    """The inverse of each matrix."""
    return np.linalg.inv(A)


@legacy_op("_linalg_slogdet", ("A",), aliases=("linalg_slogdet",), num_outputs=2)
def slogdet(A):
    """[sign, log|det|] of each matrix."""
    return list(np.linalg.slogdet(A))
