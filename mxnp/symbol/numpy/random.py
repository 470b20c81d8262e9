"""``mx.sym.np.random``: Symbol-making twins of mxnp's ``np.random`` functions."""
from __future__ import annotations

from .._npsymbol import namespace

__getattr__, __dir__ = namespace(globals(), "np", "random")
