"""mxnp: MXNet's NumPy interface on current NumPy (CPU) and CuPy (GPU).

Code written as ``from mxnet import np, npx, autograd`` runs unchanged once the ``mxnet`` alias
is on (``mxnp.enable_mxnet_alias()``, ``%load_ext mxnp``, or ``mxnp run``).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from . import _lazy, autograd, base, context, numpy, numpy_extension
from ._backend import tune_host_allocator
from .base import MXNetError
from .compat import ipython as _ipython
from .compat.alias import disable_mxnet_alias, enable_mxnet_alias
from .context import Context, Device, cpu, cpu_pinned, current_context, gpu, num_gpus

np = numpy
npx = numpy_extension

# Loaded on first use (rarely needed at start-up): one entry per name, the module it is.
_LAZY = {
    "image": ("mxnp.image", None),
    "random": ("mxnp.random", None),
    "test_utils": ("mxnp.test_utils", None),
    "util": ("mxnp.util", None),
}
__getattr__, __dir__ = _lazy.names(globals(), _LAZY)
if TYPE_CHECKING:  # what static tools and IDEs read: the names _LAZY resolves to
    from . import image, random, test_utils, util  # noqa: F401
__version__ = "0.1.0"

# Deliberately done at import (the one thing mxnp does there): large arrays reuse freed memory
# instead of page-faulting fresh pages on every step; see _backend.tune_host_allocator.
tune_host_allocator()


def load_ipython_extension(ipython) -> None:
    """``%load_ext mxnp``: make ``import mxnet`` resolve to mxnp in this IPython session."""
    _ipython.load_ipython_extension(ipython)


def unload_ipython_extension(ipython) -> None:
    """``%unload_ext mxnp``: turn the mxnet alias off again."""
    _ipython.unload_ipython_extension(ipython)


__all__ = ["np", "npx", "autograd", "numpy", "numpy_extension", "random", "base", "context",
           "MXNetError", "Context", "Device", "cpu", "cpu_pinned", "gpu", "current_context",
           "num_gpus", "enable_mxnet_alias", "disable_mxnet_alias", "__version__"]
__all__ += ["image", "util"]
__all__ += ["test_utils"]
