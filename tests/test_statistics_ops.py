"""Statistics family: forward against NumPy (values, shape, dtype), MXNet's dtype rules where
they differ (checked with the real MXNet 1.9.1), and bad input. Gradients: grad_rows."""
from __future__ import annotations

import warnings

import numpy as onp
import pytest

from mxnp import autograd, np
from mxnp.base import OpError
from mxnp.testing import assert_allclose, check_grads
from tests import helpers

RNG = onp.random.default_rng(7)
FLOATS = ["float16", "float32", "float64"]
INTS = ["int8", "int32", "int64", "uint8"]
TOL = {"float16": 2e-3, "float32": 2e-6, "float64": 1e-12}


def data(dtype, shape=(3, 4, 5)):
    raw = RNG.uniform(-4, 4, shape) if dtype in FLOATS else RNG.integers(0, 9, shape)
    return raw.astype(dtype)


def same(got, want, rtol=1e-12, dtype=None):
    assert isinstance(got, np.ndarray)
    helpers.same(got, want, dtype=dtype, rtol=rtol, atol=rtol)


AXES = [None, 0, -1, (0, 2)]


# ---- moments ---------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("axis", AXES)
@pytest.mark.parametrize("name", ["var", "std"])
def test_var_std_match_numpy(name, axis, dtype):
    x = data(dtype)
    for kw in ({}, {"ddof": 1, "keepdims": True}):
        same(getattr(np, name)(np.array(x), axis=axis, **kw),
             getattr(onp, name)(x, axis=axis, **kw), TOL[dtype])


@pytest.mark.parametrize("dtype", INTS)
def test_var_std_of_ints_give_float32(dtype):
    # MXNet 1.9.1 truncates to the int dtype (np.std(int32 [1,2,3]) == 0): we give float32
    x = data(dtype)
    same(np.std(np.array(x), axis=1), onp.std(x, axis=1), 1e-6, "float32")
    same(np.var(np.array(x)), onp.var(x), 1e-6, "float32")


def test_std_gradient_is_not_mxnets_zeros():
    x = np.array([1.0, 2.0, 3.0])
    x.attach_grad()
    with autograd.record():
        y = np.std(x)
    y.backward()
    assert_allclose(x.grad, [-0.40824829, 0.0, 0.40824829], rtol=1e-6)


@pytest.mark.parametrize("dtype", FLOATS)
def test_average_matches_numpy(dtype):
    x, w = data(dtype), RNG.uniform(0.5, 2, 4).astype(dtype)
    same(np.average(np.array(x)), onp.average(x), TOL[dtype])
    same(np.average(np.array(x), axis=1, weights=np.array(w)),
         onp.average(x, axis=1, weights=w), TOL[dtype])
    avg, scale = np.average(np.array(x), axis=(0, 1), returned=True)
    want_avg, want_scale = onp.average(x, axis=(0, 1), returned=True)
    same(avg, want_avg, TOL[dtype])
    # MXNet returns the count once, as a 0-d array (NumPy broadcasts it to avg's shape)
    same(scale, want_scale.astype(dtype)[0], TOL[dtype])


def test_average_examples_and_mxnet_dtypes():
    f = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 7.0]])
    assert_allclose(np.average(f, axis=1, weights=np.array([1.0, 2.0, 3.0])),
                    [2.3333333, 5.8333335], rtol=1e-6)
    assert np.average(f).dtype == onp.float32
    # MXNet truncates np.average(int32) to int32 (3); NumPy gives 3.67 float64: float32 here
    assert_allclose(np.average(np.array([[1, 2, 3], [4, 5, 7]], dtype="int32")), 3.6666667)
    with pytest.raises(TypeError, match="average"):
        np.average(f, weights=np.array([1.0, 2.0]))
    with pytest.raises(OpError, match="average"):
        np.average(f, axis=1, weights=np.array([1.0, 2.0]))


def fallback_result(r):
    """A fallback's answer as an mxnp array: its 0-d results are NumPy scalars (as MXNet's)."""
    if isinstance(r, onp.generic):
        return np.array(r, dtype=r.dtype)
    assert r.ndim > 0, "a 0-d result must come as a NumPy scalar"
    return r


@pytest.mark.parametrize("dtype", FLOATS + INTS)
def test_ptp_matches_numpy(dtype):
    x = data(dtype)
    for axis in AXES:
        same(fallback_result(np.ptp(np.array(x), axis=axis)), onp.ptp(x, axis=axis),
             TOL.get(dtype, 0))


