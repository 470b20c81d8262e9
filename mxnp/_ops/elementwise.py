"""Elementwise ops (ufuncs) and their VJPs, one line each.

Forwards speak ``xp`` on raw arrays; rules speak our ops on ndarrays, so a backward pass run
under ``record()`` is itself recorded (higher-order gradients). Broadcasting is undone by the
tape, never here.
"""
from __future__ import annotations

import builtins
import math
from functools import partial

import numpy as onp

from .. import _dtypes, _native
from .._ndarray import ndarray
from .indexing import nonzero
from .primitive import Primitive, negated, scaled, write_out

_NUMBER = (int, float, bool)
_FAST_SCALARS = frozenset((int, float))
_WIDE_MAX = 1000  # see _float_math
_LIBM = _native.libm()  # the C library's float functions (mxnp/_libm.pyx), or None
_LIBM_NAMES = frozenset(_LIBM.NAMES if _LIBM is not None else ())
_LIBM_UNARY = {name: _LIBM.index(name) for name in _LIBM.UNARY} if _LIBM is not None else {}


def _scalar(name, s):
    """A Python number for a scalar operand (NumPy scalars act as Python ones, as in MXNet)."""
    if type(s) in _NUMBER:
        return s
    if isinstance(s, onp.generic) and _dtypes.is_real(s.dtype):
        return s.item()
    # no "{name}: " prefix: the Primitive names the op when it restates the error
    raise TypeError(f"type {type(s)} not supported; expected an mxnp ndarray or a "
                    "Python number")


def _operands(name, xp, x, y):
    """Raw operands cast as MXNet's promotion wants, and the result dtype."""
    if isinstance(x, xp.ndarray):
        if isinstance(y, xp.ndarray):
            if x.dtype == y.dtype:
                return x, y, x.dtype
            rt = _dtypes.binary_result(x.dtype, y.dtype)
            return x.astype(rt, copy=False), y.astype(rt, copy=False), rt
        y = _scalar(name, y)
        rt = _dtypes.scalar_result(x.dtype, y)
        return (x if rt == x.dtype else x.astype(rt)), y, rt
    if isinstance(y, xp.ndarray):
        x = _scalar(name, x)
        rt = _dtypes.scalar_result(y.dtype, x)
        return x, (y if rt == y.dtype else y.astype(rt)), rt
    x, y = _scalar(name, x), _scalar(name, y)
    x = xp.asarray(x, dtype=_dtypes.DEFAULT_FLOAT if isinstance(x, float) else None)
    return x, y, x.dtype


def _arith(name, divide=False, ufunc=None):
    """Forward of the arithmetic ufunc ``xp.<name>`` under MXNet's dtype rules (``ufunc``, a
    function of ``(xp, x, y)``, replaces it where NumPy's own needs help)."""
    custom = ufunc
    on_numpy = getattr(onp, name) if custom is None else partial(custom, onp)  # looked up once

    def forward(xp, x, y):
        if xp is onp:
            ufunc = on_numpy
        else:
            ufunc = getattr(xp, name) if custom is None else partial(custom, xp)
        dtype = _kept_float(xp.ndarray, x, y)  # the common case, without the tables
        if dtype is not None:
            out = ufunc(x, y)
            if out.dtype is dtype:
                return out
        if divide:
            x, y = _divided_by_float(xp, x, y)
        x, y, rt = _operands(name, xp, x, y)
        if divide and not _dtypes.is_float(rt):  # integer true division gives float32 (MXNet)
            rt = _dtypes.true_divide_result(rt)
            x = x.astype(rt) if isinstance(x, xp.ndarray) else x
            y = y.astype(rt) if isinstance(y, xp.ndarray) else y
        try:
            out = ufunc(x, y)
        except OverflowError:  # a Python int out of the array's range wraps, as in MXNet
            x, y = (xp.asarray(v).astype(rt) if type(v) is int else v for v in (x, y))
            out = ufunc(x, y)
        return out if out.dtype == rt else out.astype(rt)
    return forward


def _into_first(name):
    """``inplace`` of the arithmetic op ``name`` (see ``primitive._elide``): ``x <name> y``
    written into the float array ``x`` where MXNet's promotion keeps ``x``'s dtype and ``y`` is
    a number or an array of ``x``'s shape, the same values as the forward; else None."""
    on_numpy = getattr(onp, name)  # looked up once

    def into_first(xp, x, y):
        dtype = x.dtype
        if xp is not onp or dtype.kind != "f" or _kept_float(onp.ndarray, x, y) is not dtype or \
                type(y) is onp.ndarray and y.shape != x.shape:
            return None
        return on_numpy(x, y, out=x)
    return into_first


