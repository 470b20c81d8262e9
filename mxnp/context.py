"""``mxnet.context``: Context objects and the current context."""
from __future__ import annotations

from ._backend import (
    Context,
    Device,
    cpu,
    cpu_pinned,
    current_device,
    gpu,
    gpu_memory_info,
    num_gpus,
)

current_context = current_device

__all__ = ["Context", "Device", "cpu", "cpu_pinned", "current_context", "gpu", "gpu_memory_info",
           "num_gpus"]
