"""A recorded sequence of op calls run as one op: the executor behind gluon's hybridize.

A ``Program`` is built from a trace (the op calls of one run, each argument an earlier value
or a constant). Calling it runs each step's forward straight on the backend arrays, with none
of the per-op work of ``Primitive.__call__`` (no ndarray per intermediate, no tape node per
op), and puts ONE node on the tape for the whole program, which the tape treats as any other
op's node.

Its backward runs the steps' own VJP rules in reverse, each through ``Primitive.input_grads``
(so broadcasting is undone and dtypes are cast exactly as for an eager call). The first
backward of a kind (which inputs need a gradient, which outputs receive one, training or not)
also records the ops those rules call, as a forward records the body: later backwards of that
kind run the recorded ops on the backend arrays as well. A step whose rules do more than call
ops on their arguments (read a value, write in place, compute on raw arrays, make an array;
BatchNorm's statistics update, by name) is kept as a call of its rules, made anew each time.
Under ``create_graph`` the backward instead rebuilds the per-op nodes from the values the
forward saved and walks them, so higher-order gradients see every op.

Steps that are not Primitives (random draws, ``detach``) are called as they are and never
carry a gradient; their values are saved, so a rebuilt graph reuses the forward's draws.

This is core machinery (it handles raw backend arrays), so it lives here, not in gluon: gluon
only hands a trace to ``Program`` and calls it with the block's inputs and parameters.
"""
from __future__ import annotations

import numpy as onp

from .._ndarray import ndarray
from .._tape import STATE, Leaf, Node, Part, gather, walk
from ..base import OpError
from .creation import _make
from .primitive import Meta, Primitive, Unit, _op_error, _wrap

# ops whose rules change state besides computing cotangents (BatchNorm updates its moving
# statistics in its backward): a recorded backward calls their rules every time
RULES_WITH_EFFECTS = frozenset({"batch_norm"})


class InputMismatch(OpError):
    """A program was called with arrays of other shapes, dtypes or devices than it traced."""


class NotAStep(TypeError):
    """A trace holds a call that a program cannot run (neither an op nor a known source)."""


# the calls besides Primitives that a program runs as they were traced: they make an array
# that carries no gradient (a creation, a random draw; an array taken off the tape)
SOURCES = (_make, ndarray.detach)


class _Step:
    """One traced call: the function, where its arguments come from, its output slots."""

    __slots__ = ("call", "fn", "forward", "kept", "multi", "outs", "params", "rules", "spec",
                 "xp")

    def __init__(self, fn, spec, params, outs, multi, device):
        if not isinstance(fn, Primitive) and fn not in SOURCES and not isinstance(fn, _RuleCall):
            raise NotAStep(f"a program cannot run {getattr(fn, '__name__', fn)!r}: it runs ops "
                           "and the sources in program.SOURCES")
        self.fn, self.spec, self.params, self.outs, self.multi = fn, spec, params, outs, multi
        self.rules = isinstance(fn, Primitive) and fn.differentiable
        # a Primitive runs its forward on raw arrays; anything else (a random draw, detach)
        # is called on ndarrays as it was traced
        self.forward = fn.forward if isinstance(fn, Primitive) else None
        self.xp = device.xp
        keep = fn.keep if self.rules else ()
        self.kept = tuple(i >= 0 and (keep is None or k in keep) for k, (i, _) in enumerate(spec))
        self.call = _caller(self.forward, self.xp, spec, params) \
            if self.forward is not None else None


def _caller(forward, xp, spec, params):
    """``env -> forward(xp, *arguments, **params)``, each argument an earlier value (its slot
    in ``env``) or the constant the spec holds. The common shapes are spelled out, so that a
    call builds no argument list: one, two or three values, or a value and a constant."""
    slots = [i for i, _ in spec]
    if slots and min(slots) >= 0:  # every argument an earlier value
        if len(slots) == 1:
            i, = slots
            return lambda env: forward(xp, env[i], **params)
        if len(slots) == 2:
            i, j = slots
            return lambda env: forward(xp, env[i], env[j], **params)
        if len(slots) == 3:
            i, j, k = slots
            return lambda env: forward(xp, env[i], env[j], env[k], **params)
    elif len(slots) == 2 and max(slots) >= 0:  # a value and a constant: x - 0.5, 1 / x
        (i, x), (j, y) = spec
        if i >= 0:
            return lambda env: forward(xp, env[i], y, **params)
        return lambda env: forward(xp, x, env[j], **params)
    return lambda env: forward(xp, *[env[i] if i >= 0 else c for i, c in spec], **params)


