"""Forward values of mxnp/_ops/math.py against NumPy's, dtypes against MXNet's rules (checked
with MXNet 1.9.1), gradient conventions at kinks, and bad input. Gradients away from kinks are
checked by the GradSpec rows in tests/grad_rows/math.py.
"""
from __future__ import annotations

import ctypes
import ctypes.util

import numpy as onp
import pytest

from mxnp import _native, autograd, np, npx
from mxnp.base import OpError
from mxnp.testing import assert_allclose
from tests.test_forward_ops import F32, F64, I32, I64, B, check

F16 = onp.dtype("float16")
DTYPES = [F16, F32, F64, I32, I64, B]
# float math, and the (low, high) that keeps samples in its domain
FLOAT_MATH = {"tan": (-1.2, 1.2), "arcsin": (-0.9, 0.9), "arccos": (-0.9, 0.9),
              "arctan": (-3, 3), "sinh": (-3, 3), "cosh": (-3, 3), "arcsinh": (-3, 3),
              "arccosh": (1, 4), "arctanh": (-0.9, 0.9), "degrees": (-3, 3),
              "radians": (-90, 90), "rad2deg": (-3, 3), "deg2rad": (-90, 90), "expm1": (-3, 3),
              "log1p": (0, 4), "log2": (1, 4), "log10": (1, 4), "cbrt": (-9, 9)}
INT_KEPT = ["fabs", "fix", "rint", "trunc", "reciprocal"]  # exact on integers: MXNet keeps them
PREDICATES = ["isfinite", "isinf", "isnan", "isneginf", "isposinf", "signbit"]
SPECIAL = [-onp.inf, -2.5, -0.0, 0.0, 0.5, onp.inf, onp.nan]


def quiet(test):
    """Bool samples hold False (log2(0) is -inf, 1 / 0 is inf): NumPy's warnings are expected."""
    test = pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")(test)
    return pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")(test)


def sample(dtype, low, high, shape=(2, 3)):
    """Values of ``dtype`` in [low, high) (integers: their integer points; bools: both)."""
    rng = onp.random.default_rng(0)
    if dtype == B:
        return rng.random(shape) < 0.5
    if dtype.kind in "iu":
        return rng.integers(onp.ceil(low), onp.floor(high) + 1, shape).astype(dtype)
    return rng.uniform(low, high, shape).astype(dtype)


def float_math_dtype(dtype):
    return dtype if dtype.kind == "f" else F32  # MXNet keeps (truncated) integer dtypes


def close(got, want, dtype):
    """``got`` has ``dtype`` and NumPy's values ``want``, to that dtype's precision."""
    assert got.dtype == dtype and got.shape == onp.shape(want)
    tol = {F16: 2e-3, F32: 2e-6}.get(dtype, 1e-12)
    assert_allclose(got, onp.asarray(want, dtype=onp.float64), rtol=tol, atol=tol)


@quiet
# ---- unary forwards --------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("name", FLOAT_MATH)
def test_float_math_matches_numpy(name, dtype):
    raw = sample(dtype, *FLOAT_MATH[name])
    want = getattr(onp, name)(raw.astype(float_math_dtype(dtype)))
    close(getattr(np, name)(np.array(raw)), want, float_math_dtype(dtype))


@quiet
@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("name", INT_KEPT)
def test_int_kept_ops_match_numpy(name, dtype):
    raw = sample(dtype, 1, 5) if name == "reciprocal" else sample(dtype, -4, 4)
    want = getattr(onp, name)(raw.astype(F32) if dtype == B else raw)
    if dtype.kind in "iu":  # NumPy's fabs and rint give float64 here; the values are the same
        check(getattr(np, name)(np.array(raw)), want.astype(dtype), dtype)
    else:
        close(getattr(np, name)(np.array(raw)), want, F32 if dtype == B else dtype)


