"""mxnp: MXNet's NumPy interface on current NumPy (CPU) and CuPy (GPU).

Code written as ``from mxnet import np, npx, autograd`` runs unchanged once the ``mxnet`` alias
is on (``mxnp.enable_mxnet_alias()``, ``%load_ext mxnp``, or ``mxnp run``).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

# _native first (the order here is the alphabet's): it decides whether the compiled core
# or its source loads
from . import _lazy, _native, autograd, base, context, numpy, numpy_extension  # noqa: F401
from . import _backend
from ._backend import tune_host_allocator
from .base import MXNetError
from .compat import ipython as _ipython
from .compat.alias import disable_mxnet_alias, enable_mxnet_alias
from .context import Context, Device, cpu, cpu_pinned, current_context, gpu, num_gpus

np = numpy
npx = numpy_extension

# Loaded on first use (rarely needed at start-up): one entry per name, the module it is.
_LAZY = {
    "callback": ("mxnp.callback", None),
    "contrib": ("mxnp.contrib", None),
    "error": ("mxnp.error", None),
    "executor": ("mxnp.symbol.executor", None),
    "gluon": ("mxnp.gluon", None),
    "image": ("mxnp.image", None),
    "img": ("mxnp.image", None),
    "init": ("mxnp.initializer", None),
    "initializer": ("mxnp.initializer", None),
    "io": ("mxnp.io", None),
    "kv": ("mxnp.kvstore", None),
    "kvstore": ("mxnp.kvstore", None),
    "log": ("mxnp.log", None),
    "lr_scheduler": ("mxnp.lr_scheduler", None),
    "metric": ("mxnp.metric", None),
    "mod": ("mxnp.module", None),
    "model": ("mxnp.model", None),
    "module": ("mxnp.module", None),
    "monitor": ("mxnp.monitor", None),
    "mon": ("mxnp.monitor", None),
    "name": ("mxnp.name", None),
    "numpy_dispatch_protocol": ("mxnp.numpy_dispatch_protocol", None),
    "numpy_op_signature": ("mxnp.numpy_op_signature", None),
    "onnx": ("mxnp.onnx", None),
    "nd": ("mxnp.ndarray", None),
    "ndarray": ("mxnp.ndarray", None),
    "operator": ("mxnp.operator", None),
    "optimizer": ("mxnp.optimizer", None),
    "random": ("mxnp.random", None),
    "recordio": ("mxnp.recordio", None),
    "registry": ("mxnp.registry", None),
    "rnd": ("mxnp.random", None),
    "rnn": ("mxnp.rnn", None),
    "sym": ("mxnp.symbol", None),
    "symbol": ("mxnp.symbol", None),
    "test_utils": ("mxnp.test_utils", None),
    "util": ("mxnp.util", None),
}
# MXNet's NumPy-semantics switches, which it also exports at the top level (mx.np_shape ...)
_LAZY.update({name: ("mxnp.util", name) for name in (
    "is_np_array", "is_np_shape", "np_array", "np_shape", "set_np_shape", "use_np",
    "use_np_array", "use_np_shape")})
# the small 1.x namespaces (mx.viz, mx.profiler ...) and MXNet's top-level AttrScope
_LAZY.update({
    "AttrScope": ("mxnp.attribute", "AttrScope"),
    "attribute": ("mxnp.attribute", None),
    "engine": ("mxnp.engine", None),
    "profiler": ("mxnp.profiler", None),
    "runtime": ("mxnp.runtime", None),
    "visualization": ("mxnp.visualization", None),
    "viz": ("mxnp.visualization", None),
})
__getattr__, __dir__ = _lazy.names(globals(), _LAZY)
if TYPE_CHECKING:  # what static tools and IDEs read: the names _LAZY resolves to
    from . import contrib, gluon, image, initializer, kvstore, lr_scheduler, metric  # noqa: F401
    from . import name  # noqa: F401
    from . import error, log, numpy_dispatch_protocol, numpy_op_signature  # noqa: F401
    from . import onnx, operator, optimizer  # noqa: F401
    from . import image as img  # noqa: F401
    from . import random as rnd  # noqa: F401
    from .symbol import executor  # noqa: F401
    from . import initializer as init  # noqa: F401
    from . import ndarray  # noqa: F401
    from . import ndarray as nd  # noqa: F401
    from . import kvstore as kv  # noqa: F401
    from . import random, recordio, registry, test_utils, util  # noqa: F401
    from . import model, symbol  # noqa: F401
    from . import callback, io, module, monitor, rnn  # noqa: F401
    from . import module as mod  # noqa: F401
    from . import monitor as mon  # noqa: F401
    from . import symbol as sym  # noqa: F401
    from .util import is_np_array, is_np_shape, np_array, np_shape, set_np_shape  # noqa: F401
    from .util import use_np, use_np_array, use_np_shape  # noqa: F401
    from . import attribute, engine, profiler, runtime, visualization  # noqa: F401
    from . import visualization as viz  # noqa: F401
    from .attribute import AttrScope  # noqa: F401
__version__ = "0.1.0"

# Importing mxnp changes nothing process-wide unless asked: MXNP_MALLOC_TUNING=1 tunes the C
# allocator now (see _backend.tune_host_allocator), as calling mxnp.tune_host_allocator() does.
if _backend.malloc_tuning_requested():
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
__all__ += ["image", "util", "tune_host_allocator"]
__all__ += ["test_utils"]
__all__ += ["gluon", "initializer", "init", "optimizer", "lr_scheduler", "metric", "kv", "kvstore",
            "recordio", "name"]
__all__ += ["nd", "ndarray"]
__all__ += ["sym", "symbol", "model", "contrib", "onnx"]
__all__ += ["io", "mod", "module", "mon", "monitor", "callback", "rnn"]
__all__ += ["AttrScope", "attribute", "engine", "profiler", "runtime", "visualization", "viz"]
__all__ += ["is_np_array", "is_np_shape", "np_array", "np_shape", "set_np_shape", "use_np",
            "use_np_array", "use_np_shape"]
