"""ndarray operators as MXNet 1.9.1 behaves: arithmetic, comparison and bitwise, reflected and
in place."""
from __future__ import annotations

import operator

import numpy as onp
import pytest

from mxnp import np
from mxnp.base import MXNetError
from tests.helpers import f32, i32

# ---- arithmetic, comparison and bitwise operators ----------------------------------------------
BINARY = [  # (operator, left, right, expected list)
    (operator.add, f32(1, 2, 3), 1, [2., 3., 4.]),
    (operator.sub, f32(1, 2, 3), 1, [0., 1., 2.]),
    (operator.mul, f32(1, 2, 3), 2, [2., 4., 6.]),
    (operator.truediv, f32(1, 2, 3), 2, [0.5, 1., 1.5]),
    (operator.mod, f32(5, -5, 3), 3, [2., 1., 0.]),  # sign of the divisor, as NumPy
    (operator.mod, i32(5, -5, 3), 3, [2, 1, 0]),
    (operator.pow, f32(1, 2, 3), 2, [1., 4., 9.]),
    (operator.floordiv, f32(1, 2, 3), 2, [0., 1., 1.]),  # MXNet 1.9.1 has no //: NumPy's
    (operator.and_, i32(1, 2, 3), 2, [0, 2, 2]),
    (operator.or_, i32(1, 2, 3), 4, [5, 6, 7]),
    (operator.xor, i32(1, 2, 3), 1, [0, 3, 2]),
    (operator.lshift, i32(1, 2, 3), 1, [2, 4, 6]),
    (operator.rshift, i32(1, 2, 3), 1, [0, 1, 1]),
    (operator.add, f32(1, 2), f32(10, 20), [11., 22.]),
    (operator.matmul, f32(1, 2), f32(3, 4), 11.),
    (operator.eq, f32(1, 2, 3), 2, [False, True, False]),
    (operator.ne, f32(1, 2, 3), 2, [True, False, True]),
    (operator.lt, f32(1, 2, 3), 2, [True, False, False]),
    (operator.le, f32(1, 2, 3), 2, [True, True, False]),
    (operator.gt, f32(1, 2, 3), 2, [False, False, True]),
    (operator.ge, f32(1, 2, 3), 2, [False, True, True]),
]


@pytest.mark.parametrize("op, x, y, expected", BINARY,
                         ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(BINARY)])
def test_operator_binary(op, x, y, expected):
    result = op(x, y)
    assert type(result) is np.ndarray
    assert result.tolist() == expected


REFLECTED = [  # (operator, Python scalar on the left, array, expected list)
    (operator.add, 1, f32(1, 2, 3), [2., 3., 4.]),
    (operator.sub, 1, f32(1, 2, 3), [0., -1., -2.]),
    (operator.mul, 2, f32(1, 2, 3), [2., 4., 6.]),
    (operator.truediv, 2, f32(1, 2, 4), [2., 1., 0.5]),
    (operator.mod, 5, f32(2, 3, 4), [1., 2., 1.]),
    (operator.pow, 2, f32(1, 2, 3), [2., 4., 8.]),
    (operator.floordiv, 5, f32(2, 3, 4), [2., 1., 1.]),
    (operator.and_, 2, i32(1, 2, 3), [0, 2, 2]),
    (operator.or_, 4, i32(1, 2, 3), [5, 6, 7]),
    (operator.xor, 1, i32(1, 2, 3), [0, 3, 2]),
    (operator.lshift, 1, i32(1, 2, 3), [2, 4, 8]),
    (operator.rshift, 16, i32(1, 2, 3), [8, 4, 2]),
    (operator.eq, 2, f32(1, 2, 3), [False, True, False]),
    (operator.lt, 2, f32(1, 2, 3), [False, False, True]),
    (operator.ge, 2, f32(1, 2, 3), [True, True, False]),
]


@pytest.mark.parametrize("op, s, x, expected", REFLECTED,
                         ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(REFLECTED)])
def test_operator_reflected(op, s, x, expected):
    result = op(s, x)
    assert type(result) is np.ndarray
    assert result.dtype == x.dtype or result.dtype == onp.bool_
    assert result.tolist() == expected


def test_operator_unary():
    x = f32(1, -2, 3)
    assert (-x).tolist() == [-1., 2., -3.]
    assert (+x).tolist() == [1., -2., 3.]
    assert abs(x).tolist() == [1., 2., 3.]
    assert (~i32(1, 2, 3)).tolist() == [-2, -3, -4]
    assert (~np.array([True, False], dtype=bool)).tolist() == [False, True]
    assert round(np.array(1.26), 1).item() == pytest.approx(1.3)
    assert type(round(np.array(1.26), 1)) is np.ndarray


