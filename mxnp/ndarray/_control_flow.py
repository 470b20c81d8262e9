"""``mx.nd.contrib``'s control flow (``foreach``, ``while_loop``, ``cond``), run eagerly: the
body is a Python function of NDArrays, called step by step, so autograd records it as usual.
Outputs nest as the body's do (``flatten``/``regroup``, which ``mx.sym.contrib`` shares).
"""
from __future__ import annotations

from .. import numpy as np
from .._ndarray import ndarray
from .ndarray import to_nd

__all__ = ["cond", "foreach", "while_loop"]


def flatten(args, what: str, kind=ndarray):
    """The ``kind`` items of a (nested) list in order, and its format for ``regroup``."""
    if isinstance(args, kind):
        return [args], 0
    if not isinstance(args, (list, tuple)):
        raise AssertionError(f"{what} must be (nested) list of {kind.__name__}, but got "
                             f"{args!r} of type {type(args).__name__}")
    flat, fmts = [], []
    for a in args:
        items, fmt = flatten(a, what, kind)
        flat.extend(items)
        fmts.append(fmt)
    return flat, fmts


def regroup(args, fmt):
    """``flatten``'s inverse: ``(nested lists of args, the args left over)``."""
    if isinstance(fmt, int):
        return (args[0], args[1:]) if fmt == 0 else (args[:fmt], args[fmt:])
    out = []
    for f in fmt:
        res, args = regroup(args, f)
        out.append(res)
    return out, args


def _scalar(value, type_, what: str):
    """``value`` (a one-element array or a number) as a Python ``type_``."""
    if isinstance(value, ndarray):
        if value.size != 1:
            raise ValueError("The current array is not a scalar")
        value = value.item()
    try:
        return type_(value)
    except (TypeError, ValueError):
        raise ValueError(f"Cannot convert {what} to python {type_.__name__}") from None


def foreach(body, data, init_states, name=None):
    """Run ``body(item, states) -> (outs, states)`` over axis 0 of ``data``; stack the outs.
    (``name`` is taken, as ``mx.sym.contrib.foreach`` takes it, and unused.)"""
    flatten(data, "foreach input")
    flatten(init_states, "foreach states")
    many = not isinstance(data, ndarray)
    states, steps, out_fmt = init_states, [], 0
    for i in range((data[0] if many else data).shape[0]):
        outs, states = body([d[i] for d in data] if many else data[i], states)
        outs, out_fmt = flatten(outs, "foreach output")
        steps.append(outs)
    stacked = [to_nd(np.stack(items)) for items in zip(*steps)]
    return regroup(stacked, out_fmt)[0], states


def while_loop(cond, func, loop_vars, max_iterations=None, name=None):
    """Run ``func(*vars) -> (outs, vars)`` while ``cond(*vars)``, at most ``max_iterations``
    times; the outs are stacked and padded with zeros to ``max_iterations`` rows, as MXNet
    pads them (with uninitialized memory). (``name`` as in ``foreach``.)"""
    if max_iterations is None:
        raise ValueError("max_iterations should be specified")
    max_iterations = _scalar(max_iterations, int, "max_iteration")
    if len(loop_vars) == 0:
        raise ValueError("loop_vars should contain at least one element")
    single = isinstance(loop_vars, ndarray)
    loop_vars = [loop_vars] if single else list(loop_vars)
    steps, out_fmt = [], None
    while len(steps) < max_iterations and _scalar(cond(*loop_vars), bool,
                                                  "Return value of cond"):
        outs, new_vars = func(*loop_vars)
        outs = list(outs) if isinstance(outs, tuple) else [] if outs is None else outs
        new_vars = [] if new_vars is None else new_vars
        new_vars = list(new_vars) if isinstance(new_vars, (list, tuple)) else [new_vars]
        if len(new_vars) != len(loop_vars):
            raise ValueError("The length of loop_vars should be consistent during the loop")
        loop_vars = new_vars
        outs, out_fmt = flatten(outs, "while output")
        if steps and len(outs) != len(steps[0]):
            raise ValueError("Number of elements in step_output should be the same in each "
                             "step")
        steps.append(outs)
    stacked = []
    for items in zip(*steps):
        rows = [x.expand_dims(0) for x in items]
        if len(rows) < max_iterations:
            rows.append(np.zeros((max_iterations - len(rows), *rows[0].shape[1:]),
                                 dtype=rows[0].dtype, device=rows[0].device))
        stacked.append(to_nd(np.concatenate(rows)))
    if out_fmt is not None:
        stacked = regroup(stacked, out_fmt)[0]
    return stacked, loop_vars[0] if single else loop_vars


def cond(pred, then_func, else_func, name=None):
    """``then_func()`` when ``pred`` (a one-element array) is non-zero, else ``else_func()``.
    (``name`` as in ``foreach``.)"""
    return then_func() if _scalar(pred, bool, "pred") else else_func()
