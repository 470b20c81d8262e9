"""What a differential fuzzer (random calls under mxnp and under MXNet 1.9.1, compared by value,
dtype, type and error) found; the expected answers were printed by MXNet 1.9.1 (mxref)."""
from __future__ import annotations

import numpy as onp
import pytest

from mxnp import autograd, np, npx

A = [1.5, -2.0, 3.0]


@pytest.mark.parametrize("call, want, kind", [
    (lambda a: np.ptp(a), 5.0, onp.float32),
    (lambda a: np.nanmax(a), 3.0, onp.float32),
    (lambda a: np.nanargmin(a), 1, onp.int64),
    (lambda a: np.nanprod(a), -9.0, onp.float32),
    (lambda a: np.trapz(a), 0.25, onp.float32),
    (lambda a: np.positive(a[0]), 1.5, onp.float32),
    (lambda a: np.signbit(a[1]), True, onp.bool_),
    (lambda a: np.searchsorted(np.array([1.0, 2.0, 3.0]), 2.5), 2, onp.int64),
    (lambda a: np.linalg.cond(np.array([[1.0, 2.0], [3.0, 4.0]])), 14.933034, onp.float32),
    (lambda a: np.linalg.matrix_rank(np.array([[1.0, 2.0], [3.0, 4.0]])), 2, onp.int64),
])
def test_fallbacks_give_numpy_scalars_for_0d_results(call, want, kind):
    # MXNet computes these with official NumPy and hands its scalar back
    got = call(np.array(A))
    assert type(got) is kind
    assert got == pytest.approx(want)


def test_fallback_tuples_of_scalars_and_0d_array_answers():
    frac, whole = np.modf(np.array(2.5))
    assert (type(frac), float(frac), float(whole)) == (onp.float32, 0.5, 2.0)
    # NumPy answers these with 0-d arrays, which MXNet wraps
    for got in (np.real(np.array(2.0)), np.i0(np.array(2.0)), np.cov(np.array(A))):
        assert type(got) is np.ndarray and got.ndim == 0
    # arrays with more dimensions stay arrays
    assert type(np.nanmax(np.array([[1.0, 2.0], [3.0, 4.0]]), axis=0)) is np.ndarray


def test_fallback_keeps_the_array_while_recording():
    x = np.array(A)
    x.attach_grad()
    with autograd.record():
        y = np.nanmax(x)
    assert type(y) is np.ndarray
    y.backward()
    assert x.grad.tolist() == [0.0, 0.0, 1.0]


def test_nanquantile_and_nanpercentile_answer_in_float64():
    b = np.array([[1.0, 2.0], [3.0, 4.0]])
    for data in (b, b.astype("float16"), b.astype("int32")):
        assert np.nanpercentile(data, 50, axis=0).dtype == onp.float64
        assert np.nanquantile(data, 0.5, axis=0).dtype == onp.float64
    got = np.nanpercentile(b, [50, 20], axis=0)
    onp.testing.assert_allclose(got.asnumpy(), [[2.0, 3.0], [1.4, 2.4]])
    assert np.percentile(b, 50, axis=0).dtype == onp.float32  # MXNet's own op keeps it
    # method is the sixth positional parameter, as in MXNet (NumPy 1.22+)
    assert float(np.nanquantile(np.array([1.0, 2.0]), 0.5, None, None, False, "lower")) == 1.0


@pytest.mark.parametrize("dtype", ["int32", "int64", "uint8", "int8", "bool"])
def test_integer_true_division_by_a_float_is_float32(dtype):
    x = np.array([1, 0, 1], dtype=dtype)
    for got in (x / 2.0, 2.0 / (x + 1) if dtype != "bool" else 2.0 / (x.astype("int32") + 1),
                np.true_divide(x, 0.5), np.divide(onp.float64(0.25), x + 1)):
        assert got.dtype == onp.float32
    onp.testing.assert_allclose((x / 0.5).asnumpy(), x.asnumpy() * 2.0)
    assert (x / np.array([2.0], dtype="float64")).dtype == onp.float64  # an array still widens


