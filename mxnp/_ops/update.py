"""Fused in-place optimizer updates: one call per parameter instead of one op per term.

The optimizers (``mxnp/optimizer``) call these for the common case (a floating weight, its
gradient and states of the same dtype on the same device) and their composite of ``np`` ops
otherwise. Each computes exactly the composite's arithmetic, term by term in the same order and
dtype (hyper-parameters as Python floats, which never widen a float array), so the two paths
agree bit for bit; only the per-op dispatch is saved. Never recorded: updates run under
``autograd.pause()``.
"""
from __future__ import annotations

import numpy as onp

from .. import _native
from .._ndarray import ndarray
from .._tape import STATE

_LIBM = _native.libm()


def fusable(weight, grad, *states) -> bool:
    """Whether the fused updates apply: mxnp arrays of one dtype, float32 or float64 (float16
    ops compute some terms wider), on one device."""
    if not isinstance(weight, ndarray):  # NDArray views (the 1.x face) share the buffer
        return False
    dtype, device = weight._data.dtype, weight._device
    if dtype.kind != "f" or dtype.itemsize < 4:
        return False
    for a in (grad, *states):
        if a is not None and (not isinstance(a, ndarray) or a._data.dtype != dtype or
                              a._device is not device):
            return False
    return True


def _rescaled(grad, rescale, clip, xp):
    g = grad._data * float(rescale)
    if clip is not None and clip > 0:
        xp.clip(g, -float(clip), float(clip), out=g)
    return g


def _check(name, weight, *others):
    if STATE.tracer is not None:  # a write a hybridized program cannot hold
        STATE.tracer.mutate(weight, others[0], name)


_PARAMS: dict = {}  # (value, dtype) -> _param's result: a step converts the same few numbers


def _param(value, dtype):
    """A hyper-parameter as MXNet's kernels hold it: a float32 value, in the weight's dtype."""
    key = (value, dtype)
    out = _PARAMS.get(key)
    if out is None:
        if len(_PARAMS) >= 1024:  # a scheduled rate is a new number every step
            _PARAMS.clear()
        out = _PARAMS[key] = dtype(onp.float32(value))
    return out


def sgd_update(weight, grad, mom, lr, wd, momentum, rescale, clip) -> None:
    """SGD in place as MXNet 1.9.1's optimizer computes it (its aggregated multi_sgd kernels),
    bit for bit: ``step = (lr * rescale) * grad`` (``lr * clip(rescale * grad)`` when
    clipping); without momentum ``w -= (lr * wd) * w + step``; with it
    ``mom = (momentum * mom - (lr * wd) * w) - step; w += mom``."""
    _check("sgd_update", weight, grad)
    xp = weight._device.xp
    w = weight._data
    dt = w.dtype.type
    lr_, rescale_ = _param(lr, dt), _param(rescale, dt)
    if clip is not None and clip > 0:
        step = grad._data * rescale_
        xp.clip(step, -_param(clip, dt), _param(clip, dt), out=step)
        step *= lr_
    else:
        step = grad._data * (lr_ * rescale_)
    decay = lr_ * _param(wd, dt)
    if mom is None:
        if wd:
            step += decay * w
        w -= step
        return
    m = mom._data
    m *= _param(momentum, dt)
    if wd:
        m -= decay * w
    m -= step
    w += m


_PAIRS: dict = {}  # (lr, wd, rescale, dtype) -> sgd_update's (lr * rescale, lr * wd) in dtype


def _sgd_pair(lr, wd, rescale, dtype):
    """``sgd_update``'s two products of hyper-parameters, ``(lr * rescale, lr * wd)``, in
    ``dtype``, as Python floats: a step asks for the same few again and again."""
    key = (lr, wd, rescale, dtype)
    pair = _PAIRS.get(key)
    if pair is None:
        if len(_PAIRS) >= 1024:  # a scheduled rate or a new batch size makes new ones
            _PAIRS.clear()
        lr_ = _param(lr, dtype)
        pair = _PAIRS[key] = (float(lr_ * _param(rescale, dtype)), float(lr_ * _param(wd, dtype)))
    return pair


def sgd_update_all(weights, grads, moms, lrs, wds, momentum, rescale, clip) -> bool:
    """``sgd_update`` for every weight at once, in one C call (``_libm.sgd_update``, the same
    arithmetic in the same order, so the same bits), where the compiled core is built, every
    weight is ``fusable`` with its gradient and momentum and all are contiguous host arrays,
    without clipping or a trace; returns whether it did (if not, nothing was touched)."""
    if _LIBM is None or STATE.tracer is not None or (clip is not None and clip > 0):
        return False
    raw_w, raw_g, raw_m, scales, decays = [], [], [], [], []
    for w, g, m, lr, wd in zip(weights, grads, moms, lrs, wds):
        # fusable's test, less what _libm.sgd_update checks itself (one float dtype, one size)
        if not (isinstance(w, ndarray) and isinstance(g, ndarray) and g._device is w._device
                and (m is None or isinstance(m, ndarray) and m._device is w._device)):
            return False
        w = w._data
        raw_w.append(w)
        raw_g.append(g._data)
        raw_m.append(None if m is None else m._data)
        scale, decay = _sgd_pair(lr, wd, rescale, w.dtype.type)
        scales.append(scale)
        decays.append(decay)
    # (momentum: a float32 value whatever the dtype, as _param rounds every hyper-parameter)
    return _LIBM.sgd_update(raw_w, raw_g, raw_m, scales, decays, [bool(wd) for wd in wds],
                            float(_param(momentum, onp.float32)))


def adam_update(weight, grad, mean, var, lr, beta1, beta2, one_minus_beta1, one_minus_beta2,
                epsilon, wd, rescale, clip) -> None:
    """Adam in place with L2 decay: g = clip(rescale * grad + wd * weight);
    mean = beta1 * mean + (1 - beta1) * g; var = beta2 * var + (1 - beta2) * g * g;
    weight -= lr * mean / (sqrt(var) + epsilon). ``lr`` carries the bias correction."""
    _check("adam_update", weight, grad)
    w = weight._data
    clips = clip is not None and clip > 0
    if _LIBM is not None and _LIBM.adam_update(
            w, grad._data, mean._data, var._data, lr, beta1, beta2, one_minus_beta1,
            one_minus_beta2, epsilon, wd, rescale, clip if clips else 0.0):
        return  # the same passes in one C loop (contiguous host arrays)
    xp = weight._device.xp
    g = grad._data * float(rescale)
    g += float(wd) * w
    if clips:
        xp.clip(g, -float(clip), float(clip), out=g)
    m, v = mean._data, var._data
    m *= float(beta1)
    m += float(one_minus_beta1) * g
    v *= float(beta2)
    g2 = float(one_minus_beta2) * g
    g2 *= g
    v += g2
    d = xp.sqrt(v)
    d += float(epsilon)
    step = float(lr) * m
    step /= d
    w -= step
