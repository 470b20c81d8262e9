"""``mx.sym.np.linalg``: Symbol-making twins of mxnp's ``np.linalg`` functions."""
from __future__ import annotations

from .._npsymbol import namespace

__getattr__, __dir__ = namespace(globals(), "np", "linalg")
