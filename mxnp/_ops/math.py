"""Elementwise math beyond the foundation: inverse and hyperbolic trigonometry, logs, rounding,
predicates, and the two-output ufuncs (modf, frexp, divmod).

Integer and bool inputs to float math compute in float32 (mxnp's rule; MXNet 1.9.1 truncates
to the integer dtype). Functions MXNet re-exports from NumPy unchanged (float_power, heaviside,
i0, spacing, modf, frexp, real, signbit) keep NumPy's own dtypes, as they do in MXNet.
"""
from __future__ import annotations

import numpy as onp

from .. import _dtypes
from .._tape import STATE
from .elementwise import (
    _arith,
    _float_math,
    _operands,
    _wide,
    _zero,
    c_library_binary,
    floor_divide,
    log_of_base,
    mod,
    no_gradient,
    sign,
    where,
)
from .primitive import Primitive, write_out

_LN2, _LN10 = float(onp.log(2.0)), float(onp.log(10.0))
_DEG = 180.0 / onp.pi  # degrees per radian


def _float_unless_int(int_forward, float_forward):
    """Forward that keeps integer dtypes (exact results, as MXNet); bools compute in float32."""
    def forward(xp, x):
        if _dtypes.is_integer(x.dtype):
            return int_forward(xp, x)
        return float_forward(xp, _dtypes.float_math(x))
    return forward


def _copy(xp, x):
    return x.copy()


def _reciprocal(xp, x):
    return xp.reciprocal(x)


degrees = Primitive("degrees", _float_math("degrees"), lambda g, ans, x: g * _DEG, keep=())
radians = Primitive("radians", _float_math("radians"), lambda g, ans, x: g / _DEG, keep=())
# MXNet 1.9.1's deg2rad and rad2deg raise AttributeError (a missing internal op): NumPy's aliases
rad2deg = degrees
deg2rad = radians

# ---- exponents, logs and roots ----------------------------------------------------------------
# d expm1 = exp(x) = expm1(x) + 1: reuse ans
expm1 = Primitive("expm1", _wide("expm1"), lambda g, ans, x: g * (ans + 1), keep=("ans",))
log1p = Primitive("log1p", _wide("log1p"), lambda g, ans, x: g / (1 + x), keep=(0,))
log2 = Primitive("log2", _wide("log2"), lambda g, ans, x: g / (x * _LN2), keep=(0,))
log10 = Primitive("log10", _wide("log10"), lambda g, ans, x: g / (x * _LN10), keep=(0,))
# d cbrt = 1 / (3 cbrt(x)^2): inf at 0, as MXNet
cbrt = Primitive("cbrt", _wide("cbrt"), lambda g, ans, x: g / (3 * ans * ans),
                 keep=("ans",))
# Integers keep their dtype (1 // x, as NumPy and MXNet); bools compute in float32 (MXNet)
reciprocal = Primitive("reciprocal", _float_unless_int(_reciprocal, _reciprocal),
                       lambda g, ans, x: -g * ans * ans, keep=("ans",))

# ---- absolute value and rounding: integers keep their dtype (exact; MXNet) ---------------------
fabs = Primitive("fabs", _float_unless_int(lambda xp, x: xp.abs(x), lambda xp, x: xp.fabs(x)),
                 lambda g, ans, x: g * sign(x), keep=(0,))  # 0 at 0, like abs (MXNet)
# Step functions: a zero gradient, as floor (MXNet records them so)
rint = Primitive("rint", _float_unless_int(_copy, lambda xp, x: xp.rint(x)),
                 lambda g, ans, x: _zero(g), keep=())
fix = Primitive("fix", _float_unless_int(_copy, lambda xp, x: xp.fix(x)),
                lambda g, ans, x: _zero(g), keep=())
trunc = Primitive("trunc", _float_unless_int(_copy, lambda xp, x: xp.trunc(x)),
                  lambda g, ans, x: _zero(g), keep=())

# ---- predicates: bool results, recorded with a zero gradient (as MXNet, see comparisons) ----
isfinite = Primitive("isfinite", lambda xp, x: xp.isfinite(x), no_gradient, keep=())
isinf = Primitive("isinf", lambda xp, x: xp.isinf(x), no_gradient, keep=())
isnan = Primitive("isnan", lambda xp, x: xp.isnan(x), no_gradient, keep=())
isneginf = Primitive("isneginf", lambda xp, x: xp.isneginf(x), no_gradient, keep=())
isposinf = Primitive("isposinf", lambda xp, x: xp.isposinf(x), no_gradient, keep=())
signbit = Primitive("signbit", lambda xp, x: xp.signbit(x), no_gradient, keep=())


def _spacing_forward(xp, x):
    # NumPy's dtypes (the smallest float that holds x: float16 for bool and int8, float64 for
    # int32); built on nextafter, which CuPy has. -0.0 steps up, as NumPy; negative float16
    # steps down (NumPy's float16 loop returns a positive spacing there, unlike its other loops)
    x = x.astype(onp.result_type(x.dtype, onp.float16), copy=False)
    return xp.nextafter(x, xp.where(x < 0, -onp.inf, onp.inf).astype(x.dtype)) - x


# piecewise constant, but MXNet re-exports NumPy's spacing, which has no gradient
spacing = Primitive("spacing", _spacing_forward)
# NumPy's i0 (MXNet re-exports it). No gradient: I1 has no NumPy or CuPy function
i0 = Primitive("i0", lambda xp, x: xp.i0(x))
real = Primitive("real", lambda xp, x: xp.real(x).copy(), lambda g, ans, x: g, keep=())


def _nan_to_num_forward(xp, x, nan=0.0, posinf=None, neginf=None):
    return xp.nan_to_num(x, copy=True, nan=nan, posinf=posinf, neginf=neginf)