def test_count_nonzero():
    x = onp.array([[0, 1, 7, 0], [3, 0, 2, 19]], dtype="int32")
    assert np.count_nonzero(np.array(x)) == 5 and type(np.count_nonzero(np.array(x))) is int
    same(np.count_nonzero(np.array(x), axis=1), onp.count_nonzero(x, axis=1), 0, "int64")
    same(np.count_nonzero(np.array(x), axis=0, keepdims=True),
         onp.count_nonzero(x, axis=0, keepdims=True), 0, "int64")


# ---- cumulative ------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", FLOATS + INTS)
@pytest.mark.parametrize("axis", [None, 0, 1, -1])
def test_cumsum_cumprod_match_numpy(axis, dtype):
    x = data(dtype, (3, 4)) if dtype in FLOATS else RNG.integers(0, 3, (3, 4)).astype(dtype)
    # MXNet keeps the integer dtype (NumPy widens int32 to int64)
    same(np.cumsum(np.array(x), axis=axis), onp.cumsum(x, axis=axis, dtype=x.dtype), TOL[
        dtype] if dtype in TOL else 0)
    same(np.cumprod(np.array(x), axis=axis), onp.cumprod(x, axis=axis, dtype=x.dtype),
         TOL[dtype] if dtype in TOL else 0)


def test_cumsum_bool_dtype_and_out():
    b = np.array(onp.array([True, False, True]))
    same(np.cumsum(b), [1, 1, 2], 0, "int64")  # MXNet: bools count in int64
    same(np.cumprod(b), [1, 0, 0], 0, "int64")
    same(np.cumsum(np.arange(4.0), dtype="float64"), [0.0, 1.0, 3.0, 6.0], 0, "float64")
    out = np.zeros(4)
    assert np.cumsum(np.arange(4.0), out=out) is out
    assert_allclose(out, [0.0, 1.0, 3.0, 6.0])
    with pytest.raises(OpError, match="cumsum"):
        np.cumsum(np.ones((2, 2)), axis=2)
    with pytest.raises(TypeError, match="cumsum"):
        np.cumsum([1, 2])


def test_prod_gradient_at_zeros():
    x = np.array([[2.0, 0.0, 3.0], [0.0, 0.0, 4.0]])
    x.attach_grad()
    with autograd.record():
        y = np.prod(x, axis=1)
    y.backward()
    assert_allclose(x.grad, [[0.0, 6.0, 0.0], [0.0, 0.0, 0.0]], rtol=0, atol=0)


# ---- diagonals, differences ------------------------------------------------------------------
@pytest.mark.parametrize("dtype", FLOATS + INTS)
def test_trace_diff_ediff1d_match_numpy(dtype):
    x = data(dtype)
    rtol = TOL.get(dtype, 0)
    for kw in ({}, {"offset": 1, "axis1": 1, "axis2": 2}, {"offset": -2, "axis1": 2},
               {"offset": 9}):
        same(np.trace(np.array(x), **kw), onp.trace(x, dtype=x.dtype, **kw), rtol)
    for kw in ({}, {"n": 2, "axis": 0}, {"n": 0}, {"axis": 1, "n": 3}):
        same(np.diff(np.array(x), **kw), onp.diff(x, **kw), rtol)
    same(np.ediff1d(np.array(x)), onp.ediff1d(x), rtol)


def test_diff_ediff1d_edges_and_bools():
    # MXNet 1.9.1 raises for prepend/append (a bug): NumPy's behaviour here
    same(np.diff(np.array([1.0, 3.0, 6.0]), prepend=0.0, append=np.array([1.0, 2.0])),
         onp.diff([1.0, 3.0, 6.0], prepend=0.0, append=[1.0, 2.0]).astype("float32"), 0)
    b = onp.array([True, False, False, True])
    same(np.diff(np.array(b)), onp.diff(b), 0)
    same(np.ediff1d(np.array([1.0, 2.0, 4.0]), to_end=np.array([9.0]), to_begin=-1.0),
         onp.array([-1.0, 1.0, 2.0, 9.0], dtype="float32"), 0)
    with pytest.raises(OpError, match="diff"):
        np.diff(np.array(1.0))
    with pytest.raises(OpError, match="diff"):
        np.diff(np.ones(3), n=-1)
    with pytest.raises(OpError, match="trace"):
        np.trace(np.ones(3))
    with pytest.raises(OpError, match="trace"):
        np.trace(np.ones((2, 2)), axis1=1, axis2=-1)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_trapz_matches_numpy(dtype):
    y, x = data(dtype, (3, 4)), onp.sort(data(dtype, (4,)))
    same(np.trapz(np.array(y)), onp.trapezoid(y), TOL[dtype])
    same(np.trapz(np.array(y), dx=0.5, axis=0), onp.trapezoid(y, dx=0.5, axis=0), TOL[dtype])
    same(np.trapz(np.array(y), x=np.array(x)), onp.trapezoid(y, x=x), TOL[dtype])


