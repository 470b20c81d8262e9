"""hybridize: trace a HybridBlock's first call per input signature into a flat program, then
replay the program instead of running the Python body.

The first call for a signature (input structure, shapes, dtypes, device, training and
recording flags) runs the body eagerly while a ``Tracer`` sits in ``_tape.STATE.tracer``:
every Primitive call, array creation (``_make``: random draws included), ``detach`` and
``Parameter.data`` reports to it. The program is the list of those calls, each argument
either an earlier value (a block input, a parameter read, an op's output) or a constant held
by reference. A replay calls the same functions again on fresh values, so the tape, random
draws and BatchNorm's in-place statistics behave exactly as in an eager call; only the
Python of the body (and of the layers inside it) is skipped.
"""
from __future__ import annotations

import sys

from .. import numpy as np
from .._tape import STATE
from ..base import NotImplementedForSymbol
from ._block_util import _as_lists

# a signature whose trace met something a program cannot hold: it runs eagerly from then on
EAGER = "eager"

_REFUSED = {
    "__bool__": (NotImplementedForSymbol, 'Function __bool__ (namely operator "bool") is not '
                 "implemented for Symbol and only available in NDArray."),
    "asnumpy": (NotImplementedForSymbol, "Function asnumpy is not implemented for Symbol and "
                "only available in NDArray."),
    "__array__": (NotImplementedForSymbol, "Function __array__ is not implemented for Symbol "
                  "and only available in NDArray."),
    "tolist": (NotImplementedForSymbol, "Function tolist is not implemented for Symbol and "
               "only available in NDArray."),
    "float": (TypeError, "float() argument must be a string or a real number, not '_Symbol'"),
    "int": (TypeError, "int() argument must be a string, a bytes-like object or a real "
            "number, not '_Symbol'"),
    "complex": (TypeError, "complex() first argument must be a string or a number, not "
                "'_Symbol'"),
    "item": (AttributeError, "'_Symbol' object has no attribute 'item'"),
}
_HINT = (" (inside a hybridized block's hybrid_forward the arrays stand for MXNet's symbols: "
         "Python control flow on their values is not allowed; compute with F.np.where or "
         "call hybridize(False))")


class Tracer:
    """Records the calls of one traced run; the lower layers call its methods by name."""

    def __init__(self, inputs):
        self.slots = {}  # id(ndarray) -> its index in the value list
        self.alive = []  # every traced array, held so that no id is reused while tracing
        self.steps = []  # (function, ((slot, constant), ...), kwargs, multi-output?)
        self.broken = None  # why the run cannot become a program, if it cannot
        for a in inputs:
            self._add(a)
        self.external = set(range(len(self.alive)))  # inputs and Parameters: not ours to write

    def _add(self, a) -> None:
        self.slots[id(a)] = len(self.alive)
        self.alive.append(a)

    def record(self, fn, args, kwargs, result) -> None:
        """``result = fn(*args, **kwargs)`` was computed; keep it as a step."""
        slots = self.slots
        spec = tuple((slots[id(a)], None) if id(a) in slots and isinstance(a, np.ndarray)
                     else (-1, a) for a in args)
        if kwargs and any(_holds_array(v) for v in kwargs.values()):
            # raw arrays in params (an index made from an array) may carry input values
            self.broken = f"{getattr(fn, 'name', fn)} takes an array as a parameter"
        multi = not isinstance(result, np.ndarray)
        for o in (result if multi else (result,)):
            self._add(o)
        self.steps.append((fn, spec, kwargs, multi))

    def param(self, param, arr) -> None:
        """``param.data()`` gave ``arr``: a replay asks the Parameter again."""
        if id(arr) not in self.slots:
            self.record(_param_data, (param, arr._device), {}, arr)
            self.external.add(len(self.alive) - 1)

    def alias(self, out, result) -> None:
        """``out=`` received ``result``: later reads of ``out`` read the result's value. A
        write into an input, a Parameter or a constant is a side effect a replay would lose."""
        slot = self.slots.get(id(out))
        if slot is None or slot in self.external or id(result) not in self.slots:
            self.broken = "an op writes into an input, a Parameter or a constant (out=)"
        else:
            self.slots[id(out)] = self.slots[id(result)]

    def mutate(self, target, value, op) -> None:
        """An in-place write: a program of pure calls cannot hold it, so this signature runs
        eagerly (the traced run itself is correct)."""
        if id(target) in self.slots or id(value) in self.slots:
            self.broken = f"in-place assignment ({op})"

    def untraceable(self, what) -> None:
        self.broken = what

    def refuse(self, arr, what) -> None:
        """Reading a traced array's value: MXNet's symbols raise here, and so do we, when the
        reader is the user's code. mxnp's own code that reads a value (a random factor made a
        Python number) is an op to MXNet: its run stays correct, but bakes the value into the
        program, so the signature runs eagerly instead."""
        if id(arr) not in self.slots:
            return
        frame = sys._getframe(1)
        while frame is not None and frame.f_globals.get("__name__") == "mxnp._ndarray":
            frame = frame.f_back
        if frame is not None and frame.f_globals.get("__name__", "").startswith("mxnp."):
            self.broken = f"mxnp reads a value ({what})"
            return
        kind, msg = _REFUSED[what]
        raise kind(msg + _HINT)


