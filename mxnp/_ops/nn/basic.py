"""Neural-network primitives of npx that need their own VJP or MXNet's own conventions:
relu, sigmoid, softmax, log_softmax, softmin, and the gathers pick, one_hot, topk.
"""
from __future__ import annotations

import numpy as onp

from ... import _dtypes
from ..._ndarray import ndarray
from ...base import OpError, OpTypeError
from ..checks import reduction_axes, require_array
from ..creation import array
from ..elementwise import (
    _F32,
    _F64,
    _LIBM,
    _LIBM_UNARY,
    _WIDE_MAX,
    as_mxnet_rounds,
    exp,
    less,
    where,
)
from ..indexing import getitem_prim
from ..ordering import mxnet_order
from ..primitive import Primitive
from ..reduction import sum as _sum


def _step_forward(xp, ans):
    """sign(ans) for a relu's output (>= 0 or nan): 1 where positive, 0 at zero, nan at nan;
    for floats as ``ans > 0`` (3x faster than NumPy's sign), the nans put back when any."""
    if ans.dtype.kind != "f" or not ans.size:
        return xp.sign(ans)
    out = (ans > 0).astype(ans.dtype)
    if xp.isnan(ans.max()):  # the maximum of values >= 0 is nan only where one is nan
        out[xp.isnan(ans)] = xp.nan
    return out


# MXNet's relu passes no gradient at 0 (np.maximum(x, 0) would pass all of it) and nan at nan.
# The step is sign(relu(x)) (nan at nan, which a comparison would not give), an op with a zero
# gradient: a second derivative through relu is 0, as MXNet's, and x stays in the graph.
_relu_step = Primitive("relu_step", _step_forward, (lambda g, ans, x: g * 0,), keep=())


_RELU_LOOP_MAX = 8192  # elements: past this NumPy's vectorised passes are faster than one C loop


def _relu_grad_forward(xp, g, ans):
    """``g * sign(ans)`` (relu's rule) in one pass: ``g`` times the mask ``ans > 0``, nan where
    ``ans`` is nan; the two-op form where the dtypes or shapes differ."""
    if g.dtype != ans.dtype or g.shape != ans.shape or ans.dtype.kind != "f" or not ans.size:
        return g * _step_forward(xp, ans)
    if _LIBM is not None and xp is onp and ans.size <= _RELU_LOOP_MAX and \
            (ans.dtype is _F32 or ans.dtype is _F64):
        return _LIBM.relu_grad(g, ans)  # the same values in one call (three below)
    out = xp.multiply(g, ans > 0)
    if xp.isnan(ans.max()):
        out[xp.isnan(ans)] = xp.nan
    return out


# relu's rule as one op; its own rules say what the two-op form's would (second order)
_relu_grad = Primitive("relu_grad", _relu_grad_forward,
                       (lambda gg, ans, g, a: gg * _relu_step(a), lambda gg, ans, g, a: gg * 0),
                       keep=(1,))
relu = Primitive("relu", lambda xp, x: xp.maximum(x, 0).astype(x.dtype, copy=False),
                 (lambda g, ans, x: _relu_grad(g, ans),), keep=("ans",))


_LIBM_SIGMOID = _LIBM_UNARY.get("sigmoid")


def _sigmoid_forward(xp, x):
    x = _dtypes.real_float_math(x)
    if x.size <= _WIDE_MAX and _LIBM_SIGMOID is not None and xp is onp and \
            (x.dtype is _F32 or x.dtype is _F64):  # MXNet's kernel below, in C (and in double)
        return _LIBM.unary(_LIBM_SIGMOID, x)
    if x.dtype.itemsize <= 4 and x.size <= _WIDE_MAX:
        # MXNet's kernel, float16 in float32: 1.0f / (1.0f + expf(-x)), expf as the C library
        # rounds it (arrays small enough to print in full, as the transcendental ops)
        one = onp.float32(1)
        e = as_mxnet_rounds(xp, "exp", xp.negative(x.astype(onp.float32, copy=False)))
        return (one / (one + e)).astype(x.dtype, copy=False)
    if x.dtype.itemsize >= 4:
        # 1 / (1 + exp(-x)) in place: exp(-x) = inf below -88 (float32) gives the exact 0 that
        # the result rounds to anyway; one buffer, 4 passes, instead of the two-branch form's 7
        e = xp.negative(x, out=xp.empty_like(x))  # out=: a 0-d input still gives an array
        with onp.errstate(over="ignore"):
            xp.exp(e, out=e)
        e += 1
        return xp.reciprocal(e, out=e)
    e = xp.exp(-xp.abs(x))  # float16: exp of a non-positive number never overflows
    return xp.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)


