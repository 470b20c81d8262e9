"""Statistics, NaN-skipping, histogram and window ops against what MXNet 1.9.1 printed (found
by a parity sweep; tests/test_statistics_ops.py and test_misc_ops.py are at their size cap)."""
from __future__ import annotations

import numpy as onp
import pytest

from mxnp import np
from tests.test_forward_ops import F32, I32, I64, check

F64 = onp.dtype("float64")


def test_nan_reductions_count_small_integers_in_int64():
    # MXNet runs them through NumPy, which widens int32 and bool to int64
    x = np.array([[3, -1, 4], [1, 5, -9]], dtype="int32")
    check(np.nanprod(x, axis=0), [3, -5, -36], I64)
    check(np.nancumsum(x), [3, 2, 6, 7, 12, 3], I64)
    check(np.nancumprod(x, axis=1), [[3, -3, -12], [1, 5, -45]], I64)
    check(np.nanprod(x, axis=0, dtype="int32"), [3, -5, -36], I32)


def test_average_returns_one_sum_of_weights():
    x = np.arange(12.0).reshape(3, 4)
    avg, scale = np.average(x, axis=1, returned=True)
    check(avg, [1.5, 5.5, 9.5], F32)
    check(scale, 4.0, F32)
    check(np.average(x, axis=0, weights=np.array([1.0, 2.0, 3.0]), returned=True)[1], 6.0, F32)
    check(np.average(x, axis=0, weights=np.ones((3, 4)), returned=True)[1], [3.0] * 4, F32)
    check(np.average(x, weights=np.ones((3, 4)), returned=True)[1], 12.0, F32)


def test_cov_takes_whole_float_frequency_weights():
    got = np.cov(np.array([[1.0, 2.0, 4.0], [1.0, 0.0, 2.0]]), fweights=np.array([1, 2, 1]))
    check(got, [[19 / 12, 0.75], [0.75, 11 / 12]], F64)


def test_scans_refuse_a_tuple_axis_and_take_numpy_integers():
    with pytest.raises(TypeError, match="cumsum"):
        np.cumsum(np.ones((2, 3)), axis=(0, 1))
    with pytest.raises(TypeError, match="cumprod"):
        np.cumprod(np.ones((2, 3)), axis=(0,))
    check(np.cumsum(np.ones((2, 3)), axis=onp.int64(1)), [[1, 2, 3]] * 2, F32)
    check(np.sum(np.ones((2, 3)), axis=onp.int32(0)), [2, 2, 2], F32)


def test_histogramdd_edges_are_float64():
    counts, edges = np.histogramdd(np.array([[1.0, 2.0], [1.0, 3.0]]), bins=2)
    check(counts, [[0, 0], [1, 1]], F64)
    check(edges[0], [0.5, 1.0, 1.5], F64)
    _, xe, ye = np.histogram2d(np.array([1, 2], dtype="int32"), np.array([1, 3], dtype="int32"),
                               bins=2)
    check(xe, [1.0, 1.5, 2.0], F64)
    check(ye, [1.0, 2.0, 3.0], F64)


@pytest.mark.parametrize("name, m, want", [
    ("hanning", 4, [0.0, 0.75, 0.74999994, 0.0]),
    ("hanning", 7, [0.0, 0.25, 0.75, 1.0, 0.74999994, 0.24999982, 0.0]),
    ("hamming", 4, [0.08000001, 0.77000004, 0.77, 0.08000001]),
    ("blackman", 5, [-1.4901161e-08, 0.34000003, 0.99999994, 0.33999997, -1.4901161e-08]),
    ("hanning", 1, [1.0]), ("hamming", 0, onp.zeros(0)),
])
def test_windows_round_as_mxnets_float32_kernel(name, m, want):
    got = getattr(np, name)(m)
    check(got, want, F32)
    onp.testing.assert_array_equal(got.asnumpy(), onp.array(want, F32))


def _g():
    return onp.float32(1) / (onp.arange(2000, dtype="float32").reshape(500, 4) + onp.float32(1.5))


def test_float32_sums_and_means_add_as_mxnets_compensated_kernel():
    # MXNet 1.9.1 adds each sum's terms in order with Kahan's compensation (mxref printed these;
    # NumPy's row-by-row sum gives 2.2420895, 1.9168905, 1.7548426, 1.6510872)
    from mxnp import _native

    sums = np.sum(np.array(_g()), axis=0).asnumpy()
    means = np.mean(np.array(_g()).T, axis=1).asnumpy()
    want_sums = onp.array([2.24208927154541, 1.9168918132781982, 1.754843831062317,
                           1.6510875225067139], F32)
    want_means = onp.array([0.004484178498387337, 0.003833783557638526, 0.003509687725454569,
                            0.003302175085991621], F32)
    if _native.libm() is not None:  # the compensated sum is compiled (mxnp/_libm.pyx)
        onp.testing.assert_array_equal(sums, want_sums)
        onp.testing.assert_array_equal(means, want_means)
    else:  # NumPy's sums: the same to float32 rounding
        onp.testing.assert_allclose(sums, want_sums, rtol=2e-6)
        onp.testing.assert_allclose(means, want_means, rtol=2e-6)


def test_the_gradient_of_a_broadcast_sums_as_mxnet():
    # the adjoint of broadcasting is a sum: MXNet's kernel compensates there too (mxref)
    from mxnp import _native, autograd

    b = np.zeros(4)
    b.attach_grad()
    with autograd.record():
        y = np.zeros((500, 4)) + b
    y.backward(np.array(_g()))
    want = onp.array([2.24208927154541, 1.9168918132781982, 1.754843831062317,
                      1.6510875225067139], F32)
    if _native.libm() is not None:
        onp.testing.assert_array_equal(b.grad.asnumpy(), want)
    else:
        onp.testing.assert_allclose(b.grad.asnumpy(), want, rtol=2e-6)


def test_an_infinite_running_sum_is_infinite_not_nan():
    # MXNet 1.9.1 gives nan for [1, inf, 1] (its compensation becomes inf - inf); NumPy's inf
    check(np.sum(np.array([1.0, onp.inf, 1.0])), onp.inf, F32)
    check(np.sum(np.array([3e38, 3e38, -3e38])), onp.inf, F32)
    check(np.sum(np.array([onp.inf, -onp.inf])), onp.nan, F32)
    check(np.sum(np.array([[1.0, 2.0], [onp.inf, 3.0], [1.0, 4.0]]), axis=0), [onp.inf, 9.0],
          F32)