class _Call:
    """What ``Primitive.input_grads`` reads of a tape node, for one step's rules: the inputs
    (values it keeps, ``Meta`` for the rest), params, the parents (here: the inputs' slots,
    None where no gradient flows) and the output values."""

    __slots__ = ("inputs", "out", "params", "parents")

    def __init__(self, inputs, params, parents, out):
        self.inputs, self.params, self.parents, self.out = inputs, params, parents, out


def _run(steps, env, devices, name) -> None:
    """Run ``steps`` on the raw values ``env``, appending each step's outputs to it."""
    append = env.append
    array = onp.ndarray
    try:
        for s in steps:
            call = s.call
            if call is not None:
                raw = call(env)
            else:  # called on ndarrays, as it was traced
                raw = s.fn(*[_wrap(env[i], devices[i]) if i >= 0 else c
                             for i, c in s.spec], **s.params)
                raw = [o._data for o in raw] if s.multi else raw._data
            if type(raw) is array:
                append(raw)
            elif type(raw) is tuple or type(raw) is list:
                for r in raw:
                    append(r if isinstance(r, s.xp.ndarray) else s.xp.asarray(r))
            elif isinstance(raw, s.xp.ndarray):
                append(raw)
            else:
                append(s.xp.asarray(raw))  # NumPy returns scalars from 0-d work
    except (ValueError, TypeError, IndexError, ZeroDivisionError) as e:
        raise _op_error(f"{name}: {getattr(s.fn, 'name', s.fn)}", e, ()) from e