# d sigmoid = sigmoid (1 - sigmoid): reuse ans
sigmoid = Primitive("sigmoid", _sigmoid_forward, (lambda g, ans, x: g * ans * (1 - ans),),
                    keep=("ans",))


def _scaled(xp, x, temperature):
    if not _dtypes.is_real_float(x.dtype):
        raise TypeError(f"softmax: expected a floating point input, got {x.dtype}")
    return x if temperature is None or temperature == 1.0 else x / temperature


def _shift_by_max(z, axis):
    # shift by the max: no overflow. An empty array has no max, and its empty result needs none
    return z - z.max(axis=axis, keepdims=True) if z.size else z


_KERNEL_MAX = 262144  # elements: larger arrays keep NumPy's vectorised exp (as sums keep theirs)


def _mxnet_kernel(xp, x, axis, temperature, take_log):
    """softmax (``take_log``: log_softmax) by MXNet's CPU kernel, step for step in the array's
    type, for a float32/float64 host array of up to ``_KERNEL_MAX`` elements; else None."""
    if _LIBM is None or xp is not onp or not x.ndim or x.size > _KERNEL_MAX or \
            (x.dtype is not _F32 and x.dtype is not _F64):
        return None
    return _LIBM.softmax(x, axis % x.ndim, temperature, take_log)


def _softmax_forward(xp, x, axis=-1, temperature=None):
    if temperature == 0:  # (x - max) / 0: MXNet's kernel gives nan everywhere
        return xp.full_like(x, xp.nan)
    out = _mxnet_kernel(xp, x, axis, temperature, False)
    if out is not None:
        return out
    e = xp.exp(_shift_by_max(_scaled(xp, x, temperature), axis))
    return e / e.sum(axis=axis, keepdims=True)


def _softmax_vjp(g, ans, x, axis=-1, temperature=None):
    # J^T g = ans * (g - <g, ans>) along the axis, divided by the temperature
    gx = ans * (g - _sum(g * ans, axis=axis, keepdims=True))
    return gx if temperature is None or temperature == 1.0 else gx / temperature


_softmax = Primitive("softmax", _softmax_forward, (_softmax_vjp,), keep=("ans",))


def _log_softmax_forward(xp, x, axis=-1, temperature=None):
    if temperature == 0:  # as softmax: nan everywhere
        return xp.full_like(x, xp.nan)
    out = _mxnet_kernel(xp, x, axis, temperature, True)
    if out is not None:
        return out
    shifted = _shift_by_max(_scaled(xp, x, temperature), axis)
    if not shifted.size:  # the log of an empty sum would warn about log(0)
        return shifted
    return shifted - xp.log(xp.exp(shifted).sum(axis=axis, keepdims=True))


def _log_softmax_vjp(g, ans, x, axis=-1, temperature=None):
    # d log_softmax: g - softmax * sum(g); softmax = exp(ans), reused from the forward
    gx = g - exp(ans) * _sum(g, axis=axis, keepdims=True)
    return gx if temperature is None or temperature == 1.0 else gx / temperature


_log_softmax = Primitive("log_softmax", _log_softmax_forward, (_log_softmax_vjp,),
                         keep=("ans",))


def _masked_by_length(data, length, axis, name="softmax"):
    """True at the positions before each row's length along ``axis`` (MXNet's use_length)."""
    if length is None:
        raise OpError(f"{name}: use_length=True needs the length array (one length per row "
                      "along axis)")
    n = data.shape[axis]
    positions = onp.arange(n).reshape([n if a == axis % data.ndim else 1
                                       for a in range(data.ndim)])
    lengths = length.reshape(tuple(s if a != axis % data.ndim else 1
                                   for a, s in enumerate(data.shape)))
    return less(array(positions, dtype=lengths.dtype, ctx=data.ctx), lengths)


