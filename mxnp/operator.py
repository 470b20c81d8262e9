"""``mxnet.operator``: the names of the registered operators.

MXNet registers its operators in C++ and custom operators (``CustomOp``) in Python; mxnp's
operators are the Primitives of ``mxnp/_ops`` (NumPy's names, such as ``sum`` or ``relu``), and
custom operators are written as ``autograd.Function`` instead.
"""
from __future__ import annotations

from ._ops.primitive import OPS

__all__ = ["get_all_registered_operators"]


def get_all_registered_operators() -> list:
    """The names of all registered operators, sorted (mxnp's Primitives by their names)."""
    return sorted(OPS)
