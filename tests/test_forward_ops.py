"""Forward values of the foundation ops against NumPy's, and their dtypes against MXNet's rules.

MXNet 1.9.1 (mxnp/_dtypes.py): Python data and arange give float32; int with float arrays take
the float's dtype; integer true division, means of integers and float math on integers give
float32; sums keep an integer dtype (bool sums give int64); arg-reductions give int64. An int
array with a Python float follows NumPy (MXNet would truncate the float).
"""
from __future__ import annotations

import numpy as onp
import pytest

from mxnp import ndarray as nd
from mxnp import np, npx
from mxnp.base import MXNetError, OpError
from mxnp.testing import assert_allclose

B, I32, I64, F32, F64 = (onp.dtype(t) for t in ("bool", "int32", "int64", "float32", "float64"))
DTYPES = [F32, F64, I32, I64, B]
INTS = [I32, I64]
FLOATS = [F32, F64]
# MXNet's table for +, *, ** (mxnet-semantics.md 2.3), restricted to these dtypes
PROMOTE = {
    B: {B: B, I32: I32, I64: I64, F32: F32, F64: F64},
    I32: {B: I32, I32: I32, I64: I64, F32: F32, F64: F64},
    I64: {B: I64, I32: I64, I64: I64, F32: F32, F64: F64},
    F32: {B: F32, I32: F32, I64: F32, F32: F32, F64: F64},
    F64: {B: F64, I32: F64, I64: F64, F32: F64, F64: F64},
}


def data(dtype, shape=(2, 3), seed=0, low=-3, high=4):
    """Small values of ``dtype``: integers in [low, high) (floats get a fraction added).

    Booleans are random, or all True when ``low >= 1`` (no zeros: dividing, taking logs).
    """
    rng = onp.random.default_rng(seed)
    if dtype == B:
        return rng.random(shape) < 0.5 if low < 1 else onp.ones(shape, bool)
    values = rng.integers(low, high, shape)
    if dtype.kind == "f":
        values = values + rng.choice([0.25, 0.5, 0.75], shape)
    return values.astype(dtype)


def check(got, want, dtype) -> None:
    """``got`` is an mxnp array of ``dtype`` holding NumPy's values ``want`` (or lists of them)."""
    if isinstance(want, list) and isinstance(want[0], onp.ndarray):  # split's pieces
        assert isinstance(got, list) and len(got) == len(want)
        for g, w in zip(got, want):
            check(g, w, dtype)
        return
    want = onp.asarray(want)
    assert isinstance(got, np.ndarray), type(got)
    assert got.dtype == dtype, f"dtype {got.dtype}, expected {dtype}"
    assert got.shape == want.shape, f"shape {got.shape}, expected {want.shape}"
    if dtype.kind in "biu":
        assert (got.asnumpy() == want).all(), f"{got.asnumpy()} != {want}"
    else:  # NumPy may have computed in float64 what MXNet's rule computes in float32
        assert_allclose(got, want.astype(onp.float64), rtol=1e-6 if dtype == F32 else 1e-12,
                        atol=1e-6 if dtype == F32 else 1e-12)


def divide_result(dtype):
    return dtype if dtype.kind == "f" else F32


# ---- creation -----------------------------------------------------------------------------
I32_ONES, B_ONES, F64_ZEROS = (np.ones(3, dtype="int32"), np.ones(2, dtype=bool),
                               np.zeros((2, 1), dtype="float64"))


