"""Every differentiable Primitive's VJP, checked against central differences from one table.

One GradSpec per line (like JAX's LAX_GRAD_OPS). A row's ``fn`` is written so that it runs on
mxnp arrays (the gradient check) and on NumPy arrays (the forward-parity check): it uses
operators, methods, or ``ns(x)``, the namespace that matches its input.
"""
from __future__ import annotations

import zlib

import numpy as onp
import pytest

from mxnp import autograd, np, npx
from mxnp._backend import cupy_available
from mxnp._ops.primitive import OPS, Primitive
from mxnp.testing import GradSpec, assert_allclose, check_grads

RNG = onp.random.default_rng


def ns(a):
    """mxnp's np for an mxnp array, NumPy for a NumPy array."""
    return np if isinstance(a, np.ndarray) else onp


# ---- kinks: samples this close to a non-differentiable point are drawn again ------------------
GAP = 1e-3  # far above eps=1e-6 times a unit random direction


def near(a, b) -> bool:
    return bool(onp.any(onp.abs(onp.subtract(a, b)) < GAP))


def near_int(t) -> bool:  # floor, ceil, round (shifted by 1/2), and mod where x / y is an int
    return near(t, onp.round(t))


def ties(x, y=None) -> bool:  # two close arguments (maximum), or elements (max reduction)
    if y is not None:
        return near(x, y)
    return bool(onp.any(onp.diff(onp.sort(x.ravel())) < GAP))


MASK = onp.array([[True, False, True], [False, False, True]])
ROWS = onp.array([2, 0, 2, 1])  # repeated indices: their cotangents must add up
CPU = npx.cpu()


def split_weighted(x):  # the outputs summed with different weights
    return sum(w * p for w, p in zip((1.0, 2.0, 3.0), ns(x).split(x, 3)))


def split_partly_used(x):  # output 1 is unused: the tape hands its rule zeros there
    p = ns(x).split(x, [1, 4])
    return p[0] * 2.0, p[2] * 3.0


def scatter(key, shape):
    """The adjoint of getitem, called directly (it has no NumPy counterpart)."""
    return lambda g: OPS["scatter"](g, key=key, shape=shape)


