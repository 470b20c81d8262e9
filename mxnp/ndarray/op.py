"""``mx.nd.op``: the module MXNet 1.x generates its operator functions into (``mx.nd`` imports
them from it). Every public operator of ``mx.nd`` is here under the same name, the same
function (``mx.nd.op.Convolution is mx.nd.Convolution``)."""
from __future__ import annotations

import importlib

from . import _registry


def _package():
    return importlib.import_module("..", __name__)


def __getattr__(name: str):
    if name.startswith("_") or name not in _registry.OPS:
        raise AttributeError(f"module 'mxnp.ndarray.op' has no attribute {name!r}")
    return getattr(_package(), name)


def __dir__() -> list:
    """The public operator names."""
    package = _package()
    return sorted(n for n in _registry.OPS if not n.startswith("_") and hasattr(package, n))