@pytest.mark.parametrize("name, args, kw, dtype", [  # the values are NumPy's, the dtypes MXNet's
    ("array", ([1, 2],), {}, F32), ("array", ([[1.5, 2], [3, 4]],), {}, F32),
    ("array", (True,), {}, F32), ("array", ([1, 2],), {"dtype": "int32"}, I32),
    ("array", ([1, 2],), {"dtype": int}, I64), ("array", (onp.arange(2, dtype="int32"),), {}, I32),
    ("array", (onp.array([True, False]),), {}, B), ("array", (onp.array([1.5]),), {}, F64),
    ("array", (np.arange(3, dtype="int64"),), {}, I64), ("arange", (5,), {}, F32),
    ("arange", (2, 8, 2), {}, F32), ("arange", (0, 1, 0.25), {}, F32),
    ("arange", (-3,), {}, F32), ("arange", (5,), {"dtype": "int64"}, I64),
    ("zeros", (3,), {}, F32), ("zeros", ((),), {}, F32),
    ("zeros", ((2, 3),), {"dtype": "int32"}, I32), ("ones", ((2, 1),), {}, F32),
    ("ones", (2,), {"dtype": bool}, B), ("full", ((2,), 7), {}, F32),
    ("full", ((2, 2), 2.5), {"dtype": "float64"}, F64), ("full", ((2,), True), {}, B),
    ("full", ((2,), 7), {"dtype": "int32"}, I32), ("zeros_like", (I32_ONES,), {}, I32),
    ("zeros_like", (B_ONES,), {}, B), ("ones_like", (F64_ZEROS,), {}, F64),
    ("full_like", (np.ones(2), 5), {}, F32), ("full_like", (I32_ONES, 2.5), {}, I32),
    ("full_like", (np.ones(2), 3), {"dtype": "int64"}, I64), ("eye", (3,), {}, F32),
    ("eye", (2, 3), {"k": 1}, F32), ("eye", (2,), {"dtype": "int32"}, I32),
    ("linspace", (0, 1, 5), {}, F32), ("linspace", (0, 10, 5), {"dtype": "int32"}, I32),
    ("linspace", (1, 2, 4), {"endpoint": False}, F32), ("linspace", (0, 1, 0), {}, F32),
], ids=str)
def test_creation(name, args, kw, dtype):
    host = [a.asnumpy() if isinstance(a, np.ndarray) else a for a in args]
    check(getattr(np, name)(*args, **kw), getattr(onp, name)(*host, **kw), dtype)


@pytest.mark.parametrize("dtype", [None, "float64", "int32", "bool"])
def test_empty_and_linspace_retstep(dtype):
    x = np.empty((2, 3), dtype=dtype)
    assert (x.shape, x.dtype) == ((2, 3), onp.dtype(dtype or "float32"))
    like = np.empty_like(np.ones(4, dtype="int64"))
    assert (like.shape, like.dtype) == ((4,), I64)
    x, step = np.linspace(0, 1, 5, retstep=True)
    check(x, onp.linspace(0, 1, 5), F32)
    assert step == 0.25


# ---- elementwise: arrays with arrays ------------------------------------------------------
ARITHMETIC = ["add", "subtract", "multiply", "power", "maximum", "minimum"]


@pytest.mark.parametrize("dy", DTYPES, ids=str)
@pytest.mark.parametrize("dx", DTYPES, ids=str)
@pytest.mark.parametrize("name", ARITHMETIC)
def test_arithmetic_dtypes(name, dx, dy):
    x = data(dx, low=1 if name == "power" else -3)  # no negative bases to fractional powers
    y = data(dy, (3,), seed=1, low=0) if name == "power" else data(dy, (3,), seed=1)
    if name == "subtract" and dx == dy == B:  # neither NumPy nor MXNet subtracts booleans
        with pytest.raises((TypeError, MXNetError), match="subtract"):
            np.subtract(np.array(x), np.array(y))
        return
    rt = PROMOTE[dx][dy]
    want = getattr(onp, name)(x.astype(rt), y.astype(rt))
    check(getattr(np, name)(np.array(x), np.array(y)), want, rt)


@pytest.mark.parametrize("dy", DTYPES, ids=str)
@pytest.mark.parametrize("dx", DTYPES, ids=str)
@pytest.mark.parametrize("name", ["divide", "true_divide"])
def test_true_division_of_integers_gives_float32(name, dx, dy):
    x = data(dx)
    y = onp.ones(3, bool) if dy == B else data(dy, (3,), seed=1, low=1)  # no division by 0
    want = x.astype(onp.float64) / y.astype(onp.float64)
    check(getattr(np, name)(np.array(x), np.array(y)), want, divide_result(PROMOTE[dx][dy]))
    check(np.array(x) / np.array(y), want, divide_result(PROMOTE[dx][dy]))


@pytest.mark.parametrize("dy", DTYPES, ids=str)
@pytest.mark.parametrize("dx", DTYPES, ids=str)
@pytest.mark.parametrize("name", ["equal", "not_equal", "less", "less_equal", "greater",
                                  "greater_equal", "logical_and", "logical_or", "logical_xor"])
