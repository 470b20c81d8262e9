"""The ``npx`` namespace (``mxnet.numpy_extension``): MXNet's extensions to NumPy."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .._backend import Context, cpu, cpu_pinned, gpu, num_gpus
from .._io import load, save
from .._ops.nn.activations import activation, leaky_relu
from .._ops.nn.conv import convolution, deconvolution
from .._ops.nn.layers import dropout, embedding, fully_connected
from .._ops.legacy import reshape_like, shape_array, slice
from .._ops.nn.basic import log_softmax, one_hot, pick, relu, sigmoid, softmax, topk
from .._ops.nn.normalization import batch_norm, layer_norm
from .._ops.npx_ops import (
    arange_like,
    batch_dot,
    batch_flatten,
    cast,
    constraint_check,
    erf,
    erfinv,
    gamma,
    gammaln,
    gather_nd,
    get_cuda_compute_capability,
    gpu_memory_info,
    nonzero,
    reshape,
    sequence_mask,
    smooth_l1,
)
from .._ops.nn.pooling import pooling
from .._ops.nn.rnn import rnn
from ..context import current_context
from .._mode import is_np_array, is_np_shape, reset_np, set_np
from .. import _lazy
from . import random

# Rarely used families, loaded on first use: name -> (module, attribute)
_LAZY = {
    "image": ("mxnp.numpy_extension.image", None),
    "multibox_detection": ("mxnp._ops.image.detection", "multibox_detection"),
    "multibox_prior": ("mxnp._ops.image.detection", "multibox_prior"),
    "multibox_target": ("mxnp._ops.image.detection", "multibox_target"),
    "roi_pooling": ("mxnp._ops.image.detection", "roi_pooling"),
}
__getattr__, __dir__ = _lazy.names(globals(), _LAZY)
if TYPE_CHECKING:  # what static tools and IDEs read: the names _LAZY resolves to
    from . import image  # noqa: F401
    from .._ops.image.detection import (  # noqa: F401
        multibox_detection,
        multibox_prior,
        multibox_target,
        roi_pooling,
    )

__all__ = ["set_np", "reset_np", "is_np_array", "is_np_shape", "waitall", "Context", "cpu",
           "cpu_pinned", "gpu", "num_gpus", "current_context", "relu", "sigmoid", "softmax",
           "log_softmax", "pick", "one_hot", "topk", "reshape_like", "shape_array", "slice",
           "random"]
__all__ += ["multibox_prior", "multibox_target", "multibox_detection", "roi_pooling", "image"]


def waitall() -> None:
    """A no-op: mxnp computes eagerly, so there is nothing to wait for."""


__all__ += ["rnn"]

__all__ += ["save", "load"]
__all__ += ["convolution", "deconvolution", "pooling"]
__all__ += ["activation", "leaky_relu", "dropout", "embedding", "fully_connected",
            "batch_norm", "layer_norm"]
__all__ += ["reshape", "sequence_mask", "batch_dot", "batch_flatten", "arange_like", "gather_nd",
            "nonzero", "cast", "constraint_check", "smooth_l1", "erf", "erfinv", "gamma",
            "gammaln", "get_cuda_compute_capability", "gpu_memory_info"]
