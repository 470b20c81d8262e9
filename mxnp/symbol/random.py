"""``mx.sym.random``: MXNet's random operators (registered as ``_random_<name>``) as Symbol-making
functions, by their short name."""
from __future__ import annotations

from ._functions import namespace_getattr

__getattr__ = namespace_getattr("random", "_random_")