@quiet
@pytest.mark.parametrize("dtype", [F16, F32, F64], ids=str)
@pytest.mark.parametrize("name", PREDICATES + ["spacing", "nan_to_num", "real"])
def test_special_values_match_numpy(name, dtype):
    raw = onp.array(SPECIAL, dtype=dtype)
    got, want = getattr(np, name)(np.array(raw)), getattr(onp, name)(raw)
    if name == "spacing" and dtype == F16:  # NumPy's float16 loop drops the sign (a bug)
        want = onp.where(raw < 0, -want, want)
    assert got.dtype == want.dtype and got.shape == want.shape
    onp.testing.assert_array_equal(got.asnumpy(), want)
    signed = ~onp.isnan(want)  # -0.0 is checked too; the sign of a nan means nothing
    onp.testing.assert_array_equal(onp.signbit(got.asnumpy())[signed], onp.signbit(want)[signed])


@pytest.mark.parametrize("dtype", [I32, I64, B], ids=str)
@pytest.mark.parametrize("name", PREDICATES + ["spacing", "real", "nan_to_num"])
def test_numpy_dtypes_for_integer_and_bool_inputs(name, dtype):
    raw = sample(dtype, -3, 3)
    got, want = getattr(np, name)(np.array(raw)), getattr(onp, name)(raw)
    assert got.dtype == want.dtype  # MXNet: bool predicates, float64 spacing, same-dtype rest
    onp.testing.assert_array_equal(got.asnumpy(), want)


@pytest.mark.parametrize("dtype", [F32, F64, I64], ids=str)
def test_i0_matches_numpy(dtype):
    raw = sample(dtype, -5, 5)
    got, want = np.i0(np.array(raw)), onp.i0(raw)
    close(got, want, want.dtype)


def test_nan_to_num_replacements_and_in_place():
    raw = onp.array([onp.inf, -onp.inf, onp.nan, -128.0, 128.0])
    got = np.nan_to_num(np.array(raw), nan=-9999, posinf=33333333, neginf=33333333)
    check(got, onp.nan_to_num(raw, nan=-9999, posinf=33333333, neginf=33333333), F64)
    x = np.array(raw, dtype="float32")
    assert np.nan_to_num(x, copy=False) is x
    check(x, onp.nan_to_num(raw.astype(F32)), F32)


@quiet
def test_numpy_documented_unary_examples():
    check(np.fix(np.array([2.1, 2.9, -2.1, -2.9])), [2.0, 2.0, -2.0, -2.0], F32)
    check(np.rint(np.array([-1.7, -1.5, -0.2, 0.2, 1.5, 1.7, 2.0])),  # MXNet's 1.5 gives 1:
          [-2.0, -2.0, -0.0, 0.0, 2.0, 2.0, 2.0], F32)  # a bug (differences.md)
    check(np.cbrt(np.array([1, 8, 27])), [1.0, 2.0, 3.0], F32)
    check(np.log2(np.array([0, 1, 2, 2 ** 4])), [-onp.inf, 0.0, 1.0, 4.0], F32)
    check(np.expm1(np.array(1e-10, dtype="float64")), 1.00000000005e-10, F64)
    check(np.log1p(np.array(1e-99, dtype="float64")), 1e-99, F64)
    check(np.degrees(np.array(onp.pi / 2, dtype="float64")), 90.0, F64)
    check(np.arccos(np.array([1, -1])), [0.0, onp.pi], F32)
    check(np.isneginf(np.array([-onp.inf, 0.0, onp.inf])), [True, False, False], B)
    # spacing of a 0-d array is a NumPy scalar (MXNet computes it with official NumPy)
    assert np.spacing(np.array(1.0, dtype="float64")) == onp.finfo(F64).eps
    check(np.i0(np.array(0.0)), 1.0, F32)
    check(np.signbit(np.array([-1.2, 0.0, -0.0])), [True, False, True], B)


# ---- binary forwards -------------------------------------------------------------------------
BINARY_FLOAT = {"arctan2": (-3, 3), "hypot": (-3, 3), "float_power": (0.5, 3),
                "heaviside": (-2, 2), "copysign": (-3, 3)}


@pytest.mark.parametrize("dtype", [F16, F32, F64], ids=str)
@pytest.mark.parametrize("name", BINARY_FLOAT)
def test_binary_float_math_matches_numpy(name, dtype):
    a, b = sample(dtype, *BINARY_FLOAT[name]), sample(dtype, *BINARY_FLOAT[name], shape=(3,))
    want = getattr(onp, name)(a, b)
    close(getattr(np, name)(np.array(a), np.array(b)), want, want.dtype)