class Program(Primitive):
    """``program(*arrays)``: the traced steps on new inputs of the traced shapes and dtypes;
    returns the list of outputs. Recorded as one tape node whose rules replay the steps'."""

    __slots__ = ("devices", "dropped", "metas", "n_inputs", "outputs", "plans", "steps")

    def __init__(self, name, n_inputs, steps, values, outputs):
        """``steps``: ``(fn, ((slot, constant), ...), params, output slots, multi-output?)``,
        the slots numbering the inputs first, then each step's outputs in order (slot -1: the
        constant); ``values``: the traced array of every slot; ``outputs``: the slots the
        program returns. A call that is neither a Primitive nor in ``SOURCES`` raises
        ``NotAStep``."""
        super().__init__(name, None, register=False)
        self.n_inputs, self.outputs = n_inputs, tuple(outputs)
        self.metas = [Meta(v) for v in values]
        self.devices = [v._device for v in values]
        self.steps = [_Step(fn, spec, params, outs, multi, values[outs[0]]._device)
                      for fn, spec, params, outs, multi in steps]
        self.differentiable = any(s.rules for s in self.steps)
        # what a backward reads: the inputs, the values the rules keep, and every value a
        # rebuilt graph cannot recompute (random draws, detached or undifferentiable results)
        saved = [i < n_inputs for i in range(len(values))]
        for s in self.steps:
            if not s.rules or s.multi or s.fn.keep_ans:
                for o in s.outs:
                    saved[o] = True
            for (i, _), kept in zip(s.spec, s.kept):
                if kept:
                    saved[i] = True
        self.dropped = [i for i, keep in enumerate(saved) if not keep]
        self.plans = {}

    def __call__(self, *arrays):
        if STATE.tracer is not None:  # a program inside a trace would hide its ops
            STATE.tracer.untraceable("a compiled program")
        env = []
        for a, m in zip(arrays, self.metas):
            raw = a._data
            if raw.shape != m.shape or raw.dtype != m.dtype or a._device is not m._device:
                raise InputMismatch(f"{self.name}: an input is {raw.shape} {raw.dtype} on "
                                    f"{a._device}; the program was traced for {m.shape} "
                                    f"{m.dtype} on {m._device}")
            env.append(raw)
        _run(self.steps, env, self.devices, self.name)
        node = None
        if STATE.recording:
            parents = tuple([a._node for a in arrays])
            if parents.count(None) < len(parents):
                plan = self._plan(tuple([p is not None for p in parents]))
                if plan.differentiable:
                    out = tuple([env[o] for o in self.outputs])
                    # the tape walks to the inputs made by ops; a Leaf (a variable) is written
                    # when a cotangent reaches it, so one that only feeds outputs the head
                    # ignores keeps its gradient, as in an eager backward (see input_grads)
                    node = Node(self, env, (plan, parents),
                                tuple([p for p in parents
                                       if p is not None and type(p) is not Leaf]),
                                out if len(out) > 1 else out[0])
        outs = self._wrap_outputs(arrays, env, node)
        if node is not None:
            for i in self.dropped:  # the node keeps what a backward reads
                env[i] = None
        return outs

    def _wrap_outputs(self, arrays, env, node) -> list:
        outs = []
        live = node.params[0].live if node is not None else None
        multi = len(self.outputs) > 1
        for k, o in enumerate(self.outputs):
            if o < self.n_inputs:  # an input handed straight back: the same array
                outs.append(arrays[o])
                continue
            tape = None
            if live is not None and live[o]:
                tape = Part(node, k) if multi else node
            outs.append(_wrap(env[o], self.devices[o], tape))
        return outs

    def _plan(self, mask) -> _Plan:
        plan = self.plans.get(mask)
        if plan is None:
            plan = self.plans[mask] = _Plan(self, mask)
        return plan

    # ---- backward -------------------------------------------------------------------------
    def input_grads(self, node, g) -> list:
        """``(parent, cotangent)`` for the program's inputs on the tape."""
        if STATE.recording:  # create_graph: the rules' own ops must be recorded too
            return self._grads_with_graph(node, g)
        gs = g if type(g) is list else [g]
        key = (tuple(None if x is None else (type(x) is Unit, x.shape, x.dtype) for x in gs),
               STATE.training)
        plan, parents = node.params
        back = plan.backs.get(key)
        if back is None:  # the first backward of its kind: run the rules, recording their ops
            recorder = _Recorder(node.inputs, self.devices, gs)
            cots = self._rules(node, gs, recorder)
            plan.backs[key] = recorder.finish(self.name, cots)
        elif back is _RULES:
            cots = self._rules(node, gs, None)
        else:
            cots = back.run(node.inputs, gs)
        return [(parents[i], gx) for i, gx in cots]

    def _rules(self, node, gs, recorder) -> list:
        """The steps' rules in reverse order on the values the forward saved; with a
        ``recorder``, each step's ops are recorded, or the step itself where they cannot be."""
        (plan, parents), env = node.params, node.inputs
        metas, devices = self.metas, self.devices
        saved, STATE.tracer = STATE.tracer, recorder
        try:
            cots = {}
            for o, go in zip(self.outputs, gs):
                if go is not None and plan.live[o]:
                    cots[o] = go if o not in cots else cots[o] + go
            for s, links in plan.backward:
                if s.multi:
                    go = [cots.pop(o, None) for o in s.outs]
                    if all(x is None for x in go):
                        continue
                    out = tuple(env[o] for o in s.outs)
                else:
                    go = cots.pop(s.outs[0], None)
                    if go is None:
                        continue
                    out = env[s.outs[0]] if s.fn.keep_ans else None
                inputs = [(_wrap(env[i], devices[i]) if kept else metas[i]) if i >= 0 else c
                          for (i, c), kept in zip(s.spec, s.kept)]
                mark = recorder.mark() if recorder is not None else None
                pairs = s.fn.input_grads(_Call(inputs, s.params, links, out), go)
                if recorder is not None:
                    recorder.close_step(mark, _RuleCall(self, s, links, pairs), go, pairs)
                for i, gx in pairs:
                    cots[i] = gx if i not in cots else cots[i] + gx
        finally:
            STATE.tracer = saved
        return [(i, cots[i]) for i, p in enumerate(parents) if p is not None and i in cots]

    def _grads_with_graph(self, node, g) -> list:
        """The per-op nodes of an eager call, made from the saved values, and walked as the
        tape walks them (recording), so the cotangents are differentiable again."""
        (plan, parents), env = node.params, node.inputs
        devices = self.devices
        nodes = list(parents) + [None] * (len(env) - self.n_inputs)
        for s, _ in reversed(plan.backward):  # forward order
            args = [(_wrap(env[i], devices[i], nodes[i]) if kept else self.metas[i])
                    if i >= 0 else c for (i, c), kept in zip(s.spec, s.kept)]
            out = tuple(env[o] for o in s.outs) if s.multi else \
                env[s.outs[0]] if s.fn.keep_ans else None
            step_node = Node(s.fn, args, s.params, tuple(nodes[i] if i >= 0 else None
                                                         for i, _ in s.spec), out)
            for k, o in enumerate(s.outs):
                nodes[o] = Part(step_node, k) if s.multi else step_node
        heads, head_grads = [], []
        for o, go in zip(self.outputs, g if type(g) is list else (g,)):
            if go is not None and plan.live[o]:
                heads.append(_wrap(None, devices[o], nodes[o]))
                head_grads.append(go)
        targets = {p for p in parents if p is not None}
        found = gather(walk(heads, head_grads, retain_graph=True, create_graph=True,
                            targets=targets))
        out, seen = [], set()
        for p in parents:
            if p is not None and p not in seen and found.get(p) is not None:
                seen.add(p)
                out.append((p, found[p]))
        return out


