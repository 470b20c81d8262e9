"""MXNet operators that have no NumPy name (``slice_axis``, ``broadcast_axes``, ``depth_to_space``
...), with the meaning of MXNet's operator of the same name. All are composites of
differentiable ops, so they get their gradients for free, except the loss layers at the end
(``softmax_output``, ``regression_output``, ``make_loss``, ``svm_output``): their backward is by definition not
the derivative of their forward (MXNet's loss-layer convention ignores the head gradient), so
they are Primitives kept out of the registry of differentiable ops (``register=False``), as
autograd.Function's are, and tests/legacy checks them against MXNet's formulas.
"""
from __future__ import annotations

import builtins

from .. import _dtypes
from .._mode import is_np_shape
from ..base import OpError
from .checks import reduction_axes
from .creation import array
from .elementwise import power, sqrt
from .indexing import getitem, getitem_prim
from .manipulation import moveaxis
from .nn.basic import one_hot
from .primitive import Primitive
from .reduction import argmax
from .shape import broadcast_to, reshape, split, squeeze, transpose


def _norm_axis(axis, ndim, name):
    return reduction_axes(axis, ndim, name)[0]


def slice(data, begin, end, step=None):
    """``data[begin:end:step]`` axis by axis; None in begin/end/step takes the default."""
    step = step or (None,) * len(begin)
    if not len(begin) == len(end) == len(step):
        raise OpError(f"slice: begin {begin}, end {end} and step {step} differ in length")
    return getitem(data, tuple(builtins.slice(b, e, s) for b, e, s in zip(begin, end, step)))


def slice_axis(data, axis, begin, end):
    """``data[..., begin:end, ...]`` along one axis (end None: to the end)."""
    axis = _norm_axis(axis, data.ndim, "slice_axis")
    size = data.shape[axis]  # MXNet's checks: a non-empty window inside the axis
    b = begin + size if begin is not None and begin < 0 else (begin or 0)
    e = size if end is None else (end + size if end < 0 else end)
    if b < 0:
        raise OpError(f"slice_axis: invalid begin={begin} for axis {axis} of size {size}")
    if e > size:
        raise OpError(f"slice_axis: invalid end={end} for axis {axis} of size {size}")
    if b >= e:
        raise OpError(f"slice_axis: begin ({begin}) must be less than end ({end}) on axis "
                      f"{axis} of size {size}")
    return getitem(data, (builtins.slice(None),) * axis + (builtins.slice(begin, end),))


def slice_like(data, shape_like, axes=()):
    """``data`` cut to the shape of ``shape_like`` (on ``axes``, or on all of them)."""
    if not axes and data.ndim != shape_like.ndim:  # MXNet's checks
        raise OpError(f"slice_like: without axes both inputs need the same number of axes, got "
                      f"shapes {data.shape} and {shape_like.shape}")
    axes = [_norm_axis(a, data.ndim, "slice_like") for a in axes] or range(shape_like.ndim)
    for a in axes:
        if a >= shape_like.ndim:
            raise OpError(f"slice_like: axis {a} exceeds the axes of shape_like's shape "
                          f"{shape_like.shape}")
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
        a = _norm_axis(a, data.ndim, "broadcast_axes")
        if data.shape[a] != 1:  # MXNet's check, also when ``size`` equals the axis's length
            raise OpError(f"broadcast_axes: broadcasting axis {a} must have size 1, got shape "
                          f"{data.shape}")
        shape[a] = s
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


def _check_blocks(name, data, b, divides):
    """MXNet's checks: a positive block size, a 4-D input with sizes (0 is unknown outside
    np_shape), and ``divides`` (which sizes the block must divide) holding."""
    if not isinstance(b, int) or b <= 0:
        raise OpError(f"{name}: block_size must be a positive integer value, got {b}")
    if data.ndim != 4:
        raise OpError(f"{name}: expected a 4-D (N, C, H, W) input, got shape {data.shape}")
    if not is_np_shape() and 0 in data.shape:
        raise OpError(f"{name}: shape dim size must be >= 1 outside np_shape, got {data.shape}")
    if not divides(*data.shape[1:]):
        raise OpError(f"{name}: block_size {b} does not fit the input of shape {data.shape}")


