"""MXNet 1.x's samplers (``shape=`` where np.random has ``size=``) on mxnp ndarrays: what
``mx.nd.random`` and ``mx.random`` hand out as NDArrays. As in MXNet, scalar parameters with no
shape give shape (1,), and array parameters (all of one shape) give ``param.shape + shape``.
``uniform``, ``normal`` and ``randint`` draw from the parallel engines as MXNet's kernels do
(``_ops/random/parallel.py``), so on a CPU their values are MXNet's.
"""
from __future__ import annotations

from ._ndarray import ndarray
from ._ops.random import distributions as _random
from ._ops.random import parallel as _parallel
from ._ops.random import sampling as _sampling
from ._ops.random.distributions import seed as _seed

__all__ = ["exponential", "gamma", "generalized_negative_binomial", "multinomial",
           "negative_binomial", "normal", "poisson", "randint", "randn", "seed", "shuffle",
           "uniform"]


def _legacy(params, shape):
    """The parameters and the size for a legacy call."""
    shapes = {p.shape for p in params if isinstance(p, ndarray)}
    if not shapes:
        return params, (1,) if shape is None else shape
    if len(shapes) > 1:
        raise ValueError(f"mx.random: array parameters must share one shape, got {shapes}")
    extra = () if shape is None else ((shape,) if isinstance(shape, int) else tuple(shape))
    pshape = shapes.pop()
    params = [p.reshape(pshape + (1,) * len(extra)) if isinstance(p, ndarray) else p
              for p in params]
    return params, pshape + extra


def seed(seed_state, ctx="all") -> None:
    """Reseed the generators (all devices, or ``ctx``'s)."""
    _seed(seed_state, ctx)


def _dtype(name, dtype):
    """``dtype``, float32 by default (whatever the parameters' dtype, as MXNet)."""
    return _random._float_dtype(name, "float32" if dtype is None else dtype)


def uniform(low=0, high=1, shape=None, dtype=None, ctx=None, out=None, **kwargs):
    """Uniform draws on [low, high) (MXNet's parallel engines)."""
    (low, high), size = _legacy(_random._params("uniform", low, high), shape)
    dev = _random._place("uniform", ctx, None, (low, high))
    result = _parallel.uniform(low, high, size, _dtype("uniform", dtype), dev)
    return _sampling.write_out(result, out)


def normal(loc=0, scale=1, shape=None, dtype=None, ctx=None, out=None, **kwargs):
    """Normal draws of mean ``loc`` and standard deviation ``scale`` (MXNet's parallel
    engines)."""
    (loc, scale), size = _legacy(_random._params("normal", loc, scale), shape)
    _random._check("normal", "scale", scale, lambda v: v < 0, ">= 0")
    dev = _random._place("normal", ctx, None, (loc, scale))
    result = _parallel.normal(loc, scale, size, _dtype("normal", dtype), dev)
    return _sampling.write_out(result, out)


def randn(*shape, **kwargs):
    """Standard normal draws of shape ``shape`` (keywords as ``normal``'s)."""
    return normal(shape=shape or None, **kwargs)


def randint(low, high, shape=None, dtype=None, ctx=None, out=None, **kwargs):
    """Differs from np.random.randint: int32 by default, as MXNet's legacy op."""
    size = (1,) if shape is None else shape
    return _sampling.randint(low, high, size, dtype or "int32", ctx, out)


def exponential(scale=1, shape=None, dtype=None, ctx=None, out=None, **kwargs):
    """Exponential draws of mean ``scale`` (MXNet's parallel engines, at rate 1 / scale)."""
    (scale,), size = _legacy(_random._params("exponential", scale), shape)
    dev = _random._place("exponential", ctx, None, (scale,))
    result = _parallel.exponential(1.0 / scale, size, _dtype("exponential", dtype), dev)
    return _sampling.write_out(result, out)


def gamma(alpha=1, beta=1, shape=None, dtype=None, ctx=None, out=None, **kwargs):
    """Gamma draws of shape ``alpha`` and scale ``beta`` (MXNet's parallel engines)."""
    (alpha, beta), size = _legacy(_random._params("gamma", alpha, beta), shape)
    _random._check("gamma", "alpha", alpha, lambda v: v <= 0, "> 0")
    _random._check("gamma", "beta", beta, lambda v: v <= 0, "> 0")
    return _parallel_draw(_parallel.gamma, "gamma", (alpha, beta), size, dtype, ctx, out)


def poisson(lam=1, shape=None, dtype=None, ctx=None, out=None, **kwargs):
    """Poisson counts of rate ``lam``, as floats (MXNet's parallel engines)."""
    (lam,), size = _legacy(_random._params("poisson", lam), shape)
    _random._check("poisson", "lam", lam, lambda v: v < 0, ">= 0")
    return _parallel_draw(_parallel.poisson, "poisson", (lam,), size, dtype, ctx, out)


def negative_binomial(k=1, p=1, shape=None, dtype=None, ctx=None, out=None, **kwargs):
    """Failures before the k-th success, success probability ``p`` (float32 by default)."""
    (k, p), size = _legacy(_random._params("negative_binomial", k, p), shape)
    return _parallel_draw(_parallel.negative_binomial, "negative_binomial", (k, p), size,
                          dtype, ctx, out)


def generalized_negative_binomial(mu=1, alpha=1, shape=None, dtype=None, ctx=None, out=None,
                                  **kwargs):
    """Negative binomial draws of mean ``mu`` and variance mu + alpha mu^2 (float32 by
    default)."""
    (mu, alpha), size = _legacy(_random._params("generalized_negative_binomial", mu, alpha),
                                shape)
    return _parallel_draw(_parallel.generalized_negative_binomial,
                          "generalized_negative_binomial", (mu, alpha), size, dtype, ctx, out)


def _parallel_draw(sampler, name, params, size, dtype, ctx, out):
    dev = _random._place(name, ctx, None, params)
    return _sampling.write_out(sampler(*params, size, _dtype(name, dtype), dev), out)


def multinomial(data, shape=None, get_prob=False, out=None, dtype="int32", **kwargs):
    """Indices drawn from each row of ``data``, int32 by default; ``get_prob`` adds log p."""
    result = _sampling.categorical(data, () if shape is None else shape, get_prob, dtype)
    return result if get_prob else _sampling.write_out(result, out)


def shuffle(data, **kwargs):
    """A copy of ``data`` with its first axis shuffled (unlike np.random.shuffle)."""
    out = data.copy()
    _sampling.shuffle(out)
    return out