def float_input(name: str, x, what: str = "data") -> ndarray:
    """``x`` itself, after checking it is a floating point mxnp array (MXNet's rule: an
    MXNetError there, so ``OpTypeError``, both an MXNetError and a TypeError)."""
    require_array(name, x, what)
    if not _dtypes.is_real_float(x.dtype):
        raise OpTypeError(f"{name}: only floating point {what} is supported, got "
                          f"{onp.dtype(x.dtype).name}")
    return x


def _softmax_checks(name, data, axis, dtype=None):
    """``axis`` in range for ``data`` (a float array) and a float ``dtype`` (or None), else
    MXNet's errors, naming ``name``."""
    if dtype is not None and onp.dtype(dtype).name not in ("float16", "float32", "float64"):
        raise OpError(f"{name}: dtype must be None, float16, float32 or float64, got "
                      f"{onp.dtype(dtype).name}")
    if isinstance(data, ndarray):
        float_input(name, data)
    if isinstance(axis, bool) or not isinstance(axis, (int, onp.integer)):
        raise OpTypeError(f"{name}: axis must be an integer, got {type(axis).__name__}")
    ndim = getattr(data, "ndim", None)
    if ndim is not None and not -max(ndim, 1) <= axis < max(ndim, 1):
        raise OpError(f"{name}: axis {axis} is out of range for data with {ndim} dimensions")


def softmax(data, length=None, axis=-1, temperature=None, dtype=None, use_length=False):
    """Softmax along ``axis`` (the last by default); ``use_length`` masks each row's tail.
    The second positional argument is ``length``, as in MXNet (not ``axis``)."""
    if length is not None and not isinstance(length, ndarray):
        raise TypeError(f"softmax: length must be an ndarray, got {length!r} (pass axis= by "
                        "keyword: the second positional argument is length)")
    _softmax_checks("softmax", data, axis, dtype)
    if use_length:
        keep = _masked_by_length(data, length, axis)
        if temperature is not None and temperature < 0:  # the masked -inf would turn +inf
            data, temperature = data / temperature, None
        out = _softmax(where(keep, data, -onp.inf), axis=axis, temperature=temperature)
        out = where(keep, out, 0.0)
    else:
        out = _softmax(data, axis=axis, temperature=temperature)
    return out if dtype is None else out.astype(dtype)


def log_softmax(data, axis=-1, temperature=None, dtype=None, use_length=False, length=None):
    """Differs from MXNet (which has no ``length`` here): ``use_length`` masks each row's tail
    as softmax does, giving -inf (log 0) there."""
    _softmax_checks("log_softmax", data, axis, dtype)
    if use_length:
        keep = _masked_by_length(data, length, axis, "log_softmax")
        if temperature is not None and temperature < 0:  # the masked -inf would turn +inf
            data, temperature = data / temperature, None
        out = _log_softmax(where(keep, data, -onp.inf), axis=axis, temperature=temperature)
        out = where(keep, out, -onp.inf)
    else:
        out = _log_softmax(data, axis=axis, temperature=temperature)
    return out if dtype is None else out.astype(dtype)


def softmin(data, axis=-1, temperature=None, dtype=None):
    """Softmax of ``-data`` (MXNet's softmin)."""
    _softmax_checks("softmin", data, axis, dtype)
    return softmax(-data, axis=axis, temperature=temperature, dtype=dtype)


