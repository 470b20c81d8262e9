"""Decompositions (qr, svd, eigh, eig) and what is built on them (pinv, matrix_rank, lstsq).

The rules of these multi-output primitives read the outputs; under ``create_graph`` the tape
hands them the outputs still linked to the node, so second order needs nothing special here.
"""
from __future__ import annotations

from ... import _dtypes
from ...base import OpError
from ..checks import require_array
from ..creation import eye
from ..elementwise import greater, where
from ..primitive import Primitive
from ..reduction import max as _max
from ..shape import concatenate, expand_dims
from .ops import as_lapack, lower_mask, matrices, mT, solve
from .products import matmul


def _inverse_gaps(w):
    """``F[i, j] = 1 / (w[j] - w[i])`` off the diagonal, 0 on it."""
    e = eye(w.shape[-1], dtype=w.dtype, ctx=w.device)
    return (1.0 - e) / (expand_dims(w, -2) - expand_dims(w, -1) + e)


def _diag(x):
    """A stack of vectors as a stack of diagonal matrices."""
    return expand_dims(x, -2) * eye(x.shape[-1], dtype=x.dtype, ctx=x.device)


def _right_solve_rt(x, r):
    """``x R^-T`` for square ``R``: the transpose of ``R^-1 x^T``."""
    return mT(solve(r, mT(x)))


# ---- qr ---------------------------------------------------------------------------------------
def _qr_forward(xp, a, mode="reduced"):
    return tuple(xp.linalg.qr(as_lapack(xp, a), mode=mode))


def _qr_square_vjp(q, r, gq, gr):
    # A = QR with R square (TensorFlow's QrGrad; Walter and Lehmann 2018):
    # Abar = Q (Rbar + tril(Q^T Qbar - sym., R Rbar^T - sym.) R^-T) + (Qbar - Q Q^T Qbar) R^-T
    qdq = matmul(mT(q), gq)
    rdr = matmul(r, mT(gr))
    low = (qdq - mT(qdq) + rdr - mT(rdr)) * lower_mask(r.shape[-1], r)
    return matmul(q, gr + _right_solve_rt(low, r)) + _right_solve_rt(gq - matmul(q, qdq), r)


def _qr_vjp(g, ans, a, mode="reduced"):
    q, r = ans
    m, n = a.shape[-2:]
    if q.shape[-1] != min(m, n):
        raise OpError("qr: no gradient for mode='complete' with more rows than columns")
    gq, gr = g
    if m >= n:
        return _qr_square_vjp(q, r, gq, gr)
    # wide A = Q [U | V]: A's first m columns are Q U, the rest are Q V (TensorFlow)
    y, gv = a[..., m:], gr[..., m:]
    gx = _qr_square_vjp(q, r[..., :m], gq + matmul(y, mT(gv)), gr[..., :m])
    return concatenate([gx, matmul(q, gv)], axis=-1)


_qr = Primitive("qr", _qr_forward, (_qr_vjp,), keep=(0,))


def qr(a, mode="reduced"):
    """Modes 'reduced', 'complete' and 'r' ('raw' is not supported)."""
    matrices("qr", a, square=False, floats=False)
    if mode not in ("reduced", "complete", "r"):
        raise OpError(f"qr: mode must be 'reduced', 'complete' or 'r', got {mode!r}")
    if mode == "r":
        return _qr(a)[1]
    return tuple(_qr(a, mode=mode))


# ---- svd --------------------------------------------------------------------------------------
def _svd_vjp(g, ans, a):
    # Townsend 2016, "Differentiating the singular value decomposition", with F[i, j] =
    # 1 / (s_j^2 - s_i^2): Abar = U [(F o (U^T Ubar - Ubar^T U)) S + diag(sbar)
    #   + S (F o (V^T Vbar - Vbar^T V))] V^T + (I - U U^T) Ubar S^-1 V^T + U S^-1 Vbar^T (I - V V^T)
    u, s, vh = ans
    gu, gs, gvh = g
    v = mT(vh)
    f = _inverse_gaps(s * s)
    left = f * (matmul(mT(u), gu) - matmul(mT(gu), u))
    right = f * (matmul(vh, mT(gvh)) - matmul(gvh, v))
    core = left * expand_dims(s, -2) + _diag(gs) + expand_dims(s, -1) * right
    ga = matmul(u, matmul(core, vh))
    m, n, k = a.shape[-2], a.shape[-1], s.shape[-1]
    if m > k:  # U's columns do not span the whole column space
        ga = ga + matmul((gu - matmul(u, matmul(mT(u), gu))) / expand_dims(s, -2), vh)
    if n > k:
        ga = ga + matmul(u, (gvh - matmul(matmul(gvh, v), vh)) / expand_dims(s, -1))
    return ga


def _largest_entry_sign(xp, v, axis):
    """+1 or -1 per vector along ``axis``: the sign of its largest-magnitude entry (the first
    such entry on a tie). MXNet flips eigen- and singular vectors so that entry is positive."""
    if v.shape[axis] == 0:  # no entries (a 0 x 0 matrix): nothing to flip
        return xp.ones(v.shape[:axis % v.ndim] + (1,) + v.shape[axis % v.ndim + 1:], v.dtype)
    k = xp.expand_dims(xp.argmax(xp.abs(v), axis=axis), axis)
    return xp.where(xp.take_along_axis(v, k, axis) < 0, -1, 1).astype(v.dtype)