@pytest.mark.parametrize("dtype", [I32, I64, B], ids=str)
@pytest.mark.parametrize("name", ["arctan2", "hypot"])
def test_binary_float_math_of_integers_is_float32(name, dtype):
    a, b = sample(dtype, 1, 4), sample(dtype, -3, 3, shape=(3,))  # MXNet truncates to ints
    want = getattr(onp, name)(a.astype(F32), b.astype(F32))
    close(getattr(np, name)(np.array(a), np.array(b)), want, F32)


@pytest.mark.parametrize("x1, x2, dtype", [
    (("int32", [1, -2, 3]), ("int32", [-1, -1, 1]), I32),  # MXNet: integers stay (exact)
    (("int32", [1, -2, 3]), 2, I32), (("bool", [True, False]), ("bool", [True, True]), F32),
    (("float32", [1.5, -2.0]), ("float64", [-1.0, -0.0]), F64), (("float32", [1.5, 2.0]), -1, F32),
])
def test_copysign_dtypes(x1, x2, dtype):
    raws = [onp.array(v[1], dtype=v[0]) if isinstance(v, tuple) else v for v in (x1, x2)]
    got = np.copysign(*[np.array(r) if isinstance(r, onp.ndarray) else r for r in raws])
    check(got, onp.copysign(*raws).astype(dtype), dtype)


def test_mixed_dtypes_promote_as_add():  # MXNet refuses these pairs ("Type inconsistent")
    i, f = np.array([1, 2], dtype="int64"), np.array([0.5, 1.5], dtype="float32")
    check(np.arctan2(i, f), onp.arctan2([1.0, 2.0], [0.5, 1.5]), F32)
    check(np.hypot(f, np.array([1.0, 2.0], dtype="float64")), onp.hypot([0.5, 1.5], [1, 2]), F64)
    check(np.lcm(np.array([4, 6], dtype="int32"), np.array([6, 4], dtype="int64")), [12, 12],
          I64)


def test_ldexp_integer_and_float_exponents():
    x1, e = onp.array([0.75, -3.0, 5.0], dtype=F32), onp.array([2, -1, 3], dtype=I32)
    check(np.ldexp(np.array(x1), np.array(e)), onp.ldexp(x1, e), F32)
    check(np.ldexp(np.array(x1), 3), onp.ldexp(x1, 3), F32)
    check(np.ldexp(np.array(e), np.array(e)), onp.ldexp(e, e), F32)  # MXNet: int32 (truncated)
    check(np.ldexp(np.array(x1), 2.5), x1 * 2 ** 2.5, F32)  # MXNet accepts a float exponent
    check(np.ldexp(np.array(x1), np.array([0.5, 1.0, -1.0], dtype="float64")),
          x1 * onp.exp2([0.5, 1.0, -1.0]), F64)


def test_numpy_documented_binary_examples():
    check(np.hypot(3 * np.ones((3, 3)), 4 * np.ones((3, 3))), onp.full((3, 3), 5.0), F32)
    got = np.arctan2(np.array([-1.0, -1.0, 1.0, 1.0]), np.array([-1.0, 1.0, 1.0, -1.0]))
    check(got * 180 / onp.pi, [-135.0, -45.0, 45.0, 135.0], F32)
    check(np.arctan2(np.array([1.0, -1.0]), np.array([0.0, 0.0])), [onp.pi / 2, -onp.pi / 2],
          F32)
    check(np.copysign(np.array([-1.0, 0.0, 1.0]), -1.1), [-1.0, -0.0, -1.0], F32)
    check(np.ldexp(5, np.arange(4)), [5.0, 10.0, 20.0, 40.0], F32)
    check(np.ldexp(5, np.arange(4, dtype="int64")), [5.0, 10.0, 20.0, 40.0], F32)
    check(np.lcm(np.arange(6, dtype="int64"), 20), [0, 20, 20, 60, 20, 20], I64)
    check(np.lcm(np.array(12, dtype="int32"), 20), 60, I32)
    check(np.heaviside(np.array([-1.5, 0.0, 2.0]), 0.5), [0.0, 0.5, 1.0], F32)
    check(np.float_power(np.arange(6), 3), [0.0, 1.0, 8.0, 27.0, 64.0, 125.0], F64)
    check(np.float_power(np.array([1, 2], dtype="int32"), np.array([-1, -2], dtype="int32")),
          [1.0, 0.25], F64)  # NumPy's point: negative integer powers work


