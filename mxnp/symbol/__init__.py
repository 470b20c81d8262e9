"""``mx.sym``: MXNet's legacy symbolic graphs, evaluated on mxnp's arrays.

Variables, operators (every ``mx.nd`` operator name, and the numpy-mode names of exported
files), groups, JSON files in MXNet's format, shape and type inference and executors. An
operator function (``mx.sym.FullyConnected``) is made on first use from the operator table.
"""
from __future__ import annotations

from . import _opdefs
from .executor import Executor
from .symbol import Group, Symbol, Variable, load, load_json, op_function, var

__all__ = ["Executor", "Group", "Symbol", "Variable", "load", "load_json", "var"]


def __getattr__(name: str):
    """``mx.sym.<operator>``: the Symbol-making function of a registered operator."""
    if name.startswith("__") or _opdefs.find(name) is None:
        raise AttributeError(f"module 'mxnp.symbol' has no attribute {name!r}")
    fn = globals()[name] = op_function(name)
    return fn
