"""Polynomials, windows, dtype queries, genfromtxt, apply_along/over_axes, financial stubs:
against NumPy on its documented examples, and MXNet 1.9.1's results (mxref) where they differ.
Gradients are in grad_rows/misc.py."""
from __future__ import annotations

import bz2
import gzip
import io

import numpy as onp
import pytest

from mxnp import autograd, np, npx
from mxnp.base import OpError
from mxnp.testing import assert_allclose
from tests import helpers


def same(got, want, rtol=1e-12, atol=0.0):
    """got is an mxnp array equal to NumPy's want in values, shape and dtype."""
    assert isinstance(got, np.ndarray)
    helpers.same(got, want, rtol=rtol, atol=atol)


F32 = onp.array([1.0, 2.0, 3.0], dtype="float32")
I64 = onp.array([1, 2, 3], dtype="int64")
F64 = onp.array([1.0, 2.0, 3.0])


# ---- polyval and vander --------------------------------------------------------------------
@pytest.mark.parametrize("p, x", [(F32, F32), (I64, I64), (F64, F32), (I64, F32), (F32, I64),
                                  (F64, onp.float64(5.0) * onp.ones((2, 3))),
                                  (onp.array([3.0, 0.0, 1.0]), onp.array(5.0)),
                                  (onp.array([], dtype="float64"), F64)])
def test_polyval_matches_numpy(p, x):
    same(np.polyval(np.array(p), np.array(x)), onp.polyval(p, x))


def test_polyval_numpy_doc_example_with_lists_and_numbers():
    assert np.polyval([3, 0, 1], 5).item() == 76  # NumPy's example; read as NumPy reads them
    same(np.polyval(np.array([3.0, 0.0, 1.0]), [5.0, 1.0]), onp.polyval([3.0, 0, 1], [5.0, 1]))


def test_polyval_keeps_float32_as_mxnet():
    assert np.polyval(np.array([1.0, 2.0]), np.array([3.0])).dtype == onp.float32  # mxref


def test_polyval_refuses_a_2d_p():
    with pytest.raises(OpError, match="polyval: p has to be a 1-D array"):
        np.polyval(np.ones((2, 2)), np.array([1.0]))


def test_polyval_grad_keeps_input_dtypes():
    p, x = np.array([1.0, 2.0, 3.0]), np.array([2.0, -1.0])
    p.attach_grad()
    x.attach_grad()
    with autograd.record():
        y = np.polyval(p, x)
    y.backward()
    assert_allclose(x.grad, [2 * 2.0 + 2, 2 * -1.0 + 2], rtol=1e-6)  # d/dx (x^2 + 2x + 3)
    assert_allclose(p.grad, [4 + 1, 2 - 1, 2], rtol=1e-6)  # sum over x of (x^2, x, 1)
    assert p.grad.dtype == x.grad.dtype == onp.float32


@pytest.mark.parametrize("x, N, increasing", [(onp.array([1, 2, 3, 5]), 3, False),
                                              (onp.array([1, 2, 3, 5]), None, False),
                                              (onp.array([1, 2, 3, 5]), None, True),
                                              (F32, None, False), (F64, 2, True),
                                              (onp.array([True, False]), None, False),
                                              (F64, 0, False)])
def test_vander_matches_numpy(x, N, increasing):
    same(np.vander(np.array(x), N, increasing), onp.vander(x, N, increasing))


def test_vander_gives_float64_for_float32_as_mxnet():
    assert np.vander(np.array([1.0, 2.0, 3.0]), 2).dtype == onp.float64  # mxref


def test_vander_grad_at_zero_is_finite():  # x ** 0 would give 0 * 0 ** -1 = nan
    x = np.array([0.0, 2.0])
    x.attach_grad()
    with autograd.record():
        y = np.vander(x, 3)
    y.backward()
    assert_allclose(x.grad, [0 * 2 + 1, 2 * 2 + 1])


@pytest.mark.parametrize("x, N", [(onp.ones((2, 2)), None), (F64, -1)])
def test_vander_bad_input(x, N):
    with pytest.raises(OpError, match="vander"):
        np.vander(np.array(x), N)


