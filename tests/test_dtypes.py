"""Dtype defaults and promotion (reference section 2).

MXNet's rules kept: Python data and arange give float32; NumPy data keeps its dtype; int with
float arrays give the float operand's dtype; a Python scalar never changes the array's dtype of
its kind; integer true division gives float32. Where MXNet fails (u8 + i8) or truncates
(int array + Python float) we follow NumPy.
"""
from __future__ import annotations

import operator

import numpy as onp
import pytest

from mxnp import np

DTYPES = ["bool", "uint8", "int8", "int32", "int64", "float16", "float32", "float64"]
_ABBR = {"b": "bool", "u8": "uint8", "i8": "int8", "i16": "int16", "i32": "int32",
         "i64": "int64", "f16": "float16", "f32": "float32", "f64": "float64"}
# Reference 2.3, the table for +, * and ** (rows: left operand, columns: right operand in the
# order of DTYPES). MXNet's ERR for u8 with i8 is NumPy's int16 here.
PROMOTION = {
    "bool": "b    u8   i8   i32  i64  f16  f32  f64",
    "uint8": "u8   u8   i16  i32  i64  f16  f32  f64",
    "int8": "i8   i16  i8   i32  i64  f16  f32  f64",
    "int32": "i32  i32  i32  i32  i64  f16  f32  f64",
    "int64": "i64  i64  i64  i64  i64  f16  f32  f64",
    "float16": "f16  f16  f16  f16  f16  f16  f32  f64",
    "float32": "f32  f32  f32  f32  f32  f32  f32  f64",
    "float64": "f64  f64  f64  f64  f64  f64  f64  f64",
}
CASES = [(left, right, _ABBR[cell]) for left, row in PROMOTION.items()
         for right, cell in zip(DTYPES, row.split(), strict=True)]


# ---- creation defaults -------------------------------------------------------------------------
@pytest.mark.parametrize("data", [1, 1.5, True, [1, 2], [[1, 2], [3, 4]], [True, 1, 2.5]])
def test_array_python_data_is_float32(data):
    assert np.array(data).dtype == onp.float32


@pytest.mark.parametrize("dtype", ["int64", "float64", "int32", "uint8", "float16", "bool"])
def test_array_numpy_data_keeps_its_dtype(dtype):
    assert np.array(onp.array([1, 0], dtype=dtype)).dtype == dtype
    assert np.array(onp.ones((), dtype=dtype)[()]).dtype == dtype  # a NumPy scalar too


def test_array_explicit_dtype_wins():
    assert np.array([1, 2], dtype=int).dtype == onp.int64
    assert np.array([1, 2], dtype=float).dtype == onp.float64
    assert np.array([1, 2], dtype=None).dtype == onp.float32
    assert np.array(np.ones(2), dtype="int32").dtype == onp.int32


@pytest.mark.parametrize("args", [(5,), (5.0,), (2, 10, 3), (0, 1, 0.25), (-3,)])
def test_arange_is_float32(args):
    assert np.arange(*args).dtype == onp.float32


def test_arange_explicit_dtype():
    x = np.arange(5, dtype="int32")
    assert x.dtype == onp.int32
    assert x.tolist() == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("make", [lambda: np.zeros(3), lambda: np.ones(3),
                                  lambda: np.empty((2, 2)), lambda: np.eye(3),
                                  lambda: np.full((2,), 7), lambda: np.linspace(0, 1, 5)])
def test_fill_functions_are_float32(make):
    assert make().dtype == onp.float32


def test_full_with_bool_fills_bool():
    assert np.full((2,), True).dtype == onp.bool_


def test_dtype_is_a_numpy_dtype():
    x = np.ones(2)
    assert isinstance(x.dtype, onp.dtype)
    assert x.dtype == onp.float32 and x.dtype == "float32"
    assert x.dtype.itemsize == 4


def test_dtype_unknown_name_raises_type_error():
    with pytest.raises(TypeError, match="floaty"):
        np.array([1, 2], dtype="floaty")


# ---- array with array ------------------------------------------------------------------------
@pytest.mark.parametrize("left, right, expected", CASES)
def test_add_promotion_table(left, right, expected):
    x = np.array([1, 0], dtype=left)
    y = np.array([1, 1], dtype=right)
    assert (x + y).dtype == expected
    assert (x * y).dtype == expected


