"""Every differentiable Primitive's VJP, checked against central differences from one table.

One GradSpec per line (like JAX's LAX_GRAD_OPS). A row's ``fn`` is written so that it runs on
mxnp arrays (the gradient check) and on NumPy arrays (the forward-parity check): it uses
operators, methods, or ``ns(x)``, the namespace that matches its input.
"""
from __future__ import annotations

import zlib

import numpy as onp
import pytest

from mxnp import autograd, np
from mxnp._ops import primitive
from mxnp._ops.primitive import OPS, Primitive
from mxnp.testing import GradSpec, assert_allclose, check_grads
from tests.grad_rows import (
    conv,
    detection,
    foundation,
    layers,
    linalg,
    manipulation,
    math,
    misc,
    nn,
    npx_misc,
    sorting,
    statistics,
)
from tests.grad_rows.common import GAP, near

RNG = onp.random.default_rng
SPECS = (foundation.ROWS + nn.ROWS + math.ROWS + sorting.ROWS + misc.ROWS + linalg.ROWS
         + detection.ROWS
         + layers.ROWS
         + statistics.ROWS
         + manipulation.ROWS
         + conv.ROWS
         + npx_misc.ROWS)


ZERO_GRAD = {"sign", "floor", "ceil", "round",  # MXNet records these with a zero gradient
             "relu_step",  # relu's step: a zero gradient, as sign's
             "equal", "not_equal", "less", "less_equal", "greater", "greater_equal",
             "logical_and", "logical_or", "logical_xor", "logical_not",
             "isfinite", "isinf", "isnan", "isneginf", "isposinf", "signbit"}
# Rows with no NumPy counterpart for the forward-parity check. No other row differs from NumPy
# on purpose: MXNet's dtype rules differ only for integer and bool data (test_forward_ops.py).
NO_NUMPY = {"scatter": "internal: the adjoint of getitem",
            "to_device": "MXNet's copyto(ctx); NumPy has no devices",
            "to_tensor": "a float32 result whatever the input, as MXNet's kernel gives (the "
                         "check wants float64); tests/test_image.py compares it with NumPy's "
                         "cast-then-divide bit for bit"}

def inputs(spec: GradSpec) -> list:
    """Raw NumPy inputs for a row, the same on every run (seeded by the row's id)."""
    return spec.sample(RNG(zlib.crc32(spec.id.encode())))


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_grad(spec, device):
    xs = [np.array(r, ctx=device) for r in inputs(spec)]
    check_grads(spec.function(), *xs, order=spec.order, eps=spec.eps)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_grad_with_unkept_inputs_as_metadata(spec, monkeypatch):
    """A rule reads only what its op's ``keep=`` names: the rest is shape, dtype and device."""
    monkeypatch.setattr(primitive, "KEEP_WHOLE_BELOW", 0)  # the size cut-off hides a wrong keep
    xs = [np.array(r) for r in inputs(spec)]
    check_grads(spec.function(), *xs, order=spec.order, eps=spec.eps)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_row_records_its_op(spec):
    """The row exercises the op it is named after: the op is on the tape it records."""
    xs = [np.array(r) for r in inputs(spec)]
    for x in xs:
        x.attach_grad()
    with autograd.record():
        outs = spec.function()(*xs)
    outs = list(outs) if isinstance(outs, (list, tuple)) else [outs]
    assert spec.op in recorded_ops(outs), f"{spec.id}: {spec.op} is not on the tape"


def recorded_ops(outs) -> set:
    """The names of the ops on the tape behind ``outs``."""
    names, seen = set(), set()
    stack = [o._node for o in outs if o._node is not None]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        prim = getattr(node, "prim", None)
        if prim is not None:
            names.add(prim.name)
        stack.extend(p for p in node.parents if p is not None)
    return names


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
def test_forward_matches_numpy(spec, device):
    raws = inputs(spec)
    got = spec.function()(*[np.array(r, ctx=device) for r in raws])
    want = reference(spec)(*raws)
    got, want = (list(got), list(want)) if isinstance(want, (list, tuple)) else ([got], [want])
    assert len(got) == len(want)
    for g, w in zip(got, want):
        w = onp.asarray(w)
        if isinstance(g, onp.floating):  # a fallback's 0-d result: a NumPy scalar, as in MXNet
            g = np.array(g, dtype=g.dtype)
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
    check_grads(spec.function(), *xs, order=spec.order, eps=spec.eps, mode="jacobian")


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
