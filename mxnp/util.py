"""``mxnet.util``: the NumPy-semantics switches and small helpers MXNet code imports from here.

The switches are MXNet's (off at start; ``npx.set_np()`` turns them on; ``use_np`` runs a
function, or every method of a class, with them on): see ``mxnp/_mode.py`` for what they change.
"""
from __future__ import annotations

import os

from ._backend import num_gpus
from ._mode import (
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
from .numpy_extension import get_cuda_compute_capability, gpu_memory_info

__all__ = ["use_np", "use_np_array", "use_np_shape", "np_array", "np_shape", "is_np_array",
           "is_np_shape", "set_np", "reset_np", "set_np_shape", "set_np_array", "get_gpu_count",
           "get_gpu_memory", "get_cuda_compute_capability", "getenv", "setenv"]


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
