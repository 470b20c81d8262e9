"""``mx.sym.random``: MXNet's random operators (registered as ``_random_<name>``) as Symbol-making
functions, by their short name, and the few whose node has another name."""
from __future__ import annotations

import numbers

from ._functions import namespace_dir, namespace_getattr, op_function
from .symbol import Symbol

__getattr__ = namespace_getattr("random", "_random_")
__dir__ = namespace_dir("random", "_random_", globals())


def _random_helper(name: str, params: list, shape, dtype, kwargs: dict):
    """MXNet's dispatch: distribution parameters that are all Symbols make a ``_sample_<name>``
    node over them (one draw set per parameter entry), numbers a ``_random_<name>`` node."""
    if shape is not None:
        kwargs["shape"] = shape
    if dtype is not None:
        kwargs["dtype"] = dtype
    if isinstance(params[0], Symbol):
        for p in params[1:]:
            assert isinstance(p, Symbol), ("Distribution parameters must all have the same "
                                           f"type, but got both {type(params[0])} and {type(p)}.")
        return op_function(f"_sample_{name}")(*params, **kwargs)
    if isinstance(params[0], numbers.Number):
        for p in params[1:]:
            assert isinstance(p, numbers.Number), (
                "Distribution parameters must all have the same type, but got both "
                f"{type(params[0])} and {type(p)}.")
        names = _PARAMS[name]
        return op_function(f"_random_{name}")(**dict(zip(names, params)), **kwargs)
    raise ValueError("Distribution parameters must be either Symbol or numbers, but got "
                     f"{type(params[0])}.")


# the operators' parameter names, in MXNet's order
_PARAMS = {"uniform": ("low", "high"), "normal": ("loc", "scale"), "poisson": ("lam",),
           "exponential": ("lam",), "gamma": ("alpha", "beta"),
           "negative_binomial": ("k", "p"), "generalized_negative_binomial": ("mu", "alpha"),
           "randint": ("low", "high")}


def uniform(low=0, high=1, shape=None, dtype=None, **kwargs):
    """Uniform draws on [low, high): a ``_random_uniform`` node, or ``_sample_uniform`` when
    ``low`` and ``high`` are Symbols."""
    return _random_helper("uniform", [low, high], shape, dtype, kwargs)


def normal(loc=0, scale=1, shape=None, dtype=None, **kwargs):
    """Normal draws N(loc, scale**2) (``_random_normal``, or ``_sample_normal`` on Symbols)."""
    return _random_helper("normal", [loc, scale], shape, dtype, kwargs)


def poisson(lam=1, shape=None, dtype=None, **kwargs):
    """Poisson draws of rate ``lam`` (``_random_poisson``, or ``_sample_poisson``)."""
    return _random_helper("poisson", [lam], shape, dtype, kwargs)


def exponential(scale=1, shape=None, dtype=None, **kwargs):
    """Exponential draws of mean ``scale``: the operators take the rate ``1/scale`` (on a
    Symbol a ``_rdivscalar`` node, as MXNet writes it)."""
    return _random_helper("exponential", [1.0 / scale], shape, dtype, kwargs)


def gamma(alpha=1, beta=1, shape=None, dtype=None, **kwargs):
    """Gamma draws of shape ``alpha`` and scale ``beta``."""
    return _random_helper("gamma", [alpha, beta], shape, dtype, kwargs)


def negative_binomial(k=1, p=1, shape=None, dtype=None, **kwargs):
    """Negative binomial draws: failures before ``k`` successes of probability ``p``."""
    return _random_helper("negative_binomial", [k, p], shape, dtype, kwargs)


def generalized_negative_binomial(mu=1, alpha=1, shape=None, dtype=None, **kwargs):
    """Generalized negative binomial draws of mean ``mu`` and dispersion ``alpha``."""
    return _random_helper("generalized_negative_binomial", [mu, alpha], shape, dtype, kwargs)


def randint(low, high, shape=None, dtype=None, **kwargs):
    """Integer draws on [low, high) (``_random_randint``; MXNet has no Symbol form)."""
    if isinstance(low, Symbol) or isinstance(high, Symbol):
        raise TypeError("mx.sym.random.randint: low and high must be numbers (MXNet has no "
                        "sampling operator for Symbol bounds)")
    return _random_helper("randint", [low, high], shape, dtype, kwargs)


def randn(*shape, loc=0, scale=1, dtype=None, **kwargs):
    """A ``_random_normal`` node of the given shape (N(loc, scale**2) draws)."""
    if dtype is not None:
        kwargs["dtype"] = dtype
    return op_function("_random_normal")(loc=loc, scale=scale, shape=shape, **kwargs)


def shuffle(data, **kwargs):
    """A ``_shuffle`` node: ``data``'s rows in a random order."""
    return op_function("_shuffle")(data, **kwargs)


def multinomial(data, shape=None, get_prob=True, dtype="int32", **kwargs):
    """A ``_sample_multinomial`` node: category draws from the probability rows of ``data``
    (and their log-probabilities as a second output with ``get_prob``, MXNet's default
    here)."""
    if shape is not None:
        kwargs["shape"] = shape
    return op_function("_sample_multinomial")(data, get_prob=get_prob, dtype=dtype, **kwargs)