# ---- aliases and comparisons -----------------------------------------------------------------
def test_aliases_and_whole_array_comparisons():
    x = data("float64", (2, 3))
    same(np.product(np.array(x), axis=1), onp.prod(x, axis=1))
    same(np.sometrue(np.array(x > 0)), onp.any(x > 0), 0)
    same(np.alltrue(np.array(x > 0), axis=0), onp.all(x > 0, axis=0), 0)
    a = np.array(x)
    assert np.allclose(a, a + 1e-9) is True and np.allclose(a, a + 1) is False
    assert np.array_equal(a, a.copy()) is True and np.array_equal(a, a[:1]) is False
    nan = np.array([1.0, onp.nan])
    assert np.array_equal(nan, nan) is False and np.array_equal(nan, nan, equal_nan=True)
    assert np.array_equiv(a, a[:1]) is False and np.array_equiv(a[:1] * 0 + 1, np.ones(3))
    assert np.array_equiv(a, np.ones(4)) is False
    same(np.isclose(a, a + 1e-6), onp.isclose(x, x + 1e-6), 0)
    same(np.isclose(nan, nan, equal_nan=True), [True, True], 0)


# ---- covariance ------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float32", "float64", "int32"])
def test_cov_corrcoef_match_numpy_in_float64(dtype):
    x, y = data(dtype, (3, 6)), data(dtype, (3, 6))
    fw, aw = onp.array([1, 2, 1, 3, 1, 1]), RNG.uniform(0.5, 2, 6)
    same(np.cov(np.array(x)), onp.cov(x))  # float64 even for float32 data (NumPy and MXNet)
    same(np.cov(np.array(x), np.array(y), rowvar=False), onp.cov(x, y, rowvar=False))
    same(np.cov(np.array(x), ddof=0, fweights=np.array(fw), aweights=np.array(aw)),
         onp.cov(x, ddof=0, fweights=fw, aweights=aw))
    same(np.cov(np.array(x), fweights=np.array(fw)), onp.cov(x, fweights=fw))
    same(np.cov(np.array(x), aweights=np.array(aw), bias=True), onp.cov(x, aweights=aw,
                                                                        bias=True))
    same(np.corrcoef(np.array(x)), onp.corrcoef(x))
    same(np.cov(np.array(x[0])), onp.cov(x[0]))
    with pytest.raises(TypeError, match="fweights"):
        np.cov(np.array(x), fweights=np.array(aw))
    with pytest.raises(OpError, match="cov"):
        np.cov(np.ones((2, 2, 2)))


@pytest.mark.parametrize("mode", ["valid", "same", "full"])
@pytest.mark.parametrize("n, m", [(5, 3), (3, 5), (4, 4), (2, 6), (1, 1)])
def test_correlate_matches_numpy(n, m, mode):
    a, v = data("float32", (n,)), data("float32", (m,))
    same(np.correlate(np.array(a), np.array(v), mode), onp.correlate(a, v, mode), 1e-5)


def test_correlate_example_and_errors():
    got = np.correlate(np.array([1.0, 2.0, 3.0]), np.array([0.0, 1.0, 0.5]), mode="full")
    same(got, onp.array([0.5, 2.0, 3.5, 3.0, 0.0], dtype="float32"), 1e-7)
    with pytest.raises(OpError, match="correlate"):
        np.correlate(np.ones((2, 2)), np.ones(2))
    with pytest.raises(OpError, match="correlate"):
        np.correlate(np.ones(3), np.ones(2), mode="middle")


# ---- NaN-skipping ----------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", ["nanmax", "nanmin", "nanprod", "nancumsum", "nancumprod",
                                  "nanmedian"])
