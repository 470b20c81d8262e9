"""``mx.nd.contrib``'s control flow (``foreach``, ``while_loop``, ``cond``), run eagerly: the
body is a Python function of NDArrays, called step by step, so autograd records it as usual.
"""
from __future__ import annotations

from .. import numpy as np
from .ndarray import to_nd

__all__ = ["cond", "foreach", "while_loop"]


def foreach(body, data, init_states):
    """Run ``body(item, states) -> (out, states)`` over axis 0 of ``data``; stack the outs."""
    many = isinstance(data, (list, tuple))
    states, outs = init_states, []
    for i in range((data[0] if many else data).shape[0]):
        out, states = body([d[i] for d in data] if many else data[i], states)
        outs.append(out)
    if outs and isinstance(outs[0], (list, tuple)):
        stacked = [np.stack([o[k] for o in outs]) for k in range(len(outs[0]))]
    else:
        stacked = np.stack(outs) if outs else []
    return to_nd(stacked), states


def while_loop(cond, func, loop_vars, max_iterations=None):
    """Run ``func(*vars) -> (out, vars)`` while ``cond(*vars)``; stack the outs (eagerly)."""
    many = isinstance(loop_vars, (list, tuple))
    vars_, outs, steps = loop_vars, [], 0
    while (max_iterations is None or steps < max_iterations) and \
            bool(cond(*vars_) if many else cond(vars_)):
        out, vars_ = func(*vars_) if many else func(vars_)
        outs.append(out)
        steps += 1
    if outs and isinstance(outs[0], (list, tuple)):
        return to_nd([np.stack([o[k] for o in outs]) for k in range(len(outs[0]))]), vars_
    return (to_nd(np.stack(outs)) if outs else []), vars_


def cond(pred, then_func, else_func):
    """``then_func()`` when ``pred`` is non-zero, else ``else_func()`` (eagerly)."""
    return then_func() if bool(pred) else else_func()
