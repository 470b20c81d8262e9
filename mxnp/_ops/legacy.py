"""MXNet operators that have no NumPy name (``slice_axis``, ``broadcast_axes``, ``depth_to_space``
...), with the meaning of MXNet's operator of the same name. All are composites of
differentiable ops, so they get their gradients for free.
"""
from __future__ import annotations

import builtins

from .. import _dtypes
from .checks import reduction_axes
from .creation import array
from .elementwise import power, sqrt
from .indexing import getitem
from .reduction import argmax
from .shape import broadcast_to, reshape, split, squeeze, transpose


def _norm_axis(axis, ndim, name):
    return reduction_axes(axis, ndim, name)[0]


def slice(data, begin, end, step=None):  # noqa: A001 - MXNet's name
    """``data[begin:end:step]`` axis by axis; None in begin/end/step takes the default."""
    step = step or (None,) * len(begin)
    if not len(begin) == len(end) == len(step):
        raise ValueError(f"slice: begin {begin}, end {end} and step {step} differ in length")
    return getitem(data, tuple(builtins.slice(b, e, s) for b, e, s in zip(begin, end, step)))


def slice_axis(data, axis, begin, end):
    """``data[..., begin:end, ...]`` along one axis (end None: to the end)."""
    axis = _norm_axis(axis, data.ndim, "slice_axis")
    return getitem(data, (builtins.slice(None),) * axis + (builtins.slice(begin, end),))


def slice_like(data, shape_like, axes=()):
    """``data`` cut to the shape of ``shape_like`` (on ``axes``, or on all of them)."""
    axes = [_norm_axis(a, data.ndim, "slice_like") for a in axes] or range(shape_like.ndim)
    key = [builtins.slice(None)] * data.ndim
    for a in axes:
        key[a] = builtins.slice(0, shape_like.shape[a])
    return getitem(data, tuple(key))


def broadcast_axes(data, axis=(), size=()):
    """``data`` with its size-1 ``axis`` broadcast to ``size``."""
    axis = (axis,) if isinstance(axis, int) else tuple(axis)
    size = (size,) if isinstance(size, int) else tuple(size)
    shape = list(data.shape)
    for a, s in zip(axis, size):
        shape[_norm_axis(a, data.ndim, "broadcast_axes")] = s
    return broadcast_to(data, tuple(shape))


def broadcast_like(lhs, rhs, lhs_axes=None, rhs_axes=None):
    """``lhs`` broadcast to ``rhs``'s shape (or on the given pairs of axes)."""
    if lhs_axes is None:
        return broadcast_to(lhs, rhs.shape)
    shape = list(lhs.shape)
    for la, ra in zip(lhs_axes, rhs_axes):
        shape[la] = rhs.shape[ra]
    return broadcast_to(lhs, tuple(shape))


def reshape_like(lhs, rhs):
    return reshape(lhs, rhs.shape)


def shape_array(data):
    """The shape as an int64 array."""
    return array(list(data.shape), dtype=_dtypes.INDEX, ctx=data.ctx)


def size_array(data):
    return array([data.size], dtype=_dtypes.INDEX, ctx=data.ctx)


def depth_to_space(data, block_size):
    """NCHW: channels moved into blocks of ``block_size`` x ``block_size`` pixels (DCR order)."""
    n, c, h, w = data.shape
    b = block_size
    x = reshape(data, (n, b, b, c // (b * b), h, w))
    return reshape(transpose(x, (0, 3, 4, 1, 5, 2)), (n, c // (b * b), h * b, w * b))


def space_to_depth(data, block_size):
    """The inverse of depth_to_space."""
    n, c, h, w = data.shape
    b = block_size
    x = reshape(data, (n, c, h // b, b, w // b, b))
    return reshape(transpose(x, (0, 3, 5, 1, 2, 4)), (n, c * b * b, h // b, w // b))


def argmax_channel(data):
    """argmax over the last axis, as float32 (MXNet's legacy operator)."""
    return argmax(data, axis=-1).astype(_dtypes.DEFAULT_FLOAT)


def split_v2(ary, indices_or_sections, axis=0, squeeze_axis=False):
    parts = split(ary, indices_or_sections, axis=axis)
    if squeeze_axis:
        parts = [squeeze(p, axis) for p in parts]
    return parts


def rsqrt(data):
    return 1 / sqrt(data)


def rcbrt(data):
    """1 / cbrt(x), for the non-negative inputs MXNet documents."""
    return power(data, -1.0 / 3.0)