class _Plan:
    """What one pattern of inputs on the tape makes of a program: which values carry a
    gradient (``live``), and the steps to run backward with their inputs' slots as parents."""

    __slots__ = ("backs", "backward", "differentiable", "live")

    def __init__(self, program, mask):
        live = list(mask) + [False] * (len(program.metas) - len(mask))
        steps = []
        for s in program.steps:
            if s.rules and any(i >= 0 and live[i] for i, _ in s.spec):
                for o in s.outs:
                    live[o] = True
                steps.append((s, tuple(i if i >= 0 and live[i] else None for i, _ in s.spec)))
        self.live = live
        self.backward = steps[::-1]
        self.differentiable = bool(steps) and any(live[o] for o in program.outputs)
        self.backs = {}  # recorded backwards, by the kind of cotangents and the training flag


_RULES = "rules"  # a backward that could not be recorded: the rules run each time


class _RuleCall:
    """A step whose rules run as themselves inside a recorded backward: called with its
    output cotangents and the values its rules keep, it gives the input cotangents."""

    def __init__(self, program, step, parents, pairs):
        self.program, self.step, self.parents = program, step, parents
        self.expect = [i for i, _ in pairs]

    def spec(self, go, slot) -> tuple:
        """Where the arguments of a call come from: the cotangents (``slot`` of each), then
        the kept inputs and the outputs the rules read, among the forward's values."""
        s = self.step
        gos = go if s.multi else [go]
        spec = [(-1, None) if x is None else (slot(x), None) for x in gos]
        spec += [(i, None) for (i, _), kept in zip(s.spec, s.kept) if kept]
        if s.multi or s.fn.keep_ans:
            spec += [(o, None) for o in s.outs]
        return tuple(spec)

    def __call__(self, *args):
        s, metas = self.step, self.program.metas
        n = len(s.outs) if s.multi else 1
        go = list(args[:n]) if s.multi else args[0]
        rest = iter(args[n:])
        inputs = [next(rest) if kept else (metas[i] if i >= 0 else c)
                  for (i, c), kept in zip(s.spec, s.kept)]
        out = [a._data for a in rest]
        out = tuple(out) if s.multi else (out[0] if out else None)
        pairs = s.fn.input_grads(_Call(inputs, s.params, self.parents, out), go)
        if [i for i, _ in pairs] != self.expect:
            raise OpError(f"{self.program.name}: the rules of {s.fn.name} gave cotangents for "
                          f"inputs {[i for i, _ in pairs]}, recorded as {self.expect}")
        return [gx for _, gx in pairs]


