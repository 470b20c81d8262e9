"""Rows for the statistics family. Most functions are composites; each row names the
Primitive its gradient runs through most (``op``) and the function it checks (``name``)."""
from __future__ import annotations

import numpy as onp

from tests.grad_rows.common import S, ns, ties

W3 = onp.array([1.0, 2.0, 0.5])
ZERO_AT = onp.array([[1.0, 0.0, 1.0], [1.0, 1.0, 1.0]])  # multiplies one element to zero
NAN_AT = onp.array([[False, True, False], [False, False, False]])


def with_nan(x):
    return ns(x).where(ns(x).array(NAN_AT), onp.nan, x)


def trapz(y, x=None, axis=-1):  # NumPy 2 spells it trapezoid
    return (onp.trapezoid if isinstance(y, onp.ndarray) else ns(y).trapz)(y, x=x, axis=axis)


ROWS = [
    # ---- moments -----------------------------------------------------------------------------
    S("sum", [(2, 3, 4)], fn=lambda x: ns(x).var(x), name="var"),
    S("sum", [(2, 3, 4)], fn=lambda x: ns(x).var(x, axis=1, ddof=1), name="var-axis1-ddof1"),
    S("sum", [(2, 3, 4)], fn=lambda x: ns(x).var(x, axis=(0, 2), keepdims=True),
      name="var-axes-keepdims"),
    S("sum", [(2, 3)], fn=lambda x: ns(x).std(x), name="std"),
    S("sum", [(2, 3, 4)], fn=lambda x: ns(x).std(x, axis=-1, ddof=1, keepdims=True),
      name="std-axis-1-ddof1-keepdims"),
    S("mean", [(2, 3)], fn=lambda x: ns(x).average(x), name="average"),
    S("sum", [(2, 3)], fn=lambda x: ns(x).average(x, axis=1, weights=ns(x).array(W3)),
      name="average-1d-weights"),
    S("sum", [(2, 3), (2, 3)], 0.5, 2.0, fn=lambda x, w: ns(x).average(x, axis=0, weights=w),
      name="average-weights-both"),
    S("max", [(2, 3, 4)], fn=lambda x: ns(x).ptp(x), kink=ties, name="ptp"),
    S("max", [(2, 3, 4)], fn=lambda x: ns(x).ptp(x, axis=1, keepdims=True), kink=ties,
      name="ptp-axis1-keepdims"),
    # ---- cumulative --------------------------------------------------------------------------
    S("cumsum", [(2, 3)]),
    S("cumsum", [(2, 3, 4)], params={"axis": 1}),
    S("cumsum", [(2, 3, 4)], params={"axis": -1}),
    S("multiply", [(5,)], fn=lambda x: ns(x).cumprod(x), name="cumprod"),
    S("multiply", [(2, 3, 4)], fn=lambda x: ns(x).cumprod(x, axis=1), name="cumprod-axis1"),
    S("multiply", [(2, 3)], fn=lambda x: ns(x).cumprod(x * ns(x).array(ZERO_AT), axis=-1),
      name="cumprod-with-a-zero"),
    S("prod", [(2, 3)], fn=lambda x: ns(x).prod(x * ns(x).array(ZERO_AT), axis=1),
      name="prod-with-a-zero"),
    S("prod", [(2, 3)], fn=lambda x: ns(x).prod(x * ns(x).array(ZERO_AT)),
      name="prod-with-a-zero-all"),
    # ---- diagonals, differences, integrals ---------------------------------------------------
    S("getitem", [(3, 3)], fn=lambda x: ns(x).trace(x), name="trace"),
    S("getitem", [(2, 3, 4)], fn=lambda x: ns(x).trace(x, offset=1, axis1=1, axis2=2),
      name="trace-offset-axes"),
    S("getitem", [(4, 3)], fn=lambda x: ns(x).trace(x, offset=-1), name="trace-offset-neg"),
    S("getitem", [(2, 5)], fn=lambda x: ns(x).diff(x), name="diff"),
    S("getitem", [(4, 3)], fn=lambda x: ns(x).diff(x, n=2, axis=0), name="diff-n2-axis0"),
    S("getitem", [(2, 3), (2, 1)], fn=lambda x, p: ns(x).diff(x, prepend=p, append=1.5),
      name="diff-prepend-append"),
    S("getitem", [(2, 3)], fn=lambda x: ns(x).ediff1d(x, to_begin=ns(x).array([2.0])),
      name="ediff1d"),
    S("getitem", [(2, 4)], fn=lambda y: trapz(y), name="trapz"),
    S("getitem", [(4, 3), (4,)], fn=lambda y, x: trapz(y, x=x, axis=0), name="trapz-x"),
    # ---- covariance and correlation ----------------------------------------------------------
    S("dot", [(3, 5)], fn=lambda x: ns(x).cov(x), name="cov"),
    S("dot", [(5, 2), (5,)], fn=lambda x, y: ns(x).cov(x, y, rowvar=False, bias=True),
      name="cov-y-rowvar-bias"),
    S("dot", [(2, 4), (4,)], 0.5, 2.0, fn=lambda x, w: ns(x).cov(x, aweights=w),
      name="cov-aweights"),
    S("dot", [(3, 5)], fn=lambda x: ns(x).corrcoef(x), name="corrcoef"),
    S("dot", [(5,), (3,)], fn=lambda a, v: ns(a).correlate(a, v), name="correlate"),
    S("dot", [(4,), (3,)], fn=lambda a, v: ns(a).correlate(a, v, mode="full"),
      name="correlate-full"),
    S("dot", [(2,), (5,)], fn=lambda a, v: ns(a).correlate(a, v, mode="same"),
      name="correlate-same"),
    # ---- skipping NaNs -----------------------------------------------------------------------
    S("max", [(2, 3)], fn=lambda x: ns(x).nanmax(with_nan(x), axis=1), kink=ties,
      name="nanmax"),
    S("min", [(2, 3)], fn=lambda x: ns(x).nanmin(with_nan(x)), kink=ties, name="nanmin"),
    S("prod", [(2, 3)], fn=lambda x: ns(x).nanprod(with_nan(x), axis=0), name="nanprod"),
    S("cumsum", [(2, 3)], fn=lambda x: ns(x).nancumsum(with_nan(x), axis=1), name="nancumsum"),
    S("multiply", [(2, 3)], fn=lambda x: ns(x).nancumprod(with_nan(x)), name="nancumprod"),
    # ---- quantiles: linear interpolation between the two nearest sorted elements -------------
    S("getitem", [(2, 5)], fn=lambda x: ns(x).percentile(x, 30, axis=1), kink=ties,
      name="percentile"),
    S("getitem", [(3, 4)], fn=lambda x: ns(x).quantile(x, [0.2, 0.5], axis=0, keepdims=True),
      kink=ties, name="quantile-list-keepdims"),
    S("getitem", [(2, 3, 4)], fn=lambda x: ns(x).quantile(x, 0.7, axis=(0, 2),
                                                          method="midpoint"),
      kink=ties, name="quantile-midpoint-axes"),
    S("getitem", [(2, 4)], fn=lambda x: ns(x).median(x), kink=ties, name="median"),
    S("getitem", [(2, 3)], fn=lambda x: ns(x).nanmedian(with_nan(x), axis=1), kink=ties,
      name="nanmedian"),
    S("getitem", [(2, 3)], fn=lambda x: ns(x).nanpercentile(with_nan(x), 40), kink=ties,
      name="nanpercentile"),
    S("getitem", [(2, 3)], fn=lambda x: ns(x).nanquantile(with_nan(x), [0.1, 0.9], axis=0),
      kink=ties, name="nanquantile"),
]
