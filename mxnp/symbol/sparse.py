"""``mx.sym.sparse``: MXNet's operators on sparse storage as Symbol-making functions, by name
(``mx.sym.sparse.dot`` makes a ``dot`` node; ``retain`` is ``_sparse_retain`` where it is
registered). Executors compute them on dense values, as ``mx.nd.sparse``'s do."""
from __future__ import annotations

from ._functions import namespace_dir, namespace_getattr

__getattr__ = namespace_getattr("sparse", "_sparse_")
__dir__ = namespace_dir("sparse", "_sparse_", globals())
