"""``mx.sym.random``: MXNet's random operators (registered as ``_random_<name>``) as Symbol-making
functions, by their short name, and the few whose node has another name."""
from __future__ import annotations

from ._functions import namespace_getattr, op_function

__getattr__ = namespace_getattr("random", "_random_")


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
