"""KVStoreBase: the interface every kvstore offers, and the registry that ``create`` reads."""
from __future__ import annotations

import warnings
from typing import ClassVar

from ..base import MXNetError

__all__ = ["KVStoreBase", "TestStore", "create"]


class KVStoreBase:
    """The kvstore interface: broadcast, pushpull, optimizer states, rank and worker count."""

    OPTIMIZER = "optimizer"
    kv_registry: ClassVar[dict] = {}

    def broadcast(self, key, value, out, priority=0):
        """Give every worker ``value`` from rank 0 under ``key``, written into ``out``."""
        raise NotImplementedError()

    def pushpull(self, key, value, out=None, priority=0):
        """Sum ``value`` over devices and workers into ``out`` (into ``value`` when None)."""
        raise NotImplementedError()

    def _sum_gradients(self, keys, values):
        """``pushpull(keys, values)`` for the Trainer, which never reads the store back:
        a store that keeps a copy of each sum may leave it out."""
        self.pushpull(keys, values)

    def set_optimizer(self, optimizer):
        """Let the store apply ``optimizer`` to pushed gradients."""
        raise NotImplementedError()

    def is_capable(self, capability):
        """Whether this store supports ``capability`` (only ``'optimizer'`` is known)."""
        raise NotImplementedError()

    def save_optimizer_states(self, fname, dump_optimizer=False):
        """Write the optimizer states to ``fname``."""
        raise NotImplementedError()

    def load_optimizer_states(self, fname):
        """Read optimizer states written by ``save_optimizer_states``."""
        raise NotImplementedError()

    @property
    def type(self):
        """The kind of store, as given to ``create``."""
        raise NotImplementedError()

    @property
    def rank(self):
        """This worker's index, 0 .. num_workers - 1."""
        raise NotImplementedError()

    @property
    def num_workers(self):
        """How many workers share this store."""
        raise NotImplementedError()

    @staticmethod
    def register(klass):
        """Class decorator: ``create(klass.__name__)`` (any case) makes an instance of it."""
        if not isinstance(klass, type):
            raise TypeError(f"KVStoreBase.register: expected a class, got {klass!r}")
        name = klass.__name__.lower()
        if name in KVStoreBase.kv_registry:
            old = KVStoreBase.kv_registry[name]
            warnings.warn(f"kvstore {klass.__module__}.{klass.__name__} replaces the registered "
                          f"{old.__module__}.{old.__name__}", stacklevel=2)
        KVStoreBase.kv_registry[name] = klass
        return klass


@KVStoreBase.register
class TestStore(KVStoreBase):
    """A one-process store for tests ('teststore'): sums over devices, applies no optimizer."""

    def broadcast(self, key, value, out, priority=0):
        """Write ``value`` into ``out`` (an array or a list of them)."""
        for o in out if isinstance(out, list) else [out]:
            o[:] = value

    def pushpull(self, key, value, out=None, priority=0):
        """The sum of the list ``value`` (on the first one's device) into ``out``, or into
        each of ``value`` when ``out`` is None; a single array is copied into ``out``."""
        if not isinstance(value, (list, tuple)):
            if out is not None:
                self.broadcast(key, value, out)
            return
        ctx = value[0].context
        total = value[0].as_in_context(ctx)
        for v in value[1:]:
            total = total + v.as_in_context(ctx)
        self.broadcast(key, total, list(value) if out is None else out)

    def _sum_gradients(self, keys, values):
        """One pushpull per key (this store takes one key at a time, as MXNet's)."""
        for key, value in zip(keys, values):
            self.pushpull(key, value)

    @staticmethod
    def is_capable(capability):
        """False for ``'optimizer'``: updates happen in the Trainer."""
        _check_capability(capability)
        return False

    @property
    def type(self):
        """'teststore'."""
        return "teststore"

    @property
    def rank(self):
        """Always 0."""
        return 0

    @property
    def num_workers(self):
        """Always 1."""
        return 1


def _check_capability(capability):
    if capability.lower() != KVStoreBase.OPTIMIZER:
        raise ValueError(f"Unknown capability: {capability}")


_ASYNC = ("kvstore 'dist_async' is not supported: mxnp's distributed kvstores are MPI "
          "allreduces, which keep every worker in lock-step; asynchronous updates need a "
          "parameter server applying each worker's gradient whenever it arrives, and no "
          "allreduce reproduces that. Use 'dist_sync' (or 'horovod').")


def create(name="local"):
    """A new kvstore: 'local'/'device' (one process) or 'dist_sync'/'dist'/'horovod' (MPI)."""
    if not isinstance(name, str):
        raise TypeError("name must be a string")
    name = name.lower()
    if name in KVStoreBase.kv_registry:
        return KVStoreBase.kv_registry[name]()
    if "dist" in name and "async" in name:
        raise NotImplementedError(_ASYNC)
    if "dist" in name:
        from .dist import DistKVStore

        return DistKVStore(name)
    from .local import KVStore

    # as MXNet's native store does, any other name ('nccl', 'foo') is a one-process store
    return KVStore(name)


def _mixed_keys_error(stored, given):
    """MXNet's error for a key of the other kind (``str`` or ``int``) than the store holds."""
    code = {str: 0, int: 1}  # MXNet's KeyType: kStringKey, kIntKey
    return MXNetError(f"Check failed: key_type_ == key_type ({code[stored]} vs. {code[given]}) "
                      ": Mixed key types are not allowed")


def _missing_key_error(key):
    """MXNet's error for using a key that was never initialised (its words differ for str and
    int keys)."""
    if isinstance(key, str):
        return MXNetError("Check failed: str_key_dict_.find(str_key) != str_key_dict_.end(): "
                          f"key {key} doesn't exist. Did you init?")
    return MXNetError(f"Check failed: !local.is_none(): key {key} has not been inited")


def _duplicate_key_error(key):
    """MXNet's error for initialising a key twice."""
    if isinstance(key, str):
        return MXNetError("Check failed: str_key_dict_.find(str_key) == str_key_dict_.end(): "
                          f"duplicate init of key {key}")
    return MXNetError(f"Check failed: local_.find(keys[i]) == local_.end(): duplicate init of "
                      f"key {key}. Please double check if you called kv.init or kv.broadcast "
                      "with this key multiple times")