def test_two_output_functions():
    x = onp.array([-3.5, -0.5, 0.0, 3.5, 8.0], dtype=F32)
    for name in ("modf", "frexp"):
        got, want = getattr(np, name)(np.array(x)), getattr(onp, name)(x)
        assert isinstance(got, tuple) and len(got) == 2
        for g, w in zip(got, want):
            check(g, w, w.dtype)
    q, r = np.divmod(np.array([1.5, -1.5, 4.0], dtype="float32"), 2.0)
    check(q, [0.0, -1.0, 2.0], F32)
    check(r, [1.5, 0.5, 0.0], F32)
    q, r = np.divmod(np.arange(5, dtype="int64"), 3)
    check(q, [0, 0, 0, 1, 1], I64)
    check(r, [0, 1, 2, 0, 1], I64)


def test_out_arguments():
    x, y = np.array([0.25, 0.5]), np.zeros(2)
    assert np.arccos(x, out=y) is y
    check(y, onp.arccos(onp.array([0.25, 0.5], dtype=F32)), F32)
    assert np.hypot(x, x, out=y) is y
    check(y, onp.hypot([0.25, 0.5], [0.25, 0.5]), F32)
    frac, whole = np.zeros(2), np.zeros(2)
    got = np.modf(np.array([1.5, -2.25]), out=(frac, whole))
    assert got[0] is frac and got[1] is whole
    check(frac, [0.5, -0.25], F32)
    check(whole, [1.0, -2.0], F32)
    with pytest.raises(OpError, match="out"):
        np.tan(x, out=np.zeros(3))


# ---- gradients at kinks and special points: MXNet 1.9.1's values ------------------------------
def grads(f, *values):
    xs = [np.array(v, dtype="float64") for v in values]
    for x in xs:
        x.attach_grad()
    with autograd.record():
        y = f(*xs)
    y.backward()
    return [x.grad.asnumpy() for x in xs]


@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")
@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")
@pytest.mark.parametrize("f, values, want", [
    (np.fabs, [[-1.0, 0.0, 2.0]], [[-1.0, 0.0, 1.0]]),  # 0 at 0, like abs
    (np.copysign, [[-1.0, 0.0, 2.0, 3.0], [1.0, -1.0, -0.0, 0.0]],
     [[-1.0, -1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0]]),  # -0.0 counts as +, as x2 >= 0
    (np.nan_to_num, [[onp.nan, onp.inf, -onp.inf, 2.0]], [[0.0, 0.0, 0.0, 1.0]]),
    (np.cbrt, [[0.0, 8.0]], [[onp.inf, 1 / 12]]),
    (np.reciprocal, [[0.0, 2.0]], [[-onp.inf, -0.25]]),
    (np.ldexp, [[1.5, 2.0], [2.0, 3.0]], [[4.0, 8.0], [1.5 * 4 * onp.log(2), 16 * onp.log(2)]]),
    (np.hypot, [[0.0, 3.0], [0.0, 4.0]], [[onp.nan, 0.6], [onp.nan, 0.8]]),
    (np.arctan2, [[0.0, 1.0], [0.0, 1.0]], [[onp.nan, 0.5], [onp.nan, -0.5]]),
    (np.arccosh, [[1.0, 2.0]], [[onp.inf, 1 / onp.sqrt(3)]]),
    (np.arctanh, [[1.0, 0.5]], [[onp.inf, 4 / 3]]),
    (np.degrees, [[1.5, -1.5]], [[180 / onp.pi] * 2]),
])
def test_grad_matches_mxnet_at_special_points(f, values, want):
    for got, w in zip(grads(f, *values), want):
        assert_allclose(got, w, rtol=1e-12)


