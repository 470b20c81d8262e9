"""``mx.contrib``: MXNet's experimental corner. mxnp has its ``autograd`` module (MXNet 1.x's
first autograd interface), loaded on first use."""
from __future__ import annotations

from .. import _lazy

__all__ = ["autograd"]
__getattr__, __dir__ = _lazy.names(globals(), {"autograd": ("mxnp.contrib.autograd", None)})
