"""MXNet 1.x's shape operators: ``Reshape`` with its codes, ``transpose``, ``split`` (a list of
``num_outputs``), ``slice``, ``Pad``, ``Crop``, ``UpSampling`` ..., composites of np/npx ops.
"""
from __future__ import annotations

import builtins

import numpy as onp

from .. import numpy as np
from .. import numpy_extension as npx
from .._mode import is_np_shape
from .._ops import legacy as _legacy
from ..base import MXNetError, OpError
from ._define import legacy_op
from ._nn import Deconvolution
from .ndarray import at_least_1d, legacy_shape, to_nd


@legacy_op("Reshape", aliases=("reshape",))
def Reshape(data, shape=None, reverse=False, target_shape=None, keep_highest=False):
    """``data`` in a new shape, with MXNet's codes (0, -1, -2, -3, -4) and ``reverse``; or by
    the deprecated ``target_shape`` (0: the one dim inferred; ``keep_highest``: the first dim
    stays)."""
    if shape is None and target_shape is not None and tuple(target_shape):
        target = tuple(target_shape)
        if keep_highest:
            target = (data.shape[0], *target[1:])
        shape = tuple(-1 if d == 0 else d for d in target)
    if shape is None:
        raise ValueError(f"Reshape: no shape given for an array of shape {data.shape}")
    return np.reshape(data, legacy_shape(data.shape, shape, reverse))


@legacy_op("reshape_like", ("lhs", "rhs"))
def reshape_like(lhs, rhs, lhs_begin=None, lhs_end=None, rhs_begin=None, rhs_end=None):
    """``lhs`` in ``rhs``'s shape (or the axes [lhs_begin, lhs_end) take rhs's [begin, end))."""
    if lhs_begin is None and rhs_begin is None and lhs_end is None and rhs_end is None:
        return np.reshape(lhs, rhs.shape)
    lb, le = lhs_begin or 0, lhs.ndim if lhs_end is None else lhs_end
    rb, re = rhs_begin or 0, rhs.ndim if rhs_end is None else rhs_end
    return np.reshape(lhs, lhs.shape[:lb] + rhs.shape[rb:re] + lhs.shape[le:])


@legacy_op("transpose")
def transpose(data, axes=None):
    """Axes permuted (reversed when ``axes`` is empty)."""
    return np.transpose(data, tuple(axes) if axes else None)


@legacy_op("expand_dims")
def expand_dims(data, axis):
    """A new size-1 axis at ``axis``."""
    return np.expand_dims(data, axis)


@legacy_op("squeeze")
def squeeze(data, axis=None):
    """Size-1 axes removed (those in ``axis``, or all); one axis is left of a shape of ones,
    as MXNet's legacy operator does (in numpy-shape mode too)."""
    out = np.squeeze(data, axis)
    return at_least_1d(out)


@legacy_op("SwapAxis", aliases=("swapaxes",))
def SwapAxis(data, dim1=0, dim2=0):
    """Axes ``dim1`` and ``dim2`` exchanged."""
    return np.swapaxes(data, dim1, dim2)


@legacy_op("reverse", aliases=("flip",))
def reverse(data, axis):
    """The order reversed along ``axis`` (an int or a tuple)."""
    return np.flip(data, tuple(axis) if isinstance(axis, (list, tuple)) else axis)


@legacy_op("tile")
def tile(data, reps):
    """``data`` repeated ``reps`` times along each axis (each at least 1, as MXNet's)."""
    reps = (reps,) if isinstance(reps, int) else tuple(reps)
    if any(r < 1 for r in reps):
        raise MXNetError(f"reps must be positive integers, got {reps}")
    return np.tile(data, reps)


@legacy_op("repeat")
def repeat(data, repeats, axis=None):
    """Each element repeated ``repeats`` times (along ``axis``, or of the flattened array);
    ``repeats=0`` gives shape (0,) outside np_shape, whatever the axis, as MXNet's."""
    out = np.repeat(data, repeats, axis)
    return np.reshape(out, (0,)) if repeats == 0 and not is_np_shape() else out


@legacy_op("stack", variadic=True)
def stack(*data, axis=0):
    """Join arrays along a new ``axis``."""
    return np.stack(data, axis=axis)


def _split_outputs(attrs):
    return int(attrs.get("num_outputs", 1))