def test_comparisons_and_logic_give_bool(name, dx, dy):
    x, y = data(dx), data(dy, (3,), seed=1)
    check(getattr(np, name)(np.array(x), np.array(y)), getattr(onp, name)(x, y), B)


@pytest.mark.parametrize("dx", DTYPES, ids=str)
def test_logical_not_and_operators(dx):
    x, y = data(dx), data(dx, seed=1)
    check(np.logical_not(np.array(x)), onp.logical_not(x), B)
    a, b = np.array(x), np.array(y)
    for got, want in [(a == b, x == y), (a != b, x != y), (a < b, x < y), (a <= b, x <= y),
                      (a > b, x > y), (a >= b, x >= y)]:
        check(got, want, B)


# ---- elementwise: arrays with Python scalars -----------------------------------------------
# The array's dtype wins unless the scalar is of a higher kind; then NumPy's result type.
SCALAR_RESULT = {(B, bool): B, (B, int): I64, (B, float): F64,
                 (I32, bool): I32, (I32, int): I32, (I32, float): F64,
                 (I64, bool): I64, (I64, int): I64, (I64, float): F64,
                 (F32, bool): F32, (F32, int): F32, (F32, float): F32,
                 (F64, bool): F64, (F64, int): F64, (F64, float): F64}


@pytest.mark.parametrize("scalar", [True, 2, 2.5], ids=repr)
@pytest.mark.parametrize("dx", DTYPES, ids=str)
def test_scalar_operands(dx, scalar):
    x = data(dx, low=1)
    a, rt = np.array(x), SCALAR_RESULT[dx, type(scalar)]
    if not (dx == B and scalar is True):  # bool - bool: no subtraction of booleans
        check(a - scalar, x.astype(rt) - scalar, rt)
        check(scalar - a, scalar - x.astype(rt), rt)
    for got, want in [(a + scalar, x.astype(rt) + scalar), (scalar * a, scalar * x.astype(rt)),
                      (a ** scalar, x.astype(rt) ** scalar),
                      (np.maximum(a, scalar), onp.maximum(x.astype(rt), scalar))]:
        check(got, want, rt)
    c = data(B, seed=2)
    check(np.where(np.array(c), a, scalar), onp.where(c, x.astype(rt), scalar), rt)
    check(np.where(np.array(c), scalar, a), onp.where(c, scalar, x.astype(rt)), rt)
    # true division gives float32 for integers and bools, a float scalar included (MXNet)
    check(a / scalar, x / scalar, divide_result(dx))
    check(scalar / a, scalar / x, divide_result(dx))
    # comparisons follow NumPy: MXNet truncates 2.5 to 2 against an integer array first
    check(a < scalar, x < scalar, B)
    check(np.equal(a, scalar), x == scalar, B)


# ---- elementwise: unary, where, clip ---------------------------------------------------------
@pytest.mark.parametrize("dx", DTYPES, ids=str)
@pytest.mark.parametrize("name", ["sqrt", "exp", "log", "sin", "cos", "tanh"])
def test_float_math_on_integers_gives_float32(name, dx):
    x = data(dx, low=1)  # in the domain of sqrt and log
    check(getattr(np, name)(np.array(x)), getattr(onp, name)(x.astype(onp.float64)),
          dx if dx.kind == "f" else F32)


@pytest.mark.parametrize("dx", [F32, F64, I32, I64], ids=str)
@pytest.mark.parametrize("name", ["negative", "abs", "absolute", "square"])
def test_sign_and_size_keep_the_dtype(name, dx):
    x = data(dx)
    check(getattr(np, name)(np.array(x)), getattr(onp, name)(x), dx)
    check(-np.array(x), -x, dx)
    check(abs(np.array(x)), abs(x), dx)


def test_abs_of_bool_is_bool():
    check(np.abs(np.array(data(B))), data(B), B)


@pytest.mark.parametrize("dy", DTYPES, ids=str)
@pytest.mark.parametrize("dx", DTYPES, ids=str)
def test_where(dx, dy):
    c, x, y = data(B, seed=2), data(dx), data(dy, (3,), seed=1)
    rt = PROMOTE[dx][dy]
    check(np.where(np.array(c), np.array(x), np.array(y)), onp.where(c, x, y).astype(rt), rt)


