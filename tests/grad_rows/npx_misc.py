"""Rows for npx's shape, gather and special-function ops. Each ``fn`` runs the npx op on mxnp
arrays and a plain NumPy (or ``math``) reference on NumPy arrays."""
from __future__ import annotations

import math

import numpy as onp

from mxnp import np, npx
from mxnp._ops import special
from mxnp._ops.nn import basic
from tests.grad_rows.common import S, near, near_int


def _elementwise(op, ref):
    def fn(x):
        return op(x) if isinstance(x, np.ndarray) else onp.vectorize(ref, otypes=[float])(x)
    return fn


def _erfinv_ref(y):
    x = 0.0  # Newton from 0 approaches the root from below: erf is concave for x > 0
    for _ in range(60):
        x -= (math.erf(x) - abs(y)) / (2 / math.sqrt(math.pi) * math.exp(-x * x))
    return math.copysign(x, y)


def _psi_ref(x, n):
    """psi_n(x), x > 0: the recurrence up to x + 40, then the asymptotic series there."""
    y = x + 40
    if n == 0:
        shift = -sum(1 / (x + k) for k in range(40))
        tail = math.log(y) - 1 / (2 * y) - 1 / (12 * y**2) + 1 / (120 * y**4) - 1 / (252 * y**6)
    elif n == 1:
        shift = sum(1 / (x + k) ** 2 for k in range(40))
        tail = 1 / y + 1 / (2 * y**2) + 1 / (6 * y**3) - 1 / (30 * y**5) + 1 / (42 * y**7)
    else:  # n == 2: the derivative of the n == 1 series
        shift = -2 * sum(1 / (x + k) ** 3 for k in range(40))
        tail = -1 / y**2 - 1 / y**3 - 1 / (2 * y**4) + 1 / (6 * y**6) - 1 / (6 * y**8)
    return shift + tail


def _psi(n):
    def fn(x):
        if isinstance(x, np.ndarray):
            return special.digamma(x) if n == 0 else special.polygamma(x, n=n)
        return onp.vectorize(lambda v: _psi_ref(v, n), otypes=[float])(x)
    return fn


def smooth_l1(scalar):
    def fn(x):
        if isinstance(x, np.ndarray):
            return npx.smooth_l1(x, scalar=scalar)
        s2 = scalar * scalar
        return onp.where(abs(x) < 1 / s2, 0.5 * s2 * x * x, abs(x) - 0.5 / s2)
    return fn


_INDICES = onp.array([[0, 1, 0, -1], [1, 0, 1, 2]])  # repeats (0, 1) and wraps -1


def gather_nd(x):
    if isinstance(x, np.ndarray):
        return npx.gather_nd(x, np.array(_INDICES))
    return x[tuple(_INDICES)]


_PICKED = onp.array([2, 0, 5, -1])  # 5 and -1 are out of range: clipped, or wrapped


def pick(axis, mode, keepdims):
    def fn(x):
        if isinstance(x, np.ndarray):
            return npx.pick(x, np.array(_PICKED), axis=axis, mode=mode, keepdims=keepdims)
        index = onp.clip(_PICKED, 0, x.shape[axis] - 1) if mode == "clip" else \
            _PICKED % x.shape[axis]
        out = onp.take_along_axis(x, onp.expand_dims(index, axis), axis)
        return out if keepdims else out.squeeze(axis)
    return fn


_LABELS = onp.array([2.0, 0.0, 5.0, -1.0])  # class indices; 5 and -1 are clipped into range


def sparse_ce(x):
    """SoftmaxCrossEntropyLoss's fused op: -log_softmax(x)[label], the class axis kept."""
    if isinstance(x, np.ndarray):
        return basic.sparse_softmax_cross_entropy(x, np.array(_LABELS), axis=1)
    ls = x - x.max(axis=1, keepdims=True)
    ls = ls - onp.log(onp.exp(ls).sum(axis=1, keepdims=True))
    index = onp.clip(_LABELS.astype(int), 0, x.shape[1] - 1)
    return -onp.take_along_axis(ls, index[:, None], 1)


def sparse_ce_back(g, ls):
    """That op's rule as an op: exp(ls) * g, less g at the labels."""
    if isinstance(g, np.ndarray):
        return basic._sparse_ce_back(g, ls, np.array(_LABELS), axis=1, mode="clip")
    out = onp.exp(ls) * g
    out[onp.arange(4), onp.clip(_LABELS.astype(int), 0, ls.shape[1] - 1)] -= g[:, 0]
    return out


