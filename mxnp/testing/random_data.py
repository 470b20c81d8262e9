"""Random test inputs, reference reductions and sampler checks (re-exported by test_utils).

Everything here is NumPy-side: the results are expected values that mxnp results are compared
with, except ``rand_ndarray``, which makes an mxnp input.
"""
from __future__ import annotations

import numpy as onp

from .. import numpy as np
from .._backend import current_device
from .._ndarray import ndarray

__all__ = ["chi_square_check", "collapse_sum_like", "create_sparse_array", "create_sparse_array_zd",
           "gen_buckets_probs_with_ppf", "mean_check",
           "new_matrix_with_real_eigvals_2d", "new_matrix_with_real_eigvals_nd",
           "new_orthonormal_matrix_2d", "new_sym_matrix_with_real_eigvals_2d",
           "new_sym_matrix_with_real_eigvals_nd", "np_reduce", "rand_ndarray", "rand_shape_2d",
           "rand_shape_3d", "rand_shape_nd", "rand_sparse_ndarray", "random_arrays",
           "random_uniform_arrays", "var_check", "verify_generator"]


def _host(x) -> onp.ndarray:
    return x.asnumpy() if isinstance(x, ndarray) else onp.asarray(x)


# ---- reference computations ------------------------------------------------------------------
def collapse_sum_like(a, shape):
    """Sum ``a`` (NumPy) down to ``shape``, a shape that broadcasts to a's: the adjoint of
    broadcasting, used as the expected gradient of a broadcast input."""
    a, shape = _host(a), tuple(shape)
    lead = a.ndim - len(shape)
    if lead < 0 or any(s not in (1, n) for s, n in zip(shape, a.shape[lead:])):
        raise AssertionError(f"collapse_sum_like: {shape} does not broadcast to {a.shape}")
    if a.size == 0 or 0 in shape:
        return onp.zeros(shape, dtype=a.dtype)
    axes = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(shape)
                                      if s != a.shape[lead + i])
    return a.sum(axis=axes).reshape(shape)


def np_reduce(dat, axis, keepdims, numpy_reduce_func):
    """Reduce ``dat`` one axis at a time with a NumPy reduction that takes one int axis."""
    axes = range(dat.ndim) if axis is None else [axis] if isinstance(axis, int) else list(axis)
    axes = sorted(a % dat.ndim for a in axes)
    out = dat
    for ax in reversed(axes):  # highest first, so the lower axis numbers stay valid
        out = numpy_reduce_func(out, axis=ax)
    if keepdims:
        out = out.reshape(tuple(1 if i in axes else n for i, n in enumerate(dat.shape)))
    return out


# ---- random data -----------------------------------------------------------------------------
def random_arrays(*shapes):
    """Standard-normal float32 NumPy arrays, one per shape (a single array for one shape)."""
    arrays = [onp.asarray(onp.random.randn(*s), dtype=onp.float32) for s in shapes]
    return arrays[0] if len(arrays) == 1 else arrays


def random_uniform_arrays(*shapes, low=0.0, high=1.0, dtype=None):
    """Uniform [low, high) NumPy arrays, one per shape, always as a list."""
    dtype = onp.float32 if dtype is None else dtype
    return [onp.random.uniform(low, high, size=s).astype(dtype) for s in shapes]


def rand_shape_2d(dim0=10, dim1=10, allow_zero_size=False):
    """A random 2-D shape, each size from 1 (0 with ``allow_zero_size``) to its ``dim``."""
    low = 0 if allow_zero_size else 1
    return onp.random.randint(low, dim0 + 1), onp.random.randint(low, dim1 + 1)


def rand_shape_3d(dim0=10, dim1=10, dim2=10, allow_zero_size=False):
    """A random 3-D shape, each size from 1 (0 with ``allow_zero_size``) to its ``dim``."""
    low = 0 if allow_zero_size else 1
    return tuple(onp.random.randint(low, d + 1) for d in (dim0, dim1, dim2))


def rand_shape_nd(num_dim, dim=10, allow_zero_size=False):
    """A random shape of ``num_dim`` sizes in [1, dim] ([0, dim] when zero size is allowed).

    Differs from MXNet: the sizes are Python ints, not NumPy int64 (the same values).
    """
    low = 0 if allow_zero_size else 1
    return tuple(int(n) for n in onp.random.randint(low, dim + 1, size=num_dim))


def rand_ndarray(shape, stype="default", density=None, dtype=None, modifier_func=None,
                 shuffle_csr_indices=False, distribution=None, ctx=None):
    """A standard-normal array (float32 unless ``dtype``) on ``ctx`` or the default, seen as
    MXNet's legacy NDArray (``as_nd_ndarray``), as MXNet gives it; tests call
    ``.as_np_ndarray()`` on it. A sparse ``stype`` gives ``rand_sparse_ndarray``'s array.
    """
    if stype != "default":
        return rand_sparse_ndarray(shape, stype, density=density, dtype=dtype,
                                   distribution=distribution, modifier_func=modifier_func,
                                   ctx=ctx)[0]
    data = random_arrays(shape)
    return np.array(data, dtype=data.dtype if dtype is None else dtype,
                    ctx=current_device() if ctx is None else ctx).as_nd_ndarray()