@pytest.mark.parametrize("dx", [F32, F64, I32, I64], ids=str)
@pytest.mark.parametrize("bounds", [(-1, 2), (None, 1), (0, None), (-1.5, 1.5)], ids=str)
def test_clip_keeps_the_dtype(dx, bounds):
    x = data(dx)
    want = onp.clip(x, *bounds).astype(dx)  # MXNet casts float bounds' results to an int array
    check(np.clip(np.array(x), *bounds), want, dx)
    check(np.array(x).clip(*bounds), want, dx)


# ---- reductions -----------------------------------------------------------------------------
AXES = [None, 0, -1, (0, 2), (-1, 1)]


def reduced_dtype(name, dx):
    if name in ("sum", "prod"):
        return I64 if dx == B else dx
    if name == "mean":
        return dx if dx.kind == "f" else F32
    return dx  # max, min


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", AXES, ids=str)
@pytest.mark.parametrize("dx", DTYPES, ids=str)
@pytest.mark.parametrize("name", ["sum", "mean", "prod", "max", "min"])
def test_reductions(name, dx, axis, keepdims):
    x = data(dx, (2, 3, 4), low=-2, high=3)
    want, a = getattr(onp, name)(x, axis=axis, keepdims=keepdims), np.array(x)
    for got in (getattr(np, name)(a, axis=axis, keepdims=keepdims),  # function and method
                getattr(a, name)(axis=axis, keepdims=keepdims)):
        check(got, want, reduced_dtype(name, dx))


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", [None, 1, -1], ids=str)
@pytest.mark.parametrize("dx", DTYPES, ids=str)
@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_arg_reductions_give_int64(name, dx, axis, keepdims):
    x = data(dx, (2, 3, 4))
    want = getattr(onp, name)(x, axis=axis, keepdims=keepdims)
    check(getattr(np, name)(np.array(x), axis=axis, keepdims=keepdims), want, I64)


# ---- products -------------------------------------------------------------------------------
PAIRS = [(F32, F32), (F64, F64), (I32, I32), (I64, I64), (I32, F32), (F32, F64), (I64, F32)]


@pytest.mark.parametrize("dx, dy", PAIRS, ids=str)
@pytest.mark.parametrize("name, sx, sy, kw", [
    ("dot", (2, 3), (3, 4), {}), ("dot", (3,), (3,), {}), ("dot", (2, 2, 3), (3, 4), {}),
    ("matmul", (2, 2, 3), (3, 4), {}), ("matmul", (3,), (3, 2), {}),
    ("tensordot", (2, 3), (3, 4), {"axes": 1}), ("tensordot", (2, 3), (3, 2), {"axes": 0}),
    ("tensordot", (2, 3, 4), (4, 3), {"axes": ((1, 2), (1, 0))}),
    ("outer", (3,), (4,), {}), ("outer", (2, 2), (3,), {}),
], ids=str)
def test_products(name, sx, sy, kw, dx, dy):
    x, y = data(dx, sx), data(dy, sy, seed=1)
    rt = PROMOTE[dx][dy]
    want = getattr(onp, name)(x.astype(rt), y.astype(rt), **kw)
    check(getattr(np, name)(np.array(x), np.array(y), **kw), want, rt)
    if name == "matmul":
        check(np.array(x) @ np.array(y), want, rt)


# ---- shapes ---------------------------------------------------------------------------------
@pytest.mark.parametrize("dx", DTYPES, ids=str)
@pytest.mark.parametrize("name, shape, args, kw", [
    ("reshape", (2, 3), ((3, 2),), {}), ("reshape", (2, 3), ((-1,),), {}),
    ("transpose", (2, 3, 4), (), {}), ("transpose", (2, 3, 4), ((2, 0, 1),), {}),
    ("swapaxes", (2, 3, 4), (0, -1), {}), ("expand_dims", (2, 3), (1,), {}),
    ("expand_dims", (2, 3), ((0, 3),), {}), ("squeeze", (1, 3, 1), (), {}),
    ("squeeze", (1, 3, 1), (), {"axis": 2}), ("broadcast_to", (3, 1), ((2, 3, 4),), {}),
    ("split", (6, 2), (3,), {}), ("split", (2, 6), ([1, 4],), {"axis": 1}),
], ids=str)
def test_shape_ops_keep_values_and_dtype(name, shape, args, kw, dx):
    x = data(dx, shape)
    check(getattr(np, name)(np.array(x), *args, **kw), getattr(onp, name)(x, *args, **kw), dx)


