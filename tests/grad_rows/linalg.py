"""Rows for np.linalg and einsum: decompositions on well-conditioned inputs built inside fn."""
from __future__ import annotations

from tests.grad_rows.common import S, ns


def mT(x):
    return ns(x).swapaxes(x, -1, -2)


def spd(x):  # symmetric positive definite, far from singular
    return x @ mT(x) + 3.0 * ns(x).eye(x.shape[-1], dtype=x.dtype)


def sym(x):  # symmetric; random entries give distinct eigenvalues
    return x + mT(x)


def la(x):
    return ns(x).linalg


def _largest_sign(v, axis):
    m = ns(v)
    k = m.expand_dims(m.abs(v).argmax(axis=axis), axis)
    return m.where(m.take_along_axis(v, k, axis) < 0, -1.0, 1.0)


def svd_mx(x):
    """svd with MXNet's signs (each row of vh has a positive largest-magnitude entry): turns
    NumPy's output into MXNet's, and changes nothing in mxnp's."""
    u, s, vh = la(x).svd(x, full_matrices=False)
    sign = _largest_sign(vh, -1)
    return u * mT(sign), s, vh * sign


def eigh_mx(a, UPLO="L"):
    """eigh with MXNet's signs (each eigenvector has a positive largest-magnitude entry)."""
    w, v = la(a).eigh(a, UPLO=UPLO)
    return w, v * _largest_sign(v, -2)


def ein(subscripts):
    return lambda *xs: ns(xs[0]).einsum(subscripts, *xs)


def rows_einsum():
    cases = [("ij,jk->ik", [(2, 3), (3, 4)]), ("ij,jk", [(2, 3), (3, 2)]),
             ("ii", [(3, 3)]), ("ii->i", [(3, 3)]), ("iij->j", [(2, 2, 3)]),
             ("ij->", [(2, 3)]), ("ij->ji", [(2, 3)]), ("i,i", [(3,), (3,)]),
             ("i,j->ij", [(2,), (3,)]), ("ij,k", [(2, 3), (2,)]),
             ("...ij,...jk->...ik", [(2, 2, 3), (3, 2)]), ("...i,...i", [(3,), (2, 3)]),
             ("ij,ij->ij", [(2, 1), (2, 3)]), ("bij,bjk,bkl->bil", [(2, 2, 3), (2, 3, 2),
                                                                  (2, 2, 2)]),
             ("ba,Ab", [(2, 3), (4, 2)]), ("i,i,i->", [(3,), (3,), (3,)])]
    return [S("einsum", shapes, fn=ein(sub), name=f"einsum-{sub}") for sub, shapes in cases]


