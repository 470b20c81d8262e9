"""``mx.nd.random``: MXNet 1.x's samplers with NDArray results. Numbers give ``shape`` draws
(shape (1,) without one); arrays of parameters give ``param.shape + shape`` draws. The draws
come from ``mxnp/_legacy_random.py``; the operator forms (``_random_*``, ``_sample_*``,
``*_like``) are in ``_sample_ops.py``.
"""
from __future__ import annotations

from .. import _legacy_random as _random
from .. import numpy as np
from ._define import legacy_op
from ._sample_ops import (
    exponential_like,
    gamma_like,
    generalized_negative_binomial_like,
    negative_binomial_like,
    normal_like,
    poisson_like,
    uniform_like,
)
from .ndarray import to_nd

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


def uniform(low=0, high=1, shape=None, dtype=None, ctx=None, out=None, **kwargs):
    """Uniform draws on [low, high)."""
    return to_nd(_random.uniform(low, high, shape, dtype, ctx, out), (out,))


def normal(loc=0, scale=1, shape=None, dtype=None, ctx=None, out=None, **kwargs):
    """Normal draws of mean ``loc`` and standard deviation ``scale``."""
    return to_nd(_random.normal(loc, scale, shape, dtype, ctx, out), (out,))


def randn(*shape, loc=0, scale=1, dtype=None, ctx=None, out=None, **kwargs):
    """Normal draws of the shape given as positional sizes."""
    return normal(loc, scale, shape or None, dtype, ctx, out)


def randint(low, high, shape=None, dtype=None, ctx=None, out=None, **kwargs):
    """Integer draws on [low, high), int32 by default."""
    return to_nd(_random.randint(low, high, shape, dtype, ctx, out), (out,))


def gamma(alpha=1, beta=1, shape=None, dtype=None, ctx=None, out=None, **kwargs):
    """Gamma draws of shape ``alpha`` and scale ``beta``."""
    return to_nd(_random.gamma(alpha, beta, shape, dtype, ctx, out), (out,))


def exponential(scale=1, shape=None, dtype=None, ctx=None, out=None, **kwargs):
    """Exponential draws of mean ``scale``."""
    return to_nd(_random.exponential(scale, shape, dtype, ctx, out), (out,))


def poisson(lam=1, shape=None, dtype=None, ctx=None, out=None, **kwargs):
    """Poisson draws of rate ``lam`` (as floats, like MXNet)."""
    return to_nd(_random.poisson(lam, shape, dtype, ctx, out), (out,))


def negative_binomial(k=1, p=1, shape=None, dtype=None, ctx=None, out=None, **kwargs):
    """Failures before the k-th success with success probability p."""
    return to_nd(_random.negative_binomial(k, p, shape, dtype, ctx, out), (out,))


def generalized_negative_binomial(mu=1, alpha=1, shape=None, dtype=None, ctx=None, out=None,
                                  **kwargs):
    """Negative binomial draws by mean ``mu`` and dispersion ``alpha``."""
    return to_nd(_random.generalized_negative_binomial(mu, alpha, shape, dtype, ctx, out),
                 (out,))


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
