"""Special functions of npx (erf, erfinv, gamma, gammaln) and the digamma/polygamma their
gradients need, computed in plain ``xp`` arithmetic (no SciPy), in float64, cast back to the
input's dtype (integer and bool inputs give float32, as other float math does here).

Methods and float64 accuracy (measured against ``math`` and known values; see the tests):

- erf: |x| < 2, the series ``2/sqrt(pi) e^-x^2 sum 2^n x^(2n+1) / (2n+1)!!`` (positive terms,
  no cancellation); |x| >= 2, erfc by its continued fraction (60 terms, evaluated backward).
  Relative error < 1e-15.
- erfinv: Winitzki's closed form (relative error ~2e-3), then three Halley steps on erf, or
  on erfc for |y| > 1/2 (1 - |y| is exact there). Relative error < 1e-15 on erf(erfinv(y)).
- gamma: Lanczos (g = 7, 9 terms; Godfrey's coefficients), reflection below 1/2. Relative
  error < 2e-13 (the power t^(x+1/2) for large x costs the most).
- gammaln: the Lanczos form, except on (0.5, 2.5), where the Taylor series of lgamma(1+z) in
  zeta values keeps relative accuracy near the zeros at 1 and 2. Relative error < 1e-13.
- digamma / polygamma(n): shift x up by 16 with the recurrence, then the asymptotic series in
  Bernoulli numbers; reflection below 1/2 (for polygamma with the n-th derivative of cot,
  a polynomial in cot built once per n). Absolute error ~1e-15 for moderate x.

On CuPy the same code runs on the GPU (``cupyx.scipy.special`` could replace it later).
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as onp

from .. import _dtypes
from .elementwise import _WIDE_MAX, c_library, exp
from .primitive import Primitive

_SQRT_PI = math.sqrt(math.pi)
_EULER = 0.57721566490153286061
_LANCZOS_G = 7.0
_LANCZOS = (0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012,
            9.9843695780195716e-6, 1.5056327351493116e-7)
# B_2k for k = 1..8 (the asymptotic series of digamma and polygamma)
_BERNOULLI = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510)
_SHIFT = 16  # digamma/polygamma move x up by this much before the asymptotic series


def _zeta(k: int) -> float:
    """Riemann zeta(k), k >= 2: 200 terms plus the Euler-Maclaurin tail (error < 1e-17)."""
    n = 200
    head = math.fsum(i ** -k for i in range(1, n))
    return head + n ** (1 - k) / (k - 1) + 0.5 * n ** -k + k * n ** (-k - 1) / 12 \
        - k * (k + 1) * (k + 2) * n ** (-k - 3) / 720


# lgamma(1 + z) = -euler z + sum_k>=2 (-1)^k zeta(k) z^k / k, for |z| <= 1/2
_LGAMMA_SERIES = tuple((-1) ** k * _zeta(k) / k for k in range(2, 56))


def _quiet(forward):
    """The forward with NumPy's warnings off: lanes masked out by ``where`` may overflow, and
    MXNet never warns about nan or inf results."""
    def run(xp, *args, **params):
        with onp.errstate(all="ignore"):
            return forward(xp, *args, **params)
    return run


def _c_library_first(name, forward):
    """``forward``, except that arrays small enough to print in full go through the C
    library's function (``erff``, ``tgammaf``, ``lgammaf`` and their float64 versions), as
    MXNet's kernels do, where mxnp/_libm is built."""
    def run(xp, x):
        if x.size <= _WIDE_MAX and x.dtype.kind in "biuf":
            exact = c_library(xp, name, x if x.dtype.kind == "f" else
                              x.astype(_dtypes.DEFAULT_FLOAT))
            if exact is not None:
                return exact
        return forward(xp, x)
    return run


def _work(x):
    """The input as float64 (how every forward here computes) and the dtype to return."""
    out = x.dtype if _dtypes.is_real_float(x.dtype) else _dtypes.DEFAULT_FLOAT
    return x.astype(onp.float64), out


def _sinpi(xp, x):
    """sin(pi x), exactly 0 at integers: x is reduced to [-1/2, 1/2] exactly first."""
    r = x - 2 * xp.round(x / 2)
    return xp.sin(math.pi * xp.where(r > 0.5, 1 - r, xp.where(r < -0.5, -1 - r, r)))


def _cospi(xp, x):
    return xp.cos(math.pi * (x - 2 * xp.round(x / 2)))


