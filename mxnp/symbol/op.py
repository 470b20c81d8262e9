"""``mx.sym.op``: the module MXNet 1.x generates its Symbol-making operator functions into
(``mx.sym`` imports them from it). Every public operator of ``mx.sym`` is here under the same
name, the same function (``mx.sym.op.Convolution is mx.sym.Convolution``)."""
from __future__ import annotations

import importlib

from . import _opdefs


def _package():
    return importlib.import_module("..", __name__)


def __getattr__(name: str):
    if name.startswith("_") or _opdefs.find(name) is None:
        raise AttributeError(f"module 'mxnp.symbol.op' has no attribute {name!r}")
    return getattr(_package(), name)


def __dir__() -> list:
    """The public operator names."""
    return sorted(n for n in _opdefs.names() if not n.startswith("_"))