@pytest.mark.parametrize("make", [
    lambda a: a.reshape(6), lambda a: a.T, lambda a: a.swapaxes(0, 2), lambda a: a.squeeze(),
    lambda a: np.expand_dims(a, 0), lambda a: np.split(a, 2)[0], lambda a: a.copy(),
    lambda a: np.array(a), lambda a: a.copyto(npx.cpu())],
    ids=["reshape", "T", "swapaxes", "squeeze", "expand_dims", "split", "copy", "array", "copyto"])
def test_copies_are_new_memory(make):
    """MXNet copies in every one of these (only basic indexing makes views)."""
    a = np.ones((2, 1, 3))
    make(a)[...] = 5
    assert (a.asnumpy() == 1).all()


@pytest.mark.parametrize("dy", DTYPES, ids=str)
@pytest.mark.parametrize("dx", DTYPES, ids=str)
def test_concatenate_and_stack(dx, dy):
    x, y = data(dx), data(dy, seed=1)
    rt = PROMOTE[dx][dy]  # MXNet refuses mixed dtypes here; we promote as for +
    for axis in (0, 1, -1, None):
        want = onp.concatenate([x.astype(rt), y.astype(rt)], axis=axis)
        check(np.concatenate([np.array(x), np.array(y)], axis=axis), want, rt)
    for axis in (0, 2, -1):
        want = onp.stack([x.astype(rt), y.astype(rt)], axis=axis)
        check(np.stack((np.array(x), np.array(y)), axis=axis), want, rt)


# ---- bad input: clear errors that name the op ---------------------------------------------
A, C = np.ones((2, 3)), np.ones((3, 2))


@pytest.mark.parametrize("name, call", [
    ("add", lambda: A + C), ("multiply", lambda: np.multiply(A, C)), ("equal", lambda: A == C),
    ("maximum", lambda: np.maximum(A, C)), ("where", lambda: np.where(A > 0, A, C)),
    ("dot", lambda: np.dot(A, A)), ("matmul", lambda: A @ A),
    ("tensordot", lambda: np.tensordot(A, A, axes=((0,), (1,)))),
    ("tensordot", lambda: np.tensordot(A, A, axes=3)),
    ("concatenate", lambda: np.concatenate([A, C])), ("stack", lambda: np.stack([A, C])),
    ("reshape", lambda: A.reshape(4, 2)), ("reshape", lambda: A.reshape(-1, -1)),
    ("broadcast_to", lambda: np.broadcast_to(A, (3,))), ("split", lambda: np.split(A, 4)),
    ("squeeze", lambda: np.squeeze(A, axis=0)), ("transpose", lambda: A.transpose(0, 0)),
    ("transpose", lambda: np.transpose(A, (0,))), ("sum", lambda: np.sum(A, axis=(0, 0))),
    ("mean", lambda: np.mean(A, axis=2)), ("clip", lambda: np.clip(A)),
    ("zeros", lambda: np.zeros((2, -3))), ("linspace", lambda: np.linspace(0, 1, -1)),
], ids=lambda v: v if isinstance(v, str) else "")
def test_bad_shapes_raise_an_op_error(name, call):
    with pytest.raises(OpError, match=name):
        call()


WRONG_AXES = [
    ("sum", lambda: np.sum(A, axis=2)), ("prod", lambda: np.prod(A, axis=-3)),
    ("max", lambda: np.max(A, axis=2)), ("argmax", lambda: np.argmax(A, axis=2)),
    ("argmin", lambda: np.argmin(A, axis=-3)), ("expand_dims", lambda: np.expand_dims(A, 4)),
    ("swapaxes", lambda: np.swapaxes(A, 0, 2)), ("squeeze", lambda: np.squeeze(A, axis=5)),
    ("concatenate", lambda: np.concatenate([A, A], axis=2)),
    ("stack", lambda: np.stack([A, A], axis=4)),
]


