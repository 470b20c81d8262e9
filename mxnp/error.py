"""``mx.error``: MXNet's error classes and the registry that maps C++ error names to them.

mxnp raises Python exceptions directly; the registry is kept for code that registers its own
error classes (``@mx.error.register``), which are then returned unchanged.
"""
from __future__ import annotations

from .base import MXNetError

__all__ = ["InternalError", "MXNetError", "register", "register_error"]

_ERRORS: dict = {}  # name -> the exception class registered under it


class InternalError(MXNetError):
    """An internal error of the framework (MXNet's C++ ``InternalError``)."""


def register_error(func_name=None, cls=None):
    """Register an exception class under its name (or ``func_name``); usable as a decorator,
    bare or with a name, as in MXNet."""
    if callable(func_name) and cls is None:  # @register_error on a class
        func_name, cls = func_name.__name__, func_name

    def do_register(error_cls):
        _ERRORS[func_name or error_cls.__name__] = error_cls
        return error_cls

    return do_register(cls) if cls is not None else do_register


register = register_error
register_error("InternalError", InternalError)
register_error("MXNetError", MXNetError)
