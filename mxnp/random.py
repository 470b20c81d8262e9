"""``mxnet.random``: MXNet 1.x's samplers, ``mx.nd.random``'s: their results are NDArrays, in
numpy mode too (as in MXNet); ``seed`` reseeds every generator.
"""
from __future__ import annotations

from ._legacy_random import seed
from .ndarray.random import (
    exponential,
    gamma,
    generalized_negative_binomial,
    multinomial,
    negative_binomial,
    normal,
    poisson,
    randint,
    randn,
    shuffle,
    uniform,
)

__all__ = ["exponential", "gamma", "generalized_negative_binomial", "multinomial",
           "negative_binomial", "normal", "poisson", "randint", "randn", "seed", "shuffle",
           "uniform"]
