"""``mxnp.horovod``: Horovod's MXNet API (``horovod.mxnet``) on mxnp, over MPI.

A Horovod MXNet script ports by changing ``import horovod.mxnet as hvd`` into
``import mxnp.horovod as hvd``. Collectives are MPI's (``pip install 'mxnp[distributed]'``);
start the script with ``mxnp launch -n N script.py`` or ``mpiexec -n N``.
"""
from __future__ import annotations

import warnings

from . import autograd
from . import numpy as np
from .gluon.parameter import Parameter
from .gluon.trainer import Trainer
from .kvstore import _mpi
from .optimizer import Optimizer

__all__ = [
    "DistributedOptimizer",
    "DistributedTrainer",
    "allgather",
    "allreduce",
    "allreduce_",
    "broadcast",
    "broadcast_",
    "broadcast_parameters",
    "grouped_allreduce",
    "grouped_allreduce_",
    "init",
    "is_initialized",
    "local_rank",
    "local_size",
    "mpi_threads_supported",
    "rank",
    "shutdown",
    "size",
]

_state = {"initialized": False}


def init(comm=None):
    """Start MPI (once); ``comm`` other than the world communicator is not supported."""
    if comm is not None:
        raise NotImplementedError("mxnp.horovod.init(comm=...): only MPI's world is supported")
    _mpi.world()
    _state["initialized"] = True


def shutdown():
    """Mark Horovod as stopped (MPI itself is finalised at exit)."""
    _state["initialized"] = False


def is_initialized():
    """Whether ``init`` was called."""
    return _state["initialized"]


def _comm():
    if not _state["initialized"]:
        raise ValueError("Horovod has not been initialized; use hvd.init().")
    return _mpi.world()


def rank():
    """This process's rank among all processes."""
    return _comm().Get_rank()


def size():
    """The number of processes."""
    return _comm().Get_size()


def local_rank():
    """This process's rank on its machine (use it to pick the GPU: ``mx.gpu(local_rank())``)."""
    _comm()
    return _mpi.local_rank()


def local_size():
    """The number of processes on this machine."""
    _comm()
    return _mpi.local_size()


def mpi_threads_supported():
    """Whether MPI was started with full thread support."""
    return _mpi.mpi().Query_thread() == _mpi.mpi().THREAD_MULTIPLE


def _scaled_(tensors, average, prescale_factor, postscale_factor):
    with autograd.pause():
        if prescale_factor != 1.0:
            for t in tensors:
                t *= prescale_factor
        _mpi.allreduce_(tensors, comm=_comm(), average=average)
        if postscale_factor != 1.0:
            for t in tensors:
                t *= postscale_factor
    return tensors


def allreduce_(tensor, average=True, name=None, priority=0, prescale_factor=1.0,
               postscale_factor=1.0):
    """Sum (or average) ``tensor`` over all processes, in place; returns it."""
    return _scaled_([tensor], average, prescale_factor, postscale_factor)[0]


def allreduce(tensor, average=True, name=None, priority=0, prescale_factor=1.0,
              postscale_factor=1.0):
    """A new array: ``tensor`` summed (or averaged) over all processes."""
    return allreduce_(tensor.copy(), average, name, priority, prescale_factor, postscale_factor)


def grouped_allreduce_(tensors, average=True, name=None, priority=0, prescale_factor=1.0,
                       postscale_factor=1.0):
    """``allreduce_`` of several arrays, packed into as few messages as possible."""
    return _scaled_(list(tensors), average, prescale_factor, postscale_factor)


def grouped_allreduce(tensors, average=True, name=None, priority=0, prescale_factor=1.0,
                      postscale_factor=1.0):
    """New arrays: each of ``tensors`` summed (or averaged) over all processes."""
    return grouped_allreduce_([t.copy() for t in tensors], average, name, priority,
                              prescale_factor, postscale_factor)


def allgather(tensor, name=None, priority=0):
    """Every process's ``tensor`` concatenated along axis 0, in rank order."""
    # the engine's I/O: gathered as NumPy buffers, then one array again
    parts = _comm().allgather(tensor.asnumpy())
    return np.concatenate([np.array(p, ctx=tensor.ctx) for p in parts], axis=0)


def broadcast_(tensor, root_rank, name=None, priority=0):
    """Overwrite ``tensor`` with process ``root_rank``'s, in place; returns it."""
    with autograd.pause():
        _mpi.broadcast_([tensor], root=root_rank, comm=_comm())
    return tensor


def broadcast(tensor, root_rank, name=None, priority=0):
    """A new array holding process ``root_rank``'s ``tensor``."""
    return broadcast_(tensor.copy(), root_rank, name, priority)


def _broadcast_param(param, root_rank):
    with autograd.pause():
        arrays = param.list_data()
        _mpi.broadcast_(arrays[:1], root=root_rank, comm=_comm())
        for arr in arrays[1:]:
            arr[:] = arrays[0].as_in_ctx(arr.ctx)