def pick_back(g):
    """pick's VJP as an op: zeros of (4, 3) with ``g`` at the picked positions."""
    if isinstance(g, np.ndarray):
        return basic._pick_back(g, np.array(_PICKED), shape=(4, 3), axis=1, mode="wrap",
                                keepdims=False)
    out = onp.zeros((4, 3))
    out[onp.arange(4), _PICKED % 3] = g
    return out


def batch_dot(transpose_a, transpose_b):
    def fn(a, b):
        if isinstance(a, np.ndarray):
            return npx.batch_dot(a, b, transpose_a=transpose_a, transpose_b=transpose_b)
        a = a.swapaxes(-1, -2) if transpose_a else a
        return a @ (b.swapaxes(-1, -2) if transpose_b else b)
    return fn


def reshape_codes(x):
    if isinstance(x, np.ndarray):
        return npx.reshape(x, (-6, 1, -1, -5))  # (2, 3, 4) -> (1, 2, 12)
    return x.reshape(1, 2, 12)


def sequence_mask(x):
    if isinstance(x, np.ndarray):
        return npx.sequence_mask(x, np.array([1, 3]), use_sequence_length=True, value=-1.0)
    keep = onp.arange(3)[:, None, None] < onp.array([1, 3])[None, :, None]
    return onp.where(keep, x, -1.0)


def _to_tensor(x):
    """npx.image.to_tensor; for NumPy arrays its definition (float32 / 255, channels first)."""
    if isinstance(x, np.ndarray):
        return npx.image.to_tensor(x)
    return (x.astype(onp.float32) / onp.float32(255)).transpose(2, 0, 1)


ROWS = [
    # a float32 result whatever the input: steps of 1/4 on values in [0, 1), where float32
    # rounds to ~1e-7 of the step (the op is linear: its second order is zero)
    S("to_tensor", [(2, 3, 3)], 0.0, 1.0, order=1, fn=_to_tensor, name="to_tensor", eps=0.25),
    S("erf", [(2, 3)], fn=_elementwise(npx.erf, math.erf), name="npx-erf"),
    S("erfinv", [(2, 3)], -0.9, 0.9, fn=_elementwise(npx.erfinv, _erfinv_ref),
      name="npx-erfinv"),
    S("gamma", [(2, 3)], 0.3, 4.0, fn=_elementwise(npx.gamma, math.gamma), name="npx-gamma"),
    S("gamma", [(2, 3)], -2.9, -2.1, fn=_elementwise(npx.gamma, math.gamma),
      name="npx-gamma-negative"),
    S("gammaln", [(2, 3)], 0.3, 4.0, fn=_elementwise(npx.gammaln, math.lgamma),
      name="npx-gammaln"),
    S("gammaln", [(3,)], -3.9, -0.1, kink=near_int, fn=_elementwise(npx.gammaln, math.lgamma),
      name="npx-gammaln-negative"),
    S("digamma", [(2, 3)], 0.3, 4.0, fn=_psi(0), name="digamma"),
    S("polygamma", [(2, 3)], 0.3, 4.0, fn=_psi(1), name="polygamma-1"),
    S("polygamma", [(4,)], 0.5, 3.0, fn=_psi(2), name="polygamma-2"),
    S("where", [(2, 3)], kink=lambda x: near(abs(x), 1.0), fn=smooth_l1(1.0),
      name="npx-smooth_l1"),
    S("where", [(5,)], kink=lambda x: near(abs(x), 0.25), fn=smooth_l1(2.0),
      name="npx-smooth_l1-scalar2"),
    S("gather_nd", [(2, 3, 2)], fn=gather_nd, name="npx-gather_nd"),
    S("pick", [(4, 3)], fn=pick(-1, "clip", False), name="npx-pick"),
    S("pick", [(3, 4)], fn=pick(0, "wrap", True), name="npx-pick-axis0-wrap-keepdims"),
    S("pick_back", [(4,)], fn=pick_back, name="pick_back"),
    S("sparse_softmax_ce", [(4, 3)], fn=sparse_ce, name="sparse_softmax_ce"),
    S("sparse_softmax_ce_back", [(4, 1), (4, 3)], fn=sparse_ce_back,
      name="sparse_softmax_ce_back"),
    S("matmul", [(2, 3, 4), (2, 4, 5)], fn=batch_dot(False, False), name="npx-batch_dot"),
    S("matmul", [(2, 4, 3), (2, 5, 4)], fn=batch_dot(True, True), name="npx-batch_dot-tt"),
    S("reshape", [(2, 3, 4)], fn=reshape_codes, name="npx-reshape-codes"),
    S("where", [(3, 2, 2)], fn=sequence_mask, name="npx-sequence_mask"),
]