def test_nanfuncs_match_numpy(name, dtype):
    x = data(dtype, (3, 4)) / 2
    x[0, 1] = x[2, 3] = onp.nan
    x[1, :] = onp.nan if name in ("nanmax", "nanmin", "nanmedian") else x[1, :]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # NumPy warns about all-NaN slices
        for axis in (None, 0, 1):
            want = getattr(onp, name)(x, axis=axis)
            want = want.astype(dtype) if name in ("nancumsum", "nancumprod") else want
            same(fallback_result(getattr(np, name)(np.array(x), axis=axis)), want,
                 TOL[dtype] * 10)


def test_nanargmax_nanargmin():
    x = onp.array([[1.0, onp.nan, 3.0], [onp.nan, 2.0, -1.0]])
    same(np.nanargmax(np.array(x), axis=1), onp.nanargmax(x, axis=1), 0, "int64")
    same(fallback_result(np.nanargmin(np.array(x))), onp.nanargmin(x), 0, "int64")
    same(np.nanargmin(np.array(x), axis=0, keepdims=True), onp.nanargmin(x, 0, keepdims=True),
         0, "int64")
    with pytest.raises(OpError, match="nanargmax.*All-NaN"):
        np.nanargmax(np.array([onp.nan, onp.nan]))
    same(fallback_result(np.nanmax(np.array([1, 5, 2], dtype="int32"))),
         onp.array(5, dtype="int32"), 0)


# ---- quantiles -------------------------------------------------------------------------------
METHODS = ["linear", "lower", "higher", "midpoint", "nearest"]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("method", METHODS)
def test_quantile_percentile_match_numpy(method, dtype):
    x = data(dtype)
    for axis in AXES:
        for q in (0.5, [0.0, 0.3, 1.0]):
            for keepdims in (False, True):
                kw = {"axis": axis, "method": method, "keepdims": keepdims}
                # the data's float dtype, as MXNet (NumPy widens to float64 for a float64 q)
                same(np.quantile(np.array(x), q, **kw), onp.quantile(x, q, **kw), TOL[dtype],
                     dtype)
                same(np.percentile(np.array(x), onp.multiply(q, 100), **kw),
                     onp.percentile(x, onp.multiply(q, 100), **kw), TOL[dtype], dtype)


def test_quantile_mxnet_spellings_and_dtypes():
    f = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 7.0]])
    assert_allclose(np.percentile(f, np.array([25.0, 50.0]), axis=1), [[1.5, 4.5], [2.0, 5.0]])
    assert_allclose(np.quantile(f, 0.3, interpolation="lower"), 2.0)
    assert_allclose(np.quantile(np.arange(4.0), 0.5, interpolation="nearest"), 2.0)
    assert np.percentile(np.array([1, 2, 3, 4], dtype="int32"), 50).dtype == onp.float32
    same(np.median(np.array(onp.arange(10.0).reshape(2, 5)), axis=1), [2.0, 7.0], 0, "float64")
    with pytest.raises(OpError, match="percentile.*range"):
        np.percentile(f, 120)
    with pytest.raises(OpError, match="quantile.*range"):
        np.quantile(f, [0.5, -0.1])
    with pytest.raises(OpError, match="quantile.*interpolation"):
        np.quantile(f, 0.5, interpolation="cubic")
    with pytest.raises(OpError, match="median.*empty"):
        np.median(np.ones((0, 3)), axis=0)
    with pytest.raises(TypeError, match="quantile"):
        np.quantile([1.0, 2.0], 0.5)


