"""``mx.sym._internal``: MXNet's internal operators (``_plus_scalar``,
``_identity_with_attr_like_rhs`` ...) as Symbol-making functions, by name."""
from __future__ import annotations

from . import _opdefs
from ._functions import op_function


def __getattr__(name: str):
    if name.startswith("__") or _opdefs.find(name) is None:
        raise AttributeError(f"module 'mxnp.symbol._internal' has no attribute {name!r}")
    fn = globals()[name] = op_function(name)
    return fn
