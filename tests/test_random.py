"""np.random, npx.random and mx.random: dtypes, shapes, seeding, statistics, gradients, errors.

Every statistical test draws after a fixed seed, so it is deterministic, not flaky.
"""
from __future__ import annotations

import subprocess
import sys

import numpy as onp
import pytest

import mxnp as mx
from mxnp import autograd, np, npx
from mxnp.base import OpError
from mxnp.testing import assert_allclose, check_grads

N = 20000


@pytest.fixture(autouse=True)
def _seeded():
    npx.random.seed(7)


def test_scalar_draws_are_0d_float32_arrays():
    for x in (np.random.normal(), np.random.uniform(), np.random.rand(), np.random.randn()):
        assert isinstance(x, np.ndarray) and (x.shape, x.dtype) == ((), onp.float32)


@pytest.mark.parametrize("draw", [
    lambda: np.random.normal(0, 1, size=3), lambda: np.random.uniform(size=(2, 2)),
    lambda: np.random.gamma(2.0, size=3), lambda: np.random.exponential(size=3),
    lambda: np.random.beta(2, 3, size=3), lambda: np.random.logistic(size=3),
    lambda: np.random.gumbel(size=3), lambda: np.random.lognormal(size=3),
    lambda: np.random.chisquare(3, size=3), lambda: np.random.pareto(2.0, size=3),
    lambda: np.random.power(2.0, size=3), lambda: np.random.rayleigh(size=3),
    lambda: np.random.weibull(2.0, size=3), lambda: np.random.rand(3),
    lambda: np.random.randn(3), lambda: npx.random.bernoulli(0.5, size=3)])
def test_float_draws_default_to_float32(draw):
    x = draw()
    assert x.dtype == onp.float32 and x.shape[0] in (2, 3)


def test_dtype_is_honoured():
    assert np.random.uniform(0, 1, (2,), dtype="float64").dtype == onp.float64
    assert np.random.normal(size=3, dtype="float16").dtype == onp.float16
    assert np.random.randn(2, dtype="float64").dtype == onp.float64
    assert npx.random.bernoulli(logit=0.0, size=(2, 2), dtype="int32").dtype == onp.int32
    # the parameters' dtype does not decide the output's (MXNet)
    assert np.random.normal(np.zeros(2, dtype="float64"), 1).dtype == onp.float32


def test_integer_draws_are_int64():
    assert np.random.randint(0, 10, size=(3,)).dtype == onp.int64
    assert np.random.randint(0, 10, size=3, dtype="int32").dtype == onp.int32
    x = np.random.randint(0, 10)
    assert (x.shape, x.dtype) == ((), onp.int64)
    assert np.random.choice(5).shape == () and np.random.choice(5, 3).dtype == onp.int64
    assert np.random.multinomial(5, [0.5, 0.5]).dtype == onp.int64


def test_array_parameters_broadcast():
    assert np.random.normal(np.zeros(2), np.ones(2)).shape == (2,)
    assert np.random.uniform(np.zeros((2, 1)), np.ones(3)).shape == (2, 3)
    assert np.random.normal(np.zeros(2), 1.0, size=(3, 2)).shape == (3, 2)
    with pytest.raises(OpError, match="uniform"):
        np.random.uniform(np.zeros(2), 1, size=(3,))


def test_out_is_written_and_returned():
    out = np.zeros(2)
    assert np.random.normal(size=2, out=out) is out and (out.asnumpy() != 0).all()
    with pytest.raises(OpError, match="shape"):
        np.random.normal(size=2, out=np.zeros(3))


def test_ctx_and_device_place_the_result():
    assert np.random.normal(0, 1, size=3, ctx=mx.cpu(1)).ctx == mx.cpu(1)
    assert np.random.randint(5, size=2, device=mx.cpu(1)).device == mx.cpu(1)


def test_size_zero_and_empty():
    assert np.random.normal(size=0).shape == (0,)
    assert np.random.normal(size=(2, 0)).shape == (2, 0)
    assert np.random.normal(size=()).shape == ()


# ---- seeding ---------------------------------------------------------------------------------
def _sequence():
    return [np.random.uniform(size=3).asnumpy(), np.random.randint(0, 100, size=4).asnumpy(),
            np.random.normal(size=2).asnumpy(), np.random.choice(10, 3).asnumpy()]


