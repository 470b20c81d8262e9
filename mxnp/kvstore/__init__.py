"""``mx.kv`` / ``mx.kvstore``: key-value stores that sum gradients over devices and workers.

'local' and 'device' work in one process; 'dist_sync', 'dist_device_sync', 'dist' and 'horovod'
run over MPI (``pip install 'mxnp[distributed]'``), imported only when such a store is created.
"""
from __future__ import annotations

from .base import KVStoreBase, create
from .dist import DistKVStore, Horovod
from .local import KVStore
from .sampler import SplitSampler

__all__ = ["DistKVStore", "Horovod", "KVStore", "KVStoreBase", "SplitSampler", "create"]