def _divided_by_float(xp, x, y):
    """An integer or bool array divided by (or dividing) a Python float computes in float32,
    as in MXNet (integer true division gives float32; the scalar does not widen it)."""
    if isinstance(x, xp.ndarray) and x.dtype.kind in "biu" and isinstance(y, _FLOATS):
        return x.astype(_dtypes.true_divide_result(x.dtype)), y
    if isinstance(y, xp.ndarray) and y.dtype.kind in "biu" and isinstance(x, _FLOATS):
        return x, y.astype(_dtypes.true_divide_result(y.dtype))
    return x, y


_FLOATS = (float, onp.floating)
_F32, _F64 = onp.dtype(onp.float32), onp.dtype(onp.float64)


def _kept_float(array, x, y):
    """The float dtype when MXNet's promotion leaves both operands as they are (a float array
    with another of its dtype, with a bool array, or with a Python int or float), else None."""
    if type(x) is array:
        dtype = x.dtype
        if dtype.kind == "f" and (type(y) in _FAST_SCALARS or type(y) is array and (
                y.dtype is dtype or y.dtype.kind == "b")):
            return dtype
    elif type(y) is array and type(x) in _FAST_SCALARS and y.dtype.kind == "f":
        return y.dtype
    return None


def _compare(name):
    on_numpy = getattr(onp, name)  # looked up once

    def forward(xp, x, y):
        if _kept_float(xp.ndarray, x, y) is None:
            x, y, _ = _operands(name, xp, x, y)
        return (on_numpy if xp is onp else getattr(xp, name))(x, y)
    return forward


def _float_math(name, wide=False):
    """Forward of float math (``xp.<name>``): integer and bool inputs compute in float32.

    ``wide``: float arrays small enough to be printed in full (NumPy's 1000-element threshold)
    are rounded as MXNet rounds them (``as_mxnet_rounds``): NumPy's own loops are often 1 ulp
    off, which shows in printed values. Larger arrays keep NumPy's loops: they are 5-25x
    faster there, and such arrays print only their corners.
    """
    on_numpy = getattr(onp, name)  # looked up once
    k = _LIBM_UNARY.get(name) if wide else None

    def forward(xp, x):
        dtype = x.dtype
        if k is not None and (dtype is _F32 or dtype is _F64) and xp is onp and \
                x.size <= _WIDE_MAX:
            return _LIBM.unary(k, x)  # as_mxnet_rounds, in one call
        ufunc = on_numpy if xp is onp else getattr(xp, name)
        if dtype.kind != "f":
            x = _dtypes.float_math(x)  # integers and bools compute in float32; complex stays
            dtype = x.dtype
        if wide and dtype.kind == "f" and x.size <= _WIDE_MAX:
            return as_mxnet_rounds(xp, name, x)
        return ufunc(x)
    return forward


def as_mxnet_rounds(xp, name, x):
    """``xp.<name>(x)`` of a float array as MXNet's CPU kernels give it: each element through
    the C library's function (``c_library``), else (without mxnp/_libm) float16/float32 from
    the float64 result rounded, which is the C library's value wherever that rounds correctly
    (every float32 exp, ~99% of log, sin, cos; 73-94% of sinh, cosh, tanh, expm1, arcsin),
    and float64 from NumPy's loop."""
    k = _LIBM_UNARY.get(name)
    if k is not None and (x.dtype is _F32 or x.dtype is _F64) and xp is onp:
        return _LIBM.unary(k, x)  # c_library's loop, in one call
    out = c_library(xp, name, x)
    if out is not None:
        return out
    if x.dtype.itemsize == 8:
        return getattr(xp, name)(x)
    return getattr(xp, name)(x, dtype=xp.float64).astype(x.dtype)  # the loop widens: no copy


def c_library(xp, name, x, y=None):
    """The C library's function for mxnp's ``name`` (``_libm.NAMES``: float32 ``sinf``,
    ``powf`` ...; float64 ``sin``, ``pow`` ...) over the float array ``x`` (and ``y``, of the
    same dtype and shape), once per element as MXNet's kernels call it; float16 in float32,
    then rounded. None where mxnp/_libm is not built, or for arrays not on the host."""
    if _LIBM is None or xp is not onp or name not in _LIBM_NAMES:
        return None
    work = onp.float64 if x.dtype == onp.float64 else onp.float32
    out = onp.empty(x.shape, work)
    _LIBM.apply(name, out, x.astype(work, order="C", copy=False),
                None if y is None else y.astype(work, order="C", copy=False))
    return out if out.dtype == x.dtype else out.astype(x.dtype)