# a 1-D array split with squeeze_axis gives 0-d parts, also outside np_shape (MXNet's)
@legacy_op("SliceChannel", aliases=("split",), num_outputs=_split_outputs, keeps_0d=True)
def SliceChannel(data, num_outputs, axis=1, squeeze_axis=False):
    """``num_outputs`` equal parts along ``axis`` (a list; the array itself for one part)."""
    if not isinstance(num_outputs, (int, onp.integer)) or isinstance(num_outputs, bool):
        raise OpError(f"SliceChannel: num_outputs expects an int, got {num_outputs!r}")
    if not -data.ndim <= axis < data.ndim:
        raise OpError(f"SliceChannel: Check failed: param_.axis < dshape.ndim() ({axis} vs. "
                      f"{data.ndim}) :")
    if data.shape[axis] % num_outputs:
        raise OpError(f"SliceChannel: axis {axis} of shape {data.shape} does not split into "
                         f"{num_outputs} equal parts")
    parts = _legacy.split_v2(data, num_outputs, axis=axis, squeeze_axis=squeeze_axis)
    return parts[0] if num_outputs == 1 else list(parts)


def _split_v2_outputs(attrs):
    sections = int(attrs.get("sections") or 0)
    return sections if sections > 0 else len(tuple(attrs.get("indices") or ()))


@legacy_op("_split_v2", num_outputs=_split_v2_outputs, keeps_0d=True)
def _split_v2(data, indices=(), axis=0, squeeze_axis=False, sections=0):
    """The operator under ``split_v2`` (and numpy-mode ``np.split``) as MXNet's graphs hold it:
    ``sections`` equal parts, or else the parts starting at each of ``indices`` (0 first)."""
    cut = sections if sections > 0 else tuple(indices)[1:]
    parts = _legacy.split_v2(data, cut, axis, squeeze_axis)
    return parts[0] if len(parts) == 1 else list(parts)


def split_v2(ary, indices_or_sections, axis=0, squeeze_axis=False):
    """NumPy's split (sections or indices), optionally dropping the split axis."""
    parts = to_nd(list(_legacy.split_v2(ary, indices_or_sections, axis, squeeze_axis)))
    return parts[0] if len(parts) == 1 else parts  # one part: the array, as MXNet's


@legacy_op("slice", aliases=("crop",))
def slice(data, begin, end, step=()):
    """``data[begin:end:step]`` axis by axis (None: the default; a number: the first axis)."""
    begin, end, step = ((v,) if v is None or isinstance(v, (int, onp.integer)) else tuple(v)
                        for v in (begin, end, step))
    return _legacy.slice(data, begin, end, step or None)


def _window(begin, end, step):
    step = tuple(step) or (None,) * len(begin)
    if not len(begin) == len(end) == len(step):
        raise ValueError(f"begin {tuple(begin)}, end {tuple(end)} and step {step} differ in "
                         "length")
    return tuple(builtins.slice(b, e, s) for b, e, s in zip(begin, end, step))


@legacy_op("_slice_assign", ("lhs", "rhs"), aliases=("_crop_assign",))
def _slice_assign(lhs, rhs, begin, end, step=()):
    """A copy of ``lhs`` with the window ``[begin:end:step]`` replaced by ``rhs`` (MXNet's
    internal operator, which has no gradient)."""
    out = lhs.detach().copy()
    out[_window(begin, end, step)] = rhs.detach()
    return out


@legacy_op("_slice_assign_scalar", aliases=("_crop_assign_scalar",))
def _slice_assign_scalar(data, scalar=0.0, begin=(), end=(), step=()):
    """A copy of ``data`` with the window ``[begin:end:step]`` set to ``scalar`` (no
    gradient, as MXNet's)."""
    out = data.detach().copy()
    out[_window(begin, end, step)] = scalar
    return out


@legacy_op("slice_axis")
def slice_axis(data, axis, begin, end):
    """``data[..., begin:end, ...]`` on one axis (end None: to the end)."""
    return _legacy.slice_axis(data, axis, begin, end)


@legacy_op("slice_like", ("data", "shape_like"))
def slice_like(data, shape_like, axes=()):
    """``data`` cut to ``shape_like``'s shape (on ``axes``, or all)."""
    return _legacy.slice_like(data, shape_like, tuple(axes))


@legacy_op("broadcast_to")
def broadcast_to(data, shape):
    """``data`` broadcast to ``shape`` (0 keeps that axis)."""
    shape = tuple(d if s == 0 else s for s, d in zip(shape, data.shape[-len(shape):])) \
        if len(shape) == data.ndim else tuple(shape)
    return np.broadcast_to(data, shape)


@legacy_op("broadcast_axis", aliases=("broadcast_axes",))
def broadcast_axis(data, axis=(), size=()):
    """Size-1 ``axis`` broadcast to ``size``."""
    return _legacy.broadcast_axes(data, axis, size)


@legacy_op("broadcast_like", ("lhs", "rhs"))
def broadcast_like(lhs, rhs, lhs_axes=None, rhs_axes=None):
    """``lhs`` broadcast to ``rhs``'s shape (or on the paired axes)."""
    if lhs_axes is not None or rhs_axes is not None:
        lhs_axes, rhs_axes = tuple(lhs_axes or ()), tuple(rhs_axes or ())
        if not lhs_axes:
            raise MXNetError("an empty tuple of axes is not allowed")
        if len(lhs_axes) != len(rhs_axes):
            raise MXNetError(f"lhs_axes {lhs_axes} and rhs_axes {rhs_axes} differ in length")
    return _legacy.broadcast_like(lhs, rhs, lhs_axes, rhs_axes)


