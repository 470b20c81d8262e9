"""mx.init: the values each initializer writes (exact where deterministic, statistics otherwise)."""
from __future__ import annotations

import math

import numpy as onp
import pytest

import mxnp as mx
from mxnp import autograd, np, npx
from mxnp import initializer as init


def filled(initializer, shape, name="dense0_weight", dtype="float32"):
    """A fresh zeros array of ``shape`` after ``initializer`` filled it as gluon would."""
    arr = np.zeros(shape, dtype=dtype)
    initializer(init.InitDesc(name), arr)
    return arr


def test_zero_one_fill_in_place_and_keep_the_array():
    arr = np.full((2, 3), 7.0)
    init.One()(init.InitDesc("fc_weight"), arr)
    assert arr.asnumpy().tolist() == [[1.0] * 3] * 2
    init.Zero()(init.InitDesc("fc_weight"), arr)
    assert arr.asnumpy().tolist() == [[0.0] * 3] * 2


@pytest.mark.parametrize("value, expected", [
    (2, [[2.0, 2.0, 2.0], [2.0, 2.0, 2.0]]),
    (-0.5, [[-0.5] * 3] * 2),
    ([[1, 2, 3]], [[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]]),   # MXNet 1.9.1 (mxref), via Parameter
    ([[1, 2, 3], [4, 5, 6]], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]),
])
def test_constant_scalar_and_list_values(value, expected):
    assert filled(init.Constant(value), (2, 3)).asnumpy().tolist() == expected


def test_constant_array_value_broadcasts():
    # MXNet 1.9.1 (mxref): Constant(np.array([1., 2., 3.])) on (2, 3) -> [[1,2,3],[1,2,3]]
    arr = filled(init.Constant(np.array([1.0, 2.0, 3.0])), (2, 3))
    assert arr.asnumpy().tolist() == [[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]]


def test_constant_keeps_integer_dtype():
    # MXNet 1.9.1 (mxref): int32 Parameter with One() -> array([1, 1], dtype=int32)
    arr = filled(init.One(), (2,), dtype="int32")
    assert arr.dtype == onp.int32 and arr.asnumpy().tolist() == [1, 1]


def test_uniform_default_scale_and_bounds():
    npx.random.seed(0)
    w = filled(init.Uniform(), (400, 100)).asnumpy()
    assert w.min() >= -0.07 and w.max() <= 0.07
    assert abs(w.std() - 0.07 / math.sqrt(3)) < 0.002  # MXNet printed std 0.0404
    assert abs(w.mean()) < 0.002


def test_uniform_scale_one():
    npx.random.seed(1)
    w = filled(init.Uniform(1.0), (400, 100)).asnumpy()
    # MXNet 1.9.1: min -1, max 1, std 0.576
    assert -1 <= w.min() < -0.999 and 0.999 < w.max() <= 1
    assert abs(w.std() - 0.577) < 0.01


@pytest.mark.parametrize("sigma, std", [(0.01, 0.0099), (1.0, 0.9995)])
def test_normal_sigma(sigma, std):
    npx.random.seed(2)
    w = filled(init.Normal(sigma), (400, 100)).asnumpy()
    assert abs(w.std() - std) / std < 0.02  # MXNet 1.9.1 printed these stds
    assert abs(w.mean()) < 3 * sigma / 200


def test_xavier_uniform_dense_bound():
    # MXNet 1.9.1: Dense(400, in_units=100) max 0.1095 = sqrt(3/250)
    npx.random.seed(3)
    w = filled(init.Xavier(), (400, 100)).asnumpy()
    bound = math.sqrt(3 / 250)
    assert w.max() <= bound and w.max() > 0.999 * bound and w.min() >= -bound


def test_xavier_uniform_conv_bound():
    # MXNet 1.9.1: Conv2D(64, 3, in_channels=32) max 0.08333 = sqrt(3/((288+576)/2))
    npx.random.seed(4)
    w = filled(init.Xavier(), (64, 32, 3, 3)).asnumpy()
    assert abs(w.max() - 0.08333) < 0.0005 and w.max() <= math.sqrt(3 / 432)


@pytest.mark.parametrize("factor_type, std", [("in", 0.0586), ("out", 0.0420), ("avg", 0.0483)])
def test_xavier_gaussian_factor_types(factor_type, std):
    # MXNet 1.9.1: gaussian, magnitude 1 on a (64, 32, 3, 3) conv weight
    npx.random.seed(5)
    w = filled(init.Xavier("gaussian", factor_type, 1), (64, 32, 3, 3)).asnumpy()
    assert abs(w.std() - std) / std < 0.03


def test_msraprelu_std():
    # MXNet 1.9.1: Dense 400x100 std 0.0867 ~ sqrt(1.882 / 250)
    npx.random.seed(6)
    w = filled(init.MSRAPrelu(), (400, 100)).asnumpy()
    assert abs(w.std() - math.sqrt(2 / 1.0625 / 250)) < 0.002


def test_orthogonal_wide_rows_are_orthogonal():
    # MXNet 1.9.1: Orthogonal() 2x3 -> W W^T = 1.9994 I (1.414^2)
    w = filled(init.Orthogonal(), (2, 3)).asnumpy()
    onp.testing.assert_allclose(w @ w.T, 1.414 ** 2 * onp.eye(2), atol=1e-5)