def c_library_binary(xp, name, x, y):
    """``c_library`` for a binary function of two operands (arrays or Python numbers) that
    MXNet's dtype rules leave in one float dtype, when their broadcast is small enough to be
    printed in full; else None."""
    if _LIBM is None or xp is not onp:
        return None
    arrays = [v for v in (x, y) if type(v) is onp.ndarray]
    dtype = arrays[0].dtype
    if dtype.kind != "f" or any(a.dtype != dtype for a in arrays) or \
            any(type(v) not in _FAST_SCALARS for v in (x, y) if type(v) is not onp.ndarray):
        return None
    shape = arrays[0].shape if len(arrays) == 1 or x.shape == y.shape else \
        onp.broadcast_shapes(x.shape, y.shape)
    if math.prod(shape) > _WIDE_MAX:
        return None
    x, y = (onp.broadcast_to(onp.asarray(v, dtype), shape) for v in (x, y))
    return c_library(xp, name, x, y)


def _wide(name):
    """Transcendental float math, rounded as MXNet's C library calls round (see _float_math)."""
    return _float_math(name, wide=True)


# ---- arithmetic ------------------------------------------------------------------------------
add = Primitive("add", _arith("add"), (lambda g, ans, x, y: g, lambda g, ans, x, y: g),
                keep=(), inplace=_into_first("add"))
subtract = Primitive("subtract", _arith("subtract"),
                     (lambda g, ans, x, y: g, lambda g, ans, x, y: negated(g)), keep=(),
                     inplace=_into_first("subtract"))
multiply = Primitive("multiply", _arith("multiply"),
                     (lambda g, ans, x, y: g * y, lambda g, ans, x, y: g * x), keep=(0, 1),
                     inplace=_into_first("multiply"))
true_divide = Primitive("true_divide", _arith("true_divide", divide=True),
                        (lambda g, ans, x, y: g / y, lambda g, ans, x, y: -g * ans / y),
                        keep=(1, "ans"), inplace=_into_first("true_divide"))
divide = true_divide
# MXNet's mod gradients are 0 for integer inputs (its integer mod_grad kernels return 0)
mod = Primitive("mod", _arith("mod"),
                (lambda g, ans, x, y: g if x._data.dtype.kind == "f" else g * 0,
                 lambda g, ans, x, y: -g * floor_divide(x, y) if y._data.dtype.kind == "f" else g * 0))
remainder = mod
floor_divide = Primitive("floor_divide", _arith("floor_divide"))


def _power_vjp_base(g, ans, x, y):
    return g * y * x ** (y - 1)  # at x = 0, y = 0 this is 0 * inf = nan, as MXNet gives


def _power_vjp_exponent(g, ans, x, y):
    # d x^y / dy = x^y log x; where x == 0 the limit of the product is 0 (for y > 0)
    return g * ans * log_of_base(x)


def log_of_base(x):
    """``log x`` for the exponent's gradient of ``x ** y``, 0 where ``x`` is 0. A Python number
    stays a Python float: as a 0-d array it would be float32 and round ``log(1.5)``."""
    if type(x) in _NUMBER:
        return math.log(x) if x > 0 else (0.0 if x == 0 else math.nan)
    return log(where(x == 0, 1.0, x))


def _power(xp, x, y):
    exact = c_library_binary(xp, "power", x, y)  # MXNet's powf / pow
    if exact is not None:
        return exact
    try:
        return xp.power(x, y)
    except ValueError:  # NumPy refuses integers to negative integer powers
        pass
    # MXNet truncates instead: x ** -n is 0, except for x = 1 and x = -1 (x ** n there)
    z = xp.power(x, xp.abs(y))
    return xp.where(y < 0, xp.where(xp.abs(z) == 1, z, 0), z)


power = Primitive("power", _arith("power", ufunc=_power),
                  (_power_vjp_base, _power_vjp_exponent))
maximum = Primitive("maximum", _arith("maximum"),
                    (lambda g, ans, x, y: g * (x >= y),  # a tie goes to the first argument
                     lambda g, ans, x, y: g * (x < y)))