# ---- poly arithmetic -----------------------------------------------------------------------
@pytest.mark.parametrize("a1, a2", [([1, 2], [9, 5, 4]), ([9, 5, 4], [1, 2]), ([1.0], [2.0]),
                                    ([2, 10, -2], [3, 10, -4])])
@pytest.mark.parametrize("name", ["polyadd", "polysub", "polymul"])
def test_poly_arithmetic_matches_numpy_examples(name, a1, a2):
    a1, a2 = onp.array(a1), onp.array(a2)
    same(getattr(np, name)(np.array(a1), np.array(a2)), getattr(onp, name)(a1, a2))


@pytest.mark.parametrize("name", ["polyadd", "polysub", "polymul"])
@pytest.mark.parametrize("d1, d2", [(F32, F32), (I64, F32), (F64, F32), (I64, I64)])
def test_poly_arithmetic_dtypes_follow_numpy_as_mxnet(name, d1, d2):
    same(getattr(np, name)(np.array(d1), np.array(d2[:2])), getattr(onp, name)(d1, d2[:2]))


def test_polymul_trims_leading_zeros_and_reads_empty_as_zero():
    same(np.polymul(np.array([0.0, 0.0, 1.0], dtype="float64"), np.array([1.0, 2.0])),
         onp.array([1.0, 2.0]))
    assert np.polymul(np.array([0.0, 1.0]), np.array([1.0, 2.0])).dtype == onp.float32
    same(np.polymul(np.array([], dtype="float64"), np.array([1.0])), [0.0])  # mxref: [0.]


def test_polyadd_of_lists_gives_official_numpy_as_mxnet():
    got = np.polyadd([1.0, 2.0], [1.0, 2.0, 3.0])  # a fallback: NumPy answers (MXNet 1.9.1)
    assert type(got) is onp.ndarray
    onp.testing.assert_array_equal(got, onp.array([1.0, 3.0, 5.0]), strict=True)


def test_poly_arithmetic_stays_on_the_arrays_device():
    dev = npx.cpu(1)
    assert np.polyadd(np.array([1.0], ctx=dev), [1.0, 2.0]).device == dev


@pytest.mark.parametrize("name", ["polyadd", "polysub", "polymul"])
def test_poly_arithmetic_refuses_matrices(name):
    with pytest.raises(OpError, match=name):
        getattr(np, name)(np.ones((2, 2)), np.ones(2))


@pytest.mark.parametrize("u, v", [([3.0, 5.0, 2.0], [2.0, 1.0]), ([1.0, 2.0], [1.0, 2.0, 3.0]),
                                  ([1, 2, 3], [1, 2]), ([1.0, 3.0, 2.0], [1.0, 1.0]),
                                  ([4.0], [2.0])])
def test_polydiv_matches_numpy(u, v):
    q, r = np.polydiv(np.array(onp.array(u)), np.array(onp.array(v)))
    wq, wr = onp.polydiv(u, v)
    same(q, wq)
    same(r, wr, atol=1e-15)


def test_polydiv_keeps_float32_as_mxnet():
    q, r = np.polydiv(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0]))
    assert (q.dtype, r.dtype) == (onp.float32, onp.float32)
    assert_allclose(q, [1.0, 0.0])
    assert_allclose(r, [3.0])


def test_polydiv_refuses_empty():
    with pytest.raises(OpError, match="polydiv"):
        np.polydiv(np.array([1.0]), np.array([]))


@pytest.mark.parametrize("p, m, k", [([1, 1, 1], 1, None), ([1, 1, 1], 3, None),
                                     ([1, 1, 1], 3, [6, 5, 3]), ([1.0, 2.0], 2, 3.0),
                                     ([1.0, 2.0], 0, None)])
def test_polyint_matches_numpy(p, m, k):
    p = onp.array(p)
    same(np.polyint(np.array(p), m, k), onp.polyint(p, m, k))


def test_polyint_gives_float64_as_mxnet():
    assert np.polyint(np.array([1.0, 2.0, 3.0])).dtype == onp.float64


