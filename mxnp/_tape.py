"""Recording state, graph nodes and the reverse walk. Knows nothing about particular ops.

A recorded op's output carries a ``Node``; a variable (``attach_grad``) carries a ``Leaf`` that
holds its gradient buffer; each output of a multi-output op carries a ``Part`` of its ``Node``.
"""
from __future__ import annotations

import itertools
import operator
import os
import threading
import traceback

from .base import MXNetError


class _State(threading.local):
    recording = False
    training = False
    # gluon's hybridize (gluon/_hybrid.py) sets a tracer for the first call of a block
    # signature: ops and creations report ``record``, in-place writes ``mutate``, views
    # ``alias``, Parameter reads ``param``, value reads ``refuse`` and what a Program cannot
    # hold ``untraceable``; the trace becomes one fused Program (_ops/program.py)
    tracer = None


STATE = _State()
_counter = itertools.count()

# MXNet 1.9.1's words, its failed check first (code that matches the message finds them)
NOT_IN_GRAPH = ("Check failed: !AGInfo::IsNone(*i): Cannot differentiate node because it is "
                "not in a computational graph. You need to set is_recording to true or use "
                "autograd.record() to save computational graphs for backward. If you want to "
                "differentiate the same graph twice, you need to pass retain_graph=True to "
                "backward.")
NO_INPUTS = ("Check failed: xs.size() > 0 (0 vs. 0) : There are no inputs in computation "
             "graph that require gradients. (Call attach_grad() on a variable, with grad_req "
             "other than 'null', and use it under autograd.record(); a graph already walked "
             "by backward without retain_graph=True is freed.)")


class Node:
    """One recorded op: its primitive, inputs (strong refs), params and output data."""

    __slots__ = ("prim", "inputs", "params", "parents", "out", "seq", "where")

    def __init__(self, prim, inputs, params, parents, out):
        self.prim = prim  # None once freed by backward
        self.inputs = inputs
        self.params = params
        self.parents = parents  # the inputs' nodes at record time, position by position
        self.out = out  # raw output data, or a tuple of them for multi-output ops
        self.seq = next(_counter)
        if ANOMALY.on:  # else the slot stays empty: _check_finite reads it with a default
            self.where = _user_frame()


class _Paths:
    """Whether the fast paths run: ``Primitive.__call__``'s and ``walk_to_leaves``. Off, every
    call takes the general path, the reference that the fast ones must agree with; the tests
    turn it off to run that path alone (``primitive.use_fast_paths``; MXNP_FAST_PATHS=0 does
    it for a whole process)."""

    fast = os.environ.get("MXNP_FAST_PATHS", "1") != "0"


PATHS = _Paths()


class _Anomaly:
    """Anomaly detection (one switch for the process, as in PyTorch): nodes remember where
    they were recorded, and a VJP that makes a NaN or an Inf stops the backward pass there."""

    on = False


ANOMALY = _Anomaly()


def _user_frame() -> str:
    """The innermost stack frame outside mxnp, as ``file:line in function: code``."""
    for frame in reversed(traceback.extract_stack()):  # mxnp's own frames are skipped below
        if f"{os.sep}mxnp{os.sep}" not in frame.filename:
            return f"{frame.filename}:{frame.lineno} in {frame.name}: {frame.line}"
    return "<unknown>"


def _check_finite(node, gx) -> None:
    xp = gx._device.xp
    if not bool(xp.isfinite(gx._data).all()):
        raise MXNetError(f"anomaly: the gradient that {node.prim.name} passes back has NaN or "
                         f"Inf; the op was recorded at {getattr(node, 'where', None)}")


class Leaf:
    """A variable: its gradient buffer (raw data) and how backward writes it."""

    __slots__ = ("grad", "grad_req", "seq", "fresh", "owner", "faces")
    parents = ()

    def __init__(self, grad, grad_req):
        self.grad = grad
        self.grad_req = grad_req
        self.seq = next(_counter)
        self.fresh = False  # set when backward writes the buffer; gluon's Trainer clears it
        # the ndarray ``mark_variables`` gave as the buffer (a Parameter's gradient): it must
        # see a buffer that backward replaces (``autograd._swap``)
        self.owner = None
        # other wrappers of the buffer that must see it replaced too (a Parameter's NDArray
        # view of its gradient, in the 1.x face)
        self.faces = ()


class Part:
    """Output ``index`` of a multi-output node."""

    __slots__ = ("node", "index", "seq")

    def __init__(self, node, index):
        self.node = node
        self.index = index
        self.seq = next(_counter)

    @property
    def parents(self):
        return (self.node,)


class scope:
    """Sets the recording and training flags for a block and restores them after."""

    __slots__ = ("recording", "training", "saved")

    def __init__(self, recording, training):
        self.recording, self.training = recording, training

    def __enter__(self):
        self.saved = (STATE.recording, STATE.training)
        if self.recording is not None:
            STATE.recording = self.recording
        if self.training is not None:
            STATE.training = self.training
        return self

    def __exit__(self, *exc):
        STATE.recording, STATE.training = self.saved


def alive(node) -> bool:
    """False for a node that backward has freed."""
    kind = type(node)
    return kind is Leaf or (node if kind is Node else node.node).prim is not None


