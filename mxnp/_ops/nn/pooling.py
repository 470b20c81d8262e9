"""npx.pooling: max, avg, sum and lp pooling over 1, 2 or 3 spatial axes.

Two pairs of primitives, each pair the other's VJP, keep every order of gradient in the
family: ``window_sum`` (linear) with its adjoint ``window_sum_t``, and ``window_pick`` (each
window's entry of ``h`` where ``x`` has the window's first maximum) with ``window_route``
(``g`` sent back to those positions). Max pooling is ``window_pick(x, x)``: its gradient flows
through the first argument only, since the positions are piecewise constant in ``x``. avg and
lp pooling are composites of ``window_sum``.
"""
from __future__ import annotations

import numpy as onp

from ...base import OpError
from ..creation import array, astype
from ..elementwise import sqrt
from ..math import cbrt
from ..primitive import Primitive, write_out
from ..scratch import scratch
from .conv import channels_first, channels_last, check_data, shape_arg
from .windows import crop, fold, offsets, out_size, pad_spatial, prod, reduce_windows, window_view


def _out(x, kernel, stride, pad_lo, pad_hi):
    return tuple(out_size(s, k, t, lo, hi)
                 for s, k, t, lo, hi in zip(x.shape[2:], kernel, stride, pad_lo, pad_hi))


def _windows(xp, x, kernel, stride, pad_lo, pad_hi, value):
    """The window view (N, C, *kernel, *out) of ``x`` padded with ``value``."""
    return window_view(xp, pad_spatial(xp, x, pad_lo, pad_hi, value), kernel, stride,
                       (1,) * len(kernel), _out(x, kernel, stride, pad_lo, pad_hi))


def _reduce(xp, ufunc, x, kernel, stride, pad_lo, pad_hi, value):
    """``ufunc`` over each window of ``x`` padded with ``value``."""
    return reduce_windows(ufunc, pad_spatial(xp, x, pad_lo, pad_hi, value), kernel, stride,
                          _out(x, kernel, stride, pad_lo, pad_hi))


def _unwindow(xp, cols, size, stride, pad_lo, pad_hi):
    """The adjoint of ``_windows``: window entries summed back into an array of ``size``."""
    padded = tuple(s + lo + hi for s, lo, hi in zip(size, pad_lo, pad_hi))
    return xp.ascontiguousarray(crop(fold(xp, cols, padded, stride, (1,) * len(size)),
                                     pad_lo, size))


def _window_sum(xp, x, kernel, stride, pad_lo, pad_hi):
    return _reduce(xp, xp.add, x, kernel, stride, pad_lo, pad_hi, 0)


def _window_sum_t(xp, g, size, kernel, stride, pad_lo, pad_hi):
    nd = len(kernel)
    if all(t == k or o == 1 for t, k, o in zip(stride, kernel, g.shape[2:])):
        # windows side by side (2x2 pooling with stride 2, global pooling): each entry of g
        # repeated over its window, then cut to the unpadded input (zeros where no window
        # reaches)
        for axis, k in enumerate(kernel, 2):
            g = xp.repeat(g, k, axis=axis)
        part = g[(slice(None),) * 2 + tuple(slice(lo, lo + s) for lo, s in zip(pad_lo, size))]
        if part.shape[2:] == tuple(size):
            return xp.ascontiguousarray(part)
        buf = xp.zeros(g.shape[:2] + tuple(size), dtype=g.dtype)
        buf[(slice(None),) * 2 + tuple(slice(0, n) for n in part.shape[2:])] = part
        return buf
    cols = xp.broadcast_to(g.reshape(g.shape[:2] + (1,) * nd + g.shape[2:]),
                           g.shape[:2] + tuple(kernel) + g.shape[2:])
    return _unwindow(xp, cols, size, stride, pad_lo, pad_hi)


def _lowest(dtype):
    """The max-pool pad value: the dtype's lowest finite number, as MXNet pads (so a window
    wholly in the padding gives that number, not -inf)."""
    info = onp.finfo(dtype) if onp.issubdtype(dtype, onp.floating) else onp.iinfo(dtype)
    return info.min