# ---- erf and erfinv ---------------------------------------------------------------------------
def _erf_small(xp, x):
    x2 = x * x
    term = s = x
    for n in range(1, 60):
        term = term * (2 * x2) / (2 * n + 1)
        s = s + term
    return (2 / _SQRT_PI) * xp.exp(-x2) * s


def _erfc_large(xp, x):
    t = x
    for k in range(60, 0, -1):
        t = x + (k / 2) / t
    return xp.exp(-x * x) / (_SQRT_PI * t)


def _erf_erfc(xp, a):
    """erf(a) and erfc(a) for a >= 0 (each accurate where it is not close to 1)."""
    small = a < 2
    s = _erf_small(xp, xp.where(small, a, 0.0))
    c = _erfc_large(xp, xp.where(small, 2.0, a))
    return xp.where(small, s, 1 - c), xp.where(small, 1 - s, c)


def _erf_forward(xp, x):
    x, dtype = _work(x)
    return (xp.sign(x) * _erf_erfc(xp, xp.abs(x))[0]).astype(dtype)


def _erfinv_forward(xp, y):
    y, dtype = _work(y)
    a = xp.abs(y)
    inside = a < 1
    a = xp.where(inside, a, 0.5)
    w = xp.log((1 - a) * (1 + a))
    b = 2 / (math.pi * 0.147) + w / 2
    x = xp.sqrt(xp.sqrt(b * b - w / 0.147) - b)  # Winitzki's approximation
    for _ in range(3):  # Halley on f = erf(x) - a: x -= u / (1 + x u), u = f / f'
        e, c = _erf_erfc(xp, x)
        r = xp.where(a <= 0.5, e - a, (1 - a) - c)
        u = r * (_SQRT_PI / 2) * xp.exp(x * x)
        x = x - u / (1 + x * u)
    edge = xp.where(xp.abs(y) == 1, xp.inf, xp.nan)  # +-1 -> +-inf; beyond (or nan) -> nan
    return (xp.sign(y) * xp.where(inside, x, edge)).astype(dtype)


erf = Primitive("erf", _c_library_first("erf", _quiet(_erf_forward)),
                (lambda g, ans, x: g * (2 / _SQRT_PI) * _exp(-(x * x)),), keep=(0,))
erfinv = Primitive("erfinv", _quiet(_erfinv_forward),
                   (lambda g, ans, y: g * (_SQRT_PI / 2) * _exp(ans * ans),), keep=("ans",))


# ---- gamma and gammaln ------------------------------------------------------------------------
def _lanczos(x):
    """Godfrey's Lanczos sum at x - 1, and t = x - 1/2 + g (both for x >= 1/2)."""
    z = x - 1
    s = _LANCZOS[0]
    for k in range(1, 9):
        s = s + _LANCZOS[k] / (z + k)
    return s, z + _LANCZOS_G + 0.5


def _gamma_forward(xp, x):
    x, dtype = _work(x)
    right = xp.where(x >= 0.5, x, 1 - x)  # reflection: gamma(x) gamma(1-x) = pi / sin(pi x)
    s, t = _lanczos(right)
    h = xp.power(t, (right - 0.5) / 2)  # t^(x-1/2) in two halves: no early overflow
    g = math.sqrt(2 * math.pi) * h * (h * xp.exp(-t)) * s
    out = xp.where(x >= 0.5, g, math.pi / (_sinpi(xp, x) * g))
    pole = (x <= 0) & (x == xp.floor(x))  # MXNet: nan at negative integers, +-inf at 0
    out = xp.where(pole, xp.where(x == 0, xp.copysign(xp.inf, x), xp.nan), out)
    return xp.where(x == xp.inf, x, out).astype(dtype)


def _lgamma_near_one(xp, z):
    """lgamma(1 + z) for |z| <= 1/2, by its Taylor series (Horner)."""
    p = _LGAMMA_SERIES[-1]
    for c in _LGAMMA_SERIES[-2::-1]:
        p = p * z + c
    return z * (-_EULER + z * p)


