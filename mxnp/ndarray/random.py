"""``mx.nd.random``: MXNet 1.x's samplers with NDArray results, one registry row each.

The draws are ``mx.random``'s (``mxnp/random.py``: numbers give ``shape`` draws, shape (1,)
without one; arrays of parameters give ``param.shape + shape``, ``shape`` draws per entry).
The ``random_*``/``sample_*`` operators of ``mx.nd`` are these same functions.
"""
from __future__ import annotations

from .. import numpy as np
from .. import random as _random
from ._define import legacy_op

__all__ = [
    "exponential",
    "exponential_like",
    "gamma",
    "gamma_like",
    "generalized_negative_binomial",
    "generalized_negative_binomial_like",
    "multinomial",
    "negative_binomial",
    "negative_binomial_like",
    "normal",
    "normal_like",
    "poisson",
    "poisson_like",
    "randint",
    "randn",
    "shuffle",
    "uniform",
    "uniform_like",
]


@legacy_op("_random_uniform", inputs=(), aliases=("random_uniform", "uniform"))
def uniform(low=0.0, high=1.0, shape=None, dtype=None, ctx=None):
    """Uniform draws on [low, high)."""
    return _random.uniform(low, high, shape, dtype, ctx)


@legacy_op("_random_normal", inputs=(), aliases=("random_normal", "normal"))
def normal(loc=0.0, scale=1.0, shape=None, dtype=None, ctx=None):
    """Normal draws of mean ``loc`` and standard deviation ``scale``."""
    return _random.normal(loc, scale, shape, dtype, ctx)


def randn(*shape, loc=0.0, scale=1.0, dtype=None, ctx=None, **kwargs):
    """Normal draws of the shape given as positional sizes."""
    return normal(loc, scale, shape=shape or None, dtype=dtype, ctx=ctx)


@legacy_op("_random_randint", inputs=(), aliases=("random_randint",))
def randint(low, high, shape=None, dtype=None, ctx=None):
    """Integer draws on [low, high), int32 by default."""
    return _random.randint(low, high, shape, dtype, ctx)


@legacy_op("_random_gamma", inputs=(), aliases=("random_gamma",))
def gamma(alpha=1.0, beta=1.0, shape=None, dtype=None, ctx=None):
    """Gamma draws of shape ``alpha`` and scale ``beta``."""
    return _random.gamma(alpha, beta, shape, dtype, ctx)


@legacy_op("_random_exponential", inputs=(), aliases=("random_exponential",))
def exponential(scale=1.0, shape=None, dtype=None, ctx=None):
    """Exponential draws of mean ``scale``."""
    return _random.exponential(scale, shape, dtype, ctx)


@legacy_op("_random_poisson", inputs=(), aliases=("random_poisson",))
def poisson(lam=1.0, shape=None, dtype=None, ctx=None):
    """Poisson draws of rate ``lam`` (as floats, like MXNet)."""
    return _random.poisson(lam, shape, dtype, ctx)


@legacy_op("_random_negative_binomial", inputs=(), aliases=("random_negative_binomial",))
def negative_binomial(k=1, p=1.0, shape=None, dtype=None, ctx=None):
    """Failures before the k-th success with success probability p."""
    return _random.negative_binomial(k, p, shape, dtype, ctx)


@legacy_op("_random_generalized_negative_binomial", inputs=(),
           aliases=("random_generalized_negative_binomial",))
def generalized_negative_binomial(mu=1.0, alpha=1.0, shape=None, dtype=None, ctx=None):
    """Negative binomial draws by mean ``mu`` and dispersion ``alpha``."""
    return _random.generalized_negative_binomial(mu, alpha, shape, dtype, ctx)


def _multinomial_outputs(attrs):
    return 2 if attrs.get("get_prob") else 1


@legacy_op("_sample_multinomial", aliases=("sample_multinomial",),
           num_outputs=_multinomial_outputs)
def multinomial(data, shape=None, get_prob=False, dtype="int32"):
    """Category indices drawn from the probabilities on ``data``'s last axis; ``get_prob``
    adds their log-probabilities, differentiable in ``data`` (for REINFORCE-style training,
    as MXNet's).
    """
    samples = _random.multinomial(data, shape, dtype=dtype)
    if samples.ndim == 0:  # one distribution, no shape: MXNet gives shape (1,)
        samples = np.reshape(samples, (1,))
    if not get_prob:
        return samples
    flat = np.reshape(data, (-1, data.shape[-1]))
    index = np.reshape(samples.astype("int64"), (flat.shape[0], -1))
    picked = np.take_along_axis(flat, index, axis=-1)
    return [samples, np.reshape(np.log(picked), samples.shape)]


@legacy_op("_shuffle", aliases=("shuffle",))
def shuffle(data):
    """A copy with the rows (axis 0) in a random order."""
    return _random.shuffle(data)


def _like(sampler, doc):
    def op(data, *args, **kwargs):
        return sampler(*args, shape=data.shape, dtype=kwargs.pop("dtype", data.dtype),
                       ctx=data.context, **kwargs)
    op.__doc__ = doc
    return op


uniform_like = legacy_op("_random_uniform_like")(
    _like(uniform, "Uniform draws of ``data``'s shape (low, high)."))
normal_like = legacy_op("_random_normal_like")(
    _like(normal, "Normal draws of ``data``'s shape (loc, scale)."))
gamma_like = legacy_op("_random_gamma_like")(
    _like(gamma, "Gamma draws of ``data``'s shape (alpha, beta)."))
exponential_like = legacy_op("_random_exponential_like")(
    _like(exponential, "Exponential draws of ``data``'s shape (scale)."))
poisson_like = legacy_op("_random_poisson_like")(
    _like(poisson, "Poisson draws of ``data``'s shape (lam)."))
negative_binomial_like = legacy_op("_random_negative_binomial_like")(
    _like(negative_binomial, "Negative binomial draws of ``data``'s shape (k, p)."))
generalized_negative_binomial_like = legacy_op("_random_generalized_negative_binomial_like")(
    _like(generalized_negative_binomial, "Generalized negative binomial draws of ``data``'s "
          "shape (mu, alpha)."))
