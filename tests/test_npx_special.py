"""npx's special functions (erf, erfinv, gamma, gammaln), the private digamma/polygamma behind
their gradients, and the GPU queries: MXNet 1.9.1's numbers, ``math`` and known values."""
from __future__ import annotations

import math

import numpy as onp
import pytest

from mxnp import autograd, np, npx
from mxnp._backend import cupy_available
from mxnp._ops import special
from mxnp.testing import assert_allclose


# ---- special functions ---------------------------------------------------------------------
def _f64(op, xs, **params):
    return op(np.array(onp.asarray(xs, dtype=onp.float64)), **params).asnumpy()


GRID = onp.array([v for v in onp.linspace(-5.5, 6, 461) if v != round(v)])


def _rel(got, want):
    return onp.max(onp.abs(got - want) / onp.abs(want))


def test_special_values_match_mxnet_float32():
    assert_allclose(npx.gamma(np.array([1., 2., 5., 0.5])), onp.float32([1, 1, 24, 1.7724538]))
    assert_allclose(npx.gammaln(np.array([1., 5.])), onp.float32([0, 3.1780539]), rtol=1e-6)
    assert_allclose(npx.erf(np.array([0., 1.])), onp.float32([0, 0.8427008]))
    assert_allclose(npx.erfinv(np.array([0., 0.5])), onp.float32([0, 0.47693628]))
    out = npx.erf(np.array([-3., -0.5, 0.5, 2., 10.]))
    assert out.dtype == onp.float32
    assert_allclose(out, onp.float32([-0.9999779, -0.5204999, 0.5204999, 0.9953223, 1.]))
    assert npx.gamma(np.array([0.5], dtype="float16")).dtype == onp.float16
    # integer input computes in float32 (the house rule for float math; MXNet keeps int32)
    assert npx.gamma(np.array([1, 5], dtype="int32")).dtype == onp.float32


def test_erf_matches_math_to_1e_15():
    assert _rel(_f64(npx.erf, GRID), [math.erf(v) for v in GRID]) < 2e-15
    assert_allclose(_f64(npx.erf, [0., -0., 1e-300, onp.inf, -onp.inf, onp.nan]),
                    [0., 0., 1.1283791670955126e-300, 1., -1., onp.nan], rtol=1e-15)


def test_erfinv_inverts_math_erf_and_its_edges_match_mxnet():
    y = onp.concatenate([onp.linspace(-0.999, 0.999, 401), 1 - onp.logspace(-15, -2, 14)])
    x = _f64(npx.erfinv, y)
    assert _rel([math.erf(v) for v in x], y) < 2e-15
    tail = y > 0.99  # erfc keeps the tail exact: 1 - y is known exactly there
    assert _rel(onp.array([math.erfc(v) for v in x])[tail], (1 - y)[tail]) < 1e-13
    assert_allclose(_f64(npx.erfinv, [0.5, 0.9]), [0.4769362762044699, 1.1630871536766743],
                    rtol=1e-15)
    assert_allclose(_f64(npx.erfinv, [-1., 1., 1.5, -2., onp.nan, 0.]),
                    [-onp.inf, onp.inf, onp.nan, onp.nan, onp.nan, 0.])


def test_gamma_and_gammaln_match_math():
    assert _rel(_f64(npx.gamma, GRID), [math.gamma(v) for v in GRID]) < 1e-14
    big = onp.linspace(0.5, 171.5, 300)
    assert _rel(_f64(npx.gamma, big), [math.gamma(v) for v in big]) < 2e-13
    want = onp.array([math.lgamma(v) for v in GRID])
    away = onp.abs(want) > 1e-2  # negative x has zeros of lgamma: there the error is absolute
    assert _rel(_f64(npx.gammaln, GRID)[away], want[away]) < 1e-13
    assert onp.max(onp.abs(_f64(npx.gammaln, GRID) - want)) < 1e-13
    # near its zeros math.lgamma itself is only absolutely accurate: 30-digit values instead
    near_zeros = [1 + 1e-6, 1 - 1e-4, 2 + 1e-5, 2 - 1e-3]
    want = [-5.77214842387414665058806e-07, 5.77297915611938628083029e-05,
            4.22787559764835959689157e-06, -4.22461800692107284175745e-04]
    assert _rel(_f64(npx.gammaln, near_zeros), onp.array(want)) < 1e-14
    huge = onp.array([1e5, 1e15, 1e300])
    assert _rel(_f64(npx.gammaln, huge), [math.lgamma(v) for v in huge]) < 1e-15