def depth_to_space(data, block_size):
    """NCHW: channels moved into blocks of ``block_size`` x ``block_size`` pixels (DCR order)."""
    _check_blocks("depth_to_space", data, block_size, lambda c, h, w: c % block_size ** 2 == 0)
    n, c, h, w = data.shape
    b = block_size
    x = reshape(data, (n, b, b, c // (b * b), h, w))
    return reshape(transpose(x, (0, 3, 4, 1, 5, 2)), (n, c // (b * b), h * b, w * b))


def space_to_depth(data, block_size):
    """The inverse of depth_to_space."""
    _check_blocks("space_to_depth", data, block_size,
                  lambda c, h, w: h % block_size == 0 and w % block_size == 0)
    n, c, h, w = data.shape
    b = block_size
    x = reshape(data, (n, c, h // b, b, w // b, b))
    return reshape(transpose(x, (0, 3, 5, 1, 2, 4)), (n, c * b * b, h // b, w // b))


def argmax_channel(data):
    """argmax over axis 1 (the channel axis), in the data's dtype (MXNet's legacy operator)."""
    return argmax(data, axis=1).astype(data.dtype)


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


# ---- MXNet's loss layers: forward, and a backward that ignores the head gradient ---------------
def _softmax_axis(multi_output):
    return 1 if multi_output else -1


def _softmax_output_forward(xp, data, label, multi_output=False, **_):
    axis = _softmax_axis(multi_output)
    e = xp.exp(data - data.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _softmax_output_vjp(g, ans, data, label, grad_scale=1.0, ignore_label=-1.0,
                        multi_output=False, use_ignore=False, normalization="null",
                        smooth_alpha=0.0):
    # (p - onehot(label)) * grad_scale / count: MXNet's SoftmaxOutput backward
    axis = _softmax_axis(multi_output)
    if label.shape == ans.shape and not multi_output:  # probabilities as labels (soft labels)
        count = ans.shape[0] if normalization == "batch" else 1
        return (ans - label) * (grad_scale / count)
    k = ans.shape[axis]
    label = reshape(label, ans.shape[:1] + ans.shape[2:] if multi_output else ans.shape[:-1])
    target = one_hot(label.astype("int64"), k, dtype=ans.dtype)
    if smooth_alpha:
        target = target * (1 - smooth_alpha) + (1 - target) * (smooth_alpha / (k - 1))
    grad = ans - (moveaxis(target, -1, 1) if multi_output else target)
    keep = (label != ignore_label).astype(ans.dtype) if use_ignore else None
    if keep is not None:
        grad = grad * (expand_dims_at(keep, axis))
    if normalization == "batch":
        count = ans.shape[0]
    elif normalization == "valid":
        count = builtins.max(float(keep.sum()) if keep is not None else label.size, 1.0)
    else:
        count = 1
    if multi_output and normalization != "valid":
        count *= label.size // label.shape[0]  # MXNet also divides by the positions per sample
    return grad * (grad_scale / count)


def expand_dims_at(x, axis):
    """``x`` with a size-1 axis put back at ``axis`` (1 or -1)."""
    return reshape(x, x.shape[:1] + (1,) + x.shape[1:] if axis == 1 else x.shape + (1,))


softmax_output_prim = Primitive("softmax_output", _softmax_output_forward,
                                (_softmax_output_vjp, None), register=False)


def _regression_forward(xp, data, label, kind="linear", grad_scale=1.0):
    return 1 / (1 + xp.exp(-data)) if kind == "logistic" else data.copy()


def _regression_vjp(g, ans, data, label, kind="linear", grad_scale=1.0):
    # (out - label) * grad_scale / outputs per sample; MAE: the sign, with +1 only above
    label = reshape(label, ans.shape)
    diff = ans - label
    if kind == "mae":
        diff = (diff > 0).astype(ans.dtype) * 2 - 1
    per_sample = builtins.max(ans.size // ans.shape[0], 1) if ans.ndim else 1
    return diff * (grad_scale / per_sample)


regression_output_prim = Primitive("regression_output", _regression_forward,
                                   (_regression_vjp, None), register=False)


def _make_loss_vjp(g, ans, data, grad_scale=1.0, valid_thresh=0.0, normalization="null"):
    # the gradient is grad_scale everywhere, divided by the batch or the count above thresh
    count = 1.0
    if normalization == "batch":
        count = float(ans.shape[0])
    elif normalization == "valid":
        count = builtins.max(float((data > valid_thresh).sum()), 1.0)
    return (ans * 0 + 1) * (grad_scale / count)


make_loss_prim = Primitive("make_loss", lambda xp, data, **_: data.copy(), _make_loss_vjp,
                           register=False)


def _scatter_last_forward(xp, g, key, shape):
    out = xp.zeros(shape, g.dtype)
    out[key] = g  # in order: of repeated indices the last one's value stays, as MXNet's CPU
    return out


# scatter_nd: each index written in turn (gather_nd's transpose where indices do not repeat);
# its gradient gathers the head gradient at every index, repeated ones too, as MXNet's
_scatter_last = Primitive("scatter_nd", _scatter_last_forward,
                          (lambda g, ans, x, key, shape: getitem_prim(g, key=key),),
                          register=False)


def scatter_nd(data, indices, shape):
    """Zeros of ``shape`` with ``data`` written at ``indices`` (M, ...); where an index repeats,
    the last write stays (MXNet documents it undefined; its CPU kernel writes in order)."""
    if indices.ndim < 1 or indices.shape[0] > len(shape):
        raise OpError(f"scatter_nd: indices of shape {indices.shape} do not index an array "
                         f"of shape {shape}")
    raw = indices._data.astype(_dtypes.INDEX, copy=False)  # float indices truncate, as MXNet
    return _scatter_last(data, key=tuple(raw[k] for k in range(raw.shape[0])), shape=tuple(shape))


def _svm_vjp(g, ans, data, label, margin=1.0, regularization_coefficient=1.0, use_linear=False):
    # MXNet's hinge gradients, per class k against y_k = +1 (the label) or -1 (the others):
    # L1: -y_k [margin - y_k x_k > 0]; L2: -2 y_k max(margin - y_k x_k, 0); times the coefficient
    y = one_hot(reshape(label, ans.shape[:1]).astype("int64"), ans.shape[-1], dtype=ans.dtype)
    y = 2 * y - 1
    slack = margin - y * ans
    hinge = (slack > 0).astype(ans.dtype) if use_linear else 2 * slack * (slack > 0)
    return -y * hinge * regularization_coefficient


svm_output_prim = Primitive("svm_output", lambda xp, data, label, **_: data.copy(),
                            (_svm_vjp, None), register=False)