@pytest.mark.parametrize("seed", [npx.random.seed, mx.random.seed, np.random.seed])
def test_seed_repeats_the_sequence(seed):
    seed(42)
    first = _sequence()
    seed(42)
    assert all(onp.array_equal(a, b) for a, b in zip(first, _sequence()))
    seed(43)
    assert not onp.array_equal(first[0], _sequence()[0])


def test_seed_repeats_across_processes():
    code = ("from mxnp import np, npx; npx.random.seed(42); "
            "print(np.random.uniform(size=3).asnumpy().tolist(), "
            "np.random.randint(0, 100, size=3).asnumpy().tolist())")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout for _ in range(2)]
    npx.random.seed(42)
    here = (f"{np.random.uniform(size=3).asnumpy().tolist()} "
            f"{np.random.randint(0, 100, size=3).asnumpy().tolist()}\n")
    assert runs[0] == runs[1] == here


def test_seed_per_device_leaves_other_streams_alone():
    npx.random.seed(1)
    a = np.random.uniform(size=3).asnumpy()
    npx.random.seed(1)
    npx.random.seed(5, ctx=mx.cpu(1))  # reseeds only cpu(1)
    assert onp.array_equal(a, np.random.uniform(size=3).asnumpy())


def test_seed_rejects_non_integers():
    with pytest.raises(TypeError, match="seed"):
        npx.random.seed(1.5)
    npx.random.seed(-1)  # MXNet accepts negative seeds


# ---- statistics: loose bounds, deterministic under the fixed seed ------------------------------
@pytest.mark.parametrize("name, draw, mean, var", [
    ("normal", lambda: np.random.normal(1.0, 2.0, size=N), 1.0, 4.0),
    ("uniform", lambda: np.random.uniform(-1.0, 3.0, size=N), 1.0, 16 / 12),
    ("gamma", lambda: np.random.gamma(3.0, 2.0, size=N), 6.0, 12.0),
    ("exponential", lambda: np.random.exponential(2.0, size=N), 2.0, 4.0),
    ("beta", lambda: np.random.beta(2.0, 3.0, size=N), 0.4, 0.04),
    # the chi-square's own moments (df, 2 df); MXNet 1.9.1 draws Gamma(df / 2, scale 1/2), a
    # quarter of it (mxref: chisquare(4.0, size=100000) has mean 1.0012, variance 0.5039)
    ("chisquare", lambda: np.random.chisquare(4.0, size=N), 4.0, 8.0),
    ("logistic", lambda: np.random.logistic(1.0, 2.0, size=N), 1.0, onp.pi ** 2 * 4 / 3),
    ("gumbel", lambda: np.random.gumbel(1.0, 2.0, size=N), 1.0 + 2 * onp.euler_gamma,
     onp.pi ** 2 * 4 / 6),
    ("lognormal", lambda: np.random.lognormal(0.0, 0.5, size=N), onp.exp(0.125),
     (onp.exp(0.25) - 1) * onp.exp(0.25)),
    ("rayleigh", lambda: np.random.rayleigh(2.0, size=N), 2.0 * onp.sqrt(onp.pi / 2),
     (4 - onp.pi) / 2 * 4),
    ("weibull", lambda: np.random.weibull(2.0, size=N), 0.886227, 1 - 0.886227 ** 2),
    ("pareto", lambda: np.random.pareto(5.0, size=N), 0.25, 5 / (16 * 3)),
    ("power", lambda: np.random.power(3.0, size=N), 0.75, 3 / 80),
    ("bernoulli", lambda: npx.random.bernoulli(0.3, size=N), 0.3, 0.21),
    ("bernoulli_logit", lambda: npx.random.bernoulli(logit=0.0, size=N), 0.5, 0.25),
    ("randint", lambda: np.random.randint(-5, 5, size=N), -0.5, 99 / 12),
    ("choice", lambda: np.random.choice(4, N, p=[0.1, 0.2, 0.3, 0.4]), 2.0, 1.0),
    ("mx_poisson", lambda: mx.random.poisson(3.0, shape=N), 3.0, 3.0),
])
def test_moments(name, draw, mean, var):
    x = draw().asnumpy().astype(onp.float64)
    assert abs(x.mean() - mean) < 0.05 * (1 + abs(mean)), name
    assert abs(x.var() - var) < 0.1 * var, name


