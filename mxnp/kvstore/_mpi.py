"""The MPI boundary: mpi4py, imported on first use, and bucketed collectives on arrays.

This is the engine's I/O: each array is read as a NumPy buffer (``onp.asarray`` shares CPU
memory), packed into one contiguous buffer per dtype, reduced by MPI, and written back through
the ndarray's own ``[:] =``. Buckets are capped in size so that packing bucket k+1 overlaps
the non-blocking allreduce of bucket k.
"""
from __future__ import annotations

import os

import numpy as onp

from .. import numpy as np

INSTALL = "pip install 'mxnp[distributed]'"
# 16 MiB: large enough that per-message latency is negligible, small enough to overlap packing
BUCKET_BYTES = int(float(os.environ.get("MXNP_KVSTORE_BUCKET_MB", "16")) * (1 << 20))


def mpi():
    """The ``mpi4py.MPI`` module (initialising MPI), or an ImportError naming the install."""
    try:
        from mpi4py import MPI
    except ImportError as err:
        raise ImportError(f"distributed kvstores run over MPI through mpi4py, which is not "
                          f"installed ({err}); install it with: {INSTALL}") from err
    return MPI


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


def _buckets(arrays):
    """Lists of indices into ``arrays``: one dtype each, at most BUCKET_BYTES (or one array)."""
    by_dtype = {}
    for i, arr in enumerate(arrays):
        by_dtype.setdefault(onp.dtype(arr.dtype), []).append(i)
    out = []
    for dtype, indices in by_dtype.items():
        current, size = [], 0
        for i in indices:
            nbytes = arrays[i].size * dtype.itemsize
            if current and size + nbytes > BUCKET_BYTES:
                out.append(current)
                current, size = [], 0
            current.append(i)
            size += nbytes
        out.append(current)
    return out


def _own_buffer(arr):
    """The NumPy view of a CPU array's own memory, or None when MPI cannot work in place."""
    if arr.ctx.device_type != "cpu":
        return None
    view = onp.asarray(arr)  # shares a CPU array's memory: no copy
    again = onp.asarray(arr)
    # the same address twice means the array's own memory, not a fresh copy each time
    shared = view.__array_interface__["data"][0] == again.__array_interface__["data"][0]
    return view if shared and view.flags.c_contiguous and view.flags.writeable else None


def _pack(arrays, indices):
    """(buffer, whether it is the single array's own memory) for one bucket."""
    if len(indices) == 1:
        own = _own_buffer(arrays[indices[0]])
        if own is not None:
            return own.reshape(-1), True
    dtype = onp.dtype(arrays[indices[0]].dtype)
    buf = onp.empty(sum(arrays[i].size for i in indices), dtype=dtype)
    offset = 0
    for i in indices:
        n = arrays[i].size
        buf[offset:offset + n] = onp.asarray(arrays[i]).reshape(-1)
        offset += n
    return buf, False


def _unpack(buf, arrays, indices):
    offset = 0
    for i in indices:
        arr = arrays[i]
        part = buf[offset:offset + arr.size].reshape(arr.shape)
        own = _own_buffer(arr)
        if own is not None:
            own[...] = part                   # one copy, straight into the array's memory
        else:
            arr[:] = np.array(part, ctx=arr.ctx)
        offset += arr.size


def _finish(buf, in_place, arrays, indices, average, size):
    if average:
        # in place, truncating for integer buffers (as an integer mean would)
        onp.divide(buf, size, out=buf, casting="unsafe")
    if not in_place:
        _unpack(buf, arrays, indices)


def _sum_op(MPI, buf):
    # a sum of booleans stays boolean in NumPy: a logical or (MPI has no SUM for them)
    return MPI.LOR if buf.dtype == onp.bool_ else MPI.SUM


def allreduce_(arrays, comm=None, average=False):
    """Sum (or average) each array over all processes, in place; one message per bucket."""
    comm = comm or world()
    MPI = mpi()
    size = comm.Get_size()
    if size == 1:
        return
    buckets = _buckets(arrays)
    if len(buckets) == 1:
        # a single message gains nothing from a non-blocking call (and pays its overhead)
        buf, in_place = _pack(arrays, buckets[0])
        comm.Allreduce(MPI.IN_PLACE, buf, op=_sum_op(MPI, buf))
        _finish(buf, in_place, arrays, buckets[0], average, size)
        return
    pending = []
    for indices in buckets:
        # packing the next bucket overlaps the reduction of this one
        buf, in_place = _pack(arrays, indices)
        request = comm.Iallreduce(MPI.IN_PLACE, buf, op=_sum_op(MPI, buf))
        pending.append((request, buf, in_place, indices))
    for request, buf, in_place, indices in pending:
        request.Wait()
        _finish(buf, in_place, arrays, indices, average, size)


def broadcast_(arrays, root=0, comm=None):
    """Overwrite each array with the root process's, in place."""
    comm = comm or world()
    if comm.Get_size() == 1:
        return
    for indices in _buckets(arrays):
        buf, in_place = _pack(arrays, indices)
        comm.Bcast(buf, root=root)
        if comm.Get_rank() != root and not in_place:
            _unpack(buf, arrays, indices)
