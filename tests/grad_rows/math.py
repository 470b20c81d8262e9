"""Rows for mxnp/_ops/math.py: inverse and hyperbolic trigonometry, logs, rounding, binary math."""
from __future__ import annotations

import numpy as onp

from tests.grad_rows.common import S, near, near_int, ns


def ldexp_any_exponent(x1, x2):
    """MXNet's ldexp takes float exponents; NumPy's refuses them, so its reference is x1 * 2**x2."""
    if isinstance(x1, onp.ndarray):
        return x1 * onp.exp2(x2)
    return ns(x1).ldexp(x1, x2)


def ldexp_int_exponent(x):
    return ns(x).ldexp(x, ns(x).array([[1, -2, 3]], dtype="int32"))


def powers_of_two(x) -> bool:  # frexp's mantissa jumps where |x| is a power of two
    return near(x, 0) or near_int(onp.log2(onp.abs(x)))


def origin(x1, x2) -> bool:
    return near(onp.hypot(x1, x2), 0)


def either_zero(x1, x2) -> bool:
    return near(x1, 0) or near(x2, 0)


def frac_only(x):  # divmod's remainder is mod; its quotient is a step, never recorded
    return ns(x).divmod(x, 1.5)[1]


ROWS = [
    # ---- trigonometric and hyperbolic --------------------------------------------------------
    S("tan", [(2, 3)], -1.2, 1.2),
    S("tan", [()], -1.2, 1.2),
    S("arcsin", [(2, 3)], -0.9, 0.9),
    S("arccos", [(2, 3)], -0.9, 0.9),
    S("arctan", [(2, 3)], -3.0, 3.0),
    S("sinh", [(2, 3)]),
    S("cosh", [(2, 3)]),
    S("arcsinh", [(2, 3)], -3.0, 3.0),
    S("arccosh", [(2, 3)], 1.2, 3.0),
    S("arctanh", [(2, 3)], -0.9, 0.9),
    S("degrees", [(2, 3)]),
    S("degrees", [()]),
    S("radians", [(2, 3)], -90.0, 90.0),
    # ---- exponents, logs and roots -----------------------------------------------------------
    S("expm1", [(2, 3)]),
    S("log1p", [(2, 3)], -0.5, 2.0),
    S("log2", [(2, 3)], 0.5, 3.0),
    S("log10", [(2, 3)], 0.5, 3.0),
    S("cbrt", [(2, 3)], -2.0, 2.0, kink=lambda x: near(x, 0)),
    S("reciprocal", [(2, 3)], 0.5, 2.0),
    S("reciprocal", [(2, 3)], -2.0, -0.5, name="reciprocal-negative"),
    # ---- absolute value, rounding, the rest --------------------------------------------------
    S("fabs", [(2, 3)], kink=lambda x: near(x, 0)),
    S("rint", [(2, 3)], kink=lambda x: near_int(x - 0.5)),
    S("fix", [(2, 3)], kink=near_int),
    S("trunc", [(2, 3)], kink=near_int),
    S("real", [(2, 3)]),
    S("nan_to_num", [(2, 3)]),
    S("nan_to_num", [(2, 3)], -2.0, 2.0, fn=lambda x: ns(x).nan_to_num(ns(x).log(x)),
      kink=lambda x: near(x, 0), name="nan_to_num-masked"),  # log of x < 0 is nan: replaced
    S("modf", [(2, 3)], -3.0, 3.0, kink=near_int),
    S("frexp", [(2, 3)], -5.0, 5.0, fn=lambda x: ns(x).frexp(x)[0], kink=powers_of_two),
    S("mod", [(2, 3)], -3.0, 3.0, fn=frac_only, kink=lambda x: near_int(x / 1.5),
      name="divmod-remainder"),
    # ---- binary: same shapes, broadcast pairs, Python scalars --------------------------------
    S("arctan2", [(2, 3), (2, 3)], kink=lambda x1, x2: near(x1, 0)),  # the branch cut at x1 = 0
    S("arctan2", [(3, 1), (1, 4)], kink=lambda x1, x2: near(x1, 0)),
    S("arctan2", [(), (2, 3)], kink=lambda x1, x2: near(x1, 0)),
    S("hypot", [(2, 3), (2, 3)], kink=origin),
    S("hypot", [(3, 1), (1, 4)], kink=origin),
    S("hypot", [(2, 3), ()], kink=origin),
    S("copysign", [(2, 3), (2, 3)], kink=either_zero),
    S("copysign", [(3, 1), (1, 4)], kink=either_zero),
    S("copysign", [(2, 3)], fn=lambda x: ns(x).copysign(x, -1.0), kink=lambda x: near(x, 0),
      name="copysign-scalar"),
    S("ldexp", [(2, 3), (2, 3)], fn=ldexp_any_exponent),
    S("ldexp", [(3, 1), (1, 4)], fn=ldexp_any_exponent, name="ldexp-(3,1)x(1,4)"),
    S("ldexp", [(2, 3)], fn=ldexp_int_exponent, name="ldexp-int-exponent"),
    S("float_power", [(2, 3), (2, 3)], 0.5, 2.0),
    S("float_power", [(3, 1), (1, 4)], 0.5, 2.0),
    S("float_power", [(), (2, 3)], 0.5, 2.0),
    S("float_power", [(2, 3)], fn=lambda x: ns(x).float_power(x, 3), name="float_power-cube"),
    S("heaviside", [(2, 3), (2, 3)], kink=lambda x1, x2: near(x1, 0)),
    S("heaviside", [(3, 1), (1, 4)], kink=lambda x1, x2: near(x1, 0)),
]
