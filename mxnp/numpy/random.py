"""``np.random``: MXNet's samplers (float32 by default, int64 for integer draws).

``seed`` is not in MXNet 1.9.1's ``np.random``; it is here because NumPy code calls it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .. import _lazy
from .._ops.random.distributions import (
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

# the samplers built on draws without replacement and on distributions of vectors load on
# first use
_LAZY = {
    "choice": ("mxnp._ops.random.sampling", "choice"),
    "multinomial": ("mxnp._ops.random.sampling", "multinomial"),
    "multivariate_normal": ("mxnp._ops.random.sampling", "multivariate_normal"),
    "randint": ("mxnp._ops.random.sampling", "randint"),
    "shuffle": ("mxnp._ops.random.sampling", "shuffle"),
}
__getattr__, __dir__ = _lazy.names(globals(), _LAZY)
if TYPE_CHECKING:  # what static tools and IDEs read: the names _LAZY resolves to
    from .._ops.random.sampling import (  # noqa: F401
        choice,
        multinomial,
        multivariate_normal,
        randint,
        shuffle,
    )

__all__ = ["beta", "chisquare", "choice", "exponential", "gamma", "gumbel", "logistic",
           "lognormal", "multinomial", "multivariate_normal", "normal", "pareto", "power", "rand",
           "randint", "randn", "rayleigh", "seed", "shuffle", "uniform", "weibull"]