def _svd_forward(xp, a):
    u, s, vh = xp.linalg.svd(a, full_matrices=False)
    sign = _largest_entry_sign(xp, vh, -1)  # one per row of vh, applied to u's matching column
    return u * xp.swapaxes(sign, -1, -2), s, vh * sign


_svd = Primitive("svd", _svd_forward, (_svd_vjp,), keep=(0,))


def svd(a, full_matrices=False, compute_uv=True, hermitian=False):
    """Returns ``(u, s, vh)`` with ``a = u @ diag(s) @ vh``; reduced (``full_matrices=False``)
    by default, as MXNet's only mode (NumPy's default is True). MXNet refuses more rows than
    columns; this follows NumPy there. ``hermitian`` changes nothing (the result is an SVD)."""
    matrices("svd", a, square=False)
    if full_matrices and compute_uv and a.shape[-1] != a.shape[-2]:
        raise OpError("svd: full_matrices=True is not supported for non-square matrices")
    out = _svd(a)
    return tuple(out) if compute_uv else out[1]


# ---- eigh, eigvalsh, eig, eigvals -------------------------------------------------------------
def _eigh_vjp(g, ans, a, UPLO="L"):
    # A = V diag(w) V^T: Abar = V (diag(wbar) + F o (V^T Vbar)) V^T with F[i, j] = 1 / (w_j -
    # w_i) (the eigenvalues must be distinct); symmetrised, as only symmetric A are meant
    w, v = ans
    gw, gv = g
    s = matmul(v, matmul(_diag(gw) + _inverse_gaps(w) * matmul(mT(v), gv), mT(v)))
    return 0.5 * (s + mT(s))


def _eigh_forward(xp, a, UPLO="L"):
    w, v = xp.linalg.eigh(as_lapack(xp, a), UPLO)
    return w, v * _largest_entry_sign(xp, v, -2)  # eigenvectors are v's columns


_eigh = Primitive("eigh", _eigh_forward, (_eigh_vjp,), keep=(0,))


def _uplo(name, UPLO):
    if UPLO not in ("L", "U"):
        raise OpError(f"{name}: UPLO must be 'L' or 'U', got {UPLO!r}")
    return UPLO


def eigh(a, UPLO="L"):
    return tuple(_eigh(matrices("eigh", a, floats=False), UPLO=_uplo("eigh", UPLO)))


def eigvalsh(a, UPLO="L"):
    return _eigh(matrices("eigvalsh", a, floats=False), UPLO=_uplo("eigvalsh", UPLO))[0]


_eig = Primitive("eig", lambda xp, a: tuple(xp.linalg.eig(as_lapack(xp, a))))
_eigvals = Primitive("eigvals", lambda xp, a: xp.linalg.eigvals(as_lapack(xp, a)))


def eig(a):
    """No gradient (MXNet's is zero)."""
    return tuple(_eig(matrices("eig", a, floats=False)))


def eigvals(a):
    """No gradient (MXNet's is zero)."""
    return _eigvals(matrices("eigvals", a, floats=False))


# ---- built on svd -----------------------------------------------------------------------------
def pinv(a, rcond=1e-15, hermitian=False):
    """Composite of svd: ``V diag(1/s) U^T`` over the singular values above ``rcond * max(s)``.
    Default ``rcond`` as MXNet (and NumPy 1.x)."""
    matrices("pinv", a, square=False)
    if a.size == 0:  # no singular values to take a max of: the empty transpose, as NumPy
        return mT(a) * 0
    u, s, vh = _svd(a)
    if not isinstance(rcond, (int, float)):
        rcond = expand_dims(require_array("pinv", rcond, "rcond"), -1)
    large = greater(s, rcond * _max(s, axis=-1, keepdims=True))
    # 1/s only where s is kept: elsewhere a 0 would put nan into the gradient
    s_inv = where(large, 1.0 / where(large, s, 1.0), 0.0)
    return matmul(mT(vh) * expand_dims(s_inv, -2), mT(u))


_matrix_rank = Primitive("matrix_rank", lambda xp, a, tol=None, hermitian=False:
                         xp.linalg.matrix_rank(a, tol=tol, hermitian=hermitian))


def matrix_rank(A, tol=None, hermitian=False):
    """A 0-d int64 array (or an array of ranks); MXNet returns a NumPy integer."""
    require_array("matrix_rank", A, "A")
    return _matrix_rank(A, tol=tol, hermitian=hermitian)


def _lstsq_forward(xp, a, b, rcond=None):
    a, b = as_lapack(xp, a), as_lapack(xp, b)
    x, residuals, rank, s = xp.linalg.lstsq(a, b, rcond=rcond)
    return x, residuals, xp.asarray(rank, dtype=xp.int32), s


_lstsq = Primitive("lstsq", _lstsq_forward)


def lstsq(a, b, rcond=None):
    """No gradient (as MXNet). ``rank`` is a NumPy int32, as in MXNet."""
    matrices("lstsq", a, square=False, floats=False)
    require_array("lstsq", b, "b")
    if a.ndim != 2 or b.ndim not in (1, 2) or b.shape[0] != a.shape[0]:
        raise OpError(f"lstsq: a of shape {a.shape} and b of shape {b.shape} do not fit")
    return tuple(_lstsq(a, b, rcond=rcond))
