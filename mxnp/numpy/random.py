"""``np.random``: MXNet's samplers (float32 by default, int64 for integer draws).

``seed`` is not in MXNet 1.9.1's ``np.random``; it is here because NumPy code calls it.
"""
from __future__ import annotations

from .._ops.random import (
    beta,
    chisquare,
    exponential,
    gamma,
    gumbel,
    logistic,
    lognormal,
    normal,
    pareto,
    power,
    rand,
    randn,
    rayleigh,
    seed,
    uniform,
    weibull,
)
from .._ops.sampling import choice, multinomial, multivariate_normal, randint, shuffle

__all__ = ["beta", "chisquare", "choice", "exponential", "gamma", "gumbel", "logistic",
           "lognormal", "multinomial", "multivariate_normal", "normal", "pareto", "power", "rand",
           "randint", "randn", "rayleigh", "seed", "shuffle", "uniform", "weibull"]