def test_orthogonal_tall_columns_are_orthonormal():
    # MXNet 1.9.1: Orthogonal(scale=1.0, rand_type='normal') 3x2 -> W^T W = I
    w = filled(init.Orthogonal(scale=1.0, rand_type="normal"), (3, 2)).asnumpy()
    onp.testing.assert_allclose(w.T @ w, onp.eye(2), atol=1e-6)


def test_orthogonal_flattens_trailing_axes():
    w = filled(init.Orthogonal(scale=1.0), (4, 2, 3, 3)).asnumpy().reshape(4, -1)
    onp.testing.assert_allclose(w @ w.T, onp.eye(4), atol=1e-5)


def test_orthogonal_unknown_rand_type():
    with pytest.raises(ValueError, match="Unknown random type"):
        filled(init.Orthogonal(rand_type="foo"), (2, 2))


def test_bilinear_even_kernel():
    # MXNet 1.9.1 (mxref), (1, 1, 4, 4)
    row0 = [0.0625, 0.1875, 0.1875, 0.0625]
    row1 = [0.1875, 0.5625, 0.5625, 0.1875]
    w = filled(init.Bilinear(), (1, 1, 4, 4)).asnumpy()
    assert w[0, 0].tolist() == [row0, row1, row1, row0]


def test_bilinear_odd_kernel_is_not_symmetric():
    # MXNet 1.9.1 (mxref), 3x3: a quirk of the formula
    w = filled(init.Bilinear(), (2, 2, 3, 3)).asnumpy()
    expected = [[0.0625, 0.1875, 0.1875], [0.1875, 0.5625, 0.5625], [0.1875, 0.5625, 0.5625]]
    for out in range(2):
        for inp in range(2):
            assert w[out, inp].tolist() == expected


def test_bilinear_rectangular_kernel_uses_width():
    # MXNet 1.9.1 (mxref), (2, 1, 3, 5), rounded to 4 places
    w = filled(init.Bilinear(), (2, 1, 3, 5)).asnumpy().round(4)
    expected = [[0.1111, 0.2222, 0.3333, 0.2222, 0.1111],
                [0.2222, 0.4444, 0.6667, 0.4444, 0.2222],
                [0.3333, 0.6667, 1.0, 0.6667, 0.3333]]
    onp.testing.assert_allclose(w[1, 0], expected, atol=1e-4)


def test_lstmbias_forget_gate_quarter():
    # MXNet 1.9.1 (mxref): rnn.LSTM(2, input_size=2, i2h_bias_initializer=LSTMBias(1.0))
    assert filled(init.LSTMBias(forget_bias=1.0), (8,)).asnumpy().tolist() == \
        [0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0]
    # MXNet 1.9.1 (mxref): 6 entries -> int(6 / 4) = 1 hidden unit
    assert filled(init.LSTMBias(3.0), (6,)).asnumpy().tolist() == [0.0, 3.0, 0.0, 0.0, 0.0, 0.0]


@pytest.mark.parametrize("make", [init.Uniform, init.Normal, init.Xavier, init.MSRAPrelu,
                                  init.Orthogonal])
def test_float64_parameters_get_float64_draws(make):
    # MXNet 1.9.1 fails here (a dtype check in _npi_uniform / _npi_normal); mxnp draws float64
    npx.random.seed(7)
    w = filled(make(), (30, 20), dtype="float64").asnumpy()
    assert w.dtype == onp.float64 and w.std() > 0
    assert (w.astype(onp.float32).astype(onp.float64) != w).any()  # not float32 values


def test_float64_constant_parameters():
    # MXNet 1.9.1 (mxref): Parameter dtype float64 init 'ones' -> float64 ones
    assert filled(init.One(), (2, 3), dtype="float64").asnumpy().tolist() == [[1.0] * 3] * 2
    assert filled(init.Constant(2.5), (2,), dtype="float64").dtype == onp.float64


def test_float16_parameters_are_filled():
    arr = filled(init.Xavier(), (30, 20), dtype="float16")
    assert arr.dtype == onp.float16 and 0 < float(arr.asnumpy().std()) < 0.4


@pytest.mark.parametrize("make", [init.Uniform, init.Normal, init.Xavier, init.Orthogonal])
def test_random_initializers_follow_the_seed(make):
    mx.random.seed(42)
    first = filled(make(), (5, 4)).asnumpy()
    npx.random.seed(42)
    again = filled(make(), (5, 4)).asnumpy()
    other = filled(make(), (5, 4)).asnumpy()
    assert onp.array_equal(first, again) and not onp.array_equal(first, other)


def test_filling_inside_record_is_allowed():
    # deferred initialisation runs at the first forward, often inside autograd.record(), where
    # an in-place write to a variable would otherwise be refused
    arr = np.zeros((2, 3))
    arr.attach_grad()
    with autograd.record():
        init.Xavier()(init.InitDesc("dense0_weight"), arr)
    assert arr.asnumpy().std() > 0


def test_zero_dim_parameter_is_filled():
    assert filled(init.Constant(3), ()).item() == 3.0