def test_randint_bounds_and_high_none():
    x = np.random.randint(10, size=1000).asnumpy()
    assert x.min() == 0 and x.max() == 9
    x = np.random.randint(-5, 0, size=1000).asnumpy()
    assert x.min() == -5 and x.max() == -1


def test_uniform_low_above_high_is_allowed():
    x = np.random.uniform(1, 0, size=100).asnumpy()
    assert ((x > 0) & (x <= 1)).all()


def test_multinomial_counts():
    x = np.random.multinomial(10, [0.2, 0.3, 0.5], size=(N // 10, 2)).asnumpy()
    assert x.shape == (N // 10, 2, 3) and (x.sum(-1) == 10).all()
    assert onp.allclose(x.mean(axis=(0, 1)), [2, 3, 5], atol=0.1)
    assert np.random.multinomial(5, np.array([0.2, 0.8])).shape == (2,)


def test_multinomial_with_no_outcomes_counts_nothing():
    # MXNet 1.9.1 (mxref): empty pvals give empty counts, shape size + (0,)
    assert np.random.multinomial(10, []).shape == (0,)
    assert np.random.multinomial(10, np.array([]), size=(2, 3)).shape == (2, 3, 0)


def test_multivariate_normal_covariance():
    cov = onp.array([[2.0, 0.6], [0.6, 1.0]])
    x = np.random.multivariate_normal(np.array([1.0, -1.0]), np.array(cov), size=N)
    assert (x.shape, x.dtype) == ((N, 2), onp.float32)
    x = x.asnumpy().astype(onp.float64)
    assert onp.allclose(x.mean(0), [1, -1], atol=0.05)
    assert onp.allclose(onp.cov(x.T), cov, atol=0.08)
    m64 = np.zeros((4, 2), dtype="float64")
    y = np.random.multivariate_normal(m64, np.eye(2, dtype="float64"), size=3)
    assert (y.shape, y.dtype) == ((3, 4, 2), onp.float64)


# ---- choice and shuffle ----------------------------------------------------------------------
def test_choice_without_replacement_is_distinct():
    x = np.random.choice(10, 10, replace=False).asnumpy()
    assert sorted(x.tolist()) == list(range(10))
    y = np.random.choice(4, 3, replace=False, p=np.array([0.1, 0.2, 0.3, 0.4])).asnumpy()
    assert len(set(y.tolist())) == 3


def test_choice_from_an_array():
    a = np.array([1.0, 2.0, 3.0])
    x = np.random.choice(a, (4, 5))
    assert (x.shape, x.dtype) == ((4, 5), onp.float32)
    assert set(x.asnumpy().ravel().tolist()) <= {1.0, 2.0, 3.0}


def test_choice_errors():
    with pytest.raises(OpError, match="choice: cannot take 5 samples"):
        np.random.choice(3, 5, replace=False)
    with pytest.raises(OpError, match="choice: a must be 1-dimensional"):
        np.random.choice(np.ones((2, 2)), 2)
    with pytest.raises(OpError, match="choice: p must have shape"):
        np.random.choice(3, 2, p=np.array([0.5, 0.5]))
    with pytest.raises(OpError, match="choice"):
        np.random.choice(0, 2)


def test_shuffle_in_place_rows():
    x = np.arange(20).reshape(10, 2)
    assert np.random.shuffle(x) is None
    rows = x.asnumpy()
    assert sorted(rows[:, 0].tolist()) == list(range(0, 20, 2))
    assert (rows[:, 1] == rows[:, 0] + 1).all() and not (rows[:, 0] == onp.arange(0, 20, 2)).all()
    with pytest.raises(TypeError, match="shuffle"):
        np.random.shuffle(onp.arange(3))


# ---- errors ----------------------------------------------------------------------------------
@pytest.mark.parametrize("call, match", [
    (lambda: np.random.normal(0, -1, size=2), "normal: scale"),
    (lambda: np.random.normal(np.zeros(2), np.array([-1.0, 1.0])), "normal: scale"),
    (lambda: np.random.exponential(-1, size=2), "exponential: scale"),
    (lambda: np.random.gamma(-1, size=2), "gamma: shape"),
    (lambda: np.random.weibull(-1.0, size=2), "weibull: a"),
    (lambda: np.random.pareto(0.0, size=2), "pareto: a"),
    (lambda: np.random.beta(-1, 2, size=2), "beta: a"),
    (lambda: np.random.randint(5, 1, size=2), "randint: low"),
    (lambda: np.random.randint(3, 3, size=2), "randint: low"),
    (lambda: np.random.multinomial(5, [0.7, 0.8]), "multinomial"),
    (lambda: np.random.multivariate_normal(np.zeros(2), np.eye(3)), "multivariate_normal"),
    (lambda: npx.random.bernoulli(prob=1.5, size=2), "bernoulli: prob"),
])
def test_bad_parameters_raise_at_the_call(call, match):
    with pytest.raises(ValueError, match=match):  # OpError is a ValueError and an MXNetError
        call()


@pytest.mark.parametrize("call, match", [
    (lambda: np.random.uniform(size=(2,), dtype="int32"), "uniform: dtype"),
    (lambda: np.random.randint(10, size=3, dtype="float32"), "randint: dtype"),
    (lambda: np.random.normal([0.0, 1.0], 1), "normal: parameters"),
    (lambda: np.random.multivariate_normal([0.0, 0.0], np.eye(2)), "multivariate_normal"),
    (lambda: np.random.randint(np.array([0, 5]), 10), "randint: low"),
])
def test_bad_types_raise_type_error(call, match):
    with pytest.raises(TypeError, match=match):
        call()


def test_bernoulli_needs_exactly_one_parameter():
    for kwargs in ({}, {"prob": 0.5, "logit": 0.5}):
        with pytest.raises(ValueError, match="bernoulli: give either prob or logit"):
            npx.random.bernoulli(**kwargs)


# ---- npx.random and mx.random ----------------------------------------------------------------
def test_npx_batch_samplers():
    assert npx.random.normal_n(np.zeros(2), 1, batch_shape=(3,)).shape == (3, 2)
    assert npx.random.uniform_n(0, 1, batch_shape=(3,)).shape == (3,)
    assert npx.random.uniform_n(np.zeros((2, 1)), np.ones(3), batch_shape=(4,)).shape == (4, 2, 3)
    assert npx.random.normal_n(0, 1).shape == ()
    assert npx.random.normal_n(0, 1, batch_shape=2).shape == (2,)


def test_mx_random_legacy_shapes_and_dtypes():
    assert mx.random.uniform(0, 1).shape == (1,)
    assert mx.random.uniform(np.zeros(2), np.ones(2), shape=(3, 4)).shape == (2, 3, 4)
    assert mx.random.randint(0, 5, shape=3).dtype == onp.int32
    assert mx.random.normal(shape=2, dtype="float64").dtype == onp.float64
    assert mx.random.randn(2, 3).shape == (2, 3)
    idx, logp = mx.random.multinomial(np.array([0.2, 0.8]), shape=(2, 3), get_prob=True)
    assert idx.shape == (2, 3) and idx.dtype == onp.int32
    assert_allclose(logp, onp.log(onp.where(idx.asnumpy() == 1, 0.8, 0.2)), rtol=1e-6)
    x = np.arange(6)
    y = mx.random.shuffle(x)
    assert sorted(y.asnumpy().tolist()) == list(range(6))
    assert (x.asnumpy() == onp.arange(6)).all()  # a copy, unlike np.random.shuffle


# ---- gradients: reparameterised where MXNet 1.9.1 gives them ----------------------------------
def _seeded_draw(draw):
    """``draw`` after the same seed on every call, so that finite differences see one sample."""
    def f(*params):
        npx.random.seed(3)
        return draw(*params)
    return f


@pytest.mark.parametrize("draw", [
    lambda loc, scale: np.random.normal(loc, scale, size=(3, 2), dtype="float64"),
    lambda loc, scale: np.random.lognormal(loc, scale, dtype="float64"),
    lambda loc, scale: npx.random.normal_n(loc, scale, batch_shape=(2,), dtype="float64"),
], ids=["normal", "lognormal", "normal_n"])
def test_reparameterised_grads(draw):
    check_grads(_seeded_draw(draw), np.array([0.3, -0.2]), np.array([0.8, 1.5]), order=1)


@pytest.mark.parametrize("draw", [
    lambda loc, scale: np.random.logistic(loc, scale),
    lambda loc, scale: np.random.gumbel(loc, scale),
    lambda loc, scale: np.random.exponential(scale) + loc,
    lambda loc, scale: np.random.rayleigh(scale) * loc,
    lambda loc, scale: np.random.weibull(scale) + np.random.pareto(scale) * loc,
], ids=["logistic", "gumbel", "exponential", "rayleigh", "weibull_pareto"])
def test_reparameterised_grads_float32(draw):
    # these samplers take no dtype= (MXNet): float32 values need a float32-sized step
    check_grads(_seeded_draw(draw), np.array([0.3, -0.2]), np.array([0.8, 1.5]), order=1,
                eps=1e-2, rtol=2e-3, atol=1e-4)


def test_normal_grad_values_match_mxnet():
    loc, scale = np.array([1.0, 2.0]), np.array([0.5, 2.0])
    loc.attach_grad()
    scale.attach_grad()
    with autograd.record():
        y = np.random.normal(loc, scale, size=(3, 2))
    y.backward()
    eps = (y.asnumpy() - loc.asnumpy()) / scale.asnumpy()
    assert_allclose(loc.grad, [3.0, 3.0])
    assert_allclose(scale.grad, eps.sum(0), rtol=1e-5)


def test_uniform_and_gamma_have_no_gradient():
    low = np.array([0.0, 1.0])
    low.attach_grad()
    with autograd.record():
        y = (np.random.uniform(low, 2.0) + np.random.gamma(low + 1.0)).sum() + low.sum()
    y.backward()
    assert_allclose(low.grad, [1.0, 1.0])  # only the direct term: MXNet's draws give zeros


def test_legacy_negative_binomials_match_their_moments():
    # MXNet 1.9.1 (mxref): float32, shape (1,) by default, param.shape + shape for arrays;
    # p=1 (the default) draws zeros
    mx.random.seed(3)
    n = 200000
    a = mx.random.negative_binomial(k=3, p=0.4, shape=(n,)).asnumpy()
    assert a.dtype == onp.float32 and (a == onp.round(a)).all() and (a >= 0).all()
    assert abs(a.mean() - 4.5) < 0.05 and abs(a.var() - 4.5 / 0.4) < 0.3  # k(1-p)/p, k(1-p)/p^2
    b = mx.random.generalized_negative_binomial(mu=2.0, alpha=0.5, shape=(n,)).asnumpy()
    assert abs(b.mean() - 2.0) < 0.03 and abs(b.var() - 4.0) < 0.15  # mu, mu + alpha mu^2
    assert mx.random.negative_binomial().shape == (1,)
    assert mx.random.negative_binomial(p=1.0, shape=(3,)).asnumpy().tolist() == [0, 0, 0]
    k, p = np.array([1.0, 2.0]), np.array([0.5, 0.5])
    assert mx.random.negative_binomial(k=k, p=p, shape=3).shape == (2, 3)


@pytest.mark.parametrize("numpy_face", [False, True])
def test_mx_random_samplers_give_ndarrays_in_both_faces(numpy_face):
    # MXNet 1.9.1 (mxref): mx.random is mx.nd.random, NDArray results after npx.set_np() too
    from mxnp.ndarray import NDArray

    if numpy_face:
        npx.set_np()
    draws = [mx.random.uniform(shape=(2,)), mx.random.normal(shape=(2,)),
             mx.random.randint(0, 5, shape=(2,)), mx.random.exponential(shape=(2,)),
             mx.random.shuffle(mx.nd.array([1, 2]))]
    assert [type(d) for d in draws] == [NDArray] * len(draws)
    assert draws[2].dtype == onp.int32 and mx.random.uniform().shape == (1,)


def test_foreign_engines_answer_every_call_the_ops_make():
    # a GPU's engines (CuPy's generator) answer what MXNet's CPU engines answer; here NumPy's
    from mxnp import _rng
    engines = _rng.Engines.foreign(onp.random.default_rng(0), 5)
    for stream in (engines.sequential, engines.parallel):
        assert stream.uniform(4).dtype == onp.float32 and stream.normal(3).shape == (3,)
        assert stream.bits(2, 2).shape == (4,)
    assert (engines.sequential.below(onp.array([1, 2, 3])) < [1, 2, 3]).all()
    lanes = engines.parallel.lanes(100)
    assert lanes.uniform(onp.arange(2)).shape == (2,)
    lanes.close()
