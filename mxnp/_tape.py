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


STATE = _State()
_counter = itertools.count()

NOT_IN_GRAPH = ("Cannot differentiate node because it is not in a computational graph. You "
                "need to set is_recording to true or use autograd.record() to save "
                "computational graphs for backward. If you want to differentiate the same "
                "graph twice, you need to pass retain_graph=True to backward.")
NO_INPUTS = ("There are no inputs in computation graph that require gradients: call "
             "attach_grad() on a variable (with grad_req other than 'null') and use it under "
             "autograd.record(); a graph already walked by backward without retain_graph=True "
             "is freed.")


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
        self.where = _user_frame() if ANOMALY.on else None


class _Anomaly:
    """Anomaly detection (one switch for the process, as in PyTorch): nodes remember where
    they were recorded, and a VJP that makes a NaN or an Inf stops the backward pass there."""

    on = False


ANOMALY = _Anomaly()


def _user_frame() -> str:
    """The innermost stack frame outside mxnp, as ``file:line in function: code``."""
    for frame in reversed(traceback.extract_stack()[:-2]):
        if f"{os.sep}mxnp{os.sep}" not in frame.filename:
            return f"{frame.filename}:{frame.lineno} in {frame.name}: {frame.line}"
    return "<unknown>"


def _check_finite(node, gx) -> None:
    xp = gx._device._xp or gx._device.xp
    if not bool(xp.isfinite(gx._data).all()):
        raise MXNetError(f"anomaly: the gradient that {node.prim.name} passes back has NaN or "
                         f"Inf; the op was recorded at {node.where}")


class Leaf:
    """A variable: its gradient buffer (raw data) and how backward writes it."""

    __slots__ = ("grad", "grad_req", "seq", "fresh")
    parents = ()

    def __init__(self, grad, grad_req):
        self.grad = grad
        self.grad_req = grad_req
        self.seq = next(_counter)
        self.fresh = False  # set when backward writes the buffer; gluon's Trainer clears it


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


class _Pass:
    """The cotangents of one backward pass: per node while walking, per leaf (or target) after.

    With a ``sink``, cotangents reaching a leaf go to ``sink(leaf, cotangents, first)`` as they
    come; the first one is held until a second arrives, so that the leaf's buffer can take both
    in one pass. With ``targets`` (a set of nodes) the pass stops at them and other leaves are
    left alone.
    """

    __slots__ = ("grads", "leaves", "stop", "sink", "only_targets")

    def __init__(self, sink, targets):
        self.grads, self.leaves = {}, {}
        self.stop, self.sink, self.only_targets = targets or (), sink, targets is not None

    def deliver(self, node, g) -> None:
        leaves = self.leaves
        if node in self.stop:
            held = leaves.get(node)
            leaves[node] = g if held is None else held + g
        elif type(node) is not Leaf:
            _accumulate(self.grads, node, g)
        elif self.only_targets:
            return  # a leaf that is not asked for
        elif self.sink is None:
            held = leaves.get(node)
            leaves[node] = g if held is None else held + g
        else:
            held = leaves.get(node)
            if held is None:
                leaves[node] = g
            else:
                self.sink(node, (g,) if held is True else (held, g), held is not True)
                leaves[node] = True

    def visit(self, node) -> None:
        """Run ``node``'s rules on the cotangent it has gathered, passing theirs on."""
        kind = type(node)
        if kind is Leaf or node in self.stop:
            if not self.only_targets or node in self.stop:
                self.leaves.setdefault(node, None)  # reached; None if nothing flowed in
            return
        g = self.grads.pop(node, None)
        if g is None:
            return
        if kind is Part:
            slots = self.grads.setdefault(node.node, [None] * len(node.node.out))
            slots[node.index] = g if slots[node.index] is None else slots[node.index] + g
        elif node.prim is not None:
            for parent, gx in node.prim.input_grads(node, g):
                if ANOMALY.on:
                    _check_finite(node, gx)
                self.deliver(parent, gx)

    def flush(self) -> None:
        """Hand the sink the cotangents still held (leaves that got exactly one)."""
        if self.sink is not None:
            for leaf, held in self.leaves.items():
                if held is not None and held is not True:
                    self.sink(leaf, (held,), True)
                    self.leaves[leaf] = True


def walk(heads, head_grads, retain_graph, create_graph, sink=None, targets=None):
    """Run the VJPs from ``heads`` (ndarrays, with cotangents ``head_grads`` of their shapes)
    down to the leaves, or to ``targets``.

    Returns ``{leaf: cotangent}`` (or ``{leaf: True}`` with a ``sink``; see ``_Pass``), or
    ``{target: cotangent}``; None marks one reached with nothing flowing in (a zero gradient).
    Nodes walked are freed unless ``retain_graph``; a freed node is a dead end.
    """
    state = _Pass(sink, targets)
    for head, g in zip(heads, head_grads):
        node = head._node
        if node is None or not alive(node):
            raise MXNetError(NOT_IN_GRAPH)
        state.deliver(node, g)
    order = _reachable(list(state.grads) + list(state.leaves), state.stop)
    with scope(create_graph, None):
        for node in order:
            state.visit(node)
    if not retain_graph:
        for node in order:
            if type(node) is Node and node not in state.stop:
                node.prim = node.inputs = node.params = node.out = None
                node.parents = ()
    if targets is None and not any(leaf.grad_req != "null" for leaf in state.leaves):
        raise MXNetError(NO_INPUTS)
    state.flush()
    return state.leaves