@pytest.mark.parametrize("f", [np.fix, np.rint, np.trunc, lambda x: np.heaviside(x, 0.5),
                               lambda x: np.modf(x)[1]])
def test_step_functions_have_zero_gradient(f):
    (got,) = grads(f, [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5])
    assert_allclose(got, onp.zeros(6), rtol=0, atol=0)


def test_divmod_gradient_is_mods():
    g1, g2 = grads(lambda x, y: np.divmod(x, y)[1], [2.5, -1.5, 4.0], [2.0, 2.0, 3.0])
    assert_allclose(g1, [1.0, 1.0, 1.0], rtol=0, atol=0)
    assert_allclose(g2, [-1.0, 1.0, -1.0], rtol=0, atol=0)  # -floor(x / y)


def test_heaviside_passes_the_gradient_to_x2_where_x1_is_zero():
    _, g2 = grads(np.heaviside, [-1.0, 0.0, 2.0], [0.5, 0.5, 0.5])
    assert_allclose(g2, [0.0, 1.0, 0.0], rtol=0, atol=0)


def test_frexp_and_modf_gradients():
    (g,) = grads(lambda x: np.frexp(x)[0], [0.75, -3.0, 40.0])
    assert_allclose(g, [1.0, 0.25, 1 / 64], rtol=0, atol=0)  # 2**-exponent
    (g,) = grads(lambda x: np.modf(x)[0] + 3 * np.modf(x)[1], [0.75, -3.5])
    assert_allclose(g, [1.0, 1.0], rtol=0, atol=0)


@pytest.mark.parametrize("f", [np.spacing, np.i0, lambda x: np.lcm(x.astype("int64"), 3)])
def test_functions_without_gradient_are_not_recorded(f):
    x = np.array([1.0, -2.0])
    x.attach_grad()
    with autograd.record():
        y = f(x)
    assert y._node is None


@pytest.mark.parametrize("name", PREDICATES)
def test_predicates_are_recorded_with_a_zero_gradient(name):
    # as MXNet: a backward from a predicate reaches the variable with zeros
    x = np.array([1.0, -2.0])
    x.attach_grad()
    x.grad[...] = 3
    with autograd.record():
        y = getattr(np, name)(x)
    y.backward()
    assert y._node is not None and x.grad.asnumpy().tolist() == [0.0, 0.0]


# ---- bad input ------------------------------------------------------------------------------
# modf, frexp and i0 are MXNet fallbacks, which take lists (tests/test_numbers.py)
@pytest.mark.parametrize("f", [np.arccos, np.fabs, np.rint, np.isnan, np.nan_to_num])
def test_unary_refuses_lists(f):
    with pytest.raises(TypeError, match="not supported"):
        f([0.5, 0.25])


@pytest.mark.parametrize("name", ["arctan2", "hypot", "copysign", "ldexp", "float_power",
                                  "heaviside", "lcm", "divmod"])
def test_binary_names_itself_on_shape_mismatch(name):
    a, b = np.ones((2, 3), dtype="int32"), np.ones((4,), dtype="int32")
    with pytest.raises(OpError, match=name if name != "divmod" else "floor_divide"):
        getattr(np, name)(a, b)


@pytest.mark.parametrize("x1, x2", [(np.array([1.5, 2.0]), np.array([2, 3], dtype="int32")),
                                    (np.array([1, 2], dtype="int32"), 2.5),
                                    (np.array([True, False]), np.array([True, True]))])
def test_lcm_refuses_non_integers(x1, x2):  # MXNet raises too (at read time)
    with pytest.raises(TypeError, match="lcm: integer inputs only"):
        np.lcm(x1, x2)