@pytest.mark.parametrize("m, k", [(-1, None), (3, [1.0, 2.0])])
def test_polyint_bad_input(m, k):
    with pytest.raises(OpError, match="polyint"):
        np.polyint(np.array([1.0, 2.0]), m, k)


@pytest.mark.parametrize("zeros", [(0, 0, 0), (-0.5, 0, 0.5), (1, 2, 3)])
def test_poly_of_zeros_matches_numpy(zeros):
    same(np.poly(np.array(onp.array(zeros, dtype="float64"))), onp.poly(zeros))


def test_poly_of_no_zeros_is_a_python_one_as_mxnet():
    got = np.poly(np.array([]))
    assert type(got) is float and got == onp.poly([]) == 1.0


def test_poly_of_a_matrix_matches_numpy():
    a = onp.array([[0, 1 / 3], [-1 / 2, 0]])
    same(np.poly(np.array(a)), onp.poly(a))


def test_poly_dtypes_as_mxnet():
    assert np.poly(np.array([1.0, 2.0, 3.0])).dtype == onp.float32
    assert np.poly(np.array([1, 2, 3], dtype="int64")).dtype == onp.float64


def test_poly_refuses_other_shapes():
    with pytest.raises(OpError, match="poly: input must be 1d or non-empty square 2d"):
        np.poly(np.ones((2, 3)))


# ---- roots and polyfit ---------------------------------------------------------------------
@pytest.mark.parametrize("p", [[1.0, -3.0, 2.0], [0.0, 1.0, -6.0, 11.0, -6.0, 0.0], [2.0]])
def test_roots_matches_numpy(p):
    p = onp.array(p)
    same(np.roots(np.array(p)), onp.roots(p))


def test_roots_keeps_float32_and_refuses_complex_roots_as_mxnet():
    assert np.roots(np.array([1.0, -3.0, 2.0])).dtype == onp.float32
    with pytest.raises(OpError, match="roots: the roots are complex"):
        np.roots(np.array([3.2, 2.0, 1.0]))  # NumPy's example: complex roots


X = onp.array([0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
Y = onp.array([0.0, 0.8, 0.9, 0.1, -0.8, -1.0])


def test_polyfit_matches_numpy_example():
    same(np.polyfit(np.array(X), np.array(Y), 3), onp.polyfit(X, Y, 3), rtol=1e-10)
    w = onp.linspace(1.0, 2.0, 6)
    same(np.polyfit(np.array(X), np.array(Y), 2, w=np.array(w)), onp.polyfit(X, Y, 2, w=w),
         rtol=1e-10)


def test_polyfit_full_and_cov_return_types_as_mxnet():
    coef, resid, rank, sv, rcond = np.polyfit(np.array(X), np.array(Y), 2, full=True)
    wc, wr, wrank, ws, wrcond = onp.polyfit(X, Y, 2, full=True)
    same(coef, wc, rtol=1e-10)
    same(resid, wr, rtol=1e-10)
    same(sv, ws, rtol=1e-10)
    assert type(rank) is onp.int32 and rank == wrank  # mxref: NumPy scalars, unwrapped
    assert type(rcond) is onp.float64 and rcond == wrcond
    coef, cov = np.polyfit(np.array(X), np.array(Y), 1, cov=True)
    same(cov, onp.polyfit(X, Y, 1, cov=True)[1], rtol=1e-10)


def test_polyfit_gives_float64_for_float32_as_mxnet():
    assert np.polyfit(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 3.0]), 1).dtype == "float64"


def test_polyfit_bad_degree():
    with pytest.raises(OpError, match="polyfit"):
        np.polyfit(np.array(X), np.array(Y), -1)


# ---- windows -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["blackman", "hamming", "hanning"])
@pytest.mark.parametrize("M", [12, 5, 2, 1, 0, -3])
def test_windows_match_numpy_in_float32(name, M):
    same(getattr(np, name)(M), getattr(onp, name)(M).astype("float32"), rtol=1e-6, atol=1e-7)
    same(getattr(np, name)(M, dtype="float64"), getattr(onp, name)(M), rtol=1e-15, atol=1e-15)


