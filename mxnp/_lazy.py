"""Names a namespace loads on first use, so that ``import mxnp`` stays quick.

A namespace lists such names in a table, ``name -> (module, attribute)`` (attribute None: the
module itself), and takes its module-level ``__getattr__`` and ``__dir__`` from ``names``. The
first use imports the module and stores the value in the namespace, so every later use is a
plain lookup; the names are in ``dir()`` and ``__all__`` from the start.
"""
from __future__ import annotations

import importlib
import sys


def names(namespace: dict, table: dict):
    """``(__getattr__, __dir__)`` for the module whose globals are ``namespace``."""

    def __getattr__(name: str):
        try:
            module, attribute = table[name]
        except KeyError:
            raise AttributeError(f"module {namespace['__name__']!r} has no attribute "
                                 f"{name!r}") from None
        value = importlib.import_module(module)
        if attribute is not None:
            value = getattr(value, attribute)
        namespace[name] = value
        alias = sys.modules.get("mxnp.compat.alias")
        if alias is not None:  # under the mxnet alias, its classes show MXNet's names
            alias._show_classes()
        return value

    def __dir__() -> list:
        return sorted(set(namespace) | set(table))

    return __getattr__, __dir__
