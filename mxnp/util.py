"""``mxnet.util``: the NumPy-semantics switches and small helpers MXNet code imports from here.

The switches are MXNet's (off at start; ``npx.set_np()`` turns them on; ``use_np`` runs a
function, or every method of a class, with them on): see ``mxnp/_mode.py`` for what they change.
"""
from __future__ import annotations

import functools
import os

from ._backend import num_gpus
from ._mode import (
    _NumpyArrayScope,  # noqa: F401  (MXNet code imports it from here)
    is_np_array,
    is_np_shape,
    np_array,
    np_shape,
    reset_np,
    set_np,
    set_np_array,
    set_np_shape,
    use_np,
    use_np_array,
    use_np_shape,
)
from .numpy._numbers import check_ufunc_kwargs
from .numpy._numbers import ufunc_legal_option as np_ufunc_legal_option
from .numpy_extension import get_cuda_compute_capability, gpu_memory_info

__all__ = ["get_cuda_compute_capability", "get_gpu_count", "get_gpu_memory", "getenv",
           "is_np_array", "is_np_shape", "np_array", "np_shape", "np_ufunc_legal_option",
           "reset_np", "set_module", "set_np", "set_np_array", "set_np_shape", "setenv", "use_np",
           "use_np_array", "use_np_shape", "wrap_np_binary_func", "wrap_np_unary_func"]


def get_gpu_count() -> int:
    return num_gpus()


def get_gpu_memory(gpu_dev_id: int):
    """``(free, total)`` bytes of a GPU, as ``npx.gpu_memory_info``."""
    return gpu_memory_info(gpu_dev_id)


def getenv(name: str):
    """An environment variable's value (None when unset), as MXNet's getenv."""
    return os.environ.get(name)


def setenv(name: str, value) -> None:
    """Set (or with None, unset) an environment variable for this process."""
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = str(value)


def set_module(module):
    """Decorator: set ``__module__`` of a function or class to ``module`` (None leaves it)."""
    def decorate(func):
        if module is not None:
            func.__module__ = module
        return func
    return decorate


def wrap_np_unary_func(func):
    """Decorator for a unary ufunc ``func(x, out=None)``: NumPy's other ufunc keywords are
    accepted at their defaults; other values raise NotImplementedError (legal in NumPy) or
    TypeError, as MXNet's wrapper does."""
    @functools.wraps(func)
    def wrapped(x, out=None, **kwargs):
        check_ufunc_kwargs(func.__name__, kwargs)
        return func(x, out=out)
    return wrapped


def wrap_np_binary_func(func):
    """``wrap_np_unary_func`` for a binary ufunc ``func(x1, x2, out=None)``."""
    @functools.wraps(func)
    def wrapped(x1, x2, out=None, **kwargs):
        check_ufunc_kwargs(func.__name__, kwargs)
        return func(x1, x2, out=out)
    return wrapped
