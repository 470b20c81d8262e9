"""Python numbers meeting float64 arrays stay float64: forward and gradient, against NumPy.

Each op that takes a Python number is run both ways round (``x op s`` and ``s op x``) on a
float64 array; values and gradients must agree with NumPy's float64 to 1e-13 relative. A
float32 rounding of the number anywhere (``log(1.5)`` in the gradient of ``1.5 ** x`` was one)
shows up as an error near 1e-8.
"""
from __future__ import annotations

import numpy as onp
import pytest

from mxnp import autograd, np, npx

RTOL = 1e-13
X = onp.array([0.55, 0.8, 1.3, 1.9])
SCALARS = [1.5, 0.3, -0.7]


def _hypot_dx(x, s):
    return x / onp.hypot(x, s)


# name: (forward, d/dx) in NumPy float64, with the array first and with the number first
CASES = {
    "add": (onp.add, lambda x, s: 1 + 0 * x, lambda s, x: 1 + 0 * x),
    "subtract": (onp.subtract, lambda x, s: 1 + 0 * x, lambda s, x: -1 + 0 * x),
    "multiply": (onp.multiply, lambda x, s: s + 0 * x, lambda s, x: s + 0 * x),
    "true_divide": (onp.true_divide, lambda x, s: 1 / s + 0 * x, lambda s, x: -s / x ** 2),
    "power": (onp.power, lambda x, s: s * x ** (s - 1), lambda s, x: s ** x * onp.log(abs(s))),
    "float_power": (onp.float_power, lambda x, s: s * x ** (s - 1),
                    lambda s, x: s ** x * onp.log(abs(s))),
    "maximum": (onp.maximum, lambda x, s: (x >= s) * 1.0, lambda s, x: (x > s) * 1.0),
    "minimum": (onp.minimum, lambda x, s: (x <= s) * 1.0, lambda s, x: (x < s) * 1.0),
    "arctan2": (onp.arctan2, lambda x, s: s / (x * x + s * s), lambda s, x: -s / (x * x + s * s)),
    "hypot": (onp.hypot, _hypot_dx, lambda s, x: _hypot_dx(x, s)),
    "mod": (onp.mod, lambda x, s: 1 + 0 * x, lambda s, x: -onp.floor(s / x)),
    "copysign": (onp.copysign, lambda x, s: onp.sign(x) * onp.sign(s), lambda s, x: 0 * x),
}


def _run(name, first, s):
    x = np.array(X, dtype="float64")
    x.attach_grad()
    op = getattr(np, name)
    with autograd.record():
        y = op(x, s) if first else op(s, x)
    y.backward()
    return y, x.grad


def _close(got, want):
    assert got.dtype == onp.float64
    onp.testing.assert_allclose(got.asnumpy(), want, rtol=RTOL, atol=1e-300)


@pytest.mark.parametrize("s", SCALARS)
@pytest.mark.parametrize("first", [True, False], ids=["array_first", "number_first"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_number_with_float64_array_forward_and_gradient(name, first, s):
    forward, dx_first, dx_second = CASES[name]
    if name in ("power", "float_power") and not first and s < 0:
        pytest.skip("a negative base to a real power is nan")
    y, grad = _run(name, first, s)
    _close(y, forward(X, s) if first else forward(s, X))
    _close(grad, dx_first(X, s) if first else dx_second(s, X))


@pytest.mark.parametrize("s", [1.5, 0.3])
def test_operators_with_numbers_stay_float64(s):
    x = np.array(X, dtype="float64")
    x.attach_grad()
    with autograd.record():
        y = (s ** x + x ** s + s / x + x / s + s * x - s + (s - x)).sum()
    y.backward()
    want = onp.log(s) * s ** X + s * X ** (s - 1) - s / X ** 2 + 1 / s + s - 1
    _close(x.grad, want)


@pytest.mark.parametrize("name,call,want", [
    ("clip", lambda x: np.clip(x, 0.7, 1.45), onp.clip(X, 0.7, 1.45)),
    ("where", lambda x: np.where(x > 1.0, x, 1.7), onp.where(X > 1.0, X, 1.7)),
    ("full_like", lambda x: np.full_like(x, 0.1), onp.full_like(X, 0.1)),
    ("leaky_relu", lambda x: npx.leaky_relu(x - 1.0, slope=0.1),
     onp.where(X - 1.0 > 0, X - 1.0, 0.1 * (X - 1.0))),
])
def test_number_parameters_stay_float64(name, call, want):
    _close(call(np.array(X, dtype="float64")), want)


BINARY = sorted(n for n in np.__all__ if isinstance(getattr(onp, n, None), onp.ufunc)
                and getattr(onp, n).nin == 2 and getattr(onp, n).nout == 1
                and "dd->d" in getattr(onp, n).types and n not in ("ldexp", "matmul"))


@pytest.mark.parametrize("s", SCALARS)
@pytest.mark.parametrize("name", BINARY)
def test_every_binary_ufunc_forward_with_a_number(name, s):
    """Forward only, for every binary ufunc taking floats (the gradients are checked above)."""
    ufunc, op = getattr(onp, name), getattr(np, name)
    x = np.array(X, dtype="float64")
    with onp.errstate(all="ignore"):
        for got, want in ((op(x, s), ufunc(X, s)), (op(s, x), ufunc(s, X))):
            assert got.dtype == want.dtype
            onp.testing.assert_allclose(got.asnumpy(), want, rtol=RTOL, atol=1e-300)