def _first_max(xp, x, kernel, stride, pad_lo, pad_hi):
    """Each window's first maximum (row-major, as MXNet routes ties) as a flat kernel index.

    A running maximum over the kernel offsets; an offset takes over where it is strictly
    greater (a later tie never wins, nor a NaN, and a window that starts with NaN stays at
    0). Arithmetic throughout: a masked assignment on a random mask costs ~10x as much.
    """
    view = _windows(xp, x, kernel, stride, pad_lo, pad_hi, _lowest(x.dtype))
    best = at = None
    for i, kk in enumerate(offsets(kernel)):
        part = view[(slice(None), slice(None)) + kk]
        if best is None:
            best = xp.where(xp.isnan(part), xp.inf, part)  # nothing beats a leading NaN
            at = xp.zeros(part.shape, dtype=onp.min_scalar_type(prod(kernel) - 1))  # unsigned
            continue
        better = xp.greater(part, best)
        at += better * (i - at)  # i where better, else unchanged (i - at wraps, and back)
        xp.fmax(best, part, out=best)  # best where part is NaN (as never greater)
    return at


def _window_pick(xp, h, x, kernel, stride, pad_lo, pad_hi):
    if h is x:  # max pooling itself: the maximum, without locating it
        return _reduce(xp, xp.maximum, x, kernel, stride, pad_lo, pad_hi, _lowest(x.dtype))
    at = _first_max(xp, x, kernel, stride, pad_lo, pad_hi)
    view = _windows(xp, h, kernel, stride, pad_lo, pad_hi, 0)
    flat = view.reshape(h.shape[:2] + (prod(kernel),) + at.shape[2:])
    return xp.take_along_axis(flat, at[:, :, None], axis=2)[:, :, 0]


def _window_route(xp, g, x, kernel, stride, pad_lo, pad_hi):
    at = _first_max(xp, x, kernel, stride, pad_lo, pad_hi)
    # g where each offset is its window's first maximum, else 0; folded away below (a reused
    # buffer, not fresh pages each step)
    cols = scratch(xp, g.shape[:2] + tuple(kernel) + g.shape[2:], g.dtype, "route_cols")
    for i, kk in enumerate(offsets(kernel)):
        xp.multiply(at == i, g, out=cols[(slice(None), slice(None)) + kk])
    return _unwindow(xp, cols, x.shape[2:], stride, pad_lo, pad_hi)


window_sum = Primitive("window_sum", _window_sum,
                       (lambda g, ans, x, **w: window_sum_t(g, size=x.shape[2:], **w),),
                       keep=())
window_sum_t = Primitive("window_sum_t", _window_sum_t,
                         (lambda g, ans, y, size, **w: window_sum(g, **w),), keep=())
window_pick = Primitive("window_pick", _window_pick,
                        (lambda g, ans, h, x, **w: window_route(g, x, **w), None), keep=(1,))
window_route = Primitive("window_route", _window_route,
                         (lambda g, ans, y, x, **w: window_pick(g, x, **w), None), keep=(1,))