@pytest.mark.parametrize("name, low, high", [
    ("tan", -1, 1), ("arcsin", -0.9, 0.9), ("arccos", -0.9, 0.9), ("arctan", -2, 2),
    ("sinh", -2, 2), ("cosh", -2, 2), ("arcsinh", -2, 2), ("arccosh", 1.5, 3),
    ("arctanh", -0.9, 0.9), ("degrees", -2, 2), ("radians", -2, 2), ("expm1", -2, 2),
    ("log1p", 0, 2), ("log2", 0.5, 2), ("log10", 0.5, 2), ("cbrt", 0.5, 2),
    ("reciprocal", 0.5, 2), ("fabs", 0.5, 2), ("real", -2, 2), ("nan_to_num", -2, 2),
    ("arctan2", 0.5, 2), ("hypot", 0.5, 2), ("copysign", 0.5, 2), ("ldexp", -2, 2),
    ("float_power", 0.5, 2), ("heaviside", 0.5, 2), ("modf", 0.5, 2), ("frexp", 0.5, 2),
])
def test_rules_read_only_what_they_keep(name, low, high):
    """Inputs over 64 KiB keep only what ``keep=`` names: a rule reading more would fail."""
    f = getattr(np, name)
    nargs = 2 if name in ("arctan2", "hypot", "copysign", "ldexp", "float_power",
                          "heaviside") else 1
    big = [onp.random.default_rng(k).uniform(low, high, 10000) for k in range(nargs)]
    head = (lambda *xs: f(*xs)[0]) if name in ("modf", "frexp") else f
    want = grads(head, *[b[:5] for b in big])
    got = grads(head, *big)
    for g, w in zip(got, want):
        assert_allclose(g[:5], w, rtol=1e-14)


def test_float32_transcendentals_round_as_mxnet():
    # MXNet calls expf, logf ...: (nearly) correctly rounded, where NumPy's float32 loops are
    # often 1 ulp off. These are the values MXNet 1.9.1 printed.
    x = np.array([-1.5, 0.5, 2.0, 3.0, -0.25, 1.0])
    want = [0.22313017, 1.6487212, 7.389056, 20.085537, 0.7788008, 2.7182817]
    check(np.exp(x), onp.array(want, F32), F32)
    onp.testing.assert_array_equal(np.exp(x).asnumpy(), onp.array(want, F32))
    onp.testing.assert_array_equal(np.sin(np.array([1.0])).asnumpy(), [onp.float32(0.84147096)])
    onp.testing.assert_array_equal(np.tanh(np.array([-1.5])).asnumpy(),
                                   [onp.float32(-0.90514827)])


# inputs (float32) where the C library's float function is not the correctly rounded value,
# and what MXNet 1.9.1 printed for them (mxref): it calls sinhf, coshf ... once per element
_C_LIBRARY_ROUNDING = {
    "sinh": ([-2.93, -2.73], [-9.337118, -7.6338344]),
    "cosh": ([-2.75, -2.68], [7.8532796, 7.326829]),
    "tanh": ([-2.16, -1.92], [-0.9737494, -0.95791733]),
    "expm1": ([-2.95, -2.83], [-0.9476603, -0.9409871]),
    "log1p": ([2.54, 2.5], [1.2641268, 1.252763]),
    "arcsin": ([-0.97, -0.93333334], [-1.3252308, -1.2035882]),
}


@pytest.mark.parametrize("name", sorted(_C_LIBRARY_ROUNDING))
def test_float32_math_rounds_as_the_c_librarys_float_functions(name):
    x, want = (onp.array(v, F32) for v in _C_LIBRARY_ROUNDING[name])
    got = getattr(np, name)(np.array(x)).asnumpy()
    if _native.libm() is not None:  # the compiled loops call the C library itself
        onp.testing.assert_array_equal(got, want)
    else:  # the pure-Python path rounds the float64 result: 1 ulp away here
        assert (onp.abs(got.view(onp.int32) - want.view(onp.int32)) <= 1).all()
        assert not onp.array_equal(got, want)


def test_sigmoid_is_mxnets_float32_formula():
    # MXNet's kernel: 1.0f / (1.0f + expf(-x)) in float32 (mxref printed these), where the
    # float64 value rounded gives 0.048799727 and 0.04926601
    x = np.array(onp.array([-2.97, -2.96], F32))
    onp.testing.assert_array_equal(npx.sigmoid(x).asnumpy(), onp.array([0.04879972, 0.049266007],
                                                                          F32))
    h = x.astype("float16")
    half = npx.sigmoid(h)  # in float32, then rounded to float16
    assert half.dtype == onp.float16
    onp.testing.assert_array_equal(half.asnumpy(),
                                   npx.sigmoid(h.astype("float32")).asnumpy().astype("float16"))