def _reachable(roots, stop=()):
    """Every node reachable from ``roots`` (not past those in ``stop``), in reverse
    topological order (highest seq first)."""
    seen = set(roots)
    stack = [r for r in roots if r not in stop]
    while stack:
        for parent in stack.pop().parents:
            if parent is not None and parent not in seen:
                seen.add(parent)
                if parent not in stop:
                    stack.append(parent)
    return sorted(seen, key=_SEQ, reverse=True)


_SEQ = operator.attrgetter("seq")


def _accumulate(grads, node, g):
    prev = grads.get(node)
    grads[node] = g if prev is None else prev + g


def walk(heads, head_grads, retain_graph, create_graph, targets=None):
    """Run the VJPs from ``heads`` (ndarrays, with cotangents ``head_grads`` of their shapes)
    down to the leaves, or to ``targets`` (a set of nodes, where the walk stops).

    A generator: it yields ``(leaf, cotangent)`` as each cotangent reaches a leaf (with
    ``targets``, a target; other leaves are left alone), and ``(leaf, None)`` when the walk
    reaches the leaf, after all its cotangents. It writes nothing: ``autograd`` decides what a
    cotangent does to a leaf. Nodes walked are freed unless ``retain_graph``; a freed node is a
    dead end.
    """
    roots = [_live_node(head) for head in heads]
    stop = targets if targets is not None else ()
    grads = {}
    for node, g in zip(roots, head_grads):
        if type(node) is Leaf or node in stop:
            if targets is None or node in stop:
                yield node, g
        else:
            _accumulate(grads, node, g)
    order = _reachable(roots, stop)  # reverse topological: a node before its inputs
    with scope(create_graph, None):
        for node in order:
            if type(node) is Leaf or node in stop:
                if targets is None or node in stop:
                    yield node, None  # reached: everything flowing into it has come
                continue
            g = grads.pop(node, None)
            if g is None:
                continue
            for parent, gx in _input_grads(node, g, grads):
                if type(parent) is Leaf or parent in stop:
                    if targets is None or parent in stop:
                        yield parent, gx
                else:
                    _accumulate(grads, parent, gx)
    if not retain_graph:
        _free(order, stop)


def walk_to_leaves(head, g, retain_graph):
    """``walk`` for the common call, ``y.backward()``: one head (a ``Node`` or a ``Part``, with
    its cotangent ``g``), down to the leaves, recording nothing, anomaly detection off.

    It yields what ``walk`` yields and frees what ``walk`` frees; it is ``walk`` with the
    branches for targets, several heads, ``create_graph`` and anomaly checks taken out (see
    ``autograd.backward`` for when it is chosen; the tests run both on the same graphs).
    """
    order = _reachable_from(head)
    grads = {head: g}
    pop, get = grads.pop, grads.get
    recording, STATE.recording = STATE.recording, False
    try:
        for node in order:
            kind = type(node)
            if kind is Leaf:
                yield node, None  # reached: everything flowing into it has come
                continue
            g = pop(node, None)
            if g is None:
                continue
            if kind is Part:
                _fill_slot(grads, node, g)
                continue
            if node.prim is None:  # freed by an earlier backward
                continue
            for parent, gx in node.prim.input_grads(node, g):
                if type(parent) is Leaf:
                    yield parent, gx
                else:
                    prev = get(parent)
                    grads[parent] = gx if prev is None else prev + gx
    finally:
        STATE.recording = recording
    if not retain_graph:
        _free(order, ())


def _reachable_from(head):
    """``_reachable((head,))``, for one head and no stops."""
    seen = {head}
    stack = [head]
    add, push, pop = seen.add, stack.append, stack.pop
    while stack:
        for parent in pop().parents:
            if parent is not None and parent not in seen:
                add(parent)
                push(parent)
    return sorted(seen, key=_SEQ, reverse=True)


def _fill_slot(grads, part, g) -> None:
    """A ``Part``'s cotangent goes to its slot of the node's list: the whole node runs once."""
    node = part.node
    if node.prim is None:  # freed by an earlier backward: a dead end
        return
    slots = grads.get(node)
    if slots is None:
        slots = grads[node] = [None] * len(node.out)
    slots[part.index] = g if slots[part.index] is None else slots[part.index] + g


def _live_node(head):
    node = head._node
    if node is None or not alive(node):
        raise MXNetError(NOT_IN_GRAPH)
    return node


def _input_grads(node, g, grads):
    """``(parent, cotangent)`` pairs from ``node``'s rules; a ``Part`` fills its slot instead."""
    if type(node) is Part:
        _fill_slot(grads, node, g)
        return ()
    if node.prim is None:  # freed by an earlier backward
        return ()
    pairs = node.prim.input_grads(node, g)
    if ANOMALY.on:
        for _, gx in pairs:
            _check_finite(node, gx)
    return pairs


def _free(order, stop) -> None:
    """Drop what the walked nodes hold, so their saved values can go (MXNet frees them too)."""
    for node in order:
        if type(node) is Node and node not in stop:
            node.prim = node.inputs = node.params = node.out = None
            node.parents = ()


def gather(pairs) -> dict:
    """``{node: the sum of its cotangents}`` from ``walk``; None for a node reached with
    nothing flowing in (its gradient is zero)."""
    found = {}
    for node, g in pairs:
        prev = found.get(node)
        if g is None:
            found.setdefault(node, None)
        else:
            found[node] = g if prev is None else prev + g
    return found
