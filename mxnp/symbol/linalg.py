"""``mx.sym.linalg``: MXNet's linalg operators (registered as ``_linalg_<name>``) as Symbol-making
functions, by their short name."""
from __future__ import annotations

from ._functions import namespace_dir, namespace_getattr

__getattr__ = namespace_getattr("linalg", "_linalg_")
__dir__ = namespace_dir("linalg", "_linalg_", globals())