@pytest.mark.parametrize("name, call", WRONG_AXES, ids=lambda v: v if isinstance(v, str) else "")
def test_wrong_axes_raise_an_op_error(name, call):  # MXNetError, as in MXNet, and ValueError
    with pytest.raises(OpError, match=name):
        call()


@pytest.mark.parametrize("name, call", [
    ("add", lambda: A + [1, 2, 3]), ("add", lambda: A + "a"), ("add", lambda: A + None),
    ("multiply", lambda: A * (1, 2, 3)), ("subtract", lambda: [1, 2, 3] - A),
    ("maximum", lambda: np.maximum(A, "a")), ("where", lambda: np.where(A > 0, A, [1, 2])),
    ("add", lambda: onp.ones(3) + A), ("dot", lambda: np.dot(2.0, A)),
    ("matmul", lambda: np.matmul(A, [[1.0]])),
    ("tensordot", lambda: np.tensordot(A, 2.0, axes=0)),
    ("array", lambda: np.array("abc")), ("zeros", lambda: np.zeros(3, dtype="floaty")),
    # MXNet refuses NumPy arrays, lists and strings where it takes an array
    ("add", lambda: A + onp.ones(3)), ("multiply", lambda: np.multiply(onp.ones(3), A)),
    ("exp", lambda: np.exp([1.0, 2.0])), ("negative", lambda: np.negative([1.0])),
    ("sum", lambda: np.sum([1, 2])), ("exp", lambda: np.exp("a")),
], ids=lambda v: v if isinstance(v, str) else "")
def test_unsupported_operands_raise_a_type_error(name, call):
    with pytest.raises(TypeError, match=name):
        call()


def test_arange_with_a_zero_step():
    with pytest.raises(ZeroDivisionError, match="arange"):
        np.arange(0, 5, 0)


def test_float32_arange_adds_as_mxnets_kernel():
    # MXNet 1.9.1 (mxref): start + i * step in float32, not NumPy's float64 rounded
    a = np.arange(-5, 5, .1).asnumpy()
    assert a.dtype == onp.float32 and len(a) == 100
    assert (a[50], a[49], a[99]) == (0.0, onp.float32(-0.099999905), onp.float32(4.9000006))
    assert np.arange(0, 1, 0.1).asnumpy()[9] == onp.float32(0.90000004)
    assert np.arange(1.5, -2, -0.3).asnumpy().tolist() == onp.float32(
        [1.5, 1.2, 0.9, 0.59999996, 0.29999995, 0., -0.30000007, -0.60000014, -0.9000001, -1.2,
         -1.5, -1.8000002]).tolist()
    assert np.arange(0.1, 5.3, 0.7).asnumpy().tolist() == onp.float32(
        [0.1, 0.8, 1.5, 2.1999998, 2.8999999, 3.6, 4.2999997, 5.]).tolist()
    # float64 as NumPy (integers: the next test); empty ranges stay empty
    assert onp.array_equal(np.arange(0, 1, 0.1, dtype="float64").asnumpy(),
                           onp.arange(0, 1, 0.1))
    assert np.arange(10, 2, -3, dtype="int32").tolist() == [10, 7, 4]
    assert np.arange(5, 2).shape == (0,)
    assert np.arange(0, 5, None).tolist() == np.arange(5, None, None).tolist() == [0, 1, 2, 3, 4]


def test_integer_arange_steps_by_the_truncated_step_as_mxnet():
    # MXNet 1.9.1 (mxref, np and nd): the length from the float range, the values
    # int(start) + i * int(step), wrapping for unsigned types (NumPy differs on the last three)
    assert np.arange(1.3, 10, 1.3, dtype="int32").tolist() == [1, 2, 3, 4, 5, 6, 7]
    assert np.arange(0.5, 5, 1.5, dtype="int32").tolist() == [0, 1, 2]
    assert np.arange(-2.7, 3, 0.9, dtype="int32").tolist() == [-2] * 7
    assert np.arange(5, -5, -2.5, dtype="int64").tolist() == [5, 3, 1, -1]
    assert np.arange(-3, 3, dtype="uint8").tolist() == [253, 254, 255, 0, 1, 2]
    assert nd.arange(1.3, 10, 1.3, dtype="uint8").asnumpy().tolist() == list(range(1, 8))
