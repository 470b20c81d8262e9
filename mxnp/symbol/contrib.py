"""``mx.sym.contrib``: MXNet's contrib operators (registered as ``_contrib_<name>``) as Symbol-making
functions, by their short name, and the control flow (``foreach``, ``while_loop``, ``cond``)."""
from __future__ import annotations

from ._control_flow import cond, foreach, while_loop
from ._functions import namespace_dir, namespace_getattr

__all__ = ["cond", "foreach", "while_loop"]

__getattr__ = namespace_getattr("contrib", "_contrib_")
__dir__ = namespace_dir("contrib", "_contrib_", globals())