def test_windows_match_mxnet_values():  # mxref, computed by MXNet in float32
    assert_allclose(np.blackman(5), [-1.4901161e-08, 0.34, 1.0, 0.34, -1.4901161e-08],
                    rtol=1e-6, atol=2e-8)
    assert_allclose(np.hamming(5), [0.08, 0.54, 1.0, 0.54, 0.08], rtol=1e-6)
    assert_allclose(np.hanning(5), [0.0, 0.5, 1.0, 0.5, 0.0], atol=1e-7)


def test_windows_take_a_device():
    assert np.hanning(3, ctx=npx.cpu(1)).device == npx.cpu(1)


def test_windows_refuse_a_float_length():
    with pytest.raises(TypeError, match="hamming: M must be an integer"):
        np.hamming(2.5)


# ---- dtype queries -------------------------------------------------------------------------
def test_dtype_queries_match_numpy():
    assert np.result_type("i4", "f4") == onp.result_type("i4", "f4") == onp.float64
    assert np.promote_types("i4", "f4") == onp.float64
    assert np.min_scalar_type(10) == onp.uint8 and np.min_scalar_type(-260) == onp.int16
    assert np.result_type(np.float32, 1.0) == onp.float32
    assert isinstance(np.result_type("i4", "f4"), onp.dtype)


def test_dtype_queries_take_mxnp_arrays():  # MXNet 1.9.1 raises TypeError here (a bug)
    assert np.result_type(np.array([1.0]), np.float64) == onp.float64
    assert np.result_type(np.array([1], dtype="int32"), np.array([1.0])) == onp.float64
    assert np.min_scalar_type(np.array([1.0, 2.0])) == onp.float32
    assert np.min_scalar_type(np.array(5, dtype="int64")) == onp.uint8  # 0-d: by value


def test_dtype_queries_name_themselves_on_bad_input():
    with pytest.raises(TypeError, match="promote_types"):
        np.promote_types("i4", "not a dtype")
    with pytest.raises(ValueError, match="result_type"):
        np.result_type()


# ---- genfromtxt ----------------------------------------------------------------------------
def test_genfromtxt_reads_a_file_like_numpy(tmp_path):
    path = tmp_path / "data.txt"
    path.write_text("# header\n1 2 3\n4 5 6\n")
    same(np.genfromtxt(path), onp.genfromtxt(str(path)))
    same(np.genfromtxt(str(path), dtype=int, usecols=(0, 2)),
         onp.genfromtxt(str(path), dtype=int, usecols=(0, 2)))
    same(np.genfromtxt(path, unpack=True), onp.genfromtxt(str(path), unpack=True))


@pytest.mark.parametrize("opener, suffix", [(gzip.open, ".gz"), (bz2.open, ".bz2")])
def test_genfromtxt_reads_compressed_files(tmp_path, opener, suffix):
    path = tmp_path / ("data.csv" + suffix)
    with opener(path, "wt") as f:
        f.write("1,2\n3,4\n")
    same(np.genfromtxt(path, delimiter=","), [[1.0, 2.0], [3.0, 4.0]])


def test_genfromtxt_reads_streams_and_lines_with_missing_values_as_nan():
    same(np.genfromtxt(io.StringIO("1 2\n3 x")), onp.genfromtxt(io.StringIO("1 2\n3 x")))
    same(np.genfromtxt(["1,2", "3,"], delimiter=","), [[1.0, 2.0], [3.0, onp.nan]])
    assert np.genfromtxt(io.StringIO("1 2"), ctx=npx.cpu(1)).device == npx.cpu(1)


def test_genfromtxt_damaged_file_is_a_clear_error(tmp_path):
    with pytest.raises(OpError, match=r"(?s)genfromtxt: .*Line #2 \(got 3 columns instead of 2\)"):
        np.genfromtxt(io.StringIO("1 2\n3 4 5"))
    bad = tmp_path / "bad.gz"
    bad.write_bytes(b"not gzip data")
    with pytest.raises(OSError, match="genfromtxt"):
        np.genfromtxt(bad)


def test_genfromtxt_never_fetches_urls():
    with pytest.raises(FileNotFoundError, match="genfromtxt"):
        np.genfromtxt("http://example.com/data.txt")


