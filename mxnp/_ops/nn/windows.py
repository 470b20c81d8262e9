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


def fold(xp, cols, size, stride, dilate, lead=2):
    """The adjoint of ``window_view``: ``cols`` ``(*lead, *kernel, *out, *trail)`` (``lead``
    leading axes) summed into ``(*lead, *size, *trail)``.

    One spatial axis at a time, one strided add per kernel offset along it (5 + 5 for a 5x5
    kernel, never a loop over positions). Each add runs over the axes not yet folded, which
    for stride 1 are whole contiguous blocks (``prod(out[a:])`` entries), and each axis
    folded shrinks what the next one adds; windows that tile without overlap (2x2 pooling
    with stride 2) are copied, one offset at a time.
    """
    nd = len(size)
    kernel, out = cols.shape[lead:lead + nd], cols.shape[lead + nd:lead + 2 * nd]
    trail = cols.shape[lead + 2 * nd:]
    every = (slice(None),) * lead
    if tuple(stride) == tuple(kernel) and all(d == 1 for d in dilate):
        # each position gets one entry (windows side by side): one strided copy per offset
        buf = xp.zeros(cols.shape[:lead] + tuple(size) + trail, dtype=cols.dtype)
        for kk in offsets(kernel):
            buf[every + tuple(slice(k, k + s * (o - 1) + 1, s)
                              for k, s, o in zip(kk, stride, out))] = cols[every + kk]
        return buf
    for a in range(nd):  # cols: (*lead, *kernel[a:], *size[:a], *out[a:], *trail)
        at = lead + nd - 1  # the axis of out[a] once kernel[a] is summed away
        shape = cols.shape[:lead] + cols.shape[lead + 1:]
        buf = xp.zeros(shape[:at] + (size[a],) + shape[at + 1:], dtype=cols.dtype)
        for k in range(kernel[a]):
            start = k * dilate[a]
            rows = slice(start, start + stride[a] * (out[a] - 1) + 1, stride[a])
            buf[(slice(None),) * at + (rows,)] += cols[every + (k,)]
        cols = buf
    return cols


def offsets(kernel):
    """Every kernel offset, in row-major order (the order MXNet scans a window in)."""
    return itertools.product(*(range(k) for k in kernel))


def reduce_windows(ufunc, x, kernel, stride, out):
    """``ufunc`` reduced over each window of ``x`` (``kernel`` entries, ``stride`` apart, no
    dilation) on its trailing axes: one spatial axis at a time, one strided slice per kernel
    offset along it.

    Several times faster than ``ufunc.reduce`` over a window view's short, strided inner axes
    (4 entries for a 2x2 pool), and each axis reduced shrinks what the next one reads.
    """
    nd = len(kernel)
    for a, (k, s, o) in enumerate(zip(kernel, stride, out)):
        head = (slice(None),) * (x.ndim - nd + a)
        acc = None
        for i in range(k):
            part = x[head + (slice(i, i + s * (o - 1) + 1, s),)]
            acc = part.copy() if acc is None else ufunc(acc, part, out=acc)
        x = acc
    return x


def crop(x, lo, size):
    """The trailing axes of ``x`` cut to ``[lo, lo + size)``: undoes ``pad_spatial``."""
    nd = len(size)
    return x[(slice(None),) * (x.ndim - nd) + tuple(slice(a, a + n) for a, n in zip(lo, size))]


def prod(shape) -> int:
    return math.prod(shape)
