"""MXNet 1.x's one-input math operators. Legacy keeps the input's dtype: an integer array's
``sqrt`` or ``exp`` is computed in floating point and truncated back, as MXNet does.
"""
from __future__ import annotations

import numpy as onp

from .. import numpy as np
from .. import numpy_extension as npx
from .._ops.nn import activations as _activations
from ._define import legacy_op


def _unary(name, fn, doc, aliases=()):
    """Register ``fn`` as the one-input operator ``name``; the result keeps the input's dtype."""
    def op(data):
        out = fn(data)
        return out if out.dtype == data.dtype else out.astype(data.dtype)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return legacy_op(name, aliases=aliases)(op)


def _rint_half_down(x):
    # MXNet 1.x's rint, as its documentation says: n.5 gives n (the floor unless x is more than
    # 1/2 above it); np.rint rounds halves to even
    down = np.floor(x)
    with onp.errstate(invalid="ignore"):  # inf - inf: the ceiling, inf, is the answer
        return np.where(x - down <= 0.5, down, np.ceil(x))


def _round_half_away(x):
    # MXNet's round: halves away from zero (NumPy's round goes to even)
    return np.copysign(np.floor(np.abs(x) + 0.5), x)  # -0.4 and -0.0 give -0.0, as MXNet


def _hard_sigmoid(x, alpha=0.2, beta=0.5):
    return np.clip(x * alpha + beta, 0, 1)


_copy = _unary("_copy", np.copy, "A copy of ``data``.", aliases=("identity",))
identity = _copy
negative = _unary("negative", np.negative, "-data.")
abs = _unary("abs", np.abs, "|data|.")
sign = _unary("sign", np.sign, "-1, 0 or 1 by the sign of data.")
square = _unary("square", np.square, "data ** 2.")
sqrt = _unary("sqrt", np.sqrt, "data ** 0.5.")
rsqrt = _unary("rsqrt", lambda x: 1 / np.sqrt(x), "1 / sqrt(data).")
cbrt = _unary("cbrt", np.cbrt, "The cube root.")
rcbrt = _unary("rcbrt", lambda x: 1 / np.cbrt(x), "1 / cbrt(data).")
reciprocal = _unary("reciprocal", lambda x: 1 / x, "1 / data.")
exp = _unary("exp", np.exp, "e ** data.")
expm1 = _unary("expm1", np.expm1, "exp(data) - 1, exact near 0.")
log = _unary("log", np.log, "The natural logarithm.")
log10 = _unary("log10", np.log10, "The base-10 logarithm.")
log2 = _unary("log2", np.log2, "The base-2 logarithm.")
log1p = _unary("log1p", np.log1p, "log(1 + data), exact near 0.")
sin = _unary("sin", np.sin, "The sine.")
cos = _unary("cos", np.cos, "The cosine.")
tan = _unary("tan", np.tan, "The tangent.")
arcsin = _unary("arcsin", np.arcsin, "The inverse sine.")
arccos = _unary("arccos", np.arccos, "The inverse cosine.")
arctan = _unary("arctan", np.arctan, "The inverse tangent.")
sinh = _unary("sinh", np.sinh, "The hyperbolic sine.")
cosh = _unary("cosh", np.cosh, "The hyperbolic cosine.")
tanh = _unary("tanh", np.tanh, "The hyperbolic tangent.")
arcsinh = _unary("arcsinh", np.arcsinh, "The inverse hyperbolic sine.")
arccosh = _unary("arccosh", np.arccosh, "The inverse hyperbolic cosine.")
arctanh = _unary("arctanh", np.arctanh, "The inverse hyperbolic tangent.")
degrees = _unary("degrees", np.degrees, "Radians to degrees.")
radians = _unary("radians", np.radians, "Degrees to radians.")
floor = _unary("floor", np.floor, "Round down.")
ceil = _unary("ceil", np.ceil, "Round up.")
trunc = _unary("trunc", np.trunc, "Round towards zero.")
fix = _unary("fix", np.fix, "Round towards zero.")
rint = _unary("rint", _rint_half_down, "Round to the nearest integer; n.5 gives n (MXNet's).")
round = _unary("round", _round_half_away, "Round to the nearest integer, halves away from 0.")
logical_not = _unary("logical_not", np.logical_not, "1 where data is 0, else 0.")
erf = _unary("erf", npx.erf, "The error function.")
erfinv = _unary("erfinv", npx.erfinv, "The inverse error function.")
gamma = _unary("gamma", npx.gamma, "The gamma function.")
gammaln = _unary("gammaln", npx.gammaln, "log |gamma(data)|.")
softsign = _unary("softsign", _activations.softsign, "data / (1 + |data|).")


@legacy_op("hard_sigmoid")
def hard_sigmoid(data, alpha=0.2, beta=0.5):
    """clip(alpha * data + beta, 0, 1)."""
    return _hard_sigmoid(data, alpha, beta)


@legacy_op("clip")
def clip(data, a_min=None, a_max=None):
    """data limited to [a_min, a_max]."""
    return np.clip(data, a_min, a_max)


@legacy_op("Cast", aliases=("cast", "_cast"))
def Cast(data, dtype=None):
    """data in ``dtype`` (floats truncated towards zero into integers)."""
    if dtype is None:
        raise ValueError(f"Cast: no dtype given for an array of {data.dtype} {data.shape}")
    return data.astype(dtype)