def test_genfromtxt_refuses_non_numeric_data():
    with pytest.raises(TypeError, match="genfromtxt: the data read as"):
        np.genfromtxt(io.StringIO("a 1\nb 2"), dtype=None)


# ---- apply_along_axis / apply_over_axes ----------------------------------------------------
B = onp.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]], dtype="float64")


def my_func(a):  # NumPy's example: the average of the first and last element
    return (a[0] + a[-1]) * 0.5


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_apply_along_axis_matches_numpy_example(axis):
    same(np.apply_along_axis(my_func, axis, np.array(B)), onp.apply_along_axis(my_func, axis, B))


def test_apply_along_axis_puts_result_axes_where_axis_was():
    x = onp.arange(24.0).reshape(2, 3, 4)
    for axis in range(3):
        want = onp.apply_along_axis(lambda v: onp.outer(v, v[:2]), axis, x)
        same(np.apply_along_axis(lambda v: np.outer(v, v[:2]), axis, np.array(x)), want)


def test_apply_along_axis_passes_args_and_reads_plain_results():
    got = np.apply_along_axis(lambda v, k: float(v.sum().item()) * k, 1, np.array(B), 2)
    same(got, onp.apply_along_axis(lambda v, k: float(v.sum()) * k, 1, B, 2))


def test_apply_along_axis_mxnet_type():  # mxref: float32 input, mxnp output
    got = np.apply_along_axis(lambda v: v * 2, 0, np.ones((2, 3)))
    assert isinstance(got, np.ndarray) and got.dtype == onp.float32 and got.shape == (2, 3)


@pytest.mark.parametrize("func, axis, arr, match", [
    (my_func, 2, onp.ones((2, 2)), "out of bounds"),
    (my_func, 0, onp.ones((2, 0)), "iteration dimension is 0"),
    (lambda v: v[: int(v[0].item())], 1, onp.array([[1.0, 1.0], [2.0, 2.0]]), "different shapes"),
    (my_func, 0, onp.array(1.0), "at least one dimension"),
])
def test_apply_along_axis_bad_input(func, axis, arr, match):
    with pytest.raises(OpError, match=f"apply_along_axis: .*{match}"):
        np.apply_along_axis(func, axis, np.array(arr))


def test_apply_over_axes_matches_numpy_example():
    a = onp.arange(24.0).reshape(2, 3, 4)
    same(np.apply_over_axes(np.sum, np.array(a), [0, 2]), onp.apply_over_axes(onp.sum, a, [0, 2]))
    same(np.apply_over_axes(np.sum, np.array(a), -1), onp.apply_over_axes(onp.sum, a, -1))
    keep = np.apply_over_axes(lambda x, ax: np.sum(x, axis=ax, keepdims=True), np.array(a), (0,))
    same(keep, onp.sum(a, axis=0, keepdims=True))


def test_apply_over_axes_wrong_shape():
    with pytest.raises(OpError, match="apply_over_axes: function is not returning"):
        np.apply_over_axes(lambda x, ax: np.sum(x), np.ones((2, 3, 4)), [0])


# ---- financial functions: removed from NumPy (NEP 32); MXNet 1.9.1 raises RuntimeError ------
@pytest.mark.parametrize("name, args", [("npv", (0.1, [1.0, 2.0])),
                                        ("mirr", ([-100.0, 50.0, 60.0], 0.1, 0.1)),
                                        ("pv", (0.05 / 12, 120, -100, 15692.93)),
                                        ("rate", (10, 0, -3500, 10000)),
                                        ("ppmt", (0.1 / 12, 1, 60, 55000))])
def test_financial_functions_raise_as_mxnet(name, args):
    with pytest.raises(RuntimeError, match=f"{name}: removed from NumPy .*NEP 32"):
        getattr(np, name)(*args)


def test_bool_names_as_mxnet():  # mxref: np.bool is Python's bool, np.bool_ is NumPy's
    assert np.bool is bool and np.bool_ is onp.bool_
    assert np.array([1, 0], dtype=np.bool).dtype == onp.bool_
