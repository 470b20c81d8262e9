"""Rows for convolution, deconvolution and pooling, with direct-loop NumPy references.

Each ``fn`` runs the npx op (or, for the internal adjoint primitives, the primitive) on mxnp
arrays, and a loop over every output position and kernel offset on NumPy arrays. The
references are channel-first; ``test_conv_pool.py`` uses them too.
"""
from __future__ import annotations

import itertools

import numpy as onp

from mxnp import np, npx
from mxnp._ops.nn import conv as conv_ops
from mxnp._ops.nn import pooling as pool_ops
from tests.grad_rows.common import S, ties


def _positions(shape):
    return itertools.product(*(range(n) for n in shape))


def _at(pos, kk, stride, dilate, lo):
    """Input index (unpadded) of output position ``pos``, kernel offset ``kk``."""
    return tuple(p * t + k * d - q for p, k, t, d, q in zip(pos, kk, stride, dilate, lo))


def _inside(idx, size):
    return all(0 <= i < s for i, s in zip(idx, size))


def _triples(x_shape, w_shape, out, stride, pad, dilate, groups):
    """Every (n, o, c, output position, kernel offset, input index) a convolution touches."""
    n_, c_ = x_shape[:2]
    o_, cg = w_shape[0], c_ // groups
    for n, o, pos in itertools.product(range(n_), range(o_), _positions(out)):
        for c, kk in itertools.product(range(cg), _positions(w_shape[2:])):
            idx = _at(pos, kk, stride, dilate, pad)
            if _inside(idx, x_shape[2:]):
                yield n, o, o // (o_ // groups) * cg + c, c, pos, kk, idx


def conv_out(size, kernel, stride, pad, dilate):
    return tuple((s + 2 * p - d * (k - 1) - 1) // t + 1
                 for s, k, t, p, d in zip(size, kernel, stride, pad, dilate))


def ref_conv(x, w, stride, pad, dilate, groups=1):
    out = conv_out(x.shape[2:], w.shape[2:], stride, pad, dilate)
    y = onp.zeros((x.shape[0], w.shape[0]) + out)
    for n, o, ci, c, pos, kk, idx in _triples(x.shape, w.shape, out, stride, pad, dilate,
                                              groups):
        y[(n, o) + pos] += x[(n, ci) + idx] * w[(o, c) + kk]
    return y


def ref_deconv(y, w, size, stride, pad, dilate, groups=1):
    """The transposed convolution: each input entry spread over its kernel's footprint."""
    x = onp.zeros((y.shape[0], groups * w.shape[1]) + tuple(size))
    for n, o, ci, c, pos, kk, idx in _triples(x.shape, w.shape, y.shape[2:], stride, pad,
                                              dilate, groups):
        x[(n, ci) + idx] += y[(n, o) + pos] * w[(o, c) + kk]
    return x


