"""``mxnet.util``: NumPy-semantics switches and small helpers MXNet code imports from here.

mxnp always has NumPy semantics, so the switches are kept as documented no-ops: ``use_np``
returns what it decorates unchanged, ``np_shape()``/``np_array()`` are scopes that change
nothing, and the queries always answer True.
"""
from __future__ import annotations

import os

from ._backend import num_gpus
from .numpy_extension import (
    get_cuda_compute_capability,
    gpu_memory_info,
    is_np_array,
    is_np_shape,
    reset_np,
    set_np,
)

__all__ = ["use_np", "use_np_array", "use_np_shape", "np_array", "np_shape", "is_np_array",
           "is_np_shape", "set_np", "reset_np", "set_np_shape", "get_gpu_count",
           "get_gpu_memory", "get_cuda_compute_capability", "getenv", "setenv"]


def use_np(func):
    """Decorator for functions and classes written for NumPy semantics: returns them as is."""
    return func


use_np_array = use_np_shape = use_np


class _Scope:
    """``with np_shape():`` / ``with np_array():`` — nothing to switch in mxnp."""

    def __init__(self, active: bool = True):
        self.active = active

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def np_shape(active: bool = True) -> _Scope:
    return _Scope(active)


def np_array(active: bool = True) -> _Scope:
    return _Scope(active)


def set_np_shape(active: bool) -> bool:
    """Returns the previous state (always True); turning NumPy shapes off is not supported."""
    if not active:
        raise ValueError("set_np_shape: mxnp always uses NumPy shape semantics")
    return True


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