_LIBM_NAMES = {"sin": "sin", "cos": "cos", "tan": "tan", "arcsin": "asin", "arccos": "acos",
               "arctan": "atan", "sinh": "sinh", "cosh": "cosh", "tanh": "tanh",
               "arcsinh": "asinh", "arccosh": "acosh", "arctanh": "atanh", "exp": "exp",
               "expm1": "expm1", "log": "log", "log2": "log2", "log10": "log10",
               "log1p": "log1p", "cbrt": "cbrt", "erf": "erf", "gamma": "tgamma",
               "gammaln": "lgamma", "power": "pow", "arctan2": "atan2"}
_DOMAINS = {"arcsin": (-1, 1), "arccos": (-1, 1), "arctanh": (-0.99, 0.99), "arccosh": (1, 20),
            "log1p": (-0.9, 20), "erf": (-3, 3), "gamma": (0.1, 6), "gammaln": (0.1, 30),
            "power": (0.1, 3), "arctan2": (-5, 5)}


@pytest.mark.parametrize("dtype", [F32, F64])
@pytest.mark.parametrize("name", sorted(_LIBM_NAMES))
def test_small_float_math_is_the_c_library_element_by_element(name, dtype):
    # MXNet 1.9.1's kernels call these once per element (sinf ... for float32, sin ... for
    # float64): checked with mxref on 300-1000 random inputs each, all bit for bit
    path = ctypes.util.find_library("m")
    if path is None:
        pytest.skip("no C math library to compare with")
    ctype = ctypes.c_float if dtype == F32 else ctypes.c_double
    two = name in ("power", "arctan2")
    c = getattr(ctypes.CDLL(path), _LIBM_NAMES[name] + ("f" if dtype == F32 else ""))
    c.restype, c.argtypes = ctype, [ctype] * (1 + two)
    low, high = _DOMAINS.get(name, (0.01, 9))
    rng = onp.random.default_rng(5)
    args = [rng.uniform(low, high, (20, 10)).astype(dtype) for _ in range(1 + two)]
    want = onp.array([c(*map(float, v)) for v in zip(*(a.ravel() for a in args))],
                     dtype).reshape(20, 10)
    op = getattr(npx if name in ("erf", "gamma", "gammaln") else np, name)
    for transposed in (False, True):  # a C-contiguous and a transposed array
        got = op(*(np.array(a.T if transposed else a) for a in args)).asnumpy()
        ref = want.T if transposed else want
        assert got.dtype == dtype
        if _native.libm() is not None:
            onp.testing.assert_array_equal(got, ref)
        else:  # the pure-Python path: float64 results rounded (float32), NumPy's (float64)
            assert_allclose(got, ref, rtol=4e-7 if dtype == F32 else 1e-13)
    if two:  # a Python number as one operand: MXNet's powf(x, float(2.5)) ...
        got = op(np.array(args[0]), 2.5).asnumpy()
        want = onp.array([c(float(v), 2.5) for v in args[0].ravel()], dtype).reshape(20, 10)
        if _native.libm() is not None:
            onp.testing.assert_array_equal(got, want)
    half = op(*(np.array(a[:2].astype(onp.float16)) for a in args))
    assert half.dtype == onp.float16 and half.shape == (2, 10)