# the replaced values are constants: the gradient passes only where x is finite (MXNet)
_nan_to_num = Primitive("nan_to_num", _nan_to_num_forward,
                        (lambda g, ans, x, **params: g * isfinite(x),), keep=(0,))


def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    """``copy=False`` writes the result into ``x`` (which then takes its place on the tape);
    inside a hybridized block it is the result alone, as MXNet's graph has it (x unchanged)."""
    result = _nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)
    return result if copy or STATE.tracer is not None else write_out(result, x)


# ---- binary -----------------------------------------------------------------------------------
# integer (and bool) pairs compute in float32, like true division (MXNet refuses mixed dtypes)
def _arctan2(xp, x1, x2):
    exact = c_library_binary(xp, "arctan2", x1, x2)  # MXNet's atan2f / atan2
    return xp.arctan2(x1, x2) if exact is None else exact


arctan2 = Primitive("arctan2", _arith("arctan2", divide=True, ufunc=_arctan2),
                    (lambda g, ans, x1, x2: g * x2 / (x1 * x1 + x2 * x2),
                     lambda g, ans, x1, x2: -g * x1 / (x1 * x1 + x2 * x2)), keep=(0, 1))
hypot = Primitive("hypot", _arith("hypot", divide=True),
                  (lambda g, ans, x1, x2: g * x1 / ans,
                   lambda g, ans, x1, x2: g * x2 / ans))


def _copysign_forward(xp, x1, x2):
    x1, x2, rt = _operands("copysign", xp, x1, x2)
    if _dtypes.is_integer(rt):  # integers keep their dtype (exact; MXNet), NumPy gives float64
        return xp.where((x1 < 0) != (x2 < 0), -x1, x1)
    if rt.kind == "b":
        return xp.copysign(x1, x2, dtype=_dtypes.DEFAULT_FLOAT)
    return xp.copysign(x1, x2)


# MXNet's rule: +1 where x1 and x2 are both >= 0 or both < 0 (so -0.0 counts as +), else -1
copysign = Primitive("copysign", _copysign_forward,
                     (lambda g, ans, x1, x2: where((x1 >= 0) == (x2 >= 0), g, -g),
                      lambda g, ans, x1, x2: _zero(g)), keep=(0, 1))


def _is_integral(xp, v):
    return type(v) is int or (isinstance(v, (xp.ndarray, onp.generic))
                               and _dtypes.is_index(v.dtype))


def _ldexp_forward(xp, x1, x2):
    if _is_integral(xp, x2):  # NumPy's case: an exact power-of-two scaling
        x1 = xp.asarray(x1, dtype=_dtypes.DEFAULT_FLOAT if type(x1) is float else None)
        return xp.ldexp(x1.astype(_dtypes.float_result(x1.dtype), copy=False), x2)
    # MXNet also takes float exponents (NumPy refuses them): x1 * 2**x2
    x1, x2, rt = _operands("ldexp", xp, x1, x2)
    rt = _dtypes.float_result(rt)
    return xp.asarray(x1).astype(rt, copy=False) * xp.exp2(xp.asarray(x2).astype(rt))


ldexp = Primitive("ldexp", _ldexp_forward,
                  (lambda g, ans, x1, x2: ldexp(g, x2),
                   lambda g, ans, x1, x2: g * ans * _LN2), keep=(1, "ans"))


def _lcm_forward(xp, x1, x2):
    x1, x2, rt = _operands("lcm", xp, x1, x2)
    if not _dtypes.is_integer(rt):
        raise TypeError(f"integer inputs only, got {rt}")  # the Primitive names the op
    return xp.lcm(x1, x2)


lcm = Primitive("lcm", _lcm_forward)


def _float_power_vjp_exponent(g, ans, x1, x2):
    return g * ans * log_of_base(x1)  # the limit at x1 == 0 is 0 (x2 > 0)


# float64 results, as NumPy (and MXNet, which re-exports NumPy's)
float_power = Primitive("float_power", lambda xp, x1, x2: xp.float_power(x1, x2),
                        (lambda g, ans, x1, x2: g * x2 * float_power(x1, x2 - 1),
                         _float_power_vjp_exponent))
# a step in x1 (zero gradient); x2 is the value taken where x1 == 0
heaviside = Primitive("heaviside", lambda xp, x1, x2: xp.heaviside(x1, x2),
                      (lambda g, ans, x1, x2: _zero(g), lambda g, ans, x1, x2: g * (x1 == 0)),
                      keep=(0,))


def divmod(x1, x2, out=None):  # noqa: A001 - NumPy's name
    """``(floor_divide(x1, x2), mod(x1, x2))``: MXNet's promotion, mod's gradient."""
    outs = (None, None) if out is None else out
    return (write_out(floor_divide(x1, x2), outs[0]), write_out(mod(x1, x2), outs[1]))


# the fractional part passes the gradient; the integral part is a step
_modf = Primitive("modf", lambda xp, x: xp.modf(x), (lambda g, ans, x: g[0],), keep=())


def modf(x, out=None):
    """``(fractional, integral)`` parts, with NumPy's dtypes."""
    outs = (None, None) if out is None else out
    return tuple(write_out(r, o) for r, o in zip(_modf(x), outs))


# x = m * 2**e with e piecewise constant: dm/dx = 2**-e
_frexp = Primitive("frexp", lambda xp, x: xp.frexp(x), (lambda g, ans, x: ldexp(g[0], -ans[1]),),
                   keep=("ans",))


def frexp(x, out=None):
    """``(mantissa, exponent)`` with NumPy's dtypes (an int32 exponent)."""
    outs = (None, None) if out is None else out
    return tuple(write_out(r, o) for r, o in zip(_frexp(x), outs))
