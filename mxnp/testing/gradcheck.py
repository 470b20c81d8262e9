"""Gradient checks by random projections, after HIPS autograd's ``check_vjp``/``check_grads``.

A VJP is checked with one number per order: ``<vjp(u), v>`` against the central difference
``<u, (f(x + eps v) - f(x - eps v)) / 2 eps>``, for random directions ``v`` (one per input) and
``u`` (one per output). Order 2 repeats the check on the VJP itself, ``x -> vjp_x(u)``, whose
own VJP runs through a graph recorded with ``create_graph=True``; contracting its output with
a random ``u'`` is the ``x -> <vjp_x(u), w>`` check. ``mode='jacobian'`` builds both full
Jacobians instead (tiny inputs only) and names the first wrong entry.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

import numpy as onp

from .. import autograd
from .. import numpy as np
from .._ndarray import ndarray

__all__ = ["GradSpec", "assert_allclose", "check_grads"]

_JACOBIAN_LIMIT = 4096  # entries; jacobian mode costs one VJP per output entry
_ORDER_NAMES = {1: "VJP", 2: "VJP of the VJP (second order)"}


def assert_allclose(actual, desired, rtol: float = 1e-7, atol: float = 0.0,
                    equal_nan: bool = True, err_msg: str = "") -> None:
    """``numpy.testing.assert_allclose`` that accepts mxnp arrays (and lists of them)."""
    onp.testing.assert_allclose(_host(actual), _host(desired), rtol=rtol, atol=atol,
                                equal_nan=equal_nan, err_msg=err_msg)


def _host(a):
    if isinstance(a, ndarray):
        return a.asnumpy()
    if isinstance(a, (list, tuple)):
        return [_host(x) for x in a]
    return a


# ---- the function under test, as a map from a list of inputs to a list of outputs -----------
def _bind(f: Callable, args: tuple):
    """``f`` as a function of its mxnp array arguments only, and those arguments in float64.

    Anything that is not an mxnp ndarray (Python scalars, NumPy index arrays) stays a constant.
    """
    slots = [i for i, a in enumerate(args) if isinstance(a, ndarray)]

    def call(xs):
        full = list(args)
        for i, x in zip(slots, xs):
            full[i] = x
        return _outputs(f, f(*full))

    with autograd.pause():  # the inputs are new variables, never part of a caller's graph
        xs = [args[i].detach().astype("float64") for i in slots]
    return call, xs


def _outputs(f, out) -> list:
    outs = list(out) if isinstance(out, (list, tuple)) else [out]
    # a NumPy float scalar (what np's fallbacks give outside autograd.record()) is a 0-d output
    outs = [np.array(o, dtype=o.dtype) if isinstance(o, onp.floating) else o for o in outs]
    for k, o in enumerate(outs):
        if not isinstance(o, ndarray) or onp.dtype(o.dtype).kind != "f":
            what = o.dtype if isinstance(o, ndarray) else type(o).__name__
            raise TypeError(f"check_grads: output {k} of {_name(f)} is {what}; gradients are "
                            "checked on float outputs only")
    return outs


def _name(f) -> str:
    """A function's name, or a Primitive's (Primitives carry ``name``, not ``__qualname__``)."""
    return getattr(f, "__qualname__", None) or getattr(f, "name", None) or repr(f)


def _leaves(xs) -> list:
    """Fresh variables holding the values of ``xs``."""
    out = []
    with autograd.pause():
        for x in xs:
            leaf = x.copy()
            leaf.attach_grad()
            out.append(leaf)
    return out


def _vjp(call, xs, us, create_graph: bool) -> list:
    """The cotangent of each leaf in ``xs`` for output cotangents ``us`` (raw NumPy arrays)."""
    with autograd.record():
        outs = call(xs)
    # An output that depends on no input has no node (its cotangent reaches nothing: a linear
    # op's VJP at order 2, say), and autograd.grad refuses such heads. Each input is also a
    # head with a zero cotangent, so that an input the outputs do not reach gets zeros where
    # autograd.grad would raise "unreachable".
    pairs = [(o, _like(u, o)) for o, u in zip(outs, us) if o._node is not None]
    heads = [o for o, _ in pairs] + list(xs)
    head_grads = [u for _, u in pairs] + [np.zeros_like(x) for x in xs]
    return autograd.grad(heads, list(xs), head_grads=head_grads, create_graph=create_graph)


def _like(raw, a: ndarray) -> ndarray:
    return np.array(raw, dtype=a.dtype, ctx=a.device)


def _vjp_function(call, us):
    """``x -> vjp_x(us)``: recorded (for the next order's check) when the caller records."""
    return lambda xs: _vjp(call, xs, us, create_graph=autograd.is_recording())


def _shifted(xs, vs, step: float) -> list:
    with autograd.pause():
        return [x + _like(step * v, x) for x, v in zip(xs, vs)]


def _inner(arrays, raws) -> float:
    return float(sum(onp.sum(a.asnumpy() * r) for a, r in zip(arrays, raws)))


# ---- the two checks --------------------------------------------------------------------------
def check_grads(f: Callable, *args, order: int = 2, eps: float = 1e-6, rtol: float = 1e-5,
                atol: float = 1e-6, mode: str = "vjp", seed: int = 0) -> None:
    """Check the VJPs of ``f`` at ``args`` up to ``order`` against central differences.

    Array arguments are cast to float64 and differentiated; other arguments stay constants.
    ``f`` may return an array or a tuple/list of arrays. Raises AssertionError on a mismatch.
    """
    if mode not in ("vjp", "jacobian"):
        raise ValueError(f"check_grads: mode must be 'vjp' or 'jacobian', got {mode!r}")
    rng = onp.random.default_rng(seed)
    call, xs = _bind(f, args)
    check = _check_vjp if mode == "vjp" else _check_jacobian
    for k in range(1, order + 1):
        with autograd.pause():
            outs = call(_leaves(xs))
        context = _Context(f, xs, k, eps, rtol, atol)
        check(call, xs, outs, rng, context)
        if k < order:  # the next order checks x -> vjp_x(u) for one fixed random u
            call = _vjp_function(call, [rng.standard_normal(o.shape) for o in outs])


@dataclasses.dataclass
class _Context:
    """What a failure message needs: the function, inputs, order and tolerances."""
    f: Callable
    xs: list
    order: int
    eps: float
    rtol: float
    atol: float

    def fail(self, what: str, expected, got) -> None:
        inputs = "\n".join(f"  input {i}: shape {x.shape}\n{_clip_repr(x.asnumpy())}"
                           for i, x in enumerate(self.xs))
        raise AssertionError(
            f"check_grads: {_name(self.f)}: {_ORDER_NAMES.get(self.order, f'order {self.order}')}"
            f" is wrong: {what}\n  expected (central difference, eps={self.eps}): {expected!r}\n"
            f"  got (autograd): {got!r}\n  rtol={self.rtol}, atol={self.atol}\n{inputs}")

    def close(self, got, expected):
        return onp.abs(got - expected) <= self.atol + self.rtol * onp.abs(expected)


def _clip_repr(a: onp.ndarray) -> str:
    return "    " + onp.array2string(a, precision=6, threshold=40).replace("\n", "\n    ")


def _check_vjp(call, xs, outs, rng, ctx: _Context) -> None:
    us = [rng.standard_normal(o.shape) for o in outs]
    vs = [rng.standard_normal(x.shape) for x in xs]
    got = _inner(_vjp(call, _leaves(xs), us, create_graph=False), vs)
    plus = call(_leaves(_shifted(xs, vs, ctx.eps)))
    minus = call(_leaves(_shifted(xs, vs, -ctx.eps)))
    expected = (_inner(plus, us) - _inner(minus, us)) / (2 * ctx.eps)
    if not ctx.close(got, expected):
        ctx.fail("<vjp(u), v> differs from <u, J v> for random directions u, v", expected, got)


def _check_jacobian(call, xs, outs, rng, ctx: _Context) -> None:
    n_out, n_in = sum(o.size for o in outs), sum(x.size for x in xs)
    if n_out * n_in > _JACOBIAN_LIMIT:
        raise ValueError(f"check_grads: mode='jacobian' is for tiny inputs; this Jacobian has "
                         f"{n_out} x {n_in} entries (limit {_JACOBIAN_LIMIT})")
    got = onp.zeros((n_out, n_in))
    for row in range(n_out):  # one VJP per output entry, with a one-hot cotangent
        us = _split(onp.eye(1, n_out, row)[0], [o.shape for o in outs])
        got[row] = _flat(_vjp(call, _leaves(xs), us, create_graph=False))
    expected = onp.zeros((n_out, n_in))
    for col in range(n_in):  # one central difference per input entry
        vs = _split(onp.eye(1, n_in, col)[0], [x.shape for x in xs])
        plus = _flat(call(_leaves(_shifted(xs, vs, ctx.eps))))
        minus = _flat(call(_leaves(_shifted(xs, vs, -ctx.eps))))
        expected[:, col] = (plus - minus) / (2 * ctx.eps)
    bad = onp.argwhere(~ctx.close(got, expected))
    if len(bad):
        row, col = bad[0]
        where = (f"d output {_entry(row, [o.shape for o in outs])} / d input "
                 f"{_entry(col, [x.shape for x in xs])} ({len(bad)} wrong entries)")
        ctx.fail(where, float(expected[row, col]), float(got[row, col]))


def _split(flat: onp.ndarray, shapes) -> list:
    sizes = [int(onp.prod(s)) for s in shapes]
    parts = onp.split(flat, onp.cumsum(sizes)[:-1])
    return [p.reshape(s) for p, s in zip(parts, shapes)]


def _flat(arrays) -> onp.ndarray:
    return onp.concatenate([a.asnumpy().ravel() for a in arrays])


def _entry(flat_index: int, shapes) -> str:
    """``k[i, j]``: which array of a list, and where in it, a flat index points."""
    for k, shape in enumerate(shapes):
        size = int(onp.prod(shape))
        if flat_index < size:
            return f"{k}{[int(i) for i in onp.unravel_index(flat_index, shape)]}"
        flat_index -= size
    raise IndexError(flat_index)


# ---- one row of a gradient table -------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class GradSpec:
    """One row of a gradient table: the Primitive ``op`` checked on inputs of ``shapes``.

    Inputs are drawn uniformly from [low, high); ``kink(*raw_inputs) -> bool`` rejects a
    sample near a point where the op is not differentiable (a new one is drawn). ``fn`` takes
    the mxnp inputs; by default it is ``np.<op>(*inputs, **params)``. ``eps``: the central
    differences' step (larger for an op whose result is float32 whatever its input).
    """
    op: str
    shapes: Sequence[tuple]
    low: float = -2.0
    high: float = 2.0
    order: int = 2
    params: dict | None = None
    kink: Callable[..., bool] | None = None
    fn: Callable | None = None
    name: str | None = None
    eps: float = 1e-6

    @property
    def id(self) -> str:
        if self.name:
            return self.name
        shapes = "x".join(str(tuple(s)).replace(" ", "") for s in self.shapes)
        params = "".join(f"-{k}={v}" for k, v in (self.params or {}).items())
        return f"{self.op}-{shapes}{params}".replace(" ", "")

    def function(self) -> Callable:
        """The mxnp callable under test, named after this row (for failure messages)."""
        if self.fn is not None:
            fn = self.fn
        else:
            op = getattr(np, self.op, None)
            if op is None:
                raise ValueError(f"GradSpec: np has no function {self.op!r}; pass fn=")
            params = self.params or {}

            def fn(*xs):
                return op(*xs, **params)

        def named(*xs):
            return fn(*xs)

        named.__qualname__ = named.__name__ = self.id
        return named

    def sample(self, rng: onp.random.Generator, tries: int = 100) -> list:
        """Raw float64 inputs in [low, high), away from kinks."""
        for _ in range(tries):
            raws = [onp.asarray(rng.uniform(self.low, self.high, tuple(s)), dtype=onp.float64)
                    for s in self.shapes]
            if self.kink is None or not self.kink(*raws):
                return raws
        raise ValueError(f"GradSpec {self.id}: every one of {tries} samples was near a kink; "
                         "widen [low, high) or narrow the kink")
