"""``mxnet.numpy_op_signature``: from an operator's registered name to its public function.

MXNet registers its NumPy operators in C++ under names such as ``_np_sum``,
``_np_linalg_svd`` or ``_npx_relu`` and copies their signatures onto the Python functions at
import time. mxnp's functions are Python with real signatures, so only the name lookup remains.
"""
from __future__ import annotations

from . import numpy as mx_np
from . import numpy_extension as mx_npx

__all__ = ["get_builtin_op"]

# the submodules an operator name may name after its prefix, e.g. _np_random_uniform
_NP_OP_SUBMODULE_LIST = ("_random_", "_linalg_")
_NP_EXT_OP_SUBMODULE_LIST = ("_image_", "_random_")


def _get_op_submodule_name(op_name: str, prefix: str, submodules) -> str:
    """The submodule part (``'_random_'``...) right after ``prefix`` in ``op_name``, or ''."""
    rest = op_name[len(prefix) - 1:]
    return next((sub for sub in submodules if rest.startswith(sub)), "")


def get_builtin_op(op_name: str):
    """The mxnp function of a registered operator name (``_np_*`` or ``_npx_*``), or None for
    a name of another kind. A ``_np_``/``_npx_`` name mxnp lacks raises ValueError."""
    if op_name.startswith("_np_"):
        root, prefix, submodules = mx_np, "_np_", _NP_OP_SUBMODULE_LIST
    elif op_name.startswith("_npx_"):
        root, prefix, submodules = mx_npx, "_npx_", _NP_EXT_OP_SUBMODULE_LIST
    else:
        return None
    sub = _get_op_submodule_name(op_name, prefix, submodules)
    module = getattr(root, sub[1:-1], None) if sub else root
    if module is None:
        raise ValueError(f"get_builtin_op: no submodule {sub[1:-1]!r} in {root.__name__} for "
                         f"the operator {op_name!r}")
    name = op_name[len(prefix) + max(len(sub) - 1, 0):]
    op = getattr(module, name, None)
    if op is None:
        raise ValueError(f"get_builtin_op: no operator {name!r} in {module.__name__} for "
                         f"{op_name!r}")
    return op


_get_builtin_op = get_builtin_op  # MXNet's tests import the private name