@pytest.mark.parametrize("op", [operator.add, operator.mul, operator.pow])
def test_int_with_float_gives_the_float_operands_dtype(op):
    # NumPy would widen int32 + float32 and int64 + float16 to float64
    i32, i64 = np.array([1, 2], dtype="int32"), np.array([1, 2], dtype="int64")
    f16, f32 = np.array([1, 2], dtype="float16"), np.array([1, 2], dtype="float32")
    assert op(i32, f32).dtype == onp.float32
    assert op(f32, i32).dtype == onp.float32
    assert op(i64, f16).dtype == onp.float16


def test_uint8_with_int8_follows_numpy_int16():
    # MXNet 1.9.1 fails at read time here; NumPy's int16 holds every value of both
    z = np.array([200, 1], dtype="uint8") + np.array([-1, 1], dtype="int8")
    assert z.dtype == onp.int16
    assert z.tolist() == [199, 2]


def test_zero_d_array_takes_part_in_promotion():
    f = np.array([1., 2.])
    assert (f + np.array(3., dtype="float64")).dtype == onp.float64
    assert (np.array([1, 2], dtype="int32") + np.array(3.)).dtype == onp.float32


def test_true_divide_of_integers_is_float32():
    for dtype in ("int32", "int64", "uint8", "bool"):
        x = np.array([1, 1], dtype=dtype)
        assert (x / 2).dtype == onp.float32
        assert (x / x).dtype == onp.float32
    assert (np.array([1, 2, 3], dtype="int32") / 2).tolist() == [0.5, 1.0, 1.5]


@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")  # NumPy warns, MXNet not
def test_true_divide_by_zero_gives_inf():
    assert (np.array([1, 2], dtype="int32") / 0).tolist() == [float("inf")] * 2
    assert (1 / np.array(0.)).item() == float("inf")


# ---- array with a Python scalar --------------------------------------------------------------
def test_python_scalar_keeps_float32():
    f = np.array([1., 2., 3.])
    for result in (f * 2.5, 2.5 * f, f + 1, f / 2, f ** 2, 2 ** f, f % 2, f + True, -f):
        assert result.dtype == onp.float32


def test_python_scalar_keeps_float16():
    h = np.array([1., 2.], dtype="float16")
    assert (h * 2.5).dtype == onp.float16
    assert (h + 1).dtype == onp.float16


def test_python_int_keeps_int32():
    i = np.array([1, 2, 3], dtype="int32")
    for result in (i + 1, 1 + i, i * 2, i - 1, 1 - i, i % 2, i ** 2, 2 ** i, i + True, -i):
        assert result.dtype == onp.int32
    assert (i + 1).tolist() == [2, 3, 4]


def test_python_int_out_of_range_wraps():
    u8 = np.array([0, 1, 2], dtype="uint8")
    assert (u8 + 300).dtype == onp.uint8
    assert (u8 + 300).tolist() == [44, 45, 46]
    assert (300 + u8).tolist() == [44, 45, 46]
    assert (np.array([127], dtype="int8") + 1).tolist() == [-128]


def test_numpy_scalar_acts_as_python_scalar():
    f = np.array([1., 2.])
    assert (f * onp.float64(2)).dtype == onp.float32
    assert (f + onp.float32(1)).dtype == onp.float32
    assert (np.array([1, 2], dtype="int32") + onp.int64(1)).dtype == onp.int32


def test_int_array_with_python_float_follows_numpy():
    # MXNet truncates the scalar (int32 + 1.5 -> [2, 3, 4] int32); we keep the value
    i = np.array([1, 2, 3], dtype="int32")
    assert (i + 1.5).dtype == onp.float64
    assert (i + 1.5).tolist() == [2.5, 3.5, 4.5]
    assert (i * 2.5).tolist() == [2.5, 5.0, 7.5]


def test_bool_array_with_python_int_is_int64():
    b = np.array([True, False, True], dtype=bool)
    assert (b + 1).dtype == onp.int64
    assert (b + 1).tolist() == [2, 1, 2]
    assert (b * 2).tolist() == [2, 0, 2]


def test_bool_with_bool_stays_bool():
    b = np.array([True, False, True], dtype=bool)
    for result in (b + b, b & b, b | b, ~b, np.multiply(b, b)):
        assert result.dtype == onp.bool_


def test_comparison_gives_bool():
    f = np.array([1., 2., 3.])
    for result in (f == 2, f > 1.5, f == f, np.array(3.) < 4, 4 > np.array(3.)):
        assert result.dtype == onp.bool_
    assert (np.array(3.) < 4).shape == ()


# ---- astype ---------------------------------------------------------------------------------
def test_astype_casts_as_c():
    assert np.array([1.7, -1.7, 2.5]).astype("int32").tolist() == [1, -1, 2]
    assert np.array([300., -1.]).astype("int32").astype("uint8").tolist() == [44, 255]
