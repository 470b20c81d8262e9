"""Sliding windows over the trailing (spatial) axes, shared by convolution and pooling.

``window_view`` is im2col without the copy: a strided view whose entry ``[..., k, o]`` is
``x[..., o * stride + k * dilate]``. ``fold`` is its adjoint (col2im): it adds each window
entry back to the position it was read from. Both work on raw ``xp`` arrays.
"""
from __future__ import annotations

import itertools
import math


def out_size(size: int, kernel: int, stride: int, pad_lo: int, pad_hi: int, dilate: int = 1,
             ceil: bool = False) -> int:
    """Number of window positions along one axis (floor, or ceil for pooling's 'full')."""
    span = size + pad_lo + pad_hi - dilate * (kernel - 1) - 1
    return (-(-span // stride) if ceil else span // stride) + 1


def pad_spatial(xp, x, lo, hi, value=0):
    """``x`` padded by ``lo``/``hi`` on its trailing ``len(lo)`` axes (``x`` itself if none)."""
    if not any(lo) and not any(hi):
        return x
    widths = [(0, 0)] * (x.ndim - len(lo)) + list(zip(lo, hi))
    return xp.pad(x, widths, mode="constant", constant_values=value)


def window_view(xp, x, kernel, stride, dilate, out):
    """The view ``(*lead, *kernel, *out)`` of ``x`` ``(*lead, *spatial)``; shares memory."""
    nd = len(kernel)
    lead, spatial = x.strides[:-nd], x.strides[x.ndim - nd:]
    strides = (lead + tuple(s * d for s, d in zip(spatial, dilate))
               + tuple(s * t for s, t in zip(spatial, stride)))
    shape = x.shape[:-nd] + tuple(kernel) + tuple(out)
    return xp.lib.stride_tricks.as_strided(x, shape=shape, strides=strides)


def fold(xp, cols, size, stride, dilate):
    """The adjoint of ``window_view``: ``cols`` ``(*lead, *kernel, *out)`` summed into ``size``.

    One strided add per kernel offset (25 for a 5x5 kernel), never a loop over positions.
    """
    nd = len(size)
    lead = cols.shape[:cols.ndim - 2 * nd]
    kernel, out = cols.shape[len(lead):len(lead) + nd], cols.shape[len(lead) + nd:]
    buf = xp.zeros(lead + tuple(size), dtype=cols.dtype)
    every = (slice(None),) * len(lead)
    if tuple(stride) == tuple(kernel) and all(d == 1 for d in dilate):
        # windows that tile without overlap (2x2 pooling with stride 2): each position gets
        # one entry, so one transposed copy does what the strided adds would
        n = len(lead)
        axes = tuple(range(n)) + tuple(a for i in range(nd) for a in (n + nd + i, n + i))
        tiled = cols.transpose(axes).reshape(lead + tuple(o * k for o, k in zip(out, kernel)))
        buf[every + tuple(slice(0, t) for t in tiled.shape[n:])] = tiled
        return buf
    for kk in itertools.product(*(range(k) for k in kernel)):
        region = tuple(slice(k * d, k * d + s * (o - 1) + 1, s)
                       for k, d, s, o in zip(kk, dilate, stride, out))
        buf[every + region] += cols[every + kk]
    return buf


def offsets(kernel):
    """Every kernel offset, in row-major order (the order MXNet scans a window in)."""
    return itertools.product(*(range(k) for k in kernel))


def reduce_windows(ufunc, view, nd):
    """``ufunc`` reduced over the ``nd`` kernel axes of a window view, one offset at a time.

    A strided elementwise op per offset is several times faster than ``ufunc.reduce`` over
    short, strided inner axes (4 entries for a 2x2 pool).
    """
    lead = (slice(None),) * (view.ndim - 2 * nd)
    acc = None
    for kk in offsets(view.shape[len(lead):len(lead) + nd]):
        part = view[lead + kk]
        acc = part.copy() if acc is None else ufunc(acc, part, out=acc)
    return acc


def crop(x, lo, size):
    """The trailing axes of ``x`` cut to ``[lo, lo + size)``: undoes ``pad_spatial``."""
    nd = len(size)
    return x[(slice(None),) * (x.ndim - nd) + tuple(slice(a, a + n) for a, n in zip(lo, size))]


def prod(shape) -> int:
    return math.prod(shape)