def _param_data(param, device):
    return param.data(device)


def _holds_array(v) -> bool:
    if isinstance(v, (tuple, list)):
        return any(_holds_array(x) for x in v)
    return hasattr(v, "__array_interface__") or hasattr(v, "__cuda_array_interface__") or \
        isinstance(v, np.ndarray)


class Program:
    """The replayable calls of one signature and where the outputs sit among their values."""

    __slots__ = ("steps", "outputs")

    def __init__(self, steps, outputs):
        self.steps, self.outputs = steps, outputs

    def run(self, flat):
        env = list(flat)
        append, extend = env.append, env.extend
        for fn, spec, kwargs, multi in self.steps:
            out = fn(*[env[i] if i >= 0 else c for i, c in spec], **kwargs)
            if multi:
                extend(out)
            else:
                append(out)
        return _rebuild(self.outputs, env)


def _template(out, slots):
    """The output structure with each traced array replaced by ``(slot,)``."""
    if isinstance(out, list):
        return [_template(o, slots) for o in out]
    if isinstance(out, np.ndarray) and id(out) in slots:
        return (slots[id(out)],)
    return ("const", out)


def _rebuild(tpl, env):
    if type(tpl) is list:
        return [_rebuild(t, env) for t in tpl]
    return env[tpl[0]] if len(tpl) == 1 else tpl[1]


def flatten(args, flat) -> tuple:
    """The signature of nested inputs (arrays' shapes and dtypes); arrays go into ``flat``."""
    key = []
    for a in args:
        if isinstance(a, np.ndarray):
            flat.append(a)
            key.append((a.shape, a.dtype, a._device))
        elif isinstance(a, (list, tuple)):
            key.append(flatten(a, flat))
        else:
            key.append(a)  # None
    return tuple(key)


def call(block, args):
    """A hybridized block's call: replay its program for this signature, or trace one."""
    flat = []
    key = (flatten(args, flat), STATE.training, STATE.recording, block._trace_key())
    programs = block._cached_op
    if programs is None:
        programs = block._cached_op = {}
    program = programs.get(key)
    if program is not None and program is not EAGER:
        return program.run(flat)
    if program is not None:
        return _as_lists(block._forward_eager(*args))
    out, programs[key] = trace(lambda: _as_lists(block._forward_eager(*args)), flat)
    return out


def trace(run, flat):
    """Run ``run()`` (the eager body, outputs as lists) under a tracer: (outputs, program)."""
    tracer = Tracer(flat)
    saved, STATE.tracer = STATE.tracer, tracer
    try:
        out = run()
    finally:
        STATE.tracer = saved
    if tracer.broken is not None:
        # the body stays correct when run as Python; a replay might not be, so run it eagerly
        return out, EAGER
    return out, Program(tracer.steps, _template(out, tracer.slots))


class untraced:
    """``with untraced():`` pauses the tracer (deferred initialisation inside a traced run)."""

    def __enter__(self):
        self.saved, STATE.tracer = STATE.tracer, None
        return self

    def __exit__(self, *exc):
        STATE.tracer = self.saved
