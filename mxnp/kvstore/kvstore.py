"""MXNet's ``mxnet.kvstore.kvstore`` module, where its ``KVStore`` class lives (mxnp keeps it in
``local.py``; here for code that imports it from there, and for the class's displayed name)."""
from __future__ import annotations

from .base import KVStoreBase
from .local import KVStore

__all__ = ["KVStore", "KVStoreBase"]