ROWS = [
    S("inv", [(3, 3)], fn=lambda x: la(x).inv(x + 3.0 * ns(x).eye(3)), name="inv"),
    S("inv", [(2, 3, 3)], fn=lambda x: la(x).inv(x + 3.0 * ns(x).eye(3)), name="inv-batched"),
    S("det", [(3, 3)], fn=lambda x: la(x).det(x), name="det"),
    S("det", [(2, 2, 2)], fn=lambda x: la(x).det(x), name="det-batched"),
    S("slogdet", [(3, 3)], fn=lambda x: la(x).slogdet(x), name="slogdet"),
    S("slogdet", [(2, 3, 3)], fn=lambda x: la(x).slogdet(x)[1], name="slogdet-batched"),
    S("solve", [(3, 3), (3,)], fn=lambda a, b: la(a).solve(a + 3.0 * ns(a).eye(3), b),
      name="solve-vector"),
    S("solve", [(3, 3), (3, 2)], fn=lambda a, b: la(a).solve(a + 3.0 * ns(a).eye(3), b),
      name="solve-matrix"),
    S("solve", [(2, 3, 3), (2, 3, 2)], fn=lambda a, b: la(a).solve(a + 3.0 * ns(a).eye(3), b),
      name="solve-batched"),
    S("cholesky", [(3, 3)], fn=lambda x: la(x).cholesky(spd(x)), name="cholesky"),
    S("cholesky", [(2, 3, 3)], fn=lambda x: la(x).cholesky(spd(x)), name="cholesky-batched"),
    S("qr", [(3, 3)], fn=lambda x: la(x).qr(x), name="qr"),
    S("qr", [(2, 4, 3)], fn=lambda x: la(x).qr(x), name="qr-tall-batched"),
    S("qr", [(3, 5)], fn=lambda x: la(x).qr(x), name="qr-wide"),
    S("qr", [(4, 3)], fn=lambda x: la(x).qr(x, mode="r"), name="qr-mode-r"),
    S("svd", [(3, 3)], fn=svd_mx, name="svd"),
    S("svd", [(2, 2, 3)], fn=svd_mx, name="svd-wide"),
    S("svd", [(4, 3)], fn=svd_mx, name="svd-tall"),
    S("svd", [(2, 3)], fn=lambda x: la(x).svd(x, compute_uv=False), name="svd-values"),
    S("eigh", [(3, 3)], fn=lambda x: eigh_mx(sym(x)), name="eigh"),
    S("eigh", [(2, 3, 3)], fn=lambda x: eigh_mx(sym(x), UPLO="U"), name="eigh-U-batched"),
    S("eigh", [(3, 3)], fn=lambda x: la(x).eigvalsh(sym(x)), name="eigvalsh"),
    S("svd", [(4, 3)], fn=lambda x: la(x).pinv(x), name="pinv"),
    S("svd", [(2, 2, 3)], fn=lambda x: la(x).pinv(x), name="pinv-batched"),
    S("matmul", [(3, 3)], fn=lambda x: la(x).matrix_power(x, 3), name="matrix_power-3"),
    S("matmul", [(2, 2, 2)], fn=lambda x: la(x).matrix_power(x, 4), name="matrix_power-4"),
    S("inv", [(3, 3)], fn=lambda x: la(x).matrix_power(x + 3.0 * ns(x).eye(3), -2),
      name="matrix_power-negative"),
    S("matmul", [(3,), (3, 4), (4, 2), (2,)], fn=lambda *xs: la(xs[0]).multi_dot(list(xs)),
      name="multi_dot"),
    S("matmul", [(2, 3), (3, 4), (4, 2)], fn=lambda *xs: la(xs[0]).multi_dot(list(xs)),
      name="multi_dot-matrices"),
    S("inv", [(6, 2, 3)], fn=lambda x: la(x).tensorinv(x, ind=1), name="tensorinv"),
    S("solve", [(2, 3, 6), (2, 3)], fn=lambda a, b: la(a).tensorsolve(a, b), name="tensorsolve"),
    S("solve", [(6, 2, 3), (2, 3)], fn=lambda a, b: la(a).tensorsolve(a, b, axes=(0,)),
      name="tensorsolve-axes"),
    S("nrm2", [(2, 3)], fn=lambda x: la(x).norm(x), name="norm"),
    S("nrm2", [(2, 3, 2)], fn=lambda x: la(x).norm(x, keepdims=True), name="norm-keepdims"),
    S("sqrt", [(2, 3)], fn=lambda x: la(x).norm(x, axis=1), name="norm-axis"),
    S("absolute", [(2, 3)], 0.1, 2.0, fn=lambda x: la(x).norm(x, 1, axis=0), name="norm-1"),
    S("power", [(2, 3)], 0.1, 2.0, fn=lambda x: la(x).norm(x, 3, axis=-1, keepdims=True),
      name="norm-3"),
    S("power", [(2, 3)], 0.1, 2.0, fn=lambda x: la(x).norm(x, -1.5, axis=-1), name="norm-p"),
    S("max", [(2, 3)], 0.1, 2.0, fn=lambda x: la(x).norm(x, float("inf"), axis=1),
      name="norm-inf"),
    S("min", [(2, 3)], 0.1, 2.0, fn=lambda x: la(x).norm(x, -float("inf"), axis=1),
      name="norm-neg-inf"),
    S("sqrt", [(2, 3, 2)], fn=lambda x: la(x).norm(x, "fro", axis=(0, 2)), name="norm-fro"),
    S("svd", [(3, 2)], fn=lambda x: la(x).norm(x, "nuc"), name="norm-nuc"),
    S("svd", [(2, 3, 2)], fn=lambda x: la(x).norm(x, 2, axis=(2, 1), keepdims=True),
      name="norm-2-matrix"),
    S("svd", [(3, 3)], fn=lambda x: la(x).norm(x, -2), name="norm-neg2-matrix"),
    S("max", [(3, 3)], 0.1, 2.0, fn=lambda x: la(x).norm(x, 1), name="norm-1-matrix"),
    S("min", [(2, 3, 3)], 0.1, 2.0, fn=lambda x: la(x).norm(x, -float("inf"), axis=(1, 2)),
      name="norm-neg-inf-matrix"),
    S("svd", [(3, 3)], fn=lambda x: la(x).cond(x), name="cond"),
    S("inv", [(3, 3)], fn=lambda x: la(x).cond(x + 3.0 * ns(x).eye(3), "fro"), name="cond-fro"),
    S("tensordot", [(2, 3), (4, 3)], fn=lambda a, b: ns(a).inner(a, b), name="inner"),
    S("tensordot", [(2, 3), (3, 2)], fn=lambda a, b: ns(a).vdot(a, b), name="vdot"),
] + rows_einsum()