def moveaxis(tensor, source, destination):
    """Axes moved to new positions (``source`` and ``destination``: an int or any sequence
    of ints, a range included, as MXNet's Python moveaxis takes)."""
    def axes(a):
        return a if isinstance(a, (int, onp.integer)) else tuple(a)
    return to_nd(np.moveaxis(tensor, axes(source), axes(destination)))


@legacy_op("depth_to_space")
def depth_to_space(data, block_size):
    """NCHW: channels moved into ``block_size`` x ``block_size`` pixel blocks."""
    return _legacy.depth_to_space(data, block_size)


@legacy_op("space_to_depth")
def space_to_depth(data, block_size):
    """The inverse of depth_to_space."""
    return _legacy.space_to_depth(data, block_size)


@legacy_op("Pad", aliases=("pad",))
def Pad(data, mode="constant", pad_width=(), constant_value=0.0):
    """Pad a 4-d or 5-d ``data`` with a flat ``pad_width`` (two per axis; the first two axes
    0): constant, edge or reflect (by less than the axis' length). Other inputs raise MXNet's
    errors.
    """
    if mode not in ("constant", "edge", "reflect"):
        raise MXNetError(f"Invalid Input: '{mode}', valid values are: {{'constant', 'edge', "
                         "'reflect'}, in operator Pad")
    if data.ndim not in (4, 5):
        raise MXNetError("Current implementation only supports 4-D or 5-D input.")
    if len(pad_width) != 2 * data.ndim:
        raise MXNetError("Input shape vs padding spec mismatch.")
    if any(pad_width[:4]):
        raise MXNetError("Current implementation expects padding on the first two axes to be "
                         "zero.")
    pairs = tuple(zip(pad_width[0::2], pad_width[1::2]))
    if mode == "reflect" and any(p >= d for pair, d in zip(pairs, data.shape) for p in pair):
        raise MXNetError("Current implementation of reflection padding only supports padding "
                         "sizes smaller than the input size.")
    if mode == "constant":
        return np.pad(data, pairs, mode="constant", constant_values=constant_value)
    return np.pad(data, pairs, mode=mode)


@legacy_op("Crop", ("data", "crop_like"), variadic=True)
def Crop(*data, offset=(0, 0), h_w=(0, 0), center_crop=False):
    """NCHW ``data[0]`` cut to ``h_w`` or to ``data[1]``'s height and width."""
    x = data[0]
    h, w = data[1].shape[2:4] if len(data) > 1 else h_w
    if center_crop:
        top, left = (x.shape[2] - h) // 2, (x.shape[3] - w) // 2
    else:
        top, left = offset
    return x[:, :, top:top + h, left:left + w]


@legacy_op("diag")
def diag(data, k=0, axis1=0, axis2=1):
    """A 1-D input's diagonal matrix, or an n-D input's k-th diagonal on (axis1, axis2); a k
    past the matrix is MXNet's error ("Diagonal does not exist.")."""
    if data.ndim == 1:
        return np.diag(data, k)
    if k > data.shape[axis2] or -k > data.shape[axis1]:
        raise MXNetError(f"diag: Diagonal does not exist: k={k} for a {data.shape[axis1]} x "
                         f"{data.shape[axis2]} matrix")
    return np.diagonal(data, k, axis1, axis2)


@legacy_op("UpSampling", ("data", "weight"), variadic=True)
def UpSampling(*data, scale=1, num_filter=0, sample_type="nearest", multi_input_mode="concat",
               workspace=512):
    """Nearest: each pixel repeated ``scale`` x ``scale`` (several inputs: summed or
    concatenated). Bilinear: a grouped deconvolution with the given ``weight``.
    """
    if sample_type == "bilinear":
        x, weight = data
        k = 2 * scale - scale % 2
        return Deconvolution(x, weight, kernel=(k, k), stride=(scale, scale),
                             pad=(scale // 2,) * 2, num_filter=num_filter,
                             num_group=num_filter, no_bias=True)
    ups = []
    for x in data:
        s = scale * data[0].shape[2] // x.shape[2]
        ups.append(np.repeat(np.repeat(x, s, axis=2), s, axis=3))
    if len(ups) == 1:
        return ups[0]
    return sum(ups[1:], ups[0]) if multi_input_mode == "sum" else np.concatenate(ups, axis=1)


@legacy_op("shape_array")
def shape_array(data):
    """The shape as an int64 array."""
    return npx.shape_array(data)


@legacy_op("size_array")
def size_array(data):
    """The size as a one-element int64 array."""
    return _legacy.size_array(data)