def test_gamma_poles_match_mxnet():
    assert_allclose(_f64(npx.gamma, [0., -0., -1., -2., 172., onp.inf, -onp.inf]),
                    [onp.inf, -onp.inf, onp.nan, onp.nan, onp.inf, onp.inf, onp.nan])
    assert_allclose(_f64(npx.gammaln, [0., -1., -2., onp.inf, -onp.inf]), [onp.inf] * 5)
    assert_allclose(_f64(npx.gammaln, [-2.5, 1e300]), [math.lgamma(-2.5), math.lgamma(1e300)],
                    rtol=1e-13)


EULER = 0.5772156649015329


def test_digamma_and_polygamma_known_values_and_recurrences():
    assert_allclose(_f64(special.digamma, [1., 0.5, 4.]),
                    [-EULER, -EULER - 2 * math.log(2), 1 + 1 / 2 + 1 / 3 - EULER], rtol=1e-15)
    assert_allclose(_f64(special.polygamma, [1., 0.5], n=1), [math.pi ** 2 / 6, math.pi ** 2 / 2],
                    rtol=1e-15)
    zeta3 = 1.2020569031595942
    assert_allclose(_f64(special.polygamma, [1.], n=2), [-2 * zeta3], rtol=1e-15)
    assert_allclose(_f64(special.polygamma, [1.], n=3), [math.pi ** 4 / 15], rtol=1e-14)
    # psi_n(x + 1) = psi_n(x) + (-1)^n n! / x^(n+1), on both sides of 0 (reflection below 1/2)
    for n in range(4):
        op, params = (special.digamma, {}) if n == 0 else (special.polygamma, {"n": n})
        step = (-1) ** n * math.factorial(n) / GRID ** (n + 1)
        lhs, rhs = _f64(op, GRID + 1, **params), _f64(op, GRID, **params) + step
        # near the poles the step is large: measure against the largest term in the identity
        scale = onp.maximum(1, onp.maximum(onp.abs(lhs), onp.abs(step)))
        assert onp.max(onp.abs(lhs - rhs) / scale) < 1e-12


def test_special_gradients_match_mxnet():
    cases = [(npx.gamma, [-1.5, 0.5, 1., 3.], [1.6617506, -3.480232, -0.5772157, 1.8455689]),
             (npx.gammaln, [-1.5, 0.5, 1., 3.], [0.70315677, -1.9635108, -0.5772157, 0.9227843]),
             (npx.erfinv, [-0.5, 0., 0.5, 0.99], [1.112585, 0.88622695, 1.112585, 24.450897]),
             (npx.erf, [-0.5, 0., 0.5, 0.99], [0.8787826, 1.1283791, 0.8787826, 0.42345086])]
    for op, xs, want in cases:
        x = np.array(xs)
        x.attach_grad()
        with autograd.record():
            y = op(x)
        y.backward()
        assert_allclose(x.grad, onp.float32(want), rtol=2e-6)


def test_gammaln_second_order():  # MXNet 1.9.1 refuses this (_backward_gammaln has no gradient)
    x = np.array([-1.5, 0.5, 1., 3.], dtype="float64")
    x.attach_grad()
    with autograd.record():
        (g,) = autograd.grad(npx.gammaln(x), [x], create_graph=True)
    g.backward()
    trigamma_1 = math.pi ** 2 / 6
    assert_allclose(x.grad[2], trigamma_1, rtol=1e-14)


# ---- GPU queries ---------------------------------------------------------------------------
def test_get_cuda_compute_capability_needs_a_gpu_context():
    with pytest.raises(ValueError, match="Expecting a gpu context"):
        npx.get_cuda_compute_capability(npx.cpu())


@pytest.mark.skipif(cupy_available(), reason="checks the error raised without a GPU")
def test_gpu_queries_without_a_gpu_raise_clearly():
    with pytest.raises(Exception, match="no GPU is usable"):
        npx.gpu_memory_info(0)
    with pytest.raises(Exception, match="no GPU is usable"):
        npx.get_cuda_compute_capability(npx.gpu(0))


@pytest.mark.skipif(not cupy_available(), reason="needs CuPy and a GPU")
def test_gpu_queries_with_a_gpu_return_cupys_numbers():
    free, total = npx.gpu_memory_info(0)
    assert 0 < free <= total
    assert npx.get_cuda_compute_capability(npx.gpu(0)) >= 30
