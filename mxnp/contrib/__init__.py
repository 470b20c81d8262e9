"""``mx.contrib``: MXNet's experimental corner. mxnp has its ``autograd`` module (MXNet 1.x's
first autograd interface), and ``ndarray``/``nd`` and ``symbol``/``sym``, MXNet's other names
of ``mx.nd.contrib`` and ``mx.sym.contrib``, and ``text`` (token counts and vocabularies),
all loaded on first use."""
from __future__ import annotations

from .. import _lazy

__all__ = ["autograd", "nd", "ndarray", "sym", "symbol", "text"]
__getattr__, __dir__ = _lazy.names(globals(), {
    "autograd": ("mxnp.contrib.autograd", None),
    "nd": ("mxnp.ndarray.contrib", None),
    "ndarray": ("mxnp.ndarray.contrib", None),
    "sym": ("mxnp.symbol.contrib", None),
    "symbol": ("mxnp.symbol.contrib", None),
    "text": ("mxnp.contrib.text", None),
})
