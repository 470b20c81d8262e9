"""``npx.random``: MXNet's extra samplers and the seed."""
from __future__ import annotations

from .._ops.random import seed
from .._ops.sampling import bernoulli, normal_n, uniform_n

__all__ = ["bernoulli", "normal_n", "seed", "uniform_n"]
