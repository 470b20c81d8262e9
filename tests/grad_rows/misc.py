"""Rows for polynomials and functions applied along axes: composites, so each row names the
primitive that carries most of its gradient and is identified by the function's own name."""
from __future__ import annotations

from tests.grad_rows.common import S, ns


def along_rows(x):  # each row scaled by its own first entry
    return ns(x).apply_along_axis(lambda v: v * v[0], 1, x)


def along_columns_outer(x):  # a 2-D result per column: NumPy puts its axes where axis 0 was
    return ns(x).apply_along_axis(lambda v: ns(v).outer(v, v), 0, x)


ROWS = [
    S("multiply", [(4,), (3,)], fn=lambda p, x: ns(p).polyval(p, x), name="polyval"),
    S("multiply", [(3,), (2, 3)], fn=lambda p, x: ns(p).polyval(p, x), name="polyval-2d"),
    S("multiply", [(5,), ()], fn=lambda p, x: ns(p).polyval(p, x), name="polyval-0d"),
    S("stack", [(4,)], fn=lambda x: ns(x).vander(x), name="vander"),
    S("stack", [(3,)], fn=lambda x: ns(x).vander(x, 5, True), name="vander-increasing-N5"),
    S("concatenate", [(2,), (4,)], fn=lambda a, b: ns(a).polyadd(a, b), name="polyadd"),
    S("concatenate", [(4,), (2,)], fn=lambda a, b: ns(a).polysub(a, b), name="polysub"),
    S("matmul", [(3,), (4,)], fn=lambda a, b: ns(a).polymul(a, b), name="polymul"),
    S("true_divide", [(4,)], fn=lambda p: ns(p).polyint(p), name="polyint"),
    S("true_divide", [(3,), (2,)], fn=lambda p, k: ns(p).polyint(p, 2, k), name="polyint-m2-k"),
    S("true_divide", [(5,), (3,)], 0.5, 2.0, fn=lambda u, v: ns(u).polydiv(u, v),
      name="polydiv"),
    S("concatenate", [(3,)], fn=lambda z: ns(z).poly(z), name="poly"),
    S("split", [(3, 4)], fn=along_rows, name="apply_along_axis"),
    S("split", [(3, 2)], fn=along_columns_outer, name="apply_along_axis-outer-axis0"),
    S("sum", [(2, 3, 4)], fn=lambda x: ns(x).apply_over_axes(ns(x).sum, x, [0, 2]),
      name="apply_over_axes"),
]
