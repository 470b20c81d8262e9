"""The order MXNet 1.9.1's CPU sorts put elements in (``np.sort``/``argsort``, ``npx.topk``,
``mx.nd.sort``/``argsort``/``topk``: all one kernel, TopKSort).

MXNet sorts the positions of each row with libstdc++'s ``std::sort`` by ``x[i] < x[j]``
(``>`` descending), or with ``std::partial_sort`` where ``k * 8 <= n``. Neither is stable:
ties (and NaN, which compares false) land where those algorithms leave them, and ``kind=``
changes nothing. ``mxnp/_libm``'s ``sort_order`` runs the same steps in C; without it, the
rows whose order is not fixed by their values alone (ties, NaN) take the same steps in Python
below, and the others NumPy's stable order, which is then the same.
"""
from __future__ import annotations

import math

import numpy as onp

from .. import _native

_LIBM = _native.libm()
_THRESHOLD = 16  # libstdc++'s _S_threshold: runs this short are left to insertion sort


def mxnet_order(xp, x, axis: int, k: int, is_ascend: bool):
    """The first ``k`` positions along ``axis`` of ``x`` (a backend array) in MXNet's sort
    order: int64, of ``x``'s shape with ``k`` on ``axis``. Off the host (CuPy), the stable
    order: MXNet's GPU sorts are another algorithm again."""
    if xp is not onp:
        return xp.take(stable_order(xp, x, axis, is_ascend), xp.arange(k), axis=axis)
    last = axis in (-1, x.ndim - 1)
    rows = x if last else x.swapaxes(axis, -1)  # (swapaxes: a view, cheaper than moveaxis)
    lead = rows.shape[:-1]
    keys = onp.ascontiguousarray(_comparable(rows.reshape(math.prod(lead), rows.shape[-1])))
    out = onp.empty((keys.shape[0], k), onp.int64)
    if _LIBM is not None:
        _LIBM.sort_order(keys, out, k, is_ascend)
    else:
        _order_rows(keys, out, k, is_ascend)
    out = out.reshape(lead + (k,))
    return out if last else out.swapaxes(axis, -1)


def stable_order(xp, x, axis: int, ascend: bool):
    """The positions along ``axis`` in NumPy's stable order, ascending or descending, ties in
    their order either way (descending sorts ``-x`` for floats, ``~x`` = -x - 1, which neither
    wraps unsigned values nor overflows the most negative integer, for integers and bools)."""
    key = x if ascend else (-x if x.dtype.kind in "fc" else ~x)
    return xp.argsort(key, axis=axis, kind="stable")


def _comparable(rows):
    """``rows`` as float32, float64 or int64 values that compare as the originals do."""
    kind, size = rows.dtype.kind, rows.dtype.itemsize
    if kind == "f":
        return rows if size >= 4 else rows.astype(onp.float32)
    if kind == "u" and size == 8:  # the sign bit flipped: unsigned order as signed order
        return rows.view(onp.int64) ^ onp.int64(-1 << 63)
    return rows.astype(onp.int64)


def _order_rows(keys, out, k, ascend):
    """``_libm.sort_order``'s result without it: NumPy's stable order for the rows where it is
    MXNet's (distinct values and no NaN; or a full sort of at most 16, which is an insertion
    sort); libstdc++'s steps in Python for the rest."""
    n = keys.shape[1]
    stable = stable_order(onp, keys, -1, ascend)
    out[...] = stable[:, :k]
    if n < 2 or k == 0:
        return
    ranked = onp.take_along_axis(keys, stable, axis=-1)
    nan = onp.isnan(ranked).any(axis=1) if keys.dtype.kind == "f" else False
    tied = (ranked[:, 1:] == ranked[:, :-1]).any(axis=1)
    full = k * 8 > n
    for row in onp.flatnonzero(nan | (tied & (not full or n > _THRESHOLD))):
        before = comparison(keys[row].tolist(), ascend)
        order = list(range(n))
        if full:
            _std_sort(order, before)
        else:
            order = _heap_sorted(order, k, before)
        out[row] = order[:k]


# ---- libstdc++'s std::sort and std::partial_sort, over a list of positions ------------------
# The same steps as _libm's C loops (which say more); ``before(i, j)`` compares positions.

def comparison(values, ascend):
    """MXNet's comparison of positions ``i`` and ``j`` of ``values``: ``values[i] < values[j]``
    (``>`` descending)."""
    if ascend:
        return lambda i, j: values[i] < values[j]
    return lambda i, j: values[i] > values[j]


def _std_sort(a, before):
    n = len(a)
    _introsort(a, 0, n, 2 * (n.bit_length() - 1), before)
    for i in range(1, min(n, _THRESHOLD)):  # the guarded insertion sort of the head
        if before(a[i], a[0]):
            a[0], a[1:i + 1] = a[i], a[0:i]
        else:
            _insert(a, i, before)
    for i in range(_THRESHOLD, n):  # the unguarded one of the rest (kept in the row here)
        _insert(a, i, before)


def _introsort(a, lo, hi, depth, before):
    while hi - lo > _THRESHOLD:
        if depth == 0:
            a[lo:hi] = _heap_sorted(a[lo:hi], hi - lo, before)
            return
        depth -= 1
        x, y, z = lo + 1, lo + (hi - lo) // 2, hi - 1  # the median of three moved to a[lo]
        if before(a[x], a[y]):
            s = y if before(a[y], a[z]) else (z if before(a[x], a[z]) else x)
        elif before(a[x], a[z]):
            s = x
        else:
            s = z if before(a[y], a[z]) else y
        a[lo], a[s] = a[s], a[lo]
        first, last = lo + 1, hi  # partition around a[lo]
        while True:
            while first < hi - 1 and before(a[first], a[lo]):
                first += 1
            last -= 1
            while before(a[lo], a[last]):
                last -= 1
            if not first < last:
                break
            a[first], a[last] = a[last], a[first]
            first += 1
        _introsort(a, first, hi, depth, before)
        hi = first


def _insert(a, i, before):
    value = a[i]
    while i > 0 and before(value, a[i - 1]):
        a[i] = a[i - 1]
        i -= 1
    a[i] = value


def _heap_sorted(a, middle, before):
    """std::partial_sort(a, a + middle, a + len(a)): a heap of the first ``middle``, each later
    one that goes before its top swapped in, then the heap sorted."""
    a = list(a)
    if middle > 1:
        for parent in range((middle - 2) // 2, -1, -1):
            _adjust_heap(a, parent, middle, a[parent], before)
    for i in range(middle, len(a)):
        if before(a[i], a[0]):
            value, a[i] = a[i], a[0]
            _adjust_heap(a, 0, middle, value, before)
    while middle > 1:
        middle -= 1
        value, a[middle] = a[middle], a[0]
        _adjust_heap(a, 0, middle, value, before)
    return a


def _adjust_heap(a, hole, n, value, before):
    top = child = hole
    while child < (n - 1) // 2:
        child = 2 * (child + 1)
        if before(a[child], a[child - 1]):
            child -= 1
        a[hole] = a[child]
        hole = child
    if n % 2 == 0 and child == (n - 2) // 2:
        child = 2 * (child + 1)
        a[hole] = a[child - 1]
        hole = child - 1
    parent = (hole - 1) // 2
    while hole > top and before(a[parent], value):
        a[hole] = a[parent]
        hole = parent
        parent = (hole - 1) // 2
    a[hole] = value
