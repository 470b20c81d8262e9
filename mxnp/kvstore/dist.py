"""The synchronous distributed stores over MPI: 'dist_sync' (and its aliases) and 'horovod'.

MXNet's parameter servers are replaced by collectives: ``init``/``broadcast`` take rank 0's
value, and a push is an allreduce (sum) of the workers' values. With an optimizer set, every
worker applies the same update to the same summed gradient, so the workers stay equal without a
server holding the weights.
"""
from __future__ import annotations

from .. import autograd
from . import _mpi
from .base import KVStoreBase, _check_capability
from .local import KVStore, _pairs

__all__ = ["DistKVStore", "Horovod"]


class DistKVStore(KVStore):
    """'dist_sync', 'dist_device_sync', 'dist': a KVStore whose pushes are summed over workers."""

    def __init__(self, name="dist_sync"):
        super().__init__(name)
        self._comm = _mpi.world()

    def _from_root(self, arrays):
        _mpi.broadcast_(arrays, root=0, comm=self._comm)
        return arrays

    def _sum_over_workers(self, arrays):
        _mpi.allreduce_(arrays, comm=self._comm)

    @property
    def rank(self):
        """This worker's MPI rank."""
        return self._comm.Get_rank()

    @property
    def num_workers(self):
        """The number of MPI processes."""
        return self._comm.Get_size()

    def _barrier(self):
        """Wait until every worker gets here."""
        self._comm.Barrier()


@KVStoreBase.register
class Horovod(KVStoreBase):
    """The 'horovod' store: broadcast and allreduce only, with no optimizer of its own."""

    def __init__(self):
        self._comm = _mpi.world()

    @property
    def type(self):
        """Always 'horovod'."""
        return "horovod"

    @property
    def rank(self):
        """This worker's MPI rank."""
        return self._comm.Get_rank()

    @property
    def local_rank(self):
        """This worker's index on its machine."""
        return _mpi.local_rank()

    @property
    def num_workers(self):
        """The number of MPI processes."""
        return self._comm.Get_size()

    def broadcast(self, key, value, out, priority=0):
        """Write rank 0's ``value`` into ``out`` (an array or a list) on every worker."""
        with autograd.pause():
            root = [value.copy()]
            _mpi.broadcast_(root, comm=self._comm)
            for arr in _pairs(key, out, what="out")[0][1]:
                arr[:] = root[0].as_in_ctx(arr.ctx)

    def pushpull(self, key, value, out=None, priority=0):
        """Sum ``value`` over workers into ``out`` (or in place); no per-device copies here."""
        values = _pairs(key, value)
        arrays = [arrs[0] for _, arrs in values]
        with autograd.pause():
            if out is None:
                _mpi.allreduce_(arrays, comm=self._comm)
                return
            totals = [arr.copy() for arr in arrays]
            _mpi.allreduce_(totals, comm=self._comm)
            for total, (_, outs) in zip(totals, _pairs(key, out, what="out")):
                for arr in outs:
                    arr[:] = total.as_in_ctx(arr.ctx)

    def is_capable(self, capability):
        """False for ``'optimizer'``: updates happen in the Trainer, after the allreduce."""
        _check_capability(capability)
        return False

    def set_optimizer(self, optimizer):
        """Not supported: the 'horovod' store has no optimizer."""
        raise NotImplementedError("kvstore 'horovod' cannot hold an optimizer; the Trainer "
                                  "updates after the allreduce (update_on_kvstore=False)")

    def save_optimizer_states(self, fname, dump_optimizer=False):
        """Not supported: the 'horovod' store has no optimizer states."""
        raise NotImplementedError("kvstore 'horovod' holds no optimizer states; use "
                                  "Trainer.save_states")

    def load_optimizer_states(self, fname):
        """Not supported: the 'horovod' store has no optimizer states."""
        raise NotImplementedError("kvstore 'horovod' holds no optimizer states; use "
                                  "Trainer.load_states")