def rand_sparse_ndarray(shape, stype, density=None, dtype=None, distribution=None,
                        data_init=None, rsp_indices=None, modifier_func=None,
                        shuffle_csr_indices=False, ctx=None):
    """A random 'csr' or 'row_sparse' array with about ``density`` of its elements (rows for
    row_sparse) stored, uniform in [0, 1) (or ``data_init``), and its components: (data,
    indices) for row_sparse, (indptr, indices, data) for csr. ``distribution='powerlaw'``
    (csr) fills row i's first 2**(i+1) columns until the density's count is used."""
    from ..ndarray import sparse  # here: the 1.x face sits above the testing helpers

    density = onp.random.rand() if density is None else density
    dtype = onp.dtype(dtype or "float32")
    shape = tuple(int(d) for d in shape)
    if stype == "row_sparse":
        rows = onp.nonzero(onp.random.rand(shape[0]) < density)[0] if rsp_indices is None \
            else onp.unique(onp.asarray(rsp_indices, onp.int64))
        values = onp.random.rand(len(rows), *shape[1:]).astype(dtype)
        if data_init is not None:
            values[:] = data_init
        if modifier_func is not None:
            values = onp.vectorize(modifier_func, otypes=[dtype])(values)
        arr = sparse.row_sparse_array((values, rows), shape=shape, dtype=dtype, ctx=ctx)
        return arr, (arr.data.asnumpy(), arr.indices.asnumpy())
    if stype != "csr":
        raise ValueError(f"rand_sparse_ndarray: unknown storage type {stype!r}")
    if distribution == "powerlaw":
        dense = _powerlaw_dense(shape, density, dtype)
    else:
        dense = onp.where(onp.random.rand(*shape) < density,
                          onp.random.rand(*shape), 0).astype(dtype)
        if data_init is not None:
            dense[dense != 0] = data_init
        if modifier_func is not None:
            dense[dense != 0] = onp.vectorize(modifier_func, otypes=[dtype])(dense[dense != 0])
    arr = sparse.csr_matrix(dense, dtype=dtype, ctx=ctx)
    return arr, (arr.indptr.asnumpy(), arr.indices.asnumpy(), arr.data.asnumpy())


def create_sparse_array(shape, stype, data_init=None, rsp_indices=None, dtype=None,
                        modifier_func=None, density=0.5, shuffle_csr_indices=False):
    """A random ``stype`` array ('csr' or 'row_sparse', these ``rsp_indices`` rows stored when
    given), as ``rand_sparse_ndarray`` makes it, without its components."""
    if stype not in ("csr", "row_sparse"):
        raise AssertionError(f"Unknown storage type: {stype}")
    return rand_sparse_ndarray(shape, stype, density=density, dtype=dtype, data_init=data_init,
                               rsp_indices=rsp_indices if stype == "row_sparse" else None,
                               modifier_func=modifier_func,
                               shuffle_csr_indices=shuffle_csr_indices)[0]


def create_sparse_array_zd(shape, stype, density, data_init=None, rsp_indices=None,
                           dtype=None, modifier_func=None, shuffle_csr_indices=False):
    """``create_sparse_array`` whose row_sparse rows are ``rsp_indices`` only (density 0
    otherwise)."""
    if stype == "row_sparse":
        density = 0.0
        if rsp_indices is not None and len(rsp_indices) > shape[0]:
            raise AssertionError("create_sparse_array_zd: more rsp_indices than rows")
    return create_sparse_array(shape, stype, data_init=data_init, rsp_indices=rsp_indices,
                               dtype=dtype, modifier_func=modifier_func, density=density,
                               shuffle_csr_indices=shuffle_csr_indices)


def _powerlaw_dense(shape, density, dtype):
    """A matrix whose row i holds values in its first 2**(i+1) columns (the first column of
    every row first), until ``density`` of its elements are used."""
    rows, cols = shape
    left = int(rows * cols * density)
    out = onp.zeros(shape, dtype)
    out[:min(rows, left), 0] = 1 + onp.random.uniform(0.001, 2, size=min(rows, left))
    left -= min(rows, left)
    for r in range(rows):
        if left <= 0:
            break
        take = min(min(cols, 2 ** (r + 1)) - 1, left)
        out[r, 1:1 + take] = 1 + onp.random.uniform(0.001, 2, size=take)
        left -= take
    return out


# ---- checks of random samplers ---------------------------------------------------------------
def gen_buckets_probs_with_ppf(ppf, nbuckets: int):
    """``nbuckets`` equally likely ranges of a distribution, from its quantile function."""
    if nbuckets <= 0:
        raise ValueError(f"gen_buckets_probs_with_ppf: nbuckets must be positive, got {nbuckets}")
    edges = [ppf(i / nbuckets) for i in range(nbuckets + 1)]
    return list(zip(edges[:-1], edges[1:])), [1.0 / nbuckets] * nbuckets