def _pool_geometry(x, kernel, stride, pad, global_pool, convention):
    """(kernel, stride, pad_lo, pad_hi) for channel-first ``x``; 'full' pads the far end."""
    size = x.shape[2:]
    if global_pool:  # MXNet: the whole input, whatever kernel, stride and pad say
        return size, (1,) * len(size), (0,) * len(size), (0,) * len(size)
    nd = len(kernel)
    stride = shape_arg("pooling", "stride", stride, nd, 1)
    if convention == "same":  # MXNet: ceil(size / stride) windows from the start, the far
        # end padded; a pad of its own is refused
        pads = (pad,) if isinstance(pad, int) else tuple(pad or ())
        if any(pads):
            raise OpError(f"pooling: pooling_convention 'same' pads by itself; pad must be 0, "
                          f"got {pad}")
        out = [-(-s // t) for s, t in zip(size, stride)]
        hi = tuple(max(0, (o - 1) * t + k - s) for o, t, k, s in zip(out, stride, kernel, size))
        return kernel, stride, (0,) * nd, hi
    pad = shape_arg("pooling", "pad", pad, nd, 0)
    # pad >= kernel is allowed, as MXNet's own kernels allow it (windows wholly in the padding);
    # only its oneDNN path (float32 max and avg) refuses it
    if min(kernel + stride) < 1 or min(pad) < 0:
        raise OpError(f"pooling: need kernel, stride >= 1 and pad >= 0, got kernel="
                      f"{kernel}, stride={stride}, pad={pad}")
    if any(k > s + 2 * p for k, s, p in zip(kernel, size, pad)):
        raise OpError(f"pooling: kernel {kernel} exceeds the input {size} padded by {pad}")
    out = [out_size(s, k, t, p, p, ceil=convention == "full")
           for s, k, t, p in zip(size, kernel, stride, pad)]
    hi = tuple(max(0, (o - 1) * t + k - s - p) for o, t, k, s, p in zip(out, stride, kernel,
                                                                         size, pad))
    return kernel, stride, pad, hi


def _avg_divisor(x, kernel, stride, pad_lo, pad_hi, count_include_pad):
    """Each window's count: padding counts (MXNet's default) but never the far end of 'full'.

    A window with nothing to count (wholly in the padding or past the end) averages to 0 over
    one or two spatial axes, and to 0/0 = nan over three where MXNet's count is exactly 0 (its
    3-D kernels divide the window's sum by the count; the 1-D and 2-D ones divide each entry).
    """
    counts = []
    for s, k, t, lo, hi in zip(x.shape[2:], kernel, stride, pad_lo, pad_hi):
        start = onp.arange(out_size(s, k, t, lo, hi)) * t - lo
        end = onp.minimum(start + k, s + lo)  # lo == MXNet's symmetric pad
        if not count_include_pad:
            start, end = onp.maximum(start, 0), onp.minimum(end, s)
        counts.append(end - start)
    divisor = counts[0]
    for c in counts[1:]:
        divisor = onp.multiply.outer(divisor, c)
    empty = divisor == 0
    divisor = onp.maximum(divisor, 1).astype(x.dtype)  # an empty window's sum is 0: 0/1
    if len(kernel) == 3:
        divisor[empty] = onp.nan  # 0/nan: nan, without a warning
    if (divisor == divisor.flat[0]).all():
        return float(divisor.flat[0])  # a number: no array to build or move
    return array(divisor, dtype=x.dtype, ctx=x.device)


def _lp(x, p_value, w):
    if p_value == 1:
        return window_sum(x, **w)
    if p_value == 2:
        return sqrt(window_sum(x * x, **w))
    if p_value == 3:  # a signed cube root: MXNet sums x^3 as is, negative values included
        return cbrt(window_sum(x * x * x, **w))
    raise OpError(f"pooling: p_value must be 1, 2 or 3 for pool_type='lp' (MXNet supports no "
                  f"other), got {p_value}")


def pooling(data=None, kernel=None, pool_type="max", global_pool=False, cudnn_off=False,
            pooling_convention="valid", stride=None, pad=None, p_value=None,
            count_include_pad=None, layout=None, out=None, name=None):
    """Pooling over 1-3 spatial axes; stride defaults to 1 (MXNet), not to the kernel.

    pooling_convention='same' (1-D max pooling, as MXNet): ceil(size / stride) windows, the
    far end padded.
    """
    if kernel is None and not global_pool:
        raise OpError("pooling: kernel= is required unless global_pool=True")
    kernel = (kernel,) if isinstance(kernel, int) else tuple(kernel or ())
    nd = data.ndim - 2 if global_pool and hasattr(data, "ndim") else len(kernel)
    last = check_data("pooling", data, nd, layout)
    if pool_type not in ("max", "avg", "sum", "lp"):
        raise OpError(f"pooling: pool_type must be 'max', 'avg', 'sum' or 'lp', got "
                      f"{pool_type!r}")
    if pooling_convention not in ("valid", "full", "same"):
        raise OpError(f"pooling: pooling_convention must be 'valid', 'full' or 'same', got "
                      f"{pooling_convention!r}")
    if pooling_convention == "same" and (pool_type != "max" or nd != 1):
        raise OpError("pooling: pooling_convention 'same' supports max pooling over one "
                      f"spatial axis only (as MXNet), got pool_type={pool_type!r} over {nd}")
    x = channels_first(data, last)
    geom = _pool_geometry(x, kernel, stride, pad, global_pool, pooling_convention)
    half = pool_type != "max" and x.dtype == onp.float16
    if half:  # MXNet sums float16 windows in float32 and rounds the result once
        x = astype(x, onp.float32)
    w = dict(zip(("kernel", "stride", "pad_lo", "pad_hi"), geom))
    if pool_type == "max":
        y = window_pick(x, x, **w)
    elif pool_type == "lp":
        y = _lp(x, p_value, w)
    else:
        y = window_sum(x, **w)
        if pool_type == "avg":
            y = y / _avg_divisor(x, *geom, count_include_pad in (None, True))
    if half:
        y = astype(y, onp.float16)
    return write_out(channels_last(y, last), out)