S = GradSpec
SPECS = [
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
    S("getitem", [(3, 2)], fn=lambda x: x[ROWS], name="getitem-repeated-rows"),
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

ZERO_GRAD = {"sign", "floor", "ceil", "round"}  # MXNet records these with a zero gradient
# Rows with no NumPy counterpart for the forward-parity check. No other row differs from NumPy
# on purpose: MXNet's dtype rules differ only for integer and bool data (test_forward_ops.py).
NO_NUMPY = {"scatter": "internal: the adjoint of getitem",
            "to_device": "MXNet's copyto(ctx); NumPy has no devices"}

DEVICES = [CPU] + ([npx.gpu(0)] if cupy_available() else [])


def inputs(spec: GradSpec) -> list:
    """Raw NumPy inputs for a row, the same on every run (seeded by the row's id)."""
    return spec.sample(RNG(zlib.crc32(spec.id.encode())))


@pytest.mark.parametrize("device", DEVICES, ids=str)
@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_grad(spec, device):
    xs = [np.array(r, ctx=device) for r in inputs(spec)]
    check_grads(spec.function(), *xs, order=spec.order)


@pytest.mark.parametrize("device", DEVICES, ids=str)
@pytest.mark.parametrize("spec", [s for s in SPECS if s.op in ZERO_GRAD], ids=lambda s: s.id)
def test_zero_grad(spec, device):
    xs = [np.array(r, ctx=device) for r in inputs(spec)]
    for x in xs:
        x.attach_grad()
    with autograd.record():
        y = spec.function()(*xs)
    y.backward(np.array(RNG(0).standard_normal(y.shape), ctx=device))
    for x in xs:  # exact zeros (rtol=atol=0) of the input's shape
        assert_allclose(x.grad, onp.zeros(x.shape), rtol=0, atol=0)


def test_every_differentiable_op_has_a_row():
    # Primitives defined outside the package (a test's throwaway op) are not the library's
    library = {name for name, p in OPS.items()
               if p.differentiable and p.forward.__module__.startswith("mxnp.")}
    covered = {s.op for s in SPECS}
    assert library - covered == set(), "differentiable ops with no GradSpec row"
    assert covered - set(OPS) == set(), "rows naming no Primitive in OPS"
    ids = [s.id for s in SPECS]
    assert len(ids) == len(set(ids)), "row ids must be unique"
    assert ZERO_GRAD <= covered and set(NO_NUMPY) <= covered


def reference(spec: GradSpec):
    if spec.fn is not None:
        return spec.fn  # written to run on NumPy arrays too
    op, params = getattr(onp, spec.op), spec.params or {}
    return lambda *xs: op(*xs, **params)


@pytest.mark.parametrize("spec", [s for s in SPECS if s.op not in NO_NUMPY], ids=lambda s: s.id)
def test_forward_matches_numpy(spec):
    raws = inputs(spec)
    got = spec.function()(*[np.array(r) for r in raws])
    want = reference(spec)(*raws)
    got, want = (list(got), list(want)) if isinstance(want, (list, tuple)) else ([got], [want])
    assert len(got) == len(want)
    for g, w in zip(got, want):
        w = onp.asarray(w)
        assert isinstance(g, np.ndarray)
        assert (g.shape, g.dtype) == (w.shape, w.dtype) == (w.shape, onp.float64)
        assert_allclose(g, w, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_default_head_matches_explicit_ones(spec):
    """backward() seeds with ones of its own; the gradients equal those of explicit ones."""
    raws = inputs(spec)
    xs = [np.array(r) for r in raws]
    for x in xs:
        x.attach_grad()
    with autograd.record():
        outs = spec.function()(*xs)
    outs = list(outs) if isinstance(outs, (list, tuple)) else [outs]
    want = autograd.grad(outs, xs, head_grads=[np.ones(o.shape, dtype=o.dtype) for o in outs],
                         retain_graph=True)
    autograd.backward(outs)
    for x, w in zip(xs, want):
        assert_allclose(x.grad, w, rtol=1e-14, atol=0)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_grad_jacobian(spec):  # entry by entry: a projection could hide one small wrong entry
    xs = [np.array(r) for r in inputs(spec)]
    check_grads(spec.function(), *xs, order=spec.order, mode="jacobian")


@pytest.mark.xfail(strict=True, raises=AssertionError, reason="prod's rule divides ans by x: "
                   "nan at a zero input (mxnp/_ops/reduction.py, issue #3); MXNet is right")
@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")  # the 0 / 0 of the bug
@pytest.mark.parametrize("axis", [None, 1])
def test_prod_grad_at_a_zero(axis):
    check_grads(lambda x: np.prod(x, axis=axis), np.array([[2.0, 0.0, 3.0], [1.0, 0.5, 4.0]]))


# ---- the checker itself: it must catch a wrong rule, at each order, in each mode --------------
X = onp.array([0.3, -1.2, 0.7])


def sin_with(rule):
    return Primitive("sin_under_test", lambda xp, x: xp.sin(x), (rule,), register=False)


OFF_BY_A_LITTLE = sin_with(lambda g, ans, x: g * np.cos(x) * 1.001)
# the right values, computed where create_graph cannot see them: only order 2 is wrong
UNTRACED = sin_with(lambda g, ans, x: g * np.array(onp.cos(x.asnumpy()), dtype=x.dtype))


@pytest.mark.parametrize("mode", ["vjp", "jacobian"])
def test_check_grads_catches_wrong_rules(mode):
    with pytest.raises(AssertionError, match="sin_under_test: VJP is wrong"):
        check_grads(OFF_BY_A_LITTLE, np.array(X), mode=mode)
    check_grads(UNTRACED, np.array(X), order=1, mode=mode)
    with pytest.raises(AssertionError, match=r"VJP of the VJP \(second order\) is wrong"):
        check_grads(UNTRACED, np.array(X), order=2, mode=mode)
    with pytest.raises(AssertionError):  # one good output does not hide a bad one
        check_grads(lambda x: (np.sin(x), OFF_BY_A_LITTLE(x)), np.array(X), mode=mode)


def test_check_grads_jacobian_names_the_first_wrong_entry():
    wrong_in_the_middle = sin_with(lambda g, ans, x: g * np.cos(x) * np.array([1.0, 2.0, 1.0]))
    with pytest.raises(AssertionError, match=r"d output 0\[1\] / d input 0\[1\] \(1 wrong"):
        check_grads(wrong_in_the_middle, np.array(X), order=1, mode="jacobian")


def test_check_grads_casts_to_float64_keeps_constants_and_leaves_the_input_alone():
    x = np.array([0.1, 0.2, 0.3], dtype="float32")  # float32 differences would miss 1e-5
    check_grads(lambda x, k: (np.exp(x), x * k), x, 3.0, order=3)
    assert x.dtype == onp.float32 and x.grad is None


def test_check_grads_refuses_what_it_cannot_check():
    with pytest.raises(ValueError, match="mode"):
        check_grads(np.sin, np.array(X), mode="hessian")
    with pytest.raises(TypeError, match="float outputs"):
        check_grads(lambda x: x > 0, np.array(X))
    with pytest.raises(ValueError, match="tiny inputs"):
        check_grads(np.sin, np.ones(100), mode="jacobian")


def test_grad_spec_resamples_away_from_kinks():
    x = GradSpec("absolute", [(5,)], -1e-2, 1e-2, kink=lambda x: near(x, 0)).sample(RNG(0))[0]
    assert x.shape == (5,) and x.dtype == onp.float64 and (onp.abs(x) >= GAP).all()
    with pytest.raises(ValueError, match="kink"):
        GradSpec("absolute", [(50,)], -1e-4, 1e-4, kink=lambda x: near(x, 0)).sample(RNG(0))
