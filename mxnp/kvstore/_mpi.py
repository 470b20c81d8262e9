"""The MPI boundary: mpi4py, imported on first use, and bucketed collectives on arrays.

This is the engine's I/O: each array is read as a NumPy buffer (``onp.asarray`` shares CPU
memory); a large array is reduced where it lies, small ones are packed into one contiguous
buffer per dtype (capped in size), reduced by MPI, and written back through their memory or the
ndarray's own ``[:] =``.
"""
from __future__ import annotations

import os

import numpy as onp

from .. import numpy as np

INSTALL = "pip install 'mxnp[distributed]'"
# 16 MiB: large enough that per-message latency is negligible, small enough to bound the copy
BUCKET_BYTES = int(float(os.environ.get("MXNP_KVSTORE_BUCKET_MB", "16")) * (1 << 20))
# an array this large costs less to reduce where it lies than to copy into a bucket and back
PACK_BYTES = 64 << 10


_MPI = None


def mpi():
    """The ``mpi4py.MPI`` module (initialising MPI), or an ImportError naming the install."""
    global _MPI
    if _MPI is None:
        # imported once: ``from mpi4py import MPI`` costs ~50 us a call, even when loaded
        try:
            from mpi4py import MPI
        except ImportError as err:
            raise ImportError(f"distributed kvstores run over MPI through mpi4py, which is not "
                              f"installed ({err}); install it with: {INSTALL}") from err
        _MPI = MPI
    return _MPI


def world():
    """MPI's world communicator."""
    return mpi().COMM_WORLD


def local_rank():
    """This process's index among the processes of its machine."""
    comm = world().Split_type(mpi().COMM_TYPE_SHARED)
    try:
        return comm.Get_rank()
    finally:
        comm.Free()


def local_size():
    """How many processes of this job run on this machine."""
    comm = world().Split_type(mpi().COMM_TYPE_SHARED)
    try:
        return comm.Get_size()
    finally:
        comm.Free()


def _own_buffer(arr):
    """The flat NumPy view of a CPU array's own memory, or None when MPI cannot work in place."""
    if arr.ctx.device_type != "cpu":
        return None
    view = onp.asarray(arr)  # a CPU array's own memory (no copy) ...
    if view is not onp.asarray(arr) or not view.flags.c_contiguous or not view.flags.writeable:
        return None          # ... unless each call gives a fresh copy
    return view.reshape(-1)


def _buckets(arrays):
    """``[(indices, own)]``: an array of PACK_BYTES or more in its own memory is a bucket of its
    own (``own``: that memory); the others are grouped by dtype, at most BUCKET_BYTES each."""
    by_dtype, out = {}, []
    for i, arr in enumerate(arrays):
        dtype = onp.dtype(arr.dtype)
        own = _own_buffer(arr) if arr.size * dtype.itemsize >= PACK_BYTES else None
        if own is not None:
            out.append(([i], own))
        else:
            by_dtype.setdefault(dtype, []).append(i)
    for dtype, indices in by_dtype.items():
        current, size = [], 0
        for i in indices:
            nbytes = arrays[i].size * dtype.itemsize
            if current and size + nbytes > BUCKET_BYTES:
                out.append((current, None))
                current, size = [], 0
            current.append(i)
            size += nbytes
        out.append((current, None))
    return out


def _pack(arrays, indices):
    """One contiguous buffer holding the bucket's arrays, one after the other."""
    buf = onp.empty(sum(arrays[i].size for i in indices), dtype=onp.dtype(arrays[indices[0]].dtype))
    offset = 0
    for i in indices:
        n = arrays[i].size
        buf[offset:offset + n] = onp.asarray(arrays[i]).reshape(-1)
        offset += n
    return buf


def _unpack(buf, arrays, indices):
    offset = 0
    for i in indices:
        arr = arrays[i]
        part = buf[offset:offset + arr.size]
        own = _own_buffer(arr)
        if own is not None:
            own[...] = part                   # one copy, straight into the array's memory
        else:
            arr[:] = np.array(part.reshape(arr.shape), ctx=arr.ctx)
        offset += arr.size


def _sum_op(MPI, buf):
    # a sum of booleans stays boolean in NumPy: a logical or (MPI has no SUM for them)
    return MPI.LOR if buf.dtype == onp.bool_ else MPI.SUM


def allreduce_(arrays, comm=None, average=False):
    """Sum (or average) each array over all processes, in place; one message per bucket."""
    comm = comm or world()
    size = comm.Get_size()
    if size == 1:
        return
    MPI = mpi()
    for indices, own in _buckets(arrays):
        # blocking, one bucket after the other: Open MPI's non-blocking allreduce only moves
        # inside MPI calls, and measured slower here (two buckets of 0.5 MB on 2 processes:
        # 155 us with Iallreduce, 100 us one after the other)
        buf = _pack(arrays, indices) if own is None else own
        comm.Allreduce(MPI.IN_PLACE, buf, op=_sum_op(MPI, buf))
        if average:
            # in place, truncating for integer buffers (as an integer mean would)
            onp.divide(buf, size, out=buf, casting="unsafe")
        if own is None:
            _unpack(buf, arrays, indices)


def broadcast_(arrays, root=0, comm=None):
    """Overwrite each array with the root process's, in place."""
    comm = comm or world()
    if comm.Get_size() == 1:
        return
    for indices, own in _buckets(arrays):
        buf = _pack(arrays, indices) if own is None else own
        comm.Bcast(buf, root=root)
        if own is None and comm.Get_rank() != root:
            _unpack(buf, arrays, indices)