class _Recorder:
    """Records the ops a backward's rules call (it sits in ``STATE.tracer``, as gluon's
    tracer does for a forward). Slots number the forward's values, then the cotangents of
    the program's outputs, then each recorded result."""

    def __init__(self, env, devices, gs):
        self.raws = {id(r): i for i, r in enumerate(env) if r is not None}
        self.slots = {}  # id(ndarray) -> slot
        self.alive = []  # every array given a slot, held so that no id is reused
        self.devices = list(devices)
        self.steps = []
        self.broken = None  # why the current step cannot be recorded
        self.lost = None  # why the whole backward cannot be
        for g in gs:
            if g is not None:
                self._add(g, len(self.devices))
            self.devices.append(None if g is None else g._device)

    def _add(self, a, slot) -> None:
        self.slots[id(a)] = slot
        self.alive.append(a)

    def slot(self, a):
        """The slot of an array seen before (a wrapper of a forward value counts), or None."""
        slot = self.slots.get(id(a))
        if slot is None:
            slot = self.raws.get(id(a._data))
            if slot is not None:
                self._add(a, slot)
        return slot

    def record(self, fn, args, kwargs, result) -> None:
        if not isinstance(fn, Primitive) or any(_holds_array(v) for v in kwargs.values()):
            self.broken = f"{getattr(fn, 'name', fn)} is not a plain op call"
            return
        spec = []
        for a in args:
            slot = self.slot(a) if isinstance(a, ndarray) else -1
            if slot is None:
                self.broken = "an array made outside the ops"
                return
            spec.append((slot, None if slot >= 0 else a))
        multi = not isinstance(result, ndarray)
        outs = []
        for o in (result if multi else (result,)):
            outs.append(len(self.devices))
            self._add(o, len(self.devices))
            self.devices.append(o._device)
        self.steps.append(_Step(fn, tuple(spec), kwargs, tuple(outs), multi,
                                self.devices[outs[0]]))

    def alias(self, out, result) -> None:
        self.broken = "out="

    def mutate(self, target, value, op) -> None:
        self.broken = f"an in-place write ({op})"

    def untraceable(self, what) -> None:
        self.broken = what

    def refuse(self, arr, what) -> None:
        self.broken = f"a value read ({what})"

    def param(self, param, arr) -> None:
        self.broken = "a Parameter read"

    def mark(self) -> tuple:
        self.broken = None
        return len(self.steps), len(self.devices), len(self.alive)

    def close_step(self, mark, call, go, pairs) -> None:
        """After one step's rules: keep their ops, or replace them by ``call`` (the rules
        themselves) when they could not be recorded."""
        if self.broken is None and call.step.fn.name not in RULES_WITH_EFFECTS and \
                all(self.slot(gx) is not None for _, gx in pairs):
            return
        n_steps, n_slots, n_alive = mark
        for a in self.alive[n_alive:]:
            self.slots.pop(id(a), None)
        del self.steps[n_steps:], self.devices[n_slots:], self.alive[n_alive:]
        if any(x is not None and self.slot(x) is None for x in (go if call.step.multi else [go])):
            self.lost = "a cotangent from outside the recorded ops"
            return
        spec = call.spec(go, self.slot)
        outs = []
        for _, gx in pairs:
            outs.append(len(self.devices))
            self._add(gx, len(self.devices))
            self.devices.append(gx._device)
        if outs:
            self.steps.append(_Step(call, spec, {}, tuple(outs), True, self.devices[outs[0]]))

    def finish(self, name, cotangents):
        """The recorded backward giving ``cotangents`` (``(input, array)`` pairs), or
        ``_RULES`` when it cannot stand for the rules."""
        results = [(i, self.slot(gx)) for i, gx in cotangents]
        if self.lost is not None or any(slot is None for _, slot in results):
            return _RULES
        return _Backward(name, self.steps, self.devices, results)


class _Backward:
    """A recorded backward: the rules' ops, run on the forward's values and the cotangents."""

    __slots__ = ("devices", "name", "results", "steps")

    def __init__(self, name, steps, devices, results):
        self.name, self.steps, self.devices, self.results = name, steps, devices, results

    def run(self, env, gs) -> list:
        """``(input, cotangent)`` for the program's inputs that need one."""
        values = list(env)
        values += [None if g is None else g._data for g in gs]
        _run(self.steps, values, self.devices, self.name)
        devices = self.devices
        return [(i, _wrap(values[slot], devices[slot])) for i, slot in self.results]


def _holds_array(v) -> bool:
    if isinstance(v, (tuple, list)):
        return any(_holds_array(x) for x in v)
    return isinstance(v, ndarray) or hasattr(v, "__array_interface__") or \
        hasattr(v, "__cuda_array_interface__")

