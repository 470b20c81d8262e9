"""``mx.sym.npx``: Symbol-making twins of mxnp's ``npx`` functions (``mx.sym.npx.relu``)."""
from __future__ import annotations

from .._npsymbol import namespace

__getattr__, __dir__ = namespace(globals(), "npx")
