"""The ``npx`` namespace (``mxnet.numpy_extension``): MXNet's extensions to NumPy."""
from __future__ import annotations

from .._backend import Context, cpu, cpu_pinned, gpu, num_gpus
from .._ops.legacy import reshape_like, shape_array, slice
from .._ops.nn import log_softmax, one_hot, pick, relu, sigmoid, softmax, topk
from ..context import current_context
from . import random

__all__ = ["set_np", "reset_np", "is_np_array", "is_np_shape", "waitall", "Context", "cpu",
           "cpu_pinned", "gpu", "num_gpus", "current_context", "relu", "sigmoid", "softmax",
           "log_softmax", "pick", "one_hot", "topk", "reshape_like", "shape_array", "slice",
           "random"]


def set_np(shape: bool = True, array: bool = True) -> None:
    """A no-op kept for compatibility: mxnp always has NumPy semantics."""
    if not shape and array:
        raise ValueError("NumPy Shape semantics is required in using NumPy array semantics.")


def reset_np() -> None:
    """A no-op kept for compatibility."""


def is_np_array() -> bool:
    return True


def is_np_shape() -> bool:
    return True


def waitall() -> None:
    """A no-op: mxnp computes eagerly, so there is nothing to wait for."""
