"""KVStore: the one-process store ('local', 'device'); the distributed stores extend it.

A pushed value (one array, or one copy per device) is summed over its copies, then over the
workers (``_sum_over_workers``, the identity here), then either stored as is or handed with the
stored value to the updater (``set_optimizer``), which updates the stored value in place.
"""
from __future__ import annotations

from .. import _backend, autograd
from .. import optimizer as opt
from ..base import MXNetError
from ..ndarray import sparse
from .base import (
    KVStoreBase,
    _check_capability,
    _duplicate_key_error,
    _missing_key_error,
    _mixed_keys_error,
)

__all__ = ["KVStore"]


def _as_list(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _pairs(key, value, what="value"):
    """``[(key, [arrays])]`` from one key or a list of keys and the matching values."""
    if isinstance(key, (list, tuple)):
        values = _as_list(value)
        if len(values) != len(key):
            raise ValueError(f"kvstore: {len(key)} keys but {len(values)} {what}s")
        return [(k, _as_list(v)) for k, v in zip(key, values)]
    return [(key, _as_list(value))]


def _summed_copy(arrays, ctx):
    """A new array on ``ctx`` holding the sum of ``arrays`` (never an alias of an input)."""
    total = arrays[0].as_in_ctx(ctx).copy()
    for arr in arrays[1:]:
        total += arr.as_in_ctx(ctx)
    return total


class KVStore(KVStoreBase):
    """A key-value store of arrays in this process; keys are all ints or all strs."""

    def __init__(self, name="local"):
        self._type = name
        self._store = {}
        self._updater = None
        self._key_type = None

    def __repr__(self):
        return f"<{type(self).__name__} type={self._type!r} rank={self.rank}/{self.num_workers}>"

    # ---- what the distributed stores replace ----------------------------------------------
    def _from_root(self, arrays):
        """The values every worker starts from: here, this process's own."""
        return arrays

    def _sum_over_workers(self, arrays):
        """Sum each array over the workers, in place: one worker here, so nothing to do."""

    @property
    def type(self):
        """The name given to ``create`` ('local', 'device', 'dist_sync', ...)."""
        return self._type

    @property
    def rank(self):
        """This worker's index: always 0 in one process."""
        return 0

    @property
    def num_workers(self):
        """How many workers share the store: 1 in one process."""
        return 1

    # ---- keys -----------------------------------------------------------------------------
    def _check_key_types(self, pairs):
        for key, _ in pairs:
            if not isinstance(key, (int, str)):
                raise TypeError(f"kvstore: a key must be an int or a str, not {type(key)}")
            kind = str if isinstance(key, str) else int
            if self._key_type is None:
                self._key_type = kind
            elif kind is not self._key_type:
                raise _mixed_keys_error(self._key_type, kind)

    def _stored(self, key):
        if key not in self._store:
            raise _missing_key_error(key)
        return self._store[key]

    # ---- the API --------------------------------------------------------------------------
    def init(self, key, value):
        """Store ``value`` under ``key`` (rank 0's value on every worker)."""
        pairs = _pairs(key, value)
        self._check_key_types(pairs)
        for k, _ in pairs:
            if k in self._store:
                raise _duplicate_key_error(k)
        with autograd.pause():
            firsts = [arrays[0].copy() for _, arrays in pairs]
            for (k, _), arr in zip(pairs, self._from_root(firsts)):
                self._store[k] = arr

    def push(self, key, value, priority=0):
        """Sum ``value``'s copies (and the workers' pushes), then store or apply the updater."""
        pairs = _pairs(key, value)
        self._check_key_types(pairs)
        with autograd.pause():
            merged = [_summed_copy(arrays, self._stored(k).ctx) for k, arrays in pairs]
            self._sum_over_workers(merged)
            for (k, arrays), total in zip(pairs, merged):
                if arrays[0].stype == "row_sparse":  # the updater sees a sparse gradient
                    total = sparse.as_stype(total, "row_sparse")
                stored = self._store[k]
                if self._updater is not None:
                    self._updater(k, total, stored)
                elif total.dtype == stored.dtype and total.shape == stored.shape:
                    self._store[k] = total      # a fresh array already: no copy needed
                else:
                    stored[:] = total

    def pull(self, key, out=None, priority=0, ignore_sparse=True):
        """Copy the stored value of ``key`` into ``out`` (an array or one per device); with
        ``ignore_sparse``, a sparse ``out`` is left as it is (MXNet skips it)."""
        if out is None:
            # MXNet's error type (an assert there), with a message saying what is missing
            raise AssertionError("kvstore.pull: give the arrays to fill as out=")
        pairs = _pairs(key, out, what="out")
        self._check_key_types(pairs)
        with autograd.pause():
            for k, outs in pairs:
                src = self._stored(k)
                for arr in outs:
                    if not (ignore_sparse and getattr(arr, "stype", "default") != "default"):
                        arr[:] = src.as_in_ctx(arr.ctx)

    def pushpull(self, key, value, out=None, priority=0):
        """``push`` then ``pull``: the reduced (or updated) value lands in ``out`` or ``value``."""
        if out is None and self._updater is None and self._reduce_in_place(key, value):
            return
        self.push(key, value, priority)
        self.pull(key, value if out is None else out, priority)

    def _reduce_in_place(self, key, value, keep=True):
        """The allreduce itself, on the pushed arrays (no device copies); with ``keep``, each
        sum is also copied into the store, as MXNet's pushpull leaves it for a later ``pull``.
        False, before anything is summed, when the general push/pull path is needed."""
        pairs = _pairs(key, value)
        self._check_key_types(pairs)
        values = [arrays[0] for _, arrays in pairs]
        for (k, arrays), val in zip(pairs, values):
            stored = self._stored(k)
            if len(arrays) > 1 or (val.ctx, val.dtype, val.shape) != \
                    (stored.ctx, stored.dtype, stored.shape):
                return False
        with autograd.pause():
            self._sum_over_workers(values)
            if keep:
                for (k, _), val in zip(pairs, values):
                    # into the store's own buffer (same shape, dtype and device, checked
                    # above): no fresh allocation per call
                    self._store[k][...] = val
        return True

    def _sum_gradients(self, keys, values):
        """The workers' sum in place, without the copy into the store that ``pushpull`` keeps
        (nothing reads a gradient's sum back); ``pushpull`` itself where the general path is
        needed (an updater, copies on several devices)."""
        if self._updater is None and self._reduce_in_place(keys, values, keep=False):
            return
        self.pushpull(keys, values)

    def broadcast(self, key, value, out, priority=0):
        """``init`` with rank 0's ``value``, then ``pull`` it into ``out``."""
        self.init(key, value)
        self.pull(key, out, priority)

    def row_sparse_pull(self, key, out=None, priority=0, row_ids=None):
        """Copy the rows ``row_ids`` (one index array per ``out`` array, or one for all;
        for a list of keys, one such entry per key) of the stored value of ``key`` into
        ``out``; its other rows become zero."""
        if out is None or row_ids is None:
            raise AssertionError("kvstore.row_sparse_pull: give out= and row_ids=")
        pairs = _pairs(key, out, what="out")
        self._check_key_types(pairs)
        for _, outs in pairs:
            for arr in outs:
                if getattr(arr, "stype", "default") != "row_sparse":
                    raise MXNetError("Check failed: val_stype == kRowSparseStorage: Expected "
                                     "row_sparse storage type for row_sparse_pull values, "
                                     f"but detected storage type {arr.stype!r}")
        keyed = isinstance(key, (list, tuple)) and isinstance(row_ids, (list, tuple))
        per_key = list(row_ids) if keyed else [row_ids] * len(pairs)
        with autograd.pause():
            for (k, outs), ids in zip(pairs, per_key):
                src = _backend.to_numpy(self._stored(k)._data)
                ids = list(ids) if isinstance(ids, (list, tuple)) else [ids]
                rows = ids * len(outs) if len(ids) == 1 else ids
                for arr, row in zip(outs, rows):
                    sparse.pull_rows(arr, src, row)

    def set_gradient_compression(self, compression_params):
        """Not supported: gradients travel uncompressed."""
        raise NotImplementedError("kvstore.set_gradient_compression: mxnp sends gradients "
                                  "uncompressed; drop compression_params")

    # ---- optimizer ------------------------------------------------------------------------
    def is_capable(self, capability):
        """True for ``'optimizer'``: this store can apply an optimizer at ``push``."""
        _check_capability(capability)
        return True

    def set_optimizer(self, optimizer):
        """Apply ``optimizer`` to every later push (each worker runs the same update)."""
        self._set_updater(opt.get_updater(optimizer))

    def _set_updater(self, updater):
        """``updater(key, summed_value, stored)`` updates ``stored`` in place at each push."""
        self._updater = updater

    def save_optimizer_states(self, fname, dump_optimizer=False):
        """Write the updater's states (and the optimizer when ``dump_optimizer``) to ``fname``."""
        if self._updater is None:
            raise AssertionError("Cannot save states for distributed training")
        with open(fname, "wb") as out:
            out.write(self._updater.get_states(dump_optimizer))

    def load_optimizer_states(self, fname):
        """Read states written by ``save_optimizer_states`` into the updater."""
        if self._updater is None:
            raise AssertionError("Cannot load states for distributed training")
        with open(fname, "rb") as src:
            self._updater.set_states(src.read())

    def _barrier(self):
        """Wait for every worker: nothing to wait for in one process."""
