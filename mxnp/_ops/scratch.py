"""Reusable buffers for the big temporaries an op makes and drops before it returns.

im2col's columns are the largest arrays a convolution makes (25x its input for a 5x5 kernel),
and they never leave the op. A fresh NumPy array for them each call costs a page fault per
4 KiB whenever the C allocator has given the previous one back to the OS, which glibc does
unless tuned (``mxnp.tune_host_allocator``); reusing one buffer per thread avoids that, as a
caching allocator would, without changing anything process-wide.
"""
from __future__ import annotations

import threading

_MAX_BYTES = 64 << 20  # bigger temporaries are rare; holding one for good would cost too much
_local = threading.local()


def scratch(xp, shape: tuple, dtype, slot: str):
    """An uninitialised array of ``shape`` that stays valid until the next call for ``slot``
    in this thread: only for values consumed before the op returns."""
    size = 1
    for d in shape:
        size *= d
    nbytes = size * xp.dtype(dtype).itemsize
    if nbytes > _MAX_BYTES:
        return xp.empty(shape, dtype)
    cache = _local.__dict__.setdefault("buffers", {})
    key = (slot, xp.__name__, xp.dtype(dtype).str)
    buf = cache.get(key)
    if buf is None or buf.size < size:
        buf = cache[key] = xp.empty(size, dtype)
    return buf[:size].reshape(shape)
