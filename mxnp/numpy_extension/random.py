"""``npx.random``: MXNet's extra samplers and the seed."""
from __future__ import annotations

from .. import _lazy
from .._ops.random.distributions import seed

_LAZY = {  # loaded on first use
    "bernoulli": ("mxnp._ops.random.sampling", "bernoulli"),
    "normal_n": ("mxnp._ops.random.sampling", "normal_n"),
    "uniform_n": ("mxnp._ops.random.sampling", "uniform_n"),
}
__getattr__, __dir__ = _lazy.names(globals(), _LAZY)

__all__ = ["bernoulli", "normal_n", "seed", "uniform_n"]