def test_softmax_takes_length_second_as_mxnet():
    x = np.array([[1.0, 2, 3], [4, 5, 7]])
    with pytest.raises(TypeError, match="softmax: length must be an ndarray"):
        npx.softmax(x, 0)
    masked = npx.softmax(x, np.array([2, 3], dtype="int32"), use_length=True)
    onp.testing.assert_allclose(masked.asnumpy()[0], [0.26894143, 0.7310586, 0.0], rtol=1e-6)
    by_columns = npx.softmax(x, None, 0)
    onp.testing.assert_allclose(by_columns.asnumpy()[0], [0.04742587, 0.04742587, 0.01798621],
                                rtol=1e-6)
    # log_softmax: (data, axis, temperature, dtype, use_length)
    onp.testing.assert_allclose(npx.log_softmax(x, 0, 2.0).asnumpy()[0],
                                [-1.7014134, -1.7014134, -2.126928], rtol=1e-6)
    assert npx.softmax(x, None, -1, None, "float64").dtype == onp.float64


def test_pick_takes_keepdims_before_mode_as_mxnet():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    idx = np.array([1, 0])
    assert npx.pick(x, idx, -1, True).shape == (2, 1)
    assert npx.pick(x, np.array([2, -1]), 1, False, "wrap").tolist() == [1.0, 4.0]


def test_quantile_nearest_rounds_a_half_up_as_mxnet():
    # MXNet's percentile/quantile kernels take floor(pos + 0.5); NumPy rounds to even there
    got = [float(np.percentile(np.arange(6.0), q, interpolation="nearest"))
           for q in (10, 30, 50, 70, 90)]
    assert got == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert float(np.quantile(np.arange(5.0), 0.625, interpolation="nearest")) == 3.0
    # the nan-variants are official NumPy's in MXNet: half to even
    assert float(np.nanpercentile(np.arange(6.0), 50, method="nearest")) == 2.0


def test_legacy_scalar_operators_cast_a_float_to_the_integer_dtype_first():
    import mxnp as mx
    x = mx.nd.array([-3, -1, 1, 3, 5], dtype="int32")
    want = {  # MXNet 1.9.1: the scalar is truncated to the array's dtype, then applied
        "x * 2.5": [-6, -2, 2, 6, 10], "x - 0.5": [-3, -1, 1, 3, 5],
        "0.5 - x": [3, 1, -1, -3, -5], "x / 2.5": [-1, 0, 0, 1, 2], "x ** 0.5": [1] * 5,
        "x % 1.5": [0] * 5, "x + (-1.7)": [-4, -2, 0, 2, 4],
        "mx.nd.multiply(x, 1.5)": [-3, -1, 1, 3, 5], "mx.nd.subtract(x, 0.5)": [-3, -1, 1, 3, 5],
        "mx.nd.power(x, 0.5)": [1] * 5}
    for expr, values in want.items():
        got = eval(expr)
        assert got.dtype == onp.int32 and got.asnumpy().tolist() == values, expr
    u = mx.nd.array([1, 2, 250], dtype="uint8")
    assert (u - 1.5).asnumpy().tolist() == [0, 1, 249]
    f = mx.nd.array([1.5, 2.5], dtype="float16")  # a float array keeps the float scalar
    assert (f + 0.1).asnumpy().tolist() == [1.599609375, 2.599609375]


def test_legacy_operators_never_give_0d_arrays_outside_numpy_shape():
    import mxnp as mx
    x = mx.nd.array([3.0, 1.0, 2.0])
    for r in (mx.nd.argmax(x, axis=0), mx.nd.argmin(x, axis=0), x.argmax(axis=0),
              mx.nd.pick(x, mx.nd.array([0]), axis=0), mx.nd.linalg.slogdet(
                  mx.nd.array([[4.0, 1.0], [1.0, 3.0]]))[0]):
        assert r.shape == (1,)
    with mx.np_shape(True):  # the reductions stay (1,), other 0-d results may be 0-d
        assert mx.nd.argmax(x, axis=0).shape == mx.nd.pick(x, mx.nd.array([0]), 0).shape == (1,)
        assert mx.nd.linalg.slogdet(mx.nd.array([[4.0, 1.0], [1.0, 3.0]]))[0].shape == ()


def test_numbers_out_of_an_integer_dtype_wrap_on_assignment_as_mxnet():
    x = np.zeros(3, dtype="int32")
    x[0], x[1], x[2] = 2.7, -2.7, 2 ** 31  # MXNet 1.9.1: C casts (truncate, then wrap)
    assert x.tolist() == [2, -2, -2147483648]
    u = np.zeros(3, dtype="uint8")
    u[0], u[1], u[2] = -2.7, 300, True
    assert u.tolist() == [254, 44, 1]