def _lgamma_positive(xp, x):
    s, t = _lanczos(xp.where(x >= 2.5, x, 2.5))
    big = 0.5 * math.log(2 * math.pi) + (x - 0.5) * xp.log(t) - t + xp.log(s)
    low = x < 1.5  # (0.5, 1.5): the series at x - 1; [1.5, 2.5): at x - 2, plus log(x - 1)
    z = xp.where(x < 2.5, xp.where(low, x - 1, x - 2), 0.0)
    near = _lgamma_near_one(xp, z) + xp.where(low, 0.0, xp.log1p(xp.where(low, 0.0, z)))
    return xp.where(x >= 2.5, big, near)


def _gammaln_forward(xp, x):
    x, dtype = _work(x)
    right = _lgamma_positive(xp, xp.where(x > 0.5, x, 1 - x))
    # log|gamma(x)| = log(pi / |sin(pi x)|) - lgamma(1 - x) below 1/2; poles give +inf
    out = xp.where(x > 0.5, right, math.log(math.pi) - xp.log(xp.abs(_sinpi(xp, x))) - right)
    return xp.where(xp.isinf(x), xp.inf, out).astype(dtype)


gamma = Primitive("gamma", _c_library_first("gamma", _quiet(_gamma_forward)),
                  (lambda g, ans, x: g * ans * digamma(x),), keep=(0, "ans"))
gammaln = Primitive("gammaln", _c_library_first("gammaln", _quiet(_gammaln_forward)),
                    (lambda g, ans, x: g * digamma(x),), keep=(0,))


# ---- digamma and polygamma (private: the gradients of gamma and gammaln) ----------------------
@lru_cache(maxsize=None)
def _cot_derivative(n: int) -> tuple:
    """Coefficients (lowest first) of P_n with d^n/dx^n cot(pi x) = pi^n P_n(cot(pi x))."""
    p = onp.polynomial.Polynomial([0.0, 1.0])
    for _ in range(n):  # d/dx P(c) = P'(c) * dc/dx, and dc/dx = -pi (1 + c^2)
        p = -p.deriv() * onp.polynomial.Polynomial([1.0, 0.0, 1.0])
    return tuple(p.coef)


def _shifted(xp, x, n):
    """x moved to x >= 1/2 by reflection, and sum_k<16 (x + k)^-(n+1) (the recurrence)."""
    right = xp.where(x >= 0.5, x, 1 - x)
    s = 0.0
    for k in range(_SHIFT):
        s = s + (right + k) ** -(n + 1)
    return right, right + _SHIFT, s


def _digamma_forward(xp, x):
    x, dtype = _work(x)
    right, y, s = _shifted(xp, x, 0)
    y2 = 1 / (y * y)
    tail = 0.0
    for k in range(len(_BERNOULLI), 0, -1):
        tail = (tail + _BERNOULLI[k - 1] / (2 * k)) * y2
    psi = xp.log(y) - 0.5 / y - tail - s
    # reflection: psi(x) = psi(1 - x) - pi cot(pi x)
    out = xp.where(x >= 0.5, psi, psi - math.pi * _cospi(xp, x) / _sinpi(xp, x))
    pole = (x <= 0) & (x == xp.floor(x))  # MXNet's psi: +inf at 0 and the negative integers
    return xp.where(pole, xp.inf, out).astype(dtype)


def _polygamma_forward(xp, x, n):
    x, dtype = _work(x)
    right, y, s = _shifted(xp, x, n)
    fact, sign = math.factorial(n), (-1) ** (n + 1)
    tail = math.factorial(n - 1) / y ** n + fact / (2 * y ** (n + 1))
    for k in range(1, len(_BERNOULLI) + 1):
        c = _BERNOULLI[k - 1] * math.factorial(2 * k + n - 1) / math.factorial(2 * k)
        tail = tail + c / y ** (2 * k + n)
    psi = sign * (tail + fact * s)
    # reflection, differentiated n times: psi_n(x) = (-1)^n psi_n(1 - x) - pi d^n cot(pi x)
    c = _cospi(xp, x) / _sinpi(xp, x)
    p = 0.0
    for coef in reversed(_cot_derivative(n)):
        p = p * c + coef
    out = xp.where(x >= 0.5, psi, (-1) ** n * psi - math.pi ** (n + 1) * p)
    return out.astype(dtype)


digamma = Primitive("digamma", _quiet(_digamma_forward),
                    (lambda g, ans, x: g * polygamma(x, n=1),), keep=(0,))
polygamma = Primitive("polygamma", _quiet(_polygamma_forward),
                      (lambda g, ans, x, n: g * polygamma(x, n=n + 1),), keep=(0,))


def _exp(x):
    return exp(x)