INPLACE = [  # (in-place operator, start array, operand, expected list)
    (operator.iadd, f32(1, 2, 3), 1, [2., 3., 4.]),
    (operator.isub, f32(1, 2, 3), 1, [0., 1., 2.]),
    (operator.imul, f32(1, 2, 3), 3, [3., 6., 9.]),
    (operator.itruediv, f32(1, 2, 3), 2, [0.5, 1., 1.5]),
    (operator.imod, f32(5, 6, 7), 5, [0., 1., 2.]),
    (operator.ipow, f32(1, 2, 3), 2, [1., 4., 9.]),
    (operator.ifloordiv, f32(1, 2, 3), 2, [0., 1., 1.]),
    (operator.iand, i32(1, 2, 3), 2, [0, 2, 2]),
    (operator.ior, i32(1, 2, 3), 4, [5, 6, 7]),
    (operator.ixor, i32(1, 2, 3), 1, [0, 3, 2]),
    (operator.ilshift, i32(1, 2, 3), 1, [2, 4, 6]),
    (operator.irshift, i32(1, 2, 3), 1, [0, 1, 1]),
    (operator.iadd, f32(1, 2, 3), f32(1, 1, 1), [2., 3., 4.]),
    (operator.imul, f32(1, 2, 3), i32(2, 2, 2), [2., 4., 6.]),  # stays float32
]


@pytest.mark.parametrize("op, x, y, expected", INPLACE,
                         ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(INPLACE)])
def test_operator_inplace_keeps_the_object(op, x, y, expected):
    alias, dtype = x, x.dtype
    result = op(x, y)
    assert result is alias
    assert alias.tolist() == expected and alias.dtype == dtype


def test_operator_imatmul_writes_the_product():
    x = np.ones((2, 2))
    alias = x
    x @= np.ones((2, 2))  # MXNet 1.9.1 gives zeros here (out aliases an input); NumPy's answer
    assert x is alias and x.tolist() == [[2., 2.], [2., 2.]]


def test_operator_inplace_writes_through_a_view():
    x = np.arange(6).reshape(2, 3)
    row = x[1]
    row += 100
    assert x.tolist() == [[0., 1., 2.], [103., 104., 105.]]
    row *= 0
    assert x.tolist() == [[0., 1., 2.], [0., 0., 0.]]


def test_operator_inplace_int32_true_divide_raises_type_error():
    x = i32(1, 2, 3)
    with pytest.raises(TypeError):
        x /= 2
    assert x.tolist() == [1, 2, 3] and x.dtype == onp.int32


def test_operator_inplace_int32_with_python_float_raises_type_error():
    # int32 + 1.5 is float64 (NumPy's rule); MXNet truncates the scalar and keeps int32
    x = i32(1, 2, 3)
    with pytest.raises(TypeError):
        x += 1.5
    assert x.tolist() == [1, 2, 3]


def test_operator_shape_mismatch_raises_at_the_call():
    with pytest.raises(MXNetError):
        np.ones((2, 3)) + np.ones((3, 2))
    with pytest.raises(MXNetError):
        operator.eq(np.ones((2, 3)), np.ones((3, 2)))


def test_operator_errors_are_never_deferred():
    # MXNet returns u8 + i8 and then fails when the data is read; we compute at the call
    z = np.array([1, 2], dtype="uint8") + np.array([1, 2], dtype="int8")
    assert z.tolist() == [2, 4]
    with pytest.raises(MXNetError):
        np.ones(3).reshape(2, 2)


@pytest.mark.parametrize("other", [[1., 2., 3.], (1., 2., 3.), "a", None],
                         ids=["list", "tuple", "str", "None"])
def test_operator_unsupported_operand_raises_type_error(other):
    x = np.ones(3)
    with pytest.raises(TypeError, match="not supported"):
        x + other
    with pytest.raises(TypeError, match="not supported"):
        other + x
    with pytest.raises(TypeError, match="not supported"):
        x * other
    with pytest.raises(TypeError, match="not supported"):
        operator.eq(x, other)


def test_operator_numpy_array_right_operand_raises_type_error():
    with pytest.raises(TypeError, match="not supported"):
        np.ones(3) + onp.ones(3)


def test_operator_numpy_array_left_operand_raises_type_error():
    with pytest.raises(TypeError, match="not supported"):
        onp.ones(3) + np.ones(3)
    with pytest.raises(TypeError, match="not supported"):
        onp.add(np.ones(3), onp.ones(3))


@pytest.mark.parametrize("call, text", [
    (lambda: np.ones((2, 3)) + np.ones((4,)),  # MXNet 1.9.1's words (mxref), after the op
     "add: Check failed: l == 1 || r == 1: operands could not be broadcast together with "
     "shapes [2,3] [4] (inputs: (2, 3) float32, (4,) float32)"),
    (lambda: np.maximum(np.ones((2, 3)), np.ones((3, 2))),
     "maximum: Check failed: l == 1 || r == 1: operands could not be broadcast together with "
     "shapes [2,3] [3,2] (inputs: (2, 3) float32, (3, 2) float32)"),
])
def test_broadcast_errors_are_in_mxnets_words(call, text):
    with pytest.raises(MXNetError) as info:
        call()
    assert str(info.value) == text


def test_a_check_inside_an_op_names_it_once():
    with pytest.raises(MXNetError) as info:
        np.ones((2, 3)).sum(axis=2)
    assert str(info.value).startswith("sum: axis 2 is out of bounds for ")