minimum = Primitive("minimum", _arith("minimum"),
                    (lambda g, ans, x, y: g * (x <= y),
                     lambda g, ans, x, y: g * (x > y)))

negative = Primitive("negative", lambda xp, x: xp.negative(x), lambda g, ans, x: negated(g),
                     keep=())
positive = Primitive("positive", lambda xp, x: x.copy(), lambda g, ans, x: g, keep=())
absolute = Primitive("absolute", lambda xp, x: xp.absolute(x), lambda g, ans, x: g * sign(x))
abs = absolute  # noqa: A001 - NumPy's name
sign = Primitive("sign", lambda xp, x: xp.sign(x), lambda g, ans, x: _zero(g))
square = Primitive("square", lambda xp, x: xp.square(x), lambda g, ans, x: g * 2 * x, keep=(0,))
sqrt = Primitive("sqrt", _float_math("sqrt"), lambda g, ans, x: g / (2 * ans), keep=("ans",))
exp = Primitive("exp", _float_math("exp", wide=True), lambda g, ans, x: g * ans, keep=("ans",))
log = Primitive("log", _float_math("log", wide=True), lambda g, ans, x: g / x, keep=(0,))
sin = Primitive("sin", _float_math("sin", wide=True), lambda g, ans, x: scaled(g, cos(x)),
                keep=(0,))
cos = Primitive("cos", _float_math("cos", wide=True),
                lambda g, ans, x: negated(scaled(g, sin(x))), keep=(0,))
# d tanh = 1 - tanh^2: reuse ans instead of recomputing tanh
tanh = Primitive("tanh", _float_math("tanh", wide=True), lambda g, ans, x: scaled(g, 1 - ans * ans),
                 keep=("ans",))
# the rest of the trigonometric and hyperbolic functions, beside sin, cos and tanh
tan = Primitive("tan", _wide("tan"), lambda g, ans, x: g * (1 + ans * ans), keep=("ans",))
arcsin = Primitive("arcsin", _wide("arcsin"), lambda g, ans, x: g / sqrt(1 - x * x),
                   keep=(0,))
arccos = Primitive("arccos", _wide("arccos"), lambda g, ans, x: -g / sqrt(1 - x * x),
                   keep=(0,))
arctan = Primitive("arctan", _wide("arctan"), lambda g, ans, x: g / (1 + x * x), keep=(0,))
sinh = Primitive("sinh", _wide("sinh"), lambda g, ans, x: g * cosh(x), keep=(0,))
cosh = Primitive("cosh", _wide("cosh"), lambda g, ans, x: g * sinh(x), keep=(0,))
arcsinh = Primitive("arcsinh", _wide("arcsinh"), lambda g, ans, x: g / sqrt(x * x + 1),
                    keep=(0,))
arccosh = Primitive("arccosh", _wide("arccosh"), lambda g, ans, x: g / sqrt(x * x - 1),
                    keep=(0,))
arctanh = Primitive("arctanh", _wide("arctanh"), lambda g, ans, x: g / (1 - x * x),
                    keep=(0,))
# Step functions: MXNet records them with a zero gradient (the derivative almost everywhere).
floor = Primitive("floor", lambda xp, x: xp.floor(x), lambda g, ans, x: _zero(g))
ceil = Primitive("ceil", lambda xp, x: xp.ceil(x), lambda g, ans, x: _zero(g))


def _around_forward(xp, x, decimals=0):
    """MXNet's around: scale by 10 per decimal (in x's dtype), round halves to even, scale back
    by 10 per decimal. Where NumPy differs: its 10**decimals factor rounds differently
    (round(2.675, 2) is 2.6799998 in float32, as MXNet), and -0.5 rounds to 0, not -0."""
    if x.dtype.kind != "f":
        return xp.round(x, decimals)
    t = x.copy()
    for _ in range(builtins.abs(decimals)):
        t = t * 10 if decimals > 0 else t / 10
    r = xp.trunc(t)  # halves away from zero (C's round), then odd halves moved to even
    r = xp.where(xp.abs(t - r) >= 0.5, r + xp.sign(t), r)
    odd = xp.fmod(r, 2) != 0
    r = xp.where(odd & (r - t == 0.5), r - 1, xp.where(odd & (t - r == 0.5), r + 1, r))
    for _ in range(builtins.abs(decimals)):
        r = r / 10 if decimals > 0 else r * 10
    return r.astype(x.dtype, copy=False)