def _broadcast_when_initialised(param, root_rank):
    """Broadcast a deferred Parameter right after its arrays are made (at its first forward)."""
    finish = param._finish_deferred_init

    def finish_then_broadcast():
        finish()
        del param._finish_deferred_init   # back to the class's method
        _broadcast_param(param, root_rank)

    # every process runs the same first forward, so the broadcasts meet in the same order
    param._finish_deferred_init = finish_then_broadcast


def broadcast_parameters(params, root_rank=0, prefix=None):
    """Give every process ``root_rank``'s parameters (a ParameterDict or a dict of arrays)."""
    if not hasattr(params, "items"):
        raise ValueError(f"invalid params of type: {type(params)}")
    _comm()
    for _, value in sorted(params.items(), key=lambda kv: kv[0]):
        if isinstance(value, Parameter):
            if value._deferred_init:
                _broadcast_when_initialised(value, root_rank)
            else:
                _broadcast_param(value, root_rank)
        else:
            broadcast_(value, root_rank)


class _NoCompression:
    """Gradients travel as they are."""

    @staticmethod
    def compress(tensor):
        """``(tensor, context for decompress)``."""
        return tensor, None

    @staticmethod
    def decompress(tensor, ctx):
        """The tensor as it was before ``compress``."""
        return tensor


class _FP16Compression:
    """Floating-point gradients travel as float16 (half the bytes), and come back cast."""

    @staticmethod
    def compress(tensor):
        """``(tensor as float16, its dtype)`` for a floating tensor; others as they are."""
        if tensor._data.dtype.kind == "f" and tensor._data.dtype.itemsize > 2:
            return tensor.astype("float16"), tensor.dtype
        return tensor, None

    @staticmethod
    def decompress(tensor, ctx):
        """The tensor cast back to the dtype ``compress`` recorded."""
        return tensor if ctx is None else tensor.astype(ctx)


class Compression:
    """Gradient compression for DistributedTrainer: ``Compression.none`` or ``.fp16``."""

    none = _NoCompression
    fp16 = _FP16Compression


class DistributedOptimizer(Optimizer):
    """Wraps an Optimizer: each gradient is summed over processes before the update."""

    _OWN = frozenset({"_optimizer", "_predivide", "update", "update_multi_precision",
                      "_allreduce_grads", "__class__", "__repr__"})

    def __init__(self, optimizer, gradient_predivide_factor=1.0, num_groups=0):
        object.__setattr__(self, "_optimizer", optimizer)
        object.__setattr__(self, "_predivide", gradient_predivide_factor)
        # dividing rescale_grad by the process count turns the allreduce's sum into a mean
        optimizer.rescale_grad *= gradient_predivide_factor / size()

    def __getattribute__(self, name):
        if name in DistributedOptimizer._OWN:
            return object.__getattribute__(self, name)
        return getattr(object.__getattribute__(self, "_optimizer"), name)

    def __setattr__(self, name, value):
        setattr(self._optimizer, name, value)

    def __repr__(self):
        return f"DistributedOptimizer({self._optimizer!r})"

    def _allreduce_grads(self, grad):
        grads = list(grad) if isinstance(grad, (list, tuple)) else [grad]
        _scaled_(grads, False, 1.0 / self._predivide, 1.0)

    def update(self, index, weight, grad, state):
        """Sum ``grad`` over processes, then apply the wrapped optimizer's update."""
        self._allreduce_grads(grad)
        self._optimizer.update(index, weight, grad, state)

    def update_multi_precision(self, index, weight, grad, state):
        """Sum ``grad`` over processes, then apply the wrapped optimizer's update."""
        self._allreduce_grads(grad)
        self._optimizer.update_multi_precision(index, weight, grad, state)


class DistributedTrainer(Trainer):
    """A gluon Trainer that averages gradients over processes before each update."""

    def __init__(self, params, optimizer, optimizer_params=None, compression=None,
                 gradient_predivide_factor=1.0, prefix=None, num_groups=0):
        if isinstance(optimizer, DistributedOptimizer):
            warnings.warn("DistributedTrainer does not take DistributedOptimizer as its "
                          "optimizer; the wrapped optimizer is used instead", stacklevel=2)
            optimizer = optimizer._optimizer
        super().__init__(params, optimizer, optimizer_params=optimizer_params, kvstore=None)
        self._compression = compression or Compression.none
        self._predivide = gradient_predivide_factor
        # the allreduce sums (pre-divided); this factor makes the update see the mean
        self._scale *= gradient_predivide_factor / size()

    def _allreduce_grads(self):
        if size() == 1:
            return
        # every copy (one per context of this process) is summed over the processes
        grads = [g for p in self._params if p.grad_req != "null" for g in p.list_grad()]
        with autograd.pause():
            packed = [self._compression.compress(g) for g in grads]
            _scaled_([t for t, _ in packed], False, 1.0 / self._predivide, 1.0)
            for g, (t, ctx) in zip(grads, packed):
                if t is not g:
                    g[:] = self._compression.decompress(t, ctx)
