"""hybridize: trace a HybridBlock's first call per input signature into a flat program, then
run the program instead of the Python body.

The first call for a signature (input structure, shapes, dtypes, device, training and
recording flags) runs the body eagerly while a ``Tracer`` sits in ``_tape.STATE.tracer``:
every Primitive call, array creation (``_make``: random draws included), ``detach`` and
``Parameter.data`` reports to it. The trace is the list of those calls, each argument either
an earlier value (a block input, a parameter read, an op's output) or a constant held by
reference. ``compile_trace`` hands it to the core's ``Program`` (``_ops/program.py``), with the
parameter reads (and arrays the body closed over) turned into program inputs that each call
reads afresh, so ``set_data``, a Trainer step, ``cast`` and ``load_parameters`` stay seen. The
program runs the ops' forwards on the backend arrays and puts one node on the tape for the
whole block; random draws are made anew and BatchNorm's statistics update in its VJP rule, as
in an eager call. Only gluon's bookkeeping (the signature, the parameter reads) stays in Python.
"""
from __future__ import annotations

import sys

from .. import numpy as np
from .._ops.program import InputMismatch, NotAStep
from .._ops.program import Program as _Program
from .._tape import STATE
from ..base import NotImplementedForSymbol
from ._block_util import _as_lists, face_view, hybridized_scope
from .parameter import _HOST_KINDS

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

    def __init__(self, inputs, prefix=""):
        self.slots = {}  # id(ndarray) -> its index in the value list
        self.alive = []  # every traced array, held so that no id is reused while tracing
        self.steps = []  # (function, ((slot, constant), ...), kwargs, multi-output?)
        self.outs = []  # the slots of each step's outputs
        self.broken = None  # why the run cannot become a program, if it cannot
        # what a traced array prints as, MXNet's symbol names: data (data0, data1 ... for
        # several inputs), a Parameter's name, <block prefix><op name><count> for op results
        self.names, self.prefix, self.counts = [], prefix, {}
        for k, a in enumerate(inputs):
            self._add(a, "data" if len(inputs) == 1 else f"data{k}")
        self.external = set(range(len(self.alive)))  # inputs and Parameters: not ours to write

    def _add(self, a, name) -> None:
        self.slots[id(a)] = len(self.alive)
        self.alive.append(a)
        self.names.append(name)

    def symbol_text(self, arr):
        """How a traced array prints (MXNet's symbols print their name): ``<_Symbol name>``
        (``<Symbol name>`` in the 1.x face); None for an array outside the trace."""
        slot = self.slots.get(id(arr))
        if slot is None:
            return None
        kind = "_Symbol" if isinstance(arr, np.ndarray) and type(arr) is np.ndarray else "Symbol"
        return f"<{kind} {self.names[slot]}>"

    def record(self, fn, args, kwargs, result) -> None:
        """``result = fn(*args, **kwargs)`` was computed; keep it as a step."""
        slots = self.slots
        spec = tuple((slots[id(a)], None) if id(a) in slots and isinstance(a, np.ndarray)
                     else (-1, a) for a in args)
        if kwargs and any(_holds_array(v) for v in kwargs.values()):
            # raw arrays in params (an index made from an array) may carry input values
            self.broken = f"{getattr(fn, 'name', fn)} takes an array as a parameter"
        multi = not isinstance(result, np.ndarray)
        first = len(self.alive)
        op = getattr(fn, "name", None) or getattr(fn, "__name__", "op")
        count = self.counts[op] = self.counts.get(op, -1) + 1
        for k, o in enumerate(result if multi else (result,)):
            self._add(o, f"{self.prefix}{op}{count}" + (f"_output{k}" if multi else ""))
        self.steps.append((fn, spec, kwargs, multi))
        self.outs.append(tuple(range(first, len(self.alive))))

    def param(self, param, arr) -> None:
        """``param.data()`` gave ``arr``: a replay asks the Parameter again."""
        if id(arr) not in self.slots:
            self.record(_param_data, (param, arr._device), {}, arr)
            self.external.add(len(self.alive) - 1)
            self.names[-1] = param.name

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


class Trace:
    """The calls of one traced run and where the outputs sit among their values (what
    ``export`` reads), with what ``compile_trace`` needs besides."""

    __slots__ = ("n_inputs", "outputs", "outs", "steps", "values")

    def __init__(self, tracer, outputs, n_inputs):
        self.steps, self.outs, self.values = tracer.steps, tracer.outs, tracer.alive
        self.outputs, self.n_inputs = outputs, n_inputs


class Compiled:
    """A signature's core ``Program``, the Parameters (and closed-over arrays) it reads as
    inputs after the block's own, and the nesting of its outputs."""

    __slots__ = ("consts", "params", "program", "read", "template")

    def __init__(self, program, params, consts, template):
        self.program, self.params, self.consts = program, params, consts
        self.template = template
        # a Parameter handed straight back as an output is the object data() gives (its face);
        # data() looks pinned and shared memory up as the cpu
        n = program.n_inputs - len(params) - len(consts)
        returned = any(n <= o < n + len(params) for o in program.outputs)
        host = any(device.device_type in _HOST_KINDS for _, device in params)
        self.read = _param_data if returned or host else _param_array

    def run(self, flat):
        """The outputs for the block's arrays ``flat``."""
        if self.params:
            read = self.read
            flat = flat + [read(param, device) for param, device in self.params]
        if self.consts:
            flat = flat + self.consts
        return _rebuild(self.template, self.program(*flat))


