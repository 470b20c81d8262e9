"""``npx.random``: MXNet's extra samplers and the seed."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .. import _lazy
from .._ops.random.distributions import seed

_LAZY = {  # loaded on first use
    "bernoulli": ("mxnp._ops.random.sampling", "bernoulli"),
    "normal_n": ("mxnp._ops.random.sampling", "normal_n"),
    "uniform_n": ("mxnp._ops.random.sampling", "uniform_n"),
}
__getattr__, __dir__ = _lazy.names(globals(), _LAZY)
if TYPE_CHECKING:  # what static tools and IDEs read: the names _LAZY resolves to
    from .._ops.random.sampling import bernoulli, normal_n, uniform_n  # noqa: F401

__all__ = ["bernoulli", "normal_n", "seed", "uniform_n"]
