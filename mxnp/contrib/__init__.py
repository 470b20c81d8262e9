"""``mx.contrib``: MXNet's experimental corner. mxnp has its ``autograd`` module (MXNet 1.x's
first autograd interface), ``amp`` (mixed precision's loss scaling), ``io`` (DataLoaderIter),
``text`` (vocabularies and token embeddings), ``svrg_optimization`` (SVRGModule), and ``ndarray``/``nd`` and ``symbol``/``sym``,
MXNet's other names of ``mx.nd.contrib`` and ``mx.sym.contrib``, all loaded on first use."""
from __future__ import annotations

from .. import _lazy

__all__ = ["amp", "autograd", "io", "nd", "ndarray", "svrg_optimization", "sym", "symbol",
           "text"]
__getattr__, __dir__ = _lazy.names(globals(), {
    "amp": ("mxnp.contrib.amp", None),
    "autograd": ("mxnp.contrib.autograd", None),
    "io": ("mxnp.contrib.io", None),
    "nd": ("mxnp.ndarray.contrib", None),
    "ndarray": ("mxnp.ndarray.contrib", None),
    "svrg_optimization": ("mxnp.contrib.svrg_optimization", None),
    "sym": ("mxnp.symbol.contrib", None),
    "symbol": ("mxnp.symbol.contrib", None),
    "text": ("mxnp.contrib.text", None),
})
