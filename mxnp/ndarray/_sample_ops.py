"""MXNet 1.x's sampling operators, the forms ``-symbol.json`` files and ``mx.nd.random_*`` /
``mx.nd.sample_*`` name: ``_random_*`` take numbers (``ctx`` before ``dtype``), ``_sample_*``
take arrays of parameters (``param.shape + shape`` draws), ``_random_*_like`` draw in another
array's shape. Exponential and Poisson rates are ``lam`` here (``mx.nd.random.exponential``
takes a scale). The draws themselves are ``mx.random``'s.
"""
from __future__ import annotations

from .. import _legacy_random as _random
from ._define import legacy_op

__all__ = [
    "exponential_like",
    "gamma_like",
    "generalized_negative_binomial_like",
    "negative_binomial_like",
    "normal_like",
    "poisson_like",
    "random_exponential",
    "random_gamma",
    "random_generalized_negative_binomial",
    "random_negative_binomial",
    "random_normal",
    "random_poisson",
    "random_randint",
    "random_uniform",
    "sample_exponential",
    "sample_gamma",
    "sample_generalized_negative_binomial",
    "sample_negative_binomial",
    "sample_normal",
    "sample_poisson",
    "sample_uniform",
    "uniform_like",
]


@legacy_op("_random_uniform", inputs=(), aliases=("random_uniform", "uniform"))
def random_uniform(low=0.0, high=1.0, shape=None, ctx=None, dtype=None):
    """Uniform draws on [low, high)."""
    return _random.uniform(low, high, shape, dtype, ctx)


@legacy_op("_random_normal", inputs=(), aliases=("random_normal", "normal"))
def random_normal(loc=0.0, scale=1.0, shape=None, ctx=None, dtype=None):
    """Normal draws of mean ``loc`` and standard deviation ``scale``."""
    return _random.normal(loc, scale, shape, dtype, ctx)


@legacy_op("_random_randint", inputs=(), aliases=("random_randint",))
def random_randint(low, high, shape=None, ctx=None, dtype=None):
    """Integer draws on [low, high), int32 by default."""
    return _random.randint(low, high, shape, dtype, ctx)


@legacy_op("_random_gamma", inputs=(), aliases=("random_gamma",))
def random_gamma(alpha=1.0, beta=1.0, shape=None, ctx=None, dtype=None):
    """Gamma draws of shape ``alpha`` and scale ``beta``."""
    return _random.gamma(alpha, beta, shape, dtype, ctx)


@legacy_op("_random_exponential", inputs=(), aliases=("random_exponential",))
def random_exponential(lam=1.0, shape=None, ctx=None, dtype=None):
    """Exponential draws of rate ``lam`` (mean 1 / lam)."""
    return _random.exponential(1.0 / lam, shape, dtype, ctx)


@legacy_op("_random_poisson", inputs=(), aliases=("random_poisson",))
def random_poisson(lam=1.0, shape=None, ctx=None, dtype=None):
    """Poisson draws of rate ``lam`` (as floats)."""
    return _random.poisson(lam, shape, dtype, ctx)


@legacy_op("_random_negative_binomial", inputs=(), aliases=("random_negative_binomial",))
def random_negative_binomial(k=1, p=1.0, shape=None, ctx=None, dtype=None):
    """Failures before the k-th success, success probability p."""
    return _random.negative_binomial(k, p, shape, dtype, ctx)


@legacy_op("_random_generalized_negative_binomial", inputs=(),
           aliases=("random_generalized_negative_binomial",))
def random_generalized_negative_binomial(mu=1.0, alpha=1.0, shape=None, ctx=None, dtype=None):
    """Negative binomial draws of mean ``mu`` and dispersion ``alpha``."""
    return _random.generalized_negative_binomial(mu, alpha, shape, dtype, ctx)


@legacy_op("_sample_uniform", ("low", "high"), aliases=("sample_uniform",))
def sample_uniform(low, high, shape=None, dtype=None):
    """Uniform draws per entry of the ``low``/``high`` arrays."""
    return _random.uniform(low, high, shape, dtype)


@legacy_op("_sample_normal", ("mu", "sigma"), aliases=("sample_normal",))
def sample_normal(mu, sigma, shape=None, dtype=None):
    """Normal draws per entry of the ``mu``/``sigma`` arrays."""
    return _random.normal(mu, sigma, shape, dtype)


@legacy_op("_sample_gamma", ("alpha", "beta"), aliases=("sample_gamma",))
def sample_gamma(alpha, beta, shape=None, dtype=None):
    """Gamma draws per entry of the ``alpha`` (shape) / ``beta`` (scale) arrays."""
    return _random.gamma(alpha, beta, shape, dtype)


@legacy_op("_sample_exponential", ("lam",), aliases=("sample_exponential",))
def sample_exponential(lam, shape=None, dtype=None):
    """Exponential draws per entry of the rate array ``lam``."""
    return _random.exponential(1.0 / lam, shape, dtype)


@legacy_op("_sample_poisson", ("lam",), aliases=("sample_poisson",))
def sample_poisson(lam, shape=None, dtype=None):
    """Poisson draws per entry of the rate array ``lam``."""
    return _random.poisson(lam, shape, dtype)


@legacy_op("_sample_negative_binomial", ("k", "p"), aliases=("sample_negative_binomial",))
def sample_negative_binomial(k, p, shape=None, dtype=None):
    """Negative binomial draws per entry of the ``k``/``p`` arrays."""
    return _random.negative_binomial(k, p, shape, dtype)


@legacy_op("_sample_generalized_negative_binomial", ("mu", "alpha"),
           aliases=("sample_generalized_negative_binomial",))
def sample_generalized_negative_binomial(mu, alpha, shape=None, dtype=None):
    """Negative binomial draws per entry of the ``mu``/``alpha`` arrays."""
    return _random.generalized_negative_binomial(mu, alpha, shape, dtype)


@legacy_op("_random_uniform_like")
def uniform_like(data, low=0.0, high=1.0):
    """Uniform draws in ``data``'s shape, dtype and context."""
    return _random.uniform(low, high, data.shape, data.dtype, data.context)


@legacy_op("_random_normal_like")
def normal_like(data, loc=0.0, scale=1.0):
    """Normal draws in ``data``'s shape, dtype and context."""
    return _random.normal(loc, scale, data.shape, data.dtype, data.context)


@legacy_op("_random_gamma_like")
def gamma_like(data, alpha=1.0, beta=1.0):
    """Gamma draws in ``data``'s shape, dtype and context."""
    return _random.gamma(alpha, beta, data.shape, data.dtype, data.context)


@legacy_op("_random_exponential_like")
def exponential_like(data, lam=1.0):
    """Exponential draws of rate ``lam`` in ``data``'s shape, dtype and context."""
    return _random.exponential(1.0 / lam, data.shape, data.dtype, data.context)


@legacy_op("_random_poisson_like")
def poisson_like(data, lam=1.0):
    """Poisson draws in ``data``'s shape, dtype and context."""
    return _random.poisson(lam, data.shape, data.dtype, data.context)


@legacy_op("_random_negative_binomial_like")
def negative_binomial_like(data, k=1, p=1.0):
    """Negative binomial draws in ``data``'s shape, dtype and context."""
    return _random.negative_binomial(k, p, data.shape, data.dtype, data.context)


@legacy_op("_random_generalized_negative_binomial_like")
def generalized_negative_binomial_like(data, mu=1.0, alpha=1.0):
    """Generalized negative binomial draws in ``data``'s shape, dtype and context."""
    return _random.generalized_negative_binomial(mu, alpha, data.shape, data.dtype,
                                                 data.context)
