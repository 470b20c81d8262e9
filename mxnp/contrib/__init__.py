"""``mx.contrib``: MXNet's experimental corner. mxnp has its ``autograd`` module (MXNet 1.x's
first autograd interface), ``amp`` (mixed precision's loss scaling), ``io`` (DataLoaderIter),
``text`` (vocabularies and token embeddings), ``svrg_optimization`` (SVRGModule), ``onnx``
(``export_model``, MXNet's older spelling of ``mx.onnx``), ``tensorboard``
(LogMetricsCallback), and ``ndarray``/``nd`` and ``symbol``/``sym``, MXNet's other names of
``mx.nd.contrib`` and ``mx.sym.contrib``, all loaded on first use."""
from __future__ import annotations

from .. import _lazy

__all__ = ["amp", "autograd", "io", "nd", "ndarray", "onnx", "svrg_optimization", "sym",
           "symbol", "tensorboard", "text"]
__getattr__, __dir__ = _lazy.names(globals(), {
    "amp": ("mxnp.contrib.amp", None),
    "autograd": ("mxnp.contrib.autograd", None),
    "io": ("mxnp.contrib.io", None),
    "nd": ("mxnp.ndarray.contrib", None),
    "ndarray": ("mxnp.ndarray.contrib", None),
    "onnx": ("mxnp.contrib.onnx", None),
    "svrg_optimization": ("mxnp.contrib.svrg_optimization", None),
    "sym": ("mxnp.symbol.contrib", None),
    "symbol": ("mxnp.symbol.contrib", None),
    "tensorboard": ("mxnp.contrib.tensorboard", None),
    "text": ("mxnp.contrib.text", None),
})