def ref_wgrad(x, y, kernel, stride, pad, dilate, groups=1):
    w = onp.zeros((y.shape[1], x.shape[1] // groups) + tuple(kernel))
    for n, o, ci, c, pos, kk, idx in _triples(x.shape, w.shape, y.shape[2:], stride, pad,
                                              dilate, groups):
        w[(o, c) + kk] += x[(n, ci) + idx] * y[(n, o) + pos]
    return w


def _windows(x, kernel, stride, lo, hi):
    """(output position, list of in-range input indices) for each pooling window."""
    out = tuple((s + a + b - k) // t + 1 for s, k, t, a, b in zip(x.shape[2:], kernel, stride,
                                                                     lo, hi))
    for pos in _positions(out):
        idxs = [_at(pos, kk, stride, (1,) * len(kernel), lo) for kk in _positions(kernel)]
        yield out, pos, [i for i in idxs if _inside(i, x.shape[2:])]


def ref_pool(x, kernel, stride, lo, hi, reduce):
    """``reduce(n, c, in-range indices, position)`` for each window of each (n, c)."""
    windows = list(_windows(x, kernel, stride, lo, hi))
    y = onp.zeros(x.shape[:2] + windows[0][0])
    for _, pos, idxs in windows:
        for n, c in _positions(x.shape[:2]):
            y[(n, c) + pos] = reduce(n, c, idxs, pos)
    return y


def ref_first_max(x, kernel, stride, lo, hi):
    """{(n, c, *position): input index of the window's first maximum}."""
    where = {}
    for _, pos, idxs in _windows(x, kernel, stride, lo, hi):
        for n, c in _positions(x.shape[:2]):
            vals = [x[(n, c) + i] for i in idxs]
            where[(n, c) + pos] = (n, c) + idxs[int(onp.argmax(vals))]
    return where


def ref_pick(h, x, kernel, stride, lo, hi):
    at = ref_first_max(x, kernel, stride, lo, hi)
    return ref_pool(x, kernel, stride, lo, hi, lambda n, c, idxs, pos: h[at[(n, c) + pos]])


def ref_route(g, x, kernel, stride, lo, hi):
    gx = onp.zeros(x.shape)
    for key, idx in ref_first_max(x, kernel, stride, lo, hi).items():
        gx[idx] += g[key]
    return gx


def ref_sum_t(g, size, kernel, stride, lo, hi):
    gx = onp.zeros(g.shape[:2] + tuple(size))
    for _, pos, idxs in _windows(onp.zeros(gx.shape), kernel, stride, lo, hi):
        for n, c in _positions(g.shape[:2]):
            for i in idxs:
                gx[(n, c) + i] += g[(n, c) + pos]
    return gx


# ---- the functions under test ----------------------------------------------------------------
def mx(a):
    return isinstance(a, np.ndarray)


def convolution(stride, pad, dilate, groups=1, bias=True, layout=None):
    def fn(x, w, *b):
        if mx(x):
            return npx.convolution(x, w, b[0] if b else None, kernel=w.shape[2:] if not layout
                                   else w.shape[1:-1], stride=stride, pad=pad, dilate=dilate,
                                   num_filter=w.shape[0], num_group=groups, no_bias=not bias,
                                   layout=layout)
        if layout:  # channel-last: move channels to axis 1 and back
            x, w = onp.moveaxis(x, -1, 1), onp.moveaxis(w, -1, 1)
        y = ref_conv(x, w, stride, pad, dilate, groups)
        y = y + b[0].reshape((-1,) + (1,) * (y.ndim - 2)) if b else y
        return onp.moveaxis(y, 1, -1) if layout else y
    return fn


def deconvolution(stride, pad, adj, groups=1, target_shape=None):
    def fn(x, w, *b):
        if mx(x):
            return npx.deconvolution(x, w, b[0] if b else None, kernel=w.shape[2:],
                                     stride=stride, pad=pad, adj=adj, target_shape=target_shape,
                                     num_filter=w.shape[1] * groups, num_group=groups,
                                     no_bias=not b)
        size = tuple(s * (n - 1) - 2 * p + k + a
                     for s, n, p, k, a in zip(stride, x.shape[2:], pad, w.shape[2:], adj))
        y = ref_deconv(x, w, size, stride, pad, (1,) * len(size), groups)
        return y + b[0].reshape((-1,) + (1,) * (y.ndim - 2)) if b else y
    return fn


def wgrad(kernel, stride, pad, dilate, groups=1):
    def fn(x, y):
        geom = {"stride": stride, "pad": pad, "dilate": dilate, "groups": groups}
        if mx(x):
            return conv_ops.conv_wgrad(x, y, kernel=kernel, **geom)
        return ref_wgrad(x, y, kernel, **geom)
    return fn


def pooling(kernel, stride=None, pad=None, pool_type="max", convention="valid", p_value=None,
            count_include_pad=True, layout=None):
    """npx.pooling against ref_pool; the reference pads 'full' at the far end as MXNet does."""
    stride = stride or (1,) * len(kernel)
    pad = pad or (0,) * len(kernel)

    def reference(x):
        x = onp.moveaxis(x, -1, 1) if layout else x
        hi = tuple(max(0, -(-(s + 2 * p - k) // t) * t + k - s - p) if convention == "full"
                   else p for s, k, t, p in zip(x.shape[2:], kernel, stride, pad))
        y = ref_pool(x, kernel, stride, pad, hi, _reducer(pool_type, p_value, count_include_pad, x,
                                                          kernel, stride, pad))
        return onp.moveaxis(y, 1, -1) if layout else y

    def fn(x):
        if mx(x):
            return npx.pooling(x, kernel=kernel, stride=stride, pad=pad, pool_type=pool_type,
                               pooling_convention=convention, p_value=p_value,
                               count_include_pad=count_include_pad, layout=layout)
        return reference(x)
    return fn


def _reducer(pool_type, p_value, include_pad, x, kernel, stride, pad):
    def window_count(pos):  # MXNet: padding counts, the far end of 'full' does not
        return onp.prod([min(q * t - p + k, s + p) - (q * t - p)
                         for q, t, p, k, s in zip(pos, stride, pad, kernel, x.shape[2:])])

    def reduce(n, c, idxs, pos):
        v = onp.array([x[(n, c) + i] for i in idxs])
        if pool_type == "max":
            return v.max()
        if pool_type == "avg":
            return v.sum() / (window_count(pos) if include_pad else len(v))
        if pool_type == "lp":  # a signed cube root for p = 3, as MXNet
            return onp.cbrt(onp.sum(v ** 3)) if p_value == 3 else onp.sum(v ** 2) ** 0.5
        return v.sum()
    return reduce


def internal(name, size=None, kernel=(2, 2), stride=(1, 1), lo=(0, 0), hi=(0, 0)):
    """window_sum_t, window_pick or window_route on mxnp arrays; their loop reference on NumPy."""
    w = {"kernel": kernel, "stride": stride, "pad_lo": lo, "pad_hi": hi}

    def fn(a, *x):
        if mx(a):
            prim = getattr(pool_ops, name)
            return prim(a, size=size, **w) if name == "window_sum_t" else prim(a, x[0], **w)
        if name == "window_sum_t":
            return ref_sum_t(a, size, kernel, stride, lo, hi)
        return (ref_pick if name == "window_pick" else ref_route)(a, x[0], kernel, stride, lo,
                                                                  hi)
    return fn


def _x_ties(*xs):
    return ties(xs[-1])


ROWS = [
    S("convolution", [(1, 2, 3, 3), (3, 2, 2, 2), (3,)], fn=convolution((1, 1), (1, 1), (1, 1)),
      name="convolution-2d-pad-bias"),
    S("convolution", [(1, 4, 7), (4, 2, 2)],
      fn=convolution((2,), (0,), (2,), groups=2, bias=False), name="convolution-1d-groups"),
    S("convolution", [(1, 1, 3, 3, 3), (2, 1, 2, 2, 2)],
      fn=convolution((1, 2, 1), (1, 0, 0), (1, 1, 1), bias=False), name="convolution-3d"),
    S("convolution", [(1, 3, 3, 2), (2, 2, 2, 2), (2,)],
      fn=convolution((1, 1), (0, 0), (1, 1), layout="NHWC"), name="convolution-nhwc"),
    S("deconvolution", [(1, 2, 2, 2), (2, 3, 2, 2), (3,)],
      fn=deconvolution((2, 2), (1, 1), (1, 1)), name="deconvolution-2d-adj-bias"),
    S("deconvolution", [(1, 4, 3), (4, 1, 3)],
      fn=deconvolution((2,), (1,), (1,), groups=2, target_shape=(6,)),
      name="deconvolution-1d-groups-target"),
    S("convolution_weight_grad", [(1, 2, 4, 4), (1, 2, 3, 3)],
      fn=wgrad((2, 2), (2, 2), (1, 1), (1, 1)), name="convolution_weight_grad"),
    S("window_sum", [(1, 2, 4, 4)], fn=pooling((2, 2), pool_type="sum"), name="pooling-sum"),
    S("window_sum", [(1, 1, 5, 5)], fn=pooling((3, 3), (2, 2), (1, 1), "avg", "full"),
      name="pooling-avg-full-pad"),
    S("window_sum", [(1, 1, 5, 4)],
      fn=pooling((3, 2), (2, 1), (1, 1), "avg", count_include_pad=False),
      name="pooling-avg-exclude-pad"),
    S("window_sum", [(1, 2, 5)], 0.5, 2, fn=pooling((2,), pool_type="lp", p_value=2),
      name="pooling-lp2-1d"),
    S("window_sum", [(1, 1, 2, 3, 3)], 0.5, 2, fn=pooling((2, 2, 2), pool_type="lp", p_value=3),
      name="pooling-lp3-3d"),
    S("window_sum_t", [(1, 2, 3, 2)], fn=internal("window_sum_t", (4, 4), (2, 3), (1, 2),
                                                  (0, 1), (0, 1)), name="window_sum_t"),
    S("window_pick", [(1, 2, 4, 4)], kink=ties, fn=pooling((2, 2), (2, 2)),
      name="pooling-max"),
    S("window_pick", [(1, 1, 5, 5)], kink=ties, fn=pooling((3, 3), (2, 2), (1, 1),
                                                           convention="full"),
      name="pooling-max-full-pad"),
    S("window_pick", [(1, 5, 2)], kink=ties, fn=pooling((3,), (2,), layout="NWC"),
      name="pooling-max-nwc"),
    S("window_pick", [(1, 2, 4, 4), (1, 2, 4, 4)], kink=_x_ties,
      fn=internal("window_pick"), name="window_pick-apart"),
    S("window_route", [(1, 2, 3, 3), (1, 2, 4, 4)], kink=_x_ties,
      fn=internal("window_route"), name="window_route"),
]