def chi_square_check(generator, buckets, probs, nsamples=1000000):
    """Chi-square test of ``generator(n)``'s samples against bucket probabilities.

    ``buckets`` are ascending, disjoint (low, high) ranges for a continuous distribution, or the
    possible values of a discrete one. Returns (p value, observed counts, expected counts).
    """
    from scipy import stats  # only these checks need scipy, so mxnp does not depend on it

    if len(probs) != len(buckets):
        raise ValueError(f"chi_square_check: {len(buckets)} buckets but {len(probs)} probs")
    samples = _host(generator(nsamples)).ravel()
    expected = (nsamples * onp.asarray(probs, dtype=onp.float64)).astype(onp.int64)
    if isinstance(buckets[0], (list, tuple)):
        edges = onp.asarray(buckets, dtype=onp.float64).ravel()  # low0, high0, low1, high1 ...
        if onp.any(onp.diff(edges) < 0):
            raise ValueError("chi_square_check: buckets must be ascending and disjoint")
        # an odd insertion point (after a low edge) is inside bucket point // 2
        where = onp.searchsorted(edges, samples, side="right")
        observed = onp.bincount(where[where % 2 == 1] // 2, minlength=len(buckets))
    else:
        observed = onp.array([onp.count_nonzero(samples == v) for v in buckets])
    # The statistic by hand: scipy's chisquare now refuses counts whose totals differ, which
    # MXNet's tests produce (probs of a truncated discrete range, samples outside the buckets).
    statistic = onp.sum((observed - expected) ** 2 / expected)
    return stats.chi2.sf(statistic, len(buckets) - 1), observed, expected


def verify_generator(generator, buckets, probs, nsamples=1000000, nrepeat=5, success_rate=0.2,
                     alpha=0.05):
    """Run chi_square_check ``nrepeat`` times; fail unless p > alpha in enough of them."""
    runs = [chi_square_check(generator, buckets, probs, nsamples) for _ in range(nrepeat)]
    ps = [p for p, _, _ in runs]
    if sum(p > alpha for p in ps) < nrepeat * success_rate:
        raise AssertionError(f"Generator test fails, Chi-square p={ps}, "
                             f"obs_freq={[o for _, o, _ in runs]}, "
                             f"expected_freq={[e for _, _, e in runs]}.\n"
                             f"buckets={buckets}, probs={probs}")
    return ps


def mean_check(generator, mu, sigma, nsamples=1000000) -> bool:
    """Whether the sample mean lies within 3 standard errors of ``mu``."""
    mean = _host(generator(nsamples)).mean()
    return bool(abs(mean - mu) < 3 * sigma / onp.sqrt(nsamples))


def var_check(generator, sigma, nsamples=1000000) -> bool:
    """Whether the sample variance lies within 3 standard errors of ``sigma ** 2``."""
    var = _host(generator(nsamples)).var(ddof=1)
    # the variance of a normal sample variance is 2 sigma^4 / (n - 1)
    return bool(abs(var - sigma ** 2) < 3 * onp.sqrt(2 * sigma ** 4 / (nsamples - 1)))


# ---- matrices for linalg tests ---------------------------------------------------------------
def new_orthonormal_matrix_2d(n: int) -> onp.ndarray:
    """A random n x n matrix with orthonormal columns."""
    q, _ = onp.linalg.qr(onp.random.randn(n, n))
    return q


def new_matrix_with_real_eigvals_2d(n: int) -> onp.ndarray:
    """A random non-symmetric n x n matrix with real eigenvalues in [-10, 10).

    It is P^-1 D P with D diagonal; P's singular values lie in [1, 2], so P is well conditioned
    (cond <= 2) and the eigenvalues are stable under small perturbations.
    """
    u, v = new_orthonormal_matrix_2d(n), new_orthonormal_matrix_2d(n)
    p = (u * onp.random.uniform(1.0, 2.0, n)) @ v.T
    return onp.linalg.solve(p, onp.random.uniform(-10.0, 10.0, n)[:, None] * p)


def new_matrix_with_real_eigvals_nd(shape) -> onp.ndarray:
    """A batch (``shape[:-2]``) of random square matrices with real eigenvalues."""
    return _batched(new_matrix_with_real_eigvals_2d, shape)


def new_sym_matrix_with_real_eigvals_2d(n: int) -> onp.ndarray:
    """A random symmetric n x n matrix with eigenvalues in [-10, 10)."""
    q = new_orthonormal_matrix_2d(n)
    return (q * onp.random.uniform(-10.0, 10.0, n)) @ q.T


def new_sym_matrix_with_real_eigvals_nd(shape) -> onp.ndarray:
    """A batch (``shape[:-2]``) of random symmetric matrices with eigenvalues in [-10, 10)."""
    return _batched(new_sym_matrix_with_real_eigvals_2d, shape)


def _batched(make, shape) -> onp.ndarray:
    count = int(onp.prod(shape[:-2])) if len(shape) > 2 else 1
    return onp.array([make(shape[-1]) for _ in range(count)]).reshape(shape)