@pytest.mark.parametrize("dtype", [F32, F64])
def test_small_sigmoid_is_mxnets_kernel_element_by_element(dtype):
    # MXNet 1.9.1's CPU sigmoid is 1 / (1 + exp(-x)) with the C library's expf (float, each
    # step in float) or exp (double): checked with mxref on 900 inputs in [-20, 20], all equal
    path = ctypes.util.find_library("m")
    if path is None:
        pytest.skip("no C math library to compare with")
    ctype = ctypes.c_float if dtype == F32 else ctypes.c_double
    c = getattr(ctypes.CDLL(path), "expf" if dtype == F32 else "exp")
    c.restype, c.argtypes = ctype, [ctype]
    x = onp.random.default_rng(6).uniform(-20, 20, (30, 30)).astype(dtype)
    scalar = dtype.type  # NumPy scalars: each step rounded in the dtype
    one = scalar(1)
    want = onp.array([one / (one + scalar(c(float(-v)))) for v in x.ravel()]).reshape(x.shape)
    got = npx.sigmoid(np.array(x)).asnumpy()
    assert got.dtype == dtype
    if _native.libm() is not None:
        onp.testing.assert_array_equal(got, want)
    else:
        assert_allclose(got, want, rtol=4e-7 if dtype == F32 else 1e-15)

def test_where_with_two_python_scalars_is_float32():
    c = np.array([1.0, 0.0, 3.0]) > 1
    check(np.where(c, 1, 0), [0, 0, 1], F32)
    check(np.where(c, 1, 2.5), [2.5, 2.5, 1], F32)
    check(np.where(c, True, False), [0, 0, 1], F32)
    check(np.where(c, np.array(1, dtype="int32"), 0), [0, 0, 1], I32)


def test_integer_to_a_negative_power_truncates_as_mxnet():
    x = np.array([2, 3, 1, -1, 0], dtype="int32")
    y = np.array([-1, -2, -3, -3, 2], dtype="int32")
    check(np.power(x, y), [0, 0, 1, -1, 0], I32)
    check(np.power(np.array([2, 3, 1, -1], dtype="int64"), -2), [0, 0, 1, 1], I64)
    check(2 ** np.array([-1, 2], dtype="int32"), [0, 4], I32)


def test_round_matches_mxnets_kernel():
    # mxref: halves to even, with +0 for -0.5, scaling by 10 per decimal in the array's dtype
    # (2.675 to 2 decimals is 2.6799998 in float32). np.rint is NumPy's (MXNet's sends halves
    # down, against its documentation: differences.md); mx.nd.rint is MXNet's (documented)
    x = np.array([-0.4, -0.5, -0.6, 0.4, 0.5, 0.6, 1.5, 2.5, -1.5, -2.5, 0, -0.0, 3.7, -3.7])
    want_round = [-0., 0., -1., 0., 0., 1., 2., 2., -2., -2., 0., -0., 4., -4.]
    got = np.round(x).asnumpy()
    assert got.tolist() == want_round
    assert onp.array_equal(onp.signbit(got), onp.signbit(want_round))
    assert onp.array_equal(np.rint(x).asnumpy(), onp.rint(x.asnumpy()))
    z = np.array([0.25, 0.35, -0.25, 1.005, 2.675, -0.45])
    assert np.round(z, 1).asnumpy().tolist() == onp.float32([0.2, 0.4, -0.2, 1., 2.7,
                                                              -0.4]).tolist()
    assert np.round(z, 2).asnumpy()[4] == onp.float32(2.6799998)
    assert np.round(np.array([15., 25., -35.]), -1).asnumpy().tolist() == [20., 20., -40.]


def test_small_float_power_broadcasts_through_the_c_library():
    path = ctypes.util.find_library("m")
    if path is None:
        pytest.skip("no C math library to compare with")
    powf = ctypes.CDLL(path).powf
    powf.restype, powf.argtypes = ctypes.c_float, [ctypes.c_float, ctypes.c_float]
    rng = onp.random.default_rng(9)
    x, y = rng.uniform(0.1, 3, (6, 5)).astype(F32), rng.uniform(-2, 2, 5).astype(F32)
    got = np.power(np.array(x), np.array(y)).asnumpy()
    want = onp.array([[powf(float(a), float(b)) for a, b in zip(row, y)] for row in x], F32)
    if _native.libm() is not None:
        onp.testing.assert_array_equal(got, want)
    else:
        assert_allclose(got, want, rtol=4e-7)
    assert (1.5 ** np.array(y)).dtype == onp.float32  # a Python number on the left
    check(np.power(np.array([2, 3], dtype="int32"), 2), [4, 9], I32)  # integers stay NumPy's
