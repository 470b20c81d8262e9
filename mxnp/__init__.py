"""mxnp: MXNet's NumPy interface on current NumPy (CPU) and CuPy (GPU).

Code written as ``from mxnet import np, npx, autograd`` runs unchanged once the ``mxnet`` alias
is on (``mxnp.enable_mxnet_alias()``, ``%load_ext mxnp``, or ``mxnp run``).
"""
from __future__ import annotations

from . import autograd, base, context, image, numpy, numpy_extension, random, test_utils, util
from . import _backend
from ._backend import tune_host_allocator
from .base import MXNetError
from .compat.alias import disable_mxnet_alias, enable_mxnet_alias
from .context import Context, Device, cpu, cpu_pinned, current_context, gpu, num_gpus

np = numpy
npx = numpy_extension
__version__ = "0.1.0"

# Importing mxnp changes nothing process-wide unless asked: MXNP_MALLOC_TUNING=1 tunes the C
# allocator now (see _backend.tune_host_allocator), as calling mxnp.tune_host_allocator() does.
if _backend.malloc_tuning_requested():
    tune_host_allocator()


# gluon and its companions load on first use (``mxnp.gluon``, ``mx.init``), so that ``import
# mxnp`` stays as fast as np/npx/autograd alone.
_LAZY = {"gluon": "gluon", "initializer": "initializer", "init": "initializer",
         "optimizer": "optimizer", "lr_scheduler": "lr_scheduler", "metric": "metric",
         "kv": "kvstore", "kvstore": "kvstore"}


def __getattr__(name: str):
    """Import ``gluon``, ``initializer`` (alias ``init``), ``optimizer``, ``lr_scheduler`` and
    ``metric`` on first access."""
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'mxnp' has no attribute {name!r}")
    import importlib

    module = importlib.import_module(f".{target}", __name__)
    globals()[name] = module
    return module


def __dir__() -> list:
    return sorted(set(globals()) | set(_LAZY))


def load_ipython_extension(ipython) -> None:
    """``%load_ext mxnp``: make ``import mxnet`` resolve to mxnp in this IPython session."""
    from .compat.ipython import load_ipython_extension as load

    load(ipython)


def unload_ipython_extension(ipython) -> None:
    """``%unload_ext mxnp``: turn the mxnet alias off again."""
    from .compat.ipython import unload_ipython_extension as unload

    unload(ipython)


__all__ = ["np", "npx", "autograd", "numpy", "numpy_extension", "random", "base", "context",
           "MXNetError", "Context", "Device", "cpu", "cpu_pinned", "gpu", "current_context",
           "num_gpus", "enable_mxnet_alias", "disable_mxnet_alias", "__version__"]
__all__ += ["image", "util", "tune_host_allocator"]
__all__ += ["test_utils"]
__all__ += ["gluon", "initializer", "init", "optimizer", "lr_scheduler", "metric"]
