"""npx.batch_norm and npx.layer_norm.

batch_norm is one primitive with three outputs (out, mean, 1/sqrt(var + eps)) and a hand-written
VJP, because MXNet updates the moving statistics when its backward runs (on CPU); the VJP is
where that happens here too. layer_norm is a composite of our ops.
"""
from __future__ import annotations

import numpy as onp

from ... import _dtypes
from ..._tape import STATE
from ...base import OpError, OpTypeError
from .. import elementwise as ew
from ..primitive import Primitive, _wrap, write_out
from ..reduction import _mean_forward, _sum_forward
from ..reduction import mean as _mean
from ..reduction import sum as _sum
from ..shape import reshape
from .basic import float_input


def _param_dtype(name, data, params):
    """The parameters' dtype: float32 for float16 data, else the data's (MXNet's rule)."""
    want = _dtypes.float32 if data._data.dtype.itemsize < 4 else data._data.dtype
    for what, p in params:
        if float_input(name, p, what).dtype != want:
            raise OpTypeError(f"{name}: {what} must be {onp.dtype(want).name} for "
                              f"{onp.dtype(data.dtype).name} data, got {onp.dtype(p.dtype).name}")
    return want


def _check_axis(name, axis, ndim):
    if not -ndim <= axis < ndim:
        raise OpError(f"{name}: axis {axis} is out of range for data with {ndim} dimensions")
    return axis % ndim


def _check_channels(name, shape, axis, params):
    want = (shape[axis],)
    for what, p in params:
        if p.shape != want:
            raise OpError(f"{name}: {what} must have shape {want} (the size of axis {axis} of "
                          f"data of shape {shape}), got {p.shape}")


# ---- batch_norm -----------------------------------------------------------------------------
def _bn_layout(ndim, axis):
    """The reduced axes, and the shape that broadcasts a per-channel vector along ``axis``."""
    reduced = tuple(a for a in range(ndim) if a != axis)
    return reduced, tuple(-1 if a == axis else 1 for a in range(ndim))


def _bn_forward(xp, data, gamma, beta, moving_mean, moving_var, eps, momentum, fix_gamma,
                use_batch, axis, with_stats):
    reduced, bshape = _bn_layout(data.ndim, axis)
    x = data.astype(gamma.dtype, copy=False)  # float16 data computes in float32
    if use_batch:
        mean = x.mean(axis=reduced)
        centred = x - mean.reshape(bshape)
        inv = 1 / xp.sqrt(xp.square(centred).mean(axis=reduced) + eps)  # biased variance
    else:
        mean = moving_mean.copy()
        centred = x - mean.reshape(bshape)
        inv = 1 / xp.sqrt(moving_var + eps)
    scale = inv if fix_gamma else inv * gamma
    out = (centred * scale.reshape(bshape) + beta.reshape(bshape)).astype(data.dtype, copy=False)
    return out, mean, inv


def _bn_vjp(g, ans, data, gamma, beta, moving_mean, moving_var, eps, momentum, fix_gamma,
            use_batch, axis, with_stats):
    """Cotangents of (data, gamma, beta); updates the moving statistics in a training pass."""
    gy, gmean, ginv = g
    if use_batch and not with_stats and not STATE.recording:
        return _bn_vjp_raw(gy, data, gamma, moving_mean, moving_var, eps, momentum, fix_gamma,
                           axis)
    reduced, bshape = _bn_layout(data.ndim, axis)
    x = data.astype(gamma.dtype) if data.dtype != gamma.dtype else data
    gy = gy.astype(gamma.dtype) if gy.dtype != gamma.dtype else gy
    if use_batch:  # mean and inv are functions of x, recomputed so second order sees them
        mean = _mean(x, axis=reduced, keepdims=True)
        centred = x - mean
        var = _mean(centred * centred, axis=reduced, keepdims=True)
        inv = 1 / ew.sqrt(var + eps)
        if STATE.training:  # MXNet's CPU backward updates the moving stats when training
            _update_moving(moving_mean, mean._data, momentum)
            _update_moving(moving_var, var._data, momentum)
    else:
        centred = x - reshape(moving_mean, bshape)
        inv = reshape(1 / ew.sqrt(moving_var + eps), bshape)
    xhat = centred * inv
    ggamma = gamma * 0 if fix_gamma else _sum(gy * xhat, axis=reduced)
    gbeta = _sum(gy, axis=reduced)
    scale = inv if fix_gamma else inv * reshape(gamma, bshape)
    if not use_batch:
        return gy * scale, ggamma, gbeta, None, None
    n = int(onp.prod([x.shape[a] for a in reduced]))  # per channel (x may have 0 channels)
    gx = scale * (gy - _mean(gy, axis=reduced, keepdims=True)
                  - xhat * _mean(gy * xhat, axis=reduced, keepdims=True))
    if with_stats:  # d mean / dx = 1/n; d inv / dx = -inv^3 (x - mean) / n
        gx = gx + (reshape(gmean, bshape) - reshape(ginv, bshape) * inv ** 3 * centred) / n
    return gx, ggamma, gbeta, None, None


