"""Rows for the foundation's ops: elementwise, reductions, shape, indexing, products."""
from __future__ import annotations

import numpy as onp

from mxnp import npx
from mxnp._ops.primitive import OPS
from tests.grad_rows.common import S, near, near_int, ns, ties

MASK = onp.array([[True, False, True], [False, False, True]])
REPEATED = onp.array([2, 0, 2, 1])  # repeated indices: their cotangents must add up
CPU = npx.cpu()


def split_weighted(x):  # the outputs summed with different weights
    return sum(w * p for w, p in zip((1.0, 2.0, 3.0), ns(x).split(x, 3)))


def split_partly_used(x):  # output 1 is unused: the tape hands its rule zeros there
    p = ns(x).split(x, [1, 4])
    return p[0] * 2.0, p[2] * 3.0


def as_float(op):
    """``op`` (with a bool result) cast to its first input's dtype."""
    return lambda *xs: getattr(ns(xs[0]), op)(*xs).astype(xs[0].dtype)


def scatter(key, shape):
    """The adjoint of getitem, called directly (it has no NumPy counterpart)."""
    return lambda g: OPS["scatter"](g, key=key, shape=shape)


ROWS = [
    # ---- arithmetic: same shapes, broadcast pairs, Python scalars ----------------------------
    S("add", [(2, 3), (2, 3)]),
    S("add", [(3, 1), (1, 4)]),
    S("add", [(), (2, 3)]),
    S("add", [(2, 3), (3,)]),
    S("subtract", [(2, 3), (2, 3)]),
    S("subtract", [(3, 1), (1, 4)]),
    S("subtract", [(), (2, 3)]),
    S("subtract", [(2, 1, 3), (4, 1)]),
    S("subtract", [(2,)], fn=lambda x: 3.0 - x, name="subtract-rscalar"),
    S("multiply", [(2, 3), (2, 3)]),
    S("multiply", [(3, 1), (1, 4)]),
    S("multiply", [(2, 3), ()]),
    S("multiply", [(2, 3), (3,)]),
    S("multiply", [(2, 3)], fn=lambda x: x * 2.5, name="multiply-scalar"),
    S("multiply", [(3,)], fn=lambda x: x * x * x, name="multiply-cube"),
    S("true_divide", [(2, 3), (2, 3)], 0.5, 2.0),
    S("true_divide", [(3, 1), (1, 4)], 0.5, 2.0),
    S("true_divide", [(), (2, 3)], 0.5, 2.0),
    S("true_divide", [(2, 3), (3,)], 0.5, 2.0),
    S("true_divide", [(2, 3)], 0.5, 2.0, fn=lambda x: 2.0 / x, name="true_divide-rscalar"),
    S("power", [(2, 3), (2, 3)], 0.5, 2.0),
    S("power", [(3, 1), (1, 4)], 0.5, 2.0),
    S("power", [(), (2, 3)], 0.5, 2.0),
    S("power", [(2, 3), (3,)], 0.5, 2.0),
    S("power", [(2, 3)], fn=lambda x: x ** 3, name="power-cube"),
    S("power", [(2, 3)], fn=lambda x: 2.0 ** x, name="power-rscalar"),
    S("mod", [(2, 3), (2, 3)], 0.5, 2.0, kink=lambda x, y: near_int(x / y)),
    S("mod", [(3, 1), (1, 4)], 0.5, 2.0, kink=lambda x, y: near_int(x / y)),
    S("mod", [(), (2, 3)], 0.5, 2.0, kink=lambda x, y: near_int(x / y)),
    S("mod", [(2, 3), (3,)], 0.5, 2.0, kink=lambda x, y: near_int(x / y)),
    S("mod", [(2, 3)], -3.0, 3.0, fn=lambda x: x % 1.5, kink=lambda x: near_int(x / 1.5),
      name="mod-scalar"),
    S("maximum", [(2, 3), (2, 3)], kink=ties),
    S("maximum", [(3, 1), (1, 4)], kink=ties),
    S("maximum", [(), (2, 3)], kink=ties),
    S("maximum", [(2, 3), (3,)], kink=ties),
    S("minimum", [(2, 3), (2, 3)], kink=ties),
    S("minimum", [(3, 1), (1, 4)], kink=ties),
    S("minimum", [(2, 3), ()], kink=ties),
    S("minimum", [(2, 3), (3,)], kink=ties),
    S("minimum", [(2, 3)], fn=lambda x: ns(x).minimum(x, 0.5), kink=lambda x: near(x, 0.5),
      name="minimum-scalar"),
    # ---- unary -------------------------------------------------------------------------------
    S("negative", [(2, 3)]),
    S("positive", [(2, 3)]),
    S("absolute", [(2, 3)], kink=lambda x: near(x, 0)),
    S("absolute", [()], kink=lambda x: near(x, 0)),
    S("square", [(2, 3)]),
    S("sqrt", [(2, 3)], 0.5, 3.0),
    S("exp", [(2, 3)]),
    S("exp", [()]),
    S("log", [(2, 3)], 0.5, 3.0),
    S("sin", [(2, 3)]),
    S("cos", [(2, 3)]),
    S("tanh", [(2, 3)]),
    # zero gradient: checked to be exactly zero (test_zero_grad), and against differences
    S("sign", [(2, 3)], kink=lambda x: near(x, 0)),
    S("floor", [(2, 3)], kink=near_int),
    S("ceil", [(2, 3)], kink=near_int),
    # comparisons, logic and predicates: bool results (cast back to check them), a zero
    # gradient (MXNet records them)
    *[S(op, [(2, 3), (3,)], fn=as_float(op), kink=ties) for op in
      ("equal", "not_equal", "less", "less_equal", "greater", "greater_equal")],
    S("multiply", [(2, 3)], fn=lambda x: ns(x).greater(x, 0.5) * x,
      kink=lambda x: near(x, 0.5), name="multiply-by-a-comparison-of-x"),
    *[S(op, [(2, 3), (2, 3)], fn=as_float(op), kink=lambda x, y: near(x, 0) or near(y, 0))
      for op in ("logical_and", "logical_or", "logical_xor")],
    *[S(op, [(2, 3)], fn=as_float(op), kink=lambda x: near(x, 0)) for op in
      ("logical_not", "isfinite", "isinf", "isnan", "isneginf", "isposinf", "signbit")],
    S("round", [(2, 3)], kink=lambda x: near_int(x - 0.5)),
    S("round", [(2, 3)], params={"decimals": 1}, kink=lambda x: near_int(10 * x - 0.5)),
    S("clip", [(2, 3)], params={"a_min": -1.0, "a_max": 1.0}, kink=lambda x: near(abs(x), 1.0)),
    S("clip", [(2, 3)], params={"a_min": -1.0, "a_max": None}, kink=lambda x: near(abs(x), 1.0)),
    S("clip", [(2, 3)], params={"a_min": None, "a_max": 1.0}, kink=lambda x: near(abs(x), 1.0)),
    S("where", [(2, 3), (2, 3)], fn=lambda x, y: ns(x).where(ns(x).array(MASK), x, y),
      name="where"),
    S("where", [(3,), (2, 1)], fn=lambda x, y: ns(x).where(ns(x).array(MASK), x, y),
      name="where-broadcast"),
    S("where", [(2, 3)], fn=lambda x: ns(x).where(ns(x).array(MASK), x, 0.0),
      name="where-scalar-y"),
    S("where", [(2, 3)], fn=lambda x: ns(x).where(ns(x).array(MASK), 0.0, x * x),
      name="where-scalar-x"),
    # ---- reductions --------------------------------------------------------------------------
    S("sum", [(2, 3, 4)]),
    S("sum", [(2, 3, 4)], params={"axis": 1}),
    S("sum", [(2, 3, 4)], params={"axis": -1, "keepdims": True}),
    S("sum", [(2, 3, 4)], params={"axis": (0, 2)}),
    S("sum", [(2, 3, 4)], params={"axis": (2, -3), "keepdims": True}),
    S("sum", [(2, 3)], params={"keepdims": True}),
    S("sum", [()]),
    S("mean", [(2, 3, 4)]),
    S("mean", [(2, 3, 4)], params={"axis": 0}),
    S("mean", [(2, 3, 4)], params={"axis": -2, "keepdims": True}),
    S("mean", [(2, 3, 4)], params={"axis": (0, 2)}),
    S("mean", [(2, 3, 4)], params={"axis": (-1, 0), "keepdims": True}),
    S("prod", [(2, 3)], 0.5, 1.5),
    S("prod", [(2, 3, 4)], 0.5, 1.5, params={"axis": 1}),
    S("prod", [(2, 3, 4)], 0.5, 1.5, params={"axis": -1, "keepdims": True}),
    S("prod", [(2, 3, 4)], 0.5, 1.5, params={"axis": (0, 2)}),
    S("prod", [(2, 3)], 0.5, 1.5, params={"keepdims": True}),
    S("max", [(2, 3, 4)], kink=ties),
    S("max", [(2, 3, 4)], params={"axis": 1}, kink=ties),
    S("max", [(2, 3, 4)], params={"axis": -1, "keepdims": True}, kink=ties),
    S("max", [(2, 3, 4)], params={"axis": (0, 2)}, kink=ties),
    S("max", [(2, 3)], params={"keepdims": True}, kink=ties),
    S("min", [(2, 3, 4)], kink=ties),
    S("min", [(2, 3, 4)], params={"axis": 0}, kink=ties),
    S("min", [(2, 3, 4)], params={"axis": (-1, 1), "keepdims": True}, kink=ties),
    # ---- products ----------------------------------------------------------------------------
    S("dot", [(), ()]),
    S("dot", [(), (2, 3)]),
    S("dot", [(2, 3), ()]),
    S("dot", [(3,), (3,)]),
    S("dot", [(2, 3), (3,)]),
    S("dot", [(3,), (3, 2)]),
    S("dot", [(2, 3), (3, 4)]),
    S("dot", [(2, 2, 3), (3, 4)]),
    S("dot", [(3,), (2, 3, 4)]),
    S("dot", [(2, 3), (4, 3, 2)]),
    S("dot", [(2, 2, 3), (4, 3, 2)]),
    S("matmul", [(3,), (3,)]),
    S("matmul", [(2, 3), (3,)]),
    S("matmul", [(3,), (3, 2)]),
    S("matmul", [(2, 3), (3, 4)]),
    S("matmul", [(2, 2, 3), (3, 4)]),
    S("matmul", [(2, 1, 2, 3), (3, 3, 2)]),
    S("matmul", [(3,), (2, 3, 4)]),
    S("matmul", [(2, 3, 4), (4,)]),
    S("tensordot", [(2, 3), (3, 4)], params={"axes": 1}),
    S("tensordot", [(2, 3, 4), (3, 4, 2)], params={"axes": 2}),
    S("tensordot", [(2, 3), (4, 2)], params={"axes": 0}),
    S("tensordot", [(2, 3, 4), (3, 2)], params={"axes": ((1, 0), (0, 1))}),
    S("tensordot", [(2, 3, 4), (4, 2, 3)], params={"axes": ((2, 0, 1), (0, 1, 2))}),
    S("tensordot", [(3, 2), (4, 3)], params={"axes": ((0,), (1,))}),
    S("tensordot", [(2, 3), (3, 4)], params={"axes": ((-1,), (-2,))}),
    # ---- shapes ------------------------------------------------------------------------------
    S("reshape", [(2, 3)], fn=lambda x: x.reshape(3, 2), name="reshape"),
    S("reshape", [(2, 3, 2)], fn=lambda x: x.reshape(-1, 4), name="reshape-infer"),
    S("reshape", [(1,)], fn=lambda x: x.reshape(()), name="reshape-0d"),
    S("transpose", [(2, 3)]),
    S("transpose", [(2, 3, 4)], params={"axes": (1, 2, 0)}),
    S("transpose", [(2, 3, 4)], params={"axes": (-1, 0, 1)}),
    S("swapaxes", [(2, 3, 4)], params={"axis1": 0, "axis2": 2}),
    S("swapaxes", [(2, 3)], params={"axis1": -1, "axis2": 0}),
    S("expand_dims", [(2, 3)], params={"axis": 1}),
    S("expand_dims", [(2, 3)], params={"axis": -1}),
    S("expand_dims", [(2, 3)], params={"axis": (0, 3)}),
    S("squeeze", [(2, 1, 3, 1)]),
    S("squeeze", [(2, 1, 3, 1)], params={"axis": 1}),
    S("squeeze", [(2, 1, 3, 1)], params={"axis": (-1, 1)}),
    S("broadcast_to", [(3,)], params={"shape": (2, 3)}),
    S("broadcast_to", [(3, 1)], params={"shape": (2, 3, 4)}),
    S("broadcast_to", [()], params={"shape": (2, 2)}),
    S("concatenate", [(2, 3), (2, 1), (2, 2)], fn=lambda *xs: ns(xs[0]).concatenate(xs, axis=1),
      name="concatenate-axis1"),
    S("concatenate", [(1, 3), (2, 3)], fn=lambda *xs: ns(xs[0]).concatenate(xs),
      name="concatenate"),
    S("concatenate", [(2, 3), (2, 2)], fn=lambda *xs: ns(xs[0]).concatenate(xs, axis=-1),
      name="concatenate-axis-1"),
    S("concatenate", [(2, 3), (4,)], fn=lambda *xs: ns(xs[0]).concatenate(xs, axis=None),
      name="concatenate-axisNone"),
    S("stack", [(2, 3), (2, 3), (2, 3)], fn=lambda *xs: ns(xs[0]).stack(xs), name="stack"),
    S("stack", [(2, 3), (2, 3)], fn=lambda *xs: ns(xs[0]).stack(xs, axis=1), name="stack-axis1"),
    S("stack", [(2, 3), (2, 3)], fn=lambda *xs: ns(xs[0]).stack(xs, axis=-1),
      name="stack-axis-1"),
    S("split", [(6,)], fn=lambda x: ns(x).split(x, 3), name="split"),
    S("split", [(6,)], fn=lambda x: ns(x).split(x, [1, 4]), name="split-indices"),
    S("split", [(4, 6)], fn=lambda x: ns(x).split(x, 2, axis=1), name="split-axis1"),
    S("split", [(6, 2)], fn=split_weighted, name="split-weighted"),
    S("split", [(6,)], fn=split_partly_used, name="split-unused-output"),
    # ---- indexing: getitem's VJP is scatter and scatter's is getitem (order 2 runs both) ------
    S("getitem", [(4, 3)], fn=lambda x: x[1], name="getitem-int"),
    S("getitem", [(4, 3)], fn=lambda x: x[-1, 2], name="getitem-scalar"),
    S("getitem", [(4, 3)], fn=lambda x: x[1:3], name="getitem-slice"),
    S("getitem", [(4, 3)], fn=lambda x: x[:, 1], name="getitem-column"),
    S("getitem", [(4, 3)], fn=lambda x: x[::-1], name="getitem-reversed"),
    S("getitem", [(5, 3)], fn=lambda x: x[::-2, 2:0:-1], name="getitem-negative-steps"),
    S("getitem", [(2, 3, 4)], fn=lambda x: x[..., 1], name="getitem-ellipsis"),
    S("getitem", [(2, 3)], fn=lambda x: x[None, :, 1:], name="getitem-newaxis"),
    S("getitem", [(3, 2)], fn=lambda x: x[REPEATED], name="getitem-repeated-rows"),
    S("getitem", [(2, 3)], fn=lambda x: x[:, [0, 2, 0]], name="getitem-repeated-columns"),
    S("getitem", [(3, 3)], fn=lambda x: x[[0, 2, 0], [1, 1, 1]], name="getitem-pairs"),
    S("getitem", [(2, 3)], fn=lambda x: x[MASK], name="getitem-mask"),
    S("scatter", [(2, 3)], fn=scatter((slice(1, 3),), (4, 3)), name="scatter-slice"),
    S("scatter", [(2, 3)], fn=scatter((slice(None), onp.array([0, 0, 2])), (2, 4)),
      name="scatter-repeated"),
    S("scatter", [(3,)], fn=scatter(MASK, (2, 3)), name="scatter-mask"),
    # ---- copies, casts and moves -------------------------------------------------------------
    S("astype", [(2, 3)], fn=lambda x: x.astype("float64"), name="astype"),
    S("copy", [(2, 3)], fn=lambda x: x.copy(), name="copy"),
    S("to_device", [(2, 3)], fn=lambda x: x.copyto(CPU), name="to_device"),
]
