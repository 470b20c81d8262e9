"""The primitive machinery: one forward on raw backend arrays, one VJP rule per array input.

``Primitive.__call__`` is the whole forward data path; ``Primitive.input_grads`` is what the
tape calls for a node, and the one place where a rule's result is summed back to its input's
shape (undoing broadcasting) and cast to its input's dtype.
"""
from __future__ import annotations

from typing import Callable, Optional

import numpy as onp

from .. import _backend
from .._ndarray import ndarray
from .._tape import STATE, Node, Part
from ..base import OpError

OPS: dict = {}
_new = object.__new__


class Primitive:
    """An op: ``forward(xp, *raw_inputs, **params) -> raw`` and its VJP rules.

    ``vjps`` holds one rule ``(g, ans, *inputs, **params) -> cotangent`` per positional input
    (None: not differentiable there). ``vjp_all`` is the alternative for variadic ops: one rule
    returning a tuple with a cotangent (or None) for every input. An op with neither is never
    recorded.
    """

    __slots__ = ("name", "forward", "vjps", "vjp_all", "differentiable")

    def __init__(self, name: str, forward: Callable, vjps=None, vjp_all=None, register=True):
        self.name = name
        self.forward = forward
        self.vjps = tuple(vjps) if vjps is not None else None
        self.vjp_all = vjp_all
        self.differentiable = vjps is not None or vjp_all is not None
        if register:  # custom autograd.Functions make one per call and stay out of the registry
            OPS[name] = self

    def defvjp(self, *rules) -> Callable:
        """Set the rules; usable as a decorator for a single-input op's rule."""
        self.vjps = tuple(rules)
        self.differentiable = True
        return rules[0]

    def __call__(self, *args, **params):
        device = None
        tracked = False
        raws = list(args)
        for i, a in enumerate(args):
            if isinstance(a, ndarray):
                raws[i] = a._data
                if a._device is not device:
                    device = a._device if device is None else _common_device(self, device, a)
                if a._node is not None:
                    tracked = True
        if device is None:
            device = _backend.current_device()
        xp = device._xp or device.xp
        try:
            raw = self.forward(xp, *raws, **params)
        except (ValueError, TypeError, IndexError, ZeroDivisionError) as e:
            raise _op_error(self.name, e, args) from e
        record = tracked and STATE.recording and self.differentiable
        if type(raw) is tuple:
            return self._outputs(raw, device, args, params, record)
        if not isinstance(raw, xp.ndarray):  # NumPy returns scalars from 0-d work
            raw = xp.asarray(raw)
        out = _new(ndarray)
        out._data, out._device, out._node = raw, device, None
        if record:
            out._node = Node(self, args, params, _parents(args), raw)
        return out

    def _outputs(self, raws, device, args, params, record):
        raws = tuple(r if isinstance(r, device.xp.ndarray) else device.xp.asarray(r) for r in raws)
        node = Node(self, args, params, _parents(args), raws) if record else None
        outs = []
        for i, raw in enumerate(raws):
            out = _new(ndarray)
            out._data, out._device = raw, device
            out._node = None if node is None else Part(node, i)
            outs.append(out)
        return outs

    def input_grads(self, node, g):
        """Yield ``(parent, cotangent)`` for each input of ``node`` that is on the tape."""
        inputs, params = node.inputs, node.params
        if type(node.out) is tuple:  # the tape hands multi-output nodes a list with gaps
            device = next(gi._device for gi in g if gi is not None)
            xp = device._xp or device.xp
            g = [_wrap(xp.zeros_like(o), device) if gi is None else gi
                 for gi, o in zip(g, node.out)]
            ans = tuple(_wrap(o, device) for o in node.out)
        else:
            # with create_graph the output keeps its node, so rules using `ans` stay traced
            ans = _wrap(node.out, g._device, node if STATE.recording else None)
        every = self.vjp_all(g, ans, *inputs, **params) if self.vjp_all is not None else None
        for i, parent in enumerate(node.parents):
            if parent is None:
                continue
            if every is not None:
                gx = every[i]
            else:
                rule = self.vjps[i] if i < len(self.vjps) else None
                gx = None if rule is None else rule(g, ans, *inputs, **params)
            if gx is None:
                continue
            x = inputs[i]
            if gx.shape != x.shape:
                gx = sum_to(gx, x.shape, self.name)
            if gx.dtype != x.dtype:
                gx = gx.astype(x.dtype)
            yield parent, gx


def _wrap(raw, device, node=None) -> ndarray:
    out = _new(ndarray)
    out._data, out._device, out._node = raw, device, node
    return out


def _parents(args) -> tuple:
    return tuple(a._node if isinstance(a, ndarray) else None for a in args)


def _common_device(prim, device, a):
    other = a._device
    if (device._xp or device.xp) is not (other._xp or other.xp):
        raise OpError(f"{prim.name}: inputs on {device} and {other}; move one with "
                      ".as_in_ctx() so that all inputs share a device")
    return device


def _op_error(name: str, e: Exception, args) -> Exception:
    """The backend's error, restated with the op's name and its inputs' shapes and dtypes."""
    shapes = ", ".join(f"{a.shape} {a.dtype}" for a in args if isinstance(a, ndarray))
    msg = f"{name}: {e}" + (f" (inputs: {shapes})" if shapes else "")
    if isinstance(e, (TypeError, IndexError, ZeroDivisionError)):
        return type(e)(msg)
    return OpError(msg)


def sum_to(g: ndarray, shape: tuple, name: str = "backward") -> ndarray:
    """Sum ``g`` down to ``shape``: the adjoint of broadcasting ``shape`` to ``g.shape``."""
    lead = g.ndim - len(shape)
    if lead < 0 or any(s != 1 and s != gs for s, gs in zip(shape, g.shape[lead:])):
        raise OpError(f"{name}: gradient of shape {g.shape} does not broadcast from the input "
                      f"shape {shape}")
    if lead:
        g = g.sum(axis=tuple(range(lead)))
    axes = tuple(i for i, s in enumerate(shape) if s == 1 and g.shape[i] != 1)
    return g.sum(axis=axes, keepdims=True) if axes else g


def primitive(name: str) -> Callable[[Callable], Primitive]:
    """Decorator: ``@primitive("sum") def sum(xp, x, axis=None): ...`` makes a Primitive."""
    return lambda forward: Primitive(name, forward)


def unary(name: str, forward: Callable, vjp: Optional[Callable] = None) -> Primitive:
    return Primitive(name, forward, None if vjp is None else (vjp,))


def binary(name: str, forward: Callable, vjps=None) -> Primitive:
    return Primitive(name, forward, vjps)