def _pick_key(xp, index, shape, axis, mode):
    """The fancy index of the picked positions: the other axes' aranges, ``index`` at ``axis``
    (clipped into range, or wrapped with mode 'wrap')."""
    n = shape[axis]
    raw = index.astype(_dtypes.INDEX, copy=False)
    raw = xp.minimum(xp.maximum(raw, 0), n - 1) if mode == "clip" else raw % n
    other = shape[:axis] + shape[axis + 1:]
    grids = _GRIDS.get((xp, other))
    if grids is None:  # the aranges of the other axes, made once per shape (a training loop
        # picks from the same shape every step); read-only, since they are shared
        grids = []
        for k, size in enumerate(other):
            grid = xp.arange(size).reshape([-1 if j == k else 1 for j in range(len(other))])
            if xp is onp:
                grid.flags.writeable = False
            grids.append(grid)
        if len(_GRIDS) >= 64:
            _GRIDS.clear()
        _GRIDS[xp, other] = grids
    return (*grids[:axis], raw, *grids[axis:])


_GRIDS = {}


def _pick_forward(xp, data, index, axis, mode, keepdims):
    out = data[_pick_key(xp, index, data.shape, axis, mode)]
    return out.reshape(out.shape[:axis] + (1,) + out.shape[axis:]) if keepdims else out


def _pick_back_forward(xp, g, index, shape, axis, mode, keepdims):
    """Zeros of ``shape`` with ``g`` at the picked positions (each position is picked once)."""
    out = xp.zeros(shape, g.dtype)
    out[_pick_key(xp, index, shape, axis, mode)] = g.squeeze(axis) if keepdims else g
    return out


# pick's VJP scatters the cotangent back; the scatter's VJP picks again (second order)
_pick = Primitive("pick", _pick_forward,
                  (lambda g, ans, data, index, **p: _pick_back(g, index, shape=data.shape, **p),
                   None), keep=(1,))
_pick_back = Primitive("pick_back", _pick_back_forward,
                       (lambda g, ans, gy, index, shape, **p: _pick(g, index, **p), None),
                       keep=(1,))


def _one_index_per_row(name, data, index, axis):
    """(axis in range, ``index`` as an array on data's device): one index for each position of
    data's other axes, else an OpError naming ``name`` and both shapes."""
    axis = axis % data.ndim
    if not isinstance(index, ndarray):
        index = array(onp.asarray(index), ctx=data._device)
    other = data.shape[:axis] + data.shape[axis + 1:]
    if index.shape != other:
        raise OpError(f"{name}: index of shape {index.shape} does not match the data's other "
                      f"axes {other}")
    return axis, index


def pick(data, index, axis=-1, keepdims=False, mode="clip"):
    """``data`` picked along ``axis`` at ``index`` (one index per other position)."""
    axis, index = _one_index_per_row("pick", data, index, axis)
    return _pick(data, index, axis=axis, mode=mode, keepdims=bool(keepdims))


# ---- the sparse-label softmax cross-entropy as one op ----------------------------------------
# gluon's SoftmaxCrossEntropyLoss composes log_softmax, pick (mode 'clip') and a negation, and
# its backward runs six more ops; as one op with one rule the same numbers take one forward and
# one backward call. Both rules compute exactly the composite's arithmetic: at the labels
# -g + exp(ls) * g, elsewhere exp(ls) * g (the composite's 0 - exp(ls) * -g).
def _sparse_ce_forward(xp, pred, label, axis, mode):
    """(the loss -log_softmax(pred)[label] with ``axis`` kept, log_softmax(pred))."""
    ls = _log_softmax_forward(xp, pred, axis)
    return xp.negative(_pick_forward(xp, ls, label, axis, mode, True)), ls


def _sparse_ce_back_forward(xp, g, ls, label, axis, mode):
    """The loss's cotangent ``g`` (axis kept) taken back to ``pred``: exp(ls) * g, less g at
    the labels."""
    out = exp.forward(xp, ls) * g  # exp's own forward: its rounding, as the composite's rule
    out[_pick_key(xp, label, ls.shape, axis, mode)] -= g.squeeze(axis)
    return out


def _sparse_ce_vjp(g, ans, pred, label, axis, mode):
    g_loss, g_ls = g
    ls = ans[1]
    gx = _sparse_ce_back(g_loss, ls, label, axis=axis, mode=mode)
    if g_ls._data.any():  # log_softmax's output has its own cotangent (only under a graph of
        # the gradient itself): its rule, as log_softmax's
        gx = gx + (g_ls - exp(ls) * _sum(g_ls, axis=axis, keepdims=True))
    return gx