def test_quantile_of_nan_data_is_nan_and_nan_variants_skip():
    x = onp.array([[1.0, onp.nan, 3.0, 4.0], [onp.nan] * 4, [2.0, 1.0, 0.0, 5.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for q in (0.0, 0.4, [0.5, 1.0]):
            same(np.quantile(np.array(x), q, axis=1), onp.quantile(x, q, axis=1))
            same(np.nanquantile(np.array(x), q, axis=1), onp.nanquantile(x, q, axis=1))
            same(np.nanpercentile(np.array(x), onp.multiply(q, 100), axis=0),
                 onp.nanpercentile(x, onp.multiply(q, 100), axis=0))


def test_percentile_gradient_is_not_mxnets_zeros():
    x = np.array([[1.0, 2.0, 4.0], [3.0, 1.0, 2.0]])
    x.attach_grad()
    with autograd.record():
        y = np.percentile(x, 30, axis=1)
    y.backward()
    assert_allclose(x.grad, [[0.4, 0.6, 0.0], [0.0, 0.4, 0.6]], rtol=1e-6)


# ---- histograms and binning ------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float32", "float64", "int32"])
def test_histogram_matches_numpy(dtype):
    x = data(dtype, (40,))
    for kw in ({"bins": 3, "range": (0, 7)}, {"bins": 5}, {"bins": "auto"},
               {"bins": [-4.0, 0.0, 1.0, 5.0]}, {"bins": 4, "density": True},
               {"bins": 3, "weights": onp.abs(data("float64", (40,)))}):
        got = np.histogram(np.array(x), **{k: np.array(v) if isinstance(v, onp.ndarray) else v
                                           for k, v in kw.items()})
        want = onp.histogram(x, **kw)
        assert isinstance(got, list) and len(got) == 2  # a list, as MXNet
        same(got[0], want[0], 1e-12)
        same(got[1], want[1], 1e-6)
        if isinstance(kw["bins"], (int, str)):
            same(np.histogram_bin_edges(np.array(x), kw["bins"], kw.get("range")),
                 onp.histogram_bin_edges(x, kw["bins"], kw.get("range")), 1e-6)
    same(np.histogram(np.array(x), bins=np.array([0.0, 2.0, 8.0]))[0],
         onp.histogram(x, bins=[0.0, 2.0, 8.0])[0], 0)


def test_histogram2d_histogramdd_match_numpy():
    x, y, s = data("float64", (30,)), data("float64", (30,)), data("float64", (30, 3))
    for bins in (3, [2, 4], np.array([-4.0, 0.0, 4.0])):
        raw = onp.asarray(bins.asnumpy()) if isinstance(bins, np.ndarray) else bins
        for got, want in zip(np.histogram2d(np.array(x), np.array(y), bins=bins),
                             onp.histogram2d(x, y, bins=raw)):
            same(got, want)
    counts, edges = np.histogramdd(np.array(s), bins=(2, 3, 4), range=[(-4, 4)] * 3)
    want_counts, want_edges = onp.histogramdd(s, bins=(2, 3, 4), range=[(-4, 4)] * 3)
    same(counts, want_counts)
    assert len(edges) == 3
    for got, want in zip(edges, want_edges):
        same(got, want)


def test_bincount_digitize_interp():
    x = onp.array([0, 1, 1, 3, 7], dtype="int32")
    same(np.bincount(np.array(x)), onp.bincount(x), 0, "int32")  # MXNet keeps int32
    w = onp.array([1.0, 2.0, 3.0, 4.0, 0.5], dtype="float32")
    same(np.bincount(np.array(x), weights=np.array(w), minlength=10),
         onp.bincount(x, w, minlength=10), 0, "float32")  # MXNet: the weights' dtype
    with pytest.raises(TypeError, match="bincount.*integer"):
        np.bincount(np.array([1.0, 2.0]))
    with pytest.raises(OpError, match="bincount"):
        np.bincount(np.array(onp.array([-1, 2])))
    v, bins = onp.array([0.2, 6.4, 3.0, 1.6]), onp.array([0.0, 1.0, 2.5, 4.0, 10.0])
    for right in (False, True):
        same(np.digitize(np.array(v), np.array(bins), right=right),
             onp.digitize(v, bins, right=right), 0, "int64")
    xp_, fp = onp.array([1.0, 2.0, 3.0]), onp.array([3.0, 2.0, 0.0], dtype="float32")
    same(np.interp(np.array([0.0, 2.5, 9.0]), np.array(xp_), np.array(fp), left=-1.0),
         onp.interp([0.0, 2.5, 9.0], xp_, fp, left=-1.0))
    with pytest.raises(TypeError, match="digitize"):
        np.digitize([1.0], np.array(bins))


@pytest.mark.parametrize("values, kwargs", [
    ([0., 3, 6.5, 0.5, 7, 1.0, 9], {}),
    ([0., 2., 4., 1., 3.], {"period": 4}),
    ([[0., 4., 8.], [1., -5., 2.]], {"axis": 1, "discont": 4.0}),
])
def test_unwrap_matches_numpy(values, kwargs):
    p = onp.array(values)
    got = np.unwrap(np.array(p), **kwargs)
    want = onp.unwrap(p, **kwargs)
    assert got.dtype == want.dtype and got.shape == want.shape
    onp.testing.assert_allclose(got.asnumpy(), want, rtol=1e-12)


def test_unwrap_gradient_passes_the_phase_through():
    # the correction is piecewise constant in p, so the gradient is that of the identity
    check_grads(lambda p: np.unwrap(p), np.array([0., 3., 6.5, 0.5]), order=2)


def test_round_underscore_is_round():
    assert np.round_ is np.round