_round = Primitive("round", _around_forward, (lambda g, ans, x, decimals=0: _zero(g),))


def _zero(g):
    return g * 0


def round(x, decimals=0, out=None):  # noqa: A001 - NumPy's name
    """Half to even, as NumPy and MXNet."""
    return write_out(_round(x, decimals=decimals), out)


around = round


def _clip_vjp(g, ans, x, a_min=None, a_max=None):
    # 1 where x was kept, the boundaries included (as in MXNet); written with sign, an op of zero
    # gradient, so that a second derivative is 0 (MXNet's) rather than x leaving the graph
    return g * (1 - sign(abs(x - ans)))


def _clip_forward(xp, x, a_min=None, a_max=None):
    if a_min is None and a_max is None:
        raise ValueError("One of max or min must be given")
    return xp.clip(x, a_min, a_max).astype(x.dtype, copy=False)  # keeps an int array's dtype


_clip = Primitive("clip", _clip_forward, (_clip_vjp,), keep=(0, "ans"))


def clip(a, a_min=None, a_max=None, out=None):
    """Differs from NumPy: bounds are scalars and the result keeps ``a``'s dtype (MXNet)."""
    if isinstance(a_min, ndarray) or isinstance(a_max, ndarray):
        result = a if a_min is None else maximum(a, a_min)
        return write_out(result if a_max is None else minimum(result, a_max), out)
    return write_out(_clip(a, a_min=a_min, a_max=a_max), out)


def _where_forward(xp, condition, x, y):
    if not isinstance(x, xp.ndarray) and not isinstance(y, xp.ndarray):
        # two Python scalars give MXNet's default float32, whatever their kinds
        x, y = (xp.asarray(_scalar("where", v), dtype=_dtypes.DEFAULT_FLOAT) for v in (x, y))
    x, y, rt = _operands("where", xp, x, y)
    out = xp.where(condition, x, y)
    return out if out.dtype == rt else out.astype(rt)


_where = Primitive("where", _where_forward,
                   (None,
                    lambda g, ans, c, x, y: _where(c, g, 0),
                    lambda g, ans, c, x, y: _where(c, 0, g)))


def where(condition, x=None, y=None):
    """``where(c, x, y)`` picks elementwise; ``where(c)`` is ``nonzero(c)``."""
    if x is None and y is None:
        return nonzero(condition)
    if x is None or y is None:
        raise ValueError("where: either both or neither of x and y should be given")
    return _where(condition, x, y)


# ---- comparisons and logic: bool results, recorded with a zero gradient ---------------------
# MXNet records them, so a backward from one (or through one, as a mask times a variable)
# reaches the variables with zeros instead of failing
def no_gradient(g, ans, *inputs, **params):
    """The rule of an op whose result does not vary with its inputs: zeros."""
    return _zero(g)


_BOTH_ZERO = (no_gradient, no_gradient)
equal = Primitive("equal", _compare("equal"), _BOTH_ZERO, keep=())
not_equal = Primitive("not_equal", _compare("not_equal"), _BOTH_ZERO, keep=())
less = Primitive("less", _compare("less"), _BOTH_ZERO, keep=())
less_equal = Primitive("less_equal", _compare("less_equal"), _BOTH_ZERO, keep=())
greater = Primitive("greater", _compare("greater"), _BOTH_ZERO, keep=())
greater_equal = Primitive("greater_equal", _compare("greater_equal"), _BOTH_ZERO, keep=())
logical_and = Primitive("logical_and", _compare("logical_and"), _BOTH_ZERO, keep=())
logical_or = Primitive("logical_or", _compare("logical_or"), _BOTH_ZERO, keep=())
logical_xor = Primitive("logical_xor", _compare("logical_xor"), _BOTH_ZERO, keep=())
logical_not = Primitive("logical_not", lambda xp, x: xp.logical_not(x), no_gradient, keep=())
# ---- bits: integers only, never recorded
bitwise_and = Primitive("bitwise_and", _arith("bitwise_and"))
bitwise_or = Primitive("bitwise_or", _arith("bitwise_or"))
bitwise_xor = Primitive("bitwise_xor", _arith("bitwise_xor"))
left_shift = Primitive("left_shift", _arith("left_shift"))
right_shift = Primitive("right_shift", _arith("right_shift"))
invert = Primitive("invert", lambda xp, x: xp.invert(x))
bitwise_not = invert


