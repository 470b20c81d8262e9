"""``mx.sym.contrib``: MXNet's contrib operators (registered as ``_contrib_<name>``) as Symbol-making
functions, by their short name."""
from __future__ import annotations

from ._functions import namespace_getattr

__getattr__ = namespace_getattr("contrib", "_contrib_")