def _param_array(param, device):
    """``param.data(device)`` as the program reads it: the Parameter's own array (the program
    reads only its data and tape node, so the 1.x face's NDArray view of it is not needed);
    ``data`` itself where it is not there, to raise what ``data`` raises."""
    arrays = param._data
    arr = arrays.get(device) if arrays is not None else None
    return arr if arr is not None else param.data(device)


def compile_trace(trace, name) -> Compiled:
    """The core Program of a trace: inputs are the block's arrays, then each Parameter read
    and each array constant (read afresh by every call), then the ops' results."""
    n = trace.n_inputs
    old = list(range(n))  # the trace's slots in the program's order
    params, consts, const_slot = [], [], {}
    for (fn, spec, _, _), outs in zip(trace.steps, trace.outs):
        if fn is _param_data:
            params.append((spec[0][1], spec[1][1]))
            old.append(outs[0])
    values = [trace.values[i] for i in old]
    for fn, spec, _, _ in trace.steps:
        for _, c in spec:
            if isinstance(c, np.ndarray) and id(c) not in const_slot:
                const_slot[id(c)] = len(values)
                consts.append(c)
                values.append(c)
    new = {o: k for k, o in enumerate(old)}
    steps = []
    for (fn, spec, kwargs, multi), outs in zip(trace.steps, trace.outs):
        if fn is _param_data:
            continue
        if fn is face_view:  # the same data and tape node, shown in the other face
            i, c = spec[0]
            new[outs[0]] = new[i] if i >= 0 else const_slot[id(c)]
            continue
        for o in outs:
            new[o] = len(values)
            values.append(trace.values[o])
        args = tuple((new[i], None) if i >= 0 else
                     (const_slot[id(c)], None) if isinstance(c, np.ndarray) else (-1, c)
                     for i, c in spec)
        steps.append((fn, args, kwargs, tuple(new[o] for o in outs), multi))
    flat_out = []
    template = _renumber(trace.outputs, new, flat_out)
    return Compiled(_Program(name, n + len(params) + len(consts), steps, values, flat_out),
                    params, consts, template)


def _renumber(tpl, new, flat_out):
    """The output template with each slot replaced by its position among the program's
    outputs (which ``flat_out`` collects)."""
    if type(tpl) is list:
        return [_renumber(t, new, flat_out) for t in tpl]
    if len(tpl) == 1:
        flat_out.append(new[tpl[0]])
        return (len(flat_out) - 1,)
    return tpl


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
    """The signature of nested inputs (arrays' shapes and dtypes); arrays go into ``flat``.
    Raises MXNet's error for what its cached graph does not take (anything but (nested lists
    of) arrays and None)."""
    key = []
    for a in args:
        if isinstance(a, np.ndarray):
            flat.append(a)
            raw = a._data
            key.append((raw.shape, raw.dtype, a._device))
        elif isinstance(a, (list, tuple)):
            key.append(flatten(a, flat))
        elif a is None:
            key.append(a)
        else:
            raise ValueError("When hybridized, the input of HybridBlock input must be (nested) "
                             f"list of Symbol or NDArray, but got {a} of type {type(a)}")
    return tuple(key)


def call(block, args):
    """A hybridized block's call: replay its program for this signature, or trace one (the
    body, traced or run eagerly, runs inside ``hybridized_scope``; a replay calls no block)."""
    flat = []
    key = (flatten(args, flat), STATE.training, STATE.recording, block._trace_key())
    if not block._ran_hybridized:  # (set once: Block.__setattr__ costs a few us a call)
        block._ran_hybridized = True
    programs = block._cached_op
    if programs is None:
        programs = block._cached_op = {}
    program = programs.get(key)
    if program is not None and program is not EAGER:
        try:
            return program.run(flat)
        except InputMismatch:  # a Parameter changed its shape or dtype: trace again
            pass
    elif program is not None:
        with hybridized_scope():
            return _as_lists(block._forward_eager(*args))
    with hybridized_scope():
        out, found = trace(lambda: _as_lists(block._forward_eager(*args)), flat, block.prefix)
    try:
        programs[key] = found if found is EAGER else compile_trace(found, type(block).__name__)
    except NotAStep:  # a call only the Python body knows how to repeat
        programs[key] = EAGER
    return out


def trace(run, flat, prefix=""):
    """Run ``run()`` (the eager body, outputs as lists) under a tracer: (outputs, program)."""
    tracer = Tracer(flat, prefix)
    saved, STATE.tracer = STATE.tracer, tracer
    try:
        out = run()
    finally:
        STATE.tracer = saved
    if tracer.broken is not None:
        # the body stays correct when run as Python; a replay might not be, so run it eagerly
        return out, EAGER
    return out, Trace(tracer, _template(out, tracer.slots), len(flat))


class untraced:
    """``with untraced():`` pauses the tracer (deferred initialisation inside a traced run)."""

    def __enter__(self):
        self.saved, STATE.tracer = STATE.tracer, None
        return self

    def __exit__(self, *exc):
        STATE.tracer = self.saved