_sparse_ce = Primitive("sparse_softmax_ce", _sparse_ce_forward, (_sparse_ce_vjp, None),
                       keep=(1, "ans"))
_sparse_ce_back = Primitive(
    "sparse_softmax_ce_back", _sparse_ce_back_forward,
    (lambda gg, ans, g, ls, label, axis, mode:
        _sum(gg * exp(ls), axis=axis, keepdims=True)
        - _pick(gg, label, axis=axis, mode=mode, keepdims=True),
     lambda gg, ans, g, ls, label, axis, mode: gg * exp(ls) * g,
     None), keep=(0, 1, 2))


def sparse_softmax_cross_entropy(pred, label, axis=-1):
    """``-log_softmax(pred)[label]`` along ``axis``, the axis kept (size 1): gluon's
    SoftmaxCrossEntropyLoss with class-index labels (clipped into range, as ``pick``), as one
    op. Not an MXNet name; the loss uses it on arrays and its composite on Symbols."""
    axis, label = _one_index_per_row("sparse_softmax_cross_entropy", pred, label, axis)
    return _sparse_ce(pred, label, axis=axis, mode="clip")[0]


def _one_hot_forward(xp, indices, depth, on_value, off_value, dtype):
    idx = indices.astype(_dtypes.INDEX)
    hot = (idx[..., None] == xp.arange(depth))  # out-of-range indices match nothing
    return xp.where(hot, on_value, off_value).astype(dtype)


_one_hot = Primitive("one_hot", _one_hot_forward)


def one_hot(indices, depth, on_value=1.0, off_value=0.0, dtype="float32"):
    """Rows of ``depth`` values, ``on_value`` at each index; out-of-range rows are all off."""
    if isinstance(depth, bool) or not isinstance(depth, (int, onp.integer)) or depth < 0:
        raise OpError(f"one_hot: depth must be a non-negative integer, got {depth!r}")
    return _one_hot(indices, depth=depth, on_value=on_value, off_value=off_value,
                    dtype=_dtypes.as_dtype(dtype, "one_hot"))


def _topk_mask(xp, x, axis, k, is_ascend):
    mask = xp.zeros_like(x)
    xp.put_along_axis(mask, mxnet_order(xp, x, axis, k, is_ascend), 1, axis)
    return mask


_topk_index = Primitive("topk", mxnet_order)
_topk_mask_prim = Primitive("topk_mask", _topk_mask)


def topk(data, axis=-1, k=1, ret_typ="indices", is_ascend=False, dtype="float32"):
    """MXNet's topk: indices (as ``dtype``, float32 by default), values, both, or a mask.

    ``axis=None`` ranks the flattened array; ``k < 1`` ranks the whole axis (MXNet's rules).
    """
    if axis is None:  # indices are flat positions; a mask keeps the input's shape
        flat = topk(data.reshape(-1), 0, k, ret_typ, is_ascend, dtype)
        return flat.reshape(data.shape) if ret_typ == "mask" else flat
    axis = reduction_axes(axis, data.ndim, "topk")[0]
    n = data.shape[axis]
    k = n if k < 1 else k
    if k > n:
        raise OpError(f"topk: k = {k} exceeds the {n} elements on axis {axis} "
                      f"(inputs: {data.shape} {data.dtype})")
    if ret_typ == "mask":
        return _topk_mask_prim(data, axis=axis, k=k, is_ascend=is_ascend)
    if ret_typ not in ("indices", "value", "both"):
        raise OpError(f"topk: ret_typ must be 'indices', 'value', 'both' or 'mask', got "
                         f"{ret_typ!r}")
    idx = _topk_index(data, axis=axis, k=k, is_ascend=is_ascend)
    xp = data._device.xp
    grids = list(xp.indices(idx.shape, sparse=True))
    grids[axis] = idx._data
    values = getitem_prim(data, key=tuple(grids))  # a gather: its gradient scatters back
    if ret_typ == "value":
        return values
    indices = idx.astype(dtype)
    return [values, indices] if ret_typ == "both" else indices
