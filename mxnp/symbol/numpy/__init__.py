"""``mx.sym.np``: Symbol-making twins of mxnp's ``np`` functions (``mx.sym.np.tensordot``),
made on first use, and ``_Symbol``, the Symbol of numpy semantics they return."""
from __future__ import annotations

from .._npsymbol import _Symbol, namespace
from . import linalg, random

__all__ = ["_Symbol", "linalg", "random"]

__getattr__, __dir__ = namespace(globals(), "np")
