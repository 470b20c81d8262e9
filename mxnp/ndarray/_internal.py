"""``mx.nd._internal``: MXNet's internal operators (``_plus_scalar``,
``_identity_with_attr_like_rhs`` ...) by name."""
from __future__ import annotations

from . import _registry


def __getattr__(name: str):
    row = None if name.startswith("__") else _registry.OPS.get(name)
    if row is None:
        raise AttributeError(f"module 'mxnp.ndarray._internal' has no attribute {name!r}")
    return row.fn