def _bn_vjp_raw(gy, data, gamma, moving_mean, moving_var, eps, momentum, fix_gamma, axis):
    """``_bn_vjp``'s training-mode rule on the backend's arrays, for a backward that records
    nothing (no create_graph): the same operations, so the same bits, with the passes that
    rule repeats made once (``gy * xhat``) and no op dispatch (~40 ops a call)."""
    reduced, bshape = _bn_layout(data.ndim, axis)
    device, xp = data._device, data._device.xp
    dtype = gamma._data.dtype
    x, gy = data._data.astype(dtype, copy=False), gy._data.astype(dtype, copy=False)
    mean = _mean_forward(xp, x, axis=reduced, keepdims=True)
    centred = x - mean
    var = _mean_forward(xp, centred * centred, axis=reduced, keepdims=True)
    inv = 1 / ew.sqrt.forward(xp, var + eps)
    if STATE.training:
        _update_moving(moving_mean, mean, momentum)
        _update_moving(moving_var, var, momentum)
    xhat = centred
    xhat *= inv
    gxhat = gy * xhat
    ggamma = gamma._data * 0 if fix_gamma else _sum_forward(xp, gxhat, axis=reduced)
    gbeta = _sum_forward(xp, gy, axis=reduced)
    scale = inv if fix_gamma else inv * gamma._data.reshape(bshape)
    gx = gy - _mean_forward(xp, gy, axis=reduced, keepdims=True)
    xhat *= _mean_forward(xp, gxhat, axis=reduced, keepdims=True)
    gx -= xhat
    gx *= scale
    return (_wrap(gx, device), _wrap(ggamma, device), _wrap(gbeta, device), None, None)


def _update_moving(moving, batch, momentum):
    """moving = momentum * moving + (1 - momentum) * batch, in place on the raw buffer. As
    MXNet's kernel, ``momentum`` is a float32 number, and ``1 - momentum`` and the products
    are computed in the buffer's dtype (0.9 gives 0.100000024 for the new batch's share; for
    float64 stats 0.1 gives 0.899999998509884, not float32's 0.9)."""
    raw = moving._data
    keep = onp.float32(momentum).astype(raw.dtype)
    share = raw.dtype.type(1) - keep
    raw *= keep
    raw += (batch.reshape(raw.shape).astype(raw.dtype, copy=False) * share)


_batch_norm = Primitive("batch_norm", _bn_forward, vjp_all=_bn_vjp, keep=(0, 1, 3, 4))


def batch_norm(data, gamma, beta, moving_mean, moving_var, eps=1e-3, momentum=0.9,
               fix_gamma=True, use_global_stats=False, output_mean_var=False, axis=1,
               cudnn_off=False, min_calib_range=None, max_calib_range=None, out=None,
               name=None):
    """MXNet's BatchNorm: batch statistics in training mode, the moving ones otherwise.

    In a training pass (``autograd.is_training()`` at the forward, backward run with
    ``train_mode=True``) the backward updates ``moving_mean``/``moving_var`` in place with the
    biased batch variance, as MXNet does on CPU. ``output_mean_var`` adds the mean and
    1/sqrt(var + eps). Differs from MXNet: gradients flow through those two extra outputs.
    """
    x = float_input("batch_norm", data)
    params = (("gamma", gamma), ("beta", beta), ("moving_mean", moving_mean),
              ("moving_var", moving_var))
    _param_dtype("batch_norm", x, params)
    axis = _check_axis("batch_norm", axis, x.ndim)
    _check_channels("batch_norm", x.shape, axis, params)
    use_batch = STATE.training and not use_global_stats
    outs = _batch_norm(x, gamma, beta, moving_mean, moving_var, eps=float(eps),
                       momentum=float(momentum), fix_gamma=bool(fix_gamma),
                       use_batch=use_batch, axis=axis, with_stats=bool(output_mean_var))
    return list(outs) if output_mean_var else write_out(outs[0], out)


# ---- layer_norm -----------------------------------------------------------------------------
def layer_norm(data, gamma, beta, axis=-1, eps=1e-5, output_mean_var=False, out=None):
    """MXNet's LayerNorm over one axis; ``output_mean_var`` adds the mean and sqrt(var + eps).

    Differs from MXNet: gradients flow through the mean and std outputs (MXNet gives zeros).
    """
    x = float_input("layer_norm", data)
    for what, p in (("gamma", gamma), ("beta", beta)):
        if float_input("layer_norm", p, what).dtype != x.dtype:
            raise OpTypeError(f"layer_norm: {what} is {onp.dtype(p.dtype).name} but data is "
                              f"{onp.dtype(x.dtype).name}")
    axis = _check_axis("layer_norm", axis, x.ndim)
    _check_channels("layer_norm", x.shape, axis, (("gamma", gamma), ("beta", beta)))
    bshape = tuple(-1 if a == axis else 1 for a in range(x.ndim))
    work = x.astype("float32") if x._data.dtype.itemsize < 4 else x  # float16 sums in float32
    mean = _mean(work, axis=axis, keepdims=True)
    centred = work - mean
    std = ew.sqrt(_mean(centred * centred, axis=axis, keepdims=True) + eps)
    y = centred / std
    y = (y.astype(x.dtype) if y.dtype != x.dtype else y) * reshape(gamma, bshape)
    y = y + reshape(beta, bshape)
    if output_mean_var:
        return [y] + [s if s.dtype == x.dtype else s.astype(x.dtype) for s in (mean, std)]
    return write_out(y, out)

