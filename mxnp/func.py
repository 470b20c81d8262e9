"""Functional transforms on functions of mxnp arrays: ``grad``, ``value_and_grad``, ``vjp``,
``jvp``, ``jacobian``, ``hessian``.

They nest with each other and with ``autograd.record()``: each marks its inputs with an
identity node on the tape and differentiates up to those marks, recording the result whenever
something outside is recording, so an outer transform (or ``backward``) sees through it.
"""
from __future__ import annotations

from typing import Callable, Sequence, Union

from . import _tape
from ._ndarray import ndarray
from ._ops.creation import array, copy, ones_like, zeros_like
from ._ops.primitive import Primitive
from ._ops.shape import reshape, stack
from ._tape import STATE, Node, scope
from .base import MXNetError

__all__ = ["grad", "value_and_grad", "vjp", "jvp", "jacobian", "hessian"]

# the mark's rule is the identity, so a walk that goes past a mark (an outer transform's walk)
# carries the cotangent on to whatever the marked array came from
_MARK = Primitive("func.mark", lambda xp, x: x, (lambda g, ans, x: g,), register=False)


def _mark(x) -> ndarray:
    """``x`` (same data) on a node of its own: the place a transform differentiates up to."""
    if not isinstance(x, ndarray):
        x = array(x)
    out = object.__new__(ndarray)
    out._data, out._device = x._data, x._device
    out._node = Node(_MARK, (x,), {}, (x._node,), None)
    return out


def _as_tuple(x) -> tuple:
    return tuple(x) if isinstance(x, (list, tuple)) else (x,)


def _gradients(outs: tuple, xs: Sequence[ndarray], cotangents: tuple) -> list:
    """<cotangents, d outs> with respect to each of ``xs`` (zeros where one is not used)."""
    live = [(o, c) for o, c in zip(outs, cotangents) if o._node is not None]
    found = {}
    if live:
        heads, seeds = zip(*live)
        for c, o in zip(seeds, heads):
            if c.shape != o.shape:
                raise MXNetError(f"vjp: cotangent of shape {c.shape} for an output of shape "
                                 f"{o.shape}")
        # recorded when an outer transform or record() is watching: that is what lets them nest
        found = _tape.gather(_tape.walk(heads, seeds, True, STATE.recording,
                                        targets={x._node for x in xs}))
    with scope(STATE.recording, None):
        return [zeros_like(x) if found.get(x._node) is None else copy(found[x._node])
                for x in xs]


def vjp(f: Callable, *primals):
    """``(f(*primals), vjp_fn)``; ``vjp_fn(*cotangents)`` gives one gradient per primal."""
    xs = [_mark(p) for p in primals]
    with scope(True, None):
        out = f(*xs)
    outs = _as_tuple(out)
    for o in outs:
        if not isinstance(o, ndarray):
            raise TypeError(f"vjp: f must return mxnp arrays, got {type(o).__name__}")

    def vjp_fn(*cotangents):
        if len(cotangents) != len(outs):
            raise ValueError(f"vjp: {len(outs)} outputs but {len(cotangents)} cotangents")
        return tuple(_gradients(outs, xs, cotangents))

    return out, vjp_fn


def _argnums(argnums, n) -> tuple:
    nums = _as_tuple(argnums)
    for a in nums:
        if not -n <= a < n:
            raise ValueError(f"argnums {argnums} out of range for {n} positional arguments")
    return tuple(a % n for a in nums)


def value_and_grad(f: Callable, argnums: Union[int, Sequence[int]] = 0) -> Callable:
    """A function returning ``(f(*args), gradient)``; a non-scalar output is seeded with ones
    (as MXNet's backward does)."""
    def wrapped(*args):
        nums = _argnums(argnums, len(args))

        def partial(*chosen):
            full = list(args)
            for a, v in zip(nums, chosen):
                full[a] = v
            return f(*full)

        value, vjp_fn = vjp(partial, *(args[a] for a in nums))
        if not isinstance(value, ndarray):
            raise TypeError("grad: f must return one mxnp array")
        grads = vjp_fn(ones_like(value))
        return value, (grads[0] if isinstance(argnums, int) else grads)

    return wrapped


def grad(f: Callable, argnums: Union[int, Sequence[int]] = 0) -> Callable:
    """The gradient of ``f`` with respect to argument ``argnums`` (a tuple of them for several)."""
    vg = value_and_grad(f, argnums)
    return lambda *args: vg(*args)[1]


def jvp(f: Callable, primals: Sequence, tangents: Sequence):
    """``(f(*primals), J @ tangents)``, the forward derivative, by transposing a VJP."""
    primals, tangents = tuple(primals), tuple(tangents)
    if len(primals) != len(tangents):
        raise ValueError(f"jvp: {len(primals)} primals but {len(tangents)} tangents")
    out, vjp_fn = vjp(f, *primals)
    outs = _as_tuple(out)
    # g(u) = J^T u is linear in u; its VJP along the tangents is J @ tangents
    us = [_mark(zeros_like(o)) for o in outs]
    with scope(True, None):
        gs = vjp_fn(*us)
    t = [t if isinstance(t, ndarray) else array(t) for t in tangents]
    result = _gradients(tuple(gs), us, tuple(t))
    return out, (result[0] if not isinstance(out, (list, tuple)) else tuple(result))


def jacobian(f: Callable, argnums: int = 0) -> Callable:
    """The Jacobian of ``f`` (one array out) with respect to argument ``argnums``:
    shape ``out.shape + x.shape``."""
    def wrapped(*args):
        nums = _argnums(argnums, len(args))

        def partial(x):
            full = list(args)
            full[nums[0]] = x
            return f(*full)

        out, vjp_fn = vjp(partial, args[nums[0]])
        basis = zeros_like(reshape(out, (-1,)))
        rows = []
        for i in range(out.size):
            e = copy(basis)
            e[i] = 1
            rows.append(vjp_fn(reshape(e, out.shape))[0])
        x = args[nums[0]]
        shape = out.shape + x.shape
        return reshape(stack(rows), shape) if rows else zeros_like(x).reshape(shape)

    return wrapped


def hessian(f: Callable, argnums: int = 0) -> Callable:
    """The Hessian of a scalar ``f``: the Jacobian of its gradient."""
    return jacobian(grad(f, argnums), argnums)
