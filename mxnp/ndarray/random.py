"""``mx.nd.random``: MXNet 1.x's samplers. Numbers give ``shape`` draws; arrays of parameters
give ``param.shape + shape`` draws (``shape`` draws per parameter entry), float32 by default.
The ``random_*``/``sample_*`` operators of ``mx.nd`` are these same functions.
"""
from __future__ import annotations

from .. import numpy as np
from .._ndarray import ndarray
from .._ops import legacy as _legacy
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

_F32 = "float32"


def _shape(shape):
    if shape is None or shape == ():
        return ()
    return (shape,) if isinstance(shape, int) else tuple(shape)


def _per_entry(params, shape):
    """The parameters reshaped so each entry broadcasts over ``shape``, and the output size."""
    arrays = [p for p in params if isinstance(p, ndarray)]
    if not arrays:
        return params, shape or (1,)
    base = arrays[0].shape
    tail = (1,) * len(shape)
    out = tuple(np.reshape(p, p.shape + tail) if isinstance(p, ndarray) else p for p in params)
    return out, base + shape


@legacy_op("_random_uniform", inputs=(), aliases=("random_uniform", "uniform"))
def uniform(low=0.0, high=1.0, shape=None, dtype=None, ctx=None):
    """Uniform draws on [low, high)."""
    (low, high), size = _per_entry((low, high), _shape(shape))
    return np.random.uniform(low, high, size=size, dtype=dtype or _F32, ctx=ctx)


@legacy_op("_random_normal", inputs=(), aliases=("random_normal", "normal"))
def normal(loc=0.0, scale=1.0, shape=None, dtype=None, ctx=None):
    """Normal draws of mean ``loc`` and standard deviation ``scale``."""
    (loc, scale), size = _per_entry((loc, scale), _shape(shape))
    return np.random.normal(loc, scale, size=size, dtype=dtype or _F32, ctx=ctx)


def randn(*shape, loc=0.0, scale=1.0, dtype=None, ctx=None, **kwargs):
    """Normal draws of the shape given as positional sizes."""
    return normal(loc, scale, shape=shape or (1,), dtype=dtype, ctx=ctx)


@legacy_op("_random_randint", inputs=(), aliases=("random_randint",))
def randint(low, high, shape=None, dtype=None, ctx=None):
    """Integer draws on [low, high), int32 by default."""
    return np.random.randint(low, high, size=_shape(shape) or (1,), dtype=dtype or "int32",
                             ctx=ctx)


@legacy_op("_random_gamma", inputs=(), aliases=("random_gamma",))
def gamma(alpha=1.0, beta=1.0, shape=None, dtype=None, ctx=None):
    """Gamma draws of shape ``alpha`` and scale ``beta``."""
    (alpha, beta), size = _per_entry((alpha, beta), _shape(shape))
    return np.random.gamma(alpha, beta, size=size, dtype=dtype or _F32, ctx=ctx)


@legacy_op("_random_exponential", inputs=(), aliases=("random_exponential",))
def exponential(scale=1.0, shape=None, dtype=None, ctx=None):
    """Exponential draws of mean ``scale``."""
    (scale,), size = _per_entry((scale,), _shape(shape))
    out = np.random.exponential(scale, size=size, ctx=ctx)
    return out if dtype in (None, _F32) else out.astype(dtype)


@legacy_op("_random_poisson", inputs=(), aliases=("random_poisson",))
def poisson(lam=1.0, shape=None, dtype=None, ctx=None):
    """Poisson draws of rate ``lam`` (as floats, like MXNet)."""
    (lam,), size = _per_entry((lam,), _shape(shape))
    return _legacy.poisson(lam, size, dtype or _F32, ctx)


@legacy_op("_random_negative_binomial", inputs=(),
           aliases=("random_negative_binomial",))
def negative_binomial(k=1, p=1.0, shape=None, dtype=None, ctx=None):
    """Failures before the k-th success with success probability p."""
    (k, p), size = _per_entry((k, p), _shape(shape))
    return _legacy.negative_binomial(k, p, size, dtype or _F32, ctx)


@legacy_op("_random_generalized_negative_binomial", inputs=(),
           aliases=("random_generalized_negative_binomial",))
def generalized_negative_binomial(mu=1.0, alpha=1.0, shape=None, dtype=None, ctx=None):
    """Negative binomial draws by mean ``mu`` and dispersion ``alpha``."""
    (mu, alpha), size = _per_entry((mu, alpha), _shape(shape))
    return _legacy.generalized_negative_binomial(mu, alpha, size, dtype or _F32, ctx)


def _multinomial_outputs(attrs):
    return 2 if attrs.get("get_prob") else 1


@legacy_op("_sample_multinomial", aliases=("sample_multinomial",),
           num_outputs=_multinomial_outputs)
def multinomial(data, shape=None, get_prob=False, dtype="int32"):
    """Category indices drawn from the probabilities on ``data``'s last axis; ``get_prob``
    adds their log-probabilities (differentiable in ``data``).
    """
    shape = _shape(shape)
    batch = data.shape[:-1]
    u = np.random.uniform(size=batch + (shape or (1,)) + (1,), ctx=data.context)
    cdf = np.cumsum(data, axis=-1).detach()
    cdf = np.reshape(cdf, batch + (1,) * len(shape or (1,)) + data.shape[-1:])
    idx = np.minimum(np.sum(cdf < u, axis=-1), data.shape[-1] - 1)
    if not shape:
        idx = np.reshape(idx, batch or (1,))
    samples = idx.astype(dtype)
    if not get_prob:
        return samples
    flat = np.reshape(data, (-1, data.shape[-1]))
    picked = np.take_along_axis(flat, np.reshape(idx, (flat.shape[0], -1)), axis=-1)
    return [samples, np.reshape(np.log(picked), idx.shape)]


@legacy_op("_shuffle", aliases=("shuffle",))
def shuffle(data):
    """A copy with the rows (axis 0) in a random order."""
    order = np.argsort(np.random.uniform(size=(data.shape[0],), ctx=data.context))
    return np.take(data, order, axis=0)


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
